//! CloudFormation templates, YAML or JSON (JSON is read as YAML, so both keep their
//! lines): parameters with defaults, conditions, mappings, and the intrinsic functions in
//! their short (`!Ref`) and long (`Ref:`, `Fn::GetAtt:`) forms. Resources are translated to
//! Terraform's schema and go through the same mapper, so a rule means the same thing
//! whichever way it was written.
//!
//! `Fn::ImportValue`, a parameter without a default, `!GetAZs` and attributes AWS only
//! knows after deploy are unknown: rules that depend on them answer SKIP.

use crate::build::build;
use crate::error::IacError;
use crate::value::{LINE, Res, Val, num_text};
use ringfence_model::{Estate, FileId};
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::Path;

/// The tags CloudFormation defines; any other `!Tag` is an error, not a silent string.
const INTRINSICS: [&str; 20] = [
    "Ref",
    "GetAtt",
    "Sub",
    "If",
    "Select",
    "ImportValue",
    "Join",
    "Split",
    "FindInMap",
    "Base64",
    "Cidr",
    "GetAZs",
    "Equals",
    "And",
    "Or",
    "Not",
    "Condition",
    "Transform",
    "Length",
    "ToJsonString",
];

/// A template node with its line; intrinsic tags kept as `Fn::X` / `Ref` maps.
#[derive(Clone, Debug)]
enum Node {
    Scalar(Val, u32),
    Seq(Vec<Node>, u32),
    Map(Vec<(String, Node)>, u32),
}

impl Node {
    fn line(&self) -> u32 {
        match self {
            Node::Scalar(_, l) | Node::Seq(_, l) | Node::Map(_, l) => *l,
        }
    }

    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries, _) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn entries(&self) -> &[(String, Node)] {
        match self {
            Node::Map(entries, _) => entries,
            _ => &[],
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar(Val::Str(s), _) => Some(s),
            _ => None,
        }
    }
}

