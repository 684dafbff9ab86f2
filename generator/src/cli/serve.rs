//! `fixbook serve`: builds in memory, serves with live reload, and prints each rebuild and its problems.

use std::io::Write;
use std::net::IpAddr;
use std::path::Path;

use fixbook::serve::{self, Event, Options};

#[derive(clap::Args)]
pub(crate) struct ServeArgs {
    /// The port to listen on; 0 picks a free one (the line `serving http://ADDR:PORT/` says which).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// The address to listen on. Loopback by default: the preview is for this machine.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    open: bool,
}

pub(crate) fn run(root: &Path, args: ServeArgs) -> u8 {
    let opts = Options {
        bind: args.bind,
        port: args.port,
    };
    let report = |e: Event<'_>| match e {
        Event::Rebuilt {
            pages,
            full,
            millis,
        } => {
            let what = if full { "built" } else { "rebuilt" };
            let s = if pages == 1 { "" } else { "s" };
            errln!("{what} {pages} page{s} in {millis:.1} ms");
        }
        Event::Errors(diags) => {
            super::print_diagnostics(diags);
            errln!("still serving the last good version; fix and save to rebuild");
        }
        Event::Unfinished(diags) => {
            super::print_diagnostics(diags);
            errln!("served as it is, to preview; `fixbook check` and `build` fail until these are fixed");
        }
        _ => {}
    };
    let server = match serve::start(root, &opts, report) {
        Ok(s) => s,
        Err(e) => {
            errln!("error: {e}");
            return super::USAGE;
        }
    };
    let url = server.url();
    // Tests and scripts read this line for the real port: print it whole and flush it at once.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "serving {url}");
    let _ = out.flush();
    drop(out);
    if args.open {
        open_browser(&url);
    }
    server.run();
    0
}

/// Opens `url` in the default browser; a failure only means the user opens it by hand.
fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let spawned = std::process::Command::new(cmd.0)
        .args(&cmd.1)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        errln!("could not open a browser; open {url} by hand");
    }
}
