//! The knowledge index in shards: a small common part every report needs, and buckets of entries that a
//! paste fetches only when it names them.
//!
//! ## Why
//! The whole index grows with the site (20 MB at 100,000 pages); a reader who pastes one dialog needs the
//! rows of its codes, the error pages that show them or its message, and the causes those pages list or
//! that its signals confirm. The design contract: what a reader downloads stays bounded as the site grows.
//!
//! ## How
//! Every entry is filed under the **keys** by which a paste can need it, keys a paste yields without the
//! index:
//! - `v:<value>` a value (canonical: `0x904`; event ids decimal): its code-table rows, the error pages
//!   showing it, and the causes with a signal on it or listed by those rows and pages;
//! - `n:<NAME>` a row by its symbolic name (`ERRCONNECT_TLS_CONNECT_FAILED`);
//! - `w:<word>` a phrase by its rarest word: the error pages with that message and the causes they list,
//!   the causes with that `text` signal;
//! - `f:cert:<finding>`, `f:port:<finding>`: the causes with a signal on that certificate or port-test
//!   finding.
//!
//! Keys hash (FNV-1a) into a fixed number of buckets, one file each, named by its content hash. A cause is
//! filed with the pages that list it, so one round of fetches brings every candidate: a common message
//! lists hundreds of causes on a large site, and fetching each by its id would touch most buckets. The
//! common part lists the phrase words, so the paste's other words cost nothing. [`Partial::needed`] lists
//! the buckets a paste needs; with them, [`Partial::index`] is an index on which `diagnose` gives the
//! report the whole index gives, byte for byte: every entry keeps its position (ordinal) in the whole
//! index, so ties rank the same, and a table keeps the families of all its rows
//! ([`CodeTable::families`]).
//!
//! Buckets carry only what ranking reads; what showing a cause needs comes in a second round, for the
//! causes a report lists (see [`details`]).
//!
//! ## Why the keys are a superset
//! A value, name or word key is taken from every token of the paste that could be read as one, not only
//! those a detector reads: fetching a bucket too many costs bytes, missing one would change the report.
//! Words are the paste's runs of letters, digits and `_`: a phrase matches only at word boundaries
//! (see `detect::scan::PhraseSet`), so each of a phrase's runs is a whole run of the paste.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::detect::scan::is_word;
use crate::index::{
    canonical_code, canonical_event_id, CauseEntry, CodeRow, CodeTable, ErrorEntry, KnowledgeIndex,
    Notes, SignalRule, Stage, INDEX_VERSION,
};
use crate::{detect, diagnose};

/// Raw bytes of the whole index per bucket. Only keys that occur fill buckets, so on a large site most
/// buckets hold one key's entries (a dialog's key on the 100,000-page corpus holds hundreds of KB).
/// `bench/checker-weight.mjs` measured 32 KB against 4 KB: on the 10,000- and 100,000-page corpora keys
/// then share buckets, and a dialog fetched 439 and 505 KB against 257 and 449 KB.
const BUCKET_BYTES: usize = 4 * 1024;

/// An index this small is one bucket: a dialog names a dozen keys, and on a small site their buckets,
/// where a cause is filed once per key, add up to more than the whole index (the repository's site: 60 KB
/// gzipped in 23 buckets, against 30 KB in one).
const SMALL_INDEX: usize = 256 * 1024;

/// The part of the index every report needs: tables without rows, stages, notes, the phrase words and the
/// bucket names. (Fields, not a flattened [`KnowledgeIndex`]: serde's `flatten` costs the wasm module
/// kilobytes.)
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Common {
    pub version: u32,
    /// The tables, with `rows` empty and `families` set.
    pub tables: Vec<CodeTable>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Stage>,
    #[serde(default)]
    pub notes: Notes,
    /// Error pages no key reaches (a message without a word, a page without codes or messages), with
    /// their ordinals in the whole index.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<(usize, ErrorEntry)>,
    /// The words phrases are filed under, sorted: a paste's other words need no bucket.
    pub words: Vec<String>,
    /// Each bucket's content hash (its file is `k/<bucket>.<hash>.json`), empty for an empty bucket.
    pub shards: Vec<String>,
    /// The content hash of all causes' details files together (cause `c`'s is `k/d/<c>.<hash>.json`): one
    /// hash, not one per cause, since a bucket listing 2,000 causes would carry 2,000 hashes (18 KB
    /// gzipped on the 100,000-page corpus).
    #[serde(default)]
    pub details: String,
}

