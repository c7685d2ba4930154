//! The edge cases that tell ringfence from a naive scanner, each pinned on its fixture:
//! exactly which ports, sources, rules and interfaces a finding names.

mod common;

use common::{run, run_on_fixture_of, the_failure, with_status};
use ringfence_checks::{REGISTRY, find};
use ringfence_findings::{Exposure, Finding, ResourceType, Severity, Status};

const CASSANDRA_SG: &str = "ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports";
const CASSANDRA_INSTANCE: &str = "ec2_instance_port_cassandra_exposed_to_internet";
const SENSITIVE_INSTANCE: &str = "ec2_instance_sensitive_port_exposed_to_internet";
const UNCOMMON: &str = "ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports";
const ALL_PORTS: &str = "ec2_securitygroup_allow_ingress_from_internet_to_all_ports";
const DATABASE: &str = "ec2_securitygroup_allow_ingress_from_internet_to_database_ports";
const REMOTE: &str = "ec2_securitygroup_allow_ingress_from_internet_to_remote_access_ports";
const FILE_SHARING: &str = "ec2_securitygroup_allow_ingress_from_internet_to_file_sharing_ports";
const DIRECTORY: &str = "ec2_securitygroup_allow_ingress_from_internet_to_directory_ports";
const WIDE: &str = "ec2_securitygroup_wide_public_range_to_sensitive_ports";

/// The family checks: the whole internet only, never a wide range.
const FAMILIES: [&str; 4] = [DATABASE, REMOTE, FILE_SHARING, DIRECTORY];

fn exposure(finding: &Finding) -> &Exposure {
    finding
        .exposure
        .as_ref()
        .unwrap_or_else(|| panic!("a FAIL without exposure: {finding:#?}"))
}

/// A port span as `(protocol, from, to, service)`.
type Span = (String, u16, u16, Option<String>);

/// A rule of the evidence as `(group, protocol, from, to, source)`.
type RuleRow<'a> = (&'a str, &'a str, Option<u16>, Option<u16>, &'a str);

fn ports(finding: &Finding) -> Vec<Span> {
    exposure(finding)
        .ports
        .iter()
        .map(|p| (p.protocol.clone(), p.from, p.to, p.service.clone()))
        .collect()
}

fn tcp(from: u16, to: u16, service: Option<&str>) -> Span {
    ("tcp".to_string(), from, to, service.map(str::to_string))
}

fn spans(finding: &Finding, protocol: &str) -> Vec<(u16, u16)> {
    exposure(finding)
        .ports
        .iter()
        .filter(|p| p.protocol == protocol)
        .map(|p| (p.from, p.to))
        .collect()
}

fn sources(finding: &Finding) -> Vec<&str> {
    exposure(finding)
        .sources
        .iter()
        .map(String::as_str)
        .collect()
}

fn rules(finding: &Finding) -> Vec<RuleRow<'_>> {
    exposure(finding)
        .rules
        .iter()
        .map(|r| {
            (
                r.group_id.as_str(),
                r.protocol.as_str(),
                r.from,
                r.to,
                r.source.as_str(),
            )
        })
        .collect()
}

fn statuses(findings: &[Finding]) -> Vec<Status> {
    findings.iter().map(|f| f.status).collect()
}

const SEVEN_CASSANDRA_PORTS: [(u16, &str); 7] = [
    (5599, "DSE DSEFS"),
    (7000, "Cassandra internode"),
    (7001, "Cassandra internode TLS"),
    (7199, "Cassandra JMX"),
    (9042, "Cassandra CQL"),
    (9142, "Cassandra CQL TLS"),
    (9160, "Cassandra Thrift"),
];

fn seven_cassandra_ports() -> Vec<Span> {
    SEVEN_CASSANDRA_PORTS
        .iter()
        .map(|&(port, name)| tcp(port, port, Some(name)))
        .collect()
}

// ---- ports: exact, ranges, every port, protocols -----------------------------------------

