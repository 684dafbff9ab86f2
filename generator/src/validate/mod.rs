//! Stage 2, validate: cross-checks the loaded site and collects every problem, never stopping at the first.

mod codes;
mod examples;
mod ids;
mod links;
mod pages;
mod refs;

pub use examples::examples;

use crate::diag::Diagnostic;
use crate::model::Model;

/// The text `fixbook new` leaves where a contributor must write something.
pub const PLACEHOLDER: &str = "TODO(fixbook)";

/// Runs every check that needs no knowledge index and appends what it finds to `out`.
pub fn validate(model: &Model, out: &mut Vec<Diagnostic>) {
    ids::check(model, out);
    pages::check(model, out);
    codes::check(model, out);
    refs::check(model, out);
    links::check(model, out);
}

pub(crate) use codes::{canonical_in, EVENT_SCHEME};
