//! A region where AWS Config does not record (CIS AWS 3.3, FSBP Config.1): no history of
//! what a security group looked like yesterday, and no rule evaluation on changes.

use super::{AUDIT_RECORDS, CIS_CONFIG, FSBP_CONFIG};
use crate::hygiene::{finding, gap, region_resource};
use crate::{Check, Context};
use ringfence_findings::{
    Alias, CheckMeta, Enablement, Finding, ResourceType, Severity, Status, Tool,
};
use ringfence_model::{ResourceKind, ScopeId};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "config_recorder_all_regions_enabled",
        title: "Region has no AWS Config recorder that is recording",
        severity: Severity::Medium,
        resource_type: ResourceType::AwsConfigConfigurationRecorder,
        description: "Fails for each account and region read with no configuration recorder whose status is recording and whose last status is not a failure (describe-configuration-recorders and describe-configuration-recorder-status), naming what was found. Skips the region when either file is missing or could not be read. Opt-in: it needs config:DescribeConfigurationRecorders and config:DescribeConfigurationRecorderStatus.",
        risk: "Without a recorder there is no configuration history: when a group turns out to have been open, nobody can tell since when, what else changed with it, or prove to an auditor that it was closed.",
        remediation: "Set up AWS Config in the region (a configuration recorder recording all supported resource types, a delivery channel) and start the recorder; the finding prints the start command for a recorder that exists but is stopped.",
        references: &[
            "https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html",
        ],
        categories: &["hygiene", "logging"],
        compliance: &[CIS_CONFIG, FSBP_CONFIG, AUDIT_RECORDS],
        aliases: &[
            Alias {
                tool: Tool::Prowler,
                id: "config_recorder_all_regions_enabled",
            },
            Alias {
                tool: Tool::SecurityHub,
                id: "Config.1",
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
            let recorders: Vec<_> = estate
                .config_recorders
                .iter()
                .filter(|r| r.origin.scope == scope)
                .collect();
            let failed = |r: &&&ringfence_model::ConfigRecorder| {
                r.last_status
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case("failure"))
            };
            let good = recorders
                .iter()
                .find(|r| r.recording == Some(true) && !failed(r));
            let kind = ResourceType::AwsConfigConfigurationRecorder;
            let gap = gap(estate, scope, ResourceKind::ConfigRecorders)
                .or_else(|| gap(estate, scope, ResourceKind::ConfigRecorderStatus));
            let (status, message, res) = if let Some(r) = good {
                (
                    Status::Pass,
                    format!(
                        "Region {region}: configuration recorder {} is recording{}.",
                        r.name,
                        if r.all_supported {
                            " all supported resource types"
                        } else {
                            " selected resource types"
                        }
                    ),
                    region_resource(estate, kind, scope, Some(&r.name), Some(&r.origin)),
                )
            } else if let Some(gap) = gap {
                (
                    Status::Skip,
                    format!(
                        "Region {region}: cannot tell whether AWS Config records: {}.",
                        gap.reason
                    ),
                    region_resource(estate, kind, scope, None, None),
                )
            } else {
                let seen: Vec<String> = recorders
                    .iter()
                    .map(|r| match (r.recording, r.last_status.as_deref()) {
                        (Some(true), Some(last)) => {
                            format!("{} is recording but its last status is {last}", r.name)
                        }
                        (Some(true), None) => format!("{} is recording", r.name),
                        _ => format!(
                        "{} is not recording (aws configservice start-configuration-recorder --region {region} --configuration-recorder-name {})",
                        r.name, r.name
                    ),
                    })
                    .collect();
                let detail = if seen.is_empty() {
                    "no configuration recorder".to_string()
                } else {
                    seen.join(", ")
                };
                let res = match recorders.first() {
                    Some(r) => region_resource(estate, kind, scope, Some(&r.name), Some(&r.origin)),
                    None => region_resource(estate, kind, scope, None, None),
                };
                (
                    Status::Fail,
                    format!(
                        "Region {region} has no AWS Config recorder that is recording: {detail}."
                    ),
                    res,
                )
            };
            finding(ctx, &CHECK.meta, status, || res, move || message)
        })
        .collect()
}
