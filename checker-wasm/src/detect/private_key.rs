//! Private keys: recognised, flagged, never read and never echoed.
//!
//! ## What it recognises
//! PEM blocks labelled `RSA PRIVATE KEY` (PKCS#1), `PRIVATE KEY` (PKCS#8), `EC PRIVATE KEY`,
//! `ENCRYPTED PRIVATE KEY`, `OPENSSH PRIVATE KEY`, `DSA PRIVATE KEY`, `PGP PRIVATE KEY BLOCK`; the
//! ssh.com (RFC 4716 style) `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----` that PuTTYgen exports; PuTTY
//! `.ppk` files (`PuTTY-User-Key-File-2:`/`-3:`), anywhere on a line and also inside a JSON or other
//! escaped string (`\n` for line breaks); the body of an OpenSSH key without its armour (base64 of
//! `openssh-key-v1\0`, which always starts `b3BlbnNzaC1rZXktdjEA`), wrapped, quoted or escaped the same
//! ways; and DER or bare base64 whose structure is a PKCS#1, PKCS#8, SEC1 (EC) or PKCS#12 container.
//!
//! ## How far a key reaches
//! Masking more than the key is safe (a few words of the paste go unread); masking less would let key
//! bytes reach the report. So an escaped key runs to the end of its string (the closing unescaped `"`) or
//! of its line, and a key's lines run on while they look like its lines.
//!
//! ## Why
//! People paste the whole `.pem` a tool exported, key included. The report keeps only the key's type and
//! position, and the engine masks its bytes before any other detector runs, so no part of it can reach a
//! signal, a `why` or a note. The reader is told to rotate it: a pasted key must be treated as exposed.

use crate::detect::cert::tlv;
use crate::detect::scan::{lines, unquote};
use crate::report::KeyType;

/// The advice added to the notes when a key was pasted.
pub(crate) const ROTATE_NOTE: &str = "A private key was pasted. It was not read or copied into this report, but \
     treat it as exposed: create a new key and certificate, replace the old ones, and delete the paste wherever it \
     was sent or stored.";

/// The report's `key_type` for a PEM label.
pub(crate) fn key_type(label: &str) -> KeyType {
    match label {
        "RSA PRIVATE KEY" => KeyType::Rsa,
        "PRIVATE KEY" => KeyType::Pkcs8,
        "EC PRIVATE KEY" => KeyType::Ec,
        "ENCRYPTED PRIVATE KEY" => KeyType::EncryptedPkcs8,
        "OPENSSH PRIVATE KEY" => KeyType::Openssh,
        "DSA PRIVATE KEY" => KeyType::Dsa,
        "PGP PRIVATE KEY BLOCK" => KeyType::Pgp,
        "SSH2 ENCRYPTED PRIVATE KEY" => KeyType::Ssh2,
        _ => KeyType::Unknown,
    }
}

/// Recognises a private key (or a PKCS#12 bundle, which carries one) by its DER structure alone.
pub(crate) fn sniff_der(der: &[u8]) -> Option<KeyType> {
    let (0x30, seq, _) = tlv(der)? else {
        return None;
    };
    let (tag, first, rest) = tlv(seq)?;
    let (next_tag, next, _) = tlv(rest)?;
    match (tag, first, next_tag) {
        (0x02, [0], 0x30) => Some(KeyType::Pkcs8),
        (0x02, [0], 0x02) => Some(KeyType::Rsa),
        (0x02, [1], 0x04) => Some(KeyType::Ec),
        (0x02, [3], 0x30) => Some(KeyType::Pkcs12),
        // EncryptedPrivateKeyInfo: AlgorithmIdentifier (starts with an OID), then the encrypted OCTET STRING.
        // A certificate's first element is TBSCertificate, which never starts with an OID.
        (0x30, alg, 0x04) if alg.first() == Some(&0x06) && !next.is_empty() => {
            Some(KeyType::EncryptedPkcs8)
        }
        _ => None,
    }
}

/// The start of every PuTTY key file.
const PUTTY: &str = "PuTTY-User-Key-File-";

/// PuTTY key files (`PuTTY-User-Key-File-2: ssh-rsa` ... `Private-MAC: ...`): their spans.
///
/// The header may start anywhere on a line (`"key": "PuTTY-User-Key-File-3: ...`). When the header's
/// value is followed by an escape (`\n`) rather than a line break, the file is an escaped string: it runs
/// to its closing quote or the end of the line. Otherwise it runs over the following lines to its
/// `Private-MAC:` line or an empty line.
pub(crate) fn putty(text: &str) -> Vec<[usize; 2]> {
    let mut out = Vec::new();
    let mut open: Option<[usize; 2]> = None;
    for line in lines(text) {
        let (_, rest) = unquote(line.text);
        let marked = line.text.contains(PUTTY);
        if let Some(span) = open.as_mut() {
            if !marked {
                if rest.is_empty() {
                    out.extend(open.take());
                    continue;
                }
                span[1] = line.end();
                if rest.starts_with("Private-MAC:") {
                    out.extend(open.take());
                }
                continue;
            }
            out.extend(open.take());
        }
        if !marked {
            continue;
        }
        let mut from = 0;
        while let Some(at) = line.text.get(from..).and_then(|r| r.find(PUTTY)) {
            let start = from + at;
            let tail = line.text.get(start..).unwrap_or("");
            match escaped_len(tail) {
                Some(len) => {
                    out.push([line.start + start, line.start + start + len]);
                    from = start + len.max(1);
                }
                None => {
                    open = Some([line.start + start, line.end()]);
                    break;
                }
            }
        }
    }
    out.extend(open);
    out
}

