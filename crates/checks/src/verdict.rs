//! Turning openings into FAIL / SKIP / PASS findings, per security group or per instance,
//! each failing exposure judged on its network path.

use crate::Context;
use crate::openings::{Openings, describe_spans};
use crate::path::{Target, grade, judge as judge_path};
use rayon::prelude::*;
use ringfence_exposure::Profile;
use ringfence_findings::{
    CheckMeta, Finding, Location, Reachability, Resource, ResourceType, Status,
};
use ringfence_model::{Origin, Position, Tags};

/// What a finding is about, for its message and its resource. Its words are only put
/// together for a finding: most resources pass, and every check visits every one.
struct Subject<'s> {
    kind: ResourceType,
    id: &'s str,
    tags: &'s Tags,
    /// Stands in for a missing Name tag (a group's name).
    fallback_name: Option<&'s str>,
    /// An instance's state when it is not running.
    state: Option<&'s str>,
    origin: &'s Origin,
    owner: Option<&'s str>,
}

impl<'s> Subject<'s> {
    /// The Name tag, else the fallback.
    fn name(&self) -> Option<&'s str> {
        self.tags.name().or(self.fallback_name)
    }

    /// `Security group sg-1 (web)`, `Instance i-1 (db) [stopped]`.
    fn text(&self) -> String {
        let mut text = match self.kind {
            ResourceType::AwsEc2SecurityGroup => format!("Security group {}", self.id),
            _ => format!("Instance {}", self.id),
        };
        if let Some(name) = self.name() {
            text.push_str(&format!(" ({name})"));
        }
        if let Some(state) = self.state {
            text.push_str(&format!(" [{state}]"));
        }
        text
    }
}

/// Judges every security group on its own; groups attached to nothing are judged too,
/// since they are one attachment away from exposure.
pub(crate) fn per_group<'c>(
    ctx: &'c Context<'c>,
    meta: &'static CheckMeta,
    what: &str,
    judge: impl Fn(&Profile) -> Openings<'c> + Sync,
) -> Vec<Finding> {
    ctx.estate
        .security_groups
        .par_iter()
        .enumerate()
        .filter_map(|(g, group)| {
            let subject = Subject {
                kind: ResourceType::AwsEc2SecurityGroup,
                id: &group.id,
                tags: &group.tags,
                fallback_name: Some(&group.name),
                state: None,
                origin: &group.origin,
                owner: group.owner_id.as_deref(),
            };
            let openings = judge(&ctx.eval.groups[g]);
            let target = Target::Group(g, &ctx.eval.placements[g]);
            verdict(ctx, meta, what, subject, openings, None, Vec::new(), target)
        })
        .collect()
}

/// Judges every instance that can still receive traffic on the union of the groups of
/// all its network interfaces.
pub(crate) fn per_instance<'c>(
    ctx: &'c Context<'c>,
    meta: &'static CheckMeta,
    what: &str,
    judge: impl Fn(&Profile) -> Openings<'c> + Sync,
) -> Vec<Finding> {
    ctx.estate
        .instances
        .par_iter()
        .enumerate()
        .filter(|(_, instance)| !instance.state.is_gone())
        .filter_map(|(i, instance)| {
            let exposure = &ctx.eval.instances[i];
            let state = instance.state.as_str();
            let subject = Subject {
                kind: ResourceType::AwsEc2Instance,
                id: &instance.id,
                tags: &instance.tags,
                fallback_name: None,
                state: (state != "running").then_some(state),
                origin: &instance.origin,
                owner: instance.owner_id.as_deref(),
            };
            let openings = judge(&exposure.internet);
            let interfaces: Vec<String> = if openings.is_open() {
                let groups_opening: Vec<u32> =
                    openings.internet_rules(ctx).map(|r| r.group).collect();
                exposure
                    .interfaces
                    .iter()
                    .filter(|i| i.groups.iter().any(|g| groups_opening.contains(g)))
                    .filter_map(|i| {
                        i.interface
                            .map(|e| ctx.estate.network_interfaces[e].id.clone())
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let missing = (!exposure.missing_groups.is_empty()).then(|| {
                format!(
                    "security group {} is not in the input",
                    exposure.missing_groups.join(", ")
                )
            });
            verdict(
                ctx,
                meta,
                what,
                subject,
                openings,
                missing,
                interfaces,
                Target::Instance(i),
            )
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn verdict(
    ctx: &Context<'_>,
    meta: &'static CheckMeta,
    what: &str,
    subject: Subject<'_>,
    openings: Openings<'_>,
    missing: Option<String>,
    interfaces: Vec<String>,
    target: Target<'_>,
) -> Option<Finding> {
    if openings.is_open() {
        let mut exposure = openings.exposure(ctx, interfaces);
        let (reachability, why) = judge_path(ctx, target, &mut exposure);
        let path_words = match (reachability, why) {
            (Reachability::Reachable, _) if exposure.reachable_sources != exposure.sources => {
                let through = &exposure.reachable_sources;
                if through.len() <= 4 {
                    format!("reachable now, but only from {}", through.join(", "))
                } else {
                    format!(
                        "reachable now, but only from {}, ... ({} ranges; the network ACL or routes cut the rest)",
                        through[..3].join(", "),
                        through.len()
                    )
                }
            }
            (Reachability::Reachable, _) => "reachable now".to_string(),
            (other, Some(why)) => format!("{}: {why}", other.as_str()),
            (other, None) => other.as_str().to_string(),
        };
        let message = format!(
            "{} allows {} from {} ({}); {path_words}.",
            subject.text(),
            describe_spans(&exposure.ports),
            if openings.world {
                "the internet"
            } else {
                "a very wide public range"
            },
            exposure.sources.join(", ")
        );
        let severity = grade(openings.severity().unwrap_or(meta.severity), reachability);
        return Some(
            Finding::new(meta, Status::Fail, resource(ctx, &subject), message)
                .with_severity(severity)
                .with_exposure(exposure),
        );
    }
    let unknown: Vec<String> = openings
        .unresolved_reason(ctx)
        .into_iter()
        .chain(missing)
        .collect();
    if !unknown.is_empty() {
        let message = format!(
            "{}: cannot tell whether any {what}: {}.",
            subject.text(),
            unknown.join("; ")
        );
        return Some(Finding::new(
            meta,
            Status::Skip,
            resource(ctx, &subject),
            message,
        ));
    }
    ctx.config.emit_passes.then(|| {
        let message = format!("{}: no {what}.", subject.text());
        Finding::new(meta, Status::Pass, resource(ctx, &subject), message)
    })
}

fn resource(ctx: &Context<'_>, subject: &Subject<'_>) -> Resource {
    let origin = subject.origin;
    let scope = ctx.estate.scope(origin.scope);
    let location = ctx.estate.file(origin.file).map(|file| Location {
        file: file.display().to_string(),
        pointer: match (subject.kind, origin.position) {
            (ResourceType::AwsEc2SecurityGroup, Position::Item(i)) => {
                Some(format!("/SecurityGroups/{i}"))
            }
            _ => None,
        },
        line: match origin.position {
            Position::Line(line) => Some(line),
            _ => None,
        },
    });
    Resource {
        kind: subject.kind,
        id: subject.id.to_string(),
        name: subject.name().map(str::to_string),
        region: scope.region.clone(),
        account: scope
            .account
            .clone()
            .or_else(|| subject.owner.map(str::to_string)),
        location,
    }
}
