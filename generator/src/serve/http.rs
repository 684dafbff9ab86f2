//! The HTTP side of `serve`, on tiny_http: the site from memory with the right types and the site's CSP,
//! the live-reload script, and the server-sent events that tell pages to reload or show errors.
//!
//! ## Why the reload script is a separate file
//! Pages run under `script-src 'self'`, so an inline script would be blocked; `/__fixbook/reload.js` is
//! same-origin. It is added to HTML responses here, on the way out, and so never reaches a built site.

use std::io::Write;
use std::sync::Arc;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::incremental::{Bytes, CODES_JSON, KNOWLEDGE_JSON, SEARCH_JSON};
use super::Shared;
use crate::render::templates::CSP;

/// The event stream. `serve`'s own URLs start with `/__fixbook/`, a name no site file has.
pub(crate) const EVENTS: &str = "/__fixbook/events";
const RELOAD_JS: &str = include_str!("reload.js");
const OVERLAY_CSS: &str = include_str!("overlay.css");
const SCRIPT_TAG: &str = "<script src=\"/__fixbook/reload.js\" defer></script>";

/// Answers one request.
pub(crate) fn handle(shared: &Shared, req: Request) {
    if !matches!(req.method(), Method::Get | Method::Head) {
        let r = Response::from_string("only GET and HEAD\n")
            .with_status_code(405)
            .with_header(header("Allow", "GET, HEAD"));
        respond(req, r, "text/plain; charset=utf-8");
        return;
    }
    let raw = req
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let Some(path) = percent_decode(&raw) else {
        respond_text(req, 400, "bad request: the path is not valid UTF-8\n");
        return;
    };
    match path.as_str() {
        EVENTS => return subscribe(shared, req),
        "/__fixbook/reload.js" => {
            let r = Response::from_string(RELOAD_JS);
            return respond(req, r, "text/javascript; charset=utf-8");
        }
        "/__fixbook/overlay.css" => {
            let r = Response::from_string(OVERLAY_CSS);
            return respond(req, r, "text/css; charset=utf-8");
        }
        _ => {}
    }
    let Some(rel) = site_path(&path) else {
        respond_text(
            req,
            400,
            "bad request: the path may not contain `..`, `.` or `\\` segments\n",
        );
        return;
    };
    if let Some(bytes) = shared.file(&rel) {
        return send(req, 200, &rel, bytes);
    }
    if matches!(rel.as_str(), SEARCH_JSON | KNOWLEDGE_JSON | CODES_JSON) {
        if let Some(bytes) = shared.derived(&rel) {
            return send(req, 200, &rel, bytes);
        }
    }
    // `/errors/x` -> `/errors/x/`, as static hosts do, so relative links inside the page resolve.
    if !path.ends_with('/') && shared.file(&format!("{rel}/index.html")).is_some() {
        let r = Response::empty(301).with_header(header("Location", &format!("{path}/")));
        return respond(req, r, "text/plain; charset=utf-8");
    }
    if !shared.has_site() {
        let html = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>fixbook serve</title>{SCRIPT_TAG}</head>\
             <body><h1>The site has not built yet</h1><p>The terminal lists the content errors; this page reloads when they are fixed.</p></body></html>"
        );
        return send(
            req,
            503,
            "503.html",
            Arc::from(html.into_bytes().into_boxed_slice()),
        );
    }
    match shared.file(crate::outputs::Fixed::NotFound.path()) {
        Some(bytes) => send(req, 404, "404.html", bytes),
        None => respond_text(req, 404, "not found\n"),
    }
}

/// Sends a file, adding the reload script to HTML.
fn send(req: Request, status: u16, rel: &str, bytes: Bytes) {
    let mime = mime(rel);
    if mime.starts_with("text/html") {
        let html = inject(&String::from_utf8_lossy(&bytes));
        let r = Response::from_data(html.into_bytes()).with_status_code(status);
        return respond(req, r, mime);
    }
    let len = bytes.len();
    let r = Response::new(
        StatusCode(status),
        Vec::new(),
        std::io::Cursor::new(bytes),
        Some(len),
        None,
    );
    respond(req, r, mime);
}

fn respond_text(req: Request, status: u16, text: &str) {
    let r = Response::from_string(text).with_status_code(status);
    respond(req, r, "text/plain; charset=utf-8");
}

/// Adds the headers every response carries and sends it; a client that went away is not an error.
fn respond<R: std::io::Read>(req: Request, r: Response<R>, mime: &str) {
    let r = r
        .with_header(header("Content-Type", mime))
        .with_header(header("Content-Security-Policy", CSP))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        // A preview: the browser must always ask again, whatever the asset names.
        .with_header(header("Cache-Control", "no-store"));
    let _ = req.respond(r);
}

fn header(name: &str, value: &str) -> Header {
    // Names and values here are ASCII constants or URL paths (no CR/LF after decoding is possible since
    // tiny_http parsed them from a request line); a value that still does not fit becomes empty.
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .or_else(|_| Header::from_bytes(name.as_bytes(), &b""[..]))
        .unwrap_or_else(|_| unreachable!("constant header names are valid"))
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

/// Registers an event-stream client. The response is written by hand on the raw connection because
/// tiny_http buffers response bodies, and each event must be flushed as it happens.
fn subscribe(shared: &Shared, req: Request) {
    let mut w = req.into_writer();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
         Content-Security-Policy: {CSP}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n\
         retry: 500\n\n"
    );
    if w.write_all(head.as_bytes()).is_err() {
        return;
    }
    shared.add_client(w);
}

/// `/errors/x/` -> `errors/x/index.html`; `None` for `..`, `.`, backslashes and NUL, which no file of
/// the site has (and which a path must never use to leave it).
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
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
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
        assert_eq!(percent_decode("/%ff"), None);
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
