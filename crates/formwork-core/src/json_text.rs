//! JSON string literals as serde_json writes them, straight into text: for
//! constructs whose property is itself JSON text (a dashboard's body, a
//! state machine's definition), without building a `serde_json` value per
//! string (which costs thousands of instructions in a debug build).

/// Appends the inside of the JSON string literal of `s` (escaped, without
/// its quotes) to `out`.
///
/// ```
/// let mut out = String::from("{\"k\": \"");
/// formwork::json_text::push_escaped(&mut out, "a \"b\"\n");
/// assert_eq!(out, "{\"k\": \"a \\\"b\\\"\\n");
/// ```
pub fn push_escaped(out: &mut String, s: &str) {
    formwork_kernels::push_escaped(out, s);
}

/// The JSON string literal of `s`, with its quotes.
///
/// ```
/// assert_eq!(formwork::json_text::quoted("tab\there"), "\"tab\\there\"");
/// ```
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    push_escaped(&mut out, s);
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Rng;

    #[test]
    fn every_byte_and_random_strings_are_quoted_as_serde_json_quotes_them() {
        for b in 0u8..128 {
            let s = format!("a{}b", b as char);
            assert_eq!(quoted(&s), serde_json::to_string(&s).unwrap(), "byte {b}");
        }
        let mut rng = Rng(0xA11C_E5C0_DE00_0042);
        let alphabet: Vec<char> = "ab\"\\\n\r\t\u{0}\u{1f}\u{7f}é€😀 /<>".chars().collect();
        for _ in 0..5_000 {
            let n = rng.below(24) as usize;
            let s: String = (0..n)
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
                .collect();
            assert_eq!(quoted(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
            let mut inner = String::from("x");
            push_escaped(&mut inner, &s);
            let q = serde_json::to_string(&s).unwrap();
            assert_eq!(inner, format!("x{}", &q[1..q.len() - 1]));
        }
    }
}
