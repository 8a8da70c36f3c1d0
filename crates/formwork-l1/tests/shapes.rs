//! Every generated resource type carries its schema's rules in the shape
//! data the validator reads (`formwork_core::spec`): each property, whether
//! it is required, each enum's values and each pattern, walked through lists,
//! maps and property types, for all 1,598 types (feature `full`).

use std::collections::{BTreeMap, HashSet};

use formwork_core::spec::{ResourceSpec, Shape};
use formwork_spec::{Definition, Property, StringRules, Type};

struct Walk<'a> {
    defs: BTreeMap<&'a str, &'a Definition>,
    seen: HashSet<(&'static str, String)>,
    errors: Vec<String>,
}

/// A schema pattern without a counterpart in the shape is only allowed when
/// it is not a regular expression at all (the generator reports those, and
/// refuses one that formwork's matcher does not support).
fn compiles(p: &str) -> bool {
    formwork_core::pattern::Pattern::new(p).is_ok()
}

impl<'a> Walk<'a> {
    fn pattern(&mut self, at: &str, model: Option<&String>, shape: Option<&str>) {
        match (model, shape) {
            (None, None) | (Some(_), Some(_)) => {}
            (Some(p), None) if !compiles(p) => {}
            (m, s) => self.errors.push(format!(
                "{at}: pattern {m:?} in the schema, {s:?} in the shape"
            )),
        }
    }

    fn string(&mut self, at: &str, r: &StringRules, s: &formwork_core::spec::StringRules) {
        if r.enum_values
            .iter()
            .map(String::as_str)
            .ne(s.values.iter().copied())
        {
            self.errors.push(format!(
                "{at}: enum {:?} in the schema, {:?} in the shape",
                r.enum_values, s.values
            ));
        }
        if r.min_length != s.min_length || r.max_length != s.max_length {
            self.errors.push(format!("{at}: lengths differ"));
        }
        self.pattern(at, r.pattern.as_ref(), s.pattern);
    }

    fn ty(&mut self, at: &str, ty: &'a Type, shape: &Shape) {
        match (ty, shape) {
            (Type::String(r), Shape::String(s)) => self.string(at, r, s),
            (Type::Integer(_), Shape::Integer(_))
            | (Type::Number(_), Shape::Number(_))
            | (Type::Boolean, Shape::Boolean)
            | (Type::Json, Shape::Json) => {}
            (Type::List { item, .. }, Shape::List(l)) => self.ty(&format!("{at}.*"), item, &l.item),
            (Type::Map { value, key_pattern }, Shape::Map(m)) => {
                self.pattern(at, key_pattern.as_ref(), m.key_pattern);
                self.ty(&format!("{at}.*"), value, &m.value);
            }
            (Type::Object(name), Shape::Object(o)) => {
                // Each (shape, definition) pair once: recursive property
                // types (`Expression.And.*` is an `Expression`) end here.
                if !self.seen.insert((o.name, name.clone())) {
                    return;
                }
                match self.defs.get(name.as_str()) {
                    Some(d) => self.props(at, &d.properties, o.properties),
                    None => self.errors.push(format!("{at}: no definition {name}")),
                }
            }
            (t, s) => self.errors.push(format!(
                "{at}: {} in the schema, {} in the shape",
                t.kind(),
                s.kind()
            )),
        }
    }

    fn props(&mut self, at: &str, model: &'a [Property], shape: &[formwork_core::spec::PropSpec]) {
        if model.len() != shape.len() {
            self.errors.push(format!(
                "{at}: {} properties in the schema, {} in the shape",
                model.len(),
                shape.len()
            ));
        }
        for p in model {
            let here = format!("{at}.{}", p.name);
            match shape.iter().find(|s| s.name == p.name) {
                None => self.errors.push(format!("{here}: missing from the shape")),
                Some(s) => {
                    if s.required != p.required {
                        self.errors.push(format!(
                            "{here}: required {} in the schema, {} in the shape",
                            p.required, s.required
                        ));
                    }
                    self.ty(&here, &p.ty, &s.shape);
                }
            }
        }
    }
}

#[test]
fn every_type_has_its_required_properties_enums_and_patterns_in_its_shape() {
    let registry = formwork_spec::load(&formwork_spec::schemas_dir()).expect("schemas load");
    let specs: BTreeMap<&str, &ResourceSpec> = formwork_l1::specs()
        .into_iter()
        .map(|s| (s.type_name, s))
        .collect();
    assert_eq!(
        specs.len(),
        registry.types.len(),
        "one spec per vendored type"
    );
    let mut errors = Vec::new();
    let mut checked = 0;
    for t in &registry.types {
        let Some(spec) = specs.get(t.type_name.as_str()) else {
            errors.push(format!("{}: no generated spec", t.type_name));
            continue;
        };
        let mut walk = Walk {
            defs: t.definitions.iter().map(|d| (d.name.as_str(), d)).collect(),
            seen: HashSet::new(),
            errors: Vec::new(),
        };
        walk.props(&t.type_name, &t.properties, spec.object.properties);
        errors.extend(walk.errors);
        checked += 1;
    }
    assert_eq!(checked, 1598);
    assert!(
        errors.is_empty(),
        "{} mismatches, first: {:#?}",
        errors.len(),
        &errors[..errors.len().min(20)]
    );
}
