//! Stage 2, validate: cross-checks the loaded site and collects every problem, never stopping at the first.

mod clients;
mod codes;
mod examples;
mod ids;
mod links;
mod outputs;
mod pages;
mod refs;
mod stages;
mod verified;
mod versions;

pub use examples::examples;
pub use verified::unverified;

use std::collections::HashSet;

use crate::content::PLACEHOLDER;
use crate::diag::Diagnostic;
use crate::model::Model;

/// Which pages a run checks. Code tables are always checked: they are few.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Every page (`build`, `check`).
    All,
    /// These page indices only (`serve` after an edit: the pages whose problems may have changed). Each
    /// page's problems depend only on the page and on what it references, so the rest keep theirs.
    Pages(&'a HashSet<usize>),
}

impl Scope<'_> {
    pub(crate) fn has(self, i: usize) -> bool {
        match self {
            Scope::All => true,
            Scope::Pages(set) => set.contains(&i),
        }
    }
}

/// Runs every check that needs no knowledge index and appends what it finds to `out`.
pub fn validate(model: &Model, out: &mut Vec<Diagnostic>) {
    validate_scope(model, Scope::All, out);
    outputs(model, out);
}

/// Claims every output path once and checks the names that become URLs (see `outputs`). Always over the
/// whole site: a claim made by one page can collide with any other. Part of [`validate`]; `serve` runs it
/// beside its partial validations.
pub fn outputs(model: &Model, out: &mut Vec<Diagnostic>) {
    outputs::check(model, out);
}

/// [`validate`] on some pages only: a page's problems are reported only when it is in `scope`.
pub fn validate_scope(model: &Model, scope: Scope<'_>, out: &mut Vec<Diagnostic>) {
    // The per-page rules (which scan every page's source) run beside the cross-checks: two halves of about
    // the same time. Diagnostics are sorted later, so the order they are found in does not matter.
    let (mut per_page, mut cross) = rayon::join(
        || {
            let mut v = Vec::new();
            pages::check(model, scope, &mut v);
            v
        },
        || {
            let mut v = Vec::new();
            ids::check(model, scope, &mut v);
            codes::check(model, scope, &mut v);
            refs::check(model, scope, &mut v);
            links::check(model, scope, &mut v);
            stages::check(model, scope, &mut v);
            clients::check(model, scope, &mut v);
            versions::check(model, scope, &mut v);
            v
        },
    );
    out.append(&mut per_page);
    out.append(&mut cross);
    // A reference or code that is still a placeholder is reported once, as the placeholder (every
    // occurrence in a page is): "cause `TODO(fixbook)` does not exist" would only repeat it.
    out.retain(|d| {
        d.code == crate::diag::Code::Placeholder
            || !(d.message.contains(PLACEHOLDER) && d.file.extension().is_some_and(|e| e == "md"))
    });
}
