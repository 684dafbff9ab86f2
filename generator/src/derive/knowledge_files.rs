//! The knowledge index as the files a browser fetches: a common part, which pages reference, and buckets
//! named by their content hash under `assets/k/` (see `fixbook_checker::write_shards` for what goes
//! where). `build` writes the buckets one at a time; `serve` keeps them in memory, computed on the first
//! request after a change.

use std::collections::HashMap;

use fixbook_checker::{write_shards, KnowledgeIndex};

/// Where the buckets live: the common part's folder, as the checker resolves their paths.
pub(crate) const ASSETS: &str = "assets/";

/// Every file of a sharded index, for `serve`.
pub(crate) struct KnowledgeFiles {
    /// The common part's JSON.
    pub(crate) common: String,
    /// Bucket files by site-relative path (`assets/k/12.0a1b2c3d.json`).
    pub(crate) shards: HashMap<String, Vec<u8>>,
}

/// The sharded index of `index`, in memory.
pub(crate) fn knowledge_files(index: &KnowledgeIndex) -> KnowledgeFiles {
    let mut shards = HashMap::new();
    let common = write_shards(index, |rel, bytes| {
        shards.insert(format!("{ASSETS}{rel}"), bytes.to_vec());
        Ok::<(), std::convert::Infallible>(())
    });
    KnowledgeFiles {
        common: common.unwrap_or_else(|never| match never {}),
        shards,
    }
}
