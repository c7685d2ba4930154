//! `ringfence fix`: the fix plan for the failing exposure findings, printed in the form
//! people apply (AWS CLI, Terraform, CloudFormation, console steps, JSON); with `aws
//! --apply`, applied through the SDK after a backup is written.

use crate::Outcome;
use crate::args::LiveArgs;
use clap::{Args, ValueEnum};
use ipnet::IpNet;
use ringfence_checks::{Context, Selection};
use ringfence_exposure::{Evaluation, Network};
use ringfence_findings::Finding;
use ringfence_fix::{Format, Options, Plan, Safety};
use ringfence_model::Estate;
use ringfence_policy::Settings;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FixFormat {
    /// A runnable `#!/bin/sh` script of `aws ec2` commands.
    Cli,
    /// `aws_vpc_security_group_ingress_rule` resources for what stays; steps for what goes.
    Terraform,
    /// `AWS::EC2::SecurityGroupIngress` resources, YAML.
    Cloudformation,
    /// The same template as JSON.
    CloudformationJson,
    /// Steps in the AWS console, in words.
    Console,
    /// The plan as data.
    Json,
}

impl From<FixFormat> for Format {
    fn from(f: FixFormat) -> Format {
        match f {
            FixFormat::Cli => Format::Cli,
            FixFormat::Terraform => Format::Terraform,
            FixFormat::Cloudformation => Format::CloudFormation,
            FixFormat::CloudformationJson => Format::CloudFormationJson,
            FixFormat::Console => Format::Console,
            FixFormat::Json => Format::Json,
        }
    }
}

#[derive(Args, Debug)]
pub struct FixArgs {
    /// The snapshot folder, or `aws` for live accounts (needed for --apply).
    #[arg(value_name = "SNAPSHOT_DIR|aws")]
    pub path: PathBuf,
    #[command(flatten)]
    pub live: LiveArgs,
    /// How to print the plan.
    #[arg(long, short = 'f', value_enum, default_value_t = FixFormat::Cli)]
    pub format: FixFormat,
    /// Write the plan to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Fix only these checks' findings (ids or aliases, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub checks: Vec<String>,
    /// Leave these checks' findings alone (ids or aliases, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub exclude_checks: Vec<String>,
    /// The config file (default: ringfence.toml in the current folder, when there is one);
    /// its `trusted_cidrs` are used when no --trusted-cidr is given.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub plan_options: PlanArgs,
    /// Only the changes whose safety is `safe` (leave needs-review ones out).
    #[arg(long)]
    pub safe_only: bool,
    /// Apply the plan to the live account (`ringfence fix aws --apply`); without it,
    /// nothing changes.
    #[arg(long)]
    pub apply: bool,
    /// Apply this plan (a `--format json` output, reviewed) instead of scanning again;
    /// groups whose rules changed since it was made are refused.
    #[arg(long, value_name = "FILE", requires = "apply")]
    pub plan: Option<PathBuf>,
    /// Where --apply writes its backup first (default: a timestamped file it names).
    #[arg(long, value_name = "FILE", requires = "apply")]
    pub backup: Option<PathBuf>,
}

fn findings(args: &FixArgs, settings: &Settings, estate: &Estate) -> Result<Vec<Finding>, String> {
    let selection = Selection {
        include: args.checks.clone(),
        exclude: args.exclude_checks.clone(),
        min_severity: None,
    };
    let checks = settings.select(
        selection.resolve().map_err(|e| e.to_string())?,
        !args.checks.is_empty(),
        None,
    );
    let eval = Evaluation::of(estate);
    let network = Network::of(estate);
    let mut config = settings.config.clone();
    config.emit_passes = false;
    let ctx = Context {
        estate,
        eval: &eval,
        network: &network,
        config: &config,
    };
    Ok(ringfence_checks::run(&checks, &ctx))
}

/// What a plan does beyond closing the flagged ports; `scan` takes the same flags for the
/// fixes it attaches to findings.
#[derive(Args, Debug, Clone, Default)]
pub struct PlanArgs {
    /// Authorize the flagged ports from this CIDR instead of the internet (repeatable).
    #[arg(long, value_name = "CIDR")]
    pub trusted_cidr: Vec<IpNet>,
    /// Authorize Cassandra's inter-node ports (tcp 7000-7001) from the group itself.
    #[arg(long)]
    pub self_internode: bool,
    /// Revoke flagged rules whole, without authorizing back the ports nobody flagged.
    #[arg(long)]
    pub remove_whole_rule: bool,
}

