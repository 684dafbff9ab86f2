//! Pages through the theme's Tera templates. The context each template gets is documented in
//! `themes/default/README.md`; keep the two in step.

use serde::Serialize;
use tera::{Context, Tera};

use crate::derive::ReverseLinks;
use crate::diag::{Code, Diagnostic, Pos};
use crate::load::{Kind, KindData, Page};
use crate::model::Model;
use crate::render::Body;
use crate::theme::ThemeFiles;

/// The Content-Security-Policy every page is built for (also sent by `serve`).
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/// URLs of the hashed assets, as templates see them.
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
}

impl AssetUrls {
    /// URLs of a theme's static files under their content-hashed names (`write::assets::hashed_name`).
    /// The indexes' URLs are left for the caller: `build` hashes them, `serve` gives them stable names.
    pub fn for_statics(statics: &[(String, Vec<u8>)], model: &Model) -> AssetUrls {
        let mut assets = AssetUrls::default();
        for (name, bytes) in statics {
            let url = model.prefixed(&crate::write::assets::hashed_name(name, bytes));
            match name.as_str() {
                "style.css" => assets.css = url,
                "fixbook.js" => assets.js = url,
                "search.js" => assets.search_ui = url,
                "checker.js" => assets.checker_js = url,
                "checker_bg.wasm" => assets.checker_wasm = url,
                "checker_ui.js" => assets.checker_ui = url,
                "favicon.svg" => assets.icon = url,
                _ => {}
            }
        }
        assets
    }
}

/// Where the redirect page of an alias (an old URL) is written, or `None` for an alias that `validate`
/// refuses (see `outputs::alias`): a site with one is never written.
pub fn alias_output(alias: &str) -> Option<String> {
    crate::outputs::alias(alias).ok()
}

/// The error pages the home page features.
pub fn featured_pages(model: &Model) -> impl Iterator<Item = &Page> {
    model
        .site
        .pages
        .iter()
        .filter(|p| p.meta.kind == Kind::Error)
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
struct PageCtx<'a> {
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
    toc: Vec<&'a crate::render::Heading>,
    sources: &'a [crate::load::Source],
    applies_to: &'a [String],
    related: Vec<PageRef>,
    codes: Vec<CodeCtx>,
    messages: &'a [String],
    causes: Vec<CauseCtx>,
    fixes: Vec<FixCtx>,
    explains: Vec<PageRef>,
    resolves: Vec<PageRef>,
    requires: Vec<String>,
    risk: Option<String>,
    edit_url: Option<String>,
    prev: Option<PageRef>,
    next: Option<PageRef>,
    neighbours: Vec<NavRef<'a>>,
    breadcrumbs: Vec<Crumb>,
    json_ld: String,
}

/// An entry of a page's section neighbours (the sidebar list).
#[derive(Debug, Clone, Serialize)]
pub struct NavRef<'a> {
    pub title: &'a str,
    pub url: String,
    /// True for the page being rendered.
    pub current: bool,
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

    /// Renders a section's index page.
    pub fn section(
        &self,
        model: &Model,
        name: &str,
        pages: &[usize],
    ) -> Result<String, Diagnostic> {
        let mut ctx = self.context_for(name);
        let refs: Vec<PageRef> = pages
            .iter()
            .map(|&i| page_ref(model, &model.site.pages[i]))
            .collect();
        ctx.insert(
            "section",
            &serde_json::json!({ "name": name, "title": model.section_title(name), "url": model.prefixed(&format!("/{name}/")), "pages": refs }),
        );
        self.render("section.html", &ctx, "section.html")
    }

    /// Renders the home page; `featured` are the pages listed first (error pages).
    pub fn index(&self, featured: &[PageRef]) -> Result<String, Diagnostic> {
        let mut ctx = self.base.clone();
        ctx.insert("featured", featured);
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
            let rows: Vec<_> = t
                .rows
                .iter()
                .map(|row| {
                    let decimal = u64::from_str_radix(row.value.trim_start_matches("0x"), 16)
                        .map(|n| n.to_string())
                        .unwrap_or_default();
                    let causes: Vec<_> = row
                        .causes
                        .iter()
                        .filter_map(|id| index.cause(id))
                        .map(|c| serde_json::json!({"id": c.id, "title": c.title, "url": c.url}))
                        .collect();
                    let pages = error_pages
                        .get(&(t.scheme.as_str(), row.value.as_str()))
                        .cloned()
                        .unwrap_or_default();
                    serde_json::json!({"value": row.value, "decimal": decimal, "name": row.name,
                        "meaning": row.meaning, "source": row.source, "causes": causes, "url": row.url,
                        "pages": pages,
                        "versions": fixbook_checker::versions(row.since.as_deref(), row.until.as_deref(), &row.applies_to)})
                })
                .collect();
            let table = serde_json::json!({
                "scheme": t.scheme, "title": t.title, "url": t.url, "labels": t.labels, "rows": rows,
                "is_event": t.kind == fixbook_checker::TableKind::Event,
                "description": src.and_then(|s| s.description.clone()),
                "sources": src.map(|s| s.sources.clone()).unwrap_or_default(),
            });
            out.push((
                crate::outputs::code_table(&t.scheme),
                self.simple("code_table.html", &[("table", table)]),
            ));
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
            .map(|t| serde_json::json!({"scheme": t.scheme, "title": t.title, "url": t.url, "count": t.rows.len()}))
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

fn escape_min(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // Copies runs of safe bytes at once: most values (titles, URLs) need no escaping at all.
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&s.as_bytes()[run..i])?;
        out.write_all(rep)?;
        run = i + 1;
    }
    out.write_all(&s.as_bytes()[run..])
}

