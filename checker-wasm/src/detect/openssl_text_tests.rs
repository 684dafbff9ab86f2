//! Tests of the OpenSSL text reader. Inputs follow what OpenSSL prints (crypto/x509/t_x509.c,
//! apps/s_client.c, apps/x509.c, apps/lib/s_cb.c, apps/verify.c), with made-up hosts and serials.

use time::macros::datetime;
use time::OffsetDateTime;

use super::*;
use crate::report::Report;
use crate::testing::{certs, index};

fn diagnose(text: &str, now: OffsetDateTime) -> Report {
    crate::diagnose(text, &index(), now)
}

fn certificates(r: &Report) -> Vec<&CertificateFacts> {
    r.signals
        .iter()
        .filter_map(|s| match s {
            Signal::Certificate(c) => Some(c.as_ref()),
            _ => None,
        })
        .collect()
}

fn verify_reasons(r: &Report) -> Vec<(String, Vec<CertFinding>)> {
    r.signals
        .iter()
        .filter_map(|s| match s {
            Signal::CertWarning {
                source,
                reason: Some(reason),
                findings,
                ..
            } if source == "openssl" => Some((reason.clone(), findings.clone())),
            _ => None,
        })
        .collect()
}

/// The brief's paste: validity and subject only.
const VALIDITY_ONLY: &str = "        Validity
            Not Before: Mar  1 08:00:00 2024 GMT
            Not After : Mar  1 08:00:00 2025 GMT
        Subject: CN = rds01.example.test
";

#[test]
fn validity_and_subject_alone_are_an_expired_certificate() {
    let r = diagnose(VALIDITY_ONLY, datetime!(2025-06-01 00:00 UTC));
    let certs = certificates(&r);
    assert_eq!(certs.len(), 1, "{r:?}");
    let c = certs[0];
    assert_eq!(c.subject, "CN=rds01.example.test");
    assert_eq!(c.issuer, "");
    assert_eq!(c.not_before, "2024-03-01T08:00:00Z");
    assert_eq!(c.not_after, "2025-03-01T08:00:00Z");
    assert_eq!(c.days_left, -91);
    assert_eq!(c.key, "");
    assert_eq!(c.findings, vec![CertFinding::Expired]);
    assert!(VALIDITY_ONLY[c.span[0]..c.span[1]].starts_with("Not Before:"));
    assert!(VALIDITY_ONLY[..c.span[1]].ends_with("CN = rds01.example.test"));
    assert_eq!(r.causes[0].id, "cause-rdp-cert-expired");
    // Before it expired: no finding at all (nothing else is shown, so nothing else is claimed).
    let r = diagnose(VALIDITY_ONLY, datetime!(2024-06-01 00:00 UTC));
    assert_eq!(certificates(&r)[0].findings, vec![]);
    let r = diagnose(VALIDITY_ONLY, datetime!(2024-02-01 00:00 UTC));
    assert_eq!(certificates(&r)[0].findings, vec![CertFinding::NotYetValid]);
}

/// `openssl x509 -text -noout`, OpenSSL 3.0 (t_x509.c `X509_print_ex`), moduli shortened.
const X509_TEXT_V3: &str = "Certificate:
    Data:
        Version: 3 (0x2)
        Serial Number:
            8a:78:ef:8a:eb:e0:fe:e0:72:c5:c7:4a:f1:85:99:87:ae:e9:95:f4
        Signature Algorithm: sha256WithRSAEncryption
        Issuer: C = US, O = Contoso Ltd, CN = Contoso Issuing CA
        Validity
            Not Before: Nov  3 20:36:30 2026 GMT
            Not After : Dec 30 20:36:30 2027 GMT
        Subject: C = US, O = \"Contoso, Ltd\", CN = win-srv01.contoso.local
        Subject Public Key Info:
            Public Key Algorithm: rsaEncryption
                Public-Key: (2048 bit)
                Modulus:
                    00:96:96:76:b8:4f:30:55:34:75:0b:b4:62:41:ae:
                    54:77
                Exponent: 65537 (0x10001)
        X509v3 extensions:
            X509v3 Basic Constraints: critical
                CA:FALSE
            X509v3 Extended Key Usage: 
                TLS Web Server Authentication, 1.3.6.1.4.1.311.54.1.2
            X509v3 Subject Alternative Name: 
                DNS:win-srv01.contoso.local, IP Address:10.0.0.5, email:admin@contoso.local, IP Address:2001:DB8:0:0:0:0:0:1
            X509v3 Key Usage: 
                Digital Signature, Key Encipherment
            X509v3 Subject Key Identifier: 
                91:E9:5C:BB:4B:9B:42:95:DB:20:78:98:B7:B7:B5:10:8C:1E:63:9F
            X509v3 Authority Key Identifier: 
                0A:E9:5C:BB:4B:9B:42:95:DB:20:78:98:B7:B7:B5:10:8C:1E:63:9F
    Signature Algorithm: sha256WithRSAEncryption
    Signature Value:
        70:60:7d:95:96:fd:be:4e:0e:62:d1:f6:25:fb:c7:7a:3d:02:
        aa:c5:eb:ac
