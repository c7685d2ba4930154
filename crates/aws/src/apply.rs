//! `ringfence fix aws --apply` and `ringfence undo`: a fix plan applied through the SDK.
//!
//! Order, so that a failure at any point can be undone: read every group's rules; refuse
//! groups whose rules changed since the scan; write the backup (every rule touched,
//! exactly, and what will be added); then per group authorize what stays, revoke the
//! flagged rules, re-read and verify. `undo` works from the backup alone and is
//! idempotent: it re-adds what was revoked and is missing, and removes what was added and
//! is present, so it also restores a run that stopped half-way.

use crate::{LiveError, Options, error};
use aws_sdk_ec2::types::{Filter, IpPermission, IpRange, Ipv6Range, PrefixListId, UserIdGroupPair};
use ringfence_fix::{
    BACKUP_VERSION, Backup, GroupBackup, Peer, Permission, Plan, access_set, expected_after,
};
use ringfence_model::{GroupRef, Rule, Source, Traffic};
use std::path::Path;

/// What happened to one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupOutcome {
    pub group_id: String,
    pub region: String,
    /// Done and verified.
    pub done: bool,
    /// What was done, or why not, in words.
    pub detail: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyReport {
    pub groups: Vec<GroupOutcome>,
    /// The backup was written (some group was about to change).
    pub backup_written: bool,
}

impl ApplyReport {
    pub fn all_done(&self) -> bool {
        self.groups.iter().all(|g| g.done)
    }
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, LiveError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(LiveError::Runtime)
}

