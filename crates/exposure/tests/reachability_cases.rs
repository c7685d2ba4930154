//! The network path, one literal estate per edge case: who gets through, and if nobody,
//! the reason code.
#![allow(clippy::unwrap_used)]

use ringfence_exposure::addr::{V4Set, V6Set, v4_range};
use ringfence_exposure::{Endpoint, Network, Reach, Reason, Transport, Verdict, verdict};
use ringfence_model::*;
use std::net::{Ipv4Addr, Ipv6Addr};

const VPC: &str = "vpc-a";
const SUBNET: &str = "subnet-a";

fn origin() -> Origin {
    Origin::default()
}

fn route(destination: &str, target: RouteTarget) -> Route {
    let destination = if destination.starts_with("pl-") {
        RouteDestination::PrefixList(destination.into())
    } else if destination.contains(':') {
        RouteDestination::V6(destination.parse().unwrap())
    } else {
        RouteDestination::V4(destination.parse().unwrap())
    };
    Route {
        destination,
        target,
        active: true,
    }
}

fn igw(id: &str) -> RouteTarget {
    RouteTarget::InternetGateway(id.into())
}

fn acl_entry(
    rule_number: u32,
    egress: bool,
    allow: bool,
    traffic: Traffic,
    cidr: &str,
) -> AclEntry {
    AclEntry {
        rule_number,
        egress,
        action: if allow {
            AclAction::Allow
        } else {
            AclAction::Deny
        },
        traffic,
        cidr: cidr.parse().unwrap(),
    }
}

fn allow_all() -> Vec<AclEntry> {
    vec![
        acl_entry(100, false, true, Traffic::All, "0.0.0.0/0"),
        acl_entry(101, false, true, Traffic::All, "::/0"),
        acl_entry(100, true, true, Traffic::All, "0.0.0.0/0"),
        acl_entry(101, true, true, Traffic::All, "::/0"),
    ]
}

/// A VPC with an attached internet gateway, one subnet explicitly associated with a
/// public route table, a default ACL that allows everything, and an instance whose
/// primary interface has a public IPv4 and an IPv6 address.
fn public_estate() -> Estate {
    let mut e = Estate::default();
    e.scope_id(Scope {
        account: None,
        region: "us-east-1".into(),
    });
    e.vpcs.push(Vpc {
        id: VPC.into(),
        owner_id: None,
        cidrs_v4: vec!["10.0.0.0/16".parse().unwrap()],
        cidrs_v6: vec!["2600:1f18:1::/56".parse().unwrap()],
        is_default: false,
        tags: Tags::default(),
        origin: origin(),
    });
    e.subnets.push(Subnet {
        id: SUBNET.into(),
        vpc_id: VPC.into(),
        owner_id: None,
        availability_zone: None,
        cidr_v4: Some("10.0.1.0/24".parse().unwrap()),
        cidrs_v6: vec![],
        map_public_ip_on_launch: false,
        tags: Tags::default(),
        origin: origin(),
    });
    e.internet_gateways.push(InternetGateway {
        id: "igw-a".into(),
        owner_id: None,
        vpc_ids: vec![VPC.into()],
        tags: Tags::default(),
        origin: origin(),
    });
    e.route_tables.push(RouteTable {
        id: "rtb-main".into(),
        vpc_id: VPC.into(),
        owner_id: None,
        associations: vec![RouteTableAssociation {
            subnet_id: None,
            gateway_id: None,
            main: true,
        }],
        routes: vec![route("10.0.0.0/16", RouteTarget::Local)],
        tags: Tags::default(),
        origin: origin(),
    });
    e.route_tables.push(RouteTable {
        id: "rtb-public".into(),
        vpc_id: VPC.into(),
        owner_id: None,
        associations: vec![RouteTableAssociation {
            subnet_id: Some(SUBNET.into()),
            gateway_id: None,
            main: false,
        }],
        routes: vec![
            route("10.0.0.0/16", RouteTarget::Local),
            route("0.0.0.0/0", igw("igw-a")),
            route("::/0", igw("igw-a")),
        ],
        tags: Tags::default(),
        origin: origin(),
    });
    e.network_acls.push(NetworkAcl {
        id: "acl-default".into(),
        vpc_id: VPC.into(),
        owner_id: None,
        is_default: true,
        entries: allow_all(),
        subnet_ids: vec![],
        tags: Tags::default(),
        origin: origin(),
    });
    e.instances.push(Instance {
        id: "i-a".into(),
        owner_id: None,
        state: InstanceState::Running,
        instance_type: None,
        vpc_id: Some(VPC.into()),
        subnet_id: Some(SUBNET.into()),
        private_ip: None,
        public_ip: None,
        security_groups: vec![],
        network_interfaces: vec!["eni-a".into()],
        tags: Tags::default(),
        origin: origin(),
    });
    e.network_interfaces.push(interface(
        "eni-a",
        0,
        Some("54.1.2.3"),
        Some("2600:1f18:1:1::10"),
    ));
    e
}

