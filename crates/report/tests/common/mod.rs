//! The one report every format's tests render: the fixture estate (a reachable Cassandra
//! node behind a security group named `<script>alert(1)</script>` whose rule description
//! is a spreadsheet formula, a latent SSH host whose Name tag is an HTML payload, a
//! blocked one, an unattached group), scanned with every check, one finding muted, a
//! baseline with one finding already known and one fixed since, and SOC 2 by control.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use ringfence_checks::{Config, Context, REGISTRY};
use ringfence_exposure::{Evaluation, Network};
use ringfence_findings::time::{Date, Timestamp};
use ringfence_findings::{ComplianceOutcome, Report, frameworks};
use ringfence_policy::{Baseline, Mutelist};
use ringfence_report::{Format, Style};
use std::path::{Path, PathBuf};

pub const ESTATE: &str = "tests/fixtures/estate";

/// 2026-11-22T00:46:14Z: every time in the goldens.
pub const GENERATED_AT: Timestamp = Timestamp(1_795_308_374);

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const MUTELIST: &str = r#"
Mutelist:
  Accounts:
    "123456789012":
      Checks:
        "ec2_securitygroup_allow_ingress_from_internet_to_remote_access_ports":
          Resources: ["ssh-open-to-world"]
          Reason: "Bastion, SSH keys only (SEC-42)"
          Expires: 2999-12-31
        "EC2-034":
          Resources: ["uncommon-*"]
          Reason: "Old exception"
          Expires: 2001-01-31
"#;

pub fn shared_report() -> Report {
    // Relative paths, so every location in the goldens reads the same on every machine.
    std::env::set_current_dir(crate_dir()).unwrap();
    let estate = ringfence_snapshot::load(Path::new(ESTATE)).unwrap();
    let config = Config {
        emit_passes: false,
        ..Config::default()
    };
    let eval = Evaluation::of(&estate);
    let network = Network::of(&estate);
    let ctx = Context {
        estate: &estate,
        eval: &eval,
        network: &network,
        config: &config,
    };
    // What a plain scan runs: the checks on by default (opt-in ones are left out).
    let checks: Vec<_> = REGISTRY
        .iter()
        .copied()
        .filter(|c| c.meta.enablement.is_default())
        .collect();
    let mut findings = ringfence_checks::run(&checks, &ctx);
    findings.sort_by(|a, b| {
        (b.severity, a.check_id, &a.resource.id).cmp(&(a.severity, b.check_id, &b.resource.id))
    });
    let mut report = Report::new(findings, Vec::new(), checks.len());
    report.tool.version = "[version]";

    let mutelist = Mutelist::parse(MUTELIST, Path::new("mutelist.yaml")).unwrap();
    let today = Date::parse("2026-11-22").unwrap();
    mutelist.apply(&mut report, today, &|_| Vec::new());

    // The baseline knows the reachable Cassandra node, and a group since closed.
    let known = report
        .findings
        .iter()
        .find(|f| f.check_id == "ec2_instance_port_cassandra_exposed_to_internet")
        .unwrap();
    let mut fixed = serde_json::to_value(known).unwrap();
    fixed["resource"]["id"] = "i-0closedsince".into();
    fixed["resource"]["name"] = "closed-since".into();
    fixed["message"] = "Instance i-0closedsince allowed tcp/9042 from the internet.".into();
    fixed.as_object_mut().unwrap().remove("fingerprint");
    let baseline = serde_json::json!({
        "schema": ringfence_findings::SCHEMA,
        "findings": [serde_json::to_value(known).unwrap(), fixed],
    });
    let baseline = Baseline::parse(&baseline.to_string(), Path::new("baseline.json")).unwrap();
    let ran: Vec<&str> = REGISTRY.iter().map(|c| c.meta.id).collect();
    baseline.apply(&mut report, &ran);

    let soc2 = frameworks::framework("soc2").unwrap();
    let metas: Vec<_> = REGISTRY.iter().map(|c| &c.meta).collect();
    report.compliance_report = Some(ComplianceOutcome::of(soc2, &metas, &report.findings));
    report
}

pub fn render(report: &Report, format: Format) -> String {
    let ctx = ringfence_report::Context {
        style: Style {
            color: false,
            width: Some(120),
            fixes: false,
            timeline: false,
        },
        generated_at: GENERATED_AT,
    };
    let mut out = Vec::new();
    ringfence_report::render_with(report, format, &ctx, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// A Python with `jsonschema`: the repo's .venv (scripts/setup-venv), else `python3`.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("RINGFENCE_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = crate_dir().join("../../.venv/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}
