//! Cassandra's inter-node (7000, 7001), JMX (7199) and DSE (5599) ports should admit the
//! cluster's own security group(s) and nothing else — the "same group as source" practice.
//! A CIDR, even a private one, admits every host in it that is not a node.

use super::{BOUNDARY_PROTECTION, CIS_CASSANDRA_LISTEN, NIST_FLOW_ENFORCEMENT};
use crate::hygiene::{
    GroupLabel, Place, carries_tcp, co_applied, describe_rule, finding, group_resource, list,
    names_group,
};
use crate::{Check, Context};
use foldhash::{HashMap, HashSet};
use rayon::prelude::*;
use ringfence_exposure::FlatRule;
use ringfence_exposure::addr::{V4Set, V6Set, v4_range, v6_range};
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity, Status};
use ringfence_model::{ScopeId, SecurityGroup, Source};

/// Inter-node, inter-node TLS, JMX, and DataStax Enterprise's DSEFS.
const CLUSTER_PORTS: [u16; 4] = [7000, 7001, 7199, 5599];

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_cassandra_internode_from_outside_cluster",
        title: "Security group admits Cassandra inter-node or JMX ports from outside the cluster",
        severity: Severity::Medium,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: "Fails for each security group that admits TCP 7000, 7001, 7199 or 5599 (through an exact rule, a range or protocol -1) from a source that is not the cluster: the cluster's groups are the group itself, the groups applied with it on the same network interfaces, and `hygiene.cassandra_cluster_groups` from the config; a CIDR or prefix list passes only when every address in it lies inside the subnets of the interfaces the group is on (so a private range far wider than the cluster fails, and any CIDR on a group attached to nothing). Names each rule and the ports. Skips a rule whose prefix list was not read.",
        risk: "Whoever reaches 7000/7001 can join the ring or read streamed data, and JMX on 7199 controls the node (and on old setups runs code). A rule for 10.0.0.0/8 lets every compromised host in the network do it, not only the nodes.",
        remediation: "Admit the cluster ports only from the cluster's own group (a rule of the group whose source is the group itself) and revoke the rules the finding names; reach JMX through a bastion or nodetool over SSH.",
        references: &[
            "https://cassandra.apache.org/doc/latest/cassandra/managing/operating/security.html",
        ],
        categories: &["hygiene", "cassandra"],
        compliance: &[
            CIS_CASSANDRA_LISTEN,
            NIST_FLOW_ENFORCEMENT,
            BOUNDARY_PROTECTION,
        ],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let estate = ctx.estate;
    let with = co_applied(ctx);
    let subnets: HashMap<(ScopeId, &str), &ringfence_model::Subnet> = estate
        .subnets
        .iter()
        .map(|s| ((s.origin.scope, s.id.as_str()), s))
        .collect();
    // Groups the config names as the cluster's, by id or name, resolved once.
    let configured: HashSet<(ScopeId, &str)> = estate
        .security_groups
        .iter()
        .filter(|s| {
            ctx.config
                .hygiene
                .cassandra_cluster_groups
                .iter()
                .any(|e| names_group(e, s))
        })
        .map(|s| (s.origin.scope, s.id.as_str()))
        .collect();
    estate
        .security_groups
        .par_iter()
        .enumerate()
        .filter_map(|(g, group)| {
            // The rules that open a cluster port: most groups have none, and pass.
            let opening = |flat: &&FlatRule| CLUSTER_PORTS.iter().any(|p| carries_tcp(&flat.traffic, *p));
            if !ctx.eval.group_rules[g].iter().any(|flat| opening(&flat)) {
                return finding(ctx, &CHECK.meta, Status::Pass, || group_resource(estate, group), || pass_message(group));
            }
            let scope = group.origin.scope;
            // The cluster's own addresses: the subnets of the interfaces the group is on.
            let mut inside_v4 = V4Set::new();
            let mut inside_v6 = V6Set::new();
            for placement in &ctx.eval.placements[g] {
                let subnet = placement
                    .interface
                    .and_then(|e| estate.network_interfaces[e].subnet_id.as_deref())
                    .or_else(|| placement.instance.and_then(|i| estate.instances[i].subnet_id.as_deref()))
                    .and_then(|id| subnets.get(&(scope, id)));
                if let Some(subnet) = subnet {
                    if let Some(cidr) = &subnet.cidr_v4 {
                        let (lo, hi) = v4_range(cidr);
                        inside_v4.insert(lo, hi);
                    }
                    for cidr in &subnet.cidrs_v6 {
                        let (lo, hi) = v6_range(cidr);
                        inside_v6.insert(lo, hi);
                    }
                }
            }
            let cluster_group = |source: &Source| match source {
                Source::Group(r) => r.group_id.as_deref().is_some_and(|id| {
                    id == group.id
                        || with[g].iter().any(|(o, _): &(u32, Place)| estate.security_groups[*o as usize].id == id)
                        || ctx.config.hygiene.cassandra_cluster_groups.iter().any(|e| e == id)
                        || configured.contains(&(scope, id))
                }),
                _ => false,
            };
            let mut outside = Vec::new();
            let mut unknown = Vec::new();
            for flat in ctx.eval.group_rules[g].iter().filter(opening) {
                let rule = &group.ingress[flat.at.rule as usize];
                let inside = match &rule.source {
                    Source::Group(_) => cluster_group(&rule.source),
                    _ if flat.unresolved => {
                        unknown.push(describe_rule(rule));
                        continue;
                    }
                    _ => inside_v4.is_superset(&flat.reach.v4) && inside_v6.is_superset(&flat.reach.v6),
                };
                if !inside {
                    let hit: Vec<String> = CLUSTER_PORTS.iter().filter(|p| carries_tcp(&flat.traffic, **p)).map(|p| p.to_string()).collect();
                    outside.push(format!("{} opens {}", describe_rule(rule), hit.join(", ")));
                }
            }
            let status = if !outside.is_empty() {
                Status::Fail
            } else if !unknown.is_empty() {
                Status::Skip
            } else {
                Status::Pass
            };
            finding(ctx, &CHECK.meta, status, || group_resource(estate, group), || {
                let label = GroupLabel(group);
                match status {
                    Status::Fail => format!("Security group {label} admits Cassandra cluster ports from outside the cluster's groups and subnets: {}.", list(&outside, 4)),
                    Status::Skip => format!("Security group {label}: cannot tell whether {} stays within the cluster: its prefix list entries were not read.", list(&unknown, 3)),
                    _ => pass_message(group),
                }
            })
        })
        .collect()
}

fn pass_message(group: &SecurityGroup) -> String {
    format!(
        "Security group {} admits Cassandra cluster ports only from the cluster, if at all.",
        GroupLabel(group)
    )
}
