//! The fix plan over the example estate (examples/estate, every check): golden output for
//! each renderer, the Terraform and CloudFormation parsed, and the plan applied to the
//! estate in memory and re-checked until no exposure finding fires (STYLE.md habit 3).

use ringfence_checks::{Config, Context, Selection};
use ringfence_exposure::{Evaluation, Network};
use ringfence_findings::Finding;
use ringfence_fix::{Format, Options, Permission, Plan, Safety, render};
use ringfence_model::Estate;
use std::sync::OnceLock;

const ESTATE: &str = "../../examples/estate";

fn estate() -> &'static Estate {
    static ESTATE_CELL: OnceLock<Estate> = OnceLock::new();
    ESTATE_CELL.get_or_init(|| {
        ringfence_snapshot::load(std::path::Path::new(ESTATE)).expect("example estate loads")
    })
}

/// The shared fixture's question: is the Cassandra ring open? (Only the Cassandra checks,
/// so that the plan narrows wide rules instead of closing every uncommon port too.)
const CASSANDRA: [&str; 2] = [
    "ec2_instance_port_cassandra_exposed_to_internet",
    "ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports",
];

fn findings(estate: &Estate) -> Vec<Finding> {
    findings_of(estate, &CASSANDRA)
}

/// Findings of the named checks (every check when empty).
fn findings_of(estate: &Estate, ids: &[&str]) -> Vec<Finding> {
    let selection = Selection {
        include: ids.iter().map(|s| s.to_string()).collect(),
        ..Selection::default()
    };
    let checks = selection.resolve().expect("registry resolves");
    let eval = Evaluation::of(estate);
    let network = Network::of(estate);
    let config = Config::default();
    let ctx = Context {
        estate,
        eval: &eval,
        network: &network,
        config: &config,
    };
    ringfence_checks::run(&checks, &ctx)
}

fn failing_exposures(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.is_failing() && f.exposure.as_ref().is_some_and(|e| !e.rules.is_empty()))
        .collect()
}

fn plan(options: &Options) -> Plan {
    Plan::of(estate(), &findings(estate()), options)
}

fn trusted() -> Options {
    Options {
        trusted_cidrs: vec![
            "10.20.0.0/16".parse().expect("cidr"),
            "2001:db8::/32".parse().expect("cidr"),
        ],
        self_internode: true,
        ..Options::default()
    }
}

#[test]
fn golden_cli() {
    insta::assert_snapshot!("fix_cli", render(&plan(&Options::default()), Format::Cli));
}

#[test]
fn golden_terraform() {
    insta::assert_snapshot!(
        "fix_terraform",
        render(&plan(&Options::default()), Format::Terraform)
    );
}

#[test]
fn golden_cloudformation_yaml() {
    insta::assert_snapshot!(
        "fix_cloudformation_yaml",
        render(&plan(&Options::default()), Format::CloudFormation)
    );
}

#[test]
fn golden_cloudformation_json() {
    insta::assert_snapshot!(
        "fix_cloudformation_json",
        render(&plan(&Options::default()), Format::CloudFormationJson)
    );
}

#[test]
fn golden_console() {
    insta::assert_snapshot!(
        "fix_console",
        render(&plan(&Options::default()), Format::Console)
    );
}

#[test]
fn golden_json() {
    insta::assert_snapshot!("fix_json", render(&plan(&Options::default()), Format::Json));
}

#[test]
fn golden_json_trusted_cidrs_and_self_internode() {
    insta::assert_snapshot!("fix_json_trusted", render(&plan(&trusted()), Format::Json));
}

#[test]
fn golden_cli_remove_whole_rule() {
    let options = Options {
        remove_whole_rule: true,
        ..Options::default()
    };
    insta::assert_snapshot!(
        "fix_cli_remove_whole_rule",
        render(&plan(&options), Format::Cli)
    );
}

#[test]
fn terraform_parses_with_hcl_rs() {
    for options in [Options::default(), trusted()] {
        let text = render(&plan(&options), Format::Terraform);
        let body: hcl::Body = hcl::from_str(&text).expect("generated Terraform parses");
        let resources = body
            .blocks()
            .filter(|b| b.identifier() == "resource")
            .count();
        let added: usize = plan(&options)
            .groups
            .iter()
            .flat_map(|g| &g.changes)
            .map(|c| c.authorize.len())
            .sum();
        assert_eq!(resources, added, "one resource per authorized permission");
        assert!(!text.contains('<'), "no placeholders");
    }
}

