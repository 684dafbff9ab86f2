//! The Atom feed (`/atom.xml`): the newest pages by `updated`, so a help desk can subscribe to what changed.
//!
//! ## Why Atom, written by hand
//! Atom (RFC 4287) is what feed readers and mail-to-feed tools expect from documentation sites; it needs an
//! `id` and an `updated` per entry, which every page has (its permalink and `updated:` date). The format is a
//! dozen elements, so it is written here with escaping rather than through a template a theme could break.

use crate::load::Page;
use crate::model::Model;

/// How many entries the feed holds: enough for a month of changes on a busy guide, small enough to poll.
pub const FEED_ENTRIES: usize = 50;

/// The feed of `model`, newest `updated` first (ties by title), at most [`FEED_ENTRIES`] entries.
pub fn atom(model: &Model) -> String {
    let base = &model.site.config.base_url;
    let mut pages: Vec<&Page> = model.site.pages.iter().collect();
    pages.sort_by(|a, b| {
        b.meta
            .updated
            .cmp(&a.meta.updated)
            .then_with(|| a.meta.title.cmp(&b.meta.title))
    });
    pages.truncate(FEED_ENTRIES);
    let newest = pages
        .first()
        .map_or("1970-01-01", |p| p.meta.updated.as_str());
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    s.push_str(&format!(
        "<title>{}</title>\n<id>{}</id>\n<link rel=\"self\" href=\"{}atom.xml\"/>\n<link href=\"{}\"/>\n<updated>{}</updated>\n",
        escape(&model.site.config.title),
        escape(base),
        escape(base),
        escape(base),
        timestamp(newest)
    ));
    s.push_str(&format!(
        "<author><name>{}</name></author>\n",
        escape(&model.site.config.title)
    ));
    for p in pages {
        let url = format!("{base}{}/{}/", p.section, p.slug);
        s.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n<updated>{}</updated>\n<summary>{}</summary>\n<category term=\"{}\"/>\n</entry>\n",
            escape(&p.meta.title),
            escape(&url),
            escape(&url),
            timestamp(&p.meta.updated),
            escape(&p.meta.summary),
            p.meta.kind.as_str()
        ));
    }
    s.push_str("</feed>\n");
    s
}

/// `2026-11-30` -> `2026-11-30T00:00:00Z` (Atom requires a date-time).
fn timestamp(date: &str) -> String {
    format!("{}T00:00:00Z", escape(date))
}

/// Text and attribute escaping; control characters other than tab and newlines are dropped (XML 1.0 cannot
/// carry them, and a feed reader would refuse the whole feed).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            escape("a < b & \"c\"\u{1b}[2K"),
            "a &lt; b &amp; &quot;c&quot;[2K"
        );
    }
}
