//! Overlapping rules: a narrow rule (one port, one office) sits under a wider one that
//! admits the same traffic and more, in the same group or in a group applied with it.
//! Rules only allow, so the narrow rule restricts nothing: whoever reads it is misled.

use super::NIST_FLOW_ENFORCEMENT;
use crate::hygiene::{GroupLabel, co_applied, finding, group_resource, list_counted, push_rule};
use crate::{Check, Context};
use rayon::prelude::*;
use ringfence_exposure::FlatRule;
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity, Status};
use ringfence_model::{Source, Traffic};
use std::fmt::Write;

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
            // The first few overridden rules are named, the rest counted.
            let mut shown: Vec<String> = Vec::new();
            let mut overridden_rules = 0;
            for narrow in &ctx.eval.group_rules[g] {
                let Some(narrow) = Narrow::of(ctx, narrow) else {
                    continue;
                };
                let own = ctx.eval.group_rules[g].iter().map(|r| (r, None));
                let others = with[g].iter().flat_map(|(o, place)| {
                    ctx.eval.group_rules[*o as usize]
                        .iter()
                        .map(move |r| (r, Some((*o, place))))
                });
                let Some((wide, from)) = own
                    .chain(others)
                    .find(|(wide, from)| narrow.overridden_by(ctx, wide, from.is_some()))
                else {
                    continue;
                };
                overridden_rules += 1;
                if shown.len() == SHOWN {
                    continue;
                }
                let mut text = String::with_capacity(192);
                push_rule(&mut text, rule(ctx, narrow.flat));
                text.push_str(" is overridden by ");
                push_rule(&mut text, rule(ctx, wide));
                if let Some((_, place)) = from {
                    let wide_group = &estate.security_groups[wide.at.group as usize];
                    // Writing into a String cannot fail.
                    let _ = write!(
                        text,
                        " of {} (applied with it on {})",
                        GroupLabel(wide_group),
                        place.id(estate)
                    );
                }
                shown.push(text);
            }
            let status = if overridden_rules == 0 {
                Status::Pass
            } else {
                Status::Fail
            };
            finding(
                ctx,
                &CHECK.meta,
                status,
                || group_resource(estate, group),
                || {
                    let label = GroupLabel(group);
                    if overridden_rules == 0 {
                        format!(
                            "Security group {label}: no inbound rule is overridden by a wider one."
                        )
                    } else {
                        format!(
                            "Security group {label}: {}.",
                            list_counted(&shown, overridden_rules)
                        )
                    }
                },
            )
        })
        .collect()
}

/// How many overridden rules a finding names; `list_counted` says how many more.
const SHOWN: usize = 4;

fn rule<'e>(ctx: &'e Context<'_>, flat: &FlatRule) -> &'e ringfence_model::Rule {
    &ctx.estate.security_groups[flat.at.group as usize].ingress[flat.at.rule as usize]
}

/// A rule that another may override, with what is compared read once: the group its
/// source names, or else its addresses.
struct Narrow<'e> {
    flat: &'e FlatRule,
    /// `Some` for a group source: the group id it names.
    group: Option<&'e str>,
}

impl<'e> Narrow<'e> {
    /// `None` for a rule nothing can override: an unresolved source (its addresses are a
    /// lower bound), a group source without an id, or a source with no address.
    fn of(ctx: &'e Context<'_>, flat: &'e FlatRule) -> Option<Self> {
        if flat.unresolved {
            return None;
        }
        let group = match &rule(ctx, flat).source {
            Source::Group(a) => Some(a.group_id.as_deref()?),
            _ if flat.reach.is_empty() => return None,
            _ => None,
        };
        Some(Narrow { flat, group })
    }

    /// `wide` admits everything this rule admits, and is not the same rule; within a
    /// group it must also admit more (AWS refuses exact duplicates), across groups an
    /// exact duplicate counts too.
    fn overridden_by(&self, ctx: &Context<'_>, wide: &FlatRule, other_group: bool) -> bool {
        let narrow = self.flat;
        if wide.at == narrow.at
            || wide.unresolved
            || !traffic_covers(&wide.traffic, &narrow.traffic)
        {
            return false;
        }
        let source_covered = match self.group {
            // A group source is covered only by a rule naming the same group.
            Some(id) => matches!(
                &rule(ctx, wide).source,
                Source::Group(b) if b.group_id.as_deref() == Some(id)
            ),
            // Addresses are covered by addresses: a group source resolves to none, so it
            // never covers this rule's (which are not empty).
            None => {
                wide.reach.v4.is_superset(&narrow.reach.v4)
                    && wide.reach.v6.is_superset(&narrow.reach.v6)
            }
        };
        if !source_covered {
            return false;
        }
        // The same traffic from the same addresses (a CIDR and a prefix list holding it,
        // or the same rule in two groups): a duplicate, reported once within a group, on
        // the later rule.
        if narrow.traffic == wide.traffic && narrow.reach == wide.reach {
            return other_group || wide.at < narrow.at;
        }
        true
    }
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
