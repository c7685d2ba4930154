//! Unused security groups: attached to no network interface. Each one is a rule set
//! nobody reviews that anyone with `ec2:ModifyNetworkInterfaceAttribute` can put to use.
//! The VPC's default group is excepted: it cannot be deleted.

use super::{FSBP_UNUSED_SG, LEAST_FUNCTIONALITY};
use crate::hygiene::{GroupLabel, finding, gap, group_resource, is_default_group};
use crate::{Check, Context};
use rayon::prelude::*;
use ringfence_findings::{
    Alias, CheckMeta, Enablement, Finding, ResourceType, Severity, Status, Tool,
};
use ringfence_model::{Position, ResourceKind};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_not_used",
        title: "Security group is attached to no network interface",
        severity: Severity::Low,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: "Fails for each security group, other than a VPC's default group, that no network interface carries (instances, load balancers, Lambda functions, databases and endpoints all use groups through their interfaces). Skips the region when describe-network-interfaces could not be read.",
        risk: "Unused groups pile up unreviewed; an old group that still opens ports is one attachment away from exposing whatever it is put on, and the clutter hides the groups that matter.",
        remediation: "Delete the group (the finding prints the command) after checking that no launch template, CloudFormation stack or Terraform configuration still names it.",
        references: &[
            "https://docs.aws.amazon.com/vpc/latest/userguide/deleting-security-groups.html",
        ],
        categories: &["hygiene", "unused-resource"],
        compliance: &[FSBP_UNUSED_SG, LEAST_FUNCTIONALITY],
        aliases: &[
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_not_used",
            },
            Alias {
                tool: Tool::SecurityHub,
                id: "EC2.22",
            },
        ],
        enablement: Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let estate = ctx.estate;
    estate
        .security_groups
        .par_iter()
        .enumerate()
        .filter(|(_, group)| !is_default_group(group))
        // Code declares groups that resources ringfence does not model (launch templates,
        // load balancers, databases, functions) attach when they are deployed: a group
        // that nothing in the code attaches is no evidence of a group nobody uses.
        .filter(|(_, group)| !matches!(group.origin.position, Position::Line(_)))
        .filter_map(|(g, group)| {
            let used = ctx.eval.placements[g].len();
            let gap = (used == 0)
                .then(|| gap(estate, group.origin.scope, ResourceKind::NetworkInterfaces))
                .flatten();
            let status = match (used, gap) {
                (0, None) => Status::Fail,
                (0, Some(_)) => Status::Skip,
                _ => Status::Pass,
            };
            finding(
                ctx,
                &CHECK.meta,
                status,
                || group_resource(estate, group),
                || {
                    let label = GroupLabel(group);
                    match (used, gap) {
                        (0, None) => format!(
                            "Security group {label} is attached to no network interface: delete it (aws ec2 delete-security-group --region {} --group-id {}), or find what should use it.",
                            estate.scope(group.origin.scope).region,
                            group.id
                        ),
                        (0, Some(gap)) => format!(
                            "Security group {label}: cannot tell whether it is used: {}.",
                            gap.reason
                        ),
                        (n, _) => {
                            format!("Security group {label} is used by {n} network interface(s).")
                        }
                    }
                },
            )
        })
        .collect()
}
