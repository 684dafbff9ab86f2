//! Links to a decoded code: `#check=0x904`, `#check=0x904,0x7`, `#check=disconnect:0x904,extended:0x7`.
//!
//! ## Why a synthetic paste
//! A link names codes, never pasted text. Rather than a second way into the engine, the codes are written
//! back as the lines a dialog would show ("Error code: 0x904"), using each table's own first label, and the
//! page runs the ordinary [`crate::diagnose`] on that. The reader sees those lines in the checker, so what
//! was decoded is never hidden, and the answer is the one the same dialog would get.

use crate::index::{canonical_code, canonical_event_id, KnowledgeIndex, TableKind};

/// At most this many codes are read from one link: a link is for a dialog's worth of codes.
const MAX_CODES: usize = 16;

/// The paste that a `#check=` link stands for: one `label value` line per code, in link order.
///
/// `spec` is the part after `check=`, already percent-decoded. A bare value is looked up in every table
/// and gives a line per table that has a row for it; `scheme:value` names the table (and is written even
/// when the table has no such row, so the report can say the code is unknown). Unreadable items are
/// skipped; an empty result means nothing in the link could be read.
pub fn paste_for_codes(spec: &str, index: &KnowledgeIndex) -> String {
    let mut lines: Vec<String> = Vec::new();
    for item in items(spec) {
        let (scheme, raw) = match item.split_once(':') {
            Some((s, v)) => (Some(s.trim()), v.trim()),
            None => (None, item),
        };
        for table in &index.tables {
            if scheme.is_some_and(|s| !s.eq_ignore_ascii_case(&table.scheme)) {
                continue;
            }
            let Some(label) = table.labels.first() else {
                continue;
            };
            let value = match table.kind {
                TableKind::Code => canonical_code(raw),
                TableKind::Event => canonical_event_id(raw).map(|n| n.to_string()),
            };
            let Some(value) = value else {
                continue;
            };
            if scheme.is_none() && !table.rows.iter().any(|r| r.value == value) {
                continue;
            }
            let sep = if label.ends_with([':', '=']) { "" } else { ":" };
            let line = format!("{label}{sep} {value}");
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
    }
    lines.join("\n")
}

/// The items of a link's spec (`0x904`, `extended:0x7`), at most [`MAX_CODES`].
fn items(spec: &str) -> impl Iterator<Item = &str> {
    spec.split([',', ' ', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .take(MAX_CODES)
}

/// The values a link's spec names, as written (without their `scheme:`): what `shard` must fetch rows for.
pub(crate) fn raw_values(spec: &str) -> impl Iterator<Item = &str> {
    items(spec).map(|item| item.split_once(':').map_or(item, |(_, v)| v.trim()))
}

/// The `check=` part of a location hash (`#check=0x904,0x7`, also after other `&`-separated parts),
/// percent-decoded; `None` when the hash has no such part.
pub fn spec_from_hash(hash: &str) -> Option<String> {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let raw = hash
        .split('&')
        .find_map(|part| part.strip_prefix("check="))?;
    Some(percent_decode(raw))
}

/// Decodes `%3A`-style escapes; anything malformed is kept as written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{CodeRow, CodeTable};

    fn table(scheme: &str, kind: TableKind, label: &str, values: &[&str]) -> CodeTable {
        CodeTable {
            scheme: scheme.into(),
            kind,
            labels: vec![label.into()],
            rows: values
                .iter()
                .map(|v| CodeRow {
                    value: (*v).into(),
                    ..CodeRow::default()
                })
                .collect(),
            ..CodeTable::default()
        }
    }

    fn index() -> KnowledgeIndex {
        KnowledgeIndex {
            version: 1,
            tables: vec![
                table(
                    "disconnect",
                    TableKind::Code,
                    "Error code:",
                    &["0x904", "0x7"],
                ),
                table(
                    "extended",
                    TableKind::Code,
                    "Extended error code:",
                    &["0x7"],
                ),
                table("errinfo", TableKind::Code, "errorInfo", &["0x904"]),
                table("event", TableKind::Event, "Event ID:", &["36870"]),
            ],
            ..KnowledgeIndex::default()
        }
    }

    #[track_caller]
    fn check(spec: &str, expect: &str) {
        assert_eq!(paste_for_codes(spec, &index()), expect);
    }

    #[test]
    fn bare_values_are_looked_up_in_every_table() {
        check("0x904", "Error code: 0x904\nerrorInfo: 0x904");
        check(
            "0x00000904,0X7",
            "Error code: 0x904\nerrorInfo: 0x904\nError code: 0x7\nExtended error code: 0x7",
        );
        check("36870", "Event ID: 36870");
    }

    #[test]
    fn a_scheme_names_the_table() {
        check(
            "disconnect:0x904,extended:0x7",
            "Error code: 0x904\nExtended error code: 0x7",
        );
        check("extended:0x999", "Extended error code: 0x999");
    }

    #[test]
    fn unreadable_items_are_skipped() {
        check("", "");
        check("<script>,nosuch:0x1,0xZZ,904", "");
        check("0x904,0x904", "Error code: 0x904\nerrorInfo: 0x904");
    }

    #[test]
    fn hash_parts() {
        assert_eq!(
            spec_from_hash("#check=0x904,0x7").as_deref(),
            Some("0x904,0x7")
        );
        assert_eq!(
            spec_from_hash("#check=disconnect%3A0x904").as_deref(),
            Some("disconnect:0x904")
        );
        assert_eq!(spec_from_hash("#x=1&check=0x7").as_deref(), Some("0x7"));
        assert_eq!(spec_from_hash("#step-one"), None);
        assert_eq!(spec_from_hash("#check=%zz").as_deref(), Some("%zz"));
    }
}
