//! FreeRDP's certificate warnings, read as certificate evidence.
//!
//! ## What it recognises
//! FreeRDP (`xfreerdp`, `wlfreerdp`, `sdl-freerdp`, Remmina) prints these as WLog lines
//! (`[13:50:01:123] [4157:4158] [ERROR][com.freerdp.crypto] - ` and, since 3.x, `[function]: `) or plain:
//! - the "WARNING: CERTIFICATE NAME MISMATCH!" block: the host the client asked for
//!   ("The hostname used for this connection (host:port)"), the certificate's Common Name and alternative
//!   names: `hostname_mismatch`;
//! - "The host key for host:port has changed" and "Certificate for host:port (type) has changed": the
//!   certificate changed since the last connection (no finding by itself);
//! - OpenSSL verification reasons, alone or in "Certificate verification failure '... (18)' at stack
//!   position 0": `certificate has expired (10)`, `certificate is not yet valid (9)`,
//!   `self-signed certificate (18)`, `self signed certificate in certificate chain (19)`,
//!   `unable to get local issuer certificate (20)`...;
//! - the "Certificate details" block (Common Name, Subject, Issuer, Thumbprint): the host, and
//!   `self_signed` when subject and issuer are the same;
//! - FreeRDP 2's refused connect: its non-blocking connect does not check the socket error, so a closed
//!   port surfaces as the first write failing ("BIO_should_retry returned a system error 32: Broken pipe",
//!   then `transport_write:... ERRCONNECT_CONNECT_TRANSPORT_FAILED`), or as "system error 111: Connection
//!   refused". Read as a failed TCP test (`tcp_failed`) to the `/v:` host when the paste names it. A server
//!   that accepts and closes reads an error instead ("BIO_read returned a system error 104"): no finding.
//!
//! Its TLS failure lines (a failed handshake, a refused certificate, OpenSSL errors on its transport) are
//! read by `freerdp_tls`, called from [`detect`].
//!
//! ## Why
//! A FreeRDP paste must rank the same causes as the equivalent mstsc paste: these warnings carry the same
//! facts as a decoded certificate, so they produce the same findings. Only short names and certificate
//! fields are copied from the paste, and a reason is reported in this detector's own words.
//!
//! One pass over the lines, plus one pass over the `)` bytes for the OpenSSL reasons and one over the lines
//! when the paste holds "returned a system error ".

use crate::detect::scan::{lines, name_token, unquote, Hosts};
use crate::index::{CertFinding, PortFinding};
use crate::report::{CertWarningKind, Signal};

/// OpenSSL `X509_V_ERR_*` codes FreeRDP prints, their strings (OpenSSL 1.x and 3.x spellings) and findings.
/// Shared with `openssl_text`, which reads the same codes from `openssl s_client` and `openssl verify`.
pub(crate) const REASONS: &[(u32, &str, CertFinding)] = &[
    (
        2,
        "unable to get issuer certificate",
        CertFinding::ChainIncomplete,
    ),
    (9, "certificate is not yet valid", CertFinding::NotYetValid),
    (10, "certificate has expired", CertFinding::Expired),
    (18, "self-signed certificate", CertFinding::SelfSigned),
    (18, "self signed certificate", CertFinding::SelfSigned),
    (
        19,
        "self-signed certificate in certificate chain",
        CertFinding::SelfSigned,
    ),
    (
        19,
        "self signed certificate in certificate chain",
        CertFinding::SelfSigned,
    ),
    (
        20,
        "unable to get local issuer certificate",
        CertFinding::ChainIncomplete,
    ),
    (
        21,
        "unable to verify the first certificate",
        CertFinding::ChainIncomplete,
    ),
    (
        26,
        "unsupported certificate purpose",
        CertFinding::MissingServerAuthEku,
    ),
    (62, "hostname mismatch", CertFinding::HostnameMismatch),
    (64, "IP address mismatch", CertFinding::HostnameMismatch),
];

