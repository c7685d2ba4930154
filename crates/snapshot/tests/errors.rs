//! Bad input: every error names the file, the place inside it and what was expected.

// Test helpers outside #[test] functions panic on purpose, like the tests.
#![allow(clippy::unwrap_used)]

mod common;

use common::{copy_tree, moto_fixture, write};
use ringfence_model::ResourceKind;
use ringfence_snapshot::{SnapshotError, load, parse_file};
use std::fs;
use std::path::Path;

/// Loads a folder holding one file with `text`, expecting an error; returns the file's
/// path as the message prints it, and the message.
fn load_one(name: &str, text: &str) -> (String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let path = write(tmp.path(), name, text);
    let error = load(tmp.path()).unwrap_err();
    assert!(matches!(error, SnapshotError::Invalid { .. }), "{error:?}");
    (path.display().to_string(), error.to_string())
}

const GROUPS: &str = "describe-security-groups.json";

#[test]
fn malformed_json_names_the_file_the_place_and_the_line() {
    let text = "{\n  \"SecurityGroups\": [\n    {\"GroupId\": \"sg-1\",\n";
    let (path, message) = load_one(GROUPS, text);
    assert_eq!(
        message,
        format!("{path}: SecurityGroups[0] (line 4, column 0): EOF while parsing a value")
    );
}

#[test]
fn a_missing_comma_names_the_line_and_column() {
    let text = "{\"SecurityGroups\": [\n  {\"GroupId\": \"sg-1\" \"GroupName\": \"x\"}\n]}";
    let (path, message) = load_one(GROUPS, text);
    assert_eq!(
        message,
        format!("{path}: SecurityGroups[0] (line 2, column 22): expected `,` or `}}`")
    );
}

#[test]
fn trailing_text_after_the_document_is_an_error() {
    let (path, message) = load_one(GROUPS, "{\"SecurityGroups\": []}\n{}");
    assert_eq!(
        message,
        format!("{path}: top level (line 2, column 1): trailing characters")
    );
}

#[test]
fn a_field_of_the_wrong_type_names_the_field_and_the_expected_type() {
    let text = r#"{
    "SecurityGroups": [
        {
            "GroupId": "sg-1",
            "IpPermissions": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": "x",
                    "ToPort": 22
                }
            ]
        }
    ]
}"#;
    let (path, message) = load_one(GROUPS, text);
    assert_eq!(
        message,
        format!(
            "{path}: SecurityGroups[0].IpPermissions[0].FromPort (line 8, column 35): invalid type: string \"x\", expected i64"
        )
    );
}

#[test]
fn an_impossible_cidr_names_the_field_and_quotes_the_value() {
    let text = r#"{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/33"}]}
    ]}]}"#;
    let (path, message) = load_one(GROUPS, text);
    assert_eq!(
        message,
        format!(
            "{path}: SecurityGroups[0].IpPermissions[1].IpRanges[0].CidrIp (line 3, column 98): \"10.0.0.0/33\" is not a valid IPv4 CIDR (expected a.b.c.d/n with n at most 32)"
        )
    );
}

#[test]
fn an_address_out_of_range_is_an_impossible_cidr() {
    let text = r#"{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissionsEgress": [
        {"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}], "IpRanges": [{"CidrIp": "300.1.1.1/8"}]}]}]}"#;
    let (path, message) = load_one(GROUPS, text);
    assert!(
        message.starts_with(&format!(
            "{path}: SecurityGroups[0].IpPermissionsEgress[0].IpRanges[0].CidrIp (line 2, column"
        )),
        "{message}"
    );
    assert!(message.ends_with(
        "\"300.1.1.1/8\" is not a valid IPv4 CIDR (expected a.b.c.d/n with n at most 32)"
    ));
}

#[test]
fn a_port_outside_0_65535_names_the_permission() {
    let text = r#"{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22},
        {"IpProtocol": "tcp", "FromPort": 70000, "ToPort": 70000}]}]}"#;
    let (path, message) = load_one(GROUPS, text);
    assert_eq!(
        message,
        format!(
            "{path}: SecurityGroups[0].IpPermissions[1]: FromPort 70000 is outside 0-65535 (or -1 for all)"
        )
    );
}

#[test]
fn an_unknown_protocol_in_an_egress_permission_names_it() {
    let text = r#"{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissionsEgress": [
        {"IpProtocol": "gre"}]}]}"#;
    let (path, message) = load_one(GROUPS, text);
    assert!(
        message.starts_with(&format!(
            "{path}: SecurityGroups[0].IpPermissionsEgress[0]: protocol \"gre\" is not one AWS accepts"
        )),
        "{message}"
    );
}

