//! The engine on 1 MB of each hostile shape (tests/support/hostile.rs): pastes that once cost quadratic
//! time. `tests/linearity.rs` asserts the growth; this measures the figures.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../tests/support/hostile.rs"]
mod hostile;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use fixbook_checker::{diagnose, KnowledgeIndex};
use time::macros::datetime;

fn bench(c: &mut Criterion) {
    let index: KnowledgeIndex =
        serde_json::from_str(include_str!("../tests/fixtures/index.json")).unwrap();
    let now = datetime!(2026-11-23 12:00 UTC);
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    for shape in hostile::SHAPES {
        let paste = (shape.make)(1_000_000);
        group.throughput(Throughput::Bytes(paste.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(shape.name), &paste, |b, p| {
            b.iter(|| diagnose(p, &index, now))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
