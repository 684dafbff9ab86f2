//! Watches `content/`, `themes/` and `site.toml`, and hands over changes in debounced batches.
//!
//! ## Why a short quiet window
//! An editor's save is several events (truncate, write, close; or write a temporary file and rename it).
//! Waiting until no event has come for [`QUIET`] turns them into one rebuild, and the window is short
//! because it adds to the time between a save and the browser's reload.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// How long no event must come before a batch is handed over.
const QUIET: Duration = Duration::from_millis(10);
/// The longest a batch waits for quiet (a tool that writes many files in a row).
const MAX_WAIT: Duration = Duration::from_millis(200);

/// A batch of changes.
#[derive(Debug, PartialEq)]
pub(crate) enum Change {
    /// Files under `content/` (relative to the root), created, changed or removed.
    Content(Vec<PathBuf>),
    /// `site.toml` or the theme: rebuild everything.
    Everything,
}

/// A running watcher.
pub(crate) struct Watcher {
    watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    /// Canonical, so that event paths can be made relative.
    root: PathBuf,
    themes_watched: bool,
}

/// Starts watching the site at `root` (canonical).
pub(crate) fn watch(root: &Path) -> notify::Result<Watcher> {
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(move |res| {
        let _ = tx.send(res);
    })?;
    // The root itself, not recursively: `site.toml` (an editor may replace the file, which would end a
    // watch on the file itself) and the creation of `content/` or `themes/`.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    let content = root.join("content");
    if content.is_dir() {
        watcher.watch(&content, RecursiveMode::Recursive)?;
    }
    let mut w = Watcher {
        watcher,
        rx,
        root: root.to_path_buf(),
        themes_watched: false,
    };
    w.watch_themes();
    Ok(w)
}

impl Watcher {
    fn watch_themes(&mut self) {
        let themes = self.root.join("themes");
        if !self.themes_watched && themes.is_dir() {
            self.themes_watched = self
                .watcher
                .watch(&themes, RecursiveMode::Recursive)
                .is_ok();
        }
    }

    /// Blocks until something relevant changes and the events have settled. `None` when the watcher
    /// stopped.
    pub(crate) fn next(&mut self) -> Option<Change> {
        loop {
            let first = self.rx.recv().ok()?;
            let mut batch = Batch::default();
            self.add(&mut batch, first);
            let start = Instant::now();
            loop {
                let left = MAX_WAIT.saturating_sub(start.elapsed());
                if left.is_zero() {
                    break;
                }
                match self.rx.recv_timeout(QUIET.min(left)) {
                    Ok(ev) => self.add(&mut batch, ev),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            if batch.everything {
                self.watch_themes();
                if self.root.join("content").is_dir() {
                    // Harmless if already watched; needed if `content/` was created after start.
                    let _ = self
                        .watcher
                        .watch(&self.root.join("content"), RecursiveMode::Recursive);
                }
                return Some(Change::Everything);
            }
            if !batch.files.is_empty() {
                batch.files.sort();
                batch.files.dedup();
                return Some(Change::Content(batch.files));
            }
        }
    }

    fn add(&self, batch: &mut Batch, ev: notify::Result<notify::Event>) {
        let ev = match ev {
            Ok(ev) => ev,
            // Events were lost (queue overflow): only a full rebuild is sure to be right.
            Err(_) => {
                batch.everything = true;
                return;
            }
        };
        if ev.need_rescan() {
            batch.everything = true;
            return;
        }
        match ev.kind {
            // Reads (including the rebuild's own) are not changes; a close after writing is.
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
            EventKind::Access(_) => return,
            _ => {}
        }
        for path in ev.paths {
            let Ok(rel) = path.strip_prefix(&self.root) else {
                continue;
            };
            match classify(rel) {
                Relevant::Content => batch.files.push(rel.to_path_buf()),
                Relevant::Everything => batch.everything = true,
                Relevant::No => {}
            }
        }
    }
}

#[derive(Default)]
struct Batch {
    files: Vec<PathBuf>,
    everything: bool,
}

enum Relevant {
    Content,
    Everything,
    No,
}

/// Which changes matter: anything under `content/` (the workspace sorts out pages, tables and folders),
/// the theme, and `site.toml`. Output folders, `.git` and editors' hidden files do not.
fn classify(rel: &Path) -> Relevant {
    let mut parts = rel.iter().filter_map(|c| c.to_str());
    let first = parts.next();
    if rel.iter().any(|c| c.to_string_lossy().starts_with('.')) {
        return Relevant::No;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp") {
        return Relevant::No;
    }
    match first {
        Some("content") if rel.iter().count() > 1 => Relevant::Content,
        // `content/` itself created, removed or renamed.
        Some("content") => Relevant::Everything,
        Some("themes") | Some("site.toml") => Relevant::Everything,
        _ => Relevant::No,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_theme_and_config_matter() {
        let c = |p: &str| match classify(Path::new(p)) {
            Relevant::Content => "content",
            Relevant::Everything => "everything",
            Relevant::No => "no",
        };
        assert_eq!(c("content/errors/a.md"), "content");
        assert_eq!(c("content/errors"), "content");
        assert_eq!(c("content"), "everything");
        assert_eq!(c("content/errors/.a.md.swp"), "no");
        assert_eq!(c("content/errors/a.md~"), "no");
        assert_eq!(c("themes/default/templates/page.html"), "everything");
        assert_eq!(c("site.toml"), "everything");
        assert_eq!(c("public/index.html"), "no");
        assert_eq!(c(".git/index"), "no");
    }
}
