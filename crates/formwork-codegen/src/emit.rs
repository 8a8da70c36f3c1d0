//! One Rust file per resource type: the L1 struct, its typed handle, its
//! property types and enums, and the static shapes validation walks.

use std::collections::HashMap;
use std::fmt::Write;

use formwork_spec::{
    Definition, NumberRules, Property, ResourceType, StringRules, TagFormat, Type,
};

use formwork_core::pattern::ErrorKind;

use crate::docs::{doc_lines, lit};
use crate::names::{Taken, camel, snake, type_name, upper};

/// Counts of what the generator could not carry over, for its report.
#[derive(Default, Debug)]
pub struct Stats {
    pub structs: usize,
    pub enums: usize,
    pub properties: usize,
    /// Structs and enums generated once in a namespace's `shared` module.
    pub shared: usize,
    /// Schema patterns that are not regular expressions at all (no engine
    /// could check them): reported, left unchecked.
    pub unchecked_patterns: Vec<String>,
    /// Schema patterns with syntax formwork's matcher does not support:
    /// the generation fails on them.
    pub unsupported_patterns: Vec<String>,
}

/// Methods of `ResourceRef` that attribute accessors must not shadow.
const REF_METHODS: &[&str] = &[
    "target",
    "stack",
    "stack_id",
    "ref_",
    "get_att",
    "path",
    "logical_id",
    "type_name",
    "spec",
    "override_logical_id",
    "add_depends_on",
    "set_deletion_policy",
    "set_update_replace_policy",
    "apply_removal_policy",
    "deletion_policy",
    "set_condition",
    "add_metadata",
    "add_property_override",
    "with_props",
    "inspect",
    "update",
    "clone",
    "from",
    "deref",
];

/// Methods every generated type has (`Default::default`, `Clone::clone`, ...)
/// that a property's builder method must not shadow: `default` becomes
/// `default_`. (`from` and `into` stay: they never shadow a call the
/// generated code makes, and existing names are kept.)
const SHADOWED_METHODS: &[&str] = &["default", "clone", "clone_from", "fmt", "eq", "ne"];

/// A property type or enum of one resource type's file: its code, apart from
/// the first doc line, which names where it is used.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The Rust name.
    pub name: String,
    /// The schema's name (the Rust name of an enum).
    pub schema_name: String,
    pub is_enum: bool,
    /// Where in `text` the first doc line goes.
    pub doc_at: usize,
    /// The code, without its first doc line.
    pub text: String,
    /// The Rust names of the structs and enums its code refers to.
    pub refs: Vec<String>,
}

impl Unit {
    /// The `SHAPE_` static of a struct.
    pub fn shape(&self) -> String {
        format!("SHAPE_{}", upper(&self.name))
    }

    /// The code with `doc` (one line, no `///`) as its first doc line.
    pub fn with_doc(&self, doc: &str) -> String {
        format!(
            "{}/// {doc}\n{}",
            &self.text[..self.doc_at],
            &self.text[self.doc_at..]
        )
    }
}

/// One resource type's file, in pieces.
#[derive(Debug, Clone)]
pub struct Parts {
    pub type_name: String,
    /// Header, lints, `use`.
    pub head: String,
    /// The resource's shape, spec, type and handle.
    pub body: String,
    /// The structs and enums the resource's own properties refer to.
    pub local_refs: Vec<String>,
    pub units: Vec<Unit>,
}

struct EnumDef {
    name: String,
    values: Vec<String>,
}

pub struct Emitter<'a> {
    t: &'a ResourceType,
    source: &'a str,
    regions: &'a [String],
    struct_names: HashMap<String, String>,
    /// (owner, property) → enum type name.
    enum_of: HashMap<(String, String), String>,
    enums: Vec<EnumDef>,
    pub stats: Stats,
}

