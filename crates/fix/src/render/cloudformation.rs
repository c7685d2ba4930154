//! CloudFormation: one `AWS::EC2::SecurityGroupIngress` per permission the plan adds, and
//! the rules to revoke listed under `Metadata` (a template cannot delete a rule it did
//! not create). The same document as YAML or JSON.

use crate::{Peer, Permission, Plan};
use serde_json::{Map, Value, json};
use std::collections::HashSet;

/// A logical id: letters and digits only, unique.
fn logical_id(parts: &[&str], taken: &mut HashSet<String>) -> String {
    let mut name = String::from("Ringfence");
    for part in parts {
        let mut upper = true;
        for c in part.chars() {
            if c.is_ascii_alphanumeric() {
                if upper {
                    name.push(c.to_ascii_uppercase());
                } else {
                    name.push(c);
                }
                upper = false;
            } else {
                upper = true;
            }
        }
    }
    let mut candidate = name.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{name}{n}");
        n += 1;
    }
    candidate
}

fn properties(group_id: &str, p: &Permission) -> Value {
    let mut m = Map::new();
    m.insert("GroupId".into(), json!(group_id));
    m.insert("IpProtocol".into(), json!(p.protocol));
    if p.protocol != "-1" {
        if let Some(from) = p.from_port {
            m.insert("FromPort".into(), json!(from));
        }
        if let Some(to) = p.to_port {
            m.insert("ToPort".into(), json!(to));
        }
    }
    match &p.peer {
        Peer::Cidr { cidr } => m.insert("CidrIp".into(), json!(cidr)),
        Peer::Ipv6Cidr { cidr } => m.insert("CidrIpv6".into(), json!(cidr)),
        Peer::PrefixList { id } => m.insert("SourcePrefixListId".into(), json!(id)),
        Peer::Group { group_id, user_id } => {
            if let Some(user) = user_id {
                m.insert("SourceSecurityGroupOwnerId".into(), json!(user));
            }
            m.insert("SourceSecurityGroupId".into(), json!(group_id))
        }
    };
    if let Some(d) = &p.description {
        m.insert("Description".into(), json!(d));
    }
    Value::Object(m)
}

pub(crate) fn template(plan: &Plan) -> Value {
    let mut resources = Map::new();
    let mut revoke = Vec::new();
    let mut taken = HashSet::new();
    for group in &plan.groups {
        for change in &group.changes {
            let mut entry = Map::new();
            entry.insert("GroupId".into(), json!(group.group_id));
            entry.insert("Region".into(), json!(group.region));
            if let Some(id) = &change.revoke.rule_id {
                entry.insert("SecurityGroupRuleId".into(), json!(id));
            }
            entry.insert("IpPermission".into(), change.revoke.ip_permission(true));
            entry.insert("Safety".into(), json!(change.safety.as_str()));
            entry.insert("Reason".into(), json!(change.reason));
            revoke.push(Value::Object(entry));
            for add in &change.authorize {
                let from = add.from_port.map(|p| p.to_string()).unwrap_or_default();
                let to = add.to_port.map(|p| p.to_string()).unwrap_or_default();
                let proto = if add.protocol == "-1" {
                    "all"
                } else {
                    add.protocol.as_str()
                };
                let id = logical_id(
                    &[&group.group_id, proto, &from, &to, add.peer.text()],
                    &mut taken,
                );
                resources.insert(
                    id,
                    json!({
                        "Type": "AWS::EC2::SecurityGroupIngress",
                        "Properties": properties(&group.group_id, add),
                    }),
                );
            }
        }
    }
    if resources.is_empty() {
        // A template needs one resource; this one creates nothing that costs or opens.
        resources.insert(
            "RingfenceNothingToAdd".into(),
            json!({"Type": "AWS::CloudFormation::WaitConditionHandle"}),
        );
    }
    let mut doc = Map::new();
    doc.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    doc.insert(
        "Description".into(),
        json!(
            "ringfence fix: the ingress each security group keeps or gains in place of the revoked rules. \
             Deploy it, then remove the rules under Metadata.RingfenceRevoke: delete their \
             SecurityGroupIngress (or the group's SecurityGroupIngress entry) from the stack that declares \
             them, or revoke them with the AWS CLI (ringfence fix --format cli)."
        ),
    );
    doc.insert("Metadata".into(), json!({ "RingfenceRevoke": revoke }));
    doc.insert("Resources".into(), Value::Object(resources));
    Value::Object(doc)
}

pub fn render_json(plan: &Plan) -> String {
    let mut s = serde_json::to_string_pretty(&template(plan)).unwrap_or_default();
    s.push('\n');
    s
}

pub fn render_yaml(plan: &Plan) -> String {
    let mut s = String::new();
    if let Value::Object(map) = template(plan) {
        for (key, value) in &map {
            emit_entry(&mut s, 0, key, value);
        }
    }
    s
}

/// A YAML scalar: strings double-quoted with JSON's escapes (valid YAML), numbers and
/// booleans bare.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => Value::String(text.clone()).to_string(),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

fn is_empty_collection(value: &Value) -> bool {
    matches!(value, Value::Array(a) if a.is_empty())
        || matches!(value, Value::Object(m) if m.is_empty())
}

fn emit_entry(s: &mut String, indent: usize, key: &str, value: &Value) {
    let pad = " ".repeat(indent);
    let key = if key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric())
    {
        key.to_string()
    } else {
        scalar(&Value::String(key.to_string()))
    };
    match value {
        Value::Object(_) | Value::Array(_) if !is_empty_collection(value) => {
            s.push_str(&format!("{pad}{key}:\n"));
            emit_block(s, indent + 2, value);
        }
        Value::Array(_) => s.push_str(&format!("{pad}{key}: []\n")),
        Value::Object(_) => s.push_str(&format!("{pad}{key}: {{}}\n")),
        _ => s.push_str(&format!("{pad}{key}: {}\n", scalar(value))),
    }
}

fn emit_block(s: &mut String, indent: usize, value: &Value) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                emit_entry(s, indent, key, v);
            }
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(map) if !map.is_empty() => {
                        // `- ` then the first key on the same line, the rest aligned under it.
                        let mut inner = String::new();
                        emit_block(&mut inner, indent + 2, item);
                        let mut lines = inner.lines();
                        if let Some(first) = lines.next() {
                            s.push_str(&format!("{pad}- {}\n", first.trim_start()));
                        }
                        for line in lines {
                            s.push_str(line);
                            s.push('\n');
                        }
                    }
                    Value::Array(a) if !a.is_empty() => {
                        s.push_str(&format!("{pad}-\n"));
                        emit_block(s, indent + 2, item);
                    }
                    Value::Array(_) => s.push_str(&format!("{pad}- []\n")),
                    Value::Object(_) => s.push_str(&format!("{pad}- {{}}\n")),
                    _ => s.push_str(&format!("{pad}- {}\n", scalar(item))),
                }
            }
        }
        _ => s.push_str(&format!("{pad}{}\n", scalar(value))),
    }
}
