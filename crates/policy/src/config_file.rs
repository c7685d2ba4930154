//! `ringfence.toml`: the port catalog, the common-ports list, trusted networks, severity
//! overrides, naming rules, which checks run, and the wide-range threshold. Unknown keys
//! are errors; every error names the key and, where TOML knows it, the line and column.

use crate::{PolicyError, line_col, read};
use ringfence_checks::{Catalog, Check, Config, Family, NamingRules, Service};
use ringfence_exposure::Transport;
use ringfence_exposure::addr::PortSet;
use ringfence_findings::{Enablement, Finding, Severity};
use ringfence_model::{IpNet, PortRange};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Read from the current folder when `--config` is not given.
pub const CONFIG_FILE_NAME: &str = "ringfence.toml";

/// The settings a config file gives, validated.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The file they came from (`None`: no file, the defaults).
    pub source: Option<PathBuf>,
    /// What the checks read: catalog, common ports, wide threshold, trusted networks,
    /// naming rules.
    pub config: Config,
    /// `wide_prefix` was set in the file (the command line's `--wide-prefix` wins).
    pub wide_prefix_set: bool,
    /// Run only these checks (canonical ids); empty: every check.
    pub enable: Vec<&'static str>,
    /// Never run these (canonical ids).
    pub disable: Vec<&'static str>,
    /// Opt-in checks to run besides the default ones (canonical ids).
    pub opt_in: Vec<&'static str>,
    /// A check's severity, replacing its own.
    pub severity: BTreeMap<&'static str, Severity>,
    /// `[trail]`: what `ringfence trail` is tuned by (the command line's flags win).
    pub trail: TrailSettings,
}

