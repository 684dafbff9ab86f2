//! The HTTP side of `serve`, on hyper: the site from memory with the right types and the site's CSP,
//! the live-reload script, and the server-sent events that tell pages to reload or show errors.
//!
//! ## Why the reload script is a separate file
//! Pages run under `script-src 'self'`, so an inline script would be blocked; `/__fixbook/reload.js` is
//! same-origin. It is added to HTML responses here, on the way out, and so never reaches a built site.
//!
//! ## Why one slow client cannot stall the others
//! Connections are tasks on a small async runtime, not threads: a client that stops reading leaves its
//! own task waiting on a full socket and nothing else. Each connection's writes time out after
//! [`WRITE_TIMEOUT`] (the connection is then closed), headers must arrive within [`HEADER_TIMEOUT`], and at
//! most [`MAX_CONNECTIONS`] are served at once (more wait in the listen backlog). The work of an answer
//! (locks, the derived indexes) runs on a bounded pool of [`WORKERS`] blocking threads. Event streams
//! are bounded channels that a rebuild fills without waiting (see [`super::Shared::broadcast`]).

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes as Chunk;
use http_body::Frame;
use http_body_util::{Either, Full};
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use tokio::sync::{mpsc, Semaphore};

use super::derived::{is_knowledge_shard, CODES_JSON, KNOWLEDGE_JSON, SEARCH_FILES, SEARCH_JSON};
use super::files::Bytes;
use super::Shared;
use crate::render::templates::CSP;

/// The event stream. `serve`'s own URLs start with `/__fixbook/`, a name no site file has.
pub(crate) const EVENTS: &str = "/__fixbook/events";
const RELOAD_JS: &str = include_str!("reload.js");
const OVERLAY_CSS: &str = include_str!("overlay.css");
const SCRIPT_TAG: &str = "<script src=\"/__fixbook/reload.js\" defer></script>";

/// A write that makes no progress for this long closes its connection.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// A request's head must arrive within this long (also how long an idle connection is kept).
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections served at once; a preview has a few browser tabs, so this is a bound, not a limit.
const MAX_CONNECTIONS: usize = 256;
/// Threads that build answers (file lookups, derived indexes).
const WORKERS: usize = 8;
/// Events queued for one event-stream client before it is dropped as not reading.
pub(crate) const EVENT_BUFFER: usize = 16;

type Body = Either<Full<Chunk>, EventBody>;

/// Serves `listener` on a runtime of its own thread, forever.
pub(crate) fn spawn(listener: std::net::TcpListener, shared: Arc<Shared>) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(WORKERS)
        .thread_name("fixbook-http")
        .enable_io()
        .enable_time()
        .build()?;
    std::thread::Builder::new()
        .name("fixbook-accept".into())
        .spawn(move || runtime.block_on(accept(listener, shared)))?;
    Ok(())
}

async fn accept(listener: std::net::TcpListener, shared: Arc<Shared>) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: wait a little rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
        stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let io = hyper_util::rt::TokioIo::new(Box::pin(stream));
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| answer(shared.clone(), req));
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(io, service)
                .await;
            drop(slot);
        });
    }
}

async fn answer<B>(shared: Arc<Shared>, req: Request<B>) -> Result<Response<Body>, Infallible> {
    let method = req.method().clone();
    let target = req.uri().path().to_string();
    if target == EVENTS && method == Method::GET {
        let rx = shared.add_client();
        let r = Response::new(Either::Right(EventBody { rx }));
        return Ok(with_headers(r, 200, "text/event-stream"));
    }
    // Lookups take the site's locks (a derived index waits for a rebuild): off the async threads.
    let reply = tokio::task::spawn_blocking(move || handle(&shared, &method, &target)).await;
    Ok(reply.unwrap_or_else(|_| text(500, "the answer could not be built\n")))
}

