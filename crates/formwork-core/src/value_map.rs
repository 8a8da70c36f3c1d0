//! [`ValueMap`]: the object of a [`Value::Map`], keys in
//! the order written.
//!
//! Almost every object in a template is small (a resource's properties, a
//! tag, a policy statement: a handful of keys), so up to
//! [`SMALL`] entries are kept in a plain vector and found by comparing keys
//! one by one: no hashing and no hash table to build, clone or free for
//! each of the thousands of objects a synth makes. A larger object moves
//! into an [`IndexMap`] once and stays there, so lookups stay constant-time
//! whatever a user builds. Both forms behave alike: insertion order, an
//! insert of a present key keeps its place, equality ignores order (as
//! `IndexMap`'s does).

use std::fmt;

use indexmap::IndexMap;

use crate::Value;
use crate::fasthash::FastState;

/// How many entries a map keeps in its vector before it builds a hash
/// index.
pub const SMALL: usize = 16;

/// The object of a [`Value::Map`]: string keys in the
/// order they were first inserted. Its methods are named and behave as
/// [`IndexMap`]'s.
///
/// ```
/// use formwork::{Value, ValueMap};
/// let mut m = ValueMap::new();
/// m.insert("Key".to_owned(), Value::from("a"));
/// m.insert("Value".to_owned(), Value::from("b"));
/// m.insert("Key".to_owned(), Value::from("c"));
/// assert_eq!(m.keys().collect::<Vec<_>>(), ["Key", "Value"]);
/// assert_eq!(m.get("Key"), Some(&Value::from("c")));
/// ```
#[derive(Clone, Default)]
pub struct ValueMap {
    repr: Repr,
}

#[derive(Clone)]
enum Repr {
    Small(Vec<(String, Value)>),
    Large(IndexMap<String, Value, FastState>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Small(Vec::new())
    }
}

/// The position of `key` among `entries`, comparing lengths first (most
/// keys of one object differ in length) and written as a plain loop, which
/// stays cheap in unoptimized builds.
fn position(entries: &[(String, Value)], key: &str) -> Option<usize> {
    let bytes = key.as_bytes();
    let mut i = 0;
    while i < entries.len() {
        let k = entries[i].0.as_bytes();
        if k.len() == bytes.len() && k == bytes {
            return Some(i);
        }
        i += 1;
    }
    None
}

impl ValueMap {
    /// An empty map.
    pub const fn new() -> ValueMap {
        ValueMap {
            repr: Repr::Small(Vec::new()),
        }
    }

