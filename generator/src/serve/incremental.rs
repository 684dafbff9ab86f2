//! The site kept in memory between edits, and the incremental rebuild.
//!
//! A [`Workspace`] holds the loaded [`Model`], the parsed theme and every rendered output. When files
//! change it reloads only those files, validates again the pages whose problems can change (and the output
//! paths only when a page came, went or changed its aliases), and re-renders only the outputs that show
//! something that changed:
//!
//! - the changed page itself, and the redirects of its `aliases`;
//! - pages that show it in a list: those that reference its id (`related`, an error's `causes`, a cause's
//!   `fixes`, which also show a fix's step titles), and the pages it references in `causes` and `fixes`,
//!   which list it back ("explained by", "resolves");
//! - pages whose window of section neighbours (and prev / next) contains it or changed, and its section's
//!   index page;
//! - the home page when its lists (featured error pages, groups, guides) change or list a changed page, or
//!   the section counts change; the code-table pages when a cause or an error page they list changes;
//!   every error page that shows a code of a changed table.
//!
//! A change to `site.toml` or the theme rebuilds everything (see `super::watch`).
//!
//! The steps live in sibling modules: `reload` reads changed files into the model, `affected` works out
//! what else shows them, `rerender` renders that, `files` holds the result, and `derived` serves the
//! whole-site indexes on request.
//!
//! **Invariant:** nothing is published while the content has errors, but for those that leave a page
//! rendering as `build` would write it ([`crate::diag::Code::previewable`]: a page is previewed while it is
//! written). What should be re-rendered accumulates in `pending` until a rebuild succeeds, so the last good
//! site keeps being served meanwhile.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Instant;

use fixbook_checker::KnowledgeIndex;
use rayon::prelude::*;

use super::affected::{mark_windows, Backrefs, Pending, Recheck, Snapshot};
use super::derived::{asset_urls, LiveSearch};
use super::files::Update;
use super::reload::{classify, key_of, page_output, FileKind};
use crate::derive;
use crate::diag::{self, Diagnostic};
use crate::load::{self, KindData};
use crate::markdown::{render_markdown, Body};
use crate::model::Model;
use crate::render::home::HomeLayout;
use crate::render::templates::{alias_output, AssetUrls, Renderer};
use crate::theme::{self, ThemeFiles};
use crate::validate;

/// The result of a rebuild.
pub(crate) enum Outcome {
    /// A new version of the site: replace every file (`full`) or apply the update.
    Published {
        update: Update,
        full: bool,
        /// HTML pages rendered.
        rendered: usize,
        /// Problems that do not stop a preview ([`diag::Code::previewable`]: placeholders left from
        /// `fixbook new`, a cause not on the stage map yet...), sorted: published all the same, so a
        /// contributor sees a page while writing it (`check` and `build` still refuse them).
        unfinished: Vec<Diagnostic>,
    },
    /// The content has errors, sorted; nothing was published.
    Errors(Vec<Diagnostic>),
}

/// The in-memory site.
pub(crate) struct Workspace {
    pub(super) root: PathBuf,
    pub(super) theme: ThemeFiles,
    pub(super) model: Model,
    pub(super) renderer: Renderer,
    pub(super) assets: AssetUrls,
    /// Files that do not load now, with their problems. The model keeps the last version of such a page
    /// that loaded, so the rest of the site validates as before.
    pub(super) broken: BTreeMap<PathBuf, Vec<Diagnostic>>,
    pub(super) pending: Pending,
    /// Pages to validate at the next rebuild, and the last problems found on each page and in the tables.
    pub(super) recheck: Recheck,
    pub(super) page_diags: HashMap<String, Vec<Diagnostic>>,
    pub(super) table_diags: Vec<Diagnostic>,
    /// Problems of output paths and URL names, found over the whole site at every validation: a claim
    /// made by one page can collide with that of any other, changed or not.
    pub(super) output_diags: Vec<Diagnostic>,
    pub(super) backrefs: Backrefs,
    /// Derived on first use after each change.
    pub(super) index: OnceLock<Arc<KnowledgeIndex>>,
    /// The search index kept between edits, and the pages edited since it was brought up to date: the
    /// first search after an edit recomputes only those pages' terms, shards and fragments.
    pub(super) search: Mutex<LiveSearch>,
    /// The knowledge index's files, derived on first request after each change.
    pub(super) knowledge: OnceLock<Arc<derive::KnowledgeFiles>>,
    /// Whether a template other than the home and section pages shows section counts (then a new or
    /// deleted page re-renders everything).
    pub(super) counts_everywhere: bool,
}

