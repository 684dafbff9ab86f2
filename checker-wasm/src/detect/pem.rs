//! PEM blocks and bare base64 blobs, as people paste them.
//!
//! ## What it recognises
//! Every `-----BEGIN X-----` ... `-----END X-----` block: CRLF or LF, indented, quoted with `> ` (any
//! depth), several in a row, or squashed onto one line by a chat tool. `Proc-Type`/`DEK-Info` headers are
//! skipped. A block without its END line is reported as cut off. Outside blocks, a run of base64-only lines
//! that starts like DER (`MI`) is a bare blob (what `certutil -encode` minus its armour, or a copy from a
//! certificate dialog's "Base-64" export, looks like).
//!
//! ## Why by hand
//! Strict PEM parsers reject quoted and indented blocks, which is most of what arrives by mail. This
//! reader is tolerant about layout and strict about content: a wrong character is reported, not guessed.

use crate::detect::decode_error::DecodeError;
use crate::detect::scan::{lines, unquote};

/// The decoded content of a block, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Body {
    Decoded(Vec<u8>),
    /// Not decoded on purpose (private keys: their bytes are never read).
    Skipped,
    Damaged(DecodeError),
}

/// One PEM block of the paste.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Block {
    /// The BEGIN line's label, upper case, e.g. `CERTIFICATE`, `RSA PRIVATE KEY`.
    pub(crate) label: String,
    pub(crate) span: [usize; 2],
    pub(crate) body: Body,
    /// No END line before the next block or the end of the paste.
    pub(crate) truncated: bool,
}

/// True for labels whose content is a private key: never decoded, never echoed. `PGP PRIVATE KEY BLOCK`
/// holds one too, so the words are looked for anywhere in the label.
pub(crate) fn is_private_key_label(label: &str) -> bool {
    label.contains("PRIVATE KEY")
}

fn is_b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'='
}

/// Decodes standard base64, ignoring whitespace. Missing padding is accepted; anything else wrong is an
/// error saying what.
pub(crate) fn base64(input: impl IntoIterator<Item = u8>) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    let mut n = 0usize;
    let mut padding = false;
    for c in input {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding = true;
                continue;
            }
            c if c.is_ascii_whitespace() => continue,
            _ => return Err(DecodeError::Base64Character),
        };
        if padding {
            return Err(DecodeError::Base64AfterPadding);
        }
        n += 1;
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    if n % 4 == 1 {
        return Err(DecodeError::Base64CutOff);
    }
    Ok(out)
}

/// The base64 characters of a block's body: lines unquoted, headers (`Key: value`) skipped.
fn body_chars(body: &str) -> Vec<u8> {
    let mut chars = Vec::with_capacity(body.len());
    for line in body.split('\n') {
        let (_, rest) = unquote(line);
        if rest.contains(':') {
            continue;
        }
        chars.extend(rest.bytes().filter(|c| !c.is_ascii_whitespace()));
    }
    chars
}

/// Longest label searched for after `-----BEGIN ` or `-----END ` (labels are short: `ENCRYPTED PRIVATE
/// KEY` is 21 bytes).
const MAX_LABEL: usize = 64;

/// The length of the label starting at `from`: up to its closing `-----`, on the same line, within
/// [`MAX_LABEL`] bytes.
///
/// ## Why bounded
/// Searching to the end of the line for the closing dashes read the rest of a one-line paste at every
/// marker: 1.6 MB of BEGIN markers on one line took 3 s.
fn label_at(text: &str, from: usize) -> Option<usize> {
    let b = text.as_bytes();
    let window = b.get(from..b.len().min(from + MAX_LABEL + 5))?;
    let at = window.windows(5).position(|w| w == b"-----")?;
    (!window.get(..at)?.contains(&b'\n')).then_some(at)
}

