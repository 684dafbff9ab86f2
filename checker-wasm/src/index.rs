//! The knowledge index: everything the checker knows, compiled by the generator from `content/`.
//!
//! ## Why a separate, versioned shape
//! Knowledge lives in content, recognition lives in code. The generator turns pages and code tables into this
//! one JSON document; the engine reads nothing else. The browser fetches it next to the wasm module, and
//! `fixbook diagnose` builds it in memory, so both answer the same. Bump [`INDEX_VERSION`] on any change a
//! reader of older JSON would misread.

use serde::{Deserialize, Serialize};

/// Version of the JSON shape below. The front end refuses an index whose version it does not know.
pub const INDEX_VERSION: u32 = 2;

/// Everything the checker knows about a site.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KnowledgeIndex {
    /// Always [`INDEX_VERSION`] when written by this crate's generator.
    pub version: u32,
    /// Code tables (`content/codes/<scheme>.yaml`), in scheme order.
    pub tables: Vec<CodeTable>,
    /// Error pages: what the reader sees, with ranked candidate causes.
    pub errors: Vec<ErrorEntry>,
    /// Cause pages with the signals that point at them and their ranked fixes.
    pub causes: Vec<CauseEntry>,
    /// The connection stages, in order (`[[checker.stages]]` of `site.toml`). Empty: no stage ranking.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Stage>,
    /// What the checker says when a paste shows too little: the site's words, not the engine's.
    #[serde(default)]
    pub notes: Notes,
}

/// One stage a connection goes through (name lookup, TCP, TLS...), as the site declares it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub id: String,
    /// What readers see in the stage strip.
    pub label: String,
    /// Phrases that show the connection got past this stage (matched like a message).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passed: Vec<String>,
    /// Ports whose port test shows this stage: a test of one of them that connected shows the connection got
    /// past it, one whose TCP connect failed shows it failed here. A test of another port shows no stage.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<u16>,
    /// Not every connection goes through it (an RD Gateway): once the connection got further, readers see
    /// "passed or not used".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
}

/// The label of stage `id` among `stages`, or `id` itself when the site does not declare it.
pub fn stage_label<'a>(stages: &'a [Stage], id: &'a str) -> &'a str {
    stages
        .iter()
        .find(|s| s.id == id)
        .map_or(id, |s| s.label.as_str())
}

/// The site's advice for a paste that shows too little. Empty fields fall back to the engine's generic
/// sentences, which name no product, log or command.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Notes {
    /// What to paste instead, when nothing in the paste was recognised (the engine says that first).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub what_to_paste: String,
    /// Error pages matched but nothing confirms a cause: which evidence would.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub no_evidence: String,
    /// How to narrow the candidates down, said after how many weaker ones a report leaves out
    /// (`limits::MAX_CAUSES`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub more_causes: String,
}

/// How a table's values are written and compared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// Numeric codes, canonical form lower-case hex (`0x904`).
    #[default]
    Code,
    /// Windows event ids, canonical form decimal (`36870`). The table named `event` is this kind.
    Event,
}

/// One code table, e.g. `disconnect`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeTable {
    /// Table name, used as `scheme` in signals and in content (`disconnect`, `extended`, ...).
    pub scheme: String,
    pub title: String,
    pub kind: TableKind,
    /// Site-relative URL of the table's page, e.g. `/codes/disconnect/`.
    pub url: String,
    /// Phrases that introduce a value of this table in real text ("Extended error code:").
    pub labels: Vec<String>,
    pub rows: Vec<CodeRow>,
    /// The first hex digits of the table's eight-digit values (bit n: digit n), when `rows` does not hold
    /// them all: a shard-assembled index (`shard`) has only the rows a paste needs, but the code detector
    /// still decides an unknown value's table by the family of *all* its rows. 0: read them from `rows`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub families: u16,
}

fn is_zero(n: &u16) -> bool {
    *n == 0
}

/// One row of a code table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeRow {
    /// Canonical value: lower-case hex with `0x` (`0x904`) for codes, decimal for event ids.
    pub value: String,
    pub name: String,
    pub meaning: String,
    /// For event tables: the event's provider, as Event Viewer names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Cause ids this row points at, most likely first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<String>,
    /// The connection stage at which this code is raised: seeing it shows the connection got that far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Earlier stages at which the same code is also raised (a client's TLS error for an RD Gateway's own
    /// handshake as well as the server's): the code then shows `stage` only in a paste that shows the
    /// connection got past every one of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_at: Vec<String>,
    /// First client or server version that has this code, e.g. `FreeRDP 3.18.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Last version that has it, when it was removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// The clients, servers or versions the row holds for, when not all (`FreeRDP development branch
    /// (after 3.30.0)`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<String>,
    /// Site-relative URL of the row on the table's page, with its anchor.
    pub url: String,
}

