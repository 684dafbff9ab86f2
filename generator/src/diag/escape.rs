//! Diagnostics quote what content says (ids, titles, link targets, file names), and content comes from pull
//! requests: an escape sequence in a title (`"\e[2K"`) printed raw would erase or restyle lines of CI output,
//! a bidirectional override would reorder them, and a newline would forge a line of its own. Every printed
//! form goes through here, so control characters are shown as visible escapes (`\u{1b}`), whatever the format.

use std::borrow::Cow;

/// Characters a terminal, a log viewer or a workflow-command parser would act on rather than show: C0 and
/// C1 controls and DEL (`char::is_control`), and the bidirectional formatting characters.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every unsafe character written as `\u{..}`, except those in `keep` (the human format keeps
/// its own line breaks and tabs).
pub(super) fn visible<'a>(s: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !s.chars().any(|c| is_unsafe(c) && !keep.contains(&c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) && !keep.contains(&c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text with the unsafe characters that serde_json leaves raw (DEL, C1 controls, bidirectional
/// formatting) written as `\uXXXX` escapes: the same data for a parser, inert on a terminal. They can only
/// occur inside strings, where such an escape means the same character.
pub(super) fn json(s: String) -> String {
    // Outside strings serde_json writes no control character but the pretty form's line breaks.
    let escape = |c: char| is_unsafe(c) && c != '\n';
    if !s.chars().any(escape) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if escape(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_become_visible() {
        assert_eq!(visible("a\u{1b}[2Kb", &[]), "a\\u{1b}[2Kb");
        assert_eq!(visible("x\u{9b}y\u{7f}", &[]), "x\\u{9b}y\\u{7f}");
        assert_eq!(visible("\u{202e}txt", &[]), "\\u{202e}txt");
        assert_eq!(visible("one\ntwo\tz", &['\n', '\t']), "one\ntwo\tz");
        assert_eq!(visible("one\ntwo", &[]), "one\\u{a}two");
        assert!(matches!(visible("plain € text", &[]), Cow::Borrowed(_)));
    }

    #[test]
    fn json_escapes_what_serde_json_leaves_raw() {
        let s = serde_json::to_string_pretty(&["a\u{9b}b\u{1b}"]).unwrap_or_default();
        let escaped = json(s);
        assert_eq!(escaped, "[\n  \"a\\u009bb\\u001b\"\n]");
        let back: Vec<String> = serde_json::from_str(&escaped).unwrap_or_default();
        assert_eq!(back, ["a\u{9b}b\u{1b}"]);
    }
}
