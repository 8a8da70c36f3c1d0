//! Direct matchers for the shapes most schema patterns have, chosen from
//! the parsed tree; any other pattern runs on the engine ([`super::exec`]).
//!
//! - A sequence of character positions, each repeated a counted number of
//!   times, anchored or not: `^[a-zA-Z0-9-_]{1,64}$`, `^#[A-F0-9]{6}$`,
//!   `^arn:.*$`, `\S+`, `^[^:]`. It is read without backtracking when at
//!   most one position varies in count and the anchors fix where every
//!   other one falls: with both anchors, the fixed positions before the
//!   varying one count from the text's start and those after it from its
//!   end; with one anchor or none, a varying position at an open end
//!   matches as its minimum does (`^ab*` matches exactly where `^a` does).
//! - An anchored choice of literal words: `^(s3|lambda|mediapackagev2)$`,
//!   `^(HTTPS?|#\{protocol\})$`: the text must be one of them.
//!
//! Neither has groups a backreference reads nor lookarounds, and both are
//! small (at most [`MAX_ITEMS`] positions, [`MAX_WORDS`] words of
//! [`MAX_WORD`] bytes), so the engine's compiler could not have refused
//! them: a pattern with a fast path is not compiled for the engine.

use super::class::{Item, One, Set};
use super::parse::{Assert, Node};

/// The most positions of a sequence.
const MAX_ITEMS: usize = 64;
/// The most words of a choice.
const MAX_WORDS: usize = 16;
/// The longest word of a choice, in bytes.
const MAX_WORD: usize = 256;

/// A pattern matched without the engine.
#[derive(Debug, Clone)]
pub(super) enum Fast {
    Seq(Seq),
    Words(Vec<String>),
}

/// Character positions in a row, each `min` to `max` times (no bound when
/// `None`).
#[derive(Debug, Clone)]
pub(super) struct Seq {
    start: bool,
    end: bool,
    items: Vec<Rep>,
    /// The one item whose count varies (only with both anchors: at an open
    /// end it was cut to its minimum).
    var: Option<usize>,
}

#[derive(Debug, Clone)]
struct Rep {
    set: Set,
    min: u32,
    max: Option<u32>,
}

/// The fast path of a parsed pattern, when it has one.
pub(super) fn fast(node: &Node) -> Option<Fast> {
    if !plain(node) {
        return None;
    }
    let mut parts = Vec::new();
    flatten(node, &mut parts);
    let start = matches!(parts.first(), Some(Node::Assert(Assert::Start)));
    if start {
        parts.remove(0);
    }
    let end = matches!(parts.last(), Some(Node::Assert(Assert::End)));
    if end {
        parts.pop();
    }
    if let Some(seq) = seq(&parts, start, end) {
        return Some(Fast::Seq(seq));
    }
    if !(start && end) {
        return None;
    }
    let mut words = vec![String::new()];
    for p in &parts {
        extend(&mut words, p)?;
    }
    Some(Fast::Words(words))
}

impl Fast {
    pub(super) fn is_match(&self, s: &str) -> bool {
        match self {
            Fast::Seq(q) => q.is_match(s),
            Fast::Words(w) => w.iter().any(|w| w == s),
        }
    }
}

/// No backreference and no lookaround anywhere (so groups only group).
fn plain(n: &Node) -> bool {
    match n {
        Node::Backref(_) | Node::Look { .. } => false,
        Node::Concat(v) | Node::Alt(v) => v.iter().all(plain),
        Node::Repeat { node, .. } | Node::Group { node, .. } => plain(node),
        Node::Empty | Node::One(_) | Node::Assert(_) => true,
    }
}

/// The parts of a concatenation, through groups, without empty ones.
fn flatten<'n>(n: &'n Node, out: &mut Vec<&'n Node>) {
    match n {
        Node::Concat(v) => v.iter().for_each(|n| flatten(n, out)),
        Node::Group { node, .. } => flatten(node, out),
        Node::Empty => {}
        n => out.push(n),
    }
}

/// The one character position a node is, through groups.
fn single(n: &Node) -> Option<&One> {
    match n {
        Node::One(o) => Some(o),
        Node::Group { node, .. } => single(node),
        _ => None,
    }
}

/// A part of a sequence: its position and counts.
fn rep(p: &Node) -> Option<(&One, u32, Option<u32>)> {
    match p {
        Node::One(o) => Some((o, 1, Some(1))),
        Node::Repeat { node, min, max } => Some((single(node)?, *min, *max)),
        _ => None,
    }
}

