//! FreeRDP's TLS failure lines: OpenSSL errors on its transport, handshake failures and refused certificates.
//!
//! ## What FreeRDP prints (read in its source, FreeRDP 2.11 and 3.x master)
//! Lines are WLog lines, `[12:01:33:123] [4242:4243] [ERROR][com.freerdp.core.transport] - ` then, since 3.0,
//! `[function]: ` (Remmina prints the same lines). The OpenSSL error is `ERR_error_string_n`'s
//! `error:<8 hex digits>:<library>:<function>:<reason>`: OpenSSL 3 leaves the function empty
//! (`error:0A000086:SSL routines::certificate verify failed`), OpenSSL 1.x names it
//! (`error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed`).
//! - `transport_bio_error_log` (libfreerdp/core/transport.c; 2.11: line 513, master: line 795), called
//!   when a `BIO_read` (`transport_read_layer`) or a `BIO_write` fails: `<call> returned an error: <error>`,
//!   one line per error in the thread's OpenSSL error queue (or `returned a system error N: ...` when the
//!   queue is empty, read by `freerdp`). The reads and writes go through the TLS BIO only once the
//!   handshake is done and the certificate accepted (`transport_connect_tls`), so such a line shows a
//!   failure after TLS, and the queue may hold errors of an earlier OpenSSL call of the thread: FreeRDP
//!   issue 7878 (`error:16000069:STORE routines::unregistered scheme` on BIO_read) and 6205
//!   (`X509_STORE_CTX_purpose_inherit:unknown purpose id`, from its own certificate check). The server's
//!   `tlsv1 alert internal error` after the handshake is the CredSSP case (issues 3443, winapps 338).
//!   **No stage is claimed** from these lines.
//! - `freerdp_tls_handshake` (libfreerdp/crypto/tls.c, master line 1041), since 3.6.0 (commit ef86df9a2):
//!   `BIO_do_handshake failed`, then `[BIO_do_handshake] <ERR_print_errors line> [<length>]` for each queued
//!   error (`40A7C8E1F67F0000:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:...`),
//!   or none when the server closed without an alert (FreeRDP issue 11461: `BIO_do_handshake failed`, then
//!   `ERRCONNECT_TLS_CONNECT_FAILED [0x00020008]`). FreeRDP 2's `tls_do_handshake` prints nothing and
//!   leaves only the ERRCONNECT code. A failed **TLS handshake**; **no stage is claimed**: the same function
//!   runs the handshake with an RD Gateway (rdg.c), so the failing handshake may be the gateway's, and a
//!   `tls` stage would demote the gateway's causes below the TLS ones (for the same reason the
//!   ERRCONNECT_TLS_CONNECT_FAILED row names `tls` only with `also_at: [gateway]`).
//! - `certificate not trusted, aborting.` (tls.c, 2.11 and master): the handshake succeeded and FreeRDP's
//!   own check (`tls_verify_certificate`, which checks the gateway's certificate too) refused a
//!   certificate; no stage is claimed either.
//!
//! FreeRDP never asks OpenSSL to verify the peer (no `SSL_CTX_set_verify`/`SSL_set_verify` in 2.11 or
//! master): it checks the certificate itself after the handshake and prints `Certificate verification
//! failure '<reason> (<n>)'` (read by `freerdp`). So OpenSSL's `certificate verify failed`
//! (`SSL_R_CERTIFICATE_VERIFY_FAILED`, 134) does not come from its check of the server's certificate; on a
//! `BIO_read` line it is whatever the queue held, and no cause of the guide is read into it.
//!
//! ## Decoding
//! Only errors of OpenSSL's SSL library (20, `ERR_LIB_SSL`) are kept. OpenSSL 3 packs
//! `lib << 23 | reason` (reason mask `0x7FFFFF`), OpenSSL 1.x `lib << 24 | function << 12 | reason`: the
//! two layouts of library 20 (`0x0A000000..0x0A7FFFFF` and `0x14xxxxxx`) do not overlap. Reasons are
//! named from [`REASONS`] (numbers from OpenSSL's include/openssl/sslerr.h); the paste's own words are
//! never copied.

use crate::detect::freerdp::message;
use crate::detect::scan::lines;
use crate::report::{Signal, TlsFailure};

/// OpenSSL SSL-library reasons (`SSL_R_*`, the same numbers in 1.x and 3.x) and their strings.
const REASONS: &[(u32, &str)] = &[
    (134, "certificate verify failed"),
    (191, "no protocols available"),
    (193, "no shared cipher"),
    (258, "unsupported protocol"),
    (267, "wrong version number"),
    (294, "unexpected eof while reading"),
    (1040, "sslv3 alert handshake failure"),
    (1042, "sslv3 alert bad certificate"),
    (1048, "tlsv1 alert unknown ca"),
    (1070, "tlsv1 alert protocol version"),
    (1080, "tlsv1 alert internal error"),
];

