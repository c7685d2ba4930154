//! Reading CloudTrail as AWS delivers it: the S3 layout's gzipped log files, plain JSON
//! log files, and files of EventBridge events (one per line, or one pretty-printed).
//!
//! Files are read in parallel, each in one pass: a log file is parsed as a stream, so a
//! file's size costs nothing but time, and a record no detector reads is dropped as soon
//! as its name is known. What cannot be read is reported with the file and the place,
//! never dropped silently.

use crate::event::{Event, Origin, Place, RawRecord, Skip, TopLevel, TopSeed};
use flate2::read::MultiGzDecoder;
use jiff::Timestamp;
use rayon::prelude::*;
use serde::de::DeserializeSeed;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Log files up to this size (decompressed) are parsed from memory, larger ones streamed.
const IN_MEMORY_CAP: u64 = 256 * 1024 * 1024;

/// The EventBridge detail type of CloudTrail management events.
const API_CALL: &str = "AWS API Call via CloudTrail";
/// Other CloudTrail detail types whose `detail` is a CloudTrail record too.
const CLOUDTRAIL_DETAIL_TYPES: &[&str] = &[
    API_CALL,
    "AWS Console Sign In via CloudTrail",
    "AWS Service Event via CloudTrail",
    "AWS Console Action via CloudTrail",
];

/// What reading produced: the events detectors read, in time order, and the account of
/// everything else.
#[derive(Debug, Default)]
pub struct Input {
    pub events: Vec<Event>,
    pub stats: ReadStats,
    pub problems: Vec<Problem>,
}

/// Counts over the whole input.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReadStats {
    pub files: u64,
    /// Records seen (log-file records and events).
    pub records: u64,
    /// Records a detector read.
    pub analysed: u64,
    /// Records skipped as unusable (missing fields, bad times), by reason: gaps.
    pub skipped: BTreeMap<String, u64>,
    /// EventBridge events that are not CloudTrail's, by detail type: nothing missed.
    pub ignored: BTreeMap<String, u64>,
    /// Bytes read from disk (compressed, for gzip).
    pub bytes: u64,
    /// With a time window: files not opened (their delivery time is outside it)...
    pub outside_window_files: u64,
    /// ...and analysable records outside it.
    pub outside_window_records: u64,
}