/// The first reason of [`REASONS`] with OpenSSL code `code`: its words and finding.
pub(crate) fn reason(code: u32) -> Option<(&'static str, CertFinding)> {
    REASONS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|&(_, phrase, finding)| (phrase, finding))
}

/// An OpenSSL verification failure as a client printed it (`source`: `freerdp`, `openssl`): one finding
/// and the reason in the table's words with its number.
pub(crate) fn verify_failure(
    source: &str,
    code: u32,
    phrase: &str,
    finding: CertFinding,
    span: [usize; 2],
) -> Signal {
    Signal::CertWarning {
        source: source.to_string(),
        warning: CertWarningKind::VerifyFailure,
        host: None,
        subject: None,
        issuer: None,
        names: Vec::new(),
        reason: Some(format!("{phrase} ({code})")),
        findings: vec![finding],
        span,
    }
}

/// The message of a line: without mail quotes, the WLog prefix `[...] [...] [LEVEL][component] - ` and
/// FreeRDP 3's `[function]: `. Returns its offset in the line and the message, trimmed at the end only.
pub(crate) fn message(line: &str) -> (usize, &str) {
    let (mut off, mut rest) = unquote(line);
    if rest.starts_with('[') {
        if let Some(dash) = rest.get(..rest.len().min(200)).and_then(|h| h.find("] - ")) {
            if rest.get(..dash).is_some_and(|h| h.contains("][")) {
                off += dash + 4;
                rest = rest.get(dash + 4..).unwrap_or("");
                if rest.starts_with('[') {
                    if let Some(c) = rest.get(..rest.len().min(120)).and_then(|h| h.find("]: ")) {
                        off += c + 3;
                        rest = rest.get(c + 3..).unwrap_or("");
                    }
                }
            }
        }
    }
    (off, rest)
}

/// `host:port` -> `host` (IPv6 in brackets keeps its address), filtered like every copied name.
fn host_of(s: &str) -> Option<String> {
    let s = s.trim();
    let host = match s.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => s,
    };
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    name_token(host, 253).filter(|h| !h.contains(' '))
}

/// A certificate field copied from the paste: printable, one line, bounded.
fn field_value(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && s.len() <= 300 && !s.chars().any(char::is_control)).then(|| s.to_string())
}

/// A block being read.
struct Block {
    warning: CertWarningKind,
    start: usize,
    end: usize,
    host: Option<String>,
    subject: Option<String>,
    issuer: Option<String>,
    common_name: Option<String>,
    names: Vec<String>,
    /// Mismatch block: the next line is the Common Name (1) or an alternative name (2).
    expect: u8,
}

impl Block {
    /// A block of `warning` opened by the line at `start..end`.
    fn open(warning: CertWarningKind, start: usize, end: usize) -> Block {
        Block {
            warning,
            start,
            end,
            host: None,
            subject: None,
            issuer: None,
            common_name: None,
            names: Vec::new(),
            expect: 0,
        }
    }

    fn finish(self, out: &mut Vec<Signal>, hosts: &mut Hosts) {
        let mut findings = Vec::new();
        if self.warning == CertWarningKind::NameMismatch {
            findings.push(CertFinding::HostnameMismatch);
        }
        if self.warning == CertWarningKind::CertificateDetails
            && self.subject.is_some()
            && self.subject == self.issuer
        {
            findings.push(CertFinding::SelfSigned);
        }
        if let Some(h) = &self.host {
            hosts.push(h);
        }
        out.push(Signal::CertWarning {
            source: "freerdp".to_string(),
            warning: self.warning,
            host: self.host,
            subject: self.subject.or(self.common_name),
            issuer: self.issuer,
            names: self.names,
            reason: None,
            findings,
            span: [self.start, self.end],
        });
    }
}

