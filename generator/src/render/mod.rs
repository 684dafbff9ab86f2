//! Stage 4, render: pages through the theme's Tera templates, around the HTML the Markdown pass made.

mod escape;
pub mod feed;
mod fixed;
pub(crate) mod home;
mod page_ctx;
mod page_html;
mod pager;
mod template_errors;
pub mod templates;

pub(crate) use fixed::fixed;
pub(crate) use pager::{dropped_pages, section_pages};
