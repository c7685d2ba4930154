//! The fix plan: computed from the estate and the failing exposure findings, never from
//! a re-run of the checks.

use crate::permission::{Peer, Permission};
use ipnet::IpNet;
use rayon::prelude::*;
use ringfence_findings::{Finding, Report, RuleEvidence};
use ringfence_model::{Estate, PortRange, Rule, SecurityGroup, Source, Traffic};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// How much a person should look before the fix is applied (ruff's applicability).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Safety {
    /// Removes exactly the flagged access and nothing else.
    Safe,
    /// Replaces or removes a rule that other traffic may use (narrowing a range,
    /// removing a whole rule, an all-protocols rule).
    NeedsReview,
    /// Shown, never applied: ringfence could not tie the evidence to a rule it read.
    DisplayOnly,
}

impl Safety {
    pub fn as_str(&self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::NeedsReview => "needs-review",
            Safety::DisplayOnly => "display-only",
        }
    }
}

/// What the user asked the plan to do beyond closing the flagged ports.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    /// Revoke whole rules; re-authorize nothing of what they also opened.
    pub remove_whole_rule: bool,
    /// Authorize the flagged ports from these CIDRs instead of the internet.
    pub trusted_cidrs: Vec<IpNet>,
    /// Authorize Cassandra's inter-node ports (tcp 7000-7001) from the group itself.
    pub self_internode: bool,
}

/// A protocol and inclusive port range that a check flagged.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// `tcp`, `udp`, or `-1` (every protocol).
    pub protocol: String,
    pub from: u16,
    pub to: u16,
}

/// One rule of a group: revoked, and what goes back in its place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleChange {
    pub revoke: Permission,
    /// Added before the revoke, so no connection that should stay is cut.
    pub authorize: Vec<Permission>,
    /// The ports the checks flagged on this rule.
    pub flagged: Vec<Span>,
    pub safety: Safety,
    /// Why, in words.
    pub reason: String,
    /// The checks whose findings asked for it.
    pub checks: Vec<String>,
}

/// Every change to one security group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupFix {
    pub group_id: String,
    pub group_name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub vpc_id: Option<String>,
    pub region: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub account: Option<String>,
    /// The worst safety of its changes.
    pub safety: Safety,
    pub changes: Vec<RuleChange>,
    /// The group's whole ingress when the plan was made: `fix --apply` refuses the group
    /// when it differs.
    pub ingress_at_scan: Vec<Permission>,
}

/// Evidence that could not be tied to a rule ringfence read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unresolved {
    pub check_id: String,
    pub resource_id: String,
    pub group_id: String,
    pub rule: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The plan document's version (README, "Fixing").
    pub version: u32,
    pub options: Options,
    pub groups: Vec<GroupFix>,
    /// Shown, never applied.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub display_only: Vec<Unresolved>,
}