/// Emits FreeRDP certificate warnings into `out` and the hosts they name into `hosts`.
pub(crate) fn detect(text: &str, out: &mut Vec<Signal>, hosts: &mut Hosts) {
    reasons(text, out);
    refused(text, out);
    crate::detect::freerdp_tls::detect(text, out);
    // Most pastes hold none of the blocks: three substring searches spare the line-by-line reading.
    if ![
        "CERTIFICATE NAME MISMATCH",
        "Certificate details",
        " has changed",
    ]
    .iter()
    .any(|k| text.contains(k))
    {
        return;
    }
    let mut block: Option<Block> = None;
    for line in lines(text) {
        let (off, msg) = message(line.text);
        let body = msg.trim();
        // Continue the open block, or close it.
        if let Some(b) = block.as_mut() {
            let mut fits = true;
            if b.warning == CertWarningKind::NameMismatch {
                if body.starts_with("@@@") || body.starts_with("does not match") {
                } else if let Some(rest) =
                    body.strip_prefix("The hostname used for this connection (")
                {
                    b.host = host_of(rest.split(')').next().unwrap_or(""));
                } else if body.starts_with("Common Name (CN):") {
                    b.expect = 1;
                } else if body.starts_with("Alternative names:") {
                    b.expect = 2;
                } else if body.starts_with("A valid certificate for the wrong name") {
                    b.end = line.end();
                    if let Some(b) = block.take() {
                        b.finish(out, hosts);
                    }
                    continue;
                } else if b.expect == 1 {
                    if body != "no CN found in certificate" {
                        b.common_name = field_value(body);
                    }
                    b.expect = 0;
                } else if b.expect == 2 && !body.is_empty() && b.names.len() < 32 {
                    if let Some(n) = host_of(body) {
                        b.names.push(n);
                    }
                } else {
                    fits = false;
                }
            } else {
                let field = |k: &str| body.strip_prefix(k).and_then(field_value);
                if let Some(v) = field("Common Name:") {
                    b.common_name = Some(v);
                } else if let Some(v) = field("Subject:") {
                    b.subject = Some(v);
                } else if let Some(v) = field("Issuer:") {
                    b.issuer = Some(v);
                } else if body.starts_with("Thumbprint:") {
                } else {
                    fits = false;
                }
            }
            if fits {
                b.end = line.end();
                continue;
            }
            if let Some(b) = block.take() {
                b.finish(out, hosts);
            }
        }

        let start = line.start + off;
        if body.contains("WARNING: CERTIFICATE NAME MISMATCH!") {
            block = Some(Block::open(
                CertWarningKind::NameMismatch,
                start,
                line.end(),
            ));
        } else if body == "Certificate details:"
            || body == "New Certificate details:"
            || (body.starts_with("Certificate details for ") && body.ends_with("):"))
        {
            let host = body
                .strip_prefix("Certificate details for ")
                .and_then(|r| r.split(" (").next())
                .and_then(host_of);
            block = Some(Block {
                host,
                ..Block::open(CertWarningKind::CertificateDetails, start, line.end())
            });
        } else if let Some(target) = changed_host(body) {
            let host = host_of(target);
            if let Some(h) = &host {
                hosts.push(h);
            }
            out.push(Signal::CertWarning {
                source: "freerdp".to_string(),
                warning: CertWarningKind::HostKeyChanged,
                host,
                subject: None,
                issuer: None,
                names: Vec::new(),
                reason: None,
                findings: Vec::new(),
                span: [start, line.end()],
            });
        }
    }
    if let Some(b) = block.take() {
        b.finish(out, hosts);
    }
}

/// `host:port` of "The host key for host:port has changed" or "Certificate for host:port (type) has changed".
fn changed_host(body: &str) -> Option<&str> {
    if let Some(rest) = body.strip_prefix("The host key for ") {
        return rest.strip_suffix(" has changed");
    }
    let rest = body.trim_matches('!').trim();
    let rest = rest.strip_prefix("Certificate for ")?;
    let rest = rest.strip_suffix(" has changed")?;
    rest.split(" (").next()
}

