//! The account's own guard rails: CloudTrail stopped or weakened, the root user at
//! work, snapshots copied out of the allowed regions, expensive instances launched
//! after hours.

use super::{
    AUDIT_REVIEW, CIS_ROOT_USAGE, CIS_TRAIL_CHANGES, CONFIG_CHANGE_CONTROL, Ctx, Detector, by,
    finding,
};
use crate::event::Event;
use crate::state::{GroupChange, items, text};
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity};
use serde_json::Value;

pub static TRAIL_WEAKENED: Detector = Detector {
    meta: CheckMeta {
        id: "trail_cloudtrail_stopped_or_weakened",
        title: "CloudTrail logging was stopped, deleted or weakened",
        severity: Severity::High,
        resource_type: ResourceType::AwsCloudTrailTrail,
        description: "Fails for StopLogging and DeleteTrail; for UpdateTrail turning multi-region logging, log-file validation or global service events off; and for PutEventSelectors that leave no selector logging management events (or only read or only write ones, or exclude event sources such as KMS).",
        risk: "Attackers turn the recorder off first: every call after it is invisible, and nothing else in the account will say so.",
        remediation: "StartLogging on the trail at once (`ringfence respond` does it), restore its settings, and find out why the actor could stop it (an SCP should deny cloudtrail:StopLogging and DeleteTrail).",
        references: &[
            "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html",
        ],
        categories: &["trail", "logging"],
        compliance: &[CIS_TRAIL_CHANGES, AUDIT_REVIEW],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run: trail_weakened,
};

pub static ROOT_ACTIVITY: Detector = Detector {
    meta: CheckMeta {
        id: "trail_root_user_activity",
        title: "The root user made an API call",
        severity: Severity::High,
        resource_type: ResourceType::AwsAccount,
        description: "Fails for every call the root user made in person (userIdentity.type Root, not invoked by an AWS service, not an AWS service event), except the calls allowed by configuration (--root-allowed).",
        risk: "The root user cannot be limited by any policy; its use outside the few tasks that need it means lost credentials or a broken process.",
        remediation: "Confirm with the account owner; if unexpected, rotate the root password, check its MFA device, and delete any root access key.",
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-tasks.html"],
        categories: &["trail", "identity"],
        compliance: &[CIS_ROOT_USAGE, AUDIT_REVIEW],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run: root_activity,
};

pub static SNAPSHOT_COPIED_OUT: Detector = Detector {
    meta: CheckMeta {
        id: "trail_snapshot_copied_to_unapproved_region",
        title: "A snapshot was copied to a region outside the allowed list",
        severity: Severity::High,
        resource_type: ResourceType::AwsEc2Snapshot,
        description: "Fails for each CopySnapshot, CopyDBSnapshot or CopyDBClusterSnapshot whose destination region is not in the allowed list (--snapshot-regions); without a list, for each copy into another region than its source's (medium).",
        risk: "A snapshot is the whole disk or database; copied to another region it leaves data-residency boundaries and the controls built around them, and is one share away from another account.",
        remediation: "Delete the copy if it was not approved, and restrict the copy actions with an SCP on aws:RequestedRegion.",
        references: &[
            "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopySnapshot.html",
        ],
        categories: &["trail", "data-residency"],
        compliance: &[AUDIT_REVIEW, CONFIG_CHANGE_CONTROL],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run: snapshot_copied_out,
};

pub static INSTANCE_TYPE_OFF_HOURS: Detector = Detector {
    meta: CheckMeta {
        id: "trail_instance_type_launched_outside_hours",
        title: "A watched instance type was launched outside business hours",
        severity: Severity::Medium,
        resource_type: ResourceType::AwsEc2Instance,
        description: "Fails for each RunInstances of a watched instance type outside business hours (--business-hours, default Mon-Fri 08:00-19:00 UTC). The watched list (--instance-types, `p4d.*` for a family, `*.metal`) defaults to the GPU, accelerator and very-large-memory families crypto-miners reach for.",
        risk: "Expensive GPU and memory instances launched at night are the signature of stolen credentials mining cryptocurrency: the bill arrives weeks later.",
        remediation: "Confirm with the actor; stop or terminate the instances if unexpected and rotate the credentials used.",
        references: &[],
        categories: &["trail", "cost"],
        compliance: &[AUDIT_REVIEW],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run: instance_type_off_hours,
};

/// `camelCase` or `PascalCase`: CloudTrail writes both, depending on the service's age.
fn field<'v>(value: &'v Value, camel: &str) -> Option<&'v Value> {
    value.get(camel).or_else(|| {
        let mut pascal = camel.to_string();
        if let Some(first) = pascal.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        value.get(&pascal)
    })
}

fn flag(value: &Value, camel: &str) -> Option<bool> {
    match field(value, camel)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn trail_weakened(_: &mut Ctx<'_>, event: &Event, _: Option<&GroupChange>, out: &mut Vec<Finding>) {
    if event.source != "cloudtrail.amazonaws.com" || !event.succeeded() {
        return;
    }
    let Some(request) = event.request::<Value>() else {
        return;
    };
    let trail = field(&request, "name")
        .or_else(|| field(&request, "trailName"))
        .and_then(Value::as_str)
        .unwrap_or("unknown trail")
        .to_string();
    let mut weakened: Vec<(String, Severity)> = Vec::new();
    match event.name.as_str() {
        "StopLogging" => weakened.push(("logging stopped".into(), Severity::High)),
        "DeleteTrail" => weakened.push(("trail deleted".into(), Severity::High)),
        "UpdateTrail" => {
            for (setting, what) in [
                ("isMultiRegionTrail", "multi-region logging turned off"),
                ("enableLogFileValidation", "log-file validation turned off"),
                (
                    "includeGlobalServiceEvents",
                    "global service events (IAM, STS) no longer logged",
                ),
            ] {
                if flag(&request, setting) == Some(false) {
                    weakened.push((what.into(), Severity::Medium));
                }
            }
        }
        "PutEventSelectors" => weakened.extend(selectors_weakness(&request)),
        _ => return,
    }
    if weakened.is_empty() {
        return;
    }
    let severity = weakened
        .iter()
        .map(|(_, s)| *s)
        .max()
        .unwrap_or(Severity::High);
    let what: Vec<String> = weakened.into_iter().map(|(w, _)| w).collect();
    let message = format!(
        "{} {}: trail {trail}: {}",
        event.name,
        by(event),
        what.join("; ")
    );
    let mut f = finding(
        &TRAIL_WEAKENED.meta,
        event,
        ResourceType::AwsCloudTrailTrail,
        &trail,
        message,
    );
    f.severity = severity;
    out.push(f);
}

/// What a PutEventSelectors call drops from the management events.
fn selectors_weakness(request: &Value) -> Vec<(String, Severity)> {
    let mut found = Vec::new();
    if let Some(advanced) = field(request, "advancedEventSelectors").filter(|v| !v.is_null()) {
        let mut reads = false;
        let mut writes = false;
        for selector in items(Some(advanced)) {
            let fields: Vec<&Value> = items(field(selector, "fieldSelectors")).collect();
            let equals = |name: &str| -> Option<Vec<String>> {
                fields
                    .iter()
                    .find(|f| field(f, "field").and_then(Value::as_str) == Some(name))
                    .map(|f| {
                        items(field(f, "equals"))
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
            };
            if !equals("eventCategory").is_some_and(|v| v.iter().any(|c| c == "Management")) {
                continue;
            }
            match equals("readOnly").as_deref() {
                Some([only]) if only == "true" => reads = true,
                Some([only]) if only == "false" => writes = true,
                _ => {
                    reads = true;
                    writes = true;
                }
            }
        }
        found.extend(management_gap(reads, writes, "advanced selector"));
        return found;
    }
    let selectors: Vec<&Value> = items(field(request, "eventSelectors")).collect();
    let mut reads = false;
    let mut writes = false;
    let mut excluded = Vec::new();
    for selector in &selectors {
        if flag(selector, "includeManagementEvents") == Some(false) {
            continue;
        }
        match field(selector, "readWriteType").and_then(Value::as_str) {
            Some("ReadOnly") => reads = true,
            Some("WriteOnly") => writes = true,
            _ => {
                reads = true;
                writes = true;
            }
        }
        excluded.extend(
            items(field(selector, "excludeManagementEventSources"))
                .filter_map(|v| v.as_str().map(str::to_string)),
        );
    }
    found.extend(management_gap(reads, writes, "selector"));
    if !excluded.is_empty() {
        found.push((
            format!("management events of {} excluded", excluded.join(", ")),
            Severity::Medium,
        ));
    }
    found
}

/// What the selectors leave out of the management events, read and write.
fn management_gap(reads: bool, writes: bool, kind: &str) -> Option<(String, Severity)> {
    match (reads, writes) {
        (false, false) => Some((format!("no {kind} logs management events"), Severity::High)),
        (true, false) => Some((
            "write management events no longer logged".into(),
            Severity::High,
        )),
        (false, true) => Some((
            "read management events no longer logged".into(),
            Severity::Medium,
        )),
        (true, true) => None,
    }
}

fn root_activity(
    ctx: &mut Ctx<'_>,
    event: &Event,
    _: Option<&GroupChange>,
    out: &mut Vec<Finding>,
) {
    if !event.is_root() || ctx.config.root_allowed.iter().any(|a| a == &event.name) {
        return;
    }
    let outcome = match &event.error_code {
        Some(code) => format!(" (failed: {code})"),
        None => String::new(),
    };
    let agent = event
        .actor
        .user_agent
        .as_deref()
        .map_or(String::new(), |ua| format!(" with {ua}"));
    let message = format!(
        "the root user called {} ({}){outcome} {}{agent}",
        event.name,
        event.source,
        by(event)
    );
    let account = event.account.clone().unwrap_or_default();
    out.push(finding(
        &ROOT_ACTIVITY.meta,
        event,
        ResourceType::AwsAccount,
        &account,
        message,
    ));
}

fn snapshot_copied_out(
    ctx: &mut Ctx<'_>,
    event: &Event,
    _: Option<&GroupChange>,
    out: &mut Vec<Finding>,
) {
    if !event.succeeded() {
        return;
    }
    let allowed = ctx.config.snapshot_regions.as_deref();
    let (kind, source_field, target) = match event.name.as_str() {
        "CopySnapshot" => (
            ResourceType::AwsEc2Snapshot,
            "sourceSnapshotId",
            "snapshotId",
        ),
        "CopyDBSnapshot" => (
            ResourceType::AwsRdsDbSnapshot,
            "sourceDBSnapshotIdentifier",
            "targetDBSnapshotIdentifier",
        ),
        "CopyDBClusterSnapshot" => (
            ResourceType::AwsRdsDbSnapshot,
            "sourceDBClusterSnapshotIdentifier",
            "targetDBClusterSnapshotIdentifier",
        ),
        _ => return,
    };
    let request: Value = event.request().unwrap_or(Value::Null);
    let response: Value = event.response().unwrap_or(Value::Null);
    // The copy is made by a call to the destination region (EC2 also takes an explicit
    // destination with a presigned URL).
    let destination = text(&request, "destinationRegion").unwrap_or(&event.region);
    if allowed.is_some_and(|list| list.iter().any(|r| r == destination)) {
        return;
    }
    let source = text(&request, source_field).unwrap_or("a snapshot");
    let source_region = text(&request, "sourceRegion")
        .map(str::to_string)
        .or_else(|| {
            source
                .strip_prefix("arn:")
                .and_then(|arn| arn.split(':').nth(2))
                .map(str::to_string)
        });
    let copy = text(&response, target)
        .or_else(|| {
            response
                .get("dBSnapshot")
                .or(response.get("dBClusterSnapshot"))
                .and_then(|s| {
                    text(s, "dBSnapshotIdentifier").or(text(s, "dBClusterSnapshotIdentifier"))
                })
        })
        .or(text(&request, target))
        .unwrap_or(source);
    // Without an allowed list, any copy out of its own region is the finding.
    let why = match allowed {
        Some(list) => format!("allowed regions: {}", list.join(", ")),
        None if source_region.as_deref().is_some_and(|r| r != destination) => {
            "a copy out of its region (--snapshot-regions names the allowed ones)".to_string()
        }
        None => return,
    };
    let from = source_region.map_or(String::new(), |r| format!(" from {r}"));
    let message = format!(
        "{} {}: {source}{from} copied to {destination} as {copy}; {why}",
        event.name,
        by(event),
    );
    let mut f = finding(&SNAPSHOT_COPIED_OUT.meta, event, kind, copy, message);
    f.resource.region = destination.to_string();
    if allowed.is_none() {
        f.severity = Severity::Medium;
    }
    out.push(f);
}

fn instance_type_off_hours(
    ctx: &mut Ctx<'_>,
    event: &Event,
    _: Option<&GroupChange>,
    out: &mut Vec<Finding>,
) {
    if event.name != "RunInstances" || !event.succeeded() {
        return;
    }
    let hours = &ctx.config.business_hours;
    if hours.contains(event.time) {
        return;
    }
    let request: Value = event.request().unwrap_or(Value::Null);
    let response: Value = event.response().unwrap_or(Value::Null);
    let mut launched: Vec<(String, String)> = items(response.get("instancesSet"))
        .filter_map(|i| {
            Some((
                text(i, "instanceId")?.to_string(),
                text(i, "instanceType")
                    .or(text(&request, "instanceType"))?
                    .to_string(),
            ))
        })
        .collect();
    if launched.is_empty()
        && let Some(kind) = text(&request, "instanceType")
    {
        launched.push((
            "(instance id not in the event)".to_string(),
            kind.to_string(),
        ));
    }
    launched.retain(|(_, kind)| ctx.config.watches_instance_type(kind));
    if launched.is_empty() {
        return;
    }
    let local = event.time.to_zoned(hours.zone.clone());
    let list: Vec<String> = launched
        .iter()
        .map(|(id, kind)| format!("{id} ({kind})"))
        .collect();
    let message = format!(
        "RunInstances {}: {} launched at {} local time, outside business hours ({})",
        by(event),
        list.join(", "),
        local.strftime("%a %H:%M %Z"),
        hours.text
    );
    out.push(finding(
        &INSTANCE_TYPE_OFF_HOURS.meta,
        event,
        ResourceType::AwsEc2Instance,
        &launched[0].0,
        message,
    ));
}
