//! Schema validation of literal values, at synth, and the pattern engine
//! it uses ([`Pattern`]).
//!
//! One walker checks every literal against the generated [`Shape`] tables:
//! required properties, kinds, allowed values (strings and integers),
//! patterns (explained in words), formats (CIDR blocks, ARNs, dates, URIs),
//! lengths, ranges and list sizes. It checks the properties as they will be
//! written, property overrides included. Intrinsic functions are passed over
//! (their value is known only at deploy time); strings that contain a dynamic
//! reference (`{{resolve:...}}`) are checked on their literal parts. A value
//! marked [`Value::Unchecked`] (a generated enum's catch-all variant, say) is
//! checked too, but a value outside the allowed ones is only a warning there:
//! the schema may be older than the service.

use crate::diag::{Diagnostic, Severity, codes};
use crate::spec::{NumberRules, ObjectShape, ResourceSpec, Shape, StringRules};
use crate::suggest::closest;
use crate::value::Value;

use super::{formats, words};

/// Checks a resource's property values against its type's schema, as synth
/// does (for tools and tests that judge values outside an app).
///
/// ```
/// use formwork::synth::validate::check_properties;
/// use formwork::ssm::CfnParameter;
/// use formwork::{Resource, Value};
/// let d = check_properties("S/T", CfnParameter::SPEC, &Value::object([("Type", "Strng"), ("Value", "v")]));
/// assert_eq!(d[0].code, "FW0103");
/// ```
pub fn check_properties(path: &str, spec: &'static ResourceSpec, props: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Value::Map(m) = props {
        let props = super::overrides::Props::of_map(m);
        Validator::default().resource(path, spec, &props, &mut out);
    }
    out
}

/// Compiled schema patterns, shared across a synth.
#[derive(Default)]
pub(crate) struct Validator {
    /// Each pattern met so far, compiled (a synth meets a few distinct
    /// ones again and again): a list searched by comparing the schema's
    /// strings, which are mostly the very same static text, cheaper than
    /// hashing a whole pattern in a debug build.
    patterns: Vec<(&'static str, Option<Pattern>)>,
    /// The slots of the objects being checked, innermost last (see
    /// [`fill_slots`]): one buffer for the whole walk instead of a vector
    /// per object.
    slots: Vec<u32>,
    /// The patterns of the AWS formats met so far.
    formats: formats::Patterns,
}

pub use crate::pattern::Pattern;

struct Site<'a> {
    path: &'a str,
    out: &'a mut Vec<Diagnostic>,
}

impl Site<'_> {
    fn error(
        &mut self,
        code: &'static str,
        property: &(impl Property + ?Sized),
        message: String,
    ) -> &mut Diagnostic {
        self.out
            .push(Diagnostic::error(code, self.path, message).property(property.text()));
        let last = self.out.len() - 1;
        &mut self.out[last]
    }
}

/// An object's entries by position: a resource's properties or a map
/// value's entries.
pub(crate) trait Entries {
    fn count(&self) -> usize;
    fn entry(&self, i: usize) -> Option<(&str, &Value)>;
    /// The position in `obj` of the property entry `j` (named `key`) sets,
    /// searched from `from` ([`index_from`]).
    fn position(&self, _j: usize, key: &str, obj: &ObjectShape, from: usize) -> Option<usize> {
        index_from(obj, key, from)
    }
}

/// A resource's property bag as entries, when every value is a property
/// of the type: each entry's position is the bag's, with no search by
/// name. What synth validates when no override changes the properties.
pub(crate) struct Bag<'a> {
    values: &'a [(u16, Value)],
    shape: &'static ObjectShape,
}

impl<'a> Bag<'a> {
    /// The bag's values against `shape`; `None` when one is not a property
    /// of it.
    pub(crate) fn of(
        bag: &'a crate::props::PropBag,
        shape: &'static ObjectShape,
    ) -> Option<Bag<'a>> {
        let values = bag.entries();
        let mut k = 0;
        while k < values.len() {
            if values[k].0 as usize >= shape.properties.len() {
                return None;
            }
            k += 1;
        }
        Some(Bag { values, shape })
    }
}

impl Entries for Bag<'_> {
    fn count(&self) -> usize {
        self.values.len()
    }
    fn entry(&self, i: usize) -> Option<(&str, &Value)> {
        if i < self.values.len() {
            let (index, v) = &self.values[i];
            Some((self.shape.properties[*index as usize].name, v))
        } else {
            None
        }
    }
    fn position(&self, j: usize, key: &str, obj: &ObjectShape, from: usize) -> Option<usize> {
        if std::ptr::eq(obj, self.shape) && j < self.values.len() {
            return Some(self.values[j].0 as usize);
        }
        index_from(obj, key, from)
    }
}

impl Entries for super::overrides::Props<'_> {
    fn count(&self) -> usize {
        self.len()
    }
    fn entry(&self, i: usize) -> Option<(&str, &Value)> {
        self.get_index(i)
    }
}

impl Entries for crate::value::ValueMap {
    fn count(&self) -> usize {
        self.len()
    }
    fn entry(&self, i: usize) -> Option<(&str, &Value)> {
        if i < self.len() {
            let (k, v) = self.get_index(i)?;
            Some((k, v))
        } else {
            None
        }
    }
}

