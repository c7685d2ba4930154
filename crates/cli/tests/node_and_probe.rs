//! `ringfence node` and `ringfence probe` end to end: exit codes, formats, refusals. The
//! probe only ever talks to responders on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::ringfence;
use ringfence_probe::testing::{Behaviour, CqlServer, Responder};
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!("crates/node/fixtures/{name}")
}

fn json(args: &[&str]) -> (i32, Value, String) {
    let output = ringfence()
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (
        output.status.code().unwrap(),
        doc,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn failing_ids(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "FAIL")
        .map(|f| f["check_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_insecure_node_fails_with_file_and_line() {
    let (code, doc, _) = json(&["node", &fixture("3.11/insecure")]);
    assert_eq!(code, 1);
    let auth = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == "cassandra_config_authenticator_allow_all")
        .expect("authenticator finding");
    assert_eq!(auth["severity"], "critical");
    assert_eq!(auth["resource"]["type"], "CassandraConfig");
    assert_eq!(auth["resource"]["location"]["line"], 6);
    assert!(
        auth["resource"]["location"]["file"]
            .as_str()
            .unwrap()
            .ends_with("3.11/insecure/cassandra.yaml")
    );
    assert!(
        auth["message"]
            .as_str()
            .unwrap()
            .ends_with("fix:\nauthenticator: PasswordAuthenticator")
    );
    assert!(failing_ids(&doc).contains(&"cassandra_config_thrift_enabled".to_string()));
}

#[test]
fn a_hardened_node_is_clean_in_every_release_line() {
    for version in ["3.11", "4.0", "4.1", "5.0"] {
        let (code, doc, stderr) = json(&["node", &fixture(&format!("{version}/hardened"))]);
        assert_eq!(code, 0, "{version}: {stderr} {doc}");
        assert!(failing_ids(&doc).is_empty(), "{version}");
    }
}

#[test]
fn passed_settings_are_listed_on_request() {
    let (_, doc, _) = json(&["node", &fixture("4.1/hardened"), "--passed"]);
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["status"] == "PASS")
    );
    assert!(doc["findings"].as_array().unwrap().len() > 10);
}

#[test]
fn the_version_can_be_given() {
    // 4.0's file keeps `start_rpc: true`: ignored on 4.0, a failure if it is a 3.x file.
    let (_, doc, _) = json(&["node", &fixture("4.0/insecure")]);
    assert!(!failing_ids(&doc).contains(&"cassandra_config_thrift_enabled".to_string()));
    let (_, doc, _) = json(&[
        "node",
        &fixture("4.0/insecure"),
        "--cassandra-version",
        "3.11",
    ]);
    assert!(failing_ids(&doc).contains(&"cassandra_config_thrift_enabled".to_string()));
}

#[test]
fn every_format_renders_node_findings() {
    for format in [
        "table", "json", "ocsf", "asff", "sarif", "csv", "junit", "html",
    ] {
        let output = ringfence()
            .args(["node", &fixture("5.0/insecure"), "--format", format])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            text.contains("cassandra_config_authenticator_allow_all"),
            "{format}"
        );
    }
    let output = ringfence()
        .args(["node", &fixture("5.0/insecure"), "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(
        rules
            .iter()
            .any(|r| r["id"] == "cassandra_config_authenticator_allow_all")
    );
    let result = &sarif["runs"][0]["results"][0];
    assert!(result["ruleIndex"].is_number(), "{result}");
}

