//! Hand-written highlighting for the three languages every fix page quotes: PowerShell, Command Prompt and
//! `.reg` files.
//!
//! ## Why by hand
//! These are the hot path: the 10,000-page benchmark corpus has 25,364 such blocks, and VS Code's TextMate
//! grammars (see `textmate.rs`) took its build from 5.5 s to 13.2 s (2.4x, medians of 3 side by side), far
//! over the 10% a highlighter may cost. A few token classes per language, written here, cost nothing
//! measurable. Every other language goes to the grammars.

use super::{escape_into, span};

pub(super) fn highlight(lang: &str, code: &str) -> Option<String> {
    Some(match lang.to_ascii_lowercase().as_str() {
        "powershell" | "ps" | "ps1" | "pwsh" => powershell(code),
        "cmd" | "bat" | "batch" | "bat-script" => cmd(code),
        "reg" | "registry" => reg(code),
        _ => return None,
    })
}

const PS_KEYWORDS: &[&str] = &[
    "begin", "break", "catch", "continue", "do", "else", "elseif", "end", "exit", "filter",
    "finally", "for", "foreach", "function", "if", "in", "param", "process", "return", "switch",
    "throw", "trap", "try", "until", "while",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == '.' || c == ':' || c == '\\'
}

/// Byte length of a string literal starting at `s[0]` (a quote), including the closing quote if present.
fn string_len(s: &str, quote: char, escape: Option<char>) -> usize {
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        if Some(c) == escape {
            chars.next();
        } else if c == quote {
            return i + c.len_utf8();
        }
    }
    s.len()
}

fn powershell(code: &str) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    let mut rest = code;
    let mut line_start = true;
    while let Some(c) = rest.chars().next() {
        let len = if rest.starts_with("<#") {
            let n = rest.find("#>").map_or(rest.len(), |i| i + 2);
            span(&mut out, "hl-c", &rest[..n]);
            n
        } else if c == '#' {
            let n = rest.find('\n').unwrap_or(rest.len());
            span(&mut out, "hl-c", &rest[..n]);
            n
        } else if c == '"' || c == '\'' {
            let n = string_len(rest, c, if c == '"' { Some('`') } else { None });
            span(&mut out, "hl-s", &rest[..n]);
            n
        } else if c == '$' {
            let n = 1 + rest[1..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len() - 1);
            span(&mut out, "hl-v", &rest[..n]);
            n
        } else if c == '-'
            && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic())
            && !line_start
        {
            let n = 1 + rest[1..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len() - 1);
            span(&mut out, "hl-p", &rest[..n]);
            n
        } else if c.is_ascii_digit() {
            let n = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                .unwrap_or(rest.len());
            span(&mut out, "hl-n", &rest[..n]);
            n
        } else if c.is_alphabetic() {
            let n = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
            let word = &rest[..n];
            let lower = word.to_ascii_lowercase();
            if PS_KEYWORDS.contains(&lower.as_str()) {
                span(&mut out, "hl-k", word);
            } else if is_cmdlet(word) {
                span(&mut out, "hl-f", word);
            } else {
                escape_into(&mut out, word);
            }
            n
        } else {
            let n = c.len_utf8();
            escape_into(&mut out, &rest[..n]);
            n
        };
        line_start = match c {
            '\n' | '|' | ';' | '(' | '{' => true,
            ' ' | '\t' => line_start,
            _ => false,
        };
        rest = &rest[len..];
    }
    out
}

/// `Verb-Noun` with both parts starting with a letter, as cmdlets are named.
fn is_cmdlet(word: &str) -> bool {
    match word.split_once('-') {
        Some((verb, noun)) => {
            verb.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && noun.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && !noun.contains(['\\', ':'])
        }
        None => false,
    }
}

const CMD_KEYWORDS: &[&str] = &[
    "call", "cd", "do", "echo", "else", "exit", "for", "goto", "if", "in", "not", "set",
    "setlocal", "start",
];

