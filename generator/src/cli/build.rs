//! `fixbook build`: builds the site into the output folder and prints how many pages; content problems
//! are printed like `check`'s and exit 1.

use std::path::{Path, PathBuf};

use fixbook::pipeline::thousands;
use fixbook::BuildError;

#[derive(clap::Args)]
pub(crate) struct BuildArgs {
    /// Output folder (default: ROOT/public). Replaced only if empty or written by fixbook.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Override site.toml's base_url (e.g. for a preview deployment under another path).
    #[arg(long)]
    base_url: Option<String>,
}

pub(crate) fn run(root: &Path, args: BuildArgs) -> u8 {
    match fixbook::build(root, args.output.as_deref(), args.base_url.as_deref()) {
        Ok(s) => {
            outln!("built {} pages in {:.2} s", thousands(s.pages), s.seconds);
            0
        }
        Err(BuildError::Content(diags)) => {
            super::print_diagnostics(&diags);
            errln!("build failed; the previous output was left untouched");
            super::CONTENT
        }
        Err(BuildError::Output(e)) => {
            errln!("error: {e}");
            super::USAGE
        }
    }
}
