//! The rendered files as `serve` holds and hands them out: shared bytes, and the updates a rebuild makes.

use std::collections::HashMap;
use std::sync::Arc;

/// Served bytes, shared between the rebuild and the HTTP threads without copying.
pub(crate) type Bytes = Arc<[u8]>;

/// Outputs that change: a path (`errors/0x904/index.html`) and its new bytes, or `None` to remove it.
pub(crate) type Update = Vec<(String, Option<Bytes>)>;

/// Applies a rebuild's files to a served site: a full rebuild replaces it, otherwise each path is written
/// (`Some`) or removed (`None`). Shared by the server and the tests that compare it with `build`.
pub(crate) fn apply_update(files: &mut HashMap<String, Bytes>, update: Update, full: bool) {
    if full {
        files.clear();
    }
    for (path, bytes) in update {
        match bytes {
            Some(b) => files.insert(path, b),
            None => files.remove(&path),
        };
    }
}

/// A rendered text as served bytes.
pub(crate) fn bytes(s: String) -> Bytes {
    Arc::from(s.into_bytes().into_boxed_slice())
}
