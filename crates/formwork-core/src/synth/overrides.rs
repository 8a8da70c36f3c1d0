//! Property overrides (`add_property_override`) applied to a resource's
//! typed values, so that what is validated is what is written.

use std::borrow::Cow;

use crate::props::PropBag;
use crate::resource::ResourceEntry;
use crate::spec::ObjectShape;
use crate::value::{Value, ValueMap};

/// A resource's properties as they will be written: its typed values,
/// borrowed, with the properties that overrides or the stack's tags change
/// owned. Synth reads every resource's properties several times (checks,
/// rules, writing); borrowing them spares a deep copy of every value of
/// the app.
#[derive(Clone, Debug, Default)]
pub(crate) struct Props<'a> {
    entries: Vec<(Cow<'a, str>, Cow<'a, Value>)>,
}

impl<'a> Props<'a> {
    /// The entries of an object value, borrowed.
    pub(crate) fn of_map(m: &'a ValueMap) -> Props<'a> {
        Props {
            entries: m
                .iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), Cow::Borrowed(v)))
                .collect(),
        }
    }

    /// Borrowed entries, keys as given (tests give a type's own property
    /// names, as a property bag does).
    #[cfg(test)]
    pub(crate) fn borrowed(entries: &[(&'a str, &'a Value)]) -> Props<'a> {
        Props {
            entries: entries
                .iter()
                .map(|(k, v)| (Cow::Borrowed(*k), Cow::Borrowed(*v)))
                .collect(),
        }
    }

    /// The entries of an object value, owned (a non-object has none).
    #[cfg(test)]
    pub(crate) fn owned(v: Value) -> Props<'static> {
        let Value::Map(m) = v else {
            return Props::default();
        };
        Props {
            entries: m
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k), Cow::Owned(v)))
                .collect(),
        }
    }

    /// The properties as one object value (a copy).
    #[cfg(test)]
    pub(crate) fn to_value(&self) -> Value {
        Value::Map(
            self.iter()
                .map(|(k, v)| (k.to_owned(), v.clone()))
                .collect(),
        )
    }

    /// The number of properties.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there is no property.
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The position of property `name`.
    pub(crate) fn index_of(&self, name: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k == name)
    }

    /// The value of property `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.index_of(name).map(|i| &*self.entries[i].1)
    }

    /// The property at position `i`.
    pub(crate) fn get_index(&self, i: usize) -> Option<(&str, &Value)> {
        if i < self.entries.len() {
            let (k, v) = &self.entries[i];
            Some((k, v))
        } else {
            None
        }
    }

    /// The properties in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (&**k, &**v))
    }

    /// Removes property `name`, the last one taking its place (as
    /// `IndexMap::swap_remove`).
    pub(crate) fn swap_remove(&mut self, name: &str) -> Option<Cow<'a, Value>> {
        let i = self.index_of(name)?;
        Some(self.entries.swap_remove(i).1)
    }

    /// Sets property `name`: in its place when present, else last.
    pub(crate) fn insert(&mut self, name: &str, value: Value) {
        match self.index_of(name) {
            Some(i) => self.entries[i].1 = Cow::Owned(value),
            None => self
                .entries
                .push((Cow::Owned(name.to_owned()), Cow::Owned(value))),
        }
    }

    /// Applies the override of `path` (dot-separated; see [`apply`]).
    fn apply(&mut self, path: &str, value: Value) -> Result<(), String> {
        let segs: Vec<&str> = path.split('.').collect();
        if segs.iter().any(|s| s.is_empty()) {
            return Err("the path has an empty segment".to_owned());
        }
        let i = match self.index_of(segs[0]) {
            Some(i) => i,
            None => {
                self.entries
                    .push((Cow::Owned(segs[0].to_owned()), Cow::Owned(Value::Null)));
                self.entries.len() - 1
            }
        };
        let slot = &mut self.entries[i].1;
        if segs.len() == 1 {
            *slot = Cow::Owned(value);
            return Ok(());
        }
        apply_from(slot.to_mut(), &segs, 1, value)
    }
}

