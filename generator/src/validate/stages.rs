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
            for id in &row.also_at {
                out.extend(unknown(model, id, &t.file, t.pos_in_row(n, id)));
            }
        }
    }
    on_the_map(model, scope, out);
}

/// With `[checker] stage_map`, every cause with a stage is linked from that page (CONTRIBUTING.md: a new
/// cause gets a link in its stage's section of the map), or readers who start from the map never find it.
/// Reported at the cause's `stage:`, as the cause is what a contributor just added.
fn on_the_map(model: &Model, scope: super::Scope<'_>, out: &mut Vec<Diagnostic>) {
    let Some(map_id) = model.site.config.checker.stage_map.as_deref() else {
        return;
    };
    let Some(map) = model.by_id.get(map_id).copied() else {
        out.push(
            Diagnostic::new(
                Code::UnknownRef,
                "site.toml",
                Pos::START,
                format!("`[checker] stage_map` names page `{map_id}`, which does not exist"),
            )
            .help("give the id of the page that links every cause under its stage, or remove `stage_map`"),
        );
        return;
    };
    let (Some(map_page), Some(body)) = (model.site.pages.get(map), model.bodies.get(map)) else {
        return;
    };
    let linked: std::collections::HashSet<usize> = body
        .links
        .iter()
        .filter_map(|l| {
            let path = l.dest.split(['#', '?']).next().unwrap_or_default();
            model.by_path.get(path).copied()
        })
        .collect();
    for (i, p) in model.site.pages.iter().enumerate() {
        let KindData::Cause(c) = &p.data else {
            continue;
        };
        let Some(stage) = c.stage.as_deref() else {
            continue;
        };
        if !scope.has(i) || linked.contains(&i) || i == map {
            continue;
        }
        // A stage the site does not declare (a placeholder, a typo) is reported as that alone.
        let Some(declared) = model
            .site
            .config
            .checker
            .stages
            .iter()
            .find(|s| s.id == stage)
        else {
            continue;
        };
        let section = format!(
            " under its stage's heading (`{}`, `#{stage}`)",
            declared.label
        );
        out.push(
            Diagnostic::new(
                Code::OffStageMap,
                &p.file,
                p.top_level_value_pos("stage", stage),
                format!("cause `{}` is not on the stage map `{map_id}`", p.meta.id),
            )
            .underline(stage)
            .help(format!(
                "link `{}` from {}{section}",
                Model::rel_path(p),
                crate::diag::display_path(&map_page.file)
            )),
        );
    }
}