fn interface(id: &str, device: u32, public: Option<&str>, ipv6: Option<&str>) -> NetworkInterface {
    NetworkInterface {
        id: id.into(),
        subnet_id: Some(SUBNET.into()),
        vpc_id: Some(VPC.into()),
        owner_id: None,
        availability_zone: None,
        interface_type: None,
        status: None,
        description: None,
        groups: vec![],
        private_ips: vec![PrivateIp {
            address: Some(Ipv4Addr::new(10, 0, 1, 10 + device as u8)),
            primary: true,
            association: public.map(|ip| Association {
                public_ip: ip.parse().unwrap(),
                allocation_id: None,
                association_id: None,
                ip_owner_id: Some("amazon".into()),
            }),
        }],
        ipv6_addresses: ipv6
            .iter()
            .map(|ip| ip.parse::<Ipv6Addr>().unwrap())
            .collect(),
        attachment: Some(Attachment {
            instance_id: Some("i-a".into()),
            device_index: Some(device),
            status: None,
        }),
        tags: Tags::default(),
        origin: origin(),
    }
}

fn world_v4() -> Reach {
    Reach {
        v4: V4Set::full(),
        v6: V6Set::new(),
    }
    .public()
}

fn world_v6() -> Reach {
    Reach {
        v4: V4Set::new(),
        v6: V6Set::full(),
    }
    .public()
}

fn judge_on(e: &Estate, eni: usize, sources: &Reach) -> Verdict {
    let net = Network::of(e);
    let endpoint = Endpoint {
        interface: Some(&e.network_interfaces[eni]),
        instance: Some(&e.instances[0]),
    };
    verdict(
        &net,
        endpoint,
        Transport::Tcp,
        PortRange::single(9042),
        sources,
    )
}

fn judge(e: &Estate, sources: &Reach) -> Verdict {
    judge_on(e, 0, sources)
}

fn reason(v: &Verdict) -> Option<Reason> {
    v.reason()
}

#[test]
fn public_address_igw_route_and_open_acl_is_reachable_with_the_whole_path() {
    let v = judge(&public_estate(), &world_v4());
    let Verdict::Reachable { path, narrowed, .. } = v else {
        panic!("{v:?}")
    };
    assert!(!narrowed);
    let kinds: Vec<_> = path.iter().map(|h| h.kind).collect();
    assert_eq!(
        kinds,
        [
            "internet-gateway",
            "route",
            "network-acl-inbound",
            "network-acl-outbound",
            "network-interface",
            "instance"
        ]
    );
}

#[test]
fn no_public_ipv4_is_latent() {
    let mut e = public_estate();
    e.network_interfaces[0].private_ips[0].association = None;
    assert_eq!(
        reason(&judge(&e, &world_v4())),
        Some(Reason::NoPublicAddress)
    );
    assert!(matches!(judge(&e, &world_v4()), Verdict::Latent { .. }));
}

