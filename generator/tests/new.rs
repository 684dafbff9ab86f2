//! `fixbook new`: each kind of page is rejected by `check` while placeholders remain, and accepted once
//! they are filled (here, programmatically, with ids and codes of the good-site fixture).

// A failed expectation in a test is a panic.
#![allow(clippy::panic)]

mod common;

use std::path::Path;

use common::{copy_dir, fixbook, fixture, stderr, stdout};

const PLACEHOLDER: &str = "TODO(fixbook)";

/// Fills the placeholders of a new page the way a contributor would: each by what its line asks for.
fn fill(text: &str) -> String {
    text.replace("scheme: TODO(fixbook)", "scheme: disconnect")
        .replace("value: TODO(fixbook)", "value: 0x204")
        .replace("- id: TODO(fixbook)", "- id: cause-port-blocked")
        .replace(
            "  - TODO(fixbook)\n",
            "  - fix-renew-cert#replace-the-certificate\n",
        )
        .replace(
            "https://TODO(fixbook)",
            "https://learn.microsoft.com/en-us/troubleshoot/",
        )
        // An example is a paste with the evidence the cause's signal looks for.
        .replace(
            "paste: \"TODO(fixbook) a ",
            "paste: \"Written a phrase that appears in a paste when this is the cause, a ",
        )
        .replace("stage: TODO(fixbook)", "stage: tls")
        .replace(PLACEHOLDER, "Written")
}

fn site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_dir(&fixture("good-site"), tmp.path());
    tmp
}

#[track_caller]
fn check_new(kind: &str, slug: &str, extra: &[&str], expect_path: &str) {
    let tmp = site();
    let root = tmp.path();
    let mut args = vec!["new", kind, slug];
    args.extend_from_slice(extra);
    let out = fixbook(root, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{expect_path}\n"));
    let path = root.join(expect_path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        text.starts_with(&format!("---\nid: {kind}-{slug}\nkind: {kind}\n")),
        "{text}"
    );

    // Rejected while placeholders remain: one error per placeholder, each at its line.
    let out = fixbook(root, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let placeholders = text.matches(PLACEHOLDER).count();
    assert!(placeholders > 0);
    assert_eq!(
        err.matches("error[placeholder]").count(),
        placeholders,
        "{err}"
    );
    assert!(err.contains(&format!("--> {expect_path}:")), "{err}");
    assert!(err.contains("left from `fixbook new`"), "{err}");
    let gh = stdout(&fixbook(root, &["check", "--format", "github"]));
    assert!(
        gh.contains(&format!("::error file={expect_path},line=")),
        "{gh}"
    );

    // Never overwrites.
    let again = fixbook(root, &args);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), text);

    // Accepted once filled.
    std::fs::write(&path, fill(&text)).unwrap_or_else(|e| panic!("{e}"));
    let out = fixbook(root, &["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        fill(&text),
        stderr(&out)
    );
    let built = fixbook(
        root,
        &["build", "--output", &root.join("public").to_string_lossy()],
    );
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let section_slug = Path::new(expect_path)
        .strip_prefix("content")
        .unwrap_or_else(|e| panic!("{e}"))
        .with_extension("");
    assert!(root
        .join("public")
        .join(section_slug)
        .join("index.html")
        .is_file());
}

#[test]
fn new_error() {
    check_new("error", "0x204", &[], "content/errors/0x204.md");
}

#[test]
fn new_cause() {
    check_new(
        "cause",
        "nla-required",
        &["--title", "NLA is required: the client cannot do it"],
        "content/causes/nla-required.md",
    );
}

/// On a site that declares connection stages, a new cause asks for its stage (listing them) and for two
/// examples; `check` reports each as a placeholder, not as an unknown stage or a failing example.
#[test]
fn a_new_cause_asks_for_its_stage_and_two_examples() {
    let tmp = site();
    let root = tmp.path();
    let toml = root.join("site.toml");
    let conf = std::fs::read_to_string(&toml).unwrap_or_default();
    std::fs::write(
        &toml,
        format!("{conf}\n[[checker.stages]]\nid = \"tcp\"\nlabel = \"TCP\"\n\n[[checker.stages]]\nid = \"tls\"\nlabel = \"TLS\"\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fixbook(root, &["check"]).status.code(), Some(0));
    let out = fixbook(root, &["new", "cause", "staged"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(root.join("content/causes/staged.md")).unwrap_or_default();
    assert!(
        text.contains("stage: TODO(fixbook)  # where the connection fails: one of tcp, tls\n"),
        "{text}"
    );
    assert_eq!(
        text.matches("  - paste: \"TODO(fixbook)").count(),
        2,
        "{text}"
    );
    let err = stderr(&fixbook(root, &["check"]));
    assert_eq!(
        err.matches("error[").count(),
        text.matches(PLACEHOLDER).count(),
        "{err}"
    );
    assert!(
        !err.contains("not declared") && !err.contains("example-mismatch"),
        "{err}"
    );
    std::fs::write(root.join("content/causes/staged.md"), fill(&text)).unwrap_or_default();
    let out = fixbook(root, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn new_fix() {
    check_new("fix", "open-port", &[], "content/fixes/open-port.md");
}

#[test]
fn new_guide_in_another_section() {
    check_new(
        "guide",
        "first-steps",
        &["--section", "howto"],
        "content/howto/first-steps.md",
    );
}

#[test]
fn bad_names_are_usage_errors() {
    let tmp = site();
    for args in [
        &["new", "guide", "Not A Slug"][..],
        &["new", "guide", "../escape"],
        &["new", "guide", "ok", "--section", "codes"],
        &["new", "guide", "ok", "--section", "a/b"],
    ] {
        let out = fixbook(tmp.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains("is not a valid"), "{}", stderr(&out));
    }
    assert!(!tmp.path().join("content/guides/ok.md").exists());
}
