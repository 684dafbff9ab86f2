//! Tera's errors as diagnostics at the template's own line and column, every report of a message on its own,
//! so a theme author sees each problem where it is, as with content.

use crate::diag::{Code, Diagnostic, Pos};

/// A template problem as a diagnostic: syntax and rendering errors point at the template's line and column
/// (Tera 2 keeps spans); `what` says what was being rendered (a content file, or a template's name).
pub(super) fn template_diag(e: &tera::Error, dir: &str, what: &str) -> Diagnostic {
    template_diags(e, dir, what)
        .into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::new(Code::Template, dir, Pos::START, e.to_string()))
}

/// [`template_diag`] for errors that may hold several problems: when templates are compiled, Tera reports
/// every unknown filter, function or component at once, as one message of several reports.
pub(super) fn template_diags(e: &tera::Error, dir: &str, what: &str) -> Vec<Diagnostic> {
    use std::error::Error;
    let help = "fix the template; the context is documented in themes/default/README.md";
    if let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = e.kind() {
        if !r.filename().is_empty() {
            let span = r.span();
            let mut msg = r.message().to_string();
            if let tera::ErrorKind::RenderingError(_) = e.kind() {
                msg.push_str(&format!(" (while rendering {what})"));
            }
            let pos = Pos {
                line: span.start_line.max(1),
                col: span.start_col + 1,
            };
            let file = format!("{dir}/{}", r.filename());
            return vec![Diagnostic::new(Code::Template, file, pos, msg).help(help)];
        }
    }
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    let located = located_reports(&msg);
    if !located.is_empty() {
        return located
            .into_iter()
            .map(|(file, pos, text)| {
                Diagnostic::new(Code::Template, format!("{dir}/{file}"), pos, text).help(help)
            })
            .collect();
    }
    vec![Diagnostic::new(Code::Template, format!("{dir}/{what}"), Pos::START, msg).help(help)]
}

/// The `(file, position, message)` of each report in a Tera message: a report is an `error: ...` line
/// followed by `--> file:line:col` (columns there are 1-based).
fn located_reports(msg: &str) -> Vec<(String, Pos, String)> {
    let mut out = Vec::new();
    let mut last = "";
    for line in msg.lines() {
        if let Some(loc) = line.trim_start().strip_prefix("--> ") {
            let mut parts = loc.rsplitn(3, ':');
            let (col, line_no, file) = (parts.next(), parts.next(), parts.next());
            if let (Some(col), Some(line_no), Some(file)) = (col, line_no, file) {
                if let (Ok(col), Ok(line_no)) = (col.parse(), line_no.parse()) {
                    let text = last.trim().trim_start_matches("error:").trim();
                    out.push((
                        file.to_string(),
                        Pos { line: line_no, col },
                        text.to_string(),
                    ));
                }
            }
        }
        last = line;
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_report_of_a_tera_message_is_located() {
        let msg = "error: Unknown filter `shout`\n  --> page.html:11:17\n   |\n11 | x\n\nerror: Unknown function `f`\n  --> base.html:2:4\n";
        let got = super::located_reports(msg);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, "page.html");
        assert_eq!((got[0].1.line, got[0].1.col), (11, 17));
        assert_eq!(got[0].2, "Unknown filter `shout`");
        assert_eq!((got[1].0.as_str(), got[1].1.line), ("base.html", 2));
    }
}
