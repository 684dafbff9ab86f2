//! Replays the committed fuzz seeds (`fuzz/corpus/replay/`) through both fuzz targets' code paths, so the
//! cases fuzzing found worth keeping run in every `cargo test`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use fixbook_checker::{diagnose, diagnose_bytes, report_to_text, KnowledgeIndex};
use time::macros::datetime;

#[test]
fn replay_corpus() {
    let index: KnowledgeIndex = serde_json::from_str(include_str!("fixtures/index.json")).unwrap();
    let now = datetime!(2026-11-23 12:00 UTC);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/replay");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let r = diagnose_bytes(&bytes, &index, now);
        let _ = report_to_text(&r, &index.stages);
        serde_json::to_string(&r).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let r = diagnose(&text, &index, now);
        for span in r.unreadable.iter().map(|u| u.span) {
            assert!(span[0] <= span[1] && span[1] <= text.len());
        }
        n += 1;
    }
    assert!(
        n >= 5,
        "the replay corpus at {} has only {n} files",
        dir.display()
    );
}
