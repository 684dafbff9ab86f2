//! One entry of a cause's `signals:`: exactly one kind of evidence (a code, an event, a certificate finding,
//! a port test result or a text), with an optional weight and stage.
//!
//! "Exactly one kind" is a type ([`SignalKind`]) rather than a rule checked later: a signal with none or two
//! is refused while the front matter is read, at that signal's line and column, and every later stage
//! matches on the kind instead of testing five options in turn.

use fixbook_checker::{CertFinding, PortFinding};
use serde::Deserialize;

use super::{CodeFm, EventFm};

/// How the error for a signal without exactly one kind starts (`yaml.rs` gives it its code and hint).
pub(super) const ONE_KIND: &str =
    "a signal needs exactly one of `code:`, `event:`, `cert:`, `port_test:` or `text:`";

/// A cause's signal, read from front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawSignal")]
pub struct SignalFm {
    pub kind: SignalKind,
    pub weight: Option<f64>,
    /// The connection stage this signal shows the connection failed at (a stage id of `site.toml`).
    pub stage: Option<String>,
}

/// The evidence a signal looks for.
#[derive(Debug, Clone)]
pub enum SignalKind {
    Code(CodeFm),
    Event(EventFm),
    Cert(CertFinding),
    PortTest(PortFinding),
    Text(String),
}

/// A signal as written: each kind is an optional key, so serde can read it and name unknown keys.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignal {
    code: Option<CodeFm>,
    event: Option<EventFm>,
    cert: Option<CertFinding>,
    port_test: Option<PortFinding>,
    text: Option<String>,
    weight: Option<f64>,
    stage: Option<String>,
}

impl TryFrom<RawSignal> for SignalFm {
    type Error = String;

    fn try_from(r: RawSignal) -> Result<SignalFm, String> {
        let kinds = [
            r.code.map(SignalKind::Code),
            r.event.map(SignalKind::Event),
            r.cert.map(SignalKind::Cert),
            r.port_test.map(SignalKind::PortTest),
            r.text.map(SignalKind::Text),
        ];
        let mut given = kinds.into_iter().flatten();
        match (given.next(), given.next()) {
            (Some(kind), None) => Ok(SignalFm {
                kind,
                weight: r.weight,
                stage: r.stage,
            }),
            (None, _) => Err(format!("{ONE_KIND}; this one has none")),
            (Some(_), Some(_)) => Err(format!(
                "{ONE_KIND}; this one has {}: make each its own signal",
                2 + given.count()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(yaml: &str, expect: Result<&str, &str>) {
        let got: Result<SignalFm, String> = serde_yaml::from_str(yaml).map_err(|e| e.to_string());
        match (got, expect) {
            (Ok(s), Ok(kind)) => {
                let name = match s.kind {
                    SignalKind::Code(_) => "code",
                    SignalKind::Event(_) => "event",
                    SignalKind::Cert(_) => "cert",
                    SignalKind::PortTest(_) => "port_test",
                    SignalKind::Text(_) => "text",
                };
                assert_eq!(name, kind);
            }
            (Err(e), Err(part)) => assert!(e.contains(part), "{e}"),
            (got, expect) => panic!("{yaml}: got {got:?}, expected {expect:?}"),
        }
    }

    #[test]
    fn a_signal_has_exactly_one_kind() {
        check("{cert: expired, weight: 3}", Ok("cert"));
        check("{event: {source: Schannel, id: 36870}}", Ok("event"));
        check("{text: handshake failed, stage: tls}", Ok("text"));
        check("{weight: 2}", Err("this one has none"));
        check(
            "{cert: expired, text: x}",
            Err("this one has 2: make each its own signal"),
        );
        check("{cert: expired, txt: x}", Err("unknown field `txt`"));
    }
}
