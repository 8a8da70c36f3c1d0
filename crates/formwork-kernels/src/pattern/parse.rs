//! The pattern syntax: text to a tree of [`Node`]s.
//!
//! The syntax is the regex crate's (schema patterns reach it through the
//! generator's translation of their ECMA-isms, typed configuration's JSON
//! Schema patterns are read as they are), restricted to what the
//! CloudFormation schemas use: literals and escapes, `.`, bracket classes
//! with ranges, nesting and named classes, `\d \w \s \p{..}` and their
//! complements, `^ $ \A \z \b \B`, groups (capturing, named, `(?:..)`),
//! the flags `i` and `s`, alternation, greedy and lazy `* + ? {n} {n,}
//! {n,m}`, lookahead, fixed-length lookbehind and backreferences. Anything
//! else is an [`ErrorKind::Unsupported`] error naming what it met, so
//! that a pattern is never half understood.

use super::class::{Class, Item, Named, One, ascii_fold};
use super::{ErrorKind, PatternError};

/// A zero-width assertion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Assert {
    /// `^` or `\A`: the start of the text.
    Start,
    /// `$` or `\z`: the end of the text.
    End,
    /// `\b`.
    WordBoundary,
    /// `\B`.
    NotWordBoundary,
}

/// A parsed pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Node {
    /// Matches the empty string.
    Empty,
    /// One character.
    One(One),
    /// Each in turn.
    Concat(Vec<Node>),
    /// Any one of them.
    Alt(Vec<Node>),
    /// `min` to `max` (no bound when `None`) repetitions.
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
    /// A group; `index` is its capture number when it captures.
    Group {
        node: Box<Node>,
        index: Option<usize>,
    },
    /// A lookaround: `ahead` or behind, `negate`d or not.
    Look {
        ahead: bool,
        negate: bool,
        node: Box<Node>,
    },
    /// A zero-width assertion.
    Assert(Assert),
    /// `\N`: the text group N captured.
    Backref(usize),
}

#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    fold: bool,
    dot_all: bool,
}

/// A parsed pattern and its number of capture groups.
pub(super) struct Parsed {
    pub(super) node: Node,
    pub(super) groups: usize,
}

/// Parses `pattern`.
pub(super) fn parse(pattern: &str) -> Result<Parsed, PatternError> {
    parse_with(pattern, true)
}

/// Parses `pattern` with or without the shortcut for plain literal
/// characters (the tests compare the two).
fn parse_with(pattern: &str, shortcut: bool) -> Result<Parsed, PatternError> {
    let mut p = Parser {
        shortcut,
        chars: pattern.chars().collect(),
        at: 0,
        depth: 0,
        flags: Flags::default(),
        groups: 0,
        backrefs: Vec::new(),
    };
    let node = p.alternation()?;
    if p.at < p.chars.len() {
        // Only an unopened `)` stops the top level early.
        return Err(p.invalid("an unopened `)`"));
    }
    if let Some(&(n, at)) = p.backrefs.iter().find(|(n, _)| *n > p.groups) {
        return Err(PatternError {
            kind: ErrorKind::Invalid,
            at,
            message: format!("`\\{n}` refers to a group the pattern does not have"),
        });
    }
    Ok(Parsed {
        node,
        groups: p.groups,
    })
}

/// The deepest nesting of groups (the parser and the compiler recurse).
const MAX_DEPTH: usize = 100;