/// One bucket as read back: entries with their ordinal in the whole index.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
struct Shard {
    /// (table index, row index in the table, row).
    #[serde(default)]
    rows: Vec<(usize, usize, CodeRow)>,
    /// (error page index, page).
    #[serde(default)]
    errors: Vec<(usize, ErrorEntry)>,
    /// (cause index, the cause's skeleton or stub): see [`details`].
    #[serde(default)]
    causes: Vec<(usize, CauseEntry)>,
}

/// 64-bit FNV-1a: stable across platforms and Rust versions, so the generator and the wasm agree.
fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_on(0xcbf2_9ce4_8422_2325, bytes)
}

/// FNV-1a of `bytes` continued from the hash `h` of what came before them.
fn fnv1a_on(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The bucket of `key` among `n`.
fn bucket_of(key: &str, n: usize) -> usize {
    let n = n.max(1) as u64;
    usize::try_from(fnv1a(key.as_bytes()) % n).unwrap_or(0)
}

/// The path of bucket `b`'s file with content hash `hash`, relative to the common part's folder.
fn shard_path(b: usize, hash: &str) -> String {
    format!("k/{b}.{hash}.json")
}

fn cert_key(f: crate::CertFinding) -> String {
    format!("f:cert:{}", f.as_str())
}

fn port_key(f: crate::PortFinding) -> String {
    format!("f:port:{}", f.as_str())
}

fn value_key(v: &str) -> String {
    format!(
        "v:{}",
        canonical_code(v).unwrap_or_else(|| v.trim().to_string())
    )
}

/// The lower-cased runs of letters, digits and `_` of `text`.
fn word_runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii() && is_word(c as u8)))
        .filter(|w| !w.is_empty())
}

/// A row name a paste can show as a token (see `detect::code`'s symbolic names).
fn is_name(n: &str) -> bool {
    n.len() >= 6 && n.contains('_') && n.bytes().all(is_word)
}

/// The word a phrase is filed under: its rarest among all phrases (ties: the longest, then the first
/// alphabetically), so a common word ("the", "computer") holds few phrases and its bucket stays small.
fn key_word(phrase: &str, words: &HashMap<String, usize>) -> Option<String> {
    let lower = phrase.to_ascii_lowercase();
    word_runs(&lower)
        .map(|w| {
            (
                words.get(w).copied().unwrap_or(0),
                std::cmp::Reverse(w.len()),
                w,
            )
        })
        .min()
        .map(|(_, _, w)| w.to_string())
}

/// How many phrases of the index hold each word.
fn word_counts(index: &KnowledgeIndex) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let texts =
        index
            .errors
            .iter()
            .flat_map(|e| e.messages.iter())
            .chain(index.causes.iter().flat_map(|c| {
                c.signals.iter().filter_map(|s| match &s.signal {
                    SignalRule::Text(t) => Some(t),
                    _ => None,
                })
            }));
    for t in texts {
        let lower = t.to_ascii_lowercase();
        let set: BTreeSet<&str> = word_runs(&lower).collect();
        for w in set {
            *counts.entry(w.to_string()).or_default() += 1;
        }
    }
    counts
}

/// Which bucket holds what: entry ordinals per bucket.
#[derive(Default, Clone)]
struct Filing {
    rows: BTreeSet<(usize, usize)>,
    errors: BTreeSet<usize>,
    /// Cause ordinal -> whether with its signals (filed under one of its own signals' keys) or as a stub
    /// (filed with a page or row that lists it): see [`details`].
    causes: BTreeMap<usize, bool>,
}

