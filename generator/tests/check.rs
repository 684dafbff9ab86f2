//! `fixbook check` on fixture sites: exit codes and the exact `path:line:col` of each error.

mod common;

use common::{copy_dir, fixbook, fixture, stderr, stdout};

/// Each error's code and `file:line:col`, from `check`'s human output, in order.
fn codes_and_locations(err: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = err.lines().collect();
    let mut found = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(rest) = l.strip_prefix("error[") {
            let code = rest.split(']').next().unwrap_or("");
            let loc = lines
                .get(i + 1)
                .and_then(|n| n.trim().strip_prefix("--> "))
                .unwrap_or("");
            found.push((code.to_string(), loc.to_string()));
        }
    }
    found
}

/// Runs `check` on a fixture and asserts exit code 1 and exactly these `(code, location)` pairs, in order.
#[track_caller]
fn expect_errors(name: &str, expected: &[(&str, &str)]) {
    let out = fixbook(&fixture(name), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{name}: exit code\n{err}");
    let found = codes_and_locations(&err);
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect();
    assert_eq!(found, expected, "{name}:\n{err}");
    assert!(
        err.contains("help: "),
        "{name}: every diagnostic says what to do\n{err}"
    );
}

#[test]
fn good_site_has_no_problems() {
    let out = fixbook(&fixture("good-site"), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "no problems found\n");
}

#[test]
fn duplicate_id() {
    expect_errors(
        "bad-duplicate-id",
        &[
            ("duplicate-id", "content/causes/port-blocked.md:2:5"),
            // The renamed page's old id is now unresolved where it is used.
            ("unknown-ref", "content/codes/disconnect.yaml:11:14"),
            ("unknown-ref", "content/errors/0x904.md:14:9"),
        ],
    );
}

#[test]
fn unknown_cause_reference_suggests_the_close_id() {
    expect_errors(
        "bad-unknown-ref",
        &[("unknown-ref", "content/errors/0x904.md:12:9")],
    );
    let err = stderr(&fixbook(&fixture("bad-unknown-ref"), &["check"]));
    assert!(
        err.contains("help: did you mean `cause-cert-expired`?"),
        "{err}"
    );
}

#[test]
fn old_id_after_a_rename_names_the_file_and_its_new_id() {
    expect_errors(
        "bad-renamed-id",
        &[
            ("unknown-ref", "content/codes/event.yaml:9:14"),
            ("unknown-ref", "content/errors/0x904.md:12:9"),
        ],
    );
    let err = stderr(&fixbook(&fixture("bad-renamed-id"), &["check"]));
    let help = "help: `content/causes/cert-expired.md` now has id `cause-listener-cert-expired`: \
                refer to `cause-listener-cert-expired`, or give the page its old id back";
    assert_eq!(err.matches(help).count(), 2, "{err}");
}

#[test]
fn unknown_fix_step() {
    expect_errors(
        "bad-unknown-fix-step",
        &[("broken-anchor", "content/causes/cert-expired.md:13:24")],
    );
}

#[test]
fn unknown_cause_in_code_table() {
    expect_errors(
        "bad-table-ref",
        &[("unknown-ref", "content/codes/event.yaml:9:14")],
    );
}

#[test]
fn broken_internal_link() {
    expect_errors(
        "bad-broken-link",
        &[("broken-link", "content/guides/overview.md:11:26")],
    );
}

#[test]
fn broken_anchor() {
    expect_errors(
        "bad-broken-anchor",
        &[("broken-anchor", "content/errors/0x904.md:26:6")],
    );
}

#[test]
fn malformed_code() {
    expect_errors(
        "bad-malformed-code",
        &[("bad-code", "content/errors/0x904.md:9:71")],
    );
}

#[test]
fn missing_sources() {
    expect_errors(
        "bad-missing-sources",
        &[("missing-sources", "content/causes/port-blocked.md:1:1")],
    );
}

#[test]
fn fix_without_undo() {
    expect_errors(
        "bad-missing-undo",
        &[("missing-section", "content/fixes/renew-cert.md:1:1")],
    );
}

#[test]
fn bad_date() {
    expect_errors(
        "bad-date",
        &[("bad-date", "content/guides/overview.md:6:10")],
    );
}

#[test]
fn malformed_yaml() {
    expect_errors(
        "bad-yaml",
        &[("bad-field", "content/causes/cert-expired.md:11:35")],
    );
}

#[test]
fn front_matter_that_never_closes() {
    expect_errors(
        "bad-unclosed-front-matter",
        &[("unclosed-front-matter", "content/guides/overview.md:1:1")],
    );
}

#[test]
fn unknown_field() {
    expect_errors(
        "bad-unknown-field",
        &[("unknown-field", "content/fixes/renew-cert.md:10:1")],
    );
}

#[test]
fn field_of_another_kind() {
    expect_errors(
        "bad-field-for-kind",
        &[("field-not-allowed", "content/guides/overview.md:7:1")],
    );
}

#[test]
fn file_that_is_not_utf8() {
    expect_errors(
        "bad-not-utf8",
        &[("not-utf8", "content/guides/overview.md:11:17")],
    );
}

#[test]
fn three_errors_in_one_run() {
    expect_errors(
        "bad-three-errors",
        &[
            ("unknown-ref", "content/errors/0x904.md:14:9"),
            ("bad-date", "content/fixes/renew-cert.md:6:10"),
            ("broken-link", "content/guides/overview.md:11:63"),
        ],
    );
}

#[test]
fn json_format_is_an_array_of_the_contract_fields() {
    let out = fixbook(&fixture("bad-three-errors"), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    let items = v.as_array().unwrap_or_else(|| panic!("not an array"));
    assert_eq!(items.len(), 3);
    let first = &items[0];
    for key in ["code", "severity", "file", "line", "col", "message", "help"] {
        assert!(first.get(key).is_some(), "missing {key}: {first}");
    }
    assert_eq!(first["code"], "unknown-ref");
    assert_eq!(first["file"], "content/errors/0x904.md");
    assert_eq!(first["line"], 14);
    assert_eq!(first["col"], 9);
    assert_eq!(first["severity"], "error");
}

#[test]
fn github_format_annotates_lines() {
    let out = fixbook(
        &fixture("bad-three-errors"),
        &["check", "--format", "github"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(
        lines[0],
        "::error file=content/errors/0x904.md,line=14,col=9::[unknown-ref] cause `cause-port-blokced` does not exist (help: did you mean `cause-port-blocked`?)"
    );
    assert!(
        lines[1].starts_with("::error file=content/fixes/renew-cert.md,line=6,col=10::[bad-date] "),
        "{}",
        lines[1]
    );
    assert!(
        lines[2]
            .starts_with("::error file=content/guides/overview.md,line=11,col=63::[broken-link] "),
        "{}",
        lines[2]
    );
}

#[test]
fn missing_site_toml_is_a_content_error() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = fixbook(tmp.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot read site.toml"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_error_exits_2() {
    let out = fixbook(&fixture("good-site"), &["check", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn undeclared_stages_are_reported_where_they_are_written() {
    // A signal's stage, a cause's stage and a code row's stage, all in one run.
    expect_errors(
        "bad-unknown-stage",
        &[
            ("unknown-stage", "content/causes/cert-expired.md:13:12"),
            ("unknown-stage", "content/causes/cert-expired.md:15:8"),
            ("unknown-stage", "content/codes/event.yaml:10:12"),
        ],
    );
}

#[test]
fn a_version_bound_without_a_version_is_reported_on_its_row() {
    expect_errors(
        "bad-version-bound",
        &[("bad-field", "content/codes/event.yaml:10:12")],
    );
}

/// A year and more after the fixture's pages were last updated, and never verified: each fact page gets a
/// warning at its date, in every format, and `check` still succeeds (warnings fail nothing).
#[test]
fn pages_not_checked_within_a_year_get_a_warning_not_an_error() {
    let site = fixture("good-site");
    let out = common::fixbook_on("2028-06-01", &site, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let warnings: Vec<&str> = err
        .lines()
        .zip(err.lines().skip(1))
        .filter(|(l, _)| l.starts_with("warning[unverified]: "))
        .map(|(_, at)| at.trim_start_matches("  --> "))
        .collect();
    assert_eq!(
        warnings,
        [
            "content/causes/cert-expired.md:6:10",
            "content/causes/port-blocked.md:6:10",
            "content/errors/0x904.md:6:10",
            "content/fixes/renew-cert.md:6:10",
        ],
        "{err}"
    );
    assert!(err.trim_end().ends_with("no errors; 4 warnings"), "{err}");
    let json = common::fixbook_on("2028-06-01", &site, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["severity"] == "warning" && d["code"] == "unverified"));
    let gh = common::fixbook_on("2028-06-01", &site, &["check", "--format", "github"]);
    assert!(
        stdout(&gh).starts_with("::warning file=content/causes/cert-expired.md,line=6,col=10::")
    );
    // Within the year: nothing to say.
    let fresh = common::fixbook_on("2027-11-20", &site, &["check"]);
    assert_eq!(stdout(&fresh), "no problems found\n");
}

/// Version notes on fix steps and code rows are checked like any field: the step must be a heading of the
/// page (with a did-you-mean), a note must say something, and each value must have the documented form.
#[test]
fn version_notes_on_steps_and_rows_are_checked_where_written() {
    expect_errors(
        "bad-version-note",
        &[
            ("bad-field", "content/codes/disconnect.yaml:13:19"),
            ("broken-anchor", "content/fixes/renew-cert.md:14:11"),
            ("bad-field", "content/fixes/renew-cert.md:16:11"),
            ("broken-anchor", "content/fixes/renew-cert.md:16:11"),
            ("bad-field", "content/fixes/renew-cert.md:18:12"),
        ],
    );
    let out = fixbook(&fixture("bad-version-note"), &["check"]);
    assert!(
        stderr(&out).contains("did you mean `export-the-old-certificate`?"),
        "{}",
        stderr(&out)
    );
}

/// A source written as a map refuses unknown keys, so a misspelled `title` is not silently dropped.
#[test]
fn a_misspelled_key_in_a_source_is_an_error_at_its_line() {
    expect_errors(
        "bad-source-title",
        &[("unknown-field", "content/fixes/renew-cert.md:9:5")],
    );
}

/// The issue's example: an alias equal to another page's URL replaced that page with a redirect while
/// `check` passed. Also `/index.html` (a folder where the home page is a file), an alias over the code
/// tables' overview, and two pages' aliases with one path (the extra cases): each is reported at the second
/// claimant, naming the first.
#[test]
fn output_paths_are_claimed_once() {
    expect_errors(
        "bad-output-collision",
        &[
            ("output-collision", "content/fixes/renew-cert.md:10:11"),
            ("output-collision", "content/guides/overview.md:7:11"),
            ("output-collision", "content/guides/overview.md:7:27"),
            ("output-collision", "content/guides/overview.md:7:40"),
        ],
    );
    let err = stderr(&fixbook(&fixture("bad-output-collision"), &["check"]));
    for named in [
        "which alias `/old/cert/` at content/causes/port-blocked.md:7:11 already writes",
        "which the page at content/errors/0x904.md:1:1 already writes",
        "inside `index.html`, which is the home page",
        "which the code tables' overview already writes",
    ] {
        assert!(err.contains(named), "{named}\n{err}");
    }
}

/// Aliases that were dropped without a word (`..`, no leading `/`) or written unencoded (a space, `?`).
#[test]
fn aliases_are_safe_root_relative_paths() {
    expect_errors(
        "bad-alias",
        &[
            ("bad-alias", "content/guides/overview.md:7:11"),
            ("bad-alias", "content/guides/overview.md:7:28"),
            ("bad-alias", "content/guides/overview.md:7:40"),
            ("bad-alias", "content/guides/overview.md:7:55"),
        ],
    );
    let err = stderr(&fixbook(&fixture("bad-alias"), &["check"]));
    assert!(err.contains("has the segment `..`"), "{err}");
    assert!(err.contains("has `?` in the segment `page?x=1`"), "{err}");
}

/// A page named `index.html.md`, or with a space and capitals, would have a URL that needs encoding (or
/// writes over a section index): the name is checked like an id, and the help gives a valid one.
#[test]
fn page_file_names_are_slugs() {
    expect_errors(
        "bad-slug",
        &[
            ("bad-slug", "content/guides/Two Words.md:1:1"),
            ("bad-slug", "content/guides/index.html.md:1:1"),
        ],
    );
    let err = stderr(&fixbook(&fixture("bad-slug"), &["check"]));
    assert!(
        err.contains("help: rename the file to `content/guides/index-html.md`"),
        "{err}"
    );
    assert!(
        err.contains("help: rename the file to `content/guides/two-words.md`"),
        "{err}"
    );
}

/// A page that is a link to a file outside the site was skipped by `check` without a word.
#[cfg(unix)]
#[test]
fn a_page_linking_outside_the_site_is_an_error() {
    expect_errors(
        "bad-outside-site",
        &[("outside-site", "content/guides/elsewhere.md:1:1")],
    );
    let err = stderr(&fixbook(&fixture("bad-outside-site"), &["check"]));
    assert!(
        err.contains("good-site/content/guides/overview.md`, outside the site's folder"),
        "{err}"
    );
}

/// The issue's example: `javascript:` links passed as external ones (here in mixed case). Extra cases: a
/// `data:` link and a scheme with a tab inside it (` <java\tscript:x>`), which a browser still runs.
#[test]
fn links_with_other_schemes_are_errors_at_the_link() {
    expect_errors(
        "bad-link-scheme",
        &[
            ("link-scheme", "content/fixes/renew-cert.md:15:5"),
            ("link-scheme", "content/fixes/renew-cert.md:15:45"),
            ("link-scheme", "content/guides/overview.md:11:63"),
        ],
    );
    let err = stderr(&fixbook(&fixture("bad-link-scheme"), &["check"]));
    assert!(err.contains("link with the `data:` scheme"), "{err}");
    assert!(err.contains("link with the `javascript:` scheme"), "{err}");
    // `build` refuses too: nothing with such a link is published.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let built = fixbook(
        &fixture("bad-link-scheme"),
        &["build", "--output", out.to_str().unwrap()],
    );
    assert_eq!(built.status.code(), Some(1));
    assert!(!out.exists());
}

/// The issue's example: an image from another site passed `check` though the page's CSP blocks it. Extra
/// case: a protocol-relative image (`//cdn...`).
#[test]
fn images_from_other_sites_are_errors() {
    expect_errors(
        "bad-external-image",
        &[
            ("external-image", "content/fixes/renew-cert.md:15:1"),
            ("external-image", "content/fixes/renew-cert.md:17:1"),
        ],
    );
}

/// The issue's example: `"\e[2K"` written in front matter reached `check`'s stderr raw, so a pull request
/// could erase lines of CI output. Extra case: a right-to-left override in an id. No format prints either
/// raw; each shows it as a visible escape.
#[test]
fn control_characters_from_content_are_escaped_in_every_format() {
    let site = fixture("bad-control-chars");
    let human = fixbook(&site, &["check"]);
    let json = fixbook(&site, &["check", "--format", "json"]);
    let github = fixbook(&site, &["check", "--format", "github"]);
    for (name, printed) in [
        ("human", stderr(&human)),
        ("json", stdout(&json)),
        ("github", stdout(&github)),
    ] {
        assert!(
            !printed.contains('\u{1b}') && !printed.contains('\u{202e}') && !printed.contains('\r'),
            "{name} printed a raw control character: {printed:?}"
        );
    }
    let err = stderr(&human);
    assert!(
        err.contains("unknown field `\\u{1b}[2K\\u{d}error[none]: all fine`"),
        "{err}"
    );
    assert!(err.contains("id `cause-port-\\u{202e}dekcolb`"), "{err}");
    assert!(
        stdout(&github).contains("`\\u{1b}[2K\\u{d}error[none]: all fine`"),
        "{}",
        stdout(&github)
    );
    // JSON keeps the data: parsed back, the message holds the real characters.
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["message"].as_str().unwrap().contains("\u{1b}[2K\r")));
    assert!(stdout(&json).contains("\\u202e"), "{}", stdout(&json));
}

/// The issue's examples: a duplicate key and a NUL in a quoted title were reported at 2:1 with a generic
/// hint. Extra case: a duplicate key inside a list item. Each is at its own line and column, with a hint
/// for its kind.
#[test]
fn yaml_errors_point_at_their_own_line_and_column() {
    expect_errors(
        "bad-yaml-located",
        &[
            ("yaml-syntax", "content/causes/cert-expired.md:4:24"),
            ("yaml-syntax", "content/causes/port-blocked.md:11:5"),
            ("yaml-syntax", "content/guides/overview.md:7:1"),
        ],
    );
    let err = stderr(&fixbook(&fixture("bad-yaml-located"), &["check"]));
    assert!(err.contains("help: `title` is given twice here"), "{err}");
    assert!(err.contains("help: `weight` is given twice here"), "{err}");
    assert!(err.contains("help: remove the control character"), "{err}");
    assert!(!err.contains("at position"), "{err}");
}

/// The issue's example: 160 KB of nested `[` took 13 s to reject. Extra cases: nested `{`, deep block
/// indentation and front matter over 256 KB. All are refused before the YAML parser sees them, at once.
#[test]
fn front_matter_too_deep_or_too_large_is_refused_quickly() {
    let start = std::time::Instant::now();
    expect_errors(
        "bad-front-matter-limit",
        &[
            ("front-matter-limit", "content/causes/cert-expired.md:7:262"),
            ("front-matter-limit", "content/causes/port-blocked.md:71:65"),
            ("front-matter-limit", "content/fixes/renew-cert.md:2:1"),
            ("front-matter-limit", "content/guides/overview.md:7:73"),
        ],
    );
    assert!(
        start.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    let err = stderr(&fixbook(&fixture("bad-front-matter-limit"), &["check"]));
    assert!(err.contains("nests deeper than 64 levels"), "{err}");
    assert!(err.contains("the limit is 256 KB"), "{err}");
}

#[test]
fn a_signal_with_two_kinds_is_refused_at_that_signal() {
    expect_errors(
        "bad-signal-kinds",
        &[("bad-field", "content/causes/cert-expired.md:9:3")],
    );
}

/// The whole human output of `check` on every bad fixture, pinned: messages, help, and the excerpt with its
/// caret under what each problem is about (the first two lines of each diagnostic are the contract scripts
/// read; the rest is for people, and a change to it shows up here for review).
#[test]
fn human_output_of_every_bad_fixture() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{e}"))
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.starts_with("bad-"))
        .collect();
    names.sort();
    assert!(names.len() >= 30, "{names:?}");
    // A link that leaves the site names its absolute target: the checkout's folder differs per machine.
    let checkout = env!("CARGO_MANIFEST_DIR").trim_end_matches("/generator");
    for name in names {
        let out = fixbook(&fixture(&name), &["check"]);
        let text = stderr(&out).replace(checkout, "[checkout]");
        insta::assert_snapshot!(format!("check-{name}"), text);
    }
}

/// The JSON form keeps exactly the contract's fields for every diagnostic of every fixture: spans, excerpts
/// and related notes are for the human form only.
#[test]
fn json_of_every_bad_fixture_has_only_the_contract_fields() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("bad-"))
        {
            continue;
        }
        let out = fixbook(&path, &["check", "--format", "json"]);
        let v: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
        for d in v.as_array().unwrap_or_else(|| panic!("{}", path.display())) {
            let mut keys: Vec<&str> = d
                .as_object()
                .map(|o| o.keys().map(String::as_str).collect())
                .unwrap_or_default();
            keys.sort_unstable();
            assert_eq!(
                keys,
                ["code", "col", "file", "help", "line", "message", "severity"],
                "{}",
                path.display()
            );
        }
    }
}

