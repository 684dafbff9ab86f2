//! Known messages: phrases from the index, found case-insensitively and across wrapped or quoted lines.
//!
//! ## What it recognises
//! Every error page's `messages` and every cause's `text` signal ("This could be due to CredSSP encryption
//! oracle remediation"), as [`Signal::Message`]; every stage's `passed` phrase, as [`Signal::Progress`].
//! Each phrase is reported once, at its first occurrence.
//!
//! ## Why
//! Many failures show a sentence and no code (the CredSSP dialog, "The Local Security Authority cannot be
//! contacted"); the sentence is then the only handle on the error page. Dialog text gets re-wrapped by mail
//! clients and chat tools, so whitespace and `> ` quote markers between words are ignored.

use crate::detect::scan::PhraseSet;
use crate::index::{KnowledgeIndex, SignalRule};
use crate::report::Signal;

/// What a phrase of the index stands for.
#[derive(Clone, Copy)]
enum Kind<'a> {
    Message,
    /// A `passed` phrase of this stage id.
    Passed(&'a str),
}

/// Every phrase the index knows, as written there.
fn phrases(index: &KnowledgeIndex) -> Vec<(&str, Kind<'_>)> {
    let from_errors = index
        .errors
        .iter()
        .flat_map(|e| e.messages.iter().map(|m| (m.as_str(), Kind::Message)));
    let from_causes = index.causes.iter().flat_map(|c| {
        c.signals.iter().filter_map(|s| match &s.signal {
            SignalRule::Text(t) => Some((t.as_str(), Kind::Message)),
            _ => None,
        })
    });
    let from_stages = index.stages.iter().flat_map(|st| {
        st.passed
            .iter()
            .map(|p| (p.as_str(), Kind::Passed(st.id.as_str())))
    });
    from_errors.chain(from_causes).chain(from_stages).collect()
}

/// Emits one signal per phrase found, in order of position.
pub(crate) fn detect(text: &str, index: &KnowledgeIndex, out: &mut Vec<Signal>) {
    let phrases = phrases(index);
    let (set, ids) = PhraseSet::new(phrases.iter().map(|(p, _)| *p));
    // Phrase id -> the index's wording and kind (the first phrase normalising to it).
    let mut wording: Vec<Option<(&str, Kind<'_>)>> = Vec::new();
    for (id, p) in ids.iter().zip(&phrases) {
        let Some(id) = *id else { continue };
        if wording.len() <= id {
            wording.resize(id + 1, None);
        }
        if let Some(w @ None) = wording.get_mut(id) {
            *w = Some(*p);
        }
    }
    let mut found: Vec<Option<[usize; 2]>> = vec![None; wording.len()];
    set.scan(text, false, |id, start, end| {
        if let Some(slot @ None) = found.get_mut(id) {
            *slot = Some([start, end]);
        }
    });
    let mut hits: Vec<(usize, [usize; 2])> = found
        .iter()
        .enumerate()
        .filter_map(|(id, s)| s.map(|s| (id, s)))
        .collect();
    crate::order::sort_by_key(&mut hits, |(id, s)| (s[0], *id));
    for (id, span) in hits {
        match wording.get(id) {
            Some(Some((text, Kind::Message))) => out.push(Signal::Message {
                text: (*text).to_string(),
                span,
            }),
            Some(Some((text, Kind::Passed(stage)))) => out.push(Signal::Progress {
                stage: (*stage).to_string(),
                text: (*text).to_string(),
                span,
            }),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::index;

    #[track_caller]
    fn check(input: &str, expect: &[&str]) {
        let mut out = Vec::new();
        detect(input, &index(), &mut out);
        let got: Vec<String> = out
            .iter()
            .map(|s| match s {
                Signal::Message { text, span } => format!("{text} @ {}", &input[span[0]..span[1]]),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn credssp_dialog_wrapped_and_quoted() {
        check(
            "> An authentication error has occurred.\n> The function requested is not supported\n>\n\
             > Remote computer: 10.0.0.5\n> This could be due to CredSSP encryption oracle\n> remediation.\n",
            &[
                "The function requested is not supported @ The function requested is not supported",
                "encryption oracle remediation @ encryption oracle\n> remediation",
            ],
        );
    }

    #[test]
    fn dialog_sentence_any_case() {
        check(
            "THIS COMPUTER CAN'T CONNECT TO THE REMOTE COMPUTER.",
            &["This computer can't connect to the remote computer. @ THIS COMPUTER CAN'T CONNECT TO THE REMOTE COMPUTER."],
        );
    }

    #[test]
    fn no_phrase_no_signal() {
        check("All good here, connected fine.", &[]);
    }
}
