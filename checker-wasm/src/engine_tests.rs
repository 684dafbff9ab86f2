//! Engine tests: realistic pastes through the whole pipeline, and the invariants (never panics, never
//! echoes a key).

use super::*;
use crate::report_to_text;
use crate::testing::certs::{self, Spec};
use crate::testing::{index, now, Rng};
use crate::{CertFinding, Signal};

/// Also checks that the sharded index gives the same report (`shard`).
fn run(paste: &str) -> Report {
    crate::shard::tests::checked(paste, &index(), now())
}

/// Cause ids with scores, best first.
fn ranking(r: &Report) -> Vec<(String, f64)> {
    r.causes.iter().map(|c| (c.id.clone(), c.score)).collect()
}

fn quote(text: &str) -> String {
    text.lines().map(|l| format!("> {l}\r\n")).collect()
}

fn cert_findings(r: &Report) -> Vec<Vec<CertFinding>> {
    r.signals
        .iter()
        .filter_map(|s| match s {
            Signal::Certificate(c) => Some(c.findings.clone()),
            _ => None,
        })
        .collect()
}

pub(crate) const DIALOG: &str = "Remote Desktop Connection\n\nThis computer can't connect to the remote computer.\n\n\
    Try connecting again. If the problem continues, contact the owner of the remote computer or your network \
    administrator.\n\nError code: 0x904\nExtended error code: 0x7\n\nTimestamp (UTC): 2026-11-23 09:14:02\n";

pub(crate) const SCHANNEL: &str = "Log Name:      System\r\nSource:        Schannel\r\nDate:          11/23/2026 9:14:02 AM\r\n\
    Event ID:      36870\r\nTask Category: None\r\nLevel:         Error\r\nKeywords:      \r\nUser:          SYSTEM\r\n\
    Computer:      WIN-SRV01.contoso.local\r\nDescription:\r\nA fatal error occurred when attempting to access the TLS \
    server credential private key. The error code returned from the cryptographic module is 0x8009030D. The \
    internal error state is 10001.\r\n";

pub(crate) const TNC_FAILED: &str = "PS C:\\> Test-NetConnection 10.0.0.5 -Port 3389\nWARNING: TCP connect to (10.0.0.5 : 3389) failed\n\
    WARNING: Ping to 10.0.0.5 failed with status: TimedOut\n\nComputerName           : 10.0.0.5\n\
    RemoteAddress          : 10.0.0.5\nRemotePort             : 3389\nInterfaceAlias         : Ethernet\n\
    SourceAddress          : 10.0.0.20\nPingSucceeded          : False\nPingReplyDetails (RTT) : 0 ms\n\
    TcpTestSucceeded       : False\n";

#[test]
fn codes_alone_give_low_candidates_that_say_what_would_confirm_them() {
    let r = run(DIALOG);
    assert_eq!(
        ranking(&r),
        // The 0x904 / 0x7 page matched both codes, the generic "can't connect" page only the message: the
        // codes' page says what they mean, so the generic page's causes (a blocked port) are no candidates.
        vec![
            ("cause-rdp-cert-private-key-access".to_string(), 0.3),
            ("cause-rdp-cert-expired".to_string(), 0.15),
            ("cause-tls-disabled".to_string(), 0.1),
        ]
    );
    let key = &r.causes[0];
    assert!(
        key.why
            .iter()
            .any(|w| w
                .contains("listed by \u{201c}Error code 0x904, extended error code 0x7\u{201d}")),
        "{:?}",
        key.why
    );
    assert!(
        key.why.iter().any(|w| w.contains("would be confirmed by event 36870 from Schannel, event 1057 from")),
        "{:?}",
        key.why
    );
    assert_eq!(r.notes, vec![NO_EVIDENCE.to_string()]);
}

