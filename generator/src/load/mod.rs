//! Stage 1, load: read `site.toml`, walk `content/`, split and parse every page and code table.
//!
//! Loading never stops at the first problem: each file that fails becomes a [`Diagnostic`] and the walk goes
//! on, so `check` reports every broken file in one run.

mod codes;
mod fix_ref;
mod front_matter;
mod page;
mod signal;
mod source;
mod walk;
mod yaml;
mod yaml_guard;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use codes::{CodeRowFm, CodeTableFm};
pub use fix_ref::FixRef;
pub use signal::{SignalFm, SignalKind};
pub use source::Source;
// `serve` reloads one changed file at a time.
pub(crate) use codes::load_table;
pub(crate) use page::load_page;
pub use page::{
    CauseData, CauseRefFm, CodeFm, ErrorData, EventFm, ExampleFm, FixData, Kind, KindData, Meta,
    Page, Risk, StepNote,
};

use crate::config::Config;
use crate::diag::{Code, Diagnostic, Pos};

/// Everything read from a site's folder, not yet cross-checked.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// Pages in path order.
    pub pages: Vec<Page>,
    /// Code tables in scheme order.
    pub tables: Vec<CodeTableFm>,
    /// Pages that exist but did not load. References and links to them are not reported again: the
    /// page's own error is the one to fix.
    pub unloaded: Vec<Unloaded>,
}

/// A page file that did not load, with what could still be read of it.
#[derive(Debug, Clone)]
pub struct Unloaded {
    /// `/<section>/<slug>/`.
    pub path: String,
    /// The `id:` line of its front matter, if one could be read.
    pub id: Option<String>,
}

impl Site {
    /// Whether `id` belongs to a page that did not load.
    pub fn is_unloaded_id(&self, id: &str) -> bool {
        self.unloaded.iter().any(|u| u.id.as_deref() == Some(id))
    }

    /// Whether `path` (`/<section>/<slug>/`) belongs to a page that did not load.
    pub fn is_unloaded_path(&self, path: &str) -> bool {
        self.unloaded.iter().any(|u| u.path == path)
    }
}

/// Reads `id: ...` from the start of a file whose front matter did not parse, byte-wise and leniently.
pub(crate) fn sniff_id(root: &Path, rel: &Path) -> Option<String> {
    // Through the same gate as every read: a page that links out of the site is not read for its id either.
    let bytes = crate::confine::read(root, rel).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    text.lines().take(40).find_map(|l| {
        let v = l.strip_prefix("id:")?.trim().trim_matches(['"', '\'']);
        (!v.is_empty()).then(|| v.to_string())
    })
}

/// Reads the site at `root`. Returns what loaded and appends a diagnostic for each file that did not.
/// `Err` only when `site.toml` itself is unusable, since nothing can be built without it.
pub fn load(root: &Path, out: &mut Vec<Diagnostic>) -> Result<Site, Diagnostic> {
    let config = Config::load(root)?;
    Ok(load_each(root, config, out, |_, _| ()).0)
}

/// [`load`] with `config` already read, handing each page that loads to `each` on the thread that read it,
/// while its text is fresh in the cache: `build` scans the page's Markdown there and releases the body
/// ([`Page::release_body`]), so the whole site's text is never in memory at once (at 100,000 pages it is
/// 625 MB). `each` is also told how many page files the site has, so it can choose what to keep by the
/// site's size. Returns the site and what `each` made of each page, in page order.
pub fn load_each<T: Send>(
    root: &Path,
    config: Config,
    out: &mut Vec<Diagnostic>,
    each: impl Fn(&mut Page, usize) -> T + Sync,
) -> (Site, Vec<T>) {
    let files = walk::content_files(root, out);
    let page_files = files
        .iter()
        .filter(|f| matches!(f.kind, walk::FileKind::Page))
        .count();
    let results: Vec<_> = files
        .par_iter()
        .map(|f| match f.kind {
            walk::FileKind::Page => page::load_page(root, &f.rel).map(|mut p| {
                let made = each(&mut p, page_files);
                Loaded::Page(p, made)
            }),
            walk::FileKind::CodeTable => codes::load_table(root, &f.rel).map(Loaded::Table),
        })
        .collect();
    let mut pages = Vec::new();
    let mut made = Vec::new();
    let mut tables = Vec::new();
    let mut unloaded = Vec::new();
    for (r, f) in results.into_iter().zip(&files) {
        match r {
            Ok(Loaded::Page(p, m)) => {
                pages.push(*p);
                made.push(m);
            }
            Ok(Loaded::Table(t)) => tables.push(t),
            Err(mut ds) => {
                out.append(&mut ds);
                if let walk::FileKind::Page = f.kind {
                    let section = f
                        .rel
                        .parent()
                        .and_then(|p| p.file_name())
                        .map(|s| s.to_string_lossy().into_owned());
                    let slug = f.rel.file_stem().map(|s| s.to_string_lossy().into_owned());
                    if let (Some(section), Some(slug)) = (section, slug) {
                        unloaded.push(Unloaded {
                            path: format!("/{section}/{slug}/"),
                            id: sniff_id(root, &f.rel),
                        });
                    }
                }
            }
        }
    }
    tables.sort_by(|a, b| a.scheme.cmp(&b.scheme));
    let site = Site {
        root: root.to_path_buf(),
        config,
        pages,
        tables,
        unloaded,
    };
    (site, made)
}

enum Loaded<T> {
    Page(Box<Page>, T),
    Table(CodeTableFm),
}

/// Reads a file as UTF-8 text, or says where the first invalid byte is.
pub(crate) fn read_text(root: &Path, rel: &Path) -> Result<String, Vec<Diagnostic>> {
    let bytes = crate::confine::read(root, rel)
        .map_err(|r| vec![r.into_diagnostic(Code::NotUtf8, rel, "cannot read file")])?;
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let text = String::from_utf8_lossy(&bytes[..valid]);
            Err(vec![Diagnostic::new(
                Code::NotUtf8,
                rel,
                Pos::at(&text, valid),
                format!(
                    "file is not valid UTF-8 (byte 0x{:02x} at offset {valid})",
                    bytes[valid]
                ),
            )
            .help(
                "save the file as UTF-8 (in most editors: \"Save with encoding\" > UTF-8)",
            )])
        }
    }
}
