//! Atomic output: a build writes into a staging folder next to the output and swaps it in only when every
//! file is written. A failed build leaves the previous output byte-identical, and fixbook never replaces a
//! folder it did not create.
//!
//! The folder's whole life is handled here: one build at a time holds the output's lock ([`super::lock`]);
//! holding it, a build removes what killed builds left (their staging folders and the old site they had
//! renamed aside), since no live build can own them; the marker names the folder it was written for
//! ([`super::marker`]), so a copy of the site is not taken for the output; and an output that cannot be
//! renamed (a mount point, such as a container volume) has its contents swapped instead of the folder.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::lock::{self, OutputLock};
pub use super::marker::MARKER;
use super::marker::{self, Owner};

/// Why the output folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "`{0}` exists and was not written by fixbook (no {MARKER} file); refusing to replace it\n\
         hint: build into a new or empty folder (`fixbook build --output DIR`), or move that folder's files away"
    )]
    NotOurs(PathBuf),
    #[error(
        "`{path}` holds a copy of a fixbook site: its {MARKER} file was written for `{written_for}`, so \
         refusing to replace it (files added to a copy would be lost)\n\
         hint: build into `{written_for}` or a new or empty folder and copy from there \
         (`rsync -a --delete OUTPUT/ {path}/`); if nothing in `{path}` is needed, delete it first"
    )]
    Copied { path: PathBuf, written_for: String },
    #[error(
        "`{0}` has a {MARKER} file that does not name its folder (written by an older fixbook, or copied); \
         refusing to replace it\n\
         hint: if it is only a build output, delete it and build again"
    )]
    UnnamedMarker(PathBuf),
    #[error("`{path}`: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Name prefixes of what a build creates beside (or, for a mount point, inside) the output for a while;
/// the output's folder name and the build's process id follow.
const STAGING: &str = ".fixbook-staging-";
const OLD: &str = ".fixbook-old-";

/// A staging folder that becomes the output on [`Staging::commit`], and is removed if dropped before.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    /// The output's canonical path (what the marker names).
    out: PathBuf,
    /// The output's folder name, in the names of staging and old folders.
    name: String,
    /// The output cannot be renamed (a mount point): its contents are swapped instead, and `dir` is inside it.
    in_place: bool,
    committed: bool,
    /// Declared last: released after `drop` has removed an uncommitted staging folder.
    _lock: OutputLock,
}

