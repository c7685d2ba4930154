//! `ringfence gen-estate`: a large synthetic snapshot folder, for benchmarks.

use crate::Outcome;
use crate::args::GenArgs;
use ringfence_estategen::{Params, generate};
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
