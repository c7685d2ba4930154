//! Shared by the integration tests: load an input, run every check, and reduce findings
//! to what the tests compare.

#![allow(dead_code)]

use ringfence_checks::{Config, Context, REGISTRY};
use ringfence_exposure::{Evaluation, Network};
use ringfence_findings::{Finding, Status};
use ringfence_model::Estate;
use std::path::{Path, PathBuf};

pub fn fixtures(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(kind)
}

/// Every check over the estate, passes included.
pub fn run(estate: &Estate) -> Vec<Finding> {
    let eval = Evaluation::of(estate);
    let network = Network::of(estate);
    let config = Config {
        emit_passes: true,
        ..Config::default()
    };
    let ctx = Context {
        estate,
        eval: &eval,
        network: &network,
        config: &config,
    };
    // The exposure checks: what these tests pin is how code becomes the same network.
    // (Hygiene checks also judge egress, which Terraform writes differently: it removes
    // the allow-all egress rule AWS adds to a new group.)
    let checks: Vec<_> = REGISTRY
        .iter()
        .copied()
        .filter(|c| c.meta.categories.contains(&"internet-exposed"))
        .collect();
    ringfence_checks::run(&checks, &ctx)
}

pub fn load(path: &Path) -> Result<Estate, ringfence_iac::IacError> {
    let kind = ringfence_iac::detect(path)
        .unwrap_or_else(|| panic!("{}: not detected as IaC", path.display()));
    ringfence_iac::load(path, kind)
}

pub fn of_status(findings: &[Finding], status: Status) -> Vec<&Finding> {
    findings.iter().filter(|f| f.status == status).collect()
}

/// (check, ports as protocol/from-to) of one finding, for comparisons.
pub fn ports(f: &Finding) -> Vec<String> {
    f.exposure
        .as_ref()
        .map(|e| {
            e.ports
                .iter()
                .map(|p| format!("{}/{}-{}", p.protocol, p.from, p.to))
                .collect()
        })
        .unwrap_or_default()
}

/// Fixture cases: every entry of the folder, named `fail_`, `pass_`, `skip_` or `error_`.
pub fn cases(kind: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(fixtures(kind))
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .collect();
    out.sort();
    out
}
