//! What the detectors are tuned by: windows, thresholds, the allowed lists.

use jiff::civil::{Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, Zoned};

#[derive(Clone, Debug)]
pub struct TrailConfig {
    /// The checks' settings: the port catalog, common ports, the wide-range threshold.
    pub checks: ringfence_checks::Config,
    /// A port opened to the internet and closed again within this is reported.
    pub flap_window: SignedDuration,
    /// This many security-group changes by one principal...
    pub burst_changes: usize,
    /// ...within this are a burst.
    pub burst_window: SignedDuration,
    /// API calls the root user may make without a finding (`ConsoleLogin`, say).
    pub root_allowed: Vec<String>,
    /// Regions snapshots may be copied into; `None`: the snapshot detector is off.
    pub snapshot_regions: Option<Vec<String>>,
    /// Instance types (`p4d.24xlarge`, a family as `p4d.*`, `*.metal`) that may only be
    /// launched within business hours.
    pub watched_instance_types: Vec<String>,
    pub business_hours: BusinessHours,
}

impl Default for TrailConfig {
    fn default() -> Self {
        TrailConfig {
            checks: ringfence_checks::Config::default(),
            flap_window: SignedDuration::from_mins(30),
            burst_changes: 10,
            burst_window: SignedDuration::from_mins(10),
            root_allowed: Vec::new(),
            snapshot_regions: None,
            watched_instance_types: EXPENSIVE_INSTANCE_TYPES
                .iter()
                .map(|t| t.to_string())
                .collect(),
            business_hours: BusinessHours::default(),
        }
    }
}

/// What the instance-type detector watches unless told otherwise: GPU, accelerator,
/// very-large-memory and bare-metal instances, what stolen keys are used to mine with.
pub const EXPENSIVE_INSTANCE_TYPES: &[&str] = &[
    "p2.*",
    "p3.*",
    "p3dn.*",
    "p4d.*",
    "p4de.*",
    "p5.*",
    "p5e.*",
    "p5en.*",
    "g3.*",
    "g4dn.*",
    "g5.*",
    "g6.*",
    "g6e.*",
    "gr6.*",
    "dl1.*",
    "dl2q.*",
    "inf2.*",
    "trn1.*",
    "trn1n.*",
    "trn2.*",
    "x1.*",
    "x1e.*",
    "x2idn.*",
    "x2iedn.*",
    "u-*",
    "*.metal",
    "*.48xlarge",
];

impl TrailConfig {
    pub fn watches_instance_type(&self, instance_type: &str) -> bool {
        let kind = instance_type.to_ascii_lowercase();
        self.watched_instance_types
            .iter()
            .any(|pattern| wildcard(&pattern.to_ascii_lowercase(), &kind))
    }
}

/// `*` matches any run of characters; nothing else is special.
fn wildcard(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            let Some(tail) = text.strip_prefix(head) else {
                return false;
            };
            (0..=tail.len()).any(|i| tail.is_char_boundary(i) && wildcard(rest, &tail[i..]))
        }
    }
}

/// When launching watched instance types is expected: days, hours, and the time zone
/// they are in.
#[derive(Clone, Debug, PartialEq)]
pub struct BusinessHours {
    pub days: Vec<Weekday>,
    pub start: Time,
    pub end: Time,
    pub zone: TimeZone,
    /// As given (`Mon-Fri 08:00-19:00 Europe/Paris`), for messages.
    pub text: String,
}

impl Default for BusinessHours {
    fn default() -> Self {
        BusinessHours::parse("Mon-Fri 08:00-19:00 UTC").unwrap_or_else(|_| BusinessHours {
            days: Vec::new(),
            start: Time::midnight(),
            end: Time::midnight(),
            zone: TimeZone::UTC,
            text: String::new(),
        })
    }
}

impl BusinessHours {
    /// `Mon-Fri 08:00-19:00 Europe/Paris`: days (a range or a comma list), hours, and an
    /// IANA time zone (default UTC).
    pub fn parse(text: &str) -> Result<BusinessHours, String> {
        let mut parts = text.split_whitespace();
        let (Some(days), Some(hours)) = (parts.next(), parts.next()) else {
            return Err(format!(
                "business hours {text:?}: expected `DAYS HH:MM-HH:MM [ZONE]`, e.g. `Mon-Fri 08:00-19:00 Europe/Paris`"
            ));
        };
        let zone = match parts.next() {
            Some(name) => TimeZone::get(name)
                .map_err(|e| format!("business hours {text:?}: time zone {name:?}: {e}"))?,
            None => TimeZone::UTC,
        };
        if let Some(extra) = parts.next() {
            return Err(format!("business hours {text:?}: unexpected {extra:?}"));
        }
        let (start, end) = hours
            .split_once('-')
            .ok_or_else(|| format!("business hours {text:?}: hours must be HH:MM-HH:MM"))?;
        let time = |t: &str| {
            t.parse::<Time>()
                .map_err(|e| format!("business hours {text:?}: {t:?} is not a time: {e}"))
        };
        let (start, end) = (time(start)?, time(end)?);
        if start >= end {
            return Err(format!(
                "business hours {text:?}: the end must come after the start"
            ));
        }
        Ok(BusinessHours {
            days: parse_days(days).map_err(|e| format!("business hours {text:?}: {e}"))?,
            start,
            end,
            zone,
            text: text.to_string(),
        })
    }

