//! Times reading and converting each file of one region folder on its own
//! (`ringfence_snapshot::parse_file`), to see where loading spends its time:
//!
//!   load-files REGION_DIR

use ringfence_model::ResourceKind;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// The same allocator as the `ringfence` binary, so timings compare code, not allocators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: load-files REGION_DIR");
        return ExitCode::from(2);
    };
    for kind in ResourceKind::ALL {
        let path = dir.join(format!("{}.json", kind.command()));
        let t = Instant::now();
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let read = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let estate = match ringfence_snapshot::parse_file(kind, &bytes, &path) {
            Ok(estate) => estate,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
        let parse = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let skim = serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok();
        let skim_time = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let value = serde_json::from_slice::<serde_json::Value>(&bytes).is_ok();
        let value_time = t.elapsed().as_secs_f64();
        assert!(skim && value);
        let mib = bytes.len() as f64 / (1024.0 * 1024.0);
        drop(bytes);
        let t = Instant::now();
        drop(estate);
        let free = t.elapsed().as_secs_f64();
        println!(
            "{:32} {mib:8.1} MiB  read {read:6.3} s  parse+convert {parse:6.3} s ({:5.0} MiB/s)  drop {free:.3} s  skim {skim_time:.3} s  value {value_time:.3} s",
            kind.command(),
            mib / parse
        );
    }
    ExitCode::SUCCESS
}
