//! The scan pipeline: snapshot → model → exposure → checks → report.

use crate::Outcome;
use crate::args::{ListArgs, ScanArgs};
use crate::output::{emit, emit_all, formats, style};
use ringfence_checks::{Context, REGISTRY, Selection};
use ringfence_exposure::{Evaluation, Network, WideThreshold};
use ringfence_findings::ComplianceOutcome;
use ringfence_findings::frameworks::{self, Framework};
use ringfence_findings::time::Timestamp;
use ringfence_model::{Estate, Tags};
use ringfence_policy::{Baseline, Mutelist, Settings};
use ringfence_report::{CheckGroup, Context as RenderContext, Format, Style};
use std::collections::HashMap;

pub fn run(args: &ScanArgs) -> Result<Outcome, String> {
    let settings = Settings::locate(args.config.as_deref()).map_err(|e| e.to_string())?;
    let framework = args.compliance.as_deref().map(framework).transpose()?;
    let selection = Selection {
        include: args.checks.clone(),
        exclude: args.exclude_checks.clone(),
        min_severity: None,
    };
    let resolved = selection.resolve().map_err(|e| e.to_string())?;
    let mut checks = settings.select(resolved.clone(), !args.checks.is_empty(), args.severity);
    if let Some(framework) = framework {
        // A framework's report needs every check mapped to it: its opt-in checks run too,
        // unless excluded.
        if args.checks.is_empty() {
            let opt_in = resolved
                .into_iter()
                .filter(|c| !c.meta.enablement.is_default())
                .collect();
            for check in settings.select(opt_in, true, args.severity) {
                if !checks.iter().any(|c| std::ptr::eq(*c, check)) {
                    checks.push(check);
                }
            }
            checks.sort_by_key(|c| REGISTRY.iter().position(|r| std::ptr::eq(*r, *c)));
        }
        checks.retain(|c| {
            c.meta
                .compliance
                .iter()
                .any(|m| m.framework == framework.name)
        });
    }
    // Policy files are read before the scan: a mistake in them costs no scan time.
    let mutelist = args
        .mutelist
        .as_deref()
        .map(Mutelist::load)
        .transpose()
        .map_err(|e| e.to_string())?;
    let baseline = args
        .baseline
        .as_deref()
        .map(Baseline::load)
        .transpose()
        .map_err(|e| e.to_string())?;
    let (estate, live_gaps, bad_input) = crate::iac::load_source(&args.path, &args.live)?;
    let mut config = settings.config.clone();
    if !settings.wide_prefix_set || given_on_command_line("--wide-prefix") {
        config.wide = WideThreshold {
            v4_prefix: args.wide_prefix,
            ..config.wide
        };
    }
    config.emit_passes = args.passed;
    let eval = Evaluation::of(&estate);
    let network = Network::of(&estate);
    let ctx = Context {
        estate: &estate,
        eval: &eval,
        network: &network,
        config: &config,
    };
    let mut findings = ringfence_checks::run(&checks, &ctx);
    settings.apply_severity(&mut findings);
    if args.probe {
        crate::probe::confirm(&estate, &mut findings, ringfence_probe::Limits::default())?;
    }
    let mut report = ringfence_checks::report_of(&estate, findings, live_gaps, &checks);
    let now = Timestamp::now();

    if let Some(mutelist) = &mutelist {
        let tags = tag_lookup(&estate);
        mutelist.apply(&mut report, now.date(), &|f| {
            tags.get(f.resource.id.as_str())
                .map(|t| t.0.clone())
                .unwrap_or_default()
        });
        for expired in report.mutelist.iter().flat_map(|m| m.expired.iter()) {
            eprintln!(
                "ringfence: warning: {}: the mute of check {:?} in account {:?} expired on {} ({}); {} finding(s) fail again",
                mutelist.source.display(),
                expired.check,
                expired.account,
                expired.expires,
                expired.reason,
                expired.findings
            );
        }
    }
    if let Some(baseline) = &baseline {
        let ran: Vec<&str> = checks.iter().map(|c| c.meta.id).collect();
        baseline.apply(&mut report, &ran);
    }
    if let Some(framework) = framework {
        let metas: Vec<_> = checks.iter().map(|c| &c.meta).collect();
        report.compliance_report = Some(ComplianceOutcome::of(framework, &metas, &report.findings));
    }
    ringfence_fix::attach(&estate, &mut report, &args.plan_options.options(&settings))
        .map_err(|e| format!("fix plan: {e}"))?;

    let render_ctx = RenderContext {
        style: Style {
            fixes: args.fix,
            ..style(&args.output)
        },
        generated_at: now,
    };
    emit_all(&args.output, |format, out| {
        ringfence_report::render_with(&report, format, &render_ctx, out)
    })?;

    Ok(if bad_input {
        Outcome::InputError
    } else if report.fails_at(args.fail_on) {
        Outcome::Findings
    } else if !report.incomplete.is_empty() || report.summary.skip > 0 {
        Outcome::Incomplete
    } else {
        Outcome::Clean
    })
}

