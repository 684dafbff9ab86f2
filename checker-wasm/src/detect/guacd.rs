//! Apache Guacamole's `guacd` log lines: error lines, and the RDP failure summary read as a FreeRDP code.
//!
//! ## What it recognises
//! guacd logs each message twice (`src/guacd/log.c`, `vguacd_log`): to syslog as the bare message under the
//! tag `guacd[PID]`, and to stderr as `guacd[PID]: LEVEL:\tmessage` (LEVEL one of `ERROR`, `WARNING`, `INFO`,
//! `DEBUG`, `TRACE`). So a paste shows one of:
//! - `guacd[7]: ERROR:\tmessage` (docker logs, a terminal; the tab often pasted as spaces);
//! - `Aug  7 08:50:58 host guacd[812]: guacd[812]: INFO:#011message` (rsyslog writes the tab as `#011`) and
//!   `Aug  7 08:50:58 host guacd[812]: message` (the syslog copy, without a level), the same in journalctl's
//!   form, whose tag may carry the parent's PID (`guacd[1837206]: guacd[1838829]: INFO: ...`).
//!
//! Lines at level `ERROR` become [`Signal::LogLine`]s (each message once, as in `xrdp`).
//!
//! guacd's RDP plugin sums up a failed connection in one line at level `INFO`
//! (`src/protocols/rdp/error.c`, `guac_rdp_client_abort`): `RDP server closed/refused connection: REASON`
//! since 1.3.0, `RDP server closed connection: REASON` in 1.0.0 to 1.2.0. REASON is chosen from the RDP
//! disconnect reason (`freerdp_error_info`, an `ERRINFO_*` value) or, when that is 0 (1.3.0 on), from
//! `freerdp_get_last_error` (`guac_rdp_translate_last_error`). Where a REASON stands for exactly one
//! FreeRDP error, this detector emits the code signal of the index row with that symbolic name (see
//! [`REASONS`]); the summary of a failure is also a `LogLine` at its printed level. The debug line
//! `Disconnect reason code: 0x7.` (same function) names the `ERRINFO_*` value itself.

use crate::detect::scan::{boundary_before, lines, unquote, LogLines};
use crate::index::{canonical_code, KnowledgeIndex, TableKind};
use crate::report::Signal;

/// Levels guacd prints (`vguacd_log`), and `ERR` as some wrappers shorten it.
const LEVELS: &[&str] = &[
    "ERROR", "ERR", "WARNING", "INFO", "DEBUG", "TRACE", "UNKNOWN",
];

/// The summary's prefixes: 1.3.0 and later, then 1.0.0 to 1.2.0.
const SUMMARY: &[&str] = &[
    "RDP server closed/refused connection: ",
    "RDP server closed connection: ",
];

/// The debug line with the RDP disconnect reason (1.0.0 and later).
const REASON_CODE: &str = "Disconnect reason code: ";

