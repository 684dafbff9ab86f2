//! The search index: terms (`terms`), a page's sections (`sections`), and the files a query fetches a few
//! of (`files`, where the format is described).

mod files;
mod sections;
mod terms;

pub(crate) use files::LiveIndex;
pub use files::{search_files, search_name, write_search_files, SearchFiles};
pub use sections::{page_terms, PageTerms, Section, SectionStart};
