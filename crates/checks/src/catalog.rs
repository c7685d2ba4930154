//! The port catalog as data: which services must not face the internet, and why.

use ringfence_exposure::Transport;
use ringfence_findings::Severity;
use ringfence_model::PortRange;
use serde::Deserialize;
use std::fmt;

const EMBEDDED: &str = include_str!("../catalog/ports.toml");

/// Groups of services; each family is reported by its own check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Cassandra,
    Database,
    RemoteAccess,
    FileSharing,
    Directory,
}

impl Family {
    pub fn label(&self) -> &'static str {
        match self {
            Family::Cassandra => "Cassandra",
            Family::Database => "database",
            Family::RemoteAccess => "remote-access",
            Family::FileSharing => "file-sharing",
            Family::Directory => "directory",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub family: Family,
    pub transport: Transport,
    pub ports: Vec<PortRange>,
    pub severity: Severity,
    pub why: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Catalog {
    pub services: Vec<Service>,
}

/// Why a catalog document cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError(pub String);

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CatalogError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    service: Vec<RawService>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    id: String,
    name: String,
    family: Family,
    protocol: String,
    ports: Vec<RawPorts>,
    severity: String,
    why: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawPorts {
    One(i64),
    Range(String),
}

impl Catalog {
    /// The catalog shipped inside the binary.
    pub fn embedded() -> Catalog {
        // The embedded document is validated by a unit test, so this cannot fail at run time.
        Catalog::from_toml(EMBEDDED).unwrap_or_default()
    }

    /// Reads a catalog document; every error names the service and field at fault.
    pub fn from_toml(text: &str) -> Result<Catalog, CatalogError> {
        let document: Document = toml::from_str(text).map_err(|e| CatalogError(e.to_string()))?;
        let mut services = Vec::with_capacity(document.service.len());
        for raw in document.service {
            let at = |what: String| CatalogError(format!("service {:?}: {what}", raw.id));
            let transport = match raw.protocol.as_str() {
                "tcp" => Transport::Tcp,
                "udp" => Transport::Udp,
                other => return Err(at(format!("protocol {other:?} is not tcp or udp"))),
            };
            let ports = raw
                .ports
                .iter()
                .map(|p| parse_ports(p).map_err(&at))
                .collect::<Result<Vec<_>, _>>()?;
            if ports.is_empty() {
                return Err(at("has no ports".into()));
            }
            let severity = raw.severity.parse::<Severity>().map_err(at)?;
            if services.iter().any(|s: &Service| s.id == raw.id) {
                return Err(CatalogError(format!(
                    "service id {:?} appears twice",
                    raw.id
                )));
            }
            services.push(Service {
                id: raw.id,
                name: raw.name,
                family: raw.family,
                transport,
                ports,
                severity,
                why: raw.why,
            });
        }
        Ok(Catalog { services })
    }

    pub fn family(&self, family: Family) -> impl Iterator<Item = &Service> {
        self.services.iter().filter(move |s| s.family == family)
    }
}

fn port(value: i64) -> Result<u16, String> {
    u16::try_from(value).map_err(|_| format!("port {value} is outside 0-65535"))
}

fn parse_ports(raw: &RawPorts) -> Result<PortRange, String> {
    match raw {
        RawPorts::One(p) => Ok(PortRange::single(port(*p)?)),
        RawPorts::Range(text) => {
            let (from, to) = text.split_once('-').unwrap_or((text, text));
            let number = |s: &str| {
                s.trim()
                    .parse::<i64>()
                    .map_err(|_| format!("{text:?} is not a port or a from-to range"))
            };
            let (from, to) = (port(number(from)?)?, port(number(to)?)?);
            PortRange::new(from, to).ok_or_else(|| format!("range {text:?} is reversed"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_catalog_is_valid() {
        let catalog = Catalog::from_toml(EMBEDDED).unwrap();
        assert!(catalog.services.len() > 30);
    }

    #[test]
    fn cassandra_family_is_exactly_the_documented_ports() {
        let mut ports: Vec<u16> = Catalog::embedded()
            .family(Family::Cassandra)
            .flat_map(|s| s.ports.iter().map(|p| p.from))
            .collect();
        ports.sort_unstable();
        assert_eq!(ports, [5599, 7000, 7001, 7199, 9042, 9142, 9160]);
    }

    #[test]
    fn bad_catalog_entries_are_named() {
        let text = r#"
            [[service]]
            id = "x"
            name = "X"
            family = "database"
            protocol = "tcp"
            ports = [70000]
            severity = "high"
            why = "."
        "#;
        let err = Catalog::from_toml(text).unwrap_err().to_string();
        assert!(err.contains("\"x\"") && err.contains("70000"), "{err}");
        let err = Catalog::from_toml(&text.replace("[70000]", "[\"9-1\"]"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("reversed"), "{err}");
        let err = Catalog::from_toml(&text.replace("tcp", "sctp").replace("70000", "1"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("sctp"), "{err}");
    }
}
