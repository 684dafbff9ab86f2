//! xrdp's and xrdp-sesman's error lines.
//!
//! ## What it recognises
//! Both programs log through `common/log.c` (`internal_log_message`), which writes
//! `TIMESTAMP [LEVEL] [pid:P tid:T] message` to the log file and the console (the pid block only with
//! `EnablePid`), and `[LEVEL] message` to syslog under the program's name (`log_start(..., "xrdp")`,
//! `"xrdp-sesman"`, and in 0.10 `"xrdp-sesexec"`). LEVEL is `internal_log_lvl2str`'s `[ERROR]`, `[WARN ]`,
//! `[INFO ]`, `[DEBUG]`, `[TRACE]`, `[CORE ]`. The timestamp is
//! - xrdp 0.9.x: `strftime("[%Y%m%d-%H:%M:%S] ")`, e.g. `[20240301-09:41:07] [ERROR] SSL_accept: I/O error`;
//! - xrdp 0.10.x: `getFormattedDateTime`, `[%FT%T.mmm%z] `, e.g. `[2024-03-01T09:41:07.123+0100] [ERROR] ...`.
//!
//! The syslog/journal form is `Mar  1 09:41:07 host xrdp[1234]: [ERROR] message` (also in
//! `systemctl status`). Messages logged with their location (`LOG_DEVEL`, or builds with devel logging)
//! start with `[function(file.c:line)] `, which is stripped like the pid block.
//!
//! Only `[ERROR]` lines become [`Signal::LogLine`]s, each message once (a log repeats its errors at every
//! reconnect) and at most [`crate::detect::scan::MAX_LOG_LINES`] of them. The program is the syslog tag; in the file form it is
//! `xrdp-sesman` when the message is one only sesman logs ([`SESMAN`]), else `xrdp`.
//!
//! ## PAM refusals
//! What a refused login means is content, not this module: the causes' `text:` signals (read by
//! [`crate::detect::message`]) name the stable part of xrdp-sesman's lines. `verify_user_pam.c` logs
//! `pam_authenticate failed: %s` and `pam_acct_mgmt failed: %s` with Linux-PAM's `pam_strerror`
//! (`[ERROR]`, in the log file from 0.9.17 on; 0.9.16 and earlier `g_printf` them to standard output), and
//! PAM's messages to the user as `PAM: %s` (`[ERROR]` for `PAM_ERROR_MSG`, `[INFO ]` for `PAM_TEXT_INFO`).
//! In 0.10 the check runs in xrdp-sesexec (`sesexec/login_info.c`), which writes to sesman's log and first
//! logs `Can't get UID for user %s` for a name the host does not know. This module only tells the program.

use crate::detect::scan::{lines, unquote, LogLines};
use crate::report::Signal;

const ERROR: &str = "[ERROR] ";

/// Starts of `[ERROR]` messages only xrdp-sesman (or its 0.10 helper sesexec) logs, from `sesman/` in
/// 0.9.26 and 0.10.x: PAM (`verify_user_pam.c`), the X server and window manager (`session.c`,
/// `sesexec/session.c`), the daemon itself (`sesman.c`). None starts an `[ERROR]` message of `xrdp/`,
/// `libxrdp/` or `common/`.
const SESMAN: &[&str] = &[
    "pam_",
    "PAM: ",
    "X server",
    "Error starting X server",
    "Timed out waiting for X server",
    "There is no X server active",
    "An error occurred waiting for the X server",
    "A fatal error has occurred attempting",
    "Window manager (pid",
    "Failed to start xrdp-sesman",
    "Can't start sesexec",
    "Can't start PAM session",
    "sesman_",
    // 0.10's `sesexec/login_info.c` (and `libsesman/sesman_access.c`, `scp_process.c`).
    "Can't get UID for user",
    "Can't reverse lookup UID",
];

/// `s` matches `pattern`, where `9` is any digit, `±` is `+` or `-`, and other bytes are themselves.
fn shaped(s: &[u8], pattern: &str) -> bool {
    let mut p = pattern.bytes().peekable();
    let mut i = 0usize;
    while let Some(c) = p.next() {
        let Some(&b) = s.get(i) else { return false };
        let ok = match c {
            b'9' => b.is_ascii_digit(),
            // `±` is two bytes in UTF-8 (0xC2 0xB1).
            0xc2 if p.peek() == Some(&0xb1) => {
                p.next();
                b == b'+' || b == b'-'
            }
            c => b == c,
        };
        if !ok {
            return false;
        }
        i += 1;
    }
    i == s.len()
}

