//! Stage ranking on real-shaped pastes, and its invariant: a later stage shown never lets an earlier
//! stage's cause rank above the later stage's causes.

use crate::engine::tests::{DIALOG, SCHANNEL, TNC_FAILED};
use crate::testing::{index, now, Rng};
use crate::{diagnose, Confidence, KnowledgeIndex, Report};

/// FreeRDP 2 accepting a self-signed certificate, then failing NLA (the first input).
const CERT_WARNING: &str = "[09:41:07:512] [2210:2211] [WARN][com.freerdp.crypto] - Certificate verification failure 'self-signed certificate (18)' at stack position 0\n";
const PASSWORD_EXPIRED: &str = "[09:41:09:020] [2210:2211] [ERROR][com.freerdp.core] - nla_recv_pdu:freerdp_set_last_error_ex ERRCONNECT_PASSWORD_EXPIRED [0x0002000E]\n";
const NEGO_FAILED: &str = "[10:02:11:300] [3301:3302] [ERROR][com.freerdp.core] - freerdp_set_last_error_ex ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]\n";
const TLS_FAILED: &str = "[10:02:11:300] [3301:3302] [ERROR][com.freerdp.core] - transport_connect_tls:freerdp_set_last_error_ex ERRCONNECT_TLS_CONNECT_FAILED [0x00020008]\n";
const CONNECT_FAILED: &str = "[10:02:11:300] [3301:3302] [ERROR][com.freerdp.core] - freerdp_set_last_error_ex ERRCONNECT_CONNECT_FAILED [0x00020006]\n";
/// xrdp's INFO line once TLS is up (libxrdp/xrdp_rdp.c), declared as `passed` for `tls` in the fixture.
const XRDP_TLS_UP: &str = "[20261123-09:41:07] [INFO ] TLS connection established from 10.0.0.5 port 51234: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384\n";

/// Also checks that the sharded index gives the same report (`shard`).
fn run(paste: &str) -> Report {
    crate::shard::tests::checked(paste, &index(), now())
}

fn position(r: &Report, id: &str) -> Option<usize> {
    r.causes.iter().position(|c| c.id == id)
}

