//! What users tune: the catalog, the common-ports list, the wide-range threshold, the
//! networks they trust and their naming rules (`ringfence.toml` fills it; see the
//! `ringfence-policy` crate).

use crate::catalog::Catalog;
use ringfence_exposure::WideThreshold;
use ringfence_exposure::addr::PortSet;
use ringfence_model::IpNet;

/// Conformity EC2-034's list of ports that are commonly and legitimately public.
pub const COMMON_PORTS: [u16; 20] = [
    20, 21, 22, 23, 25, 53, 80, 135, 137, 138, 139, 443, 445, 465, 587, 1433, 1521, 3306, 3389,
    5432,
];

#[derive(Clone, Debug)]
pub struct Config {
    pub catalog: Catalog,
    /// Ports the uncommon-ports check ignores, on TCP and UDP alike.
    pub common_ports: PortSet,
    /// How wide a public range counts as the internet for Cassandra.
    pub wide: WideThreshold,
    /// Build PASS findings too (they cost time and memory on large estates).
    pub emit_passes: bool,
    /// Networks the organisation trusts (offices, VPNs, partners). No check reads them
    /// yet: fix plans will narrow an open rule to them.
    pub trusted_cidrs: Vec<IpNet>,
    /// Naming conventions, for the security-group hygiene checks.
    pub naming: NamingRules,
    /// The other hygiene knobs (`[hygiene]` in the config file).
    pub hygiene: Hygiene,
}

/// What the security-group hygiene checks are tuned by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hygiene {
    /// An instance with more groups than this (over all its interfaces) fails
    /// `ec2_instance_too_many_security_groups`.
    pub max_groups_per_instance: usize,
    /// A rule opening more ports than this to a public source fails
    /// `ec2_securitygroup_wide_port_range_to_public`.
    pub max_port_range: u32,
    /// Where SSH and RDP may come from: these networks...
    pub bastion_cidrs: Vec<IpNet>,
    /// ...and these groups (ids or names); without either, the bastion check judges nothing.
    pub bastion_groups: Vec<String>,
    /// Groups (ids or names) that belong to the Cassandra cluster besides those that open
    /// the inter-node ports themselves.
    pub cassandra_cluster_groups: Vec<String>,
}

impl Default for Hygiene {
    fn default() -> Self {
        Hygiene {
            max_groups_per_instance: 5,
            max_port_range: 10,
            bastion_cidrs: Vec::new(),
            bastion_groups: Vec::new(),
            cassandra_cluster_groups: Vec::new(),
        }
    }
}

/// Words that tell a reader what is behind a group — environment, operating system,
/// tier, application — matched as whole words of the name or description, when the
/// config gives no `naming.forbidden_words` of its own.
pub const REVEALING_WORDS: &[&str] = &[
    // environment
    "prod",
    "production",
    "prd",
    "staging",
    "stage",
    "stg",
    "dev",
    "development",
    "test",
    "uat",
    "qa", // operating system
    "ubuntu",
    "debian",
    "centos",
    "rhel",
    "redhat",
    "fedora",
    "windows",
    "win2016",
    "win2019",
    "win2022",
    "linux",
    "amzn",
    "suse", // tier
    "db",
    "database",
    "web",
    "app",
    "backend",
    "frontend",
    "api",
    "cache", // application
    "crm",
    "erp",
    "hr",
    "payroll",
    "billing",
    "finance",
    "jenkins",
    "gitlab",
    "wordpress",
    "cassandra",
    "mysql",
    "postgres",
    "postgresql",
    "mongo",
    "mongodb",
    "redis",
    "oracle",
    "mssql",
    "sqlserver",
    "elasticsearch",
    "kafka",
    "ldap",
    "ad",
];

/// Naming conventions as regular expressions (validated when the config file is read).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NamingRules {
    /// A security group's name must match this.
    pub security_group: Option<String>,
    /// An instance's `Name` tag must match this.
    pub instance: Option<String>,
    /// Words a name must not contain (case-insensitive): names that reveal too much.
    pub forbidden_words: Vec<String>,
}

impl Config {
    /// Whether a config key a check waits for (`Enablement::WhenConfigured`) has a value.
    pub fn is_configured(&self, key: &str) -> bool {
        match key {
            "naming.security_group" => self.naming.security_group.is_some(),
            "hygiene.bastion_*" => {
                !self.hygiene.bastion_cidrs.is_empty() || !self.hygiene.bastion_groups.is_empty()
            }
            _ => false,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            catalog: Catalog::embedded(),
            common_ports: COMMON_PORTS.iter().map(|&p| (p, p)).collect(),
            wide: WideThreshold::default(),
            emit_passes: true,
            trusted_cidrs: Vec::new(),
            naming: NamingRules::default(),
            hygiene: Hygiene::default(),
        }
    }
}
