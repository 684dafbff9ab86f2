//! OpenSSL's text output about certificates, pasted without the PEM block: read into the same facts and
//! findings as a decoded certificate.
//!
//! ## What it recognises
//! - `openssl x509 -text -noout` (and `-text` alone, `openssl req -x509 -text`...), printed by
//!   `X509_print_ex` in OpenSSL's crypto/x509/t_x509.c: `Certificate:`, `Serial Number:` (a short serial on the
//!   same line as `4660 (0x1234)`, a long one as colon-separated hex on the next line, maybe `(Negative)`),
//!   `Signature Algorithm:`, `Issuer:`, `Validity`, `Not Before: Mar  1 08:00:00 2024 GMT` and
//!   `Not After : ...` (`ossl_asn1_time_print_ex` with `ASN1_DTFLGS_RFC822`: the day padded to two columns;
//!   `2024-03-01 08:00:00Z` with `-dateopt iso_8601`), `Subject:`, `Public Key Algorithm:`,
//!   `Public-Key: (2048 bit)` (1.1 prints `RSA Public-Key: (2048 bit)`), `NIST CURVE:`/`ASN1 OID:`, and under
//!   `X509v3 extensions:` the next line of `X509v3 Subject Alternative Name:`, `X509v3 Extended Key Usage:`,
//!   `X509v3 Basic Constraints:`, `X509v3 Key Usage:`, `X509v3 Subject Key Identifier:` and
//!   `X509v3 Authority Key Identifier:` (1.1 prefixes the key id with `keyid:`). Names in every form OpenSSL
//!   prints them: `C = US, O = Contoso, CN = x` (1.1 and 3.0 `oneline`), `C=US, O=Contoso, CN=x` (1.0
//!   `compat`, 3.2 and later), `/C=US/O=Contoso/CN=x` (1.0 `-subject`), `CN=x,O=Contoso,C=US` (`RFC2253`).
//! - `openssl x509 -noout -subject -issuer -dates -serial`: `subject=`, `issuer=`, `notBefore=`, `notAfter=`,
//!   `serial=` (apps/x509.c).
//! - `openssl s_client -connect host:port` (apps/s_client.c `print_stuff`): the `Certificate chain` entries
//!   ` 0 s:CN = x`, `   i:CN = y`, and since 3.0 `   a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256`
//!   (3.2 and later: `a:PKEY: RSA, 2048 (bit); sigalg: sha256WithRSAEncryption`, `a:PKEY: EC, (prime256v1)`)
//!   and `   v:NotBefore: ...; NotAfter: ...`. The host of `s_client -connect host:port` is the host the
//!   reader connected to (for `hostname_mismatch`, like a port test's target).
//! - Verification results, mapped by number through FreeRDP's table of OpenSSL reasons
//!   ([`crate::detect::freerdp::REASONS`]): `Verify return code: 10 (certificate has expired)` (s_client
//!   `print_stuff`), `verify error:num=10:certificate has expired` (apps/lib/s_cb.c `verify_callback`) and
//!   `error 10 at 0 depth lookup: certificate has expired` (apps/verify.c `cb`). Each becomes a
//!   `verify_failure` warning from `openssl`, each finding once.
//!
//! ## What is not claimed
//! A text shows what its command printed, no more. A certificate is reported only when its `Not After`
//! is shown, together with a subject, issuer or serial (a lone `notAfter=` line, as s_client's verify
//! callback prints, is not a certificate). Fields the text does not show stay empty and make no finding:
//! - no `Not Before`: no `not_yet_valid`;
//! - no key size: no `weak_key`; no signature algorithm: no `sha1_signature`;
//! - EKU: `missing_server_auth_eku` only when the `X509v3 Extended Key Usage:` line is shown and lists
//!   no server purpose. Without that line the EKU is absent (extensions shown) or unknown (not shown);
//!   both are read as "any purpose", as for a certificate without the extension;
//! - names: `hostname_mismatch` only when the extensions section is shown (so an absent SAN is really
//!   absent); an `s_client` chain entry shows no alternative names, so it is never judged on names;
//! - `s_client` chain entries below depth 0 issued the entry above them: they are CAs by position.
//! - `self_signed` when subject and issuer are both shown and equal (and, when both key identifiers are
//!   shown, they agree).
//!
//! A certificate both pasted as PEM and described in text (`x509 -text` without `-noout` prints both;
//! `s_client -showcerts` prints each chain entry before its PEM) is reported once, from the PEM: see
//! [`merge`].
//!
//! ## Cost
//! Nothing runs unless the paste holds one of a few markers (one substring search each); then one pass over
//! the lines.

