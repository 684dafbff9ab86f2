//! fixbook's checker: recognises what a reader pastes (a dialog, an event-log entry, a port test, a
//! certificate) and ranks the causes and fixes that the site's knowledge index says fit.
//!
//! **Architecture invariants**
//! - The engine does no I/O and reads no clock: `now` is an argument, so the browser, the CLI and the tests
//!   give the same answer for the same input.
//! - The engine never fails and never panics: what it cannot read becomes a [`Unreadable`] item.
//! - A [`Report`] never holds a private key's bytes.

mod engine;
mod index;
mod report;

pub use engine::diagnose;
pub use index::{
    canonical_code, canonical_event_id, same_event_source, CandidateCause, CauseEntry, CertFinding,
    CodeRef, CodeRow, CodeTable, ErrorEntry, FixLink, KnowledgeIndex, PortFinding, SignalRule, TableKind,
    WeightedSignal, INDEX_VERSION,
};
pub use report::{CertificateFacts, RankedCause, RankedFix, Report, Signal, Span, Unreadable};
