//! RFC 4180 CSV, one row per finding, safe to open in a spreadsheet: a cell that starts
//! with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, so a
//! hostile name or description is shown as text, never run as a formula (OWASP's advice).

use crate::text;
use ringfence_findings::Report;
use std::io::{self, Write};

const HEADER: [&str; 22] = [
    "check_id",
    "check_title",
    "status",
    "severity",
    "muted",
    "mute_reason",
    "baseline",
    "account",
    "region",
    "resource_type",
    "resource_id",
    "resource_name",
    "ports",
    "sources",
    "reachability",
    "reason",
    "rules",
    "message",
    "remediation",
    "compliance",
    "location",
    "fingerprint",
];

/// Neutralises spreadsheet formulas (CSV injection).
pub(crate) fn cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(HEADER)?;
    for f in &report.findings {
        let exposure = f.exposure.as_ref();
        let rules: Vec<String> = exposure
            .iter()
            .flat_map(|e| e.rules.iter())
            .map(|r| {
                let mut rule = format!("{} ({})", r.group_id, r.group_name);
                if let Some(id) = &r.rule_id {
                    rule.push_str(&format!(" {id}"));
                }
                rule.push_str(&format!(" {}", r.source));
                if let Some(d) = &r.description {
                    rule.push_str(&format!(" \"{d}\""));
                }
                rule
            })
            .collect();
        let location = f
            .resource
            .location
            .as_ref()
            .map(|l| match (&l.pointer, l.line) {
                (Some(pointer), _) => format!("{}#{pointer}", l.file),
                (None, Some(line)) => format!("{}:{line}", l.file),
                (None, None) => l.file.clone(),
            });
        let record = [
            f.check_id.to_string(),
            text::title(f).to_string(),
            f.status.as_str().to_string(),
            f.severity.as_str().to_string(),
            f.muted.to_string(),
            f.mute_reason.clone().unwrap_or_default(),
            f.baseline
                .map(|b| b.as_str().to_string())
                .unwrap_or_default(),
            f.resource.account.clone().unwrap_or_default(),
            f.resource.region.clone(),
            f.resource.kind.as_str().to_string(),
            f.resource.id.clone(),
            f.resource.name.clone().unwrap_or_default(),
            text::ports(f),
            exposure.map(|e| e.sources.join(" ")).unwrap_or_default(),
            exposure
                .map(|e| e.reachability.as_str().to_string())
                .unwrap_or_default(),
            exposure.and_then(|e| e.reason.clone()).unwrap_or_default(),
            rules.join("; "),
            f.message.clone(),
            f.remediation.to_string(),
            text::compliance(f).join("; "),
            location.unwrap_or_default(),
            text::fingerprint(f),
        ];
        writer.write_record(record.iter().map(|v| cell(v)))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    out.write_all(&bytes)
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(
            cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\rx"), "'\rx");
        assert_eq!(cell("sg-123"), "sg-123");
        assert_eq!(cell(""), "");
    }
}
