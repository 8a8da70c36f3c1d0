//! Schema nodes to normalized [`Type`]s and [`Definition`]s.
//!
//! One [`Normalizer`] serves one resource schema: it follows `$ref`s into the
//! schema's `definitions`, names inline objects, and collects the structs it
//! reaches in first-reached order. The rules are listed in the crate docs.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::model::{Definition, NumberRules, Property, StringRules, Type};

/// Why a node became [`Type::Json`] (kept for reports and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum JsonReason {
    /// `type: object` without `properties`, `patternProperties` or a schema
    /// for `additionalProperties`.
    FreeFormObject,
    /// A `type` array naming `object` or `array`.
    TypeArrayWithObjectOrArray,
    /// `oneOf`/`anyOf` whose branches are of unlike kinds.
    MixedOneOf,
    /// Both `oneOf` and `anyOf` carry more than `required` lists.
    OneOfAndAnyOf,
    /// `patternProperties` with more than one pattern.
    MultiplePatternProperties,
    /// No `type`, `$ref` or anything to infer a kind from.
    NoType,
    /// A `type` that is not a JSON Schema kind this model has.
    UnknownType,
    /// `type: array` without an `items` schema.
    ArrayWithoutItems,
    /// A definition that is not a struct and refers to itself.
    RecursiveAlias,
}

/// One place a node became [`Type::Json`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonUse {
    /// Why.
    pub reason: JsonReason,
    /// The naming context where it happened (struct name + property name).
    pub at: String,
}

/// Keys that a `oneOf`/`anyOf` branch may carry and still count as "only a
/// `required` list".
const REQUIRED_ONLY_KEYS: &[&str] = &["required", "description", "$comment", "title"];

/// Resolves the schema nodes of one resource schema.
#[derive(Debug, Clone)]
pub(crate) struct Normalizer<'s> {
    defs: &'s Map<String, Value>,
    /// The schema's top-level `properties`, for `#/properties/X` references.
    props: Option<&'s Map<String, Value>>,
    /// Structs in first-reached order; `None` while being built.
    slots: Vec<Option<Definition>>,
    /// Names in use: every schema definition key and every synthesized name.
    taken: HashSet<String>,
    /// Resolved `$ref` targets.
    memo: HashMap<String, Type>,
    /// Non-struct definitions being resolved (guards against cycles).
    resolving: HashSet<String>,
    /// Every place a node became [`Type::Json`].
    pub json_uses: Vec<JsonUse>,
}

impl<'s> Normalizer<'s> {
    /// A normalizer for a schema whose `definitions` are `defs`.
    pub(crate) fn new(defs: &'s Map<String, Value>) -> Self {
        Normalizer {
            defs,
            props: None,
            slots: Vec::new(),
            taken: defs.keys().cloned().collect(),
            memo: HashMap::new(),
            resolving: HashSet::new(),
            json_uses: Vec::new(),
        }
    }

    /// Lets `#/properties/X` references resolve to the top-level property `X`.
    pub(crate) fn with_properties(mut self, props: &'s Map<String, Value>) -> Self {
        self.props = Some(props);
        self
    }

    /// The structs reached so far, in first-reached order.
    pub(crate) fn into_parts(self) -> (Vec<Definition>, Vec<JsonUse>) {
        (self.slots.into_iter().flatten().collect(), self.json_uses)
    }

    /// The description of a property node, else of the definition it refers to.
    pub(crate) fn description_of(&self, node: &Value) -> Option<String> {
        if let Some(d) = node.get("description").and_then(Value::as_str) {
            return Some(d.to_owned());
        }
        let key = node.get("$ref")?.as_str()?.strip_prefix("#/definitions/")?;
        let d = self.defs.get(key)?.get("description")?.as_str()?;
        Some(d.to_owned())
    }

