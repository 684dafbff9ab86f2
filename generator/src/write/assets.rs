//! Content-hashed asset names, so pages can be cached forever and a new build never serves a stale asset.

use crate::hash::fnv1a;
use crate::model::Model;
use crate::render::templates::AssetUrls;

/// `style.css` + bytes -> `assets/style.1a2b3c4d5e.css`.
pub fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = format!("{:016x}", fnv1a(bytes));
    let short = &hash[..10];
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("assets/{stem}.{short}.{ext}"),
        None => format!("assets/{name}.{short}"),
    }
}

impl AssetUrls {
    /// URLs of a theme's static files under their content-hashed names ([`hashed_name`]). Defined here, beside
    /// the naming, so `render` only receives URLs (render comes before write in the module order).
    /// The indexes' URLs are left for the caller: `build` hashes them, `serve` gives them stable names.
    pub fn for_statics(statics: &[(String, Vec<u8>)], model: &Model) -> AssetUrls {
        let mut assets = AssetUrls::default();
        for (name, bytes) in statics {
            let url = model.prefixed(&hashed_name(name, bytes));
            match name.as_str() {
                "style.css" => assets.css = url,
                "fixbook.js" => assets.js = url,
                "search.js" => assets.search_ui = url,
                "checker.js" => assets.checker_js = url,
                "checker_bg.wasm" => assets.checker_wasm = url,
                "checker_ui.js" => assets.checker_ui = url,
                "favicon.svg" => assets.icon = url,
                "nav.js" => assets.nav = url,
                _ => {}
            }
        }
        assets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_change_with_content_only() {
        assert_eq!(
            hashed_name("style.css", b"a"),
            hashed_name("style.css", b"a")
        );
        assert_ne!(
            hashed_name("style.css", b"a"),
            hashed_name("style.css", b"b")
        );
        assert!(hashed_name("style.css", b"a").starts_with("assets/style."));
        assert!(hashed_name("style.css", b"a").ends_with(".css"));
    }
}
