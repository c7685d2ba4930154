//! The live source against the moto EC2 emulator that `scripts/test` starts: the same
//! findings live as offline, failures reported as incomplete, several accounts, and no
//! credential in any output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

/// The emulator is shared: one test at a time changes it.
static MOTO: Mutex<()> = Mutex::new(());

fn endpoint() -> String {
    std::env::var("RINGFENCE_MOTO_ENDPOINT").expect(
        "RINGFENCE_MOTO_ENDPOINT is not set: these tests need the moto EC2 emulator. Run the suite with \
         scripts/test, or: scripts/with-moto cargo test -p ringfence --test live_aws",
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

/// Runs the AWS CLI against the emulator, optionally with other credentials.
fn aws(args: &[&str], credentials: Option<(&str, &str, &str)>) -> Value {
    let mut cmd = Command::new("aws");
    cmd.args([
        "--endpoint-url",
        &endpoint(),
        "--region",
        "us-east-1",
        "--output",
        "json",
    ])
    .args(args);
    if let Some((key, secret, token)) = credentials {
        cmd.env("AWS_ACCESS_KEY_ID", key)
            .env("AWS_SECRET_ACCESS_KEY", secret)
            .env("AWS_SESSION_TOKEN", token);
    }
    let output = cmd.output().expect(
        "the AWS CLI (`aws`) is not on PATH: run scripts/setup-venv and put .venv/bin on PATH",
    );
    assert!(
        output.status.success(),
        "aws {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or(Value::Null)
}

fn live(extra: &[&str]) -> (i32, Value, String) {
    let output = ringfence()
        .args([
            "scan",
            "aws",
            "--endpoint-url",
            &endpoint(),
            "-f",
            "json",
            "-q",
        ])
        .args(extra)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (
        output.status.code().unwrap(),
        doc,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// What must be identical between two scans: check, resource, status, ports, verdict.
fn essence(doc: &Value) -> BTreeSet<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} {} {}",
                f["check_id"],
                f["resource"]["id"],
                f["resource"]["account"],
                f["status"],
                f["exposure"]["ports"],
                f["exposure"]["reachability"]
            )
        })
        .collect()
}

#[test]
fn live_offline_and_own_snapshot_give_the_same_findings() {
    let _moto = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    let exported = tempfile::tempdir().unwrap();
    let python = if Path::new(".venv/bin/python").exists() {
        ".venv/bin/python"
    } else {
        "python3"
    };
    let status = Command::new(repo_root().join(python))
        .arg(repo_root().join("scripts/build-estate.py"))
        .args(["--endpoint", &endpoint(), "--out"])
        .arg(exported.path())
        .status()
        .or_else(|_| {
            Command::new("python3")
                .arg(repo_root().join("scripts/build-estate.py"))
                .args(["--endpoint", &endpoint(), "--out"])
                .arg(exported.path())
                .status()
        })
        .unwrap();
    assert!(status.success(), "scripts/build-estate.py failed");

    let (code, live_doc, stderr) = live(&["--region", "us-east-1"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(live_doc["incomplete"], serde_json::json!([]));
    assert_expected_estate_findings(exported.path(), &live_doc);

    let (_, offline_doc) = scan_json(exported.path(), &[]);
    assert_eq!(
        essence(&live_doc),
        essence(&offline_doc),
        "live vs the AWS CLI's snapshot"
    );

    let own = tempfile::tempdir().unwrap();
    let output = ringfence()
        .args([
            "snapshot",
            "aws",
            "--endpoint-url",
            &endpoint(),
            "--region",
            "us-east-1",
            "-q",
            "--out",
        ])
        .arg(own.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        own.path()
            .join("123456789012/us-east-1/describe-security-groups.json")
            .exists()
    );
    let (_, own_doc) = scan_json(own.path(), &[]);
    assert_eq!(
        essence(&live_doc),
        essence(&own_doc),
        "live vs ringfence's own snapshot"
    );
}

#[test]
fn a_failing_region_is_incomplete_while_the_others_are_scanned() {
    let _moto = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    reset();
    let group = aws(
        &[
            "ec2",
            "create-security-group",
            "--group-name",
            "closed",
            "--description",
            "nothing open",
        ],
        None,
    );
    let group_id = group["GroupId"].as_str().unwrap();
    // moto answers HTTP 500 for a region it does not know. The exposure checks only
    // (high and above): the hygiene checks rightly fail the unused group and moto's
    // default groups, which is not what this test is about.
    let (code, doc, stderr) = live(&[
        "--region",
        "us-east-1",
        "--region",
        "xx-nowhere-1",
        "--passed",
        "--severity",
        "high",
    ]);
    assert_eq!(code, 3, "{stderr}");
    let gaps = doc["incomplete"].as_array().unwrap();
    assert!(!gaps.is_empty());
    assert!(
        gaps.iter().all(|g| g["region"] == "xx-nowhere-1"),
        "{gaps:?}"
    );
    let passed: Vec<_> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["resource"]["id"] == group_id)
        .collect();
    assert!(!passed.is_empty(), "us-east-1 was scanned");
    assert!(passed.iter().all(|f| f["status"] == "PASS"));
}

#[test]
fn an_unreachable_endpoint_is_incomplete_not_a_pass() {
    let (code, doc, _) = {
        let output = ringfence()
            .args([
                "scan",
                "aws",
                "--endpoint-url",
                "http://127.0.0.1:9",
                "--region",
                "us-east-1",
                "--call-timeout",
                "2",
                "-f",
                "json",
                "-q",
            ])
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            serde_json::from_slice::<Value>(&output.stdout).unwrap(),
            (),
        )
    };
    assert_eq!(code, 3);
    assert_eq!(doc["summary"]["fail"], 0);
    assert!(!doc["incomplete"].as_array().unwrap().is_empty());
}

