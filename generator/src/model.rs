//! The site as later stages see it: loaded pages with their rendered bodies and URLs, indexed by id and URL.
//!
//! Built once after load and Markdown rendering; validate, derive and render only read it.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use crate::load::{Page, Site};
use crate::markdown::Body;

/// A loaded site with rendered bodies and lookup tables.
pub struct Model {
    pub site: Site,
    /// `bodies[i]` belongs to `site.pages[i]`.
    pub bodies: Vec<Body>,
    /// The base path of every URL: `/` or `/kb/`.
    pub base_path: String,
    /// Page index by id (the first page with that id when ids repeat; validate reports duplicates).
    pub by_id: HashMap<String, usize>,
    /// Page index by its site-relative path `/<section>/<slug>/`.
    pub by_path: HashMap<String, usize>,
    /// Sections in name order, each with its pages' indices sorted for navigation.
    pub sections: Vec<(String, Vec<usize>)>,
    /// For each table (by scheme): canonical value -> row index. Built once so that checking and rendering
    /// a code is a hash lookup, not a scan of the table.
    pub rows: HashMap<String, HashMap<String, usize>>,
}

impl Model {
    pub fn new(site: Site, bodies: Vec<Body>) -> Model {
        let base_path = site.config.base_path();
        let mut by_id = HashMap::with_capacity(site.pages.len());
        let by_path = HashMap::with_capacity(site.pages.len());
        let mut sections: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        for (i, p) in site.pages.iter().enumerate() {
            // With two pages on one id, the page it belongs to is the one named for it (`<kind>-<slug>`,
            // as `fixbook new` makes it), else the first: a copied page is then the one told to change, and
            // references resolve to the original.
            match by_id.entry(p.meta.id.clone()) {
                Entry::Vacant(e) => {
                    e.insert(i);
                }
                Entry::Occupied(mut e) => {
                    let first = site.pages.get(*e.get());
                    if named_for_its_id(p) && !first.is_some_and(named_for_its_id) {
                        e.insert(i);
                    }
                }
            }
            sections.entry(p.section.clone()).or_default().push(i);
        }
        let mut sections: Vec<_> = sections.into_iter().collect();
        for (_, pages) in sections.iter_mut() {
            sort_section(&site.pages, &site.config, pages);
        }
        let rows = site
            .tables
            .iter()
            .map(|t| {
                let by_value = t
                    .rows
                    .iter()
                    .enumerate()
                    .filter_map(|(n, r)| {
                        Some((crate::content::canonical_in(&t.scheme, &r.value)?, n))
                    })
                    .collect();
                (t.scheme.clone(), by_value)
            })
            .collect();
        let mut model = Model {
            site,
            bodies,
            base_path,
            by_id,
            by_path,
            sections,
            rows,
        };
        model.index_paths();
        model
    }

    /// The id a page named for its file has: `<kind>-<slug>`, as `fixbook new` makes it.
    pub fn id_for_file(p: &Page) -> String {
        format!("{}-{}", p.meta.kind.as_str(), p.slug)
    }

    /// `/<section>/<slug>/`, without the base path.
    pub fn rel_path(p: &Page) -> String {
        format!("/{}/{}/", p.section, p.slug)
    }

    /// The page's URL with the base path.
    pub fn url(&self, p: &Page) -> String {
        format!("{}{}/{}/", self.base_path, p.section, p.slug)
    }

    /// A site-relative path (`/x/y/`) with the base path.
    pub fn prefixed(&self, rel: &str) -> String {
        format!("{}{}", self.base_path, rel.trim_start_matches('/'))
    }

    /// The row of table `scheme` with canonical `value`.
    pub fn row(&self, scheme: &str, value: &str) -> Option<&crate::load::CodeRowFm> {
        let n = *self.rows.get(scheme)?.get(value)?;
        self.site
            .tables
            .iter()
            .find(|t| t.scheme == scheme)?
            .rows
            .get(n)
    }

