//! Security-group changes: ingress opened to the internet (judged by the same exposure
//! checks a scan runs), a rule opened and closed again within a window, bursts of
//! changes by one principal.

use super::{
    AUDIT_REVIEW, BOUNDARY, CIS_SG_CHANGES, CONFIG_CHANGE_CONTROL, Ctx, Detector, Opening, by,
    finding, raise, reaches_internet,
};
use crate::event::Event;
use crate::state::{GroupChange, GroupState, Key};
use ringfence_exposure::{Evaluation, Network, resolve};
use ringfence_findings::{
    CheckMeta, Enablement, Exposure, Finding, PortSpan, Reachability, ResourceType, RuleEvidence,
    Severity, Status,
};
use ringfence_model::{Rule, ScopeId, Source, Traffic};
use std::collections::BTreeSet;

/// The security-group calls a burst counts.
const GROUP_CHANGES: &[&str] = &[
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
    "ModifySecurityGroupRules",
    "CreateSecurityGroup",
    "DeleteSecurityGroup",
    "UpdateSecurityGroupRuleDescriptionsIngress",
    "UpdateSecurityGroupRuleDescriptionsEgress",
];

/// Related events kept on a burst finding (the count is always exact).
const BURST_EVIDENCE: usize = 50;

pub static INGRESS_OPENED: Detector = Detector {
    meta: CheckMeta {
        id: "trail_securitygroup_ingress_opened_to_internet",
        title: "A security-group change opened a sensitive or uncommon port to the internet",
        severity: Severity::Critical,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: "Replays AuthorizeSecurityGroupIngress, ModifySecurityGroupRules and CreateSecurityGroup calls against the group's rules just before them (from a snapshot with --estate, and from the trail itself) and judges the result with the same exposure checks a scan runs: port ranges, protocol -1, IPv6, split CIDRs and prefix lists. Fails for each call after which the group admits the internet on a sensitive or uncommon port it did not admit before, graded by the worst service opened.",
        risk: "Internet-facing databases, remote-access and admin ports are found by scanners within minutes of opening; the change is the moment to catch it, with the person who made it still at the keyboard.",
        remediation: "Revoke the rule (`ringfence respond` can do it automatically), ask the actor why, and allow the port only from the networks that need it.",
        references: &[
            "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html",
        ],
        categories: &["trail", "internet-exposed"],
        compliance: &[CIS_SG_CHANGES, BOUNDARY, CONFIG_CHANGE_CONTROL],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run: ingress_opened,
};

pub static OPENED_AND_CLOSED: Detector = Detector {
    meta: CheckMeta {
        id: "trail_securitygroup_port_opened_and_closed",
        title: "A rule was opened to the internet and closed again within the window",
        severity: Severity::Medium,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: "Fails when an ingress rule admitting the internet (the whole IPv4 or IPv6 internet, or a public range at least as wide as the wide-range threshold) is revoked, modified away or deleted with its group within the window after it was added (default 30 minutes, --flap-window).",
        risk: "A port opened briefly and closed again leaves nothing for a scan to find; it is how data is pulled out or a back door tried, and how people work around change control.",
        remediation: "Ask both actors what the opening was for; use `ringfence grant` for time-boxed access so openings are recorded and expire on their own.",
        references: &[],
        categories: &["trail", "internet-exposed"],
        compliance: &[CIS_SG_CHANGES, AUDIT_REVIEW],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run: opened_and_closed,
};

pub static CHANGE_BURST: Detector = Detector {
    meta: CheckMeta {
        id: "trail_securitygroup_change_burst",
        title: "One principal made a burst of security-group changes",
        severity: Severity::Medium,
        resource_type: ResourceType::AwsAccount,
        description: "Fails when one principal makes at least N security-group or rule changes within M minutes (default 20 in 10 minutes, --burst N/DURATION); one finding per burst, with the events.",
        risk: "A burst of rule changes is a script at work: an automation gone wrong, or stolen credentials rewriting the perimeter.",
        remediation: "Check whether the principal is a known deployment pipeline; if not, disable its keys and review every change in the burst.",
        references: &[],
        categories: &["trail"],
        compliance: &[CIS_SG_CHANGES, AUDIT_REVIEW],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run: change_burst,
};

/// What the exposure checks fail on a group with `rules` (FAIL and SKIP findings).
pub(super) fn judge(
    ctx: &Ctx<'_>,
    key: &Key,
    state: &GroupState,
    rules: Vec<Rule>,
) -> Vec<Finding> {
    if rules.is_empty() {
        return Vec::new();
    }
    let estate = ctx.state.estate_of(key, state, rules);
    let eval = Evaluation::of(&estate);
    let network = Network::of(&estate);
    let checks = ringfence_checks::Context {
        estate: &estate,
        eval: &eval,
        network: &network,
        config: &ctx.config.checks,
    };
    ctx.checks
        .iter()
        .flat_map(|check| (check.run)(&checks))
        .filter(|f| f.status != Status::Pass)
        .collect()
}

type SpanKey = (&'static str, Status, String, u16, u16);

fn span_key(finding: &Finding, span: &PortSpan) -> SpanKey {
    (
        finding.check_id,
        finding.status,
        span.protocol.clone(),
        span.from,
        span.to,
    )
}

fn ingress_opened(
    ctx: &mut Ctx<'_>,
    event: &Event,
    change: Option<&GroupChange>,
    out: &mut Vec<Finding>,
) {
    let Some(change) = change else { return };
    if change.added.is_empty() || change.deleted {
        return;
    }
    let before = judge(
        ctx,
        &change.key,
        &change.before,
        change.before.ingress.clone(),
    );
    let after = judge(ctx, &change.key, &change.before, change.after());
    let known: BTreeSet<SpanKey> = before
        .iter()
        .flat_map(|f| {
            f.exposure
                .iter()
                .flat_map(move |e| e.ports.iter().map(move |s| span_key(f, s)))
        })
        .collect();
    unknown_opened(event, change, &before, &after, out);
    let mut spans: Vec<PortSpan> = Vec::new();
    let mut sources = BTreeSet::new();
    let mut rules: BTreeSet<RuleEvidence> = BTreeSet::new();
    let mut checks = BTreeSet::new();
    let mut severity = None;
    for f in after.iter().filter(|f| f.status == Status::Fail) {
        let Some(exposure) = &f.exposure else {
            continue;
        };
        let new: Vec<&PortSpan> = exposure
            .ports
            .iter()
            .filter(|s| !known.contains(&span_key(f, s)))
            .collect();
        if new.is_empty() {
            continue;
        }
        checks.insert(f.check_id);
        let graded = if exposure.reachability == Reachability::Latent {
            raise(f.severity)
        } else {
            f.severity
        };
        severity = severity.max(Some(graded));
        for span in new {
            if !spans.iter().any(|s| {
                (s.protocol.as_str(), s.from, s.to, &s.service)
                    == (span.protocol.as_str(), span.from, span.to, &span.service)
            }) {
                spans.push(PortSpan {
                    reachability: Reachability::Unknown,
                    reason: None,
                    reachable_sources: Vec::new(),
                    ..span.clone()
                });
            }
        }
        sources.extend(exposure.sources.iter().cloned());
        rules.extend(
            exposure
                .rules
                .iter()
                .filter(|r| {
                    change
                        .added
                        .iter()
                        .any(|a| a.source.to_string() == r.source)
                })
                .cloned(),
        );
    }
    if spans.is_empty() {
        return;
    }
    spans.sort_by(|a, b| (&a.protocol, a.from, a.to).cmp(&(&b.protocol, b.from, b.to)));
    let (_, region, id) = &change.key;
    let group = match &change.before.name {
        Some(name) if !name.is_empty() => format!("{id} ({name})"),
        _ => id.clone(),
    };
    let ports = summarize(&spans);
    let checks = checks.into_iter().collect::<Vec<_>>().join(", ");
    let message = format!(
        "{} {}: security group {group} now admits the internet on {ports}",
        event.name,
        by(event)
    );
    let mut f = finding(
        &INGRESS_OPENED.meta,
        event,
        ResourceType::AwsEc2SecurityGroup,
        id,
        message,
    );
    f.resource.name = change.before.name.clone().filter(|n| !n.is_empty());
    f.resource.region = region.clone();
    f.severity = severity.unwrap_or(INGRESS_OPENED.meta.severity);
    f.exposure = Some(Exposure {
        ports: spans,
        sources: sources.into_iter().collect(),
        reachability: Reachability::Unknown,
        path: None,
        reason: None,
        reason_detail: Some(format!(
            "judged by {checks} on the group's rules after the call; whether a public address and a route reach its instances is not in the trail (`ringfence scan` says)"
        )),
        reachable_sources: Vec::new(),
        rules: rules.into_iter().collect(),
        network_interfaces: Vec::new(),
    });
    out.push(f);
}

/// A SKIP when the call added a source whose addresses are unknown (a prefix list whose
/// entries no snapshot gave) and the checks can no longer tell: never a silent pass.
fn unknown_opened(
    event: &Event,
    change: &GroupChange,
    before: &[Finding],
    after: &[Finding],
    out: &mut Vec<Finding>,
) {
    let skipped_before: BTreeSet<&str> = before
        .iter()
        .filter(|f| f.status == Status::Skip)
        .map(|f| f.check_id)
        .collect();
    let checks: BTreeSet<&str> = after
        .iter()
        .filter(|f| f.status == Status::Skip && !skipped_before.contains(f.check_id))
        .map(|f| f.check_id)
        .collect();
    if checks.is_empty() {
        return;
    }
    let unknown: BTreeSet<String> = change
        .added
        .iter()
        .filter(|r| matches!(r.source, Source::PrefixList(_) | Source::Unresolved(_)))
        .map(describe_rule)
        .collect();
    let (_, region, id) = &change.key;
    let message = format!(
        "{} {}: cannot tell whether security group {id} now admits the internet: {} (give --estate a snapshot holding the prefix lists' entries)",
        event.name,
        by(event),
        unknown.into_iter().collect::<Vec<_>>().join(", ")
    );
    let mut f = finding(
        &INGRESS_OPENED.meta,
        event,
        ResourceType::AwsEc2SecurityGroup,
        id,
        message,
    );
    f.status = Status::Skip;
    f.resource.name = change.before.name.clone().filter(|n| !n.is_empty());
    f.resource.region = region.clone();
    out.push(f);
}

/// Named services first (at most a few), then the uncommon ranges; `all traffic` alone
/// when every port of every protocol is open.
fn summarize(spans: &[PortSpan]) -> String {
    const NAMED: usize = 6;
    if spans.iter().any(|s| s.protocol == "-1") {
        return "all traffic (every port of every protocol)".to_string();
    }
    let text = |s: &PortSpan| {
        if s.from == s.to {
            format!("{}/{}", s.protocol, s.from)
        } else {
            format!("{}/{}-{}", s.protocol, s.from, s.to)
        }
    };
    let named: Vec<String> = spans
        .iter()
        .filter_map(|s| Some(format!("{} ({})", text(s), s.service.as_ref()?)))
        .collect();
    let other: Vec<String> = spans
        .iter()
        .filter(|s| s.service.is_none())
        .map(text)
        .collect();
    // At most a few of each, then how many more.
    let listed = |all: &[String], more: &str| {
        let mut list = all[..all.len().min(NAMED)].join(", ");
        if all.len() > NAMED {
            list.push_str(&format!(" and {} more {more}", all.len() - NAMED));
        }
        list
    };
    let mut parts = Vec::new();
    if !named.is_empty() {
        parts.push(listed(&named, "services"));
    }
    if !other.is_empty() {
        parts.push(format!("uncommon ports {}", listed(&other, "ranges")));
    }
    parts.join("; ")
}

/// `tcp/22 from 0.0.0.0/0`, `all traffic from ::/0`.
pub(super) fn describe_rule(rule: &Rule) -> String {
    let traffic = match rule.traffic {
        Traffic::All => "all traffic".to_string(),
        Traffic::Tcp(p) | Traffic::Udp(p) => {
            let protocol = rule.traffic.protocol_name();
            if p.from == p.to {
                format!("{protocol}/{}", p.from)
            } else {
                format!("{protocol}/{}-{}", p.from, p.to)
            }
        }
        other => other.protocol_name(),
    };
    format!("{traffic} from {}", rule.source)
}

/// The rule admits the whole internet, or a public range at least as wide as the
/// threshold, or a prefix list we cannot see into.
fn admits_internet(ctx: &Ctx<'_>, key: &Key, rule: &Rule) -> bool {
    let (account, region, _) = key;
    let (reach, unresolved) = resolve(&rule.source, ScopeId(0), |_, id| {
        ctx.state
            .prefix_lists
            .get(&(account.clone(), region.clone(), id.to_string()))
    });
    unresolved || reaches_internet(ctx, &reach)
}

fn opened_and_closed(
    ctx: &mut Ctx<'_>,
    event: &Event,
    change: Option<&GroupChange>,
    out: &mut Vec<Finding>,
) {
    let Some(change) = change else { return };
    let window = ctx.config.flap_window;
    for rule in &change.removed {
        let Some(opening) = ctx
            .opened
            .remove(&(change.key.clone(), describe_rule(rule)))
        else {
            continue;
        };
        let open_for = event.time.duration_since(opening.time);
        if open_for > window {
            continue;
        }
        let minutes = open_for.as_secs() / 60;
        let seconds = open_for.as_secs() % 60;
        let (_, _, id) = &change.key;
        let message = format!(
            "{} on security group {id} was opened to the internet by {} at {} and closed {} {}m{:02}s later ({})",
            opening.rule,
            opening.evidence.actor.label(),
            opening.evidence.time,
            by(event),
            minutes,
            seconds,
            event.name,
        );
        let mut f = finding(
            &OPENED_AND_CLOSED.meta,
            event,
            ResourceType::AwsEc2SecurityGroup,
            id,
            message,
        );
        f.resource.name = change.before.name.clone().filter(|n| !n.is_empty());
        if let Some(evidence) = f.event.as_mut() {
            evidence.related.push(ringfence_findings::RelatedEvent {
                time: opening.evidence.time.clone(),
                event_id: opening.evidence.event_id.clone(),
                event_name: opening.evidence.event_name.clone(),
                actor: Some(opening.evidence.actor.label().to_string()),
            });
        }
        out.push(f);
    }
    if !change.deleted {
        for rule in &change.added {
            if admits_internet(ctx, &change.key, rule) {
                let description = describe_rule(rule);
                ctx.opened.insert(
                    (change.key.clone(), description.clone()),
                    Opening {
                        time: event.time,
                        evidence: event.evidence(),
                        rule: description,
                    },
                );
            }
        }
    }
    // Openings older than the window can no longer close "too soon": forget them.
    if ctx.opened.len() > 4096 {
        let now = event.time;
        ctx.opened
            .retain(|_, o| now.duration_since(o.time) <= window);
    }
}

fn change_burst(ctx: &mut Ctx<'_>, event: &Event, _: Option<&GroupChange>, out: &mut Vec<Finding>) {
    if !event.succeeded() || !GROUP_CHANGES.contains(&event.name.as_str()) {
        return;
    }
    let window = ctx.config.burst_window;
    let needed = ctx.config.burst_changes.max(1);
    let principal = event.actor.label().to_string();
    let burst = ctx.changes.entry(principal.clone()).or_default();
    // A burst already reported goes on until the principal is quiet for a window: one
    // finding per burst, however long it lasts.
    let ongoing = burst
        .reported
        .is_some_and(|last| event.time.duration_since(last) <= window);
    if ongoing {
        burst.reported = Some(event.time);
        return;
    }
    burst.reported = None;
    let queue = &mut burst.recent;
    queue.push_back((event.time, event.related()));
    while queue
        .front()
        .is_some_and(|(t, _)| event.time.duration_since(*t) > window)
    {
        queue.pop_front();
    }
    if queue.len() < needed {
        return;
    }
    burst.reported = Some(event.time);
    let burst: Vec<_> = queue.drain(..).collect();
    let first = &burst[0].1;
    let message = format!(
        "{} security-group changes by {principal} within {} (from {} to {}; one finding per burst)",
        burst.len(),
        window_text(window),
        first.time,
        event.time_text,
    );
    let account = event.account.clone().unwrap_or_default();
    let mut f = finding(
        &CHANGE_BURST.meta,
        event,
        ResourceType::AwsAccount,
        &account,
        message,
    );
    if let Some(evidence) = f.event.as_mut() {
        evidence.related = burst
            .into_iter()
            .take(BURST_EVIDENCE)
            .map(|(_, related)| related)
            .collect();
    }
    out.push(f);
    if ctx.changes.len() > 4096 {
        let now = event.time;
        ctx.changes.retain(|_, b| {
            b.recent
                .back()
                .map(|(t, _)| *t)
                .max(b.reported)
                .is_some_and(|t| now.duration_since(t) <= window)
        });
    }
}

pub(super) fn window_text(window: jiff::SignedDuration) -> String {
    let secs = window.as_secs();
    match (secs / 3600, secs / 60 % 60, secs % 60) {
        (0, m, 0) => format!("{m} minutes"),
        (h, 0, 0) => format!("{h} h"),
        (h, m, 0) => format!("{h} h {m} min"),
        _ => format!("{secs} s"),
    }
}