impl Staging {
    /// Takes the output's lock, removes killed builds' leftovers, checks that `out` may be replaced and
    /// creates a fresh staging folder.
    pub fn begin(out: &Path) -> Result<Staging, OutputError> {
        let (parent, name) = split(out)?;
        let canonical = match fs::canonicalize(out) {
            Ok(c) => c,
            Err(_) => parent.join(&name),
        };
        let (parent, name) = match (canonical.parent(), canonical.file_name()) {
            (Some(p), Some(n)) => (p.to_path_buf(), n.to_string_lossy().into_owned()),
            _ => return Err(OutputError::NotOurs(canonical)),
        };
        let lock = lock::acquire(&parent, &name, out)?;
        remove_leftovers(&parent, &name);
        let exists = canonical.exists();
        if exists {
            let empty = fs::read_dir(&canonical)
                .map_err(io_err(out))?
                .next()
                .is_none();
            if !empty {
                match marker::owner(&canonical, &canonical) {
                    Owner::Ours => remove_leftovers(&canonical, &name),
                    Owner::NoMarker => return Err(OutputError::NotOurs(out.to_path_buf())),
                    Owner::Elsewhere(Some(written_for)) => {
                        return Err(OutputError::Copied {
                            path: out.to_path_buf(),
                            written_for,
                        })
                    }
                    Owner::Elsewhere(None) => {
                        return Err(OutputError::UnnamedMarker(out.to_path_buf()))
                    }
                }
            }
        }
        let in_place = exists && is_mount_point(&canonical, &parent);
        let home = if in_place { &canonical } else { &parent };
        let dir = home.join(format!("{STAGING}{name}-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
        }
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        Ok(Staging {
            dir,
            out: canonical,
            name,
            in_place,
            committed: false,
            _lock: lock,
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
    /// so at every instant either the old or the new site is complete at `out`. An output that cannot be
    /// renamed (a mount point) gets its contents swapped entry by entry instead.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.write(MARKER, marker::contents(&self.out).as_bytes())?;
        if self.in_place {
            return self.commit_in_place();
        }
        let old = self
            .dir
            .with_file_name(format!("{OLD}{}-{}", self.name, std::process::id()));
        if self.out.exists() {
            if old.exists() {
                fs::remove_dir_all(&old).map_err(io_err(&old))?;
            }
            if let Err(e) = fs::rename(&self.out, &old) {
                return if cannot_rename(&e) {
                    self.commit_in_place()
                } else {
                    Err(OutputError::Io {
                        path: self.out.clone(),
                        source: e,
                    })
                };
            }
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
            remove_tree(&old);
        }
        Ok(())
    }

    /// Swaps the contents of the output for the staged ones: the old entries are moved into a folder inside
    /// the output, the new ones moved in, then the old removed. The marker stays in place throughout, so a
    /// build killed midway leaves a folder the next build still recognises and cleans.
    fn commit_in_place(mut self) -> Result<(), OutputError> {
        let old = self
            .out
            .join(format!("{OLD}{}-{}", self.name, std::process::id()));
        if old.exists() {
            fs::remove_dir_all(&old).map_err(io_err(&old))?;
        }
        fs::create_dir(&old).map_err(io_err(&old))?;
        let keep = |n: &OsStr| {
            n == MARKER || Some(n) == old.file_name() || Some(n) == self.dir.file_name()
        };
        let moved = move_entries(&self.out, &old, keep).and_then(|()| {
            move_entries(&self.dir, &self.out, |n| n == MARKER)?;
            move_entry(&self.dir.join(MARKER), &self.out.join(MARKER))
        });
        if let Err(e) = moved {
            // Put the old site back: remove what was moved in, then move the old entries home.
            if let Ok(rd) = fs::read_dir(&self.out) {
                for entry in rd.flatten() {
                    if !keep(&entry.file_name()) {
                        let _ = remove_any(&entry.path());
                    }
                }
            }
            let _ = move_entries(&old, &self.out, |_| false);
            let _ = fs::remove_dir_all(&old);
            return Err(OutputError::Io {
                path: self.out.clone(),
                source: e,
            });
        }
        self.committed = true;
        remove_tree(&old);
        let _ = fs::remove_dir_all(&self.dir);
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

/// The output's parent folder (created if missing, then canonical) and its folder name.
fn split(out: &Path) -> Result<(PathBuf, String), OutputError> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let parent = fs::canonicalize(&parent).map_err(io_err(&parent))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    Ok((parent, name))
}

/// Removes the staging and old folders of killed builds into the output `name` found in `dir`. Called with
/// the output's lock held, so none of them belongs to a live build (a live build holds the lock until its
/// swap is done and its folders are gone).
fn remove_leftovers(dir: &Path, name: &str) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for entry in rd.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let pid = [STAGING, OLD].iter().find_map(|p| {
            file_name
                .strip_prefix(p)
                .and_then(|rest| rest.strip_prefix(name))
                .and_then(|rest| rest.strip_prefix('-'))
        });
        // Only `<prefix><name>-<digits>`: another output's `public-2` is not ours to clean.
        if pid.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Renaming a mount point fails with "busy" (or "crosses devices" when the rename would leave the file
/// system): such an output can only be written into.
fn cannot_rename(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices
    )
}

#[cfg(unix)]
fn is_mount_point(dir: &Path, parent: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(dir), fs::metadata(parent)) {
        (Ok(d), Ok(p)) => d.dev() != p.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_dir: &Path, _parent: &Path) -> bool {
    false
}

/// Moves every entry of `from` into `to`, except those `skip` names.
fn move_entries(from: &Path, to: &Path, skip: impl Fn(&OsStr) -> bool) -> io::Result<()> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if !skip(&name) {
            move_entry(&entry.path(), &to.join(&name))?;
        }
    }
    Ok(())
}

/// Renames `from` to `to`, or copies and removes it when they are on different file systems.
fn move_entry(from: &Path, to: &Path) -> io::Result<()> {
    match fs::rename(from, to) {
        Err(e) if cannot_rename(&e) => {
            copy_any(from, to)?;
            remove_any(from)
        }
        other => other,
    }
}

fn copy_any(from: &Path, to: &Path) -> io::Result<()> {
    if fs::symlink_metadata(from)?.is_dir() {
        fs::create_dir_all(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            copy_any(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        fs::copy(from, to).map(drop)
    }
}

/// Removes the previous site once the new one is in place, on every thread: a site's tens of thousands of
/// entries take long enough to remove (85 ms for 10,000 pages on one thread) to count in a build's time.
/// What cannot be removed is left; the next build clears it.
fn remove_tree(dir: &Path) {
    if let Ok(rd) = fs::read_dir(dir) {
        let entries: Vec<fs::DirEntry> = rd.flatten().collect();
        entries.par_iter().for_each(|e| match e.file_type() {
            Ok(t) if t.is_dir() => remove_tree(&e.path()),
            _ => {
                let _ = fs::remove_file(e.path());
            }
        });
    }
    let _ = fs::remove_dir(dir);
}

fn remove_any(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
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
        // The output and its lock file; no staging or old folder.
        let mut left: Vec<_> = fs::read_dir(tmp.path())
            .map(|r| {
                r.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        left.sort();
        assert_eq!(left, [".fixbook-lock-public", "public"]);
    }
}
