//! The search index: the files a query fetches a few of (`files`, where the format is described), made
//! from the pages' plain text by section (`markdown::sections`) turned into terms (`markdown::terms`): by
//! `build` while it writes the pages (`gather`), and kept up to date edit by edit by `serve` (`live`).

mod files;
mod gather;
mod live;

pub use files::{search_files, search_name, SearchFiles};
pub use gather::SearchGather;
pub(crate) use live::LiveIndex;
