//! The same topology written as a snapshot folder, as Terraform, as a Terraform plan
//! (ids known only after apply, tied together by the plan's configuration) and as
//! CloudFormation gives the same findings: check, status, resource name, ports and
//! reachability.

mod common;

use common::*;
use ringfence_findings::Finding;

type Key = (String, String, Option<String>, Vec<String>, Option<String>);

fn keys(findings: &[Finding]) -> Vec<Key> {
    let mut keys: Vec<Key> = findings
        .iter()
        .map(|f| {
            (
                f.check_id.to_string(),
                format!("{:?}", f.status),
                f.resource.name.clone(),
                ports(f),
                f.exposure
                    .as_ref()
                    .map(|e| e.reachability.as_str().to_string()),
            )
        })
        .collect();
    keys.sort();
    keys
}

#[test]
fn snapshot_terraform_plan_and_cloudformation_agree() {
    let dir = fixtures("equivalence");
    let snapshot = ringfence_snapshot::load(&dir.join("snapshot")).expect("snapshot loads");
    assert!(snapshot.incomplete.is_empty(), "{:?}", snapshot.incomplete);
    let expected = keys(&run(&snapshot));
    assert!(
        expected
            .iter()
            .any(|k| k.1 == "Fail" && k.4.as_deref() == Some("reachable")),
        "the topology has a reachable exposure: {expected:?}"
    );
    for path in [
        dir.join("terraform"),
        dir.join("plan.json"),
        dir.join("cloudformation.yaml"),
    ] {
        let estate = load(&path).expect("loads");
        assert_eq!(keys(&run(&estate)), expected, "{}", path.display());
    }
}
