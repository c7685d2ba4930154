//! Golden outputs: the table and the JSON document for one shared scan of the example
//! estate, and the check listing. Review changes with `cargo insta review`.
#![allow(clippy::unwrap_used)]

mod common;

use common::ringfence;

const SCAN: [&str; 4] = [
    "scan",
    "examples/estate",
    "--checks",
    "ec2_instance_port_cassandra_exposed_to_internet,ec2_securitygroup_allow_ingress_from_internet_to_all_ports",
];

fn stdout(args: &[&str]) -> String {
    String::from_utf8(ringfence().args(args).output().unwrap().stdout).unwrap()
}

#[test]
fn scan_table() {
    insta::assert_snapshot!(stdout(&SCAN));
}

#[test]
fn scan_json() {
    let mut args = SCAN.to_vec();
    args.extend(["--format", "json"]);
    let mut doc: serde_json::Value = serde_json::from_str(&stdout(&args)).unwrap();
    doc["tool"]["version"] = "[version]".into();
    insta::assert_json_snapshot!(doc);
}

#[test]
fn checks_listing_table() {
    insta::assert_snapshot!(stdout(&["checks"]));
}

#[test]
fn checks_listing_json_carries_every_metadata_field() {
    let doc: serde_json::Value =
        serde_json::from_str(&stdout(&["checks", "--format", "json"])).unwrap();
    for check in doc.as_array().unwrap() {
        for field in [
            "id",
            "title",
            "severity",
            "resource_type",
            "description",
            "risk",
            "remediation",
            "references",
            "compliance",
            "aliases",
        ] {
            assert!(check.get(field).is_some(), "{field} missing in {check}");
        }
    }
}