/// Empty slots for an object of up to 256 properties (see
/// [`Validator::properties`]).
static ZEROS: [u32; 256] = [0; 256];

/// The position of property `name` in `obj`, searched from `from` on and
/// then from the start: entries mostly come in schema order (a property
/// bag writes them so), so the search usually ends at once. Property
/// names are unique (the keys of a schema object), so the answer is
/// [`ObjectShape::index_of`]'s.
fn index_from(obj: &ObjectShape, name: &str, from: usize) -> Option<usize> {
    let props = obj.properties;
    let name = name.as_bytes();
    let n = props.len();
    let mut k = 0;
    let mut i = if from < n { from } else { 0 };
    while k < n {
        let p = props[i].name.as_bytes();
        // A resource's own properties are named by these very strings:
        // the same address needs no comparison of the bytes.
        if p.len() == name.len() && (std::ptr::eq(p.as_ptr(), name.as_ptr()) || p == name) {
            return Some(i);
        }
        i += 1;
        if i == n {
            i = 0;
        }
        k += 1;
    }
    None
}

/// Fills `slots` (one per property of `obj`, all 0 on entry) with the
/// position + 1 of the entry that sets each property, and returns the
/// keys that are not properties of `obj`, in entry order.
fn fill_slots<'e>(entries: &'e impl Entries, obj: &ObjectShape, slots: &mut [u32]) -> Vec<&'e str> {
    let mut unknown = Vec::new();
    let mut next = 0;
    let mut j = 0;
    let count = entries.count();
    while j < count {
        let Some((k, _)) = entries.entry(j) else {
            break;
        };
        match entries.position(j, k, obj, next) {
            Some(i) if i < slots.len() => {
                slots[i] = j as u32 + 1;
                next = i + 1;
            }
            _ => unknown.push(k),
        }
        j += 1;
    }
    unknown
}

/// The values of an object by the position of their property in `obj`
/// (one pass over the entries, no lookup by name per property), and the
/// keys that are not properties of `obj`, in entry order: what
/// [`fill_slots`] finds, the way the tests check it.
#[cfg(test)]
fn slots<'v>(
    entries: impl Iterator<Item = (&'v str, &'v Value)>,
    obj: &ObjectShape,
) -> (Vec<Option<&'v Value>>, Vec<&'v str>) {
    let mut slots = vec![None; obj.properties.len()];
    let mut unknown = Vec::new();
    for (k, v) in entries {
        match obj.index_of(k).and_then(|i| slots.get_mut(i)) {
            Some(slot) => *slot = Some(v),
            None => unknown.push(k),
        }
    }
    (slots, unknown)
}

/// Where a value is in a resource's properties, written out only when a
/// diagnostic names it (`Tags[0].Key`).
#[derive(Clone, Copy)]
pub(super) enum At<'a> {
    /// The properties themselves (an empty path).
    Root,
    /// A path written out already (`Metadata.Key`, or empty).
    Base(&'a str),
    /// A property of an object (`parent.Name`, or `Name` at the root).
    Prop(&'a At<'a>, &'a str),
    /// An item of a list (`parent[i]`).
    Index(&'a At<'a>, usize),
    /// An entry of a map (`parent.key`).
    Key(&'a At<'a>, &'a str),
}

impl At<'_> {
    pub(super) fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            At::Root => {}
            At::Base(path) => out.push_str(path),
            At::Prop(parent, name) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            At::Index(parent, i) => {
                parent.write(out);
                out.push('[');
                formwork_kernels::push_decimal(out, *i as u64);
                out.push(']');
            }
            At::Key(parent, k) => {
                parent.write(out);
                out.push('.');
                out.push_str(k);
            }
        }
    }
}

/// A property path a diagnostic names: written out or still an [`At`].
trait Property {
    fn text(&self) -> String;
}

impl Property for str {
    fn text(&self) -> String {
        self.to_owned()
    }
}

impl Property for At<'_> {
    fn text(&self) -> String {
        self.render()
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => show_str(s),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Unchecked(v) => show(v),
        other => other.kind().to_owned(),
    }
}

fn show_str(s: &str) -> String {
    if s.chars().count() > 80 {
        format!("\"{}…\"", s.chars().take(80).collect::<String>())
    } else {
        format!("{s:?}")
    }
}

/// A string split around its dynamic references: the literal parts, and
/// the references themselves.
pub(crate) fn dynamic_parts(s: &str) -> (Vec<&str>, Vec<&str>) {
    let mut literals = Vec::new();
    let mut refs = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("{{resolve:") {
        literals.push(&rest[..start]);
        let after = &rest[start..];
        match after.find("}}") {
            Some(end) => {
                refs.push(&after[..end + 2]);
                rest = &after[end + 2..];
            }
            None => {
                refs.push(after);
                rest = "";
            }
        }
    }
    literals.push(rest);
    (literals, refs)
}

impl Validator {
    /// Checks one resource's properties as they will be written (typed
    /// values with overrides applied).
    pub(crate) fn resource(
        &mut self,
        path: &str,
        spec: &'static ResourceSpec,
        props: &super::overrides::Props<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        self.resource_with(path, spec, props, props, out);
    }

