//! The engine: runs the detectors over a paste, then the matcher and the ranker.
//!
//! ## Order matters
//! PEM blocks, PuTTY and ssh.com files and unarmoured OpenSSH key bodies are found first, so private keys
//! can be masked (overwritten with spaces, offsets kept) before any other detector reads the paste: no part
//! of a key can become a code, a host or an event source in the report.

use std::borrow::Cow;

use time::OffsetDateTime;

use crate::detect::cert::{self, first_element, Decoded};
use crate::detect::pem::{self, Body};
use crate::detect::scan::Hosts;
use crate::detect::{
    code, event, event_xml, freerdp, guacd, message, openssl_text, port_test, private_key, scan,
    xrdp,
};
use crate::limits::{Cuts, MAX_CAUSES, MAX_CERTIFICATES, MAX_SIGNALS_PER_DETECTOR, MAX_UNREADABLE};
use crate::report::{KeyType, Signal, Unreadable, UnreadableKind};
use crate::{matcher, rank, stage, KnowledgeIndex, Report};

/// What to paste, when nothing was recognised and the site says nothing better (`[checker]
/// what_to_paste`). Generic on purpose: which logs and commands fit is the site's knowledge.
pub(crate) const WHAT_TO_PASTE: &str =
    "Paste the error message as it is shown, with its codes, or the log lines around the failure.";

/// Said before what to paste. A paste that held only a private key was read (the report lists the key), so
/// it is not told that nothing was recognised.
pub(crate) const NOTHING_RECOGNISED: &str = "Nothing in the paste was recognised.";
pub(crate) const ONLY_A_KEY: &str =
    "Apart from the private key, nothing in the paste says what failed.";

/// When the paste names error pages but nothing confirms a cause, and the site says nothing better
/// (`[checker] no_evidence`).
pub(crate) const NO_EVIDENCE: &str =
    "No evidence in the paste confirms a cause yet; the causes listed are only \
     candidates for what was recognised. Each cause's page says which evidence would confirm it.";

/// Said before what the matched error pages say to paste next (their `collect`), when nothing confirms a
/// cause.
pub(crate) const CANDIDATES_ONLY: &str =
    "No evidence in the paste confirms a cause yet; the causes \
     listed are only candidates for what was recognised.";

/// Said after how many weaker causes a report leaves out, when the site says nothing better (`[checker]
/// more_causes`).
pub(crate) const MORE_CAUSES: &str =
    "Paste more of what the failure shows (the log lines around it, the events, a port test) to narrow them down.";

/// When things were recognised but no cause in the index fits them.
pub(crate) const NO_CAUSE: &str =
    "The paste was recognised, but no cause in this guide fits it. Each code it \
     recognised links to the guide's entry for it, where there is one.";

/// The site's words when it has them, else the engine's generic sentence.
fn site_or<'a>(site: &'a str, generic: &'a str) -> &'a str {
    if site.trim().is_empty() {
        generic
    } else {
        site
    }
}

/// Labels of PEM blocks that hold one certificate.
fn is_certificate_label(label: &str) -> bool {
    matches!(
        label,
        "CERTIFICATE" | "TRUSTED CERTIFICATE" | "X509 CERTIFICATE"
    )
}

/// Everything the detectors found, before matching.
#[derive(Default)]
struct Found {
    signals: Vec<Signal>,
    unreadable: Vec<Unreadable>,
    /// DER of certificates, with their spans, in order of position.
    certs: Vec<([usize; 2], Vec<u8>)>,
    /// Certificates read from OpenSSL's text output.
    text_certs: Vec<Decoded>,
    hosts: Hosts,
    /// What was cut to keep the report's size independent of the paste's.
    cuts: Cuts,
}

impl Found {
    fn private_key(&mut self, key_type: KeyType, span: [usize; 2]) {
        // Keys come in order of position; one past the cap shows the engine the cut (their spans are masked
        // all the same).
        if self.signals.len() > MAX_SIGNALS_PER_DETECTOR {
            return;
        }
        self.signals.push(Signal::PrivateKey { key_type, span });
    }

    /// Caps the signals pushed since `from` (one detector's) at [`MAX_SIGNALS_PER_DETECTOR`].
    fn cap(&mut self, from: usize, what: &'static str) {
        self.cuts
            .cap(&mut self.signals, from, MAX_SIGNALS_PER_DETECTOR, what);
    }

