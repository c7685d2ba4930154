//! Every format, golden-tested from one shared report (tests/common). Times are fixed by
//! the render context, the tool version is redacted. Review with `cargo insta review`.
#![allow(clippy::unwrap_used)]

mod common;

use ringfence_report::Format;

fn golden(format: Format) {
    let report = common::shared_report();
    let text = common::render(&report, format);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_suffix(format.name());
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("shared_report", text));
}

#[test]
fn table() {
    golden(Format::Table);
}

#[test]
fn json() {
    golden(Format::Json);
}

#[test]
fn ocsf() {
    golden(Format::Ocsf);
}

#[test]
fn asff() {
    golden(Format::Asff);
}

#[test]
fn sarif() {
    golden(Format::Sarif);
}

#[test]
fn csv() {
    golden(Format::Csv);
}

#[test]
fn junit() {
    golden(Format::Junit);
}

#[test]
fn html() {
    golden(Format::Html);
}
