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
// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
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
    /// Write a large synthetic estate as a snapshot folder (for benchmarks).
    GenEstate(GenArgs),
    /// Write a synthetic CloudTrail archive in the S3 layout (for the `trail` benchmark).
    GenTrail(crate::gen_estate::GenTrailArgs),
    /// Print the fix for the failing exposure findings (AWS CLI, Terraform,
    /// CloudFormation, console steps, JSON); `fix aws --apply` applies it after a backup.
    Fix(crate::fix::FixArgs),
    /// Restore what `fix aws --apply` changed, from its backup file.
    Undo(crate::undo::UndoArgs),
    /// Open a port to an address for a while: one ingress rule whose description
    /// carries its expiry (`ringfence expire` closes it).
    Grant(crate::grant::GrantArgs),
    /// Revoke every expired grant (and nothing else) in the regions named.
    Expire(crate::grant::ExpireArgs),
    /// Audit a Cassandra node's configuration (cassandra.yaml, cassandra-env.sh,
    /// jvm*.options): addresses, authentication, encryption, JMX, Thrift.
    Node(crate::node::NodeArgs),
    /// Prove from here what answers on Cassandra's ports of the hosts named (CQL
    /// handshake, TLS, JMX, Thrift), rate-limited, never beyond the hosts and ports given.
    Probe(crate::probe::ProbeArgs),
    /// Who opened what, and when: CloudTrail logs (the S3 layout, gzipped or not) and
    /// EventBridge events, judged with the exposure engine.
    Trail(crate::trail::TrailArgs),
    /// Run the Lambda responder's handler on one event or scheduled request: the
    /// detectors, then revoke / StartLogging / notify per --mode (dry run by default).
    Respond(crate::respond::RespondArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Findings grouped by check (the default; `.txt` in --output-dir).
    Table,
    /// The versioned ringfence document.
    Json,
    /// OCSF Detection Findings (class 2004), as Prowler writes them.
    Ocsf,
    /// AWS Security Finding Format, for Security Hub.
    Asff,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// CSV (RFC 4180), spreadsheet formulas neutralised.
    Csv,
    /// JUnit XML: a test suite per check, a test case per resource.
    Junit,
    /// One self-contained HTML page.
    Html,
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
    /// Output format; several, comma-separated, with --output-dir.
    #[arg(
        long,
        short = 'f',
        value_enum,
        value_delimiter = ',',
        default_value = "table"
    )]
    pub format: Vec<FormatArg>,
    /// Write the output to FILE instead of standard output (written whole or not at all).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to colour the table.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Write one file per format into DIR (created if needed), named `ringfence.<ext>`:
    /// .txt, .json, .ocsf.json, .asff.json, .sarif, .csv, .junit.xml, .html.
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub output_dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    /// `checks` only: list this framework's controls and the checks mapped to each
    /// (soc2, iso27001, c5, kisa-isms-p, nis2, pci-dss, hipaa, nist-800-53, cis-aws,
    /// fsbp, cis-cassandra, ...).
    #[arg(long, value_name = "FRAMEWORK")]
    pub compliance: Option<String>,
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
    /// Run only these checks (ids or another tool's ids for them, comma-separated); a check
    /// named here runs even if it is opt-in.
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
    /// The config file (default: ringfence.toml in the current folder, when there is one).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Mute findings by account, region, check, resource and tag (YAML, Prowler's
    /// Mutelist shape); muted findings are reported, never fail.
    #[arg(long, value_name = "FILE")]
    pub mutelist: Option<PathBuf>,
    /// An earlier ringfence JSON report: only findings not in it fail; fixed ones are listed.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Run the checks mapped to this framework and report by control.
    #[arg(long, value_name = "FRAMEWORK")]
    pub compliance: Option<String>,
    /// List each check's fixes under its table (JSON always carries every failing
    /// exposure's fix).
    #[arg(long)]
    pub fix: bool,
    #[command(flatten)]
    pub plan_options: crate::fix::PlanArgs,
    /// Opt in: connect to the public addresses of instances found reachable, on the
    /// Cassandra ports found exposed there only (10 connections/s, 3 s timeout), and
    /// mark each finding confirmed or not (see `ringfence probe`).
    #[arg(long)]
    pub probe: bool,
}

#[derive(Args, Debug)]
pub struct GenArgs {
    /// Security groups in total, spread over every account and region (about ten rules
    /// each).
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub groups: usize,
    /// Instances in total (one to three network interfaces and one to five groups each).
    #[arg(long, value_name = "M", default_value_t = 200_000)]
    pub instances: usize,
    /// The same seed writes the same files.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// The folder to write into (created if needed; existing files are overwritten).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Region folders per account.
    #[arg(long, value_name = "R", default_value_t = 1)]
    pub regions: usize,
    /// Account folders (12-digit names) above the region folders; 0 for none.
    #[arg(long, value_name = "A", default_value_t = 0)]
    pub accounts: usize,
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
