//! The compliance frameworks checks map to, as data: `--compliance` finds them by id or
//! alias, reports list their controls, and every check's `compliance` array names them.

use serde::Serialize;

/// One control of a framework that ringfence's checks give evidence for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Control {
    pub id: &'static str,
    pub title: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Framework {
    /// What users type: `--compliance soc2`.
    pub id: &'static str,
    /// The name findings carry in `compliance[].framework`.
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// The controls ringfence maps checks to, in the framework's order.
    pub controls: &'static [Control],
}

const fn control(id: &'static str, title: &'static str) -> Control {
    Control { id, title }
}

pub const SOC2: Framework = Framework {
    id: "soc2",
    name: "SOC 2 (AICPA TSC 2017)",
    aliases: &["aicpa-tsc"],
    controls: &[
        control(
            "CC6.1",
            "Logical access security over protected information assets",
        ),
        control(
            "CC6.6",
            "Security measures against threats from outside the system boundaries",
        ),
    ],
};

pub const ISO27001_2013: Framework = Framework {
    id: "iso27001-2013",
    name: "ISO/IEC 27001:2013",
    aliases: &["iso27001"],
    controls: &[control("A.13.1.1", "Network controls")],
};

pub const ISO27001_2022: Framework = Framework {
    id: "iso27001-2022",
    name: "ISO/IEC 27001:2022",
    aliases: &[],
    controls: &[control("A.8.20", "Networks security")],
};

pub const C5: Framework = Framework {
    id: "c5",
    name: "BSI C5:2020",
    aliases: &["bsi-c5", "c5-2020"],
    controls: &[control("COS-01", "Technical safeguards")],
};

pub const KISA_ISMS_P: Framework = Framework {
    id: "kisa-isms-p",
    name: "KISA ISMS-P 2023",
    aliases: &["isms-p", "kisa"],
    controls: &[control("2.6.1", "Network access")],
};

pub const NIS2: Framework = Framework {
    id: "nis2",
    name: "NIS2 Directive (EU) 2022/2555",
    aliases: &[],
    controls: &[control("Art. 21", "Cybersecurity risk-management measures")],
};

pub const PCI_DSS: Framework = Framework {
    id: "pci-dss",
    name: "PCI DSS v4.0",
    aliases: &["pci", "pci-dss-4"],
    controls: &[
        control("1.3.1", "Inbound traffic to the CDE is restricted"),
        control(
            "1.4.2",
            "Inbound traffic from untrusted networks to trusted networks is restricted",
        ),
    ],
};

pub const HIPAA: Framework = Framework {
    id: "hipaa",
    name: "HIPAA Security Rule",
    aliases: &[],
    controls: &[control("164.312(e)(1)", "Transmission security")],
};

pub const NIST_800_53: Framework = Framework {
    id: "nist-800-53",
    name: "NIST SP 800-53 Rev. 5",
    aliases: &["nist", "800-53", "nist-800-53-rev5"],
    controls: &[
        control("AC-4", "Information flow enforcement"),
        control("AU-12", "Audit record generation"),
        control("CM-7", "Least functionality"),
        control("SC-7", "Boundary protection"),
    ],
};

pub const CIS_AWS: Framework = Framework {
    id: "cis-aws",
    name: "CIS AWS Foundations Benchmark v3.0",
    aliases: &["cis", "cis-aws-foundations"],
    controls: &[
        control("3.1", "Ensure CloudTrail is enabled in all regions"),
        control("3.3", "Ensure AWS Config is enabled in all regions"),
        control("3.7", "Ensure VPC flow logging is enabled in all VPCs"),
        control(
            "5.2",
            "No security group allows ingress from 0.0.0.0/0 to remote server administration ports",
        ),
        control(
            "5.3",
            "No security group allows ingress from ::/0 to remote server administration ports",
        ),
        control(
            "5.4",
            "The default security group of every VPC restricts all traffic",
        ),
    ],
};

pub const FSBP: Framework = Framework {
    id: "fsbp",
    name: "AWS Foundational Security Best Practices",
    aliases: &["aws-fsbp", "security-hub"],
    controls: &[
        control(
            "CloudTrail.1",
            "CloudTrail should be enabled and configured with at least one multi-Region trail",
        ),
        control("Config.1", "AWS Config should be enabled"),
        control(
            "EC2.2",
            "VPC default security groups should not allow inbound or outbound traffic",
        ),
        control("EC2.6", "VPC flow logging should be enabled in all VPCs"),
        control(
            "EC2.13",
            "Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22",
        ),
        control(
            "EC2.14",
            "Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 3389",
        ),
        control(
            "EC2.18",
            "Security groups should only allow unrestricted incoming traffic for authorized ports",
        ),
        control(
            "EC2.19",
            "Security groups should not allow unrestricted access to ports with high risk",
        ),
        control(
            "EC2.22",
            "Unused Amazon EC2 security groups should be removed",
        ),
        control(
            "EC2.53",
            "EC2 security groups should not allow ingress from 0.0.0.0/0 to remote server administration ports",
        ),
        control(
            "EC2.54",
            "EC2 security groups should not allow ingress from ::/0 to remote server administration ports",
        ),
    ],
};

pub const CIS_CASSANDRA: Framework = Framework {
    id: "cis-cassandra",
    name: "CIS Apache Cassandra 3.11 Benchmark v1.0.0",
    aliases: &["cis-apache-cassandra"],
    controls: &[
        control("2.1", "Authentication is enabled for Cassandra databases"),
        control("2.2", "Authorization is enabled for Cassandra databases"),
        control(
            "3.5",
            "Cassandra only listens for network connections on authorized interfaces",
        ),
        control("3.6", "Data Center Authorizations are activated"),
        control("5.1", "Inter-node Encryption"),
        control("5.2", "Client Encryption"),
    ],
};

/// Every framework, in the order listings show them.
pub static FRAMEWORKS: &[Framework] = &[
    SOC2,
    ISO27001_2013,
    ISO27001_2022,
    C5,
    KISA_ISMS_P,
    NIS2,
    PCI_DSS,
    HIPAA,
    NIST_800_53,
    CIS_AWS,
    FSBP,
    CIS_CASSANDRA,
];

fn normalize(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A framework by id, alias or name, ignoring case and punctuation (`SOC2`, `soc-2`,
/// `PCI DSS v4.0`).
pub fn framework(query: &str) -> Option<&'static Framework> {
    let query = normalize(query);
    if query.is_empty() {
        return None;
    }
    FRAMEWORKS.iter().find(|f| {
        normalize(f.id) == query
            || normalize(f.name) == query
            || f.aliases.iter().any(|a| normalize(a) == query)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_aliases_and_names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for f in FRAMEWORKS {
            for key in [f.id, f.name].iter().chain(f.aliases) {
                assert!(seen.insert(normalize(key)), "{key} appears twice");
            }
        }
    }

    #[test]
    fn frameworks_are_found_loosely() {
        assert_eq!(framework("SOC2").map(|f| f.id), Some("soc2"));
        assert_eq!(framework("soc-2").map(|f| f.id), Some("soc2"));
        assert_eq!(framework("PCI DSS v4.0").map(|f| f.id), Some("pci-dss"));
        assert_eq!(framework("nist").map(|f| f.id), Some("nist-800-53"));
        assert_eq!(framework("iso27001").map(|f| f.id), Some("iso27001-2013"));
        assert!(framework("sox").is_none());
        assert!(framework("--").is_none());
    }
}
