//! Highlighting through VS Code's TextMate grammars (`giallo`, the highlighter Zola uses), with token classes
//! instead of colours: bash and other shells, Azure CLI, INI, XML, YAML, JSON, TOML, and any language added
//! to [`grammar`] that `giallo` ships (shiki's curated set of 220+).
//!
//! ## Why this shape
//! `giallo`'s HTML renderer emits inline styles or one class per theme colour; pages run under
//! `style-src 'self'` and the theme owns the palette (light and dark, contrast-checked by axe), so the tokens
//! are rendered here with the module's semantic classes. The scope-to-class table is a TextMate theme
//! (`scopes.json`) whose colours are class numbers: TextMate's own scope selection (the most specific rule
//! wins) decides the class, and no scope matching is written here. The grammars load once per process, on the
//! first block that needs them (about 0.15 s), so a site without such blocks never pays for them.

use std::sync::OnceLock;

use giallo::{HighlightOptions, Registry, Style, ThemeVariant};

use super::{escape_into, span, CLASSES};

/// The TextMate theme that maps scopes to classes: colour `#00000N` is class N of [`CLASSES`].
const SCOPES_THEME: &str = include_str!("scopes.json");
const SCOPES_THEME_NAME: &str = "fixbook-classes";

/// The grammar for a fence's language, or `None` when there is none (the block is shown plain).
fn grammar(lang: &str) -> Option<&'static str> {
    Some(match lang.to_ascii_lowercase().as_str() {
        // Azure CLI snippets are shell command lines (`az ...`); Microsoft's docs highlight them as such.
        "bash" | "sh" | "shell" | "zsh" | "azurecli" | "azure-cli" | "az" => "shellscript",
        "ini" => "ini",
        "xml" => "xml",
        "yaml" | "yml" => "yaml",
        "json" => "json",
        "toml" => "toml",
        _ => return None,
    })
}

fn registry() -> Option<&'static Registry> {
    static REGISTRY: OnceLock<Option<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(load_registry).as_ref()
}

fn load_registry() -> Option<Registry> {
    let mut registry = Registry::builtin().ok()?;
    // giallo 0.5 reads themes only from a file: ours goes through a private temporary file.
    let path = std::env::temp_dir().join(format!("fixbook-highlight-{}.json", std::process::id()));
    let loaded = std::fs::write(&path, SCOPES_THEME).and_then(|()| {
        registry
            .add_theme_from_path(&path)
            .map_err(std::io::Error::other)
    });
    let _ = std::fs::remove_file(&path);
    loaded.ok()?;
    registry.link_grammars();
    Some(registry)
}

/// Highlighted HTML for `code`, or `None` when `lang` has no grammar (or the grammars could not load: a
/// block is then shown plain rather than failing the build).
pub(super) fn highlight(lang: &str, code: &str) -> Option<String> {
    let grammar = grammar(lang)?;
    let options = HighlightOptions::new(grammar, ThemeVariant::Single(SCOPES_THEME_NAME))
        .merge_whitespace(false);
    let highlighted = registry()?.highlight(code, &options).ok()?;
    let mut out = String::with_capacity(code.len() * 2);
    for (i, line) in highlighted.tokens.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for token in line {
            match class_of(&token.style) {
                Some(class) => span(&mut out, class, &token.text),
                None => escape_into(&mut out, &token.text),
            }
        }
    }
    Some(out)
}

/// The class a token's theme colour stands for (`#00000N`), or `None` for default text.
fn class_of(style: &ThemeVariant<Style>) -> Option<&'static str> {
    let ThemeVariant::Single(style) = style else {
        return None;
    };
    let hex = style.foreground.as_hex();
    let n = hex.strip_prefix("#00000")?;
    let n = usize::from(u8::from_str_radix(n, 16).ok()?);
    CLASSES.get(n).copied().filter(|c| !c.is_empty())
}
