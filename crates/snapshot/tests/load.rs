//! Loading good snapshot folders: layouts, conversion, and what is reported incomplete.

// Test helpers outside #[test] functions panic on purpose, like the tests.
#![allow(clippy::unwrap_used)]

mod common;

use common::{copy_tree, moto_fixture, write};
use ringfence_model::{
    AclAction, Estate, GroupRef, IcmpSpec, Incomplete, Ipv4Net, PortRange, Position, ResourceKind,
    RouteDestination, RouteTarget, Scope, Source, Traffic,
};
use ringfence_snapshot::{load, parse_file};
use std::fs;
use std::path::Path;

const CASSANDRA_SG: &str = "sg-b986c619422a60287";
const APP_SG: &str = "sg-d8eb01c7c6bc67ee5";
const TWO_ENI_INSTANCE: &str = "i-da2d397b401ceb7a3";
const EXTRA_ENI: &str = "eni-131753f071ebd6658";
const OFFICE_PL: &str = "pl-51cf88b54840f9a96";

fn top_level_len(dir: &Path, file: &str, key: &str) -> usize {
    let text = fs::read_to_string(dir.join(file)).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value[key].as_array().unwrap().len()
}

fn scope(account: Option<&str>, region: &str) -> Scope {
    Scope {
        account: account.map(str::to_string),
        region: region.to_string(),
    }
}

/// What is incomplete, in a fixed order.
fn kinds(incomplete: &[Incomplete]) -> Vec<(ResourceKind, Option<&str>)> {
    let mut kinds: Vec<_> = incomplete
        .iter()
        .map(|i| (i.kind, i.subject.as_deref()))
        .collect();
    kinds.sort();
    kinds
}

fn v4(text: &str) -> Ipv4Net {
    text.parse().unwrap()
}

#[test]
fn moto_snapshot_loads_every_resource_of_every_file() {
    let dir = moto_fixture();
    let estate = load(&dir).unwrap();
    let count = |file, key| top_level_len(&dir, file, key);
    assert_eq!(
        estate.security_groups.len(),
        count("describe-security-groups.json", "SecurityGroups")
    );
    assert_eq!(
        estate.subnets.len(),
        count("describe-subnets.json", "Subnets")
    );
    assert_eq!(estate.vpcs.len(), count("describe-vpcs.json", "Vpcs"));
    assert_eq!(
        estate.route_tables.len(),
        count("describe-route-tables.json", "RouteTables")
    );
    assert_eq!(
        estate.network_acls.len(),
        count("describe-network-acls.json", "NetworkAcls")
    );
    assert_eq!(
        estate.internet_gateways.len(),
        count("describe-internet-gateways.json", "InternetGateways")
    );
    assert_eq!(
        estate.addresses.len(),
        count("describe-addresses.json", "Addresses")
    );
    assert_eq!(
        estate.network_interfaces.len(),
        count("describe-network-interfaces.json", "NetworkInterfaces")
    );
    // One reservation per instance in this fixture.
    assert_eq!(
        estate.instances.len(),
        count("describe-instances.json", "Reservations")
    );
    // Every listed prefix list, plus pl-0000feed that only a rule names.
    assert_eq!(
        estate.prefix_lists.len(),
        count("describe-managed-prefix-lists.json", "PrefixLists") + 1
    );
    assert_eq!(
        estate.scopes,
        vec![scope(Some("123456789012"), "us-east-1")]
    );
}

