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
    /// Naming conventions, for the security-group hygiene checks to come.
    pub naming: NamingRules,
}

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

impl Default for Config {
    fn default() -> Self {
        Config {
            catalog: Catalog::embedded(),
            common_ports: COMMON_PORTS.iter().map(|&p| (p, p)).collect(),
            wide: WideThreshold::default(),
            emit_passes: true,
            trusted_cidrs: Vec::new(),
            naming: NamingRules::default(),
        }
    }
}
