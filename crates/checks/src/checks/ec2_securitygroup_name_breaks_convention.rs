//! Group names that break the organisation's naming convention (a regular expression in
//! the config): a group outside the convention was usually made by hand, outside review.

use crate::hygiene::{finding, group_label, group_resource, is_default_group};
use crate::{Check, Context};
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity, Status};

use super::LEAST_FUNCTIONALITY;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_name_breaks_convention",
        title: "Security group name breaks the naming convention",
        severity: Severity::Low,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: "Fails for each security group (VPC default groups excepted: AWS names them) whose name does not match the regular expression `naming.security_group` from the config file (anchor it with ^...$ to match the whole name). Judges nothing until the expression is set.",
        risk: "Groups that escape the convention were usually made by hand, outside code review and the pipeline's checks; they are the ones nobody owns, nobody cleans up, and nobody notices when they open too much.",
        remediation: "Recreate the group under a conforming name (security groups cannot be renamed), move its interfaces to it, and delete the old one; or fix the convention if it is the convention that is wrong.",
        references: &[
            "https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html",
        ],
        categories: &["hygiene", "naming"],
        compliance: &[LEAST_FUNCTIONALITY],
        aliases: &[],
        enablement: Enablement::WhenConfigured("naming.security_group"),
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let Some(pattern) = &ctx.config.naming.security_group else {
        return Vec::new();
    };
    let estate = ctx.estate;
    let regex = regex::Regex::new(pattern);
    estate
        .security_groups
        .iter()
        .filter(|group| !is_default_group(group))
        .filter_map(|group| {
            let label = group_label(group);
            let (status, message) = match &regex {
                Err(e) => (
                    Status::Skip,
                    format!("Security group {label}: naming.security_group is not a regular expression: {e}."),
                ),
                Ok(re) if re.is_match(&group.name) => (
                    Status::Pass,
                    format!("Security group {label}: name matches {pattern:?}."),
                ),
                Ok(_) => (
                    Status::Fail,
                    format!(
                        "Security group {label}: name {:?} does not match the naming convention {pattern:?}.",
                        group.name
                    ),
                ),
            };
            finding(ctx, &CHECK.meta, status, || group_resource(estate, group), move || message)
        })
        .collect()
}
