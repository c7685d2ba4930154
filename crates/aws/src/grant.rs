//! Time-boxed openings: `ringfence grant` and `ringfence expire`.
//!
//! A grant is one ingress rule whose description carries its expiry
//! (`ringfence-grant until=2026-11-22T09:00:00Z <reason>`, see [`marker`]). `expire` lists
//! every security-group rule of the regions asked for, revokes by rule id each rule whose
//! marker has expired (ingress or egress, whoever wrote it), re-reads to verify, and
//! reports the rest: grants not yet due, markers it cannot read (reported, never touched)
//! and everything that failed. No other rule is touched: a rule is revoked only by its own
//! id, and only when its own description says it has expired.
//!
//! The CLI calls the blocking [`grant`] and [`expire`]; a caller already inside a tokio
//! runtime (the Lambda responder) calls [`grant_with_client`], [`expire_async`] or, with a
//! client of its own, [`expire_region`].

pub mod marker;

use crate::apply::runtime;
use crate::{HOME_REGION, LiveError, Options, accounts, error};
use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_ec2::types::{Filter, IpPermission, IpRange, Ipv6Range, SecurityGroupRule};
use ipnet::IpNet;
use marker::Marker;
use ringfence_findings::time::Timestamp;
use serde::{Serialize, Serializer};
use std::net::IpAddr;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The version of the JSON `grant` and `expire` print (and the responder logs).
pub const REPORT_VERSION: u32 = 1;

/// The widest sources a grant takes without `allow_wide`: 256 IPv4 addresses, one IPv6
/// subnet.
pub const WIDEST_V4_PREFIX: u8 = 24;
pub const WIDEST_V6_PREFIX: u8 = 64;

/// The cap on a grant's duration unless the caller sets another.
pub const DEFAULT_MAX_DURATION: Duration = Duration::from_secs(24 * 3600);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Tcp,
    Udp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }

    /// Whether a rule's `IpProtocol` is this protocol (by name or number).
    fn is(self, ip_protocol: &str) -> bool {
        match self {
            Protocol::Tcp => ip_protocol.eq_ignore_ascii_case("tcp") || ip_protocol == "6",
            Protocol::Udp => ip_protocol.eq_ignore_ascii_case("udp") || ip_protocol == "17",
        }
    }
}

/// One opening to grant, as asked for; [`grant`] validates it before any call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantRequest {
    pub group_id: String,
    pub protocol: Protocol,
    pub from_port: u16,
    pub to_port: u16,
    pub cidr: IpNet,
    /// How long the rule lives; the expiry is `now` plus this, to the second.
    pub duration: Duration,
    /// Free text for the description; characters AWS refuses are replaced.
    pub reason: String,
    /// Longer durations are refused.
    pub max_duration: Duration,
    /// Take sources wider than /24 (IPv4) or /64 (IPv6), the whole internet included.
    pub allow_wide: bool,
}

/// What was granted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Granted {
    pub version: u32,
    pub region: String,
    pub group_id: String,
    pub rule_id: String,
    pub protocol: Protocol,
    pub from_port: u16,
    pub to_port: u16,
    pub cidr: String,
    #[serde(serialize_with = "rfc3339")]
    pub until: Timestamp,
    pub description: String,
    /// Rules of the group that already allow this access for good (a wider source or
    /// port range): the grant adds nothing while they stay.
    pub covered_by: Vec<String>,
}

/// Why nothing was granted.
#[derive(Debug, thiserror::Error)]
pub enum GrantError {
    /// A request that cannot be granted as asked (exit 2).
    #[error("{0}")]
    Input(String),
    /// The same rule (protocol, ports, source) is already in the group (exit 2).
    #[error(
        "{group_id} already has {what} (rule {}{}): nothing granted",
        rule_id.as_deref().unwrap_or("id unknown"),
        description.as_deref().map(|d| format!(", description {d:?}")).unwrap_or_default()
    )]
    Exists {
        group_id: String,
        what: String,
        rule_id: Option<String>,
        description: Option<String>,
    },
    /// AWS refused or could not be reached (exit 3): nothing was granted.
    #[error("{call} failed: {reason}")]
    Aws { call: String, reason: String },
    /// AWS accepted the rule, but it could not be read back (exit 3): it is probably
    /// there, carrying its marker, and `expire` will find it.
    #[error("AWS accepted the rule but it could not be confirmed: {0}")]
    Unconfirmed(String),
    #[error(transparent)]
    Live(#[from] LiveError),
}

