//! Wording shared by several formats, so a finding reads the same everywhere.

use ringfence_findings::{CheckMeta, Finding, PortSpan};

/// A check's metadata by id: the estate checks, then the Cassandra node and probe checks.
pub(crate) fn meta_of(check_id: &str) -> Option<&'static CheckMeta> {
    ringfence_checks::find(check_id)
        .map(|c| &c.meta)
        .or_else(|| ringfence_node::find_meta(check_id))
        .or_else(|| ringfence_trail::detect::find(check_id).map(|d| &d.meta))
}

pub(crate) fn meta(finding: &Finding) -> Option<&'static CheckMeta> {
    meta_of(finding.check_id)
}

pub(crate) fn title(finding: &Finding) -> &'static str {
    meta(finding).map_or(finding.check_id, |m| m.title)
}

/// `tcp/9042`, `tcp/7000-7001`, `all traffic`.
pub(crate) fn span(s: &PortSpan) -> String {
    if s.protocol == "-1" {
        "all traffic".to_string()
    } else if s.from == s.to {
        format!("{}/{}", s.protocol, s.from)
    } else {
        format!("{}/{}-{}", s.protocol, s.from, s.to)
    }
}

/// Every port span with its service: `tcp/9042 (Cassandra CQL), tcp/7199 (Cassandra JMX)`.
pub(crate) fn ports(finding: &Finding) -> String {
    finding
        .exposure
        .iter()
        .flat_map(|e| e.ports.iter())
        .map(|s| match &s.service {
            Some(service) => format!("{} ({service})", span(s)),
            None => span(s),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `NIST SP 800-53 Rev. 5 SC-7; ...`.
pub(crate) fn compliance(finding: &Finding) -> Vec<String> {
    finding
        .compliance
        .iter()
        .map(|c| format!("{} {}", c.framework, c.control))
        .collect()
}

/// The fingerprint, computed if the report did not carry it.
pub(crate) fn fingerprint(finding: &Finding) -> String {
    finding
        .fingerprint
        .clone()
        .unwrap_or_else(|| finding.fingerprint())
}
