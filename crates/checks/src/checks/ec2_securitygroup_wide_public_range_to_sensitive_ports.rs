use crate::openings::Openings;
use crate::verdict::per_group;
use crate::{Check, Context, Family};
use ringfence_findings::{Alias, CheckMeta, Finding, ResourceType, Severity, Tool};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_wide_public_range_to_sensitive_ports",
        title: "Security group admits a very wide public range on sensitive ports",
        severity: Severity::High,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: graded!(
            "Fails for each security group that admits, on a catalogued database, remote-access, \
file-sharing or directory port, a public address range at least as wide as a /8 (sixteen million \
addresses; configurable) without admitting the whole internet, which the family checks report. \
Cassandra's ports are judged by the Cassandra checks, which count wide ranges as the internet."
        ),
        risk: "A /8 of public addresses is a sixteenth of a percent of the internet, owned by many \
organisations and reachable by any attacker who rents a host in it; ranges this wide are usually \
typos (11.0.0.0/8 for 10.0.0.0/8) or a shortcut that opens a sensitive service to strangers.",
        remediation: "Replace the wide range with the exact CIDRs of the clients, or a security group or \
prefix list that names them.",
        references: &["https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"],
        categories: &["internet-exposed"],
        compliance: exposure_controls!(),
        aliases: &[Alias {
            tool: Tool::Prowler,
            id: "ec2_securitygroup_allow_wide_open_public_ipv4",
        }],
        enablement: ringfence_findings::Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    per_group(
        ctx,
        &CHECK.meta,
        "sensitive port is open to a very wide public range",
        |profile| {
            let sensitive = ctx
                .config
                .catalog
                .services
                .iter()
                .filter(|s| s.family != Family::Cassandra);
            Openings::of_services(ctx, profile, sensitive, |segment| {
                !segment.is_world() && segment.is_wide(ctx.config.wide)
            })
        },
    )
}