use std::net::IpAddr;

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::detect::cert::{eku_name, rfc3339, Decoded, OID_SERVER_AUTH};
use crate::detect::freerdp;
use crate::detect::scan::{lines, name_token, unquote, Hosts};
use crate::index::CertFinding;
use crate::report::{CertificateFacts, Signal};

/// Substrings of which at least one is in any paste this detector reads.
const MARKERS: &[&str] = &[
    "Not After",
    "NotAfter:",
    "notAfter=",
    "Verify return code:",
    "verify error:num=",
    " depth lookup:",
    "s_client",
];

/// Unrecognised lines after which a certificate's text is closed: after a `Certificate:` header (long hex
/// dumps and extensions this reader skips lie between fields), and without one.
const GAP_IN_CERT: usize = 60;
const GAP_LOOSE: usize = 6;

/// Which value the next line holds.
#[derive(Clone, Copy, PartialEq, Default)]
enum Pending {
    #[default]
    None,
    Serial,
    San,
    Eku,
    BasicConstraints,
    KeyUsage,
    Ski,
    Aki,
    /// An extension this reader does not use: its value is skipped.
    Other,
}

/// A certificate being read from text.
#[derive(Default)]
struct Draft {
    start: usize,
    end: usize,
    /// Opened by `Certificate:` (allows the long gap).
    header: bool,
    /// An `s_client` chain entry at this depth.
    depth: Option<usize>,
    gap: usize,
    pending: Pending,
    subject: Option<String>,
    issuer: Option<String>,
    serial: Option<String>,
    not_before: Option<OffsetDateTime>,
    not_after: Option<OffsetDateTime>,
    sig: Option<String>,
    key_alg: Option<String>,
    key_bits: Option<usize>,
    curve: Option<String>,
    extensions: bool,
    sans: Vec<String>,
    dns: Vec<String>,
    ips: Vec<IpAddr>,
    eku: Option<Vec<String>>,
    key_usage: Vec<String>,
    is_ca: bool,
    ski: Option<String>,
    aki: Option<String>,
}

/// Reads OpenSSL text in `text`: certificates into `certs` (judged later with the decoded ones),
/// verification results into `out`, and the `s_client -connect` host into `hosts`.
pub(crate) fn detect(
    text: &str,
    now: OffsetDateTime,
    certs: &mut Vec<Decoded>,
    out: &mut Vec<Signal>,
    hosts: &mut Hosts,
) {
    if !MARKERS.iter().any(|m| text.contains(m)) {
        return;
    }
    let mut seen: Vec<CertFinding> = Vec::new();
    let mut draft: Option<Draft> = None;
    for line in lines(text) {
        let (off, body) = unquote(line.text);
        let start = line.start + off;
        if let Some((code, at)) = verify_code(body) {
            push_reason(code, [start + at, line.end()], &mut seen, out);
            continue;
        }
        if body.contains("s_client") {
            connect_host(body, hosts);
            continue;
        }
        let Some(d) = draft.as_mut() else {
            if let Some(d) = open(body, start, line.end()) {
                draft = Some(d);
            }
            continue;
        };
        match read_line(d, body) {
            Read::Field => {
                d.end = line.end();
                d.gap = 0;
            }
            Read::Filler => d.gap = 0,
            Read::New => {
                close(draft.take(), now, certs);
                draft = open(body, start, line.end());
            }
            Read::Other => {
                d.gap += 1;
                let limit = if d.header { GAP_IN_CERT } else { GAP_LOOSE };
                if d.gap > limit {
                    close(draft.take(), now, certs);
                }
            }
        }
    }
    close(draft.take(), now, certs);
}

