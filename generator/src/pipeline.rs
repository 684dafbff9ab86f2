//! The stages joined: load -> markdown -> validate -> derive -> render -> write. `check` stops before render.

use std::path::{Path, PathBuf};
use std::time::Instant;

use fixbook_checker::KnowledgeIndex;
use rayon::prelude::*;

use crate::derive;
use crate::diag::{self, Diagnostic};
use crate::load;
use crate::markdown::{render_markdown_pass, PageText, Pass};
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
    cpu: std::time::Duration,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            on: std::env::var_os("FIXBOOK_TIMINGS").is_some(),
            last: Instant::now(),
            cpu: process_cpu(),
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
            // CPU time beside wall time: their ratio is how many cores the stage kept busy.
            let cpu = process_cpu();
            eprintln!(
                "{stage:>14}: {:7.1} ms  cpu {:7.1} ms  rss {} peak {}",
                self.last.elapsed().as_secs_f64() * 1000.0,
                cpu.saturating_sub(self.cpu).as_secs_f64() * 1000.0,
                field("VmRSS:"),
                field("VmHWM:")
            );
            self.cpu = cpu;
        }
        self.last = Instant::now();
    }
}

/// The CPU time of every thread of the process so far (zero where the system does not tell).
fn process_cpu() -> std::time::Duration {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec; the call only writes it.
        if unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) } == 0 {
            return std::time::Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32);
        }
    }
    std::time::Duration::ZERO
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
/// `emit_html` false skips producing HTML (what `check` needs is only headings, anchors and links); true
/// keeps each body's HTML and plain text only on a site within `KEEP_PAGES` and `HTML_BUDGET` (the
/// others' bodies are left empty). Each page's body text is released once its Markdown is read
/// ([`load::Page::release_body`]), so `Page::body` is empty afterwards ([`load::Page::read_again`] reads it).
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
    analyse_within(root, base_url, pass, HTML_BUDGET)
}

