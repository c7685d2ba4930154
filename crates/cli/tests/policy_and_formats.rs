//! The command line around reports and policy: several formats into a folder, the
//! config file, the mutelist, the baseline, compliance by control, and the exit codes
//! each of them changes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// A small estate with a reachable Cassandra node, latent and blocked exposures, and
/// hostile names (shared with the report crate's format tests).
fn estate() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../report/tests/fixtures/estate")
        .canonicalize()
        .unwrap()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}); stderr: {}", self.stderr))
    }
}

/// Runs `ringfence` in `cwd` (a fresh folder: no stray ringfence.toml).
fn ringfence(cwd: &Path, args: &[&str]) -> Run {
    let output = Command::cargo_bin("ringfence")
        .unwrap()
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn scan(cwd: &Path, extra: &[&str]) -> Run {
    let estate = estate();
    let mut args = vec!["scan", estate.to_str().unwrap()];
    args.extend_from_slice(extra);
    ringfence(cwd, &args)
}

fn failing(doc: &Value) -> Vec<&Value> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "FAIL")
        .collect()
}

#[test]
fn several_formats_go_to_one_file_each() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = scan(
        dir.path(),
        &[
            "--format",
            "json,html,sarif,ocsf,asff,csv,junit,table",
            "--output-dir",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "ringfence.asff.json",
            "ringfence.csv",
            "ringfence.html",
            "ringfence.json",
            "ringfence.junit.xml",
            "ringfence.ocsf.json",
            "ringfence.sarif",
            "ringfence.txt",
        ]
    );
    let json: Value =
        serde_json::from_str(&fs::read_to_string(out.join("ringfence.json")).unwrap()).unwrap();
    let sarif: Value =
        serde_json::from_str(&fs::read_to_string(out.join("ringfence.sarif")).unwrap()).unwrap();
    assert_eq!(
        json["findings"].as_array().unwrap().len(),
        sarif["runs"][0]["results"].as_array().unwrap().len()
    );
    assert!(
        fs::read_to_string(out.join("ringfence.txt"))
            .unwrap()
            .contains("failing")
    );
}

