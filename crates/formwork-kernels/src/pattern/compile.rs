//! The tree of a parsed pattern to small programs of [`Inst`]ructions: one
//! for the pattern, one for each lookaround, which runs as a sub-match.

use super::class::{One, Set};
use super::parse::{Assert, Node, Parsed};
use super::{ErrorKind, PatternError};

/// One instruction.
#[derive(Debug, Clone)]
pub(super) enum Inst {
    /// One character that the set accepts.
    One(Set),
    /// `min` to `max` characters that the set accepts (a bounded repetition
    /// of one character position, kept as one instruction).
    Repeat { set: Set, min: u32, max: u32 },
    /// Go on at both, the first preferred.
    Split(usize, usize),
    /// Go on at.
    Jmp(usize),
    /// Record the position in a capture slot (only for groups that a
    /// backreference reads).
    Save(usize),
    /// A zero-width assertion.
    Assert(Assert),
    /// A lookaround: program `prog` must match here (ahead), or end here
    /// after `width` characters (behind); the opposite when `negate`.
    Look {
        prog: usize,
        ahead: bool,
        negate: bool,
        width: usize,
    },
    /// The text capture group N matched, again.
    Backref(usize),
    /// A match.
    Match,
}

/// A program and whether its runs may remember failed states (true unless
/// it reads captures).
#[derive(Debug, Clone)]
pub(super) struct Prog {
    pub(super) insts: Vec<Inst>,
    pub(super) memo: bool,
}

/// The most instructions of one pattern: counted repetitions of groups are
/// written out, so a pattern like `(ab){1,100000}` is refused here.
const MAX_INSTS: usize = 100_000;

/// The programs of a pattern: the first is the pattern's own, searched
/// for anywhere in the text; the others are its lookarounds, anchored
/// where they are tried.
pub(super) fn compile(parsed: &Parsed) -> Result<Vec<Prog>, PatternError> {
    let mut refs = Vec::new();
    backrefs(&parsed.node, &mut refs);
    let mut c = Compiler {
        progs: vec![Prog {
            insts: Vec::new(),
            memo: true,
        }],
        refs,
        size: 0,
    };
    // An unanchored search: any characters first (lazily), then the pattern.
    let mut main = vec![
        Inst::Split(3, 1),
        Inst::One(Set::new(One::DotAll)),
        Inst::Jmp(0),
    ];
    c.node(&parsed.node, &mut main)?;
    main.push(Inst::Match);
    c.progs[0] = Prog {
        memo: !main.iter().any(|i| matches!(i, Inst::Backref(_))),
        insts: main,
    };
    Ok(c.progs)
}

fn backrefs(n: &Node, out: &mut Vec<usize>) {
    match n {
        Node::Backref(i) => out.push(*i),
        Node::Concat(v) | Node::Alt(v) => v.iter().for_each(|n| backrefs(n, out)),
        Node::Repeat { node, .. } | Node::Group { node, .. } | Node::Look { node, .. } => {
            backrefs(node, out)
        }
        Node::Empty | Node::One(_) | Node::Assert(_) => {}
    }
}

/// The number of characters a node always matches; `None` when it varies.
fn width(n: &Node) -> Option<usize> {
    match n {
        Node::Empty | Node::Assert(_) | Node::Look { .. } => Some(0),
        Node::One(_) => Some(1),
        Node::Concat(v) => v.iter().map(width).sum(),
        Node::Alt(v) => {
            let first = width(v.first()?)?;
            v.iter().all(|n| width(n) == Some(first)).then_some(first)
        }
        Node::Repeat { node, min, max } if *max == Some(*min) => {
            width(node).map(|w| w * *min as usize)
        }
        Node::Group { node, .. } => width(node),
        Node::Repeat { .. } | Node::Backref(_) => None,
    }
}

struct Compiler {
    progs: Vec<Prog>,
    refs: Vec<usize>,
    size: usize,
}

impl Compiler {
    fn push(&mut self, out: &mut Vec<Inst>, i: Inst) -> Result<usize, PatternError> {
        self.size += 1;
        if self.size > MAX_INSTS {
            return Err(PatternError {
                kind: ErrorKind::Unsupported,
                at: 0,
                message: format!(
                    "a pattern of more than {MAX_INSTS} steps (counted repetitions of groups are written out) is not supported by formwork's pattern matcher"
                ),
            });
        }
        out.push(i);
        Ok(out.len() - 1)
    }

