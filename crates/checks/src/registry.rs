//! Every check, once, and how users select among them.

use crate::Check;
use crate::checks::*;
use ringfence_findings::Severity;
use std::fmt;

/// The registry: listing order is report order.
pub static REGISTRY: &[&Check] = &[
    &ec2_instance_port_cassandra_exposed_to_internet::CHECK,
    &ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports::CHECK,
    &ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports::CHECK,
    &ec2_securitygroup_allow_ingress_from_internet_to_all_ports::CHECK,
    &ec2_securitygroup_allow_ingress_from_internet_to_database_ports::CHECK,
    &ec2_securitygroup_allow_ingress_from_internet_to_remote_access_ports::CHECK,
    &ec2_securitygroup_allow_ingress_from_internet_to_file_sharing_ports::CHECK,
    &ec2_securitygroup_allow_ingress_from_internet_to_directory_ports::CHECK,
    &ec2_securitygroup_allow_ingress_from_internet_to_port_80::CHECK,
    &ec2_securitygroup_wide_public_range_to_sensitive_ports::CHECK,
    &ec2_instance_sensitive_port_exposed_to_internet::CHECK,
    // Hygiene: after the exposure checks, so reports list those first.
    &ec2_securitygroup_not_used::CHECK,
    &ec2_securitygroup_default_restrict_traffic::CHECK,
    &ec2_instance_uses_default_security_group::CHECK,
    &ec2_securitygroup_name_reveals_details::CHECK,
    &ec2_securitygroup_name_breaks_convention::CHECK,
    &ec2_instance_too_many_security_groups::CHECK,
    &ec2_securitygroup_rules_overlap::CHECK,
    &ec2_securitygroup_wide_port_range_to_public::CHECK,
    &ec2_instance_udp_icmp_from_outside_vpc::CHECK,
    &ec2_securitygroup_egress_unrestricted::CHECK,
    &ec2_securitygroup_egress_ftp_to_internet::CHECK,
    &ec2_securitygroup_admin_ports_beyond_bastion::CHECK,
    &ec2_securitygroup_cassandra_internode_from_outside_cluster::CHECK,
    &ec2_securitygroup_sensitive_service_on_default_port::CHECK,
    &vpc_flow_logs_enabled::CHECK,
    &cloudtrail_multi_region_enabled::CHECK,
    &config_recorder_all_regions_enabled::CHECK,
];

/// A check by its id or by another tool's id for it (case-insensitive, as Conformity
/// writes `EC2-034` and users write `ec2-034`).
pub fn find(name: &str) -> Option<&'static Check> {
    let name = name.trim();
    REGISTRY.iter().copied().find(|check| {
        check.meta.id.eq_ignore_ascii_case(name)
            || check
                .meta
                .aliases
                .iter()
                .any(|a| a.id.eq_ignore_ascii_case(name))
    })
}

/// Which checks to run: by id or alias, minus exclusions, at or above a severity.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub min_severity: Option<Severity>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectionError {
    pub unknown: String,
}

impl fmt::Display for SelectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown check {:?}: `ringfence checks` lists every check id and alias",
            self.unknown
        )
    }
}

impl std::error::Error for SelectionError {}

impl Selection {
    pub fn resolve(&self) -> Result<Vec<&'static Check>, SelectionError> {
        let lookup = |names: &[String]| -> Result<Vec<&'static Check>, SelectionError> {
            names
                .iter()
                .map(|n| find(n).ok_or_else(|| SelectionError { unknown: n.clone() }))
                .collect()
        };
        let included = if self.include.is_empty() {
            REGISTRY.to_vec()
        } else {
            lookup(&self.include)?
        };
        let excluded = lookup(&self.exclude)?;
        Ok(REGISTRY
            .iter()
            .copied()
            .filter(|c| included.iter().any(|i| std::ptr::eq(*i, *c)))
            .filter(|c| !excluded.iter().any(|e| std::ptr::eq(*e, *c)))
            .filter(|c| self.min_severity.is_none_or(|min| c.meta.severity >= min))
            .collect())
    }
}
