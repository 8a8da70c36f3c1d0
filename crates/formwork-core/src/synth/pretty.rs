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

/// The writer itself (indent, escaping, every character) is tested in
/// formwork-kernels; these test what this impl adds: serde_json's numbers,
/// the `Sink` defaults, a whole document through `Sink::json`.
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
    fn numbers_and_a_document_through_the_sink_as_serde_json_writes_them() {
        let v = json!({
            "n": [1, -2, 2.5, 1e300, -0.0, 1e-7, 0.1, u64::MAX, i64::MIN],
            "d": {"k": [true, false, null, "s", {}, []]}
        });
        assert_eq!(text(&v), reference(&v));
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
