//! Shared by the instance and security-group Cassandra checks.

use crate::openings::Openings;
use crate::{Context, Family};
use ringfence_exposure::Profile;

/// Cassandra's ports open to the whole internet or to a public range at least as wide as
/// the configured threshold (a /8 by default).
pub(super) fn openings<'c>(ctx: &'c Context<'c>, profile: &Profile) -> Openings<'c> {
    Openings::of_services(
        ctx,
        profile,
        ctx.config.catalog.family(Family::Cassandra),
        |segment| segment.is_world() || segment.is_wide(ctx.config.wide),
    )
}

pub(super) const RISK: &str = "Cassandra's ports give whoever reaches them the data (CQL 9042/9142, Thrift 9160), \
the cluster (internode 7000/7001: a rogue node joins the ring and receives replicas) or the node \
itself (JMX 7199 runs nodetool and, unauthenticated, arbitrary code); DSEFS 5599 serves the files \
DataStax Enterprise stores. Clusters left on the default AllowAllAuthenticator answer anyone.";

pub(super) const REMEDIATION: &str = "Revoke the ingress rules that admit the internet on Cassandra's ports and allow \
only the application's security groups or CIDRs (clients: 9042/9142) and the cluster's own \
security group (internode 7000/7001, JMX 7199). Reach JMX through a bastion or SSM.";

pub(super) const REFERENCES: &[&str] = &[
    "https://cassandra.apache.org/doc/latest/cassandra/architecture/guarantees.html",
    "https://docs.datastax.com/en/dse/6.8/managing/configure/configure-firewall.html",
    "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html",
];
