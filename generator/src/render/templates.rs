//! Pages through the theme's Tera templates. The context each template gets is documented in
//! `themes/default/README.md`; keep the two in step.

use serde::Serialize;
use tera::{Context, Tera};

use crate::derive::ReverseLinks;
use crate::diag::{Code, Diagnostic, Pos};
use crate::load::{Kind, Page};
use crate::markdown::Body;
use crate::model::Model;
use crate::theme::ThemeFiles;

use super::escape::escape_min;
use super::page_ctx::page_ctx;
use super::template_errors::{template_diag, template_diags};

/// The Content-Security-Policy every page is built for (also sent by `serve`).
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/// URLs of the hashed assets, as templates see them. Made by `write` ([`AssetUrls::for_statics`] is in
/// `write/assets.rs`), which names the files: render receives URLs and never names an output.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AssetUrls {
    pub css: String,
    pub js: String,
    /// The search index's manifest (see `derive::search`).
    pub search_index: String,
    /// The search box's code (`search.js` of the theme), loaded on first use.
    pub search_ui: String,
    pub knowledge_index: String,
    pub checker_js: String,
    pub checker_wasm: String,
    /// The checker's front end (`checker-wasm/js/checker_ui.js`): its boxes and the Web Worker it runs in.
    pub checker_ui: String,
    /// The site icon (`favicon.svg` of the theme), empty when the theme has none.
    pub icon: String,
    /// The header menu and the table of contents' marker (`nav.js` of the theme), imported on first use.
    pub nav: String,
}

/// Where the redirect page of an alias (an old URL) is written, or `None` for an alias that `validate`
/// refuses (see `outputs::alias`): a site with one is never written.
pub fn alias_output(alias: &str) -> Option<String> {
    crate::outputs::alias(alias).ok()
}

/// Error pages listed in a code-table row; the rest are counted.
const ROW_PAGES: usize = 6;

/// The error pages the home page features, by index.
pub fn featured_pages(model: &Model) -> impl Iterator<Item = usize> + '_ {
    model
        .site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.meta.kind == Kind::Error)
        .map(|(i, _)| i)
        .take(24)
}

/// A link to a page, as lists in templates show it.
#[derive(Debug, Clone, Serialize)]
pub struct PageRef {
    pub id: String,
    pub title: String,
    pub url: String,
    pub summary: String,
    pub kind: &'static str,
}

#[derive(Serialize)]
struct SectionRef {
    name: String,
    title: String,
    url: String,
    count: usize,
}

/// The theme's templates, compiled once, and the context every page shares.
pub struct Renderer {
    tera: Tera,
    /// The theme's template folder, for diagnostics.
    dir: String,
    base: Context,
    /// The shared context of each section's pages (key: section name), with `current_section` and the
    /// section's `nav_html`: the menu is rendered once per section, not per page. Tera's values share their
    /// strings, lists and maps, so cloning one of these per page copies only the top-level keys.
    sections: std::collections::HashMap<String, Context>,
}

/// Compiles a theme's templates: syntax errors, unknown filters, functions and components and blocks that
/// no parent defines are found here, each at its template line (what `check` reports for a theme).
pub fn compile(theme: &ThemeFiles) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    // Only the five characters that matter in HTML text and quoted attributes are escaped: `/` stays as it
    // is, so URLs are not bloated.
    tera.set_escape_fn(escape_min);
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(n, s)| (n.as_str(), s.as_str())),
    )
    .map_err(|e| template_diags(&e, &theme.dir, "templates"))?;
    Ok(tera)
}

impl Renderer {
    /// Compiles the theme's templates and prepares the shared context.
    pub fn new(
        theme: &ThemeFiles,
        model: &Model,
        assets: &AssetUrls,
    ) -> Result<Renderer, Vec<Diagnostic>> {
        let tera = compile(theme)?;
        let cfg = &model.site.config;
        let mut base = Context::new();
        base.insert(
            "site",
            &serde_json::json!({
                "title": cfg.title,
                "base_url": cfg.base_url,
                "base_path": model.base_path,
                "language": cfg.language,
                "repository": cfg.repository,
                "description": cfg.description,
                "start": cfg.start_here.as_deref().and_then(|id| model.page(id)).map(|p| page_ref(model, p)),
            }),
        );
        base.insert("assets", assets);
        base.insert("csp", CSP);
        let sections: Vec<SectionRef> = model
            .sections
            .iter()
            .map(|(name, pages)| SectionRef {
                name: name.clone(),
                title: model.section_title(name),
                url: model.prefixed(&format!("/{name}/")),
                count: pages.len(),
            })
            .collect();
        base.insert("sections", &sections);
        base.insert("current_section", &Option::<String>::None);
        let nav = |ctx: &Context| {
            tera.render("nav.html", ctx)
                .map_err(|e| vec![template_diag(&e, &theme.dir, "nav.html")])
        };
        let none = nav(&base)?;
        let mut by_section = std::collections::HashMap::new();
        for (name, _) in &model.sections {
            let mut ctx = base.clone();
            ctx.insert("current_section", name);
            let html = nav(&ctx)?;
            ctx.insert("nav_html", &html);
            by_section.insert(name.clone(), ctx);
        }
        base.insert("nav_html", &none);
        Ok(Renderer {
            tera,
            dir: theme.dir.clone(),
            base,
            sections: by_section,
        })
    }

