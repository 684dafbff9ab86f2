//! The report as plain text: for `fixbook diagnose` in a terminal and for "copy for a ticket".
//!
//! ## Invariant
//! Nothing pasted is printed except what the engine decoded: codes, names from the index, event sources
//! and hosts that passed the name filter, certificate fields, and the message of a recognised log error
//! line (at most 300 characters). Private keys appear as their type only.

use std::fmt::Write;

use crate::index::{stage_label, CertFinding, Stage};
use crate::report::{CertificateFacts, Report, Signal, StageReport};

/// Renders `report` as a readable multi-line text. `stages` are the site's (for their labels).
pub fn report_to_text(report: &Report, stages: &[Stage]) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored on purpose.
    let _ = write_report(&mut out, report, stages);
    out
}

/// "applies to FreeRDP 2", "since FreeRDP 3.18.0", "until FreeRDP 3.20.0", joined by "; ", or nothing.
pub fn versions(since: Option<&str>, until: Option<&str>, applies_to: &[String]) -> Option<String> {
    let mut parts = Vec::new();
    if !applies_to.is_empty() {
        parts.push(format!("applies to {}", applies_to.join(", ")));
    }
    if let Some(s) = since {
        parts.push(format!("since {s}"));
    }
    if let Some(u) = until {
        parts.push(format!("until {u}"));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Where each stage stands in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageState {
    /// The connection got past it.
    Passed,
    /// An optional stage before the one reached: passed, or not used by this connection.
    PassedOrUnused,
    /// It failed here.
    Failed,
    /// The latest stage shown, without a failure signal there.
    Reached,
    /// Not reached, as far as the paste shows.
    Ahead,
}

impl StageState {
    /// The word used in the text report and as the page's CSS class suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            StageState::Passed => "passed",
            StageState::PassedOrUnused => "passed-or-unused",
            StageState::Failed => "failed",
            StageState::Reached => "reached",
            StageState::Ahead => "ahead",
        }
    }
}

/// Each stage with its state: the one strip both front ends draw.
pub fn stage_strip<'a>(report: &StageReport, stages: &'a [Stage]) -> Vec<(&'a Stage, StageState)> {
    let reached = stages.iter().position(|s| s.id == report.reached);
    stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let state = match reached {
                Some(r) if i < r && s.optional => StageState::PassedOrUnused,
                Some(r) if i < r => StageState::Passed,
                Some(r) if i == r && report.failed.as_deref() == Some(s.id.as_str()) => {
                    StageState::Failed
                }
                Some(r) if i == r => StageState::Reached,
                _ => StageState::Ahead,
            };
            (s, state)
        })
        .collect()
}

fn write_stages(o: &mut String, r: &StageReport, stages: &[Stage]) -> std::fmt::Result {
    writeln!(o, "Connection stages")?;
    let strip: Vec<String> = stage_strip(r, stages)
        .iter()
        .map(|(s, state)| match state {
            StageState::Passed => format!("{} ok", s.label),
            StageState::PassedOrUnused => format!("{} ok or not used", s.label),
            StageState::Failed => format!("[{} FAILED]", s.label),
            StageState::Reached => format!("[{} reached]", s.label),
            StageState::Ahead => format!("({})", s.label),
        })
        .collect();
    writeln!(o, "  {}", strip.join(" > "))?;
    for w in &r.why {
        writeln!(o, "  - {w}")?;
    }
    writeln!(o)
}

