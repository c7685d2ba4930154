//! Scheduled requests: a live scan of one account and region into S3, and the expiry of
//! time-boxed grants.

use crate::config::{Mode, Responder};
use crate::outcome::{Action, ActionKind, Kind, Outcome, ScanSummary, Status};
use crate::request::{ExpireRequest, ScanRequest, role};
use crate::{Error, notify};
use ringfence_aws::{Options, RoleSource};
use ringfence_checks::{Context, Selection};
use ringfence_exposure::{Evaluation, Network};
use ringfence_findings::time::Timestamp;
use ringfence_findings::{IncompleteEntry, Report};
use ringfence_model::Estate;
use ringfence_policy::Settings;

fn options(
    responder: &Responder,
    region: &str,
    role_arn: Option<String>,
    external_id: Option<&str>,
) -> Options {
    Options {
        regions: vec![region.to_string()],
        roles: RoleSource {
            role_arns: role_arn.into_iter().collect(),
            ..RoleSource::default()
        },
        external_id: external_id.map(str::to_string),
        ..responder.aws.clone()
    }
}

/// The scan's report: the default checks (as `ringfence scan` runs them, with the
/// settings of `RINGFENCE_CONFIG`), each failing exposure with its fix.
pub fn report(
    estate: &Estate,
    gaps: Vec<IncompleteEntry>,
    settings: &Settings,
) -> Result<Report, Error> {
    let resolved = Selection::default()
        .resolve()
        .map_err(|e| Error::Config(e.to_string()))?;
    let checks = settings.select(resolved, false, None);
    let eval = Evaluation::of(estate);
    let network = Network::of(estate);
    let ctx = Context {
        estate,
        eval: &eval,
        network: &network,
        config: &settings.config,
    };
    let mut findings = ringfence_checks::run(&checks, &ctx);
    settings.apply_severity(&mut findings);
    let mut report = ringfence_checks::report_of(estate, findings, gaps, &checks);
    let options = ringfence_fix::plan::Options {
        trusted_cidrs: settings.config.trusted_cidrs.clone(),
        ..ringfence_fix::plan::Options::default()
    };
    ringfence_fix::attach(estate, &mut report, &options)
        .map_err(|e| Error::Internal(format!("fix plan: {e}")))?;
    Ok(report)
}

/// `20261122T080000Z`: sorts by time, no characters S3 tools quote.
fn stamp(now: Timestamp) -> String {
    now.rfc3339().replace(['-', ':'], "")
}

pub fn scan(request: &ScanRequest, responder: &Responder) -> Result<Outcome, Error> {
    let mut outcome = Outcome::new(Kind::Scan, responder.mode);
    let bucket = request
        .bucket
        .clone()
        .or_else(|| responder.report_bucket.clone())
        .ok_or_else(|| {
            Error::Request(
                "the scan request names no \"bucket\" and RINGFENCE_REPORT_BUCKET is not set"
                    .to_string(),
            )
        })?;
    let role_arn = role(
        request.account.as_deref(),
        request.role_arn.as_deref(),
        request.role_name.as_deref(),
        request.partition.as_deref(),
    );
    let options = options(
        responder,
        &request.region,
        role_arn,
        request.external_id.as_deref(),
    );
    let collected = ringfence_aws::collect(&options).map_err(|e| Error::Request(e.to_string()))?;
    // No account could be reached at all (credentials refused, role not assumable):
    // there is no report to write, only the reason.
    if collected.regions.is_empty() {
        let reasons: Vec<String> = collected
            .failures
            .iter()
            .map(|f| format!("{}: {}", f.call, f.reason))
            .collect();
        return Err(Error::Aws(format!(
            "nothing could be read in {}: {}",
            request.region,
            reasons.join("; ")
        )));
    }
    let scanned_account = collected.regions.iter().find_map(|r| r.account.clone());
    if let (Some(asked), Some(got)) = (&request.account, &scanned_account)
        && asked != got
    {
        return Err(Error::Request(format!(
            "the request names account {asked} but the credentials read account {got}: give \"role_arn\" or \"role_name\""
        )));
    }
    let mut estate = Estate::default();
    for region in &collected.regions {
        estate.merge(
            region
                .to_estate()
                .map_err(|e| Error::Internal(format!("live data did not convert: {e}")))?,
        );
    }
    let gaps = collected
        .failures
        .iter()
        .map(|f| IncompleteEntry {
            account: f.account.clone(),
            region: f.region.clone().unwrap_or_else(|| "*".into()),
            kind: f.call.clone(),
            subject: None,
            reason: f.reason.clone(),
        })
        .collect();
    let report = report(&estate, gaps, &responder.settings)?;
    let now = Timestamp::now();
    let mut body = Vec::new();
    let ctx = ringfence_report::Context {
        style: ringfence_report::Style::default(),
        generated_at: now,
    };
    ringfence_report::render_with(&report, ringfence_report::Format::Json, &ctx, &mut body)
        .map_err(|e| Error::Internal(format!("report: {e}")))?;

    let account = scanned_account
        .clone()
        .or_else(|| request.account.clone())
        .unwrap_or_else(|| "unknown-account".to_string());
    let prefix = request
        .key_prefix
        .clone()
        .unwrap_or_else(|| responder.report_prefix.clone());
    let base = format!("{prefix}{account}/{}", request.region);
    let key = format!("{base}/{}.json", stamp(now));
    let latest_key = format!("{base}/latest.json");
    let by_severity = report
        .summary
        .by_severity
        .iter()
        .map(|(s, n)| (s.to_string(), *n))
        .collect();
    outcome.scan = Some(ScanSummary {
        account: scanned_account,
        region: request.region.clone(),
        bucket: bucket.clone(),
        key: key.clone(),
        latest_key: latest_key.clone(),
        checks_run: report.summary.checks_run,
        failing: report.summary.fail,
        by_severity,
        incomplete: report.incomplete.len(),
    });
    // A scan changes nothing in the account: its report is written in every mode.
    let bucket_region = request
        .bucket_region
        .as_deref()
        .or(responder.report_bucket_region.as_deref());
    for key in [&key, &latest_key] {
        let target = format!("s3://{bucket}/{key}");
        let action = match ringfence_aws::respond::put_json(
            &responder.aws,
            bucket_region,
            &bucket,
            key,
            body.clone(),
        ) {
            Ok(()) => Action::new(
                ActionKind::PutReport,
                Status::Done,
                target,
                format!("{} bytes", body.len()),
            ),
            Err(e) => Action::new(ActionKind::PutReport, Status::Failed, target, e),
        };
        outcome.actions.push(action);
    }
    if responder.actions.notify && responder.mode != Mode::Report {
        let action = notify::publish_scan(&outcome, responder);
        outcome.actions.push(action);
    }
    Ok(outcome)
}

pub fn expire(request: &ExpireRequest, responder: &Responder) -> Result<Outcome, Error> {
    let mut outcome = Outcome::new(Kind::Expire, responder.mode);
    let role_arn = role(
        request.account.as_deref(),
        request.role_arn.as_deref(),
        request.role_name.as_deref(),
        request.partition.as_deref(),
    );
    let options = options(
        responder,
        &request.region,
        role_arn,
        request.external_id.as_deref(),
    );
    let dry_run = responder.mode != Mode::Apply;
    let report = ringfence_aws::grant::expire(&options, Timestamp::now(), dry_run)
        .map_err(|e| Error::Request(e.to_string()))?;
    outcome.expire = Some(report);
    Ok(outcome)
}
