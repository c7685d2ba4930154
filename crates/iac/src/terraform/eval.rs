//! A small evaluator for the Terraform expressions security code is written with:
//! literals, templates, `var.`/`local.`/`each.`/`count.` and resource references,
//! conditionals, arithmetic and comparisons, `for` expressions and a few pure functions.
//! Anything else (a `data.` source, an attribute known only after apply, a function not
//! implemented here) evaluates to [`Val::Unknown`] with the expression and its file:line.

use crate::value::Val;
use hcl::expr::{
    BinaryOperator, Expression, ObjectKey, Operation, TraversalOperator, UnaryOperator,
};
use std::collections::BTreeMap;

/// What a name in an expression can resolve to, supplied by the module being evaluated.
pub(crate) trait Names {
    /// `var.x`, `local.x`, `module.x.y`, `each.key`, a resource reference, ...: the value of
    /// a root name followed by attribute/index steps. Returns `None` for names it does not
    /// know, which become unknown.
    fn lookup(&self, root: &str, steps: &[Step], at: &str, depth: u32) -> Val;
}

/// One step of a traversal, with indexes evaluated.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    Attr(String),
    Index(Val),
    /// `[*]`: every following step applies to each element.
    Splat,
    /// Legacy `.*`: only the attribute steps right after it apply to each element; the
    /// rest (`.*.id[0]`) applies to the resulting list.
    AttrSplat,
}

/// For a splat at `steps[0]`, the steps applied to each element and the steps applied to
/// the list after.
pub(crate) fn splat_parts(steps: &[Step]) -> (&[Step], &[Step]) {
    let rest = &steps[1..];
    match steps.first() {
        Some(Step::AttrSplat) => {
            let n = rest
                .iter()
                .take_while(|s| matches!(s, Step::Attr(_)))
                .count();
            (&rest[..n], &rest[n..])
        }
        _ => (rest, &[]),
    }
}

/// Deep enough for any real configuration, shallow enough that a reference cycle ends.
pub(crate) const MAX_DEPTH: u32 = 48;

pub(crate) struct Eval<'n> {
    pub names: &'n dyn Names,
    /// `main.tf:12`: where the expression is, for reasons.
    pub at: &'n str,
    pub depth: u32,
    /// Variables bound by `for` expressions and `dynamic` blocks.
    pub bound: Vec<(String, Val)>,
}

fn shown(expr: &Expression) -> String {
    let text = hcl::format::to_string(expr).unwrap_or_else(|_| "expression".to_string());
    let text = text
        .trim_start_matches("${")
        .trim_end_matches('}')
        .to_string();
    if text.chars().count() > 80 {
        format!("{}...", text.chars().take(77).collect::<String>())
    } else {
        text
    }
}