    fn unreadable(&mut self, what: UnreadableKind, why: impl Into<String>, span: [usize; 2]) {
        self.unreadable.push(Unreadable {
            what,
            why: why.into(),
            span,
        });
    }

    /// Records an unreadable part from a source that finds them in order of position; `count` counts that
    /// source's parts. Past the cap, a later part can never be among the first by position, so it is not
    /// even built (one past the cap is, so the cut is seen).
    fn unreadable_in_order(
        &mut self,
        count: &mut usize,
        what: UnreadableKind,
        why: impl FnOnce() -> String,
        span: [usize; 2],
    ) {
        *count += 1;
        if *count <= MAX_UNREADABLE + 1 {
            self.unreadable(what, why(), span);
        }
    }

    /// A DER blob of unknown kind: a certificate, a private key, or unreadable.
    fn der(&mut self, der: Vec<u8>, span: [usize; 2], quiet_if_unknown: bool) {
        if let Some(kind) = private_key::sniff_der(&der) {
            self.private_key(kind, span);
        } else if quiet_if_unknown && !looks_like_certificate(&der) {
            // A base64-looking run that is not DER of anything we know: ordinary text, say nothing.
        } else {
            self.certs.push((span, der));
        }
    }
}

/// SEQUENCE { SEQUENCE ... }: the outline of a certificate, worth an "unreadable" if it fails to decode.
fn looks_like_certificate(der: &[u8]) -> bool {
    matches!(cert::tlv(der), Some((0x30, inner, _)) if inner.first() == Some(&0x30))
}

/// Adds `span` to `covered`, joined with the last span when they touch: blocks squashed onto one line
/// (a million BEGIN markers) become one span, not a million.
fn cover(covered: &mut Vec<[usize; 2]>, span: [usize; 2]) {
    match covered.last_mut() {
        Some(last) if last[0] <= span[0] && span[0] <= last[1] => last[1] = last[1].max(span[1]),
        _ => covered.push(span),
    }
}

/// Reads `paste` against `index` at the instant `now`. Pure: no I/O, no clock, never panics.
///
/// Spans in the report are UTF-8 byte offsets into `paste`.
pub fn diagnose(paste: &str, index: &KnowledgeIndex, now: OffsetDateTime) -> Report {
    let mut found = Found::default();

    // 1. PEM blocks, PuTTY keys and bare base64: certificates and keys.
    let mut key_spans = Vec::new();
    let mut covered = Vec::new();
    let (mut unreadable_pem, mut unreadable_blobs) = (0, 0);
    for block in pem::blocks(paste) {
        cover(&mut covered, block.span);
        if pem::is_private_key_label(&block.label) {
            found.private_key(private_key::key_type(&block.label), block.span);
            key_spans.push(block.span);
            continue;
        }
        if !is_certificate_label(&block.label) {
            let why = || {
                format!(
                    "a {} block is not a certificate; paste the certificate itself",
                    block.label
                )
            };
            found.unreadable_in_order(&mut unreadable_pem, UnreadableKind::Pem, why, block.span);
            continue;
        }
        match block.body {
            Body::Decoded(der) => {
                // A key under a certificate label is still a key: mask it like one.
                if private_key::sniff_der(&der).is_some() {
                    key_spans.push(block.span);
                }
                found.der(der, block.span, false)
            }
            Body::Damaged(why) => {
                let why = || why.to_string();
                found.unreadable_in_order(
                    &mut unreadable_pem,
                    UnreadableKind::Certificate,
                    why,
                    block.span,
                )
            }
            Body::Skipped => {}
        }
    }
    for span in private_key::putty(paste) {
        found.private_key(KeyType::Putty, span);
        key_spans.push(span);
        cover(&mut covered, span);
    }
    for span in private_key::ssh2(paste) {
        found.private_key(KeyType::Ssh2, span);
        key_spans.push(span);
        cover(&mut covered, span);
    }
    // Runs already in order (PEM blocks, PuTTY files, ssh.com keys): a stable sort merges them in linear
    // time.
    crate::order::sort(&mut covered);
    let bodies = private_key::openssh_bodies(paste, &covered);
    if !bodies.is_empty() {
        for &span in &bodies {
            found.private_key(KeyType::Openssh, span);
            key_spans.push(span);
        }
        covered.extend(bodies);
        crate::order::sort(&mut covered);
    }
    for (span, decoded) in pem::bare_blobs(paste, &covered) {
        match decoded {
            Ok(der) => {
                if private_key::sniff_der(&der).is_some() {
                    key_spans.push(span);
                }
                found.der(der, span, true);
            }
            Err(why) => found.unreadable_in_order(
                &mut unreadable_blobs,
                UnreadableKind::Certificate,
                || format!("a base64 blob could not be decoded: {why}"),
                span,
            ),
        }
    }

    // 2. Text detectors, on the paste with key bytes masked.
    let text: Cow<'_, str> = if key_spans.is_empty() {
        Cow::Borrowed(paste)
    } else {
        Cow::Owned(scan::mask(paste, &key_spans))
    };
    // Event XML (Event Viewer's XML view, `wevtutil qe`) is read as the text copy it stands for, in place.
    let text = match event_xml::as_fields(&text) {
        Some(fields) => Cow::Owned(fields),
        None => text,
    };
    found.cap(0, "private keys");
    let from = found.signals.len();
    code::detect(&text, index, &mut found.signals);
    found.cap(from, "codes");
    let from = found.signals.len();
    event::detect(&text, index, &mut found.signals);
    found.cap(from, "events");
    let from = found.signals.len();
    port_test::detect(&text, &mut found.signals, &mut found.hosts);
    found.cap(from, "port tests");
    let from = found.signals.len();
    message::detect(&text, index, &mut found.signals);
    found.cap(from, "messages");
    let from = found.signals.len();
    freerdp::detect(&text, &mut found.signals, &mut found.hosts);
    found.cap(from, "FreeRDP lines");
    let from = found.signals.len();
    guacd::detect(&text, index, &mut found.signals);
    found.cap(from, "guacd lines");
    let from = found.signals.len();
    xrdp::detect(&text, &mut found.signals);
    found.cap(from, "xrdp lines");
    let from = found.signals.len();
    let (certs, signals, hosts) = (&mut found.text_certs, &mut found.signals, &mut found.hosts);
    openssl_text::detect(&text, now, certs, signals, hosts);
    found.cap(from, "OpenSSL results");

    finish(found, index, now)
}