fn syntax(path: &Path, line: usize, column: Option<usize>, message: String) -> IacError {
    IacError::Syntax {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

fn convert(y: &MarkedYaml<'_>, path: &Path, depth: u32) -> Result<Node, IacError> {
    let line = y.span.start.line() as u32;
    if depth > 128 {
        return Err(syntax(path, line as usize, None, "nested too deep".into()));
    }
    Ok(match &y.data {
        YamlData::Value(s) => Node::Scalar(
            match s {
                Scalar::Null => Val::Null,
                Scalar::Boolean(b) => Val::Bool(*b),
                Scalar::Integer(i) => Val::Num(*i as f64),
                Scalar::FloatingPoint(f) => Val::Num(f.into_inner()),
                Scalar::String(s) => Val::Str(s.to_string()),
            },
            line,
        ),
        YamlData::Representation(s, _, _) => Node::Scalar(Val::Str(s.to_string()), line),
        YamlData::Sequence(items) => Node::Seq(
            items
                .iter()
                .map(|i| convert(i, path, depth + 1))
                .collect::<Result<_, _>>()?,
            line,
        ),
        YamlData::Mapping(map) => {
            let mut entries = Vec::new();
            for (k, v) in map.iter() {
                let key = match &k.data {
                    YamlData::Value(s) => match s {
                        Scalar::String(s) => s.to_string(),
                        Scalar::Integer(i) => i.to_string(),
                        Scalar::Boolean(b) => b.to_string(),
                        Scalar::FloatingPoint(f) => num_text(f.into_inner()),
                        Scalar::Null => "null".into(),
                    },
                    YamlData::Representation(s, _, _) => s.to_string(),
                    _ => {
                        return Err(syntax(
                            path,
                            k.span.start.line(),
                            Some(k.span.start.col() + 1),
                            "a mapping key must be a plain value".into(),
                        ));
                    }
                };
                entries.push((key, convert(v, path, depth + 1)?));
            }
            Node::Map(entries, line)
        }
        YamlData::Tagged(tag, inner) => {
            let name = tag.suffix.as_str();
            if tag.handle != "!" || !INTRINSICS.contains(&name) {
                return Err(syntax(
                    path,
                    y.span.start.line(),
                    Some(y.span.start.col() + 1),
                    format!(
                        "unknown tag {}{}: not a CloudFormation intrinsic function (expected !Ref, !GetAtt, !Sub, !If, ...)",
                        tag.handle, tag.suffix
                    ),
                ));
            }
            let key = if matches!(name, "Ref" | "Condition") {
                name.to_string()
            } else {
                format!("Fn::{name}")
            };
            Node::Map(vec![(key, convert(inner, path, depth + 1)?)], line)
        }
        YamlData::Alias(_) => {
            Node::Scalar(Val::Unknown(format!("YAML alias at line {line}")), line)
        }
        YamlData::BadValue => {
            return Err(syntax(
                path,
                line as usize,
                None,
                "a value YAML cannot read".into(),
            ));
        }
    })
}

/// Deeper nesting than any template has. Checked on the parser's events (a flat loop)
/// before the tree is built: building and dropping a tree thousands of levels deep
/// (`- - - - ...` on one line) would overflow the stack.
const MAX_NESTING: usize = 128;

fn nesting(text: &str, path: &Path) -> Result<(), IacError> {
    use saphyr_parser::{Event, Parser};
    let mut depth = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(e) => e,
            // Reported with its place by the loader, which meets the same error.
            Err(_) => return Ok(()),
        };
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(syntax(
                        path,
                        span.start.line(),
                        Some(span.start.col() + 1),
                        format!("nested more than {MAX_NESTING} levels deep"),
                    ));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

pub(crate) fn load(path: &Path) -> Result<Estate, IacError> {
    let text = crate::read_text(path)?;
    nesting(&text, path)?;
    let docs = MarkedYaml::load_from_str(&text).map_err(|e| {
        syntax(
            path,
            e.marker().line(),
            Some(e.marker().col() + 1),
            format!("YAML syntax error: {}", e.info()),
        )
    })?;
    let Some(doc) = docs.first() else {
        return Err(IacError::Empty {
            path: path.to_path_buf(),
        });
    };
    let root = convert(doc, path, 0)?;
    let Some(resources) = root.get("Resources") else {
        return Err(IacError::Invalid {
            path: path.to_path_buf(),
            line: root.line() as usize,
            message: "not a CloudFormation template: no Resources".into(),
        });
    };
    if !matches!(resources, Node::Map(..)) {
        return Err(IacError::Invalid {
            path: path.to_path_buf(),
            line: resources.line() as usize,
            message: "Resources must be a mapping of logical ids to resources".into(),
        });
    }
    let template = Template {
        root: &root,
        file: path.display().to_string(),
        conditions: RefCell::new(BTreeMap::new()),
    };
    let mut out = Vec::new();
    for (id, res) in resources.entries() {
        let Some(kind) = res.get("Type").and_then(Node::as_str) else {
            continue;
        };
        if let Some(cond) = res.get("Condition").and_then(Node::as_str)
            && template.condition(cond, 0) == Some(false)
        {
            continue;
        }
        let props = match res.get("Properties") {
            Some(p) => template.resolve(p, 0),
            None => Val::Map(BTreeMap::new()),
        };
        if let Some((tf_kind, attrs)) = translate(kind, id, props) {
            out.push(Res {
                kind: tf_kind.to_string(),
                address: id.clone(),
                file: FileId(0),
                line: res.line(),
                attrs,
            });
        }
    }
    Ok(build(&out, vec![path.to_path_buf()]))
}

struct Template<'t> {
    root: &'t Node,
    file: String,
    conditions: RefCell<BTreeMap<String, Option<bool>>>,
}

const MAX_DEPTH: u32 = 64;

impl Template<'_> {
    fn unknown(&self, what: impl std::fmt::Display, line: u32) -> Val {
        Val::Unknown(format!("{what} at {}:{line}", self.file))
    }

    fn is_resource(&self, id: &str) -> bool {
        self.root.get("Resources").and_then(|r| r.get(id)).is_some()
    }

    fn condition(&self, name: &str, depth: u32) -> Option<bool> {
        if let Some(v) = self.conditions.borrow().get(name) {
            return *v;
        }
        if depth > MAX_DEPTH {
            return None;
        }
        let node = self.root.get("Conditions")?.get(name)?;
        let v = self.truth(node, depth + 1);
        self.conditions.borrow_mut().insert(name.to_string(), v);
        v
    }

    fn truth(&self, node: &Node, depth: u32) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let Some((key, arg)) = single(node) else {
            return self.resolve(node, depth + 1).truth();
        };
        fn args(n: &Node) -> Vec<&Node> {
            match n {
                Node::Seq(items, _) => items.iter().collect(),
                other => vec![other],
            }
        }
        match key {
            "Fn::Equals" => {
                let a = args(arg);
                let (x, y) = (
                    self.resolve(a.first()?, depth + 1),
                    self.resolve(a.get(1)?, depth + 1),
                );
                if x.unknown().is_some() || y.unknown().is_some() {
                    return None;
                }
                Some(x.text() == y.text() && x.text().is_some() || x == y)
            }
            "Fn::And" => {
                let vals: Vec<Option<bool>> = args(arg)
                    .into_iter()
                    .map(|n| self.truth(n, depth + 1))
                    .collect();
                if vals.contains(&Some(false)) {
                    Some(false)
                } else if vals.iter().all(Option::is_some) {
                    Some(true)
                } else {
                    None
                }
            }
            "Fn::Or" => {
                let vals: Vec<Option<bool>> = args(arg)
                    .into_iter()
                    .map(|n| self.truth(n, depth + 1))
                    .collect();
                if vals.contains(&Some(true)) {
                    Some(true)
                } else if vals.iter().all(Option::is_some) {
                    Some(false)
                } else {
                    None
                }
            }
            "Fn::Not" => self.truth(args(arg).first()?, depth + 1).map(|b| !b),
            "Condition" => self.condition(arg.as_str()?, depth + 1),
            _ => self.resolve(node, depth + 1).truth(),
        }
    }

    fn parameter(&self, name: &str, line: u32) -> Val {
        match name {
            "AWS::NoValue" => return Val::Null,
            "AWS::Region"
            | "AWS::AccountId"
            | "AWS::StackName"
            | "AWS::StackId"
            | "AWS::Partition"
            | "AWS::URLSuffix"
            | "AWS::NotificationARNs" => {
                return self.unknown(format!("{name} is known only at deploy"), line);
            }
            _ => {}
        }
        if let Some(p) = self.root.get("Parameters").and_then(|p| p.get(name)) {
            return match p.get("Default") {
                Some(d) => {
                    let v = self.resolve(d, MAX_DEPTH - 2);
                    // CommaDelimitedList defaults are one string.
                    let list = p
                        .get("Type")
                        .and_then(Node::as_str)
                        .is_some_and(|t| t.starts_with("List<") || t == "CommaDelimitedList");
                    match (&v, list) {
                        (Val::Str(s), true) => Val::List(
                            s.split(',')
                                .map(|x| Val::Str(x.trim().to_string()))
                                .collect(),
                        ),
                        _ => v,
                    }
                }
                None => self.unknown(
                    format!(
                        "parameter {name} has no Default (declared at line {})",
                        p.line()
                    ),
                    line,
                ),
            };
        }
        if self.is_resource(name) {
            return Val::Str(name.to_string());
        }
        self.unknown(format!("!Ref {name} names no parameter or resource"), line)
    }

    fn get_att(&self, id: &str, attr: &str, line: u32) -> Val {
        if !self.is_resource(id) {
            return self.unknown(format!("!GetAtt {id}.{attr}: no such resource"), line);
        }
        match attr {
            "GroupId" | "Id" | "AllocationId" | "NetworkInterfaceId" | "PrefixListId"
            | "RouteTableId" | "SubnetId" | "VpcId" | "InternetGatewayId" | "InstanceId" => {
                Val::Str(id.to_string())
            }
            "PrimaryNetworkInterfaceId" => Val::Str(format!("{id}.primary_network_interface")),
            "DefaultNetworkAcl" => Val::Str(format!("{id}.default_network_acl_id")),
            _ => self.unknown(
                format!("!GetAtt {id}.{attr} is known only after deploy"),
                line,
            ),
        }
    }

    fn resolve(&self, node: &Node, depth: u32) -> Val {
        if depth > MAX_DEPTH {
            return self.unknown("nested too deep", node.line());
        }
        let line = node.line();
        if let Some((key, arg)) = single(node) {
            let d = depth + 1;
            let items = |n: &Node| -> Vec<Node> {
                match n {
                    Node::Seq(items, _) => items.clone(),
                    other => vec![other.clone()],
                }
            };
            match key {
                "Ref" => {
                    return match self.resolve(arg, d).text() {
                        Some(name) => self.parameter(&name, line),
                        None => self.unknown("!Ref of a value that cannot be resolved", line),
                    };
                }
                "Fn::GetAtt" => {
                    let parts: Vec<String> = match arg {
                        Node::Scalar(Val::Str(s), _) => {
                            s.splitn(2, '.').map(str::to_string).collect()
                        }
                        other => items(other)
                            .iter()
                            .filter_map(|n| self.resolve(n, d).text())
                            .collect(),
                    };
                    return match parts.as_slice() {
                        [id, attr] => self.get_att(id, attr, line),
                        _ => self.unknown("!GetAtt needs Resource.Attribute", line),
                    };
                }
                "Fn::ImportValue" => {
                    let name = self.resolve(arg, d).text().unwrap_or_else(|| "?".into());
                    return self.unknown(
                        format!("Fn::ImportValue {name} is another stack's export"),
                        line,
                    );
                }
                "Fn::If" => {
                    let a = items(arg);
                    if a.len() != 3 {
                        return self.unknown("Fn::If needs [condition, then, else]", line);
                    }
                    let cond = a[0].as_str().map(|c| self.condition(c, d));
                    return match cond.flatten() {
                        Some(true) => self.resolve(&a[1], d),
                        Some(false) => self.resolve(&a[2], d),
                        None => {
                            let (x, y) = (self.resolve(&a[1], d), self.resolve(&a[2], d));
                            if x == y {
                                x
                            } else {
                                self.unknown(
                                    format!(
                                        "condition {} cannot be decided",
                                        a[0].as_str().unwrap_or("?")
                                    ),
                                    line,
                                )
                            }
                        }
                    };
                }
                "Fn::Select" => {
                    let a = items(arg);
                    if a.len() != 2 {
                        return self.unknown("Fn::Select needs [index, list]", line);
                    }
                    let (i, list) = (self.resolve(&a[0], d), self.resolve(&a[1], d));
                    return match (i.int(), list) {
                        (_, Val::Unknown(why)) => Val::Unknown(why),
                        (Some(i), Val::List(items)) if i >= 0 && (i as usize) < items.len() => {
                            items[i as usize].clone()
                        }
                        _ => self.unknown("Fn::Select index out of range or unknown", line),
                    };
                }
                "Fn::Join" => {
                    let a = items(arg);
                    if a.len() != 2 {
                        return self.unknown("Fn::Join needs [separator, list]", line);
                    }
                    let sep = self.resolve(&a[0], d).text().unwrap_or_default();
                    return match self.resolve(&a[1], d) {
                        Val::List(parts) => {
                            let texts: Option<Vec<String>> = parts.iter().map(Val::text).collect();
                            match texts {
                                Some(t) => Val::Str(t.join(&sep)),
                                None => parts
                                    .iter()
                                    .find_map(|p| p.unknown().map(|w| Val::Unknown(w.to_string())))
                                    .unwrap_or_else(|| self.unknown("Fn::Join of non-text", line)),
                            }
                        }
                        Val::Unknown(why) => Val::Unknown(why),
                        _ => self.unknown("Fn::Join of a non-list", line),
                    };
                }
                "Fn::Split" => {
                    let a = items(arg);
                    if a.len() != 2 {
                        return self.unknown("Fn::Split needs [separator, text]", line);
                    }
                    return match (self.resolve(&a[0], d).text(), self.resolve(&a[1], d)) {
                        (_, Val::Unknown(why)) => Val::Unknown(why),
                        (Some(sep), Val::Str(s)) if !sep.is_empty() => Val::List(
                            s.split(sep.as_str())
                                .map(|p| Val::Str(p.to_string()))
                                .collect(),
                        ),
                        _ => self.unknown("Fn::Split", line),
                    };
                }
                "Fn::Sub" => return self.sub(arg, line, d),
                "Fn::FindInMap" => {
                    let a = items(arg);
                    let keys: Vec<Val> = a.iter().map(|n| self.resolve(n, d)).collect();
                    if let Some(why) = keys.iter().find_map(Val::unknown) {
                        return Val::Unknown(why.to_string());
                    }
                    let keys: Vec<String> = keys.iter().filter_map(Val::text).collect();
                    let found = match keys.as_slice() {
                        [m, k1, k2] => self
                            .root
                            .get("Mappings")
                            .and_then(|x| x.get(m))
                            .and_then(|x| x.get(k1))
                            .and_then(|x| x.get(k2)),
                        _ => None,
                    };
                    return match found {
                        Some(n) => self.resolve(n, d),
                        None => self.unknown("Fn::FindInMap finds no such key", line),
                    };
                }
                "Fn::Base64" => return self.resolve(arg, d),
                "Condition" => {
                    return match arg.as_str().and_then(|c| self.condition(c, d)) {
                        Some(b) => Val::Bool(b),
                        None => self.unknown("condition cannot be decided", line),
                    };
                }
                "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                    return match self.truth(node, d) {
                        Some(b) => Val::Bool(b),
                        None => self.unknown(format!("{key} cannot be decided"), line),
                    };
                }
                k if k.starts_with("Fn::") => {
                    return self.unknown(format!("{k} is not evaluated by ringfence"), line);
                }
                _ => {}
            }
        }
        match node {
            Node::Scalar(v, _) => v.clone(),
            Node::Seq(items, _) => Val::List(
                items
                    .iter()
                    .map(|n| self.resolve(n, depth + 1))
                    // `!Ref AWS::NoValue` removes the item.
                    .filter(|v| !v.is_null())
                    .collect(),
            ),
            Node::Map(entries, l) => {
                let mut map: BTreeMap<String, Val> = entries
                    .iter()
                    .map(|(k, v)| (k.clone(), self.resolve(v, depth + 1)))
                    .filter(|(_, v)| !v.is_null())
                    .collect();
                map.insert(LINE.into(), Val::Num(f64::from(*l)));
                Val::Map(map)
            }
        }
    }

    fn sub(&self, arg: &Node, line: u32, depth: u32) -> Val {
        let (text, vars) = match arg {
            Node::Seq(items, _) if items.len() == 2 => {
                (self.resolve(&items[0], depth), Some(&items[1]))
            }
            other => (self.resolve(other, depth), None),
        };
        let Val::Str(text) = text else {
            return self.unknown("Fn::Sub of a non-string", line);
        };
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            if let Some(lit) = after.strip_prefix('!') {
                out.push_str("${");
                rest = lit;
                continue;
            }
            let Some(end) = after.find('}') else {
                return self.unknown("Fn::Sub with an unclosed ${", line);
            };
            let name = after[..end].trim();
            let v = match vars.and_then(|v| v.get(name)) {
                Some(n) => self.resolve(n, depth + 1),
                None => match name.split_once('.') {
                    Some((id, attr)) if !name.starts_with("AWS::") => self.get_att(id, attr, line),
                    _ => self.parameter(name, line),
                },
            };
            match v {
                Val::Unknown(why) => return Val::Unknown(why),
                v => match v.text() {
                    Some(t) => out.push_str(&t),
                    None => return self.unknown(format!("Fn::Sub ${{{name}}}"), line),
                },
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Val::Str(out)
    }
}

