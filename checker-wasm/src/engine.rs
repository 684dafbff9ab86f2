//! Placeholder until the detectors land: reports nothing recognised.

use time::OffsetDateTime;

use crate::{KnowledgeIndex, Report};

/// Reads `paste` against `index` at the instant `now`. Pure: no I/O, no clock, never panics.
pub fn diagnose(paste: &str, index: &KnowledgeIndex, now: OffsetDateTime) -> Report {
    let _ = (paste, index, now);
    Report {
        notes: vec!["Nothing recognised yet.".to_string()],
        ..Report::default()
    }
}
