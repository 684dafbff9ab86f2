//! Markdown to HTML in one pass that also collects what validation needs: heading anchors and links.
//!
//! ## Why a custom event pass
//! Pages run under a strict Content-Security-Policy (`style-src 'self'`), so nothing may carry a `style`
//! attribute: pulldown-cmark writes table alignment as `style="text-align: ..."`, so tables are emitted
//! here with classes instead. Headings get stable ids and an anchor link, code blocks are highlighted at
//! build time into classed spans, GitHub-style alerts become admonitions, and root-relative links get the
//! site's base path.

use std::collections::HashSet;
use std::fmt::Write;

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag,
    TagEnd,
};

use super::highlight::{escape_html, highlight, language_name};
use super::link_target::{classify, LinkTarget};

/// A heading of a page, for anchors and the table of contents.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
    /// Classes given in `{.class}`, e.g. a fix variant tag like `powershell`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<String>,
}

/// A link found in a body, as written, with its byte offset in the body (for diagnostics).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRef {
    pub dest: String,
    pub offset: usize,
    /// An image (`![alt](src)`), not a link.
    pub image: bool,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// Empty when rendering was not asked for (`check`).
    pub html: String,
    pub headings: Vec<Heading>,
    /// Internal links (root-relative, `#anchor`, or relative paths) in order.
    pub links: Vec<LinkRef>,
    /// Every `id` on the page: headings, and footnote definitions.
    pub anchors: HashSet<String>,
    /// The body's search terms and snippets, by `##` section (see `derive::search`); kept instead of the
    /// text itself because it is a fraction of the size, and computed here, in the parallel Markdown pass.
    pub terms: super::PageTerms,
}

/// A heading being read: level, explicit `{#id}`, `{.classes}`, its inner events, its plain text.
type OpenHeading<'a> = (
    HeadingLevel,
    Option<String>,
    Vec<String>,
    Vec<Event<'a>>,
    String,
);

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// `Heading text` -> `heading-text`: lower case, letters and digits kept, runs of anything else become `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' || c == '_' || c == '.' || c == '/' {
            dash = true;
        }
    }
    out
}

/// Whether validation needs to see `dest`: everything but a link to another site or a mail address, so
/// that local targets are checked and other schemes (`javascript:`, ...) are reported. Images are always
/// collected: even an image on another site is a problem (the page's CSP blocks it).
fn is_checked(dest: &str, image: bool) -> bool {
    image || !matches!(classify(dest), LinkTarget::Web | LinkTarget::Mail)
}

/// Renders `body` (Markdown). Root-relative links get `base_path` (`/` or `/kb/`) instead of their leading `/`.
/// With `emit_html` false only headings, anchors and links are collected, which is what `check` needs.
pub fn render_markdown(body: &str, base_path: &str, emit_html: bool) -> Body {
    render_markdown_pass(
        body,
        base_path,
        Pass {
            html: emit_html,
            text: emit_html,
        },
    )
}

/// What a Markdown pass produces besides headings, anchors and links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    /// The HTML of the body.
    pub html: bool,
    /// The plain text, for the search index.
    pub text: bool,
}

