//! The search index: an inverted index small enough to fetch on first use of the search box.
//!
//! ## Shape (version 1)
//! `{"v":1,"docs":[[url,title,summary,kind],...],"terms":{"term":[d0,d1-d0,...]}}`: doc ids per term are
//! ascending and delta-encoded, which keeps the numbers short. Terms are lower-case words of two or more
//! characters (common English words dropped) from the title, headings, summary and body, plus every code in
//! canonical hex (`0x904`), so the client can turn `904`, `2308`, `0x00000904` or `-2146885613` into the
//! same term before looking it up.

use std::collections::{BTreeMap, BTreeSet};

use fixbook_checker::canonical_code;
use rayon::prelude::*;
use serde::Serialize;

use crate::load::KindData;
use crate::model::Model;

const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from",
    "has", "have", "if", "in", "into", "is", "it", "its", "not", "of", "on", "or", "so", "that",
    "the", "their", "then", "there", "these", "this", "to", "was", "were", "what", "when", "which",
    "with", "you", "your", "will", "than", "they", "one",
];

/// A document of the index: a page or a code table.
pub(super) struct SearchDoc<'a> {
    pub url: String,
    pub title: &'a str,
    pub summary: &'a str,
    pub kind: &'a str,
    pub text: Vec<&'a str>,
}

/// Adds the terms of `text` to `out`.
fn terms_of(text: &str, out: &mut BTreeSet<String>) {
    for raw in text.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        if raw.len() < 2 || raw.len() > 40 {
            continue;
        }
        if raw.len() > 2 && (raw.starts_with("0x") || raw.starts_with("0X")) {
            if let Some(c) = canonical_code(raw) {
                out.insert(c);
            }
            continue;
        }
        let w = raw.to_lowercase();
        if !STOP.contains(&w.as_str()) {
            out.insert(w);
        }
    }
}

#[derive(Serialize)]
struct Index<'a> {
    v: u32,
    docs: Vec<(&'a str, &'a str, &'a str, &'a str)>,
    terms: BTreeMap<String, Vec<u32>>,
}

/// Builds the search index JSON from the model (pages with rendered text) and code tables.
pub fn search_index(model: &Model) -> String {
    let mut docs: Vec<SearchDoc<'_>> = model
        .site
        .pages
        .iter()
        .zip(&model.bodies)
        .map(|(p, b)| {
            let mut text = vec![
                p.meta.title.as_str(),
                p.meta.summary.as_str(),
                b.text.as_str(),
            ];
            if let KindData::Error(e) = &p.data {
                text.extend(e.codes.iter().map(|c| c.value.as_str()));
                text.extend(e.messages.iter().map(String::as_str));
            }
            SearchDoc {
                url: model.url(p),
                title: &p.meta.title,
                summary: &p.meta.summary,
                kind: p.meta.kind.as_str(),
                text,
            }
        })
        .collect();
    for t in &model.site.tables {
        let mut text = vec![t.title.as_str(), t.scheme.as_str()];
        for r in &t.rows {
            text.extend([r.value.as_str(), r.name.as_str(), r.meaning.as_str()]);
        }
        docs.push(SearchDoc {
            url: model.prefixed(&format!("/codes/{}/", t.scheme)),
            title: &t.title,
            summary: "",
            kind: "codes",
            text,
        });
    }
    let per_doc: Vec<BTreeSet<String>> = docs
        .par_iter()
        .map(|d| {
            let mut set = BTreeSet::new();
            for t in &d.text {
                terms_of(t, &mut set);
            }
            set
        })
        .collect();
    let mut terms: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (i, set) in per_doc.into_iter().enumerate() {
        for t in set {
            terms.entry(t).or_default().push(i as u32);
        }
    }
    for ids in terms.values_mut() {
        let mut prev = 0;
        for id in ids.iter_mut() {
            let d = *id - prev;
            prev = *id;
            *id = d;
        }
    }
    let index = Index {
        v: 1,
        docs: docs
            .iter()
            .map(|d| (d.url.as_str(), d.title, d.summary, d.kind))
            .collect(),
        terms,
    };
    serde_json::to_string(&index).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_canonical_terms() {
        let mut s = BTreeSet::new();
        terms_of("Error code: 0x00000904, the Socket closed", &mut s);
        assert!(s.contains("0x904"));
        assert!(s.contains("socket"));
        assert!(!s.contains("the"));
    }
}