/// A file, or part of one, that could not be read: the report lists it as incomplete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// `line 3, column 17`, `/Records/12`, ...
    pub place: Option<String>,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.place {
            Some(place) => write!(f, "{}: {place}: {}", self.file, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: {source}", path.display())]
    Path { path: PathBuf, source: io::Error },
    #[error("{}: no CloudTrail files (*.json, *.json.gz, *.jsonl) under it", .0.display())]
    Empty(PathBuf),
}

/// Reads every CloudTrail file at `paths` (files, or folders walked in name order) and
/// returns all the events detectors read, in time order. For inputs of any size use
/// [`stream`].
pub fn read(paths: &[PathBuf]) -> Result<Input, ReadError> {
    let mut events = Vec::new();
    let (stats, problems) = stream(paths, |batch| events.extend(batch))?;
    // Batches follow delivery order; one clock for everything read.
    events.sort_by_key(|e| e.time);
    Ok(Input {
        events,
        stats,
        problems,
    })
}

/// Reads the files a batch at a time, in delivery order (the time in CloudTrail's file
/// names; files without one first), each batch in parallel, and hands `each` the
/// batch's events in time order. Memory holds one batch, whatever the input's size.
pub fn stream(
    paths: &[PathBuf],
    each: impl FnMut(Vec<Event>),
) -> Result<(ReadStats, Vec<Problem>), ReadError> {
    stream_within(paths, &Window::default(), each)
}

/// The events to judge: from `since`, up to (not including) `until`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

impl Window {
    pub fn contains(&self, at: Timestamp) -> bool {
        self.since.is_none_or(|s| at >= s) && self.until.is_none_or(|u| at < u)
    }

    /// A file CloudTrail delivered at `delivered` can hold an event of the window:
    /// delivered after the window opened, and no later than an hour after it closed
    /// (CloudTrail delivers within about fifteen minutes).
    fn may_hold(&self, delivered: Timestamp) -> bool {
        self.since.is_none_or(|s| delivered >= s)
            && self
                .until
                .is_none_or(|u| delivered <= u + jiff::SignedDuration::from_hours(1))
    }
}

/// [`stream`], keeping only the events within `window`; files whose delivery time says
/// they cannot hold one are not opened.
pub fn stream_within(
    paths: &[PathBuf],
    window: &Window,
    mut each: impl FnMut(Vec<Event>),
) -> Result<(ReadStats, Vec<Problem>), ReadError> {
    let mut files = Vec::new();
    for path in paths {
        let before = files.len();
        collect(path, true, &mut files)?;
        if files.len() == before {
            return Err(ReadError::Empty(path.clone()));
        }
    }
    files.sort_by_cached_key(|f| (delivery_time(f), f.clone()));
    let mut stats = ReadStats::default();
    let before = files.len();
    files.retain(|f| {
        delivery_time(f)
            .and_then(|t| delivered_at(&t))
            .is_none_or(|t| window.may_hold(t))
    });
    stats.outside_window_files = (before - files.len()) as u64;
    let mut problems = Vec::new();
    let batch = rayon::current_num_threads().max(1) * 4;
    for chunk in files.chunks(batch) {
        let per_file: Vec<FileOutcome> = chunk.par_iter().map(|f| read_file(f)).collect();
        let mut events = Vec::new();
        for outcome in per_file {
            stats.files += 1;
            stats.records += outcome.records;
            stats.bytes += outcome.bytes;
            for (reason, n) in outcome.skipped {
                *stats.skipped.entry(reason).or_default() += n;
            }
            for (kind, n) in outcome.ignored {
                *stats.ignored.entry(kind).or_default() += n;
            }
            let (kept, read) = (events.len(), outcome.events.len());
            events.extend(
                outcome
                    .events
                    .into_iter()
                    .filter(|e| window.contains(e.time)),
            );
            stats.outside_window_records += (read - (events.len() - kept)) as u64;
            problems.extend(outcome.problems);
        }
        stats.analysed += events.len() as u64;
        // Files arrive per region and per delivery; detectors need one clock. Ties keep
        // file and record order.
        events.sort_by_key(|e| e.time);
        each(events);
    }
    Ok((stats, problems))
}

/// `20261120T0905Z` as a time.
fn delivered_at(stamp: &str) -> Option<Timestamp> {
    let text = format!(
        "{}-{}-{}T{}:{}:00Z",
        stamp.get(0..4)?,
        stamp.get(4..6)?,
        stamp.get(6..8)?,
        stamp.get(9..11)?,
        stamp.get(11..13)?
    );
    text.parse().ok()
}

/// `20261120T0905Z` from `111122223333_CloudTrail_us-east-1_20261120T0905Z_abc.json.gz`.
fn delivery_time(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    name.split('_')
        .find(|part| {
            let b = part.as_bytes();
            b.len() == 14
                && b[8] == b'T'
                && b[13] == b'Z'
                && b[..8].iter().chain(&b[9..13]).all(u8::is_ascii_digit)
        })
        .map(str::to_string)
}

/// Parses one event (an EventBridge event, or a record), whether or not a detector
/// reads it.
pub fn parse_event(json: &[u8], origin: &str) -> Result<Event, Problem> {
    read_one(json, origin, true)?.ok_or_else(|| Problem {
        file: origin.to_string(),
        place: None,
        reason: "no CloudTrail record in it".to_string(),
    })
}

/// [`parse_event`], except that a well-formed CloudTrail record no detector reads is
/// `Ok(None)`: the responder lets such events pass without an error.
pub fn read_event(json: &[u8], origin: &str) -> Result<Option<Event>, Problem> {
    read_one(json, origin, false)
}

fn read_one(json: &[u8], origin: &str, keep_unread: bool) -> Result<Option<Event>, Problem> {
    let file: Arc<str> = Arc::from(origin);
    let mut outcome = FileOutcome {
        keep_unread,
        ..FileOutcome::default()
    };
    let mut de = serde_json::Deserializer::from_slice(json);
    let top = parse_value(&mut de, &file, Place::Whole, &mut outcome).and_then(|top| {
        de.end()?;
        Ok(top)
    });
    let problem = |reason: String| Problem {
        file: origin.to_string(),
        place: None,
        reason,
    };
    match top {
        Err(e) => Err(problem(describe_json_error(&e))),
        Ok(top) => {
            take_top(top, &file, Place::Whole, &mut outcome);
            if let Some(event) = outcome.events.pop() {
                return Ok(Some(event));
            }
            let unread = outcome.records == 1
                && outcome.problems.is_empty()
                && outcome.skipped.is_empty()
                && outcome.ignored.is_empty();
            if unread {
                return Ok(None);
            }
            let reason =
                outcome
                    .problems
                    .pop()
                    .map(|p| p.reason)
                    .or_else(|| outcome.skipped.keys().next().cloned())
                    .or_else(|| {
                        outcome.ignored.keys().next().map(|kind| {
                            format!("an EventBridge event not from CloudTrail ({kind})")
                        })
                    })
                    .unwrap_or_else(|| "no CloudTrail record in it".to_string());
            Err(problem(reason))
        }
    }
}

fn collect(path: &Path, named: bool, files: &mut Vec<PathBuf>) -> Result<(), ReadError> {
    let err = |source| ReadError::Path {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(err)?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(err)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(err)?;
        entries.sort();
        for entry in entries {
            if !named_folder_of_other_logs(&entry) {
                collect(&entry, false, files)?;
            }
        }
    } else if named || is_trail_file(path) {
        files.push(path.to_path_buf());
    }
    Ok(())
}

/// The folders a log bucket holds beside CloudTrail's own (`AWSLogs/<account>/...`):
/// digests, AWS Config, flow logs, load-balancer logs. A walk skips them; naming one
/// on the command line still reads it.
fn named_folder_of_other_logs(path: &Path) -> bool {
    const OTHER_LOGS: &[&str] = &[
        "CloudTrail-Digest",
        "Config",
        "vpcflowlogs",
        "elasticloadbalancing",
        "S3",
    ];
    path.is_dir()
        && path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| OTHER_LOGS.contains(&n))
}