#[test]
fn describe_instances_output_in_the_security_groups_file_is_rejected() {
    let instances = fs::read_to_string(moto_fixture().join("describe-instances.json")).unwrap();
    let (path, message) = load_one(GROUPS, &instances);
    let lines = instances.lines().count();
    assert_eq!(
        message,
        format!(
            "{path}: top level (line {lines}, column 1): missing field `SecurityGroups` (expected the output of `aws ec2 describe-security-groups`)"
        )
    );
}

#[test]
fn a_document_that_is_not_an_object_says_what_was_expected() {
    let (path, message) = load_one("describe-vpcs.json", "[]");
    assert_eq!(
        message,
        format!(
            "{path}: top level (line 1, column 1): invalid type: array, expected the JSON object printed by `aws ec2 describe-vpcs`"
        )
    );
}

#[test]
fn an_empty_file_is_an_error_not_an_empty_region() {
    let (path, message) = load_one(GROUPS, "");
    assert_eq!(
        message,
        format!("{path}: top level (line 1, column 0): EOF while parsing a value")
    );
}

#[test]
fn a_missing_required_id_names_the_resource() {
    let (path, message) = load_one(
        "describe-subnets.json",
        r#"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1"}, {"VpcId": "vpc-1"}]}"#,
    );
    assert_eq!(
        message,
        format!("{path}: Subnets[1] (line 1, column 75): missing field `SubnetId`")
    );
}

#[test]
fn a_bad_address_on_an_interface_names_the_field() {
    let (path, message) = load_one(
        "describe-network-interfaces.json",
        r#"{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.0.300"}]}]}"#,
    );
    assert!(
        message.starts_with(&format!(
            "{path}: NetworkInterfaces[0].PrivateIpAddresses[0].PrivateIpAddress (line 1, column"
        )),
        "{message}"
    );
    assert!(message.ends_with("\"10.0.0.300\" is not a valid IPv4 address (expected a.b.c.d)"));
}

#[test]
fn a_network_acl_action_other_than_allow_or_deny_names_the_entry() {
    let (path, message) = load_one(
        "describe-network-acls.json",
        r#"{"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "Entries": [
            {"RuleNumber": 1, "Protocol": "-1", "RuleAction": "permit", "Egress": false, "CidrBlock": "0.0.0.0/0"}]}]}"#,
    );
    assert!(
        message.starts_with(&format!(
            "{path}: NetworkAcls[0].Entries[0].RuleAction (line 2, column"
        )),
        "{message}"
    );
    assert!(message.ends_with("unknown variant `permit`, expected `allow` or `deny`"));
}

#[test]
fn a_network_acl_entry_with_reversed_ports_names_the_entry() {
    let (path, message) = load_one(
        "describe-network-acls.json",
        r#"{"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "Entries": [
            {"RuleNumber": 1, "Protocol": "6", "RuleAction": "allow", "Egress": false,
             "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 100, "To": 10}}]}]}"#,
    );
    assert_eq!(
        message,
        format!(
            "{path}: NetworkAcls[0].Entries[0]: port range 100-10 is reversed (FromPort > ToPort)"
        )
    );
}

#[test]
fn a_route_without_a_destination_names_the_route() {
    let (path, message) = load_one(
        "describe-route-tables.json",
        r#"{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [{"GatewayId": "igw-1"}]}]}"#,
    );
    assert_eq!(
        message,
        format!(
            "{path}: RouteTables[0].Routes[0]: a route needs DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId"
        )
    );
}

#[test]
fn a_bad_prefix_list_entry_names_the_entries_file() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "describe-managed-prefix-lists.json",
        r#"{"PrefixLists": [{"PrefixListId": "pl-1"}]}"#,
    );
    let entries = write(
        tmp.path(),
        "get-managed-prefix-list-entries/pl-1.json",
        r#"{"Entries": [{"Cidr": "1.2.3.0/24"}, {"Cidr": "banana"}]}"#,
    );
    let message = load(tmp.path()).unwrap_err().to_string();
    assert!(
        message.starts_with(&format!(
            "{}: Entries[1].Cidr (line 1, column",
            entries.display()
        )),
        "{message}"
    );
    assert!(message.ends_with(
        "\"banana\" is not a valid IPv4 or IPv6 CIDR (expected a.b.c.d/n or an IPv6 prefix)"
    ));
}

