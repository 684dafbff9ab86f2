//! Event-log entries: Event Viewer's "Copy details as text", `wevtutil qe /f:text`, and
//! `Get-WinEvent | Format-List`.
//!
//! ## What it recognises
//! Groups of `Key: value` lines: `Log Name`/`LogName`, `Source`/`ProviderName`, `Event ID`/`Id`,
//! `Level`/`LevelDisplayName`. A group with a source and an id is an event. Event Viewer's title line
//! ("Event 36870, <provider>") counts too. Codes inside the description are found by the code detector,
//! which reads the whole paste.
//!
//! ## Why fields and not layout
//! The three tools order and pad the fields differently, and mail clients re-wrap them; the field names
//! are what survives. A group ends when a field repeats (the next event) or after a long gap.

use std::collections::HashSet;

use crate::detect::scan::{field, lines, name_token, unquote};
use crate::index::{canonical_event_id, same_event_source, KnowledgeIndex, TableKind};
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
    let id = id.to_string();
    index
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::Event)
        .flat_map(|t| &t.rows)
        .find(|r| {
            r.value == id
                && r.source
                    .as_deref()
                    .is_none_or(|s| same_event_source(s, source))
        })
        .map(|r| r.meaning.clone())
        .filter(|m| !m.is_empty())
}

/// Emits event signals into `out`, each (source, id) once.
pub(crate) fn detect(text: &str, index: &KnowledgeIndex, out: &mut Vec<Signal>) {
    let mut seen: HashSet<(String, u32)> = HashSet::new();
    let mut emit = |g: &Group, out: &mut Vec<Signal>| {
        let (Some(source), Some(id)) = (&g.source, g.id) else {
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

    let mut g: Option<Group> = None;
    for (n, line) in lines(text).enumerate() {
        if let Some(cur) = &g {
            if n - cur.last_line > MAX_GAP {
                emit(cur, out);
                g = None;
            }
        }
        if let Some((source, id)) = title_line(line.text) {
            out_title(&mut emit, out, source, id, line.start, line.end());
            continue;
        }
        let Some((k, _, value)) = field(line.text) else {
            continue;
        };
        let Some(k) = key(&k) else { continue };
        let repeated = g.as_ref().is_some_and(|cur| match k {
            Key::Log => cur.log.is_some(),
            Key::Source => cur.source.is_some(),
            Key::Id => cur.id.is_some(),
            Key::Level => cur.level.is_some(),
        });
        if repeated {
            if let Some(cur) = g.take() {
                emit(&cur, out);
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
            Key::Id => cur.id = canonical_event_id(value),
            Key::Level => cur.level = name_token(value, 40),
        }
    }
    if let Some(cur) = g {
        emit(&cur, out);
    }
}

fn out_title(
    emit: &mut impl FnMut(&Group, &mut Vec<Signal>),
    out: &mut Vec<Signal>,
    source: String,
    id: u32,
    start: usize,
    end: usize,
) {
    let g = Group {
        start,
        end,
        source: Some(source),
        id: Some(id),
        ..Group::default()
    };
    emit(&g, out);
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

    #[test]
    fn unrelated_fields_are_not_events() {
        check(
            "Source: https://example.com/\nthe id is 5\nEvent ID: 99999\n",
            &[],
        );
    }
}
