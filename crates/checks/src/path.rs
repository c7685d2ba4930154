//! The network path behind each exposed port: reachable (with the path), latent,
//! blocked or unknown (with the reason), judged on every interface that carries it.

use crate::Context;
use ringfence_exposure::{
    Endpoint, Hop, Placement, Profile, Reach, Reason, Transport, Verdict, verdict,
};
use ringfence_findings::{Exposure, PathHop, Reachability, RuleEvidence, Severity};
use ringfence_model::PortRange;
use std::borrow::Cow;

/// What a finding's exposure is judged against: the instance's interfaces, or the places
/// a security group is applied.
pub(crate) enum Target<'a> {
    Instance(usize),
    Group(usize, &'a [Placement]),
}

fn transport(protocol: &str) -> Transport {
    match protocol {
        "udp" => Transport::Udp,
        // `-1` opens TCP too; TCP stands for it on the path.
        _ => Transport::Tcp,
    }
}

/// The public sources `profile` admits on one span.
fn public_sources(profile: &Profile, protocol: &str, ports: PortRange) -> Reach {
    let mut reach = Reach::default();
    if protocol == "-1" {
        if let Some(all) = &profile.all_protocols {
            reach.union_with(&all.reach);
        }
    } else {
        for (_, segment) in profile.within(transport(protocol), ports) {
            reach.union_with(&segment.reach);
        }
    }
    reach.public()
}

/// One place the exposure can land: an interface (or instance), what its groups let in,
/// and which groups those are.
struct Place<'a> {
    endpoint: Endpoint<'a>,
    profile: Cow<'a, Profile>,
    groups: Vec<u32>,
}

/// Every place the target's exposure can land, each profile computed once.
fn places<'a>(ctx: &'a Context<'_>, target: &Target<'a>) -> Vec<Place<'a>> {
    let estate = ctx.estate;
    match target {
        Target::Instance(i) => {
            let instance = &estate.instances[*i];
            let exposure = &ctx.eval.instances[*i];
            // Only public sources matter on the path: the internet part of each interface's
            // groups, which for a single interface is the instance's own.
            let single = exposure.interfaces.len() == 1;
            exposure
                .interfaces
                .iter()
                .map(|interface| Place {
                    endpoint: Endpoint {
                        interface: interface.interface.map(|e| &estate.network_interfaces[e]),
                        instance: Some(instance),
                    },
                    profile: if single {
                        Cow::Borrowed(&*exposure.internet)
                    } else {
                        Cow::Owned(ctx.eval.internet_profile_of(&interface.groups))
                    },
                    groups: interface.groups.clone(),
                })
                .collect()
        }
        Target::Group(g, placements) => placements
            .iter()
            .map(|placement| Place {
                endpoint: Endpoint {
                    interface: placement.interface.map(|e| &estate.network_interfaces[e]),
                    instance: placement.instance.map(|i| &estate.instances[i]),
                },
                profile: Cow::Borrowed(&ctx.eval.groups[*g]),
                groups: vec![*g as u32],
            })
            .collect(),
    }
}

