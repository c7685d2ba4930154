//! The grant marker: what a time-boxed rule's description says about its expiry.
//!
//! ```text
//! ringfence-grant until=2026-11-22T09:00:00Z <reason>
//! ```
//!
//! A description *claims* to be a grant when it starts with `ringfence-grant` followed by
//! a space or nothing. A claim is read or reported as malformed, never guessed at; a
//! description that does not claim (`ringfence-granted ...`, `old ringfence-grant ...`,
//! `RINGFENCE-GRANT ...`) is an ordinary rule and is left alone.

use ringfence_findings::time::Timestamp;

/// The first word of a grant's description.
pub const MARKER: &str = "ringfence-grant";

/// AWS's limit on a rule description.
pub const DESCRIPTION_MAX: usize = 255;

/// The last second a marker can name (9999-12-31T23:59:59Z): RFC 3339 has four-digit years.
pub const LATEST: i64 = 253_402_300_799;

/// What a description says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Marker {
    /// Not a grant: an ordinary rule.
    None,
    /// A grant that expires at this time.
    Grant { until: Timestamp },
    /// Claims to be a grant, but its expiry cannot be read: the problem, in words.
    Malformed(String),
}

/// Reads a rule description.
pub fn parse(description: &str) -> Marker {
    let Some(rest) = description.strip_prefix(MARKER) else {
        return Marker::None;
    };
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return Marker::None;
    }
    let Some(word) = rest.split(' ').find(|w| !w.is_empty()) else {
        return Marker::Malformed(format!("nothing after {MARKER} (expected until=<time>)"));
    };
    let Some(time) = word.strip_prefix("until=") else {
        return Marker::Malformed(format!(
            "{MARKER} is followed by {word:?}, not until=<RFC 3339 time>"
        ));
    };
    match Timestamp::parse_rfc3339(time) {
        Some(until) => Marker::Grant { until },
        None => Marker::Malformed(format!("until={time} is not an RFC 3339 time")),
    }
}

/// The description of a grant expiring at `until`, with the reason made fit for AWS
/// (see [`sanitize_reason`]) and cut to the 255 characters AWS takes.
pub fn description(until: Timestamp, reason: &str) -> String {
    let head = format!("{MARKER} until={}", until.rfc3339());
    let reason = sanitize_reason(reason, DESCRIPTION_MAX.saturating_sub(head.len() + 1));
    if reason.is_empty() {
        head
    } else {
        format!("{head} {reason}")
    }
}

/// Whether AWS takes `c` in a rule description: `a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*`.
pub fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c)
}

/// A reason AWS accepts, at most `room` characters: whitespace runs become one space,
/// every other character AWS refuses (quotes, `%`, `?`, non-ASCII, controls) becomes
/// `_`, and the ends are trimmed.
pub fn sanitize_reason(reason: &str, room: usize) -> String {
    let mut out = String::with_capacity(reason.len().min(room));
    for c in reason.chars() {
        let c = if c.is_whitespace() {
            ' '
        } else if allowed(c) {
            c
        } else {
            '_'
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    // Everything left is ASCII: a byte is a character.
    out.truncate(room);
    out.truncate(out.trim_end().len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNTIL: Timestamp = Timestamp(1_795_338_000); // 2026-11-22T09:00:00Z

    #[test]
    fn a_description_reads_back_as_its_expiry() {
        let text = description(UNTIL, "ssh from home");
        assert_eq!(
            text,
            "ringfence-grant until=2026-11-22T09:00:00Z ssh from home"
        );
        assert_eq!(parse(&text), Marker::Grant { until: UNTIL });
        assert_eq!(
            description(UNTIL, ""),
            "ringfence-grant until=2026-11-22T09:00:00Z"
        );
        assert_eq!(
            parse("ringfence-grant until=2026-11-22T09:00:00Z"),
            Marker::Grant { until: UNTIL }
        );
    }

    #[test]
    fn a_hand_written_marker_may_use_an_offset() {
        assert_eq!(
            parse("ringfence-grant  until=2026-11-22T10:00:00+01:00 by hand"),
            Marker::Grant { until: UNTIL }
        );
    }

    #[test]
    fn the_reason_cannot_move_the_expiry() {
        let text = description(UNTIL, "until=2099-01-01T00:00:00Z");
        assert_eq!(parse(&text), Marker::Grant { until: UNTIL });
    }

    #[test]
    fn look_alikes_are_ordinary_rules() {
        for text in [
            "",
            "ssh",
            "ringfence-granted until=2020-01-01T00:00:00Z",
            "ringfence-grant-2 until=2020-01-01T00:00:00Z",
            "old ringfence-grant until=2020-01-01T00:00:00Z",
            " ringfence-grant until=2020-01-01T00:00:00Z",
            "RINGFENCE-GRANT until=2020-01-01T00:00:00Z",
            "ringfence until=2020-01-01T00:00:00Z",
        ] {
            assert_eq!(parse(text), Marker::None, "{text:?}");
        }
    }

    #[test]
    fn a_claim_that_cannot_be_read_is_malformed() {
        for (text, says) in [
            ("ringfence-grant", "nothing after"),
            ("ringfence-grant ", "nothing after"),
            ("ringfence-grant for 30m", "\"for\""),
            ("ringfence-grant until=", "until= is not"),
            ("ringfence-grant until=tomorrow", "until=tomorrow"),
            (
                "ringfence-grant until=2026-11-22",
                "until=2026-11-22 is not",
            ),
            ("ringfence-grant until=2026-02-30T09:00:00Z", "2026-02-30"),
            ("ringfence-grant until=1795338000", "1795338000"),
            ("ringfence-grant expires=2026-11-22T09:00:00Z", "expires="),
        ] {
            match parse(text) {
                Marker::Malformed(problem) => assert!(problem.contains(says), "{text}: {problem}"),
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn reasons_keep_only_what_aws_accepts() {
        assert_eq!(
            sanitize_reason("  Jane's\tlaptop\n\n(café) 100% ok?  ", 200),
            "Jane_s laptop (caf_) 100_ ok_"
        );
        assert_eq!(
            sanitize_reason("a-z A-Z 0-9 ._-:/()#,@[]+=&;{}!$*", 200),
            "a-z A-Z 0-9 ._-:/()#,@[]+=&;{}!$*"
        );
        assert_eq!(sanitize_reason("\u{1b}[2J\u{202e}x", 200), "_[2J_x");
        assert_eq!(sanitize_reason("ticket 42 ", 9), "ticket 42");
        assert_eq!(sanitize_reason("ticket 42", 7), "ticket");
        assert_eq!(sanitize_reason("\t \n", 10), "");
    }

    #[test]
    fn descriptions_fit_aws_whatever_the_reason() {
        for reason in [
            "x".repeat(1000),
            "é".repeat(300),
            "word ".repeat(100),
            "\"'<>%?\\`~^|".repeat(30),
        ] {
            let text = description(UNTIL, &reason);
            assert!(text.len() <= DESCRIPTION_MAX, "{} chars", text.len());
            assert!(text.chars().all(allowed), "{text}");
            assert_eq!(parse(&text), Marker::Grant { until: UNTIL });
        }
        assert_eq!(description(UNTIL, &"x".repeat(1000)).len(), DESCRIPTION_MAX);
    }
}
