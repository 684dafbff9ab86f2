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

/// The home page's context: `featured`, `by_stage`, `by_client` and `guides` (documented in the theme's
/// README). `serve` compares it before and after an edit to decide whether to render the home page again.
pub(crate) fn home_context(model: &Model) -> Value {
    let featured: Vec<_> = featured_pages(model).map(|p| page_ref(model, p)).collect();
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
    let group = |id: &str, label: &str, pages: &[usize]| {
        let refs: Vec<_> = pages
            .iter()
            .take(GROUP_SIZE)
            .filter_map(|&i| model.site.pages.get(i))
            .map(|p| page_ref(model, p))
            .collect();
        // Where the pages not listed are: the section of the group's pages, named, since it lists every
        // error, not only this group's.
        let section = pages
            .first()
            .and_then(|&i| model.site.pages.get(i))
            .map(|p| p.section.as_str());
        let more_url = section.map(|s| model.prefixed(&format!("/{s}/")));
        let more_in = section.map(|s| model.section_title(s));
        json!({"id": id, "label": label, "pages": refs, "more": pages.len().saturating_sub(GROUP_SIZE),
            "more_url": more_url, "more_in": more_in})
    };
    let by_stage: Vec<_> = cfg
        .checker
        .stages
        .iter()
        .zip(&by_stage)
        .filter(|(_, pages)| !pages.is_empty())
        .map(|(s, pages)| group(&s.id, &s.label, pages))
        .collect();
    let by_client: Vec<_> = cfg
        .clients
        .iter()
        .zip(&by_client)
        .filter(|(_, pages)| !pages.is_empty())
        .map(|(c, pages)| group(&c.id, &c.label, pages))
        .collect();
    let (guides, guides_more, guide_sections) = guides(model);
    json!({"featured": featured, "by_stage": by_stage, "by_client": by_client, "guides": guides,
        "guides_more": guides_more, "guide_sections": guide_sections})
}

/// The first [`GUIDES_SHOWN`] guides in reading order, how many more there are, and the sections that hold
/// guides, with their counts, where the rest are found.
fn guides(model: &Model) -> (Vec<super::templates::PageRef>, usize, Vec<Value>) {
    let mut shown = Vec::new();
    let mut total = 0;
    let mut sections = Vec::new();
    for (name, pages) in &model.sections {
        let in_section = pages
            .iter()
            .filter_map(|&i| model.site.pages.get(i))
            .filter(|p| p.meta.kind == Kind::Guide);
        let mut count = 0;
        for p in in_section {
            if shown.len() < GUIDES_SHOWN {
                shown.push(page_ref(model, p));
            }
            count += 1;
        }
        if count > 0 {
            sections.push(json!({"title": model.section_title(name),
                "url": model.prefixed(&format!("/{name}/")), "count": count}));
        }
        total += count;
    }
    let more = total - shown.len();
    if more == 0 {
        sections.clear();
    }
    (shown, more, sections)
}