/// The buckets of `keys` among `n`, each once.
fn buckets(keys: &BTreeSet<String>, n: usize) -> BTreeSet<usize> {
    keys.iter().map(|k| bucket_of(k, n)).collect()
}

/// Adds the keys of a cause's own signals to `out`; false when a signal has none (a phrase without a word).
fn signal_keys(c: &CauseEntry, words: &HashMap<String, usize>, out: &mut BTreeSet<String>) -> bool {
    let mut all = true;
    for ws in &c.signals {
        match &ws.signal {
            SignalRule::Code(code) => out.insert(value_key(&code.value)),
            SignalRule::Event { id, .. } => out.insert(format!("v:{id}")),
            SignalRule::Cert(f) => out.insert(cert_key(*f)),
            SignalRule::PortTest(f) => out.insert(port_key(*f)),
            SignalRule::Text(t) => match key_word(t, words) {
                Some(w) => out.insert(format!("w:{w}")),
                None => {
                    all = false;
                    false
                }
            },
        };
    }
    all
}

/// Files every entry of `index` into `n` buckets; returns the filing, the errors no key reaches and the
/// phrase words.
fn file_all(index: &KnowledgeIndex, n: usize) -> (Vec<Filing>, Vec<usize>, BTreeSet<String>) {
    let words = word_counts(index);
    let mut filing = vec![Filing::default(); n];
    let mut phrase_words = BTreeSet::new();
    // The keys by which each cause may be needed: its signals', and those of the pages and rows listing it.
    let mut cause_keys: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for (ti, t) in index.tables.iter().enumerate() {
        for (ri, r) in t.rows.iter().enumerate() {
            let mut keys = BTreeSet::from([value_key(&r.value)]);
            if is_name(&r.name) {
                keys.insert(format!("n:{}", r.name));
            }
            for b in buckets(&keys, n) {
                if let Some(f) = filing.get_mut(b) {
                    f.rows.insert((ti, ri));
                }
            }
            for c in &r.causes {
                cause_keys
                    .entry(c)
                    .or_default()
                    .extend(keys.iter().cloned());
            }
        }
    }
    let mut always = Vec::new();
    for (ei, e) in index.errors.iter().enumerate() {
        let mut keys: BTreeSet<String> = e.codes.iter().map(|c| value_key(&c.value)).collect();
        let mut keyless = e.codes.is_empty() && e.messages.is_empty();
        for m in &e.messages {
            match key_word(m, &words) {
                Some(w) => {
                    phrase_words.insert(w.clone());
                    keys.insert(format!("w:{w}"));
                }
                None => keyless = true,
            }
        }
        if keyless {
            always.push(ei);
        }
        for b in buckets(&keys, n) {
            if let Some(f) = filing.get_mut(b) {
                f.errors.insert(ei);
            }
        }
        for c in &e.causes {
            cause_keys
                .entry(&c.id)
                .or_default()
                .extend(keys.iter().cloned());
        }
    }
    for (ci, c) in index.causes.iter().enumerate() {
        let mut listed = cause_keys.remove(c.id.as_str()).unwrap_or_default();
        let mut own = BTreeSet::new();
        // A signal without a key could match a paste that fetches none of the cause's own buckets: such a
        // cause travels with its signals everywhere.
        if !signal_keys(c, &words, &mut own) {
            own.append(&mut listed);
        }
        phrase_words.extend(
            own.iter()
                .filter_map(|k| k.strip_prefix("w:"))
                .map(str::to_string),
        );
        for b in buckets(&own, n) {
            if let Some(f) = filing.get_mut(b) {
                f.causes.insert(ci, true);
            }
        }
        for b in buckets(&listed, n) {
            if let Some(f) = filing.get_mut(b) {
                f.causes.entry(ci).or_insert(false);
            }
        }
    }
    (filing, always, phrase_words)
}

