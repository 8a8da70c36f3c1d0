//! The template value model: JSON plus typed intrinsic functions.
//!
//! Every property of every resource is a [`Value`]. Literals are plain JSON;
//! intrinsic functions are an [`Intrinsic`] tree, never strings with encoded
//! tokens. Values are turned into CloudFormation JSON at synth, where
//! references across stacks become exports and imports.

use std::borrow::Cow;

use indexmap::IndexMap;

use crate::expr::{Expr, Intrinsic, plain_sub};
pub use crate::value_map::ValueMap;

/// A value in a template: a JSON literal or an intrinsic function.
///
/// ```
/// use formwork::{Value, Fn};
/// let v = Value::from("logs");
/// assert_eq!(v.as_str(), Some("logs"));
/// let e: Value = Fn::join("-", ["a", "b"]).into();
/// assert!(e.is_expr());
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    /// JSON `null`. Only meaningful inside free-form JSON documents.
    #[default]
    Null,
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A floating point literal.
    Float(f64),
    /// A string literal.
    String(String),
    /// A list of values.
    List(Vec<Value>),
    /// An object; key order is kept as written.
    Map(ValueMap),
    /// An intrinsic function, resolved at deploy time by CloudFormation.
    Expr(Expr),
    /// A value that synth-time validation passes over (a value newer than
    /// the vendored schema, for example). It is written out unchanged.
    Unchecked(Box<Value>),
}

