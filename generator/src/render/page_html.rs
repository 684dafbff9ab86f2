//! What a content page adds to its body's HTML: fix steps' version notes after their headings, and the
//! structured data (JSON-LD) search engines read.

use crate::load::{Kind, Page};
use crate::markdown::Body;

/// Puts each step note (`steps:` of a fix) right after its step's heading, where a reader about to follow
/// the step sees it. Headings are written by the Markdown pass as `<hN id="anchor" ...>...</hN>\n`; a note
/// whose step is not a heading is a `check` error, so it is skipped here.
pub(super) fn with_step_notes<'a>(
    html: &'a str,
    steps: &[crate::load::StepNote],
) -> std::borrow::Cow<'a, str> {
    let mut out = html.to_string();
    for note in steps {
        let Some(text) = fixbook_checker::versions(
            note.since.as_deref(),
            note.until.as_deref(),
            &note.applies_to,
        ) else {
            continue;
        };
        let id = format!(
            " id=\"{}\"",
            crate::markdown::highlight::escape_html(&note.step)
        );
        // The heading's opening tag is `<hN` right before ` id="..."`; its closing tag ends the heading.
        let is_heading = |at: usize| {
            at.checked_sub(3)
                .and_then(|s| out.get(s..at))
                .is_some_and(|t| t.starts_with("<h") && t.ends_with(|c: char| c.is_ascii_digit()))
        };
        let Some(open) = out
            .match_indices(&id)
            .map(|(at, _)| at)
            .find(|&at| is_heading(at))
        else {
            continue;
        };
        let Some(end) = out
            .get(open..)
            .and_then(|rest| rest.find("</h"))
            .and_then(|k| {
                let close = open + k;
                out.get(close..)?.find('>').map(|j| close + j + 1)
            })
        else {
            continue;
        };
        let note_html = format!(
            "\n<p class=\"step-versions\"><span class=\"step-versions-label\">Versions:</span> {}</p>",
            crate::markdown::highlight::escape_html(&text)
        );
        out.insert_str(end, &note_html);
    }
    std::borrow::Cow::Owned(out)
}

/// Structured data: `HowTo` with the steps for fix pages, `TechArticle` otherwise, and the page's
/// `BreadcrumbList` (absolute URLs, as search engines require). `<` is escaped so the JSON can never close its
/// `<script>` element.
pub(super) fn json_ld(p: &Page, body: &Body, permalink: &str, trail: &[(&str, String)]) -> String {
    let value = if p.meta.kind == Kind::Fix {
        let steps: Vec<_> = body
            .headings
            .iter()
            .filter(|h| h.level == 2 && !matches!(h.title.to_ascii_lowercase().as_str(), "verify" | "undo"))
            .map(|h| serde_json::json!({"@type": "HowToStep", "name": h.title, "url": format!("{permalink}#{}", h.id)}))
            .collect();
        serde_json::json!({"@context": "https://schema.org", "@type": "HowTo", "name": p.meta.title,
            "description": p.meta.summary, "dateModified": p.meta.updated, "step": steps})
    } else {
        serde_json::json!({"@context": "https://schema.org", "@type": "TechArticle", "headline": p.meta.title,
            "description": p.meta.summary, "dateModified": p.meta.updated, "url": permalink})
    };
    let items: Vec<_> = trail
        .iter()
        .enumerate()
        .map(|(i, (name, url))| {
            serde_json::json!({"@type": "ListItem", "position": i + 1, "name": name, "item": url})
        })
        .collect();
    let crumbs = serde_json::json!({"@context": "https://schema.org", "@type": "BreadcrumbList",
        "itemListElement": items});
    serde_json::Value::Array(vec![value, crumbs])
        .to_string()
        .replace('<', "\\u003c")
}