#[test]
fn a_loopback_elastic_ip_is_not_a_public_address() {
    let mut e = public_estate();
    e.network_interfaces[0].private_ips[0]
        .association
        .as_mut()
        .unwrap()
        .public_ip = Ipv4Addr::new(127, 0, 0, 5);
    assert_eq!(
        reason(&judge(&e, &world_v4())),
        Some(Reason::NoPublicAddress)
    );
}

#[test]
fn an_elastic_ip_known_only_from_describe_addresses_counts() {
    let mut e = public_estate();
    e.network_interfaces[0].private_ips[0].association = None;
    e.addresses.push(Address {
        public_ip: Ipv4Addr::new(54, 9, 9, 9),
        allocation_id: Some("eipalloc-1".into()),
        association_id: Some("eipassoc-1".into()),
        instance_id: None,
        network_interface_id: Some("eni-a".into()),
        private_ip: None,
        tags: Tags::default(),
        origin: origin(),
    });
    assert!(matches!(judge(&e, &world_v4()), Verdict::Reachable { .. }));
}

#[test]
fn an_elastic_ip_on_a_secondary_interface_reaches_that_interface_only() {
    let mut e = public_estate();
    e.network_interfaces[0].private_ips[0].association = None;
    e.network_interfaces
        .push(interface("eni-b", 1, Some("54.4.4.4"), None));
    assert_eq!(
        reason(&judge_on(&e, 0, &world_v4())),
        Some(Reason::NoPublicAddress)
    );
    let Verdict::Reachable { path, .. } = judge_on(&e, 1, &world_v4()) else {
        panic!()
    };
    assert!(
        path.iter()
            .any(|h| h.kind == "network-interface" && h.id == "eni-b")
    );
}

#[test]
fn the_instance_public_ip_belongs_to_the_primary_interface_only() {
    let mut e = public_estate();
    e.network_interfaces[0].private_ips[0].association = None;
    e.instances[0].public_ip = Some(Ipv4Addr::new(54, 7, 7, 7));
    e.network_interfaces.push(interface("eni-b", 1, None, None));
    assert!(matches!(
        judge_on(&e, 0, &world_v4()),
        Verdict::Reachable { .. }
    ));
    assert_eq!(
        reason(&judge_on(&e, 1, &world_v4())),
        Some(Reason::NoPublicAddress)
    );
}

#[test]
fn the_main_table_is_the_one_of_the_subnets_own_vpc() {
    let mut e = public_estate();
    // The subnet loses its explicit association: its VPC's main table has no igw route...
    e.route_tables[1].associations.clear();
    // ...while another VPC's main table does.
    e.route_tables.push(RouteTable {
        id: "rtb-other-main".into(),
        vpc_id: "vpc-other".into(),
        owner_id: None,
        associations: vec![RouteTableAssociation {
            subnet_id: None,
            gateway_id: None,
            main: true,
        }],
        routes: vec![route("0.0.0.0/0", igw("igw-other"))],
        tags: Tags::default(),
        origin: origin(),
    });
    let v = judge(&e, &world_v4());
    assert_eq!(reason(&v), Some(Reason::NoIgwRoute), "{v:?}");
    // The same subnet on a main table that does route to the igw is reachable.
    e.route_tables[0]
        .routes
        .push(route("0.0.0.0/0", igw("igw-a")));
    assert!(matches!(judge(&e, &world_v4()), Verdict::Reachable { .. }));
}

#[test]
fn nat_transit_peering_and_blackhole_routes_do_not_admit_the_internet() {
    for target in [
        RouteTarget::NatGateway("nat-1".into()),
        RouteTarget::TransitGateway("tgw-1".into()),
        RouteTarget::VpcPeering("pcx-1".into()),
        RouteTarget::VirtualPrivateGateway("vgw-1".into()),
    ] {
        let mut e = public_estate();
        e.route_tables[1].routes[1].target = target.clone();
        assert_eq!(
            reason(&judge(&e, &world_v4())),
            Some(Reason::NoIgwRoute),
            "{target:?}"
        );
    }
    let mut e = public_estate();
    e.route_tables[1].routes[1].active = false;
    assert_eq!(reason(&judge(&e, &world_v4())), Some(Reason::NoIgwRoute));
}

