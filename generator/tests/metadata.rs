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