    /// The normalized type of `node`. `ctx` names an inline object found
    /// here; `hint` (`"Item"`, `"Value"`) disambiguates when `ctx` is taken.
    pub(crate) fn resolve(&mut self, node: &Value, ctx: &str, hint: &str) -> Result<Type, String> {
        let Some(obj) = node.as_object() else {
            return Ok(self.json(JsonReason::NoType, ctx));
        };
        if let Some(r) = obj.get("$ref") {
            if let Some(prop) = r.as_str().and_then(|r| r.strip_prefix("#/properties/")) {
                let ty = self.resolve_property_ref(prop, ctx)?;
                return Ok(apply_sibling_rules(ty, obj));
            }
            let key = r
                .as_str()
                .and_then(|r| r.strip_prefix("#/definitions/"))
                .ok_or_else(|| format!("unsupported $ref {r} at {ctx}"))?;
            let ty = self.resolve_ref(key)?;
            return Ok(apply_sibling_rules(ty, obj));
        }
        let combinators: Vec<&str> = ["oneOf", "anyOf"]
            .into_iter()
            .filter(|k| obj.get(*k).is_some_and(|b| required_only(b).is_none()))
            .collect();
        match combinators.as_slice() {
            [] => self.resolve_typed(obj, ctx, hint),
            [key] => self.resolve_combinator(obj, key, ctx, hint),
            _ => Ok(self.json(JsonReason::OneOfAndAnyOf, ctx)),
        }
    }

    fn json(&mut self, reason: JsonReason, at: &str) -> Type {
        self.json_uses.push(JsonUse {
            reason,
            at: at.to_owned(),
        });
        Type::Json
    }