#[test]
fn a_gateway_not_attached_to_the_vpc_carries_nothing() {
    let mut e = public_estate();
    e.internet_gateways[0].vpc_ids.clear();
    assert_eq!(reason(&judge(&e, &world_v4())), Some(Reason::NoIgwRoute));
}

#[test]
fn a_more_specific_route_elsewhere_narrows_the_reachable_sources() {
    let mut e = public_estate();
    e.route_tables[1]
        .routes
        .push(route("0.0.0.0/1", RouteTarget::NatGateway("nat-1".into())));
    let Verdict::Reachable {
        sources, narrowed, ..
    } = judge(&e, &world_v4())
    else {
        panic!()
    };
    assert!(narrowed);
    let (lo, hi) = v4_range(&"0.0.0.0/1".parse().unwrap());
    assert!(!sources.v4.intersects(&V4Set::from_range(lo, hi)));
    assert!(sources.v4.contains(u32::from(Ipv4Addr::new(200, 1, 1, 1))));
}

#[test]
fn a_prefix_list_route_to_the_gateway_counts_by_its_entries() {
    let mut e = public_estate();
    e.route_tables[1].routes[1] = route("pl-1", igw("igw-a"));
    e.prefix_lists.push(PrefixList {
        id: "pl-1".into(),
        name: None,
        owner_id: None,
        address_family: None,
        entries: Some(vec![
            PrefixListEntry {
                cidr: "203.0.113.0/24".parse().unwrap(),
                description: None,
            },
            PrefixListEntry {
                cidr: "54.0.0.0/8".parse().unwrap(),
                description: None,
            },
        ]),
        tags: Tags::default(),
        origin: origin(),
    });
    let Verdict::Reachable {
        sources, narrowed, ..
    } = judge(&e, &world_v4())
    else {
        panic!()
    };
    assert!(narrowed);
    let (lo, hi) = v4_range(&"54.0.0.0/8".parse().unwrap());
    assert_eq!(sources.v4, V4Set::from_range(lo, hi));
}

#[test]
fn an_acl_deny_before_an_allow_blocks_the_request() {
    let mut e = public_estate();
    e.network_acls[0].entries.push(acl_entry(
        90,
        false,
        false,
        Traffic::Tcp(PortRange::single(9042)),
        "0.0.0.0/0",
    ));
    let v = judge(&e, &world_v4());
    assert!(
        matches!(
            v,
            Verdict::Blocked {
                reason: Reason::NaclInboundDeny,
                ..
            }
        ),
        "{v:?}"
    );
    // A deny numbered after the allow changes nothing.
    let mut e = public_estate();
    e.network_acls[0].entries.push(acl_entry(
        110,
        false,
        false,
        Traffic::Tcp(PortRange::single(9042)),
        "0.0.0.0/0",
    ));
    assert!(matches!(judge(&e, &world_v4()), Verdict::Reachable { .. }));
}

#[test]
fn an_acl_that_denies_part_of_the_sources_narrows_them() {
    let mut e = public_estate();
    e.network_acls[0]
        .entries
        .push(acl_entry(90, false, false, Traffic::All, "0.0.0.0/1"));
    let Verdict::Reachable {
        sources, narrowed, ..
    } = judge(&e, &world_v4())
    else {
        panic!()
    };
    assert!(narrowed);
    assert!(!sources.v4.contains(u32::from(Ipv4Addr::new(8, 8, 8, 8))));
    assert!(sources.v4.contains(u32::from(Ipv4Addr::new(200, 8, 8, 8))));
}

#[test]
fn an_acl_that_admits_the_request_but_not_the_reply_blocks_it() {
    let mut e = public_estate();
    e.network_acls[0].entries.retain(|entry| !entry.egress);
    e.network_acls[0].entries.push(acl_entry(
        100,
        true,
        true,
        Traffic::Tcp(PortRange::single(443)),
        "0.0.0.0/0",
    ));
    let v = judge(&e, &world_v4());
    assert!(
        matches!(
            v,
            Verdict::Blocked {
                reason: Reason::NaclReturnDeny,
                ..
            }
        ),
        "{v:?}"
    );
}

