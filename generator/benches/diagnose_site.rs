//! The checker with the real knowledge index of the RDP guide in `content/` (every phrase, code and cause the
//! site has), on 3 MB pastes of the logs people paste: an Event Viewer System log export, a FreeRDP log and
//! an xrdp log, each with one failure buried in the middle. The goal is under 30 ms for 3 MB.
//!
//! Run with `cargo bench -p fixbook --bench diagnose_site`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use fixbook_checker::diagnose;
use time::macros::datetime;

/// `size` bytes of `noise` lines, cycled, with `needle` in the middle.
fn log(size: usize, noise: &[&str], needle: &str) -> String {
    let mut out = String::with_capacity(size + 1024);
    let mut i = 0;
    while out.len() < size / 2 {
        out.push_str(noise[i % noise.len()]);
        i += 1;
    }
    out.push_str(needle);
    while out.len() < size {
        out.push_str(noise[i % noise.len()]);
        i += 1;
    }
    out
}

fn bench(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let index = fixbook::analyse(&root, None, false)
        .unwrap_or_else(|d| panic!("{d:?}"))
        .index;
    let now = datetime!(2026-11-30 12:00 UTC);
    let system = log(
        3_000_000,
        &[
            "Information\t11/23/2026 9:00:01 AM\tService Control Manager\t7036\tNone\tThe Windows Update service entered the running state.\n",
            "Warning\t11/23/2026 9:00:03 AM\tMicrosoft-Windows-Time-Service\t129\tNone\tNtpClient was unable to set a domain peer to use as a time source because of discovery error.\n",
            "Information\t11/23/2026 9:00:04 AM\tMicrosoft-Windows-Winlogon\t7001\t(1101)\tUser Logon Notification for Customer Experience Improvement Program 0x0 took 250 ms\n",
        ],
        "Error\t11/23/2026 9:14:02 AM\tSchannel\t36870\tNone\tA fatal error occurred when attempting to access the TLS server credential private key. The error code returned from the cryptographic module is 0x8009030D. The internal error state is 10001.\n",
    );
    let freerdp = log(
        3_000_000,
        &[
            "[09:41:07:512] [2210:2211] [INFO][com.freerdp.client.x11] - Property 5 keyboard layout 0x409\n",
            "[09:41:07:513] [2210:2211] [DEBUG][com.freerdp.core.transport] - transport_read_layer: 4096 bytes\n",
            "[09:41:07:514] [2210:2211] [WARN][com.freerdp.crypto] - Certificate verification failure 'self-signed certificate (18)' at stack position 0\n",
        ],
        "[09:41:09:020] [2210:2211] [ERROR][com.freerdp.core] - nla_recv_pdu:freerdp_set_last_error_ex ERRCONNECT_PASSWORD_EXPIRED [0x0002000E]\n",
    );
    let xrdp = log(
        3_000_000,
        &[
            "[20261130-09:41:07] [INFO ] Socket 12: connection accepted from 10.0.0.5 port 51234\n",
            "[20261130-09:41:07] [DEBUG] Closed socket 13 (AF_INET6 :: port 3389)\n",
            "[20261130-09:41:07] [INFO ] Using default X.509 certificate: /etc/xrdp/cert.pem\n",
        ],
        "[20261130-09:41:08] [ERROR] SSL: error:0A0000C1:SSL routines::no shared cipher\n",
    );
    let mut group = c.benchmark_group("diagnose_site");
    group.sample_size(20);
    for (name, paste) in [
        ("system-3MB", &system),
        ("freerdp-3MB", &freerdp),
        ("xrdp-3MB", &xrdp),
    ] {
        assert!(
            !diagnose(paste, &index, now).causes.is_empty(),
            "{name}: the needle is found"
        );
        group.throughput(Throughput::Bytes(paste.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), paste, |b, p| {
            b.iter(|| diagnose(p, &index, now))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
