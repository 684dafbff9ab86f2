//! Text helpers shared by the detectors: line iteration, quote stripping, and a phrase matcher that is
//! case-insensitive and tolerant of line wraps.
//!
//! ## Why hand-written
//! The checker runs in the browser, where every kilobyte of wasm counts; a regex engine would cost more than
//! all detectors together. Each helper here is a single forward pass, so the engine stays linear in the size
//! of the paste (a 3 MB log is a normal thing to paste).

/// A line of the paste: its byte offset and its text without the line terminator (`\n` or `\r\n`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    pub(crate) start: usize,
    pub(crate) text: &'a str,
}

impl Line<'_> {
    /// Byte offset just past the line's text (before its terminator).
    pub(crate) fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// Every line of `text`, with offsets. A final line without terminator is included.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut pos = 0usize;
    text.split('\n').filter_map(move |raw| {
        let start = pos;
        pos += raw.len() + 1;
        if start > text.len() {
            return None;
        }
        Some(Line {
            start,
            text: raw.strip_suffix('\r').unwrap_or(raw),
        })
    })
}

/// Strips leading whitespace and mail quote markers (`> `, `>> `, `> > `) from a line.
///
/// Returns the byte offset of the rest within the line and the rest, with trailing whitespace trimmed.
pub(crate) fn unquote(line: &str) -> (usize, &str) {
    let rest = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
    let offset = line.len() - rest.len();
    (offset, rest.trim_end())
}

/// Splits `Key : value` (Format-List) or `Key: value` (Event Viewer) into a lower-cased key and the value.
///
/// ## Why so strict
/// Keys are short words; a colon far into a sentence ("The error is: ...") is not a field. The value keeps
/// its offset so signals can point at it.
pub(crate) fn field(line: &str) -> Option<(String, usize, &str)> {
    let (off, rest) = unquote(line);
    let colon = rest.get(..40.min(rest.len())).unwrap_or(rest).find(':')?;
    let key = rest.get(..colon)?.trim();
    if key.is_empty()
        || !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'(' || b == b')')
    {
        return None;
    }
    let after = rest.get(colon + 1..)?;
    let value = after.trim();
    let value_off = off + colon + 1 + (after.len() - after.trim_start().len());
    Some((key.to_ascii_lowercase(), value_off, value))
}

/// A short name copied from the paste (a host, an event source, a log name), or `None` if it does not look
/// like one.
///
/// ## Why
/// Reports may show decoded names but must never echo arbitrary pasted text (it could be a secret), so
/// only short tokens of name characters pass.
pub(crate) fn name_token(s: &str, max: usize) -> Option<String> {
    let s = s.trim();
    let ok = !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" -_./:\\[]%@()".contains(&b));
    ok.then(|| s.to_string())
}

/// Finds `needle` (lower-case ASCII) in `hay` ignoring ASCII case. Linear in `hay` for the short needles
/// the detectors use.
pub(crate) fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    let first = n.first()?.to_ascii_lowercase();
    let last_start = h.len().checked_sub(n.len())?;
    // Candidates are found by their first byte alone (one compare per byte), then checked whole.
    let mut from = 0;
    while from <= last_start {
        let off = h
            .get(from..=last_start)?
            .iter()
            .position(|&c| c.to_ascii_lowercase() == first)?;
        let i = from + off;
        if h.get(i..i + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
        {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// Letters, digits and `_`, as a table: the phrase and name scans test every byte of a paste.
// A `u8` always indexes a 256-entry table: the indexing below cannot panic.
#[allow(clippy::indexing_slicing)]
const WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_';
        c += 1;
    }
    t
};

/// Letters, digits and `_`.
#[allow(clippy::indexing_slicing)] // a u8 indexes the 256 entries of WORD
pub(crate) fn is_word(b: u8) -> bool {
    WORD[usize::from(b)]
}

/// True when a match may start at `i`: the byte before is not part of a word.
pub(crate) fn boundary_before(b: &[u8], i: usize) -> bool {
    i == 0 || b.get(i - 1).is_none_or(|&p| !is_word(p))
}

/// True when a match may end at `i`: the byte there is not part of a word.
pub(crate) fn boundary_after(b: &[u8], i: usize) -> bool {
    b.get(i).is_none_or(|&p| !is_word(p))
}

/// Normal form of a phrase or label: ASCII lower case, curly apostrophes straightened, whitespace runs
/// collapsed to one space, trimmed.
pub(crate) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' => '\'',
            c if c.is_whitespace() => ' ',
            c => c.to_ascii_lowercase(),
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Skips a gap between two words of a phrase: spaces, tabs, line breaks, no-break spaces, and the quote
/// markers (`>`) that start a mail-quoted line. Returns the position after the gap.
fn skip_gap(b: &[u8], mut i: usize) -> usize {
    let mut after_newline = false;
    loop {
        match b.get(i) {
            Some(b' ' | b'\t' | b'\r' | 0x0b | 0x0c) => i += 1,
            Some(b'\n') => {
                after_newline = true;
                i += 1;
            }
            Some(b'>') if after_newline => i += 1,
            Some(0xc2) if b.get(i + 1) == Some(&0xa0) => i += 2,
            _ => return i,
        }
    }
}

/// Matches normalised `pat` at `i` in `b`; returns the end of the match.
fn match_at(b: &[u8], mut i: usize, pat: &[u8]) -> Option<usize> {
    for &p in pat {
        if p == b' ' {
            let next = skip_gap(b, i);
            if next == i {
                return None;
            }
            i = next;
        } else if p == b'\'' && matches!(b.get(i..i + 3), Some([0xe2, 0x80, 0x98 | 0x99])) {
            i += 3;
        } else if b.get(i).map(u8::to_ascii_lowercase) == Some(p) {
            i += 1;
        } else {
            return None;
        }
    }
    Some(i)
}

/// A phrase's first bytes up to its first space or quote (which [`match_at`] matches loosely), at most 8,
/// packed little-endian, with the mask of the bytes used, and the offset of that first space (0 if none
/// within the 8 bytes).
fn head(pat: &[u8]) -> (u64, u64, usize) {
    let mut head = 0u64;
    let mut mask = 0u64;
    for (n, &c) in pat.iter().take(8).enumerate() {
        if c == b' ' {
            return (head, mask, n);
        }
        if c == b'\'' {
            break;
        }
        head |= u64::from(c) << (8 * n);
        mask |= 0xff << (8 * n);
    }
    (head, mask, 0)
}

/// Can a gap between two words of a phrase start with this byte (see [`skip_gap`])?
fn gap_start(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c | 0xc2)
}