/// #16: `clients:` names only clients that site.toml declares (with a did-you-mean at the value), and only
/// error pages have it.
#[test]
fn an_undeclared_client_is_reported_at_its_value_with_a_suggestion() {
    expect_errors(
        "bad-unknown-client",
        &[
            ("unknown-client", "content/errors/0x904.md:7:18"),
            ("field-not-allowed", "content/guides/overview.md:7:1"),
        ],
    );
    let err = stderr(&fixbook(&fixture("bad-unknown-client"), &["check"]));
    assert!(err.contains("help: did you mean `freerdp`?"), "{err}");
}

/// CONTRIBUTING.md: a new cause gets a link in its stage's section of the stage map. With `[checker]
/// stage_map`, a cause with a stage that the map does not link is reported at its `stage:` (a link with a
/// query or an anchor counts).
#[test]
fn a_cause_missing_from_the_stage_map_is_reported_at_its_stage() {
    expect_errors(
        "bad-off-stage-map",
        &[("off-stage-map", "content/causes/cert-expired.md:14:8")],
    );
    let err = stderr(&fixbook(&fixture("bad-off-stage-map"), &["check"]));
    assert!(
        err.contains("help: link `/causes/cert-expired/` from content/guides/overview.md under its stage's heading (`TLS`, `#tls`)"),
        "{err}"
    );
}

