//! `fixbook serve` end to end: the real binary on a copy of the good-site fixture, a real HTTP client (a
//! few lines over a TCP socket) and a real event-stream subscription. Every wait has a deadline, and the
//! server is killed when the test ends, pass or fail.

// A failed expectation in a test is a panic.
#![allow(clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use common::{copy_dir, fixture};

const TIMEOUT: Duration = Duration::from_secs(30);

/// A running `fixbook serve`, killed on drop.
struct Serve {
    child: Child,
    port: u16,
    stderr: Receiver<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    fn start(root: &Path) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fixbook"))
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run fixbook: {e}"));
        let (out_tx, out_rx) = channel();
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = out_tx.send(line);
            }
        });
        let (err_tx, err_rx) = channel();
        let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = err_tx.send(line);
            }
        });
        let mut serve = Serve {
            child,
            port: 0,
            stderr: err_rx,
        };
        let line = out_rx
            .recv_timeout(TIMEOUT)
            .unwrap_or_else(|_| panic!("no `serving` line; stderr:\n{}", serve.stderr_text()));
        let rest = line
            .strip_prefix("serving http://127.0.0.1:")
            .and_then(|r| r.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        serve.port = rest
            .parse()
            .unwrap_or_else(|e| panic!("port in {line:?}: {e}"));
        assert_ne!(serve.port, 0);
        serve
    }

    fn stderr_text(&self) -> String {
        let mut s = String::new();
        while let Ok(l) = self.stderr.try_recv() {
            s.push_str(&l);
            s.push('\n');
        }
        s
    }

    /// Waits until a line of stderr contains `needle`; returns everything read meanwhile.
    fn wait_stderr(&self, needle: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = String::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.stderr.recv_timeout(left) {
                Ok(l) => {
                    seen.push_str(&l);
                    seen.push('\n');
                    if l.contains(needle) {
                        return seen;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("stderr never showed {needle:?}:\n{seen}");
    }

    fn get(&self, path: &str) -> Response {
        get(self.port, path)
    }
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// A GET with `Connection: close`, read to the end.
fn get(port: u16, path: &str) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("connect: {e}"));
    s.set_read_timeout(Some(TIMEOUT)).unwrap_or_default();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap_or_else(|e| panic!("send: {e}"));
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)
        .unwrap_or_else(|e| panic!("read {path}: {e}"));
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    Response {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// A subscription to `/__fixbook/events`.
struct Events {
    stream: TcpStream,
    buf: String,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream =
            TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("connect: {e}"));
        write!(
            stream,
            "GET /__fixbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap_or_else(|e| panic!("send: {e}"));
        Events {
            stream,
            buf: String::new(),
        }
    }

    /// The next event named `name` (others are skipped), as its data.
    fn next(&mut self, name: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            while let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut event = None;
                let mut data = Vec::new();
                for line in block.lines() {
                    if let Some(e) = line.strip_prefix("event: ") {
                        event = Some(e.to_string());
                    } else if let Some(d) = line.strip_prefix("data: ") {
                        data.push(d.to_string());
                    }
                }
                if event.as_deref() == Some(name) {
                    return data.join("\n");
                }
            }
            let left = deadline
                .checked_duration_since(Instant::now())
                .unwrap_or_else(|| {
                    panic!("no `{name}` event in time; stream so far:\n{}", self.buf)
                });
            self.stream.set_read_timeout(Some(left)).unwrap_or_default();
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) => panic!("event stream closed while waiting for `{name}`"),
                Ok(n) => self.buf.push_str(&String::from_utf8_lossy(&chunk[..n])),
                Err(e) => panic!("no `{name}` event: {e}; stream so far:\n{}", self.buf),
            }
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn serves_reloads_and_shows_errors_over_the_last_good_site() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_dir(&fixture("good-site"), tmp.path());
    let serve = Serve::start(tmp.path());

    // The site, with the site's CSP on every response and the reload script added to HTML only.
    let page = serve.get("/errors/0x904/");
    assert_eq!(page.status, 200, "{}", page.head);
    assert!(page
        .body
        .contains("Error code 0x904, extended error code 0x7"));
    assert!(page
        .body
        .contains("<script src=\"/__fixbook/reload.js\" defer></script></head>"));
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    let csp = fixbook::render::templates::CSP;
    assert_eq!(page.header("Content-Security-Policy"), Some(csp));
    let js = serve.get("/__fixbook/reload.js");
    assert_eq!(js.status, 200);
    assert_eq!(
        js.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(js.body.contains("EventSource") && js.body.contains("textContent"));
    assert_eq!(js.header("Content-Security-Policy"), Some(csp));

    // Every asset the page references is served, with its type (the checker's module as application/wasm).
    let wasm = page
        .body
        .split('"')
        .find(|s| s.starts_with("/assets/") && s.ends_with(".wasm"))
        .unwrap_or_else(|| panic!("the page names no .wasm asset"));
    let r = serve.get(wasm);
    assert_eq!(
        (r.status, r.header("Content-Type")),
        (200, Some("application/wasm"))
    );
    let css = page
        .body
        .split('"')
        .find(|s| s.starts_with("/assets/") && s.ends_with(".css"))
        .unwrap_or_else(|| panic!("the page names no stylesheet"));
    assert_eq!(
        serve.get(css).header("Content-Type"),
        Some("text/css; charset=utf-8")
    );
    // The checker's worker: a same-origin script under the site's CSP (workers fall back to `script-src`).
    let worker = page
        .body
        .split('"')
        .find(|s| s.starts_with("/assets/checker_ui.") && s.ends_with(".js"))
        .unwrap_or_else(|| panic!("the page names no checker front end"));
    let r = serve.get(worker);
    assert_eq!(
        (r.status, r.header("Content-Type")),
        (200, Some("text/javascript; charset=utf-8"))
    );
    assert_eq!(r.header("Content-Security-Policy"), Some(csp));
    let search = serve.get("/assets/search.json");
    assert_eq!(
        (search.status, search.header("Content-Type")),
        (200, Some("application/json"))
    );
    assert!(!serve.get(css).body.contains("__fixbook"));

    // Misses get the site's 404 page; a path that climbs out is refused.
    let missing = serve.get("/errors/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("/__fixbook/reload.js"));
    assert_eq!(serve.get("/../site.toml").status, 400);
    assert_eq!(serve.get("/%2e%2e/site.toml").status, 400);
    assert_eq!(
        serve.get("/errors/0x904").header("Location"),
        Some("/errors/0x904/")
    );

    // An edit: the new text is served and the browser is told to reload.
    let mut events = Events::open(serve.port);
    events.next("hello");
    let file = tmp.path().join("content/errors/0x904.md");
    edit(
        &file,
        "## What you see",
        "## What you see in the dialog, freshly edited",
    );
    events.next("reload");
    let page = serve.get("/errors/0x904/");
    assert!(
        page.body
            .contains("What you see in the dialog, freshly edited"),
        "{}",
        page.body
    );
    serve.wait_stderr("rebuilt");

    // A broken reference: the terminal and the browser get the same file:line:col, and the last good page
    // is still served.
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let line = text
        .lines()
        .position(|l| l == "  - id: cause-port-blocked")
        .unwrap_or_else(|| panic!("fixture changed"))
        + 1;
    edit(
        &file,
        "  - id: cause-port-blocked",
        "  - id: cause-port-blockd",
    );
    let data = events.next("errors");
    let location = format!("content/errors/0x904.md:{line}:9");
    assert!(
        data.contains(&format!("\"location\":\"{location}\"")),
        "{data}"
    );
    assert!(
        data.contains("cause `cause-port-blockd` does not exist"),
        "{data}"
    );
    // The overlay's text is what `check` prints: the source line with a caret under the column.
    assert!(
        data.contains(&format!("{line} |   - id: cause-port-blockd\\n"))
            && data.contains("|         ^"),
        "{data}"
    );
    let stderr = serve.wait_stderr(&format!("--> {location}"));
    assert!(stderr.contains("error[unknown-ref]"), "{stderr}");
    let page = serve.get("/errors/0x904/");
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("What you see in the dialog, freshly edited"));

    // A page opened while the error stands hears about it at once.
    let mut late = Events::open(serve.port);
    late.next("hello");
    assert!(late.next("errors").contains(&location));

    // Fixing it clears the overlay and reloads.
    edit(
        &file,
        "  - id: cause-port-blockd",
        "  - id: cause-port-blocked",
    );
    events.next("ok");
    events.next("reload");

    // A YAML error is positioned too.
    edit(&file, "updated: 2026-11-20", "updated: [2026-11-20");
    let data = events.next("errors");
    assert!(
        data.contains("\"file\":\"content/errors/0x904.md\""),
        "{data}"
    );
    assert!(data.contains("\"line\":"), "{data}");
    assert!(data.contains("\"draft\":false"), "{data}");
    assert_eq!(serve.get("/errors/0x904/").status, 200);

    // Fixed again; then a new page from `fixbook new`, placeholders and all, is served at once, and its
    // placeholders are listed over the pages (the overlay says the site shows the latest edit).
    edit(&file, "updated: [2026-11-20", "updated: 2026-11-20");
    events.next("ok");
    events.next("reload");
    let out = common::fixbook(tmp.path(), &["new", "guide", "draft-page"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    events.next("reload");
    let data = events.next("errors");
    assert!(data.contains("\"draft\":true"), "{data}");
    assert!(data.contains("\"code\":\"placeholder\""), "{data}");
    let page = serve.get("/guides/draft-page/");
    assert_eq!(page.status, 200, "{}", page.head);
    assert!(page.body.contains("TODO(fixbook)"));
    let stderr = serve.wait_stderr("served as it is, to preview");
    assert!(stderr.contains("error[placeholder]"), "{stderr}");
}

#[test]
fn a_busy_port_is_a_usage_error() {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap_or_else(|e| panic!("{e}"));
    let port = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .port()
        .to_string();
    let out = common::fixbook(&fixture("good-site"), &["serve", "--port", &port]);
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    assert!(common::stderr(&out).contains("cannot listen on"));
}

/// `serve` renders with its own incremental code; every page must still be what `build` writes (but for
/// the reload script, and the derived indexes' stable names).
#[test]
fn serves_the_pages_that_build_writes() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("site");
    copy_dir(&fixture("good-site"), &root);
    let serve = Serve::start(&root);
    let out = tmp.path().join("public");
    let base = format!("http://127.0.0.1:{}/", serve.port);
    common::build_at(&root, &out, &base);
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out).into_iter().flatten() {
        let rel = entry
            .path()
            .strip_prefix(&out)
            .unwrap_or_else(|e| panic!("{e}"))
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let url = format!("/{}", rel.trim_end_matches("index.html"));
        let served = serve.get(&url);
        assert_eq!(served.status, 200, "{url}");
        let written = std::fs::read_to_string(entry.path()).unwrap_or_default();
        assert!(
            stable(&served.body) == stable(&written),
            "{url} differs from the build:\nserved:\n{}\nbuilt:\n{}",
            served.body,
            written
        );
        pages += 1;
    }
    assert!(pages > 10, "{pages}");
    // Every page links the feed, so `serve` answers it too, as `build` writes it.
    let feed = serve.get("/atom.xml");
    assert_eq!(feed.status, 200);
    let written = std::fs::read_to_string(out.join("atom.xml")).unwrap_or_default();
    assert_eq!(feed.body, written);
    // The knowledge index's common part and every bucket it names, as `build` writes them.
    let common = serve.get("/assets/knowledge.json");
    assert_eq!(common.status, 200);
    let built =
        std::fs::read_to_string(common::hashed_asset(&out, "knowledge")).unwrap_or_default();
    assert_eq!(common.body, built);
    let partial =
        fixbook_checker::Partial::from_common(&common.body).unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<String> = (0..partial.buckets())
        .filter_map(|b| partial.path(b))
        .collect();
    assert!(!paths.is_empty());
    for path in paths {
        let served = serve.get(&format!("/assets/{path}"));
        assert_eq!(served.status, 200, "{path}");
        let written = std::fs::read_to_string(out.join("assets").join(&path)).unwrap_or_default();
        assert_eq!(served.body, written, "{path}");
    }
}

