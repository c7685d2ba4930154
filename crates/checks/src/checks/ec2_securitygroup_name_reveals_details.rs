//! Group names and descriptions that say what runs behind them (environment, operating
//! system, tier, application): whoever reads the group list — a contractor, a leaked
//! inventory, an attacker with read access — learns where the valuable hosts are.

use super::LEAST_FUNCTIONALITY;
use crate::config::REVEALING_WORDS;
use crate::hygiene::{finding, group_label, group_resource, is_default_group};
use crate::{Check, Context};
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity, Status};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_name_reveals_details",
        title: "Security group name or description reveals environment, OS, tier or application",
        severity: Severity::Low,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: "Fails for each security group (VPC default groups excepted) whose name, `Name` tag or description contains a revealing word as a whole word (case-insensitive; words are split at punctuation, camelCase and digits): `naming.forbidden_words` from the config, or by default environment (prod, staging, dev, ...), operating system (ubuntu, windows, ...), tier (db, web, app, ...) and application words (crm, payroll, cassandra, mysql, ...). Opt-in: most estates name groups this way on purpose.",
        risk: "Names are read by far more people and tools than the rules are; a group called `prod-payroll-db-ubuntu` tells a reader with read-only access, or a leaked inventory, exactly which hosts to go after and which exploits to try.",
        remediation: "Rename to a neutral name that follows the organisation's convention (security groups cannot be renamed: create a new group with the same rules, move the interfaces to it, delete the old one), and keep the details in access-controlled tags or a CMDB.",
        references: &[
            "https://docs.aws.amazon.com/vpc/latest/userguide/creating-security-groups.html",
        ],
        categories: &["hygiene", "naming"],
        compliance: &[LEAST_FUNCTIONALITY],
        aliases: &[],
        enablement: Enablement::OptIn,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let configured = &ctx.config.naming.forbidden_words;
    let words: Vec<String> = if configured.is_empty() {
        REVEALING_WORDS.iter().map(|w| w.to_string()).collect()
    } else {
        configured.iter().map(|w| w.trim().to_lowercase()).collect()
    };
    let estate = ctx.estate;
    estate
        .security_groups
        .iter()
        .filter(|group| !is_default_group(group))
        .filter_map(|group| {
            let mut texts = vec![("name", group.name.as_str())];
            if let Some(tag) = group.tags.name().filter(|t| *t != group.name) {
                texts.push(("Name tag", tag));
            }
            texts.push(("description", group.description.as_str()));
            let mut hits: Vec<String> = Vec::new();
            for (field, text) in texts {
                let tokens = tokens(text);
                let found: Vec<&str> = words
                    .iter()
                    .filter(|w| !w.is_empty() && tokens.iter().any(|t| t == *w))
                    .map(String::as_str)
                    .collect();
                if !found.is_empty() {
                    hits.push(format!("{field} {text:?} contains {}", found.join(", ")));
                }
            }
            let label = group_label(group);
            let (status, message) = if hits.is_empty() {
                (
                    Status::Pass,
                    format!("Security group {label}: name and description reveal nothing listed."),
                )
            } else {
                (
                    Status::Fail,
                    format!(
                        "Security group {label} reveals what it protects: {}.",
                        hits.join("; ")
                    ),
                )
            };
            finding(
                ctx,
                &CHECK.meta,
                status,
                || group_resource(estate, group),
                move || message,
            )
        })
        .collect()
}

/// Lowercase words of `text`: split at anything not a letter or digit, then at camelCase
/// and letter/digit boundaries; whole runs are kept too (`win2019` and `win`, `2019`).
pub(crate) fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for run in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|r| !r.is_empty())
    {
        out.push(run.to_lowercase());
        let mut part = String::new();
        let mut prev: Option<char> = None;
        for c in run.chars() {
            if let Some(p) = prev {
                let boundary = (p.is_lowercase() && c.is_uppercase())
                    || (p.is_alphabetic() && c.is_numeric())
                    || (p.is_numeric() && c.is_alphabetic());
                if boundary && !part.is_empty() {
                    out.push(std::mem::take(&mut part).to_lowercase());
                }
            }
            part.push(c);
            prev = Some(c);
        }
        if !part.is_empty() && part.len() != run.len() {
            out.push(part.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::tokens;

    #[test]
    fn words_split_at_punctuation_case_and_digits() {
        assert!(tokens("ProdWebSG").contains(&"prod".to_string()));
        assert!(tokens("db01-cluster").contains(&"db".to_string()));
        assert!(tokens("win2019").contains(&"win2019".to_string()));
        assert!(!tokens("dashboard").contains(&"db".to_string()));
        assert!(tokens("").is_empty());
    }
}
