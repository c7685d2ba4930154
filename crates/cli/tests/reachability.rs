//! The `reach-*` cases of the example estate (scripts/build-estate.py, examples/estate/
//! CASES.md) through `ringfence explain`: the same verdict and reason as the scan, in
//! words, and the details that make each case what it is.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn estate() -> PathBuf {
    repo_root().join("examples/estate")
}

fn names(file: &str, list: &str, id: &str) -> BTreeMap<String, String> {
    ids_by_name(&estate(), file, list, id)
}

fn explain(id: &str) -> String {
    let output = ringfence()
        .arg("explain")
        .arg(estate())
        .args([id, "--port", "9042"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "explain {id}");
    String::from_utf8(output.stdout).unwrap()
}

/// The verdict line `explain` prints for a case's instance on tcp 9042.
fn expected_words(expect: Expect) -> String {
    match expect {
        Expect::Reachable { .. } => "REACHABLE".into(),
        Expect::Latent(reason) => format!("LATENT ({reason})"),
        Expect::Blocked(reason) => format!("BLOCKED ({reason})"),
    }
}

#[test]
fn explain_gives_every_reach_case_its_verdict_and_reason() {
    let instances = names("describe-instances.json", "Reservations", "InstanceId");
    let expected = expected_instance_reachability();
    for case in REACH_CASES {
        let text = explain(&instances[case]);
        let words = expected_words(expected[case]);
        assert!(text.contains(&words), "{case}: {words} expected:\n{text}");
        for other in ["REACHABLE", "LATENT (", "BLOCKED (", "UNKNOWN ("] {
            if !words.starts_with(other) {
                assert!(!text.contains(other), "{case}: {other} too:\n{text}");
            }
        }
    }
}

#[test]
fn the_secondary_interface_carries_the_path_and_the_primary_is_not_open() {
    let instances = names("describe-instances.json", "Reservations", "InstanceId");
    let interfaces = names(
        "describe-network-interfaces.json",
        "NetworkInterfaces",
        "NetworkInterfaceId",
    );
    let text = explain(&instances["reach-eip-on-secondary-eni"]);
    let eth0 = &interfaces["reach-eip-on-secondary-eni-eth0"];
    let eth1 = &interfaces["reach-eip-on-secondary-eni-eth1"];
    let (primary, secondary) = text
        .split_once(&format!("Interface {eth1}"))
        .unwrap_or_else(|| panic!("no section for {eth1}:\n{text}"));
    assert!(primary.contains(&format!("Interface {eth0}")), "{text}");
    assert!(!primary.contains("REACHABLE"), "{text}");
    assert!(secondary.contains("REACHABLE"), "{text}");
    assert!(
        secondary.contains(&format!("network-interface {eth1}")),
        "{text}"
    );
    assert!(
        secondary.contains("54.240.197.17"),
        "its Elastic IP: {text}"
    );
}

#[test]
fn a_subnet_without_association_uses_the_main_table_of_its_own_vpc() {
    let instances = names("describe-instances.json", "Reservations", "InstanceId");
    let vpcs = names("describe-vpcs.json", "Vpcs", "VpcId");
    let tables = names("describe-route-tables.json", "RouteTables", "RouteTableId");

    // Private VPC, no association: its own main table (local only), although another
    // VPC's main table in the region routes 0.0.0.0/0 to an internet gateway.
    let text = explain(&instances["reach-main-table-scoped-to-vpc"]);
    let own_main = &tables["reach-main-table-scoped-to-vpc-main-local-only"];
    let own_vpc = &vpcs["reach-main-table-scoped-to-vpc"];
    assert!(
        text.contains(&format!("route table {own_main} (main table of {own_vpc})")),
        "{text}"
    );
    assert!(
        !text.contains(&tables["reach-main-table-scoped-to-vpc-decoy-main-routes-to-igw"]),
        "{text}"
    );

    // Public VPC, no association: its main table routes to its internet gateway.
    let text = explain(&instances["reach-main-table-public"]);
    let main = &tables["reach-main-table-public-main-routes-to-igw"];
    let vpc = &vpcs["reach-main-table-public"];
    assert!(
        text.contains(&format!("route {main}: 0.0.0.0/0 -> igw-")),
        "{text}"
    );
    assert!(text.contains(&format!("(main table of {vpc})")), "{text}");
}

#[test]
fn network_acl_verdicts_name_the_rule_that_decides() {
    let instances = names("describe-instances.json", "Reservations", "InstanceId");
    let text = explain(&instances["reach-nacl-deny-before-allow"]);
    assert!(text.contains("(rule 90)"), "the deny rule 90 wins:\n{text}");
    let text = explain(&instances["reach-nacl-no-return"]);
    assert!(text.contains("1024-65535"), "the replies' ports:\n{text}");
    assert!(text.contains("final deny"), "{text}");
}

#[test]
fn the_scan_and_the_group_findings_agree_on_the_reach_cases() {
    let (_, doc) = scan_json(
        &estate(),
        &[
            "--checks",
            "ec2_instance_port_cassandra_exposed_to_internet,\
             ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports",
        ],
    );
    let verdicts: Vec<(String, String, Value)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["resource"]["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("reach-"))
        })
        .map(|f| {
            let name = f["resource"]["name"].as_str().unwrap();
            let case = name.strip_suffix("-world").unwrap_or(name).to_string();
            (
                case,
                f["exposure"]["reachability"].as_str().unwrap().to_string(),
                f["exposure"]["reason"].clone(),
            )
        })
        .collect();
    for case in REACH_CASES {
        let of_case: Vec<_> = verdicts.iter().filter(|v| v.0 == case).collect();
        assert_eq!(of_case.len(), 2, "{case}: instance and group: {of_case:?}");
        assert_eq!(
            (&of_case[0].1, &of_case[0].2),
            (&of_case[1].1, &of_case[1].2),
            "{case}"
        );
    }
}
