//! A cause's `examples` must diagnose to that cause first: a content change that breaks a diagnosis fails
//! the pull request, not a reader's paste.

use fixbook_checker::{diagnose, KnowledgeIndex};
use rayon::prelude::*;
use time::OffsetDateTime;

use crate::diag::{Code, Diagnostic};
use crate::load::KindData;
use crate::model::Model;

/// Parses an example's `now`: `YYYY-MM-DD` (midnight UTC) or RFC 3339.
pub(crate) fn parse_now(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        return Some(t);
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &fmt)
        .ok()
        .map(|d| d.midnight().assume_utc())
}

/// Runs the checker on every example and reports those that do not rank their cause first, or that rank it
/// first while the stage strip shows the connection failing at another stage than the cause's.
pub fn examples(model: &Model, index: &KnowledgeIndex, out: &mut Vec<Diagnostic>) {
    let found: Vec<Diagnostic> = model
        .site
        .pages
        .par_iter()
        .flat_map_iter(|p| {
            let mut diags = Vec::new();
            if let KindData::Cause(c) = &p.data {
                for (n, ex) in c.examples.iter().enumerate() {
                    // A paste still left from `fixbook new` is reported as the placeholder it is.
                    if ex.paste.contains(crate::content::PLACEHOLDER) {
                        continue;
                    }
                    let Some(now) = parse_now(&ex.now) else { continue };
                    let report = diagnose(&ex.paste, index, now);
                    let first = report.causes.first().map(|c| c.id.as_str());
                    let first_line = ex.paste.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                    if first != Some(p.meta.id.as_str()) {
                        let got = match first {
                            Some(id) => format!("ranks `{id}` first"),
                            None => "finds no cause".to_string(),
                        };
                        let pos = p.value_pos_nth("examples", "paste", n);
                        let mut d = Diagnostic::new(
                            Code::ExampleMismatch,
                            &p.file,
                            pos,
                            format!("example {} (\"{}\") {got}, not `{}`", n + 1, truncate(first_line, 60), p.meta.id),
                        );
                        d = match tied_with(model, &report.causes, &p.meta.id) {
                            // Two causes that score alike on the paste: most often a page copied from the
                            // other, whose signals were not changed yet.
                            Some(other) => d.help(format!(
                                "`{}` ({}) scores the same on this paste: the two causes' signals match the same \
                                 evidence; if one page was copied from the other, give each the signals that \
                                 tell them apart",
                                other.meta.id,
                                crate::diag::display_path(&other.file)
                            )),
                            None => d.help("add the evidence this cause needs to the paste, or adjust the cause's `signals` and weights"),
                        };
                        diags.push(d);
                    } else if let (Some(failed), Some(stage)) = (
                        report.stage.as_ref().and_then(|s| s.failed.as_deref()),
                        c.stage.as_deref(),
                    ) {
                        // The strip and the first cause would tell the reader two different things, unless
                        // one of the cause's signals says it shows a failure at that stage.
                        let named = c.signals.iter().any(|s| s.stage.as_deref() == Some(failed));
                        if failed != stage && !named {
                            let label = |id| fixbook_checker::stage_label(&index.stages, id);
                            diags.push(
                                Diagnostic::new(
                                    Code::ExampleMismatch,
                                    &p.file,
                                    p.value_pos_nth("examples", "paste", n),
                                    format!(
                                        "example {} (\"{}\") shows the connection failing at {} ({failed}), but \
                                         the cause's `stage:` is {} ({stage})",
                                        n + 1,
                                        truncate(first_line, 60),
                                        label(failed),
                                        label(stage)
                                    ),
                                )
                                .help(format!(
                                    "set the cause's `stage:` to where its failure happens; if this kind of \
                                     evidence shows a failure at another stage, give the signal it matches \
                                     `stage: {failed}`"
                                )),
                            );
                        }
                    }
                }
            }
            diags
        })
        .collect();
    out.extend(found);
}

/// The page of the cause ranked first, when `id` is ranked with the same score.
fn tied_with<'m>(
    model: &'m Model,
    ranked: &[fixbook_checker::RankedCause],
    id: &str,
) -> Option<&'m crate::load::Page> {
    let first = ranked.first()?;
    let this = ranked.iter().find(|c| c.id == id)?;
    if (first.score - this.score).abs() > 1e-9 {
        return None;
    }
    model.site.pages.get(*model.by_id.get(first.id.as_str())?)
}

fn truncate(s: &str, n: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}
