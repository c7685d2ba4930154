//! `ringfence explain` on the example estate: the path in words, or what stops it.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use std::path::Path;

/// The id of the resource named `name` in the example estate's findings.
fn id_of(name: &str, kind: &str) -> String {
    let (_, doc) = scan_json(Path::new("examples/estate"), &[]);
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["resource"]["name"] == name && f["resource"]["type"] == kind)
        .unwrap_or_else(|| panic!("no finding on {name}"))["resource"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn explain(args: &[&str]) -> (i32, String) {
    let output = ringfence()
        .arg("explain")
        .arg("examples/estate")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn a_reachable_instance_is_explained_hop_by_hop() {
    let id = id_of("eip-on-cassandra-node", "AwsEc2Instance");
    let (code, text) = explain(&[&id]);
    assert_eq!(code, 0);
    assert!(text.contains("How the internet gets in:"), "{text}");
    for kind in [
        "internet-gateway",
        "route",
        "network-acl-inbound",
        "network-acl-outbound",
        "security-group-rule",
        "network-interface",
    ] {
        assert!(text.contains(kind), "{kind} missing: {text}");
    }
    let (_, text) = explain(&[&id, "--port", "9042"]);
    assert!(
        text.contains("REACHABLE from every admitted source: the whole public IPv4 internet"),
        "{text}"
    );
}

#[test]
fn a_port_without_a_public_address_is_latent_with_its_reason() {
    let id = id_of("cassandra-cql-open-to-world", "AwsEc2Instance");
    let (_, text) = explain(&[&id, "--port", "9042"]);
    assert!(text.contains("LATENT (no-public-address)"), "{text}");
    let (_, text) = explain(&[&id, "--port", "22"]);
    assert!(
        text.contains("No security-group rule admits tcp/22"),
        "{text}"
    );
}

#[test]
fn an_unattached_group_is_one_attachment_away() {
    let id = id_of("unattached-open-group", "AwsEc2SecurityGroup");
    let (_, text) = explain(&[&id, "--port", "9160"]);
    assert!(text.contains("LATENT (not-attached)"), "{text}");
}

#[test]
fn an_unknown_id_is_an_input_error() {
    let output = ringfence()
        .args(["explain", "examples/estate", "i-doesnotexist"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("i-doesnotexist"));
}
