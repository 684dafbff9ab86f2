//! Working out what an edit affects: which pages show something of a changed page (its title, summary,
//! kind, id or step headings) and must be re-rendered, and which must be validated again. Finding them is
//! a lookup in [`Backrefs`], kept up to date page by page, rather than a scan of the whole site.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use super::incremental::Workspace;
use super::reload::key_of;
use crate::load::{Kind, KindData, Page};
use crate::markdown::Body;
use crate::model::Model;
use crate::render::home::{home_layout, HomeLayout};

/// How far around a page its section-neighbour window reaches: `render::templates` lists the 3 pages
/// before and the 3 after (prev and next are among them). A page is re-rendered when this window changes
/// or shows a changed page; the incremental-equals-full tests fail if the templates reach further.
pub(super) const WINDOW: usize = 3;

/// What to render at the next rebuild without errors.
#[derive(Default)]
pub(super) struct Pending {
    pub(super) all: bool,
    /// Page keys (`/<section>/<slug>/`).
    pub(super) pages: BTreeSet<String>,
    pub(super) sections: BTreeSet<String>,
    pub(super) home: bool,
    pub(super) tables: bool,
    /// Outputs to remove (deleted pages, dropped aliases), unless rendered again.
    pub(super) removed: BTreeSet<String>,
}

/// What to validate at the next rebuild: the pages whose problems may have changed, or all.
#[derive(Default)]
pub(super) struct Recheck {
    pub(super) all: bool,
    /// Whether output paths and URL names need checking again: a page came, went or changed its
    /// aliases, or a check found problems (their positions may have moved).
    pub(super) outputs: bool,
    pub(super) pages: BTreeSet<String>,
}

/// What other pages show of a page: when it changes, they are re-rendered.
#[derive(Clone, PartialEq)]
pub(super) struct Shown {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) kind: Kind,
    /// Heading ids and titles (a cause lists a fix's step by its title).
    pub(super) headings: Vec<(String, String)>,
}

/// A page's state before and after a change, for working out what else to re-render.
#[derive(Clone)]
pub(super) struct Snapshot {
    pub(super) shown: Shown,
    pub(super) out: Outgoing,
    /// Ids that list this page back: the causes of an error, the fixes of a cause.
    pub(super) listed_by: Vec<String>,
    /// An error page's codes (scheme, value): the code-table pages list the error under each.
    pub(super) codes: Vec<(String, String)>,
    pub(super) aliases: Vec<String>,
}

/// What a page points at: its links (by page key) and the ids it references.
#[derive(Clone, Default)]
pub(super) struct Outgoing {
    pub(super) id: String,
    pub(super) links: BTreeSet<String>,
    pub(super) refs: BTreeSet<String>,
}

impl Outgoing {
    pub(super) fn of(p: &Page, body: &Body) -> Outgoing {
        let mut refs: BTreeSet<String> = p.meta.related.iter().cloned().collect();
        match &p.data {
            KindData::Error(e) => refs.extend(e.causes.iter().map(|c| c.id.clone())),
            KindData::Cause(c) => refs.extend(c.fixes.iter().map(|f| f.id.clone())),
            _ => {}
        }
        Outgoing {
            id: p.meta.id.clone(),
            links: body
                .links
                .iter()
                .filter_map(|l| l.dest.split(['#', '?']).next())
                .filter(|d| d.starts_with('/'))
                .map(str::to_string)
                .collect(),
            refs,
        }
    }
}

/// Who points at what, kept up to date page by page, so that finding the pages an edit affects is a
/// lookup rather than a scan of the whole site.
#[derive(Default)]
pub(super) struct Backrefs {
    /// Page key -> keys of the pages that link to it.
    pub(super) links: HashMap<String, BTreeSet<String>>,
    /// Id -> keys of the pages that reference it (`related`, `causes`, `fixes`).
    pub(super) refs: HashMap<String, BTreeSet<String>>,
    /// Id -> keys of the pages that have it (two or more are duplicates).
    pub(super) ids: HashMap<String, BTreeSet<String>>,
}

impl Backrefs {
    pub(super) fn of(model: &Model) -> Backrefs {
        let mut b = Backrefs::default();
        for (p, body) in model.site.pages.iter().zip(&model.bodies) {
            b.add(&Model::rel_path(p), &Outgoing::of(p, body));
        }
        b
    }

    pub(super) fn add(&mut self, key: &str, o: &Outgoing) {
        for l in &o.links {
            self.links
                .entry(l.clone())
                .or_default()
                .insert(key.to_string());
        }
        for r in &o.refs {
            self.refs
                .entry(r.clone())
                .or_default()
                .insert(key.to_string());
        }
        self.ids
            .entry(o.id.clone())
            .or_default()
            .insert(key.to_string());
    }

    pub(super) fn remove(&mut self, key: &str, o: &Outgoing) {
        fn drop_from(map: &mut HashMap<String, BTreeSet<String>>, target: &str, key: &str) {
            if let Some(set) = map.get_mut(target) {
                set.remove(key);
                if set.is_empty() {
                    map.remove(target);
                }
            }
        }
        drop_from(&mut self.ids, &o.id, key);
        for l in &o.links {
            drop_from(&mut self.links, l, key);
        }
        for r in &o.refs {
            drop_from(&mut self.refs, r, key);
        }
    }
}

