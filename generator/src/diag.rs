//! Content problems as data: every stage appends [`Diagnostic`]s to a list, and the commands print them all.
//!
//! The printed forms (human, JSON, GitHub annotations) are contracts of `DESIGN.md`: scripts and pull-request
//! annotations read them, so they change only with a note there.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

mod escape;
mod excerpt;

/// What kind of problem a diagnostic reports. The kebab-case name is printed as `error[name]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Code {
    /// The file is not valid UTF-8.
    NotUtf8,
    /// The page does not start with a `---` line.
    NoFrontMatter,
    /// The front matter's opening `---` has no closing `---`.
    UnclosedFrontMatter,
    /// YAML that does not parse.
    YamlSyntax,
    /// A field that the content model does not know (often a typo).
    UnknownField,
    /// A field of the wrong type, or a missing required field.
    BadField,
    /// A field that exists, but not for this kind of page.
    FieldNotAllowed,
    /// Two pages (or two code rows) with the same id.
    DuplicateId,
    /// An id that is not `[a-z0-9-]+`.
    BadId,
    /// A reference to an id that does not exist, or to a page of the wrong kind.
    UnknownRef,
    /// A code that is not well formed for its scheme, or has no row in its table.
    BadCode,
    /// An internal link to a page that does not exist.
    BrokenLink,
    /// An internal link to an `#anchor` that does not exist on its page.
    BrokenAnchor,
    /// An error, cause or fix page without `sources`.
    MissingSources,
    /// A fix page without `## Verify` or `## Undo`.
    MissingSection,
    /// A date that is not `YYYY-MM-DD` (or RFC 3339 for an example's `now`).
    BadDate,
    /// A cause's example that the checker does not rank first for that cause.
    ExampleMismatch,
    /// A placeholder left by `fixbook new`.
    Placeholder,
    /// A theme template that does not parse or render.
    Template,
    /// A `stage:` that `site.toml`'s `[[checker.stages]]` does not declare.
    UnknownStage,
    /// A page of facts not checked against its sources (`verified:`) within a year. A warning.
    Unverified,
    /// A file (or a link's target) outside the site's folder: fixbook reads only inside it.
    OutsideSite,
    /// Two things (pages, aliases, section or code-table pages, fixed files) written to one output path.
    OutputCollision,
    /// A page's file or folder name that is not `[a-z0-9-]+`, so its URL would need encoding.
    BadSlug,
    /// An `aliases:` entry that is not a root-relative path of safe segments.
    BadAlias,
    /// A link whose scheme is not http, https or mailto (`javascript:`, `data:`, `file:`, ...).
    LinkScheme,
    /// An image from another site: the page's Content-Security-Policy (`img-src 'self'`) blocks it.
    ExternalImage,
    /// Front matter too large or too deeply nested to hand to the YAML parser.
    FrontMatterLimit,
    /// A `clients:` entry that `site.toml` does not declare under `[[clients]]`.
    UnknownClient,
    /// A cause with a `stage:` that the site's stage map (`[checker] stage_map`) does not link.
    OffStageMap,
}

impl Code {
    /// Whether a page with this problem still renders as `build` would write it, so that `serve` shows the
    /// latest edit with the problem listed over it: placeholders left from `fixbook new`, a cause not yet
    /// on the stage map, an example the checker does not rank yet. These concern what the page says or
    /// the checker's knowledge, not how the site is put together; every other problem keeps the last good
    /// version up. `check` and `build` refuse all of them alike.
    pub fn previewable(self) -> bool {
        matches!(
            self,
            Code::Placeholder | Code::OffStageMap | Code::ExampleMismatch
        )
    }

