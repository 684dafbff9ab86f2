//! Long lists split over pages: a section's index past `section_page_size` entries and a code table past
//! `outputs::CODE_TABLE_ROWS` rows. One list page of a 100,000-page site was 3.4 MB; each page of a split
//! list is bounded. `build` and `serve` render them through these functions, so they write the same pages.

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::Model;
use crate::outputs;

use super::templates::{page_ref, PageRef, Renderer};

/// A list page's place among its siblings, as templates see it (`pager`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Pager {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages the list has (1: not split; templates show no navigation then).
    pub count: usize,
    /// URL (with the base path) of the previous and next pages, if any.
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The absolute URL of this page, its own canonical URL (page 2 is not a copy of page 1).
    pub permalink: String,
    /// Absolute URLs of the previous and next pages, for `<link rel="prev"/"next">`.
    pub prev_permalink: Option<String>,
    pub next_permalink: Option<String>,
    /// The page numbers to link, in order: the first and the last, and two either side of this one; a gap
    /// between two entries is shown as an ellipsis (`gap_before`), so the navigation of a list of 250
    /// pages stays a line, not 250 links.
    pub links: Vec<PagerLink>,
    /// The 1-based positions of the first and last entries this page shows, and the list's total.
    pub first_item: usize,
    pub last_item: usize,
    pub total: usize,
}

/// One numbered link of a pager.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PagerLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    pub gap_before: bool,
}

impl Pager {
    /// Page `k` of `count` pages of a list of `total` entries, `per_page` per page, whose page URLs
    /// (site-relative) `url(k)` makes.
    pub(crate) fn new(
        model: &Model,
        k: usize,
        count: usize,
        total: usize,
        per_page: usize,
        url: impl Fn(usize) -> String,
    ) -> Pager {
        let prefixed = |n: usize| model.prefixed(&url(n));
        let absolute = |n: usize| {
            format!(
                "{}{}",
                model.site.config.base_url,
                url(n).trim_start_matches('/')
            )
        };
        let mut numbers: Vec<usize> = [1, count]
            .into_iter()
            .chain(k.saturating_sub(2).max(1)..=(k + 2).min(count))
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut links = Vec::with_capacity(numbers.len());
        let mut last = 0;
        for n in numbers {
            links.push(PagerLink {
                number: n,
                url: prefixed(n),
                current: n == k,
                gap_before: n > last + 1 && last > 0,
            });
            last = n;
        }
        Pager {
            current: k,
            count,
            prev: (k > 1).then(|| prefixed(k - 1)),
            next: (k < count).then(|| prefixed(k + 1)),
            permalink: absolute(k),
            prev_permalink: (k > 1).then(|| absolute(k - 1)),
            next_permalink: (k < count).then(|| absolute(k + 1)),
            links,
            first_item: ((k - 1) * per_page + 1).min(total),
            last_item: (k * per_page).min(total),
            total,
        }
    }
}

/// Every index page of section `name` (whose pages, in order, are `pages`), as `(output path, HTML)`.
pub(crate) fn section_pages(
    r: &Renderer,
    model: &Model,
    name: &str,
    pages: &[usize],
) -> Vec<(String, Result<String, Diagnostic>)> {
    let per_page = model.site.config.section_page_size.max(1);
    let count = outputs::page_count(pages.len(), per_page);
    (1..=count)
        .map(|k| {
            let shown = pages
                .chunks(per_page)
                .nth(k - 1)
                .unwrap_or(&[])
                .iter()
                .filter_map(|&i| model.site.pages.get(i))
                .map(|p| page_ref(model, p))
                .collect::<Vec<PageRef>>();
            let pager = Pager::new(model, k, count, pages.len(), per_page, |n| {
                outputs::section_url(name, n)
            });
            (
                outputs::section(name, k),
                r.section_page(model, name, &shown, &pager),
            )
        })
        .collect()
}

/// The index pages that sections had before an edit and have no more, from the sections' `(name, title,
/// page count)` before and after it: `serve` removes them when a section gets shorter (it re-renders the
/// pages that remain, as the section's entries moved).
pub(crate) fn dropped_pages(
    model: &Model,
    before: &[(String, String, usize)],
    after: &[(String, String, usize)],
) -> Vec<String> {
    before
        .iter()
        .flat_map(|(name, _, n)| {
            let now = after
                .iter()
                .find(|(a, _, _)| a == name)
                .map_or(0, |(_, _, m)| *m);
            dropped_section_pages(model, name, *n, now)
        })
        .collect()
}

/// The output paths of a section's index pages that a section of `before` pages had and one of `after`
/// pages has not.
fn dropped_section_pages(model: &Model, name: &str, before: usize, after: usize) -> Vec<String> {
    let per_page = model.site.config.section_page_size.max(1);
    let had = outputs::page_count(before, per_page);
    let has = outputs::page_count(after, per_page);
    (has + 1..=had).map(|k| outputs::section(name, k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(p: &Pager) -> Vec<(usize, bool, bool)> {
        p.links
            .iter()
            .map(|l| (l.number, l.current, l.gap_before))
            .collect()
    }

    fn model() -> Model {
        let cfg: crate::config::Config = toml::from_str(
            "title = \"t\"\nbase_url = \"https://example.org/kb/\"\nsection_page_size = 3\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let site = crate::load::Site {
            root: std::path::PathBuf::new(),
            config: cfg,
            pages: Vec::new(),
            tables: Vec::new(),
            unloaded: Vec::new(),
        };
        Model::new(site, Vec::new())
    }

    #[test]
    fn a_pager_links_the_ends_and_the_neighbours_with_gaps_between() {
        let m = model();
        let p = Pager::new(&m, 6, 250, 750, 3, |n| outputs::section_url("errors", n));
        assert_eq!(
            numbers(&p),
            vec![
                (1, false, false),
                (4, false, true),
                (5, false, false),
                (6, true, false),
                (7, false, false),
                (8, false, false),
                (250, false, true)
            ]
        );
        assert_eq!(p.prev.as_deref(), Some("/kb/errors/page/5/"));
        assert_eq!(p.next.as_deref(), Some("/kb/errors/page/7/"));
        assert_eq!(p.permalink, "https://example.org/kb/errors/page/6/");
        assert_eq!((p.first_item, p.last_item), (16, 18));
        let first = Pager::new(&m, 1, 2, 4, 3, |n| outputs::section_url("errors", n));
        assert_eq!(first.prev, None);
        assert_eq!(first.prev_permalink, None);
        assert_eq!(first.permalink, "https://example.org/kb/errors/");
        assert_eq!(numbers(&first), vec![(1, true, false), (2, false, false)]);
        let last = Pager::new(&m, 2, 2, 4, 3, |n| outputs::section_url("errors", n));
        assert_eq!(last.next, None);
        assert_eq!(last.prev.as_deref(), Some("/kb/errors/"));
        assert_eq!((last.first_item, last.last_item), (4, 4));
    }

    #[test]
    fn a_shorter_section_drops_its_last_index_pages() {
        let m = model();
        assert_eq!(
            dropped_section_pages(&m, "errors", 10, 4),
            vec![
                "errors/page/3/index.html".to_string(),
                "errors/page/4/index.html".to_string()
            ]
        );
        assert!(dropped_section_pages(&m, "errors", 4, 10).is_empty());
        assert!(dropped_section_pages(&m, "errors", 6, 4).is_empty());
    }
}
