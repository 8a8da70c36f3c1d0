//! Literal text in an `Fn::Sub` template.

/// Appends `text` to an `Fn::Sub` template as literal text: each `${` is
/// written `${!`, which CloudFormation reads as a literal `${`.
/// `dollar_before` says the template's last character is a `$` of literal
/// text written before (a `${` may span two pieces); the result says the
/// same of `text`, for the next piece.
///
/// ```
/// let mut t = String::new();
/// let dollar = formwork_kernels::push_sub_literal(&mut t, "cost: ${x} $", false);
/// formwork_kernels::push_sub_literal(&mut t, "{y}", dollar);
/// assert_eq!(t, "cost: ${!x} ${!y}");
/// ```
#[inline(never)]
pub fn push_sub_literal(out: &mut String, text: &str, dollar_before: bool) -> bool {
    let bytes = text.as_bytes();
    let mut prev_dollar = dollar_before;
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'{' && prev_dollar {
            out.push_str(&text[copied..=i]);
            out.push('!');
            copied = i + 1;
        }
        prev_dollar = b == b'$';
    }
    out.push_str(&text[copied..]);
    prev_dollar
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Rng;

    /// The reference: the pieces joined, then escaped with `str::replace`.
    fn by_replace(pieces: &[&str]) -> String {
        pieces.concat().replace("${", "${!")
    }

    #[test]
    fn escapes_every_dollar_brace_across_pieces() {
        let mut rng = Rng(7);
        let alphabet = [b'$', b'{', b'}', b'!', b'a', b'-'];
        for _ in 0..5_000 {
            let n = rng.index(4) + 1;
            let pieces: Vec<String> = (0..n)
                .map(|_| {
                    let len = rng.index(6);
                    (0..len)
                        .map(|_| alphabet[rng.index(alphabet.len())] as char)
                        .collect()
                })
                .collect();
            let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
            let mut out = String::new();
            let mut dollar = false;
            for p in &refs {
                dollar = push_sub_literal(&mut out, p, dollar);
            }
            assert_eq!(out, by_replace(&refs), "{refs:?}");
        }
    }

    #[test]
    fn non_ascii_text_is_copied_whole() {
        let mut out = String::new();
        assert!(push_sub_literal(&mut out, "größe ${ü} €$", false));
        assert_eq!(out, "größe ${!ü} €$");
    }
}
