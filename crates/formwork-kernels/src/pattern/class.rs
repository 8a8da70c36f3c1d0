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
        if c.is_ascii() {
            return (self.ascii() >> (c as u32)) & 1 != 0;
        }
        self.in_tables(c)
    }

    /// [`Named::contains`] read from the tables (which `ascii` condenses).
    fn in_tables(self, c: char) -> bool {
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
                return !Named::Space.in_tables(c) && !Named::Other.in_tables(c);
            }
        };
        in_table(t, c)
    }
}

/// The ASCII characters of a class as a 128-bit set (bit `c` for `c`):
/// most texts are ASCII, and one bit test replaces a search of the tables
/// (several for `\p{C}`), which a debug build does not optimize.
pub(super) type Ascii = u128;

/// Every ASCII character.
const ALL: Ascii = !0;

/// The characters `lo..=hi` (both ASCII).
const fn span(lo: u32, hi: u32) -> Ascii {
    (ALL >> (127 - hi)) & (ALL << lo)
}

/// The ASCII characters of a table, computed at compile time.
const fn table_ascii(t: &[(u32, u32)]) -> Ascii {
    let mut bits = 0;
    let mut i = 0;
    while i < t.len() {
        let (a, b) = t[i];
        if a < 128 {
            bits |= span(a, if b < 128 { b } else { 127 });
        }
        i += 1;
    }
    bits
}

const DIGIT: Ascii = table_ascii(tables::DIGIT);
const WORD: Ascii = table_ascii(tables::WORD);
const SPACE: Ascii = table_ascii(tables::WHITE_SPACE);
const LETTER: Ascii = table_ascii(tables::LETTER);
const MARK: Ascii = table_ascii(tables::MARK);
const NUMBER: Ascii = table_ascii(tables::NUMBER);
const PUNCTUATION: Ascii = table_ascii(tables::PUNCTUATION);
const SYMBOL: Ascii = table_ascii(tables::SYMBOL);
const SEPARATOR: Ascii = table_ascii(tables::SEPARATOR);
const SPACE_SEPARATOR: Ascii = table_ascii(tables::SPACE_SEPARATOR);
const OTHER: Ascii = !(LETTER | MARK | NUMBER | PUNCTUATION | SYMBOL | SEPARATOR);