/// [`analyse_pass`] keeping at most `html_budget` bytes of Markdown's worth of HTML (see [`HTML_BUDGET`]).
fn analyse_within(
    root: &Path,
    base_url: Option<&str>,
    pass: Pass,
    html_budget: usize,
) -> Result<Analysis, Vec<Diagnostic>> {
    let mut t = Timer::new();
    let mut diags = Vec::new();
    let mut config = crate::config::Config::load(root).map_err(|d| vec![d])?;
    if let Some(b) = base_url {
        config = config.with_base_url(b);
    }
    let base_path = config.base_path();
    // Each page's Markdown is read on the thread that loaded it, and its body text released right after:
    // the whole site's text is never held (625 MB at 100,000 pages). Problems found later re-read their
    // lines from the file. HTML and plain text, when asked for, are kept only by a site small enough (see
    // [`HtmlBudget`]); the others' pages are read again when they are written.
    let budget = HtmlBudget::new(html_budget);
    let (site, bodies) = load::load_each(root, config, &mut diags, |p, pages| {
        let keep = pass.html && pages <= KEEP_PAGES && budget.take(p.body().len());
        let kept = Pass {
            html: keep,
            text: keep && pass.text,
        };
        let body = render_markdown_pass(p.body(), &base_path, kept);
        p.release_body();
        body
    });
    t.lap("load+scan");
    let load_failed = !diags.is_empty();
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
pub(crate) fn with_sources(root: &Path, mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
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
    build_within(root, output, base_url, HTML_BUDGET)
}

/// [`build`] with an HTML budget of its own: tests build with none, so every page takes the path of a page
/// past the budget of a large site.
fn build_within(
    root: &Path,
    output: Option<&Path>,
    base_url: Option<&str>,
    html_budget: usize,
) -> Result<BuildSummary, BuildError> {
    let start = Instant::now();
    let output = output.map_or_else(|| root.join("public"), Path::to_path_buf);
    // The Markdown is read once for headings, links and search terms, and every body released; pages past
    // the HTML budget keep no HTML and are made into HTML from their file read again, just before they are
    // written. Memory holds the site's front matter and scan results, not its text, and a bounded part of
    // its HTML.
    let mut a = analyse_within(
        root,
        base_url,
        Pass {
            html: true,
            text: true,
        },
        html_budget,
    )
    .map_err(|d| BuildError::Content(with_sources(root, d)))?;
    if !a.diagnostics.is_empty() {
        return Err(BuildError::Content(with_sources(root, a.diagnostics)));
    }
    // HTML and plain text are moved out of the model, so that each is freed as soon as its page is
    // written and its terms posted.
    let (html, text): (Vec<String>, Vec<PageText>) = a
        .model
        .bodies
        .iter_mut()
        .map(|b| (std::mem::take(&mut b.html), std::mem::take(&mut b.text)))
        .unzip();
    let theme =
        theme::load(root, &a.model.site.config.theme).map_err(|d| BuildError::Content(vec![d]))?;
    let staging = Staging::begin(&output)?;
    let pages = write_site(&staging, &a.model, &a.index, &theme, html, text)?;
    staging.commit()?;
    // Freeing the model's hundreds of thousands of allocations takes 15-25 ms at 10,000 pages: a thread
    // of its own does it, so the build returns (and `fixbook build` exits) without waiting for it.
    std::thread::spawn(move || drop(a));
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
    text: Vec<PageText>,
) -> Result<usize, BuildError> {
    let mut t = Timer::new();
    // Assets first: pages reference their hashed names.
    let mut assets = AssetUrls::for_statics(&theme.statics, model);
    for (name, bytes) in &theme.statics {
        staging.write(&hashed_name(name, bytes), bytes)?;
    }
    t.lap("assets");
    // The search index is named from what it is made of, so pages can link it before it exists: it is made
    // while the pages are written, from each page's text as it is written.
    let search_rel = derive::search_name(model);
    assets.search_index = model.prefixed(&search_rel);
    // The checker's index in shards, written one bucket at a time; pages reference the common part.
    let knowledge = fixbook_checker::write_shards(index, |rel, bytes| {
        staging.write(&format!("{}{rel}", derive::KNOWLEDGE_ASSETS), bytes)
    })?;
    let rel = hashed_name("knowledge.json", knowledge.as_bytes());
    staging.write(&rel, knowledge.as_bytes())?;
    assets.knowledge_index = model.prefixed(&rel);
    t.lap("checker shards");
    staging.write(
        Fixed::CodesJson.path(),
        derive::codes_json(index).as_bytes(),
    )?;

    let renderer = Renderer::new(theme, model, &assets).map_err(BuildError::Content)?;
    let links = derive::reverse_links(model);

    // The pages of their own kind are written while content pages are; the search index's postings and
    // fragments are made as each content page is written, its shards when all are.
    let search = derive::SearchGather::new(model);
    let (others, results) = rayon::join(
        || write_other_pages(staging, model, index, &renderer),
        || render_pages(staging, model, &renderer, &links, html, text, &search),
    );
    t.lap("pages");
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
    // Every page was taken in by the search index (a page that failed to render was not: the build has
    // stopped above).
    let manifest = search.finish(|path, body| staging.write(path, body))?;
    staging.write(&search_rel, manifest.as_bytes())?;
    t.lap("search");
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
/// output buffer, and gives the page's text to the search index. `html[i]` and `text[i]` are page `i`'s
/// body as HTML and plain text, freed once the page is written; a page whose HTML was not kept (past the
/// budget: an empty string, and a body always makes some HTML) has its file read again and made into HTML
/// and text here, so only the pages being written hold their text.
fn render_pages(
    staging: &Staging,
    model: &Model,
    renderer: &Renderer,
    links: &derive::ReverseLinks,
    html: Vec<String>,
    text: Vec<PageText>,
    search: &derive::SearchGather<'_>,
) -> Vec<Result<(), BuildError>> {
    thread_local! {
        static PAGE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    html.into_par_iter()
        .zip(text)
        .enumerate()
        .map(|(i, kept)| {
            let p = &model.site.pages[i];
            let (body_html, text) = if kept.0.is_empty() {
                again(model, p)?
            } else {
                kept
            };
            PAGE.with_borrow_mut(|page| -> Result<(), BuildError> {
                renderer
                    .page_to(model, links, i, &model.bodies[i], &body_html, page)
                    .map_err(content_err)?;
                drop(body_html);
                staging.write(&outputs::page(&p.section, &p.slug), page)?;
                Ok(())
            })?;
            search.page(i, &text, &mut |path, body| staging.write(path, body))?;
            Ok(())
        })
        .collect()
}

/// Page `p`'s body as HTML and plain text, from its file read again (the pass `analyse` runs on a page
/// within the budget).
fn again(model: &Model, p: &load::Page) -> Result<(String, PageText), BuildError> {
    let src = p
        .read_again(&model.site.root)
        .map_err(|source| OutputError::Io {
            path: p.file.clone(),
            source,
        })?;
    let body = src.get(p.body_start..).unwrap_or("");
    let pass = Pass {
        html: true,
        text: true,
    };
    let b = render_markdown_pass(body, &model.base_path, pass);
    Ok((b.html, b.text))
}

/// How much HTML and text the Markdown pass keeps for rendering, in bytes of Markdown: all of a site of up
/// to about 10,000 pages of 6 KB, so they are read once; past it, pages are read again while they are
/// written, which costs a second Markdown pass for those pages but keeps memory from growing with the
/// site's text.
const HTML_BUDGET: usize = 64 << 20;

/// A site of more pages keeps none (every page is read again while it is written): what a part of a big
/// site would keep saves little time (at 100,000 pages, the budget's 10% of the pages) for a lot of memory
/// (about 200 MB of the 100,000-page build's peak).
const KEEP_PAGES: usize = 12_000;

/// A byte budget shared by the threads of the Markdown pass: each page takes its body's size from it, or
/// keeps no HTML once it is spent.
struct HtmlBudget(std::sync::atomic::AtomicUsize);

impl HtmlBudget {
    fn new(bytes: usize) -> HtmlBudget {
        HtmlBudget(std::sync::atomic::AtomicUsize::new(bytes))
    }

    /// Takes `n` bytes if that many are left.
    fn take(&self, n: usize) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        self.0
            .fetch_update(Relaxed, Relaxed, |left| left.checked_sub(n))
            .is_ok()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under `dir`, by relative path, but the output marker (it names its folder).
    fn files(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.file_name() != ".fixbook-output")
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }

    #[test]
    fn pages_read_again_past_the_html_budget_are_the_pages_kept_within_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let tmp = tempfile::tempdir().unwrap();
        let (kept, again) = (tmp.path().join("kept"), tmp.path().join("again"));
        let a = build_within(&root, Some(&kept), None, usize::MAX).unwrap();
        let b = build_within(&root, Some(&again), None, 0).unwrap();
        assert_eq!(a.pages, b.pages);
        let (kept, again) = (files(&kept), files(&again));
        assert!(kept.len() > 50, "{} files", kept.len());
        assert_eq!(
            kept.keys().collect::<Vec<_>>(),
            again.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &kept {
            assert!(again[path] == *bytes, "{} differs", path.display());
        }
    }
}