/// The 8 bytes of `b` from `i`, ASCII lower-cased, packed like [`head`]; 0 past the end.
fn window(b: &[u8], i: usize) -> u64 {
    if let Some(bytes) = b.get(i..i + 8).and_then(|s| <[u8; 8]>::try_from(s).ok()) {
        return lower_ascii(u64::from_le_bytes(bytes));
    }
    let mut w = 0u64;
    for n in 0..8 {
        if let Some(&c) = b.get(i + n) {
            w |= u64::from(c.to_ascii_lowercase()) << (8 * n);
        }
    }
    w
}

/// ASCII lower case of 8 packed bytes at once: `A`..=`Z` gain 0x20, every other byte is unchanged.
fn lower_ascii(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = x & (0x7f * ONES);
    // High bit of each byte: set when the byte's low 7 bits are >= 'A', and when they are > 'Z'.
    let ge_a = low7.wrapping_add((0x80 - b'A' as u64) * ONES);
    let gt_z = low7.wrapping_add((0x80 - b'Z' as u64 - 1) * ONES);
    let upper = ge_a & !gt_z & !x & (0x80 * ONES);
    x | (upper >> 2)
}

#[cfg(test)]
#[test]
fn lower_ascii_lowers_only_ascii_capitals() {
    for bytes in [*b"ABCxyz@[", *b"Z`a{0 \xff\xc3", *b"HELLO wo"] {
        let want: Vec<u8> = bytes.iter().map(u8::to_ascii_lowercase).collect();
        let got = lower_ascii(u64::from_le_bytes(bytes)).to_le_bytes();
        assert_eq!(got.as_slice(), want.as_slice(), "{bytes:?}");
    }
}

/// The first two bytes of a match, as the bucket key: lower case, any whitespace as a space.
fn key(a: u8, b: u8) -> usize {
    let fold = |c: u8| {
        if c.is_ascii_whitespace() {
            b' '
        } else {
            c.to_ascii_lowercase()
        }
    };
    (usize::from(fold(a)) << 8) | usize::from(fold(b))
}

/// A set of phrases matched in one pass over a paste.
///
/// ## How
/// Phrases are bucketed by their first two bytes. The scan visits each position where a word may start,
/// looks its two bytes up in a flat 64K table, and tries only that bucket's phrases. The cost is linear in
/// the paste times the (small) number of phrases that share a two-byte prefix.
pub(crate) struct PhraseSet {
    phrases: Vec<Vec<u8>>,
    /// Bucket number + 1 for each two-byte key, 0 for none.
    table: Vec<u16>,
    /// Bytes a phrase can start with (both cases), the scan's cheap first test.
    first: [bool; 256],
    /// Each bucket's phrases as (head, mask, id): the phrase's first bytes before any space or quote (at
    /// most 8) and their mask. A candidate whose next 8 bytes, lower-cased, differ under the mask is
    /// rejected with one compare instead of a byte-by-byte [`match_at`] (the bucket "th" holds a dozen
    /// phrases that every "the" in a log would otherwise try).
    /// The fourth field is where the phrase's first gap starts when it is within those 8 bytes (0 when
    /// not): the text must have a gap byte there, so "a fatal error" is not tried at every "as" and "AM".
    buckets: Vec<Vec<(u64, u64, usize, usize)>>,
}