fn string_enum(ty: &Type) -> Option<&StringRules> {
    match ty {
        Type::String(r) if !r.enum_values.is_empty() => Some(r),
        Type::List { item, .. } => string_enum(item),
        Type::Map { value, .. } => string_enum(value),
        _ => None,
    }
}

impl<'a> Emitter<'a> {
    pub fn new(t: &'a ResourceType, source: &'a str, regions: &'a [String]) -> Self {
        let cfn = format!("Cfn{}", camel(&t.name));
        let cfn_ref = format!("{cfn}Ref");
        let reserved: Vec<&str> = [cfn.as_str(), cfn_ref.as_str()]
            .into_iter()
            .chain(crate::names::PRELUDE.iter().copied())
            .collect();
        let mut taken = Taken::with(&reserved);
        let mut struct_names = HashMap::new();
        for d in &t.definitions {
            struct_names.insert(d.name.clone(), taken.claim(&type_name(&d.name)));
        }
        let mut e = Emitter {
            t,
            source,
            regions,
            struct_names,
            enum_of: HashMap::new(),
            enums: Vec::new(),
            stats: Stats::default(),
        };
        let owners: Vec<(String, &Vec<Property>)> = std::iter::once((String::new(), &t.properties))
            .chain(
                t.definitions
                    .iter()
                    .map(|d| (d.name.clone(), &d.properties)),
            )
            .collect();
        for (owner, props) in owners {
            for p in props {
                if let Some(rules) = string_enum(&p.ty) {
                    let name = e.enum_name(&owner, &p.name, &rules.enum_values, &mut taken);
                    e.enum_of.insert((owner.clone(), p.name.clone()), name);
                }
            }
        }
        e
    }

    fn enum_name(
        &mut self,
        owner: &str,
        prop: &str,
        values: &[String],
        taken: &mut Taken,
    ) -> String {
        for base in [camel(prop), camel(&format!("{owner}{prop}"))] {
            if let Some(e) = self.enums.iter().find(|e| e.name == base) {
                if e.values == values {
                    return base;
                }
                continue;
            }
            if !taken.has(&base) {
                let name = taken.claim(&base);
                self.enums.push(EnumDef {
                    name: name.clone(),
                    values: values.to_vec(),
                });
                return name;
            }
        }
        let name = taken.claim(&type_name(&format!("{owner}{prop}")));
        self.enums.push(EnumDef {
            name: name.clone(),
            values: values.to_vec(),
        });
        name
    }

    fn cfn(&self) -> String {
        format!("Cfn{}", camel(&self.t.name))
    }

    /// The file's pieces: its head, the resource's statics and type, and one
    /// [`Unit`] per property type and enum (which the namespace may share
    /// between resource types, see `crate::share`).
    pub fn parts(&mut self) -> Parts {
        let t = self.t;
        let mut head = String::new();
        let _ = writeln!(
            head,
            "// @generated by formwork-codegen from the CloudFormation schema of {} ({}).\n// Do not edit: change the generator or refresh the schemas, then run `cargo run -p formwork-codegen`.\n",
            t.type_name, self.source
        );
        let _ = writeln!(
            head,
            "//! `{}`: the L1 resource type [`{}`], its handle, property types and enums.\n",
            t.type_name,
            self.cfn()
        );
        head.push_str(
            "#![allow(clippy::should_implement_trait, clippy::wrong_self_convention)]\n\n",
        );
        head.push_str("use ::formwork_core as fw;\n");
        let mut body = String::new();
        self.statics(&mut body);
        self.resource(&mut body);
        let mut units = Vec::new();
        for d in &t.definitions {
            units.push(self.definition(d));
        }
        let enums = std::mem::take(&mut self.enums);
        for e in &enums {
            units.push(self.enumeration(e));
        }
        self.stats.enums += enums.len();
        self.enums = enums;
        let mut local_refs: Vec<String> =
            t.properties.iter().flat_map(|p| self.refs_of(p)).collect();
        local_refs.extend(self.enum_refs("", &t.properties));
        Parts {
            type_name: t.type_name.clone(),
            head,
            body,
            local_refs,
            units,
        }
    }

