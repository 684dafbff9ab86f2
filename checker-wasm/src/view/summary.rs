//! The report as a summary, for a checker box in a page's narrow side column: what was decoded (one item
//! per code, event or client TLS error), where the connection failed, the notes (which say when nothing confirms a cause,
//! and must be read before any candidate) and the best causes with their confidence words. A
//! long log there used to stretch the page to thousands of pixels; the full report is one press away (the
//! page shows [`super::report_view`] in a dialog), so the summary leaves out the evidence lists, the
//! certificate cards and the reasons.
//!
//! ## Invariants
//! - Everything here is also in the full report: the summary only leaves things out.
//! - A private key in the paste is still warned about first: that warning is never summarised away.
//! - Its size is bounded whatever the paste: at most [`MAX_CODES`] lines of codes and [`MAX_CAUSES`] causes.

use std::collections::HashSet;

use super::{El, Render};
use crate::index::Stage;
use crate::report::{Report, Signal};

/// Codes and events listed, one item each; more are counted.
pub(crate) const MAX_CODES: usize = 6;
/// Causes listed, best first.
pub(crate) const MAX_CAUSES: usize = 3;

/// The summary of `report` (see the module comment); `heading_level` as for [`super::report_view`].
pub fn report_summary_view(report: &Report, stages: &[Stage], heading_level: u8) -> El {
    let r = Render {
        level: heading_level.clamp(1, 5),
        stages,
    };
    let mut root = El::new("div", "report report-brief");
    r.key_warning(&mut root, report);
    root.add("p", "report-summary", &super::summary(report));
    if let Some(st) = &report.stage {
        let mut strip = r.stage_strip(st);
        // The strip's explanation is in the full report; the strip itself marks the stage.
        strip
            .kids
            .retain(|k| !matches!(k, super::Node::El(e) if e.class == "stage-why"));
        root.push(strip);
    }
    for n in &report.notes {
        root.add("p", "report-note", n);
    }

    let mut seen = HashSet::new();
    let mut lines = Vec::new();
    for s in &report.signals {
        let (key, li) = match s {
            Signal::Code {
                scheme,
                value,
                name,
                url,
                ..
            } => {
                let mut li = El::new("li", "");
                let mut code = El::new("code", "");
                code.text(value);
                match url {
                    Some(u) => {
                        li.push(El::new("a", "")).attr("href", u).push(code);
                    }
                    None => {
                        li.push(code);
                    }
                }
                li.text(" ");
                match name {
                    Some(n) => {
                        li.add_name(n);
                    }
                    None => {
                        li.add("span", "scheme", scheme);
                    }
                }
                (format!("code {scheme} {value}"), li)
            }
            Signal::Event { source, id, .. } => {
                let mut li = El::new("li", "");
                li.add("strong", "", &format!("Event {id}"));
                li.text(&format!(" {source}"));
                (format!("event {source} {id}"), li)
            }
            Signal::TlsError { .. } => {
                let text = crate::detect::freerdp_tls::describe(s);
                let mut li = El::new("li", "");
                li.add("strong", "", "TLS error");
                li.text(&format!(" {text}"));
                (text, li)
            }
            _ => continue,
        };
        if seen.insert(key) {
            lines.push(li);
        }
    }
    if !lines.is_empty() {
        let mut s = r.section("Decoded", "report-signals");
        let ul = s.push(El::new("ul", "signal-list brief-lines"));
        let more = lines.len().saturating_sub(MAX_CODES);
        for li in lines.into_iter().take(MAX_CODES) {
            ul.push(li);
        }
        if more > 0 {
            s.add(
                "p",
                "muted",
                &format!("… and {more} more in the full report."),
            );
        }
        root.push(s);
    }

    if !report.causes.is_empty() {
        let mut s = r.section("Top causes", "report-causes");
        let ol = s.push(El::new("ol", "cause-list"));
        for c in report.causes.iter().take(MAX_CAUSES) {
            let li = ol.push(El::new("li", "cause"));
            let head = li.push(El::new("p", "cause-head"));
            head.link(&c.url, &c.title);
            let word = c.confidence.as_str();
            head.add("span", &format!("confidence confidence-{word}"), word);
        }
        let more = report.causes.len().saturating_sub(MAX_CAUSES);
        if more > 0 {
            s.add(
                "p",
                "muted",
                &format!(
                    "… and {more} more cause{} in the full report.",
                    if more == 1 { "" } else { "s" }
                ),
            );
        }
        root.push(s);
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose;
    use crate::testing::{index, now};
    use crate::view::Node;

    use crate::view::tests::find as all;

    fn count(e: &El, tag: &str) -> usize {
        let mine = usize::from(e.tag == tag);
        mine + e
            .kids
            .iter()
            .map(|k| match k {
                Node::El(c) => count(c, tag),
                Node::Text(_) => 0,
            })
            .sum::<usize>()
    }

    fn brief(paste: &str) -> (El, El) {
        let idx = index();
        let report = diagnose(paste, &idx, now());
        (
            report_summary_view(&report, &idx.stages, 3),
            crate::report_view(&report, &idx.stages, 3),
        )
    }

    #[test]
    fn a_freerdp_tls_error_is_a_decoded_line() {
        let (v, _) = brief("[12:01:33:123] [4242:4243] [ERROR][com.freerdp.core.transport] - [transport_read_layer]: BIO_read returned an error: error:0A000086:SSL routines::certificate verify failed\n");
        let mut lines = Vec::new();
        all(&v, "brief-lines", &mut lines);
        assert_eq!(lines.len(), 1);
        assert_eq!(
            lines[0].text_content(),
            "TLS error an OpenSSL error on FreeRDP's read from the server: certificate verify failed \
             (OpenSSL error 0A000086: SSL library, reason 134)"
        );
        let mut summary = Vec::new();
        all(&v, "report-summary", &mut summary);
        assert_eq!(summary[0].text_content(), "Recognised 1 TLS error.");
    }

    #[test]
    fn a_dialog_is_two_code_lines_and_at_most_three_causes_with_their_words() {
        let (v, full) = brief("Error code: 0x904\nExtended error code: 0x7");
        let mut lines = Vec::new();
        all(&v, "brief-lines", &mut lines);
        assert_eq!(lines.len(), 1);
        let texts: Vec<String> = lines[0]
            .kids
            .iter()
            .filter_map(|k| match k {
                Node::El(li) => Some(li.text_content()),
                Node::Text(_) => None,
            })
            .collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0].starts_with("0x904 "), "{texts:?}");
        assert!(texts[1].starts_with("0x7 "), "{texts:?}");
        let mut causes = Vec::new();
        all(&v, "cause", &mut causes);
        let mut full_causes = Vec::new();
        all(&full, "cause", &mut full_causes);
        assert!(!causes.is_empty());
        assert_eq!(causes.len(), full_causes.len().min(MAX_CAUSES));
        for c in &causes {
            let mut words = Vec::new();
            all(c, "confidence", &mut words);
            assert_eq!(words.len(), 1);
            assert!(
                ["confirmed", "likely", "candidate"].contains(&words[0].text_content().as_str())
            );
            // Title and link only: the reasons and the fix steps are in the full report.
            assert_eq!(count(c, "a"), 1);
            assert_eq!(count(c, "ul") + count(c, "ol"), 0);
        }
        // Much smaller than the full report, and the same summary line.
        assert!(count(&v, "li") < count(&full, "li"));
        let (mut a, mut b) = (Vec::new(), Vec::new());
        all(&v, "report-summary", &mut a);
        all(&full, "report-summary", &mut b);
        assert_eq!(a[0].text_content(), b[0].text_content());
    }

    #[test]
    fn a_long_log_stays_bounded_and_repeated_codes_are_listed_once() {
        let mut log = String::new();
        for i in 0..400 {
            log.push_str(&format!(
                "[09:41:{:02}:512] [2210:2211] [ERROR][com.freerdp.core] - freerdp_set_last_error_ex ERRCONNECT_CONNECT_TRANSPORT_FAILED [0x0002000D]\n",
                i % 60
            ));
            log.push_str("Error code: 0x904\nExtended error code: 0x7\nError code: 0x204\nError code: 0x108\nError code: 0x808\nError code: 0x908\nError code: 0x104\n");
        }
        let (v, _) = brief(&log);
        let mut lines = Vec::new();
        all(&v, "brief-lines", &mut lines);
        let n = lines[0].kids.len();
        assert!(n <= MAX_CODES, "{n} lines");
        let text = v.text_content();
        assert!(text.contains("more in the full report"), "{text}");
        let mut causes = Vec::new();
        all(&v, "cause", &mut causes);
        assert!(causes.len() <= MAX_CAUSES);
        // Codes are listed once however often the log repeats them.
        assert_eq!(text.matches("0x904").count(), 1, "{text}");
    }

    #[test]
    fn a_private_key_is_still_warned_about() {
        let key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\nError code: 0x904";
        let (v, _) = brief(key);
        let mut w = Vec::new();
        all(&v, "report-warning", &mut w);
        assert_eq!(w.len(), 1);
        assert!(!v.text_content().contains("MIIEvQ"));
    }

    #[test]
    fn the_stage_strip_is_kept_without_its_explanation() {
        let paste = "[09:41:09:020] [2210:2211] [WARN][com.freerdp.core.nla] - SPNEGO received NTSTATUS: STATUS_PASSWORD_EXPIRED [0xC0000071] from server\n[09:41:09:020] [2210:2211] [ERROR][com.freerdp.core] - nla_recv_pdu:freerdp_set_last_error_ex ERRCONNECT_PASSWORD_EXPIRED [0x0002000E]";
        let idx = index();
        let report = diagnose(paste, &idx, now());
        assert!(report.stage.is_some(), "the fixture index declares stages");
        let v = report_summary_view(&report, &idx.stages, 3);
        let (mut strip, mut why) = (Vec::new(), Vec::new());
        all(&v, "stage-strip", &mut strip);
        all(&v, "stage-why", &mut why);
        assert_eq!(strip.len(), 1);
        assert!(why.is_empty());
    }
}