/// A one-key map whose key is an intrinsic (`Ref`, `Fn::...`, `Condition`).
fn single(node: &Node) -> Option<(&str, &Node)> {
    match node {
        Node::Map(entries, _) if entries.len() == 1 => {
            let (k, v) = &entries[0];
            (k == "Ref" || k == "Condition" || k.starts_with("Fn::")).then_some((k.as_str(), v))
        }
        _ => None,
    }
}

/// Builds a Terraform-schema attribute map from CloudFormation properties.
fn pick(props: &Val, pairs: &[(&str, &str)]) -> BTreeMap<String, Val> {
    let mut out = BTreeMap::new();
    for (cfn, tf) in pairs {
        let v = props.get(cfn);
        if !v.is_null() {
            out.insert((*tf).to_string(), v.clone());
        }
    }
    if let Some(line) = props.get(LINE).int() {
        out.insert(LINE.into(), Val::Num(line as f64));
    }
    out
}

fn as_list(v: Val) -> Val {
    match v {
        Val::Null => Val::Null,
        Val::List(items) => Val::List(items),
        other => Val::List(vec![other]),
    }
}

/// One security-group permission (inline or `AWS::EC2::SecurityGroupIngress`).
fn permission(p: &Val) -> BTreeMap<String, Val> {
    let mut out = pick(
        p,
        &[
            ("IpProtocol", "protocol"),
            ("FromPort", "from_port"),
            ("ToPort", "to_port"),
            ("Description", "description"),
            ("GroupId", "security_group_id"),
            ("GroupName", "security_group_name"),
        ],
    );
    for (cfn, tf) in [
        ("CidrIp", "cidr_blocks"),
        ("CidrIpv6", "ipv6_cidr_blocks"),
        ("SourcePrefixListId", "prefix_list_ids"),
        ("DestinationPrefixListId", "prefix_list_ids"),
        ("SourceSecurityGroupId", "security_groups"),
        ("SourceSecurityGroupName", "security_groups"),
        ("DestinationSecurityGroupId", "security_groups"),
        ("CidrIpDestination", "cidr_blocks"),
    ] {
        let v = p.get(cfn);
        if !v.is_null() {
            out.insert(tf.to_string(), as_list(v.clone()));
        }
    }
    out
}

