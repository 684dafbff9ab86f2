//! Codes: numbers after a label the index knows, and HRESULT/SSPI values anywhere.
//!
//! ## What it recognises
//! - A number after a label of a code table ("Error code: 0x904", "Extended error code: 0x7",
//!   "(Reason= 2308)", "error code returned from the cryptographic module is 0x8009030D"), in hex or decimal.
//!   Decimal is converted to the canonical hex (2308 is 0x904); a negative decimal is read as the 32-bit
//!   signed form of an HRESULT (-2146893043 is 0x8009030d).
//! - `0x8xxxxxxx` anywhere: eight hex digits with the top bit set describe themselves as an HRESULT, when a
//!   table holds the value or its line calls it an error (`failed`, `error`, `hr=`, `status`): debug logs
//!   print flags and masks with the top bit set.
//! - A symbolic name of a row (`ERRCONNECT_TLS_CONNECT_FAILED`, `ERRINFO_SERVER_DENIED_CONNECTION`,
//!   `SEC_E_CERT_EXPIRED`) as a whole token, case-sensitive, for names of at least 6 characters holding a
//!   `_`: FreeRDP logs print the name, with or without its value in brackets (`[0x00020008]`). The bracketed
//!   value belongs to the name's signal and is not read again.
//!
//! ## Why
//! The dialog shows numbers from two tables and only the label says which. A bare number with no label is
//! never a code: ports, build numbers, byte counts and durations would otherwise become findings.
//!
//! A value after a label whose tables have no row for it, but which is an HRESULT, is looked up in every
//! table holding it (an SSPI status is often printed after a generic "Status:" label). When no table holds
//! it, it stays with the label's table whose rows are of its family (same first of eight hex digits), so an
//! unknown `Sub Status: 0xC0000133` is an NTSTATUS of that table, not an HRESULT.
//!
//! NTSTATUS values (`0xC...`) are never read without a label or a name: they do not describe themselves
//! like `0x8...` HRESULTs. After a label, two FreeRDP shapes are read too (libfreerdp/core/nla.c):
//! eight hex digits without `0x` (2.0.0-dev's `SPNEGO failed with NTSTATUS: C000006D`), and a name no
//! table holds followed by its bracketed value (`NTSTATUS: STATUS_TRUSTED_RELATIONSHIP_FAILURE [0xC000018D]`).

use std::collections::{HashMap, HashSet};

use crate::detect::scan::{self, boundary_after, boundary_before, PhraseSet};
use crate::index::{canonical_code, CodeRow, CodeTable, KnowledgeIndex, TableKind};
use crate::limits::MAX_SIGNALS_PER_DETECTOR;
use crate::report::Signal;

/// A number read from the paste.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Value {
    /// Canonical lower-case hex.
    pub(crate) hex: String,
    /// Eight hex digits with the top bit set: an HRESULT/NTSTATUS-style value.
    hresult: bool,
    end: usize,
}

/// The code tables' rows by table and canonical value, and each table's families, built once per paste.
///
/// ## Why
/// A value used to be looked up by a linear search over every row, canonicalising each row's value again:
/// a paste repeating one HRESULT paid the whole table at every occurrence.
struct Rows<'a> {
    tables: Vec<&'a CodeTable>,
    /// Value (canonical, and as the row spells it) -> (table, row), first row of each table first.
    by_value: HashMap<String, Vec<(usize, usize)>>,
    /// For each table, the first hex digits of its eight-digit values (bit n: digit n), see [`family`].
    families: Vec<u16>,
}

impl<'a> Rows<'a> {
    fn new(tables: Vec<&'a CodeTable>) -> Self {
        let mut by_value: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        let mut families = Vec::with_capacity(tables.len());
        for (ti, t) in tables.iter().enumerate() {
            let mut fam = t.families;
            for (ri, r) in t.rows.iter().enumerate() {
                let canonical = canonical_code(&r.value);
                if let Some(f) = canonical.as_deref().and_then(family) {
                    fam |= 1 << f;
                }
                // The first row holding the value wins, as the value's own spelling or its canonical form.
                for v in std::iter::once(r.value.clone()).chain(canonical) {
                    let at = by_value.entry(v).or_default();
                    if !at.iter().any(|&(t, _)| t == ti) {
                        at.push((ti, ri));
                    }
                }
            }
            families.push(fam);
        }
        Rows {
            tables,
            by_value,
            families,
        }
    }