#[test]
fn cloudformation_parses_as_yaml_and_json_and_they_agree() {
    use saphyr::{LoadableYamlNode, Yaml};
    for options in [Options::default(), trusted()] {
        let p = plan(&options);
        let json: serde_json::Value =
            serde_json::from_str(&render(&p, Format::CloudFormationJson)).expect("JSON parses");
        let yaml_text = render(&p, Format::CloudFormation);
        let docs = Yaml::load_from_str(&yaml_text).expect("YAML parses");
        assert_eq!(docs.len(), 1);
        assert_eq!(
            yaml_to_json(&docs[0]),
            json,
            "YAML and JSON templates hold the same document"
        );
        let resources = json["Resources"].as_object().expect("Resources");
        for (id, resource) in resources {
            assert!(
                id.chars().all(|c| c.is_ascii_alphanumeric()),
                "logical id {id}"
            );
            assert_eq!(resource["Type"], "AWS::EC2::SecurityGroupIngress");
            assert!(
                resource["Properties"]["GroupId"]
                    .as_str()
                    .is_some_and(|g| g.starts_with("sg-"))
            );
        }
    }
}

fn yaml_to_json(node: &saphyr::Yaml) -> serde_json::Value {
    use saphyr::{Scalar, Yaml};
    match node {
        Yaml::Value(Scalar::String(s)) => serde_json::Value::String(s.to_string()),
        Yaml::Value(Scalar::Integer(i)) => serde_json::json!(i),
        Yaml::Value(Scalar::Boolean(b)) => serde_json::json!(b),
        Yaml::Value(Scalar::FloatingPoint(f)) => serde_json::json!(f.into_inner()),
        Yaml::Value(Scalar::Null) => serde_json::Value::Null,
        Yaml::Sequence(items) => items.iter().map(yaml_to_json).collect(),
        Yaml::Mapping(map) => serde_json::Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::Value(Scalar::String(s)) => s.to_string(),
                        other => format!("{other:?}"),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        other => panic!("unexpected YAML node {other:?}"),
    }
}

/// The rules of every group, as comparable permissions without ids.
fn rule_set(estate: &Estate, group: &str) -> Vec<Permission> {
    let g = estate
        .security_groups
        .iter()
        .find(|g| g.id == group)
        .expect("group");
    let mut rules: Vec<Permission> = g
        .ingress
        .iter()
        .map(|r| Permission {
            rule_id: None,
            description: None,
            ..Permission::of_rule(r)
        })
        .collect();
    rules.sort_by_key(|p| format!("{p:?}"));
    rules
}

#[test]
fn applying_the_plan_leaves_no_exposure_finding_and_keeps_what_was_not_flagged() {
    for options in [
        Options::default(),
        trusted(),
        Options {
            remove_whole_rule: true,
            ..Options::default()
        },
    ] {
        let before = estate();
        let p = plan(&options);
        assert!(!p.groups.is_empty(), "the example estate has exposures");
        let after = p.applied_to(before);
        let left = findings(&after);
        let left: Vec<String> = failing_exposures(&left)
            .iter()
            .map(|f| format!("{} {}: {}", f.check_id, f.resource.id, f.message))
            .collect();
        assert!(
            left.is_empty(),
            "{options:?}: still failing after the fix: {left:#?}"
        );
        // Groups the plan does not touch are unchanged.
        for g in &before.security_groups {
            if !p.groups.iter().any(|f| f.group_id == g.id) {
                assert_eq!(rule_set(before, &g.id), rule_set(&after, &g.id));
            }
        }
        // In touched groups, every rule that was not revoked is still there.
        for fix in &p.groups {
            let after_rules = rule_set(&after, &fix.group_id);
            for rule in rule_set(before, &fix.group_id) {
                let revoked = fix.changes.iter().any(|c| c.revoke.same_access(&rule));
                assert!(
                    revoked || after_rules.contains(&rule),
                    "{} lost {}",
                    fix.group_id,
                    rule.text()
                );
            }
        }
    }
}

#[test]
fn every_check_fixed_leaves_no_exposure_finding() {
    let all = findings_of(estate(), &[]);
    let p = Plan::of(estate(), &all, &Options::default());
    let after = p.applied_to(estate());
    let left = findings_of(&after, &[]);
    let left: Vec<String> = failing_exposures(&left)
        .iter()
        .map(|f| format!("{} {}: {}", f.check_id, f.resource.id, f.message))
        .collect();
    assert!(left.is_empty(), "still failing: {left:#?}");
}

#[test]
fn a_second_plan_after_the_fix_is_empty() {
    let p = plan(&Options::default());
    let after = p.applied_to(estate());
    let again = Plan::of(&after, &findings(&after), &Options::default());
    assert!(again.groups.is_empty(), "{again:#?}");
}

