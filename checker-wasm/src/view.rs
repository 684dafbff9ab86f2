//! The report as the page shows it: a tree of elements and texts, built where the engine runs (a Web Worker,
//! see `web.rs`) and turned into DOM nodes by the page's script (`fixbook.js`), which sets every text with
//! `textContent` and copies only the attributes listed here.
//!
//! ## Why a tree and not DOM calls
//! The checker runs off the page's main thread so that a long paste never freezes the page, and a worker
//! has no DOM. The tree keeps the report's structure and wording in Rust, next to the engine and testable
//! natively, and leaves the page a small generic builder.
//!
//! ## Invariants
//! - Pasted text is only ever a [`Node::Text`] or an element's text: nothing here is markup.
//! - Only URLs from the knowledge index become `href`s.
//! - A private key is never echoed: the report holds only its type and position, and the view shows a
//!   warning instead.

use serde::Serialize;

mod summary;
pub use summary::report_summary_view;

use crate::index::{stage_label, CertFinding, Stage};
use crate::report::{CertificateFacts, RankedCause, Report, Signal, StageReport};
use crate::{stage_strip, versions, StageState};

/// A long log can hold thousands of events; the list shows the first ones and says how many it left out.
const MAX_SIGNALS_SHOWN: usize = 60;

/// A node of the report: a text, or an element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Node {
    Text(String),
    El(El),
}

/// An element: its tag, class, attributes (`href`, `aria-*`) and children. Serialised with short names
/// (`t`, `c`, `a`, `k`) because a report can hold hundreds of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct El {
    #[serde(rename = "t")]
    pub tag: &'static str,
    #[serde(rename = "c", skip_serializing_if = "String::is_empty")]
    pub class: String,
    #[serde(rename = "a", skip_serializing_if = "Vec::is_empty")]
    pub attrs: Vec<(&'static str, String)>,
    #[serde(rename = "k", skip_serializing_if = "Vec::is_empty")]
    pub kids: Vec<Node>,
}

impl El {
    fn new(tag: &'static str, class: &str) -> El {
        El {
            tag,
            class: class.to_string(),
            attrs: Vec::new(),
            kids: Vec::new(),
        }
    }

    /// A child element holding `text`; returned for more children or attributes.
    fn add(&mut self, tag: &'static str, class: &str, text: &str) -> &mut El {
        let mut e = El::new(tag, class);
        e.text(text);
        self.push(e)
    }

    fn push(&mut self, e: El) -> &mut El {
        self.kids.push(Node::El(e));
        match self.kids.last_mut() {
            Some(Node::El(e)) => e,
            // The element was pushed on the line above.
            _ => unreachable!("the last child is the element just pushed"),
        }
    }

    fn text(&mut self, text: &str) {
        self.kids.push(Node::Text(text.to_string()));
    }

    fn attr(&mut self, name: &'static str, value: &str) -> &mut El {
        self.attrs.push((name, value.to_string()));
        self
    }

    fn link(&mut self, href: &str, text: &str) -> &mut El {
        self.add("a", "", text).attr("href", href)
    }

    /// A code's name as `<code class="code-name">`, with a `<wbr>` where two of its words meet (see
    /// [`name_words`]): a name wider than its column (`disconnectReasonAtClientWinsockFDCLOSE` in a phone's
    /// or a side column's report) then breaks between words, not at whichever letter reaches the edge.
    fn add_name(&mut self, name: &str) -> &mut El {
        self.push(El::new("code", "code-name"))
            .breakable(name_words(name))
    }

    /// A certificate's fact as a `<dd>`, with a `<wbr>` after each `.`, `,`, `=` and `/` and where the words
    /// of a name meet: `CN=SRV01.corp.example.com` and `sha256WithRSAEncryption` in a phone's narrow column
    /// break at a dot or a word, not mid-word.
    fn add_fact(&mut self, text: &str) -> &mut El {
        let pieces = text
            .split_inclusive(['.', ',', '=', '/'])
            .flat_map(name_words);
        self.push(El::new("dd", "")).breakable(pieces)
    }

