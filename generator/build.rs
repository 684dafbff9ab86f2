//! Builds the in-page checker: compiles `checker-wasm` for `wasm32-unknown-unknown` with a nested cargo,
//! runs wasm-bindgen on it as a library (target `web`: an ES module loader plus the `.wasm`), and leaves
//! `checker.js` and `checker_bg.wasm` in `OUT_DIR`, from where `src/theme.rs` embeds them. So one
//! `cargo build` makes a self-contained `fixbook`, with no wasm-pack or wasm-bindgen CLI step.
//!
//! ## Pitfalls this avoids
//! - The nested cargo gets its own `--target-dir`: the outer build holds the lock of its own.
//! - The variables that the outer cargo and clippy set for build scripts (`RUSTC_WRAPPER`,
//!   `RUSTC_WORKSPACE_WRAPPER`, `CARGO_ENCODED_RUSTFLAGS`, `CARGO_TARGET_DIR`, ...) are cleared, or the
//!   nested build would run clippy-driver, use host flags for wasm, or wait on the outer lock.
//! - The nested build's target dir is shared by `cargo build`, `cargo test` and `cargo clippy` (they have
//!   different `OUT_DIR`s), so only the first of them pays for compiling the module.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{exit, Command};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.clone(), Path::to_path_buf);
    let checker = root.join("checker-wasm");
    for p in [
        checker.join("src"),
        checker.join("Cargo.toml"),
        root.join("Cargo.toml"),
        root.join("Cargo.lock"),
    ] {
        println!("cargo:rerun-if-changed={}", p.display());
    }
    for key in [
        "CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL",
        "CARGO_PROFILE_WASM_RELEASE_LTO",
    ] {
        println!("cargo:rerun-if-env-changed={key}");
    }
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());

    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    if !target_installed(&rustc) {
        fail(&format!(
            "the `{WASM_TARGET}` target is not installed, and fixbook embeds the checker built for it.\n\
             Install it with:\n\n    rustup target add {WASM_TARGET}\n"
        ));
    }

    let target_dir = nested_target_dir(&out_dir);
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.arg("build")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args(["-p", "fixbook-checker", "--lib", "--target", WASM_TARGET])
        .args(["--profile", "wasm-release", "--target-dir"])
        .arg(&target_dir);
    for (key, _) in env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        let keep = matches!(
            key,
            "CARGO_HOME" | "CARGO_NET_OFFLINE" | "CARGO_TERM_COLOR" | "CARGO_HTTP_TIMEOUT"
        ) || key.starts_with("CARGO_REGISTRIES_")
            // Lets a measurement try other settings: CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL=3 cargo build.
            || key.starts_with("CARGO_PROFILE_WASM_RELEASE_");
        let drop = (key.starts_with("CARGO_") && !keep)
            || matches!(
                key,
                "RUSTC_WRAPPER"
                    | "RUSTC_WORKSPACE_WRAPPER"
                    | "RUSTFLAGS"
                    | "RUSTDOCFLAGS"
                    | "TARGET"
                    | "HOST"
                    | "OUT_DIR"
                    | "OPT_LEVEL"
                    | "PROFILE"
                    | "DEBUG"
                    | "NUM_JOBS"
                    | "RUSTC_LINKER"
            );
        if drop {
            cmd.env_remove(key);
        }
    }
    let status = cmd.status().unwrap_or_else(|e| {
        fail(&format!("could not run cargo to build the checker: {e}"));
    });
    if !status.success() {
        fail("building the checker (checker-wasm) for wasm32-unknown-unknown failed; see the errors above");
    }

    let wasm = target_dir
        .join(WASM_TARGET)
        .join("wasm-release")
        .join("fixbook_checker.wasm");
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(&wasm)
        .out_name("checker")
        .typescript(false)
        .remove_name_section(true)
        .remove_producers_section(true);
    let result = bindgen
        .web(true)
        .and_then(|b| b.generate(&out_dir).map(|_| ()));
    if let Err(e) = result {
        fail(&format!(
            "wasm-bindgen could not process {}: {e:#}",
            wasm.display()
        ));
    }
}

/// Whether the sysroot of `rustc` has the standard library for the wasm target.
fn target_installed(rustc: &std::ffi::OsStr) -> bool {
    let Ok(out) = Command::new(rustc).args(["--print", "sysroot"]).output() else {
        // Cannot tell: let the nested build say what is wrong.
        return true;
    };
    let sysroot = String::from_utf8_lossy(&out.stdout).trim().to_string();
    sysroot.is_empty()
        || Path::new(&sysroot)
            .join("lib/rustlib")
            .join(WASM_TARGET)
            .join("lib")
            .is_dir()
}

/// `<target>/wasm-checker`, found from `OUT_DIR` (`<target>/<profile>/build/fixbook-<hash>/out`), so
/// every outer profile and command shares one nested build; `OUT_DIR/wasm-checker` if the layout is
/// unusual.
fn nested_target_dir(out_dir: &Path) -> PathBuf {
    let build = out_dir.ancestors().nth(2);
    match build {
        Some(b) if b.file_name().is_some_and(|n| n == "build") => b
            .parent()
            .and_then(Path::parent)
            .map_or_else(|| out_dir.join("wasm-checker"), |t| t.join("wasm-checker")),
        _ => out_dir.join("wasm-checker"),
    }
}

/// Stops the build with a message cargo shows as is.
fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    exit(1);
}
