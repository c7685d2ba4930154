//! The engine alone, on a generated estate already in memory: evaluating every group and
//! instance, one instance's union, the coverage questions checks ask, the network
//! lookups, and the checks.
//!
//! `cargo bench -p ringfence-bench --bench engine`; RINGFENCE_BENCH_GROUPS (default 10000)
//! sets the estate's size, with twice as many instances.

use criterion::{Criterion, criterion_group, criterion_main};
use ringfence_exposure::{Evaluation, Network, Profile, Transport, WideThreshold};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

fn groups() -> usize {
    std::env::var("RINGFENCE_BENCH_GROUPS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

fn engine(c: &mut Criterion) {
    let groups = groups();
    let dir = ringfence_bench::estate_dir(
        Path::new(env!("CARGO_TARGET_TMPDIR")),
        groups,
        2 * groups,
        1,
    )
    .expect("generating the estate");
    let estate = ringfence_snapshot::load(&dir).expect("loading the estate");
    let eval = Evaluation::of(&estate);
    let network = Network::of(&estate);
    let config = ringfence_bench::config();

    let mut g = c.benchmark_group(format!("engine-{groups}g"));
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("evaluation_of", |b| {
        b.iter(|| Evaluation::of(black_box(&estate)))
    });
    g.bench_function("network_of", |b| b.iter(|| Network::of(black_box(&estate))));
    // The union over an instance's groups, for every instance (no sharing between
    // instances with the same groups, unlike Evaluation::of).
    g.bench_function("instance_unions", |b| {
        b.iter(|| {
            eval.instances
                .iter()
                .map(|i| {
                    let rules = i
                        .groups
                        .iter()
                        .flat_map(|&g| eval.group_rules[g as usize].iter());
                    Profile::of(rules).tcp.len()
                })
                .sum::<usize>()
        })
    });
    // The coverage questions every check asks of every segment of every group.
    g.bench_function("coverage_questions", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for profile in &eval.groups {
                for transport in [Transport::Tcp, Transport::Udp] {
                    for segment in profile.segments(transport) {
                        n += usize::from(segment.reach.is_world());
                        n += usize::from(segment.reach.is_wide(WideThreshold::default()));
                        n += usize::from(segment.reach.touches_internet());
                    }
                }
            }
            n
        })
    });
    g.bench_function("checks_run", |b| {
        b.iter(|| ringfence_bench::run_checks(&estate, &eval, &network, &config).len())
    });
    g.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
