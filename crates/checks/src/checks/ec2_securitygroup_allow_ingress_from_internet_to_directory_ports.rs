use super::FSBP_AUTHORIZED_PORTS;
use crate::openings::Openings;
use crate::verdict::per_group;
use crate::{Check, Context, Family};
use ringfence_findings::{CheckMeta, Finding, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_allow_ingress_from_internet_to_directory_ports",
        title: "Security group admits the whole internet on directory ports",
        severity: Severity::High,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: graded!(
            "Fails for each security group that admits the whole IPv4 or IPv6 internet on an LDAP, LDAPS, Global Catalog, CLDAP or Kerberos port, naming each service."
        ),
        risk: "Directories answer anonymous queries that map the organisation, accept password guesses for every account, and CLDAP amplifies DDoS attacks.",
        remediation: "Allow directory ports only from the networks of the clients that authenticate against them.",
        references: &[
            "https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/service-overview-and-network-port-requirements",
        ],
        categories: &["internet-exposed"],
        compliance: exposure_controls!(FSBP_AUTHORIZED_PORTS),
        aliases: &[],
        enablement: ringfence_findings::Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    per_group(
        ctx,
        &CHECK.meta,
        "directory port is open to the whole internet",
        |profile| {
            Openings::of_services(
                ctx,
                profile,
                ctx.config.catalog.family(Family::Directory),
                |segment| segment.is_world(),
            )
        },
    )
}
