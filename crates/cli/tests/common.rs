//! Helpers shared by the CLI tests: run the binary, read its JSON.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn ringfence() -> Command {
    let mut cmd = Command::cargo_bin("ringfence").unwrap();
    cmd.current_dir(repo_root()).env("NO_COLOR", "1");
    cmd
}

/// Scans `dir` as JSON; returns the exit code and the document.
pub fn scan_json(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let output = ringfence()
        .arg("scan")
        .arg(dir)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let code = output.status.code().unwrap();
    let doc = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (code, doc)
}

/// Failing findings of one check: resource name → set of (protocol, from, to).
pub fn failing(doc: &Value, check: &str) -> BTreeMap<String, BTreeSet<(String, u64, u64)>> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check_id"] == check && f["status"] == "FAIL")
        .map(|f| {
            let name = f["resource"]["name"].as_str().unwrap_or("").to_string();
            let ports = f["exposure"]["ports"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["protocol"].as_str().unwrap().to_string(),
                        p["from"].as_u64().unwrap(),
                        p["to"].as_u64().unwrap(),
                    )
                })
                .collect();
            (name, ports)
        })
        .collect()
}

pub fn tcp(ports: &[u64]) -> BTreeSet<(String, u64, u64)> {
    ports.iter().map(|&p| ("tcp".to_string(), p, p)).collect()
}

pub const ALL_CASSANDRA: [u64; 7] = [5599, 7000, 7001, 7199, 9042, 9142, 9160];

/// What a correct scan of the example estate (scripts/build-estate.py) reports, case by
/// case; the live test against moto checks the same table.
pub fn assert_expected_estate_findings(doc: &Value) {
    let instance = failing(doc, "ec2_instance_port_cassandra_exposed_to_internet");
    let expected_instances: BTreeMap<String, BTreeSet<_>> = [
        ("all-tcp-ports-open", tcp(&ALL_CASSANDRA)),
        ("all-traffic-open", tcp(&ALL_CASSANDRA)),
        ("cassandra-cql-open-to-world", tcp(&[9042])),
        ("cassandra-range-7000-7199-open", tcp(&[7000, 7001, 7199])),
        ("cql-open-ipv6-only", tcp(&[9042])),
        ("dse-5599-and-jmx", tcp(&[5599, 7199])),
        ("eip-on-cassandra-node", tcp(&[9042])),
        ("prefix-list-open", tcp(&[9142])),
        ("secondary-eni-open", tcp(&[9042])),
        ("several-groups-union", tcp(&[9160])),
        ("shared-rule-public-and-private", tcp(&[9042])),
        ("split-cidr-halves", tcp(&[9042])),
        ("stopped-instance-open", tcp(&[9042])),
        ("wide-public-range", tcp(&[9042])),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(
        instance, expected_instances,
        "instance-level Cassandra findings"
    );

    let groups: BTreeSet<String> = failing(
        doc,
        "ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports",
    )
    .into_keys()
    .collect();
    let expected_groups: BTreeSet<String> = [
        "all-tcp-ports-open",
        "all-traffic-open",
        "cassandra-cql-open-to-world",
        "cassandra-range-7000-7199-open",
        "cql-open-ipv6-only",
        "dse-5599-and-jmx",
        "eip-on-cassandra-node",
        "prefix-list-open",
        "secondary-eni-open-eth1-world",
        "several-groups-union-high-half",
        "several-groups-union-low-half",
        "shared-rule-public-and-private",
        "split-cidr-halves",
        "stopped-instance-open",
        "terminated-instance",
        "unattached-open-group",
        "wide-public-range",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(groups, expected_groups, "group-level Cassandra findings");

    let uncommon = failing(
        doc,
        "ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports",
    );
    assert_eq!(
        uncommon["udp-9042-not-cql"],
        [("udp".to_string(), 9042, 9042)].into()
    );
    assert_eq!(uncommon["uncommon-8080-open"], tcp(&[8080]));
    assert_eq!(
        uncommon["cassandra-range-7000-7199-open"],
        [("tcp".to_string(), 7000, 7199)].into()
    );
    for quiet in [
        "ssh-open-to-world",
        "https-open-to-world",
        "mysql-open-to-world",
        "icmp-open-to-world",
        "wide-public-range",
        "private-only-sources",
        "group-reference-only",
        "prefix-list-private",
        "closed-everything",
    ] {
        assert!(
            !uncommon.contains_key(quiet),
            "{quiet} must not be an uncommon-ports finding"
        );
    }

    let all_ports = failing(
        doc,
        "ec2_securitygroup_allow_ingress_from_internet_to_all_ports",
    );
    assert_eq!(all_ports.len(), 2, "{all_ports:?}");
    assert_eq!(
        all_ports["all-traffic-open"],
        [("-1".to_string(), 0, 65535)].into()
    );
    assert_eq!(
        all_ports["all-tcp-ports-open"],
        [("tcp".to_string(), 0, 65535)].into()
    );

    let remote = failing(
        doc,
        "ec2_securitygroup_allow_ingress_from_internet_to_remote_access_ports",
    );
    assert_eq!(remote["ssh-open-to-world"], tcp(&[22]));
    let database = failing(
        doc,
        "ec2_securitygroup_allow_ingress_from_internet_to_database_ports",
    );
    assert_eq!(database["mysql-open-to-world"], tcp(&[3306]));

    // Nothing at all about the cases that are closed, private or not the internet.
    for quiet in [
        "closed-everything",
        "private-only-sources",
        "group-reference-only",
        "prefix-list-private",
        "icmp-open-to-world",
        "https-open-to-world",
    ] {
        let about: Vec<_> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["resource"]["name"] == quiet && f["status"] == "FAIL")
            .collect();
        assert!(about.is_empty(), "{quiet}: {about:?}");
    }
}