/// A template problem as a diagnostic: syntax and rendering errors point at the template's line and column
/// (Tera 2 keeps spans); `what` says what was being rendered (a content file, or a template's name).
fn template_diag(e: &tera::Error, dir: &str, what: &str) -> Diagnostic {
    template_diags(e, dir, what)
        .into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::new(Code::Template, dir, Pos::START, e.to_string()))
}

/// [`template_diag`] for errors that may hold several problems: when templates are compiled, Tera reports
/// every unknown filter, function or component at once, as one message of several reports.
fn template_diags(e: &tera::Error, dir: &str, what: &str) -> Vec<Diagnostic> {
    use std::error::Error;
    let help = "fix the template; the context is documented in themes/default/README.md";
    if let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = e.kind() {
        if !r.filename().is_empty() {
            let span = r.span();
            let mut msg = r.message().to_string();
            if let tera::ErrorKind::RenderingError(_) = e.kind() {
                msg.push_str(&format!(" (while rendering {what})"));
            }
            let pos = Pos {
                line: span.start_line.max(1),
                col: span.start_col + 1,
            };
            let file = format!("{dir}/{}", r.filename());
            return vec![Diagnostic::new(Code::Template, file, pos, msg).help(help)];
        }
    }
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    let located = located_reports(&msg);
    if !located.is_empty() {
        return located
            .into_iter()
            .map(|(file, pos, text)| {
                Diagnostic::new(Code::Template, format!("{dir}/{file}"), pos, text).help(help)
            })
            .collect();
    }
    vec![Diagnostic::new(Code::Template, format!("{dir}/{what}"), Pos::START, msg).help(help)]
}

/// The `(file, position, message)` of each report in a Tera message: a report is an `error: ...` line
/// followed by `--> file:line:col` (columns there are 1-based).
fn located_reports(msg: &str) -> Vec<(String, Pos, String)> {
    let mut out = Vec::new();
    let mut last = "";
    for line in msg.lines() {
        if let Some(loc) = line.trim_start().strip_prefix("--> ") {
            let mut parts = loc.rsplitn(3, ':');
            let (col, line_no, file) = (parts.next(), parts.next(), parts.next());
            if let (Some(col), Some(line_no), Some(file)) = (col, line_no, file) {
                if let (Ok(col), Ok(line_no)) = (col.parse(), line_no.parse()) {
                    let text = last.trim().trim_start_matches("error:").trim();
                    out.push((
                        file.to_string(),
                        Pos { line: line_no, col },
                        text.to_string(),
                    ));
                }
            }
        }
        last = line;
    }
    out
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

fn refs(model: &Model, ids: impl IntoIterator<Item = usize>) -> Vec<PageRef> {
    ids.into_iter()
        .map(|i| page_ref(model, &model.site.pages[i]))
        .collect()
}

/// Puts each step note (`steps:` of a fix) right after its step's heading, where a reader about to follow
/// the step sees it. Headings are written by the Markdown pass as `<hN id="anchor" ...>...</hN>\n`; a note
/// whose step is not a heading is a `check` error, so it is skipped here.
fn with_step_notes<'a>(
    html: &'a str,
    steps: &[crate::load::StepNote],
) -> std::borrow::Cow<'a, str> {
    let mut out = html.to_string();
    for note in steps {
        let Some(text) = fixbook_checker::versions(
            note.since.as_deref(),
            note.until.as_deref(),
            &note.applies_to,
        ) else {
            continue;
        };
        let id = format!(
            " id=\"{}\"",
            crate::render::highlight::escape_html(&note.step)
        );
        // The heading's opening tag is `<hN` right before ` id="..."`; its closing tag ends the heading.
        let is_heading = |at: usize| {
            at.checked_sub(3)
                .and_then(|s| out.get(s..at))
                .is_some_and(|t| t.starts_with("<h") && t.ends_with(|c: char| c.is_ascii_digit()))
        };
        let Some(open) = out
            .match_indices(&id)
            .map(|(at, _)| at)
            .find(|&at| is_heading(at))
        else {
            continue;
        };
        let Some(end) = out
            .get(open..)
            .and_then(|rest| rest.find("</h"))
            .and_then(|k| {
                let close = open + k;
                out.get(close..)?.find('>').map(|j| close + j + 1)
            })
        else {
            continue;
        };
        let note_html = format!(
            "\n<p class=\"step-versions\"><span class=\"step-versions-label\">Versions:</span> {}</p>",
            crate::render::highlight::escape_html(&text)
        );
        out.insert_str(end, &note_html);
    }
    std::borrow::Cow::Owned(out)
}

