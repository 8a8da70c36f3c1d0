//! formwork's own maps and sets ([`Value::Map`](crate::Value::Map)'s
//! index and synth's tables), hashed with [`FastHasher`]: a multiply-rotate
//! hash over eight bytes at a time, the scheme of rustc's own `FxHasher`.
//!
//! The standard library's SipHash resists collision attacks on maps whose
//! keys an attacker chooses; synth's keys are the app's own property names
//! and logical ids, and SipHash costs several times more per key, most of
//! all in the debug build `cargo run` makes (about a tenth of an example's
//! synth went to it). Map order never depends on the hasher: `Value::Map`
//! keeps insertion order, and nothing written iterates a hash map.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

pub use formwork_kernels::FastHasher;

/// Builds [`FastHasher`]s: the `S` of formwork's maps.
pub type FastState = BuildHasherDefault<FastHasher>;

/// A `HashMap` with [`FastHasher`] (`FastMap::default()` is empty).
pub type FastMap<K, V> = HashMap<K, V, FastState>;

/// A `HashSet` with [`FastHasher`] (`FastSet::default()` is empty).
pub type FastSet<T> = HashSet<T, FastState>;
