//! Pretty JSON text, byte for byte the format of
//! `serde_json::to_string_pretty` (two-space indent, `"key": value`, `{}`
//! and `[]` when empty), written straight from the renderer's events: no
//! `serde_json::Value` tree to build, hash and drop.

use serde_json::Number;

use super::sink::Sink;

/// Writes one JSON document into a string.
pub(crate) struct PrettyWriter {
    out: Vec<u8>,
    /// The innermost open container, kept in fields (not as the last of
    /// `outer`): read before every key and value, and a debug build calls
    /// `last`/`last_mut` and their derefs each time.
    inner: Container,
    /// The containers around it, outermost first (the document's top level,
    /// a `Container::TOP`, first of all).
    outer: Vec<Container>,
}

#[derive(Clone, Copy)]
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
const LINE: &[u8; 65] = b"\n                                                                ";

/// A newline and the indent of each depth up to 32, sliced once at compile
/// time: slicing `LINE` per line costs a chain of index calls in a debug
/// build, one array index is a bounds check.
static INDENTS: [&[u8]; 33] = {
    let mut t: [&[u8]; 33] = [&[]; 33];
    let mut depth = 0;
    while depth < 33 {
        t[depth] = LINE.split_at(2 * depth + 1).0;
        depth += 1;
    }
    t
};

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
            inner: Container::TOP,
            outer: Vec::new(),
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
        let depth = self.outer.len();
        if depth < INDENTS.len() {
            self.out.extend_from_slice(INDENTS[depth]);
        } else {
            self.out.push(b'\n');
            self.out.resize(self.out.len() + 2 * depth, b' ');
        }
    }

    /// Before an object key or an array item: the separator and indent.
    fn element(&mut self) {
        if self.inner.top {
            return;
        }
        if self.inner.filled {
            self.out.push(b',');
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

    fn open(&mut self, bracket: u8, array: bool) {
        self.value();
        self.out.push(bracket);
        self.outer.push(self.inner);
        self.inner = Container {
            top: false,
            array,
            filled: false,
        };
    }

    fn close(&mut self, bracket: u8) {
        let filled = self.inner.filled;
        self.inner = self.outer.pop().unwrap_or(Container::TOP);
        if filled {
            self.newline_indent();
        }
        self.out.push(bracket);
    }

    /// `s` quoted and escaped as serde_json writes it. Most strings need
    /// no escape: they are checked eight bytes at a time and copied whole.
    fn quoted(&mut self, s: &str) {
        let bytes = s.as_bytes();
        self.out.push(b'"');
        if plain(bytes) {
            self.out.extend_from_slice(bytes);
        } else {
            escape_into(&mut self.out, s);
        }
        self.out.push(b'"');
    }
}

/// Where [`escape_into`] writes: the writer's bytes, or a `String`.
pub(crate) trait Pieces {
    /// Appends `s`.
    fn piece(&mut self, s: &str);
}

impl Pieces for Vec<u8> {
    fn piece(&mut self, s: &str) {
        self.extend_from_slice(s.as_bytes());
    }
}

impl Pieces for String {
    fn piece(&mut self, s: &str) {
        self.push_str(s);
    }
}

/// `s` escaped as serde_json escapes the inside of a string: runs of plain
/// bytes copied at once, each other byte escaped (`\"`, `\\`, `\n`,
/// `\u001f`...). Only ASCII bytes are escaped, so every run ends on a
/// character boundary.
pub(crate) fn escape_into(out: &mut impl Pieces, s: &str) {
    const HEX: &str = "0123456789abcdef";
    let bytes = s.as_bytes();
    // `run` is where the plain bytes not yet copied start: the length of
    // what was left to read then.
    let mut run = bytes.len();
    let mut rest = bytes;
    // Slice patterns: no iterator, index arithmetic or bounds check per
    // byte, which cost calls and checks in a debug build. (Passing over
    // eight plain bytes at once costs more than it saves here: strings
    // with escapes are mostly embedded JSON, a quote every few bytes.)
    while let [byte, tail @ ..] = rest {
        let e = ESCAPE[*byte as usize];
        if e != 0 {
            let at = bytes.len() - rest.len();
            out.piece(s.get(bytes.len() - run..at).unwrap_or_default());
            if e == b'u' {
                let (hi, lo) = ((byte >> 4) as usize, (byte & 0xf) as usize);
                out.piece("\\u00");
                out.piece(HEX.get(hi..hi + 1).unwrap_or_default());
                out.piece(HEX.get(lo..lo + 1).unwrap_or_default());
            } else {
                out.piece("\\");
                out.piece(ESCAPED.get(*byte as usize).copied().unwrap_or_default());
            }
            run = tail.len();
        }
        rest = tail;
    }
    out.piece(s.get(bytes.len() - run..).unwrap_or_default());
}

/// The letter after the backslash of each byte [`ESCAPE`] marks with one.
static ESCAPED: [&str; 256] = {
    let mut t = [""; 256];
    t[0x08] = "b";
    t[0x0c] = "f";
    t[b'\n' as usize] = "n";
    t[b'\r' as usize] = "r";
    t[b'\t' as usize] = "t";
    t[b'"' as usize] = "\"";
    t[b'\\' as usize] = "\\";
    t
};

/// `s` as the inside of a JSON string literal, appended to `out` (see
/// [`crate::json_text`]).
pub(crate) fn push_escaped(out: &mut String, s: &str) {
    if plain(s.as_bytes()) {
        out.push_str(s);
    } else {
        escape_into(out, s);
    }
}

/// The decimal digits of a number, without `format!` (whose machinery
/// costs several hundred instructions a call in a debug build).
pub(crate) struct Decimal {
    digits: [u8; 20],
    start: usize,
}

impl Decimal {
    pub(crate) fn of(mut n: u64) -> Decimal {
        let mut digits = [b'0'; 20];
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        Decimal { digits, start }
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits were written.
        std::str::from_utf8(&self.digits[self.start..]).unwrap_or("0")
    }
}

/// True when no byte of `bytes` needs an escape: eight bytes at a time as
/// one `u64` (a debug build checks every table index and slice bound: one
/// test per eight bytes instead of eight lookups), the last up to seven
/// padded with spaces (cheaper in a debug build than reading the string's
/// last eight bytes again, which a slice pattern from the end does with an
/// index computation per byte).
fn plain(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let [a, b, c, d, e, f, g, h, tail @ ..] = rest {
        if escapes(u64::from_ne_bytes([*a, *b, *c, *d, *e, *f, *g, *h])) {
            return false;
        }
        rest = tail;
    }
    const S: u8 = b' ';
    let last = match rest {
        [] => return true,
        [a] => [*a, S, S, S, S, S, S, S],
        [a, b] => [*a, *b, S, S, S, S, S, S],
        [a, b, c] => [*a, *b, *c, S, S, S, S, S],
        [a, b, c, d] => [*a, *b, *c, *d, S, S, S, S],
        [a, b, c, d, e] => [*a, *b, *c, *d, *e, S, S, S],
        [a, b, c, d, e, f] => [*a, *b, *c, *d, *e, *f, S, S],
        [a, b, c, d, e, f, g] => [*a, *b, *c, *d, *e, *f, *g, S],
        // `rest` is shorter than eight bytes here.
        _ => return false,
    };
    !escapes(u64::from_ne_bytes(last))
}

/// True when one of the eight bytes of `x` is one serde_json escapes: a
/// control byte (below 0x20), `"` or `\\`. The classic tests for a byte
/// below `n` (`(x - n per byte) & !x & high bits`) and for a zero byte
/// after an XOR: exact for "any byte", which is all that is asked. The
/// order of the bytes does not matter, so the native order serves.
/// Inlined even in a debug build: it runs once per eight bytes written.
#[inline(always)]
fn escapes(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    const SPACES: u64 = ONES * b' ' as u64;
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    let control = x.wrapping_sub(SPACES) & !x;
    let q = x ^ QUOTES;
    let quote = q.wrapping_sub(ONES) & !q;
    let b = x ^ BACKSLASHES;
    let backslash = b.wrapping_sub(ONES) & !b;
    (control | quote | backslash) & HIGH != 0
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
        if i < 0 {
            self.out.push(b'-');
        }
        self.out.piece(Decimal::of(i.unsigned_abs()).as_str());
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

    /// Property: `plain` answers as the table does for every byte value at
    /// every position of every length around the eight-byte steps (the
    /// padded short strings, the whole steps, the overlapping last eight).
    #[test]
    fn plain_finds_every_byte_that_needs_an_escape() {
        for len in 1..=26 {
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = byte;
                    let want = ESCAPE[byte as usize] == 0;
                    assert_eq!(plain(&bytes), want, "{byte:#x} at {at} of {len}");
                }
            }
        }
        assert!(plain(b""));
    }

    /// Property: random strings of every length up to 40, with escapes,
    /// multi-byte characters and plain runs anywhere, are written as
    /// serde_json writes them.
    #[test]
    fn random_strings_are_escaped_as_serde_json_escapes_them() {
        const PIECES: &[&str] = &[
            "a", "b", "Z", " ", "~", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{8}", "\u{c}",
            "\u{1f}", "\u{7f}", "é", "✓", "😀", "\u{2028}", "{\"k\":", "abcdefgh",
        ];
        let mut rng = crate::test_rng::Rng(0x0E5C_A9E5_0000_0001);
        for _ in 0..20_000 {
            let mut s = String::new();
            let len = rng.index(41);
            while s.len() < len {
                let piece = rng.pick(PIECES);
                s.push_str(piece);
            }
            let mut w = PrettyWriter::with_capacity(8);
            w.string(&s);
            let want = serde_json::to_string(&s).expect("a string serializes");
            assert_eq!(w.finish(), format!("{want}\n"), "{s:?}");
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
