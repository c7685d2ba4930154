//! Small literal estates, each named after the edge case it pins down.
#![allow(clippy::unwrap_used)]

use ringfence_exposure::{Evaluation, Profile, Transport, WideThreshold};
use ringfence_model::{
    Attachment, Estate, Instance, InstanceState, NetworkInterface, Origin, PortRange, PrefixList,
    PrefixListEntry, Rule, Scope, SecurityGroup, Source, Tags, Traffic,
};

fn rule(traffic: Traffic, source: &str) -> Rule {
    let source = if let Some(id) = source.strip_prefix("pl:") {
        Source::PrefixList(id.to_string())
    } else if source.starts_with("sg-") {
        Source::Group(ringfence_model::GroupRef {
            group_id: Some(source.to_string()),
            ..Default::default()
        })
    } else if source.contains(':') {
        Source::V6(source.parse().unwrap())
    } else {
        Source::V4(source.parse().unwrap())
    };
    Rule {
        id: None,
        traffic,
        source,
        description: None,
    }
}

fn tcp(from: u16, to: u16) -> Traffic {
    Traffic::Tcp(PortRange::new(from, to).unwrap())
}

fn group(id: &str, ingress: Vec<Rule>) -> SecurityGroup {
    SecurityGroup {
        id: id.into(),
        name: id.into(),
        description: String::new(),
        vpc_id: None,
        owner_id: None,
        ingress,
        egress: vec![],
        tags: Tags::default(),
        origin: Origin::default(),
    }
}

fn estate(groups: Vec<SecurityGroup>) -> Estate {
    let mut estate = Estate::default();
    estate.scope_id(Scope {
        account: None,
        region: "us-east-1".into(),
    });
    estate.security_groups = groups;
    estate
}

fn eni(id: &str, instance: &str, device: u32, groups: &[&str]) -> NetworkInterface {
    NetworkInterface {
        id: id.into(),
        subnet_id: None,
        vpc_id: None,
        owner_id: None,
        availability_zone: None,
        interface_type: None,
        status: None,
        description: None,
        groups: groups.iter().map(|g| g.to_string()).collect(),
        private_ips: vec![],
        ipv6_addresses: vec![],
        attachment: Some(Attachment {
            instance_id: Some(instance.into()),
            device_index: Some(device),
            status: None,
        }),
        tags: Tags::default(),
        origin: Origin::default(),
    }
}

fn instance(id: &str, top_level_groups: &[&str]) -> Instance {
    Instance {
        id: id.into(),
        owner_id: None,
        state: InstanceState::Running,
        instance_type: None,
        vpc_id: None,
        subnet_id: None,
        private_ip: None,
        public_ip: None,
        security_groups: top_level_groups.iter().map(|g| g.to_string()).collect(),
        network_interfaces: vec![],
        tags: Tags::default(),
        origin: Origin::default(),
    }
}

/// Is `port` on `transport` open to the whole internet through `profile`?
fn world_open(profile: &Profile, transport: Transport, port: u16) -> bool {
    profile
        .within(transport, PortRange::single(port))
        .any(|(_, segment)| segment.reach.is_world())
}

fn group_profile(groups: Vec<SecurityGroup>) -> Profile {
    Evaluation::of(&estate(groups)).groups.swap_remove(0)
}

#[test]
fn a_range_rule_opens_every_port_inside_it() {
    let profile = group_profile(vec![group(
        "sg-1",
        vec![rule(tcp(7000, 7199), "0.0.0.0/0")],
    )]);
    for port in [7000, 7001, 7100, 7199] {
        assert!(world_open(&profile, Transport::Tcp, port), "{port}");
    }
    assert!(!world_open(&profile, Transport::Tcp, 6999));
    assert!(!world_open(&profile, Transport::Tcp, 7200));
}

#[test]
fn protocol_minus_one_opens_tcp_and_udp_everywhere() {
    let profile = group_profile(vec![group("sg-1", vec![rule(Traffic::All, "0.0.0.0/0")])]);
    assert!(world_open(&profile, Transport::Tcp, 9042));
    assert!(world_open(&profile, Transport::Udp, 53));
    assert!(profile.all_protocols.as_ref().unwrap().reach.is_world());
}

#[test]
fn split_cidrs_in_two_rules_are_the_world() {
    let profile = group_profile(vec![group(
        "sg-1",
        vec![
            rule(tcp(9042, 9042), "0.0.0.0/1"),
            rule(tcp(9042, 9042), "128.0.0.0/1"),
        ],
    )]);
    assert!(world_open(&profile, Transport::Tcp, 9042));
}

