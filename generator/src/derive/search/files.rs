//! The search index as files that a query fetches a few of: a small manifest, term shards, result
//! fragments and, for the typo fallback, vocabularies. What a reader downloads stays bounded as the site
//! grows (DESIGN.md, "Page constraints").
//!
//! ## Shape (version 2)
//! - **Documents** are sections. Each page is a *unit*, and so is each run of up to 63 rows of a code table
//!   (a row is a section whose anchor is its value). Section `s` of unit `u` is posted as the number
//!   `u * 1024 + s * 16 + flags`: bit 0, the term is in the page's title; bit 1, in the section's heading
//!   (or is a code the error page lists, or a row's value or name); bits 2-3 the unit's kind (0 guide,
//!   1 fix or cause, 2 error, 3 code table). Ranking needs no other data.
//! - **Term shards** `assets/search/t.<hash>.json`: `{"term":[count,p0,p1-p0,...],...}`, postings ascending
//!   and delta-encoded. A term in more than [`MAX_POSTINGS`] sections keeps its best ones (title and heading
//!   matches, then fix and cause pages, then errors), and `count` tells how many there are. Shards are runs
//!   of the sorted terms, cut where a term's hash says so (content-defined, like rsync's chunks), so an edit
//!   changes only the shards of the terms it touches, and a prefix (`certif` while typing) reads the one or
//!   two shards that hold its range.
//! - **Fragments** `assets/search/f.<hash>.json`: the results' text for [`UNITS_PER_FRAGMENT`] units, each
//!   `[url, title, kind, [[anchor, heading, snippet], ...]]`. A result list of ten reads at most ten.
//! - **Fragment lists** `assets/search/d.<hash>.json`: the hashes of [`FRAGMENTS_PER_LIST`] fragments.
//! - **Vocabularies** `assets/search/v.<hash>.json`: the word terms (three letters or more) by first
//!   character, read only when a query finds nothing and the typo fallback looks for a near word.
//! - **The manifest**, the one URL that pages name: `{"v":3,"n":units,"p":UNITS_PER_FRAGMENT,
//!   "l":FRAGMENTS_PER_LIST,"t":[[first term, hash],...],"d":[hash,...],"w":{"a":hash,...}}`. `n`, the
//!   number of units, lets a query weigh each word by how few units hold it (a rare word says more).
//!
//! Every file but the manifest is named by the hash of its bytes. The manifest is named by the hash of what
//! the index is made of ([`search_name`]), so pages can name it before the index is built.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use rustc_hash::FxHashMap;

use crate::hash::fnv1a;
use crate::load::{Kind, KindData};
use crate::markdown::terms::{stemmed, words_of};
use crate::markdown::{snippet, PageText};
use crate::model::Model;

/// Units whose text shares one fragment file: small enough that ten results read little.
pub(crate) const UNITS_PER_FRAGMENT: usize = 4;
/// Fragment hashes per fragment list.
pub(crate) const FRAGMENTS_PER_LIST: usize = 256;
/// Postings kept for one term; more are cut to the best (see the module's documentation).
pub(crate) const MAX_POSTINGS: usize = 1000;
/// The size a term shard aims at, in bytes of JSON.
const SHARD_BYTES: usize = 16 * 1024;
/// Code-table rows per unit (section 0 of each unit is the table itself).
const ROWS_PER_UNIT: usize = 63;

const TITLE: Posting = 1;
const HEADING: Posting = 2;

/// A posting (see the module's documentation): 32 bits hold 4,194,304 units, far more than any site's
/// pages, at half the memory of 64 (a 100,000-page site has tens of millions of postings).
pub(super) type Posting = u32;

/// Units past what a [`Posting`] can number are left out of the index.
const MAX_UNITS: usize = 1 << 22;

/// One unit of the index: a page, or a run of a code table's rows.
pub(super) struct Unit<'a> {
    url: String,
    title: &'a str,
    kind: &'static str,
    kind_bits: Posting,
    /// Sections; for a page, `sections[0]` is the intro.
    sections: Vec<UnitSection<'a>>,
    /// Text of section 0 that is not in its terms: title (flagged), summary, an error's codes (flagged as
    /// a heading) and messages.
    title_text: Vec<&'a str>,
    heading0: Vec<Cow<'a, str>>,
    body0: Vec<&'a str>,
}

