//! formwork's pattern matcher: the regular expressions of the
//! CloudFormation schemas (`pattern`, `patternProperties`) and of typed
//! configuration's JSON Schema, checked at synth.
//!
//! It understands the syntax those patterns use, in the regex crate's
//! spelling: literals and escapes (`\.` `\/` `\n` `\x20` `\u00e9`
//! `\u{1F600}`), `.`, bracket classes with ranges, negation and nesting,
//! `\d \w \s` and `\p{L} \p{M} \p{N} \p{P} \p{S} \p{Z} \p{Zs} \p{C}
//! \p{ASCII} \p{Graph}` with their complements (`\D`, `\P{C}`, `[^...]`),
//! the anchors `^ $ \A \z \b \B`, capturing, named and non-capturing
//! groups, the flags `i` (on ASCII letters) and `s`, alternation, greedy
//! and lazy `* + ? {n} {n,} {n,m}`, lookahead, fixed-length lookbehind and
//! backreferences. It refuses the rest with an error naming it
//! ([`ErrorKind::Unsupported`]); the code generator refuses a schema
//! pattern it cannot read, so a schema update cannot slip an unchecked
//! pattern through.
//!
//! A pattern matches when it matches anywhere in the text, as in JSON
//! Schema: anchor it with `^` and `$` to match the whole text (`$` is the
//! end of the text, not a line). Compiling is a parse into a small program;
//! matching is a backtracking search that remembers the states it has
//! tried, so it takes at most the program's length times the text's length
//! in steps, with no catastrophic backtracking. A pattern with a
//! backreference cannot be run that way: it backtracks with a budget of a
//! million steps and counts a text that exhausts it as a match. The
//! commonest shapes skip the program: a row of character positions with
//! counts (`^[a-zA-Z0-9-_]{1,64}$`, `^arn:.*$`, `\S+`) and an anchored
//! choice of literal words (`^(never|always)$`) are matched directly.
//!
//! The meaning of each construct is the regex crate's (with fancy-regex's
//! lookaround and backreferences), which the generator's tests compare it
//! with on every schema pattern.
//!
//! ```
//! use formwork::pattern::Pattern;
//! let p = Pattern::new(r"^(?!aws:)[\p{L}\p{N}_.:/=+\-@]{1,128}$").expect("supported");
//! assert!(p.is_match("Name"));
//! assert!(!p.is_match("aws:cloudformation"));
//! assert!(Pattern::new(r"\p{Greek}").is_err());
//! ```

mod class;
mod compile;
mod exec;
mod fast;
mod parse;
#[rustfmt::skip]
mod tables;
#[cfg(test)]
mod tests;

use compile::Prog;

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The direct matcher of a common shape; `progs` is empty then.
    fast: Option<fast::Fast>,
    progs: Vec<Prog>,
    groups: usize,
}

/// Why a pattern could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// Whether the pattern is malformed or uses syntax the matcher lacks.
    pub kind: ErrorKind,
    /// The character (counted from 0) where the problem was found.
    pub at: usize,
    /// What is wrong, in words.
    pub message: String,
}

/// The kind of a [`PatternError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Not a regular expression (an unclosed group, a dangling `*`).
    Invalid,
    /// A regular expression, with syntax the matcher does not support.
    Unsupported,
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            ErrorKind::Invalid => write!(
                f,
                "not a valid pattern: {} at character {}",
                self.message, self.at
            ),
            ErrorKind::Unsupported => write!(f, "{} (at character {})", self.message, self.at),
        }
    }
}

impl std::error::Error for PatternError {}

impl Pattern {
    /// Compiles a pattern.
    ///
    /// ```
    /// use formwork::pattern::{ErrorKind, Pattern};
    /// assert_eq!(Pattern::new("(a").unwrap_err().kind, ErrorKind::Invalid);
    /// assert_eq!(Pattern::new("(?>a)").unwrap_err().kind, ErrorKind::Unsupported);
    /// ```
    pub fn new(pattern: &str) -> Result<Pattern, PatternError> {
        let parsed = parse::parse(pattern)?;
        if let Some(fast) = fast::fast(&parsed.node) {
            return Ok(Pattern {
                fast: Some(fast),
                progs: Vec::new(),
                groups: parsed.groups,
            });
        }
        Pattern::engine(&parsed)
    }

    /// The pattern on the engine alone, without a fast path.
    fn engine(parsed: &parse::Parsed) -> Result<Pattern, PatternError> {
        Ok(Pattern {
            fast: None,
            progs: compile::compile(parsed)?,
            groups: parsed.groups,
        })
    }

    /// [`Pattern::new`] without a fast path, and whether it has one: the
    /// tests compare the two.
    #[cfg(test)]
    fn on_engine(pattern: &str) -> Result<(Pattern, bool), PatternError> {
        let parsed = parse::parse(pattern)?;
        let fast = fast::fast(&parsed.node).is_some();
        Ok((Pattern::engine(&parsed)?, fast))
    }

    /// Reads a pattern without compiling it: the error [`Pattern::new`]
    /// gives when the pattern is not a regular expression
    /// ([`ErrorKind::Invalid`]: every such error comes from reading; the
    /// compiler's are [`ErrorKind::Unsupported`]), for a caller that only
    /// asks that.
    ///
    /// ```
    /// use formwork::pattern::Pattern;
    /// assert!(Pattern::read("[a-z]+").is_ok());
    /// assert!(Pattern::read("(a").is_err());
    /// ```
    pub fn read(pattern: &str) -> Result<(), PatternError> {
        parse::parse(pattern).map(drop)
    }

    /// Compiles a pattern; `None` when [`Pattern::new`] fails.
    pub fn compile(pattern: &str) -> Option<Pattern> {
        Pattern::new(pattern).ok()
    }

    /// True when the pattern matches somewhere in `s`.
    ///
    /// ```
    /// use formwork::pattern::Pattern;
    /// let p = Pattern::new("[0-9]{3}").expect("supported");
    /// assert!(p.is_match("ab123"));
    /// assert!(!p.is_match("ab12"));
    /// ```
    pub fn is_match(&self, s: &str) -> bool {
        if let Some(f) = &self.fast {
            return f.is_match(s);
        }
        let text: Vec<char> = s.chars().collect();
        exec::Exec::new(&self.progs, self.groups, &text)
            .run(0, 0, None)
            .unwrap_or(true)
    }
}
