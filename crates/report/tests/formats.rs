//! What each format promises beyond its golden file: SARIF valid against the OASIS
//! 2.1.0 schema, OCSF with the Detection Finding's required fields in Prowler's shape,
//! ASFF with Security Hub's required fields, CSV that no spreadsheet runs as a formula,
//! JUnit that is well-formed XML, and several renders of one report that agree.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use ringfence_findings::Status;
use ringfence_report::Format;
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Command;

fn json(format: Format) -> Value {
    serde_json::from_str(&common::render(&common::shared_report(), format)).unwrap()
}

/// Runs a Python snippet with the document on standard input; returns stdout or panics
/// with what Python said.
fn python(script: &str, input: &str) -> String {
    use std::io::Write;
    let python = common::python();
    let mut child = Command::new(&python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "{} cannot run ({e}): run scripts/setup-venv, or set RINGFENCE_PYTHON",
                python.display()
            )
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{} failed:\n{}",
        python.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn sarif_is_valid_against_the_oasis_2_1_0_schema() {
    let sarif = common::render(&common::shared_report(), Format::Sarif);
    let schema = common::crate_dir().join("tests/schemas/sarif-schema-2.1.0.json");
    let script = format!(
        r#"
import json, sys
try:
    import jsonschema
except ImportError:
    sys.exit("python has no jsonschema module: run scripts/setup-venv (it installs scripts/requirements-test.txt)")
schema = json.load(open({schema:?}))
doc = json.load(sys.stdin)
validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errors[:20]:
    print("/".join(map(str, e.absolute_path)), e.message, file=sys.stderr)
print(len(errors))
sys.exit(1 if errors else 0)
"#,
        schema = schema.display().to_string()
    );
    assert_eq!(python(&script, &sarif).trim(), "0");
}

#[test]
fn sarif_rules_come_from_the_registry_and_results_point_at_the_input() {
    let doc = json(Format::Sarif);
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), ringfence_checks::REGISTRY.len());
    for (rule, check) in rules.iter().zip(ringfence_checks::REGISTRY) {
        assert_eq!(rule["id"], check.meta.id);
        assert_eq!(rule["shortDescription"]["text"], check.meta.title);
        assert_eq!(rule["fullDescription"]["text"], check.meta.description);
        assert!(
            rule["help"]["text"]
                .as_str()
                .unwrap()
                .contains(check.meta.remediation)
        );
        assert_eq!(rule["properties"]["severity"], check.meta.severity.as_str());
        assert!(
            rule["properties"]["tags"]
                .as_array()
                .unwrap()
                .contains(&"security".into())
        );
    }
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note", "none"].contains(&result["level"].as_str().unwrap()));
        let location = &result["locations"][0];
        let uri = location["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            uri.starts_with("tests/fixtures/estate/us-east-1/describe-"),
            "{uri}"
        );
        assert!(
            location["logicalLocations"][0]["fullyQualifiedName"]
                .as_str()
                .unwrap()
                .starts_with("arn:aws:ec2:us-east-1:123456789012:")
        );
        assert!(result["partialFingerprints"]["ringfence/v1"].is_string());
    }
    // Groups are located by JSON pointer; the muted finding carries its suppression.
    let results = run["results"].as_array().unwrap();
    assert!(results.iter().any(|r| {
        r["locations"][0]["physicalLocation"]["properties"]["pointer"]
            .as_str()
            .is_some_and(|p| p.starts_with("/SecurityGroups/"))
    }));
    assert!(
        results
            .iter()
            .any(|r| r["suppressions"][0]["kind"] == "external")
    );
    assert!(results.iter().any(|r| r["baselineState"] == "unchanged"));
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn ocsf_carries_the_detection_finding_required_fields_in_prowlers_shape() {
    let ours = json(Format::Ocsf);
    let prowler: Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::crate_dir().join("tests/fixtures/prowler-ocsf-detection-finding.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let sample = &prowler[0];
    let findings = ours.as_array().unwrap();
    assert_eq!(findings.len(), common::shared_report().findings.len());
    for f in findings {
        // Every key Prowler writes, at the top and in the objects consumers read.
        for (path, theirs) in [
            ("", sample),
            ("/metadata", &sample["metadata"]),
            ("/metadata/product", &sample["metadata"]["product"]),
            ("/finding_info", &sample["finding_info"]),
            (
                "/finding_info/analytic",
                &sample["finding_info"]["analytic"],
            ),
            ("/cloud", &sample["cloud"]),
            ("/cloud/account", &sample["cloud"]["account"]),
            ("/remediation", &sample["remediation"]),
            ("/resources/0", &sample["resources"][0]),
        ] {
            let mine = f.pointer(path).unwrap();
            let missing: Vec<_> = keys(theirs).difference(&keys(mine)).cloned().collect();
            assert!(missing.is_empty(), "{path} lacks {missing:?}");
        }
        // OCSF 1.5 Detection Finding: required attributes and their fixed values.
        assert_eq!(f["class_uid"], 2004);
        assert_eq!(f["category_uid"], 2);
        assert_eq!(f["activity_id"], 1);
        assert_eq!(f["type_uid"], 200401);
        assert!((1..=5).contains(&f["severity_id"].as_u64().unwrap()));
        assert!([1, 3].contains(&f["status_id"].as_u64().unwrap()));
        assert_eq!(f["time"], common::GENERATED_AT.millis());
        assert_eq!(f["metadata"]["version"], "1.5.0");
        assert_eq!(f["metadata"]["product"]["name"], "ringfence");
        assert!(
            f["finding_info"]["uid"]
                .as_str()
                .unwrap()
                .starts_with("ringfence-aws-")
        );
        assert!(f["finding_info"]["title"].is_string());
        assert_eq!(f["cloud"]["provider"], "aws");
        assert_eq!(f["cloud"]["account"]["uid"], "123456789012");
        assert_eq!(f["resources"][0]["region"], "us-east-1");
        assert_eq!(
            f["resources"][0]["data"]["metadata"]["account"],
            "123456789012"
        );
        assert!(f["unmapped"]["ringfence"]["fingerprint"].is_string());
    }
    // Muted findings are Suppressed; the uid is stable from one render to the next.
    assert!(
        findings
            .iter()
            .any(|f| f["status"] == "Suppressed" && f["status_id"] == 3)
    );
    let again = json(Format::Ocsf);
    let uids = |doc: &Value| -> Vec<Value> {
        doc.as_array()
            .unwrap()
            .iter()
            .map(|f| f["finding_info"]["uid"].clone())
            .collect()
    };
    assert_eq!(uids(&ours), uids(&again));
    let unique: BTreeSet<String> = uids(&ours).iter().map(|u| u.to_string()).collect();
    assert_eq!(unique.len(), findings.len());
}

#[test]
fn asff_carries_security_hubs_required_fields() {
    let doc = json(Format::Asff);
    let findings = doc.as_array().unwrap();
    let mut ids = BTreeSet::new();
    for f in findings {
        assert_eq!(f["SchemaVersion"], "2018-10-08");
        assert!(
            ids.insert(f["Id"].as_str().unwrap().to_string()),
            "Id repeats"
        );
        assert_eq!(
            f["ProductArn"],
            "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default"
        );
        assert!(f["GeneratorId"].as_str().unwrap().starts_with("ringfence-"));
        assert_eq!(f["AwsAccountId"], "123456789012");
        assert!(!f["Types"].as_array().unwrap().is_empty());
        assert_eq!(f["CreatedAt"], "2026-11-22T00:46:14Z");
        assert_eq!(f["UpdatedAt"], f["CreatedAt"]);
        assert!(
            ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"]
                .contains(&f["Severity"]["Label"].as_str().unwrap())
        );
        assert!(f["Title"].as_str().unwrap().chars().count() <= 256);
        assert!(f["Description"].as_str().unwrap().chars().count() <= 1024);
        let resource = &f["Resources"][0];
        assert!(
            ["AwsEc2Instance", "AwsEc2SecurityGroup"].contains(&resource["Type"].as_str().unwrap())
        );
        assert!(
            resource["Id"]
                .as_str()
                .unwrap()
                .starts_with("arn:aws:ec2:us-east-1:")
        );
        assert_eq!(resource["Region"], "us-east-1");
        assert_eq!(f["Compliance"]["Status"], "FAILED");
        assert!(
            f["Remediation"]["Recommendation"]["Text"]
                .as_str()
                .unwrap()
                .len()
                <= 512
        );
    }
    assert!(
        findings
            .iter()
            .any(|f| f["Workflow"]["Status"] == "SUPPRESSED")
    );
}

#[test]
fn csv_cells_never_start_a_formula() {
    let text = common::render(&common::shared_report(), Format::Csv);
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rules = header.iter().position(|h| h == "rules").unwrap();
    let name = header.iter().position(|h| h == "resource_name").unwrap();
    let mut rows = 0;
    let mut saw_hostile_description = false;
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(record.len(), header.len());
        for cell in record.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "cell {cell:?} would be a formula"
            );
        }
        saw_hostile_description |= record[rules].contains("\"=HYPERLINK(");
        if record[name].contains("<img") {
            assert!(record[name].starts_with('<'), "names are kept as written");
        }
        rows += 1;
    }
    assert!(
        saw_hostile_description,
        "the fixture's =HYPERLINK description is in the rules column"
    );
    assert_eq!(rows, common::shared_report().findings.len());
    // A cell that *is* the description starts with an apostrophe.
    let mut report = common::shared_report();
    report.findings[0].message = "=1+2".into();
    let text = common::render(&report, Format::Csv);
    assert!(text.contains(",'=1+2,"), "{text}");
}

