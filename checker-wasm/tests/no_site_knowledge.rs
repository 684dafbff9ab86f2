//! "Engine text is content": the engine's code holds no knowledge of one site. Which port, which event
//! provider, which command to run come from the knowledge index, so another knowledge base built with
//! fixbook is never told to run an RDP command. Tests may name them: they use the RDP fixture index.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

/// The part of a source file that is not a test: everything before its first `#[cfg(test)]`.
fn non_test_part(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |i| &text[..i])
}

#[test]
fn engine_code_names_no_rdp_port_provider_or_command() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    let mut files = 0;
    for entry in walk(&src) {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        if entry.extension().is_none_or(|e| e != "rs")
            || name.ends_with("_tests.rs")
            || name == "testing.rs"
        {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&entry).unwrap();
        for (n, line) in non_test_part(&text).lines().enumerate() {
            for word in ["3389", "Schannel", "Test-NetConnection"] {
                if line.contains(word) {
                    offenders.push(format!("{}:{}: {word}", entry.display(), n + 1));
                }
            }
        }
    }
    assert!(
        files > 10,
        "only {files} source files found under {}",
        src.display()
    );
    assert!(
        offenders.is_empty(),
        "site knowledge in engine code:\n{}",
        offenders.join("\n")
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