    /// [`Validator::resource`], the properties read from `entries`: the
    /// same values as `props`, in the same order (a [`Bag`] of them).
    pub(crate) fn resource_with(
        &mut self,
        path: &str,
        spec: &'static ResourceSpec,
        props: &super::overrides::Props<'_>,
        entries: &impl Entries,
        out: &mut Vec<Diagnostic>,
    ) {
        super::facts::check(path, spec.type_name, props, out);
        let mut site = Site { path, out };
        let shape = spec.object;
        self.properties(
            entries,
            shape,
            spec.type_name,
            &At::Root,
            true,
            false,
            &mut site,
        );
    }

    /// Checks the entries of an object against `obj`'s properties: each
    /// present one against its shape, then the missing required ones in
    /// property order, the unknown keys (when `closed`) and `oneOf`.
    /// `root`: the resource's own properties (a missing one is named alone,
    /// with a fix).
    #[allow(clippy::too_many_arguments)]
    fn properties(
        &mut self,
        entries: &impl Entries,
        obj: &ObjectShape,
        name: &str,
        at: &At<'_>,
        root: bool,
        lenient: bool,
        site: &mut Site<'_>,
    ) {
        let base = self.slots.len();
        let n = obj.properties.len();
        // A copy of zeros is one memcpy; `resize` writes them one by one
        // in a debug build.
        match ZEROS.get(..n) {
            Some(zeros) => self.slots.extend_from_slice(zeros),
            None => self.slots.resize(base + n, 0),
        }
        let unknown = fill_slots(entries, obj, &mut self.slots[base..]);
        let mut i = 0;
        while i < n {
            let p = &obj.properties[i];
            let slot = self.slots[base + i];
            if slot > 0 {
                if let Some((_, v)) = entries.entry(slot as usize - 1) {
                    self.check(v, p.shape, &At::Prop(at, p.name), lenient, site);
                }
            } else if p.required {
                if root {
                    site.error(
                        codes::REQUIRED,
                        p.name,
                        format!("{name} requires `{}`", p.name),
                    )
                    .fix = Some(format!("set `{}` (a {})", p.name, p.shape.kind()));
                } else {
                    site.error(
                        codes::REQUIRED,
                        &At::Prop(at, p.name),
                        format!("{name} requires `{}`", p.name),
                    );
                }
            }
            i += 1;
        }
        if root || obj.closed {
            self.unknown_keys(&unknown, obj, name, at, site);
        }
        if !obj.one_of_required.is_empty() {
            let slots = &self.slots[base..];
            self.one_of(obj, |i| slots.get(i).is_some_and(|s| *s > 0), at, site);
        }
        self.slots.truncate(base);
    }

    /// Reports the keys that are not properties of `obj` (from [`slots`]).
    fn unknown_keys(
        &self,
        unknown: &[&str],
        obj: &ObjectShape,
        name: &str,
        at: &At<'_>,
        site: &mut Site<'_>,
    ) {
        for &k in unknown {
            let hint = closest(k, obj.properties.iter().map(|p| p.name))
                .map(|p| format!("did you mean `{p}`?"));
            let names: Vec<&str> = obj.properties.iter().map(|p| p.name).collect();
            let d = site.error(
                codes::UNKNOWN_PROPERTY,
                &At::Prop(at, k),
                format!(
                    "{name} has no property `{k}` (it has: {})",
                    names.join(", ")
                ),
            );
            d.fix = hint;
        }
    }

    fn one_of(
        &self,
        shape: &ObjectShape,
        present: impl Fn(usize) -> bool,
        prop_path: &At<'_>,
        site: &mut Site<'_>,
    ) {
        if shape.one_of_required.is_empty() {
            return;
        }
        let has = |name: &str| shape.index_of(name).is_some_and(&present);
        let satisfied = shape
            .one_of_required
            .iter()
            .any(|set| set.iter().all(|n| has(n)));
        if !satisfied {
            let options: Vec<String> = shape
                .one_of_required
                .iter()
                .map(|set| set.join(" + "))
                .collect();
            let prop_path = prop_path.render();
            site.error(
                codes::ONE_OF,
                if prop_path.is_empty() {
                    shape.name
                } else {
                    &prop_path
                },
                format!("{} needs one of: {}", shape.name, options.join(" | ")),
            );
        }
    }

