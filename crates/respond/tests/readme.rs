//! The README's "Responding in real time" section stays in step with the code: every
//! environment variable is documented, the example requests are valid, every JSON block
//! parses, and the EventBridge rule pattern routes every call a detector can judge on
//! one event.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ringfence_respond::{Request, VARIABLES};
use serde_json::Value;
use std::path::Path;

fn section() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    let start = readme
        .find("## Responding in real time")
        .expect("no section");
    let rest = &readme[start + 3..];
    let end = rest.find("\n## ").map_or(rest.len(), |i| i);
    rest[..end].to_string()
}

fn json_blocks(text: &str) -> Vec<Value> {
    text.split("```json\n")
        .skip(1)
        .map(|b| {
            let block = &b[..b.find("```").unwrap()];
            serde_json::from_str(block).unwrap_or_else(|e| panic!("{e}: {block}"))
        })
        .collect()
}

#[test]
fn every_variable_is_documented() {
    let text = section();
    for var in VARIABLES {
        assert!(
            text.contains(&format!("| `{var}` |")),
            "README misses {var}"
        );
    }
}

#[test]
fn the_example_requests_are_valid() {
    let blocks = json_blocks(&section());
    let requests: Vec<&Value> = blocks
        .iter()
        .filter(|b| b.get("ringfence").is_some())
        .collect();
    assert_eq!(requests.len(), 2);
    for r in requests {
        assert!(Request::of(r).unwrap().is_some(), "{r}");
    }
}

#[test]
fn the_rule_pattern_routes_every_call_judged_on_one_event() {
    let blocks = json_blocks(&section());
    let pattern = blocks
        .iter()
        .find(|b| b.get("detail-type").is_some())
        .expect("no rule pattern");
    let routed: Vec<String> = pattern["detail"]["$or"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["eventName"].as_array().cloned().unwrap_or_default())
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    // Calls the detectors read only to learn state (revokes, egress, descriptions,
    // deletions, attribute changes, prefix lists) or that need state the responder does not have
    // (AssociateAddress needs the instance's groups) fire nothing on one event.
    const STATE_ONLY: &[&str] = &[
        "AuthorizeSecurityGroupEgress",
        "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress",
        "DeleteSecurityGroup",
        "UpdateSecurityGroupRuleDescriptionsIngress",
        "UpdateSecurityGroupRuleDescriptionsEgress",
        "AssociateAddress",
        "ModifyInstanceAttribute",
        "ModifyNetworkInterfaceAttribute",
        "CreateManagedPrefixList",
        "ModifyManagedPrefixList",
    ];
    for call in ringfence_trail::event::CONSUMED {
        if !STATE_ONLY.contains(call) {
            assert!(
                routed.iter().any(|r| r == call),
                "the rule pattern misses {call}"
            );
        }
    }
    for call in &routed {
        assert!(
            ringfence_trail::event::CONSUMED.contains(&call.as_str()),
            "the rule pattern routes {call}, which no detector reads"
        );
    }
    assert!(
        pattern["detail"]["$or"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["userIdentity"]["type"][0] == "Root")
    );
}
