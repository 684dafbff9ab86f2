//! `fixbook check`: every content problem, in the human form on stderr or as JSON or GitHub annotations on
//! stdout; exit 1 when there is an error, 0 with warnings only.

use std::path::Path;

use fixbook::diag::{self, Format};

#[derive(clap::Args)]
pub(crate) struct CheckArgs {
    /// Output format: human (stderr), json (stdout), github (workflow annotations on stdout).
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,
}

/// `--format`'s values: the library's [`Format`], named for the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Github,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
        }
    }
}

/// Today, for the age of `verified:` dates: `FIXBOOK_TODAY` (YYYY-MM-DD, for reproducible runs) or the clock.
fn today() -> Result<time::Date, String> {
    match std::env::var("FIXBOOK_TODAY") {
        Ok(v) => {
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            time::Date::parse(v.trim(), &fmt)
                .map_err(|e| format!("FIXBOOK_TODAY=`{v}` is not a YYYY-MM-DD date: {e}"))
        }
        Err(_) => Ok(time::OffsetDateTime::now_utc().date()),
    }
}

pub(crate) fn run(root: &Path, args: CheckArgs) -> u8 {
    let today = match today() {
        Ok(d) => d,
        Err(e) => {
            errln!("error: {e}");
            return super::USAGE;
        }
    };
    let diags = fixbook::check(root, today);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    match Format::from(args.format) {
        Format::Human => {
            if diags.is_empty() {
                outln!("no problems found");
            } else {
                super::print_diagnostics(&diags);
            }
        }
        format @ (Format::Json | Format::Github) => out!("{}", diag::render(&diags, format)),
    }
    if errors == 0 {
        0
    } else {
        super::CONTENT
    }
}