#[test]
fn every_resource_points_back_at_its_file_and_list_index() {
    let estate = load(&moto_fixture()).unwrap();
    let file_of = |origin: ringfence_model::Origin| {
        estate
            .file(origin.file)
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    for (i, group) in estate.security_groups.iter().enumerate() {
        assert_eq!(file_of(group.origin), "describe-security-groups.json");
        assert_eq!(group.origin.position, Position::Item(i as u32));
    }
    for (i, subnet) in estate.subnets.iter().enumerate() {
        assert_eq!(file_of(subnet.origin), "describe-subnets.json");
        assert_eq!(subnet.origin.position, Position::Item(i as u32));
    }
    for (i, instance) in estate.instances.iter().enumerate() {
        assert_eq!(file_of(instance.origin), "describe-instances.json");
        assert_eq!(instance.origin.position, Position::Item(i as u32));
    }
    let office = estate
        .prefix_lists
        .iter()
        .find(|p| p.id == OFFICE_PL)
        .unwrap();
    assert_eq!(file_of(office.origin), "describe-managed-prefix-lists.json");
    let recorded: Vec<_> = estate
        .files
        .iter()
        .map(|p| p.strip_prefix(moto_fixture()).unwrap().to_path_buf())
        .collect();
    assert!(recorded.contains(&Path::new("describe-vpcs.json").to_path_buf()));
    assert!(
        recorded.contains(
            &Path::new("get-managed-prefix-list-entries").join(format!("{OFFICE_PL}.json"))
        )
    );
}

#[test]
fn flat_folder_with_another_name_takes_region_from_zones_and_account_from_owner_id() {
    // The fixture folder is called `moto`, which is no region.
    let estate = load(&moto_fixture()).unwrap();
    assert_eq!(
        estate.scopes,
        vec![scope(Some("123456789012"), "us-east-1")]
    );
}

#[test]
fn flat_folder_named_like_a_region_is_that_region() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("eu-west-2");
    copy_tree(&moto_fixture(), &dir);
    let estate = load(&dir).unwrap();
    assert_eq!(
        estate.scopes,
        vec![scope(Some("123456789012"), "eu-west-2")]
    );
}

#[test]
fn flat_folder_without_zones_or_owner_is_an_unknown_region_of_no_account() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "describe-security-groups.json",
        r#"{"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "a", "Description": "b"}]}"#,
    );
    let estate = load(tmp.path()).unwrap();
    assert_eq!(estate.scopes, vec![scope(None, "unknown")]);
}

#[test]
fn region_sub_folders_become_one_scope_each() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&moto_fixture(), &tmp.path().join("us-east-1"));
    copy_tree(&moto_fixture(), &tmp.path().join("eu-west-2"));
    let estate = load(tmp.path()).unwrap();
    assert_eq!(
        estate.scopes,
        vec![
            scope(Some("123456789012"), "eu-west-2"),
            scope(Some("123456789012"), "us-east-1"),
        ]
    );
    let single = load(&moto_fixture()).unwrap();
    assert_eq!(
        estate.security_groups.len(),
        2 * single.security_groups.len()
    );
    for group in &estate.security_groups {
        let region = &estate.scope(group.origin.scope).region;
        let file = estate.file(group.origin.file).unwrap();
        assert!(file.starts_with(tmp.path().join(region)), "{file:?}");
    }
    let index = estate.index();
    assert_eq!(
        index.security_groups.len(),
        estate.security_groups.len(),
        "the same id in two regions is two groups"
    );
}

#[test]
fn account_folders_name_the_account_of_their_regions() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(
        &moto_fixture(),
        &tmp.path().join("111122223333").join("us-east-1"),
    );
    copy_tree(
        &moto_fixture(),
        &tmp.path().join("444455556666").join("eu-west-1"),
    );
    let estate = load(tmp.path()).unwrap();
    assert_eq!(
        estate.scopes,
        vec![
            scope(Some("111122223333"), "us-east-1"),
            scope(Some("444455556666"), "eu-west-1"),
        ]
    );
}

#[test]
fn an_account_region_folder_given_directly_keeps_its_account() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("111122223333").join("ap-southeast-2");
    copy_tree(&moto_fixture(), &dir);
    let estate = load(&dir).unwrap();
    assert_eq!(
        estate.scopes,
        vec![scope(Some("111122223333"), "ap-southeast-2")]
    );
}

#[test]
fn an_account_folder_given_directly_names_its_regions_account() {
    let tmp = tempfile::tempdir().unwrap();
    let account = tmp.path().join("111122223333");
    copy_tree(&moto_fixture(), &account.join("us-west-2"));
    let estate = load(&account).unwrap();
    assert_eq!(
        estate.scopes,
        vec![scope(Some("111122223333"), "us-west-2")]
    );
}

