//! Reports in the shapes people really paste (FreeRDP 2, guacd, xrdp, `openssl x509 -text`, Event Viewer text
//! re-flowed onto one line), diagnosed against the RDP guide in `content/`: each names the stage where the
//! connection failed and ranks the cause the evidence shows. Hosts, users and timestamps are made up. The
//! JSON of each report is a snapshot: a content or engine change that alters a diagnosis shows in review.

mod common;

use std::sync::OnceLock;

use fixbook_checker::{diagnose, Confidence, KnowledgeIndex, Report, Signal};
use time::macros::datetime;
use time::OffsetDateTime;

fn index() -> &'static KnowledgeIndex {
    static INDEX: OnceLock<KnowledgeIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let a = fixbook::analyse(&common::repo(), None, false).unwrap_or_else(|d| panic!("{d:?}"));
        assert!(!a.load_failed, "content/ loads: {:?}", a.diagnostics);
        a.index
    })
}

const NOW: OffsetDateTime = datetime!(2026-11-30 12:00 UTC);

fn run(paste: &str, now: OffsetDateTime) -> Report {
    diagnose(paste, index(), now)
}

fn first(r: &Report) -> &str {
    r.causes.first().map_or("(none)", |c| c.id.as_str())
}

fn failed(r: &Report) -> Option<&str> {
    r.stage.as_ref().and_then(|s| s.failed.as_deref())
}

#[test]
fn freerdp_nla_failure_after_an_accepted_self_signed_certificate() {
    let r = run(
        "[09:41:07:512] [2210:2211] [WARN][com.freerdp.crypto] - Certificate verification failure 'self-signed certificate (18)' at stack position 0\n\
         [09:41:09:020] [2210:2211] [WARN][com.freerdp.core.nla] - SPNEGO received NTSTATUS: STATUS_PASSWORD_EXPIRED [0xC0000071] from server\n\
         [09:41:09:020] [2210:2211] [ERROR][com.freerdp.core] - nla_recv_pdu:freerdp_set_last_error_ex ERRCONNECT_PASSWORD_EXPIRED [0x0002000E]\n",
        NOW,
    );
    assert_eq!(failed(&r), Some("nla"));
    assert_eq!(first(&r), "cause-password-expired");
    assert_eq!(r.causes[0].confidence, Confidence::Confirmed);
    // The certificate warning is not the failure: every TLS cause comes after, as a candidate saying why.
    for c in r
        .causes
        .iter()
        .filter(|c| c.stage.as_deref() == Some("tls"))
    {
        assert_eq!(c.confidence, Confidence::Candidate, "{}", c.id);
        assert!(
            c.why[0].starts_with("The connection got past TLS"),
            "{}: {:?}",
            c.id,
            c.why
        );
    }
    insta::assert_json_snapshot!(r);
}

/// guacd's summary of a failed RDP connection (src/protocols/rdp/error.c). Its source maps "Server refused
/// connection (wrong security type?)" to FREERDP_ERROR_CONNECT_TRANSPORT_FAILED, not to the
/// security-negotiation error: the server closed the transport, which guacd reads as a wrong security type.
#[test]
fn guacd_server_refused_connection() {
    let r = run(
        "guacd[812]: RDP server closed/refused connection: Server refused connection (wrong security type?)\n",
        NOW,
    );
    assert!(
        r.signals.iter().any(|s| matches!(s, Signal::Code { name: Some(n), .. } if n == "ERRCONNECT_CONNECT_TRANSPORT_FAILED")),
        "{:?}",
        r.signals
    );
    assert_eq!(first(&r), "cause-security-layer-mismatch");
    insta::assert_json_snapshot!(r);
}

#[test]
fn xrdp_no_shared_cipher() {
    let r = run(
        "[ERROR] SSL_accept: error:0A0000C1:SSL routines::no shared cipher\n",
        NOW,
    );
    assert_eq!(failed(&r), Some("tls"));
    assert_eq!(first(&r), "cause-tls-version-or-cipher");
    insta::assert_json_snapshot!(r);
}

#[test]
fn openssl_x509_text_of_an_expired_certificate() {
    let r = run(
        "        Validity\n            Not Before: Mar  1 08:00:00 2024 GMT\n            Not After : Mar  1 08:00:00 2025 GMT\n        Subject: CN = rds01.example.test\n",
        datetime!(2025-06-01 00:00 UTC),
    );
    let expired = r.signals.iter().any(|s| {
        matches!(s, Signal::Certificate(c) if c.findings.contains(&fixbook_checker::CertFinding::Expired))
    });
    assert!(expired, "{:?}", r.signals);
    assert_eq!(first(&r), "cause-rdp-cert-expired");
    insta::assert_json_snapshot!(r);
}

#[test]
fn event_viewer_text_on_one_line() {
    let r = run(
        "Log Name: System  Source: Schannel  Event ID: 36870  Level: Error\n",
        NOW,
    );
    assert!(
        r.signals.iter().any(|s| matches!(s, Signal::Event { id: 36870, source, .. } if source.eq_ignore_ascii_case("Schannel"))),
        "{:?}",
        r.signals
    );
    assert_eq!(first(&r), "cause-rdp-cert-private-key-access");
    insta::assert_json_snapshot!(r);
}