    /// The struct and enum names a property's setter and shape refer to.
    fn refs_of(&self, p: &Property) -> Vec<String> {
        let mut out = Vec::new();
        let mut ty = &p.ty;
        loop {
            match ty {
                Type::List { item, .. } => ty = item,
                Type::Map { value, .. } => ty = value,
                _ => break,
            }
        }
        if let Type::Object(n) = ty {
            out.push(self.struct_names[n].clone());
        }
        out
    }

    /// The enum name of each enum-typed property of `owner`.
    fn enum_refs(&self, owner: &str, props: &[Property]) -> Vec<String> {
        props
            .iter()
            .filter_map(|p| {
                self.enum_of
                    .get(&(owner.to_owned(), p.name.clone()))
                    .cloned()
            })
            .collect()
    }

    fn shape_of(&mut self, ty: &Type) -> String {
        match ty {
            Type::String(r) => self.string_rules(r),
            Type::Integer(r) => format!("fw::spec::Shape::Integer({})", number_rules(r)),
            Type::Number(r) => format!("fw::spec::Shape::Number({})", number_rules(r)),
            Type::Boolean => "fw::spec::Shape::Boolean".to_owned(),
            Type::Json => "fw::spec::Shape::Json".to_owned(),
            Type::List {
                item,
                min_items,
                max_items,
            } => format!(
                "fw::spec::Shape::List(&fw::spec::ListShape {{ item: {}, min_items: {}, max_items: {} }})",
                self.shape_of(item),
                opt_u64(*min_items),
                opt_u64(*max_items)
            ),
            Type::Map { value, key_pattern } => format!(
                "fw::spec::Shape::Map(&fw::spec::MapShape {{ value: {}, key_pattern: {} }})",
                self.shape_of(value),
                self.pattern(key_pattern.as_deref())
            ),
            Type::Object(name) => format!(
                "fw::spec::Shape::Object(&SHAPE_{})",
                upper(&self.struct_names[name])
            ),
        }
    }

    fn pattern(&mut self, p: Option<&str>) -> String {
        let Some(p) = p else {
            return "None".to_owned();
        };
        let t = crate::pattern::translate(p);
        match formwork_core::pattern::Pattern::new(&t) {
            Ok(_) => format!("Some({})", lit(&t)),
            Err(e) => {
                let list = match e.kind {
                    ErrorKind::Invalid => &mut self.stats.unchecked_patterns,
                    ErrorKind::Unsupported => &mut self.stats.unsupported_patterns,
                };
                list.push(format!("{}: {p}: {e}", self.t.type_name));
                "None".to_owned()
            }
        }
    }

    fn string_rules(&mut self, r: &StringRules) -> String {
        // Formats validation checks; the rest (`json`, `int64`, ...) say
        // nothing about a string's value.
        let format = r.format.as_deref().filter(|f| checked_format(f));
        if r.min_length.is_none()
            && r.max_length.is_none()
            && r.pattern.is_none()
            && r.enum_values.is_empty()
            && format.is_none()
        {
            return "fw::spec::Shape::String(&fw::spec::StringRules::NONE)".to_owned();
        }
        let values: Vec<String> = r.enum_values.iter().map(|v| lit(v)).collect();
        format!(
            "fw::spec::Shape::String(&fw::spec::StringRules {{ min_length: {}, max_length: {}, pattern: {}, values: &[{}], format: {} }})",
            opt_u64(r.min_length),
            opt_u64(r.max_length),
            self.pattern(r.pattern.as_deref()),
            values.join(", "),
            format.map_or("None".to_owned(), |f| format!("Some({})", lit(f)))
        )
    }

