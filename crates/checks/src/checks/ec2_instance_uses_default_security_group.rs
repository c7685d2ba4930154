//! Instances in their VPC's default security group: usually launched without a group of
//! their own, and sharing the default group's rules with every other such instance.

use super::{BOUNDARY_PROTECTION, CIS_DEFAULT_SG};
use crate::hygiene::{finding, instance_label, instance_resource, is_default_group};
use crate::{Check, Context};
use rayon::prelude::*;
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity, Status};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_uses_default_security_group",
        title: "EC2 instance uses its VPC's default security group",
        severity: Severity::Medium,
        resource_type: ResourceType::AwsEc2Instance,
        description: "Fails for each instance (not terminated) with the VPC's default security group on any of its network interfaces, naming the interfaces. Skips an instance whose groups are not all in the input.",
        risk: "The default group is shared by everything launched without a group: its members can reach each other on every port, and a rule added to it for one workload opens every other one. It also cannot be locked down (CIS 5.4) while instances depend on it.",
        remediation: "Create a group for the workload with only the ports it serves, put it on the instance's interfaces in place of the default group (aws ec2 modify-network-interface-attribute --groups), and remove the default group from the instance.",
        references: &[
            "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
        ],
        categories: &["hygiene", "default-group"],
        compliance: &[CIS_DEFAULT_SG, BOUNDARY_PROTECTION],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let estate = ctx.estate;
    estate
        .instances
        .par_iter()
        .enumerate()
        .filter(|(_, instance)| !instance.state.is_gone())
        .filter_map(|(i, instance)| {
            let exposure = &ctx.eval.instances[i];
            let default_group = exposure
                .groups
                .iter()
                .map(|&g| &estate.security_groups[g as usize])
                .find(|g| is_default_group(g));
            let status = match default_group {
                Some(_) => Status::Fail,
                None if !exposure.missing_groups.is_empty() => Status::Skip,
                None => Status::Pass,
            };
            finding(
                ctx,
                &CHECK.meta,
                status,
                || instance_resource(estate, instance),
                || {
                    let label = instance_label(instance);
                    match default_group {
                        Some(group) => {
                            let places: Vec<&str> = exposure
                                .interfaces
                                .iter()
                                .filter(|f| {
                                    f.groups.iter().any(|&g| {
                                        is_default_group(&estate.security_groups[g as usize])
                                    })
                                })
                                .map(|f| match f.interface {
                                    Some(e) => estate.network_interfaces[e].id.as_str(),
                                    None => "the instance's group list",
                                })
                                .collect();
                            format!(
                                "Instance {label} uses the default security group {} on {}.",
                                group.id,
                                places.join(", ")
                            )
                        }
                        None if !exposure.missing_groups.is_empty() => format!(
                            "Instance {label}: cannot tell whether it uses the default group: security group {} is not in the input.",
                            exposure.missing_groups.join(", ")
                        ),
                        None => {
                            format!("Instance {label} does not use a default security group.")
                        }
                    }
                },
            )
        })
        .collect()
}