/// Renders `body` producing what `pass` asks for. `build` scans every page first (links, anchors, text)
/// and renders HTML page by page while writing, so the whole site's HTML is never in memory at once.
pub fn render_markdown_pass(body: &str, base_path: &str, pass: Pass) -> Body {
    let emit_html = pass.html;
    let mut out = Body::default();
    let mut text_buf = String::new();
    let mut section_starts: Vec<super::SectionStart> = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut events = Events {
        keep: emit_html,
        list: Vec::new(),
    };
    let parser = Parser::new_ext(body, options()).into_offset_iter();

    // State for the constructs rendered by hand.
    let mut heading: Option<OpenHeading<'_>> = None;
    let mut code: Option<(String, String)> = None;
    let mut table_align: Vec<Alignment> = Vec::new();
    let mut cell = 0usize;
    let mut in_head = false;

    for (event, range) in parser {
        if let Some((_, _, _, inner, text)) = heading.as_mut() {
            match event {
                Event::End(TagEnd::Heading(_)) => {}
                other => {
                    if let Event::Text(t) | Event::Code(t) = &other {
                        text.push_str(t);
                    }
                    if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) =
                        &other
                    {
                        let image = matches!(other, Event::Start(Tag::Image { .. }));
                        if is_checked(dest_url, image) {
                            out.links.push(LinkRef {
                                dest: dest_url.to_string(),
                                offset: range.start,
                                image,
                            });
                        }
                    }
                    inner.push(rewrite_link(other, base_path));
                    continue;
                }
            }
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some((
                    level,
                    id.map(|s| s.to_string()),
                    classes.iter().map(|c| c.to_string()).collect(),
                    Vec::new(),
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, id, classes, inner, text)) = heading.take() else {
                    continue;
                };
                let title = text.trim().to_string();
                let mut id = id.unwrap_or_else(|| slugify(&title));
                if id.is_empty() {
                    id = "section".into();
                }
                if used_ids.contains(&id) {
                    let base = id.clone();
                    let mut n = 1;
                    while used_ids.contains(&format!("{base}-{n}")) {
                        n += 1;
                    }
                    id = format!("{base}-{n}");
                }
                used_ids.insert(id.clone());
                out.anchors.insert(id.clone());
                let lvl = level as u8;
                if emit_html {
                    let mut open = format!("<h{lvl} id=\"{}\"", escape_html(&id));
                    if !classes.is_empty() {
                        let cls: Vec<String> = classes
                            .iter()
                            .map(|c| format!("variant-{}", escape_html(c)))
                            .collect();
                        let _ = write!(
                            open,
                            " class=\"variant-heading {}\" data-variant=\"{}\"",
                            cls.join(" "),
                            escape_html(&classes[0])
                        );
                    }
                    open.push('>');
                    events.push(Event::Html(CowStr::from(open)));
                    events.extend(inner);
                    events.push(Event::Html(CowStr::from(format!(
                        " <a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a></h{lvl}>\n",
                        escape_html(&id)
                    ))));
                }
                if pass.text {
                    push_text(&mut text_buf, &title);
                    if lvl == 2 {
                        section_starts.push((text_buf.len(), id.clone(), title.clone()));
                    }
                }
                out.headings.push(Heading {
                    level: lvl,
                    id,
                    title,
                    classes,
                });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                let Some((lang, text)) = code.take() else {
                    continue;
                };
                if emit_html {
                    let lang_attr = escape_html(&lang);
                    // The block's language is named above it, in words a reader knows ("Azure CLI", not
                    // "bash"); the head is also where the theme puts the copy button, so it never covers code.
                    let head = match language_name(&lang) {
                        Some(name) => format!(
                            "<div class=\"code-head\"><span class=\"code-lang\">{}</span></div>",
                            escape_html(name)
                        ),
                        None => "<div class=\"code-head\"></div>".to_string(),
                    };
                    let html = if lang.is_empty() {
                        format!(
                            "<div class=\"code-block\">{head}<pre class=\"code\"><code>{}</code></pre></div>\n",
                            escape_html(&text)
                        )
                    } else {
                        format!(
                            "<div class=\"code-block\">{head}<pre class=\"code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{}</code></pre></div>\n",
                            highlight(&lang, &text)
                        )
                    };
                    events.push(Event::Html(CowStr::from(html)));
                }
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, buf)) = code.as_mut() {
                    buf.push_str(&t);
                }
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (cls, title) = match kind {
                    BlockQuoteKind::Note => ("note", "Note"),
                    BlockQuoteKind::Tip => ("tip", "Tip"),
                    BlockQuoteKind::Important => ("important", "Important"),
                    BlockQuoteKind::Warning => ("warning", "Warning"),
                    BlockQuoteKind::Caution => ("caution", "Caution"),
                };
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"admonition admonition-{cls}\" role=\"note\"><p class=\"admonition-title\">{title}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Start(Tag::Table(align)) => {
                table_align = align;
                events.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\"><table>\n",
                )));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::Html(CowStr::Borrowed("</tbody></table></div>\n")));
            }
            Event::Start(Tag::TableHead) => {
                in_head = true;
                cell = 0;
                events.push(Event::Html(CowStr::Borrowed("<thead><tr>")));
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                events.push(Event::Html(CowStr::Borrowed("</tr></thead>\n<tbody>\n")));
            }
            Event::Start(Tag::TableRow) => {
                cell = 0;
                events.push(Event::Html(CowStr::Borrowed("<tr>")));
            }
            Event::End(TagEnd::TableRow) => events.push(Event::Html(CowStr::Borrowed("</tr>\n"))),
            Event::Start(Tag::TableCell) => {
                let tag = if in_head { "th" } else { "td" };
                let class = match table_align.get(cell) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                events.push(Event::Html(CowStr::from(format!("<{tag}{class}>"))));
            }
            Event::End(TagEnd::TableCell) => {
                let tag = if in_head { "th" } else { "td" };
                cell += 1;
                events.push(Event::Html(CowStr::from(format!("</{tag}>"))));
            }
            Event::Start(Tag::FootnoteDefinition(ref name)) => {
                out.anchors.insert(name.to_string());
                events.push(event);
            }
            Event::Start(Tag::Link { ref dest_url, .. })
            | Event::Start(Tag::Image { ref dest_url, .. }) => {
                let image = matches!(event, Event::Start(Tag::Image { .. }));
                if is_checked(dest_url, image) {
                    out.links.push(LinkRef {
                        dest: dest_url.to_string(),
                        offset: range.start,
                        image,
                    });
                }
                events.push(rewrite_link(event, base_path));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if pass.text {
                    push_text(&mut text_buf, t);
                }
                events.push(event);
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                // Raw HTML in content is escaped: pages must stay CSP-clean and contributors' markup
                // should not be able to inject script or style.
                if let Event::Html(h) | Event::InlineHtml(h) = event {
                    events.push(Event::Text(h));
                }
            }
            other => events.push(other),
        }
    }
    if emit_html {
        let mut html = String::with_capacity(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.list.into_iter());
        // `build` holds every page's HTML until the page is written: no slack from the estimate above.
        html.shrink_to_fit();
        out.html = html;
    }
    if pass.text {
        out.terms = super::page_terms(&text_buf, &section_starts);
    }
    out
}