#[test]
fn freerdp_password_certainly_expired_after_the_2018_credssp_updates() {
    let r = run(
        "[11:02:44:101] [501:502] [ERROR][com.freerdp.core] - freerdp_set_last_error ERRCONNECT_PASSWORD_CERTAINLY_EXPIRED [0x0002000F]\n\
         [11:02:44:101] [501:502] [ERROR][com.freerdp.core.transport] - BIO_read returned an error: error:14094438:SSL routines:ssl3_read_bytes:tlsv1 alert internal error\n",
        NOW,
    );
    assert_eq!(failed(&r), Some("nla"));
    assert_eq!(first(&r), "cause-freerdp-credssp-version");
    insta::assert_json_snapshot!(r);
}

/// The `tls_error` signals of a report's JSON: (failure, error, reason_code, reason).
fn tls_errors(r: &Report) -> Vec<String> {
    let json = serde_json::to_value(r).unwrap();
    json["signals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "tls_error")
        .map(|s| {
            format!(
                "{} {} {} {}",
                s["failure"], s["error"], s["reason_code"], s["reason"]
            )
        })
        .collect()
}

/// A new user's paste (FreeRDP 3 and 2 layouts): an OpenSSL error on a read. FreeRDP never has OpenSSL verify
/// the server (it checks the certificate itself), so no certificate cause is read into it and no stage is
/// claimed, but the report says what it read and that no page explains it.
#[test]
fn freerdp_openssl_error_on_a_read_is_recognised_and_explained_by_no_page() {
    for (paste, error) in [
        ("[12:01:33:123] [4242:4243] [ERROR][com.freerdp.core.transport] - [transport_read_layer]: BIO_read returned an error: error:0A000086:SSL routines::certificate verify failed\n", "0A000086"),
        ("[12:01:33:123] [4242:4243] [ERROR][com.freerdp.core.transport] - BIO_read returned an error: error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed\n", "1416F086"),
    ] {
        let r = run(paste, NOW);
        let text = fixbook_checker::report_to_text(&r, &[]);
        assert_eq!(
            tls_errors(&r),
            [format!("\"read\" \"{error}\" 134 \"certificate verify failed\"")],
            "{text}"
        );
        assert!(
            text.contains("an OpenSSL error on FreeRDP's read from the server: certificate verify failed"),
            "{text}"
        );
        assert!(r.causes.is_empty(), "{text}");
        assert!(r.stage.is_none(), "{text}");
        assert_eq!(r.notes.len(), 1, "{text}");
        assert!(r.notes[0].contains("no cause in this guide fits it"), "{text}");
    }
}

/// FreeRDP 3.6 and later print the failed handshake (FreeRDP issue 11461: without an OpenSSL reason, then
/// ERRCONNECT_TLS_CONNECT_FAILED). Recognised, but no stage: the same function runs the RD Gateway's
/// handshake, and a `tls` stage would rank the gateway's causes below the TLS ones. The error page's causes
/// stay candidates.
#[test]
fn freerdp3_failed_handshake_without_a_reason_claims_no_stage() {
    let code = "[12:20:04:307] [19144:00004ac9] [ERROR][com.freerdp.core] - [transport_default_connect_tls]: ERRCONNECT_TLS_CONNECT_FAILED [0x00020008]\n";
    let r = run(
        &format!("[12:20:04:307] [19144:00004ac9] [ERROR][com.freerdp.crypto] - [freerdp_tls_handshake]: BIO_do_handshake failed\n{code}"),
        NOW,
    );
    let text = fixbook_checker::report_to_text(&r, &[]);
    assert_eq!(tls_errors(&r), ["\"handshake\" null null null"], "{text}");
    assert!(
        text.contains("TLS error: a TLS handshake failure reported by FreeRDP"),
        "{text}"
    );
    assert_eq!(failed(&r), None, "{text}");
    assert!(!r.causes.is_empty(), "{text}");
    assert!(r
        .causes
        .iter()
        .all(|c| c.confidence == Confidence::Candidate));
    // The code alone proves no stage either: FreeRDP also sets it when the RD Gateway's TLS connect fails.
    assert!(run(code, NOW).stage.is_none());
}

/// FreeRDP 3.6 and later with the server's alert: the TLS stage, explained by the TLS version cause.
#[test]
fn freerdp3_handshake_alert_protocol_version() {
    let r = run(
        "[09:41:09:020] [2210:2211] [ERROR][com.freerdp.crypto] - [freerdp_tls_handshake]: BIO_do_handshake failed\n\
         [09:41:09:020] [2210:2211] [ERROR][com.freerdp.crypto] - [bio_err_print]: [BIO_do_handshake] 40A7C8E1F67F0000:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../ssl/record/rec_layer_s3.c:1605:SSL alert number 70 [134]\n",
        NOW,
    );
    assert_eq!(
        tls_errors(&r),
        ["\"handshake\" \"0A00042E\" 1070 \"tlsv1 alert protocol version\""]
    );
    assert_eq!(failed(&r), Some("tls"));
    assert_eq!(first(&r), "cause-tls-version-or-cipher");
    assert_eq!(r.causes[0].confidence, Confidence::Confirmed);
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

/// The stage report's (reached, failed), for asserting that a report claims no stage it cannot show.
fn stage(r: &Report) -> Option<(&str, Option<&str>)> {
    r.stage
        .as_ref()
        .map(|s| (s.reached.as_str(), s.failed.as_deref()))
}

/// xrdp-sesman refusing a login through PAM (`verify_user_pam.c`: `pam_authenticate failed: %s` with
/// `pam_strerror`, PAM_AUTH_ERR). "Authentication failure" is also what pam_faillock gives a locked account,
/// so the wrong password is `likely`, not `confirmed`. xrdp has no NLA: the line names no stage, so the report
/// claims none (a `nla` stage would be false, and a `session` one would demote the NLA-stage cause and leave
/// the failure unexplained).
#[test]
fn xrdp_sesman_pam_authenticate_failure_is_a_likely_wrong_password() {
    for paste in [
        // The reported paste (0.9's timestamp; its first and last lines are not v0.10.1's wording).
        "[20241105-09:14:02] [INFO ] Received system login request from alice for session type X11\n\
         [20241105-09:14:04] [ERROR] pam_authenticate failed: Authentication failure\n\
         [20241105-09:14:04] [ERROR] sesman_data_in: scp_process_msg failed\n",
        // 0.9.17: the refusal is also logged as "Username or password error" (scp_v0.c).
        "[20211012-10:02:31] [ERROR] pam_authenticate failed: Authentication failure\n\
         [20211012-10:02:31] [INFO ] Username or password error for user: alice\n",
        // 0.9.18 to 0.9.26: the fail2ban line follows (scp_v0.c).
        "[20241105-09:14:04] [ERROR] pam_authenticate failed: Authentication failure\n\
         [20241105-09:14:04] [INFO ] AUTHFAIL: user=alice ip=::ffff:10.0.0.23 time=1730798044\n",
        // 0.10.1: scp_process.c's request line, then xrdp-sesexec's lines (sesexec/login_info.c).
        "[2024-11-05T09:14:02.113+0100] [INFO ] Received system login request from xrdp for user: alice IP: 10.0.0.23\n\
         [2024-11-05T09:14:04.530+0100] [ERROR] pam_authenticate failed: Authentication failure\n\
         [2024-11-05T09:14:04.531+0100] [INFO ] AUTHFAIL: user=alice ip=10.0.0.23 time=1730794444\n",
        // The journal's form of the same line.
        "Nov 05 09:14:04 rdp01 xrdp-sesexec[2211]: [ERROR] pam_authenticate failed: Authentication failure\n",
    ] {
        let r = run(paste, NOW);
        let text = fixbook_checker::report_to_text(&r, &[]);
        assert_eq!(first(&r), "cause-wrong-credentials", "{text}");
        assert_eq!(r.causes[0].confidence, Confidence::Likely, "{text}");
        assert_eq!(stage(&r), None, "{text}");
        assert!(r.notes.is_empty(), "{text}");
    }
}

/// xrdp 0.10's xrdp.log with the sesman line: two lines about one refusal stay `likely`, and the stage strip
/// shows only what xrdp.log shows (TLS passed), with no failing stage.
#[test]
fn xrdp_010_login_failure_with_xrdp_log_and_sesman_log() {
    let r = run(
        "[2024-11-05T09:14:01.020+0100] [INFO ] TLS connection established from ::ffff:10.0.0.23 port 51234: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384\n\
         [2024-11-05T09:14:04.540+0100] [INFO ] xrdp_wm_log_msg: User does not exist, or could not be authenticated\n\
         [2024-11-05T09:14:04.530+0100] [ERROR] pam_authenticate failed: Authentication failure\n",
        NOW,
    );
    let text = fixbook_checker::report_to_text(&r, &[]);
    assert_eq!(first(&r), "cause-wrong-credentials", "{text}");
    assert_eq!(r.causes[0].confidence, Confidence::Likely, "{text}");
    assert_eq!(stage(&r), Some(("nla", None)), "{text}");
    insta::assert_json_snapshot!(r);
}

/// 0.10 stops before PAM when the name resolves to no user (sesexec/login_info.c).
#[test]
fn xrdp_010_unknown_user_name() {
    let r = run(
        "[2024-11-05T09:14:04.530+0100] [ERROR] Can't get UID for user alcie\n\
         [2024-11-05T09:14:04.531+0100] [INFO ] AUTHFAIL: user=alcie ip=10.0.0.23 time=1730794444\n",
        NOW,
    );
    let text = fixbook_checker::report_to_text(&r, &[]);
    assert!(
        text.contains("xrdp-sesman ERROR: \u{201c}Can't get UID for user alcie\u{201d}"),
        "{text}"
    );
    assert_eq!(first(&r), "cause-wrong-credentials", "{text}");
    assert_eq!(r.causes[0].confidence, Confidence::Likely, "{text}");
    assert_eq!(stage(&r), None, "{text}");
}

/// The fail2ban line alone (what `grep AUTHFAIL` or fail2ban's own log shows) says a login was refused, not
/// why: it is recognised, and only the refusals PAM can give are candidates (not the session limit, which
/// xrdp-sesman checks after it); with the PAM line before it, that line decides.
#[test]
fn xrdp_sesman_authfail_line_alone_and_after_its_reason() {
    let r = run(
        "Nov 05 09:14:04 rdp01 xrdp-sesman[2211]: [INFO ] AUTHFAIL: user=alice ip=::ffff:10.0.0.23 time=1730798044\n",
        NOW,
    );
    let text = fixbook_checker::report_to_text(&r, &[]);
    assert!(text.contains("AUTHFAIL"), "{text}");
    let ids: Vec<&str> = r.causes.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "cause-wrong-credentials",
            "cause-account-locked-or-disabled",
            "cause-password-expired",
            "cause-account-expired"
        ],
        "{text}"
    );
    assert!(
        r.causes
            .iter()
            .all(|c| c.confidence == Confidence::Candidate),
        "{text}"
    );
    // What to paste next is the page's own advice (xrdp-sesman's log), not the site's Windows events.
    assert_eq!(r.notes.len(), 1, "{text}");
    assert!(r.notes[0].contains("xrdp-sesman's log"), "{text}");
    assert!(!r.notes[0].contains("System log"), "{text}");

    let r = run(
        "[20241105-09:20:11] [ERROR] pam_acct_mgmt failed: User account has expired\n\
         [20241105-09:20:11] [INFO ] AUTHFAIL: user=alice ip=::ffff:10.0.0.23 time=1730798411\n",
        NOW,
    );
    let text = fixbook_checker::report_to_text(&r, &[]);
    assert_eq!(first(&r), "cause-account-expired", "{text}");
    assert_eq!(r.causes[0].confidence, Confidence::Confirmed, "{text}");
    assert!(
        r.causes
            .iter()
            .skip(1)
            .all(|c| c.confidence == Confidence::Candidate),
        "{text}"
    );
}

