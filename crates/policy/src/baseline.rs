//! The baseline: an earlier ringfence JSON report. Findings whose fingerprint it holds
//! are `unchanged` and do not fail the exit code; the ones it does not hold are `new`;
//! its failing findings that are gone are listed as fixed.

use crate::{PolicyError, read};
use ringfence_findings::{
    BaselineOutcome, BaselineState, FingerprintKey, FixedFinding, Report, SCHEMA, Status,
};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Baseline {
    pub source: PathBuf,
    /// The baseline's failing findings by fingerprint.
    pub failing: BTreeMap<String, FixedFinding>,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, PolicyError> {
        Baseline::parse(&read(path)?, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Baseline, PolicyError> {
        let doc: Value = serde_json::from_str(text).map_err(|e| {
            PolicyError::new(
                path,
                format!("line {}, column {}: not JSON: {e}", e.line(), e.column()),
            )
        })?;
        if doc.get("schema").and_then(Value::as_str) != Some(SCHEMA) {
            return Err(PolicyError::new(
                path,
                format!(
                    "not a ringfence JSON report (`schema` is not {SCHEMA:?}): write one with `ringfence scan ... --format json`"
                ),
            ));
        }
        let findings = doc
            .get("findings")
            .and_then(Value::as_array)
            .ok_or_else(|| PolicyError::new(path, "`findings` is missing or not an array"))?;
        let mut failing = BTreeMap::new();
        for (i, finding) in findings.iter().enumerate() {
            if finding.get("status").and_then(Value::as_str) != Some(Status::Fail.as_str()) {
                continue;
            }
            let at = |field: &str| {
                PolicyError::new(
                    path,
                    format!("/findings/{i}/{field}: missing or not a string"),
                )
            };
            let text =
                |v: &Value, field: &str| v.get(field).and_then(Value::as_str).map(str::to_string);
            let check_id = text(finding, "check_id").ok_or_else(|| at("check_id"))?;
            let resource = finding.get("resource").ok_or_else(|| at("resource"))?;
            let resource_id = text(resource, "id").ok_or_else(|| at("resource/id"))?;
            let region = text(resource, "region").ok_or_else(|| at("resource/region"))?;
            let account = text(resource, "account");
            let fingerprint = match text(finding, "fingerprint") {
                Some(fp) => fp,
                None => {
                    let spans = finding
                        .pointer("/exposure/ports")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    let ports: Vec<(String, u16, u16)> = spans
                        .iter()
                        .filter_map(|p| {
                            Some((
                                p.get("protocol")?.as_str()?.to_string(),
                                u16::try_from(p.get("from")?.as_u64()?).ok()?,
                                u16::try_from(p.get("to")?.as_u64()?).ok()?,
                            ))
                        })
                        .collect();
                    let event_id = finding
                        .get("event")
                        .and_then(|e| e.get("event_id"))
                        .and_then(|id| id.as_str());
                    FingerprintKey {
                        check_id: &check_id,
                        account: account.as_deref().unwrap_or(""),
                        region: &region,
                        resource_id: &resource_id,
                        ports: ports.iter().map(|(p, f, t)| (p.as_str(), *f, *t)).collect(),
                        event_id,
                    }
                    .fingerprint()
                }
            };
            failing.insert(
                fingerprint.clone(),
                FixedFinding {
                    fingerprint,
                    check_id,
                    severity: text(finding, "severity").and_then(|s| s.parse().ok()),
                    resource_type: text(resource, "type"),
                    resource_id,
                    resource_name: text(resource, "name"),
                    region,
                    account,
                    message: text(finding, "message").unwrap_or_default(),
                },
            );
        }
        Ok(Baseline {
            source: path.to_path_buf(),
            failing,
        })
    }

    /// Marks each failing finding new or unchanged, and lists the baseline's failing
    /// findings of the checks that ran which fail no more.
    pub fn apply(&self, report: &mut Report, checks_run: &[&str]) {
        let mut current = HashSet::new();
        let (mut new, mut unchanged) = (0, 0);
        for finding in report
            .findings
            .iter_mut()
            .filter(|f| f.status == Status::Fail)
        {
            let fingerprint = finding
                .fingerprint
                .clone()
                .unwrap_or_else(|| finding.fingerprint());
            let state = if self.failing.contains_key(&fingerprint) {
                unchanged += 1;
                BaselineState::Unchanged
            } else {
                new += 1;
                BaselineState::New
            };
            finding.baseline = Some(state);
            current.insert(fingerprint);
        }
        let fixed = self
            .failing
            .values()
            .filter(|f| !current.contains(&f.fingerprint))
            .filter(|f| checks_run.contains(&f.check_id.as_str()))
            .cloned()
            .collect();
        report.baseline = Some(BaselineOutcome {
            source: self.source.display().to_string(),
            new,
            unchanged,
            fixed,
        });
        report.refresh_summary();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_ringfence_report_is_refused() {
        let err = Baseline::parse("{\"runs\": []}", Path::new("old.json")).unwrap_err();
        assert!(
            err.to_string().contains("not a ringfence JSON report"),
            "{err}"
        );
        let err = Baseline::parse("{", Path::new("old.json")).unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }

    #[test]
    fn fingerprints_are_read_or_computed_alike() {
        let with = r#"{"schema": "https://ringfence.dev/schemas/findings", "findings": [
            {"check_id": "c", "status": "FAIL", "fingerprint": "abc",
             "resource": {"id": "sg-1", "region": "r", "account": "a"}}]}"#;
        let b = Baseline::parse(with, Path::new("b.json")).unwrap();
        assert!(b.failing.contains_key("abc"));
        let without = r#"{"schema": "https://ringfence.dev/schemas/findings", "findings": [
            {"check_id": "c", "status": "FAIL", "message": "m",
             "resource": {"id": "sg-1", "region": "r", "account": "a"},
             "exposure": {"ports": [{"protocol": "tcp", "from": 1, "to": 2}]}},
            {"check_id": "c", "status": "PASS",
             "resource": {"id": "sg-2", "region": "r", "account": "a"}}]}"#;
        let b = Baseline::parse(without, Path::new("b.json")).unwrap();
        let expected = FingerprintKey {
            check_id: "c",
            account: "a",
            region: "r",
            resource_id: "sg-1",
            ports: vec![("tcp", 1, 2)],
            event_id: None,
        }
        .fingerprint();
        assert_eq!(b.failing.keys().collect::<Vec<_>>(), [&expected]);
    }
}