    fn object_shape(
        &mut self,
        name: &str,
        props: &[Property],
        closed: bool,
        one_of: &[Vec<String>],
    ) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "fw::spec::ObjectShape {{\n    name: {},\n    properties: &[",
            lit(name)
        );
        for p in props {
            let shape = self.shape_of(&p.ty);
            let _ = writeln!(
                o,
                "        fw::spec::PropSpec {{ name: {}, shape: {shape}, required: {} }},",
                lit(&p.name),
                p.required
            );
        }
        let sets: Vec<String> = one_of
            .iter()
            .map(|s| {
                format!(
                    "&[{}]",
                    s.iter().map(|x| lit(x)).collect::<Vec<_>>().join(", ")
                )
            })
            .collect();
        let _ = write!(
            o,
            "    ],\n    closed: {closed},\n    one_of_required: &[{}],\n}}",
            sets.join(", ")
        );
        o
    }

    fn statics(&mut self, o: &mut String) {
        let t = self.t;
        let body = self.object_shape(&self.cfn(), &t.properties, true, &t.one_of_required);
        let _ = writeln!(o, "static SHAPE: fw::spec::ObjectShape = {body};\n");
        let mut mask: u64 = 0;
        for r in &t.regions {
            if let Some(i) = self.regions.iter().position(|x| x == r) {
                mask |= 1 << i;
            }
        }
        let tagging = match (
            &t.tagging.tag_property,
            t.tagging.format,
            t.tagging.taggable,
        ) {
            (Some(p), TagFormat::List, true) if !p.contains('.') => {
                format!("fw::spec::Tagging::List({})", lit(p))
            }
            (Some(p), TagFormat::Map, true) if !p.contains('.') => {
                format!("fw::spec::Tagging::Map({})", lit(p))
            }
            _ => "fw::spec::Tagging::None".to_owned(),
        };
        let list = |v: &[String]| v.iter().map(|x| lit(x)).collect::<Vec<_>>().join(", ");
        let attrs: Vec<String> = t.attributes.iter().map(|a| a.name.clone()).collect();
        let _ = writeln!(
            o,
            "static SPEC: fw::spec::ResourceSpec = fw::spec::ResourceSpec {{\n    type_name: {},\n    object: &SHAPE,\n    attributes: &[{}],\n    create_only: &[{}],\n    write_only: &[{}],\n    tagging: {tagging},\n    regions: {mask:#x},\n    region_table: crate::REGIONS,\n    doc_url: {},\n}};\n",
            lit(&t.type_name),
            list(&attrs),
            list(&t.create_only),
            list(&t.write_only),
            t.documentation_url
                .as_deref()
                .map_or("None".to_owned(), |u| format!("Some({})", lit(u))),
        );
    }

    /// The parameter type of a setter and how to turn it into a value.
    fn param(&self, owner: &str, p: &Property) -> (String, String) {
        let item = |ty: &Type| -> String {
            match ty {
                Type::String(r) if !r.enum_values.is_empty() => {
                    format!(
                        "fw::typed::Enum<{}>",
                        self.enum_of[&(owner.to_owned(), p.name.clone())]
                    )
                }
                Type::String(_) => "fw::typed::Str".to_owned(),
                Type::Integer(_) => "fw::typed::Int".to_owned(),
                Type::Number(_) => "fw::typed::Num".to_owned(),
                Type::Boolean => "fw::typed::Boolean".to_owned(),
                Type::Object(n) => self.struct_names[n].clone(),
                Type::Json | Type::List { .. } | Type::Map { .. } => "fw::typed::Json".to_owned(),
            }
        };
        match &p.ty {
            Type::List { item: i, .. } => (
                format!("impl fw::typed::IntoList<{}>", item(i)),
                "v.into_list()".to_owned(),
            ),
            Type::Map { value, .. } => (
                format!("impl fw::typed::IntoMap<{}>", item(value)),
                "v.into_map()".to_owned(),
            ),
            Type::Object(n) => {
                let ty = format!("fw::typed::Obj<{}>", self.struct_names[n]);
                (
                    format!("impl Into<{ty}>"),
                    format!("Into::<{ty}>::into(v).into_value()"),
                )
            }
            other => {
                let ty = item(other);
                (
                    format!("impl Into<{ty}>"),
                    format!("Into::<{ty}>::into(v).into_value()"),
                )
            }
        }
    }

    fn prop_doc(&self, p: &Property, type_label: &str) -> String {
        let mut o = String::new();
        match &p.description {
            Some(d) if !d.trim().is_empty() => o.push_str(&doc_lines(d.trim(), "    ")),
            _ => {
                let _ = writeln!(o, "    /// Sets `{}` of {type_label}.", p.name);
            }
        }
        let mut facts = vec![format!("Type: {}.", describe(&p.ty, &self.struct_names))];
        if p.required {
            facts.push("Required.".to_owned());
        }
        if p.create_only {
            facts.push("Changing it replaces the resource.".to_owned());
        }
        if p.write_only {
            facts.push("Write-only: CloudFormation never returns it.".to_owned());
        }
        if let Some(r) = match &p.ty {
            Type::String(r) => Some(r),
            Type::List { item, .. } => match item.as_ref() {
                Type::String(r) => Some(r),
                _ => None,
            },
            _ => None,
        } {
            if r.min_length.is_some() || r.max_length.is_some() {
                facts.push(format!(
                    "Length: {} to {}.",
                    r.min_length.unwrap_or(0),
                    r.max_length.map_or("any".to_owned(), |m| m.to_string())
                ));
            }
            if let Some(pat) = &r.pattern {
                if !pat.contains(['`', '\n', '\r']) && pat.len() < 200 {
                    facts.push(format!("Pattern: `{pat}`."));
                }
            }
        }
        if let Type::Integer(r) | Type::Number(r) = &p.ty {
            if r.minimum.is_some() || r.maximum.is_some() {
                let f = |x: Option<f64>| x.map_or("any".to_owned(), |x| x.to_string());
                facts.push(format!("Range: {} to {}.", f(r.minimum), f(r.maximum)));
            }
        }
        let _ = writeln!(o, "    ///\n    /// {}", facts.join(" "));
        o
    }

    fn methods(&mut self, o: &mut String, owner: &str, props: &[Property], type_label: &str) {
        let mut taken = Taken::with(&["new", "props", "props_mut", "from_props"]);
        for (i, p) in props.iter().enumerate() {
            self.stats.properties += 1;
            let mut base = snake(&p.name);
            if SHADOWED_METHODS.contains(&base.as_str()) {
                base.push('_');
            }
            let name = taken.claim(&base);
            let setter = taken.claim(&format!("set_{}", name.trim_end_matches('_')));
            let getter = taken.claim(&format!("get_{}", name.trim_end_matches('_')));
            let (param, conv) = self.param(owner, p);
            let opt_param = param.replacen("impl ", "Option<impl ", 1) + ">";
            o.push_str(&self.prop_doc(p, type_label));
            let _ = writeln!(
                o,
                "    pub fn {name}(mut self, v: {param}) -> Self {{\n        self.props.set({i}, Some({conv}));\n        self\n    }}\n"
            );
            let _ = writeln!(
                o,
                "    /// Sets `{}`, or removes it with `None`.\n    pub fn {setter}(&mut self, v: {opt_param}) -> &mut Self {{\n        self.props.set({i}, v.map(|v| {conv}));\n        self\n    }}\n",
                p.name
            );
            let _ = writeln!(
                o,
                "    /// The value of `{}`, if set.\n    #[inline]\n    pub fn {getter}(&self) -> Option<&fw::Value> {{\n        self.props.get({i})\n    }}\n",
                p.name
            );
        }
    }

    fn resource(&mut self, o: &mut String) {
        let t = self.t;
        let cfn = self.cfn();
        let _ = writeln!(o, "/// `{}`", t.type_name);
        if let Some(d) = &t.description {
            o.push_str("///\n");
            o.push_str(&doc_lines(d.trim(), ""));
        }
        o.push_str("///\n/// Add it to a stack with `scope.add(id, resource)`, which returns its typed handle.\n");
        if let Some(u) = &t.documentation_url {
            let _ = writeln!(o, "///\n/// Reference: <{u}>");
        }
        let _ = writeln!(
            o,
            "#[derive(Clone, Default, PartialEq)]\npub struct {cfn} {{\n    props: fw::props::PropBag,\n}}\n\nimpl std::fmt::Debug for {cfn} {{\n    #[inline]\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        self.props.debug_fmt(&SHAPE, {}, f)\n    }}\n}}\n",
            lit(&cfn)
        );
        let _ = writeln!(
            o,
            "impl {cfn} {{\n    /// The CloudFormation type name.\n    pub const TYPE_NAME: &'static str = {};\n\n    /// A resource with no property set.\n    #[inline]\n    pub fn new() -> Self {{\n        Self::default()\n    }}\n",
            lit(&t.type_name)
        );
        let label = format!("`{}`", t.type_name);
        self.methods(o, "", &t.properties, &label);
        o.push_str("}\n\n");
        let _ = writeln!(
            o,
            "impl fw::sealed::Sealed for {cfn} {{}}\n\nimpl fw::Resource for {cfn} {{\n    type Ref = {cfn}Ref;\n    const SPEC: &'static fw::spec::ResourceSpec = &SPEC;\n    #[inline]\n    fn props(&self) -> &fw::props::PropBag {{\n        &self.props\n    }}\n    #[inline]\n    fn props_mut(&mut self) -> &mut fw::props::PropBag {{\n        &mut self.props\n    }}\n    #[inline]\n    fn from_props(props: fw::props::PropBag) -> Self {{\n        Self {{ props }}\n    }}\n}}\n"
        );
        let _ = writeln!(
            o,
            "/// A handle to a [`{cfn}`] in a stack: its `Ref` (`ref_()`), its attributes, and\n/// the resource options of [`fw::ResourceRef`].\n#[derive(Clone)]\npub struct {cfn}Ref(fw::ResourceRef);\n\nimpl std::fmt::Debug for {cfn}Ref {{\n    #[inline]\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        f.debug_tuple(\"{cfn}Ref\").field(&self.0).finish()\n    }}\n}}\n\nimpl From<fw::ResourceRef> for {cfn}Ref {{\n    #[inline]\n    fn from(r: fw::ResourceRef) -> Self {{\n        Self(r)\n    }}\n}}\n\nimpl std::ops::Deref for {cfn}Ref {{\n    type Target = fw::ResourceRef;\n    #[inline]\n    fn deref(&self) -> &fw::ResourceRef {{\n        &self.0\n    }}\n}}\n"
        );
        let _ = writeln!(o, "impl {cfn}Ref {{");
        let mut taken = Taken::with(REF_METHODS);
        for a in &t.attributes {
            let mut name = snake(&a.name.replace('.', "_"));
            if taken.has(&name) {
                name = format!("{}_attr", name.trim_end_matches('_'));
            }
            let name = taken.claim(&name);
            let _ = writeln!(
                o,
                "    /// `Fn::GetAtt` `{}`.\n    #[inline]\n    pub fn {name}(&self) -> fw::Expr {{\n        self.0.get_att({})\n    }}\n",
                a.name,
                lit(&a.name)
            );
        }
        let _ = writeln!(
            o,
            "    /// Changes the resource's properties: the escape hatch for what a\n    /// higher-level construct does not model.\n    pub fn update(&self, f: impl FnOnce({cfn}) -> {cfn}) {{\n        self.0.update::<{cfn}>(f);\n    }}\n\n    /// Reads the resource's properties.\n    pub fn inspect<T>(&self, f: impl FnOnce(&{cfn}) -> T) -> Option<T> {{\n        self.0.inspect::<{cfn}, T>(f)\n    }}\n}}\n"
        );
    }

    fn definition(&mut self, d: &Definition) -> Unit {
        self.stats.structs += 1;
        let sname = self.struct_names[&d.name].clone();
        let shape = format!("SHAPE_{}", upper(&sname));
        let mut o = String::new();
        let body = self.object_shape(
            &d.name,
            &d.properties,
            !d.additional_properties,
            &d.one_of_required,
        );
        let _ = writeln!(o, "static {shape}: fw::spec::ObjectShape = {body};\n");
        let first_doc = o.len();
        if let Some(desc) = &d.description {
            o.push_str("///\n");
            o.push_str(&doc_lines(desc.trim(), ""));
        }
        let _ = writeln!(
            o,
            "#[derive(Clone, Default, PartialEq)]\npub struct {sname} {{\n    props: fw::props::PropBag,\n}}\n\nimpl std::fmt::Debug for {sname} {{\n    #[inline]\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        self.props.debug_fmt(&{shape}, {}, f)\n    }}\n}}\n\nimpl From<{sname}> for fw::Value {{\n    #[inline]\n    fn from(v: {sname}) -> fw::Value {{\n        v.props.into_value(&{shape})\n    }}\n}}\n\nimpl fw::typed::CfnObject for {sname} {{}}\n",
            lit(&sname)
        );
        let _ = writeln!(
            o,
            "impl {sname} {{\n    /// An empty value; set its properties with the methods below.\n    #[inline]\n    pub fn new() -> Self {{\n        Self::default()\n    }}\n"
        );
        let label = format!("`{}`", d.name);
        self.methods(&mut o, &d.name, &d.properties, &label);
        o.push_str("}\n\n");
        let mut refs: Vec<String> = d.properties.iter().flat_map(|p| self.refs_of(p)).collect();
        refs.extend(self.enum_refs(&d.name, &d.properties));
        Unit {
            name: sname,
            schema_name: d.name.clone(),
            is_enum: false,
            doc_at: first_doc,
            text: o,
            refs,
        }
    }

    fn enumeration(&self, e: &EnumDef) -> Unit {
        let mut text = String::new();
        let o = &mut text;
        let mut taken = Taken::with(&["Other"]);
        let variants: Vec<(String, &String)> = e
            .values
            .iter()
            .map(|v| (taken.claim(&camel(v)), v))
            .collect();
        let name = &e.name;
        let _ = writeln!(
            o,
            "///\n/// [`{name}::Other`] holds values newer than the vendored schema.\n#[derive(Clone, PartialEq, Eq, Hash)]\n#[non_exhaustive]\npub enum {name} {{"
        );
        for (v, raw) in &variants {
            let _ = writeln!(o, "    /// `{}`", raw.replace('`', "'"));
            let _ = writeln!(o, "    {v},");
        }
        o.push_str("    /// A value the vendored schema does not list: written as is, not validated.\n    Other(String),\n}\n\n");
        let _ = writeln!(
            o,
            "impl {name} {{\n    /// Every value the schema lists.\n    pub const VALUES: &'static [&'static str] = &[{}];\n\n    /// The value as CloudFormation spells it.\n    #[inline]\n    pub fn as_str(&self) -> &str {{\n        match self {{",
            variants
                .iter()
                .map(|(_, r)| lit(r))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for (v, raw) in &variants {
            let _ = writeln!(o, "            Self::{v} => {},", lit(raw));
        }
        o.push_str("            Self::Other(s) => s,\n        }\n    }\n}\n\n");
        // Written out rather than derived: a derived `Debug` is not
        // `#[inline]`, so every enum of the registry would cost machine code
        // in the L1 crate whether an app prints it or not.
        let _ = writeln!(
            o,
            "impl std::fmt::Debug for {name} {{\n    #[inline]\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        match self {{"
        );
        for (v, _) in &variants {
            let _ = writeln!(o, "            Self::{v} => f.write_str({}),", lit(v));
        }
        o.push_str("            Self::Other(s) => f.debug_tuple(\"Other\").field(s).finish(),\n        }\n    }\n}\n\n");
        let _ = writeln!(
            o,
            "impl From<&str> for {name} {{\n    #[inline]\n    fn from(s: &str) -> Self {{\n        match s {{"
        );
        for (v, raw) in &variants {
            let _ = writeln!(o, "            {} => Self::{v},", lit(raw));
        }
        let _ = writeln!(
            o,
            "            other => Self::Other(other.to_owned()),\n        }}\n    }}\n}}\n\nimpl std::fmt::Display for {name} {{\n    #[inline]\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n        f.write_str(self.as_str())\n    }}\n}}\n\nimpl fw::typed::CfnEnum for {name} {{\n    #[inline]\n    fn as_str(&self) -> &str {{\n        {name}::as_str(self)\n    }}\n    #[inline]\n    fn is_known(&self) -> bool {{\n        !matches!(self, Self::Other(_))\n    }}\n}}\n"
        );
        Unit {
            name: name.clone(),
            schema_name: name.clone(),
            is_enum: true,
            doc_at: 0,
            text,
            refs: Vec::new(),
        }
    }
}