/// pam_faillock's preauth refuses a locked account with PAM_AUTH_ERR and says so only to the user, which
/// xrdp-sesman (0.9.17 and later) logs as `PAM: ...`: the lock is confirmed and ranks above the password.
#[test]
fn xrdp_sesman_pam_faillock_lock() {
    let r = run(
        "[20241105-09:31:10] [INFO ] PAM: The account is locked due to 3 failed logins.\n\
         [20241105-09:31:10] [INFO ] PAM: (8 minutes left to unlock)\n\
         [20241105-09:31:12] [ERROR] pam_authenticate failed: Authentication failure\n",
        NOW,
    );
    let text = fixbook_checker::report_to_text(&r, &[]);
    assert_eq!(first(&r), "cause-account-locked-or-disabled", "{text}");
    assert_eq!(r.causes[0].confidence, Confidence::Confirmed, "{text}");
    assert_eq!(r.causes[1].id, "cause-wrong-credentials", "{text}");
    assert_eq!(r.causes[1].confidence, Confidence::Likely, "{text}");
    assert_eq!(stage(&r), None, "{text}");
}

/// PAM accepts the password and refuses the account (`pam_acct_mgmt failed: %s`): PAM_NEW_AUTHTOK_REQD is
/// the expired or must-change password, PAM_ACCT_EXPIRED the expired account (pam_unix_acct.c).
#[test]
fn xrdp_sesman_pam_acct_mgmt_refusals() {
    for (paste, cause) in [
        (
            "[2024-11-05T09:20:11.310+0100] [ERROR] PAM: You are required to change your password immediately (administrator enforced).\n\
             [2024-11-05T09:20:11.310+0100] [ERROR] pam_acct_mgmt failed: Authentication token is no longer valid; new one required\n",
            "cause-password-expired",
        ),
        (
            "[20241105-09:20:11] [ERROR] pam_acct_mgmt failed: Authentication token is no longer valid; new one required\n\
             [20241105-09:20:11] [INFO ] AUTHFAIL: user=alice ip=::ffff:10.0.0.23 time=1730798411\n",
            "cause-password-expired",
        ),
        (
            "[20241105-09:25:40] [ERROR] PAM: Your account has expired; please contact your system administrator.\n\
             [20241105-09:25:40] [ERROR] pam_acct_mgmt failed: User account has expired\n",
            "cause-account-expired",
        ),
    ] {
        let r = run(paste, NOW);
        let text = fixbook_checker::report_to_text(&r, &[]);
        assert_eq!(first(&r), cause, "{text}");
        assert_eq!(r.causes[0].confidence, Confidence::Confirmed, "{text}");
        assert_eq!(stage(&r), None, "{text}");
    }
}