struct UnitSection<'a> {
    anchor: Cow<'a, str>,
    heading: Cow<'a, str>,
    /// The section's text (without its heading), whose words are its terms.
    terms: Cow<'a, str>,
    snippet: Cow<'a, str>,
}

fn kind_bits(kind: Kind) -> Posting {
    match kind {
        Kind::Guide => 0,
        Kind::Fix | Kind::Cause => 1,
        Kind::Error => 2,
    }
}

/// The unit of page `i`, with its sections from its plain `text`.
pub(super) fn page_unit<'a>(
    model: &'a Model,
    i: usize,
    text: Option<&'a PageText>,
) -> Option<Unit<'a>> {
    let p = model.site.pages.get(i)?;
    let mut heading0 = Vec::new();
    let mut body0 = vec![p.meta.summary.as_str()];
    if let KindData::Error(e) = &p.data {
        heading0.extend(e.codes.iter().map(|c| Cow::Borrowed(c.value.as_str())));
        body0.extend(e.messages.iter().map(String::as_str));
    }
    let mut sections: Vec<UnitSection<'a>> = text
        .map(PageText::sections)
        .unwrap_or_default()
        .into_iter()
        .map(|s| UnitSection {
            anchor: Cow::Borrowed(s.anchor),
            heading: Cow::Borrowed(s.heading),
            terms: Cow::Borrowed(s.body),
            snippet: Cow::Owned(snippet(s.body)),
        })
        .collect();
    if sections.is_empty() {
        sections.push(UnitSection {
            anchor: Cow::Borrowed(""),
            heading: Cow::Borrowed(""),
            terms: Cow::Borrowed(""),
            snippet: Cow::Borrowed(""),
        });
    }
    // The intro's snippet: its text, or the summary when the page starts with a heading.
    if let Some(s0) = sections.first_mut() {
        if s0.snippet.is_empty() {
            s0.snippet = Cow::Borrowed(&p.meta.summary);
        }
    }
    Some(Unit {
        url: model.url(p),
        title: &p.meta.title,
        kind: p.meta.kind.as_str(),
        kind_bits: kind_bits(p.meta.kind),
        sections,
        title_text: vec![p.meta.title.as_str()],
        heading0,
        body0,
    })
}

/// The units of the index: pages in page order (`text(i)` is page `i`'s), then code tables.
pub(super) fn units<'a>(
    model: &'a Model,
    text: impl Fn(usize) -> Option<&'a PageText>,
) -> Vec<Unit<'a>> {
    let mut out: Vec<Unit<'a>> = (0..model.site.pages.len())
        .filter_map(|i| page_unit(model, i, text(i)))
        .collect();
    out.extend(table_units(model));
    out
}

/// The units of the code tables, in order: they follow the pages' units.
pub(super) fn table_units(model: &Model) -> Vec<Unit<'_>> {
    let mut out = Vec::new();
    for t in &model.site.tables {
        // A unit links one page: the rows of each page of a split table are cut into units apart.
        let units = t
            .rows
            .chunks(crate::outputs::CODE_TABLE_ROWS)
            .enumerate()
            .flat_map(|(k, page)| page.chunks(ROWS_PER_UNIT).map(move |rows| (k + 1, rows)));
        for (n, (k, rows)) in units.enumerate() {
            let url = model.prefixed(&crate::outputs::code_table_url(&t.scheme, k));
            let mut sections = vec![UnitSection {
                anchor: Cow::Borrowed(""),
                heading: Cow::Borrowed(""),
                terms: Cow::Borrowed(""),
                snippet: Cow::Borrowed(t.description.as_deref().unwrap_or("")),
            }];
            for r in rows {
                let value = crate::content::canonical_in(&t.scheme, &r.value)
                    .unwrap_or_else(|| r.value.clone());
                let heading = format!("{value} {}", r.name);
                sections.push(UnitSection {
                    anchor: Cow::Owned(value),
                    heading: Cow::Owned(heading),
                    terms: Cow::Borrowed(&r.meaning),
                    snippet: Cow::Borrowed(&r.meaning),
                });
            }
            let first = n == 0;
            out.push(Unit {
                url,
                title: &t.title,
                kind: "codes",
                kind_bits: 3,
                sections,
                title_text: if first {
                    vec![t.title.as_str()]
                } else {
                    Vec::new()
                },
                heading0: if first {
                    vec![Cow::Borrowed(t.scheme.as_str())]
                } else {
                    Vec::new()
                },
                body0: if first {
                    t.description.as_deref().into_iter().collect()
                } else {
                    Vec::new()
                },
            });
        }
    }
    out
}

