//! What link previews, search engines and feed readers read from the built guide: OpenGraph and Twitter
//! tags on every page kind, JSON-LD that parses (with a `BreadcrumbList` on content pages).

mod common;

use common::{build_into_temp, repo};

/// The value of `<meta property|name="key" content="...">` in `html`, if present.
fn meta<'a>(html: &'a str, attr: &str, key: &str) -> Option<&'a str> {
    let at = html.find(&format!("<meta {attr}=\"{key}\" content=\""))?;
    let rest = &html[at..];
    let start = rest.find("content=\"")? + "content=\"".len();
    rest[start..].split('"').next()
}

#[test]
fn every_page_has_social_metadata_and_parseable_structured_data() {
    let built = build_into_temp(&repo(), &[]);
    let base = "https://fixbook.example.org/";
    let mut pages = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(&built.out).into_iter().flatten() {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let rel = entry
            .path()
            .strip_prefix(&built.out)
            .unwrap_or(entry.path())
            .display()
            .to_string();
        // Redirects left by `aliases:` are not pages: they send the reader on at once.
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        pages += 1;
        kinds.insert(rel.split('/').next().unwrap_or("").to_string());
        for key in [
            "og:title",
            "og:description",
            "og:url",
            "og:type",
            "og:site_name",
        ] {
            let v = meta(&html, "property", key).unwrap_or_else(|| panic!("{rel}: no {key}"));
            assert!(!v.trim().is_empty(), "{rel}: empty {key}");
        }
        assert!(
            meta(&html, "property", "og:url").is_some_and(|u| u.starts_with(base)),
            "{rel}: og:url is absolute"
        );
        for key in ["twitter:card", "twitter:title", "twitter:description"] {
            assert!(meta(&html, "name", key).is_some(), "{rel}: no {key}");
        }
        for block in html.split("<script type=\"application/ld+json\">").skip(1) {
            let json = block.split("</script>").next().unwrap_or("");
            let v: serde_json::Value = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("{rel}: JSON-LD does not parse: {e}"));
            let items = v.as_array().cloned().unwrap_or_else(|| vec![v.clone()]);
            assert!(
                items.iter().all(|i| i["@context"] == "https://schema.org"),
                "{rel}: {v}"
            );
            if let Some(crumbs) = items.iter().find(|i| i["@type"] == "BreadcrumbList") {
                let list = crumbs["itemListElement"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                assert!(list.len() >= 2, "{rel}: {crumbs}");
                for (n, item) in list.iter().enumerate() {
                    assert_eq!(item["position"], n + 1, "{rel}: {item}");
                    assert!(
                        item["item"].as_str().is_some_and(|u| u.starts_with(base)),
                        "{rel}: {item}"
                    );
                }
            }
        }
    }
    assert!(pages > 100, "only {pages} pages walked");
    // Home and 404 at the top; every section, the checker and the code tables below.
    for kind in [
        "index.html",
        "404.html",
        "check",
        "codes",
        "errors",
        "causes",
        "fixes",
        "guides",
    ] {
        assert!(
            kinds.contains(kind),
            "no page of kind {kind} walked: {kinds:?}"
        );
    }
    let fix = std::fs::read_to_string(built.out.join("fixes/renew-rdp-cert/index.html"))
        .unwrap_or_default();
    assert!(
        fix.contains("\"@type\":\"BreadcrumbList\""),
        "content pages carry a BreadcrumbList"
    );
}

/// The Atom feed is well-formed XML in the Atom namespace, with the newest 50 pages by `updated` (newest
/// first), each with the id, link, updated and title a feed reader needs; the sitemap lists the checker and
/// the code tables' overview too.
#[test]
fn the_atom_feed_and_the_sitemap_are_complete() {
    let built = build_into_temp(&repo(), &[]);
    let xml = std::fs::read_to_string(built.out.join("atom.xml")).unwrap_or_default();
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("atom.xml: {e}"));
    let feed = doc.root_element();
    let atom = "http://www.w3.org/2005/Atom";
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(atom));
    fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
        n.children().find(|c| {
            c.tag_name().name() == name
                && c.tag_name().namespace() == Some("http://www.w3.org/2005/Atom")
        })
    }
    for name in ["title", "id", "updated", "author"] {
        assert!(child(feed, name).is_some(), "feed has no {name}");
    }
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    let pages = walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    assert_eq!(entries.len(), pages.min(50));
    let mut dates = Vec::new();
    for e in &entries {
        for name in ["title", "id", "updated", "link", "summary"] {
            assert!(child(*e, name).is_some(), "entry without {name}");
        }
        let id = child(*e, "id").and_then(|n| n.text()).unwrap_or("");
        let path = id.trim_start_matches("https://fixbook.example.org/");
        assert!(
            built.out.join(path).join("index.html").exists(),
            "entry {id} is a page"
        );
        dates.push(
            child(*e, "updated")
                .and_then(|n| n.text())
                .unwrap_or("")
                .to_string(),
        );
    }
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    let home = std::fs::read_to_string(built.out.join("index.html")).unwrap_or_default();
    assert!(
        home.contains("type=\"application/atom+xml\""),
        "pages announce the feed"
    );

    let sitemap = std::fs::read_to_string(built.out.join("sitemap.xml")).unwrap_or_default();
    roxmltree::Document::parse(&sitemap).unwrap_or_else(|e| panic!("sitemap.xml: {e}"));
    for url in ["check/", "codes/", "codes/errinfo/", "errors/0x904-0x7/"] {
        assert!(
            sitemap.contains(&format!("<loc>https://fixbook.example.org/{url}</loc>")),
            "sitemap lacks {url}"
        );
    }
}
