use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Ordered so that `--fail-on high` can compare: `Critical > High > ... > Info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!("unknown severity {s:?} (expected critical, high, medium, low or info)")
            })
    }
}

/// Another tool whose check means the same, so users' mutelists and dashboards carry over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tool {
    Prowler,
    Conformity,
    SecurityHub,
    Checkov,
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Tool::Prowler => "prowler",
            Tool::Conformity => "conformity",
            Tool::SecurityHub => "security-hub",
            Tool::Checkov => "checkov",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Alias {
    pub tool: Tool,
    pub id: &'static str,
}

/// A control of a compliance framework that the check provides evidence for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Compliance {
    pub framework: &'static str,
    pub control: &'static str,
}

/// Everything about a check except its function: the listing, the docs, every report
/// format and the compliance mapping read this, so nothing repeats it.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct CheckMeta {
    /// Stable snake_case id, `<service>_<resource>_<what>`; Prowler's id where Prowler has the check.
    pub id: &'static str,
    /// The bad pattern, stated (never "Ensure ...").
    pub title: &'static str,
    /// The severity of the worst failure; a finding is graded by the worst service it opens.
    pub severity: Severity,
    pub resource_type: crate::ResourceType,
    /// What it does.
    pub description: &'static str,
    /// Why is this bad?
    pub risk: &'static str,
    pub remediation: &'static str,
    pub references: &'static [&'static str],
    pub categories: &'static [&'static str],
    pub compliance: &'static [Compliance],
    pub aliases: &'static [Alias],
    /// Whether a plain `ringfence scan` runs it: hygiene checks that would drown the
    /// exposure findings in noise on most estates are opt-in.
    pub enablement: Enablement,
}

/// When a check runs without being named. Data, so `ringfence checks` can show it and
/// selection can follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Enablement {
    /// Runs in every scan unless excluded.
    Default,
    /// Runs only when asked for: `--checks`, the config file's `checks.enable` or
    /// `checks.opt_in`, or `--compliance` with a framework it maps to.
    OptIn,
    /// Runs in every scan once the named config key is set (a naming convention, the
    /// bastion networks); before that only when asked for, like an opt-in check.
    WhenConfigured(&'static str),
}

impl Enablement {
    /// Runs in a plain scan whatever the config says.
    pub fn is_default(&self) -> bool {
        matches!(self, Enablement::Default)
    }

    /// What `ringfence checks` prints.
    pub fn label(&self) -> String {
        match self {
            Enablement::Default => "on".to_string(),
            Enablement::OptIn => "opt-in".to_string(),
            Enablement::WhenConfigured(key) => format!("when {key} is set"),
        }
    }
}
