//! Event-log entries: Event Viewer's "Copy details as text", `wevtutil qe /f:text`, and
//! `Get-WinEvent | Format-List`; event XML (Event Viewer's XML view, `wevtutil qe`'s default) reaches this
//! detector rewritten into those fields by [`super::event_xml`].
//!
//! ## What it recognises
//! Groups of `Key: value` lines: `Log Name`/`LogName`, `Source`/`ProviderName`, `Event ID`/`Id`,
//! `Level`/`LevelDisplayName`. A group with a source and an id is an event. Event Viewer's title line
//! (`Event 36870, <provider>`) counts too. Codes inside the description are found by the code detector,
//! which reads the whole paste.
//!
//! - The same fields re-flowed onto one line by a mail or chat client (`Source: Netlogon, Event ID: 5719`,
//!   `Log Name: System  Source: Netlogon  Event ID: 5719  Level: Error`, or the whole copy tab-separated):
//!   a line holding two or more of the fields above is split at every Event Viewer field name.
//! - An event id with no source anywhere in the paste (`Event ID: 36870` alone, `event id 36870` or
//!   `EventID 36870` in a sentence): the index's event tables give its provider when they know exactly one
//!   for that id. An id two providers log (1058 is Group Policy's and RemoteConnectionManager's), or one the
//!   index does not know, gives nothing: it would be a guess, and a wrong event ranks wrong causes. A bare
//!   `Id` without a provider is no event id (`Get-Process | Format-List` prints `Id : 1234`).
//!
//! ## Why fields and not layout
//! The three tools order and pad the fields differently, and mail clients re-wrap them; the field names
//! are what survives. A group ends when a field repeats (the next event) or after a long gap.

use std::collections::HashSet;

use crate::detect::scan::{boundary_after, field, lines, name_token, unquote, PhraseSet};
use crate::index::{canonical_event_id, same_event_source, KnowledgeIndex, TableKind};
use crate::limits::MAX_SIGNALS_PER_DETECTOR;
use crate::report::Signal;

/// Lines after the last field at which a group is closed.
const MAX_GAP: usize = 40;

#[derive(Default)]
struct Group {
    start: usize,
    end: usize,
    last_line: usize,
    log: Option<String>,
    source: Option<String>,
    id: Option<u32>,
    level: Option<String>,
    /// The id came from `Event ID`/`EventID`, not a bare `Id` (a process list's `Id : 1234` is no event).
    event_key: bool,
}

enum Key {
    Log,
    Source,
    Id,
    Level,
}

fn key(k: &str) -> Option<Key> {
    Some(match k {
        "log name" | "logname" => Key::Log,
        "source" | "providername" | "provider name" => Key::Source,
        "event id" | "id" | "eventid" => Key::Id,
        "level" | "leveldisplayname" => Key::Level,
        _ => return None,
    })
}

/// The meaning of event `id` from `source`, from the index's event tables.
pub(crate) fn meaning(index: &KnowledgeIndex, source: &str, id: u32) -> Option<String> {
    index
        .event_row(source, id)
        .map(|r| r.meaning.clone())
        .filter(|m| !m.is_empty())
}

/// Event Viewer's field names, for splitting a re-flowed entry that lost its line breaks. Any of them ends
/// the value before it, also those this detector does not read.
const VIEWER_KEYS: &[&str] = &[
    "log name",
    "logname",
    "source",
    "providername",
    "date",
    "event id",
    "eventid",
    "task category",
    "level",
    "leveldisplayname",
    "opcode",
    "keywords",
    "user",
    "computer",
    "description",
];