    /// The shared context with the menu of `section` (a page's own section).
    fn context_for(&self, section: &str) -> Context {
        match self.sections.get(section) {
            Some(ctx) => ctx.clone(),
            None => self.base.clone(),
        }
    }

    fn render(&self, name: &str, ctx: &Context, what: &str) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| template_diag(&e, &self.dir, what))
    }

    /// Renders one content page; `html` is its body's HTML (`body.html` of the Markdown pass, or the same
    /// HTML moved out of it: `build` frees each page's HTML as soon as the page is written).
    pub fn page(
        &self,
        model: &Model,
        links: &ReverseLinks,
        i: usize,
        body: &Body,
        html: &str,
    ) -> Result<String, Diagnostic> {
        let mut out = Vec::new();
        self.page_to(model, links, i, body, html, &mut out)?;
        String::from_utf8(out).map_err(|e| {
            let file = crate::diag::display_path(&model.site.pages[i].file);
            Diagnostic::new(
                Code::Template,
                &self.dir,
                Pos::START,
                format!("{file}: {e}"),
            )
        })
    }

    /// [`Renderer::page`] into `out` (cleared first): `build` reuses one buffer per thread, so pages cost no
    /// fresh allocation of their size (memory freed in other sizes is not reused for it).
    pub fn page_to(
        &self,
        model: &Model,
        links: &ReverseLinks,
        i: usize,
        body: &Body,
        html: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        let p = &model.site.pages[i];
        let mut ctx = self.context_for(&p.section);
        ctx.insert("page", &page_ctx(model, links, i, p, body, html));
        out.clear();
        self.tera
            .render_to("page.html", &ctx, &mut *out)
            .map_err(|e| template_diag(&e, &self.dir, &crate::diag::display_path(&p.file)))
    }

    /// Renders one index page of a section: `pages` are the entries it shows, `pager` its place among the
    /// section's index pages (`render::pager::section_pages` renders them all).
    pub(crate) fn section_page(
        &self,
        model: &Model,
        name: &str,
        pages: &[PageRef],
        pager: &super::pager::Pager,
    ) -> Result<String, Diagnostic> {
        let mut ctx = self.context_for(name);
        ctx.insert(
            "section",
            &serde_json::json!({ "name": name, "title": model.section_title(name), "url": model.prefixed(&format!("/{name}/")), "pages": pages, "count": pager.total }),
        );
        ctx.insert("pager", pager);
        self.render("section.html", &ctx, "section.html")
    }

    /// Renders the home page; `home` is its context (`render::home::home_context`: featured error pages,
    /// error pages grouped by stage and by client, guides), each key inserted as it is.
    pub fn index(&self, home: &serde_json::Value) -> Result<String, Diagnostic> {
        let mut ctx = self.base.clone();
        if let Some(map) = home.as_object() {
            for (k, v) in map {
                ctx.insert(k.clone(), v);
            }
        }
        self.render("index.html", &ctx, "index.html")
    }

    /// The code-table pages (`codes/<scheme>/index.html`, an anchor per row), as `(output path, HTML)`.
    /// Their overview is a fixed page ([`Renderer::code_overview`]).
    pub fn code_tables(
        &self,
        model: &Model,
        index: &fixbook_checker::KnowledgeIndex,
    ) -> Vec<(String, Result<String, Diagnostic>)> {
        let mut out = Vec::new();
        // Error pages by the codes they list, so each row leads to the pages about that code.
        let mut error_pages: std::collections::HashMap<(&str, &str), Vec<serde_json::Value>> =
            std::collections::HashMap::new();
        for e in &index.errors {
            for c in &e.codes {
                error_pages
                    .entry((c.scheme.as_str(), c.value.as_str()))
                    .or_default()
                    .push(serde_json::json!({"title": e.title, "url": e.url}));
            }
        }
        for t in &index.tables {
            let src = model.site.tables.iter().find(|s| s.scheme == t.scheme);
            // Rows grouped by the page that holds them, as `outputs::code_row_url` links them.
            let mut by_page: Vec<Vec<serde_json::Value>> = Vec::new();
            for row in &t.rows {
                let k = crate::outputs::code_row_page(model, &t.scheme, &row.value);
                if by_page.len() < k {
                    by_page.resize_with(k, Vec::new);
                }
                let decimal = u64::from_str_radix(row.value.trim_start_matches("0x"), 16)
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                let causes: Vec<_> = row
                    .causes
                    .iter()
                    .filter_map(|id| index.cause(id))
                    .map(|c| serde_json::json!({"id": c.id, "title": c.title, "url": c.url}))
                    .collect();
                // A row lists a few of the error pages that show its code and counts the others: on a
                // 100,000-page site one code is on hundreds of pages, and the table must stay small.
                let all = error_pages
                    .get(&(t.scheme.as_str(), row.value.as_str()))
                    .map_or(&[][..], Vec::as_slice);
                let pages = all.get(..all.len().min(ROW_PAGES)).unwrap_or(all);
                let pages_more = all.len() - pages.len();
                if let Some(list) = by_page.get_mut(k - 1) {
                    list.push(serde_json::json!({"value": row.value, "decimal": decimal, "name": row.name,
                        "meaning": row.meaning, "source": row.source, "causes": causes, "url": row.url,
                        "pages": pages, "pages_more": pages_more,
                        "versions": fixbook_checker::versions(row.since.as_deref(), row.until.as_deref(), &row.applies_to)}));
                }
            }
            let count = by_page.len().max(1);
            by_page.resize_with(count, Vec::new);
            for (n, rows) in by_page.into_iter().enumerate() {
                let k = n + 1;
                let pager = super::pager::Pager::new(
                    model,
                    k,
                    count,
                    t.rows.len(),
                    crate::outputs::CODE_TABLE_ROWS,
                    |n| crate::outputs::code_table_url(&t.scheme, n),
                );
                let table = serde_json::json!({
                    "scheme": t.scheme, "title": t.title, "url": t.url, "labels": t.labels, "rows": rows,
                    "count": t.rows.len(),
                    "is_event": t.kind == fixbook_checker::TableKind::Event,
                    "description": src.and_then(|s| s.description.clone()),
                    "sources": src.map(|s| s.sources.clone()).unwrap_or_default(),
                });
                let pager = serde_json::to_value(&pager).unwrap_or_default();
                out.push((
                    crate::outputs::code_table(&t.scheme, k),
                    self.simple("code_table.html", &[("table", table), ("pager", pager)]),
                ));
            }
        }
        out
    }

    /// The overview of the code tables (`codes/index.html`).
    pub fn code_overview(
        &self,
        index: &fixbook_checker::KnowledgeIndex,
    ) -> Result<String, Diagnostic> {
        let overview = index
            .tables
            .iter()
            .map(|t| {
                // Each page of a split table, so a reader can go straight to the one they need: the
                // rows' URLs say which page holds each (`outputs::code_row_url`).
                let mut pages: Vec<serde_json::Value> = Vec::new();
                let mut at = "";
                for r in &t.rows {
                    let path = r.url.split('#').next().unwrap_or("");
                    if path != at {
                        at = path;
                        pages.push(serde_json::json!({"number": pages.len() + 1, "url": path, "first": r.value, "last": r.value}));
                    } else if let Some(last) = pages.last_mut() {
                        last["last"] = serde_json::Value::String(r.value.clone());
                    }
                }
                serde_json::json!({"scheme": t.scheme, "title": t.title, "url": t.url, "count": t.rows.len(), "pages": if pages.len() > 1 { pages } else { Vec::new() }})
            })
            .collect();
        self.simple(
            "codes.html",
            &[("tables", serde_json::Value::Array(overview))],
        )
    }

    /// The redirect pages of a page's aliases, as `(output path, HTML)`.
    pub fn redirects(&self, model: &Model, p: &Page) -> Result<Vec<(String, String)>, Diagnostic> {
        let mut out = Vec::new();
        for alias in &p.meta.aliases {
            if let Some(path) = alias_output(alias) {
                let extra = [
                    ("target", serde_json::Value::String(model.url(p))),
                    ("title", serde_json::Value::String(p.meta.title.clone())),
                ];
                out.push((path, self.simple("redirect.html", &extra)?));
            }
        }
        Ok(out)
    }

    /// Renders a template that needs only the shared context plus `extra`.
    pub fn simple(
        &self,
        name: &str,
        extra: &[(&str, serde_json::Value)],
    ) -> Result<String, Diagnostic> {
        let mut ctx = self.base.clone();
        for (k, v) in extra {
            ctx.insert(k.to_string(), v);
        }
        self.render(name, &ctx, name)
    }
}

/// A page as a list entry.
pub fn page_ref(model: &Model, p: &Page) -> PageRef {
    PageRef {
        id: p.meta.id.clone(),
        title: p.meta.title.clone(),
        url: model.url(p),
        summary: p.meta.summary.clone(),
        kind: p.meta.kind.as_str(),
    }
}