/// Decodes the certificates, judges them, matches and ranks.
fn finish(mut found: Found, index: &KnowledgeIndex, now: OffsetDateTime) -> Report {
    crate::order::sort_by_key(&mut found.certs, |(span, _)| *span);
    found
        .cuts
        .cap(&mut found.certs, 0, MAX_CERTIFICATES, "certificates");
    found
        .cuts
        .cap(&mut found.text_certs, 0, MAX_CERTIFICATES, "certificates");
    let mut decoded: Vec<Decoded> = Vec::new();
    for (span, der) in std::mem::take(&mut found.certs) {
        match cert::decode(&der, span, now) {
            Ok(c) => decoded.push(c),
            Err(why) => found.unreadable(UnreadableKind::Certificate, why.to_string(), span),
        }
    }
    openssl_text::merge(&mut decoded, std::mem::take(&mut found.text_certs));
    found
        .cuts
        .cap(&mut decoded, 0, MAX_CERTIFICATES, "certificates");
    if found.hosts.cut {
        found.cuts.record("hosts", scan::MAX_HOSTS);
    }
    cert::judge(&mut decoded, found.hosts.as_slice(), now);
    found.signals.extend(
        decoded
            .into_iter()
            .map(|c| Signal::Certificate(Box::new(c.facts))),
    );
    crate::order::sort_by_key(&mut found.signals, span_start);
    // The first by position, picked before sorting: a paste of 10 MB of broken PEM markers has 400 000
    // unreadable parts, and sorting them all is the one step that would not be linear.
    if found.unreadable.len() > MAX_UNREADABLE {
        found
            .unreadable
            .select_nth_unstable_by_key(MAX_UNREADABLE, |u| u.span);
        found
            .cuts
            .cap(&mut found.unreadable, 0, MAX_UNREADABLE, "unreadable parts");
    }
    crate::order::sort_by_key(&mut found.unreadable, |u| u.span);

    let matcher::Assessed {
        causes: assessed,
        collect,
    } = matcher::assess(&found.signals, found.hosts.as_slice(), index);
    let confirmed = assessed.iter().any(|a| !a.evidence.is_empty());
    let progress = stage::derive(&found.signals, &assessed, index);
    let ranking = rank::rank(assessed, progress.as_ref(), index);
    let mut causes = ranking.causes;
    let more_causes = causes.len().saturating_sub(MAX_CAUSES);
    causes.truncate(MAX_CAUSES);

    let mut notes = Vec::new();
    if let (Some(failed), Some(p)) = (ranking.unexplained, progress.as_ref()) {
        let shown: Vec<&str> = p
            .why
            .iter()
            .filter(|(s, _)| *s == failed)
            .map(|(_, w)| w.as_str())
            .collect();
        notes.push(format!(
            "The paste shows the connection failing at {} ({}), and no cause in this guide explains that \
             failure. The causes listed are only candidates: do not act on them without the evidence each \
             one names.",
            stage::label(index, failed),
            shown.join("; ")
        ));
    }
    notes.extend(found.cuts.note());
    if found
        .signals
        .iter()
        .any(|s| matches!(s, Signal::PrivateKey { .. }))
    {
        notes.push(private_key::ROTATE_NOTE.to_string());
    }
    let recognised = found
        .signals
        .iter()
        .any(|s| !matches!(s, Signal::PrivateKey { .. }));
    if !recognised && found.unreadable.is_empty() {
        let lead = if found.signals.is_empty() {
            NOTHING_RECOGNISED
        } else {
            ONLY_A_KEY
        };
        let what = site_or(&index.notes.what_to_paste, WHAT_TO_PASTE);
        notes.push(format!("{lead} {what}"));
    } else if recognised && causes.is_empty() && ranking.unexplained.is_none() {
        notes.push(NO_CAUSE.to_string());
    } else if !causes.is_empty() && !confirmed {
        // The matched error pages know their own logs and commands better than the site's generic advice.
        if collect.is_empty() {
            notes.push(site_or(&index.notes.no_evidence, NO_EVIDENCE).to_string());
        } else {
            notes.push(format!("{CANDIDATES_ONLY} {}", collect.join(" ")));
        }
    }
    if more_causes > 0 {
        let count = if more_causes == 1 {
            "One weaker candidate cause is".to_string()
        } else {
            format!("{more_causes} weaker candidate causes are")
        };
        notes.push(format!(
            "{count} not listed. {}",
            site_or(&index.notes.more_causes, MORE_CAUSES)
        ));
    }
    Report {
        signals: found.signals,
        causes,
        more_causes,
        unreadable: found.unreadable,
        notes,
        stage: progress.map(|p| p.report(index)),
    }
}

