//! Subnets, VPCs, route tables, network ACLs, internet gateways, Elastic IPs and managed
//! prefix lists: what decides whether a path from the internet exists.

use super::{Builder, Owner, opt, origin, tags};
use crate::aws_json::{self, CidrState, RuleAction};
use crate::error::{Place, SnapshotError, parse_json};
use ringfence_model::{
    AclAction, AclEntry, Address, InternetGateway, IpNet, NetworkAcl, Origin, Position, PrefixList,
    PrefixListEntry, ResourceKind, Route, RouteDestination, RouteTable, RouteTableAssociation,
    RouteTarget, Subnet, Tags, Traffic, Vpc,
};
use std::path::Path;

/// CIDR associations on their way out (or that never arrived) carry no traffic.
fn is_live(state: Option<&CidrState>) -> bool {
    let state = state.and_then(|s| s.state.as_deref()).unwrap_or("");
    !matches!(
        state,
        "disassociating" | "disassociated" | "failing" | "failed"
    )
}

pub(super) fn subnets(b: &mut Builder, bytes: &[u8], path: &Path) -> Result<(), SnapshotError> {
    const KIND: ResourceKind = ResourceKind::Subnets;
    let file: aws_json::SubnetsFile = parse_json(bytes, path, KIND)?;
    let file_id = b.file(path);
    b.note_next_token(KIND, None, file.next_token.as_ref());
    for (i, raw) in file.subnets.into_iter().enumerate() {
        b.note_owner(Owner::Shareable, raw.owner_id.as_ref());
        b.note_zone(raw.availability_zone.as_deref());
        b.estate.subnets.push(Subnet {
            id: raw.subnet_id.own(),
            vpc_id: raw.vpc_id.own(),
            owner_id: opt(raw.owner_id),
            availability_zone: opt(raw.availability_zone),
            cidr_v4: raw.cidr_block.map(|c| c.0),
            cidrs_v6: raw
                .ipv6_cidr_block_association_set
                .into_iter()
                .filter(|a| is_live(a.ipv6_cidr_block_state.as_ref()))
                .filter_map(|a| a.ipv6_cidr_block.map(|c| c.0))
                .collect(),
            map_public_ip_on_launch: raw.map_public_ip_on_launch.unwrap_or(false),
            tags: tags(raw.tags),
            origin: origin(file_id, i),
        });
    }
    Ok(())
}

pub(super) fn vpcs(b: &mut Builder, bytes: &[u8], path: &Path) -> Result<(), SnapshotError> {
    const KIND: ResourceKind = ResourceKind::Vpcs;
    let file: aws_json::VpcsFile = parse_json(bytes, path, KIND)?;
    let file_id = b.file(path);
    b.note_next_token(KIND, None, file.next_token.as_ref());
    for (i, raw) in file.vpcs.into_iter().enumerate() {
        b.note_owner(Owner::Shareable, raw.owner_id.as_ref());
        let mut cidrs_v4: Vec<_> = raw.cidr_block.map(|c| c.0).into_iter().collect();
        for association in &raw.cidr_block_association_set {
            if let Some(cidr) = association.cidr_block
                && is_live(association.cidr_block_state.as_ref())
                && !cidrs_v4.contains(&cidr.0)
            {
                cidrs_v4.push(cidr.0);
            }
        }
        b.estate.vpcs.push(Vpc {
            id: raw.vpc_id.own(),
            owner_id: opt(raw.owner_id),
            cidrs_v4,
            cidrs_v6: raw
                .ipv6_cidr_block_association_set
                .into_iter()
                .filter(|a| is_live(a.ipv6_cidr_block_state.as_ref()))
                .filter_map(|a| a.ipv6_cidr_block.map(|c| c.0))
                .collect(),
            is_default: raw.is_default.unwrap_or(false),
            tags: tags(raw.tags),
            origin: origin(file_id, i),
        });
    }
    Ok(())
}

