//! The files every site has (`outputs::Fixed`), rendered by one function for `build` and `serve`, so the
//! list of them is written once: a new fixed file is added to `Fixed`, rendered here, and `serve` must say
//! when it renders it (its match has no wildcard).

use fixbook_checker::KnowledgeIndex;

use super::templates::Renderer;
use crate::diag::Diagnostic;
use crate::model::Model;
use crate::outputs::{self, Fixed};

/// The contents of fixed file `f`. The knowledge index is asked for only by the files that show it:
/// `serve` derives it again after each change, and re-rendering the home page should not make it do so.
pub(crate) fn fixed<I: std::ops::Deref<Target = KnowledgeIndex>>(
    f: Fixed,
    renderer: &Renderer,
    model: &Model,
    index: impl FnOnce() -> I,
) -> Result<String, Diagnostic> {
    match f {
        Fixed::Home => renderer.index(&super::home::home_context(model)),
        Fixed::Check => renderer.simple("check.html", &[]),
        Fixed::NotFound => renderer.simple("404.html", &[]),
        Fixed::CodesOverview => renderer.code_overview(&index()),
        Fixed::CodesJson => Ok(crate::derive::codes_json(&index())),
        Fixed::Sitemap => Ok(sitemap(model)),
        Fixed::Feed => Ok(super::feed::atom(model)),
        Fixed::Robots => Ok(format!(
            "User-agent: *\nAllow: /\nSitemap: {}{}\n",
            model.site.config.base_url,
            Fixed::Sitemap.path()
        )),
    }
}

fn sitemap(model: &Model) -> String {
    let base = &model.site.config.base_url;
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    s.push_str(&format!("<url><loc>{base}</loc></url>\n"));
    // The checker and the code tables' overview are pages readers land on from search too.
    for fixed in [Fixed::Check, Fixed::CodesOverview] {
        let dir = fixed.path().trim_end_matches("index.html");
        s.push_str(&format!("<url><loc>{base}{dir}</loc></url>\n"));
    }
    // Every page of a split list: each is its own canonical URL.
    let per_page = model.site.config.section_page_size;
    for (name, pages) in &model.sections {
        for k in 1..=outputs::page_count(pages.len(), per_page) {
            let url = outputs::section_url(name, k);
            s.push_str(&format!(
                "<url><loc>{base}{}</loc></url>\n",
                url.trim_start_matches('/')
            ));
        }
    }
    for p in &model.site.pages {
        s.push_str(&format!(
            "<url><loc>{base}{}/{}/</loc><lastmod>{}</lastmod></url>\n",
            xml_escape(&p.section),
            xml_escape(&p.slug),
            xml_escape(&p.meta.updated)
        ));
    }
    for t in &model.site.tables {
        for k in 1..=outputs::page_count(t.rows.len(), outputs::CODE_TABLE_ROWS) {
            let url = outputs::code_table_url(&t.scheme, k);
            s.push_str(&format!(
                "<url><loc>{base}{}</loc></url>\n",
                xml_escape(url.trim_start_matches('/'))
            ));
        }
    }
    s.push_str("</urlset>\n");
    s
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
