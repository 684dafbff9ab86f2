//! `fixbook serve`: builds the site into memory, serves it, watches the sources, rebuilds only what changed
//! and reloads the browser.
//!
//! Three kinds of work share one `Shared` state:
//! - the caller's thread runs [`Server::run`]: it takes batches of changes from the watcher (`watch`),
//!   applies them to the in-memory site (`incremental`), and publishes the result;
//! - HTTP (`http`): connections are tasks on a small async runtime, so a client that stops reading holds
//!   no thread; answers are built on a bounded pool of threads from the published files, never waiting for
//!   a rebuild (only the derived indexes, computed on request, read the model);
//! - event-stream clients are bounded queues that each publish adds `reload` or `errors` to without
//!   waiting: a client whose queue is full (it stopped reading) is dropped, so a rebuild never waits on one.
//!
//! **Invariant:** the served files change only when a rebuild succeeds; while the content has errors the
//! last good site stays up and every page shows the errors over it.

mod affected;
mod derived;
mod files;
mod http;
mod incremental;
mod reload;
mod rerender;
mod watch;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, Instant};

use crate::diag::Diagnostic;
use files::Bytes;
use incremental::{Outcome, Workspace};
use watch::Change;

/// Where to listen.
#[derive(Debug, Clone)]
pub struct Options {
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
}

/// What the server tells its user, as it happens.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A new version of the site is served.
    Rebuilt {
        /// HTML pages rendered for it.
        pages: usize,
        /// Whether everything was rebuilt (start, `site.toml` or theme change).
        full: bool,
        millis: f64,
    },
    /// The content has errors; the last good site is still served.
    Errors(&'a [Diagnostic]),
    /// A new version is served with problems that do not stop a preview (after [`Event::Rebuilt`]; see
    /// [`crate::diag::Code::previewable`]): `check` and `build` refuse them until they are fixed.
    Unfinished(&'a [Diagnostic]),
}

/// Why `serve` could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    #[error("cannot use the site folder `{path}`: {source}")]
    Root {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {message}")]
    Bind { addr: SocketAddr, message: String },
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
}

type Reporter = Arc<dyn Fn(Event<'_>) + Send + Sync>;

/// A started server: listening, with the first build done.
pub struct Server {
    shared: Arc<Shared>,
    watcher: watch::Watcher,
    addr: SocketAddr,
    root: PathBuf,
    report: Reporter,
    /// Set when the last full load failed (e.g. `site.toml` broken): the next change loads everything.
    needs_full: bool,
}

/// Binds the address, builds the site and starts answering requests. Content errors do not stop it: they
/// are reported and shown in the browser until fixed.
pub fn start(
    root: &Path,
    opts: &Options,
    report: impl Fn(Event<'_>) + Send + Sync + 'static,
) -> Result<Server, ServeError> {
    let root = root.canonicalize().map_err(|source| ServeError::Root {
        path: root.to_path_buf(),
        source,
    })?;
    let wanted = SocketAddr::new(opts.bind, opts.port);
    let bind_error = |e: std::io::Error| ServeError::Bind {
        addr: wanted,
        message: e.to_string(),
    };
    let listener = std::net::TcpListener::bind(wanted).map_err(bind_error)?;
    let addr = listener.local_addr().unwrap_or(wanted);
    // Watch before the first build, so an edit made during it is not missed.
    let watcher = watch::watch(&root)?;
    let report: Reporter = Arc::new(report);
    let shared = Arc::new(Shared::default());
    let mut server = Server {
        shared: shared.clone(),
        watcher,
        addr,
        root,
        report,
        needs_full: true,
    };
    server.rebuild(None);

    http::spawn(listener, shared.clone()).map_err(bind_error)?;
    // A comment line now and then finds the event-stream clients that went away.
    let pinger = shared.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(15));
        pinger.broadcast(": ping\n\n");
    });
    Ok(server)
}

impl Server {
    /// The address listened on, with the real port.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Watches and rebuilds until the watcher stops (in practice, until the process ends).
    pub fn run(mut self) {
        while let Some(change) = self.watcher.next() {
            self.rebuild(Some(change));
        }
    }

    /// Applies a change (or builds everything when `None`) and publishes the outcome.
    fn rebuild(&mut self, change: Option<Change>) {
        let start = Instant::now();
        let mut ws = write(&self.shared.ws);
        let files = match change {
            Some(Change::Content(files)) if !self.needs_full => Some(files),
            _ => None,
        };
        let outcome = match (files, ws.as_mut()) {
            (Some(files), Some(w)) if !needs_rescan(w, &files) => {
                if !w.apply(&files) {
                    return;
                }
                w.rebuild()
            }
            _ => match Workspace::load(&self.root, &self.url()) {
                Ok(w) => {
                    self.needs_full = false;
                    ws.insert(w).rebuild()
                }
                Err(d) => {
                    self.needs_full = true;
                    Outcome::Errors(d)
                }
            },
        };
        match outcome {
            Outcome::Published {
                update,
                full,
                rendered,
                unfinished,
            } => {
                let unfinished = crate::pipeline::with_sources(&self.root, unfinished);
                self.shared.publish(update, full, unfinished.clone());
                (self.report)(Event::Rebuilt {
                    pages: rendered,
                    full,
                    millis: start.elapsed().as_secs_f64() * 1000.0,
                });
                if !unfinished.is_empty() {
                    (self.report)(Event::Unfinished(&unfinished));
                }
            }
            Outcome::Errors(d) => {
                // With the lines they point at, as `check` prints them, in the terminal and the overlay.
                let d = crate::pipeline::with_sources(&self.root, d);
                self.shared.show_errors(d.clone());
                (self.report)(Event::Errors(&d));
            }
        }
    }
}

