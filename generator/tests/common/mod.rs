//! Shared helpers for the command tests: run the real binary on a fixture site.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root (the site of the guide, and the default theme in `themes/default`).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The day tests run `check` on, so the age of `verified:` dates does not depend on the clock.
pub const TODAY: &str = "2026-11-30";

pub fn fixbook(root: &Path, args: &[&str]) -> Output {
    fixbook_on(TODAY, root, args)
}

/// [`fixbook`] on another day (`FIXBOOK_TODAY`).
pub fn fixbook_on(today: &str, root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fixbook"))
        .env("FIXBOOK_TODAY", today)
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run fixbook: {e}"))
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Copies a directory tree (fixtures are copied before a test writes into them).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let rel = entry
            .path()
            .strip_prefix(from)
            .unwrap_or_else(|e| panic!("{e}"));
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap_or_else(|e| panic!("{e}"));
        } else {
            std::fs::copy(entry.path(), &dest).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// Every file under `dir` with its bytes, sorted by path: a whole-tree fingerprint.
pub fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf();
            (rel, std::fs::read(e.path()).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}

/// A site built into a fresh temporary folder; the output is `dir.path().join("public")`.
pub struct Built {
    pub dir: tempfile::TempDir,
    pub out: PathBuf,
    /// What `build` printed (its summary line).
    pub stdout: String,
}

/// Builds the site at `root` with `extra` build flags into a temporary `public/`, asserting success.
#[track_caller]
pub fn build_into_temp(root: &Path, extra: &[&str]) -> Built {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("public");
    let mut args = vec!["build", "--output", out.to_str().unwrap_or_default()];
    args.extend_from_slice(extra);
    let o = fixbook(root, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    Built {
        dir,
        out,
        stdout: stdout(&o),
    }
}

/// The content-hashed asset `assets/<stem>.<hash>.<ext>` of a built site.
#[track_caller]
pub fn hashed_asset(out: &Path, stem: &str) -> PathBuf {
    std::fs::read_dir(out.join("assets"))
        .ok()
        .and_then(|r| {
            r.flatten().find(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{stem}."))
                    && e.file_name().to_string_lossy().ends_with(".json")
            })
        })
        .map(|e| e.path())
        .unwrap_or_else(|| panic!("no {stem}.*.json asset in {}", out.display()))
}

/// A guide page named for its id `guide-a` (`content/guides/a.md`), with `body` after its front matter.
pub fn guide_a(body: &str) -> String {
    format!(
        "---\nid: guide-a\nkind: guide\ntitle: A\nsummary: S\nupdated: 2026-01-01\n---\n\n{body}"
    )
}

/// A site of its own in `root`: a minimal `site.toml` and `pages` (paths under `content/`, and their text).
pub fn tiny_site(root: &Path, pages: &[(&str, &str)]) {
    std::fs::write(
        root.join("site.toml"),
        "title = \"T\"\nbase_url = \"https://example.org/\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for (rel, text) in pages {
        let file = root.join("content").join(rel);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(file, text).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// Builds `root` into `out` with `base_url`, and fails the test if the build does.
pub fn build_at(root: &Path, out: &Path, base_url: &str) {
    let o = fixbook(
        root,
        &[
            "build",
            "--output",
            &out.to_string_lossy(),
            "--base-url",
            base_url,
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
