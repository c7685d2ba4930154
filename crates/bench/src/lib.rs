//! Shared by the benchmarks and the measuring tools: the offline scan pipeline as
//! `crates/cli/src/scan.rs` runs it (load, evaluate, checks, sort, report, JSON render),
//! one phase at a time so each can be timed.

use ringfence_checks::{Check, Config, Context, REGISTRY};
use ringfence_exposure::{Evaluation, Network};
use ringfence_findings::{Finding, Report};
use ringfence_model::Estate;
use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long each phase of one scan took.
#[derive(Clone, Debug, Default)]
pub struct Phases {
    pub load: Duration,
    pub evaluate: Duration,
    /// The network lookups reachability reads (`Network::of`).
    pub network: Duration,
    pub checks: Duration,
    pub report: Duration,
    pub render: Duration,
    pub findings: usize,
    /// Resident memory (MiB) after each phase: load, evaluate, network, checks, report,
    /// render; and the peak so far at the end (Linux only, else 0).
    pub rss_mib: [u64; 6],
    pub peak_mib: u64,
    /// CPU time (user + system, all threads) of each phase, in seconds: robust to other
    /// processes competing for the cores, unlike wall time (Linux only, else 0).
    pub cpu: [f64; 6],
}

/// CPU time (user + system) this process has used so far, in seconds, from
/// `/proc/self/stat` (0 elsewhere).
pub fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the whole line; 11 and 12 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// Current and peak resident set size in MiB, from `/proc/self/status` (0 elsewhere).
pub fn rss_mib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

impl Phases {
    pub fn total(&self) -> Duration {
        self.load + self.evaluate + self.network + self.checks + self.report + self.render
    }
}

/// Every registered check, with the CLI's defaults (no PASS findings).
pub fn config() -> Config {
    Config {
        emit_passes: false,
        ..Config::default()
    }
}

/// The checks a plain `ringfence scan` runs (no config file): the opt-in ones wait to be
/// asked for.
pub fn plain_scan_checks() -> Vec<&'static Check> {
    REGISTRY
        .iter()
        .copied()
        .filter(|c| c.meta.enablement.is_default())
        .collect()
}

/// Runs the checks of a plain scan over an evaluated estate.
pub fn run_checks(
    estate: &Estate,
    eval: &Evaluation,
    network: &Network<'_>,
    config: &Config,
) -> Vec<Finding> {
    let ctx = Context {
        estate,
        eval,
        network,
        config,
    };
    ringfence_checks::run(&plain_scan_checks(), &ctx)
}

/// One check's cost on an evaluated estate: wall time, CPU time (all threads) and the
/// findings it gave.
#[derive(Clone, Debug)]
pub struct CheckCost {
    pub id: &'static str,
    pub wall: Duration,
    pub cpu: f64,
    pub findings: usize,
}

/// Loads `dir`, evaluates it, then runs each check of a plain scan whose id contains
/// `only` on its own, `repeat` times each, timed.
pub fn check_costs(dir: &Path, only: &str, repeat: usize) -> io::Result<Vec<CheckCost>> {
    let estate = ringfence_snapshot::load(dir).map_err(io::Error::other)?;
    let eval = Evaluation::of(&estate);
    let network = Network::of(&estate);
    let config = config();
    let ctx = Context {
        estate: &estate,
        eval: &eval,
        network: &network,
        config: &config,
    };
    Ok(plain_scan_checks()
        .into_iter()
        .filter(|check| check.meta.id.contains(only))
        .flat_map(|check| std::iter::repeat_n(check, repeat))
        .map(|check| {
            let (t, cpu) = (Instant::now(), cpu_seconds());
            let findings = (check.run)(&ctx).len();
            CheckCost {
                id: check.meta.id,
                wall: t.elapsed(),
                cpu: cpu_seconds() - cpu,
                findings,
            }
        })
        .collect())
}

/// The findings document as the CLI builds it: sorted, with the gaps, and each failing
/// exposure's fix attached.
pub fn report(estate: &Estate, findings: Vec<Finding>) -> io::Result<Report> {
    let mut report =
        ringfence_checks::report_of(estate, findings, Vec::new(), &plain_scan_checks());
    ringfence_fix::attach(estate, &mut report, &ringfence_fix::Options::default())
        .map_err(io::Error::other)?;
    Ok(report)
}

/// The whole offline scan of `dir` into `out` as JSON, timed phase by phase.
pub fn scan(dir: &Path, out: &mut dyn Write) -> io::Result<Phases> {
    let mut phases = Phases::default();
    let mut cpu = cpu_seconds();
    let mut lap = |i: usize, phases: &mut Phases| {
        let now = cpu_seconds();
        phases.cpu[i] = now - cpu;
        cpu = now;
    };
    let t = Instant::now();
    let estate = ringfence_snapshot::load(dir).map_err(io::Error::other)?;
    phases.load = t.elapsed();
    phases.rss_mib[0] = rss_mib().0;
    lap(0, &mut phases);
    let t = Instant::now();
    let eval = Evaluation::of(&estate);
    phases.evaluate = t.elapsed();
    phases.rss_mib[1] = rss_mib().0;
    lap(1, &mut phases);
    let t = Instant::now();
    let network = Network::of(&estate);
    phases.network = t.elapsed();
    phases.rss_mib[2] = rss_mib().0;
    lap(2, &mut phases);
    let t = Instant::now();
    let config = config();
    let findings = run_checks(&estate, &eval, &network, &config);
    phases.checks = t.elapsed();
    phases.rss_mib[3] = rss_mib().0;
    lap(3, &mut phases);
    phases.findings = findings.len();
    let t = Instant::now();
    let report = report(&estate, findings)?;
    phases.report = t.elapsed();
    phases.rss_mib[4] = rss_mib().0;
    lap(4, &mut phases);
    let t = Instant::now();
    ringfence_report::render(
        &report,
        ringfence_report::Format::Json,
        ringfence_report::Style::default(),
        out,
    )?;
    out.flush()?;
    phases.render = t.elapsed();
    (phases.rss_mib[5], phases.peak_mib) = rss_mib();
    lap(5, &mut phases);
    Ok(phases)
}

/// A generated estate's folder under `base`, written on first use and reused after
/// (a `.complete` marker says the last write finished).
pub fn estate_dir(
    base: &Path,
    groups: usize,
    instances: usize,
    seed: u64,
) -> io::Result<std::path::PathBuf> {
    let dir = base.join(format!("estate-{groups}g-{instances}i-seed{seed}"));
    let marker = dir.join(".complete");
    if !marker.exists() {
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        let params = ringfence_estategen::Params {
            groups,
            instances,
            seed,
            ..ringfence_estategen::Params::default()
        };
        ringfence_estategen::generate(&params, &dir)?;
        std::fs::write(&marker, b"")?;
    }
    Ok(dir)
}