/// Writes the sharded index: each non-empty bucket through `write(path, json)` (paths relative to the
/// common part's folder), one at a time so a large site's buckets are never all in memory; returns the
/// common part's JSON.
pub fn write_shards<E>(
    index: &KnowledgeIndex,
    write: impl FnMut(&str, &[u8]) -> Result<(), E>,
) -> Result<String, E> {
    let size = json_size(index);
    let bucket_bytes = if size <= SMALL_INDEX {
        usize::MAX
    } else {
        BUCKET_BYTES
    };
    write_buckets(index, size, bucket_bytes, write)
}

/// The size of the whole index's JSON, counted without keeping it.
fn json_size(index: &KnowledgeIndex) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    serde_json::to_writer(&mut c, index).map_or(0, |()| c.0)
}

/// [`write_shards`] into buckets of about `bucket_bytes` of the whole index's JSON: tests split a small
/// index finely, so that a paste loads a strict subset of it.
pub fn write_shards_sized<E>(
    index: &KnowledgeIndex,
    bucket_bytes: usize,
    write: impl FnMut(&str, &[u8]) -> Result<(), E>,
) -> Result<String, E> {
    write_buckets(index, json_size(index), bucket_bytes, write)
}

/// [`write_shards_sized`] for an index whose JSON is `size` bytes.
fn write_buckets<E>(
    index: &KnowledgeIndex,
    size: usize,
    bucket_bytes: usize,
    mut write: impl FnMut(&str, &[u8]) -> Result<(), E>,
) -> Result<String, E> {
    let n = (size / bucket_bytes.max(1)).max(1).next_power_of_two();
    let (filing, always, words) = file_all(index, n);
    // Each entry is serialised once; a bucket's file is the concatenation of its entries'.
    let tokens = details::Tokens::new(index);
    let rows: Vec<Vec<String>> = index
        .tables
        .iter()
        .map(|t| t.rows.iter().map(|r| to_json(&tokens.row(r))).collect())
        .collect();
    let errors: Vec<String> = index
        .errors
        .iter()
        .map(|e| to_json(&details::skeleton_page(e, &tokens)))
        .collect();
    let (details, details_hash) = details::files(index);
    for (ci, json) in details.iter().enumerate() {
        write(&details::path(ci, &details_hash), json.as_bytes())?;
    }
    drop(details);
    let causes: Vec<(String, String)> = index
        .causes
        .iter()
        .map(|c| {
            (
                to_json(&details::skeleton(c, &tokens)),
                to_json(&details::stub(c, &tokens)),
            )
        })
        .collect();
    let mut hashes = Vec::with_capacity(n);
    let mut buf = String::new();
    for (b, f) in filing.iter().enumerate() {
        if f.rows.is_empty() && f.errors.is_empty() && f.causes.is_empty() {
            hashes.push(String::new());
            continue;
        }
        buf.clear();
        buf.push_str("{\"rows\":[");
        join(
            &mut buf,
            f.rows.iter().map(|&(t, r)| {
                let row = rows
                    .get(t)
                    .and_then(|rs| rs.get(r))
                    .map_or("null", String::as_str);
                format!("[{t},{r},{row}]")
            }),
        );
        buf.push_str("],\"errors\":[");
        join(
            &mut buf,
            f.errors
                .iter()
                .map(|&e| format!("[{e},{}]", errors.get(e).map_or("null", String::as_str))),
        );
        buf.push_str("],\"causes\":[");
        join(
            &mut buf,
            f.causes.iter().map(|(&c, &full)| {
                let json =
                    causes.get(c).map_or(
                        "null",
                        |(s, stub)| if full { s.as_str() } else { stub.as_str() },
                    );
                format!("[{c},{json}]")
            }),
        );
        buf.push_str("]}");
        let hash = format!("{:016x}", fnv1a(buf.as_bytes()));
        let hash = hash.get(..8).unwrap_or(&hash).to_string();
        write(&shard_path(b, &hash), buf.as_bytes())?;
        hashes.push(hash);
    }
    let common = Common {
        version: index.version,
        tables: index
            .tables
            .iter()
            .map(|t| CodeTable {
                rows: Vec::new(),
                families: t
                    .rows
                    .iter()
                    .filter_map(|r| {
                        canonical_code(&r.value)
                            .as_deref()
                            .and_then(detect::code::family)
                    })
                    .fold(t.families, |acc, f| acc | (1 << f)),
                ..t.clone()
            })
            .collect(),
        stages: index.stages.clone(),
        notes: index.notes.clone(),
        errors: always
            .iter()
            .filter_map(|&e| Some((e, tokens.page(index.errors.get(e)?))))
            .collect(),
        words: words.into_iter().collect(),
        shards: hashes,
        details: details_hash,
    };
    Ok(serde_json::to_string(&common).unwrap_or_default())
}

