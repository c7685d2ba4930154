//! Port ranges open to public sources: a range is usually "whatever made it work", and
//! every service that ever listens inside it is exposed without anyone deciding so.

use super::{BOUNDARY_PROTECTION, NIST_FLOW_ENFORCEMENT};
use crate::hygiene::{GroupLabel, describe_rule, finding, group_resource, list};
use crate::{Check, Context};
use rayon::prelude::*;
use ringfence_findings::{
    Alias, CheckMeta, Enablement, Finding, ResourceType, Severity, Status, Tool,
};
use ringfence_model::Traffic;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_wide_port_range_to_public",
        title: "Security group opens a wide port range to public addresses",
        severity: Severity::Medium,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: "Fails for each security group with an inbound TCP or UDP rule (or an all-protocols rule) that opens more than `hygiene.max_port_range` ports (default 10) to a source holding any public address — a public CIDR however narrow, or a prefix list with a public entry; private, loopback and other non-public ranges and group sources are not judged. Skips a rule whose prefix list was not read.",
        risk: "A range such as 1024-65535 exposes every service that ever listens inside it, including debug ports, admin consoles and databases started later by someone who never looks at the group; nobody decided to publish them.",
        remediation: "Replace the range with the exact ports the workload serves (one rule per port or small range), from the narrowest sources that need them.",
        references: &[
            "https://www.trendmicro.com/cloudoneconformity/knowledge-base/aws/EC2/security-group-port-range.html",
        ],
        categories: &["hygiene"],
        compliance: &[NIST_FLOW_ENFORCEMENT, BOUNDARY_PROTECTION],
        aliases: &[Alias {
            tool: Tool::Conformity,
            id: "EC2-001",
        }],
        enablement: Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let estate = ctx.estate;
    let max = ctx.config.hygiene.max_port_range;
    estate
        .security_groups
        .par_iter()
        .enumerate()
        .filter_map(|(g, group)| {
            let mut wide = Vec::new();
            let mut unknown = Vec::new();
            for flat in &ctx.eval.group_rules[g] {
                let ports = match flat.traffic {
                    Traffic::All => 65536,
                    Traffic::Tcp(p) | Traffic::Udp(p) => p.len(),
                    _ => continue,
                };
                if ports <= max {
                    continue;
                }
                let rule = &group.ingress[flat.at.rule as usize];
                if flat.reach.touches_internet() {
                    wide.push(format!("{} ({ports} ports)", describe_rule(rule)));
                } else if flat.unresolved {
                    unknown.push(describe_rule(rule));
                }
            }
            let status = if !wide.is_empty() {
                Status::Fail
            } else if !unknown.is_empty() {
                Status::Skip
            } else {
                Status::Pass
            };
            finding(ctx, &CHECK.meta, status, || group_resource(estate, group), || {
                let label = GroupLabel(group);
                match status {
                    Status::Fail => format!(
                        "Security group {label} opens more than {max} ports to public addresses: {}.",
                        list(&wide, 4)
                    ),
                    Status::Skip => format!(
                        "Security group {label}: cannot tell whether {} admits public addresses: its prefix list entries were not read.",
                        list(&unknown, 4)
                    ),
                    _ => format!("Security group {label} opens no range wider than {max} ports to public addresses."),
                }
            })
        })
        .collect()
}
