//! Splits a page into YAML front matter and Markdown body.

use std::ops::Range;
use std::path::Path;

use crate::diag::{Code, Diagnostic, Pos};

/// Byte ranges of a page's parts.
pub(crate) struct Split {
    /// The YAML between the `---` lines.
    pub(crate) front: Range<usize>,
    /// Everything after the closing `---` line.
    pub(crate) body: Range<usize>,
}

/// Finds the front matter: the file must start with a `---` line and have a closing `---` line.
pub(crate) fn split(rel: &Path, text: &str) -> Result<Split, Diagnostic> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err(Diagnostic::new(Code::NoFrontMatter, rel, Pos::START, "no front matter")
            .help("start the file with a `---` line, then `id:`, `kind:`, `title:`, `summary:`, `updated:`, then a closing `---` line"));
    }
    let front_start = (first_end + 1).min(text.len());
    let mut line_start = front_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Split {
                front: front_start..line_start,
                body: (line_end + 1).min(text.len())..text.len(),
            });
        }
        line_start = line_end + 1;
    }
    Err(Diagnostic::new(
        Code::UnclosedFrontMatter,
        rel,
        Pos::START,
        "front matter never closes",
    )
    .help("add a line with only `---` after the last front matter field"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let t = "---\nid: a\n---\n# Body\n";
        let s = split(Path::new("x.md"), t).unwrap_or_else(|_| unreachable!());
        assert_eq!(&t[s.front], "id: a\n");
        assert_eq!(&t[s.body], "# Body\n");
    }

    #[test]
    fn crlf_is_fine() {
        let t = "---\r\nid: a\r\n---\r\nbody";
        let s = split(Path::new("x.md"), t).unwrap_or_else(|_| unreachable!());
        assert_eq!(&t[s.front], "id: a\r\n");
        assert_eq!(&t[s.body], "body");
    }

    #[test]
    fn unclosed_and_missing_are_errors() {
        assert_eq!(
            split(Path::new("x.md"), "---\nid: a\n")
                .err()
                .map(|d| d.code),
            Some(Code::UnclosedFrontMatter)
        );
        assert_eq!(
            split(Path::new("x.md"), "# hi\n").err().map(|d| d.code),
            Some(Code::NoFrontMatter)
        );
    }
}