fn cmd(code: &str) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    for (i, line) in code.split_inclusive('\n').enumerate() {
        let _ = i;
        let trimmed = line.trim_start();
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("rem ") || lower == "rem\n" || trimmed.starts_with("::") {
            let indent = &line[..line.len() - trimmed.len()];
            out.push_str(indent);
            let body = trimmed.trim_end_matches('\n');
            span(&mut out, "hl-c", body);
            if trimmed.ends_with('\n') {
                out.push('\n');
            }
            continue;
        }
        let mut rest = line;
        let mut first_word = true;
        while let Some(c) = rest.chars().next() {
            let len = if c == '"' {
                let n = string_len(rest, '"', None);
                span(&mut out, "hl-s", &rest[..n]);
                n
            } else if c == '%' {
                let n = rest[1..].find('%').map_or(1, |i| i + 2);
                if n > 1 {
                    span(&mut out, "hl-v", &rest[..n]);
                } else {
                    out.push('%');
                }
                n
            } else if c == '/'
                && rest[1..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '?')
            {
                let n = 1 + rest[1..]
                    .find(|c: char| c.is_whitespace() || c == '"')
                    .unwrap_or(rest.len() - 1);
                span(&mut out, "hl-p", &rest[..n]);
                n
            } else if c.is_alphanumeric() {
                let n = rest
                    .find(|c: char| {
                        c.is_whitespace() || c == '"' || c == '|' || c == '&' || c == '>'
                    })
                    .unwrap_or(rest.len());
                let word = &rest[..n];
                if CMD_KEYWORDS.contains(&word.to_ascii_lowercase().as_str()) {
                    span(&mut out, "hl-k", word);
                } else if first_word {
                    span(&mut out, "hl-f", word);
                } else {
                    escape_into(&mut out, word);
                }
                first_word = false;
                n
            } else {
                if c == '|' || c == '&' {
                    first_word = true;
                }
                let n = c.len_utf8();
                escape_into(&mut out, &rest[..n]);
                n
            };
            rest = &rest[len..];
        }
    }
    out
}

fn reg(code: &str) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    for line in code.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let eol = &line[content.len()..];
        let t = content.trim_start();
        let indent = &content[..content.len() - t.len()];
        out.push_str(indent);
        if t.starts_with(';') {
            span(&mut out, "hl-c", t);
        } else if t.starts_with('[') {
            span(&mut out, "hl-h", t);
        } else if t.starts_with("Windows Registry Editor") || t.starts_with("REGEDIT") {
            span(&mut out, "hl-m", t);
        } else if let Some(eq) = find_assignment(t) {
            let (name, value) = t.split_at(eq);
            span(
                &mut out,
                if name.starts_with('"') {
                    "hl-p"
                } else {
                    "hl-k"
                },
                name,
            );
            out.push('=');
            let value = &value[1..];
            if value.starts_with('"') {
                span(&mut out, "hl-s", value);
            } else if let Some((ty, data)) = value.split_once(':') {
                span(&mut out, "hl-k", ty);
                out.push(':');
                span(&mut out, "hl-n", data);
            } else {
                escape_into(&mut out, value);
            }
        } else {
            escape_into(&mut out, t);
        }
        out.push_str(eol);
    }
    out
}

/// Byte index of the `=` that separates a value's name from its data (outside the quoted name).
fn find_assignment(t: &str) -> Option<usize> {
    if let Some(rest) = t.strip_prefix('"') {
        let close = string_len(t, '"', Some('\\'));
        let _ = rest;
        return t[close..].starts_with('=').then_some(close);
    }
    t.starts_with('@').then(|| t.find('=')).flatten()
}

#[cfg(test)]
mod tests {
    use super::super::highlight;

    #[test]
    fn powershell_tokens() {
        let h = highlight(
            "powershell",
            "Restart-Service TermService -Force # now\n$x = 'a'",
        );
        assert_eq!(
            h,
            "<span class=\"hl-f\">Restart-Service</span> TermService <span class=\"hl-p\">-Force</span> \
<span class=\"hl-c\"># now</span>\n<span class=\"hl-v\">$x</span> = <span class=\"hl-s\">'a'</span>"
        );
    }

    #[test]
    fn cmd_tokens() {
        let h = highlight("cmd", "reg query \"HKLM\\X\" /v PortNumber\nrem done");
        assert_eq!(
            h,
            "<span class=\"hl-f\">reg</span> query <span class=\"hl-s\">&quot;HKLM\\X&quot;</span> \
<span class=\"hl-p\">/v</span> PortNumber\n<span class=\"hl-c\">rem done</span>"
        );
    }

    #[test]
    fn reg_tokens() {
        let h = highlight(
            "reg",
            "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\X]\n\"fDenyTSConnections\"=dword:00000000\n",
        );
        assert!(h.contains("<span class=\"hl-m\">Windows Registry Editor Version 5.00</span>"));
        assert!(h.contains("<span class=\"hl-h\">[HKEY_LOCAL_MACHINE\\X]</span>"));
        assert!(h.contains("<span class=\"hl-p\">&quot;fDenyTSConnections&quot;</span>=<span class=\"hl-k\">dword</span>:<span class=\"hl-n\">00000000</span>"));
    }
}
