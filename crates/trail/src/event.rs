//! One CloudTrail record, kept only as far as a detector may read it.
//!
//! The parse is a hand-written visitor so that a record nobody reads costs no allocation
//! beyond its few identifying strings: request and response bodies are kept (as raw JSON)
//! only for the API calls a detector consumes, or for the root user.

use jiff::Timestamp;
use ringfence_findings::{Actor, EventEvidence, Location, RelatedEvent};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use std::fmt;
use std::sync::Arc;

/// The calls some detector reads. Everything else is counted and dropped at parse time,
/// unless the root user made it.
pub const CONSUMED: &[&str] = &[
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
    "ModifySecurityGroupRules",
    "CreateSecurityGroup",
    "DeleteSecurityGroup",
    "UpdateSecurityGroupRuleDescriptionsIngress",
    "UpdateSecurityGroupRuleDescriptionsEgress",
    "CreateNetworkAclEntry",
    "ReplaceNetworkAclEntry",
    "CreateRoute",
    "ReplaceRoute",
    "AssociateAddress",
    "RunInstances",
    "ModifyInstanceAttribute",
    "ModifyNetworkInterfaceAttribute",
    "StopLogging",
    "DeleteTrail",
    "UpdateTrail",
    "PutEventSelectors",
    "CopySnapshot",
    "CopyDBSnapshot",
    "CopyDBClusterSnapshot",
    "CreateManagedPrefixList",
    "ModifyManagedPrefixList",
];

/// A CloudTrail record a detector may read.
#[derive(Clone, Debug)]
pub struct Event {
    pub time: Timestamp,
    /// `eventTime` as written (reports quote it back unchanged).
    pub time_text: String,
    pub id: String,
    pub name: String,
    pub source: String,
    pub region: String,
    /// `recipientAccountId`, else the caller's account.
    pub account: Option<String>,
    pub actor: Actor,
    /// `userIdentity.invokedBy`: an AWS service acting for the principal.
    pub invoked_by: Option<String>,
    /// `AwsApiCall`, `AwsServiceEvent`, `AwsConsoleSignIn`, ...
    pub event_type: Option<String>,
    /// The call failed (`AccessDenied`, say): it changed nothing.
    pub error_code: Option<String>,
    pub request: Option<Box<RawValue>>,
    pub response: Option<Box<RawValue>>,
    pub origin: Origin,
}

/// Where a record was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: Arc<str>,
    pub place: Place,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// Index in the log file's `Records` array.
    Record(u64),
    /// Index in `lookup-events` output's `Events` array.
    Event(u64),
    /// 1-based line of a file of one event per line.
    Line(u64),
    /// The file is one event.
    Whole,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place {
            Place::Record(i) => write!(f, "{}: /Records/{i}", self.file),
            Place::Event(i) => write!(f, "{}: /Events/{i}", self.file),
            Place::Line(n) => write!(f, "{}: line {n}", self.file),
            Place::Whole => write!(f, "{}", self.file),
        }
    }
}

impl Event {
    /// Whether the call went through: only successful calls change anything.
    pub fn succeeded(&self) -> bool {
        self.error_code.is_none()
    }

    /// The root user calling in person (CIS's metric filter: not an AWS service acting
    /// on its behalf, not an event AWS itself emits).
    pub fn is_root(&self) -> bool {
        self.actor.kind.as_deref() == Some("Root")
            && self.invoked_by.is_none()
            && self.event_type.as_deref() != Some("AwsServiceEvent")
    }

    /// The request parameters, typed as the detector wants them; `None` when absent or
    /// not of that shape.
    pub fn request<'a, T: Deserialize<'a>>(&'a self) -> Option<T> {
        self.request
            .as_deref()
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
    }

    pub fn response<'a, T: Deserialize<'a>>(&'a self) -> Option<T> {
        self.response
            .as_deref()
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
    }

    pub fn evidence(&self) -> EventEvidence {
        let pointer = match self.origin.place {
            Place::Record(i) => Some(format!("/Records/{i}")),
            Place::Event(i) => Some(format!("/Events/{i}")),
            Place::Line(_) | Place::Whole => None,
        };
        let line = match self.origin.place {
            Place::Line(n) => u32::try_from(n).ok(),
            Place::Record(_) | Place::Event(_) | Place::Whole => None,
        };
        EventEvidence {
            time: self.time_text.clone(),
            event_id: self.id.clone(),
            event_name: self.name.clone(),
            event_source: self.source.clone(),
            region: self.region.clone(),
            actor: self.actor.clone(),
            location: Some(Location {
                file: self.origin.file.to_string(),
                pointer,
                line,
            }),
            related: Vec::new(),
        }
    }

    pub fn related(&self) -> RelatedEvent {
        RelatedEvent {
            time: self.time_text.clone(),
            event_id: self.id.clone(),
            event_name: self.name.clone(),
            actor: Some(self.actor.label().to_string()),
        }
    }
}

