//! VPC flow logs (CIS AWS 3.7, FSBP EC2.6): without them there is no record of what
//! reached or left an instance, so an exposure found today cannot be checked for use.

use super::{AUDIT_RECORDS, CIS_FLOW_LOGS, FSBP_FLOW_LOGS};
use crate::hygiene::{finding, gap, resource};
use crate::{Check, Context};
use ringfence_findings::{
    Alias, CheckMeta, Enablement, Finding, ResourceType, Severity, Status, Tool,
};
use ringfence_model::ResourceKind;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "vpc_flow_logs_enabled",
        title: "VPC has no active flow log",
        severity: Severity::Medium,
        resource_type: ResourceType::AwsEc2Vpc,
        description: "Fails for each VPC with no flow log on the VPC itself that is active and delivering (describe-flow-logs: ResourceId the VPC, FlowLogStatus ACTIVE, DeliverLogsStatus not failing); flow logs on single subnets or interfaces do not cover the VPC. Skips every VPC of a region whose describe-flow-logs.json is missing or could not be read (ec2:DescribeFlowLogs). Opt-in: it needs data an exposure scan does not.",
        risk: "Without flow logs nobody can tell whether an exposed port was actually used, by whom, or what left the network afterwards: incident response starts blind, and the exposure findings cannot be confirmed or ruled out.",
        remediation: "Create a flow log for the VPC, to CloudWatch Logs or S3 (the finding prints the command for S3, with your bucket to fill in).",
        references: &["https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html"],
        categories: &["hygiene", "logging"],
        compliance: &[CIS_FLOW_LOGS, FSBP_FLOW_LOGS, AUDIT_RECORDS],
        aliases: &[
            Alias {
                tool: Tool::Prowler,
                id: "vpc_flow_logs_enabled",
            },
            Alias {
                tool: Tool::SecurityHub,
                id: "EC2.6",
            },
        ],
        enablement: Enablement::OptIn,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let estate = ctx.estate;
    estate
        .vpcs
        .iter()
        .filter_map(|vpc| {
            let scope = vpc.origin.scope;
            let name = vpc.tags.name();
            let label = match name {
                Some(name) => format!("{} ({name})", vpc.id),
                None => vpc.id.clone(),
            };
            let logs: Vec<_> = estate
                .flow_logs
                .iter()
                .filter(|f| f.origin.scope == scope && f.resource_id == vpc.id)
                .collect();
            let (status, message) = if let Some(log) = logs.iter().find(|f| f.is_active()) {
                (
                    Status::Pass,
                    format!(
                        "VPC {label} has active flow log {} ({} traffic).",
                        log.id,
                        log.traffic_type.as_deref().unwrap_or("unknown")
                    ),
                )
            } else if let Some(gap) = gap(estate, scope, ResourceKind::FlowLogs) {
                (
                    Status::Skip,
                    format!(
                        "VPC {label}: cannot tell whether it has flow logs: {}.",
                        gap.reason
                    ),
                )
            } else if logs.is_empty() {
                (Status::Fail, format!(
                    "VPC {label} has no flow log. Create one: aws ec2 create-flow-logs --region {} --resource-type VPC --resource-ids {} --traffic-type ALL --log-destination-type s3 --log-destination arn:aws:s3:::YOUR-LOG-BUCKET",
                    estate.scope(scope).region,
                    vpc.id
                ))
            } else {
                let states: Vec<String> = logs
                    .iter()
                    .map(|f| {
                        format!(
                            "{} is {} (delivery: {})",
                            f.id,
                            f.status.as_deref().unwrap_or("unknown"),
                            f.deliver_status.as_deref().unwrap_or("unknown")
                        )
                    })
                    .collect();
                (
                    Status::Fail,
                    format!("VPC {label} has no active flow log: {}.", states.join("; ")),
                )
            };
            let res = resource(
                estate,
                ResourceType::AwsEc2Vpc,
                &vpc.id,
                name,
                &vpc.origin,
                vpc.owner_id.as_deref(),
            );
            finding(ctx, &CHECK.meta, status, || res, move || message)
        })
        .collect()
}
