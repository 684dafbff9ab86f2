//! What a content page adds to its body's HTML: fix steps' version notes after their headings, and the
//! structured data (JSON-LD) search engines read.

use serde::Serialize;

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
/// `<script>` element. Written from structs, not built as JSON values: it is made for every page. Fields are
/// in the order of their names, as the values' maps wrote them.
pub(super) fn json_ld(p: &Page, body: &Body, permalink: &str, trail: &[(&str, String)]) -> String {
    #[derive(Serialize)]
    struct Article<'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(rename = "@type")]
        kind: &'static str,
        #[serde(rename = "dateModified")]
        date_modified: &'a str,
        description: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        headline: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        step: Option<Vec<Step<'a>>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct Step<'a> {
        #[serde(rename = "@type")]
        kind: &'static str,
        name: &'a str,
        url: String,
    }
    #[derive(Serialize)]
    struct Crumbs<'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(rename = "@type")]
        kind: &'static str,
        #[serde(rename = "itemListElement")]
        items: Vec<Crumb<'a>>,
    }
    #[derive(Serialize)]
    struct Crumb<'a> {
        #[serde(rename = "@type")]
        kind: &'static str,
        item: &'a str,
        name: &'a str,
        position: usize,
    }
    const SCHEMA: &str = "https://schema.org";
    let m = &p.meta;
    let article = if m.kind == Kind::Fix {
        let steps = body
            .headings
            .iter()
            .filter(|h| {
                h.level == 2 && !matches!(h.title.to_ascii_lowercase().as_str(), "verify" | "undo")
            })
            .map(|h| Step {
                kind: "HowToStep",
                name: &h.title,
                url: format!("{permalink}#{}", h.id),
            })
            .collect();
        Article {
            context: SCHEMA,
            kind: "HowTo",
            date_modified: &m.updated,
            description: &m.summary,
            headline: None,
            name: Some(&m.title),
            step: Some(steps),
            url: None,
        }
    } else {
        Article {
            context: SCHEMA,
            kind: "TechArticle",
            date_modified: &m.updated,
            description: &m.summary,
            headline: Some(&m.title),
            name: None,
            step: None,
            url: Some(permalink),
        }
    };
    let crumbs = Crumbs {
        context: SCHEMA,
        kind: "BreadcrumbList",
        items: trail
            .iter()
            .enumerate()
            .map(|(i, (name, url))| Crumb {
                kind: "ListItem",
                item: url,
                name,
                position: i + 1,
            })
            .collect(),
    };
    let json = serde_json::to_string(&(article, crumbs)).unwrap_or_default();
    if json.contains('<') {
        json.replace('<', "\\u003c")
    } else {
        json
    }
}
