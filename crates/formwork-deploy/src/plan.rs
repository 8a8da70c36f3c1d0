//! The deploy plan: a graph of steps with dependencies, run in topological
//! order, independent steps in parallel on std threads.
//!
//! A step is one thing done to the outside world (deploy a stack; publish an
//! asset, ...). Its kind is a variant of [`StepKind`]; the command that runs
//! a plan matches on it. A new kind of step is a new variant, a line in
//! [`StepKind::label`], and an arm where plans are run and printed.

use std::collections::HashMap;
use std::sync::mpsc;

use formwork_core::Assembly;

use crate::error::{Error, Result};
use crate::suggest;

/// The index of a step in its plan.
pub type StepId = usize;

/// What a step does.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StepKind {
    /// Create or update one stack of the assembly.
    DeployStack {
        /// The stack name.
        stack: String,
        /// Its region, when the stack names one.
        region: Option<String>,
    },
    /// Create a stack's secrets that need a value and put their values,
    /// before the stack's deploy creates what reads them (see
    /// [`crate::secrets`]).
    SeedSecrets {
        /// The stack name.
        stack: String,
        /// Its region, when the stack names one.
        region: Option<String>,
    },
    /// Create or update the assets stack of a region (see [`crate::assets`]).
    AssetsStack {
        /// The region.
        region: Option<String>,
    },
    /// Publish a zip or an image (asset `index` of the assembly).
    PublishAsset {
        /// The asset's index in `Assembly::assets`.
        index: usize,
        /// Its id.
        label: String,
        /// Its region.
        region: Option<String>,
    },
    /// Deploy a folder into its bucket (asset `index`).
    DeployFiles {
        /// The asset's index in `Assembly::assets`.
        index: usize,
        /// Its id.
        label: String,
        /// Its region.
        region: Option<String>,
    },
    /// Invalidate a CloudFront distribution if a deployment changed anything.
    Invalidate {
        /// The distribution's stack.
        stack: String,
        /// The distribution's logical id.
        logical_id: String,
        /// The folder deployments (asset indexes) it follows.
        assets: Vec<usize>,
        /// Its region.
        region: Option<String>,
    },
}

impl StepKind {
    /// A short label for progress lines.
    pub fn label(&self) -> String {
        match self {
            StepKind::DeployStack { stack, .. } => format!("stack {stack}"),
            StepKind::SeedSecrets { stack, .. } => format!("secrets of {stack}"),
            StepKind::AssetsStack { .. } => "assets stack".to_owned(),
            StepKind::PublishAsset { label, .. } => format!("publish {label}"),
            StepKind::DeployFiles { label, .. } => format!("upload {label}"),
            StepKind::Invalidate {
                stack, logical_id, ..
            } => format!("invalidate {stack}/{logical_id}"),
        }
    }
}

/// One step and the steps it waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Its index.
    pub id: StepId,
    /// What it does.
    pub kind: StepKind,
    /// The steps that must succeed before it starts.
    pub after: Vec<StepId>,
}

/// How a step ended.
#[derive(Debug)]
pub enum Outcome<E> {
    /// It ran and succeeded.
    Done,
    /// It ran and failed.
    Failed(E),
    /// It did not run: a step it waits for failed.
    Skipped,
}

/// A graph of steps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    steps: Vec<Step>,
}

impl Plan {
    /// An empty plan.
    pub fn new() -> Plan {
        Plan::default()
    }

    /// Adds a step that waits for `after`; returns its id.
    pub fn add(&mut self, kind: StepKind, after: &[StepId]) -> StepId {
        let id = self.steps.len();
        self.steps.push(Step {
            id,
            kind,
            after: after.to_vec(),
        });
        id
    }

    /// Makes `step` wait for `before` too.
    pub fn add_dependency(&mut self, step: StepId, before: StepId) {
        if let Some(s) = self.steps.get_mut(step)
            && !s.after.contains(&before)
        {
            s.after.push(before);
        }
    }

    /// Adds a step that runs just before `step`: it waits for what `step`
    /// waits for, and `step` waits for it. Returns its id.
    pub fn add_before(&mut self, step: StepId, kind: StepKind) -> StepId {
        let after = self
            .steps
            .get(step)
            .map(|s| s.after.clone())
            .unwrap_or_default();
        let id = self.add(kind, &after);
        self.add_dependency(step, id);
        id
    }

    /// The steps, by id.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The id of the step that deploys `stack`.
    pub fn stack_step(&self, stack: &str) -> Option<StepId> {
        self.steps
            .iter()
            .position(|s| matches!(&s.kind, StepKind::DeployStack { stack: n, .. } if n == stack))
    }

