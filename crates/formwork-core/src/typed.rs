//! Typed value positions: what a generated setter accepts.
//!
//! Every position accepts a literal of its type or an intrinsic function
//! ([`Expr`]). The wrappers hold a [`Value`]; they exist so that the compiler
//! rejects a number where a string belongs, without generic storage.

use std::marker::PhantomData;

use indexmap::IndexMap;

use crate::expr::{Expr, Pseudo};
use crate::value::Value;

macro_rules! wrapper {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name(Value);

        impl $name {
            /// The value inside.
            pub fn into_value(self) -> Value {
                self.0
            }
        }
        impl From<$name> for Value {
            fn from(v: $name) -> Value {
                v.0
            }
        }
        impl From<Expr> for $name {
            fn from(e: Expr) -> Self {
                $name(Value::Expr(e))
            }
        }
        impl From<&Expr> for $name {
            fn from(e: &Expr) -> Self {
                $name(Value::Expr(e.clone()))
            }
        }
        impl From<Pseudo> for $name {
            fn from(p: Pseudo) -> Self {
                $name(p.into())
            }
        }
    };
}

wrapper!(
    /// A string position: `&str`, `String` or an [`Expr`].
    Str
);
wrapper!(
    /// An integer position: any Rust integer or an [`Expr`].
    Int
);
wrapper!(
    /// A number position: integers, floats or an [`Expr`].
    Num
);
wrapper!(
    /// A boolean position: `bool` or an [`Expr`].
    Boolean
);
wrapper!(
    /// A free-form JSON position (policy documents and the like): any [`Value`]
    /// or `serde_json::Value`.
    Json
);

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        Str(Value::String(s.to_owned()))
    }
}
impl From<String> for Str {
    fn from(s: String) -> Self {
        Str(Value::String(s))
    }
}
impl From<&String> for Str {
    fn from(s: &String) -> Self {
        Str(Value::String(s.clone()))
    }
}

macro_rules! ints {
    ($($t:ty),*) => {$(
        impl From<$t> for Int {
            fn from(i: $t) -> Self { Int(Value::from(i)) }
        }
        impl From<$t> for Num {
            fn from(i: $t) -> Self { Num(Value::from(i)) }
        }
    )*};
}
ints!(i8, i16, i32, i64, u8, u16, u32, u64, usize);

impl From<f64> for Num {
    fn from(f: f64) -> Self {
        Num(Value::Float(f))
    }
}
impl From<bool> for Boolean {
    fn from(b: bool) -> Self {
        Boolean(Value::Bool(b))
    }
}
impl From<Value> for Json {
    fn from(v: Value) -> Self {
        Json(v)
    }
}
impl From<serde_json::Value> for Json {
    fn from(v: serde_json::Value) -> Self {
        Json(Value::from(v))
    }
}
impl From<crate::value::ValueMap> for Json {
    fn from(m: crate::value::ValueMap) -> Self {
        Json(Value::Map(m))
    }
}
impl From<IndexMap<String, Value>> for Json {
    fn from(m: IndexMap<String, Value>) -> Self {
        Json(Value::from(m))
    }
}
impl From<&str> for Json {
    fn from(s: &str) -> Self {
        Json(Value::from(s))
    }
}
impl From<String> for Json {
    fn from(s: String) -> Self {
        Json(Value::String(s))
    }
}

/// A generated enumeration of the values a schema allows.
///
/// Generated enums have an `Other(String)` variant for values newer than the
/// vendored schema; such a value is written as is and passed over by
/// validation.
pub trait CfnEnum {
    /// The value as CloudFormation spells it.
    fn as_str(&self) -> &str;
    /// False for the catch-all variant.
    fn is_known(&self) -> bool;
}

/// An enumerated position: the generated enum `E` or an [`Expr`].
#[derive(Clone, Debug, PartialEq)]
pub struct Enum<E>(Value, PhantomData<E>);

impl<E> Enum<E> {
    /// The value inside.
    pub fn into_value(self) -> Value {
        self.0
    }
}
impl<E: CfnEnum> From<E> for Enum<E> {
    fn from(e: E) -> Self {
        Enum(enum_value(e.as_str(), e.is_known()), PhantomData)
    }
}

/// An enum member's value: its spelling, unchecked when the schema does not
/// list it. One function for every enum type, not a copy of each.
fn enum_value(spelling: &str, known: bool) -> Value {
    let v = Value::String(spelling.to_owned());
    if known { v } else { v.unchecked() }
}
impl<E> From<Expr> for Enum<E> {
    fn from(e: Expr) -> Self {
        Enum(Value::Expr(e), PhantomData)
    }
}
impl<E> From<&Expr> for Enum<E> {
    fn from(e: &Expr) -> Self {
        Enum(Value::Expr(e.clone()), PhantomData)
    }
}
impl<E> From<Enum<E>> for Value {
    fn from(e: Enum<E>) -> Value {
        e.0
    }
}

