//! Private keys in the forms people paste them (issue 18, item 5): each gives the "a private key was
//! pasted" note and a `PrivateKey` signal, and no part of the key reaches the report (its JSON or its text).
//! The keys are throwaway files in `fixtures/keys/` (see its README).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use fixbook_checker::{diagnose, report_to_text, Report, Signal};
use time::macros::datetime;

#[path = "support/fixture.rs"]
mod fixture;

fn run(paste: &str) -> Report {
    diagnose(paste, &fixture::index(), datetime!(2026-11-23 12:00 UTC))
}

/// The key material of a key file: its lines that are not armour or headers, in 16-byte pieces.
fn pieces(key: &str) -> Vec<String> {
    key.lines()
        .map(str::trim_end)
        .filter(|l| !l.starts_with("--") && !l.contains(": ") && !l.is_empty())
        .flat_map(|l| {
            l.as_bytes()
                .chunks(16)
                .filter(|c| c.len() == 16)
                .map(|c| String::from_utf8(c.to_vec()).unwrap())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Asserts `paste` is flagged as holding keys of `types` (in order), with the rotate note, and that no
/// piece of `key` is echoed. Returns the keys' spans.
#[track_caller]
fn flagged(paste: &str, key: &str, types: &[&str]) -> Vec<[usize; 2]> {
    let r = run(paste);
    let keys: Vec<(&str, [usize; 2])> = r
        .signals
        .iter()
        .filter_map(|s| match s {
            Signal::PrivateKey { key_type, span } => Some((key_type.as_str(), *span)),
            _ => None,
        })
        .collect();
    assert_eq!(
        keys.iter().map(|k| k.0).collect::<Vec<_>>(),
        types,
        "{:#?}",
        r.signals
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("A private key was pasted")),
        "{:?}",
        r.notes
    );
    let json = serde_json::to_string(&r).unwrap();
    let text = report_to_text(&r, &[]);
    let pieces = pieces(key);
    assert!(pieces.len() >= 3, "too little key material to check");
    for p in &pieces {
        assert!(!json.contains(p.as_str()), "key piece in the JSON: {p}");
        assert!(!text.contains(p.as_str()), "key piece in the text: {p}");
    }
    keys.iter().map(|k| k.1).collect()
}

const PUTTY_V2: &str = include_str!("fixtures/keys/putty-v2-rsa.ppk");
const PUTTY_V3: &str = include_str!("fixtures/keys/putty-v3-ed25519.ppk");
const OPENSSH: &str = include_str!("fixtures/keys/openssh-ed25519.key");
const PGP: &str = include_str!("fixtures/keys/pgp-ed25519.asc");
const PKCS8_ENCRYPTED: &str = include_str!("fixtures/keys/pkcs8-encrypted-ec.pem");
const RSA_CRLF: &str = include_str!("fixtures/keys/rsa-1024-crlf.pem");
const SSHCOM: &str = include_str!("fixtures/keys/sshcom-rsa.key");

/// A JSON document holding `key` as a string, as a config export or an API body does: the key's line
/// breaks become `\n` (or `\r\n`) escapes, and fields follow it on the same line.
fn in_json(key: &str) -> String {
    format!(
        "{{\"host\": \"srv01.example\", \"key\": {}, \"port\": 22, \"note\": \"Error code: 0x904\"}}\n",
        serde_json::to_string(key).unwrap()
    )
}

#[test]
fn putty_keys_as_files() {
    flagged(
        &format!("here it is:\n{PUTTY_V3}\nthanks"),
        PUTTY_V3,
        &["putty"],
    );
    flagged(PUTTY_V2, PUTTY_V2, &["putty"]);
}

/// The example: a PuTTY key inside JSON. The key runs to its string's closing quote, so the
/// fields after it are still read.
#[test]
fn putty_key_inside_json() {
    for key in [PUTTY_V2, PUTTY_V3] {
        let paste = in_json(key);
        let spans = flagged(&paste, key, &["putty"]);
        assert!(
            paste[spans[0][1]..].starts_with("\", \"port\""),
            "{spans:?}"
        );
        let r = run(&paste);
        assert!(
            r.signals
                .iter()
                .any(|s| matches!(s, Signal::Code { value, .. } if value == "0x904")),
            "the code after the key is still read"
        );
    }
    // Pretty-printed JSON, the key on its own line.
    let pretty = format!(
        "{{\n  \"key\": {},\n  \"user\": \"admin\"\n}}\n",
        serde_json::to_string(PUTTY_V3).unwrap()
    );
    flagged(&pretty, PUTTY_V3, &["putty"]);
}

/// The example: a PGP private key block.
#[test]
fn pgp_private_key_block() {
    flagged(&format!("my key:\n{PGP}"), PGP, &["pgp"]);
}

/// The example: an OpenSSH key body without its armour lines, as lines, quoted in a mail, and
/// inside JSON.
#[test]
fn openssh_body_without_armour() {
    let body: String = OPENSSH
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(body.starts_with("b3BlbnNzaC1rZXktdjEA"));
    let spans = flagged(
        &format!("the key:\n{body}\nError code: 0x904\n"),
        OPENSSH,
        &["openssh"],
    );
    assert_eq!(spans.len(), 1);
    let quoted: String = body.lines().map(|l| format!("> {l}\n")).collect();
    flagged(&quoted, OPENSSH, &["openssh"]);
    flagged(&in_json(&body), OPENSSH, &["openssh"]);
    // With its armour it is one key, not two.
    flagged(OPENSSH, OPENSSH, &["openssh"]);
    flagged(&in_json(OPENSSH), OPENSSH, &["openssh"]);
    // The same base64 glued inside another token is not a key start.
    let r = run("xb3BlbnNzaC1rZXktdjEAAAAA");
    assert!(r.signals.is_empty(), "{r:?}");
}

/// Extra cases of the class: an encrypted PKCS#8 key, an RSA key with Windows line ends inside JSON, and
/// the ssh.com format PuTTYgen exports (four dashes, not five).
#[test]
fn other_key_forms() {
    flagged(PKCS8_ENCRYPTED, PKCS8_ENCRYPTED, &["encrypted_pkcs8"]);
    assert!(RSA_CRLF.contains("\r\n"));
    flagged(&in_json(RSA_CRLF), RSA_CRLF, &["rsa"]);
    flagged(&format!("exported:\n{SSHCOM}"), SSHCOM, &["ssh2"]);
    // Cut off before its END line, it still is a key.
    let cut = &SSHCOM[..SSHCOM.find("---- END").unwrap()];
    flagged(cut, SSHCOM, &["ssh2"]);
}