/// What a line meant to the open draft.
enum Read {
    /// A field of this certificate.
    Field,
    /// Part of the output that is no field (a hex dump line, `Modulus:`, a skipped extension's value).
    Filler,
    /// The start of another certificate.
    New,
    /// Not OpenSSL's output.
    Other,
}

/// A draft opened by `body`, when it starts a certificate or is one of its fields.
fn open(body: &str, start: usize, end: usize) -> Option<Draft> {
    let mut d = Draft {
        start,
        end,
        ..Draft::default()
    };
    if body == "Certificate:" {
        d.header = true;
        return Some(d);
    }
    if let Some((depth, rest)) = chain_entry(body) {
        d.depth = Some(depth);
        d.is_ca = depth > 0;
        d.subject = parse_name(rest);
        return Some(d);
    }
    matches!(read_line(&mut d, body), Read::Field).then_some(d)
}

/// ` 0 s:CN = x` -> (0, `CN = x`).
fn chain_entry(body: &str) -> Option<(usize, &str)> {
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let rest = body.get(digits..)?.strip_prefix(" s:")?;
    let depth = body
        .get(..digits)?
        .parse()
        .ok()
        .filter(|&n: &usize| n < 100)?;
    Some((depth, rest))
}

/// Reads one line into the draft.
fn read_line(d: &mut Draft, body: &str) -> Read {
    if body.is_empty() {
        return Read::Other;
    }
    if body == "Certificate:" || chain_entry(body).is_some() {
        return Read::New;
    }
    // The value line of an extension header.
    let pending = std::mem::take(&mut d.pending);
    if pending != Pending::None {
        if pending == Pending::Serial && is_hex_dump(body) {
            d.serial = Some(serial_from_hex(body, false));
            return Read::Field;
        }
        if pending == Pending::Serial && body == "(Negative)" {
            d.pending = Pending::Serial;
            return Read::Filler;
        }
        if !is_label(body) {
            extension_value(d, pending, body);
            return if pending == Pending::Other {
                Read::Filler
            } else {
                Read::Field
            };
        }
    }
    // `s_client` chain entry lines.
    if d.depth.is_some() {
        if let Some(v) = body.strip_prefix("i:") {
            d.issuer = parse_name(v);
            return Read::Field;
        }
        if let Some(v) = body.strip_prefix("a:PKEY: ") {
            chain_key(d, v);
            return Read::Field;
        }
        if let Some(v) = body.strip_prefix("v:NotBefore: ") {
            let (nb, na) = v.split_once("; NotAfter: ").unwrap_or((v, ""));
            d.not_before = parse_time(nb);
            d.not_after = parse_time(na);
            return Read::Field;
        }
    }
    let Some((label, value)) = split_label(body) else {
        return if is_hex_dump(body) || body == "Validity" || body == "Data:" {
            Read::Filler
        } else {
            Read::Other
        };
    };
    // A field this draft already holds starts the next certificate (x509 -text of several, or
    // `-subject -dates` run on several files).
    let repeated = match label {
        "Serial Number" | "serial" => d.serial.is_some(),
        "Issuer" | "issuer" => d.issuer.is_some(),
        "Subject" | "subject" => d.subject.is_some(),
        "Not Before" | "notBefore" => d.not_before.is_some() || d.not_after.is_some(),
        "Not After" | "notAfter" => d.not_after.is_some(),
        _ => false,
    };
    if repeated {
        return Read::New;
    }
    match label {
        "Serial Number" => {
            if value.is_empty() {
                d.pending = Pending::Serial;
                return Read::Filler;
            }
            if value == "(Negative)" {
                d.pending = Pending::Serial;
                return Read::Filler;
            }
            d.serial = serial_short(value);
        }
        "serial" => d.serial = Some(serial_from_hex(value, false)),
        "Issuer" | "issuer" => match parse_name(value) {
            Some(n) => d.issuer = Some(n),
            None => return Read::Other,
        },
        "Subject" | "subject" => match parse_name(value) {
            Some(n) => d.subject = Some(n),
            None => return Read::Other,
        },
        "Not Before" | "notBefore" => match parse_time(value) {
            Some(t) => d.not_before = Some(t),
            None => return Read::Other,
        },
        "Not After" | "notAfter" => match parse_time(value) {
            Some(t) => d.not_after = Some(t),
            None => return Read::Other,
        },
        "Signature Algorithm" => {
            // Printed for the TBS and again before the signature: the first is enough.
            if d.sig.is_none() {
                d.sig = name_token(value, 80);
            }
        }
        "Public Key Algorithm" => d.key_alg = name_token(value, 80),
        "Public-Key" | "RSA Public-Key" | "RSA Public Key" | "EC Public-Key" => {
            d.key_bits = value
                .trim_start_matches('(')
                .split(' ')
                .next()
                .and_then(|n| n.parse().ok());
        }
        "NIST CURVE" => d.curve = name_token(value, 40),
        "ASN1 OID" => {
            if d.curve.is_none() {
                d.curve = name_token(curve_name(value), 40);
            }
        }
        "X509v3 extensions" => d.extensions = true,
        "X509v3 Subject Alternative Name" => d.pending = Pending::San,
        "X509v3 Extended Key Usage" => d.pending = Pending::Eku,
        "X509v3 Basic Constraints" => d.pending = Pending::BasicConstraints,
        "X509v3 Key Usage" => d.pending = Pending::KeyUsage,
        "X509v3 Subject Key Identifier" => d.pending = Pending::Ski,
        "X509v3 Authority Key Identifier" => d.pending = Pending::Aki,
        l if l.starts_with("X509v3 ") || l.starts_with("Authority Information Access") => {
            d.pending = Pending::Other;
            return Read::Filler;
        }
        "Version"
        | "Data"
        | "Subject Public Key Info"
        | "Modulus"
        | "Exponent"
        | "pub"
        | "Signature Value" => return Read::Filler,
        _ => return Read::Other,
    }
    Read::Field
}

