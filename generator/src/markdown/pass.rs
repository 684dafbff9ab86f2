//! Markdown to HTML in one pass that also collects what validation needs: heading anchors and links.
//!
//! ## Why a custom event pass
//! Pages run under a strict Content-Security-Policy (`style-src 'self'`), so nothing may carry a `style`
//! attribute: pulldown-cmark writes table alignment as `style="text-align: ..."`, so tables are emitted
//! here with classes instead. Headings get stable ids and an anchor link, code blocks are highlighted at
//! build time into classed spans, GitHub-style alerts become admonitions, and root-relative links get the
//! site's base path.

use std::collections::HashSet;

use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

use super::blocks;
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
    /// Footnote definitions' names: with the headings' ids, every `id` on the page (see [`Body::has_anchor`]).
    pub footnotes: Vec<String>,
    /// The body's plain text and where its `##` sections start, for the search index (only when
    /// `Pass::text`): `build` turns it into terms while the page is written, so terms are never held.
    pub text: super::PageText,
}

impl Body {
    /// Every `id` on the page: headings', then footnotes'. A list, not a set: a page has a few, and
    /// a set per page cost 700 bytes each on a 100,000-page build.
    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        self.headings
            .iter()
            .map(|h| h.id.as_str())
            .chain(self.footnotes.iter().map(String::as_str))
    }

    /// Whether the page has an element with id `id`.
    pub fn has_anchor(&self, id: &str) -> bool {
        self.anchors().any(|a| a == id)
    }
}

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

/// Renders `body` producing what `pass` asks for. `build` keeps the HTML of the pages that fit its budget
/// and makes the others' again while writing them, so the whole site's HTML is never in memory at once.
pub fn render_markdown_pass(body: &str, base_path: &str, pass: Pass) -> Body {
    let mut walk = Walk {
        pass,
        base_path,
        out: Body::default(),
        text: String::new(),
        section_starts: Vec::new(),
        used_ids: HashSet::new(),
        events: Events {
            keep: pass.html,
            list: Vec::new(),
        },
        heading: None,
        code: None,
        table: Table::default(),
    };
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        walk.event(event, range.start);
    }
    walk.finish(body.len())
}

/// A heading being read: its level, explicit `{#id}`, `{.classes}`, inner events and plain text.
struct OpenHeading<'a> {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<String>,
    inner: Vec<Event<'a>>,
    text: String,
}

/// Where the walk is in a table: cells get alignment classes, not pulldown-cmark's `style` attributes.
#[derive(Default)]
struct Table {
    align: Vec<Alignment>,
    cell: usize,
    in_head: bool,
    /// Where the open cell's tag is in the event list: it gets the class `prose` at the cell's end when its
    /// text turns out to be running text.
    cell_at: usize,
    /// The number of headings when the last table started, and how many tables followed that heading:
    /// each table's scrolling region is named after its heading, numbered when one heading has several.
    headings_at: usize,
    under_heading: usize,
}

/// The state of one pass over a body's events.
struct Walk<'a, 'b> {
    pass: Pass,
    base_path: &'b str,
    out: Body,
    /// The body's plain text, for search terms (only when `pass.text`).
    text: String,
    section_starts: Vec<super::SectionStart>,
    used_ids: HashSet<String>,
    events: Events<'a>,
    heading: Option<OpenHeading<'a>>,
    /// An open code block: its language and text.
    code: Option<(String, String)>,
    table: Table,
}

