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

mod cassandra;
pub(crate) mod ec2_instance_port_cassandra_exposed_to_internet;
pub(crate) mod ec2_instance_sensitive_port_exposed_to_internet;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_all_ports;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_database_ports;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_directory_ports;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_file_sharing_ports;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_remote_access_ports;
pub(crate) mod ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports;
pub(crate) mod ec2_securitygroup_wide_public_range_to_sensitive_ports;

use ringfence_findings::Compliance;

/// Controls every internet-exposure check supports.
pub(crate) const BOUNDARY_PROTECTION: Compliance = Compliance {
    framework: "NIST SP 800-53 Rev. 5",
    control: "SC-7",
};
pub(crate) const FSBP_AUTHORIZED_PORTS: Compliance = Compliance {
    framework: "AWS Foundational Security Best Practices",
    control: "EC2.18",
};
pub(crate) const FSBP_HIGH_RISK_PORTS: Compliance = Compliance {
    framework: "AWS Foundational Security Best Practices",
    control: "EC2.19",
};
pub(crate) const PCI_INBOUND: Compliance = Compliance {
    framework: "PCI DSS v4.0",
    control: "1.3.1",
};
