//! Every fixture, by its name: `fail_` fails at least one check (and each failing
//! finding points at a file and line), `pass_` neither fails nor skips a Cassandra or
//! all-ports check (a `pass_udp_on_cql` rightly fails the uncommon-ports check), `skip_` answers
//! SKIP with a reason naming file:line and never passes or fails, `error_` is refused
//! with an error naming the file and the line.

mod common;

use common::*;
use ringfence_findings::Status;
use std::path::Path;

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn judge(path: &Path) {
    let case = name(path);
    if case.starts_with("error_") {
        let err = load(path).expect_err(&case).to_string();
        let file_name = if path.is_dir() {
            "main.tf".to_string()
        } else {
            case.clone()
        };
        assert!(err.contains(&file_name), "{case}: {err}");
        let after = err.split(&file_name).nth(1).unwrap_or_default();
        assert!(
            after.starts_with(':') && after[1..].starts_with(|c: char| c.is_ascii_digit()),
            "{case}: no line in {err}"
        );
        return;
    }
    let estate = load(path).unwrap_or_else(|e| panic!("{case}: {e}"));
    let findings = run(&estate);
    let fails = of_status(&findings, Status::Fail);
    let skips = of_status(&findings, Status::Skip);
    if case.starts_with("fail_") {
        assert!(!fails.is_empty(), "{case}: nothing failed");
        for f in &fails {
            let location = f.resource.location.as_ref().expect("location");
            assert!(location.line.is_some_and(|l| l > 0), "{case}: no line");
        }
    } else if case.starts_with("pass_") {
        let judged = |f: &&&ringfence_findings::Finding| {
            f.check_id.contains("cassandra") || f.check_id.contains("all_ports")
        };
        let fails: Vec<_> = fails.iter().filter(judged).collect();
        let skips: Vec<_> = skips.iter().filter(judged).collect();
        assert!(
            fails.is_empty() && skips.is_empty(),
            "{case}: {:?}",
            fails
                .iter()
                .chain(&skips)
                .map(|f| &f.message)
                .collect::<Vec<_>>()
        );
    } else if case.starts_with("skip_") {
        assert!(fails.is_empty(), "{case}: {:?}", fails[0].message);
        assert!(!skips.is_empty(), "{case}: nothing skipped");
        for s in &skips {
            assert!(
                s.message.contains(".tf:")
                    || s.message.contains(".yaml:")
                    || s.message.contains(".json:")
                    || s.message.contains("prefix list"),
                "{case}: SKIP without a place: {}",
                s.message
            );
        }
    } else {
        panic!("{case}: fixture names start with fail_, pass_, skip_ or error_");
    }
}

#[test]
fn terraform_fixtures() {
    for case in cases("terraform") {
        judge(&case);
    }
}

#[test]
fn plan_fixtures() {
    for case in cases("plan") {
        judge(&case);
    }
}

#[test]
fn cloudformation_fixtures() {
    for case in cases("cloudformation") {
        judge(&case);
    }
}

const CASSANDRA: &str = "ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports";
const ALL_PORTS: &str = "ec2_securitygroup_allow_ingress_from_internet_to_all_ports";

fn failing(path: &Path, check: &str) -> Vec<(String, Vec<String>)> {
    let estate = load(path).expect("loads");
    run(&estate)
        .into_iter()
        .filter(|f| f.status == Status::Fail && f.check_id == check)
        .map(|f| (f.resource.id.clone(), ports(&f)))
        .collect()
}

#[test]
fn range_interior_opens_every_cassandra_port_inside() {
    let ports = vec![
        "tcp/7000-7000",
        "tcp/7001-7001",
        "tcp/7199-7199",
        "tcp/9042-9042",
        "tcp/9142-9142",
        "tcp/9160-9160",
    ];
    for path in [
        fixtures("terraform").join("fail_range_interior_7000_9200"),
        fixtures("cloudformation").join("fail_range_interior_long_form.json"),
    ] {
        let found = failing(&path, CASSANDRA);
        assert_eq!(found.len(), 1, "{}", path.display());
        assert_eq!(found[0].1, ports, "{}", path.display());
    }
}

#[test]
fn protocol_minus_one_is_every_port_in_each_input() {
    for path in [
        fixtures("terraform").join("fail_vpc_rule_all_protocols"),
        fixtures("plan").join("fail_vpc_rule_all_protocols.json"),
        fixtures("cloudformation").join("fail_ip_protocol_minus_one.yaml"),
    ] {
        let found = failing(&path, ALL_PORTS);
        assert_eq!(found.len(), 1, "{}", path.display());
        assert_eq!(found[0].1, vec!["-1/0-65535"], "{}", path.display());
    }
}