impl Workspace {
    pub(super) fn snapshot_of(&self, rel: &Path) -> Option<Snapshot> {
        let (_, key) = key_of(rel)?;
        let i = *self.model.by_path.get(&key)?;
        let p = &self.model.site.pages[i];
        let listed_by = match &p.data {
            KindData::Error(e) => e.causes.iter().map(|c| c.id.clone()).collect(),
            KindData::Cause(c) => c.fixes.iter().map(|f| f.id.clone()).collect(),
            _ => Vec::new(),
        };
        Some(Snapshot {
            shown: Shown {
                id: p.meta.id.clone(),
                title: p.meta.title.clone(),
                summary: p.meta.summary.clone(),
                kind: p.meta.kind,
                headings: self.model.bodies[i]
                    .headings
                    .iter()
                    .map(|h| (h.id.clone(), h.title.clone()))
                    .collect(),
            },
            listed_by,
            codes: match &p.data {
                KindData::Error(e) => e
                    .codes
                    .iter()
                    .map(|c| (c.scheme.clone(), c.value.clone()))
                    .collect(),
                _ => Vec::new(),
            },
            aliases: p.meta.aliases.clone(),
            out: Outgoing::of(p, &self.model.bodies[i]),
        })
    }

    /// Records which pages to validate again after the page at `key` changed: itself, the pages with
    /// its old or new id (duplicates), those that reference either id, and those that link to it.
    pub(super) fn mark_recheck(
        &mut self,
        key: &str,
        before: Option<&Snapshot>,
        after: Option<&Snapshot>,
    ) {
        self.recheck.pages.insert(key.to_string());
        if after.is_none() {
            self.page_diags.remove(key);
        }
        let mut ids: BTreeSet<&str> = before
            .iter()
            .chain(after.iter())
            .map(|s| s.shown.id.as_str())
            .collect();
        let unloaded: Vec<String> = self
            .model
            .site
            .unloaded
            .iter()
            .filter(|u| u.path == key)
            .filter_map(|u| u.id.clone())
            .collect();
        ids.extend(unloaded.iter().map(String::as_str));
        let mut keys = self.referrers(&ids);
        for id in &ids {
            keys.extend(self.backrefs.ids.get(*id).into_iter().flatten().cloned());
        }
        keys.extend(self.backrefs.links.get(key).into_iter().flatten().cloned());
        // The stage map's links decide which causes are on it: when it changes, any cause with a stage
        // may fall off the map or come back.
        let map = self.model.site.config.checker.stage_map.as_deref();
        if map.is_some_and(|m| ids.contains(m)) {
            let staged = self.model.site.pages.iter().filter(
                |p| matches!(&p.data, crate::load::KindData::Cause(c) if c.stage.is_some()),
            );
            keys.extend(staged.map(crate::model::Model::rel_path));
        }
        self.recheck.pages.extend(keys);
    }

    /// Marks the pages that reference one of `ids`, and the code tables if a row lists one.
    pub(super) fn mark_referrers(&mut self, ids: &BTreeSet<&str>) {
        let keys = self.referrers(ids);
        self.pending.pages.extend(keys);
        let in_tables = self.model.site.tables.iter().any(|t| {
            t.rows
                .iter()
                .any(|r| r.causes.iter().any(|c| ids.contains(c.as_str())))
        });
        if in_tables {
            self.pending.tables = true;
        }
    }

    /// Keys of the pages that reference one of `ids` (`related`, `causes`, `fixes`).
    fn referrers(&self, ids: &BTreeSet<&str>) -> Vec<String> {
        ids.iter()
            .flat_map(|id| self.backrefs.refs.get(*id).into_iter().flatten())
            .cloned()
            .collect()
    }

    /// A section's pages in navigation order, as keys.
    pub(super) fn order(&self, section: &str) -> Vec<String> {
        self.model
            .sections
            .iter()
            .find(|(s, _)| s == section)
            .map(|(_, v)| {
                v.iter()
                    .map(|&i| Model::rel_path(&self.model.site.pages[i]))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// What every page's shared context shows of the sections: name, title and count.
    pub(super) fn sections_signature(&self) -> Vec<(String, String, usize)> {
        self.model
            .sections
            .iter()
            .map(|(n, v)| (n.clone(), self.model.section_title(n), v.len()))
            .collect()
    }

    /// Which pages the home page lists, and in which groups (see [`HomeLayout`]).
    pub(super) fn home_layout(&self) -> HomeLayout {
        home_layout(&self.model)
    }
}

/// Marks pages whose neighbour window differs between the old and new order, or shows a changed page.
pub(super) fn mark_windows(
    old: &[String],
    new: &[String],
    hot: &HashSet<String>,
    out: &mut BTreeSet<String>,
) {
    let old_pos: HashMap<&str, usize> = old
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let window = |v: &'_ [String], i: usize| -> std::ops::Range<usize> {
        i.saturating_sub(WINDOW)..(i + WINDOW + 1).min(v.len())
    };
    for (i, key) in new.iter().enumerate() {
        let wn = &new[window(new, i)];
        let moved = match old_pos.get(key.as_str()) {
            Some(&j) => old[window(old, j)] != *wn,
            None => true,
        };
        if moved || wn.iter().any(|k| hot.contains(k)) {
            out.insert(key.clone());
        }
    }
}
