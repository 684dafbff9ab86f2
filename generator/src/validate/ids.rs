//! Ids are unique and well formed, because every reference uses them.

use std::collections::HashMap;

use crate::diag::{display_path, Code, Diagnostic};
use crate::model::Model;

pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(super) fn check(model: &Model, scope: super::Scope<'_>, out: &mut Vec<Diagnostic>) {
    for (i, p) in model.site.pages.iter().enumerate() {
        if !scope.has(i) {
            continue;
        }
        let id = p.meta.id.as_str();
        if !is_valid_id(id) {
            out.push(
                Diagnostic::new(
                    Code::BadId,
                    &p.file,
                    p.value_pos("id", id),
                    format!("id `{id}` is not lower-case letters, digits and `-`"),
                )
                .underline(id)
                .help(format!(
                    "use an id like `{}-{}`",
                    p.meta.kind.as_str(),
                    crate::markdown::slugify(&p.slug)
                )),
            );
        }
        // `by_id` holds the page each id belongs to (the one named for it, else the first), so any other
        // page with it is the duplicate: usually a copy, told what id its own file name gives.
        if let Some(&j) = model.by_id.get(id).filter(|&&j| j != i) {
            let other = &model.site.pages[j];
            let own = Model::id_for_file(p);
            let help = if own != id && !model.by_id.contains_key(&own) {
                format!(
                    "`{}` has this id; give this page an id of its own, such as `{own}`",
                    display_path(&other.file)
                )
            } else {
                format!(
                    "`{}` has the same id; give one of them another id",
                    display_path(&other.file)
                )
            };
            out.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    &p.file,
                    p.value_pos("id", id),
                    format!("id `{id}` is already used"),
                )
                .underline(id)
                .help(help)
                .related(
                    &other.file,
                    other.value_pos("id", id),
                    "the other page with this id",
                ),
            );
        }
    }
    for t in &model.site.tables {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (n, row) in t.rows.iter().enumerate() {
            let key = super::codes::canonical(t, &row.value).unwrap_or_else(|| row.value.clone());
            if let Some(prev) = seen.insert(key.clone(), n) {
                out.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        &t.file,
                        t.pos_in_row(n, &row.value),
                        format!("code `{key}` has two rows"),
                    )
                    .underline(&row.value)
                    .help(format!("merge it with row {} of this table", prev + 1)),
                );
            }
        }
    }
}
