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

/// The `reach-*` cases of scripts/build-estate.py: each opens tcp 9042 in a network of its
/// own.
pub const REACH_CASES: [&str; 11] = [
    "reach-no-public-ip",
    "reach-eip-no-igw-route",
    "reach-main-table-scoped-to-vpc",
    "reach-main-table-public",
    "reach-nacl-deny-before-allow",
    "reach-nacl-no-return",
    "reach-nacl-partial",
    "reach-ipv6-only-path",
    "reach-egress-only-igw",
    "reach-eip-on-secondary-eni",
    "reach-stopped-with-eip",
];

const INSTANCE_CHECK: &str = "ec2_instance_port_cassandra_exposed_to_internet";
const GROUP_CHECK: &str = "ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports";

/// What a correct scan of the estate (scripts/build-estate.py) exported in `dir` reports,
/// case by case; the example estate and the live test against moto check the same table.
pub fn assert_expected_estate_findings(dir: &Path, doc: &Value) {
    let instance = failing(doc, INSTANCE_CHECK);
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
    .chain(REACH_CASES.map(|case| (case, tcp(&[9042]))))
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(
        instance, expected_instances,
        "instance-level Cassandra findings"
    );

    let groups: BTreeSet<String> = failing(doc, GROUP_CHECK).into_keys().collect();
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
        "reach-eip-on-secondary-eni-world",
    ]
    .into_iter()
    .chain(
        REACH_CASES
            .into_iter()
            .filter(|c| *c != "reach-eip-on-secondary-eni"),
    )
    .map(String::from)
    .collect();
    assert_eq!(groups, expected_groups, "group-level Cassandra findings");

    assert_expected_reachability(dir, doc);

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

    assert_expected_hygiene_findings(doc);

    // No exposure finding at all about the cases that are closed, private or not the
    // internet (the hygiene checks judge other things: see the expectations above).
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
            .filter(|f| !HYGIENE.contains(&f["check_id"].as_str().unwrap_or("")))
            .collect();
        assert!(about.is_empty(), "{quiet}: {about:?}");
    }
}

/// The hygiene checks that run by default (issue #8), and what they report on the estate
/// (CASES.md, "Hygiene"): failing resources by `Name`, per check.
pub const HYGIENE: [&str; 9] = [
    "ec2_securitygroup_not_used",
    "ec2_securitygroup_default_restrict_traffic",
    "ec2_instance_uses_default_security_group",
    "ec2_instance_too_many_security_groups",
    "ec2_securitygroup_rules_overlap",
    "ec2_securitygroup_wide_port_range_to_public",
    "ec2_instance_udp_icmp_from_outside_vpc",
    "ec2_securitygroup_cassandra_internode_from_outside_cluster",
    "ec2_securitygroup_name_breaks_convention",
];

fn failing_names(doc: &Value, check: &str) -> BTreeSet<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check_id"] == check && f["status"] == "FAIL")
        .map(|f| f["resource"]["name"].as_str().unwrap_or("").to_string())
        .collect()
}

pub fn assert_expected_hygiene_findings(doc: &Value) {
    let names =
        |list: &[&str]| -> BTreeSet<String> { list.iter().map(|s| s.to_string()).collect() };
    assert_eq!(
        failing_names(doc, "ec2_securitygroup_not_used"),
        names(&[
            "group-reference-only-clients",
            "terminated-instance",
            "unattached-open-group"
        ]),
        "unused groups"
    );
    assert_eq!(
        failing_names(doc, "ec2_securitygroup_wide_port_range_to_public"),
        names(&[
            "all-tcp-ports-open",
            "all-traffic-open",
            "cassandra-range-7000-7199-open"
        ]),
        "wide port ranges"
    );
    assert_eq!(
        failing_names(
            doc,
            "ec2_securitygroup_cassandra_internode_from_outside_cluster"
        ),
        names(&[
            "all-tcp-ports-open",
            "all-traffic-open",
            "cassandra-range-7000-7199-open",
            "dse-5599-and-jmx",
        ]),
        "Cassandra cluster ports from outside the cluster"
    );
    assert_eq!(
        failing_names(doc, "ec2_securitygroup_rules_overlap"),
        names(&[
            "secondary-eni-open-eth0-private",
            "shared-rule-public-and-private"
        ]),
        "overlapping rules"
    );
    assert_eq!(
        failing_names(doc, "ec2_instance_udp_icmp_from_outside_vpc"),
        names(&["all-traffic-open", "icmp-open-to-world", "udp-9042-not-cql"]),
        "UDP / ICMP from outside the VPC"
    );
    // moto's default groups keep AWS's allow-all egress rule: every VPC's fails.
    let defaults = failing_names(doc, "ec2_securitygroup_default_restrict_traffic");
    assert!(!defaults.is_empty(), "default groups");
    for quiet in [
        "ec2_instance_uses_default_security_group",
        "ec2_instance_too_many_security_groups",
        "ec2_securitygroup_name_breaks_convention",
    ] {
        assert!(failing_names(doc, quiet).is_empty(), "{quiet}");
    }
}