impl Eval<'_> {
    fn unknown(&self, what: impl std::fmt::Display) -> Val {
        Val::Unknown(format!("{what} at {}", self.at))
    }

    pub fn eval(&mut self, expr: &Expression) -> Val {
        if self.depth > MAX_DEPTH {
            return self.unknown("expression nested too deep (a reference cycle?)");
        }
        self.depth += 1;
        let v = self.eval_inner(expr);
        self.depth -= 1;
        v
    }

    fn eval_inner(&mut self, expr: &Expression) -> Val {
        match expr {
            Expression::Null => Val::Null,
            Expression::Bool(b) => Val::Bool(*b),
            Expression::Number(n) => n.as_f64().map_or(Val::Null, Val::Num),
            Expression::String(s) => Val::Str(s.clone()),
            Expression::Array(items) => Val::List(items.iter().map(|e| self.eval(e)).collect()),
            Expression::Object(object) => {
                let mut map = BTreeMap::new();
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Identifier(id) => id.as_str().to_string(),
                        ObjectKey::Expression(e) => match self.eval(e) {
                            Val::Unknown(why) => return Val::Unknown(why),
                            k => k.text().unwrap_or_default(),
                        },
                        _ => return self.unknown(shown(expr)),
                    };
                    let value = self.eval(value);
                    map.insert(key, value);
                }
                Val::Map(map)
            }
            Expression::TemplateExpr(t) => match hcl::template::Template::from_expr(t) {
                Ok(template) => self.template(&template, expr),
                Err(_) => self.unknown(format!("template {}", shown(expr))),
            },
            Expression::Variable(v) => self.traverse(v.as_str(), &[], expr),
            Expression::Traversal(t) => {
                let mut steps = Vec::new();
                for op in &t.operators {
                    steps.push(match op {
                        TraversalOperator::GetAttr(id) => Step::Attr(id.as_str().to_string()),
                        TraversalOperator::Index(e) => Step::Index(self.eval(e)),
                        TraversalOperator::LegacyIndex(i) => Step::Index(Val::Num(*i as f64)),
                        TraversalOperator::AttrSplat => Step::AttrSplat,
                        TraversalOperator::FullSplat => Step::Splat,
                    });
                }
                match &t.expr {
                    Expression::Variable(v) => self.traverse(v.as_str(), &steps, expr),
                    other => {
                        let base = self.eval(other);
                        apply_steps(base, &steps, || self.unknown(shown(expr)))
                    }
                }
            }
            Expression::FuncCall(call) => {
                let name = call.name.name.as_str().to_string();
                let mut args: Vec<Val> = call.args.iter().map(|a| self.eval(a)).collect();
                if call.expand_final
                    && let Some(Val::List(last)) = args.pop()
                {
                    args.extend(last);
                }
                self.call(&name, args, expr)
            }
            Expression::Parenthesis(e) => self.eval(e),
            Expression::Conditional(c) => match self.eval(&c.cond_expr).truth() {
                Some(true) => self.eval(&c.true_expr),
                Some(false) => self.eval(&c.false_expr),
                None => {
                    let (a, b) = (self.eval(&c.true_expr), self.eval(&c.false_expr));
                    if a == b {
                        a
                    } else {
                        self.unknown(format!("condition {}", shown(&c.cond_expr)))
                    }
                }
            },
            Expression::Operation(op) => self.operation(op, expr),
            Expression::ForExpr(f) => {
                let collection = self.eval(&f.collection_expr);
                let pairs: Vec<(Val, Val)> = match collection {
                    Val::Unknown(why) => return Val::Unknown(why),
                    Val::List(items) => items
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (Val::Num(i as f64), v))
                        .collect(),
                    Val::Map(map) => map.into_iter().map(|(k, v)| (Val::Str(k), v)).collect(),
                    Val::Null => Vec::new(),
                    _ => return self.unknown(shown(expr)),
                };
                let mut list = Vec::new();
                let mut map = BTreeMap::new();
                for (key, value) in pairs {
                    let mark = self.bound.len();
                    if let Some(k) = &f.key_var {
                        self.bound.push((k.as_str().to_string(), key));
                    }
                    self.bound.push((f.value_var.as_str().to_string(), value));
                    let keep = match &f.cond_expr {
                        Some(c) => self.eval(c).truth(),
                        None => Some(true),
                    };
                    match keep {
                        Some(true) => {
                            let v = self.eval(&f.value_expr);
                            match &f.key_expr {
                                Some(k) => match self.eval(k).text() {
                                    Some(k) => {
                                        map.insert(k, v);
                                    }
                                    None => {
                                        self.bound.truncate(mark);
                                        return self.unknown(shown(expr));
                                    }
                                },
                                None => list.push(v),
                            }
                        }
                        Some(false) => {}
                        None => {
                            self.bound.truncate(mark);
                            return self.unknown(shown(expr));
                        }
                    }
                    self.bound.truncate(mark);
                }
                if f.key_expr.is_some() {
                    Val::Map(map)
                } else {
                    Val::List(list)
                }
            }
            _ => self.unknown(shown(expr)),
        }
    }

    fn template(&mut self, template: &hcl::template::Template, expr: &Expression) -> Val {
        // `"${x}"` alone is `x` itself, unconverted (how Terraform 0.11 code passes lists).
        if let [hcl::template::Element::Interpolation(i)] = template.elements() {
            return self.eval(&i.expr);
        }
        let mut out = String::new();
        for element in template.elements() {
            match element {
                hcl::template::Element::Literal(s) => out.push_str(s),
                hcl::template::Element::Interpolation(i) => match self.eval(&i.expr) {
                    Val::Unknown(why) => return Val::Unknown(why),
                    v => match v.text() {
                        Some(t) => out.push_str(&t),
                        None => return self.unknown(shown(expr)),
                    },
                },
                hcl::template::Element::Directive(_) => {
                    return self.unknown(format!("template directive in {}", shown(expr)));
                }
            }
        }
        Val::Str(out)
    }

    fn traverse(&mut self, root: &str, steps: &[Step], expr: &Expression) -> Val {
        if let Some((_, v)) = self.bound.iter().rev().find(|(name, _)| name == root) {
            let v = v.clone();
            return apply_steps(v, steps, || self.unknown(shown(expr)));
        }
        match self.names.lookup(root, steps, self.at, self.depth) {
            Val::Unknown(why) if why.is_empty() => self.unknown(shown(expr)),
            v => v,
        }
    }

    fn operation(&mut self, op: &Operation, expr: &Expression) -> Val {
        match op {
            Operation::Unary(u) => match (u.operator, self.eval(&u.expr)) {
                (_, Val::Unknown(why)) => Val::Unknown(why),
                (UnaryOperator::Not, v) => v
                    .truth()
                    .map_or(self.unknown(shown(expr)), |b| Val::Bool(!b)),
                (UnaryOperator::Neg, v) => match number(&v) {
                    Some(n) => Val::Num(-n),
                    None => self.unknown(shown(expr)),
                },
            },
            Operation::Binary(b) => {
                let lhs = self.eval(&b.lhs_expr);
                // `&&`/`||` with one side known can still decide.
                match (b.operator, lhs.truth()) {
                    (BinaryOperator::And, Some(false)) => return Val::Bool(false),
                    (BinaryOperator::Or, Some(true)) => return Val::Bool(true),
                    _ => {}
                }
                let rhs = self.eval(&b.rhs_expr);
                if let Some(why) = lhs.unknown().or(rhs.unknown()) {
                    return Val::Unknown(why.to_string());
                }
                use BinaryOperator as B;
                match b.operator {
                    B::Eq => Val::Bool(loose_eq(&lhs, &rhs)),
                    B::NotEq => Val::Bool(!loose_eq(&lhs, &rhs)),
                    B::And | B::Or => match (lhs.truth(), rhs.truth()) {
                        (Some(a), Some(c)) => {
                            Val::Bool(if b.operator == B::And { a && c } else { a || c })
                        }
                        _ => self.unknown(shown(expr)),
                    },
                    op => match (number(&lhs), number(&rhs)) {
                        (Some(a), Some(c)) => match op {
                            B::Less => Val::Bool(a < c),
                            B::LessEq => Val::Bool(a <= c),
                            B::Greater => Val::Bool(a > c),
                            B::GreaterEq => Val::Bool(a >= c),
                            B::Plus => Val::Num(a + c),
                            B::Minus => Val::Num(a - c),
                            B::Mul => Val::Num(a * c),
                            B::Div if c != 0.0 => Val::Num(a / c),
                            B::Mod if c != 0.0 => Val::Num(a % c),
                            _ => self.unknown(shown(expr)),
                        },
                        _ => self.unknown(shown(expr)),
                    },
                }
            }
        }
    }

    /// The pure functions security-group code commonly uses; any other function is
    /// unknown (with its name), never guessed.
    fn call(&mut self, name: &str, args: Vec<Val>, expr: &Expression) -> Val {
        if name == "try" || name == "coalesce" {
            // First argument that is known (and, for coalesce, not null or empty).
            for a in &args {
                match a {
                    Val::Unknown(_) => continue,
                    Val::Null if name == "coalesce" => continue,
                    Val::Str(s) if name == "coalesce" && s.is_empty() => continue,
                    v => return v.clone(),
                }
            }
            return self.unknown(shown(expr));
        }
        if let Some(why) = args.iter().find_map(Val::first_unknown) {
            // Functions that only pass lists along keep the known items known.
            if !matches!(
                name,
                "concat" | "flatten" | "distinct" | "compact" | "tolist" | "toset"
            ) {
                return Val::Unknown(why.to_string());
            }
        }
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Val::Null);
        let list = |v: Val| -> Vec<Val> {
            match v {
                Val::List(items) => items,
                Val::Null => Vec::new(),
                other => vec![other],
            }
        };
        match name {
            "tostring" => arg(0).text().map_or(Val::Null, Val::Str),
            "tonumber" => number(&arg(0)).map_or(self.unknown(shown(expr)), Val::Num),
            "tobool" => arg(0).truth().map_or(Val::Null, Val::Bool),
            "tolist" | "toset" => Val::List(list(arg(0))),
            "tomap" => arg(0),
            "concat" => Val::List(args.into_iter().flat_map(list).collect()),
            "flatten" => {
                fn flat(v: Val, out: &mut Vec<Val>) {
                    match v {
                        Val::List(items) => items.into_iter().for_each(|i| flat(i, out)),
                        other => out.push(other),
                    }
                }
                let mut out = Vec::new();
                for a in args {
                    flat(a, &mut out);
                }
                Val::List(out)
            }
            "distinct" => {
                let mut out: Vec<Val> = Vec::new();
                for v in list(arg(0)) {
                    if !out.contains(&v) {
                        out.push(v);
                    }
                }
                Val::List(out)
            }
            "compact" => Val::List(
                list(arg(0))
                    .into_iter()
                    .filter(|v| !matches!(v, Val::Null) && *v != Val::Str(String::new()))
                    .collect(),
            ),
            "length" => match arg(0) {
                Val::List(items) => Val::Num(items.len() as f64),
                Val::Map(map) => Val::Num(map.len() as f64),
                Val::Str(s) => Val::Num(s.chars().count() as f64),
                _ => self.unknown(shown(expr)),
            },
            "element" => match (arg(0), number(&arg(1))) {
                (Val::List(items), Some(i)) if !items.is_empty() && i >= 0.0 => {
                    items[(i as usize) % items.len()].clone()
                }
                _ => self.unknown(shown(expr)),
            },
            "lookup" => match arg(0) {
                Val::Map(map) => arg(1)
                    .text()
                    .and_then(|k| map.get(&k).cloned())
                    .unwrap_or_else(|| {
                        args.get(2)
                            .cloned()
                            .unwrap_or_else(|| self.unknown(shown(expr)))
                    }),
                _ => self.unknown(shown(expr)),
            },
            "merge" => {
                let mut out = BTreeMap::new();
                for a in args {
                    if let Val::Map(m) = a {
                        out.extend(m);
                    }
                }
                Val::Map(out)
            }
            "keys" => match arg(0) {
                Val::Map(m) => Val::List(m.into_keys().map(Val::Str).collect()),
                _ => self.unknown(shown(expr)),
            },
            "values" => match arg(0) {
                Val::Map(m) => Val::List(m.into_values().collect()),
                _ => self.unknown(shown(expr)),
            },
            "contains" => Val::Bool(list(arg(0)).contains(&arg(1))),
            "join" => {
                let sep = arg(0).text().unwrap_or_default();
                let parts: Option<Vec<String>> = args
                    .get(1..)
                    .unwrap_or_default()
                    .iter()
                    .flat_map(|a| list(a.clone()))
                    .map(|v| v.text())
                    .collect();
                parts.map_or(self.unknown(shown(expr)), |p| Val::Str(p.join(&sep)))
            }
            "split" => match (arg(0).text(), arg(1).text()) {
                (Some(sep), Some(s)) if !sep.is_empty() => {
                    Val::List(s.split(&sep).map(|p| Val::Str(p.to_string())).collect())
                }
                _ => self.unknown(shown(expr)),
            },
            "lower" => arg(0)
                .text()
                .map_or(Val::Null, |s| Val::Str(s.to_lowercase())),
            "upper" => arg(0)
                .text()
                .map_or(Val::Null, |s| Val::Str(s.to_uppercase())),
            "trimspace" => arg(0)
                .text()
                .map_or(Val::Null, |s| Val::Str(s.trim().to_string())),
            "min" | "max" => {
                let nums: Option<Vec<f64>> = args.iter().map(number).collect();
                match nums {
                    Some(n) if !n.is_empty() => Val::Num(if name == "min" {
                        n.into_iter().fold(f64::INFINITY, f64::min)
                    } else {
                        n.into_iter().fold(f64::NEG_INFINITY, f64::max)
                    }),
                    _ => self.unknown(shown(expr)),
                }
            }
            "range" => {
                let nums: Option<Vec<f64>> = args.iter().map(number).collect();
                let (start, end, step) = match nums.as_deref() {
                    Some([end]) => (0.0, *end, 1.0),
                    Some([start, end]) => (*start, *end, 1.0),
                    Some([start, end, step]) => (*start, *end, *step),
                    _ => return self.unknown(shown(expr)),
                };
                if step == 0.0 || ((end - start) / step).abs() > 100_000.0 {
                    return self.unknown(shown(expr));
                }
                let mut out = Vec::new();
                let mut x = start;
                while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                    out.push(Val::Num(x));
                    x += step;
                }
                Val::List(out)
            }
            "cidrsubnet" => match (
                arg(0).text().and_then(|c| c.parse::<ipnet::IpNet>().ok()),
                number(&arg(1)),
                number(&arg(2)),
            ) {
                (Some(net), Some(bits), Some(num)) if bits >= 0.0 && num >= 0.0 => {
                    cidrsubnet(net, bits as u32, num as u128)
                        .map_or_else(|| self.unknown(shown(expr)), |n| Val::Str(n.to_string()))
                }
                _ => self.unknown(shown(expr)),
            },
            "format" => match arg(0).text() {
                Some(fmt) => {
                    let mut out = String::new();
                    let mut rest = args.get(1..).unwrap_or_default().iter();
                    let mut chars = fmt.chars().peekable();
                    while let Some(c) = chars.next() {
                        if c != '%' {
                            out.push(c);
                            continue;
                        }
                        match chars.next() {
                            Some('%') => out.push('%'),
                            Some('s' | 'd' | 'v') => match rest.next().and_then(Val::text) {
                                Some(t) => out.push_str(&t),
                                None => return self.unknown(shown(expr)),
                            },
                            _ => return self.unknown(shown(expr)),
                        }
                    }
                    Val::Str(out)
                }
                None => self.unknown(shown(expr)),
            },
            _ => self.unknown(format!(
                "function {name}() is not evaluated by ringfence ({})",
                shown(expr)
            )),
        }
    }
}

