//! Port tests: PowerShell's connection test cmdlet (short and `-InformationLevel Detailed`), `telnet` and `nc`.
//!
//! ## What it recognises
//! - the cmdlet's fields (`ComputerName`, `RemoteAddress`, `RemotePort`, `TcpTestSucceeded`,
//!   `PingSucceeded`) and its warnings ("WARNING: TCP connect to (10.0.0.5 : 443) failed",
//!   "WARNING: Ping to 10.0.0.5 failed with status: TimedOut", and "WARNING: Name resolution of host failed",
//!   after which the cmdlet tests nothing: its `PingSucceeded : False` is then the result's default, not a
//!   ping that failed, so such a test yields only `name_failed`).
//! - telnet: "Connecting To host...Could not open connection to the host, on port 443: Connect failed".
//! - nc/ncat: "connect to host port 443 (tcp) failed: Connection refused", "... timed out", and
//!   "Connection to host 443 port [tcp/*] succeeded!".
//!
//! Also the host the reader connects to, from a dialog's "Remote computer:" line: the certificate check
//! compares it with the names in the certificate.
//!
//! ## Why
//! A failed TCP test separates "nothing listens or a firewall drops it" from "the server answered and then
//! refused", which is most of the RDP troubleshooting tree.

use std::collections::HashSet;

use crate::detect::scan::{field, find_ci, lines, name_token, unquote, Hosts};
use crate::index::PortFinding;
use crate::limits::MAX_SIGNALS_PER_DETECTOR;
use crate::report::Signal;

const MAX_GAP: usize = 12;

#[derive(Default)]
struct Test {
    start: usize,
    end: usize,
    last_line: usize,
    computer: Option<String>,
    address: Option<String>,
    warn_host: Option<String>,
    port: Option<u16>,
    tcp: Option<bool>,
    ping: Option<bool>,
    /// The cmdlet warned that the name did not resolve.
    name_failed: bool,
}

impl Test {
    fn host(&self) -> Option<&String> {
        self.computer
            .as_ref()
            .or(self.warn_host.as_ref())
            .or(self.address.as_ref())
    }
}

fn host_token(s: &str) -> Option<String> {
    let s = s
        .trim()
        .trim_matches(|c| c == '(' || c == ')' || c == '[' || c == ']')
        .trim();
    name_token(s, 253).filter(|h| !h.contains(' ') && !h.contains('/') && !h.contains('\\'))
}