#[test]
fn each_source_of_a_permission_becomes_its_own_rule_with_its_own_description() {
    let json = r#"{"SecurityGroups": [{
        "GroupId": "sg-1", "GroupName": "db", "Description": "d", "VpcId": "vpc-1",
        "IpPermissions": [{
            "IpProtocol": "tcp", "FromPort": 9042, "ToPort": 9043,
            "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "world"}, {"CidrIp": "10.0.0.0/8"}],
            "Ipv6Ranges": [{"CidrIpv6": "::/0", "Description": "world v6"}],
            "PrefixListIds": [{"PrefixListId": "pl-1", "Description": "office"}],
            "UserIdGroupPairs": [{"GroupId": "sg-2", "GroupName": "app", "UserId": "111122223333",
                                  "VpcId": "vpc-2", "VpcPeeringConnectionId": "pcx-1",
                                  "PeeringStatus": "active", "Description": "peer"}]
        }],
        "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    }]}"#;
    let estate = parse_file(
        ResourceKind::SecurityGroups,
        json.as_bytes(),
        Path::new("describe-security-groups.json"),
    )
    .unwrap();
    let group = &estate.security_groups[0];
    let tcp = Traffic::Tcp(PortRange::new(9042, 9043).unwrap());
    let got: Vec<_> = group
        .ingress
        .iter()
        .map(|r| (r.traffic, r.source.clone(), r.description.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (tcp, Source::V4(v4("0.0.0.0/0")), Some("world")),
            (tcp, Source::V4(v4("10.0.0.0/8")), None),
            (tcp, Source::V6("::/0".parse().unwrap()), Some("world v6")),
            (tcp, Source::PrefixList("pl-1".into()), Some("office")),
            (
                tcp,
                Source::Group(GroupRef {
                    group_id: Some("sg-2".into()),
                    group_name: Some("app".into()),
                    user_id: Some("111122223333".into()),
                    vpc_id: Some("vpc-2".into()),
                    peering_status: Some("active".into()),
                }),
                Some("peer")
            ),
        ]
    );
    assert_eq!(group.egress.len(), 1);
    assert_eq!(group.egress[0].traffic, Traffic::All);
    assert!(group.ingress.iter().all(|r| r.id.is_none()));
}

#[test]
fn host_bits_in_a_cidr_are_cleared_not_rejected() {
    let json = r#"{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.1/8"}]}]}]}"#;
    let estate = parse_file(
        ResourceKind::SecurityGroups,
        json.as_bytes(),
        Path::new("sg.json"),
    )
    .unwrap();
    assert_eq!(
        estate.security_groups[0].ingress[0].source,
        Source::V4(v4("10.0.0.0/8"))
    );
}

