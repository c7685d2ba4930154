//! `ringfence grant` and `ringfence expire`: time-boxed openings. `grant` authorizes one
//! ingress rule whose description carries its expiry; `expire` revokes every grant whose
//! expiry has passed and touches nothing else.

use crate::Outcome;
use crate::args::LiveArgs;
use clap::{Args, ValueEnum};
use ipnet::IpNet;
use ringfence_aws::grant::{
    self, Direction, ExpireReport, GrantError, GrantRequest, GrantRule, Granted, Protocol,
};
use ringfence_findings::time::Timestamp;
use ringfence_report::sanitize;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProtocolArg {
    Tcp,
    Udp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GrantFormat {
    /// What was done, in words.
    Table,
    /// The versioned outcome as data.
    Json,
}

#[derive(Args, Debug)]
pub struct GrantArgs {
    /// The security group to open.
    #[arg(long, value_name = "sg-...")]
    pub group_id: String,
    /// A port or a port range: 22, 8000-8100.
    #[arg(long, value_name = "PORT|FROM-TO", value_parser = grant::parse_ports)]
    pub port: (u16, u16),
    #[arg(long, value_enum, default_value_t = ProtocolArg::Tcp)]
    pub protocol: ProtocolArg,
    /// Who may connect: an address (meaning just it, /32 or /128) or a CIDR; wider than
    /// /24 (IPv4) or /64 (IPv6) needs --allow-wide.
    #[arg(long, value_name = "ADDRESS|CIDR", value_parser = grant::parse_cidr)]
    pub cidr: IpNet,
    /// How long the rule lives: 30m, 2h, 1h30m, 90s.
    #[arg(long = "for", value_name = "DURATION", value_parser = grant::parse_duration)]
    pub duration: Duration,
    /// Why, kept in the rule's description (characters AWS refuses become `_`).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Refuse durations longer than this.
    #[arg(long, value_name = "DURATION", value_parser = grant::parse_duration, default_value = "24h")]
    pub max_duration: Duration,
    /// Take a source wider than /24 or /64, the whole internet (0.0.0.0/0, ::/0) included.
    #[arg(long)]
    pub allow_wide: bool,
    #[arg(long, short = 'f', value_enum, default_value_t = GrantFormat::Table)]
    pub format: GrantFormat,
    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub live: LiveArgs,
}

#[derive(Args, Debug)]
pub struct ExpireArgs {
    /// Revoke nothing; list what would be revoked.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long, short = 'f', value_enum, default_value_t = GrantFormat::Table)]
    pub format: GrantFormat,
    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub live: LiveArgs,
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|text| text + "\n")
        .map_err(|e| e.to_string())
}

fn ports(from: Option<i32>, to: Option<i32>) -> String {
    match (from, to) {
        (Some(f), Some(t)) if f == t => f.to_string(),
        (Some(-1), Some(-1)) | (None, None) => "all".into(),
        (Some(f), Some(t)) => format!("{f}-{t}"),
        (f, t) => format!("{}-{}", f.unwrap_or(-1), t.unwrap_or(-1)),
    }
}

fn way(direction: Direction) -> &'static str {
    match direction {
        Direction::Ingress => "in",
        Direction::Egress => "out",
    }
}

/// `in 1h30m`, `2m ago`.
fn relative(until: Timestamp, now: Timestamp) -> String {
    let secs = until.0.saturating_sub(now.0);
    let span = grant::format_duration(Duration::from_secs(secs.unsigned_abs()));
    if secs > 0 {
        format!("in {span}")
    } else if secs == 0 {
        "now".into()
    } else {
        format!("{span} ago")
    }
}

pub fn run_grant(args: &GrantArgs) -> Result<Outcome, String> {
    let request = GrantRequest {
        group_id: args.group_id.clone(),
        protocol: match args.protocol {
            ProtocolArg::Tcp => Protocol::Tcp,
            ProtocolArg::Udp => Protocol::Udp,
        },
        from_port: args.port.0,
        to_port: args.port.1,
        cidr: args.cidr,
        duration: args.duration,
        reason: args.reason.clone().unwrap_or_default(),
        max_duration: args.max_duration,
        allow_wide: args.allow_wide,
    };
    let now = Timestamp::now();
    let options = crate::live::options(&args.live);
    let granted = match grant::grant(&options, &request, now) {
        Ok(granted) => granted,
        Err(e @ GrantError::Aws { .. }) => {
            eprintln!("ringfence: grant: nothing granted: {e}");
            return Ok(Outcome::Incomplete);
        }
        Err(e @ GrantError::Unconfirmed(_)) => {
            eprintln!(
                "ringfence: grant: {e}; `ringfence expire --dry-run` lists it once it can be read"
            );
            return Ok(Outcome::Incomplete);
        }
        Err(e) => return Err(e.to_string()),
    };
    let text = match args.format {
        GrantFormat::Json => json(&granted)?,
        GrantFormat::Table => grant_text(&granted, now),
    };
    crate::fix::write_out(args.output.as_deref(), &text)?;
    Ok(Outcome::Clean)
}

