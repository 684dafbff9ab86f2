//! Per-page rules: sources on pages that state facts, `## Verify` and `## Undo` on fixes, dates, placeholders.

use crate::diag::{Code, Diagnostic, Pos};
use crate::load::{Kind, KindData};
use crate::model::Model;

pub(crate) fn is_date(s: &str) -> bool {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &fmt).is_ok()
}

/// A source that is not an http(s) URL, or whose title is blank. `pos` locates a value in the file.
pub(super) fn source_problem(
    s: &crate::load::Source,
    pos: impl Fn(&str) -> Pos,
    file: &std::path::Path,
) -> Option<Diagnostic> {
    if !(s.url.starts_with("https://") || s.url.starts_with("http://")) {
        return Some(
            Diagnostic::new(
                Code::BadField,
                file,
                pos(&s.url),
                format!("source `{}` is not a URL", s.url),
            )
            .help("write sources as full https:// URLs, or as `{url: https://..., title: ...}`"),
        );
    }
    if s.given_title
        .as_deref()
        .is_some_and(|t| t.trim().is_empty())
    {
        return Some(
            Diagnostic::new(
                Code::BadField,
                file,
                pos(&s.url),
                format!("source `{}` has an empty title", s.url),
            )
            .help("give the page's own title as published, or write the bare URL"),
        );
    }
    None
}

pub(super) fn check(model: &Model, scope: super::Scope<'_>, out: &mut Vec<Diagnostic>) {
    for (i, (p, body)) in model.site.pages.iter().zip(&model.bodies).enumerate() {
        if !scope.has(i) {
            continue;
        }
        let kind = p.meta.kind;
        if matches!(kind, Kind::Error | Kind::Cause | Kind::Fix) && p.meta.sources.is_empty() {
            let pos = if p.front().contains("sources:") {
                p.key_pos("sources")
            } else {
                Pos::START
            };
            out.push(
                Diagnostic::new(Code::MissingSources, &p.file, pos, format!("{} page has no `sources`", kind.as_str()))
                    .help("add `sources:` with the URLs that back the facts on this page (see ../shared/facts or the vendor's documentation)"),
            );
        }
        for s in &p.meta.sources {
            if let Some(d) = source_problem(s, |v| p.value_pos("sources", v), &p.file) {
                out.push(d);
            }
        }
        if !is_date(&p.meta.updated) {
            out.push(
                Diagnostic::new(
                    Code::BadDate,
                    &p.file,
                    p.value_pos("updated", &p.meta.updated),
                    format!("`{}` is not a date", p.meta.updated),
                )
                .help("write `updated:` as YYYY-MM-DD, e.g. 2026-11-23"),
            );
        }
        if let Some(v) = p.meta.verified.as_deref().filter(|v| !is_date(v)) {
            out.push(
                Diagnostic::new(
                    Code::BadDate,
                    &p.file,
                    p.value_pos("verified", v),
                    format!("`{v}` is not a date"),
                )
                .help("write `verified:` as YYYY-MM-DD: the day a person last checked the page against its sources"),
            );
        }
        if kind == Kind::Fix {
            for section in ["Verify", "Undo"] {
                let has = body
                    .headings
                    .iter()
                    .any(|h| h.level == 2 && h.title.eq_ignore_ascii_case(section));
                if !has {
                    out.push(
                        Diagnostic::new(
                            Code::MissingSection,
                            &p.file,
                            Pos::START,
                            format!("fix page has no `## {section}` section"),
                        )
                        .help(match section {
                            "Verify" => "add `## Verify` saying how to confirm the fix worked",
                            _ => "add `## Undo` saying how to roll the change back",
                        }),
                    );
                }
            }
        }
        if let KindData::Cause(c) = &p.data {
            // That each signal has exactly one kind is its type (`load::SignalKind`).
            for s in &c.signals {
                if let Some(w) = s.weight {
                    if !(w.is_finite() && w > 0.0) {
                        out.push(
                            Diagnostic::new(
                                Code::BadField,
                                &p.file,
                                p.key_pos("weight"),
                                format!("weight {w} is not a positive number"),
                            )
                            .help("use a weight such as 0.5, 1 or 3"),
                        );
                    }
                }
            }
            for ex in &c.examples {
                if crate::validate::examples::parse_now(&ex.now).is_none() {
                    out.push(
                        Diagnostic::new(Code::BadDate, &p.file, p.value_pos("examples", &ex.now), format!("`{}` is not a date", ex.now))
                            .help("write an example's `now` as YYYY-MM-DD or RFC 3339 (2026-11-23T10:00:00Z)"),
                    );
                }
            }
        }
        // Every occurrence, so that a pull request shows an annotation on each line still to write.
        for &off in &p.placeholders {
            out.push(
                Diagnostic::new(
                    Code::Placeholder,
                    &p.file,
                    p.pos(off),
                    format!(
                        "`{}` left from `fixbook new`: this part of the page is not written yet",
                        crate::content::PLACEHOLDER
                    ),
                )
                .help(format!(
                    "replace `{}` here with real text (the comments next to it say what belongs there)",
                    crate::content::PLACEHOLDER
                )),
            );
        }
    }
}