/// What one JSON value of an input file turned out to be.
#[derive(Debug, Default)]
pub(crate) struct TopLevel {
    /// A log file's `Records` array was read.
    pub records_array: bool,
    /// `detail-type` of an EventBridge event.
    pub detail_type: Option<String>,
    /// The record itself: an EventBridge event's `detail`, or a bare record.
    pub record: Option<RawRecord>,
    /// The value looked like a record (it had `eventName` or `eventTime` at the top).
    pub bare_record: bool,
}

/// A record as parsed, before the required fields are checked.
#[derive(Debug, Default)]
pub(crate) struct RawRecord {
    time: Option<String>,
    id: Option<String>,
    name: Option<String>,
    source: Option<String>,
    region: Option<String>,
    recipient: Option<String>,
    identity: Option<Identity>,
    source_ip: Option<String>,
    user_agent: Option<String>,
    event_type: Option<String>,
    error_code: Option<String>,
    request: Option<Box<RawValue>>,
    response: Option<Box<RawValue>>,
    /// Bodies were skipped: nobody reads this call.
    pub dropped: bool,
}

/// Why a record was skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Skip {
    MissingField(&'static str),
    BadTime,
}

impl RawRecord {
    /// A whole record no detector reads: counted, not kept.
    pub(crate) fn is_unread(&self) -> bool {
        self.dropped && self.name.is_some() && self.time.is_some() && self.source.is_some()
    }

    /// The record as an [`Event`], or why not.
    pub(crate) fn into_event(self, origin: Origin) -> Result<Event, Skip> {
        let name = self.name.ok_or(Skip::MissingField("eventName"))?;
        let time_text = self.time.ok_or(Skip::MissingField("eventTime"))?;
        let source = self.source.ok_or(Skip::MissingField("eventSource"))?;
        let region = self.region.ok_or(Skip::MissingField("awsRegion"))?;
        let time: Timestamp = time_text.parse().map_err(|_| Skip::BadTime)?;
        let identity = self.identity.unwrap_or_default();
        let id = self.id.unwrap_or_else(|| {
            // Old records have no id; the time and name still tell them apart in a report.
            format!("{time_text}/{name}")
        });
        let actor = Actor {
            kind: identity.kind,
            arn: identity.arn,
            principal_id: identity.principal_id,
            account_id: identity.account_id,
            access_key_id: identity.access_key_id,
            session_issuer: identity
                .session_context
                .and_then(|c| c.session_issuer)
                .and_then(|i| i.arn),
            source_ip: self.source_ip,
            user_agent: self.user_agent,
        };
        Ok(Event {
            time,
            time_text,
            id,
            name,
            source,
            region,
            account: self.recipient.or_else(|| actor.account_id.clone()),
            actor,
            invoked_by: identity.invoked_by,
            event_type: self.event_type,
            error_code: self.error_code,
            request: self.request,
            response: self.response,
            origin,
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Identity {
    #[serde(rename = "type", default, deserialize_with = "loose")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    arn: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    principal_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    account_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    access_key_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    invoked_by: Option<String>,
    #[serde(default)]
    session_context: Option<SessionContext>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionContext {
    #[serde(default)]
    session_issuer: Option<SessionIssuer>,
}

#[derive(Debug, Default, Deserialize)]
struct SessionIssuer {
    #[serde(default, deserialize_with = "loose")]
    arn: Option<String>,
}

/// A string field that tolerates any other JSON value (read as absent): one odd field
/// must not cost the rest of the file.
fn loose<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(Loose)
}

struct Loose;

impl<'de> Visitor<'de> for Loose {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(Loose)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

#[derive(Clone, Copy)]
enum Key {
    Records,
    /// `aws cloudtrail lookup-events` output: each event's record is a JSON string.
    Events,
    Detail,
    DetailType,
    EventTime,
    EventId,
    EventName,
    EventSource,
    AwsRegion,
    Recipient,
    UserIdentity,
    SourceIp,
    UserAgent,
    EventType,
    ErrorCode,
    Request,
    Response,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "Records" => Key::Records,
                    "Events" => Key::Events,
                    "detail" => Key::Detail,
                    "detail-type" => Key::DetailType,
                    "eventTime" => Key::EventTime,
                    "eventID" => Key::EventId,
                    "eventName" => Key::EventName,
                    "eventSource" => Key::EventSource,
                    "awsRegion" => Key::AwsRegion,
                    "recipientAccountId" => Key::Recipient,
                    "userIdentity" => Key::UserIdentity,
                    "sourceIPAddress" => Key::SourceIp,
                    "userAgent" => Key::UserAgent,
                    "eventType" => Key::EventType,
                    "errorCode" => Key::ErrorCode,
                    "requestParameters" => Key::Request,
                    "responseElements" => Key::Response,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

/// Receives each record of a `Records` (or `Events`) array with its place, as it is
/// parsed.
pub(crate) type Sink<'s> = &'s mut dyn FnMut(RawRecord, Place);

/// Parses one top-level JSON value: a log file (`{"Records": [...]}`, records streamed
/// to the sink), an EventBridge event (`detail` kept), or a bare record.
pub(crate) struct TopSeed<'s, 'f> {
    pub sink: &'s mut Sink<'f>,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_, '_> {
    type Value = TopLevel;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<TopLevel, D::Error> {
        d.deserialize_map(TopVisitor { sink: self.sink })
    }
}

struct TopVisitor<'s, 'f> {
    sink: &'s mut Sink<'f>,
}

impl<'de> Visitor<'de> for TopVisitor<'_, '_> {
    type Value = TopLevel;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a CloudTrail log file or event (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
        let mut top = TopLevel::default();
        let mut record = RawRecord::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Records => {
                    map.next_value_seed(RecordsSeed {
                        sink: &mut *self.sink,
                    })?;
                    top.records_array = true;
                }
                Key::Events => {
                    map.next_value_seed(LookupEventsSeed {
                        sink: &mut *self.sink,
                    })?;
                    top.records_array = true;
                }
                Key::Detail => top.record = Some(map.next_value_seed(RecordSeed)?),
                Key::DetailType => top.detail_type = map.next_value::<Text>()?.0,
                key => {
                    top.bare_record |= matches!(key, Key::EventName | Key::EventTime);
                    record_field(&mut record, key, &mut map)?;
                }
            }
        }
        if top.bare_record && top.record.is_none() {
            top.record = Some(finish(record));
        }
        Ok(top)
    }
}

struct RecordsSeed<'s, 'f> {
    sink: &'s mut Sink<'f>,
}

impl<'de> DeserializeSeed<'de> for RecordsSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RecordsSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of CloudTrail records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0u64;
        while let Some(record) = seq.next_element_seed(RecordSeed)? {
            (self.sink)(record, Place::Record(index));
            index += 1;
        }
        Ok(())
    }
}

/// `lookup-events`' `Events`: objects whose `CloudTrailEvent` holds the record as text.
struct LookupEventsSeed<'s, 'f> {
    sink: &'s mut Sink<'f>,
}

impl<'de> DeserializeSeed<'de> for LookupEventsSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for LookupEventsSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of lookup-events events")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        #[derive(Deserialize)]
        struct Lookup {
            #[serde(rename = "CloudTrailEvent", default, deserialize_with = "loose")]
            record: Option<String>,
        }
        let mut index = 0u64;
        while let Some(event) = seq.next_element::<Lookup>()? {
            // An event without its record text counts as a record missing every field.
            let record = match event.record.as_deref() {
                Some(text) => {
                    let mut de = serde_json::Deserializer::from_str(text);
                    RecordSeed.deserialize(&mut de).map_err(de::Error::custom)?
                }
                None => RawRecord::default(),
            };
            (self.sink)(record, Place::Event(index));
            index += 1;
        }
        Ok(())
    }
}

