//! What `page.html` sees of one content page: its fields, its place in its section, what it lists by kind
//! (an error's codes and causes, a cause's fixes, a fix's requirements), the pages that point at it, and its
//! breadcrumbs and JSON-LD. The keys are documented in `themes/default/README.md`; keep the two in step.
//!
//! Each part is made by a function of its own, so a change to one kind of page reads in one place.

use serde::Serialize;

use super::page_html::{json_ld, with_step_notes};
use super::templates::{page_ref, PageRef};
use crate::derive::ReverseLinks;
use crate::load::{CauseData, ErrorData, FixData, KindData, Page};
use crate::markdown::{Body, Heading};
use crate::model::Model;

#[derive(Serialize)]
struct Crumb {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct CodeCtx {
    scheme: String,
    value: String,
    name: String,
    meaning: String,
    url: String,
}

#[derive(Serialize)]
struct CauseCtx {
    id: String,
    title: String,
    url: String,
    why: String,
}

#[derive(Serialize)]
struct FixCtx {
    id: String,
    title: String,
    url: String,
}

#[derive(Serialize)]
pub(super) struct PageCtx<'a> {
    id: &'a str,
    kind: &'static str,
    title: &'a str,
    summary: &'a str,
    updated: &'a str,
    /// When a person last checked the page against its sources, if the page says.
    verified: Option<&'a str>,
    url: String,
    permalink: String,
    section: &'a str,
    section_title: String,
    section_url: String,
    slug: &'a str,
    /// The body's HTML, with fix steps' version notes after their headings.
    content: std::borrow::Cow<'a, str>,
    toc: Vec<&'a Heading>,
    sources: &'a [crate::load::Source],
    applies_to: &'a [String],
    related: Vec<PageRef>,
    #[serde(flatten)]
    lists: KindLists<'a>,
    explains: Vec<PageRef>,
    resolves: Vec<PageRef>,
    edit_url: Option<String>,
    #[serde(flatten)]
    window: Window<'a>,
    breadcrumbs: Vec<Crumb>,
    json_ld: String,
}

/// An entry of a page's section neighbours (the sidebar list).
#[derive(Debug, Clone, Serialize)]
struct NavRef<'a> {
    title: &'a str,
    url: String,
    /// True for the page being rendered.
    current: bool,
}

/// The page's place in its section: the pages before and after it, and a window of neighbours.
#[derive(Serialize)]
struct Window<'a> {
    prev: Option<PageRef>,
    next: Option<PageRef>,
    neighbours: Vec<NavRef<'a>>,
}

/// What a page lists because of its kind; empty for the kinds that do not have it.
#[derive(Serialize, Default)]
struct KindLists<'a> {
    codes: Vec<CodeCtx>,
    messages: &'a [String],
    causes: Vec<CauseCtx>,
    fixes: Vec<FixCtx>,
    requires: Vec<String>,
    risk: Option<String>,
}

/// The context of page `i` (`p`), whose Markdown pass gave `body` and whose HTML is `html`.
pub(super) fn page_ctx<'a>(
    model: &'a Model,
    links: &ReverseLinks,
    i: usize,
    p: &'a Page,
    body: &'a Body,
    html: &'a str,
) -> PageCtx<'a> {
    let permalink = format!("{}{}/{}/", model.site.config.base_url, p.section, p.slug);
    let section_title = model.section_title(&p.section);
    let section_url = model.prefixed(&format!("/{}/", p.section));
    let pointing = |by: &std::collections::HashMap<usize, Vec<usize>>| {
        by.get(&i)
            .map(|v| {
                v.iter()
                    .map(|&j| page_ref(model, &model.site.pages[j]))
                    .collect()
            })
            .unwrap_or_default()
    };
    let json_ld = json_ld(
        p,
        body,
        &permalink,
        &trail(model, p, &section_title, &permalink),
    );
    PageCtx {
        id: &p.meta.id,
        kind: p.meta.kind.as_str(),
        title: &p.meta.title,
        summary: &p.meta.summary,
        updated: &p.meta.updated,
        verified: p.meta.verified.as_deref(),
        url: model.url(p),
        permalink,
        section: &p.section,
        breadcrumbs: breadcrumbs(model, &section_title, &section_url),
        section_title,
        section_url,
        slug: &p.slug,
        content: match &p.data {
            KindData::Fix(f) if !f.steps.is_empty() => with_step_notes(html, &f.steps),
            _ => std::borrow::Cow::Borrowed(html),
        },
        toc: body
            .headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .collect(),
        sources: &p.meta.sources,
        applies_to: &p.meta.applies_to,
        related: p
            .meta
            .related
            .iter()
            .filter_map(|id| model.page(id))
            .map(|rp| page_ref(model, rp))
            .collect(),
        lists: kind_lists(model, p),
        explains: pointing(&links.explains),
        resolves: pointing(&links.resolves),
        edit_url: model.site.config.repository.as_ref().map(|r| {
            format!(
                "{}/{}",
                r.trim_end_matches('/'),
                crate::diag::display_path(&p.file)
            )
        }),
        window: window(model, i, p),
        json_ld,
    }
}