fn span_start(s: &Signal) -> usize {
    match s {
        Signal::Code { span, .. }
        | Signal::Event { span, .. }
        | Signal::PortTest { span, .. }
        | Signal::Message { span, .. }
        | Signal::Progress { span, .. }
        | Signal::CertWarning { span, .. }
        | Signal::LogLine { span, .. }
        | Signal::TlsError { span, .. }
        | Signal::PrivateKey { span, .. } => span[0],
        Signal::Certificate(c) => c.span[0],
    }
}

/// Reads a file's bytes: DER (what `Export-Certificate` and `certutil -encode`-less exports write), or
/// text in UTF-8 or UTF-16 with a byte-order mark (what PowerShell's `>` writes), or anything else as lossy
/// UTF-8.
///
/// Spans refer to the decoded text (without its byte-order mark), or to `bytes` for DER.
pub fn diagnose_bytes(bytes: &[u8], index: &KnowledgeIndex, now: OffsetDateTime) -> Report {
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return diagnose(&String::from_utf8_lossy(rest), index, now);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]) {
        return diagnose(&utf16(rest, u16::from_le_bytes), index, now);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        return diagnose(&utf16(rest, u16::from_be_bytes), index, now);
    }
    if matches!(bytes, [0x30, 0x80..=0x84, ..]) {
        let mut found = Found::default();
        let span = [0, bytes.len()];
        match first_element(bytes) {
            Some(der) => found.der(der.to_vec(), span, false),
            None => found.unreadable(
                UnreadableKind::Certificate,
                "the file starts like DER but is cut off or malformed",
                span,
            ),
        }
        return finish(found, index, now);
    }
    diagnose(&String::from_utf8_lossy(bytes), index, now)
}

fn utf16(bytes: &[u8], from: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| {
        from([
            c.first().copied().unwrap_or(0),
            c.get(1).copied().unwrap_or(0),
        ])
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or('\u{fffd}'))
        .collect()
}

#[cfg(test)]
#[path = "engine_tests.rs"]
pub(crate) mod tests;