#[test]
fn cassandra_rule_0_65535_lists_exactly_the_seven_cassandra_ports() {
    let findings = run(CASSANDRA_SG, "fail_all_tcp_ports_0_65535");
    let failure = the_failure(&findings);
    assert_eq!(ports(failure), seven_cassandra_ports());
    assert_eq!(
        rules(failure),
        [(
            "sg-0c000000000000001",
            "tcp",
            Some(0),
            Some(65535),
            "0.0.0.0/0"
        )]
    );
}

#[test]
fn cassandra_protocol_minus_one_lists_the_seven_cassandra_ports_on_tcp() {
    let findings = run(CASSANDRA_SG, "fail_protocol_minus_one");
    let failure = the_failure(&findings);
    assert_eq!(ports(failure), seven_cassandra_ports());
    assert_eq!(
        rules(failure),
        [("sg-0c000000000000001", "-1", None, None, "0.0.0.0/0")]
    );
}

#[test]
fn cassandra_range_7000_7199_opens_internode_internode_tls_and_jmx() {
    let findings = run(CASSANDRA_SG, "fail_range_7000_7199");
    assert_eq!(
        ports(the_failure(&findings)),
        [
            tcp(7000, 7000, Some("Cassandra internode")),
            tcp(7001, 7001, Some("Cassandra internode TLS")),
            tcp(7199, 7199, Some("Cassandra JMX")),
        ]
    );
}

#[test]
fn cassandra_protocol_number_6_is_tcp() {
    let findings = run(CASSANDRA_SG, "fail_protocol_number_6");
    let failure = the_failure(&findings);
    assert_eq!(ports(failure), [tcp(9042, 9042, Some("Cassandra CQL"))]);
    assert_eq!(rules(failure)[0].1, "tcp");
}

#[test]
fn udp_on_the_cql_port_exposes_no_cassandra_port_but_is_an_uncommon_port() {
    let path = common::case_path(CASSANDRA_SG, "pass_udp_on_cql_port");
    for id in [CASSANDRA_SG, DATABASE] {
        let findings = common::run_on(common::check(id), &path);
        assert_eq!(statuses(&findings), [Status::Pass], "{id}");
    }
    let findings = common::run_on(common::check(UNCOMMON), &path);
    assert_eq!(spans(the_failure(&findings), "udp"), [(9042, 9042)]);
}

#[test]
fn uncommon_ports_rule_0_1000_lists_the_ranges_between_common_ports() {
    let findings = run(UNCOMMON, "fail_range_0_1000");
    let failure = the_failure(&findings);
    assert_eq!(
        spans(failure, "tcp"),
        [
            (0, 19),
            (24, 24),
            (26, 52),
            (54, 79),
            (81, 134),
            (136, 136),
            (140, 442),
            (444, 444),
            (446, 464),
            (466, 586),
            (588, 1000),
        ]
    );
    assert!(exposure(failure).ports.iter().all(|p| p.service.is_none()));
    assert!(failure.message.contains("tcp/0-19, tcp/24, tcp/26-52"));
}

#[test]
fn uncommon_ports_protocol_minus_one_lists_every_uncommon_tcp_and_udp_port() {
    let findings = run(UNCOMMON, "fail_protocol_minus_one");
    let failure = the_failure(&findings);
    let common_ports = ringfence_checks::config::COMMON_PORTS;
    for protocol in ["tcp", "udp"] {
        let spans = spans(failure, protocol);
        assert_eq!(spans.first(), Some(&(0, 19)), "{protocol}");
        assert_eq!(spans.last(), Some(&(5433, 65535)), "{protocol}");
        // The spans and the common ports together are every port, without overlap.
        let open: u32 = spans.iter().map(|&(a, b)| u32::from(b - a) + 1).sum();
        assert_eq!(open + common_ports.len() as u32, 65536, "{protocol}");
        for port in common_ports {
            assert!(
                !spans.iter().any(|&(a, b)| a <= port && port <= b),
                "{protocol}/{port} is common"
            );
        }
    }
}

