//! The exit-code contract and bad input: every error names the file and the place,
//! exits 2, and never panics.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use std::fs;
use std::path::Path;

const OPEN_GROUP: &str = r#"{"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "open", "Description": "d",
  "OwnerId": "123456789012", "VpcId": "vpc-1",
  "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 9042, "ToPort": 9042,
    "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}],
  "IpPermissionsEgress": []}]}"#;

fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// Runs a scan that must fail on input; returns stderr.
fn input_error(dir: &Path) -> String {
    let output = ringfence().arg("scan").arg(dir).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.stdout.is_empty(), "nothing half-written to stdout");
    stderr
}

#[test]
fn malformed_json_names_the_file_and_line() {
    let dir = folder_with(&[(
        "describe-security-groups.json",
        "{\"SecurityGroups\": [ {\"GroupId\": ",
    )]);
    let stderr = input_error(dir.path());
    assert!(
        stderr.contains("describe-security-groups.json") && stderr.contains("line"),
        "{stderr}"
    );
}

#[test]
fn an_impossible_cidr_is_named() {
    let dir = folder_with(&[(
        "describe-security-groups.json",
        &OPEN_GROUP.replace("0.0.0.0/0", "10.0.0.0/33"),
    )]);
    let stderr = input_error(dir.path());
    assert!(
        stderr.contains("describe-security-groups.json") && stderr.contains("10.0.0.0/33"),
        "{stderr}"
    );
}

#[test]
fn a_port_beyond_65535_is_named() {
    let dir = folder_with(&[(
        "describe-security-groups.json",
        &OPEN_GROUP.replace("\"ToPort\": 9042", "\"ToPort\": 70000"),
    )]);
    let stderr = input_error(dir.path());
    assert!(
        stderr.contains("70000") && stderr.contains("IpPermissions"),
        "{stderr}"
    );
}

#[test]
fn a_field_of_the_wrong_type_is_named() {
    let dir = folder_with(&[(
        "describe-security-groups.json",
        &OPEN_GROUP.replace("\"FromPort\": 9042", "\"FromPort\": \"x\""),
    )]);
    let stderr = input_error(dir.path());
    assert!(stderr.contains("FromPort"), "{stderr}");
}

#[test]
fn another_document_in_the_security_groups_file_is_refused() {
    let dir = folder_with(&[("describe-security-groups.json", r#"{"Reservations": []}"#)]);
    let stderr = input_error(dir.path());
    assert!(
        stderr.contains("describe-security-groups.json") && stderr.contains("SecurityGroups"),
        "{stderr}"
    );
}

#[test]
fn an_empty_folder_is_not_a_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = input_error(dir.path());
    assert!(
        stderr.contains(&dir.path().display().to_string()),
        "{stderr}"
    );
}

#[test]
fn a_missing_folder_is_named() {
    let stderr = input_error(Path::new("/nonexistent/ringfence-snapshot"));
    assert!(
        stderr.contains("/nonexistent/ringfence-snapshot"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_check_is_a_usage_error() {
    let output = ringfence()
        .args(["scan", "examples/estate", "--checks", "no_such_check"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no_such_check"));
}

#[test]
fn missing_files_make_a_clean_scan_incomplete_not_a_pass() {
    let closed = OPEN_GROUP.replace("0.0.0.0/0", "10.0.0.0/8");
    let dir = folder_with(&[("describe-security-groups.json", &closed)]);
    let (code, doc) = scan_json(dir.path(), &[]);
    assert_eq!(code, 3);
    let kinds: Vec<&str> = doc["incomplete"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"describe-instances") && kinds.contains(&"describe-network-interfaces"),
        "{kinds:?}"
    );
}

#[test]
fn failing_findings_exit_1_even_when_incomplete() {
    let dir = folder_with(&[("describe-security-groups.json", OPEN_GROUP)]);
    let (code, doc) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(!doc["incomplete"].as_array().unwrap().is_empty());
}

#[test]
fn fail_on_ignores_findings_below_the_threshold() {
    let uncommon = "ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports";
    let (code, doc) = scan_json(
        Path::new("examples/estate"),
        &["--checks", uncommon, "--fail-on", "critical"],
    );
    assert!(
        !failing(&doc, uncommon).is_empty(),
        "the high findings are still reported"
    );
    assert_eq!(code, 0);
    let (code, _) = scan_json(
        Path::new("examples/estate"),
        &["--checks", uncommon, "--fail-on", "high"],
    );
    assert_eq!(code, 1);
}

#[test]
fn checks_are_selected_by_alias_and_excluded_by_id() {
    let (_, doc) = scan_json(
        Path::new("examples/estate"),
        &["--checks", "EC2-034,CKV_AWS_277"],
    );
    let ids: std::collections::BTreeSet<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "ec2_securitygroup_allow_ingress_from_internet_to_all_ports",
            "ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports"
        ]
        .into()
    );
    let (_, doc) = scan_json(
        Path::new("examples/estate"),
        &[
            "--exclude-checks",
            "ec2_instance_port_cassandra_exposed_to_internet",
            "--severity",
            "critical",
        ],
    );
    let ids: std::collections::BTreeSet<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check_id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains("ec2_instance_port_cassandra_exposed_to_internet"));
    assert!(
        !ids.contains("ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports"),
        "a high check"
    );
    assert!(ids.contains("ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports"));
    assert_eq!(
        doc["summary"]["checks_run"], 6,
        "seven critical checks, one excluded"
    );
}

#[test]
fn passed_results_appear_only_when_asked() {
    let (_, doc) = scan_json(Path::new("examples/estate"), &[]);
    assert_eq!(doc["summary"]["pass"], 0);
    let (_, doc) = scan_json(Path::new("examples/estate"), &["--passed"]);
    let passes: Vec<_> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "PASS")
        .collect();
    assert!(
        passes
            .iter()
            .any(|f| f["resource"]["name"] == "closed-everything")
    );
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let status = ringfence()
        .args(["scan", "examples/estate", "-f", "json", "-o"])
        .arg(&out)
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left behind"
    );
}

#[test]
fn output_to_a_device_or_pipe_writes_into_it_and_never_replaces_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(&fifo).unwrap())
    };
    let status = ringfence()
        .args(["scan", "examples/estate", "-f", "json", "-o"])
        .arg(&fifo)
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(1));
    // Checked before joining: a replaced pipe would leave the reader waiting forever.
    assert!(
        fs::metadata(&fifo).unwrap().file_type().is_fifo(),
        "the pipe is still a pipe"
    );
    let bytes = reader.join().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(doc["schema_version"], 1);
}