impl PlanArgs {
    /// The plan options: --trusted-cidr, else the config's `trusted_cidrs` (no default
    /// is invented).
    pub fn options(&self, settings: &Settings) -> Options {
        let trusted_cidrs = if self.trusted_cidr.is_empty() {
            settings.config.trusted_cidrs.clone()
        } else {
            self.trusted_cidr.clone()
        };
        Options {
            remove_whole_rule: self.remove_whole_rule,
            trusted_cidrs,
            self_internode: self.self_internode,
        }
    }
}

/// The plan for `args` over `estate`.
pub fn plan(args: &FixArgs, estate: &Estate) -> Result<Plan, String> {
    let settings = Settings::locate(args.config.as_deref()).map_err(|e| e.to_string())?;
    let findings = findings(args, &settings, estate)?;
    let options = args.plan_options.options(&settings);
    let mut plan = Plan::of(estate, &findings, &options);
    if args.safe_only {
        plan.groups.retain_mut(|g| {
            g.changes.retain(|c| c.safety == Safety::Safe);
            g.safety = Safety::Safe;
            !g.changes.is_empty()
        });
    }
    Ok(plan)
}

/// Writes `text` to the file (whole or not at all) or standard output.
pub fn write_out(output: Option<&Path>, text: &str) -> Result<(), String> {
    match output {
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let tmp = dir.join(format!(
                ".{}.tmp",
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "ringfence-fix".into())
            ));
            std::fs::write(&tmp, text)
                .and_then(|()| std::fs::rename(&tmp, path))
                .map_err(|e| format!("{}: {e}", path.display()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| format!("standard output: {e}"))
        }
    }
}

pub fn run(args: &FixArgs) -> Result<Outcome, String> {
    if args.apply && args.path != Path::new(crate::live::AWS) {
        return Err(format!(
            "--apply changes a live account: `ringfence fix aws --apply`, not the folder {}",
            args.path.display()
        ));
    }
    if let Some(path) = &args.plan {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let plan: Plan = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a ringfence fix plan: {e}", path.display()))?;
        if plan.version != ringfence_fix::PLAN_VERSION {
            return Err(format!(
                "{}: plan version {} (this ringfence reads {})",
                path.display(),
                plan.version,
                ringfence_fix::PLAN_VERSION
            ));
        }
        return apply(args, &plan);
    }
    if let Some(outcome) = crate::iac::fix_code(args)? {
        return Ok(outcome);
    }
    let (estate, gaps) = crate::live::load_source(&args.path, &args.live)?;
    for gap in &gaps {
        eprintln!(
            "ringfence: warning: {} {}: {} could not be read: {}",
            gap.account.as_deref().unwrap_or("?"),
            gap.region,
            gap.kind,
            gap.reason
        );
    }
    let plan = plan(args, &estate)?;
    if args.apply {
        return apply(args, &plan);
    }
    write_out(
        args.output.as_deref(),
        &ringfence_fix::render(&plan, args.format.into()),
    )?;
    Ok(if gaps.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Incomplete
    })
}

/// Prints what was and was not done, one line per group.
pub fn print_summary(verb: &str, report: &ringfence_aws::ApplyReport) {
    let done = report.groups.iter().filter(|g| g.done).count();
    eprintln!(
        "ringfence: {verb}: {done} of {} group(s) done",
        report.groups.len()
    );
    for g in &report.groups {
        eprintln!(
            "  {} {} {}: {}",
            if g.done { "done    " } else { "NOT DONE" },
            g.region,
            g.group_id,
            g.detail
        );
    }
}

/// `fix aws --apply`: backup, then the changes, then verification.
fn apply(args: &FixArgs, plan: &Plan) -> Result<Outcome, String> {
    if plan.groups.is_empty() {
        eprintln!("ringfence: fix: nothing to apply (no failing exposure finding names a rule)");
        return Ok(Outcome::Clean);
    }
    let backup = args.backup.clone().unwrap_or_else(|| {
        let stamp: String = ringfence_aws::apply::now_rfc3339()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        PathBuf::from(format!("ringfence-backup-{stamp}.json"))
    });
    let options = crate::live::options(&args.live);
    let report = ringfence_aws::apply::apply(&options, plan, &backup)?;
    if report.backup_written {
        eprintln!(
            "ringfence: fix: backup written to {} (restore with `ringfence undo {}`)",
            backup.display(),
            backup.display()
        );
    }
    print_summary("fix --apply", &report);
    Ok(if report.all_done() {
        Outcome::Clean
    } else {
        Outcome::Incomplete
    })
}
