//! `fixbook diagnose`: runs the checker on a paste from the command line, with the site's knowledge index,
//! so a help desk can script what the page's checker does.

use std::io::Read;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

#[derive(clap::Args)]
pub(crate) struct DiagnoseArgs {
    /// The paste: a file, or `-` (default) for standard input. UTF-8, or UTF-16 with a BOM (PowerShell's `>`).
    file: Option<PathBuf>,
    /// Print the report as JSON (the stable contract) instead of text.
    #[arg(long)]
    json: bool,
    /// The instant to judge certificate validity at (RFC 3339); default: now.
    #[arg(long, value_parser = parse_now)]
    now: Option<OffsetDateTime>,
}

fn parse_now(s: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("`{s}` is not an RFC 3339 time such as 2026-11-23T10:00:00Z: {e}"))
}

pub(crate) fn run(root: &Path, args: DiagnoseArgs) -> u8 {
    let bytes = match args.file.as_deref() {
        None => read_stdin(),
        Some(p) if p == Path::new("-") => read_stdin(),
        Some(p) => std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display())),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            errln!("error: {e}");
            return super::USAGE;
        }
    };
    let analysis = match fixbook::analyse(root, None, false) {
        Ok(a) if !a.load_failed => a,
        Ok(a) => {
            super::print_diagnostics(&a.diagnostics);
            errln!("the site's content at {} does not load", root.display());
            return super::CONTENT;
        }
        Err(d) => {
            super::print_diagnostics(&d);
            return super::CONTENT;
        }
    };
    let now = args.now.unwrap_or_else(OffsetDateTime::now_utc);
    let report = fixbook_checker::diagnose_bytes(&bytes, &analysis.index, now);
    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                errln!("error: {e}");
                return super::USAGE;
            }
        }
    } else {
        out!(
            "{}",
            fixbook_checker::report_to_text(&report, &analysis.index.stages)
        );
    }
    0
}

fn read_stdin() -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    Ok(buf)
}
