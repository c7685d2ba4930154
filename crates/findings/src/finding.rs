use crate::{CheckMeta, Compliance, Severity};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Status {
    #[serde(rename = "FAIL")]
    Fail,
    /// The check could not judge the resource (a prefix list whose entries were not read,
    /// say): never counted as a pass.
    #[serde(rename = "SKIP")]
    Skip,
    #[serde(rename = "PASS")]
    Pass,
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Fail => "FAIL",
            Status::Skip => "SKIP",
            Status::Pass => "PASS",
        }
    }
}

/// Resource types named as AWS Security Hub names them, which OCSF and ASFF consumers expect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ResourceType {
    AwsEc2Instance,
    AwsEc2SecurityGroup,
    AwsEc2NetworkInterface,
    /// A Cassandra node's configuration (`cassandra.yaml`, `cassandra-env.sh`,
    /// `jvm*.options`), audited by `ringfence node`.
    CassandraConfig,
    /// A host and port answered (or not) by `ringfence probe`.
    NetworkEndpoint,
    /// A VPC (flow logs).
    AwsEc2Vpc,
    /// A CloudTrail trail; a region with no trail at all is reported on the account's id.
    AwsCloudTrailTrail,
    /// An AWS Config configuration recorder; a region with none is reported on the
    /// account's id.
    AwsConfigConfigurationRecorder,
    /// A network ACL (`ringfence trail`: an entry that opens a path).
    AwsEc2NetworkAcl,
    /// A route table (`ringfence trail`: a route to an internet gateway).
    AwsEc2RouteTable,
    /// An EBS snapshot (`ringfence trail`: copied to another region).
    AwsEc2Snapshot,
    /// An RDS DB or cluster snapshot (`ringfence trail`: copied to another region).
    AwsRdsDbSnapshot,
    /// The account itself (`ringfence trail`: root-user activity, bursts of changes).
    AwsAccount,
}

/// Where in the input the resource was read, so people and code-scanning UIs can go there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    /// JSON pointer into the file, e.g. `/SecurityGroups/3`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Resource {
    #[serde(rename = "type")]
    pub kind: ResourceType,
    pub id: String,
    /// The `Name` tag.
    pub name: Option<String>,
    pub region: String,
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// A protocol and port range an exposure is about, with its own verdict: one instance
/// may have a reachable port and a blocked one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortSpan {
    /// `tcp`, `udp`, or `-1` for every protocol.
    pub protocol: String,
    pub from: u16,
    pub to: u16,
    /// The catalog's service name when the span is one known service's ports.
    pub service: Option<String>,
    pub reachability: Reachability,
    /// Why it is not reachable: a code from the documented list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The sources that get through today (reachable only; narrower than the group's
    /// sources when a network ACL or a route cuts part of them off).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reachable_sources: Vec<String>,
}

/// One security-group rule that lets the exposure in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RuleEvidence {
    pub group_id: String,
    pub group_name: String,
    /// The `sgr-` id, where `describe-security-group-rules` gave one.
    pub rule_id: Option<String>,
    pub protocol: String,
    pub from: Option<u16>,
    pub to: Option<u16>,
    /// The CIDR, IPv6 CIDR or prefix list this rule admits.
    pub source: String,
    pub description: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reachability {
    /// The internet gets through now.
    Reachable,
    /// Open security group, no path today (no public address, no internet route, the
    /// instance stopped, the group attached to nothing): one change away.
    Latent,
    /// A network ACL denies the request or the reply.
    Blocked,
    /// Data needed for the verdict is missing.
    Unknown,
}

impl Reachability {
    pub fn as_str(&self) -> &'static str {
        match self {
            Reachability::Reachable => "reachable",
            Reachability::Latent => "latent",
            Reachability::Blocked => "blocked",
            Reachability::Unknown => "unknown",
        }
    }
}