impl Workspace {
    /// Loads the whole site. `Err` only when nothing can be built: `site.toml` or the theme is unusable.
    /// Content problems are kept and reported by [`Workspace::rebuild`].
    pub(crate) fn load(root: &Path, base_url: &str) -> Result<Workspace, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let mut site = load::load(root, &mut diags).map_err(|d| vec![d])?;
        site.config = site.config.with_base_url(base_url);
        let mut broken: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        for d in diags {
            broken.entry(d.file.clone()).or_default().push(d);
        }
        let base_path = site.config.base_path();
        let bodies: Vec<Body> = site
            .pages
            .par_iter()
            .map(|p| render_markdown(p.body(), &base_path, true))
            .collect();
        let model = Model::new(site, bodies);
        let theme = theme::load(root, &model.site.config.theme).map_err(|d| vec![d])?;
        let assets = asset_urls(&theme, &model);
        let renderer = Renderer::new(&theme, &model, &assets)?;
        let counts_everywhere = theme
            .templates
            .iter()
            .any(|(n, s)| n != "index.html" && n != "section.html" && s.contains(".count"));
        let backrefs = Backrefs::of(&model);
        Ok(Workspace {
            backrefs,
            root: root.to_path_buf(),
            theme,
            model,
            renderer,
            assets,
            broken,
            pending: Pending {
                all: true,
                ..Pending::default()
            },
            recheck: Recheck {
                all: true,
                ..Recheck::default()
            },
            page_diags: HashMap::new(),
            table_diags: Vec::new(),
            output_diags: Vec::new(),
            index: OnceLock::new(),
            search: Mutex::new(LiveSearch::default()),
            knowledge: OnceLock::new(),
            counts_everywhere,
        })
    }

    /// Validates the current model and, without errors, renders what is pending.
    pub(crate) fn rebuild(&mut self) -> Outcome {
        let t = Instant::now();
        self.revalidate();
        timing("validate", t);
        let mut diags: Vec<Diagnostic> = Vec::new();
        diags.extend(self.table_diags.iter().cloned());
        diags.extend(self.output_diags.iter().cloned());
        diags.extend(self.page_diags.values().flatten().cloned());
        let has_examples = self
            .model
            .site
            .pages
            .iter()
            .any(|p| matches!(&p.data, KindData::Cause(c) if !c.examples.is_empty()));
        if has_examples {
            validate::examples(&self.model, &self.index(), &mut diags);
        }
        // A file that does not load is reported for that alone, as `check` reports it: the model still
        // holds its last good version, whose problems would point at lines the file no longer has.
        diags.retain(|d| !self.broken.contains_key(&d.file));
        diags.extend(self.broken.values().flatten().cloned());
        diag::sort(&mut diags);
        diags.dedup();
        // A page still being written is shown as it is (its `TODO(fixbook)` text in place, not yet on the
        // stage map...), with what is left listed over it; any other problem keeps the last good version.
        if !diags.iter().all(|d| d.code.previewable()) {
            return Outcome::Errors(diags);
        }
        let pending = std::mem::take(&mut self.pending);
        let t = Instant::now();
        let rendered = self.render(&pending);
        timing("render", t);
        match rendered {
            Ok((update, rendered)) => Outcome::Published {
                update,
                full: pending.all,
                rendered,
                unfinished: diags,
            },
            Err(d) => {
                self.pending = pending;
                Outcome::Errors(d)
            }
        }
    }

    /// Validates the pages in `recheck` (or all) and keeps their problems, by page.
    fn revalidate(&mut self) {
        let recheck = std::mem::take(&mut self.recheck);
        let mut found = Vec::new();
        let scope: HashSet<usize>;
        if recheck.all || recheck.outputs || !self.output_diags.is_empty() {
            self.output_diags.clear();
            validate::outputs(&self.model, &mut self.output_diags);
        }
        if recheck.all {
            validate::validate_scope(&self.model, validate::Scope::All, &mut found);
            self.page_diags.clear();
            scope = (0..self.model.site.pages.len()).collect();
        } else {
            scope = recheck
                .pages
                .iter()
                .filter_map(|k| self.model.by_path.get(k).copied())
                .collect();
            validate::validate_scope(&self.model, validate::Scope::Pages(&scope), &mut found);
            for k in &recheck.pages {
                self.page_diags.remove(k);
            }
        }
        let keys: HashMap<&Path, String> = scope
            .iter()
            .map(|&i| {
                let p = &self.model.site.pages[i];
                (p.file.as_path(), Model::rel_path(p))
            })
            .collect();
        self.table_diags.clear();
        for d in found {
            match keys.get(d.file.as_path()) {
                Some(k) => self.page_diags.entry(k.clone()).or_default().push(d),
                None => self.table_diags.push(d),
            }
        }
    }

    /// Applies changed files (relative to the root): reloads them, updates the model and records what to
    /// re-render. Files that are neither pages nor code tables are ignored; returns false if that was all.
    pub(crate) fn apply(&mut self, changed: &[PathBuf]) -> bool {
        let (pages, tables) = split_changes(changed);
        if pages.is_empty() && tables.is_empty() {
            return false;
        }
        let t = Instant::now();
        self.index = OnceLock::new();
        self.knowledge = OnceLock::new();
        let before = self.before(&pages);
        let (structural, schemes) = self.reload(&pages, &tables);
        let edited = pages
            .iter()
            .filter_map(|r| key_of(r))
            .filter_map(|(_, key)| self.model.by_path.get(&key).copied());
        let search = self
            .search
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        search.changed(structural, edited);
        self.mark_tables(&schemes);
        let after: Vec<Option<Snapshot>> = pages.iter().map(|r| self.snapshot_of(r)).collect();
        self.update_backrefs(&pages, &before.pages, &after);
        let mut hot = HashSet::new();
        for ((rel, b), a) in pages.iter().zip(&before.pages).zip(&after) {
            if let Some((_, key)) = key_of(rel) {
                self.mark_page(&key, b.as_ref(), a.as_ref(), &mut hot);
            }
        }
        if structural {
            self.recheck.outputs = true;
        }
        self.mark_sections(&before.orders, &hot);
        self.mark_site_wide(&before, &hot, structural);
        timing("apply", t);
        true
    }

    /// What the site showed before an edit, to compare with after it: the sections, the home page's
    /// lists, the order of the sections holding edited pages, and each edited page.
    fn before(&self, pages: &[&Path]) -> Before {
        let orders = pages
            .iter()
            .filter_map(|r| key_of(r).map(|k| k.0))
            .map(|s| {
                let order = self.order(&s);
                (s, order)
            })
            .collect();
        Before {
            sections: self.sections_signature(),
            home: self.home_layout(),
            orders,
            pages: pages.iter().map(|r| self.snapshot_of(r)).collect(),
        }
    }

    /// Reloads the changed files and, when the site's structure changed, rebuilds the model's lookups.
    /// Returns whether it did, and the schemes of the changed code tables.
    fn reload(&mut self, pages: &[&Path], tables: &[&Path]) -> (bool, BTreeSet<String>) {
        let mut structural = false;
        for rel in pages {
            structural |= self.reload_page(rel);
        }
        let mut schemes: BTreeSet<String> = BTreeSet::new();
        for rel in tables {
            schemes.extend(self.reload_table(rel));
            structural = true;
        }
        if structural {
            self.remodel();
        }
        (structural, schemes)
    }

    /// Marks the pages that show a changed table's codes, and the table pages. Tables are checked on
    /// every rebuild, and every page's codes against them.
    fn mark_tables(&mut self, schemes: &BTreeSet<String>) {
        if schemes.is_empty() {
            return;
        }
        self.recheck.all = true;
        self.pending.tables = true;
        for p in &self.model.site.pages {
            if let KindData::Error(e) = &p.data {
                if e.codes.iter().any(|c| schemes.contains(&c.scheme)) {
                    self.pending.pages.insert(Model::rel_path(p));
                }
            }
        }
    }

    /// Moves the edited pages' outgoing links and references from their old version to their new one.
    fn update_backrefs(
        &mut self,
        pages: &[&Path],
        before: &[Option<Snapshot>],
        after: &[Option<Snapshot>],
    ) {
        for ((rel, b), a) in pages.iter().zip(before).zip(after) {
            if let Some((_, key)) = key_of(rel) {
                if let Some(b) = b {
                    self.backrefs.remove(&key, &b.out);
                }
                if let Some(a) = a {
                    self.backrefs.add(&key, &a.out);
                }
            }
        }
    }

    /// Marks what one edited page affects: itself (or its removal) and its dropped aliases; the pages to
    /// validate again; when what others show of it changed (it goes in `hot`), the pages that reference
    /// it; and the pages it lists as its causes or fixes, which list it back.
    fn mark_page(
        &mut self,
        key: &str,
        before: Option<&Snapshot>,
        after: Option<&Snapshot>,
        hot: &mut HashSet<String>,
    ) {
        if after.is_some() {
            self.pending.pages.insert(key.to_string());
        } else if before.is_some() {
            self.pending.removed.insert(page_output(key));
        }
        let aliases_after: &[String] = after.map(|a| a.aliases.as_slice()).unwrap_or(&[]);
        let aliases_before: &[String] = before.map(|b| b.aliases.as_slice()).unwrap_or(&[]);
        if aliases_before != aliases_after {
            self.recheck.outputs = true;
        }
        for a in aliases_before.iter().filter(|a| !aliases_after.contains(a)) {
            self.pending.removed.extend(alias_output(a));
        }
        self.mark_recheck(key, before, after);
        let shown_changed = before.map(|b| &b.shown) != after.map(|a| &a.shown);
        if shown_changed {
            hot.insert(key.to_string());
            let ids: BTreeSet<&str> = before
                .iter()
                .chain(after.iter())
                .map(|s| s.shown.id.as_str())
                .collect();
            self.mark_referrers(&ids);
        }
        self.mark_code_tables(before, after, shown_changed);
        let listed_before = before.map(|b| b.listed_by.as_slice()).unwrap_or(&[]);
        let listed_after = after.map(|a| a.listed_by.as_slice()).unwrap_or(&[]);
        if shown_changed || listed_before != listed_after {
            for id in listed_before.iter().chain(listed_after) {
                if let Some(p) = self.model.page(id) {
                    self.pending.pages.insert(Model::rel_path(p));
                }
            }
        }
    }

    /// Marks the code-table pages when an edited error page is listed on them (under its codes, by title
    /// and URL) and what they show of it changed.
    fn mark_code_tables(
        &mut self,
        before: Option<&Snapshot>,
        after: Option<&Snapshot>,
        shown_changed: bool,
    ) {
        let codes_before = before.map(|b| b.codes.as_slice()).unwrap_or(&[]);
        let codes_after = after.map(|a| a.codes.as_slice()).unwrap_or(&[]);
        if !shown_changed && codes_before == codes_after {
            return;
        }
        let tables = &self.model.site.tables;
        let listed = codes_before
            .iter()
            .chain(codes_after)
            .any(|(scheme, _)| tables.iter().any(|t| &t.scheme == scheme));
        if listed {
            self.pending.tables = true;
        }
    }

    /// Marks, in each section that holds an edited page, the pages whose neighbour window moved or shows
    /// a changed page, and the section's index page when its list changed.
    fn mark_sections(
        &mut self,
        orders_before: &BTreeMap<String, Vec<String>>,
        hot: &HashSet<String>,
    ) {
        for (section, old) in orders_before {
            let new = self.order(section);
            let before_len = self.pending.pages.len();
            mark_windows(old, &new, hot, &mut self.pending.pages);
            if old != &new
                || self.pending.pages.len() != before_len
                || new.iter().any(|k| hot.contains(k))
            {
                self.pending.sections.insert(section.clone());
            }
        }
    }

    /// Marks what every page, or the home page, shows: the sections (names, titles, counts) and the home
    /// page's lists. A new section name re-renders everything; the home page is rendered again when its
    /// lists changed or list a changed page.
    fn mark_site_wide(&mut self, before: &Before, hot: &HashSet<String>, structural: bool) {
        let sections_after = self.sections_signature();
        self.pending.removed.extend(crate::render::dropped_pages(
            &self.model,
            &before.sections,
            &sections_after,
        ));
        if sections_after != before.sections {
            let names_changed = sections_after
                .iter()
                .map(|s| (&s.0, &s.1))
                .ne(before.sections.iter().map(|s| (&s.0, &s.1)));
            if names_changed || self.counts_everywhere {
                self.pending.all = true;
            }
            if names_changed {
                // Links to a section's index page resolve or not.
                self.recheck.all = true;
            }
            self.pending.home = true;
            self.pending
                .sections
                .extend(self.model.sections.iter().map(|(n, _)| n.clone()));
            match Renderer::new(&self.theme, &self.model, &self.assets) {
                Ok(r) => self.renderer = r,
                // Cannot fail for a theme that parsed before; rebuild everything to surface it if it does.
                Err(_) => self.pending.all = true,
            }
        }
        // Page indexes move only with the structure; then the home page is rendered again anyway.
        let home = self.home_layout();
        let hot: HashSet<usize> = hot
            .iter()
            .filter_map(|k| self.model.by_path.get(k).copied())
            .collect();
        let lists_hot = || {
            home.listed()
                .chain(before.home.listed())
                .any(|i| hot.contains(&i))
        };
        if structural || home != before.home || lists_hot() {
            self.pending.home = true;
        }
    }

    /// The site's root folder.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }
}