/// Opens `request` until `now` plus its duration, in the one region `options` names
/// (else the profile's region, else us-east-1).
pub fn grant(
    options: &Options,
    request: &GrantRequest,
    now: Timestamp,
) -> Result<Granted, GrantError> {
    if options.regions.len() > 1 {
        return Err(GrantError::Input(
            "a grant opens one rule in one region: give --region once".into(),
        ));
    }
    let roles = options.roles.resolve()?;
    if roles.len() > 1 || options.roles.organization {
        return Err(GrantError::Input(
            "a grant opens one rule in one account: give at most one --role-arn".into(),
        ));
    }
    // Everything that can be refused is refused before the first call.
    until(request, now, system_now())?;
    let runtime = runtime()?;
    runtime.block_on(async {
        let base = crate::sdk_config(options).await;
        let config = match roles.first() {
            None => base,
            Some(role) => {
                let arn = match role {
                    accounts::Role::Arn(arn) => arn.clone(),
                    accounts::Role::Account(_) => {
                        return Err(GrantError::Input(
                            "a grant takes a role ARN (--role-arn), not an account id".into(),
                        ));
                    }
                };
                accounts::assume(&base, &arn, options)
                    .await
                    .map_err(|reason| GrantError::Aws {
                        call: format!("sts:AssumeRole {arn}"),
                        reason,
                    })?
            }
        };
        let region = options
            .regions
            .first()
            .cloned()
            .or_else(|| config.region().map(|r| r.to_string()))
            .unwrap_or_else(|| HOME_REGION.to_string());
        let client = crate::ec2_client(&config, &region, options);
        grant_with_client(&client, &region, request, now).await
    })
}

/// [`grant`] with a client of the caller's, for `region`.
pub async fn grant_with_client(
    client: &aws_sdk_ec2::Client,
    region: &str,
    request: &GrantRequest,
    now: Timestamp,
) -> Result<Granted, GrantError> {
    let until = until(request, now, system_now())?;
    let description = marker::description(until, &request.reason);
    let aws = |call: &str| {
        let call = call.to_string();
        move |reason: String| GrantError::Aws { call, reason }
    };
    let rules = group_rules(client, &request.group_id)
        .await
        .map_err(aws("ec2:DescribeSecurityGroupRules"))?;
    if let Some(same) = rules.iter().find(|r| is_same(r, request)) {
        return Err(exists(request, Some(same)));
    }
    let covered_by = rules
        .iter()
        .filter(|r| covers(r, request))
        .filter_map(|r| r.security_group_rule_id().map(str::to_string))
        .collect();

    let cidr = request.cidr.to_string();
    let mut permission = IpPermission::builder()
        .ip_protocol(request.protocol.as_str())
        .from_port(i32::from(request.from_port))
        .to_port(i32::from(request.to_port));
    permission = match request.cidr {
        IpNet::V4(_) => permission.ip_ranges(
            IpRange::builder()
                .cidr_ip(&cidr)
                .description(&description)
                .build(),
        ),
        IpNet::V6(_) => permission.ipv6_ranges(
            Ipv6Range::builder()
                .cidr_ipv6(&cidr)
                .description(&description)
                .build(),
        ),
    };
    let sent = client
        .authorize_security_group_ingress()
        .group_id(&request.group_id)
        .ip_permissions(permission.build())
        .send()
        .await;
    let out = match sent {
        Ok(out) => out,
        Err(e) => {
            return Err(match code(&e).as_deref() {
                // Added by someone else between the read and now.
                Some("InvalidPermission.Duplicate") => {
                    let rules = group_rules(client, &request.group_id)
                        .await
                        .unwrap_or_default();
                    exists(request, rules.iter().find(|r| is_same(r, request)))
                }
                Some(c) if c.starts_with("InvalidGroup") => GrantError::Input(format!(
                    "{}: no such security group in {region} ({})",
                    request.group_id,
                    error::reason(e)
                )),
                _ => GrantError::Aws {
                    call: "ec2:AuthorizeSecurityGroupIngress".into(),
                    reason: error::reason(e),
                },
            });
        }
    };
    let mut rule_id = out
        .security_group_rules()
        .iter()
        .find(|r| is_same(r, request))
        .and_then(|r| r.security_group_rule_id().map(str::to_string));
    if rule_id.is_none() {
        // Older API answers carry no rules: find it by reading the group again.
        let rules = group_rules(client, &request.group_id)
            .await
            .map_err(|e| GrantError::Unconfirmed(format!("re-reading the group: {e}")))?;
        rule_id = rules
            .iter()
            .find(|r| is_same(r, request) && r.description() == Some(description.as_str()))
            .and_then(|r| r.security_group_rule_id().map(str::to_string));
    }
    let rule_id = rule_id.ok_or_else(|| {
        GrantError::Unconfirmed("the rule is not in the group when read back".into())
    })?;
    Ok(Granted {
        version: REPORT_VERSION,
        region: region.to_string(),
        group_id: request.group_id.clone(),
        rule_id,
        protocol: request.protocol,
        from_port: request.from_port,
        to_port: request.to_port,
        cidr,
        until,
        description,
        covered_by,
    })
}

