//! One file per check: its metadata and its function.

/// Appends the severity scale every exposure check follows to its description.
macro_rules! graded {
    ($text:literal) => {
        concat!(
            $text,
            " Each exposed port is then judged on its network path: reachable (public address, \
route to an internet gateway, network ACL open both ways), latent (one change away: no public \
address, no internet route, instance stopped, group attached to nothing), blocked (a network \
ACL denies the request or the reply) or unknown (data missing). Severity follows the verdict: \
reachable and unknown keep the service's severity, latent is one step lower, blocked two."
        )
    };
}

use ringfence_findings::Compliance;
use ringfence_findings::frameworks::{
    C5, CIS_AWS, CIS_CASSANDRA, FSBP, HIPAA, ISO27001_2013, ISO27001_2022, KISA_ISMS_P, NIS2,
    NIST_800_53, PCI_DSS, SOC2,
};

/// The controls every internet-exposure check gives evidence for, then the ones given.
/// Frameworks and control titles live in `ringfence_findings::frameworks`; a registry test
/// checks that every entry here names one of them.
macro_rules! exposure_controls {
    ($($extra:expr),* $(,)?) => {
        &[
            $crate::checks::SOC2_CC6_1,
            $crate::checks::SOC2_CC6_6,
            $crate::checks::ISO2013_NETWORK_CONTROLS,
            $crate::checks::ISO2022_NETWORKS_SECURITY,
            $crate::checks::C5_TECHNICAL_SAFEGUARDS,
            $crate::checks::KISA_NETWORK_ACCESS,
            $crate::checks::NIS2_RISK_MEASURES,
            $crate::checks::PCI_INBOUND,
            $crate::checks::PCI_UNTRUSTED_INBOUND,
            $crate::checks::HIPAA_TRANSMISSION,
            $crate::checks::NIST_FLOW_ENFORCEMENT,
            $crate::checks::BOUNDARY_PROTECTION,
            $($extra),*
        ]
    };
}

const fn control(framework: &ringfence_findings::Framework, control: &'static str) -> Compliance {
    Compliance {
        framework: framework.name,
        control,
    }
}