/// OpenSSL verification reasons `<reason> (<n>)`, each finding once.
fn reasons(text: &str, out: &mut Vec<Signal>) {
    let b = text.as_bytes();
    let mut seen: Vec<CertFinding> = Vec::new();
    let mut i = 0usize;
    while let Some(off) = b.get(i..).and_then(|r| r.iter().position(|&c| c == b')')) {
        let close = i + off;
        i = close + 1;
        let digits = b
            .get(..close)
            .unwrap_or(&[])
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 || digits > 3 || close < digits + 2 {
            continue;
        }
        let open = close - digits - 1;
        if b.get(open) != Some(&b'(') || b.get(open - 1) != Some(&b' ') {
            continue;
        }
        let Some(n) = text
            .get(open + 1..close)
            .and_then(|d| d.parse::<u32>().ok())
        else {
            continue;
        };
        let before = text.get(..open - 1).unwrap_or("");
        // The longest reason for this number that ends here, compared without case.
        let hit = REASONS
            .iter()
            .filter(|(code, phrase, _)| {
                *code == n
                    && before.len() >= phrase.len()
                    && before
                        .get(before.len() - phrase.len()..)
                        .is_some_and(|t| t.eq_ignore_ascii_case(phrase))
            })
            .max_by_key(|(_, phrase, _)| phrase.len());
        let Some(&(code, phrase, finding)) = hit else {
            continue;
        };
        let start = before.len() - phrase.len();
        if seen.contains(&finding) {
            continue;
        }
        seen.push(finding);
        out.push(verify_failure(
            "freerdp",
            code,
            phrase,
            finding,
            [start, close + 1],
        ));
    }
}

/// FreeRDP 2's refused connect (see the module notes): at most one failed TCP test.
fn refused(text: &str, out: &mut Vec<Signal>) {
    const SYSTEM_ERROR: &str = "returned a system error ";
    if !text.contains(SYSTEM_ERROR) {
        return;
    }
    let mut prev: Option<(usize, bool)> = None;
    for line in lines(text) {
        let (_, msg) = message(line.text);
        let body = msg.trim();
        if let Some(at) = body.find(SYSTEM_ERROR) {
            let errno = body.get(at + SYSTEM_ERROR.len()..).unwrap_or("");
            if errno.starts_with("111:") {
                return push_refused(text, [line.start, line.end()], out);
            }
            if prev.is_some() {
                // Only the first socket error tells how the connection began.
                return;
            }
            prev = Some((line.start, errno.starts_with("32:")));
            continue;
        }
        if let Some((start, epipe)) = prev {
            if !body.is_empty() {
                if epipe
                    && body.contains("transport_write")
                    && body.contains("ERRCONNECT_CONNECT_TRANSPORT_FAILED")
                {
                    push_refused(text, [start, line.end()], out);
                }
                return;
            }
        }
    }
}