#[test]
fn common_ports_only_pass_the_uncommon_ports_check() {
    let findings = run(UNCOMMON, "pass_common_ports_only");
    assert_eq!(statuses(&findings), [Status::Pass]);
}

#[test]
fn all_ports_split_into_ranges_and_cidrs_is_one_span_over_every_port() {
    let findings = run(
        ALL_PORTS,
        "fail_tcp_ranges_and_split_cidrs_cover_everything",
    );
    let failure = the_failure(&findings);
    assert_eq!(ports(failure), [tcp(0, 65535, None)]);
    assert_eq!(sources(failure), ["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1"]);
}

#[test]
fn all_ports_one_port_short_is_not_every_port() {
    let findings = run(ALL_PORTS, "pass_tcp_all_but_one_port");
    assert_eq!(statuses(&findings), [Status::Pass]);
    // ...while the uncommon-ports check sees the same rule for what it is.
    let findings = run_on_fixture_of(UNCOMMON, ALL_PORTS, "pass_tcp_all_but_one_port");
    assert_eq!(
        spans(the_failure(&findings), "tcp").last(),
        Some(&(5433, 65534))
    );
}

#[test]
fn icmp_from_the_world_fails_no_port_check() {
    for (fixture_check, case) in [
        (UNCOMMON, "pass_icmp_from_world"),
        (ALL_PORTS, "pass_icmp_from_world"),
        (REMOTE, "pass_icmp_from_world"),
    ] {
        for check in REGISTRY
            .iter()
            .filter(|c| c.meta.resource_type == ResourceType::AwsEc2SecurityGroup)
            // The exposure checks; the hygiene checks judge other things on these groups.
            .filter(|c| !c.meta.categories.contains(&"hygiene"))
        {
            let findings = common::run_on(check, &common::case_path(fixture_check, case));
            assert!(
                with_status(&findings, Status::Fail).is_empty(),
                "{} fails {fixture_check}/{case}: {findings:#?}",
                check.meta.id
            );
        }
    }
}

// ---- sources: split CIDRs, IPv6, prefix lists, groups, wide ranges ------------------------

#[test]
fn private_and_public_cidr_on_one_permission_names_only_the_public_source() {
    let findings = run(
        CASSANDRA_SG,
        "fail_private_and_public_cidr_on_one_permission",
    );
    let failure = the_failure(&findings);
    assert_eq!(sources(failure), ["0.0.0.0/0"]);
    assert_eq!(
        rules(failure),
        [(
            "sg-0c000000000000001",
            "tcp",
            Some(9042),
            Some(9042),
            "0.0.0.0/0"
        )]
    );
    assert_eq!(
        exposure(failure).rules[0].description.as_deref(),
        Some("temporary debugging")
    );
    assert!(
        !failure.message.contains("10.0.0.0/16"),
        "{}",
        failure.message
    );
}

#[test]
fn split_cidrs_in_one_group_are_the_whole_internet() {
    let findings = run(CASSANDRA_SG, "fail_split_cidrs_halves");
    assert_eq!(
        sources(the_failure(&findings)),
        ["0.0.0.0/1", "128.0.0.0/1"]
    );
    let findings = run(UNCOMMON, "fail_split_cidrs_across_two_permissions");
    let failure = the_failure(&findings);
    assert_eq!(ports(failure), [tcp(8443, 8443, None)]);
    assert_eq!(sources(failure), ["0.0.0.0/1", "128.0.0.0/1"]);
}

