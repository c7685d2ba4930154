//! Terraform plan JSON (`terraform show -json tfplan`): values Terraform already
//! evaluated, taken as they are. What the plan marks "known after apply" stays unknown,
//! except references between resources, which the plan's `configuration` names (a rule's
//! `security_group_id = aws_security_group.db.id`): those resolve to the resource's address,
//! which is the id every IaC source gives it.

use crate::build::build;
use crate::error::IacError;
use crate::value::{Res, Val};
use ringfence_model::{Estate, FileId};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

pub(crate) fn load(path: &Path) -> Result<Estate, IacError> {
    let text = crate::read_text(path)?;
    let plan: Value = serde_json::from_str(&text).map_err(|e| IacError::Syntax {
        path: path.to_path_buf(),
        line: e.line(),
        column: Some(e.column()),
        message: format!("not valid JSON: {e}"),
    })?;
    if plan.get("format_version").is_none() {
        return Err(IacError::Invalid {
            path: path.to_path_buf(),
            line: 1,
            message:
                "not a Terraform plan: no format_version (expected `terraform show -json` output)"
                    .into(),
        });
    }
    let lines = address_lines(&text);
    let file = FileId(0);
    let mut config = HashMap::new();
    if let Some(root) = plan.pointer("/configuration/root_module") {
        config_resources(root, "", &mut config);
    }
    // Every address in the plan, so that references resolve only to what exists.
    let mut entries: Vec<(String, String, Value, Value)> = Vec::new();
    match plan.get("resource_changes").and_then(Value::as_array) {
        Some(changes) => {
            for rc in changes {
                if rc.get("mode").and_then(Value::as_str) == Some("data") {
                    continue;
                }
                let actions: Vec<&str> = rc
                    .pointer("/change/actions")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                if actions == ["delete"] {
                    continue;
                }
                let (Some(address), Some(kind)) = (
                    rc.get("address").and_then(Value::as_str),
                    rc.get("type").and_then(Value::as_str),
                ) else {
                    continue;
                };
                let after = rc.pointer("/change/after").cloned().unwrap_or(Value::Null);
                let unknown = rc
                    .pointer("/change/after_unknown")
                    .cloned()
                    .unwrap_or(Value::Null);
                entries.push((address.to_string(), kind.to_string(), after, unknown));
            }
        }
        None => {
            // A plan without changes lists, or `terraform show -json` of a state
            // (`values`): the values as they are.
            if let Some(root) = plan
                .pointer("/planned_values/root_module")
                .or_else(|| plan.pointer("/values/root_module"))
            {
                planned(root, &mut entries);
            }
        }
    }
    let addresses: HashSet<String> = entries.iter().map(|e| e.0.clone()).collect();
    let mut resources = Vec::new();
    for (address, kind, after, unknown) in entries {
        if !kind.starts_with("aws_") {
            continue;
        }
        let line = lines.get(&address).copied().unwrap_or(1);
        let ctx = Ctx {
            address: &address,
            at: format!("{}:{line}", path.display()),
            addresses: &addresses,
            module: module_prefix(&address),
        };
        let expressions = config.get(&config_key(&address));
        let attrs = ctx.merge(&after, &unknown, expressions, "");
        resources.push(Res {
            kind,
            address,
            file,
            line,
            attrs,
        });
    }
    Ok(build(&resources, vec![path.to_path_buf()]))
}

fn planned(module: &Value, out: &mut Vec<(String, String, Value, Value)>) {
    for r in module
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if r.get("mode").and_then(Value::as_str) == Some("data") {
            continue;
        }
        if let (Some(address), Some(kind)) = (
            r.get("address").and_then(Value::as_str),
            r.get("type").and_then(Value::as_str),
        ) {
            let values = r.get("values").cloned().unwrap_or(Value::Null);
            out.push((address.into(), kind.into(), values, Value::Null));
        }
    }
    for child in module
        .get("child_modules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        planned(child, out);
    }
}

/// `module.a.module.b.` of an address (empty at the root).
fn module_prefix(address: &str) -> String {
    let mut prefix = String::new();
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find('.').unwrap_or(after.len());
        prefix.push_str(&format!("module.{}.", &after[..end]));
        rest = &after[(end + 1).min(after.len())..];
    }
    prefix
}

