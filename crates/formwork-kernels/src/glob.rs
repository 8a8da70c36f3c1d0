//! Exclude patterns of asset folders (`.gitignore`, `.dockerignore`):
//! matched against every file of an asset at every synth.

/// True when a pattern matches a path relative to an asset's folder (`/`
/// separators), or a folder above it: `*` is any run of characters but
/// `/`, `?` one character but `/`, `**` any run including `/` (and `**/`
/// zero folders too). With `any_depth` (a pattern without a `/`), the
/// pattern is matched against each name along the path instead.
///
/// ```
/// use formwork_kernels::glob_matches;
/// assert!(glob_matches("*.log", "logs/a.log", true));
/// assert!(glob_matches("build", "build/out.js", false));
/// assert!(!glob_matches("build", "src/build/out.js", false));
/// assert!(glob_matches("src/**/*.js", "src/a/b.js", false));
/// ```
#[inline(never)]
pub fn glob_matches(pattern: &str, rel: &str, any_depth: bool) -> bool {
    let pat = pattern.as_bytes();
    let path = rel.as_bytes();
    // The path itself or any folder above it: each prefix ending before a
    // `/`, then the whole path.
    let mut name_start = 0;
    for end in 0..=path.len() {
        if end < path.len() && path[end] != b'/' {
            continue;
        }
        let candidate = if any_depth {
            &path[name_start..end]
        } else {
            &path[..end]
        };
        if glob(pat, candidate) {
            return true;
        }
        name_start = end + 1;
    }
    false
}

/// Matches `text` against a glob pattern (`*`, `?`, `**`).
fn glob(pat: &[u8], text: &[u8]) -> bool {
    match pat.first() {
        None => text.is_empty(),
        Some(b'*') if pat.get(1) == Some(&b'*') => {
            // `**/` also matches zero folders.
            let rest = &pat[2..];
            if let Some(after) = rest.strip_prefix(b"/") {
                if glob(after, text) {
                    return true;
                }
            }
            (0..=text.len()).any(|i| glob(rest, &text[i..]))
        }
        Some(b'*') => {
            let rest = &pat[1..];
            for i in 0..=text.len() {
                if glob(rest, &text[i..]) {
                    return true;
                }
                if text.get(i) == Some(&b'/') {
                    break;
                }
            }
            false
        }
        Some(b'?') => text.first().is_some_and(|&c| c != b'/') && glob(&pat[1..], &text[1..]),
        Some(&c) => text.first() == Some(&c) && glob(&pat[1..], &text[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob(b"*.js", b"a.js"));
        assert!(!glob(b"*.js", b"d/a.js"));
        assert!(glob(b"**/*.js", b"a.js"));
        assert!(glob(b"**/*.js", b"d/e/a.js"));
        assert!(glob(b"src/**", b"src/a/b"));
        assert!(glob(b"a?c", b"abc"));
        assert!(!glob(b"a?c", b"a/c"));
    }

    #[test]
    fn prefixes_and_names() {
        assert!(glob_matches("node_modules", "src/node_modules/a.js", true));
        assert!(!glob_matches(
            "node_modules",
            "src/node_modules/a.js",
            false
        ));
        assert!(glob_matches(
            "src/node_modules",
            "src/node_modules/a.js",
            false
        ));
        assert!(glob_matches("a", "a", true) && glob_matches("a", "a", false));
        assert!(!glob_matches("a", "", true));
        // An empty name between two slashes is a name too.
        assert!(glob_matches("*", "a//b", true));
    }
}