    /// `lenient`: the value is a catch-all enum variant, whose value outside
    /// the allowed ones is a warning.
    fn check(&mut self, v: &Value, shape: Shape, at: &At<'_>, lenient: bool, site: &mut Site<'_>) {
        match v {
            Value::Expr(_) => return,
            Value::Unchecked(inner) => return self.check(inner, shape, at, true, site),
            Value::Null => {
                site.error(codes::KIND, at, format!("null is not a {}", shape.kind()));
                return;
            }
            // Reported once, by the literal checks, wherever it is.
            Value::Float(f) if !f.is_finite() => return,
            _ => {}
        }
        match shape {
            Shape::Json => {}
            Shape::String(rules) => self.string(v, rules, at, lenient, site),
            Shape::Integer(rules) => {
                let n = match v {
                    Value::Int(i) => Some(*i as f64),
                    Value::String(s) => s.parse::<i64>().ok().map(|i| i as f64),
                    _ => None,
                };
                match n {
                    Some(n) => number(n, rules, v, at, lenient, site),
                    None => {
                        site.error(
                            codes::KIND,
                            at,
                            format!("expected an integer, found {}", show(v)),
                        );
                    }
                }
            }
            Shape::Number(rules) => {
                let n = match v {
                    Value::Int(_) | Value::Float(_) => v.as_f64(),
                    Value::String(s) => s.parse::<f64>().ok().filter(|f| f.is_finite()),
                    _ => None,
                };
                match n {
                    Some(n) => number(n, rules, v, at, lenient, site),
                    None => {
                        site.error(
                            codes::KIND,
                            at,
                            format!("expected a number, found {}", show(v)),
                        );
                    }
                }
            }
            Shape::Boolean => {
                let ok = matches!(v, Value::Bool(_))
                    || matches!(v, Value::String(s) if s == "true" || s == "false");
                if !ok {
                    site.error(
                        codes::KIND,
                        at,
                        format!("expected a boolean, found {}", show(v)),
                    );
                }
            }
            Shape::List(list) => {
                let Value::List(items) = v else {
                    site.error(
                        codes::KIND,
                        at,
                        format!("expected a list, found {}", v.kind()),
                    );
                    return;
                };
                let n = items.len() as u64;
                if list.min_items.is_some_and(|m| n < m) || list.max_items.is_some_and(|m| n > m) {
                    site.error(
                        codes::ITEMS,
                        at,
                        format!(
                            "{n} item(s); allowed: {} to {}",
                            list.min_items.unwrap_or(0),
                            list.max_items
                                .map_or("any number".to_owned(), |m| m.to_string())
                        ),
                    );
                }
                for (i, item) in items.iter().enumerate() {
                    self.check(item, list.item, &At::Index(at, i), lenient, site);
                }
            }
            Shape::Map(map) => {
                let Value::Map(entries) = v else {
                    site.error(
                        codes::KIND,
                        at,
                        format!("expected a map, found {}", v.kind()),
                    );
                    return;
                };
                for (k, item) in entries {
                    let key_at = At::Key(at, k);
                    if let Some(p) = map.key_pattern {
                        if self.regex(p).is_some_and(|r| !r.is_match(k)) {
                            site.error(
                                codes::PATTERN,
                                &key_at,
                                format!("key {k:?} is not allowed: {}", words::explain(p, k)),
                            )
                            .fix = Some(format!("the schema's pattern: `{p}`"));
                        }
                    }
                    self.check(item, map.value, &key_at, lenient, site);
                }
            }
            Shape::Object(obj) => self.object(v, obj, at, lenient, site),
        }
    }

    fn object(
        &mut self,
        v: &Value,
        obj: &'static ObjectShape,
        at: &At<'_>,
        lenient: bool,
        site: &mut Site<'_>,
    ) {
        let Value::Map(entries) = v else {
            site.error(
                codes::KIND,
                at,
                format!("expected a {} object, found {}", obj.name, v.kind()),
            );
            return;
        };
        self.properties(entries, obj, obj.name, at, false, lenient, site);
    }

    fn string(
        &mut self,
        v: &Value,
        rules: &StringRules,
        at: &At<'_>,
        lenient: bool,
        site: &mut Site<'_>,
    ) {
        let owned;
        let s: &str = match v {
            Value::String(s) => s,
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                owned = show(v);
                &owned
            }
            _ => {
                site.error(
                    codes::KIND,
                    at,
                    format!("expected a string, found {}", v.kind()),
                );
                return;
            }
        };
        if formwork_kernels::has_byte(s, b'{') && s.contains("{{resolve:") {
            self.dynamic(s, rules, at, site);
            return;
        }
        if !rules.values.is_empty() && !rules.values.contains(&s) {
            let hint =
                closest(s, rules.values.iter().copied()).map(|a| format!("did you mean {a:?}?"));
            let mut d = Diagnostic::error(
                codes::ENUM,
                site.path,
                format!(
                    "{} is not allowed; allowed: {}",
                    show(v),
                    rules.values.join(", ")
                ),
            )
            .property(at.render());
            if lenient {
                d.severity = Severity::Warning;
                d.message = format!(
                    "{} is not one of the values the schema knows ({}); it is written as is, and the service may refuse it",
                    show(v),
                    rules.values.join(", ")
                );
            }
            d.fix = hint;
            site.out.push(d);
            return;
        }
        let len = if rules.min_length.is_some() || rules.max_length.is_some() {
            s.chars().count() as u64
        } else {
            0
        };
        let short = matches!(rules.min_length, Some(m) if len < m);
        if short || matches!(rules.max_length, Some(m) if len > m) {
            site.error(
                codes::LENGTH,
                at,
                format!(
                    "{} has {len} characters; allowed: {} to {}",
                    show(v),
                    rules.min_length.unwrap_or(0),
                    rules.max_length.map_or("any".to_owned(), |m| m.to_string())
                ),
            );
        }
        if let Some(p) = rules.pattern {
            if self.regex(p).is_some_and(|r| !r.is_match(s)) {
                site.error(
                    codes::PATTERN,
                    at,
                    format!("{} is not allowed: {}", show(v), words::explain(p, s)),
                )
                .fix = Some(format!("the schema's pattern: `{p}`"));
                return;
            }
        }
        if let Some(f) = rules.format {
            if let Some(problem) = formats::problem(f, s, &mut self.formats) {
                site.error(
                    codes::FORMAT,
                    at,
                    format!("{} is not allowed: {problem}", show(v)),
                )
                .fix = Some(format!("the schema's format: `{f}`"));
            }
        }
    }

    /// A string holding dynamic references: the literal parts alone must fit
    /// the maximum length, and each literal character must be one the
    /// pattern allows when the pattern is one character class.
    fn dynamic(&mut self, s: &str, rules: &StringRules, at: &At<'_>, site: &mut Site<'_>) {
        let (literals, _) = dynamic_parts(s);
        let len: u64 = literals.iter().map(|l| l.chars().count() as u64).sum();
        if let Some(max) = rules.max_length.filter(|m| len > *m) {
            site.error(
                codes::LENGTH,
                at,
                format!(
                    "{} has {len} characters besides its dynamic references; allowed: at most {max}",
                    show_str(s)
                ),
            );
        }
        let Some(p) = rules.pattern else { return };
        let Some(class) = single_class(p) else { return };
        let Some(one) = Pattern::compile(&format!("^{class}$")) else {
            return;
        };
        let bad = literals
            .iter()
            .flat_map(|l| l.chars())
            .find(|c| !one.is_match(&c.to_string()));
        if let Some(c) = bad {
            site.error(
                codes::PATTERN,
                at,
                format!(
                    "{} is not allowed: besides its dynamic references it has `{c}`, and {}",
                    show_str(s),
                    words::explain(p, "").trim_end_matches(" (found 0)")
                ),
            )
            .fix = Some(format!("the schema's pattern: `{p}`"));
        }
    }

    fn regex(&mut self, pattern: &'static str) -> Option<&Pattern> {
        let i = match position_of(&self.patterns, pattern) {
            Some(i) => i,
            None => {
                self.patterns.push((pattern, Pattern::compile(pattern)));
                self.patterns.len() - 1
            }
        };
        self.patterns[i].1.as_ref()
    }
}