/// What the site showed before an edit (see [`Workspace::before`]).
struct Before {
    sections: Vec<(String, String, usize)>,
    home: HomeLayout,
    /// Sections holding edited pages, with their pages in order, as keys.
    orders: BTreeMap<String, Vec<String>>,
    /// The edited pages, in the order of the changed files.
    pages: Vec<Option<Snapshot>>,
}

/// The changed files that are content: pages and code tables.
fn split_changes(changed: &[PathBuf]) -> (Vec<&Path>, Vec<&Path>) {
    let mut pages: Vec<&Path> = Vec::new();
    let mut tables: Vec<&Path> = Vec::new();
    for rel in changed {
        match classify(rel) {
            Some(FileKind::Page) => pages.push(rel),
            Some(FileKind::Table) => tables.push(rel),
            None => {}
        }
    }
    (pages, tables)
}

/// Prints how long a step took when `FIXBOOK_TIMINGS` is set (as `build` does for its stages).
pub(super) fn timing(step: &str, since: Instant) {
    if std::env::var_os("FIXBOOK_TIMINGS").is_some() {
        eprintln!(
            "{step:>12}: {:7.1} ms",
            since.elapsed().as_secs_f64() * 1000.0
        );
    }
}

#[cfg(test)]
#[path = "incremental_tests.rs"]
mod tests;