    /// Appends `pieces` as text with a `<wbr>` between each two: where a line may break.
    fn breakable<'a>(&mut self, pieces: impl IntoIterator<Item = &'a str>) -> &mut El {
        for (i, piece) in pieces.into_iter().enumerate() {
            if i > 0 {
                self.push(El::new("wbr", ""));
            }
            self.text(piece);
        }
        self
    }

    /// The text the element shows, as `textContent` would give it.
    pub fn text_content(&self) -> String {
        let mut out = String::new();
        fn walk(e: &El, out: &mut String) {
            for k in &e.kids {
                match k {
                    Node::Text(t) => out.push_str(t),
                    Node::El(c) => walk(c, out),
                }
            }
        }
        walk(self, &mut out);
        out
    }
}

/// The view of `report`: `heading_level` is the level of the report's section headings (1 to 5;
/// certificate cards use the next one), `stages` the site's connection stages for the stage strip.
pub fn report_view(report: &Report, stages: &[Stage], heading_level: u8) -> El {
    Render {
        level: heading_level.clamp(1, 5),
        stages,
    }
    .report(report)
}

/// `name` cut where its words meet: after a `_` and before a capital that follows a small letter
/// (`ERRCONNECT_` `CONNECT_` `TRANSPORT_` `FAILED`, `disconnect` `Reason` `At` ...), leaving no piece of
/// fewer than 4 characters (short words stay with the next one), so a line never ends or starts with a
/// scrap of a name. The pieces joined are `name`.
pub(crate) fn name_words(name: &str) -> Vec<&str> {
    const MIN: usize = 4;
    let mut words = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in name.char_indices() {
        let meet = match prev {
            Some('_') => true,
            Some(p) => p.is_lowercase() && c.is_uppercase(),
            None => false,
        };
        if meet && name[start..i].chars().count() >= MIN && name[i..].chars().count() >= MIN {
            words.push(&name[start..i]);
            start = i;
        }
        prev = Some(c);
    }
    words.push(&name[start..]);
    words
}

const HEADINGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];

/// Builds the report's nodes.
struct Render<'a> {
    /// Level of the report's section headings; certificate cards use the next one.
    level: u8,
    /// The site's connection stages, for the stage strip's labels.
    stages: &'a [Stage],
}

