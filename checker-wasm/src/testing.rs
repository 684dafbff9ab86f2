//! Test fixtures shared by the unit tests: a small knowledge index with rows from the RDP fact sheet
//! (`tests/fixtures/index.json`, also used by the integration tests, the benchmark and the fuzz targets),
//! and a fixed `now`.

use time::macros::datetime;
use time::OffsetDateTime;

use crate::KnowledgeIndex;

/// The fixture index.
pub(crate) fn index() -> KnowledgeIndex {
    serde_json::from_str(include_str!("../tests/fixtures/index.json"))
        .expect("fixture index parses")
}

/// The instant all tests diagnose at.
pub(crate) fn now() -> OffsetDateTime {
    datetime!(2026-11-23 12:00:00 UTC)
}
