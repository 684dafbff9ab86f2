//! One module per command: parse its flags, call the library, print, choose the exit code.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod diagnose;
pub(crate) mod new;
pub(crate) mod serve;

use fixbook::diag::{self, Diagnostic, Format};

/// Exit code for content errors.
pub(crate) const CONTENT: u8 = 1;
/// Exit code for usage and I/O errors.
pub(crate) const USAGE: u8 = 2;

/// Prints diagnostics to stderr in the human format, with a count.
pub(crate) fn print_diagnostics(diags: &[Diagnostic]) {
    eprint!("{}", diag::render(diags, Format::Human));
    eprintln!(
        "{} error{} found",
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    );
}