/// What a folder walk picks up (a file named on the command line is always read).
fn is_trail_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    !name.starts_with('.')
        && [".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".gz"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

#[derive(Debug, Default)]
struct FileOutcome {
    events: Vec<Event>,
    records: u64,
    bytes: u64,
    skipped: BTreeMap<String, u64>,
    ignored: BTreeMap<String, u64>,
    problems: Vec<Problem>,
    /// Keep records no detector reads (one event for the responder: it says what it
    /// was even when nothing watches it).
    keep_unread: bool,
}

impl FileOutcome {
    fn problem(&mut self, file: &str, place: Option<String>, reason: String) {
        self.problems.push(Problem {
            file: file.to_string(),
            place,
            reason,
        });
    }

    fn take(&mut self, record: RawRecord, file: &Arc<str>, place: Place) {
        self.records += 1;
        if record.is_unread() && !self.keep_unread {
            return;
        }
        let origin = Origin {
            file: file.clone(),
            place,
        };
        match record.into_event(origin) {
            Ok(event) => self.events.push(event),
            Err(Skip::MissingField(field)) => {
                *self
                    .skipped
                    .entry(format!("record without {field}"))
                    .or_default() += 1;
            }
            Err(Skip::BadTime) => {
                *self
                    .skipped
                    .entry("eventTime not an RFC 3339 time".to_string())
                    .or_default() += 1;
            }
        }
    }
}

/// Counts the bytes read from disk, for the throughput figure.
struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

fn read_file(path: &Path) -> FileOutcome {
    read_file_capped(path, IN_MEMORY_CAP)
}

/// [`read_file`] with the in-memory cap given (tests stream small files through it).
fn read_file_capped(path: &Path, cap: u64) -> FileOutcome {
    let name: Arc<str> = Arc::from(path.display().to_string());
    let mut outcome = FileOutcome::default();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            outcome.problem(&name, None, e.to_string());
            return outcome;
        }
    };
    let mut raw = BufReader::with_capacity(
        256 * 1024,
        Counted {
            inner: file,
            count: 0,
        },
    );
    let gzip = match raw.fill_buf() {
        Ok(head) => head.starts_with(&[0x1f, 0x8b]),
        Err(e) => {
            outcome.problem(&name, None, e.to_string());
            return outcome;
        }
    };
    if gzip {
        let decoded = BufReader::with_capacity(256 * 1024, MultiGzDecoder::new(raw));
        read_stream(decoded, &name, &mut outcome, true, cap);
    } else {
        read_stream(raw, &name, &mut outcome, false, cap);
    }
    outcome
}

