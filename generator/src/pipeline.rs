//! The stages joined: load -> markdown -> validate -> derive -> render -> write. `check` stops before render.

use std::path::{Path, PathBuf};
use std::time::Instant;

use fixbook_checker::KnowledgeIndex;
use rayon::prelude::*;

use crate::derive;
use crate::diag::{self, Diagnostic};
use crate::load;
use crate::markdown::{render_markdown_pass, Body, Pass};
use crate::model::Model;
use crate::outputs::{self, Fixed};
use crate::render::templates::{AssetUrls, Renderer};
use crate::theme;
use crate::validate;
use crate::write::assets::hashed_name;
use crate::write::atomic::{OutputError, Staging};

/// Prints how long a stage took when `FIXBOOK_TIMINGS` is set: the cheapest profiler for a slow build.
struct Timer {
    on: bool,
    last: Instant,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            on: std::env::var_os("FIXBOOK_TIMINGS").is_some(),
            last: Instant::now(),
        }
    }

    fn lap(&mut self, stage: &str) {
        if self.on {
            // Resident memory now and at its peak, where the system tells (Linux): memory is a budget too.
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |name: &str| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix(name))
                    .map(|v| v.trim().trim_end_matches(" kB").trim().to_string())
                    .and_then(|kb| kb.parse::<u64>().ok())
                    .map_or(String::new(), |kb| format!("{:5} MB", kb / 1024))
            };
            eprintln!(
                "{stage:>12}: {:7.1} ms  rss {} peak {}",
                self.last.elapsed().as_secs_f64() * 1000.0,
                field("VmRSS:"),
                field("VmHWM:")
            );
        }
        self.last = Instant::now();
    }
}

/// Why a build did not produce a site.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Content problems, sorted by file and position. Exit code 1.
    #[error("{} content error(s)", .0.len())]
    Content(Vec<Diagnostic>),
    /// The output folder could not be written or is not fixbook's. Exit code 2.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// What `build` did.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub pages: usize,
    pub seconds: f64,
    pub output: PathBuf,
}

/// A loaded, validated site with its knowledge index.
pub struct Analysis {
    pub model: Model,
    pub index: KnowledgeIndex,
    /// Every content problem found, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// True when some file did not load at all (as opposed to loading with problems).
    pub load_failed: bool,
}

/// Runs load, Markdown, validate and derive of the knowledge index, and checks the cause examples.
/// `emit_html` false skips producing HTML (what `check` needs is only headings, anchors and links); with
/// HTML, each page's body text is released once its HTML is made ([`load::Page::release_body`]), so
/// `Page::body` is empty afterwards and the HTML is in `model.bodies`.
pub fn analyse(
    root: &Path,
    base_url: Option<&str>,
    emit_html: bool,
) -> Result<Analysis, Vec<Diagnostic>> {
    analyse_pass(
        root,
        base_url,
        Pass {
            html: emit_html,
            text: emit_html,
        },
    )
}

/// [`analyse`] with an explicit choice of what the Markdown pass keeps.
pub fn analyse_pass(
    root: &Path,
    base_url: Option<&str>,
    pass: Pass,
) -> Result<Analysis, Vec<Diagnostic>> {
    let mut t = Timer::new();
    let mut diags = Vec::new();
    let mut site = load::load(root, &mut diags).map_err(|d| vec![d])?;
    t.lap("load");
    let load_failed = !diags.is_empty();
    if let Some(b) = base_url {
        site.config = site.config.with_base_url(b);
    }
    let base_path = site.config.base_path();
    // When the pass makes HTML (`build`), each page's body text is released as soon as its HTML exists: the
    // freed memory is what the next pages' HTML is allocated from, so sources and HTML are not both held.
    let bodies: Vec<Body> = site
        .pages
        .par_iter_mut()
        .map(|p| {
            let body = render_markdown_pass(p.body(), &base_path, pass);
            if pass.html {
                p.release_body();
            }
            body
        })
        .collect();
    t.lap("markdown");
    let model = Model::new(site, bodies);
    t.lap("model");
    validate::validate(&model, &mut diags);
    t.lap("validate");
    let index = derive::knowledge_index(&model);
    validate::examples(&model, &index, &mut diags);
    t.lap("knowledge");
    diag::sort(&mut diags);
    Ok(Analysis {
        model,
        index,
        diagnostics: diags,
        load_failed,
    })
}

