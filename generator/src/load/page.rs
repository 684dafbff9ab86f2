//! A page's front matter, typed per kind.
//!
//! serde_yaml deserialises straight from the text into [`RawFrontMatter`], so syntax errors, unknown fields and
//! wrong types arrive with their line and column. Rules that depend on the kind (a `signals` field on a fix
//! page) are checked here after parsing, and point at the offending key found in the front matter text.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{front_matter, read_text, yaml, yaml_guard, FixRef, SignalFm, Source};
use crate::diag::{Code, Diagnostic, Pos};

/// The kind of a page, which decides its fields and template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Error,
    Cause,
    Fix,
    Guide,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Error => "error",
            Kind::Cause => "cause",
            Kind::Fix => "fix",
            Kind::Guide => "guide",
        }
    }
}

/// How risky a fix is to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    Low,
    Medium,
    High,
}

/// What a fix needs before it can be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    LocalAdmin,
    DomainAdmin,
    ConsoleAccess,
    Reboot,
    AzureAccess,
}

/// A code on an error page or in a signal.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeFm {
    pub scheme: String,
    /// As written (any case; hex with `0x`, or a decimal event id).
    pub value: String,
}

/// An event in a signal.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFm {
    pub source: String,
    pub id: u32,
}

/// One entry of an error page's ranked `causes`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CauseRefFm {
    pub id: String,
    #[serde(default)]
    pub why: String,
}

/// A paste that must diagnose to its cause first, at a fixed instant.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleFm {
    pub paste: String,
    /// `YYYY-MM-DD` or RFC 3339.
    pub now: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    id: String,
    kind: Kind,
    title: String,
    summary: String,
    updated: String,
    #[serde(default)]
    applies_to: Vec<String>,
    sources: Option<Vec<Source>>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    verified: Option<String>,
    weight: Option<i64>,
    // error
    codes: Option<Vec<CodeFm>>,
    messages: Option<Vec<String>>,
    causes: Option<Vec<CauseRefFm>>,
    clients: Option<Vec<String>>,
    collect: Option<String>,
    // cause
    signals: Option<Vec<SignalFm>>,
    fixes: Option<Vec<FixRef>>,
    examples: Option<Vec<ExampleFm>>,
    stage: Option<String>,
    // fix
    requires: Option<Vec<Requirement>>,
    risk: Option<Risk>,
    steps: Option<Vec<StepNote>>,
}

const FIELDS: &str =
    "id, kind, title, summary, updated, verified, weight, applies_to, sources, related, aliases; \
error: codes, messages, causes, clients, collect; cause: signals, fixes, examples, stage; fix: requires, risk, steps";

/// Fields every page has.
#[derive(Debug, Clone)]
pub struct Meta {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub summary: String,
    /// `YYYY-MM-DD` as written (validated in the validate stage).
    pub updated: String,
    pub applies_to: Vec<String>,
    pub sources: Vec<Source>,
    pub related: Vec<String>,
    pub aliases: Vec<String>,
    /// `YYYY-MM-DD`: when a person last checked the page against its sources (validated later).
    pub verified: Option<String>,
    /// Place in its section's reading order (lower first); pages without one follow, by stage and title.
    pub weight: Option<i64>,
}

/// Fields of an error page.
#[derive(Debug, Clone, Default)]
pub struct ErrorData {
    pub codes: Vec<CodeFm>,
    pub messages: Vec<String>,
    pub causes: Vec<CauseRefFm>,
    /// The clients that show this error (ids of `[[clients]]` in `site.toml`).
    pub clients: Vec<String>,
    /// What to paste next to tell the page's causes apart (its own logs and commands), said by the checker
    /// instead of the site's generic advice when this page is matched and nothing confirms a cause.
    pub collect: Option<String>,
}

/// Fields of a cause page.
#[derive(Debug, Clone, Default)]
pub struct CauseData {
    pub signals: Vec<SignalFm>,
    pub fixes: Vec<FixRef>,
    pub examples: Vec<ExampleFm>,
    /// The connection stage the cause belongs to (a stage id of `site.toml`).
    pub stage: Option<String>,
}

/// Fields of a fix page.
#[derive(Debug, Clone)]
pub struct FixData {
    pub requires: Vec<Requirement>,
    pub risk: Risk,
    /// Version notes on steps, in the order written.
    pub steps: Vec<StepNote>,
}

/// Which client or server versions one step of a fix holds for:
/// `steps: [{step: update-or-raise-bpp, since: xrdp 0.10.1}]`.
///
/// Kept in front matter, not in the heading (`{since=...}`), because heading attributes cannot hold spaces
/// and a version note is data the checker and `check` read, not formatting.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepNote {
    /// The step's anchor, as in `fix-id#step`.
    pub step: String,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub applies_to: Vec<String>,
}

/// The kind-specific part of a page.
#[derive(Debug, Clone)]
pub enum KindData {
    Error(ErrorData),
    Cause(CauseData),
    Fix(FixData),
    Guide,
}

