use super::{CIS_CASSANDRA_LISTEN, FSBP_AUTHORIZED_PORTS, cassandra};
use crate::verdict::per_instance;
use crate::{Check, Context};
use ringfence_findings::{Alias, CheckMeta, Finding, ResourceType, Severity, Tool};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_port_cassandra_exposed_to_internet",
        title: "EC2 instance has Cassandra ports open to the internet",
        severity: Severity::Critical,
        resource_type: ResourceType::AwsEc2Instance,
        description: graded!(
            "Unions the ingress rules of every security group on every network interface of each \
instance (read per interface, not from the instance's top-level list) and fails when TCP 7000, \
7001, 7199, 9042, 9142, 9160 or 5599 admits the whole IPv4 or IPv6 internet, however the \
sources are split into CIDRs, prefix lists or groups, or a public range at least as wide as a /8. \
Stopped instances are reported: they are exposed again when started."
        ),
        risk: cassandra::RISK,
        remediation: cassandra::REMEDIATION,
        references: cassandra::REFERENCES,
        categories: &["internet-exposed", "database"],
        compliance: exposure_controls!(FSBP_AUTHORIZED_PORTS, CIS_CASSANDRA_LISTEN),
        aliases: &[Alias {
            tool: Tool::Prowler,
            id: "ec2_instance_port_cassandra_exposed_to_internet",
        }],
        enablement: ringfence_findings::Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    per_instance(
        ctx,
        &CHECK.meta,
        "Cassandra port is open to the internet",
        |profile| cassandra::openings(ctx, profile),
    )
}
