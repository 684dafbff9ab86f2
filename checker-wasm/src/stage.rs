//! Connection stages: how far the paste shows the connection got, and where it failed.
//!
//! ## The rule (the **Connection stages** contract of DESIGN.md)
//! Stages are the site's data (`[[checker.stages]]`, in order). A signal shows a stage when the content says
//! so: a code-table row's `stage` (for a code or event found in the paste), a cause signal's `stage` (for
//! evidence matched by that signal), or a stage's `passed` phrase (a [`Signal::Progress`]).
//! - A failure signal at stage S shows the connection *reached* S (and so got past every stage before it).
//! - A `passed` phrase of stage S shows it reached the stage after S.
//! - A port test of one of stage S's `ports` that connected shows it reached the stage after S; one whose
//!   TCP connect failed is a failure at S. Tests of other ports (a gateway's, a ping alone) show no stage.
//! - `reached` is the latest stage shown; `failed` is the latest failure stage, unless a later stage was
//!   shown passed (then the paste does not show where it failed).
//! - A row that names earlier stages where its code is also raised (`also_at`: FreeRDP's TLS error is raised
//!   for an RD Gateway's handshake too) shows its `stage` only when the rest of the paste shows the
//!   connection got past all of them; otherwise it shows no stage.
//!
//! Causes of stages before `reached` are demoted by [`crate::rank`]: the connection demonstrably got past
//! them, so they are not why it failed, however strong their own evidence (a certificate warning the
//! client accepted before an NLA failure).

use crate::index::{KnowledgeIndex, PortFinding};
use crate::matcher::Assessment;
use crate::report::{Signal, StageReport};

/// How far the connection got, as indices into the site's stages.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Progress {
    pub(crate) reached: usize,
    pub(crate) failed: Option<usize>,
    /// (stage index, reason), in stage order, without repeats.
    pub(crate) why: Vec<(usize, String)>,
}

impl Progress {
    /// The report's form: stage ids and reasons with their stage's label.
    pub(crate) fn report(&self, index: &KnowledgeIndex) -> StageReport {
        let id = |i: usize| {
            index
                .stages
                .get(i)
                .map(|s| s.id.clone())
                .unwrap_or_default()
        };
        StageReport {
            reached: id(self.reached),
            failed: self.failed.map(id),
            why: self
                .why
                .iter()
                .map(|(i, w)| format!("{}: {w}", label(index, *i)))
                .collect(),
        }
    }

    /// Did the connection get past the stage with this id?
    pub(crate) fn got_past(&self, index: &KnowledgeIndex, stage: Option<&str>) -> bool {
        stage
            .and_then(|s| index.stage_index(s))
            .is_some_and(|i| i < self.reached)
    }
}

/// A stage's label, or its id when it has none.
pub(crate) fn label(index: &KnowledgeIndex, i: usize) -> &str {
    index.stages.get(i).map_or("", |s| s.label.as_str())
}

/// A row's stage as a paste shows it: where the code is raised, the earlier stages where the same code is
/// also raised (the row's `also_at`), and the reason in the report's words.
struct RowStage {
    stage: usize,
    also_at: Vec<usize>,
    why: String,
}

/// The stage of a code or event's row, with the reason in the report's words.
fn row_stage(signal: &Signal, index: &KnowledgeIndex) -> Option<RowStage> {
    let (row, why) = match signal {
        Signal::Code {
            scheme,
            value,
            name,
            ..
        } => {
            let row = index
                .table(scheme)?
                .rows
                .iter()
                .find(|r| r.value == *value)?;
            let why = match name {
                Some(n) => format!("{scheme} code {value} ({n})"),
                None => format!("{scheme} code {value}"),
            };
            (row, why)
        }
        Signal::Event { source, id, .. } => {
            let row = index.event_row(source, *id)?;
            (row, format!("event {id} from {source}"))
        }
        _ => return None,
    };
    let stage = index.stage_index(row.stage.as_deref()?)?;
    let also_at = row
        .also_at
        .iter()
        .filter_map(|s| index.stage_index(s))
        .collect();
    Some(RowStage {
        stage,
        also_at,
        why,
    })
}

/// Derives the connection's progress; `None` when the site declares no stages or nothing shows one.
pub(crate) fn derive(
    signals: &[Signal],
    assessed: &[Assessment<'_>],
    index: &KnowledgeIndex,
) -> Option<Progress> {
    if index.stages.is_empty() {
        return None;
    }
    let last = index.stages.len() - 1;
    let mut why: Vec<(usize, String)> = Vec::new();
    let mut failed: Option<usize> = None;
    let mut passed: Option<usize> = None;
    let note = |stage: usize, reason: String, why: &mut Vec<(usize, String)>| {
        if !why.iter().any(|(s, w)| *s == stage && *w == reason) {
            why.push((stage, reason));
        }
    };
    // Rows whose code is also raised at earlier stages wait until the rest of the paste has shown how far
    // the connection got.
    let mut conditional: Vec<RowStage> = Vec::new();
    for s in signals {
        if let Some(row) = row_stage(s, index) {
            if row.also_at.is_empty() {
                failed = failed.max(Some(row.stage));
                note(row.stage, row.why, &mut why);
            } else {
                conditional.push(row);
            }
        }
        if let Signal::Progress { stage, text, .. } = s {
            if let Some(i) = index.stage_index(stage) {
                passed = passed.max(Some((i + 1).min(last)));
                note(i, format!("passed (\u{201c}{text}\u{201d})"), &mut why);
            }
        }
        if let Signal::PortTest {
            host,
            port,
            findings,
            ..
        } = s
        {
            let at = index.stages.iter().position(|st| st.ports.contains(port));
            if let Some(i) = at.filter(|_| *port != 0) {
                if findings.contains(&PortFinding::TcpFailed) {
                    failed = failed.max(Some(i));
                    note(
                        i,
                        format!("port test: TCP to {host}:{port} failed"),
                        &mut why,
                    );
                } else if findings.is_empty() {
                    passed = passed.max(Some((i + 1).min(last)));
                    note(
                        i,
                        format!("passed (port test: TCP to {host}:{port} connected)"),
                        &mut why,
                    );
                }
            }
        }
    }
    for a in assessed {
        for e in &a.evidence {
            if let Some(stage) = e.stage.as_deref().and_then(|s| index.stage_index(s)) {
                failed = failed.max(Some(stage));
                note(stage, e.why.clone(), &mut why);
            }
        }
    }
    // Such a code shows its own stage only when the connection demonstrably got past the other stages
    // where it is raised (FreeRDP's TLS error after the target's certificate prompt, not the gateway's).
    let shown = failed.max(passed);
    for row in conditional {
        if shown.is_some_and(|got| row.also_at.iter().all(|a| *a < got)) {
            failed = failed.max(Some(row.stage));
            note(row.stage, row.why, &mut why);
        }
    }
    let reached = failed.max(passed)?;
    // A failure signal of an earlier stage than the one reached (FreeRDP ends an NLA failure with "Protocol
    // Security Negotiation Failure") did not stop the connection there: say so beside it, so that the strip's
    // "ok" and the reason do not contradict each other.
    for (stage, reason) in &mut why {
        if *stage < reached && !reason.starts_with("passed (") {
            reason.push_str(" (the connection got further, so not where it failed)");
        }
    }
    crate::order::sort_by_key(&mut why, |(s, _)| *s);
    Some(Progress {
        reached,
        failed: failed.filter(|f| *f == reached),
        why,
    })
}

#[cfg(test)]
#[path = "stage_tests.rs"]
mod tests;
