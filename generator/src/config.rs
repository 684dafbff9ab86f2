//! `site.toml`: the site's configuration.

use std::path::Path;

use serde::Deserialize;

use crate::diag::{Code, Diagnostic, Pos};

/// The validated configuration of a site.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    /// Absolute URL of the site, e.g. `https://example.org/kb/`. Its path is prefixed to every link.
    pub base_url: String,
    /// Theme folder under `themes/`; without a `themes/` folder the embedded default theme is used.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Repository URL for "edit this page" links, e.g. `https://github.com/org/kb/edit/main`.
    #[serde(default)]
    pub repository: Option<String>,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Display titles of sections by folder name, e.g. `errors = "Error messages"`.
    #[serde(default)]
    pub sections: std::collections::BTreeMap<String, String>,
}

fn default_theme() -> String {
    "default".into()
}

fn default_language() -> String {
    "en".into()
}

impl Config {
    /// Reads and validates `site.toml`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join("site.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::new(Code::BadField, "site.toml", Pos::START, format!("cannot read site.toml: {e}"))
                .help("create site.toml with at least `title` and `base_url`, or pass --root to the site's folder")
        })?;
        let mut cfg: Config = toml::from_str(&text).map_err(|e| {
            let pos = e.span().map_or(Pos::START, |s| Pos::at(&text, s.start));
            Diagnostic::new(Code::BadField, "site.toml", pos, e.message().to_string())
                .help("site.toml needs `title` and `base_url`; optional: `theme`, `repository`, `language`, `description`")
        })?;
        if !(cfg.base_url.starts_with("http://") || cfg.base_url.starts_with("https://")) {
            let off = text.find("base_url").unwrap_or(0);
            return Err(Diagnostic::new(
                Code::BadField,
                "site.toml",
                Pos::at(&text, off),
                format!("base_url `{}` is not an absolute http(s) URL", cfg.base_url),
            )
            .help("write it like `https://example.org/` or `https://example.org/kb/`"));
        }
        if !cfg.base_url.ends_with('/') {
            cfg.base_url.push('/');
        }
        Ok(cfg)
    }

    /// Replaces the base URL (from `--base-url`).
    pub fn with_base_url(mut self, base_url: &str) -> Config {
        self.base_url = base_url.to_string();
        if !self.base_url.ends_with('/') {
            self.base_url.push('/');
        }
        self
    }

    /// The path part of `base_url`, always starting and ending with `/` (`/` or `/kb/`).
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, r)| r);
        let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
        let mut p = path.to_string();
        if !p.ends_with('/') {
            p.push('/');
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(base: &str) -> Config {
        Config {
            title: "t".into(),
            base_url: base.into(),
            theme: default_theme(),
            repository: None,
            language: default_language(),
            description: None,
            sections: Default::default(),
        }
    }

    #[test]
    fn base_path_is_the_url_path() {
        assert_eq!(cfg("https://example.org/").base_path(), "/");
        assert_eq!(cfg("https://example.org/kb/").base_path(), "/kb/");
        assert_eq!(cfg("https://example.org").base_path(), "/");
    }
}
