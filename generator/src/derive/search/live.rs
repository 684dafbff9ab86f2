//! The search index as `serve` keeps it between edits, so that the first search after an edit costs about
//! what any search does: an edit to a page recomputes that page's postings, the entries of the terms it
//! had or has, the term shards that hold those terms (the cut is content-defined, see
//! [`super::files::starts_shard`], so the other shards keep their bytes and names), its fragment, the
//! fragment list naming it, the vocabularies whose words came or went, and the manifest. Every file comes
//! out as [`super::search_files`] makes it for the same site (tested in `serve::incremental`).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::files::{
    cut_shards, entry, fragment, is_vocab_word, list_file, manifest, page_unit, post_unit, units,
    vocab_file, Posting, Unit, FRAGMENTS_PER_LIST, UNITS_PER_FRAGMENT,
};
use crate::model::Model;

/// A term, shared by the term map and the lists of the pages that post it.
type Term = Arc<str>;

/// The live index. The files (all but the manifest) are held by path, as they are served.
pub(crate) struct LiveIndex {
    /// Term -> its postings (ascending) and its shard entry.
    terms: BTreeMap<Term, (Vec<Posting>, String)>,
    /// Per page (unit), the terms it posts: what to take out when it changes, without a scan of every term.
    page_terms: Vec<Vec<Term>>,
    /// Units in all: pages, then the runs of code-table rows.
    units: usize,
    /// Fragment hashes, per group of [`UNITS_PER_FRAGMENT`] units.
    frags: Vec<String>,
    /// Fragment-list hashes, per [`FRAGMENTS_PER_LIST`] fragments.
    lists: Vec<String>,
    /// Term shards: first term -> hash.
    shards: BTreeMap<Term, String>,
    /// Vocabularies: first character -> hash.
    vocab: BTreeMap<char, String>,
    files: HashMap<String, String>,
    manifest: String,
}

impl LiveIndex {
    /// The index of `model`, whose bodies hold their terms (as in `serve`).
    pub(crate) fn new(model: &Model) -> LiveIndex {
        let all = units(model, |i| model.bodies.get(i).map(|b| &b.text));
        let mut index = LiveIndex {
            terms: BTreeMap::new(),
            page_terms: vec![Vec::new(); model.site.pages.len()],
            units: all.len(),
            frags: Vec::new(),
            lists: Vec::new(),
            shards: BTreeMap::new(),
            vocab: BTreeMap::new(),
            files: HashMap::new(),
            manifest: String::new(),
        };
        // Unit by unit, in order: each term's list grows in ascending order.
        let mut postings: FxHashMap<Term, Vec<Posting>> = FxHashMap::default();
        for (u, unit) in all.iter().enumerate() {
            let mut mine: FxHashMap<Cow<'_, str>, Vec<Posting>> = FxHashMap::default();
            post_unit(&mut mine, u, unit);
            let mut terms = Vec::with_capacity(mine.len());
            for (k, list) in mine {
                let term = match postings.get_key_value(k.as_ref()) {
                    Some((t, _)) => t.clone(),
                    None => Term::from(k.as_ref()),
                };
                postings.entry(term.clone()).or_default().extend(list);
                terms.push(term);
            }
            if let Some(slot) = index.page_terms.get_mut(u) {
                *slot = terms;
            }
        }
        index.terms = postings
            .into_iter()
            .map(|(k, list)| {
                let e = entry(&k, &list);
                (k, (list, e))
            })
            .collect();
        for g in 0..all.len().div_ceil(UNITS_PER_FRAGMENT) {
            index.frags.push(String::new());
            index.refresh_fragment(model, g, Some(&all));
        }
        index.recut(None, None);
        index.refresh_lists(None);
        let chars: BTreeSet<char> = index
            .terms
            .keys()
            .filter_map(|k| k.chars().next())
            .collect();
        index.refresh_vocab(&chars);
        index.refresh_manifest();
        index
    }

    /// Takes in the current text of pages `changed` (page indexes; the site's pages and tables are
    /// otherwise as when the index was made).
    pub(crate) fn update(&mut self, model: &Model, changed: &BTreeSet<usize>) {
        let mut touched: BTreeSet<Term> = BTreeSet::new();
        for &u in changed {
            self.repost_page(model, u, &mut touched);
        }
        let vocab_chars = self.refresh_entries(&touched);
        self.refresh_shards(&touched);
        let groups: BTreeSet<usize> = changed.iter().map(|u| u / UNITS_PER_FRAGMENT).collect();
        for &g in &groups {
            self.refresh_fragment(model, g, None);
        }
        self.refresh_lists(Some(&groups));
        self.refresh_vocab(&vocab_chars);
        self.refresh_manifest();
    }

    /// The manifest's bytes.
    pub(crate) fn manifest(&self) -> &str {
        &self.manifest
    }

