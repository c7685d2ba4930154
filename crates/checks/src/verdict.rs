//! Turning openings into FAIL / SKIP / PASS findings, per security group or per instance.

use crate::Context;
use crate::openings::{Openings, describe_spans};
use rayon::prelude::*;
use ringfence_exposure::Profile;
use ringfence_findings::{CheckMeta, Finding, Location, Resource, ResourceType, Status};
use ringfence_model::{Origin, Position, Tags};

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
            let openings = judge(&ctx.eval.groups[g]);
            let name = group.tags.name().unwrap_or(&group.name);
            let subject = format!("Security group {} ({name})", group.id);
            let resource = || {
                resource(
                    ctx,
                    ResourceType::AwsEc2SecurityGroup,
                    &group.id,
                    name_of(&group.tags, Some(&group.name)),
                    &group.origin,
                    group.owner_id.as_deref(),
                )
            };
            verdict(
                ctx,
                meta,
                what,
                &subject,
                openings,
                None,
                Vec::new(),
                resource,
            )
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
        .zip(ctx.eval.instances.par_iter())
        .filter(|(instance, _)| !instance.state.is_gone())
        .filter_map(|(instance, exposure)| {
            let openings = judge(&exposure.profile);
            let mut subject = format!("Instance {}", instance.id);
            if let Some(name) = instance.tags.name() {
                subject.push_str(&format!(" ({name})"));
            }
            let state = instance.state.as_str();
            if state != "running" {
                subject.push_str(&format!(" [{state}]"));
            }
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
            let resource = || {
                resource(
                    ctx,
                    ResourceType::AwsEc2Instance,
                    &instance.id,
                    name_of(&instance.tags, None),
                    &instance.origin,
                    instance.owner_id.as_deref(),
                )
            };
            verdict(
                ctx, meta, what, &subject, openings, missing, interfaces, resource,
            )
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn verdict(
    ctx: &Context<'_>,
    meta: &'static CheckMeta,
    what: &str,
    subject: &str,
    openings: Openings<'_>,
    missing: Option<String>,
    interfaces: Vec<String>,
    resource: impl FnOnce() -> Resource,
) -> Option<Finding> {
    if openings.is_open() {
        let exposure = openings.exposure(ctx, interfaces);
        let message = format!(
            "{subject} allows {} from {} ({}).",
            describe_spans(&exposure.ports),
            if openings.world {
                "the internet"
            } else {
                "a very wide public range"
            },
            exposure.sources.join(", ")
        );
        let severity = openings.severity().unwrap_or(meta.severity);
        return Some(
            Finding::new(meta, Status::Fail, resource(), message)
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
            "{subject}: cannot tell whether any {what}: {}.",
            unknown.join("; ")
        );
        return Some(Finding::new(meta, Status::Skip, resource(), message));
    }
    ctx.config.emit_passes.then(|| {
        let message = format!("{subject}: no {what}.");
        Finding::new(meta, Status::Pass, resource(), message)
    })
}

fn name_of(tags: &Tags, fallback: Option<&str>) -> Option<String> {
    tags.name().or(fallback).map(str::to_string)
}

fn resource(
    ctx: &Context<'_>,
    kind: ResourceType,
    id: &str,
    name: Option<String>,
    origin: &Origin,
    owner: Option<&str>,
) -> Resource {
    let scope = ctx.estate.scope(origin.scope);
    let location = ctx.estate.file(origin.file).map(|file| Location {
        file: file.display().to_string(),
        pointer: match (kind, origin.position) {
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
        kind,
        id: id.to_string(),
        name,
        region: scope.region.clone(),
        account: scope.account.clone().or_else(|| owner.map(str::to_string)),
        location,
    }
}
