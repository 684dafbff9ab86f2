//! Files are read only from inside the site's folder, after resolving links.
//!
//! A pull request controls the site's files, and a symbolic link is a file: a page or template that links
//! to `/proc/self/environ` or `~/.ssh/id_ed25519` would otherwise be read and published. So every read of
//! site content (pages, code tables, `site.toml`, templates, static assets) goes through [`read`], which
//! resolves the path and refuses one that ends outside the root. A link whose target is inside the site is
//! followed, by `build`, `check` and `serve` alike.

use std::path::{Path, PathBuf};

use crate::diag::{display_path, Code, Diagnostic, Pos};

/// Why a site file cannot be read.
pub(crate) enum Refused {
    /// The path resolves outside the site; the diagnostic names the target.
    Outside(Diagnostic),
    /// The file could not be read (missing, a broken link, no permission).
    Io(std::io::Error),
}

impl Refused {
    /// The refusal as a diagnostic at `rel`: the located `outside-site` error, or `code` with `what` and the
    /// I/O error for a file that cannot be read.
    pub(crate) fn into_diagnostic(self, code: Code, rel: &Path, what: &str) -> Diagnostic {
        match self {
            Refused::Outside(d) => d,
            Refused::Io(e) => Diagnostic::new(code, rel, Pos::START, format!("{what}: {e}")),
        }
    }
}

/// The resolved path of `root/rel`, if it is inside the resolved `root`.
pub(crate) fn resolve(root: &Path, rel: &Path) -> Result<PathBuf, Refused> {
    let root = canonical_root(root).map_err(Refused::Io)?;
    // Most paths hold no link: then a path of plain names under the resolved root is inside it as written,
    // and one `lstat` per name says so (resolving costs a `readlink` per name of the whole path, the root's
    // too: 8 system calls per page instead of 3 on the benchmark corpus).
    let mut plain = root.clone();
    for c in rel.components() {
        let std::path::Component::Normal(name) = c else {
            return resolve_links(&root, rel);
        };
        plain.push(name);
        if std::fs::symlink_metadata(&plain)
            .map_err(Refused::Io)?
            .file_type()
            .is_symlink()
        {
            return resolve_links(&root, rel);
        }
    }
    Ok(plain)
}

/// [`resolve`] for a path with a link or a `..` in it.
fn resolve_links(root: &Path, rel: &Path) -> Result<PathBuf, Refused> {
    let real = root.join(rel).canonicalize().map_err(Refused::Io)?;
    if real.starts_with(root) {
        Ok(real)
    } else {
        Err(Refused::Outside(outside(rel, &real)))
    }
}

/// `root` resolved, remembered: a build reads thousands of files from one root.
fn canonical_root(root: &Path) -> std::io::Result<PathBuf> {
    static LAST: std::sync::Mutex<Option<(PathBuf, PathBuf)>> = std::sync::Mutex::new(None);
    let mut last = LAST
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, real)) = last.as_ref().filter(|(given, _)| given == root) {
        return Ok(real.clone());
    }
    let real = root.canonicalize()?;
    *last = Some((root.to_path_buf(), real.clone()));
    Ok(real)
}

/// The `outside-site` diagnostic for `rel`, which resolves to `target`.
pub(crate) fn outside(rel: &Path, target: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::OutsideSite,
        rel,
        Pos::START,
        format!(
            "`{}` links to `{}`, outside the site's folder",
            display_path(rel),
            target.display()
        ),
    )
    .help(
        "fixbook reads only files inside the site (build, check and serve alike): copy the file into the \
         site, or point the link at a file inside it",
    )
}

/// The bytes of `root/rel`, read only if it resolves inside `root`.
pub(crate) fn read(root: &Path, rel: &Path) -> Result<Vec<u8>, Refused> {
    let real = resolve(root, rel)?;
    std::fs::read(real).map_err(Refused::Io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_are_followed_inside_the_root_only() -> Result<(), Box<dyn std::error::Error>> {
        let site = tempfile::tempdir()?;
        let elsewhere = tempfile::tempdir()?;
        std::fs::write(site.path().join("inside.txt"), "in")?;
        std::fs::write(elsewhere.path().join("secret.txt"), "out")?;
        std::os::unix::fs::symlink("inside.txt", site.path().join("near"))?;
        std::os::unix::fs::symlink(elsewhere.path().join("secret.txt"), site.path().join("far"))?;
        assert_eq!(
            read(site.path(), Path::new("near")).ok(),
            Some(b"in".to_vec())
        );
        match read(site.path(), Path::new("far")) {
            Err(Refused::Outside(d)) => {
                assert_eq!(d.code, Code::OutsideSite);
                assert!(d.message.contains("secret.txt"), "{}", d.message);
            }
            _ => panic!("a link out of the site was read"),
        }
        // `..` is resolved too.
        assert!(matches!(
            read(
                site.path(),
                &Path::new("..")
                    .join(elsewhere.path().file_name().unwrap_or_default())
                    .join("secret.txt")
            ),
            Err(Refused::Outside(_))
        ));
        Ok(())
    }
}