struct RecordSeed;

impl<'de> DeserializeSeed<'de> for RecordSeed {
    type Value = RawRecord;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawRecord, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed {
    type Value = RawRecord;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a CloudTrail record (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRecord, A::Error> {
        let mut record = RawRecord::default();
        while let Some(key) = map.next_key::<Key>()? {
            record_field(&mut record, key, &mut map)?;
        }
        Ok(finish(record))
    }
}

/// Marks a record nobody reads, once its name is known: CloudTrail writes `eventName`
/// before the bodies, so those are skipped unparsed.
fn consumed(record: &RawRecord) -> bool {
    let root = record
        .identity
        .as_ref()
        .is_some_and(|i| i.kind.as_deref() == Some("Root"));
    root || record
        .name
        .as_deref()
        .is_none_or(|name| CONSUMED.contains(&name))
}

fn finish(mut record: RawRecord) -> RawRecord {
    if !consumed(&record) {
        record.dropped = true;
        record.request = None;
        record.response = None;
    }
    record
}

fn record_field<'de, A: MapAccess<'de>>(
    record: &mut RawRecord,
    key: Key,
    map: &mut A,
) -> Result<(), A::Error> {
    let text = |map: &mut A| map.next_value::<Text>().map(|t| t.0);
    match key {
        Key::EventTime => record.time = text(map)?,
        Key::EventId => record.id = text(map)?,
        Key::EventName => record.name = text(map)?,
        Key::EventSource => record.source = text(map)?,
        Key::AwsRegion => record.region = text(map)?,
        Key::Recipient => record.recipient = text(map)?,
        Key::SourceIp => record.source_ip = text(map)?,
        Key::UserAgent => record.user_agent = text(map)?,
        Key::EventType => record.event_type = text(map)?,
        Key::ErrorCode => record.error_code = text(map)?,
        Key::UserIdentity => record.identity = map.next_value::<Option<Identity>>()?,
        Key::Request | Key::Response => {
            if consumed(record) {
                let body = map.next_value::<Option<Box<RawValue>>>()?;
                if matches!(key, Key::Request) {
                    record.request = body;
                } else {
                    record.response = body;
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Key::Records | Key::Events | Key::Detail | Key::DetailType | Key::Other => {
            map.next_value::<IgnoredAny>()?;
        }
    }
    Ok(())
}

/// A [`loose`] string as a type.
struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Loose).map(Text)
    }
}
