//! Instances with more groups than the organisation's limit: the more groups, the harder
//! it is to tell what an instance admits, and the likelier a forgotten rule.

use super::NIST_FLOW_ENFORCEMENT;
use crate::hygiene::{finding, instance_label, instance_resource};
use crate::{Check, Context};
use rayon::prelude::*;
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity, Status};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_too_many_security_groups",
        title: "EC2 instance has more security groups than the configured limit",
        severity: Severity::Low,
        resource_type: ResourceType::AwsEc2Instance,
        description: "Fails for each instance (not terminated) carrying more distinct security groups, over all its network interfaces, than `hygiene.max_groups_per_instance` (default 5), naming them. Groups named by an interface but absent from the input count too.",
        risk: "What an instance admits is the union of all its groups' rules: with many groups nobody reviews the union, overlapping and forgotten rules accumulate, and one group shared for convenience opens ports on instances that never needed them.",
        remediation: "Merge the groups into one or two that state the instance's role, and detach the rest (aws ec2 modify-network-interface-attribute --groups on each interface).",
        references: &[
            "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups",
        ],
        categories: &["hygiene"],
        compliance: &[NIST_FLOW_ENFORCEMENT],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let estate = ctx.estate;
    let limit = ctx.config.hygiene.max_groups_per_instance;
    estate
        .instances
        .par_iter()
        .enumerate()
        .filter(|(_, instance)| !instance.state.is_gone())
        .filter_map(|(i, instance)| {
            let exposure = &ctx.eval.instances[i];
            let count = exposure.groups.len() + exposure.missing_groups.len();
            let status = if count > limit {
                Status::Fail
            } else {
                Status::Pass
            };
            finding(
                ctx,
                &CHECK.meta,
                status,
                || instance_resource(estate, instance),
                || {
                    let label = instance_label(instance);
                    if count > limit {
                        let names: Vec<&str> = exposure
                            .groups
                            .iter()
                            .map(|&g| estate.security_groups[g as usize].id.as_str())
                            .chain(exposure.missing_groups.iter().map(String::as_str))
                            .collect();
                        format!(
                            "Instance {label} has {count} security groups, more than {limit}: {}.",
                            names.join(", ")
                        )
                    } else {
                        format!("Instance {label} has {count} security group(s), at most {limit}.")
                    }
                },
            )
        })
        .collect()
}
