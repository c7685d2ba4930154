//! `ringfence explain`: how the internet reaches a resource's ports, or what stops it,
//! in plain words.

use crate::Outcome;
use crate::args::ExplainArgs;
use ringfence_checks::{Config, Context, REGISTRY};
use ringfence_exposure::{
    Endpoint, Evaluation, Network, Profile, Reach, RuleRef, Transport, Verdict, addr, verdict,
};
use ringfence_findings::Status;
use ringfence_model::{Estate, PortRange};
use ringfence_report::sanitize;
use std::fmt::Write as _;

pub fn run(args: &ExplainArgs) -> Result<Outcome, String> {
    let estate = crate::iac::load_estate(&args.path)?;
    let eval = Evaluation::of(&estate);
    let network = Network::of(&estate);
    let id = args.resource.as_str();
    let instances: Vec<usize> = (0..estate.instances.len())
        .filter(|&i| estate.instances[i].id == id)
        .collect();
    let groups: Vec<usize> = (0..estate.security_groups.len())
        .filter(|&g| estate.security_groups[g].id == id)
        .collect();
    if instances.is_empty() && groups.is_empty() {
        return Err(format!(
            "{id}: no instance or security group with this id in {}",
            args.path.display()
        ));
    }
    let mut text = String::new();
    match args.port {
        Some(port) => {
            let transport = if args.udp {
                Transport::Udp
            } else {
                Transport::Tcp
            };
            for &i in &instances {
                explain_instance_port(&mut text, &estate, &eval, &network, i, transport, port);
            }
            for &g in &groups {
                explain_group_port(&mut text, &estate, &eval, &network, g, transport, port);
            }
        }
        None => explain_findings(&mut text, &estate, &eval, &network, id),
    }
    print!("{text}");
    Ok(Outcome::Clean)
}

/// Every failing or undecided finding on the resource, each port with its verdict.
fn explain_findings(
    out: &mut String,
    estate: &Estate,
    eval: &Evaluation,
    network: &Network<'_>,
    id: &str,
) {
    let config = Config::default();
    let ctx = Context {
        estate,
        eval,
        network,
        config: &config,
    };
    let findings: Vec<_> = ringfence_checks::run(REGISTRY, &ctx)
        .into_iter()
        .filter(|f| f.resource.id == id && f.status != Status::Pass)
        .collect();
    if findings.is_empty() {
        let _ = writeln!(out, "{id}: no check finds anything open to the internet.");
        return;
    }
    for finding in findings {
        let title = ringfence_checks::find(finding.check_id).map_or("", |c| c.meta.title);
        let _ = writeln!(
            out,
            "{} [{}]: {title}",
            finding.severity.as_str().to_uppercase(),
            finding.check_id
        );
        let _ = writeln!(out, "  {}", sanitize(&finding.message));
        let Some(exposure) = &finding.exposure else {
            continue;
        };
        if let Some(path) = &exposure.path {
            let _ = writeln!(out, "  How the internet gets in:");
            for (n, hop) in path.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "    {}. {} {}: {}",
                    n + 1,
                    hop.kind,
                    sanitize(&hop.id),
                    sanitize(&hop.detail)
                );
            }
        }
        for span in &exposure.ports {
            let ports = if span.from == span.to {
                span.from.to_string()
            } else {
                format!("{}-{}", span.from, span.to)
            };
            let service = span
                .service
                .as_deref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            let why = span
                .reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  - {}/{ports}{service}: {}{why}",
                span.protocol,
                span.reachability.as_str()
            );
        }
        if let Some(detail) = &exposure.reason_detail {
            let _ = writeln!(out, "  Why not reachable now: {}", sanitize(detail));
        }
        let _ = writeln!(out);
    }
}

/// The rules of `profile` that open `port`, and the addresses they admit together.
fn opening(profile: &Profile, transport: Transport, port: u16) -> (Reach, Vec<RuleRef>) {
    let mut reach = Reach::default();
    let mut rules = Vec::new();
    for (_, segment) in profile.within(transport, PortRange::single(port)) {
        reach.union_with(&segment.reach);
        rules.extend(segment.rules.iter().copied());
    }
    (reach, rules)
}