impl<'a> Walk<'a, '_> {
    /// Handles one event at byte `at` of the body.
    fn event(&mut self, event: Event<'a>, at: usize) {
        if self.heading.is_some() && !matches!(event, Event::End(TagEnd::Heading(_))) {
            self.in_heading(event, at);
            return;
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                self.heading = Some(OpenHeading {
                    level,
                    id: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    inner: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, text)) = self.code.take() {
                    if self.pass.html {
                        self.html(blocks::code_block(&lang, &text));
                    }
                }
            }
            Event::Text(t) if self.code.is_some() => {
                if let Some((_, buf)) = self.code.as_mut() {
                    buf.push_str(&t);
                }
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => self.html(blocks::admonition_open(kind)),
            Event::End(TagEnd::BlockQuote(Some(_))) => self.html_static("</div>\n"),
            Event::Start(Tag::FootnoteDefinition(ref name)) => {
                self.out.footnotes.push(name.to_string());
                self.events.push(event);
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                self.collect_link(&event, at);
                self.events.push(rewrite_link(event, self.base_path));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if self.pass.text {
                    push_text(&mut self.text, t);
                }
                self.events.push(event);
            }
            // Raw HTML in content is escaped: pages must stay CSP-clean and contributors' markup should not
            // be able to inject script or style.
            Event::Html(h) | Event::InlineHtml(h) => self.events.push(Event::Text(h)),
            other => self.table_or_other(other),
        }
    }

    /// An event inside a heading: kept for the heading's HTML, its text for the title, its links checked.
    fn in_heading(&mut self, event: Event<'a>, at: usize) {
        self.collect_link(&event, at);
        let event = rewrite_link(event, self.base_path);
        if let Some(h) = self.heading.as_mut() {
            if let Event::Text(t) | Event::Code(t) = &event {
                h.text.push_str(t);
            }
            h.inner.push(event);
        }
    }

    /// Records a link or image that validation must see (see [`is_checked`]).
    fn collect_link(&mut self, event: &Event<'a>, at: usize) {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            let image = matches!(event, Event::Start(Tag::Image { .. }));
            if is_checked(dest_url, image) {
                self.out.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    offset: at,
                    image,
                });
            }
        }
    }

    /// A heading ends: it gets a unique id (explicit, or from its text), an anchor link, and a place in the
    /// headings, and a `##` heading starts a search section.
    fn end_heading(&mut self) {
        let Some(h) = self.heading.take() else {
            return;
        };
        let title = h.text.trim().to_string();
        let id = self.unique_id(h.id.unwrap_or_else(|| slugify(&title)));
        let level = h.level as u8;
        if self.pass.html {
            self.html(blocks::heading_open(level, &id, &h.classes));
            self.events.extend(h.inner);
            self.html(blocks::heading_close(level, &id));
        }
        if self.pass.text {
            push_text(&mut self.text, &title);
            if level == 2 {
                self.section_starts
                    .push((self.text.len(), id.clone(), title.clone()));
            }
        }
        self.out.headings.push(Heading {
            level,
            id,
            title,
            classes: h.classes,
        });
    }

    /// `id`, or `id-1`, `id-2`... when the page already has it; `section` for a heading with no text.
    fn unique_id(&mut self, mut id: String) -> String {
        if id.is_empty() {
            id = "section".into();
        }
        if self.used_ids.contains(&id) {
            let base = id.clone();
            let mut n = 1;
            while self.used_ids.contains(&format!("{base}-{n}")) {
                n += 1;
            }
            id = format!("{base}-{n}");
        }
        self.used_ids.insert(id.clone());
        id
    }

    /// Table events (written with classes), or any other event as it is.
    fn table_or_other(&mut self, event: Event<'a>) {
        let t = &mut self.table;
        let html: std::borrow::Cow<'static, str> = match event {
            Event::Start(Tag::Table(align)) => {
                t.align = align;
                let headings = &self.out.headings;
                if t.headings_at != headings.len() {
                    t.headings_at = headings.len();
                    t.under_heading = 0;
                }
                t.under_heading += 1;
                let heading = headings.last().map(|h| h.title.as_str());
                blocks::table_open(heading, t.under_heading).into()
            }
            Event::End(TagEnd::Table) => "</tbody></table></div>\n".into(),
            Event::Start(Tag::TableHead) => {
                t.in_head = true;
                t.cell = 0;
                "<thead><tr>".into()
            }
            Event::End(TagEnd::TableHead) => {
                t.in_head = false;
                "</tr></thead>\n<tbody>\n".into()
            }
            Event::Start(Tag::TableRow) => {
                t.cell = 0;
                "<tr>".into()
            }
            Event::End(TagEnd::TableRow) => "</tr>\n".into(),
            Event::Start(Tag::TableCell) => {
                t.cell_at = self.events.list.len();
                blocks::cell_open(t.in_head, t.align.get(t.cell), false).into()
            }
            Event::End(TagEnd::TableCell) => {
                // The cell's text is known only now: its tag is written again if it is running text.
                if let Some(inner) = self.events.list.get(t.cell_at + 1..) {
                    let text: String = inner
                        .iter()
                        .filter_map(|e| match e {
                            Event::Text(s) | Event::Code(s) => Some(s.as_ref()),
                            _ => None,
                        })
                        .collect();
                    if blocks::is_prose(&text) {
                        let open = blocks::cell_open(t.in_head, t.align.get(t.cell), true);
                        self.events.list[t.cell_at] = Event::Html(CowStr::from(open));
                    }
                }
                t.cell += 1;
                format!("</{}>", if t.in_head { "th" } else { "td" }).into()
            }
            other => {
                self.events.push(other);
                return;
            }
        };
        self.events
            .push(Event::Html(CowStr::from(html.into_owned())));
    }

    fn html(&mut self, html: String) {
        self.events.push(Event::Html(CowStr::from(html)));
    }

    fn html_static(&mut self, html: &'static str) {
        self.events.push(Event::Html(CowStr::Borrowed(html)));
    }

    /// The body with its HTML (when asked; `body_len` sizes the buffer) and its search sections.
    fn finish(mut self, body_len: usize) -> Body {
        if self.pass.html {
            let mut html = String::with_capacity(body_len * 3 / 2);
            pulldown_cmark::html::push_html(&mut html, self.events.list.into_iter());
            // `build` holds the HTML of many pages until each is written: no slack from the estimate above.
            html.shrink_to_fit();
            self.out.html = html;
        }
        if self.pass.text {
            self.text.shrink_to_fit();
            self.out.text = super::PageText {
                text: self.text,
                starts: self.section_starts,
            };
        }
        self.out
    }
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
    fn running_text_in_a_cell_is_marked() {
        let md = "| Code | Meaning |\n|---|:--|\n| `0x904` | The server's listener could not use its certificate |\n| `0x7` | **short** |\n| `ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED_LONG` | [a link](/x/) and `code` count as text too |\n";
        let b = render_markdown(md, "/", true);
        assert!(b.html.contains("<td><code>0x904</code></td>"), "{}", b.html);
        assert!(b
            .html
            .contains("<td class=\"align-left prose\">The server's listener"));
        assert!(b.html.contains("<td class=\"align-left\"><strong>short"));
        // One long word does not wrap: it is not running text.
        assert!(b.html.contains("<td><code>ERRCONNECT_"));
        assert!(b.html.contains("<td class=\"align-left prose\"><a href"));
        assert!(!b.html.contains("<th class=\"align-left prose\">"));
    }

    #[test]
    fn tables_scroll_in_named_regions() {
        let t = "| a |\n|---|\n| 1 |\n";
        let md = format!("{t}\n## Codes & names\n\n{t}\n{t}");
        let b = render_markdown(&md, "/", true);
        let regions: Vec<_> = b
            .html
            .match_indices("<div class=\"table-wrap\"")
            .map(|(i, _)| &b.html[i..i + b.html[i..].find('>').unwrap_or(0) + 1])
            .collect();
        let attrs = " role=\"region\" tabindex=\"0\" aria-label=";
        assert_eq!(
            regions,
            [
                format!("<div class=\"table-wrap\"{attrs}\"Table\">"),
                format!("<div class=\"table-wrap\"{attrs}\"Table: Codes &amp; names\">"),
                format!("<div class=\"table-wrap\"{attrs}\"Table 2: Codes &amp; names\">"),
            ]
        );
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