    /// A file other than the manifest, by its path under the output (`assets/search/t.<hash>.json`).
    pub(crate) fn file(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// The index's files, as [`super::search_files`] makes them (in another order).
    #[cfg(test)]
    pub(crate) fn files(&self) -> super::SearchFiles {
        super::SearchFiles {
            manifest: self.manifest.clone(),
            files: self
                .files
                .iter()
                .map(|(p, b)| (p.clone(), b.clone()))
                .collect(),
        }
    }

    /// The postings of unit `u` alone, by term.
    fn unit_postings<'u>(
        &self,
        unit: Option<&'u Unit<'_>>,
        u: usize,
    ) -> BTreeMap<Term, Vec<Posting>> {
        let mut mine: FxHashMap<Cow<'u, str>, Vec<Posting>> = FxHashMap::default();
        if let Some(unit) = unit {
            post_unit(&mut mine, u, unit);
        }
        mine.into_iter()
            .map(|(k, list)| {
                let key = self
                    .terms
                    .get_key_value(k.as_ref())
                    .map(|(t, _)| t.clone())
                    .unwrap_or_else(|| Term::from(k.as_ref()));
                (key, list)
            })
            .collect()
    }

    /// Replaces page `u`'s postings with those of its current text; adds the terms whose postings
    /// changed to `touched` (a title edit touches the title's terms, not the page's hundreds of others).
    /// A unit's postings are the range `[u << 10, (u + 1) << 10)` of each list.
    fn repost_page(&mut self, model: &Model, u: usize, touched: &mut BTreeSet<Term>) {
        let Some(old) = self.page_terms.get_mut(u).map(std::mem::take) else {
            return;
        };
        let (lo, hi) = (unit_start(u), unit_start(u + 1));
        let unit = page_unit(model, u, model.bodies.get(u).map(|b| &b.text));
        let mine = self.unit_postings(unit.as_ref(), u);
        for t in old.into_iter().filter(|t| !mine.contains_key(t)) {
            if let Some((list, _)) = self.terms.get_mut(&t) {
                let a = list.partition_point(|&p| p < lo);
                let b = list.partition_point(|&p| p < hi);
                list.drain(a..b);
            }
            touched.insert(t);
        }
        let mut terms = Vec::with_capacity(mine.len());
        for (k, new) in mine {
            let (list, _) = self.terms.entry(k.clone()).or_default();
            let a = list.partition_point(|&p| p < lo);
            let b = list.partition_point(|&p| p < hi);
            if list.get(a..b) != Some(new.as_slice()) {
                list.splice(a..b, new);
                touched.insert(k.clone());
            }
            terms.push(k);
        }
        if let Some(slot) = self.page_terms.get_mut(u) {
            *slot = terms;
        }
    }

    /// Recomputes the entries of the `touched` terms, dropping those left without postings. Returns the
    /// first characters of vocabulary words that came or went (their vocabularies change).
    fn refresh_entries(&mut self, touched: &BTreeSet<Term>) -> BTreeSet<char> {
        let mut chars = BTreeSet::new();
        for k in touched {
            let gone = match self.terms.get_mut(k) {
                Some((list, _)) if list.is_empty() => true,
                Some((list, e)) => {
                    let was_new = e.is_empty();
                    *e = entry(k, list);
                    if was_new && is_vocab_word(k) {
                        chars.extend(k.chars().next());
                    }
                    false
                }
                None => false,
            };
            if gone {
                self.terms.remove(k);
                if is_vocab_word(k) {
                    chars.extend(k.chars().next());
                }
            }
        }
        chars
    }

    /// Re-cuts the shards that held a touched term, and the shard before each touched term that started
    /// one (that term may no longer start a shard, or exist). Runs of such shards are re-cut together from
    /// the first term of the run to the next untouched shard, which starts where it did.
    fn refresh_shards(&mut self, touched: &BTreeSet<Term>) {
        if self.shards.is_empty() {
            return self.recut(None, None);
        }
        let keys: Vec<Term> = self.shards.keys().cloned().collect();
        let mut dirty: BTreeSet<usize> = BTreeSet::new();
        for t in touched {
            // The shard holding `t`: the last one starting at or before it (terms before the first
            // shard's first term are new and join it).
            let at = keys.partition_point(|k| k <= t).saturating_sub(1);
            dirty.insert(at);
            if keys.get(at) == Some(t) && at > 0 {
                dirty.insert(at - 1);
            }
        }
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for d in dirty {
            match runs.last_mut() {
                Some((_, end)) if *end + 1 == d => *end = d,
                _ => runs.push((d, d)),
            }
        }
        for (from, to) in runs {
            let lo = if from == 0 { None } else { keys.get(from) };
            self.recut(lo, keys.get(to + 1));
        }
    }