/// The events to write as HTML; a pass that writes no HTML keeps none (the scan pass of `build` and `check`
/// only reads headings, links and text).
struct Events<'a> {
    keep: bool,
    list: Vec<Event<'a>>,
}

impl<'a> Events<'a> {
    fn push(&mut self, e: Event<'a>) {
        if self.keep {
            self.list.push(e);
        }
    }

    fn extend(&mut self, es: impl IntoIterator<Item = Event<'a>>) {
        if self.keep {
            self.list.extend(es);
        }
    }
}

fn push_text(buf: &mut String, t: &str) {
    if !buf.is_empty() && !buf.ends_with(' ') {
        buf.push(' ');
    }
    buf.push_str(t);
}

fn rewrite_link<'a>(event: Event<'a>, base_path: &str) -> Event<'a> {
    let fix = |dest: CowStr<'a>| -> CowStr<'a> {
        if base_path != "/" && dest.starts_with('/') && !dest.starts_with("//") {
            CowStr::from(format!("{base_path}{}", &dest[1..]))
        } else {
            dest
        }
    };
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: fix(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: fix(dest_url),
            title,
            id,
        }),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_ids_and_anchors() {
        let b = render_markdown(
            "## Step one {#first}\n\n## Verify\n\n## Verify\n",
            "/",
            true,
        );
        let ids: Vec<_> = b.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["first", "verify", "verify-1"]);
        assert!(b
            .html
            .contains("<h2 id=\"first\">Step one <a class=\"anchor\" href=\"#first\""));
    }

    #[test]
    fn table_alignment_becomes_classes() {
        let b = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |\n", "/", true);
        assert!(!b.html.contains("style="), "{}", b.html);
        assert!(b.html.contains("<th class=\"align-left\">a</th>"));
        assert!(b.html.contains("<td class=\"align-right\">2</td>"));
    }

    #[test]
    fn alerts_become_admonitions() {
        let b = render_markdown("> [!WARNING]\n> Back up first.\n", "/", true);
        assert!(
            b.html
                .contains("<div class=\"admonition admonition-warning\" role=\"note\">"),
            "{}",
            b.html
        );
        assert!(!b.html.contains("<blockquote"));
    }

    #[test]
    fn links_are_collected_and_prefixed() {
        let b = render_markdown(
            "See [fix](/fixes/a/#step) and [ext](https://x.org/) and [here](#top).\n",
            "/kb/",
            true,
        );
        let dests: Vec<_> = b.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["/fixes/a/#step", "#top"]);
        assert!(b.html.contains("href=\"/kb/fixes/a/#step\""));
        assert_eq!(b.links[0].offset, 4);
    }

    #[test]
    fn raw_html_is_escaped() {
        let b = render_markdown(
            "<script>alert(1)</script>\n\nhi <b style=\"x\">x</b>\n",
            "/",
            true,
        );
        assert!(!b.html.contains("<script"));
        assert!(!b.html.contains("<b style"));
    }

    #[test]
    fn slugify_drops_punctuation() {
        assert_eq!(slugify("What 0x904 means?"), "what-0x904-means");
        assert_eq!(
            slugify("  Step 1: Drain the host "),
            "step-1-drain-the-host"
        );
    }
}
