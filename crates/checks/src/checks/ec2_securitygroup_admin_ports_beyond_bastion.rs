//! SSH and RDP admitted from anywhere but the bastions the organisation names: every
//! other source is a path around the one door that is logged, patched and watched.

use super::{BOUNDARY_PROTECTION, NIST_FLOW_ENFORCEMENT};
use crate::hygiene::{
    GroupNames, carries_tcp, describe_rule, finding, group_label, group_resource, list, names_group,
};
use crate::{Check, Context};
use rayon::prelude::*;
use ringfence_exposure::addr::{V4Set, V6Set, v4_range, v6_range};
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity, Status};
use ringfence_model::{IpNet, Source, Traffic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_admin_ports_beyond_bastion",
        title: "Security group admits SSH or RDP from a source other than the bastions",
        severity: Severity::Medium,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: "Fails for each security group that admits SSH (tcp/22) or RDP (tcp/3389, udp/3389) — through an exact rule, a range or protocol -1 — from any source other than the bastion networks (`hygiene.bastion_cidrs`) and bastion groups (`hygiene.bastion_groups`, ids or names) of the config file: a CIDR or prefix list with any address outside the bastion networks, or another group, itself included. The bastion groups themselves are not judged (their exposure is the internet-exposure checks' job). Runs in every scan once a bastion network or group is configured; named without one (--checks), every SSH and RDP source counts as beyond the bastions.",
        risk: "Administrative access that bypasses the bastion escapes its logging, MFA and patching discipline: one stolen key or one weak password on any host within the allowed range reaches every server the rule covers.",
        remediation: "Admit SSH and RDP from the bastion group instead (a rule whose source is that group) and revoke the rules the finding names; or use Systems Manager Session Manager and close the port.",
        references: &[
            "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html",
        ],
        categories: &["hygiene", "remote-access"],
        compliance: &[NIST_FLOW_ENFORCEMENT, BOUNDARY_PROTECTION],
        aliases: &[],
        enablement: Enablement::WhenConfigured("hygiene.bastion_*"),
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let cfg = &ctx.config.hygiene;
    let bastion_v4 = V4Set::from_ranges(cfg.bastion_cidrs.iter().filter_map(|n| match n {
        IpNet::V4(n) => Some(v4_range(n)),
        IpNet::V6(_) => None,
    }));
    let bastion_v6 = V6Set::from_ranges(cfg.bastion_cidrs.iter().filter_map(|n| match n {
        IpNet::V6(n) => Some(v6_range(n)),
        IpNet::V4(_) => None,
    }));
    let is_bastion = |g: usize| {
        let group = &ctx.estate.security_groups[g];
        cfg.bastion_groups
            .iter()
            .any(|entry| names_group(entry, group))
    };
    let names = GroupNames::of(ctx.estate);
    let estate = ctx.estate;
    estate
        .security_groups
        .par_iter()
        .enumerate()
        .filter(|(g, _)| !is_bastion(*g))
        .filter_map(|(g, group)| {
            let mut beyond = Vec::new();
            let mut unknown = Vec::new();
            for flat in &ctx.eval.group_rules[g] {
                let admin = carries_tcp(&flat.traffic, 22)
                    || carries_tcp(&flat.traffic, 3389)
                    || matches!(flat.traffic, Traffic::Udp(p) if p.contains(3389));
                if !admin {
                    continue;
                }
                let rule = &group.ingress[flat.at.rule as usize];
                let allowed = match &rule.source {
                    Source::Group(_) => names
                        .referenced(group.origin.scope, &rule.source)
                        .is_some_and(is_bastion)
                        || matches!(&rule.source, Source::Group(r) if r.group_id.as_deref().is_some_and(|id| cfg.bastion_groups.iter().any(|e| e == id))),
                    _ if flat.unresolved => {
                        unknown.push(describe_rule(rule));
                        continue;
                    }
                    _ => {
                        bastion_v4.is_superset(&flat.reach.v4) && bastion_v6.is_superset(&flat.reach.v6)
                    }
                };
                if !allowed {
                    beyond.push(describe_rule(rule));
                }
            }
            let label = group_label(group);
            let (status, message) = if !beyond.is_empty() {
                (Status::Fail, format!("Security group {label} admits SSH or RDP from beyond the bastions: {}.", list(&beyond, 4)))
            } else if !unknown.is_empty() {
                (Status::Skip, format!("Security group {label}: cannot tell whether {} stays within the bastions: its prefix list entries were not read.", list(&unknown, 3)))
            } else {
                (Status::Pass, format!("Security group {label} admits SSH and RDP only from the bastions, if at all."))
            };
            finding(ctx, &CHECK.meta, status, || group_resource(estate, group), move || message)
        })
        .collect()
}