    /// An empty map with room for `n` entries.
    pub fn with_capacity(n: usize) -> ValueMap {
        let repr = if n > SMALL {
            Repr::Large(IndexMap::with_capacity_and_hasher(n, FastState::default()))
        } else {
            Repr::Small(Vec::with_capacity(n))
        };
        ValueMap { repr }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Small(v) => v.len(),
            Repr::Large(m) => m.len(),
        }
    }

    /// True when the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The position of `key`, if present.
    pub fn get_index_of(&self, key: &str) -> Option<usize> {
        match &self.repr {
            Repr::Small(v) => position(v, key),
            Repr::Large(m) => m.get_index_of(key),
        }
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match &self.repr {
            Repr::Small(v) => position(v, key).map(|i| &v[i].1),
            Repr::Large(m) => m.get(key),
        }
    }

    /// The value of `key`, mutable, if present.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match &mut self.repr {
            Repr::Small(v) => match position(v, key) {
                Some(i) => Some(&mut v[i].1),
                None => None,
            },
            Repr::Large(m) => m.get_mut(key),
        }
    }

    /// The key and value of `key`, if present.
    pub fn get_key_value(&self, key: &str) -> Option<(&String, &Value)> {
        self.get_index_of(key).and_then(|i| self.get_index(i))
    }

    /// True when `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get_index_of(key).is_some()
    }

    /// The entry at position `i`.
    pub fn get_index(&self, i: usize) -> Option<(&String, &Value)> {
        match &self.repr {
            Repr::Small(v) => v.get(i).map(|(k, v)| (k, v)),
            Repr::Large(m) => m.get_index(i),
        }
    }

    /// The entry at position `i`, its value mutable.
    pub fn get_index_mut(&mut self, i: usize) -> Option<(&String, &mut Value)> {
        match &mut self.repr {
            Repr::Small(v) => v.get_mut(i).map(|(k, v)| (&*k, v)),
            Repr::Large(m) => m.get_index_mut(i),
        }
    }

    /// The first entry.
    pub fn first(&self) -> Option<(&String, &Value)> {
        self.get_index(0)
    }

    /// The last entry.
    pub fn last(&self) -> Option<(&String, &Value)> {
        self.len().checked_sub(1).and_then(|i| self.get_index(i))
    }

    /// Sets `key` to `value`. A present key keeps its position and its
    /// former value is returned; a new key goes last.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        self.insert_full(key, value).1
    }

    /// As [`insert`](Self::insert), also giving the entry's position.
    pub fn insert_full(&mut self, key: String, value: Value) -> (usize, Option<Value>) {
        match &mut self.repr {
            Repr::Small(v) => {
                if let Some(i) = position(v, &key) {
                    return (i, Some(std::mem::replace(&mut v[i].1, value)));
                }
                if v.len() < SMALL {
                    v.push((key, value));
                    return (v.len() - 1, None);
                }
                let mut m = IndexMap::with_capacity_and_hasher(v.len() * 2, FastState::default());
                m.extend(v.drain(..));
                let full = m.insert_full(key, value);
                self.repr = Repr::Large(m);
                full
            }
            Repr::Large(m) => m.insert_full(key, value),
        }
    }

    /// The entry of `key`, to read, insert or change in place.
    pub fn entry(&mut self, key: String) -> Entry<'_> {
        match self.get_index_of(&key) {
            Some(index) => Entry::Occupied(OccupiedEntry { map: self, index }),
            None => Entry::Vacant(VacantEntry { map: self, key }),
        }
    }

    /// Removes `key`, keeping the order of the others (the entries after it
    /// move up by one).
    pub fn shift_remove(&mut self, key: &str) -> Option<Value> {
        self.shift_remove_entry(key).map(|(_, v)| v)
    }

    /// As [`shift_remove`](Self::shift_remove), also giving the key back.
    pub fn shift_remove_entry(&mut self, key: &str) -> Option<(String, Value)> {
        match &mut self.repr {
            Repr::Small(v) => position(v, key).map(|i| v.remove(i)),
            Repr::Large(m) => m.shift_remove_entry(key),
        }
    }

    /// Removes `key`, moving the last entry into its place.
    pub fn swap_remove(&mut self, key: &str) -> Option<Value> {
        match &mut self.repr {
            Repr::Small(v) => position(v, key).map(|i| v.swap_remove(i).1),
            Repr::Large(m) => m.swap_remove(key),
        }
    }

    /// Keeps only the entries for which `keep` is true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut Value) -> bool) {
        match &mut self.repr {
            Repr::Small(v) => v.retain_mut(|(k, v)| keep(k, v)),
            Repr::Large(m) => m.retain(|k, v| keep(k, v)),
        }
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.repr = Repr::Small(Vec::new());
    }

    /// Sorts the entries by key.
    pub fn sort_keys(&mut self) {
        match &mut self.repr {
            Repr::Small(v) => v.sort_by(|a, b| a.0.cmp(&b.0)),
            Repr::Large(m) => m.sort_keys(),
        }
    }

    /// The entries in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(match &self.repr {
            Repr::Small(v) => IterRepr::Small(v.iter()),
            Repr::Large(m) => IterRepr::Large(m.iter()),
        })
    }

    /// The entries in order, values mutable.
    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(match &mut self.repr {
            Repr::Small(v) => IterMutRepr::Small(v.iter_mut()),
            Repr::Large(m) => IterMutRepr::Large(m.iter_mut()),
        })
    }

    /// The keys in order.
    pub fn keys(&self) -> Keys<'_> {
        Keys(self.iter())
    }

    /// The values in order.
    pub fn values(&self) -> Values<'_> {
        Values(self.iter())
    }

    /// The values in order, mutable.
    pub fn values_mut(&mut self) -> ValuesMut<'_> {
        ValuesMut(self.iter_mut())
    }
}

