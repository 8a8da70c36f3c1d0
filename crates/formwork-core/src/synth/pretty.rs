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
static ESCAPED: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// True when a byte of `bytes` is one serde_json escapes. Eight bytes at a
/// time: a byte below 0x20, or equal to `"` or `\`, sets the high bit of
/// its lane in `(x - ones * n) & !x` (the classic "has a byte less than n"
/// test, exact as a yes or no for n up to 0x80).
fn needs_escaping(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut lane = [0u8; 8];
        lane.copy_from_slice(chunk);
        let x = u64::from_le_bytes(lane);
        let quote = x ^ (ONES * u64::from(b'"'));
        let slash = x ^ (ONES * u64::from(b'\\'));
        let hit = (x.wrapping_sub(ONES * 0x20) & !x)
            | (quote.wrapping_sub(ONES) & !quote)
            | (slash.wrapping_sub(ONES) & !slash);
        if hit & HIGH != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| ESCAPED[b as usize])
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

    fn quoted(&mut self, s: &str) {
        let bytes = s.as_bytes();
        if needs_escaping(bytes) {
            // serde_json's own escaping, for the rare string that needs it.
            if serde_json::to_writer(&mut self.out, s).is_err() {
                self.out.extend_from_slice(b"null");
            }
        } else {
            self.out.reserve(bytes.len() + 2);
            self.out.push(b'"');
            self.out.extend_from_slice(bytes);
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
    fn the_eight_byte_scan_finds_what_the_table_finds() {
        for len in [1, 7, 8, 9, 16, 17, 24] {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    assert_eq!(
                        needs_escaping(&bytes),
                        ESCAPED[b as usize],
                        "byte {b:#x} at {at} of {len}"
                    );
                    // Beside bytes with the high bit set, as in UTF-8.
                    let mut high = vec![0xffu8; len];
                    high[at] = b;
                    assert_eq!(needs_escaping(&high), ESCAPED[b as usize]);
                    let mut low = vec![0x20u8; len];
                    low[at] = b;
                    assert_eq!(needs_escaping(&low), ESCAPED[b as usize]);
                }
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
