//! The site kept in memory between edits, and the incremental rebuild.
//!
//! A [`Workspace`] holds the loaded [`Model`], the parsed theme and every rendered output. When files
//! change it reloads only those files, re-runs validation (linear in the site, and cheap next to rendering),
//! and re-renders only the outputs that show something that changed:
//!
//! - the changed page itself, and the redirects of its `aliases`;
//! - pages that show it in a list: those that reference its id (`related`, an error's `causes`, a cause's
//!   `fixes`, which also show a fix's step titles), and the pages it references in `causes` and `fixes`,
//!   which list it back ("explained by", "resolves");
//! - pages whose window of section neighbours (and prev / next) contains it or changed, and its section's
//!   index page;
//! - the home page when what it shows changes (its groups of error pages, its guides) or the section
//!   counts change; the code-table pages when a cause they list changes; every error page that shows a
//!   code of a changed table.
//!
//! A change to `site.toml` or the theme rebuilds everything (see `super::watch`).
//!
//! The search index, the knowledge index and `codes.json` are derived on request (see `Workspace::derived`)
//! and have stable names in `serve`, so a content change never changes every page's HTML.
//!
//! **Invariant:** nothing is published while the content has errors. What should be re-rendered accumulates
//! in `pending` until a rebuild succeeds, so the last good site keeps being served meanwhile.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Instant;

use fixbook_checker::KnowledgeIndex;
use rayon::prelude::*;

use crate::derive::{self, ReverseLinks};
use crate::diag::{self, Diagnostic};
use crate::load::{self, Kind, KindData, Page, Site, Unloaded};
use crate::markdown::{render_markdown, Body};
use crate::model::Model;
use crate::outputs::Fixed;
use crate::render::templates::{alias_output, AssetUrls, Renderer};
use crate::theme::{self, ThemeFiles};
use crate::validate;
use crate::write::assets::hashed_name;

/// Served bytes, shared between the rebuild and the HTTP threads without copying.
pub(crate) type Bytes = Arc<[u8]>;

/// Outputs that change: a path (`errors/0x904/index.html`) and its new bytes, or `None` to remove it.
pub(crate) type Update = Vec<(String, Option<Bytes>)>;

/// Applies a rebuild's files to a served site: a full rebuild replaces it, otherwise each path is written
/// (`Some`) or removed (`None`). Shared by the server and the tests that compare it with `build`.
pub(crate) fn apply_update(files: &mut HashMap<String, Bytes>, update: Update, full: bool) {
    if full {
        files.clear();
    }
    for (path, bytes) in update {
        match bytes {
            Some(b) => files.insert(path, b),
            None => files.remove(&path),
        };
    }
}

/// Stable names of the derived indexes in `serve` (a build gives them content-hashed names).
pub(crate) const SEARCH_JSON: &str = "assets/search.json";
/// The folder of the search index's other files (shards, fragments), named by content hash in `serve` too.
pub(crate) const SEARCH_FILES: &str = "assets/search/";
pub(crate) const KNOWLEDGE_JSON: &str = "assets/knowledge.json";
pub(crate) const CODES_JSON: &str = Fixed::CodesJson.path();

/// A bucket of the knowledge index (`assets/k/12.0a1b2c3d.json`) or a cause's details (`assets/k/d/...`):
/// content-hashed, as `build` names them.
pub(crate) fn is_knowledge_shard(rel: &str) -> bool {
    rel.strip_prefix(derive::KNOWLEDGE_ASSETS)
        .and_then(|r| r.strip_prefix("k/"))
        .map(|r| r.strip_prefix("d/").unwrap_or(r))
        .is_some_and(|name| name.ends_with(".json") && !name.contains('/'))
}

/// How far around a page its section-neighbour window reaches, with a margin: `render::templates` shows
/// 5 before and 5 after, and re-rendering a few more pages than needed is harmless.
const WINDOW: usize = 8;

/// The result of a rebuild.
pub(crate) enum Outcome {
    /// A new version of the site: replace every file (`full`) or apply the update.
    Published {
        update: Update,
        full: bool,
        /// HTML pages rendered.
        rendered: usize,
    },
    /// The content has errors, sorted; nothing was published.
    Errors(Vec<Diagnostic>),
}

/// What to render at the next rebuild without errors.
#[derive(Default)]
struct Pending {
    all: bool,
    /// Page keys (`/<section>/<slug>/`).
    pages: BTreeSet<String>,
    sections: BTreeSet<String>,
    home: bool,
    tables: bool,
    /// Outputs to remove (deleted pages, dropped aliases), unless rendered again.
    removed: BTreeSet<String>,
}

/// The pages whose search terms changed since the search index was last brought up to date, or all.
struct SearchPending {
    all: bool,
    pages: BTreeSet<usize>,
}

