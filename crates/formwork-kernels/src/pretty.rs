//! Pretty JSON text written from a stream of events, byte for byte the
//! format of `serde_json::to_string_pretty` (two-space indent,
//! `"key": value`, `{}` and `[]` when empty).

use crate::escape::{escape_into, push_decimal};

/// A JSON document written as pretty text, event by event: open and close
/// objects and arrays, keys, scalars. The caller keeps the events well
/// formed (a key before each value of an object, keys unique, every
/// container closed); the writer keeps the commas and the indent.
///
/// ```
/// let mut w = formwork_kernels::PrettyJson::with_capacity(64);
/// w.begin_object();
/// w.str_entry("Ref", "Bucket");
/// w.key("List");
/// w.begin_array();
/// w.int(-3);
/// w.bool(true);
/// w.null();
/// w.end_array();
/// w.key("Empty");
/// w.begin_object();
/// w.end_object();
/// w.end_object();
/// assert_eq!(
///     w.finish(),
///     "{\n  \"Ref\": \"Bucket\",\n  \"List\": [\n    -3,\n    true,\n    null\n  ],\n  \"Empty\": {}\n}\n"
/// );
/// ```
#[derive(Debug)]
pub struct PrettyJson {
    out: String,
    /// The innermost open container.
    inner: Container,
    /// The containers around it, outermost first (the document's top
    /// level, a `Container::TOP`, first of all).
    outer: Vec<Container>,
}

#[derive(Clone, Copy, Debug)]
struct Container {
    /// At the top level, outside any container.
    top: bool,
    array: bool,
    /// It has an element yet.
    filled: bool,
}

impl Container {
    const TOP: Container = Container {
        top: true,
        array: false,
        filled: false,
    };
}

/// A newline and up to 32 levels of indent.
const LINE: &str = "\n                                                                ";

impl PrettyJson {
    /// A writer with room for about `bytes` of text.
    #[inline(never)]
    pub fn with_capacity(bytes: usize) -> Self {
        PrettyJson {
            out: String::with_capacity(bytes),
            inner: Container::TOP,
            outer: Vec::with_capacity(16),
        }
    }

    /// The text, with the trailing newline every written file has.
    #[inline(never)]
    pub fn finish(mut self) -> String {
        self.out.push('\n');
        self.out
    }

    fn newline_indent(&mut self) {
        let width = 2 * self.outer.len() + 1;
        match LINE.get(..width) {
            Some(line) => self.out.push_str(line),
            None => {
                self.out.push('\n');
                for _ in 1..width {
                    self.out.push(' ');
                }
            }
        }
    }

    /// Before an object key or an array item: the separator and indent.
    fn element(&mut self) {
        if self.inner.top {
            return;
        }
        if self.inner.filled {
            self.out.push(',');
        }
        self.inner.filled = true;
        self.newline_indent();
    }

    /// Before a value: an array item starts a new element (an object's
    /// value follows its key on the same line).
    fn value(&mut self) {
        if self.inner.array {
            self.element();
        }
    }

    fn open(&mut self, bracket: char, array: bool) {
        self.value();
        self.out.push(bracket);
        self.outer.push(self.inner);
        self.inner = Container {
            top: false,
            array,
            filled: false,
        };
    }

    fn close(&mut self, bracket: char) {
        let filled = self.inner.filled;
        self.inner = self.outer.pop().unwrap_or(Container::TOP);
        if filled {
            self.newline_indent();
        }
        self.out.push(bracket);
    }

    fn quoted(&mut self, s: &str) {
        self.out.push('"');
        escape_into(&mut self.out, s);
        self.out.push('"');
    }

    /// `{`: keys and values follow, then [`PrettyJson::end_object`].
    #[inline(never)]
    pub fn begin_object(&mut self) {
        self.open('{', false);
    }

    /// `}`.
    #[inline(never)]
    pub fn end_object(&mut self) {
        self.close('}');
    }

    /// `[`: values follow, then [`PrettyJson::end_array`].
    #[inline(never)]
    pub fn begin_array(&mut self) {
        self.open('[', true);
    }

