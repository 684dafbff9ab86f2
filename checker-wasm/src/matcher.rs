//! The matcher: joins the paste's signals with the index's causes.
//!
//! For each cause it collects the **evidence** (its own `signals` found in the paste, each with its weight
//! and a human reason) and its **candidacy** (an error page or a code-table row that the paste matched
//! lists the cause). [`crate::rank`] turns both into scores.

use std::collections::HashMap;

use crate::detect::cert::short_name;
use crate::detect::scan::normalize;
use crate::index::{
    canonical_code, same_event_source, CauseEntry, CertFinding, CodeRef, ErrorEntry,
    KnowledgeIndex, PortFinding, SignalRule, TableKind,
};
use crate::report::{CertificateFacts, Signal};

/// Weight a candidate cause gets from an error page that lists it at rank 0; the cause at rank `r` gets
/// `CANDIDATE_WEIGHT / (r + 1)`, times the share of the paste its page matched compared with the most
/// specific page matched (codes and message). A code-table row's causes count as one rank lower than a
/// page's: a row says what a code can mean anywhere, a page what fits what the reader saw.
///
/// ## Why 0.3
/// Being listed is a hint, not evidence: a single confirming signal (weight 1.0 by default) must outrank
/// any candidate, and after normalisation an unconfirmed candidate stays at or below 0.3.
pub(crate) const CANDIDATE_WEIGHT: f64 = 0.3;

/// A candidate's best weight, its tie-break order and the reasons of the pages that list it.
type Candidacy = (f64, Order, Vec<String>);

/// Tie-break order of a candidate: (how little of the paste its page matched, page index, rank there).
/// An error page that matched more of the paste (its code *and* its message) is the more specific one, so
/// its order of causes wins a tie over a page that shares only a code.
pub(crate) type Order = (usize, usize, usize);

/// One of a cause's signals, found in the paste.
#[derive(Debug, Clone)]
pub(crate) struct Evidence {
    pub(crate) weight: f64,
    /// The human reason, e.g. "event 36870 from <provider>: ...".
    pub(crate) why: String,
    /// The stage the content says this signal shows the connection failed at.
    pub(crate) stage: Option<String>,
}

/// What the paste says about one cause.
#[derive(Debug, Clone)]
pub(crate) struct Assessment<'a> {
    pub(crate) cause: &'a CauseEntry,
    /// Confirming signals.
    pub(crate) evidence: Vec<Evidence>,
    /// Best candidate weight (the maximum over the pages and rows that list the cause, not their sum: two
    /// listings are still no evidence).
    pub(crate) candidate: f64,
    /// Reasons from the error pages that list the cause.
    pub(crate) page_why: Vec<String>,
    /// Tie-break: (first matched error page listing it, rank there). Causes only rows list come after.
    pub(crate) order: Order,
}

fn canon(v: &str) -> String {
    canonical_code(v).unwrap_or_else(|| v.trim().to_ascii_lowercase())
}

