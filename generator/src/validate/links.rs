//! Internal links and `#anchors` in page bodies point at something that exists.
//!
//! Every target is a hash lookup (pages by path, anchors in a set per page), so checking is linear in the
//! number of links, whatever the size of the site.

use std::collections::HashSet;

use rayon::prelude::*;

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::markdown::link_target::{classify, LinkTarget};
use crate::model::Model;

pub(super) fn check(model: &Model, scope: super::Scope<'_>, out: &mut Vec<Diagnostic>) {
    let per_page = model.site.config.section_page_size.max(1);
    let sections: HashSet<String> = model
        .sections
        .iter()
        .flat_map(|(s, pages)| {
            (1..=crate::outputs::page_count(pages.len(), per_page))
                .map(move |k| crate::outputs::section_url(s, k))
        })
        .collect();
    // Each page of each code table with the row anchors it holds; a row is linked on its page only.
    let mut tables: Vec<(String, HashSet<String>)> = Vec::new();
    for t in &model.site.tables {
        let first = tables.len();
        for r in &t.rows {
            let Some(value) = super::codes::canonical(t, &r.value) else {
                continue;
            };
            let url = crate::outputs::code_row_url(model, &t.scheme, &value);
            let page = url.split('#').next().unwrap_or("").to_string();
            let this_table = tables.get_mut(first..).unwrap_or_default();
            match this_table.iter_mut().find(|(u, _)| *u == page) {
                Some((_, anchors)) => {
                    anchors.insert(value);
                }
                None => tables.push((page, HashSet::from([value]))),
            }
        }
        if tables.len() == first {
            tables.push((crate::outputs::code_table_url(&t.scheme, 1), HashSet::new()));
        }
    }
    // Pages are checked in parallel: on a large site this is the longest of validation's checks.
    let known = Known { sections, tables };
    let found: Vec<Vec<Diagnostic>> = (0..model.site.pages.len())
        .into_par_iter()
        .filter(|&i| scope.has(i))
        .map(|i| {
            let mut v = Vec::new();
            check_page(model, &known, i, &mut v);
            v
        })
        .collect();
    out.extend(found.into_iter().flatten());
}

/// What a link may point at besides a page: section index pages, and each code table page with its rows.
struct Known {
    sections: HashSet<String>,
    tables: Vec<(String, HashSet<String>)>,
}