    /// The row of table `ti` holding canonical `value`, if any.
    fn row(&self, ti: usize, value: &str) -> Option<&'a CodeRow> {
        let &(_, ri) = self.by_value.get(value)?.iter().find(|&&(t, _)| t == ti)?;
        self.tables.get(ti)?.rows.get(ri)
    }

    /// Some table holds `hex`.
    fn known(&self, hex: &str) -> bool {
        self.by_value.contains_key(hex)
    }

    /// True when table `ti` has a row of eight hex digits with the same first digit as `hex` (`0xc...`
    /// NTSTATUS values, `0x8...` HRESULTs): the family is read from the table's own rows, not its name.
    fn same_family(&self, ti: usize, hex: &str) -> bool {
        let fams = self.families.get(ti).copied().unwrap_or(0);
        family(hex).is_some_and(|f| fams & (1 << f) != 0)
    }
}

/// The first of eight hex digits of a canonical value (`0x8009030d` -> 8), `None` for other lengths.
pub(crate) fn family(hex: &str) -> Option<u32> {
    let digits = hex.strip_prefix("0x")?;
    if digits.len() != 8 {
        return None;
    }
    char::from(*digits.as_bytes().first()?).to_digit(16)
}

/// Reads a value at `i`, after optional spaces, `=`, `:` or `#`: `0x` hex, or (negative) decimal.
pub(crate) fn read_value(b: &[u8], mut i: usize) -> Option<(usize, Value)> {
    let limit = i + 24;
    let mut newlines = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b' ' | b'\t' | b'\r' | b'=' | b':' | b'#' if i < limit => i += 1,
            b'\n' if i < limit && newlines == 0 => {
                newlines += 1;
                i += 1
            }
            _ => break,
        }
    }
    let start = i;
    if matches!(b.get(i..i + 2), Some([b'0', b'x' | b'X'])) {
        let digits = b
            .get(i + 2..)?
            .iter()
            .take_while(|c| c.is_ascii_hexdigit())
            .count();
        let end = i + 2 + digits;
        if digits == 0 || digits > 16 || !boundary_after(b, end) {
            return None;
        }
        let text = std::str::from_utf8(b.get(i..end)?).ok()?;
        let hex = canonical_code(text)?;
        let n = u64::from_str_radix(text.get(2..)?, 16).ok()?;
        return Some((
            start,
            Value {
                hex,
                hresult: digits == 8 && (0x8000_0000..=0xffff_ffff).contains(&n),
                end,
            },
        ));
    }
    // Eight hex digits without `0x`, at least one a letter: FreeRDP 2.0-dev's `NTSTATUS: C000006D`.
    let hex_run = b
        .get(i..)?
        .iter()
        .take_while(|c| c.is_ascii_hexdigit())
        .count();
    if hex_run == 8
        && boundary_after(b, i + 8)
        && b.get(i..i + 8)?.iter().any(u8::is_ascii_alphabetic)
    {
        let text = std::str::from_utf8(b.get(i..i + 8)?).ok()?;
        let n = u64::from_str_radix(text, 16).ok()?;
        return Some((
            start,
            Value {
                hex: format!("{n:#x}"),
                hresult: n >= 0x8000_0000,
                end: i + 8,
            },
        ));
    }
    let neg = b.get(i) == Some(&b'-');
    let digits_at = if neg { i + 1 } else { i };
    let digits = b
        .get(digits_at..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let end = digits_at + digits;
    // "10.0.0.5" or "1.2" is not a code; a sentence's final dot is fine.
    let dotted = b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit);
    if digits == 0 || digits > 20 || dotted || !boundary_after(b, end) {
        return None;
    }
    let text = std::str::from_utf8(b.get(digits_at..end)?).ok()?;
    let n: u64 = text.parse().ok()?;
    let n = if neg {
        // Only the 32-bit signed form of an HRESULT is meaningful as a negative code.
        let signed = i64::try_from(n).ok().map(|n| -n)?;
        u64::from(
            u32::try_from(signed + (1i64 << 32))
                .ok()
                .filter(|v| *v >= 0x8000_0000)?,
        )
    } else {
        n
    };
    Some((
        start,
        Value {
            hex: format!("{n:#x}"),
            hresult: (0x8000_0000..=0xffff_ffff).contains(&n),
            end,
        },
    ))
}