/// The `[trail]` section, validated; unset keys are `None` or empty.
#[derive(Clone, Debug, Default)]
pub struct TrailSettings {
    pub flap_window: Option<jiff::SignedDuration>,
    pub burst: Option<(usize, jiff::SignedDuration)>,
    pub root_allowed: Vec<String>,
    pub snapshot_regions: Option<Vec<String>>,
    pub instance_types: Vec<String>,
    pub business_hours: Option<ringfence_trail::BusinessHours>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    wide_prefix: Option<Spanned<i64>>,
    wide_prefix_v6: Option<Spanned<i64>>,
    common_ports: Option<Vec<Spanned<RawPorts>>>,
    #[serde(default)]
    trusted_cidrs: Vec<Spanned<String>>,
    #[serde(default)]
    checks: RawChecks,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    naming: RawNaming,
    #[serde(default)]
    hygiene: RawHygiene,
    #[serde(default)]
    catalog: RawCatalog,
    #[serde(default)]
    trail: RawTrail,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTrail {
    flap_window: Option<Spanned<String>>,
    burst_changes: Option<Spanned<i64>>,
    burst_window: Option<Spanned<String>>,
    #[serde(default)]
    root_allowed: Vec<String>,
    snapshot_regions: Option<Vec<String>>,
    #[serde(default)]
    instance_types: Vec<String>,
    business_hours: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHygiene {
    max_groups_per_instance: Option<Spanned<i64>>,
    max_port_range: Option<Spanned<i64>>,
    #[serde(default)]
    bastion_cidrs: Vec<Spanned<String>>,
    #[serde(default)]
    bastion_groups: Vec<String>,
    #[serde(default)]
    cassandra_cluster_groups: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawChecks {
    #[serde(default)]
    enable: Vec<Spanned<String>>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    opt_in: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawNaming {
    security_group: Option<Spanned<String>>,
    instance: Option<Spanned<String>>,
    #[serde(default)]
    forbidden_words: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    #[serde(default)]
    service: Vec<RawService>,
}

/// A catalog entry: a new service (every field), or an override of an embedded one by
/// its id (only the fields given change).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    id: Spanned<String>,
    name: Option<String>,
    family: Option<Family>,
    protocol: Option<Spanned<String>>,
    ports: Option<Vec<Spanned<RawPorts>>>,
    severity: Option<Spanned<String>>,
    why: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum RawPorts {
    One(i64),
    Range(String),
}

fn trail_settings(at: &Locator<'_>, raw: &RawTrail) -> Result<TrailSettings, PolicyError> {
    let duration = |key: &str, value: &Spanned<String>| {
        ringfence_trail::parse_duration(value.get_ref()).map_err(|e| at.at(key, value, e))
    };
    let flap_window = raw
        .flap_window
        .as_ref()
        .map(|v| duration("trail.flap_window", v))
        .transpose()?;
    let burst = match (&raw.burst_changes, &raw.burst_window) {
        (None, None) => None,
        (changes, window) => {
            let changes = match changes {
                Some(n) => count(at, "trail.burst_changes", n, 2)?,
                None => 20,
            };
            let window = match window {
                Some(w) => duration("trail.burst_window", w)?,
                None => jiff::SignedDuration::from_mins(10),
            };
            Some((changes, window))
        }
    };
    let business_hours = raw
        .business_hours
        .as_ref()
        .map(|v| {
            ringfence_trail::BusinessHours::parse(v.get_ref())
                .map_err(|e| at.at("trail.business_hours", v, e))
        })
        .transpose()?;
    Ok(TrailSettings {
        flap_window,
        burst,
        root_allowed: raw.root_allowed.clone(),
        snapshot_regions: raw.snapshot_regions.clone(),
        instance_types: raw.instance_types.clone(),
        business_hours,
    })
}

/// Builds errors that point into the file.
struct Locator<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Locator<'_> {
    fn at<T>(&self, key: &str, spanned: &Spanned<T>, what: impl std::fmt::Display) -> PolicyError {
        let (line, col) = line_col(self.text, spanned.span().start);
        PolicyError::new(
            self.path,
            format!("line {line}, column {col}: `{key}`: {what}"),
        )
    }
}

impl Settings {
    /// `--config FILE` when given (it must exist), else `ringfence.toml` in the current
    /// folder when there is one, else the defaults.
    pub fn locate(explicit: Option<&Path>) -> Result<Settings, PolicyError> {
        match explicit {
            Some(path) => Settings::load(path),
            None => {
                let path = Path::new(CONFIG_FILE_NAME);
                if path.is_file() {
                    Settings::load(path)
                } else {
                    Ok(Settings::default())
                }
            }
        }
    }

    pub fn load(path: &Path) -> Result<Settings, PolicyError> {
        Settings::parse(&read(path)?, path)
    }

    /// Parses and validates a config document; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Settings, PolicyError> {
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| PolicyError::new(path, e.to_string().trim_end().to_string()))?;
        let at = Locator { path, text };
        let mut settings = Settings {
            source: Some(path.to_path_buf()),
            ..Settings::default()
        };
        let config = &mut settings.config;

        if let Some(prefix) = &raw.wide_prefix {
            config.wide.v4_prefix = prefix_len(&at, "wide_prefix", prefix, 32)?;
            settings.wide_prefix_set = true;
        }
        if let Some(prefix) = &raw.wide_prefix_v6 {
            config.wide.v6_prefix = prefix_len(&at, "wide_prefix_v6", prefix, 128)?;
        }
        if let Some(list) = &raw.common_ports {
            let mut ranges = Vec::with_capacity(list.len());
            for entry in list {
                let range =
                    parse_ports(entry.get_ref()).map_err(|e| at.at("common_ports", entry, e))?;
                ranges.push((range.from, range.to));
            }
            config.common_ports = ranges.into_iter().collect::<PortSet>();
        }
        for cidr in &raw.trusted_cidrs {
            config
                .trusted_cidrs
                .push(cidr_of(&at, "trusted_cidrs", cidr)?);
        }
        let hygiene = &mut config.hygiene;
        if let Some(n) = &raw.hygiene.max_groups_per_instance {
            hygiene.max_groups_per_instance = count(&at, "hygiene.max_groups_per_instance", n, 1)?;
        }
        if let Some(n) = &raw.hygiene.max_port_range {
            let ports = count(&at, "hygiene.max_port_range", n, 1)?;
            hygiene.max_port_range = u32::try_from(ports.min(65536)).unwrap_or(65536);
        }
        for cidr in &raw.hygiene.bastion_cidrs {
            hygiene
                .bastion_cidrs
                .push(cidr_of(&at, "hygiene.bastion_cidrs", cidr)?);
        }
        hygiene.bastion_groups = raw.hygiene.bastion_groups.clone();
        hygiene.cassandra_cluster_groups = raw.hygiene.cassandra_cluster_groups.clone();
        config.naming = NamingRules {
            security_group: regex_rule(&at, "naming.security_group", &raw.naming.security_group)?,
            instance: regex_rule(&at, "naming.instance", &raw.naming.instance)?,
            forbidden_words: raw.naming.forbidden_words.clone(),
        };
        for service in &raw.catalog.service {
            apply_service(&at, &mut config.catalog, service)?;
        }

        settings.trail = trail_settings(&at, &raw.trail)?;
        settings.enable = check_ids(&at, "checks.enable", &raw.checks.enable)?;
        settings.disable = check_ids(&at, "checks.disable", &raw.checks.disable)?;
        settings.opt_in = check_ids(&at, "checks.opt_in", &raw.checks.opt_in)?;
        for (key, value) in &raw.severity {
            let name = format!("severity.{key}");
            let check = ringfence_checks::find(key).ok_or_else(|| {
                at.at(
                    &name,
                    value,
                    "no check has this id or alias (`ringfence checks` lists them)",
                )
            })?;
            let severity = value
                .get_ref()
                .parse::<Severity>()
                .map_err(|e| at.at(&name, value, e))?;
            settings.severity.insert(check.meta.id, severity);
        }
        Ok(settings)
    }

    /// The checks to run, given the command line's selection: `--checks` replaces the
    /// file's `enable`; `--exclude-checks` adds to its `disable`; `min_severity` compares
    /// the severity after overrides. Without `--checks` or `enable`, the checks that run by
    /// default plus the file's `opt_in`; a check named anywhere runs whatever its
    /// enablement.
    pub fn select(
        &self,
        from_command_line: Vec<&'static Check>,
        checks_given: bool,
        min_severity: Option<Severity>,
    ) -> Vec<&'static Check> {
        from_command_line
            .into_iter()
            .filter(|c| {
                let id = &c.meta.id;
                checks_given
                    || self.enable.contains(id)
                    || self.opt_in.contains(id)
                    || (self.enable.is_empty() && self.runs_by_default(c))
            })
            .filter(|c| !self.disable.contains(&c.meta.id))
            .filter(|c| min_severity.is_none_or(|min| self.severity_of(c) >= min))
            .collect()
    }