fn describe_rules(out: &mut String, estate: &Estate, rules: &[RuleRef]) {
    for r in rules {
        let group = &estate.security_groups[r.group as usize];
        let rule = &group.ingress[r.rule as usize];
        let id = rule
            .id
            .as_deref()
            .map(|i| format!(" {i}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    - {} ({}){id}: {} from {}",
            group.id,
            sanitize(&group.name),
            rule.traffic,
            sanitize(&rule.source.to_string())
        );
    }
}

fn describe_reach(reach: &Reach) -> String {
    let v4: Vec<String> = if reach.v4.is_superset(addr::public_v4()) {
        vec!["the whole public IPv4 internet".into()]
    } else {
        addr::v4_cidrs(&reach.v4)
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    let v6: Vec<String> = if reach.v6.is_superset(addr::public_v6()) {
        vec!["the whole public IPv6 internet".into()]
    } else {
        addr::v6_cidrs(&reach.v6)
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    let cidrs: Vec<String> = v4.into_iter().chain(v6).collect();
    if cidrs.len() > 6 {
        format!("{}, ... ({} ranges)", cidrs[..6].join(", "), cidrs.len())
    } else {
        cidrs.join(", ")
    }
}

fn explain_verdict(out: &mut String, found: &Verdict) {
    match found {
        Verdict::Reachable {
            sources,
            path,
            narrowed,
        } => {
            let _ = writeln!(
                out,
                "  REACHABLE from {}{}:",
                if *narrowed {
                    ""
                } else {
                    "every admitted source: "
                },
                describe_reach(sources)
            );
            for (n, hop) in path.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "    {}. {} {}: {}",
                    n + 1,
                    hop.kind,
                    sanitize(&hop.id),
                    sanitize(&hop.detail)
                );
            }
        }
        Verdict::Latent { reason, detail } => {
            let _ = writeln!(out, "  LATENT ({}): {}", reason.code(), sanitize(detail));
        }
        Verdict::Blocked { reason, detail } => {
            let _ = writeln!(out, "  BLOCKED ({}): {}", reason.code(), sanitize(detail));
        }
        Verdict::Unknown { reason, detail } => {
            let _ = writeln!(out, "  UNKNOWN ({}): {}", reason.code(), sanitize(detail));
        }
    }
}

fn explain_endpoint(
    out: &mut String,
    estate: &Estate,
    network: &Network<'_>,
    endpoint: Endpoint<'_>,
    profile: &Profile,
    transport: Transport,
    port: u16,
) {
    let (reach, rules) = opening(profile, transport, port);
    if rules.is_empty() {
        let _ = writeln!(
            out,
            "  No security-group rule admits {}/{port}.",
            transport.name()
        );
        return;
    }
    let _ = writeln!(out, "  Rules admitting {}/{port}:", transport.name());
    describe_rules(out, estate, &rules);
    let public = reach.public();
    if public.is_empty() {
        let _ = writeln!(
            out,
            "  None of them admits a public address: not open to the internet."
        );
        return;
    }
    let _ = writeln!(
        out,
        "  Public sources admitted: {}",
        describe_reach(&public)
    );
    explain_verdict(
        out,
        &verdict(
            network,
            endpoint,
            transport,
            PortRange::single(port),
            &public,
        ),
    );
}

fn explain_instance_port(
    out: &mut String,
    estate: &Estate,
    eval: &Evaluation,
    network: &Network<'_>,
    i: usize,
    transport: Transport,
    port: u16,
) {
    let instance = &estate.instances[i];
    let _ = writeln!(
        out,
        "Instance {} ({}), {}/{port}:",
        instance.id,
        instance.state.as_str(),
        transport.name()
    );
    for interface in &eval.instances[i].interfaces {
        let eni = interface.interface.map(|e| &estate.network_interfaces[e]);
        let _ = writeln!(
            out,
            " Interface {}:",
            eni.map_or("(unknown: instance groups)", |e| e.id.as_str())
        );
        let endpoint = Endpoint {
            interface: eni,
            instance: Some(instance),
        };
        explain_endpoint(
            out,
            estate,
            network,
            endpoint,
            &eval.profile_of(&interface.groups),
            transport,
            port,
        );
    }
    if !eval.instances[i].missing_groups.is_empty() {
        let _ = writeln!(
            out,
            "  Not in the input, so not judged: {}",
            eval.instances[i].missing_groups.join(", ")
        );
    }
}

fn explain_group_port(
    out: &mut String,
    estate: &Estate,
    eval: &Evaluation,
    network: &Network<'_>,
    g: usize,
    transport: Transport,
    port: u16,
) {
    let group = &estate.security_groups[g];
    let _ = writeln!(
        out,
        "Security group {} ({}), {}/{port}:",
        group.id,
        sanitize(&group.name),
        transport.name()
    );
    let placements = &eval.placements[g];
    if placements.is_empty() {
        let (reach, rules) = opening(&eval.groups[g], transport, port);
        describe_rules(out, estate, &rules);
        if !reach.public().is_empty() {
            let _ = writeln!(
                out,
                "  LATENT (not-attached): the group is attached to nothing; one attachment away."
            );
        }
        return;
    }
    for placement in placements {
        let eni = placement.interface.map(|e| &estate.network_interfaces[e]);
        let instance = placement.instance.map(|i| &estate.instances[i]);
        let _ = writeln!(
            out,
            " On {}{}:",
            eni.map_or("", |e| e.id.as_str()),
            instance
                .map(|i| format!(" (instance {})", i.id))
                .unwrap_or_default()
        );
        let endpoint = Endpoint {
            interface: eni,
            instance,
        };
        explain_endpoint(
            out,
            estate,
            network,
            endpoint,
            &eval.groups[g],
            transport,
            port,
        );
    }
}
