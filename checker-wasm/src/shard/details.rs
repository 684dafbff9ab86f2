//! Round two of the sharded index: what only *showing* a cause needs, fetched for the causes a report lists.
//!
//! ## Why two rounds
//! Ranking reads, per candidate cause, its signals (weights and stages), its stage, and which error pages
//! and code rows list it at which rank. Showing it needs its title, URL, fixes and the pages' reasons
//! ("why"). A common dialog on the 100,000-page corpus has 1,706 candidates of which a report lists at most
//! [`crate::limits::MAX_CAUSES`]. So the buckets carry each cause as a **skeleton** (its id, signals and
//! stage) where it is filed under one of its own signals' keys, else as a **stub** (id and stage: filed with
//! a page or row listing it, its signals cannot match the paste), and error pages without their id, URL,
//! title and reasons. The engine ranks on those, and the causes it will list are fetched as one small
//! **details** file each (`k/d/<cause ordinal>.<hash>.json`; one content hash of all details files, in the
//! common part, so a bucket need not name 2,000 of them). Nothing ranking reads is only in a details file,
//! so the ranking on skeletons and stubs is the ranking on the whole index, and with the listed causes'
//! details the report is the same byte for byte.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{fnv1a, fnv1a_on, Partial};
use crate::index::{
    CandidateCause, CauseEntry, CodeRow, ErrorEntry, FixLink, KnowledgeIndex, WeightedSignal,
};
use crate::{diagnose, Report};

/// What a report shows of one cause and ranking never reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Details {
    /// The cause's id: buckets name causes by [`Tokens`].
    pub(super) id: String,
    title: String,
    url: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<FixLink>,
    /// The cause's signals, for a cause fetched as a stub: the report says which evidence would confirm it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    signals: Vec<WeightedSignal>,
    /// The reasons error pages give for listing the cause: (page ordinal, position in its causes, the
    /// page's title, why). The ranker names the page in the reason it shows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    why: Vec<(usize, usize, String, String)>,
}

/// Short stand-ins for cause ids in buckets: a cause's id is 50 characters, and a bucket of a common
/// message names 2,000 causes, some several times (12 KB gzipped on the 100,000-page corpus). A token is
/// the id's position among all ids sorted, zero-padded, so tokens sort as their ids do and ranking, whose
/// ties fall back on ids, orders them the same. [`Partial::report`] gives the listed causes their ids back.
pub(super) struct Tokens<'a>(HashMap<&'a str, String>);

impl<'a> Tokens<'a> {
    pub(super) fn new(index: &'a KnowledgeIndex) -> Self {
        let mut ids: Vec<&str> = index.causes.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let width = ids.len().to_string().len();
        let map = ids
            .into_iter()
            .enumerate()
            .map(|(i, id)| (id, format!("{i:0width$}")))
            .collect();
        Tokens(map)
    }

    /// The token of cause id `id` (an id no cause has stays as it is).
    pub(super) fn of(&self, id: &str) -> String {
        self.0.get(id).cloned().unwrap_or_else(|| id.to_string())
    }

    /// `row` with its causes as tokens.
    pub(super) fn row(&self, row: &CodeRow) -> CodeRow {
        CodeRow {
            causes: row.causes.iter().map(|c| self.of(c)).collect(),
            ..row.clone()
        }
    }

    /// `page` with its causes as tokens.
    pub(super) fn page(&self, page: &ErrorEntry) -> ErrorEntry {
        let mut page = page.clone();
        for c in &mut page.causes {
            c.id = self.of(&c.id);
        }
        page
    }
}

/// The cause without what [`Details`] holds.
pub(super) fn skeleton(c: &CauseEntry, tokens: &Tokens<'_>) -> CauseEntry {
    CauseEntry {
        id: tokens.of(&c.id),
        signals: c.signals.clone(),
        stage: c.stage.clone(),
        ..CauseEntry::default()
    }
}

/// The cause as ranking reads it when none of its signals' keys is the paste's: its id and stage. Its
/// signals cannot match that paste (the paste would have fetched the bucket of their key, where the cause
/// is filed with them), so ranking needs only what page and row ranks give.
pub(super) fn stub(c: &CauseEntry, tokens: &Tokens<'_>) -> CauseEntry {
    CauseEntry {
        id: tokens.of(&c.id),
        stage: c.stage.clone(),
        ..CauseEntry::default()
    }
}

/// The error page as ranking reads it: its codes, messages, listed causes and what to paste next (a note
/// of the report), without its id, URL, title and reasons for listing causes (a reason and the title it
/// quotes travel with each cause's details).
pub(super) fn skeleton_page(e: &ErrorEntry, tokens: &Tokens<'_>) -> ErrorEntry {
    ErrorEntry {
        codes: e.codes.clone(),
        messages: e.messages.clone(),
        collect: e.collect.clone(),
        causes: e
            .causes
            .iter()
            .map(|c| CandidateCause {
                id: tokens.of(&c.id),
                why: String::new(),
            })
            .collect(),
        ..ErrorEntry::default()
    }
}