#[test]
fn an_nla_failure_demotes_the_certificate_warning_the_client_accepted() {
    let r = run(&format!("{CERT_WARNING}{PASSWORD_EXPIRED}"));
    let stage = r.stage.as_ref().expect("a stage is shown");
    assert_eq!(stage.reached, "nla");
    assert_eq!(stage.failed.as_deref(), Some("nla"));
    assert!(stage.why[0].starts_with("NLA (authentication): errconnect code 0x2000e"));
    assert_eq!(r.causes[0].id, "cause-password-expired");
    assert_eq!(r.causes[0].confidence, Confidence::Confirmed);
    let cert = &r.causes[position(&r, "cause-rdp-cert-chain").expect("cert cause listed")];
    assert_eq!(cert.confidence, Confidence::Candidate);
    assert_eq!(
        cert.why[0],
        "The connection got past TLS: the paste shows it reached NLA (authentication), so this is not where it failed."
    );
    assert!(cert.score <= r.causes[0].score);
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

#[test]
fn the_same_warning_alone_is_likely_and_shows_no_stage() {
    let r = run(CERT_WARNING);
    assert_eq!(r.stage, None);
    assert_eq!(r.causes[0].id, "cause-rdp-cert-chain");
    assert_eq!(r.causes[0].confidence, Confidence::Likely);
}

#[test]
fn a_failure_no_cause_explains_is_said_first_and_nothing_ranks_above_candidate() {
    // Negotiation failed; the only evidence is a TLS-stage cause's, which cannot be why.
    let r = run(&format!("{CERT_WARNING}{NEGO_FAILED}{DIALOG}"));
    let stage = r.stage.as_ref().expect("a stage is shown");
    assert_eq!(stage.failed.as_deref(), Some("negotiation"));
    assert!(
        r.notes[0].starts_with("The paste shows the connection failing at Security negotiation (errconnect code 0x2000c (ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED)), and no cause in this guide explains that failure."),
        "{:?}",
        r.notes
    );
    assert!(!r.causes.is_empty());
    for c in &r.causes {
        assert_eq!(c.confidence, Confidence::Candidate, "{}", c.id);
        assert!(c.score <= 0.3, "{} {}", c.id, c.score);
    }
}

#[test]
fn a_passed_phrase_moves_the_connection_on_without_a_failure() {
    let r = run(&format!("{CERT_WARNING}{XRDP_TLS_UP}"));
    let stage = r.stage.as_ref().expect("a stage is shown");
    assert_eq!(stage.reached, "nla");
    assert_eq!(stage.failed, None);
    assert_eq!(
        stage.why,
        ["TLS: passed (\u{201c}TLS connection established from\u{201d})"]
    );
    assert_eq!(r.causes[0].id, "cause-rdp-cert-chain");
    assert_eq!(r.causes[0].confidence, Confidence::Candidate);
}

#[test]
fn a_site_without_stages_ranks_as_before() {
    let mut idx: KnowledgeIndex = index();
    idx.stages.clear();
    let r = diagnose(&format!("{CERT_WARNING}{PASSWORD_EXPIRED}"), &idx, now());
    assert_eq!(r.stage, None);
    assert!(r.causes.iter().all(|c| !c.why[0].contains("got past")));
    assert_eq!(
        r.causes[position(&r, "cause-rdp-cert-chain").unwrap()].confidence,
        Confidence::Likely
    );
}

/// The property of the **Connection stages** contract: for any paste, adding a line that shows a later
/// stage never puts a cause of an earlier stage above a cause of that later stage.
#[test]
fn a_later_stage_shown_never_ranks_an_earlier_stage_cause_above_it() {
    let idx = index();
    // Lines that show a stage, with the stage they show (a passed phrase shows the stage after it).
    let staged: [(&str, &str); 7] = [
        (CONNECT_FAILED, "tcp"),
        (NEGO_FAILED, "negotiation"),
        (TLS_FAILED, "tls"),
        (SCHANNEL, "tls"),
        (PASSWORD_EXPIRED, "nla"),
        (XRDP_TLS_UP, "nla"),
        (CERT_WARNING, ""),
    ];
    let unstaged = [
        DIALOG,
        TNC_FAILED,
        CERT_WARNING,
        "Error code: 0x204\n",
        "Error code: 0x1b07\n",
    ];
    let stage_of = |id: Option<&str>| id.and_then(|s| idx.stage_index(s));
    let mut rng = Rng(0x57a6_e5ee_d000_0001);
    let mut checked = 0;
    for _ in 0..400 {
        let mut paste = String::new();
        for _ in 0..rng.below(4) {
            paste.push_str(unstaged[rng.below(unstaged.len())]);
            let (line, _) = staged[rng.below(staged.len())];
            if rng.below(2) == 0 {
                paste.push_str(line);
            }
        }
        let (line, shows) = staged[rng.below(staged.len() - 1)];
        let later = idx.stage_index(shows).unwrap();
        paste.push_str(line);
        let r = diagnose(&paste, &idx, now());
        let stages: Vec<Option<usize>> = r
            .causes
            .iter()
            .map(|c| stage_of(c.stage.as_deref()))
            .collect();
        for (i, a) in stages.iter().enumerate() {
            let Some(a) = a else { continue };
            if *a >= later {
                continue;
            }
            for (j, b) in stages.iter().enumerate() {
                if b.is_some_and(|b| b >= later) {
                    assert!(
                        j < i,
                        "{} (stage {a}) ranks above {} (stage {b:?}) after a line showing stage {later}:\n{paste}",
                        r.causes[i].id,
                        r.causes[j].id
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} pairs were compared");
}

/// A port test shows a stage only for the ports the site declares for it (`ports`), so a test of a gateway's
/// 443 neither fails nor passes the session host's TCP stage.
#[test]
fn a_port_test_shows_the_stage_of_its_port() {
    let mut idx = index();
    let with_ports = |idx: &KnowledgeIndex, paste: &str| {
        crate::shard::tests::checked(paste, idx, now())
            .stage
            .map(|s| (s.reached, s.failed))
    };
    // The fixture declares no ports: a port test shows no stage.
    assert_eq!(with_ports(&idx, TNC_FAILED), None);
    for s in idx.stages.iter_mut().filter(|s| s.id == "tcp") {
        s.ports = vec![3389];
    }
    assert_eq!(
        with_ports(&idx, TNC_FAILED),
        Some(("tcp".to_string(), Some("tcp".to_string())))
    );
    let connected =
        "ComputerName     : srv-a\nRemoteAddress    : 10.0.0.5\nRemotePort       : 3389\n\
                     TcpTestSucceeded : True\n";
    assert_eq!(
        with_ports(&idx, connected),
        Some(("negotiation".to_string(), None))
    );
    assert_eq!(with_ports(&idx, &TNC_FAILED.replace("3389", "443")), None);
    assert_eq!(with_ports(&idx, &connected.replace("3389", "443")), None);
}

/// A row whose code is also raised at an earlier stage (`also_at`) shows its own stage only once the paste
/// shows the connection got past that one: FreeRDP's TLS error is raised for an RD Gateway's handshake too.
#[test]
fn a_row_also_raised_earlier_shows_its_stage_only_past_the_earlier_one() {
    let mut index = index();
    for t in &mut index.tables {
        for r in &mut t.rows {
            if r.value == "0x20008" {
                r.stage = Some("tls".into());
                r.also_at = vec!["gateway".into()];
            }
        }
    }
    assert!(
        index.stage_index("gateway").is_some(),
        "the fixture declares an RD Gateway stage"
    );
    if let Some(s) = index.stages.iter_mut().find(|s| s.id == "negotiation") {
        s.passed.push("(RDP-Server):".into());
    }
    let run = |paste: &str| crate::shard::tests::checked(paste, &index, now());

    // The code alone may be the gateway's: no stage.
    assert_eq!(run(TLS_FAILED).stage, None);
    // After the target server's certificate prompt, it is the target's TLS that failed.
    let r = run(&format!(
        "Certificate details for 10.20.30.40:3389 (RDP-Server):\n{TLS_FAILED}"
    ));
    let stage = r.stage.as_ref().expect("a stage is shown");
    assert_eq!(stage.reached, "tls");
    assert_eq!(stage.failed.as_deref(), Some("tls"));
    assert!(
        stage
            .why
            .iter()
            .any(|w| w.starts_with("TLS: errconnect code 0x20008")),
        "{:?}",
        stage.why
    );
}
