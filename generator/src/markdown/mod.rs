//! Markdown, read once per page before validation: HTML (with highlighting), heading anchors, links and
//! search terms in one pass. It sits below `load` and `model` because the model holds each page's
//! [`Body`], and `validate` checks the anchors and links it collects; `render` only places its HTML.

mod blocks;
pub(crate) mod highlight;
pub(crate) mod link_target;
mod pass;
pub(crate) mod sections;
pub(crate) mod terms;

pub use highlight::highlight;
pub use pass::{render_markdown, render_markdown_pass, slugify, Body, Heading, LinkRef, Pass};
pub use sections::{snippet, PageText, SectionStart, SectionText};