/// The signal for `value` of table `scheme`, with what its row (if any) says: name, meaning, URL and the
/// versions that have the code.
pub(crate) fn code_signal(
    scheme: &str,
    value: &str,
    row: Option<&CodeRow>,
    span: [usize; 2],
) -> Signal {
    let text = |f: fn(&CodeRow) -> &str| row.map(f).filter(|s| !s.is_empty()).map(str::to_string);
    Signal::Code {
        scheme: scheme.to_string(),
        value: value.to_string(),
        name: text(|r| &r.name),
        meaning: text(|r| &r.meaning),
        url: text(|r| &r.url),
        since: row.and_then(|r| r.since.clone()),
        until: row.and_then(|r| r.until.clone()),
        applies_to: row.map(|r| r.applies_to.clone()).unwrap_or_default(),
        span,
    }
}

/// Emits code signals into `out`.
pub(crate) fn detect(text: &str, index: &KnowledgeIndex, out: &mut Vec<Signal>) {
    let tables: Vec<&CodeTable> = index
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::Code)
        .collect();
    let labels: Vec<(&str, usize)> = tables
        .iter()
        .enumerate()
        .flat_map(|(ti, t)| t.labels.iter().map(move |l| (l.as_str(), ti)))
        .collect();
    let (set, ids) = PhraseSet::new(labels.iter().map(|(l, _)| *l));
    // Phrase id -> the tables whose label it is, in table order.
    let mut owners: Vec<Vec<usize>> = Vec::new();
    for (id, (_, ti)) in ids.iter().zip(&labels) {
        let Some(id) = *id else { continue };
        if owners.len() <= id {
            owners.resize(id + 1, Vec::new());
        }
        if let Some(o) = owners.get_mut(id) {
            if !o.contains(ti) {
                o.push(*ti);
            }
        }
    }

    let b = text.as_bytes();
    let rows = Rows::new(tables);
    let tables = &rows.tables;
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut value_starts: HashSet<usize> = HashSet::new();
    // Values in brackets after a symbolic name: part of the name's signal, never read again.
    let mut bracketed: HashSet<usize> = HashSet::new();
    // One signal past the engine's cap is enough for it to see the cut; more would only cost (a paste of
    // 100 000 distinct codes).
    let full = out.len() + MAX_SIGNALS_PER_DETECTOR + 1;
    let mut emit = |out: &mut Vec<Signal>,
                    table: Option<usize>,
                    scheme: &str,
                    value: &str,
                    span: [usize; 2]| {
        if out.len() >= full || !seen.insert((scheme.to_string(), value.to_string())) {
            return;
        }
        out.push(code_signal(
            scheme,
            value,
            table.and_then(|ti| rows.row(ti, value)),
            span,
        ));
    };

    // Symbolic names: one pass over the word tokens, one map lookup per candidate token.
    let names = name_lookup(tables);
    if !names.is_empty() {
        for (start, end) in name_tokens(b) {
            let Some(&(ti, ri)) = text.get(start..end).and_then(|t| names.get(t)) else {
                continue;
            };
            let (Some(t), Some(r)) = (tables.get(ti), tables.get(ti).and_then(|t| t.rows.get(ri)))
            else {
                continue;
            };
            let value = canonical_code(&r.value).unwrap_or_else(|| r.value.clone());
            let mut span_end = end;
            if let Some((hex_start, bracket_end)) = bracketed_hex(b, end) {
                bracketed.insert(hex_start);
                span_end = bracket_end;
            }
            emit(out, Some(ti), &t.scheme, &value, [start, span_end]);
        }
    }

    set.scan(text, true, |id, start, end| {
        if out.len() >= full {
            return;
        }
        let Some((vstart, value)) = read_value(b, end).or_else(|| named_value(b, end)) else {
            return;
        };
        if bracketed.contains(&vstart) {
            return;
        }
        value_starts.insert(vstart);
        let owners: &[usize] = owners.get(id).map(Vec::as_slice).unwrap_or(&[]);
        let span = [start, value.end];
        if let Some(&ti) = owners
            .iter()
            .find(|&&ti| rows.row(ti, &value.hex).is_some())
        {
            let scheme = tables.get(ti).map_or("", |t| t.scheme.as_str());
            emit(out, Some(ti), scheme, &value.hex, span);
        } else if value.hresult {
            // A label's table whose rows look like the value takes it when no table holds it: an unknown
            // `Sub Status: 0xC0000133` stays an NTSTATUS, not an HRESULT.
            let like = owners
                .iter()
                .copied()
                .find(|&ti| rows.same_family(ti, &value.hex));
            emit_hresult(&rows, &value.hex, span, like, out, &mut emit);
        } else if let Some(&ti) = owners.first() {
            let scheme = tables.get(ti).map_or("", |t| t.scheme.as_str());
            emit(out, Some(ti), scheme, &value.hex, span);
        }
    });

    // HRESULTs anywhere: `0x8` + seven hex digits, standing alone. Each spelling is read once: a log
    // repeating one value would otherwise pay a decoding and a lookup at every occurrence.
    let mut spellings: HashSet<&[u8]> = HashSet::new();
    let mut i = 0usize;
    while let Some(off) = b
        .get(i..)
        .filter(|_| out.len() < full)
        .and_then(|rest| rest.iter().position(|&c| c == b'0'))
    {
        let at = i + off;
        i = at + 1;
        if !matches!(b.get(at + 1), Some(b'x' | b'X'))
            || b.get(at + 2) != Some(&b'8')
            || !boundary_before(b, at)
        {
            continue;
        }
        if value_starts.contains(&at) || bracketed.contains(&at) {
            continue;
        }
        let spelling = b.get(at..at + 10).unwrap_or(&[]);
        if spelling.len() == 10 && boundary_after(b, at + 10) && !spellings.insert(spelling) {
            i = at + 10;
            continue;
        }
        if let Some((_, v)) = read_value(b, at).filter(|(_, v)| v.hresult) {
            // A value no table holds is an HRESULT only where its line says it is an error: debug logs
            // print flags and addresses such as `options 0x80800000` by the hundred.
            if rows.known(&v.hex) || says_error(line_before(b, at)) {
                emit_hresult(&rows, &v.hex, [at, v.end], None, out, &mut emit);
            }
            i = v.end;
        }
    }
}