#[test]
fn schannel_event_confirms_the_private_key_cause() {
    let r = run(&format!("{DIALOG}\n{SCHANNEL}"));
    let top = &r.causes[0];
    assert_eq!(top.id, "cause-rdp-cert-private-key-access");
    assert_eq!(top.score, 1.0);
    assert!(
        top.why
            .iter()
            .any(|w| w.starts_with("event 36870 from Schannel: A fatal error")),
        "{:?}",
        top.why
    );
    assert!(top
        .why
        .iter()
        .any(|w| w.contains("hresult code 0x8009030d (SEC_E_UNKNOWN_CREDENTIALS)")));
    assert_eq!(
        top.fixes[0].url,
        "/fixes/machinekeys-permissions/#grant-network-service"
    );
    // Unconfirmed candidates stay far below.
    assert!(
        r.causes[1..].iter().all(|c| c.score < 0.25),
        "{:?}",
        ranking(&r)
    );
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

#[test]
fn rdpclient_1026_reason_decimal() {
    let r = run("Log Name:      Microsoft-Windows-TerminalServices-RDPClient/Operational\nSource:        \
                 Microsoft-Windows-TerminalServices-ClientActiveXCore\nEvent ID:      1026\nLevel:         Information\n\
                 Description:\nRDP ClientActiveX has been disconnected (Reason= 2308)\n");
    let codes: Vec<_> = r
        .signals
        .iter()
        .filter_map(|s| match s {
            Signal::Code { scheme, value, .. } => Some(format!("{scheme}:{value}")),
            Signal::Event { id, .. } => Some(format!("event:{id}")),
            _ => None,
        })
        .collect();
    assert_eq!(codes, vec!["event:1026", "disconnect:0x904"]);
    assert_eq!(r.causes[0].id, "cause-rdp-cert-private-key-access");
}

#[test]
fn failed_port_test_points_at_the_firewall() {
    let r = run(TNC_FAILED);
    assert_eq!(
        ranking(&r),
        vec![
            ("cause-port-blocked".to_string(), 1.0),
            ("cause-host-down".to_string(), 0.5)
        ]
    );
    assert_eq!(
        r.causes[0].why,
        vec!["port test: TCP to 10.0.0.5:3389 failed".to_string()]
    );
}

#[test]
fn expired_certificate_quoted_in_a_mail() {
    let pem = certs::self_signed(Spec {
        until: (2025, 11, 1),
        ..Spec::default()
    });
    let r = run(&format!(
        "Hi,\r\nhere is the cert from the server:\r\n\r\n{}\r\nThanks",
        quote(&pem)
    ));
    assert_eq!(
        cert_findings(&r),
        vec![vec![CertFinding::Expired, CertFinding::SelfSigned]]
    );
    let top = &r.causes[0];
    assert_eq!(top.id, "cause-rdp-cert-expired");
    assert_eq!(
        top.why[0],
        "the certificate CN=WIN-SRV01 expired 387 days ago (valid until 2025-11-01T00:00:00Z)"
    );
    assert_eq!(
        top.fixes[0].url,
        "/fixes/renew-rdp-cert/#delete-self-signed"
    );
}

#[test]
fn certificate_facts() {
    let pem = certs::self_signed(Spec::default());
    let r = run(&pem);
    let Some(Signal::Certificate(c)) = r.signals.first() else {
        panic!("{r:?}")
    };
    assert_eq!(c.subject, "CN=WIN-SRV01");
    assert_eq!(c.issuer, "CN=WIN-SRV01");
    assert_eq!(c.sans, vec!["win-srv01.contoso.local"]);
    assert_eq!(c.not_before, "2025-01-01T00:00:00Z");
    assert_eq!(c.not_after, "2027-01-01T00:00:00Z");
    assert_eq!(c.days_left, 38);
    assert_eq!(c.key, "EC P-256");
    assert_eq!(c.signature_algorithm, "ecdsa-with-SHA256");
    assert_eq!(
        c.extended_key_usage,
        vec!["Server Authentication (1.3.6.1.5.5.7.3.1)"]
    );
    assert!(c.self_signed && !c.is_ca);
    assert_eq!(c.findings, vec![CertFinding::SelfSigned]);
    assert_eq!(&pem[c.span[0]..c.span[1]], pem.trim_end());
}

#[test]
fn eku_rules() {
    use rcgen::ExtendedKeyUsagePurpose as E;
    let rdp = E::Other(vec![1, 3, 6, 1, 4, 1, 311, 54, 1, 2]);
    for (eku, missing) in [
        (Some(vec![E::ServerAuth]), false),
        (Some(vec![rdp]), false),
        (None, false),
        (Some(vec![E::ClientAuth]), true),
    ] {
        let r = run(&certs::self_signed(Spec {
            eku,
            ..Spec::default()
        }));
        let f = cert_findings(&r);
        assert_eq!(
            f[0].contains(&CertFinding::MissingServerAuthEku),
            missing,
            "{f:?}"
        );
    }
    let r = run(&certs::self_signed(Spec {
        eku: Some(vec![E::ClientAuth]),
        ..Spec::default()
    }));
    assert_eq!(r.causes[0].id, "cause-rdp-cert-weak");
    assert!(
        r.causes[0].why[0].contains("it lists: Client Authentication (1.3.6.1.5.5.7.3.2)"),
        "{:?}",
        r.causes[0].why
    );
}

#[test]
fn hostname_mismatch_only_when_the_paste_names_the_host() {
    let pem = certs::self_signed(Spec {
        sans: &["*.contoso.local", "10.0.0.5"],
        ..Spec::default()
    });
    let names =
        |host: &str| cert_findings(&run(&format!("Remote computer: {host}\n{pem}")))[0].clone();
    assert!(!names("srv02.contoso.local").contains(&CertFinding::HostnameMismatch));
    assert!(!names("10.0.0.5").contains(&CertFinding::HostnameMismatch));
    assert!(
        !names("WIN-SRV01").contains(&CertFinding::HostnameMismatch),
        "the CN counts"
    );
    assert!(names("a.b.contoso.local").contains(&CertFinding::HostnameMismatch));
    assert!(names("10.0.0.6").contains(&CertFinding::HostnameMismatch));
    assert!(!cert_findings(&run(&pem))[0].contains(&CertFinding::HostnameMismatch));
    // A port test's target names the host too.
    let r = run(&format!(
        "{TNC_FAILED}\n{}",
        certs::self_signed(Spec::default())
    ));
    assert!(cert_findings(&r)[0].contains(&CertFinding::HostnameMismatch));
    let why = r
        .causes
        .iter()
        .find(|c| c.id == "cause-rdp-cert-name-mismatch")
        .map(|c| c.why[0].clone());
    assert_eq!(why.as_deref(), Some("the certificate CN=WIN-SRV01 does not name 10.0.0.5 (it names: win-srv01.contoso.local)"));
}

#[test]
fn chain_findings_need_two_certificates() {
    let (leaf, inter, root) = certs::chain(
        Spec {
            cn: "srv.contoso.local",
            sans: &["srv.contoso.local"],
            ..Spec::default()
        },
        (2026, 6, 1),
    );
    // Leaf alone: no chain findings, whatever its issuer.
    assert_eq!(cert_findings(&run(&leaf)), vec![vec![]]);
    // Leaf and root, the intermediate missing. A root is self-signed by definition: no finding.
    let r = run(&format!("{leaf}{root}"));
    assert_eq!(
        cert_findings(&r),
        vec![vec![CertFinding::ChainIncomplete], vec![]]
    );
    assert_eq!(r.causes[0].id, "cause-rdp-cert-chain");
    assert!(r.causes[0].why[0].contains(
        "the issuer of CN=srv.contoso.local (CN=Contoso Issuing CA) is not among the 2 pasted"
    ));
    // The whole chain: complete, but the intermediate has expired.
    let r = run(&format!("{leaf}\n{inter}\n{root}"));
    assert_eq!(
        cert_findings(&r),
        vec![vec![], vec![CertFinding::Expired], vec![]]
    );
    assert!(
        r.causes.iter().all(|c| c.id != "cause-rdp-cert-chain"),
        "a complete chain whose root is self-signed is no evidence of a chain problem: {:?}",
        r.causes
    );
    let expired = r
        .causes
        .iter()
        .find(|c| c.id == "cause-rdp-cert-expired")
        .expect("expired cause");
    assert!(
        expired.why[0]
            .starts_with("the issuing certificate CN=Contoso Issuing CA expired 175 days ago"),
        "{:?}",
        expired.why
    );
    // Leaf and intermediate (the root is not sent by servers): complete.
    assert_eq!(
        cert_findings(&run(&format!("{leaf}{inter}"))),
        vec![vec![], vec![CertFinding::Expired]]
    );
}

#[test]
fn nothing_recognised_asks_for_evidence() {
    let r = run("hello, RDP does not work since Monday. Port 3389, build 19045.");
    assert!(r.signals.is_empty() && r.causes.is_empty() && r.unreadable.is_empty());
    assert_eq!(
        r.notes,
        vec![format!("{NOTHING_RECOGNISED} {WHAT_TO_PASTE}")]
    );
}

#[test]
fn a_paste_of_only_a_private_key_is_not_told_nothing_was_recognised() {
    let key = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIC0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0t\n-----END PRIVATE KEY-----\n";
    let r = run(key);
    assert_eq!(r.signals.len(), 1, "{r:?}");
    assert!(
        r.notes.iter().all(|n| !n.contains(NOTHING_RECOGNISED)),
        "{:?}",
        r.notes
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.starts_with(ONLY_A_KEY) && n.ends_with(WHAT_TO_PASTE)),
        "{:?}",
        r.notes
    );
}