pub(super) fn route_tables(
    b: &mut Builder,
    bytes: &[u8],
    path: &Path,
) -> Result<(), SnapshotError> {
    const KIND: ResourceKind = ResourceKind::RouteTables;
    let file: aws_json::RouteTablesFile = parse_json(bytes, path, KIND)?;
    let file_id = b.file(path);
    b.note_next_token(KIND, None, file.next_token.as_ref());
    for (i, raw) in file.route_tables.into_iter().enumerate() {
        b.note_owner(Owner::Shareable, raw.owner_id.as_ref());
        let mut routes = Vec::with_capacity(raw.routes.len());
        for (j, mut route) in raw.routes.into_iter().enumerate() {
            let place = || Place::path(format!("RouteTables[{i}].Routes[{j}]"));
            let destination = if let Some(cidr) = route.destination_cidr_block {
                RouteDestination::V4(cidr.0)
            } else if let Some(cidr) = route.destination_ipv6_cidr_block {
                RouteDestination::V6(cidr.0)
            } else if let Some(list) = opt(route.destination_prefix_list_id.take()) {
                RouteDestination::PrefixList(list)
            } else {
                return Err(SnapshotError::invalid(
                    path,
                    place(),
                    "a route needs DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId",
                ));
            };
            let active = route.state.as_deref() != Some("blackhole");
            routes.push(Route {
                destination,
                target: target(route),
                active,
            });
        }
        b.estate.route_tables.push(RouteTable {
            id: raw.route_table_id.own(),
            vpc_id: raw.vpc_id.own(),
            owner_id: opt(raw.owner_id),
            associations: raw
                .associations
                .into_iter()
                .map(|a| RouteTableAssociation {
                    subnet_id: opt(a.subnet_id),
                    gateway_id: opt(a.gateway_id),
                    main: a.main.unwrap_or(false),
                })
                .collect(),
            routes,
            tags: tags(raw.tags),
            origin: origin(file_id, i),
        });
    }
    Ok(())
}

fn target(route: aws_json::Route) -> RouteTarget {
    if let Some(gateway) = opt(route.gateway_id) {
        return if gateway == "local" {
            RouteTarget::Local
        } else if gateway.starts_with("igw-") {
            RouteTarget::InternetGateway(gateway)
        } else if gateway.starts_with("vgw-") {
            RouteTarget::VirtualPrivateGateway(gateway)
        } else if gateway.starts_with("eigw-") {
            RouteTarget::EgressOnlyInternetGateway(gateway)
        } else {
            RouteTarget::Other(gateway)
        };
    }
    let targets = [
        (
            route.egress_only_internet_gateway_id,
            RouteTarget::EgressOnlyInternetGateway as fn(String) -> RouteTarget,
        ),
        (route.nat_gateway_id, RouteTarget::NatGateway),
        (route.transit_gateway_id, RouteTarget::TransitGateway),
        (route.vpc_peering_connection_id, RouteTarget::VpcPeering),
        // AWS prints both for a route through an instance; the instance is what was named.
        (route.instance_id, RouteTarget::Instance),
        (route.network_interface_id, RouteTarget::NetworkInterface),
        (route.carrier_gateway_id, RouteTarget::Other),
        (route.local_gateway_id, RouteTarget::Other),
        (route.core_network_arn, RouteTarget::Other),
    ];
    targets
        .into_iter()
        .find_map(|(id, make)| opt(id).map(make))
        .unwrap_or_else(|| RouteTarget::Other("unknown".to_string()))
}

pub(super) fn network_acls(
    b: &mut Builder,
    bytes: &[u8],
    path: &Path,
) -> Result<(), SnapshotError> {
    const KIND: ResourceKind = ResourceKind::NetworkAcls;
    let file: aws_json::NetworkAclsFile = parse_json(bytes, path, KIND)?;
    let file_id = b.file(path);
    b.note_next_token(KIND, None, file.next_token.as_ref());
    for (i, raw) in file.network_acls.into_iter().enumerate() {
        b.note_owner(Owner::Shareable, raw.owner_id.as_ref());
        let mut entries = Vec::with_capacity(raw.entries.len());
        for (j, entry) in raw.entries.into_iter().enumerate() {
            let place = || Place::path(format!("NetworkAcls[{i}].Entries[{j}]"));
            let traffic = acl_traffic(&entry)
                .map_err(|error| SnapshotError::invalid(path, place(), error.to_string()))?;
            let cidr = if let Some(cidr) = entry.cidr_block {
                IpNet::V4(cidr.0)
            } else if let Some(cidr) = entry.ipv6_cidr_block {
                IpNet::V6(cidr.0)
            } else {
                return Err(SnapshotError::invalid(
                    path,
                    place(),
                    "a network ACL entry needs CidrBlock or Ipv6CidrBlock",
                ));
            };
            entries.push(AclEntry {
                rule_number: entry.rule_number,
                egress: entry.egress,
                action: match entry.rule_action {
                    RuleAction::Allow => AclAction::Allow,
                    RuleAction::Deny => AclAction::Deny,
                },
                traffic,
                cidr,
            });
        }
        b.estate.network_acls.push(NetworkAcl {
            id: raw.network_acl_id.own(),
            vpc_id: raw.vpc_id.own(),
            owner_id: opt(raw.owner_id),
            is_default: raw.is_default.unwrap_or(false),
            entries,
            subnet_ids: raw
                .associations
                .into_iter()
                .filter_map(|a| opt(a.subnet_id))
                .collect(),
            tags: tags(raw.tags),
            origin: origin(file_id, i),
        });
    }
    Ok(())
}

