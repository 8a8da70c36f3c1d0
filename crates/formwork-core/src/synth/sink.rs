//! The events a template is written as (objects, arrays, keys, scalars), so
//! that one renderer can write pretty text directly ([`super::pretty`]) or
//! build the JSON tree the app's rules and checks read
//! ([`super::value_tree`]).

use serde_json::{Number, Value as Json};

/// Receives a JSON document as a stream of events. A key is followed by its
/// value; keys of one object are unique (the renderer sees to it).
pub(crate) trait Sink {
    /// `{`: keys and values follow, then [`Sink::end_object`].
    fn begin_object(&mut self);
    /// `}`.
    fn end_object(&mut self);
    /// `[`: values follow, then [`Sink::end_array`].
    fn begin_array(&mut self);
    /// `]`.
    fn end_array(&mut self);
    /// An object key; its value follows.
    fn key(&mut self, key: &str);
    /// `null`.
    fn null(&mut self);
    /// `true` or `false`.
    fn bool(&mut self, b: bool);
    /// A number.
    fn number(&mut self, n: &Number);
    /// A string.
    fn string(&mut self, s: &str);

    /// An integer.
    fn int(&mut self, i: i64) {
        self.number(&Number::from(i));
    }

    /// A float, as serde_json holds it: `null` when it is not finite.
    fn float(&mut self, f: f64) {
        match Number::from_f64(f) {
            Some(n) => self.number(&n),
            None => self.null(),
        }
    }

    /// `"key": "value"`.
    fn str_entry(&mut self, key: &str, value: &str) {
        self.key(key);
        self.string(value);
    }

    /// A `serde_json::Value`.
    fn json(&mut self, v: &Json) {
        match v {
            Json::Null => self.null(),
            Json::Bool(b) => self.bool(*b),
            Json::Number(n) => self.number(n),
            Json::String(s) => self.string(s),
            Json::Array(items) => {
                self.begin_array();
                for item in items {
                    self.json(item);
                }
                self.end_array();
            }
            Json::Object(m) => {
                self.begin_object();
                for (k, item) in m {
                    self.key(k);
                    self.json(item);
                }
                self.end_object();
            }
        }
    }
}