struct Parser {
    /// Plain literal characters are read without `atom` and `quantified`.
    shortcut: bool,
    chars: Vec<char>,
    at: usize,
    depth: usize,
    flags: Flags,
    groups: usize,
    backrefs: Vec<(usize, usize)>,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.at + n).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn error(&self, kind: ErrorKind, what: impl Into<String>) -> PatternError {
        PatternError {
            kind,
            at: self.at,
            message: what.into(),
        }
    }

    fn invalid(&self, what: &str) -> PatternError {
        self.error(ErrorKind::Invalid, what)
    }

    fn unsupported(&self, what: impl std::fmt::Display) -> PatternError {
        self.error(
            ErrorKind::Unsupported,
            format!("{what} is not supported by formwork's pattern matcher"),
        )
    }

    /// `a|b|...` up to an unopened `)` or the end.
    fn alternation(&mut self) -> Result<Node, PatternError> {
        let mut alts = vec![self.concat()?];
        while self.eat('|') {
            alts.push(self.concat()?);
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        })
    }

    /// Atoms with their quantifiers, up to `|`, `)` or the end.
    fn concat(&mut self) -> Result<Node, PatternError> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            // A literal character without a quantifier, the commonest atom:
            // what `atom` and `quantified` make of it, without their calls
            // and moves of results (costly in a debug build).
            if self.shortcut
                && !self.flags.fold
                && !matches!(
                    c,
                    '(' | '[' | '.' | '^' | '$' | '\\' | '*' | '+' | '?' | '{'
                )
                && !matches!(self.peek_at(1), Some('*' | '+' | '?' | '{'))
            {
                self.at += 1;
                items.push(Node::One(One::Char(c)));
                continue;
            }
            let Some(atom) = self.atom()? else { continue };
            let atom = self.quantified(atom)?;
            items.push(atom);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    /// One atom; `None` for a flag group (`(?i)`), which only sets flags.
    fn atom(&mut self) -> Result<Option<Node>, PatternError> {
        let Some(c) = self.peek() else {
            return Err(self.invalid("an unexpected end"));
        };
        self.at += 1;
        Ok(Some(match c {
            '(' => return self.group(),
            '[' => Node::One(One::Class(Box::new(self.class()?))),
            '.' => Node::One(if self.flags.dot_all {
                One::DotAll
            } else {
                One::Dot
            }),
            '^' => Node::Assert(Assert::Start),
            '$' => Node::Assert(Assert::End),
            '\\' => self.escape()?,
            '*' | '+' | '?' => {
                self.at -= 1;
                return Err(self.invalid("a repetition operator with nothing to repeat"));
            }
            '{' => {
                self.at -= 1;
                return Err(self.invalid("a `{` that starts no repetition"));
            }
            c => self.literal(c)?,
        }))
    }

    fn literal(&self, c: char) -> Result<Node, PatternError> {
        if !self.flags.fold {
            return Ok(Node::One(One::Char(c)));
        }
        match ascii_fold(c) {
            Some(l) => Ok(Node::One(One::Fold(l))),
            None if is_cased(c) => {
                Err(self.unsupported(format_args!("the flag `i` on the non-ASCII letter `{c}`")))
            }
            None => Ok(Node::One(One::Char(c))),
        }
    }

    /// `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` after an atom, each maybe
    /// lazy (`*?`); for a yes-or-no match, lazy and greedy are the same.
    fn quantified(&mut self, atom: Node) -> Result<Node, PatternError> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                let start = self.at;
                self.at += 1;
                let min = self.number().ok_or_else(|| {
                    self.error(ErrorKind::Invalid, "a repetition `{` without a count")
                })?;
                let max = if self.eat(',') {
                    if self.peek() == Some('}') {
                        None
                    } else {
                        Some(self.number().ok_or_else(|| {
                            self.error(
                                ErrorKind::Invalid,
                                "a repetition `{n,` without an upper count",
                            )
                        })?)
                    }
                } else {
                    Some(min)
                };
                if !self.eat('}') {
                    return Err(self.invalid("an unclosed repetition `{`"));
                }
                if max.is_some_and(|m| m < min) {
                    self.at = start;
                    return Err(self.invalid("a repetition `{n,m}` with m below n"));
                }
                self.at -= 1;
                (min, max)
            }
            _ => return Ok(atom),
        };
        self.at += 1;
        if self.eat('+') {
            self.at -= 1;
            return Err(self.unsupported("a possessive quantifier"));
        }
        self.eat('?');
        if matches!(self.peek(), Some('*' | '+' | '?' | '{')) {
            return Err(self.invalid("a repetition of a repetition"));
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        if start == self.at {
            return None;
        }
        self.chars[start..self.at]
            .iter()
            .collect::<String>()
            .parse()
            .ok()
    }

    /// After `(`.
    fn group(&mut self) -> Result<Option<Node>, PatternError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.unsupported(format_args!("nesting groups more than {MAX_DEPTH} deep")));
        }
        self.depth += 1;
        let node = self.group_body();
        self.depth -= 1;
        node
    }

    fn group_body(&mut self) -> Result<Option<Node>, PatternError> {
        let saved = self.flags;
        let mut index = None;
        let mut look = None;
        if self.eat('?') {
            match self.peek() {
                Some(':') => self.at += 1,
                Some('=') => {
                    self.at += 1;
                    look = Some((true, false));
                }
                Some('!') => {
                    self.at += 1;
                    look = Some((true, true));
                }
                Some('<') if matches!(self.peek_at(1), Some('=' | '!')) => {
                    look = Some((false, self.peek_at(1) == Some('!')));
                    self.at += 2;
                }
                Some('P') if self.peek_at(1) == Some('<') => {
                    self.at += 1;
                    index = Some(self.named_group()?);
                }
                Some('<') => index = Some(self.named_group()?),
                _ => {
                    if self.flag_group()? {
                        // `(?i)`: the flags hold to the end of the enclosing group.
                        return Ok(None);
                    }
                }
            }
        } else {
            self.groups += 1;
            index = Some(self.groups);
        }
        let inner = self.alternation()?;
        if !self.eat(')') {
            return Err(self.invalid("an unclosed `(`"));
        }
        self.flags = saved;
        Ok(Some(match look {
            Some((ahead, negate)) => Node::Look {
                ahead,
                negate,
                node: Box::new(inner),
            },
            None => Node::Group {
                node: Box::new(inner),
                index,
            },
        }))
    }

    /// After `(?P` or `(?`, at `<name>`.
    fn named_group(&mut self) -> Result<usize, PatternError> {
        self.at += 1;
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.at += 1;
        }
        if self.at == start || !self.eat('>') {
            return Err(self.invalid("a group name that is not `<name>`"));
        }
        self.groups += 1;
        Ok(self.groups)
    }

    /// After `(?`: `flags)` (true) or `flags:` (false, the group follows).
    fn flag_group(&mut self) -> Result<bool, PatternError> {
        let mut on = true;
        let mut any = false;
        loop {
            match self.peek() {
                Some('i') => self.flags.fold = on,
                Some('s') => self.flags.dot_all = on,
                Some('-') if on => on = false,
                Some(')') if any => {
                    self.at += 1;
                    return Ok(true);
                }
                Some(':') if any => {
                    self.at += 1;
                    return Ok(false);
                }
                Some(c @ ('m' | 'x' | 'U' | 'u' | 'R')) => {
                    return Err(self.unsupported(format_args!("the flag `{c}`")));
                }
                Some(c) => {
                    return Err(self.unsupported(format_args!("the group syntax `(?{c}`")));
                }
                None => return Err(self.invalid("an unclosed `(?`")),
            }
            self.at += 1;
            any = true;
        }
    }

    /// After `\` outside a class.
    fn escape(&mut self) -> Result<Node, PatternError> {
        let Some(c) = self.peek() else {
            return Err(self.invalid("a `\\` at the end"));
        };
        match c {
            'b' => {
                self.at += 1;
                Ok(Node::Assert(Assert::WordBoundary))
            }
            'B' => {
                self.at += 1;
                Ok(Node::Assert(Assert::NotWordBoundary))
            }
            'A' => {
                self.at += 1;
                Ok(Node::Assert(Assert::Start))
            }
            'z' => {
                self.at += 1;
                Ok(Node::Assert(Assert::End))
            }
            '1'..='9' => {
                let at = self.at;
                let n = self.number().unwrap_or(0) as usize;
                self.backrefs.push((n, at));
                Ok(Node::Backref(n))
            }
            _ => match self.escape_item()? {
                Item::Range(c, _) => self.literal(c),
                Item::Named(n, _) if self.flags.fold && n != Named::Digit => {
                    Err(self.unsupported("a named class other than `\\d` under the flag `i`"))
                }
                Item::Named(n, neg) => Ok(Node::One(One::Named(n, neg))),
                Item::Class(k) => Ok(Node::One(One::Class(Box::new(k)))),
            },
        }
    }

    /// After `\`: an escape that stands for characters (inside a class or
    /// out): a character as `c-c`, or a named class.
    fn escape_item(&mut self) -> Result<Item, PatternError> {
        let Some(c) = self.peek() else {
            return Err(self.invalid("a `\\` at the end"));
        };
        self.at += 1;
        let named = |n, neg| Ok(Item::Named(n, neg));
        let ch = |c| Ok(Item::Range(c, c));
        match c {
            'd' => named(Named::Digit, false),
            'D' => named(Named::Digit, true),
            'w' => named(Named::Word, false),
            'W' => named(Named::Word, true),
            's' => named(Named::Space, false),
            'S' => named(Named::Space, true),
            'p' | 'P' => {
                let name: String = if self.eat('{') {
                    let start = self.at;
                    while self.peek().is_some_and(|c| c != '}') {
                        self.at += 1;
                    }
                    if !self.eat('}') {
                        return Err(self.invalid("an unclosed `\\p{`"));
                    }
                    self.chars[start..self.at - 1].iter().collect()
                } else {
                    match self.peek() {
                        Some(x) => {
                            self.at += 1;
                            x.to_string()
                        }
                        None => return Err(self.invalid("a `\\p` without a name")),
                    }
                };
                match Named::property(&name) {
                    Some(n) => named(n, c == 'P'),
                    None => {
                        Err(self.unsupported(format_args!("the Unicode class `\\{c}{{{name}}}`")))
                    }
                }
            }
            'n' => ch('\n'),
            't' => ch('\t'),
            'r' => ch('\r'),
            'f' => ch('\x0C'),
            'v' => ch('\x0B'),
            'a' => ch('\x07'),
            'x' => self.hex(2),
            'u' => self.hex(4),
            'U' => self.hex(8),
            c if is_escapable(c) => ch(c),
            c => {
                self.at -= 1;
                Err(self.unsupported(format_args!("the escape `\\{c}`")))
            }
        }
    }

    /// After `\x`, `\u` or `\U`: `digits` hex digits, or `{hex}`.
    fn hex(&mut self, digits: usize) -> Result<Item, PatternError> {
        let text: String = if self.eat('{') {
            let start = self.at;
            while self.peek().is_some_and(|c| c != '}') {
                self.at += 1;
            }
            if !self.eat('}') {
                return Err(self.invalid("an unclosed `\\x{`"));
            }
            self.chars[start..self.at - 1].iter().collect()
        } else {
            let end = (self.at + digits).min(self.chars.len());
            let t = self.chars[self.at..end].iter().collect();
            self.at = end;
            t
        };
        let c =
            (text.len() <= 8 && !text.is_empty() && text.chars().all(|c| c.is_ascii_hexdigit()))
                .then(|| u32::from_str_radix(&text, 16).ok())
                .flatten()
                .and_then(char::from_u32)
                .ok_or_else(|| self.invalid("a hexadecimal escape that is not a character"))?;
        Ok(Item::Range(c, c))
    }

    /// After `[`: the class up to its `]`.
    fn class(&mut self) -> Result<Class, PatternError> {
        let start = self.at;
        let class = self.class_items()?;
        let ascii = |i: &Item| match i {
            Item::Range(_, b) => b.is_ascii(),
            Item::Named(n, _) => *n == Named::Digit,
            Item::Class(_) => false,
        };
        if class.fold && !class.items.iter().all(ascii) {
            self.at = start;
            return Err(self.unsupported(
                "a bracket class with more than ASCII characters and `\\d` under the flag `i`",
            ));
        }
        Ok(class)
    }

    fn class_items(&mut self) -> Result<Class, PatternError> {
        let negated = self.eat('^');
        let mut items = Vec::new();
        // A `]` first is a literal.
        if self.eat(']') {
            items.push(Item::Range(']', ']'));
        }
        loop {
            let Some(c) = self.peek() else {
                return Err(self.invalid("an unclosed `[`"));
            };
            match c {
                ']' => {
                    self.at += 1;
                    return Ok(Class {
                        negated,
                        fold: self.flags.fold,
                        items,
                    });
                }
                '[' => {
                    self.at += 1;
                    if self.peek() == Some(':') {
                        return Err(self.unsupported("a POSIX class `[:name:]`"));
                    }
                    if self.depth >= MAX_DEPTH {
                        return Err(self.unsupported(format_args!(
                            "nesting classes more than {MAX_DEPTH} deep"
                        )));
                    }
                    self.depth += 1;
                    let inner = self.class();
                    self.depth -= 1;
                    items.push(Item::Class(inner?));
                    continue;
                }
                '&' | '-' | '~' if self.peek_at(1) == Some(c) => {
                    return Err(self.unsupported(format_args!("the class operation `{c}{c}`")));
                }
                _ => {}
            }
            let first = self.class_atom()?;
            let starts_range =
                self.peek() == Some('-') && !matches!(self.peek_at(1), Some(']') | None);
            let Item::Range(lo, _) = first else {
                if starts_range {
                    return Err(self.invalid("a class range that starts with a class"));
                }
                items.push(first);
                continue;
            };
            if starts_range {
                self.at += 1;
                match self.class_atom()? {
                    Item::Range(hi, _) if hi >= lo => items.push(Item::Range(lo, hi)),
                    Item::Range(..) => {
                        return Err(self.invalid("a class range that runs backwards"));
                    }
                    _ => return Err(self.invalid("a class range that ends in a class")),
                }
            } else {
                items.push(first);
            }
        }
    }

    /// One character or named class inside a bracket class.
    fn class_atom(&mut self) -> Result<Item, PatternError> {
        let Some(c) = self.peek() else {
            return Err(self.invalid("an unclosed `[`"));
        };
        self.at += 1;
        if c == '\\' {
            if matches!(self.peek(), Some('b' | 'B' | 'A' | 'z' | '1'..='9')) {
                return Err(self.invalid("an assertion or backreference inside a class"));
            }
            return self.escape_item();
        }
        Ok(Item::Range(c, c))
    }
}