/// Appends `items` separated by commas.
fn join(buf: &mut String, items: impl Iterator<Item = String>) {
    for (i, item) in items.enumerate() {
        if i > 0 {
            buf.push(',');
        }
        buf.push_str(&item);
    }
}

/// Why a file does not load, by position only: formatting serde's error message would pull its
/// formatting of every kind of value (floats included) into the wasm module, some 20 KB.
fn not_loaded(what: &str, e: &serde_json::Error) -> String {
    format!(
        "{what} load: it is not what this checker reads at line {}, column {} (rebuild the site)",
        e.line(),
        e.column()
    )
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_string())
}

/// A common part and the buckets fetched so far.
#[derive(Debug, Clone, Default)]
pub struct Partial {
    common: Common,
    /// (bucket, shard), in the order fetched. A `Vec`, not a map: the module is smaller without another
    /// B-tree instance, and a paste loads a dozen buckets.
    loaded: Vec<(usize, Shard)>,
    /// (cause ordinal, details), in the order fetched: at most a report's causes per paste.
    details: Vec<(usize, details::Details)>,
}

impl Partial {
    /// Reads the common part's JSON; refuses another version than this engine's.
    pub fn from_common(json: &str) -> Result<Partial, String> {
        let common: Common = serde_json::from_str(json)
            .map_err(|e| not_loaded("the knowledge index does not", &e))?;
        if common.version != INDEX_VERSION {
            return Err(format!(
                "the knowledge index has version {}, this checker reads version {INDEX_VERSION}: rebuild the site",
                common.version
            ));
        }
        Ok(Partial {
            common,
            loaded: Vec::new(),
            details: Vec::new(),
        })
    }

    /// Adds bucket `b` from its file's JSON.
    pub fn add_json(&mut self, b: usize, json: &str) -> Result<(), String> {
        let shard: Shard =
            serde_json::from_str(json).map_err(|e| not_loaded("a knowledge shard does not", &e))?;
        if !self.is_loaded(b) {
            self.loaded.push((b, shard));
        }
        Ok(())
    }

    /// How many buckets the index has (some may be empty).
    pub fn buckets(&self) -> usize {
        self.common.shards.len()
    }

    /// The path of bucket `b`'s file, relative to the common part's folder (`None`: empty bucket).
    pub fn path(&self, b: usize) -> Option<String> {
        let hash = self.common.shards.get(b).filter(|h| !h.is_empty())?;
        Some(shard_path(b, hash))
    }