impl Render<'_> {
    fn heading(&self, parent: &mut El, extra: u8, text: &str) {
        let level = usize::from((self.level + extra).min(6));
        let tag = HEADINGS
            .get(level.saturating_sub(1))
            .copied()
            .unwrap_or("h6");
        parent.add(tag, "report-heading", text);
    }

    fn section(&self, title: &str, class: &str) -> El {
        let mut s = El::new("section", &format!("report-section {class}"));
        self.heading(&mut s, 0, title);
        s
    }

    fn report(&self, r: &Report) -> El {
        let mut root = El::new("div", "report");
        self.key_warning(&mut root, r);
        root.add("p", "report-summary", &summary(r));
        if let Some(st) = &r.stage {
            root.push(self.stage_strip(st));
        }
        // Notes first: "no cause explains this failure" must be read before any candidate.
        for n in &r.notes {
            root.add("p", "report-note", n);
        }

        let listed: Vec<&Signal> = r
            .signals
            .iter()
            .enumerate()
            .filter(|(i, s)| {
                !matches!(s, Signal::Certificate(_) | Signal::PrivateKey { .. })
                    && !crate::report::is_repeated_message(&r.signals, *i)
            })
            .map(|(_, s)| s)
            .collect();
        if !listed.is_empty() {
            let mut s = self.section("Recognised", "report-signals");
            let ul = s.push(El::new("ul", "signal-list"));
            for sig in listed.iter().take(MAX_SIGNALS_SHOWN) {
                if let Some(li) = self.signal(sig) {
                    ul.push(li);
                }
            }
            if listed.len() > MAX_SIGNALS_SHOWN {
                s.add(
                    "p",
                    "muted",
                    &format!("… and {} more.", listed.len() - MAX_SIGNALS_SHOWN),
                );
            }
            root.push(s);
        }

        let certs: Vec<&CertificateFacts> = r
            .signals
            .iter()
            .filter_map(|s| match s {
                Signal::Certificate(c) => Some(c.as_ref()),
                _ => None,
            })
            .collect();
        if !certs.is_empty() {
            let title = if certs.len() == 1 {
                "Certificate"
            } else {
                "Certificates"
            };
            let mut s = self.section(title, "report-certs");
            for c in certs.iter().take(MAX_SIGNALS_SHOWN) {
                s.push(self.cert(c));
            }
            root.push(s);
        }

        if !r.causes.is_empty() {
            let mut s = self.section("Causes, best first", "report-causes");
            let ol = s.push(El::new("ol", "cause-list"));
            for c in &r.causes {
                ol.push(self.cause(c));
            }
            root.push(s);
        }

        if !r.unreadable.is_empty() {
            let mut s = self.section("Could not be read", "report-unreadable");
            let ul = s.push(El::new("ul", ""));
            for u in r.unreadable.iter().take(MAX_SIGNALS_SHOWN) {
                let li = ul.push(El::new("li", ""));
                li.add("strong", "", u.what.as_str());
                li.text(&format!(": {}", u.why));
            }
            root.push(s);
        }
        root
    }

    /// The warning shown first when the paste holds private keys (never the keys themselves).
    fn key_warning(&self, root: &mut El, r: &Report) {
        let keys = r
            .signals
            .iter()
            .filter(|s| matches!(s, Signal::PrivateKey { .. }))
            .count();
        if keys > 0 {
            let w = root.push(El::new("div", "report-warning"));
            w.add(
                "p",
                "report-warning-title",
                if keys == 1 {
                    "A private key is in this paste."
                } else {
                    "Private keys are in this paste."
                },
            );
            w.add(
                "p",
                "",
                "It is not shown here and was not sent anywhere, but treat it as exposed if it was ever \
                 pasted or mailed elsewhere: replace the certificate and its key, and paste only the \
                 certificate (the BEGIN CERTIFICATE block) in tickets.",
            );
        }
    }

    /// The stages as an ordered list: passed ones, the failing (or latest) one marked in words as well as
    /// in colour, then those not reached; and what in the paste shows it.
    fn stage_strip(&self, st: &StageReport) -> El {
        let mut nav = El::new("div", "stage-strip");
        let ol = nav.push(El::new("ol", "stages"));
        ol.attr("aria-label", "Connection stages");
        for (stage, state) in stage_strip(st, self.stages) {
            let li = ol.add(
                "li",
                &format!("stage stage-{}", state.as_str()),
                &stage.label,
            );
            let mark = match state {
                StageState::Passed => " (passed)",
                StageState::PassedOrUnused => " (passed or not used)",
                StageState::Failed => " (failed here)",
                StageState::Reached => " (got this far)",
                StageState::Ahead => "",
            };
            if !mark.is_empty() {
                li.add("span", "stage-state", mark);
            }
            if matches!(state, StageState::Failed | StageState::Reached) {
                li.attr("aria-current", "step");
            }
        }
        if !st.why.is_empty() {
            let ul = nav.push(El::new("ul", "stage-why"));
            for w in &st.why {
                ul.add("li", "", w);
            }
        }
        nav
    }

    /// A signal's list item; `None` for those shown elsewhere (certificates, keys).
    fn signal(&self, s: &Signal) -> Option<El> {
        let mut li = El::new("li", "");
        match s {
            Signal::Code {
                scheme,
                value,
                name,
                meaning,
                url,
                since,
                until,
                applies_to,
                ..
            } => {
                let mut code = El::new("code", "");
                code.text(value);
                match url {
                    Some(u) => {
                        li.push(El::new("a", "")).attr("href", u).push(code);
                    }
                    None => {
                        li.push(code);
                    }
                }
                li.add("span", "scheme", &format!(" {scheme} "));
                match name {
                    Some(n) => {
                        li.add_name(n);
                    }
                    None => li.text("(not in this guide's table)"),
                }
                if let Some(m) = meaning {
                    li.text(&format!(": {m}"));
                }
                if let Some(v) = versions(since.as_deref(), until.as_deref(), applies_to) {
                    li.add("span", "versions", &format!(" ({v})"));
                }
            }
            Signal::Event {
                log,
                source,
                id,
                level,
                meaning,
                ..
            } => {
                li.add("strong", "", &format!("Event {id}"));
                li.text(&format!(" from {source}"));
                let extra: Vec<&str> = [log.as_deref(), level.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect();
                if !extra.is_empty() {
                    li.text(&format!(" ({})", extra.join(", ")));
                }
                if let Some(m) = meaning {
                    li.text(&format!(": {m}"));
                }
            }
            Signal::PortTest {
                host,
                port,
                findings,
                ..
            } => {
                li.add("strong", "", "Port test");
                // Port 0: the test named no port (a ping, or a name that did not resolve).
                if *port == 0 {
                    li.text(&format!(" {host}: "));
                } else {
                    li.text(&format!(" {host}:{port}: "));
                }
                if findings.is_empty() {
                    li.text("connection succeeded");
                } else {
                    let f: Vec<String> = findings.iter().map(|f| f.label().to_string()).collect();
                    li.add("span", "finding finding-bad", &f.join(", "));
                }
            }
            Signal::Message { text, .. } => {
                li.add("strong", "", "Message");
                li.text(&format!(" “{text}”"));
            }
            Signal::Progress { stage, text, .. } => {
                let label = stage_label(self.stages, stage);
                li.add("strong", "", &format!("{label} passed"));
                li.text(&format!(" “{text}”"));
            }
            Signal::LogLine {
                program,
                level,
                text,
                ..
            } => {
                // Pasted text: a text node only, never markup.
                li.add("strong", "", &format!("{program} {level}"));
                li.text(&format!(" “{text}”"));
            }
            Signal::TlsError { .. } => {
                li.add("strong", "", "TLS error");
                li.text(&format!(" {}", crate::detect::freerdp_tls::describe(s)));
            }
            Signal::CertWarning {
                source,
                warning,
                host,
                subject,
                reason,
                findings,
                ..
            } => {
                li.add("strong", "", "Certificate warning");
                let mut text = format!(" from {source}: {}", warning.as_str().replace('_', " "));
                if let Some(h) = host {
                    text.push_str(&format!(" for {h}"));
                }
                if let Some(s) = subject {
                    text.push_str(&format!(", certificate {s}"));
                }
                if let Some(r) = reason {
                    text.push_str(&format!(" ({r})"));
                }
                li.text(&text);
                if !findings.is_empty() {
                    let f: Vec<String> = findings
                        .iter()
                        .map(|f| f.as_str().replace('_', " "))
                        .collect();
                    li.text(" ");
                    li.add("span", "finding finding-bad", &f.join(", "));
                }
            }
            Signal::Certificate(_) | Signal::PrivateKey { .. } => return None,
        }
        Some(li)
    }

    fn cert(&self, c: &CertificateFacts) -> El {
        let mut card = El::new("article", "cert-card");
        let title = if c.subject.is_empty() {
            "(no subject)"
        } else {
            c.subject.as_str()
        };
        self.heading(&mut card, 1, title);
        if !c.findings.is_empty() {
            let ul = card.push(El::new("ul", "findings"));
            for f in &c.findings {
                let (text, tone) = finding_text(*f);
                ul.add("li", &format!("finding finding-{tone}"), text);
            }
        }
        let dl = card.push(El::new("dl", "cert-facts"));
        let mut row = |k: &str, v: &str| {
            dl.add("dt", "", k);
            dl.add_fact(v);
        };
        row("Validity", &validity(c));
        let shown = CertificateFacts::shown;
        row("Issuer", shown(&c.issuer));
        if !c.sans.is_empty() {
            row("Names", &c.sans.join(", "));
        }
        row("Key", shown(&c.key));
        row("Signature", shown(&c.signature_algorithm));
        row("Extended key usage", &c.usages("none listed (any purpose)"));
        if !c.key_usage.is_empty() {
            row("Key usage", &c.key_usage.join(", "));
        }
        row("Serial", shown(&c.serial));
        card
    }

    fn cause(&self, c: &RankedCause) -> El {
        let mut li = El::new("li", "cause");
        let head = li.push(El::new("p", "cause-head"));
        head.link(&c.url, &c.title);
        let word = c.confidence.as_str();
        head.add("span", &format!("confidence confidence-{word}"), word);
        if !c.why.is_empty() {
            let ul = li.push(El::new("ul", "why"));
            for w in &c.why {
                ul.add("li", "", w);
            }
        }
        if !c.fixes.is_empty() {
            li.add("p", "fixes-label", "Fix:");
            let fl = li.push(El::new("ol", "fix-list"));
            for f in &c.fixes {
                let item = fl.push(El::new("li", ""));
                let a = item.link(&f.url, &f.title);
                // A cause often points at several steps of one fix: name the step by its heading (an index
                // without step titles falls back to the anchor).
                let step = f
                    .step
                    .clone()
                    .or_else(|| f.url.split_once('#').map(|(_, s)| s.replace('-', " ")));
                if let Some(step) = step {
                    a.add("span", "step", &format!(": step “{step}”"));
                }
            }
        }
        li
    }
}