#[test]
fn split_cidrs_across_two_groups_fail_the_instance_but_neither_group_alone() {
    let findings = run(SENSITIVE_INSTANCE, "fail_split_cidrs_across_two_groups");
    let failure = the_failure(&findings);
    assert_eq!(ports(failure), [tcp(22, 22, Some("SSH"))]);
    assert_eq!(sources(failure), ["0.0.0.0/1", "128.0.0.0/1"]);
    let groups: Vec<&str> = rules(failure).iter().map(|r| r.0).collect();
    assert_eq!(groups, ["sg-0c000000000000001", "sg-0c000000000000002"]);
    // Group by group, half the internet is a wide range, not the internet.
    let findings = run_on_fixture_of(
        REMOTE,
        SENSITIVE_INSTANCE,
        "fail_split_cidrs_across_two_groups",
    );
    assert_eq!(statuses(&findings), [Status::Pass, Status::Pass]);
    let findings = run_on_fixture_of(
        WIDE,
        SENSITIVE_INSTANCE,
        "fail_split_cidrs_across_two_groups",
    );
    assert_eq!(statuses(&findings), [Status::Fail, Status::Fail]);
}

#[test]
fn ipv6_only_world_is_the_internet() {
    let findings = run(CASSANDRA_SG, "fail_ipv6_only_world");
    assert_eq!(sources(the_failure(&findings)), ["::/0"]);
    let findings = run(ALL_PORTS, "fail_protocol_minus_one_ipv6_only_world");
    let failure = the_failure(&findings);
    assert_eq!(sources(failure), ["::/0"]);
    assert_eq!(exposure(failure).ports[0].protocol, "-1");
}

#[test]
fn prefix_list_whose_entries_cover_the_world_is_named_as_the_source() {
    for (check, case) in [
        (CASSANDRA_SG, "fail_prefix_list_covering_world"),
        (REMOTE, "fail_prefix_list_covering_world_ssh"),
        (DATABASE, "fail_prefix_list_covering_world_elasticsearch"),
    ] {
        let findings = run(check, case);
        let failure = the_failure(&findings);
        assert_eq!(sources(failure), ["pl-0f000000000000001"], "{check}/{case}");
        assert_eq!(rules(failure)[0].4, "pl-0f000000000000001");
    }
}

#[test]
fn private_prefix_list_and_group_references_are_not_the_internet() {
    for (check, case) in [
        (CASSANDRA_SG, "pass_private_prefix_list"),
        (REMOTE, "pass_private_prefix_list"),
        (CASSANDRA_SG, "pass_security_group_reference"),
        (UNCOMMON, "pass_security_group_reference"),
        (ALL_PORTS, "pass_self_reference_default_group"),
    ] {
        let findings = run(check, case);
        assert!(
            !findings.is_empty() && findings.iter().all(|f| f.status == Status::Pass),
            "{check}/{case}: {findings:#?}"
        );
    }
}

#[test]
fn public_slash8_fails_the_cassandra_and_wide_range_checks_not_the_family_checks() {
    let findings = run(CASSANDRA_SG, "fail_public_slash8_is_wide");
    assert_eq!(sources(the_failure(&findings)), ["11.0.0.0/8"]);
    // Cassandra's ports are the Cassandra checks' to judge, wide ranges included.
    let findings = run_on_fixture_of(WIDE, CASSANDRA_SG, "fail_public_slash8_is_wide");
    assert_eq!(statuses(&findings), [Status::Pass]);

    let findings = run(WIDE, "fail_public_slash8_ssh");
    let failure = the_failure(&findings);
    assert_eq!(ports(failure), [tcp(22, 22, Some("SSH"))]);
    assert_eq!(sources(failure), ["11.0.0.0/8"]);
    for (family, case) in [
        (REMOTE, "fail_public_slash8_ssh"),
        (DATABASE, "fail_public_slash8_mysql"),
    ] {
        let findings = run_on_fixture_of(family, WIDE, case);
        assert_eq!(statuses(&findings), [Status::Pass], "{family} on {case}");
    }
    for family in FAMILIES {
        let case = "pass_public_slash8_left_to_wide_range_check";
        let findings = run(family, case);
        assert_eq!(statuses(&findings), [Status::Pass], "{family}/{case}");
    }
    let findings = run(
        SENSITIVE_INSTANCE,
        "pass_public_slash8_not_the_whole_internet",
    );
    assert_eq!(statuses(&findings), [Status::Pass]);
}