/// The entries of a [`ValueMap`], in order.
#[derive(Debug)]
pub struct Iter<'a>(IterRepr<'a>);

#[derive(Debug)]
enum IterRepr<'a> {
    Small(std::slice::Iter<'a, (String, Value)>),
    Large(indexmap::map::Iter<'a, String, Value>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a String, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterRepr::Small(i) => i.next().map(|(k, v)| (k, v)),
            IterRepr::Large(i) => i.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterRepr::Small(i) => i.size_hint(),
            IterRepr::Large(i) => i.size_hint(),
        }
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterRepr::Small(i) => i.next_back().map(|(k, v)| (k, v)),
            IterRepr::Large(i) => i.next_back(),
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// The entries of a [`ValueMap`], in order, values mutable.
#[derive(Debug)]
pub struct IterMut<'a>(IterMutRepr<'a>);

#[derive(Debug)]
enum IterMutRepr<'a> {
    Small(std::slice::IterMut<'a, (String, Value)>),
    Large(indexmap::map::IterMut<'a, String, Value>),
}

impl<'a> Iterator for IterMut<'a> {
    type Item = (&'a String, &'a mut Value);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterMutRepr::Small(i) => i.next().map(|(k, v)| (&*k, v)),
            IterMutRepr::Large(i) => i.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterMutRepr::Small(i) => i.size_hint(),
            IterMutRepr::Large(i) => i.size_hint(),
        }
    }
}

impl DoubleEndedIterator for IterMut<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterMutRepr::Small(i) => i.next_back().map(|(k, v)| (&*k, v)),
            IterMutRepr::Large(i) => i.next_back(),
        }
    }
}

impl ExactSizeIterator for IterMut<'_> {}

/// The keys of a [`ValueMap`], in order.
#[derive(Debug)]
pub struct Keys<'a>(Iter<'a>);

impl<'a> Iterator for Keys<'a> {
    type Item = &'a String;

    fn next(&mut self) -> Option<&'a String> {
        self.0.next().map(|(k, _)| k)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Keys<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, _)| k)
    }
}

impl ExactSizeIterator for Keys<'_> {}

/// The values of a [`ValueMap`], in order.
#[derive(Debug)]
pub struct Values<'a>(Iter<'a>);

impl<'a> Iterator for Values<'a> {
    type Item = &'a Value;

    fn next(&mut self) -> Option<&'a Value> {
        self.0.next().map(|(_, v)| v)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Values<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(_, v)| v)
    }
}

impl ExactSizeIterator for Values<'_> {}

/// The values of a [`ValueMap`], in order, mutable.
#[derive(Debug)]
pub struct ValuesMut<'a>(IterMut<'a>);

impl<'a> Iterator for ValuesMut<'a> {
    type Item = &'a mut Value;

    fn next(&mut self) -> Option<&'a mut Value> {
        self.0.next().map(|(_, v)| v)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl ExactSizeIterator for ValuesMut<'_> {}

/// The entries of a [`ValueMap`], owned, in order.
#[derive(Debug)]
pub struct IntoIter(IntoIterRepr);

#[derive(Debug)]
enum IntoIterRepr {
    Small(std::vec::IntoIter<(String, Value)>),
    Large(indexmap::map::IntoIter<String, Value>),
}

impl Iterator for IntoIter {
    type Item = (String, Value);

    fn next(&mut self) -> Option<(String, Value)> {
        match &mut self.0 {
            IntoIterRepr::Small(i) => i.next(),
            IntoIterRepr::Large(i) => i.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IntoIterRepr::Small(i) => i.size_hint(),
            IntoIterRepr::Large(i) => i.size_hint(),
        }
    }
}

impl DoubleEndedIterator for IntoIter {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IntoIterRepr::Small(i) => i.next_back(),
            IntoIterRepr::Large(i) => i.next_back(),
        }
    }
}

impl ExactSizeIterator for IntoIter {}

impl IntoIterator for ValueMap {
    type Item = (String, Value);
    type IntoIter = IntoIter;

    fn into_iter(self) -> IntoIter {
        IntoIter(match self.repr {
            Repr::Small(v) => IntoIterRepr::Small(v.into_iter()),
            Repr::Large(m) => IntoIterRepr::Large(m.into_iter()),
        })
    }
}