impl PhraseSet {
    /// Builds the set; returns it and, for each input phrase, its id in the set (`None` if it is shorter
    /// than two bytes once normalised, too short to match safely). Equal phrases share an id.
    pub(crate) fn new<'a>(inputs: impl IntoIterator<Item = &'a str>) -> (Self, Vec<Option<usize>>) {
        let mut set = PhraseSet {
            phrases: Vec::new(),
            table: vec![0; 1 << 16],
            first: [false; 256],
            buckets: Vec::new(),
        };
        let mut ids = Vec::new();
        for input in inputs {
            let norm = normalize(input).into_bytes();
            let (Some(&a), Some(&b)) = (norm.first(), norm.get(1)) else {
                ids.push(None);
                continue;
            };
            if let Some(id) = set.phrases.iter().position(|p| *p == norm) {
                ids.push(Some(id));
                continue;
            }
            let id = set.phrases.len();
            let (h, m, gap) = head(&norm);
            set.phrases.push(norm);
            for c in [a.to_ascii_lowercase(), a.to_ascii_uppercase()] {
                if let Some(f) = set.first.get_mut(usize::from(c)) {
                    *f = true;
                }
            }
            let k = key(a, b);
            let slot = set.table.get(k).copied().unwrap_or(0);
            if slot == 0 {
                set.buckets.push(vec![(h, m, id, gap)]);
                if let (Some(t), Ok(n)) = (set.table.get_mut(k), u16::try_from(set.buckets.len())) {
                    *t = n;
                }
            } else if let Some(bucket) = set.buckets.get_mut(usize::from(slot) - 1) {
                bucket.push((h, m, id, gap));
            }
            ids.push(Some(id));
        }
        (set, ids)
    }

    /// Calls `found(id, start, end)` for matches in `text`, in order of position.
    ///
    /// With `longest_only`, at most one phrase matches per position (the longest) and the scan resumes after
    /// it, so "Extended error code:" is not also read as "error code:". Otherwise every phrase matching at
    /// every position is reported.
    pub(crate) fn scan(
        &self,
        text: &str,
        longest_only: bool,
        mut found: impl FnMut(usize, usize, usize),
    ) {
        if self.phrases.is_empty() {
            return;
        }
        let b = text.as_bytes();
        // Hot loop: one table test per byte; only word starts whose byte can begin a phrase go further.
        let mut prev_word = false;
        let mut resume = 0usize;
        for (i, &c0) in b.iter().enumerate() {
            let at_start = !prev_word;
            prev_word = is_word(c0);
            if !at_start || i < resume || !self.first.get(usize::from(c0)).copied().unwrap_or(false)
            {
                continue;
            }
            let Some(&c1) = b.get(i + 1) else { break };
            let slot = self.table.get(key(c0, c1)).copied().unwrap_or(0);
            if slot == 0 {
                continue;
            }
            let mut best: Option<(usize, usize)> = None;
            let window = window(b, i);
            for &(head, mask, id, gap) in self
                .buckets
                .get(usize::from(slot) - 1)
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                if window & mask != head
                    || (gap != 0 && !b.get(i + gap).is_some_and(|&c| gap_start(c)))
                {
                    continue;
                }
                let Some(pat) = self.phrases.get(id) else {
                    continue;
                };
                let Some(end) = match_at(b, i, pat) else {
                    continue;
                };
                // A phrase ending in a letter or digit must end at a word boundary ("Id" is not "Identity").
                if pat.last().is_some_and(|&l| is_word(l)) && !boundary_after(b, end) {
                    continue;
                }
                if longest_only {
                    if best.is_none_or(|(_, e)| end > e) {
                        best = Some((id, end));
                    }
                } else {
                    found(id, i, end);
                }
            }
            if let Some((id, end)) = best {
                found(id, i, end);
                resume = end;
            }
        }
    }
}

/// Longest message kept in a [`crate::Signal::LogLine`], in characters.
pub(crate) const MAX_LOG_TEXT: usize = 300;

/// Most log lines one detector reports: a long log repeats its errors.
pub(crate) const MAX_LOG_LINES: usize = 200;

