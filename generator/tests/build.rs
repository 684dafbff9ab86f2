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
    // No staging folder is left behind (only the output's lock file).
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

#[test]
fn search_index_finds_words_and_codes() {
    let built = build_into_temp(&fixture("good-site"), &[]);
    let out_dir = &built.out;
    let v: serde_json::Value =
        serde_json::from_slice(&fs::read(hashed_asset(out_dir, "search")).unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(v["v"], 1);
    let docs = v["docs"].as_array().cloned().unwrap_or_default();
    let urls_for = |term: &str| -> Vec<String> {
        let mut id = 0;
        v["terms"][term]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| {
                id += d.as_u64().unwrap_or(0) as usize;
                docs[id][0].as_str().unwrap_or("").to_string()
            })
            .collect()
    };
    // A word of the body (in a blockquote), a word of a title, and a code in canonical hex.
    assert!(
        urls_for("computer").contains(&"/errors/0x904/".to_string()),
        "{:?}",
        urls_for("computer")
    );
    assert!(urls_for("listener").contains(&"/fixes/renew-cert/".to_string()));
    assert!(urls_for("0x904").contains(&"/errors/0x904/".to_string()));
    assert!(urls_for("0x904").contains(&"/codes/disconnect/".to_string()));
    // Stop words are not indexed.
    assert!(v["terms"].get("the").is_none());
}

/// A theme's own templates: a syntax error and a rendering error are each reported at the template's line
/// and column, and the build fails without writing anything.
#[test]
fn template_errors_point_at_the_template_line_and_column() {
    let repo_theme = common::repo().join("themes/default");
    for (broken, expect) in [
        // A filter with no name: a syntax error.
        ("{{ page.title | }}", "page.html:11:"),
        // A filter that does not exist: found when templates are compiled.
        ("{{ page.title | shout }}", "page.html:11:"),
        // A value the context does not have: found while rendering a page.
        ("{{ page.no_such_field.deeper }}", "page.html:11:"),
    ] {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let site = tmp.path().join("site");
        copy_dir(&fixture("good-site"), &site);
        copy_dir(&repo_theme, &site.join("themes/default"));
        let page = site.join("themes/default/templates/page.html");
        let src = fs::read_to_string(&page).unwrap_or_default();
        // Inserted as the first line of the main block (line 11 of the file).
        let main = "{% block main %}\n";
        assert!(
            src.lines().nth(9) == Some(main.trim_end()),
            "page.html moved"
        );
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
        let index = fs::read_to_string(&path).unwrap_or_default();
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

    // A change the index does not hold (the page's date) keeps the name.
    let redated = text.replace("updated: 2026-11-20", "updated: 2026-11-21");
    assert_ne!(redated, text);
    fs::write(&guide, format!("{redated}\nA new word: zyxwvut.\n")).unwrap_or_default();
    assert_eq!(name(&site).0, second);
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