fn write_report(o: &mut String, r: &Report, stages: &[Stage]) -> std::fmt::Result {
    if let Some(st) = &r.stage {
        write_stages(o, st, stages)?;
    }
    writeln!(o, "Recognised")?;
    if r.signals.is_empty() {
        writeln!(o, "  nothing")?;
    }
    for (i, s) in r.signals.iter().enumerate() {
        if crate::report::is_repeated_message(&r.signals, i) {
            continue;
        }
        match s {
            Signal::Code {
                scheme,
                value,
                name,
                meaning,
                url,
                since,
                until,
                applies_to,
                ..
            } => {
                write!(o, "  - {scheme} code {value}")?;
                if let Some(n) = name {
                    write!(o, " {n}")?;
                }
                if let Some(m) = meaning {
                    write!(o, ": {m}")?;
                }
                if let Some(v) = versions(since.as_deref(), until.as_deref(), applies_to) {
                    write!(o, " ({v})")?;
                }
                if let Some(u) = url {
                    write!(o, " ({u})")?;
                }
                writeln!(o)?;
            }
            Signal::Event {
                log,
                source,
                id,
                level,
                meaning,
                ..
            } => {
                write!(o, "  - event {id} from {source}")?;
                let extra: Vec<&str> = [log.as_deref(), level.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect();
                if !extra.is_empty() {
                    write!(o, " ({})", extra.join(", "))?;
                }
                if let Some(m) = meaning {
                    write!(o, ": {m}")?;
                }
                writeln!(o)?;
            }
            Signal::PortTest {
                host,
                port,
                findings,
                ..
            } => {
                let target = if *port == 0 {
                    host.clone()
                } else {
                    format!("{host}:{port}")
                };
                let result = if findings.is_empty() {
                    "connection succeeded".to_string()
                } else {
                    findings
                        .iter()
                        .map(|f| f.label())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                writeln!(o, "  - port test {target}: {result}")?;
            }
            Signal::Message { text, .. } => writeln!(o, "  - message: \u{201c}{text}\u{201d}")?,
            Signal::Progress { stage, text, .. } => {
                let label = stage_label(stages, stage);
                writeln!(o, "  - {label} passed: \u{201c}{text}\u{201d}")?
            }
            Signal::LogLine {
                program,
                level,
                text,
                ..
            } => writeln!(o, "  - {program} {level}: \u{201c}{text}\u{201d}")?,
            Signal::TlsError { .. } => writeln!(
                o,
                "  - TLS error: {}",
                crate::detect::freerdp_tls::describe(s)
            )?,
            Signal::Certificate(c) => {
                writeln!(
                    o,
                    "  - certificate {} (#{} in the paste)",
                    c.subject,
                    c.chain_position + 1
                )?;
                let shown = CertificateFacts::shown;
                writeln!(o, "      issuer:     {}", shown(&c.issuer))?;
                writeln!(o, "      serial:     {}", shown(&c.serial))?;
                let state = match c.days_left {
                    -1 => "expired 1 day ago".to_string(),
                    d if d < 0 => format!("expired {} days ago", -d),
                    0 if c.findings.contains(&CertFinding::Expired) => "expired today".to_string(),
                    0 => "less than a day left".to_string(),
                    1 => "1 day left".to_string(),
                    d => format!("{d} days left"),
                };
                writeln!(
                    o,
                    "      valid:      {} ({state})",
                    c.period(&c.not_before, &c.not_after)
                )?;
                writeln!(
                    o,
                    "      key:        {}, signed with {}",
                    shown(&c.key),
                    shown(&c.signature_algorithm)
                )?;
                if !c.sans.is_empty() {
                    writeln!(o, "      names:      {}", c.sans.join(", "))?;
                }
                if !c.key_usage.is_empty() {
                    writeln!(o, "      key usage:  {}", c.key_usage.join(", "))?;
                }
                let eku = c.usages("(none: any purpose)");
                writeln!(o, "      ext. usage: {eku}")?;
                let kind = match (c.self_signed, c.is_ca) {
                    (true, true) => "self-signed CA",
                    (true, false) => "self-signed",
                    (false, true) => "CA",
                    (false, false) => "end entity",
                };
                writeln!(o, "      kind:       {kind}")?;
                if !c.findings.is_empty() {
                    let f: Vec<&str> = c.findings.iter().map(|f| f.as_str()).collect();
                    writeln!(o, "      findings:   {}", f.join(", "))?;
                }
            }
            Signal::CertWarning {
                source,
                warning,
                host,
                subject,
                issuer,
                names,
                reason,
                findings,
                ..
            } => {
                write!(
                    o,
                    "  - {source} certificate warning ({})",
                    warning.as_str().replace('_', " ")
                )?;
                if let Some(h) = host {
                    write!(o, " for {h}")?;
                }
                writeln!(o)?;
                if let Some(s) = subject {
                    writeln!(o, "      subject:    {s}")?;
                }
                if let Some(i) = issuer {
                    writeln!(o, "      issuer:     {i}")?;
                }
                if !names.is_empty() {
                    writeln!(o, "      names:      {}", names.join(", "))?;
                }
                if let Some(r) = reason {
                    writeln!(o, "      reason:     {r}")?;
                }
                if !findings.is_empty() {
                    let f: Vec<&str> = findings.iter().map(|f| f.as_str()).collect();
                    writeln!(o, "      findings:   {}", f.join(", "))?;
                }
            }
            Signal::PrivateKey { key_type, .. } => {
                writeln!(o, "  - private key ({key_type}): not read, not copied")?;
            }
        }
    }

    if !r.causes.is_empty() {
        writeln!(o, "\nCauses")?;
    }
    for (i, c) in r.causes.iter().enumerate() {
        writeln!(o, "  {}. {} ({})", i + 1, c.title, c.confidence.as_str())?;
        writeln!(o, "     {}", c.url)?;
        for w in &c.why {
            writeln!(o, "     - {w}")?;
        }
        for (j, f) in c.fixes.iter().enumerate() {
            match &f.step {
                Some(step) => writeln!(
                    o,
                    "     fix {}: {}, step “{step}” {}",
                    j + 1,
                    f.title,
                    f.url
                )?,
                None => writeln!(o, "     fix {}: {} {}", j + 1, f.title, f.url)?,
            }
        }
    }

    if !r.unreadable.is_empty() {
        writeln!(o, "\nCould not read")?;
    }
    for u in &r.unreadable {
        writeln!(
            o,
            "  - {} at bytes {}..{}: {}",
            u.what, u.span[0], u.span[1], u.why
        )?;
    }

    if !r.notes.is_empty() {
        writeln!(o, "\nNotes")?;
    }
    for n in &r.notes {
        writeln!(o, "  - {n}")?;
    }
    Ok(())
}
