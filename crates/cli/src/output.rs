//! Where output goes: standard output, a file, or one file per format in a folder — each
//! written whole or not at all.

use crate::args::{ColorArg, FormatArg, OutputArgs};
use ringfence_report::{Format, Style};
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

/// Width used for tables written to files and pipes.
const DEFAULT_WIDTH: u16 = 120;

/// The stem of the files `--output-dir` writes: `ringfence.<ext>`.
const FILE_STEM: &str = "ringfence";

pub fn format(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Ocsf => Format::Ocsf,
        FormatArg::Asff => Format::Asff,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Csv => Format::Csv,
        FormatArg::Junit => Format::Junit,
        FormatArg::Html => Format::Html,
    }
}

/// The formats asked for, each once, in the order given.
pub fn formats(args: &OutputArgs) -> Vec<Format> {
    let mut formats: Vec<Format> = Vec::new();
    for f in args.format.iter().copied().map(format) {
        if !formats.contains(&f) {
            formats.push(f);
        }
    }
    if formats.is_empty() {
        formats.push(Format::Table);
    }
    formats
}

pub fn style(args: &OutputArgs) -> Style {
    let terminal = args.output.is_none() && args.output_dir.is_none() && io::stdout().is_terminal();
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    Style {
        color: color && args.output_dir.is_none(),
        width: (!terminal).then_some(DEFAULT_WIDTH),
        fixes: false,
        timeline: false,
    }
}

/// Renders straight into its destination, through a buffer: a file by way of a
/// temporary sibling renamed over it once the render succeeded (a failed render never
/// leaves half a file), a device or standard output as it comes. A large report is never
/// held whole in memory (a 47 MB report's growing buffer cost a live scan a tenth of its
/// own time in copies and page faults).
pub fn emit(
    args: &OutputArgs,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), String> {
    match &args.output {
        None => {
            let mut stdout = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
            match render(&mut stdout).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                    Err(format!("writing to standard output: {e}"))
                }
                _ => Ok(()),
            }
        }
        Some(path) => write_rendered(path, render).map_err(|e| format!("{}: {e}", path.display())),
    }
}

/// [`write_atomically`] for a render: into a device as it comes, into a file through a
/// temporary sibling.
fn write_rendered(
    path: &Path,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut out =
            io::BufWriter::with_capacity(1 << 16, fs::OpenOptions::new().write(true).open(path)?);
        render(&mut out)?;
        return out.flush();
    }
    let temporary = temporary_sibling(path);
    let written = fs::File::create(&temporary).and_then(|file| {
        let mut out = io::BufWriter::with_capacity(1 << 16, file);
        render(&mut out)?;
        out.flush()
    });
    written
        .and_then(|()| fs::rename(&temporary, path))
        .inspect_err(|_| {
            let _ = fs::remove_file(&temporary);
        })
}

fn temporary_sibling(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Every format asked for: one file each in `--output-dir`, or the only one to standard
/// output or `--output`. All are rendered before any file is written.
pub fn emit_all(
    args: &OutputArgs,
    mut render: impl FnMut(Format, &mut dyn Write) -> io::Result<()>,
) -> Result<(), String> {
    let formats = formats(args);
    let Some(dir) = &args.output_dir else {
        if let [only] = formats.as_slice() {
            return emit(args, |out| render(*only, out));
        }
        return Err(
            "several formats need --output-dir DIR (one file per format, ringfence.<ext>)"
                .to_string(),
        );
    };
    let mut rendered = Vec::with_capacity(formats.len());
    for format in formats {
        let mut buffer = Vec::new();
        render(format, &mut buffer).map_err(|e| format!("rendering {format}: {e}"))?;
        rendered.push((format, buffer));
    }
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (format, bytes) in rendered {
        let path = dir.join(format!("{FILE_STEM}.{}", format.extension()));
        write_atomically(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    // A device, pipe or socket (`/dev/null`, `/dev/stdout`, a FIFO) is written to, never
    // replaced: renaming over it would swap the device node for a plain file.
    if fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return fs::OpenOptions::new()
            .write(true)
            .open(path)?
            .write_all(bytes);
    }
    let temporary = temporary_sibling(path);
    fs::write(&temporary, bytes)?;
    fs::rename(&temporary, path).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}
