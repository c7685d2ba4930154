//! The node checks, one file per check (named by its id), the helpers they share (one
//! module per concern), and the registry over them.

mod addresses;
mod auth;
mod encryption;
mod jmx;
mod transport;

mod cassandra_config_authenticator_allow_all;
mod cassandra_config_authorizer_allow_all;
mod cassandra_config_client_address_exposed;
mod cassandra_config_client_encryption_disabled;
mod cassandra_config_internode_address_exposed;
mod cassandra_config_internode_encryption_disabled;
mod cassandra_config_keystore_default_password;
mod cassandra_config_native_transport_dual_port;
mod cassandra_config_network_authorizer_allow_all;
mod cassandra_config_thrift_enabled;
mod cassandra_config_tls_client_auth_not_required;
mod cassandra_config_tls_weak_protocol;
mod cassandra_jmx_all_interfaces;
mod cassandra_jmx_remote_authentication_disabled;
mod cassandra_jmx_remote_ssl_disabled;

use crate::NodeCheck;
use ringfence_findings::frameworks::CIS_CASSANDRA;
use ringfence_findings::{Compliance, ResourceType, Severity};
use std::net::IpAddr;

/// Every node check; listing order is report order.
pub static NODE_CHECKS: &[&NodeCheck] = &[
    &cassandra_config_authenticator_allow_all::CHECK,
    &cassandra_config_authorizer_allow_all::CHECK,
    &cassandra_config_network_authorizer_allow_all::CHECK,
    &cassandra_config_internode_address_exposed::CHECK,
    &cassandra_config_client_address_exposed::CHECK,
    &cassandra_config_internode_encryption_disabled::CHECK,
    &cassandra_config_client_encryption_disabled::CHECK,
    &cassandra_config_tls_client_auth_not_required::CHECK,
    &cassandra_config_tls_weak_protocol::CHECK,
    &cassandra_config_keystore_default_password::CHECK,
    &cassandra_jmx_remote_authentication_disabled::CHECK,
    &cassandra_jmx_remote_ssl_disabled::CHECK,
    &cassandra_jmx_all_interfaces::CHECK,
    &cassandra_config_thrift_enabled::CHECK,
    &cassandra_config_native_transport_dual_port::CHECK,
];

pub(crate) const fn cis(control: &'static str) -> Compliance {
    Compliance {
        framework: CIS_CASSANDRA.name,
        control,
    }
}

/// The metadata every node check shares, so each check states only what is its own.
#[allow(clippy::too_many_arguments)]
pub(crate) const fn meta(
    id: &'static str,
    title: &'static str,
    severity: Severity,
    description: &'static str,
    risk: &'static str,
    remediation: &'static str,
    references: &'static [&'static str],
    compliance: &'static [Compliance],
) -> ringfence_findings::CheckMeta {
    ringfence_findings::CheckMeta {
        id,
        title,
        severity,
        resource_type: ResourceType::CassandraConfig,
        description,
        risk,
        remediation,
        references,
        categories: &["cassandra-node"],
        compliance,
        aliases: &[],
        // `ringfence node` and `ringfence probe` run all of theirs; scans never list them.
        enablement: ringfence_findings::Enablement::Default,
    }
}

/// What an address setting makes the node listen on or announce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// `0.0.0.0` or `::`: every interface, public ones included.
    AllInterfaces,
    Public,
    Private,
    /// A host name: what it resolves to is not in the file.
    HostName,
}

pub(crate) fn reach(value: &str) -> Reach {
    let value = value.trim().trim_matches(|c| c == '[' || c == ']');
    match value.parse::<IpAddr>() {
        Ok(ip) if ip.is_unspecified() => Reach::AllInterfaces,
        Ok(ip) if is_private(ip) => Reach::Private,
        Ok(_) => Reach::Public,
        Err(_) if value.eq_ignore_ascii_case("localhost") => Reach::Private,
        Err(_) => Reach::HostName,
    }
}

/// Loopback, RFC 1918, shared (100.64/10), link-local, documentation and unique-local
/// addresses: nothing the internet routes to.
fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || (a == 100 && (64..128).contains(&b))
                || v4.is_documentation()
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_classified() {
        assert_eq!(reach("0.0.0.0"), Reach::AllInterfaces);
        assert_eq!(reach("::"), Reach::AllInterfaces);
        assert_eq!(reach("10.0.1.12"), Reach::Private);
        assert_eq!(reach("100.64.0.1"), Reach::Private);
        assert_eq!(reach("fd00::1"), Reach::Private);
        assert_eq!(reach("54.12.1.9"), Reach::Public);
        assert_eq!(reach("2600:1f18::1"), Reach::Public);
        assert_eq!(reach("node1.example.internal"), Reach::HostName);
    }

    #[test]
    fn each_check_lives_in_a_file_named_after_its_id() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/checks");
        for check in NODE_CHECKS {
            let file = dir.join(format!("{}.rs", check.meta.id));
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            assert!(text.contains(&format!("\"{}\"", check.meta.id)));
        }
    }

    #[test]
    fn ids_are_unique_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for check in NODE_CHECKS
            .iter()
            .map(|c| &c.meta)
            .chain(crate::endpoint::PROBE_CHECKS.iter().copied())
        {
            assert!(seen.insert(check.id), "{} twice", check.id);
            assert!(check.id.starts_with("cassandra_"), "{}", check.id);
            assert!(!check.title.starts_with("Ensure"), "{}", check.id);
            assert!(!check.description.is_empty() && !check.risk.is_empty());
            assert!(!check.remediation.is_empty());
        }
    }
}

#[cfg(test)]
mod compliance_tests {
    use super::NODE_CHECKS;
    use ringfence_findings::frameworks::FRAMEWORKS;

    #[test]
    fn every_mapping_names_a_known_framework_and_control() {
        for meta in NODE_CHECKS
            .iter()
            .map(|c| &c.meta)
            .chain(crate::endpoint::PROBE_CHECKS.iter().copied())
        {
            for c in meta.compliance {
                let framework = FRAMEWORKS
                    .iter()
                    .find(|f| f.name == c.framework)
                    .unwrap_or_else(|| panic!("{}: unknown framework {}", meta.id, c.framework));
                assert!(
                    framework.controls.iter().any(|k| k.id == c.control),
                    "{}: {} has no control {}",
                    meta.id,
                    c.framework,
                    c.control
                );
            }
        }
    }
}