fn push_refused(text: &str, span: [usize; 2], out: &mut Vec<Signal>) {
    // `/v:host[:port]` from a pasted command line.
    let target = text.find("/v:").and_then(|at| {
        let arg = text.get(at + 3..)?.split(char::is_whitespace).next()?;
        let arg = arg.trim_matches(|c| c == '\'' || c == '"');
        let (host, port) = match arg.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') || h.ends_with(']') => (h, p.parse().unwrap_or(0)),
            _ => (arg, 0),
        };
        name_token(host.trim_matches(|c| c == '[' || c == ']'), 253).map(|h| (h, port))
    });
    let (host, port) = target.unwrap_or_else(|| ("the server".to_string(), 0));
    out.push(Signal::PortTest {
        host,
        port,
        findings: vec![PortFinding::TcpFailed],
        span,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Span;

    fn run(text: &str) -> (Vec<Signal>, Vec<String>) {
        let mut out = Vec::new();
        let mut hosts = Hosts::default();
        detect(text, &mut out, &mut hosts);
        (out, hosts.as_slice().to_vec())
    }

    /// FreeRDP 3, from `tls_print_certificate_name_mismatch_error` (libfreerdp/crypto/tls.c).
    pub(crate) const MISMATCH_V3: &str = "\
[14:02:11:482] [81234:81235] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
[14:02:11:482] [81234:81235] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: @           WARNING: CERTIFICATE NAME MISMATCH!           @
[14:02:11:482] [81234:81235] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
[14:02:11:482] [81234:81235] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: The hostname used for this connection (127.0.0.1:3389) 
[14:02:11:482] [81234:81235] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: does not match the names given in the certificate:
[14:02:11:482] [81234:81235] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: Common Name (CN):
[14:02:11:482] [81234:81235] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: \trdp-test.example
[14:02:11:482] [81234:81235] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: Alternative names:
[14:02:11:482] [81234:81235] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: \t rdp-test.example
[14:02:11:482] [81234:81235] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: A valid certificate for the wrong name should NOT be trusted!
";

    #[test]
    fn name_mismatch_block_with_wlog_prefixes() {
        let (out, hosts) = run(MISMATCH_V3);
        assert_eq!(hosts, ["127.0.0.1"]);
        let [Signal::CertWarning {
            warning,
            host,
            subject,
            names,
            findings,
            span,
            ..
        }] = out.as_slice()
        else {
            panic!("{out:?}")
        };
        assert_eq!(warning.as_str(), "name_mismatch");
        assert_eq!(host.as_deref(), Some("127.0.0.1"));
        assert_eq!(subject.as_deref(), Some("rdp-test.example"));
        assert_eq!(names, &["rdp-test.example"]);
        assert_eq!(findings, &[CertFinding::HostnameMismatch]);
        assert!(MISMATCH_V3[span[0]..span[1]]
            .starts_with("@           WARNING: CERTIFICATE NAME MISMATCH!"));
        assert!(MISMATCH_V3[..span[1]].ends_with("should NOT be trusted!"));
    }

    #[test]
    fn verification_reasons_become_findings() {
        let text = "[WARN][com.freerdp.crypto] - Certificate verification failure 'self-signed certificate (18)' at stack position 0\n\
                    [WARN][com.freerdp.crypto] - CN = rdp-test.example\n\
                    verify error: certificate has expired (10); also Certificate Is Not Yet Valid (9)\n\
                    self signed certificate in certificate chain (19), unable to get local issuer certificate (20)\n\
                    took 18 s (18) and port (3389) and hostname mismatch (61)";
        let (out, _) = run(text);
        let got: Vec<(String, &str)> = out
            .iter()
            .map(|s| match s {
                Signal::CertWarning {
                    reason: Some(r),
                    span,
                    ..
                } => (r.clone(), &text[span[0]..span[1]]),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "self-signed certificate (18)".to_string(),
                    "self-signed certificate (18)"
                ),
                (
                    "certificate has expired (10)".to_string(),
                    "certificate has expired (10)"
                ),
                (
                    "certificate is not yet valid (9)".to_string(),
                    "Certificate Is Not Yet Valid (9)"
                ),
                (
                    "unable to get local issuer certificate (20)".to_string(),
                    "unable to get local issuer certificate (20)"
                ),
            ],
            "19 is self_signed again, reported once"
        );
    }

    #[test]
    fn certificate_details_and_changed_host_key() {
        // client_cli_verify_certificate_ex (client/common/client.c).
        let text = "Certificate details for win-srv01.contoso.local:3389 (RDP-Server):\n\
                    \tCommon Name: WIN-SRV01\n\
                    \tSubject:     CN = WIN-SRV01\n\
                    \tIssuer:      CN = WIN-SRV01\n\
                    \tThumbprint:  3a:1f:00:aa\n\
                    The above X.509 certificate could not be verified, possibly because you do not have\n\
                    [ERROR][com.freerdp.crypto] - The host key for srv02:3389 has changed\n";
        let (out, hosts) = run(text);
        assert_eq!(hosts, ["win-srv01.contoso.local", "srv02"]);
        let got: Vec<String> = out.iter().map(|s| format!("{s:?}")).collect();
        assert_eq!(got.len(), 2, "{got:?}");
        let Signal::CertWarning {
            warning,
            subject,
            issuer,
            findings,
            ..
        } = &out[0]
        else {
            panic!()
        };
        assert_eq!(warning.as_str(), "certificate_details");
        assert_eq!(subject.as_deref(), Some("CN = WIN-SRV01"));
        assert_eq!(issuer.as_deref(), Some("CN = WIN-SRV01"));
        assert_eq!(findings, &[CertFinding::SelfSigned]);
        let Signal::CertWarning {
            warning, findings, ..
        } = &out[1]
        else {
            panic!()
        };
        assert_eq!(warning.as_str(), "host_key_changed");
        assert!(findings.is_empty());
    }

    #[test]
    fn truncations_and_odd_bytes_never_panic() {
        let odd =
            "é(18)\n(18)\nself-signed certificate (é)\n(\n)\nü self signed certificate (18)\n\
                   [x][y] - [z]: Certificate details for é:1 (é):\n\tSubject: é\n\tIssuer: é\n\
                   The host key for :: has changed\n!!!Certificate for  has changed!!!";
        for text in [MISMATCH_V3, odd] {
            for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let cut = &text[..end];
                let (out, _) = run(cut);
                for s in &out {
                    let Signal::CertWarning { span, .. } = s else {
                        panic!("{s:?}")
                    };
                    assert!(span[0] <= span[1] && cut.get(span[0]..span[1]).is_some());
                }
            }
        }
    }

    #[test]
    fn freerdp2_refused_connect_is_a_failed_tcp_test() {
        let p = "[14:06:01:197] [27685:27692] [ERROR][com.freerdp.core";
        let refused = format!(
            "{p}.transport] - BIO_should_retry returned a system error 32: Broken pipe\n\
             {p}] - transport_write:freerdp_set_last_error_ex ERRCONNECT_CONNECT_TRANSPORT_FAILED [0x0002000D]\n\
             {p}.transport] - BIO_should_retry returned a system error 32: Broken pipe\n"
        );
        let tcp = |text: &str| -> Vec<(String, u16, Span)> {
            run(text)
                .0
                .into_iter()
                .filter_map(|s| match s {
                    Signal::PortTest {
                        host, port, span, ..
                    } => Some((host, port, span)),
                    _ => None,
                })
                .collect()
        };
        let got = tcp(&refused);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0.as_str(), got[0].1), ("the server", 0));
        assert!(refused[got[0].2[0]..got[0].2[1]].ends_with("[0x0002000D]"));
        let named = format!("$ xfreerdp /v:10.0.0.5:3390 /u:test\n{refused}");
        assert_eq!(tcp(&named)[0].0, "10.0.0.5");
        assert_eq!(tcp(&named)[0].1, 3390);
        assert_eq!(
            tcp(&format!(
                "{p}] - BIO_read returned a system error 111: Connection refused\n"
            ))[0]
                .0,
            "the server"
        );
        // A server that accepts and closes: the read fails, not the connect.
        let reset = format!(
            "{p}.transport] - BIO_read returned a system error 104: Connection reset by peer\n\
             {p}] - transport_read_layer:freerdp_set_last_error_ex ERRCONNECT_CONNECT_TRANSPORT_FAILED [0x0002000D]\n"
        );
        assert!(tcp(&reset).is_empty());
        // A broken pipe after a read error, or not followed by the failed write, is not a refused connect.
        assert!(tcp(&format!("{reset}{refused}")).is_empty());
        assert!(tcp("BIO_should_retry returned a system error 32: Broken pipe\nbye\n").is_empty());
        for cut in 0..refused.len() {
            if let Some(t) = refused.get(..cut) {
                let _ = run(t);
            }
        }
    }

    #[test]
    fn ordinary_text_is_not_a_warning() {
        let (out, hosts) = run(
            "Certificate details are on the wiki (see page (3)).\nThe hostname used for this connection (x)\n(",
        );
        assert!(hosts.is_empty());
        assert!(out.is_empty(), "{out:?}");
    }
}
