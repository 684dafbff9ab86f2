//! What the home page shows besides the shared context: the error pages grouped by the connection stage
//! where they fail and by the client that shows them, and the guides.
//!
//! The groups come from content data only, so another knowledge base gets its own: an error page's stage is
//! the `stage:` of its first (most likely) cause, in the order of `site.toml`'s `[[checker.stages]]`; its
//! clients are its `clients:`, in the order of `[[clients]]`. A group lists at most [`GROUP_SIZE`] pages and
//! links the section that holds the rest, so the home page stays small as the site grows.

use serde_json::{json, Value};

use super::templates::{featured_pages, page_ref};
use crate::load::{Kind, KindData};
use crate::model::Model;

/// Pages listed per group; the rest are counted.
pub(crate) const GROUP_SIZE: usize = 8;

/// Guides listed; the rest are counted by the section that holds them (a 10,000-page site has thousands).
pub(crate) const GUIDES_SHOWN: usize = 24;

/// Which pages the home page lists, by index: the featured error pages, each non-empty group (its stage's
/// or client's place in `site.toml`, and all its pages, of which the first [`GROUP_SIZE`] are listed), and
/// the guides. `serve` compares it before and after an edit, without building the context.
#[derive(PartialEq)]
pub(crate) struct HomeLayout {
    pub(crate) featured: Vec<usize>,
    pub(crate) by_stage: Vec<(usize, Vec<usize>)>,
    pub(crate) by_client: Vec<(usize, Vec<usize>)>,
    pub(crate) guides: Vec<usize>,
}

impl HomeLayout {
    /// The pages the home page shows (as list entries: title, summary, URL, kind).
    pub(crate) fn listed(&self) -> impl Iterator<Item = usize> + '_ {
        let groups = self.by_stage.iter().chain(&self.by_client);
        self.featured
            .iter()
            .chain(groups.flat_map(|(_, pages)| pages.iter().take(GROUP_SIZE)))
            .chain(self.guides.iter().take(GUIDES_SHOWN))
            .copied()
    }
}

/// The home page's layout (see [`HomeLayout`]).
pub(crate) fn home_layout(model: &Model) -> HomeLayout {
    let featured = featured_pages(model).collect();
    let cfg = &model.site.config;
    let mut by_stage: Vec<Vec<usize>> = vec![Vec::new(); cfg.checker.stages.len()];
    let mut by_client: Vec<Vec<usize>> = vec![Vec::new(); cfg.clients.len()];
    // Pages in their sections' reading order, so a group lists them as the section does.
    for (_, pages) in &model.sections {
        for &i in pages {
            let Some(p) = model.site.pages.get(i) else {
                continue;
            };
            let KindData::Error(e) = &p.data else {
                continue;
            };
            let stage = e
                .causes
                .first()
                .and_then(|c| model.page(&c.id))
                .and_then(|c| match &c.data {
                    KindData::Cause(c) => c.stage.as_deref(),
                    _ => None,
                })
                .and_then(|s| cfg.stage_index(s));
            if let Some(list) = stage.and_then(|k| by_stage.get_mut(k)) {
                list.push(i);
            }
            for id in &e.clients {
                let k = cfg.clients.iter().position(|c| &c.id == id);
                if let Some(list) = k.and_then(|k| by_client.get_mut(k)) {
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
            }
        }
    }
    let non_empty = |groups: Vec<Vec<usize>>| -> Vec<(usize, Vec<usize>)> {
        groups
            .into_iter()
            .enumerate()
            .filter(|(_, pages)| !pages.is_empty())
            .collect()
    };
    let guides = model
        .sections
        .iter()
        .flat_map(|(_, pages)| pages.iter().copied())
        .filter(|&i| {
            model
                .site
                .pages
                .get(i)
                .is_some_and(|p| p.meta.kind == Kind::Guide)
        })
        .collect();
    HomeLayout {
        featured,
        by_stage: non_empty(by_stage),
        by_client: non_empty(by_client),
        guides,
    }
}

/// The home page's context: `featured`, `by_stage`, `by_client` and `guides` (documented in the theme's
/// README), from its [`HomeLayout`].
pub(crate) fn home_context(model: &Model) -> Value {
    let layout = home_layout(model);
    let cfg = &model.site.config;
    let refs = |pages: &[usize]| -> Vec<_> {
        pages
            .iter()
            .filter_map(|&i| model.site.pages.get(i))
            .map(|p| page_ref(model, p))
            .collect()
    };
    let group = |id: &str, label: &str, pages: &[usize]| {
        let listed = refs(pages.get(..GROUP_SIZE).unwrap_or(pages));
        // Where the pages not listed are: the section of the group's pages, named, since it lists every
        // error, not only this group's.
        let section = pages
            .first()
            .and_then(|&i| model.site.pages.get(i))
            .map(|p| p.section.as_str());
        let more_url = section.map(|s| model.prefixed(&format!("/{s}/")));
        let more_in = section.map(|s| model.section_title(s));
        json!({"id": id, "label": label, "pages": listed, "more": pages.len().saturating_sub(GROUP_SIZE),
            "more_url": more_url, "more_in": more_in})
    };
    let by_stage: Vec<_> = layout
        .by_stage
        .iter()
        .filter_map(|(k, pages)| Some((cfg.checker.stages.get(*k)?, pages)))
        .map(|(s, pages)| group(&s.id, &s.label, pages))
        .collect();
    let by_client: Vec<_> = layout
        .by_client
        .iter()
        .filter_map(|(k, pages)| Some((cfg.clients.get(*k)?, pages)))
        .map(|(c, pages)| group(&c.id, &c.label, pages))
        .collect();
    let shown = layout.guides.get(..GUIDES_SHOWN).unwrap_or(&layout.guides);
    json!({"featured": refs(&layout.featured), "by_stage": by_stage, "by_client": by_client,
        "guides": refs(shown), "guides_more": layout.guides.len() - shown.len(),
        "guide_sections": guide_sections(model, &layout.guides, shown.len())})
}

/// The sections that hold guides, with how many each holds, when `shown` of `guides` leave some unlisted:
/// where a reader finds the rest.
fn guide_sections(model: &Model, guides: &[usize], shown: usize) -> Vec<Value> {
    if shown == guides.len() {
        return Vec::new();
    }
    let mut out: Vec<(&str, usize)> = Vec::new();
    for p in guides.iter().filter_map(|&i| model.site.pages.get(i)) {
        match out.last_mut() {
            Some((s, n)) if *s == p.section => *n += 1,
            _ => out.push((&p.section, 1)),
        }
    }
    out.iter()
        .map(|(s, n)| {
            json!({"title": model.section_title(s), "url": model.prefixed(&format!("/{s}/")), "count": n})
        })
        .collect()
}
