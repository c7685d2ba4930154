use crate::{Style, sanitize};
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};
use ringfence_findings::{
    BaselineState, Finding, PortSpan, Reachability, Report, Severity, Status,
};
use ringfence_fix::{FindingChange, FindingFix, RuleChange};
use std::io::{self, Write};

pub(crate) fn severity_color(severity: Severity) -> Color {
    match severity {
        Severity::Critical => Color::Magenta,
        Severity::High => Color::Red,
        Severity::Medium => Color::Yellow,
        Severity::Low => Color::Blue,
        Severity::Info => Color::Grey,
    }
}

pub(crate) fn new_table(style: Style) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_HORIZONTAL_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if style.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    if let Some(width) = style.width {
        table.set_width(width);
    }
    table
}

fn ports(spans: &[PortSpan]) -> String {
    spans
        .iter()
        .map(|s| {
            let range = if s.protocol == "-1" {
                "all traffic".to_string()
            } else if s.from == s.to {
                format!("{}/{}", s.protocol, s.from)
            } else {
                format!("{}/{}-{}", s.protocol, s.from, s.to)
            };
            match &s.service {
                Some(service) => format!("{range} {service}"),
                None => range,
            }
        })
        .collect::<Vec<_>>()
        .join(if spans.iter().any(|s| s.service.is_some()) {
            "\n"
        } else {
            ", "
        })
}

fn row(finding: &Finding, style: Style) -> Vec<Cell> {
    let mut severity = match finding.status {
        Status::Fail => finding.severity.as_str().to_uppercase(),
        other => other.as_str().to_string(),
    };
    if finding.muted {
        severity.push_str("\nMUTED");
    }
    if finding.baseline == Some(BaselineState::New) {
        severity.push_str("\nNEW");
    }
    let mut severity = Cell::new(severity);
    if style.color && finding.is_failing() {
        severity = severity
            .fg(severity_color(finding.severity))
            .add_attribute(Attribute::Bold);
    }
    let resource = &finding.resource;
    let mut name = sanitize(&resource.id);
    if let Some(n) = &resource.name {
        name.push_str(&format!("\n{}", sanitize(n)));
    }
    // Code (Terraform, CloudFormation) is placed by file:line; deployed resources by
    // account and region.
    let code_line = resource.location.as_ref().and_then(|loc| {
        loc.line
            .map(|line| format!("{}:{line}", sanitize(&loc.file)))
    });
    let place = match (code_line, &resource.account) {
        (Some(at), _) => at,
        (None, Some(account)) => format!("{}\n{}", sanitize(account), sanitize(&resource.region)),
        (None, None) => sanitize(&resource.region),
    };
    let (open, from, reach) = match &finding.exposure {
        Some(exposure) => (
            ports(&exposure.ports),
            exposure
                .sources
                .iter()
                .map(|s| sanitize(s))
                .collect::<Vec<_>>()
                .join("\n"),
            match &exposure.reason {
                Some(reason) => format!("{}\n{reason}", exposure.reachability.as_str()),
                None if exposure.reachable_sources != exposure.sources => format!(
                    "{}\nonly from {}",
                    exposure.reachability.as_str(),
                    exposure.reachable_sources.join(", ")
                ),
                None => exposure.reachability.as_str().to_string(),
            },
        ),
        None => (sanitize(&finding.message), String::new(), String::new()),
    };
    let mut reach = Cell::new(reach);
    if style.color
        && finding
            .exposure
            .as_ref()
            .is_some_and(|e| e.reachability == Reachability::Reachable)
    {
        reach = reach.fg(Color::Red).add_attribute(Attribute::Bold);
    }
    vec![
        severity,
        Cell::new(name),
        Cell::new(place),
        Cell::new(open),
        Cell::new(from),
        reach,
    ]
}