    /// Whether `at` falls within them.
    pub fn contains(&self, at: Timestamp) -> bool {
        let local: Zoned = at.to_zoned(self.zone.clone());
        self.days.contains(&local.weekday()) && {
            let time = local.time();
            time >= self.start && time < self.end
        }
    }
}

const WEEK: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

fn parse_days(text: &str) -> Result<Vec<Weekday>, String> {
    let day = |name: &str| {
        let key = name.trim().to_ascii_lowercase();
        WEEK.iter()
            .position(|(n, _)| key.starts_with(n))
            .ok_or_else(|| format!("{name:?} is not a day (Mon, Tue, ... Sun)"))
    };
    let mut days = Vec::new();
    for part in text.split(',') {
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (day(from)?, day(to)?);
                let mut i = from;
                loop {
                    days.push(WEEK[i].1);
                    if i == to {
                        break;
                    }
                    i = (i + 1) % 7;
                }
            }
            None => days.push(WEEK[day(part)?].1),
        }
    }
    Ok(days)
}

/// `30m`, `2h`, `1h30m`, `45s`: the durations config and flags take.
pub fn parse_duration(text: &str) -> Result<SignedDuration, String> {
    let span: jiff::Span = text
        .trim()
        .parse()
        .map_err(|e| format!("{text:?} is not a duration like 30m, 2h or 1h30m: {e}"))?;
    let duration = SignedDuration::try_from(span)
        .map_err(|e| format!("{text:?}: {e} (use hours, minutes, seconds)"))?;
    if duration <= SignedDuration::ZERO {
        return Err(format!("{text:?}: a duration must be positive"));
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_hours_follow_the_zone_and_the_days() {
        let hours = BusinessHours::parse("Mon-Fri 08:00-19:00 Europe/Paris").unwrap();
        // Sunday 22 November 2026, 10:00 in Paris.
        assert!(!hours.contains("2026-11-22T09:00:00Z".parse().unwrap()));
        // Monday 23 November, 08:30 Paris (07:30 UTC).
        assert!(hours.contains("2026-11-23T07:30:00Z".parse().unwrap()));
        // Monday 06:30 UTC is 07:30 Paris: before opening.
        assert!(!hours.contains("2026-11-23T06:30:00Z".parse().unwrap()));
        // 18:59 Paris is in, 19:00 is out.
        assert!(hours.contains("2026-11-23T17:59:00Z".parse().unwrap()));
        assert!(!hours.contains("2026-11-23T18:00:00Z".parse().unwrap()));
    }

    #[test]
    fn days_wrap_round_the_week_and_list() {
        assert_eq!(
            parse_days("Fri-Mon").unwrap(),
            [
                Weekday::Friday,
                Weekday::Saturday,
                Weekday::Sunday,
                Weekday::Monday
            ]
        );
        assert_eq!(
            parse_days("sat,sun").unwrap(),
            [Weekday::Saturday, Weekday::Sunday]
        );
        assert!(parse_days("Funday").is_err());
    }

    #[test]
    fn bad_business_hours_say_why() {
        for bad in [
            "Mon-Fri",
            "Mon-Fri 19:00-08:00",
            "Mon-Fri 08:00-25:00",
            "Mon-Fri 08:00-19:00 Mars/Olympus",
        ] {
            assert!(BusinessHours::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(
            parse_duration("30m").unwrap(),
            SignedDuration::from_mins(30)
        );
        assert_eq!(
            parse_duration("1h30m").unwrap(),
            SignedDuration::from_mins(90)
        );
        assert!(parse_duration("0m").is_err());
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn instance_type_patterns() {
        let config = TrailConfig {
            watched_instance_types: vec!["p4d.*".into(), "x2iedn.32xlarge".into()],
            ..TrailConfig::default()
        };
        assert!(config.watches_instance_type("p4d.24xlarge"));
        assert!(config.watches_instance_type("x2iedn.32xlarge"));
        assert!(!config.watches_instance_type("t3.micro"));
        let defaults = TrailConfig::default();
        assert!(defaults.watches_instance_type("c5.metal"));
        assert!(defaults.watches_instance_type("P5.48xlarge"));
        assert!(defaults.watches_instance_type("m7i.48xlarge"));
        assert!(!defaults.watches_instance_type("m7i.large"));
        assert!(!defaults.watches_instance_type("t3.metal-ish"));
    }
}
