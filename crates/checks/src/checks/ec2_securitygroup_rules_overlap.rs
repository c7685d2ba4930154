//! Overlapping rules: a narrow rule (one port, one office) sits under a wider one that
//! admits the same traffic and more, in the same group or in a group applied with it.
//! Rules only allow, so the narrow rule restricts nothing: whoever reads it is misled.

use super::NIST_FLOW_ENFORCEMENT;
use crate::hygiene::{co_applied, describe_rule, finding, group_label, group_resource, list};
use crate::{Check, Context};
use rayon::prelude::*;
use ringfence_exposure::FlatRule;
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity, Status};
use ringfence_model::{Source, Traffic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_rules_overlap",
        title: "Security group rule is overridden by a more permissive rule on the same ports",
        severity: Severity::Low,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: "Fails for each security group with an inbound rule whose protocol, ports and sources are all covered by another rule, of the same group or of a group applied with it on a network interface, that is more permissive (wider ports, a wider CIDR, or all protocols), naming both rules. Sources are compared as address sets (prefix lists with their entries); a group source is covered only by the same group.",
        risk: "Security-group rules only allow, and AWS applies the union of every rule of every group on an interface: the restrictive rule someone wrote for SSH from the office restricts nothing when another rule admits 10.0.0.0/8 on all ports. Reviews read the narrow rule and miss the wide one.",
        remediation: "Decide which rule states the intent: remove the permissive rule (or narrow it) if the restrictive one is what was meant, else remove the redundant narrow rule so that the group says what it does.",
        references: &["https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"],
        categories: &["hygiene"],
        compliance: &[NIST_FLOW_ENFORCEMENT],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let estate = ctx.estate;
    let with = co_applied(ctx);
    estate
        .security_groups
        .par_iter()
        .enumerate()
        .filter_map(|(g, group)| {
            let mut overrides: Vec<String> = Vec::new();
            for narrow in &ctx.eval.group_rules[g] {
                let own = ctx.eval.group_rules[g].iter().map(|r| (r, None));
                let others = with[g].iter().flat_map(|(o, place)| {
                    ctx.eval.group_rules[*o as usize]
                        .iter()
                        .map(move |r| (r, Some((*o, place))))
                });
                if let Some((wide, from)) = own
                    .chain(others)
                    .find(|(wide, from)| overridden(ctx, narrow, wide, from.is_some()))
                {
                    let wide_group = &estate.security_groups[wide.at.group as usize];
                    let mut text = format!(
                        "{} is overridden by {}",
                        describe_rule(rule(ctx, narrow)),
                        describe_rule(rule(ctx, wide))
                    );
                    if let Some((_, place)) = from {
                        text.push_str(&format!(
                            " of {} (applied with it on {})",
                            group_label(wide_group),
                            place.id(estate)
                        ));
                    }
                    overrides.push(text);
                }
            }
            let label = group_label(group);
            let (status, message) = if overrides.is_empty() {
                (
                    Status::Pass,
                    format!(
                        "Security group {label}: no inbound rule is overridden by a wider one."
                    ),
                )
            } else {
                (
                    Status::Fail,
                    format!("Security group {label}: {}.", list(&overrides, 4)),
                )
            };
            finding(
                ctx,
                &CHECK.meta,
                status,
                group_resource(estate, group),
                message,
            )
        })
        .collect()
}

fn rule<'e>(ctx: &'e Context<'_>, flat: &FlatRule) -> &'e ringfence_model::Rule {
    &ctx.estate.security_groups[flat.at.group as usize].ingress[flat.at.rule as usize]
}

/// `wide` admits everything `narrow` admits, and is not the same rule; within a group it
/// must also admit more (AWS refuses exact duplicates), across groups an exact duplicate
/// counts too.
fn overridden(ctx: &Context<'_>, narrow: &FlatRule, wide: &FlatRule, other_group: bool) -> bool {
    if narrow.at == wide.at || narrow.unresolved || wide.unresolved {
        return false;
    }
    let (n, w) = (rule(ctx, narrow), rule(ctx, wide));
    let traffic_covered = traffic_covers(&w.traffic, &n.traffic);
    if !traffic_covered {
        return false;
    }
    let source_covered = match (&n.source, &w.source) {
        (Source::Group(a), Source::Group(b)) => a.group_id.is_some() && a.group_id == b.group_id,
        (Source::Group(_), _) | (_, Source::Group(_)) => false,
        _ => {
            !narrow.reach.is_empty()
                && wide.reach.v4.is_superset(&narrow.reach.v4)
                && wide.reach.v6.is_superset(&narrow.reach.v6)
        }
    };
    if !source_covered {
        return false;
    }
    // The same traffic from the same addresses (a CIDR and a prefix list holding it, or
    // the same rule in two groups): a duplicate, reported once within a group, on the
    // later rule.
    if n.traffic == w.traffic && narrow.reach == wide.reach {
        return other_group || wide.at < narrow.at;
    }
    true
}

fn traffic_covers(wide: &Traffic, narrow: &Traffic) -> bool {
    match (wide, narrow) {
        (Traffic::All, _) => true,
        (Traffic::Tcp(w), Traffic::Tcp(n)) | (Traffic::Udp(w), Traffic::Udp(n)) => {
            w.from <= n.from && n.to <= w.to
        }
        (Traffic::Icmp(w), Traffic::Icmp(n)) | (Traffic::Icmpv6(w), Traffic::Icmpv6(n)) => {
            (w.icmp_type.is_none() || w.icmp_type == n.icmp_type)
                && (w.code.is_none() || w.code == n.code)
        }
        (Traffic::Other(w), Traffic::Other(n)) => w == n,
        _ => false,
    }
}