pub const PLAN_VERSION: u32 = 1;

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.display_only.is_empty()
    }

    /// The fix for every failing exposure finding (muted and baseline-unchanged ones left
    /// alone), one entry per security group.
    pub fn of(estate: &Estate, findings: &[Finding], options: &Options) -> Plan {
        Plan::with_finding_fixes(estate, findings, options).0
    }

    /// The plan, and for each finding (same order) the part of it that closes that
    /// finding: a rule cited by several findings gets one change, closing everything
    /// they flagged on it, and each of them shows it.
    pub fn with_finding_fixes(
        estate: &Estate,
        findings: &[Finding],
        options: &Options,
    ) -> (Plan, Vec<Option<FindingFix>>) {
        let mut groups_by_id: HashMap<&str, Vec<usize>> = HashMap::new();
        for (g, group) in estate.security_groups.iter().enumerate() {
            groups_by_id.entry(group.id.as_str()).or_default().push(g);
        }
        let mut flagged: BTreeMap<(usize, usize), Flags> = BTreeMap::new();
        let mut display_only = Vec::new();
        // Per finding: the rules it cites, and what could not be tied to one.
        let mut cited: Vec<Vec<(usize, usize)>> = vec![Vec::new(); findings.len()];
        let mut untied: Vec<Vec<Unresolved>> = vec![Vec::new(); findings.len()];
        for (f, finding) in findings.iter().enumerate() {
            if !finding.is_failing() {
                continue;
            }
            let Some(exposure) = &finding.exposure else {
                continue;
            };
            for evidence in &exposure.rules {
                match locate(estate, &groups_by_id, finding, evidence) {
                    Ok((g, r)) => {
                        let rule = &estate.security_groups[g].ingress[r];
                        let flags = flagged.entry((g, r)).or_default();
                        for span in &exposure.ports {
                            flags.add(&rule.traffic, span.protocol.as_str(), span.from, span.to);
                        }
                        if !flags.checks.iter().any(|c| c == finding.check_id) {
                            flags.checks.push(finding.check_id.to_string());
                        }
                        cited[f].push((g, r));
                    }
                    Err(reason) => {
                        let unresolved = Unresolved {
                            check_id: finding.check_id.to_string(),
                            resource_id: finding.resource.id.clone(),
                            group_id: evidence.group_id.clone(),
                            rule: describe_evidence(evidence),
                            reason,
                        };
                        if !untied[f].contains(&unresolved) {
                            untied[f].push(unresolved.clone());
                        }
                        if !display_only.contains(&unresolved) {
                            display_only.push(unresolved);
                        }
                    }
                }
            }
        }

        let mut by_group: BTreeMap<usize, Vec<(usize, Flags)>> = BTreeMap::new();
        for ((g, r), flags) in flagged {
            if flags.is_empty() {
                continue;
            }
            by_group.entry(g).or_default().push((r, flags));
        }
        let mut groups = Vec::new();
        // Where each rule's change lands: (group fix, change) by (group, rule) index.
        let mut change_of: HashMap<(usize, usize), (usize, usize)> = HashMap::new();
        for (g, rules) in by_group {
            let group = &estate.security_groups[g];
            let revoked: Vec<usize> = rules.iter().map(|(r, _)| *r).collect();
            let mut kept: Vec<Permission> = group
                .ingress
                .iter()
                .enumerate()
                .filter(|(i, _)| !revoked.contains(i))
                .map(|(_, rule)| Permission::of_rule(rule))
                .collect();
            let mut changes = Vec::new();
            for (r, flags) in rules {
                change_of.insert((g, r), (groups.len(), changes.len()));
                let change = change_for(group, &group.ingress[r], flags, options, &mut kept);
                changes.push(change);
            }
            let scope = estate.scope(group.origin.scope);
            groups.push(GroupFix {
                group_id: group.id.clone(),
                group_name: group.name.clone(),
                vpc_id: group.vpc_id.clone(),
                region: scope.region.clone(),
                account: scope.account.clone().or_else(|| group.owner_id.clone()),
                safety: changes
                    .iter()
                    .map(|c| c.safety)
                    .max()
                    .unwrap_or(Safety::Safe),
                changes,
                ingress_at_scan: group.ingress.iter().map(Permission::of_rule).collect(),
            });
        }

        let per_finding = cited
            .into_iter()
            .zip(untied)
            .map(|(rules, display_only)| {
                let mut changes: Vec<FindingChange> = Vec::new();
                for at in rules {
                    let Some(&(gf, c)) = change_of.get(&at) else {
                        continue;
                    };
                    let group = &groups[gf];
                    let change = &group.changes[c];
                    if !changes
                        .iter()
                        .any(|x| x.group_id == group.group_id && x.change == *change)
                    {
                        changes.push(FindingChange {
                            group_id: group.group_id.clone(),
                            change: change.clone(),
                        });
                    }
                }
                if changes.is_empty() && display_only.is_empty() {
                    return None;
                }
                let safety = if changes.is_empty() {
                    Safety::DisplayOnly
                } else {
                    changes
                        .iter()
                        .map(|c| c.change.safety)
                        .max()
                        .unwrap_or(Safety::Safe)
                };
                Some(FindingFix {
                    safety,
                    changes,
                    display_only,
                })
            })
            .collect();

        groups.sort_by(|a, b| {
            (&a.account, &a.region, &a.group_id).cmp(&(&b.account, &b.region, &b.group_id))
        });
        let plan = Plan {
            version: PLAN_VERSION,
            options: options.clone(),
            groups,
            display_only,
        };
        (plan, per_finding)
    }
}