#[test]
fn malformed_yaml_is_exit_2_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("cassandra.yaml");
    std::fs::write(&yaml, "cluster_name: x\nauthenticator: [oops\n").unwrap();
    let output = ringfence().arg("node").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:", yaml.display())) && stderr.contains("not valid YAML"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_missing_path_is_exit_2() {
    let output = ringfence().args(["node", "no/such/conf"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn probe_refuses_what_names_more_than_one_host_or_port() {
    for args in [
        vec!["probe", "127.0.0.0/24"],
        vec!["probe", "127.0.0.1-9"],
        vec!["probe", "127.0.0.1", "--ports", "1-1024"],
        vec!["probe", "127.0.0.1", "--rate", "1000"],
        vec!["probe", "127.0.0.1", "--timeout", "0"],
    ] {
        let output = ringfence().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}: nothing probed");
    }
}

#[test]
fn probe_reports_what_answers_on_localhost() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (open, auth, http) = runtime.block_on(async {
        (
            Responder::start(Behaviour::Cql(CqlServer::v5(None)))
                .await
                .unwrap(),
            Responder::start(Behaviour::Cql(CqlServer::v4(Some(
                "org.apache.cassandra.auth.PasswordAuthenticator",
            ))))
            .await
            .unwrap(),
            Responder::start(Behaviour::Http).await.unwrap(),
        )
    });
    let ports = format!(
        "{}/cql,{}/cql,{}/cql",
        open.addr.port(),
        auth.addr.port(),
        http.addr.port()
    );
    let (code, doc, stderr) = json(&["probe", "127.0.0.1", "--ports", &ports, "--timeout", "2"]);
    assert_eq!(code, 1, "{stderr}");
    let by_port = |port: u16| {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["resource"]["id"] == format!("127.0.0.1:{port}"))
            .map(|f| {
                (
                    f["check_id"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let open_findings = by_port(open.addr.port());
    assert_eq!(open_findings.len(), 1);
    assert_eq!(
        open_findings[0].0,
        "cassandra_endpoint_cql_no_authentication"
    );
    assert!(
        open_findings[0].1.contains("answers as Cassandra 4.1"),
        "{}",
        open_findings[0].1
    );
    let auth_findings = by_port(auth.addr.port());
    assert_eq!(auth_findings[0].0, "cassandra_endpoint_cql_exposed");
    assert!(auth_findings[0].1.contains("PasswordAuthenticator"));
    let http_findings = by_port(http.addr.port());
    assert_eq!(http_findings[0].0, "cassandra_endpoint_port_open");
    assert!(http_findings[0].1.contains("HTTP"));
    drop(runtime);
}

#[test]
fn the_cis_cassandra_listing_names_the_node_and_probe_checks() {
    let output = ringfence()
        .args([
            "checks",
            "--compliance",
            "cis-cassandra",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    let checks_of = |control: &str| {
        doc["controls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["control"] == control)
            .map(|c| c["checks"].clone())
            .unwrap()
    };
    assert!(
        checks_of("2.1")
            .as_array()
            .unwrap()
            .contains(&Value::from("cassandra_config_authenticator_allow_all"))
    );
    assert!(checks_of("5.1").as_array().unwrap().contains(&Value::from(
        "cassandra_config_internode_encryption_disabled"
    )));
}

/// `ringfence checks` lists the node and probe checks too, saying what runs them.
#[test]
fn checks_lists_node_and_probe_checks_with_what_runs_them() {
    let (code, doc, _) = json(&["checks"]);
    assert_eq!(code, 0);
    let ids: Vec<&str> = doc
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    for check in ringfence_node::NODE_CHECKS {
        assert!(
            ids.contains(&check.meta.id),
            "{} is not listed",
            check.meta.id
        );
    }
    for meta in ringfence_node::endpoint::PROBE_CHECKS {
        assert!(ids.contains(&meta.id), "{} is not listed", meta.id);
    }
    let table = ringfence().arg("checks").output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("ringfence node") && text.contains("ringfence probe"),
        "{text}"
    );
}

#[test]
fn node_reports_by_control_with_compliance() {
    let (code, doc, stderr) = json(&[
        "node",
        &fixture("4.1/insecure"),
        "--compliance",
        "cis-cassandra",
    ]);
    assert_eq!(code, 1, "{stderr}");
    let report = &doc["compliance_report"];
    assert_eq!(report["framework"], "cis-cassandra");
    let controls = report["controls"].as_array().unwrap();
    assert!(controls.iter().any(|c| c["status"] == "FAIL"));
    // Only checks mapped to the framework ran.
    for id in failing_ids(&doc) {
        let meta = ringfence_node::find_meta(&id).unwrap();
        assert!(
            meta.compliance
                .iter()
                .any(|c| c.framework.contains("Cassandra")),
            "{id}"
        );
    }
    let (code, _, stderr) = json(&["node", &fixture("4.1/insecure"), "--compliance", "nonsense"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown compliance framework"), "{stderr}");
}
