//! Logical ids: CloudFormation allows ASCII letters and digits alone.

/// True when every byte of `s` is an ASCII letter or digit (and so when
/// `s` is empty).
///
/// ```
/// assert!(formwork_kernels::is_alphanumeric("Bucket83A1"));
/// assert!(!formwork_kernels::is_alphanumeric("My-Bucket"));
/// ```
#[inline(never)]
pub fn is_alphanumeric(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// True when `s` has at least one ASCII letter or digit.
///
/// ```
/// assert!(formwork_kernels::has_alphanumeric("--a--"));
/// assert!(!formwork_kernels::has_alphanumeric("--é--"));
/// ```
#[inline(never)]
pub fn has_alphanumeric(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_alphanumeric())
}

/// The ASCII letters and digits of `s`, in order: a construct path
/// (`Api/Handler/Role`) as the start of a logical id (`ApiHandlerRole`).
///
/// ```
/// assert_eq!(formwork_kernels::alphanumerics("Api/Handler-2/Rôle"), "ApiHandler2Rle");
/// ```
#[inline(never)]
pub fn alphanumerics(s: &str) -> String {
    // Bytes, not chars: a byte of a multi-byte character is never an ASCII
    // letter or digit. One allocation, of the most the id can need.
    let mut id = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() {
            id.push(b as char);
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ascii_letters_and_digits_count() {
        for b in 0..=255u8 {
            let s = String::from_utf8_lossy(&[b'a', b, b'9']).into_owned();
            let want = b.is_ascii_alphanumeric();
            assert_eq!(is_alphanumeric(&s), want, "{b}");
            assert_eq!(alphanumerics(&s) == s, want, "{b}");
            let alone = String::from_utf8_lossy(&[b]).into_owned();
            assert_eq!(has_alphanumeric(&alone), want, "{b}");
        }
        assert!(is_alphanumeric(""));
        assert!(!is_alphanumeric("Bucketé"));
        assert_eq!(
            alphanumerics("Stack/Bucketé/Policy 1"),
            "StackBucketPolicy1"
        );
        assert_eq!(alphanumerics(""), "");
    }
}
