//! Every `stage:` (a cause's, a signal's, a code row's) names a stage that `site.toml` declares: a typo
//! would otherwise silently take a cause out of the stage ranking.

use crate::diag::{did_you_mean, Code, Diagnostic, Pos};
use crate::load::KindData;
use crate::model::Model;

fn unknown(model: &Model, id: &str, file: &std::path::Path, pos: Pos) -> Option<Diagnostic> {
    let stages = &model.site.config.checker.stages;
    if stages.iter().any(|s| s.id == id) {
        return None;
    }
    let help = if stages.is_empty() {
        "declare the site's stages in site.toml under `[[checker.stages]]` (id and label, in order), or remove `stage:`".to_string()
    } else {
        match did_you_mean(id, stages.iter().map(|s| s.id.as_str())) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "the stages declared in site.toml are: {}",
                stages
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    };
    Some(
        Diagnostic::new(
            Code::UnknownStage,
            file,
            pos,
            format!("stage `{id}` is not declared in site.toml"),
        )
        .underline(id)
        .help(help),
    )
}

pub(super) fn check(model: &Model, scope: super::Scope<'_>, out: &mut Vec<Diagnostic>) {
    for (i, p) in model.site.pages.iter().enumerate() {
        if !scope.has(i) {
            continue;
        }
        let KindData::Cause(c) = &p.data else {
            continue;
        };
        if let Some(id) = &c.stage {
            // The cause's own `stage:` is a top-level key: the first one in the front matter that is not
            // indented under `signals`.
            let pos = p.top_level_value_pos("stage", id);
            out.extend(unknown(model, id, &p.file, pos));
        }
        let mut nth = std::collections::HashMap::<&str, usize>::new();
        for s in &c.signals {
            if let Some(id) = &s.stage {
                let n = nth.entry(id.as_str()).or_default();
                let pos = p.value_pos_nth("signals", id, *n);
                *n += 1;
                out.extend(unknown(model, id, &p.file, pos));
            }
        }
    }
    for t in &model.site.tables {
        for (n, row) in t.rows.iter().enumerate() {
            if let Some(id) = &row.stage {
                out.extend(unknown(model, id, &t.file, t.pos_in_row(n, id)));
            }
        }
    }
}
