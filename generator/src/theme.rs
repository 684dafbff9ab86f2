//! The theme: Tera templates and static assets, from `themes/<name>/` or, when the site has no `themes/`
//! folder, the default theme embedded in the binary (so an installed `fixbook` builds any content folder,
//! such as the benchmark corpus).

use std::path::Path;

use crate::diag::{Code, Diagnostic, Pos};

/// Declares the templates every theme must have once, as the list of names and as the default theme's
/// embedded copies, so the two cannot drift apart.
macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        /// Templates every theme must have.
        pub const TEMPLATES: &[&str] = &[$($name),*];
        const EMBEDDED_TEMPLATES: &[(&str, &str)] =
            &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*];
    };
}

templates!(
    "base.html",
    "nav.html",
    "components.html",
    "page.html",
    "section.html",
    "index.html",
    "codes.html",
    "code_table.html",
    "check.html",
    "404.html",
    "redirect.html",
);

const EMBEDDED_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "fixbook.js",
        include_bytes!("../../themes/default/static/fixbook.js"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
];

/// The checker's browser module, built by `build.rs` (wasm-bindgen's ES module loader and the `.wasm`), and
/// its front end (`checker_ui.js`: the checker boxes on the page, and the Web Worker that runs the module
/// off the page's thread; it speaks `checker-wasm/src/web.rs`'s API). They belong to the binary, not to a
/// theme: every theme gets them, from disk or embedded.
const CHECKER_STATIC: &[(&str, &[u8])] = &[
    (
        "checker.js",
        include_bytes!(concat!(env!("OUT_DIR"), "/checker.js")),
    ),
    (
        "checker_bg.wasm",
        include_bytes!(concat!(env!("OUT_DIR"), "/checker_bg.wasm")),
    ),
    (
        "checker_ui.js",
        include_bytes!("../../checker-wasm/js/checker_ui.js"),
    ),
];

/// Adds the checker's files to a theme's statics, unless the theme brings its own build of them.
fn with_checker(mut statics: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    for (name, bytes) in CHECKER_STATIC {
        if !statics.iter().any(|(n, _)| n == name) {
            statics.push((name.to_string(), bytes.to_vec()));
        }
    }
    statics
}

/// A theme's files, read into memory.
pub struct ThemeFiles {
    /// Where the templates are, as diagnostics name it (`themes/default/templates`).
    pub dir: String,
    /// `(name, source)` of each template.
    pub templates: Vec<(String, String)>,
    /// `(file name, bytes)` of each static asset; they get content-hashed names when written.
    pub statics: Vec<(String, Vec<u8>)>,
}

/// Reads the theme named in `site.toml` from `ROOT/themes/`, or the embedded default when there is no
/// `themes/` folder.
pub fn load(root: &Path, name: &str) -> Result<ThemeFiles, Diagnostic> {
    let themes = root.join("themes");
    if !themes.is_dir() {
        return Ok(ThemeFiles {
            dir: "(built-in theme)".into(),
            templates: EMBEDDED_TEMPLATES
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect(),
            statics: with_checker(
                EMBEDDED_STATIC
                    .iter()
                    .map(|(n, b)| (n.to_string(), b.to_vec()))
                    .collect(),
            ),
        });
    }
    let dir = themes.join(name);
    let rel = format!("themes/{name}");
    let mut templates = Vec::new();
    for t in TEMPLATES {
        let path = dir.join("templates").join(t);
        let src = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::new(
                Code::Template,
                format!("{rel}/templates/{t}"),
                Pos::START,
                format!("cannot read template: {e}"),
            )
            .help("every theme needs these templates: ".to_string() + &TEMPLATES.join(", "))
        })?;
        templates.push((t.to_string(), src));
    }
    let mut statics = Vec::new();
    let static_dir = dir.join("static");
    if let Ok(entries) = std::fs::read_dir(&static_dir) {
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            if e.file_type().is_ok_and(|t| t.is_file()) {
                let bytes = std::fs::read(e.path()).map_err(|err| {
                    Diagnostic::new(
                        Code::Template,
                        format!("{rel}/static"),
                        Pos::START,
                        format!("cannot read asset: {err}"),
                    )
                })?;
                statics.push((e.file_name().to_string_lossy().into_owned(), bytes));
            }
        }
    }
    Ok(ThemeFiles {
        dir: format!("{rel}/templates"),
        templates,
        statics: with_checker(statics),
    })
}
