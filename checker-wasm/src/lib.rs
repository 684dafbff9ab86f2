//! fixbook's checker: recognises what a reader pastes (a dialog, an event-log entry, a port test, a
//! certificate) and ranks the causes and fixes that the site's knowledge index says fit.
//!
//! **Architecture invariants**
//! - The engine does no I/O and reads no clock: `now` is an argument, so the browser, the CLI and the tests
//!   give the same answer for the same input.
//! - The engine never fails and never panics: what it cannot read becomes a [`Unreadable`] item.
//! - A [`Report`] never holds a private key's bytes: keys are masked before the text detectors run.
//! - Cost is linear in the size of the paste: every detector is one forward pass (`tests/linearity.rs`
//!   times hostile shapes at 1 and 10 MB), and what a report keeps is capped, saying so when it cuts
//!   (`limits`).
//!
//! **Code map**: `detect/` turns text into signals (`code`, `event`, `port_test`, `message`, `pem`, `cert`,
//! `private_key`, `freerdp` for FreeRDP's certificate warnings, `guacd` and `xrdp` for those programs' log
//! error lines, with `scan` holding the shared text helpers); `limits` caps what a long paste contributes; `matcher` joins signals with the index's causes; `rank` scores and orders them; `engine` runs
//! it all; `report_text` renders a report as text; `view` as the tree of elements the page shows.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
// Tests state their expectations with unwrap, expect and indexing: a failure there is the test failing.
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod check_link;
mod detect;
mod engine;
mod index;
mod limits;
mod matcher;
mod order;
mod rank;
mod report;
mod report_text;
mod shard;
mod stage;
#[cfg(test)]
mod testing;
mod view;
#[cfg(target_arch = "wasm32")]
mod web;

pub use check_link::{paste_for_codes, spec_from_hash};
pub use engine::{diagnose, diagnose_bytes};
pub use index::{
    canonical_code, canonical_event_id, same_event_source, stage_label, CandidateCause, CauseEntry,
    CertFinding, CodeRef, CodeRow, CodeTable, ErrorEntry, FixLink, KnowledgeIndex, Notes,
    PortFinding, SignalRule, Stage, TableKind, WeightedSignal, INDEX_VERSION,
};
pub use report::{
    CertWarningKind, CertificateFacts, Confidence, KeyType, RankedCause, RankedFix, Report, Signal,
    Span, StageReport, TlsFailure, Unreadable, UnreadableKind,
};
pub use report_text::{report_to_text, stage_strip, versions, StageState};
pub use shard::{write_shards, write_shards_sized, Common, Partial};
pub use view::{report_summary_view, report_view, El, Node};
