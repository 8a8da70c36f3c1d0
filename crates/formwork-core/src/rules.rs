//! Rules: checks of synthesized templates that anyone can write, run at
//! synth over every template (like the CDK's aspects), and suppressions.
//!
//! A [`Rule`] visits each template, resource and parameter as CloudFormation
//! JSON, with the construct path of each, and reports [`Diagnostic`]s:
//! errors fail synth, warnings print. The JSON is a plain [`Value`] tree, as
//! the template is written: an intrinsic function is the object
//! CloudFormation reads (`{"Ref": "Bucket"}`), never a [`Value::Expr`]. An
//! app runs the rules added to it ([`App::add_rule`](crate::App::add_rule));
//! the `formwork` crate adds its security rule pack to every app it makes.
//!
//! A finding can be suppressed on one construct, with a reason:
//! [`ResourceRef::suppress`](crate::ResourceRef::suppress) or
//! [`Scope::suppress`](crate::Scope::suppress). The suppression covers the
//! construct and everything inside it, and the reason is written into the
//! template's metadata (`Metadata.formwork.suppressed`), with
//! `Metadata.checkov.skip` for the checkov checks the rule stands for. An id
//! that starts with `CKV` suppresses that checkov check directly (on the
//! resource itself when made on a resource, on every resource inside a
//! scope when made on a scope). Errors of the engine (what CloudFormation
//! would refuse) cannot be suppressed.
//!
//! ```
//! use formwork::rules::{Findings, ResourceView, Rule};
//! use formwork::ssm::{CfnParameter, parameter::Type};
//! use formwork::{App, Diagnostic};
//!
//! /// Every SSM parameter needs a description.
//! struct Described;
//! impl Rule for Described {
//!     fn visit_resource(&self, r: &ResourceView<'_>, findings: &mut Findings) {
//!         if r.type_name() == "AWS::SSM::Parameter" && r.property("Description").is_none() {
//!             findings.report(Diagnostic::warning("FW9001", r.path(), "no description"));
//!         }
//!     }
//! }
//!
//! let app = App::new();
//! app.add_rule(Described);
//! let stack = app.stack("Demo")?;
//! let quiet = stack.add("Quiet", CfnParameter::new().type_(Type::String).value("on"))?;
//! stack.add("Loud", CfnParameter::new().type_(Type::String).value("on"))?;
//! quiet.suppress("FW9001", "read by a tool that needs no description");
//! let asm = app.synth()?;
//! assert_eq!(asm.warnings.with_code("FW9001").count(), 1);
//! let t = asm.template_json("Demo").ok_or("no template")?;
//! assert_eq!(
//!     t["Resources"]["Quiet"]["Metadata"]["formwork"]["suppressed"][0]["reason"],
//!     "read by a tool that needs no description"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::cell::OnceCell;
use std::collections::HashMap;
use std::fmt;

use crate::Value;
use crate::diag::Diagnostic;