    /// `base` if free, else `base + hint`, else `base + hint + n` (n = 2, 3, ...).
    fn fresh_name(&mut self, base: &str, hint: &str) -> String {
        let mut name = base.to_owned();
        if self.taken.contains(&name) && !hint.is_empty() {
            name = format!("{base}{hint}");
        }
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{hint}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    /// The type of the top-level property `prop` (a `#/properties/X` reference).
    fn resolve_property_ref(&mut self, prop: &str, ctx: &str) -> Result<Type, String> {
        let guard = format!("#/properties/{prop}");
        let node = self
            .props
            .and_then(|p| p.get(prop))
            .ok_or_else(|| format!("unresolved $ref {guard} at {ctx}"))?;
        if !self.resolving.insert(guard.clone()) {
            return Ok(self.json(JsonReason::RecursiveAlias, &guard));
        }
        let ty = self.resolve(node, ctx, "");
        self.resolving.remove(&guard);
        ty
    }

    fn resolve_ref(&mut self, key: &str) -> Result<Type, String> {
        if let Some(ty) = self.memo.get(key) {
            return Ok(ty.clone());
        }
        let defs = self.defs;
        let node = defs
            .get(key)
            .ok_or_else(|| format!("unresolved $ref #/definitions/{key}"))?;
        if let Some(obj) = node.as_object().filter(|o| is_struct(o)) {
            let ty = Type::Object(key.to_owned());
            self.memo.insert(key.to_owned(), ty.clone());
            self.build_struct(key.to_owned(), obj)?;
            return Ok(ty);
        }
        if !self.resolving.insert(key.to_owned()) {
            return Ok(self.json(JsonReason::RecursiveAlias, key));
        }
        // An object found right at the body of a non-struct definition (a
        // merged oneOf, a list's items) may take the definition's name.
        self.taken.remove(key);
        let ty = self.resolve(node, key, "")?;
        self.taken.insert(key.to_owned());
        self.resolving.remove(key);
        self.memo.insert(key.to_owned(), ty.clone());
        Ok(ty)
    }

    fn resolve_combinator(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        ctx: &str,
        hint: &str,
    ) -> Result<Type, String> {
        let mut parent = obj.clone();
        let branches = match parent.remove(key) {
            Some(Value::Array(b)) if !b.is_empty() => b,
            _ => return Ok(self.json(JsonReason::MixedOneOf, ctx)),
        };
        // Each branch is read with the keywords of its parent (`type`, ...).
        let effective: Vec<Map<String, Value>> = branches
            .iter()
            .map(|b| {
                let mut e = parent.clone();
                if let Some(b) = b.as_object() {
                    e.extend(b.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                e
            })
            .collect();
        if !parent.contains_key("properties") && effective.iter().all(is_struct) {
            let name = self.fresh_name(ctx, hint);
            self.build_union_struct(name.clone(), &parent, &effective)?;
            return Ok(Type::Object(name));
        }
        let snapshot = self.clone();
        let mut merged: Option<Type> = None;
        for e in effective {
            let ty = self.resolve(&Value::Object(e), ctx, hint)?;
            merged = match merged {
                None => Some(ty),
                Some(m) => match merge(&m, &ty) {
                    Some(t) => Some(t),
                    None => {
                        *self = snapshot;
                        return Ok(self.json(JsonReason::MixedOneOf, ctx));
                    }
                },
            };
        }
        Ok(merged.unwrap_or(Type::Json))
    }

    fn resolve_typed(
        &mut self,
        obj: &Map<String, Value>,
        ctx: &str,
        hint: &str,
    ) -> Result<Type, String> {
        match obj.get("type") {
            Some(Value::String(kind)) => self.resolve_kind(kind, obj, ctx, hint),
            Some(Value::Array(kinds)) => {
                let kinds: Vec<&str> = kinds.iter().filter_map(Value::as_str).collect();
                if let [kind] = kinds.as_slice() {
                    return self.resolve_kind(kind, obj, ctx, hint);
                }
                if kinds.iter().any(|k| matches!(*k, "object" | "array")) {
                    Ok(self.json(JsonReason::TypeArrayWithObjectOrArray, ctx))
                } else if !kinds.is_empty() && kinds.iter().all(|k| *k == "integer") {
                    Ok(Type::Integer(number_rules(obj)))
                } else if !kinds.is_empty()
                    && kinds.iter().all(|k| matches!(*k, "integer" | "number"))
                {
                    Ok(Type::Number(number_rules(obj)))
                } else if kinds.is_empty() {
                    Ok(self.json(JsonReason::UnknownType, ctx))
                } else {
                    // CloudFormation accepts strings for every primitive.
                    Ok(Type::String(string_rules(obj)))
                }
            }
            Some(_) => Ok(self.json(JsonReason::UnknownType, ctx)),
            None => match infer_kind(obj) {
                Some(kind) => self.resolve_kind(kind, obj, ctx, hint),
                None => Ok(self.json(JsonReason::NoType, ctx)),
            },
        }
    }

    fn resolve_kind(
        &mut self,
        kind: &str,
        obj: &Map<String, Value>,
        ctx: &str,
        hint: &str,
    ) -> Result<Type, String> {
        Ok(match kind {
            "string" => Type::String(string_rules(obj)),
            "integer" => Type::Integer(number_rules(obj)),
            "number" => Type::Number(number_rules(obj)),
            "boolean" => Type::Boolean,
            "array" => {
                let item = match obj.get("items") {
                    Some(items) if items.is_object() => self.resolve(items, ctx, "Item")?,
                    _ => self.json(JsonReason::ArrayWithoutItems, ctx),
                };
                Type::List {
                    item: Box::new(item),
                    min_items: obj.get("minItems").and_then(Value::as_u64),
                    max_items: obj.get("maxItems").and_then(Value::as_u64),
                }
            }
            "object" => self.resolve_object(obj, ctx, hint)?,
            _ => self.json(JsonReason::UnknownType, ctx),
        })
    }

    fn resolve_object(
        &mut self,
        obj: &Map<String, Value>,
        ctx: &str,
        hint: &str,
    ) -> Result<Type, String> {
        if obj.get("properties").is_some_and(Value::is_object) {
            let name = self.fresh_name(ctx, hint);
            self.build_struct(name.clone(), obj)?;
            return Ok(Type::Object(name));
        }
        if let Some(patterns) = obj.get("patternProperties").and_then(Value::as_object) {
            if let Some((pattern, value)) = patterns.iter().next().filter(|_| patterns.len() == 1) {
                let value = self.resolve(value, ctx, "Value")?;
                return Ok(Type::Map {
                    value: Box::new(value),
                    key_pattern: Some(pattern.clone()),
                });
            }
            if patterns.len() > 1 {
                return Ok(self.json(JsonReason::MultiplePatternProperties, ctx));
            }
        }
        if let Some(value) = obj.get("additionalProperties").filter(|v| v.is_object()) {
            let value = self.resolve(value, ctx, "Value")?;
            return Ok(Type::Map {
                value: Box::new(value),
                key_pattern: None,
            });
        }
        Ok(self.json(JsonReason::FreeFormObject, ctx))
    }

    /// Builds the struct `name` from an object node with `properties`.
    fn build_struct(&mut self, name: String, obj: &Map<String, Value>) -> Result<(), String> {
        let slot = self.slots.len();
        self.slots.push(None);
        let required = string_list(obj.get("required"));
        let mut properties = Vec::new();
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            for (pname, pnode) in props {
                properties.push(self.property(&name, pname, pnode, &required)?);
            }
        }
        let mut one_of_required = Vec::new();
        for key in ["oneOf", "anyOf"] {
            if let Some(alternatives) = obj.get(key).and_then(required_only) {
                one_of_required.extend(alternatives);
            }
        }
        self.slots[slot] = Some(Definition {
            name,
            description: description(obj),
            properties,
            additional_properties: obj.get("additionalProperties") != Some(&Value::Bool(false)),
            one_of_required,
        });
        Ok(())
    }

    /// Builds one struct `name` from `oneOf` branches that are all objects
    /// with `properties`: the union of their properties, each branch's
    /// `required` list becoming one alternative.
    fn build_union_struct(
        &mut self,
        name: String,
        parent: &Map<String, Value>,
        branches: &[Map<String, Value>],
    ) -> Result<(), String> {
        let slot = self.slots.len();
        self.slots.push(None);
        let required = string_list(parent.get("required"));
        let mut properties: Vec<Property> = Vec::new();
        let mut one_of_required = Vec::new();
        let mut additional_properties = false;
        for branch in branches {
            if let Some(props) = branch.get("properties").and_then(Value::as_object) {
                for (pname, pnode) in props {
                    if properties.iter().all(|p| &p.name != pname) {
                        properties.push(self.property(&name, pname, pnode, &required)?);
                    }
                }
            }
            let alternative: Vec<String> = string_list(branch.get("required"))
                .into_iter()
                .filter(|r| !required.contains(r))
                .collect();
            if !alternative.is_empty() {
                one_of_required.push(alternative);
            }
            additional_properties |=
                branch.get("additionalProperties") != Some(&Value::Bool(false));
        }
        self.slots[slot] = Some(Definition {
            name,
            description: description(parent),
            properties,
            additional_properties,
            one_of_required,
        });
        Ok(())
    }

    /// A property of the struct `parent` (or of the resource, with `parent`
    /// empty), required when listed in `required`.
    pub(crate) fn property(
        &mut self,
        parent: &str,
        name: &str,
        node: &Value,
        required: &[String],
    ) -> Result<Property, String> {
        Ok(Property {
            name: name.to_owned(),
            ty: self.resolve(node, &format!("{parent}{name}"), "")?,
            required: required.iter().any(|r| r == name),
            description: self.description_of(node),
            read_only: false,
            create_only: false,
            write_only: false,
        })
    }
}

/// The alternatives of a `oneOf`/`anyOf` whose branches only carry `required`.
pub(crate) fn required_only(branches: &Value) -> Option<Vec<Vec<String>>> {
    let branches = branches.as_array()?;
    let mut alternatives = Vec::new();
    for branch in branches {
        let branch = branch.as_object()?;
        if !branch.contains_key("required")
            || branch
                .keys()
                .any(|k| !REQUIRED_ONLY_KEYS.contains(&k.as_str()))
        {
            return None;
        }
        alternatives.push(string_list(branch.get("required")));
    }
    Some(alternatives)
}

/// A list of strings (`required`), empty when absent.
pub(crate) fn string_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn description(obj: &Map<String, Value>) -> Option<String> {
    obj.get("description")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// No combinator other than `required` lists: reading it as a plain node is exact.
fn plain(obj: &Map<String, Value>) -> bool {
    ["oneOf", "anyOf"]
        .iter()
        .all(|k| obj.get(*k).is_none_or(|b| required_only(b).is_some()))
}

/// An object node with `properties` that becomes a struct under its own name.
fn is_struct(obj: &Map<String, Value>) -> bool {
    !obj.contains_key("$ref")
        && plain(obj)
        && obj.get("properties").is_some_and(Value::is_object)
        && obj.get("type").is_none_or(|t| t == "object")
}

/// The kind of a node without `type`, from the keywords it carries.
fn infer_kind(obj: &Map<String, Value>) -> Option<&'static str> {
    // cfn-lint marks policy documents `format: json` without a type: they
    // take an object or a string, so they are free-form JSON.
    if obj.get("format").and_then(Value::as_str) == Some("json") {
        None
    } else if obj.contains_key("properties") || obj.contains_key("patternProperties") {
        Some("object")
    } else if obj.contains_key("items") {
        Some("array")
    } else if ["pattern", "minLength", "maxLength", "const"]
        .iter()
        .any(|k| obj.contains_key(*k))
        || obj
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.is_empty() && e.iter().all(Value::is_string))
    {
        Some("string")
    } else {
        None
    }
}

fn string_rules(obj: &Map<String, Value>) -> StringRules {
    let mut enum_values = string_list(obj.get("enum"));
    if enum_values.is_empty() {
        if let Some(c) = obj.get("const").and_then(Value::as_str) {
            enum_values.push(c.to_owned());
        }
    }
    StringRules {
        min_length: obj.get("minLength").and_then(Value::as_u64),
        max_length: obj.get("maxLength").and_then(Value::as_u64),
        pattern: obj
            .get("pattern")
            .and_then(Value::as_str)
            .map(str::to_owned),
        enum_values,
        format: obj.get("format").and_then(Value::as_str).map(str::to_owned),
    }
}

fn number_rules(obj: &Map<String, Value>) -> NumberRules {
    let mut enum_values: Vec<f64> = obj
        .get("enum")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    if enum_values.is_empty() {
        enum_values.extend(obj.get("const").and_then(Value::as_f64));
    }
    NumberRules {
        minimum: obj.get("minimum").and_then(Value::as_f64),
        maximum: obj.get("maximum").and_then(Value::as_f64),
        exclusive_minimum: obj.get("exclusiveMinimum").and_then(Value::as_f64),
        exclusive_maximum: obj.get("exclusiveMaximum").and_then(Value::as_f64),
        enum_values,
    }
}

/// Keywords written next to a `$ref` narrow the referenced type.
fn apply_sibling_rules(ty: Type, obj: &Map<String, Value>) -> Type {
    let u64_of = |k: &str| obj.get(k).and_then(Value::as_u64);
    let f64_of = |k: &str| obj.get(k).and_then(Value::as_f64);
    match ty {
        Type::String(mut r) => {
            r.min_length = u64_of("minLength").or(r.min_length);
            r.max_length = u64_of("maxLength").or(r.max_length);
            if let Some(p) = obj.get("pattern").and_then(Value::as_str) {
                r.pattern = Some(p.to_owned());
            }
            if let Some(f) = obj.get("format").and_then(Value::as_str) {
                r.format = Some(f.to_owned());
            }
            let e = string_list(obj.get("enum"));
            if !e.is_empty() {
                r.enum_values = e;
            }
            Type::String(r)
        }
        Type::Integer(mut r) => {
            narrow_numbers(&mut r, &f64_of);
            Type::Integer(r)
        }
        Type::Number(mut r) => {
            narrow_numbers(&mut r, &f64_of);
            Type::Number(r)
        }
        Type::List {
            item,
            min_items,
            max_items,
        } => Type::List {
            item,
            min_items: u64_of("minItems").or(min_items),
            max_items: u64_of("maxItems").or(max_items),
        },
        other => other,
    }
}

fn narrow_numbers(r: &mut NumberRules, f64_of: &dyn Fn(&str) -> Option<f64>) {
    r.minimum = f64_of("minimum").or(r.minimum);
    r.maximum = f64_of("maximum").or(r.maximum);
    r.exclusive_minimum = f64_of("exclusiveMinimum").or(r.exclusive_minimum);
    r.exclusive_maximum = f64_of("exclusiveMaximum").or(r.exclusive_maximum);
}

/// `Some(value)` when both are equal, else `None`: rules that differ are dropped.
fn same<T: PartialEq + Clone>(a: &Option<T>, b: &Option<T>) -> Option<T> {
    if a == b { a.clone() } else { None }
}

/// Branches that differ in `format` only accept a value of either format:
/// the alternatives, joined by `|` (`AWS::KMS::Key.Arn|AWS::KMS::Key.Id`).
/// A branch without a format accepts any string, so the merge has none.
fn either_format(a: &Option<String>, b: &Option<String>) -> Option<String> {
    let (a, b) = (a.as_ref()?, b.as_ref()?);
    let mut all: Vec<&str> = a.split('|').collect();
    for f in b.split('|') {
        if !all.contains(&f) {
            all.push(f);
        }
    }
    Some(all.join("|"))
}

/// The merge of two `oneOf`/`anyOf` branches of the same kind, keeping only
/// the rules they agree on; `None` when the kinds differ.
fn merge(a: &Type, b: &Type) -> Option<Type> {
    Some(match (a, b) {
        (Type::String(x), Type::String(y)) => Type::String(StringRules {
            min_length: same(&x.min_length, &y.min_length),
            max_length: same(&x.max_length, &y.max_length),
            pattern: same(&x.pattern, &y.pattern),
            enum_values: if x.enum_values == y.enum_values {
                x.enum_values.clone()
            } else {
                Vec::new()
            },
            format: either_format(&x.format, &y.format),
        }),
        (Type::Integer(x), Type::Integer(y)) => Type::Integer(merge_numbers(x, y)),
        (Type::Number(x), Type::Number(y)) => Type::Number(merge_numbers(x, y)),
        (Type::Boolean, Type::Boolean) => Type::Boolean,
        (Type::Json, Type::Json) => Type::Json,
        (
            Type::List {
                item: xi,
                min_items: xmin,
                max_items: xmax,
            },
            Type::List {
                item: yi,
                min_items: ymin,
                max_items: ymax,
            },
        ) => Type::List {
            item: Box::new(merge(xi, yi)?),
            min_items: same(xmin, ymin),
            max_items: same(xmax, ymax),
        },
        (
            Type::Map {
                value: xv,
                key_pattern: xp,
            },
            Type::Map {
                value: yv,
                key_pattern: yp,
            },
        ) => Type::Map {
            value: Box::new(merge(xv, yv)?),
            key_pattern: same(xp, yp),
        },
        (Type::Object(x), Type::Object(y)) if x == y => Type::Object(x.clone()),
        _ => return None,
    })
}

fn merge_numbers(x: &NumberRules, y: &NumberRules) -> NumberRules {
    NumberRules {
        minimum: same(&x.minimum, &y.minimum),
        maximum: same(&x.maximum, &y.maximum),
        exclusive_minimum: same(&x.exclusive_minimum, &y.exclusive_minimum),
        exclusive_maximum: same(&x.exclusive_maximum, &y.exclusive_maximum),
        enum_values: if x.enum_values == y.enum_values {
            x.enum_values.clone()
        } else {
            Vec::new()
        },
    }
}