/// Answers one request for `target` (the request's path, still percent-encoded).
fn handle(shared: &Shared, method: &Method, target: &str) -> Response<Body> {
    if !matches!(*method, Method::GET | Method::HEAD) {
        let mut r = text(405, "only GET and HEAD\n");
        r.headers_mut()
            .insert(hyper::header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let Some(path) = percent_decode(target) else {
        return text(400, "bad request: the path is not valid UTF-8\n");
    };
    match path.as_str() {
        "/__fixbook/reload.js" => return static_text(RELOAD_JS, "text/javascript; charset=utf-8"),
        "/__fixbook/overlay.css" => return static_text(OVERLAY_CSS, "text/css; charset=utf-8"),
        _ => {}
    }
    let Some(rel) = site_path(&path) else {
        return text(
            400,
            "bad request: the path may not contain `..`, `.` or `\\` segments\n",
        );
    };
    if let Some(bytes) = shared.file(&rel) {
        return send(200, &rel, bytes);
    }
    if matches!(rel.as_str(), SEARCH_JSON | KNOWLEDGE_JSON | CODES_JSON)
        || rel.starts_with(SEARCH_FILES)
        || is_knowledge_shard(&rel)
    {
        if let Some(bytes) = shared.derived(&rel) {
            return send(200, &rel, bytes);
        }
    }
    // `/errors/x` -> `/errors/x/`, as static hosts do, so relative links inside the page resolve.
    if !path.ends_with('/') && shared.file(&format!("{rel}/index.html")).is_some() {
        return redirect(&rel);
    }
    if !shared.has_site() {
        let html = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>fixbook serve</title>{SCRIPT_TAG}</head>\
             <body><h1>The site has not built yet</h1><p>The terminal lists the content errors; this page reloads when they are fixed.</p></body></html>"
        );
        return send(
            503,
            "503.html",
            Arc::from(html.into_bytes().into_boxed_slice()),
        );
    }
    match shared.file(crate::outputs::Fixed::NotFound.path()) {
        Some(bytes) => send(404, "404.html", bytes),
        None => text(404, "not found\n"),
    }
}

/// A redirect to the folder `rel` (a site path: no empty, `.` or `..` segments). The `Location` is built
/// here, root-relative with exactly one leading slash and percent-encoded, never from the request's own
/// spelling: `//host/x` or `/\host` there would send the browser to another site.
fn redirect(rel: &str) -> Response<Body> {
    let location = format!("/{}/", percent_encode(rel.trim_matches('/')));
    let mut r = with_headers(
        Response::new(Either::Left(Full::new(Chunk::new()))),
        301,
        "text/plain; charset=utf-8",
    );
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(hyper::header::LOCATION, v);
    }
    r
}

/// Sends a file, adding the reload script to HTML.
fn send(status: u16, rel: &str, bytes: Bytes) -> Response<Body> {
    let mime = mime(rel);
    let body = if mime.starts_with("text/html") {
        Chunk::from(inject(&String::from_utf8_lossy(&bytes)))
    } else {
        Chunk::from_owner(bytes)
    };
    with_headers(Response::new(Either::Left(Full::new(body))), status, mime)
}

fn static_text(body: &'static str, mime: &'static str) -> Response<Body> {
    let r = Response::new(Either::Left(Full::new(Chunk::from_static(body.as_bytes()))));
    with_headers(r, 200, mime)
}

fn text(status: u16, body: &'static str) -> Response<Body> {
    let r = Response::new(Either::Left(Full::new(Chunk::from_static(body.as_bytes()))));
    with_headers(r, status, "text/plain; charset=utf-8")
}

/// Sets the status and the headers every response carries.
fn with_headers(mut r: Response<Body>, status: u16, mime: &'static str) -> Response<Body> {
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = r.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(hyper::header::CONTENT_TYPE, mime);
    set(hyper::header::CONTENT_SECURITY_POLICY, CSP);
    set(hyper::header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // A preview: the browser must always ask again, whatever the asset names.
    set(hyper::header::CACHE_CONTROL, "no-store");
    r
}

/// An event stream's body: the events queued for this client, as they come. It ends when the server
/// drops the client (its queue was full, see [`super::Shared::broadcast`]).
pub(crate) struct EventBody {
    rx: mpsc::Receiver<Chunk>,
}

impl http_body::Body for EventBody {
    type Data = Chunk;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Chunk>, Infallible>>> {
        self.rx
            .poll_recv(cx)
            .map(|chunk| chunk.map(|c| Ok(Frame::data(c))))
    }
}

/// Adds the reload script before `</head>` (or at the end).
fn inject(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + SCRIPT_TAG.len());
    match html.find("</head>").or_else(|| html.find("</HEAD>")) {
        Some(i) => {
            out.push_str(&html[..i]);
            out.push_str(SCRIPT_TAG);
            out.push_str(&html[i..]);
        }
        None => {
            out.push_str(html);
            out.push_str(SCRIPT_TAG);
        }
    }
    out
}

