//! `fixbook new`: writes a page of the given kind with `TODO(fixbook)` placeholders that `check` reports
//! until a contributor replaces them.

use std::path::Path;

use fixbook::load::Kind;
use fixbook::scaffold::{self, NewError};

/// The kinds of page `new` writes.
#[derive(Clone, Copy, clap::ValueEnum)]
enum NewKind {
    Error,
    Cause,
    Fix,
    Guide,
}

#[derive(clap::Args)]
pub(crate) struct NewArgs {
    /// What the page is: error (what the user sees), cause (why), fix (what to do), guide (an article).
    #[arg(value_enum)]
    kind: NewKind,
    /// The page's file name and URL: lower-case letters, digits and `-`. Its id is `<kind>-<slug>`.
    slug: String,
    /// The page's title (else a placeholder to replace).
    #[arg(long)]
    title: Option<String>,
    /// The section folder (default: errors, causes, fixes or guides, by kind).
    #[arg(long)]
    section: Option<String>,
}

pub(crate) fn run(root: &Path, args: NewArgs) -> u8 {
    let kind = match args.kind {
        NewKind::Error => Kind::Error,
        NewKind::Cause => Kind::Cause,
        NewKind::Fix => Kind::Fix,
        NewKind::Guide => Kind::Guide,
    };
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let today = time::OffsetDateTime::now_utc()
        .date()
        .format(&fmt)
        .unwrap_or_default();
    match scaffold::new_page(
        root,
        kind,
        &args.slug,
        args.title.as_deref(),
        args.section.as_deref(),
        &today,
    ) {
        Ok(rel) => {
            outln!("{}", fixbook::diag::display_path(&rel));
            errln!(
                "wrote {}: replace every `{}` in it, then run `fixbook check`",
                fixbook::diag::display_path(&rel),
                fixbook::content::PLACEHOLDER
            );
            0
        }
        Err(e @ (NewError::Exists(_) | NewError::BadSlug(_) | NewError::BadSection(_))) => {
            errln!("error: {e}");
            super::USAGE
        }
        Err(e) => {
            errln!("error: {e}");
            super::USAGE
        }
    }
}
