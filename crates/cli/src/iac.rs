//! `scan <path>` on infrastructure as code: the kind of input is detected from the path
//! (a directory of `.tf`, a plan JSON, a CloudFormation template); anything else goes on
//! to the snapshot and live sources.

use crate::args::LiveArgs;
use ringfence_findings::IncompleteEntry;
use ringfence_model::Estate;
use std::path::Path;

/// Extensions that can only mean code: a missing file with one of them is reported as
/// such, not as a missing snapshot folder.
const CODE_EXTENSIONS: [&str; 5] = ["tf", "json", "yaml", "yml", "template"];

/// The estate to scan, what could not be read, and whether some input was bad (a file in
/// a scanned folder of code that does not parse): then the report is still written, every
/// bad file is named on stderr and in `incomplete`, and the scan exits 2.
pub fn load_source(
    path: &Path,
    live: &LiveArgs,
) -> Result<(Estate, Vec<IncompleteEntry>, bool), String> {
    if let Some(kind) = ringfence_iac::detect(path) {
        if live.is_set() {
            return Err(format!(
                "live-scan options (--profile, --region, --role-arn, ...) apply to `ringfence scan aws`, not to {}",
                path.display()
            ));
        }
        if kind == ringfence_iac::Kind::Directory {
            let (estate, errors) = ringfence_iac::load_tree(path).map_err(|e| e.to_string())?;
            let gaps: Vec<IncompleteEntry> = errors
                .iter()
                .map(|e| {
                    eprintln!("ringfence: error: {e}");
                    IncompleteEntry {
                        account: None,
                        region: "iac".into(),
                        kind: "code".into(),
                        subject: None,
                        reason: e.to_string(),
                    }
                })
                .collect();
            let bad = !gaps.is_empty();
            return Ok((estate, gaps, bad));
        }
        let estate = ringfence_iac::load(path, kind).map_err(|e| e.to_string())?;
        return Ok((estate, Vec::new(), false));
    }
    if !path.exists()
        && path
            .extension()
            .is_some_and(|x| CODE_EXTENSIONS.iter().any(|c| x == *c))
    {
        return Err(format!("{}: no such file", path.display()));
    }
    let describe = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("describe-"));
    if path.is_file() && !describe {
        return Err(format!(
            "{}: not a Terraform file, plan JSON (`terraform show -json`) or CloudFormation template (no AWSTemplateFormatVersion or Resources), and not a snapshot folder",
            path.display()
        ));
    }
    crate::live::load_source(path, live).map(|(estate, gaps)| (estate, gaps, false))
}

/// `ringfence fix <code>`: the fix plan as edits to the code, each at the file:line of the
/// rule it changes, with the replacement written in the file's own language (a Terraform
/// `ingress` block or rule resource, a CloudFormation permission). `--format json` gives
/// the plan as data. `None` when the path is not code.
pub fn fix_code(args: &crate::fix::FixArgs) -> Result<Option<crate::Outcome>, String> {
    let Some(kind) = ringfence_iac::detect(&args.path) else {
        return Ok(None);
    };
    if args.apply {
        return Err(format!(
            "--apply changes a live account; for code, edit {} as `ringfence fix {}` shows",
            args.path.display(),
            args.path.display()
        ));
    }
    let estate = ringfence_iac::load(&args.path, kind).map_err(|e| e.to_string())?;
    let plan = crate::fix::plan(args, &estate)?;
    let text = if args.format == crate::fix::FixFormat::Json {
        ringfence_fix::render(&plan, ringfence_fix::Format::Json)
    } else {
        render_edits(&plan)
    };
    crate::fix::write_out(args.output.as_deref(), &text)?;
    Ok(Some(crate::Outcome::Clean))
}

/// `main.tf:14` from a rule id such as `aws_security_group.db ingress[0] (main.tf:14)`.
fn place_of(rule_id: &str) -> Option<(&str, &str)> {
    let open = rule_id.rfind(" (")?;
    let name = &rule_id[..open];
    let place = rule_id[open + 2..].strip_suffix(')')?;
    Some((name, place))
}