/// The request's expiry, or why it cannot be granted. `system` is the machine's clock:
/// a `now` moved ahead of it (SOURCE_DATE_EPOCH) must not stretch a grant past the cap.
fn until(
    request: &GrantRequest,
    now: Timestamp,
    system: Timestamp,
) -> Result<Timestamp, GrantError> {
    let input = |m: String| Err(GrantError::Input(m));
    if !is_group_id(&request.group_id) {
        return input(format!(
            "{:?} is not a security group id (sg- and 8 or 17 hexadecimal digits)",
            request.group_id
        ));
    }
    if request.from_port > request.to_port {
        return input(format!(
            "port range {}-{} runs backwards",
            request.from_port, request.to_port
        ));
    }
    if request.cidr.trunc() != request.cidr {
        return input(format!(
            "{} has host bits set: the network is {}",
            request.cidr,
            request.cidr.trunc()
        ));
    }
    let (prefix, widest) = match request.cidr {
        IpNet::V4(n) => (n.prefix_len(), WIDEST_V4_PREFIX),
        IpNet::V6(n) => (n.prefix_len(), WIDEST_V6_PREFIX),
    };
    if prefix < widest && !request.allow_wide {
        let what = if prefix == 0 {
            "the whole internet".to_string()
        } else {
            format!("wider than /{widest}")
        };
        return input(format!(
            "{} is {what}: a grant is for an address or a small network; \
             give --allow-wide if you mean it",
            request.cidr
        ));
    }
    let secs = request.duration.as_secs();
    if secs == 0 {
        return input("the duration must be at least one second".into());
    }
    if request.duration > request.max_duration {
        return input(format!(
            "{} is longer than the cap of {} (raise it with --max-duration)",
            format_duration(request.duration),
            format_duration(request.max_duration)
        ));
    }
    let until = i64::try_from(secs)
        .ok()
        .and_then(|s| now.0.checked_add(s))
        .map(Timestamp)
        .filter(|t| t.0 <= marker::LATEST)
        .ok_or_else(|| GrantError::Input("the expiry is past the year 9999".into()))?;
    let latest = i64::try_from(request.max_duration.as_secs())
        .ok()
        .and_then(|m| system.0.checked_add(m))
        .unwrap_or(i64::MAX);
    if until.0 > latest {
        return input(format!(
            "the expiry {} is more than {} after the system clock ({}): \
             is SOURCE_DATE_EPOCH set?",
            until.rfc3339(),
            format_duration(request.max_duration),
            system.rfc3339()
        ));
    }
    Ok(until)
}

fn exists(request: &GrantRequest, rule: Option<&SecurityGroupRule>) -> GrantError {
    let ports = if request.from_port == request.to_port {
        request.from_port.to_string()
    } else {
        format!("{}-{}", request.from_port, request.to_port)
    };
    let description = rule.and_then(|r| r.description()).map(str::to_string);
    let note = match description.as_deref().map(marker::parse) {
        Some(Marker::Grant { until }) => format!(", a grant until {}", until.rfc3339()),
        _ => String::new(),
    };
    GrantError::Exists {
        group_id: request.group_id.clone(),
        what: format!(
            "{} {ports} from {}{note}",
            request.protocol.as_str(),
            request.cidr
        ),
        rule_id: rule.and_then(|r| r.security_group_rule_id().map(str::to_string)),
        description,
    }
}

