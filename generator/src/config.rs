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
    /// The id of the page the home page leads with ("Start here"), e.g. a map of the knowledge base.
    #[serde(default)]
    pub start_here: Option<String>,
    /// What the checker knows that is not a page: the connection stages and what it says when a paste
    /// shows too little. Knowledge, so it lives with the content and not in the engine.
    #[serde(default)]
    pub checker: CheckerConfig,
    /// The clients (programs, or places such as a log viewer) whose errors the site explains, in the order
    /// the home page groups them (`[[clients]]`); error pages name theirs with `clients:`.
    #[serde(default)]
    pub clients: Vec<ClientConfig>,
    /// How many pages a section's index lists before it continues on `<section>/page/2/`: one list of
    /// every page of a 100,000-page site is a 3.4 MB page (top-level key, default 100).
    #[serde(default = "default_section_page_size")]
    pub section_page_size: usize,
}

/// One client of `[[clients]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    /// `[a-z0-9-]+`, used in error pages' `clients:`.
    pub id: String,
    /// Shown to readers, e.g. as the heading of the home page's group.
    pub label: String,
}

/// `[checker]` of `site.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckerConfig {
    /// The stages a connection goes through, in order (`[[checker.stages]]`). Empty: no stage ranking.
    #[serde(default)]
    pub stages: Vec<StageConfig>,
    /// What to paste instead, when nothing in a paste was recognised (the checker says that first).
    #[serde(default)]
    pub what_to_paste: Option<String>,
    /// Said when error pages match but nothing confirms a cause: which evidence to collect.
    #[serde(default)]
    pub no_evidence: Option<String>,
    /// Said after how many weaker candidate causes a report leaves out: how to narrow them down.
    #[serde(default)]
    pub more_causes: Option<String>,
    /// The id of a page that links every cause under its stage (a map of where a connection fails):
    /// `check` reports a cause with a `stage:` that the page does not link.
    #[serde(default)]
    pub stage_map: Option<String>,
}

/// One connection stage.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageConfig {
    /// `[a-z0-9-]+`, used as `stage:` in content.
    pub id: String,
    /// Shown to readers in the stage strip.
    pub label: String,
    /// Phrases (matched case-insensitively) that show a connection got past this stage without failing
    /// in it, e.g. a server's log line that authentication succeeded.
    #[serde(default)]
    pub passed: Vec<String>,
    /// Ports whose port test (PowerShell's, telnet, nc) shows this stage: connected, it was passed; the TCP
    /// connect failed, the connection failed here. Tests of other ports show no stage.
    #[serde(default)]
    pub ports: Vec<u16>,
    /// A stage not every connection goes through (an RD Gateway): when the connection got further, it is
    /// shown as "passed or not used" rather than "passed".
    #[serde(default)]
    pub optional: bool,
}

fn default_theme() -> String {
    "default".into()
}

fn default_language() -> String {
    "en".into()
}

fn default_section_page_size() -> usize {
    100
}

