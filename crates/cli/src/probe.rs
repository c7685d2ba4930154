//! `ringfence probe HOST...`: proves from outside what answers on Cassandra's ports.

use crate::Outcome;
use crate::args::OutputArgs;
use clap::Args;
use ringfence_findings::{
    Finding, ProbeEvidence, Reachability, Report, ResourceType, Severity, Status,
};
use ringfence_model::Estate;
use ringfence_probe::scope::CASSANDRA_PORTS;
use ringfence_probe::{Limits, Port, ProbeResult, Target, TargetSpec, parse_ports};
use std::collections::BTreeMap;
use std::net::IpAddr;
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
    /// Where CQL asks for a password, try the default superuser (cassandra/cassandra)
    /// once per port; no other credentials are ever tried.
    #[arg(long)]
    pub try_default_credentials: bool,
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
    let mut limits =
        Limits::new(args.rate, Duration::from_secs_f64(args.timeout)).map_err(|e| e.to_string())?;
    limits.try_default_credentials = args.try_default_credentials;
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

/// One exposure to confirm: the finding, an address of the instance, the Cassandra ports
/// found reachable there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub finding: usize,
    pub ip: IpAddr,
    pub ports: Vec<u16>,
}

/// What `scan --probe` may touch: for each failing instance finding, the public
/// addresses of the network interfaces that let the exposure in (else the instance's
/// public address), and the Cassandra ports inside its *reachable* port spans. Latent
/// and blocked exposures are not probed; nor is anything but those ports.
pub fn plan(estate: &Estate, findings: &[Finding]) -> Vec<Planned> {
    let mut planned = Vec::new();
    for (index, finding) in findings.iter().enumerate() {
        if finding.status != Status::Fail || finding.resource.kind != ResourceType::AwsEc2Instance {
            continue;
        }
        let Some(exposure) = &finding.exposure else {
            continue;
        };
        let mut ports: Vec<u16> = exposure
            .ports
            .iter()
            .filter(|s| s.reachability == Reachability::Reachable)
            .filter(|s| s.protocol == "tcp" || s.protocol == "-1")
            .flat_map(|s| {
                CASSANDRA_PORTS
                    .into_iter()
                    .filter(move |p| (s.from..=s.to).contains(p))
            })
            .collect();
        ports.sort_unstable();
        ports.dedup();
        if ports.is_empty() {
            continue;
        }
        let mut ips: Vec<IpAddr> = estate
            .network_interfaces
            .iter()
            .filter(|eni| exposure.network_interfaces.contains(&eni.id))
            .flat_map(|eni| {
                eni.public_ipv4s()
                    .map(IpAddr::V4)
                    .chain(eni.ipv6_addresses.iter().copied().map(IpAddr::V6))
                    .collect::<Vec<_>>()
            })
            .collect();
        if ips.is_empty() {
            ips.extend(
                estate
                    .instances
                    .iter()
                    .filter(|i| i.id == finding.resource.id)
                    .filter_map(|i| i.public_ip.map(IpAddr::V4)),
            );
        }
        ips.sort_unstable();
        ips.dedup();
        for ip in ips {
            planned.push(Planned {
                finding: index,
                ip,
                ports: ports.clone(),
            });
        }
    }
    planned
}

/// Probes the plan and marks each planned finding confirmed (something accepted a
/// connection on an exposed port) or not, with what answered. Warns and leaves the
/// findings unmarked when the plan is too large to be a proof.
pub fn confirm(estate: &Estate, findings: &mut [Finding], limits: Limits) -> Result<(), String> {
    let planned = plan(estate, findings);
    if planned.is_empty() {
        return Ok(());
    }
    let mut by_ip: BTreeMap<IpAddr, Vec<u16>> = BTreeMap::new();
    for p in &planned {
        by_ip.entry(p.ip).or_default().extend(&p.ports);
    }
    if by_ip.len() > ringfence_probe::scope::MAX_TARGETS {
        eprintln!(
            "ringfence: warning: --probe: {} public addresses is a sweep, not a proof (at most {}); nothing probed — narrow the scan with --region or --checks",
            by_ip.len(),
            ringfence_probe::scope::MAX_TARGETS
        );
        return Ok(());
    }
    let probe_plan = by_ip
        .into_iter()
        .map(|(ip, mut ports)| {
            ports.sort_unstable();
            ports.dedup();
            (
                Target {
                    spec: TargetSpec::Ip(ip),
                    ip,
                },
                ports.into_iter().map(Port::new).collect(),
            )
        })
        .collect();
    let results =
        ringfence_probe::probe_plan_blocking(probe_plan, limits).map_err(|e| e.to_string())?;
    apply(findings, &planned, &results);
    Ok(())
}