fn translate(kind: &str, id: &str, props: Val) -> Option<(&'static str, Val)> {
    let p = &props;
    let tags = ("Tags", "tags");
    let map = |pairs: &[(&str, &str)]| Val::Map(pick(p, pairs));
    Some(match kind {
        "AWS::EC2::SecurityGroup" => {
            let mut m = pick(
                p,
                &[
                    ("GroupName", "name"),
                    ("GroupDescription", "description"),
                    ("VpcId", "vpc_id"),
                    tags,
                ],
            );
            for (cfn, tf) in [
                ("SecurityGroupIngress", "ingress"),
                ("SecurityGroupEgress", "egress"),
            ] {
                let rules: Vec<Val> = p
                    .get(cfn)
                    .items()
                    .into_iter()
                    .map(|r| Val::Map(permission(r)))
                    .collect();
                if !rules.is_empty() {
                    m.insert(tf.into(), Val::List(rules));
                }
            }
            ("aws_security_group", Val::Map(m))
        }
        "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress" => {
            let mut m = permission(p);
            let egress = kind.ends_with("Egress");
            m.insert(
                "type".into(),
                Val::Str(if egress { "egress" } else { "ingress" }.into()),
            );
            if !m.contains_key("security_group_id")
                && let Some(name) = m.remove("security_group_name")
            {
                m.insert("security_group_id".into(), name);
            }
            ("aws_security_group_rule", Val::Map(m))
        }
        "AWS::EC2::Instance" => {
            let mut m = pick(
                p,
                &[
                    ("SubnetId", "subnet_id"),
                    ("SecurityGroupIds", "vpc_security_group_ids"),
                    ("SecurityGroups", "security_groups"),
                    ("InstanceType", "instance_type"),
                    tags,
                ],
            );
            let mut blocks = Vec::new();
            for eni in p.get("NetworkInterfaces").items() {
                let device = eni.get("DeviceIndex").int().unwrap_or(0);
                if !eni.get("NetworkInterfaceId").is_null() {
                    blocks.push(Val::Map(pick(
                        eni,
                        &[
                            ("NetworkInterfaceId", "network_interface_id"),
                            ("DeviceIndex", "device_index"),
                        ],
                    )));
                } else if device == 0 {
                    // The primary interface defined inline: its subnet, groups and
                    // public address are the instance's.
                    for (cfn, tf) in [
                        ("SubnetId", "subnet_id"),
                        ("GroupSet", "vpc_security_group_ids"),
                        ("AssociatePublicIpAddress", "associate_public_ip_address"),
                    ] {
                        let v = eni.get(cfn);
                        if !v.is_null() {
                            m.insert(tf.into(), v.clone());
                        }
                    }
                }
            }
            if !blocks.is_empty() {
                m.insert("network_interface".into(), Val::List(blocks));
            }
            ("aws_instance", Val::Map(m))
        }
        "AWS::EC2::NetworkInterface" => (
            "aws_network_interface",
            map(&[
                ("SubnetId", "subnet_id"),
                ("GroupSet", "security_groups"),
                ("Description", "description"),
                tags,
            ]),
        ),
        "AWS::EC2::NetworkInterfaceAttachment" => (
            "aws_network_interface_attachment",
            map(&[
                ("InstanceId", "instance_id"),
                ("NetworkInterfaceId", "network_interface_id"),
                ("DeviceIndex", "device_index"),
            ]),
        ),
        "AWS::EC2::Subnet" => (
            "aws_subnet",
            map(&[
                ("VpcId", "vpc_id"),
                ("CidrBlock", "cidr_block"),
                ("Ipv6CidrBlock", "ipv6_cidr_block"),
                ("MapPublicIpOnLaunch", "map_public_ip_on_launch"),
                ("AvailabilityZone", "availability_zone"),
                tags,
            ]),
        ),
        "AWS::EC2::VPC" => ("aws_vpc", map(&[("CidrBlock", "cidr_block"), tags])),
        "AWS::EC2::InternetGateway" => ("aws_internet_gateway", map(&[tags])),
        "AWS::EC2::VPCGatewayAttachment" => (
            "aws_internet_gateway_attachment",
            map(&[
                ("InternetGatewayId", "internet_gateway_id"),
                ("VpcId", "vpc_id"),
            ]),
        ),
        "AWS::EC2::RouteTable" => ("aws_route_table", map(&[("VpcId", "vpc_id"), tags])),
        "AWS::EC2::Route" => (
            "aws_route",
            map(&[
                ("RouteTableId", "route_table_id"),
                ("DestinationCidrBlock", "destination_cidr_block"),
                ("DestinationIpv6CidrBlock", "destination_ipv6_cidr_block"),
                ("DestinationPrefixListId", "destination_prefix_list_id"),
                ("GatewayId", "gateway_id"),
                ("EgressOnlyInternetGatewayId", "egress_only_gateway_id"),
                ("NatGatewayId", "nat_gateway_id"),
                ("TransitGatewayId", "transit_gateway_id"),
                ("VpcPeeringConnectionId", "vpc_peering_connection_id"),
                ("NetworkInterfaceId", "network_interface_id"),
            ]),
        ),
        "AWS::EC2::SubnetRouteTableAssociation" => (
            "aws_route_table_association",
            map(&[
                ("SubnetId", "subnet_id"),
                ("RouteTableId", "route_table_id"),
            ]),
        ),
        "AWS::EC2::NetworkAcl" => ("aws_network_acl", map(&[("VpcId", "vpc_id"), tags])),
        "AWS::EC2::NetworkAclEntry" => {
            let mut m = pick(
                p,
                &[
                    ("NetworkAclId", "network_acl_id"),
                    ("RuleNumber", "rule_number"),
                    ("Egress", "egress"),
                    ("Protocol", "protocol"),
                    ("RuleAction", "rule_action"),
                    ("CidrBlock", "cidr_block"),
                    ("Ipv6CidrBlock", "ipv6_cidr_block"),
                ],
            );
            let range = p.get("PortRange");
            if !range.is_null() {
                m.insert("from_port".into(), range.get("From").clone());
                m.insert("to_port".into(), range.get("To").clone());
            }
            ("aws_network_acl_rule", Val::Map(m))
        }
        "AWS::EC2::SubnetNetworkAclAssociation" => (
            "aws_network_acl_association",
            map(&[
                ("SubnetId", "subnet_id"),
                ("NetworkAclId", "network_acl_id"),
            ]),
        ),
        "AWS::EC2::EIP" => ("aws_eip", map(&[("InstanceId", "instance"), tags])),
        "AWS::EC2::EIPAssociation" => (
            "aws_eip_association",
            map(&[
                ("InstanceId", "instance_id"),
                ("NetworkInterfaceId", "network_interface_id"),
                ("AllocationId", "allocation_id"),
            ]),
        ),
        "AWS::EC2::PrefixList" => {
            let entries: Vec<Val> = p
                .get("Entries")
                .items()
                .into_iter()
                .map(|e| Val::Map(pick(e, &[("Cidr", "cidr"), ("Description", "description")])))
                .collect();
            let mut m = pick(
                p,
                &[
                    ("PrefixListName", "name"),
                    ("AddressFamily", "address_family"),
                    tags,
                ],
            );
            m.insert("entry".into(), Val::List(entries));
            ("aws_ec2_managed_prefix_list", Val::Map(m))
        }
        _ => {
            let _ = id;
            return None;
        }
    })
}
