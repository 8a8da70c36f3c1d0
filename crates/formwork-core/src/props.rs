//! The property bag behind every generated resource and property type.
//!
//! Values are stored by their position in the type's [`ObjectShape`], so
//! output follows schema order whatever order they were set in, and one
//! non-generic type serves every generated struct.

use std::fmt;

use crate::spec::ObjectShape;
use crate::value::Value;

/// Property values of one resource or property type, by schema position.
#[derive(Clone, Default, PartialEq)]
pub struct PropBag {
    values: Vec<(u16, Value)>,
}

impl PropBag {
    /// An empty bag.
    pub const fn new() -> PropBag {
        PropBag { values: Vec::new() }
    }

    /// Sets (or with `None`, removes) the value at a schema position.
    pub fn set(&mut self, index: u16, value: Option<Value>) {
        match (self.values.binary_search_by_key(&index, |(i, _)| *i), value) {
            (Ok(pos), Some(v)) => self.values[pos].1 = v,
            (Ok(pos), None) => {
                self.values.remove(pos);
            }
            (Err(pos), Some(v)) => self.values.insert(pos, (index, v)),
            (Err(_), None) => {}
        }
    }

    /// The value at a schema position.
    pub fn get(&self, index: u16) -> Option<&Value> {
        self.values
            .binary_search_by_key(&index, |(i, _)| *i)
            .ok()
            .map(|pos| &self.values[pos].1)
    }

    /// Mutable value at a schema position.
    pub fn get_mut(&mut self, index: u16) -> Option<&mut Value> {
        self.values
            .binary_search_by_key(&index, |(i, _)| *i)
            .ok()
            .map(|pos| &mut self.values[pos].1)
    }

    /// True when nothing is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The set values with their schema positions, in schema order, as a
    /// slice (synth reads them by position, without an iterator chain).
    pub(crate) fn entries(&self) -> &[(u16, Value)] {
        &self.values
    }

    /// The set values with their schema positions, in schema order.
    pub fn iter(&self) -> impl Iterator<Item = (u16, &Value)> {
        self.values.iter().map(|(i, v)| (*i, v))
    }

    /// The set values with their names, in schema order.
    pub fn named<'a>(
        &'a self,
        shape: &'static ObjectShape,
    ) -> impl Iterator<Item = (&'static str, &'a Value)> + 'a {
        self.values
            .iter()
            .filter_map(move |(i, v)| shape.properties.get(*i as usize).map(|p| (p.name, v)))
    }

    /// The bag as an object value, keys in schema order.
    pub fn to_value(&self, shape: &'static ObjectShape) -> Value {
        let mut m = crate::value::ValueMap::with_capacity(self.values.len());
        for (k, v) in self.named(shape) {
            m.insert(k.to_owned(), v.clone());
        }
        Value::Map(m)
    }

    /// Consumes the bag into an object value, keys in schema order.
    pub fn into_value(self, shape: &'static ObjectShape) -> Value {
        let mut m = crate::value::ValueMap::with_capacity(self.values.len());
        for (i, v) in self.values {
            if let Some(p) = shape.properties.get(i as usize) {
                m.insert(p.name.to_owned(), v);
            }
        }
        Value::Map(m)
    }

    /// Sets a property by its CloudFormation name. Returns false when the
    /// shape has no such property.
    pub fn set_by_name(&mut self, shape: &'static ObjectShape, name: &str, value: Value) -> bool {
        match shape.index_of(name) {
            Some(i) => {
                self.set(i as u16, Some(value));
                true
            }
            None => false,
        }
    }

    /// Writes the bag as `Name { Prop: value, .. }`: the shared `Debug` of
    /// every generated type.
    pub fn debug_fmt(
        &self,
        shape: &'static ObjectShape,
        type_name: &str,
        f: &mut fmt::Formatter<'_>,
    ) -> fmt::Result {
        let mut s = f.debug_struct(type_name);
        for (name, v) in self.named(shape) {
            s.field(name, v);
        }
        s.finish()
    }
}

impl fmt::Debug for PropBag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{PropSpec, Shape, StringRules};

    static SHAPE: ObjectShape = ObjectShape {
        name: "T",
        properties: &[
            PropSpec {
                name: "A",
                shape: Shape::String(&StringRules::NONE),
                required: false,
            },
            PropSpec {
                name: "B",
                shape: Shape::Boolean,
                required: false,
            },
        ],
        closed: true,
        one_of_required: &[],
    };

    #[test]
    fn keeps_schema_order_whatever_the_set_order() {
        let mut bag = PropBag::new();
        bag.set(1, Some(Value::Bool(true)));
        bag.set(0, Some(Value::from("x")));
        let names: Vec<_> = bag.named(&SHAPE).map(|(n, _)| n).collect();
        assert_eq!(names, ["A", "B"]);
        bag.set(0, None);
        assert_eq!(bag.get(0), None);
        assert_eq!(bag.get(1), Some(&Value::Bool(true)));
    }

    #[test]
    fn set_by_name_refuses_unknown_names() {
        let mut bag = PropBag::new();
        assert!(bag.set_by_name(&SHAPE, "B", Value::Bool(false)));
        assert!(!bag.set_by_name(&SHAPE, "C", Value::Bool(false)));
        assert_eq!(bag.to_value(&SHAPE), Value::object([("B", false)]));
    }

    #[test]
    fn debug_uses_property_names() {
        struct D<'a>(&'a PropBag);
        impl fmt::Debug for D<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.debug_fmt(&SHAPE, "T", f)
            }
        }
        let mut bag = PropBag::new();
        bag.set(0, Some(Value::from("x")));
        assert_eq!(format!("{:?}", D(&bag)), r#"T { A: String("x") }"#);
    }
}
