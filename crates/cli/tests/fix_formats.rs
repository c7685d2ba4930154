//! `ringfence fix` on a snapshot folder: every format prints, JSON is the plan, and
//! `--apply` is refused anywhere but `aws`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::Value;

const CASSANDRA: &str = "ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports";

fn fix(extra: &[&str]) -> std::process::Output {
    ringfence()
        .arg("fix")
        .arg(repo_root().join("examples/estate"))
        .args(["--checks", CASSANDRA])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn every_format_prints_the_plan() {
    for format in [
        "cli",
        "terraform",
        "cloudformation",
        "cloudformation-json",
        "console",
        "json",
    ] {
        let out = fix(&["-f", format]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("sg-fdb801678332777c0"),
            "{format}: names the group"
        );
        assert!(
            !text.contains("<SECURITY_GROUP_ID>") && !text.contains("sg-xxxx"),
            "{format}: no placeholders"
        );
    }
}

#[test]
fn json_is_the_plan_with_safety_and_exact_permissions() {
    let out = fix(&[
        "-f",
        "json",
        "--trusted-cidr",
        "10.20.0.0/16",
        "--self-internode",
    ]);
    assert!(out.status.success());
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["version"], 1);
    let range = plan["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group_id"] == "sg-fdb801678332777c0")
        .expect("the 7000-7199 group");
    assert_eq!(range["safety"], "needs-review");
    let change = &range["changes"][0];
    assert_eq!(change["revoke"]["rule_id"], "sgr-250f067b74c68bd1e");
    let added: Vec<String> = change["authorize"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            format!(
                "{} {}-{} {}",
                a["protocol"], a["from_port"], a["to_port"], a["peer"]
            )
        })
        .collect();
    assert!(
        added
            .iter()
            .any(|a| a.contains("7002-7198") && a.contains("0.0.0.0/0")),
        "{added:?}"
    );
    assert!(
        added
            .iter()
            .any(|a| a.contains("7199-7199") && a.contains("10.20.0.0/16")),
        "{added:?}"
    );
    assert!(
        added
            .iter()
            .any(|a| a.contains("7000-7001") && a.contains("sg-fdb801678332777c0")),
        "{added:?}"
    );
}

#[test]
fn apply_needs_the_live_source() {
    let out = fix(&["--apply"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ringfence fix aws --apply"));
}

#[test]
fn a_bad_trusted_cidr_is_a_usage_error() {
    let out = fix(&["--trusted-cidr", "10.0.0.300/8"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The scan's JSON carries, on each failing exposure, the very changes `ringfence fix`
/// plans for the rules it cites; with `--trusted-cidr` both authorize it instead.
#[test]
fn scan_json_carries_each_findings_fix_as_the_fix_command_plans_it() {
    let root = repo_root().join("examples/estate");
    let (_, doc) = scan_json(
        &root,
        &["--checks", CASSANDRA, "--trusted-cidr", "10.20.0.0/16"],
    );
    let out = fix(&["-f", "json", "--trusted-cidr", "10.20.0.0/16"]);
    assert_eq!(out.status.code(), Some(0));
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    let planned: Vec<(String, Value)> = plan["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| {
            g["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (g["group_id"].as_str().unwrap().to_string(), c.clone()))
        })
        .collect();
    let mut checked = 0;
    for finding in doc["findings"].as_array().unwrap() {
        let failing = finding["status"] == "FAIL" && finding.get("exposure").is_some();
        let Some(fix) = finding.get("fix") else {
            assert!(!failing, "a failing exposure without a fix: {finding}");
            continue;
        };
        assert!(failing, "only failing exposures carry a fix");
        for change in fix["changes"].as_array().unwrap() {
            let group = change["group_id"].as_str().unwrap().to_string();
            let mut change = change.clone();
            change.as_object_mut().unwrap().remove("group_id");
            assert!(
                planned.contains(&(group.clone(), change.clone())),
                "{group}: {change} is not what `ringfence fix` plans"
            );
            checked += 1;
        }
        // Once per group: a rule split in two (0.0.0.0/1 + 128.0.0.0/1) adds it once.
        assert!(
            fix["changes"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|c| c["authorize"].as_array().unwrap())
                .any(|a| a["peer"]["cidr"] == "10.20.0.0/16"),
            "the trusted CIDR is authorized instead: {fix}"
        );
    }
    assert!(checked > 0, "the example has failing Cassandra exposures");
}

#[test]
fn scan_table_with_fix_lists_the_changes_under_each_check() {
    let out = ringfence()
        .arg("scan")
        .arg(repo_root().join("examples/estate"))
        .args(["--checks", CASSANDRA, "--fix"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Fixes (`ringfence fix` prints them as commands):"),
        "{text}"
    );
    assert!(
        text.contains("sg-fdb801678332777c0 ["),
        "names the group: {text}"
    );
    assert!(text.contains("revoke tcp"), "{text}");
    let plain = ringfence()
        .arg("scan")
        .arg(repo_root().join("examples/estate"))
        .args(["--checks", CASSANDRA])
        .output()
        .unwrap();
    assert!(!String::from_utf8(plain.stdout).unwrap().contains("Fixes ("));
}