/// The properties of a resource as they will be written: its typed values
/// with every override applied in order, and the overrides that could not
/// be applied (path, reason).
pub(crate) fn merged_props(entry: &ResourceEntry) -> (Props<'_>, Vec<(String, String)>) {
    let mut props = match entry.props() {
        Some(bag) => named(bag, entry.spec.object),
        None => Props::default(),
    };
    let mut problems = Vec::new();
    for (path, v) in &entry.overrides {
        if let Err(why) = props.apply(path, v.clone()) {
            problems.push((path.clone(), why));
        }
    }
    (props, problems)
}

/// A bag's values named by their properties (as [`PropBag::named`]), in
/// one loop: every resource of every synth goes through here, and the
/// iterator chain cost a call per value and per step in a debug build.
fn named<'a>(bag: &'a PropBag, shape: &'static ObjectShape) -> Props<'a> {
    let values = bag.entries();
    let mut entries = Vec::with_capacity(values.len());
    let mut i = 0;
    while i < values.len() {
        let (index, v) = &values[i];
        if let Some(p) = shape.properties.get(*index as usize) {
            entries.push((Cow::Borrowed(p.name), Cow::Borrowed(v)));
        }
        i += 1;
    }
    Props { entries }
}

/// Sets `path` (dot-separated; digits index lists) inside `root`, creating
/// objects on the way. A list index may be at most the list's length (to
/// append); a path through a scalar or an intrinsic function is refused.
/// Synth applies overrides to borrowed properties ([`Props`]); this form,
/// on a whole object, is what the tests compare them with.
#[cfg(test)]
pub(crate) fn apply(root: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let segs: Vec<&str> = path.split('.').collect();
    if segs.iter().any(|s| s.is_empty()) {
        return Err("the path has an empty segment".to_owned());
    }
    apply_from(root, &segs, 0, value)
}

