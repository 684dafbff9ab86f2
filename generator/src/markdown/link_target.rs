//! What a link or image destination points at, read the way a browser reads it. Deciding "external" by
//! looking for `://` let `javascript:alert(1)` and `data:text/html,...` through as if they were external
//! links; a browser instead drops leading and trailing spaces and control characters, removes every tab and
//! line break, and takes anything before the first `:` that looks like a scheme as the scheme, in any case.
//! The same reading decides what `check` allows, so `JaVaScRiPt:`, ` javascript:` and `java\tscript:` are
//! all the `javascript` scheme.

/// Where a destination leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkTarget {
    /// No scheme: root-relative, relative, `#anchor` or `?query`. Checked against the site.
    Local,
    /// `http:`, `https:` or protocol-relative `//host`: another site.
    Web,
    /// `mailto:`.
    Mail,
    /// Any other scheme (lower-cased): `javascript`, `data`, `vbscript`, `file`, `tel`, ...
    OtherScheme(String),
}

/// Classifies `dest` as a browser would resolve it on an http(s) page.
pub(crate) fn classify(dest: &str) -> LinkTarget {
    let trimmed = dest.trim_matches(|c: char| c <= ' ');
    let cleaned: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if cleaned.starts_with("//") || cleaned.starts_with("\\\\") || cleaned.starts_with("/\\") {
        return LinkTarget::Web;
    }
    let Some(colon) = cleaned.find(':') else {
        return LinkTarget::Local;
    };
    let scheme = &cleaned[..colon];
    let mut chars = scheme.chars();
    let looks_like_scheme = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !looks_like_scheme {
        // `/a:b`, `./x:y` or `#a:b`: a path that contains a colon.
        return LinkTarget::Local;
    }
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" => LinkTarget::Web,
        "mailto" => LinkTarget::Mail,
        other => LinkTarget::OtherScheme(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_read_as_a_browser_reads_them() {
        let js = LinkTarget::OtherScheme("javascript".into());
        for d in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\nscript:alert(1)",
        ] {
            assert_eq!(classify(d), js, "{d:?}");
        }
        assert_eq!(
            classify("data:text/html,x"),
            LinkTarget::OtherScheme("data".into())
        );
        assert_eq!(
            classify("C:\\Windows\\x"),
            LinkTarget::OtherScheme("c".into())
        );
        assert_eq!(classify("HTTPS://x.org/"), LinkTarget::Web);
        assert_eq!(classify("//evil.example/"), LinkTarget::Web);
        assert_eq!(classify("/\\evil.example/"), LinkTarget::Web);
        assert_eq!(classify("mailto:a@b.org"), LinkTarget::Mail);
        for local in ["/fixes/a/", "../x", "#a:b", "/a:b/", "?q=a:b", "x.png", ""] {
            assert_eq!(classify(local), LinkTarget::Local, "{local:?}");
        }
    }
}
