//! Shared by the fixture tests: finding the fixture folders and running one check on one.
//!
//! Fixtures live in `fixtures/<check_id>/<case>/`, each a snapshot folder of AWS CLI
//! `describe-*` JSON. A case's name says what it shows and what it must give:
//! `fail_*` at least one FAIL; `pass_*` no FAIL and no SKIP; `pass_skip_*` (a pass whose
//! name says skip) no FAIL, at least one SKIP, and no PASS for a resource it skips.

#![allow(dead_code)] // each test binary uses its own part of this module

use ringfence_checks::{Check, Config, Context, REGISTRY};
use ringfence_exposure::{Evaluation, Network};
use ringfence_findings::{Finding, Status};
use std::fs;
use std::path::{Path, PathBuf};

/// The fixtures folder, relative to the crate: tests run with the crate as working
/// directory, and relative paths keep the file names in findings (and goldens) stable.
pub const FIXTURES: &str = "fixtures";

/// What a fixture case must give, read from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    Fail,
    Pass,
    Skip,
}

impl Expect {
    pub fn of(case: &str) -> Option<Expect> {
        if case.starts_with("fail_") {
            Some(Expect::Fail)
        } else if case.starts_with("pass_") {
            Some(if case.split('_').any(|word| word == "skip") {
                Expect::Skip
            } else {
                Expect::Pass
            })
        } else {
            None
        }
    }
}

#[derive(Debug)]
pub struct Fixture {
    /// The folder name: a check id, which may not be in the registry (a test reports it).
    pub check_id: String,
    pub case: String,
    /// `fixtures/<check_id>/<case>`, relative to the crate.
    pub path: PathBuf,
}

impl Fixture {
    pub fn check(&self) -> Option<&'static Check> {
        REGISTRY
            .iter()
            .copied()
            .find(|check| check.meta.id == self.check_id)
    }

    pub fn expect(&self) -> Option<Expect> {
        Expect::of(&self.case)
    }

    /// `<check_id>__<case>`: the golden snapshot's name.
    pub fn name(&self) -> String {
        format!("{}__{}", self.check_id, self.case)
    }
}

fn sub_folders(dir: &Path) -> Vec<PathBuf> {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut folders: Vec<PathBuf> = entries
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
                .path()
        })
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    folders
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every fixture case, sorted by check id then case.
pub fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    for check_dir in sub_folders(Path::new(FIXTURES)) {
        let check_id = name_of(&check_dir);
        for case_dir in sub_folders(&check_dir) {
            out.push(Fixture {
                check_id: check_id.clone(),
                case: name_of(&case_dir),
                path: case_dir,
            });
        }
    }
    out
}

/// The registered check with this id; panics naming the id otherwise.
pub fn check(id: &str) -> &'static Check {
    REGISTRY
        .iter()
        .copied()
        .find(|check| check.meta.id == id)
        .unwrap_or_else(|| panic!("no check {id:?} in the registry"))
}

/// The settings a case runs with: the defaults (which emit PASS findings too), changed
/// by the case's own `ringfence.toml` where it has one — the `[naming]` and `[hygiene]`
/// keys of the real config file, for checks that judge nothing until configured.
pub fn config_of(path: &Path) -> Config {
    let mut config = Config::default();
    let file = path.join("ringfence.toml");
    let Ok(text) = fs::read_to_string(&file) else {
        return config;
    };
    let doc: toml::Table = text
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let strings = |v: &toml::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(naming) = doc.get("naming").and_then(|v| v.as_table()) {
        if let Some(re) = naming.get("security_group").and_then(|v| v.as_str()) {
            config.naming.security_group = Some(re.to_string());
        }
        if let Some(words) = naming.get("forbidden_words") {
            config.naming.forbidden_words = strings(words);
        }
    }
    if let Some(h) = doc.get("hygiene").and_then(|v| v.as_table()) {
        let hygiene = &mut config.hygiene;
        for (key, value) in h {
            match key.as_str() {
                "max_groups_per_instance" => {
                    hygiene.max_groups_per_instance =
                        value.as_integer().unwrap_or_default() as usize
                }
                "max_port_range" => {
                    hygiene.max_port_range = value.as_integer().unwrap_or_default() as u32
                }
                "bastion_cidrs" => {
                    hygiene.bastion_cidrs = strings(value)
                        .iter()
                        .map(|c| c.parse().unwrap_or_else(|e| panic!("{c}: {e}")))
                        .collect()
                }
                "bastion_groups" => hygiene.bastion_groups = strings(value),
                "cassandra_cluster_groups" => hygiene.cassandra_cluster_groups = strings(value),
                other => panic!("{}: unknown key hygiene.{other}", file.display()),
            }
        }
    }
    config
}

/// Loads the snapshot folder at `path` and runs only `check` on it, with the case's
/// settings ([`config_of`]).
pub fn run_on(check: &Check, path: &Path) -> Vec<Finding> {
    let estate = ringfence_snapshot::load(path)
        .unwrap_or_else(|e| panic!("fixture {} does not load: {e}", path.display()));
    let eval = Evaluation::of(&estate);
    let config = config_of(path);
    let network = Network::of(&estate);
    let ctx = Context {
        estate: &estate,
        eval: &eval,
        network: &network,
        config: &config,
    };
    (check.run)(&ctx)
}

/// Runs check `check_id` on its own fixture `case`.
pub fn run(check_id: &str, case: &str) -> Vec<Finding> {
    run_on(check(check_id), &case_path(check_id, case))
}

/// Runs check `check_id` on another check's fixture, to show a case is another check's job.
pub fn run_on_fixture_of(check_id: &str, fixture_check: &str, case: &str) -> Vec<Finding> {
    run_on(check(check_id), &case_path(fixture_check, case))
}

pub fn case_path(check_id: &str, case: &str) -> PathBuf {
    let path = Path::new(FIXTURES).join(check_id).join(case);
    assert!(path.is_dir(), "no fixture folder {}", path.display());
    path
}

pub fn with_status(findings: &[Finding], status: Status) -> Vec<&Finding> {
    findings.iter().filter(|f| f.status == status).collect()
}

/// The one FAIL finding the case must give.
pub fn the_failure(findings: &[Finding]) -> &Finding {
    let failures = with_status(findings, Status::Fail);
    assert_eq!(
        failures.len(),
        1,
        "expected exactly one FAIL, got: {findings:#?}"
    );
    failures[0]
}
