//! A page's share of the search index, by section: results link to the section that matched
//! (`/fixes/renew-cert/#verify`), not only to the page.
//!
//! A section is the text under a `##` heading, up to the next one; the text before the first `##` is the
//! page's intro (anchor `""`, which links the page itself). Deeper headings belong to their `##` section.
//! Each section keeps its distinct terms and the start of its text, from which the search box cuts a
//! snippet around the words found. Computed in the parallel Markdown pass, so the index is built from
//! these without the pages' text.

use super::terms::distinct_terms;

/// Sections of one page beyond this many are merged into the last: a section's number must fit the few
/// bits that the index gives it (see `files`).
pub(crate) const MAX_SECTIONS: usize = 63;

/// How much of a section's text is kept for its snippet, in characters: enough for a line around a word
/// near the start, and bounded, since the whole site's snippets are held while the index is built.
const SNIPPET_CHARS: usize = 200;

/// One section of a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    /// The heading's id (`""` for the intro).
    pub anchor: String,
    /// The heading's text (`""` for the intro).
    pub heading: String,
    /// Distinct terms of the section's text, one per line (the heading's are added when indexing).
    pub terms: String,
    /// The start of the section's text, for its snippet.
    pub snippet: String,
}

/// A page's sections, intro first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageTerms {
    pub sections: Vec<Section>,
}

/// Where a `##` section starts in a page's plain text: the text's length just after the heading's own text
/// was appended, the heading's id and its text.
pub type SectionStart = (usize, String, String);

/// Splits a page's plain `text` at `starts` (ascending) into sections with their terms and snippets.
pub fn page_terms(text: &str, starts: &[SectionStart]) -> PageTerms {
    let mut sections = Vec::with_capacity(starts.len().min(MAX_SECTIONS) + 1);
    // The intro ends where the first heading's text begins; later sections end at the next start.
    let heading_len = |(_, _, title): &SectionStart| title.len() + 1;
    let mut bounds: Vec<(usize, usize, &str, &str)> = Vec::new();
    let mut from = 0;
    let (mut anchor, mut heading) = ("", "");
    for s in starts {
        let end = s.0.saturating_sub(heading_len(s)).max(from);
        bounds.push((from, end, anchor, heading));
        from = s.0;
        anchor = &s.1;
        heading = &s.2;
    }
    bounds.push((from, text.len(), anchor, heading));
    // Sections past the limit join the last one kept.
    if bounds.len() > MAX_SECTIONS + 1 {
        let last_end = bounds.last().map_or(text.len(), |b| b.1);
        bounds.truncate(MAX_SECTIONS + 1);
        if let Some(b) = bounds.last_mut() {
            b.1 = last_end;
        }
    }
    for (start, end, anchor, heading) in bounds {
        let body = text.get(start..end).unwrap_or("").trim();
        sections.push(Section {
            anchor: anchor.to_string(),
            heading: heading.to_string(),
            terms: distinct_terms(body),
            snippet: head(body, SNIPPET_CHARS),
        });
    }
    PageTerms { sections }
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

    fn split(md_text: &[(&str, Option<(&str, &str)>)]) -> PageTerms {
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
        page_terms(&text, &starts)
    }

    #[test]
    fn sections_split_at_headings_with_their_own_terms() {
        let p = split(&[
            ("An intro about certificates.", None),
            (
                "Open the firewall port.",
                Some(("open-port", "Open the port")),
            ),
            ("Check that it listens.", Some(("verify", "Verify"))),
        ]);
        let anchors: Vec<_> = p.sections.iter().map(|s| s.anchor.as_str()).collect();
        assert_eq!(anchors, ["", "open-port", "verify"]);
        assert_eq!(p.sections[1].heading, "Open the port");
        assert_eq!(p.sections[1].snippet, "Open the firewall port.");
        let terms = |i: usize| -> Vec<&str> { p.sections[i].terms.lines().collect() };
        assert!(terms(0).contains(&"certif"), "{:?}", terms(0));
        assert!(terms(1).contains(&"firewal"), "{:?}", terms(1));
        assert!(!terms(1).contains(&"listen"));
        assert!(terms(2).contains(&"listen"));
        // The heading's words are not the section's body.
        assert!(!terms(2).contains(&"verifi"), "{:?}", terms(2));
    }

    #[test]
    fn a_page_without_headings_is_one_section_and_snippets_are_bounded() {
        let long = "word ".repeat(200);
        let p = split(&[(&long, None)]);
        assert_eq!(p.sections.len(), 1);
        assert!(p.sections[0].snippet.chars().count() <= SNIPPET_CHARS + 1);
        assert!(p.sections[0].snippet.ends_with('…'));
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
        assert_eq!(p.sections.len(), MAX_SECTIONS + 1);
        let last = p
            .sections
            .last()
            .map(|s| s.terms.clone())
            .unwrap_or_default();
        assert!(
            last.lines().any(|t| t == "text79"),
            "later sections join the last"
        );
    }
}
