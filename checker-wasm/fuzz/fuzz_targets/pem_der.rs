//! The certificate path on arbitrary bytes: as a file (DER, UTF-16, UTF-8), and wrapped in PEM armour so the
//! X.509 decoder sees the bytes themselves.
#![no_main]

use std::sync::OnceLock;

use fixbook_checker::{diagnose, diagnose_bytes, KnowledgeIndex};
use libfuzzer_sys::fuzz_target;

fn index() -> &'static KnowledgeIndex {
    static INDEX: OnceLock<KnowledgeIndex> = OnceLock::new();
    INDEX.get_or_init(|| serde_json::from_str(include_str!("../../tests/fixtures/index.json")).unwrap_or_default())
}

fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let now = time::macros::datetime!(2026-11-23 12:00 UTC);
    let _ = diagnose_bytes(data, index(), now);
    let b64 = base64(data);
    let wrapped: String = b64.as_bytes().chunks(64).map(|l| format!("> {}\r\n", String::from_utf8_lossy(l))).collect();
    let _ = diagnose(&format!("-----BEGIN CERTIFICATE-----\r\n{wrapped}-----END CERTIFICATE-----\r\n"), index(), now);
    let _ = diagnose(&b64, index(), now);
});