/// Terraform's `cidrsubnet(prefix, newbits, netnum)`; `None` when it does not fit.
fn cidrsubnet(net: ipnet::IpNet, newbits: u32, netnum: u128) -> Option<ipnet::IpNet> {
    let (width, len) = match net {
        ipnet::IpNet::V4(n) => (32u32, u32::from(n.prefix_len())),
        ipnet::IpNet::V6(n) => (128, u32::from(n.prefix_len())),
    };
    let new_len = len.checked_add(newbits).filter(|l| *l <= width)?;
    if newbits < 128 && netnum >> newbits != 0 {
        return None;
    }
    let shift = width - new_len;
    let offset = netnum.checked_shl(shift)?;
    match net.trunc() {
        ipnet::IpNet::V4(n) => {
            let base = u128::from(u32::from(n.network()));
            let addr = u32::try_from(base.checked_add(offset)?).ok()?;
            ipnet::Ipv4Net::new(addr.into(), new_len as u8)
                .ok()
                .map(ipnet::IpNet::V4)
        }
        ipnet::IpNet::V6(n) => {
            let addr = u128::from(n.network()).checked_add(offset)?;
            ipnet::Ipv6Net::new(addr.into(), new_len as u8)
                .ok()
                .map(ipnet::IpNet::V6)
        }
    }
}

