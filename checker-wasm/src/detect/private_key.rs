//! Private keys: recognised, flagged, never read and never echoed.
//!
//! ## What it recognises
//! PEM blocks labelled `RSA PRIVATE KEY` (PKCS#1), `PRIVATE KEY` (PKCS#8), `EC PRIVATE KEY`,
//! `ENCRYPTED PRIVATE KEY`, `OPENSSH PRIVATE KEY`, `DSA PRIVATE KEY`; PuTTY `.ppk` files; and DER or bare
//! base64 whose structure is a PKCS#1, PKCS#8, SEC1 (EC) or PKCS#12 container.
//!
//! ## Why
//! People paste the whole `.pem` a tool exported, key included. The report keeps only the key's type and
//! position, and the engine masks its bytes before any other detector runs, so no part of it can reach a
//! signal, a `why` or a note. The reader is told to rotate it: a pasted key must be treated as exposed.

use crate::detect::cert::tlv;
use crate::detect::scan::{lines, unquote};

/// The advice added to the notes when a key was pasted.
pub(crate) const ROTATE_NOTE: &str = "A private key was pasted. It was not read or copied into this report, but \
     treat it as exposed: create a new key and certificate, replace the old ones, and delete the paste wherever it \
     was sent or stored.";

/// The report's `key_type` for a PEM label.
pub(crate) fn key_type(label: &str) -> &'static str {
    match label {
        "RSA PRIVATE KEY" => "rsa",
        "PRIVATE KEY" => "pkcs8",
        "EC PRIVATE KEY" => "ec",
        "ENCRYPTED PRIVATE KEY" => "encrypted_pkcs8",
        "OPENSSH PRIVATE KEY" => "openssh",
        "DSA PRIVATE KEY" => "dsa",
        _ => "unknown",
    }
}

/// Recognises a private key (or a PKCS#12 bundle, which carries one) by its DER structure alone.
pub(crate) fn sniff_der(der: &[u8]) -> Option<&'static str> {
    let (0x30, seq, _) = tlv(der)? else {
        return None;
    };
    let (tag, first, rest) = tlv(seq)?;
    let (next_tag, next, _) = tlv(rest)?;
    match (tag, first, next_tag) {
        (0x02, [0], 0x30) => Some("pkcs8"),
        (0x02, [0], 0x02) => Some("rsa"),
        (0x02, [1], 0x04) => Some("ec"),
        (0x02, [3], 0x30) => Some("pkcs12"),
        // EncryptedPrivateKeyInfo: AlgorithmIdentifier (starts with an OID), then the encrypted OCTET STRING.
        // A certificate's first element is TBSCertificate, which never starts with an OID.
        (0x30, alg, 0x04) if alg.first() == Some(&0x06) && !next.is_empty() => {
            Some("encrypted_pkcs8")
        }
        _ => None,
    }
}

/// PuTTY key files (`PuTTY-User-Key-File-2: ssh-rsa` ... `Private-MAC: ...`): their spans.
pub(crate) fn putty(text: &str) -> Vec<[usize; 2]> {
    let mut out = Vec::new();
    let mut open: Option<[usize; 2]> = None;
    for line in lines(text) {
        let (off, rest) = unquote(line.text);
        if rest.starts_with("PuTTY-User-Key-File-") {
            if let Some(span) = open.take() {
                out.push(span);
            }
            open = Some([line.start + off, line.end()]);
            continue;
        }
        if let Some(span) = open.as_mut() {
            if rest.is_empty() {
                out.extend(open.take());
                continue;
            }
            span[1] = line.end();
            if rest.starts_with("Private-MAC:") {
                out.extend(open.take());
            }
        }
    }
    out.extend(open);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_key_containers() {
        // PKCS#1: SEQUENCE { INTEGER 0, INTEGER n, ... }
        assert_eq!(
            sniff_der(&[0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x05]),
            Some("rsa")
        );
        // PKCS#8: SEQUENCE { INTEGER 0, SEQUENCE {...}, OCTET STRING }
        assert_eq!(
            sniff_der(&[0x30, 0x05, 0x02, 0x01, 0x00, 0x30, 0x00]),
            Some("pkcs8")
        );
        assert_eq!(
            sniff_der(&[0x30, 0x05, 0x02, 0x01, 0x01, 0x04, 0x00]),
            Some("ec")
        );
        assert_eq!(
            sniff_der(&[0x30, 0x07, 0x30, 0x02, 0x06, 0x00, 0x04, 0x01, 0x00]),
            Some("encrypted_pkcs8")
        );
        assert_eq!(sniff_der(&[0x30, 0x05, 0x30, 0x03, 0xa0, 0x01, 0x02]), None);
        assert_eq!(sniff_der(b"hello"), None);
    }

    #[test]
    fn putty_files() {
        let text = "before\nPuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nPrivate-Lines: 1\nAAAA\nPrivate-MAC: ab\nafter\n";
        let spans = putty(text);
        assert_eq!(spans.len(), 1);
        assert_eq!(&text[spans[0][0]..spans[0][1]], "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nPrivate-Lines: 1\nAAAA\nPrivate-MAC: ab");
    }
}
