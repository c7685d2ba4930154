//! Address and CIDR text as AWS prints it, checked while the JSON is parsed so that an
//! error carries the JSON path and line of the bad value.

use crate::aws_json::Str;
use ringfence_model::{IpNet, Ipv4Net, Ipv6Net};
use serde::de::{Deserialize, Deserializer, Error as _};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A CIDR that no AWS API would print (`10.0.0.0/33`, `300.1.1.1/8`): the input is
/// damaged or hand-edited, and guessing what it meant could hide an exposure.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a valid {family} CIDR (expected {expected})")]
pub struct InvalidCidr {
    text: String,
    family: &'static str,
    expected: &'static str,
}

impl InvalidCidr {
    fn new(text: &str, family: &'static str, expected: &'static str) -> Self {
        InvalidCidr {
            text: shorten(text),
            family,
            expected,
        }
    }
}

/// Keeps error messages readable when a value is megabytes long.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_string(),
    }
}

const V4_EXPECTED: &str = "a.b.c.d/n with n at most 32";
const V6_EXPECTED: &str = "an IPv6 prefix such as 2001:db8::/32, n at most 128";

/// Host bits are cleared (`10.0.0.1/8` is `10.0.0.0/8`), as AWS itself does on input.
pub fn parse_cidr_v4(text: &str) -> Result<Ipv4Net, InvalidCidr> {
    text.parse::<Ipv4Net>()
        .map(|net| net.trunc())
        .map_err(|_| InvalidCidr::new(text, "IPv4", V4_EXPECTED))
}

/// Host bits are cleared, as for [`parse_cidr_v4`].
pub fn parse_cidr_v6(text: &str) -> Result<Ipv6Net, InvalidCidr> {
    text.parse::<Ipv6Net>()
        .map(|net| net.trunc())
        .map_err(|_| InvalidCidr::new(text, "IPv6", V6_EXPECTED))
}

/// For fields that hold either family (prefix-list entries).
pub fn parse_cidr(text: &str) -> Result<IpNet, InvalidCidr> {
    text.parse::<IpNet>()
        .map(|net| net.trunc())
        .map_err(|_| InvalidCidr::new(text, "IPv4 or IPv6", "a.b.c.d/n or an IPv6 prefix"))
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct V4Cidr(pub Ipv4Net);

#[derive(Clone, Copy, Debug)]
pub(crate) struct V6Cidr(pub Ipv6Net);

#[derive(Clone, Copy, Debug)]
pub(crate) struct AnyCidr(pub IpNet);

/// An IPv4 address that AWS sometimes prints as `null` or `""` when there is none.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct MaybeIp4(pub Option<Ipv4Addr>);

#[derive(Clone, Copy, Debug)]
pub(crate) struct Ip6(pub Ipv6Addr);

impl<'de> Deserialize<'de> for V4Cidr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Str::deserialize(d)?;
        parse_cidr_v4(&text).map(V4Cidr).map_err(D::Error::custom)
    }
}

impl<'de> Deserialize<'de> for V6Cidr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Str::deserialize(d)?;
        parse_cidr_v6(&text).map(V6Cidr).map_err(D::Error::custom)
    }
}

impl<'de> Deserialize<'de> for AnyCidr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Str::deserialize(d)?;
        parse_cidr(&text).map(AnyCidr).map_err(D::Error::custom)
    }
}

impl<'de> Deserialize<'de> for MaybeIp4 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Option::<Str>::deserialize(d)? {
            None => Ok(MaybeIp4(None)),
            Some(text) if text.is_empty() => Ok(MaybeIp4(None)),
            Some(text) => text.parse().map(|ip| MaybeIp4(Some(ip))).map_err(|_| {
                D::Error::custom(format!(
                    "{:?} is not a valid IPv4 address (expected a.b.c.d)",
                    shorten(&text)
                ))
            }),
        }
    }
}

impl<'de> Deserialize<'de> for Ip6 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Str::deserialize(d)?;
        text.parse().map(Ip6).map_err(|_| {
            D::Error::custom(format!(
                "{:?} is not a valid IPv6 address (expected an address such as 2001:db8::1)",
                shorten(&text)
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_bits_are_cleared_not_rejected() {
        assert_eq!(
            parse_cidr_v4("10.0.0.1/8").unwrap(),
            "10.0.0.0/8".parse::<Ipv4Net>().unwrap()
        );
        assert_eq!(
            parse_cidr_v6("2001:db8::1/32").unwrap(),
            "2001:db8::/32".parse::<Ipv6Net>().unwrap()
        );
    }

    #[test]
    fn impossible_cidrs_are_errors_that_quote_the_text() {
        let error = parse_cidr_v4("10.0.0.0/33").unwrap_err();
        assert_eq!(
            error.to_string(),
            "\"10.0.0.0/33\" is not a valid IPv4 CIDR (expected a.b.c.d/n with n at most 32)"
        );
        assert!(parse_cidr_v4("300.1.1.1/8").is_err());
        assert!(parse_cidr_v4("10.0.0.0").is_err());
        assert!(parse_cidr_v6("::/129").is_err());
        assert!(parse_cidr("nonsense").is_err());
    }

    #[test]
    fn long_text_is_shortened_on_a_character_boundary() {
        let text = "é".repeat(200);
        let error = parse_cidr_v4(&text).unwrap_err().to_string();
        assert!(error.contains("..."));
        assert!(error.len() < 300);
    }
}
