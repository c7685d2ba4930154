//! Scheduled requests: `{"ringfence": "scan", ...}` and `{"ringfence": "expire", ...}`.
//!
//! They arrive as the input an EventBridge Scheduler schedule, an EventBridge rule's
//! constant input or a Step Functions Map state gives the function: the request object
//! itself, or an EventBridge event whose `detail` is the request (a custom event put on
//! a bus). Unknown fields are refused, so a typo is an error and not a silent default.

use serde::Deserialize;
use serde_json::Value;

/// What a scheduled invocation asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    Scan(ScanRequest),
    Expire(ExpireRequest),
}

/// Scan one account and region, and put the report in S3.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanRequest {
    /// The 12-digit account id. Without a role, the function's own account, checked.
    #[serde(default)]
    pub account: Option<String>,
    pub region: String,
    /// The role to assume for the scan.
    #[serde(default)]
    pub role_arn: Option<String>,
    /// The role's name in `account` (`arn:<partition>:iam::<account>:role/<name>`).
    #[serde(default)]
    pub role_name: Option<String>,
    #[serde(default)]
    pub external_id: Option<String>,
    /// The report bucket; default `RINGFENCE_REPORT_BUCKET`.
    #[serde(default)]
    pub bucket: Option<String>,
    /// Default `RINGFENCE_REPORT_PREFIX` (`ringfence/`).
    #[serde(default)]
    pub key_prefix: Option<String>,
    /// The bucket's region, when not the function's; default `RINGFENCE_REPORT_BUCKET_REGION`.
    #[serde(default)]
    pub bucket_region: Option<String>,
    /// `aws` unless given (`aws-us-gov`, `aws-cn`), for `role_name`.
    #[serde(default)]
    pub partition: Option<String>,
}

/// Revoke the expired time-boxed grants (`ringfence grant`) in one region.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpireRequest {
    #[serde(default)]
    pub account: Option<String>,
    pub region: String,
    #[serde(default)]
    pub role_arn: Option<String>,
    #[serde(default)]
    pub role_name: Option<String>,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub partition: Option<String>,
}

/// The key naming the request.
pub const KEY: &str = "ringfence";

impl Request {
    /// The request in `value`, `Ok(None)` when it holds none (a CloudTrail event), or
    /// why it is not a valid one.
    pub fn of(value: &Value) -> Result<Option<Request>, String> {
        let body = match value.get(KEY) {
            Some(_) => value,
            None => match value.get("detail") {
                Some(detail) if detail.get(KEY).is_some() => detail,
                _ => {
                    if value.get("detail-type").and_then(Value::as_str) == Some("Scheduled Event") {
                        return Err(
                            "a scheduled event without a ringfence request: give the schedule's target an input such as {\"ringfence\": \"scan\", \"region\": \"eu-west-1\", \"bucket\": \"...\"}"
                                .to_string(),
                        );
                    }
                    return Ok(None);
                }
            },
        };
        let mut fields = body
            .as_object()
            .cloned()
            .ok_or_else(|| "a ringfence request must be a JSON object".to_string())?;
        let what = fields.remove(KEY);
        let rest = Value::Object(fields);
        let request = match what.as_ref().and_then(Value::as_str) {
            Some("scan") => Request::Scan(
                serde_json::from_value(rest).map_err(|e| format!("scan request: {e}"))?,
            ),
            Some("expire") => Request::Expire(
                serde_json::from_value(rest).map_err(|e| format!("expire request: {e}"))?,
            ),
            _ => {
                return Err(format!(
                    "\"ringfence\": {} is not a request: \"scan\" or \"expire\"",
                    what.unwrap_or(Value::Null)
                ));
            }
        };
        let (account, region, role_arn, role_name) = match &request {
            Request::Scan(r) => (&r.account, &r.region, &r.role_arn, &r.role_name),
            Request::Expire(r) => (&r.account, &r.region, &r.role_arn, &r.role_name),
        };
        if !valid_region(region) {
            return Err(format!("\"region\": {region:?} is not a region name"));
        }
        if let Some(account) = account
            && !(account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(format!(
                "\"account\": {account:?} is not a 12-digit account id"
            ));
        }
        if role_arn.is_some() && role_name.is_some() {
            return Err("give \"role_arn\" or \"role_name\", not both".to_string());
        }
        if role_name.is_some() && account.is_none() {
            return Err("\"role_name\" needs \"account\" to know where to assume it".to_string());
        }
        if let Some(arn) = role_arn
            && !(arn.starts_with("arn:") && arn.contains(":role/"))
        {
            return Err(format!("\"role_arn\": {arn:?} is not a role ARN"));
        }
        if let (Some(arn), Some(account)) = (role_arn, account)
            && arn.split(':').nth(4) != Some(account.as_str())
        {
            return Err(format!(
                "\"role_arn\" {arn} is not in \"account\" {account}"
            ));
        }
        Ok(Some(request))
    }
}

