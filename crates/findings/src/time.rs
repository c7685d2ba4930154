//! Dates and times for reports and mutelist expiry, in UTC, without a calendar crate.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Timestamp {
    /// Now, or `SOURCE_DATE_EPOCH` when set (reproducible reports).
    pub fn now() -> Timestamp {
        if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|v| v.trim().parse::<i64>().ok())
        {
            return Timestamp(secs);
        }
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        Timestamp(secs)
    }

    pub fn date(&self) -> Date {
        let days = self.0.div_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Date { year, month, day }
    }

    /// `2026-11-22T00:46:14Z`.
    pub fn rfc3339(&self) -> String {
        let secs = self.0.rem_euclid(86_400);
        format!(
            "{}T{:02}:{:02}:{:02}Z",
            self.date(),
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }

    /// Milliseconds since the epoch (OCSF's timestamp unit).
    pub fn millis(&self) -> i64 {
        self.0.saturating_mul(1000)
    }

    /// An RFC 3339 date-time, `2026-11-22T09:00:00Z` or with an offset
    /// (`2026-11-22T10:00:00+01:00`), fractional seconds dropped; `None` for anything
    /// else, a day that does not exist included. Years 0000-9999, no leap second.
    pub fn parse_rfc3339(text: &str) -> Option<Timestamp> {
        let b = text.as_bytes();
        let shape_ok = b.len() >= 20
            && b[..10].iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            })
            && matches!(b[10], b'T' | b't');
        if !shape_ok {
            return None;
        }
        let date = Date::parse(text.get(..10)?)?;
        let two = |at: usize| -> Option<i64> {
            let d = b.get(at..at + 2)?;
            d.iter()
                .all(u8::is_ascii_digit)
                .then(|| i64::from(d[0] - b'0') * 10 + i64::from(d[1] - b'0'))
        };
        if b[13] != b':' || b[16] != b':' {
            return None;
        }
        let (hour, minute, second) = (two(11)?, two(14)?, two(17)?);
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let mut rest = &b[19..];
        if let [b'.', tail @ ..] = rest {
            let digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            rest = &tail[digits..];
        }
        let offset = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let digits = [*h1, *h2, *m1, *m2];
                if !digits.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                let hours = i64::from(h1 - b'0') * 10 + i64::from(h2 - b'0');
                let minutes = i64::from(m1 - b'0') * 10 + i64::from(m2 - b'0');
                if hours > 23 || minutes > 59 {
                    return None;
                }
                let offset = hours * 3600 + minutes * 60;
                if *sign == b'-' { -offset } else { offset }
            }
            _ => return None,
        };
        let days = days_from_civil(date);
        Some(Timestamp(
            days * 86_400 + hour * 3600 + minute * 60 + second - offset,
        ))
    }
}

impl Date {
    /// `YYYY-MM-DD`, a real day.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?;
        let (month, day) = (parts.next()?, parts.next()?);
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        let date = Date {
            year: year.parse().ok()?,
            month: month.parse().ok()?,
            day: day.parse().ok()?,
        };
        let days_in_month = match date.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if date.year % 4 == 0 && (date.year % 100 != 0 || date.year % 400 == 0) => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month).contains(&date.day).then_some(date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Howard Hinnant's `days_from_civil`: (year, month, day) to days since 1970-01-01.
fn days_from_civil(date: Date) -> i64 {
    let (month, day) = (i64::from(date.month), i64::from(date.day));
    let year = i64::from(date.year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let doy = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to (year, month, day).
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        i32::try_from(year).unwrap_or(i32::MAX),
        month as u8,
        day as u8,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_format_as_rfc3339() {
        assert_eq!(Timestamp(0).rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp(1_795_308_374).rfc3339(), "2026-11-22T00:46:14Z");
        assert_eq!(Timestamp(951_782_400).rfc3339(), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn rfc3339_parses_back_what_it_formats() {
        for secs in [0, 951_782_400, 1_795_308_374, 253_402_300_799, -86_400] {
            let text = Timestamp(secs).rfc3339();
            assert_eq!(
                Timestamp::parse_rfc3339(&text),
                Some(Timestamp(secs)),
                "{text}"
            );
        }
        // Every day of four years (a leap year among them) round-trips.
        for day in 19_000..19_000 + 4 * 366 {
            let t = Timestamp(day * 86_400 + 3_723);
            assert_eq!(Timestamp::parse_rfc3339(&t.rfc3339()), Some(t));
        }
    }

    #[test]
    fn rfc3339_takes_offsets_and_fractions() {
        let utc = Timestamp::parse_rfc3339("2026-11-22T09:00:00Z");
        assert_eq!(utc, Some(Timestamp(1_795_338_000)));
        for same in [
            "2026-11-22T10:00:00+01:00",
            "2026-11-22T04:30:00-04:30",
            "2026-11-22t09:00:00z",
            "2026-11-22T09:00:00.999Z",
            "2026-11-22T09:00:00.5+00:00",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(same), utc, "{same}");
        }
        for bad in [
            "",
            "2026-11-22",
            "2026-11-22 09:00:00Z",
            "2026-11-22T09:00:00",
            "2026-11-22T09:00Z",
            "2026-11-22T24:00:00Z",
            "2026-11-22T09:60:00Z",
            "2026-11-22T09:00:60Z",
            "2026-02-30T09:00:00Z",
            "2026-11-22T09:00:00.Z",
            "2026-11-22T09:00:00+0100",
            "2026-11-22T09:00:00+24:00",
            "2026-11-22T09:00:00Zjunk",
            "2026-11-22T09:00:00\u{0}Z",
            "+2026-11-22T09:00:00Z",
            "+026-11-22T09:00:00Z",
            "2026-11-22T0a:00:00Z",
            "2026-11-22T09:00:00+01:0x",
            "2026-11-22T\u{e9}:00:00Z",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn dates_parse_only_when_real() {
        assert_eq!(
            Date::parse("2024-02-29"),
            Some(Date {
                year: 2024,
                month: 2,
                day: 29
            })
        );
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "tomorrow",
            "2024-04-31",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2024-01-31") < Date::parse("2024-02-01"));
    }
}