fn seq(parts: &[&Node], start: bool, end: bool) -> Option<Seq> {
    if parts.len() > MAX_ITEMS {
        return None;
    }
    // The shape first, the sets (a class's bits, a clone of it) only for a
    // pattern that has it.
    let last = parts.len().saturating_sub(1);
    let mut var = None;
    for (i, p) in parts.iter().enumerate() {
        let (_, min, max) = rep(p)?;
        let open_end = (!start && i == 0) || (!end && i == last);
        if max == Some(min) || open_end {
            continue;
        }
        if var.is_none() && start && end {
            var = Some(i);
        } else {
            return None;
        }
    }
    let mut items = Vec::with_capacity(parts.len());
    for (i, p) in parts.iter().enumerate() {
        let (one, min, mut max) = rep(p)?;
        // A varying count at an open end matches as its minimum does.
        if Some(i) != var {
            max = Some(min);
        }
        items.push(Rep {
            set: Set::new(one.clone()),
            min,
            max,
        });
    }
    Some(Seq {
        start,
        end,
        items,
        var,
    })
}

impl Seq {
    fn is_match(&self, s: &str) -> bool {
        match (self.start, self.end) {
            (true, true) => self.whole(s),
            (true, false) => ahead(&self.items, &mut s.chars()),
            (false, true) => behind(&self.items, &mut s.chars()),
            (false, false) => {
                let mut rest = s.chars();
                loop {
                    if ahead(&self.items, &mut rest.clone()) {
                        return true;
                    }
                    if rest.next().is_none() {
                        return false;
                    }
                }
            }
        }
    }

    /// Both anchors: the fixed items before the varying one from the
    /// start, those after it from the end, the varying one in between.
    fn whole(&self, s: &str) -> bool {
        let mut it = s.chars();
        let Some(v) = self.var else {
            return ahead(&self.items, &mut it) && it.next().is_none();
        };
        if !ahead(&self.items[..v], &mut it) || !behind(&self.items[v + 1..], &mut it) {
            return false;
        }
        let r = &self.items[v];
        let mut k: u32 = 0;
        for c in it {
            if !r.set.matches(c) {
                return false;
            }
            k = k.saturating_add(1);
        }
        k >= r.min && r.max.is_none_or(|m| k <= m)
    }
}

/// The items' minimum counts of characters, taken from the front of `it`.
fn ahead(items: &[Rep], it: &mut std::str::Chars<'_>) -> bool {
    for r in items {
        for _ in 0..r.min {
            match it.next() {
                Some(c) if r.set.matches(c) => {}
                _ => return false,
            }
        }
    }
    true
}

/// The items' minimum counts of characters, taken from the back of `it`.
fn behind(items: &[Rep], it: &mut std::str::Chars<'_>) -> bool {
    for r in items.iter().rev() {
        for _ in 0..r.min {
            match it.next_back() {
                Some(c) if r.set.matches(c) => {}
                _ => return false,
            }
        }
    }
    true
}

/// The literal character a position is: itself, or a bracket class of
/// one character.
fn literal(o: &One) -> Option<char> {
    match o {
        One::Char(c) => Some(*c),
        One::Class(k) if !k.negated && !k.fold => match k.items.as_slice() {
            [Item::Range(a, b)] if a == b => Some(*a),
            _ => None,
        },
        _ => None,
    }
}

/// Each word followed by each text `n` matches, when that is few words.
fn extend(words: &mut Vec<String>, n: &Node) -> Option<()> {
    match n {
        Node::Empty => {}
        Node::One(o) => {
            let c = literal(o)?;
            for w in words.iter_mut() {
                if w.len() + c.len_utf8() > MAX_WORD {
                    return None;
                }
                w.push(c);
            }
        }
        Node::Group { node, .. } => extend(words, node)?,
        Node::Concat(v) => {
            for n in v {
                extend(words, n)?;
            }
        }
        Node::Alt(v) => {
            let mut all = Vec::new();
            for n in v {
                let mut these = words.clone();
                extend(&mut these, n)?;
                all.append(&mut these);
                if all.len() > MAX_WORDS {
                    return None;
                }
            }
            *words = all;
        }
        Node::Repeat {
            node,
            min,
            max: Some(max),
        } => {
            let c = literal(single(node)?)?;
            let (min, max) = (*min as usize, *max as usize);
            if (max - min + 1) * words.len() > MAX_WORDS {
                return None;
            }
            let mut all = Vec::with_capacity((max - min + 1) * words.len());
            for k in min..=max {
                for w in words.iter() {
                    if w.len() + k * c.len_utf8() > MAX_WORD {
                        return None;
                    }
                    let mut w = w.clone();
                    w.extend(std::iter::repeat_n(c, k));
                    all.push(w);
                }
            }
            *words = all;
        }
        Node::Repeat { .. } | Node::Assert(_) | Node::Look { .. } | Node::Backref(_) => {
            return None;
        }
    }
    Some(())
}
