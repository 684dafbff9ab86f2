//! The source line under a diagnostic's location, with a caret line under what it is about, as rustc, ruff
//! and miette print it: a reader sees the misspelt id where it is written without opening the file.
//!
//! ```text
//!    |
//! 12 |   - id: cause-rdp-cert-expird
//!    |         ^^^^^^^^^^^^^^^^^^^^^
//! ```

use std::fmt;

use super::{escape, Pos};

/// Writes the excerpt (starting with a line break) for `line`, the text of line `pos.line`, underlining
/// `len` bytes from column `pos.col` (at least one caret; at most to the end of the line). Tabs become four
/// spaces and control characters are made visible, in the line and in the caret's offset alike, so the
/// caret stays under what it marks.
pub(super) fn write(f: &mut fmt::Formatter<'_>, line: &str, pos: Pos, len: usize) -> fmt::Result {
    let start = line
        .char_indices()
        .nth(pos.col.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let mut end = start.saturating_add(len).min(line.len());
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    let shown = |s: &str| escape::visible(&s.replace('\t', "    "), &[]).into_owned();
    let before = shown(line.get(..start).unwrap_or(""));
    let marked = shown(line.get(start..end).unwrap_or(""));
    let number = pos.line.to_string();
    let gutter = " ".repeat(number.len() + 1);
    write!(
        f,
        "\n{gutter}|\n{number} | {}\n{gutter}| {}{}",
        shown(line).trim_end(),
        " ".repeat(before.chars().count()),
        "^".repeat(marked.chars().count().max(1))
    )
}

#[cfg(test)]
mod tests {
    use super::super::{Code, Diagnostic};
    use super::*;

    #[track_caller]
    fn check(line: &str, col: usize, len: usize, expect: &str) {
        let mut d = Diagnostic::new(Code::UnknownRef, "a.md", Pos { line: 12, col }, "m").len(len);
        d.detail_mut().source_line = Some(line.to_string());
        let text = d.to_string();
        let excerpt = text.split_once("a.md:12:").map(|(_, r)| r).unwrap_or("");
        let excerpt = excerpt.split_once('\n').map(|(_, r)| r).unwrap_or("");
        assert_eq!(excerpt, expect);
    }

    #[test]
    fn the_caret_underlines_the_span_under_its_characters() {
        check(
            "  - id: cause-rdp-cert-expird",
            9,
            21,
            "   |\n12 |   - id: cause-rdp-cert-expird\n   |         ^^^^^^^^^^^^^^^^^^^^^",
        );
        // A point gets one caret; a span past the line's end stops at it.
        check("key: x", 6, 0, "   |\n12 | key: x\n   |      ^");
        check("key: x", 6, 40, "   |\n12 | key: x\n   |      ^");
        // Columns count characters; tabs and control characters are shown wider, and the caret follows.
        check("é\tb: c", 3, 1, "   |\n12 | é    b: c\n   |      ^");
        check("\u{1b}x y", 4, 1, "   |\n12 | \\u{1b}x y\n   |         ^");
    }
}
