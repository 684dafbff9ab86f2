//! One build at a time per output folder. Two builds swapping the same folder would each rename the other's
//! site away (one then fails on a folder that vanished under it), so a build holds an exclusive lock on a
//! small file beside the output from before it looks at the output until its swap is done. The operating
//! system releases the lock when the process ends in any way (even `kill -9`), so a killed build never
//! leaves a stale lock, and whoever holds the lock knows every leftover staging folder is from a dead build.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use super::atomic::OutputError;

/// The lock file's name prefix; the output's folder name follows (`.fixbook-lock-public`).
pub const LOCK_PREFIX: &str = ".fixbook-lock-";

/// Held while a build owns its output folder; dropping it releases the lock.
#[derive(Debug)]
pub(crate) struct OutputLock {
    _file: File,
}

/// Where the lock of the output `name` in `parent` lives.
pub(crate) fn lock_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!("{LOCK_PREFIX}{name}"))
}

/// Takes the output's lock, waiting (and saying so on stderr) while another build holds it.
pub(crate) fn acquire(parent: &Path, name: &str, out: &Path) -> Result<OutputLock, OutputError> {
    let path = lock_path(parent, name);
    let io = |source| OutputError::Io {
        path: path.clone(),
        source,
    };
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            eprintln!(
                "another fixbook build is writing `{}`; waiting for it to finish (lock: {})",
                out.display(),
                path.display()
            );
            file.lock().map_err(io)?;
        }
        Err(TryLockError::Error(e)) => return Err(io(e)),
    }
    Ok(OutputLock { _file: file })
}
