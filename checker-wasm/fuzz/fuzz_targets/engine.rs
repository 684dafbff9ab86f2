//! The whole engine on arbitrary text: it must never panic, and rendering the report must not either.
#![no_main]

use std::sync::OnceLock;

use fixbook_checker::{diagnose, report_to_text, KnowledgeIndex};
use libfuzzer_sys::fuzz_target;

fn index() -> &'static KnowledgeIndex {
    static INDEX: OnceLock<KnowledgeIndex> = OnceLock::new();
    INDEX.get_or_init(|| serde_json::from_str(include_str!("../../tests/fixtures/index.json")).unwrap_or_default())
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let report = diagnose(&text, index(), time::macros::datetime!(2026-11-23 12:00 UTC));
    let _ = report_to_text(&report, &index().stages);
});