#[test]
fn unreadable_things_are_reported() {
    let pem = certs::self_signed(Spec::default());
    let cut = &pem[..pem.len() / 2];
    let r = run(cut);
    assert_eq!(r.unreadable.len(), 1);
    assert_eq!(r.unreadable[0].what, UnreadableKind::Certificate);
    assert!(r.unreadable[0].why.contains("no END line"));

    let r =
        run("-----BEGIN CERTIFICATE-----\nMIIBAAAAAAAAAAAAAAAAAAAA\n-----END CERTIFICATE-----\n");
    assert_eq!(r.unreadable.len(), 1, "{r:?}");
    assert!(r.unreadable[0].why.contains("DER"), "{:?}", r.unreadable);

    let r = run("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n");
    assert_eq!(r.unreadable[0].what, UnreadableKind::Pem);
}

#[test]
fn several_blocks_crlf_indented() {
    let a = certs::self_signed(Spec::default());
    let b = certs::self_signed(Spec {
        cn: "OTHER",
        sans: &["other.contoso.local"],
        ..Spec::default()
    });
    let indented: String = format!("{a}{b}")
        .lines()
        .map(|l| format!("    {l}\r\n"))
        .collect();
    let r = run(&indented);
    let subjects: Vec<_> = r
        .signals
        .iter()
        .filter_map(|s| match s {
            Signal::Certificate(c) => Some((c.subject.clone(), c.chain_position)),
            _ => None,
        })
        .collect();
    assert_eq!(
        subjects,
        vec![("CN=WIN-SRV01".to_string(), 0), ("CN=OTHER".to_string(), 1)]
    );
}