#[test]
fn rule_ids_are_matched_from_describe_security_group_rules() {
    let estate = load(&moto_fixture()).unwrap();
    let group = |id: &str| estate.security_groups.iter().find(|g| g.id == id).unwrap();
    let id_of = |rules: &[ringfence_model::Rule], source: &Source, traffic: Traffic| {
        rules
            .iter()
            .find(|r| &r.source == source && r.traffic == traffic)
            .and_then(|r| r.id.clone())
    };
    let cassandra = group(CASSANDRA_SG);
    let cql = Traffic::Tcp(PortRange::single(9042));
    assert_eq!(
        id_of(&cassandra.ingress, &Source::V4(v4("0.0.0.0/0")), cql).as_deref(),
        Some("sgr-26dcc239592757642")
    );
    assert_eq!(
        id_of(&cassandra.ingress, &Source::V4(v4("10.20.0.0/16")), cql).as_deref(),
        Some("sgr-d0fa34edaf4b1f6e8")
    );
    let from_app = cassandra
        .ingress
        .iter()
        .find(|r| matches!(&r.source, Source::Group(g) if g.group_id.as_deref() == Some(APP_SG)))
        .unwrap();
    assert_eq!(from_app.id.as_deref(), Some("sgr-72ef1ee4ca3757bf4"));
    let ssh_from_office = Source::PrefixList(OFFICE_PL.into());
    assert_eq!(
        id_of(
            &cassandra.ingress,
            &ssh_from_office,
            Traffic::Tcp(PortRange::single(22))
        )
        .as_deref(),
        Some("sgr-c4667b8de1115cd97")
    );
    let ping = Traffic::Icmp(IcmpSpec {
        icmp_type: Some(8),
        code: None,
    });
    assert_eq!(
        id_of(&cassandra.ingress, &Source::V4(v4("0.0.0.0/0")), ping).as_deref(),
        Some("sgr-cc8ecda0a7aa5043d")
    );
    // Egress "-1" with no ports in the group matches "-1" with -1/-1 in the rules file.
    assert_eq!(
        id_of(
            &cassandra.egress,
            &Source::V6("::/0".parse().unwrap()),
            Traffic::All
        )
        .as_deref(),
        Some("sgr-c9b2ff428ed0b44fb")
    );
    let every_rule = estate
        .security_groups
        .iter()
        .flat_map(|g| g.ingress.iter().chain(&g.egress));
    assert!(every_rule.clone().all(|r| r.id.is_some()));
    let mut ids: Vec<_> = every_rule.filter_map(|r| r.id.clone()).collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "no rule id is given to two rules");
}

#[test]
fn without_the_rules_file_rules_have_no_id_and_nothing_is_incomplete() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&moto_fixture(), tmp.path());
    fs::remove_file(tmp.path().join("describe-security-group-rules.json")).unwrap();
    let estate = load(tmp.path()).unwrap();
    assert!(
        estate
            .security_groups
            .iter()
            .flat_map(|g| g.ingress.iter().chain(&g.egress))
            .all(|r| r.id.is_none())
    );
    assert!(
        !estate
            .incomplete
            .iter()
            .any(|i| i.kind == ResourceKind::SecurityGroupRules)
    );
}

#[test]
fn interface_groups_are_kept_even_when_the_instance_lists_none() {
    let estate = load(&moto_fixture()).unwrap();
    let instance = estate
        .instances
        .iter()
        .find(|i| i.id == TWO_ENI_INSTANCE)
        .unwrap();
    assert!(instance.security_groups.is_empty());
    let primary = estate
        .network_interfaces
        .iter()
        .find(|n| n.id == instance.network_interfaces[0])
        .unwrap();
    assert_eq!(primary.groups, vec![APP_SG.to_string()]);
}

#[test]
fn an_instances_interfaces_are_listed_primary_first() {
    let estate = load(&moto_fixture()).unwrap();
    let instance = estate
        .instances
        .iter()
        .find(|i| i.id == TWO_ENI_INSTANCE)
        .unwrap();
    assert_eq!(
        instance.network_interfaces,
        vec!["eni-b7fb4485ed9279af9".to_string(), EXTRA_ENI.to_string()]
    );
}

#[test]
fn interfaces_seen_only_in_describe_instances_are_added_to_the_estate() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&moto_fixture(), tmp.path());
    let file = tmp.path().join("describe-network-interfaces.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    value["NetworkInterfaces"]
        .as_array_mut()
        .unwrap()
        .retain(|n| n["NetworkInterfaceId"] != EXTRA_ENI);
    fs::write(&file, serde_json::to_string_pretty(&value).unwrap()).unwrap();

    let estate = load(tmp.path()).unwrap();
    let extras: Vec<_> = estate
        .network_interfaces
        .iter()
        .filter(|n| n.id == EXTRA_ENI)
        .collect();
    assert_eq!(extras.len(), 1);
    let extra = extras[0];
    assert_eq!(
        extra
            .attachment
            .as_ref()
            .and_then(|a| a.instance_id.as_deref()),
        Some(TWO_ENI_INSTANCE)
    );
    assert_eq!(extra.groups, vec![CASSANDRA_SG.to_string()]);
    assert_eq!(
        extra.public_ipv4s().collect::<Vec<_>>(),
        vec!["198.18.0.10".parse::<std::net::Ipv4Addr>().unwrap()]
    );
    assert_eq!(extra.availability_zone.as_deref(), Some("us-east-1b"));
    let file = estate.file(extra.origin.file).unwrap();
    assert!(file.ends_with("describe-instances.json"));
    let index = estate.index();
    let of_instance = &index.interfaces_of_instance[&(extra.origin.scope, TWO_ENI_INSTANCE)];
    assert_eq!(of_instance.len(), 2);
}