/// The verdict a case's exposure must get: `exposure.reachability`, and `exposure.reason`
/// unless reachable; for reachable ones, the `Name`s of the network interface and of the
/// route table the path goes through.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    Reachable {
        interface: &'static str,
        route_table: &'static str,
    },
    Latent(&'static str),
    Blocked(&'static str),
}

use Expect::{Blocked, Latent, Reachable};

/// The hops of a reachable path, in order (several security-group rules may follow each
/// other).
pub const PATH_KINDS: [&str; 7] = [
    "internet-gateway",
    "route",
    "network-acl-inbound",
    "network-acl-outbound",
    "security-group-rule",
    "network-interface",
    "instance",
];

/// Instance-level verdicts, by instance `Name`.
pub fn expected_instance_reachability() -> BTreeMap<&'static str, Expect> {
    let no_public = Latent("no-public-address");
    BTreeMap::from([
        ("all-tcp-ports-open", no_public),
        ("all-traffic-open", no_public),
        ("cassandra-cql-open-to-world", no_public),
        ("cassandra-range-7000-7199-open", no_public),
        (
            "cql-open-ipv6-only",
            Reachable {
                interface: "cql-open-ipv6-only-eth0",
                route_table: "public-routes-to-igw",
            },
        ),
        ("dse-5599-and-jmx", no_public),
        (
            "eip-on-cassandra-node",
            Reachable {
                interface: "eip-on-cassandra-node-eth0",
                route_table: "public-routes-to-igw",
            },
        ),
        ("prefix-list-open", no_public),
        ("secondary-eni-open", no_public),
        ("several-groups-union", no_public),
        ("shared-rule-public-and-private", no_public),
        ("split-cidr-halves", no_public),
        ("stopped-instance-open", Latent("instance-stopped")),
        ("wide-public-range", no_public),
        ("reach-no-public-ip", no_public),
        ("reach-eip-no-igw-route", Latent("no-igw-route")),
        ("reach-main-table-scoped-to-vpc", Latent("no-igw-route")),
        (
            "reach-main-table-public",
            Reachable {
                interface: "reach-main-table-public-eth0",
                route_table: "reach-main-table-public-main-routes-to-igw",
            },
        ),
        ("reach-nacl-deny-before-allow", Blocked("nacl-inbound-deny")),
        ("reach-nacl-no-return", Blocked("nacl-return-deny")),
        (
            "reach-nacl-partial",
            Reachable {
                interface: "reach-nacl-partial-eth0",
                route_table: "reach-nacl-partial-routes-to-igw",
            },
        ),
        (
            "reach-ipv6-only-path",
            Reachable {
                interface: "reach-ipv6-only-path-eth0",
                route_table: "reach-ipv6-only-path-routes-v6-to-igw",
            },
        ),
        ("reach-egress-only-igw", Latent("egress-only-igw")),
        (
            "reach-eip-on-secondary-eni",
            Reachable {
                interface: "reach-eip-on-secondary-eni-eth1",
                route_table: "reach-eip-on-secondary-eni-routes-to-igw",
            },
        ),
        ("reach-stopped-with-eip", Latent("instance-stopped")),
    ])
}

