//! The ranker: scores, orders and explains the assessed causes (the **Scoring** contract of DESIGN.md).
//!
//! ## Score
//! `raw = sum of the weights of the cause's signals found + best candidate weight` (see
//! [`crate::matcher::CANDIDATE_WEIGHT`]). Scores are `raw / max(top raw, 1.0)`, rounded to three decimals:
//! - the best cause with confirming evidence of weight 1.0 or more scores 1.0, and others relative to it;
//! - when nothing confirms any cause, the divisor stays 1.0, so candidates keep their low absolute scores
//!   (0.3, 0.15, 0.1...) instead of being inflated to 1.0 by normalisation;
//! - a confirmed cause therefore always scores well above an unconfirmed candidate.
//!
//! Ties keep the order of the first error page that lists the causes, then their ids.

use crate::matcher::{confirmation, Assessment};
use crate::report::{RankedCause, RankedFix};

fn raw(a: &Assessment<'_>) -> f64 {
    a.evidence.iter().map(|(w, _)| w).sum::<f64>() + a.candidate
}

/// Turns assessments into the report's causes, best first.
pub(crate) fn rank(assessed: Vec<Assessment<'_>>) -> Vec<RankedCause> {
    let top = assessed.iter().map(raw).fold(0.0f64, f64::max);
    let divisor = top.max(1.0);
    let mut scored: Vec<(i64, Assessment<'_>)> = assessed
        .into_iter()
        .map(|a| {
            let milli = ((raw(&a) / divisor).clamp(0.0, 1.0) * 1000.0).round() as i64;
            (milli, a)
        })
        .collect();
    scored.sort_by(|(sa, a), (sb, b)| {
        sb.cmp(sa)
            .then(a.order.cmp(&b.order))
            .then(a.cause.id.cmp(&b.cause.id))
    });
    scored
        .into_iter()
        .map(|(milli, a)| {
            let mut why: Vec<String> = a.evidence.iter().map(|(_, w)| w.clone()).collect();
            why.extend(a.page_why.iter().cloned());
            if a.evidence.is_empty() {
                why.push(format!(
                    "Not confirmed by the paste: {}.",
                    confirmation(a.cause)
                ));
            }
            RankedCause {
                id: a.cause.id.clone(),
                title: a.cause.title.clone(),
                url: a.cause.url.clone(),
                score: milli as f64 / 1000.0,
                why,
                fixes: a
                    .cause
                    .fixes
                    .iter()
                    .map(|f| RankedFix {
                        id: f.id.clone(),
                        title: f.title.clone(),
                        url: f.url.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}