/// A check of synthesized templates. Every method has an empty default:
/// implement the visits the rule needs.
pub trait Rule {
    /// Visits a template once, before its resources.
    fn visit_template(&self, _template: &TemplateView<'_>, _findings: &mut Findings) {}
    /// Visits each resource.
    fn visit_resource(&self, _resource: &ResourceView<'_>, _findings: &mut Findings) {}
    /// Visits each parameter.
    fn visit_parameter(&self, _parameter: &ParameterView<'_>, _findings: &mut Findings) {}
    /// The checkov checks a finding of `code` on a resource of
    /// `resource_type` stands for: written as `Metadata.checkov.skip` when
    /// the finding is suppressed.
    fn checkov(&self, _code: &str, _resource_type: &str) -> &'static [&'static str] {
        &[]
    }
}

/// What the rules report, each finding attached to the resource it is about.
#[derive(Debug, Default)]
pub struct Findings {
    pub(crate) items: Vec<(Option<String>, Diagnostic)>,
    pub(crate) current: Option<String>,
}

impl Findings {
    /// Reports a finding about the resource being visited (or the template).
    pub fn report(&mut self, d: Diagnostic) {
        self.items.push((self.current.clone(), d));
    }

    /// The resource visited next (its logical id copied into the buffer
    /// of the one before: a visit costs no allocation).
    pub(crate) fn visiting(&mut self, logical_id: &str) {
        match &mut self.current {
            Some(c) => {
                c.clear();
                c.push_str(logical_id);
            }
            None => self.current = Some(logical_id.to_owned()),
        }
    }

    /// Reports a finding about another resource of the template, by logical id.
    pub fn report_on(&mut self, logical_id: &str, d: Diagnostic) {
        self.items.push((Some(logical_id.to_owned()), d));
    }
}

/// A synthesized template, with the construct path of each resource.
///
/// At synth a resource's JSON is rendered when a rule first reads it
/// ([`ResourceView::json`], [`ResourceView::property`]): the type alone
/// ([`ResourceView::type_name`]) needs no rendering, so a rule that looks
/// at a few types costs nothing on the others.
pub struct TemplateView<'a> {
    pub(crate) stack: &'a str,
    pub(crate) region: Option<&'a str>,
    pub(crate) source: Source<'a>,
    /// Logical id → construct path (a template given; at synth the
    /// template knows its paths).
    pub(crate) paths: Option<&'a HashMap<String, String>>,
}

/// Where a template's JSON comes from.
pub(crate) enum Source<'a> {
    /// A whole template, given.
    Given(&'a Value),
    /// A template being synthesized: each resource rendered when read.
    Lazy {
        template: &'a dyn LazyTemplate,
        /// The rendered resources, by index.
        resources: Vec<OnceCell<Value>>,
        /// Top-level properties rendered one at a time (what
        /// [`ResourceView::property`] reads), by resource and position.
        properties: Vec<OnceCell<Vec<OnceCell<Value>>>>,
        /// The `Parameters` section (small: rendered up front).
        parameters: Value,
        /// The whole template, when a rule asks for it.
        whole: OnceCell<Value>,
    },
}

/// A template that renders its parts on demand (synth's side of
/// [`Source::Lazy`]).
pub(crate) trait LazyTemplate {
    /// The number of resources.
    fn resource_count(&self) -> usize;
    /// The logical id of resource `i`.
    fn logical_id(&self, i: usize) -> &str;
    /// The resource type of resource `i`, as written in its `Type`.
    fn type_name(&self, i: usize) -> &str;
    /// The construct path of resource `i` (`Stack/Api/Handler`).
    fn path(&self, i: usize) -> String;
    /// The index of a resource by logical id.
    fn index_of(&self, logical_id: &str) -> Option<usize>;
    /// Resource `i` as JSON (`Type`, `Properties`, ...).
    fn resource(&self, i: usize) -> Value;
    /// The number of top-level properties resource `i` has.
    fn property_count(&self, i: usize) -> usize;
    /// The position of resource `i`'s top-level property `name`.
    fn property_index(&self, i: usize, name: &str) -> Option<usize>;
    /// Resource `i`'s top-level property at position `k`, as JSON: what
    /// `Properties.<name>` of [`LazyTemplate::resource`] holds.
    fn property(&self, i: usize, k: usize) -> Value;
    /// Resource `i`'s top-level property at position `k` as synth holds
    /// it, before rendering (intrinsics are [`Value::Expr`]): its parts
    /// without intrinsics are what [`LazyTemplate::property`] renders.
    fn source_property(&self, i: usize, k: usize) -> Option<&Value>;
    /// Resource `i`'s `DeletionPolicy` and `UpdateReplacePolicy`.
    fn policies(&self, i: usize) -> (Option<&str>, Option<&str>);
    /// The `Parameters` section (an empty object when there is none).
    fn parameters(&self) -> Value;
    /// The whole template as JSON.
    fn whole(&self) -> Value;
}

impl fmt::Debug for TemplateView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TemplateView")
            .field("stack", &self.stack)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl<'a> TemplateView<'a> {
    /// A view of a template's JSON, to run rules on outside synth (a rule's
    /// tests; `Value::from(json)` converts a `serde_json` tree): `paths`
    /// maps logical ids to construct paths; the others are named
    /// `<stack>/<logical id>`.
    pub fn new(
        stack: &'a str,
        region: Option<&'a str>,
        template: &'a Value,
        paths: &'a HashMap<String, String>,
    ) -> TemplateView<'a> {
        TemplateView {
            stack,
            region,
            source: Source::Given(template),
            paths: Some(paths),
        }
    }

