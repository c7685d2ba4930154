//! Terraform HCL: a root module directory (or one `.tf` file), its `terraform.tfvars` and
//! `*.auto.tfvars`, and the local modules it calls (`source = "./..."`), evaluated into
//! resources with their file and line.
//!
//! Parsed once with hcl-edit, which keeps byte spans (hcl-rs does not), and each
//! expression converted to hcl-rs's form for evaluation (see [`eval`]).

mod eval;
mod json;

use crate::build::build;
use crate::error::IacError;
use crate::value::{LINE, Lines, Res, Val};
use eval::{Eval, MAX_DEPTH, Names, Step, apply_steps};
use hcl::expr::Expression;
use hcl_edit::Span;
use hcl_edit::structure::{Block, BlockLabel, Body};
use ringfence_model::{Estate, FileId, Incomplete, ResourceKind, ScopeId};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How deep local modules may call local modules: deeper is a cycle.
const MAX_MODULE_DEPTH: u32 = 16;

/// Loads a root module folder (or one `.tf` file); also returns the local module folders
/// it called, so that a walk over a tree does not read them again as roots.
pub(crate) fn load(path: &Path) -> Result<(Estate, Vec<PathBuf>), IacError> {
    let mut loader = Loader::default();
    let (dir, only) = if path.is_dir() {
        (path.to_path_buf(), None)
    } else if path.is_file() {
        (
            path.parent().map(Path::to_path_buf).unwrap_or_default(),
            Some(path.to_path_buf()),
        )
    } else {
        return Err(IacError::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
        ));
    };
    let tfvars = loader.tfvars(&dir)?;
    loader.installed = installed_modules(&dir);
    loader.module(&dir, only.as_deref(), "", tfvars, 0)?;
    if loader.files.is_empty() {
        return Err(IacError::Empty {
            path: path.to_path_buf(),
        });
    }
    let called = loader.called.clone();
    let remote = std::mem::take(&mut loader.remote);
    let mut estate = build(&loader.resources, loader.files);
    // Never a silent drop: what a module not read would create is named as not judged.
    for (address, source, at) in remote {
        estate.incomplete.push(Incomplete {
            scope: ScopeId(0),
            kind: ResourceKind::SecurityGroups,
            subject: Some(address.clone()),
            reason: format!(
                "{address} (source {source:?}, at {at}) is not read: a remote module is read only once `terraform init` has put it in .terraform/modules; the resources it creates are not judged"
            ),
        });
    }
    Ok((estate, called))
}

/// `a.b` for module `b` called from inside module `a` (`prefix` `module.a.`): the key
/// `.terraform/modules/modules.json` files modules under.
fn module_key(prefix: &str, name: &str) -> String {
    let mut parts: Vec<&str> = prefix
        .split("module.")
        .filter(|p| !p.is_empty())
        .map(|p| {
            let p = p.trim_end_matches('.');
            p.split('[').next().unwrap_or(p)
        })
        .collect();
    parts.push(name);
    parts.join(".")
}

/// Modules `terraform init` installed under `dir`: key to folder.
fn installed_modules(dir: &Path) -> std::collections::HashMap<String, PathBuf> {
    let manifest = dir.join(".terraform/modules/modules.json");
    let Ok(text) = crate::read_text(&manifest) else {
        return Default::default();
    };
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Default::default();
    };
    doc.get("Modules")
        .and_then(|m| m.as_array())
        .into_iter()
        .flatten()
        .filter_map(|m| {
            let key = m.get("Key")?.as_str()?;
            let folder = m.get("Dir")?.as_str()?;
            (!key.is_empty()).then(|| (key.to_string(), dir.join(folder)))
        })
        .collect()
}

/// The local module folders `dir`'s `.tf` files call (canonical), read without evaluating
/// anything; unreadable files are skipped here and reported when loaded.
pub(crate) fn local_module_calls(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.extension().is_none_or(|x| x != "tf") {
            continue;
        }
        let Ok(text) = crate::read_text(&path) else {
            continue;
        };
        let Ok(body) = hcl_edit::parser::parse_body(&text) else {
            continue;
        };
        for block in body.get_blocks("module") {
            let source = block
                .body
                .get_attribute("source")
                .and_then(|a| a.value.as_str().map(str::to_string));
            if let Some(source) = source.filter(|s| s.starts_with("./") || s.starts_with("../")) {
                let child = dir.join(source);
                out.push(child.canonicalize().unwrap_or(child));
            }
        }
    }
    out
}

