//! Long pastes: what the report keeps of them, and that it says when it kept less than the paste holds
//! (issue 18, item 5). The timing side is `tests/linearity.rs`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use fixbook_checker::{diagnose, Report, Signal};
use time::macros::datetime;

#[path = "support/fixture.rs"]
mod fixture;

fn run(paste: &str) -> Report {
    diagnose(paste, &fixture::index(), datetime!(2026-11-23 12:00 UTC))
}

fn cut_note(r: &Report) -> Option<&String> {
    r.notes
        .iter()
        .find(|n| n.contains("holds more than this report lists"))
}

fn count(r: &Report, pred: impl Fn(&Signal) -> bool) -> usize {
    r.signals.iter().filter(|s| pred(s)).count()
}

/// The example: `0x80090328 ` repeated is one code, and nothing is cut.
#[test]
fn one_code_repeated_is_one_signal_and_no_cut() {
    let r = run(&"0x80090328 ".repeat(20_000));
    assert_eq!(count(&r, |s| matches!(s, Signal::Code { .. })), 1);
    assert_eq!(cut_note(&r), None, "{:?}", r.notes);
}

/// Many distinct codes: the first 200, and a note naming the cut.
#[test]
fn distinct_codes_are_capped_and_the_report_says_so() {
    let paste: String = (0..1000u32)
        .map(|n| format!("error 0x{:08x}\n", 0x8000_0000u32 + n))
        .collect();
    let r = run(&paste);
    let codes: Vec<&str> = r
        .signals
        .iter()
        .filter_map(|s| match s {
            Signal::Code { value, .. } => Some(value.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(codes.len(), 200);
    assert_eq!(codes[0], "0x80000000");
    assert_eq!(codes[199], "0x800000c7");
    let note = cut_note(&r).expect("a note saying the codes were cut");
    assert!(note.contains("the first 200 codes"), "{note}");
}

/// The example: BEGIN markers squashed on one line. Each is a cut-off block, but the report lists
/// the first 100 by position and says so.
#[test]
fn begin_markers_on_one_line_are_capped_in_order() {
    let r = run(&"-----BEGIN CERTIFICATE-----".repeat(5000));
    assert_eq!(r.unreadable.len(), 100);
    assert_eq!(r.unreadable[0].span[0], 0);
    assert!(r.unreadable.windows(2).all(|w| w[0].span < w[1].span));
    let note = cut_note(&r).expect("a note saying unreadable parts were cut");
    assert!(note.contains("the first 100 unreadable parts"), "{note}");
}

/// The example: a host on every line. Certificates are compared with the first 64, and the
/// report says so.
#[test]
fn many_remote_computers_are_capped_and_the_report_says_so() {
    let paste: String = (0..500)
        .map(|n| format!("Remote computer: h{n}.example\n"))
        .collect();
    let note = run(&paste);
    let note = cut_note(&note).expect("a note saying hosts were cut");
    assert!(note.contains("the first 64 hosts"), "{note}");
    // The same host in many spellings is one host: nothing is cut.
    let same: String = (0..500)
        .map(|n| {
            format!(
                "Remote computer: {}\n",
                if n % 2 == 0 {
                    "H1.example"
                } else {
                    "h1.EXAMPLE"
                }
            )
        })
        .collect();
    assert_eq!(cut_note(&run(&same)), None);
}

/// The example: Test-NetConnection blocks for many hosts; the first 200 tests are kept.
#[test]
fn many_port_tests_are_capped_and_the_report_says_so() {
    let paste: String = (0..400)
        .map(|n| {
            format!(
                "ComputerName     : h{n}.example\nRemoteAddress    : 10.0.1.{}\nRemotePort       : 3389\n\
                 InterfaceAlias   : Ethernet\nSourceAddress    : 10.0.0.20\nTcpTestSucceeded : False\n\n",
                n % 256
            )
        })
        .collect();
    let r = run(&paste);
    assert_eq!(count(&r, |s| matches!(s, Signal::PortTest { .. })), 200);
    let note = cut_note(&r).expect("a note saying port tests were cut");
    assert!(note.contains("the first 200 port tests"), "{note}");
}

/// Extra case: many private keys. Every one is masked (no code inside any key is read), the first 200 are
/// listed, the rotate advice is given once.
#[test]
fn many_private_keys_are_all_masked_and_capped() {
    let paste: String = (0..300)
        .map(|n| {
            format!("-----BEGIN PRIVATE KEY-----\nMIGH 0x8009{n:04x}\n-----END PRIVATE KEY-----\n")
        })
        .collect();
    let r = run(&paste);
    assert_eq!(count(&r, |s| matches!(s, Signal::PrivateKey { .. })), 200);
    assert_eq!(count(&r, |s| matches!(s, Signal::Code { .. })), 0);
    assert_eq!(
        r.notes
            .iter()
            .filter(|n| n.contains("A private key was pasted"))
            .count(),
        1
    );
    assert!(cut_note(&r).unwrap().contains("the first 200 private keys"));
}
