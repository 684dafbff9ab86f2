//! The engine on large pastes: a System log export of 30 KB, 300 KB and 3 MB with one error line buried in
//! the middle. Cost must grow linearly, and 3 MB must stay under 30 ms (issue 4).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use fixbook_checker::{diagnose, KnowledgeIndex};
use time::macros::datetime;

/// Event Viewer text export lines, the noise around the one interesting line.
fn log(size: usize) -> String {
    let noise = [
        "Information\t11/23/2026 9:00:01 AM\tService Control Manager\t7036\tNone\tThe Windows Update service entered the running state.\n",
        "Information\t11/23/2026 9:00:02 AM\tMicrosoft-Windows-Kernel-General\t16\tNone\tThe access history in hive \\??\\C:\\Users\\admin\\ntuser.dat was cleared updating 1482 keys and creating 97 modified pages.\n",
        "Warning\t11/23/2026 9:00:03 AM\tMicrosoft-Windows-Time-Service\t129\tNone\tNtpClient was unable to set a domain peer to use as a time source because of discovery error. Port 3389, build 19045.\n",
        "Information\t11/23/2026 9:00:04 AM\tMicrosoft-Windows-Winlogon\t7001\t(1101)\tUser Logon Notification for Customer Experience Improvement Program 0x0 took 250 ms\n",
    ];
    let needle = "Error\t11/23/2026 9:14:02 AM\tSchannel\t36870\tNone\tA fatal error occurred when attempting to access the \
                  TLS server credential private key. The error code returned from the cryptographic module is 0x8009030D. \
                  The internal error state is 10001.\n";
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
    let index: KnowledgeIndex =
        serde_json::from_str(include_str!("../tests/fixtures/index.json")).unwrap();
    let now = datetime!(2026-11-23 12:00 UTC);
    let mut group = c.benchmark_group("diagnose");
    group.sample_size(20);
    for (name, size) in [("30KB", 30_000), ("300KB", 300_000), ("3MB", 3_000_000)] {
        let paste = log(size);
        let report = diagnose(&paste, &index, now);
        assert!(report
            .signals
            .iter()
            .any(|s| serde_json::to_string(s).unwrap().contains("0x8009030d")));
        group.throughput(Throughput::Bytes(paste.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &paste, |b, p| {
            b.iter(|| diagnose(p, &index, now))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