    /// The index made of the common part and the buckets loaded, entries in their whole-index order; causes
    /// are skeletons (see `details`) but for those whose details are loaded.
    pub fn index(&self) -> KnowledgeIndex {
        let mut index = self.common_index();
        // An entry filed under several keys comes in several buckets: sorted by ordinal, then deduplicated.
        let mut rows: Vec<(usize, usize, &CodeRow)> = Vec::new();
        let mut errors: Vec<(usize, &ErrorEntry)> =
            self.common.errors.iter().map(|(i, e)| (*i, e)).collect();
        let mut causes: Vec<(usize, &CauseEntry)> = Vec::new();
        for (_, s) in &self.loaded {
            rows.extend(s.rows.iter().map(|(t, r, row)| (*t, *r, row)));
            errors.extend(s.errors.iter().map(|(i, e)| (*i, e)));
            causes.extend(s.causes.iter().map(|(i, c)| (*i, c)));
        }
        crate::order::sort_by_key(&mut rows, |&(t, r, _)| (t, r));
        rows.dedup_by_key(|&mut (t, r, _)| (t, r));
        crate::order::sort_by_key(&mut errors, |&(i, _)| i);
        errors.dedup_by_key(|&mut (i, _)| i);
        // A cause's skeleton (with its signals) before its stubs.
        crate::order::sort_by_key(&mut causes, |&(i, c)| (i, usize::MAX - c.signals.len()));
        causes.dedup_by_key(|&mut (i, _)| i);
        for (t, _, row) in rows {
            if let Some(table) = index.tables.get_mut(t) {
                table.rows.push(row.clone());
            }
        }
        let mut errors: Vec<(usize, ErrorEntry)> =
            errors.into_iter().map(|(i, e)| (i, e.clone())).collect();
        let mut causes: Vec<(usize, CauseEntry)> =
            causes.into_iter().map(|(i, c)| (i, c.clone())).collect();
        details::fill(&self.details, &mut causes, &mut errors);
        index.errors = errors.into_iter().map(|(_, e)| e).collect();
        index.causes = causes.into_iter().map(|(_, c)| c).collect();
        index
    }

    fn is_loaded(&self, b: usize) -> bool {
        self.loaded.iter().any(|(l, _)| *l == b)
    }

    /// The common part alone as an index: what needs no bucket (tables' labels, stages, notes).
    fn common_index(&self) -> KnowledgeIndex {
        KnowledgeIndex {
            version: self.common.version,
            tables: self.common.tables.clone(),
            errors: Vec::new(),
            causes: Vec::new(),
            stages: self.common.stages.clone(),
            notes: self.common.notes.clone(),
        }
    }

    /// The buckets of `keys` that hold something and are not loaded yet.
    fn missing(&self, keys: impl IntoIterator<Item = String>) -> Vec<usize> {
        let n = self.common.shards.len();
        let mut buckets: Vec<usize> = keys
            .into_iter()
            .map(|k| bucket_of(&k, n))
            .filter(|b| !self.is_loaded(*b) && self.path(*b).is_some())
            .collect();
        crate::order::sort(&mut buckets);
        buckets.dedup();
        buckets
    }

    /// The buckets still needed to check `paste` at `now`: with them loaded, [`Partial::index`] gives the
    /// whole index's report (and this answers empty).
    pub fn needed(&self, paste: &str, now: OffsetDateTime) -> Vec<usize> {
        let common = self.common_index();
        let n = self.common.shards.len();
        let mut buckets: Vec<usize> = Vec::new();
        paste_keys(paste, |k| {
            let known = k.strip_prefix("w:").is_none_or(|w| {
                self.common
                    .words
                    .binary_search_by(|x| x.as_str().cmp(w))
                    .is_ok()
            });
            if known {
                buckets.push(bucket_of(k, n));
            }
        });
        let mut keys = label_values(paste, &common);
        // Certificate and port-test findings do not depend on the index: the common part finds them all.
        let signals = diagnose(paste, &common, now).signals;
        keys.extend(finding_keys(&signals));
        buckets.extend(keys.iter().map(|k| bucket_of(k, n)));
        buckets.retain(|b| !self.is_loaded(*b) && self.path(*b).is_some());
        crate::order::sort(&mut buckets);
        buckets.dedup();
        buckets
    }

    /// The buckets still needed to turn a `#check=` link's `spec` into lines (`paste_for_codes`).
    pub fn needed_for_codes(&self, spec: &str) -> Vec<usize> {
        let keys = crate::check_link::raw_values(spec).flat_map(|raw| {
            let code = canonical_code(raw);
            let event = canonical_event_id(raw).map(|n| n.to_string());
            code.into_iter().chain(event).map(|v| format!("v:{v}"))
        });
        let keys: Vec<String> = keys.collect();
        self.missing(keys)
    }
}

mod details;
mod keys;

use keys::{finding_keys, label_values, paste_keys};

#[cfg(test)]
#[path = "shard_tests.rs"]
pub(crate) mod tests;
