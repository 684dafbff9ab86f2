use std::path::Path;

use fixbook::diag::{self, Format};

#[derive(clap::Args)]
pub(crate) struct CheckArgs {
    /// Output format: human (stderr), json (stdout), github (workflow annotations on stdout).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

pub(crate) fn run(root: &Path, args: CheckArgs) -> u8 {
    let diags = fixbook::check(root);
    match args.format {
        Format::Human => {
            if diags.is_empty() {
                outln!("no problems found");
            } else {
                super::print_diagnostics(&diags);
            }
        }
        Format::Json | Format::Github => out!("{}", diag::render(&diags, args.format)),
    }
    if diags.is_empty() {
        0
    } else {
        super::CONTENT
    }
}