    /// A view of a template being synthesized.
    pub(crate) fn lazy(
        stack: &'a str,
        region: Option<&'a str>,
        template: &'a dyn LazyTemplate,
    ) -> TemplateView<'a> {
        TemplateView {
            stack,
            region,
            source: Source::Lazy {
                template,
                resources: empty_cells(template.resource_count()),
                properties: empty_cells(template.resource_count()),
                parameters: template.parameters(),
                whole: OnceCell::new(),
            },
            paths: None,
        }
    }

    /// Runs a rule over the template as synth does (every visit), and
    /// returns its findings, before any suppression.
    pub fn check(&self, rule: &dyn Rule) -> Vec<Diagnostic> {
        let mut f = Findings::default();
        rule.visit_template(self, &mut f);
        self.for_each_resource(|r| {
            f.visiting(r.logical_id);
            rule.visit_resource(&r, &mut f);
        });
        f.current = None;
        for p in self.parameters() {
            rule.visit_parameter(&p, &mut f);
        }
        f.items.into_iter().map(|(_, d)| d).collect()
    }

    /// The stack name.
    pub fn stack(&self) -> &str {
        self.stack
    }

    /// The region the stack deploys to, when known.
    pub fn region(&self) -> Option<&str> {
        self.region
    }

    /// The whole template (at synth, rendered on the first call).
    pub fn json(&self) -> &Value {
        match &self.source {
            Source::Given(t) => t,
            Source::Lazy {
                template, whole, ..
            } => whole.get_or_init(|| template.whole()),
        }
    }

    /// The construct path of a logical id (the stack name and the id when it
    /// is not a resource of the app, an export output say).
    pub fn path_of(&self, logical_id: &str) -> String {
        let known = match (&self.source, self.paths) {
            (Source::Lazy { template, .. }, _) => {
                template.index_of(logical_id).map(|i| template.path(i))
            }
            (_, Some(paths)) => paths.get(logical_id).cloned(),
            _ => None,
        };
        known.unwrap_or_else(|| format!("{}/{logical_id}", self.stack))
    }

    /// A resource by logical id.
    pub fn resource(&self, logical_id: &str) -> Option<ResourceView<'_>> {
        match &self.source {
            Source::Given(t) => {
                let (logical_id, json) = t.get("Resources")?.as_map()?.get_key_value(logical_id)?;
                Some(ResourceView {
                    template: self,
                    logical_id,
                    json: Part::Ready(json),
                })
            }
            Source::Lazy { template, .. } => {
                let i = template.index_of(logical_id)?;
                Some(ResourceView {
                    template: self,
                    logical_id: template.logical_id(i),
                    json: Part::Index(i),
                })
            }
        }
    }

    /// Every resource, in template order.
    pub fn resources(&'a self) -> impl Iterator<Item = ResourceView<'a>> + 'a {
        let (given, lazy) = match &self.source {
            Source::Given(t) => (t.get("Resources").and_then(Value::as_map), None),
            Source::Lazy { template, .. } => (None, Some(*template)),
        };
        let given = given
            .into_iter()
            .flatten()
            .map(move |(id, json)| ResourceView {
                template: self,
                logical_id: id,
                json: Part::Ready(json),
            });
        let lazy = lazy.into_iter().flat_map(move |t| {
            (0..t.resource_count()).map(move |i| ResourceView {
                template: self,
                logical_id: t.logical_id(i),
                json: Part::Index(i),
            })
        });
        given.chain(lazy)
    }

    /// Calls `f` with every resource, in template order (plain loops: the
    /// iterator of [`TemplateView::resources`] costs a few hundred
    /// instructions a resource in a debug build).
    pub(crate) fn for_each_resource(&'a self, mut f: impl FnMut(ResourceView<'a>)) {
        match &self.source {
            Source::Given(t) => {
                let Some(m) = t.get("Resources").and_then(Value::as_map) else {
                    return;
                };
                let mut k = 0;
                while let Some((id, json)) = m.get_index(k) {
                    f(ResourceView {
                        template: self,
                        logical_id: id,
                        json: Part::Ready(json),
                    });
                    k += 1;
                }
            }
            Source::Lazy { template, .. } => {
                let template: &'a dyn LazyTemplate = *template;
                for i in 0..template.resource_count() {
                    f(ResourceView {
                        template: self,
                        logical_id: template.logical_id(i),
                        json: Part::Index(i),
                    });
                }
            }
        }
    }

    /// Every parameter, in template order.
    pub fn parameters(&'a self) -> impl Iterator<Item = ParameterView<'a>> + 'a {
        let section = match &self.source {
            Source::Given(t) => t.get("Parameters"),
            Source::Lazy { parameters, .. } => Some(parameters),
        };
        section
            .and_then(Value::as_map)
            .into_iter()
            .flatten()
            .map(move |(name, json)| ParameterView {
                template: self,
                name,
                json,
            })
    }

    /// The resources of a lazy template that were rendered, by index.
    pub(crate) fn into_read(self) -> Vec<Option<Value>> {
        match self.source {
            Source::Lazy { resources, .. } => {
                resources.into_iter().map(OnceCell::into_inner).collect()
            }
            Source::Given(_) => Vec::new(),
        }
    }

    /// The value at `path` in resource `i`'s properties of a lazy
    /// template, read from the properties as synth holds them (unchecked
    /// wrappers seen through): what [`ResourceView::held`] and
    /// [`TemplateView::literal_property`] both walk.
    fn held_at(&self, i: usize, path: &str) -> Held<'a> {
        let Source::Lazy { template, .. } = &self.source else {
            return Held::Unknown;
        };
        let template: &'a dyn LazyTemplate = *template;
        let (first, mut rest) = split_segment(path);
        let Some(k) = template.property_index(i, first) else {
            return Held::Missing;
        };
        let Some(mut node) = template.source_property(i, k) else {
            return Held::Unknown;
        };
        node = unchecked_inner(node);
        while let Some(r) = rest {
            let (seg, next) = split_segment(r);
            rest = next;
            let next = match node {
                Value::Map(m) => m.get(seg),
                Value::List(items) => seg.parse::<usize>().ok().and_then(|n| items.get(n)),
                Value::Expr(_) => return Held::Intrinsic,
                _ => None,
            };
            match next {
                Some(v) => node = unchecked_inner(v),
                None => return Held::Missing,
            }
        }
        Held::At(node)
    }

    /// The value at `path` in resource `i`'s properties of a lazy
    /// template, without rendering: the value itself when it holds no
    /// intrinsic (rendering would copy it as it is), [`Lookup::Missing`]
    /// when the path leads nowhere, and [`Lookup::Render`] when an
    /// intrinsic is on the way or inside.
    fn literal_property(&self, i: usize, path: &str) -> Lookup<'a> {
        match self.held_at(i, path) {
            Held::At(node) if plain(node) => Lookup::Found(node),
            Held::Missing => Lookup::Missing,
            Held::At(_) | Held::Intrinsic | Held::Unknown => Lookup::Render,
        }
    }

    /// Top-level property `name` of resource `i` of a lazy template:
    /// from the resource when it is rendered already, else rendered alone
    /// on the first call.
    fn rendered_property(&self, i: usize, name: &str) -> Option<&Value> {
        match &self.source {
            Source::Lazy {
                template,
                resources,
                properties,
                ..
            } => {
                if let Some(whole) = resources.get(i).and_then(OnceCell::get) {
                    return whole.get("Properties")?.get(name);
                }
                let k = template.property_index(i, name)?;
                let cells = properties.get(i)?.get_or_init(|| {
                    (0..template.property_count(i))
                        .map(|_| OnceCell::new())
                        .collect()
                });
                Some(cells.get(k)?.get_or_init(|| template.property(i, k)))
            }
            Source::Given(_) => None,
        }
    }

    /// Resource `i` of a lazy template, rendered on the first call.
    fn rendered(&self, i: usize) -> &Value {
        match &self.source {
            Source::Lazy {
                template,
                resources,
                ..
            } => match resources.get(i) {
                Some(cell) => cell.get_or_init(|| template.resource(i)),
                None => &NULL,
            },
            Source::Given(_) => &NULL,
        }
    }
}