    /// `]`.
    #[inline(never)]
    pub fn end_array(&mut self) {
        self.close(']');
    }

    /// An object's key; its value follows.
    #[inline(never)]
    pub fn key(&mut self, key: &str) {
        self.element();
        self.quoted(key);
        self.out.push_str(": ");
    }

    /// `"key": "value"`, in one call.
    #[inline(never)]
    pub fn str_entry(&mut self, key: &str, value: &str) {
        self.key(key);
        self.quoted(value);
    }

    /// `null`.
    #[inline(never)]
    pub fn null(&mut self) {
        self.value();
        self.out.push_str("null");
    }

    /// `true` or `false`.
    #[inline(never)]
    pub fn bool(&mut self, b: bool) {
        self.value();
        self.out.push_str(if b { "true" } else { "false" });
    }

    /// An integer, in decimal digits.
    #[inline(never)]
    pub fn int(&mut self, i: i64) {
        self.value();
        if i < 0 {
            self.out.push('-');
        }
        push_decimal(&mut self.out, i.unsigned_abs());
    }

    /// A number already written as JSON text (a float as serde_json
    /// formats it), copied as it is.
    #[inline(never)]
    pub fn number_text(&mut self, text: &str) {
        self.value();
        self.out.push_str(text);
    }

    /// A string, quoted and escaped.
    #[inline(never)]
    pub fn string(&mut self, s: &str) {
        self.value();
        self.quoted(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value as Json, json};

    fn write(w: &mut PrettyJson, v: &Json) {
        match v {
            Json::Null => w.null(),
            Json::Bool(b) => w.bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => w.int(i),
                None => w.number_text(&n.to_string()),
            },
            Json::String(s) => w.string(s),
            Json::Array(items) => {
                w.begin_array();
                items.iter().for_each(|item| write(w, item));
                w.end_array();
            }
            Json::Object(m) => {
                w.begin_object();
                for (k, item) in m {
                    w.key(k);
                    write(w, item);
                }
                w.end_object();
            }
        }
    }

    fn text(v: &Json) -> String {
        let mut w = PrettyJson::with_capacity(8);
        write(&mut w, v);
        w.finish()
    }

    fn reference(v: &Json) -> String {
        let mut s = serde_json::to_string_pretty(v).expect("a tree serializes");
        s.push('\n');
        s
    }

    #[test]
    fn writes_what_serde_json_pretty_writes() {
        let v = json!({
            "a": [],
            "b": {},
            "c": [1, -2, 2.5, 1e300, -0.0, 1e-7, true, false, null, "x", i64::MAX, i64::MIN],
            "d": {"nested": {"deeper": ["q\"uote", "back\\slash", "tab\t", "nl\n", "\u{1}\u{1f}\u{7f}", "ü✓😀"]}},
            "": [[], [{}], [[1]], {"k": []}],
            "e\"k\n": 0.1
        });
        assert_eq!(text(&v), reference(&v));
    }

    /// Deeper than the indent line is long (32 levels), as serde_json
    /// indents it.
    #[test]
    fn deep_nesting_is_indented_as_serde_json_indents_it() {
        let mut v = json!(["deep", {}]);
        for i in 0..40 {
            v = json!({ format!("k{i}"): [v, i] });
        }
        assert_eq!(text(&v), reference(&v));
    }

    #[test]
    fn scalars_and_empty_containers_at_the_top() {
        for v in [
            json!(null),
            json!("s"),
            json!(3),
            json!(1.5),
            json!([]),
            json!({}),
        ] {
            assert_eq!(text(&v), reference(&v));
        }
    }

    #[test]
    fn a_str_entry_is_a_key_and_a_string() {
        let mut a = PrettyJson::with_capacity(8);
        a.begin_object();
        a.str_entry("k\"", "v\n");
        a.str_entry("k2", "v2");
        a.end_object();
        assert_eq!(a.finish(), reference(&json!({"k\"": "v\n", "k2": "v2"})));
    }
}
