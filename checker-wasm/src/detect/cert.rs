//! X.509 certificates: decoded into facts, then judged against `now`, the pasted chain and the host the
//! reader connects to.
//!
//! ## What it reports
//! Subject, issuer, serial, SANs, validity (days left or since expiry), key type and size, signature
//! algorithm, key usage, extended key usage, self-signed, CA flag and position in the paste; and the content
//! model's findings: `expired`, `not_yet_valid`, `weak_key` (RSA below 2048 bits), `sha1_signature`,
//! `missing_server_auth_eku`, `hostname_mismatch`, `self_signed`, `chain_incomplete`.
//!
//! ## Why these rules
//! - An RDP listener accepts a certificate with Server Authentication (1.3.6.1.5.5.7.3.1) or Remote Desktop
//!   Authentication (1.3.6.1.4.1.311.54.1.2) in its EKU, or with no EKU extension at all, which means any
//!   purpose. `anyExtendedKeyUsage` (2.5.29.37.0) says the same and is accepted too. EKU and name findings
//!   are made for end-entity certificates only: a CA's EKU and names say nothing about the listener.
//! - `hostname_mismatch` needs the name the reader connected to, so it is made only when the paste names
//!   it (a dialog's "Remote computer:", a port test's target); guessing would blame every certificate.
//! - Chain findings need a chain: `chain_incomplete` is made only when two or more certificates are pasted,
//!   on an end-entity certificate whose issuer is not among them. A missing root is normal (servers do not
//!   send it) and not a finding.
//! - Self-signed means subject equals issuer and, when both key identifiers are present, they agree. The
//!   signature itself is not verified: that needs crypto code the wasm module does not carry, and a paste
//!   is evidence, not a trust decision.
//! - SHA-1 is a finding on every certificate except a self-signed CA (a root's own signature is not checked
//!   by TLS clients).

use crate::detect::decode_error::DecodeError;
use std::net::IpAddr;

use time::OffsetDateTime;
use x509_cert::certificate::{CertificateInner, Raw};
use x509_cert::der::asn1::ObjectIdentifier;
use x509_cert::der::{Decode, Tag, Tagged};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAltName,
    SubjectKeyIdentifier,
};
use x509_cert::name::Name;

use crate::index::CertFinding;
use crate::report::CertificateFacts;

pub(crate) const OID_SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
pub(crate) const OID_RDP_AUTH: &str = "1.3.6.1.4.1.311.54.1.2";
const OID_ANY_EKU: &str = "2.5.29.37.0";

/// A decoded certificate: the facts for the report, plus what the chain and host rules need.
///
/// Built from DER by [`decode`], or from OpenSSL's text output by `detect::openssl_text`; both are judged
/// by [`judge`]. Chains are matched on the subject and issuer strings of the facts (`CN=x, O=y, C=z`), so a
/// certificate read from text and one decoded from PEM can form one chain.
#[derive(Debug, Clone)]
pub(crate) struct Decoded {
    pub(crate) facts: CertificateFacts,
    pub(crate) cn: Option<String>,
    pub(crate) dns: Vec<String>,
    pub(crate) ips: Vec<IpAddr>,
    /// False when the text did not show the alternative names (no extensions section): the names are then
    /// unknown and no `hostname_mismatch` is judged.
    pub(crate) names_known: bool,
    /// EKU OIDs, `None` when the extension is absent (or, for text, not shown).
    pub(crate) eku: Option<Vec<String>>,
    pub(crate) rsa_bits: Option<usize>,
    pub(crate) sha1: bool,
    /// `None` when the text did not show it: no `not_yet_valid` finding then.
    pub(crate) not_before: Option<OffsetDateTime>,
    pub(crate) not_after: OffsetDateTime,
}

/// One DER element: tag, content, and what follows it. `None` on anything malformed or indefinite.
pub(crate) fn tlv(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *b.first()?;
    let first = *b.get(1)?;
    let (len, header) = match first {
        0..=0x7f => (usize::from(first), 2),
        0x81..=0x84 => {
            let n = usize::from(first - 0x80);
            let len = b
                .get(2..2 + n)?
                .iter()
                .fold(0usize, |acc, &x| (acc << 8) | usize::from(x));
            (len, 2 + n)
        }
        _ => return None,
    };
    let content = b.get(header..header.checked_add(len)?)?;
    Some((tag, content, b.get(header + len..)?))
}