/// A PAM refusal no cause explains (PAM_PERM_DENIED, e.g. from pam_access) stays recognised with no cause:
/// neither "Permission denied" nor the account step alone is evidence for the causes above.
#[test]
fn xrdp_sesman_pam_permission_denied_fits_no_cause() {
    let r = run(
        "[20241105-09:40:02] [ERROR] pam_acct_mgmt failed: Permission denied\n",
        NOW,
    );
    let text = fixbook_checker::report_to_text(&r, &[]);
    assert!(r.causes.is_empty(), "{text}");
    assert!(
        r.notes[0].contains("no cause in this guide fits it"),
        "{text}"
    );
}

/// The corpus: every cause's `examples` in content/ still ranks that cause first (what `fixbook check`
/// enforces, asserted here over the whole guide with a count).
#[test]
fn every_cause_example_ranks_its_cause_first() {
    let a = fixbook::analyse(&common::repo(), None, false).unwrap_or_else(|d| panic!("{d:?}"));
    let mismatches: Vec<String> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == fixbook::diag::Code::ExampleMismatch)
        .map(|d| format!("{}:{}: {}", d.file.display(), d.pos.line, d.message))
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    // Each example has one `paste:` key (written `- paste:` or `paste:` after `- now:`).
    let examples: usize = std::fs::read_dir(common::repo().join("content/causes"))
        .unwrap()
        .flatten()
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            text.lines()
                .filter(|l| {
                    l.trim_start()
                        .trim_start_matches("- ")
                        .starts_with("paste:")
                })
                .count()
        })
        .sum();
    assert!(examples >= 80, "only {examples} examples in content/causes");
}