/// guacd's reasons (`error.c`) and the one FreeRDP error each stands for, by its symbolic name. `None`: the
/// reason folds several FreeRDP errors together, so no single code can be claimed; `Some("")`: not a
/// failure (a normal or user-initiated disconnect).
const REASONS: &[(&str, Option<&str>)] = &[
    // From freerdp_get_last_error (1.3.0 and later).
    (
        "Security negotiation failed (wrong security type?)",
        Some("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED"),
    ),
    (
        "SSL/TLS connection failed (untrusted/self-signed certificate?)",
        Some("ERRCONNECT_TLS_CONNECT_FAILED"),
    ),
    (
        "Server refused connection (wrong security type?)",
        Some("ERRCONNECT_CONNECT_TRANSPORT_FAILED"),
    ),
    // DNS_ERROR or DNS_NAME_NOT_FOUND.
    ("DNS lookup failed (incorrect hostname?)", None),
    // CONNECT_FAILED, CONNECT_CANCELLED, CONNECT_KDC_UNREACHABLE, MCS_CONNECT_INITIAL_ERROR.
    ("Connection failed (server unreachable?)", None),
    // AUTHENTICATION_FAILED, and where FreeRDP defines them LOGON_FAILURE, WRONG_PASSWORD,
    // NO_OR_MISSING_CREDENTIALS.
    ("Authentication failure (invalid credentials?)", None),
    // ACCESS_DENIED, ACCOUNT_DISABLED, ACCOUNT_LOCKED_OUT, ACCOUNT_RESTRICTION, LOGON_TYPE_NOT_GRANTED,
    // CLIENT_REVOKED, INSUFFICIENT_PRIVILEGES, SERVER_DENIED_CONNECTION, SERVER_INSUFFICIENT_PRIVILEGES.
    ("Access denied by server (account locked/disabled?)", None),
    // PASSWORD_EXPIRED, PASSWORD_CERTAINLY_EXPIRED, ACCOUNT_EXPIRED, PASSWORD_MUST_CHANGE,
    // SERVER_FRESH_CREDENTIALS_REQUIRED; also ERRINFO 0xA.
    ("Credentials expired.", None),
    // From freerdp_error_info (1.0.0 and later).
    (
        "Forcibly disconnected.",
        Some("ERRINFO_RPC_INITIATED_DISCONNECT"),
    ),
    ("Logged off.", Some("ERRINFO_RPC_INITIATED_LOGOFF")),
    (
        "Idle session time limit exceeded.",
        Some("ERRINFO_IDLE_TIMEOUT"),
    ),
    (
        "Active session time limit exceeded.",
        Some("ERRINFO_LOGON_TIMEOUT"),
    ),
    (
        "Disconnected by other connection.",
        Some("ERRINFO_DISCONNECTED_BY_OTHER_CONNECTION"),
    ),
    // ERRINFO_OUT_OF_MEMORY (0x6) or ERRINFO_SERVER_DENIED_CONNECTION (0x7).
    ("Server refused connection.", None),
    (
        "Insufficient privileges.",
        Some("ERRINFO_SERVER_INSUFFICIENT_PRIVILEGES"),
    ),
    ("Upstream error.", None),
    ("Disconnected.", Some("")),
    ("Manually disconnected.", Some("")),
    ("Manually logged off.", Some("")),
];

/// `name[digits]: ` at the start of `s`: the length of that prefix.
fn tag_len(s: &str, name: &str) -> Option<usize> {
    let rest = s.strip_prefix(name)?.strip_prefix('[')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 10 {
        return None;
    }
    rest.get(digits..)?.strip_prefix("]:")?;
    let after = name.len() + 1 + digits + 2;
    let spaces = s
        .get(after..)?
        .bytes()
        .take_while(|b| *b == b' ' || *b == b'\t')
        .count();
    Some(after + spaces)
}

/// A guacd line: the offset of its message in the line, the level (when printed) and the message.
fn parse(line: &str) -> Option<(usize, Option<&'static str>, &str)> {
    let (qoff, body) = unquote(line);
    let at = body.find("guacd[")?;
    if !boundary_before(body.as_bytes(), at) {
        return None;
    }
    let mut pos = at + tag_len(body.get(at..)?, "guacd")?;
    // journald/rsyslog: the syslog tag, then the stderr copy's own `guacd[PID]: `.
    if let Some(n) = body.get(pos..).and_then(|r| tag_len(r, "guacd")) {
        pos += n;
    }
    let rest = body.get(pos..)?;
    let mut level = None;
    for &l in LEVELS {
        if let Some(after) = rest.strip_prefix(l).and_then(|r| r.strip_prefix(':')) {
            let gap = if after.starts_with("#011") {
                4
            } else {
                after
                    .bytes()
                    .take_while(|b| *b == b' ' || *b == b'\t')
                    .count()
            };
            if gap > 0 || after.is_empty() {
                level = Some(l);
                pos += l.len() + 1 + gap;
            }
            break;
        }
    }
    let msg = body.get(pos..)?;
    Some((qoff + pos, level, msg))
}