/// The first DER element of `b`, without trailing bytes (a DER file may end in a newline or padding).
pub(crate) fn first_element(b: &[u8]) -> Option<&[u8]> {
    let (_, _, rest) = tlv(b)?;
    b.get(..b.len() - rest.len())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn attr_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "STREET",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.5" => "serialNumber",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        "1.2.840.113549.1.9.1" => "emailAddress",
        _ => return None,
    })
}

/// A directory string's text; control characters are dropped so a name cannot smuggle layout.
fn dir_string(tag: Tag, value: &[u8]) -> String {
    let s = match tag {
        Tag::BmpString => {
            let units = value.chunks_exact(2).map(|c| {
                u16::from_be_bytes([
                    c.first().copied().unwrap_or(0),
                    c.get(1).copied().unwrap_or(0),
                ])
            });
            char::decode_utf16(units)
                .map(|c| c.unwrap_or('\u{fffd}'))
                .collect()
        }
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::TeletexString
        | Tag::VisibleString => String::from_utf8_lossy(value).into_owned(),
        _ => return format!("#{}", hex(value)),
    };
    s.chars().filter(|c| !c.is_control()).collect()
}

/// `CN=WIN-SRV01, O=Contoso, C=US`: most specific first, as Windows' certificate dialog shows it.
fn name_string(name: &Name) -> String {
    let mut parts: Vec<String> = name
        .iter_rdn()
        .map(|rdn| {
            rdn.iter()
                .map(|atv| {
                    let oid = atv.oid.to_string();
                    let key = attr_name(&oid).map_or(oid, str::to_string);
                    format!("{key}={}", dir_string(atv.value.tag(), atv.value.value()))
                })
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .collect();
    parts.reverse();
    parts.join(", ")
}

fn common_name(name: &Name) -> Option<String> {
    name.iter()
        .filter(|atv| atv.oid.to_string() == "2.5.4.3")
        .map(|atv| dir_string(atv.value.tag(), atv.value.value()))
        .last()
}

/// Signature algorithm names as OpenSSL prints them, and whether it is SHA-1 based.
fn signature_name(oid: &str) -> (String, bool) {
    let (name, sha1) = match oid {
        "1.2.840.113549.1.1.4" => ("md5WithRSAEncryption", false),
        "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" => ("sha1WithRSAEncryption", true),
        "1.2.840.113549.1.1.11" => ("sha256WithRSAEncryption", false),
        "1.2.840.113549.1.1.12" => ("sha384WithRSAEncryption", false),
        "1.2.840.113549.1.1.13" => ("sha512WithRSAEncryption", false),
        "1.2.840.113549.1.1.10" => ("rsassaPss", false),
        "1.2.840.10045.4.1" => ("ecdsa-with-SHA1", true),
        "1.2.840.10045.4.3.2" => ("ecdsa-with-SHA256", false),
        "1.2.840.10045.4.3.3" => ("ecdsa-with-SHA384", false),
        "1.2.840.10045.4.3.4" => ("ecdsa-with-SHA512", false),
        "1.2.840.10040.4.3" => ("dsa_with_SHA1", true),
        "1.3.101.112" => ("ED25519", false),
        "1.3.101.113" => ("ED448", false),
        other => return (other.to_string(), false),
    };
    (name.to_string(), sha1)
}

/// The name of an EKU OID, as Windows calls it, followed by the OID.
pub(crate) fn eku_name(oid: &str) -> String {
    let name = match oid {
        OID_SERVER_AUTH => "Server Authentication",
        "1.3.6.1.5.5.7.3.2" => "Client Authentication",
        "1.3.6.1.5.5.7.3.3" => "Code Signing",
        "1.3.6.1.5.5.7.3.4" => "Secure Email",
        "1.3.6.1.5.5.7.3.8" => "Time Stamping",
        "1.3.6.1.5.5.7.3.9" => "OCSP Signing",
        OID_RDP_AUTH => "Remote Desktop Authentication",
        OID_ANY_EKU => "Any Purpose",
        _ => return oid.to_string(),
    };
    format!("{name} ({oid})")
}

/// Modulus size of a DER `RSAPublicKey`.
fn rsa_bits(key: &[u8]) -> Option<usize> {
    let (0x30, seq, _) = tlv(key)? else {
        return None;
    };
    let (0x02, modulus, _) = tlv(seq)? else {
        return None;
    };
    let digits: &[u8] = {
        let skip = modulus.iter().take_while(|&&b| b == 0).count();
        modulus.get(skip..)?
    };
    let top = *digits.first()?;
    Some(digits.len() * 8 - top.leading_zeros() as usize)
}

fn key_string(cert: &CertificateInner<Raw>) -> (String, Option<usize>) {
    let spki = cert.tbs_certificate().subject_public_key_info();
    match spki.algorithm.oid.to_string().as_str() {
        "1.2.840.113549.1.1.1" => match rsa_bits(spki.subject_public_key.raw_bytes()) {
            Some(bits) => (format!("RSA {bits}"), Some(bits)),
            None => ("RSA (unreadable key)".to_string(), None),
        },
        "1.2.840.10045.2.1" => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .filter(|p| p.tag() == Tag::ObjectIdentifier)
                .and_then(|p| ObjectIdentifier::from_bytes(p.value()).ok())
                .map(|o| o.to_string());
            let name = match curve.as_deref() {
                Some("1.2.840.10045.3.1.7") => "P-256".to_string(),
                Some("1.3.132.0.34") => "P-384".to_string(),
                Some("1.3.132.0.35") => "P-521".to_string(),
                Some("1.3.132.0.10") => "secp256k1".to_string(),
                Some(other) => other.to_string(),
                None => "(unknown curve)".to_string(),
            };
            (format!("EC {name}"), None)
        }
        "1.3.101.112" => ("Ed25519".to_string(), None),
        "1.3.101.113" => ("Ed448".to_string(), None),
        "1.2.840.10040.4.1" => ("DSA".to_string(), None),
        other => (format!("unknown ({other})"), None),
    }
}

fn time_of(t: x509_cert::time::Time) -> OffsetDateTime {
    let secs = i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `t` in RFC 3339 in UTC (`2026-11-23T12:00:00Z`), as `time`'s `Rfc3339` writes it, without its
/// formatting machinery in the wasm module. Empty for a year RFC 3339 cannot write.
pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    let Some(t) = t.checked_to_offset(time::UtcOffset::UTC) else {
        return String::new();
    };
    if !(0..=9999).contains(&t.year()) {
        return String::new();
    }
    let mut s = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    if t.nanosecond() != 0 {
        let frac = format!("{:09}", t.nanosecond());
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

fn ip_of(octets: &[u8]) -> Option<IpAddr> {
    match octets.len() {
        4 => <[u8; 4]>::try_from(octets).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(octets).ok().map(IpAddr::from),
        _ => None,
    }
}

/// A validity time, UTCTime (tag 0x17, `YYMMDDHHMMSSZ`) or GeneralizedTime (0x18, `YYYYMMDDHHMMSSZ`),
/// read as RFC 5280 4.1.2.5 says: a UTCTime year of 50 to 99 is 19YY, below 50 it is 20YY.
fn asn1_time(tag: u8, value: &[u8]) -> Option<OffsetDateTime> {
    let digits = value.strip_suffix(b"Z")?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i32> {
        std::str::from_utf8(digits.get(range)?).ok()?.parse().ok()
    };
    let (year, rest) = match (tag, digits.len()) {
        (0x17, 12) => {
            let yy = num(0..2)?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, 2)
        }
        (0x18, 14) => (num(0..4)?, 4),
        _ => return None,
    };
    let field = |at: usize| num(rest + at..rest + at + 2).and_then(|n| u8::try_from(n).ok());
    let month = time::Month::try_from(field(0)?).ok()?;
    let date = time::Date::from_calendar_date(year, month, field(2)?).ok()?;
    let at = time::Time::from_hms(field(4)?, field(6)?, field(8)?).ok()?;
    Some(time::PrimitiveDateTime::new(date, at).assume_utc())
}

/// The byte offset of `inner` (a sub-slice) within `outer`.
fn offset_in(outer: &[u8], inner: &[u8]) -> usize {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize)
}

/// A certificate's validity, read by hand, and, when the X.509 crate cannot represent it, the DER with
/// those times replaced by same-length placeholders from 1970 so the rest of it decodes.
///
/// ## Why
/// The `der` crate keeps times as durations since 1970 and rejects earlier years, so a valid certificate
/// with a notBefore in 1950 (UTCTime `50...`, which RFC 5280 reads as 1950) was "not X.509" to us and fine
/// to openssl. The signature is never verified, so changing the bytes it covers changes nothing we report.
struct Validity {
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    patched: Option<Vec<u8>>,
}

fn validity(der: &[u8]) -> Option<Validity> {
    let (0x30, cert, _) = tlv(der)? else {
        return None;
    };
    let (0x30, tbs, _) = tlv(cert)? else {
        return None;
    };
    // TBSCertificate: [0] version (optional), serialNumber, signature, issuer, validity.
    let mut rest = tbs;
    if rest.first() == Some(&0xa0) {
        rest = tlv(rest)?.2;
    }
    for _ in 0..3 {
        rest = tlv(rest)?.2;
    }
    let (0x30, validity, _) = tlv(rest)? else {
        return None;
    };
    let (tag_before, before, after_rest) = tlv(validity)?;
    let (tag_after, after, _) = tlv(after_rest)?;
    let not_before = asn1_time(tag_before, before)?;
    let not_after = asn1_time(tag_after, after)?;
    let out_of_range = |t: OffsetDateTime| t.year() < 1970;
    let patched = (out_of_range(not_before) || out_of_range(not_after)).then(|| {
        let mut copy = der.to_vec();
        for (tag, value) in [(tag_before, before), (tag_after, after)] {
            let placeholder: &[u8] = if tag == 0x17 {
                b"700101000000Z"
            } else {
                b"19700101000000Z"
            };
            let at = offset_in(der, value);
            if let Some(slot) = copy.get_mut(at..at + value.len()) {
                if slot.len() == placeholder.len() {
                    slot.copy_from_slice(placeholder);
                }
            }
        }
        copy
    });
    Some(Validity {
        not_before,
        not_after,
        patched,
    })
}

/// Decodes one DER certificate at `span` of the paste. The findings are filled in by [`judge`].
pub(crate) fn decode(
    der: &[u8],
    span: [usize; 2],
    now: OffsetDateTime,
) -> Result<Decoded, DecodeError> {
    let der = first_element(der).ok_or(DecodeError::DerCutOff)?;
    let read = validity(der);
    let der = read
        .as_ref()
        .and_then(|v| v.patched.as_deref())
        .unwrap_or(der);
    let cert =
        CertificateInner::<Raw>::from_der(der).map_err(|e| DecodeError::NotX509(e.to_string()))?;
    let tbs = cert.tbs_certificate();
    let (key, rsa_bits) = key_string(&cert);
    let (signature_algorithm, sha1) = signature_name(&cert.signature_algorithm().oid.to_string());

    let (mut dns, mut ips, mut sans) = (Vec::new(), Vec::new(), Vec::new());
    let (mut eku, mut is_ca, mut key_usage, mut ski, mut aki): (
        Option<Vec<String>>,
        bool,
        Vec<String>,
        _,
        _,
    ) = (None, false, Vec::new(), None, None);
    for ext in tbs.extensions().map(Vec::as_slice).unwrap_or(&[]) {
        let value = ext.extn_value.as_bytes();
        match ext.extn_id.to_string().as_str() {
            "2.5.29.17" => {
                for name in SubjectAltName::from_der(value)
                    .map(|s| s.0)
                    .unwrap_or_default()
                {
                    match name {
                        GeneralName::DnsName(d) => {
                            let d: String =
                                d.as_str().chars().filter(|c| !c.is_control()).collect();
                            sans.push(d.clone());
                            dns.push(d);
                        }
                        GeneralName::IpAddress(o) => {
                            if let Some(ip) = ip_of(o.as_bytes()) {
                                sans.push(ip.to_string());
                                ips.push(ip);
                            }
                        }
                        _ => {}
                    }
                }
            }
            "2.5.29.37" => {
                eku = Some(
                    ExtendedKeyUsage::from_der(value)
                        .map(|e| e.0.iter().map(|o| o.to_string()).collect())
                        .unwrap_or_default(),
                );
            }
            "2.5.29.19" => is_ca = BasicConstraints::from_der(value).is_ok_and(|b| b.ca),
            "2.5.29.15" => {
                if let Ok(ku) = KeyUsage::from_der(value) {
                    let flags = [
                        (ku.digital_signature(), "Digital Signature"),
                        (ku.non_repudiation(), "Non Repudiation"),
                        (ku.key_encipherment(), "Key Encipherment"),
                        (ku.data_encipherment(), "Data Encipherment"),
                        (ku.key_agreement(), "Key Agreement"),
                        (ku.key_cert_sign(), "Certificate Sign"),
                        (ku.crl_sign(), "CRL Sign"),
                        (ku.encipher_only(), "Encipher Only"),
                        (ku.decipher_only(), "Decipher Only"),
                    ];
                    key_usage = flags
                        .iter()
                        .filter(|(on, _)| *on)
                        .map(|(_, n)| (*n).to_string())
                        .collect();
                }
            }
            "2.5.29.14" => {
                ski = SubjectKeyIdentifier::from_der(value)
                    .ok()
                    .map(|s| s.0.as_bytes().to_vec())
            }
            "2.5.29.35" => {
                aki = AuthorityKeyIdentifier::from_der(value)
                    .ok()
                    .and_then(|a| a.key_identifier)
                    .map(|k| k.as_bytes().to_vec())
            }
            _ => {}
        }
    }

    let (not_before, not_after) = match &read {
        Some(v) => (v.not_before, v.not_after),
        None => (
            time_of(tbs.validity().not_before),
            time_of(tbs.validity().not_after),
        ),
    };
    let days_left = (not_after - now).whole_days();
    let subject = tbs.subject().clone();
    let issuer = tbs.issuer().clone();
    let self_signed = subject == issuer
        && match (&ski, &aki) {
            (Some(s), Some(a)) => s == a,
            _ => true,
        };
    let facts = CertificateFacts {
        subject: name_string(&subject),
        issuer: name_string(&issuer),
        serial: hex(serial_value(tbs.serial_number().as_bytes())),
        sans,
        not_before: rfc3339(not_before),
        not_after: rfc3339(not_after),
        days_left,
        key,
        signature_algorithm,
        key_usage,
        extended_key_usage: eku.iter().flatten().map(|o: &String| eku_name(o)).collect(),
        extensions_unknown: false,
        self_signed,
        is_ca,
        chain_position: 0,
        findings: Vec::new(),
        span,
    };
    Ok(Decoded {
        facts,
        cn: common_name(&subject),
        dns,
        ips,
        names_known: true,
        eku,
        rsa_bits,
        sha1,
        not_before: Some(not_before),
        not_after,
    })
}

/// Does `pattern` (a SAN DNS name or CN, maybe `*.` wildcard) name `host`?
fn name_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.trim_end_matches('.').to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .strip_suffix(suffix)
            .and_then(|head| head.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty() && !label.contains('.')),
        None => pattern == host,
    }
}