    /// The name printed in `error[...]` and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::NotUtf8 => "not-utf8",
            Code::NoFrontMatter => "no-front-matter",
            Code::UnclosedFrontMatter => "unclosed-front-matter",
            Code::YamlSyntax => "yaml-syntax",
            Code::UnknownField => "unknown-field",
            Code::BadField => "bad-field",
            Code::FieldNotAllowed => "field-not-allowed",
            Code::DuplicateId => "duplicate-id",
            Code::BadId => "bad-id",
            Code::UnknownRef => "unknown-ref",
            Code::BadCode => "bad-code",
            Code::BrokenLink => "broken-link",
            Code::BrokenAnchor => "broken-anchor",
            Code::MissingSources => "missing-sources",
            Code::MissingSection => "missing-section",
            Code::BadDate => "bad-date",
            Code::ExampleMismatch => "example-mismatch",
            Code::Placeholder => "placeholder",
            Code::Template => "template",
            Code::UnknownStage => "unknown-stage",
            Code::Unverified => "unverified",
            Code::OutsideSite => "outside-site",
            Code::OutputCollision => "output-collision",
            Code::BadSlug => "bad-slug",
            Code::BadAlias => "bad-alias",
            Code::LinkScheme => "link-scheme",
            Code::ExternalImage => "external-image",
            Code::FrontMatterLimit => "front-matter-limit",
            Code::UnknownClient => "unknown-client",
            Code::OffStageMap => "off-stage-map",
        }
    }
}

/// A 1-based line and column; columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    /// The start of a file: where "something is missing" problems point.
    pub const START: Pos = Pos { line: 1, col: 1 };

    /// Line and column of byte `offset` in `text` (clamped to the text).
    pub fn at(text: &str, offset: usize) -> Pos {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Pos { line, col }
    }
}

/// How serious a diagnostic is: errors fail `check` and `build`; warnings are reported and fail nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A content problem, printed as `file:line:col` plus what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// Relative to the site root, with `/` separators.
    pub file: PathBuf,
    pub pos: Pos,
    pub message: String,
    pub help: Option<String>,
    /// What the human form adds (span, source line, related places); boxed, because diagnostics travel
    /// in `Result`s and most have none.
    pub detail: Option<Box<Detail>>,
}

/// The parts of a diagnostic only the human form prints.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Detail {
    /// How many bytes from `pos` the problem covers (the misspelt id), 0 when it is a point (something
    /// missing) or unknown. With `pos`, the byte span the human form underlines.
    pub len: usize,
    /// What the problem is about as written at `pos`, underlined when the file has it there: a value
    /// found by searching may have fallen back to its key ([`attach_sources`] decides).
    pub underline: Option<String>,
    /// Other places that explain this one: the other page of a duplicate id.
    pub related: Vec<Related>,
    /// The line of `file` at `pos`, attached for the human form ([`attach_sources`]); never in JSON.
    pub source_line: Option<String>,
}

/// A place a diagnostic points to besides its own, printed as `note: ...` with its `--> file:line:col`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub file: PathBuf,
    pub pos: Pos,
    pub note: String,
}

impl Diagnostic {
    /// A diagnostic at `pos` of `file`.
    pub fn new(code: Code, file: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            file: file.into(),
            pos,
            message: message.into(),
            help: None,
            detail: None,
        }
    }

    /// The human form's parts, made on first use.
    pub fn detail_mut(&mut self) -> &mut Detail {
        self.detail.get_or_insert_with(Box::default)
    }

    /// Underlines `len` bytes from `pos` in the human form (the length of what `pos` points at).
    pub fn len(mut self, len: usize) -> Self {
        self.detail_mut().len = len;
        self
    }

    /// Underlines `text` at `pos` in the human form, when it is written there (see [`attach_sources`]).
    pub fn underline(mut self, text: &str) -> Self {
        self.detail_mut().underline = Some(text.to_string());
        self
    }

    /// Adds another place that explains this problem.
    pub fn related(mut self, file: impl Into<PathBuf>, pos: Pos, note: impl Into<String>) -> Self {
        self.detail_mut().related.push(Related {
            file: file.into(),
            pos,
            note: note.into(),
        });
        self
    }

    /// Makes it a warning: reported, but failing nothing.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Adds what to do about it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn file_str(&self) -> String {
        display_path(&self.file)
    }
}