impl Named {
    /// The class's ASCII characters.
    pub(super) fn ascii(self) -> Ascii {
        match self {
            Named::Digit => DIGIT,
            Named::Word => WORD,
            Named::Space => SPACE,
            Named::Letter => LETTER,
            Named::Mark => MARK,
            Named::Number => NUMBER,
            Named::Punctuation => PUNCTUATION,
            Named::Symbol => SYMBOL,
            Named::Separator => SEPARATOR,
            Named::SpaceSeparator => SPACE_SEPARATOR,
            Named::Other => OTHER,
            Named::Ascii | Named::Any => ALL,
            Named::Graph => !(SPACE | OTHER),
        }
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

impl Class {
    /// The class's ASCII characters: what [`Class::contains`] answers for
    /// each of them.
    pub(super) fn ascii(&self) -> Ascii {
        let mut bits = 0;
        for i in &self.items {
            bits |= match i {
                Item::Range(a, b) if a.is_ascii() => span(*a as u32, (*b as u32).min(127)),
                Item::Range(..) => 0,
                Item::Named(n, neg) if *neg => !n.ascii(),
                Item::Named(n, _) => n.ascii(),
                Item::Class(k) => k.ascii(),
            };
        }
        if self.fold {
            // An ASCII character's other cases are the ASCII letter of the
            // other case (`case_variants`): 32 apart.
            const UPPER: Ascii = span(b'A' as u32, b'Z' as u32);
            const LOWER: Ascii = span(b'a' as u32, b'z' as u32);
            bits |= ((bits & UPPER) << 32) | ((bits & LOWER) >> 32);
        }
        if self.negated { !bits } else { bits }
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

impl One {
    /// The ASCII characters it accepts.
    pub(super) fn ascii(&self) -> Ascii {
        match self {
            One::Char(x) if x.is_ascii() => 1 << (*x as u32),
            One::Char(_) => 0,
            One::Fold(x) => (1 << (*x as u32)) | (1 << (x.to_ascii_uppercase() as u32)),
            One::Dot => !(1 << (b'\n' as u32)),
            One::DotAll => ALL,
            One::Named(n, neg) if *neg => !n.ascii(),
            One::Named(n, _) => n.ascii(),
            One::Class(k) => k.ascii(),
        }
    }
}

/// A character position with its ASCII answers worked out beforehand: the
/// engine's and the fast paths' test of one character.
#[derive(Debug, Clone)]
pub(super) struct Set {
    ascii: Ascii,
    one: One,
}

impl Set {
    pub(super) fn new(one: One) -> Set {
        Set {
            ascii: one.ascii(),
            one,
        }
    }

    pub(super) fn matches(&self, c: char) -> bool {
        let c32 = c as u32;
        if c32 < 128 {
            (self.ascii >> c32) & 1 != 0
        } else {
            self.one.matches(c)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Rng;

    const NAMED: [Named; 14] = [
        Named::Digit,
        Named::Word,
        Named::Space,
        Named::Letter,
        Named::Mark,
        Named::Number,
        Named::Punctuation,
        Named::Symbol,
        Named::Separator,
        Named::SpaceSeparator,
        Named::Other,
        Named::Ascii,
        Named::Graph,
        Named::Any,
    ];

    #[test]
    fn the_ascii_bits_of_named_classes_are_the_tables() {
        for n in NAMED {
            for b in 0..128u8 {
                let c = char::from(b);
                assert_eq!(n.contains(c), n.in_tables(c), "{n:?} on {c:?}");
            }
        }
    }

    fn random_item(rng: &mut Rng, depth: usize) -> Item {
        match rng.below(6) {
            0 if depth < 2 => Item::Class(random_class(rng, depth + 1)),
            0 | 1 => Item::Named(*rng.pick(&NAMED), rng.chance(30)),
            _ => {
                // Ranges around the letters, their edges and past ASCII.
                let a = rng.below(140) as u32;
                let b = (a + rng.below(40) as u32).min(0x17F);
                Item::Range(
                    char::from_u32(a).unwrap_or('a'),
                    char::from_u32(b).unwrap_or('z'),
                )
            }
        }
    }

    fn random_class(rng: &mut Rng, depth: usize) -> Class {
        Class {
            negated: rng.chance(30),
            fold: rng.chance(40),
            items: (0..1 + rng.index(4))
                .map(|_| random_item(rng, depth))
                .collect(),
        }
    }

    /// Property: a set answers every ASCII character as its position does
    /// (negation, the flag `i`, nested classes, ranges across the ASCII
    /// edge, named classes and their complements).
    #[test]
    fn sets_answer_ascii_as_their_position_does() {
        let mut rng = Rng(0x51F1_5EED_0000_0001);
        let mut ones: Vec<One> = vec![
            One::Dot,
            One::DotAll,
            One::Char('a'),
            One::Char('é'),
            One::Fold('k'),
            One::Fold('s'),
        ];
        ones.extend(
            NAMED
                .iter()
                .flat_map(|n| [One::Named(*n, false), One::Named(*n, true)]),
        );
        for _ in 0..400 {
            ones.push(One::Class(Box::new(random_class(&mut rng, 0))));
        }
        for one in ones {
            let set = Set::new(one.clone());
            for b in 0..128u8 {
                let c = char::from(b);
                assert_eq!(set.matches(c), one.matches(c), "{one:?} on {c:?}");
            }
            for c in ['é', '\u{212A}', '\u{17F}', '٣', '\u{A0}'] {
                assert_eq!(set.matches(c), one.matches(c), "{one:?} on {c:?}");
            }
        }
    }
}
