//! The knowledge index: content compiled into what the checker needs, with final URLs.

use fixbook_checker::{
    CandidateCause, CauseEntry, CodeRef, CodeRow, CodeTable, ErrorEntry, FixLink, KnowledgeIndex,
    Notes, SignalRule, Stage, TableKind, WeightedSignal, INDEX_VERSION,
};

use crate::content::{canonical_in, EVENT_SCHEME};
use crate::load::{
    CauseData, CodeRowFm, CodeTableFm, ErrorData, FixRef, KindData, Page, SignalFm, SignalKind,
};
use crate::model::Model;

/// Builds the index from a validated model. Entries that failed validation (unknown codes, missing pages)
/// are skipped rather than guessed, so a partial site still gives a usable index to `diagnose`.
pub fn knowledge_index(model: &Model) -> KnowledgeIndex {
    let tables = model
        .site
        .tables
        .iter()
        .map(|t| code_table(model, t))
        .collect();
    let mut errors = Vec::new();
    let mut causes = Vec::new();
    for p in &model.site.pages {
        match &p.data {
            KindData::Error(e) => errors.push(error_entry(model, p, e)),
            KindData::Cause(c) => causes.push(cause_entry(model, p, c)),
            _ => {}
        }
    }
    let checker = &model.site.config.checker;
    KnowledgeIndex {
        version: INDEX_VERSION,
        tables,
        errors,
        causes,
        stages: checker
            .stages
            .iter()
            .map(|s| Stage {
                id: s.id.clone(),
                label: s.label.clone(),
                passed: s.passed.clone(),
                ports: s.ports.clone(),
                optional: s.optional,
            })
            .collect(),
        notes: Notes {
            what_to_paste: checker.what_to_paste.clone().unwrap_or_default(),
            no_evidence: checker.no_evidence.clone().unwrap_or_default(),
            more_causes: checker.more_causes.clone().unwrap_or_default(),
        },
    }
}

/// A code table with its page's URL; rows whose value is not canonical in the scheme are left out, since
/// the checker looks rows up by canonical value.
fn code_table(model: &Model, t: &CodeTableFm) -> CodeTable {
    let url = model.prefixed(&crate::outputs::code_table_url(&t.scheme, 1));
    CodeTable {
        scheme: t.scheme.clone(),
        title: t.title.clone(),
        kind: if t.scheme == EVENT_SCHEME {
            TableKind::Event
        } else {
            TableKind::Code
        },
        labels: t.labels.clone(),
        rows: t
            .rows
            .iter()
            .filter_map(|r| code_row(model, &t.scheme, r))
            .collect(),
        url,
        families: 0,
    }
}

/// A table row, linked to its anchor on the page of its table that holds it, with only the causes that
/// exist.
fn code_row(model: &Model, scheme: &str, r: &CodeRowFm) -> Option<CodeRow> {
    let value = canonical_in(scheme, &r.value)?;
    Some(CodeRow {
        url: model.prefixed(&crate::outputs::code_row_url(model, scheme, &value)),
        value,
        name: r.name.clone(),
        meaning: r.meaning.clone(),
        source: r.source.clone(),
        causes: r
            .causes
            .iter()
            .filter(|c| model.by_id.contains_key(*c))
            .cloned()
            .collect(),
        stage: r.stage.clone(),
        also_at: r.also_at.clone(),
        since: r.since.clone(),
        until: r.until.clone(),
        applies_to: r.applies_to.clone(),
    })
}

/// An error page's entry: its canonical codes, its messages, and the candidate causes that exist.
fn error_entry(model: &Model, p: &Page, e: &ErrorData) -> ErrorEntry {
    ErrorEntry {
        id: p.meta.id.clone(),
        title: p.meta.title.clone(),
        url: model.url(p),
        codes: e
            .codes
            .iter()
            .filter_map(|c| {
                Some(CodeRef {
                    scheme: c.scheme.clone(),
                    value: canonical_in(&c.scheme, &c.value)?,
                })
            })
            .collect(),
        messages: e.messages.clone(),
        collect: e.collect.clone().unwrap_or_default(),
        causes: e
            .causes
            .iter()
            .filter(|c| model.by_id.contains_key(&c.id))
            .map(|c| CandidateCause {
                id: c.id.clone(),
                why: c.why.clone(),
            })
            .collect(),
    }
}

/// A cause page's entry: the signals the checker scores it by, and links to its fixes.
fn cause_entry(model: &Model, p: &Page, c: &CauseData) -> CauseEntry {
    CauseEntry {
        id: p.meta.id.clone(),
        title: p.meta.title.clone(),
        url: model.url(p),
        signals: c.signals.iter().filter_map(weighted_signal).collect(),
        fixes: c.fixes.iter().filter_map(|f| fix_link(model, f)).collect(),
        stage: c.stage.clone(),
    }
}

/// A signal as the checker matches it (a code in canonical form); `None` for a code the scheme cannot read.
fn weighted_signal(s: &SignalFm) -> Option<WeightedSignal> {
    let signal = match &s.kind {
        SignalKind::Code(code) => SignalRule::Code(CodeRef {
            scheme: code.scheme.clone(),
            value: canonical_in(&code.scheme, &code.value)?,
        }),
        SignalKind::Event(e) => SignalRule::Event {
            source: e.source.clone(),
            id: e.id,
        },
        SignalKind::Cert(f) => SignalRule::Cert(*f),
        SignalKind::PortTest(f) => SignalRule::PortTest(*f),
        SignalKind::Text(t) => SignalRule::Text(t.clone()),
    };
    Some(WeightedSignal {
        signal,
        weight: s.weight.unwrap_or(1.0),
        stage: s.stage.clone(),
    })
}

/// A link to a fix page, or to one of its steps with the step's heading as the reader sees it there;
/// `None` for a fix that does not exist.
fn fix_link(model: &Model, f: &FixRef) -> Option<FixLink> {
    let (id, step) = (f.id.as_str(), f.step.as_deref());
    let at = *model.by_id.get(id)?;
    let fix = model.site.pages.get(at)?;
    let mut url = model.url(fix);
    if let Some(step) = step {
        url.push('#');
        url.push_str(step);
    }
    let step_title = step.and_then(|s| {
        let body = model.bodies.get(at)?;
        body.headings
            .iter()
            .find(|h| h.id == s)
            .map(|h| h.title.clone())
    });
    Some(FixLink {
        id: id.to_string(),
        title: fix.meta.title.clone(),
        url,
        step: step_title,
    })
}
