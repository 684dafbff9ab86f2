//! Stage 3, derive: what is computed from the whole site: reverse links, the knowledge index the checker
//! loads, the search index, and `codes.json` for help-desk tools.

mod codes_json;
mod knowledge;
mod knowledge_files;
mod links;
mod search;

pub use codes_json::codes_json;
pub use knowledge::knowledge_index;
pub(crate) use knowledge_files::{knowledge_files, KnowledgeFiles, ASSETS as KNOWLEDGE_ASSETS};
pub use links::{reverse_links, ReverseLinks};
pub(crate) use search::LiveIndex;
pub use search::{search_files, search_name, SearchFiles, SearchGather};