/// The links of page `i`.
fn check_page(model: &Model, known: &Known, i: usize, out: &mut Vec<Diagnostic>) {
    let Known { sections, tables } = known;
    let (p, body) = (&model.site.pages[i], &model.bodies[i]);
    for link in &body.links {
        // Only problems need a position; computing it scans the file.
        let pos = || p.pos(p.body_start + link.offset);
        match classify(&link.dest) {
            LinkTarget::Local => {}
            LinkTarget::OtherScheme(scheme) => {
                out.push(bad_scheme(&p.file, pos(), &scheme, link.image));
                continue;
            }
            LinkTarget::Web | LinkTarget::Mail => {
                if link.image {
                    out.push(
                        Diagnostic::new(
                            Code::ExternalImage,
                            &p.file,
                            pos(),
                            format!("image `{}` is on another site", link.dest),
                        )
                        .help(
                            "the page's Content-Security-Policy (img-src 'self') blocks images from \
                             other sites, so it would show broken: serve the image from this site and \
                             link it root-relative, or link to it as a page instead (`[...](https://...)`)",
                        ),
                    );
                }
                continue;
            }
        }
        let (path, anchor) = match link.dest.split_once('#') {
            Some((path, a)) => (path, Some(a)),
            None => (link.dest.as_str(), None),
        };
        let path = path.split('?').next().unwrap_or("");
        if path.is_empty() {
            // Same page.
            if let Some(a) = anchor {
                if !body.has_anchor(a) {
                    out.push(broken_anchor(
                        &p.file,
                        pos(),
                        a,
                        "this page",
                        body.anchors(),
                    ));
                }
            }
            continue;
        }
        if !path.starts_with('/') {
            out.push(
                Diagnostic::new(
                    Code::BrokenLink,
                    &p.file,
                    pos(),
                    format!("link `{}` is relative", link.dest),
                )
                .help("write internal links root-relative, like `/fixes/renew-rdp-certificate/`"),
            );
            continue;
        }
        if let Some(&i) = model.by_path.get(path) {
            if let Some(a) = anchor {
                let target = &model.bodies[i];
                if !target.has_anchor(a) {
                    out.push(broken_anchor(&p.file, pos(), a, path, target.anchors()));
                }
            }
            continue;
        }
        if let Some((_, anchors)) = tables.iter().find(|(u, _)| u == path) {
            if let Some(a) = anchor {
                if !anchors.contains(a) {
                    let elsewhere = tables.iter().find(|(u, anchors)| {
                        anchors.contains(a)
                            && u.starts_with(path.split("page/").next().unwrap_or(path))
                    });
                    let mut d =
                        broken_anchor(&p.file, pos(), a, path, anchors.iter().map(String::as_str));
                    if let Some((u, _)) = elsewhere {
                        // A long table is split: the row is on another of its pages.
                        d = d.help(format!(
                            "the row is on the table's page `{u}`: link `{u}#{a}`"
                        ));
                    }
                    out.push(d);
                }
            }
            continue;
        }
        if model.site.is_unloaded_path(path) {
            continue;
        }
        if path == "/"
            || path == "/check/"
            || path == "/codes/"
            || path == "/codes.json"
            || sections.contains(path)
        {
            continue;
        }
        let help = if !path.ends_with('/') && model.by_path.contains_key(&format!("{path}/")) {
            format!("add the trailing slash: `{path}/`")
        } else {
            match did_you_mean(path, model.by_path.keys().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "link to an existing page as `/<section>/<slug>/`".to_string(),
            }
        };
        out.push(
            Diagnostic::new(
                Code::BrokenLink,
                &p.file,
                pos(),
                format!("link target `{path}` does not exist"),
            )
            .help(help),
        );
    }
}

/// A link or image with a scheme other than http, https or mailto: `javascript:` and `data:` run or show
/// whatever the author wrote under the site's name, and `file:` and the rest do not work on the web.
fn bad_scheme(
    file: &std::path::Path,
    pos: crate::diag::Pos,
    scheme: &str,
    image: bool,
) -> Diagnostic {
    let what = if image { "image" } else { "link" };
    Diagnostic::new(
        Code::LinkScheme,
        file,
        pos,
        format!("{what} with the `{scheme}:` scheme"),
    )
    .help(
        "links may be http:, https:, mailto:, root-relative (`/fixes/...`) or relative; images must be \
         root-relative or relative; to show code, put it in a code block instead",
    )
}

fn broken_anchor<'a>(
    file: &std::path::Path,
    pos: crate::diag::Pos,
    anchor: &str,
    page: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Diagnostic {
    let ids: Vec<&str> = candidates.collect();
    let help = match did_you_mean(anchor, ids.iter().copied()) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if ids.is_empty() => {
            "that page has no heading ids; give a heading one with `## Title {#id}`".to_string()
        }
        None => {
            // The ids there, so the right one can be picked without opening the page.
            const SHOWN: usize = 8;
            let mut list: Vec<String> = ids.iter().take(SHOWN).map(|i| format!("`#{i}`")).collect();
            if ids.len() > SHOWN {
                list.push(format!("and {} more", ids.len() - SHOWN));
            }
            format!(
                "link to one of the ids on that page: {}; or give a heading an id with `## Title {{#id}}`",
                list.join(", ")
            )
        }
    };
    Diagnostic::new(
        Code::BrokenAnchor,
        file,
        pos,
        format!("`#{anchor}` does not exist on {page}"),
    )
    .help(help)
}