fn read_stream<R: BufRead + CountedBytes>(
    mut reader: R,
    file: &Arc<str>,
    outcome: &mut FileOutcome,
    gzip: bool,
    cap: u64,
) {
    // A log file is one JSON object whose first key is `Records`; anything else is read
    // as events, one per line (or one event spread over the whole file).
    let log_file = match reader.fill_buf() {
        Ok(head) => {
            let text = String::from_utf8_lossy(&head[..head.len().min(64)]);
            let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            compact.starts_with("{\"Records\"") || compact.starts_with("{\"Events\"")
        }
        Err(e) => {
            outcome.problem(file, None, io_reason(&e, gzip));
            return;
        }
    };
    if log_file {
        // CloudTrail's files are a few megabytes: parsed from memory they cost a third
        // of parsing from the stream. A file larger than the cap is streamed.
        let mut buffer = Vec::new();
        let read = (&mut reader).take(cap + 1).read_to_end(&mut buffer);
        match read {
            Ok(_) if buffer.len() as u64 > cap => {
                let mut chained = io::Cursor::new(buffer).chain(&mut reader);
                read_log_file(&mut chained, file, outcome, gzip);
            }
            Ok(_) => read_log_slice(&buffer, file, outcome, None),
            Err(e) => {
                // What decompressed before the damage is still read.
                read_log_slice(&buffer, file, outcome, Some(&e));
                let records = outcome.records;
                outcome.problem(
                    file,
                    None,
                    format!(
                        "{} after {records} records (the records before it were analysed)",
                        io_reason(&e, gzip)
                    ),
                );
            }
        }
    } else {
        read_lines(&mut reader, file, outcome, gzip);
    }
    outcome.bytes = reader.counted();
}

/// Parses a log file held in memory; `damaged` is the read error that cut it short, if
/// any (the parse error at the cut is then that error's, not the JSON's).
fn read_log_slice(
    bytes: &[u8],
    file: &Arc<str>,
    outcome: &mut FileOutcome,
    damaged: Option<&io::Error>,
) {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = parse_value(&mut de, file, Place::Whole, outcome).and_then(|top| {
        de.end()?;
        Ok(top)
    });
    match result {
        Ok(top) => take_top(top, file, Place::Whole, outcome),
        Err(_) if damaged.is_some() => {}
        Err(e) => {
            let place = format!("line {}, column {}", e.line(), e.column());
            outcome.problem(file, Some(place), describe_json_error(&e));
        }
    }
}

fn read_log_file<R: Read>(reader: &mut R, file: &Arc<str>, outcome: &mut FileOutcome, gzip: bool) {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = parse_value(&mut de, file, Place::Whole, outcome).and_then(|top| {
        de.end()?;
        Ok(top)
    });
    match result {
        Ok(top) => take_top(top, file, Place::Whole, outcome),
        Err(e) => {
            let reason = if e.is_io() {
                let records = outcome.records;
                format!(
                    "{} after {records} records (the records before it were analysed)",
                    io_reason_json(&e, gzip)
                )
            } else {
                describe_json_error(&e)
            };
            let place = (e.line() > 0).then(|| format!("line {}, column {}", e.line(), e.column()));
            outcome.problem(file, place, reason);
        }
    }
}