    /// Whether a plain scan runs the check: on by default, or its config key is set.
    pub fn runs_by_default(&self, check: &Check) -> bool {
        match check.meta.enablement {
            Enablement::Default => true,
            Enablement::OptIn => false,
            Enablement::WhenConfigured(key) => self.config.is_configured(key),
        }
    }

    /// A check's severity after the file's override.
    pub fn severity_of(&self, check: &Check) -> Severity {
        self.severity
            .get(check.meta.id)
            .copied()
            .unwrap_or(check.meta.severity)
    }

    /// Applies severity overrides: the check's severity becomes the override, and its
    /// latent and blocked findings stay as many steps below it as they were below the
    /// check's own.
    pub fn apply_severity(&self, findings: &mut [Finding]) {
        if self.severity.is_empty() {
            return;
        }
        for finding in findings {
            let (Some(&target), Some(check)) = (
                self.severity.get(finding.check_id),
                ringfence_checks::find(finding.check_id),
            ) else {
                continue;
            };
            let below = rank(check.meta.severity) - rank(finding.severity);
            finding.severity = from_rank(rank(target) - below.max(0));
        }
    }
}

fn rank(severity: Severity) -> i32 {
    match severity {
        Severity::Info => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

fn from_rank(rank: i32) -> Severity {
    match rank {
        i32::MIN..=0 => Severity::Info,
        1 => Severity::Low,
        2 => Severity::Medium,
        3 => Severity::High,
        _ => Severity::Critical,
    }
}

fn prefix_len(
    at: &Locator<'_>,
    key: &str,
    value: &Spanned<i64>,
    max: i64,
) -> Result<u8, PolicyError> {
    let n = *value.get_ref();
    if (0..=max).contains(&n) {
        Ok(n as u8)
    } else {
        Err(at.at(key, value, format!("{n} is not a prefix length 0-{max}")))
    }
}

fn cidr_of(at: &Locator<'_>, key: &str, cidr: &Spanned<String>) -> Result<IpNet, PolicyError> {
    let net = cidr.get_ref().trim().parse::<IpNet>().map_err(|_| {
        at.at(
            key,
            cidr,
            format!(
                "{:?} is not an IPv4 or IPv6 CIDR (e.g. 203.0.113.0/24)",
                cidr.get_ref()
            ),
        )
    })?;
    if net.trunc() != net {
        return Err(at.at(
            key,
            cidr,
            format!("{net} has host bits set (did you mean {}?)", net.trunc()),
        ));
    }
    Ok(net)
}

fn count(
    at: &Locator<'_>,
    key: &str,
    value: &Spanned<i64>,
    min: i64,
) -> Result<usize, PolicyError> {
    let n = *value.get_ref();
    usize::try_from(n).ok().filter(|_| n >= min).ok_or_else(|| {
        at.at(
            key,
            value,
            format!("{n} is not a whole number of at least {min}"),
        )
    })
}

fn regex_rule(
    at: &Locator<'_>,
    key: &str,
    value: &Option<Spanned<String>>,
) -> Result<Option<String>, PolicyError> {
    let Some(pattern) = value else {
        return Ok(None);
    };
    regex::Regex::new(pattern.get_ref())
        .map_err(|e| at.at(key, pattern, format!("not a regular expression: {e}")))?;
    Ok(Some(pattern.get_ref().clone()))
}

fn check_ids(
    at: &Locator<'_>,
    key: &str,
    names: &[Spanned<String>],
) -> Result<Vec<&'static str>, PolicyError> {
    names
        .iter()
        .map(|name| {
            ringfence_checks::find(name.get_ref())
                .map(|c| c.meta.id)
                .ok_or_else(|| {
                    at.at(
                        key,
                        name,
                        format!(
                            "no check has the id or alias {:?} (`ringfence checks` lists them)",
                            name.get_ref()
                        ),
                    )
                })
        })
        .collect()
}

fn apply_service(
    at: &Locator<'_>,
    catalog: &mut Catalog,
    raw: &RawService,
) -> Result<(), PolicyError> {
    let id = raw.id.get_ref();
    let key = |field: &str| format!("catalog.service[{id}].{field}");
    let transport = match &raw.protocol {
        None => None,
        Some(p) => Some(match p.get_ref().as_str() {
            "tcp" => Transport::Tcp,
            "udp" => Transport::Udp,
            other => {
                return Err(at.at(&key("protocol"), p, format!("{other:?} is not tcp or udp")));
            }
        }),
    };
    let ports = match &raw.ports {
        None => None,
        Some(list) => {
            let mut ranges = Vec::with_capacity(list.len());
            for entry in list {
                ranges.push(
                    parse_ports(entry.get_ref()).map_err(|e| at.at(&key("ports"), entry, e))?,
                );
            }
            if ranges.is_empty() {
                return Err(at.at(&key("ports"), &raw.id, "a service needs at least one port"));
            }
            Some(ranges)
        }
    };
    let severity = match &raw.severity {
        None => None,
        Some(s) => Some(
            s.get_ref()
                .parse::<Severity>()
                .map_err(|e| at.at(&key("severity"), s, e))?,
        ),
    };
    if let Some(existing) = catalog.services.iter_mut().find(|s| s.id == *id) {
        if let Some(name) = &raw.name {
            existing.name = name.clone();
        }
        if let Some(family) = raw.family {
            existing.family = family;
        }
        if let Some(transport) = transport {
            existing.transport = transport;
        }
        if let Some(ports) = ports {
            existing.ports = ports;
        }
        if let Some(severity) = severity {
            existing.severity = severity;
        }
        if let Some(why) = &raw.why {
            existing.why = why.clone();
        }
        return Ok(());
    }
    let missing = |field: &str| {
        at.at(
            &key(field),
            &raw.id,
            format!("a new service (no embedded service has id {id:?}) needs `{field}`"),
        )
    };
    catalog.services.push(Service {
        id: id.clone(),
        name: raw.name.clone().ok_or_else(|| missing("name"))?,
        family: raw.family.ok_or_else(|| missing("family"))?,
        transport: transport.ok_or_else(|| missing("protocol"))?,
        ports: ports.ok_or_else(|| missing("ports"))?,
        severity: severity.ok_or_else(|| missing("severity"))?,
        why: raw.why.clone().ok_or_else(|| missing("why"))?,
    });
    Ok(())
}

fn parse_ports(raw: &RawPorts) -> Result<PortRange, String> {
    let port =
        |value: i64| u16::try_from(value).map_err(|_| format!("port {value} is outside 0-65535"));
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

    fn parse(text: &str) -> Result<Settings, String> {
        Settings::parse(text, Path::new("ringfence.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn an_empty_file_gives_the_defaults() {
        let settings = parse("").unwrap();
        assert_eq!(settings.config.wide.v4_prefix, 8);
        assert_eq!(settings.config.catalog, Catalog::embedded());
        assert!(settings.enable.is_empty() && settings.severity.is_empty());
    }

    #[test]
    fn the_hygiene_section_and_opt_in_checks_are_read() {
        let settings = parse(
            r#"
[checks]
opt_in = ["vpc_flow_logs_enabled", "CloudTrail.1"]

[hygiene]
max_groups_per_instance = 3
max_port_range = 1
bastion_cidrs = ["10.0.100.0/24"]
bastion_groups = ["bastion", "sg-0123"]
cassandra_cluster_groups = ["cassandra-ring"]
"#,
        )
        .unwrap();
        assert_eq!(
            settings.opt_in,
            ["vpc_flow_logs_enabled", "cloudtrail_multi_region_enabled"]
        );
        let h = &settings.config.hygiene;
        assert_eq!((h.max_groups_per_instance, h.max_port_range), (3, 1));
        assert_eq!(h.bastion_cidrs, ["10.0.100.0/24".parse::<IpNet>().unwrap()]);
        assert_eq!(h.bastion_groups, ["bastion", "sg-0123"]);
        assert_eq!(h.cassandra_cluster_groups, ["cassandra-ring"]);
    }

    #[test]
    fn hygiene_values_are_validated_with_their_place() {
        for (text, wanted) in [
            (
                "[hygiene]\nmax_groups_per_instance = 0\n",
                "hygiene.max_groups_per_instance",
            ),
            ("[hygiene]\nmax_port_range = -3\n", "hygiene.max_port_range"),
            ("[hygiene]\nbastion_cidrs = [\"10.0.0.1/8\"]\n", "host bits"),
            ("[hygiene]\nbastion = []\n", "unknown field"),
            ("[checks]\nopt_in = [\"nope\"]\n", "checks.opt_in"),
        ] {
            let error = parse(text).unwrap_err();
            assert!(error.contains(wanted), "{text}: {error}");
        }
    }

    #[test]
    fn opt_in_checks_run_only_when_asked_for() {
        let all = ringfence_checks::REGISTRY.to_vec();
        let ids = |checks: Vec<&'static Check>| -> Vec<&'static str> {
            checks.into_iter().map(|c| c.meta.id).collect()
        };
        let plain = ids(Settings::default().select(all.clone(), false, None));
        assert!(plain.contains(&"ec2_securitygroup_not_used"));
        assert!(!plain.contains(&"vpc_flow_logs_enabled"));
        // Named on the command line: runs.
        let named = ids(Settings::default().select(
            vec![ringfence_checks::find("vpc_flow_logs_enabled").unwrap()],
            true,
            None,
        ));
        assert_eq!(named, ["vpc_flow_logs_enabled"]);
        // Added by the file: runs beside the defaults.
        let settings = parse("[checks]\nopt_in = [\"vpc_flow_logs_enabled\"]\n").unwrap();
        let added = ids(settings.select(all.clone(), false, None));
        assert!(
            added.contains(&"vpc_flow_logs_enabled")
                && added.contains(&"ec2_securitygroup_not_used")
        );
        // Waiting for its config key: off in a plain scan until the key is set.
        let bastion = "ec2_securitygroup_admin_ports_beyond_bastion";
        assert!(!plain.contains(&bastion));
        let settings = parse("[hygiene]\nbastion_groups = [\"bastion\"]\n").unwrap();
        assert!(ids(settings.select(all.clone(), false, None)).contains(&bastion));
        // Named in `enable`: runs, alone.
        let settings = parse("[checks]\nenable = [\"vpc_flow_logs_enabled\"]\n").unwrap();
        assert_eq!(
            ids(settings.select(all, false, None)),
            ["vpc_flow_logs_enabled"]
        );
    }

    #[test]
    fn every_section_is_read() {
        let settings = parse(
            r#"
wide_prefix = 12
common_ports = [80, 443, "8000-8080"]
trusted_cidrs = ["203.0.113.0/24", "2001:db8::/32"]

[checks]
disable = ["EC2-034"]

[severity]
ec2_securitygroup_wide_public_range_to_sensitive_ports = "medium"

[naming]
security_group = "^(web|db)-[a-z0-9-]+$"
forbidden_words = ["password"]

[[catalog.service]]
id = "cassandra-cql"
severity = "high"

[[catalog.service]]
id = "internal-admin"
name = "Internal admin console"
family = "remote-access"
protocol = "tcp"
ports = [8443]
severity = "critical"
why = "Administers everything."
"#,
        )
        .unwrap();
        assert_eq!(settings.config.wide.v4_prefix, 12);
        assert!(settings.wide_prefix_set);
        assert!(settings.config.common_ports.contains(8080));
        assert!(!settings.config.common_ports.contains(22));
        assert_eq!(settings.config.trusted_cidrs.len(), 2);
        assert_eq!(
            settings.disable,
            ["ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports"]
        );
        assert_eq!(
            settings.severity["ec2_securitygroup_wide_public_range_to_sensitive_ports"],
            Severity::Medium
        );
        let cql = settings
            .config
            .catalog
            .services
            .iter()
            .find(|s| s.id == "cassandra-cql")
            .unwrap();
        assert_eq!(cql.severity, Severity::High);
        assert_eq!(cql.ports, [PortRange::single(9042)]);
        assert!(
            settings
                .config
                .catalog
                .services
                .iter()
                .any(|s| s.id == "internal-admin")
        );
        assert_eq!(
            settings.config.naming.forbidden_words,
            ["password".to_string()]
        );
    }

    #[test]
    fn trail_settings_are_validated_where_they_are() {
        let settings =
            parse("[trail]\nflap_window = \"45m\"\nsnapshot_regions = [\"eu-west-1\"]\n").unwrap();
        assert_eq!(
            settings.trail.flap_window,
            Some(jiff::SignedDuration::from_mins(45))
        );
        assert_eq!(
            settings.trail.snapshot_regions.as_deref(),
            Some(&["eu-west-1".to_string()][..])
        );
        for (bad, needle) in [
            ("[trail]\nflap_window = \"soon\"\n", "trail.flap_window"),
            ("[trail]\nburst_changes = 1\n", "trail.burst_changes"),
            (
                "[trail]\nbusiness_hours = \"Mon-Fri 9-5\"\n",
                "trail.business_hours",
            ),
            ("[trail]\nwindow = \"5m\"\n", "unknown field"),
        ] {
            let error = parse(bad).unwrap_err().to_string();
            assert!(error.contains(needle), "{bad}: {error}");
        }
    }

    #[test]
    fn errors_name_the_key_and_the_place() {
        let cases = [
            ("colour = 1\n", "colour"),
            ("[checks]\nenable = [\"no_such_check\"]\n", "checks.enable"),
            (
                "[severity]\nno_such_check = \"high\"\n",
                "severity.no_such_check",
            ),
            ("[severity]\nEC2-034 = \"severe\"\n", "severe"),
            ("trusted_cidrs = [\"10.0.0.1/8\"]\n", "host bits"),
            ("trusted_cidrs = [\"office\"]\n", "trusted_cidrs"),
            ("common_ports = [70000]\n", "common_ports"),
            ("wide_prefix = 40\n", "wide_prefix"),
            ("[naming]\ninstance = \"(\"\n", "naming.instance"),
            (
                "[[catalog.service]]\nid = \"new\"\nname = \"New\"\n",
                "catalog.service[new].family",
            ),
            (
                "[[catalog.service]]\nid = \"cassandra-cql\"\nprotocol = \"sctp\"\n",
                "sctp",
            ),
            ("[[catalog.service]]\nid = \"x\"\nport = 1\n", "port"),
        ];
        for (text, expected) in cases {
            let err = parse(text).unwrap_err();
            assert!(err.starts_with("ringfence.toml: "), "{err}");
            assert!(err.contains(expected), "{text:?} gave {err}");
            assert!(err.contains("line"), "{text:?} gave {err}");
        }
    }

    #[test]
    fn severity_overrides_keep_the_grading() {
        let settings =
            parse("[severity]\nec2_instance_port_cassandra_exposed_to_internet = \"medium\"\n")
                .unwrap();
        let check =
            ringfence_checks::find("ec2_instance_port_cassandra_exposed_to_internet").unwrap();
        let resource = ringfence_findings::Resource {
            kind: ringfence_findings::ResourceType::AwsEc2Instance,
            id: "i-1".into(),
            name: None,
            region: "us-east-1".into(),
            account: None,
            location: None,
        };
        let finding = |severity| {
            Finding::new(
                &check.meta,
                ringfence_findings::Status::Fail,
                resource.clone(),
                String::new(),
            )
            .with_severity(severity)
        };
        let mut findings = vec![
            finding(Severity::Critical),
            finding(Severity::High),
            finding(Severity::Low),
        ];
        settings.apply_severity(&mut findings);
        let got: Vec<_> = findings.iter().map(|f| f.severity).collect();
        assert_eq!(got, [Severity::Medium, Severity::Low, Severity::Info]);
        assert_eq!(settings.severity_of(check), Severity::Medium);
    }
}
