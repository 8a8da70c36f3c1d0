//! Rendering a stack's values, resources, parameters and exports as
//! CloudFormation JSON, into any [`Sink`]: pretty text written directly, or
//! a tree for the app's rules.

use crate::fasthash::FastMap;
use formwork_kernels::push_sub_literal;

use indexmap::IndexMap;

use crate::expr::{Expr, Intrinsic, StackId, SubPart, Target, plain_sub};
use crate::resource::ResourceEntry;
use crate::template_parts::Parameter;
use crate::value::Value;

use super::PATH_METADATA;
use super::overrides::Props;
use super::refs::{ExportInfo, ExportKey};
use super::sink::Sink;
use super::value_tree::ValueBuilder;
use super::view::StackView;

/// Renders the values of one stack (`me`) of the app.
pub(crate) struct Renderer<'a> {
    pub(crate) me: usize,
    pub(crate) views: &'a [StackView<'a>],
    pub(crate) positions: &'a FastMap<StackId, usize>,
    pub(crate) exports: &'a [IndexMap<ExportKey, ExportInfo>],
}

/// A variable of a rendered `Fn::Sub`: a value of its map, or an import of
/// another stack's export.
enum SubVar<'v> {
    Value(&'v Value),
    Import(usize, ExportKey),
}

impl Renderer<'_> {
    /// The logical id of a target, when it is in this stack; else the
    /// producer stack and the export key. A target analysis refused (another
    /// app's stack, an index past the end) renders as a placeholder: synth
    /// fails with the error analysis reported.
    fn local_id<'t>(&'t self, t: &'t Target) -> Result<&'t str, (usize, ExportKey)> {
        let stack = match t {
            Target::Named(n) => return Ok(n),
            Target::Resource { stack, .. } | Target::Parameter { stack, .. } => stack,
        };
        let cross = |p| {
            Err((
                p,
                ExportKey {
                    target: t.clone(),
                    attribute: None,
                },
            ))
        };
        match (t, self.positions.get(stack).copied()) {
            (Target::Parameter { name, .. }, Some(p)) if p == self.me => Ok(name),
            (Target::Parameter { name, .. }, None) => Ok(name),
            (Target::Resource { index, .. }, Some(p)) if p == self.me => Ok(self.views[p]
                .data
                .resources
                .get(*index as usize)
                .map_or("Invalid", |e| e.logical_id.as_str())),
            (Target::Resource { .. }, None) => Ok("Invalid"),
            (_, Some(p)) => cross(p),
            (Target::Named(_), None) => Ok("Invalid"),
        }
    }

    fn import(&self, producer: usize, key: &ExportKey) -> Option<&ExportInfo> {
        self.exports[producer].get(key)
    }

    fn write_import<S: Sink>(&self, producer: usize, key: &ExportKey, s: &mut S) {
        match self.import(producer, key) {
            Some(info) => {
                s.begin_object();
                s.str_entry("Fn::ImportValue", &info.export_name);
                s.end_object();
            }
            // Analysis refused the reference (another environment) and
            // reported it; synth fails before this output is used.
            None => s.null(),
        }
    }

    /// A value rendered into a plain tree (for the few checks that read a
    /// rendered property).
    pub(crate) fn tree(&self, v: &Value) -> Value {
        let mut t = ValueBuilder::default();
        self.value(v, &mut t);
        t.finish()
    }

    /// Writes a value; intrinsic functions as CloudFormation spells them,
    /// references to other stacks as imports of their exports.
    pub(crate) fn value<S: Sink>(&self, v: &Value, s: &mut S) {
        match v {
            Value::Null => s.null(),
            Value::Bool(b) => s.bool(*b),
            Value::Int(i) => s.int(*i),
            Value::Float(f) => s.float(*f),
            Value::String(x) => s.string(x),
            Value::List(l) => {
                s.begin_array();
                for item in l {
                    self.value(item, s);
                }
                s.end_array();
            }
            Value::Map(m) => {
                s.begin_object();
                for (k, item) in m {
                    s.key(k);
                    self.value(item, s);
                }
                s.end_object();
            }
            Value::Expr(e) => self.expr(e, s),
            Value::Unchecked(v) => self.value(v, s),
        }
    }

    /// `{"<name>": [<args>]}`.
    fn call<S: Sink>(&self, s: &mut S, name: &str, args: impl FnOnce(&mut S)) {
        s.begin_object();
        s.key(name);
        s.begin_array();
        args(s);
        s.end_array();
        s.end_object();
    }

    /// `{"<name>": <value>}`.
    fn single<S: Sink>(&self, s: &mut S, name: &str, v: &Value) {
        s.begin_object();
        s.key(name);
        self.value(v, s);
        s.end_object();
    }

    fn expr<S: Sink>(&self, e: &Expr, s: &mut S) {
        match e.intrinsic() {
            Intrinsic::Ref(t) => match self.local_id(t) {
                Ok(id) => {
                    s.begin_object();
                    s.str_entry("Ref", id);
                    s.end_object();
                }
                Err((p, key)) => self.write_import(p, &key, s),
            },
            Intrinsic::Pseudo(p) => {
                s.begin_object();
                s.str_entry("Ref", p.name());
                s.end_object();
            }
            Intrinsic::GetAtt(t, a) => match self.local_id(t) {
                Ok(id) => self.call(s, "Fn::GetAtt", |s| {
                    s.string(id);
                    s.string(a);
                }),
                Err((p, mut key)) => {
                    key.attribute = Some(a.clone());
                    self.write_import(p, &key, s);
                }
            },
            Intrinsic::Sub(parts, vars) => self.sub(parts, vars, s),
            Intrinsic::Join(d, l) => self.call(s, "Fn::Join", |s| {
                s.string(d);
                self.value(l, s);
            }),
            Intrinsic::Select(i, l) => self.call(s, "Fn::Select", |s| {
                self.value(i, s);
                self.value(l, s);
            }),
            Intrinsic::Split(d, x) => self.call(s, "Fn::Split", |s| {
                s.string(d);
                self.value(x, s);
            }),
            Intrinsic::If(c, a, b) => self.call(s, "Fn::If", |s| {
                s.string(c);
                self.value(a, s);
                self.value(b, s);
            }),
            Intrinsic::Equals(a, b) => self.call(s, "Fn::Equals", |s| {
                self.value(a, s);
                self.value(b, s);
            }),
            Intrinsic::And(l) => {
                self.call(s, "Fn::And", |s| l.iter().for_each(|v| self.value(v, s)))
            }
            Intrinsic::Or(l) => self.call(s, "Fn::Or", |s| l.iter().for_each(|v| self.value(v, s))),
            Intrinsic::Not(c) => self.call(s, "Fn::Not", |s| self.value(c, s)),
            Intrinsic::Condition(c) => {
                s.begin_object();
                s.str_entry("Condition", c);
                s.end_object();
            }
            Intrinsic::FindInMap(m, a, b) => self.call(s, "Fn::FindInMap", |s| {
                s.string(m);
                self.value(a, s);
                self.value(b, s);
            }),
            Intrinsic::ImportValue(n) => self.single(s, "Fn::ImportValue", n),
            Intrinsic::GetAzs(r) => self.single(s, "Fn::GetAZs", r),
            Intrinsic::Base64(x) => self.single(s, "Fn::Base64", x),
            Intrinsic::Cidr(a, b, c) => self.call(s, "Fn::Cidr", |s| {
                self.value(a, s);
                self.value(b, s);
                self.value(c, s);
            }),
        }
    }

    fn sub<S: Sink>(&self, parts: &[SubPart], vars: &IndexMap<String, Value>, s: &mut S) {
        if let Some(text) = plain_sub(parts) {
            // A Sub without variables is a plain string (cfn-lint W1020).
            s.string(&text);
            return;
        }
        let mut template = String::new();
        // The map's variables, then the imports, an import replacing a
        // variable of its name in place.
        let mut out_vars: Vec<(String, SubVar<'_>)> = vars
            .iter()
            .map(|(k, x)| (k.clone(), SubVar::Value(x)))
            .collect();
        // A literal `$` ending one piece of text and a `{` starting the next
        // make a `${` too: escaped as well.
        let mut dollar = false;
        for part in parts {
            if let SubPart::Text(t) = part {
                dollar = push_sub_literal(&mut template, t, dollar);
                continue;
            }
            dollar = false;
            match part {
                SubPart::Text(_) => {}
                SubPart::Pseudo(p) => push_var(&mut template, p.name(), None),
                SubPart::Var(n) => push_var(&mut template, n, None),
                SubPart::Ref(t) | SubPart::GetAtt(t, _) => {
                    let attr = match part {
                        SubPart::GetAtt(_, a) => Some(a),
                        _ => None,
                    };
                    match self.local_id(t) {
                        Ok(id) => push_var(&mut template, id, attr.map(String::as_str)),
                        Err((p, mut key)) => {
                            key.attribute = attr.cloned();
                            let name = self
                                .import(p, &key)
                                .map_or_else(|| "Import".to_owned(), |i| i.output_id.clone());
                            push_var(&mut template, &name, None);
                            let var = SubVar::Import(p, key);
                            match out_vars.iter_mut().find(|(n, _)| *n == name) {
                                Some(slot) => slot.1 = var,
                                None => out_vars.push((name, var)),
                            }
                        }
                    }
                }
            }
        }
        s.begin_object();
        s.key("Fn::Sub");
        if out_vars.is_empty() {
            s.string(&template);
        } else {
            s.begin_array();
            s.string(&template);
            s.begin_object();
            for (name, var) in &out_vars {
                s.key(name);
                match var {
                    SubVar::Value(v) => self.value(v, s),
                    SubVar::Import(p, key) => self.write_import(*p, key, s),
                }
            }
            s.end_object();
            s.end_array();
        }
        s.end_object();
    }

    /// Writes one resource: `Type`, `Condition`, `DependsOn`, `Properties`
    /// (`props`: its values with overrides applied and the stack's tags
    /// merged), `Metadata` (the construct path first), the policies.
    pub(crate) fn resource<S: Sink>(
        &self,
        entry: &ResourceEntry,
        props: &Props<'_>,
        path: &str,
        s: &mut S,
    ) {
        self.resource_with_metadata(entry, props, path, None, s);
    }

    /// [`Renderer::resource`], with `metadata` (when given) written as the
    /// resource's `Metadata` in place of [`Renderer::metadata`]'s.
    pub(crate) fn resource_with_metadata<S: Sink>(
        &self,
        entry: &ResourceEntry,
        props: &Props<'_>,
        path: &str,
        metadata: Option<&Value>,
        s: &mut S,
    ) {
        s.begin_object();
        s.str_entry("Type", entry.spec.type_name);
        if let Some(c) = &entry.condition {
            s.str_entry("Condition", c);
        }
        let mut depends = entry
            .depends_on
            .iter()
            .filter_map(|t| self.local_id(t).ok())
            .peekable();
        if depends.peek().is_some() {
            s.key("DependsOn");
            s.begin_array();
            depends.for_each(|id| s.string(id));
            s.end_array();
        }
        if !props.is_empty() {
            s.key("Properties");
            s.begin_object();
            for (k, v) in props.iter() {
                s.key(k);
                self.value(v, s);
            }
            s.end_object();
        }
        s.key("Metadata");
        match metadata {
            Some(m) => self.value(m, s),
            None => self.metadata(entry, path, s),
        }
        if let Some(p) = entry.deletion_policy {
            s.str_entry("DeletionPolicy", p.as_str());
        }
        if let Some(p) = entry.update_replace_policy {
            s.str_entry("UpdateReplacePolicy", p.as_str());
        }
        s.end_object();
    }

    /// A resource's `Metadata` object: the construct path, so that a diff
    /// against a deployed template can name the construct of a resource
    /// this synth no longer has (metadata set under the same key replaces
    /// it in place), then the metadata set on the resource.
    pub(crate) fn metadata<S: Sink>(&self, entry: &ResourceEntry, path: &str, s: &mut S) {
        s.begin_object();
        s.key(PATH_METADATA);
        match entry.metadata.get(PATH_METADATA) {
            Some(v) => self.value(v, s),
            None => s.string(path),
        }
        for (k, v) in entry.metadata.iter().filter(|(k, _)| *k != PATH_METADATA) {
            s.key(k);
            self.value(v, s);
        }
        s.end_object();
    }

    pub(crate) fn parameter<S: Sink>(&self, p: &Parameter, s: &mut S) {
        s.begin_object();
        s.str_entry("Type", p.ty.as_str());
        if let Some(d) = &p.default {
            s.key("Default");
            self.value(d, s);
        }
        if let Some(d) = &p.description {
            s.str_entry("Description", d);
        }
        if p.no_echo {
            s.key("NoEcho");
            s.bool(true);
        }
        if !p.allowed_values.is_empty() {
            s.key("AllowedValues");
            s.begin_array();
            p.allowed_values.iter().for_each(|v| self.value(v, s));
            s.end_array();
        }
        if let Some(x) = &p.allowed_pattern {
            s.str_entry("AllowedPattern", x);
        }
        let int_or_float = |s: &mut S, x: f64| {
            if x.fract() == 0.0 && x.abs() < 1e15 {
                s.int(x as i64);
            } else {
                s.float(x);
            }
        };
        if let Some(x) = p.min_length {
            s.key("MinLength");
            s.number(&x.into());
        }
        if let Some(x) = p.max_length {
            s.key("MaxLength");
            s.number(&x.into());
        }
        if let Some(x) = p.min_value {
            s.key("MinValue");
            int_or_float(s, x);
        }
        if let Some(x) = p.max_value {
            s.key("MaxValue");
            int_or_float(s, x);
        }
        if let Some(x) = &p.constraint_description {
            s.str_entry("ConstraintDescription", x);
        }
        s.end_object();
    }

    /// The output that exports a value of this stack for another stack.
    pub(crate) fn export_output<S: Sink>(&self, key: &ExportKey, info: &ExportInfo, s: &mut S) {
        s.begin_object();
        s.str_entry(
            "Description",
            &format!("Exported for a stack of this app: {}", info.export_name),
        );
        s.key("Value");
        match (&key.attribute, self.local_id(&key.target)) {
            (None, Ok(id)) => {
                s.begin_object();
                s.str_entry("Ref", id);
                s.end_object();
            }
            (Some(a), Ok(id)) => self.call(s, "Fn::GetAtt", |s| {
                s.string(id);
                s.string(a);
            }),
            (_, Err(_)) => s.null(),
        }
        s.key("Export");
        s.begin_object();
        s.str_entry("Name", &info.export_name);
        s.end_object();
        s.end_object();
    }
}

/// `${name}` or `${name.attribute}` into a Sub template.
fn push_var(template: &mut String, name: &str, attribute: Option<&str>) {
    template.push_str("${");
    template.push_str(name);
    if let Some(a) = attribute {
        template.push('.');
        template.push_str(a);
    }
    template.push('}');
}