/// Every PEM block in `text`, in order. Linear: each byte is searched at most twice, and the label
/// searches are bounded. An iterator, so a paste of a million markers is not held as a million blocks.
pub(crate) fn blocks(text: &str) -> impl Iterator<Item = Block> + '_ {
    const BEGIN: &str = "-----BEGIN ";
    const END: &str = "-----END ";
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        while let Some(off) = text.get(pos..).and_then(|r| r.find(BEGIN)) {
            let begin = pos + off;
            let label_start = begin + BEGIN.len();
            let Some(label_len) = label_at(text, label_start) else {
                pos = label_start;
                continue;
            };
            let raw_label = text.get(label_start..label_start + label_len).unwrap_or("");
            let label = if raw_label.len() <= 40
                && raw_label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b' ')
            {
                raw_label.to_ascii_uppercase()
            } else {
                "UNKNOWN".to_string()
            };
            let body_start = label_start + label_len + 5;
            let next_begin = text
                .get(body_start..)
                .and_then(|r| r.find(BEGIN))
                .map_or(text.len(), |n| body_start + n);
            // The BEGIN line's end, searched no further than the next block.
            let line_end = text
                .get(body_start..next_begin)
                .and_then(|r| r.find('\n'))
                .map_or(next_begin, |e| body_start + e);
            let end_at = text
                .get(body_start..next_begin)
                .and_then(|r| r.find(END))
                .map(|e| body_start + e);
            let private = is_private_key_label(&label);
            match end_at {
                Some(end_at) => {
                    let close = label_at(text, end_at + END.len())
                        .map_or(end_at + END.len(), |c| end_at + END.len() + c + 5);
                    let body_text = text.get(body_start..end_at).unwrap_or("");
                    let body = if private {
                        Body::Skipped
                    } else {
                        let chars = body_chars(body_text);
                        if chars.is_empty() {
                            Body::Damaged(DecodeError::EmptyBlock)
                        } else {
                            base64(chars).map_or_else(Body::Damaged, Body::Decoded)
                        }
                    };
                    pos = close;
                    return Some(Block {
                        label,
                        span: [begin, close],
                        body,
                        truncated: false,
                    });
                }
                None => {
                    // Cut off: the block runs over the base64-looking lines after its BEGIN line.
                    let mut end = line_end;
                    for line in lines(text.get(line_end..next_begin).unwrap_or("")).skip(1) {
                        let (_, rest) = unquote(line.text);
                        if rest.is_empty()
                            || !rest
                                .bytes()
                                .all(|c| is_b64(c) || c == b':' || c == b' ' || c == b',')
                        {
                            break;
                        }
                        end = line_end + line.end();
                    }
                    let body = if private {
                        Body::Skipped
                    } else {
                        Body::Damaged(DecodeError::NoEndLine)
                    };
                    pos = next_begin.max(begin + 1);
                    return Some(Block {
                        label,
                        span: [begin, end],
                        body,
                        truncated: true,
                    });
                }
            }
        }
        None
    })
}

/// A bare blob's span and its decoded bytes, or why base64 decoding failed.
pub(crate) type Blob = ([usize; 2], Result<Vec<u8>, DecodeError>);

