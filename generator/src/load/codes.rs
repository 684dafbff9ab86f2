//! Code tables: `content/codes/<scheme>.yaml`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::read_text;
use crate::diag::{Code, Diagnostic, Pos};

/// A code table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeTableFm {
    pub scheme: String,
    pub title: String,
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub sources: Vec<super::Source>,
    pub rows: Vec<CodeRowFm>,
    #[serde(skip)]
    pub file: PathBuf,
    #[serde(skip)]
    pub src: String,
}

/// One row as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeRowFm {
    /// Hex with `0x` (any case), or a decimal id in the `event` table.
    pub value: String,
    pub name: String,
    pub meaning: String,
    /// The event's provider, in the `event` table.
    #[serde(default)]
    pub source: Option<String>,
    /// Cause ids, most likely first.
    #[serde(default)]
    pub causes: Vec<String>,
    /// The connection stage where this code is raised (a stage id of `site.toml`).
    #[serde(default)]
    pub stage: Option<String>,
    /// Earlier stages where the same code is also raised: `stage` holds only when the paste shows the
    /// connection got past them.
    #[serde(default)]
    pub also_at: Vec<String>,
    /// First client or server version that prints this code, e.g. `FreeRDP 3.18.0`.
    #[serde(default)]
    pub since: Option<String>,
    /// Last version that prints it, when it was removed.
    #[serde(default)]
    pub until: Option<String>,
    /// The clients, servers or versions the row holds for, when not all of them.
    #[serde(default)]
    pub applies_to: Vec<String>,
}

const FIELDS: &str = "table: scheme, title, labels, description, sources, rows; row: value, name, meaning, source, causes, stage, also_at, since, until, applies_to";

impl CodeTableFm {
    /// Position of the `n`th row's `value` (for diagnostics).
    pub fn row_pos(&self, n: usize) -> Pos {
        let mut seen = 0;
        let mut at = 0;
        for line in self.src.split_inclusive('\n') {
            let t = line.trim_start();
            if t.starts_with("- ") || t == "-\n" || t == "-" {
                if seen == n {
                    return Pos::at(&self.src, at + (line.len() - t.len()));
                }
                seen += 1;
            }
            at += line.len();
        }
        Pos::START
    }

    /// Position of `needle` at or after row `n` (falls back to the row).
    pub fn pos_in_row(&self, n: usize, needle: &str) -> Pos {
        let row = self.row_pos(n);
        let mut off = 0;
        for (i, line) in self.src.split_inclusive('\n').enumerate() {
            if i + 1 >= row.line {
                break;
            }
            off += line.len();
        }
        match self.src[off..].find(needle) {
            Some(i) => Pos::at(&self.src, off + i),
            None => row,
        }
    }
}

pub(crate) fn load_table(root: &Path, rel: &Path) -> Result<CodeTableFm, Vec<Diagnostic>> {
    let src = read_text(root, rel)?;
    let mut t: CodeTableFm = super::yaml::parse(rel, &src, 0..src.len(), None, FIELDS)?;
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if t.scheme != stem {
        let off = src.find("scheme").unwrap_or(0);
        return Err(vec![Diagnostic::new(
            Code::BadField,
            rel,
            Pos::at(&src, off),
            format!("table `{}` is in a file named `{stem}.yaml`", t.scheme),
        )
        .help(format!(
            "rename the file to `{}.yaml` or set `scheme: {stem}`",
            t.scheme
        ))]);
    }
    t.file = rel.to_path_buf();
    t.src = src;
    Ok(t)
}