/// [`apply`] from segment `from` on, `node` being where `segs[..from]` led.
fn apply_from(
    mut node: &mut Value,
    segs: &[&str],
    from: usize,
    value: Value,
) -> Result<(), String> {
    let mut value = Some(value);
    for (i, seg) in segs.iter().enumerate().skip(from) {
        let last = i + 1 == segs.len();
        if let Value::Unchecked(inner) = node {
            node = inner.as_mut();
        }
        if matches!(node, Value::Null) {
            *node = Value::map();
        }
        node = match node {
            Value::Map(m) => {
                let slot = m.entry((*seg).to_owned()).or_insert(Value::Null);
                if last {
                    *slot = value.take().unwrap_or_default();
                    return Ok(());
                }
                slot
            }
            Value::List(items) => {
                let Ok(index) = seg.parse::<usize>() else {
                    return Err(format!("`{seg}` is not an index into a list"));
                };
                if index > items.len() {
                    return Err(format!(
                        "index {index} is past the end of a list of {} item(s)",
                        items.len()
                    ));
                }
                if index == items.len() {
                    items.push(Value::Null);
                }
                if last {
                    items[index] = value.take().unwrap_or_default();
                    return Ok(());
                }
                &mut items[index]
            }
            Value::Expr(_) => {
                return Err(format!(
                    "`{}` is an intrinsic function; a path cannot go inside it",
                    segs[..i].join(".")
                ));
            }
            other => {
                return Err(format!(
                    "`{}` is a {}; a path cannot go inside it",
                    segs[..i].join("."),
                    other.kind()
                ));
            }
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Property: the loop that names a bag's values gives what
    /// `PropBag::named` gives, positions past the shape's properties
    /// included (left out by both).
    #[test]
    fn named_in_one_loop_is_prop_bag_named() {
        let shape = <crate::testing::CfnThing as crate::Resource>::SPEC.object;
        let mut rng = crate::test_rng::Rng(0x4A3E_D000_0000_0001);
        for _ in 0..500 {
            let mut bag = PropBag::new();
            for _ in 0..rng.index(8) {
                let i = rng.below(shape.properties.len() as u64 + 3) as u16;
                bag.set(i, Some(Value::from(i as i64)));
            }
            let want: Vec<(&str, &Value)> = bag.named(shape).collect();
            let props = named(&bag, shape);
            let got: Vec<(&str, &Value)> = props.iter().collect();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn overrides_create_index_and_append() {
        let mut v = Value::object([("A", Value::list([Value::object([("x", 1)])]))]);
        apply(&mut v, "A.0.y", Value::from(2)).unwrap();
        apply(&mut v, "A.1.z", Value::from(3)).unwrap();
        apply(&mut v, "B.C", Value::from("z")).unwrap();
        apply(&mut v, "D", Value::from(true)).unwrap();
        assert_eq!(
            v,
            Value::object([
                (
                    "A",
                    Value::list([
                        Value::object([("x", 1), ("y", 2)]),
                        Value::object([("z", 3)])
                    ])
                ),
                ("B", Value::object([("C", "z")])),
                ("D", Value::from(true)),
            ])
        );
    }

    /// Overrides applied to borrowed properties give what applying them to
    /// a copy of the whole object gave: the same values, keys in the same
    /// order, the same refusals.
    #[test]
    fn borrowed_properties_take_overrides_as_the_whole_object_does() {
        let base = Value::object([
            ("A", Value::list([Value::object([("x", 1)])])),
            ("S", Value::from("s")),
            ("N", Value::Null),
            ("U", Value::object([("k", 1)]).unchecked()),
            ("E", Value::from(crate::Fn::ref_name("X"))),
        ]);
        let paths = [
            "A.0.y",
            "A.1.z",
            "A.5",
            "A.x",
            "S",
            "S.x",
            "N.a.b",
            "New",
            "New2.deep.er",
            "U.k2",
            "E",
            "E.x",
            "A",
            "",
            "A..B",
            "Z.0",
        ];
        // Every ordered pair of paths, from the same start.
        for a in paths {
            for b in paths {
                let mut whole = base.clone();
                let whole_results = [
                    apply(&mut whole, a, Value::from("va")),
                    apply(&mut whole, b, Value::from("vb")),
                ];
                let Value::Map(m) = &base else { unreachable!() };
                let mut props = Props::of_map(m);
                let props_results = [
                    props.apply(a, Value::from("va")),
                    props.apply(b, Value::from("vb")),
                ];
                assert_eq!(props_results, whole_results, "{a} then {b}");
                assert_eq!(props.to_value(), whole, "{a} then {b}");
                let keys = |v: &Value| v.as_map().map(|m| m.keys().cloned().collect::<Vec<_>>());
                assert_eq!(keys(&props.to_value()), keys(&whole), "{a} then {b}");
            }
        }
    }

    #[test]
    fn impossible_paths_are_refused_not_guessed() {
        let mut v = Value::object([("A", Value::list([1])), ("S", Value::from("s"))]);
        assert!(
            apply(&mut v, "A.5", Value::from(1))
                .unwrap_err()
                .contains("past the end")
        );
        assert!(
            apply(&mut v, "A.99999999999.x", Value::from(1))
                .unwrap_err()
                .contains("past the end")
        );
        assert!(
            apply(&mut v, "A.x", Value::from(1))
                .unwrap_err()
                .contains("not an index")
        );
        assert!(
            apply(&mut v, "S.x", Value::from(1))
                .unwrap_err()
                .contains("is a string")
        );
        assert!(apply(&mut v, "", Value::from(1)).is_err());
        assert!(apply(&mut v, "A..B", Value::from(1)).is_err());
        let mut e = Value::object([("R", crate::Fn::ref_name("X"))]);
        assert!(
            apply(&mut e, "R.x", Value::from(1))
                .unwrap_err()
                .contains("intrinsic")
        );
    }
}