/// A failed logon as Event Viewer's XML view shows it (Details > XML View; the field names of the 4625
/// documentation's XML sample), and as `wevtutil qe Security /c:1 /rd:true` prints it: one line, single
/// quotes. Both read as the text copy does: the event, its Status and Sub Status, the NLA stage.
#[test]
fn event_xml_of_a_failed_logon_in_event_viewer_and_wevtutil_shapes() {
    let viewer = r#"<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
  <System>
    <Provider Name="Microsoft-Windows-Security-Auditing" Guid="{54849625-5478-4994-a5ba-3e3b0328c30d}" />
    <EventID>4625</EventID>
    <Version>0</Version>
    <Level>0</Level>
    <Task>12544</Task>
    <Opcode>0</Opcode>
    <Keywords>0x8010000000000000</Keywords>
    <TimeCreated SystemTime="2026-11-30T09:41:09.1234567Z" />
    <EventRecordID>184211</EventRecordID>
    <Correlation />
    <Execution ProcessID="812" ThreadID="4416" />
    <Channel>Security</Channel>
    <Computer>rdsh01.contoso.com</Computer>
    <Security />
  </System>
  <EventData>
    <Data Name="SubjectUserSid">S-1-0-0</Data>
    <Data Name="TargetUserName">alice</Data>
    <Data Name="TargetDomainName">CONTOSO</Data>
    <Data Name="Status">0xc000006d</Data>
    <Data Name="FailureReason">%%2313</Data>
    <Data Name="SubStatus">0xc000006a</Data>
    <Data Name="LogonType">10</Data>
    <Data Name="IpAddress">10.20.1.15</Data>
    <Data Name="IpPort">0</Data>
  </EventData>
</Event>
"#;
    let wevtutil = viewer
        .lines()
        .map(str::trim)
        .collect::<String>()
        .replace('"', "'");
    assert!(!wevtutil.contains('\n'));
    for paste in [viewer, wevtutil.as_str()] {
        let r = run(paste, NOW);
        let event = r.signals.iter().find_map(|s| match s {
            Signal::Event {
                log, source, id, ..
            } => Some((log.clone(), source.clone(), *id)),
            _ => None,
        });
        assert_eq!(
            event,
            Some((
                Some("Security".to_string()),
                "Microsoft-Windows-Security-Auditing".to_string(),
                4625
            )),
            "{:?}",
            r.signals
        );
        let codes: Vec<&str> = r
            .signals
            .iter()
            .filter_map(|s| match s {
                Signal::Code { value, .. } => Some(value.as_str()),
                _ => None,
            })
            .collect();
        assert!(
            codes.contains(&"0xc000006a") && codes.contains(&"0xc000006d"),
            "{codes:?}"
        );
        assert_eq!(first(&r), "cause-wrong-credentials");
        assert_eq!(failed(&r), Some("nla"));
        // Nothing of the markup is taken for a code: the GUID's and keywords' hex digits have no label.
        assert_eq!(codes.len(), 2, "{codes:?}");
    }
}

/// FreeRDP 3 ends an NLA failure with nego's "Protocol Security Negotiation Failure": the strip shows the
/// negotiation passed (NLA failed after it), and that stage's reason says the failure text did not stop it
/// there instead of contradicting the strip.
#[test]
fn a_failure_text_of_a_stage_the_connection_got_past_says_so() {
    let r = run(
        "[09:14:02:402] [3121:00000c33] [ERROR][com.freerdp.core.nla] - [nla_client_begin]: InitializeSecurityContext failure status SEC_E_UNSUPPORTED_FUNCTION [0x80090302]\n\
         [09:14:02:402] [3121:00000c33] [ERROR][com.freerdp.core] - [nla_client_begin]: ERRCONNECT_AUTHENTICATION_FAILED [0x00020009]\n\
         [09:14:02:402] [3121:00000c33] [ERROR][com.freerdp.core.nego] - [nego_connect]: Protocol Security Negotiation Failure\n",
        NOW,
    );
    let stage = r.stage.as_ref().expect("a stage");
    assert_eq!(stage.failed.as_deref(), Some("nla"));
    let nego = stage
        .why
        .iter()
        .find(|w| w.contains("Protocol Security Negotiation Failure"))
        .expect("the negotiation's reason");
    assert!(
        nego.ends_with("(the connection got further, so not where it failed)"),
        "{nego}"
    );
    let nla = stage
        .why
        .iter()
        .find(|w| w.contains("0x20009"))
        .expect("NLA's reason");
    assert!(!nla.contains("got further"), "{nla}");
}

/// `Test-NetConnection` for a name that does not resolve (NetTCPIP's Test-NetConnection.psm1:
/// `Write-Warning "Name resolution of $TargetName failed"`, then it returns before any TCP or ping test, with
/// or without `-Port`: no `RemotePort`, no `TcpTestSucceeded`, and `PingSucceeded : False` as the result's
/// default). The name lookup failed; the host was never tested, so "not reachable" is no cause here.
#[test]
fn test_netconnection_name_resolution_failed() {
    for cmd in [
        "Test-NetConnection nosuch.corp.example -Port 3389",
        "Test-NetConnection nosuch.corp.example",
    ] {
        let r = run(
            &format!(
                "PS C:\\> {cmd}\n\
                 WARNING: Name resolution of nosuch.corp.example failed\n\n\n\
                 ComputerName   : nosuch.corp.example\n\
                 RemoteAddress  :\n\
                 InterfaceAlias :\n\
                 SourceAddress  :\n\
                 PingSucceeded  : False\n\n"
            ),
            NOW,
        );
        let text = fixbook_checker::report_to_text(&r, &[]);
        assert_eq!(stage(&r), Some(("name", Some("name"))), "{text}");
        assert_eq!(first(&r), "cause-name-not-resolved", "{text}");
        assert_eq!(r.causes[0].confidence, Confidence::Confirmed, "{text}");
        assert!(
            r.causes.iter().all(|c| c.id != "cause-host-unreachable"),
            "{text}"
        );
        // The ticket's words are the page's, not the content model's identifiers.
        assert!(
            text.contains("port test nosuch.corp.example: the name did not resolve"),
            "{text}"
        );
        assert!(!text.contains(":0"), "{text}");
    }
}