/// `fixbook check`: every content problem, sorted.
/// The theme's templates are compiled too, so a pull request that breaks one fails `check`, not only `build`.
pub fn check(root: &Path, today: time::Date) -> Vec<Diagnostic> {
    let mut diags = match analyse(root, None, false) {
        Ok(a) => {
            let mut d = a.diagnostics;
            match theme::load(root, &a.model.site.config.theme) {
                Ok(t) => {
                    if let Err(mut e) = crate::render::templates::compile(&t) {
                        d.append(&mut e);
                    }
                }
                Err(e) => d.push(e),
            }
            crate::validate::unverified(&a.model, today, &mut d);
            d
        }
        Err(d) => d,
    };
    diag::sort(&mut diags);
    with_sources(root, diags)
}

/// `diags` with the source lines they point at, for the human form's excerpt (read again, inside the site
/// only: problems are few, and `build` has released the bodies by now).
fn with_sources(root: &Path, mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diag::attach_sources(&mut diags, |file| {
        let bytes = crate::confine::read(root, file).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    });
    diags
}

/// `fixbook build`: writes the site to `output` (default `ROOT/public`) or leaves it untouched on error.
pub fn build(
    root: &Path,
    output: Option<&Path>,
    base_url: Option<&str>,
) -> Result<BuildSummary, BuildError> {
    let start = Instant::now();
    let output = output.map_or_else(|| root.join("public"), Path::to_path_buf);
    // One Markdown pass gives each page's HTML, headings, links and search terms (each body's text is
    // released once its HTML exists); pages then render from that HTML, each freed once written.
    let mut a = analyse_pass(
        root,
        base_url,
        Pass {
            html: true,
            text: true,
        },
    )
    .map_err(|d| BuildError::Content(with_sources(root, d)))?;
    if !a.diagnostics.is_empty() {
        return Err(BuildError::Content(with_sources(root, a.diagnostics)));
    }
    // HTML and search terms are moved out of the model, so that each is freed as soon as its page is
    // written or the search index is.
    let (html, terms): (Vec<String>, Vec<crate::markdown::PageTerms>) = a
        .model
        .bodies
        .iter_mut()
        .map(|b| (std::mem::take(&mut b.html), std::mem::take(&mut b.terms)))
        .unzip();
    let theme =
        theme::load(root, &a.model.site.config.theme).map_err(|d| BuildError::Content(vec![d]))?;
    let staging = Staging::begin(&output)?;
    let pages = write_site(&staging, &a.model, &a.index, &theme, html, terms)?;
    staging.commit()?;
    Ok(BuildSummary {
        pages,
        seconds: start.elapsed().as_secs_f64(),
        output,
    })
}

fn content_err(d: Diagnostic) -> BuildError {
    BuildError::Content(vec![d])
}