/// `Label: value`, `Label : value`, `Label:` (value on the next line) or `label=value`, for the labels
/// this reader knows. Returns the label without spaces before its colon.
fn split_label(body: &str) -> Option<(&str, &str)> {
    if let Some((k, v)) = body.split_once('=') {
        if matches!(
            k,
            "subject" | "issuer" | "notBefore" | "notAfter" | "serial"
        ) {
            return Some((k, v.trim()));
        }
    }
    let (k, v) = body.split_once(':')?;
    let k = k.trim_end();
    let v = v.trim();
    // Extension headers end in `: critical` when the extension is critical.
    let v = if k.starts_with("X509v3 ") && v == "critical" {
        ""
    } else {
        v
    };
    (k.len() <= 40 && !k.is_empty()).then_some((k, v))
}

/// A line that is one of the labels above, not an extension's value.
fn is_label(body: &str) -> bool {
    split_label(body).is_some_and(|(k, _)| {
        k.starts_with("X509v3 ")
            || matches!(
                k,
                "Signature Algorithm" | "Signature Value" | "Subject" | "Issuer" | "Serial Number"
            )
    }) || body == "Certificate:"
}

/// `6a:78:ef:...` (a serial, key identifier or signature dump line).
fn is_hex_dump(body: &str) -> bool {
    body.len() >= 2
        && body.contains(':')
        && body
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b' ')
}

