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

/// How serde_json writes each byte inside a string: `0` as it is, `u` as
/// `\u00XX`, any other as a backslash and that letter (`"`, `\\`, `b`,
/// `f`, `n`, `r`, `t`).
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x0c] = b'f';
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[b'\t' as usize] = b't';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

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
        // A newline and up to 32 levels of indent in one copy.
        const LINE: &[u8; 65] =
            b"\n                                                                ";
        let n = self.open.len() * 2;
        if n < LINE.len() {
            self.out.extend_from_slice(&LINE[..=n]);
        } else {
            self.out.push(b'\n');
            self.out.resize(self.out.len() + n, b' ');
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

    /// `s` quoted and escaped as serde_json writes it: runs of plain bytes
    /// copied at once. The bytes are walked with slice patterns, eight at
    /// a time while they last: no iterator, index arithmetic or bounds
    /// check per byte, which cost calls and checks in a debug build.
    fn quoted(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let bytes = s.as_bytes();
        self.out.reserve(bytes.len() + 2);
        self.out.push(b'"');
        // `run` is where the plain bytes not yet copied start: the length
        // of what was left to read then.
        let mut run = bytes.len();
        let mut rest = bytes;
        loop {
            if let [a, b, c, d, e, f, g, h, tail @ ..] = rest {
                let any = ESCAPE[*a as usize]
                    | ESCAPE[*b as usize]
                    | ESCAPE[*c as usize]
                    | ESCAPE[*d as usize]
                    | ESCAPE[*e as usize]
                    | ESCAPE[*f as usize]
                    | ESCAPE[*g as usize]
                    | ESCAPE[*h as usize];
                if any == 0 {
                    rest = tail;
                    continue;
                }
            }
            let [byte, tail @ ..] = rest else { break };
            let e = ESCAPE[*byte as usize];
            if e != 0 {
                let at = bytes.len() - rest.len();
                self.out.extend_from_slice(&bytes[bytes.len() - run..at]);
                if e == b'u' {
                    self.out.extend_from_slice(b"\\u00");
                    self.out.push(HEX[(byte >> 4) as usize]);
                    self.out.push(HEX[(byte & 0xf) as usize]);
                } else {
                    self.out.push(b'\\');
                    self.out.push(e);
                }
                run = tail.len();
            }
            rest = tail;
        }
        self.out.extend_from_slice(&bytes[bytes.len() - run..]);
        self.out.push(b'"');
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
        // Two pushes: a slice copy checks its preconditions in a debug build.
        self.out.push(b':');
        self.out.push(b' ');
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

    fn int(&mut self, i: i64) {
        self.value();
        // Decimal digits, as serde_json writes integers.
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut n = i.unsigned_abs();
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        if i < 0 {
            self.out.push(b'-');
        }
        self.out.extend_from_slice(&digits[at..]);
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
    fn every_character_is_escaped_as_serde_json_escapes_it() {
        let mut chars: Vec<char> = (0u32..0x100).filter_map(char::from_u32).collect();
        chars.extend(['\u{2028}', '\u{fffd}', '\u{1f600}', 'é', '日']);
        for c in chars {
            for s in [
                c.to_string(),
                format!("a{c}"),
                format!("{c}b"),
                format!("plain {c} text {c}{c} end"),
            ] {
                let mut w = PrettyWriter::with_capacity(8);
                w.string(&s);
                let want = serde_json::to_string(&s).expect("a string serializes");
                assert_eq!(w.finish(), format!("{want}\n"), "{:?}", s);
            }
        }
    }

    #[test]
    fn integers_are_written_as_serde_json_writes_them() {
        for i in [0, 7, -7, 10, -10, 99, 100, i64::MAX, i64::MIN, i64::MIN + 1] {
            let mut w = PrettyWriter::with_capacity(8);
            w.int(i);
            assert_eq!(w.finish(), format!("{}\n", Json::from(i)));
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
