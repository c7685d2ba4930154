//! What a profile lets in that a check cares about, and how to show it.

use crate::Context;
use crate::catalog::Service;
use ringfence_exposure::{Profile, RuleRef, Segment, Transport};
use ringfence_findings::{Exposure, PortSpan, Reachability, RuleEvidence, Severity};
use ringfence_model::{PortRange, Source};
use std::collections::BTreeSet;

/// The protocol an opening is on: a port-bearing transport, or every protocol at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Proto {
    All,
    Tcp,
    Udp,
}

impl Proto {
    fn name(&self) -> &'static str {
        match self {
            Proto::All => "-1",
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        }
    }
}

impl From<Transport> for Proto {
    fn from(t: Transport) -> Self {
        match t {
            Transport::Tcp => Proto::Tcp,
            Transport::Udp => Proto::Udp,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Span<'c> {
    pub proto: Proto,
    pub ports: PortRange,
    pub service: Option<&'c Service>,
}

/// The ports a check found open, the rules behind them, and what it could not judge.
#[derive(Clone, Debug)]
pub(crate) struct Openings<'c> {
    pub spans: Vec<Span<'c>>,
    pub rules: BTreeSet<RuleRef>,
    /// Rules whose source could not be resolved, where they touch the ports asked about.
    pub unresolved: BTreeSet<RuleRef>,
    /// Every opening admits the whole internet (not only a very wide public range).
    pub world: bool,
}

impl Default for Openings<'_> {
    fn default() -> Self {
        Openings {
            spans: Vec::new(),
            rules: BTreeSet::new(),
            unresolved: BTreeSet::new(),
            world: true,
        }
    }
}

impl<'c> Openings<'c> {
    pub fn is_open(&self) -> bool {
        !self.spans.is_empty()
    }

    pub fn add(
        &mut self,
        proto: Proto,
        ports: PortRange,
        service: Option<&'c Service>,
        segment: &Segment,
    ) {
        self.spans.push(Span {
            proto,
            ports,
            service,
        });
        self.world &= segment.is_world();
        self.rules.extend(segment.rules.iter().copied());
    }

    /// Notes an unresolved rule set over ports that did not (yet) fail the test.
    pub fn note_unresolved(&mut self, segment: &Segment, ctx: &Context<'_>) {
        if segment.unresolved {
            self.unresolved.extend(
                segment
                    .rules
                    .iter()
                    .copied()
                    .filter(|r| ctx.eval.group_rules[r.group as usize][r.rule as usize].unresolved),
            );
        }
    }

    /// For each service, the parts of its ports whose segment passes `test`. Every check
    /// asks about the internet, so `test` only ever passes segments that admit public
    /// addresses: a profile with none, and nothing unresolved, is answered at once (most
    /// groups and instances are private).
    pub fn of_services(
        ctx: &Context<'_>,
        profile: &Profile,
        services: impl Iterator<Item = &'c Service>,
        test: impl Fn(&Segment) -> bool,
    ) -> Self {
        let mut openings = Openings::default();
        if !profile.touches_internet() && !profile.unresolved() {
            return openings;
        }
        for service in services {
            for range in &service.ports {
                for (part, segment) in profile.within(service.transport, *range) {
                    if test(segment) {
                        debug_assert!(
                            segment.touches_internet(),
                            "a test passed a private segment"
                        );
                        openings.add(service.transport.into(), part, Some(service), segment);
                    } else {
                        openings.note_unresolved(segment, ctx);
                    }
                }
            }
        }
        openings
    }

    /// The worst severity among the services opened, if any are catalogued.
    pub fn severity(&self) -> Option<Severity> {
        self.spans
            .iter()
            .filter_map(|s| s.service.map(|svc| svc.severity))
            .max()
    }