/// The start of `at`'s line up to `at`, at most 80 bytes of it.
fn line_before(b: &[u8], at: usize) -> &[u8] {
    let from = at.saturating_sub(80);
    let head = b.get(from..at).unwrap_or(&[]);
    match head.iter().rposition(|&c| c == b'\n') {
        Some(nl) => head.get(nl + 1..).unwrap_or(&[]),
        None => head,
    }
}

/// Words with which a line presents a number as an error's code (`hr=0x8...`, `failed (0x8...)`,
/// `error 0x8...`, `status 0x8...`). Labels such as "Error code:" are read before, as the tables' labels.
fn says_error(line: &[u8]) -> bool {
    const WORDS: [&[u8]; 7] = [
        b"error",
        b"fail",
        b"hr=",
        b"hr:",
        b"hresult",
        b"status",
        b"exception",
    ];
    WORDS
        .iter()
        .any(|w| line.windows(w.len()).any(|win| win.eq_ignore_ascii_case(w)))
}

/// Row names that may stand alone as a code: at least 6 bytes, holding a `_`, first table and row win.
fn name_lookup<'a>(tables: &[&'a CodeTable]) -> HashMap<&'a str, (usize, usize)> {
    let mut names = HashMap::new();
    for (ti, t) in tables.iter().enumerate() {
        for (ri, r) in t.rows.iter().enumerate() {
            let n = r.name.as_str();
            if n.len() >= 6 && n.contains('_') && n.bytes().all(scan::is_word) {
                names.entry(n).or_insert((ti, ri));
            }
        }
    }
    names
}