/// A group's ingress rules as read now (`None`: the group does not exist).
pub(crate) async fn read_ingress(
    client: &aws_sdk_ec2::Client,
    group_id: &str,
) -> Result<Option<Vec<Permission>>, String> {
    let groups = client
        .describe_security_groups()
        .group_ids(group_id)
        .send()
        .await;
    match groups {
        Ok(out) if out.security_groups().is_empty() => return Ok(None),
        Ok(_) => {}
        Err(e) => {
            let reason = error::reason(e);
            if reason.contains("NotFound") {
                return Ok(None);
            }
            return Err(reason);
        }
    }
    let mut rules = Vec::new();
    let mut token = None;
    loop {
        let out = client
            .describe_security_group_rules()
            .filters(Filter::builder().name("group-id").values(group_id).build())
            .set_next_token(token)
            .send()
            .await
            .map_err(error::reason)?;
        for r in out.security_group_rules() {
            if r.is_egress() == Some(true) {
                continue;
            }
            let source = if let Some(cidr) = r.cidr_ipv4() {
                Source::V4(cidr.parse().map_err(|e| format!("CidrIpv4 {cidr}: {e}"))?)
            } else if let Some(cidr) = r.cidr_ipv6() {
                Source::V6(cidr.parse().map_err(|e| format!("CidrIpv6 {cidr}: {e}"))?)
            } else if let Some(pl) = r.prefix_list_id() {
                Source::PrefixList(pl.to_string())
            } else if let Some(g) = r.referenced_group_info() {
                Source::Group(GroupRef {
                    group_id: g.group_id().map(str::to_string),
                    user_id: g.user_id().map(str::to_string),
                    ..GroupRef::default()
                })
            } else {
                continue;
            };
            let traffic = Traffic::from_aws(
                r.ip_protocol().unwrap_or("-1"),
                r.from_port().map(i64::from),
                r.to_port().map(i64::from),
            )
            .map_err(|e| e.to_string())?;
            rules.push(Permission::of_rule(&Rule {
                id: r.security_group_rule_id().map(str::to_string),
                traffic,
                source,
                description: r.description().map(str::to_string),
            }));
        }
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    Ok(Some(rules))
}

fn ip_permission(p: &Permission) -> IpPermission {
    let mut b = IpPermission::builder().ip_protocol(&p.protocol);
    if let Some(from) = p.from_port {
        b = b.from_port(from);
    }
    if let Some(to) = p.to_port {
        b = b.to_port(to);
    }
    let d = p.description.clone();
    match &p.peer {
        Peer::Cidr { cidr } => {
            b.ip_ranges(IpRange::builder().cidr_ip(cidr).set_description(d).build())
        }
        Peer::Ipv6Cidr { cidr } => b.ipv6_ranges(
            Ipv6Range::builder()
                .cidr_ipv6(cidr)
                .set_description(d)
                .build(),
        ),
        Peer::PrefixList { id } => b.prefix_list_ids(
            PrefixListId::builder()
                .prefix_list_id(id)
                .set_description(d)
                .build(),
        ),
        Peer::Group { group_id, user_id } => b.user_id_group_pairs(
            UserIdGroupPair::builder()
                .group_id(group_id)
                .set_user_id(user_id.clone())
                .set_description(d)
                .build(),
        ),
    }
    .build()
}

async fn authorize(
    client: &aws_sdk_ec2::Client,
    group_id: &str,
    perms: &[Permission],
) -> Result<(), String> {
    if perms.is_empty() {
        return Ok(());
    }
    client
        .authorize_security_group_ingress()
        .group_id(group_id)
        .set_ip_permissions(Some(perms.iter().map(ip_permission).collect()))
        .send()
        .await
        .map(|_| ())
        .map_err(error::reason)
}

async fn revoke(
    client: &aws_sdk_ec2::Client,
    group_id: &str,
    perms: &[Permission],
) -> Result<(), String> {
    if perms.is_empty() {
        return Ok(());
    }
    let without_descriptions: Vec<IpPermission> = perms
        .iter()
        .map(|p| {
            ip_permission(&Permission {
                description: None,
                ..p.clone()
            })
        })
        .collect();
    client
        .revoke_security_group_ingress()
        .group_id(group_id)
        .set_ip_permissions(Some(without_descriptions))
        .send()
        .await
        .map(|_| ())
        .map_err(error::reason)
}

/// The live rules that match `wanted` by access (with their live ids and descriptions).
fn matching(live: &[Permission], wanted: &[Permission]) -> Vec<Permission> {
    live.iter()
        .filter(|l| wanted.iter().any(|w| w.same_access(l)))
        .cloned()
        .collect()
}

fn client_for(
    config: &aws_config::SdkConfig,
    region: &str,
    options: &Options,
) -> aws_sdk_ec2::Client {
    crate::ec2_client(config, region, options)
}

/// Applies `plan` (its display-only entries aside), writing `backup_path` first.
pub fn apply(options: &Options, plan: &Plan, backup_path: &Path) -> Result<ApplyReport, String> {
    apply_with(options, plan, &mut |backup| {
        write_backup(backup_path, backup)
    })
}

/// Applies `plan` as [`apply`] does, handing the backup to `write_backup` (which must
/// succeed) before anything changes: the responder writes it to its log.
pub fn apply_with(
    options: &Options,
    plan: &Plan,
    write_backup: &mut dyn FnMut(&Backup) -> Result<(), String>,
) -> Result<ApplyReport, String> {
    let runtime = runtime().map_err(|e| e.to_string())?;
    runtime.block_on(apply_async(options, plan, write_backup))
}

async fn apply_async(
    options: &Options,
    plan: &Plan,
    write_backup: &mut dyn FnMut(&Backup) -> Result<(), String>,
) -> Result<ApplyReport, String> {
    let config = crate::sdk_config(options).await;
    let mut report = ApplyReport::default();
    let mut todo: Vec<(aws_sdk_ec2::Client, GroupBackup)> = Vec::new();
    for fix in &plan.groups {
        let client = client_for(&config, &fix.region, options);
        let mut outcome = |done: bool, detail: String| {
            report.groups.push(GroupOutcome {
                group_id: fix.group_id.clone(),
                region: fix.region.clone(),
                done,
                detail,
            })
        };
        let live = match read_ingress(&client, &fix.group_id).await {
            Ok(Some(live)) => live,
            Ok(None) => {
                outcome(false, "not changed: the group no longer exists".into());
                continue;
            }
            Err(e) => {
                outcome(false, format!("not changed: could not read its rules: {e}"));
                continue;
            }
        };
        let revoke_plan: Vec<Permission> = fix.changes.iter().map(|c| c.revoke.clone()).collect();
        let authorize_plan: Vec<Permission> = fix
            .changes
            .iter()
            .flat_map(|c| c.authorize.iter().cloned())
            .collect();
        let now = access_set(&live);
        if now == expected_after(&fix.ingress_at_scan, &revoke_plan, &authorize_plan) {
            outcome(true, "nothing to do: already fixed".into());
            continue;
        }
        if now != access_set(&fix.ingress_at_scan) {
            outcome(
                false,
                "refused: its rules changed since the scan; scan again and re-run".into(),
            );
            continue;
        }
        todo.push((
            client,
            GroupBackup {
                group_id: fix.group_id.clone(),
                region: fix.region.clone(),
                account: fix.account.clone(),
                revoke: matching(&live, &revoke_plan),
                ingress_before: live,
                authorize: authorize_plan,
            },
        ));
    }
    if todo.is_empty() {
        return Ok(report);
    }
    let backup = Backup {
        version: BACKUP_VERSION,
        created_at: now_rfc3339(),
        groups: todo.iter().map(|(_, g)| g.clone()).collect(),
    };
    write_backup(&backup)?;
    report.backup_written = true;
    // Test hook for the fault tests (README, "Fixing"): stop as if killed right after the
    // backup, or fail every group after the first as an API error would.
    let fault = std::env::var("RINGFENCE_TEST_FAULT").unwrap_or_default();
    if fault == "exit-after-backup" {
        std::process::exit(137);
    }

    for (n, (client, group)) in todo.iter().enumerate() {
        if fault == "fail-after-first-group" && n > 0 {
            report.groups.push(GroupOutcome {
                group_id: group.group_id.clone(),
                region: group.region.clone(),
                done: false,
                detail: "not changed: injected fault (RINGFENCE_TEST_FAULT)".into(),
            });
            continue;
        }
        let mut steps = Vec::new();
        let result: Result<(), String> = async {
            authorize(client, &group.group_id, &group.authorize).await?;
            if !group.authorize.is_empty() {
                steps.push(format!("authorized {}", group.authorize.len()));
            }
            revoke(client, &group.group_id, &group.revoke).await?;
            steps.push(format!("revoked {}", group.revoke.len()));
            Ok(())
        }
        .await;
        let verified = match &result {
            Ok(()) => match read_ingress(client, &group.group_id).await {
                Ok(Some(after)) => {
                    let want =
                        expected_after(&group.ingress_before, &group.revoke, &group.authorize);
                    if access_set(&after) == want {
                        Ok(())
                    } else {
                        Err("re-read rules differ from the expected result".to_string())
                    }
                }
                Ok(None) => Err("the group disappeared".to_string()),
                Err(e) => Err(format!("could not re-read: {e}")),
            },
            Err(e) => Err(e.clone()),
        };
        let done_text = if steps.is_empty() {
            "nothing changed".to_string()
        } else {
            steps.join(", ")
        };
        report.groups.push(match verified {
            Ok(()) => GroupOutcome {
                group_id: group.group_id.clone(),
                region: group.region.clone(),
                done: true,
                detail: format!("{done_text}; verified"),
            },
            Err(e) => GroupOutcome {
                group_id: group.group_id.clone(),
                region: group.region.clone(),
                done: false,
                detail: format!("failed after: {done_text}: {e}"),
            },
        });
    }
    Ok(report)
}

fn write_backup(path: &Path, backup: &Backup) -> Result<(), String> {
    let text = serde_json::to_string_pretty(backup).map_err(|e| e.to_string())?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text + "\n")
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("{}: cannot write the backup: {e}", path.display()))
}