/// A loaded page: its text, where its parts are, and its typed front matter.
#[derive(Debug, Clone)]
pub struct Page {
    /// Relative to the site root, e.g. `content/errors/0x904-0x7.md`.
    pub file: PathBuf,
    pub section: String,
    pub slug: String,
    /// The whole file.
    pub src: String,
    /// Byte offset of the front matter's first line in `src`.
    pub front_start: usize,
    pub front_end: usize,
    /// Byte offset of the body in `src`.
    pub body_start: usize,
    /// The file on disk, for positions in a body that was released (see [`Page::release_body`]).
    pub path: PathBuf,
    /// Byte offsets of every `TODO(fixbook)` placeholder in the file, found when it was read.
    pub placeholders: Vec<usize>,
    /// A hash of the whole text as loaded: `build` reads the file again to render it (see
    /// [`Page::read_again`]) and must render what was validated, not an edit saved in between.
    pub src_hash: u64,
    pub meta: Meta,
    pub data: KindData,
}

impl Page {
    /// The Markdown body (empty once released).
    pub fn body(&self) -> &str {
        self.src.get(self.body_start..).unwrap_or("")
    }

    /// Frees the body's text, keeping the front matter: `build` calls it as soon as a page's HTML is made,
    /// so the memory of the sources is reused for the HTML instead of adding to it. Positions in the body
    /// (a broken link) are then read from the file again: only a page with a problem pays for that.
    pub fn release_body(&mut self) {
        self.src.truncate(self.front_end);
        self.src.shrink_to_fit();
    }

    /// The whole text again, read the way `load` read it, for rendering a page whose body was released.
    /// An error when it cannot be read or is no longer what was loaded and validated (saved during the build).
    pub fn read_again(&self, root: &Path) -> std::io::Result<String> {
        let src = super::read_text(root, &self.file).map_err(|d| {
            let why = d.first().map_or_else(String::new, |d| d.message.clone());
            std::io::Error::other(why)
        })?;
        if source_hash(&src) != self.src_hash {
            return Err(std::io::Error::other(
                "the file changed while the site was being built; build again",
            ));
        }
        Ok(src)
    }

    /// The front matter text.
    pub fn front(&self) -> &str {
        &self.src[self.front_start..self.front_end]
    }

    /// Line and column of byte `offset` of the file.
    pub fn pos(&self, offset: usize) -> Pos {
        if offset <= self.src.len() {
            return Pos::at(&self.src, offset);
        }
        // The body was released: the file is read again (as `load` read it, without a byte-order mark).
        match std::fs::read_to_string(&self.path) {
            Ok(text) => {
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                Pos::at(text, offset.min(text.len()))
            }
            Err(_) => Pos::START,
        }
    }

    /// Where a front matter `key` starts (or the file's start if it is absent).
    pub fn key_pos(&self, key: &str) -> Pos {
        self.pos(self.key_offset(key).unwrap_or(0))
    }

    fn key_offset(&self, key: &str) -> Option<usize> {
        let front = self.front();
        let mut at = 0;
        for line in front.split_inclusive('\n') {
            let trimmed = line.trim_start_matches([' ', '-']);
            if trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with(':') {
                return Some(self.front_start + at + (line.len() - trimmed.len()));
            }
            at += line.len();
        }
        None
    }

    /// Where `value` is written in the front matter, searched after `key` (for semantic errors, which
    /// serde cannot locate). Falls back to the key, then to the file's start.
    pub fn value_pos(&self, key: &str, value: &str) -> Pos {
        let front = self.front();
        let from = self.key_offset(key).map_or(0, |o| o - self.front_start);
        let found = find_token(&front[from..], value).map(|i| self.front_start + from + i);
        self.pos(found.or_else(|| self.key_offset(key)).unwrap_or(0))
    }

    /// Where `value` is written after a `key` that starts a line (a top-level key, not one nested in a
    /// list such as `signals`). Falls back to [`Page::value_pos`].
    pub fn top_level_value_pos(&self, key: &str, value: &str) -> Pos {
        let front = self.front();
        let mut at = 0;
        for line in front.split_inclusive('\n') {
            if line.starts_with(key) && line[key.len()..].trim_start().starts_with(':') {
                if let Some(i) = find_token(line, value) {
                    return self.pos(self.front_start + at + i);
                }
            }
            at += line.len();
        }
        self.value_pos(key, value)
    }

    /// The nth occurrence (0-based) of `value` after `key`, for lists that repeat a value.
    pub fn value_pos_nth(&self, key: &str, value: &str, nth: usize) -> Pos {
        let front = self.front();
        let mut from = self.key_offset(key).map_or(0, |o| o - self.front_start);
        for _ in 0..nth {
            match find_token(&front[from..], value) {
                Some(i) => from += i + value.len(),
                None => return self.value_pos(key, value),
            }
        }
        match find_token(&front[from..], value) {
            Some(i) => self.pos(self.front_start + from + i),
            None => self.value_pos(key, value),
        }
    }
}

