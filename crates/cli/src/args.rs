//! The command line: each flag one definition carrying its docs.

use clap::{Args, Parser, Subcommand, ValueEnum};
use ringfence_findings::Severity;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "ringfence",
    version,
    about = "Finds what the internet can reach in an AWS network, proves it, and fixes it.",
    after_help = "Exit codes: 0 nothing failing at or above --fail-on; 1 failing findings; \
2 usage or input error; 3 scan incomplete (something could not be read or judged)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan a snapshot folder of `aws ec2 describe-*` JSON.
    Scan(ScanArgs),
    /// List every check with its metadata.
    Checks(ListArgs),
    /// List the port catalog: the services whose ports must not face the internet.
    Catalog(ListArgs),
    /// Explain in plain words how the internet reaches an instance's or a security
    /// group's ports, or what stops it.
    Explain(ExplainArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Write the output to FILE instead of standard output (written whole or not at all).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to colour the table.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// The snapshot folder: one region's describe-*.json files, a folder of region
    /// folders, or a folder of account folders holding region folders.
    #[arg(value_name = "SNAPSHOT_DIR")]
    pub path: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Run only these checks (ids or another tool's ids for them, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub checks: Vec<String>,
    /// Skip these checks (ids or aliases, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub exclude_checks: Vec<String>,
    /// Run only checks of at least this severity.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub severity: Option<Severity>,
    /// Exit 1 only for failing findings at or above this severity.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity, default_value = "info")]
    pub fail_on: Severity,
    /// Report passing results too.
    #[arg(long)]
    pub passed: bool,
    /// A public range at least this wide (an IPv4 prefix length) counts as the internet
    /// for Cassandra's ports.
    #[arg(long, value_name = "PREFIX", default_value_t = 8, value_parser = clap::value_parser!(u8).range(0..=32))]
    pub wide_prefix: u8,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The snapshot folder.
    #[arg(value_name = "SNAPSHOT_DIR")]
    pub path: PathBuf,
    /// An instance id (i-...) or a security group id (sg-...).
    #[arg(value_name = "RESOURCE_ID")]
    pub resource: String,
    /// One port to explain, whether or not a check flags it.
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// The port is UDP (default TCP).
    #[arg(long, requires = "port")]
    pub udp: bool,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    text.parse()
}