/// The manifest's file name, `assets/search.<fingerprint>.json`, from what the index is made of: every
/// page's URL and source text (by the hash `load` took of it), every code table's rows, and the format.
/// So pages can name it before the index exists, and `build` makes the index while pages are written.
/// Same sources, same name; an edit that leaves the index as it was may still rename it.
pub fn search_name(model: &Model) -> String {
    use std::hash::Hasher;
    fn field(h: &mut rustc_hash::FxHasher, s: &str) {
        h.write(s.as_bytes());
        h.write_u8(0xff);
    }
    let mut h = rustc_hash::FxHasher::default();
    field(&mut h, concat!("search-v3 ", env!("CARGO_PKG_VERSION")));
    for u in table_units(model) {
        field(&mut h, &u.url);
        field(&mut h, u.title);
        u.heading0.iter().for_each(|s| field(&mut h, s));
        u.body0.iter().for_each(|s| field(&mut h, s));
        for s in &u.sections {
            field(&mut h, &s.anchor);
            field(&mut h, &s.heading);
            field(&mut h, &s.terms);
            field(&mut h, &s.snippet);
        }
    }
    for p in &model.site.pages {
        field(&mut h, &model.url(p));
        h.write_u64(p.src_hash);
    }
    format!("assets/search.{:010x}.json", h.finish() & 0xff_ffff_ffff)
}

/// The index's files: the manifest's bytes, and every other file by its path under the output.
pub struct SearchFiles {
    pub manifest: String,
    pub files: Vec<(String, String)>,
}

/// `assets/search/<k>.<hash>.json` and the hash that names it.
pub(super) fn named(k: char, bytes: &str) -> (String, String) {
    let hash = format!("{:016x}", fnv1a(bytes.as_bytes()));
    let short = hash.get(..10).unwrap_or(&hash).to_string();
    (format!("assets/search/{k}.{short}.json"), short)
}

/// Appends `s` as a JSON string.
pub(super) fn push_str_json(out: &mut String, s: &str) {
    if s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
    } else {
        out.push('"');
        out.push_str(s);
        out.push('"');
    }
}

/// Adds a posting, merging flags with the last one when it is the same section (sections are visited in
/// order, so a repeat is always the last entry).
pub(super) fn post<'a>(
    postings: &mut FxHashMap<Cow<'a, str>, Vec<Posting>>,
    term: Cow<'a, str>,
    value: Posting,
) {
    let list = postings.entry(term).or_default();
    match list.last_mut() {
        Some(last) if *last >> 4 == value >> 4 => *last |= value,
        _ => list.push(value),
    }
}

/// Builds every file of the index from the model, whose bodies hold their text (`serve`, tests).
pub fn search_files(model: &Model) -> SearchFiles {
    index_files(&units(model, |i| model.bodies.get(i).map(|b| &b.text)))
}

/// Where [`post_unit`] puts a unit's terms.
pub(super) trait Sink<'a> {
    /// A word of the text, in the section `at` names with `at`'s flags; not stemmed yet, so that a sink
    /// that has seen the word may know its term already.
    fn word(&mut self, word: Cow<'a, str>, at: Posting);
}

