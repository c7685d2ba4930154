//! Arbitrary text through CIDR parsing and the protocol/port reading, both directly and
//! inside a security-group document, which must agree.
//!
//! The text is the CIDR; split at commas it is also `protocol,FromPort,ToPort`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringfence_model::{IpNet, ResourceKind, Source, Traffic};
use ringfence_snapshot::{parse_cidr, parse_cidr_v4, parse_cidr_v6, parse_file};
use std::path::Path;

fuzz_target!(|text: &str| {
    let v4 = parse_cidr_v4(text);
    let v6 = parse_cidr_v6(text);
    let any = parse_cidr(text);
    for net in [
        v4.clone().map(IpNet::V4),
        v6.clone().map(IpNet::V6),
        any.clone(),
    ]
    .into_iter()
    .flatten()
    {
        assert_eq!(net, net.trunc(), "host bits must be cleared");
        assert_eq!(parse_cidr(&net.to_string()), Ok(net), "must round-trip");
    }
    assert_eq!(any.is_ok(), v4.is_ok() || v6.is_ok());
    for error in [v4.as_ref().err(), v6.as_ref().err(), any.as_ref().err()]
        .into_iter()
        .flatten()
    {
        assert!(!error.to_string().is_empty());
    }

    let mut parts = text.splitn(3, ',');
    let protocol = parts.next().unwrap_or("");
    let port = |part: Option<&str>| part.and_then(|p| p.trim().parse::<i64>().ok());
    let (from, to) = (port(parts.next()), port(parts.next()));
    let traffic = Traffic::from_aws(protocol, from, to);
    if let Ok(Traffic::Tcp(range) | Traffic::Udp(range)) = traffic {
        assert!(range.from <= range.to);
    }

    let document = serde_json::json!({"SecurityGroups": [{
        "GroupId": "sg-1",
        "IpPermissions": [{
            "IpProtocol": protocol, "FromPort": from, "ToPort": to,
            "IpRanges": [{"CidrIp": text}],
        }],
        "IpPermissionsEgress": [{
            "IpProtocol": "-1",
            "Ipv6Ranges": [{"CidrIpv6": text}],
        }],
    }]});
    let bytes = serde_json::to_vec(&document).unwrap();
    let path = Path::new("describe-security-groups.json");
    match parse_file(ResourceKind::SecurityGroups, &bytes, path) {
        Ok(estate) => {
            let group = &estate.security_groups[0];
            assert_eq!(group.ingress[0].source, Source::V4(v4.unwrap()));
            assert_eq!(group.ingress[0].traffic, traffic.unwrap());
            assert_eq!(group.egress[0].source, Source::V6(v6.unwrap()));
        }
        Err(error) => {
            assert!(v4.is_err() || v6.is_err() || traffic.is_err(), "{error}");
            assert!(
                error
                    .to_string()
                    .starts_with("describe-security-groups.json: ")
            );
        }
    }
});