/// Page `i`'s neighbours in its section. Only a window of them: pages stay small as sites grow.
fn window<'a>(model: &'a Model, i: usize, p: &Page) -> Window<'a> {
    let section_pages = model
        .sections
        .iter()
        .find(|(s, _)| *s == p.section)
        .map(|(_, v)| v.as_slice())
        .unwrap_or(&[]);
    let pos = section_pages.iter().position(|&j| j == i).unwrap_or(0);
    let lo = pos.saturating_sub(3);
    let hi = (pos + 4).min(section_pages.len());
    let neighbours = section_pages
        .get(lo..hi)
        .unwrap_or(&[])
        .iter()
        .map(|&j| NavRef {
            title: &model.site.pages[j].meta.title,
            url: model.url(&model.site.pages[j]),
            current: j == i,
        })
        .collect();
    let at = |k: Option<usize>| {
        k.and_then(|k| section_pages.get(k))
            .map(|&j| page_ref(model, &model.site.pages[j]))
    };
    Window {
        prev: at(pos.checked_sub(1)),
        next: at(Some(pos + 1)),
        neighbours,
    }
}

fn kind_lists<'a>(model: &Model, p: &'a Page) -> KindLists<'a> {
    match &p.data {
        KindData::Error(e) => error_lists(model, e),
        KindData::Cause(c) => KindLists {
            fixes: cause_fixes(model, c),
            ..KindLists::default()
        },
        KindData::Fix(f) => fix_lists(f),
        KindData::Guide => KindLists::default(),
    }
}

/// An error page's codes (with their table rows' name and meaning) and ranked causes.
fn error_lists<'a>(model: &Model, e: &'a ErrorData) -> KindLists<'a> {
    let codes = e
        .codes
        .iter()
        .map(|c| {
            let value = crate::content::canonical_in(&c.scheme, &c.value)
                .unwrap_or_else(|| c.value.clone());
            let row = model.row(&c.scheme, &value);
            CodeCtx {
                url: model.prefixed(&crate::outputs::code_row_url(model, &c.scheme, &value)),
                scheme: c.scheme.clone(),
                name: row.map(|r| r.name.clone()).unwrap_or_default(),
                meaning: row.map(|r| r.meaning.clone()).unwrap_or_default(),
                value,
            }
        })
        .collect();
    let causes = e
        .causes
        .iter()
        .filter_map(|c| {
            let cp = model.page(&c.id)?;
            Some(CauseCtx {
                id: c.id.clone(),
                title: cp.meta.title.clone(),
                url: model.url(cp),
                why: c.why.clone(),
            })
        })
        .collect();
    KindLists {
        codes,
        messages: &e.messages,
        causes,
        ..KindLists::default()
    }
}

/// A cause's fixes; a fix named with a step (`fix-id#step`) links the step and adds its heading to the title.
fn cause_fixes(model: &Model, c: &CauseData) -> Vec<FixCtx> {
    c.fixes
        .iter()
        .filter_map(|f| {
            let fi = *model.by_id.get(&f.id)?;
            let fp = model.site.pages.get(fi)?;
            let mut url = model.url(fp);
            let mut title = fp.meta.title.clone();
            if let Some(step) = f.step.as_deref() {
                url.push('#');
                url.push_str(step);
                let heading = model
                    .bodies
                    .get(fi)
                    .and_then(|b| b.headings.iter().find(|h| h.id == step));
                if let Some(h) = heading {
                    title = format!("{title}: {}", h.title);
                }
            }
            Some(FixCtx {
                id: f.id.clone(),
                title,
                url,
            })
        })
        .collect()
}

/// A fix's requirements and risk, as the words the front matter uses.
fn fix_lists(f: &FixData) -> KindLists<'static> {
    let word = |v: serde_json::Result<serde_json::Value>| {
        v.ok().and_then(|v| v.as_str().map(String::from))
    };
    KindLists {
        requires: f
            .requires
            .iter()
            .map(|r| word(serde_json::to_value(r)).unwrap_or_default())
            .collect(),
        risk: word(serde_json::to_value(f.risk)),
        ..KindLists::default()
    }
}

fn breadcrumbs(model: &Model, section_title: &str, section_url: &str) -> Vec<Crumb> {
    vec![
        Crumb {
            title: "Home".into(),
            url: model.base_path.clone(),
        },
        Crumb {
            title: section_title.to_string(),
            url: section_url.to_string(),
        },
    ]
}

/// The breadcrumb trail as absolute URLs, for the page's JSON-LD.
fn trail<'a>(
    model: &Model,
    p: &'a Page,
    section_title: &'a str,
    permalink: &str,
) -> [(&'a str, String); 3] {
    [
        ("Home", model.site.config.base_url.clone()),
        (
            section_title,
            format!("{}{}/", model.site.config.base_url, p.section),
        ),
        (p.meta.title.as_str(), permalink.to_string()),
    ]
}