    /// Replaces the shards from `lo` (or the lowest term) up to `hi` (or the end) by a cut of the terms
    /// there now.
    fn recut(&mut self, lo: Option<&Term>, hi: Option<&Term>) {
        let range = (
            lo.map_or(Bound::Unbounded, |k| Bound::Included(k.as_ref())),
            hi.map_or(Bound::Unbounded, |k| Bound::Excluded(k.as_ref())),
        );
        let old: Vec<(Term, String)> = self
            .shards
            .range::<str, _>(range)
            .map(|(k, h)| (k.clone(), h.clone()))
            .collect();
        for (k, hash) in old {
            self.shards.remove(&k);
            self.files.remove(&format!("assets/search/t.{hash}.json"));
        }
        let files = &mut self.files;
        let cut = cut_shards(
            self.terms
                .range::<str, _>(range)
                .map(|(k, (_, e))| (k.as_ref(), e.as_str())),
            &mut |path, body| {
                files.insert(path, body);
            },
        );
        for (first, hash) in cut {
            let key = self
                .terms
                .get_key_value(first.as_str())
                .map(|(k, _)| k.clone())
                .unwrap_or_else(|| Term::from(first.as_str()));
            self.shards.insert(key, hash);
        }
    }

    /// Rewrites fragment `g` from the current model; `all` when every unit is at hand already.
    fn refresh_fragment(&mut self, model: &Model, g: usize, all: Option<&[Unit<'_>]>) {
        let from = g * UNITS_PER_FRAGMENT;
        let to = (from + UNITS_PER_FRAGMENT).min(self.units);
        let pages = model.site.pages.len();
        let built;
        let group: &[Unit<'_>] = match all {
            Some(all) => all.get(from..to).unwrap_or(&[]),
            // A group of pages only: build just those units.
            None if to <= pages => {
                built = (from..to)
                    .filter_map(|i| page_unit(model, i, model.bodies.get(i).map(|b| &b.text)))
                    .collect::<Vec<_>>();
                &built
            }
            None => {
                built = units(model, |i| model.bodies.get(i).map(|b| &b.text));
                built.get(from..to).unwrap_or(&[])
            }
        };
        let body = fragment(group);
        let (path, hash) = super::files::named('f', &body);
        if let Some(slot) = self.frags.get_mut(g) {
            let old = std::mem::replace(slot, hash);
            if !old.is_empty() {
                self.files.remove(&format!("assets/search/f.{old}.json"));
            }
            self.files.insert(path, body);
        }
    }

    /// Rewrites the fragment lists that name a fragment of `groups` (all of them for `None`).
    fn refresh_lists(&mut self, groups: Option<&BTreeSet<usize>>) {
        let lists: BTreeSet<usize> = match groups {
            Some(g) => g.iter().map(|g| g / FRAGMENTS_PER_LIST).collect(),
            None => (0..self.frags.len().div_ceil(FRAGMENTS_PER_LIST)).collect(),
        };
        for l in lists {
            let from = l * FRAGMENTS_PER_LIST;
            let to = (from + FRAGMENTS_PER_LIST).min(self.frags.len());
            let hashes: Vec<&str> = self
                .frags
                .get(from..to)
                .unwrap_or(&[])
                .iter()
                .map(String::as_str)
                .collect();
            let (path, hash, body) = list_file(&hashes);
            if l >= self.lists.len() {
                self.lists.resize(l + 1, String::new());
            }
            if let Some(slot) = self.lists.get_mut(l) {
                let old = std::mem::replace(slot, hash);
                if !old.is_empty() {
                    self.files.remove(&format!("assets/search/d.{old}.json"));
                }
                self.files.insert(path, body);
            }
        }
    }

    /// Rewrites the vocabularies of the characters `chars` from the current terms.
    fn refresh_vocab(&mut self, chars: &BTreeSet<char>) {
        for &c in chars {
            let mut from = [0; 4];
            let from: &str = c.encode_utf8(&mut from);
            let words: Vec<&str> = self
                .terms
                .range::<str, _>((Bound::Included(from), Bound::Unbounded))
                .map(|(k, _)| k.as_ref())
                .take_while(|k| k.starts_with(c))
                .filter(|k| is_vocab_word(k))
                .collect();
            let new = (!words.is_empty()).then(|| vocab_file(&words));
            if let Some(old) = self.vocab.remove(&c) {
                self.files.remove(&format!("assets/search/v.{old}.json"));
            }
            if let Some((path, hash, body)) = new {
                self.vocab.insert(c, hash);
                self.files.insert(path, body);
            }
        }
    }

    fn refresh_manifest(&mut self) {
        self.manifest = manifest(
            self.units,
            self.shards.iter().map(|(k, h)| (k.as_ref(), h.as_str())),
            self.lists.iter().map(String::as_str),
            self.vocab.iter().map(|(c, h)| (*c, h.as_str())),
        );
    }
}

/// The first posting of unit `u` (see the format in `files`).
fn unit_start(u: usize) -> Posting {
    Posting::try_from((u as u64) << 10).unwrap_or(Posting::MAX)
}