/// Bare base64 blobs outside `covered` spans (the PEM blocks).
///
/// A blob starts at a line that begins like DER (`M`, the base64 of a SEQUENCE tag) and is at least 40
/// characters long; wrapped base64 has lines of one width, so the blob goes on over lines of the same width
/// and may end with one shorter line that completes a multiple of four characters. Blobs shorter than
/// `MIN_BLOB` characters are ignored: the smallest key worth flagging (an EC P-256 PKCS#8 key) is 184
/// characters, and shorter runs are hashes or ids. Returns each blob's span and its decoding; the engine
/// keeps only blobs that decode to a certificate or a key.
pub(crate) fn bare_blobs(text: &str, covered: &[[usize; 2]]) -> Vec<Blob> {
    const MIN_BLOB: usize = 120;
    // The largest certificate or key worth reading is far below this (a 16384-bit RSA key is 12 KB of
    // base64): a longer run is data, and copying and decoding megabytes of it was the costliest step.
    const MAX_BLOB: usize = 64 * 1024;
    const MIN_WIDTH: usize = 40;
    struct Run {
        span: [usize; 2],
        width: usize,
        chars: Vec<u8>,
        closed: bool,
    }
    let mut out = Vec::new();
    let mut run: Option<Run> = None;
    let mut cov = covered.iter().peekable();
    let finish = |run: &mut Option<Run>, out: &mut Vec<_>| {
        if let Some(r) = run.take() {
            if r.chars.len() >= MIN_BLOB {
                out.push((r.span, base64(r.chars)));
            }
        }
    };
    for line in lines(text) {
        while cov.peek().is_some_and(|c| c[1] <= line.start) {
            cov.next();
        }
        let inside = cov
            .peek()
            .is_some_and(|c| c[0] <= line.end() && line.start < c[1]);
        let (off, rest) = unquote(line.text);
        let b64 = !inside && !rest.is_empty() && rest.bytes().all(is_b64);
        match run.as_mut() {
            Some(r)
                if b64
                    && !r.closed
                    && r.chars.len() + rest.len() <= MAX_BLOB
                    && (rest.len() == r.width
                        || (rest.len() < r.width && (r.chars.len() + rest.len()) % 4 == 0)) =>
            {
                r.span[1] = line.end();
                r.chars.extend_from_slice(rest.as_bytes());
                r.closed = rest.len() < r.width;
                continue;
            }
            Some(_) => finish(&mut run, &mut out),
            None => {}
        }
        if b64 && rest.len() >= MIN_WIDTH && rest.len() <= MAX_BLOB && rest.starts_with('M') {
            run = Some(Run {
                span: [line.start + off, line.end()],
                width: rest.len(),
                chars: rest.as_bytes().to_vec(),
                closed: false,
            });
        }
    }
    finish(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_roundtrip_and_errors() {
        assert_eq!(base64(*b"TWFu").unwrap(), b"Man");
        assert_eq!(base64(*b"TWE=").unwrap(), b"Ma");
        assert_eq!(base64(*b"TWE").unwrap(), b"Ma");
        assert_eq!(base64(*b"T W\r\nE=").unwrap(), b"Ma");
        assert!(base64(*b"TW!u").is_err());
        assert!(base64(*b"TWE=x").is_err());
        assert!(base64(*b"TWFuT").is_err());
    }

    #[track_caller]
    fn check(input: &str, expect: &[&str]) {
        let got: Vec<String> = blocks(input)
            .map(|b| {
                let body = match &b.body {
                    Body::Decoded(d) => format!("{} bytes", d.len()),
                    Body::Skipped => "skipped".to_string(),
                    Body::Damaged(why) => format!("damaged: {why}"),
                };
                let span = &input[b.span[0]..b.span[1]];
                let tail = &span[span.len().saturating_sub(6)..];
                format!(
                    "{} {body}{} <{}..{tail}>",
                    b.label,
                    if b.truncated { " (truncated)" } else { "" },
                    &span[..5]
                )
            })
            .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn quoted_crlf_and_several_blocks() {
        let input =
            "> -----BEGIN CERTIFICATE-----\r\n> TWFu\r\n>  TWFu\r\n> -----END CERTIFICATE-----\r\n\
                     -----BEGIN CERTIFICATE----- TWFu -----END CERTIFICATE-----";
        check(
            input,
            &[
                "CERTIFICATE 6 bytes <-----..E----->",
                "CERTIFICATE 3 bytes <-----..E----->",
            ],
        );
    }

    #[test]
    fn private_keys_are_not_decoded() {
        check(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES\n\nTWFu\n-----END RSA PRIVATE KEY-----",
            &["RSA PRIVATE KEY skipped <-----..Y----->"],
        );
    }

    #[test]
    fn truncated_and_damaged() {
        check(
            "-----BEGIN CERTIFICATE-----\nTWFu\nTWFu\n\nlater text\n-----BEGIN CERTIFICATE-----\nTW!u\n-----END CERTIFICATE-----\n",
            &[
                "CERTIFICATE damaged: the block has no END line: the paste seems cut off (truncated) <-----..u\nTWFu>",
                "CERTIFICATE damaged: the base64 text contains a character base64 does not use <-----..E----->",
            ],
        );
        check(
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----",
            &["CERTIFICATE damaged: the block is empty <-----..E----->"],
        );
        check("-----BEGIN junk without dashes\n", &[]);
    }

    #[test]
    fn bare_blob_runs() {
        let blob = format!("MI{}", "A".repeat(254));
        let text = format!(
            "intro\n{}\n{}\noutro\nshort\nMIAB\n",
            &blob[..128],
            &blob[128..]
        );
        let got = bare_blobs(&text, &[]);
        assert_eq!(got.len(), 1);
        assert_eq!(
            &text[got[0].0[0]..got[0].0[1]],
            format!("{}\n{}", &blob[..128], &blob[128..])
        );
        assert!(bare_blobs(&text, &[[0, text.len()]]).is_empty());
    }
}