static NULL: Value = Value::Null;

/// `n` empty cells.
fn empty_cells<T>(n: usize) -> Vec<OnceCell<T>> {
    let mut cells = Vec::with_capacity(n);
    for _ in 0..n {
        cells.push(OnceCell::new());
    }
    cells
}

/// What [`TemplateView::held_at`] found.
enum Held<'a> {
    /// The value as synth holds it.
    At(&'a Value),
    /// Nothing at the path.
    Missing,
    /// An intrinsic function on the way.
    Intrinsic,
    /// Not a template being synthesized, or a property synth does not hold.
    Unknown,
}

/// What [`TemplateView::literal_property`] found.
enum Lookup<'a> {
    /// The value, as rendering would give it.
    Found(&'a Value),
    /// Nothing at the path.
    Missing,
    /// Only a rendering tells.
    Render,
}

/// The first segment of a dotted path, and the rest after the dot (a plain
/// loop: `split('.')` costs a few hundred instructions a segment in a
/// debug build).
fn split_segment(path: &str) -> (&str, Option<&str>) {
    let mut rest = path.as_bytes();
    let mut at = 0;
    while let [c, tail @ ..] = rest {
        if *c == b'.' {
            return (&path[..at], Some(&path[at + 1..]));
        }
        at += 1;
        rest = tail;
    }
    (path, None)
}

/// The value an [`Value::Unchecked`] wraps (at any depth): what it renders as.
fn unchecked_inner(mut v: &Value) -> &Value {
    while let Value::Unchecked(inner) = v {
        v = inner;
    }
    v
}

