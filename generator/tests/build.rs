//! `fixbook build`: a browsable site on success; nothing touched on failure.

mod common;

use std::fs;

use common::{build_into_temp, copy_dir, fixbook, fixture, hashed_asset, snapshot_tree, stderr};

#[test]
fn builds_every_page_and_index() {
    let built = build_into_temp(&fixture("good-site"), &[]);
    let out_dir = &built.out;
    let summary = &built.stdout;
    assert!(summary.starts_with("built 16 pages in "), "{summary}");
    for f in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "codes.json",
        "check/index.html",
        "errors/index.html",
        "errors/0x904/index.html",
        "causes/cert-expired/index.html",
        "causes/port-blocked/index.html",
        "fixes/renew-cert/index.html",
        "guides/overview/index.html",
        "codes/index.html",
        "codes/disconnect/index.html",
        "codes/event/index.html",
        ".fixbook-output",
    ] {
        assert!(out_dir.join(f).is_file(), "missing {f}");
    }
    let assets: Vec<String> = fs::read_dir(out_dir.join("assets"))
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        assets
            .iter()
            .any(|a| a.starts_with("search.") && a.ends_with(".json")),
        "{assets:?}"
    );
    assert!(
        assets
            .iter()
            .any(|a| a.starts_with("knowledge.") && a.ends_with(".json")),
        "{assets:?}"
    );
    let sitemap = fs::read_to_string(out_dir.join("sitemap.xml")).unwrap_or_default();
    assert!(
        sitemap.contains("<loc>https://kb.example.org/fixes/renew-cert/</loc>"),
        "{sitemap}"
    );
    let codes: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out_dir.join("codes.json")).unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(
        codes["codes"]["disconnect:0x904"]["pages"][0]["url"],
        "/errors/0x904/"
    );
    assert_eq!(
        codes["codes"]["disconnect:0x204"]["causes"][0]["id"],
        "cause-port-blocked"
    );
}

#[test]
fn pages_have_no_inline_script_or_style() {
    let built = build_into_temp(&fixture("good-site"), &[]);
    let out_dir = &built.out;
    for (path, bytes) in snapshot_tree(out_dir) {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8_lossy(&bytes);
            assert!(!html.contains(" style="), "{path:?} has a style attribute");
            assert!(!html.contains("<style"), "{path:?} has a style element");
            for (i, _) in html.match_indices("<script") {
                let tag_end = html[i..].find('>').map_or(html.len(), |e| i + e);
                let tag = &html[i..tag_end];
                assert!(
                    tag.contains(" src=") || tag.contains("application/ld+json"),
                    "{path:?}: inline script {tag}"
                );
            }
        }
    }
}

#[test]
fn base_url_path_prefixes_links() {
    let built = build_into_temp(
        &fixture("good-site"),
        &["--base-url", "https://example.org/kb/"],
    );
    let out_dir = &built.out;
    let html = fs::read_to_string(out_dir.join("errors/0x904/index.html")).unwrap_or_default();
    assert!(
        html.contains("href=\"/kb/fixes/renew-cert/#export-the-old-certificate\""),
        "{html}"
    );
    assert!(html.contains("href=\"/kb/assets/style."), "{html}");
}

#[test]
fn broken_build_leaves_previous_output_byte_identical() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = tmp.path().join("site");
    copy_dir(&fixture("good-site"), &site);
    let first = fixbook(&site, &["build"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let before = snapshot_tree(&site.join("public"));
    assert!(before.len() > 10);

    // Break the site in three ways and build again over the same output.
    copy_dir(&fixture("bad-three-errors"), &site);
    let second = fixbook(&site, &["build"]);
    assert_eq!(second.status.code(), Some(1));
    assert!(stderr(&second).contains("previous output was left untouched"));
    assert_eq!(snapshot_tree(&site.join("public")), before);
    // No staging folder is left behind (the output's lock file stays: see the README's Deploy section).
    let names: Vec<String> = fs::read_dir(&site)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        names
            .iter()
            .all(|n| !n.starts_with(".fixbook-") || n == ".fixbook-lock-public"),
        "{names:?}"
    );
}