fn is_group_id(id: &str) -> bool {
    id.strip_prefix("sg-").is_some_and(|hex| {
        matches!(hex.len(), 8 | 17) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// A rule's CIDR source, if it has one.
fn rule_cidr(rule: &SecurityGroupRule) -> Option<IpNet> {
    rule.cidr_ipv4()
        .or(rule.cidr_ipv6())
        .and_then(|c| c.parse::<IpNet>().ok())
}

/// The same access AWS would call a duplicate: ingress, protocol, ports and source.
fn is_same(rule: &SecurityGroupRule, request: &GrantRequest) -> bool {
    rule.is_egress() != Some(true)
        && rule.ip_protocol().is_some_and(|p| request.protocol.is(p))
        && rule.from_port() == Some(i32::from(request.from_port))
        && rule.to_port() == Some(i32::from(request.to_port))
        && rule_cidr(rule) == Some(request.cidr)
}

/// An ingress rule that allows everything the request would, and is not the same rule.
fn covers(rule: &SecurityGroupRule, request: &GrantRequest) -> bool {
    if rule.is_egress() == Some(true) || is_same(rule, request) {
        return false;
    }
    let Some(cidr) = rule_cidr(rule) else {
        return false;
    };
    let protocol = rule.ip_protocol().unwrap_or_default();
    let ports = if protocol == "-1" {
        true
    } else {
        request.protocol.is(protocol)
            && rule
                .from_port()
                .is_some_and(|f| f <= i32::from(request.from_port))
            && rule
                .to_port()
                .is_some_and(|t| t >= i32::from(request.to_port))
    };
    ports && cidr.contains(&request.cidr)
}

/// Every rule of one group.
async fn group_rules(
    client: &aws_sdk_ec2::Client,
    group_id: &str,
) -> Result<Vec<SecurityGroupRule>, String> {
    let filter = Filter::builder().name("group-id").values(group_id).build();
    list_rules(client, Some(filter)).await
}

/// Every security-group rule the filter selects, all pages.
async fn list_rules(
    client: &aws_sdk_ec2::Client,
    filter: Option<Filter>,
) -> Result<Vec<SecurityGroupRule>, String> {
    let mut rules = Vec::new();
    let mut token = None;
    loop {
        let out = client
            .describe_security_group_rules()
            .set_filters(filter.clone().map(|f| vec![f]))
            .max_results(1000)
            .set_next_token(token)
            .send()
            .await
            .map_err(error::reason)?;
        rules.extend_from_slice(out.security_group_rules());
        token = out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        if token.is_none() {
            return Ok(rules);
        }
    }
}

fn code<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> Option<String> {
    match error {
        SdkError::ServiceError(service) => service.err().code().map(str::to_string),
        _ => None,
    }
}

/// `ingress` or `egress`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ingress,
    Egress,
}

/// A rule carrying a readable grant marker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GrantRule {
    pub account: Option<String>,
    pub region: String,
    pub group_id: String,
    pub rule_id: String,
    pub direction: Direction,
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    /// The CIDR, prefix list or security group on the other side.
    pub peer: String,
    #[serde(serialize_with = "rfc3339")]
    pub until: Timestamp,
    pub description: String,
    /// Something worth knowing, e.g. that the rule was already gone when revoked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A rule whose description claims to be a grant but whose expiry cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MalformedRule {
    pub account: Option<String>,
    pub region: String,
    pub group_id: String,
    pub rule_id: String,
    pub direction: Direction,
    pub description: String,
    pub problem: String,
}

/// Something `expire` could not do: read a region, or revoke (and verify) a rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpireFailure {
    pub account: Option<String>,
    pub region: Option<String>,
    pub group_id: Option<String>,
    pub rule_id: Option<String>,
    /// The API call, e.g. `ec2:RevokeSecurityGroupIngress`.
    pub call: String,
    pub reason: String,
}

/// What one `expire` run found and did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpireReport {
    pub version: u32,
    #[serde(serialize_with = "rfc3339")]
    pub now: Timestamp,
    pub dry_run: bool,
    /// Expired grants revoked, and verified gone.
    pub revoked: Vec<GrantRule>,
    /// Dry run only: the expired grants a real run would revoke.
    pub would_revoke: Vec<GrantRule>,
    /// Grants not yet expired.
    pub kept: Vec<GrantRule>,
    /// Claimed markers that cannot be read: left alone.
    pub malformed: Vec<MalformedRule>,
    /// Regions that could not be read, grants that could not be revoked.
    pub failures: Vec<ExpireFailure>,
}