/// ICMP entries carry type and code in `IcmpTypeCode`, the rest ports in `PortRange`;
/// both map onto the same `FromPort`/`ToPort` convention as security groups.
fn acl_traffic(entry: &aws_json::AclEntry) -> Result<Traffic, ringfence_model::TrafficError> {
    let protocol = entry.protocol.trim();
    let is_icmp = ["1", "58", "icmp", "icmpv6"]
        .iter()
        .any(|name| protocol.eq_ignore_ascii_case(name));
    let (from, to) = if is_icmp {
        entry
            .icmp_type_code
            .as_ref()
            .map_or((None, None), |c| (c.icmp_type, c.code))
    } else {
        entry
            .port_range
            .as_ref()
            .map_or((None, None), |p| (p.from, p.to))
    };
    Traffic::from_aws(protocol, from, to)
}

pub(super) fn internet_gateways(
    b: &mut Builder,
    bytes: &[u8],
    path: &Path,
) -> Result<(), SnapshotError> {
    const KIND: ResourceKind = ResourceKind::InternetGateways;
    let file: aws_json::InternetGatewaysFile = parse_json(bytes, path, KIND)?;
    let file_id = b.file(path);
    b.note_next_token(KIND, None, file.next_token.as_ref());
    for (i, raw) in file.internet_gateways.into_iter().enumerate() {
        b.note_owner(Owner::Shareable, raw.owner_id.as_ref());
        b.estate.internet_gateways.push(InternetGateway {
            id: raw.internet_gateway_id.own(),
            owner_id: opt(raw.owner_id),
            vpc_ids: raw
                .attachments
                .into_iter()
                .filter(|a| a.state.as_deref() != Some("detached"))
                .filter_map(|a| opt(a.vpc_id))
                .collect(),
            tags: tags(raw.tags),
            origin: origin(file_id, i),
        });
    }
    Ok(())
}

pub(super) fn addresses(b: &mut Builder, bytes: &[u8], path: &Path) -> Result<(), SnapshotError> {
    const KIND: ResourceKind = ResourceKind::Addresses;
    let file: aws_json::AddressesFile = parse_json(bytes, path, KIND)?;
    let file_id = b.file(path);
    b.note_next_token(KIND, None, file.next_token.as_ref());
    for (i, raw) in file.addresses.into_iter().enumerate() {
        // Carrier IPs (Wavelength) have no PublicIp and are not reachable from the internet.
        let Some(public_ip) = raw.public_ip.0 else {
            continue;
        };
        b.estate.addresses.push(Address {
            public_ip,
            allocation_id: opt(raw.allocation_id),
            association_id: opt(raw.association_id),
            instance_id: opt(raw.instance_id),
            network_interface_id: opt(raw.network_interface_id),
            private_ip: raw.private_ip_address.0,
            tags: tags(raw.tags),
            origin: origin(file_id, i),
        });
    }
    Ok(())
}

pub(super) fn prefix_lists(
    b: &mut Builder,
    bytes: &[u8],
    path: &Path,
) -> Result<(), SnapshotError> {
    const KIND: ResourceKind = ResourceKind::ManagedPrefixLists;
    let file: aws_json::PrefixListsFile = parse_json(bytes, path, KIND)?;
    let file_id = b.file(path);
    b.note_next_token(KIND, None, file.next_token.as_ref());
    for (i, raw) in file.prefix_lists.into_iter().enumerate() {
        b.estate.prefix_lists.push(PrefixList {
            id: raw.prefix_list_id.own(),
            name: opt(raw.prefix_list_name),
            owner_id: opt(raw.owner_id),
            address_family: opt(raw.address_family),
            entries: None,
            tags: tags(raw.tags),
            origin: origin(file_id, i),
        });
    }
    Ok(())
}

/// Fills in the entries of prefix list `id`, adding the list when only rules named it.
pub(super) fn prefix_list_entries(
    b: &mut Builder,
    id: &str,
    bytes: &[u8],
    path: &Path,
) -> Result<(), SnapshotError> {
    const KIND: ResourceKind = ResourceKind::PrefixListEntries;
    let file: aws_json::PrefixListEntriesFile = parse_json(bytes, path, KIND)?;
    let file_id = b.file(path);
    b.note_next_token(KIND, Some(id), file.next_token.as_ref());
    let entries: Vec<PrefixListEntry> = file
        .entries
        .into_iter()
        .map(|entry| PrefixListEntry {
            cidr: entry.cidr.0,
            description: opt(entry.description),
        })
        .collect();
    match b.estate.prefix_lists.iter_mut().find(|list| list.id == id) {
        Some(list) => list.entries = Some(entries),
        None => b.estate.prefix_lists.push(PrefixList {
            id: id.to_string(),
            name: None,
            owner_id: None,
            address_family: None,
            entries: Some(entries),
            tags: Tags::default(),
            origin: Origin::new(super::SCOPE, file_id, Position::Unknown),
        }),
    }
    Ok(())
}
