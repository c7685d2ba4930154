//! Tests over the whole registry: every check's metadata, ids and aliases, lookup,
//! selection, and every check's fixtures failing and passing as their names say.

mod common;

use common::{Expect, Fixture};
use ringfence_checks::{Check, REGISTRY, Selection, SelectionError, find};
use ringfence_findings::{Finding, ResourceType, Severity, Status};
use std::collections::{BTreeSet, HashMap};

fn ids(checks: &[&'static Check]) -> Vec<&'static str> {
    checks.iter().map(|c| c.meta.id).collect()
}

// ---- metadata ----------------------------------------------------------------------------

#[test]
fn ids_are_unique() {
    let mut seen = BTreeSet::new();
    for check in REGISTRY {
        assert!(
            seen.insert(check.meta.id),
            "{} appears twice",
            check.meta.id
        );
    }
}

/// `<service>_<resource>_<what>`, snake_case, the resource matching the resource type.
#[test]
fn ids_are_snake_case_service_resource_what() {
    for check in REGISTRY {
        let id = check.meta.id;
        let words: Vec<&str> = id.split('_').collect();
        assert!(
            words.len() >= 3
                && words.iter().all(|w| {
                    !w.is_empty()
                        && w.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                }),
            "{id} is not snake_case <service>_<resource>_<what>"
        );
        assert!(
            words[0].starts_with(|c: char| c.is_ascii_lowercase()),
            "{id}: service {:?} should start with a letter",
            words[0]
        );
        // Prowler's ids for the audit-trail checks name the service, then what they judge.
        let (service, resource) = match check.meta.resource_type {
            ResourceType::AwsEc2Instance => ("ec2", "instance"),
            ResourceType::AwsEc2SecurityGroup => ("ec2", "securitygroup"),
            ResourceType::AwsEc2NetworkInterface => ("ec2", "networkinterface"),
            ResourceType::AwsEc2Vpc => ("vpc", "flow"),
            ResourceType::AwsCloudTrailTrail => ("cloudtrail", "multi"),
            ResourceType::AwsConfigConfigurationRecorder => ("config", "recorder"),
            other => panic!("{id}: {other:?} is not a resource the registry's checks judge"),
        };
        assert_eq!(
            (words[0], words[1]),
            (service, resource),
            "{id}: service and resource should name its resource type {:?}",
            check.meta.resource_type
        );
    }
}

#[test]
fn titles_state_the_bad_pattern() {
    for check in REGISTRY {
        let title = check.meta.title;
        let id = check.meta.id;
        assert!(!title.trim().is_empty(), "{id} has no title");
        assert!(
            !title
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("ensure"),
            "{id}: title {title:?} should state the bad pattern, not start with \"Ensure\""
        );
        assert!(
            title.starts_with(|c: char| c.is_ascii_uppercase()),
            "{id}: title {title:?} should start with a capital letter"
        );
        assert!(
            !title.ends_with('.'),
            "{id}: title {title:?} is a title, not a sentence"
        );
    }
}

#[test]
fn docs_are_present() {
    for check in REGISTRY {
        let meta = &check.meta;
        for (field, text) in [
            ("description", meta.description),
            ("risk", meta.risk),
            ("remediation", meta.remediation),
        ] {
            assert!(!text.trim().is_empty(), "{}: {field} is empty", meta.id);
        }
        assert!(
            meta.description != meta.risk,
            "{}: risk should say why it is bad, not repeat the description",
            meta.id
        );
        assert!(!meta.references.is_empty(), "{}: no references", meta.id);
        for reference in meta.references {
            assert!(
                reference.starts_with("https://"),
                "{}: reference {reference:?} is not an https URL",
                meta.id
            );
        }
        assert!(!meta.categories.is_empty(), "{}: no categories", meta.id);
        assert!(!meta.compliance.is_empty(), "{}: no compliance", meta.id);
    }
}

/// Users put other tools' ids in mutelists and `--checks`: each must name one check.
#[test]
fn aliases_are_unique_across_the_registry_and_never_another_checks_id() {
    let mut owner: HashMap<String, &str> = HashMap::new();
    for check in REGISTRY {
        let mut own = BTreeSet::new();
        for alias in check.meta.aliases {
            let key = alias.id.to_ascii_lowercase();
            assert!(
                !alias.id.trim().is_empty() && alias.id.trim() == alias.id,
                "{}: alias {:?} is empty or padded",
                check.meta.id,
                alias.id
            );
            assert!(
                own.insert(key.clone()),
                "{}: alias {} listed twice",
                check.meta.id,
                alias.id
            );
            if let Some(other) = owner.insert(key, check.meta.id) {
                panic!(
                    "alias {} names both {other} and {}",
                    alias.id, check.meta.id
                );
            }
        }
    }
    for check in REGISTRY {
        if let Some(other) = owner.get(&check.meta.id.to_ascii_lowercase()) {
            assert_eq!(
                *other, check.meta.id,
                "{other} has an alias equal to the id of {}",
                check.meta.id
            );
        }
    }
}

#[test]
fn find_resolves_every_id_and_alias_case_insensitively() {
    for check in REGISTRY {
        let id = check.meta.id;
        let names = std::iter::once(id).chain(check.meta.aliases.iter().map(|a| a.id));
        for name in names {
            for spelling in [
                name.to_string(),
                name.to_ascii_uppercase(),
                name.to_ascii_lowercase(),
                format!("  {name}\t"),
            ] {
                let found = find(&spelling)
                    .unwrap_or_else(|| panic!("find({spelling:?}) found nothing; expected {id}"));
                assert!(
                    std::ptr::eq(found, *check),
                    "find({spelling:?}) gave {}, expected {id}",
                    found.meta.id
                );
            }
        }
    }
    assert!(find("ec2_no_such_check").is_none());
    assert!(find("").is_none());
}

// ---- selection ---------------------------------------------------------------------------

const UNCOMMON: &str = "ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports";
const REMOTE: &str = "ec2_securitygroup_allow_ingress_from_internet_to_remote_access_ports";
const CASSANDRA_SG: &str = "ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports";
const CASSANDRA_INSTANCE: &str = "ec2_instance_port_cassandra_exposed_to_internet";

fn resolve(include: &[&str], exclude: &[&str], min: Option<Severity>) -> Vec<&'static str> {
    let selection = Selection {
        include: include.iter().map(|s| s.to_string()).collect(),
        exclude: exclude.iter().map(|s| s.to_string()).collect(),
        min_severity: min,
    };
    ids(&selection
        .resolve()
        .unwrap_or_else(|e| panic!("{selection:?}: {e}")))
}

#[test]
fn selection_default_is_the_whole_registry_in_order() {
    assert_eq!(resolve(&[], &[], None), ids(REGISTRY));
}

#[test]
fn selection_includes_by_alias_of_any_tool_in_any_case() {
    assert_eq!(resolve(&["EC2-034"], &[], None), [UNCOMMON]);
    assert_eq!(resolve(&["ec2-034"], &[], None), [UNCOMMON]);
    assert_eq!(resolve(&["EC2.18"], &[], None), [UNCOMMON]);
    assert_eq!(resolve(&["ckv_aws_24"], &[], None), [REMOTE]);
    assert_eq!(
        resolve(
            &["ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22"],
            &[],
            None
        ),
        [REMOTE]
    );
}

#[test]
fn selection_keeps_registry_order_and_names_each_check_once() {
    let expected: Vec<&str> = ids(REGISTRY)
        .into_iter()
        .filter(|id| [UNCOMMON, REMOTE, CASSANDRA_INSTANCE].contains(id))
        .collect();
    assert_eq!(
        resolve(
            &[REMOTE, "EC2-034", CASSANDRA_INSTANCE, "EC2.13", UNCOMMON],
            &[],
            None
        ),
        expected
    );
}

#[test]
fn selection_excludes_by_id_or_alias() {
    let all = ids(REGISTRY);
    let without = |gone: &[&str]| -> Vec<&str> {
        all.iter()
            .copied()
            .filter(|id| !gone.contains(id))
            .collect()
    };
    assert_eq!(resolve(&[], &["ec2-034"], None), without(&[UNCOMMON]));
    assert_eq!(
        resolve(&[], &[CASSANDRA_SG, "CKV_AWS_25"], None),
        without(&[CASSANDRA_SG, REMOTE])
    );
    // An exclusion wins over an inclusion of the same check under another name.
    assert_eq!(resolve(&[UNCOMMON, REMOTE], &["EC2-034"], None), [REMOTE]);
    assert!(resolve(&["EC2-034"], &[UNCOMMON], None).is_empty());
}

#[test]
fn selection_min_severity_keeps_checks_at_or_above_it() {
    for min in Severity::ALL {
        let expected: Vec<&str> = REGISTRY
            .iter()
            .filter(|c| c.meta.severity >= min)
            .map(|c| c.meta.id)
            .collect();
        assert_eq!(resolve(&[], &[], Some(min)), expected, "min {min}");
    }
    let critical = resolve(&[], &[], Some(Severity::Critical));
    assert!(critical.contains(&CASSANDRA_SG) && !critical.contains(&UNCOMMON));
    // Combined with an inclusion, the severity still filters.
    assert!(resolve(&["EC2-034"], &[], Some(Severity::Critical)).is_empty());
    assert_eq!(resolve(&["EC2-034"], &[], Some(Severity::High)), [UNCOMMON]);
}

#[test]
fn selection_names_an_unknown_check() {
    for (include, exclude) in [
        (vec!["ec2_no_such_check"], vec![]),
        (vec![], vec!["ec2_no_such_check"]),
        (vec![UNCOMMON, "ec2_no_such_check"], vec![]),
    ] {
        let selection = Selection {
            include: include.iter().map(|s| s.to_string()).collect(),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
            min_severity: None,
        };
        let error = selection
            .resolve()
            .expect_err("an unknown check is an error");
        assert_eq!(
            error,
            SelectionError {
                unknown: "ec2_no_such_check".to_string()
            }
        );
        assert!(error.to_string().contains("ec2_no_such_check"), "{error}");
    }
}

// ---- fixtures ----------------------------------------------------------------------------

/// Fixtures whose check gives the wrong outcome today, with why. The test below fails when
/// one of them starts giving the right outcome, so that this list empties as checks are fixed.
const KNOWN_WRONG: &[(&str, &str, &str)] = &[];

#[test]
fn every_fixture_folder_names_a_check_and_an_outcome() {
    let fixtures = common::fixtures();
    assert!(!fixtures.is_empty(), "no fixtures under fixtures/");
    for fixture in &fixtures {
        assert!(
            fixture.check().is_some(),
            "{}: no check {} in the registry",
            fixture.path.display(),
            fixture.check_id
        );
        assert!(
            fixture.expect().is_some(),
            "{}: a case's name starts with fail_ or pass_",
            fixture.path.display()
        );
        assert!(
            fixture.path.join("describe-security-groups.json").is_file(),
            "{}: no describe-security-groups.json",
            fixture.path.display()
        );
    }
}

#[test]
fn every_check_has_a_failing_and_a_passing_fixture() {
    let fixtures = common::fixtures();
    for check in REGISTRY {
        let of_check: Vec<&Fixture> = fixtures
            .iter()
            .filter(|f| f.check_id == check.meta.id)
            .collect();
        for (prefix, wanted) in [("fail_", Expect::Fail), ("pass_", Expect::Pass)] {
            assert!(
                of_check.iter().any(|f| f.expect() == Some(wanted)),
                "{} has no {prefix} fixture under fixtures/{}/",
                check.meta.id,
                check.meta.id
            );
        }
    }
}

/// What is wrong with `findings` for a case expecting `expect`; empty when right.
fn problems(check: &Check, expect: Expect, findings: &[Finding]) -> Vec<String> {
    let mut problems = Vec::new();
    let count = |status| findings.iter().filter(|f| f.status == status).count();
    for finding in findings {
        if finding.check_id != check.meta.id {
            problems.push(format!("a finding of {}", finding.check_id));
        }
    }
    match expect {
        Expect::Fail => {
            if count(Status::Fail) == 0 {
                problems.push("no FAIL".to_string());
            }
        }
        Expect::Pass => {
            if count(Status::Fail) > 0 {
                problems.push(format!("{} FAIL", count(Status::Fail)));
            }
            if count(Status::Skip) > 0 {
                problems.push(format!(
                    "{} SKIP (name the case pass_skip_... if that is what it shows)",
                    count(Status::Skip)
                ));
            }
        }
        Expect::Skip => {
            if count(Status::Fail) > 0 {
                problems.push(format!("{} FAIL", count(Status::Fail)));
            }
            if count(Status::Skip) == 0 {
                problems.push("no SKIP".to_string());
            }
            for skipped in findings.iter().filter(|f| f.status == Status::Skip) {
                if findings
                    .iter()
                    .any(|f| f.status == Status::Pass && f.resource.id == skipped.resource.id)
                {
                    problems.push(format!("{} is both SKIP and PASS", skipped.resource.id));
                }
            }
        }
    }
    problems
}

/// Each fixture, loaded with the snapshot loader and judged by its own check alone, gives
/// what its name says.
#[test]
fn fixtures_fail_pass_and_skip_as_named() {
    let mut wrong = Vec::new();
    let mut fixed = Vec::new();
    for fixture in common::fixtures() {
        let (Some(check), Some(expect)) = (fixture.check(), fixture.expect()) else {
            continue; // reported by every_fixture_folder_names_a_check_and_an_outcome
        };
        let findings = common::run_on(check, &fixture.path);
        let problems = problems(check, expect, &findings);
        let known = KNOWN_WRONG
            .iter()
            .any(|(id, case, _)| *id == fixture.check_id && *case == fixture.case);
        match (known, problems.is_empty()) {
            (false, false) => wrong.push(format!(
                "{}: {}\n{}",
                fixture.path.display(),
                problems.join("; "),
                findings
                    .iter()
                    .map(|f| format!("    {} {}", f.status.as_str(), f.message))
                    .collect::<Vec<_>>()
                    .join("\n")
            )),
            (true, true) => fixed.push(fixture.path.display().to_string()),
            _ => {}
        }
    }
    assert!(
        wrong.is_empty(),
        "fixtures that do not give what their names say:\n{}",
        wrong.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "now right, remove from KNOWN_WRONG: {}",
        fixed.join(", ")
    );
}

#[test]
fn known_wrong_entries_name_existing_fixtures() {
    for (id, case, why) in KNOWN_WRONG {
        assert!(!why.is_empty());
        common::case_path(id, case);
    }
}