#[test]
fn roles_are_assumed_into_other_accounts() {
    let _moto = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    reset();
    let other = "222222222222";
    let role = format!("arn:aws:iam::{other}:role/ringfence-audit");
    let creds = aws(
        &[
            "sts",
            "assume-role",
            "--role-arn",
            &role,
            "--role-session-name",
            "setup",
        ],
        None,
    );
    let c = &creds["Credentials"];
    let as_other = Some((
        c["AccessKeyId"].as_str().unwrap(),
        c["SecretAccessKey"].as_str().unwrap(),
        c["SessionToken"].as_str().unwrap(),
    ));
    let group = aws(
        &[
            "ec2",
            "create-security-group",
            "--group-name",
            "cql-open",
            "--description",
            "in the other account",
        ],
        as_other,
    );
    let group_id = group["GroupId"].as_str().unwrap();
    aws(
        &[
            "ec2",
            "authorize-security-group-ingress",
            "--group-id",
            group_id,
            "--protocol",
            "tcp",
            "--port",
            "9042",
            "--cidr",
            "0.0.0.0/0",
        ],
        as_other,
    );

    let (code, doc, stderr) = live(&["--region", "us-east-1", "--role-arn", &role]);
    assert_eq!(code, 1, "{stderr}");
    let hits: Vec<_> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["resource"]["id"] == group_id)
        .collect();
    assert!(!hits.is_empty(), "{doc}");
    assert!(hits.iter().all(|f| f["resource"]["account"] == other));

    // The same through a role file naming the account, with --role-name.
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), format!("# audit targets\n{other}\n")).unwrap();
    let (_, doc, _) = live(&[
        "--region",
        "us-east-1",
        "--role-file",
        file.path().to_str().unwrap(),
        "--role-name",
        "ringfence-audit",
    ]);
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["resource"]["id"] == group_id)
    );
}

#[test]
fn credentials_never_appear_in_any_output() {
    let secret = "ringfenceTESTsecretKEYthatMUSTnotLEAK0123";
    let key = "AKIARINGFENCELEAKTEST";
    for endpoint in [endpoint(), "http://127.0.0.1:9".to_string()] {
        let output = ringfence()
            .args([
                "scan",
                "aws",
                "--endpoint-url",
                &endpoint,
                "--region",
                "us-east-1",
                "--call-timeout",
                "2",
                "-f",
                "json",
            ])
            .env("AWS_ACCESS_KEY_ID", key)
            .env("AWS_SECRET_ACCESS_KEY", secret)
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            !all.contains(secret) && !all.contains(key),
            "credentials leaked: {all}"
        );
    }
}
