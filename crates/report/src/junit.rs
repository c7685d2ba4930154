//! JUnit XML for CI systems: one test suite per check, one test case per resource. A
//! failing finding is a `<failure>`; a SKIP, a muted finding and one already in the
//! baseline are `<skipped>` with the reason, so only what fails the exit code fails here.

use crate::Context;
use crate::text;
use ringfence_findings::{BaselineState, Finding, Report, Status};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Escapes text for XML attributes and content; characters XML 1.0 cannot carry at all
/// (control characters but tab, newline and carriage return) are written as `\u{..}`.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn case_name(f: &Finding) -> String {
    let r = &f.resource;
    let mut name = r.id.clone();
    if let Some(n) = &r.name {
        name.push_str(&format!(" ({n})"));
    }
    match &r.account {
        Some(account) => format!("{name} in {account}/{}", r.region),
        None => format!("{name} in {}", r.region),
    }
}

fn details(f: &Finding) -> String {
    let mut text = f.message.clone();
    if let Some(exposure) = &f.exposure {
        text.push_str(&format!(
            "\nPorts: {}\nSources: {}\nReachability: {}",
            text::ports(f),
            exposure.sources.join(", "),
            exposure.reachability.as_str()
        ));
        if let Some(path) = &exposure.path {
            text.push_str("\nPath:");
            for hop in path {
                text.push_str(&format!("\n  {} {}: {}", hop.kind, hop.id, hop.detail));
            }
        }
        if let Some(reason) = &exposure.reason_detail {
            text.push_str(&format!("\nReason: {reason}"));
        }
    }
    text.push_str(&format!("\nRemediation: {}", f.remediation));
    text.push_str(&format!("\nFingerprint: {}", text::fingerprint(f)));
    text
}

pub(crate) fn render(report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    // Suites in the order checks first appear (the report's sort), each with its cases.
    let mut suites: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for f in &report.findings {
        match suites.iter_mut().find(|(id, _)| *id == f.check_id) {
            Some((_, cases)) => cases.push(f),
            None => suites.push((f.check_id, vec![f])),
        }
    }
    let failing = |f: &&Finding| f.is_failing();
    let total = report.findings.len();
    let failures = report.findings.iter().filter(failing).count();
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"ringfence\" tests=\"{total}\" failures=\"{failures}\" errors=\"0\" skipped=\"{}\" timestamp=\"{}\">",
        total
            - failures
            - report
                .findings
                .iter()
                .filter(|f| f.status == Status::Pass)
                .count(),
        ctx.generated_at.rfc3339()
    );
    for (check_id, cases) in &suites {
        let suite_failures = cases.iter().filter(|f| f.is_failing()).count();
        let passes = cases.iter().filter(|f| f.status == Status::Pass).count();
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{suite_failures}\" errors=\"0\" skipped=\"{}\" timestamp=\"{}\">",
            escape(check_id),
            cases.len(),
            cases.len() - suite_failures - passes,
            ctx.generated_at.rfc3339()
        );
        for f in cases {
            let _ = write!(
                xml,
                "    <testcase classname=\"{}\" name=\"{}\"",
                escape(check_id),
                escape(&case_name(f))
            );
            let skipped = match (f.status, f.muted, f.baseline) {
                (Status::Pass, _, _) => None,
                (Status::Skip, _, _) => Some(format!("could not judge: {}", f.message)),
                (Status::Fail, true, _) => {
                    Some(format!("muted: {}", f.mute_reason.as_deref().unwrap_or("")))
                }
                (Status::Fail, false, Some(BaselineState::Unchanged)) => {
                    Some("in the baseline".to_string())
                }
                (Status::Fail, false, _) => {
                    let _ = writeln!(xml, ">");
                    let _ = writeln!(
                        xml,
                        "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                        f.severity.as_str(),
                        escape(&f.message),
                        escape(&details(f))
                    );
                    let _ = writeln!(xml, "    </testcase>");
                    continue;
                }
            };
            match skipped {
                None => {
                    let _ = writeln!(xml, "/>");
                }
                Some(message) => {
                    let _ = writeln!(xml, ">");
                    let _ = writeln!(xml, "      <skipped message=\"{}\"/>", escape(&message));
                    let _ = writeln!(xml, "    </testcase>");
                }
            }
        }
        let _ = writeln!(xml, "  </testsuite>");
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(
            escape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &apos;y&apos;)&lt;/script&gt;"
        );
        assert_eq!(escape("a\u{1b}b\nc"), "a\\u{1b}b\nc");
    }
}
