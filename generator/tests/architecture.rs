//! The shape of the generator's code, checked the way rust-analyzer's tidy test checks its own: the module
//! order written in ARCHITECTURE.md is the source of truth, and this test fails when an import goes against
//! it, when a source file has no `//!` header saying what it is for, when a file grows past
//! [`MAX_LINES`], or when a diagnostic code has no fixture site that produces it.
//!
//! One crate holds every stage, so Cargo cannot refuse a backward import as it would between crates; this
//! test does it instead. The scan is textual (`crate::name` paths outside comments), which is enough for a
//! crate that spells its imports out.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longer files hide more than one idea; split them by moving whole items to files of their own.
const MAX_LINES: usize = 700;

/// Imports against the order that are known and tracked, as `(from, to, why)`. Each one must still occur
/// (a stale entry fails), so the list only shrinks.
const KNOWN_BACKWARD: &[(&str, &str, &str)] = &[];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, relative to it, with `/` separators, sorted.
fn sources() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(src()) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(src())
                .unwrap_or_else(|e| panic!("{e}"))
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{rel}: {e}"));
            out.push((rel, text));
        }
    }
    out.sort();
    out
}

/// The module a file belongs to: `load/page.rs` -> `load`, `diag.rs` -> `diag`; `None` for the crate roots.
fn module_of(rel: &str) -> Option<&str> {
    match rel.split_once('/') {
        Some((dir, _)) => Some(dir),
        None => match rel.strip_suffix(".rs") {
            Some("lib" | "main") | None => None,
            Some(name) => Some(name),
        },
    }
}

/// The order from ARCHITECTURE.md: its one line `order: a < b < c`, lowest first.
fn order() -> Vec<String> {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../ARCHITECTURE.md"))
            .unwrap_or_else(|e| panic!("ARCHITECTURE.md: {e}"));
    let lines: Vec<&str> = doc
        .lines()
        .filter_map(|l| l.trim().strip_prefix("order: "))
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "ARCHITECTURE.md must have exactly one `order: a < b < ...` line (the module order)"
    );
    lines[0].split('<').map(|m| m.trim().to_string()).collect()
}

/// `text` without its comments (`//` to the end of a line, outside string literals, and `/* */`), so a
/// module named in a doc comment is not an import.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let (mut in_str, mut line_comment, mut block) = (false, false, 0usize);
    while let Some(c) = chars.next() {
        if line_comment {
            if c == '\n' {
                line_comment = false;
                out.push('\n');
            }
        } else if block > 0 {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                block -= 1;
            } else if c == '\n' {
                out.push('\n');
            }
        } else if in_str {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                in_str = false;
            }
        } else if c == '/' && chars.peek() == Some(&'/') {
            line_comment = true;
        } else if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            block += 1;
        } else {
            // A `'"'` char literal is not the start of a string.
            if c == '"' && !out.ends_with('\'') {
                in_str = true;
            }
            out.push(c);
        }
    }
    out
}

/// The top-level modules a file names through `crate::`, with the 1-based line of each: `crate::load::Page`,
/// `crate::{diag, load}`, `$crate::cli`.
fn imports(text: &str) -> Vec<(String, usize)> {
    let code = code_only(text);
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let before = rest[..i].chars().next_back();
            rest = &rest[i + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `fixbook_crate::`, not this crate
            }
            if let Some(group) = rest.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or("");
                for item in group.split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.push((name, n + 1));
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push((name, n + 1));
                }
            }
        }
    }
    out
}

/// Imports that go against `order`: `(file:line, from, to)`, for modules both in the order.
fn backward(order: &[String], files: &[(String, String)]) -> Vec<(String, String, String)> {
    let rank: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let mut out = Vec::new();
    for (rel, text) in files {
        let Some(from) = module_of(rel) else { continue };
        for (to, line) in imports(text) {
            if let (Some(f), Some(t)) = (rank.get(from), rank.get(to.as_str())) {
                if t > f {
                    out.push((format!("src/{rel}:{line}"), from.to_string(), to));
                }
            }
        }
    }
    out
}

