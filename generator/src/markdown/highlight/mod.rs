//! Build-time syntax highlighting, as classes only (`<span class="hl-...">`), so pages run under
//! `style-src 'self'` and the theme's CSS owns the colours in light and dark.
//!
//! PowerShell, Command Prompt and `.reg` (nearly every block of a fix page) are highlighted by hand in
//! `hand.rs`, because they must be fast; every other language goes to VS Code's TextMate grammars in
//! `textmate.rs`. Unknown languages are escaped and left plain.
//!
//! Classes: `hl-c` comment, `hl-s` string, `hl-v` variable, `hl-k` keyword, `hl-f` command, cmdlet or
//! function, `hl-p` parameter, operator or key, `hl-n` number, `hl-h` section, key or tag (a `.reg` key, an
//! INI section, an XML tag), `hl-m` meta line (the `.reg` header, a shebang).

mod hand;
mod textmate;

/// The classes by number; `textmate.rs`'s scope theme names them by index (0: default text).
const CLASSES: [&str; 10] = [
    "", "hl-c", "hl-s", "hl-v", "hl-k", "hl-f", "hl-p", "hl-n", "hl-h", "hl-m",
];

/// Escapes `<`, `>`, `&` and `"` for HTML text and attribute values.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(&mut out, s);
    out
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

fn span(out: &mut String, class: &str, text: &str) {
    out.push_str("<span class=\"");
    out.push_str(class);
    out.push_str("\">");
    escape_into(out, text);
    out.push_str("</span>");
}

/// What a reader calls the language of a fenced block, shown above it; `None` for no language or plain text
/// (an unknown language is shown as written, so a reader still learns what it is).
pub(crate) fn language_name(lang: &str) -> Option<&str> {
    Some(match lang.to_ascii_lowercase().as_str() {
        "" | "text" | "txt" | "plain" | "console" | "output" => return None,
        "powershell" | "ps" | "ps1" | "pwsh" => "PowerShell",
        "cmd" | "bat" | "batch" | "bat-script" => "Command Prompt",
        "azurecli" | "azure-cli" | "az" => "Azure CLI",
        "bash" => "Bash",
        "sh" | "shell" => "Shell",
        "reg" | "registry" => "Registry file (.reg)",
        "ini" => "INI",
        "xml" => "XML",
        "yaml" | "yml" => "YAML",
        "json" => "JSON",
        "toml" => "TOML",
        "pem" => "PEM",
        _ => lang,
    })
}

/// Highlights `code` written in `lang`; returns escaped HTML.
pub fn highlight(lang: &str, code: &str) -> String {
    hand::highlight(lang, code)
        .or_else(|| textmate::highlight(lang, code))
        .unwrap_or_else(|| escape_html(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of highlighted HTML: spans dropped and entities decoded, to compare with the source.
    fn text_of(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            out.push_str(&rest[..i]);
            rest = &rest[rest[i..].find('>').map_or(rest.len(), |j| i + j + 1)..];
        }
        out.push_str(rest);
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    #[test]
    fn languages_the_content_is_about_to_use_are_highlighted() {
        for (lang, code, class) in [
            ("bash", "xfreerdp /v:host # connect", "hl-c"),
            ("azurecli", "az vm restart -g rg -n vm", "hl-f"),
            ("ini", "[Globals]\nport=3389", "hl-h"),
            ("xml", "<Event><System/></Event>", "hl-h"),
            ("yaml", "stage: tls # why", "hl-c"),
            ("json", "{\"port\": 3389}", "hl-n"),
        ] {
            let h = highlight(lang, code);
            assert!(h.contains(&format!("class=\"{class}\"")), "{lang}: {h}");
            assert_eq!(text_of(&h), code, "{lang}");
        }
    }

    #[test]
    fn highlighting_never_changes_the_text() {
        let samples = [
            (
                "powershell",
                "Get-Item 'HKLM:\\SYSTEM' | % { $_.Name -eq \"<x>\" } & echo\n\n",
            ),
            ("cmd", "set X=%PATH% & echo \"a<b\" > out.txt\r\nREM end"),
            ("reg", "[-HKEY_CURRENT_USER\\X]\n\"A\"=hex:01,02,\\\n  03"),
            ("json", "{\"a\": [1, \"<&>\"], \"b\": null"),
            ("bash", "echo \"$HOME\" && cat <<EOF\nx < y\nEOF\r\n"),
        ];
        for (lang, code) in samples {
            assert_eq!(
                text_of(&highlight(lang, code)).replace("\r\n", "\n"),
                code.replace("\r\n", "\n"),
                "{lang}"
            );
        }
    }

    #[test]
    fn unknown_languages_are_only_escaped() {
        assert_eq!(highlight("text", "<b>&"), "&lt;b&gt;&amp;");
        assert_eq!(highlight("klingon", "<b>&"), "&lt;b&gt;&amp;");
    }
}
