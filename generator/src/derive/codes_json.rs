//! `codes.json`: every code -> its meaning, its row's URL, the error pages that show it and the causes it
//! points at. A stable file name, for help-desk tools that link tickets to the guide.

use std::collections::BTreeMap;

use fixbook_checker::KnowledgeIndex;
use serde::Serialize;

#[derive(Serialize)]
struct Entry<'a> {
    scheme: &'a str,
    value: &'a str,
    name: &'a str,
    meaning: &'a str,
    url: &'a str,
    pages: Vec<PageRef<'a>>,
    causes: Vec<PageRef<'a>>,
}

#[derive(Serialize)]
struct PageRef<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
}

/// `{"version": 1, "codes": {"disconnect:0x904": {...}}}`, keys sorted.
pub fn codes_json(index: &KnowledgeIndex) -> String {
    let mut codes = BTreeMap::new();
    for t in &index.tables {
        for r in &t.rows {
            let pages = index
                .errors
                .iter()
                .filter(|e| {
                    e.codes
                        .iter()
                        .any(|c| c.scheme == t.scheme && c.value == r.value)
                })
                .map(|e| PageRef {
                    id: &e.id,
                    title: &e.title,
                    url: &e.url,
                })
                .collect();
            let causes = r
                .causes
                .iter()
                .filter_map(|id| index.cause(id))
                .map(|c| PageRef {
                    id: &c.id,
                    title: &c.title,
                    url: &c.url,
                })
                .collect();
            codes.insert(
                format!("{}:{}", t.scheme, r.value),
                Entry {
                    scheme: &t.scheme,
                    value: &r.value,
                    name: &r.name,
                    meaning: &r.meaning,
                    url: &r.url,
                    pages,
                    causes,
                },
            );
        }
    }
    #[derive(Serialize)]
    struct Doc<'a> {
        version: u32,
        codes: BTreeMap<String, Entry<'a>>,
    }
    serde_json::to_string_pretty(&Doc { version: 1, codes }).unwrap_or_default()
}
