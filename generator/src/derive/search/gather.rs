//! The search index as `build` makes it: while the pages are written. Each page's text is turned into
//! postings on the thread that writes the page, into that thread's own term map, and its fragment row is
//! written as soon as the rows of its group are all there; when every page is written, the threads' maps are
//! joined and the shards, fragment lists, vocabularies and manifest cut from them. So the site's terms and
//! snippets are never held, only postings, and a term's postings at most twice [`MAX_POSTINGS`] per thread
//! (its best are kept as it grows; see [`keep_best`]). The files are those [`super::search_files`] makes
//! for the same site (tested in `tests/build.rs`).

use std::borrow::Cow;
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::files::{
    assemble, entry_of, fragment_of, fragment_row, keep_best, named, page_unit, post_unit,
    table_units, Posting, Sink, Unit, MAX_POSTINGS, UNITS_PER_FRAGMENT,
};
use crate::markdown::terms::stemmed;
use crate::markdown::PageText;
use crate::model::Model;

/// One term's postings on one thread: how many sections post it, and the best of them (see [`keep_best`]).
#[derive(Default)]
struct Slot {
    count: usize,
    list: Vec<Posting>,
}

/// A thread's terms. Words are looked up as they come, before stemming: a word met again (most are)
/// costs one lookup, not a stemming and a lookup of its stem.
#[derive(Default)]
struct Postings {
    /// Term -> its slot.
    terms: FxHashMap<Box<str>, u32>,
    /// Word as written (lower case) -> the slot of its term.
    words: FxHashMap<Box<str>, u32>,
    slots: Vec<Slot>,
}

impl Postings {
    fn slot_of(&mut self, term: &str) -> u32 {
        if let Some(&s) = self.terms.get(term) {
            return s;
        }
        let s = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
        self.slots.push(Slot::default());
        self.terms.insert(term.into(), s);
        s
    }

    /// Adds slot `s` at `at`, merging flags into the last posting when it is the same section: a unit's
    /// sections are posted one after the other, so a repeat within a section is always the last entry
    /// (a list is cut only when a new section is added to it).
    fn push(&mut self, s: u32, at: Posting) {
        let Some(slot) = self.slots.get_mut(s as usize) else {
            return;
        };
        match slot.list.last_mut() {
            Some(last) if *last >> 4 == at >> 4 => *last |= at,
            _ => {
                if slot.list.len() >= 2 * MAX_POSTINGS {
                    keep_best(&mut slot.list);
                }
                slot.list.push(at);
                slot.count += 1;
            }
        }
    }

    /// Every term with its slot.
    fn into_terms(self) -> impl Iterator<Item = (Box<str>, Slot)> {
        let mut slots = self.slots;
        self.terms.into_iter().map(move |(k, s)| {
            (
                k,
                slots
                    .get_mut(s as usize)
                    .map(std::mem::take)
                    .unwrap_or_default(),
            )
        })
    }
}

impl<'a> Sink<'a> for Postings {
    fn word(&mut self, word: Cow<'a, str>, at: Posting) {
        let s = match self.words.get(word.as_ref()) {
            Some(&s) => s,
            None => {
                let w: Box<str> = word.as_ref().into();
                let s = self.slot_of(&stemmed(word));
                self.words.insert(w, s);
                s
            }
        };
        self.push(s, at);
    }
}

/// Fragment rows waiting for the rest of their group, and the groups' hashes once written.
#[derive(Default)]
struct Fragments {
    pending: FxHashMap<usize, Vec<(usize, String)>>,
    hashes: Vec<String>,
}

/// The index being made while `build` writes pages.
pub struct SearchGather<'m> {
    model: &'m Model,
    tables: Vec<Unit<'m>>,
    /// By rayon's thread index; the last one for any other thread.
    threads: Vec<Mutex<Postings>>,
    frags: Mutex<Fragments>,
}