fn render_edits(plan: &ringfence_fix::Plan) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if plan.groups.is_empty() {
        out.push_str("# ringfence: nothing to change (no failing exposure finding names a rule)\n");
        return out;
    }
    let mut added = 0;
    for group in &plan.groups {
        for change in &group.changes {
            let rule = change.revoke.rule_id.as_deref().unwrap_or("");
            let (name, place) = place_of(rule).unwrap_or((rule, "?"));
            let code = if place.contains(".tf:") {
                Code::Terraform
            } else {
                Code::CloudFormation
            };
            let _ = writeln!(
                out,
                "# {place}: {name} on {}: {} from {} ({}: {})",
                group.group_id,
                change.revoke.traffic_text(),
                change.revoke.peer.text(),
                change.safety.as_str(),
                change.reason
            );
            let _ = writeln!(
                out,
                "#   remove {} from it (the whole rule if that is its only source)",
                change.revoke.peer.text()
            );
            if change.authorize.is_empty() {
                out.push('\n');
                continue;
            }
            let standalone = !name.contains(" ingress[");
            out.push_str("#   and add:\n");
            for p in &change.authorize {
                added += 1;
                out.push_str(&block(code, p, standalone, &group.group_id, added));
            }
            out.push('\n');
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Code {
    Terraform,
    CloudFormation,
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

/// One permission in the file's language.
fn block(
    code: Code,
    p: &ringfence_fix::Permission,
    standalone: bool,
    group: &str,
    n: usize,
) -> String {
    use ringfence_fix::Peer;
    let (from, to) = (p.from_port.unwrap_or(0), p.to_port.unwrap_or(0));
    match code {
        Code::Terraform if standalone => {
            let source = match &p.peer {
                Peer::Cidr { cidr } => format!("cidr_ipv4         = {}", quoted(cidr)),
                Peer::Ipv6Cidr { cidr } => format!("cidr_ipv6         = {}", quoted(cidr)),
                Peer::PrefixList { id } => format!("prefix_list_id    = {}", quoted(id)),
                Peer::Group { group_id, .. } => {
                    format!("referenced_security_group_id = {}", reference(group_id))
                }
            };
            let ports = if p.protocol == "-1" {
                String::new()
            } else {
                format!("  from_port         = {from}\n  to_port           = {to}\n")
            };
            format!(
                "resource \"aws_vpc_security_group_ingress_rule\" \"ringfence_{n}\" {{\n  security_group_id = {}\n  ip_protocol       = {}\n{ports}  {source}\n}}\n",
                reference(group),
                quoted(&p.protocol)
            )
        }
        Code::Terraform => {
            let source = match &p.peer {
                Peer::Cidr { cidr } => format!("cidr_blocks      = [{}]", quoted(cidr)),
                Peer::Ipv6Cidr { cidr } => format!("ipv6_cidr_blocks = [{}]", quoted(cidr)),
                Peer::PrefixList { id } => format!("prefix_list_ids  = [{}]", reference(id)),
                Peer::Group { group_id, .. } if group_id == group => {
                    "self             = true".into()
                }
                Peer::Group { group_id, .. } => {
                    format!("security_groups  = [{}]", reference(group_id))
                }
            };
            format!(
                "  ingress {{\n    from_port        = {from}\n    to_port          = {to}\n    protocol         = {}\n    {source}\n  }}\n",
                quoted(&p.protocol)
            )
        }
        Code::CloudFormation => {
            let source = match &p.peer {
                Peer::Cidr { cidr } => format!("CidrIp: {cidr}"),
                Peer::Ipv6Cidr { cidr } => format!("CidrIpv6: \"{cidr}\""),
                Peer::PrefixList { id } => format!("SourcePrefixListId: {id}"),
                Peer::Group { group_id, .. } => format!("SourceSecurityGroupId: !Ref {group_id}"),
            };
            let ports = if p.protocol == "-1" {
                String::new()
            } else {
                format!("  FromPort: {from}\n  ToPort: {to}\n")
            };
            if standalone {
                let ports = ports.replace("  ", "    ");
                format!(
                    "RingfenceIngress{n}:\n  Type: AWS::EC2::SecurityGroupIngress\n  Properties:\n    GroupId: !Ref {group}\n    IpProtocol: {}\n{ports}    {source}\n",
                    p.protocol
                )
            } else {
                format!("- IpProtocol: {}\n{ports}  {source}\n", p.protocol)
            }
        }
    }
}

/// A Terraform expression for an id: the address's `.id` when it is one, else a string.
fn reference(id: &str) -> String {
    if id.starts_with("aws_") || id.starts_with("module.") {
        format!("{id}.id")
    } else {
        quoted(id)
    }
}

/// The estate of a snapshot folder or of code, for commands that read one offline
/// (`explain`).
pub fn load_estate(path: &Path) -> Result<Estate, String> {
    match ringfence_iac::detect(path) {
        Some(kind) => ringfence_iac::load(path, kind).map_err(|e| e.to_string()),
        None => ringfence_snapshot::load(path).map_err(|e| e.to_string()),
    }
}
