//! `fixbook new`: a page with valid front matter and every required section, ready to fill in.
//!
//! Where a contributor must write, the page says [`PLACEHOLDER`]; `fixbook check` reports each one until it
//! is replaced, so a half-written page cannot be merged by mistake. Each placeholder sits where its value
//! goes (`scheme: TODO(fixbook)`, `- id: TODO(fixbook)`), and comments say what belongs there.

use std::path::{Path, PathBuf};

use crate::content::PLACEHOLDER;
use crate::load::Kind;

/// Why a page was not written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NewError {
    #[error(
        "`{0}` is not a valid slug: use lower-case letters, digits and `-` (e.g. `cert-expired`)"
    )]
    BadSlug(String),
    #[error("`{0}` is not a valid section: use a folder name of lower-case letters, digits and `-` (not `codes`, which holds the code tables)")]
    BadSection(String),
    #[error("`{}` already exists; `fixbook new` never overwrites a page (choose another slug, or edit that file)", .0.display())]
    Exists(PathBuf),
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The default section of each kind.
pub fn default_section(kind: Kind) -> &'static str {
    match kind {
        Kind::Error => "errors",
        Kind::Cause => "causes",
        Kind::Fix => "fixes",
        Kind::Guide => "guides",
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Writes `content/<section>/<slug>.md` under `root` and returns its path relative to `root`.
/// `today` is the page's `updated` date (`YYYY-MM-DD`).
pub fn new_page(
    root: &Path,
    kind: Kind,
    slug: &str,
    title: Option<&str>,
    section: Option<&str>,
    today: &str,
) -> Result<PathBuf, NewError> {
    if !is_name(slug) {
        return Err(NewError::BadSlug(slug.to_string()));
    }
    let section = section.unwrap_or(default_section(kind));
    if !is_name(section) || section == "codes" {
        return Err(NewError::BadSection(section.to_string()));
    }
    let rel = Path::new("content")
        .join(section)
        .join(format!("{slug}.md"));
    let path = root.join(&rel);
    let io = |source| NewError::Io {
        path: rel.clone(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    // A cause names its stage; the scaffold lists the site's (a site without them gets no `stage:`).
    let stages: Vec<String> = crate::config::Config::load(root)
        .map(|c| c.checker.stages.into_iter().map(|s| s.id).collect())
        .unwrap_or_default();
    let text = page_text(kind, slug, title, today, &stages);
    // `create_new` refuses an existing file atomically, even if one appears after a check.
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(NewError::Exists(rel))
        }
        Err(e) => return Err(io(e)),
    };
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io)?;
    Ok(rel)
}

/// A YAML double-quoted string (JSON's escaping is valid YAML).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{PLACEHOLDER}\""))
}

/// The text of a new page.
pub fn page_text(
    kind: Kind,
    slug: &str,
    title: Option<&str>,
    today: &str,
    stages: &[String],
) -> String {
    let t = PLACEHOLDER;
    let title = match title {
        Some(s) if !s.trim().is_empty() => quoted(s.trim()),
        _ => quoted(&format!("{t} The page's title")),
    };
    let id = format!("{}-{slug}", kind.as_str());
    let mut s = format!(
        "---\nid: {id}\nkind: {kind}\ntitle: {title}\nsummary: \"{t} One sentence for lists, search results and the page's description.\"\nupdated: {today}\n",
        kind = kind.as_str()
    );
    if kind != Kind::Guide {
        s.push_str(&format!(
            "sources:\n  # URLs of the documentation that backs the facts on this page.\n  - https://{t}\n"
        ));
    }
    match kind {
        Kind::Error => s.push_str(&format!(
            "codes:\n  # What the dialog or the log shows. A scheme is a table in content/codes/ (e.g. disconnect,\n  # extended); the value must have a row there.\n  - scheme: {t}\n    value: {t}\n\
             messages:\n  - \"{t} The message exactly as the dialog shows it.\"\n\
             causes:\n  # Ranked, most likely first: ids of cause pages (`fixbook new cause SLUG` makes one).\n  - id: {t}\n    why: \"{t} What points at this cause.\"\n\
             # Optional: what to paste to tell the causes apart (this error's own logs and commands); the checker\n\
             # says it when this page is matched and nothing confirms a cause.\n\
             # collect: \"To tell them apart, paste ...\"\n"
        )),
        Kind::Cause => s.push_str(&format!(
            "{stage}signals:\n  # What in a paste points at this cause: one of code: {{scheme, value}}, event: {{source, id}},\n  # cert: expired | ..., port_test: tcp_failed | ping_failed | name_failed, text: \"a phrase\"; optional weight.\n  - text: \"{t} a phrase that appears in a paste when this is the cause\"\n\
             fixes:\n  # Ranked: ids of fix pages, or fix-id#step-id to point at one step.\n  - {t}\n\
             examples:\n  # Real-shaped pastes the checker must rank this cause first (`check` runs each at its `now`): at\n  # least two, one from a client other than mstsc (FreeRDP, Remmina, xrdp, guacd, Event Viewer).\n  - paste: \"{t} a real paste that shows this cause: a dialog, an event or a log\"\n    now: {today}\n  - paste: \"{t} a paste of the same failure from another client or log\"\n    now: {today}\n",
            stage = if stages.is_empty() {
                String::new()
            } else {
                format!(
                    "stage: {t}  # where the connection fails: one of {}\n",
                    stages.join(", ")
                )
            }
        )),
        Kind::Fix => s.push_str(
            "requires: []  # any of: local_admin, domain_admin, console_access, reboot, azure_access\nrisk: medium  # low | medium | high\n",
        ),
        Kind::Guide => {}
    }
    s.push_str("---\n\n");
    match kind {
        Kind::Error => s.push_str(&format!(
            "{t} What the user sees, where, and what it means, in a short paragraph.\n\n## What to check first\n\n{t} The quickest way to tell the causes apart.\n"
        )),
        Kind::Cause => s.push_str(&format!(
            "{t} Why this happens, and how to confirm it is the cause.\n\n## How to confirm\n\n{t} The evidence to collect, and what it shows when this is the cause.\n"
        )),
        Kind::Fix => s.push_str(&format!(
            "{t} What this fix changes, and when to use it.\n\n\
             ## {t} First step {{#first-step}}\n\n{t} One step per section; tag variants as sub-sections (`### In the console {{.gui}}`,\n`### With PowerShell {{.powershell}}`) or fenced blocks (```` ```powershell ````).\n\n\
             ## Verify\n\n{t} How to confirm the fix worked.\n\n\
             ## Undo\n\n{t} How to roll the change back.\n"
        )),
        Kind::Guide => s.push_str(&format!("{t} The article.\n")),
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(is_name("cert-expired-2"));
        assert!(!is_name("Cert"));
        assert!(!is_name("a/b"));
        assert!(!is_name("-a"));
        assert!(!is_name(""));
    }

    #[test]
    fn titles_are_quoted() {
        let s = page_text(Kind::Guide, "g", Some("Error: \"x\""), "2026-11-23", &[]);
        assert!(s.contains("title: \"Error: \\\"x\\\"\"\n"), "{s}");
        assert!(s.contains("id: guide-g\n"));
    }
}