impl<'a> IntoIterator for &'a ValueMap {
    type Item = (&'a String, &'a Value);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut ValueMap {
    type Item = (&'a String, &'a mut Value);
    type IntoIter = IterMut<'a>;

    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

impl Extend<(String, Value)> for ValueMap {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, items: I) {
        for (k, v) in items {
            self.insert(k, v);
        }
    }
}

impl FromIterator<(String, Value)> for ValueMap {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(items: I) -> Self {
        let items = items.into_iter();
        let mut m = ValueMap::with_capacity(items.size_hint().0);
        m.extend(items);
        m
    }
}

impl<const N: usize> From<[(String, Value); N]> for ValueMap {
    fn from(items: [(String, Value); N]) -> Self {
        items.into_iter().collect()
    }
}

impl<S> From<IndexMap<String, Value, S>> for ValueMap {
    fn from(m: IndexMap<String, Value, S>) -> Self {
        m.into_iter().collect()
    }
}

impl std::ops::Index<&str> for ValueMap {
    type Output = Value;

    /// The value of `key`; panics when it is absent, as `IndexMap`'s does.
    fn index(&self, key: &str) -> &Value {
        match self.get(key) {
            Some(v) => v,
            None => panic!("ValueMap: key `{key}` is not present"),
        }
    }
}

/// Equal when both hold the same keys with equal values, in any order
/// (as `IndexMap`'s equality).
impl PartialEq for ValueMap {
    fn eq(&self, other: &ValueMap) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl fmt::Debug for ValueMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// One key's place in a [`ValueMap`], from [`ValueMap::entry`].
#[derive(Debug)]
pub enum Entry<'a> {
    /// The key is present.
    Occupied(OccupiedEntry<'a>),
    /// The key is absent.
    Vacant(VacantEntry<'a>),
}

/// A present key of a [`ValueMap`].
pub struct OccupiedEntry<'a> {
    map: &'a mut ValueMap,
    index: usize,
}

/// An absent key of a [`ValueMap`].
pub struct VacantEntry<'a> {
    map: &'a mut ValueMap,
    key: String,
}

impl<'a> Entry<'a> {
    /// The value, inserting `default` first when absent.
    pub fn or_insert(self, default: Value) -> &'a mut Value {
        match self {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(v) => v.insert(default),
        }
    }

    /// The value, inserting what `default` makes first when absent.
    pub fn or_insert_with(self, default: impl FnOnce() -> Value) -> &'a mut Value {
        match self {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(v) => v.insert(default()),
        }
    }

    /// The value, inserting `Value::Null` first when absent.
    pub fn or_default(self) -> &'a mut Value {
        self.or_insert(Value::Null)
    }

    /// Changes the value in place when present.
    pub fn and_modify(mut self, f: impl FnOnce(&mut Value)) -> Self {
        if let Entry::Occupied(o) = &mut self {
            f(o.get_mut());
        }
        self
    }

    /// The key.
    pub fn key(&self) -> &str {
        match self {
            Entry::Occupied(o) => o.key(),
            Entry::Vacant(v) => &v.key,
        }
    }
}

impl fmt::Debug for OccupiedEntry<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OccupiedEntry")
            .field("key", &self.key())
            .field("value", self.get())
            .finish()
    }
}

impl fmt::Debug for VacantEntry<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VacantEntry")
            .field("key", &self.key)
            .finish()
    }
}

impl<'a> OccupiedEntry<'a> {
    /// The key.
    pub fn key(&self) -> &str {
        self.map.get_index(self.index).map_or("", |(k, _)| k)
    }

    /// The value.
    pub fn get(&self) -> &Value {
        match &self.map.repr {
            Repr::Small(v) => &v[self.index].1,
            Repr::Large(m) => &m[self.index],
        }
    }

    /// The value, mutable.
    pub fn get_mut(&mut self) -> &mut Value {
        match &mut self.map.repr {
            Repr::Small(v) => &mut v[self.index].1,
            Repr::Large(m) => &mut m[self.index],
        }
    }

