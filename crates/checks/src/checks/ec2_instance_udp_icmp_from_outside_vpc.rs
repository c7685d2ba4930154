//! UDP and ICMP from outside the VPC to instances with no public role (no public address):
//! internal hosts rarely need either from elsewhere, and both are used to scan, map and
//! amplify.

use super::{BOUNDARY_PROTECTION, LEAST_FUNCTIONALITY};
use crate::hygiene::{finding, gap, instance_label, instance_resource, list_counted, push_rule};
use crate::{Check, Context};
use foldhash::{HashMap, HashSet};
use rayon::prelude::*;
use ringfence_exposure::addr::{V4Set, V6Set, v4_range, v6_range};
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity, Status};
use ringfence_model::{Instance, ResourceKind, ScopeId, Source, Traffic, Vpc};
use std::fmt::Write;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_udp_icmp_from_outside_vpc",
        title: "Internal EC2 instance admits UDP or ICMP from outside its VPC",
        severity: Severity::Low,
        resource_type: ResourceType::AwsEc2Instance,
        description: "Fails for each instance (not terminated) without a public role — it has no public IPv4 or IPv6 address, or its groups open no TCP port to public addresses (an instance in a default subnet that got an address it does not serve on is internal too) — whose groups admit UDP, ICMP or ICMPv6 (explicitly, or through an all-protocols rule) from addresses outside the VPC's own CIDR blocks, naming the rules. Group sources count as inside unless they name a peered VPC. Skips instances whose VPC ranges or prefix lists are not in the input.",
        risk: "An internal host has no reason to answer pings or UDP from other networks: ICMP maps the network for an attacker who got a foothold elsewhere, UDP services (DNS, NTP, SNMP, memcached) are scanned and used for reflection, and the rule stays when the host later gets a public address.",
        remediation: "Restrict UDP and ICMP to the VPC's CIDR (or to the groups that need them), or remove the rules; keep only the ICMP types path MTU discovery needs (type 3 code 4) if anything.",
        references: &["https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"],
        categories: &["hygiene"],
        compliance: &[BOUNDARY_PROTECTION, LEAST_FUNCTIONALITY],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let estate = ctx.estate;
    let with_eip: HashSet<(ScopeId, &str)> = estate
        .addresses
        .iter()
        .filter_map(|a| Some((a.origin.scope, a.network_interface_id.as_deref()?)))
        .collect();
    // Whether each group opens a TCP port to public addresses, judged once.
    let serves_tcp: Vec<bool> = ctx
        .eval
        .group_rules
        .par_iter()
        .map(|rules| {
            rules.iter().any(|r| {
                matches!(r.traffic, Traffic::All | Traffic::Tcp(_)) && r.reach.touches_internet()
            })
        })
        .collect();
    // Each VPC with its own addresses, resolved and written out once.
    let vpcs: HashMap<(ScopeId, &str), Inside<'_>> = estate
        .vpcs
        .iter()
        .map(|vpc| {
            let inside = Inside {
                vpc,
                v4: V4Set::from_ranges(vpc.cidrs_v4.iter().map(v4_range)),
                v6: V6Set::from_ranges(vpc.cidrs_v6.iter().map(v6_range)),
                cidrs: vpc
                    .cidrs_v4
                    .iter()
                    .map(|c| c.to_string())
                    .chain(vpc.cidrs_v6.iter().map(|c| c.to_string()))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            ((vpc.origin.scope, vpc.id.as_str()), inside)
        })
        .collect();
    estate
        .instances
        .par_iter()
        .enumerate()
        .filter(|(_, instance)| !instance.state.is_gone())
        .filter_map(|(i, instance)| {
            let internal = internal(ctx, &with_eip, &serves_tcp, i, instance)?;
            let scope = instance.origin.scope;
            let vpc = instance
                .vpc_id
                .as_deref()
                .and_then(|id| vpcs.get(&(scope, id)));
            let Some(Inside { vpc, v4: inside_v4, v6: inside_v6, cidrs }) = vpc else {
                return finding(ctx, &CHECK.meta, Status::Skip, || instance_resource(estate, instance), || {
                    let why = match gap(estate, scope, ResourceKind::Vpcs) {
                        Some(gap) => gap.reason.clone(),
                        None => format!("its VPC {} is not in the input", instance.vpc_id.as_deref().unwrap_or("(none)")),
                    };
                    format!("Instance {}: cannot tell what is outside its VPC: {why}.", instance_label(instance))
                });
            };
            // The first few rules from outside are named, the rest counted.
            let mut outside = Vec::new();
            let mut outside_rules = 0;
            let mut unknown = false;
            for &g in &ctx.eval.instances[i].groups {
                let group = &estate.security_groups[g as usize];
                for flat in &ctx.eval.group_rules[g as usize] {
                    if !matches!(flat.traffic, Traffic::All | Traffic::Udp(_) | Traffic::Icmp(_) | Traffic::Icmpv6(_)) {
                        continue;
                    }
                    let rule = &group.ingress[flat.at.rule as usize];
                    let from_outside = match &rule.source {
                        Source::Group(r) => r.vpc_id.as_deref().is_some_and(|v| v != vpc.id)
                            || r.peering_status.is_some(),
                        _ => !inside_v4.is_superset(&flat.reach.v4) || !inside_v6.is_superset(&flat.reach.v6),
                    };
                    if from_outside {
                        outside_rules += 1;
                        if outside.len() < SHOWN {
                            let mut text = String::with_capacity(96);
                            push_rule(&mut text, rule);
                            // Writing into a String cannot fail.
                            let _ = write!(text, " in {}", group.id);
                            outside.push(text);
                        }
                    } else if flat.unresolved {
                        unknown = true;
                    }
                }
            }
            let status = if outside_rules > 0 {
                Status::Fail
            } else if unknown {
                Status::Skip
            } else {
                Status::Pass
            };
            finding(ctx, &CHECK.meta, status, || instance_resource(estate, instance), || {
                let label = instance_label(instance);
                match status {
                    Status::Fail => format!(
                        "Instance {label} has no public role ({internal}) but admits UDP or ICMP from outside {} ({}): {}.",
                        vpc.id,
                        cidrs,
                        list_counted(&outside, outside_rules)
                    ),
                    Status::Skip => format!("Instance {label}: cannot tell whether UDP or ICMP comes from outside its VPC: a prefix list's entries were not read."),
                    _ => format!("Instance {label} admits no UDP or ICMP from outside its VPC."),
                }
            })
        })
        .collect()
}