/// Gives every failing exposure finding of `report` the exact change that closes it:
/// the same plan `ringfence fix` makes (muted and baseline-unchanged findings are left
/// alone).
pub fn attach(
    estate: &Estate,
    report: &mut Report,
    options: &Options,
) -> Result<(), serde_json::Error> {
    let (_, fixes) = Plan::with_finding_fixes(estate, &report.findings, options);
    // Rendered straight to JSON text, in parallel: a large estate has a fix per finding.
    report
        .findings
        .par_iter_mut()
        .zip(fixes)
        .try_for_each(|(finding, fix)| {
            finding.fix = fix
                .map(|fix| serde_json::value::to_raw_value(&fix))
                .transpose()?;
            Ok(())
        })
}

/// What closes one finding: the plan's changes to the rules the finding cites. It is the
/// same change `ringfence fix` makes, so a rule several findings cite appears in each.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingFix {
    /// The worst safety of its changes (display-only when none could be tied to a rule).
    pub safety: Safety,
    pub changes: Vec<FindingChange>,
    /// Evidence that could not be tied to a rule ringfence read: shown, never applied.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub display_only: Vec<Unresolved>,
}

/// One rule change of a [`FindingFix`], with the group it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingChange {
    pub group_id: String,
    #[serde(flatten)]
    pub change: RuleChange,
}

/// The flagged parts of one rule, over every finding that cites it.
#[derive(Debug, Default)]
struct Flags {
    tcp: Vec<PortRange>,
    udp: Vec<PortRange>,
    /// The whole rule is flagged (an all-protocols finding, ICMP, another protocol).
    whole: bool,
    checks: Vec<String>,
}

impl Flags {
    fn is_empty(&self) -> bool {
        !self.whole && self.tcp.is_empty() && self.udp.is_empty()
    }

    /// Records the part of `protocol from-to` that this rule opens.
    fn add(&mut self, traffic: &Traffic, protocol: &str, from: u16, to: u16) {
        let Some(span) = PortRange::new(from, to) else {
            return;
        };
        match (traffic, protocol) {
            (Traffic::Tcp(range), "tcp") => self.tcp.extend(range.intersect(&span)),
            (Traffic::Udp(range), "udp") => self.udp.extend(range.intersect(&span)),
            (Traffic::All, "tcp") => self.tcp.push(span),
            (Traffic::All, "udp") => self.udp.push(span),
            (Traffic::All, "-1") => self.whole = true,
            (Traffic::Tcp(range), "-1") => self.tcp.extend(range.intersect(&span)),
            (Traffic::Udp(range), "-1") => self.udp.extend(range.intersect(&span)),
            (Traffic::Icmp(_) | Traffic::Icmpv6(_) | Traffic::Other(_), _) => self.whole = true,
            _ => {}
        }
    }
}

/// Finds the rule the evidence names: by rule id when there is one, else by protocol,
/// ports and source, in the finding's account and region.
fn locate(
    estate: &Estate,
    groups_by_id: &HashMap<&str, Vec<usize>>,
    finding: &Finding,
    evidence: &RuleEvidence,
) -> Result<(usize, usize), String> {
    let resource = &finding.resource;
    let group = groups_by_id
        .get(evidence.group_id.as_str())
        .into_iter()
        .flatten()
        .copied()
        .find(|&g| {
            let scope = estate.scope(estate.security_groups[g].origin.scope);
            scope.region == resource.region
                && (resource.account.is_none()
                    || scope.account.is_none()
                    || scope.account == resource.account)
        })
        .ok_or_else(|| {
            format!(
                "security group {} is not in the estate read for {}",
                evidence.group_id, resource.region
            )
        })?;
    let rules = &estate.security_groups[group].ingress;
    let by_id = evidence
        .rule_id
        .as_ref()
        .and_then(|id| rules.iter().position(|r| r.id.as_ref() == Some(id)));
    let found = by_id.or_else(|| {
        rules.iter().position(|r| {
            let (from, to) = match r.traffic {
                Traffic::Tcp(p) | Traffic::Udp(p) => (Some(p.from), Some(p.to)),
                _ => (None, None),
            };
            r.traffic.protocol_name() == evidence.protocol
                && from == evidence.from
                && to == evidence.to
                && r.source.to_string() == evidence.source
        })
    });
    found.map(|r| (group, r)).ok_or_else(|| {
        format!(
            "no ingress rule of {} matches {}",
            evidence.group_id,
            describe_evidence(evidence)
        )
    })
}