impl Value {
    /// The string, when this is a string literal.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            Value::Unchecked(v) => v.as_str(),
            _ => None,
        }
    }

    /// The string this is written as, when that is a string literal: a
    /// string, or an `Fn::Sub` without variables (synth writes it as its
    /// plain text). What a rule reading values as synth holds them
    /// ([`ResourceView::held`](crate::rules::ResourceView::held)) compares
    /// with a literal.
    ///
    /// ```
    /// use formwork::{Fn, Value};
    /// assert_eq!(Value::from("*").literal_str().as_deref(), Some("*"));
    /// assert_eq!(Value::from(Fn::sub("s3:*")).literal_str().as_deref(), Some("s3:*"));
    /// assert_eq!(Value::from(Fn::sub("${AWS::Region}")).literal_str(), None);
    /// assert_eq!(Value::Int(1).literal_str(), None);
    /// ```
    pub fn literal_str(&self) -> Option<Cow<'_, str>> {
        match self {
            Value::String(s) => Some(Cow::Borrowed(s)),
            Value::Unchecked(v) => v.literal_str(),
            Value::Expr(e) => match e.intrinsic() {
                Intrinsic::Sub(parts, _) => plain_sub(parts),
                _ => None,
            },
            _ => None,
        }
    }

    /// The integer, when this is an integer literal.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Unchecked(v) => v.as_i64(),
            _ => None,
        }
    }

    /// The number, when this is an integer or float literal.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Unchecked(v) => v.as_f64(),
            _ => None,
        }
    }

    /// The boolean, when this is a boolean literal.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Unchecked(v) => v.as_bool(),
            _ => None,
        }
    }

    /// The items, when this is a list.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The entries, when this is an object.
    pub fn as_map(&self) -> Option<&ValueMap> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Mutable entries, when this is an object.
    pub fn as_map_mut(&mut self) -> Option<&mut ValueMap> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The value of `key`, when this is an object that has it.
    ///
    /// ```
    /// use formwork::Value;
    /// let v = Value::object([("Key", "a")]);
    /// assert_eq!(v.get("Key").and_then(Value::as_str), Some("a"));
    /// assert!(v.get("Value").is_none() && Value::from("s").get("Key").is_none());
    /// ```
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(m) => m.get(key),
            Value::Unchecked(v) => v.get(key),
            _ => None,
        }
    }

    /// Item `i`, when this is a list that long.
    ///
    /// ```
    /// use formwork::Value;
    /// let v = Value::list(["a", "b"]);
    /// assert_eq!(v.at(1).and_then(Value::as_str), Some("b"));
    /// assert!(v.at(2).is_none());
    /// ```
    pub fn at(&self, i: usize) -> Option<&Value> {
        match self {
            Value::List(l) => l.get(i),
            Value::Unchecked(v) => v.at(i),
            _ => None,
        }
    }

    /// The intrinsic, when this is one.
    pub fn as_expr(&self) -> Option<&Expr> {
        match self {
            Value::Expr(e) => Some(e),
            _ => None,
        }
    }

    /// True when this is an intrinsic function (its value is known only at deploy time).
    pub fn is_expr(&self) -> bool {
        matches!(self, Value::Expr(_))
    }

    /// A short name of the kind of value, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "object",
            Value::Expr(_) => "intrinsic function",
            Value::Unchecked(v) => v.kind(),
        }
    }

    /// Wraps this value so that synth-time validation passes over it.
    pub fn unchecked(self) -> Value {
        Value::Unchecked(Box::new(self))
    }

    /// An empty object.
    pub fn map() -> Value {
        Value::Map(ValueMap::default())
    }

    /// Builds an object from key/value pairs, in the given order.
    pub fn object<K: Into<String>, V: Into<Value>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Value {
        Value::Map(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// Builds a list from values.
    pub fn list<V: Into<Value>>(items: impl IntoIterator<Item = V>) -> Value {
        Value::List(items.into_iter().map(Into::into).collect())
    }

    /// Visits every intrinsic in this value, depth first.
    ///
    /// Plain loops, and no call for a scalar: synth walks every value of
    /// every resource this way several times, and iterator adapters cost a
    /// call per item in a debug build.
    pub fn walk_exprs<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        match self {
            Value::List(l) => {
                let mut i = 0;
                while i < l.len() {
                    let v = &l[i];
                    if v.is_container() {
                        v.walk_exprs(f);
                    }
                    i += 1;
                }
            }
            Value::Map(m) => {
                for (_, v) in m.iter() {
                    if v.is_container() {
                        v.walk_exprs(f);
                    }
                }
            }
            Value::Expr(e) => {
                f(e);
                e.intrinsic().walk_values(&mut |v| v.walk_exprs(f));
            }
            Value::Unchecked(v) => v.walk_exprs(f),
            _ => {}
        }
    }

    /// True for a value that may hold an intrinsic function (a list, an
    /// object, an intrinsic, or an unchecked value).
    fn is_container(&self) -> bool {
        matches!(
            self,
            Value::List(_) | Value::Map(_) | Value::Expr(_) | Value::Unchecked(_)
        )
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::String(s.clone())
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
macro_rules! int_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(i: $t) -> Self { Value::Int(i as i64) }
        }
    )*};
}
int_from!(i8, i16, i32, i64, u8, u16, u32);
impl From<u64> for Value {
    fn from(i: u64) -> Self {
        i64::try_from(i).map_or(Value::Float(i as f64), Value::Int)
    }
}
impl From<usize> for Value {
    fn from(i: usize) -> Self {
        Value::from(i as u64)
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}
impl From<f32> for Value {
    fn from(f: f32) -> Self {
        Value::Float(f as f64)
    }
}
impl From<Expr> for Value {
    fn from(e: Expr) -> Self {
        Value::Expr(e)
    }
}
impl From<&Expr> for Value {
    fn from(e: &Expr) -> Self {
        Value::Expr(e.clone())
    }
}
impl From<Intrinsic> for Value {
    fn from(i: Intrinsic) -> Self {
        Value::Expr(Expr::from(i))
    }
}
impl<V: Into<Value>> From<Vec<V>> for Value {
    fn from(v: Vec<V>) -> Self {
        Value::List(v.into_iter().map(Into::into).collect())
    }
}
impl<V: Into<Value>> From<Option<V>> for Value {
    fn from(v: Option<V>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}
impl From<ValueMap> for Value {
    fn from(m: ValueMap) -> Self {
        Value::Map(m)
    }
}
/// An `IndexMap` with the standard hasher, entries kept in order.
impl From<IndexMap<String, Value>> for Value {
    fn from(m: IndexMap<String, Value>) -> Self {
        Value::Map(m.into())
    }
}

impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(a) => Value::List(a.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(o) => {
                Value::Map(o.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Visits every intrinsic the way `walk_exprs` did first: a call for
    /// every value, scalars included.
    fn every_expr(v: &Value, out: &mut Vec<*const Expr>) {
        match v {
            Value::List(l) => l.iter().for_each(|v| every_expr(v, out)),
            Value::Map(m) => m.values().for_each(|v| every_expr(v, out)),
            Value::Expr(e) => {
                out.push(e);
                e.intrinsic().walk_values(&mut |v| every_expr(v, out));
            }
            Value::Unchecked(v) => every_expr(v, out),
            _ => {}
        }
    }

    fn random_value(rng: &mut crate::test_rng::Rng, depth: usize) -> Value {
        let leaf = depth > 3 || rng.chance(40);
        match rng.below(if leaf { 5 } else { 10 }) {
            0 => Value::Null,
            1 => Value::from(rng.below(9) as i64),
            2 => Value::from("s"),
            3 => crate::Fn::ref_name("X").into(),
            4 => crate::Fn::get_azs("").into(),
            5 | 6 => Value::List(
                (0..rng.index(4))
                    .map(|_| random_value(rng, depth + 1))
                    .collect(),
            ),
            7 => {
                crate::Fn::select(random_value(rng, depth + 1), random_value(rng, depth + 1)).into()
            }
            8 => Value::Unchecked(Box::new(random_value(rng, depth + 1))),
            _ => Value::Map(
                (0..rng.index(4))
                    .map(|i| (format!("K{i}"), random_value(rng, depth + 1)))
                    .collect(),
            ),
        }
    }

    /// Property: `walk_exprs`, which skips scalars without a call, visits
    /// the same intrinsics in the same order as a walk of every value.
    #[test]
    fn walk_exprs_visits_what_a_walk_of_every_value_visits() {
        let mut rng = crate::test_rng::Rng(0xE4B5_0000_0000_0001);
        let mut seen = 0;
        for _ in 0..2000 {
            let v = random_value(&mut rng, 0);
            let mut want = Vec::new();
            every_expr(&v, &mut want);
            let mut got: Vec<*const Expr> = Vec::new();
            v.walk_exprs(&mut |e| got.push(e));
            assert_eq!(got, want, "{v:?}");
            seen += want.len();
        }
        assert!(seen > 1000, "{seen}");
    }

    #[test]
    fn conversions_keep_kinds() {
        assert_eq!(Value::from(3u16), Value::Int(3));
        assert_eq!(Value::from(u64::MAX).kind(), "number");
        assert_eq!(Value::from(1.5).as_f64(), Some(1.5));
        assert_eq!(Value::from(true).as_bool(), Some(true));
        assert_eq!(
            Value::from(vec!["a", "b"]).as_list().map(<[Value]>::len),
            Some(2)
        );
        assert_eq!(Value::from(None::<&str>), Value::Null);
    }

    #[test]
    fn json_round_trip_keeps_order() {
        let j = serde_json::json!({"z": 1, "a": [true, "x", 1.5]});
        let v = Value::from(j);
        let keys: Vec<_> = v.as_map().into_iter().flat_map(|m| m.keys()).collect();
        assert_eq!(keys, ["z", "a"]);
    }

    #[test]
    fn unchecked_is_transparent_for_accessors() {
        let v = Value::from("x").unchecked();
        assert_eq!(v.as_str(), Some("x"));
        assert_eq!(v.kind(), "string");
    }
}
