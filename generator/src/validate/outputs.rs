//! Every output path is claimed once: pages, aliases, section indexes, code-table pages, the fixed files
//! and the assets folder. A second claim would overwrite the first (which one wins depends on thread
//! timing), so it is a content error at the second claimant, naming the first. Page and section names
//! are checked here too, since they become URLs: only `[a-z0-9-]` needs no encoding anywhere a URL is
//! written (links, canonical, sitemap, search index).
//!
//! This runs over the whole site on every validation (also for `serve`'s partial ones): it is a hash
//! insert per output, and a claim made by one page can collide with any other.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diag::{display_path, Code, Diagnostic, Pos};
use crate::model::Model;
use crate::outputs::{self, Fixed, ASSETS_DIR};

/// Who writes an output path, and where that is written in the content (none for fixbook's own files).
struct Claimant {
    what: String,
    at: Option<(PathBuf, Pos)>,
}

impl Claimant {
    /// `the home page`, or `the page at content/errors/x.md:1:1`.
    fn describe(&self) -> String {
        match &self.at {
            Some((file, pos)) => format!(
                "{} at {}:{}:{}",
                self.what,
                display_path(file),
                pos.line,
                pos.col
            ),
            None => self.what.clone(),
        }
    }
}

/// What the claims found: the first claimant of each path, by its lower-cased path (two names that differ
/// only in case are one file on the file systems of macOS and Windows, where a site is often deployed from).
#[derive(Default)]
struct Claims {
    by_path: HashMap<String, usize>,
    list: Vec<(String, Claimant)>,
}

impl Claims {
    fn claim(&mut self, path: String, c: Claimant, help: &str, out: &mut Vec<Diagnostic>) {
        let key = path.to_lowercase();
        if let Some(&first) = self.by_path.get(&key) {
            if let Some((_, other)) = self.list.get(first) {
                out.push(collision(&path, &c, other, help));
            }
            return;
        }
        self.by_path.insert(key, self.list.len());
        self.list.push((path, c));
    }

    /// A path that needs, as a folder, a name another claim writes as a file (`/index.html` as an alias
    /// needs the folder `index.html`, which is the home page), or that is inside the reserved assets folder.
    fn folder_conflicts(&self, out: &mut Vec<Diagnostic>) {
        let assets = Claimant {
            what:
                "fixbook's `assets/` folder (the theme's files, the search and knowledge indexes)"
                    .into(),
            at: None,
        };
        for (path, c) in &self.list {
            if c.at.is_none() {
                continue;
            }
            let lower = path.to_lowercase();
            let mut folders = lower.match_indices('/').map(|(i, _)| &lower[..i]);
            if lower.split('/').next() == Some(ASSETS_DIR) {
                out.push(folder_taken(path, ASSETS_DIR, c, &assets));
                continue;
            }
            if let Some((folder, file)) = folders.find_map(|f| Some((f, self.by_path.get(f)?))) {
                if let Some((_, other)) = self.list.get(*file) {
                    out.push(folder_taken(path, folder, c, other));
                }
            }
        }
    }
}

/// `c` writes `path`, inside `folder`, which `other` writes as a file (or reserves).
fn folder_taken(path: &str, folder: &str, c: &Claimant, other: &Claimant) -> Diagnostic {
    at_claimant(
        c,
        format!(
            "{} writes `{path}`, inside `{folder}`, which is {}",
            c.what,
            other.describe()
        ),
        "every output path is written once: change the alias, or rename the page or its folder",
    )
}

/// The folder that holds a list's pages after the first (`errors/page` for `errors/page/2/index.html`):
/// claimed as a whole, so anything written inside it collides with the list's pages, however many.
fn list_pages_folder(page2: &str) -> String {
    page2
        .strip_suffix("/2/index.html")
        .unwrap_or(page2)
        .to_string()
}

fn collision(path: &str, c: &Claimant, other: &Claimant, help: &str) -> Diagnostic {
    at_claimant(
        c,
        format!(
            "{} writes `{path}`, which {} already writes",
            c.what,
            other.describe()
        ),
        help,
    )
}