fn extension_value(d: &mut Draft, pending: Pending, v: &str) {
    match pending {
        Pending::San => {
            for entry in v.split(", ") {
                if let Some(dns) = entry.strip_prefix("DNS:") {
                    if let Some(n) = name_token(dns, 253) {
                        d.sans.push(n.clone());
                        d.dns.push(n);
                    }
                } else if let Some(ip) = entry
                    .strip_prefix("IP Address:")
                    .or_else(|| entry.strip_prefix("IP:"))
                {
                    if let Ok(ip) = ip.trim().parse::<IpAddr>() {
                        d.sans.push(ip.to_string());
                        d.ips.push(ip);
                    }
                }
            }
        }
        Pending::Eku => {
            d.eku = Some(
                v.split(", ")
                    .filter_map(|n| eku_oid(n.trim()))
                    .take(32)
                    .collect(),
            );
        }
        Pending::BasicConstraints => d.is_ca = v.contains("CA:TRUE"),
        Pending::KeyUsage => {
            d.key_usage = v
                .split(", ")
                .filter_map(|k| name_token(k, 40))
                .take(16)
                .collect();
        }
        Pending::Ski => d.ski = Some(v.to_ascii_lowercase()),
        Pending::Aki => {
            let v = v.strip_prefix("keyid:").unwrap_or(v);
            if is_hex_dump(v) {
                d.aki = Some(v.to_ascii_lowercase());
            }
        }
        Pending::None | Pending::Serial | Pending::Other => {}
    }
}

/// The OID of an EKU as OpenSSL names it (crypto/objects/objects.txt); an OID OpenSSL does not know is
/// printed as the OID itself. Any other name is kept as it is: it is no server purpose either way.
fn eku_oid(name: &str) -> Option<String> {
    let oid = match name {
        "TLS Web Server Authentication" => OID_SERVER_AUTH,
        "TLS Web Client Authentication" => "1.3.6.1.5.5.7.3.2",
        "Code Signing" => "1.3.6.1.5.5.7.3.3",
        "E-mail Protection" => "1.3.6.1.5.5.7.3.4",
        "Time Stamping" => "1.3.6.1.5.5.7.3.8",
        "OCSP Signing" => "1.3.6.1.5.5.7.3.9",
        "Any Extended Key Usage" => "2.5.29.37.0",
        other => return name_token(other, 80),
    };
    Some(oid.to_string())
}

/// `s_client`'s `a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256` and later spellings.
fn chain_key(d: &mut Draft, v: &str) {
    let (key, sig) = v.split_once("; sigalg: ").unwrap_or((v, ""));
    let (alg, size) = key.split_once(", ").unwrap_or((key, ""));
    d.key_alg = name_token(
        match alg {
            "RSA" => "rsaEncryption",
            "EC" => "id-ecPublicKey",
            other => other,
        },
        80,
    );
    if let Some(bits) = size.strip_suffix(" (bit)") {
        d.key_bits = bits.trim().parse().ok();
    } else if let Some(curve) = size.strip_prefix('(').and_then(|c| c.strip_suffix(')')) {
        d.curve = name_token(curve_name(curve), 40);
    }
    if !sig.is_empty() {
        d.sig = name_token(long_signature_name(sig.trim()), 80);
    }
}

/// `s_client` 3.0 and 3.1 print OpenSSL's short names of signature algorithms; facts use the long ones,
/// as `x509 -text` and a decoded certificate show them.
fn long_signature_name(short: &str) -> &str {
    match short {
        "RSA-MD5" => "md5WithRSAEncryption",
        "RSA-SHA1" => "sha1WithRSAEncryption",
        "RSA-SHA224" => "sha224WithRSAEncryption",
        "RSA-SHA256" => "sha256WithRSAEncryption",
        "RSA-SHA384" => "sha384WithRSAEncryption",
        "RSA-SHA512" => "sha512WithRSAEncryption",
        "RSASSA-PSS" => "rsassaPss",
        other => other,
    }
}

/// OpenSSL's curve names as the facts name them (`EC P-256`).
fn curve_name(name: &str) -> &str {
    match name.trim() {
        "prime256v1" | "secp256r1" => "P-256",
        "secp384r1" => "P-384",
        "secp521r1" => "P-521",
        other => other,
    }
}