impl ExpireReport {
    pub fn new(now: Timestamp, dry_run: bool) -> ExpireReport {
        ExpireReport {
            version: REPORT_VERSION,
            now,
            dry_run,
            revoked: Vec::new(),
            would_revoke: Vec::new(),
            kept: Vec::new(),
            malformed: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// Every region was read and every expired grant revoked.
    pub fn is_complete(&self) -> bool {
        self.failures.is_empty()
    }

    pub fn merge(&mut self, other: ExpireReport) {
        self.revoked.extend(other.revoked);
        self.would_revoke.extend(other.would_revoke);
        self.kept.extend(other.kept);
        self.malformed.extend(other.malformed);
        self.failures.extend(other.failures);
    }

    fn sort(&mut self) {
        let key = |r: &GrantRule| {
            (
                r.account.clone(),
                r.region.clone(),
                r.group_id.clone(),
                r.rule_id.clone(),
            )
        };
        self.revoked.sort_by_key(key);
        self.would_revoke.sort_by_key(key);
        self.kept.sort_by_key(key);
        self.malformed.sort_by(|a, b| {
            (&a.account, &a.region, &a.group_id, &a.rule_id).cmp(&(
                &b.account,
                &b.region,
                &b.group_id,
                &b.rule_id,
            ))
        });
    }
}

/// Revokes every grant expired at `now` (at or before it) in every account and region
/// `options` names (no region: every region the account has enabled). `dry_run`
/// changes nothing and lists what would be revoked.
pub fn expire(options: &Options, now: Timestamp, dry_run: bool) -> Result<ExpireReport, LiveError> {
    let roles = options.roles.resolve()?;
    Ok(runtime()?.block_on(expire_accounts(options, roles, now, dry_run)))
}

/// [`expire`] inside the caller's tokio runtime.
pub async fn expire_async(
    options: &Options,
    now: Timestamp,
    dry_run: bool,
) -> Result<ExpireReport, LiveError> {
    let roles = options.roles.resolve()?;
    Ok(expire_accounts(options, roles, now, dry_run).await)
}

async fn expire_accounts(
    options: &Options,
    roles: Vec<accounts::Role>,
    now: Timestamp,
    dry_run: bool,
) -> ExpireReport {
    let base = crate::sdk_config(options).await;
    let mut report = ExpireReport::new(now, dry_run);
    let mut failures = Vec::new();
    let targets = accounts::targets(&base, options, roles, &mut failures).await;
    report
        .failures
        .extend(failures.into_iter().map(|f| ExpireFailure {
            account: f.account,
            region: f.region,
            group_id: None,
            rule_id: None,
            call: f.call,
            reason: f.reason,
        }));
    let mut work = Vec::new();
    for target in &targets {
        match crate::regions_to_read(&target.config, options).await {
            Ok(regions) => {
                for region in regions {
                    let client = crate::ec2_client(&target.config, &region, options);
                    work.push((target.account.clone(), region, client));
                }
            }
            Err(reason) => report.failures.push(ExpireFailure {
                account: target.account.clone(),
                region: None,
                group_id: None,
                rule_id: None,
                call: "ec2:DescribeRegions".into(),
                reason,
            }),
        }
    }
    let limit = Semaphore::new(options.concurrency.max(1));
    let limit = &limit;
    let regions = work.iter().map(|(account, region, client)| async move {
        // Never closed: a permit is always granted in the end.
        let _permit = limit.acquire().await.ok();
        expire_region(client, account.as_deref(), region, now, dry_run).await
    });
    for region in futures_util::future::join_all(regions).await {
        report.merge(region);
    }
    report.sort();
    report
}

/// One region: list every rule, revoke the expired grants by id, re-read to verify.
/// `account` only labels the report.
pub async fn expire_region(
    client: &aws_sdk_ec2::Client,
    account: Option<&str>,
    region: &str,
    now: Timestamp,
    dry_run: bool,
) -> ExpireReport {
    let mut report = ExpireReport::new(now, dry_run);
    expire_region_into(&mut report, client, account, region).await;
    report.sort();
    report
}

async fn expire_region_into(
    report: &mut ExpireReport,
    client: &aws_sdk_ec2::Client,
    account: Option<&str>,
    region: &str,
) {
    let (now, dry_run) = (report.now, report.dry_run);
    let failure =
        |group: Option<&str>, rule: Option<&str>, call: &str, reason: String| ExpireFailure {
            account: account.map(str::to_string),
            region: Some(region.to_string()),
            group_id: group.map(str::to_string),
            rule_id: rule.map(str::to_string),
            call: call.to_string(),
            reason,
        };
    let rules = match list_rules(client, None).await {
        Ok(rules) => rules,
        Err(reason) => {
            report.failures.push(failure(
                None,
                None,
                "ec2:DescribeSecurityGroupRules",
                reason,
            ));
            return;
        }
    };
    let mut due = Vec::new();
    for rule in &rules {
        let (Some(description), Some(rule_id), Some(group_id)) = (
            rule.description(),
            rule.security_group_rule_id(),
            rule.group_id(),
        ) else {
            continue;
        };
        let direction = if rule.is_egress() == Some(true) {
            Direction::Egress
        } else {
            Direction::Ingress
        };
        let until = match marker::parse(description) {
            Marker::None => continue,
            Marker::Malformed(problem) => {
                report.malformed.push(MalformedRule {
                    account: account.map(str::to_string),
                    region: region.to_string(),
                    group_id: group_id.to_string(),
                    rule_id: rule_id.to_string(),
                    direction,
                    description: description.to_string(),
                    problem,
                });
                continue;
            }
            Marker::Grant { until } => until,
        };
        let grant = GrantRule {
            account: account.map(str::to_string),
            region: region.to_string(),
            group_id: group_id.to_string(),
            rule_id: rule_id.to_string(),
            direction,
            protocol: rule.ip_protocol().unwrap_or("-1").to_string(),
            from_port: rule.from_port(),
            to_port: rule.to_port(),
            peer: peer(rule),
            until,
            description: description.to_string(),
            note: None,
        };
        if until <= now {
            due.push(grant);
        } else {
            report.kept.push(grant);
        }
    }
    if dry_run {
        report.would_revoke.extend(due);
        return;
    }
    if due.is_empty() {
        return;
    }

    // One call per rule: a rule that fails (already gone, denied) cannot hold back others.
    // Test hook for the fault tests (README): every revoke after the first fails as an
    // API error would.
    let fault = std::env::var("RINGFENCE_TEST_FAULT").is_ok_and(|f| f == "fail-after-first-revoke");
    let mut errors = Vec::with_capacity(due.len());
    for (n, grant) in due.iter().enumerate() {
        if fault && n > 0 {
            errors.push(Some("injected fault (RINGFENCE_TEST_FAULT)".to_string()));
            continue;
        }
        let sent = match grant.direction {
            Direction::Ingress => client
                .revoke_security_group_ingress()
                .group_id(&grant.group_id)
                .security_group_rule_ids(&grant.rule_id)
                .send()
                .await
                .map(|_| ())
                .map_err(error::reason),
            Direction::Egress => client
                .revoke_security_group_egress()
                .group_id(&grant.group_id)
                .security_group_rule_ids(&grant.rule_id)
                .send()
                .await
                .map(|_| ())
                .map_err(error::reason),
        };
        errors.push(sent.err());
    }

    // Verified only when read back gone; a failed revoke of a rule gone anyway (another
    // expire got there first) is done all the same.
    let after = list_rules(client, None).await;
    for (mut grant, error) in due.into_iter().zip(errors) {
        let call = match grant.direction {
            Direction::Ingress => "ec2:RevokeSecurityGroupIngress",
            Direction::Egress => "ec2:RevokeSecurityGroupEgress",
        };
        let fail =
            |reason: String| failure(Some(&grant.group_id), Some(&grant.rule_id), call, reason);
        match &after {
            Err(reason) => report.failures.push(fail(match error {
                Some(e) => e,
                None => format!("revoked, but the re-read to verify it failed: {reason}"),
            })),
            Ok(rules) => {
                let present = rules
                    .iter()
                    .any(|r| r.security_group_rule_id() == Some(grant.rule_id.as_str()));
                match (present, error) {
                    (false, None) => report.revoked.push(grant),
                    (false, Some(e)) => {
                        grant.note = Some(format!("already gone ({e})"));
                        report.revoked.push(grant);
                    }
                    (true, Some(e)) => report.failures.push(fail(e)),
                    (true, None) => report.failures.push(fail(
                        "AWS accepted the revoke but the rule is still there when read back".into(),
                    )),
                }
            }
        }
    }
}

fn peer(rule: &SecurityGroupRule) -> String {
    rule.cidr_ipv4()
        .or(rule.cidr_ipv6())
        .or(rule.prefix_list_id())
        .map(str::to_string)
        .or_else(|| {
            rule.referenced_group_info()
                .and_then(|g| g.group_id())
                .map(str::to_string)
        })
        .unwrap_or_default()
}

fn rfc3339<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.rfc3339())
}