/// Collects a detector's [`crate::Signal::LogLine`]s: each (program, level, message) once, at most
/// [`MAX_LOG_LINES`], the message cut to [`MAX_LOG_TEXT`] characters.
#[derive(Default)]
pub(crate) struct LogLines {
    seen: std::collections::HashSet<(String, String, String)>,
}

impl LogLines {
    pub(crate) fn push(
        &mut self,
        out: &mut Vec<crate::Signal>,
        program: &str,
        level: &str,
        text: &str,
        span: [usize; 2],
    ) {
        if self.seen.len() >= MAX_LOG_LINES {
            return;
        }
        let text = match text.char_indices().nth(MAX_LOG_TEXT) {
            Some((at, _)) => text.get(..at).unwrap_or(text).trim_end(),
            None => text,
        };
        let key = (program.to_string(), level.to_string(), text.to_string());
        if self.seen.contains(&key) {
            return;
        }
        out.push(crate::Signal::LogLine {
            program: key.0.clone(),
            level: key.1.clone(),
            text: key.2.clone(),
            span,
        });
        self.seen.insert(key);
    }
}

/// Most hosts kept: certificates are compared with each, and a paste naming more is a list, not a session.
pub(crate) const MAX_HOSTS: usize = 64;

/// The names the paste says the reader connected to, each once (ASCII case ignored, as DNS does), in
/// order, at most [`MAX_HOSTS`].
///
/// ## Why a set
/// A long paste can name a host on every line; looking each new name up in the list made the port-test
/// and dialog detectors quadratic (1.6 MB of "Remote computer:" lines took 3 s).
#[derive(Default, Debug)]
pub(crate) struct Hosts {
    list: Vec<String>,
    seen: std::collections::HashSet<String>,
    /// More distinct hosts were named than were kept.
    pub(crate) cut: bool,
}

impl Hosts {
    /// Adds `h` unless it is already there (or the list is full: then [`Hosts::cut`] is set).
    pub(crate) fn push(&mut self, h: &str) {
        let key = h.to_ascii_lowercase();
        if self.seen.contains(&key) {
            return;
        }
        if self.list.len() >= MAX_HOSTS {
            self.cut = true;
            return;
        }
        self.seen.insert(key);
        self.list.push(h.to_string());
    }

    pub(crate) fn as_slice(&self) -> &[String] {
        &self.list
    }
}

/// Replaces the bytes of `spans` with spaces so later detectors cannot read them (private keys).
/// Offsets are kept, so spans found in the masked text are spans of the paste.
pub(crate) fn mask(text: &str, spans: &[[usize; 2]]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for [s, e] in spans {
        if let Some(range) = bytes.get_mut(*s..*e) {
            range.fill(b' ');
        }
    }
    // Masking whole characters keeps UTF-8 valid, but the spans come from ASCII markers; be safe anyway.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(phrases: &[&str], text: &str, longest: bool, expect: &[(usize, &str)]) {
        let (set, _) = PhraseSet::new(phrases.iter().copied());
        let mut got = Vec::new();
        set.scan(text, longest, |id, s, e| {
            got.push((id, text[s..e].to_string()))
        });
        let got: Vec<(usize, &str)> = got.iter().map(|(i, s)| (*i, s.as_str())).collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn phrases_match_across_wraps_quotes_and_case() {
        check(
            &["encryption oracle remediation"],
            "> This could be due to CredSSP Encryption\n> oracle   remediation.",
            false,
            &[(0, "Encryption\n> oracle   remediation")],
        );
        check(
            &["can't connect"],
            "It can\u{2019}t connect",
            false,
            &[(0, "can\u{2019}t connect")],
        );
    }

    #[test]
    fn longest_label_wins_and_consumes() {
        check(
            &["Error code:", "Extended error code:"],
            "Error code: 0x904\nExtended error code: 0x7",
            true,
            &[(0, "Error code:"), (1, "Extended error code:")],
        );
    }

    #[test]
    fn words_need_boundaries() {
        check(&["Id"], "Identity Id", false, &[(0, "Id")]);
        check(&["code"], "barcode code", false, &[(0, "code")]);
    }

    #[test]
    fn fields_and_lines() {
        let ls: Vec<_> = lines("a\r\nb\n\nc").map(|l| (l.start, l.text)).collect();
        assert_eq!(ls, vec![(0, "a"), (3, "b"), (5, ""), (6, "c")]);
        let (k, off, v) = field("  > Event ID:      36870").unwrap();
        assert_eq!((k.as_str(), v), ("event id", "36870"));
        assert_eq!(&"  > Event ID:      36870"[off..], "36870");
        assert!(
            field("The error is: bad").is_none()
                || field("The error is: bad").unwrap().0 == "the error is"
        );
        assert_eq!(find_ci("Could NOT open", "not open"), Some(6));
    }
}
