//! Certificates made by the `openssl` CLI: the cases rcgen cannot make (SHA-1 signatures, RSA-1024), and a
//! differential test of the decoder against `openssl x509 -text -noout`.
//!
//! Keys go to `/dev/null` (or a temporary file removed at once): nothing secret is kept or committed. When
//! `openssl` is missing the tests say so and pass; CI has it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use fixbook_checker::{diagnose, CertFinding, CertificateFacts, Signal};
use time::macros::format_description;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

#[path = "support/fixture.rs"]
mod fixture;
use fixture::index;

fn openssl_available() -> bool {
    let ok = Command::new("openssl")
        .arg("version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("openssl not found: skipping the openssl-generated certificate tests");
    }
    ok
}

/// A minimal config, so `req -x509` adds no extensions of its own (the default config adds CA:TRUE).
fn config() -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "fixbook-checker-openssl-{}.cnf",
        std::process::id()
    ));
    std::fs::write(
        &path,
        "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = unused\n",
    )
    .unwrap();
    path
}

/// One self-signed certificate as PEM: `newkey` like `rsa:1024` or `ec`, `extra` for more `req` arguments.
fn make(newkey: &str, digest: &str, subject: &str, exts: &[&str], extra: &[&str]) -> String {
    let cfg = config();
    let mut cmd = Command::new("openssl");
    cmd.args([
        "req",
        "-x509",
        "-nodes",
        "-keyout",
        "/dev/null",
        "-days",
        "30",
        "-newkey",
        newkey,
    ])
    .arg(format!("-{digest}"))
    .args(["-subj", subject, "-config"])
    .arg(&cfg)
    .args(extra);
    for e in exts {
        cmd.args(["-addext", e]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "openssl req failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn openssl_text(pem: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("openssl")
        .args(["x509", "-text", "-noout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(pem.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// `openssl x509 -text -noout` with more options; `None` when this `openssl` does not know them.
fn openssl_text_with(pem: &str, opts: &[&str]) -> Option<String> {
    use std::io::Write;
    let mut child = Command::new("openssl")
        .args(["x509", "-text", "-noout"])
        .args(opts)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(pem.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).unwrap())
}

fn facts(pem: &str, now: OffsetDateTime) -> CertificateFacts {
    let r = diagnose(pem, &index(), now);
    match r.signals.as_slice() {
        [Signal::Certificate(c)] => (**c).clone(),
        other => panic!(
            "expected one certificate, got {other:?} / {:?}",
            r.unreadable
        ),
    }
}

/// The value after `label` on its line, or on the next line when the line ends there.
fn after<'a>(text: &'a str, label: &str) -> &'a str {
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(at) = line.find(label) {
            let rest = line[at + label.len()..].trim();
            return if rest.is_empty() {
                lines.next().unwrap_or("").trim()
            } else {
                rest
            };
        }
    }
    ""
}

/// "C = US, O = Contoso, CN = x" and "CN=x, O=Contoso, C=US" as the same set.
fn name_set(s: &str) -> BTreeSet<String> {
    s.split(", ")
        .map(|p| p.replace(" = ", "=").trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn openssl_time(s: &str) -> OffsetDateTime {
    let s = s
        .trim_end_matches(" GMT")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let f = format_description!(
        "[month repr:short] [day padding:none] [hour]:[minute]:[second] [year]"
    );
    PrimitiveDateTime::parse(&s, &f).unwrap().assume_utc()
}

fn eku_oids(openssl: &str) -> BTreeSet<String> {
    openssl
        .split(", ")
        .filter(|s| !s.is_empty())
        .map(|s| match s {
            "TLS Web Server Authentication" => "1.3.6.1.5.5.7.3.1".to_string(),
            "TLS Web Client Authentication" => "1.3.6.1.5.5.7.3.2".to_string(),
            "Code Signing" => "1.3.6.1.5.5.7.3.3".to_string(),
            "Any Extended Key Usage" => "2.5.29.37.0".to_string(),
            other => other.to_string(),
        })
        .collect()
}

#[test]
fn differential_against_openssl_text() {
    if !openssl_available() {
        return;
    }
    let cases = [
        make(
            "rsa:1024",
            "sha1",
            "/CN=legacy-srv",
            &["basicConstraints=critical,CA:FALSE"],
            &[],
        ),
        make(
            "rsa:2048",
            "sha256",
            "/C=US/O=Contoso Ltd/CN=win-srv01.contoso.local",
            &[
                "basicConstraints=CA:FALSE",
                "extendedKeyUsage=serverAuth",
                "subjectAltName=DNS:win-srv01.contoso.local,IP:10.0.0.5",
            ],
            &[],
        ),
        make(
            "rsa:3072",
            "sha384",
            "/CN=WIN-SRV02",
            &[
                "extendedKeyUsage=clientAuth,1.3.6.1.4.1.311.54.1.2",
                "keyUsage=digitalSignature,keyEncipherment",
            ],
            &[],
        ),
        make(
            "ec",
            "sha384",
            "/O=Contoso/CN=Contoso Root",
            &["basicConstraints=critical,CA:TRUE"],
            &["-pkeyopt", "ec_paramgen_curve:P-384"],
        ),
        make(
            "ec",
            "sha256",
            "/CN=p256",
            &["extendedKeyUsage=serverAuth,clientAuth"],
            &["-pkeyopt", "ec_paramgen_curve:prime256v1"],
        ),
    ];
    for pem in &cases {
        let text = openssl_text(pem);
        let not_before = openssl_time(after(&text, "Not Before:"));
        let c = facts(pem, not_before + Duration::days(1));
        assert_eq!(
            name_set(&c.subject),
            name_set(after(&text, "Subject:")),
            "subject\n{text}"
        );
        assert_eq!(
            name_set(&c.issuer),
            name_set(after(&text, "Issuer:")),
            "issuer\n{text}"
        );
        assert_eq!(
            c.serial,
            after(&text, "Serial Number:").replace(':', ""),
            "serial\n{text}"
        );
        assert_eq!(
            OffsetDateTime::parse(
                &c.not_before,
                &time::format_description::well_known::Rfc3339
            )
            .unwrap(),
            not_before
        );
        assert_eq!(
            OffsetDateTime::parse(&c.not_after, &time::format_description::well_known::Rfc3339)
                .unwrap(),
            openssl_time(after(&text, "Not After :"))
        );
        let bits = after(&text, "Public-Key: (").trim_end_matches(" bit)");
        match after(&text, "Public Key Algorithm:") {
            "rsaEncryption" => assert_eq!(c.key, format!("RSA {bits}")),
            "id-ecPublicKey" => {
                assert_eq!(c.key, format!("EC {}", after(&text, "NIST CURVE:")));
                assert!(c.key.ends_with(bits), "{} vs {bits} bit", c.key);
            }
            other => panic!("unexpected key algorithm {other}"),
        }
        assert_eq!(
            c.signature_algorithm,
            after(&text, "Signature Algorithm:"),
            "signature\n{text}"
        );
        let ours: BTreeSet<String> = c
            .extended_key_usage
            .iter()
            .map(|e| {
                e.rsplit_once('(')
                    .map_or(e.clone(), |(_, oid)| oid.trim_end_matches(')').to_string())
            })
            .collect();
        assert_eq!(
            ours,
            eku_oids(after(&text, "X509v3 Extended Key Usage:")),
            "EKU\n{text}"
        );
        assert_eq!(c.is_ca, text.contains("CA:TRUE"), "CA flag\n{text}");
    }
}

/// `openssl x509 -text -noout` of a certificate, pasted as text, gives the same facts and findings as the
/// certificate's PEM (with `-nameopt RFC2253` and `-dateopt iso_8601` too, where this `openssl` has them).
#[test]
fn x509_text_pasted_reads_like_the_pem() {
    if !openssl_available() {
        return;
    }
    let cases = [
        make(
            "rsa:1024",
            "sha1",
            "/CN=legacy-srv",
            &[
                "basicConstraints=critical,CA:FALSE",
                "extendedKeyUsage=clientAuth",
            ],
            &[],
        ),
        make(
            "rsa:2048",
            "sha256",
            "/C=US/O=Contoso Ltd/CN=win-srv01.contoso.local",
            &[
                "basicConstraints=CA:FALSE",
                "extendedKeyUsage=serverAuth,1.3.6.1.4.1.311.54.1.2",
                "keyUsage=digitalSignature,keyEncipherment",
                "subjectAltName=DNS:win-srv01.contoso.local,IP:10.0.0.5,IP:2001:db8::1",
            ],
            &[],
        ),
        make(
            "ec",
            "sha384",
            "/O=Contoso/CN=Contoso Root",
            &["basicConstraints=critical,CA:TRUE"],
            &["-pkeyopt", "ec_paramgen_curve:P-384"],
        ),
        make(
            "ec",
            "sha256",
            "/CN=p256",
            &["extendedKeyUsage=serverAuth,clientAuth"],
            &["-pkeyopt", "ec_paramgen_curve:prime256v1"],
        ),
    ];
    // A host in the paste, so names are judged too.
    let host = "$ openssl s_client -connect win-srv01.contoso.local:3389\n";
    let now = OffsetDateTime::now_utc() + Duration::days(40);
    let mut variants = 0;
    for pem in &cases {
        let want = facts(&format!("{host}{pem}"), now);
        assert!(want.findings.contains(&CertFinding::Expired));
        for opts in [&[][..], &["-nameopt", "RFC2253"], &["-dateopt", "iso_8601"]] {
            let Some(text) = openssl_text_with(pem, opts) else {
                continue;
            };
            variants += 1;
            let paste = format!("{host}{text}");
            let got = facts(&paste, now);
            assert_eq!(
                CertificateFacts {
                    span: want.span,
                    ..got.clone()
                },
                want,
                "openssl x509 -text {opts:?}:\n{text}"
            );
            assert!(paste[got.span[0]..].starts_with("Certificate:"));
        }
    }
    assert!(variants >= cases.len() * 2);
}

#[test]
fn sha1_and_rsa_1024_are_findings() {
    if !openssl_available() {
        return;
    }
    let pem = make(
        "rsa:1024",
        "sha1",
        "/CN=legacy-srv",
        &[
            "basicConstraints=critical,CA:FALSE",
            "extendedKeyUsage=serverAuth",
        ],
        &[],
    );
    let now = OffsetDateTime::now_utc() + Duration::days(1);
    let c = facts(&pem, now);
    assert_eq!(
        c.findings,
        vec![
            CertFinding::WeakKey,
            CertFinding::Sha1Signature,
            CertFinding::SelfSigned
        ]
    );
    let r = diagnose(&pem, &index(), now);
    assert_eq!(r.causes[0].id, "cause-rdp-cert-weak");
    assert!(r.causes[0]
        .why
        .iter()
        .any(|w| w.contains("has a weak key (RSA 1024; 2048 bits is the minimum)")));
    assert!(r.causes[0]
        .why
        .iter()
        .any(|w| w.contains("is signed with SHA-1 (sha1WithRSAEncryption)")));
    // Thirty days later it has expired too.
    let later = facts(&pem, now + Duration::days(40));
    assert!(later.findings.contains(&CertFinding::Expired));
}

#[test]
fn a_self_signed_sha1_root_is_not_blamed_for_its_own_signature() {
    if !openssl_available() {
        return;
    }
    let pem = make(
        "rsa:2048",
        "sha1",
        "/CN=Old Root",
        &["basicConstraints=critical,CA:TRUE"],
        &[],
    );
    let c = facts(&pem, OffsetDateTime::now_utc());
    assert_eq!(c.findings, vec![CertFinding::SelfSigned]);
}

#[test]
fn rsa_private_key_from_openssl_is_never_echoed() {
    if !openssl_available() {
        return;
    }
    for args in [
        &["genrsa", "-traditional", "2048"][..],
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
        ][..],
    ] {
        let out = Command::new("openssl")
            .args(args)
            .stderr(Stdio::null())
            .output()
            .unwrap();
        let key = String::from_utf8(out.stdout).unwrap();
        let paste = format!(
            "Error code: 0x904\n{}",
            key.lines().map(|l| format!("> {l}\n")).collect::<String>()
        );
        let r = diagnose(&paste, &index(), OffsetDateTime::now_utc());
        assert!(r
            .signals
            .iter()
            .any(|s| matches!(s, Signal::PrivateKey { .. })));
        let json = serde_json::to_string(&r).unwrap();
        let text = fixbook_checker::report_to_text(&r, &[]);
        for line in key.lines().filter(|l| !l.starts_with("-----")) {
            assert!(!json.contains(line) && !text.contains(line));
        }
    }
}
