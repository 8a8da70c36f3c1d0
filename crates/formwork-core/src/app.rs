//! The app: a set of stacks synthesized together.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::env::{Context, Environment};
use crate::error::{Error, Result};
use crate::expr::StackId;
use crate::rules::Rule;
use crate::spec::Region;
use crate::stack::Stack;

static NEXT_APP: AtomicU64 = AtomicU64::new(1);
// Stack ids are unique in the process, so a reference into another app's
// stack can never be mistaken for one of this app's.
static NEXT_STACK: AtomicU32 = AtomicU32::new(0);

struct AppShared {
    key: u64,
    context: Context,
    stacks: RefCell<Vec<Stack>>,
    rules: RefCell<Vec<Rc<dyn Rule>>>,
    regions: RefCell<&'static [Region]>,
}

/// An app: the stacks of one program, synthesized together so that
/// references between them become exports and imports.
///
/// ```
/// use formwork::{App, Context};
/// let app = App::with_context(Context::new().with_env("FORMWORK_REGION", "ap-northeast-1"));
/// let network = app.stack("Network")?;
/// assert_eq!(network.env().region.as_deref(), Some("ap-northeast-1"));
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone)]
pub struct App {
    shared: Rc<AppShared>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = self.stacks().iter().map(|s| s.name().to_owned()).collect();
        f.debug_struct("App").field("stacks", &names).finish()
    }
}

impl Default for App {
    fn default() -> Self {
        App::new()
    }
}

/// Checks a stack name against CloudFormation's rule.
pub fn validate_stack_name(name: &str) -> Result<()> {
    let reason = if name.is_empty() || name.len() > 128 {
        Some("a stack name is 1 to 128 characters")
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("a stack name starts with a letter")
    } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        Some("a stack name has only ASCII letters, digits and hyphens")
    } else {
        None
    };
    match reason {
        Some(r) => Err(Error::InvalidStackName {
            name: name.to_owned(),
            reason: r.to_owned(),
        }),
        None => Ok(()),
    }
}

impl App {
    /// An app with an empty context (nothing read from the machine).
    pub fn new() -> App {
        App::with_context(Context::new())
    }

    /// An app built with a context (`-c` values and environment variables).
    pub fn with_context(context: Context) -> App {
        App {
            shared: Rc::new(AppShared {
                key: NEXT_APP.fetch_add(1, Ordering::Relaxed),
                context,
                stacks: RefCell::new(Vec::new()),
                rules: RefCell::new(Vec::new()),
                regions: RefCell::new(&[]),
            }),
        }
    }

    /// The context the app was built with.
    pub fn context(&self) -> &Context {
        &self.shared.context
    }

    /// Adds a stack whose account and region come from the context
    /// (environment-agnostic when it names none).
    #[track_caller]
    pub fn stack(&self, name: &str) -> Result<Stack> {
        self.stack_in(name, Environment::agnostic())
    }

    /// Adds a stack in an environment; what it leaves unset comes from the context.
    #[track_caller]
    pub fn stack_in(&self, name: &str, env: Environment) -> Result<Stack> {
        validate_stack_name(name)?;
        let mut stacks = self.shared.stacks.borrow_mut();
        if stacks.iter().any(|s| s.name() == name) {
            return Err(Error::DuplicateStack(name.to_owned()));
        }
        let stack = Stack::new(
            StackId(NEXT_STACK.fetch_add(1, Ordering::Relaxed)),
            self.shared.key,
            name.to_owned(),
            env.or_from(&self.shared.context),
            self.shared.context.clone(),
        );
        stack.data_mut().location = Some(std::panic::Location::caller());
        stacks.push(stack.clone());
        Ok(stack)
    }

    /// The stacks, in the order they were added.
    pub fn stacks(&self) -> Vec<Stack> {
        self.shared.stacks.borrow().clone()
    }

    pub(crate) fn key(&self) -> u64 {
        self.shared.key
    }

    /// Adds a rule that synth runs over every template of the app (see
    /// [`rules`](crate::rules)).
    pub fn add_rule(&self, rule: impl Rule + 'static) -> &Self {
        self.shared.rules.borrow_mut().push(Rc::new(rule));
        self
    }

    /// Adds rules shared with other apps (a rule pack).
    pub fn add_shared_rule(&self, rule: Rc<dyn Rule>) -> &Self {
        self.shared.rules.borrow_mut().push(rule);
        self
    }

    /// The rules synth runs, in the order they were added.
    pub fn rules(&self) -> Vec<Rc<dyn Rule>> {
        self.shared.rules.borrow().clone()
    }

    /// Gives synth the regions AWS has and their availability zones: a
    /// region name outside the list is an error, and so is `Fn::Select` of
    /// a zone the stack's region does not have. Without them (the default
    /// of a bare engine app) region names are not judged.
    pub fn set_regions(&self, regions: &'static [Region]) -> &Self {
        *self.shared.regions.borrow_mut() = regions;
        self
    }

    /// The regions set by [`App::set_regions`].
    pub fn regions(&self) -> &'static [Region] {
        *self.shared.regions.borrow()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_names_follow_cloudformation_rules() {
        let app = App::new();
        assert!(app.stack("Media-Search2").is_ok());
        for bad in ["", "1abc", "a_b", "a b", &"a".repeat(129)] {
            assert!(
                matches!(app.stack(bad), Err(Error::InvalidStackName { .. })),
                "{bad} should be refused"
            );
        }
        assert!(matches!(
            app.stack("Media-Search2"),
            Err(Error::DuplicateStack(_))
        ));
    }
}
