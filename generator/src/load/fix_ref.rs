//! A cause's reference to a fix, or to one step of it (`fix-renew-cert#replace-the-certificate`), split
//! once when the page loads, so validation, the knowledge index, reverse links, pages and `serve` all read
//! the same two parts instead of each splitting the text again.

use std::fmt;

use serde::Deserialize;

/// `fix-id` or `fix-id#step` from a cause's `fixes:`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(from = "String")]
pub struct FixRef {
    /// The fix page's id.
    pub id: String,
    /// The anchor of one of its steps (a `##` heading's id), when the cause points at a step.
    pub step: Option<String>,
}

impl From<String> for FixRef {
    /// Splits at the first `#`: ids never contain one, anchors may not.
    fn from(written: String) -> FixRef {
        match written.split_once('#') {
            Some((id, step)) => FixRef {
                id: id.to_string(),
                step: Some(step.to_string()),
            },
            None => FixRef {
                id: written,
                step: None,
            },
        }
    }
}

/// As written in front matter, for locating it and for messages.
impl fmt::Display for FixRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.step {
            Some(step) => write!(f, "{}#{step}", self.id),
            None => f.write_str(&self.id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_splits_at_the_first_hash_and_prints_as_written() {
        for (written, id, step) in [
            ("fix-renew-cert", "fix-renew-cert", None),
            ("fix-renew-cert#replace", "fix-renew-cert", Some("replace")),
            ("fix-a#b#c", "fix-a", Some("b#c")),
            ("fix-a#", "fix-a", Some("")),
        ] {
            let r = FixRef::from(written.to_string());
            assert_eq!((r.id.as_str(), r.step.as_deref()), (id, step), "{written}");
            assert_eq!(r.to_string(), written);
        }
    }
}
