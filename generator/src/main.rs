//! `fixbook`: args -> library -> printed result -> exit code.
//!
//! Exit codes (a contract): 0 ok; 1 content errors (also `diagnose` when the site's content does not load);
//! 2 usage or I/O errors. clap already exits with 2 on usage errors.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cli;

/// A build allocates millions of small strings and JSON values from many threads; mimalloc's thread-local
/// free lists cut the allocator's share of a 10,000-page build (a fifth of all instructions with glibc malloc).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A static site generator for troubleshooting knowledge bases, with an in-page checker.
#[derive(Parser)]
#[command(name = "fixbook", version, about)]
struct Args {
    /// The site's folder (holds site.toml and content/).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only when the build succeeds).
    Build(cli::build::BuildArgs),
    /// Check the content (front matter, references, links, codes, examples) without writing anything.
    Check(cli::check::CheckArgs),
    /// Read a pasted error, event, port test or certificate and rank the causes and fixes.
    Diagnose(cli::diagnose::DiagnoseArgs),
    /// Serve the site on this machine, rebuild what changes as files are saved, and reload the browser.
    Serve(cli::serve::ServeArgs),
    /// Write a new page (error, cause, fix or guide) with its required fields and sections to fill in.
    New(cli::new::NewArgs),
}

fn main() -> ExitCode {
    let args = Args::parse();
    let code = match args.command {
        Command::Build(a) => cli::build::run(&args.root, a),
        Command::Check(a) => cli::check::run(&args.root, a),
        Command::Diagnose(a) => cli::diagnose::run(&args.root, a),
        Command::Serve(a) => cli::serve::run(&args.root, a),
        Command::New(a) => cli::new::run(&args.root, a),
    };
    ExitCode::from(code)
}
