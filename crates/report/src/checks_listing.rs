//! `ringfence checks` and `ringfence catalog`: the registry and the port catalog, read
//! from their metadata.

use crate::table::{new_table, severity_color};
use crate::{Format, Style};
use comfy_table::Cell;
use ringfence_checks::{Catalog, Check};
use ringfence_findings::{CheckMeta, Framework};
use serde::Serialize;
use std::io::{self, Write};

/// Checks listed together, and what runs them when it is not `ringfence scan` (the
/// `ringfence node` and `ringfence probe` checks).
pub struct CheckGroup<'a> {
    pub runs: Option<&'static str>,
    pub metas: Vec<&'a CheckMeta>,
}

pub fn render_checks(
    groups: &[CheckGroup<'_>],
    format: Format,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => {
            let metas: Vec<&CheckMeta> = groups
                .iter()
                .flat_map(|g| g.metas.iter().copied())
                .collect();
            serde_json::to_writer_pretty(&mut *out, &metas)?;
            writeln!(out)
        }
        _ => {
            let mut table = new_table(style);
            table.set_header([
                "CHECK",
                "SEVERITY",
                "RUNS",
                "RESOURCE",
                "TITLE",
                "ALSO KNOWN AS",
            ]);
            for group in groups {
                for meta in &group.metas {
                    let mut severity = Cell::new(meta.severity.as_str());
                    if style.color {
                        severity = severity.fg(severity_color(meta.severity));
                    }
                    let aliases: Vec<String> = meta
                        .aliases
                        .iter()
                        .map(|a| format!("{}: {}", a.tool, a.id))
                        .collect();
                    table.add_row(vec![
                        Cell::new(meta.id),
                        severity,
                        Cell::new(
                            group
                                .runs
                                .map_or_else(|| meta.enablement.label(), str::to_string),
                        ),
                        Cell::new(format!("{:?}", meta.resource_type)),
                        Cell::new(meta.title),
                        Cell::new(aliases.join("\n")),
                    ]);
                }
            }
            writeln!(out, "{table}")
        }
    }
}

#[derive(Serialize)]
struct ServiceRow<'a> {
    id: &'a str,
    name: &'a str,
    family: &'a str,
    protocol: &'a str,
    ports: Vec<String>,
    severity: &'a str,
    why: &'a str,
}

pub fn render_catalog(
    catalog: &Catalog,
    format: Format,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rows: Vec<ServiceRow<'_>> = catalog
        .services
        .iter()
        .map(|s| ServiceRow {
            id: &s.id,
            name: &s.name,
            family: s.family.label(),
            protocol: s.transport.name(),
            ports: s.ports.iter().map(|p| p.to_string()).collect(),
            severity: s.severity.as_str(),
            why: &s.why,
        })
        .collect();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)
        }
        _ => {
            let mut table = new_table(style);
            table.set_header(["SERVICE", "FAMILY", "PORTS", "SEVERITY", "WHY"]);
            for row in rows {
                table.add_row([
                    row.name.to_string(),
                    row.family.to_string(),
                    format!("{}/{}", row.protocol, row.ports.join(",")),
                    row.severity.to_string(),
                    row.why.to_string(),
                ]);
            }
            writeln!(out, "{table}")
        }
    }
}

#[derive(Serialize)]
struct ControlRow<'a> {
    control: &'a str,
    title: &'a str,
    checks: Vec<&'a str>,
}

#[derive(Serialize)]
struct FrameworkListing<'a> {
    framework: &'a str,
    name: &'a str,
    controls: Vec<ControlRow<'a>>,
}

/// `ringfence checks --compliance FRAMEWORK`: each control and the checks that give
/// evidence for it.
pub fn render_compliance_listing(
    framework: &Framework,
    checks: &[&Check],
    format: Format,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let listing = FrameworkListing {
        framework: framework.id,
        name: framework.name,
        controls: framework
            .controls
            .iter()
            .map(|control| ControlRow {
                control: control.id,
                title: control.title,
                // The estate checks given, then the Cassandra node and probe checks
                // (`ringfence node`, `ringfence probe`), which evidence controls too.
                checks: checks
                    .iter()
                    .map(|c| &c.meta)
                    .chain(ringfence_node::NODE_CHECKS.iter().map(|c| &c.meta))
                    .chain(ringfence_node::endpoint::PROBE_CHECKS.iter().copied())
                    .filter(|meta| {
                        meta.compliance
                            .iter()
                            .any(|m| m.framework == framework.name && m.control == control.id)
                    })
                    .map(|meta| meta.id)
                    .collect(),
            })
            .collect(),
    };
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &listing)?;
            writeln!(out)
        }
        _ => {
            writeln!(out, "{} ({})", listing.name, listing.framework)?;
            let mut table = new_table(style);
            table.set_header(["CONTROL", "TITLE", "CHECKS"]);
            for row in &listing.controls {
                table.add_row([
                    row.control.to_string(),
                    row.title.to_string(),
                    if row.checks.is_empty() {
                        "(no check)".to_string()
                    } else {
                        row.checks.join("\n")
                    },
                ]);
            }
            writeln!(out, "{table}")
        }
    }
}