/// What stands before `[ERROR] `: the file timestamp (`Some(None)`), or a syslog tag (`Some(Some(tag))`).
fn prefix(before: &str) -> Option<Option<&str>> {
    let before = before.trim_end();
    if before.ends_with(']') {
        let open = before.rfind('[')?;
        let stamp = before.get(open..)?.as_bytes();
        return (shaped(stamp, "[99999999-99:99:99]")
            || shaped(stamp, "[9999-99-99T99:99:99.999±9999]"))
        .then_some(None);
    }
    let tagged = before.strip_suffix(':')?;
    let tagged = match tagged.strip_suffix(']') {
        Some(t) => {
            let open = t.rfind('[')?;
            let pid = t.get(open + 1..)?;
            if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            t.get(..open)?
        }
        None => tagged,
    };
    let start = tagged
        .rfind(|c: char| c.is_whitespace())
        .map_or(0, |i| i + 1);
    let tag = tagged.get(start..)?;
    let ok = tag.starts_with("xrdp")
        && tag.len() <= 20
        && tag.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
    ok.then_some(Some(tag))
}

/// `[...] ` blocks xrdp puts before a message: `[pid:12 tid:34] `, `[function(file.c:12)] `.
fn strip_blocks(msg: &str) -> (usize, &str) {
    let mut off = 0usize;
    let mut rest = msg;
    for _ in 0..2 {
        let Some(inner) = rest.strip_prefix('[') else {
            break;
        };
        let Some(close) = inner.get(..inner.len().min(120)).and_then(|h| h.find("] ")) else {
            break;
        };
        let block = inner.get(..close).unwrap_or("");
        let pid = block.starts_with("pid:") && block.contains(" tid:");
        let location = block.ends_with(')') && block.contains(".c:") && block.contains('(');
        if !pid && !location {
            break;
        }
        off += close + 3;
        rest = inner.get(close + 2..).unwrap_or("");
    }
    (off, rest)
}