/// `Log Name: System  Source: Netlogon  Event ID: 5719  Level: Error` or `Source: Netlogon, Event ID: 5719`:
/// an entry re-flowed onto one line by a mail or chat client. Returns its fields (lower-case key, value)
/// when at least two of them are ones this detector reads; `None` for an ordinary line.
fn one_line_fields(line: &str) -> Option<Vec<(String, &str)>> {
    let b = line.as_bytes();
    // Two colons at least.
    b.iter().filter(|&&c| c == b':').nth(1)?;
    // (key start, value start, key) for each `Key:` whose key is a viewer field at a word start.
    let mut found: Vec<(usize, usize, &str)> = Vec::new();
    for (colon, _) in line.match_indices(':') {
        let head = line.get(..colon)?.trim_end_matches([' ', '\t']);
        // Most colons are in times (`9:14:02`) and URLs; a field name ends in a letter.
        if !head.as_bytes().last().is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let Some(key) = VIEWER_KEYS.iter().find(|k| {
            head.len() >= k.len()
                && head
                    .get(head.len() - k.len()..)
                    .is_some_and(|t| t.eq_ignore_ascii_case(k))
        }) else {
            continue;
        };
        let at = head.len() - key.len();
        let before = head.get(..at).unwrap_or("");
        let ok = before.is_empty()
            || before.ends_with([' ', '\t', ',', ';', '>'])
            || before.trim_start_matches(['>', ' ']).is_empty();
        if ok {
            found.push((at, colon + 1, key));
        }
    }
    let ours = found.iter().filter(|(_, _, k)| key(k).is_some()).count();
    if ours < 2 {
        return None;
    }
    let mut fields = Vec::new();
    for (i, &(_, value_start, k)) in found.iter().enumerate() {
        let value_end = found.get(i + 1).map_or(line.len(), |next| next.0);
        let value = line
            .get(value_start..value_end)
            .unwrap_or("")
            .trim()
            .trim_end_matches([',', ';'])
            .trim();
        fields.push((k.to_string(), value));
    }
    Some(fields)
}

/// The source of event `id` when the index's event tables know exactly one provider for it.
fn only_source(index: &KnowledgeIndex, id: u32) -> Option<String> {
    let id = id.to_string();
    let mut source: Option<&str> = None;
    for r in index
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::Event)
        .flat_map(|t| &t.rows)
        .filter(|r| r.value == id)
    {
        let s = r.source.as_deref()?;
        match source {
            Some(prev) if !same_event_source(prev, s) => return None,
            _ => source = Some(s),
        }
    }
    source.map(str::to_string)
}

