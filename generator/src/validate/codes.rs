//! Codes are well formed for their scheme and have a row in their table: a code without a row would be shown
//! with no meaning and teach the checker nothing.

use crate::content::{canonical_in, EVENT_SCHEME};
use crate::diag::{Code, Diagnostic, Pos};
use crate::load::{CodeTableFm, KindData, SignalKind};
use crate::model::Model;

/// Canonical form of `value` in table `t`, or `None` if it is malformed for it.
pub(crate) fn canonical(t: &CodeTableFm, value: &str) -> Option<String> {
    canonical_in(&t.scheme, value)
}

fn expected_form(scheme: &str) -> &'static str {
    if scheme == EVENT_SCHEME {
        "a decimal event id such as `36870`"
    } else {
        "hex with `0x`, such as `0x904`"
    }
}

pub(super) fn check(model: &Model, scope: super::Scope<'_>, out: &mut Vec<Diagnostic>) {
    for t in &model.site.tables {
        for s in &t.sources {
            let pos = |v: &str| Pos::at(&t.src, t.src.find(v).unwrap_or(0));
            if let Some(d) = super::pages::source_problem(s, pos, &t.file) {
                out.push(d);
            }
        }
        for (n, row) in t.rows.iter().enumerate() {
            if canonical(t, &row.value).is_none() {
                out.push(
                    Diagnostic::new(
                        Code::BadCode,
                        &t.file,
                        t.pos_in_row(n, &row.value),
                        format!("`{}` is not a valid {} code", row.value, t.scheme),
                    )
                    .underline(&row.value)
                    .help(format!("write it as {}", expected_form(&t.scheme))),
                );
            }
            if t.scheme == EVENT_SCHEME && row.source.is_none() {
                out.push(
                    Diagnostic::new(
                        Code::BadField,
                        &t.file,
                        t.pos_in_row(n, &row.value),
                        format!("event {} has no `source`", row.value),
                    )
                    .help("add the event's provider, e.g. `source: Schannel`"),
                );
            }
        }
    }
    for (i, p) in model.site.pages.iter().enumerate() {
        if !scope.has(i) {
            continue;
        }
        let mut seen = std::collections::HashMap::<(&str, &str), usize>::new();
        let mut code_list = Vec::new();
        match &p.data {
            KindData::Error(e) => code_list.extend(e.codes.iter().map(|c| ("codes", c))),
            KindData::Cause(c) => code_list.extend(
                c.signals
                    .iter()
                    .filter_map(|s| match &s.kind {
                        SignalKind::Code(code) => Some(code),
                        _ => None,
                    })
                    .map(|c| ("signals", c)),
            ),
            _ => {}
        }
        for (key, c) in code_list {
            let nth = seen
                .entry((c.scheme.as_str(), c.value.as_str()))
                .or_insert(0);
            let this = *nth;
            *nth += 1;
            // Positions are computed only for problems: finding them scans the file.
            let pos = || p.value_pos_nth(key, &c.value, this);
            let Some(t) = model.site.tables.iter().find(|t| t.scheme == c.scheme) else {
                let names: Vec<&str> = model
                    .site
                    .tables
                    .iter()
                    .map(|t| t.scheme.as_str())
                    .collect();
                let help = match crate::diag::did_you_mean(&c.scheme, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "known schemes: {}; or add content/codes/{}.yaml",
                        names.join(", "),
                        c.scheme
                    ),
                };
                out.push(
                    Diagnostic::new(
                        Code::UnknownRef,
                        &p.file,
                        p.value_pos(key, &c.scheme),
                        format!("code scheme `{}` does not exist", c.scheme),
                    )
                    .underline(&c.scheme)
                    .help(help),
                );
                continue;
            };
            match canonical(t, &c.value) {
                None => out.push(
                    Diagnostic::new(
                        Code::BadCode,
                        &p.file,
                        pos(),
                        format!("`{}` is not a valid {} code", c.value, c.scheme),
                    )
                    .underline(&c.value)
                    .help(format!("write it as {}", expected_form(&c.scheme))),
                ),
                Some(v) => {
                    if model.row(&c.scheme, &v).is_none() {
                        out.push(
                            Diagnostic::new(Code::BadCode, &p.file, pos(), format!("{} code `{v}` has no row in {}", c.scheme, crate::diag::display_path(&t.file)))
                                .underline(&c.value)
                                .help("add a row with its sourced name and meaning to the table, or remove the code"),
                        );
                    }
                }
            }
        }
    }
}
