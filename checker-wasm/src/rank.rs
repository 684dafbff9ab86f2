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
//! ## Stages
//! A cause of a stage the connection got past ([`crate::stage`]) is **demoted**: it comes after every other
//! cause, its score is capped at the lowest of theirs, it is only a `candidate`, and its `why` starts with
//! the reason. When the paste shows a failing stage and no cause with evidence belongs to it (or to no
//! stage), the failure is **unexplained**: every cause is a `candidate` scored at most
//! [`crate::matcher::CANDIDATE_WEIGHT`], because a wrong cause ranked first is worse than none.
//!
//! ## Confidence
//! `confirmed` when the cause's evidence weighs [`DECISIVE_WEIGHT`] or more (content marks a signal as
//! decisive by giving it that weight), `likely` with lighter evidence, `candidate` without.
//!
//! Ties keep the order of the first error page that lists the causes, then their ids.

use crate::index::KnowledgeIndex;
use crate::matcher::{confirmation, Assessment, CANDIDATE_WEIGHT};
use crate::report::{Confidence, RankedCause, RankedFix};
use crate::stage::{self, Progress};

/// Evidence weighing this much (one signal of weight 2, or lighter ones adding up) makes a cause
/// `confirmed`.
pub(crate) const DECISIVE_WEIGHT: f64 = 2.0;

fn evidence(a: &Assessment<'_>) -> f64 {
    a.evidence.iter().map(|e| e.weight).sum::<f64>()
}

fn raw(a: &Assessment<'_>) -> f64 {
    evidence(a) + a.candidate
}

/// The ranked causes, and whether the paste shows a failure that none of them explains.
pub(crate) struct Ranking {
    pub(crate) causes: Vec<RankedCause>,
    /// The failing stage, when no cause with evidence belongs to it.
    pub(crate) unexplained: Option<usize>,
}

/// Turns assessments into the report's causes, best first.
pub(crate) fn rank(
    assessed: Vec<Assessment<'_>>,
    progress: Option<&Progress>,
    index: &KnowledgeIndex,
) -> Ranking {
    let demoted =
        |a: &Assessment<'_>| progress.is_some_and(|p| p.got_past(index, a.cause.stage.as_deref()));
    let unexplained = progress.and_then(|p| p.failed).filter(|&failed| {
        !assessed.iter().any(|a| {
            !a.evidence.is_empty()
                && a.cause
                    .stage
                    .as_deref()
                    .is_none_or(|s| index.stage_index(s) == Some(failed))
        })
    });
    let top = assessed.iter().map(raw).fold(0.0f64, f64::max);
    let divisor = top.max(1.0);
    let cap = if unexplained.is_some() {
        (CANDIDATE_WEIGHT * 1000.0).round() as i64
    } else {
        1000
    };
    // Demoted causes carry the index of their stage: among them, the stage nearest to where the
    // connection got comes first, so a line that shows a later stage never lifts an earlier stage's cause.
    let stage_of = |a: &Assessment<'_>| a.cause.stage.as_deref().and_then(|s| index.stage_index(s));
    let mut scored: Vec<(Option<usize>, i64, Assessment<'_>)> = assessed
        .into_iter()
        .map(|a| {
            let milli = ((raw(&a) / divisor).clamp(0.0, 1.0) * 1000.0).round() as i64;
            let demoted = demoted(&a).then(|| stage_of(&a).unwrap_or(0));
            (demoted, milli.min(cap), a)
        })
        .collect();
    crate::order::sort_by(&mut scored, |(da, sa, a), (db, sb, b)| {
        da.is_some()
            .cmp(&db.is_some())
            .then(db.cmp(da))
            .then(sb.cmp(sa))
            .then(a.order.cmp(&b.order))
            .then(a.cause.id.cmp(&b.cause.id))
    });
    // A demoted cause never scores above the causes ranked before it.
    let mut previous = i64::MAX;
    for (demoted, milli, _) in scored.iter_mut() {
        if demoted.is_some() {
            *milli = (*milli).min(previous);
        }
        previous = *milli;
    }
    let causes = scored
        .into_iter()
        .map(|(demoted, milli, a)| {
            let is_demoted = demoted.is_some();
            let mut why = Vec::new();
            if is_demoted {
                if let Some(p) = progress {
                    let cause_stage = a
                        .cause
                        .stage
                        .as_deref()
                        .and_then(|s| index.stage_index(s))
                        .map_or("", |i| stage::label(index, i));
                    why.push(format!(
                        "The connection got past {cause_stage}: the paste shows it reached {}, so this is not where it failed.",
                        stage::label(index, p.reached)
                    ));
                }
            }
            why.extend(a.evidence.iter().map(|e| e.why.clone()));
            why.extend(a.page_why.iter().cloned());
            if a.evidence.is_empty() {
                why.push(format!(
                    "Not confirmed by the paste: {}.",
                    confirmation(a.cause)
                ));
            }
            let confidence = if is_demoted || unexplained.is_some() || a.evidence.is_empty() {
                Confidence::Candidate
            } else if evidence(&a) >= DECISIVE_WEIGHT {
                Confidence::Confirmed
            } else {
                Confidence::Likely
            };
            RankedCause {
                id: a.cause.id.clone(),
                title: a.cause.title.clone(),
                url: a.cause.url.clone(),
                score: milli as f64 / 1000.0,
                confidence,
                stage: a.cause.stage.clone(),
                why,
                fixes: a
                    .cause
                    .fixes
                    .iter()
                    .map(|f| RankedFix {
                        id: f.id.clone(),
                        title: f.title.clone(),
                        url: f.url.clone(),
                        step: f.step.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    Ranking {
        causes,
        unexplained,
    }
}