/// One step of the path from the internet to the workload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathHop {
    /// `internet-gateway`, `route`, `network-acl-inbound`, `network-acl-outbound`,
    /// `security-group-rule`, `network-interface` or `instance`.
    pub kind: String,
    pub id: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Exposure {
    pub ports: Vec<PortSpan>,
    /// The public CIDRs and prefix lists that open it.
    pub sources: Vec<String>,
    /// The worst verdict over the ports: reachable, else unknown, latent, blocked.
    pub reachability: Reachability,
    /// How the internet gets in (reachable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<Vec<PathHop>>,
    /// Why it does not (otherwise): a code from the documented list; the prose is in
    /// `reason_detail` and the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_detail: Option<String>,
    /// The sources that get through today, over all ports.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reachable_sources: Vec<String>,
    pub rules: Vec<RuleEvidence>,
    /// The network interfaces whose groups let it in (instance findings).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub network_interfaces: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub check_id: &'static str,
    pub severity: Severity,
    pub status: Status,
    pub resource: Resource,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure: Option<Exposure>,
    pub remediation: &'static str,
    pub compliance: &'static [Compliance],
    /// The finding's stable identity ([`Finding::fingerprint`]), set when the report is
    /// built.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// A mutelist rule matched: still reported, never failing the exit code.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub muted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mute_reason: Option<String>,
    /// The last day the mute holds (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mute_expires: Option<String>,
    /// Compared with a baseline report: new since it, or already in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineState>,
    /// The exact change that closes a failing exposure: a `ringfence_fix::FindingFix`
    /// (README, "Fixing"), rendered to JSON once and written as is. Held as JSON because
    /// the fix engine is computed from findings and so sits downstream of this crate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Box<serde_json::value::RawValue>>,
    /// With `scan --probe`: whether probing the exposed addresses from here confirmed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe: Option<ProbeEvidence>,
    /// `ringfence trail`: the CloudTrail event that did it, and who.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<Box<EventEvidence>>,
}

/// A CloudTrail event as evidence: enough to find it again and to know who to ask.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventEvidence {
    /// `eventTime`, as CloudTrail wrote it (UTC, RFC 3339).
    pub time: String,
    pub event_id: String,
    pub event_name: String,
    pub event_source: String,
    pub region: String,
    pub actor: Actor,
    /// The log file, and the record's place in it (`/Records/12`, or `line 7`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Other events the finding rests on (the closing event of an open-then-close, the
    /// events of a burst), earliest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedEvent>,
}

/// Who made a call, as CloudTrail's `userIdentity` and request context say.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Actor {
    /// `Root`, `IAMUser`, `AssumedRole`, `AWSService`, ...
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    /// The role behind an assumed-role session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
}

impl Actor {
    /// The most specific name there is: the ARN, else the principal id, else the type.
    pub fn label(&self) -> &str {
        self.arn
            .as_deref()
            .or(self.principal_id.as_deref())
            .or(self.kind.as_deref())
            .unwrap_or("unknown principal")
    }
}

/// Another event a finding rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelatedEvent {
    pub time: String,
    pub event_id: String,
    pub event_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

/// What `scan --probe` found when it connected to an exposure's public addresses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProbeEvidence {
    /// Something answered on at least one of the exposed ports.
    pub confirmed: bool,
    /// One line per address and port probed: what answered, or that nothing did.
    pub results: Vec<String>,
}

/// Where a failing finding stands against the baseline (`--baseline`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    /// Not in the baseline: fails the exit code.
    New,
    /// Already in the baseline: reported, never failing the exit code.
    Unchanged,
}

impl BaselineState {
    pub fn as_str(&self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Unchanged => "unchanged",
        }
    }
}

impl Finding {
    /// A finding of `meta`'s check, graded at the check's own severity.
    pub fn new(
        meta: &'static CheckMeta,
        status: Status,
        resource: Resource,
        message: String,
    ) -> Self {
        Finding {
            check_id: meta.id,
            severity: meta.severity,
            status,
            resource,
            message,
            exposure: None,
            remediation: meta.remediation,
            compliance: meta.compliance,
            fingerprint: None,
            muted: false,
            mute_reason: None,
            mute_expires: None,
            baseline: None,
            fix: None,
            probe: None,
            event: None,
        }
    }

