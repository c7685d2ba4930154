//! `ringfence gen-estate` and `gen-trail`: large synthetic inputs, for benchmarks.

use crate::Outcome;
use crate::args::GenArgs;
use clap::Args;
use ringfence_estategen::trail::{TrailParams, generate_trail};
use ringfence_estategen::{Params, generate};
use std::path::PathBuf;
use std::time::Instant;

pub fn run(args: &GenArgs) -> Result<Outcome, String> {
    let params = Params {
        groups: args.groups,
        instances: args.instances,
        seed: args.seed,
        regions: args.regions,
        accounts: args.accounts,
    };
    params.check()?;
    let started = Instant::now();
    let summary =
        generate(&params, &args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    eprintln!(
        "wrote {} in {:.1} s:\n{summary}",
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(Outcome::Clean)
}

#[derive(Args, Debug)]
pub struct GenTrailArgs {
    /// Gzipped size to write, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    pub mib: u64,
    /// Records per log file (CloudTrail delivers a file per five minutes per region).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub records_per_file: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, default_value_t = 4)]
    pub accounts: usize,
    #[arg(long, default_value_t = 3)]
    pub regions: usize,
    /// The folder to write `AWSLogs/...` into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run_trail(args: &GenTrailArgs) -> Result<Outcome, String> {
    let params = TrailParams {
        bytes: args.mib.saturating_mul(1024 * 1024),
        records_per_file: args.records_per_file,
        seed: args.seed,
        accounts: args.accounts,
        regions: args.regions,
    };
    params.check()?;
    let started = Instant::now();
    let summary =
        generate_trail(&params, &args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    eprintln!(
        "wrote {} in {:.1} s: {summary}",
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(Outcome::Clean)
}
