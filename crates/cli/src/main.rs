//! `ringfence`: argument parsing, settings, and mapping outcomes to exit codes. The work
//! happens in the library crates.

mod args;
mod explain;
mod fix;
mod gen_estate;
mod grant;
mod iac;
mod live;
mod node;
mod output;
mod probe;
mod respond;
mod scan;
mod trail;
mod undo;

use args::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

/// The scan allocates millions of small sets and strings from every core; the system
/// allocator spent a fifth of the engine's time on it (measured with perf, README).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes are a contract (README): scripts and CI gates branch on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Clean = 0,
    Findings = 1,
    InputError = 2,
    Incomplete = 3,
}

fn main() -> ExitCode {
    // mimalloc asks for transparent huge pages, and the kernel then zeroes 2 MiB at a
    // time: a quarter of a live scan's CPU went to clearing pages (perf). Without them
    // the allocator keeps its speed and a live scan spends 20% less CPU. Best effort: a
    // kernel that refuses changes nothing else.
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan::run(&args),
        Command::Checks(args) => scan::list_checks(&args),
        Command::Catalog(args) => scan::list_catalog(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Snapshot(args) => live::snapshot(&args),
        Command::GenEstate(args) => gen_estate::run(&args),
        Command::GenTrail(args) => gen_estate::run_trail(&args),
        Command::Fix(args) => fix::run(&args),
        Command::Undo(args) => undo::run(&args),
        Command::Grant(args) => grant::run_grant(&args),
        Command::Expire(args) => grant::run_expire(&args),
        Command::Node(args) => node::run(&args),
        Command::Probe(args) => probe::run(&args),
        Command::Trail(args) => trail::run(&args),
        Command::Respond(args) => respond::run(&args),
    };
    let outcome = result.unwrap_or_else(|error| {
        eprintln!("ringfence: error: {error}");
        Outcome::InputError
    });
    ExitCode::from(outcome as u8)
}
