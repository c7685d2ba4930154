//! The generated folder is a snapshot the loader reads whole, the same for the same seed.
#![allow(clippy::unwrap_used)]

use ringfence_estategen::{Params, generate};
use ringfence_model::{Source, Traffic};
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::Path;

fn params(groups: usize, instances: usize) -> Params {
    Params {
        groups,
        instances,
        seed: 42,
        regions: 1,
        accounts: 0,
    }
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(name, fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn the_loader_reads_every_file_with_nothing_missing() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(&params(600, 1_000), dir.path()).unwrap();
    let estate = ringfence_snapshot::load(dir.path()).unwrap();
    assert!(estate.incomplete.is_empty(), "{:?}", estate.incomplete);
    assert_eq!(estate.security_groups.len(), 600);
    assert_eq!(estate.instances.len(), 1_000);
    assert_eq!(estate.network_interfaces.len(), summary.network_interfaces);
    assert_eq!(estate.vpcs.len(), summary.vpcs);
    assert_eq!(estate.subnets.len(), summary.subnets);
    assert_eq!(estate.route_tables.len(), summary.route_tables);
    assert_eq!(estate.network_acls.len(), summary.network_acls);
    assert_eq!(estate.addresses.len(), summary.addresses);
    assert_eq!(estate.prefix_lists.len(), summary.prefix_lists);
    assert!(estate.prefix_lists.iter().all(|l| l.entries.is_some()));

    let ingress: usize = estate.security_groups.iter().map(|g| g.ingress.len()).sum();
    let egress: usize = estate.security_groups.iter().map(|g| g.egress.len()).sum();
    assert_eq!(ingress, summary.ingress_rules);
    assert_eq!(egress, summary.egress_rules);
    // About ten rules per group, and every one matched to its sgr- id.
    let per_group = (ingress + egress) as f64 / 600.0;
    assert!((8.0..12.0).contains(&per_group), "{per_group}");
    let rules = || {
        estate
            .security_groups
            .iter()
            .flat_map(|g| g.ingress.iter().chain(&g.egress))
    };
    assert!(rules().all(|r| r.id.is_some()));

    // Every group an interface names, and every group a rule references, exists.
    let groups: HashSet<&str> = estate
        .security_groups
        .iter()
        .map(|g| g.id.as_str())
        .collect();
    for eni in &estate.network_interfaces {
        assert!(eni.groups.iter().all(|g| groups.contains(g.as_str())));
    }
    for rule in rules() {
        if let Source::Group(r) = &rule.source {
            assert!(groups.contains(r.group_id.as_deref().unwrap()));
        }
    }
    // The mix the benchmark is about: ranges, the world, IPv6, prefix lists, references.
    let has = |f: &dyn Fn(&ringfence_model::Rule) -> bool| rules().any(f);
    assert!(has(
        &|r| matches!(r.traffic, Traffic::Tcp(p) if p.from == 0 && p.to == 65535)
    ));
    assert!(has(
        &|r| matches!(r.traffic, Traffic::Tcp(p) if p.from == 7000 && p.to == 7199)
    ));
    assert!(has(&|r| matches!(r.traffic, Traffic::All)));
    assert!(has(
        &|r| matches!(&r.source, Source::V4(n) if n.prefix_len() == 0)
    ));
    assert!(has(
        &|r| matches!(&r.source, Source::V6(n) if n.prefix_len() == 0)
    ));
    assert!(has(&|r| matches!(&r.source, Source::PrefixList(_))));
    assert!(has(&|r| r.description.is_some()));
    for instance in &estate.instances {
        assert!(instance.network_interfaces.len() <= 3);
    }
}

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let p = Params {
        regions: 2,
        accounts: 2,
        ..params(400, 500)
    };
    generate(&p, a.path()).unwrap();
    generate(&p, b.path()).unwrap();
    let (ta, tb) = (tree(a.path()), tree(b.path()));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    assert!(ta == tb, "same seed, different bytes");
    let c = tempfile::tempdir().unwrap();
    generate(&Params { seed: 43, ..p }, c.path()).unwrap();
    assert!(tree(c.path()) != ta);
}

#[test]
fn accounts_and_regions_become_folders_and_scopes() {
    let dir = tempfile::tempdir().unwrap();
    let p = Params {
        regions: 3,
        accounts: 2,
        ..params(60, 90)
    };
    let summary = generate(&p, dir.path()).unwrap();
    assert_eq!(summary.region_folders, 6);
    let estate = ringfence_snapshot::load(dir.path()).unwrap();
    assert_eq!(estate.scopes.len(), 6);
    assert!(estate.scopes.iter().all(|s| s.account.is_some()));
    assert_eq!(estate.security_groups.len(), 60);
    assert_eq!(estate.instances.len(), 90);
    assert!(estate.incomplete.is_empty(), "{:?}", estate.incomplete);
}

#[test]
fn too_few_groups_for_the_regions_is_refused() {
    let p = Params {
        regions: 4,
        ..params(3, 10)
    };
    assert!(p.check().is_err());
    assert!(
        Params {
            regions: 17,
            ..params(100, 10)
        }
        .check()
        .is_err()
    );
}