/// A code as written on an error page or in a signal: a table name and a canonical value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CodeRef {
    pub scheme: String,
    pub value: String,
}

/// An error page: what the reader sees.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorEntry {
    // Empty in a bucket of the sharded index, which carries what ranking reads (see `shard::details`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    pub codes: Vec<CodeRef>,
    /// Dialog or log text shown by this error, matched case-insensitively.
    pub messages: Vec<String>,
    /// Candidate causes, ranked, with the page's reason for each.
    pub causes: Vec<CandidateCause>,
    /// What to paste next to tell these causes apart (the page's own logs and commands): said instead of the
    /// site's generic `no_evidence` advice when the page is matched and nothing confirms a cause.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub collect: String,
}

/// A cause listed by an error page, with why it fits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CandidateCause {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub why: String,
}

/// A cause page with its signals and fixes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CauseEntry {
    pub id: String,
    // Title, URL and fixes are empty in a bucket of the sharded index (see `shard::details`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signals: Vec<WeightedSignal>,
    /// Ranked fixes, each pointing at the page or at a step of it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<FixLink>,
    /// The connection stage this cause makes fail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
}

/// A signal that points at a cause, and how strongly. Read through `RawSignal`, not with serde's
/// `flatten`, whose buffering of every field costs the wasm module kilobytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawSignal")]
pub struct WeightedSignal {
    #[serde(flatten)]
    pub signal: SignalRule,
    pub weight: f64,
    /// The stage this signal shows the connection failed at, when the signal itself says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
}

/// A [`WeightedSignal`] as written: one of the rule's fields, a weight, maybe a stage.
#[derive(Deserialize)]
struct RawSignal {
    #[serde(default)]
    code: Option<CodeRef>,
    #[serde(default)]
    event: Option<RawEvent>,
    #[serde(default)]
    cert: Option<CertFinding>,
    #[serde(default)]
    port_test: Option<PortFinding>,
    #[serde(default)]
    text: Option<String>,
    weight: f64,
    #[serde(default)]
    stage: Option<String>,
}

#[derive(Deserialize)]
struct RawEvent {
    source: String,
    id: u32,
}

impl TryFrom<RawSignal> for WeightedSignal {
    type Error = &'static str;

    fn try_from(r: RawSignal) -> Result<Self, Self::Error> {
        let rules = [
            r.code.map(SignalRule::Code),
            r.event.map(|e| SignalRule::Event {
                source: e.source,
                id: e.id,
            }),
            r.cert.map(SignalRule::Cert),
            r.port_test.map(SignalRule::PortTest),
            r.text.map(SignalRule::Text),
        ];
        let mut rules = rules.into_iter().flatten();
        match (rules.next(), rules.next()) {
            (Some(signal), None) => Ok(WeightedSignal {
                signal,
                weight: r.weight,
                stage: r.stage,
            }),
            _ => Err("a signal names exactly one of code, event, cert, port_test and text"),
        }
    }
}

/// What in a paste points at a cause. Mirrors the `signals` entries of a cause's front matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalRule {
    /// A code from a table.
    Code(CodeRef),
    /// An event by provider (case-insensitive, with or without `Microsoft-Windows-`) and id.
    Event { source: String, id: u32 },
    /// A finding about a pasted certificate.
    Cert(CertFinding),
    /// A result of a pasted port test.
    PortTest(PortFinding),
    /// A phrase, matched case-insensitively and across wrapped lines.
    Text(String),
}

/// Findings about a certificate; names are the content model's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertFinding {
    Expired,
    NotYetValid,
    WeakKey,
    Sha1Signature,
    MissingServerAuthEku,
    HostnameMismatch,
    SelfSigned,
    ChainIncomplete,
}

impl CertFinding {
    /// Every finding, in the content model's order.
    pub const ALL: [CertFinding; 8] = [
        CertFinding::Expired,
        CertFinding::NotYetValid,
        CertFinding::WeakKey,
        CertFinding::Sha1Signature,
        CertFinding::MissingServerAuthEku,
        CertFinding::HostnameMismatch,
        CertFinding::SelfSigned,
        CertFinding::ChainIncomplete,
    ];

    /// The name used in content and JSON, e.g. `missing_server_auth_eku`.
    pub fn as_str(self) -> &'static str {
        match self {
            CertFinding::Expired => "expired",
            CertFinding::NotYetValid => "not_yet_valid",
            CertFinding::WeakKey => "weak_key",
            CertFinding::Sha1Signature => "sha1_signature",
            CertFinding::MissingServerAuthEku => "missing_server_auth_eku",
            CertFinding::HostnameMismatch => "hostname_mismatch",
            CertFinding::SelfSigned => "self_signed",
            CertFinding::ChainIncomplete => "chain_incomplete",
        }
    }
}