pub(crate) const SOC2_CC6_1: Compliance = control(&SOC2, "CC6.1");
pub(crate) const SOC2_CC6_6: Compliance = control(&SOC2, "CC6.6");
pub(crate) const ISO2013_NETWORK_CONTROLS: Compliance = control(&ISO27001_2013, "A.13.1.1");
pub(crate) const ISO2022_NETWORKS_SECURITY: Compliance = control(&ISO27001_2022, "A.8.20");
pub(crate) const C5_TECHNICAL_SAFEGUARDS: Compliance = control(&C5, "COS-01");
pub(crate) const KISA_NETWORK_ACCESS: Compliance = control(&KISA_ISMS_P, "2.6.1");
pub(crate) const NIS2_RISK_MEASURES: Compliance = control(&NIS2, "Art. 21");
pub(crate) const PCI_INBOUND: Compliance = control(&PCI_DSS, "1.3.1");
pub(crate) const PCI_UNTRUSTED_INBOUND: Compliance = control(&PCI_DSS, "1.4.2");
pub(crate) const HIPAA_TRANSMISSION: Compliance = control(&HIPAA, "164.312(e)(1)");
pub(crate) const NIST_FLOW_ENFORCEMENT: Compliance = control(&NIST_800_53, "AC-4");
pub(crate) const BOUNDARY_PROTECTION: Compliance = control(&NIST_800_53, "SC-7");
/// Remote administration ports (22, 3389) open to 0.0.0.0/0 and to ::/0.
pub(crate) const CIS_ADMIN_V4: Compliance = control(&CIS_AWS, "5.2");
pub(crate) const CIS_ADMIN_V6: Compliance = control(&CIS_AWS, "5.3");
pub(crate) const FSBP_SSH: Compliance = control(&FSBP, "EC2.13");
pub(crate) const FSBP_RDP: Compliance = control(&FSBP, "EC2.14");
/// Unrestricted ingress on any port but the authorized ones (80 and 443 by default).
pub(crate) const FSBP_AUTHORIZED_PORTS: Compliance = control(&FSBP, "EC2.18");
/// Unrestricted ingress on Security Hub's high-risk ports (20-23, 25, 110, 135, 143, 445,
/// 1433-1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300).
pub(crate) const FSBP_HIGH_RISK_PORTS: Compliance = control(&FSBP, "EC2.19");
pub(crate) const FSBP_ADMIN_V4: Compliance = control(&FSBP, "EC2.53");
pub(crate) const FSBP_ADMIN_V6: Compliance = control(&FSBP, "EC2.54");
/// Hygiene: the default group, unused groups, the audit trail.
pub(crate) const CIS_DEFAULT_SG: Compliance = control(&CIS_AWS, "5.4");
pub(crate) const FSBP_DEFAULT_SG: Compliance = control(&FSBP, "EC2.2");
pub(crate) const FSBP_UNUSED_SG: Compliance = control(&FSBP, "EC2.22");
pub(crate) const CIS_CLOUDTRAIL: Compliance = control(&CIS_AWS, "3.1");
pub(crate) const CIS_CONFIG: Compliance = control(&CIS_AWS, "3.3");
pub(crate) const CIS_FLOW_LOGS: Compliance = control(&CIS_AWS, "3.7");
pub(crate) const FSBP_CLOUDTRAIL: Compliance = control(&FSBP, "CloudTrail.1");
pub(crate) const FSBP_CONFIG: Compliance = control(&FSBP, "Config.1");
pub(crate) const FSBP_FLOW_LOGS: Compliance = control(&FSBP, "EC2.6");
pub(crate) const AUDIT_RECORDS: Compliance = control(&NIST_800_53, "AU-12");
pub(crate) const LEAST_FUNCTIONALITY: Compliance = control(&NIST_800_53, "CM-7");
/// Cassandra listening only on authorized interfaces.
pub(crate) const CIS_CASSANDRA_LISTEN: Compliance = control(&CIS_CASSANDRA, "3.5");

mod cassandra;
pub(crate) mod ec2_instance_port_cassandra_exposed_to_internet;
pub(crate) mod ec2_instance_sensitive_port_exposed_to_internet;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_all_ports;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_database_ports;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_directory_ports;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_file_sharing_ports;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_port_80;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_remote_access_ports;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports;
pub(crate) mod ec2_securitygroup_wide_public_range_to_sensitive_ports;
// Security-group hygiene and the audit trail (issue #8).
pub(crate) mod cloudtrail_multi_region_enabled;
pub(crate) mod config_recorder_all_regions_enabled;
pub(crate) mod ec2_instance_too_many_security_groups;
pub(crate) mod ec2_instance_udp_icmp_from_outside_vpc;
pub(crate) mod ec2_instance_uses_default_security_group;
pub(crate) mod ec2_securitygroup_admin_ports_beyond_bastion;
pub(crate) mod ec2_securitygroup_cassandra_internode_from_outside_cluster;
pub(crate) mod ec2_securitygroup_default_restrict_traffic;
pub(crate) mod ec2_securitygroup_egress_ftp_to_internet;
pub(crate) mod ec2_securitygroup_egress_unrestricted;
pub(crate) mod ec2_securitygroup_name_breaks_convention;
pub(crate) mod ec2_securitygroup_name_reveals_details;
pub(crate) mod ec2_securitygroup_not_used;
pub(crate) mod ec2_securitygroup_rules_overlap;
pub(crate) mod ec2_securitygroup_sensitive_service_on_default_port;
pub(crate) mod ec2_securitygroup_wide_port_range_to_public;
pub(crate) mod vpc_flow_logs_enabled;
