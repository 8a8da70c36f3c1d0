//! Pretty JSON text, byte for byte the format of
//! `serde_json::to_string_pretty` (two-space indent, `"key": value`, `{}`
//! and `[]` when empty), written straight from the renderer's events: no
//! `serde_json::Value` tree to build, hash and drop.

use serde_json::Number;

use super::sink::Sink;

/// Writes one JSON document into a string.
pub(crate) struct PrettyWriter {
    out: Vec<u8>,
    /// Per open container: whether it is an array, and whether it has an
    /// element yet.
    open: Vec<(bool, bool)>,
}

/// The bytes serde_json escapes in strings: control characters, `"`, `\`.
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

impl PrettyWriter {
    /// A writer with room for about `bytes` of text.
    pub(crate) fn with_capacity(bytes: usize) -> Self {
        PrettyWriter {
            out: Vec::with_capacity(bytes),
            open: Vec::new(),
        }
    }

    /// The text, with the trailing newline every written file has.
    pub(crate) fn finish(mut self) -> String {
        self.out.push(b'\n');
        // Everything written came from `str`s, ASCII punctuation and
        // serde_json's own output, so it is UTF-8.
        String::from_utf8(self.out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    fn newline_indent(&mut self) {
        const SPACES: &[u8; 64] = &[b' '; 64];
        self.out.push(b'\n');
        let mut n = self.open.len() * 2;
        while n > 0 {
            let chunk = n.min(SPACES.len());
            self.out.extend_from_slice(&SPACES[..chunk]);
            n -= chunk;
        }
    }

    /// Before an object key or an array item: the separator and indent.
    fn element(&mut self) {
        if let Some((_, filled)) = self.open.last_mut() {
            let was = std::mem::replace(filled, true);
            if was {
                self.out.push(b',');
            }
            self.newline_indent();
        }
    }

    /// Before a value: an array item starts a new element (an object's
    /// value follows its key on the same line).
    fn value(&mut self) {
        if matches!(self.open.last(), Some((true, _))) {
            self.element();
        }
    }

    fn open(&mut self, bracket: u8, array: bool) {
        self.value();
        self.out.push(bracket);
        self.open.push((array, false));
    }

    fn close(&mut self, bracket: u8) {
        let filled = self.open.pop().is_some_and(|(_, f)| f);
        if filled {
            self.newline_indent();
        }
        self.out.push(bracket);
    }

    fn quoted(&mut self, s: &str) {
        if s.bytes().any(needs_escape) {
            // serde_json's own escaping, for the rare string that needs it.
            if serde_json::to_writer(&mut self.out, s).is_err() {
                self.out.extend_from_slice(b"null");
            }
        } else {
            self.out.push(b'"');
            self.out.extend_from_slice(s.as_bytes());
            self.out.push(b'"');
        }
    }
}

impl Sink for PrettyWriter {
    fn begin_object(&mut self) {
        self.open(b'{', false);
    }

    fn end_object(&mut self) {
        self.close(b'}');
    }

    fn begin_array(&mut self) {
        self.open(b'[', true);
    }

    fn end_array(&mut self) {
        self.close(b']');
    }

    fn key(&mut self, key: &str) {
        self.element();
        self.quoted(key);
        self.out.extend_from_slice(b": ");
    }

    fn null(&mut self) {
        self.value();
        self.out.extend_from_slice(b"null");
    }

    fn bool(&mut self, b: bool) {
        self.value();
        self.out
            .extend_from_slice(if b { b"true" } else { b"false" });
    }

    fn number(&mut self, n: &Number) {
        self.value();
        // Writing a number into a `Vec` cannot fail.
        if serde_json::to_writer(&mut self.out, n).is_err() {
            self.out.extend_from_slice(b"null");
        }
    }

    fn string(&mut self, s: &str) {
        self.value();
        self.quoted(s);
    }
}

/// `v` as pretty text with a trailing newline, as templates and the
/// manifest are written.
pub(crate) fn text(v: &serde_json::Value) -> String {
    let mut w = PrettyWriter::with_capacity(1024);
    w.json(v);
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value as Json, json};

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
            "c": [1, -2, 2.5, 1e300, -0.0, 1e-7, true, false, null, "x", u64::MAX, i64::MIN],
            "d": {"nested": {"deeper": ["q\"uote", "back\\slash", "tab\t", "nl\n", "\u{1}\u{1f}\u{7f}", "ü✓😀", "</script>"]}},
            "": [[], [{}], [[1]], {"k": []}],
            "e\"k\n": 0.1
        });
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
    fn floats_that_are_not_finite_are_null() {
        for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut w = PrettyWriter::with_capacity(8);
            w.float(f);
            assert_eq!(w.finish(), "null\n");
        }
    }
}
