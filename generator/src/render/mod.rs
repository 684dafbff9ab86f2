//! Stage 4, render: Markdown to HTML (with highlighting), then pages through the theme's Tera templates.

pub mod feed;
mod fixed;
mod highlight;
pub(crate) mod home;
pub(crate) mod link_target;
mod markdown;
pub mod templates;

pub(crate) use fixed::fixed;
pub use highlight::highlight;
pub use markdown::{render_markdown, render_markdown_pass, slugify, Body, Heading, LinkRef, Pass};