impl Config {
    /// Reads and validates `site.toml`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let bytes = crate::confine::read(root, Path::new("site.toml")).map_err(|r| match r {
            crate::confine::Refused::Outside(d) => d,
            crate::confine::Refused::Io(e) => Diagnostic::new(Code::BadField, "site.toml", Pos::START, format!("cannot read site.toml: {e}"))
                .help("create site.toml with at least `title` and `base_url`, or pass --root to the site's folder"),
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Diagnostic::new(
                Code::BadField,
                "site.toml",
                Pos::START,
                format!("site.toml is not UTF-8: {e}"),
            )
            .help("save site.toml as UTF-8")
        })?;
        let mut cfg: Config = toml::from_str(&text).map_err(|e| {
            let pos = e.span().map_or(Pos::START, |s| Pos::at(&text, s.start));
            Diagnostic::new(Code::BadField, "site.toml", pos, e.message().to_string())
                .help("site.toml needs `title` and `base_url`; optional: `theme`, `repository`, `language`, `description`, `section_page_size`")
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
        cfg.check_stages(&text)?;
        cfg.check_clients(&text)?;
        if cfg.section_page_size == 0 {
            let off = text.find("section_page_size").unwrap_or(0);
            return Err(Diagnostic::new(
                Code::BadField,
                "site.toml",
                Pos::at(&text, off),
                "section_page_size is 0: a section's index would list no page",
            )
            .help("give the number of pages a section's index lists before it continues on the next, e.g. `section_page_size = 100`"));
        }
        Ok(cfg)
    }

    /// Stage ids are well formed and unique, and every stage has a label.
    fn check_stages(&self, text: &str) -> Result<(), Diagnostic> {
        let mut seen = std::collections::HashSet::new();
        for st in &self.checker.stages {
            let at = |needle: &str| {
                let off = text.find(&format!("\"{needle}\"")).map_or(0, |o| o + 1);
                Pos::at(text, off)
            };
            let valid = !st.id.is_empty()
                && st
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !valid {
                return Err(Diagnostic::new(
                    Code::BadField,
                    "site.toml",
                    at(&st.id),
                    format!("stage id `{}` is not of the form [a-z0-9-]+", st.id),
                )
                .help("stage ids are short lower-case names, e.g. `tls` or `nla`"));
            }
            if !seen.insert(st.id.as_str()) {
                let off = text
                    .match_indices(&format!("\"{}\"", st.id))
                    .nth(1)
                    .map_or(0, |(o, _)| o + 1);
                return Err(Diagnostic::new(
                    Code::BadField,
                    "site.toml",
                    Pos::at(text, off),
                    format!("stage `{}` is declared twice", st.id),
                )
                .help("each `[[checker.stages]]` needs its own id; the order of the entries is the order of the stages"));
            }
            if st.label.trim().is_empty() {
                return Err(Diagnostic::new(
                    Code::BadField,
                    "site.toml",
                    at(&st.id),
                    format!("stage `{}` has an empty label", st.id),
                )
                .help("give it the words readers see in the stage strip, e.g. `label = \"TLS handshake\"`"));
            }
        }
        Ok(())
    }

    /// Client ids are `[a-z0-9-]+`, declared once, with a label.
    fn check_clients(&self, text: &str) -> Result<(), Diagnostic> {
        let mut seen = std::collections::HashSet::new();
        for c in &self.clients {
            let off = text
                .match_indices(&format!("\"{}\"", c.id))
                .nth(usize::from(seen.contains(c.id.as_str())))
                .map_or(0, |(o, _)| o + 1);
            let problem = if c.id.is_empty()
                || !c
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                Some(format!(
                    "client id `{}` is not of the form [a-z0-9-]+",
                    c.id
                ))
            } else if !seen.insert(c.id.as_str()) {
                Some(format!("client `{}` is declared twice", c.id))
            } else if c.label.trim().is_empty() {
                Some(format!("client `{}` has an empty label", c.id))
            } else {
                None
            };
            if let Some(msg) = problem {
                return Err(Diagnostic::new(Code::BadField, "site.toml", Pos::at(text, off), msg)
                    .help("each `[[clients]]` has its own short id (`[a-z0-9-]+`, used in error pages' `clients:`) and a label"));
            }
        }
        Ok(())
    }

    /// The index of stage `id` in the declared order.
    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.checker.stages.iter().position(|s| s.id == id)
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
            start_here: None,
            checker: Default::default(),
            clients: Vec::new(),
            section_page_size: default_section_page_size(),
        }
    }

    #[test]
    fn base_path_is_the_url_path() {
        assert_eq!(cfg("https://example.org/").base_path(), "/");
        assert_eq!(cfg("https://example.org/kb/").base_path(), "/kb/");
        assert_eq!(cfg("https://example.org").base_path(), "/");
    }
}
