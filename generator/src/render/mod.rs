//! Stage 4, render: pages through the theme's Tera templates, around the HTML the Markdown pass made.

pub mod feed;
mod fixed;
pub mod templates;

pub(crate) use fixed::fixed;