/// True when the certificate names `host` (SAN DNS names incl. wildcards, SAN IPs, or the subject CN).
pub(crate) fn names_host(c: &Decoded, host: &str) -> bool {
    let host = host
        .trim()
        .trim_matches(|ch| ch == '[' || ch == ']')
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if let Ok(ip) = host.parse::<IpAddr>() {
        return c.ips.contains(&ip) || c.cn.as_deref().is_some_and(|cn| cn.trim() == host);
    }
    c.dns
        .iter()
        .chain(c.cn.iter())
        .any(|n| name_matches(n, &host))
}

/// Fills in each certificate's findings and chain position. `hosts` are the names the paste says the reader
/// connected to.
pub(crate) fn judge(certs: &mut [Decoded], hosts: &[String], now: OffsetDateTime) {
    let chain = certs.len() >= 2;
    let subjects: Vec<String> = certs.iter().map(|c| c.facts.subject.clone()).collect();
    for (i, c) in certs.iter_mut().enumerate() {
        let mut f = Vec::new();
        if now > c.not_after {
            f.push(CertFinding::Expired);
        }
        if c.not_before.is_some_and(|nb| now < nb) {
            f.push(CertFinding::NotYetValid);
        }
        if c.rsa_bits.is_some_and(|b| b < 2048) {
            f.push(CertFinding::WeakKey);
        }
        let root = c.facts.self_signed && c.facts.is_ca;
        if c.sha1 && !root {
            f.push(CertFinding::Sha1Signature);
        }
        let leaf = !c.facts.is_ca;
        let eku_ok = c.eku.as_ref().is_none_or(|e| {
            e.iter()
                .any(|o| o == OID_SERVER_AUTH || o == OID_RDP_AUTH || o == OID_ANY_EKU)
        });
        if leaf && !eku_ok {
            f.push(CertFinding::MissingServerAuthEku);
        }
        if leaf && c.names_known && !hosts.is_empty() && !hosts.iter().any(|h| names_host(c, h)) {
            f.push(CertFinding::HostnameMismatch);
        }
        // Every root is self-signed: that is a finding about the certificate the server presents (the
        // first pasted, or any end-entity one), not about a CA pasted after it to complete the chain.
        if c.facts.self_signed && (leaf || i == 0) {
            f.push(CertFinding::SelfSigned);
        }
        let issuer_pasted = subjects
            .iter()
            .enumerate()
            .any(|(j, s)| j != i && *s == c.facts.issuer);
        // An issuer the text did not show (empty) is unknown, not missing.
        let issuer_known = !c.facts.issuer.is_empty();
        if chain && leaf && issuer_known && !c.facts.self_signed && !issuer_pasted {
            f.push(CertFinding::ChainIncomplete);
        }
        c.facts.findings = f;
        c.facts.chain_position = i;
    }
}

