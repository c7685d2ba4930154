//! The compliance mapping is data: every entry names a known framework and one of its
//! controls, every control listed is evidenced by some check, and the Cassandra checks
//! map to each framework the project promises.

use ringfence_checks::REGISTRY;
use ringfence_findings::frameworks::{FRAMEWORKS, framework};
use std::collections::BTreeSet;

#[test]
fn every_mapping_names_a_known_framework_and_control() {
    for check in REGISTRY {
        let mut seen = BTreeSet::new();
        for c in check.meta.compliance {
            let known = FRAMEWORKS
                .iter()
                .find(|f| f.name == c.framework)
                .unwrap_or_else(|| {
                    panic!("{}: unknown framework {:?}", check.meta.id, c.framework)
                });
            assert!(
                known.controls.iter().any(|k| k.id == c.control),
                "{}: {} has no control {:?}",
                check.meta.id,
                c.framework,
                c.control
            );
            assert!(
                seen.insert((c.framework, c.control)),
                "{}: {c:?} twice",
                check.meta.id
            );
        }
    }
}

#[test]
fn every_listed_control_is_evidenced_by_a_check() {
    // The estate checks, and the Cassandra node and probe checks (`ringfence node`,
    // `ringfence probe`), which evidence CIS Cassandra's authentication and encryption.
    let metas: Vec<&ringfence_findings::CheckMeta> = REGISTRY
        .iter()
        .map(|c| &c.meta)
        .chain(ringfence_node::NODE_CHECKS.iter().map(|c| &c.meta))
        .chain(ringfence_node::endpoint::PROBE_CHECKS.iter().copied())
        .collect();
    for f in FRAMEWORKS {
        for control in f.controls {
            assert!(
                metas.iter().any(|meta| meta
                    .compliance
                    .iter()
                    .any(|c| c.framework == f.name && c.control == control.id)),
                "{} {} maps to no check",
                f.name,
                control.id
            );
        }
    }
}

#[test]
fn the_cassandra_checks_map_to_every_promised_framework() {
    let expected = [
        ("soc2", "CC6.1"),
        ("soc2", "CC6.6"),
        ("iso27001", "A.13.1.1"),
        ("c5", "COS-01"),
        ("kisa-isms-p", "2.6.1"),
        ("nis2", "Art. 21"),
        ("pci-dss", "1.3.1"),
        ("hipaa", "164.312(e)(1)"),
        ("nist-800-53", "SC-7"),
        ("nist-800-53", "AC-4"),
        ("fsbp", "EC2.18"),
        ("cis-cassandra", "3.5"),
    ];
    for id in [
        "ec2_instance_port_cassandra_exposed_to_internet",
        "ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports",
    ] {
        let check = ringfence_checks::find(id).unwrap_or_else(|| panic!("{id}"));
        for (fw, control) in expected {
            let name = framework(fw).unwrap_or_else(|| panic!("{fw}")).name;
            assert!(
                check
                    .meta
                    .compliance
                    .iter()
                    .any(|c| c.framework == name && c.control == control),
                "{id} lacks {name} {control}"
            );
        }
    }
    // CIS AWS 5.2/5.3 and FSBP EC2.53/54 are about remote administration ports.
    let remote = ringfence_checks::find(
        "ec2_securitygroup_allow_ingress_from_internet_to_remote_access_ports",
    )
    .unwrap_or_else(|| panic!("remote access check"));
    for control in ["5.2", "5.3", "EC2.53", "EC2.54", "EC2.19"] {
        assert!(
            remote.meta.compliance.iter().any(|c| c.control == control),
            "{control}"
        );
    }
}
