//! The search index: an inverted index small enough to fetch on first use of the search box.
//!
//! ## Shape (version 1)
//! `{"v":1,"docs":[[url,title,summary,kind],...],"terms":{"term":[d0,d1-d0,...]}}`: doc ids per term are
//! ascending and delta-encoded, which keeps the numbers short. Terms are lower-case words of two or more
//! characters (common English words dropped) from the title, headings, summary and body, plus every code in
//! canonical hex (`0x904`), so the client can turn `904`, `2308`, `0x00000904` or `-2146885613` into the
//! same term before looking it up.

use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;

use fixbook_checker::canonical_code;
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

/// The distinct terms of `text`, one per line, in no particular order: a page's share of the index.
pub fn distinct_terms(text: &str) -> String {
    let mut set: FxHashSet<Cow<'_, str>> = FxHashSet::default();
    set.reserve(text.len() / 16);
    terms_of(text, |t| {
        set.insert(t);
    });
    let mut out = String::with_capacity(set.iter().map(|t| t.len() + 1).sum());
    for t in set {
        out.push_str(&t);
        out.push('\n');
    }
    out
}

/// Calls `emit` with each term of `text` (unsorted, with repeats). Borrows where the word is already lower
/// case, which most words are, so tokenising allocates little. Words are runs of letters, digits and `_`;
/// ASCII bytes (nearly all of a page) are classified without decoding.
fn terms_of<'a>(text: &'a str, mut emit: impl FnMut(Cow<'a, str>)) {
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let (in_word, len) = if b.is_ascii() {
            (b.is_ascii_alphanumeric() || b == b'_', 1)
        } else {
            // `i` is always on a character boundary: it advances by whole characters.
            match text[i..].chars().next() {
                Some(c) => (c.is_alphanumeric(), c.len_utf8()),
                None => break,
            }
        };
        if !in_word {
            if i > start {
                word(&text[start..i], &mut emit);
            }
            start = i + len;
        }
        i += len;
    }
    if bytes.len() > start {
        word(&text[start..], &mut emit);
    }
}

/// One word of [`terms_of`]: codes become canonical (`0x00000904` -> `0x904`), the rest lower case.
fn word<'a>(raw: &'a str, emit: &mut impl FnMut(Cow<'a, str>)) {
    if raw.len() < 2 || raw.len() > 40 {
        return;
    }
    if raw.len() > 2 && (raw.starts_with("0x") || raw.starts_with("0X")) {
        if let Some(c) = canonical_code(raw) {
            emit(Cow::Owned(c));
        }
        return;
    }
    let w = if !raw.is_ascii() {
        Cow::Owned(raw.to_lowercase())
    } else if raw.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(raw.to_ascii_lowercase())
    } else {
        Cow::Borrowed(raw)
    };
    // Stop words are dropped once per distinct term when the index is written, not per occurrence.
    emit(w);
}

/// The search index's file name, `assets/search.<fingerprint>.json`, from what the index is made of (each
/// document's fields and distinct terms, the code tables, the index format) rather than from its bytes: so
/// the name is known before the index is built, and `build` writes the index while pages render.
/// Same content, same name; any change to what the index holds changes the name, so caches never serve a
/// stale index.
pub fn search_index_name(model: &Model, terms: &[String]) -> String {
    use rayon::prelude::*;
    use std::hash::Hasher;
    let pages: Vec<u64> = model
        .site
        .pages
        .par_iter()
        .zip(terms)
        .map(|(p, page_terms)| {
            let mut h = rustc_hash::FxHasher::default();
            h.write(model.url(p).as_bytes());
            for field in [&p.meta.title, &p.meta.summary, page_terms] {
                h.write(field.as_bytes());
                h.write_u8(0xff);
            }
            h.write(p.meta.kind.as_str().as_bytes());
            if let KindData::Error(e) = &p.data {
                for t in e.codes.iter().map(|c| &c.value).chain(&e.messages) {
                    h.write(t.as_bytes());
                    h.write_u8(0xff);
                }
            }
            h.finish()
        })
        .collect();
    let mut h = rustc_hash::FxHasher::default();
    h.write(concat!("search-v1 ", env!("CARGO_PKG_VERSION")).as_bytes());
    for p in pages {
        h.write_u64(p);
    }
    for t in &model.site.tables {
        for field in [&t.scheme, &t.title] {
            h.write(field.as_bytes());
            h.write_u8(0xff);
        }
        for r in &t.rows {
            for field in [&r.value, &r.name, &r.meaning] {
                h.write(field.as_bytes());
                h.write_u8(0xff);
            }
        }
    }
    format!("assets/search.{:010x}.json", h.finish() & 0xff_ffff_ffff)
}

