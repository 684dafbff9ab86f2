use std::path::Path;

use fixbook::diag::{self, Format};

#[derive(clap::Args)]
pub(crate) struct CheckArgs {
    /// Output format: human (stderr), json (stdout), github (workflow annotations on stdout).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
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
    if errors == 0 {
        0
    } else {
        super::CONTENT
    }
}