impl<'m> SearchGather<'m> {
    pub fn new(model: &'m Model) -> SearchGather<'m> {
        let tables = table_units(model);
        let units = model.site.pages.len() + tables.len();
        SearchGather {
            model,
            tables,
            threads: (0..=rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
            frags: Mutex::new(Fragments {
                pending: FxHashMap::default(),
                hashes: vec![String::new(); units.div_ceil(UNITS_PER_FRAGMENT)],
            }),
        }
    }

    fn units(&self) -> usize {
        self.model.site.pages.len() + self.tables.len()
    }

    /// Takes in page `i` from its plain `text`, writing its fragment through `write` if it completes one.
    pub fn page<E>(
        &self,
        i: usize,
        text: &PageText,
        write: &mut impl FnMut(&str, &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        match page_unit(self.model, i, Some(text)) {
            Some(unit) => self.unit(i, &unit, write),
            None => Ok(()),
        }
    }

    fn unit<E>(
        &self,
        u: usize,
        unit: &Unit<'_>,
        write: &mut impl FnMut(&str, &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        let mine = rayon::current_thread_index()
            .filter(|&t| t + 1 < self.threads.len())
            .unwrap_or(self.threads.len() - 1);
        {
            let mut postings = self.threads[mine]
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            post_unit(&mut *postings, u, unit);
        }
        let row = fragment_row(unit);
        let g = u / UNITS_PER_FRAGMENT;
        let size = UNITS_PER_FRAGMENT.min(self.units() - g * UNITS_PER_FRAGMENT);
        let done = {
            let mut f = self.frags.lock().unwrap_or_else(PoisonError::into_inner);
            let rows = f.pending.entry(g).or_default();
            rows.push((u, row));
            if rows.len() == size {
                f.pending.remove(&g)
            } else {
                None
            }
        };
        if let Some(mut rows) = done {
            rows.sort_unstable_by_key(|r| r.0);
            let body = fragment_of(rows.iter().map(|r| r.1.as_str()));
            let (path, hash) = named('f', &body);
            write(&path, body.as_bytes())?;
            let mut f = self.frags.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(slot) = f.hashes.get_mut(g) {
                *slot = hash;
            }
        }
        Ok(())
    }

    /// Takes in the code tables, then writes the shards, fragment lists and vocabularies through `write`;
    /// returns the manifest. Every page must have been given to [`SearchGather::page`].
    pub fn finish<E>(
        self,
        mut write: impl FnMut(&str, &[u8]) -> Result<(), E>,
    ) -> Result<String, E> {
        let pages = self.model.site.pages.len();
        for (k, unit) in self.tables.iter().enumerate() {
            self.unit(pages + k, unit, &mut write)?;
        }
        let frags = self
            .frags
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        debug_assert!(frags.pending.is_empty(), "a page was not taken in");
        let mut all: FxHashMap<Box<str>, Slot> = FxHashMap::default();
        for t in self.threads {
            let t = t.into_inner().unwrap_or_else(PoisonError::into_inner);
            for (k, s) in t.into_terms() {
                match all.get_mut(&k) {
                    Some(have) => {
                        have.count += s.count;
                        have.list.extend(s.list);
                        if have.list.len() > 2 * MAX_POSTINGS {
                            keep_best(&mut have.list);
                        }
                    }
                    None => {
                        all.insert(k, s);
                    }
                }
            }
        }
        let mut terms: Vec<(Box<str>, Slot)> = all.into_iter().collect();
        terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let (keys, mut slots): (Vec<Box<str>>, Vec<Slot>) = terms.into_iter().unzip();
        // Entries are made in parallel a block of terms at a time, and handed on in order.
        const BLOCK: usize = 4096;
        let entries = slots
            .chunks_mut(BLOCK)
            .zip(keys.chunks(BLOCK))
            .flat_map(|(block, ks)| {
                block
                    .par_iter_mut()
                    .zip(ks.par_iter())
                    .map(|(s, k)| {
                        keep_best(&mut s.list);
                        let e = entry_of(k, s.count, &s.list);
                        s.list = Vec::new();
                        (k.as_ref(), Cow::Owned(e))
                    })
                    .collect::<Vec<(&str, Cow<'_, str>)>>()
            });
        let mut failed = None;
        let mut sink = |path: String, body: String| {
            if failed.is_none() {
                if let Err(e) = write(&path, body.as_bytes()) {
                    failed = Some(e);
                }
            }
        };
        let manifest = assemble(
            pages + self.tables.len(),
            entries,
            keys.iter().map(AsRef::as_ref),
            frags.hashes.iter().map(String::as_str),
            &mut sink,
        );
        match failed {
            Some(e) => Err(e),
            None => Ok(manifest),
        }
    }
}