/// `a/b/c` on every platform, so output and tests agree.
pub fn display_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The human form. What content wrote (in messages, help and file names) is printed with its control
/// characters made visible (`escape`); the human form keeps its own line breaks and tabs.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const KEEP: &[char] = &['\n', '\t'];
        writeln!(
            f,
            "{}[{}]: {}",
            self.severity.as_str(),
            self.code.as_str(),
            escape::visible(&self.message, KEEP)
        )?;
        write!(
            f,
            "  --> {}:{}:{}",
            escape::visible(&self.file_str(), &[]),
            self.pos.line,
            self.pos.col
        )?;
        let detail = self.detail.as_deref();
        if let Some(d) = detail {
            if let Some(line) = &d.source_line {
                excerpt::write(f, line, self.pos, d.len)?;
            }
        }
        if let Some(help) = &self.help {
            write!(f, "\nhelp: {}", escape::visible(help, KEEP))?;
        }
        for r in detail.map_or(&[][..], |d| &d.related) {
            write!(
                f,
                "\nnote: {}\n  --> {}:{}:{}",
                escape::visible(&r.note, KEEP),
                escape::visible(&display_path(&r.file), &[]),
                r.pos.line,
                r.pos.col
            )?;
        }
        Ok(())
    }
}

/// Attaches to each diagnostic the line of its file it points at, read with `read` (once per file), so the
/// human form can show it with a caret, and turns what it is about ([`Diagnostic::underline`]) into its
/// length when the line has that text at the position. Only diagnostics with something to underline or a
/// position past the file's start get a line: "this page has no `sources`" points at line 1, whose `---`
/// would explain nothing.
pub fn attach_sources(diags: &mut [Diagnostic], read: impl Fn(&Path) -> Option<String>) {
    let mut files: std::collections::HashMap<PathBuf, Option<String>> = Default::default();
    for d in diags {
        if d.detail.is_none() && d.pos == Pos::START {
            continue;
        }
        let text = files.entry(d.file.clone()).or_insert_with(|| read(&d.file));
        let Some(line) = text
            .as_deref()
            .and_then(|t| t.lines().nth(d.pos.line.saturating_sub(1)))
        else {
            continue;
        };
        let at = line
            .char_indices()
            .nth(d.pos.col.saturating_sub(1))
            .map(|(i, _)| i);
        let detail = d.detail_mut();
        if let Some(u) = &detail.underline {
            if at
                .and_then(|i| line.get(i..))
                .is_some_and(|rest| rest.starts_with(u.as_str()))
            {
                detail.len = u.len();
            }
        }
        detail.source_line = Some(line.to_string());
    }
}

/// The printed forms of diagnostics (the CLI's `--format` flag maps onto it in `cli/check.rs`, so the
/// library does not depend on the argument parser).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
}

/// Sorts by file and position, the order every format prints in.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.pos, a.code, &a.message).cmp(&(&b.file, b.pos, b.code, &b.message))
    });
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: &'static str,
    file: String,
    line: usize,
    col: usize,
    message: &'a str,
    help: Option<&'a str>,
}

