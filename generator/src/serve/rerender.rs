//! What an edit re-renders, rendered: the pages and section indexes marked in [`Pending`], the fixed
//! outputs that show what changed, the code tables. Kept apart from working out *what* to render
//! (`affected`), so each can be read on its own.

use std::sync::Arc;

use rayon::prelude::*;

use super::affected::Pending;
use super::files::{bytes, Update};
use super::incremental::Workspace;
use super::reload::page_output;
use crate::derive::{self, ReverseLinks};
use crate::diag::{self, Diagnostic};
use crate::load::KindData;
use crate::model::Model;
use crate::outputs::Fixed;
use crate::render::templates::Renderer;
use crate::write::assets::hashed_name;

impl Workspace {
    /// The reverse links of pages `of` alone, from the back-reference index: what
    /// [`derive::reverse_links`] gives for them, without a pass over every page. A page's referrers are
    /// in page order, as there.
    pub(super) fn reverse_links_of(&self, of: &[usize]) -> ReverseLinks {
        let model = &self.model;
        let mut links = ReverseLinks::default();
        for &j in of {
            let Some(id) = model.site.pages.get(j).map(|p| &p.meta.id) else {
                continue;
            };
            if model.by_id.get(id) != Some(&j) {
                continue;
            }
            let mut from: Vec<usize> = self
                .backrefs
                .refs
                .get(id)
                .into_iter()
                .flatten()
                .filter_map(|k| model.by_path.get(k).copied())
                .collect();
            from.sort_unstable();
            from.dedup();
            for i in from {
                match model.site.pages.get(i).map(|p| &p.data) {
                    Some(KindData::Error(e)) if e.causes.iter().any(|c| &c.id == id) => {
                        links.explains.entry(j).or_default().push(i);
                    }
                    Some(KindData::Cause(c)) if c.fixes.iter().any(|f| &f.id == id) => {
                        links.resolves.entry(j).or_default().push(i);
                    }
                    _ => {}
                }
            }
        }
        links
    }

    /// Renders what `pending` asks for. Returns the update and the number of HTML pages rendered.
    pub(super) fn render(&self, pending: &Pending) -> Result<(Update, usize), Vec<Diagnostic>> {
        let mut update: Update = Vec::new();
        if !pending.all {
            update.extend(pending.removed.iter().map(|out| (out.clone(), None)));
        }
        let mut errors = Vec::new();
        let mut rendered = self.render_pages(pending, &mut update, &mut errors);
        let mut one = |path: String, res: Result<String, Diagnostic>| match res {
            Ok(html) => {
                rendered += 1;
                update.push((path, Some(bytes(html))));
            }
            Err(d) => errors.push(d),
        };
        let (model, r) = (&self.model, &self.renderer);
        for (name, pages) in &model.sections {
            if pending.all || pending.sections.contains(name) {
                for (path, res) in crate::render::section_pages(r, model, name, pages) {
                    one(path, res);
                }
            }
        }
        for f in Fixed::ALL.into_iter().filter(|&f| fixed_due(f, pending)) {
            one(
                f.path().into(),
                crate::render::fixed(f, r, model, || self.index()),
            );
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

    /// Renders the content pages `pending` asks for (in parallel), with their aliases' redirects, into
    /// `update`; returns how many.
    fn render_pages(
        &self,
        pending: &Pending,
        update: &mut Update,
        errors: &mut Vec<Diagnostic>,
    ) -> usize {
        let model = &self.model;
        let indices: Vec<usize> = if pending.all {
            (0..model.site.pages.len()).collect()
        } else {
            pending
                .pages
                .iter()
                .filter_map(|k| model.by_path.get(k).copied())
                .collect()
        };
        let links = if pending.all {
            derive::reverse_links(model)
        } else {
            self.reverse_links_of(&indices)
        };
        let pages: Vec<Result<Vec<(String, String)>, Diagnostic>> = indices
            .par_iter()
            .map(|&i| render_page(&self.renderer, model, &links, i))
            .collect();
        for res in pages {
            match res {
                Ok(files) => update.extend(files.into_iter().map(|(k, v)| (k, Some(bytes(v))))),
                Err(d) => errors.push(d),
            }
        }
        indices.len()
    }
}

/// Whether fixed output `f` shows something `pending` changes.
fn fixed_due(f: Fixed, pending: &Pending) -> bool {
    match f {
        Fixed::Home => pending.all || pending.home,
        // Every page links it, so it is served as `build` writes it: any page's title, summary or date may
        // have changed (50 short entries: cheap next to the page itself).
        Fixed::Feed => pending.all || pending.home || !pending.pages.is_empty(),
        Fixed::Check | Fixed::NotFound => pending.all,
        Fixed::CodesOverview => pending.all || pending.tables,
        // Derived when asked for, from the current model (`Workspace::derived`).
        Fixed::CodesJson => false,
        // For search engines, which visit deployed sites, not `serve`.
        Fixed::Sitemap | Fixed::Robots => false,
    }
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
