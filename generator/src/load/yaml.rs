//! YAML in, typed fields out, and every failure at its real line and column with a hint for its kind.
//!
//! serde_yaml locates most errors itself, but not all: a duplicate field comes from serde's derive with no
//! position, and libyaml's reader errors (a NUL or another control character) give a byte position only in
//! their text. Those used to land on the first line of the front matter with a generic hint; here they are
//! located in the file, and each kind of error gets a hint of its own. Before the parser runs, the guard
//! ([`super::yaml_guard`]) refuses YAML too large or too deeply nested to parse in reasonable time.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::yaml_guard;
use crate::diag::{Code, Diagnostic, Pos};

/// Unknown fields reported from one file at most; then the rest of its problems are left for the next run.
const MAX_UNKNOWN_FIELDS: usize = 16;

/// Parses `text[range]` as YAML into `T`. `max_bytes` limits its size (front matter; a code table is data
/// and only its nesting is limited); `fields` is the list of allowed fields for hints.
///
/// All the problems are reported together, as far as the parser lets: serde stops at the first unknown
/// field, so each one is reported, blanked out of the text (its lines turned to spaces, so every position
/// after it stays where it was) and the text parsed again, which finds the next unknown field or the
/// problem behind them (`updated: 1 Dec 2026` beside a `titel:` was only reported once `titel` was fixed).
pub(crate) fn parse<T: DeserializeOwned>(
    rel: &Path,
    text: &str,
    range: Range<usize>,
    max_bytes: Option<usize>,
    fields: &str,
) -> Result<T, Vec<Diagnostic>> {
    let yaml = text.get(range.clone()).unwrap_or_default();
    if let Err(r) = yaml_guard::check(yaml, max_bytes) {
        return Err(vec![Diagnostic::new(
            Code::FrontMatterLimit,
            rel,
            Pos::at(text, range.start + r.offset),
            r.message,
        )
        .help(r.help)]);
    }
    let mut found = Vec::new();
    let mut blanked: Option<String> = None;
    loop {
        let cur = blanked.as_deref().unwrap_or(text);
        let yaml = cur.get(range.clone()).unwrap_or_default();
        let err = match serde_yaml::from_str(yaml) {
            Ok(v) if found.is_empty() => return Ok(v),
            Ok(_) => return Err(found),
            Err(e) => e,
        };
        let d = diagnostic(rel, &err, cur, range.start, fields);
        // `missing field `title`` after `unknown field `titel``, "did you mean `title`?", says it again
        // (also inside a list: `sources[0]: missing field ...`).
        let missing = d
            .message
            .split_once("missing field ")
            .map(|(_, m)| format!("did you mean {m}"));
        let explained = missing.is_some_and(|m| {
            found
                .iter()
                .any(|u: &Diagnostic| u.help.as_deref().is_some_and(|h| h.contains(&m)))
        });
        if explained {
            return Err(found);
        }
        let next = (d.code == Code::UnknownField && found.len() < MAX_UNKNOWN_FIELDS)
            .then(|| blank_field(cur, &range, &d))
            .flatten();
        found.push(d);
        match next {
            Some(t) => blanked = Some(t),
            None => return Err(found),
        }
    }
}

/// `text` with the unknown field that `d` reports turned to spaces, its value's lines too (a block value
/// is indented under it, or a list at its own indent); `None` when the line is not that field's `name:`
/// (a field on a list item's `- ` line is left: blanking it would change the list).
fn blank_field(text: &str, range: &Range<usize>, d: &Diagnostic) -> Option<String> {
    let name = d.message.split('`').nth(1)?;
    let mut lines = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        lines.push(at..at + line.trim_end_matches(['\n', '\r']).len());
        at += line.len();
    }
    let first = lines.get(d.pos.line.checked_sub(1)?)?.clone();
    if first.start < range.start || first.end > range.end {
        return None;
    }
    let line = text.get(first.clone())?;
    let indent = line.len() - line.trim_start().len();
    let rest = line.trim_start().strip_prefix(name)?.trim_start();
    if !rest.starts_with(':') {
        return None;
    }
    let mut out = text.as_bytes().to_vec();
    let mut blank = |r: &Range<usize>| {
        for b in out.get_mut(r.clone()).into_iter().flatten() {
            *b = b' ';
        }
    };
    blank(&first);
    for r in lines.iter().skip(d.pos.line) {
        if r.end > range.end {
            break;
        }
        let l = text.get(r.clone()).unwrap_or("");
        let own = l.len() - l.trim_start().len();
        let part_of_value = l.trim().is_empty()
            || own > indent
            || (own == indent && l.trim_start().starts_with("- "));
        if !part_of_value {
            break;
        }
        blank(r);
    }
    // Only ASCII spaces replaced whole lines' bytes: still UTF-8.
    String::from_utf8(out).ok()
}