/// "2 codes, 1 certificate recognised; 3 causes ranked."
fn summary(r: &Report) -> String {
    let (mut codes, mut events, mut certs, mut messages, mut tests, mut keys) = (0, 0, 0, 0, 0, 0);
    let (mut tls, mut warnings) = (0, 0);
    for (i, s) in r.signals.iter().enumerate() {
        if crate::report::is_repeated_message(&r.signals, i) {
            continue;
        }
        match s {
            Signal::Code { .. } => codes += 1,
            Signal::Event { .. } => events += 1,
            Signal::Certificate(_) => certs += 1,
            // A client's or OpenSSL's word about a certificate, not a certificate (an `s_client` output
            // holds one certificate and two such lines).
            Signal::CertWarning { .. } => warnings += 1,
            Signal::TlsError { .. } => tls += 1,
            Signal::Message { .. } | Signal::Progress { .. } | Signal::LogLine { .. } => {
                messages += 1
            }
            Signal::PortTest { .. } => tests += 1,
            Signal::PrivateKey { .. } => keys += 1,
        }
    }
    let mut parts = Vec::new();
    for (n, one, many) in [
        (codes, "code", "codes"),
        (events, "event", "events"),
        (certs, "certificate", "certificates"),
        (warnings, "certificate warning", "certificate warnings"),
        (messages, "message", "messages"),
        (tls, "TLS error", "TLS errors"),
        (tests, "port test", "port tests"),
        (keys, "private key", "private keys"),
    ] {
        match n {
            0 => {}
            1 => parts.push(format!("1 {one}")),
            n => parts.push(format!("{n} {many}")),
        }
    }
    let found = if parts.is_empty() {
        "Nothing recognised".to_string()
    } else {
        format!("Recognised {}", parts.join(", "))
    };
    match r.causes.len() {
        0 => format!("{found}."),
        1 => format!("{found}; 1 cause fits."),
        n => format!("{found}; {n} causes ranked."),
    }
}

