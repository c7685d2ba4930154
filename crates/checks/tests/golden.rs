//! Golden snapshots: for each `fail_` fixture, the findings of its check alone, as JSON,
//! in `tests/snapshots/<check_id>__<case>.snap`. Review changes with `cargo insta review`
//! (or rerun with `INSTA_UPDATE=always` and read the diff).

mod common;

use common::Expect;
use std::collections::BTreeSet;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

const SNAPSHOTS: &str = "tests/snapshots";

#[test]
fn every_failing_fixture_matches_its_golden_findings() {
    let mut mismatched = Vec::new();
    for fixture in common::fixtures() {
        if fixture.expect() != Some(Expect::Fail) {
            continue;
        }
        let Some(check) = fixture.check() else {
            continue; // reported by the registry tests
        };
        let findings = common::run_on(check, &fixture.path);
        let name = fixture.name();
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_description(format!(
            "{} on {}",
            fixture.check_id,
            fixture.path.display()
        ));
        // One mismatch must not hide the others: catch each and report them all.
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_json_snapshot!(name.as_str(), findings));
        }));
        if outcome.is_err() {
            mismatched.push(name);
        }
    }
    assert!(
        mismatched.is_empty(),
        "findings differ from their golden snapshots: {}",
        mismatched.join(", ")
    );
}

/// A golden snapshot whose fixture was renamed or removed would never be checked again.
#[test]
fn every_golden_snapshot_has_its_failing_fixture() {
    let expected: BTreeSet<String> = common::fixtures()
        .into_iter()
        .filter(|f| f.expect() == Some(Expect::Fail))
        .map(|f| f.name())
        .collect();
    let entries = fs::read_dir(Path::new(SNAPSHOTS))
        .unwrap_or_else(|e| panic!("cannot read {SNAPSHOTS}: {e}"));
    for entry in entries {
        let path = entry.expect("a snapshot folder entry").path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(stem) = name.strip_suffix(".snap") else {
            continue; // `.snap.new` files of a pending review
        };
        assert!(
            expected.contains(stem),
            "{} has no fixture fixtures/{}; delete it or restore the fixture",
            path.display(),
            stem.replacen("__", "/", 1)
        );
    }
}