/// A VPC's own addresses, and its CIDRs as the message prints them.
struct Inside<'e> {
    vpc: &'e Vpc,
    v4: V4Set,
    v6: V6Set,
    cidrs: String,
}

/// How many rules from outside a finding names; the message says how many more.
const SHOWN: usize = 4;

/// A public role: a public IPv4 (the instance's, an interface's, or an Elastic IP's) or
/// an IPv6 address on an interface, and a TCP port open to public addresses — a server
/// that faces the internet, which may well answer pings. An address alone (a default
/// subnet hands them out) is no role.
/// Why the instance has no public role (`None`: it has one, and is not judged).
fn internal(
    ctx: &Context<'_>,
    with_eip: &HashSet<(ScopeId, &str)>,
    serves_tcp: &[bool],
    i: usize,
    instance: &Instance,
) -> Option<&'static str> {
    if !has_public_address(ctx, with_eip, i, instance) {
        return Some("no public address");
    }
    let serves_tcp = ctx.eval.instances[i]
        .groups
        .iter()
        .any(|&g| serves_tcp[g as usize]);
    (!serves_tcp).then_some("a public address, but no TCP port open to the internet")
}

fn has_public_address(
    ctx: &Context<'_>,
    with_eip: &HashSet<(ScopeId, &str)>,
    i: usize,
    instance: &Instance,
) -> bool {
    let estate = ctx.estate;
    instance.public_ip.is_some()
        || ctx.eval.instances[i].interfaces.iter().any(|f| {
            f.interface.is_some_and(|e| {
                let eni = &estate.network_interfaces[e];
                eni.public_ipv4s().next().is_some()
                    || !eni.ipv6_addresses.is_empty()
                    || with_eip.contains(&(eni.origin.scope, eni.id.as_str()))
            })
        })
}