#[test]
fn split_cidrs_on_different_ports_are_not_the_world_on_either() {
    let profile = group_profile(vec![group(
        "sg-1",
        vec![
            rule(tcp(9042, 9042), "0.0.0.0/1"),
            rule(tcp(9043, 9043), "128.0.0.0/1"),
        ],
    )]);
    assert!(!world_open(&profile, Transport::Tcp, 9042));
    assert!(!world_open(&profile, Transport::Tcp, 9043));
}

#[test]
fn overlapping_ranges_union_only_where_they_overlap() {
    let profile = group_profile(vec![group(
        "sg-1",
        vec![
            rule(tcp(7000, 9000), "0.0.0.0/1"),
            rule(tcp(8000, 9500), "128.0.0.0/1"),
        ],
    )]);
    assert!(!world_open(&profile, Transport::Tcp, 7500));
    assert!(world_open(&profile, Transport::Tcp, 8000));
    assert!(world_open(&profile, Transport::Tcp, 9000));
    assert!(!world_open(&profile, Transport::Tcp, 9001));
}

#[test]
fn ipv6_world_alone_is_open() {
    let profile = group_profile(vec![group("sg-1", vec![rule(tcp(9042, 9042), "::/0")])]);
    assert!(world_open(&profile, Transport::Tcp, 9042));
}

#[test]
fn udp_does_not_open_tcp() {
    let profile = group_profile(vec![group(
        "sg-1",
        vec![rule(Traffic::Udp(PortRange::single(9042)), "0.0.0.0/0")],
    )]);
    assert!(!world_open(&profile, Transport::Tcp, 9042));
    assert!(world_open(&profile, Transport::Udp, 9042));
}

#[test]
fn icmp_opens_no_port() {
    let icmp = Traffic::Icmp(Default::default());
    let profile = group_profile(vec![group("sg-1", vec![rule(icmp, "0.0.0.0/0")])]);
    assert!(profile.tcp.is_empty() && profile.udp.is_empty() && profile.all_protocols.is_none());
}

#[test]
fn a_group_source_is_never_the_internet() {
    let profile = group_profile(vec![group("sg-1", vec![rule(Traffic::All, "sg-2")])]);
    let all = profile.all_protocols.unwrap();
    assert!(all.reach.is_empty() && !all.unresolved);
}

#[test]
fn private_ranges_are_not_the_internet_however_wide() {
    let profile = group_profile(vec![group(
        "sg-1",
        vec![
            rule(tcp(9042, 9042), "10.0.0.0/8"),
            rule(tcp(9042, 9042), "172.16.0.0/12"),
            rule(tcp(9042, 9042), "192.168.0.0/16"),
        ],
    )]);
    let segment = &profile.tcp[0];
    assert!(!segment.reach.is_world());
    assert!(!segment.reach.touches_internet());
    assert!(!segment.reach.is_wide(WideThreshold::default()));
}

#[test]
fn prefix_list_entries_are_resolved() {
    let mut estate = estate(vec![group("sg-1", vec![rule(tcp(9142, 9142), "pl:pl-1")])]);
    estate.prefix_lists.push(PrefixList {
        id: "pl-1".into(),
        name: None,
        owner_id: None,
        address_family: None,
        entries: Some(vec![
            PrefixListEntry {
                cidr: "0.0.0.0/1".parse().unwrap(),
                description: None,
            },
            PrefixListEntry {
                cidr: "128.0.0.0/1".parse().unwrap(),
                description: None,
            },
        ]),
        tags: Tags::default(),
        origin: Origin::default(),
    });
    let profile = &Evaluation::of(&estate).groups[0];
    assert!(world_open(profile, Transport::Tcp, 9142));
}

#[test]
fn a_prefix_list_without_entries_is_unresolved_not_safe() {
    let profile = group_profile(vec![group(
        "sg-1",
        vec![rule(tcp(9042, 9042), "pl:pl-missing")],
    )]);
    assert!(profile.tcp[0].unresolved);
    assert!(!profile.tcp[0].reach.is_world());
}

