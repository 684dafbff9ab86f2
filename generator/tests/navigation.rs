//! Navigation on the built guide: every page's table of contents lists the sections the template adds
//! ("Codes on this page", "Candidate causes, ranked", "Sources", ...) as well as the body's headings, in the
//! order the page shows them, and every entry leads to exactly one element of the page.

mod common;

use common::{build_into_temp, repo};

/// The `id="..."` values of a page, in page order.
fn ids(html: &str) -> Vec<&str> {
    html.match_indices(" id=\"")
        .filter_map(|(i, m)| html.get(i + m.len()..)?.split('"').next())
        .collect()
}

/// The `href="#..."` targets of the page's table of contents (`<nav class="toc" ...>...</nav>`).
fn toc(html: &str) -> Vec<&str> {
    let Some(start) = html.find("<nav class=\"toc\"") else {
        return Vec::new();
    };
    let nav = &html[start..];
    let nav = &nav[..nav.find("</nav>").expect("the TOC's nav closes")];
    nav.match_indices("href=\"#")
        .filter_map(|(i, m)| nav.get(i + m.len()..)?.split('"').next())
        .collect()
}

#[test]
fn every_toc_entry_leads_to_one_element_in_page_order_and_lists_the_generated_sections() {
    let built = build_into_temp(&repo(), &[]);
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&built.out).into_iter().flatten() {
        let path = e.path();
        let rel = path
            .strip_prefix(&built.out)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let section = rel.split('/').next().unwrap_or_default();
        if !["errors", "causes", "fixes", "guides"].contains(&section)
            || !rel.ends_with("/index.html")
            || rel.matches('/').count() != 2
        {
            continue;
        }
        let html = std::fs::read_to_string(path).unwrap();
        let all = ids(&html);
        let entries = toc(&html);
        assert!(!entries.is_empty(), "{rel} has a table of contents");
        let mut last = None;
        for id in &entries {
            let at: Vec<usize> = all
                .iter()
                .enumerate()
                .filter(|(_, x)| *x == id)
                .map(|(i, _)| i)
                .collect();
            assert_eq!(
                at.len(),
                1,
                "{rel}: #{id} names exactly one element (found {})",
                at.len()
            );
            assert!(
                last < Some(at[0]),
                "{rel}: #{id} is listed out of page order"
            );
            last = Some(at[0]);
        }
        // The sections the template adds are listed whenever the page has them.
        for (class, id) in [
            ("codes", "_codes"),
            ("causes", "_causes"),
            ("fixes", "_fixes"),
            ("explains", "_explains"),
            ("resolves", "_resolves"),
            ("related", "_related"),
            ("sources", "_sources"),
        ] {
            let has = html.contains(&format!("<section class=\"{class}\""));
            assert_eq!(
                entries.contains(&id),
                has,
                "{rel}: TOC entry #{id} iff the page has the section"
            );
        }
        pages += 1;
    }
    assert!(pages > 100, "the guide's pages were walked ({pages})");
}

#[test]
fn the_error_page_toc_names_its_generated_sections() {
    let built = build_into_temp(&repo(), &[]);
    let html = std::fs::read_to_string(built.out.join("errors/0x904-0x7/index.html")).unwrap();
    let nav = &html[html.find("<nav class=\"toc\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    for title in [
        "Codes on this page",
        "Candidate causes, ranked",
        "Related",
        "Sources",
    ] {
        assert!(nav.contains(&format!(">{title}</a>")), "{title} in {nav}");
    }
}

/// The section of the home page between `<h2 id="{id}">` and the next `<h2`.
fn home_section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<h2 id=\"{id}\">"))
        .unwrap_or_else(|| panic!("#{id} on the home page"));
    let rest = &html[start + 4..];
    &rest[..rest.find("<h2").unwrap_or(rest.len())]
}

#[test]
fn the_home_page_groups_error_pages_by_stage_and_by_client_from_the_content() {
    let built = build_into_temp(&repo(), &[]);
    let html = std::fs::read_to_string(built.out.join("index.html")).unwrap();
    let clients = home_section(&html, "by-client-h");
    // Each client of site.toml that an error page names is a group, in site.toml's order.
    let labels = [
        "Windows Remote Desktop Connection (mstsc)",
        "FreeRDP and Remmina",
        "xrdp",
        "Apache Guacamole",
        "Event Viewer",
    ];
    let at: Vec<usize> = labels
        .iter()
        .map(|l| {
            clients
                .find(&format!(">{l}</h3>"))
                .unwrap_or_else(|| panic!("group {l}"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "groups in site.toml's order"
    );
    // A page is in the group its `clients:` names: the xrdp group holds xrdp's login failure, and not
    // FreeRDP's pages.
    let xrdp = &clients[at[2]..at[3]];
    assert!(
        xrdp.contains("href=\"/errors/xrdp-login-failed/\""),
        "{xrdp}"
    );
    assert!(!xrdp.contains("/errors/freerdp-"), "{xrdp}");
    // By stage: 0x904 / 0x7's first cause is a TLS one, so it is in the TLS group.
    let stages = home_section(&html, "by-stage-h");
    let tls = &stages[stages.find(">TLS</h3>").expect("a TLS group")..];
    let tls = &tls[..tls.find("</section>").unwrap()];
    assert!(tls.contains("href=\"/errors/0x904-0x7/\""), "{tls}");
    // Every link of the groups and of the guides leads to a built page.
    for id in ["by-stage-h", "by-client-h", "guides-h"] {
        let s = home_section(&html, id);
        let hrefs: Vec<&str> = s
            .match_indices("href=\"")
            .filter_map(|(i, m)| s.get(i + m.len()..)?.split('"').next())
            .collect();
        assert!(!hrefs.is_empty(), "{id} has links");
        for h in hrefs {
            let file = built.out.join(h.trim_start_matches('/')).join("index.html");
            assert!(file.is_file(), "{id}: {h} is a page");
        }
    }
    assert!(home_section(&html, "guides-h").contains("href=\"/guides/where-a-connection-fails/\""));
}

#[test]
fn a_site_without_stages_or_clients_lists_its_error_pages_instead() {
    let built = build_into_temp(&common::fixture("good-site"), &[]);
    let html = std::fs::read_to_string(built.out.join("index.html")).unwrap();
    assert!(!html.contains("by-client-h") && !html.contains("by-stage-h"));
    assert!(html.contains("<h2 id=\"featured-h\">Common errors</h2>"));
}
