//! Stale pages surface in pull requests: `check` warns about a page of facts (error, cause, fix) that no one
//! has checked against its sources within a year: its `verified:` date, or, on a page that has none yet, its
//! `updated:` date, is older than that. A warning, not an error: the page may still be right, but a reader
//! cannot tell.

use crate::diag::{Code, Diagnostic};
use crate::load::Kind;
use crate::model::Model;

/// How old a `verified:` date may be before `check` warns.
pub(crate) const MAX_AGE_DAYS: i64 = 365;

/// Appends a warning for every error, cause and fix page not verified within `MAX_AGE_DAYS` (365) of `today`.
pub fn unverified(model: &Model, today: time::Date, out: &mut Vec<Diagnostic>) {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    for p in &model.site.pages {
        if !matches!(p.meta.kind, Kind::Error | Kind::Cause | Kind::Fix) {
            continue;
        }
        let help = "check the page against its `sources:`, correct what no longer holds, and set \
                    `verified: YYYY-MM-DD` to today's date";
        let (key, date) = match p.meta.verified.as_deref() {
            Some(v) => ("verified", v),
            None => ("updated", p.meta.updated.as_str()),
        };
        // A malformed date is an error of its own (validate's page rules).
        let Ok(parsed) = time::Date::parse(date, &fmt) else {
            continue;
        };
        let age = (today - parsed).whole_days();
        if age <= MAX_AGE_DAYS {
            continue;
        }
        let message = if key == "verified" {
            format!("last checked against its sources on {date}, {age} days ago")
        } else {
            format!("never checked against its sources (no `verified:`) and last updated on {date}, {age} days ago")
        };
        out.push(
            Diagnostic::new(Code::Unverified, &p.file, p.value_pos(key, date), message)
                .help(help)
                .warning(),
        );
    }
}