#[test]
fn imports_follow_the_module_order_of_architecture_md() {
    let order = order();
    let files = sources();
    // Every module is placed, and the order names no module that is gone.
    let modules: BTreeSet<&str> = files.iter().filter_map(|(rel, _)| module_of(rel)).collect();
    let listed: BTreeSet<&str> = order.iter().map(String::as_str).collect();
    let unplaced: Vec<_> = modules.difference(&listed).collect();
    let gone: Vec<_> = listed.difference(&modules).collect();
    assert!(
        unplaced.is_empty() && gone.is_empty(),
        "ARCHITECTURE.md's `order:` line and generator/src disagree: not placed {unplaced:?}, \
         no such module {gone:?}"
    );
    let found = backward(&order, &files);
    let mut problems = Vec::new();
    for (at, from, to) in &found {
        if !KNOWN_BACKWARD.iter().any(|(f, t, _)| f == from && t == to) {
            problems.push(format!(
                "{at}: `{from}` imports `crate::{to}`, but {to} comes after {from} in ARCHITECTURE.md's \
                 order ({}); move what {from} needs below it, or pass it in",
                order.join(" < ")
            ));
        }
    }
    for (from, to, _) in KNOWN_BACKWARD {
        if !found.iter().any(|(_, f, t)| f == from && t == to) {
            problems.push(format!(
                "`{from}` no longer imports `{to}`: remove the entry from KNOWN_BACKWARD"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_import_scanner_sees_paths_groups_and_macros_but_not_comments() {
    let text = "//! See `crate::serve`.\nuse crate::{diag, load::Page};\nfn f() { crate::write::x(); }\n\
                /* crate::pipeline */ let s = \"crate::cli\"; // crate::model\n$crate::cli::emit();\n";
    let names: Vec<(String, usize)> = imports(text);
    let expect = [
        ("diag", 2),
        ("load", 2),
        ("write", 3),
        ("cli", 4),
        ("cli", 5),
    ];
    assert_eq!(
        names,
        expect
            .iter()
            .map(|(n, l)| (n.to_string(), *l))
            .collect::<Vec<_>>()
    );
    let order: Vec<String> = ["diag", "load", "write"].map(String::from).to_vec();
    let files = vec![(
        "load/page.rs".to_string(),
        "use crate::write::Staging;".to_string(),
    )];
    assert_eq!(
        backward(&order, &files),
        vec![("src/load/page.rs:1".into(), "load".into(), "write".into())]
    );
}

#[test]
fn every_source_file_starts_with_a_module_doc() {
    let missing: Vec<String> = sources()
        .into_iter()
        .filter(|(_, text)| !text.trim_start().starts_with("//!"))
        .map(|(rel, _)| rel)
        .collect();
    assert!(
        missing.is_empty(),
        "these files do not start with a `//!` comment saying what they are for and why: {missing:?}"
    );
}

#[test]
fn no_source_file_is_longer_than_the_limit() {
    let mut problems = Vec::new();
    for (rel, text) in sources() {
        let lines = text.lines().count();
        if lines > MAX_LINES {
            problems.push(format!(
                "src/{rel} has {lines} lines (limit {MAX_LINES}): move whole items to a file of their own"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// The kebab-case names of `diag::Code`'s variants, read from `Code::as_str` in diag.rs.
fn diagnostic_codes() -> BTreeSet<String> {
    let text = std::fs::read_to_string(src().join("diag.rs")).unwrap_or_else(|e| panic!("{e}"));
    let names: BTreeSet<String> = text
        .lines()
        .filter_map(|l| {
            let (_, name) = l.trim().strip_prefix("Code::")?.split_once(" => \"")?;
            Some(name.strip_suffix("\",")?.to_string())
        })
        .collect();
    assert!(
        names.len() > 20,
        "could not read Code::as_str in diag.rs: {names:?}"
    );
    names
}

#[test]
fn every_diagnostic_code_has_a_bad_fixture_that_produces_it() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut produced: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(&fixtures).unwrap_or_else(|e| panic!("{e}")) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with("bad-") {
            continue;
        }
        let out = common::fixbook(&entry.path(), &["check", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: {e}\n{}", common::stderr(&out)));
        for d in json
            .as_array()
            .unwrap_or_else(|| panic!("{name}: not an array"))
        {
            let code = d["code"].as_str().unwrap_or_else(|| panic!("{name}: {d}"));
            produced
                .entry(code.to_string())
                .or_default()
                .push(name.clone());
        }
    }
    let missing: Vec<String> = diagnostic_codes()
        .into_iter()
        .filter(|c| !produced.contains_key(c))
        .collect();
    assert!(
        missing.is_empty(),
        "no fixture under tests/fixtures/bad-* produces {missing:?}: add one with make_bad.py"
    );
}
