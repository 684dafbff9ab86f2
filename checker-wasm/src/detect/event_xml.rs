//! Event-log entries as XML: Event Viewer's Details tab in "XML View", `wevtutil qe <log>` (XML is its
//! default format: one line per event, attributes in single quotes), `Get-WinEvent ... | % { $_.ToXml() }`,
//! and an exported event with its `RenderingInfo`.
//!
//! ## How
//! The event schema (`http://schemas.microsoft.com/win/2004/08/events/event`) holds what the text copy
//! shows, under other names: `<Provider Name='…'/>` is the Source, `<EventID>` the Event ID, `<Channel>` the
//! Log Name, `<Level>` a number (1 Critical, 2 Error, 3 Warning, 4 Information), and each
//! `<Data Name='SubStatus'>0xc000006a</Data>` of `EventData` a field the text copy shows as
//! `Sub Status: 0xC000006A`. [`as_fields`] rewrites the markup into those `Key: value` lines, in place:
//! every tag becomes the line it stands for padded with spaces, or spaces, so the text keeps its length and
//! every byte outside the markup keeps its offset. The event and code detectors then read it as they read
//! a text copy, with the spans they find pointing into the paste.
//!
//! ## What is not claimed
//! A `Level` of 0 (LogAlways, what security audit events carry) or 4 names no level: "Information" does not fit
//! in the tag it replaces, and an informational event is not the failure. Inside `RenderingInfo` (the
//! formatted message, level and channel as display names) the tags are only blanked: its `Message` is the
//! text copy's description, read as such; its `Level` and `Channel` repeat the `System` ones.

/// Whether `text` may hold an event in XML: two substring searches.
fn looks_like_event_xml(text: &str) -> bool {
    text.contains("<Event") && text.contains("<EventID")
}

/// `text` with every event-XML tag rewritten as the `Key: value` line it stands for, at the same length;
/// `None` when the text holds no event XML.
pub(crate) fn as_fields(text: &str) -> Option<String> {
    if !looks_like_event_xml(text) {
        return None;
    }
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let mut rendering = false;
    while let Some(lt) = memchr(b'<', b, i) {
        let Some(gt) = memchr(b'>', b, lt) else { break };
        let tag = text.get(lt + 1..gt).unwrap_or("");
        let name = tag_name(tag);
        i = gt + 1;
        match name {
            "RenderingInfo" => rendering = true,
            "/RenderingInfo" => rendering = false,
            _ => {}
        }
        // An element whose text is the value: rewrite from its start tag to its end tag.
        let element = match (rendering, name) {
            _ if tag.ends_with('/') => None,
            (false, "EventID") => Some("EventID"),
            (false, "Channel") => Some("LogName"),
            (false, "Level") => Some("Level"),
            (false, "Computer") => Some("Computer"),
            (_, "Data") => Some("Data"),
            _ => None,
        };
        if let Some(kind) = element {
            let close = format!("</{name}>");
            let end =
                find(text, &close, i).filter(|&e| !text.get(i..e).unwrap_or("<").contains('<'));
            let Some(end) = end else {
                // No end tag, or markup inside: keep the text, blank the tag.
                blank(&mut out, lt, gt + 1);
                continue;
            };
            let value = text.get(i..end).unwrap_or("").trim();
            let stop = end + close.len();
            let line = match kind {
                "Data" => attr(tag, "Name").map(|k| format!("{}: {value}", words(k))),
                // `Level` names its level in place of its number, or nothing.
                "Level" => level(value).map(|l| format!("Level: {l}")),
                key => Some(format!("{key}: {value}")),
            };
            match line {
                Some(line) => write_line(&mut out, lt, stop, &line),
                None if kind == "Level" => blank(&mut out, lt, stop),
                // A `Data` without a name: keep the text, blank the tag.
                None => {
                    blank(&mut out, lt, gt + 1);
                    continue;
                }
            }
            i = stop;
            continue;
        }
        if !rendering && name == "Provider" {
            if let Some(p) = attr(tag, "Name") {
                write_line(&mut out, lt, gt + 1, &format!("Source: {p}"));
                continue;
            }
        }
        blank(&mut out, lt, gt + 1);
        // A tag that ends an element ends a line, so a one-line `wevtutil` event becomes lines.
        if name.starts_with('/') || tag.ends_with('/') {
            if let Some(c) = out.get_mut(gt) {
                *c = b'\n';
            }
        }
    }
    // Only ASCII was written, over whole tags (which start and end with ASCII): still UTF-8.
    String::from_utf8(out).ok()
}

/// The element name of a tag's inside (`Data Name='x'` -> `Data`, `/Data` -> `/Data`, `br/` -> `br`).
fn tag_name(tag: &str) -> &str {
    let slash = usize::from(tag.starts_with('/'));
    let rest = tag.get(slash..).unwrap_or("");
    let len = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .unwrap_or(rest.len());
    tag.get(..slash + len).unwrap_or("")
}

