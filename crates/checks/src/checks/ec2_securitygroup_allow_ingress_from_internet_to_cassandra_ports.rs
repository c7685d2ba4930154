use super::{CIS_CASSANDRA_LISTEN, FSBP_AUTHORIZED_PORTS, cassandra};
use crate::verdict::per_group;
use crate::{Check, Context};
use ringfence_findings::{Alias, CheckMeta, Finding, ResourceType, Severity, Tool};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports",
        title: "Security group admits the internet on Cassandra ports",
        severity: Severity::Critical,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: graded!(
            "Fails for each security group whose ingress rules, taken together, admit the whole \
IPv4 or IPv6 internet (or a public range at least as wide as a /8) on TCP 7000, 7001, 7199, \
9042, 9142, 9160 or 5599, whether through an exact port, a range such as 7000-7199 or 0-65535, \
protocol -1, split CIDRs or a prefix list. Groups attached to nothing are judged too: they are \
one attachment away from exposure."
        ),
        risk: cassandra::RISK,
        remediation: cassandra::REMEDIATION,
        references: cassandra::REFERENCES,
        categories: &["internet-exposed", "database"],
        compliance: exposure_controls!(FSBP_AUTHORIZED_PORTS, CIS_CASSANDRA_LISTEN),
        aliases: &[Alias {
            tool: Tool::Prowler,
            id: "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_cassandra_7199_9160_8888",
        }],
        enablement: ringfence_findings::Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    per_group(
        ctx,
        &CHECK.meta,
        "Cassandra port is open to the internet",
        |profile| cassandra::openings(ctx, profile),
    )
}
