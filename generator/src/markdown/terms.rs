//! Terms: how text becomes the words the search index stores, the same way for every field.
//!
//! Words are runs of letters, digits and `_`, lower-cased; common English words are dropped; codes become
//! canonical hex (`0x00000904` -> `0x904`, so the client can turn `904`, `2308` or `-2146885613` into the
//! same term); words of ASCII letters are stemmed with Snowball English (`renewing` -> `renew`), the
//! algorithm that `search.js` runs on a query, so a query's words meet the index's.

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::cell::RefCell;

use fixbook_checker::canonical_code;

/// Calls `emit` with each term of `text`, stemmed (unsorted, with repeats).
#[cfg(test)]
pub(crate) fn terms_of<'a>(text: &'a str, mut emit: impl FnMut(Cow<'a, str>)) {
    words_of(text, |w| emit(stemmed(w)));
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

/// Calls `emit` with each word of `text`, lower-cased, not yet stemmed (unsorted, with repeats). Words are
/// runs of letters, digits and `_`. ASCII bytes (nearly all of a page) are classified by a table, and
/// whether a word needs lower-casing is learnt while it is scanned; a word already in lower case, as most
/// are, is borrowed, not copied.
pub(crate) fn words_of<'a>(text: &'a str, mut emit: impl FnMut(Cow<'a, str>)) {
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
    let lower = match seen {
        0 | 1 => Cow::Borrowed(raw),
        2 => Cow::Owned(raw.to_ascii_lowercase()),
        _ => Cow::Owned(raw.to_lowercase()),
    };
    emit(lower);
}

/// Whether a term is stemmed: only words of ASCII letters, three or more. The rule is simple on purpose:
/// `search.js` applies the same one to a query (digits, `_` and other scripts are left as written).
fn stems(term: &str) -> bool {
    term.len() >= 3 && term.bytes().all(|b| b.is_ascii_lowercase())
}

/// Most of a site's words repeat: each thread remembers the stems it made (bounded, cleared when full).
const STEM_CACHE: usize = 1 << 16;

/// A thread's stemmer and the stems it made.
type Stems = (rust_stemmers::Stemmer, FxHashMap<Box<str>, Box<str>>);

thread_local! {
    static STEMS: RefCell<Stems> =
        RefCell::new((rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English), FxHashMap::default()));
}

/// The Snowball English stem of a lower-case term (terms that [`stems`] excludes come back unchanged). Most
/// stems are a prefix of their word (`renewing` -> `renew`): those borrow the word instead of a new string.
pub(crate) fn stemmed(term: Cow<'_, str>) -> Cow<'_, str> {
    if !stems(&term) {
        return term;
    }
    STEMS.with_borrow_mut(|(stemmer, cache)| {
        let s: &str = match cache.get(term.as_ref()) {
            Some(s) => s,
            None => {
                if cache.len() >= STEM_CACHE {
                    cache.clear();
                }
                let s: Box<str> = stemmer.stem(&term).into();
                cache.entry(term.as_ref().into()).or_insert(s)
            }
        };
        match term {
            Cow::Borrowed(w) if w.starts_with(s) => Cow::Borrowed(&w[..s.len()]),
            Cow::Owned(mut w) if w.starts_with(s) => {
                w.truncate(s.len());
                Cow::Owned(w)
            }
            _ => Cow::Owned(s.to_string()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_share_a_stem() {
        for (a, b) in [
            ("renewing", "renew"),
            ("certificates", "certificate"),
            ("expired", "expires"),
        ] {
            assert_eq!(stemmed(Cow::Borrowed(a)), stemmed(Cow::Borrowed(b)));
        }
        assert_eq!(stemmed(Cow::Borrowed("0x904")), "0x904");
        assert_eq!(stemmed(Cow::Borrowed("nla_on")), "nla_on");
    }

    #[test]
    fn codes_become_canonical_terms() {
        let mut s = Vec::new();
        terms_of("Error code: 0x00000904, the Socket closed", |t| s.push(t));
        assert!(s.iter().any(|t| t == "0x904"));
        assert!(s.iter().any(|t| t == "socket"));
        assert!(s.iter().any(|t| t == "close"), "words are stemmed: {s:?}");
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
            ],
            "only words of ASCII letters are stemmed"
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
