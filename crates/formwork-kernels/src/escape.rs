//! JSON string escaping as serde_json does it, and decimal digits.

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

/// Appends the inside of the JSON string literal of `s` (escaped as
/// serde_json escapes it, without the quotes) to `out`.
///
/// ```
/// let mut out = String::new();
/// formwork_kernels::push_escaped(&mut out, "a \"b\"\n\u{1}");
/// assert_eq!(out, "a \\\"b\\\"\\n\\u0001");
/// ```
#[inline(never)]
pub fn push_escaped(out: &mut String, s: &str) {
    escape_into(out, s);
}

/// `s` escaped into `out`: runs of plain bytes copied at once, each other
/// byte escaped. Only ASCII bytes are escaped, so every run ends on a
/// character boundary.
pub(crate) fn escape_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    if !needs_escape(bytes) {
        out.push_str(s);
        return;
    }
    let mut start = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let e = ESCAPE[byte as usize];
        if e == 0 {
            continue;
        }
        out.push_str(&s[start..at]);
        out.push('\\');
        if e == b'u' {
            out.push_str("u00");
            out.push(HEX[(byte >> 4) as usize] as char);
            out.push(HEX[(byte & 0xf) as usize] as char);
        } else {
            out.push(e as char);
        }
        start = at + 1;
    }
    out.push_str(&s[start..]);
}

/// True when a byte of `bytes` needs an escape: a control byte (below
/// 0x20), `"` or `\`.
pub(crate) fn needs_escape(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if escapes(u64::from_ne_bytes(word)) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| ESCAPE[b as usize] != 0)
}

/// True when one of the eight bytes of `x` is one serde_json escapes. The
/// classic tests for a byte below `n` (`(x - n per byte) & !x & high
/// bits`) and for a zero byte after an XOR: exact for "any byte", which
/// is all that is asked.
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

/// True when `s` contains `byte` (a `memchr`, optimized even in a debug
/// build, where the standard library's own would be built at the caller's
/// `opt-level`).
///
/// ```
/// assert!(formwork_kernels::has_byte("{{resolve:ssm:/p}}", b'{'));
/// assert!(!formwork_kernels::has_byte("plain", b'{'));
/// ```
#[inline(never)]
pub fn has_byte(s: &str, byte: u8) -> bool {
    s.as_bytes().contains(&byte)
}

/// Appends the decimal digits of `n` to `out`, without `format!` (whose
/// machinery costs several hundred instructions a call in a debug build).
///
/// ```
/// let mut out = String::from("Items[");
/// formwork_kernels::push_decimal(&mut out, 1024);
/// assert_eq!(out, "Items[1024");
/// ```
#[inline(never)]
pub fn push_decimal(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = n;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &d in &digits[start..] {
        out.push(d as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_inside(s: &str) -> String {
        let quoted = serde_json::to_string(s).expect("a string serializes");
        quoted[1..quoted.len() - 1].to_owned()
    }

    /// Property: the word test answers as the table does for every byte
    /// value at every position of every length around the eight-byte
    /// steps.
    #[test]
    fn needs_escape_finds_every_byte_that_needs_one() {
        for len in 1..=26 {
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = byte;
                    let want = ESCAPE[byte as usize] != 0;
                    assert_eq!(needs_escape(&bytes), want, "{byte:#x} at {at} of {len}");
                }
            }
        }
        assert!(!needs_escape(b""));
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
                let mut out = String::from("x");
                push_escaped(&mut out, &s);
                assert_eq!(out, format!("x{}", serde_inside(&s)), "{s:?}");
            }
        }
    }

    /// Property: random strings of every length up to 40, with escapes,
    /// multi-byte characters and plain runs anywhere.
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
            let mut out = String::new();
            push_escaped(&mut out, &s);
            assert_eq!(out, serde_inside(&s), "{s:?}");
        }
    }

    #[test]
    fn decimals_are_the_digits_rust_formats() {
        for n in [0, 1, 9, 10, 99, 100, 12345, u64::from(u32::MAX), u64::MAX] {
            let mut out = String::new();
            push_decimal(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }
}