    /// Makes `by_path` from `site.pages`: when the model is made, and again after `serve` inserted a page
    /// into or removed one from `site.pages`, which moves the pages after it (`serve` applies a batch of
    /// changed files one file at a time, and the next file of the batch is found by its path; the other
    /// lookups are rebuilt once the batch is in).
    pub fn index_paths(&mut self) {
        self.by_path.clear();
        for (i, p) in self.site.pages.iter().enumerate() {
            self.by_path.insert(Model::rel_path(p), i);
        }
    }

    /// Puts page `i` back in its place in its section's order after its title or kind changed (what
    /// `serve` does for such an edit instead of building a new model).
    pub fn resort(&mut self, i: usize) {
        let Some(section) = self.site.pages.get(i).map(|p| p.section.clone()) else {
            return;
        };
        if let Some((_, pages)) = self.sections.iter_mut().find(|(s, _)| *s == section) {
            sort_section(&self.site.pages, &self.site.config, pages);
        }
    }

    pub fn page(&self, id: &str) -> Option<&Page> {
        self.by_id.get(id).map(|&i| &self.site.pages[i])
    }

    /// The display title of a section: from `site.toml`'s `[sections]`, else the folder name capitalised.
    pub fn section_title(&self, name: &str) -> String {
        if let Some(t) = self.site.config.sections.get(name) {
            return t.clone();
        }
        let mut c = name.chars();
        match c.next() {
            Some(f) => f
                .to_uppercase()
                .chain(c.map(|c| if c == '-' { ' ' } else { c }))
                .collect(),
            None => String::new(),
        }
    }
}

/// Reading order within a section (prev/next, the section list): errors, causes, fixes, guides; within a
/// kind, `weight:` first (lower first, pages without one after), then a cause's connection stage in the
/// order `site.toml` declares, then the title without a leading "The", "A" or "An" (so "The ..." titles are
/// not all filed under T). The key depends on the page alone, so `serve` can re-sort one edited page.
fn sort_section(all: &[Page], config: &crate::config::Config, pages: &mut [usize]) {
    pages.sort_by_cached_key(|&a| {
        let pa = &all[a];
        let stage = match &pa.data {
            crate::load::KindData::Cause(c) => c
                .stage
                .as_deref()
                .and_then(|s| config.checker.stages.iter().position(|st| st.id == s)),
            _ => None,
        };
        (
            kind_rank(pa),
            pa.meta.weight.unwrap_or(i64::MAX),
            stage.unwrap_or(usize::MAX),
            sort_title(&pa.meta.title),
        )
    });
}

/// Whether two versions of a page sort to the same place in their section (what `serve` asks to know if
/// an edit moved the page).
pub(crate) fn same_place(a: &Page, b: &Page) -> bool {
    let stage = |p: &Page| match &p.data {
        crate::load::KindData::Cause(c) => c.stage.clone(),
        _ => None,
    };
    a.meta.kind == b.meta.kind
        && a.meta.title == b.meta.title
        && a.meta.weight == b.meta.weight
        && stage(a) == stage(b)
}

/// The title as a list sorts it: lower case, without a leading article.
fn sort_title(title: &str) -> String {
    let lower = title.trim().trim_start_matches(['"', '\'']).to_lowercase();
    ["the ", "a ", "an "]
        .iter()
        .find_map(|a| lower.strip_prefix(a))
        .map(str::to_string)
        .unwrap_or(lower)
}

fn kind_rank(p: &Page) -> u8 {
    match p.meta.kind {
        crate::load::Kind::Error => 0,
        crate::load::Kind::Cause => 1,
        crate::load::Kind::Fix => 2,
        crate::load::Kind::Guide => 3,
    }
}

/// Whether a page's id is the one its file name gives (`cause-port-blocked` in `causes/port-blocked.md`).
fn named_for_its_id(p: &Page) -> bool {
    p.meta.id == Model::id_for_file(p)
}

#[cfg(test)]
mod tests {
    use super::sort_title;

    #[test]
    fn titles_sort_without_their_leading_article() {
        assert_eq!(
            sort_title("The RDP listener's certificate has expired"),
            "rdp listener's certificate has expired"
        );
        assert_eq!(sort_title("\"A quoted title\""), "quoted title\"");
        assert_eq!(sort_title("An account"), "account");
        assert_eq!(sort_title("Theory of RDP"), "theory of rdp");
    }
}
