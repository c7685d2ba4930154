//! Times each phase of the offline scan of a snapshot folder (load, evaluate, checks,
//! report, JSON render to a sink):
//!
//!   scan-phases DIR [--repeat N] [--out FILE]
//!   scan-phases DIR --per-check [--check TEXT] [--repeat N]
//!       each check of a plain scan (those whose id contains TEXT) on its own, N times,
//!       after loading and evaluating once: wall, CPU time, findings

use std::io::{self, BufWriter};
use std::path::PathBuf;
use std::process::ExitCode;

/// The same allocator as the `ringfence` binary, so timings compare code, not allocators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut repeat = 1usize;
    let mut out: Option<PathBuf> = None;
    let mut per_check = false;
    let mut only = String::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--per-check" => per_check = true,
            "--check" => only = args.next().unwrap_or_default(),
            "--repeat" => repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or(1),
            "--out" => out = args.next().map(PathBuf::from),
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let Some(dir) = dir else {
        eprintln!(
            "usage: scan-phases DIR [--repeat N] [--out FILE] | DIR --per-check [--check TEXT] [--repeat N]"
        );
        return ExitCode::from(2);
    };
    if per_check {
        return match ringfence_bench::check_costs(&dir, &only, repeat) {
            Ok(costs) => {
                for c in costs {
                    println!(
                        "{:<64} wall {:7.3} cpu {:7.3} findings {}",
                        c.id,
                        c.wall.as_secs_f64(),
                        c.cpu,
                        c.findings
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("scan-phases: {e}");
                ExitCode::from(2)
            }
        };
    }
    for _ in 0..repeat {
        let result = match &out {
            Some(path) => std::fs::File::create(path)
                .and_then(|f| ringfence_bench::scan(&dir, &mut BufWriter::new(f))),
            None => ringfence_bench::scan(&dir, &mut io::sink()),
        };
        match result {
            Ok(p) => {
                println!(
                    "load {:.3} evaluate {:.3} network {:.3} checks {:.3} report {:.3} render {:.3} total {:.3} findings {}",
                    p.load.as_secs_f64(),
                    p.evaluate.as_secs_f64(),
                    p.network.as_secs_f64(),
                    p.checks.as_secs_f64(),
                    p.report.as_secs_f64(),
                    p.render.as_secs_f64(),
                    p.total().as_secs_f64(),
                    p.findings
                );
                println!(
                    "cpu load {:.3} evaluate {:.3} network {:.3} checks {:.3} report {:.3} render {:.3}",
                    p.cpu[0], p.cpu[1], p.cpu[2], p.cpu[3], p.cpu[4], p.cpu[5]
                );
                println!(
                    "rss_mib load {} evaluate {} network {} checks {} report {} render {} peak {}",
                    p.rss_mib[0],
                    p.rss_mib[1],
                    p.rss_mib[2],
                    p.rss_mib[3],
                    p.rss_mib[4],
                    p.rss_mib[5],
                    p.peak_mib
                );
            }
            Err(e) => {
                eprintln!("scan-phases: {e}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