/// Whether a signature algorithm's name says SHA-1 (`sha1WithRSAEncryption`, `ecdsa-with-SHA1`,
/// `dsa_with_SHA1`, `RSA-SHA1`): `sha1` not followed by a digit.
fn is_sha1(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower
        .match_indices("sha1")
        .any(|(i, _)| !lower.as_bytes().get(i + 4).is_some_and(u8::is_ascii_digit))
}

/// A serial as a decoded certificate shows it (`detect::cert`): lower-case hex of the number's value, as
/// OpenSSL prints it, without the `00` that DER adds when the top bit is set.
fn serial_from_hex(hex: &str, negative: bool) -> String {
    let mut digits: String = hex
        .bytes()
        .filter(u8::is_ascii_hexdigit)
        .map(|b| char::from(b.to_ascii_lowercase()))
        .take(80)
        .collect();
    if digits.len() % 2 == 1 {
        digits.insert(0, '0');
    }
    if negative {
        digits.insert(0, '-');
    }
    digits
}

/// A short serial: `4660 (0x1234)` or `-5 (-0x5)`.
fn serial_short(value: &str) -> Option<String> {
    let (_, hex) = value.split_once('(')?;
    let hex = hex.strip_suffix(')')?;
    let negative = hex.starts_with('-');
    let hex = hex.trim_start_matches('-').strip_prefix("0x")?;
    (!hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| serial_from_hex(hex, negative))
}

/// `Mar  1 08:00:00 2024 GMT` (also with fractional seconds, or without `GMT`) or `2024-03-01 08:00:00Z`.
pub(crate) fn parse_time(s: &str) -> Option<OffsetDateTime> {
    let mut parts = s.split_whitespace();
    let first = parts.next()?;
    let (date, clock) = if first.len() == 10 && first.as_bytes().get(4) == Some(&b'-') {
        let mut ymd = first.split('-');
        let y: i32 = ymd.next()?.parse().ok()?;
        let m: u8 = ymd.next()?.parse().ok()?;
        let d: u8 = ymd.next()?.parse().ok()?;
        let clock = parts.next()?.trim_end_matches('Z');
        (
            Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()?,
            clock,
        )
    } else {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let m = MONTHS.iter().position(|m| *m == first)?;
        let d: u8 = parts.next()?.parse().ok()?;
        let clock = parts.next()?;
        let y: i32 = parts.next()?.parse().ok()?;
        if !matches!(parts.next(), None | Some("GMT")) {
            return None;
        }
        let month = Month::try_from(u8::try_from(m + 1).ok()?).ok()?;
        (Date::from_calendar_date(y, month, d).ok()?, clock)
    };
    let clock = clock.split('.').next()?;
    let mut hms = clock.split(':');
    let h: u8 = hms.next()?.parse().ok()?;
    let mi: u8 = hms.next()?.parse().ok()?;
    let se: u8 = hms.next()?.parse().ok()?;
    if hms.next().is_some() {
        return None;
    }
    Some(PrimitiveDateTime::new(date, Time::from_hms(h, mi, se).ok()?).assume_utc())
}