/// An output collision reported at claimant `c`: the diagnostic sits at the claimant found in the content;
/// a fixed file has no place of its own.
fn at_claimant(c: &Claimant, message: String, help: &str) -> Diagnostic {
    let (file, pos) = c.at.clone().unwrap_or_default();
    Diagnostic::new(Code::OutputCollision, file, pos, message).help(help)
}

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    let mut claims = Claims::default();
    for f in Fixed::ALL {
        claims.claim(
            f.path().to_string(),
            Claimant {
                what: f.what().to_string(),
                at: None,
            },
            "",
            out,
        );
    }
    for t in &model.site.tables {
        let at = (
            t.file.clone(),
            Pos::at(&t.src, t.src.find("scheme").unwrap_or(0)),
        );
        if !super::ids::is_valid_id(&t.scheme) {
            out.push(
                Diagnostic::new(
                    Code::BadSlug,
                    &t.file,
                    at.1,
                    format!(
                        "scheme `{}` is not lower-case letters, digits and `-`: it is the table's URL",
                        t.scheme.escape_debug()
                    ),
                )
                .help(format!(
                    "name the table (and its file) `{}`",
                    crate::markdown::slugify(&t.scheme)
                )),
            );
            continue;
        }
        claims.claim(
            outputs::code_table(&t.scheme, 1),
            Claimant {
                what: format!("the page of code table `{}`", t.scheme),
                at: Some(at.clone()),
            },
            "rename the table's scheme",
            out,
        );
        claims.claim(
            list_pages_folder(&outputs::code_table(&t.scheme, 2)),
            Claimant {
                what: format!("the folder of code table `{}`'s further pages", t.scheme),
                at: Some(at),
            },
            "rename the table's scheme",
            out,
        );
    }
    let mut good_sections = Vec::new();
    for (name, pages) in &model.sections {
        let first = pages
            .iter()
            .filter_map(|&i| model.site.pages.get(i))
            .min_by_key(|p| &p.file);
        let Some(first) = first else { continue };
        if !super::ids::is_valid_id(name) {
            for &i in pages {
                if let Some(p) = model.site.pages.get(i) {
                    out.push(
                        Diagnostic::new(
                            Code::BadSlug,
                            &p.file,
                            Pos::START,
                            format!(
                                "section folder `{}` is not lower-case letters, digits and `-`: it is part of the page's URL",
                                name.escape_debug()
                            ),
                        )
                        .help(format!("rename the folder to `content/{}/`", crate::markdown::slugify(name))),
                    );
                }
            }
            continue;
        }
        good_sections.push(name.as_str());
        claims.claim(
            outputs::section(name, 1),
            Claimant {
                what: format!("the index page of section `{name}`"),
                at: Some((first.file.clone(), Pos::START)),
            },
            "rename the section's folder: fixbook writes this path for its own page",
            out,
        );
        // Reserved whether or not the section is long enough to need it today, so adding pages never
        // turns an existing page named `page` into an error.
        claims.claim(
            list_pages_folder(&outputs::section(name, 2)),
            Claimant {
                what: format!("the folder of section `{name}`'s further index pages"),
                at: Some((first.file.clone(), Pos::START)),
            },
            "rename the file or alias: fixbook writes the section's index pages 2, 3, ... under this folder",
            out,
        );
    }
    for p in &model.site.pages {
        if !good_sections.contains(&p.section.as_str()) {
            continue;
        }
        if !super::ids::is_valid_id(&p.slug) {
            let valid = crate::markdown::slugify(&p.slug);
            out.push(
                Diagnostic::new(
                    Code::BadSlug,
                    &p.file,
                    Pos::START,
                    format!(
                        "file name `{}` is not lower-case letters, digits and `-`: it is the page's URL",
                        p.slug.escape_debug()
                    ),
                )
                .help(format!("rename the file to `content/{}/{valid}.md`", p.section)),
            );
            continue;
        }
        claims.claim(
            outputs::page(&p.section, &p.slug),
            Claimant {
                what: "the page".into(),
                at: Some((p.file.clone(), Pos::START)),
            },
            "rename the file: every URL is written once",
            out,
        );
    }
    for p in &model.site.pages {
        for (n, alias) in p.meta.aliases.iter().enumerate() {
            let nth = p
                .meta
                .aliases
                .iter()
                .take(n)
                .filter(|a| *a == alias)
                .count();
            let pos = p.value_pos_nth("aliases", alias, nth);
            match outputs::alias(alias) {
                Ok(path) => claims.claim(
                    path,
                    Claimant {
                        what: format!("alias `{alias}`"),
                        at: Some((p.file.clone(), pos)),
                    },
                    "remove the alias or change it: an alias must not replace a page, file or another alias",
                    out,
                ),
                Err(why) => out.push(
                    Diagnostic::new(
                        Code::BadAlias,
                        &p.file,
                        pos,
                        format!("alias `{}` {why}", alias.escape_debug()),
                    )
                    .help("write an alias as the old URL's path, such as `/old/page/`"),
                ),
            }
        }
    }
    claims.folder_conflicts(out);
}
