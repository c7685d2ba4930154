//! The bundled example estate: exported from the moto emulator with the AWS CLI, it is
//! what the README's first command scans.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;

#[test]
fn the_example_estate_gives_every_expected_finding_and_no_other() {
    let dir = repo_root().join("examples/estate");
    let (code, doc) = scan_json(&dir, &[]);
    assert_eq!(code, 1, "failing findings exit 1");
    assert_expected_estate_findings(&dir, &doc);
    assert_eq!(
        doc["incomplete"].as_array().unwrap().len(),
        0,
        "{}",
        doc["incomplete"]
    );
}

#[test]
fn evidence_names_the_group_rule_and_public_source_only() {
    let (_, doc) = scan_json(
        &repo_root().join("examples/estate"),
        &[
            "--checks",
            "ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports",
        ],
    );
    let finding = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["resource"]["name"] == "shared-rule-public-and-private")
        .unwrap();
    let rules = finding["exposure"]["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        1,
        "only the public source of the shared permission: {rules:?}"
    );
    assert_eq!(rules[0]["source"], "0.0.0.0/0");
    assert!(
        rules[0]["rule_id"].as_str().unwrap().starts_with("sgr-"),
        "{}",
        rules[0]
    );
    assert_eq!(
        finding["exposure"]["sources"],
        serde_json::json!(["0.0.0.0/0"])
    );
}

#[test]
fn the_instance_finding_names_the_interface_that_carries_the_open_group() {
    let (_, doc) = scan_json(
        &repo_root().join("examples/estate"),
        &[
            "--checks",
            "ec2_instance_port_cassandra_exposed_to_internet",
        ],
    );
    let finding = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["resource"]["name"] == "secondary-eni-open")
        .unwrap();
    let interfaces = finding["exposure"]["network_interfaces"]
        .as_array()
        .unwrap();
    assert_eq!(interfaces.len(), 1, "{interfaces:?}");
    let groups: Vec<_> = finding["exposure"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["group_name"].clone())
        .collect();
    assert!(
        groups
            .iter()
            .all(|g| g.as_str().unwrap().ends_with("eth1-world")),
        "{groups:?}"
    );
}

/// The audit trail exported with the estate: one VPC with a flow log, a multi-region trail
/// that logs, a recorder that records (CASES.md, "Hygiene").
#[test]
fn the_audit_trail_checks_judge_the_exported_files() {
    let (code, doc) = scan_json(
        &repo_root().join("examples/estate"),
        &[
            "--passed",
            "--checks",
            "vpc_flow_logs_enabled,cloudtrail_multi_region_enabled,config_recorder_all_regions_enabled",
        ],
    );
    assert_eq!(code, 1, "the VPCs without flow logs fail");
    assert_eq!(doc["incomplete"], serde_json::json!([]));
    let findings = doc["findings"].as_array().unwrap();
    let status = |check: &str, name: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| {
                f["check_id"] == check && (name.is_empty() || f["resource"]["name"] == name)
            })
            .map(|f| f["status"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        status("vpc_flow_logs_enabled", "ringfence-estate-vpc"),
        ["PASS"]
    );
    let flow = status("vpc_flow_logs_enabled", "");
    assert_eq!(
        flow.iter().filter(|s| *s == "FAIL").count(),
        flow.len() - 1,
        "{flow:?}"
    );
    assert_eq!(status("cloudtrail_multi_region_enabled", ""), ["PASS"]);
    assert_eq!(status("config_recorder_all_regions_enabled", ""), ["PASS"]);
}

/// Opt-in checks are metadata: a plain scan leaves them out, `--compliance` with a
/// framework they map to runs them, and `ringfence checks` says which is which.
#[test]
fn opt_in_checks_run_when_asked_for_or_when_a_framework_needs_them() {
    let dir = repo_root().join("examples/estate");
    let ran = |doc: &serde_json::Value, id: &str| {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["check_id"] == id)
    };
    let (_, plain) = scan_json(&dir, &[]);
    assert!(ran(&plain, "ec2_securitygroup_not_used"));
    assert!(!ran(&plain, "vpc_flow_logs_enabled"));
    assert!(!ran(&plain, "ec2_securitygroup_egress_unrestricted"));
    let (_, cis) = scan_json(&dir, &["--compliance", "cis-aws"]);
    for id in [
        "vpc_flow_logs_enabled",
        "ec2_securitygroup_default_restrict_traffic",
        "ec2_securitygroup_allow_ingress_from_internet_to_remote_access_ports",
    ] {
        assert!(ran(&cis, id), "--compliance cis-aws runs {id}");
    }
    assert!(!ran(&cis, "ec2_securitygroup_egress_unrestricted"));
    let listing = ringfence().args(["checks", "-f", "json"]).output().unwrap();
    let listing: serde_json::Value = serde_json::from_slice(&listing.stdout).unwrap();
    let enablement = |id: &str| {
        listing
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| c["enablement"].clone())
            .unwrap()
    };
    assert_eq!(enablement("ec2_securitygroup_not_used"), "default");
    assert_eq!(enablement("vpc_flow_logs_enabled"), "opt-in");
    assert_eq!(
        enablement("ec2_securitygroup_name_breaks_convention"),
        serde_json::json!({ "when-configured": "naming.security_group" })
    );
}
