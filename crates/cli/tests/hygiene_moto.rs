//! The hygiene checks (issue #8) against the moto emulator that `scripts/test` starts:
//! failing and passing cases built with boto3 (`tests/data/hygiene_estate.py`), scanned
//! live, then through ringfence's own snapshot; the audit trail (flow logs, CloudTrail,
//! AWS Config) before and after it is started; and a region that cannot be read answers
//! SKIP with an `incomplete` entry, never PASS.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

static MOTO: Mutex<()> = Mutex::new(());

const CONFIG: &str = r#"
[naming]
security_group = "^hy-"

[hygiene]
bastion_groups = ["hy-bastion"]
bastion_cidrs = ["10.0.100.0/24"]
"#;

const CHECKS: [&str; 17] = [
    "ec2_securitygroup_not_used",
    "ec2_securitygroup_default_restrict_traffic",
    "ec2_instance_uses_default_security_group",
    "ec2_securitygroup_name_reveals_details",
    "ec2_securitygroup_name_breaks_convention",
    "ec2_instance_too_many_security_groups",
    "ec2_securitygroup_rules_overlap",
    "ec2_securitygroup_wide_port_range_to_public",
    "ec2_instance_udp_icmp_from_outside_vpc",
    "ec2_securitygroup_egress_unrestricted",
    "ec2_securitygroup_egress_ftp_to_internet",
    "ec2_securitygroup_admin_ports_beyond_bastion",
    "ec2_securitygroup_cassandra_internode_from_outside_cluster",
    "ec2_securitygroup_sensitive_service_on_default_port",
    "vpc_flow_logs_enabled",
    "cloudtrail_multi_region_enabled",
    "config_recorder_all_regions_enabled",
];

/// Per check: a case that must FAIL and one that must PASS, by `Name` (or, for the
/// VPC-level and default-group cases, by the id the builder printed).
const CASES: [(&str, &str, &str); 14] = [
    ("ec2_securitygroup_not_used", "hy-unused", "hy-used-web"),
    (
        "ec2_securitygroup_default_restrict_traffic",
        "@default-vpc-default-group",
        "@hy-vpc-default-group",
    ),
    (
        "ec2_instance_uses_default_security_group",
        "hy-in-default-group",
        "hy-own-group",
    ),
    (
        "ec2_securitygroup_name_reveals_details",
        "hy-prod-db-ubuntu",
        "hy-egress-locked",
    ),
    (
        "ec2_securitygroup_name_breaks_convention",
        "launch-wizard-1",
        "hy-unused",
    ),
    (
        "ec2_instance_too_many_security_groups",
        "hy-six-groups",
        "hy-own-group",
    ),
    (
        "ec2_securitygroup_rules_overlap",
        "hy-overlap",
        "hy-used-web",
    ),
    (
        "ec2_securitygroup_wide_port_range_to_public",
        "hy-wide-range",
        "hy-used-web",
    ),
    (
        "ec2_instance_udp_icmp_from_outside_vpc",
        "hy-internal-ping",
        "hy-own-group",
    ),
    (
        "ec2_securitygroup_egress_unrestricted",
        "hy-used-web",
        "hy-egress-locked",
    ),
    (
        "ec2_securitygroup_egress_ftp_to_internet",
        "hy-used-web",
        "hy-egress-locked",
    ),
    (
        "ec2_securitygroup_admin_ports_beyond_bastion",
        "hy-ssh-vpc-wide",
        "hy-ssh-from-bastion",
    ),
    (
        "ec2_securitygroup_cassandra_internode_from_outside_cluster",
        "hy-cassandra-ring",
        "hy-cassandra-good",
    ),
    (
        "ec2_securitygroup_sensitive_service_on_default_port",
        "hy-ssh-vpc-wide",
        "hy-wide-range",
    ),
];

fn endpoint() -> String {
    std::env::var("RINGFENCE_MOTO_ENDPOINT").expect(
        "RINGFENCE_MOTO_ENDPOINT is not set: run scripts/test, or: \
         scripts/with-moto cargo test -p ringfence --test hygiene_moto",
    )
}

fn python() -> std::path::PathBuf {
    let venv = repo_root().join(".venv/bin/python");
    if venv.exists() {
        venv
    } else {
        "python3".into()
    }
}

fn reset() {
    let status = Command::new(python())
        .args([
            "-c",
            "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + '/moto-api/reset', method='POST'))",
            &endpoint(),
        ])
        .status()
        .unwrap();
    assert!(status.success(), "could not reset moto");
}

/// Runs a step of the builder; the ids it printed.
fn build(step: &str) -> BTreeMap<String, String> {
    let script = repo_root().join("crates/cli/tests/data/hygiene_estate.py");
    let output = Command::new(python())
        .arg(script)
        .args([&endpoint(), step])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "hygiene_estate.py {step}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn scan(target: &[&str], extra: &[&str], config: &Path) -> (i32, Value) {
    let output = ringfence()
        .arg("scan")
        .args(target)
        .args(["-f", "json", "-q", "--passed", "--config"])
        .arg(config)
        .args(extra)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "no JSON report: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap(), doc)
}

fn live_target() -> Vec<String> {
    vec![
        "aws".into(),
        "--endpoint-url".into(),
        endpoint(),
        "--region".into(),
        "us-east-1".into(),
    ]
}