    /// The steps in an order where each comes after those it waits for;
    /// among ready steps, the one added first. Fails on a cycle.
    pub fn order(&self) -> Result<Vec<StepId>> {
        let mut waiting: Vec<usize> = self.steps.iter().map(|s| s.after.len()).collect();
        let mut done = vec![false; self.steps.len()];
        let mut order = Vec::with_capacity(self.steps.len());
        while order.len() < self.steps.len() {
            let Some(next) = (0..self.steps.len()).find(|&i| !done[i] && waiting[i] == 0) else {
                let stuck: Vec<String> = (0..self.steps.len())
                    .filter(|&i| !done[i])
                    .map(|i| self.steps[i].kind.label())
                    .collect();
                return Err(Error::failed(format!(
                    "the plan has a cycle among: {}",
                    stuck.join(", ")
                )));
            };
            done[next] = true;
            order.push(next);
            for s in &self.steps {
                if s.after.contains(&next) {
                    waiting[s.id] -= 1;
                }
            }
        }
        Ok(order)
    }

    /// Runs every step with `f`, at most `parallel` at once, each as soon as
    /// the steps it waits for succeeded. After a failure no new step starts;
    /// running ones finish. Returns each step's outcome, by id.
    pub fn run<E: Send>(
        &self,
        parallel: usize,
        f: impl Fn(&Step) -> std::result::Result<(), E> + Sync,
    ) -> Result<Vec<Outcome<E>>> {
        let order = self.order()?;
        let parallel = parallel.max(1);
        let mut outcomes: Vec<Option<Outcome<E>>> = (0..self.steps.len()).map(|_| None).collect();
        let mut started = vec![false; self.steps.len()];
        let mut failed = false;
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel::<(StepId, std::result::Result<(), E>)>();
            let mut running = 0usize;
            loop {
                if !failed {
                    for &i in &order {
                        if running >= parallel {
                            break;
                        }
                        let ready = !started[i]
                            && self.steps[i]
                                .after
                                .iter()
                                .all(|d| matches!(outcomes[*d], Some(Outcome::Done)));
                        if ready {
                            started[i] = true;
                            running += 1;
                            let tx = tx.clone();
                            let step = &self.steps[i];
                            let f = &f;
                            scope.spawn(move || {
                                let _ = tx.send((step.id, f(step)));
                            });
                        }
                    }
                }
                if running == 0 {
                    break;
                }
                let Ok((id, r)) = rx.recv() else { break };
                running -= 1;
                outcomes[id] = Some(match r {
                    Ok(()) => Outcome::Done,
                    Err(e) => {
                        failed = true;
                        Outcome::Failed(e)
                    }
                });
            }
        });
        Ok(outcomes
            .into_iter()
            .map(|o| o.unwrap_or(Outcome::Skipped))
            .collect())
    }

    /// A plan that deploys the stacks of `selected`, each after the stacks
    /// it depends on that are also selected.
    pub fn for_stacks(asm: &Assembly, selected: &[String]) -> Plan {
        let mut plan = Plan::new();
        let mut ids: HashMap<&str, StepId> = HashMap::new();
        for s in asm.stacks.iter().filter(|s| selected.contains(&s.name)) {
            let after: Vec<StepId> = s
                .dependencies
                .iter()
                .filter_map(|d| ids.get(d.as_str()).copied())
                .collect();
            let id = plan.add(
                StepKind::DeployStack {
                    stack: s.name.clone(),
                    region: s.env.region.clone(),
                },
                &after,
            );
            ids.insert(&s.name, id);
        }
        plan
    }
}

fn check_names(asm: &Assembly, names: &[String]) -> Result<()> {
    for n in names {
        if !asm.stacks.iter().any(|s| &s.name == n) {
            let all: Vec<&str> = asm.stacks.iter().map(|s| s.name.as_str()).collect();
            return Err(Error::usage(format!(
                "the app has no stack `{n}`{}; its stacks are {}",
                suggest::hint(n, all.iter().copied()),
                all.join(", ")
            )));
        }
    }
    Ok(())
}

/// `names` grown until closed under `next`, in deploy order.
fn closure(asm: &Assembly, names: &[String], next: impl Fn(&str) -> Vec<String>) -> Vec<String> {
    let mut wanted: Vec<String> = names.to_vec();
    let mut i = 0;
    while i < wanted.len() {
        for d in next(&wanted[i]) {
            if !wanted.contains(&d) {
                wanted.push(d);
            }
        }
        i += 1;
    }
    asm.stacks
        .iter()
        .filter(|s| wanted.contains(&s.name))
        .map(|s| s.name.clone())
        .collect()
}

