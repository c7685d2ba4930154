//! AWS Security Finding Format (2018-10-08), a JSON array of findings ready for
//! `aws securityhub batch-import-findings --findings file://ringfence.asff.json`.

use crate::Context;
use crate::text;
use ringfence_findings::{Finding, Report, Severity, Status};
use serde_json::{Value, json};
use std::io::{self, Write};

fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "INFORMATIONAL",
        Severity::Low => "LOW",
        Severity::Medium => "MEDIUM",
        Severity::High => "HIGH",
        Severity::Critical => "CRITICAL",
    }
}

/// Security Hub limits some fields' length; cut on a character boundary.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn finding(report: &Report, f: &Finding, ctx: &Context) -> Value {
    let meta = text::meta(f);
    let account = f.resource.account.clone().unwrap_or_default();
    let region = &f.resource.region;
    let partition = f.resource.partition();
    let time = ctx.generated_at.rfc3339();
    let fingerprint = text::fingerprint(f);
    let compliance_status = match f.status {
        Status::Fail => "FAILED",
        Status::Pass => "PASSED",
        Status::Skip => "NOT_AVAILABLE",
    };
    let mut resource = json!({
        "Type": f.resource.kind.as_str(),
        "Id": f.resource.arn(),
        "Partition": partition,
        "Region": region,
    });
    if let Some(name) = &f.resource.name {
        resource["Tags"] = json!({ "Name": name });
    }
    let mut product_fields = json!({
        "ProviderName": "ringfence",
        "ProviderVersion": report.tool.version,
        "ringfence/CheckId": f.check_id,
        "ringfence/Fingerprint": fingerprint,
        "ringfence/Status": f.status.as_str(),
    });
    if let Some(exposure) = &f.exposure {
        product_fields["ringfence/Ports"] = json!(text::ports(f));
        product_fields["ringfence/Sources"] = json!(exposure.sources.join(", "));
        product_fields["ringfence/Reachability"] = json!(exposure.reachability.as_str());
    }
    if let Some(reason) = &f.mute_reason {
        product_fields["ringfence/MuteReason"] = json!(reason);
    }
    if let Some(state) = f.baseline {
        product_fields["ringfence/Baseline"] = json!(state.as_str());
    }
    let mut value = json!({
        "SchemaVersion": "2018-10-08",
        "Id": format!("ringfence/{account}/{region}/{}/{}/{fingerprint}", f.check_id, f.resource.id),
        "ProductArn": format!("arn:{partition}:securityhub:{region}:{account}:product/{account}/default"),
        "ProductName": "ringfence",
        "CompanyName": "ringfence",
        "GeneratorId": format!("ringfence-{}", f.check_id),
        "AwsAccountId": account,
        "Types": [
            "Software and Configuration Checks/AWS Security Best Practices/Network Reachability",
            "Effects/Data Exposure",
        ],
        "FirstObservedAt": time,
        "CreatedAt": time,
        "UpdatedAt": time,
        "Severity": {
            "Label": label(f.severity),
            "Original": f.severity.as_str(),
        },
        "Title": cut(text::title(f), 256),
        "Description": cut(&f.message, 1024),
        "Resources": [resource],
        "Compliance": {
            "Status": compliance_status,
            "RelatedRequirements": text::compliance(f).into_iter().take(32).collect::<Vec<_>>(),
        },
        "Remediation": {
            "Recommendation": {
                "Text": cut(f.remediation, 512),
                "Url": meta.and_then(|m| m.references.first()).copied().unwrap_or("https://github.com/ringfence/ringfence"),
            }
        },
        "ProductFields": product_fields,
        "RecordState": "ACTIVE",
        "Workflow": { "Status": if f.muted { "SUPPRESSED" } else { "NEW" } },
    });
    if let Some(event) = &f.event {
        // `ringfence trail`: the call that did it, as GuardDuty reports API calls.
        let actor = &event.actor;
        let mut call = json!({
            "Api": event.event_name,
            "ServiceName": event.event_source,
            "CallerType": "remoteip",
            "FirstSeen": event.time,
            "LastSeen": event.time,
        });
        if let Some(ip) = actor
            .source_ip
            .as_deref()
            .filter(|ip| ip.parse::<std::net::Ipv4Addr>().is_ok())
        {
            call["RemoteIpDetails"] = json!({ "IpAddressV4": ip });
        } else {
            call["CallerType"] = json!("domain");
            call["DomainDetails"] = json!({ "Domain": actor.source_ip });
        }
        value["Action"] = json!({ "ActionType": "AWS_API_CALL", "AwsApiCallAction": call });
        value["FirstObservedAt"] = json!(event.time);
        value["LastObservedAt"] = json!(event.time);
        value["ProductFields"]["ringfence/EventId"] = json!(event.event_id);
        value["ProductFields"]["ringfence/Actor"] = json!(actor.label());
        if let Some(key) = &actor.access_key_id {
            value["ProductFields"]["ringfence/AccessKeyId"] = json!(key);
        }
        if let Some(agent) = &actor.user_agent {
            value["ProductFields"]["ringfence/UserAgent"] = json!(cut(agent, 256));
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