#[test]
fn junit_is_well_formed_and_fails_only_what_fails_the_exit_code() {
    let report = common::shared_report();
    let xml = common::render(&report, Format::Junit);
    let script = r#"
import sys, xml.dom.minidom
doc = xml.dom.minidom.parseString(sys.stdin.read())
suites = doc.getElementsByTagName("testsuite")
cases = doc.getElementsByTagName("testcase")
print(len(suites), len(cases), len(doc.getElementsByTagName("failure")), len(doc.getElementsByTagName("skipped")))
"#;
    let counts: Vec<usize> = python(script, &xml)
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    let checks: BTreeSet<_> = report.findings.iter().map(|f| f.check_id).collect();
    let failing = report.findings.iter().filter(|f| f.is_failing()).count();
    let skipped = report
        .findings
        .iter()
        .filter(|f| f.status != Status::Pass)
        .count()
        - failing;
    assert_eq!(
        counts,
        [checks.len(), report.findings.len(), failing, skipped]
    );
    assert!(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!xml.contains("<script>"));
}

#[test]
fn every_format_renders_the_same_findings() {
    let report = common::shared_report();
    for format in Format::ALL {
        let text = common::render(&report, format);
        for finding in &report.findings {
            let id = &finding.resource.id;
            assert!(text.contains(id.as_str()), "{format} misses {id}");
        }
    }
}