#[test]
fn a_bad_rule_in_the_rules_file_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), GROUPS, r#"{"SecurityGroups": []}"#);
    let rules = write(
        tmp.path(),
        "describe-security-group-rules.json",
        r#"{"SecurityGroupRules": [{"SecurityGroupRuleId": "sgr-1", "GroupId": "sg-1",
            "IsEgress": false, "IpProtocol": "udp", "FromPort": 53, "ToPort": -2}]}"#,
    );
    let message = load(tmp.path()).unwrap_err().to_string();
    assert_eq!(
        message,
        format!(
            "{}: SecurityGroupRules[0]: ToPort -2 is outside 0-65535 (or -1 for all)",
            rules.display()
        )
    );
}

#[test]
fn an_error_in_a_region_sub_folder_names_that_file() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&moto_fixture(), &tmp.path().join("us-east-1"));
    let bad = write(
        &tmp.path().join("eu-west-1"),
        "describe-vpcs.json",
        r#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/99"}]}"#,
    );
    let message = load(tmp.path()).unwrap_err().to_string();
    assert!(
        message.starts_with(&format!(
            "{}: Vpcs[0].CidrBlock (line 1, column",
            bad.display()
        )),
        "{message}"
    );
}

#[test]
fn an_empty_folder_is_not_a_snapshot_and_the_message_lists_the_expected_files() {
    let tmp = tempfile::tempdir().unwrap();
    let error = load(tmp.path()).unwrap_err();
    assert!(matches!(error, SnapshotError::NotASnapshot { .. }));
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("{}: not a snapshot folder", tmp.path().display())),
        "{message}"
    );
    for kind in ResourceKind::ALL {
        assert!(message.contains(kind.command()), "{message} lacks {kind}");
    }
    assert!(message.contains("describe-security-groups.json"));
    assert!(message.contains("get-managed-prefix-list-entries/<prefix-list-id>.json"));
}

#[test]
fn a_folder_of_unrelated_files_and_folders_is_not_a_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "notes.txt", "hello");
    write(tmp.path(), "us-east-1/readme.md", "nothing here");
    write(tmp.path(), "123456789012/us-east-1/other.json", "{}");
    write(tmp.path(), "eu-west-1/describe-load-balancers.json", "{}");
    let error = load(tmp.path()).unwrap_err();
    assert!(
        matches!(error, SnapshotError::NotASnapshot { .. }),
        "{error}"
    );
}

#[test]
fn a_missing_folder_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-snapshot");
    let error = load(&missing).unwrap_err();
    assert!(matches!(error, SnapshotError::Io { .. }));
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("{}: cannot read folder:", missing.display())),
        "{message}"
    );
}

#[test]
fn a_file_given_as_the_folder_says_to_pass_its_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), GROUPS, r#"{"SecurityGroups": []}"#);
    let error = load(&file).unwrap_err();
    assert!(matches!(error, SnapshotError::NotAFolder { .. }));
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}: is a file", file.display()))
    );
}

#[test]
fn parse_file_reports_like_load() {
    let error = parse_file(
        ResourceKind::Addresses,
        br#"{"Addresses": [{"PublicIp": 7}]}"#,
        Path::new("snap/describe-addresses.json"),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "snap/describe-addresses.json: Addresses[0].PublicIp (line 1, column 29): invalid type: integer `7`, expected a string"
    );
}

#[test]
fn a_bad_audit_trail_file_names_the_file_and_the_place() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), GROUPS, r#"{"SecurityGroups": []}"#);
    write(
        tmp.path(),
        "describe-trails.json",
        r#"{"trailList": [{"Name": 7}]}"#,
    );
    let message = load(tmp.path()).unwrap_err().to_string();
    assert!(message.contains("describe-trails.json"), "{message}");
    assert!(message.contains("trailList[0].Name"), "{message}");
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), GROUPS, r#"{"SecurityGroups": []}"#);
    write(
        tmp.path(),
        "describe-trails.json",
        r#"{"trailList": [{"Name": "t"}]}"#,
    );
    write(
        tmp.path(),
        "get-trail-status/t.json",
        r#"{"IsLogging": "yes"}"#,
    );
    let message = load(tmp.path()).unwrap_err().to_string();
    assert!(message.contains("get-trail-status/t.json"), "{message}");
}
