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
    for service in ringfence_checks::Catalog::embedded().services {
        assert!(
            readme.contains(&format!("| {} |", service.name)),
            "README misses service {}",
            service.name
        );
    }
}
