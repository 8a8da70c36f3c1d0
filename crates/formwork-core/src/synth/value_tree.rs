//! Builds a plain [`Value`] tree from the renderer's events: the template as
//! the app's rules read it (see [`crate::rules`]), and the metadata objects
//! suppressions write notes into.
//!
//! The tree holds JSON alone (no [`Value::Expr`]: intrinsics are objects
//! such as `{"Ref": "Id"}`, as written). Objects are [`ValueMap`]s: a small
//! object is a vector searched key by key, with no hashing, which is most
//! of what building and reading these trees cost with `serde_json`'s maps.

use serde_json::Number;

use crate::Value;
use crate::value_map::ValueMap;

use super::sink::Sink;

/// One open container: an object with the key whose value comes next, or
/// an array.
enum Open {
    Object(ValueMap, Option<String>),
    Array(Vec<Value>),
}

/// Collects events into a tree.
#[derive(Default)]
pub(crate) struct ValueBuilder {
    open: Vec<Open>,
    done: Option<Value>,
}

impl ValueBuilder {
    /// The tree written (`null` when nothing was).
    pub(crate) fn finish(self) -> Value {
        self.done.unwrap_or(Value::Null)
    }

    fn put(&mut self, v: Value) {
        match self.open.last_mut() {
            Some(Open::Object(m, key)) => {
                if let Some(k) = key.take() {
                    m.insert(k, v);
                }
            }
            Some(Open::Array(items)) => items.push(v),
            None => self.done = Some(v),
        }
    }
}

impl Sink for ValueBuilder {
    fn begin_object(&mut self) {
        self.open.push(Open::Object(ValueMap::new(), None));
    }

    fn end_object(&mut self) {
        if let Some(Open::Object(m, _)) = self.open.pop() {
            self.put(Value::Map(m));
        }
    }

    fn begin_array(&mut self) {
        self.open.push(Open::Array(Vec::new()));
    }

    fn end_array(&mut self) {
        if let Some(Open::Array(items)) = self.open.pop() {
            self.put(Value::List(items));
        }
    }

    fn key(&mut self, key: &str) {
        if let Some(Open::Object(_, k)) = self.open.last_mut() {
            *k = Some(key.to_owned());
        }
    }

    fn null(&mut self) {
        self.put(Value::Null);
    }

    fn bool(&mut self, b: bool) {
        self.put(Value::Bool(b));
    }

    fn number(&mut self, n: &Number) {
        self.put(match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        });
    }

    fn int(&mut self, i: i64) {
        self.put(Value::Int(i));
    }

    fn float(&mut self, f: f64) {
        // As serde_json holds it (and the text has it): `null` when it is
        // not finite.
        self.put(if f.is_finite() {
            Value::Float(f)
        } else {
            Value::Null
        });
    }

    fn string(&mut self, s: &str) {
        self.put(Value::String(s.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builds_the_value_of_the_json_it_is_given() {
        let j = json!({"a": [1, {"b": null, "c": [[], {}]}, "s", 2.5, true], "d": {}, "e": -7});
        let mut t = ValueBuilder::default();
        t.json(&j);
        assert_eq!(t.finish(), Value::from(j));
    }

    #[test]
    fn numbers_keep_their_kind_and_infinities_are_null() {
        let mut t = ValueBuilder::default();
        t.begin_array();
        t.int(3);
        t.float(2.5);
        t.float(f64::INFINITY);
        t.float(f64::NAN);
        t.end_array();
        assert_eq!(
            t.finish(),
            Value::List(vec![
                Value::Int(3),
                Value::Float(2.5),
                Value::Null,
                Value::Null
            ])
        );
    }
}
