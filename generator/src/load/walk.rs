//! Finds the content files: Markdown pages and YAML code tables.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Code, Diagnostic, Pos};

pub(crate) enum FileKind {
    Page,
    CodeTable,
}

pub(crate) struct ContentFile {
    /// Relative to the site root, e.g. `content/errors/0x904-0x7.md`.
    pub(crate) rel: PathBuf,
    pub(crate) kind: FileKind,
}

/// Every `content/<section>/<slug>.md` and `content/codes/<scheme>.yaml`, sorted by path. Hidden files and
/// editors' backup files are skipped; a Markdown file directly in `content/` or nested deeper is reported,
/// because it would have no URL in the content model.
pub(crate) fn content_files(root: &Path, out: &mut Vec<Diagnostic>) -> Vec<ContentFile> {
    let content = root.join("content");
    let mut files = Vec::new();
    // Links are followed, so a page that is a link is a page, as it is to `serve`; a link (to a file or a
    // folder) that leads out of the site is reported and not entered (see `confine`).
    let mut walker = WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .unwrap_or(Path::new("content"));
                out.push(Diagnostic::new(
                    Code::NotUtf8,
                    rel,
                    Pos::START,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        // A linked file is checked when it is read (so a page that links out is known as a page that did
        // not load); a linked folder is checked here, once, instead of once per file in it.
        if entry.path_is_symlink() && entry.file_type().is_dir() {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            if let Err(r) = crate::confine::resolve(root, rel) {
                out.push(r.into_diagnostic(Code::NotUtf8, rel, "cannot read"));
                walker.skip_current_dir();
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let Ok(in_content) = path.strip_prefix(&content) else {
            continue;
        };
        let depth = in_content.components().count();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let first = in_content
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        match ext {
            "md" if depth == 2 => files.push(ContentFile {
                rel: rel.to_path_buf(),
                kind: FileKind::Page,
            }),
            "md" => out.push(
                Diagnostic::new(
                    Code::BadField,
                    rel,
                    Pos::START,
                    "page is not at content/<section>/<slug>.md",
                )
                .help("move it into a section folder such as content/guides/"),
            ),
            "yaml" | "yml" if first.as_deref() == Some("codes") && depth == 2 => {
                files.push(ContentFile {
                    rel: rel.to_path_buf(),
                    kind: FileKind::CodeTable,
                })
            }
            _ => {}
        }
    }
    files
}