/// The value of attribute `name` in a tag, quoted with `"` or `'`.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(at) = tag.get(from..)?.find(name) {
        let start = from + at;
        from = start + name.len();
        let before = tag.get(..start)?.chars().last();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = tag
            .get(from..)?
            .trim_start()
            .strip_prefix('=')?
            .trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let body = rest.get(1..)?;
        return body.find(quote).and_then(|end| body.get(..end));
    }
    None
}

/// `SubStatus` -> `Sub Status`, `TargetUserName` -> `Target User Name`: the words the text copy shows.
fn words(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            s.push(' ');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        s.push(c);
    }
    s
}

/// The level a `<Level>` number stands for, when it names a failure or a warning.
fn level(value: &str) -> Option<&'static str> {
    match value {
        "1" => Some("Critical"),
        "2" => Some("Error"),
        "3" => Some("Warning"),
        _ => None,
    }
}

/// Writes `line` over `out[from..to]`, padded with spaces and ended by a line break; blanks the range when
/// the line does not fit (it always does for the tags rewritten here: their markup is longer than the key).
fn write_line(out: &mut [u8], from: usize, to: usize, line: &str) {
    blank(out, from, to);
    if line.len() < to.saturating_sub(from) {
        if let Some(head) = out.get_mut(from..from + line.len()) {
            head.copy_from_slice(line.as_bytes());
        }
        if let Some(c) = out.get_mut(to - 1) {
            *c = b'\n';
        }
    }
}

fn blank(out: &mut [u8], from: usize, to: usize) {
    for c in out.get_mut(from..to).unwrap_or_default() {
        if *c != b'\n' {
            *c = b' ';
        }
    }
}

fn memchr(needle: u8, hay: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .iter()
        .position(|&c| c == needle)
        .map(|p| from + p)
}

fn find(text: &str, needle: &str, from: usize) -> Option<usize> {
    text.get(from..)?.find(needle).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_security_event_becomes_its_text_fields_at_the_same_length() {
        let xml = "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n  <System>\n    \
                   <Provider Name=\"Microsoft-Windows-Security-Auditing\" Guid=\"{54849625-5478-4994-a5ba-3e3b0328c30d}\" />\n    \
                   <EventID>4625</EventID>\n    <Level>0</Level>\n    <Channel>Security</Channel>\n  </System>\n  \
                   <EventData>\n    <Data Name=\"SubStatus\">0xc000006a</Data>\n    <Data>plain</Data>\n  </EventData>\n</Event>\n";
        let t = as_fields(xml).unwrap_or_default();
        assert_eq!(t.len(), xml.len());
        let lines: Vec<&str> = t.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            [
                "Source: Microsoft-Windows-Security-Auditing",
                "EventID: 4625",
                "LogName: Security",
                "Sub Status: 0xc000006a",
                "plain"
            ]
        );
        // The value keeps its place: what a detector finds points into the paste.
        let at = xml.find("Security</Channel>").unwrap_or(0);
        assert_eq!(&t[at..at + 8], "Security");
    }

    #[test]
    fn wevtutil_one_line_events_with_single_quotes_become_lines() {
        let xml = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Schannel' Guid='{1f678132-5938-4686-9fdc-c8ff68f15c85}'/><EventID Qualifiers='49152'>36871</EventID><Level>2</Level><Channel>System</Channel><Computer>rdsh01.corp.example</Computer></System><EventData><Data Name='Type'>server</Data><Data Name='ErrorState'>10013</Data></EventData></Event><Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='TermDD'/><EventID>56</EventID></System></Event>";
        let t = as_fields(xml).unwrap_or_default();
        assert_eq!(t.len(), xml.len());
        let lines: Vec<&str> = t.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            [
                "Source: Schannel",
                "EventID: 36871",
                "Level: Error",
                "LogName: System",
                "Computer: rdsh01.corp.example",
                "Type: server",
                "Error State: 10013",
                "Source: TermDD",
                "EventID: 56"
            ]
        );
    }

    #[test]
    fn text_without_event_xml_is_left_alone_and_broken_markup_never_panics() {
        assert_eq!(as_fields("Event ID: 4625\nSource: x"), None);
        for cut in [
            "<Event><EventID>4625",
            "<Event><EventID>4625</EventID><Data Name='",
            "<Event <EventID <Provider Name=\"x",
            "<Event><EventID>é</EventID><Data Name='Ünï'>ß</Data>",
            "<Event><EventID><Data Name='a'><b></Data></EventID>",
        ] {
            let t = as_fields(cut).unwrap_or_default();
            assert_eq!(t.len(), cut.len(), "{cut}");
        }
    }
}
