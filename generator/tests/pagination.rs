//! Long lists split over pages: section indexes past `section_page_size` entries and code tables past 500
//! rows. The `paged-site` fixture lists 3 pages per section index (7 guides: 3 index pages); the tests add
//! 1,100 generated rows in front of its `disconnect` table in a temporary copy (1,102 rows: 3 pages, with
//! the rows of the fixture's error page, 0x904 and 0x204, on the third).

// A failed expectation in a test is a panic.
#![allow(clippy::panic)]

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use common::{build_into_temp, copy_dir, fixbook, fixture, stderr};

const BASE: &str = "https://kb.example.org/";
const GENERATED_ROWS: usize = 1100;

/// The fixture with its `disconnect` table made long, in a temporary folder.
fn paged_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("site");
    copy_dir(&fixture("paged-site"), &root);
    let table = root.join("content/codes/disconnect.yaml");
    let text = std::fs::read_to_string(&table).unwrap_or_else(|e| panic!("{e}"));
    let mut rows = String::from("rows:\n");
    for n in 0..GENERATED_ROWS {
        rows.push_str(&format!(
            "  - value: {:#x}\n    name: generatedReason{n}\n    meaning: Generated reason number {n}.\n",
            0x10000 + n
        ));
    }
    assert!(text.contains("rows:\n"));
    std::fs::write(&table, text.replacen("rows:\n", &rows, 1)).unwrap_or_else(|e| panic!("{e}"));
    (tmp, root)
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The values of attribute `attr` in `html` (`href="..."`).
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|j| &rest[..j])
        })
        .collect()
}

/// The titles of a section index page's list, in order.
fn listed(html: &str) -> Vec<String> {
    let list = html
        .split_once("<ul class=\"page-list\">")
        .and_then(|(_, r)| r.split_once("</ul>"))
        .map_or("", |(l, _)| l);
    list.split("<li><a href=\"")
        .skip(1)
        .filter_map(|item| {
            let (_, rest) = item.split_once("\">")?;
            rest.split_once("</a>").map(|(t, _)| t.to_string())
        })
        .collect()
}

