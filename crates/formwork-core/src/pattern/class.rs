//! What one character position of a pattern accepts: a literal, `.`, a
//! bracket class, or a named class (`\d`, `\w`, `\s`, `\p{..}`).
//!
//! The named classes are those of the regex crate with its Unicode tables
//! (Unicode 16.0.0, [`super::tables`]):
//!
//! | syntax | characters |
//! |---|---|
//! | `\d` | general category Nd (all decimal digits, not only `0-9`) |
//! | `\w` | Alphabetic, M, Nd, Pc and Join_Control |
//! | `\s` | the White_Space property |
//! | `\p{L}` `\p{M}` `\p{N}` `\p{P}` `\p{S}` `\p{Z}` `\p{Zs}` | that general category |
//! | `\p{C}` | general category C, unassigned code points included: every character in none of L, M, N, P, S, Z |
//! | `\p{ASCII}` | U+0000 to U+007F |
//! | `\p{Graph}` | neither White_Space nor C (fancy-regex's meaning) |
//! | `\p{Any}` | every character |
//!
//! `\D`, `\W`, `\S` and `\P{..}` are the complements. Rust's `char`
//! methods are not used: `char::is_alphabetic` is the Alphabetic property,
//! which is not general category L (it adds letter numbers and many marks),
//! and the standard library may follow a newer Unicode version than the
//! tables the schemas' patterns were checked with.

use super::tables;

/// A named class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Named {
    Digit,
    Word,
    Space,
    Letter,
    Mark,
    Number,
    Punctuation,
    Symbol,
    Separator,
    SpaceSeparator,
    Other,
    Ascii,
    Graph,
    Any,
}

impl Named {
    /// The class a `\p{name}` names; `None` for a name the matcher does
    /// not know.
    pub(super) fn property(name: &str) -> Option<Named> {
        Some(match name {
            "L" => Named::Letter,
            "M" => Named::Mark,
            "N" => Named::Number,
            "P" => Named::Punctuation,
            "S" => Named::Symbol,
            "Z" => Named::Separator,
            "Zs" => Named::SpaceSeparator,
            "C" => Named::Other,
            "Nd" => Named::Digit,
            "ASCII" => Named::Ascii,
            "Graph" => Named::Graph,
            "Any" => Named::Any,
            _ => return None,
        })
    }

    pub(super) fn contains(self, c: char) -> bool {
        let t = match self {
            Named::Digit => tables::DIGIT,
            Named::Word => tables::WORD,
            Named::Space => tables::WHITE_SPACE,
            Named::Letter => tables::LETTER,
            Named::Mark => tables::MARK,
            Named::Number => tables::NUMBER,
            Named::Punctuation => tables::PUNCTUATION,
            Named::Symbol => tables::SYMBOL,
            Named::Separator => tables::SEPARATOR,
            Named::SpaceSeparator => tables::SPACE_SEPARATOR,
            Named::Ascii => return c.is_ascii(),
            Named::Any => return true,
            Named::Other => {
                return ![
                    tables::LETTER,
                    tables::MARK,
                    tables::NUMBER,
                    tables::PUNCTUATION,
                    tables::SYMBOL,
                    tables::SEPARATOR,
                ]
                .iter()
                .any(|t| in_table(t, c));
            }
            Named::Graph => {
                return !Named::Space.contains(c) && !Named::Other.contains(c);
            }
        };
        in_table(t, c)
    }
}

/// True when `c` is in one of the sorted ranges of `t`.
fn in_table(t: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    t.binary_search_by(|&(a, b)| {
        if b < c {
            std::cmp::Ordering::Less
        } else if a > c {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    })
    .is_ok()
}

/// One item of a bracket class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Item {
    /// An inclusive range (a single character is `c-c`).
    Range(char, char),
    /// A named class, or its complement when the flag is set.
    Named(Named, bool),
    /// A nested bracket class (`[a[bc]]`, as the regex crate reads it).
    Class(Class),
}

/// A bracket class: its items, complemented when `negated`; under the
/// flag `i` (`fold`), a character matches when it or its other case is in
/// the items (the parser allows only ASCII ranges and `\d` there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Class {
    pub(super) negated: bool,
    pub(super) fold: bool,
    pub(super) items: Vec<Item>,
}

impl Class {
    pub(super) fn contains(&self, c: char) -> bool {
        let hit = |c: char| {
            self.items.iter().any(|i| match i {
                Item::Range(a, b) => *a <= c && c <= *b,
                Item::Named(n, neg) => n.contains(c) != *neg,
                Item::Class(k) => k.contains(c),
            })
        };
        let found = hit(c) || (self.fold && case_variants(c).any(hit));
        found != self.negated
    }
}

/// What one character position accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum One {
    /// This character.
    Char(char),
    /// This ASCII letter (lowercase) in any case (flag `i`): compared by
    /// [`ascii_fold`].
    Fold(char),
    /// `.`: any character but `\n`.
    Dot,
    /// `.` with flag `s`: any character.
    DotAll,
    /// A named class, or its complement (`\D`, `\P{L}`).
    Named(Named, bool),
    /// A bracket class.
    Class(Box<Class>),
}

impl One {
    pub(super) fn matches(&self, c: char) -> bool {
        match self {
            One::Char(x) => *x == c,
            One::Fold(x) => ascii_fold(c) == Some(*x),
            One::Dot => c != '\n',
            One::DotAll => true,
            One::Named(n, neg) => n.contains(c) != *neg,
            One::Class(k) => k.contains(c),
        }
    }
}

/// The case fold of a character under the flag `i`, for the characters
/// the flag is supported on: an ASCII letter folds to its lowercase form,
/// and so do the two non-ASCII characters that Unicode's simple case
/// folding joins to ASCII letters, the Kelvin sign (to `k`) and the long s
/// `ſ` (to `s`). `None` for every other character.
pub(super) fn ascii_fold(c: char) -> Option<char> {
    match c {
        'A'..='Z' | 'a'..='z' => Some(c.to_ascii_lowercase()),
        '\u{212A}' => Some('k'),
        '\u{17F}' => Some('s'),
        _ => None,
    }
}

/// The characters `c` matches under the flag `i`, besides itself.
fn case_variants(c: char) -> impl Iterator<Item = char> {
    let lower = ascii_fold(c);
    lower
        .into_iter()
        .flat_map(|l| [l, l.to_ascii_uppercase()])
        .filter(move |v| *v != c)
}

/// A word character for `\b` and `\B`.
pub(super) fn is_word(c: char) -> bool {
    Named::Word.contains(c)
}
