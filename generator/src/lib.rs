//! fixbook: turns structured Markdown and YAML into a troubleshooting site, and compiles the same content
//! into the knowledge index that the in-page checker loads.
//!
//! The stages are modules named for them, in data-flow order: [`load`] -> [`markdown`] -> [`validate`] ->
//! [`derive`](mod@derive) -> [`render`] -> [`write`](mod@write); [`pipeline`] joins them. Every import points
//! down the module order written in ARCHITECTURE.md (`tests/architecture.rs` keeps it so). Content problems
//! are data ([`diag::Diagnostic`]): every stage appends to a list and the commands print them all.

#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod config;
pub(crate) mod confine;
pub mod content;
pub mod derive;
pub mod diag;
pub(crate) mod hash;
pub mod load;
pub mod markdown;
pub mod model;
mod outputs;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod theme;
pub mod validate;
pub mod write;

pub use pipeline::{analyse, build, check, BuildError, BuildSummary};