/// The codes of the paste, as `CodeRef`s: code signals and, for event signals, the event table's scheme.
fn code_refs(signals: &[Signal], index: &KnowledgeIndex) -> Vec<CodeRef> {
    let event_scheme = index
        .tables
        .iter()
        .find(|t| t.kind == TableKind::Event)
        .map(|t| t.scheme.clone());
    let mut refs = Vec::new();
    for s in signals {
        match s {
            Signal::Code { scheme, value, .. } => refs.push(CodeRef {
                scheme: scheme.clone(),
                value: value.clone(),
            }),
            Signal::Event { id, .. } => {
                if let Some(scheme) = &event_scheme {
                    refs.push(CodeRef {
                        scheme: scheme.clone(),
                        value: id.to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    refs
}

fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// What would confirm a rule, for the `why` of an unconfirmed candidate.
pub(crate) fn describe_rule(rule: &SignalRule) -> String {
    match rule {
        SignalRule::Code(c) => format!("code {} ({})", canon(&c.value), c.scheme),
        SignalRule::Event { source, id } => format!("event {id} from {source}"),
        SignalRule::Cert(f) => match f {
            CertFinding::Expired => "a certificate that is expired",
            CertFinding::NotYetValid => "a certificate that is not yet valid",
            CertFinding::WeakKey => "a certificate with a weak key",
            CertFinding::Sha1Signature => "a certificate signed with SHA-1",
            CertFinding::MissingServerAuthEku => {
                "a certificate without Server Authentication in its EKU"
            }
            CertFinding::HostnameMismatch => "a certificate that does not name the server",
            CertFinding::SelfSigned => "a self-signed certificate",
            CertFinding::ChainIncomplete => "an incomplete certificate chain",
        }
        .to_string(),
        SignalRule::PortTest(PortFinding::TcpFailed) => "a port test where TCP fails".to_string(),
        SignalRule::PortTest(PortFinding::PingFailed) => "a port test where ping fails".to_string(),
        SignalRule::PortTest(PortFinding::NameFailed) => {
            "a port test that cannot resolve the name".to_string()
        }
        SignalRule::Text(t) => format!("the message \u{201c}{t}\u{201d}"),
    }
}

/// How many signals the confirmation sentence names.
const MAX_CONFIRMING: usize = 4;

/// "would be confirmed by event 36870 from <provider> or a certificate that is expired", strongest first.
pub(crate) fn confirmation(cause: &CauseEntry) -> String {
    // The strongest signals first; a long list would bury them, so the rest is only counted.
    let mut signals: Vec<_> = cause.signals.iter().collect();
    crate::order::sort_by(&mut signals, |a, b| b.weight.total_cmp(&a.weight));
    let rules: Vec<String> = signals
        .iter()
        .take(MAX_CONFIRMING)
        .map(|s| describe_rule(&s.signal))
        .collect();
    let rest = signals.len().saturating_sub(MAX_CONFIRMING);
    match (rules.is_empty(), rest) {
        (true, _) => {
            "no pasted evidence can confirm it; read the cause page to check it by hand".to_string()
        }
        (false, 0) => format!("would be confirmed by {}", join_or(&rules)),
        (false, n) => format!(
            "would be confirmed by {} ({n} more signal{} on the cause page)",
            join_or(&rules),
            if n == 1 { "" } else { "s" }
        ),
    }
}

fn cert_why(
    c: &CertificateFacts,
    f: CertFinding,
    hosts: &[String],
    all: &[&CertificateFacts],
) -> String {
    let name = short_name(c);
    let what = if c.is_ca && c.chain_position > 0 {
        "the issuing certificate"
    } else {
        "the certificate"
    };
    match f {
        CertFinding::Expired => {
            let days = -c.days_left;
            let ago = match days {
                0 => "less than a day".to_string(),
                1 => "1 day".to_string(),
                d => format!("{d} days"),
            };
            format!("{what} {name} expired {ago} ago (valid until {})", c.not_after)
        }
        CertFinding::NotYetValid => format!("{what} {name} is not valid before {}", c.not_before),
        CertFinding::WeakKey => format!("{what} {name} has a weak key ({}; 2048 bits is the minimum)", c.key),
        CertFinding::Sha1Signature => format!("{what} {name} is signed with SHA-1 ({})", c.signature_algorithm),
        CertFinding::MissingServerAuthEku => format!(
            "{what} {name} lacks Server Authentication in its extended key usage (it lists: {})",
            c.extended_key_usage.join(", ")
        ),
        CertFinding::HostnameMismatch => format!(
            "{what} {name} does not name {} (it names: {})",
            join_or(hosts),
            if c.sans.is_empty() { "no alternative names".to_string() } else { c.sans.join(", ") }
        ),
        CertFinding::SelfSigned => format!("{what} {name} is self-signed"),
        CertFinding::ChainIncomplete => format!(
            "the pasted chain is incomplete: the issuer of {name} ({}) is not among the {} pasted certificates",
            c.issuer,
            all.len()
        ),
    }
}

/// The name of the client that printed a certificate warning (`Signal::CertWarning::source`).
fn client(source: &str) -> &str {
    match source {
        "freerdp" => "FreeRDP",
        "openssl" => "OpenSSL",
        other => other,
    }
}

/// The reason for a finding of a client's certificate warning, in the words of [`cert_why`].
fn warning_why(
    client: &str,
    f: CertFinding,
    host: Option<&str>,
    subject: Option<&str>,
    names: &[String],
    reason: Option<&str>,
) -> String {
    let cert = match subject {
        Some(s) => format!("the certificate {s}"),
        None => "the certificate".to_string(),
    };
    match (f, reason) {
        (CertFinding::HostnameMismatch, None) => {
            let host = host.unwrap_or("the server's name");
            if names.is_empty() {
                format!("{client} warns that {cert} does not name {host}")
            } else {
                format!(
                    "{client} warns that {cert} does not name {host} (it names: {})",
                    names.join(", ")
                )
            }
        }
        (_, Some(r)) => format!("{client} could not verify {cert}: {r}"),
        (CertFinding::SelfSigned, None) => {
            format!("{client} shows {cert} issued by itself (self-signed)")
        }
        (f, None) => format!("{client} reports {cert}: {}", f.as_str().replace('_', " ")),
    }
}

/// Does `signal` fit `rule`? Returns the reason when it does.
fn fits(
    rule: &SignalRule,
    signal: &Signal,
    hosts: &[String],
    certs: &[&CertificateFacts],
) -> Option<String> {
    match (rule, signal) {
        (
            SignalRule::Code(c),
            Signal::Code {
                scheme,
                value,
                name,
                ..
            },
        ) => (c.scheme == *scheme && canon(&c.value) == *value).then(|| match name {
            Some(n) => format!("the paste shows {scheme} code {value} ({n})"),
            None => format!("the paste shows {scheme} code {value}"),
        }),
        (
            SignalRule::Event {
                source: want,
                id: want_id,
            },
            Signal::Event {
                source,
                id,
                meaning,
                ..
            },
        ) => (want_id == id && (want.is_empty() || same_event_source(want, source))).then(|| {
            match meaning {
                Some(m) => format!("event {id} from {source}: {m}"),
                None => format!("event {id} from {source}"),
            }
        }),
        (SignalRule::Cert(f), Signal::Certificate(c)) => c
            .findings
            .contains(f)
            .then(|| cert_why(c, *f, hosts, certs)),
        (
            SignalRule::Cert(f),
            Signal::CertWarning {
                source,
                host,
                subject,
                names,
                reason,
                findings,
                ..
            },
        ) => findings.contains(f).then(|| {
            warning_why(
                client(source),
                *f,
                host.as_deref(),
                subject.as_deref(),
                names,
                reason.as_deref(),
            )
        }),
        (
            SignalRule::PortTest(f),
            Signal::PortTest {
                host,
                port,
                findings,
                ..
            },
        ) => findings.contains(f).then(|| match f {
            PortFinding::TcpFailed if *port == 0 => format!("port test: TCP to {host} failed"),
            PortFinding::TcpFailed => format!("port test: TCP to {host}:{port} failed"),
            PortFinding::PingFailed => format!("port test: ping to {host} failed"),
            PortFinding::NameFailed => format!("port test: the name {host} did not resolve"),
        }),
        (SignalRule::Text(t), Signal::Message { text, .. }) => {
            (normalize(t) == normalize(text)).then(|| format!("the paste says \u{201c}{t}\u{201d}"))
        }
        _ => None,
    }
}

/// What the paste says about the site's causes.
pub(crate) struct Assessed<'a> {
    /// Every cause that has evidence or is a candidate.
    pub(crate) causes: Vec<Assessment<'a>>,
    /// What the error pages that matched most of the paste say to paste next (`collect`), each once.
    pub(crate) collect: Vec<&'a str>,
}

/// Assesses every cause that has evidence or is a candidate. `hosts` are the names the paste connects to.
pub(crate) fn assess<'a>(
    signals: &[Signal],
    hosts: &[String],
    index: &'a KnowledgeIndex,
) -> Assessed<'a> {
    let certs: Vec<&CertificateFacts> = signals
        .iter()
        .filter_map(|s| match s {
            Signal::Certificate(c) => Some(c.as_ref()),
            _ => None,
        })
        .collect();
    let refs = code_refs(signals, index);
    let messages: Vec<String> = signals
        .iter()
        .filter_map(|s| match s {
            Signal::Message { text, .. } => Some(normalize(text)),
            _ => None,
        })
        .collect();

    // Candidates: cause id -> (weight, order, page reasons).
    let mut cand: HashMap<&str, Candidacy> = HashMap::new();
    let mut add = |id: &'a str, w: f64, order: Order, why: Option<String>| {
        let e = cand.entry(id).or_insert((0.0, order, Vec::new()));
        e.0 = e.0.max(w);
        e.1 = e.1.min(order);
        if let Some(why) = why {
            if !e.2.contains(&why) {
                e.2.push(why);
            }
        }
    };
    // Error pages the paste matched, with what matched and how much of the paste (codes + message).
    let mut matched_pages = Vec::new();
    for (pi, page) in index.errors.iter().enumerate() {
        let by_code: Vec<String> = page
            .codes
            .iter()
            .filter(|c| {
                refs.iter()
                    .any(|r| r.scheme == c.scheme && r.value == canon(&c.value))
            })
            .map(|c| canon(&c.value))
            .collect();
        let by_message = page
            .messages
            .iter()
            .any(|m| messages.contains(&normalize(m)));
        if by_code.is_empty() && !by_message {
            continue;
        }
        let matched = match (by_code.is_empty(), by_message) {
            (true, _) => "its message".to_string(),
            (false, false) => by_code.join(", "),
            (false, true) => format!("{} and its message", by_code.join(", ")),
        };
        let specificity = by_code.len() + usize::from(by_message);
        matched_pages.push((pi, page, matched, specificity, !by_code.is_empty()));
    }
    // A page matched by its message alone describes that message without a code. When a page matched the
    // paste's codes, that page says what they mean, and the message's page (`This computer can't connect`,
    // shown for many codes) does not: its causes are not candidates for this paste (the 0x904 page says
    // its failure is not a blocked port; the message's page lists one). Evidence still ranks any cause.
    if matched_pages.iter().any(|p| p.4) {
        matched_pages.retain(|p| p.4);
    }
    // A page that matched less of the paste than the best one (only a code that a more specific page shares,
    // such as FreeRDP's generic transport error under guacd's own message) lists its causes with weight in
    // proportion: the specific page's order wins.
    let best = matched_pages.iter().map(|p| p.3).max().unwrap_or(1).max(1);
    // What to paste next comes from the pages that matched most of the paste: a page matched only by a code
    // it shares (FreeRDP's transport error under guacd's message) asks for what that other client prints.
    // Among those, a page whose own message is missing from the paste (guacd's page, matched by the code it
    // shares with a FreeRDP log) gives way to one the paste matches whole.
    let whole = |p: &&(usize, &ErrorEntry, String, usize, bool)| {
        p.3 == p.1.codes.len() + usize::from(!p.1.messages.is_empty())
    };
    let top: Vec<_> = matched_pages.iter().filter(|p| p.3 == best).collect();
    let any_whole = top.iter().any(whole);
    let mut collect: Vec<&'a str> = Vec::new();
    for p in top.into_iter().filter(|p| !any_whole || whole(p)) {
        let c = p.1.collect.trim();
        if !c.is_empty() && !collect.contains(&c) {
            collect.push(c);
        }
    }
    for (pi, page, matched, specificity, _) in matched_pages {
        let share = specificity as f64 / best as f64;
        for (rank, cc) in page.causes.iter().enumerate() {
            let why = (!cc.why.trim().is_empty()).then(|| {
                format!(
                    "listed by \u{201c}{}\u{201d} (matched: {matched}): {}",
                    page.title,
                    cc.why.trim()
                )
            });
            let w = CANDIDATE_WEIGHT * share / (rank as f64 + 1.0);
            add(&cc.id, w, (usize::MAX - specificity, pi, rank), why);
        }
    }
    for r in &refs {
        let Some(table) = index.table(&r.scheme) else {
            continue;
        };
        let row = table.rows.iter().find(|row| {
            if table.kind == TableKind::Event {
                row.value.trim() == r.value
            } else {
                canon(&row.value) == r.value
            }
        });
        for (rank, id) in row
            .map(|row| row.causes.as_slice())
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            // A row lists what a code can mean anywhere; an error page lists what fits what the reader saw.
            // So a row's cause counts as ranked one lower than the same rank on a page.
            let w = CANDIDATE_WEIGHT / (rank as f64 + 2.0);
            add(id, w, (usize::MAX, index.errors.len(), rank), None);
        }
    }

    let mut out = Vec::new();
    for cause in &index.causes {
        let mut evidence = Vec::new();
        for ws in &cause.signals {
            if let Some(why) = signals
                .iter()
                .find_map(|s| fits(&ws.signal, s, hosts, &certs))
            {
                evidence.push(Evidence {
                    weight: ws.weight.max(0.0),
                    why,
                    stage: ws.stage.clone(),
                });
            }
        }
        let (candidate, order, page_why) = cand.remove(cause.id.as_str()).unwrap_or((
            0.0,
            (usize::MAX, usize::MAX, usize::MAX),
            Vec::new(),
        ));
        if evidence.is_empty() && candidate <= 0.0 {
            continue;
        }
        out.push(Assessment {
            cause,
            evidence,
            candidate,
            page_why,
            order,
        });
    }
    Assessed {
        causes: out,
        collect,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::WeightedSignal;

    #[test]
    fn confirmation_wording_comes_from_the_signals() {
        let cause = CauseEntry {
            id: "c".into(),
            signals: vec![
                WeightedSignal {
                    signal: SignalRule::Event {
                        source: "Schannel".into(),
                        id: 36870,
                    },
                    weight: 1.0,
                    stage: None,
                },
                WeightedSignal {
                    signal: SignalRule::Cert(CertFinding::Expired),
                    weight: 1.0,
                    stage: None,
                },
                WeightedSignal {
                    signal: SignalRule::Code(CodeRef {
                        scheme: "hresult".into(),
                        value: "0x8009030D".into(),
                    }),
                    weight: 1.0,
                    stage: None,
                },
            ],
            ..CauseEntry::default()
        };
        assert_eq!(
            confirmation(&cause),
            "would be confirmed by event 36870 from Schannel, a certificate that is expired or code 0x8009030d (hresult)"
        );
    }
}