/// Turns a serde_yaml error into a diagnostic positioned in the file; the YAML starts at byte `start`.
fn diagnostic(
    rel: &Path,
    err: &serde_yaml::Error,
    text: &str,
    start: usize,
    fields: &str,
) -> Diagnostic {
    let full = err.to_string();
    // serde_yaml appends " at line L column C"; the position is printed separately, so drop it.
    // libyaml's reader errors append " at position N" instead.
    let message = match full
        .rfind(" at line ")
        .or_else(|| full.rfind(" at position "))
    {
        Some(i) => full.get(..i).unwrap_or(&full).to_string(),
        None => full.clone(),
    };
    let yaml = text.get(start..).unwrap_or_default();
    let first = Pos::at(text, start);
    // Those two kinds carry at most the position of the whole document; find their own.
    let found = reader_position(&full).or_else(|| duplicate_position(&message, yaml));
    let pos = match (found, err.location()) {
        (Some(o), _) => Pos::at(text, start + o),
        // Lines and columns, not `index()`: libyaml counts that in characters, not bytes.
        (None, Some(l)) => Pos {
            line: first.line + l.line().saturating_sub(1),
            col: l.column(),
        },
        (None, None) => first,
    };
    let (code, mut help) = kind(&message, fields);
    let mut pos = pos;
    let mut tab = false;
    if code == Code::YamlSyntax {
        if let Some(h) = misindented(text, start, pos.line) {
            help = h;
        }
        // libyaml reports a tab in the indentation as a character that "cannot start any token", at the
        // line's first column: point at the tab itself and say what it is.
        if let Some(col) = tab_in_indent(text, pos.line) {
            pos.col = col;
            tab = true;
            help = "indent with spaces: YAML does not allow tabs in indentation (an editor may show this \
                    tab as spaces)"
                .to_string();
        }
    }
    let message = if tab {
        format!("a tab in the indentation (YAML: {message})")
    } else {
        message
    };
    // serde lists every field in the message; the help lists them by the kind of page that has them.
    let message = match message.find(", expected one of ") {
        Some(i) if code == Code::UnknownField => message[..i].to_string(),
        _ => message,
    };
    let d = Diagnostic::new(code, rel, pos, without_positions(&message)).help(help);
    // libyaml notices an unclosed `[` or `{` where the next thing does not fit, often a line later: point at
    // where the collection began too.
    let d = match context_mark(&full) {
        Some((what, line, col)) if first.line + line - 1 != pos.line => d.related(
            rel,
            Pos {
                line: first.line + line - 1,
                col,
            },
            format!("the {what} began here"),
        ),
        _ => d,
    };
    // An unclosed quote runs on to the next quote of the same kind, lines later, and the error is reported
    // where the text after it no longer fits: point at the value whose quote is not closed on its line.
    match unclosed_quote(yaml, pos.line.saturating_sub(first.line)) {
        Some((line, col, quote)) if code == Code::YamlSyntax => d.related(
            rel,
            Pos {
                line: first.line + line,
                col,
            },
            format!(
                "this value's {quote} is not closed on its line: YAML reads on to the next {quote}"
            ),
        ),
        _ => d,
    }
}

/// The column (1-based, in characters) of the first tab in the leading whitespace of `line` (1-based) of
/// `text`, if that whitespace holds one.
fn tab_in_indent(text: &str, line: usize) -> Option<usize> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let indent = l.len() - l.trim_start_matches([' ', '\t']).len();
    l.get(..indent)?.find('\t').map(|i| i + 1)
}