/// A generated property type (a struct of the L1 layer).
pub trait CfnObject: Into<Value> {}

/// An object position: the generated property type `T` or an [`Expr`]
/// (`Fn::If` between two configurations, say).
#[derive(Clone, Debug, PartialEq)]
pub struct Obj<T>(Value, PhantomData<T>);

impl<T> Obj<T> {
    /// The value inside.
    pub fn into_value(self) -> Value {
        self.0
    }
}
impl<T: CfnObject> From<T> for Obj<T> {
    fn from(t: T) -> Self {
        Obj(t.into(), PhantomData)
    }
}
impl<T> From<Expr> for Obj<T> {
    fn from(e: Expr) -> Self {
        Obj(Value::Expr(e), PhantomData)
    }
}
impl<T> From<&Expr> for Obj<T> {
    fn from(e: &Expr) -> Self {
        Obj(Value::Expr(e.clone()), PhantomData)
    }
}
impl<T> From<Obj<T>> for Value {
    fn from(o: Obj<T>) -> Value {
        o.0
    }
}

/// A list position: any iterable of items convertible to `T`, or an [`Expr`]
/// that yields a list (`Fn::Split`, a list parameter, `Fn::GetAZs`).
pub trait IntoList<T> {
    /// Converts to a list value.
    fn into_list(self) -> Value;
}

impl<T, I> IntoList<T> for I
where
    T: Into<Value>,
    I: IntoIterator,
    I::Item: Into<T>,
{
    fn into_list(self) -> Value {
        Value::List(self.into_iter().map(|i| i.into().into()).collect())
    }
}

impl<T> IntoList<T> for Expr {
    fn into_list(self) -> Value {
        Value::Expr(self)
    }
}

/// A map position: any iterable of `(key, value)` pairs, or an [`Expr`].
pub trait IntoMap<T> {
    /// Converts to an object value; keys keep their order.
    fn into_map(self) -> Value;
}

impl<T, K, V, I> IntoMap<T> for I
where
    T: Into<Value>,
    K: Into<String>,
    V: Into<T>,
    I: IntoIterator<Item = (K, V)>,
{
    fn into_map(self) -> Value {
        Value::Map(
            self.into_iter()
                .map(|(k, v)| (k.into(), v.into().into()))
                .collect(),
        )
    }
}

impl<T> IntoMap<T> for Expr {
    fn into_map(self) -> Value {
        Value::Expr(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Fn;

    #[derive(Clone, Debug, PartialEq)]
    enum Mode {
        A,
        Other(String),
    }
    impl CfnEnum for Mode {
        fn as_str(&self) -> &str {
            match self {
                Mode::A => "A",
                Mode::Other(s) => s,
            }
        }
        fn is_known(&self) -> bool {
            !matches!(self, Mode::Other(_))
        }
    }

    fn list_of_str(v: impl IntoList<Str>) -> Value {
        v.into_list()
    }
    fn map_of_str(v: impl IntoMap<Str>) -> Value {
        v.into_map()
    }

    #[test]
    fn lists_accept_iterables_and_expressions() {
        assert_eq!(list_of_str(["a", "b"]), Value::list(["a", "b"]));
        assert_eq!(list_of_str(vec![String::from("a")]), Value::list(["a"]));
        assert!(list_of_str(Fn::split(",", "a,b")).is_expr());
    }

    #[test]
    fn maps_keep_order() {
        let v = map_of_str([("z", "1"), ("a", "2")]);
        let keys: Vec<_> = v.as_map().into_iter().flat_map(|m| m.keys()).collect();
        assert_eq!(keys, ["z", "a"]);
    }

    #[test]
    fn unknown_enum_values_are_unchecked() {
        assert_eq!(Enum::from(Mode::A).into_value(), Value::from("A"));
        let v = Enum::from(Mode::Other("B".into())).into_value();
        assert!(matches!(v, Value::Unchecked(_)));
    }

    #[test]
    fn numbers_convert() {
        assert_eq!(Int::from(5u8).into_value(), Value::Int(5));
        assert_eq!(Num::from(0.5).into_value(), Value::Float(0.5));
        assert_eq!(Boolean::from(true).into_value(), Value::Bool(true));
        assert_eq!(
            Json::from(serde_json::json!({"a": 1})).into_value(),
            Value::object([("a", 1)])
        );
    }
}
