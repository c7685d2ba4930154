//! SARIF 2.1.0 for code-scanning UIs: one rule per registered check (from its metadata),
//! one result per finding, located at the file the resource was read from (the line, or
//! the JSON pointer, where known) and named by its ARN.

use crate::Context;
use crate::text;
use ringfence_checks::REGISTRY;
use ringfence_findings::{BaselineState, CheckMeta, Finding, Report, Severity, Status};
use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, LogicalLocation, Message, MultiformatMessageString,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultKind, ResultLevel, Run, Sarif, Suppression, Tool, ToolComponent,
    Version,
};
use std::collections::BTreeMap;
use std::io::{self, Write};

const INFORMATION_URI: &str = "https://github.com/ringfence/ringfence";
const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Info => ResultLevel::Note,
    }
}

/// GitHub code scanning's `security-severity` scale (0-10).
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// `ec2_instance_port_cassandra_exposed_to_internet` → `Ec2InstancePortCassandraExposedToInternet`.
fn rule_name(id: &str) -> String {
    id.split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// A relative path stays relative (resolved against the scan's working folder); an
/// absolute one becomes a `file://` URI. Anything outside the URI's unreserved set is
/// percent-encoded.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(byte as char)
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

fn properties(tags: Vec<String>, extra: BTreeMap<String, Value>) -> PropertyBag {
    PropertyBag {
        tags: (!tags.is_empty()).then_some(tags),
        additional_properties: extra,
    }
}

/// The rules: every estate check, then the node and probe checks the report's findings
/// name (so a report without them is unchanged).
fn rule_metas(report: &Report) -> Vec<&'static CheckMeta> {
    let mut metas: Vec<&'static CheckMeta> = REGISTRY.iter().map(|c| &c.meta).collect();
    for f in &report.findings {
        if !metas.iter().any(|m| m.id == f.check_id)
            && let Some(meta) = ringfence_node::find_meta(f.check_id)
        {
            metas.push(meta);
        }
    }
    metas
}

fn rules(metas: &[&'static CheckMeta]) -> Vec<ReportingDescriptor> {
    metas
        .iter()
        .map(|meta| {
            let mut tags: Vec<String> = vec!["security".into()];
            tags.extend(meta.categories.iter().map(|c| c.to_string()));
            let mut extra = BTreeMap::new();
            extra.insert("severity".into(), json!(meta.severity.as_str()));
            extra.insert(
                "security-severity".into(),
                json!(security_severity(meta.severity)),
            );
            extra.insert("precision".into(), json!("very-high"));
            extra.insert(
                "compliance".into(),
                json!(
                    meta.compliance
                        .iter()
                        .map(|c| format!("{} {}", c.framework, c.control))
                        .collect::<Vec<_>>()
                ),
            );
            extra.insert(
                "aliases".into(),
                json!(
                    meta.aliases
                        .iter()
                        .map(|a| format!("{}:{}", a.tool, a.id))
                        .collect::<Vec<_>>()
                ),
            );
            let help_text = format!("{}\n\nRemediation: {}", meta.risk, meta.remediation);
            let mut help_markdown = format!(
                "**Why is this bad?** {}\n\n**Remediation:** {}",
                meta.risk, meta.remediation
            );
            if !meta.references.is_empty() {
                help_markdown.push_str("\n\n**References:**\n");
                for reference in meta.references {
                    help_markdown.push_str(&format!("- <{reference}>\n"));
                }
            }
            let mut rule = ReportingDescriptor::builder()
                .id(meta.id)
                .name(rule_name(meta.id))
                .short_description(MultiformatMessageString::builder().text(meta.title).build())
                .full_description(
                    MultiformatMessageString::builder()
                        .text(meta.description)
                        .build(),
                )
                .help(
                    MultiformatMessageString::builder()
                        .text(help_text)
                        .markdown(help_markdown)
                        .build(),
                )
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(json!(level(meta.severity).to_string()))
                        .build(),
                )
                .properties(properties(tags, extra))
                .build();
            if let Some(first) = meta.references.first() {
                rule.help_uri = Some((*first).to_string());
            }
            rule
        })
        .collect()
}

