//! `ringfence probe HOST...`: proves from outside what answers on Cassandra's ports.

use crate::Outcome;
use crate::args::OutputArgs;
use clap::Args;
use ringfence_findings::{Report, Severity, Status};
use ringfence_probe::{Limits, TargetSpec, parse_ports};
use std::time::Duration;

#[derive(Args, Debug)]
pub struct ProbeArgs {
    /// Hosts to probe: IP addresses or host names, each naming one host. CIDR blocks,
    /// ranges and wildcards are refused; a host name is probed at one address.
    #[arg(value_name = "HOST", required = true)]
    pub hosts: Vec<String>,
    /// `cassandra` (7000,7001,7199,9042,9142,9160,5599) or single ports, comma-separated;
    /// PORT/PROTOCOL for a service moved off its port (19042/cql, 17199/jmx; protocols:
    /// cql, cql-tls, internode, jmx, thrift, tcp). Ranges are refused.
    #[arg(long, value_name = "PORTS", default_value = "cassandra")]
    pub ports: String,
    /// New connections per second over all hosts and ports (at most 100).
    #[arg(long, value_name = "N", default_value_t = ringfence_probe::scope::DEFAULT_RATE)]
    pub rate: f64,
    /// Seconds to wait for a connection, and for each answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 3.0)]
    pub timeout: f64,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Exit 1 only for failing findings at or above this severity.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity, default_value = "info")]
    pub fail_on: Severity,
    /// Report closed ports too.
    #[arg(long)]
    pub passed: bool,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    text.parse()
}

pub fn run(args: &ProbeArgs) -> Result<Outcome, String> {
    // Everything is validated before the first packet: a bad target costs nothing.
    let specs = args
        .hosts
        .iter()
        .map(|h| TargetSpec::parse(h))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let ports = parse_ports(&args.ports).map_err(|e| e.to_string())?;
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err("--timeout must be a positive number of seconds".into());
    }
    let limits =
        Limits::new(args.rate, Duration::from_secs_f64(args.timeout)).map_err(|e| e.to_string())?;
    let results =
        ringfence_probe::probe_blocking(&specs, ports, limits).map_err(|e| e.to_string())?;
    let mut findings: Vec<_> = ringfence_probe::findings::to_findings(&results)
        .into_iter()
        .filter(|f| args.passed || f.status != Status::Pass)
        .collect();
    crate::node::sort(&mut findings);
    let report = Report::new(
        findings,
        Vec::new(),
        ringfence_probe::findings::metas().len(),
    );
    crate::node::finish(&report, &args.output, args.fail_on)
}
