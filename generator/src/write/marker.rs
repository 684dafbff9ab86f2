//! The output marker: the file that lets a build replace a folder. A marker alone cannot tell the output
//! from a copy of it (`cp -r public deploy/` copies the marker too, and a build into `deploy/` would then
//! delete whatever was added there), so the marker names the canonical path of the folder it was written
//! for, and is honoured only in that folder.

use std::fs;
use std::path::Path;

/// The file that marks an output folder as written by fixbook.
pub const MARKER: &str = ".fixbook-output";

/// The line of the marker that names its folder.
const OUTPUT_LINE: &str = "output: ";

/// Who a non-empty folder with or without a marker belongs to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Owner {
    /// The marker names this folder.
    Ours,
    /// No marker: someone else's folder.
    NoMarker,
    /// A marker written for another folder (a copy, or an output that was moved), or one from a fixbook
    /// that did not name the folder (`None`).
    Elsewhere(Option<String>),
}

/// The marker's text for the output whose canonical path is `out`.
pub(crate) fn contents(out: &Path) -> String {
    format!(
        "This folder is written by fixbook build; it may be replaced on the next build into the folder\n\
         named below. A copy of it anywhere else is not fixbook's to replace.\n\
         {OUTPUT_LINE}{}\n",
        out.display()
    )
}

/// Reads the marker of `dir`, whose canonical path is `canonical`.
pub(crate) fn owner(dir: &Path, canonical: &Path) -> Owner {
    let Ok(text) = fs::read_to_string(dir.join(MARKER)) else {
        return Owner::NoMarker;
    };
    let named = text
        .lines()
        .find_map(|l| l.strip_prefix(OUTPUT_LINE))
        .map(str::to_owned);
    match named {
        Some(p) if p == canonical.display().to_string() => Owner::Ours,
        other => Owner::Elsewhere(other),
    }
}