fn opt_u64(v: Option<u64>) -> String {
    v.map_or("None".to_owned(), |v| format!("Some({v})"))
}

fn opt_f64(v: Option<f64>) -> String {
    v.map_or("None".to_owned(), |v| format!("Some({v:?})"))
}

fn number_rules(r: &NumberRules) -> String {
    if r.minimum.is_none()
        && r.maximum.is_none()
        && r.exclusive_minimum.is_none()
        && r.exclusive_maximum.is_none()
        && r.enum_values.is_empty()
    {
        return "&fw::spec::NumberRules::NONE".to_owned();
    }
    let values: Vec<String> = r.enum_values.iter().map(|v| format!("{v:?}")).collect();
    format!(
        "&fw::spec::NumberRules {{ minimum: {}, maximum: {}, exclusive_minimum: {}, exclusive_maximum: {}, values: &[{}] }}",
        opt_f64(r.minimum),
        opt_f64(r.maximum),
        opt_f64(r.exclusive_minimum),
        opt_f64(r.exclusive_maximum),
        values.join(", ")
    )
}

fn describe(ty: &Type, structs: &HashMap<String, String>) -> String {
    match ty {
        Type::String(r) if !r.enum_values.is_empty() => {
            let shown: Vec<&str> = r.enum_values.iter().take(12).map(String::as_str).collect();
            let more = if r.enum_values.len() > 12 {
                ", …"
            } else {
                ""
            };
            format!("one of `{}`{more}", shown.join("`, `"))
        }
        Type::String(_) => "string".to_owned(),
        Type::Integer(_) => "integer".to_owned(),
        Type::Number(_) => "number".to_owned(),
        Type::Boolean => "boolean".to_owned(),
        Type::Json => "JSON".to_owned(),
        Type::List { item, .. } => format!("list of {}", describe(item, structs)),
        Type::Map { value, .. } => format!("map of {}", describe(value, structs)),
        Type::Object(n) => format!("[`{}`]", structs[n]),
    }
}

/// The `format`s synth-time validation checks (see `formwork_core::synth::validate`);
/// alternatives (`a|b`) only when every one is checked.
fn checked_format(f: &str) -> bool {
    f.split('|').all(|f| {
        matches!(
            f,
            "ipv4-network" | "ipv6-network" | "date-time" | "date" | "uri"
        ) || (f.starts_with("AWS::") && !f.ends_with('s'))
    })
}