/// The first of the YAML's first `lines` lines whose value opens a quote (`key: "...`, `- '...`) that the
/// line does not close: `(line, column of the quote, the quote)`, the line counted from 0 and the column from
/// 1. A quoted value may span lines in YAML, but front matter's hardly ever do.
fn unclosed_quote(yaml: &str, lines: usize) -> Option<(usize, usize, char)> {
    yaml.lines().take(lines).enumerate().find_map(|(i, line)| {
        let body = line.trim_start();
        let body = body.strip_prefix("- ").unwrap_or(body);
        let value = match body.split_once(": ") {
            Some((key, value)) if !key.contains(['"', '\'', '#']) => value,
            _ if line.trim_start().starts_with("- ") => body,
            _ => return None,
        };
        let value = value.trim_start();
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let rest = &value[1..];
        let closed = if quote == '"' {
            let mut escaped = false;
            rest.chars().any(|c| {
                let end = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                end
            })
        } else {
            // `''` is a quote inside single quotes; an odd run of them ends the value.
            rest.split(|c| c != '\'').any(|run| run.len() % 2 == 1)
        };
        let col = line.len() - value.len();
        (!closed).then(|| (i, line[..col].chars().count() + 1, quote))
    })
}

/// serde's "unknown field `stag`, expected one of `id`, `kind`, ..." (or "unknown variant"): the name
/// written and the names allowed.
fn unknown_and_expected(message: &str) -> Option<(&str, impl Iterator<Item = &str>)> {
    let rest = message.split_once("unknown ")?.1;
    let (_, rest) = rest.split_once('`')?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected = rest.split_once("expected ")?.1;
    Some((unknown, expected.split('`').skip(1).step_by(2)))
}

/// The context of a libyaml error ("..., while parsing a flow sequence at line 6 column 10"): what was
/// being read and where it began, counted from the YAML's first line (1-based).
fn context_mark(message: &str) -> Option<(&str, usize, usize)> {
    let rest = &message[message.find(", while parsing a ")? + ", while parsing a ".len()..];
    let (what, at) = rest.split_once(" at line ")?;
    let (line, col) = at.split_once(" column ")?;
    let number = |s: &str| -> Option<usize> {
        let digits = s.trim_end_matches(|c: char| !c.is_ascii_digit());
        digits.parse().ok().filter(|&n| n > 0)
    };
    Some((what, number(line)?, number(col)?))
}