/// A distinguished name as OpenSSL prints it, in the facts' form: `CN=x, O=y, C=z`, most specific first.
/// `None` when the text is no name (a mail's `Subject: cert expired`).
fn parse_name(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > 1000 {
        return None;
    }
    // (part, followed by a space): splits on `,` outside quotes and escapes, or on `/` for the 1.0 form.
    let mut parts: Vec<(String, bool)> = Vec::new();
    let slash = s.starts_with('/');
    let body = if slash { s.get(1..).unwrap_or("") } else { s };
    let sep = if slash { '/' } else { ',' };
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            c if c == sep && !quoted => {
                let spaced = chars.peek() == Some(&' ');
                parts.push((std::mem::take(&mut cur), spaced));
            }
            c => cur.push(c),
        }
    }
    parts.push((cur, false));
    // A part without `=` is the rest of the previous value (`O=Contoso, Ltd` in the unescaped 1.0 form).
    let mut rdns: Vec<String> = Vec::new();
    for (p, _) in &parts {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        match (p.contains('='), rdns.last_mut()) {
            (false, Some(last)) => {
                last.push_str(if slash { "/" } else { ", " });
                last.push_str(p);
            }
            (false, None) => return None,
            (true, _) => rdns.push(p.to_string()),
        }
    }
    let mut out: Vec<String> = Vec::new();
    for rdn in &rdns {
        let atvs: Option<Vec<String>> = rdn.split(" + ").map(atv).collect();
        out.push(atvs?.join(" + "));
    }
    if out.is_empty() {
        return None;
    }
    // `RFC2253` separates with a bare `,` and prints most specific first; every other form prints the
    // DER order (most general first), which the facts reverse.
    let rfc2253 = !slash && parts.len() > 1 && parts.iter().all(|(_, spaced)| !spaced);
    if !rfc2253 {
        out.reverse();
    }
    Some(out.join(", "))
}

/// `CN = x`, `CN=x`, `O = "Contoso, Ltd"` or `CN=a\2Cb` -> `CN=x`.
fn atv(p: &str) -> Option<String> {
    let (k, v) = p.split_once('=')?;
    let k = k.trim();
    if k.is_empty()
        || k.len() > 40
        || !k
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    {
        return None;
    }
    let k = if k.eq_ignore_ascii_case("street") {
        "STREET"
    } else {
        k
    };
    let v = v.trim();
    let v = v
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v);
    Some(format!("{k}={}", unescape(v)))
}

/// OpenSSL's escapes: `\,` for a character, `\C3\A9` for the bytes of a non-ASCII one.
fn unescape(v: &str) -> String {
    let b = v.as_bytes();
    let mut bytes = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'\\' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (hex, b.get(i + 1)) {
                (Some(x), _) => {
                    bytes.push(x);
                    i += 3;
                }
                (None, Some(&n)) => {
                    bytes.push(n);
                    i += 2;
                }
                (None, None) => i += 1,
            }
        } else {
            bytes.push(c);
            i += 1;
        }
    }
    String::from_utf8_lossy(&bytes)
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

/// A finished draft becomes a certificate when it shows its `Not After` and who it is.
fn close(draft: Option<Draft>, now: OffsetDateTime, certs: &mut Vec<Decoded>) {
    let Some(d) = draft else { return };
    let Some(not_after) = d.not_after else { return };
    if d.subject.is_none() && d.issuer.is_none() && d.serial.is_none() {
        return;
    }
    let rsa = matches!(d.key_alg.as_deref(), Some("rsaEncryption"));
    let key = match d.key_alg.as_deref() {
        None => String::new(),
        Some("rsaEncryption") => match d.key_bits {
            Some(bits) => format!("RSA {bits}"),
            None => "RSA".to_string(),
        },
        Some("id-ecPublicKey") => match (&d.curve, d.key_bits) {
            (Some(c), _) => format!("EC {c}"),
            (None, Some(256)) => "EC P-256".to_string(),
            (None, Some(384)) => "EC P-384".to_string(),
            (None, Some(521)) => "EC P-521".to_string(),
            (None, _) => "EC (unknown curve)".to_string(),
        },
        Some("ED25519") => "Ed25519".to_string(),
        Some("ED448") => "Ed448".to_string(),
        Some("dsaEncryption") => "DSA".to_string(),
        Some(other) => format!("unknown ({other})"),
    };
    let subject = d.subject.clone().unwrap_or_default();
    let issuer = d.issuer.clone().unwrap_or_default();
    let self_signed = d.subject.is_some()
        && d.subject == d.issuer
        && match (&d.ski, &d.aki) {
            (Some(s), Some(a)) => s == a,
            _ => true,
        };
    let cn = subject
        .split(", ")
        .find_map(|p| p.strip_prefix("CN="))
        .map(str::to_string);
    let sig = d.sig.clone().unwrap_or_default();
    let facts = CertificateFacts {
        subject,
        issuer,
        serial: d.serial.clone().unwrap_or_default(),
        sans: d.sans,
        not_before: d.not_before.map(rfc3339).unwrap_or_default(),
        not_after: rfc3339(not_after),
        days_left: (not_after - now).whole_days(),
        key,
        signature_algorithm: sig.clone(),
        key_usage: d.key_usage,
        extended_key_usage: d.eku.iter().flatten().map(|o| eku_name(o)).collect(),
        extensions_unknown: !d.extensions,
        self_signed,
        is_ca: d.is_ca,
        chain_position: 0,
        findings: Vec::new(),
        span: [d.start, d.end],
    };
    certs.push(Decoded {
        facts,
        cn,
        dns: d.dns,
        ips: d.ips,
        names_known: d.extensions && d.depth.is_none(),
        eku: d.eku,
        rsa_bits: if rsa { d.key_bits } else { None },
        sha1: is_sha1(&sig),
        not_before: d.not_before,
        not_after,
    });
}