impl<'a> Sink<'a> for FxHashMap<Cow<'a, str>, Vec<Posting>> {
    fn word(&mut self, word: Cow<'a, str>, at: Posting) {
        post(self, stemmed(word), at);
    }
}

/// Hands every term of unit `u` to `sink` with its posting (a term repeats, once per field it is in).
pub(super) fn post_unit<'a>(sink: &mut impl Sink<'a>, u: usize, unit: &'a Unit<'_>) {
    let Some(u) = Posting::try_from(u)
        .ok()
        .filter(|&u| (u as usize) < MAX_UNITS)
    else {
        return;
    };
    let base = u << 10 | unit.kind_bits << 2;
    for (s, sec) in unit.sections.iter().enumerate() {
        let at = base | (s as Posting) << 4;
        if s == 0 {
            for t in &unit.title_text {
                words_of(t, |w| sink.word(w, at | TITLE));
            }
            for t in &unit.heading0 {
                words_of(t, |w| sink.word(w, at | HEADING));
            }
            for t in &unit.body0 {
                words_of(t, |w| sink.word(w, at));
            }
        }
        words_of(&sec.heading, |w| sink.word(w, at | HEADING));
        words_of(&sec.terms, |w| sink.word(w, at));
    }
}

/// A fragment file's body: the text of a group of units.
pub(super) fn fragment(group: &[Unit<'_>]) -> String {
    fragment_of(group.iter().map(fragment_row))
}

/// A unit's row in its fragment, `[url, title, kind, [[anchor, heading, snippet], ...]]`.
pub(super) fn fragment_row(u: &Unit<'_>) -> String {
    let mut out = String::with_capacity(
        64 + u
            .sections
            .iter()
            .map(|s| s.anchor.len() + s.heading.len() + s.snippet.len() + 12)
            .sum::<usize>(),
    );
    out.push('[');
    for field in [u.url.as_str(), u.title, u.kind] {
        push_str_json(&mut out, field);
        out.push(',');
    }
    out.push('[');
    for (i, s) in u.sections.iter().enumerate() {
        out.push_str(if i == 0 { "[" } else { ",[" });
        push_str_json(&mut out, &s.anchor);
        out.push(',');
        push_str_json(&mut out, &s.heading);
        out.push(',');
        push_str_json(&mut out, &s.snippet);
        out.push(']');
    }
    out.push_str("]]");
    out
}

/// A fragment file's body from its units' rows.
pub(super) fn fragment_of<S: AsRef<str>>(rows: impl Iterator<Item = S>) -> String {
    let mut out = String::from("[");
    for (i, r) in rows.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(r.as_ref());
    }
    out.push(']');
    out
}