/// libyaml's messages can carry a position of their own ("... at line 19 column 4, while parsing a block
/// collection"), counted from the front matter's first line, not the file's: the diagnostic's position is
/// the one to read, so those are taken out.
fn without_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let n = digits(after);
        let tail = after[n..].strip_prefix(" column ").filter(|_| n > 0);
        match tail {
            Some(t) if digits(t) > 0 => rest = &t[digits(t)..],
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A hint for a field indented differently from the field above it (`title:` one space deeper than the
/// `- url:` it belongs with): libyaml reports that as "mapping values are not allowed" or a missing `-`,
/// whose usual hints (quote the value) would send the writer the wrong way. `line` is the error's line in
/// the file; the YAML starts at byte `start`.
fn misindented(text: &str, start: usize, line: usize) -> Option<String> {
    let first_line = text.get(..start)?.matches('\n').count() + 1;
    let lines: Vec<&str> = text.lines().collect();
    let key_at = |l: &str| -> Option<(usize, String)> {
        let mut body = l.trim_start_matches(' ');
        while let Some(rest) = body.strip_prefix("- ") {
            body = rest.trim_start_matches(' ');
        }
        let (key, _) = body.split_once(':')?;
        let key = key.trim();
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        plain.then(|| (l.len() - body.len(), key.to_string()))
    };
    let here = lines.get(line.checked_sub(1)?)?;
    let (col, key) = key_at(here)?;
    let above = (first_line..line)
        .rev()
        .filter_map(|n| lines.get(n.checked_sub(1)?).map(|l| (n, *l)))
        .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?;
    let (above_col, above_key) = key_at(above.1)?;
    (col != above_col && col.abs_diff(above_col) <= 2).then(|| {
        format!(
            "`{key}:` starts in column {} but `{above_key}:` on line {} starts in column {}: fields of one \
             map line up (indent with spaces to the same column)",
            col + 1,
            above.0,
            above_col + 1
        )
    })
}

/// libyaml's reader errors end in "at position N" (a byte offset in the YAML); serde_yaml locates them at
/// the document's start.
fn reader_position(message: &str) -> Option<usize> {
    let (_, n) = message.rsplit_once(" at position ")?;
    n.trim().parse().ok()
}

/// serde's "duplicate field `name`" has no position: the second `name:` key at the indentation of a first
/// one (with no shallower line between them) is the duplicate.
fn duplicate_position(message: &str, yaml: &str) -> Option<usize> {
    let name = duplicate_name(message)?;
    // Open keys as (indentation, key), shallowest first.
    let mut open: Vec<(usize, &str)> = Vec::new();
    let mut line_start = 0;
    for line in yaml.split_inclusive('\n') {
        let at = line_start;
        line_start += line.len();
        let mut body = line.trim_start_matches(' ');
        let mut indent = line.len() - body.len();
        while let Some(rest) = body.strip_prefix("- ") {
            // A list item starts a new map: keys at or after its column are closed.
            body = rest.trim_start_matches(' ');
            indent = line.len() - body.len();
            open.retain(|&(i, _)| i < indent);
        }
        let Some((key, _)) = body.split_once(':') else {
            continue;
        };
        let key = key.trim().trim_matches(['"', '\'']);
        if key.is_empty() || key.starts_with('#') {
            continue;
        }
        open.retain(|&(i, _)| i <= indent);
        if key == name && open.iter().any(|&(i, k)| i == indent && k == name) {
            return Some(at + line.len() - body.len());
        }
        open.push((indent, key));
    }
    None
}

/// The field of "duplicate field `name`" (after a path such as `signals[0]: `).
fn duplicate_name(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("duplicate field `")?;
    rest.split('`').next()
}

/// The diagnostic code and a hint for each kind of YAML error.
fn kind(message: &str, fields: &str) -> (Code, String) {
    let has = |s: &str| message.contains(s);
    if has(super::signal::ONE_KIND) {
        return (
            Code::BadField,
            "a signal is one kind of evidence with an optional `weight:` and `stage:`; write one signal \
             per kind"
                .to_string(),
        );
    }
    if has("unknown field") || has("unknown variant") {
        let near = unknown_and_expected(message)
            .and_then(|(unknown, expected)| crate::diag::did_you_mean(unknown, expected));
        let help = match near {
            Some(near) => format!("did you mean `{near}`? Allowed here: {fields}"),
            None => format!("check the spelling; allowed here: {fields}"),
        };
        return (Code::UnknownField, help);
    }
    if has("invalid type") || has("missing field") || has("invalid value") || has("invalid length")
    {
        return (
            Code::BadField,
            format!("fix the value's type or add the field; fields: {fields}"),
        );
    }
    let help = if let Some(name) = duplicate_name(message) {
        format!("`{name}` is given twice here: keep one of the two")
    } else if has("duplicate entry") {
        "the same key is given twice in this map: keep one".to_string()
    } else if has("control characters are not allowed") {
        "remove the control character (NUL, ESC, ...): YAML allows only printable characters; \
         in a double-quoted string write it as an escape such as `\\t` if it is really wanted"
            .to_string()
    } else if has("tab character") || has("tabs") {
        "indent with spaces: YAML does not allow tabs for indentation".to_string()
    } else if has("mapping values are not allowed") {
        "quote this value: it contains `: `, which YAML reads as a new field".to_string()
    } else if has("unknown anchor") || has("while parsing an anchor") || has("alias") {
        "quote values that start with `*` or `&`: YAML reads those as aliases and anchors"
            .to_string()
    } else if has("unknown escape") || has("escape") {
        "in a double-quoted string `\\` starts an escape: write `\\\\`, or use single quotes"
            .to_string()
    } else if has("cannot start any token") {
        "quote values that start with `@`, a backtick, `%` or `!`".to_string()
    } else if has("flow sequence") || has("flow mapping") {
        "close every `[` with `]` and every `{` with `}`, or quote the value".to_string()
    } else if has("did not find expected key") || has("could not find expected ':'") {
        "check the indentation (fields of one map line up) and that each field is `name: value`"
            .to_string()
    } else if has("found unexpected end of stream") || has("quoted scalar") {
        "close the quoted string: a `\"` or `'` is missing".to_string()
    } else {
        "fix the YAML syntax: check indentation, colons, and quote values that contain `: ` or start \
         with `[`, `{`, `*`, `&`"
            .to_string()
    };
    (Code::YamlSyntax, help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_field_near_an_allowed_one_is_suggested() {
        let m = "unknown field `stag`, expected one of `id`, `kind`, `stage`, `steps`";
        let (unknown, expected) = unknown_and_expected(m).unwrap_or_else(|| panic!("{m}"));
        assert_eq!(unknown, "stag");
        assert_eq!(
            expected.collect::<Vec<_>>(),
            ["id", "kind", "stage", "steps"]
        );
        let (code, help) = kind(m, "id, kind; cause: stage; fix: steps");
        assert_eq!(code, Code::UnknownField);
        assert_eq!(
            help,
            "did you mean `stage`? Allowed here: id, kind; cause: stage; fix: steps"
        );
        let (_, help) = kind(
            "unknown field `colour`, expected one of `id`, `kind`",
            "id, kind",
        );
        assert_eq!(help, "check the spelling; allowed here: id, kind");
    }

    #[test]
    fn an_unclosed_quote_points_at_its_value() {
        let text = "---\nid: guide-a\nsummary: \"The stages\ntitle: A\nsources:\n  - url: https://example.org/\n    title: \"Spec\"\n---\n";
        let err = parse::<serde_yaml::Value>(Path::new("a.md"), text, 4..text.len() - 4, None, "")
            .err()
            .and_then(|e| e.into_iter().next())
            .unwrap_or_else(|| panic!("parsed"));
        assert_eq!(err.code, Code::YamlSyntax, "{err}");
        assert!(err.pos.line > 3, "{err}");
        let note = err.detail.as_ref().and_then(|d| d.related.last());
        assert_eq!(
            note.map(|r| (r.pos.line, r.pos.col, r.note.as_str())),
            Some((
                3,
                10,
                "this value's \" is not closed on its line: YAML reads on to the next \""
            )),
            "{err}"
        );
        // Closed quotes, escaped quotes and `''` inside single quotes are no such value.
        assert_eq!(
            unclosed_quote("a: \"x \\\" y\"\nb: 'it''s'\n- \"z\"\n", 3),
            None
        );
        assert_eq!(unclosed_quote("a: b\n  - 'it''s\n", 2), Some((1, 5, '\'')));
    }

    #[test]
    fn an_unclosed_collection_points_at_where_it_began() {
        let text = "---\nid: guide-a\nsources: [oops\nrelated: []\n---\n";
        let err = parse::<serde_yaml::Value>(Path::new("a.md"), text, 4..text.len() - 4, None, "")
            .err()
            .and_then(|e| e.into_iter().next())
            .unwrap_or_else(|| panic!("parsed"));
        assert_eq!(err.pos.line, 4, "{err}");
        let note = err.detail.as_ref().and_then(|d| d.related.first());
        assert_eq!(
            note.map(|r| (r.pos.line, r.pos.col, r.note.as_str())),
            Some((3, 10, "the flow sequence began here")),
            "{err}"
        );
        assert_eq!(
            context_mark("x at line 2 column 3, while parsing a block mapping at line 1 column 1"),
            Some(("block mapping", 1, 1))
        );
        assert_eq!(
            context_mark("mapping values are not allowed in this context"),
            None
        );
    }

    #[test]
    fn duplicates_are_found_at_their_second_key() {
        let y = "id: a\ntitle: x\nsources:\n  - url: u\n    title: t\n  - url: v\ntitle: y\n";
        assert_eq!(
            duplicate_position("duplicate field `title`", y),
            y.find("title: y")
        );
        let nested = "sources:\n  - url: u\n    url: v\n";
        assert_eq!(
            duplicate_position("duplicate field `url`", nested),
            nested.find("url: v")
        );
        // The same key in two list items is not a duplicate.
        assert_eq!(
            duplicate_position("duplicate field `url`", "s:\n  - url: u\n  - url: v\n"),
            None
        );
    }

    #[test]
    fn positions_inside_messages_are_taken_out() {
        assert_eq!(
            without_positions(
                "did not find expected '-' indicator at line 19 column 4, while parsing a block collection"
            ),
            "did not find expected '-' indicator, while parsing a block collection"
        );
        assert_eq!(
            without_positions("a value at line end"),
            "a value at line end"
        );
    }

    #[test]
    fn a_field_out_of_line_with_the_one_above_is_named() {
        let text = "---\nsources:\n  - url: u\n     title: t\n---\n";
        let hint = misindented(text, 4, 4).unwrap();
        assert!(hint.contains("`title:` starts in column 6"), "{hint}");
        assert!(
            hint.contains("`url:` on line 3 starts in column 5"),
            "{hint}"
        );
        // Aligned fields: a `: ` inside a value is another problem.
        assert_eq!(misindented("---\ntitle: a: b\nid: x\n", 4, 2), None);
        assert_eq!(misindented("---\nid: x\ntitle: a: b\n", 4, 3), None);
    }

    #[test]
    fn reader_errors_give_their_byte() {
        assert_eq!(
            reader_position("control characters are not allowed at position 43"),
            Some(43)
        );
    }
}