#[test]
fn narrowing_keeps_the_complement_and_needs_review() {
    let p = plan(&Options::default());
    // cassandra-range-7000-7199-open: tcp 7000-7199 from the world; only 7000, 7001 and
    // 7199 are Cassandra's, so 7002-7198 comes back for the same source.
    let range = p
        .groups
        .iter()
        .find(|g| g.group_name == "cassandra-range-7000-7199-open")
        .expect("range case in the plan");
    let back: Vec<String> = range
        .changes
        .iter()
        .flat_map(|c| &c.authorize)
        .map(|a| a.text())
        .collect();
    assert_eq!(back, ["tcp 7002-7198 from 0.0.0.0/0"]);
    assert_eq!(range.safety, Safety::NeedsReview);
    // Every change that re-authorizes something needs review; the others that revoke a
    // rule opening only flagged ports are safe.
    for g in &p.groups {
        for c in &g.changes {
            if !c.authorize.is_empty() {
                assert_eq!(c.safety, Safety::NeedsReview, "{}", c.reason);
            }
        }
    }
}

#[test]
fn subtract_is_exact() {
    use ringfence_fix::plan::subtract;
    use ringfence_model::PortRange;
    let r = |a, b| PortRange::new(a, b).expect("range");
    assert_eq!(
        subtract(PortRange::ALL, &[r(9042, 9042), r(7000, 7001)]),
        vec![r(0, 6999), r(7002, 9041), r(9043, 65535)]
    );
    assert_eq!(subtract(r(7000, 9200), &[r(7000, 9200)]), vec![]);
    assert_eq!(
        subtract(r(7000, 9200), &[r(0, 7000), r(9200, 65535)]),
        vec![r(7001, 9199)]
    );
    assert_eq!(subtract(r(0, 0), &[]), vec![r(0, 0)]);
    assert_eq!(subtract(r(65535, 65535), &[r(65535, 65535)]), vec![]);
}

#[test]
fn every_failing_exposure_carries_the_plan_changes_for_the_rules_it_cites() {
    let all = findings_of(estate(), &[]);
    let options = Options::default();
    let (plan, fixes) = Plan::with_finding_fixes(estate(), &all, &options);
    assert_eq!(
        plan,
        Plan::of(estate(), &all, &options),
        "the same plan either way"
    );
    assert_eq!(fixes.len(), all.len(), "one entry per finding");
    let mut shared = 0;
    for (finding, fix) in all.iter().zip(&fixes) {
        if !finding.is_failing() || finding.exposure.is_none() {
            assert!(
                fix.is_none(),
                "{}: only failing exposures get a fix",
                finding.check_id
            );
            continue;
        }
        let fix = fix.as_ref().unwrap_or_else(|| {
            panic!("{} on {} has no fix", finding.check_id, finding.resource.id)
        });
        let exposure = finding.exposure.as_ref().expect("exposure");
        for evidence in &exposure.rules {
            let change = fix
                .changes
                .iter()
                .find(|c| {
                    c.group_id == evidence.group_id
                        && c.change.revoke.rule_id == evidence.rule_id
                        && c.change.revoke.peer.text() == evidence.source
                })
                .unwrap_or_else(|| panic!("no change revokes {evidence:?}"));
            // It is the very change the plan makes to that group's rule.
            let group = plan
                .groups
                .iter()
                .find(|g| g.group_id == change.group_id)
                .expect("the plan fixes the group");
            assert!(group.changes.contains(&change.change));
            if change.change.checks.len() > 1 {
                shared += 1;
            }
        }
        let worst = fix.changes.iter().map(|c| c.change.safety).max();
        assert_eq!(
            Some(fix.safety),
            worst,
            "the finding's safety is its worst change's"
        );
    }
    assert!(shared > 0, "the example has rules that several checks flag");
}

#[test]
fn a_muted_finding_gets_no_fix() {
    let mut all = findings_of(estate(), &CASSANDRA);
    let at = all
        .iter()
        .position(|f| f.is_failing() && f.exposure.is_some())
        .expect("a failing exposure");
    all[at].muted = true;
    let (_, fixes) = Plan::with_finding_fixes(estate(), &all, &Options::default());
    assert!(fixes[at].is_none());
}

#[test]
fn evidence_naming_a_group_that_was_not_read_is_display_only() {
    let mut all = findings_of(estate(), &CASSANDRA);
    let at = all
        .iter()
        .position(|f| f.is_failing() && f.exposure.is_some())
        .expect("a failing exposure");
    let exposure = all[at].exposure.as_mut().expect("exposure");
    exposure.rules.truncate(1);
    exposure.rules[0].group_id = "sg-not-read".into();
    let (plan, fixes) = Plan::with_finding_fixes(estate(), &all, &Options::default());
    let fix = fixes[at].as_ref().expect("a fix entry");
    assert_eq!(fix.safety, Safety::DisplayOnly);
    assert!(fix.changes.is_empty());
    assert_eq!(fix.display_only[0].group_id, "sg-not-read");
    assert!(plan.display_only.contains(&fix.display_only[0]));
}