/// FreeRDP's line when its certificate check refused the certificate (tls.c).
const REFUSED: &str = "certificate not trusted, aborting.";

/// OpenSSL's library number of the SSL routines.
const LIB_SSL: u32 = 20;

/// Signals kept at most: a log repeats its errors.
const MAX: usize = 32;

/// A packed OpenSSL error of the SSL library: (function, reason); the function only for OpenSSL 1.x.
pub(crate) fn decode(code: u32) -> Option<(Option<u32>, u32)> {
    if code & 0x8000_0000 == 0 && (code >> 23) & 0xff == LIB_SSL {
        Some((None, code & 0x7f_ffff))
    } else if code >> 24 == LIB_SSL {
        Some((Some((code >> 12) & 0xfff), code & 0xfff))
    } else {
        None
    }
}

/// The `error:XXXXXXXX:SSL routines` code in a message, if any.
fn ssl_error(msg: &str) -> Option<u32> {
    let at = msg.find("error:")?;
    let rest = msg.get(at + 6..)?;
    let hex = rest.get(..8)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) || !rest.get(8..)?.starts_with(":SSL routines:")
    {
        return None;
    }
    u32::from_str_radix(hex, 16).ok()
}

/// What a line shows, in the checker's words (the report's line for it; see [`describe`]).
pub(crate) fn why(failure: TlsFailure, reason: Option<&str>) -> String {
    let what = match failure {
        TlsFailure::Handshake => "a TLS handshake failure reported by FreeRDP",
        TlsFailure::CertificateRefused => "FreeRDP refused the certificate it was shown",
        TlsFailure::Read => "an OpenSSL error on FreeRDP's read from the server",
        TlsFailure::Write => "an OpenSSL error on FreeRDP's write to the server",
    };
    match reason {
        Some(r) => format!("{what}: {r}"),
        None => what.to_string(),
    }
}

/// A [`Signal::TlsError`] as the report's line says it: [`why`], then the decoded OpenSSL code.
pub(crate) fn describe(s: &Signal) -> String {
    let Signal::TlsError {
        failure,
        error,
        function,
        reason_code,
        reason,
        ..
    } = s
    else {
        return String::new();
    };
    let mut text = why(*failure, *reason);
    if let Some(e) = error {
        text.push_str(&format!(" (OpenSSL error {e}: SSL library"));
        if let Some(f) = function {
            text.push_str(&format!(", function {f}"));
        }
        if let Some(r) = reason_code {
            text.push_str(&format!(", reason {r}"));
        }
        text.push(')');
    }
    text
}

