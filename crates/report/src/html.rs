//! One self-contained HTML page: summary by severity, check, account and region;
//! findings sortable and filterable; each with its path (drawn as a graph from the
//! internet to the instance's port) or the reason it is not reachable, and its fix.
//!
//! Everything is rendered here, on the server side, and every string that came from the
//! input (names, descriptions, tags, ids, messages) goes through [`escape`]. The page
//! fetches nothing: the styles and the small sorting and filtering script are inline, and
//! a Content-Security-Policy forbids any other source.

use crate::Context;
use crate::text;
use ringfence_findings::{Exposure, Finding, PathHop, Reachability, Report, Severity, Status};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Escapes text for HTML content and quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn rank(severity: Severity) -> u8 {
    match severity {
        Severity::Info => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

const STYLE: &str = r#"
:root{--crit:#7b1fa2;--high:#c62828;--med:#ef6c00;--low:#1565c0;--info:#616161;--line:#ddd;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222}
body{margin:0 auto;max-width:1400px;padding:1rem 1.5rem}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}
.meta{color:#666;font-size:.9rem}
.cards{display:flex;gap:.8rem;flex-wrap:wrap;margin:.8rem 0}
.card{border:1px solid var(--line);border-radius:6px;padding:.5rem .9rem;min-width:7rem}
.card b{display:block;font-size:1.6rem}
.sev-critical{color:var(--crit)}.sev-high{color:var(--high)}.sev-medium{color:var(--med)}.sev-low{color:var(--low)}.sev-info{color:var(--info)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:1rem}
.grid>div:first-child{grid-column:1/-1}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f6f6;position:sticky;top:0}
#findings th{cursor:pointer;user-select:none}
#findings th[aria-sort=ascending]::after{content:" \25B2"}#findings th[aria-sort=descending]::after{content:" \25BC"}
.badge{display:inline-block;border-radius:3px;padding:0 .35rem;font-size:.78rem;font-weight:600;color:#fff}
.b-critical{background:var(--crit)}.b-high{background:var(--high)}.b-medium{background:var(--med)}.b-low{background:var(--low)}.b-info{background:var(--info)}
.b-muted{background:#9e9e9e}.b-new{background:#2e7d32}.b-skip{background:#6d4c41}.b-pass{background:#2e7d32}
.filters{display:flex;gap:.8rem;flex-wrap:wrap;align-items:center;margin:.5rem 0;padding:.5rem;background:#fafafa;border:1px solid var(--line);border-radius:6px}
.filters input[type=search]{min-width:22rem;padding:.25rem}
tbody.muted td{color:#888}
tbody.finding tr:first-child td{border-bottom:none}
tr.more td{padding-top:0}
details summary{cursor:pointer;color:#1565c0}
.detail{margin:.4rem 0 .6rem;max-width:70rem}
.detail ol{margin:.2rem 0 .2rem 1.2rem;padding:0}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85em}
svg.graph{display:block;margin:.5rem 0;max-width:100%;height:auto}
svg.graph rect{fill:#fff;stroke:#555;rx:6}
svg.graph .internet rect{fill:#ffebee;stroke:var(--high)}
svg.graph .target rect{fill:#f3e5f5;stroke:var(--crit)}
svg.graph text{font-size:11px;font-family:system-ui,sans-serif}
svg.graph line{stroke:#555;stroke-width:1.5}
#js-errors{color:#b71c1c}
.none{color:#666;font-style:italic}
"#;

const SCRIPT: &str = r#"
(function () {
  "use strict";
  var errors = document.getElementById("js-errors");
  window.addEventListener("error", function (e) {
    errors.textContent += "script error: " + e.message + "\n";
  });
  var table = document.getElementById("findings");
  // One <tbody> per finding: its summary row, then the row with its details.
  var items = Array.prototype.slice.call(table.tBodies);
  var search = document.getElementById("filter-text");
  var severity = document.getElementById("filter-severity");
  var status = document.getElementById("filter-status");
  var muted = document.getElementById("filter-muted");
  var shown = document.getElementById("shown");
  function apply() {
    var q = search.value.toLowerCase();
    var min = severity.value === "" ? -1 : parseInt(severity.value, 10);
    var n = 0;
    items.forEach(function (item) {
      var ok = (q === "" || item.textContent.toLowerCase().indexOf(q) !== -1)
        && parseInt(item.getAttribute("data-rank"), 10) >= min
        && (status.value === "" || item.getAttribute("data-status") === status.value)
        && (muted.checked || item.getAttribute("data-muted") !== "true");
      item.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = String(n);
  }
  [search, severity, status, muted].forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, index) {
    th.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = th.getAttribute("data-type") === "number";
      var key = function (item) {
        var cell = item.rows[0].cells[index];
        var value = cell.getAttribute("data-sort");
        if (value === null) { value = cell.textContent.trim(); }
        return numeric ? parseFloat(value) : value.toLowerCase();
      };
      items.sort(function (a, b) {
        var x = key(a), y = key(b);
        var order = x < y ? -1 : (x > y ? 1 : 0);
        return ascending ? order : -order;
      });
      items.forEach(function (item) { table.appendChild(item); });
    });
  });
  apply();
  document.body.setAttribute("data-ready", "true");
})();
"#;

/// The exposure as a left-to-right graph: internet → gateway → subnet → group → instance:port.
fn graph(finding: &Finding, exposure: &Exposure, path: &[PathHop]) -> String {
    let hop = |kind: &str| path.iter().find(|h| h.kind == kind);
    let mut nodes: Vec<(&str, String, String)> = Vec::new();
    let sources = if exposure.reachable_sources.is_empty() {
        exposure.sources.join(", ")
    } else {
        exposure.reachable_sources.join(", ")
    };
    nodes.push(("internet", "Internet".into(), sources));
    if let Some(igw) = hop("internet-gateway") {
        nodes.push(("", "Internet gateway".into(), igw.id.clone()));
    }
    let eni = hop("network-interface");
    if let Some(subnet) = eni.and_then(|h| {
        h.detail
            .split_whitespace()
            .find(|w| w.starts_with("subnet-"))
    }) {
        nodes.push(("", "Subnet".into(), subnet.to_string()));
    }
    if let Some(rule) = hop("security-group-rule") {
        let group = rule
            .detail
            .split_whitespace()
            .next()
            .unwrap_or(&rule.id)
            .to_string();
        nodes.push(("", "Security group".into(), group));
    }
    let target = hop("instance").map_or_else(|| finding.resource.id.clone(), |h| h.id.clone());
    let ports: Vec<String> = exposure
        .ports
        .iter()
        .filter(|p| p.reachability == Reachability::Reachable)
        .map(text::span)
        .collect();
    nodes.push(("target", target, ports.join(", ")));

    const W: usize = 170;
    const GAP: usize = 40;
    const H: usize = 54;
    let width = nodes.len() * W + (nodes.len() - 1) * GAP + 2;
    let mut svg = format!(
        "<svg class=\"graph\" role=\"img\" viewBox=\"0 0 {width} {}\" width=\"{width}\" height=\"{}\" aria-label=\"network path from the internet to {}\">",
        H + 4,
        H + 4,
        escape(&finding.resource.id)
    );
    for (i, (class, title, detail)) in nodes.iter().enumerate() {
        let x = 1 + i * (W + GAP);
        let short = |s: &str| {
            if s.chars().count() > 26 {
                format!("{}…", s.chars().take(25).collect::<String>())
            } else {
                s.to_string()
            }
        };
        let _ = write!(
            svg,
            "<g class=\"{class}\"><title>{}: {}</title><rect x=\"{x}\" y=\"2\" width=\"{W}\" height=\"{H}\"></rect>\
<text x=\"{}\" y=\"22\" text-anchor=\"middle\" font-weight=\"600\">{}</text>\
<text x=\"{}\" y=\"41\" text-anchor=\"middle\">{}</text></g>",
            escape(title),
            escape(detail),
            x + W / 2,
            escape(&short(title)),
            x + W / 2,
            escape(&short(detail)),
        );
        if i + 1 < nodes.len() {
            let (x1, x2, y) = (x + W, x + W + GAP - 6, 2 + H / 2);
            let _ = write!(
                svg,
                "<line x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\"></line><polygon points=\"{x2},{} {},{y} {x2},{}\" fill=\"#555\"></polygon>",
                y - 5,
                x2 + 6,
                y + 5
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn detail(finding: &Finding) -> String {
    let mut html = String::from("<details><summary>details</summary><div class=\"detail\">");
    let _ = write!(html, "<p>{}</p>", escape(&finding.message));
    if finding.muted {
        let _ = write!(
            html,
            "<p><span class=\"badge b-muted\">MUTED</span> {}{}</p>",
            escape(finding.mute_reason.as_deref().unwrap_or("")),
            finding
                .mute_expires
                .as_deref()
                .map(|d| format!(" (until {})", escape(d)))
                .unwrap_or_default()
        );
    }
    if let Some(exposure) = &finding.exposure {
        match &exposure.path {
            Some(path) => {
                html.push_str(&graph(finding, exposure, path));
                html.push_str("<p><b>Path from the internet</b></p><ol>");
                for hop in path {
                    let _ = write!(
                        html,
                        "<li><span class=\"mono\">{}</span> <code>{}</code>: {}</li>",
                        escape(&hop.kind),
                        escape(&hop.id),
                        escape(&hop.detail)
                    );
                }
                html.push_str("</ol>");
            }
            None => {
                let _ = write!(
                    html,
                    "<p><b>Not reachable today</b> ({}): {}</p>",
                    escape(
                        exposure
                            .reason
                            .as_deref()
                            .unwrap_or(exposure.reachability.as_str())
                    ),
                    escape(exposure.reason_detail.as_deref().unwrap_or(""))
                );
            }
        }
        if !exposure.rules.is_empty() {
            html.push_str("<p><b>Rules that let it in</b></p><ul>");
            for rule in &exposure.rules {
                let ports = match (rule.from, rule.to) {
                    (Some(f), Some(t)) if f == t => format!("{}/{f}", rule.protocol),
                    (Some(f), Some(t)) => format!("{}/{f}-{t}", rule.protocol),
                    _ => rule.protocol.clone(),
                };
                let _ = write!(
                    html,
                    "<li><code>{}</code> ({}) {} {} from <code>{}</code>{}</li>",
                    escape(&rule.group_id),
                    escape(&rule.group_name),
                    escape(rule.rule_id.as_deref().unwrap_or("")),
                    escape(&ports),
                    escape(&rule.source),
                    rule.description
                        .as_deref()
                        .map(|d| format!(": “{}”", escape(d)))
                        .unwrap_or_default()
                );
            }
            html.push_str("</ul>");
        }
    }
    let _ = write!(html, "<p><b>Fix</b>: {}</p>", escape(finding.remediation));
    if !finding.compliance.is_empty() {
        let _ = write!(
            html,
            "<p><b>Compliance</b>: {}</p>",
            escape(&text::compliance(finding).join("; "))
        );
    }
    if let Some(location) = &finding.resource.location {
        let _ = write!(
            html,
            "<p class=\"meta\">Read from <code>{}</code>{}</p>",
            escape(&location.file),
            location
                .pointer
                .as_deref()
                .map(|p| format!(" at <code>{}</code>", escape(p)))
                .unwrap_or_default()
        );
    }
    let _ = write!(
        html,
        "<p class=\"meta\">Fingerprint <code>{}</code></p></div></details>",
        escape(&text::fingerprint(finding))
    );
    html
}

fn count_table(title: &str, rows: &BTreeMap<String, [usize; 3]>) -> String {
    let mut html = format!(
        "<div><h2>By {}</h2><table><thead><tr><th>{}</th><th>failing</th><th>muted</th><th>skipped</th></tr></thead><tbody>",
        escape(title),
        escape(title)
    );
    for (key, [fail, muted, skip]) in rows {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{fail}</td><td>{muted}</td><td>{skip}</td></tr>",
            escape(key)
        );
    }
    if rows.is_empty() {
        html.push_str("<tr><td colspan=\"4\" class=\"none\">nothing</td></tr>");
    }
    html.push_str("</tbody></table></div>");
    html
}

pub(crate) fn render(report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let mut html = String::with_capacity(64 * 1024 + report.findings.len() * 2048);
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    html.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    html.push_str("<title>ringfence report</title><style>");
    html.push_str(STYLE);
    html.push_str("</style></head><body>");
    let summary = &report.summary;
    let _ = write!(
        html,
        "<header><h1>ringfence report</h1><p class=\"meta\">{} {} · generated {} · {} checks run · {} failing, {} muted, {} skipped, {} passed</p></header>",
        escape(report.tool.name),
        escape(report.tool.version),
        escape(&ctx.generated_at.rfc3339()),
        summary.checks_run,
        summary.fail,
        summary.muted,
        summary.skip,
        summary.pass
    );
    html.push_str("<pre id=\"js-errors\"></pre>");

    // Summary by severity.
    html.push_str("<section><h2>Failing findings by severity</h2><div class=\"cards\">");
    for severity in Severity::ALL {
        let n = summary.by_severity.get(&severity).copied().unwrap_or(0);
        let _ = write!(
            html,
            "<div class=\"card sev-{s}\"><b>{n}</b>{s}</div>",
            s = severity.as_str()
        );
    }
    html.push_str("</div></section>");

    // By check, account and region.
    let mut by_check: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    let mut by_account: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    let mut by_region: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for f in &report.findings {
        let slot = match (f.status, f.muted) {
            (Status::Fail, false) => 0,
            (Status::Fail, true) => 1,
            (Status::Skip, _) => 2,
            (Status::Pass, _) => continue,
        };
        by_check.entry(f.check_id.to_string()).or_default()[slot] += 1;
        by_account
            .entry(
                f.resource
                    .account
                    .clone()
                    .unwrap_or_else(|| "(unknown)".into()),
            )
            .or_default()[slot] += 1;
        by_region.entry(f.resource.region.clone()).or_default()[slot] += 1;
    }
    html.push_str("<section class=\"grid\">");
    html.push_str(&count_table("check", &by_check));
    html.push_str(&count_table("account", &by_account));
    html.push_str(&count_table("region", &by_region));
    html.push_str("</section>");

    if let Some(compliance) = &report.compliance_report {
        let _ = write!(
            html,
            "<section><h2>Compliance: {}</h2><table><thead><tr><th>control</th><th>title</th><th>status</th><th>failing</th><th>muted</th><th>checks</th></tr></thead><tbody>",
            escape(compliance.name)
        );
        for c in &compliance.controls {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(c.control),
                escape(c.title),
                c.status.as_str(),
                c.fail,
                c.muted,
                escape(&c.checks.join(", "))
            );
        }
        html.push_str("</tbody></table></section>");
    }
    if let Some(baseline) = &report.baseline {
        let _ = write!(
            html,
            "<section><h2>Since the baseline</h2><p>{} new, {} unchanged, {} fixed (baseline <code>{}</code>).</p>",
            baseline.new,
            baseline.unchanged,
            baseline.fixed.len(),
            escape(&baseline.source)
        );
        if !baseline.fixed.is_empty() {
            html.push_str("<table><thead><tr><th>fixed</th><th>check</th><th>resource</th><th>where</th></tr></thead><tbody>");
            for f in &baseline.fixed {
                let _ = write!(
                    html,
                    "<tr><td>{}</td><td>{}</td><td><code>{}</code> {}</td><td>{} {}</td></tr>",
                    escape(&f.message),
                    escape(&f.check_id),
                    escape(&f.resource_id),
                    escape(f.resource_name.as_deref().unwrap_or("")),
                    escape(f.account.as_deref().unwrap_or("")),
                    escape(&f.region)
                );
            }
            html.push_str("</tbody></table>");
        }
        html.push_str("</section>");
    }
    if let Some(mutelist) = &report.mutelist
        && !mutelist.expired.is_empty()
    {
        html.push_str("<section><h2>Expired mutes</h2><p>These mutelist rules are past their date: their findings fail again.</p><ul>");
        for e in &mutelist.expired {
            let _ = write!(
                html,
                "<li>check <code>{}</code> in account <code>{}</code>, expired {}: {} ({} findings)</li>",
                escape(&e.check),
                escape(&e.account),
                escape(&e.expires),
                escape(&e.reason),
                e.findings
            );
        }
        html.push_str("</ul></section>");
    }
    if !report.incomplete.is_empty() {
        html.push_str("<section><h2>Incomplete</h2><ul>");
        for gap in &report.incomplete {
            let _ = write!(
                html,
                "<li>{}/{} {}: {}</li>",
                escape(gap.account.as_deref().unwrap_or("")),
                escape(&gap.region),
                escape(&gap.kind),
                escape(&gap.reason)
            );
        }
        html.push_str("</ul></section>");
    }

    // Findings.
    let _ = write!(
        html,
        "<section><h2>Findings (<span id=\"shown\">{}</span> of {})</h2>",
        report.findings.len(),
        report.findings.len()
    );
    html.push_str("<div class=\"filters\"><input id=\"filter-text\" type=\"search\" placeholder=\"filter: id, name, port, check…\" aria-label=\"filter\">");
    html.push_str("<label>severity at least <select id=\"filter-severity\"><option value=\"\">any</option><option value=\"4\">critical</option><option value=\"3\">high</option><option value=\"2\">medium</option><option value=\"1\">low</option></select></label>");
    html.push_str("<label>status <select id=\"filter-status\"><option value=\"\">any</option><option>FAIL</option><option>SKIP</option><option>PASS</option></select></label>");
    html.push_str(
        "<label><input id=\"filter-muted\" type=\"checkbox\" checked> show muted</label></div>",
    );
    html.push_str("<table id=\"findings\"><thead><tr><th data-type=\"number\">severity</th><th>status</th><th>check</th><th>resource</th><th>account</th><th>region</th><th>ports</th><th>reachability</th></tr></thead>");
    for f in &report.findings {
        let severity = f.severity.as_str();
        let mut badges = format!("<span class=\"badge b-{severity}\">{severity}</span>");
        if f.muted {
            badges.push_str(" <span class=\"badge b-muted\">MUTED</span>");
        }
        if f.baseline == Some(ringfence_findings::BaselineState::New) {
            badges.push_str(" <span class=\"badge b-new\">NEW</span>");
        }
        let status_class = match f.status {
            Status::Fail => "",
            Status::Skip => " b-skip",
            Status::Pass => " b-pass",
        };
        let reach = f
            .exposure
            .as_ref()
            .map(|e| match &e.reason {
                Some(reason) => format!("{} ({})", e.reachability.as_str(), reason),
                None => e.reachability.as_str().to_string(),
            })
            .unwrap_or_default();
        let _ = write!(
            html,
            "<tbody class=\"finding{}\" data-rank=\"{}\" data-status=\"{}\" data-muted=\"{}\"><tr>\
<td data-sort=\"{}\">{badges}</td><td><span class=\"badge{status_class}\" style=\"color:inherit\">{}</span></td>\
<td title=\"{}\"><code>{}</code></td><td><code>{}</code><br>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr><tr class=\"more\"><td colspan=\"8\">{}</td></tr></tbody>",
            if f.muted { " muted" } else { "" },
            rank(f.severity),
            f.status.as_str(),
            f.muted,
            rank(f.severity),
            f.status.as_str(),
            escape(text::title(f)),
            escape(f.check_id),
            escape(&f.resource.id),
            escape(f.resource.name.as_deref().unwrap_or("")),
            escape(f.resource.account.as_deref().unwrap_or("")),
            escape(&f.resource.region),
            escape(&text::ports(f)),
            escape(&reach),
            detail(f)
        );
    }
    html.push_str("</table></section>");
    html.push_str("<script>");
    html.push_str(SCRIPT);
    html.push_str("</script></body></html>\n");
    out.write_all(html.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(escape("a\"b'c&d"), "a&quot;b&#39;c&amp;d");
    }
}