/// The first code table row named `name`, as a code signal.
fn named_code(index: &KnowledgeIndex, name: &str, span: [usize; 2]) -> Option<Signal> {
    index
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::Code)
        .find_map(|t| t.rows.iter().find(|r| r.name == name).map(|r| (t, r)))
        .map(|(t, r)| row_signal(&t.scheme, r, span))
}

fn row_signal(scheme: &str, r: &crate::index::CodeRow, span: [usize; 2]) -> Signal {
    let value = canonical_code(&r.value).unwrap_or_else(|| r.value.clone());
    crate::detect::code::code_signal(scheme, &value, Some(r), span)
}

/// The `ERRINFO_*` row holding `value` (canonical hex), as a code signal.
fn errinfo_code(index: &KnowledgeIndex, value: &str, span: [usize; 2]) -> Option<Signal> {
    index
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::Code)
        .find_map(|t| {
            t.rows
                .iter()
                .find(|r| {
                    r.name.starts_with("ERRINFO_")
                        && canonical_code(&r.value).as_deref() == Some(value)
                })
                .map(|r| (t, r))
        })
        .map(|(t, r)| row_signal(&t.scheme, r, span))
}

/// The row names guacd's reasons stand for: a paste with guacd lines may need their rows (see `shard`).
pub(crate) fn reason_names() -> impl Iterator<Item = &'static str> {
    REASONS
        .iter()
        .filter_map(|(_, n)| *n)
        .filter(|n| !n.is_empty())
}

/// Adds a code signal unless the paste's signals already hold that code.
fn push_code(out: &mut Vec<Signal>, signal: Option<Signal>) {
    let Some(Signal::Code { scheme, value, .. }) = &signal else {
        return;
    };
    let dup = out.iter().any(
        |s| matches!(s, Signal::Code { scheme: s2, value: v2, .. } if s2 == scheme && v2 == value),
    );
    if !dup {
        out.extend(signal);
    }
}