/// Finds `needle` in `hay` as a whole token (not inside a longer id).
fn find_token(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut start = 0;
    while let Some(i) = hay[start..].find(needle) {
        let at = start + i;
        let before_ok = hay[..at].chars().next_back().is_none_or(|c| !is_word(c));
        let after_ok = hay[at + needle.len()..]
            .chars()
            .next()
            .is_none_or(|c| !is_word(c) || c == '#');
        if before_ok && after_ok {
            return Some(at);
        }
        start = at + needle.len();
    }
    None
}

/// A fast hash of a page's text (not for file names: [`crate::hash::fnv1a`] is the stable one).
fn source_hash(src: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(src.as_bytes());
    h.finish()
}

/// Loads one page file.
pub(crate) fn load_page(root: &Path, rel: &Path) -> Result<Box<Page>, Vec<Diagnostic>> {
    let src = read_text(root, rel)?;
    let split = front_matter::split(rel, &src).map_err(|d| vec![d])?;
    let raw: RawFrontMatter = yaml::parse(
        rel,
        &src,
        split.front.clone(),
        Some(yaml_guard::MAX_FRONT_MATTER),
        FIELDS,
    )?;
    let section = rel
        .parent()
        .and_then(|p| p.file_name())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut page = Page {
        file: rel.to_path_buf(),
        section,
        slug,
        front_start: split.front.start,
        front_end: split.front.end,
        body_start: split.body.start,
        path: root.join(rel),
        placeholders: src
            .match_indices(crate::content::PLACEHOLDER)
            .map(|(i, _)| i)
            .collect(),
        src_hash: source_hash(&src),
        meta: Meta {
            id: raw.id,
            kind: raw.kind,
            title: raw.title,
            summary: raw.summary,
            updated: raw.updated,
            applies_to: raw.applies_to,
            sources: raw.sources.unwrap_or_default(),
            related: raw.related,
            aliases: raw.aliases,
            verified: raw.verified,
            weight: raw.weight,
        },
        data: KindData::Guide,
        src: String::new(),
    };
    page.src = src;
    let mut errs = Vec::new();
    let mut not_for = |key: &str, present: bool, page: &Page| {
        if present {
            errs.push(
                Diagnostic::new(
                    Code::FieldNotAllowed,
                    rel,
                    page.key_pos(key),
                    format!(
                        "`{key}` is not a field of a {} page",
                        page.meta.kind.as_str()
                    ),
                )
                .help(format!("remove it, or change `kind:`; {FIELDS}")),
            );
        }
    };
    let kind = page.meta.kind;
    if kind != Kind::Error {
        not_for("codes", raw.codes.is_some(), &page);
        not_for("messages", raw.messages.is_some(), &page);
        not_for("causes", raw.causes.is_some(), &page);
        not_for("clients", raw.clients.is_some(), &page);
        not_for("collect", raw.collect.is_some(), &page);
    }
    if kind != Kind::Cause {
        not_for("signals", raw.signals.is_some(), &page);
        not_for("fixes", raw.fixes.is_some(), &page);
        not_for("examples", raw.examples.is_some(), &page);
        not_for("stage", raw.stage.is_some(), &page);
    }
    if kind != Kind::Fix {
        not_for("requires", raw.requires.is_some(), &page);
        not_for("risk", raw.risk.is_some(), &page);
        not_for("steps", raw.steps.is_some(), &page);
    }
    page.data = match kind {
        Kind::Error => KindData::Error(ErrorData {
            codes: raw.codes.unwrap_or_default(),
            messages: raw.messages.unwrap_or_default(),
            causes: raw.causes.unwrap_or_default(),
            clients: raw.clients.unwrap_or_default(),
            collect: raw.collect.filter(|c| !c.trim().is_empty()),
        }),
        Kind::Cause => KindData::Cause(CauseData {
            signals: raw.signals.unwrap_or_default(),
            fixes: raw.fixes.unwrap_or_default(),
            examples: raw.examples.unwrap_or_default(),
            stage: raw.stage,
        }),
        Kind::Fix => match raw.risk {
            Some(risk) => KindData::Fix(FixData {
                requires: raw.requires.unwrap_or_default(),
                risk,
                steps: raw.steps.unwrap_or_default(),
            }),
            None => {
                errs.push(
                    Diagnostic::new(
                        Code::BadField,
                        rel,
                        page.key_pos("kind"),
                        "a fix page needs `risk`",
                    )
                    .help("add `risk: low`, `risk: medium` or `risk: high`"),
                );
                KindData::Fix(FixData {
                    requires: raw.requires.unwrap_or_default(),
                    risk: Risk::Medium,
                    steps: raw.steps.unwrap_or_default(),
                })
            }
        },
        Kind::Guide => KindData::Guide,
    };
    if errs.is_empty() {
        Ok(Box::new(page))
    } else {
        Err(errs)
    }
}
