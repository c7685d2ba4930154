//! Egress to anywhere on every port: true of almost every group (AWS adds the rule to each
//! new group), so opt-in; for workloads that must not reach out (databases, internal
//! services) it is what lets a compromised host download tools and send data out.

use super::{BOUNDARY_PROTECTION, NIST_FLOW_ENFORCEMENT};
use crate::hygiene::{Destinations, describe_egress, finding, group_label, group_resource, list};
use crate::{Check, Context};
use ringfence_exposure::Reach;
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity, Status};
use ringfence_model::{PortRange, Traffic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_egress_unrestricted",
        title: "Security group allows outbound traffic to anywhere on every port",
        severity: Severity::Low,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: "Fails for each security group whose outbound rules, together, allow every protocol, or every TCP or every UDP port, to the whole IPv4 (0.0.0.0/0) or IPv6 (::/0) address space, however split into CIDRs and prefix lists. Opt-in: AWS gives every new group this rule, so nearly every group fails.",
        risk: "Unrestricted egress lets a compromised instance fetch tools, reach command-and-control servers and send data anywhere; restricting it is what turns a breach of one host into a contained one.",
        remediation: "Replace the allow-all outbound rule with the destinations and ports the workload needs (package mirrors through a proxy, VPC endpoints, the services it calls).",
        references: &["https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"],
        categories: &["hygiene", "egress"],
        compliance: &[NIST_FLOW_ENFORCEMENT, BOUNDARY_PROTECTION],
        aliases: &[],
        enablement: Enablement::OptIn,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let estate = ctx.estate;
    let destinations = Destinations::of(estate);
    estate
        .security_groups
        .iter()
        .filter_map(|group| {
            let scope = group.origin.scope;
            let label = group_label(group);
            let mut unknown = false;
            let mut failing = None;
            for wanted in [Traffic::All, Traffic::Tcp(PortRange::ALL), Traffic::Udp(PortRange::ALL)] {
                let mut reach = Reach::default();
                let mut rules = Vec::new();
                for rule in group.egress.iter().filter(|r| r.traffic == Traffic::All || r.traffic == wanted) {
                    match destinations.resolve(scope, &rule.source) {
                        Some(r) if !r.is_empty() => {
                            reach.union_with(&r);
                            rules.push(describe_egress(rule));
                        }
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                if reach.v4.is_full() || reach.v6.is_full() {
                    failing = Some(rules);
                    break;
                }
            }
            let (status, message) = match failing {
                Some(rules) => (
                    Status::Fail,
                    format!("Security group {label} allows all outbound traffic to anywhere: {}.", list(&rules, 4)),
                ),
                None if unknown => (
                    Status::Skip,
                    format!("Security group {label}: cannot tell whether egress is unrestricted: a prefix list's entries were not read."),
                ),
                None => (
                    Status::Pass,
                    format!("Security group {label} restricts outbound traffic."),
                ),
            };
            finding(ctx, &CHECK.meta, status, || group_resource(estate, group), move || message)
        })
        .collect()
}