#[test]
fn bare_base64_and_der_and_utf16() {
    let pem = certs::self_signed(Spec::default());
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(|l| format!("{l}\n"))
        .collect();
    let r = run(&format!("certutil output:\n{body}done\n"));
    assert_eq!(cert_findings(&r), vec![vec![CertFinding::SelfSigned]]);

    let der = crate::detect::pem::base64(body.bytes()).unwrap();
    let r = diagnose_bytes(&der, &index(), now());
    assert_eq!(cert_findings(&r), vec![vec![CertFinding::SelfSigned]]);
    let Signal::Certificate(c) = &r.signals[0] else {
        panic!()
    };
    assert_eq!(c.span, [0, der.len()]);

    let mut garbage = der.clone();
    garbage.truncate(100);
    let r = diagnose_bytes(&garbage, &index(), now());
    assert_eq!(r.unreadable.len(), 1);

    for bom in [true, false] {
        let mut bytes = if bom {
            vec![0xff, 0xfe]
        } else {
            vec![0xfe, 0xff]
        };
        for u in DIALOG.encode_utf16() {
            bytes.extend(if bom {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        assert_eq!(
            ranking(&diagnose_bytes(&bytes, &index(), now())),
            ranking(&run(DIALOG))
        );
    }
    let mut utf8 = vec![0xef, 0xbb, 0xbf];
    utf8.extend(DIALOG.bytes());
    assert_eq!(
        ranking(&diagnose_bytes(&utf8, &index(), now())),
        ranking(&run(DIALOG))
    );
}

#[test]
fn private_keys_are_flagged_and_never_echoed() {
    let key = certs::private_key_pem();
    let cert = certs::self_signed(Spec::default());
    let paste = format!(
        "{DIALOG}\nhere is the export:\n{cert}{key}\nSource: {}\n",
        key.lines().nth(1).unwrap()
    );
    let r = run(&paste);
    let keys: Vec<_> = r
        .signals
        .iter()
        .filter_map(|s| match s {
            Signal::PrivateKey { key_type, span } => {
                Some((key_type.as_str(), &paste[span[0]..span[1]]))
            }
            _ => None,
        })
        .collect();
    assert_eq!(keys, vec![("pkcs8", key.trim_end())]);
    assert!(r.notes.iter().any(|n| n.contains("treat it as exposed")));
    let json = serde_json::to_string(&r).unwrap();
    let text = report_to_text(&r, &[]);
    for line in key.lines().filter(|l| !l.starts_with("-----")) {
        assert!(
            !json.contains(line) && !text.contains(line),
            "key line echoed: {line}"
        );
        for chunk in line.as_bytes().chunks(16).filter(|c| c.len() == 16) {
            let chunk = std::str::from_utf8(chunk).unwrap();
            assert!(
                !json.contains(chunk) && !text.contains(chunk),
                "key fragment echoed"
            );
        }
    }
    // A key under a certificate label is flagged and masked too.
    let mislabelled = key.replace("PRIVATE KEY", "CERTIFICATE");
    let r = run(&mislabelled);
    assert!(
        matches!(r.signals.as_slice(), [Signal::PrivateKey { .. }]),
        "{r:?}"
    );
    // The same key bare (no armour) and as DER.
    let body: String = key
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(|l| format!("{l}\n"))
        .collect();
    let r = run(&body);
    assert!(
        matches!(r.signals.as_slice(), [Signal::PrivateKey { key_type, .. }] if *key_type == KeyType::Pkcs8),
        "{r:?}"
    );
    let der = crate::detect::pem::base64(body.bytes()).unwrap();
    let r = diagnose_bytes(&der, &index(), now());
    assert!(
        matches!(r.signals.as_slice(), [Signal::PrivateKey { .. }]),
        "{r:?}"
    );
}

/// A matched error page that says what to paste next (`collect`) replaces the site's generic advice; a page
/// that does not say keeps it, and once evidence confirms a cause nobody is asked.
#[test]
fn matched_pages_say_what_to_paste_next() {
    let mut idx = index();
    let page = |idx: &KnowledgeIndex, url: &str| -> usize {
        idx.errors
            .iter()
            .position(|e| e.url == url)
            .unwrap_or_else(|| panic!("fixture page {url}"))
    };
    let codes = page(&idx, "/errors/0x904-0x7/");
    idx.errors[codes].collect = "Paste the server's System log.".into();
    // The generic dialog's page, matched by its message alone.
    let message = page(&idx, "/errors/cant-connect/");
    idx.errors[message].codes.clear();
    idx.errors[message].collect = "Paste the port test.".into();
    let text = idx.errors[message].messages[0].clone();

    let r = crate::shard::tests::checked(&text, &idx, now());
    assert_eq!(
        r.notes,
        vec![format!("{CANDIDATES_ONLY} Paste the port test.")]
    );

    // The dialog holds the message and the codes: the codes' page says what they mean, and its advice is
    // the one given.
    let r = crate::shard::tests::checked(DIALOG, &idx, now());
    assert_eq!(
        r.notes,
        vec![format!("{CANDIDATES_ONLY} Paste the server's System log.")]
    );

    // Evidence confirms a cause: no advice.
    let r = crate::shard::tests::checked(&format!("{DIALOG}\n{SCHANNEL}"), &idx, now());
    assert!(r.notes.is_empty(), "{:?}", r.notes);

    // A matched page that does not say: the site's advice.
    idx.errors[codes].collect.clear();
    let r = crate::shard::tests::checked(DIALOG, &idx, now());
    assert_eq!(r.notes, vec![NO_EVIDENCE.to_string()]);
}

#[test]
fn message_candidates_like_codes() {
    let r = run("An authentication error has occurred.\nThe function requested is not supported\n\n\
                 Remote computer: 10.0.0.5\nThis could be due to CredSSP encryption oracle remediation.\n");
    assert_eq!(ranking(&r)[0], ("cause-credssp-oracle".to_string(), 1.0));
    assert!(r.causes[0].why[0].contains("encryption oracle remediation"));
}

#[test]
fn never_panics_on_random_and_mutated_input() {
    let idx = index();
    let pem = certs::self_signed(Spec::default());
    let seeds: Vec<Vec<u8>> = [DIALOG, SCHANNEL, TNC_FAILED, pem.as_str(), &quote(&pem)]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
    let alphabet = b"0x89ABCDEF-----BEGIN END CERTIFICATE PRIVATE KEY:=>\r\n \t\xc3\xa9\xe2\x80\x99MIIReason=Error code:";
    let mut rng = Rng(0x5eed_f1b0_0c4e_c4e2);
    for round in 0..1500 {
        let mut bytes = seeds[round % seeds.len()].clone();
        match round % 3 {
            0 => {
                for _ in 0..1 + rng.below(12) {
                    let at = rng.below(bytes.len());
                    match rng.below(4) {
                        0 => bytes[at] = rng.next() as u8,
                        1 => bytes.insert(at, alphabet[rng.below(alphabet.len())]),
                        2 => {
                            bytes.remove(at);
                        }
                        _ => bytes.truncate(at),
                    }
                    if bytes.is_empty() {
                        break;
                    }
                }
            }
            1 => {
                bytes = (0..rng.below(600))
                    .map(|_| alphabet[rng.below(alphabet.len())])
                    .collect()
            }
            _ => bytes = (0..rng.below(600)).map(|_| rng.next() as u8).collect(),
        }
        let r = diagnose_bytes(&bytes, &idx, now());
        let _ = report_to_text(&r, &[]);
        let _ = serde_json::to_string(&r).unwrap();
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let r = diagnose(text, &idx, now());
            for span in r.unreadable.iter().map(|u| u.span) {
                assert!(span[0] <= span[1] && span[1] <= text.len());
            }
        }
    }
}

#[test]
fn snapshots() {
    let pem = certs::self_signed(Spec {
        until: (2025, 11, 1),
        sans: &["win-srv01.contoso.local", "10.0.0.5"],
        ..Spec::default()
    });
    // The serial is random and an ECDSA signature's length varies: blank both for the snapshot.
    let redact = |mut r: Report| {
        for s in &mut r.signals {
            if let Signal::Certificate(c) = s {
                c.serial = "[serial]".to_string();
                c.span = [0, 0];
            }
        }
        r
    };
    insta::assert_json_snapshot!("dialog_only", run(DIALOG));
    insta::assert_json_snapshot!("dialog_and_schannel", run(&format!("{DIALOG}\n{SCHANNEL}")));
    insta::assert_json_snapshot!("port_test", run(TNC_FAILED));
    insta::assert_json_snapshot!(
        "expired_certificate",
        redact(run(&format!("Remote computer: 10.0.0.5\n{}", quote(&pem))))
    );
    insta::assert_snapshot!(
        "dialog_and_schannel_text",
        report_to_text(&run(&format!("{DIALOG}\n{SCHANNEL}")), &index().stages)
    );
    insta::assert_snapshot!(
        "expired_certificate_text",
        report_to_text(&redact(run(&pem)), &[])
    );
}

// FreeRDP transcripts, written from FreeRDP's own format strings (`freerdp_set_last_error_ex`'s
// "%s [0x%08X]", WLog's default layout, `tls_print_certificate_name_mismatch_error`, `verify_cb`'s
// "Certificate verification failure '%s (%d)' at stack position %d", `client_cli_verify_certificate_ex`).
// Each must rank the same causes as the mstsc paste of the same situation.

/// xfreerdp 2.x to a closed port.
const FREERDP_CLOSED_PORT: &str = "\
$ xfreerdp /v:127.0.0.1:3390 /u:admin /cert:ignore
[14:10:02:117] [20411:20411] [INFO][com.freerdp.client.x11] - No user name set. - Using login name: admin
[14:10:02:118] [20411:20412] [ERROR][com.freerdp.core] - freerdp_tcp_connect:freerdp_set_last_error_ex ERRCONNECT_CONNECT_FAILED [0x00020006]
[14:10:02:118] [20411:20412] [ERROR][com.freerdp.core.connection] - Error: protocol security negotiation or connection failure
[14:10:02:118] [20411:20412] [ERROR][com.freerdp.client.x11] - Freerdp connect error exit status 1
";

/// The same with FreeRDP 3's layout (`[function]: ` after the component).
const FREERDP3_CLOSED_PORT: &str = "\
[14:10:02:118] [20411:20412] [ERROR][com.freerdp.core] - [freerdp_tcp_default_connect]: ERRCONNECT_CONNECT_FAILED [0x00020006]
[14:10:02:118] [20411:20412] [ERROR][com.freerdp.core.connection] - [rdp_client_connect]: Error: protocol security negotiation or connection failure
";

/// xfreerdp 2.x to a TCP server that accepts and closes at once.
const FREERDP_CLOSED_AT_ONCE: &str = "\
[14:11:40:502] [20433:20434] [ERROR][com.freerdp.core] - transport_read_layer:freerdp_set_last_error_ex ERRCONNECT_CONNECT_TRANSPORT_FAILED [0x0002000D]
[14:11:40:502] [20433:20434] [ERROR][com.freerdp.core.nego] - Protocol Security Negotiation Failure
[14:11:40:502] [20433:20434] [ERROR][com.freerdp.core] - rdp_client_connect:freerdp_set_last_error_ex ERRCONNECT_CONNECT_TRANSPORT_FAILED [0x0002000D]
[14:11:40:502] [20433:20434] [ERROR][com.freerdp.core.connection] - Error: protocol security negotiation or connection failure
";

/// xfreerdp 2.x to xrdp serving a self-signed certificate for another name; the user answers N.
fn freerdp_self_signed_mismatch() -> String {
    let p = "[14:12:09:771] [20460:20461]";
    let e = |m: &str| format!("{p} [ERROR][com.freerdp.crypto] - {m}\n");
    let mut t = String::from("$ xfreerdp /v:127.0.0.1 /u:admin\n");
    t += &format!("{p} [WARN][com.freerdp.crypto] - Certificate verification failure 'self signed certificate (18)' at stack position 0\n");
    t += &format!("{p} [WARN][com.freerdp.crypto] - CN = rdp-test.example\n");
    t += &e("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
    t += &e("@           WARNING: CERTIFICATE NAME MISMATCH!           @");
    t += &e("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
    t += &e("The hostname used for this connection (127.0.0.1:3389) ");
    t += &e("does not match any of the names given in the certificate:");
    t += &e("Common Name (CN):");
    t += &e("\trdp-test.example");
    t += &e("Alternative names:");
    t += &e("\t rdp-test.example");
    t += &e("A valid certificate for the wrong name should NOT be trusted!");
    t += "Certificate details for 127.0.0.1:3389 (RDP-Server):\n\
          \tCommon Name: rdp-test.example\n\
          \tSubject:     CN = rdp-test.example\n\
          \tIssuer:      CN = rdp-test.example\n\
          \tThumbprint:  5e:0b:7c:11:92:aa:3f:60:1d:2e:84:c9:07:f4:35:b8:d2:6a:19:e0:4c:77:08:93:ab:cd:ef:01:23:45:67:89\n\
          The above X.509 certificate could not be verified, possibly because you do not have\n\
          the CA certificate in your certificate store, or the certificate has expired.\n\
          Please look at the OpenSSL documentation on how to add a private CA to the store.\n\
          Do you trust the above certificate? (Y/T/N) N\n";
    t += &format!("{p} [ERROR][com.freerdp.core] - transport_connect_tls:freerdp_set_last_error_ex ERRCONNECT_TLS_CONNECT_FAILED [0x00020008]\n");
    t
}

fn codes(r: &Report) -> Vec<String> {
    r.signals
        .iter()
        .filter_map(|s| match s {
            Signal::Code { scheme, value, .. } => Some(format!("{scheme} {value}")),
            _ => None,
        })
        .collect()
}

#[test]
fn freerdp_closed_port_ranks_like_mstsc_0x204() {
    let mstsc = run(
        "Remote Desktop Connection\n\nRemote Desktop can't connect to the remote computer.\n\n\
         Error code: 0x204\nExtended error code: 0x0\n",
    );
    assert_eq!(ranking(&mstsc)[0].0, "cause-port-blocked");
    for paste in [FREERDP_CLOSED_PORT, FREERDP3_CLOSED_PORT] {
        let r = run(paste);
        assert_eq!(
            codes(&r),
            ["errconnect 0x20006"],
            "timestamps, pids and tids are not codes"
        );
        assert_eq!(ranking(&r), ranking(&mstsc));
        assert!(
            r.causes[0]
                .why
                .iter()
                .any(|w| w.contains("ERRCONNECT_CONNECT_FAILED")),
            "{:?}",
            r.causes[0].why
        );
    }
}

#[test]
fn freerdp_server_closing_at_once_ranks_like_mstsc_0x904() {
    let mstsc = run("Remote Desktop Connection\n\nError code: 0x904\n");
    let r = run(FREERDP_CLOSED_AT_ONCE);
    assert_eq!(codes(&r), ["errconnect 0x2000d"]);
    let Signal::Code {
        name, url, span, ..
    } = &r.signals[0]
    else {
        panic!("{:?}", r.signals)
    };
    assert_eq!(name.as_deref(), Some("ERRCONNECT_CONNECT_TRANSPORT_FAILED"));
    assert_eq!(url.as_deref(), Some("/codes/errconnect/#0x2000d"));
    assert_eq!(
        &FREERDP_CLOSED_AT_ONCE[span[0]..span[1]],
        "ERRCONNECT_CONNECT_TRANSPORT_FAILED [0x0002000D]"
    );
    assert!(!ranking(&mstsc).is_empty());
    assert_eq!(ranking(&r), ranking(&mstsc));
    assert_eq!(r.notes, [NO_EVIDENCE]);
}

#[test]
fn freerdp_self_signed_name_mismatch_ranks_like_the_pasted_certificate() {
    let pem = certs::self_signed(Spec {
        cn: "rdp-test.example",
        sans: &["rdp-test.example"],
        ..Spec::default()
    });
    let mstsc = run(&format!("Remote computer: 127.0.0.1\n{pem}"));
    assert_eq!(
        cert_findings(&mstsc),
        [vec![CertFinding::HostnameMismatch, CertFinding::SelfSigned]]
    );
    let paste = freerdp_self_signed_mismatch();
    let r = run(&paste);
    assert_eq!(ranking(&r), ranking(&mstsc), "{}", report_to_text(&r, &[]));
    assert_eq!(ranking(&r)[0].0, "cause-rdp-cert-name-mismatch");
    assert_eq!(
        r.causes[0].why[0],
        "FreeRDP warns that the certificate rdp-test.example does not name 127.0.0.1 (it names: rdp-test.example)"
    );
    assert_eq!(codes(&r), ["errconnect 0x20008"]);
    let warnings: Vec<(String, Vec<CertFinding>)> = r
        .signals
        .iter()
        .filter_map(|s| match s {
            Signal::CertWarning {
                warning, findings, ..
            } => Some((warning.as_str().to_string(), findings.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        warnings,
        [
            ("verify_failure".to_string(), vec![CertFinding::SelfSigned]),
            (
                "name_mismatch".to_string(),
                vec![CertFinding::HostnameMismatch]
            ),
            (
                "certificate_details".to_string(),
                vec![CertFinding::SelfSigned]
            ),
        ]
    );

    // The JSON contract: an additive `cert_warning` kind.
    let json = serde_json::to_value(&r).unwrap();
    let w = json["signals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["warning"] == "name_mismatch")
        .unwrap();
    assert_eq!(w["kind"], "cert_warning");
    assert_eq!(w["source"], "freerdp");
    assert_eq!(w["host"], "127.0.0.1");
    assert_eq!(w["subject"], "rdp-test.example");
    assert_eq!(w["findings"], serde_json::json!(["hostname_mismatch"]));
    assert_eq!(w["span"].as_array().unwrap().len(), 2);
    let text = report_to_text(&r, &[]);
    assert!(
        text.contains("freerdp certificate warning (name mismatch) for 127.0.0.1"),
        "{text}"
    );
}

#[test]
fn freerdp_verify_reasons_confirm_certificate_causes() {
    let r = run("[WARN][com.freerdp.crypto] - Certificate verification failure 'certificate has expired (10)' at stack position 0\n");
    assert_eq!(ranking(&r), [("cause-rdp-cert-expired".to_string(), 1.0)]);
    assert_eq!(
        r.causes[0].why,
        ["FreeRDP could not verify the certificate: certificate has expired (10)"]
    );
    let r = run("verify error: unable to get local issuer certificate (20)");
    assert_eq!(ranking(&r)[0].0, "cause-rdp-cert-chain");
}

#[test]
fn errinfo_names_are_decoded() {
    let r = run("[ERROR][com.freerdp.core] - rdp_recv_data_pdu: ERRINFO_SERVER_DENIED_CONNECTION");
    let Signal::Code {
        scheme,
        value,
        meaning,
        url,
        ..
    } = &r.signals[0]
    else {
        panic!("{:?}", r.signals)
    };
    assert_eq!((scheme.as_str(), value.as_str()), ("errinfo", "0x7"));
    assert_eq!(
        meaning.as_deref(),
        Some("The server denied the connection.")
    );
    assert_eq!(url.as_deref(), Some("/codes/errinfo/#0x7"));
}

/// guacd 1.5 in docker, the connection refused at security negotiation (`guac_rdp_client_abort`).
const GUACD_NEGO: &str = "guacd[7]: INFO:\tCreating new client for protocol \"rdp\"\n\
    guacd[812]: INFO:\tSecurity mode: NLA\n\
    guacd[812]: INFO:\tRDP server closed/refused connection: Security negotiation failed (wrong security type?)\n\
    guacd[812]: INFO:\tUser \"@4f2a\" disconnected (0 users remain)\n";

fn log_lines(r: &Report) -> Vec<(String, String, String)> {
    r.signals
        .iter()
        .filter_map(|s| match s {
            Signal::LogLine {
                program,
                level,
                text,
                ..
            } => Some((program.clone(), level.clone(), text.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn guacd_wrong_security_type_is_the_security_negotiation_code() {
    for paste in [GUACD_NEGO.to_string(), quote(GUACD_NEGO)] {
        let r = run(&paste);
        assert_eq!(codes(&r), ["errconnect 0x2000c"]);
        let Some(Signal::Code {
            name, url, span, ..
        }) = r.signals.iter().find(|s| matches!(s, Signal::Code { .. }))
        else {
            panic!("{:?}", r.signals)
        };
        assert_eq!(
            name.as_deref(),
            Some("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED")
        );
        assert_eq!(url.as_deref(), Some("/codes/errconnect/#0x2000c"));
        assert_eq!(
            &paste[span[0]..span[1]],
            "Security negotiation failed (wrong security type?)"
        );
        assert_eq!(
            log_lines(&r),
            [(
                "guacd".to_string(),
                "INFO".to_string(),
                "RDP server closed/refused connection: Security negotiation failed (wrong security type?)"
                    .to_string()
            )]
        );
        // No cause in the fixture explains the code, which shows a failing stage: the report says so first
        // and ranks nothing.
        assert!(r.causes.is_empty());
        assert_eq!(r.notes.len(), 1);
        assert!(
            r.notes[0]
                .starts_with("The paste shows the connection failing at Security negotiation"),
            "{:?}",
            r.notes
        );
        let text = report_to_text(&r, &[]);
        assert!(
            text.contains("guacd INFO: \u{201c}RDP server closed/refused connection: Security negotiation failed (wrong security type?)\u{201d}"),
            "{text}"
        );
        // The JSON contract: an additive `log_line` kind.
        let json = serde_json::to_value(&r).unwrap();
        let l = json["signals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == "log_line")
            .unwrap();
        assert_eq!(l["program"], "guacd");
        assert_eq!(l["level"], "INFO");
        assert_eq!(l["span"].as_array().unwrap().len(), 2);
    }
}

#[test]
fn guacd_refused_connection_ranks_like_freerdp_closing_at_once() {
    let guacd = run("Aug  7 08:50:58 gw01 guacd[14247]: RDP server closed/refused connection: Server refused connection (wrong security type?)\n\
         Aug  7 08:50:58 gw01 guacd[14247]: guacd[14247]: INFO:#011RDP server closed/refused connection: Server refused connection (wrong security type?)\n");
    let freerdp = run(FREERDP_CLOSED_AT_ONCE);
    assert_eq!(codes(&guacd), ["errconnect 0x2000d"]);
    assert!(!ranking(&freerdp).is_empty());
    assert_eq!(ranking(&guacd), ranking(&freerdp));
    // guacd's own FreeRDP output in the same paste: the code once.
    let both = run(&format!(
        "{FREERDP_CLOSED_AT_ONCE}guacd[9]: INFO:\tRDP server closed/refused connection: Server refused connection (wrong security type?)\n"
    ));
    assert_eq!(codes(&both), ["errconnect 0x2000d"]);
}

#[test]
fn xrdp_errors_are_recognised_failures() {
    let r = run("Mar  1 09:41:07 srv01 xrdp[2780]: [INFO ] Security protocol: configured [SSL|RDP], requested [SSL|HYBRID|RDP], selected [SSL]\r\n\
         Mar  1 09:41:07 srv01 xrdp[2780]: [ERROR] SSL_accept: Failure in SSL library (protocol error?)\r\n\
         Mar  1 09:41:07 srv01 xrdp[2780]: [ERROR] SSL: error:0A0000C1:SSL routines::no shared cipher\r\n\
         [20240301-09:41:09] [ERROR] pam_authenticate failed: Authentication failure\r\n");
    assert_eq!(
        log_lines(&r),
        [
            (
                "xrdp".to_string(),
                "ERROR".to_string(),
                "SSL_accept: Failure in SSL library (protocol error?)".to_string()
            ),
            (
                "xrdp".to_string(),
                "ERROR".to_string(),
                "SSL: error:0A0000C1:SSL routines::no shared cipher".to_string()
            ),
            (
                "xrdp-sesman".to_string(),
                "ERROR".to_string(),
                "pam_authenticate failed: Authentication failure".to_string()
            ),
        ]
    );
    assert!(r.causes.is_empty());
    assert_eq!(r.notes, [NO_CAUSE]);
}

/// The validity of a certificate made with `from` and `until`, as the report shows it, and its findings.
fn validity_of(from: (i32, u8, u8), until: (i32, u8, u8)) -> (String, String, Vec<CertFinding>) {
    let pem = certs::self_signed(Spec {
        from,
        until,
        ..Spec::default()
    });
    let r = run(&pem);
    assert!(r.unreadable.is_empty(), "{:?}", r.unreadable);
    let Some(Signal::Certificate(c)) = r.signals.first() else {
        panic!("no certificate: {r:?}");
    };
    (
        c.not_before.clone(),
        c.not_after.clone(),
        c.findings.clone(),
    )
}

/// The example: a notBefore in 1950, a UTCTime `50...` that RFC 5280 reads as 1950, decodes (the
/// X.509 crate alone rejects years before 1970). The last UTCTime year, 2049, and the first that must be a
/// GeneralizedTime, 2050, read right too.
#[test]
fn utctime_years_follow_rfc_5280() {
    let (nb, na, findings) = validity_of((1950, 1, 1), (2049, 12, 31));
    assert_eq!(
        (nb.as_str(), na.as_str()),
        ("1950-01-01T00:00:00Z", "2049-12-31T00:00:00Z")
    );
    assert!(!findings.contains(&CertFinding::Expired));
    let (_, na, _) = validity_of((2025, 1, 1), (2050, 1, 1));
    assert_eq!(na, "2050-01-01T00:00:00Z");
}

/// Extra case of the class: a notBefore in 1949 must be a GeneralizedTime, and one in 1969 a UTCTime
/// `69...`; both are before what the X.509 crate represents. A certificate that ended in 1969 is expired.
#[test]
fn validity_before_1970_decodes() {
    let (nb, _, _) = validity_of((1949, 6, 30), (2030, 1, 1));
    assert_eq!(nb, "1949-06-30T00:00:00Z");
    let (nb, na, findings) = validity_of((1960, 1, 1), (1969, 12, 31));
    assert_eq!(
        (nb.as_str(), na.as_str()),
        ("1960-01-01T00:00:00Z", "1969-12-31T00:00:00Z")
    );
    assert!(findings.contains(&CertFinding::Expired));
}

/// A certificate with hours left is not "0 days left", and one that expired hours ago is not either.
#[test]
fn hours_left_or_expired_hours_ago_read_as_such() {
    let text_of = |until: (i32, u8, u8)| {
        let pem = certs::self_signed(Spec {
            until,
            ..Spec::default()
        });
        report_to_text(&run(&pem), &[])
    };
    // The fixture's now is 2026-11-23 12:00 UTC.
    let soon = text_of((2026, 11, 24));
    assert!(soon.contains("(less than a day left)"), "{soon}");
    let gone = text_of((2026, 11, 23));
    assert!(gone.contains("(expired today)"), "{gone}");
    assert!(!gone.contains("0 days"), "{gone}");
}