/// Reads a backup written by `apply`.
pub fn read_backup(path: &Path) -> Result<Backup, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let backup: Backup = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a ringfence backup: {e}", path.display()))?;
    if backup.version != BACKUP_VERSION {
        return Err(format!(
            "{}: backup version {} (this ringfence reads {BACKUP_VERSION})",
            path.display(),
            backup.version
        ));
    }
    Ok(backup)
}

/// Restores what the backup's run removed and removes what it added.
pub fn undo(options: &Options, backup: &Backup) -> Result<ApplyReport, String> {
    let runtime = runtime().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let config = crate::sdk_config(options).await;
        let mut report = ApplyReport::default();
        for group in &backup.groups {
            let client = client_for(&config, &group.region, options);
            let outcome = async {
                let live = read_ingress(&client, &group.group_id)
                    .await?
                    .ok_or_else(|| "the group no longer exists".to_string())?;
                // Added by the run (and not there before it): remove, if present.
                let added: Vec<Permission> = group
                    .authorize
                    .iter()
                    .filter(|a| !group.ingress_before.iter().any(|b| b.same_access(a)))
                    .cloned()
                    .collect();
                let remove = matching(&live, &added);
                // Revoked by the run: put back, exactly (descriptions too), if missing.
                let restore: Vec<Permission> = group
                    .revoke
                    .iter()
                    .filter(|r| !live.iter().any(|l| l.same_access(r)))
                    .map(|r| Permission {
                        rule_id: None,
                        ..r.clone()
                    })
                    .collect();
                authorize(&client, &group.group_id, &restore).await?;
                revoke(&client, &group.group_id, &remove).await?;
                let after = read_ingress(&client, &group.group_id)
                    .await?
                    .ok_or_else(|| "the group disappeared".to_string())?;
                let want = expected_after(&live, &remove, &restore);
                if access_set(&after) != want {
                    return Err("re-read rules differ from the expected result".to_string());
                }
                Ok(format!(
                    "restored {}, removed {}; verified",
                    restore.len(),
                    remove.len()
                ))
            }
            .await;
            report.groups.push(match outcome {
                Ok(detail) => GroupOutcome {
                    group_id: group.group_id.clone(),
                    region: group.region.clone(),
                    done: true,
                    detail,
                },
                Err(e) => GroupOutcome {
                    group_id: group.group_id.clone(),
                    region: group.region.clone(),
                    done: false,
                    detail: format!("not restored: {e}"),
                },
            });
        }
        Ok(report)
    })
}

/// Now as `YYYY-MM-DDTHH:MM:SSZ` (UTC), without a date crate.
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