/// The stacks a command works on, in deploy order: those named (all when
/// none is), with the stacks they depend on unless `exclusively`. An unknown
/// name is an error with a suggestion.
pub fn select_stacks(asm: &Assembly, names: &[String], exclusively: bool) -> Result<Vec<String>> {
    if names.is_empty() {
        return Ok(asm.stacks.iter().map(|s| s.name.clone()).collect());
    }
    check_names(asm, names)?;
    if exclusively {
        return Ok(closure(asm, names, |_| Vec::new()));
    }
    Ok(closure(asm, names, |n| {
        asm.stacks
            .iter()
            .find(|s| s.name == n)
            .map(|s| s.dependencies.clone())
            .unwrap_or_default()
    }))
}

/// The stacks `destroy` works on, in deploy order: those named (all when
/// none is), with the stacks that depend on them unless `exclusively`.
pub fn select_dependents(
    asm: &Assembly,
    names: &[String],
    exclusively: bool,
) -> Result<Vec<String>> {
    if names.is_empty() {
        return Ok(asm.stacks.iter().map(|s| s.name.clone()).collect());
    }
    check_names(asm, names)?;
    if exclusively {
        return Ok(closure(asm, names, |_| Vec::new()));
    }
    Ok(closure(asm, names, |n| {
        asm.stacks
            .iter()
            .filter(|s| s.dependencies.iter().any(|d| d == n))
            .map(|s| s.name.clone())
            .collect()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    fn stack(n: &str) -> StepKind {
        StepKind::DeployStack {
            stack: n.into(),
            region: None,
        }
    }

    #[test]
    fn orders_topologically_and_finds_cycles() {
        let mut p = Plan::new();
        let c = p.add(stack("C"), &[]);
        let a = p.add(stack("A"), &[]);
        let b = p.add(stack("B"), &[a]);
        p.add_dependency(c, b);
        assert_eq!(p.order().unwrap(), vec![a, b, c]);
        p.add_dependency(a, c);
        assert!(p.order().unwrap_err().to_string().contains("cycle"));
    }

    #[test]
    fn a_step_added_before_another_takes_its_place() {
        let mut p = Plan::new();
        let net = p.add(stack("Net"), &[]);
        let app = p.add(stack("App"), &[net]);
        let seed = p.add_before(
            app,
            StepKind::SeedSecrets {
                stack: "App".into(),
                region: None,
            },
        );
        assert_eq!(p.steps()[seed].after, vec![net]);
        assert_eq!(p.order().unwrap(), vec![net, seed, app]);
        assert_eq!(p.steps()[seed].kind.label(), "secrets of App");
    }

    #[test]
    fn runs_dependencies_first_and_skips_after_a_failure() {
        let mut p = Plan::new();
        let net = p.add(stack("Net"), &[]);
        let db = p.add(stack("Db"), &[net]);
        let app = p.add(stack("App"), &[net, db]);
        let other = p.add(stack("Other"), &[]);
        let log = Mutex::new(Vec::new());
        let out = p
            .run(2, |s| {
                log.lock().unwrap().push(s.id);
                if s.id == db { Err("boom") } else { Ok(()) }
            })
            .unwrap();
        let log = log.into_inner().unwrap();
        assert!(log.iter().position(|x| *x == net) < log.iter().position(|x| *x == db));
        assert!(matches!(out[net], Outcome::Done));
        assert!(matches!(out[db], Outcome::Failed("boom")));
        assert!(matches!(out[app], Outcome::Skipped));
        assert!(!log.contains(&app));
        // `Other` was ready with `Net`: it ran, or was skipped after the failure.
        assert!(matches!(out[other], Outcome::Done | Outcome::Skipped));
    }

    #[test]
    fn independent_steps_overlap() {
        let mut p = Plan::new();
        p.add(stack("A"), &[]);
        p.add(stack("B"), &[]);
        // Each step waits until both have started: only parallel runs end.
        let started = Mutex::new(0);
        let cv = std::sync::Condvar::new();
        let out = p
            .run(2, |_| {
                let mut n = started.lock().unwrap();
                *n += 1;
                cv.notify_all();
                while *n < 2 {
                    n = cv.wait(n).unwrap();
                }
                Ok::<(), ()>(())
            })
            .unwrap();
        assert!(out.iter().all(|o| matches!(o, Outcome::Done)));
    }
}