/// Each cause's details file's JSON, by cause ordinal, and the content hash of them all.
pub(super) fn files(index: &KnowledgeIndex) -> (Vec<String>, String) {
    let mut details: Vec<Details> = index
        .causes
        .iter()
        .map(|c| Details {
            id: c.id.clone(),
            title: c.title.clone(),
            url: c.url.clone(),
            fixes: c.fixes.clone(),
            signals: c.signals.clone(),
            why: Vec::new(),
        })
        .collect();
    // Cause ids are unique (the generator checks it): the first cause with an id is the one listed.
    let mut by_id: Vec<(&str, usize)> = index
        .causes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    by_id.sort_unstable();
    for (ei, e) in index.errors.iter().enumerate() {
        for (pos, cc) in e.causes.iter().enumerate() {
            if cc.why.is_empty() {
                continue;
            }
            let found = by_id.binary_search_by(|(id, _)| id.cmp(&cc.id.as_str()));
            let ci = found.ok().and_then(|k| by_id.get(k)).map(|(_, ci)| *ci);
            if let Some(d) = ci.and_then(|ci| details.get_mut(ci)) {
                d.why.push((ei, pos, e.title.clone(), cc.why.clone()));
            }
        }
    }
    let jsons: Vec<String> = details
        .iter()
        .map(|d| serde_json::to_string(d).unwrap_or_default())
        .collect();
    let h = jsons.iter().fold(fnv1a(b"details"), |h, j| {
        fnv1a_on(fnv1a_on(h, j.as_bytes()), b"\n")
    });
    let hash = format!("{h:016x}");
    (jsons, hash.get(..8).unwrap_or(&hash).to_string())
}

/// The path of cause `c`'s details file with content hash `hash`, relative to the common part's folder.
pub(super) fn path(c: usize, hash: &str) -> String {
    format!("k/d/{c}.{hash}.json")
}

/// Fills the skeletons of `causes` and the reasons of `errors` (both with their ordinals) from the details
/// loaded.
pub(super) fn fill(
    details: &[(usize, Details)],
    causes: &mut [(usize, CauseEntry)],
    errors: &mut [(usize, ErrorEntry)],
) {
    for (ci, d) in details {
        let Ok(k) = causes.binary_search_by_key(ci, |(i, _)| *i) else {
            continue;
        };
        let Some((_, c)) = causes.get_mut(k) else {
            continue;
        };
        c.title.clone_from(&d.title);
        c.url.clone_from(&d.url);
        c.fixes.clone_from(&d.fixes);
        c.signals.clone_from(&d.signals);
        for (ei, pos, title, why) in &d.why {
            let Ok(k) = errors.binary_search_by_key(ei, |(i, _)| *i) else {
                continue;
            };
            let Some((_, e)) = errors.get_mut(k) else {
                continue;
            };
            if let Some(cc) = e.causes.get_mut(*pos) {
                cc.why.clone_from(why);
                e.title.clone_from(title);
            }
        }
    }
}

impl Partial {
    /// Adds cause `c`'s details from its file's JSON (fetched for [`Partial::needed_details`]).
    pub fn add_details(&mut self, c: usize, json: &str) -> Result<(), String> {
        let d: Details = serde_json::from_str(json)
            .map_err(|e| super::not_loaded("a cause's details do not", &e))?;
        if !self.details.iter().any(|(l, _)| *l == c) {
            self.details.push((c, d));
        }
        Ok(())
    }

    /// The path of cause `c`'s details file (`None`: the index has no details files).
    pub fn details_path(&self, c: usize) -> Option<String> {
        let hash = &self.common.details;
        (!hash.is_empty()).then(|| path(c, hash))
    }

    /// The ordinal of the cause that a loaded bucket names by `token` (a report made on [`Partial::index`]
    /// names causes by their tokens).
    fn ordinal(&self, token: &str) -> Option<usize> {
        self.loaded
            .iter()
            .flat_map(|(_, s)| &s.causes)
            .find(|(_, c)| c.id == token)
            .map(|(i, _)| *i)
    }

    /// The causes whose details are still needed to show `report`, made on [`Partial::index`]: those it
    /// lists. (With the buckets of [`Partial::needed`] loaded, that report ranks as the whole index does.)
    pub fn details_for(&self, report: &Report) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for rc in &report.causes {
            if let Some(i) = self.ordinal(&rc.id) {
                if !out.contains(&i) && !self.details.iter().any(|(l, _)| *l == i) {
                    out.push(i);
                }
            }
        }
        out
    }

    /// [`Partial::details_for`] the report of `paste` at `now`: the second round of fetches.
    pub fn needed_details(&self, paste: &str, now: OffsetDateTime) -> Vec<usize> {
        self.details_for(&diagnose(paste, &self.index(), now))
    }

    /// The report of `paste` at `now`, as the whole index gives it once [`Partial::needed`]'s buckets and
    /// [`Partial::needed_details`]' details are loaded.
    pub fn report(&self, paste: &str, now: OffsetDateTime) -> Report {
        let mut report = diagnose(paste, &self.index(), now);
        self.name_causes(&mut report);
        report
    }

    /// Gives the causes of `report`, made on [`Partial::index`], their ids instead of their tokens.
    pub fn name_causes(&self, report: &mut Report) {
        for rc in &mut report.causes {
            let details = self
                .ordinal(&rc.id)
                .and_then(|i| self.details.iter().find(|(l, _)| *l == i));
            if let Some((_, d)) = details {
                rc.id.clone_from(&d.id);
            }
        }
    }
}
