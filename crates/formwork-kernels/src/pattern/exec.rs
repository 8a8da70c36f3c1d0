//! Running a compiled pattern: a backtracking search that remembers the
//! (instruction, position) states it has tried, as the regex crate's
//! bounded backtracker does, so a match costs at most instructions ×
//! (characters + 1) steps whatever the text: no catastrophic backtracking.
//!
//! Only a yes-or-no answer is wanted, so a state that failed once fails
//! again, and greedy and lazy repetitions are the same. A lookaround is a
//! sub-match whose answer depends on its position alone. A pattern with a
//! backreference reads what its groups captured, so its states cannot be
//! remembered: it runs without the memory and with a budget of steps, and a
//! text that exhausts the budget counts as a match (as fancy-regex's
//! backtracking limit did: the engine could not say the value is wrong).

use super::class::is_word;
use super::compile::{Inst, Prog};
use super::parse::Assert;

/// Steps of a pattern with a backreference before it gives up.
const BUDGET: u64 = 1_000_000;

/// The budget ran out.
pub(super) struct OutOfSteps;

enum Job {
    /// Try instruction `pc` at character `pos`.
    Step(usize, usize),
    /// Try instruction `pc` at each character from `hi` down to `lo`: the
    /// shorter counts of a repetition, one job for all of them (a push
    /// per count cost more than the rest of a match on a long text).
    Steps { pc: usize, lo: usize, hi: usize },
    /// Put a capture slot back as it was.
    Restore(usize, Option<usize>),
}

pub(super) struct Exec<'p, 't> {
    progs: &'p [Prog],
    text: &'t [char],
    /// Per program, a bit per (position, instruction), position-major.
    seen: Vec<Vec<u64>>,
    caps: Vec<Option<usize>>,
    steps: u64,
}

impl<'p, 't> Exec<'p, 't> {
    pub(super) fn new(progs: &'p [Prog], groups: usize, text: &'t [char]) -> Exec<'p, 't> {
        Exec {
            progs,
            text,
            seen: vec![Vec::new(); progs.len()],
            caps: vec![None; 2 * (groups + 1)],
            steps: 0,
        }
    }

    /// True when program `p` matches from `start` (ending at `end` when
    /// given).
    pub(super) fn run(
        &mut self,
        p: usize,
        start: usize,
        end: Option<usize>,
    ) -> Result<bool, OutOfSteps> {
        // The program's memory is taken out while it runs (a lookaround
        // runs another program, never this one), so that the loop indexes
        // plain slices: a `Vec` index is a chain of calls in a debug build,
        // a slice index one bounds check.
        let mut seen = std::mem::take(&mut self.seen[p]);
        let found = self.run_with(p, &mut seen, start, end);
        self.seen[p] = seen;
        found
    }

    fn run_with(
        &mut self,
        p: usize,
        seen: &mut Vec<u64>,
        start: usize,
        end: Option<usize>,
    ) -> Result<bool, OutOfSteps> {
        let progs = self.progs;
        let prog = &progs[p];
        let insts: &[Inst] = &prog.insts;
        let text = self.text;
        let n = text.len();
        let len = insts.len();
        if prog.memo {
            // Clear the states of the positions this run can reach.
            let words = ((n + 1) * len).div_ceil(64);
            if seen.len() < words {
                *seen = vec![0; words];
            } else {
                let last = end.unwrap_or(n);
                let lo = start * len / 64;
                let hi = ((last + 1) * len).div_ceil(64).min(words);
                seen[lo..hi].fill(0);
            }
        }
        let bits: &mut [u64] = seen;
        let mut stack = vec![Job::Step(0, start)];
        while let Some(job) = stack.pop() {
            let (mut pc, mut pos) = match job {
                Job::Step(pc, pos) => (pc, pos),
                Job::Steps { pc, lo, hi } => {
                    if hi > lo {
                        stack.push(Job::Steps { pc, lo, hi: hi - 1 });
                    }
                    (pc, hi)
                }
                Job::Restore(slot, v) => {
                    self.caps[slot] = v;
                    continue;
                }
            };
            loop {
                if prog.memo {
                    let bit = pos * len + pc;
                    let (w, b) = (bit / 64, 1u64 << (bit % 64));
                    if bits[w] & b != 0 {
                        break;
                    }
                    bits[w] |= b;
                } else {
                    self.steps += 1;
                    if self.steps > BUDGET {
                        return Err(OutOfSteps);
                    }
                }
                match &insts[pc] {
                    Inst::One(set) => {
                        if pos < n && set.matches(text[pos]) {
                            pc += 1;
                            pos += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Repeat { set, min, max } => {
                        let (min, max) = (*min as usize, *max as usize);
                        // A counted loop, not an iterator chain (calls per
                        // character in a debug build).
                        let limit = max.min(n - pos);
                        let mut k = 0;
                        while k < limit && set.matches(text[pos + k]) {
                            k += 1;
                        }
                        if k < min {
                            break;
                        }
                        if k > min {
                            stack.push(Job::Steps {
                                pc: pc + 1,
                                lo: pos + min,
                                hi: pos + k - 1,
                            });
                        }
                        pc += 1;
                        pos += k;
                    }
                    Inst::Split(a, b) => {
                        stack.push(Job::Step(*b, pos));
                        pc = *a;
                    }
                    Inst::Jmp(a) => pc = *a,
                    Inst::Save(slot) => {
                        stack.push(Job::Restore(*slot, self.caps[*slot]));
                        self.caps[*slot] = Some(pos);
                        pc += 1;
                    }
                    Inst::Assert(a) => {
                        if self.holds(*a, pos) {
                            pc += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Look {
                        prog: sub,
                        ahead,
                        negate,
                        width,
                    } => {
                        let saved = self.caps.clone();
                        let found = if *ahead {
                            self.run(*sub, pos, None)?
                        } else if pos >= *width {
                            self.run(*sub, pos - width, Some(pos))?
                        } else {
                            false
                        };
                        self.caps = saved;
                        if found != *negate {
                            pc += 1;
                        } else {
                            break;
                        }
                    }
                    Inst::Backref(g) => {
                        let (Some(s), Some(e)) = (self.caps[2 * g], self.caps[2 * g + 1]) else {
                            break;
                        };
                        let l = e.saturating_sub(s);
                        if pos + l <= n && text[s..s + l] == text[pos..pos + l] {
                            pc += 1;
                            pos += l;
                        } else {
                            break;
                        }
                    }
                    Inst::Match => {
                        if end.is_none_or(|e| e == pos) {
                            return Ok(true);
                        }
                        break;
                    }
                }
            }
        }
        Ok(false)
    }

    fn holds(&self, a: Assert, pos: usize) -> bool {
        let n = self.text.len();
        match a {
            Assert::Start => pos == 0,
            Assert::End => pos == n,
            Assert::WordBoundary | Assert::NotWordBoundary => {
                let before = pos > 0 && is_word(self.text[pos - 1]);
                let after = pos < n && is_word(self.text[pos]);
                (before != after) == (a == Assert::WordBoundary)
            }
        }
    }
}
