//! The engine's answer: what was recognised, which causes fit, what could not be read.
//!
//! The JSON form of [`Report`] is a public contract (`fixbook diagnose --json`, the browser front end,
//! outside tools): field names and shapes change only with a version note in `ARCHITECTURE.md`.
//! Spans are UTF-8 byte offsets `[start, end)` into the paste.

use serde::Serialize;

use crate::index::{CertFinding, PortFinding};

/// A byte range `[start, end)` of the paste.
pub type Span = [usize; 2];

/// Whether signal `i` of `signals` is a message lying inside another message's span (the same dialog line
/// read by a longer pattern of another page: "...remote computer." and "...remote computer. Try connecting
/// again"), or inside a log line a log reader lists whole (xrdp-sesman's "pam_authenticate failed: ..." is
/// both a page's phrase and the line). Readers see the line once; the report's JSON keeps both, since each
/// names its page or program.
pub(crate) fn is_repeated_message(signals: &[Signal], i: usize) -> bool {
    let Some(Signal::Message { span: [a, b], .. }) = signals.get(i) else {
        return false;
    };
    signals.iter().enumerate().any(|(j, s)| match s {
        Signal::Message { span: [c, d], .. } if j != i => {
            c <= a && b <= d && (d - c > b - a || (d - c == b - a && j < i))
        }
        Signal::LogLine { span: [c, d], .. } => c <= a && b <= d,
        _ => false,
    })
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// What `diagnose` found in one paste.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Everything recognised, in order of position in the paste.
    pub signals: Vec<Signal>,
    /// Causes that fit, best first: at most the engine's cap (`limits::MAX_CAUSES`).
    pub causes: Vec<RankedCause>,
    /// How many weaker ranked causes the cap left out of `causes` (omitted when none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub more_causes: usize,
    /// Things that looked like a certificate, key, code... but could not be read.
    pub unreadable: Vec<Unreadable>,
    /// Advice for the reader, e.g. what to paste when nothing was recognised.
    pub notes: Vec<String>,
    /// How far the connection got, when the site declares stages and the paste shows one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<StageReport>,
}

/// How far the connection got and where it failed (the **Connection stages** contract).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StageReport {
    /// The latest stage the paste shows the connection got to.
    pub reached: String,
    /// The latest stage with a failure signal, when no later stage was shown passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<String>,
    /// What in the paste shows each stage, earliest stage first.
    pub why: Vec<String>,
}

/// How sure a ranked cause is, in the words readers see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Evidence the content calls decisive (signal weights adding up to 2 or more).
    Confirmed,
    /// Some confirming evidence, not decisive.
    Likely,
    /// Listed for a recognised code or message; nothing in the paste confirms it, or the connection got
    /// past its stage, or the paste shows a failure that no cause explains.
    Candidate,
}

impl Confidence {
    /// The word shown to readers.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Confirmed => "confirmed",
            Confidence::Likely => "likely",
            Confidence::Candidate => "candidate",
        }
    }
}

/// One thing recognised in the paste.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Signal {
    /// A code from a table, after a label the table knows or in a self-describing form (HRESULT).
    Code {
        scheme: String,
        /// Canonical lower-case hex, e.g. `0x904`.
        value: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        meaning: Option<String>,
        /// Site-relative URL of the code's row on its table page.
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<String>,
        /// The first version that has this code, when its row says (`FreeRDP 3.18.0`).
        #[serde(skip_serializing_if = "Option::is_none")]
        since: Option<String>,
        /// The last version that has it, when its row says.
        #[serde(skip_serializing_if = "Option::is_none")]
        until: Option<String>,
        /// What the row holds for, when not every client or server (`FreeRDP development branch`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        applies_to: Vec<String>,
        span: Span,
    },
    /// An event-log entry.
    Event {
        #[serde(skip_serializing_if = "Option::is_none")]
        log: Option<String>,
        source: String,
        id: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        level: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        meaning: Option<String>,
        span: Span,
    },
    /// A port test (PowerShell's connection test, `telnet`, `nc`).
    PortTest {
        host: String,
        port: u16,
        findings: Vec<PortFinding>,
        span: Span,
    },
    /// A known phrase from an error page or a cause's `text` signal.
    Message { text: String, span: Span },
    /// A phrase the site declares as showing that the connection got past a stage.
    Progress {
        /// The stage passed (a stage id of the site).
        stage: String,
        text: String,
        span: Span,
    },
    /// A decoded X.509 certificate.
    Certificate(Box<CertificateFacts>),
    /// A client's certificate warning (FreeRDP's name-mismatch block, "Certificate details", OpenSSL
    /// verification reasons, a changed host key): the same findings as a decoded certificate.
    CertWarning {
        /// The client that printed it: `freerdp` or `openssl`.
        source: String,
        /// What the warning was about.
        warning: CertWarningKind,
        /// The host the client connected to.
        #[serde(skip_serializing_if = "Option::is_none")]
        host: Option<String>,
        /// The certificate's subject (or Common Name) as the client printed it.
        #[serde(skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        issuer: Option<String>,
        /// The certificate's alternative names, when the client listed them.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        names: Vec<String>,
        /// The verification failure in OpenSSL's words and number, e.g. `certificate has expired (10)`.
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        findings: Vec<CertFinding>,
        span: Span,
    },
    /// An error line of a gateway or server log (`guacd`, `xrdp`, `xrdp-sesman`): the paste shows a failure,
    /// whether or not a cause explains it.
    LogLine {
        /// The program that logged it: `guacd`, `xrdp`, `xrdp-sesman` (or another `xrdp-*` syslog tag).
        program: String,
        /// The level as printed, upper case: `ERROR` (guacd's failure summary keeps its `INFO`).
        level: String,
        /// The message without timestamp, tag and level, trimmed, at most 300 characters.
        text: String,
        span: Span,
    },
    /// A TLS failure a client logged (FreeRDP's failed handshake, refused certificate, or an OpenSSL error
    /// on its transport), in the checker's words: only the OpenSSL code and the names of known reasons.
    TlsError {
        /// The client that printed it: `freerdp`.
        source: &'static str,
        failure: TlsFailure,
        /// OpenSSL's packed error code as printed, 8 upper-case hex digits (`0A000086`).
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        /// OpenSSL 1.x's function number, decoded from `error`.
        #[serde(skip_serializing_if = "Option::is_none")]
        function: Option<u32>,
        /// OpenSSL's SSL-library reason number, decoded from `error` (134: certificate verify failed).
        #[serde(skip_serializing_if = "Option::is_none")]
        reason_code: Option<u32>,
        /// OpenSSL's string for the reason, when the checker knows it.
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<&'static str>,
        span: Span,
    },
    /// A private key: recognised, never copied. Only its position and type are kept.
    PrivateKey { key_type: KeyType, span: Span },
}