fn page_ctx<'a>(
    model: &'a Model,
    links: &ReverseLinks,
    i: usize,
    p: &'a Page,
    body: &'a Body,
    html: &'a str,
) -> PageCtx<'a> {
    let url = model.url(p);
    let permalink = format!("{}{}/{}/", model.site.config.base_url, p.section, p.slug);
    let section_pages = model
        .sections
        .iter()
        .find(|(s, _)| *s == p.section)
        .map(|(_, v)| v.as_slice())
        .unwrap_or(&[]);
    let pos = section_pages.iter().position(|&j| j == i).unwrap_or(0);
    // Neighbours only: a page lists a window of its section, so pages stay small as sites grow.
    let lo = pos.saturating_sub(3);
    let hi = (pos + 4).min(section_pages.len());
    let neighbours = section_pages[lo..hi]
        .iter()
        .map(|&j| NavRef {
            title: &model.site.pages[j].meta.title,
            url: model.url(&model.site.pages[j]),
            current: j == i,
        })
        .collect();
    let prev = pos
        .checked_sub(1)
        .and_then(|k| section_pages.get(k))
        .map(|&j| page_ref(model, &model.site.pages[j]));
    let next = section_pages
        .get(pos + 1)
        .map(|&j| page_ref(model, &model.site.pages[j]));
    let related = p
        .meta
        .related
        .iter()
        .filter_map(|id| model.by_id.get(id))
        .map(|&j| page_ref(model, &model.site.pages[j]))
        .collect();
    let mut codes = Vec::new();
    let mut causes = Vec::new();
    let mut fixes = Vec::new();
    let mut messages: &[String] = &[];
    let (mut requires, mut risk) = (Vec::new(), None);
    match &p.data {
        KindData::Error(e) => {
            messages = &e.messages;
            for c in &e.codes {
                let value = crate::validate::canonical_in(&c.scheme, &c.value)
                    .unwrap_or_else(|| c.value.clone());
                let row = model.row(&c.scheme, &value);
                codes.push(CodeCtx {
                    url: model.prefixed(&format!("/codes/{}/#{value}", c.scheme)),
                    scheme: c.scheme.clone(),
                    name: row.map(|r| r.name.clone()).unwrap_or_default(),
                    meaning: row.map(|r| r.meaning.clone()).unwrap_or_default(),
                    value,
                });
            }
            for c in &e.causes {
                if let Some(cp) = model.page(&c.id) {
                    causes.push(CauseCtx {
                        id: c.id.clone(),
                        title: cp.meta.title.clone(),
                        url: model.url(cp),
                        why: c.why.clone(),
                    });
                }
            }
        }
        KindData::Cause(c) => {
            for f in &c.fixes {
                let (id, step) = f
                    .split_once('#')
                    .map_or((f.as_str(), None), |(a, b)| (a, Some(b)));
                if let Some(fp) = model.page(id) {
                    let mut url = model.url(fp);
                    let mut title = fp.meta.title.clone();
                    if let Some(step) = step {
                        url.push('#');
                        url.push_str(step);
                        let fi = model.by_id[id];
                        if let Some(h) = model.bodies[fi].headings.iter().find(|h| h.id == step) {
                            title = format!("{title}: {}", h.title);
                        }
                    }
                    fixes.push(FixCtx {
                        id: id.to_string(),
                        title,
                        url,
                    });
                }
            }
        }
        KindData::Fix(f) => {
            requires = f
                .requires
                .iter()
                .map(|r| {
                    serde_json::to_value(r)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default()
                })
                .collect();
            risk = serde_json::to_value(f.risk)
                .ok()
                .and_then(|v| v.as_str().map(String::from));
        }
        KindData::Guide => {}
    }
    let edit_url = model.site.config.repository.as_ref().map(|r| {
        format!(
            "{}/{}",
            r.trim_end_matches('/'),
            crate::diag::display_path(&p.file)
        )
    });
    let explains = links
        .explains
        .get(&i)
        .map(|v| refs(model, v.iter().copied()))
        .unwrap_or_default();
    let resolves = links
        .resolves
        .get(&i)
        .map(|v| refs(model, v.iter().copied()))
        .unwrap_or_default();
    let section_title = model.section_title(&p.section);
    let section_url = model.prefixed(&format!("/{}/", p.section));
    let breadcrumbs = vec![
        Crumb {
            title: "Home".into(),
            url: model.base_path.clone(),
        },
        Crumb {
            title: section_title.clone(),
            url: section_url.clone(),
        },
    ];
    let trail = [
        ("Home", model.site.config.base_url.clone()),
        (
            section_title.as_str(),
            format!("{}{}/", model.site.config.base_url, p.section),
        ),
        (p.meta.title.as_str(), permalink.clone()),
    ];
    let json_ld = json_ld(p, body, &permalink, &trail);
    PageCtx {
        id: &p.meta.id,
        kind: p.meta.kind.as_str(),
        title: &p.meta.title,
        summary: &p.meta.summary,
        updated: &p.meta.updated,
        verified: p.meta.verified.as_deref(),
        url,
        permalink,
        section: &p.section,
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
        related,
        codes,
        messages,
        causes,
        fixes,
        explains,
        resolves,
        requires,
        risk,
        edit_url,
        prev,
        next,
        neighbours,
        breadcrumbs,
        json_ld,
    }
}

