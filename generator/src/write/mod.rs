//! Stage 5, write: into a staging folder beside the output, then swapped in whole.

pub mod assets;
pub mod atomic;
pub mod lock;
pub mod marker;