fn result(f: &Finding, metas: &[&'static CheckMeta]) -> SarifResult {
    let rule_index = metas.iter().position(|m| m.id == f.check_id);
    let mut locations = Vec::new();
    let logical = LogicalLocation::builder()
        .name(f.resource.id.clone())
        .fully_qualified_name(f.resource.arn())
        .kind("resource")
        .build();
    let physical = f.resource.location.as_ref().map(|loc| {
        let mut physical = PhysicalLocation::builder()
            .artifact_location(ArtifactLocation::builder().uri(uri(&loc.file)).build())
            .build();
        if let Some(line) = loc.line {
            physical.region = Some(Region::builder().start_line(i64::from(line)).build());
        }
        if let Some(pointer) = &loc.pointer {
            let mut extra = BTreeMap::new();
            extra.insert("pointer".into(), json!(pointer));
            physical.properties = Some(properties(Vec::new(), extra));
        }
        physical
    });
    let mut location = Location::builder().logical_locations(vec![logical]).build();
    location.physical_location = physical;
    locations.push(location);

    let mut extra = BTreeMap::new();
    extra.insert("severity".into(), json!(f.severity.as_str()));
    extra.insert("status".into(), json!(f.status.as_str()));
    if let Some(exposure) = &f.exposure {
        extra.insert("reachability".into(), json!(exposure.reachability.as_str()));
        extra.insert("ports".into(), json!(text::ports(f)));
        extra.insert("sources".into(), json!(exposure.sources));
    }
    let mut partial = BTreeMap::new();
    partial.insert("ringfence/v1".to_string(), text::fingerprint(f));

    let (kind, result_level) = match f.status {
        Status::Fail => (ResultKind::Fail, level(f.severity)),
        Status::Pass => (ResultKind::Pass, ResultLevel::None),
        Status::Skip => (ResultKind::Open, ResultLevel::None),
    };
    let mut result = SarifResult::builder()
        .rule_id(f.check_id)
        .message(Message::builder().text(f.message.clone()).build())
        .locations(locations)
        .kind(kind)
        .level(result_level)
        .partial_fingerprints(partial)
        .properties(properties(Vec::new(), extra))
        .build();
    result.rule_index = rule_index.map(|i| i as i64);
    if let Some(state) = f.baseline {
        result.baseline_state = Some(json!(match state {
            BaselineState::New => "new",
            BaselineState::Unchanged => "unchanged",
        }));
    }
    if f.muted {
        result.suppressions = Some(vec![
            Suppression::builder()
                .kind(json!("external"))
                .justification(f.mute_reason.clone().unwrap_or_default())
                .build(),
        ]);
    }
    result
}

pub(crate) fn render(report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let metas = rule_metas(report);
    let driver = ToolComponent::builder()
        .name("ringfence")
        .version(report.tool.version)
        .semantic_version(report.tool.version)
        .information_uri(INFORMATION_URI)
        .rules(rules(&metas))
        .build();
    let invocation = Invocation::builder()
        .execution_successful(true)
        .end_time_utc(ctx.generated_at.rfc3339())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(
            report
                .findings
                .iter()
                .map(|f| result(f, &metas))
                .collect::<Vec<_>>(),
        )
        .invocations(vec![invocation])
        .build();
    let sarif = Sarif::builder()
        .schema(SCHEMA_URI)
        .version(serde_json::to_value(Version::V2_1_0).map_err(io::Error::other)?)
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(rule_name("ec2_instance_port"), "Ec2InstancePort");
        assert_eq!(
            uri("examples/estate/us-east-1/x.json"),
            "examples/estate/us-east-1/x.json"
        );
        assert_eq!(uri("/tmp/my snap/x.json"), "file:///tmp/my%20snap/x.json");
    }
}
