//! References by id resolve, and to a page of the right kind: error -> cause -> fix (and its step),
//! `related`, and the `causes` of code-table rows.

use crate::diag::{did_you_mean, display_path, Code, Diagnostic, Pos};
use crate::load::{Kind, KindData, Page};
use crate::model::Model;

/// Checks that `id` names a page of `want` kind (any kind if `None`); returns the page.
fn resolve<'m>(
    model: &'m Model,
    id: &str,
    want: Option<Kind>,
    file: &std::path::Path,
    pos: impl FnOnce() -> Pos,
    out: &mut Vec<Diagnostic>,
) -> Option<&'m Page> {
    let what = want.map_or("page", Kind::as_str);
    match model.page(id) {
        Some(p) if want.is_none_or(|k| p.meta.kind == k) => Some(p),
        Some(p) => {
            out.push(
                Diagnostic::new(
                    Code::UnknownRef,
                    file,
                    pos(),
                    format!("`{id}` is a {} page, not a {what}", p.meta.kind.as_str()),
                )
                .underline(id)
                .help(format!("reference a {what} page here")),
            );
            None
        }
        None if model.site.is_unloaded_id(id) => None,
        None => {
            let candidates = model
                .site
                .pages
                .iter()
                .filter(|p| want.is_none_or(|k| p.meta.kind == k))
                .map(|p| p.meta.id.as_str());
            let help = if let Some(p) = renamed(model, id, want) {
                format!(
                    "`{}` now has id `{}`: refer to `{}`, or give the page its old id back",
                    display_path(&p.file),
                    p.meta.id,
                    p.meta.id
                )
            } else {
                match did_you_mean(id, candidates) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("create the {what} with `fixbook new`, or fix the id"),
                }
            };
            out.push(
                Diagnostic::new(
                    Code::UnknownRef,
                    file,
                    pos(),
                    format!("{what} `{id}` does not exist"),
                )
                .underline(id)
                .help(help),
            );
            None
        }
    }
}

/// The page of `want` kind whose file name gives `id` (`causes/cert-expired.md` gives `cause-cert-expired`)
/// but which now has another id of its own: a page renamed while other pages still use its old id. A page
/// whose new id belongs to another page (a duplicate) or is not a well-formed id is not offered: both are
/// reported on the page itself.
fn renamed<'m>(model: &'m Model, id: &str, want: Option<Kind>) -> Option<&'m Page> {
    let (i, p) = model.site.pages.iter().enumerate().find(|(_, p)| {
        want.is_none_or(|k| p.meta.kind == k) && p.meta.id != id && Model::id_for_file(p) == id
    })?;
    (super::ids::is_valid_id(&p.meta.id) && model.by_id.get(&p.meta.id) == Some(&i)).then_some(p)
}

pub(super) fn check(model: &Model, scope: super::Scope<'_>, out: &mut Vec<Diagnostic>) {
    for (i, p) in model.site.pages.iter().enumerate() {
        if !scope.has(i) {
            continue;
        }
        for r in &p.meta.related {
            resolve(model, r, None, &p.file, || p.value_pos("related", r), out);
        }
        match &p.data {
            KindData::Error(e) => {
                for c in &e.causes {
                    resolve(
                        model,
                        &c.id,
                        Some(Kind::Cause),
                        &p.file,
                        || p.value_pos("causes", &c.id),
                        out,
                    );
                }
            }
            KindData::Cause(c) => {
                for f in &c.fixes {
                    let (id, step) = (f.id.as_str(), f.step.as_deref());
                    let pos = || p.value_pos("fixes", &f.to_string());
                    let Some(fix) = resolve(model, id, Some(Kind::Fix), &p.file, pos, out) else {
                        continue;
                    };
                    if let Some(step) = step {
                        let i = model.by_id[id];
                        let body = &model.bodies[i];
                        if !body.has_anchor(step) {
                            let steps: Vec<&str> = body
                                .headings
                                .iter()
                                .filter(|h| h.level == 2)
                                .map(|h| h.id.as_str())
                                .collect();
                            let help = match did_you_mean(step, steps.iter().copied()) {
                                Some(s) => format!("did you mean `{id}#{s}`?"),
                                None => format!("steps of `{id}`: {}", steps.join(", ")),
                            };
                            let col = Pos {
                                line: pos().line,
                                col: pos().col + id.chars().count() + 1,
                            };
                            out.push(
                                Diagnostic::new(
                                    Code::BrokenAnchor,
                                    &p.file,
                                    col,
                                    format!("fix `{id}` has no step `#{step}`"),
                                )
                                .underline(step)
                                .help(help),
                            );
                        }
                        let _ = fix;
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(id) = &model.site.config.start_here {
        let pos = || {
            let text =
                std::fs::read_to_string(model.site.root.join("site.toml")).unwrap_or_default();
            text.find(&format!("\"{id}\""))
                .map_or(Pos::START, |o| Pos::at(&text, o + 1))
        };
        resolve(model, id, None, std::path::Path::new("site.toml"), pos, out);
    }
    for t in &model.site.tables {
        for (n, row) in t.rows.iter().enumerate() {
            for c in &row.causes {
                resolve(
                    model,
                    c,
                    Some(Kind::Cause),
                    &t.file,
                    || t.pos_in_row(n, c),
                    out,
                );
            }
        }
    }
}