impl Default for SearchPending {
    fn default() -> SearchPending {
        SearchPending {
            all: true,
            pages: BTreeSet::new(),
        }
    }
}

/// What to validate at the next rebuild: the pages whose problems may have changed, or all.
#[derive(Default)]
struct Recheck {
    all: bool,
    pages: BTreeSet<String>,
}

/// What other pages show of a page: when it changes, they are re-rendered.
#[derive(Clone, PartialEq)]
struct Shown {
    id: String,
    title: String,
    summary: String,
    kind: Kind,
    /// Heading ids and titles (a cause lists a fix's step by its title).
    headings: Vec<(String, String)>,
}

/// A page's state before and after a change, for working out what else to re-render.
#[derive(Clone)]
struct Snapshot {
    shown: Shown,
    out: Outgoing,
    /// Ids that list this page back: the causes of an error, the fixes of a cause.
    listed_by: Vec<String>,
    aliases: Vec<String>,
}

/// What a page points at: its links (by page key) and the ids it references.
#[derive(Clone, Default)]
struct Outgoing {
    id: String,
    links: BTreeSet<String>,
    refs: BTreeSet<String>,
}

impl Outgoing {
    fn of(p: &Page, body: &Body) -> Outgoing {
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
struct Backrefs {
    /// Page key -> keys of the pages that link to it.
    links: HashMap<String, BTreeSet<String>>,
    /// Id -> keys of the pages that reference it (`related`, `causes`, `fixes`).
    refs: HashMap<String, BTreeSet<String>>,
    /// Id -> keys of the pages that have it (two or more are duplicates).
    ids: HashMap<String, BTreeSet<String>>,
}

impl Backrefs {
    fn of(model: &Model) -> Backrefs {
        let mut b = Backrefs::default();
        for (p, body) in model.site.pages.iter().zip(&model.bodies) {
            b.add(&Model::rel_path(p), &Outgoing::of(p, body));
        }
        b
    }

    fn add(&mut self, key: &str, o: &Outgoing) {
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

    fn remove(&mut self, key: &str, o: &Outgoing) {
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

/// The in-memory site.
pub(crate) struct Workspace {
    root: PathBuf,
    theme: ThemeFiles,
    model: Model,
    renderer: Renderer,
    assets: AssetUrls,
    /// Files that do not load now, with their problems. The model keeps the last version of such a page
    /// that loaded, so the rest of the site validates as before.
    broken: BTreeMap<PathBuf, Vec<Diagnostic>>,
    pending: Pending,
    /// Pages to validate at the next rebuild, and the last problems found on each page and in the tables.
    recheck: Recheck,
    page_diags: HashMap<String, Vec<Diagnostic>>,
    table_diags: Vec<Diagnostic>,
    /// Problems of output paths and URL names, found over the whole site at every validation: a claim
    /// made by one page can collide with that of any other, changed or not.
    output_diags: Vec<Diagnostic>,
    backrefs: Backrefs,
    /// Derived on first use after each change.
    index: OnceLock<Arc<KnowledgeIndex>>,
    /// The search index's files by path (the manifest at [`SEARCH_JSON`]), derived on first use after each
    /// change; file names other than the manifest's are content hashes, as `build` writes them.
    search: OnceLock<Arc<HashMap<String, Vec<u8>>>>,
    /// The search index kept between edits, and the pages edited since it was brought up to date: the
    /// first search after an edit recomputes only those pages' terms, shards and fragments.
    search_live: Mutex<(Option<derive::LiveIndex>, SearchPending)>,
    /// The knowledge index's files, derived on first request after each change.
    knowledge: OnceLock<Arc<derive::KnowledgeFiles>>,
    /// Whether a template other than the home and section pages shows section counts (then a new or
    /// deleted page re-renders everything).
    counts_everywhere: bool,
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
            search: OnceLock::new(),
            search_live: Mutex::new((None, SearchPending::default())),
            knowledge: OnceLock::new(),
            counts_everywhere,
        })
    }

    /// The knowledge index of the current model.
    fn index(&self) -> Arc<KnowledgeIndex> {
        self.index
            .get_or_init(|| Arc::new(derive::knowledge_index(&self.model)))
            .clone()
    }

    /// The knowledge index's files (common part and buckets) of the current model.
    fn knowledge(&self) -> Arc<derive::KnowledgeFiles> {
        self.knowledge
            .get_or_init(|| Arc::new(derive::knowledge_files(&self.index())))
            .clone()
    }

    /// The search index's files of the current model, by path.
    pub(crate) fn search_files(&self) -> Arc<HashMap<String, Vec<u8>>> {
        self.search
            .get_or_init(|| {
                let t = Instant::now();
                let mut live = self
                    .search_live
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                let (index, pending) = &mut *live;
                let pending = std::mem::replace(
                    pending,
                    SearchPending {
                        all: false,
                        pages: BTreeSet::new(),
                    },
                );
                match index {
                    Some(index) if !pending.all => index.update(&self.model, &pending.pages),
                    _ => *index = Some(derive::LiveIndex::new(&self.model)),
                }
                let index = index
                    .as_ref()
                    .map(derive::LiveIndex::files)
                    .unwrap_or_else(|| derive::search_files(&self.model, &[]));
                timing("search index", t);
                let mut files: HashMap<String, Vec<u8>> = index
                    .files
                    .into_iter()
                    .map(|(p, b)| (p, b.into_bytes()))
                    .collect();
                files.insert(SEARCH_JSON.to_string(), index.manifest.into_bytes());
                Arc::new(files)
            })
            .clone()
    }

    /// A file derived from the whole site, computed when asked for: the search index's files, the
    /// knowledge index or `codes.json`.
    pub(crate) fn derived(&self, path: &str) -> Option<Vec<u8>> {
        match path {
            SEARCH_JSON => self.search_files().get(path).cloned(),
            p if p.starts_with(SEARCH_FILES) => self.search_files().get(path).cloned(),
            KNOWLEDGE_JSON => Some(self.knowledge().common.clone().into_bytes()),
            CODES_JSON => Some(derive::codes_json(&self.index()).into_bytes()),
            shard if is_knowledge_shard(shard) => self.knowledge().shards.get(shard).cloned(),
            _ => None,
        }
    }

    /// Validates the current model and, without errors, renders what is pending.
    pub(crate) fn rebuild(&mut self) -> Outcome {
        let t = Instant::now();
        self.revalidate();
        timing("validate", t);
        let mut diags: Vec<Diagnostic> = self.broken.values().flatten().cloned().collect();
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
        if !diags.is_empty() {
            diag::sort(&mut diags);
            diags.dedup();
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
        self.output_diags.clear();
        validate::outputs(&self.model, &mut self.output_diags);
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
        let mut pages: Vec<&Path> = Vec::new();
        let mut tables: Vec<&Path> = Vec::new();
        for rel in changed {
            match classify(rel) {
                Some(FileKind::Page) => pages.push(rel),
                Some(FileKind::Table) => tables.push(rel),
                None => {}
            }
        }
        if pages.is_empty() && tables.is_empty() {
            return false;
        }
        let t = Instant::now();
        self.index = OnceLock::new();
        self.search = OnceLock::new();
        self.knowledge = OnceLock::new();
        let sections_before = self.sections_signature();
        let home_before = self.home_signature();
        let touched: BTreeSet<String> = pages
            .iter()
            .filter_map(|r| key_of(r).map(|k| k.0))
            .collect();
        let orders_before: HashMap<String, Vec<String>> =
            touched.iter().map(|s| (s.clone(), self.order(s))).collect();
        let before: Vec<Option<Snapshot>> = pages.iter().map(|r| self.snapshot_of(r)).collect();

        let mut structural = false;
        for rel in &pages {
            structural |= self.reload_page(rel);
        }
        let mut schemes: BTreeSet<String> = BTreeSet::new();
        for rel in &tables {
            schemes.extend(self.reload_table(rel));
            structural = true;
        }
        if structural {
            self.remodel();
        }
        let search = &mut self
            .search_live
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .1;
        if structural {
            search.all = true;
        } else {
            search.pages.extend(
                pages
                    .iter()
                    .filter_map(|r| key_of(r))
                    .filter_map(|(_, key)| self.model.by_path.get(&key).copied()),
            );
        }

        // Pages that show a changed table's codes, and the table pages. Tables are checked on every
        // rebuild, and every page's codes against them.
        if !schemes.is_empty() {
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

        let after: Vec<Option<Snapshot>> = pages.iter().map(|r| self.snapshot_of(r)).collect();
        for ((rel, b), a) in pages.iter().zip(&before).zip(&after) {
            if let Some((_, key)) = key_of(rel) {
                if let Some(b) = b {
                    self.backrefs.remove(&key, &b.out);
                }
                if let Some(a) = a {
                    self.backrefs.add(&key, &a.out);
                }
            }
        }
        let mut hot: HashSet<String> = HashSet::new();
        for ((rel, before), after) in pages.iter().zip(before).zip(after) {
            let Some((_, key)) = key_of(rel) else {
                continue;
            };
            if after.is_some() {
                self.pending.pages.insert(key.clone());
            } else if before.is_some() {
                self.pending.removed.insert(page_output(&key));
            }
            let aliases_after: Vec<String> = after
                .as_ref()
                .map(|a| a.aliases.clone())
                .unwrap_or_default();
            for a in before.iter().flat_map(|b| &b.aliases) {
                if !aliases_after.contains(a) {
                    if let Some(out) = alias_output(a) {
                        self.pending.removed.insert(out);
                    }
                }
            }
            self.mark_recheck(&key, before.as_ref(), after.as_ref());
            let shown_changed =
                before.as_ref().map(|b| &b.shown) != after.as_ref().map(|a| &a.shown);
            if shown_changed {
                hot.insert(key.clone());
                let ids: BTreeSet<&str> = before
                    .iter()
                    .chain(after.iter())
                    .map(|s| s.shown.id.as_str())
                    .collect();
                self.mark_referrers(&ids);
            }
            let listed_before = before
                .as_ref()
                .map(|b| b.listed_by.as_slice())
                .unwrap_or(&[]);
            let listed_after = after
                .as_ref()
                .map(|a| a.listed_by.as_slice())
                .unwrap_or(&[]);
            if shown_changed || listed_before != listed_after {
                for id in listed_before.iter().chain(listed_after) {
                    if let Some(p) = self.model.page(id) {
                        self.pending.pages.insert(Model::rel_path(p));
                    }
                }
            }
        }

        for section in &touched {
            let old = &orders_before[section];
            let new = self.order(section);
            let before_len = self.pending.pages.len();
            mark_windows(old, &new, &hot, &mut self.pending.pages);
            if old != &new
                || self.pending.pages.len() != before_len
                || new.iter().any(|k| hot.contains(k))
            {
                self.pending.sections.insert(section.clone());
            }
        }

        let sections_after = self.sections_signature();
        self.pending.removed.extend(crate::render::dropped_pages(
            &self.model,
            &sections_before,
            &sections_after,
        ));
        if sections_after != sections_before {
            let names_changed = sections_after
                .iter()
                .map(|s| (&s.0, &s.1))
                .ne(sections_before.iter().map(|s| (&s.0, &s.1)));
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
        if self.home_signature() != home_before {
            self.pending.home = true;
        }
        timing("apply", t);
        true
    }

    /// Reloads one page file; returns whether the model's structure (ids, order, membership) changed.
    fn reload_page(&mut self, rel: &Path) -> bool {
        let Some((_, key)) = key_of(rel) else {
            return false;
        };
        let existing = self.model.by_path.get(&key).copied();
        if !self.root.join(rel).is_file() {
            self.broken.remove(rel);
            self.model.site.unloaded.retain(|u| u.path != key);
            if let Some(i) = existing {
                self.model.site.pages.remove(i);
                self.model.bodies.remove(i);
                return true;
            }
            return false;
        }
        match load::load_page(&self.root, rel) {
            Ok(page) => {
                self.broken.remove(rel);
                let was_unloaded = self.model.site.unloaded.iter().any(|u| u.path == key);
                self.model.site.unloaded.retain(|u| u.path != key);
                let body = render_markdown(page.body(), &self.model.base_path, true);
                match existing {
                    Some(i) => {
                        let old = &self.model.site.pages[i];
                        let same_id = old.meta.id == page.meta.id;
                        let same_place = crate::model::same_place(old, &page);
                        self.model.site.pages[i] = *page;
                        self.model.bodies[i] = body;
                        if same_id && !same_place && !was_unloaded {
                            // Only its place in the section's order moved: no new model needed.
                            self.model.resort(i);
                            return false;
                        }
                        !same_id || was_unloaded
                    }
                    None => {
                        let at = self
                            .model
                            .site
                            .pages
                            .partition_point(|p| p.file.as_path() < rel);
                        self.model.site.pages.insert(at, *page);
                        self.model.bodies.insert(at, body);
                        true
                    }
                }
            }
            Err(d) => {
                self.broken.insert(rel.to_path_buf(), d);
                if existing.is_none() && !self.model.site.unloaded.iter().any(|u| u.path == key) {
                    self.model.site.unloaded.push(Unloaded {
                        path: key,
                        id: load::sniff_id(&self.root, rel),
                    });
                    return true;
                }
                false
            }
        }
    }

    /// Reloads one code table; returns the schemes it had and has (their error pages re-render).
    fn reload_table(&mut self, rel: &Path) -> Vec<String> {
        let tables = &mut self.model.site.tables;
        let mut schemes: Vec<String> = tables
            .iter()
            .filter(|t| t.file == rel)
            .map(|t| t.scheme.clone())
            .collect();
        if !self.root.join(rel).is_file() {
            self.broken.remove(rel);
            tables.retain(|t| t.file != rel);
            return schemes;
        }
        match load::load_table(&self.root, rel) {
            Ok(t) => {
                self.broken.remove(rel);
                schemes.push(t.scheme.clone());
                tables.retain(|old| old.file != rel);
                tables.push(t);
                tables.sort_by(|a, b| a.scheme.cmp(&b.scheme));
            }
            Err(d) => {
                self.broken.insert(rel.to_path_buf(), d);
            }
        }
        schemes
    }

    /// Rebuilds the model's lookup tables and navigation order after pages or tables changed.
    fn remodel(&mut self) {
        let site = &mut self.model.site;
        let site = Site {
            root: site.root.clone(),
            config: site.config.clone(),
            pages: std::mem::take(&mut site.pages),
            tables: std::mem::take(&mut site.tables),
            unloaded: std::mem::take(&mut site.unloaded),
        };
        let bodies = std::mem::take(&mut self.model.bodies);
        self.model = Model::new(site, bodies);
    }

    fn snapshot_of(&self, rel: &Path) -> Option<Snapshot> {
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
            aliases: p.meta.aliases.clone(),
            out: Outgoing::of(p, &self.model.bodies[i]),
        })
    }

    /// Records which pages to validate again after the page at `key` changed: itself, the pages with
    /// its old or new id (duplicates), those that reference either id, and those that link to it.
    fn mark_recheck(&mut self, key: &str, before: Option<&Snapshot>, after: Option<&Snapshot>) {
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
        self.recheck.pages.extend(keys);
    }

    /// Marks the pages that reference one of `ids`, and the code tables if a row lists one.
    fn mark_referrers(&mut self, ids: &BTreeSet<&str>) {
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
    fn order(&self, section: &str) -> Vec<String> {
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
    fn sections_signature(&self) -> Vec<(String, String, usize)> {
        self.model
            .sections
            .iter()
            .map(|(n, v)| (n.clone(), self.model.section_title(n), v.len()))
            .collect()
    }

    /// What the home page shows: its whole context (featured pages, groups, guides).
    fn home_signature(&self) -> String {
        crate::render::home::home_context(&self.model).to_string()
    }

    /// Renders what `pending` asks for. Returns the update and the number of HTML pages rendered.
    fn render(&self, pending: &Pending) -> Result<(Update, usize), Vec<Diagnostic>> {
        let model = &self.model;
        let r = &self.renderer;
        let links = derive::reverse_links(model);
        let mut update: Update = Vec::new();
        if !pending.all {
            for out in &pending.removed {
                update.push((out.clone(), None));
            }
        }
        let indices: Vec<usize> = if pending.all {
            (0..model.site.pages.len()).collect()
        } else {
            pending
                .pages
                .iter()
                .filter_map(|k| model.by_path.get(k).copied())
                .collect()
        };
        let pages: Vec<Result<Vec<(String, String)>, Diagnostic>> = indices
            .par_iter()
            .map(|&i| render_page(r, model, &links, i))
            .collect();
        let mut rendered = indices.len();
        let mut errors = Vec::new();
        for res in pages {
            match res {
                Ok(files) => update.extend(files.into_iter().map(|(k, v)| (k, Some(bytes(v))))),
                Err(d) => errors.push(d),
            }
        }
        let mut one = |path: String, res: Result<String, Diagnostic>| match res {
            Ok(html) => {
                rendered += 1;
                update.push((path, Some(bytes(html))));
            }
            Err(d) => errors.push(d),
        };
        for (name, pages) in &model.sections {
            if pending.all || pending.sections.contains(name) {
                for (path, res) in crate::render::section_pages(r, model, name, pages) {
                    one(path, res);
                }
            }
        }
        for f in Fixed::ALL {
            let due = match f {
                Fixed::Home => pending.all || pending.home,
                // Every page links it, so it is served as `build` writes it: any page's title, summary or
                // date may have changed (50 short entries: cheap next to the page itself).
                Fixed::Feed => pending.all || pending.home || !pending.pages.is_empty(),
                Fixed::Check | Fixed::NotFound => pending.all,
                Fixed::CodesOverview => pending.all || pending.tables,
                // Derived when asked for, from the current model (`Workspace::derived`).
                Fixed::CodesJson => false,
                // For search engines, which visit deployed sites, not `serve`.
                Fixed::Sitemap | Fixed::Robots => false,
            };
            if due {
                one(
                    f.path().into(),
                    crate::render::fixed(f, r, model, || self.index()),
                );
            }
        }
        if pending.all || pending.tables {
            for (path, res) in r.code_tables(model, &self.index()) {
                one(path, res);
            }
        }
        if !errors.is_empty() {
            diag::sort(&mut errors);
            errors.dedup();
            return Err(errors);
        }
        if pending.all {
            for (name, b) in &self.theme.statics {
                update.push((hashed_name(name, b), Some(Arc::from(b.as_slice()))));
            }
        }
        Ok((update, rendered))
    }

    /// The site's root folder.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }
}

/// Prints how long a step took when `FIXBOOK_TIMINGS` is set (as `build` does for its stages).
fn timing(step: &str, since: Instant) {
    if std::env::var_os("FIXBOOK_TIMINGS").is_some() {
        eprintln!(
            "{step:>12}: {:7.1} ms",
            since.elapsed().as_secs_f64() * 1000.0
        );
    }
}

fn bytes(s: String) -> Bytes {
    Arc::from(s.into_bytes().into_boxed_slice())
}

/// The kinds of content file, by path, as `load::walk` finds them.
enum FileKind {
    Page,
    Table,
}

/// `content/<section>/<slug>.md` is a page, `content/codes/<scheme>.yaml` a table; hidden files and
/// anything else are not content (the same rules as `load::walk`).
fn classify(rel: &Path) -> Option<FileKind> {
    let parts: Vec<&str> = rel.iter().filter_map(|c| c.to_str()).collect();
    if parts.iter().any(|p| p.starts_with('.')) {
        return None;
    }
    match parts.as_slice() {
        ["content", _, file] if file.ends_with(".md") => Some(FileKind::Page),
        ["content", "codes", file] if file.ends_with(".yaml") || file.ends_with(".yml") => {
            Some(FileKind::Table)
        }
        _ => None,
    }
}

/// `content/errors/x.md` -> (`errors`, `/errors/x/`).
fn key_of(rel: &Path) -> Option<(String, String)> {
    let section = rel.parent()?.file_name()?.to_str()?.to_string();
    let slug = rel.file_stem()?.to_str()?;
    let key = format!("/{section}/{slug}/");
    Some((section, key))
}

fn page_output(key: &str) -> String {
    format!("{}index.html", key.trim_start_matches('/'))
}

/// Marks pages whose neighbour window differs between the old and new order, or shows a changed page.
fn mark_windows(old: &[String], new: &[String], hot: &HashSet<String>, out: &mut BTreeSet<String>) {
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

/// Asset URLs for `serve`: the theme's files by content hash, as `build` names them; the derived indexes
/// by stable name.
fn asset_urls(theme: &ThemeFiles, model: &Model) -> AssetUrls {
    let mut assets = AssetUrls::for_statics(&theme.statics, model);
    assets.search_index = model.prefixed(SEARCH_JSON);
    assets.knowledge_index = model.prefixed(KNOWLEDGE_JSON);
    assets
}

/// A content page and the redirects of its aliases.
fn render_page(
    r: &Renderer,
    model: &Model,
    links: &ReverseLinks,
    i: usize,
) -> Result<Vec<(String, String)>, Diagnostic> {
    let p = &model.site.pages[i];
    let mut files = vec![(
        page_output(&Model::rel_path(p)),
        r.page(model, links, i, &model.bodies[i], &model.bodies[i].html)?,
    )];
    files.extend(r.redirects(model, p)?);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace on a copy of the good-site fixture, with the files it serves.
    struct Site {
        _tmp: tempfile::TempDir,
        root: PathBuf,
        ws: Workspace,
        files: HashMap<String, Bytes>,
        rendered: usize,
    }

    fn publish(files: &mut HashMap<String, Bytes>, outcome: Outcome) -> Result<usize, String> {
        match outcome {
            Outcome::Published {
                update,
                full,
                rendered,
            } => {
                apply_update(files, update, full);
                Ok(rendered)
            }
            Outcome::Errors(d) => Err(crate::diag::render(&d, crate::diag::Format::Human)),
        }
    }

    fn site() -> Site {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
        let root = tmp.path().to_path_buf();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good-site");
        for e in walkdir::WalkDir::new(&fixture).into_iter().flatten() {
            let rel = e.path().strip_prefix(&fixture).unwrap_or(e.path());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(root.join(rel)).unwrap_or_default();
            } else {
                std::fs::copy(e.path(), root.join(rel)).unwrap_or_default();
            }
        }
        let mut ws =
            Workspace::load(&root, "http://127.0.0.1:1/").unwrap_or_else(|d| unreachable!("{d:?}"));
        let mut files = HashMap::new();
        let rendered = publish(&mut files, ws.rebuild()).unwrap_or_else(|e| unreachable!("{e}"));
        // The search index exists before the edits, so they update it rather than build it anew.
        assert!(ws.search_files().contains_key(SEARCH_JSON));
        Site {
            _tmp: tmp,
            root,
            ws,
            files,
            rendered,
        }
    }

    impl Site {
        /// Rewrites a file with `f`, applies the change, and checks that what is served equals a fresh
        /// build. Returns the number of pages re-rendered.
        #[track_caller]
        fn edit(&mut self, rel: &str, f: impl FnOnce(String) -> Option<String>) -> usize {
            let path = self.root.join(rel);
            let old = std::fs::read_to_string(&path).unwrap_or_default();
            match f(old) {
                Some(new) => {
                    std::fs::create_dir_all(path.parent().unwrap_or(&self.root))
                        .unwrap_or_default();
                    std::fs::write(&path, new).unwrap_or_default();
                }
                None => std::fs::remove_file(&path).unwrap_or_default(),
            }
            assert!(self.ws.apply(&[PathBuf::from(rel)]));
            let n =
                publish(&mut self.files, self.ws.rebuild()).unwrap_or_else(|e| unreachable!("{e}"));
            let (fresh, fresh_ws) = site_at(&self.root);
            // The search index too, file by file (`serve` derives it; the names are content hashes).
            let (ours, theirs) = (self.ws.search_files(), fresh_ws.search_files());
            let mut names: Vec<&String> = ours.keys().chain(theirs.keys()).collect();
            names.sort();
            names.dedup();
            for k in names {
                assert!(
                    ours.get(k) == theirs.get(k),
                    "after editing {rel}, the search index's `{k}` differs from a full build"
                );
            }
            let mut keys: Vec<_> = self.files.keys().chain(fresh.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let a = self
                    .files
                    .get(k)
                    .map(|b| String::from_utf8_lossy(b).into_owned());
                let b = fresh
                    .get(k)
                    .map(|b| String::from_utf8_lossy(b).into_owned());
                assert!(a == b, "after editing {rel}, `{k}` differs from a full build:\nincremental: {a:?}\nfull: {b:?}");
            }
            n
        }
    }

    fn site_at(root: &Path) -> (HashMap<String, Bytes>, Workspace) {
        let mut ws =
            Workspace::load(root, "http://127.0.0.1:1/").unwrap_or_else(|d| unreachable!("{d:?}"));
        let mut files = HashMap::new();
        publish(&mut files, ws.rebuild()).unwrap_or_else(|e| unreachable!("{e}"));
        (files, ws)
    }

    #[test]
    fn incremental_rebuilds_equal_full_builds() {
        let mut s = site();
        let all = s.rendered;
        // A body edit re-renders the page alone (and the feed, which lists pages).
        let n = s.edit("content/guides/overview.md", |t| {
            Some(t.replace("TCP first", "TCP comes first"))
        });
        assert_eq!(n, 2);
        // A title shows in lists, neighbours, reverse links and the code tables.
        let n = s.edit("content/causes/cert-expired.md", |t| {
            Some(t.replace(
                "The listener's certificate has expired",
                "An expired listener certificate",
            ))
        });
        assert!(n > 1 && n < all, "{n} of {all}");
        // A step title shows on the causes that point at that step.
        s.edit("content/fixes/renew-cert.md", |t| {
            Some(t.replace(
                "## Replace the certificate {#replace-the-certificate}",
                "## Put in a new certificate {#replace-the-certificate}",
            ))
        });
        // A cause dropped from an error's list loses its "explained by" link.
        s.edit("content/errors/0x904.md", |t| {
            Some(t.replace("  - id: cause-port-blocked\n    why: Rarely; a blocked port usually gives 0x204.\n", ""))
        });
        // A new page joins its section's navigation and the home page's counts.
        s.edit("content/guides/another.md", |_| {
            Some("---\nid: guide-another\nkind: guide\ntitle: Another guide\nsummary: More.\nupdated: 2026-11-20\naliases: [/old/another/]\n---\n\nText.\n".into())
        });
        s.edit("content/guides/another.md", |t| {
            Some(t.replace("aliases: [/old/another/]", "aliases: [/old/other/]"))
        });
        // A deleted page goes, with its aliases.
        s.edit("content/guides/another.md", |_| None);
        // A code table row's name shows on the error pages.
        s.edit("content/codes/disconnect.yaml", |t| {
            Some(t.replace("disconnectReasonAtClientWinsockFDCLOSE", "SocketClosed"))
        });
        // A new section changes every page's navigation.
        s.edit("content/notes/first.md", |_| {
            Some("---\nid: guide-first-note\nkind: guide\ntitle: A note\nsummary: A note.\nupdated: 2026-11-20\n---\n\nText.\n".into())
        });
        assert!(!s.files.contains_key("old/other/index.html"));
    }

    #[test]
    fn errors_keep_the_last_good_site_and_accumulate_what_to_render() {
        let mut s = site();
        let before = s.files.clone();
        std::fs::write(
            s.root.join("content/guides/overview.md"),
            "---\nid: guide-overview\nkind: guide\ntitle: [broken\n---\n",
        )
        .unwrap_or_default();
        s.ws.apply(&[PathBuf::from("content/guides/overview.md")]);
        match s.ws.rebuild() {
            Outcome::Errors(d) => {
                assert_eq!(d.len(), 1, "{d:?}");
                assert_eq!(
                    crate::diag::display_path(&d[0].file),
                    "content/guides/overview.md"
                );
            }
            Outcome::Published { .. } => unreachable!("a broken page must not publish"),
        }
        // A second, valid edit elsewhere does not publish either while the first file is broken.
        std::fs::write(
            s.root.join("content/causes/port-blocked.md"),
            std::fs::read_to_string(s.root.join("content/causes/port-blocked.md"))
                .unwrap_or_default()
                .replace("updated: 2026-11-20", "updated: 2026-11-21"),
        )
        .unwrap_or_default();
        s.ws.apply(&[PathBuf::from("content/causes/port-blocked.md")]);
        assert!(matches!(s.ws.rebuild(), Outcome::Errors(_)));
        assert_eq!(s.files, before);
        // Fixing the first file publishes both changes.
        s.edit("content/guides/overview.md", |_| {
            Some("---\nid: guide-overview\nkind: guide\ntitle: Fixed\nsummary: From TCP to the desktop.\nupdated: 2026-11-20\n---\n\n## How a connection starts\n\nText.\n".into())
        });
        // A broken reference is an error too, reported at the page that has it.
        let mut s = site();
        std::fs::write(
            s.root.join("content/errors/0x904.md"),
            std::fs::read_to_string(s.root.join("content/errors/0x904.md"))
                .unwrap_or_default()
                .replace("  - id: cause-port-blocked", "  - id: cause-port-blockd"),
        )
        .unwrap_or_default();
        s.ws.apply(&[PathBuf::from("content/errors/0x904.md")]);
        match s.ws.rebuild() {
            Outcome::Errors(d) => assert_eq!(d[0].code, crate::diag::Code::UnknownRef, "{d:?}"),
            Outcome::Published { .. } => unreachable!("a broken reference must not publish"),
        }
        // Renaming the target's id breaks the other references to it, found without a full check.
        let mut s = site();
        std::fs::write(
            s.root.join("content/causes/port-blocked.md"),
            std::fs::read_to_string(s.root.join("content/causes/port-blocked.md"))
                .unwrap_or_default()
                .replace("id: cause-port-blocked", "id: cause-port-closed"),
        )
        .unwrap_or_default();
        s.ws.apply(&[PathBuf::from("content/causes/port-blocked.md")]);
        match s.ws.rebuild() {
            Outcome::Errors(d) => {
                let files: BTreeSet<String> = d
                    .iter()
                    .map(|d| crate::diag::display_path(&d.file))
                    .collect();
                assert!(files.contains("content/errors/0x904.md"), "{d:?}");
                assert!(files.contains("content/codes/disconnect.yaml"), "{d:?}");
            }
            Outcome::Published { .. } => unreachable!("dangling references must not publish"),
        }
    }

    fn keys(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn classifies_content_files_like_the_walk() {
        assert!(matches!(
            classify(Path::new("content/errors/a.md")),
            Some(FileKind::Page)
        ));
        assert!(matches!(
            classify(Path::new("content/codes/event.yaml")),
            Some(FileKind::Table)
        ));
        assert!(classify(Path::new("content/errors/.a.md.swp")).is_none());
        assert!(classify(Path::new("content/a.md")).is_none());
        assert!(classify(Path::new("content/errors/deeper/a.md")).is_none());
        assert!(classify(Path::new("site.toml")).is_none());
    }

    #[test]
    fn windows_mark_only_pages_near_a_change() {
        let old: Vec<String> = (0..40).map(|i| format!("/s/{i:02}/")).collect();
        let mut hot = HashSet::new();
        hot.insert("/s/20/".to_string());
        let mut out = BTreeSet::new();
        mark_windows(&old, &old, &hot, &mut out);
        assert_eq!(out.len(), 2 * WINDOW + 1);
        assert!(out.contains("/s/12/") && out.contains("/s/28/") && !out.contains("/s/29/"));

        // A page moving from the end to the front changes the windows at both ends; pages in the middle
        // keep the same neighbours in the same order.
        let mut new = old.clone();
        let last = new.pop().unwrap_or_default();
        new.insert(0, last);
        let mut out = BTreeSet::new();
        mark_windows(&old, &new, &HashSet::new(), &mut out);
        assert!(out.contains("/s/39/") && out.contains("/s/00/") && out.contains("/s/31/"));
        assert!(!out.contains("/s/20/"), "{out:?}");

        let mut out = BTreeSet::new();
        mark_windows(
            &keys(&["/a/", "/b/"]),
            &keys(&["/a/", "/b/"]),
            &HashSet::new(),
            &mut out,
        );
        assert!(out.is_empty());
    }
}
