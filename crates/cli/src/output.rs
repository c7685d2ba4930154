//! Where output goes: standard output, or a file written whole or not at all.

use crate::args::{ColorArg, OutputArgs};
use ringfence_report::Style;
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

/// Width used for tables written to files and pipes.
const DEFAULT_WIDTH: u16 = 120;

pub fn style(args: &OutputArgs) -> Style {
    let terminal = args.output.is_none() && io::stdout().is_terminal();
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    Style {
        color,
        width: (!terminal).then_some(DEFAULT_WIDTH),
    }
}

/// Renders into memory first so a failed render never leaves half a file, then writes
/// the file through a temporary sibling and a rename.
pub fn emit(
    args: &OutputArgs,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), String> {
    let mut buffer = Vec::new();
    render(&mut buffer).map_err(|e| format!("rendering output: {e}"))?;
    match &args.output {
        None => {
            let mut stdout = io::stdout().lock();
            match stdout.write_all(&buffer).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                    Err(format!("writing to standard output: {e}"))
                }
                _ => Ok(()),
            }
        }
        Some(path) => {
            write_atomically(path, &buffer).map_err(|e| format!("{}: {e}", path.display()))
        }
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    fs::write(&temporary, bytes)?;
    fs::rename(&temporary, path).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}