";

#[test]
fn x509_text_v3_gives_every_fact() {
    let r = diagnose(X509_TEXT_V3, crate::testing::now());
    let certs = certificates(&r);
    assert_eq!(certs.len(), 1, "{r:?}");
    let c = certs[0];
    assert_eq!(
        c.subject,
        "CN=win-srv01.contoso.local, O=Contoso, Ltd, C=US"
    );
    assert_eq!(c.issuer, "CN=Contoso Issuing CA, O=Contoso Ltd, C=US");
    assert_eq!(c.serial, "8a78ef8aebe0fee072c5c74af1859987aee995f4");
    assert!(!c.extensions_unknown);
    assert_eq!(c.not_before, "2026-11-03T20:36:30Z");
    assert_eq!(c.not_after, "2027-12-30T20:36:30Z");
    assert_eq!(c.days_left, 402);
    assert_eq!(c.key, "RSA 2048");
    assert_eq!(c.signature_algorithm, "sha256WithRSAEncryption");
    assert_eq!(
        c.sans,
        ["win-srv01.contoso.local", "10.0.0.5", "2001:db8::1"]
    );
    assert_eq!(c.key_usage, ["Digital Signature", "Key Encipherment"]);
    assert_eq!(
        c.extended_key_usage,
        [
            "Server Authentication (1.3.6.1.5.5.7.3.1)",
            "Remote Desktop Authentication (1.3.6.1.4.1.311.54.1.2)"
        ]
    );
    assert!(!c.self_signed && !c.is_ca);
    assert_eq!(c.findings, vec![]);
    assert_eq!(&X509_TEXT_V3[c.span[0]..c.span[0] + 12], "Certificate:");
}

/// OpenSSL 1.1.1: `RSA Public-Key:`, `keyid:` before the authority key id, the final signature dumped
/// under the algorithm. A SHA-1, RSA-1024, client-only certificate, self-signed.
const X509_TEXT_V1_1: &str = "Certificate:
    Data:
        Version: 3 (0x2)
        Serial Number: 4660 (0x1234)
        Signature Algorithm: sha1WithRSAEncryption
        Issuer: CN = legacy-srv
        Validity
            Not Before: Jan  5 10:00:00 2026 GMT
            Not After : Jan  5 10:00:00 2028 GMT
        Subject: CN = legacy-srv
        Subject Public Key Info:
            Public Key Algorithm: rsaEncryption
                RSA Public-Key: (1024 bit)
                Modulus:
                    00:c4:1d:aa:01:
                Exponent: 65537 (0x10001)
        X509v3 extensions:
            X509v3 Subject Key Identifier: 
                3A:1F:00:AA
            X509v3 Authority Key Identifier: 
                keyid:3A:1F:00:AA

            X509v3 Extended Key Usage: 
                TLS Web Client Authentication
    Signature Algorithm: sha1WithRSAEncryption
         5b:0f:91:2e:33:
         11:02
";

