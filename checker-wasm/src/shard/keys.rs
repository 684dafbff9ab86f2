//! The keys a paste yields without the index (see the parent module's "Why the keys are a superset"): its
//! values, row names and words, the values after the code tables' labels, and its certificate and port-test
//! findings.

use super::{cert_key, is_name, port_key, word_runs};
use crate::detect;
use crate::detect::scan::PhraseSet;
use crate::index::{canonical_code, KnowledgeIndex};
use crate::report::Signal;

/// The keys of certificate and port-test findings among `signals`.
pub(super) fn finding_keys(signals: &[Signal]) -> Vec<String> {
    let mut keys = Vec::new();
    for s in signals {
        match s {
            Signal::Certificate(c) => keys.extend(c.findings.iter().map(|f| cert_key(*f))),
            Signal::CertWarning { findings, .. } => {
                keys.extend(findings.iter().map(|f| cert_key(*f)))
            }
            Signal::PortTest { findings, .. } => keys.extend(findings.iter().map(|f| port_key(*f))),
            _ => {}
        }
    }
    keys
}

/// Every value, name and word key the paste could produce (see "Why the keys are a superset"), each
/// handed to `key` (maybe more than once) from one reused buffer: a long log holds many distinct numbers.
pub(super) fn paste_keys(paste: &str, mut key: impl FnMut(&str)) {
    let mut buf = String::new();
    let mut emit = |prefix: &str, body: &dyn std::fmt::Display| {
        use std::fmt::Write;
        buf.clear();
        buf.push_str(prefix);
        let _ = write!(buf, "{body}");
        key(&buf);
    };
    // Each distinct run once: a long log repeats its words.
    let runs: std::collections::HashSet<&str> = word_runs(paste).collect();
    for run in runs {
        emit("w:", &Lower(run));
        if is_name(run) {
            emit("n:", &run);
        }
        if let Some(v) = run
            .get(..2)
            .filter(|p| p.eq_ignore_ascii_case("0x"))
            .and(canonical_code(run))
        {
            emit("v:", &v);
        }
        if run.len() == 8 {
            if let Ok(n) = u64::from_str_radix(run, 16) {
                emit("v:", &format_args!("{n:#x}"));
            }
        }
        // Each digit run as an event id. (A decimal code is read only after a label: [`label_values`].)
        for digits in run
            .split(|c: char| !c.is_ascii_digit())
            .filter(|d| !d.is_empty())
        {
            if let Some(n) = digits.parse::<u64>().ok().filter(|n| *n <= 65535) {
                emit("v:", &n);
            }
        }
    }
    if paste.contains("guacd[") {
        for n in detect::guacd::reason_names() {
            emit("n:", &n);
        }
    }
}

/// A run of ASCII, lower-cased as it is written out.
struct Lower<'a>(&'a str);

impl std::fmt::Display for Lower<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write;
        self.0
            .chars()
            .try_for_each(|c| f.write_char(c.to_ascii_lowercase()))
    }
}

/// The values after every label of the code tables, read as the code detector reads them (decimal
/// `Reason= 2308` and negative HRESULTs included): the only place a decimal is a code.
pub(super) fn label_values(paste: &str, common: &KnowledgeIndex) -> Vec<String> {
    let labels = common
        .tables
        .iter()
        .filter(|t| t.kind == crate::TableKind::Code)
        .flat_map(|t| t.labels.iter().map(String::as_str));
    let (set, _) = PhraseSet::new(labels);
    let b = paste.as_bytes();
    let mut keys = Vec::new();
    // Every label match, not only the longest at a position: a superset of what the detector reads.
    set.scan(paste, false, |_, _, end| {
        if let Some((_, v)) = detect::code::read_value(b, end) {
            keys.push(format!("v:{}", v.hex));
        }
    });
    keys
}
