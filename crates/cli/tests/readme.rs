//! The README documents every check and every catalogued service; this keeps it so.
#![allow(clippy::unwrap_used)]

mod common;

#[test]
fn the_readme_lists_every_check_and_catalogued_service() {
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    for check in ringfence_checks::REGISTRY {
        assert!(
            readme.contains(&format!("`{}`", check.meta.id)),
            "README misses check {}",
            check.meta.id
        );
    }
    for detector in ringfence_trail::DETECTORS {
        assert!(
            readme.contains(&format!("`{}`", detector.meta.id)),
            "README misses detector {}",
            detector.meta.id
        );
    }
    for service in ringfence_checks::Catalog::embedded().services {
        assert!(
            readme.contains(&format!("| {} |", service.name)),
            "README misses service {}",
            service.name
        );
    }
}

/// The README's config reference is a valid `ringfence.toml`: every knob it documents
/// (the hygiene ones included) is one the parser knows.
#[test]
fn the_readme_config_reference_parses() {
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    let section = &readme[readme.find("## Config file").unwrap()..];
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let block = &section[start..start + section[start..].find("```").unwrap()];
    let settings = ringfence_policy::Settings::parse(block, std::path::Path::new("README.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(settings.config.hygiene.max_groups_per_instance, 5);
    assert!(!settings.config.hygiene.bastion_groups.is_empty());
    assert!(settings.opt_in.contains(&"vpc_flow_logs_enabled"));
    assert_eq!(settings.trail.burst.map(|(n, _)| n), Some(10));
    assert!(settings.trail.business_hours.is_some());
    assert_eq!(settings.trail.root_allowed, ["ConsoleLogin"]);
}