fn grant_text(g: &Granted, now: Timestamp) -> String {
    let ports = ports(Some(g.from_port.into()), Some(g.to_port.into()));
    let mut out = format!(
        "granted {} {ports} from {} on {} ({}) until {} ({})\n  rule         {}\n  description  {}\n",
        g.protocol.as_str(),
        g.cidr,
        g.group_id,
        g.region,
        g.until.rfc3339(),
        relative(g.until, now),
        g.rule_id,
        sanitize(&g.description),
    );
    for rule in &g.covered_by {
        out.push_str(&format!(
            "  note: {rule} already allows this for good; the grant adds nothing while it stays\n"
        ));
    }
    out.push_str(&format!(
        "  closed by `ringfence expire` once expired; to close it now:\n  \
         aws ec2 revoke-security-group-ingress --region {} --group-id {} --security-group-rule-ids {}\n",
        g.region, g.group_id, g.rule_id
    ));
    out
}

pub fn run_expire(args: &ExpireArgs) -> Result<Outcome, String> {
    let now = Timestamp::now();
    let options = crate::live::options(&args.live);
    let report = grant::expire(&options, now, args.dry_run).map_err(|e| e.to_string())?;
    let text = match args.format {
        GrantFormat::Json => json(&report)?,
        GrantFormat::Table => expire_text(&report),
    };
    crate::fix::write_out(args.output.as_deref(), &text)?;
    for m in &report.malformed {
        eprintln!(
            "ringfence: expire: warning: {} {} {}: {}; left alone (fix or remove its description)",
            m.region,
            m.group_id,
            m.rule_id,
            sanitize(&m.problem)
        );
    }
    for f in &report.failures {
        eprintln!(
            "ringfence: expire: {} {} {}{}: {} failed: {}",
            f.account.as_deref().unwrap_or("?"),
            f.region.as_deref().unwrap_or("*"),
            f.group_id.as_deref().unwrap_or(""),
            f.rule_id
                .as_deref()
                .map(|r| format!(" {r}"))
                .unwrap_or_default(),
            f.call,
            sanitize(&f.reason)
        );
    }
    Ok(if !report.is_complete() {
        Outcome::Incomplete
    } else if !report.malformed.is_empty() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn expire_text(report: &ExpireReport) -> String {
    let mut out = format!(
        "ringfence expire at {}{}: {} {}, {} kept, {} malformed, {} failed\n",
        report.now.rfc3339(),
        if report.dry_run { " (dry run)" } else { "" },
        if report.dry_run {
            report.would_revoke.len()
        } else {
            report.revoked.len()
        },
        if report.dry_run {
            "would be revoked"
        } else {
            "revoked"
        },
        report.kept.len(),
        report.malformed.len(),
        report.failures.len(),
    );
    let mut rows: Vec<[String; 7]> = Vec::new();
    let rule_row = |status: &str, r: &GrantRule, when: String| {
        [
            status.to_string(),
            r.region.clone(),
            r.group_id.clone(),
            r.rule_id.clone(),
            format!(
                "{} {} {} {}",
                way(r.direction),
                r.protocol,
                ports(r.from_port, r.to_port),
                r.peer
            ),
            r.until.rfc3339(),
            when,
        ]
    };
    for r in &report.revoked {
        let mut when = format!("expired {}", relative(r.until, report.now));
        if let Some(note) = &r.note {
            when = format!("{when}; {}", sanitize(note));
        }
        rows.push(rule_row("revoked", r, when));
    }
    for r in &report.would_revoke {
        rows.push(rule_row(
            "would revoke",
            r,
            format!("expired {}", relative(r.until, report.now)),
        ));
    }
    for r in &report.kept {
        rows.push(rule_row("kept", r, relative(r.until, report.now)));
    }
    for m in &report.malformed {
        rows.push([
            "MALFORMED".into(),
            m.region.clone(),
            m.group_id.clone(),
            m.rule_id.clone(),
            way(m.direction).to_string(),
            String::new(),
            sanitize(&m.problem),
        ]);
    }
    for f in &report.failures {
        rows.push([
            "FAILED".into(),
            f.region.clone().unwrap_or_else(|| "*".into()),
            f.group_id.clone().unwrap_or_default(),
            f.rule_id.clone().unwrap_or_default(),
            f.call.clone(),
            String::new(),
            sanitize(&f.reason),
        ]);
    }
    if rows.is_empty() {
        out.push_str("no grants found\n");
        return out;
    }
    let header = [
        "STATUS", "REGION", "GROUP", "RULE", "ACCESS", "UNTIL", "WHEN",
    ]
    .map(str::to_string);
    let mut widths = [0usize; 7];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}