/// A framework by id, alias or name, or an error listing the known ones.
pub(crate) fn framework(name: &str) -> Result<&'static Framework, String> {
    frameworks::framework(name).ok_or_else(|| {
        let known: Vec<&str> = frameworks::FRAMEWORKS.iter().map(|f| f.id).collect();
        format!(
            "unknown compliance framework {name:?} (known: {})",
            known.join(", ")
        )
    })
}

/// Whether a flag with a default was typed (so the config file's value gives way).
fn given_on_command_line(flag: &str) -> bool {
    std::env::args_os().any(|a| {
        a.to_str()
            .is_some_and(|a| a == flag || a.starts_with(&format!("{flag}=")))
    })
}

/// Tags of instances and security groups by id, for the mutelist's `Tags`.
fn tag_lookup(estate: &Estate) -> HashMap<&str, &Tags> {
    estate
        .instances
        .iter()
        .map(|i| (i.id.as_str(), &i.tags))
        .chain(
            estate
                .security_groups
                .iter()
                .map(|g| (g.id.as_str(), &g.tags)),
        )
        .collect()
}

/// The one format a listing is written in (table or JSON).
fn listing_format(args: &ListArgs) -> Result<Format, String> {
    if args.output.output_dir.is_some() {
        return Err("--output-dir is for `ringfence scan`; listings take -o FILE".to_string());
    }
    match formats(&args.output).as_slice() {
        [Format::Json] => Ok(Format::Json),
        [Format::Table] => Ok(Format::Table),
        _ => Err("listings are written as table or json".to_string()),
    }
}

pub fn list_checks(args: &ListArgs) -> Result<Outcome, String> {
    let format = listing_format(args)?;
    if let Some(name) = &args.compliance {
        let framework = framework(name)?;
        emit(&args.output, |out| {
            ringfence_report::render_compliance_listing(
                framework,
                REGISTRY,
                format,
                style(&args.output),
                out,
            )
        })?;
        return Ok(Outcome::Clean);
    }
    let groups = [
        CheckGroup {
            runs: None,
            metas: REGISTRY.iter().map(|c| &c.meta).collect(),
        },
        CheckGroup {
            runs: Some("ringfence node"),
            metas: ringfence_node::NODE_CHECKS
                .iter()
                .map(|c| &c.meta)
                .collect(),
        },
        CheckGroup {
            runs: Some("ringfence probe"),
            metas: ringfence_node::endpoint::PROBE_CHECKS.to_vec(),
        },
        CheckGroup {
            runs: Some("ringfence trail"),
            metas: ringfence_trail::DETECTORS.iter().map(|d| &d.meta).collect(),
        },
    ];
    emit(&args.output, |out| {
        ringfence_report::render_checks(&groups, format, style(&args.output), out)
    })?;
    Ok(Outcome::Clean)
}

pub fn list_catalog(args: &ListArgs) -> Result<Outcome, String> {
    let format = listing_format(args)?;
    if args.compliance.is_some() {
        return Err("--compliance applies to `ringfence checks`, `scan` and `node`".to_string());
    }
    let catalog = ringfence_checks::Catalog::embedded();
    emit(&args.output, |out| {
        ringfence_report::render_catalog(&catalog, format, style(&args.output), out)
    })?;
    Ok(Outcome::Clean)
}