/// The position of `text` among the first items of `list`: the same
/// address and length first (the same static string), else the same bytes.
fn position_of<T>(list: &[(&'static str, T)], text: &str) -> Option<usize> {
    let mut i = 0;
    while i < list.len() {
        let k = list[i].0;
        if k.len() == text.len() && (std::ptr::eq(k.as_ptr(), text.as_ptr()) || k == text) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `[...]` when the pattern is `^[...]<quantifier>$`.
fn single_class(p: &str) -> Option<&str> {
    let body = p.strip_prefix("^[")?;
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let mut i = 0;
    let mut close = None;
    while i < chars.len() {
        match chars[i].1 {
            '\\' => i += 2,
            ']' if i > 0 => {
                close = Some(chars[i].0);
                break;
            }
            _ => i += 1,
        }
    }
    let close = close?;
    let quant = body[close + 1..].strip_suffix('$')?;
    let ok_quant = matches!(quant, "+" | "*")
        || (quant.starts_with('{')
            && quant.ends_with('}')
            && quant[1..quant.len() - 1]
                .chars()
                .all(|c| c.is_ascii_digit() || c == ','));
    ok_quant.then(|| &p[1..close + 3])
}

fn number(n: f64, rules: &NumberRules, v: &Value, at: &At<'_>, lenient: bool, site: &mut Site<'_>) {
    if !rules.values.is_empty() && !rules.values.contains(&n) {
        let allowed: Vec<String> = rules.values.iter().map(f64::to_string).collect();
        let mut d = Diagnostic::error(
            codes::ENUM,
            site.path,
            format!(
                "{} is not allowed; allowed: {}",
                show(v),
                allowed.join(", ")
            ),
        )
        .property(at.render());
        if lenient {
            d.severity = Severity::Warning;
        }
        let nearest = rules
            .values
            .iter()
            .min_by(|a, b| (*a - n).abs().total_cmp(&(*b - n).abs()));
        d.fix = nearest.map(|x| format!("the nearest allowed value is {x}"));
        site.out.push(d);
        return;
    }
    let below =
        rules.minimum.is_some_and(|m| n < m) || rules.exclusive_minimum.is_some_and(|m| n <= m);
    let above =
        rules.maximum.is_some_and(|m| n > m) || rules.exclusive_maximum.is_some_and(|m| n >= m);
    if below || above {
        let fmt = |x: Option<f64>| x.map_or("any".to_owned(), |x| x.to_string());
        let lo = rules.minimum.or(rules.exclusive_minimum);
        let hi = rules.maximum.or(rules.exclusive_maximum);
        site.error(
            codes::RANGE,
            at,
            format!(
                "{} is out of range; allowed: {} to {}",
                show(v),
                fmt(lo),
                fmt(hi)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{ListShape, MapShape, PropSpec, Tagging};

    static NAME: StringRules = StringRules {
        min_length: Some(3),
        max_length: Some(5),
        pattern: Some("^[a-z]+$"),
        ..StringRules::NONE
    };
    static MODE: StringRules = StringRules {
        values: &["BUFFERED", "RESPONSE_STREAM"],
        ..StringRules::NONE
    };
    static MEM: NumberRules = NumberRules {
        minimum: Some(128.0),
        maximum: Some(10240.0),
        ..NumberRules::NONE
    };
    static INNER: ObjectShape = ObjectShape {
        name: "Inner",
        properties: &[
            PropSpec {
                name: "Mode",
                shape: Shape::String(&MODE),
                required: true,
            },
            PropSpec {
                name: "Flag",
                shape: Shape::Boolean,
                required: false,
            },
        ],
        closed: true,
        one_of_required: &[],
    };
    static TOP: ObjectShape = ObjectShape {
        name: "Thing",
        properties: &[
            PropSpec {
                name: "Name",
                shape: Shape::String(&NAME),
                required: true,
            },
            PropSpec {
                name: "Memory",
                shape: Shape::Integer(&MEM),
                required: false,
            },
            PropSpec {
                name: "Items",
                shape: Shape::List(&ListShape {
                    item: Shape::Object(&INNER),
                    min_items: Some(1),
                    max_items: Some(2),
                }),
                required: false,
            },
            PropSpec {
                name: "Tags",
                shape: Shape::Map(&MapShape {
                    value: Shape::String(&StringRules::NONE),
                    key_pattern: Some("^[a-z]+$"),
                }),
                required: false,
            },
            PropSpec {
                name: "A",
                shape: Shape::Json,
                required: false,
            },
            PropSpec {
                name: "B",
                shape: Shape::Json,
                required: false,
            },
        ],
        closed: true,
        one_of_required: &[&["A"], &["B"]],
    };
    static SPEC: ResourceSpec = ResourceSpec {
        type_name: "AWS::Test::Thing",
        object: &TOP,
        attributes: &[],
        create_only: &[],
        write_only: &[],
        tagging: Tagging::None,
        regions: 0,
        region_table: &[],
        doc_url: None,
    };

    fn run(props: &[(u16, Value)]) -> Vec<Diagnostic> {
        let mut bag = crate::props::PropBag::new();
        for (i, v) in props {
            bag.set(*i, Some(v.clone()));
        }
        let mut out = Vec::new();
        out.extend(check_properties("S/T", &SPEC, &bag.to_value(SPEC.object)));
        out
    }

    fn codes_of(d: &[Diagnostic]) -> Vec<&'static str> {
        d.iter().map(|d| d.code).collect()
    }

    /// Property: the slots found by searching from the last property found
    /// are those a lookup by name of every key gives, whatever the order of
    /// the entries (schema order, shuffled, with unknown keys and names that
    /// are prefixes of others).
    #[test]
    fn slots_searched_onward_are_the_slots_looked_up_by_name() {
        const NAMES: [&str; 12] = [
            "Name", "Names", "Nam", "Tags", "Tag", "A", "B", "Bb", "Key", "Value", "X", "Memory",
        ];
        let mut rng = crate::test_rng::Rng(0x5107_5EED_0000_0001);
        for _ in 0..3000 {
            // Distinct property names, in a random order.
            let mut names: Vec<&'static str> = Vec::new();
            for _ in 0..rng.index(NAMES.len() + 1) {
                let n = *rng.pick(&NAMES);
                if !names.contains(&n) {
                    names.push(n);
                }
            }
            let props: Vec<PropSpec> = names
                .iter()
                .map(|n| PropSpec {
                    name: n,
                    shape: Shape::Json,
                    required: false,
                })
                .collect();
            let obj = ObjectShape {
                name: "T",
                properties: Box::leak(props.into_boxed_slice()),
                closed: true,
                one_of_required: &[],
            };
            // Entries: some properties in schema order, unknown keys among
            // them, and sometimes shuffled.
            let mut keys: Vec<String> = Vec::new();
            for n in &names {
                if rng.chance(60) {
                    keys.push((*n).to_owned());
                }
                if rng.chance(15) {
                    keys.push(format!("{}{}", rng.pick(&NAMES), rng.pick(&["", "x", "s"])));
                }
            }
            if rng.chance(40) {
                for i in (1..keys.len()).rev() {
                    keys.swap(i, rng.index(i + 1));
                }
            }
            let mut map = crate::value::ValueMap::new();
            for (i, k) in keys.iter().enumerate() {
                map.insert(k.clone(), Value::from(i as i64));
            }
            let (want, want_unknown) = slots(map.iter().map(|(k, v)| (k.as_str(), v)), &obj);
            let mut got = vec![0u32; names.len()];
            let unknown = fill_slots(&map, &obj, &mut got);
            let got: Vec<Option<&Value>> = got
                .iter()
                .map(|&s| {
                    (s > 0)
                        .then(|| map.get_index(s as usize - 1).map(|(_, v)| v))
                        .flatten()
                })
                .collect();
            assert_eq!(got, want, "{names:?} {keys:?}");
            assert_eq!(unknown, want_unknown, "{names:?} {keys:?}");
            // Keys that are the property names themselves (the same
            // strings, as a property bag gives them) and copies.
            let same: Vec<(&str, &Value)> = map
                .iter()
                .map(|(k, v)| {
                    let own = names.iter().find(|n| **n == k.as_str()).copied();
                    (own.filter(|_| rng.chance(70)).unwrap_or(k.as_str()), v)
                })
                .collect();
            let bag = super::super::overrides::Props::borrowed(&same);
            let mut got = vec![0u32; names.len()];
            assert_eq!(fill_slots(&bag, &obj, &mut got), want_unknown);
            for (i, s) in got.iter().enumerate() {
                let v = (*s > 0)
                    .then(|| bag.get_index(*s as usize - 1).map(|(_, v)| v))
                    .flatten();
                assert_eq!(v, want[i], "{names:?} {keys:?}");
            }
        }
    }

    /// Property: the list of compiled patterns finds a pattern by its text,
    /// whether the text is the same static string or a copy of it.
    #[test]
    fn patterns_are_found_by_their_text() {
        let texts: Vec<&'static str> = vec!["^a$", "^b$", "^ab$", "", "^a$x"];
        let copies: Vec<&'static str> = texts
            .iter()
            .map(|t| &*Box::leak(t.to_string().into_boxed_str()))
            .collect();
        let list: Vec<(&'static str, ())> = texts.iter().map(|t| (*t, ())).collect();
        for (i, t) in texts.iter().enumerate() {
            assert_eq!(position_of(&list, t), Some(i));
            assert_eq!(position_of(&list, copies[i]), Some(i));
        }
        assert_eq!(position_of(&list, "^c$"), None);
        let mut v = Validator::default();
        let a = v.regex(texts[0]).map(|p| p.is_match("a"));
        let b = v.regex(copies[0]).map(|p| p.is_match("a"));
        assert_eq!((a, b), (Some(true), Some(true)));
        assert_eq!(v.patterns.len(), 1, "one compile for the same text");
    }

    /// Property: validating a property bag by its positions finds what
    /// validating its named properties finds, on 2,000 random bags
    /// (missing required properties, bad patterns, kinds, ranges, list
    /// sizes, map keys, `oneOf`).
    #[test]
    fn a_bag_by_position_is_validated_as_its_named_properties_are() {
        let mut rng = crate::test_rng::Rng(0xBA60_0000_0000_0001);
        let pool = |rng: &mut crate::test_rng::Rng| -> Value {
            match rng.below(9) {
                0 => Value::from("abcd"),
                1 => Value::from("AB"),
                2 => Value::from(512),
                3 => Value::from(64),
                4 => Value::List(vec![]),
                5 => Value::List(vec![Value::object([("Mode", "BUFFERED")])]),
                6 => Value::object([("ok", "x"), ("Bad Key", "y")]),
                7 => Value::map(),
                _ => Value::from(true),
            }
        };
        let mut found = 0;
        for _ in 0..2000 {
            let mut bag = crate::props::PropBag::new();
            for _ in 0..rng.index(7) {
                let i = rng.below(TOP.properties.len() as u64) as u16;
                bag.set(i, Some(pool(&mut rng)));
            }
            let whole = bag.to_value(SPEC.object);
            let Value::Map(m) = &whole else {
                unreachable!()
            };
            let props = super::super::overrides::Props::of_map(m);
            let mut want = Vec::new();
            Validator::default().resource("S/T", &SPEC, &props, &mut want);
            let entries = Bag::of(&bag, SPEC.object).expect("every value a property");
            let mut got = Vec::new();
            Validator::default().resource_with("S/T", &SPEC, &props, &entries, &mut got);
            assert_eq!(got, want, "{whole:?}");
            found += want.len();
        }
        assert!(found > 1000, "{found}");
        let mut bag = crate::props::PropBag::new();
        bag.set(TOP.properties.len() as u16, Some(Value::from(1)));
        assert!(
            Bag::of(&bag, SPEC.object).is_none(),
            "a position past the properties"
        );
    }

    #[test]
    fn a_valid_resource_has_no_findings() {
        assert!(run(&[(0, "abcd".into()), (1, 512.into()), (4, Value::map())]).is_empty());
    }

    #[test]
    fn required_and_one_of() {
        let d = run(&[]);
        assert_eq!(codes_of(&d), [codes::REQUIRED, codes::ONE_OF]);
        assert_eq!(d[0].property.as_deref(), Some("Name"));
        assert!(d[1].message.contains("A | B"));
    }

    #[test]
    fn length_pattern_range() {
        let d = run(&[(0, "ABCDEFG".into()), (1, 64.into()), (4, Value::map())]);
        assert_eq!(codes_of(&d), [codes::LENGTH, codes::PATTERN, codes::RANGE]);
        assert!(
            d[2].message.contains("allowed: 128 to 10240"),
            "{}",
            d[2].message
        );
        assert_eq!(d[2].path, "S/T");
        assert_eq!(d[2].property.as_deref(), Some("Memory"));
    }

    #[test]
    fn nested_objects_enums_and_unknown_keys() {
        let item = Value::object([
            ("Mode", Value::from("buffered")),
            ("Flg", Value::from(true)),
        ]);
        let d = run(&[
            (0, "abc".into()),
            (2, Value::List(vec![item])),
            (4, Value::map()),
        ]);
        assert_eq!(codes_of(&d), [codes::ENUM, codes::UNKNOWN_PROPERTY]);
        assert_eq!(d[0].property.as_deref(), Some("Items[0].Mode"));
        assert_eq!(d[0].fix.as_deref(), Some("did you mean \"BUFFERED\"?"));
        assert_eq!(d[1].property.as_deref(), Some("Items[0].Flg"));
    }

    #[test]
    fn list_sizes_kinds_and_map_keys() {
        let items = Value::List(vec![]);
        let tags = Value::object([("OK", "x")]);
        let d = run(&[
            (0, "abc".into()),
            (1, "many".into()),
            (2, items),
            (3, tags),
            (4, Value::map()),
        ]);
        assert_eq!(codes_of(&d), [codes::KIND, codes::ITEMS, codes::PATTERN]);
    }

    #[test]
    fn lookaround_patterns_are_checked_too() {
        let p = Pattern::compile("^(?!aws:)[a-z:]+$").expect("lookahead pattern");
        assert!(p.is_match("team:x"));
        assert!(!p.is_match("aws:x"));
    }

    #[test]
    fn intrinsics_and_dynamic_references_pass() {
        let d = run(&[(0, crate::Fn::ref_name("P").into()), (4, Value::map())]);
        assert!(d.is_empty(), "{d:?}");
        let d = run(&[(0, "{{resolve:ssm:/x}}".into()), (4, Value::map())]);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn dynamic_references_have_their_literal_parts_checked() {
        // NAME is 3 to 5 lowercase letters: "ab" plus a reference fits.
        let d = run(&[(0, "ab{{resolve:ssm:/x}}".into()), (4, Value::map())]);
        assert!(d.is_empty(), "{d:?}");
        let d = run(&[(0, "ab-{{resolve:ssm:/x}}".into()), (4, Value::map())]);
        assert_eq!(codes_of(&d), [codes::PATTERN], "{d:?}");
        assert!(d[0].message.contains("`-`"), "{}", d[0]);
        let d = run(&[(0, "abcdef{{resolve:ssm:/x}}".into()), (4, Value::map())]);
        assert_eq!(codes_of(&d), [codes::LENGTH], "{d:?}");
    }

    #[test]
    fn unchecked_values_are_checked_and_unknown_enum_values_warn() {
        let item = Value::object([("Mode", Value::from("NEWER_MODE").unchecked())]);
        let d = run(&[
            (0, "abc".into()),
            (2, Value::List(vec![item])),
            (4, Value::map()),
        ]);
        assert_eq!(codes_of(&d), [codes::ENUM]);
        assert_eq!(d[0].severity, Severity::Warning);
        let d = run(&[
            (0, "abc".into()),
            (1, Value::from(1).unchecked()),
            (4, Value::map()),
        ]);
        assert_eq!(codes_of(&d), [codes::RANGE]);
        assert!(d[0].is_error());
    }

    #[test]
    fn patterns_are_explained_in_words_with_the_pattern_as_a_detail() {
        let d = run(&[(0, "ab1".into()), (4, Value::map())]);
        assert_eq!(codes_of(&d), [codes::PATTERN]);
        assert_eq!(
            d[0].message,
            "\"ab1\" is not allowed: it must be one or more of: lowercase letters (found `1`)"
        );
        assert_eq!(
            d[0].fix.as_deref(),
            Some("the schema's pattern: `^[a-z]+$`")
        );
    }

    #[test]
    fn near_miss_property_names_get_a_hint() {
        let d = run(&[(0, "abc".into()), (4, Value::map())]);
        assert!(d.is_empty());
        let mut props = crate::props::PropBag::new();
        props.set(0, Some("abc".into()));
        props.set(4, Some(Value::map()));
        let mut v = props.to_value(SPEC.object);
        if let Some(m) = v.as_map_mut() {
            m.insert("Memroy".into(), Value::from(512));
        }
        let mut out = Vec::new();
        out.extend(check_properties("S/T", &SPEC, &v));
        assert_eq!(codes_of(&out), [codes::UNKNOWN_PROPERTY]);
        assert_eq!(out[0].fix.as_deref(), Some("did you mean `Memory`?"));
    }

    #[test]
    fn integer_enums_and_formats() {
        static SIZES: NumberRules = NumberRules {
            values: &[1.0, 2.0, 4.0],
            ..NumberRules::NONE
        };
        static CIDR: StringRules = StringRules {
            format: Some("ipv4-network"),
            ..StringRules::NONE
        };
        let mut out = Vec::new();
        let mut site = Site {
            path: "S/T",
            out: &mut out,
        };
        let mut v = Validator::default();
        v.check(
            &Value::from(3),
            Shape::Integer(&SIZES),
            &At::Prop(&At::Root, "Size"),
            false,
            &mut site,
        );
        v.check(
            &Value::from(4),
            Shape::Integer(&SIZES),
            &At::Prop(&At::Root, "Size"),
            false,
            &mut site,
        );
        v.check(
            &Value::from("10.0.0.1/16"),
            Shape::String(&CIDR),
            &At::Prop(&At::Root, "Cidr"),
            false,
            &mut site,
        );
        v.check(
            &Value::from("10.0.0.0/16"),
            Shape::String(&CIDR),
            &At::Prop(&At::Root, "Cidr"),
            false,
            &mut site,
        );
        assert_eq!(codes_of(&out), [codes::ENUM, codes::FORMAT]);
        assert!(out[0].message.contains("allowed: 1, 2, 4"), "{}", out[0]);
        assert!(out[1].message.contains("no host bits set"), "{}", out[1]);
    }
}