fn validity(c: &CertificateFacts) -> String {
    let from = c.not_before.get(..10).unwrap_or(&c.not_before);
    let to = c.not_after.get(..10).unwrap_or(&c.not_after);
    let state = if c.findings.contains(&CertFinding::NotYetValid) {
        "not valid yet".to_string()
    } else if c.days_left < 0 {
        match -c.days_left {
            1 => "expired 1 day ago".to_string(),
            n => format!("expired {n} days ago"),
        }
    } else if c.findings.contains(&CertFinding::Expired) {
        "expired today".to_string()
    } else {
        match c.days_left {
            0 => "less than a day left".to_string(),
            1 => "1 day left".to_string(),
            n => format!("{n} days left"),
        }
    };
    format!("{} ({state})", c.period(from, to))
}

/// A finding as the card shows it, and its tone (`bad`, `warn` or `info`) for the badge's colour.
fn finding_text(f: CertFinding) -> (&'static str, &'static str) {
    match f {
        CertFinding::Expired => ("Expired", "bad"),
        CertFinding::NotYetValid => ("Not valid yet", "bad"),
        CertFinding::WeakKey => ("Weak key (RSA under 2048 bits)", "bad"),
        CertFinding::Sha1Signature => ("SHA-1 signature", "warn"),
        CertFinding::MissingServerAuthEku => ("No Server Authentication EKU", "bad"),
        CertFinding::HostnameMismatch => ("Name does not match the host", "bad"),
        CertFinding::SelfSigned => ("Self-signed", "info"),
        CertFinding::ChainIncomplete => ("Chain incomplete", "warn"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diagnose;
    use crate::testing::{index, now};

    /// Every element under `e` (itself included) that has class `class`, in document order.
    pub(crate) fn find<'a>(e: &'a El, class: &str, out: &mut Vec<&'a El>) {
        if e.class.split(' ').any(|c| c == class) {
            out.push(e);
        }
        for k in &e.kids {
            if let Node::El(c) = k {
                find(c, class, out);
            }
        }
    }

    fn view(paste: &str, level: u8) -> El {
        let idx = index();
        report_view(&diagnose(paste, &idx, now()), &idx.stages, level)
    }

    #[test]
    fn verify_lines_are_counted_as_warnings_not_certificates() {
        let paste = "depth=0 CN = rds01.example.test\nverify error:num=18:self-signed certificate\n\
                     verify error:num=10:certificate has expired\n---\nCertificate chain\n \
                     0 s:CN = rds01.example.test\n   i:CN = rds01.example.test\n   \
                     v:NotBefore: Feb 18 10:54:16 2025 GMT; NotAfter: Feb 18 10:54:16 2026 GMT\n---\n";
        let (v, mut heads) = (view(paste, 3), Vec::new());
        find(&v, "report-summary", &mut heads);
        let text = heads.first().map(|h| h.text_content()).unwrap_or_default();
        assert!(
            text.starts_with("Recognised 1 certificate, 2 certificate warnings"),
            "{text}"
        );
    }

    #[test]
    fn a_certificate_card_says_what_the_paste_did_not_show() {
        // `openssl s_client`'s chain entry: no serial, no extensions; a PEM would have both.
        let paste = "$ openssl s_client -connect rds01.example.test:3389\n---\nCertificate chain\n \
                     0 s:CN = rds01.example.test\n   i:CN = rds01.example.test\n   \
                     a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256\n   \
                     v:NotBefore: Feb 18 10:54:16 2025 GMT; NotAfter: Feb 18 10:54:16 2026 GMT\n---\n";
        let mut cards = Vec::new();
        let v = view(paste, 3);
        find(&v, "cert-facts", &mut cards);
        let text = cards.first().map(|c| c.text_content()).unwrap_or_default();
        assert!(
            text.contains("Extended key usage(not in the paste)"),
            "{text}"
        );
        assert!(text.contains("Serial(not in the paste)"), "{text}");
        assert!(!text.contains("any purpose"), "{text}");
        // Names break at their dots and words: `<wbr>` inside the facts, the text unchanged.
        assert!(text.contains("IssuerCN=rds01.example.test"), "{text}");
        let wbr = cards.first().is_some_and(|c| {
            c.kids.iter().any(|k| {
                matches!(k, Node::El(dd) if dd.tag == "dd"
                    && dd.kids.iter().any(|w| matches!(w, Node::El(e) if e.tag == "wbr")))
            })
        });
        assert!(wbr, "{text}");
    }

    #[test]
    fn a_dialog_becomes_linked_codes_and_ranked_causes() {
        let v = view("Error code: 0x904\nExtended error code: 0x7", 3);
        assert_eq!(v.tag, "div");
        let mut summary = Vec::new();
        find(&v, "report-summary", &mut summary);
        assert!(summary[0].text_content().starts_with("Recognised 2 codes"));
        let mut lists = Vec::new();
        find(&v, "signal-list", &mut lists);
        let first = match &lists[0].kids[0] {
            Node::El(li) => li,
            Node::Text(_) => panic!("a list item"),
        };
        // `<li><a href><code>0x904</code></a>…`: the code links to its row.
        let Node::El(a) = &first.kids[0] else {
            panic!("a link")
        };
        assert_eq!(a.tag, "a");
        assert_eq!(a.attrs[0].0, "href");
        assert_eq!(a.text_content(), "0x904");
        let mut headings = Vec::new();
        find(&v, "report-heading", &mut headings);
        assert!(headings.iter().all(|h| h.tag == "h3"), "{headings:?}");
    }

    #[test]
    fn a_port_test_without_a_port_shows_no_port() {
        // A name that did not resolve: the cmdlet tested no port, and the page does not invent `:0`.
        let paste = "WARNING: Name resolution of nosuch.corp.example failed\n\n\
                     ComputerName   : nosuch.corp.example\nRemoteAddress  :\nPingSucceeded  : False\n";
        let signals = |paste: &str| {
            let (v, mut lists) = (view(paste, 3), Vec::new());
            find(&v, "signal-list", &mut lists);
            lists.first().map(|l| l.text_content()).unwrap_or_default()
        };
        let text = signals(paste);
        assert!(text.contains("Port test nosuch.corp.example: "), "{text}");
        assert!(!text.contains(":0"), "{text}");
        let text = signals("ComputerName : srv-a\nRemotePort : 3389\nTcpTestSucceeded : False\n");
        assert!(text.contains("Port test srv-a:3389: "), "{text}");
    }

    #[test]
    fn a_name_breaks_where_its_words_meet() {
        assert_eq!(
            name_words("disconnectReasonAtClientWinsockFDCLOSE"),
            ["disconnect", "Reason", "AtClient", "Winsock", "FDCLOSE"]
        );
        assert_eq!(
            name_words("ERRCONNECT_CONNECT_TRANSPORT_FAILED"),
            ["ERRCONNECT_", "CONNECT_", "TRANSPORT_", "FAILED"]
        );
        assert_eq!(
            name_words("exDiscReasonServerDeniedConnection"),
            ["exDisc", "Reason", "Server", "Denied", "Connection"]
        );
        // Short words stay with the next one; a name without a meeting point is one piece.
        assert_eq!(name_words("SSL_ERR_ACCOUNT"), ["SSL_", "ERR_", "ACCOUNT"]);
        assert_eq!(name_words("ERR_X_CODE"), ["ERR_", "X_CODE"]);
        assert_eq!(name_words("0x904"), ["0x904"]);
        assert_eq!(name_words(""), [""]);
        assert_eq!(name_words("aBcDeF"), ["aBcDeF"]);
        for n in [
            "STATUS_LOGON_FAILURE",
            "Schannel36870",
            "ÉtatÉchec_Connexion",
        ] {
            assert_eq!(name_words(n).concat(), n);
        }
        // In the report, the name's text is whole and the breaks are `<wbr>` elements.
        let v = view("Error code: 0x904\nExtended error code: 0x7", 3);
        let mut names = Vec::new();
        find(&v, "code-name", &mut names);
        assert_eq!(
            names[0].text_content(),
            "disconnectReasonAtClientWinsockFDCLOSE"
        );
        assert!(names[0]
            .kids
            .iter()
            .any(|k| matches!(k, Node::El(e) if e.tag == "wbr" && e.kids.is_empty())));
    }

    #[test]
    fn pasted_markup_is_text_and_levels_are_clamped() {
        let evil = "Error code: 0x904 <img src=x onerror=alert(1)>\nRemote computer: <b>h</b>";
        let v = view(evil, 9);
        let json = serde_json::to_string(&v).unwrap();
        // Every tag is one of the view's own; the paste's markup is inside texts only.
        let tags: Vec<&str> = json
            .match_indices("\"t\":\"")
            .map(|(i, m)| json[i + m.len()..].split('"').next().unwrap())
            .collect();
        assert!(!tags.is_empty());
        for t in tags {
            assert!(!["img", "b", "script"].contains(&t), "{t}");
        }
        let mut headings = Vec::new();
        find(&v, "report-heading", &mut headings);
        assert!(headings.iter().all(|h| h.tag == "h5"), "{headings:?}");
    }
}
