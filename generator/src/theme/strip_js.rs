//! Scripts are written without their comment lines and indentation, as stylesheets are without their
//! comments ([`super::minify_css`]): the theme's and the checker's JavaScript explain themselves in their
//! source, and a reader downloads none of it. `fixbook.js` goes from 6.7 to 4.6 KB gzipped on every page,
//! the checker's front end (fetched twice: by the page and as its worker) from 4.8 to 3.0 KB.
//!
//! Deliberately conservative, line by line, so that it cannot change what a script does: a line that is a
//! `//` comment goes, as does a `/* ... */` block that starts a line and ends one; every other line loses
//! only its leading and trailing white space, and stays a line (so automatic semicolon insertion, which
//! works on line breaks, reads the same script). A file with a multi-line template literal (a line with an
//! odd number of backticks) or a string continued with `\` at a line's end is written as it is: there a
//! line that looks like a comment, or its indentation, may be text. A full minifier (esbuild, terser) would
//! save more and bring a JavaScript toolchain or a large dependency.

/// `src` without its comment lines and indentation, or `None` when the file is written as it is (see the
/// module's comment).
pub(crate) fn strip_js(src: &str) -> Option<String> {
    let unsafe_line = |l: &str| l.matches('`').count() % 2 == 1 || l.trim_end().ends_with('\\');
    if src.lines().any(unsafe_line) {
        return None;
    }
    let mut out = String::with_capacity(src.len());
    let mut in_block = false;
    for line in src.lines() {
        let t = line.trim();
        if in_block {
            if t.contains("*/") {
                in_block = false;
                if !t.ends_with("*/") {
                    // Code after a block comment's end on its line: keep the file as it is.
                    return None;
                }
            }
            continue;
        }
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        if t.starts_with("/*") {
            match t.find("*/") {
                Some(end) if end + 2 == t.len() => continue,
                Some(_) => {}
                None => {
                    in_block = true;
                    continue;
                }
            }
        }
        out.push_str(t);
        out.push('\n');
    }
    (!in_block).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::strip_js;

    #[test]
    fn comment_lines_and_indentation_go_and_code_stays_line_by_line() {
        let src = "// The box.\n/**\n * Mounts it.\n */\nexport function f(a) {\n  // why\n  const u = \"http://x\"; // kept: not a line\n  /* one line */\n  return a\n    + 1;\n}\n";
        assert_eq!(
            strip_js(src).as_deref(),
            Some("export function f(a) {\nconst u = \"http://x\"; // kept: not a line\nreturn a\n+ 1;\n}\n")
        );
    }

    #[test]
    fn a_file_where_a_line_may_be_text_is_kept_as_it_is() {
        // A template literal over lines: its `// not a comment` is text.
        assert_eq!(strip_js("const t = `a\n// not a comment\n  b`;\n"), None);
        // A string continued on the next line.
        assert_eq!(strip_js("const s = \"a\\\n  // b\";\n"), None);
        // Code after a block comment's end, and a block that never ends.
        assert_eq!(strip_js("/* a\n b */ f();\n"), None);
        assert_eq!(strip_js("f();\n/* a\n"), None);
        // Template literals on one line are fine.
        assert_eq!(
            strip_js("  const t = `a ${b}`; // x\n").as_deref(),
            Some("const t = `a ${b}`; // x\n")
        );
    }

    #[test]
    fn the_shipped_scripts_are_stripped() {
        for (name, src) in [
            (
                "fixbook.js",
                include_str!("../../../themes/default/static/fixbook.js"),
            ),
            (
                "search.js",
                include_str!("../../../themes/default/static/search.js"),
            ),
            (
                "nav.js",
                include_str!("../../../themes/default/static/nav.js"),
            ),
            (
                "checker_ui.js",
                include_str!("../../../checker-wasm/js/checker_ui.js"),
            ),
        ] {
            let out = strip_js(src).unwrap_or_else(|| panic!("{name} is kept as it is"));
            assert!(
                out.len() < src.len() * 4 / 5,
                "{name}: {} -> {}",
                src.len(),
                out.len()
            );
            // Every line of code is still there, in order.
            let code: Vec<&str> = out.lines().collect();
            let mut source = src.lines().map(str::trim);
            for l in &code {
                assert!(source.any(|s| s == *l), "{name}: {l}");
            }
        }
    }
}
