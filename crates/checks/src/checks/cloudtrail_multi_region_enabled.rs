//! A region with no multi-region CloudTrail trail that is logging (CIS AWS 3.1, FSBP
//! CloudTrail.1): nobody can answer who opened a port, when, or from where.

use super::{AUDIT_RECORDS, CIS_CLOUDTRAIL, FSBP_CLOUDTRAIL};
use crate::hygiene::{finding, gap, region_resource};
use crate::{Check, Context};
use ringfence_findings::{
    Alias, CheckMeta, Enablement, Finding, ResourceType, Severity, Status, Tool,
};
use ringfence_model::{ResourceKind, ScopeId};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudtrail_multi_region_enabled",
        title: "Region has no multi-region CloudTrail trail that is logging",
        severity: Severity::High,
        resource_type: ResourceType::AwsCloudTrailTrail,
        description: "Fails for each account and region read where describe-trails lists no multi-region trail (IsMultiRegionTrail; a trail from another home region shows up in every region it covers) whose get-trail-status says IsLogging, naming the trails seen and what is wrong with each. Skips the region when describe-trails.json is missing or could not be read, or when a multi-region trail's status is unknown and no other one logs. Opt-in: it needs cloudtrail:DescribeTrails and cloudtrail:GetTrailStatus.",
        risk: "Without a trail that logs every region, security-group changes (who opened 9042 to the world, when, from which IP) and activity in regions nobody watches leave no record: incidents cannot be reconstructed and an attacker's own changes go unseen.",
        remediation: "Create a multi-region trail and start its logging, or turn an existing trail multi-region and start it (the finding prints the commands for the trails it saw).",
        references: &[
            "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html",
        ],
        categories: &["hygiene", "logging"],
        compliance: &[CIS_CLOUDTRAIL, FSBP_CLOUDTRAIL, AUDIT_RECORDS],
        aliases: &[
            Alias {
                tool: Tool::Prowler,
                id: "cloudtrail_multi_region_enabled",
            },
            Alias {
                tool: Tool::SecurityHub,
                id: "CloudTrail.1",
            },
        ],
        enablement: Enablement::OptIn,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let estate = ctx.estate;
    (0..estate.scopes.len())
        .filter_map(|s| {
            let scope = ScopeId(s as u32);
            let region = &estate.scope(scope).region;
            let trails: Vec<_> = estate.trails.iter().filter(|t| t.origin.scope == scope).collect();
            let good = trails.iter().find(|t| t.is_multi_region && t.is_logging == Some(true));
            let unsure = trails.iter().find(|t| t.is_multi_region && t.is_logging.is_none());
            let kind = ResourceType::AwsCloudTrailTrail;
            let (status, message, res) = if let Some(trail) = good {
                (Status::Pass, format!("Region {region}: multi-region trail {} is logging.", trail.name), region_resource(estate, kind, scope, Some(&trail.name), Some(&trail.origin)))
            } else if let Some(gap) = gap(estate, scope, ResourceKind::Trails) {
                (Status::Skip, format!("Region {region}: cannot tell whether a multi-region trail logs: {}.", gap.reason), region_resource(estate, kind, scope, None, None))
            } else if let Some(trail) = unsure {
                (Status::Skip, format!("Region {region}: cannot tell whether multi-region trail {} is logging: its get-trail-status was not read.", trail.name), region_resource(estate, kind, scope, Some(&trail.name), Some(&trail.origin)))
            } else {
                let region_name = region.clone();
                let seen: Vec<String> = trails.iter().map(|t| {
                    let home = t.home_region.as_deref().unwrap_or(&region_name);
                    if !t.is_multi_region {
                        format!("{} is single-region (aws cloudtrail update-trail --region {home} --name {} --is-multi-region-trail)", t.name, t.name)
                    } else {
                        format!("{} is not logging (aws cloudtrail start-logging --region {home} --name {})", t.name, t.name)
                    }
                }).collect();
                let detail = if seen.is_empty() { "no trail at all".to_string() } else { seen.join(", ") };
                let res = match trails.first() {
                    Some(t) => region_resource(estate, kind, scope, Some(&t.name), Some(&t.origin)),
                    None => region_resource(estate, kind, scope, None, None),
                };
                (Status::Fail, format!("Region {region} has no multi-region CloudTrail trail that is logging: {detail}."), res)
            };
            finding(ctx, &CHECK.meta, status, || res, move || message)
        })
        .collect()
}