/// Status of `check` on the resource with this `Name` (or id, written `@key` of `ids`).
fn status_of(doc: &Value, ids: &BTreeMap<String, String>, check: &str, who: &str) -> String {
    let (field, value) = match who.strip_prefix('@') {
        Some(key) => ("id", ids[key].clone()),
        None => ("name", who.to_string()),
    };
    let found: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check_id"] == check && f["resource"][field] == value.as_str())
        .collect();
    assert_eq!(found.len(), 1, "{check} on {who}: {found:?}");
    found[0]["status"].as_str().unwrap().to_string()
}

fn essence(doc: &Value) -> Vec<String> {
    let mut lines: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}",
                f["check_id"], f["resource"]["id"], f["status"], f["message"]
            )
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn every_hygiene_check_fails_its_case_and_passes_the_other_live_and_offline() {
    let _moto = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    reset();
    let mut ids = build("build");
    // The default VPC (moto makes one) keeps its default group's allow-all egress.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("ringfence.toml");
    std::fs::write(&config, CONFIG).unwrap();
    let checks = CHECKS.join(",");
    let target = live_target();
    let target: Vec<&str> = target.iter().map(String::as_str).collect();

    let (code, doc) = scan(&target, &["--checks", &checks], &config);
    assert_eq!(code, 1, "{}", doc["incomplete"]);
    assert_eq!(doc["incomplete"], serde_json::json!([]));
    let default_vpc_group = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["check_id"] == "ec2_securitygroup_default_restrict_traffic"
                && f["resource"]["id"] != ids["hy-vpc-default-group"].as_str()
        })
        .map(|f| f["resource"]["id"].as_str().unwrap().to_string())
        .expect("the default VPC's default group");
    ids.insert("default-vpc-default-group".into(), default_vpc_group);
    for (check, fails, passes) in CASES {
        assert_eq!(
            status_of(&doc, &ids, check, fails),
            "FAIL",
            "{check} on {fails}"
        );
        assert_eq!(
            status_of(&doc, &ids, check, passes),
            "PASS",
            "{check} on {passes}"
        );
    }
    // The audit trail, not started yet: the estate VPC's flow log passes, the default
    // VPC (no flow log) fails; the trail and the recorder exist but do not run.
    let vpc = ids["hy-vpc"].clone();
    let flow: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check_id"] == "vpc_flow_logs_enabled")
        .map(|f| {
            (
                f["resource"]["id"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(flow.contains(&(vpc, "PASS".into())), "{flow:?}");
    assert!(flow.iter().any(|(_, s)| s == "FAIL"), "{flow:?}");
    for check in [
        "cloudtrail_multi_region_enabled",
        "config_recorder_all_regions_enabled",
    ] {
        let statuses: Vec<&Value> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["check_id"] == check)
            .map(|f| &f["status"])
            .collect();
        assert_eq!(statuses, ["FAIL"], "{check} before start");
    }

    // The same from ringfence's own snapshot, which holds the audit-trail files.
    let snap = tempfile::tempdir().unwrap();
    let output = ringfence()
        .args(["snapshot"])
        .args(&target)
        .args(["-q", "--out"])
        .arg(snap.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let region = snap.path().join("123456789012/us-east-1");
    for file in [
        "describe-flow-logs.json",
        "describe-trails.json",
        "get-trail-status/hy-org-trail.json",
        "describe-configuration-recorders.json",
        "describe-configuration-recorder-status.json",
    ] {
        assert!(region.join(file).is_file(), "{file} not written");
    }
    let snap_path = snap.path().to_str().unwrap().to_string();
    let (_, offline) = scan(&[&snap_path], &["--checks", &checks], &config);
    assert_eq!(
        essence(&doc),
        essence(&offline),
        "live vs ringfence's own snapshot"
    );

    // Started: both pass.
    build("start");
    let (_, doc) = scan(
        &target,
        &[
            "--checks",
            "cloudtrail_multi_region_enabled,config_recorder_all_regions_enabled",
        ],
        &config,
    );
    let statuses: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["status"])
        .collect();
    assert_eq!(statuses, ["PASS", "PASS"], "{}", doc["findings"]);
}

#[test]
fn an_unreadable_region_is_skip_and_incomplete_for_the_audit_checks_never_pass() {
    let _moto = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("ringfence.toml");
    std::fs::write(&config, "").unwrap();
    // moto answers HTTP 500 for a region it does not know.
    let endpoint = endpoint();
    let target = [
        "aws",
        "--endpoint-url",
        &endpoint,
        "--region",
        "xx-nowhere-1",
    ];
    let (code, doc) = scan(
        &target,
        &[
            "--checks",
            "cloudtrail_multi_region_enabled,config_recorder_all_regions_enabled",
        ],
        &config,
    );
    assert_eq!(code, 3, "{doc}");
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert!(
        findings.iter().all(|f| f["status"] == "SKIP"),
        "{findings:?}"
    );
    let kinds: Vec<&str> = doc["incomplete"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["kind"].as_str().unwrap())
        .collect();
    for kind in ["describe-trails", "describe-configuration-recorders"] {
        assert!(kinds.contains(&kind), "{kinds:?}");
    }
}