/// Adds the certificates read from text to the decoded ones, in order of position, except those that
/// repeat a decoded certificate (same `Not After` and, when shown, the same Common Name): the PEM
/// is read whole, the text may be cut.
pub(crate) fn merge(decoded: &mut Vec<Decoded>, text: Vec<Decoded>) {
    if text.is_empty() {
        return;
    }
    let der = decoded.len();
    for t in text {
        let repeats = decoded
            .iter()
            .take(der)
            .any(|c| c.not_after == t.not_after && (t.cn.is_none() || t.cn == c.cn));
        if !repeats {
            decoded.push(t);
        }
    }
    crate::order::sort_by_key(decoded, |c| c.facts.span);
}

/// An OpenSSL verification result in `body`: its code and where it starts.
fn verify_code(body: &str) -> Option<(u32, usize)> {
    let digits = |s: &str| -> Option<u32> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        s.get(..n)
            .filter(|d| !d.is_empty() && d.len() <= 3)?
            .parse()
            .ok()
    };
    for marker in ["Verify return code: ", "verify error:num="] {
        if let Some(at) = body.find(marker) {
            return Some((digits(body.get(at + marker.len()..)?)?, at));
        }
    }
    // `error 10 at 0 depth lookup: certificate has expired`
    let at = body.find(" depth lookup:")?;
    let head = body.get(..at)?;
    let start = head.rfind("error ")?;
    let code = digits(head.get(start + 6..)?)?;
    head.get(start + 6..)?
        .contains(" at ")
        .then_some((code, start))
}

fn push_reason(code: u32, span: [usize; 2], seen: &mut Vec<CertFinding>, out: &mut Vec<Signal>) {
    let Some((phrase, finding)) = freerdp::reason(code) else {
        return;
    };
    if seen.contains(&finding) {
        return;
    }
    seen.push(finding);
    out.push(freerdp::verify_failure(
        "openssl", code, phrase, finding, span,
    ));
}

/// The host of `openssl s_client -connect host:port` (also `-connect=host:port`).
fn connect_host(body: &str, hosts: &mut Hosts) {
    let mut words = body.split_whitespace();
    while let Some(w) = words.next() {
        let target = match w {
            "-connect" => words.next(),
            w => w.strip_prefix("-connect="),
        };
        let Some(target) = target else { continue };
        let target = target.trim_matches(|c| c == '"' || c == '\'');
        let host = match target.rsplit_once(':') {
            Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) || !h.contains(':') => h,
            _ => target,
        };
        let host = host.trim_matches(|c| c == '[' || c == ']');
        let host = name_token(host, 253)
            .filter(|h| !h.contains(' ') && h.bytes().any(|b| b.is_ascii_alphanumeric()));
        if let Some(h) = host {
            hosts.push(&h);
        }
        return;
    }
}

#[cfg(test)]
#[path = "openssl_text_tests.rs"]
mod tests;