/// Word tokens (`[A-Za-z0-9_]+`) of at least 6 bytes holding a `_`: the only tokens a row name can be.
fn name_tokens(b: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0usize;
    std::iter::from_fn(move || {
        while i < b.len() {
            while b.get(i).is_some_and(|&c| !scan::is_word(c)) {
                i += 1;
            }
            let start = i;
            let mut underscore = false;
            while let Some(&c) = b.get(i).filter(|&&c| scan::is_word(c)) {
                underscore |= c == b'_';
                i += 1;
            }
            if i > start && i - start >= 6 && underscore {
                return Some((start, i));
            }
        }
        None
    })
}

/// `[0x00020008]` after a name, with optional spaces between: the hex's start and the end past `]`.
fn bracketed_hex(b: &[u8], mut i: usize) -> Option<(usize, usize)> {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    if b.get(i) != Some(&b'[') || !matches!(b.get(i + 1..i + 3), Some([b'0', b'x' | b'X'])) {
        return None;
    }
    let digits = b
        .get(i + 3..)?
        .iter()
        .take_while(|c| c.is_ascii_hexdigit())
        .count();
    let close = i + 3 + digits;
    (digits > 0 && digits <= 16 && b.get(close) == Some(&b']')).then_some((i + 1, close + 1))
}

/// An HRESULT goes to every code table that has a row for it, else to `like` (a label's table of the same
/// family), else to the `hresult` scheme without a row.
fn emit_hresult(
    rows: &Rows<'_>,
    hex: &str,
    span: [usize; 2],
    like: Option<usize>,
    out: &mut Vec<Signal>,
    emit: &mut impl FnMut(&mut Vec<Signal>, Option<usize>, &str, &str, [usize; 2]),
) {
    let mut any = false;
    for (ti, t) in rows.tables.iter().enumerate() {
        if rows.row(ti, hex).is_some() {
            emit(out, Some(ti), &t.scheme, hex, span);
            any = true;
        }
    }
    if any {
        return;
    }
    match like.and_then(|ti| Some((ti, rows.tables.get(ti)?))) {
        Some((ti, t)) => emit(out, Some(ti), &t.scheme, hex, span),
        None => {
            let ti = rows.tables.iter().position(|t| t.scheme == "hresult");
            emit(out, ti, "hresult", hex, span);
        }
    }
}

