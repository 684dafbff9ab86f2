//! A page's share of the search index, by section: results link to the section that matched
//! (`/fixes/renew-cert/#verify`), not only to the page.
//!
//! A section is the text under a `##` heading, up to the next one; the text before the first `##` is the
//! page's intro (anchor `""`, which links the page itself). Deeper headings belong to their `##` section.
//! The Markdown pass keeps the page's plain text and where its sections start ([`PageText`]); the search
//! index turns each section's text into terms and cuts its snippet while the page is written, so a build
//! never holds the whole site's terms.

/// Sections of one page beyond this many are merged into the last: a section's number must fit the few
/// bits that the index gives it (see `derive::search::files`).
pub(crate) const MAX_SECTIONS: usize = 63;

/// How much of a section's text its snippet keeps, in characters: enough for a line around a word near
/// the start, and bounded, since fragments hold the snippets of many pages.
const SNIPPET_CHARS: usize = 200;

/// Where a `##` section starts in a page's plain text: the text's length just after the heading's own text
/// was appended, the heading's id and its text.
pub type SectionStart = (usize, String, String);

/// A page's plain text (headings included) and where its `##` sections start.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageText {
    pub text: String,
    pub starts: Vec<SectionStart>,
}

/// One section of a page, borrowed from its [`PageText`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SectionText<'a> {
    /// The heading's id (`""` for the intro).
    pub anchor: &'a str,
    /// The heading's text (`""` for the intro).
    pub heading: &'a str,
    /// The section's text without its heading, trimmed.
    pub body: &'a str,
}

impl PageText {
    /// The page's sections, intro first (at most `MAX_SECTIONS` + 1: later ones join the last).
    pub fn sections(&self) -> Vec<SectionText<'_>> {
        let text = self.text.as_str();
        let mut out = Vec::with_capacity(self.starts.len().min(MAX_SECTIONS) + 1);
        let mut push = |from: usize, end: usize, anchor, heading| {
            out.push(SectionText {
                anchor,
                heading,
                body: text.get(from..end).unwrap_or("").trim(),
            });
        };
        // The intro ends where the first heading's text begins; later sections end at the next start, and
        // the last kept runs to the end of the text (so headings past the limit join it).
        let (mut from, mut anchor, mut heading) = (0, "", "");
        for (at, id, title) in self.starts.iter().take(MAX_SECTIONS) {
            let end = at.saturating_sub(title.len() + 1).max(from);
            push(from, end, anchor, heading);
            (from, anchor, heading) = (*at, id.as_str(), title.as_str());
        }
        push(from, text.len(), anchor, heading);
        out
    }
}

/// A section's snippet: the first `SNIPPET_CHARS` characters of its text, cut at a word boundary when
/// one is near.
pub fn snippet(body: &str) -> String {
    head(body, SNIPPET_CHARS)
}

/// The first `n` characters of `s`, cut at a word boundary when one is near.
fn head(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        None => s.to_string(),
        Some((cut, _)) => {
            let t = &s[..cut];
            let at = t.rfind(' ').filter(|&i| i > cut / 2).unwrap_or(cut);
            format!("{}…", t[..at].trim_end())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::terms::terms_of;

    fn split(md_text: &[(&str, Option<(&str, &str)>)]) -> PageText {
        // Builds the text as the Markdown pass does: heading text, then the section's text.
        let mut text = String::new();
        let mut starts = Vec::new();
        for (body, heading) in md_text {
            if let Some((id, title)) = heading {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(title);
                starts.push((text.len(), id.to_string(), title.to_string()));
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(body);
        }
        PageText { text, starts }
    }

    fn terms(s: &SectionText<'_>) -> Vec<String> {
        let mut v = Vec::new();
        terms_of(s.body, |t| v.push(t.into_owned()));
        v
    }

    #[test]
    fn sections_split_at_headings_with_their_own_text() {
        let p = split(&[
            ("An intro about certificates.", None),
            (
                "Open the firewall port.",
                Some(("open-port", "Open the port")),
            ),
            ("Check that it listens.", Some(("verify", "Verify"))),
        ]);
        let s = p.sections();
        let anchors: Vec<_> = s.iter().map(|s| s.anchor).collect();
        assert_eq!(anchors, ["", "open-port", "verify"]);
        assert_eq!(s[1].heading, "Open the port");
        assert_eq!(snippet(s[1].body), "Open the firewall port.");
        assert!(
            terms(&s[0]).contains(&"certif".into()),
            "{:?}",
            terms(&s[0])
        );
        assert!(
            terms(&s[1]).contains(&"firewal".into()),
            "{:?}",
            terms(&s[1])
        );
        assert!(!terms(&s[1]).contains(&"listen".into()));
        assert!(terms(&s[2]).contains(&"listen".into()));
        // The heading's words are not the section's body.
        assert!(
            !terms(&s[2]).contains(&"verifi".into()),
            "{:?}",
            terms(&s[2])
        );
    }

    #[test]
    fn a_page_without_headings_is_one_section_and_snippets_are_bounded() {
        let long = "word ".repeat(200);
        let p = split(&[(&long, None)]);
        let s = p.sections();
        assert_eq!(s.len(), 1);
        let cut = snippet(s[0].body);
        assert!(cut.chars().count() <= SNIPPET_CHARS + 1);
        assert!(cut.ends_with('…'));
        let many: Vec<(String, Option<(String, String)>)> = (0..80)
            .map(|i| {
                (
                    format!("text{i}"),
                    Some((format!("h{i}"), format!("Heading {i}"))),
                )
            })
            .collect();
        let refs: Vec<(&str, Option<(&str, &str)>)> = many
            .iter()
            .map(|(b, h)| {
                (
                    b.as_str(),
                    h.as_ref().map(|(a, t)| (a.as_str(), t.as_str())),
                )
            })
            .collect();
        let p = split(&refs);
        let s = p.sections();
        assert_eq!(s.len(), MAX_SECTIONS + 1);
        let last = s.last().map(terms).unwrap_or_default();
        assert!(
            last.iter().any(|t| t == "text79"),
            "later sections join the last"
        );
    }
}