#[test]
fn x509_text_v1_1_weak_sha1_client_only() {
    let paste = format!("$ openssl s_client -connect rds01.example.test:3389\n{X509_TEXT_V1_1}");
    let r = diagnose(&paste, crate::testing::now());
    let c = certificates(&r)[0];
    assert_eq!(c.serial, "1234");
    assert_eq!(c.key, "RSA 1024");
    assert!(c.self_signed);
    assert_eq!(
        c.findings,
        vec![
            CertFinding::WeakKey,
            CertFinding::Sha1Signature,
            CertFinding::MissingServerAuthEku,
            CertFinding::HostnameMismatch,
            CertFinding::SelfSigned
        ]
    );
    assert_eq!(r.causes[0].id, "cause-rdp-cert-weak");
}

#[test]
fn crlf_and_mail_quotes_read_the_same() {
    let now = crate::testing::now();
    let plain = certificates(&diagnose(X509_TEXT_V3, now))[0].clone();
    let crlf = X509_TEXT_V3.replace('\n', "\r\n");
    let quoted: String = X509_TEXT_V3.lines().map(|l| format!("> {l}\n")).collect();
    let twice: String = quoted.lines().map(|l| format!(">{l}\r\n")).collect();
    for text in [crlf, quoted, twice] {
        let r = diagnose(&text, now);
        let c = certificates(&r)[0];
        let same = CertificateFacts {
            span: plain.span,
            ..c.clone()
        };
        assert_eq!(same, plain, "{text}");
        assert!(text[c.span[0]..].starts_with("Certificate:"));
    }
}

/// `openssl s_client -connect` with OpenSSL 3.0: the verify callback's lines, the chain with `a:` and
/// `v:`, the PEM left out, and the verify result.
const S_CLIENT_V3: &str = "$ openssl s_client -connect rds01.example.test:3389
CONNECTED(00000003)
depth=0 CN = rds01.example.test
verify error:num=18:self-signed certificate
verify return:1
depth=0 CN = rds01.example.test
verify error:num=10:certificate has expired
notAfter=Feb 18 10:54:16 2026 GMT
verify return:1
depth=0 CN = rds01.example.test
notAfter=Feb 18 10:54:16 2026 GMT
verify return:1
---
Certificate chain
 0 s:CN = rds01.example.test
   i:CN = rds01.example.test
   a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA1
   v:NotBefore: Feb 18 10:53:16 2025 GMT; NotAfter: Feb 18 10:54:16 2026 GMT
---
Server certificate
subject=CN = rds01.example.test
issuer=CN = rds01.example.test
---
No client certificate CA names sent
Peer signing digest: SHA256
---
SSL handshake has read 1368 bytes and written 373 bytes
Verification error: certificate has expired
---
New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384
Server public key is 2048 bit
Verify return code: 10 (certificate has expired)
---
";

#[test]
fn s_client_chain_and_verify_codes() {
    let r = diagnose(S_CLIENT_V3, crate::testing::now());
    let certs = certificates(&r);
    assert_eq!(certs.len(), 1, "{certs:?}");
    let c = certs[0];
    assert_eq!(c.subject, "CN=rds01.example.test");
    assert_eq!(c.issuer, "CN=rds01.example.test");
    assert_eq!(c.key, "RSA 2048");
    assert_eq!(c.signature_algorithm, "sha1WithRSAEncryption");
    assert_eq!(c.not_after, "2026-02-18T10:54:16Z");
    assert_eq!(
        c.findings,
        vec![
            CertFinding::Expired,
            CertFinding::Sha1Signature,
            CertFinding::SelfSigned
        ]
    );
    assert!(S_CLIENT_V3[c.span[0]..c.span[1]].starts_with("0 s:CN = rds01"));
    assert!(S_CLIENT_V3[..c.span[1]].ends_with("10:54:16 2026 GMT"));
    assert_eq!(
        verify_reasons(&r),
        [
            (
                "self-signed certificate (18)".to_string(),
                vec![CertFinding::SelfSigned]
            ),
            (
                "certificate has expired (10)".to_string(),
                vec![CertFinding::Expired]
            ),
        ]
    );
    let why = r.causes[0].why.join("\n");
    assert_eq!(r.causes[0].id, "cause-rdp-cert-expired", "{why}");
    assert!(
        why.contains("OpenSSL could not verify the certificate: certificate has expired (10)"),
        "{why}"
    );
    // The names of an s_client entry are not shown: no hostname judgement, even against another host.
    let other = S_CLIENT_V3.replace("-connect rds01.example.test:", "-connect 10.0.0.9:");
    let c = certificates(&diagnose(&other, crate::testing::now()))[0].clone();
    assert!(!c.findings.contains(&CertFinding::HostnameMismatch));
    // Nor are its extensions or serial: the report says they were not in the paste, not that the
    // certificate has none (an empty usage list reads "any purpose").
    assert!(c.extensions_unknown && c.serial.is_empty());
    let text = crate::report_text::report_to_text(&r, &[]);
    assert!(text.contains("ext. usage: (not in the paste)"), "{text}");
    assert!(text.contains("serial:     (not in the paste)"), "{text}");
    assert!(!text.contains("any purpose"), "{text}");
}