/// Renders and writes every file of the site into `staging`; returns the number of HTML pages.
fn write_site(
    staging: &Staging,
    model: &Model,
    index: &KnowledgeIndex,
    theme: &theme::ThemeFiles,
    html: Vec<String>,
    terms: Vec<crate::markdown::PageTerms>,
) -> Result<usize, BuildError> {
    let mut t = Timer::new();
    // Assets first: pages reference their hashed names.
    let mut assets = AssetUrls::for_statics(&theme.statics, model);
    for (name, bytes) in &theme.statics {
        staging.write(&hashed_name(name, bytes), bytes)?;
    }
    t.lap("assets");
    // The search index is named from what it is made of, so pages can link it before it exists: it is built
    // on one thread while the others render pages (it is the longest step that does not split).
    let search_rel = derive::search_name(model, &terms);
    assets.search_index = model.prefixed(&search_rel);
    // The checker's index in shards, written one bucket at a time; pages reference the common part.
    let knowledge = fixbook_checker::write_shards(index, |rel, bytes| {
        staging.write(&format!("{}{rel}", derive::KNOWLEDGE_ASSETS), bytes)
    })?;
    let rel = hashed_name("knowledge.json", knowledge.as_bytes());
    staging.write(&rel, knowledge.as_bytes())?;
    assets.knowledge_index = model.prefixed(&rel);
    t.lap("knowledge");
    staging.write(
        Fixed::CodesJson.path(),
        derive::codes_json(index).as_bytes(),
    )?;

    let renderer = Renderer::new(theme, model, &assets).map_err(BuildError::Content)?;
    let links = derive::reverse_links(model);

    // The search index and the few pages of their own kind are written on one thread while the others render
    // content pages: the index is the longest step that does not split.
    let (others, results) = rayon::join(
        || -> Result<usize, BuildError> {
            let manifest =
                derive::write_search_files(model, &terms, |path, body| staging.write(path, body))?;
            drop(terms);
            staging.write(&search_rel, manifest.as_bytes())?;
            write_other_pages(staging, model, index, &renderer)
        },
        || render_pages(staging, model, &renderer, &links, html),
    );
    // Every content problem is gathered; an output error stops the build at once.
    let mut errors = Vec::new();
    let mut gather = |r: Result<usize, BuildError>| match r {
        Err(BuildError::Content(mut d)) => {
            errors.append(&mut d);
            Ok(0)
        }
        other => other,
    };
    for r in results {
        gather(r.map(|()| 1))?;
    }
    let others = gather(others)?;
    if !errors.is_empty() {
        errors.truncate(20);
        return Err(BuildError::Content(errors));
    }
    t.lap("pages");
    Ok(model.site.pages.len() + others)
}

/// Section indexes, the code tables, alias redirects and the fixed files (home, checker and 404 pages, the
/// code tables' overview, `codes.json`, the sitemap, robots.txt); returns the number of HTML pages written
/// (redirects not counted).
fn write_other_pages(
    staging: &Staging,
    model: &Model,
    index: &KnowledgeIndex,
    renderer: &Renderer,
) -> Result<usize, BuildError> {
    let mut html_pages = 0;
    for (name, pages) in &model.sections {
        for (path, html) in crate::render::section_pages(renderer, model, name, pages) {
            staging.write(&path, html.map_err(content_err)?.as_bytes())?;
            html_pages += 1;
        }
    }
    for f in Fixed::ALL {
        let text = crate::render::fixed(f, renderer, model, || index).map_err(content_err)?;
        staging.write(f.path(), text.as_bytes())?;
        html_pages += usize::from(f.path().ends_with(".html"));
    }

    // Code tables: one page per table (more past `outputs::CODE_TABLE_ROWS` rows), an anchor per row.
    for (path, html) in renderer.code_tables(model, index) {
        staging.write(&path, html.map_err(content_err)?.as_bytes())?;
        html_pages += 1;
    }

    // Redirects for old URLs.
    for p in &model.site.pages {
        for (path, html) in renderer.redirects(model, p).map_err(content_err)? {
            staging.write(&path, html.as_bytes())?;
        }
    }
    Ok(html_pages)
}

/// Renders and writes every content page, in parallel; each worker writes its own files and reuses one
/// output buffer. `html[i]` is page `i`'s body, freed once the page is written.
fn render_pages(
    staging: &Staging,
    model: &Model,
    renderer: &Renderer,
    links: &derive::ReverseLinks,
    html: Vec<String>,
) -> Vec<Result<(), BuildError>> {
    thread_local! {
        static PAGE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    html.into_par_iter()
        .enumerate()
        .map(|(i, body_html)| {
            let p = &model.site.pages[i];
            PAGE.with_borrow_mut(|page| {
                renderer
                    .page_to(model, links, i, &model.bodies[i], &body_html, page)
                    .map_err(content_err)?;
                drop(body_html);
                staging.write(&outputs::page(&p.section, &p.slug), page)?;
                Ok(())
            })
        })
        .collect()
}

/// `1204` -> `1,204`, for the summary line.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
