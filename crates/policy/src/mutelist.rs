//! The mutelist: findings to report as muted (never dropped, never failing the exit
//! code), each rule with the reason it was accepted and, optionally, the last day it holds.
//!
//! The document is Prowler's Mutelist shape in YAML (JSON is YAML too), with globs:
//!
//! ```yaml
//! Mutelist:
//!   Accounts:
//!     "123456789012":                # account id glob ("*": any)
//!       Checks:
//!         "ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports":  # id or alias glob
//!           Regions: ["us-east-1"]   # globs; default ["*"]
//!           Resources: ["sg-0abc*"]  # globs over id, Name and ARN; default ["*"]
//!           Tags: ["team=research"]  # key=value globs, all must match; optional
//!           Reason: "Public research mirror, approved in SEC-123"   # required
//!           Expires: 2026-06-30      # optional, last day muted (UTC)
//! ```

use crate::{PolicyError, glob_match, read};
use ringfence_findings::time::Date;
use ringfence_findings::{ExpiredMute, Finding, MutelistOutcome, Report, Status};
use saphyr::{LoadableYamlNode, MarkedYaml};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mutelist {
    pub source: PathBuf,
    pub rules: Vec<MuteRule>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MuteRule {
    pub account: String,
    pub check: String,
    pub regions: Vec<String>,
    pub resources: Vec<String>,
    /// `key=value` globs (or `key` alone: the tag exists).
    pub tags: Vec<String>,
    pub reason: String,
    pub expires: Option<Date>,
    /// Where the rule starts in the file.
    pub line: usize,
}

type Node<'a> = MarkedYaml<'a>;

struct Reader<'a> {
    path: &'a Path,
}

impl Reader<'_> {
    fn err(&self, node: &Node<'_>, message: impl std::fmt::Display) -> PolicyError {
        let start = node.span.start;
        PolicyError::new(
            self.path,
            format!(
                "line {}, column {}: {message}",
                start.line(),
                start.col() + 1
            ),
        )
    }

    fn mapping<'n, 'i>(
        &self,
        node: &'n Node<'i>,
        what: &str,
    ) -> Result<Vec<(String, &'n Node<'i>, &'n Node<'i>)>, PolicyError> {
        let map = node
            .data
            .as_mapping()
            .ok_or_else(|| self.err(node, format!("{what} must be a mapping")))?;
        map.iter()
            .map(|(k, v)| Ok((self.scalar(k, what)?, k, v)))
            .collect()
    }

    /// A scalar as text: strings, and numbers written bare (account ids).
    fn scalar(&self, node: &Node<'_>, what: &str) -> Result<String, PolicyError> {
        if let Some(s) = node.data.as_str() {
            Ok(s.to_string())
        } else if let Some(n) = node.data.as_integer() {
            Ok(n.to_string())
        } else {
            Err(self.err(node, format!("{what}: expected a string")))
        }
    }

    fn strings(&self, node: &Node<'_>, what: &str) -> Result<Vec<String>, PolicyError> {
        match node.data.as_sequence() {
            Some(items) => items.iter().map(|i| self.scalar(i, what)).collect(),
            None => Ok(vec![self.scalar(node, what)?]),
        }
    }
}

