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

/// Byte classes for [`terms_of`]: 0 ends a word, 1 a lower-case ASCII letter, digit or `_`, 2 an upper-case
/// ASCII letter, 3 the start of a non-ASCII character (decoded to decide).
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b >= 0x80 {
            3
        } else if b.is_ascii_uppercase() {
            2
        } else if b.is_ascii_alphanumeric() || b == b'_' {
            1
        } else {
            0
        };
        i += 1;
    }
    t
};

/// Calls `emit` with each term of `text` (unsorted, with repeats). Words are runs of letters, digits and
/// `_`. ASCII bytes (nearly all of a page) are classified by a table, and whether a word needs lower-casing
/// is learnt while it is scanned; a word already in lower case, as most are, is borrowed, not copied.
fn terms_of<'a>(text: &'a str, mut emit: impl FnMut(Cow<'a, str>)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let start = i;
        // Bit 1: an upper-case ASCII letter; bit 2: a non-ASCII letter.
        let mut seen = 0u8;
        while i < n {
            let class = CLASS[usize::from(bytes[i])];
            match class {
                0 => break,
                3 => match text[i..].chars().next() {
                    // `i` is on a character boundary: it advances by whole characters.
                    Some(c) if c.is_alphanumeric() => {
                        seen |= 3;
                        i += c.len_utf8();
                    }
                    _ => break,
                },
                _ => {
                    seen |= class;
                    i += 1;
                }
            }
        }
        if i > start {
            word(&text[start..i], seen, &mut emit);
        }
        // Skip the separator that ended the word (a whole character).
        if i < n {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
}

/// Common English words, which the index leaves out. All are ASCII and 2 to 5 letters long.
const STOP: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from", "has",
    "have", "if", "in", "into", "is", "it", "its", "not", "of", "on", "or", "so", "that", "the",
    "their", "then", "there", "these", "this", "to", "was", "were", "what", "when", "which",
    "with", "you", "your", "will", "than", "they", "one",
];

/// A word of up to 8 bytes as a number, ASCII letters folded to lower case (`| 0x20` leaves digits as they
/// are and turns `_` and non-ASCII bytes into bytes no letter has, so only case variants collide).
fn packed(word: &[u8]) -> u64 {
    word.iter()
        .enumerate()
        .fold(0, |k, (i, &b)| k | (u64::from(b | 0x20) << (8 * i)))
}

/// The stop words, packed and sorted: a stop-word test is a length check and a binary search.
static STOP_KEYS: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
    let mut keys: Vec<u64> = STOP.iter().map(|w| packed(w.as_bytes())).collect();
    keys.sort_unstable();
    keys
});

fn is_stop(word: &str) -> bool {
    word.len() <= 5 && STOP_KEYS.binary_search(&packed(word.as_bytes())).is_ok()
}

/// One word of [`terms_of`] (`seen` says whether it has upper-case or non-ASCII letters): stop words are
/// dropped here, per occurrence, before any hashing; codes become canonical (`0x00000904` -> `0x904`); the
/// rest lower case.
fn word<'a>(raw: &'a str, seen: u8, emit: &mut impl FnMut(Cow<'a, str>)) {
    if raw.len() < 2 || raw.len() > 40 || is_stop(raw) {
        return;
    }
    if raw.len() > 2 && (raw.starts_with("0x") || raw.starts_with("0X")) {
        if let Some(c) = canonical_code(raw) {
            emit(Cow::Owned(c));
        }
        return;
    }
    emit(match seen {
        0 | 1 => Cow::Borrowed(raw),
        2 => Cow::Owned(raw.to_ascii_lowercase()),
        _ => Cow::Owned(raw.to_lowercase()),
    });
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

/// Builds the search index JSON from the model (pages with their body terms) and code tables.
pub fn search_index(model: &Model) -> String {
    let terms: Vec<&str> = model.bodies.iter().map(|b| b.terms.as_str()).collect();
    search_docs(model).index(&terms)
}

/// The documents of the index, pages first (in page order), then code tables: the one statement of what
/// the index holds, from which both its file name and its content are made.
pub fn search_docs(model: &Model) -> SearchDocs<'_> {
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
    SearchDocs { docs }
}

