//! FreeRDP transcripts captured here, not written by hand: Debian 12's `freerdp2-x11` (xfreerdp 2.x) under
//! Xvfb, stdout and stderr together, against loopback peers started for the capture:
//!
//! - `closed-port.log`: `xfreerdp /v:127.0.0.1:3390 /u:test /p:test /cert:ignore` with nothing listening.
//!   FreeRDP 2 does not check its non-blocking connect's socket error, so the refused connect shows as the
//!   first write failing with a broken pipe and `ERRCONNECT_CONNECT_TRANSPORT_FAILED`, not
//!   `ERRCONNECT_CONNECT_FAILED`; it retries once (NLA, then the fallback), so every line comes twice.
//! - `closed-at-once.log`: the same against a TCP server that accepts and closes each connection at once.
//! - `self-signed-name-mismatch.log`: xrdp 0.9.21 serving a self-signed certificate for
//!   `rdp-test.example` (made by `openssl req -x509`; the key was deleted), reached by IP without
//!   `/cert:ignore`, stdin closed so the trust prompt is declined. The prompt and the WLog lines interleave
//!   as the two streams were flushed. Only the certificate's public facts (names, thumbprint) are kept.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use fixbook_checker::{diagnose, report_to_text, KnowledgeIndex, Report, Signal};
use time::macros::datetime;

const CLOSED_PORT: &str = include_str!("fixtures/freerdp/closed-port.log");
const CLOSED_AT_ONCE: &str = include_str!("fixtures/freerdp/closed-at-once.log");
const NAME_MISMATCH: &str = include_str!("fixtures/freerdp/self-signed-name-mismatch.log");

fn run(paste: &str) -> Report {
    let index: KnowledgeIndex = serde_json::from_str(include_str!("fixtures/index.json")).unwrap();
    diagnose(paste, &index, datetime!(2026-11-23 12:00 UTC))
}

fn ids(r: &Report) -> Vec<&str> {
    r.causes.iter().map(|c| c.id.as_str()).collect()
}

fn codes(r: &Report) -> Vec<String> {
    r.signals
        .iter()
        .filter_map(|s| match s {
            Signal::Code { scheme, value, .. } => Some(format!("{scheme} {value}")),
            _ => None,
        })
        .collect()
}

#[test]
fn captures_are_freerdp_log_lines_without_secrets() {
    for text in [CLOSED_PORT, CLOSED_AT_ONCE, NAME_MISMATCH] {
        assert!(text.contains("[com.freerdp.core]"));
        assert!(!text.contains("PRIVATE KEY"));
        assert!(!text.contains("/p:"));
    }
}

#[test]
fn closed_port_ranks_like_mstsc_0x204() {
    let mstsc = run(
        "Remote Desktop Connection\n\nRemote Desktop can't connect to the remote computer.\n\n\
         Error code: 0x204\nExtended error code: 0x0\n",
    );
    let r = run(CLOSED_PORT);
    let text = report_to_text(&r, &[]);
    // Both attempts print the same code: decoded once.
    assert_eq!(codes(&r), ["errconnect 0x2000d"], "{text}");
    assert_eq!(ids(&r)[0], "cause-port-blocked", "{text}");
    assert_eq!(ids(&r)[0], ids(&mstsc)[0]);
    // The mstsc ranking comes first, in its order; the transport failure's page adds its candidates after.
    assert_eq!(ids(&r)[..ids(&mstsc).len()], ids(&mstsc)[..], "{text}");
    assert_eq!(r.causes[0].why, ["port test: TCP to the server failed"]);
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

#[test]
fn server_closing_at_once_ranks_like_mstsc_0x904() {
    let mstsc = run("Remote Desktop Connection\n\nError code: 0x904\n");
    let r = run(CLOSED_AT_ONCE);
    let text = report_to_text(&r, &[]);
    assert_eq!(codes(&r), ["errconnect 0x2000d"], "{text}");
    assert!(
        !r.signals
            .iter()
            .any(|s| matches!(s, Signal::PortTest { .. })),
        "a reset after accept is not a failed TCP connect: {text}"
    );
    assert!(!r.causes.is_empty());
    let rank = |r: &Report| -> Vec<(String, f64)> {
        r.causes.iter().map(|c| (c.id.clone(), c.score)).collect()
    };
    assert_eq!(rank(&r), rank(&mstsc), "{text}");
    assert!(!ids(&r).contains(&"cause-port-blocked"));
}

#[test]
fn self_signed_name_mismatch_puts_the_name_mismatch_first() {
    let r = run(NAME_MISMATCH);
    let text = report_to_text(&r, &[]);
    assert_eq!(ids(&r)[0], "cause-rdp-cert-name-mismatch", "{text}");
    assert_eq!(
        r.causes[0].why[0],
        "FreeRDP warns that the certificate rdp-test.example does not name 127.0.0.1 (it names: rdp-test.example)"
    );
    assert_eq!(codes(&r), ["errconnect 0x20008"], "{text}");
    let warnings: Vec<&str> = r
        .signals
        .iter()
        .filter_map(|s| match s {
            Signal::CertWarning { warning, .. } => Some(warning.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        warnings,
        ["verify_failure", "name_mismatch", "certificate_details"],
        "{text}"
    );
    assert!(
        text.contains("reason:     self-signed certificate (18)"),
        "{text}"
    );
}

/// The capture's declined trust prompt ends in FreeRDP's "certificate not trusted, aborting.", printed on
/// the prompt's line: a refused certificate, and the name mismatch explains it. The line claims no stage by
/// itself: FreeRDP checks an RD Gateway's certificate with the same function.
#[test]
fn declined_certificate_is_a_refused_certificate() {
    let r = run(NAME_MISMATCH);
    let text = report_to_text(&r, &[]);
    let json = serde_json::to_value(&r).unwrap();
    let failures: Vec<&str> = json["signals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "tls_error")
        .map(|s| s["failure"].as_str().unwrap())
        .collect();
    assert_eq!(failures, ["certificate_refused"], "{text}");
    assert!(
        text.contains("TLS error: FreeRDP refused the certificate it was shown"),
        "{text}"
    );
    assert_eq!(ids(&r)[0], "cause-rdp-cert-name-mismatch", "{text}");
}
