//! What a long paste is cut to, and the note that says so.
//!
//! ## Why
//! Reading stays linear in the paste, but what is read must not grow with it: a report of 100 000 codes
//! helps no one, and every signal costs the matcher, the ranker and the page. So each detector's signals,
//! the unreadable parts, the certificates and the hosts are capped; when a cap is hit, the report says
//! which and how many were kept, so the reader knows to paste the part around the failure.

/// Most signals one detector contributes (the first ones it finds).
pub(crate) const MAX_SIGNALS_PER_DETECTOR: usize = 200;

/// Most unreadable parts listed.
pub(crate) const MAX_UNREADABLE: usize = 100;

/// Most certificates decoded and judged (chains are a handful; more is a bundle or a hostile paste).
pub(crate) const MAX_CERTIFICATES: usize = 64;

/// Most causes a report lists, best first. A reader cannot act on hundreds of candidates (a common dialog
/// matches 702 error pages listing 1,665 causes on the 100,000-page corpus), and every listed cause costs
/// the browser its details' download (see `shard`). No report of the repository's content lists more than
/// 7 (`generator/tests/knowledge_shards.rs` checks every cause example stays under it), so its reports are
/// unchanged; the rest is counted in [`crate::Report::more_causes`] and a note says how to narrow them.
pub(crate) const MAX_CAUSES: usize = 12;

/// What was cut: a plural noun ("codes", "hosts") and how many were kept, in the order they were cut.
#[derive(Default, Debug)]
pub(crate) struct Cuts(Vec<(&'static str, usize)>);

impl Cuts {
    /// Records that only the first `kept` `what` were kept (once per kind).
    pub(crate) fn record(&mut self, what: &'static str, kept: usize) {
        if !self.0.iter().any(|(w, _)| *w == what) {
            self.0.push((what, kept));
        }
    }

    /// Truncates `items` to `max`, recording the cut when there were more.
    pub(crate) fn cap<T>(
        &mut self,
        items: &mut Vec<T>,
        from: usize,
        max: usize,
        what: &'static str,
    ) {
        if items.len().saturating_sub(from) > max {
            items.truncate(from + max);
            self.record(what, max);
        }
    }

    /// The report's note, `None` when nothing was cut.
    pub(crate) fn note(&self) -> Option<String> {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(what, kept)| format!("the first {kept} {what}"))
            .collect();
        let list = match parts.as_slice() {
            [] => return None,
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        Some(format!(
            "The paste holds more than this report lists: it keeps only {list}. \
             Paste the part of the log around the failure to see the rest."
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_lists_what_was_cut() {
        let mut cuts = Cuts::default();
        assert_eq!(cuts.note(), None);
        let mut v: Vec<u8> = vec![0; 10];
        cuts.cap(&mut v, 2, 5, "codes");
        assert_eq!(v.len(), 7);
        cuts.cap(&mut v, 0, 7, "events");
        assert_eq!(v.len(), 7);
        cuts.record("hosts", 64);
        cuts.record("unreadable parts", 100);
        assert_eq!(
            cuts.note().unwrap(),
            "The paste holds more than this report lists: it keeps only the first 5 codes, the first 64 hosts \
             and the first 100 unreadable parts. Paste the part of the log around the failure to see the rest."
        );
    }
}