/// Emits guacd's error lines and the codes its RDP failure summaries stand for into `out`.
pub(crate) fn detect(text: &str, index: &KnowledgeIndex, out: &mut Vec<Signal>) {
    if !text.contains("guacd[") {
        return;
    }
    let mut logs = LogLines::default();
    for line in lines(text) {
        if !line.text.contains("guacd[") {
            continue;
        }
        let Some((off, level, raw)) = parse(line.text) else {
            continue;
        };
        let msg = raw.trim_end();
        if msg.is_empty() {
            continue;
        }
        let start = line.start + off;
        let end = start + msg.len();
        let mut failure = matches!(level, Some("ERROR" | "ERR"));

        if let Some(reason) = SUMMARY.iter().find_map(|p| msg.strip_prefix(p)) {
            let reason = reason.trim();
            let reason_start = end - reason.len();
            match REASONS.iter().find(|(r, _)| *r == reason).map(|(_, n)| *n) {
                Some(Some("")) => {}
                Some(Some(name)) => {
                    failure = true;
                    push_code(out, named_code(index, name, [reason_start, end]));
                }
                // A reason folding several errors, or one this table does not know (a newer guacd).
                Some(None) | None => failure = true,
            }
        } else if let Some(hex) = msg.strip_prefix(REASON_CODE) {
            if let Some(value) = canonical_code(hex.trim_end_matches('.')) {
                push_code(out, errinfo_code(index, &value, [start, end]));
            }
        }

        if let (true, Some(level)) = (failure, level) {
            logs.push(out, "guacd", level, msg, [start, end]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::index;

    fn run(text: &str) -> Vec<Signal> {
        let mut out = Vec::new();
        detect(text, &index(), &mut out);
        out
    }

    /// (program, level, text, spanned text) of the log lines.
    fn log_lines(text: &str, out: &[Signal]) -> Vec<(String, String, String, String)> {
        out.iter()
            .filter_map(|s| match s {
                Signal::LogLine {
                    program,
                    level,
                    text: t,
                    span,
                } => Some((
                    program.clone(),
                    level.clone(),
                    t.clone(),
                    text[span[0]..span[1]].to_string(),
                )),
                _ => None,
            })
            .collect()
    }

    /// (name, spanned text) of the code signals.
    fn codes(text: &str, out: &[Signal]) -> Vec<(String, String)> {
        out.iter()
            .filter_map(|s| match s {
                Signal::Code {
                    name: Some(n),
                    span,
                    ..
                } => Some((n.clone(), text[span[0]..span[1]].to_string())),
                _ => None,
            })
            .collect()
    }

    /// docker logs of guacd 1.5: stderr's form (`guacd[PID]: LEVEL:\tmessage`).
    pub(crate) const DOCKER: &str = "guacd[7]: INFO:\tGuacamole proxy daemon (guacd) version 1.5.5 started\n\
        guacd[7]: INFO:\tCreating new client for protocol \"rdp\"\n\
        guacd[812]: INFO:\tNo security mode specified. Defaulting to security mode negotiation with server.\n\
        guacd[812]: WARNING:\tFreeRDP initialization may fail: The current user's home directory (\"/usr/sbin\") is not writable, but FreeRDP generally requires a writable home directory for storage of configuration files and certificates.\n\
        guacd[812]: INFO:\tRDP server closed/refused connection: Security negotiation failed (wrong security type?)\n\
        guacd[812]: DEBUG:\tDisconnect reason code: 0x9.\n\
        guacd[812]: ERROR:\tFreeRDP initialization failed before connecting. Please check for errors earlier in the logs and/or enable debug-level logging for guacd.\n";

    #[test]
    fn docker_form_gives_log_lines_and_codes() {
        let out = run(DOCKER);
        assert_eq!(
            codes(DOCKER, &out),
            [
                (
                    "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED".to_string(),
                    "Security negotiation failed (wrong security type?)".to_string()
                ),
                (
                    "ERRINFO_SERVER_INSUFFICIENT_PRIVILEGES".to_string(),
                    "Disconnect reason code: 0x9.".to_string()
                ),
            ]
        );
        let lines = log_lines(DOCKER, &out);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(
            (lines[0].1.as_str(), lines[0].3.as_str()),
            (
                "INFO",
                "RDP server closed/refused connection: Security negotiation failed (wrong security type?)"
            )
        );
        assert_eq!(lines[1].0, "guacd");
        assert_eq!(lines[1].1, "ERROR");
        assert!(lines[1]
            .2
            .starts_with("FreeRDP initialization failed before connecting."));
        assert_eq!(lines[1].2, lines[1].3);
    }

    #[test]
    fn syslog_and_journal_forms() {
        // rsyslog's file (`#011` is the tab), from a pasted /var/log/messages.
        let syslog = "Aug  7 08:50:58 centos9 guacd[14247]: RDP server closed/refused connection: Server refused connection (wrong security type?)\n\
            Aug  7 08:50:58 centos9 guacd[14247]: guacd[14247]: INFO:#011RDP server closed/refused connection: Server refused connection (wrong security type?)\n\
            Aug  7 08:50:58 centos9 guacd[14247]: guacd[14247]: ERROR:#011Connection closed.\n";
        let out = run(syslog);
        assert_eq!(
            codes(syslog, &out),
            [(
                "ERRCONNECT_CONNECT_TRANSPORT_FAILED".to_string(),
                "Server refused connection (wrong security type?)".to_string()
            )],
            "the syslog copy and the stderr copy name the code once"
        );
        let lines = log_lines(syslog, &out);
        let got: Vec<(&str, &str)> = lines.iter().map(|l| (l.1.as_str(), l.2.as_str())).collect();
        assert_eq!(
            got,
            [
                (
                    "INFO",
                    "RDP server closed/refused connection: Server refused connection (wrong security type?)"
                ),
                ("ERROR", "Connection closed."),
            ],
            "the level-less syslog copy is no log line"
        );
        // journalctl, a parent's PID in the tag, the tab pasted as spaces, CRLF and mail quotes.
        let journal = "> Mar 02 15:49:01 vm-11 guacd[1837206]: guacd[1838829]: INFO:        RDP server closed/refused connection: SSL/TLS connection failed (untrusted/self-signed certificate?)\r\n\
            > Mar 02 15:49:01 vm-11 guacd[1837206]: guacd[1838829]: ERROR:       User is not responding.\r\n";
        let out = run(journal);
        assert_eq!(codes(journal, &out)[0].0, "ERRCONNECT_TLS_CONNECT_FAILED");
        let lines = log_lines(journal, &out);
        assert_eq!(lines[1].2, "User is not responding.");
        assert_eq!(lines[1].3, "User is not responding.");
    }

    #[test]
    fn reasons_that_fold_several_errors_claim_no_code() {
        for reason in [
            "Authentication failure (invalid credentials?)",
            "Connection failed (server unreachable?)",
            "Server refused connection.",
            "A reason from a newer guacd",
        ] {
            let text = format!("guacd[9]: INFO:\tRDP server closed connection: {reason}\n");
            let out = run(&text);
            assert!(codes(&text, &out).is_empty(), "{reason}: {out:?}");
            assert_eq!(log_lines(&text, &out).len(), 1, "still a failure: {reason}");
        }
        // A normal disconnect is no failure; INFO lines in general are none.
        let text = "guacd[9]: INFO:\tRDP server closed/refused connection: Disconnected.\n\
                    guacd[9]: INFO:\tUser \"@1b2c\" disconnected (0 users remain)\n";
        assert!(run(text).is_empty());
        // A row missing from the index: no code, and no panic.
        let text = "guacd[9]: INFO:\tRDP server closed connection: Logged off.\n";
        assert!(codes(text, &run(text)).is_empty());
    }

    #[test]
    fn a_code_already_in_the_paste_is_not_repeated() {
        let text = "guacd[7]: INFO:\tRDP server closed/refused connection: Security negotiation failed (wrong security type?)\n";
        let mut out =
            vec![named_code(&index(), "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED", [0, 1]).unwrap()];
        detect(text, &index(), &mut out);
        assert_eq!(
            out.iter()
                .filter(|s| matches!(s, Signal::Code { .. }))
                .count(),
            1
        );
    }

    #[test]
    fn long_messages_are_clipped_and_odd_lines_ignored() {
        let long = format!("guacd[3]: ERROR:\t{}\n", "é".repeat(400));
        let out = run(&long);
        let [Signal::LogLine { text, span, .. }] = out.as_slice() else {
            panic!("{out:?}")
        };
        assert_eq!(text.chars().count(), crate::detect::scan::MAX_LOG_TEXT);
        assert_eq!(&long[span[0]..span[1]], "é".repeat(400));
        for odd in [
            "myguacd[3]: ERROR:\tnot guacd\n",
            "guacd[]: ERROR: x\n",
            "guacd[12]: ERRORS: x\n",
            "guacd[12]: ERROR:\n",
            "see guacd[ in the docs\n",
        ] {
            assert!(log_lines(odd, &run(odd)).is_empty(), "{odd}");
        }
    }

    #[test]
    fn truncations_never_panic_and_spans_stay_inside() {
        let text = format!(
            "{DOCKER}> Mar 02 15:49:01 vm é guacd[1]: guacd[2]: ERROR:#011é\r\nguacd[1]: guacd[2]: INFO: RDP server closed connection: Insufficient privileges."
        );
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let cut = &text[..end];
            for s in run(cut) {
                let (Signal::LogLine { span, .. } | Signal::Code { span, .. }) = &s else {
                    panic!("{s:?}")
                };
                assert!(span[0] <= span[1] && cut.get(span[0]..span[1]).is_some());
            }
        }
    }
}
