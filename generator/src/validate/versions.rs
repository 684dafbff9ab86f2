//! Version notes: `since`, `until` and `applies_to` on code-table rows and on fix steps (`steps:`).
//!
//! ## Why a fixed form
//! A note is shown to readers ("since FreeRDP 3.18.0") and next to a decoded code in the checker, so it must
//! name a product and a version a reader can compare with their own: `FreeRDP 3.18.0`, `Windows Server 2016`,
//! `xrdp 0.10.1`. A bare number, a `v3` or a typo would read as a fact and mean nothing.

use std::path::Path;

use crate::diag::{did_you_mean, Code, Diagnostic, Pos};
use crate::load::KindData;
use crate::model::Model;

/// `FreeRDP 3.18.0`, `Windows Server 2016`, `xrdp 0.10.1`: a product name (words starting with a letter),
/// then a version that starts with a digit and holds only digits, dots, and letters or `-` after them.
pub(crate) fn is_version_bound(s: &str) -> bool {
    let Some((product, version)) = s.trim().rsplit_once(' ') else {
        return false;
    };
    let product_ok = product
        .split(' ')
        .all(|w| w.chars().next().is_some_and(|c| c.is_ascii_alphabetic()));
    let version_ok = version.chars().next().is_some_and(|c| c.is_ascii_digit())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    product_ok && version_ok
}

/// An `applies_to` entry: one line that starts with a product name (`Windows Server 2012+`,
/// `FreeRDP development branch (after 3.30.0)`), short enough to read in a table cell.
fn is_applies_to(s: &str) -> bool {
    let s = s.trim();
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().count() <= 100
        && !s.chars().any(char::is_control)
}

/// The problems of one note. `pos` locates a written value in `file`.
fn note_problems(
    since: Option<&str>,
    until: Option<&str>,
    applies_to: &[String],
    file: &Path,
    pos: &dyn Fn(&str) -> Pos,
    out: &mut Vec<Diagnostic>,
) {
    for (key, bound) in [("since", since), ("until", until)] {
        let Some(bound) = bound.filter(|b| !is_version_bound(b)) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Code::BadField,
                file,
                pos(bound),
                format!("`{key}: {bound}` does not name a product and a version"),
            )
            .help(format!(
                "write the product, a space and its version, e.g. `{key}: FreeRDP 3.18.0`"
            )),
        );
    }
    for a in applies_to.iter().filter(|a| !is_applies_to(a)) {
        out.push(
            Diagnostic::new(
                Code::BadField,
                file,
                pos(a),
                format!("`applies_to: {a}` does not start with a product name"),
            )
            .help("name what the fact holds for on one line of at most 100 characters, e.g. `Windows Server 2016+` or `FreeRDP 2`"),
        );
    }
}

pub(super) fn check(model: &Model, scope: super::Scope<'_>, out: &mut Vec<Diagnostic>) {
    for t in &model.site.tables {
        for (n, row) in t.rows.iter().enumerate() {
            let pos = |v: &str| t.pos_in_row(n, v);
            note_problems(
                row.since.as_deref(),
                row.until.as_deref(),
                &row.applies_to,
                &t.file,
                &pos,
                out,
            );
        }
    }
    for (i, (p, body)) in model.site.pages.iter().zip(&model.bodies).enumerate() {
        let KindData::Fix(fix) = &p.data else {
            continue;
        };
        if !scope.has(i) {
            continue;
        }
        for note in &fix.steps {
            let pos = |v: &str| p.value_pos("steps", v);
            if !body.has_anchor(&note.step) {
                let mut d = Diagnostic::new(
                    Code::BrokenAnchor,
                    &p.file,
                    pos(&note.step),
                    format!(
                        "`steps` names `{}`, which is not a heading of this page",
                        note.step
                    ),
                );
                d = match did_you_mean(&note.step, body.anchors()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(
                        "use the anchor of one of the page's headings (`## Title {#anchor}`)",
                    ),
                };
                out.push(d);
            }
            if note.since.is_none() && note.until.is_none() && note.applies_to.is_empty() {
                out.push(
                    Diagnostic::new(
                        Code::BadField,
                        &p.file,
                        pos(&note.step),
                        format!("the note on step `{}` says nothing", note.step),
                    )
                    .help("give `since:`, `until:` or `applies_to:`, or remove the note"),
                );
            }
            note_problems(
                note.since.as_deref(),
                note.until.as_deref(),
                &note.applies_to,
                &p.file,
                &pos,
                out,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_applies_to, is_version_bound};

    #[test]
    fn version_bounds_name_a_product_and_a_version() {
        for ok in [
            "FreeRDP 3.18.0",
            "Windows Server 2016",
            "xrdp 0.10.1",
            "FreeRDP 2.0.0-rc2",
        ] {
            assert!(is_version_bound(ok), "{ok}");
        }
        for bad in ["FreeRDP", "3.18.0", "FreeRDP v3", "FreeRDP 3.18.0!", ""] {
            assert!(!is_version_bound(bad), "{bad}");
        }
    }

    #[test]
    fn applies_to_starts_with_a_product() {
        assert!(is_applies_to("Windows Server 2012+"));
        assert!(is_applies_to("FreeRDP development branch (after 3.30.0)"));
        for bad in ["", "2012+", "- FreeRDP", "FreeRDP\n3", &"x".repeat(101)] {
            assert!(!is_applies_to(bad), "{bad:?}");
        }
    }
}