fn index_files(units: &[Unit<'_>]) -> SearchFiles {
    let mut files = Vec::new();
    let manifest = stream_files(units, &mut |path, body| files.push((path, body)));
    SearchFiles { manifest, files }
}

/// Builds the index, handing each file to `sink` as soon as it is made; returns the manifest.
fn stream_files(units: &[Unit<'_>], sink: &mut dyn FnMut(String, String)) -> String {
    let mut postings: FxHashMap<Cow<'_, str>, Vec<Posting>> = FxHashMap::default();
    for (u, unit) in units.iter().enumerate() {
        post_unit(&mut postings, u, unit);
    }
    let frag_hashes: Vec<String> = units
        .chunks(UNITS_PER_FRAGMENT)
        .map(|g| {
            let body = fragment(g);
            let (path, hash) = named('f', &body);
            sink(path, body);
            hash
        })
        .collect();
    let mut keys: Vec<(Cow<'_, str>, Vec<Posting>)> = postings.into_iter().collect();
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    assemble(
        units.len(),
        keys.iter()
            .map(|(k, list)| (k.as_ref(), Cow::Owned(entry(k, list)))),
        keys.iter().map(|(k, _)| k.as_ref()),
        frag_hashes.iter().map(String::as_str),
        sink,
    )
}

/// The manifest, shards, fragment lists and vocabularies from the sorted terms' entries and the fragments'
/// hashes (the fragment files themselves are the caller's).
pub(super) fn assemble<'e>(
    units: usize,
    entries: impl Iterator<Item = (&'e str, Cow<'e, str>)>,
    keys: impl Iterator<Item = &'e str>,
    frag_hashes: impl Iterator<Item = &'e str>,
    sink: &mut dyn FnMut(String, String),
) -> String {
    let shards = cut_shards(entries, sink);
    let frag_hashes: Vec<&str> = frag_hashes.collect();
    let lists: Vec<String> = frag_hashes
        .chunks(FRAGMENTS_PER_LIST)
        .map(|list| {
            let (path, hash, body) = list_file(list);
            sink(path, body);
            hash
        })
        .collect();
    let mut vocab: BTreeMap<char, Vec<&str>> = BTreeMap::new();
    for k in keys.filter(|k| is_vocab_word(k)) {
        if let Some(c) = k.chars().next() {
            vocab.entry(c).or_default().push(k);
        }
    }
    let vocab: Vec<(char, String)> = vocab
        .into_iter()
        .map(|(c, words)| {
            let (path, hash, body) = vocab_file(&words);
            sink(path, body);
            (c, hash)
        })
        .collect();
    manifest(
        units,
        shards.iter().map(|(f, h)| (f.as_str(), h.as_str())),
        lists.iter().map(String::as_str),
        vocab.iter().map(|(c, h)| (*c, h.as_str())),
    )
}

/// Cuts sorted term entries into shard files, handing each to `sink`; returns each shard's first term and
/// hash. The first entry always starts a shard, later ones where [`starts_shard`] says so: so re-cutting
/// a run of terms that begins at a shard's first term gives the shards a cut of all terms would.
pub(super) fn cut_shards<'e, E: AsRef<str>>(
    entries: impl Iterator<Item = (&'e str, E)>,
    sink: &mut dyn FnMut(String, String),
) -> Vec<(String, String)> {
    let mut shards: Vec<(String, String)> = Vec::new();
    let mut cur = String::new();
    let mut first = String::new();
    let mut flush = |first: &mut String, cur: &mut String, shards: &mut Vec<(String, String)>| {
        cur.push('}');
        let body = std::mem::take(cur);
        let (path, hash) = named('t', &body);
        sink(path, body);
        shards.push((std::mem::take(first), hash));
    };
    for (k, e) in entries {
        let e = e.as_ref();
        if starts_shard(k, e.len()) && !cur.is_empty() {
            flush(&mut first, &mut cur, &mut shards);
        }
        if cur.is_empty() {
            cur.push('{');
            first = k.to_string();
        } else {
            cur.push(',');
        }
        cur.push_str(e);
    }
    if !cur.is_empty() {
        flush(&mut first, &mut cur, &mut shards);
    }
    shards
}

/// A fragment list's path, hash and body.
pub(super) fn list_file(frag_hashes: &[&str]) -> (String, String, String) {
    let body = serde_json::to_string(frag_hashes).unwrap_or_else(|_| "[]".into());
    let (path, hash) = named('d', &body);
    (path, hash, body)
}

/// Whether a term goes in the typo fallback's vocabularies: words of three letters or more.
pub(super) fn is_vocab_word(k: &str) -> bool {
    k.chars().count() >= 3 && k.chars().all(char::is_alphabetic)
}

/// A vocabulary's path, hash and body: the sorted words that start with one character.
pub(super) fn vocab_file(words: &[&str]) -> (String, String, String) {
    let body = serde_json::to_string(words).unwrap_or_else(|_| "[]".into());
    let (path, hash) = named('v', &body);
    (path, hash, body)
}

/// The manifest of an index of `units` units from the shards (first term, hash), the fragment lists'
/// hashes and the vocabularies (first character, hash), each in order.
pub(super) fn manifest<'a>(
    units: usize,
    shards: impl Iterator<Item = (&'a str, &'a str)>,
    lists: impl Iterator<Item = &'a str>,
    vocab: impl Iterator<Item = (char, &'a str)>,
) -> String {
    let mut manifest = String::from("{\"v\":3,");
    let _ = write!(
        manifest,
        "\"n\":{units},\"p\":{UNITS_PER_FRAGMENT},\"l\":{FRAGMENTS_PER_LIST},\"t\":["
    );
    for (i, (first, hash)) in shards.enumerate() {
        if i > 0 {
            manifest.push(',');
        }
        // The first shard starts at the lowest term there is.
        manifest.push('[');
        push_str_json(&mut manifest, if i == 0 { "" } else { first });
        manifest.push(',');
        push_str_json(&mut manifest, hash);
        manifest.push(']');
    }
    manifest.push_str("],\"d\":[");
    for (i, hash) in lists.enumerate() {
        if i > 0 {
            manifest.push(',');
        }
        push_str_json(&mut manifest, hash);
    }
    manifest.push_str("],\"w\":{");
    for (i, (c, hash)) in vocab.enumerate() {
        if i > 0 {
            manifest.push(',');
        }
        push_str_json(&mut manifest, &c.to_string());
        manifest.push(':');
        push_str_json(&mut manifest, hash);
    }
    manifest.push_str("}}");
    manifest
}

/// Whether term `k`, whose entry is `len` bytes, starts a new shard. The choice depends on the term alone
/// (its hash, and its size rounded up to a power of two): a term starts a shard with a probability of its
/// size over [`SHARD_BYTES`], so shards hold about that many bytes, and an edit that changes some terms'
/// postings moves a boundary only when such a term's rounded size changes (and only sometimes then). Cuts
/// made from running totals would instead move every boundary after an edited term.
pub(super) fn starts_shard(k: &str, len: usize) -> bool {
    let weight = len.next_power_of_two() as u64;
    // FNV's low bits barely differ between terms that differ in their last letter (`0x8009005`,
    // `0x8009008`): a finaliser (MurmurHash3's) spreads every bit before the top 32 are used.
    let mut h = fnv1a(k.as_bytes());
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    let h = h >> 32;
    h * (SHARD_BYTES as u64) < weight << 32
}

/// A term's shard entry, `"term":[count,p0,d1,...]`, its postings (ascending) cut to the best
/// [`MAX_POSTINGS`].
pub(super) fn entry(term: &str, list: &[Posting]) -> String {
    if list.len() > MAX_POSTINGS {
        let mut kept = list.to_vec();
        keep_best(&mut kept);
        entry_of(term, list.len(), &kept)
    } else {
        entry_of(term, list.len(), list)
    }
}

/// The entry of a term posted in `count` sections, of which `kept` (ascending) are listed.
pub(super) fn entry_of(term: &str, count: usize, kept: &[Posting]) -> String {
    let mut out = String::with_capacity(term.len() + 4 + kept.len() * 7);
    push_str_json(&mut out, term);
    out.push_str(":[");
    let mut num = itoa::Buffer::new();
    out.push_str(num.format(count));
    let mut prev = 0;
    for p in kept {
        out.push(',');
        out.push_str(num.format(p - prev));
        prev = *p;
    }
    out.push(']');
    out
}

/// Cuts `list` to its best [`MAX_POSTINGS`], in ascending order: title or heading matches first, then fix
/// and cause pages, then errors, then site order. A total order, so the best of a list are the best of the
/// best of its parts: `build` cuts each thread's lists as they grow and again when it joins them.
pub(super) fn keep_best(list: &mut Vec<Posting>) {
    if list.len() > MAX_POSTINGS {
        let rank = |p: Posting| -> u8 {
            let field = u8::from(p & (TITLE | HEADING) != 0);
            let kind = match (p >> 2) & 3 {
                1 => 3,
                2 => 2,
                3 => 1,
                _ => 0,
            };
            field * 4 + kind
        };
        list.select_nth_unstable_by_key(MAX_POSTINGS - 1, |&p| (std::cmp::Reverse(rank(p)), p));
        list.truncate(MAX_POSTINGS);
    }
    list.sort_unstable();
}

#[cfg(test)]
#[path = "files_tests.rs"]
mod tests;
