//! Pretty JSON text, byte for byte the format of
//! `serde_json::to_string_pretty`, written straight from the renderer's
//! events by [`formwork_kernels::PrettyJson`]: no `serde_json::Value` tree to
//! build, hash and drop. The writer lives in its own small crate, built
//! optimized even in debug builds (see its documentation).

use serde_json::Number;

use super::sink::Sink;

/// The template writer: the renderer's events as pretty text.
pub(crate) type PrettyWriter = formwork_kernels::PrettyJson;

impl Sink for PrettyWriter {
    fn begin_object(&mut self) {
        PrettyWriter::begin_object(self);
    }

    fn end_object(&mut self) {
        PrettyWriter::end_object(self);
    }

    fn begin_array(&mut self) {
        PrettyWriter::begin_array(self);
    }

    fn end_array(&mut self) {
        PrettyWriter::end_array(self);
    }

    fn key(&mut self, key: &str) {
        PrettyWriter::key(self, key);
    }

    fn null(&mut self) {
        PrettyWriter::null(self);
    }

    fn bool(&mut self, b: bool) {
        PrettyWriter::bool(self, b);
    }

    fn int(&mut self, i: i64) {
        PrettyWriter::int(self, i);
    }

    fn number(&mut self, n: &Number) {
        match n.as_i64() {
            Some(i) => PrettyWriter::int(self, i),
            // A float or a large unsigned integer, as serde_json writes it.
            None => match serde_json::to_string(n) {
                Ok(text) => PrettyWriter::number_text(self, &text),
                Err(_) => PrettyWriter::null(self),
            },
        }
    }

    fn string(&mut self, s: &str) {
        PrettyWriter::string(self, s);
    }

    fn str_entry(&mut self, key: &str, value: &str) {
        PrettyWriter::str_entry(self, key, value);
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