/// Facts about one certificate, as shown in the certificate card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertificateFacts {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    /// DNS names and IP addresses from the subject alternative name extension.
    pub sans: Vec<String>,
    /// RFC 3339 UTC.
    pub not_before: String,
    /// RFC 3339 UTC.
    pub not_after: String,
    /// Whole days until `not_after` from `now`, truncated toward zero; negative once expired by a full day.
    pub days_left: i64,
    /// e.g. `RSA 2048`, `EC P-256`.
    pub key: String,
    /// e.g. `sha256WithRSAEncryption`.
    pub signature_algorithm: String,
    pub key_usage: Vec<String>,
    /// EKU OIDs with their names where known; empty when the extension is absent.
    pub extended_key_usage: Vec<String>,
    /// True when the paste did not show the certificate's extensions (an `s_client` chain entry, an
    /// `x509 -noout -dates` output): its usages and names are unknown, not absent. Omitted when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub extensions_unknown: bool,
    pub self_signed: bool,
    pub is_ca: bool,
    /// Position in the pasted chain, 0 for the first certificate.
    pub chain_position: usize,
    pub findings: Vec<CertFinding>,
    pub span: Span,
}

impl CertificateFacts {
    /// What a certificate card shows for a field the paste may not have shown (OpenSSL's text output
    /// prints some fields only): the value, or that it was not in the paste.
    pub fn shown(value: &str) -> &str {
        if value.is_empty() {
            "(not in the paste)"
        } else {
            value
        }
    }

    /// The extended key usages as a card shows them: listed, `none` when the certificate has none (any
    /// purpose), or that the paste did not show them.
    pub fn usages(&self, none: &str) -> String {
        if self.extensions_unknown {
            Self::shown("").to_string()
        } else if self.extended_key_usage.is_empty() {
            none.to_string()
        } else {
            self.extended_key_usage.join(", ")
        }
    }

    /// The validity period as a card shows it: `from to until`, or `until until` without a start.
    pub fn period(&self, from: &str, until: &str) -> String {
        if self.not_before.is_empty() {
            format!("until {until}")
        } else {
            format!("{from} to {until}")
        }
    }
}

/// A cause that fits the paste.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedCause {
    pub id: String,
    pub title: String,
    pub url: String,
    /// 0..=1, normalised over this report.
    pub score: f64,
    pub confidence: Confidence,
    /// The connection stage the cause belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Human reasons, e.g. "the certificate WIN-SRV01 expired 387 days ago".
    pub why: Vec<String>,
    /// Ranked fixes, each with the URL of the exact step where the cause names one.
    pub fixes: Vec<RankedFix>,
}

/// A fix to read for a cause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedFix {
    pub id: String,
    pub title: String,
    pub url: String,
    /// The title of the step the URL names, when the cause names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
}

/// Something that looked like a known thing but could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unreadable {
    pub what: UnreadableKind,
    pub why: String,
    pub span: Span,
}

#[cfg(test)]
mod repeated_message_tests {
    use super::{is_repeated_message, Signal};

    fn message(text: &str, span: [usize; 2]) -> Signal {
        Signal::Message {
            text: text.into(),
            span,
        }
    }