#[test]
fn standalone_rules_land_on_their_group() {
    let found = failing(
        &fixtures("terraform").join("fail_vpc_rule_all_protocols"),
        ALL_PORTS,
    );
    assert_eq!(found[0].0, "aws_security_group.cassandra");
    let found = failing(
        &fixtures("plan").join("fail_vpc_rule_all_protocols.json"),
        ALL_PORTS,
    );
    assert_eq!(found[0].0, "aws_security_group.cassandra");
    let found = failing(
        &fixtures("cloudformation").join("fail_standalone_ingress_getatt.yaml"),
        CASSANDRA,
    );
    assert_eq!(found[0].0, "CassandraSG");
}

#[test]
fn count_for_each_modules_and_tfvars_are_evaluated() {
    let found = failing(
        &fixtures("terraform").join("fail_count_and_for_each"),
        CASSANDRA,
    );
    assert_eq!(
        found,
        vec![(
            "aws_security_group.ring[0]".to_string(),
            vec!["tcp/9042-9042".to_string(), "tcp/9160-9160".to_string()]
        )]
    );
    let found = failing(&fixtures("terraform").join("fail_local_module"), CASSANDRA);
    assert_eq!(found[0].0, "module.cassandra_sg.aws_security_group.this");
    let instance = failing(
        &fixtures("terraform").join("fail_local_module"),
        "ec2_instance_port_cassandra_exposed_to_internet",
    );
    assert_eq!(instance[0].0, "aws_instance.node");
    let found = failing(
        &fixtures("terraform").join("fail_variable_default_and_tfvars"),
        CASSANDRA,
    );
    assert_eq!(found.len(), 1);
}

#[test]
fn findings_point_at_the_resource_line() {
    let estate = load(&fixtures("cloudformation").join("fail_standalone_ingress_getatt.yaml"))
        .expect("loads");
    let f = run(&estate)
        .into_iter()
        .find(|f| f.status == Status::Fail)
        .expect("a failure");
    let location = f.resource.location.expect("location");
    assert!(
        location
            .file
            .ends_with("fail_standalone_ingress_getatt.yaml")
    );
    assert_eq!(location.line, Some(9));
}

#[test]
fn unresolved_values_name_where_they_are() {
    let estate = load(&fixtures("terraform").join("skip_variable_without_default")).expect("loads");
    let skip = run(&estate)
        .into_iter()
        .find(|f| f.status == Status::Skip)
        .expect("a skip");
    assert!(skip.message.contains("var.client_cidr"), "{}", skip.message);
    assert!(skip.message.contains("main.tf:11"), "{}", skip.message);
}

#[test]
fn huge_files_are_refused_before_reading() {
    let dir = tempdir();
    let path = dir.join("huge.yaml");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(ringfence_iac::MAX_FILE_BYTES + 1)
        .expect("grow");
    let err = ringfence_iac::load(&path, ringfence_iac::Kind::CloudFormation)
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("huge.yaml") && err.contains("larger than"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn missing_file_is_an_error_naming_it() {
    let err = ringfence_iac::load(Path::new("no/such/main.tf"), ringfence_iac::Kind::Terraform)
        .expect_err("missing")
        .to_string();
    assert!(err.contains("no/such/main.tf"), "{err}");
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ringfence-iac-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn installed_registry_modules_are_read_and_missing_ones_named() {
    let path = fixtures("terraform").join("fail_installed_registry_module");
    let estate = load(&path).expect("loads");
    assert!(
        estate
            .security_groups
            .iter()
            .any(|g| g.id == "module.sg.aws_security_group.this")
    );
    let gap = estate
        .incomplete
        .first()
        .expect("the remote module is named");
    assert_eq!(gap.subject.as_deref(), Some("module.other"));
    assert!(gap.reason.contains("main.tf:8"), "{}", gap.reason);
}

#[test]
fn an_unresolved_network_acl_entry_makes_the_path_unknown() {
    let path = fixtures("terraform").join("fail_nacl_entry_unresolved");
    let estate = load(&path).expect("loads");
    assert!(
        estate
            .incomplete
            .iter()
            .any(|g| g.subject.as_deref() == Some("aws_network_acl.public")
                && g.reason.contains("main.tf:9"))
    );
    for f in run(&estate).iter().filter(|f| f.status == Status::Fail) {
        let exposure = f.exposure.as_ref().expect("exposure");
        assert_eq!(exposure.reachability.as_str(), "unknown", "{}", f.message);
    }
}

#[test]
fn an_unresolved_route_makes_the_path_unknown() {
    let path = fixtures("terraform").join("fail_route_target_unresolved");
    let estate = load(&path).expect("loads");
    assert!(
        estate
            .incomplete
            .iter()
            .any(|g| g.subject.as_deref() == Some("aws_route_table.public"))
    );
    let fails: Vec<_> = run(&estate)
        .into_iter()
        .filter(|f| f.status == Status::Fail)
        .collect();
    assert!(!fails.is_empty());
    for f in fails {
        let exposure = f.exposure.as_ref().expect("exposure");
        assert_eq!(exposure.reachability.as_str(), "unknown", "{}", f.message);
    }
}