/// Emits FreeRDP's TLS failure lines into `out`, each (failure, error) once.
pub(crate) fn detect(text: &str, out: &mut Vec<Signal>) {
    if !text.contains("BIO_") && !text.contains("certificate not trusted") {
        return;
    }
    let mut seen: Vec<(TlsFailure, Option<u32>)> = Vec::new();
    for line in lines(text) {
        let (off, msg) = message(line.text);
        let body = msg.trim();
        let (failure, code) = if body == "BIO_do_handshake failed" {
            (TlsFailure::Handshake, None)
        } else if body == REFUSED
            || body
                .strip_suffix(REFUSED)
                .is_some_and(|head| head.ends_with("] - "))
        {
            // The second form: a trust prompt answered on the terminal, its log line after the answer.
            (TlsFailure::CertificateRefused, None)
        } else if let Some(rest) = body.strip_prefix("[BIO_do_handshake] ") {
            (TlsFailure::Handshake, ssl_error(rest))
        } else if let Some((call, rest)) = body.split_once(" returned an error: ") {
            let failure = match call {
                "BIO_read" => TlsFailure::Read,
                "BIO_write" | "BIO_should_retry" => TlsFailure::Write,
                _ => continue,
            };
            match ssl_error(rest) {
                Some(code) => (failure, Some(code)),
                None => continue,
            }
        } else {
            continue;
        };
        if seen.contains(&(failure, code)) {
            continue;
        }
        // A bare "BIO_do_handshake failed" says less than the reason lines after it.
        if code.is_some() {
            seen.retain(|s| *s != (failure, None));
            out.retain(
                |s| !matches!(s, Signal::TlsError { failure: f, error: None, .. } if *f == failure),
            );
        } else if seen.iter().any(|(f, _)| *f == failure) {
            continue;
        }
        if seen.len() >= MAX {
            return;
        }
        seen.push((failure, code));
        let decoded = code.and_then(decode);
        let reason = decoded.and_then(|(_, r)| REASONS.iter().find(|(n, _)| *n == r));
        out.push(Signal::TlsError {
            source: "freerdp",
            failure,
            error: code.map(|c| format!("{c:08X}")),
            function: decoded.and_then(|(f, _)| f),
            reason_code: decoded.map(|(_, r)| r),
            reason: reason.map(|&(_, r)| r),
            span: [line.start + off, line.end()],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<Signal> {
        let mut out = Vec::new();
        detect(text, &mut out);
        out
    }

    /// (failure, error, function, reason number, reason) of each signal.
    type Row = (
        &'static str,
        Option<String>,
        Option<u32>,
        Option<u32>,
        Option<String>,
    );

    fn rows(text: &str) -> Vec<Row> {
        run(text)
            .into_iter()
            .map(|s| match s {
                Signal::TlsError {
                    failure,
                    error,
                    function,
                    reason_code,
                    reason,
                    span,
                    ..
                } => {
                    assert!(text.get(span[0]..span[1]).is_some());
                    (
                        failure.as_str(),
                        error,
                        function,
                        reason_code,
                        reason.map(String::from),
                    )
                }
                other => panic!("{other:?}"),
            })
            .collect()
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn packed_codes_of_openssl_3_and_1_1() {
        assert_eq!(decode(0x0A00_0086), Some((None, 134)));
        assert_eq!(decode(0x1416_F086), Some((Some(367), 134)));
        assert_eq!(decode(0x1409_4438), Some((Some(148), 1080)));
        assert_eq!(decode(0x0A00_042E), Some((None, 1070)));
        // STORE routines (OpenSSL 3), x509 certificate routines (1.1), a system error: not SSL.
        for other in [0x1600_0069, 0x0B08_6079, 0x8000_0002] {
            assert_eq!(decode(other), None, "{other:08X}");
        }
    }

    #[test]
    fn bio_read_errors_of_freerdp_3_and_2() {
        let v3 = "[12:01:33:123] [4242:4243] [ERROR][com.freerdp.core.transport] - [transport_read_layer]: BIO_read returned an error: error:0A000086:SSL routines::certificate verify failed\n";
        let v2 = "[12:01:33:123] [4242:4243] [ERROR][com.freerdp.core.transport] - BIO_read returned an error: error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed\n";
        assert_eq!(
            rows(v3),
            [(
                "read",
                s("0A000086"),
                None,
                Some(134),
                s("certificate verify failed"),
            )]
        );
        assert_eq!(
            rows(v2),
            [(
                "read",
                s("1416F086"),
                Some(367),
                Some(134),
                s("certificate verify failed"),
            )]
        );
        let Signal::TlsError { span, .. } = &run(v3)[0] else {
            panic!()
        };
        assert!(v3[span[0]..span[1]].starts_with("BIO_read returned an error: error:0A000086"));
    }

    #[test]
    fn handshake_failures_and_refused_certificates() {
        let p = "[09:41:09:020] [2210:2211] [ERROR][com.freerdp.crypto] - ";
        let text = format!(
            "{p}[freerdp_tls_handshake]: BIO_do_handshake failed\n\
             {p}[bio_err_print]: [BIO_do_handshake] 40A7C8E1F67F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:354: [120]\n\
             {p}[bio_err_print]: [BIO_do_handshake] 40A7C8E1F67F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:354: [120]\n"
        );
        assert_eq!(
            rows(&text),
            [(
                "handshake",
                s("0A00010B"),
                None,
                Some(267),
                s("wrong version number"),
            )],
            "the bare line gives way to its reason, repeats are dropped"
        );
        // Issue 11461: no reason line after it.
        assert_eq!(
            rows(&format!(
                "{p}[freerdp_tls_handshake]: BIO_do_handshake failed\n"
            )),
            [("handshake", None, None, None, None)]
        );
        // FreeRDP 2 after a declined trust prompt, the prompt and the log line on one terminal line.
        for line in [
            format!("{p}certificate not trusted, aborting.\n"),
            format!("Do you trust the above certificate? (Y/T/N) {p}certificate not trusted, aborting.\n"),
        ] {
            assert_eq!(
                rows(&line),
                [("certificate_refused", None, None, None, None)]
            );
        }
        assert!(run("The certificate not trusted, aborting.\n").is_empty());
    }

    #[test]
    fn other_libraries_and_ordinary_text_are_not_read() {
        // FreeRDP issue 7878: leftovers of its certificate store on a BIO_read.
        let text = "[17:52:00:383] [72199:72202] [ERROR][com.freerdp.core.transport] - BIO_read returned an error: error:16000069:STORE routines::unregistered scheme\n\
                    BIO_read returned an error: error:0A00XYZ6:SSL routines::x\n\
                    curl_read returned an error: error:0A000086:SSL routines::certificate verify failed\n\
                    BIO_read returned an error: error:0A0000\n\
                    the BIO_do_handshake failed yesterday\n";
        assert!(run(text).is_empty(), "{:?}", run(text));
        for cut in 0..text.len() {
            let _ = run(&text[..cut]);
        }
    }

    #[test]
    fn unknown_ssl_reasons_keep_their_number_only() {
        let r = rows("BIO_write returned an error: error:0A0000C7:SSL routines::peer did not return a certificate");
        assert_eq!(r, [("write", s("0A0000C7"), None, Some(199), None)]);
    }
}
