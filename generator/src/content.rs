//! What content's words mean wherever they are read: the placeholder `fixbook new` leaves, the code table
//! of event ids, and a code's canonical form in its table. `load`, `model`, `validate`, `derive`, `render`
//! and `scaffold` all need them, so they live below every stage rather than in one of them.

use fixbook_checker::{canonical_code, canonical_event_id};

/// The text `fixbook new` leaves where a contributor must write something.
pub const PLACEHOLDER: &str = "TODO(fixbook)";

/// The scheme that holds Windows event ids (decimal); every other table holds hex codes.
pub(crate) const EVENT_SCHEME: &str = "event";

/// Canonical form of `value` in the table `scheme` (decimal for event ids, short hex for every other
/// table), or `None` if it is malformed for it.
pub(crate) fn canonical_in(scheme: &str, value: &str) -> Option<String> {
    if scheme == EVENT_SCHEME {
        canonical_event_id(value).map(|n| n.to_string())
    } else {
        canonical_code(value)
    }
}