#[test]
fn interfaces_in_both_files_are_taken_once_from_describe_network_interfaces() {
    let estate = load(&moto_fixture()).unwrap();
    let matching: Vec<_> = estate
        .network_interfaces
        .iter()
        .filter(|n| n.id == EXTRA_ENI)
        .collect();
    assert_eq!(matching.len(), 1);
    let file = estate.file(matching[0].origin.file).unwrap();
    assert!(file.ends_with("describe-network-interfaces.json"));
    // The Elastic IP shown only at interface level lands on the primary private address.
    let association = matching[0].private_ips[0].association.as_ref().unwrap();
    assert_eq!(
        association.allocation_id.as_deref(),
        Some("eipalloc-63bdf1e026fae5c45")
    );
}

#[test]
fn without_describe_network_interfaces_every_embedded_interface_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&moto_fixture(), tmp.path());
    fs::remove_file(tmp.path().join("describe-network-interfaces.json")).unwrap();
    let estate = load(tmp.path()).unwrap();
    assert_eq!(estate.network_interfaces.len(), 3);
    assert_eq!(
        kinds(&estate.incomplete),
        vec![
            (ResourceKind::NetworkInterfaces, None),
            (ResourceKind::PrefixListEntries, Some("pl-0000feed")),
        ]
    );
}

#[test]
fn every_missing_file_except_the_rules_file_is_reported_incomplete() {
    let tmp = tempfile::tempdir().unwrap();
    fs::copy(
        moto_fixture().join("describe-security-groups.json"),
        tmp.path().join("describe-security-groups.json"),
    )
    .unwrap();
    let estate = load(tmp.path()).unwrap();
    let mut missing: Vec<ResourceKind> = estate
        .incomplete
        .iter()
        .filter(|i| i.subject.is_none())
        .map(|i| i.kind)
        .collect();
    missing.sort();
    let mut expected = vec![
        ResourceKind::Instances,
        ResourceKind::NetworkInterfaces,
        ResourceKind::Subnets,
        ResourceKind::Vpcs,
        ResourceKind::RouteTables,
        ResourceKind::NetworkAcls,
        ResourceKind::InternetGateways,
        ResourceKind::Addresses,
        ResourceKind::ManagedPrefixLists,
    ];
    expected.sort();
    assert_eq!(missing, expected);
    for incomplete in &estate.incomplete {
        assert_eq!(estate.scope(incomplete.scope).region, "unknown");
        if incomplete.subject.is_none() {
            let file = format!("{}.json is missing", incomplete.kind.command());
            assert!(
                incomplete.reason.starts_with(&file),
                "{}",
                incomplete.reason
            );
        }
    }
    // Both prefix lists the groups name are unknown now.
    let mut lists: Vec<_> = estate
        .incomplete
        .iter()
        .filter(|i| i.kind == ResourceKind::PrefixListEntries)
        .filter_map(|i| i.subject.as_deref())
        .collect();
    lists.sort();
    assert_eq!(lists, vec!["pl-0000feed", OFFICE_PL]);
}

#[test]
fn a_prefix_list_named_by_a_rule_but_without_entries_is_kept_as_unknown() {
    let estate = load(&moto_fixture()).unwrap();
    let list = estate
        .prefix_lists
        .iter()
        .find(|p| p.id == "pl-0000feed")
        .unwrap();
    assert_eq!(list.entries, None);
    let incomplete: Vec<_> = estate
        .incomplete
        .iter()
        .filter(|i| i.subject.as_deref() == Some("pl-0000feed"))
        .collect();
    assert_eq!(incomplete.len(), 1);
    assert_eq!(incomplete[0].kind, ResourceKind::PrefixListEntries);
    assert!(incomplete[0].reason.contains("pl-0000feed"));
}