fn read_lines<R: BufRead>(reader: &mut R, file: &Arc<str>, outcome: &mut FileOutcome, gzip: bool) {
    let mut line = Vec::new();
    let mut number = 0u64;
    let mut whole = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                outcome.problem(
                    file,
                    Some(format!("line {}", number + 1)),
                    io_reason(&e, gzip),
                );
                return;
            }
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let mut de = serde_json::Deserializer::from_slice(&line);
        let parsed = parse_value(&mut de, file, Place::Line(number), outcome).and_then(|top| {
            de.end()?;
            Ok(top)
        });
        match parsed {
            Ok(top) => take_top(top, file, Place::Line(number), outcome),
            // The first value does not end on its line: one event spread over the file.
            Err(e) if e.is_eof() && number == 1 => {
                whole.extend_from_slice(&line);
                if let Err(e) = reader.read_to_end(&mut whole) {
                    outcome.problem(file, None, io_reason(&e, gzip));
                    return;
                }
                let mut de = serde_json::Deserializer::from_slice(&whole);
                match parse_value(&mut de, file, Place::Whole, outcome).and_then(|top| {
                    de.end()?;
                    Ok(top)
                }) {
                    Ok(top) => take_top(top, file, Place::Whole, outcome),
                    Err(e) => {
                        let place = format!("line {}, column {}", e.line(), e.column());
                        outcome.problem(file, Some(place), describe_json_error(&e));
                    }
                }
                return;
            }
            Err(e) => {
                outcome.records += 1;
                outcome.problem(
                    file,
                    Some(format!("line {number}, column {}", e.column())),
                    describe_json_error(&e),
                );
            }
        }
    }
}

fn parse_value<'de, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
    file: &Arc<str>,
    _place: Place,
    outcome: &mut FileOutcome,
) -> Result<TopLevel, serde_json::Error> {
    let mut take = |record: RawRecord, place: Place| outcome.take(record, file, place);
    let mut sink: crate::event::Sink<'_> = &mut take;
    TopSeed { sink: &mut sink }.deserialize(de)
}

/// Files the top-level value's record (an EventBridge event's detail, or a bare
/// record), or says why the value is not CloudTrail.
fn take_top(top: TopLevel, file: &Arc<str>, place: Place, outcome: &mut FileOutcome) {
    if top.records_array {
        return;
    }
    let where_ = match place {
        Place::Line(n) => Some(format!("line {n}")),
        Place::Record(i) => Some(format!("/Records/{i}")),
        Place::Event(i) => Some(format!("/Events/{i}")),
        Place::Whole => None,
    };
    match (top.detail_type, top.record) {
        (Some(kind), Some(record)) if CLOUDTRAIL_DETAIL_TYPES.contains(&kind.as_str()) => {
            outcome.take(record, file, place);
        }
        (Some(kind), _) => {
            outcome.records += 1;
            *outcome.ignored.entry(kind).or_default() += 1;
        }
        (None, Some(record)) if top.bare_record => outcome.take(record, file, place),
        _ => {
            outcome.records += 1;
            outcome.problem(
                file,
                where_,
                "not CloudTrail: neither a log file (`Records`), an EventBridge event \
                 (`detail-type`, `detail`) nor a record (`eventName`, `eventTime`)"
                    .to_string(),
            );
        }
    }
}

fn describe_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    // serde_json appends " at line L column C"; the place is reported on its own.
    match text.rfind(" at line ") {
        Some(cut) => format!("malformed JSON: {}", &text[..cut]),
        None => format!("malformed JSON: {text}"),
    }
}

fn io_reason(e: &io::Error, gzip: bool) -> String {
    if gzip
        && matches!(
            e.kind(),
            io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData
        )
    {
        format!("truncated or corrupt gzip ({e})")
    } else {
        e.to_string()
    }
}

fn io_reason_json(e: &serde_json::Error, gzip: bool) -> String {
    let text = e.to_string();
    let text = match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    };
    if gzip {
        format!("truncated or corrupt gzip ({text})")
    } else {
        text
    }
}