/// Results of a port test (PowerShell's connection test, `telnet`, `nc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortFinding {
    TcpFailed,
    PingFailed,
    /// The test could not resolve the name it was given, so it tested neither TCP nor ping.
    NameFailed,
}

impl PortFinding {
    /// Every finding, in the content model's order.
    pub const ALL: [PortFinding; 3] = [
        PortFinding::TcpFailed,
        PortFinding::PingFailed,
        PortFinding::NameFailed,
    ];

    /// The name used in content and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PortFinding::TcpFailed => "tcp_failed",
            PortFinding::PingFailed => "ping_failed",
            PortFinding::NameFailed => "name_failed",
        }
    }

    /// What readers see, in the page and in the ticket text alike.
    pub fn label(self) -> &'static str {
        match self {
            PortFinding::TcpFailed => "TCP connection failed",
            PortFinding::PingFailed => "ping failed",
            PortFinding::NameFailed => "the name did not resolve",
        }
    }
}

/// A fix to read for a cause: the fix page, or one step of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FixLink {
    /// The fix page's id (without the step).
    pub id: String,
    pub title: String,
    /// Site-relative URL, with `#step-id` when the cause names a step.
    pub url: String,
    /// The title of the step the URL names (its heading), so a report can say which step to follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
}

/// Canonical form of a code value: lower-case hex with `0x`, no leading zeros (`0x00000904` -> `0x904`).
///
/// Accepts `0x`/`0X` hex only. Decimal is not accepted here because in content a bare number is ambiguous
/// (is `260` 0x104 or 0x260?); the detectors convert decimal they find after a known label themselves.
pub fn canonical_code(raw: &str) -> Option<String> {
    let digits = raw
        .trim()
        .strip_prefix("0x")
        .or_else(|| raw.trim().strip_prefix("0X"))?;
    if digits.is_empty() || digits.len() > 16 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let n = u64::from_str_radix(digits, 16).ok()?;
    Some(format!("{n:#x}"))
}

/// Canonical form of an event id: decimal, no leading zeros, at most 65535 (event ids are 16-bit).
pub fn canonical_event_id(raw: &str) -> Option<u32> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 5 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse::<u32>().ok().filter(|n| *n <= 65535)
}

/// Event providers compare without case and without the `Microsoft-Windows-` prefix.
pub fn same_event_source(a: &str, b: &str) -> bool {
    fn strip(s: &str) -> &str {
        let s = s.trim();
        match s.get(..18) {
            Some(p) if p.eq_ignore_ascii_case("microsoft-windows-") => s.get(18..).unwrap_or(s),
            _ => s,
        }
    }
    strip(a).eq_ignore_ascii_case(strip(b))
}

impl KnowledgeIndex {
    /// The table with this scheme name.
    pub fn table(&self, scheme: &str) -> Option<&CodeTable> {
        self.tables.iter().find(|t| t.scheme == scheme)
    }

    /// The cause with this id.
    pub fn cause(&self, id: &str) -> Option<&CauseEntry> {
        self.causes.iter().find(|c| c.id == id)
    }

    /// The row of event `id` from `source` in the event tables (a row without a source fits any source).
    pub fn event_row(&self, source: &str, id: u32) -> Option<&CodeRow> {
        let id = id.to_string();
        self.tables
            .iter()
            .filter(|t| t.kind == TableKind::Event)
            .flat_map(|t| &t.rows)
            .find(|r| {
                r.value == id
                    && r.source
                        .as_deref()
                        .is_none_or(|s| same_event_source(s, source))
            })
    }

    /// The position of stage `id` in the site's order.
    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_code_normalises_case_and_zeros() {
        assert_eq!(canonical_code("0x00000904").as_deref(), Some("0x904"));
        assert_eq!(canonical_code("0X8009030D").as_deref(), Some("0x8009030d"));
        assert_eq!(canonical_code("0x0").as_deref(), Some("0x0"));
        assert_eq!(canonical_code("904"), None);
        assert_eq!(canonical_code("0x"), None);
        assert_eq!(canonical_code("0xg1"), None);
    }

    #[test]
    fn event_ids_are_decimal_and_16_bit() {
        assert_eq!(canonical_event_id("36870"), Some(36870));
        assert_eq!(canonical_event_id("0x10"), None);
        assert_eq!(canonical_event_id("70000"), None);
    }

    #[test]
    fn event_sources_ignore_prefix_and_case() {
        assert!(same_event_source("Microsoft-Windows-Schannel", "schannel"));
        assert!(same_event_source("Schannel", "SCHANNEL"));
        assert!(!same_event_source("Schannel", "TermService"));
    }
}