/// The certificate's short name for sentences: its CN, else its whole subject.
pub(crate) fn short_name(c: &CertificateFacts) -> String {
    c.subject
        .split(", ")
        .find_map(|p| p.strip_prefix("CN="))
        .map_or_else(
            || {
                if c.subject.is_empty() {
                    "(no subject)".to_string()
                } else {
                    c.subject.clone()
                }
            },
            |cn| format!("CN={cn}"),
        )
}

/// A serial number's value bytes: DER prefixes a `00` to a positive number whose top bit is set, which is
/// not part of the number (OpenSSL prints `d3:97:...`, not `00:d3:97:...`), so the same certificate reads
/// the same whether its PEM or OpenSSL's text is pasted.
fn serial_value(der: &[u8]) -> &[u8] {
    match der {
        [0, rest @ ..] if rest.first().is_some_and(|b| *b >= 0x80) => rest,
        _ => der,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_serial_is_its_value_without_the_sign_padding() {
        assert_eq!(super::serial_value(&[0, 0xd3, 0x97]), &[0xd3, 0x97]);
        assert_eq!(super::serial_value(&[0, 0x7f]), &[0, 0x7f]);
        assert_eq!(super::serial_value(&[0]), &[0]);
        assert_eq!(super::serial_value(&[0x10, 0x00]), &[0x10, 0x00]);
    }

    use super::*;

    #[test]
    fn wildcard_and_exact_names() {
        assert!(name_matches("*.contoso.local", "win-srv01.contoso.local"));
        assert!(!name_matches("*.contoso.local", "a.b.contoso.local"));
        assert!(!name_matches("*.contoso.local", "contoso.local"));
        assert!(name_matches(
            "WIN-SRV01.contoso.local.",
            "win-srv01.contoso.local"
        ));
    }

    #[test]
    fn tlv_rejects_garbage() {
        assert_eq!(
            tlv(&[0x30, 0x03, 1, 2, 3, 9]),
            Some((0x30, &[1u8, 2, 3][..], &[9u8][..]))
        );
        assert_eq!(tlv(&[0x30, 0x80, 0, 0]), None);
        assert_eq!(tlv(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), None);
        assert_eq!(tlv(&[0x30]), None);
        assert_eq!(
            first_element(&[0x30, 0x01, 0x05, 0x0a]),
            Some(&[0x30u8, 0x01, 0x05][..])
        );
    }

    #[test]
    fn asn1_times_per_rfc_5280() {
        let t = |tag, v: &[u8]| asn1_time(tag, v).map(rfc3339);
        assert_eq!(t(0x17, b"500101000000Z").unwrap(), "1950-01-01T00:00:00Z");
        assert_eq!(t(0x17, b"491231235959Z").unwrap(), "2049-12-31T23:59:59Z");
        assert_eq!(t(0x18, b"20500101000000Z").unwrap(), "2050-01-01T00:00:00Z");
        assert_eq!(t(0x18, b"19491231000000Z").unwrap(), "1949-12-31T00:00:00Z");
        assert_eq!(t(0x17, b"500101000000"), None);
        assert_eq!(t(0x17, b"501301000000Z"), None);
        assert_eq!(t(0x18, b"500101000000Z"), None);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let now = OffsetDateTime::UNIX_EPOCH;
        assert!(decode(&[], [0, 0], now).is_err());
        assert!(decode(&[0x30, 0x03, 0x02, 0x01, 0x00], [0, 5], now).is_err());
    }
}
