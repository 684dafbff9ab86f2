//! A page's or code table's source: a bare URL or `{url, title}`.
//!
//! ## Why a title
//! Readers decide whether to trust a claim by where it comes from. A wrapped 150-character URL says little;
//! "2.2.1.4.1 RDP Negotiation Failure (RDP_NEG_FAILURE)" on learn.microsoft.com says what was read. Front matter
//! may still give a bare URL (quick to write in a pull request); it is then shown with a label made from the URL
//! ([`Source::label`]), never as the raw URL.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// One source as the templates see it: `{url, title, host}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub url: String,
    /// The page's own title, as written in front matter; `None` for a bare URL.
    #[serde(skip)]
    pub given_title: Option<String>,
    /// What a reader sees: the given title, else [`Source::label`].
    pub title: String,
    /// The site the link goes to (`learn.microsoft.com`), shown beside the title.
    pub host: String,
}

impl Source {
    fn new(url: String, given_title: Option<String>) -> Source {
        let title = given_title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| Source::label(&url));
        let host = host_of(&url).to_string();
        Source {
            url,
            given_title,
            title,
            host,
        }
    }

    /// A readable label for a bare URL: what the URL itself says, without scheme, query or noise.
    ///
    /// - GitHub files: `FreeRDP source: libfreerdp/core/nla.c (master)`; issues, pull requests and commits
    ///   by number or short hash.
    /// - Anything else: the last meaningful path segment with its dashes as spaces
    ///   (`.../rdp-error-general-troubleshooting` -> `rdp error general troubleshooting`), or the host. The
    ///   host is shown beside the label anyway.
    pub fn label(url: &str) -> String {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let rest = rest.split(['?', '#']).next().unwrap_or(rest);
        let mut parts = rest.split('/').filter(|s| !s.is_empty());
        let host = parts.next().unwrap_or(rest);
        let path: Vec<&str> = parts.collect();
        if host == "github.com" {
            if let Some(label) = github_label(&path) {
                return label;
            }
        }
        let last = path
            .iter()
            .rev()
            .map(|s| s.trim_end_matches(".md").trim_end_matches(".html"))
            .find(|s| !s.is_empty() && *s != "index");
        match last {
            Some(seg) => seg.replace(['-', '_'], " ").trim().to_string(),
            None => host.to_string(),
        }
    }
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.strip_prefix("www.").unwrap_or(host)
}

/// `owner/repo/(blob|tree)/ref/path...`, `owner/repo/issues/N`, `owner/repo/pull/N`, `owner/repo/commit/H`.
fn github_label(path: &[&str]) -> Option<String> {
    let (owner, repo, what, rest) = match path {
        [o, r, w, rest @ ..] => (*o, *r, *w, rest),
        [o, r] => return Some(format!("{o}/{r} on GitHub")),
        _ => return None,
    };
    match (what, rest) {
        ("blob" | "tree", [reference, file @ ..]) if !file.is_empty() => {
            Some(format!("{repo} source: {} ({reference})", file.join("/")))
        }
        ("issues", [n, ..]) => Some(format!("{owner}/{repo} issue #{n}")),
        ("pull", [n, ..]) => Some(format!("{owner}/{repo} pull request #{n}")),
        ("commit", [hash, ..]) => Some(format!(
            "{owner}/{repo} commit {}",
            hash.get(..7).unwrap_or(hash)
        )),
        _ => None,
    }
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Source, D::Error> {
        struct SourceVisitor;

        /// The map form, with unknown keys refused so `titel:` is an error, not silently dropped.
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Titled {
            url: String,
            title: String,
        }

        impl<'de> Visitor<'de> for SourceVisitor {
            type Value = Source;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a URL, or `{url: ..., title: ...}`")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Source, E> {
                Ok(Source::new(v.to_string(), None))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Source, A::Error> {
                let t = Titled::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Source::new(t.url, Some(t.title)))
            }
        }

        d.deserialize_any(SourceVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(yaml: &str) -> Result<Source, serde_yaml::Error> {
        serde_yaml::from_str(yaml)
    }

    #[test]
    fn a_bare_url_gets_a_label_made_from_it() {
        let s = one("https://learn.microsoft.com/en-us/troubleshoot/windows-server/remote/rdp-error-general-troubleshooting").unwrap();
        assert_eq!(s.given_title, None);
        assert_eq!(s.title, "rdp error general troubleshooting");
        assert_eq!(s.host, "learn.microsoft.com");
    }

    #[test]
    fn github_urls_are_labelled_by_what_they_point_at() {
        let cases = [
            ("https://github.com/FreeRDP/FreeRDP/blob/3.30.0/libfreerdp/core/nla.c", "FreeRDP source: libfreerdp/core/nla.c (3.30.0)"),
            ("https://github.com/FreeRDP/FreeRDP/issues/4449", "FreeRDP/FreeRDP issue #4449"),
            ("https://github.com/FreeRDP/FreeRDP/pull/3250", "FreeRDP/FreeRDP pull request #3250"),
            ("https://github.com/FreeRDP/FreeRDP/commit/8df96364f2d556d3dc34241de27fdb89c0d5bb42", "FreeRDP/FreeRDP commit 8df9636"),
            ("https://github.com/neutrinolabs/xrdp", "neutrinolabs/xrdp on GitHub"),
        ];
        for (url, want) in cases {
            assert_eq!(Source::label(url), want, "{url}");
        }
    }

    #[test]
    fn the_map_form_keeps_its_title_and_refuses_unknown_keys() {
        let s = one("{url: 'https://www.example.org/a', title: 'Ports used by RDS'}").unwrap();
        assert_eq!(s.title, "Ports used by RDS");
        assert_eq!(s.host, "example.org");
        let e = one("{url: 'https://example.org/a', titel: 'x'}").unwrap_err();
        assert!(e.to_string().contains("titel"), "{e}");
        assert!(one("{url: 'https://example.org/a'}").is_err());
        assert!(one("[1, 2]").is_err());
    }

    #[test]
    fn an_empty_title_falls_back_to_the_label() {
        let s = one("{url: 'https://example.org/some-page', title: ' '}").unwrap();
        assert_eq!(s.title, "some page");
    }
}