#[test]
fn section_indexes_are_paginated_with_rel_links_navigation_and_sitemap_entries() {
    let (_tmp, root) = paged_site();
    let built = build_into_temp(&root, &[]);
    let out = &built.out;
    assert!(out.join("guides/index.html").is_file());
    assert!(out.join("guides/page/2/index.html").is_file());
    assert!(out.join("guides/page/3/index.html").is_file());
    assert!(!out.join("guides/page/4").exists());
    assert!(
        !out.join("guides/page/1").exists(),
        "page 1 is the section's own URL"
    );
    // Short sections keep one page.
    assert!(!out.join("errors/page").exists());

    let pages: Vec<String> = [
        "guides/index.html",
        "guides/page/2/index.html",
        "guides/page/3/index.html",
    ]
    .iter()
    .map(|p| read(out, p))
    .collect();
    // Every guide once, in the section's order (titles without a leading article), 3 to a page.
    let titles: Vec<Vec<String>> = pages.iter().map(|h| listed(h)).collect();
    assert_eq!(
        titles.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![3, 3, 1]
    );
    let all: Vec<String> = titles.concat();
    assert_eq!(
        all,
        vec![
            "Before you call the help desk",
            "Collecting the client's log",
            "Finding the server's events",
            "Glossary of connection terms",
            "How an RDP connection starts",
            "Reading a disconnect code",
            "Why a connection is slow",
        ]
        .into_iter()
        .map(|t| t.replace('\'', "&#39;"))
        .collect::<Vec<_>>(),
        "{all:?}"
    );

    let p2 = &pages[1];
    assert!(
        p2.contains(&format!(
            "<link rel=\"canonical\" href=\"{BASE}guides/page/2/\">"
        )),
        "{p2}"
    );
    assert!(p2.contains(&format!("<link rel=\"prev\" href=\"{BASE}guides/\">")));
    assert!(p2.contains(&format!(
        "<link rel=\"next\" href=\"{BASE}guides/page/3/\">"
    )));
    assert!(p2.contains("<nav class=\"pager\" aria-label=\"Guides: index pages\">"));
    assert!(p2.contains("Page 2 of 3"));
    assert!(p2.contains("href=\"/guides/page/2/\" aria-current=\"page\""));
    assert!(p2.contains("<a class=\"pager-prev\" href=\"/guides/\" rel=\"prev\">"));
    assert!(p2.contains("<a class=\"pager-next\" href=\"/guides/page/3/\" rel=\"next\">"));
    let p1 = &pages[0];
    assert!(p1.contains(&format!("<link rel=\"canonical\" href=\"{BASE}guides/\">")));
    assert!(!p1.contains("rel=\"prev\""));
    assert!(p1.contains(&format!(
        "<link rel=\"next\" href=\"{BASE}guides/page/2/\">"
    )));
    let p3 = &pages[2];
    assert!(!p3.contains("rel=\"next\""));
    assert!(p3.contains("Entries 7–7 of 7"));
    // A section of one page has no navigation.
    assert!(!read(out, "errors/index.html").contains("class=\"pager\""));

    let sitemap = read(out, "sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap_or_else(|e| panic!("{e}"));
    let locs: HashSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    for url in [
        "guides/",
        "guides/page/2/",
        "guides/page/3/",
        "codes/disconnect/",
        "codes/disconnect/page/2/",
        "codes/disconnect/page/3/",
        "codes/extended/",
    ] {
        assert!(
            locs.contains(format!("{BASE}{url}").as_str()),
            "{url}: {locs:?}"
        );
    }
    assert!(!locs
        .iter()
        .any(|l| l.ends_with("/page/4/") || l.ends_with("/page/1/")));
}

#[test]
fn long_code_tables_are_split_and_every_row_link_points_at_the_page_holding_the_row() {
    let (_tmp, root) = paged_site();
    let built = build_into_temp(&root, &[]);
    let out = &built.out;
    let rows = |rel: &str| read(out, rel).matches("<tr id=\"").count();
    assert_eq!(rows("codes/disconnect/index.html"), 500);
    assert_eq!(rows("codes/disconnect/page/2/index.html"), 500);
    assert_eq!(
        rows("codes/disconnect/page/3/index.html"),
        GENERATED_ROWS + 2 - 1000
    );
    assert!(!out.join("codes/disconnect/page/4").exists());
    let p3 = read(out, "codes/disconnect/page/3/index.html");
    assert!(p3.contains("<tr id=\"0x904\">"));
    assert!(p3.contains(&format!(
        "<link rel=\"canonical\" href=\"{BASE}codes/disconnect/page/3/\">"
    )));
    assert!(p3.contains(&format!(
        "<link rel=\"prev\" href=\"{BASE}codes/disconnect/page/2/\">"
    )));
    // The filter searches its page only, and says so; the other pages are linked.
    let p1 = read(out, "codes/disconnect/index.html");
    assert!(p1.contains("Filter the 500 rows of this page"), "{p1}");
    assert!(p1.contains("the filter below searches them only"));
    assert!(p1.contains("href=\"/codes/disconnect/page/3/\""));
    assert!(p1.contains(&format!(
        "<link rel=\"next\" href=\"{BASE}codes/disconnect/page/2/\">"
    )));
    // A short table is one page with no navigation.
    let extended = read(out, "codes/extended/index.html");
    assert!(!extended.contains("class=\"pager\"") && !extended.contains("rel=\"next\""));

    // The error page's code table, codes.json, the knowledge index and the search index link the row
    // where it is.
    let row = "/codes/disconnect/page/3/#0x904";
    assert!(read(out, "errors/0x904/index.html").contains(&format!("href=\"{row}\"")));
    let codes: serde_json::Value =
        serde_json::from_str(&read(out, "codes.json")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(codes["codes"]["disconnect:0x904"]["url"], row);
    assert_eq!(
        codes["codes"]["disconnect:0x10000"]["url"],
        "/codes/disconnect/#0x10000"
    );
    assert_eq!(
        codes["codes"]["disconnect:0x101f4"]["url"],
        "/codes/disconnect/page/2/#0x101f4"
    );
    let assets = walkdir::WalkDir::new(out.join("assets"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect::<Vec<_>>();
    assert!(
        assets.iter().any(|t| t.contains(row)),
        "no knowledge bucket links {row}"
    );
    assert!(
        assets
            .iter()
            .any(|t| t.contains("\"/codes/disconnect/page/3/\"")),
        "no search fragment links the third page"
    );
    // The overview lists each table's pages.
    let overview = read(out, "codes/index.html");
    assert!(overview.contains("In 3 pages:"), "{overview}");
    for url in [
        "/codes/disconnect/",
        "/codes/disconnect/page/2/",
        "/codes/disconnect/page/3/",
    ] {
        assert!(overview.contains(&format!("href=\"{url}\"")), "{url}");
    }
}

/// The files of `out` that a root-relative URL names, with the ids in them (read once per file).
struct Output<'a> {
    out: &'a Path,
    ids: BTreeMap<PathBuf, Option<HashSet<String>>>,
}

impl Output<'_> {
    /// Whether `url` (root-relative, possibly with `#anchor`) names a file, and an element with that id.
    fn resolves(&mut self, url: &str) -> Result<(), String> {
        let (path, anchor) = url.split_once('#').unwrap_or((url, ""));
        // `#check=...` is the checker's link to decoded codes, not an element.
        let anchor = if anchor.contains('=') { "" } else { anchor };
        let path = path.split('?').next().unwrap_or("");
        let rel = path.trim_start_matches('/');
        let file = if rel.is_empty() || rel.ends_with('/') {
            self.out.join(rel).join("index.html")
        } else {
            self.out.join(rel)
        };
        let ids = self.ids.entry(file.clone()).or_insert_with(|| {
            let html = std::fs::read_to_string(&file).ok()?;
            Some(attrs(&html, "id").into_iter().map(String::from).collect())
        });
        let Some(ids) = ids else {
            return Err(format!("no file {}", file.display()));
        };
        if !anchor.is_empty() && !ids.contains(anchor) {
            return Err(format!("no id `{anchor}` in {}", file.display()));
        }
        Ok(())
    }
}

#[test]
fn every_internal_link_in_the_whole_output_resolves_to_a_file_and_anchor() {
    let (_tmp, root) = paged_site();
    let built = build_into_temp(&root, &[]);
    let out = &built.out;
    let mut output = Output {
        out,
        ids: BTreeMap::new(),
    };
    let mut problems = Vec::new();
    let (mut links, mut row_links) = (0, 0);
    for entry in walkdir::WalkDir::new(out).into_iter().flatten() {
        let path = entry.path();
        let name = path.to_string_lossy().into_owned();
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let mut urls: Vec<String> = Vec::new();
        if name.ends_with(".html") {
            let own = path
                .strip_prefix(out)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let own = format!("/{}", own.trim_end_matches("index.html"));
            for a in attrs(&text, "href").into_iter().chain(attrs(&text, "src")) {
                if let Some(anchor) = a.strip_prefix('#') {
                    if !anchor.is_empty() && !anchor.contains('=') {
                        urls.push(format!("{own}#{anchor}"));
                    }
                } else if let Some(rest) = a.strip_prefix(BASE) {
                    urls.push(format!("/{rest}"));
                } else if a.starts_with('/') && !a.starts_with("//") {
                    urls.push(a.to_string());
                }
            }
        } else if name.ends_with(".json") {
            // Row and table URLs in codes.json and in the knowledge and search indexes' files.
            for (i, _) in text.match_indices("\"/codes/") {
                let rest = &text[i + 1..];
                if let Some(j) = rest.find('"') {
                    urls.push(rest[..j].to_string());
                }
            }
        }
        for url in urls {
            links += 1;
            row_links += usize::from(url.starts_with("/codes/") && url.contains('#'));
            if let Err(e) = output.resolves(&url) {
                problems.push(format!("{name}: {url}: {e}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} broken:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        links > 3000 && row_links > 2000,
        "{links} links, {row_links} to rows"
    );
}

#[test]
fn a_link_to_a_row_on_another_page_of_its_table_is_reported_with_the_right_url() {
    let (_tmp, root) = paged_site();
    let guide = root.join("content/guides/overview.md");
    let text = std::fs::read_to_string(&guide).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        &guide,
        format!("{text}\nSee [0x904](/codes/disconnect/#0x904) and [0x10001](/codes/disconnect/#0x10001) and [0x204](/codes/disconnect/page/3/#0x204).\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let o = fixbook(&root, &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[broken-anchor]: `#0x904` does not exist on /codes/disconnect/"),
        "{err}"
    );
    assert!(
        err.contains("link `/codes/disconnect/page/3/#0x904`"),
        "{err}"
    );
    assert_eq!(err.matches("error[").count(), 1, "{err}");
}

#[test]
fn a_page_named_page_collides_with_its_sections_index_pages() {
    let (_tmp, root) = paged_site();
    std::fs::write(
        root.join("content/guides/page.md"),
        "---\nid: guide-page\nkind: guide\ntitle: Page\nsummary: A page named page.\nupdated: 2026-11-20\n---\n\nText.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let o = fixbook(&root, &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[output-collision]"), "{err}");
    assert!(err.contains("content/guides/page.md:1:1"), "{err}");
    assert!(
        err.contains("section `guides`'s further index pages"),
        "{err}"
    );
}

#[test]
fn a_section_page_size_of_zero_or_not_a_number_is_a_config_error_at_its_line() {
    for (value, says) in [("0", "section_page_size is 0"), ("\"ten\"", "invalid type")] {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        copy_dir(&fixture("paged-site"), tmp.path());
        let cfg = tmp.path().join("site.toml");
        let text = std::fs::read_to_string(&cfg).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            &cfg,
            text.replace(
                "section_page_size = 3",
                &format!("section_page_size = {value}"),
            ),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let o = fixbook(tmp.path(), &["check"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{value}: {err}");
        assert!(err.contains(says), "{value}: {err}");
        // The key is on line 4 of the fixture's site.toml.
        assert!(err.contains("site.toml:4:"), "{value}: {err}");
    }
}

#[test]
fn a_code_table_row_lists_a_few_of_the_error_pages_showing_its_code_and_counts_the_rest() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = tmp.path().join("site");
    copy_dir(&fixture("paged-site"), &root);
    let error = read(&root, "content/errors/0x904.md");
    // Nine error pages show 0x904: the row lists six and counts three.
    for n in 1..9 {
        let copy = error
            .replacen("id: error-0x904", &format!("id: error-0x904-{n}"), 1)
            .replacen(
                "title: Error code 0x904",
                &format!("title: Error code 0x904 ({n})"),
                1,
            );
        std::fs::write(root.join(format!("content/errors/0x904-{n}.md")), copy)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let built = build_into_temp(&root, &[]);
    let html = read(&built.out, "codes/disconnect/index.html");
    let row = html
        .split("<tr id=\"0x904\">")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap_or_else(|| panic!("no row 0x904"));
    assert_eq!(row.matches("href=\"/errors/0x904").count(), 6, "{row}");
    assert!(
        row.contains("and 3 more (search for <code>0x904</code>)"),
        "{row}"
    );
}