/// `eu-west-1`, `us-gov-west-1`, `cn-north-1`: lowercase words and a number.
fn valid_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| !p.is_empty())
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
}

/// The role to assume: the ARN given, or `role_name` in `account`.
pub fn role(
    account: Option<&str>,
    role_arn: Option<&str>,
    role_name: Option<&str>,
    partition: Option<&str>,
) -> Option<String> {
    match (role_arn, role_name, account) {
        (Some(arn), _, _) => Some(arn.to_string()),
        (None, Some(name), Some(account)) => Some(format!(
            "arn:{}:iam::{account}:role/{name}",
            partition.unwrap_or("aws")
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn a_scan_request_at_the_top_or_in_an_events_detail() {
        let direct = json!({"ringfence": "scan", "account": "123456789012", "region": "eu-west-1",
            "role_name": "ringfence-scan", "bucket": "reports"});
        let wrapped = json!({"version": "0", "detail-type": "ringfence scan", "source": "acme.ops",
            "detail": direct.clone()});
        for v in [direct, wrapped] {
            let Some(Request::Scan(r)) = Request::of(&v).unwrap() else {
                panic!("not a scan: {v}");
            };
            assert_eq!(r.region, "eu-west-1");
            assert_eq!(
                role(r.account.as_deref(), None, r.role_name.as_deref(), None).unwrap(),
                "arn:aws:iam::123456789012:role/ringfence-scan"
            );
        }
    }

    #[test]
    fn cloudtrail_events_are_not_requests() {
        let event = json!({"detail-type": "AWS API Call via CloudTrail", "detail": {"eventName": "StopLogging"}});
        assert_eq!(Request::of(&event).unwrap(), None);
    }

    #[test]
    fn bad_requests_say_what_is_wrong() {
        for (v, says) in [
            (
                json!({"ringfence": "scna", "region": "eu-west-1"}),
                "not a request",
            ),
            (json!({"ringfence": "scan"}), "region"),
            (
                json!({"ringfence": "scan", "region": "Europe"}),
                "not a region",
            ),
            (
                json!({"ringfence": "scan", "region": "eu-west-1", "acount": "1"}),
                "acount",
            ),
            (
                json!({"ringfence": "scan", "region": "eu-west-1", "account": "42"}),
                "12-digit",
            ),
            (
                json!({"ringfence": "scan", "region": "eu-west-1", "role_name": "r"}),
                "needs \"account\"",
            ),
            (
                json!({"ringfence": "expire", "region": "eu-west-1", "account": "123456789012",
                    "role_arn": "arn:aws:iam::210987654321:role/x"}),
                "not in \"account\"",
            ),
            (
                json!({"detail-type": "Scheduled Event", "source": "aws.events", "detail": {}}),
                "without a ringfence request",
            ),
        ] {
            let err = Request::of(&v).unwrap_err();
            assert!(err.contains(says), "{v}: {err}");
        }
    }
}