/// `TcpTestSucceeded : False` with `PingSucceeded : True`: the host answers ping, so the port is what fails
/// (the guide's /fixes/open-rdp-port/ says so); the host being unreachable is not even a candidate. The name
/// resolved (there is a `RemoteAddress`), so the strip shows name lookup passed and TCP failed.
#[test]
fn test_netconnection_tcp_failed_while_ping_succeeded() {
    let r = run(
        "PS C:\\Users\\jdoe> Test-NetConnection rdsh03.corp.example -Port 3389\n\
         WARNING: TCP connect to (10.20.30.43 : 3389) failed\n\n\n\
         ComputerName           : rdsh03.corp.example\n\
         RemoteAddress          : 10.20.30.43\n\
         RemotePort             : 3389\n\
         InterfaceAlias         : Ethernet0\n\
         SourceAddress          : 10.20.5.17\n\
         PingSucceeded          : True\n\
         PingReplyDetails (RTT) : 1 ms\n\
         TcpTestSucceeded       : False\n\n",
        NOW,
    );
    let text = fixbook_checker::report_to_text(&r, &[]);
    assert_eq!(stage(&r), Some(("tcp", Some("tcp"))), "{text}");
    assert_eq!(first(&r), "cause-port-blocked", "{text}");
    assert_eq!(r.causes[0].confidence, Confidence::Confirmed, "{text}");
    assert!(
        r.causes.iter().all(|c| c.id != "cause-host-unreachable"),
        "{text}"
    );

    // Both failed: the host is the first suspect, the port the next.
    let r = run(
        "PS C:\\> Test-NetConnection rdsh03.corp.example -Port 3389\n\
         WARNING: TCP connect to (10.20.30.43 : 3389) failed\n\
         WARNING: Ping to 10.20.30.43 failed with status: TimedOut\n\n\n\
         ComputerName           : rdsh03.corp.example\n\
         RemoteAddress          : 10.20.30.43\n\
         RemotePort             : 3389\n\
         InterfaceAlias         : Ethernet0\n\
         SourceAddress          : 10.20.5.17\n\
         PingSucceeded          : False\n\
         PingReplyDetails (RTT) : 0 ms\n\
         TcpTestSucceeded       : False\n\n",
        NOW,
    );
    let text = fixbook_checker::report_to_text(&r, &[]);
    assert_eq!(stage(&r), Some(("tcp", Some("tcp"))), "{text}");
    let ids: Vec<&str> = r.causes.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids.get(..2),
        Some(&["cause-host-unreachable", "cause-port-blocked"][..]),
        "{text}"
    );
}

/// `TcpTestSucceeded : True` (the cmdlet pings only when TCP failed): the strip shows TCP passed, and the
/// causes of the name and TCP stages, were any listed, would be demoted below the later ones.
#[test]
fn test_netconnection_tcp_succeeded_passes_the_tcp_stage() {
    let r = run(
        "PS C:\\Users\\jdoe> Test-NetConnection rdsh03.corp.example -Port 3389\n\n\
         ComputerName     : rdsh03.corp.example\n\
         RemoteAddress    : 10.20.30.43\n\
         RemotePort       : 3389\n\
         InterfaceAlias   : Ethernet0\n\
         SourceAddress    : 10.20.5.17\n\
         TcpTestSucceeded : True\n\n",
        NOW,
    );
    let text = fixbook_checker::report_to_text(&r, &[]);
    assert_eq!(stage(&r), Some(("negotiation", None)), "{text}");
    let why = r.stage.as_ref().map(|s| s.why.clone()).unwrap_or_default();
    assert_eq!(why.len(), 1, "{text}");
    assert!(
        why[0].contains("rdsh03.corp.example:3389 connected"),
        "{text}"
    );
    assert!(r.causes.is_empty(), "{text}");

    // A test of another port (an RD Gateway's 443) is not the session host's TCP stage, either way: it
    // neither passes the stage (which would demote the gateway's causes) nor fails it.
    for ok in ["True", "False"] {
        let r = run(
            &format!(
                "PS C:\\> Test-NetConnection rdgw.corp.example -Port 443\n\n\
                 ComputerName     : rdgw.corp.example\n\
                 RemoteAddress    : 10.20.1.5\n\
                 RemotePort       : 443\n\
                 InterfaceAlias   : Ethernet0\n\
                 SourceAddress    : 10.20.5.17\n\
                 PingSucceeded    : True\n\
                 TcpTestSucceeded : {ok}\n\n"
            ),
            NOW,
        );
        let text = fixbook_checker::report_to_text(&r, &[]);
        assert_eq!(stage(&r), None, "{text}");
    }
}