/// True for a letter with another case.
fn is_cased(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase() || c.to_uppercase().ne(c.to_lowercase())
}

/// Characters a `\` makes literal: ASCII that is not a letter, a digit,
/// `<` or `>` (the regex crate's rule).
fn is_escapable(c: char) -> bool {
    c.is_ascii() && !c.is_ascii_alphanumeric() && c != '<' && c != '>'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Rng;

    /// Property: the shortcut for plain literal characters reads every
    /// pattern as `atom` and `quantified` do: the same tree, the same
    /// groups, the same error at the same place.
    #[test]
    fn the_literal_shortcut_reads_as_the_general_path() {
        const SOUP: &[&str] = &[
            "a", "b", "é", "-", "}", "]", ",", ":", "(", ")", "[", "^", "$", ".", "|", "\\", "\\d",
            "\\1", "{", "{2}", "{1,3}", "{,", "*", "+", "?", "*?", "(?i)", "(?s:", "(?=", "(?<!",
            "(?:", "[a-z]", "\\p{L}", "\\x41",
        ];
        let mut rng = Rng(0x5407_C075_0000_0001);
        let mut read = 0;
        for _ in 0..20_000 {
            let mut p = String::new();
            for _ in 0..rng.index(10) {
                let piece = rng.pick(SOUP);
                p.push_str(piece);
            }
            let (a, b) = (parse_with(&p, true), parse_with(&p, false));
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.node, b.node, "{p}");
                    assert_eq!(a.groups, b.groups, "{p}");
                    read += 1;
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "{p}"),
                (a, b) => panic!("{p}: {:?} against {:?}", a.is_ok(), b.is_ok()),
            }
        }
        assert!(read > 2_000, "{read} read");
    }
}