impl Mutelist {
    pub fn load(path: &Path) -> Result<Mutelist, PolicyError> {
        Mutelist::parse(&read(path)?, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Mutelist, PolicyError> {
        let r = Reader { path };
        let docs = Node::load_from_str(text).map_err(|e| {
            PolicyError::new(
                path,
                format!(
                    "line {}, column {}: not valid YAML: {}",
                    e.marker().line(),
                    e.marker().col() + 1,
                    e.info()
                ),
            )
        })?;
        let [root] = docs.as_slice() else {
            return Err(PolicyError::new(
                path,
                "expected one YAML document with a top-level `Mutelist:` key",
            ));
        };
        let mut rules = Vec::new();
        let mut accounts_node = None;
        for (key, key_node, value) in r.mapping(root, "the document")? {
            match key.as_str() {
                "Mutelist" => {
                    for (key, key_node, value) in r.mapping(value, "Mutelist")? {
                        match key.as_str() {
                            "Accounts" => accounts_node = Some(value),
                            other => {
                                return Err(r.err(
                                    key_node,
                                    format!("unknown key `Mutelist.{other}` (expected `Accounts`)"),
                                ));
                            }
                        }
                    }
                }
                other => {
                    return Err(r.err(
                        key_node,
                        format!("unknown key `{other}` (expected `Mutelist`)"),
                    ));
                }
            }
        }
        let Some(accounts) = accounts_node else {
            return Err(r.err(root, "missing `Mutelist.Accounts`"));
        };
        for (account, account_key, account_value) in r.mapping(accounts, "Mutelist.Accounts")? {
            let mut checks_node = None;
            for (key, key_node, value) in
                r.mapping(account_value, &format!("account {account:?}"))?
            {
                match key.as_str() {
                    "Checks" => checks_node = Some(value),
                    other => {
                        return Err(r.err(
                            key_node,
                            format!("unknown key `{other}` under account {account:?} (expected `Checks`)"),
                        ));
                    }
                }
            }
            let checks = checks_node.ok_or_else(|| {
                r.err(account_key, format!("account {account:?} has no `Checks`"))
            })?;
            for (check, check_key, body) in r.mapping(checks, "Checks")? {
                let at = format!("account {account:?}, check {check:?}");
                let mut rule = MuteRule {
                    account: account.clone(),
                    check: check.clone(),
                    regions: vec!["*".into()],
                    resources: vec!["*".into()],
                    tags: Vec::new(),
                    reason: String::new(),
                    expires: None,
                    line: check_key.span.start.line(),
                };
                for (key, key_node, value) in r.mapping(body, &at)? {
                    match key.as_str() {
                        "Regions" => rule.regions = r.strings(value, "Regions")?,
                        "Resources" => rule.resources = r.strings(value, "Resources")?,
                        "Tags" => rule.tags = r.strings(value, "Tags")?,
                        "Reason" | "Description" => {
                            rule.reason = r.scalar(value, &key)?.trim().to_string()
                        }
                        "Expires" => {
                            let text = r.scalar(value, "Expires")?;
                            rule.expires = Some(Date::parse(&text).ok_or_else(|| {
                                r.err(
                                    value,
                                    format!("Expires {text:?} is not a date (YYYY-MM-DD)"),
                                )
                            })?);
                        }
                        "Exceptions" => {
                            return Err(r.err(
                                key_node,
                                "`Exceptions` is not supported: write narrower Resources, Regions or Tags",
                            ));
                        }
                        other => {
                            return Err(r.err(
                                key_node,
                                format!(
                                    "unknown key `{other}` in the rule for {at} (expected Regions, Resources, Tags, Reason, Expires)"
                                ),
                            ));
                        }
                    }
                }
                if rule.reason.is_empty() {
                    return Err(r.err(
                        check_key,
                        format!(
                            "the rule for {at} has no `Reason`: every mute says why it was accepted"
                        ),
                    ));
                }
                rules.push(rule);
            }
        }
        Ok(Mutelist {
            source: path.to_path_buf(),
            rules,
        })
    }

    /// Mutes the failing findings a live rule matches (the first such rule gives the
    /// reason); rules past their date mute nothing and are listed as expired.
    pub fn apply(
        &self,
        report: &mut Report,
        today: Date,
        tags: &dyn Fn(&Finding) -> Vec<(String, String)>,
    ) {
        let mut expired: Vec<(usize, usize)> = self
            .rules
            .iter()
            .enumerate()
            .filter(|(_, rule)| rule.is_expired(today))
            .map(|(i, _)| (i, 0))
            .collect();
        let mut muted = 0;
        for finding in report
            .findings
            .iter_mut()
            .filter(|f| f.status == Status::Fail)
        {
            let finding_tags = tags(finding);
            for (i, rule) in self.rules.iter().enumerate() {
                if !rule.matches(finding, &finding_tags) {
                    continue;
                }
                if rule.is_expired(today) {
                    if let Some(entry) = expired.iter_mut().find(|(j, _)| *j == i) {
                        entry.1 += 1;
                    }
                    continue;
                }
                finding.muted = true;
                finding.mute_reason = Some(rule.reason.clone());
                finding.mute_expires = rule.expires.map(|d| d.to_string());
                muted += 1;
                break;
            }
        }
        report.mutelist = Some(MutelistOutcome {
            source: self.source.display().to_string(),
            rules: self.rules.len(),
            muted,
            expired: expired
                .into_iter()
                .map(|(i, findings)| {
                    let rule = &self.rules[i];
                    ExpiredMute {
                        account: rule.account.clone(),
                        check: rule.check.clone(),
                        regions: rule.regions.clone(),
                        resources: rule.resources.clone(),
                        tags: rule.tags.clone(),
                        reason: rule.reason.clone(),
                        expires: rule.expires.map(|d| d.to_string()).unwrap_or_default(),
                        findings,
                    }
                })
                .collect(),
        });
        report.refresh_summary();
    }
}

impl MuteRule {
    /// Past its last day.
    pub fn is_expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|last| today > last)
    }

