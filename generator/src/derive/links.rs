//! Reverse links: which errors a cause explains, which causes a fix resolves.

use std::collections::HashMap;

use crate::load::KindData;
use crate::model::Model;

/// For each page index, the indices of pages that point at it, in the pointing pages' order.
#[derive(Debug, Default)]
pub struct ReverseLinks {
    /// cause -> errors that list it.
    pub explains: HashMap<usize, Vec<usize>>,
    /// fix -> causes that list it.
    pub resolves: HashMap<usize, Vec<usize>>,
}

pub fn reverse_links(model: &Model) -> ReverseLinks {
    let mut r = ReverseLinks::default();
    for (i, p) in model.site.pages.iter().enumerate() {
        match &p.data {
            KindData::Error(e) => {
                for c in &e.causes {
                    if let Some(&j) = model.by_id.get(&c.id) {
                        push_unique(r.explains.entry(j).or_default(), i);
                    }
                }
            }
            KindData::Cause(c) => {
                for f in &c.fixes {
                    if let Some(&j) = model.by_id.get(&f.id) {
                        push_unique(r.resolves.entry(j).or_default(), i);
                    }
                }
            }
            _ => {}
        }
    }
    r
}

fn push_unique(v: &mut Vec<usize>, i: usize) {
    if !v.contains(&i) {
        v.push(i);
    }
}
