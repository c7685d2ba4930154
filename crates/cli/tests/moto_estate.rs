//! The estate built live in the moto EC2 emulator and exported with the AWS CLI, as the
//! acceptance estates are: every expected finding, no other. Needs the server that
//! `scripts/test` starts (RINGFENCE_MOTO_ENDPOINT).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use std::process::Command;

#[test]
fn an_estate_exported_from_moto_with_the_aws_cli_gives_every_expected_finding() {
    let endpoint = std::env::var("RINGFENCE_MOTO_ENDPOINT").expect(
        "RINGFENCE_MOTO_ENDPOINT is not set: this test needs the moto EC2 emulator. Run the suite with \
         scripts/test (it installs moto into .venv and starts it), or start one yourself: \
         scripts/with-moto cargo test -p ringfence --test moto_estate",
    );
    let root = repo_root();
    let python = ["python", "python3"]
        .into_iter()
        .find(|p| {
            Command::new(p)
                .arg("-c")
                .arg("import boto3")
                .status()
                .is_ok_and(|s| s.success())
        })
        .expect("no python with boto3 on PATH: run scripts/setup-venv and put .venv/bin on PATH");
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(python)
        .arg(root.join("scripts/build-estate.py"))
        .args(["--endpoint", &endpoint, "--out"])
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success(), "scripts/build-estate.py failed");
    let (code, doc) = scan_json(out.path(), &[]);
    assert_eq!(code, 1);
    assert_expected_estate_findings(out.path(), &doc);
    assert_eq!(
        doc["incomplete"].as_array().unwrap().len(),
        0,
        "{}",
        doc["incomplete"]
    );
}