/// Whether a change under `content/` is more than files the workspace can reload one by one: a folder
/// created, removed or renamed (a new section, or pages moved together).
fn needs_rescan(w: &Workspace, files: &[PathBuf]) -> bool {
    files.iter().any(|rel| {
        let is_file_name = rel
            .extension()
            .is_some_and(|e| e == "md" || e == "yaml" || e == "yml");
        !is_file_name && (w.root().join(rel).is_dir() || rel.iter().count() == 2)
    })
}

/// State shared by the rebuild and the HTTP threads.
#[derive(Default)]
pub(crate) struct Shared {
    /// The published site: `errors/x/index.html` -> bytes.
    files: RwLock<HashMap<String, Bytes>>,
    /// Derived indexes computed since the last publish.
    derived: Mutex<HashMap<String, Bytes>>,
    ws: RwLock<Option<Workspace>>,
    /// The current content errors (empty when the site is up to date).
    errors: Mutex<Vec<Diagnostic>>,
    /// Event-stream clients: each a bounded queue of events its connection writes out.
    clients: Mutex<Vec<tokio::sync::mpsc::Sender<bytes::Bytes>>>,
    generation: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(m: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(PoisonError::into_inner)
}

fn read<T>(m: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub(crate) fn file(&self, rel: &str) -> Option<Bytes> {
        read(&self.files).get(rel).cloned()
    }

    /// Whether a site was ever published.
    pub(crate) fn has_site(&self) -> bool {
        !read(&self.files).is_empty()
    }

    /// A derived index, computed from the current model on first request after each publish.
    pub(crate) fn derived(&self, rel: &str) -> Option<Bytes> {
        if let Some(b) = lock(&self.derived).get(rel) {
            return Some(b.clone());
        }
        // Holding the model's read lock until the result is cached: a publish (which takes the write lock
        // and clears the cache) cannot slip in between and leave a stale index cached.
        let ws = read(&self.ws);
        let bytes: Bytes = Arc::from(ws.as_ref()?.derived(rel)?.into_boxed_slice());
        lock(&self.derived).insert(rel.to_string(), bytes.clone());
        Some(bytes)
    }

    /// Makes a rebuild's files the served site and tells the browsers to reload; `unfinished` (problems
    /// that do not stop a preview) are what the reloaded pages list over the new version.
    fn publish(&self, update: files::Update, full: bool, unfinished: Vec<Diagnostic>) {
        files::apply_update(&mut write(&self.files), update, full);
        lock(&self.derived).clear();
        let listed = (!unfinished.is_empty()).then(|| errors_event(&unfinished));
        let had_errors = !std::mem::replace(&mut *lock(&self.errors), unfinished).is_empty();
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        if had_errors {
            self.broadcast("event: ok\ndata: \n\n");
        }
        self.broadcast(&format!("event: reload\ndata: {generation}\n\n"));
        // A page that reloads hears them again when it reconnects (`add_client`); one that does not, now.
        if let Some(event) = listed {
            self.broadcast(&event);
        }
    }

    fn show_errors(&self, diags: Vec<Diagnostic>) {
        let message = errors_event(&diags);
        *lock(&self.errors) = diags;
        self.broadcast(&message);
    }

    /// Takes a new event-stream client, tells it the current state, and returns the queue its connection
    /// sends from.
    pub(crate) fn add_client(&self) -> tokio::sync::mpsc::Receiver<bytes::Bytes> {
        let (tx, rx) = tokio::sync::mpsc::channel(http::EVENT_BUFFER);
        let generation = self.generation.load(Ordering::SeqCst);
        let mut first = format!("retry: 500\n\nevent: hello\ndata: {generation}\n\n");
        // The lock is held until the client is listed, so no `errors` or `reload` falls in between.
        let errors = lock(&self.errors);
        if !errors.is_empty() {
            first.push_str(&errors_event(&errors));
        }
        if tx.try_send(bytes::Bytes::from(first)).is_ok() {
            lock(&self.clients).push(tx);
        }
        drop(errors);
        rx
    }

    /// Queues a message for every client, never waiting: a client whose queue is full has stopped
    /// reading and is dropped (its stream ends; a browser that was only slow reconnects and gets the
    /// current state), as is one that went away.
    fn broadcast(&self, message: &str) {
        let message = bytes::Bytes::copy_from_slice(message.as_bytes());
        lock(&self.clients).retain(|tx| tx.try_send(message.clone()).is_ok());
    }
}

/// The `errors` event: each diagnostic with its position and the text the terminal prints for it.
fn errors_event(diags: &[Diagnostic]) -> String {
    let items: Vec<_> = diags
        .iter()
        .map(|d| {
            let file = crate::diag::display_path(&d.file);
            serde_json::json!({
                "code": d.code.as_str(),
                "file": file,
                "line": d.pos.line,
                "col": d.pos.col,
                "location": format!("{file}:{}:{}", d.pos.line, d.pos.col),
                "message": d.message,
                "help": d.help,
                "text": d.to_string(),
            })
        })
        .collect();
    // Problems that do not stop a preview are over a page that shows the latest edit, not over the last
    // good version.
    let draft = diags.iter().all(|d| d.code.previewable());
    // Single-line JSON: an event's `data:` ends at the line's end.
    let json = serde_json::json!({ "errors": items, "draft": draft }).to_string();
    format!("event: errors\ndata: {json}\n\n")
}