#[test]
fn a_listed_prefix_list_whose_entries_file_is_missing_is_incomplete() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&moto_fixture(), tmp.path());
    fs::remove_file(
        tmp.path()
            .join("get-managed-prefix-list-entries")
            .join(format!("{OFFICE_PL}.json")),
    )
    .unwrap();
    let estate = load(tmp.path()).unwrap();
    let office = estate
        .prefix_lists
        .iter()
        .find(|p| p.id == OFFICE_PL)
        .unwrap();
    assert_eq!(office.name.as_deref(), Some("office"));
    assert_eq!(office.entries, None);
    assert!(
        kinds(&estate.incomplete).contains(&(ResourceKind::PrefixListEntries, Some(OFFICE_PL)))
    );
}

#[test]
fn an_entries_file_fills_a_prefix_list_that_was_not_listed() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&moto_fixture(), tmp.path());
    fs::remove_file(tmp.path().join("describe-managed-prefix-lists.json")).unwrap();
    let estate = load(tmp.path()).unwrap();
    let office = estate
        .prefix_lists
        .iter()
        .find(|p| p.id == OFFICE_PL)
        .unwrap();
    let entries = office.entries.as_ref().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].cidr, "203.0.113.0/24".parse().unwrap());
    assert_eq!(entries[0].description.as_deref(), Some("hq"));
    assert_eq!(
        kinds(&estate.incomplete),
        vec![
            (ResourceKind::ManagedPrefixLists, None),
            (ResourceKind::PrefixListEntries, Some("pl-0000feed")),
        ]
    );
}

#[test]
fn a_file_with_next_token_holds_one_page_and_is_reported_incomplete() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "describe-security-groups.json",
        r#"{"SecurityGroups": [], "NextToken": "abc"}"#,
    );
    let estate = load(tmp.path()).unwrap();
    let paged: Vec<_> = estate
        .incomplete
        .iter()
        .filter(|i| i.kind == ResourceKind::SecurityGroups)
        .collect();
    assert_eq!(paged.len(), 1);
    assert!(paged[0].reason.contains("NextToken"));
}

#[test]
fn routes_name_their_target_and_blackholes_are_inactive() {
    let json = r#"{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1",
        "Associations": [{"Main": true}, {"SubnetId": "subnet-1", "Main": false}],
        "Routes": [
            {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active"},
            {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active"},
            {"DestinationIpv6CidrBlock": "::/0", "EgressOnlyInternetGatewayId": "eigw-1"},
            {"DestinationPrefixListId": "pl-1", "GatewayId": "vpce-1"},
            {"DestinationCidrBlock": "172.16.0.0/12", "NatGatewayId": "nat-1", "State": "blackhole"},
            {"DestinationCidrBlock": "192.168.0.0/16", "InstanceId": "i-1", "NetworkInterfaceId": "eni-1"},
            {"DestinationCidrBlock": "100.64.0.0/10", "GatewayId": "vgw-1"}
        ]}]}"#;
    let estate = parse_file(
        ResourceKind::RouteTables,
        json.as_bytes(),
        Path::new("rt.json"),
    )
    .unwrap();
    let table = &estate.route_tables[0];
    assert!(table.associations[0].main);
    assert_eq!(table.associations[1].subnet_id.as_deref(), Some("subnet-1"));
    let got: Vec<_> = table
        .routes
        .iter()
        .map(|r| (r.destination.clone(), r.target.clone(), r.active))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                RouteDestination::V4(v4("10.0.0.0/16")),
                RouteTarget::Local,
                true
            ),
            (
                RouteDestination::V4(v4("0.0.0.0/0")),
                RouteTarget::InternetGateway("igw-1".into()),
                true
            ),
            (
                RouteDestination::V6("::/0".parse().unwrap()),
                RouteTarget::EgressOnlyInternetGateway("eigw-1".into()),
                true
            ),
            (
                RouteDestination::PrefixList("pl-1".into()),
                RouteTarget::Other("vpce-1".into()),
                true
            ),
            (
                RouteDestination::V4(v4("172.16.0.0/12")),
                RouteTarget::NatGateway("nat-1".into()),
                false
            ),
            (
                RouteDestination::V4(v4("192.168.0.0/16")),
                RouteTarget::Instance("i-1".into()),
                true
            ),
            (
                RouteDestination::V4(v4("100.64.0.0/10")),
                RouteTarget::VirtualPrivateGateway("vgw-1".into()),
                true
            ),
        ]
    );
}