    #[test]
    fn a_message_inside_a_longer_one_is_listed_once() {
        let signals = [
            message("can't connect", [10, 23]),
            message("can't connect. Try again", [10, 34]),
            message("elsewhere", [50, 59]),
            message("can't connect", [10, 23]),
        ];
        let repeated: Vec<bool> = (0..signals.len())
            .map(|i| is_repeated_message(&signals, i))
            .collect();
        // The shorter line inside the longer one, and the second of two equal spans, are not listed again.
        assert_eq!(repeated, [true, false, false, true]);
        assert!(!is_repeated_message(&signals[..1], 0));
        // A log line listed whole holds the phrase a page matched: listed once, as the line.
        let line = Signal::LogLine {
            program: "xrdp-sesman".into(),
            level: "ERROR".into(),
            text: "pam_authenticate failed: Authentication failure".into(),
            span: [21, 90],
        };
        let signals = [message("pam_authenticate failed", [40, 63]), line];
        assert!(is_repeated_message(&signals, 0));
        assert!(!is_repeated_message(&signals, 1));
    }
}

/// What a client's certificate warning is about (`CertWarning.warning`): a closed set, so a detector cannot
/// print a word the front end and the JSON contract do not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertWarningKind {
    /// FreeRDP: the certificate's names do not include the host connected to.
    NameMismatch,
    /// FreeRDP's "Certificate details" block for a certificate it does not trust.
    CertificateDetails,
    /// An OpenSSL verification failure with its reason.
    VerifyFailure,
    /// FreeRDP: the host's key differs from the one it stored.
    HostKeyChanged,
}

/// What a client's TLS failure line shows (`TlsError.failure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsFailure {
    /// The TLS handshake failed.
    Handshake,
    /// The handshake succeeded and the client refused the server's certificate.
    CertificateRefused,
    /// An OpenSSL error when reading from an established connection.
    Read,
    /// An OpenSSL error when writing to an established connection.
    Write,
}

/// The type of a pasted private key (`PrivateKey.key_type`), from its PEM label or its DER structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyType {
    Rsa,
    Pkcs8,
    Ec,
    EncryptedPkcs8,
    Openssh,
    Dsa,
    Pgp,
    Ssh2,
    /// A PKCS#12 bundle, which carries a key.
    Pkcs12,
    /// A PuTTY key file (`PuTTY-User-Key-File-`).
    Putty,
    /// A `... PRIVATE KEY` label of no known type.
    Unknown,
}

/// What an [`Unreadable`] part looked like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnreadableKind {
    /// A certificate (PEM, base64 or DER) that does not decode.
    Certificate,
    /// A PEM block that is not a certificate.
    Pem,
}

/// The names as in the JSON, for the text report and the page.
macro_rules! names {
    ($($t:ty { $($v:ident => $s:literal),* $(,)? })*) => {$(
        impl $t {
            /// The name the JSON report uses.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

names! {
    CertWarningKind {
        NameMismatch => "name_mismatch",
        CertificateDetails => "certificate_details",
        VerifyFailure => "verify_failure",
        HostKeyChanged => "host_key_changed",
    }
    TlsFailure {
        Handshake => "handshake",
        CertificateRefused => "certificate_refused",
        Read => "read",
        Write => "write",
    }
    KeyType {
        Rsa => "rsa", Pkcs8 => "pkcs8", Ec => "ec", EncryptedPkcs8 => "encrypted_pkcs8", Openssh => "openssh",
        Dsa => "dsa", Pgp => "pgp", Ssh2 => "ssh2", Pkcs12 => "pkcs12", Putty => "putty", Unknown => "unknown",
    }
    UnreadableKind {
        Certificate => "certificate",
        Pem => "pem",
    }
}

#[cfg(test)]
mod closed_set_tests {
    use super::*;

    /// The JSON name and `as_str` are one: the text report and the page print what the JSON says.
    #[test]
    fn names_serialise_as_printed() {
        let all: Vec<(String, &str)> = [
            CertWarningKind::NameMismatch,
            CertWarningKind::CertificateDetails,
            CertWarningKind::VerifyFailure,
            CertWarningKind::HostKeyChanged,
        ]
        .iter()
        .map(|k| (serde_json::to_string(k).unwrap_or_default(), k.as_str()))
        .chain(
            [
                KeyType::Rsa,
                KeyType::Pkcs8,
                KeyType::Ec,
                KeyType::EncryptedPkcs8,
                KeyType::Openssh,
                KeyType::Dsa,
                KeyType::Pgp,
                KeyType::Ssh2,
                KeyType::Pkcs12,
                KeyType::Putty,
                KeyType::Unknown,
            ]
            .iter()
            .map(|k| (serde_json::to_string(k).unwrap_or_default(), k.as_str())),
        )
        .chain(
            [
                TlsFailure::Handshake,
                TlsFailure::CertificateRefused,
                TlsFailure::Read,
                TlsFailure::Write,
            ]
            .iter()
            .map(|k| (serde_json::to_string(k).unwrap_or_default(), k.as_str())),
        )
        .chain(
            [UnreadableKind::Certificate, UnreadableKind::Pem]
                .iter()
                .map(|k| (serde_json::to_string(k).unwrap_or_default(), k.as_str())),
        )
        .collect();
        for (json, name) in all {
            assert_eq!(json, format!("\"{name}\""));
        }
    }
}