#[derive(Default)]
struct Loader {
    files: Vec<PathBuf>,
    lines: Vec<Lines>,
    resources: Vec<Res>,
    /// Local module folders called, canonical.
    called: Vec<PathBuf>,
    /// Modules `terraform init` installed (`.terraform/modules/modules.json`): key
    /// (`a.b` for module b inside module a) to folder.
    installed: std::collections::HashMap<String, PathBuf>,
    /// Module calls not read (remote and not installed, or a missing folder): address,
    /// source and place.
    remote: Vec<(String, String, String)>,
    /// The text of `.tf.json` files, whose parse has no spans: lines are found by name.
    json_texts: std::collections::HashMap<FileId, String>,
}

/// A declaration and where it is.
struct Decl {
    file: FileId,
    line: u32,
    kind: String,
    name: String,
    body: Body,
}

#[derive(Default)]
struct Source {
    variables: BTreeMap<String, (Option<Expression>, FileId, u32)>,
    locals: BTreeMap<String, (Expression, FileId, u32)>,
    resources: Vec<Decl>,
    modules: Vec<Decl>,
    outputs: BTreeMap<String, (Expression, FileId, u32)>,
}

fn label(l: &BlockLabel) -> String {
    match l {
        BlockLabel::Ident(i) => i.as_str().to_string(),
        BlockLabel::String(s) => s.as_str().to_string(),
    }
}

impl Loader {
    fn at(&self, file: FileId, line: u32) -> String {
        format!("{}:{line}", self.files[file.0 as usize].display())
    }