    pub fn matches(&self, finding: &Finding, tags: &[(String, String)]) -> bool {
        let resource = &finding.resource;
        let account = resource.account.as_deref().unwrap_or("");
        let check_matches = glob_match(&self.check, finding.check_id)
            || ringfence_checks::find(finding.check_id)
                .is_some_and(|c| c.meta.aliases.iter().any(|a| glob_match(&self.check, a.id)));
        let arn = resource.arn();
        glob_match(&self.account, account)
            && check_matches
            && self.regions.iter().any(|r| glob_match(r, &resource.region))
            && self.resources.iter().any(|p| {
                glob_match(p, &resource.id)
                    || glob_match(p, &arn)
                    || resource.name.as_deref().is_some_and(|n| glob_match(p, n))
            })
            && self.tags.iter().all(|pattern| {
                let (key, value) = pattern.split_once('=').unwrap_or((pattern, "*"));
                tags.iter()
                    .any(|(k, v)| glob_match(key, k) && glob_match(value, v))
            })
    }

    /// How the rule is named in warnings.
    pub fn describe(&self, source: &Path) -> String {
        format!(
            "the rule for check {:?} in account {:?} ({}, line {})",
            self.check,
            self.account,
            source.display(),
            self.line
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringfence_findings::{Resource, ResourceType};

    const LIST: &str = r#"
Mutelist:
  Accounts:
    "123456789012":
      Checks:
        "ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports":
          Regions: ["us-east-1"]
          Resources: ["sg-0abc*"]
          Reason: "Approved in SEC-1"
          Expires: 2999-12-31
    "*":
      Checks:
        "EC2-034":
          Resources: ["*"]
          Tags: ["team=research*"]
          Reason: "Research mirrors"
        "ec2_instance_*":
          Resources: ["legacy-*"]
          Reason: "Old exception"
          Expires: 2000-01-01
"#;

    fn parse(text: &str) -> Result<Mutelist, String> {
        Mutelist::parse(text, Path::new("mutelist.yaml")).map_err(|e| e.to_string())
    }

    fn finding(check: &str, id: &str, name: Option<&str>, account: &str) -> Finding {
        let check = ringfence_checks::find(check).unwrap();
        Finding::new(
            &check.meta,
            Status::Fail,
            Resource {
                kind: ResourceType::AwsEc2SecurityGroup,
                id: id.into(),
                name: name.map(str::to_string),
                region: "us-east-1".into(),
                account: Some(account.into()),
                location: None,
            },
            "m".into(),
        )
    }

    #[test]
    fn a_prowler_shaped_list_is_read() {
        let list = parse(LIST).unwrap();
        assert_eq!(list.rules.len(), 3);
        assert_eq!(list.rules[0].account, "123456789012");
        assert_eq!(list.rules[0].resources, ["sg-0abc*"]);
        assert_eq!(list.rules[1].tags, ["team=research*"]);
        assert_eq!(list.rules[2].expires.unwrap().to_string(), "2000-01-01");
    }

    #[test]
    fn rules_match_by_account_check_alias_region_resource_and_tag() {
        let list = parse(LIST).unwrap();
        let uncommon = "ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports";
        let f = finding(uncommon, "sg-0abc1", None, "123456789012");
        assert!(list.rules[0].matches(&f, &[]));
        let other_account = finding(uncommon, "sg-0abc1", None, "999999999999");
        assert!(!list.rules[0].matches(&other_account, &[]));
        let other_group = finding(uncommon, "sg-0def", None, "123456789012");
        assert!(!list.rules[0].matches(&other_group, &[]));
        // By alias (Conformity's EC2-034), only with the tag.
        let tagged = vec![("team".to_string(), "research-eu".to_string())];
        assert!(list.rules[1].matches(&other_group, &tagged));
        assert!(!list.rules[1].matches(&other_group, &[]));
        // By the Name tag.
        let legacy = finding(
            "ec2_instance_port_cassandra_exposed_to_internet",
            "i-1",
            Some("legacy-db"),
            "1",
        );
        assert!(list.rules[2].matches(&legacy, &[]));
    }

    #[test]
    fn mistakes_are_named_with_their_line() {
        let cases = [
            (
                "Mutelist:\n  Accounts:\n    \"*\":\n      Checks:\n        \"*\":\n          Resources: [\"*\"]\n",
                "no `Reason`",
            ),
            (
                "Mutelist:\n  Accounts:\n    \"*\":\n      Checks:\n        \"*\":\n          Reason: x\n          Expires: next week\n",
                "not a date",
            ),
            (
                "Mutelist:\n  Accounts:\n    \"*\":\n      Checks:\n        \"*\":\n          Reason: x\n          Regionz: [a]\n",
                "Regionz",
            ),
            (
                "Mutelist:\n  Accounts:\n    \"*\":\n      Checks:\n        \"*\":\n          Reason: x\n          Exceptions: {}\n",
                "Exceptions",
            ),
            ("Mutelist: [\n", "not valid YAML"),
            ("Allowlist: {}\n", "Allowlist"),
        ];
        for (text, expected) in cases {
            let err = parse(text).unwrap_err();
            assert!(
                err.contains(expected) && err.contains("line"),
                "{text:?} gave {err}"
            );
            assert!(err.starts_with("mutelist.yaml: "), "{err}");
        }
    }
}
