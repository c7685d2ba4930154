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
    /// Write a snapshot folder of live AWS accounts: `ringfence snapshot aws --out DIR`.
    Snapshot(SnapshotArgs),
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
    /// The snapshot folder (one region's describe-*.json files, a folder of region
    /// folders, or a folder of account folders holding region folders), or `aws` to
    /// scan live accounts.
    #[arg(value_name = "SNAPSHOT_DIR|aws")]
    pub path: PathBuf,
    #[command(flatten)]
    pub live: LiveArgs,
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

/// How to reach AWS for `scan aws` and `snapshot aws`. Credentials come from the AWS
/// CLI's chain: environment, profiles, SSO, container and instance roles.
#[derive(Args, Debug, Default)]
#[command(next_help_heading = "Live AWS (scan aws / snapshot aws)")]
pub struct LiveArgs {
    /// Named profile from the AWS config and credentials files.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Region to read (repeatable); default: every region the account has enabled.
    #[arg(long, value_name = "REGION")]
    pub region: Vec<String>,
    /// Role to assume into another account (repeatable).
    #[arg(long, value_name = "ARN")]
    pub role_arn: Vec<String>,
    /// File listing role ARNs or 12-digit account ids (with --role-name), one per line.
    #[arg(long, value_name = "FILE")]
    pub role_file: Option<PathBuf>,
    /// Scan every active account of the AWS Organization (from the management or a
    /// delegated administrator account), assuming --role-name in each.
    #[arg(long, requires = "role_name")]
    pub org: bool,
    /// The role to assume in accounts named by id or found with --org.
    #[arg(long, value_name = "NAME")]
    pub role_name: Option<String>,
    /// External id for the assumed roles.
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// Endpoint for every AWS call (emulators, VPC endpoints).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// API calls in flight at once.
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub concurrency: usize,
    /// Seconds before one call attempt is abandoned (it is retried, then reported).
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    pub call_timeout: u64,
    /// No progress on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl LiveArgs {
    /// Whether any option that only makes sense live was given.
    pub fn is_set(&self) -> bool {
        self.profile.is_some()
            || !self.region.is_empty()
            || !self.role_arn.is_empty()
            || self.role_file.is_some()
            || self.org
            || self.role_name.is_some()
            || self.external_id.is_some()
            || self.endpoint_url.is_some()
    }
}

#[derive(Args, Debug)]
pub struct SnapshotArgs {
    /// Where to read from: `aws`.
    #[arg(value_name = "aws")]
    pub source: String,
    /// The folder to write (`<account>/<region>/describe-*.json`).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub live: LiveArgs,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    text.parse()
}
