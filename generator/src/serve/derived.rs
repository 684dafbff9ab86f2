//! The files `serve` derives from the whole site when they are asked for, not at each edit: the search
//! index, the knowledge index and `codes.json`. They have stable names in `serve` (a build gives them
//! content-hashed names), so a content change never changes every page's HTML.
//!
//! The search index is kept between edits ([`derive::LiveIndex`]): the first search after an edit brings
//! only the edited pages' terms, shards and fragments up to date.

use std::collections::BTreeSet;
#[cfg(test)]
use std::collections::HashMap;
use std::sync::{Arc, PoisonError};
use std::time::Instant;

use fixbook_checker::KnowledgeIndex;

use super::incremental::{timing, Workspace};
use crate::derive;
use crate::model::Model;
use crate::outputs::Fixed;
use crate::render::templates::AssetUrls;
use crate::theme::ThemeFiles;

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

/// Asset URLs for `serve`: the theme's files by content hash, as `build` names them; the derived indexes
/// by stable name.
pub(super) fn asset_urls(theme: &ThemeFiles, model: &Model) -> AssetUrls {
    let mut assets = AssetUrls::for_statics(&theme.statics, model);
    assets.search_index = model.prefixed(SEARCH_JSON);
    assets.knowledge_index = model.prefixed(KNOWLEDGE_JSON);
    assets
}

/// The search index kept between edits, and the pages whose terms changed since it was brought up to
/// date (or `all`, after a change to the site's structure, when it is made anew).
pub(super) struct LiveSearch {
    index: Option<derive::LiveIndex>,
    all: bool,
    pages: BTreeSet<usize>,
}

impl Default for LiveSearch {
    fn default() -> LiveSearch {
        LiveSearch {
            index: None,
            all: true,
            pages: BTreeSet::new(),
        }
    }
}

impl LiveSearch {
    /// Records that the pages `pages` changed their text, or that everything did (`structural`).
    pub(super) fn changed(&mut self, structural: bool, pages: impl Iterator<Item = usize>) {
        if structural {
            self.all = true;
        } else {
            self.pages.extend(pages);
        }
    }

    /// The index of `model`, brought up to date.
    fn current(&mut self, model: &Model) -> Option<&derive::LiveIndex> {
        if self.all || self.index.is_none() {
            let t = Instant::now();
            self.index = Some(derive::LiveIndex::new(model));
            timing("search index", t);
        } else if !self.pages.is_empty() {
            let t = Instant::now();
            if let Some(index) = &mut self.index {
                index.update(model, &self.pages);
            }
            timing("search update", t);
        }
        self.all = false;
        self.pages.clear();
        self.index.as_ref()
    }
}

impl Workspace {
    /// The knowledge index of the current model.
    pub(super) fn index(&self) -> Arc<KnowledgeIndex> {
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

    /// A search index file of the current model, by path (the manifest at [`SEARCH_JSON`]).
    fn search_file(&self, path: &str) -> Option<Vec<u8>> {
        let mut live = self.search.lock().unwrap_or_else(PoisonError::into_inner);
        let index = live.current(&self.model)?;
        let body = match path {
            SEARCH_JSON => index.manifest(),
            _ => index.file(path)?,
        };
        Some(body.as_bytes().to_vec())
    }

    /// The search index's files of the current model, by path.
    #[cfg(test)]
    pub(crate) fn search_files(&self) -> HashMap<String, Vec<u8>> {
        let mut live = self.search.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(index) = live.current(&self.model) else {
            return HashMap::new();
        };
        let files = index.files();
        let mut out: HashMap<String, Vec<u8>> = files
            .files
            .into_iter()
            .map(|(p, b)| (p, b.into_bytes()))
            .collect();
        out.insert(SEARCH_JSON.to_string(), files.manifest.into_bytes());
        out
    }

    /// A file derived from the whole site, computed when asked for: the search index's files, the
    /// knowledge index or `codes.json`.
    pub(crate) fn derived(&self, path: &str) -> Option<Vec<u8>> {
        match path {
            SEARCH_JSON => self.search_file(path),
            p if p.starts_with(SEARCH_FILES) => self.search_file(path),
            KNOWLEDGE_JSON => Some(self.knowledge().common.clone().into_bytes()),
            CODES_JSON => Some(derive::codes_json(&self.index()).into_bytes()),
            shard if is_knowledge_shard(shard) => self.knowledge().shards.get(shard).cloned(),
            _ => None,
        }
    }
}
