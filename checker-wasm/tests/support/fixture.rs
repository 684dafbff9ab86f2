//! The small knowledge index the integration tests diagnose against (`fixtures/index.json`), read one way
//! for all of them.

use fixbook_checker::KnowledgeIndex;

/// The fixture index. Panics (failing the test) if the fixture no longer matches the index's shape.
pub(crate) fn index() -> KnowledgeIndex {
    serde_json::from_str(include_str!("../fixtures/index.json"))
        .unwrap_or_else(|e| panic!("fixtures/index.json: {e}"))
}
