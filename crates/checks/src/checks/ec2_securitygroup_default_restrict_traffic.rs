//! The VPC default security group should allow nothing (CIS AWS 5.4, FSBP EC2.2): any
//! instance launched without a group gets it, so its rules apply by accident.

use super::{BOUNDARY_PROTECTION, CIS_DEFAULT_SG, FSBP_DEFAULT_SG};
use crate::hygiene::{
    describe_egress, describe_rule, finding, group_label, group_resource, is_default_group, list,
};
use crate::{Check, Context};
use rayon::prelude::*;
use ringfence_findings::{
    Alias, CheckMeta, Enablement, Finding, ResourceType, Severity, Status, Tool,
};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_default_restrict_traffic",
        title: "VPC default security group allows traffic",
        severity: Severity::Medium,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: "Fails for each VPC's default security group (the group named `default`) that has any inbound or outbound rule, naming the rules. AWS creates every default group with an inbound rule from itself and an outbound rule to everywhere, so an untouched VPC fails. Graded low while nothing uses the group, medium once something does.",
        risk: "Resources launched without a group land in the default group and silently receive its rules: members reach each other on every port and reach the internet on every port, the opposite of least privilege.",
        remediation: "Remove every inbound and outbound rule from the default group (the finding prints the commands when the rule ids are known), and give each workload a group of its own first.",
        references: &[
            "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
        ],
        categories: &["hygiene", "default-group"],
        compliance: &[CIS_DEFAULT_SG, FSBP_DEFAULT_SG, BOUNDARY_PROTECTION],
        aliases: &[
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_default_restrict_traffic",
            },
            Alias {
                tool: Tool::SecurityHub,
                id: "EC2.2",
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
        .filter(|(_, group)| is_default_group(group))
        .filter_map(|(g, group)| {
            let label = group_label(group);
            let rules: Vec<String> = group
                .ingress
                .iter()
                .map(|r| format!("in {}", describe_rule(r)))
                .chain(
                    group
                        .egress
                        .iter()
                        .map(|r| format!("out {}", describe_egress(r))),
                )
                .collect();
            if rules.is_empty() {
                let message = format!("Default security group {label} allows no traffic.");
                return finding(
                    ctx,
                    &CHECK.meta,
                    Status::Pass,
                    || group_resource(estate, group),
                    move || message,
                );
            }
            let used = ctx.eval.placements[g].len();
            let mut message = format!(
                "Default security group {label} allows traffic ({}){}.",
                list(&rules, 4),
                if used > 0 {
                    format!("; {used} network interface(s) use it")
                } else {
                    String::new()
                }
            );
            message.push_str(&revoke_commands(estate, group));
            let severity = if used > 0 {
                Severity::Medium
            } else {
                Severity::Low
            };
            finding(
                ctx,
                &CHECK.meta,
                Status::Fail,
                || group_resource(estate, group),
                move || message,
            )
            .map(|f| f.with_severity(severity))
        })
        .collect()
}

/// The exact revoke commands, when every rule has its `sgr-` id (describe-security-group-rules).
fn revoke_commands(
    estate: &ringfence_model::Estate,
    group: &ringfence_model::SecurityGroup,
) -> String {
    let ids = |rules: &[ringfence_model::Rule]| -> Option<Vec<String>> {
        rules.iter().map(|r| r.id.clone()).collect()
    };
    let (Some(ingress), Some(egress)) = (ids(&group.ingress), ids(&group.egress)) else {
        return String::new();
    };
    let region = &estate.scope(group.origin.scope).region;
    let mut commands = Vec::new();
    for (verb, ids) in [("ingress", ingress), ("egress", egress)] {
        if !ids.is_empty() {
            commands.push(format!(
                "aws ec2 revoke-security-group-{verb} --region {region} --group-id {} --security-group-rule-ids {}",
                group.id,
                ids.join(" ")
            ));
        }
    }
    format!(" Remove them: {}.", commands.join("; "))
}
