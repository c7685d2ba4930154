use ringfence_findings::Report;
use std::io::{self, Write};

/// The versioned JSON document (`schema`, `schema_version`), pretty-printed for diffs.
pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}