/// The verdict for one span across the places: the worst case wins.
fn judge_span(
    ctx: &Context<'_>,
    places: &[Place<'_>],
    protocol: &str,
    ports: PortRange,
    evidence: &[RuleEvidence],
) -> Verdict {
    let mut best: Option<Verdict> = None;
    for place in places {
        let sources = public_sources(&place.profile, protocol, ports);
        if sources.is_empty() {
            continue;
        }
        let mut found = verdict(
            ctx.network,
            place.endpoint,
            transport(protocol),
            ports,
            &sources,
        );
        if let Verdict::Reachable { path, .. } = &mut found {
            add_rule_hops(ctx, path, &place.groups, evidence);
        }
        best = Some(match best.take() {
            Some(so_far) => so_far.worst(found),
            None => found,
        });
        if matches!(
            best,
            Some(Verdict::Reachable {
                narrowed: false,
                ..
            })
        ) {
            break;
        }
    }
    best.unwrap_or(Verdict::Unknown {
        reason: Reason::MissingData,
        detail: "no interface to judge the path on".into(),
    })
}

/// Inserts the security-group rules of the interface's groups before the interface hop.
fn add_rule_hops(
    ctx: &Context<'_>,
    path: &mut Vec<Hop>,
    groups: &[u32],
    evidence: &[RuleEvidence],
) {
    let on_interface = |e: &&RuleEvidence| {
        groups
            .iter()
            .any(|&g| ctx.estate.security_groups[g as usize].id == e.group_id)
    };
    let at = path
        .iter()
        .position(|h| h.kind == "network-interface" || h.kind == "instance")
        .unwrap_or(path.len());
    let hops: Vec<Hop> = evidence
        .iter()
        .filter(on_interface)
        .map(|e| Hop {
            kind: "security-group-rule",
            id: e.rule_id.clone().unwrap_or_else(|| e.group_id.clone()),
            detail: format!(
                "{} ({}) allows {} from {}",
                e.group_id,
                e.group_name,
                match (e.from, e.to) {
                    (Some(f), Some(t)) if f == t => format!("{}/{f}", e.protocol),
                    (Some(f), Some(t)) => format!("{}/{f}-{t}", e.protocol),
                    _ => format!("protocol {}", e.protocol),
                },
                e.source
            ),
        })
        .collect();
    path.splice(at..at, hops);
}

fn reachability(verdict: &Verdict) -> Reachability {
    match verdict {
        Verdict::Reachable { .. } => Reachability::Reachable,
        Verdict::Latent { .. } => Reachability::Latent,
        Verdict::Blocked { .. } => Reachability::Blocked,
        Verdict::Unknown { .. } => Reachability::Unknown,
    }
}

fn cidrs(reach: &Reach) -> Vec<String> {
    ringfence_exposure::addr::display_v4_cidrs(&reach.v4)
        .iter()
        .map(ToString::to_string)
        .chain(
            ringfence_exposure::addr::display_v6_cidrs(&reach.v6)
                .iter()
                .map(ToString::to_string),
        )
        .collect()
}

/// Judges every span of `exposure`, records each verdict, and returns the worst one with
/// its prose.
pub(crate) fn judge(
    ctx: &Context<'_>,
    target: Target<'_>,
    exposure: &mut Exposure,
) -> (Reachability, Option<String>) {
    if let Target::Group(g, placements) = &target
        && placements.is_empty()
    {
        let detail = format!(
            "{} is attached to nothing",
            ctx.estate.security_groups[*g].id
        );
        for span in &mut exposure.ports {
            span.reachability = Reachability::Latent;
            span.reason = Some(Reason::NotAttached.code().to_string());
        }
        exposure.reachability = Reachability::Latent;
        exposure.reason = Some(Reason::NotAttached.code().to_string());
        exposure.reason_detail = Some(detail.clone());
        return (Reachability::Latent, Some(detail));
    }
    let places = places(ctx, &target);
    let mut worst: Option<Verdict> = None;
    for span in &mut exposure.ports {
        let ports = PortRange {
            from: span.from,
            to: span.to,
        };
        let found = judge_span(ctx, &places, &span.protocol, ports, &exposure.rules);
        span.reachability = reachability(&found);
        span.reason = found.reason().map(|r| r.code().to_string());
        if let Verdict::Reachable {
            sources, narrowed, ..
        } = &found
        {
            span.reachable_sources = if *narrowed {
                cidrs(sources)
            } else {
                exposure.sources.clone()
            };
        }
        worst = Some(match worst.take() {
            Some(so_far) => so_far.worst(found),
            None => found,
        });
    }
    let Some(worst) = worst else {
        return (Reachability::Unknown, None);
    };
    exposure.reachability = reachability(&worst);
    match worst {
        Verdict::Reachable {
            sources,
            path,
            narrowed,
        } => {
            exposure.reachable_sources = if narrowed {
                cidrs(&sources)
            } else {
                exposure.sources.clone()
            };
            exposure.path = Some(
                path.into_iter()
                    .map(|h| PathHop {
                        kind: h.kind.to_string(),
                        id: h.id,
                        detail: h.detail,
                    })
                    .collect(),
            );
            (Reachability::Reachable, None)
        }
        Verdict::Latent { reason, detail }
        | Verdict::Blocked { reason, detail }
        | Verdict::Unknown { reason, detail } => {
            exposure.reason = Some(reason.code().to_string());
            exposure.reason_detail = Some(detail.clone());
            (exposure.reachability, Some(detail))
        }
    }
}

/// Severity follows the verdict: reachable and unknown keep the service's severity,
/// latent is one step lower, blocked two.
pub(crate) fn grade(severity: Severity, reachability: Reachability) -> Severity {
    let steps = match reachability {
        Reachability::Reachable | Reachability::Unknown => 0,
        Reachability::Latent => 1,
        Reachability::Blocked => 2,
    };
    (0..steps).fold(severity, |s, _| match s {
        Severity::Critical => Severity::High,
        Severity::High => Severity::Medium,
        Severity::Medium => Severity::Low,
        Severity::Low | Severity::Info => Severity::Info,
    })
}