fn describe_evidence(e: &RuleEvidence) -> String {
    let ports = match (e.from, e.to) {
        (Some(f), Some(t)) if f == t => format!(" {f}"),
        (Some(f), Some(t)) => format!(" {f}-{t}"),
        _ => String::new(),
    };
    let id = e
        .rule_id
        .as_deref()
        .map(|id| format!(" ({id})"))
        .unwrap_or_default();
    format!("{}{ports} from {}{id}", e.protocol, e.source)
}

/// `range` minus `holes`, as sorted disjoint ranges.
pub fn subtract(range: PortRange, holes: &[PortRange]) -> Vec<PortRange> {
    let mut holes: Vec<PortRange> = holes.iter().filter_map(|h| h.intersect(&range)).collect();
    holes.sort();
    let mut out = Vec::new();
    let mut next = u32::from(range.from);
    for hole in holes {
        if u32::from(hole.from) > next {
            out.push(PortRange {
                from: next as u16,
                to: hole.from - 1,
            });
        }
        next = next.max(u32::from(hole.to) + 1);
    }
    if next <= u32::from(range.to) {
        out.push(PortRange {
            from: next as u16,
            to: range.to,
        });
    }
    out
}

/// Merges overlapping and touching ranges.
fn merge(mut ranges: Vec<PortRange>) -> Vec<PortRange> {
    ranges.sort();
    let mut out: Vec<PortRange> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if u32::from(last.to) + 1 >= u32::from(r.from) => {
                last.to = last.to.max(r.to)
            }
            _ => out.push(r),
        }
    }
    out
}