    /// A failing finding that counts against the exit code: not muted, and not already
    /// in the baseline.
    pub fn is_failing(&self) -> bool {
        self.status == Status::Fail
            && !self.muted
            && self.baseline != Some(BaselineState::Unchanged)
    }

    pub fn with_exposure(mut self, exposure: Exposure) -> Self {
        self.exposure = Some(exposure);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

impl ResourceType {
    pub fn as_str(&self) -> &'static str {
        match self {
            ResourceType::AwsEc2Instance => "AwsEc2Instance",
            ResourceType::AwsEc2SecurityGroup => "AwsEc2SecurityGroup",
            ResourceType::AwsEc2NetworkInterface => "AwsEc2NetworkInterface",
            ResourceType::CassandraConfig => "CassandraConfig",
            ResourceType::NetworkEndpoint => "NetworkEndpoint",
            ResourceType::AwsEc2Vpc => "AwsEc2Vpc",
            ResourceType::AwsCloudTrailTrail => "AwsCloudTrailTrail",
            ResourceType::AwsConfigConfigurationRecorder => "AwsConfigConfigurationRecorder",
            ResourceType::AwsEc2NetworkAcl => "AwsEc2NetworkAcl",
            ResourceType::AwsEc2RouteTable => "AwsEc2RouteTable",
            ResourceType::AwsEc2Snapshot => "AwsEc2Snapshot",
            ResourceType::AwsRdsDbSnapshot => "AwsRdsDbSnapshot",
            ResourceType::AwsAccount => "AwsAccount",
        }
    }

    /// The resource part of the ARN: `instance`, `security-group`, `network-interface`.
    pub fn arn_kind(&self) -> &'static str {
        match self {
            ResourceType::AwsEc2Instance => "instance",
            ResourceType::AwsEc2SecurityGroup => "security-group",
            ResourceType::AwsEc2NetworkInterface => "network-interface",
            ResourceType::CassandraConfig => "cassandra-config",
            ResourceType::NetworkEndpoint => "endpoint",
            ResourceType::AwsEc2Vpc => "vpc",
            ResourceType::AwsCloudTrailTrail => "trail",
            ResourceType::AwsConfigConfigurationRecorder => "config-recorder",
            ResourceType::AwsEc2NetworkAcl => "network-acl",
            ResourceType::AwsEc2RouteTable => "route-table",
            ResourceType::AwsEc2Snapshot => "snapshot",
            ResourceType::AwsRdsDbSnapshot => "snapshot",
            ResourceType::AwsAccount => "account",
        }
    }

    /// The service part of the ARN.
    pub fn arn_service(&self) -> &'static str {
        match self {
            ResourceType::AwsCloudTrailTrail => "cloudtrail",
            ResourceType::AwsConfigConfigurationRecorder => "config",
            ResourceType::AwsRdsDbSnapshot => "rds",
            ResourceType::AwsAccount => "iam",
            _ => "ec2",
        }
    }

    /// Whether the resource lives in AWS (and so has an ARN).
    pub fn is_aws(&self) -> bool {
        !matches!(
            self,
            ResourceType::CassandraConfig | ResourceType::NetworkEndpoint
        )
    }
}

impl Resource {
    /// `aws`, `aws-cn` or `aws-us-gov`, from the region's name.
    pub fn partition(&self) -> &'static str {
        if self.region.starts_with("cn-") {
            "aws-cn"
        } else if self.region.starts_with("us-gov-") {
            "aws-us-gov"
        } else {
            "aws"
        }
    }

    /// The resource's ARN (the account part is empty when the account is unknown); for
    /// a resource outside AWS (a config file, a probed endpoint), a `ringfence:` URN that
    /// names it the same way, since OCSF, ASFF and SARIF all want one identifier.
    pub fn arn(&self) -> String {
        if !self.kind.is_aws() {
            return format!("ringfence:{}:{}", self.kind.arn_kind(), self.id);
        }
        format!(
            "arn:{}:{}:{}:{}:{}/{}",
            self.partition(),
            self.kind.arn_service(),
            self.region,
            self.account.as_deref().unwrap_or(""),
            self.kind.arn_kind(),
            self.id
        )
    }
}