/// The documents of the search index; `terms[i]` (the distinct body terms, one per line) belongs to page
/// `i`, and code tables have none. `build` keeps the terms apart from the model so that they are freed as
/// soon as the index is written.
pub struct SearchDocs<'a> {
    docs: Vec<SearchDoc<'a>>,
}

impl SearchDocs<'_> {
    /// The index's file name, `assets/search.<fingerprint>.json`, from what it is made of (every document's
    /// fields and terms, and the format) rather than from its bytes: so the name is known before the index
    /// is built, and `build` writes the index while pages render. Same content, same name; any change to
    /// what the index holds changes the name, so caches never serve a stale index.
    pub fn name<S: AsRef<str> + Sync>(&self, terms: &[S]) -> String {
        use rayon::prelude::*;
        use std::hash::Hasher;
        let per_doc: Vec<u64> = self
            .docs
            .par_iter()
            .enumerate()
            .map(|(i, d)| {
                let mut h = rustc_hash::FxHasher::default();
                let body = terms.get(i).map_or("", AsRef::as_ref);
                for field in [d.url.as_str(), d.title, d.summary, d.kind, body]
                    .into_iter()
                    .chain(d.text.iter().copied())
                {
                    h.write(field.as_bytes());
                    h.write_u8(0xff);
                }
                h.finish()
            })
            .collect();
        let mut h = rustc_hash::FxHasher::default();
        h.write(concat!("search-v1 ", env!("CARGO_PKG_VERSION")).as_bytes());
        for d in per_doc {
            h.write_u64(d);
        }
        format!("assets/search.{:010x}.json", h.finish() & 0xff_ffff_ffff)
    }

    /// The index JSON (shape in the module's documentation).
    pub fn index<S: AsRef<str>>(&self, terms: &[S]) -> String {
        let docs = &self.docs;
        // Postings. Body terms were made distinct in the parallel Markdown pass; the few other fields are
        // tokenised here. Documents are merged in order, so each list comes out ascending and a repeat of the
        // same document is always the last entry.
        let mut postings: FxHashMap<Cow<'_, str>, Vec<u32>> = FxHashMap::default();
        for (i, d) in docs.iter().enumerate() {
            let id = i as u32;
            // Documents after the pages are code tables, which have no body.
            if let Some(page_terms) = terms.get(i) {
                for t in page_terms.as_ref().lines() {
                    add(&mut postings, Cow::Borrowed(t), id);
                }
            }
            for t in &d.text {
                terms_of(t, |t| add(&mut postings, t, id));
            }
        }
        let mut keys: Vec<&str> = postings.keys().map(|k| k.as_ref()).collect();
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
        assert!(!s.iter().any(|t| t == "the"), "stop words are dropped");
    }

    #[test]
    fn words_split_at_any_non_letter_and_keep_unicode_letters() {
        let mut s = Vec::new();
        terms_of(
            "Zertifikat—Prüfung: NLA_on x ÉCHEC; café ½ a²b",
            |t| s.push(t),
        );
        assert_eq!(
            s,
            [
                "zertifikat",
                "prüfung",
                "nla_on",
                "échec",
                "café",
                "½",
                "a²b"
            ]
        );
    }

    #[test]
    fn stop_words_in_any_case_and_only_they_are_dropped() {
        assert!(STOP
            .iter()
            .all(|w| (2..=5).contains(&w.len()) && w.is_ascii()));
        for w in ["the", "The", "THE", "which", "an", "one"] {
            assert!(is_stop(w), "{w}");
        }
        for w in [
            "th", "thee", "them", "the_", "th3", "thé", "0x904", "whichs", "on_",
        ] {
            assert!(!is_stop(w), "{w}");
        }
    }
}
