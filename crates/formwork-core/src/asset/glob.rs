//! Exclude patterns, in the shape of `.gitignore` and `.dockerignore` lines.
//!
//! A pattern is matched against a path relative to the asset's folder, with
//! `/` separators on every platform: `*` is any run of characters but `/`,
//! `?` one character but `/`, `**` any run including `/`. A pattern without
//! a `/` (other than a trailing one) also matches a file or folder name at
//! any depth (`node_modules`, `*.pyc`). A leading `/` anchors at the root,
//! a trailing `/` is ignored, and a matched folder excludes what is in it.
//! `!pattern` includes again what an earlier pattern excluded; the last
//! pattern that matches wins.

/// A list of exclude patterns.
///
/// ```
/// use formwork::assets::Excludes;
/// let ex = Excludes::new(["node_modules", "*.log", "!keep.log", "/build/"]);
/// assert!(ex.is_excluded("node_modules/x/index.js"));
/// assert!(ex.is_excluded("src/node_modules/a.js"));
/// assert!(ex.is_excluded("logs/a.log"));
/// assert!(!ex.is_excluded("keep.log"));
/// assert!(ex.is_excluded("build/out.js"));
/// assert!(!ex.is_excluded("src/build/out.js"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Excludes {
    rules: Vec<Rule>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Rule {
    pattern: String,
    negated: bool,
    any_depth: bool,
}

impl Excludes {
    /// Patterns in order; empty lines and `#` comments are skipped.
    pub fn new<S: AsRef<str>>(patterns: impl IntoIterator<Item = S>) -> Excludes {
        let mut rules = Vec::new();
        for p in patterns {
            let p = p.as_ref().trim();
            if p.is_empty() || p.starts_with('#') {
                continue;
            }
            let (negated, p) = match p.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, p),
            };
            let p = p.replace('\\', "/");
            let p = p.trim_end_matches('/');
            let anchored = p.starts_with('/');
            let p = p.trim_start_matches('/').trim_start_matches("./");
            if p.is_empty() {
                continue;
            }
            rules.push(Rule {
                any_depth: !anchored && !p.contains('/'),
                pattern: p.to_owned(),
                negated,
            });
        }
        Excludes { rules }
    }

    /// The lines of a `.dockerignore` or `.gitignore` file.
    pub fn parse(text: &str) -> Excludes {
        Excludes::new(text.lines())
    }

    /// Adds the patterns of `other` after these.
    pub fn extend(&mut self, other: &Excludes) {
        self.rules.extend(other.rules.iter().cloned());
    }

    /// True when there are no patterns.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The patterns as given (negated ones with their `!`).
    pub fn patterns(&self) -> Vec<String> {
        self.rules
            .iter()
            .map(|r| {
                let anchor = if !r.any_depth && !r.pattern.contains('/') {
                    "/"
                } else {
                    ""
                };
                format!("{}{anchor}{}", if r.negated { "!" } else { "" }, r.pattern)
            })
            .collect()
    }

    /// True when the relative path (or a folder above it) is excluded.
    pub fn is_excluded(&self, rel: &str) -> bool {
        let mut excluded = false;
        for r in &self.rules {
            if r.matches(rel) {
                excluded = !r.negated;
            }
        }
        excluded
    }
}

impl Rule {
    /// The path itself or any folder above it matches (byte work: in the
    /// optimized kernels).
    fn matches(&self, rel: &str) -> bool {
        formwork_kernels::glob_matches(&self.pattern, rel, self.any_depth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Rng;

    /// The former coding of a rule's match, with `str` iterators: the
    /// reference for the kernel.
    fn former_matches(pattern: &str, any_depth: bool, rel: &str) -> bool {
        fn glob(pat: &[u8], text: &[u8]) -> bool {
            match pat.first() {
                None => text.is_empty(),
                Some(b'*') if pat.get(1) == Some(&b'*') => {
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
                Some(b'?') => {
                    text.first().is_some_and(|&c| c != b'/') && glob(&pat[1..], &text[1..])
                }
                Some(&c) => text.first() == Some(&c) && glob(&pat[1..], &text[1..]),
            }
        }
        let mut prefixes = rel
            .match_indices('/')
            .map(|(i, _)| &rel[..i])
            .chain(std::iter::once(rel));
        prefixes.any(|p| {
            if any_depth {
                let name = p.rsplit('/').next().unwrap_or(p);
                glob(pattern.as_bytes(), name.as_bytes())
            } else {
                glob(pattern.as_bytes(), p.as_bytes())
            }
        })
    }

    #[test]
    fn rules_match_as_the_former_coding_did() {
        const PIECES: &[&str] = &["a", "b", "/", "*", "**", "?", ".js", "é", ""];
        let mut g = Rng(0x61_0B5E_ED00_0042);
        let mut matched = 0;
        for _ in 0..20_000 {
            let pattern: String = (0..g.below(5)).map(|_| *g.pick(PIECES)).collect();
            let rel: String = (0..g.below(7))
                .map(|_| *g.pick(&["a", "b", "/", "x.js", "é", "ab"]))
                .collect();
            let any_depth = g.chance(50);
            let got = formwork_kernels::glob_matches(&pattern, &rel, any_depth);
            assert_eq!(
                got,
                former_matches(&pattern, any_depth, &rel),
                "{pattern:?} {rel:?} {any_depth}"
            );
            matched += usize::from(got);
        }
        assert!(matched > 2_000, "{matched}");
    }

    #[test]
    fn last_match_wins_and_folders_cover_their_content() {
        let ex = Excludes::parse("# comment\n\n*.md\n!README.md\ntests/\n");
        assert!(ex.is_excluded("docs/a.md"));
        assert!(!ex.is_excluded("README.md"));
        assert!(ex.is_excluded("tests/x/y.py"));
        assert!(!ex.is_excluded("main.py"));
        assert_eq!(ex.patterns(), ["*.md", "!README.md", "tests"]);
    }
}