#[test]
fn never_replaces_a_folder_it_did_not_create() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out_dir = tmp.path().join("docs");
    fs::create_dir_all(&out_dir).unwrap_or_default();
    fs::write(out_dir.join("thesis.tex"), "precious").unwrap_or_default();
    let out = fixbook(
        &fixture("good-site"),
        &["build", "--output", out_dir.to_str().unwrap_or_default()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("was not written by fixbook"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        fs::read_to_string(out_dir.join("thesis.tex")).unwrap_or_default(),
        "precious"
    );
    assert_eq!(snapshot_tree(&out_dir).len(), 1);
}

/// The search index of a built site: its manifest, every term's postings (decoded), and the URL (with the
/// section's anchor) of every posting's section.
struct SearchIndex {
    manifest: serde_json::Value,
    terms: std::collections::BTreeMap<String, Vec<u64>>,
    /// Each shard's file name and terms, in manifest order.
    shards: Vec<(String, Vec<String>)>,
    out: std::path::PathBuf,
}

impl SearchIndex {
    fn read(out: &std::path::Path) -> SearchIndex {
        let json = |p: std::path::PathBuf| -> serde_json::Value {
            serde_json::from_slice(&fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
                .unwrap_or_default()
        };
        let manifest = json(hashed_asset(out, "search"));
        let mut terms = std::collections::BTreeMap::new();
        let mut shards = Vec::new();
        for e in manifest["t"].as_array().into_iter().flatten() {
            let name = format!("t.{}.json", e[1].as_str().unwrap_or_default());
            let shard = json(out.join("assets/search").join(&name));
            let mut names = Vec::new();
            for (t, list) in shard.as_object().into_iter().flatten() {
                let mut acc = 0;
                let ids: Vec<u64> = list
                    .as_array()
                    .into_iter()
                    .flatten()
                    .skip(1)
                    .map(|d| {
                        acc += d.as_u64().unwrap_or(0);
                        acc
                    })
                    .collect();
                assert!(terms.insert(t.clone(), ids).is_none(), "{t} in two shards");
                names.push(t.clone());
            }
            shards.push((name, names));
        }
        SearchIndex {
            manifest,
            terms,
            shards,
            out: out.to_path_buf(),
        }
    }

    /// How many units the fragments hold text for.
    fn fragment_units(&self) -> u64 {
        let json = |kind: &str, hash: &serde_json::Value| -> serde_json::Value {
            let path = self.out.join(format!(
                "assets/search/{kind}.{}.json",
                hash.as_str().unwrap_or_default()
            ));
            serde_json::from_slice(&fs::read(path).unwrap_or_default()).unwrap_or_default()
        };
        let lists = self.manifest["d"].as_array().into_iter().flatten();
        let frags = lists.flat_map(|h| json("d", h).as_array().cloned().unwrap_or_default());
        frags
            .map(|h| json("f", &h).as_array().map_or(0, |f| f.len() as u64))
            .sum()
    }

    /// `url#anchor` of each section that has `term`.
    fn urls_for(&self, term: &str) -> Vec<String> {
        let m = &self.manifest;
        let p = m["p"].as_u64().unwrap_or(1);
        let l = m["l"].as_u64().unwrap_or(1);
        let json = |kind: &str, hash: &serde_json::Value| -> serde_json::Value {
            let path = self.out.join(format!(
                "assets/search/{kind}.{}.json",
                hash.as_str().unwrap_or_default()
            ));
            serde_json::from_slice(&fs::read(path).unwrap_or_default()).unwrap_or_default()
        };
        self.terms
            .get(term)
            .into_iter()
            .flatten()
            .map(|id| {
                let (unit, sec) = (id / 1024, (id >> 4) & 63);
                let group = unit / p;
                let list = json("d", &m["d"][(group / l) as usize]);
                let frag = json("f", &list[(group % l) as usize]);
                let u = &frag[(unit % p) as usize];
                let anchor = u[3][sec as usize][0].as_str().unwrap_or_default();
                let url = u[0].as_str().unwrap_or_default();
                if anchor.is_empty() {
                    url.to_string()
                } else {
                    format!("{url}#{anchor}")
                }
            })
            .collect()
    }
}

#[test]
fn search_index_finds_words_and_codes() {
    let built = build_into_temp(&fixture("good-site"), &[]);
    let index = SearchIndex::read(&built.out);
    assert_eq!(index.manifest["v"], 3);
    // `n` counts the units that the fragments hold text for (pages, then code table units).
    assert_eq!(
        index.manifest["n"].as_u64(),
        Some(index.fragment_units()),
        "{}",
        index.manifest
    );
    // A word of the body (in a blockquote, stemmed: `computer` -> `comput`), a word of a title, and a code in
    // canonical hex, on the error page and on its code-table row.
    let has = |term: &str, url: &str| {
        let urls = index.urls_for(term);
        assert!(urls.iter().any(|u| u == url), "{term}: {urls:?}");
    };
    has("comput", "/errors/0x904/");
    has("listen", "/fixes/renew-cert/");
    has("0x904", "/errors/0x904/");
    has("0x904", "/codes/disconnect/#0x904");
    // A step's words link its section.
    let renew = index.urls_for("renew");
    assert!(
        renew.iter().any(|u| u.starts_with("/fixes/renew-cert/")),
        "{renew:?}"
    );
    // Stop words and unstemmed forms are not indexed.
    assert!(!index.terms.contains_key("the"));
    assert!(!index.terms.contains_key("computer"));
    // Every shard's terms are in its range of the sorted terms, and named by its content.
    let firsts: Vec<&str> = index.manifest["t"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e[0].as_str().unwrap_or_default())
        .collect();
    for (i, (name, terms)) in index.shards.iter().enumerate() {
        for t in terms {
            assert!(t.as_str() >= firsts[i] && firsts.get(i + 1).is_none_or(|n| t.as_str() < *n));
        }
        let bytes = fs::read(built.out.join("assets/search").join(name)).unwrap_or_default();
        let expect = fixbook::write::assets::hashed_name("search/t.json", &bytes);
        assert_eq!(format!("assets/search/{name}"), expect);
    }
}

/// A theme's own templates: a syntax error and a rendering error are each reported at the template's line
/// and column, and the build fails without writing anything.
#[test]
fn template_errors_point_at_the_template_line_and_column() {
    let repo_theme = common::repo().join("themes/default");
    for broken in [
        // A filter with no name: a syntax error.
        "{{ page.title | }}",
        // A filter that does not exist: found when templates are compiled.
        "{{ page.title | shout }}",
        // A value the context does not have: found while rendering a page.
        "{{ page.no_such_field.deeper }}",
    ] {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let site = tmp.path().join("site");
        copy_dir(&fixture("good-site"), &site);
        copy_dir(&repo_theme, &site.join("themes/default"));
        let page = site.join("themes/default/templates/page.html");
        let src = fs::read_to_string(&page).unwrap_or_default();
        // Inserted as the first line of the main block: the line after `{% block main %}`.
        let main = "{% block main %}\n";
        let line = src
            .lines()
            .position(|l| l == main.trim_end())
            .unwrap_or_else(|| panic!("page.html has no main block"))
            + 2;
        let expect = format!("page.html:{line}:");
        fs::write(&page, src.replacen(main, &format!("{main}{broken}\n"), 1)).unwrap_or_default();
        let out = fixbook(&site, &["build"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{broken}: {err}");
        assert!(
            err.contains(&format!("themes/default/templates/{expect}")),
            "{broken}: {err}"
        );
        assert!(!site.join("public").exists(), "{broken}: nothing written");
        // `check` compiles the templates too: what it can see without rendering, it reports.
        if !broken.contains("no_such_field") {
            let checked = fixbook(&site, &["check"]);
            assert_eq!(checked.status.code(), Some(1), "{broken}");
            assert!(stderr(&checked).contains(&format!("templates/{expect}")));
        }
    }
}

/// The search index is named before it is built (so pages render while it is written): the name must still
/// change exactly when what the index holds changes, or browsers would keep a stale index.
#[test]
fn search_index_name_follows_what_the_index_holds() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = tmp.path().join("site");
    copy_dir(&fixture("good-site"), &site);
    let name = |site: &std::path::Path| {
        let built = build_into_temp(site, &[]);
        let path = hashed_asset(&built.out, "search");
        // The whole index: the manifest and every file it names.
        let mut index = fs::read_to_string(&path).unwrap_or_default();
        for e in walkdir::WalkDir::new(built.out.join("assets/search"))
            .into_iter()
            .flatten()
        {
            if e.file_type().is_file() {
                index.push_str(&fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Every page links the index by that name.
        let home = fs::read_to_string(built.out.join("index.html")).unwrap_or_default();
        assert!(home.contains(&format!("/assets/{name}\"")), "{home}");
        (name, index)
    };
    let (first, index) = name(&site);
    assert_eq!(name(&site).0, first, "same content, same name");
    assert!(!index.contains("\"zyxwvut\""));

    let guide = site.join("content/guides/overview.md");
    let text = fs::read_to_string(&guide).unwrap_or_default();
    fs::write(&guide, format!("{text}\nA new word: zyxwvut.\n")).unwrap_or_default();
    let (second, index) = name(&site);
    assert_ne!(second, first, "a new body word changes the name");
    assert!(index.contains("\"zyxwvut\""));

    // The name is a hash of the sources (taken before the index is made, while pages name it): the
    // same sources give it back, whatever was built in between.
    fs::write(&guide, &text).unwrap_or_default();
    assert_eq!(name(&site).0, first, "the first sources, the first name");
}

/// The index `build` makes while it writes pages (postings per thread, the best of a long list kept as it
/// grows) is the one made from the whole site at once, file for file: on a site where one word is in
/// 6,400 sections, past what a term lists (1,000) and what a thread keeps of a list (2,000).
#[test]
fn the_index_made_while_writing_is_the_index_of_the_whole_site() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = tmp.path().join("site");
    let mut pages = Vec::new();
    for i in 0..100 {
        let mut body = format!("Intro {i} about the firewall.\n");
        for s in 0..63 {
            let kind = if s % 3 == 0 { "Firewall" } else { "Step" };
            body.push_str(&format!(
                "\n## {kind} {s}\n\nOpen the firewall port {i}{s} and renew it.\n"
            ));
        }
        let text = format!(
            "---\nid: guide-p{i}\nkind: guide\ntitle: Page {i}\nsummary: S\nupdated: 2026-01-01\n---\n\n{body}"
        );
        pages.push((format!("guides/p{i}.md"), text));
    }
    let refs: Vec<(&str, &str)> = pages
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    fs::create_dir_all(&site).unwrap_or_else(|e| panic!("{e}"));
    common::tiny_site(&site, &refs);
    let built = build_into_temp(&site, &[]);
    let a = fixbook::analyse(&site, None, true).unwrap_or_else(|d| panic!("{d:?}"));
    let whole = fixbook::derive::search_files(&a.model);
    let manifest = fs::read_to_string(hashed_asset(&built.out, "search")).unwrap_or_default();
    assert_eq!(manifest, whole.manifest);
    let written = walkdir::WalkDir::new(built.out.join("assets/search"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .count();
    assert_eq!(written, whole.files.len(), "files in the index");
    let firewall = whole
        .files
        .iter()
        .find(|(_, body)| body.contains("\"firewal\":[6400,"))
        .unwrap_or_else(|| panic!("no shard lists `firewal` in 6,400 sections"));
    assert!(firewall.0.starts_with("assets/search/t."), "{}", firewall.0);
    for (path, body) in &whole.files {
        let have = fs::read_to_string(built.out.join(path)).unwrap_or_default();
        assert!(have == *body, "{path} differs from the whole site's");
    }
}

/// `build` frees each page's body text once its HTML is made (the sources and the HTML are never both
/// held); a problem found after that is located by reading the file again, at the same place `check` gives.
#[test]
fn build_reports_body_problems_where_check_does() {
    for (fixture_name, at) in [
        ("bad-broken-link", "content/guides/overview.md:11:26"),
        ("bad-broken-anchor", "content/errors/0x904.md:26:6"),
    ] {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let site = tmp.path().join("site");
        copy_dir(&fixture(fixture_name), &site);
        let built = fixbook(&site, &["build"]);
        assert_eq!(built.status.code(), Some(1), "{}", stderr(&built));
        assert!(
            stderr(&built).contains(at),
            "{fixture_name}: {}",
            stderr(&built)
        );
        let checked = fixbook(&site, &["check"]);
        assert!(stderr(&checked).contains(at), "{}", stderr(&checked));
    }
    // A placeholder in the body, at its line and column.
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = tmp.path().join("site");
    copy_dir(&fixture("good-site"), &site);
    let guide = site.join("content/guides/overview.md");
    let text = fs::read_to_string(&guide).unwrap_or_default();
    let lines = text.lines().count();
    fs::write(&guide, format!("{text}\nStill to write: TODO(fixbook)\n")).unwrap_or_default();
    let built = fixbook(&site, &["build"]);
    assert_eq!(built.status.code(), Some(1));
    let at = format!("content/guides/overview.md:{}:17", lines + 2);
    assert!(stderr(&built).contains(&at), "{at}: {}", stderr(&built));
}

/// A fresh copy of the good-site fixture (with the repository's theme when `theme`), to edit.
fn site_copy(theme: bool) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = tmp.path().join("site");
    copy_dir(&fixture("good-site"), &site);
    if theme {
        copy_dir(
            &common::repo().join("themes/default"),
            &site.join("themes/default"),
        );
    }
    (tmp, site)
}

/// Runs `args` on `site` and asserts exit code 1 with an `error[code]` at `location`; returns stderr.
#[track_caller]
fn expect_content_error(
    site: &std::path::Path,
    args: &[&str],
    code: &str,
    location: &str,
) -> String {
    let out = fixbook(site, args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    let at = err.lines().zip(err.lines().skip(1)).any(|(l, next)| {
        l.starts_with(&format!("error[{code}]")) && next.trim() == format!("--> {location}")
    });
    assert!(at, "{args:?}: no error[{code}] at {location}:\n{err}");
    err
}

/// The examples for `build`: an alias equal to another page's URL (which replaced the page with a
/// redirect, racily) and the alias `/index.html` (an I/O error, exit code 2) are content errors located at
/// the alias, and nothing is written.
#[test]
fn colliding_aliases_fail_the_build_before_anything_is_written() {
    let (_tmp, site) = site_copy(false);
    let guide = site.join("content/guides/overview.md");
    let src = fs::read_to_string(&guide).unwrap_or_default();
    for (alias, col) in [("/errors/0x904/", 11), ("/index.html", 11)] {
        fs::write(
            &guide,
            src.replacen(
                "updated: 2026-11-20\n",
                &format!("updated: 2026-11-20\naliases: [{alias}]\n"),
                1,
            ),
        )
        .unwrap_or_default();
        let at = format!("content/guides/overview.md:7:{col}");
        let err = expect_content_error(&site, &["build"], "output-collision", &at);
        assert!(
            !err.contains("No such file") && !err.contains("Not a directory"),
            "{err}"
        );
        assert!(!site.join("public").exists(), "{alias}: nothing written");
    }
}

#[cfg(unix)]
fn symlink(target: &std::path::Path, link: &std::path::Path) {
    std::os::unix::fs::symlink(target, link).unwrap_or_else(|e| panic!("{e}"));
}

/// The example: a template that was a link to `/proc/self/environ` became `404.html` with the
/// environment in it. A template linking to a file outside the site is refused by `build` and `check`,
/// and its contents appear nowhere.
#[cfg(unix)]
#[test]
fn a_template_linking_outside_the_site_is_refused() {
    let (tmp, site) = site_copy(true);
    let secret = tmp.path().join("environ");
    fs::write(&secret, "FIXBOOK_SECRET_TOKEN=hunter2\n").unwrap_or_default();
    let template = site.join("themes/default/templates/404.html");
    fs::remove_file(&template).unwrap_or_default();
    symlink(&secret, &template);
    for args in [&["build"][..], &["check"]] {
        let err = expect_content_error(
            &site,
            args,
            "outside-site",
            "themes/default/templates/404.html:1:1",
        );
        assert!(err.contains("environ`, outside the site's folder"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }
    assert!(!site.join("public").exists());
}

/// The extra case of the same class: a static asset that is a link out of the site (it would be published
/// under a hashed name).
#[cfg(unix)]
#[test]
fn a_static_asset_linking_outside_the_site_is_refused() {
    let (tmp, site) = site_copy(true);
    let secret = tmp.path().join("id_ed25519");
    fs::write(&secret, "not really a key\n").unwrap_or_default();
    symlink(&secret, &site.join("themes/default/static/extra.css"));
    expect_content_error(
        &site,
        &["build"],
        "outside-site",
        "themes/default/static/extra.css:1:1",
    );
    assert!(!site.join("public").exists());
}

/// A page that links out of the site was skipped by `build` without a word: now it is an error located at
/// the link, for `build` as for `check`. So is a linked folder of pages that leads out (the extra case).
#[cfg(unix)]
#[test]
fn pages_and_folders_linking_outside_the_site_are_refused() {
    let (tmp, site) = site_copy(false);
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap_or_default();
    let page = "---\nid: guide-leak\nkind: guide\ntitle: Leak\nsummary: Outside.\nupdated: 2026-11-20\n---\n\nText.\n";
    fs::write(elsewhere.join("leak.md"), page).unwrap_or_default();
    symlink(
        &elsewhere.join("leak.md"),
        &site.join("content/guides/leak.md"),
    );
    for args in [&["build"][..], &["check"]] {
        expect_content_error(&site, args, "outside-site", "content/guides/leak.md:1:1");
    }
    fs::remove_file(site.join("content/guides/leak.md")).unwrap_or_default();
    symlink(&elsewhere, &site.join("content/more"));
    for args in [&["build"][..], &["check"]] {
        expect_content_error(&site, args, "outside-site", "content/more:1:1");
    }
    assert!(!site.join("public").exists());
}

/// A link whose target is inside the site is fine: `build` and `check` follow it (`serve` too, see
/// `tests/serve.rs`), where before `build` skipped it and `serve` published it.
#[cfg(unix)]
#[test]
fn a_page_linking_inside_the_site_is_built() {
    let (_tmp, site) = site_copy(false);
    fs::create_dir_all(site.join("drafts")).unwrap_or_default();
    let page = "---\nid: guide-mirror\nkind: guide\ntitle: Mirror\nsummary: Kept in drafts/.\nupdated: 2026-11-20\n---\n\nText.\n";
    fs::write(site.join("drafts/mirror.md"), page).unwrap_or_default();
    symlink(
        std::path::Path::new("../../drafts/mirror.md"),
        &site.join("content/guides/mirror.md"),
    );
    let checked = fixbook(&site, &["check"]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    let built = build_into_temp(&site, &[]);
    let html = fs::read_to_string(built.out.join("guides/mirror/index.html")).unwrap_or_default();
    assert!(html.contains("Kept in drafts/."), "{html}");
}

#[test]
fn a_page_saved_during_the_build_is_not_rendered_from_its_new_text() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    common::tiny_site(root, &[("guides/a.md", &common::guide_a("Text.\n"))]);
    let mut diags = Vec::new();
    let site = fixbook::load::load(root, &mut diags).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    let page = &site.pages[0];
    assert!(page.read_again(root).unwrap().ends_with("Text.\n"));
    // Saved again with the same length: the text read back is not the text validated.
    std::fs::write(root.join("content/guides/a.md"), common::guide_a("TeXt.\n")).unwrap();
    let err = page.read_again(root).unwrap_err();
    assert!(
        err.to_string()
            .contains("changed while the site was being built"),
        "{err}"
    );
}
