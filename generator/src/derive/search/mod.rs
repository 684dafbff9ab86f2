//! The search index: the files a query fetches a few of (`files`, where the format is described), made
//! from the terms and sections the Markdown pass computed (`markdown::terms`, `markdown::sections`), and
//! the copy `serve` keeps up to date edit by edit (`live`).

mod files;
mod live;

pub use files::{search_files, search_name, write_search_files, SearchFiles};
pub(crate) use live::LiveIndex;
