//! The HTML of the constructs the Markdown pass writes by hand instead of leaving to pulldown-cmark:
//! headings with an anchor link, highlighted code blocks with a language label, GitHub-style alerts as
//! admonitions, and tables (in a scrolling region, their cells with alignment classes, running text marked).
//! Each exists because the default output would carry a `style` attribute (forbidden by the pages'
//! Content-Security-Policy) or lack what readers need.

use std::fmt::Write;

use pulldown_cmark::{Alignment, BlockQuoteKind};

use super::highlight::{escape_html, highlight, language_name};

/// `<h2 id="...">`, with a fix variant's classes (`## PowerShell {.powershell}`) as `variant-*` classes.
pub(super) fn heading_open(level: u8, id: &str, classes: &[String]) -> String {
    let mut open = format!("<h{level} id=\"{}\"", escape_html(id));
    if let Some(first) = classes.first() {
        let cls: Vec<String> = classes
            .iter()
            .map(|c| format!("variant-{}", escape_html(c)))
            .collect();
        let _ = write!(
            open,
            " class=\"variant-heading {}\" data-variant=\"{}\"",
            cls.join(" "),
            escape_html(first)
        );
    }
    open.push('>');
    open
}

/// The anchor link a reader copies to share a section, and the closing tag.
pub(super) fn heading_close(level: u8, id: &str) -> String {
    format!(
        " <a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a></h{level}>\n",
        escape_html(id)
    )
}

/// A code block: highlighted as classes when it names a language, under a head that names the language in
/// words a reader knows ("Azure CLI", not "bash"); the head is also where the theme puts the copy button, so
/// it never covers code.
pub(super) fn code_block(lang: &str, text: &str) -> String {
    let lang_attr = escape_html(lang);
    let head = match language_name(lang) {
        Some(name) => format!(
            "<div class=\"code-head\"><span class=\"code-lang\">{}</span></div>",
            escape_html(name)
        ),
        None => "<div class=\"code-head\"></div>".to_string(),
    };
    if lang.is_empty() {
        format!(
            "<div class=\"code-block\">{head}<pre class=\"code\"><code>{}</code></pre></div>\n",
            escape_html(text)
        )
    } else {
        format!(
            "<div class=\"code-block\">{head}<pre class=\"code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{}</code></pre></div>\n",
            highlight(lang, text)
        )
    }
}

/// The start of an alert (`> [!WARNING]`) as an admonition with its title.
pub(super) fn admonition_open(kind: BlockQuoteKind) -> String {
    let (cls, title) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    format!(
        "<div class=\"admonition admonition-{cls}\" role=\"note\"><p class=\"admonition-title\">{title}</p>\n"
    )
}

/// A table's opening tags: a wrapper that scrolls sideways when the table is wider than the page (its cells
/// break between words only), a region reachable by the keyboard and named after the heading above the
/// table (`n`: the table's number under that heading).
pub(super) fn table_open(heading: Option<&str>, n: usize) -> String {
    let label = match (heading, n) {
        (Some(h), 1) => format!("Table: {}", escape_html(h)),
        (Some(h), n) => format!("Table {n}: {}", escape_html(h)),
        (None, 1) => "Table".to_string(),
        (None, n) => format!("Table {n}"),
    };
    format!(
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{label}\"><table>\n"
    )
}

/// A cell longer than this many characters, with a space to wrap at, is running text (`prose`): the theme
/// keeps its column readably wide on a phone and lets the table scroll, instead of squeezing it to its
/// longest word when another column makes the table wider than the screen anyway.
pub(super) const PROSE_CELL_CHARS: usize = 30;

/// Whether a cell's text (its text and code spans, joined) is running text.
pub(super) fn is_prose(text: &str) -> bool {
    let text = text.trim();
    text.chars().count() > PROSE_CELL_CHARS && text.contains(char::is_whitespace)
}

/// A table cell's opening tag, its column's alignment and whether it is running text as classes.
pub(super) fn cell_open(in_head: bool, align: Option<&Alignment>, prose: bool) -> String {
    let tag = if in_head { "th" } else { "td" };
    let align = match align {
        Some(Alignment::Left) => Some("align-left"),
        Some(Alignment::Center) => Some("align-center"),
        Some(Alignment::Right) => Some("align-right"),
        _ => None,
    };
    match (align, prose) {
        (Some(a), true) => format!("<{tag} class=\"{a} prose\">"),
        (Some(a), false) => format!("<{tag} class=\"{a}\">"),
        (None, true) => format!("<{tag} class=\"prose\">"),
        (None, false) => format!("<{tag}>"),
    }
}