    /// The one character position a node is, when it is one (through
    /// groups no backreference reads).
    fn single<'n>(&self, n: &'n Node) -> Option<&'n One> {
        match n {
            Node::One(o) => Some(o),
            Node::Group { node, index } if index.is_none_or(|i| !self.refs.contains(&i)) => {
                self.single(node)
            }
            _ => None,
        }
    }

    fn node(&mut self, n: &Node, out: &mut Vec<Inst>) -> Result<(), PatternError> {
        match n {
            Node::Empty => {}
            Node::One(o) => {
                self.push(out, Inst::One(Set::new(o.clone())))?;
            }
            Node::Concat(v) => {
                for n in v {
                    self.node(n, out)?;
                }
            }
            Node::Alt(v) => {
                let mut jumps = Vec::new();
                for (k, n) in v.iter().enumerate() {
                    if k + 1 == v.len() {
                        self.node(n, out)?;
                    } else {
                        let split = self.push(out, Inst::Split(0, 0))?;
                        self.node(n, out)?;
                        jumps.push(self.push(out, Inst::Jmp(0))?);
                        out[split] = Inst::Split(split + 1, out.len());
                    }
                }
                let end = out.len();
                for j in jumps {
                    out[j] = Inst::Jmp(end);
                }
            }
            Node::Group { node, index } => match index.filter(|i| self.refs.contains(i)) {
                Some(i) => {
                    self.push(out, Inst::Save(2 * i))?;
                    self.node(node, out)?;
                    self.push(out, Inst::Save(2 * i + 1))?;
                }
                None => self.node(node, out)?,
            },
            Node::Repeat { node, min, max } => self.repeat(node, *min, *max, out)?,
            Node::Look {
                ahead,
                negate,
                node,
            } => {
                let width = if *ahead {
                    0
                } else {
                    width(node).ok_or_else(|| PatternError {
                        kind: ErrorKind::Unsupported,
                        at: 0,
                        message: "a lookbehind that matches texts of different lengths is not supported by formwork's pattern matcher".to_owned(),
                    })?
                };
                let mut insts = Vec::new();
                self.node(node, &mut insts)?;
                insts.push(Inst::Match);
                if insts.iter().any(|i| matches!(i, Inst::Backref(_))) {
                    return Err(PatternError {
                        kind: ErrorKind::Unsupported,
                        at: 0,
                        message: "a backreference inside a lookaround is not supported by formwork's pattern matcher".to_owned(),
                    });
                }
                self.progs.push(Prog { insts, memo: true });
                let prog = self.progs.len() - 1;
                self.push(
                    out,
                    Inst::Look {
                        prog,
                        ahead: *ahead,
                        negate: *negate,
                        width,
                    },
                )?;
            }
            Node::Assert(a) => {
                self.push(out, Inst::Assert(*a))?;
            }
            Node::Backref(i) => {
                self.push(out, Inst::Backref(*i))?;
            }
        }
        Ok(())
    }

    fn repeat(
        &mut self,
        node: &Node,
        min: u32,
        max: Option<u32>,
        out: &mut Vec<Inst>,
    ) -> Result<(), PatternError> {
        if let Some(one) = self.single(node) {
            let set = Set::new(one.clone());
            match max {
                Some(max) => {
                    self.push(out, Inst::Repeat { set, min, max })?;
                    return Ok(());
                }
                None if min > 0 => {
                    self.push(
                        out,
                        Inst::Repeat {
                            set: set.clone(),
                            min,
                            max: min,
                        },
                    )?;
                }
                None => {}
            }
            // Then any number more, as a loop.
            let split = self.push(out, Inst::Split(0, 0))?;
            self.push(out, Inst::One(set))?;
            self.push(out, Inst::Jmp(split))?;
            out[split] = Inst::Split(split + 1, out.len());
            return Ok(());
        }
        for _ in 0..min {
            self.node(node, out)?;
        }
        match max {
            None => {
                let split = self.push(out, Inst::Split(0, 0))?;
                self.node(node, out)?;
                self.push(out, Inst::Jmp(split))?;
                out[split] = Inst::Split(split + 1, out.len());
            }
            Some(max) => {
                let mut splits = Vec::new();
                for _ in min..max {
                    splits.push(self.push(out, Inst::Split(0, 0))?);
                    self.node(node, out)?;
                }
                let end = out.len();
                for s in splits {
                    out[s] = Inst::Split(s + 1, end);
                }
            }
        }
        Ok(())
    }
}