/// FreeRDP 2.0.0-rc0 to rc3 (`freerdp_tcp_connect` in libfreerdp/core/tcp.c, TAG "com.freerdp.core") log a
/// failed lookup as `getaddrinfo: %s` with `gai_strerror` (glibc's texts). The line alone, or next to FreeRDP's
/// generic "protocol security negotiation or connection failure" and its transport error, is a name lookup
/// that failed: the negotiation causes come after it, as candidates.
#[test]
fn freerdp_getaddrinfo_line_is_a_failed_name_lookup() {
    for (paste, gai) in [
        (
            "[13:42:01:004] [2250:2251] [ERROR][com.freerdp.core] - getaddrinfo: Name or service not known\n\
             [13:42:01:005] [2250:2251] [ERROR][com.freerdp.core.connection] - Error: protocol security negotiation or connection failure\n",
            "Name or service not known",
        ),
        (
            "[13:42:01:003] [2250:2251] [ERROR][com.freerdp.core] - freerdp_set_last_error ERRCONNECT_CONNECT_TRANSPORT_FAILED [0x0002000D]\n\
             [13:42:01:004] [2250:2251] [ERROR][com.freerdp.core] - getaddrinfo: Temporary failure in name resolution\n",
            "Temporary failure in name resolution",
        ),
        (
            "[13:42:01:004] [2250:2251] [ERROR][com.freerdp.core] - getaddrinfo: No address associated with hostname\n",
            "No address associated with hostname",
        ),
    ] {
        let r = run(paste, NOW);
        let text = fixbook_checker::report_to_text(&r, &[]);
        assert_eq!(stage(&r), Some(("name", Some("name"))), "{gai}: {text}");
        assert_eq!(first(&r), "cause-name-not-resolved", "{gai}: {text}");
        assert_eq!(r.causes[0].confidence, Confidence::Confirmed, "{gai}: {text}");
        assert!(
            r.causes
                .iter()
                .skip(1)
                .all(|c| c.confidence == Confidence::Candidate),
            "{gai}: {text}"
        );
    }
}

/// FreeRDP 2.0.0 to 3.20.0 when the TCP connect to the host fails (libfreerdp/core/tcp.c): the error is
/// ERRCONNECT_CONNECT_FAILED, then "failed to connect to %s" with the host as given. The connection failed
/// at TCP: a blocked port or an unreachable host, never the unstable-link cause of an open connection.
#[test]
fn freerdp2_tcp_connect_failed() {
    let r = run(
        "[13:40:02:118] [2231:2231] [ERROR][com.freerdp.core] - freerdp_tcp_connect:freerdp_set_last_error_ex ERRCONNECT_CONNECT_FAILED [0x00020006]\n\
         [13:40:02:118] [2231:2231] [ERROR][com.freerdp.core] - failed to connect to rdsh02.corp.example\n",
        NOW,
    );
    assert_eq!(failed(&r), Some("tcp"));
    assert_eq!(first(&r), "cause-port-blocked");
    assert_eq!(r.causes[0].confidence, Confidence::Likely);
    assert_eq!(
        r.causes.get(1).map(|c| c.id.as_str()),
        Some("cause-host-unreachable")
    );
    insta::assert_json_snapshot!(r);
}

/// FreeRDP 3.28.0 and later log the socket error of a failed connect as a warning
/// (freerdp_tcp_connect_timeout: "connect to %s:%s failed with error: %s [%d]"), then record
/// ERRCONNECT_CONNECT_FAILED in get_next_addrinfo. A refused connect means the host answered.
#[test]
fn freerdp3_tcp_connect_refused() {
    let r = run(
        "[13:40:02:101] [2231:2231] [WARN][com.freerdp.core] - [freerdp_tcp_connect_timeout]: connect to 10.1.2.3:3389 failed with error: Connection refused [111]\n\
         [13:40:02:118] [2231:2231] [ERROR][com.freerdp.core] - [get_next_addrinfo]: ERRCONNECT_CONNECT_FAILED [0x00020006]\n\
         [13:40:02:118] [2231:2231] [ERROR][com.freerdp.core] - [freerdp_tcp_default_connect]: Couldn't get socket ip address\n",
        NOW,
    );
    assert_eq!(failed(&r), Some("tcp"));
    assert_eq!(first(&r), "cause-port-blocked");
    assert_eq!(r.causes[0].confidence, Confidence::Confirmed);
    insta::assert_json_snapshot!(r);
}

/// ERRCONNECT_CONNECT_TRANSPORT_FAILED alone: FreeRDP sets it only on an open connection (a read, a write,
/// the event loop, the connect sequence's wait for the server), during setup as well as in a session. The
/// line does not say which, so an unstable link does not come before the setup causes, and nothing is more
/// than a candidate.
#[test]
fn freerdp_transport_failed_alone_ranks_setup_causes_first() {
    let r = run(
        "[14:05:33:812] [9912:9931] [ERROR][com.freerdp.core] - transport_read_layer:freerdp_set_last_error_ex ERRCONNECT_CONNECT_TRANSPORT_FAILED [0x0002000D]\n",
        NOW,
    );
    assert_eq!(first(&r), "cause-rdp-cert-private-key-access");
    assert!(r
        .causes
        .iter()
        .all(|c| c.confidence == Confidence::Candidate));
    let pos = |id: &str| r.causes.iter().position(|c| c.id == id);
    assert!(
        pos("cause-network-unstable") > pos("cause-security-layer-mismatch"),
        "{:?}",
        r.causes.iter().map(|c| &c.id).collect::<Vec<_>>()
    );
    // What to paste next is FreeRDP's page's advice only: guacd's page shares the code, not the paste.
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
    assert!(r.notes[0].contains("/log-level:debug"), "{:?}", r.notes);
    assert!(!r.notes[0].contains("guacd"), "{:?}", r.notes);
    insta::assert_json_snapshot!(r);
}

