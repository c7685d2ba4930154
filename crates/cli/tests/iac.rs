//! `ringfence scan` on infrastructure as code: detection, file:line in every format,
//! and bad input (syntax errors, unknown YAML tags, huge and missing files) exiting 2
//! with the file and the line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use std::path::PathBuf;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from("crates/iac/fixtures").join(rel)
}

/// Runs `scan` and returns (exit code, stdout, stderr).
fn scan(path: &std::path::Path, extra: &[&str]) -> (i32, String, String) {
    let out = ringfence()
        .arg("scan")
        .arg(path)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn each_input_kind_is_detected_and_fails_with_file_and_line() {
    for (path, file, line) in [
        (
            fixture("terraform/fail_vpc_rule_all_protocols"),
            "main.tf",
            2,
        ),
        (
            fixture("plan/fail_vpc_rule_all_protocols.json"),
            "fail_vpc_rule_all_protocols.json",
            7,
        ),
        (
            fixture("cloudformation/fail_ip_protocol_minus_one.yaml"),
            "fail_ip_protocol_minus_one.yaml",
            5,
        ),
    ] {
        let (code, doc) = scan_json(&path, &[]);
        assert_eq!(code, 1, "{}", path.display());
        let finding = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check_id"] == "ec2_securitygroup_allow_ingress_from_internet_to_all_ports")
            .expect("all-ports finding");
        let location = &finding["resource"]["location"];
        assert!(
            location["file"].as_str().unwrap().ends_with(file),
            "{location}"
        );
        assert_eq!(location["line"], line, "{}", path.display());
    }
}

#[test]
fn sarif_has_the_physical_location_with_the_line() {
    let (code, out, _) = scan(
        &fixture("terraform/fail_range_interior_7000_9200"),
        &["--format", "sarif"],
    );
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    let physical = &result["locations"][0]["physicalLocation"];
    assert!(
        physical["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("fail_range_interior_7000_9200/main.tf"),
        "{physical}"
    );
    assert_eq!(physical["region"]["startLine"], 2);
}

#[test]
fn table_places_code_findings_by_file_and_line() {
    let (code, out, _) = scan(
        &fixture("cloudformation/fail_standalone_ingress_getatt.yaml"),
        &[],
    );
    assert_eq!(code, 1);
    assert!(out.contains("getatt.yaml:9"), "{out}");
}

#[test]
fn unresolved_values_skip_and_exit_3() {
    let (code, doc) = scan_json(&fixture("terraform/skip_data_source"), &[]);
    assert_eq!(code, 3, "{doc}");
    // A group nothing in the code attaches may be attached at deploy (launch templates,
    // load balancers): never reported unused.
    assert!(
        !doc.to_string().contains("ec2_securitygroup_not_used"),
        "{doc}"
    );
    let skip = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["status"] == "SKIP")
        .expect("a SKIP");
    assert!(
        skip["message"].as_str().unwrap().contains("main.tf:12"),
        "{skip}"
    );
}

#[test]
fn bad_input_exits_2_naming_file_and_line() {
    for (path, expect) in [
        (fixture("terraform/error_syntax"), "error_syntax/main.tf:5:"),
        (
            fixture("cloudformation/error_unknown_tag.yaml"),
            "error_unknown_tag.yaml:6:",
        ),
        (
            fixture("cloudformation/error_yaml_syntax.yaml"),
            "error_yaml_syntax.yaml:5:",
        ),
        (
            fixture("plan/error_json_syntax.json"),
            "error_json_syntax.json:2:",
        ),
    ] {
        let (code, out, err) = scan(&path, &[]);
        assert_eq!(code, 2, "{}: {err}", path.display());
        assert!(out.is_empty(), "{}: nothing is written", path.display());
        assert!(err.contains(expect), "{}: {err}", path.display());
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn missing_and_huge_files_exit_2() {
    let (code, _, err) = scan(&PathBuf::from("no/such/stack.yaml"), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("no/such/stack.yaml"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.yaml");
    // A real template head, then 50 MB (sparse): refused before it is read.
    std::fs::write(
        &huge,
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n",
    )
    .unwrap();
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(&huge)
        .unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let (code, _, err) = scan(&huge, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("huge.yaml") && err.contains("larger than"),
        "{err}"
    );
}

#[test]
fn a_folder_of_code_reads_every_input_and_names_the_bad_ones() {
    let (code, out, err) = scan(&fixture(""), &["--format", "json"]);
    // Every fixture is read; the error_ ones are named, and the scan exits 2.
    assert_eq!(code, 2, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fails = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "FAIL")
        .count();
    assert!(fails > 20, "{fails}");
    for bad in [
        "error_syntax/main.tf:5",
        "error_unknown_tag.yaml:6",
        "error_json_syntax.json:2",
    ] {
        assert!(err.contains(bad), "{bad} not named: {err}");
    }
    // A local module is read through its caller only.
    let module_roots = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["resource"]["region"] == "iac:terraform/fail_local_module/modules/cassandra_sg"
        })
        .count();
    assert_eq!(module_roots, 0);
}

#[test]
fn fix_on_code_is_an_edit_at_the_rule_line() {
    let out = ringfence()
        .args([
            "fix",
            "crates/iac/fixtures/terraform/fail_self_beside_world",
        ])
        .args(["--trusted-cidr", "10.0.0.0/8"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("fail_self_beside_world/main.tf:4:"), "{text}");
    assert!(text.contains("remove 0.0.0.0/0"), "{text}");
    assert!(
        text.contains("cidr_blocks      = [\"10.0.0.0/8\"]"),
        "{text}"
    );

    let out = ringfence()
        .args([
            "fix",
            "crates/iac/fixtures/cloudformation/fail_standalone_ingress_getatt.yaml",
        ])
        .args(["--trusted-cidr", "10.0.0.0/8"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("fail_standalone_ingress_getatt.yaml:13:"),
        "{text}"
    );
    assert!(
        text.contains("Type: AWS::EC2::SecurityGroupIngress"),
        "{text}"
    );
    assert!(text.contains("GroupId: !Ref CassandraSG"), "{text}");
}

#[test]
fn explain_reads_code_too() {
    let out = ringfence()
        .args([
            "explain",
            "crates/iac/fixtures/equivalence/terraform",
            "aws_instance.open",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("reachable now"), "{text}");
    assert!(text.contains("public IPv4 (assigned at deploy)"), "{text}");
    assert!(text.contains("main.tf:36"), "{text}");
}