/// Renders `diags` (already sorted) in `format`.
pub fn render(diags: &[Diagnostic], format: Format) -> String {
    match format {
        Format::Human => {
            let mut out = String::new();
            for d in diags {
                out.push_str(&d.to_string());
                out.push_str("\n\n");
            }
            out
        }
        Format::Json => {
            let items: Vec<_> = diags
                .iter()
                .map(|d| JsonDiagnostic {
                    code: d.code.as_str(),
                    severity: d.severity.as_str(),
                    file: d.file_str(),
                    line: d.pos.line,
                    col: d.pos.col,
                    message: &d.message,
                    help: d.help.as_deref(),
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
            s.push('\n');
            escape::json(s)
        }
        Format::Github => {
            let mut out = String::new();
            for d in diags {
                let mut msg = format!("[{}] {}", d.code.as_str(), d.message);
                if let Some(h) = &d.help {
                    msg.push_str(" (help: ");
                    msg.push_str(h);
                    msg.push(')');
                }
                out.push_str(&format!(
                    "::{} file={},line={},col={}::{}\n",
                    d.severity.as_str(),
                    gh_escape_property(&escape::visible(&d.file_str(), &[])),
                    d.pos.line,
                    d.pos.col,
                    gh_escape_data(&escape::visible(&msg, &['\n']))
                ));
            }
            out
        }
    }
}

/// Workflow-command escaping for the message part (GitHub's `escapeData`); other control characters are
/// made visible before ([`escape`]), since the runner passes them through to the log.
fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow-command escaping for properties (GitHub's `escapeProperty`).
fn gh_escape_property(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The closest of `candidates` to `wanted`, if it is close enough to be a typo.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // Case-blind, and two swapped letters count as one edit (`tsl` is `tls`, not `tcp`).
    let wanted_lower = wanted.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = strsim::osa_distance(&wanted_lower, &c.to_lowercase());
        if d <= (wanted.len() / 3).max(2) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_forgive_case_and_swapped_letters() {
        let stages = ["tcp", "tls", "nla", "session"];
        assert_eq!(did_you_mean("tsl", stages), Some("tls"));
        assert_eq!(did_you_mean("TLS", stages), Some("tls"));
        assert_eq!(did_you_mean("sesion", stages), Some("session"));
        assert_eq!(did_you_mean("licensing", stages), None);
    }

    #[test]
    fn pos_counts_characters_not_bytes() {
        let text = "ab\n€x: y";
        assert_eq!(Pos::at(text, 0), Pos { line: 1, col: 1 });
        assert_eq!(Pos::at(text, 3), Pos { line: 2, col: 1 });
        assert_eq!(Pos::at(text, 6), Pos { line: 2, col: 2 });
    }

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["cause-rdp-cert-expired", "cause-port-blocked"];
        assert_eq!(
            did_you_mean("cause-rdp-cert-expird", ids),
            Some("cause-rdp-cert-expired")
        );
        assert_eq!(did_you_mean("fix-something-else", ids), None);
    }

    #[test]
    fn human_format_matches_contract() {
        let d = Diagnostic::new(
            Code::UnknownRef,
            "content/errors/0x904-0x7.md",
            Pos { line: 12, col: 9 },
            "cause `cause-rdp-cert-expird` does not exist",
        )
        .help("did you mean `cause-rdp-cert-expired`?");
        assert_eq!(
            d.to_string(),
            "error[unknown-ref]: cause `cause-rdp-cert-expird` does not exist\n  --> content/errors/0x904-0x7.md:12:9\nhelp: did you mean `cause-rdp-cert-expired`?"
        );
    }

    #[test]
    fn excerpts_and_notes_are_human_only() {
        let plain = Diagnostic::new(
            Code::DuplicateId,
            "content/causes/b.md",
            Pos { line: 2, col: 5 },
            "id `cause-x` is already used",
        )
        .help("`content/causes/a.md` has the same id; give one of them another id");
        let mut rich = plain.clone().len(7).related(
            "content/causes/a.md",
            Pos { line: 2, col: 5 },
            "the other page with this id",
        );
        rich.detail_mut().source_line = Some("id: cause-x".into());
        for format in [Format::Json, Format::Github] {
            assert_eq!(
                render(std::slice::from_ref(&rich), format),
                render(std::slice::from_ref(&plain), format)
            );
        }
        assert_eq!(
            rich.to_string(),
            "error[duplicate-id]: id `cause-x` is already used\n  --> content/causes/b.md:2:5\n  |\n2 | id: cause-x\n  |     ^^^^^^^\nhelp: `content/causes/a.md` has the same id; give one of them another id\nnote: the other page with this id\n  --> content/causes/a.md:2:5"
        );
    }

    #[test]
    fn github_format_escapes() {
        let d = Diagnostic::new(
            Code::BrokenLink,
            "content/a,b.md",
            Pos { line: 2, col: 3 },
            "50% off\nnow",
        );
        assert_eq!(
            render(&[d], Format::Github),
            "::error file=content/a%2Cb.md,line=2,col=3::[broken-link] 50%25 off%0Anow\n"
        );
    }
}