/// True when rendering `v` gives `v` itself: no intrinsic, no unchecked
/// wrapper, no number that is not finite (rendered as `null`).
fn plain(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::String(_) => true,
        Value::Float(f) => f.is_finite(),
        Value::List(items) => {
            let mut rest = items.as_slice();
            while let [x, tail @ ..] = rest {
                if !plain(x) {
                    return false;
                }
                rest = tail;
            }
            true
        }
        Value::Map(m) => {
            let mut k = 0;
            while let Some((_, x)) = m.get_index(k) {
                if !plain(x) {
                    return false;
                }
                k += 1;
            }
            true
        }
        Value::Expr(_) | Value::Unchecked(_) => false,
    }
}

/// A resource's JSON: given, or the index of a resource rendered when read.
#[derive(Debug, Clone, Copy)]
enum Part<'a> {
    Ready(&'a Value),
    Index(usize),
}

/// One resource of a synthesized template.
#[derive(Debug, Clone, Copy)]
pub struct ResourceView<'a> {
    /// The template it is in.
    pub template: &'a TemplateView<'a>,
    /// Its logical id.
    pub logical_id: &'a str,
    json: Part<'a>,
}

impl<'a> ResourceView<'a> {
    /// The construct path (`Stack/Api/Handler`).
    pub fn path(&self) -> String {
        self.template.path_of(self.logical_id)
    }

    /// Its JSON (`Type`, `Properties`, `DeletionPolicy`, ...).
    pub fn json(&self) -> &'a Value {
        match self.json {
            Part::Ready(j) => j,
            Part::Index(i) => self.template.rendered(i),
        }
    }

    /// The resource type (`AWS::S3::Bucket`).
    pub fn type_name(&self) -> &'a str {
        match (self.json, &self.template.source) {
            (Part::Index(i), Source::Lazy { template, .. }) => template.type_name(i),
            _ => self
                .json()
                .get("Type")
                .and_then(Value::as_str)
                .unwrap_or(""),
        }
    }

    /// A property by a dotted path (`VersioningConfiguration.Status`; digits
    /// index lists).
    ///
    /// At synth, only the top-level property the path starts with is
    /// rendered (once), not the whole resource.
    pub fn property(&self, path: &str) -> Option<&'a Value> {
        let mut segs = path.split('.');
        let first = segs.next()?;
        let mut node = match self.json {
            Part::Ready(j) => j.get("Properties")?.get(first)?,
            Part::Index(i) => match self.template.literal_property(i, path) {
                Lookup::Found(v) => return Some(v),
                Lookup::Missing => return None,
                Lookup::Render => self.template.rendered_property(i, first)?,
            },
        };
        for seg in segs {
            node = match node {
                Value::List(items) => items.get(seg.parse::<usize>().ok()?)?,
                other => other.get(seg)?,
            };
        }
        Some(node)
    }

    /// A property by a dotted path as synth holds it, read without
    /// rendering or copying anything: literals as they will be written,
    /// intrinsic functions as [`Value::Expr`] (and values validation passes
    /// over as [`Value::Unchecked`], which [`Value::get`] and
    /// [`Value::literal_str`] see through; a number that is not finite is
    /// written as `null`). Compare strings with
    /// [`Value::literal_str`]: an `Fn::Sub` without variables is written as
    /// a plain string.
    ///
    /// `None` when nothing is at the path, or when an intrinsic function
    /// stands on the way (there, [`ResourceView::property`] walks into its
    /// rendered JSON; a rule that reads literals alone finds none in it).
    /// For a template given as JSON, the same as
    /// [`ResourceView::property`].
    ///
    /// Use it where a rule looks for literal values (an action, a `"*"`,
    /// an environment variable's text) in properties that also hold
    /// references: `property` renders such a property first.
    ///
    /// ```
    /// use formwork::rules::{Findings, ResourceView, Rule};
    /// use formwork::{App, Fn, Value};
    /// use formwork::ssm::{CfnParameter, parameter::Type};
    /// struct Reads;
    /// impl Rule for Reads {
    ///     fn visit_resource(&self, r: &ResourceView<'_>, _: &mut Findings) {
    ///         let value = r.held("Value").expect("set");
    ///         assert!(matches!(value, Value::Expr(_)));
    ///         assert_eq!(value.literal_str(), None);
    ///         assert_eq!(r.held("Type").and_then(Value::literal_str).as_deref(), Some("String"));
    ///         assert!(r.held("Value.Fn::Sub").is_none());
    ///         assert!(r.property("Value.Fn::Sub").is_some());
    ///     }
    /// }
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// stack.add("P", CfnParameter::new().type_(Type::String).value(Fn::sub("${AWS::Region}-x")))?;
    /// app.add_rule(Reads);
    /// app.synth()?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn held(&self, path: &str) -> Option<&'a Value> {
        match self.json {
            Part::Ready(_) => self.property(path),
            Part::Index(i) => match self.template.held_at(i, path) {
                Held::At(node) => Some(node),
                Held::Missing | Held::Intrinsic | Held::Unknown => None,
            },
        }
    }

    /// `DeletionPolicy`, when set.
    pub fn deletion_policy(&self) -> Option<&'a str> {
        match self.lazy_policies() {
            Some((deletion, _)) => deletion,
            None => self.json().get("DeletionPolicy").and_then(Value::as_str),
        }
    }

    /// `UpdateReplacePolicy`, when set.
    pub fn update_replace_policy(&self) -> Option<&'a str> {
        match self.lazy_policies() {
            Some((_, replace)) => replace,
            None => self
                .json()
                .get("UpdateReplacePolicy")
                .and_then(Value::as_str),
        }
    }

    /// Both policies of a resource being synthesized, read without
    /// rendering it.
    fn lazy_policies(&self) -> Option<(Option<&'a str>, Option<&'a str>)> {
        match (self.json, &self.template.source) {
            (Part::Index(i), Source::Lazy { template, .. }) => Some(template.policies(i)),
            _ => None,
        }
    }
}

