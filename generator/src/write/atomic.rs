//! Atomic output: a build writes into a staging folder next to the output and swaps it in only when every
//! file is written. A failed build leaves the previous output byte-identical, and fixbook never replaces a
//! folder it did not create.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The file that marks an output folder as written by fixbook.
pub const MARKER: &str = ".fixbook-output";

/// Why the output folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "`{0}` exists and was not written by fixbook (no {MARKER} file); refusing to replace it"
    )]
    NotOurs(PathBuf),
    #[error("`{path}`: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A staging folder that becomes the output on [`Staging::commit`], and is removed if dropped before.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    committed: bool,
}

impl Staging {
    /// Checks that `out` may be replaced and creates a fresh staging folder beside it.
    pub fn begin(out: &Path) -> Result<Staging, OutputError> {
        if out.exists() {
            let ours = out.join(MARKER).is_file();
            let empty = fs::read_dir(out).map_err(io_err(out))?.next().is_none();
            if !ours && !empty {
                return Err(OutputError::NotOurs(out.to_path_buf()));
            }
        }
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".fixbook-staging-{name}-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
        }
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            committed: false,
        })
    }

    /// The folder to write into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `rel` inside the staging folder, creating parent folders.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        write_file(&self.dir.join(rel), bytes)
    }

    /// Swaps the staging folder in as the output. The old output is renamed aside first and removed after,
    /// so at every instant either the old or the new site is complete at `out`.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.write(
            MARKER,
            b"This folder is written by fixbook build; it may be replaced on the next build.\n",
        )?;
        let old = self.dir.with_file_name(format!(
            ".fixbook-old-{}-{}",
            self.out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        if self.out.exists() {
            if old.exists() {
                fs::remove_dir_all(&old).map_err(io_err(&old))?;
            }
            fs::rename(&self.out, &old).map_err(io_err(&self.out))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.out) {
            // Put the old site back rather than leave nothing.
            let _ = fs::rename(&old, &self.out);
            return Err(OutputError::Io {
                path: self.out.clone(),
                source: e,
            });
        }
        self.committed = true;
        if old.exists() {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes a file, creating its parent folders.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    fs::write(path, bytes).map_err(io_err(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_folder_it_did_not_create() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
        let out = tmp.path().join("site");
        fs::create_dir_all(&out).unwrap_or_default();
        fs::write(out.join("precious.txt"), "keep").unwrap_or_default();
        assert!(matches!(Staging::begin(&out), Err(OutputError::NotOurs(_))));
        assert_eq!(
            fs::read_to_string(out.join("precious.txt")).unwrap_or_default(),
            "keep"
        );
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
        let out = tmp.path().join("public");
        let s = Staging::begin(&out).unwrap_or_else(|e| unreachable!("{e}"));
        s.write("index.html", b"one").unwrap_or_default();
        s.commit().unwrap_or_default();
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap_or_default(),
            "one"
        );
        let s = Staging::begin(&out).unwrap_or_else(|e| unreachable!("{e}"));
        s.write("index.html", b"two").unwrap_or_default();
        drop(s);
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap_or_default(),
            "one"
        );
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .map(|r| r.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