fn system_now() -> Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    Timestamp(secs)
}

/// `30m`, `2h`, `1h30m`, `90s`, `1d`: whole units, largest first, each at most once.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || {
        format!(
            "{text:?} is not a duration: use whole units, largest first: 30m, 2h, 1h30m, 90s, 1d"
        )
    };
    let mut total: u64 = 0;
    let mut last_unit = u64::MAX;
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (number, tail) = rest.split_at(digits);
        let mut chars = tail.chars();
        let unit = match chars.next() {
            Some('d') => 86_400,
            Some('h') => 3600,
            Some('m') => 60,
            Some('s') => 1,
            _ => return Err(bad()),
        };
        if number.is_empty() || unit >= last_unit {
            return Err(bad());
        }
        let value: u64 = number.parse().map_err(|_| bad())?;
        total = value
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .filter(|t| *t <= 366 * 86_400)
            .ok_or_else(|| format!("{text:?} is longer than a year"))?;
        last_unit = unit;
        rest = chars.as_str();
    }
    if total == 0 {
        return Err(format!("{text:?} is no time at all"));
    }
    Ok(Duration::from_secs(total))
}

/// `1h30m`, `24h`, `45s`: the form [`parse_duration`] reads.
pub fn format_duration(duration: Duration) -> String {
    let secs = duration.as_secs();
    if secs == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, name) in [(3600, 'h'), (60, 'm'), (1, 's')] {
        let n = if unit == 3600 {
            secs / unit
        } else {
            secs % (unit * 60) / unit
        };
        if n > 0 {
            out.push_str(&format!("{n}{name}"));
        }
    }
    out
}

