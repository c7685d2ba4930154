//! Renderers: one module per format, each reading a finished [`Report`]; none of them
//! runs a check or recomputes exposure.

mod asff;
mod checks_listing;
mod csv;
mod html;
mod json;
mod junit;
mod ocsf;
mod sarif;
mod table;
mod terminal;
mod text;

pub use checks_listing::{CheckGroup, render_catalog, render_checks, render_compliance_listing};
pub use terminal::sanitize;

use ringfence_findings::Report;
use ringfence_findings::time::Timestamp;
use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Findings grouped under their check, for people at a terminal.
    Table,
    /// The versioned ringfence document (`schema_version`).
    Json,
    /// OCSF Detection Findings (class 2004), as Prowler emits them.
    Ocsf,
    /// AWS Security Finding Format, for Security Hub's BatchImportFindings.
    Asff,
    /// SARIF 2.1.0, for code-scanning UIs.
    Sarif,
    /// RFC 4180 CSV, one row per finding, safe to open in a spreadsheet.
    Csv,
    /// JUnit XML: one test suite per check, one test case per resource.
    Junit,
    /// One self-contained HTML page.
    Html,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Table,
        Format::Json,
        Format::Ocsf,
        Format::Asff,
        Format::Sarif,
        Format::Csv,
        Format::Junit,
        Format::Html,
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Ocsf => "ocsf",
            Format::Asff => "asff",
            Format::Sarif => "sarif",
            Format::Csv => "csv",
            Format::Junit => "junit",
            Format::Html => "html",
        }
    }

    /// The file name's ending when several formats are written to a folder.
    pub fn extension(&self) -> &'static str {
        match self {
            Format::Table => "txt",
            Format::Json => "json",
            Format::Ocsf => "ocsf.json",
            Format::Asff => "asff.json",
            Format::Sarif => "sarif",
            Format::Csv => "csv",
            Format::Junit => "junit.xml",
            Format::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
                format!("unknown format {s:?} (expected {})", names.join(", "))
            })
    }
}

/// How a table looks: colour only for terminals that want it; a fixed width when not
/// writing to a terminal, so files and pipes get the same layout everywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Style {
    pub color: bool,
    /// `None`: the terminal's width.
    pub width: Option<u16>,
    /// Tables list each check's fixes under it (`scan --fix`).
    pub fixes: bool,
    /// `ringfence trail --timeline`: one table of the findings in the order they
    /// happened.
    pub timeline: bool,
}

/// What a renderer needs besides the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Context {
    pub style: Style,
    /// When the scan ran: the formats that carry a time (OCSF, ASFF, SARIF, JUnit, HTML).
    pub generated_at: Timestamp,
}

/// Renders with the current time (see [`render_with`] to fix it).
pub fn render(
    report: &Report,
    format: Format,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    render_with(
        report,
        format,
        &Context {
            style,
            generated_at: Timestamp::now(),
        },
        out,
    )
}

pub fn render_with(
    report: &Report,
    format: Format,
    ctx: &Context,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::render(report, ctx.style, out),
        Format::Json => json::render(report, out),
        Format::Ocsf => ocsf::render(report, ctx, out),
        Format::Asff => asff::render(report, ctx, out),
        Format::Sarif => sarif::render(report, ctx, out),
        Format::Csv => csv::render(report, out),
        Format::Junit => junit::render(report, ctx, out),
        Format::Html => html::render(report, ctx, out),
    }
}
