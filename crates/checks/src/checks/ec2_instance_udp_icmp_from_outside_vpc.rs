//! UDP and ICMP from outside the VPC to instances with no public role (no public address):
//! internal hosts rarely need either from elsewhere, and both are used to scan, map and
//! amplify.

use super::{BOUNDARY_PROTECTION, LEAST_FUNCTIONALITY};
use crate::hygiene::{describe_rule, finding, gap, instance_label, instance_resource, list};
use crate::{Check, Context};
use rayon::prelude::*;
use ringfence_exposure::addr::{V4Set, V6Set, v4_range, v6_range};
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity, Status};
use ringfence_model::{Instance, ResourceKind, ScopeId, Source, Traffic, Vpc};
use std::collections::{HashMap, HashSet};

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
    let vpcs: HashMap<(ScopeId, &str), &Vpc> = estate
        .vpcs
        .iter()
        .map(|v| ((v.origin.scope, v.id.as_str()), v))
        .collect();
    estate
        .instances
        .par_iter()
        .enumerate()
        .filter(|(_, instance)| !instance.state.is_gone())
        .filter_map(|(i, instance)| {
            let internal = internal(ctx, &with_eip, i, instance)?;
            let label = instance_label(instance);
            let scope = instance.origin.scope;
            let vpc = instance
                .vpc_id
                .as_deref()
                .and_then(|id| vpcs.get(&(scope, id)).copied());
            let Some(vpc) = vpc else {
                let why = match gap(estate, scope, ResourceKind::Vpcs) {
                    Some(gap) => gap.reason.clone(),
                    None => format!("its VPC {} is not in the input", instance.vpc_id.as_deref().unwrap_or("(none)")),
                };
                let message = format!("Instance {label}: cannot tell what is outside its VPC: {why}.");
                return finding(ctx, &CHECK.meta, Status::Skip, instance_resource(estate, instance), message);
            };
            let inside_v4 = V4Set::from_ranges(vpc.cidrs_v4.iter().map(v4_range));
            let inside_v6 = V6Set::from_ranges(vpc.cidrs_v6.iter().map(v6_range));
            let mut outside = Vec::new();
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
                        _ => {
                            !flat.reach.v4.difference(&inside_v4).is_empty()
                                || !flat.reach.v6.difference(&inside_v6).is_empty()
                        }
                    };
                    if from_outside {
                        outside.push(format!("{} in {}", describe_rule(rule), group.id));
                    } else if flat.unresolved {
                        unknown = true;
                    }
                }
            }
            let (status, message) = if !outside.is_empty() {
                (Status::Fail, format!(
                    "Instance {label} has no public role ({internal}) but admits UDP or ICMP from outside {} ({}): {}.",
                    vpc.id,
                    vpc.cidrs_v4.iter().map(|c| c.to_string()).chain(vpc.cidrs_v6.iter().map(|c| c.to_string())).collect::<Vec<_>>().join(", "),
                    list(&outside, 4)
                ))
            } else if unknown {
                (Status::Skip, format!("Instance {label}: cannot tell whether UDP or ICMP comes from outside its VPC: a prefix list's entries were not read."))
            } else {
                (Status::Pass, format!("Instance {label} admits no UDP or ICMP from outside its VPC."))
            };
            finding(ctx, &CHECK.meta, status, instance_resource(estate, instance), message)
        })
        .collect()
}

/// A public role: a public IPv4 (the instance's, an interface's, or an Elastic IP's) or
/// an IPv6 address on an interface, and a TCP port open to public addresses — a server
/// that faces the internet, which may well answer pings. An address alone (a default
/// subnet hands them out) is no role.
/// Why the instance has no public role (`None`: it has one, and is not judged).
fn internal(
    ctx: &Context<'_>,
    with_eip: &HashSet<(ScopeId, &str)>,
    i: usize,
    instance: &Instance,
) -> Option<&'static str> {
    if !has_public_address(ctx, with_eip, i, instance) {
        return Some("no public address");
    }
    let serves_tcp = ctx.eval.instances[i].groups.iter().any(|&g| {
        ctx.eval.group_rules[g as usize].iter().any(|r| {
            matches!(r.traffic, Traffic::All | Traffic::Tcp(_)) && r.reach.touches_internet()
        })
    });
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