#[test]
fn network_acl_entries_read_ports_from_port_range_and_icmp_from_type_code() {
    let json = r#"{"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": false,
        "Associations": [{"SubnetId": "subnet-1"}],
        "Entries": [
            {"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": false,
             "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 9042, "To": 9042}},
            {"RuleNumber": 110, "Protocol": "1", "RuleAction": "allow", "Egress": false,
             "CidrBlock": "0.0.0.0/0", "IcmpTypeCode": {"Type": 8, "Code": -1}},
            {"RuleNumber": 120, "Protocol": "-1", "RuleAction": "deny", "Egress": true,
             "Ipv6CidrBlock": "::/0"},
            {"RuleNumber": 32767, "Protocol": "17", "RuleAction": "deny", "Egress": false,
             "CidrBlock": "0.0.0.0/0"}
        ]}]}"#;
    let estate = parse_file(
        ResourceKind::NetworkAcls,
        json.as_bytes(),
        Path::new("acl.json"),
    )
    .unwrap();
    let acl = &estate.network_acls[0];
    assert_eq!(acl.subnet_ids, vec!["subnet-1".to_string()]);
    let got: Vec<_> = acl
        .entries
        .iter()
        .map(|e| (e.rule_number, e.egress, e.action, e.traffic))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                100,
                false,
                AclAction::Allow,
                Traffic::Tcp(PortRange::single(9042))
            ),
            (
                110,
                false,
                AclAction::Allow,
                Traffic::Icmp(IcmpSpec {
                    icmp_type: Some(8),
                    code: None
                })
            ),
            (120, true, AclAction::Deny, Traffic::All),
            (32767, false, AclAction::Deny, Traffic::Udp(PortRange::ALL)),
        ]
    );
    assert_eq!(acl.entries[2].cidr, "::/0".parse().unwrap());
}

#[test]
fn nulls_and_empty_strings_read_as_absent() {
    let json = r#"{"Reservations": [{"OwnerId": "123456789012", "Instances": [{
        "InstanceId": "i-1", "State": {"Name": "stopped"}, "PublicIpAddress": null,
        "PrivateIpAddress": "", "SubnetId": "", "Tags": null, "SecurityGroups": null,
        "NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "Association": {},
            "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.0.5", "Primary": true}]}]
    }]}]}"#;
    let estate = parse_file(
        ResourceKind::Instances,
        json.as_bytes(),
        Path::new("i.json"),
    )
    .unwrap();
    let instance = &estate.instances[0];
    assert_eq!(instance.public_ip, None);
    assert_eq!(instance.private_ip, None);
    assert_eq!(instance.subnet_id, None);
    assert!(instance.tags.0.is_empty());
    assert_eq!(instance.state, ringfence_model::InstanceState::Stopped);
    // The embedded interface is kept (no describe-network-interfaces here), with no public IP.
    assert_eq!(estate.network_interfaces.len(), 1);
    assert_eq!(estate.network_interfaces[0].public_ipv4s().count(), 0);
    assert_eq!(instance.network_interfaces, vec!["eni-1".to_string()]);
}