#[test]
fn an_instance_is_the_union_of_every_interface_and_group() {
    let mut estate = estate(vec![
        group("sg-private", vec![rule(tcp(9042, 9042), "10.0.0.0/8")]),
        group("sg-low-half", vec![rule(tcp(9042, 9042), "0.0.0.0/1")]),
        group("sg-high-half", vec![rule(tcp(9042, 9042), "128.0.0.0/1")]),
    ]);
    estate.instances.push(instance("i-1", &[]));
    estate
        .network_interfaces
        .push(eni("eni-0", "i-1", 0, &["sg-private", "sg-low-half"]));
    estate
        .network_interfaces
        .push(eni("eni-1", "i-1", 1, &["sg-high-half"]));
    let eval = Evaluation::of(&estate);
    let exposure = &eval.instances[0];
    assert_eq!(exposure.groups, vec![0, 1, 2]);
    assert_eq!(exposure.interfaces.len(), 2);
    assert!(world_open(&exposure.internet, Transport::Tcp, 9042));
    for g in &eval.groups {
        assert!(!world_open(g, Transport::Tcp, 9042));
    }
}

#[test]
fn interface_groups_win_over_the_instance_list() {
    let mut estate = estate(vec![
        group("sg-closed", vec![]),
        group("sg-open", vec![rule(tcp(9042, 9042), "0.0.0.0/0")]),
    ]);
    estate.instances.push(instance("i-1", &["sg-closed"]));
    estate
        .network_interfaces
        .push(eni("eni-0", "i-1", 0, &["sg-closed"]));
    estate
        .network_interfaces
        .push(eni("eni-1", "i-1", 1, &["sg-open"]));
    let eval = Evaluation::of(&estate);
    assert!(world_open(
        &eval.instances[0].internet,
        Transport::Tcp,
        9042
    ));
}

#[test]
fn without_known_interfaces_the_instance_list_stands_in() {
    let mut estate = estate(vec![group(
        "sg-open",
        vec![rule(tcp(9042, 9042), "0.0.0.0/0")],
    )]);
    estate
        .instances
        .push(instance("i-1", &["sg-open", "sg-gone"]));
    let eval = Evaluation::of(&estate);
    assert!(world_open(
        &eval.instances[0].internet,
        Transport::Tcp,
        9042
    ));
    assert_eq!(
        eval.instances[0].missing_groups,
        vec!["sg-gone".to_string()]
    );
}

#[test]
fn instances_with_the_same_groups_share_one_profile() {
    let mut estate = estate(vec![group("sg-open", vec![rule(tcp(22, 22), "0.0.0.0/0")])]);
    estate.instances.push(instance("i-1", &["sg-open"]));
    estate.instances.push(instance("i-2", &["sg-open"]));
    let eval = Evaluation::of(&estate);
    assert!(std::sync::Arc::ptr_eq(
        &eval.instances[0].internet,
        &eval.instances[1].internet
    ));
}

#[test]
fn an_instance_profile_keeps_only_what_the_internet_or_an_unknown_source_can_use() {
    let mut estate = estate(vec![
        group("sg-open", vec![rule(tcp(9042, 9042), "0.0.0.0/0")]),
        group("sg-private", vec![rule(tcp(22, 22), "10.0.0.0/8")]),
        group("sg-peer", vec![rule(tcp(7000, 7001), "sg-open")]),
        group("sg-list", vec![rule(tcp(5432, 5432), "pl:pl-unread")]),
        group(
            "sg-other-private",
            vec![rule(tcp(80, 80), "192.168.0.0/16")],
        ),
    ]);
    estate.instances.push(instance(
        "i-1",
        &["sg-open", "sg-private", "sg-peer", "sg-list"],
    ));
    estate
        .instances
        .push(instance("i-2", &["sg-open", "sg-other-private", "sg-list"]));
    let eval = Evaluation::of(&estate);
    let ports = |profile: &Profile| -> Vec<(u16, u16)> {
        profile
            .tcp
            .iter()
            .map(|s| (s.ports.from, s.ports.to))
            .collect()
    };
    let internet = &eval.instances[0].internet;
    assert_eq!(ports(internet), vec![(5432, 5432), (9042, 9042)]);
    assert!(
        internet.tcp[0].unresolved,
        "the unread prefix list stays, as unknown"
    );
    // The full union still has every rule.
    let full = eval.profile_of(&eval.instances[0].groups);
    assert_eq!(
        ports(&full),
        vec![(22, 22), (5432, 5432), (7000, 7001), (9042, 9042)]
    );
    // Different private groups, the same internet-facing ones: one shared profile.
    assert!(std::sync::Arc::ptr_eq(
        internet,
        &eval.instances[1].internet
    ));
}