#[test]
fn a_copied_page_is_the_duplicate_even_when_its_file_sorts_first() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // `a-copy.md` sorts before `a.md` ('-' < '.'), so it is the first page with the id.
    let page = common::guide_a("Text.\n");
    common::tiny_site(root, &[("guides/a-copy.md", &page), ("guides/a.md", &page)]);
    let diags = fixbook::pipeline::check(root, time::macros::date!(2026 - 01 - 02));
    let dup: Vec<_> = diags
        .iter()
        .filter(|d| d.code == fixbook::diag::Code::DuplicateId)
        .collect();
    assert_eq!(dup.len(), 1, "{diags:?}");
    assert_eq!(
        dup[0].file,
        std::path::Path::new("content/guides/a-copy.md")
    );
    let help = dup[0].help.as_deref().unwrap_or_default();
    assert!(help.contains("such as `guide-a-copy`"), "{help}");
}

/// A cause copied from another (the quickest way to start one) ranks the same as its original on every
/// example until its signals change: the mismatch says which page it ties with and why, whichever of the
/// two is reported.
#[test]
fn an_example_tied_with_a_copied_cause_names_the_other_page() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for part in ["content", "themes"] {
        copy_dir(&repo.join(part), &tmp.path().join(part));
    }
    std::fs::copy(repo.join("site.toml"), tmp.path().join("site.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let original = std::fs::read_to_string(tmp.path().join("content/causes/port-blocked.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    let copy = original.replacen("id: cause-port-blocked", "id: cause-port-filtered", 1);
    assert_ne!(copy, original);
    std::fs::write(tmp.path().join("content/causes/port-filtered.md"), copy)
        .unwrap_or_else(|e| panic!("{e}"));
    let out = fixbook(tmp.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let diags: serde_json::Value =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    let mismatches: Vec<&serde_json::Value> = diags
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["code"] == "example-mismatch")
        .collect();
    assert!(!mismatches.is_empty(), "{diags}");
    for d in mismatches {
        let (file, help) = (
            d["file"].as_str().unwrap_or(""),
            d["help"].as_str().unwrap_or(""),
        );
        let other = if file.ends_with("port-filtered.md") {
            "content/causes/port-blocked.md"
        } else {
            "content/causes/port-filtered.md"
        };
        assert!(
            help.contains("scores the same") && help.contains(other),
            "{d}"
        );
    }
}

/// The new-user trial's example: a misspelt field hid every other problem of its file (serde stops at the
/// first unknown field). All the unknown fields of a file are reported together, their values' lines too
/// (a list under the field), with the problem behind them; a missing `title` that the `titel` typo
/// explains is not reported twice.
#[test]
fn every_unknown_field_of_a_file_is_reported_with_the_problem_behind_them() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_dir(&fixture("good-site"), tmp.path());
    let page = tmp.path().join("content/guides/overview.md");
    let text = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));
    let text = text.replacen("title: ", "titel: ", 1).replacen(
        "updated: 2026-11-20\n",
        "updated: 2026-11-20\ncolours:\n- red\n- blue\nrelated: 5\n",
        1,
    );
    std::fs::write(&page, text).unwrap_or_else(|e| panic!("{e}"));
    let out = fixbook(tmp.path(), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let found = codes_and_locations(&err);
    let found: Vec<(&str, &str)> = found
        .iter()
        .map(|(c, l)| (c.as_str(), l.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("unknown-field", "content/guides/overview.md:4:1"),
            ("unknown-field", "content/guides/overview.md:7:1"),
            ("bad-field", "content/guides/overview.md:10:10"),
        ],
        "{err}"
    );
    assert!(err.contains("did you mean `title`?"), "{err}");
    assert!(!err.contains("missing field `title`"), "{err}");
}