fn number(v: &Val) -> Option<f64> {
    match v {
        Val::Num(n) => Some(*n),
        Val::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `==` as Terraform means it after conversion: `"1" == 1` is false in Terraform, but
/// variables typed as strings hold numbers as text, so numbers compare by value.
fn loose_eq(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Num(x), Val::Str(_)) | (Val::Str(_), Val::Num(x)) => {
            number(if matches!(a, Val::Str(_)) { a } else { b }) == Some(*x)
        }
        _ => a == b,
    }
}

/// Applies attribute and index steps to a known value.
pub(crate) fn apply_steps(v: Val, steps: &[Step], unknown: impl Fn() -> Val) -> Val {
    steps_dyn(v, steps, &unknown)
}

fn steps_dyn(mut v: Val, steps: &[Step], unknown: &dyn Fn() -> Val) -> Val {
    for (i, step) in steps.iter().enumerate() {
        v = match (v, step) {
            (Val::Unknown(why), _) => return Val::Unknown(why),
            (_, Step::Index(Val::Unknown(why))) => return Val::Unknown(why.clone()),
            (Val::Map(mut map), Step::Attr(key)) => match map.remove(key) {
                Some(v) => v,
                None => return unknown(),
            },
            (Val::Map(mut map), Step::Index(k)) => match k.text().and_then(|k| map.remove(&k)) {
                Some(v) => v,
                None => return unknown(),
            },
            (Val::List(items), Step::Index(k)) => match k.int() {
                Some(i) if i >= 0 && (i as usize) < items.len() => items[i as usize].clone(),
                _ => return unknown(),
            },
            (v, Step::Splat | Step::AttrSplat) => {
                let (each, after) = splat_parts(&steps[i..]);
                let items = match v {
                    Val::List(items) => items,
                    Val::Null => Vec::new(),
                    other => vec![other],
                };
                let list = Val::List(
                    items
                        .into_iter()
                        .map(|item| steps_dyn(item, each, unknown))
                        .collect(),
                );
                return steps_dyn(list, after, unknown);
            }
            _ => return unknown(),
        };
    }
    v
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::cidrsubnet;

    #[test]
    fn cidrsubnet_matches_terraform() {
        let net = |s: &str| s.parse::<ipnet::IpNet>().unwrap();
        assert_eq!(
            cidrsubnet(net("10.0.0.0/16"), 8, 2),
            Some(net("10.0.2.0/24"))
        );
        assert_eq!(
            cidrsubnet(net("10.1.2.0/24"), 4, 15),
            Some(net("10.1.2.240/28"))
        );
        assert_eq!(
            cidrsubnet(net("fd00:fd12:3456:7890::/56"), 16, 162),
            Some(net("fd00:fd12:3456:7800:a200::/72"))
        );
        assert_eq!(cidrsubnet(net("10.0.0.0/16"), 8, 256), None);
        assert_eq!(cidrsubnet(net("10.0.0.0/30"), 8, 0), None);
    }
}