/// A symbolic name then its value in brackets after a label (`NTSTATUS: STATUS_X [0xC000018D]`) when the
/// name is in no table: the bracketed value is the label's value.
fn named_value(b: &[u8], mut i: usize) -> Option<(usize, Value)> {
    let limit = i + 8;
    while matches!(b.get(i), Some(b' ' | b'\t' | b':' | b'=')) && i < limit {
        i += 1;
    }
    let name = b
        .get(i..)?
        .iter()
        .take_while(|&&c| scan::is_word(c))
        .count();
    if name < 3 || !b.get(i..i + name)?.contains(&b'_') {
        return None;
    }
    let (hex_start, end) = bracketed_hex(b, i + name)?;
    let (_, mut value) = read_value(b, hex_start)?;
    value.end = end;
    Some((hex_start, value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::index;

    /// Runs the detector and renders each signal as `scheme value name @ matched text`.
    #[track_caller]
    fn check(input: &str, expect: &[&str]) {
        let mut out = Vec::new();
        detect(input, &index(), &mut out);
        let got: Vec<String> = out
            .iter()
            .map(|s| match s {
                Signal::Code {
                    scheme,
                    value,
                    name,
                    span,
                    ..
                } => format!(
                    "{scheme} {value} {} @ {}",
                    name.as_deref().unwrap_or("-"),
                    &input[span[0]..span[1]]
                ),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn mstsc_dialog() {
        check(
            "Remote Desktop Connection\n\nThis computer can't connect to the remote computer.\n\nTry connecting \
             again. If the problem continues, contact the owner of the remote computer or your network \
             administrator.\n\nError code: 0x904\nExtended error code: 0x7\n\nTimestamp (UTC): 2026-11-23 \
             09:14:02\nActivity ID: 8f3c2d1e-0000-4a6b-9c1f-1b2a3c4d5e6f\n",
            &[
                "disconnect 0x904 disconnectReasonAtClientWinsockFDCLOSE @ Error code: 0x904",
                "extended 0x7 exDiscReasonServerDeniedConnection @ Extended error code: 0x7",
            ],
        );
    }

    #[test]
    fn dialog_squashed_onto_one_line() {
        check(
            "Your computer can't connect to the remote computer because ... Error code: 0x904 Extended error code: 0x7",
            &[
                "disconnect 0x904 disconnectReasonAtClientWinsockFDCLOSE @ Error code: 0x904",
                "extended 0x7 exDiscReasonServerDeniedConnection @ Extended error code: 0x7",
            ],
        );
    }

    #[test]
    fn decimal_after_reason_is_hex() {
        check(
            "Log Name: Microsoft-Windows-TerminalServices-RDPClient/Operational\nEvent ID: 1026\n\
             RDP ClientActiveX has been disconnected (Reason= 2308)",
            &["disconnect 0x904 disconnectReasonAtClientWinsockFDCLOSE @ Reason= 2308"],
        );
    }

    #[test]
    fn hresult_anywhere_and_after_labels() {
        check(
            "A fatal error occurred when attempting to access the TLS server credential private key. The \
             error code returned from the cryptographic module is 0x8009030D. The internal error state is 10001.",
            &["hresult 0x8009030d SEC_E_UNKNOWN_CREDENTIALS @ error code returned from the cryptographic module is 0x8009030D"],
        );
        check(
            "connect failed (0x80090016)",
            &["hresult 0x80090016 NTE_BAD_KEYSET @ 0x80090016"],
        );
        check("hr=0x8BADF00D", &["hresult 0x8badf00d - @ 0x8BADF00D"]);
        check(
            "Connect failed with 0x8BADF00D",
            &["hresult 0x8badf00d - @ 0x8BADF00D"],
        );
    }

    /// Debug logs print flags, masks and addresses with the top bit set: a value no table holds is read
    /// only where its line calls it an error; a value a table holds is read anywhere.
    #[test]
    fn unknown_values_in_lines_that_do_not_say_error_are_not_codes() {
        check(
            "[10:00:01:001] [1:2] [DEBUG][com.example.core] - options 0x80800000\n\
             [10:00:01:002] [1:2] [DEBUG][com.example.core] - flags 0x8000000F, mask 0x80000001\n",
            &[],
        );
        check(
            "[10:00:01:001] [1:2] [DEBUG][com.example.core] - flags 0x8000000F\nvalue 0x80090016\n",
            &["hresult 0x80090016 NTE_BAD_KEYSET @ 0x80090016"],
        );
    }

    #[test]
    fn unknown_hresult_after_label_is_looked_up_everywhere() {
        // "Error code:" belongs to `disconnect`, which has no such row; the HRESULT table has it.
        check(
            "Error code: 0x80090328",
            &["hresult 0x80090328 SEC_E_CERT_EXPIRED @ Error code: 0x80090328"],
        );
        check(
            "Error code: -2146893016",
            &["hresult 0x80090328 SEC_E_CERT_EXPIRED @ Error code: -2146893016"],
        );
    }

    #[test]
    fn known_label_unknown_row_keeps_the_number() {
        check(
            "Error code: 0x1104",
            &["disconnect 0x1104 - @ Error code: 0x1104"],
        );
    }

    #[test]
    fn bare_numbers_are_not_codes() {
        check(
            "Port 3389, build 19045, 2308 bytes, took 7 s, 0x904 alone, 10.0.0.5",
            &[],
        );
        check("Error code: 10.0.0.5", &[]);
        check("x0x80090328 0x800903280 0x80090328z", &[]);
    }

    #[test]
    fn symbolic_names_are_codes() {
        check(
            "[ERROR][com.freerdp.core] - transport_connect_tls:freerdp_set_last_error_ex \
             ERRCONNECT_TLS_CONNECT_FAILED [0x00020008]",
            &["errconnect 0x20008 ERRCONNECT_TLS_CONNECT_FAILED @ ERRCONNECT_TLS_CONNECT_FAILED [0x00020008]"],
        );
        check(
            "ERRINFO_SERVER_DENIED_CONNECTION",
            &["errinfo 0x7 ERRINFO_SERVER_DENIED_CONNECTION @ ERRINFO_SERVER_DENIED_CONNECTION"],
        );
        check(
            "schannel said SEC_E_CERT_EXPIRED.",
            &["hresult 0x80090328 SEC_E_CERT_EXPIRED @ SEC_E_CERT_EXPIRED"],
        );
        // A bracketed HRESULT after its name is one signal.
        check(
            "SEC_E_CERT_EXPIRED [0x80090328]",
            &["hresult 0x80090328 SEC_E_CERT_EXPIRED @ SEC_E_CERT_EXPIRED [0x80090328]"],
        );
    }

    #[test]
    fn names_are_whole_tokens_and_case_sensitive() {
        check(
            "XERRCONNECT_TLS_CONNECT_FAILED ERRCONNECT_TLS_CONNECT_FAILED2 errconnect_tls_connect_failed \
             ERRCONNECT_UNKNOWN_THING [0x00020099]",
            &[],
        );
        // Short or underscore-less names never stand alone.
        check("disconnectReasonAtClientWinsockFDCLOSE", &[]);
    }

    #[test]
    fn freerdp_log_prefixes_are_not_codes() {
        check(
            "[13:50:01:123] [4157:4158] [ERROR][com.freerdp.core] - freerdp_tcp_connect:freerdp_set_last_error_ex \
             ERRCONNECT_CONNECT_FAILED [0x00020006]\n\
             [13:50:01:124] [4157:4158] [ERROR][com.freerdp.client.x11] - Freerdp connect error exit status 1\n\
             [2026-11-23 13:50:01.125] [14:00:59:999] [65535:2147483648] [0x7f3a2b1c]",
            &["errconnect 0x20006 ERRCONNECT_CONNECT_FAILED @ ERRCONNECT_CONNECT_FAILED [0x00020006]"],
        );
    }

    /// FreeRDP 2 (stable-2.0 libfreerdp/core/nla.c): `SPNEGO received NTSTATUS: %s [0x%08X] from server`
    /// and `SPNEGO failed with NTSTATUS: %s [0x%08X]`; the name and its bracketed value are one signal.
    #[test]
    fn ntstatus_from_freerdp_2() {
        let p = "[10:39:26:269] [53229:53230]";
        check(
            &format!(
                "{p} [WARN][com.freerdp.core.nla] - SPNEGO received NTSTATUS: STATUS_LOGON_FAILURE [0xC000006D] from server\n\
                 {p} [ERROR][com.freerdp.core.nla] - SPNEGO failed with NTSTATUS: STATUS_LOGON_FAILURE [0xC000006D]\n\
                 {p} [ERROR][com.freerdp.core] - nla_recv_pdu:freerdp_set_last_error_ex ERRCONNECT_AUTHENTICATION_FAILED [0x00020009]\n"
            ),
            &["ntstatus 0xc000006d STATUS_LOGON_FAILURE @ STATUS_LOGON_FAILURE [0xC000006D]"],
        );
        // 2.0.0-dev printed the bare value, with or without `0x`, and `Unknown error class [0x...]`.
        for v in ["0xC000006D", "C000006D"] {
            check(
                &format!(
                    "{p} [ERROR][com.freerdp.core.nla] - SPNEGO failed with NTSTATUS: {v}\n\
                     {p} [ERROR][com.freerdp.core] - freerdp_set_last_error Unknown error class [0xC000006D]\n"
                ),
                &[&format!("ntstatus 0xc000006d STATUS_LOGON_FAILURE @ NTSTATUS: {v}")],
            );
        }
    }

    /// FreeRDP 3 (master libfreerdp/core/nla.c): `[nla_recv_pdu]: SPNEGO failed with NTSTATUS: %s [0x%08x]`,
    /// lower-case hex, for the codes it does not map itself; a name no table holds still gives its value.
    #[test]
    fn ntstatus_from_freerdp_3() {
        let p = "[14:02:11:482] [81234:81235] [ERROR][com.freerdp.core.nla] - [nla_recv_pdu]:";
        check(
            &format!("{p} SPNEGO failed with NTSTATUS: STATUS_ACCOUNT_LOCKED_OUT [0xc0000234]\n"),
            &["ntstatus 0xc0000234 STATUS_ACCOUNT_LOCKED_OUT @ STATUS_ACCOUNT_LOCKED_OUT [0xc0000234]"],
        );
        check(
            &format!(
                "{p} SPNEGO failed with NTSTATUS: STATUS_TRUSTED_RELATIONSHIP_FAILURE [0xc000018d]\r\n"
            ),
            &["ntstatus 0xc000018d - @ NTSTATUS: STATUS_TRUSTED_RELATIONSHIP_FAILURE [0xc000018d]"],
        );
    }

    /// Security event 4625's `Failure Information`, as Event Viewer copies it, also mail-quoted.
    #[test]
    fn ntstatus_after_status_labels() {
        let event =
            "Failure Information:\n\tFailure Reason:\t\tUnknown user name or bad password.\n\
                     \tStatus:\t\t\t0xC000006D\n\tSub Status:\t\t0xC0000064\n";
        let want = [
            "ntstatus 0xc000006d STATUS_LOGON_FAILURE @ Status:\t\t\t0xC000006D",
            "ntstatus 0xc0000064 STATUS_NO_SUCH_USER @ Sub Status:\t\t0xC0000064",
        ];
        check(event, &want);
        let quoted: String = event.lines().map(|l| format!("> {l}\r\n")).collect();
        check(&quoted, &want);
        // A status no table holds stays in the family of its label's table: NTSTATUS, not HRESULT.
        check(
            "\tSub Status:\t\t0xC0000133\n\tStatus: 0x8BADF00D\n",
            &[
                "ntstatus 0xc0000133 - @ Sub Status:\t\t0xC0000133",
                "hresult 0x8badf00d - @ Status: 0x8BADF00D",
            ],
        );
    }

    #[test]
    fn ntstatus_values_are_not_read_anywhere() {
        // 0xC... is no HRESULT: without a label or a name it is not a code; nor is a short or long hex word.
        check(
            "returned 0xC000006D; NTSTATUS: C000006 ; NTSTATUS: C000006DD; NTSTATUS: 12345678; Status: cafe",
            &["ntstatus 0xbc614e - @ NTSTATUS: 12345678"],
        );
    }

    #[test]
    fn repeated_codes_are_reported_once() {
        check(
            "Error code: 0x904\nError code: 0x904\n",
            &["disconnect 0x904 disconnectReasonAtClientWinsockFDCLOSE @ Error code: 0x904"],
        );
    }
}