/// Marks the planned findings from the probe results.
pub fn apply(findings: &mut [Finding], planned: &[Planned], results: &[ProbeResult]) {
    for p in planned {
        let Some(finding) = findings.get_mut(p.finding) else {
            continue;
        };
        let mine: Vec<&ProbeResult> = results
            .iter()
            .filter(|r| r.target.ip == p.ip && p.ports.contains(&r.port.number))
            .collect();
        let evidence = finding.probe.get_or_insert(ProbeEvidence {
            confirmed: false,
            results: Vec::new(),
        });
        for r in mine {
            evidence.confirmed |= r.outcome.is_open();
            evidence.results.push(format!(
                "{}: {}",
                r.target.ip,
                ringfence_probe::findings::summary(r)
            ));
        }
    }
    for finding in findings.iter_mut() {
        if let Some(evidence) = &finding.probe {
            let verdict = if evidence.confirmed {
                "confirmed"
            } else {
                "not confirmed"
            };
            finding.message = format!(
                "{}; probe: {verdict} ({})",
                finding.message,
                evidence.results.join("; ")
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringfence_probe::{Cql, CqlAuth, Outcome};
    use std::path::Path;

    fn example_findings() -> (Estate, Vec<Finding>) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/estate/us-east-1");
        let estate = ringfence_snapshot::load(&dir).expect("the example estate loads");
        let eval = ringfence_exposure::Evaluation::of(&estate);
        let network = ringfence_exposure::Network::of(&estate);
        let config = ringfence_checks::Config::default();
        let ctx = ringfence_checks::Context {
            estate: &estate,
            eval: &eval,
            network: &network,
            config: &config,
        };
        let findings = ringfence_checks::run(ringfence_checks::REGISTRY, &ctx);
        (estate, findings)
    }

    #[test]
    fn only_reachable_instances_on_cassandra_ports_are_planned() {
        let (estate, findings) = example_findings();
        let planned = plan(&estate, &findings);
        assert!(!planned.is_empty());
        for p in &planned {
            let f = &findings[p.finding];
            assert_eq!(f.resource.kind, ResourceType::AwsEc2Instance);
            let exposure = f.exposure.as_ref().expect("exposure");
            assert_eq!(exposure.reachability, Reachability::Reachable);
            assert!(p.ports.iter().all(|port| CASSANDRA_PORTS.contains(port)));
            assert!(!p.ip.is_loopback() && !p.ip.is_unspecified());
        }
        // Latent and blocked Cassandra exposures are never probed.
        for (i, f) in findings.iter().enumerate() {
            let reachable = f.exposure.as_ref().is_some_and(|e| {
                e.ports
                    .iter()
                    .any(|s| s.reachability == Reachability::Reachable)
            });
            if !reachable {
                assert!(planned.iter().all(|p| p.finding != i), "{}", f.resource.id);
            }
        }
    }

    #[test]
    fn findings_are_marked_confirmed_or_not() {
        let (estate, mut findings) = example_findings();
        let planned = plan(&estate, &findings);
        let first = planned[0].clone();
        let target = |ip| Target {
            spec: TargetSpec::Ip(ip),
            ip,
        };
        let mut results = vec![ProbeResult {
            target: target(first.ip),
            port: Port::new(first.ports[0]),
            outcome: Outcome::Cassandra(Cql {
                tls: false,
                protocol: 5,
                supported: vec![("CQL_VERSION".into(), vec!["3.4.6".into()])],
                auth: CqlAuth::NotRequired,
                v5_framing: Some(true),
                default_login: None,
            }),
        }];
        // Every other planned address: filtered.
        for p in &planned[1..] {
            for &port in &p.ports {
                results.push(ProbeResult {
                    target: target(p.ip),
                    port: Port::new(port),
                    outcome: Outcome::Filtered,
                });
            }
        }
        apply(&mut findings, &planned, &results);
        let confirmed = &findings[first.finding];
        let evidence = confirmed.probe.as_ref().expect("marked");
        assert!(evidence.confirmed);
        assert!(confirmed.message.contains("probe: confirmed"));
        assert!(confirmed.message.contains("no authentication required"));
        if let Some(other) = planned.iter().find(|p| p.finding != first.finding) {
            let f = &findings[other.finding];
            assert_eq!(f.probe.as_ref().map(|e| e.confirmed), Some(false));
            assert!(f.message.contains("probe: not confirmed"));
        }
        let unplanned = findings
            .iter()
            .enumerate()
            .filter(|(i, _)| planned.iter().all(|p| p.finding != *i));
        for (_, f) in unplanned {
            assert!(f.probe.is_none());
        }
    }
}