/// One parameter of a synthesized template.
#[derive(Debug, Clone, Copy)]
pub struct ParameterView<'a> {
    /// The template it is in.
    pub template: &'a TemplateView<'a>,
    /// Its logical id.
    pub name: &'a str,
    /// Its JSON (`Type`, `Default`, `NoEcho`, ...).
    pub json: &'a Value,
}

impl<'a> ParameterView<'a> {
    /// The path diagnostics name it by (`Stack/Name (parameter)`).
    pub fn path(&self) -> String {
        format!("{}/{} (parameter)", self.template.stack, self.name)
    }

    /// A field (`Type`, `Default`, `NoEcho`, ...).
    pub fn field(&self, name: &str) -> Option<&'a Value> {
        self.json.get(name)
    }
}

/// A suppression: a finding id not to report on a construct and below it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Suppression {
    /// The construct path below the stack (empty: the whole stack).
    pub(crate) path: String,
    pub(crate) id: String,
    pub(crate) reason: String,
    /// Made on a resource: a checkov id then goes on that resource alone.
    pub(crate) on_resource: bool,
}

impl Suppression {
    /// True when the suppression covers the construct at `path` (below the stack).
    pub(crate) fn covers(&self, path: &str) -> bool {
        self.path.is_empty()
            || path == self.path
            || path
                .strip_prefix(self.path.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }

    /// True for a checkov check id.
    pub(crate) fn is_checkov(&self) -> bool {
        self.id.starts_with("CKV")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Expr, Fn};
    use crate::test_rng::Rng;
    use crate::testing::CfnThing;
    use std::cell::RefCell;
    use std::rc::Rc;

    const KEYS: &[&str] = &["A", "B", "Ref", "Fn::Join", "0", "1", ""];
    const JUNK: &[&str] = &["A", "0", "9", "Ref", "Fn::Join", "x", ""];
    /// `Fn::Sub`s without variables: written as plain strings.
    const PLAIN_SUBS: &[&str] = &["*", "s", "${!Literal}"];

    /// Random values: literals (floats that are not finite among them),
    /// intrinsics with values inside, unchecked wrappers.
    fn value(g: &mut Rng, depth: u32, target: &Expr) -> Value {
        let kinds = if depth == 0 { 5 } else { 10 };
        match g.below(kinds) {
            0 => Value::Null,
            1 => Value::Bool(g.chance(50)),
            2 => Value::Int(*g.pick(&[0, 1, -7, i64::MAX])),
            3 => Value::Float(*g.pick(&[0.5, -2.0, f64::NAN, f64::INFINITY, 1e300])),
            4 => Value::from(*g.pick(&["", "*", "s", "a.b"])),
            5 | 6 => Value::List(
                (0..g.below(4))
                    .map(|_| value(g, depth - 1, target))
                    .collect(),
            ),
            7 => Value::Map(
                (0..g.below(4))
                    .map(|_| (g.pick(KEYS).to_string(), value(g, depth - 1, target)))
                    .collect(),
            ),
            8 => Value::Expr(match g.below(5) {
                0 => target.clone(),
                1 => Fn::join(",", [value(g, depth - 1, target), value(g, 0, target)]),
                2 => Fn::sub("x-${AWS::Region}"),
                3 => Fn::sub(PLAIN_SUBS[g.index(PLAIN_SUBS.len())]),
                _ => Fn::select(0, value(g, depth - 1, target)),
            }),
            _ => Value::Unchecked(Box::new(value(g, depth - 1, target))),
        }
    }

    /// A path into `v`: mostly keys and indexes that are there (into an
    /// intrinsic as it is rendered), sometimes one that is not.
    fn path_into(g: &mut Rng, first: &str, v: &Value) -> String {
        let mut path = first.to_owned();
        let mut v = Some(v);
        for _ in 0..g.below(5) {
            while let Some(Value::Unchecked(inner)) = v {
                v = Some(inner);
            }
            let seg = match v {
                Some(Value::Map(m)) if !m.is_empty() && g.chance(85) => {
                    let (k, next) = m.get_index(g.index(m.len())).expect("an entry");
                    v = Some(next);
                    k.clone()
                }
                Some(Value::List(l)) if !l.is_empty() && g.chance(85) => {
                    let i = g.index(l.len());
                    v = Some(&l[i]);
                    i.to_string()
                }
                Some(Value::Expr(e)) if g.chance(85) => {
                    v = None;
                    e.intrinsic().name().to_owned()
                }
                None if g.chance(50) => g.pick(&["0", "1"]).to_string(),
                _ => {
                    path.push('.');
                    let junk: &&str = g.pick(JUNK);
                    path.push_str(junk);
                    break;
                }
            };
            path.push('.');
            path.push_str(&seg);
        }
        path
    }

    /// How a path was read: nothing there, the value itself, rendered.
    type Seen = Vec<(String, usize, Option<Value>, Option<Value>)>;

    /// True when the dotted path, walked through the value as synth holds
    /// it, meets an intrinsic before its end.
    fn through_intrinsic(props: &[(String, Value)], path: &str) -> bool {
        let mut segs = path.split('.');
        let first = segs.next().unwrap_or("");
        let Some(mut node) = props.iter().find(|(k, _)| k == first).map(|(_, v)| v) else {
            return false;
        };
        for seg in segs {
            node = unchecked_inner(node);
            node = match node {
                Value::Expr(_) => return true,
                Value::Map(m) => match m.get(seg) {
                    Some(v) => v,
                    None => return false,
                },
                Value::List(items) => match seg.parse::<usize>().ok().and_then(|i| items.get(i)) {
                    Some(v) => v,
                    None => return false,
                },
                _ => return false,
            };
        }
        false
    }

    /// Reads each path of resource `Thing` with `held`, and checks it
    /// against `property`: the same literal string, the same value when it
    /// is plain, and nothing only where `property` finds nothing or walks
    /// into a rendered intrinsic.
    struct HeldReader {
        paths: Vec<String>,
        props: Vec<(String, Value)>,
        counts: Rc<RefCell<[usize; 3]>>,
    }
    impl Rule for HeldReader {
        fn visit_resource(&self, r: &ResourceView<'_>, _: &mut Findings) {
            if r.logical_id != "Thing" {
                return;
            }
            for p in &self.paths {
                let held = r.held(p);
                let rendered = r.property(p);
                match held {
                    Some(h) => {
                        assert!(!matches!(h, Value::Unchecked(_)), "{p}: seen through");
                        let rendered =
                            rendered.unwrap_or_else(|| panic!("{p}: held {h:?}, nothing rendered"));
                        assert_eq!(h.literal_str().as_deref(), rendered.as_str(), "{p}");
                        if plain(h) {
                            assert_eq!(h, rendered, "{p}");
                            self.counts.borrow_mut()[0] += 1;
                        } else {
                            self.counts.borrow_mut()[1] += 1;
                        }
                    }
                    None => {
                        assert!(
                            rendered.is_none() || through_intrinsic(&self.props, p),
                            "{p}: nothing held, {rendered:?} rendered"
                        );
                        self.counts.borrow_mut()[2] += 1;
                    }
                }
            }
        }
    }

    #[test]
    fn held_values_are_what_rendering_writes() {
        let mut g = Rng(0x4E1D_0C0D_E5EE_D001);
        let counts = Rc::new(RefCell::new([0usize; 3]));
        for _ in 0..1500 {
            let app = crate::App::new();
            let stack = app.stack("S").expect("a stack");
            let other = stack.add("Other", CfnThing::new()).expect("a resource");
            let target = other.ref_();
            let props: Vec<(String, Value)> = (0..3)
                .map(|k| (format!("P{k}"), value(&mut g, 4, &target)))
                .collect();
            let mut paths: Vec<String> = (0..12)
                .map(|_| {
                    let (name, v) = &props[g.index(props.len())];
                    path_into(&mut g, name, v)
                })
                .collect();
            paths.push("Missing".to_owned());
            let thing = stack.add("Thing", CfnThing::new()).expect("a resource");
            for (name, v) in &props {
                thing.add_property_override(name.as_str(), v.clone());
            }
            app.add_rule(HeldReader {
                paths,
                props,
                counts: counts.clone(),
            });
            let _ = app.synth();
        }
        // Plain values, values with intrinsics and nothing all came up often.
        let counts = counts.borrow();
        assert!(counts.iter().all(|&n| n > 1000), "{counts:?}");
    }

    /// Reads each path of resource `Thing`, at synth, through `property`
    /// (first, so that the property is not rendered yet) and through the
    /// whole rendered JSON.
    struct Reader {
        paths: Vec<String>,
        seen: Rc<RefCell<Seen>>,
    }
    impl Rule for Reader {
        fn visit_resource(&self, r: &ResourceView<'_>, _: &mut Findings) {
            if r.logical_id != "Thing" {
                return;
            }
            let Part::Index(i) = r.json else {
                panic!("a resource being synthesized");
            };
            let how: Vec<usize> = self
                .paths
                .iter()
                .map(|p| match r.template.literal_property(i, p) {
                    Lookup::Missing => 0,
                    Lookup::Found(_) => 1,
                    Lookup::Render => 2,
                })
                .collect();
            let read: Vec<Option<Value>> =
                self.paths.iter().map(|p| r.property(p).cloned()).collect();
            for ((p, got), how) in self.paths.iter().zip(read).zip(how) {
                let mut node = r.json().get("Properties");
                for seg in p.split('.') {
                    node = match node {
                        Some(Value::List(items)) => {
                            seg.parse::<usize>().ok().and_then(|i| items.get(i))
                        }
                        Some(other) => other.get(seg),
                        None => None,
                    };
                }
                // Read again: the resource is rendered whole by now.
                assert_eq!(r.property(p), got.as_ref(), "{p}");
                self.seen
                    .borrow_mut()
                    .push((p.clone(), how, got, node.cloned()));
            }
        }
    }

    #[test]
    fn properties_read_without_rendering_are_the_rendered_ones() {
        let mut g = Rng(0x51_7CC1_B727_220A);
        let mut compared = [0usize; 3];
        for case in 0..1500 {
            let app = crate::App::new();
            let stack = app.stack("S").expect("a stack");
            let other = stack.add("Other", CfnThing::new()).expect("a resource");
            let target = if g.chance(50) {
                other.ref_()
            } else {
                other.value_attr()
            };
            let mut values = Vec::new();
            for k in 0..3 {
                values.push((format!("P{k}"), value(&mut g, 4, &target)));
            }
            let mut paths: Vec<String> = (0..12)
                .map(|_| {
                    let (name, v) = &values[g.index(values.len())];
                    path_into(&mut g, name, v)
                })
                .collect();
            paths.push("Missing".to_owned());
            paths.push("Value".to_owned());
            let thing = stack.add("Thing", CfnThing::new()).expect("a resource");
            for (name, v) in &values {
                thing.add_property_override(name.as_str(), v.clone());
            }
            let seen = Rc::new(RefCell::new(Vec::new()));
            app.add_rule(Reader {
                paths,
                seen: seen.clone(),
            });
            let _ = app.synth();
            let seen = seen.borrow();
            assert!(!seen.is_empty(), "case {case}: the rule ran");
            for (p, how, got, expected) in seen.iter() {
                assert_eq!(got, expected, "case {case}: {p} in {values:?}");
                compared[*how] += 1;
            }
        }
        // Every kind of answer came up often.
        assert!(compared.iter().all(|&n| n > 1000), "{compared:?}");
    }

    #[test]
    fn a_suppression_covers_its_construct_and_below() {
        let s = Suppression {
            path: "Api/Handler".into(),
            id: "FW5001".into(),
            reason: "r".into(),
            on_resource: false,
        };
        assert!(s.covers("Api/Handler"));
        assert!(s.covers("Api/Handler/Role"));
        assert!(!s.covers("Api/HandlerRole"));
        assert!(!s.covers("Api"));
        let all = Suppression {
            path: String::new(),
            ..s
        };
        assert!(all.covers("Anything/At/All"));
    }
}
