//! The HTML report in a real browser: Debian's headless Chromium opens the file (file://,
//! no network), runs its script and dumps the DOM. The page must render (its script ran
//! to the end), log no console error, and show the security group named
//! `<script>alert(1)</script>` and the `<img onerror>` Name tag as text — no element made
//! from them, no script run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use ringfence_report::Format;
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> PathBuf {
    let path = std::env::var_os("RINGFENCE_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.exists(),
        "{} not found: install Debian's chromium (scripts/test does: apt-get install -y chromium), or set RINGFENCE_CHROMIUM",
        path.display()
    );
    path
}

/// Opens `page` headless; returns the DOM after the scripts ran, and the browser's log.
fn open(page: &Path) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.success(), "chromium failed: {stderr}");
    (String::from_utf8(output.stdout).unwrap(), stderr)
}

/// Console messages Chromium logs from the page (`CONSOLE(...)` / "Uncaught").
fn console_errors(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| {
            l.contains("CONSOLE") || l.contains("Uncaught") || l.contains("Content Security Policy")
        })
        .collect()
}

fn write_page(html: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("ringfence.html");
    std::fs::write(&page, html).unwrap();
    (dir, page)
}

#[test]
fn the_report_renders_without_errors_and_hostile_names_stay_text() {
    let html = common::render(&common::shared_report(), Format::Html);
    let (_dir, page) = write_page(&html);
    let (dom, log) = open(&page);

    assert!(
        dom.contains("data-ready=\"true\""),
        "the page script did not finish:\n{log}"
    );
    assert!(
        dom.contains("<pre id=\"js-errors\"></pre>"),
        "script errors on the page"
    );
    let errors = console_errors(&log);
    assert!(errors.is_empty(), "console errors: {errors:#?}");

    // The group's name is text in the DOM, escaped once, and no script element holds it.
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!dom.contains("<script>alert(1)</script>"));
    assert_eq!(
        dom.matches("<script").count(),
        1,
        "only the page's own script"
    );
    // The Name tag payload made no element.
    assert!(dom.contains("&lt;img src=x onerror=alert(2)&gt; &amp; \"quoted\""));
    assert!(!dom.contains("<img"));
    // Each finding is listed, and the reachable one drawn as a graph to its port.
    let report = common::shared_report();
    assert_eq!(
        dom.matches("<tbody class=\"finding").count(),
        report.findings.len()
    );
    assert!(dom.contains("<svg class=\"graph\""));
    assert!(dom.contains("tcp/9042"));
}

#[test]
fn a_script_error_would_be_caught() {
    // The check above is only worth something if a broken page fails it.
    let html = common::render(&common::shared_report(), Format::Html).replace(
        "apply();\n  document.body",
        "undefinedFunction();\n  document.body",
    );
    let (_dir, page) = write_page(&html);
    let (dom, log) = open(&page);
    assert!(!dom.contains("data-ready=\"true\""));
    assert!(
        !console_errors(&log).is_empty(),
        "the console error was not seen:\n{log}"
    );
    assert!(
        dom.contains("script error: "),
        "the page did not show its error"
    );
}