/// guacd refusing a certificate (src/protocols/rdp/rdp.c, 1.3.0 to 1.6.0: "Certificate validation failed"
/// when `ignore-cert` is not set), then its summary of FreeRDP's ERRCONNECT_TLS_CONNECT_FAILED (error.c).
/// The connection failed at TLS; the last line guacd prints does not move that, even when it names the
/// security negotiation.
#[test]
fn guacd_certificate_validation_failed() {
    let head = "Dec 01 10:02:11 gw01 guacd[4401]: Security mode: Any\n\
                Dec 01 10:02:12 gw01 guacd[4401]: Loading keymap \"en-us-qwerty\"\n\
                Dec 01 10:02:12 gw01 guacd[4401]: Certificate validation failed\n";
    for last in [
        "SSL/TLS connection failed (untrusted/self-signed certificate?)",
        "Security negotiation failed (wrong security type?)",
    ] {
        let r = run(
            &format!("{head}Dec 01 10:02:12 gw01 guacd[4401]: RDP server closed/refused connection: {last}\n"),
            NOW,
        );
        assert_eq!(failed(&r), Some("tls"), "{last}");
        assert_eq!(first(&r), "cause-rdp-cert-chain", "{last}");
        assert_eq!(r.causes[0].confidence, Confidence::Likely, "{last}");
        assert!(
            r.causes
                .iter()
                .filter(|c| c.id == "cause-security-layer-mismatch")
                .all(|c| c.confidence == Confidence::Candidate),
            "{last}"
        );
    }
    let r = run(
        &format!("{head}Dec 01 10:02:12 gw01 guacd[4401]: RDP server closed/refused connection: SSL/TLS connection failed (untrusted/self-signed certificate?)\n"),
        NOW,
    );
    insta::assert_json_snapshot!(r);
}

/// FreeRDP 3 refusing the target's certificate: OpenSSL's reason (verify_cb), the name-mismatch block
/// (tls_print_certificate_name_mismatch_error, libfreerdp/crypto/tls.c), the prompt of
/// client/common/client.c ("Certificate details for %s:%u (%s):", RDP-Server for the target) answered no,
/// then ERRCONNECT_TLS_CONNECT_FAILED. The prompt's label shows the failing handshake is the target's, so
/// the connection failed at TLS and the gateway's certificate cause is not why (it says so).
#[test]
fn freerdp3_refused_target_certificate_fails_at_tls() {
    let r = run(
        "[10:22:45:901] [5120:00001401] [WARN][com.freerdp.crypto] - [verify_cb]: Certificate verification failure 'self-signed certificate (18)' at stack position 0\n\
         [10:22:45:901] [5120:00001401] [WARN][com.freerdp.crypto] - [verify_cb]: CN = rdsh01.corp.example\n\
         [10:22:45:902] [5120:00001401] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n\
         [10:22:45:902] [5120:00001401] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: @           WARNING: CERTIFICATE NAME MISMATCH!           @\n\
         [10:22:45:902] [5120:00001401] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n\
         [10:22:45:902] [5120:00001401] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: The hostname used for this connection (10.20.30.40:3389) \n\
         [10:22:45:902] [5120:00001401] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: does not match the name given in the certificate:\n\
         [10:22:45:902] [5120:00001401] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: Common Name (CN):\n\
         [10:22:45:902] [5120:00001401] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: \trdsh01.corp.example\n\
         [10:22:45:902] [5120:00001401] [ERROR][com.freerdp.crypto] - [tls_print_certificate_name_mismatch_error]: A valid certificate for the wrong name should NOT be trusted!\n\
         Certificate details for 10.20.30.40:3389 (RDP-Server):\n\
         \tCommon Name: rdsh01.corp.example\n\
         \tSubject:     CN = rdsh01.corp.example\n\
         \tIssuer:      CN = rdsh01.corp.example\n\
         \tThumbprint:  5c:1e:9a:33:0f:aa:71:0e:2b:94:d2:61:13:7e:88:5a:c4:02:7b:19:e6:3d:a0:4f:91:c8:2e:7a:55:b1:06:df\n\
         The above X.509 certificate could not be verified, possibly because you do not have\n\
         the CA certificate in your certificate store, or the certificate has expired.\n\
         Please look at the OpenSSL documentation on how to add a private CA to the store.\n\
         Do you trust the above certificate? (Y/T/N) n\n\
         [10:22:51:114] [5120:00001401] [ERROR][com.freerdp.core] - [transport_default_connect_tls]: ERRCONNECT_TLS_CONNECT_FAILED [0x00020008]\n",
        NOW,
    );
    assert_eq!(failed(&r), Some("tls"));
    assert_eq!(first(&r), "cause-rdp-cert-name-mismatch");
    let gw = r
        .causes
        .iter()
        .find(|c| c.id == "cause-gateway-cert-untrusted")
        .expect("listed for the code");
    assert_eq!(gw.confidence, Confidence::Candidate);
    assert!(
        gw.why[0].starts_with("The connection got past RD Gateway"),
        "{:?}",
        gw.why
    );
    insta::assert_json_snapshot!(r);
}

/// The same error after the RD Gateway's prompt: the failing handshake is the gateway's, and the
/// ERRCONNECT_TLS_CONNECT_FAILED row (also raised there) does not claim TLS.
#[test]
fn freerdp_refused_gateway_certificate_is_not_a_tls_failure_of_the_target() {
    let r = run(
        "Certificate details for gw.corp.example:443 (RDP-Gateway):\n\
         \tCommon Name: gw.corp.example\n\
         \tSubject:     CN = gw.corp.example\n\
         \tIssuer:      CN = gw.corp.example\n\
         Do you trust the above certificate? (Y/T/N) n\n\
         [10:22:51:114] [5120:00001401] [ERROR][com.freerdp.core] - [rdg_tls_connect]: ERRCONNECT_TLS_CONNECT_FAILED [0x00020008]\n",
        NOW,
    );
    assert_eq!(failed(&r), Some("gateway"));
    assert_eq!(first(&r), "cause-gateway-cert-untrusted");
}