#[test]
fn one_format_still_goes_to_stdout_or_a_file_and_several_need_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.sarif");
    let run = scan(dir.path(), &["-f", "sarif", "-o", file.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(fs::read_to_string(&file).unwrap().contains("\"2.1.0\""));
    let run = scan(dir.path(), &["-f", "json,html"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--output-dir"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn every_finding_has_a_stable_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let a = scan(dir.path(), &["-f", "json"]).json();
    let b = scan(dir.path(), &["-f", "json"]).json();
    let prints = |doc: &Value| -> Vec<String> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["fingerprint"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(prints(&a), prints(&b));
    let unique: std::collections::BTreeSet<_> = prints(&a).into_iter().collect();
    assert_eq!(unique.len(), a["findings"].as_array().unwrap().len());
}

#[test]
fn the_config_file_in_the_current_folder_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let before = scan(dir.path(), &["-f", "json"]).json();
    fs::write(
        dir.path().join("ringfence.toml"),
        r#"
[checks]
disable = ["EC2-034"]

[severity]
ec2_instance_port_cassandra_exposed_to_internet = "medium"
"#,
    )
    .unwrap();
    let after = scan(dir.path(), &["-f", "json"]).json();
    let count = |doc: &Value, id: &str| failing(doc).iter().filter(|f| f["check_id"] == id).count();
    let uncommon = "ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports";
    assert!(count(&before, uncommon) > 0);
    assert_eq!(count(&after, uncommon), 0);
    let cassandra: Vec<_> = failing(&after)
        .into_iter()
        .filter(|f| f["check_id"] == "ec2_instance_port_cassandra_exposed_to_internet")
        .map(|f| f["severity"].as_str().unwrap().to_string())
        .collect();
    // Reachable takes the override; the blocked one stays two steps below it.
    assert!(cassandra.contains(&"medium".to_string()), "{cassandra:?}");
    assert!(cassandra.contains(&"info".to_string()), "{cassandra:?}");
}

#[test]
fn a_bad_config_file_names_the_key_and_line_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("custom.toml");
    fs::write(
        &config,
        "wide_prefix = 8\n\n[severity]\nno_such_check = \"high\"\n",
    )
    .unwrap();
    let run = scan(dir.path(), &["--config", config.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("custom.toml"), "{}", run.stderr);
    assert!(
        run.stderr.contains("severity.no_such_check"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("line 4"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    fs::write(&config, "[checks]\nenabel = []\n").unwrap();
    let run = scan(dir.path(), &["--config", config.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("enabel") && run.stderr.contains("line 2"),
        "{}",
        run.stderr
    );
    let run = scan(dir.path(), &["--config", "missing.toml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing.toml"), "{}", run.stderr);
}

const MUTE_ALL: &str = r#"
Mutelist:
  Accounts:
    "*":
      Checks:
        "*":
          Regions: ["*"]
          Resources: ["*"]
          Reason: "Accepted for the test"
          Expires: 2999-12-31
"#;

#[test]
fn muted_findings_are_shown_as_muted_and_do_not_fail() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("mutelist.yaml");
    fs::write(&list, MUTE_ALL).unwrap();
    let run = scan(
        dir.path(),
        &["-f", "json", "--mutelist", list.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let failing = failing(&doc);
    assert!(
        !failing.is_empty(),
        "muted findings are reported, not dropped"
    );
    for f in &failing {
        assert_eq!(f["muted"], true);
        assert_eq!(f["mute_reason"], "Accepted for the test");
    }
    assert_eq!(doc["summary"]["muted"], failing.len());
    let table = scan(dir.path(), &["--mutelist", list.to_str().unwrap()]);
    assert!(table.stdout.contains("MUTED"), "{}", table.stdout);
}

#[test]
fn an_expired_mute_fails_again_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("mutelist.yaml");
    fs::write(&list, MUTE_ALL.replace("2999-12-31", "2001-01-31")).unwrap();
    let run = scan(
        dir.path(),
        &["-f", "json", "--mutelist", list.to_str().unwrap()],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("warning") && run.stderr.contains("expired on 2001-01-31"),
        "{}",
        run.stderr
    );
    let doc = run.json();
    assert!(failing(&doc).iter().all(|f| f.get("muted").is_none()));
    let expired = &doc["mutelist"]["expired"];
    assert_eq!(expired.as_array().unwrap().len(), 1);
    assert_eq!(expired[0]["expires"], "2001-01-31");
    assert_eq!(expired[0]["findings"], failing(&doc).len());
}

#[test]
fn a_mutelist_without_reasons_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("mutelist.yaml");
    fs::write(
        &list,
        MUTE_ALL.replace("          Reason: \"Accepted for the test\"\n", ""),
    )
    .unwrap();
    let run = scan(dir.path(), &["--mutelist", list.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("mutelist.yaml") && run.stderr.contains("Reason"),
        "{}",
        run.stderr
    );
}

#[test]
fn only_new_findings_fail_against_a_baseline_and_fixed_ones_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let first = scan(dir.path(), &["-f", "json"]);
    assert_eq!(first.code, 1);
    let mut doc = first.json();
    // An earlier scan that also saw a group since closed, and not one of today's findings.
    let findings = doc["findings"].as_array_mut().unwrap();
    let mut gone = findings[0].clone();
    gone["resource"]["id"] = "sg-0closedsince".into();
    gone.as_object_mut().unwrap().remove("fingerprint");
    let removed = findings.pop().unwrap();
    findings.push(gone);
    let baseline = dir.path().join("previous.json");
    fs::write(&baseline, serde_json::to_string(&doc).unwrap()).unwrap();

    let run = scan(
        dir.path(),
        &["-f", "json", "--baseline", baseline.to_str().unwrap()],
    );
    assert_eq!(run.code, 1, "the one finding not in the baseline fails");
    let now = run.json();
    let new: Vec<_> = failing(&now)
        .into_iter()
        .filter(|f| f["baseline"] == "new")
        .collect();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0]["fingerprint"], removed["fingerprint"]);
    assert_eq!(now["baseline"]["new"], 1);
    let fixed = now["baseline"]["fixed"].as_array().unwrap();
    assert_eq!(fixed.len(), 1);
    assert_eq!(fixed[0]["resource_id"], "sg-0closedsince");

    // Against a baseline of today's scan itself, nothing is new: exit 0.
    let same = dir.path().join("same.json");
    fs::write(&same, &first.stdout).unwrap();
    let run = scan(dir.path(), &["--baseline", same.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("0 new"), "{}", run.stdout);

    let run = scan(dir.path(), &["--baseline", "/nonexistent/previous.json"]);
    assert_eq!(run.code, 2);
}

#[test]
fn compliance_reports_by_control_and_lists_the_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let run = scan(dir.path(), &["-f", "json", "--compliance", "soc2"]);
    assert_eq!(run.code, 1);
    let doc = run.json();
    let report = &doc["compliance_report"];
    assert_eq!(report["framework"], "soc2");
    let controls: Vec<&str> = report["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["control"].as_str().unwrap())
        .collect();
    assert_eq!(controls, ["CC6.1", "CC6.6"]);
    assert_eq!(report["controls"][0]["status"], "FAIL");

    let table = scan(dir.path(), &["--compliance", "cis-aws"]);
    assert!(
        table.stdout.contains("by control") && table.stdout.contains("5.2"),
        "{}",
        table.stdout
    );

    let listing = ringfence(
        dir.path(),
        &["checks", "--compliance", "fsbp", "-f", "json"],
    );
    assert_eq!(listing.code, 0, "{}", listing.stderr);
    let doc = listing.json();
    let ec2_19 = doc["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["control"] == "EC2.19")
        .unwrap();
    assert!(
        ec2_19["checks"].as_array().unwrap().contains(
            &"ec2_securitygroup_allow_ingress_from_internet_to_remote_access_ports".into()
        )
    );

    let unknown = scan(dir.path(), &["--compliance", "sox"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("soc2"),
        "names the known ones: {}",
        unknown.stderr
    );
}