/// The fixes of one check's failing findings, each rule change once, as a person reads
/// them; `ringfence fix` prints the same changes as commands.
fn fixes(members: &[&Finding], out: &mut dyn Write) -> io::Result<()> {
    let mut seen: Vec<(String, RuleChange)> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for finding in members.iter().filter(|f| f.is_failing()) {
        let Some(fix) = finding
            .fix
            .as_ref()
            .and_then(|raw| serde_json::from_str::<FindingFix>(raw.get()).ok())
        else {
            continue;
        };
        for FindingChange { group_id, change } in fix.changes {
            if seen.iter().any(|(g, c)| *g == group_id && *c == change) {
                continue;
            }
            let mut line = format!(
                "  {} [{}] revoke {}",
                sanitize(&group_id),
                change.safety.as_str(),
                sanitize(&change.revoke.text())
            );
            if let Some(id) = &change.revoke.rule_id {
                line.push_str(&format!(" ({})", sanitize(id)));
            }
            for add in &change.authorize {
                line.push_str(&format!("\n      authorize {}", sanitize(&add.text())));
            }
            line.push_str(&format!("\n      {}", sanitize(&change.reason)));
            lines.push(line);
            seen.push((group_id, change));
        }
        for shown in fix.display_only {
            lines.push(format!(
                "  {} [display-only] {}: {}",
                sanitize(&shown.group_id),
                sanitize(&shown.rule),
                sanitize(&shown.reason)
            ));
        }
    }
    if !lines.is_empty() {
        writeln!(out, "Fixes (`ringfence fix` prints them as commands):")?;
        for line in lines {
            writeln!(out, "{line}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Findings grouped under their check's title, one table per check, worst first.
pub(crate) fn render(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if report.trail.is_some() {
        trail_tables(report, style, out)?;
    } else {
        check_tables(report, style, out)?;
    }
    summary(report, style, out)
}

fn heading(text: &str, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if style.color {
        writeln!(out, "\x1b[1m{text}\x1b[0m")
    } else {
        writeln!(out, "{text}")
    }
}

fn severity_cell(finding: &Finding, style: Style) -> Cell {
    let text = match finding.status {
        Status::Fail => finding.severity.as_str().to_uppercase(),
        other => other.as_str().to_string(),
    };
    let cell = Cell::new(text);
    if style.color && finding.is_failing() {
        cell.fg(severity_color(finding.severity))
            .add_attribute(Attribute::Bold)
    } else {
        cell
    }
}

/// `ringfence trail`: a table per detector (who, when, what), or with `--timeline` one
/// table in the order things happened.
fn trail_tables(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let who = |f: &Finding| {
        f.event.as_ref().map_or(String::new(), |e| {
            let mut text = sanitize(e.actor.label());
            if let Some(ip) = &e.actor.source_ip {
                text.push_str(&format!("\n{}", sanitize(ip)));
            }
            text
        })
    };
    // The message names the actor and the time for the formats without columns; here
    // they have their own.
    let what = |f: &Finding| {
        let text = f
            .event
            .as_ref()
            .and_then(|e| f.message.strip_prefix(e.event_name.as_str()))
            .and_then(|rest| rest.split_once(": ").map(|(_, what)| what))
            .unwrap_or(&f.message);
        sanitize(text)
    };
    let when = |f: &Finding| {
        f.event.as_ref().map_or(String::new(), |e| {
            format!("{}\n{}", sanitize(&e.time), sanitize(&e.event_name))
        })
    };
    if style.timeline {
        let mut findings: Vec<&Finding> = report.findings.iter().collect();
        findings.sort_by(|a, b| {
            let time = |f: &Finding| f.event.as_ref().map(|e| e.time.clone());
            time(a).cmp(&time(b))
        });
        heading("Timeline", style, out)?;
        let mut table = new_table(style);
        table.set_header(["WHEN", "SEVERITY", "WHO", "RESOURCE", "WHAT"]);
        for f in findings {
            table.add_row(vec![
                Cell::new(when(f)),
                severity_cell(f, style),
                Cell::new(who(f)),
                Cell::new(format!(
                    "{}\n{}",
                    sanitize(&f.resource.id),
                    sanitize(&f.resource.region)
                )),
                Cell::new(format!("{}\n[{}]", what(f), f.check_id)),
            ]);
        }
        return writeln!(out, "{table}\n");
    }
    let mut groups: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for finding in &report.findings {
        match groups.iter_mut().find(|(id, _)| *id == finding.check_id) {
            Some((_, members)) => members.push(finding),
            None => groups.push((finding.check_id, vec![finding])),
        }
    }
    for (check_id, members) in groups {
        let title = crate::text::meta_of(check_id).map_or("", |m| m.title);
        heading(&format!("{title} [{check_id}]"), style, out)?;
        let mut table = new_table(style);
        table.set_header(["SEVERITY", "RESOURCE", "WHEN", "WHO", "WHAT"]);
        for f in members {
            table.add_row(vec![
                severity_cell(f, style),
                Cell::new(format!(
                    "{}\n{}",
                    sanitize(&f.resource.id),
                    sanitize(&f.resource.region)
                )),
                Cell::new(when(f)),
                Cell::new(who(f)),
                Cell::new(what(f)),
            ]);
        }
        writeln!(out, "{table}\n")?;
    }
    Ok(())
}

fn check_tables(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    // One table per check and status, in the order their worst finding comes.
    let mut groups: Vec<(&str, Status, Vec<&Finding>)> = Vec::new();
    for finding in &report.findings {
        match groups
            .iter_mut()
            .find(|(id, status, _)| *id == finding.check_id && *status == finding.status)
        {
            Some((_, _, members)) => members.push(finding),
            None => groups.push((finding.check_id, finding.status, vec![finding])),
        }
    }
    for (check_id, _, members) in groups {
        let title = crate::text::meta_of(check_id).map_or("", |m| m.title);
        let heading = format!("{title} [{check_id}]");
        if style.color {
            writeln!(out, "\x1b[1m{heading}\x1b[0m")?;
        } else {
            writeln!(out, "{heading}")?;
        }
        let mut table = new_table(style);
        table.set_header([
            "SEVERITY",
            "RESOURCE",
            "WHERE",
            "OPEN / DETAIL",
            "FROM",
            "PATH",
        ]);
        for finding in &members {
            table.add_row(row(finding, style));
        }
        writeln!(out, "{table}\n")?;
        if style.fixes {
            fixes(&members, out)?;
        }
    }
    Ok(())
}

fn summary(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let summary = &report.summary;
    let by_severity: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|s| summary.by_severity.get(s).map(|n| format!("{n} {s}")))
        .collect();
    let failing = if by_severity.is_empty() {
        "no failing findings".to_string()
    } else {
        format!("{} failing ({})", summary.fail, by_severity.join(", "))
    };
    let muted = if summary.muted > 0 {
        format!(" ({} muted)", summary.muted)
    } else {
        String::new()
    };
    writeln!(
        out,
        "{failing}{muted}; {} skipped, {} passed; {} checks run.",
        summary.skip, summary.pass, summary.checks_run
    )?;
    if let Some(trail) = &report.trail {
        let skipped: u64 = trail.skipped.values().sum();
        let ignored: u64 = trail.ignored.values().sum();
        writeln!(
            out,
            "Read {} file(s), {} record(s): {} analysed, {} skipped as unusable, {} events not from CloudTrail.",
            trail.files, trail.records, trail.analysed, skipped, ignored
        )?;
        for (detector, count) in &trail.unjudged {
            writeln!(
                out,
                "Not judged by {detector}: {count} event(s) (instance unknown; give --estate)."
            )?;
        }
    }
    if let Some(baseline) = &report.baseline {
        writeln!(
            out,
            "Since the baseline ({}): {} new, {} unchanged, {} fixed.",
            sanitize(&baseline.source),
            baseline.new,
            baseline.unchanged,
            baseline.fixed.len()
        )?;
        for fixed in &baseline.fixed {
            let name = fixed
                .resource_name
                .as_deref()
                .map(|n| format!(" ({})", sanitize(n)))
                .unwrap_or_default();
            writeln!(
                out,
                "  fixed: {} {}{name} in {}/{}",
                sanitize(&fixed.check_id),
                sanitize(&fixed.resource_id),
                sanitize(fixed.account.as_deref().unwrap_or("-")),
                sanitize(&fixed.region)
            )?;
        }
    }
    if let Some(mutelist) = &report.mutelist {
        for expired in &mutelist.expired {
            writeln!(
                out,
                "Expired mute: check {} in account {} expired on {} ({}); {} finding(s) fail again.",
                sanitize(&expired.check),
                sanitize(&expired.account),
                sanitize(&expired.expires),
                sanitize(&expired.reason),
                expired.findings
            )?;
        }
    }
    if let Some(compliance) = &report.compliance_report {
        writeln!(out, "\n{} by control:", compliance.name)?;
        let mut table = new_table(style);
        table.set_header(["CONTROL", "STATUS", "FAILING", "MUTED", "TITLE", "CHECKS"]);
        for control in &compliance.controls {
            table.add_row([
                control.control.to_string(),
                control.status.as_str().to_string(),
                control.fail.to_string(),
                control.muted.to_string(),
                control.title.to_string(),
                control.checks.join("\n"),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    if !report.incomplete.is_empty() {
        writeln!(
            out,
            "\nIncomplete: {} gap(s) in what could be read:",
            report.incomplete.len()
        )?;
        for gap in &report.incomplete {
            let place = match &gap.account {
                Some(account) => format!("{}/{}", sanitize(account), sanitize(&gap.region)),
                None => sanitize(&gap.region),
            };
            let subject = gap
                .subject
                .as_deref()
                .map(|s| format!(" {}", sanitize(s)))
                .unwrap_or_default();
            writeln!(
                out,
                "  - {place} {}{subject}: {}",
                gap.kind,
                sanitize(&gap.reason)
            )?;
        }
    }
    Ok(())
}
