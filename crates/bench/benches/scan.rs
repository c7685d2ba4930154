//! The whole offline scan of a generated snapshot folder: load (read and parse every
//! file), evaluate, network lookups, checks, sort, JSON render (to a sink).
//!
//! `cargo bench -p ringfence-bench --bench scan`; RINGFENCE_BENCH_GROUPS (default 10000)
//! sets the estate's size, with twice as many instances.

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;
use std::time::Duration;

fn scan(c: &mut Criterion) {
    let groups = std::env::var("RINGFENCE_BENCH_GROUPS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = ringfence_bench::estate_dir(
        Path::new(env!("CARGO_TARGET_TMPDIR")),
        groups,
        2 * groups,
        1,
    )
    .expect("generating the estate");
    let mut g = c.benchmark_group(format!("scan-{groups}g"));
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    g.bench_function("offline_json", |b| {
        b.iter(|| ringfence_bench::scan(&dir, &mut std::io::sink()).expect("scanning"))
    });
    g.bench_function("load", |b| {
        b.iter(|| {
            ringfence_snapshot::load(&dir)
                .expect("loading")
                .security_groups
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