/// `/errors/x/` -> `errors/x/index.html`; `None` for `..`, `.`, backslashes and NUL, which no file of
/// the site has (and which a path must never use to leave it). Repeated slashes count as one.
fn site_path(path: &str) -> Option<String> {
    let trimmed = path.trim_start_matches('/');
    let mut parts = Vec::new();
    for seg in trimmed.split('/') {
        if seg == ".." || seg == "." || seg.contains('\\') || seg.contains('\0') {
            return None;
        }
        if !seg.is_empty() {
            parts.push(seg);
        }
    }
    let mut rel = parts.join("/");
    if path.ends_with('/') || rel.is_empty() {
        if !rel.is_empty() {
            rel.push('/');
        }
        rel.push_str("index.html");
    }
    Some(rel)
}

/// Decodes `%XX` escapes; `None` if the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Escapes what a path in a header may not hold (and `%`, `?`, `#`, `\`), keeping `/` and the unreserved
/// characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `Content-Type` of a site file, by extension.
pub(crate) fn mime(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_files_and_never_climb() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/errors/x/").as_deref(),
            Some("errors/x/index.html")
        );
        assert_eq!(site_path("/assets/a.css").as_deref(), Some("assets/a.css"));
        assert_eq!(
            site_path("//assets//a.css").as_deref(),
            Some("assets/a.css")
        );
        assert_eq!(site_path("/../etc/passwd"), None);
        assert_eq!(site_path("/a/./b"), None);
        assert_eq!(site_path("/a\\..\\b"), None);
        assert_eq!(percent_decode("/%2e%2e/x").as_deref(), Some("/../x"));
        assert_eq!(
            site_path(&percent_decode("/%2e%2e/x").unwrap_or_default()),
            None
        );
        assert_eq!(percent_decode("/a%20b%").as_deref(), Some("/a b%"));
        assert_eq!(percent_decode("/a%2").as_deref(), Some("/a%2"));
        assert_eq!(percent_decode("/%ff"), None);
    }

    #[test]
    fn redirects_are_root_relative_with_one_slash() {
        for rel in ["errors/x", "/errors/x", "//errors/x/", "errors/x/"] {
            let r = redirect(rel);
            assert_eq!(r.status(), 301);
            assert_eq!(
                r.headers().get("location").and_then(|v| v.to_str().ok()),
                Some("/errors/x/"),
                "{rel}"
            );
        }
        let r = redirect("caf\u{e9} x/%41?#");
        assert_eq!(
            r.headers().get("location").and_then(|v| v.to_str().ok()),
            Some("/caf%C3%A9%20x/%2541%3F%23/")
        );
    }

    #[test]
    fn types_by_extension() {
        assert_eq!(mime("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(mime("assets/checker_bg.1.wasm"), "application/wasm");
        assert_eq!(mime("codes.json"), "application/json");
        assert_eq!(mime("sitemap.xml"), "application/xml");
        assert_eq!(mime("x.svg"), "image/svg+xml");
        assert_eq!(mime("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(
            mime("assets/fixbook.1.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(mime("noext"), "application/octet-stream");
    }

    #[test]
    fn script_goes_before_head_end() {
        assert_eq!(
            inject("<html><head><title>t</title></head><body></body></html>"),
            format!("<html><head><title>t</title>{SCRIPT_TAG}</head><body></body></html>")
        );
        assert_eq!(inject("plain"), format!("plain{SCRIPT_TAG}"));
    }
}
