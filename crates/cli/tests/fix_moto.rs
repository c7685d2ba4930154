//! `ringfence fix aws --apply` and `ringfence undo` against the moto EC2 emulator
//! (`scripts/with-moto cargo test -p ringfence --test fix_moto`): scan → fix → re-scan
//! → undo, the generated AWS CLI script giving the same end state, and faults.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

static MOTO: Mutex<()> = Mutex::new(());

const CHECK: &str = "ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports";

fn endpoint() -> String {
    std::env::var("RINGFENCE_MOTO_ENDPOINT").expect(
        "RINGFENCE_MOTO_ENDPOINT is not set: these tests need the moto EC2 emulator. Run them with \
         scripts/with-moto cargo test -p ringfence --test fix_moto (scripts/setup-venv first)",
    )
}

fn reset() {
    let status = Command::new("python3")
        .args([
            "-c",
            "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + '/moto-api/reset', method='POST'))",
            &endpoint(),
        ])
        .status()
        .unwrap();
    assert!(status.success(), "could not reset moto");
}

fn aws(args: &[&str]) -> Value {
    let output = Command::new("aws")
        .args([
            "--endpoint-url",
            &endpoint(),
            "--region",
            "us-east-1",
            "--output",
            "json",
        ])
        .args(args)
        .output()
        .expect(
            "the AWS CLI (`aws`) is not on PATH: run scripts/setup-venv and put .venv/bin on PATH",
        );
    assert!(
        output.status.success(),
        "aws {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or(Value::Null)
}

fn group(vpc: &str, name: &str, permissions: &str) -> String {
    let id = aws(&[
        "ec2",
        "create-security-group",
        "--group-name",
        name,
        "--description",
        name,
        "--vpc-id",
        vpc,
    ])["GroupId"]
        .as_str()
        .unwrap()
        .to_string();
    aws(&[
        "ec2",
        "authorize-security-group-ingress",
        "--group-id",
        &id,
        "--ip-permissions",
        permissions,
    ]);
    id
}

/// A fresh estate: four groups, each a case of the plan.
fn build() {
    reset();
    let vpc = aws(&["ec2", "create-vpc", "--cidr-block", "10.0.0.0/16"])["Vpc"]["VpcId"]
        .as_str()
        .unwrap()
        .to_string();
    // Only the flagged rule goes; ssh from the office stays.
    group(
        &vpc,
        "cql-open",
        r#"[{"IpProtocol":"tcp","FromPort":9042,"ToPort":9042,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"cql"}]},
            {"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"10.0.0.0/8","Description":"office ssh"}]}]"#,
    );
    // Narrowed: 7000-9200 loses only Cassandra's ports.
    group(
        &vpc,
        "wide-range",
        r#"[{"IpProtocol":"tcp","FromPort":7000,"ToPort":9200,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"app range"}]}]"#,
    );
    // IPv6, every TCP port.
    group(
        &vpc,
        "all-tcp-v6",
        r#"[{"IpProtocol":"tcp","FromPort":0,"ToPort":65535,"Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]"#,
    );
    // One permission with a public and a private source: only the public one goes.
    group(
        &vpc,
        "shared",
        r#"[{"IpProtocol":"tcp","FromPort":9042,"ToPort":9042,"IpRanges":[{"CidrIp":"0.0.0.0/0"},{"CidrIp":"10.1.0.0/16","Description":"app tier"}]}]"#,
    );
}

type RuleKey = (String, String, i64, i64, String, String);

/// Every ingress rule, keyed by group name (ids aside): (group, protocol, from, to,
/// source, description).
fn rules() -> BTreeSet<RuleKey> {
    let groups = aws(&["ec2", "describe-security-groups"]);
    let names: std::collections::BTreeMap<String, String> = groups["SecurityGroups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["GroupId"].as_str().unwrap().to_string(),
                g["GroupName"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    aws(&["ec2", "describe-security-group-rules"])["SecurityGroupRules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["IsEgress"] == false)
        .map(|r| {
            let source = ["CidrIpv4", "CidrIpv6", "PrefixListId"]
                .iter()
                .find_map(|k| r[*k].as_str().map(str::to_string))
                .or_else(|| {
                    r["ReferencedGroupInfo"]["GroupId"]
                        .as_str()
                        .map(|g| format!("group {}", names.get(g).cloned().unwrap_or_default()))
                })
                .unwrap_or_default();
            (
                names[r["GroupId"].as_str().unwrap()].clone(),
                r["IpProtocol"].as_str().unwrap().to_string(),
                r["FromPort"].as_i64().unwrap_or(-1),
                r["ToPort"].as_i64().unwrap_or(-1),
                source,
                r["Description"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn live_args() -> Vec<String> {
    vec![
        "--endpoint-url".into(),
        endpoint(),
        "--region".into(),
        "us-east-1".into(),
        "-q".into(),
    ]
}

fn failing_count() -> usize {
    let output = ringfence()
        .args(["scan", "aws", "-f", "json", "--checks", CHECK])
        .args(live_args())
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "FAIL")
        .count()
}

fn fix(extra: &[&str]) -> std::process::Output {
    ringfence()
        .args(["fix", "aws", "--checks", CHECK])
        .args(live_args())
        .args(extra)
        .output()
        .unwrap()
}

fn undo(backup: &Path) -> std::process::Output {
    ringfence()
        .args(["undo"])
        .arg(backup)
        .args(live_args())
        .output()
        .unwrap()
}

fn key(group: &str, proto: &str, from: i64, to: i64, source: &str, desc: &str) -> RuleKey {
    (
        group.into(),
        proto.into(),
        from,
        to,
        source.into(),
        desc.into(),
    )
}

/// What the fix must leave: the flagged parts gone, everything else there.
fn expected_after(start: &BTreeSet<RuleKey>) -> BTreeSet<RuleKey> {
    let mut want = start.clone();
    want.remove(&key("cql-open", "tcp", 9042, 9042, "0.0.0.0/0", "cql"));
    want.remove(&key(
        "wide-range",
        "tcp",
        7000,
        9200,
        "0.0.0.0/0",
        "app range",
    ));
    for (from, to) in [
        (7002, 7198),
        (7200, 9041),
        (9043, 9141),
        (9143, 9159),
        (9161, 9200),
    ] {
        want.insert(key("wide-range", "tcp", from, to, "0.0.0.0/0", "app range"));
    }
    want.remove(&key("all-tcp-v6", "tcp", 0, 65535, "::/0", ""));
    for (from, to) in [
        (0, 5598),
        (5600, 6999),
        (7002, 7198),
        (7200, 9041),
        (9043, 9141),
        (9143, 9159),
        (9161, 65535),
    ] {
        want.insert(key("all-tcp-v6", "tcp", from, to, "::/0", ""));
    }
    want.remove(&key("shared", "tcp", 9042, 9042, "0.0.0.0/0", ""));
    want
}

#[test]
fn scan_fix_rescan_undo_restores_every_rule() {
    let _guard = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    build();
    let start = rules();
    assert!(failing_count() > 0, "the estate is exposed");
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup.json");

    // Dry run: nothing changes.
    let dry = fix(&["-f", "json"]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let plan: Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(plan["groups"].as_array().unwrap().len(), 4, "{plan:#}");
    assert_eq!(rules(), start, "a dry run changes nothing");

    let applied = fix(&["--apply", "--backup", backup.to_str().unwrap()]);
    let summary = String::from_utf8_lossy(&applied.stderr);
    assert_eq!(applied.status.code(), Some(0), "{summary}");
    assert!(summary.contains("4 of 4 group(s) done"), "{summary}");
    assert!(backup.is_file());

    assert_eq!(failing_count(), 0, "findings gone after the fix");
    let after = rules();
    assert_eq!(
        after,
        expected_after(&start),
        "only the flagged access is gone"
    );
    assert!(after.contains(&key("cql-open", "tcp", 22, 22, "10.0.0.0/8", "office ssh")));
    assert!(after.contains(&key("shared", "tcp", 9042, 9042, "10.1.0.0/16", "app tier")));

    // Idempotent: a second run finds nothing to do.
    let again = fix(&[
        "--apply",
        "--backup",
        dir.path().join("second.json").to_str().unwrap(),
    ]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(rules(), after, "a second run changes nothing");
    assert!(
        !dir.path().join("second.json").exists(),
        "no backup when nothing changes"
    );

    let undone = undo(&backup);
    assert_eq!(
        undone.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&undone.stderr)
    );
    assert_eq!(rules(), start, "undo restores the rule sets exactly");
    // Undo twice: still the start.
    let twice = undo(&backup);
    assert_eq!(
        twice.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&twice.stderr)
    );
    assert_eq!(rules(), start);
}

#[test]
fn the_cli_script_gives_the_same_end_state_as_apply() {
    let _guard = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    build();
    let start = rules();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("fix.sh");
    let out = fix(&["-f", "cli", "-o", script.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&script).unwrap();
    assert!(text.starts_with("#!/bin/sh\n") && text.contains("set -e"));
    assert!(!text.contains('<'), "no placeholders:\n{text}");
    let ran = Command::new("sh")
        .arg(&script)
        .env("AWS_ENDPOINT_URL", endpoint())
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "the script failed: {}\n{text}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let by_script = rules();
    assert_eq!(by_script, expected_after(&start));

    build();
    let backup = dir.path().join("backup.json");
    let applied = fix(&["--apply", "--backup", backup.to_str().unwrap()]);
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    assert_eq!(
        rules(),
        by_script,
        "the script and --apply end in the same state"
    );
}

#[test]
fn killed_after_the_backup_undo_restores() {
    let _guard = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    build();
    let start = rules();
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup.json");
    let killed = ringfence()
        .args([
            "fix",
            "aws",
            "--checks",
            CHECK,
            "--apply",
            "--backup",
            backup.to_str().unwrap(),
        ])
        .args(live_args())
        .env("RINGFENCE_TEST_FAULT", "exit-after-backup")
        .output()
        .unwrap();
    assert_ne!(killed.status.code(), Some(0));
    assert!(backup.is_file(), "the backup is written before any change");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&backup).unwrap()).unwrap();
    assert_eq!(doc["groups"].as_array().unwrap().len(), 4);
    assert_eq!(rules(), start, "nothing changed before the kill");
    let undone = undo(&backup);
    assert_eq!(
        undone.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&undone.stderr)
    );
    assert_eq!(rules(), start);
}

#[test]
fn an_error_midway_is_reported_and_undo_restores() {
    let _guard = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    build();
    let start = rules();
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup.json");
    let partial = ringfence()
        .args([
            "fix",
            "aws",
            "--checks",
            CHECK,
            "--apply",
            "--backup",
            backup.to_str().unwrap(),
        ])
        .args(live_args())
        .env("RINGFENCE_TEST_FAULT", "fail-after-first-group")
        .output()
        .unwrap();
    let summary = String::from_utf8_lossy(&partial.stderr);
    assert_eq!(partial.status.code(), Some(3), "{summary}");
    assert!(summary.contains("1 of 4 group(s) done"), "{summary}");
    assert_eq!(summary.matches("NOT DONE").count(), 3, "{summary}");
    assert_ne!(rules(), start, "the first group was changed");
    let undone = undo(&backup);
    assert_eq!(
        undone.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&undone.stderr)
    );
    assert_eq!(rules(), start, "undo restores a half-done run");
}

#[test]
fn safe_only_applies_only_safe_changes_and_undo_restores() {
    let _guard = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    build();
    let start = rules();
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup.json");
    let out = fix(&[
        "--apply",
        "--backup",
        backup.to_str().unwrap(),
        "--safe-only",
    ]);
    let summary = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{summary}");
    // Safe only: cql-open and shared (rules opening only flagged ports); the narrowing
    // ones need review and stay.
    assert!(summary.contains("2 of 2 group(s) done"), "{summary}");
    let after = rules();
    assert!(after.contains(&key(
        "wide-range",
        "tcp",
        7000,
        9200,
        "0.0.0.0/0",
        "app range"
    )));
    assert!(!after.contains(&key("cql-open", "tcp", 9042, 9042, "0.0.0.0/0", "cql")));
    let undone = undo(&backup);
    assert!(undone.status.success());
    assert_eq!(rules(), start);
}

#[test]
fn a_saved_plan_refuses_groups_changed_or_deleted_since() {
    let _guard = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    build();
    let dir = tempfile::tempdir().unwrap();
    let plan_file = dir.path().join("plan.json");
    let dry = fix(&["-f", "json", "-o", plan_file.to_str().unwrap()]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let ids: std::collections::BTreeMap<String, String> = aws(&["ec2", "describe-security-groups"])
        ["SecurityGroups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["GroupName"].as_str().unwrap().to_string(),
                g["GroupId"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Between plan and apply: someone adds a rule to one group and deletes another.
    aws(&[
        "ec2",
        "authorize-security-group-ingress",
        "--group-id",
        &ids["cql-open"],
        "--ip-permissions",
        r#"[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]"#,
    ]);
    aws(&["ec2", "delete-security-group", "--group-id", &ids["shared"]]);
    let start = rules();
    let backup = dir.path().join("backup.json");
    let out = ringfence()
        .args([
            "fix",
            "aws",
            "--apply",
            "--plan",
            plan_file.to_str().unwrap(),
        ])
        .args(["--backup", backup.to_str().unwrap()])
        .args(live_args())
        .output()
        .unwrap();
    let summary = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{summary}");
    assert!(summary.contains("2 of 4 group(s) done"), "{summary}");
    assert!(
        summary.contains("rules changed since the scan"),
        "{summary}"
    );
    assert!(summary.contains("no longer exists"), "{summary}");
    let after = rules();
    assert!(
        after.contains(&key("cql-open", "tcp", 9042, 9042, "0.0.0.0/0", "cql")),
        "refused group untouched"
    );
    assert!(!after.contains(&key(
        "wide-range",
        "tcp",
        7000,
        9200,
        "0.0.0.0/0",
        "app range"
    )));
    let undone = undo(&backup);
    assert_eq!(
        undone.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&undone.stderr)
    );
    assert_eq!(rules(), start);
}
