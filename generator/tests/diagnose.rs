//! `fixbook diagnose`: the knowledge index comes from the site's content (no build needed), the paste from a
//! file or standard input, in UTF-8 or UTF-16 with a BOM; JSON is the stable contract.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{fixbook, fixture, stderr, stdout};

const DIALOG: &str =
    "Remote Desktop Connection\r\nThis computer can't connect to the remote computer.\r\n\
Error code: 0x904\r\nExtended error code: 0x7\r\n";

fn diagnose_stdin(site: &str, input: &[u8], args: &[&str]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fixbook"))
        .arg("--root")
        .arg(fixture(site))
        .arg("diagnose")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    // A run that fails on its arguments may exit before reading: its closed stdin is not this test's
    // failure (the race made `usage_errors_exit_2` flaky).
    if let Some(mut s) = child.stdin.take() {
        if let Err(e) = s.write_all(input) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
    }
    child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

fn first_code(v: &serde_json::Value) -> &serde_json::Value {
    v["signals"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["kind"] == "code"))
        .unwrap_or_else(|| panic!("no code signal in {v}"))
}

#[test]
fn decodes_a_dialog_as_json() {
    let out = diagnose_stdin(
        "good-site",
        DIALOG.as_bytes(),
        &["--json", "--now", "2026-11-23T00:00:00Z"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let codes: Vec<(&str, &str)> = v["signals"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["kind"] == "code")
        .map(|s| {
            (
                s["scheme"].as_str().unwrap_or(""),
                s["value"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(codes, [("disconnect", "0x904"), ("extended", "0x7")]);
    let first = first_code(&v);
    assert_eq!(first["name"], "disconnectReasonAtClientWinsockFDCLOSE");
    let span = first["span"].as_array().map(|a| {
        (
            a[0].as_u64().unwrap_or(0) as usize,
            a[1].as_u64().unwrap_or(0) as usize,
        )
    });
    let (s, e) = span.unwrap_or_default();
    assert!(
        DIALOG[s..e].contains("0x904"),
        "span {s}..{e} is {:?}",
        &DIALOG[s..e]
    );
    // Only the error page's candidates, best first, each with a link to a fix.
    assert_eq!(v["causes"][0]["id"], "cause-cert-expired");
    assert_eq!(
        v["causes"][0]["fixes"][0]["url"],
        "/fixes/renew-cert/#replace-the-certificate"
    );
    for key in ["signals", "causes", "unreadable", "notes"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn reads_utf16_with_a_bom_from_a_file() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = tmp.path().join("paste.txt");
    let mut bytes = vec![0xff, 0xfe];
    for unit in DIALOG.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
    let out = fixbook(
        &fixture("good-site"),
        &["diagnose", path.to_str().unwrap_or_default(), "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(first_code(&json(&out))["value"], "0x904");
}

#[test]
fn text_report_names_the_cause_and_its_fix() {
    let paste = "ComputerName     : rdsh01\nRemoteAddress    : 10.0.0.5\nRemotePort       : 3389\nTcpTestSucceeded : False\n";
    let out = diagnose_stdin("good-site", paste.as_bytes(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("TCP 3389 is blocked"), "{text}");
    assert!(text.contains("/fixes/renew-cert/"), "{text}");
}

#[test]
fn nothing_recognised_is_not_an_error() {
    let out = diagnose_stdin(
        "good-site",
        b"the build took 2308 ms on port 3389",
        &["--json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["signals"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["causes"].as_array().map(Vec::len), Some(0));
    assert!(!v["notes"].as_array().map(Vec::is_empty).unwrap_or(true));
}

#[test]
fn a_private_key_is_never_echoed() {
    let body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";
    let paste = format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n");
    for args in [&["--json"][..], &[][..]] {
        let out = diagnose_stdin("good-site", paste.as_bytes(), args);
        assert_eq!(out.status.code(), Some(0));
        let text = stdout(&out);
        assert!(!text.contains(body), "key echoed: {text}");
        assert!(!text.contains(&body[..20]), "key partly echoed: {text}");
    }
}

#[test]
fn content_that_does_not_load_exits_1() {
    let out = diagnose_stdin("bad-yaml", DIALOG.as_bytes(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("content/causes/cert-expired.md:11:35"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = diagnose_stdin("good-site", DIALOG.as_bytes(), &["--now", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    let out = fixbook(&fixture("good-site"), &["diagnose", "/no/such/file"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Runs fixbook with one of its output streams closed before it starts (a pipe whose reader is dropped
/// before the spawn, so no write can ever succeed, however the scheduler orders the two processes); returns
/// its exit code and what it wrote to the other stream.
fn run_with_closed(site: &str, args: &[&str], close_stdout: bool) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fixbook"));
    cmd.env("FIXBOOK_TODAY", common::TODAY)
        .arg("--root")
        .arg(fixture(site))
        .args(args);
    if close_stdout {
        cmd.stdout(writer).stderr(Stdio::piped());
    } else {
        cmd.stderr(writer).stdout(Stdio::piped());
    }
    let mut child = cmd.spawn().unwrap();
    let mut open: Box<dyn std::io::Read> = if close_stdout {
        Box::new(child.stderr.take().unwrap())
    } else {
        Box::new(child.stdout.take().unwrap())
    };
    let mut other = String::new();
    open.read_to_string(&mut other).unwrap();
    (child.wait().unwrap().code(), other)
}

/// `fixbook diagnose ... | head -1`: the reader goes away before fixbook writes. Like `cat` and `rg`, it
/// exits at once and quietly (it used to panic with "failed printing to stdout: Broken pipe").
#[test]
fn exits_quietly_when_its_reader_goes_away() {
    let dir = tempfile::tempdir().unwrap();
    let paste = dir.path().join("paste.txt");
    std::fs::write(&paste, DIALOG).unwrap();
    let paste = paste.to_str().unwrap();
    for (site, args, close_stdout) in [
        ("good-site", vec!["diagnose", paste], true),
        ("good-site", vec!["diagnose", "--json", paste], true),
        ("good-site", vec!["check"], true),
        // Diagnostics go to standard error.
        ("bad-three-errors", vec!["check"], false),
    ] {
        let (code, other) = run_with_closed(site, &args, close_stdout);
        assert_eq!(code, Some(0), "{args:?}: {other}");
        assert!(other.is_empty(), "{args:?} is not quiet: {other}");
    }
}