#[test]
fn public_slash16_is_neither_the_internet_nor_wide() {
    let path = common::case_path(WIDE, "pass_public_slash16_not_wide");
    for check in REGISTRY
        .iter()
        .filter(|c| c.meta.resource_type == ResourceType::AwsEc2SecurityGroup)
        .filter(|c| !c.meta.categories.contains(&"hygiene"))
    {
        let findings = common::run_on(check, &path);
        assert_eq!(statuses(&findings), [Status::Pass], "{}", check.meta.id);
    }
    let findings = run(CASSANDRA_SG, "pass_public_slash16_not_wide");
    assert_eq!(statuses(&findings), [Status::Pass]);
}

#[test]
fn whole_internet_is_the_family_checks_job_not_the_wide_range_checks() {
    let case = "pass_whole_internet_left_to_family_checks";
    assert_eq!(statuses(&run(WIDE, case)), [Status::Pass]);
    let findings = run_on_fixture_of(REMOTE, WIDE, case);
    assert_eq!(ports(the_failure(&findings)), [tcp(22, 22, Some("SSH"))]);
}

// ---- instances: interfaces, states ---------------------------------------------------------

#[test]
fn instance_finding_names_the_secondary_interface_that_carries_the_open_group() {
    for (check, case) in [
        (
            CASSANDRA_INSTANCE,
            "fail_secondary_interface_carries_open_group",
        ),
        (
            CASSANDRA_INSTANCE,
            "fail_secondary_interface_known_only_from_describe_instances",
        ),
        (
            SENSITIVE_INSTANCE,
            "fail_secondary_interface_carries_open_group",
        ),
    ] {
        let findings = run(check, case);
        let failure = the_failure(&findings);
        let exposure = exposure(failure);
        // Only the secondary interface (device index 1) lets the internet in; the primary's
        // group admits the app tier on the same port and is not evidence.
        assert_eq!(
            exposure.network_interfaces,
            ["eni-0e000000000000002"],
            "{check}/{case}"
        );
        assert_eq!(
            rules(failure).iter().map(|r| r.0).collect::<Vec<_>>(),
            ["sg-0c000000000000002"],
            "{check}/{case}"
        );
        assert_eq!(sources(failure), ["0.0.0.0/0"]);
    }
}

#[test]
fn stopped_instance_still_fails_and_says_it_is_stopped() {
    for (check, case, service) in [
        (
            CASSANDRA_INSTANCE,
            "fail_stopped_instance_still_exposed",
            "Cassandra CQL",
        ),
        (
            SENSITIVE_INSTANCE,
            "fail_stopped_instance_still_exposed",
            "RDP",
        ),
    ] {
        let findings = run(check, case);
        let failure = the_failure(&findings);
        assert!(failure.message.contains("[stopped]"), "{}", failure.message);
        assert_eq!(exposure(failure).ports[0].service.as_deref(), Some(service));
    }
}

#[test]
fn terminated_instance_gives_no_finding_at_all() {
    for check in [CASSANDRA_INSTANCE, SENSITIVE_INSTANCE] {
        let findings = run(check, "pass_terminated_instance");
        assert!(findings.is_empty(), "{check}: {findings:#?}");
    }
    // Its open group is still judged as a group: one attachment away from exposure.
    let findings = run_on_fixture_of(CASSANDRA_SG, CASSANDRA_INSTANCE, "pass_terminated_instance");
    assert_eq!(statuses(&findings), [Status::Fail]);
}

#[test]
fn cassandra_ports_are_not_the_sensitive_port_checks_job() {
    let case = "pass_cassandra_port_left_to_cassandra_check";
    assert_eq!(statuses(&run(SENSITIVE_INSTANCE, case)), [Status::Pass]);
    let findings = run_on_fixture_of(CASSANDRA_INSTANCE, SENSITIVE_INSTANCE, case);
    assert_eq!(
        ports(the_failure(&findings)),
        [tcp(9042, 9042, Some("Cassandra CQL"))]
    );
}

