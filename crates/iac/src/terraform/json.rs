//! Terraform's JSON syntax (`.tf.json`) turned into the same HCL structure the evaluator
//! reads: strings holding `${...}` are templates, everything else is a literal. Nested
//! blocks come out as attributes holding objects or lists of objects, which evaluate to
//! the same lists of maps as blocks do.

use hcl::expr::{Expression, ObjectKey, TemplateExpr};
use hcl::structure::{Attribute, Block, Body, Structure};
use serde_json::Value;

/// The top-level body: `resource`, `data`, `variable`, `output`, `module` and `locals`.
pub(super) fn body(v: &Value) -> Body {
    let mut structures = Vec::new();
    let Some(top) = v.as_object() else {
        return Body(structures);
    };
    for (kind, content) in top {
        match kind.as_str() {
            "resource" | "data" => {
                for (ty, names) in objects(content) {
                    for (name, bodies) in names.as_object().into_iter().flatten() {
                        for b in each(bodies) {
                            structures.push(block(kind, &[ty, name], b));
                        }
                    }
                }
            }
            "variable" | "output" | "module" => {
                for (name, bodies) in objects(content) {
                    for b in each(bodies) {
                        structures.push(block(kind, &[name], b));
                    }
                }
            }
            "locals" => {
                for b in each(content) {
                    structures.push(block(kind, &[], b));
                }
            }
            _ => {}
        }
    }
    Body(structures)
}

fn objects(v: &Value) -> Vec<(&String, &Value)> {
    each(v)
        .into_iter()
        .filter_map(Value::as_object)
        .flatten()
        .collect()
}

/// JSON allows a list where HCL repeats a block.
fn each(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

fn block(ident: &str, labels: &[&String], body: &Value) -> Structure {
    let attributes = body
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| Structure::Attribute(Attribute::new(k.as_str(), expr(v))))
        .collect();
    let mut block = Block::new(ident);
    block.labels = labels
        .iter()
        .map(|l| hcl::structure::BlockLabel::String(l.to_string()))
        .collect();
    block.body = Body(attributes);
    Structure::Block(block)
}

fn expr(v: &Value) -> Expression {
    match v {
        Value::Null => Expression::Null,
        Value::Bool(b) => Expression::Bool(*b),
        Value::Number(n) => n
            .as_i64()
            .map(|i| Expression::Number(i.into()))
            .or_else(|| {
                n.as_f64()
                    .and_then(hcl::Number::from_f64)
                    .map(Expression::Number)
            })
            .unwrap_or(Expression::Null),
        Value::String(s) if s.contains("${") => {
            Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(s.clone())))
        }
        Value::String(s) => Expression::String(s.clone()),
        Value::Array(items) => Expression::Array(items.iter().map(expr).collect()),
        Value::Object(map) => Expression::Object(
            map.iter()
                .map(|(k, v)| {
                    (
                        ObjectKey::Expression(Expression::String(k.clone())),
                        expr(v),
                    )
                })
                .collect(),
        ),
    }
}

/// The line of a block in the JSON text: where its last label appears as a key after the
/// ones before it (`"aws_security_group"` then `"db"`); 1 when not found.
pub(super) fn line_of(text: &str, labels: &[String]) -> u32 {
    let mut from = 0;
    for label in labels {
        match text[from..].find(&format!("\"{label}\"")) {
            Some(i) => from += i,
            None => return 1,
        }
    }
    text[..from].bytes().filter(|&b| b == b'\n').count() as u32 + 1
}
