//! Every `clients:` entry of an error page names a client that `site.toml` declares under `[[clients]]`:
//! the home page groups error pages by them, and a typo would silently drop a page from its group.

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::load::KindData;
use crate::model::Model;

pub(super) fn check(model: &Model, scope: super::Scope<'_>, out: &mut Vec<Diagnostic>) {
    let clients = &model.site.config.clients;
    for (i, p) in model.site.pages.iter().enumerate() {
        if !scope.has(i) {
            continue;
        }
        let KindData::Error(e) = &p.data else {
            continue;
        };
        let mut nth = std::collections::HashMap::<&str, usize>::new();
        for id in &e.clients {
            let n = nth.entry(id.as_str()).or_default();
            let k = *n;
            *n += 1;
            if clients.iter().any(|c| &c.id == id) {
                continue;
            }
            let help = if clients.is_empty() {
                "declare the site's clients in site.toml under `[[clients]]` (id and label, in the order the home page shows them), or remove `clients:`".to_string()
            } else {
                match did_you_mean(id, clients.iter().map(|c| c.id.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "the clients declared in site.toml are: {}",
                        clients
                            .iter()
                            .map(|c| c.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }
            };
            out.push(
                Diagnostic::new(
                    Code::UnknownClient,
                    &p.file,
                    p.value_pos_nth("clients", id, k),
                    format!("client `{id}` is not declared in site.toml"),
                )
                .help(help),
            );
        }
    }
}
