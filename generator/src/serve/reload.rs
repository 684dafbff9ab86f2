//! Reading changed files back into the model: a page, a code table, or (when ids, membership or tables
//! changed) the model's lookup tables and order rebuilt from the pages as they are now.

use std::path::Path;

use super::incremental::Workspace;
use crate::load::{self, Site, Unloaded};
use crate::markdown::render_markdown;
use crate::model::Model;

/// The kinds of content file, by path, as `load::walk` finds them.
pub(super) enum FileKind {
    Page,
    Table,
}

/// `content/<section>/<slug>.md` is a page, `content/codes/<scheme>.yaml` a table; hidden files and
/// anything else are not content (the same rules as `load::walk`).
pub(super) fn classify(rel: &Path) -> Option<FileKind> {
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
pub(super) fn key_of(rel: &Path) -> Option<(String, String)> {
    let section = rel.parent()?.file_name()?.to_str()?.to_string();
    let slug = rel.file_stem()?.to_str()?;
    let key = format!("/{section}/{slug}/");
    Some((section, key))
}

/// `/errors/x/` -> `errors/x/index.html`.
pub(super) fn page_output(key: &str) -> String {
    format!("{}index.html", key.trim_start_matches('/'))
}

impl Workspace {
    /// Reloads one page file; returns whether the model's structure (ids, order, membership) changed.
    pub(super) fn reload_page(&mut self, rel: &Path) -> bool {
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
                self.model.index_paths();
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
                        self.model.index_paths();
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
    pub(super) fn reload_table(&mut self, rel: &Path) -> Vec<String> {
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
    pub(super) fn remodel(&mut self) {
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
}
