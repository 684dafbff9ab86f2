//! One module per command: parse its flags, call the library, print, choose the exit code.

use std::io::Write;

use fixbook::diag::{self, Diagnostic, Format};

/// Writes to standard output or error; when the reader has gone away (`fixbook diagnose x | head -1`),
/// exits at once and quietly, as `cat`, `rg` and `git` do, instead of panicking like `println!`.
pub(crate) fn emit(stderr: bool, text: &str) {
    let result = if stderr {
        std::io::stderr().lock().write_all(text.as_bytes())
    } else {
        std::io::stdout().lock().write_all(text.as_bytes())
    };
    if let Err(e) = result {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// `print!` through [`emit`].
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::emit(false, &format!($($arg)*)) };
}
/// `println!` through [`emit`].
macro_rules! outln {
    ($($arg:tt)*) => { $crate::cli::emit(false, &(format!($($arg)*) + "\n")) };
}
/// `eprint!` through [`emit`].
macro_rules! err {
    ($($arg:tt)*) => { $crate::cli::emit(true, &format!($($arg)*)) };
}
/// `eprintln!` through [`emit`].
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::emit(true, &(format!($($arg)*) + "\n")) };
}

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod diagnose;
pub(crate) mod new;
pub(crate) mod serve;

/// Exit code for content errors.
pub(crate) const CONTENT: u8 = 1;
/// Exit code for usage and I/O errors.
pub(crate) const USAGE: u8 = 2;

/// Prints diagnostics to stderr in the human format, with a count.
pub(crate) fn print_diagnostics(diags: &[Diagnostic]) {
    err!("{}", diag::render(diags, Format::Human));
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    match (errors, warnings) {
        (e, 0) => errln!("{e} error{} found", plural(e)),
        (0, w) => errln!("no errors; {w} warning{}", plural(w)),
        (e, w) => errln!("{e} error{} and {w} warning{} found", plural(e), plural(w)),
    }
}
