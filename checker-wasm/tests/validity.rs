//! A certificate made by openssl (3.0, `openssl ca -startdate 500101000000Z -enddate 20500101000000Z`)
//! with a notBefore in 1950 as a UTCTime and a notAfter in 2050 as a GeneralizedTime, as RFC 5280 4.1.2.5
//! requires: openssl reads it, and so must we (issue 18, item 5).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use fixbook_checker::{diagnose, diagnose_bytes, Report, Signal};
use time::macros::datetime;

const PEM: &str = include_str!("fixtures/certs/openssl-1950-2050.pem");

#[path = "support/fixture.rs"]
mod fixture;
use fixture::index;

fn dates(r: &Report) -> (String, String) {
    assert!(r.unreadable.is_empty(), "{:?}", r.unreadable);
    match r.signals.as_slice() {
        [Signal::Certificate(c)] => (c.not_before.clone(), c.not_after.clone()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn openssl_certificate_from_1950_to_2050() {
    let now = datetime!(2026-11-23 12:00 UTC);
    let want = (
        "1950-01-01T00:00:00Z".to_string(),
        "2050-01-01T00:00:00Z".to_string(),
    );
    assert_eq!(dates(&diagnose(PEM, &index(), now)), want);
    // The same as a DER file.
    let body: String = PEM.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64(&body);
    assert_eq!(dates(&diagnose_bytes(&der, &index(), now)), want);
}

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        acc = (acc << 6) | u32::from(val(c));
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