fn ranges_text(proto: &str, ranges: &[PortRange]) -> String {
    ranges
        .iter()
        .map(|r| format!("{proto} {r}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The change for one flagged rule. `kept` holds the group's rules that stay (and grows
/// with what the plan adds), so nothing is authorized twice.
fn change_for(
    group: &SecurityGroup,
    rule: &Rule,
    flags: Flags,
    options: &Options,
    kept: &mut Vec<Permission>,
) -> RuleChange {
    let tcp = merge(flags.tcp);
    let udp = merge(flags.udp);
    let mut flagged: Vec<Span> = Vec::new();
    if flags.whole {
        flagged.push(Span {
            protocol: "-1".into(),
            from: 0,
            to: 65535,
        });
    }
    for (proto, list) in [("tcp", &tcp), ("udp", &udp)] {
        flagged.extend(list.iter().map(|r| Span {
            protocol: proto.into(),
            from: r.from,
            to: r.to,
        }));
    }
    let revoke = Permission::of_rule(rule);
    let source = Peer::of_source(&rule.source);
    let description = rule.description.clone();
    let same_source = |protocol: &str, range: Option<PortRange>| Permission {
        rule_id: None,
        protocol: protocol.into(),
        from_port: range.map(|r| i32::from(r.from)),
        to_port: range.map(|r| i32::from(r.to)),
        peer: source.clone(),
        description: description.clone(),
    };

    // What the rule opened that nobody flagged.
    let mut rest: Vec<Permission> = Vec::new();
    let mut lost_other_protocols = false;
    if !flags.whole {
        match rule.traffic {
            Traffic::Tcp(range) => {
                for r in subtract(range, &tcp) {
                    rest.push(same_source("tcp", Some(r)));
                }
            }
            Traffic::Udp(range) => {
                for r in subtract(range, &udp) {
                    rest.push(same_source("udp", Some(r)));
                }
            }
            Traffic::All => {
                for r in subtract(PortRange::ALL, &tcp) {
                    rest.push(same_source("tcp", Some(r)));
                }
                for r in subtract(PortRange::ALL, &udp) {
                    rest.push(same_source("udp", Some(r)));
                }
                let icmp = match rule.source {
                    Source::V6(_) => "icmpv6",
                    _ => "icmp",
                };
                rest.push(Permission {
                    from_port: Some(-1),
                    to_port: Some(-1),
                    ..same_source(icmp, None)
                });
                lost_other_protocols = true;
            }
            Traffic::Icmp(_) | Traffic::Icmpv6(_) | Traffic::Other(_) => {}
        }
    }

    let flagged_text = {
        let mut parts = Vec::new();
        if flags.whole {
            parts.push("every protocol and port".to_string());
        }
        if !tcp.is_empty() {
            parts.push(ranges_text("tcp", &tcp));
        }
        if !udp.is_empty() {
            parts.push(ranges_text("udp", &udp));
        }
        parts.join(", ")
    };
    let (mut authorize, safety, mut reason) = if rest.is_empty() {
        let safety = if flags.whole {
            Safety::NeedsReview
        } else {
            Safety::Safe
        };
        let reason = if flags.whole {
            format!(
                "the rule opens every protocol and port to {}; it is revoked whole",
                rule.source
            )
        } else {
            format!(
                "the rule opens only flagged ports ({flagged_text}) to {}; revoking it removes nothing else",
                rule.source
            )
        };
        (Vec::new(), safety, reason)
    } else if options.remove_whole_rule {
        (
            Vec::new(),
            Safety::NeedsReview,
            format!(
                "--remove-whole-rule: the rule is revoked whole, and with the flagged ports ({flagged_text}) it also closes {} to {}",
                rest.iter()
                    .map(Permission::traffic_text)
                    .collect::<Vec<_>>()
                    .join(", "),
                rule.source
            ),
        )
    } else {
        let mut reason = format!(
            "narrowed: the flagged ports ({flagged_text}) close to {}; the rest of the rule is authorized back for the same source",
            rule.source
        );
        if lost_other_protocols {
            reason.push_str(
                "; an all-protocols rule comes back as tcp, udp and icmp only (other IP protocols are not re-opened)",
            );
        }
        (rest, Safety::NeedsReview, reason)
    };

    for net in &options.trusted_cidrs {
        let peer = match net {
            IpNet::V4(n) => Peer::Cidr {
                cidr: n.to_string(),
            },
            IpNet::V6(n) => Peer::Ipv6Cidr {
                cidr: n.to_string(),
            },
        };
        if peer == source {
            continue;
        }
        for span in &flagged {
            let (protocol, from, to) = if span.protocol == "-1" {
                ("-1".to_string(), None, None)
            } else {
                (
                    span.protocol.clone(),
                    Some(i32::from(span.from)),
                    Some(i32::from(span.to)),
                )
            };
            authorize.push(Permission {
                rule_id: None,
                protocol,
                from_port: from,
                to_port: to,
                peer: peer.clone(),
                description: Some("ringfence: trusted source (--trusted-cidr)".into()),
            });
        }
    }
    if options.self_internode {
        let internode = PortRange {
            from: 7000,
            to: 7001,
        };
        let parts: Vec<PortRange> = if flags.whole {
            vec![internode]
        } else {
            tcp.iter().filter_map(|r| r.intersect(&internode)).collect()
        };
        for r in parts {
            authorize.push(Permission {
                rule_id: None,
                protocol: "tcp".into(),
                from_port: Some(i32::from(r.from)),
                to_port: Some(i32::from(r.to)),
                peer: Peer::Group {
                    group_id: group.id.clone(),
                    user_id: None,
                },
                description: Some("ringfence: Cassandra inter-node from the same group".into()),
            });
        }
    }

    // Nothing twice, and nothing the group already has.
    let before = authorize.len();
    let mut unique: Vec<Permission> = Vec::new();
    for p in authorize {
        if !kept.iter().any(|k| k.same_access(&p)) && !unique.iter().any(|u| u.same_access(&p)) {
            unique.push(p);
        }
    }
    if unique.len() < before {
        reason.push_str("; permissions the group already has are not added again");
    }
    kept.extend(unique.iter().cloned());
    authorize = unique;
    RuleChange {
        revoke,
        authorize,
        flagged,
        safety,
        reason,
        checks: flags.checks,
    }
}

impl Plan {
    /// The estate as it will be once the plan is applied (display-only entries aside):
    /// what `fix --apply` verifies against, and what tests re-scan.
    pub fn applied_to(&self, estate: &Estate) -> Estate {
        let mut after = estate.clone();
        for fix in &self.groups {
            let Some(group) = after.security_groups.iter_mut().find(|g| {
                let scope = estate.scope(g.origin.scope);
                g.id == fix.group_id && scope.region == fix.region
            }) else {
                continue;
            };
            for change in &fix.changes {
                group
                    .ingress
                    .retain(|r| !Permission::of_rule(r).same_access(&change.revoke));
                group
                    .ingress
                    .extend(change.authorize.iter().filter_map(Permission::to_rule));
            }
        }
        after
    }
}