/// For a key written as an escaped string (`header\nnext line\n...`): how many bytes of `tail` it takes,
/// up to its closing unescaped `"` or the end of `tail`. `None` when the header line ends without an
/// escape: the key is written over real lines.
fn escaped_len(tail: &str) -> Option<usize> {
    let b = tail.as_bytes();
    // The header's value is a short algorithm name: an escape must come before any quote.
    let first = b.iter().take(120).position(|&c| c == b'\\' || c == b'"')?;
    if b.get(first) != Some(&b'\\') {
        return None;
    }
    let mut i = first;
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    Some(b.len())
}

/// ssh.com keys (what PuTTYgen's "Export ssh.com key" writes, RFC 4716 style armour with four dashes):
/// their spans. Without its END line a key runs to the next BEGIN or the end of the paste.
pub(crate) fn ssh2(text: &str) -> Vec<[usize; 2]> {
    const BEGIN: &str = "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----";
    const END: &str = "---- END SSH2 ENCRYPTED PRIVATE KEY ----";
    let mut out = Vec::new();
    let mut pos = 0usize;
    while let Some(off) = text.get(pos..).and_then(|r| r.find(BEGIN)) {
        let start = pos + off;
        let body = start + BEGIN.len();
        let next = text
            .get(body..)
            .and_then(|r| r.find(BEGIN))
            .map_or(text.len(), |n| body + n);
        let end = text
            .get(body..next)
            .and_then(|r| r.find(END))
            .map_or(next, |e| body + e + END.len());
        out.push([start, end]);
        pos = end;
    }
    out
}

/// The base64 of `openssh-key-v1\0`, the start of every OpenSSH private key's body.
const OPENSSH_BODY: &str = "b3BlbnNzaC1rZXktdjE";

fn is_b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'='
}

/// OpenSSH private key bodies without their armour lines, outside `covered` (sorted spans: the PEM blocks,
/// whose armoured keys are already found): their spans.
///
/// A body runs over base64 characters, the escapes a string may hold (`\n`, `\r`, `\/`), and line breaks
/// followed by a line (after spaces and `>` quote marks) of base64 only: the shape `cat id_ed25519` has
/// without its first and last lines, pasted, quoted or put in JSON.
pub(crate) fn openssh_bodies(text: &str, covered: &[[usize; 2]]) -> Vec<[usize; 2]> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut cov = covered.iter().peekable();
    let mut pos = 0usize;
    while let Some(off) = text.get(pos..).and_then(|r| r.find(OPENSSH_BODY)) {
        let start = pos + off;
        while cov.peek().is_some_and(|c| c[1] <= start) {
            cov.next();
        }
        let inside = cov.peek().is_some_and(|c| c[0] <= start);
        // A token start: not in the middle of other base64 (but after an escape like `\n` is fine).
        let escaped = start >= 2 && b.get(start - 2) == Some(&b'\\');
        let glued = start > 0 && b.get(start - 1).is_some_and(|&c| is_b64(c)) && !escaped;
        if inside || glued {
            pos = start + 1;
            continue;
        }
        let end = body_end(b, start);
        out.push([start, end]);
        pos = end.max(start + 1);
    }
    out
}

/// Where a base64 body starting at `i` ends (see [`openssh_bodies`]).
fn body_end(b: &[u8], mut i: usize) -> usize {
    loop {
        match b.get(i) {
            Some(&c) if is_b64(c) => i += 1,
            Some(b'\\') if matches!(b.get(i + 1), Some(b'n' | b'r' | b'/')) => i += 2,
            Some(b'\r' | b'\n') => {
                // The next line goes on with the body if, after its quote marks, it is base64 only.
                let mut j = i;
                while matches!(b.get(j), Some(b'\r' | b'\n')) && j - i < 2 {
                    j += 1;
                }
                while matches!(b.get(j), Some(b' ' | b'\t' | b'>')) {
                    j += 1;
                }
                let run = b
                    .get(j..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|&&c| is_b64(c))
                    .count();
                let line_ends = matches!(b.get(j + run), None | Some(b'\r' | b'\n'));
                if run == 0 || !line_ends {
                    return i;
                }
                i = j + run;
            }
            _ => return i,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_key_containers() {
        // PKCS#1: SEQUENCE { INTEGER 0, INTEGER n, ... }
        assert_eq!(
            sniff_der(&[0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x05]),
            Some(KeyType::Rsa)
        );
        // PKCS#8: SEQUENCE { INTEGER 0, SEQUENCE {...}, OCTET STRING }
        assert_eq!(
            sniff_der(&[0x30, 0x05, 0x02, 0x01, 0x00, 0x30, 0x00]),
            Some(KeyType::Pkcs8)
        );
        assert_eq!(
            sniff_der(&[0x30, 0x05, 0x02, 0x01, 0x01, 0x04, 0x00]),
            Some(KeyType::Ec)
        );
        assert_eq!(
            sniff_der(&[0x30, 0x07, 0x30, 0x02, 0x06, 0x00, 0x04, 0x01, 0x00]),
            Some(KeyType::EncryptedPkcs8)
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
