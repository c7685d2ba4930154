//! OCSF 1.5 Detection Finding (class 2004), one per finding, in a JSON array — shaped as
//! Prowler emits them, so tools that ingest Prowler's OCSF output ingest ringfence's.
//! ringfence's own evidence (ports, sources, path, fingerprint, mute, baseline) goes in
//! `unmapped.ringfence`.

use crate::Context;
use crate::text;
use ringfence_findings::{Finding, Report, Severity, Status};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::str::FromStr;

const OCSF_VERSION: &str = "1.5.0";

/// OCSF severity_id: 1 Informational .. 5 Critical.
fn severity(severity: Severity) -> (u8, &'static str) {
    match severity {
        Severity::Info => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

/// Prowler's status codes: PASS, FAIL, and MANUAL for what needs a person (SKIP).
fn status_code(status: Status) -> &'static str {
    match status {
        Status::Fail => "FAIL",
        Status::Pass => "PASS",
        Status::Skip => "MANUAL",
    }
}

fn finding(report: &Report, f: &Finding, ctx: &Context) -> Value {
    let meta = text::meta(f);
    let (severity_id, severity_name) = severity(f.severity);
    // OCSF finding status: 1 New, 3 Suppressed (muted).
    let (status_id, status) = if f.muted {
        (3, "Suppressed")
    } else {
        (1, "New")
    };
    let account = f.resource.account.clone().unwrap_or_default();
    let arn = f.resource.arn();
    let time = ctx.generated_at.millis();
    let time_dt = ctx.generated_at.rfc3339();
    let mut compliance: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for c in f.compliance {
        compliance.entry(c.framework).or_default().push(c.control);
    }
    let mut labels = Vec::new();
    if let Some(name) = &f.resource.name {
        labels.push(format!("Name:{name}"));
    }
    let mut value = json!({
        "message": f.message,
        "metadata": {
            "event_code": f.check_id,
            "product": {
                "name": "ringfence",
                "uid": "ringfence",
                "vendor_name": "ringfence",
                "version": report.tool.version,
            },
            "profiles": ["cloud", "datetime"],
            "tenant_uid": "",
            "version": OCSF_VERSION,
        },
        "severity_id": severity_id,
        "severity": severity_name,
        "status": status,
        "status_code": status_code(f.status),
        "status_detail": f.message,
        "status_id": status_id,
        "unmapped": {
            "related_url": "",
            "categories": meta.map_or(&[][..], |m| m.categories),
            "depends_on": [],
            "related_to": [],
            "additional_urls": meta.map_or(&[][..], |m| m.references),
            "notes": "",
            "compliance": compliance,
            "provider_uid": account,
            "provider": "aws",
            "ringfence": {
                "fingerprint": text::fingerprint(f),
                "status": f.status.as_str(),
                "muted": f.muted,
                "mute_reason": f.mute_reason,
                "mute_expires": f.mute_expires,
                "baseline": f.baseline.map(|b| b.as_str()),
                "exposure": f.exposure,
                "location": f.resource.location,
                "aliases": meta.map(|m| m.aliases.iter().map(|a| format!("{}:{}", a.tool, a.id)).collect::<Vec<_>>()),
            },
        },
        "activity_name": "Create",
        "activity_id": 1,
        "finding_info": {
            "analytic": {
                "category": "ec2",
                "name": text::title(f),
                "type": "Rule",
                "type_id": 1,
                "uid": f.check_id,
            },
            "created_time": time,
            "created_time_dt": time_dt,
            "desc": meta.map_or("", |m| m.description),
            "title": text::title(f),
            "types": [
                "Software and Configuration Checks/AWS Security Best Practices/Network Reachability",
                "TTPs/Initial Access",
                "Effects/Data Exposure",
            ],
            "uid": format!(
                "ringfence-aws-{}-{}-{}-{}",
                f.check_id, account, f.resource.region, f.resource.id
            ),
        },
        "resources": [{
            "cloud_partition": f.resource.partition(),
            "region": f.resource.region,
            "data": {
                "details": "",
                "metadata": {
                    "id": f.resource.id,
                    "arn": arn,
                    "name": f.resource.name,
                    "account": f.resource.account,
                    "region": f.resource.region,
                    "location": f.resource.location,
                },
            },
            "group": { "name": "ec2" },
            "labels": labels,
            "name": f.resource.id,
            "type": f.resource.kind.as_str(),
            "uid": arn,
        }],
        "category_name": "Findings",
        "category_uid": 2,
        "class_name": "Detection Finding",
        "class_uid": 2004,
        "cloud": {
            "account": {
                "name": "",
                "type": "AWS Account",
                "type_id": 10,
                "uid": account,
                "labels": [],
            },
            "org": { "name": "", "ou_uid": "", "ou_name": "", "uid": "" },
            "provider": "aws",
            "region": f.resource.region,
        },
        "remediation": {
            "desc": f.remediation,
            "references": meta.map_or(&[][..], |m| m.references),
        },
        "risk_details": meta.map_or("", |m| m.risk),
        "time": time,
        "time_dt": time_dt,
        "type_uid": 200401,
        "type_name": "Detection Finding: Create",
    });
    if let Some(event) = &f.event {
        // `ringfence trail`: who did it, through which call, from where.
        let actor = &event.actor;
        value["actor"] = json!({
            "user": {
                "uid": actor.arn,
                "type": actor.kind,
                "credential_uid": actor.access_key_id,
                "account": { "uid": actor.account_id },
            },
            "session": { "issuer": actor.session_issuer },
        });
        value["api"] = json!({
            "operation": event.event_name,
            "service": { "name": event.event_source },
            "request": { "uid": event.event_id },
        });
        value["src_endpoint"] = json!({ "ip": actor.source_ip });
        value["http_request"] = json!({ "user_agent": actor.user_agent });
        value["unmapped"]["ringfence"]["event"] = json!(event);
        if let Ok(at) = jiff::Timestamp::from_str(&event.time) {
            value["finding_info"]["first_seen_time"] = json!(at.as_millisecond());
            value["finding_info"]["first_seen_time_dt"] = json!(event.time);
        }
    }
    value
}

pub(crate) fn render(report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| finding(report, f, ctx))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &findings)?;
    writeln!(out)
}