/// Group-level verdicts, by group `Name`: a group is judged where it is attached; a
/// terminated instance's interface no longer counts.
pub fn expected_group_reachability() -> BTreeMap<&'static str, Expect> {
    let mut groups = expected_instance_reachability();
    for renamed in [
        "secondary-eni-open",
        "several-groups-union",
        "reach-eip-on-secondary-eni",
    ] {
        groups.remove(renamed);
    }
    let no_public = Latent("no-public-address");
    groups.extend([
        ("secondary-eni-open-eth1-world", no_public),
        ("several-groups-union-low-half", no_public),
        ("several-groups-union-high-half", no_public),
        (
            "reach-eip-on-secondary-eni-world",
            Reachable {
                interface: "reach-eip-on-secondary-eni-eth1",
                route_table: "reach-eip-on-secondary-eni-routes-to-igw",
            },
        ),
        ("unattached-open-group", Latent("not-attached")),
        ("terminated-instance", Latent("not-attached")),
    ]);
    groups
}

/// `Name` tag → id, from one describe file of the snapshot's region folder.
pub fn ids_by_name(dir: &Path, file: &str, list: &str, id: &str) -> BTreeMap<String, String> {
    let path = dir.join("us-east-1").join(file);
    let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let items: Vec<&Value> = if list == "Reservations" {
        doc[list]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["Instances"].as_array().unwrap())
            .collect()
    } else {
        doc[list].as_array().unwrap().iter().collect()
    };
    items
        .into_iter()
        .filter_map(|item| {
            let tags = item.get("TagSet").or(item.get("Tags"))?.as_array()?;
            let name = tags.iter().find(|t| t["Key"] == "Name")?["Value"].as_str()?;
            Some((name.to_string(), item[id].as_str()?.to_string()))
        })
        .collect()
}

/// An IPv4 CIDR as its first and last address.
pub fn v4_range(cidr: &str) -> (u32, u32) {
    let (addr, len) = cidr.split_once('/').unwrap();
    let addr = u32::from(addr.parse::<std::net::Ipv4Addr>().unwrap());
    let len: u32 = len.parse().unwrap();
    let size = if len == 0 {
        u32::MAX
    } else {
        (1u32 << (32 - len)) - 1
    };
    (addr, addr | size)
}

fn failing_findings<'d>(doc: &'d Value, check: &str) -> BTreeMap<String, &'d Value> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check_id"] == check && f["status"] == "FAIL")
        .map(|f| (f["resource"]["name"].as_str().unwrap_or("").to_string(), f))
        .collect()
}

/// Every case's verdict and reason, at instance and group level; for reachable ones the
/// path, hop by hop, through the right interface.
pub fn assert_expected_reachability(dir: &Path, doc: &Value) {
    let interfaces = ids_by_name(
        dir,
        "describe-network-interfaces.json",
        "NetworkInterfaces",
        "NetworkInterfaceId",
    );
    let instances = ids_by_name(dir, "describe-instances.json", "Reservations", "InstanceId");
    let route_tables = ids_by_name(
        dir,
        "describe-route-tables.json",
        "RouteTables",
        "RouteTableId",
    );
    for (check, expected) in [
        (INSTANCE_CHECK, expected_instance_reachability()),
        (GROUP_CHECK, expected_group_reachability()),
    ] {
        let findings = failing_findings(doc, check);
        for (name, expect) in expected {
            let finding = findings
                .get(name)
                .unwrap_or_else(|| panic!("{check}: no finding on {name}"));
            assert_reachability(
                name,
                finding,
                expect,
                &interfaces,
                &instances,
                &route_tables,
            );
        }
    }

    // The ACL denies tcp 9042 from 0.0.0.0/1: only the upper half of the internet gets in.
    let partial = failing_findings(doc, INSTANCE_CHECK)["reach-nacl-partial"];
    let exposure = &partial["exposure"];
    assert_eq!(exposure["sources"], serde_json::json!(["0.0.0.0/0"]));
    assert_eq!(
        exposure["reachable_sources"],
        serde_json::json!(["128.0.0.0/1"])
    );
    for through in [
        &exposure["reachable_sources"],
        &exposure["ports"][0]["reachable_sources"],
    ] {
        let ranges: Vec<(u32, u32)> = through
            .as_array()
            .unwrap()
            .iter()
            .map(|c| v4_range(c.as_str().unwrap()))
            .collect();
        assert!(!ranges.is_empty(), "reach-nacl-partial: {through}");
        let upper = v4_range("128.0.0.0/1");
        assert!(
            ranges.iter().all(|r| r.0 >= upper.0 && r.1 <= upper.1),
            "reach-nacl-partial: only 128.0.0.0/1 gets through, not {through}"
        );
        let covered = |ip: &str| {
            let ip = u32::from(ip.parse::<std::net::Ipv4Addr>().unwrap());
            ranges.iter().any(|r| r.0 <= ip && ip <= r.1)
        };
        for public in ["128.0.0.1", "185.199.108.1", "203.0.114.9", "223.255.255.1"] {
            assert!(covered(public), "{public} gets through: {through}");
        }
        for denied in ["1.1.1.1", "54.240.197.16", "127.255.255.254"] {
            assert!(!covered(denied), "{denied} is denied by rule 90: {through}");
        }
    }
}