/// The configuration's key for a resource: its address without instance keys.
fn config_key(address: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in address.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn config_resources(module: &Value, prefix: &str, out: &mut HashMap<String, Value>) {
    for r in module
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(address), Some(expr)) = (
            r.get("address").and_then(Value::as_str),
            r.get("expressions"),
        ) {
            out.insert(format!("{prefix}{address}"), expr.clone());
        }
    }
    if let Some(calls) = module.get("module_calls").and_then(Value::as_object) {
        for (name, call) in calls {
            if let Some(child) = call.get("module") {
                config_resources(child, &format!("{prefix}module.{name}."), out);
            }
        }
    }
}

/// The line of the first `"address": "X"` for each address: where a finding points.
fn address_lines(text: &str) -> HashMap<String, u32> {
    let mut lines = HashMap::new();
    let mut line = 1u32;
    let mut last = 0usize;
    for (i, _) in text.match_indices("\"address\"") {
        line += text[last..i].bytes().filter(|&b| b == b'\n').count() as u32;
        last = i;
        let rest = text[i + 9..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('"') else {
            continue;
        };
        if let Some(end) = rest.find('"') {
            lines.entry(rest[..end].to_string()).or_insert(line);
        }
    }
    lines
}

struct Ctx<'a> {
    address: &'a str,
    at: String,
    addresses: &'a HashSet<String>,
    module: String,
}

impl Ctx<'_> {
    /// Resources a configuration expression references, as addresses in the plan.
    fn references(&self, config: Option<&Value>) -> Option<Vec<String>> {
        let refs = config?.get("references")?.as_array()?;
        let mut out: Vec<String> = Vec::new();
        for r in refs.iter().filter_map(Value::as_str) {
            if r.starts_with("data.") || r.starts_with("var.") || r.starts_with("local.") {
                continue;
            }
            let full = format!("{}{r}", self.module);
            let candidate = if self.addresses.contains(&full) {
                Some(full)
            } else {
                full.rsplit_once('.')
                    .map(|(base, _)| base.to_string())
                    .filter(|base| self.addresses.contains(base))
            };
            if let Some(c) = candidate
                && !out.contains(&c)
            {
                out.push(c);
            }
        }
        (!out.is_empty()).then_some(out)
    }

    fn merge(&self, after: &Value, unknown: &Value, config: Option<&Value>, path: &str) -> Val {
        if unknown.as_bool() == Some(true) {
            return match self.references(config) {
                Some(refs) if after.is_array() || path.ends_with('s') => {
                    Val::List(refs.into_iter().map(Val::Str).collect())
                }
                Some(mut refs) => Val::Str(refs.remove(0)),
                None => Val::Unknown(format!(
                    "{}{} is known only after apply (plan {})",
                    self.address,
                    if path.is_empty() {
                        String::new()
                    } else {
                        format!(".{path}")
                    },
                    self.at
                )),
            };
        }
        match after {
            Value::Null => {
                // Absent in `after` but unknown as a whole list or object.
                Val::Null
            }
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => n.as_f64().map_or(Val::Null, Val::Num),
            Value::String(s) => Val::Str(s.clone()),
            Value::Array(items) => {
                let mut out: Vec<Val> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let u = unknown.get(i).unwrap_or(&Value::Null);
                        let c = config.and_then(|c| c.get(i).or_else(|| c.get(0)));
                        self.merge(item, u, c, &format!("{path}[{i}]"))
                    })
                    .collect();
                // Unknown elements of a list of ids: the configuration's references say
                // which resources they are.
                if out.iter().any(|v| matches!(v, Val::Unknown(_)))
                    && let Some(refs) = self.references(config)
                {
                    out.retain(|v| !matches!(v, Val::Unknown(_)));
                    out.extend(refs.into_iter().map(Val::Str));
                }
                Val::List(out)
            }
            Value::Object(map) => {
                let mut out = BTreeMap::new();
                for (key, value) in map {
                    let u = unknown.get(key).unwrap_or(&Value::Null);
                    let c = config.and_then(|c| c.get(key));
                    let p = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    out.insert(key.clone(), self.merge(value, u, c, &p));
                }
                // Attributes missing from `after` but unknown.
                if let Some(u) = unknown.as_object() {
                    for (key, flag) in u {
                        if !map.contains_key(key) && flag.as_bool() == Some(true) {
                            let c = config.and_then(|c| c.get(key));
                            let p = if path.is_empty() {
                                key.clone()
                            } else {
                                format!("{path}.{key}")
                            };
                            out.insert(key.clone(), self.merge(&Value::Null, flag, c, &p));
                        }
                    }
                }
                Val::Map(out)
            }
        }
    }
}
