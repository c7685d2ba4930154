//! Renderers: one module per format, each reading a finished [`Report`]; none of them
//! runs a check or recomputes exposure.

mod checks_listing;
mod json;
mod table;
mod terminal;

pub use checks_listing::{render_catalog, render_checks};
pub use terminal::sanitize;

use ringfence_findings::Report;
use std::io::{self, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

/// How a table looks: colour only for terminals that want it; a fixed width when not
/// writing to a terminal, so files and pipes get the same layout everywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Style {
    pub color: bool,
    /// `None`: the terminal's width.
    pub width: Option<u16>,
}

pub fn render(
    report: &Report,
    format: Format,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::render(report, style, out),
        Format::Json => json::render(report, out),
    }
}