fn assert_reachability(
    name: &str,
    finding: &Value,
    expect: Expect,
    interfaces: &BTreeMap<String, String>,
    instances: &BTreeMap<String, String>,
    route_tables: &BTreeMap<String, String>,
) {
    let exposure = &finding["exposure"];
    let (verdict, reason) = match expect {
        Reachable { .. } => ("reachable", None),
        Latent(r) => ("latent", Some(r)),
        Blocked(r) => ("blocked", Some(r)),
    };
    assert_eq!(
        (
            exposure["reachability"].as_str(),
            exposure["reason"].as_str()
        ),
        (Some(verdict), reason),
        "{name}: {}",
        finding["message"]
    );
    // Every port of these cases has the same verdict.
    for span in exposure["ports"].as_array().unwrap() {
        assert_eq!(
            (span["reachability"].as_str(), span["reason"].as_str()),
            (Some(verdict), reason),
            "{name}: port {span}"
        );
    }
    assert!(
        finding["message"].as_str().unwrap().contains(verdict),
        "{name}: the message says the verdict: {}",
        finding["message"]
    );
    match expect {
        Reachable {
            interface,
            route_table,
        } => {
            let path = exposure["path"]
                .as_array()
                .unwrap_or_else(|| panic!("{name}: reachable without a path: {exposure}"));
            let mut kinds: Vec<&str> = path.iter().map(|h| h["kind"].as_str().unwrap()).collect();
            kinds.dedup();
            assert_eq!(kinds, PATH_KINDS, "{name}: {path:?}");
            let hop = |kind: &str| {
                path.iter().find(|h| h["kind"] == kind).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            };
            assert!(
                hop("internet-gateway").starts_with("igw-"),
                "{name}: {path:?}"
            );
            assert_eq!(
                Some(&hop("route")),
                route_tables.get(route_table),
                "{name}: the replies leave through {route_table}: {path:?}"
            );
            assert!(
                hop("network-acl-inbound").starts_with("acl-"),
                "{name}: {path:?}"
            );
            assert_eq!(
                Some(&hop("network-interface")),
                interfaces.get(interface),
                "{name}: the path goes through {interface}: {path:?}"
            );
            let instance = interface.rsplit_once("-eth").unwrap().0;
            assert_eq!(
                Some(&hop("instance")),
                instances.get(instance),
                "{name}: {path:?}"
            );
            assert!(
                !exposure["reachable_sources"].as_array().unwrap().is_empty(),
                "{name}: {exposure}"
            );
            if name != "reach-nacl-partial" {
                assert_eq!(
                    exposure["reachable_sources"], exposure["sources"],
                    "{name}: nothing narrows the sources"
                );
            }
        }
        Latent(_) | Blocked(_) => {
            assert!(exposure.get("path").is_none(), "{name}: {exposure}");
            assert!(
                exposure.get("reachable_sources").is_none(),
                "{name}: {exposure}"
            );
        }
    }
}