#[test]
fn verify_return_code_alone_and_openssl_verify() {
    let r = diagnose(
        "Verify return code: 21 (unable to verify the first certificate)\n\
         CN = rds01.example.test\nerror 20 at 0 depth lookup: unable to get local issuer certificate\n\
         error rds01.pem: verification failed\nVerify return code: 0 (ok)\nVerify return code: 26 (unsupported certificate purpose)\n\
         Verify return code: 99 (made up)\n",
        crate::testing::now(),
    );
    assert_eq!(
        verify_reasons(&r),
        [
            (
                "unable to verify the first certificate (21)".to_string(),
                vec![CertFinding::ChainIncomplete]
            ),
            (
                "unsupported certificate purpose (26)".to_string(),
                vec![CertFinding::MissingServerAuthEku]
            ),
        ]
    );
    assert!(certificates(&r).is_empty());
}

/// `openssl s_client -showcerts` with OpenSSL 3.2 spellings: each entry is followed by its PEM, which is
/// read instead of the entry.
#[test]
fn s_client_showcerts_is_not_counted_twice() {
    let pem = certs::self_signed(certs::Spec::default());
    let text = format!(
        "CONNECTED(00000003)\n---\nCertificate chain\n 0 s:CN=WIN-SRV01\n   i:CN=WIN-SRV01\n   \
         a:PKEY: EC, (prime256v1); sigalg: ecdsa-with-SHA256\n   \
         v:NotBefore: Jan  1 00:00:00 2025 GMT; NotAfter: Jan  1 00:00:00 2027 GMT\n{pem}---\n\
         Server certificate\nsubject=CN=WIN-SRV01\nissuer=CN=WIN-SRV01\n---\n"
    );
    let r = diagnose(&text, crate::testing::now());
    let certs = certificates(&r);
    assert_eq!(certs.len(), 1, "{certs:?}");
    assert_eq!(certs[0].key, "EC P-256");
    assert!(text[certs[0].span[0]..].starts_with("-----BEGIN CERTIFICATE-----"));
    // Without the PEM the entry is the certificate.
    let bare = text.replace(&pem, "");
    let r = diagnose(&bare, crate::testing::now());
    let certs = certificates(&r);
    assert_eq!(certs.len(), 1);
    assert_eq!(certs[0].key, "EC P-256");
    assert_eq!(certs[0].subject, "CN=WIN-SRV01");
}

#[test]
fn s_client_chain_of_two_is_a_chain() {
    let text = "Certificate chain\n 0 s:CN=app17.example.test\n   i:C=US, O=Example, CN=R11\n   \
                a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256\n   \
                v:NotBefore: Jun  5 09:24:50 2026 GMT; NotAfter: Sep  3 09:24:49 2026 GMT\n \
                1 s:C=US, O=Example, CN=R11\n   i:C=US, O=Example Root, CN=Example Root X1\n   \
                a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256\n   \
                v:NotBefore: Mar 13 00:00:00 2024 GMT; NotAfter: Mar 12 23:59:59 2027 GMT\n---\n";
    let r = diagnose(text, crate::testing::now());
    let certs = certificates(&r);
    assert_eq!(certs.len(), 2);
    assert_eq!(certs[0].issuer, certs[1].subject);
    assert_eq!(certs[0].findings, vec![CertFinding::Expired]);
    assert!(certs[1].is_ca);
    assert_eq!(certs[1].chain_position, 1);
    assert_eq!(certs[1].findings, vec![]);
    // Only the leaf: its issuer is missing from a chain of one, which is no finding (servers omit roots).
    let leaf_only = text.split(" 1 s:").next().unwrap();
    let r = diagnose(leaf_only, crate::testing::now());
    assert_eq!(certificates(&r)[0].findings, vec![CertFinding::Expired]);
}