fn bool_field(v: &str) -> Option<bool> {
    if v.eq_ignore_ascii_case("true") {
        Some(true)
    } else if v.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// "TCP connect to (10.0.0.5 : 443) failed" or "TCP connect to 10.0.0.5:443 failed" -> host, port.
fn tcp_warning(rest: &str) -> Option<(String, Option<u16>)> {
    let at = find_ci(rest, "tcp connect to ")?;
    let target = rest.get(at + 15..)?;
    let target = target
        .get(..find_ci(target, " failed")?)?
        .trim()
        .trim_matches(|c| c == '(' || c == ')');
    // "host : port" (PowerShell 5) or "host:port"; an IPv6 address has colons of its own.
    let (host, port) = match target.rsplit_once(':') {
        Some((h, p))
            if p.trim().parse::<u16>().is_ok() && !h.trim().contains(':')
                || target.contains(" : ") =>
        {
            (h.trim(), p.trim().parse::<u16>().ok())
        }
        _ => (target, None),
    };
    Some((host_token(host)?, port))
}

/// Emits port-test signals into `out` and collects host hints (names the reader connected to).
pub(crate) fn detect(text: &str, out: &mut Vec<Signal>, hosts: &mut Hosts) {
    let mut seen: HashSet<(String, u16, Vec<PortFinding>)> = HashSet::new();
    // One signal past the engine's cap shows it the cut; more would only grow `seen`.
    let full = out.len() + MAX_SIGNALS_PER_DETECTOR + 1;
    let mut emit = |t: &Test, out: &mut Vec<Signal>, hosts: &mut Hosts| {
        let Some(host) = t.host() else { return };
        if out.len() >= full {
            return;
        }
        if t.tcp.is_none() && t.ping.is_none() && !t.name_failed {
            return;
        }
        let mut findings = Vec::new();
        if t.name_failed {
            // Nothing was tested: the fields that follow are the result's defaults.
            findings.push(PortFinding::NameFailed);
        } else {
            if t.tcp == Some(false) {
                findings.push(PortFinding::TcpFailed);
            }
            if t.ping == Some(false) {
                findings.push(PortFinding::PingFailed);
            }
        }
        if let Some(c) = &t.computer {
            hosts.push(c);
        }
        let port = t.port.unwrap_or(0);
        if seen.insert((host.to_ascii_lowercase(), port, findings.clone())) {
            out.push(Signal::PortTest {
                host: host.clone(),
                port,
                findings,
                span: [t.start, t.end],
            });
        }
    };

    let mut cur: Option<Test> = None;
    let mut telnet_host: Option<String> = None;
    for (n, line) in lines(text).enumerate() {
        if cur.as_ref().is_some_and(|t| n - t.last_line > MAX_GAP) {
            if let Some(t) = cur.take() {
                emit(&t, out, hosts);
            }
        }
        let (off, rest) = unquote(line.text);

        // Host hints from dialogs.
        if let Some(h) = host_hint(rest) {
            if let Some(h) = host_token(h) {
                hosts.push(&h);
            }
            continue;
        }

        // One-line tools. They all say "connect" somewhere: a fast pre-test keeps long logs cheap.
        let connect = rest.contains("onnect") || rest.contains("ONNECT");
        if let Some(t) = connect.then(|| one_line(rest, &mut telnet_host)).flatten() {
            let t = Test {
                start: line.start + off,
                end: line.end(),
                last_line: n,
                ..t
            };
            if let Some(h) = &t.warn_host {
                hosts.push(h);
            }
            emit(&t, out, hosts);
            continue;
        }

        // The cmdlet's warnings and fields, grouped.
        let update = if let Some(w) = rest
            .get(..8)
            .filter(|p| p.eq_ignore_ascii_case("warning:"))
            .and(rest.get(8..))
        {
            warning(w)
        } else {
            field(line.text).and_then(|(k, _, v)| match k.as_str() {
                "computername" => host_token(v).map(Update::Computer),
                "remoteaddress" => host_token(v).map(Update::Address),
                "remoteport" => v.parse().ok().map(Update::Port),
                "tcptestsucceeded" => bool_field(v).map(Update::Tcp),
                "pingsucceeded" => bool_field(v).map(Update::Ping),
                _ => None,
            })
        };
        let Some(update) = update else { continue };
        if let Some(t) = cur.as_mut() {
            if !merge(t, &update) {
                if let Some(done) = cur.take() {
                    emit(&done, out, hosts);
                }
            }
        }
        let t = cur.get_or_insert_with(|| Test {
            start: line.start + off,
            ..Test::default()
        });
        merge(t, &update);
        t.end = line.end();
        t.last_line = n;
    }
    if let Some(t) = cur {
        emit(&t, out, hosts);
    }
}

/// One fact about a run of the cmdlet.
enum Update {
    Computer(String),
    Address(String),
    Port(u16),
    Tcp(bool),
    Ping(bool),
    TcpWarning(String, Option<u16>),
    PingWarning(String),
    NameWarning(String),
}

fn warning(w: &str) -> Option<Update> {
    if let Some((host, port)) = tcp_warning(w) {
        return Some(Update::TcpWarning(host, port));
    }
    // "Name resolution of host failed"
    if let Some(at) = find_ci(w, "name resolution of ") {
        let rest = w.get(at + 19..)?;
        let host = rest.get(..find_ci(rest, " failed")?).and_then(host_token)?;
        return Some(Update::NameWarning(host));
    }
    let at = find_ci(w, "ping to ").filter(|_| find_ci(w, " failed").is_some())?;
    let host = w
        .get(at + 8..)?
        .split_whitespace()
        .next()
        .and_then(host_token)?;
    Some(Update::PingWarning(host))
}

/// Adds `u` to `t`; false when `t` already has a different value for it, which means a new test starts.
///
/// The warnings come first and the fields confirm them, so a field may repeat what a warning said.
fn merge(t: &mut Test, u: &Update) -> bool {
    fn set<T: PartialEq + Clone>(slot: &mut Option<T>, v: &T, confirms: bool) -> bool {
        match slot {
            Some(old) if *old != *v || !confirms => false,
            _ => {
                *slot = Some(v.clone());
                true
            }
        }
    }
    let warned = t.warn_host.is_some();
    match u {
        Update::Computer(h) => set(&mut t.computer, h, false),
        Update::Address(h) => set(&mut t.address, h, false),
        Update::Port(p) => set(&mut t.port, p, warned),
        Update::Tcp(ok) => set(&mut t.tcp, ok, warned),
        Update::Ping(ok) => set(&mut t.ping, ok, warned),
        Update::TcpWarning(h, p) => {
            if t.tcp.is_some() || t.computer.is_some() {
                return false;
            }
            t.warn_host.get_or_insert_with(|| h.clone());
            t.port = t.port.or(*p);
            t.tcp = Some(false);
            true
        }
        Update::NameWarning(h) => {
            if t.name_failed || t.tcp.is_some() || t.ping.is_some() || t.computer.is_some() {
                return false;
            }
            t.warn_host.get_or_insert_with(|| h.clone());
            t.name_failed = true;
            true
        }
        Update::PingWarning(h) => {
            if t.ping.is_some() || t.computer.is_some() {
                return false;
            }
            t.warn_host.get_or_insert_with(|| h.clone());
            t.ping = Some(false);
            true
        }
    }
}

/// The host a dialog names: "Remote computer: 10.0.0.5" (the CredSSP and certificate dialogs), or
/// "Requested remote computer is 10.0.0.5" (the certificate warning's name-mismatch details).
fn host_hint(rest: &str) -> Option<&str> {
    ["remote computer:", "requested remote computer is "]
        .iter()
        .find_map(|prefix| {
            rest.get(..prefix.len())
                .filter(|p| p.eq_ignore_ascii_case(prefix))
                .and(rest.get(prefix.len()..))
        })
}

/// telnet and nc results, each on one line.
fn one_line(rest: &str, telnet_host: &mut Option<String>) -> Option<Test> {
    if let Some(at) = find_ci(rest, "connecting to ") {
        *telnet_host = rest
            .get(at + 14..)
            .and_then(|r| r.split("...").next())
            .and_then(host_token);
    }
    if let Some(at) = find_ci(rest, "could not open connection to the host, on port ") {
        let port = rest
            .get(at + 47..)?
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()?;
        let host = telnet_host
            .clone()
            .unwrap_or_else(|| "the host".to_string());
        return Some(Test {
            warn_host: Some(host),
            port: Some(port),
            tcp: Some(false),
            ..Test::default()
        });
    }
    // OpenBSD nc: "nc: connect to 10.0.0.5 port 443 (tcp) failed: Connection refused" / "... timed out".
    if let Some(at) = find_ci(rest, "connect to ") {
        let mut words = rest.get(at + 11..)?.split_whitespace();
        let host = host_token(words.next()?)?;
        if !words.next()?.eq_ignore_ascii_case("port") {
            return None;
        }
        let port = words.next()?.parse().ok()?;
        let failed = find_ci(rest, "refused")
            .or(find_ci(rest, "timed out"))
            .or(find_ci(rest, "failed"));
        return failed.map(|_| Test {
            warn_host: Some(host),
            port: Some(port),
            tcp: Some(false),
            ..Test::default()
        });
    }
    // "Connection to 10.0.0.5 443 port [tcp/https] succeeded!"
    if let Some(at) =
        find_ci(rest, "connection to ").filter(|_| find_ci(rest, "succeeded").is_some())
    {
        let mut words = rest.get(at + 14..)?.split_whitespace();
        let host = host_token(words.next()?)?;
        let a = words.next()?;
        let b = words.next()?;
        let port = if a.eq_ignore_ascii_case("port") { b } else { a }
            .parse()
            .ok()?;
        return Some(Test {
            warn_host: Some(host),
            port: Some(port),
            tcp: Some(true),
            ..Test::default()
        });
    }
    // Traditional netcat: "(UNKNOWN) [10.0.0.5] 443 (https) : Connection refused".
    if let (Some(open), Some(close)) = (rest.find(" ["), rest.find("] ")) {
        let host = host_token(rest.get(open + 2..close)?)?;
        let port = rest
            .get(close + 2..)?
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
        let failed =
            find_ci(rest, ": connection refused").or(find_ci(rest, ": connection timed out"));
        return failed.map(|_| Test {
            warn_host: Some(host),
            port: Some(port),
            tcp: Some(false),
            ..Test::default()
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expect: &[&str], expect_hosts: &[&str]) {
        let mut out = Vec::new();
        let mut hosts = Hosts::default();
        detect(input, &mut out, &mut hosts);
        let got: Vec<String> = out
            .iter()
            .map(|s| match s {
                Signal::PortTest {
                    host,
                    port,
                    findings,
                    span,
                } => format!(
                    "{host}:{port} {:?} @{}",
                    findings.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
                    input[span[0]..span[1]].lines().next().unwrap_or("")
                ),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(got, expect);
        assert_eq!(hosts.as_slice(), expect_hosts);
    }

    #[test]
    fn test_netconnection_short_failed() {
        check(
            "PS C:\\> Test-NetConnection 10.0.0.5 -Port 3389\nWARNING: TCP connect to (10.0.0.5 : 3389) failed\n\
             WARNING: Ping to 10.0.0.5 failed with status: TimedOut\n\n\nComputerName           : 10.0.0.5\n\
             RemoteAddress          : 10.0.0.5\nRemotePort             : 3389\nInterfaceAlias         : Ethernet\n\
             SourceAddress          : 10.0.0.20\nPingSucceeded          : False\n\
             PingReplyDetails (RTT) : 0 ms\nTcpTestSucceeded       : False\n\n",
            &["10.0.0.5:3389 [\"tcp_failed\", \"ping_failed\"] @WARNING: TCP connect to (10.0.0.5 : 3389) failed"],
            &["10.0.0.5"],
        );
    }

    #[test]
    fn test_netconnection_detailed_succeeded() {
        check(
            "ComputerName            : win-srv01.contoso.local\nRemoteAddress           : 10.0.0.5\n\
             RemotePort              : 3389\nNameResolutionResults   : 10.0.0.5\nMatchingIPsecRules      :\n\
             NetworkIsolationContext : Private Network\nIsAdmin                 : False\n\
             InterfaceAlias          : Ethernet\nSourceAddress           : 10.0.0.20\n\
             NetRoute (NextHop)      : 0.0.0.0\nTcpTestSucceeded        : True\n",
            &["win-srv01.contoso.local:3389 [] @ComputerName            : win-srv01.contoso.local"],
            &["win-srv01.contoso.local"],
        );
    }

    #[test]
    fn two_tests_in_a_row() {
        check(
            "ComputerName     : srv-a\nRemotePort       : 3389\nTcpTestSucceeded : False\n\n\
             ComputerName     : srv-b\nRemotePort       : 3389\nTcpTestSucceeded : True\n",
            &[
                "srv-a:3389 [\"tcp_failed\"] @ComputerName     : srv-a",
                "srv-b:3389 [] @ComputerName     : srv-b",
            ],
            &["srv-a", "srv-b"],
        );
    }

    #[test]
    fn ping_only() {
        check(
            "> ComputerName           : 10.0.0.5\n> RemoteAddress          : 10.0.0.5\n> PingSucceeded          : False\n",
            &["10.0.0.5:0 [\"ping_failed\"] @ComputerName           : 10.0.0.5"],
            &["10.0.0.5"],
        );
    }

    #[test]
    fn test_netconnection_name_not_resolved() {
        // The cmdlet returns before it tests TCP or ping: `PingSucceeded : False` is the default, no port.
        check(
            "PS C:\\> Test-NetConnection nosuch.corp.example -Port 3389\n\
             WARNING: Name resolution of nosuch.corp.example failed\n\n\n\
             ComputerName   : nosuch.corp.example\nRemoteAddress  :\nInterfaceAlias :\nSourceAddress  :\n\
             PingSucceeded  : False\n\n",
            &["nosuch.corp.example:0 [\"name_failed\"] @WARNING: Name resolution of nosuch.corp.example failed"],
            &["nosuch.corp.example"],
        );
        // Then a second run that resolves is a test of its own.
        check(
            "WARNING: Name resolution of rdsh-old failed\n\nComputerName   : rdsh-old\nRemoteAddress  :\n\
             PingSucceeded  : False\n\nComputerName     : rdsh03.corp.example\nRemoteAddress    : 10.20.30.43\n\
             RemotePort       : 3389\nTcpTestSucceeded : True\n",
            &[
                "rdsh-old:0 [\"name_failed\"] @WARNING: Name resolution of rdsh-old failed",
                "rdsh03.corp.example:3389 [] @ComputerName     : rdsh03.corp.example",
            ],
            &["rdsh-old", "rdsh03.corp.example"],
        );
    }

    #[test]
    fn telnet_and_nc() {
        check(
            "C:\\>telnet 10.0.0.5 3389\nConnecting To 10.0.0.5...Could not open connection to the host, on port 3389: Connect failed\n",
            &["10.0.0.5:3389 [\"tcp_failed\"] @Connecting To 10.0.0.5...Could not open connection to the host, on port 3389: Connect failed"],
            &["10.0.0.5"],
        );
        check(
            "$ nc -zv 10.0.0.5 3389\nnc: connect to 10.0.0.5 port 3389 (tcp) failed: Connection refused\n\
             nc: connect to 10.0.0.6 port 3389 (tcp) timed out: Operation now in progress\n\
             Connection to 10.0.0.7 3389 port [tcp/ms-wbt-server] succeeded!\n\
             (UNKNOWN) [10.0.0.8] 3389 (ms-wbt-server) : Connection refused\n",
            &[
                "10.0.0.5:3389 [\"tcp_failed\"] @nc: connect to 10.0.0.5 port 3389 (tcp) failed: Connection refused",
                "10.0.0.6:3389 [\"tcp_failed\"] @nc: connect to 10.0.0.6 port 3389 (tcp) timed out: Operation now in progress",
                "10.0.0.7:3389 [] @Connection to 10.0.0.7 3389 port [tcp/ms-wbt-server] succeeded!",
                "10.0.0.8:3389 [\"tcp_failed\"] @(UNKNOWN) [10.0.0.8] 3389 (ms-wbt-server) : Connection refused",
            ],
            &["10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.8"],
        );
    }

    #[test]
    fn remote_computer_hint() {
        check(
            "The identity of the remote computer cannot be verified.\nRemote computer: WIN-SRV01\n\
             Requested remote computer is 10.20.1.15\nName in the certificate is rdsh01.contoso.com\n",
            &[],
            &["WIN-SRV01", "10.20.1.15"],
        );
    }

    #[test]
    fn plain_prose_is_not_a_port_test() {
        check(
            "I tried to connect to the server port 3389 yesterday and it worked\nPort: 3389\n",
            &[],
            &[],
        );
    }
}