/// Structured data: `HowTo` with the steps for fix pages, `TechArticle` otherwise, and the page's
/// `BreadcrumbList` (absolute URLs, as search engines require). `<` is escaped so the JSON can never close its
/// `<script>` element.
fn json_ld(p: &Page, body: &Body, permalink: &str, trail: &[(&str, String)]) -> String {
    let value = if p.meta.kind == Kind::Fix {
        let steps: Vec<_> = body
            .headings
            .iter()
            .filter(|h| h.level == 2 && !matches!(h.title.to_ascii_lowercase().as_str(), "verify" | "undo"))
            .map(|h| serde_json::json!({"@type": "HowToStep", "name": h.title, "url": format!("{permalink}#{}", h.id)}))
            .collect();
        serde_json::json!({"@context": "https://schema.org", "@type": "HowTo", "name": p.meta.title,
            "description": p.meta.summary, "dateModified": p.meta.updated, "step": steps})
    } else {
        serde_json::json!({"@context": "https://schema.org", "@type": "TechArticle", "headline": p.meta.title,
            "description": p.meta.summary, "dateModified": p.meta.updated, "url": permalink})
    };
    let items: Vec<_> = trail
        .iter()
        .enumerate()
        .map(|(i, (name, url))| {
            serde_json::json!({"@type": "ListItem", "position": i + 1, "name": name, "item": url})
        })
        .collect();
    let crumbs = serde_json::json!({"@context": "https://schema.org", "@type": "BreadcrumbList",
        "itemListElement": items});
    serde_json::Value::Array(vec![value, crumbs])
        .to_string()
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    fn escaped(s: &str) -> String {
        let mut out = Vec::new();
        super::escape_min(s, &mut out).expect("writing to a Vec");
        String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
    }

    #[test]
    fn each_report_of_a_tera_message_is_located() {
        let msg = "error: Unknown filter `shout`\n  --> page.html:11:17\n   |\n11 | x\n\nerror: Unknown function `f`\n  --> base.html:2:4\n";
        let got = super::located_reports(msg);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, "page.html");
        assert_eq!((got[0].1.line, got[0].1.col), (11, 17));
        assert_eq!(got[0].2, "Unknown filter `shout`");
        assert_eq!((got[1].0.as_str(), got[1].1.line), ("base.html", 2));
    }

    #[test]
    fn escape_min_escapes_the_five_and_nothing_else() {
        assert_eq!(
            escaped("a/b <c> & \"d\" 'e' é"),
            "a/b &lt;c&gt; &amp; &quot;d&quot; &#39;e&#39; é"
        );
        assert_eq!(escaped(""), "");
    }
}