#[test]
fn x509_subject_issuer_dates_serial() {
    // `openssl x509 -noout -subject -issuer -dates -serial` (3.0), then the same from 1.0.2.
    let v3 = "subject=CN = rds01.example.test\nissuer=CN = Contoso Issuing CA\n\
              notBefore=Mar  1 08:00:00 2024 GMT\nnotAfter=Mar  1 08:00:00 2025 GMT\nserial=0AB3\n";
    let v1 = "subject= /C=US/O=Contoso/CN=rds01.example.test\nissuer= /C=US/O=Contoso/CN=Contoso Issuing CA\n\
              notBefore=Mar  1 08:00:00 2024 GMT\nnotAfter=Mar  1 08:00:00 2025 GMT\n";
    let r = diagnose(v3, crate::testing::now());
    let c = certificates(&r)[0];
    assert_eq!(c.subject, "CN=rds01.example.test");
    assert_eq!(c.issuer, "CN=Contoso Issuing CA");
    assert_eq!(c.serial, "0ab3");
    assert_eq!(c.findings, vec![CertFinding::Expired]);
    let r = diagnose(v1, crate::testing::now());
    let c = certificates(&r)[0];
    assert_eq!(c.subject, "CN=rds01.example.test, O=Contoso, C=US");
    assert_eq!(c.issuer, "CN=Contoso Issuing CA, O=Contoso, C=US");
}

#[test]
fn several_certificates_in_one_text() {
    let two = format!("{X509_TEXT_V3}{X509_TEXT_V1_1}");
    let r = diagnose(&two, crate::testing::now());
    let certs = certificates(&r);
    assert_eq!(certs.len(), 2);
    assert_eq!(certs[0].chain_position, 0);
    assert_eq!(certs[1].subject, "CN=legacy-srv");
    // The first one's issuer is not among them: a two-certificate paste is a chain, and it is incomplete.
    assert!(certs[0].findings.contains(&CertFinding::ChainIncomplete));
    // Two headerless validity blocks: two certificates, neither with a known issuer, so no chain finding.
    let r = diagnose(
        &format!(
            "{VALIDITY_ONLY}\n{}",
            VALIDITY_ONLY.replace("rds01", "rds02")
        ),
        crate::testing::now(),
    );
    let certs = certificates(&r);
    assert_eq!(certs.len(), 2);
    assert_eq!(certs[1].subject, "CN=rds02.example.test");
    assert_eq!(certs[0].findings, vec![CertFinding::Expired]);
}

#[test]
fn ordinary_text_is_no_certificate() {
    for text in [
        "Subject: cert expired again\n\nNot After : sometime next week\n",
        "notAfter=Feb 18 10:54:16 2024 GMT\nverify return:1\n",
        "Subject: CN = x\n\n\n\n\n\n\n\n\n\nsome text\nmore\n\nNot After : Mar  1 08:00:00 2025 GMT\n",
        "NotAfter: 3/1/2025 8:00 AM\nSubject: CN=x\n",
        "Certificate:\nNot After : Feb 30 08:00:00 2025 GMT\nSubject: CN = x\n",
    ] {
        let r = diagnose(text, crate::testing::now());
        assert!(certificates(&r).is_empty(), "{text}: {:?}", r.signals);
    }
}