/// One rule for build, check and serve: a page that links inside the site is served (as `build` writes
/// it), and one that links outside, which `serve` used to publish when it appeared, is refused with the
/// error `build` and `check` give, at the same place; its text is never served.
#[cfg(unix)]
#[test]
fn serve_follows_links_inside_the_site_and_refuses_links_outside() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("site");
    copy_dir(&fixture("good-site"), &root);
    let page = |id: &str, summary: &str| {
        format!("---\nid: {id}\nkind: guide\ntitle: T\nsummary: {summary}\nupdated: 2026-11-20\n---\n\nText.\n")
    };
    std::fs::create_dir_all(root.join("drafts")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        root.join("drafts/mirror.md"),
        page("guide-mirror", "Kept in drafts."),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(
        "../../drafts/mirror.md",
        root.join("content/guides/mirror.md"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let serve = Serve::start(&root);
    let mirror = serve.get("/guides/mirror/");
    assert_eq!(mirror.status, 200, "{}", serve.stderr_text());
    assert!(mirror.body.contains("Kept in drafts."));

    let secret = tmp.path().join("leak.md");
    std::fs::write(&secret, page("guide-leak", "SECRET-OUTSIDE-THE-SITE"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut events = Events::open(serve.port);
    events.next("hello");
    std::os::unix::fs::symlink(&secret, root.join("content/guides/leak.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    let data = events.next("errors");
    assert!(
        data.contains("\"location\":\"content/guides/leak.md:1:1\""),
        "{data}"
    );
    let stderr = serve.wait_stderr("--> content/guides/leak.md:1:1");
    assert!(stderr.contains("error[outside-site]"), "{stderr}");
    let leak = serve.get("/guides/leak/");
    assert_eq!(leak.status, 404);
    assert!(!leak.body.contains("SECRET-OUTSIDE-THE-SITE"));
    let checked = common::fixbook(&root, &["check"]);
    assert!(
        common::stderr(&checked).contains("error[outside-site]: `content/guides/leak.md` links to"),
        "{}",
        common::stderr(&checked)
    );
}

/// An alias that `serve` would publish over another page is the same located error as in `check`.
#[test]
fn serve_reports_an_alias_over_a_page() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_dir(&fixture("good-site"), tmp.path());
    let serve = Serve::start(tmp.path());
    let mut events = Events::open(serve.port);
    events.next("hello");
    edit(
        &tmp.path().join("content/guides/overview.md"),
        "updated: 2026-11-20\n",
        "updated: 2026-11-20\naliases: [/errors/0x904/]\n",
    );
    let data = events.next("errors");
    assert!(
        data.contains("\"location\":\"content/guides/overview.md:7:11\""),
        "{data}"
    );
    let page = serve.get("/errors/0x904/");
    assert!(
        page.body.contains("Error code 0x904"),
        "the page is not replaced"
    );
}

/// The served page's checker module URL (`/assets/checker_bg.<hash>.wasm`).
fn wasm_url(serve: &Serve) -> String {
    let page = serve.get("/errors/0x904/");
    page.body
        .split('"')
        .find(|s| s.starts_with("/assets/") && s.ends_with(".wasm"))
        .unwrap_or_else(|| panic!("the page names no .wasm asset"))
        .to_string()
}

/// A GET answered (head and body read) within `limit`, on a fresh connection.
fn get_within(port: u16, path: &str, limit: Duration) -> Response {
    let (tx, rx) = channel();
    let path = path.to_string();
    std::thread::spawn(move || {
        let _ = tx.send(get(port, &path));
    });
    rx.recv_timeout(limit).unwrap_or_else(|_| {
        panic!(
            "GET {} not answered within {limit:?}",
            "the second client's"
        )
    })
}

/// The example: one connection pipelines requests for the (large) checker module and never reads
/// its answers. Only that connection may wait; a second client is answered at once.
#[test]
fn a_client_that_never_reads_does_not_stall_others() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_dir(&fixture("good-site"), tmp.path());
    let serve = Serve::start(tmp.path());
    let wasm = wasm_url(&serve);
    let mut hog =
        TcpStream::connect(("127.0.0.1", serve.port)).unwrap_or_else(|e| panic!("connect: {e}"));
    let one = format!("GET {wasm} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    let many = one.repeat(64);
    // The requests are written from a thread: once the server stops reading them, this write blocks too.
    let mut writer = hog.try_clone().unwrap_or_else(|e| panic!("{e}"));
    std::thread::spawn(move || {
        let _ = writer.write_all(many.as_bytes());
    });
    std::thread::sleep(Duration::from_millis(500));
    for path in ["/errors/0x904/", wasm.as_str(), "/assets/search.json"] {
        let r = get_within(serve.port, path, Duration::from_secs(1));
        assert_eq!(r.status, 200, "{path}: {}", r.head);
    }
    // Several non-reading connections at once (more than any fixed set of workers) change nothing either.
    let mut hogs = Vec::new();
    for _ in 0..8 {
        let h = TcpStream::connect(("127.0.0.1", serve.port))
            .unwrap_or_else(|e| panic!("connect: {e}"));
        let many = one.repeat(16);
        let mut w = h.try_clone().unwrap_or_else(|e| panic!("{e}"));
        std::thread::spawn(move || {
            let _ = w.write_all(many.as_bytes());
        });
        h.set_read_timeout(Some(Duration::from_millis(1)))
            .unwrap_or_default();
        hogs.push(h);
    }
    std::thread::sleep(Duration::from_millis(500));
    let r = get_within(serve.port, "/errors/0x904/", Duration::from_secs(1));
    assert_eq!(r.status, 200);
    let _ = hog.flush();
    drop(hogs);
}

/// The example: an event-stream client that never reads, while rebuilds send it more than its
/// socket holds. Rebuilds go on (the client is dropped when its buffer is full) and others are answered.
#[test]
fn an_event_client_that_never_reads_stops_neither_rebuilds_nor_requests() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_dir(&fixture("good-site"), tmp.path());
    let serve = Serve::start(tmp.path());
    let file = tmp.path().join("content/errors/0x904.md");
    let good = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
    // Thousands of broken references: each `errors` event is about a megabyte.
    let broken: String = (0..4000)
        .map(|i| format!("  - id: cause-missing-{i:05}\n"))
        .collect();
    let bad = good.replacen("causes:\n", &format!("causes:\n{broken}"), 1);
    assert_ne!(bad, good);

    let mut stuck = Events::open(serve.port);
    stuck.next("hello");
    // From here on `stuck` is never read again.
    for round in 0..12 {
        std::fs::write(&file, &bad).unwrap_or_else(|e| panic!("{e}"));
        serve.wait_stderr("cause-missing-03999");
        let marker = format!("round {round}");
        let fixed = good.replacen("## What you see", &format!("## What you see, {marker}"), 1);
        std::fs::write(&file, &fixed).unwrap_or_else(|e| panic!("{e}"));
        serve.wait_stderr("rebuilt");
        let page = get_within(serve.port, "/errors/0x904/", Duration::from_secs(1));
        assert!(
            page.body.contains(&marker),
            "round {round}: the rebuild is not served"
        );
    }
    for path in [
        "/errors/0x904/",
        "/assets/search.json",
        "/assets/knowledge.json",
    ] {
        let r = get_within(serve.port, path, Duration::from_secs(1));
        assert_eq!(r.status, 200, "{path}");
    }
    // A new subscriber still hears about the next rebuild.
    let mut fresh = Events::open(serve.port);
    fresh.next("hello");
    edit(&file, "## What you see", "## What you see now");
    fresh.next("reload");
    drop(stuck);
}

/// The example `//errors/x` (a protocol-relative `Location` would send the browser to the host
/// `errors`), and other spellings of the same trick: redirects are root-relative with one leading slash,
/// or the request is refused.
#[test]
fn redirects_never_leave_the_site() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_dir(&fixture("good-site"), tmp.path());
    let serve = Serve::start(tmp.path());
    for path in [
        "//errors/0x904",
        "///errors/0x904",
        "//errors//0x904",
        "/%2F%2Ferrors/0x904",
        "/%2Ferrors/0x904",
    ] {
        let r = serve.get(path);
        assert_eq!(r.status, 301, "{path}: {}", r.head);
        assert_eq!(r.header("Location"), Some("/errors/0x904/"), "{path}");
    }
    for path in ["/\\errors/0x904", "/%5Cerrors/0x904", "/\\/errors/0x904"] {
        let r = serve.get(path);
        assert!(
            r.status == 400 || r.status == 404,
            "{path}: {} {:?}",
            r.status,
            r.header("Location")
        );
        assert_eq!(r.header("Location"), None, "{path}");
    }
}

/// A page as `serve` and `build` both give it: without the reload script, and with the derived indexes'
/// stable names (`/assets/search.0123456789.json` (build) -> `/assets/search.json` (serve)).
fn stable(html: &str) -> String {
    let mut s = html.replace("<script src=\"/__fixbook/reload.js\" defer></script>", "");
    for name in ["search", "knowledge"] {
        let prefix = format!("/assets/{name}.");
        let mut from = 0;
        while let Some(i) = s[from..].find(&prefix).map(|i| from + i + prefix.len()) {
            let hash = s[i..]
                .find(".json")
                .filter(|&j| j > 0 && s[i..i + j].bytes().all(|b| b.is_ascii_hexdigit()));
            if let Some(j) = hash {
                s.replace_range(i..i + j + 1, "");
            }
            from = i;
        }
    }
    s
}

/// A long section's index pages (the `paged-site` fixture lists 3 guides a page, 7 guides: 3 pages) after
/// edits that move a guide from the first page to the last, remove one (the third page goes) and add two
/// (it comes back): each time `serve` answers every index page as `build` writes it, and no other.
#[test]
fn serves_a_long_sections_index_pages_as_build_writes_them_after_edits() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("site");
    copy_dir(&fixture("paged-site"), &root);
    let serve = Serve::start(&root);
    let mut events = Events::open(serve.port);
    events.next("hello");
    let base = format!("http://127.0.0.1:{}/", serve.port);
    let guides = root.join("content/guides");
    let compare = |round: &str, pages: usize| {
        let out = tmp.path().join(format!("public-{round}"));
        common::build_at(&root, &out, &base);
        for k in 1..=pages + 1 {
            let (url, file) = if k == 1 {
                ("/guides/".to_string(), out.join("guides/index.html"))
            } else {
                (
                    format!("/guides/page/{k}/"),
                    out.join(format!("guides/page/{k}/index.html")),
                )
            };
            let served = serve.get(&url);
            if k > pages {
                assert!(!file.exists(), "{round}: {url} built");
                assert_eq!(served.status, 404, "{round}: {url} still served");
                continue;
            }
            assert_eq!(served.status, 200, "{round}: {url}");
            let written = std::fs::read_to_string(&file).unwrap_or_default();
            assert!(
                stable(&served.body) == stable(&written),
                "{round}: {url} differs from the build:\nserved:\n{}\nbuilt:\n{}",
                served.body,
                written
            );
        }
    };
    compare("start", 3);
    let first = serve.get("/guides/").body;
    assert!(first.contains("Before you call the help desk"));

    // Retitled, the first guide sorts last: it leaves page 1 for page 3, and every page's list shifts.
    edit(
        &guides.join("before-you-call-the-help-desk.md"),
        "title: Before you call the help desk",
        "title: You call the help desk",
    );
    events.next("reload");
    compare("moved", 3);
    assert!(serve
        .get("/guides/page/3/")
        .body
        .contains("You call the help desk"));
    assert!(!serve.get("/guides/").body.contains("call the help desk"));

    // Six guides: two pages; the third is no longer served.
    std::fs::remove_file(guides.join("glossary-of-connection-terms.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    events.next("reload");
    compare("removed", 2);

    // Eight: three pages again.
    for slug in ["added-one", "added-two"] {
        std::fs::write(
            guides.join(format!("{slug}.md")),
            format!("---\nid: guide-{slug}\nkind: guide\ntitle: An {slug} guide\nsummary: Added.\nupdated: 2026-11-20\n---\n\nText.\n"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    // The two files may be rebuilt together or one after the other.
    events.next("reload");
    while !serve.get("/guides/").body.contains("An added-two guide") {
        events.next("reload");
    }
    compare("added", 3);
}
