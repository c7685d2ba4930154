//! Which accounts to read and with which credentials: the caller's own, roles assumed
//! into others, or every active account of an AWS Organization.

use crate::error::reason;
use crate::{Failure, LiveError, Options};
use aws_config::SdkConfig;
use aws_config::sts::AssumeRoleProvider;
use std::path::PathBuf;

/// Where the roles to assume come from.
#[derive(Clone, Debug, Default)]
pub struct RoleSource {
    /// `--role-arn`, repeatable.
    pub role_arns: Vec<String>,
    /// `--role-file`: one role ARN or 12-digit account id per line (`#` comments).
    pub role_file: Option<PathBuf>,
    /// `--role-name`: the role to assume in accounts given by id or found in the organization.
    pub role_name: Option<String>,
    /// `--org`: every active account of the caller's organization.
    pub organization: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Arn(String),
    /// An account id, assumed into with `role_name`.
    Account(String),
}

impl RoleSource {
    pub(crate) fn resolve(&self) -> Result<Vec<Role>, LiveError> {
        let mut roles: Vec<Role> = self.role_arns.iter().cloned().map(Role::Arn).collect();
        if let Some(path) = &self.role_file {
            let text = std::fs::read_to_string(path).map_err(|source| LiveError::RoleFile {
                path: path.clone(),
                source,
            })?;
            for (n, line) in text.lines().enumerate() {
                let line = line.split('#').next().unwrap_or("").trim();
                if line.is_empty() {
                    continue;
                }
                let role = if line.starts_with("arn:") && line.contains(":role/") {
                    Role::Arn(line.to_string())
                } else if line.len() == 12 && line.bytes().all(|b| b.is_ascii_digit()) {
                    if self.role_name.is_none() {
                        return Err(LiveError::RoleLine {
                            path: path.clone(),
                            line: n + 1,
                            what: format!(
                                "account {line} needs --role-name to know which role to assume"
                            ),
                        });
                    }
                    Role::Account(line.to_string())
                } else {
                    return Err(LiveError::RoleLine {
                        path: path.clone(),
                        line: n + 1,
                        what: format!("{line:?} is neither a role ARN nor a 12-digit account id"),
                    });
                };
                roles.push(role);
            }
        }
        Ok(roles)
    }
}

/// An account to read and the credentials to read it with.
pub(crate) struct Target {
    pub account: Option<String>,
    pub config: SdkConfig,
}

fn account_of_arn(arn: &str) -> Option<String> {
    arn.split(':')
        .nth(4)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
}

async fn caller(config: &SdkConfig) -> Result<(String, String), String> {
    let out = aws_sdk_sts::Client::new(config)
        .get_caller_identity()
        .send()
        .await
        .map_err(reason)?;
    let account = out.account().unwrap_or_default().to_string();
    let partition = out
        .arn()
        .and_then(|a| a.split(':').nth(1))
        .unwrap_or("aws")
        .to_string();
    Ok((account, partition))
}

pub(crate) async fn assume(
    base: &SdkConfig,
    arn: &str,
    options: &Options,
) -> Result<SdkConfig, String> {
    let mut builder = AssumeRoleProvider::builder(arn)
        .session_name("ringfence")
        .configure(base);
    if let Some(id) = &options.external_id {
        builder = builder.external_id(id);
    }
    let provider = builder.build().await;
    let config = base
        .clone()
        .into_builder()
        .credentials_provider(aws_sdk_sts::config::SharedCredentialsProvider::new(
            provider,
        ))
        .build();
    // The provider assumes lazily: ask once, so a refused role is told per account.
    caller(&config).await.map(|_| config)
}

pub(crate) async fn targets(
    base: &SdkConfig,
    options: &Options,
    roles: Vec<Role>,
    failures: &mut Vec<Failure>,
) -> Vec<Target> {
    let own = caller(base).await;
    let (own_account, partition) = match &own {
        Ok((account, partition)) => (Some(account.clone()), partition.clone()),
        Err(reason) => {
            failures.push(Failure {
                account: None,
                region: None,
                call: "sts:GetCallerIdentity".into(),
                reason: reason.clone(),
            });
            (None, "aws".to_string())
        }
    };
    let mut roles = roles;
    if options.roles.organization {
        match organization_accounts(base).await {
            Ok(accounts) => roles.extend(accounts.into_iter().map(Role::Account)),
            Err(reason) => failures.push(Failure {
                account: own_account.clone(),
                region: None,
                call: "organizations:ListAccounts".into(),
                reason,
            }),
        }
    }
    if roles.is_empty() && !options.roles.organization {
        return match own {
            Ok(_) => vec![Target {
                account: own_account,
                config: base.clone(),
            }],
            Err(_) => Vec::new(),
        };
    }
    let mut targets = Vec::new();
    for role in roles {
        let (arn, account) = match role {
            // The caller's own account needs no role.
            Role::Account(account) if Some(&account) == own_account.as_ref() => {
                targets.push(Target {
                    account: Some(account),
                    config: base.clone(),
                });
                continue;
            }
            Role::Account(account) => {
                let name = options
                    .roles
                    .role_name
                    .as_deref()
                    .unwrap_or("OrganizationAccountAccessRole");
                (
                    format!("arn:{partition}:iam::{account}:role/{name}"),
                    Some(account),
                )
            }
            Role::Arn(arn) => {
                let account = account_of_arn(&arn);
                (arn, account)
            }
        };
        if targets
            .iter()
            .any(|t: &Target| t.account.is_some() && t.account == account)
        {
            continue;
        }
        match assume(base, &arn, options).await {
            Ok(config) => targets.push(Target { account, config }),
            Err(reason) => failures.push(Failure {
                account,
                region: None,
                call: format!("sts:AssumeRole {arn}"),
                reason,
            }),
        }
    }
    targets
}

async fn organization_accounts(base: &SdkConfig) -> Result<Vec<String>, String> {
    let client = aws_sdk_organizations::Client::new(base);
    let pages = client
        .list_accounts()
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(reason)?;
    Ok(pages
        .iter()
        .flat_map(|page| page.accounts())
        .filter(|a| {
            a.state().is_none_or(|s| s.as_str() == "ACTIVE")
                && a.status().is_none_or(|s| s.as_str() == "ACTIVE")
        })
        .filter_map(|a| a.id().map(str::to_string))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_file_takes_arns_and_account_ids() {
        let dir = std::env::temp_dir().join(format!("ringfence-roles-{}", std::process::id()));
        std::fs::write(
            &dir,
            "# accounts\narn:aws:iam::111111111111:role/Audit\n222222222222  # prod\n\n",
        )
        .unwrap();
        let source = RoleSource {
            role_file: Some(dir.clone()),
            role_name: Some("Audit".into()),
            ..RoleSource::default()
        };
        let roles = source.resolve().unwrap();
        assert_eq!(
            roles,
            vec![
                Role::Arn("arn:aws:iam::111111111111:role/Audit".into()),
                Role::Account("222222222222".into())
            ]
        );
        let without_name = RoleSource {
            role_file: Some(dir.clone()),
            ..RoleSource::default()
        };
        let err = without_name.resolve().unwrap_err().to_string();
        assert!(err.contains(":3:") && err.contains("--role-name"), "{err}");
        std::fs::write(&dir, "not-a-role\n").unwrap();
        let err = source.resolve().unwrap_err().to_string();
        assert!(err.contains(":1:") && err.contains("not-a-role"), "{err}");
        std::fs::remove_file(dir).unwrap();
    }
}