#[test]
fn names_in_every_form() {
    for (input, want) in [
        (
            "C = US, O = Contoso Ltd, CN = x",
            "CN=x, O=Contoso Ltd, C=US",
        ),
        ("C=US, O=Contoso Ltd, CN=x", "CN=x, O=Contoso Ltd, C=US"),
        ("/C=US/O=Contoso Ltd/CN=x", "CN=x, O=Contoso Ltd, C=US"),
        ("CN=x,O=Contoso Ltd,C=US", "CN=x, O=Contoso Ltd, C=US"),
        ("CN=x,O=Contoso\\, Ltd,C=US", "CN=x, O=Contoso, Ltd, C=US"),
        (
            "C = US, O = \"Contoso, Ltd\", CN = x",
            "CN=x, O=Contoso, Ltd, C=US",
        ),
        ("C=US, O=Contoso, Ltd, CN=x", "CN=x, O=Contoso, Ltd, C=US"),
        ("CN = Jos\\C3\\A9", "CN=Jos\u{e9}"),
        ("O = Contoso, CN = a + OU = b", "CN=a + OU=b, O=Contoso"),
        ("street = Main St 1, CN = x", "CN=x, STREET=Main St 1"),
    ] {
        assert_eq!(parse_name(input).as_deref(), Some(want), "{input}");
    }
    for bad in ["", "cert expired again", "= x", "Re: CN", "C D = x"] {
        assert_eq!(parse_name(bad), None, "{bad}");
    }
}

#[test]
fn times_as_openssl_prints_them() {
    assert_eq!(
        parse_time("Mar  1 08:00:00 2024 GMT"),
        Some(datetime!(2024-03-01 08:00:00 UTC))
    );
    assert_eq!(
        parse_time("Dec 31 23:59:59.123 2049 GMT"),
        Some(datetime!(2049-12-31 23:59:59 UTC))
    );
    assert_eq!(
        parse_time("2024-03-01 08:00:00Z"),
        Some(datetime!(2024-03-01 08:00:00 UTC))
    );
    assert_eq!(
        parse_time("Aug 23 23:10:05 2295 GMT"),
        Some(datetime!(2295-08-23 23:10:05 UTC))
    );
    for bad in [
        "",
        "Mar",
        "Mar 1",
        "Foo  1 08:00:00 2024 GMT",
        "Mar 32 08:00:00 2024 GMT",
        "Mar  1 25:00:00 2024 GMT",
        "Mar  1 08:00 2024 GMT",
        "Mar  1 08:00:00 2024 PST",
        "2024-13-01 08:00:00Z",
        "3/1/2025 8:00 AM",
    ] {
        assert_eq!(parse_time(bad), None, "{bad}");
    }
}

#[test]
fn sha1_names() {
    for yes in [
        "sha1WithRSAEncryption",
        "ecdsa-with-SHA1",
        "dsa_with_SHA1",
        "RSA-SHA1",
    ] {
        assert!(is_sha1(yes), "{yes}");
    }
    for no in [
        "sha256WithRSAEncryption",
        "ecdsa-with-SHA256",
        "rsassaPss",
        "",
    ] {
        assert!(!is_sha1(no), "{no}");
    }
}

#[test]
fn cut_and_garbled_text_never_panics() {
    let garbled = "Certificate:\n Serial Number:\n (Negative)\n zz\n Not After : \u{e9}\u{e9} 1 08:00:00 2024 GMT\n\
                   Subject: CN = \\\n 0 s:\n   v:NotBefore: ; NotAfter: \n   a:PKEY: , (); sigalg: \n\
                   Verify return code: 9999999 (x)\nerror  at  depth lookup:\nverify error:num=:\n\
                   s_client -connect\ns_client -connect [\ns_client -connect=:\n";
    for text in [X509_TEXT_V3, S_CLIENT_V3, X509_TEXT_V1_1, garbled] {
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let cut = &text[..end];
            let r = diagnose(cut, crate::testing::now());
            for c in certificates(&r) {
                assert!(c.span[0] <= c.span[1] && cut.get(c.span[0]..c.span[1]).is_some());
            }
        }
    }
}

#[test]
fn connect_hosts() {
    let mut hosts = crate::detect::scan::Hosts::default();
    for line in [
        "openssl s_client -connect rds01.example.test:3389 -servername x",
        "openssl s_client -showcerts -connect=[2001:db8::5]:3389",
        "openssl s_client -connect 10.0.0.5",
        "openssl s_client -connect :3389",
        "openssl s_client -connect",
    ] {
        connect_host(line, &mut hosts);
    }
    assert_eq!(
        hosts.as_slice(),
        ["rds01.example.test", "2001:db8::5", "10.0.0.5"]
    );
}