// ---- what cannot be judged is SKIP, never PASS ---------------------------------------------

#[test]
fn unread_prefix_list_is_a_skip_naming_the_list() {
    for check in [CASSANDRA_SG, UNCOMMON, ALL_PORTS, DATABASE, WIDE] {
        let findings = run(check, "pass_skip_unresolved_prefix_list");
        assert_eq!(statuses(&findings), [Status::Skip], "{check}");
        let message = &findings[0].message;
        assert!(
            message.contains("pl-0f000000000000001") && message.contains("not read"),
            "{check}: {message}"
        );
        assert!(findings[0].exposure.is_none());
    }
}

#[test]
fn group_missing_from_the_input_is_a_skip_naming_the_group() {
    let findings = run(CASSANDRA_INSTANCE, "pass_skip_group_not_in_input");
    assert_eq!(statuses(&findings), [Status::Skip]);
    assert!(
        findings[0].message.contains("sg-0c000000000000009"),
        "{}",
        findings[0].message
    );
}

// ---- what a finding says about itself -------------------------------------------------------

#[test]
fn finding_points_at_the_fixture_file_and_names_account_and_region() {
    let findings = run(CASSANDRA_SG, "fail_cql_exact_port");
    let resource = &the_failure(&findings).resource;
    assert_eq!(resource.id, "sg-0c000000000000001");
    assert_eq!(
        resource.name.as_deref(),
        Some("cassandra-cql-open-to-world")
    );
    assert_eq!(resource.account.as_deref(), Some("123456789012"));
    let location = resource.location.as_ref().expect("a location");
    assert_eq!(
        location.file,
        "fixtures/ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports/fail_cql_exact_port/describe-security-groups.json"
    );
    assert_eq!(location.pointer.as_deref(), Some("/SecurityGroups/0"));

    let findings = run(CASSANDRA_INSTANCE, "fail_running_instance_cql_open");
    let resource = &the_failure(&findings).resource;
    assert_eq!(resource.kind, ResourceType::AwsEc2Instance);
    assert_eq!(resource.region, "us-east-1", "from the availability zone");
    assert_eq!(resource.account.as_deref(), Some("123456789012"));
}

#[test]
fn severity_is_the_worst_opened_service_graded_by_the_path() {
    // These fixture groups are attached to nothing: latent (not-attached), one step below
    // the worst service they open.
    for (check, case, severity) in [
        (DATABASE, "fail_mysql_exact_port_3306", Severity::Medium),
        (DATABASE, "fail_memcached_udp_11211", Severity::High),
        (FILE_SHARING, "fail_smb_exact_port_445", Severity::High),
        (FILE_SHARING, "fail_ftp_range_20_21", Severity::Medium),
        (REMOTE, "fail_ssh_exact_port_22", Severity::Medium),
        (CASSANDRA_SG, "fail_cql_exact_port", Severity::High),
        (UNCOMMON, "fail_exact_port_8080", Severity::Medium),
    ] {
        let findings = run(check, case);
        let failure = the_failure(&findings);
        let exposure = failure.exposure.as_ref().unwrap();
        assert_eq!(
            exposure.reachability,
            ringfence_findings::Reachability::Latent,
            "{check}/{case}"
        );
        assert_eq!(
            exposure.reason.as_deref(),
            Some("not-attached"),
            "{check}/{case}"
        );
        assert_eq!(failure.severity, severity, "{check}/{case}");
    }
}

#[test]
fn a_finding_carries_its_checks_remediation_and_compliance() {
    let findings = run(REMOTE, "fail_ssh_exact_port_22");
    let failure = the_failure(&findings);
    let check = find(REMOTE).expect("registered");
    assert_eq!(failure.remediation, check.meta.remediation);
    assert_eq!(failure.compliance, check.meta.compliance);
}
