//! The yardstick for `ringfence scan`: parse every `.json` file of a snapshot folder into
//! `serde_json::Value` (`fs::read`, then `serde_json::from_slice`), one file after another
//! and with rayon across files, and print how long each took.
//!
//!   json-baseline DIR [--mode seq|par|both] [--repeat N]
//!
//! Prints one line per run: `<mode> <seconds> <files> <bytes>`. Each file's bytes and value
//! are dropped once it is parsed, as a scanner that reads one file at a time would.

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// The same allocator as the `ringfence` binary, so timings compare code, not allocators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut mode = "both".to_string();
    let mut repeat = 1usize;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--mode" => mode = args.next().unwrap_or_default(),
            "--repeat" => repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or(1),
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let (Some(dir), true) = (dir, ["seq", "par", "both"].contains(&mode.as_str())) else {
        eprintln!("usage: json-baseline DIR [--mode seq|par|both] [--repeat N]");
        return ExitCode::from(2);
    };
    let files = json_files(&dir);
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    for _ in 0..repeat {
        for run in ["seq", "par"] {
            if mode != "both" && mode != run {
                continue;
            }
            let started = Instant::now();
            let parsed = if run == "seq" {
                files
                    .iter()
                    .map(|f| parse(f))
                    .collect::<Result<Vec<_>, _>>()
            } else {
                files
                    .par_iter()
                    .map(|f| parse(f))
                    .collect::<Result<Vec<_>, _>>()
            };
            let elapsed = started.elapsed().as_secs_f64();
            if let Err(e) = parsed {
                eprintln!("json-baseline: {e}");
                return ExitCode::from(2);
            }
            println!("{run} {elapsed:.3} {} {bytes}", files.len());
        }
    }
    ExitCode::SUCCESS
}

/// Reads and parses one file; returns the number of top-level keys, so that the value
/// is built and used.
fn parse(path: &Path) -> Result<usize, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(value.as_object().map_or(0, |o| o.len()))
}

/// Every `.json` file under `dir`, in name order.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
