//! The theme: Tera templates and static assets, from `themes/<name>/` or, when the site has no `themes/`
//! folder, the default theme embedded in the binary (so an installed `fixbook` builds any content folder,
//! such as the benchmark corpus).

mod minify_css;
mod strip_js;

use std::path::Path;

use crate::confine;
use crate::diag::{display_path, Code, Diagnostic, Pos};

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
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "nav.js",
        include_bytes!("../../themes/default/static/nav.js"),
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

/// Adds the checker's files to a theme's statics, unless the theme brings its own build of them, and
/// minifies its stylesheets (see [`minify_css`]) and scripts (see [`strip_js`]).
fn with_checker(mut statics: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    for (name, bytes) in CHECKER_STATIC {
        if !statics.iter().any(|(n, _)| n == name) {
            statics.push((name.to_string(), bytes.to_vec()));
        }
    }
    for (name, bytes) in &mut statics {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        if name.ends_with(".css") {
            *bytes = minify_css::minify_css(text).into_bytes();
        } else if name.ends_with(".js") {
            if let Some(js) = strip_js::strip_js(text) {
                *bytes = js.into_bytes();
            }
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
    let rel = Path::new("themes").join(name);
    let mut templates = Vec::new();
    for t in TEMPLATES {
        let file = rel.join("templates").join(t);
        // Read only from inside the site (`confine`): a template that links to `/proc/self/environ` would
        // otherwise become a page.
        let src = confine::read(root, &file)
            .map_err(|r| {
                r.into_diagnostic(Code::Template, &file, "cannot read template")
                    .help("every theme needs these templates: ".to_string() + &TEMPLATES.join(", "))
            })
            .and_then(|b| {
                String::from_utf8(b).map_err(|e| {
                    Diagnostic::new(
                        Code::Template,
                        &file,
                        Pos::START,
                        format!("template is not UTF-8: {e}"),
                    )
                    .help("save the template as UTF-8")
                })
            })?;
        templates.push((t.to_string(), src));
    }
    let mut statics = Vec::new();
    let static_rel = rel.join("static");
    if let Ok(entries) = std::fs::read_dir(root.join(&static_rel)) {
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            // A linked asset counts as a file (where it leads is checked when it is read); folders are not assets.
            let is_dir = std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir());
            if !is_dir {
                let file = static_rel.join(e.file_name());
                let bytes = confine::read(root, &file).map_err(|r| {
                    r.into_diagnostic(Code::Template, &file, "cannot read asset")
                        .help("make it a readable file inside the theme's `static/` folder")
                })?;
                statics.push((e.file_name().to_string_lossy().into_owned(), bytes));
            }
        }
    }
    let rel = display_path(&rel);
    Ok(ThemeFiles {
        dir: format!("{rel}/templates"),
        templates,
        statics: with_checker(statics),
    })
}