#[test]
fn replies_on_some_ephemeral_ports_are_enough() {
    let mut e = public_estate();
    e.network_acls[0].entries.retain(|entry| !entry.egress);
    e.network_acls[0].entries.push(acl_entry(
        100,
        true,
        true,
        Traffic::Tcp(PortRange::new(32768, 65535).unwrap()),
        "0.0.0.0/0",
    ));
    assert!(matches!(judge(&e, &world_v4()), Verdict::Reachable { .. }));
}

#[test]
fn an_explicit_acl_association_wins_over_the_default_acl() {
    let mut e = public_estate();
    e.network_acls.push(NetworkAcl {
        id: "acl-custom".into(),
        vpc_id: VPC.into(),
        owner_id: None,
        is_default: false,
        entries: vec![],
        subnet_ids: vec![SUBNET.into()],
        tags: Tags::default(),
        origin: origin(),
    });
    let v = judge(&e, &world_v4());
    assert!(
        matches!(
            v,
            Verdict::Blocked {
                reason: Reason::NaclInboundDeny,
                ..
            }
        ),
        "only the * deny: {v:?}"
    );
}

#[test]
fn ipv4_and_ipv6_acl_entries_are_apart() {
    let mut e = public_estate();
    e.network_acls[0]
        .entries
        .retain(|entry| entry.cidr.to_string() != "::/0");
    assert!(matches!(judge(&e, &world_v4()), Verdict::Reachable { .. }));
    assert!(matches!(
        judge(&e, &world_v6()),
        Verdict::Blocked {
            reason: Reason::NaclInboundDeny,
            ..
        }
    ));
}

#[test]
fn an_ipv6_only_path_is_reachable() {
    let mut e = public_estate();
    e.network_interfaces[0].private_ips[0].association = None;
    assert!(matches!(judge(&e, &world_v6()), Verdict::Reachable { .. }));
    assert_eq!(
        reason(&judge(&e, &world_v4())),
        Some(Reason::NoPublicAddress)
    );
}

#[test]
fn an_egress_only_gateway_admits_no_inbound_ipv6() {
    let mut e = public_estate();
    e.route_tables[1].routes[2].target = RouteTarget::EgressOnlyInternetGateway("eigw-1".into());
    assert_eq!(reason(&judge(&e, &world_v6())), Some(Reason::EgressOnlyIgw));
}

#[test]
fn a_stopped_instance_is_latent_whatever_its_path() {
    let mut e = public_estate();
    e.instances[0].state = InstanceState::Stopped;
    assert_eq!(
        reason(&judge(&e, &world_v4())),
        Some(Reason::InstanceStopped)
    );
}

#[test]
fn missing_route_tables_make_the_verdict_unknown() {
    let mut e = public_estate();
    e.route_tables.clear();
    e.incomplete.push(Incomplete {
        scope: ScopeId(0),
        kind: ResourceKind::RouteTables,
        subject: None,
        reason: "missing".into(),
    });
    let v = judge(&e, &world_v4());
    assert!(
        matches!(
            v,
            Verdict::Unknown {
                reason: Reason::MissingData,
                ..
            }
        ),
        "{v:?}"
    );
}

#[test]
fn the_worst_case_wins_across_interfaces() {
    let reachable = Verdict::Reachable {
        sources: world_v4(),
        path: vec![],
        narrowed: false,
    };
    let latent = Verdict::Latent {
        reason: Reason::NoPublicAddress,
        detail: String::new(),
    };
    let blocked = Verdict::Blocked {
        reason: Reason::NaclInboundDeny,
        detail: String::new(),
    };
    assert!(matches!(
        latent.clone().worst(reachable.clone()),
        Verdict::Reachable { .. }
    ));
    assert!(matches!(blocked.worst(latent), Verdict::Latent { .. }));
}