#[test]
fn estates_of_separate_loads_merge_without_mixing_scopes() {
    let mut estate = Estate::default();
    estate.merge(load(&moto_fixture()).unwrap());
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("eu-west-1");
    copy_tree(&moto_fixture(), &dir);
    estate.merge(load(&dir).unwrap());
    assert_eq!(estate.scopes.len(), 2);
    let last = estate.security_groups.last().unwrap();
    assert_eq!(estate.scope(last.origin.scope).region, "eu-west-1");
    assert!(estate.file(last.origin.file).unwrap().starts_with(&dir));
}

#[test]
fn the_account_comes_from_instances_before_groups_and_never_from_prefix_lists() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "describe-managed-prefix-lists.json",
        r#"{"PrefixLists": [{"PrefixListId": "pl-1", "OwnerId": "999999999999"}]}"#,
    );
    write(
        tmp.path(),
        "describe-security-groups.json",
        r#"{"SecurityGroups": [{"GroupId": "sg-1", "OwnerId": "111111111111"}]}"#,
    );
    let estate = load(tmp.path()).unwrap();
    assert_eq!(
        estate.scopes[0].account.as_deref(),
        Some("111111111111"),
        "groups name the account when there are no instances"
    );
    write(
        tmp.path(),
        "describe-instances.json",
        r#"{"Reservations": [{"OwnerId": "222222222222", "Instances": []}]}"#,
    );
    let estate = load(tmp.path()).unwrap();
    assert_eq!(estate.scopes[0].account.as_deref(), Some("222222222222"));
}

/// The audit-trail files are optional: absent, they are `unread` (not `incomplete`, which
/// would fail every exposure-only scan); present, each status lands on its trail or
/// recorder, and a trail whose status file is missing stays unknown.
#[test]
fn audit_trail_files_are_optional_and_statuses_meet_their_trails() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("us-east-1");
    write(
        &dir,
        "describe-security-groups.json",
        r#"{"SecurityGroups": []}"#,
    );
    let estate = load(tmp.path()).unwrap();
    assert!(!estate.incomplete.iter().any(|i| i.kind.is_optional_audit()));
    assert_eq!(
        kinds(&estate.unread),
        [
            (ResourceKind::FlowLogs, None),
            (ResourceKind::Trails, None),
            (ResourceKind::ConfigRecorders, None),
            (ResourceKind::ConfigRecorderStatus, None),
        ]
    );

    write(
        &dir,
        "describe-flow-logs.json",
        r#"{"FlowLogs": [{"FlowLogId": "fl-1", "ResourceId": "vpc-1", "FlowLogStatus": "ACTIVE", "DeliverLogsStatus": "FAILED"}]}"#,
    );
    write(
        &dir,
        "describe-trails.json",
        r#"{"trailList": [{"Name": "a", "IsMultiRegionTrail": true}, {"Name": "b"}]}"#,
    );
    write(&dir, "get-trail-status/a.json", r#"{"IsLogging": true}"#);
    write(
        &dir,
        "describe-configuration-recorders.json",
        r#"{"ConfigurationRecorders": [{"name": "default", "recordingGroup": {"allSupported": true}}, {"name": "never-started"}]}"#,
    );
    write(
        &dir,
        "describe-configuration-recorder-status.json",
        r#"{"ConfigurationRecordersStatus": [{"name": "default", "recording": true, "lastStatus": "SUCCESS"}]}"#,
    );
    let estate = load(tmp.path()).unwrap();
    assert_eq!(
        kinds(&estate.unread),
        [(ResourceKind::TrailStatus, Some("b"))]
    );
    assert!(!estate.flow_logs[0].is_active(), "delivery fails");
    let trails: Vec<_> = estate
        .trails
        .iter()
        .map(|t| (t.name.as_str(), t.is_multi_region, t.is_logging))
        .collect();
    assert_eq!(trails, [("a", true, Some(true)), ("b", false, None)]);
    let recorders: Vec<_> = estate
        .config_recorders
        .iter()
        .map(|r| (r.name.as_str(), r.all_supported, r.recording))
        .collect();
    assert_eq!(
        recorders,
        [
            ("default", true, Some(true)),
            ("never-started", false, Some(false))
        ]
    );
}