/// Emits event signals into `out`, each (source, id) once.
pub(crate) fn detect(text: &str, index: &KnowledgeIndex, out: &mut Vec<Signal>) {
    let mut seen: HashSet<(String, u32)> = HashSet::new();
    // Event ids shown without a source: (id, span, level), looked up once the whole paste is read.
    let mut sourceless: Vec<(u32, [usize; 2], Option<String>)> = Vec::new();
    // One signal past the engine's cap shows it the cut; more would only grow `seen`.
    let full = out.len() + MAX_SIGNALS_PER_DETECTOR + 1;
    let mut emit = |g: &Group, out: &mut Vec<Signal>, sourceless: &mut Vec<_>| {
        let Some(id) = g.id else { return };
        if out.len() >= full {
            return;
        }
        let Some(source) = &g.source else {
            if g.event_key {
                sourceless.push((id, [g.start, g.end], g.level.clone()));
            }
            return;
        };
        let norm = source.to_ascii_lowercase();
        let norm = norm
            .strip_prefix("microsoft-windows-")
            .unwrap_or(&norm)
            .to_string();
        if !seen.insert((norm, id)) {
            return;
        }
        out.push(Signal::Event {
            log: g.log.clone(),
            source: source.clone(),
            id,
            level: g.level.clone(),
            meaning: meaning(index, source, id),
            span: [g.start, g.end],
        });
    };

    for row in table_rows(text) {
        emit(&row, out, &mut sourceless);
    }
    let mut g: Option<Group> = None;
    for (n, line) in lines(text).enumerate() {
        if let Some(cur) = &g {
            if n - cur.last_line > MAX_GAP {
                emit(cur, out, &mut sourceless);
                g = None;
            }
        }
        if let Some((source, id)) = title_line(line.text) {
            let title = Group {
                start: line.start,
                end: line.end(),
                source: Some(source),
                id: Some(id),
                ..Group::default()
            };
            emit(&title, out, &mut sourceless);
            continue;
        }
        let fields = match one_line_fields(line.text) {
            Some(fields) => fields,
            None => match field(line.text) {
                Some((k, _, value)) => vec![(k, value)],
                None => continue,
            },
        };
        for (k, value) in fields {
            let event_key = matches!(k.as_str(), "event id" | "eventid");
            let Some(k) = key(&k) else { continue };
            let repeated = g.as_ref().is_some_and(|cur| match k {
                Key::Log => cur.log.is_some(),
                Key::Source => cur.source.is_some(),
                Key::Id => cur.id.is_some(),
                Key::Level => cur.level.is_some(),
            });
            if repeated {
                if let Some(cur) = g.take() {
                    emit(&cur, out, &mut sourceless);
                }
            }
            let cur = g.get_or_insert_with(|| Group {
                start: line.start,
                ..Group::default()
            });
            cur.end = line.end();
            cur.last_line = n;
            match k {
                Key::Log => cur.log = name_token(value, 120),
                Key::Source => cur.source = name_token(value, 120),
                Key::Id => {
                    cur.id = canonical_event_id(value);
                    cur.event_key = event_key;
                }
                Key::Level => cur.level = name_token(value, 40),
            }
        }
    }
    if let Some(cur) = g {
        emit(&cur, out, &mut sourceless);
    }
    // The phrase scan is a pass over the paste: only when some word can be "event".
    if text.contains("vent") || text.contains("VENT") {
        inline_ids(text, &mut sourceless);
    }
    // An id with a source elsewhere in the paste was read with it; only ids shown nowhere with a source are
    // looked up, and only an id the index gives one provider becomes an event.
    let sourced: HashSet<u32> = out
        .iter()
        .filter_map(|s| match s {
            Signal::Event { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    for (id, span, level) in sourceless {
        if sourced.contains(&id) {
            continue;
        }
        let Some(source) = only_source(index, id) else {
            continue;
        };
        let g = Group {
            start: span[0],
            end: span[1],
            source: Some(source),
            id: Some(id),
            level,
            ..Group::default()
        };
        emit(&g, out, &mut Vec::new());
    }
}

/// `Get-WinEvent`'s default output, a table under each provider's name:
///
/// ```text
///    ProviderName: Contoso-Provider
///
/// TimeCreated                      Id LevelDisplayName Message
/// -----------                      -- ---------------- -------
/// 11/30/2026 9:41:09 AM          4242 Error            The operation failed because ...
/// ```
///
/// The dashes line gives the columns: an id is the number that ends where the `Id` column's dashes end
/// (PowerShell right-aligns numbers), the level the word where `LevelDisplayName`'s start. The property
/// names are the same in every language (only the values are translated). A row without a number there is
/// not an event; the rows end at a blank line.
fn table_rows(text: &str) -> Vec<Group> {
    let mut rows = Vec::new();
    // Only when PowerShell's header is there: one search.
    if !text.contains("LevelDisplayName") {
        return rows;
    }
    let mut provider: Option<String> = None;
    let mut header: Option<&str> = None;
    // (end of the Id column, start of the level column) once the dashes line is read.
    let mut columns: Option<(usize, Option<usize>)> = None;
    for line in lines(text) {
        let t = line.text.trim();
        if let Some(p) = t.strip_prefix("ProviderName:") {
            provider = name_token(p.trim(), 120);
            columns = None;
            continue;
        }
        if t.is_empty() {
            columns = None;
            continue;
        }
        if let Some((id_end, level_at)) = columns {
            let Some(id) = number_ending_at(line.text, id_end) else {
                continue;
            };
            let level = level_at
                .and_then(|at| line.text.get(at..))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|w| name_token(w, 40));
            rows.push(Group {
                start: line.start,
                end: line.end(),
                source: provider.clone(),
                id: Some(id),
                level,
                event_key: true,
                ..Group::default()
            });
            continue;
        }
        if t.starts_with("--") {
            if let Some(h) = header.take() {
                columns = dash_columns(h, line.text);
            }
            continue;
        }
        header =
            (t.starts_with("TimeCreated") && t.contains("LevelDisplayName")).then_some(line.text);
    }
    rows
}

/// From a table's header and dashes lines: where the `Id` column ends and where `LevelDisplayName` starts.
fn dash_columns(header: &str, dashes: &str) -> Option<(usize, Option<usize>)> {
    // Each run of dashes is a column; the header's name over it says which.
    let mut runs = Vec::new();
    let b = dashes.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b.get(i) == Some(&b'-') {
            let start = i;
            while b.get(i) == Some(&b'-') {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    let name =
        |(start, end): (usize, usize)| header.get(start..end.min(header.len())).map(str::trim);
    let id_end = runs.iter().find(|&&r| name(r) == Some("Id")).map(|r| r.1)?;
    let level = runs
        .iter()
        .find(|&&r| name(r) == Some("LevelDisplayName"))
        .map(|r| r.0);
    Some((id_end, level))
}

/// The event id whose last digit is just before byte `end` of `line` (right-aligned in its column).
fn number_ending_at(line: &str, end: usize) -> Option<u32> {
    let head = line.get(..end.min(line.len()))?;
    if !head.ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let start = head.len() - digits;
    // A number run into the column before it (a time's seconds) is no id.
    if start > 0 && !head.get(..start).is_some_and(|h| h.ends_with([' ', '\t'])) {
        return None;
    }
    canonical_event_id(head.get(start..)?)
}

/// `event id 36870`, `EventID 36870`, `Event ID: 36870` in running text.
fn inline_ids(text: &str, ids: &mut Vec<(u32, [usize; 2], Option<String>)>) {
    let (set, _) = PhraseSet::new(["event id", "eventid"]);
    let b = text.as_bytes();
    // A set, not a search of `ids`: a log repeating "Event ID:" with many ids made that quadratic.
    let mut known: HashSet<u32> = ids.iter().map(|(id, _, _)| *id).collect();
    set.scan(text, true, |_, start, end| {
        let mut i = end;
        while matches!(b.get(i), Some(b' ' | b'\t' | b':' | b'=' | b'#')) && i < end + 12 {
            i += 1;
        }
        let digits = b
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 || !boundary_after(b, i + digits) {
            return;
        }
        let Some(id) = text.get(i..i + digits).and_then(canonical_event_id) else {
            return;
        };
        if known.insert(id) {
            ids.push((id, [start, i + digits], None));
        }
    });
}

/// Event Viewer's window title: "Event 36870, <provider>".
fn title_line(line: &str) -> Option<(String, u32)> {
    let (_, rest) = unquote(line);
    let rest = rest
        .get(..6)
        .filter(|p| p.eq_ignore_ascii_case("event "))
        .and(rest.get(6..))?;
    let (id, source) = rest.split_once(", ")?;
    Some((name_token(source, 120)?, canonical_event_id(id)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::index;

    #[track_caller]
    fn check(input: &str, expect: &[&str]) {
        let mut out = Vec::new();
        detect(input, &index(), &mut out);
        let got: Vec<String> = out
            .iter()
            .map(|s| match s {
                Signal::Event {
                    log,
                    source,
                    id,
                    level,
                    meaning,
                    span,
                } => format!(
                    "{} {source} {id} {} [{}] {}",
                    log.as_deref().unwrap_or("-"),
                    level.as_deref().unwrap_or("-"),
                    meaning.is_some(),
                    input[span[0]..span[1]].lines().next().unwrap_or("")
                ),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(got, expect);
    }

    pub(crate) const SCHANNEL_36870: &str = "Log Name:      System\r\nSource:        Schannel\r\n\
        Date:          11/23/2026 9:14:02 AM\r\nEvent ID:      36870\r\nTask Category: None\r\nLevel:         Error\r\n\
        Keywords:      \r\nUser:          SYSTEM\r\nComputer:      WIN-SRV01.contoso.local\r\nDescription:\r\n\
        A fatal error occurred when attempting to access the TLS server credential private key. The error code \
        returned from the cryptographic module is 0x8009030D. The internal error state is 10001.\r\n";

    #[test]
    fn event_viewer_copy() {
        check(
            SCHANNEL_36870,
            &["System Schannel 36870 Error [true] Log Name:      System"],
        );
    }

    #[test]
    fn remote_connection_manager_1057_quoted() {
        check(
            "> Log Name:      System\n> Source:        Microsoft-Windows-TerminalServices-RemoteConnectionManager\n\
             > Date:          11/23/2026 9:10:11 AM\n> Event ID:      1057\n> Level:         Error\n> Description:\n\
             > The Terminal Server has failed to create a new self signed certificate to be used for Terminal \
             Server authentication on SSL connections. The relevant status code was Keyset does not exist\n",
            &["System Microsoft-Windows-TerminalServices-RemoteConnectionManager 1057 Error [true] > Log Name:      System"],
        );
    }

    #[test]
    fn get_winevent_format_list_two_events() {
        check(
            "PS C:\\> Get-WinEvent -LogName System -MaxEvents 2 | Format-List\n\n\
             TimeCreated  : 11/23/2026 9:14:02 AM\nProviderName : Schannel\nId           : 36870\n\
             Message      : A fatal error occurred when attempting to access the TLS server credential private\n\
             \x20              key. The error code returned from the cryptographic module is 0x8009030D.\n\n\
             TimeCreated  : 11/23/2026 9:10:11 AM\nProviderName : Microsoft-Windows-TerminalServices-RemoteConnectionManager\n\
             Id           : 1057\nMessage      : The Terminal Server has failed to create a new self signed certificate\n",
            &[
                "- Schannel 36870 - [true] ProviderName : Schannel",
                "- Microsoft-Windows-TerminalServices-RemoteConnectionManager 1057 - [true] ProviderName : Microsoft-Windows-TerminalServices-RemoteConnectionManager",
            ],
        );
    }

    #[test]
    fn get_winevent_default_table_under_each_provider() {
        check(
            "PS C:\\> Get-WinEvent -LogName System -MaxEvents 40 | Where-Object Level -le 3\n\n\n\
             \x20  ProviderName: Schannel\n\n\
             TimeCreated                      Id LevelDisplayName Message\n\
             -----------                      -- ---------------- -------\n\
             11/30/2026 9:41:09 AM         36870 Error            A fatal error occurred when attempting to acc...\n\
             11/30/2026 9:40:58 AM         36870 Error            A fatal error occurred when attempting to acc...\n\n\
             \x20  ProviderName: Microsoft-Windows-TerminalServices-RemoteConnectionManager\n\n\
             TimeCreated                      Id LevelDisplayName Message\n\
             -----------                      -- ---------------- -------\n\
             11/30/2026 9:10:11 AM          1057 Fehler           Das Zertifikat konnte nicht erstellt werden.\n",
            &[
                "- Schannel 36870 Error [true] 11/30/2026 9:41:09 AM         36870 Error            A fatal error occurred when attempting to acc...",
                "- Microsoft-Windows-TerminalServices-RemoteConnectionManager 1057 Fehler [true] 11/30/2026 9:10:11 AM          1057 Fehler           Das Zertifikat konnte nicht erstellt werden.",
            ],
        );
        // Without the header, a time's numbers in a column are no event id.
        check(
            "-----------                      -- ---------------- -------\n11/30/2026 9:41:09 AM  LevelDisplayName\n",
            &[],
        );
    }

    #[test]
    fn format_list_star_fields() {
        check(
            "Message          : RDP ClientActiveX has been disconnected (Reason= 2308)\nId               : 1026\n\
             LevelDisplayName : Information\nLogName          : Microsoft-Windows-TerminalServices-RDPClient/Operational\n\
             ProviderName     : Microsoft-Windows-TerminalServices-ClientActiveXCore\n",
            &["Microsoft-Windows-TerminalServices-RDPClient/Operational Microsoft-Windows-TerminalServices-ClientActiveXCore 1026 Information [true] Id               : 1026"],
        );
    }

    #[test]
    fn title_line_and_duplicates() {
        check(
            "Event 36870, Schannel\nEvent 36870, Schannel\n",
            &["- Schannel 36870 - [true] Event 36870, Schannel"],
        );
    }

    /// Event Viewer's copy re-flowed onto one line by a mail or chat client.
    #[test]
    fn one_line_entries() {
        check(
            "Source: Schannel, Event ID: 36870",
            &["- Schannel 36870 - [true] Source: Schannel, Event ID: 36870"],
        );
        check(
            "Log Name: System  Source: Schannel  Event ID: 36870  Level: Error\r\n",
            &["System Schannel 36870 Error [true] Log Name: System  Source: Schannel  Event ID: 36870  Level: Error"],
        );
        // The whole copy on one line, tab-separated and quoted, then a second entry on the next line.
        check(
            "> Log Name:\tSystem\tSource:\tSchannel\tDate:\t11/23/2026 9:14:02 AM\tEvent ID:\t36870\t\
             Task Category:\tNone\tLevel:\tError\tKeywords:\t\tUser:\tSYSTEM\tComputer:\tWIN-SRV01.contoso.local\t\
             Description: A fatal error occurred when attempting to access the TLS server credential private key.\n\
             > Log Name: System, Source: Microsoft-Windows-TerminalServices-RemoteConnectionManager, Event ID: 1057, Level: Warning\n",
            &[
                "System Schannel 36870 Error [true] > Log Name:\tSystem\tSource:\tSchannel\tDate:\t11/23/2026 9:14:02 AM\tEvent ID:\t36870\tTask Category:\tNone\tLevel:\tError\tKeywords:\t\tUser:\tSYSTEM\tComputer:\tWIN-SRV01.contoso.local\tDescription: A fatal error occurred when attempting to access the TLS server credential private key.",
                "System Microsoft-Windows-TerminalServices-RemoteConnectionManager 1057 Warning [true] > Log Name: System, Source: Microsoft-Windows-TerminalServices-RemoteConnectionManager, Event ID: 1057, Level: Warning",
            ],
        );
        // Keys inside words or a sentence with one field are not an entry.
        check("Resource: Schannel, ProcessID: 36870", &[]);
        check("Note: the source was odd", &[]);
    }

    /// An id with no source anywhere: the index's event tables name its provider when they know only one.
    #[test]
    fn event_id_without_source() {
        check(
            "Event ID: 36870\nLevel: Error\n",
            &["- Schannel 36870 Error [true] Event ID: 36870"],
        );
        check(
            "after the reboot I keep getting event id 1057 and EventID 36871, then Event ID #36871 again",
            &[
                "- Microsoft-Windows-TerminalServices-RemoteConnectionManager 1057 - [true] event id 1057",
                "- Schannel 36871 - [true] EventID 36871",
            ],
        );
        // Two providers log 1058: ambiguous, nothing. An id the index does not know: nothing. A bare `Id`
        // (a process list) is no event id.
        check("Event ID: 1058\nevent id 4242\nId : 1026\n", &[]);
        // With a source elsewhere, the id is read with it and not looked up again.
        check(
            "Source: TermService\nEvent ID: 36870\n",
            &["- TermService 36870 - [false] Source: TermService"],
        );
    }

    #[test]
    fn cut_entries_never_panic() {
        let text = "> Log Name: System  Source: Schannel  Event ID: 36870  Level: Error\r\nevent id 1057:\u{e9}:";
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let mut out = Vec::new();
            detect(&text[..end], &index(), &mut out);
            for s in &out {
                let Signal::Event { span, .. } = s else {
                    panic!()
                };
                assert!(text[..end].get(span[0]..span[1]).is_some());
            }
        }
    }

    #[test]
    fn unrelated_fields_are_not_events() {
        check(
            "Source: https://example.com/\nthe id is 5\nEvent ID: 99999\n",
            &[],
        );
    }
}