/// Adds document `id` to the postings of `term`. Documents come in ascending order, so a repeat of the same
/// document is always the last entry.
fn add<'a>(postings: &mut FxHashMap<Cow<'a, str>, Vec<u32>>, term: Cow<'a, str>, id: u32) {
    let list = postings.entry(term).or_default();
    if list.last() != Some(&id) {
        list.push(id);
    }
}

#[derive(Serialize)]
struct Docs<'a>(Vec<(&'a str, &'a str, &'a str, &'a str)>);

/// Builds the search index JSON from the model (pages with rendered text) and code tables.
pub fn search_index(model: &Model) -> String {
    let terms: Vec<String> = model.bodies.iter().map(|b| b.terms.clone()).collect();
    search_index_of(model, &terms)
}

/// [`search_index`] with the pages' body terms given apart from the model: `build` moves them out so that
/// they are freed as soon as the index is written (`terms[i]` belongs to page `i`).
pub fn search_index_of(model: &Model, terms: &[String]) -> String {
    let mut docs: Vec<SearchDoc<'_>> = model
        .site
        .pages
        .iter()
        .map(|p| {
            let mut text = vec![p.meta.title.as_str(), p.meta.summary.as_str()];
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
    // Each document's distinct terms, in parallel.
    // Postings. Body terms were made distinct in the parallel Markdown pass; the few other fields are
    // tokenised here. Documents are merged in order, so each list comes out ascending and a repeat of the
    // same document is always the last entry.
    let mut postings: FxHashMap<Cow<'_, str>, Vec<u32>> = FxHashMap::default();
    for (i, d) in docs.iter().enumerate() {
        let id = i as u32;
        // Documents after the pages are code tables, which have no body.
        if let Some(page_terms) = terms.get(i) {
            for t in page_terms.lines() {
                add(&mut postings, Cow::Borrowed(t), id);
            }
        }
        for t in &d.text {
            terms_of(t, |t| add(&mut postings, t, id));
        }
    }
    let mut keys: Vec<&str> = postings
        .keys()
        .map(|k| k.as_ref())
        .filter(|k| !STOP.contains(k))
        .collect();
    keys.sort_unstable();
    let mut out = String::with_capacity(keys.len() * 32 + docs.len() * 160);
    out.push_str("{\"v\":1,\"docs\":");
    let doc_rows = Docs(
        docs.iter()
            .map(|d| (d.url.as_str(), d.title, d.summary, d.kind))
            .collect(),
    );
    out.push_str(&serde_json::to_string(&doc_rows).unwrap_or_else(|_| "[]".into()));
    out.push_str(",\"terms\":{");
    let mut num = itoa::Buffer::new();
    for (n, k) in keys.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        // Terms are letters, digits and `_`, which JSON takes as they are; anything else is escaped.
        if k.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
            out.push_str(&serde_json::to_string(k).unwrap_or_default());
        } else {
            out.push('"');
            out.push_str(k);
            out.push('"');
        }
        out.push_str(":[");
        let mut prev = 0;
        for (m, id) in postings[*k].iter().enumerate() {
            if m > 0 {
                out.push(',');
            }
            // Delta-encoded: short numbers for dense lists.
            out.push_str(num.format(id - prev));
            prev = *id;
        }
        out.push(']');
    }
    out.push_str("}}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_canonical_terms() {
        let mut s = Vec::new();
        terms_of("Error code: 0x00000904, the Socket closed", |t| s.push(t));
        assert!(s.iter().any(|t| t == "0x904"));
        assert!(s.iter().any(|t| t == "socket"));
        assert!(
            s.iter().any(|t| t == "the"),
            "stop words are dropped when the index is written"
        );
    }

    #[test]
    fn words_split_at_any_non_letter_and_keep_unicode_letters() {
        let mut s = Vec::new();
        terms_of("Zertifikat—Prüfung: NLA_on x ÉCHEC; café", |t| {
            s.push(t)
        });
        assert_eq!(s, ["zertifikat", "prüfung", "nla_on", "échec", "café"]);
    }
}