    /// Reads and parses one file, remembering it and its line index.
    fn parse(&mut self, path: &Path) -> Result<(FileId, Body), IacError> {
        let text = crate::read_text(path)?;
        let json = path.to_string_lossy().ends_with(".tf.json");
        let body = if json {
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| IacError::Syntax {
                    path: path.to_path_buf(),
                    line: e.line(),
                    column: Some(e.column()),
                    message: format!("not valid JSON: {e}"),
                })?;
            Body::from(json::body(&value))
        } else {
            hcl_edit::parser::parse_body(&text).map_err(|e| IacError::Syntax {
                path: path.to_path_buf(),
                line: e.location().line(),
                column: Some(e.location().column()),
                message: format!("HCL syntax error: {}", e.message()),
            })?
        };
        let id = FileId(self.files.len() as u32);
        if json {
            self.json_texts.insert(id, text.clone());
        }
        self.files.push(path.to_path_buf());
        self.lines.push(Lines::new(&text));
        Ok((id, body))
    }

    fn line(&self, file: FileId, span: Option<std::ops::Range<usize>>) -> u32 {
        span.map_or(1, |s| self.lines[file.0 as usize].line(s.start))
    }

    /// `terraform.tfvars` then `*.auto.tfvars` (in name order), as Terraform reads them.
    fn tfvars(&mut self, dir: &Path) -> Result<BTreeMap<String, Val>, IacError> {
        let mut paths = vec![dir.join("terraform.tfvars")];
        let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.to_string_lossy().ends_with(".auto.tfvars"))
                    .collect()
            })
            .unwrap_or_default();
        auto.sort();
        paths.extend(auto);
        let mut vars = BTreeMap::new();
        let empty = NoNames;
        for path in paths.into_iter().filter(|p| p.is_file()) {
            let (file, body) = self.parse(&path)?;
            for attr in body.attributes() {
                let at = self.at(file, self.line(file, attr.span()));
                let expr: Expression = attr.value.clone().into();
                let mut ev = Eval {
                    names: &empty,
                    at: &at,
                    depth: 0,
                    bound: Vec::new(),
                };
                vars.insert(attr.key.as_str().to_string(), ev.eval(&expr));
            }
        }
        Ok(vars)
    }

    fn read_module(&mut self, dir: &Path, only: Option<&Path>) -> Result<Source, IacError> {
        let mut paths: Vec<PathBuf> = match only {
            Some(file) => vec![file.to_path_buf()],
            None => std::fs::read_dir(dir)
                .map_err(|e| IacError::io(dir, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    let name = p.to_string_lossy();
                    (name.ends_with(".tf") || name.ends_with(".tf.json")) && p.is_file()
                })
                .collect(),
        };
        paths.sort();
        let mut src = Source::default();
        for path in paths {
            let (file, body) = self.parse(&path)?;
            for structure in body.into_iter() {
                let Some(block) = structure.as_block() else {
                    continue;
                };
                let labels: Vec<String> = block.labels.iter().map(label).collect();
                let line = match self.json_texts.get(&file) {
                    Some(text) => json::line_of(text, &labels),
                    None => self.line(file, block.span()),
                };
                match (block.ident.as_str(), labels.as_slice()) {
                    ("resource", [kind, name]) => src.resources.push(Decl {
                        file,
                        line,
                        kind: kind.clone(),
                        name: name.clone(),
                        body: block.body.clone(),
                    }),
                    ("module", [name]) => src.modules.push(Decl {
                        file,
                        line,
                        kind: "module".into(),
                        name: name.clone(),
                        body: block.body.clone(),
                    }),
                    ("variable", [name]) => {
                        let default = block
                            .body
                            .get_attribute("default")
                            .map(|a| Expression::from(a.value.clone()));
                        src.variables.insert(name.clone(), (default, file, line));
                    }
                    ("output", [name]) => {
                        if let Some(a) = block.body.get_attribute("value") {
                            let l = self.line(file, a.span());
                            src.outputs
                                .insert(name.clone(), (a.value.clone().into(), file, l));
                        }
                    }
                    ("locals", []) => {
                        for attr in block.body.attributes() {
                            let l = self.line(file, attr.span());
                            src.locals.insert(
                                attr.key.as_str().to_string(),
                                (attr.value.clone().into(), file, l),
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(src)
    }

    /// Evaluates one module instance: its child modules first (their outputs feed this
    /// one), then its resources; returns its outputs.
    fn module(
        &mut self,
        dir: &Path,
        only: Option<&Path>,
        prefix: &str,
        inputs: BTreeMap<String, Val>,
        depth: u32,
    ) -> Result<Val, IacError> {
        let src = self.read_module(dir, only)?;
        let mut vars = BTreeMap::new();
        for (name, (default, file, line)) in &src.variables {
            let at = self.at(*file, *line);
            let value = match (inputs.get(name), default) {
                (Some(v), _) => v.clone(),
                (None, Some(expr)) => Eval {
                    names: &NoNames,
                    at: &at,
                    depth: 0,
                    bound: Vec::new(),
                }
                .eval(expr),
                (None, None) => Val::Unknown(format!(
                    "var.{name} has no default and no value (declared at {at})"
                )),
            };
            vars.insert(name.clone(), value);
        }
        let scope = Scope {
            src: &src,
            prefix: prefix.to_string(),
            dir: dir.to_path_buf(),
            vars,
            files: &self.files.clone(),
            lines: &self.lines,
            locals: RefCell::new(BTreeMap::new()),
            children: RefCell::new(BTreeMap::new()),
        };
        // Child modules.
        let mut calls = Vec::new();
        for m in &src.modules {
            let at = scope.at(m.file, m.line);
            let source = m
                .body
                .get_attribute("source")
                .and_then(|a| a.value.as_str().map(str::to_string));
            let source = source.unwrap_or_default();
            let local = source.starts_with("./") || source.starts_with("../");
            let key = module_key(prefix, &m.name);
            let child_dir = if local {
                Some(dir.join(&source))
            } else {
                // A registry or remote module is read from where `terraform init` put it.
                self.installed.get(&key).cloned()
            };
            let Some(child_dir) = child_dir.filter(|d| d.is_dir()) else {
                self.remote
                    .push((format!("{prefix}module.{}", m.name), source, at));
                continue;
            };
            if depth >= MAX_MODULE_DEPTH {
                continue;
            }
            let whole = Inst::of(&scope);
            for (suffix, each, count) in scope.instances(&m.body, &whole, &at) {
                let inst = Inst {
                    scope: &scope,
                    each: each.clone(),
                    count: count.clone(),
                };
                let mut inputs = BTreeMap::new();
                for attr in m.body.attributes() {
                    let key = attr.key.as_str();
                    if matches!(
                        key,
                        "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
                    ) {
                        continue;
                    }
                    let at = scope.at(m.file, scope.line(m.file, attr.span()));
                    let expr: Expression = attr.value.clone().into();
                    inputs.insert(key.to_string(), inst.eval(&expr, &at, 0));
                }
                let child_prefix = format!("{prefix}module.{}{suffix}.", m.name);
                calls.push((
                    m.name.clone(),
                    child_dir.clone(),
                    child_prefix,
                    inputs,
                    local,
                ));
            }
        }
        drop(scope);
        let mut outputs_of = BTreeMap::new();
        for (name, child_dir, child_prefix, inputs, local) in calls {
            if local {
                self.called.push(
                    child_dir
                        .canonicalize()
                        .unwrap_or_else(|_| child_dir.clone()),
                );
            }
            let out = self.module(&child_dir, None, &child_prefix, inputs, depth + 1)?;
            outputs_of.insert(name, out);
        }
        // Resources and outputs, in this module's scope.
        let files = self.files.clone();
        let mut vars = BTreeMap::new();
        for (name, (default, file, line)) in &src.variables {
            let at = format!("{}:{line}", files[file.0 as usize].display());
            let value = match (inputs.get(name), default) {
                (Some(v), _) => v.clone(),
                (None, Some(expr)) => Eval {
                    names: &NoNames,
                    at: &at,
                    depth: 0,
                    bound: Vec::new(),
                }
                .eval(expr),
                (None, None) => Val::Unknown(format!(
                    "var.{name} has no default and no value (declared at {at})"
                )),
            };
            vars.insert(name.clone(), value);
        }
        let scope = Scope {
            src: &src,
            prefix: prefix.to_string(),
            dir: dir.to_path_buf(),
            vars,
            files: &files,
            lines: &self.lines,
            locals: RefCell::new(BTreeMap::new()),
            children: RefCell::new(outputs_of),
        };
        let mut resources = Vec::new();
        let whole = Inst::of(&scope);
        for decl in &src.resources {
            if !decl.kind.starts_with("aws_") {
                continue;
            }
            let at = scope.at(decl.file, decl.line);
            for (suffix, each, count) in scope.instances(&decl.body, &whole, &at) {
                let inst = Inst {
                    scope: &scope,
                    each,
                    count,
                };
                let attrs = inst.body(&decl.body, decl.file, 0, &[]);
                resources.push(Res {
                    kind: decl.kind.clone(),
                    address: format!("{prefix}{}.{}{suffix}", decl.kind, decl.name),
                    file: decl.file,
                    line: decl.line,
                    attrs,
                });
            }
        }
        let mut outputs = BTreeMap::new();
        for (name, (expr, file, line)) in &src.outputs {
            let at = scope.at(*file, *line);
            outputs.insert(name.clone(), whole.eval(expr, &at, 0));
        }
        drop(scope);
        self.resources.extend(resources);
        Ok(Val::Map(outputs))
    }
}

/// Names in a `.tfvars` file or a variable default: none.
struct NoNames;

impl Names for NoNames {
    fn lookup(&self, root: &str, _steps: &[Step], at: &str, _depth: u32) -> Val {
        Val::Unknown(format!("{root} cannot be referenced here (at {at})"))
    }
}

/// One module instance being evaluated.
struct Scope<'s> {
    src: &'s Source,
    prefix: String,
    dir: PathBuf,
    vars: BTreeMap<String, Val>,
    files: &'s [PathBuf],
    lines: &'s [Lines],
    locals: RefCell<BTreeMap<String, Val>>,
    children: RefCell<BTreeMap<String, Val>>,
}

impl Scope<'_> {
    fn at(&self, file: FileId, line: u32) -> String {
        format!("{}:{line}", self.files[file.0 as usize].display())
    }

    fn line(&self, file: FileId, span: Option<std::ops::Range<usize>>) -> u32 {
        span.map_or(1, |s| self.lines[file.0 as usize].line(s.start))
    }

    /// The instances `count` / `for_each` make: address suffix, `each`, `count`. An
    /// unknown count or for_each gives one instance whose `each`/`count` is unknown.
    fn instances(&self, body: &Body, inst: &Inst<'_>, at: &str) -> Vec<Instance> {
        if let Some(count) = body.get_attribute("count") {
            let expr: Expression = count.value.clone().into();
            return match inst.eval(&expr, at, 0) {
                Val::Unknown(why) => vec![(String::new(), None, Some(Val::Unknown(why)))],
                v => match v.int() {
                    Some(n) => (0..n.clamp(0, 10_000))
                        .map(|i| (format!("[{i}]"), None, Some(Val::Num(i as f64))))
                        .collect(),
                    None => vec![(
                        String::new(),
                        None,
                        Some(Val::Unknown(format!("count at {at}"))),
                    )],
                },
            };
        }
        if let Some(for_each) = body.get_attribute("for_each") {
            let expr: Expression = for_each.value.clone().into();
            let pairs: Vec<(String, Val)> = match inst.eval(&expr, at, 0) {
                Val::Map(map) => map.into_iter().collect(),
                Val::List(items) => items
                    .into_iter()
                    .map(|v| (v.text().unwrap_or_default(), v))
                    .collect(),
                Val::Unknown(why) => {
                    let u = Val::Unknown(why);
                    return vec![(String::new(), Some((u.clone(), u)), None)];
                }
                _ => Vec::new(),
            };
            return pairs
                .into_iter()
                .map(|(k, v)| (format!("[\"{k}\"]"), Some((Val::Str(k), v)), None))
                .collect();
        }
        vec![(String::new(), None, None)]
    }
}

/// One instance `count` / `for_each` makes: address suffix (`[0]`, `["a"]`), `each`
/// (key, value) and `count.index`.
type Instance = (String, Option<(Val, Val)>, Option<Val>);

/// A scope plus the `each` / `count` of one resource or module instance.
struct Inst<'s> {
    scope: &'s Scope<'s>,
    each: Option<(Val, Val)>,
    count: Option<Val>,
}

impl<'s> Inst<'s> {
    fn of(scope: &'s Scope<'s>) -> Self {
        Inst {
            scope,
            each: None,
            count: None,
        }
    }

    fn eval(&self, expr: &Expression, at: &str, depth: u32) -> Val {
        Eval {
            names: self,
            at,
            depth,
            bound: Vec::new(),
        }
        .eval(expr)
    }

    /// A block body as a map: attributes evaluated, nested blocks as lists of maps (each
    /// with its line), `dynamic` blocks expanded over their `for_each`.
    fn body(&self, body: &Body, file: FileId, depth: u32, bound: &[(String, Val)]) -> Val {
        let mut map: BTreeMap<String, Val> = BTreeMap::new();
        if depth > 8 {
            return Val::Map(map);
        }
        for structure in body.iter() {
            if let Some(attr) = structure.as_attribute() {
                let key = attr.key.as_str();
                if matches!(key, "count" | "for_each" | "depends_on" | "provider") {
                    continue;
                }
                let at = self.scope.at(file, self.scope.line(file, attr.span()));
                let expr: Expression = attr.value.clone().into();
                let v = Eval {
                    names: self,
                    at: &at,
                    depth: 0,
                    bound: bound.to_vec(),
                }
                .eval(&expr);
                map.insert(key.to_string(), v);
            } else if let Some(block) = structure.as_block() {
                self.block(block, file, depth, bound, &mut map);
            }
        }
        Val::Map(map)
    }

    fn block(
        &self,
        block: &Block,
        file: FileId,
        depth: u32,
        bound: &[(String, Val)],
        map: &mut BTreeMap<String, Val>,
    ) {
        let line = self.scope.line(file, block.span());
        let ident = block.ident.as_str();
        if matches!(
            ident,
            "lifecycle" | "provisioner" | "connection" | "timeouts"
        ) {
            return;
        }
        let push = |map: &mut BTreeMap<String, Val>, key: &str, mut v: Val| {
            if let Val::Map(m) = &mut v {
                m.insert(LINE.into(), Val::Num(f64::from(line)));
            }
            match map
                .entry(key.to_string())
                .or_insert_with(|| Val::List(Vec::new()))
            {
                Val::List(items) => items.push(v),
                other => *other = Val::List(vec![v]),
            }
        };
        if ident == "dynamic" {
            let Some(name) = block.labels.first().map(label) else {
                return;
            };
            let iterator = block
                .body
                .get_attribute("iterator")
                .and_then(|a| match &a.value {
                    hcl_edit::expr::Expression::Variable(v) => Some(v.as_str().to_string()),
                    _ => None,
                })
                .unwrap_or_else(|| name.clone());
            let Some(content) = block.body.get_blocks("content").next() else {
                return;
            };
            let at = self.scope.at(file, line);
            let items: Vec<(Val, Val)> = match block.body.get_attribute("for_each") {
                Some(fe) => {
                    let expr: Expression = fe.value.clone().into();
                    let v = Eval {
                        names: self,
                        at: &at,
                        depth: 0,
                        bound: bound.to_vec(),
                    }
                    .eval(&expr);
                    match v {
                        Val::List(items) => items
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| (Val::Num(i as f64), v))
                            .collect(),
                        Val::Map(m) => m.into_iter().map(|(k, v)| (Val::Str(k), v)).collect(),
                        Val::Unknown(why) => {
                            vec![(Val::Unknown(why.clone()), Val::Unknown(why))]
                        }
                        _ => Vec::new(),
                    }
                }
                None => Vec::new(),
            };
            for (key, value) in items {
                let mut it = BTreeMap::new();
                it.insert("key".to_string(), key);
                it.insert("value".to_string(), value);
                let mut inner = bound.to_vec();
                inner.push((iterator.clone(), Val::Map(it)));
                let v = self.body(&content.body, file, depth + 1, &inner);
                push(map, &name, v);
            }
            return;
        }
        let v = self.body(&block.body, file, depth + 1, bound);
        push(map, ident, v);
    }

    fn resource(&self, kind: &str, steps: &[Step], at: &str, depth: u32) -> Val {
        let Some(Step::Attr(name)) = steps.first() else {
            return Val::Unknown(format!("{kind} used without a name at {at}"));
        };
        let Some(decl) = self
            .scope
            .src
            .resources
            .iter()
            .find(|d| d.kind == kind && &d.name == name)
        else {
            return Val::Unknown(format!(
                "{kind}.{name} is not declared in this code (referenced at {at})"
            ));
        };
        let base = format!("{}{kind}.{name}", self.scope.prefix);
        let whole = Inst::of(self.scope);
        match steps.get(1) {
            Some(Step::Index(k)) => {
                let (suffix, each, count) = match k {
                    Val::Unknown(why) => return Val::Unknown(why.clone()),
                    Val::Num(n) => (
                        format!("[{}]", crate::value::num_text(*n)),
                        None,
                        Some(k.clone()),
                    ),
                    other => {
                        let key = other.text().unwrap_or_default();
                        // The instance's each.value: found by evaluating for_each again.
                        let value = self
                            .scope
                            .instances(&decl.body, &whole, at)
                            .into_iter()
                            .find_map(|(_, each, _)| {
                                each.filter(|(k, _)| k.text() == Some(key.clone()))
                            })
                            .map_or(Val::Null, |(_, v)| v);
                        (format!("[\"{key}\"]"), Some((Val::Str(key), value)), None)
                    }
                };
                let inst = Inst {
                    scope: self.scope,
                    each,
                    count,
                };
                inst.attribute(decl, &format!("{base}{suffix}"), &steps[2..], at, depth)
            }
            Some(Step::Splat | Step::AttrSplat) => {
                let (each, after) = eval::splat_parts(&steps[1..]);
                let list = Val::List(
                    self.scope
                        .instances(&decl.body, &whole, at)
                        .into_iter()
                        .map(|(suffix, each_value, count)| {
                            Inst {
                                scope: self.scope,
                                each: each_value,
                                count,
                            }
                            .attribute(
                                decl,
                                &format!("{base}{suffix}"),
                                each,
                                at,
                                depth,
                            )
                        })
                        .collect(),
                );
                apply_steps(list, after, || {
                    Val::Unknown(format!("{base} splat at {at}"))
                })
            }
            _ => whole.attribute(decl, &base, &steps[1..], at, depth),
        }
    }

    /// An attribute of one resource instance: ids are the synthetic address; anything
    /// the code sets is evaluated; anything else is known only after apply.
    fn attribute(&self, decl: &Decl, address: &str, steps: &[Step], at: &str, depth: u32) -> Val {
        let Some(Step::Attr(attr)) = steps.first() else {
            return Val::Unknown(format!("{address} used as a whole at {at}"));
        };
        let rest = &steps[1..];
        let unknown = || Val::Unknown(format!("{address}.{attr} at {at}"));
        let v = match attr.as_str() {
            "id" | "arn" => Val::Str(address.to_string()),
            "primary_network_interface_id" => {
                Val::Str(format!("{address}.primary_network_interface"))
            }
            "main_route_table_id" => Val::Str(format!("{address}.main_route_table")),
            "default_network_acl_id" | "default_route_table_id" | "default_security_group_id" => {
                Val::Str(format!("{address}.{attr}"))
            }
            _ => match decl.body.get_attribute(attr) {
                Some(a) if depth < MAX_DEPTH => {
                    let at2 = self
                        .scope
                        .at(decl.file, self.scope.line(decl.file, a.span()));
                    let expr: Expression = a.value.clone().into();
                    self.eval(&expr, &at2, depth + 4)
                }
                _ => {
                    return Val::Unknown(format!(
                        "{address}.{attr} is known only after apply (referenced at {at})"
                    ));
                }
            },
        };
        apply_steps(v, rest, unknown)
    }
}

impl Names for Inst<'_> {
    fn lookup(&self, root: &str, steps: &[Step], at: &str, depth: u32) -> Val {
        let unknown = || Val::Unknown(String::new());
        let first = match steps.first() {
            Some(Step::Attr(a)) => Some(a.as_str()),
            _ => None,
        };
        match root {
            "var" => match first.and_then(|n| self.scope.vars.get(n)) {
                Some(Val::Unknown(why)) if !why.contains(" used at ") => {
                    Val::Unknown(format!("{why}, used at {at}"))
                }
                Some(v) => apply_steps(v.clone(), &steps[1..], unknown),
                None => Val::Unknown(format!(
                    "var.{} is not declared (at {at})",
                    first.unwrap_or("?")
                )),
            },
            "local" => {
                let Some(name) = first else {
                    return unknown();
                };
                let cached = self.scope.locals.borrow().get(name).cloned();
                let v = match cached {
                    Some(v) => v,
                    None => match self.scope.src.locals.get(name) {
                        Some((expr, file, line)) if depth < MAX_DEPTH => {
                            let at = self.scope.at(*file, *line);
                            let v = Inst::of(self.scope).eval(expr, &at, depth + 4);
                            self.scope
                                .locals
                                .borrow_mut()
                                .insert(name.to_string(), v.clone());
                            v
                        }
                        _ => {
                            return Val::Unknown(format!("local.{name} is not declared (at {at})"));
                        }
                    },
                };
                apply_steps(v, &steps[1..], unknown)
            }
            "each" => match (&self.each, first) {
                (Some((k, _)), Some("key")) => apply_steps(k.clone(), &steps[1..], unknown),
                (Some((_, v)), Some("value")) => apply_steps(v.clone(), &steps[1..], unknown),
                _ => unknown(),
            },
            "count" => match (&self.count, first) {
                (Some(c), Some("index")) => c.clone(),
                _ => unknown(),
            },
            "path" => Val::Str(self.scope.dir.display().to_string()),
            "terraform" => Val::Str("default".into()),
            "module" => {
                let Some(name) = first else {
                    return unknown();
                };
                match self.scope.children.borrow().get(name) {
                    Some(out) => apply_steps(out.clone(), &steps[1..], || {
                        Val::Unknown(format!("module.{name} output at {at}"))
                    }),
                    None => Val::Unknown(format!(
                        "module.{name} is not a local module ringfence reads (at {at})"
                    )),
                }
            }
            "data" => {
                let what: Vec<&str> = steps
                    .iter()
                    .take(3)
                    .filter_map(|s| match s {
                        Step::Attr(a) => Some(a.as_str()),
                        _ => None,
                    })
                    .collect();
                Val::Unknown(format!(
                    "data.{} is read from AWS at plan time (at {at})",
                    what.join(".")
                ))
            }
            kind if kind.starts_with("aws_") => self.resource(kind, steps, at, depth),
            _ => unknown(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use ringfence_model::Source;

    /// The ingress sources of each group, from one `main.tf`.
    fn sources(hcl: &str) -> BTreeMap<String, Vec<Source>> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("ringfence-tf-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("main.tf"), hcl).unwrap();
        let (estate, _) = load(&dir).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        estate
            .security_groups
            .into_iter()
            .map(|g| (g.id, g.ingress.into_iter().map(|r| r.source).collect()))
            .collect()
    }

    fn rule(cidrs: &str) -> String {
        format!(
            "resource \"aws_security_group\" \"db\" {{\n  ingress {{\n    from_port = 9042\n    to_port = 9042\n    protocol = \"tcp\"\n    cidr_blocks = {cidrs}\n  }}\n}}\n"
        )
    }

    fn v4(s: &str) -> Source {
        Source::V4(s.parse().unwrap())
    }

    #[test]
    fn cidrsubnet_is_evaluated() {
        let got = sources(&rule("[cidrsubnet(\"0.0.0.0/0\", 1, 1)]"));
        assert_eq!(got["aws_security_group.db"], vec![v4("128.0.0.0/1")]);
    }

    #[test]
    fn conditionals_choose_the_branch_their_condition_gives() {
        let hcl = format!(
            "variable \"public\" {{ default = false }}\n{}",
            rule("[var.public ? \"0.0.0.0/0\" : \"10.0.0.0/8\"]")
        );
        assert_eq!(
            sources(&hcl)["aws_security_group.db"],
            vec![v4("10.0.0.0/8")]
        );
    }

    #[test]
    fn for_expressions_and_functions_evaluate() {
        let hcl = format!(
            "locals {{ cidrs = [\"10.0.0.0/8\", \"0.0.0.0/0\"] }}\n{}",
            rule(
                "distinct(concat([for c in local.cidrs : c if c != \"10.0.0.0/8\"], [\"0.0.0.0/0\"]))"
            )
        );
        assert_eq!(
            sources(&hcl)["aws_security_group.db"],
            vec![v4("0.0.0.0/0")]
        );
    }

    #[test]
    fn unknown_functions_and_undeclared_names_are_unresolved_with_the_place() {
        let got = sources(&rule("[file(\"cidr.txt\")]"));
        match &got["aws_security_group.db"][..] {
            [Source::Unresolved(why)] => {
                assert!(why.contains("file()") && why.contains("main.tf:6"), "{why}")
            }
            other => panic!("{other:?}"),
        }
        let got = sources(&rule("[try(var.nope, \"0.0.0.0/0\")]"));
        assert_eq!(got["aws_security_group.db"], vec![v4("0.0.0.0/0")]);
    }

    #[test]
    fn splat_over_counted_resources_gives_every_address() {
        let hcl = "resource \"aws_security_group\" \"client\" {\n  count = 2\n}\nresource \"aws_security_group\" \"db\" {\n  ingress {\n    from_port = 9042\n    to_port = 9042\n    protocol = \"tcp\"\n    security_groups = aws_security_group.client[*].id\n  }\n}\n";
        let got = sources(hcl);
        let ids: Vec<Option<String>> = got["aws_security_group.db"]
            .iter()
            .map(|s| match s {
                Source::Group(g) => g.group_id.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(
            ids,
            vec![
                Some("aws_security_group.client[0]".to_string()),
                Some("aws_security_group.client[1]".to_string())
            ]
        );
    }

    #[test]
    fn legacy_splat_indexes_the_list() {
        let hcl = "resource \"aws_security_group\" \"client\" {\n  count = 2\n}\nresource \"aws_security_group\" \"db\" {\n  ingress {\n    from_port = 9042\n    to_port = 9042\n    protocol = \"tcp\"\n    security_groups = [aws_security_group.client.*.id[1]]\n  }\n}\n";
        let got = sources(hcl);
        assert!(matches!(
            &got["aws_security_group.db"][..],
            [Source::Group(g)] if g.group_id.as_deref() == Some("aws_security_group.client[1]")
        ));
    }

    #[test]
    fn unknown_ports_make_address_sources_unresolved_on_every_port() {
        let hcl = "variable \"port\" {}\nresource \"aws_security_group\" \"db\" {\n  ingress {\n    from_port = var.port\n    to_port = var.port\n    protocol = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n    self = true\n  }\n}\n";
        let got = sources(hcl);
        let db = &got["aws_security_group.db"];
        assert!(matches!(&db[0], Source::Unresolved(why) if why.contains("var.port")));
        assert!(matches!(&db[1], Source::Group(_)));
    }
}