    /// Spans sorted and merged where contiguous, for people and for `exposure.ports`.
    pub fn port_spans(&self) -> Vec<PortSpan> {
        let mut spans: Vec<(Proto, u16, u16, Option<&str>)> = self
            .spans
            .iter()
            .map(|s| {
                (
                    s.proto,
                    s.ports.from,
                    s.ports.to,
                    s.service.map(|svc| svc.name.as_str()),
                )
            })
            .collect();
        spans.sort();
        let mut merged: Vec<(Proto, u16, u16, Option<&str>)> = Vec::with_capacity(spans.len());
        for span in spans {
            match merged.last_mut() {
                Some(last)
                    if last.0 == span.0
                        && last.3 == span.3
                        && u32::from(last.2) + 1 >= u32::from(span.1) =>
                {
                    last.2 = last.2.max(span.2);
                }
                _ => merged.push(span),
            }
        }
        merged
            .into_iter()
            .map(|(proto, from, to, service)| PortSpan {
                protocol: proto.name().to_string(),
                from,
                to,
                service: service.map(str::to_string),
                reachability: Reachability::Unknown,
                reason: None,
                reachable_sources: Vec::new(),
            })
            .collect()
    }

    /// The rules behind the openings that admit part of the internet: the evidence.
    pub fn internet_rules<'a>(
        &'a self,
        ctx: &'a Context<'_>,
    ) -> impl Iterator<Item = RuleRef> + 'a {
        self.rules.iter().copied().filter(|r| {
            ctx.eval.group_rules[r.group as usize][r.rule as usize]
                .reach
                .touches_internet()
        })
    }

    /// The evidence: spans, and only the rules that admit part of the internet.
    pub fn exposure(&self, ctx: &Context<'_>, network_interfaces: Vec<String>) -> Exposure {
        let mut rules = Vec::new();
        let mut sources = BTreeSet::new();
        for r in self.internet_rules(ctx) {
            let group = &ctx.estate.security_groups[r.group as usize];
            let rule = &group.ingress[r.rule as usize];
            let (from, to) = match rule.traffic {
                ringfence_model::Traffic::Tcp(p) | ringfence_model::Traffic::Udp(p) => {
                    (Some(p.from), Some(p.to))
                }
                _ => (None, None),
            };
            let source = rule.source.to_string();
            sources.insert(source.clone());
            rules.push(RuleEvidence {
                group_id: group.id.clone(),
                group_name: group.name.clone(),
                rule_id: rule.id.clone(),
                protocol: rule.traffic.protocol_name(),
                from,
                to,
                source,
                description: rule.description.clone(),
            });
        }
        Exposure {
            ports: self.port_spans(),
            sources: sources.into_iter().collect(),
            reachability: Reachability::Unknown,
            path: None,
            reason: None,
            reason_detail: None,
            reachable_sources: Vec::new(),
            rules,
            network_interfaces,
        }
    }

    /// Why the unresolved rules could not be judged, naming their prefix lists and the
    /// values infrastructure as code could not resolve (with their file:line).
    pub fn unresolved_reason(&self, ctx: &Context<'_>) -> Option<String> {
        let mut lists: BTreeSet<&str> = BTreeSet::new();
        let mut values: BTreeSet<&str> = BTreeSet::new();
        for r in &self.unresolved {
            match &ctx.estate.security_groups[r.group as usize].ingress[r.rule as usize].source {
                Source::PrefixList(id) => {
                    lists.insert(id.as_str());
                }
                Source::Unresolved(why) => {
                    values.insert(why.as_str());
                }
                _ => {}
            }
        }
        let mut parts = Vec::new();
        if !lists.is_empty() {
            parts.push(format!(
                "prefix list {} has entries that were not read",
                lists.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        if !values.is_empty() {
            parts.push(format!(
                "unresolved: {}",
                values.into_iter().collect::<Vec<_>>().join("; ")
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// `tcp/9042 (Cassandra CQL), tcp/7000-7001 (...)`: the spans as a person reads them.
pub(crate) fn describe_spans(spans: &[PortSpan]) -> String {
    spans
        .iter()
        .map(|s| {
            let ports = if s.protocol == "-1" {
                "all traffic".to_string()
            } else {
                format!(
                    "{}/{}",
                    s.protocol,
                    PortRange {
                        from: s.from,
                        to: s.to
                    }
                )
            };
            match &s.service {
                Some(service) => format!("{ports} ({service})"),
                None => ports,
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