    /// The value, mutable, for as long as the map is borrowed.
    pub fn into_mut(self) -> &'a mut Value {
        match &mut self.map.repr {
            Repr::Small(v) => &mut v[self.index].1,
            Repr::Large(m) => &mut m[self.index],
        }
    }

    /// Replaces the value, giving the former one back.
    pub fn insert(&mut self, value: Value) -> Value {
        std::mem::replace(self.get_mut(), value)
    }
}

impl<'a> VacantEntry<'a> {
    /// The key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Inserts the value (last) and gives it back, mutable.
    pub fn insert(self, value: Value) -> &'a mut Value {
        let (index, _) = self.map.insert_full(self.key, value);
        match &mut self.map.repr {
            Repr::Small(v) => &mut v[index].1,
            Repr::Large(m) => &mut m[index],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: usize) -> String {
        format!("Key{i}")
    }

    /// Every operation, on maps that stay small and on maps that grow past
    /// [`SMALL`], against an `IndexMap` doing the same.
    #[test]
    fn behaves_as_an_index_map_small_and_large() {
        for n in [0, 1, 5, SMALL - 1, SMALL, SMALL + 1, 3 * SMALL + 2] {
            let mut ours = ValueMap::new();
            let mut theirs: IndexMap<String, Value> = IndexMap::new();
            for i in 0..n {
                assert_eq!(
                    ours.insert_full(key(i), Value::from(i)),
                    theirs.insert_full(key(i), Value::from(i))
                );
            }
            // Re-inserting a present key keeps its place.
            for i in (0..n).step_by(3) {
                assert_eq!(
                    ours.insert_full(key(i), Value::from("again")),
                    theirs.insert_full(key(i), Value::from("again"))
                );
            }
            let pairs = |m: &ValueMap| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect::<Vec<_>>()
            };
            let expected: Vec<_> = theirs.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            assert_eq!(pairs(&ours), expected, "n = {n}");
            assert_eq!(ours.len(), theirs.len());
            for i in 0..n + 2 {
                assert_eq!(ours.get(&key(i)), theirs.get(&key(i)));
                assert_eq!(ours.get_index_of(&key(i)), theirs.get_index_of(&key(i)));
            }
            assert_eq!(
                ours.keys().rev().collect::<Vec<_>>(),
                theirs.keys().rev().collect::<Vec<_>>()
            );
            if n > 2 {
                assert_eq!(ours.shift_remove(&key(1)), theirs.shift_remove(&key(1)));
                assert_eq!(
                    ours.swap_remove(&key(0)),
                    theirs.swap_remove(&key(0)),
                    "n = {n}"
                );
                ours.retain(|k, _| !k.ends_with('2'));
                theirs.retain(|k, _| !k.ends_with('2'));
                assert_eq!(
                    ours.clone().into_iter().collect::<Vec<_>>(),
                    theirs.clone().into_iter().collect::<Vec<_>>()
                );
            }
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
            let rebuilt: ValueMap = theirs.clone().into();
            assert_eq!(rebuilt, ours);
        }
    }

    #[test]
    fn equality_ignores_order_as_index_maps_do() {
        let a: ValueMap = [("A".to_owned(), Value::from(1)), ("B".to_owned(), 2.into())].into();
        let b: ValueMap = [("B".to_owned(), Value::from(2)), ("A".to_owned(), 1.into())].into();
        let c: ValueMap = [("A".to_owned(), Value::from(1)), ("B".to_owned(), 3.into())].into();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, ValueMap::new());
    }

    #[test]
    fn entries_insert_and_modify_in_place() {
        for n in [2, SMALL + 4] {
            let mut m: ValueMap = (0..n).map(|i| (key(i), Value::from(i))).collect();
            *m.entry(key(1)).or_insert(Value::Null) = Value::from("set");
            m.entry(key(n)).or_insert_with(|| Value::from("new"));
            m.entry(key(0)).and_modify(|v| *v = Value::from(true));
            assert_eq!(m.get(&key(1)), Some(&Value::from("set")));
            assert_eq!(m.last(), Some((&key(n), &Value::from("new"))));
            assert_eq!(m.first(), Some((&key(0), &Value::from(true))));
            assert_eq!(m.len(), n + 1);
            assert_eq!(m.entry(key(n + 5)).key(), key(n + 5));
        }
    }
}
