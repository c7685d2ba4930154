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

/// What a finding is about, for its message and its resource.
struct Subject<'s> {
    text: String,
    kind: ResourceType,
    id: &'s str,
    name: Option<String>,
    origin: &'s Origin,
    owner: Option<&'s str>,
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
            let name = group.tags.name().unwrap_or(&group.name);
            let subject = Subject {
                text: format!("Security group {} ({name})", group.id),
                kind: ResourceType::AwsEc2SecurityGroup,
                id: &group.id,
                name: name_of(&group.tags, Some(&group.name)),
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
            let mut text = format!("Instance {}", instance.id);
            if let Some(name) = instance.tags.name() {
                text.push_str(&format!(" ({name})"));
            }
            let state = instance.state.as_str();
            if state != "running" {
                text.push_str(&format!(" [{state}]"));
            }
            let subject = Subject {
                text,
                kind: ResourceType::AwsEc2Instance,
                id: &instance.id,
                name: name_of(&instance.tags, None),
                origin: &instance.origin,
                owner: instance.owner_id.as_deref(),
            };
            let openings = judge(&exposure.profile);
            let groups_opening: Vec<u32> = openings.internet_rules(ctx).map(|r| r.group).collect();
            let interfaces: Vec<String> = exposure
                .interfaces
                .iter()
                .filter(|i| i.groups.iter().any(|g| groups_opening.contains(g)))
                .filter_map(|i| {
                    i.interface
                        .map(|e| ctx.estate.network_interfaces[e].id.clone())
                })
                .collect();
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
            subject.text,
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
            subject.text,
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
        let message = format!("{}: no {what}.", subject.text);
        Finding::new(meta, Status::Pass, resource(ctx, &subject), message)
    })
}

fn name_of(tags: &Tags, fallback: Option<&str>) -> Option<String> {
    tags.name().or(fallback).map(str::to_string)
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
        name: subject.name.clone(),
        region: scope.region.clone(),
        account: scope
            .account
            .clone()
            .or_else(|| subject.owner.map(str::to_string)),
        location,
    }
}