/// Emits xrdp's and xrdp-sesman's `[ERROR]` lines into `out`.
pub(crate) fn detect(text: &str, out: &mut Vec<Signal>) {
    if !text.contains(ERROR) {
        return;
    }
    let mut logs = LogLines::default();
    for line in lines(text) {
        let Some(at) = line.text.find(ERROR) else {
            continue;
        };
        let (qoff, body) = unquote(line.text);
        let Some(at) = at.checked_sub(qoff) else {
            continue;
        };
        let Some(Some(kind)) = body.get(..at).map(prefix) else {
            continue;
        };
        let after = body.get(at + ERROR.len()..).unwrap_or("");
        let (skip, msg) = strip_blocks(after);
        let lead = msg.len() - msg.trim_start().len();
        let msg = msg.trim();
        if msg.is_empty() {
            continue;
        }
        let program = match kind {
            Some(tag) => tag,
            None if SESMAN.iter().any(|p| msg.starts_with(p)) => "xrdp-sesman",
            None => "xrdp",
        };
        let start = line.start + qoff + at + ERROR.len() + skip + lead;
        logs.push(out, program, "ERROR", msg, [start, start + msg.len()]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        detect(text, &mut out);
        out.iter()
            .map(|s| match s {
                Signal::LogLine {
                    program,
                    level,
                    text: t,
                    span,
                } => {
                    assert_eq!(level, "ERROR");
                    (
                        program.clone(),
                        t.clone(),
                        text[span[0]..span[1]].to_string(),
                    )
                }
                other => panic!("{other:?}"),
            })
            .collect()
    }

    fn programs_and_texts(text: &str) -> Vec<(String, String)> {
        run(text).into_iter().map(|(p, t, _)| (p, t)).collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    /// xrdp 0.9.x's xrdp.log (OpenSSL 3 error strings, logged since 0.9.19 by `dump_ssl_error_stack`).
    pub(crate) const XRDP_09: &str = "[20240301-09:41:07] [INFO ] Socket 12: AF_INET6 connection received from ::ffff:10.0.0.20 port 55314\n\
        [20240301-09:41:07] [INFO ] Security protocol: configured [SSL|RDP], requested [SSL|HYBRID|RDP], selected [SSL]\n\
        [20240301-09:41:07] [ERROR] SSL_accept: Failure in SSL library (protocol error?)\n\
        [20240301-09:41:07] [ERROR] SSL: error:0A0000C1:SSL routines::no shared cipher\n\
        [20240301-09:41:07] [ERROR] trans_set_tls_mode: ssl_tls_accept failed\n\
        [20240301-09:41:07] [WARN ] xrdp_sec_incoming: something\n";

    #[test]
    fn xrdp_09_file_form() {
        let got = run(XRDP_09);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(
            got[1],
            (
                "xrdp".to_string(),
                "SSL: error:0A0000C1:SSL routines::no shared cipher".to_string(),
                "SSL: error:0A0000C1:SSL routines::no shared cipher".to_string()
            )
        );
    }

    #[test]
    fn xrdp_010_file_form_with_pid_and_location_blocks() {
        // 0.10's getFormattedDateTime, EnablePid=true, and a message logged with its location.
        let text = "[2024-03-01T09:41:07.123+0100] [ERROR] [pid:2731 tid:140190] SSL: error:0A000102:SSL routines::unsupported protocol\r\n\
            [2024-03-01T09:41:07.124-0500] [ERROR] [trans_set_tls_mode(os_calls.c:88)] ssl_tls_accept failed\r\n\
            [2024-03-01T09:41:07.124+0000] [INFO ] [pid:2731 tid:140190] ok\r\n";
        assert_eq!(
            run(text)
                .into_iter()
                .map(|(_, t, s)| (t, s))
                .collect::<Vec<_>>(),
            pairs(&[
                (
                    "SSL: error:0A000102:SSL routines::unsupported protocol",
                    "SSL: error:0A000102:SSL routines::unsupported protocol"
                ),
                ("ssl_tls_accept failed", "ssl_tls_accept failed"),
            ])
        );
    }

    #[test]
    fn sesman_messages_tell_the_program_in_the_file_form() {
        // xrdp-sesman.log, 0.9.26 (`session.c`, `verify_user_pam.c`) and 0.10 (`sesexec/session.c`).
        let text = "[20240301-09:41:09] [ERROR] pam_authenticate failed: Authentication failure\n\
            [20240301-09:41:10] [ERROR] Error starting X server on display 10\n\
            [20240301-09:41:10] [ERROR] A fatal error has occurred attempting to start the X server on display 10, aborting connection\n\
            [2024-03-01T09:41:11.000+0100] [ERROR] X server failed to start\n\
            [2024-03-01T09:41:11.500+0100] [ERROR] Can't get UID for user alice\n\
            [20240301-09:41:12] [ERROR] xrdp_wm_log_msg: some xrdp message\n";
        assert_eq!(
            programs_and_texts(text)
                .into_iter()
                .map(|(p, _)| p)
                .collect::<Vec<_>>(),
            [
                "xrdp-sesman",
                "xrdp-sesman",
                "xrdp-sesman",
                "xrdp-sesman",
                "xrdp-sesman",
                "xrdp"
            ]
        );
    }

    #[test]
    fn syslog_and_journal_forms_take_the_tag() {
        let text = "Apr 07 16:53:01 archlinux xrdp[2780]: [ERROR] SSL_accept: Failure in SSL library (protocol error?)\n\
            > Mar  1 09:41:07 srv01 xrdp-sesman[99]: [ERROR] pam_authenticate failed: Authentication failure\n\
            Mar  1 09:41:08 srv01 xrdp-sesexec[1201]: [ERROR] X server failed to start\n\
            Mar  1 09:41:08 srv01 xrdp-sesman[99]: [INFO ] AUTHFAIL: user=alice ip=10.0.0.20 time=1709282468\n";
        assert_eq!(
            programs_and_texts(text),
            pairs(&[
                (
                    "xrdp",
                    "SSL_accept: Failure in SSL library (protocol error?)"
                ),
                (
                    "xrdp-sesman",
                    "pam_authenticate failed: Authentication failure"
                ),
                ("xrdp-sesexec", "X server failed to start"),
            ])
        );
    }

    #[test]
    fn other_programs_and_garbled_lines_are_not_xrdp() {
        for text in [
            // FreeRDP's WLog: `[ERROR][tag]`, no space.
            "[14:06:01:197] [27685:27692] [ERROR][com.freerdp.core] - transport failed\n",
            "Mar  1 09:41:07 srv01 nginx[12]: [ERROR] upstream\n",
            "[2024-03-01 09:41:07] [ERROR] another program's stamp\n",
            "[20240301-09:41:07] [ERROR]\n",
            "[20240301-09:41:07] [ERROR]    \n",
            "Some text [ERROR] in a sentence\n",
            "[2024030-09:41:07] [ERROR] short date\n",
        ] {
            assert!(run(text).is_empty(), "{text}");
        }
        // Docker's json-file prefix before the xrdp line is fine.
        let docker = "2022-08-29T10:15:45.979821892Z,stdout,[20220829-12:15:45] [ERROR] SSL: error:0A000126:SSL routines::unexpected eof while reading\n";
        assert_eq!(run(docker).len(), 1);
    }

    #[test]
    fn repeated_errors_are_reported_once_and_the_count_is_bounded() {
        let once = "[20240301-09:41:07] [ERROR] SSL_accept: I/O error\n";
        assert_eq!(run(&once.repeat(50)).len(), 1);
        let many: String = (0..1000)
            .map(|i| {
                format!("[20240301-09:41:07] [ERROR] Error starting X server on display {i}\n")
            })
            .collect();
        let got = run(&many);
        assert_eq!(got.len(), crate::detect::scan::MAX_LOG_LINES);
        assert_eq!(got[0].1, "Error starting X server on display 0");
    }

    #[test]
    fn truncations_never_panic_and_spans_stay_inside() {
        let text = format!(
            "{XRDP_09}> é xrdp-sesman[9]: [ERROR] [pid:1 tid:2] é\r\n[2024-03-01T09:41:07.123+0100] [ERROR] [f(a.c:1)] x"
        );
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let cut = &text[..end];
            let mut out = Vec::new();
            detect(cut, &mut out);
            for s in &out {
                let Signal::LogLine { span, .. } = s else {
                    panic!("{s:?}")
                };
                assert!(span[0] <= span[1] && cut.get(span[0]..span[1]).is_some());
            }
        }
    }
}