/// `22` or `8000-8100`.
pub fn parse_ports(text: &str) -> Result<(u16, u16), String> {
    let one = |p: &str| -> Result<u16, String> {
        let p = p.trim();
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "{text:?} is not a port or a port range (22, 8000-8100)"
            ));
        }
        p.parse::<u16>()
            .map_err(|_| format!("port {p} is not in 0-65535"))
    };
    match text.split_once('-') {
        None => one(text).map(|p| (p, p)),
        Some((from, to)) => {
            let (from, to) = (one(from)?, one(to)?);
            if from > to {
                return Err(format!("port range {text} runs backwards"));
            }
            Ok((from, to))
        }
    }
}

/// A CIDR, or a bare address meaning just it (/32, /128).
pub fn parse_cidr(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    if let Ok(net) = text.parse::<IpNet>() {
        return Ok(net);
    }
    text.parse::<IpAddr>()
        .map(IpNet::from)
        .map_err(|_| format!("{text:?} is neither an IP address nor a CIDR"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> GrantRequest {
        GrantRequest {
            group_id: "sg-0123456789abcdef0".into(),
            protocol: Protocol::Tcp,
            from_port: 22,
            to_port: 22,
            cidr: "203.0.113.7/32".parse().unwrap(),
            duration: Duration::from_secs(1800),
            reason: String::new(),
            max_duration: DEFAULT_MAX_DURATION,
            allow_wide: false,
        }
    }

    const NOW: Timestamp = Timestamp(1_795_338_000);

    fn refused(r: &GrantRequest, says: &str) {
        match until(r, NOW, NOW) {
            Err(GrantError::Input(m)) => assert!(m.contains(says), "{m}"),
            other => panic!("{r:?}: {other:?}"),
        }
    }

    #[test]
    fn a_grant_ends_its_duration_after_now() {
        assert_eq!(
            until(&request(), NOW, NOW).unwrap(),
            Timestamp(NOW.0 + 1800)
        );
    }

    #[test]
    fn wide_sources_need_allow_wide() {
        for (cidr, says) in [
            ("0.0.0.0/0", "the whole internet"),
            ("::/0", "the whole internet"),
            ("10.0.0.0/8", "wider than /24"),
            ("2001:db8::/48", "wider than /64"),
        ] {
            let r = GrantRequest {
                cidr: cidr.parse().unwrap(),
                ..request()
            };
            refused(&r, says);
            refused(&r, "--allow-wide");
            let wide = GrantRequest {
                allow_wide: true,
                ..r
            };
            assert!(until(&wide, NOW, NOW).is_ok(), "{cidr}");
        }
        for ok in ["198.51.100.0/24", "2001:db8::/64", "2001:db8::1/128"] {
            let r = GrantRequest {
                cidr: ok.parse().unwrap(),
                ..request()
            };
            assert!(until(&r, NOW, NOW).is_ok(), "{ok}");
        }
    }

    #[test]
    fn bad_requests_are_refused_before_any_call() {
        refused(
            &GrantRequest {
                cidr: "203.0.113.7/24".parse().unwrap(),
                ..request()
            },
            "the network is 203.0.113.0/24",
        );
        refused(
            &GrantRequest {
                duration: Duration::from_secs(25 * 3600),
                ..request()
            },
            "longer than the cap of 24h",
        );
        refused(
            &GrantRequest {
                duration: Duration::ZERO,
                ..request()
            },
            "at least one second",
        );
        refused(
            &GrantRequest {
                from_port: 23,
                ..request()
            },
            "backwards",
        );
        for bad in ["sg-123", "sg-0123456789abcdefg", "i-0123456789abcdef0", ""] {
            refused(
                &GrantRequest {
                    group_id: bad.into(),
                    ..request()
                },
                "not a security group id",
            );
        }
    }

    #[test]
    fn a_clock_moved_ahead_cannot_stretch_a_grant() {
        let system = Timestamp(NOW.0 - 7 * 86_400);
        match until(&request(), NOW, system) {
            Err(GrantError::Input(m)) => assert!(m.contains("SOURCE_DATE_EPOCH"), "{m}"),
            other => panic!("{other:?}"),
        }
        // A clock moved back only shortens it.
        let system = Timestamp(NOW.0 + 3600);
        assert!(until(&request(), NOW, system).is_ok());
    }

    #[test]
    fn durations_parse_in_whole_units() {
        for (text, secs) in [
            ("30m", 1800),
            ("2h", 7200),
            ("1h30m", 5400),
            ("90s", 90),
            ("1d", 86_400),
            ("1h0m5s", 3605),
            ("120m", 7200),
        ] {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_secs(secs)),
                "{text}"
            );
        }
        for bad in [
            "",
            "30",
            "m",
            "30x",
            "1m1h",
            "1h1h",
            "-5m",
            "1.5h",
            "30 m",
            "0m",
            "0h0m",
            "9999999d",
            "18446744073709551616s",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        for secs in [1, 59, 60, 3600, 5400, 3605, 86_400, 90_061] {
            let d = Duration::from_secs(secs);
            assert_eq!(parse_duration(&format_duration(d)), Ok(d), "{secs}");
        }
        assert_eq!(format_duration(Duration::from_secs(5400)), "1h30m");
        assert_eq!(format_duration(Duration::from_secs(86_400)), "24h");
    }

    #[test]
    fn ports_and_cidrs_parse() {
        assert_eq!(parse_ports("22"), Ok((22, 22)));
        assert_eq!(parse_ports("8000-8100"), Ok((8000, 8100)));
        assert_eq!(parse_ports("0-65535"), Ok((0, 65535)));
        assert!(parse_ports("70000").unwrap_err().contains("not in 0-65535"));
        assert!(parse_ports("100-20").unwrap_err().contains("backwards"));
        for bad in ["", "ssh", "-1", "22-", "+22", "2 2"] {
            assert!(parse_ports(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_cidr("203.0.113.7").unwrap().to_string(),
            "203.0.113.7/32"
        );
        assert_eq!(
            parse_cidr("2001:db8::1").unwrap().to_string(),
            "2001:db8::1/128"
        );
        assert_eq!(
            parse_cidr("198.51.100.0/24").unwrap().to_string(),
            "198.51.100.0/24"
        );
        for bad in ["", "my-laptop", "203.0.113.7/33", "203.0.113"] {
            assert!(parse_cidr(bad).is_err(), "{bad}");
        }
    }

    fn rule(protocol: &str, from: i32, to: i32, cidr: &str, egress: bool) -> SecurityGroupRule {
        let b = SecurityGroupRule::builder()
            .security_group_rule_id("sgr-1")
            .is_egress(egress)
            .ip_protocol(protocol)
            .from_port(from)
            .to_port(to);
        if cidr.contains(':') {
            b.cidr_ipv6(cidr).build()
        } else {
            b.cidr_ipv4(cidr).build()
        }
    }

    #[test]
    fn duplicates_and_covering_rules_are_told_apart() {
        let r = request();
        assert!(is_same(&rule("tcp", 22, 22, "203.0.113.7/32", false), &r));
        assert!(is_same(&rule("6", 22, 22, "203.0.113.7/32", false), &r));
        assert!(!is_same(&rule("tcp", 22, 22, "203.0.113.7/32", true), &r));
        assert!(!is_same(&rule("udp", 22, 22, "203.0.113.7/32", false), &r));
        assert!(!is_same(&rule("tcp", 22, 23, "203.0.113.7/32", false), &r));
        assert!(covers(&rule("tcp", 0, 65535, "0.0.0.0/0", false), &r));
        assert!(covers(&rule("-1", -1, -1, "203.0.113.0/24", false), &r));
        assert!(!covers(&rule("tcp", 22, 22, "203.0.113.7/32", false), &r));
        assert!(!covers(&rule("tcp", 23, 80, "0.0.0.0/0", false), &r));
        assert!(!covers(&rule("tcp", 22, 22, "::/0", false), &r));
        assert!(!covers(&rule("-1", -1, -1, "0.0.0.0/0", true), &r));
    }
}