/// Bytes read from disk so far.
trait CountedBytes {
    fn counted(&self) -> u64;
}

impl CountedBytes for BufReader<Counted<File>> {
    fn counted(&self) -> u64 {
        self.get_ref().count
    }
}

impl CountedBytes for BufReader<MultiGzDecoder<BufReader<Counted<File>>>> {
    fn counted(&self) -> u64 {
        self.get_ref().get_ref().get_ref().count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/trail/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20")
            .join(name)
    }

    #[test]
    fn a_file_over_the_cap_is_streamed_to_the_same_events() {
        let path = example("111122223333_CloudTrail_us-east-1_20261120T0912Z_09h.json.gz");
        let in_memory = read_file_capped(&path, IN_MEMORY_CAP);
        let streamed = read_file_capped(&path, 100);
        assert!(in_memory.problems.is_empty() && streamed.problems.is_empty());
        assert_eq!(in_memory.records, streamed.records);
        let ids = |o: &FileOutcome| o.events.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&in_memory), ids(&streamed));
        assert!(in_memory.events.len() > 5);
    }

    #[test]
    fn lookup_events_output_reads_as_records() {
        let dir = tempfile::tempdir().unwrap();
        let record = r#"{"eventTime":"2026-11-20T09:00:00Z","eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com","awsRegion":"us-east-1","eventID":"e1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a"},"requestParameters":{"name":"t"}}"#;
        let doc = serde_json::json!({"Events": [
            {"EventId": "e1", "EventName": "StopLogging", "CloudTrailEvent": record},
            {"EventId": "e2", "EventName": "DescribeTrails", "CloudTrailEvent": record.replace("StopLogging", "DescribeTrails")},
        ]});
        let file = dir.path().join("lookup.json");
        std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
        let outcome = read_file(&file);
        assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
        assert_eq!(outcome.records, 2);
        assert_eq!(outcome.events.len(), 1);
        assert_eq!(outcome.events[0].name, "StopLogging");
        assert_eq!(outcome.events[0].origin.place, Place::Event(0));
    }

    #[test]
    fn a_bucket_walk_skips_digests_and_other_services_logs() {
        let dir = tempfile::tempdir().unwrap();
        let account = dir.path().join("AWSLogs/111122223333");
        for sub in [
            "CloudTrail/us-east-1/2026/11/20",
            "CloudTrail-Digest/us-east-1/2026/11/20",
            "Config/us-east-1/2026/11/20",
        ] {
            std::fs::create_dir_all(account.join(sub)).unwrap();
            std::fs::write(account.join(sub).join("a.json.gz"), b"").unwrap();
        }
        let mut files = Vec::new();
        collect(dir.path(), true, &mut files).unwrap();
        assert_eq!(files.len(), 1);
        assert!(files[0].to_string_lossy().contains("/CloudTrail/"));
    }

    #[test]
    fn delivery_times_come_from_cloudtrails_file_names() {
        let name = Path::new("a/111122223333_CloudTrail_us-east-1_20261120T0905Z_abc.json.gz");
        assert_eq!(delivery_time(name).as_deref(), Some("20261120T0905Z"));
        assert_eq!(delivery_time(Path::new("events.jsonl")), None);
        assert_eq!(
            delivered_at("20261120T0905Z"),
            "2026-11-20T09:05:00Z".parse().ok()
        );
        let window = Window {
            since: "2026-11-20T09:00:00Z".parse().ok(),
            until: "2026-11-20T10:00:00Z".parse().ok(),
        };
        let at = |t: &str| t.parse::<Timestamp>().unwrap();
        assert!(!window.may_hold(at("2026-11-20T08:55:00Z")));
        assert!(window.may_hold(at("2026-11-20T10:40:00Z")));
        assert!(!window.may_hold(at("2026-11-20T11:05:00Z")));
        assert!(
            window.contains(at("2026-11-20T09:00:00Z"))
                && !window.contains(at("2026-11-20T10:00:00Z"))
        );
    }
}
