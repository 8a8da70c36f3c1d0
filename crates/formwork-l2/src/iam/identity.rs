//! Identity: what can hold an identity-based policy (a role, a user or a
//! group), so that grants work on each of them the same way.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::{Expr, Scope};

use super::document::PolicyDocument;
use super::group::Group;
use super::role::Role;
use super::statement::PolicyStatement;
use super::user::User;

/// An IAM identity formwork manages, which grants add statements to: a
/// [`Role`], a [`User`] or a [`Group`]. Each keeps one inline policy,
/// `DefaultPolicy`, that grants merge into.
///
/// ```
/// use formwork::App;
/// use formwork::iam::{Identity, PolicyStatement, User, UserProps};
/// let app = App::new();
/// let stack = app.stack("Demo")?;
/// let user = User::new(&stack, "Ci", UserProps::new())?;
/// let identity = Identity::from(user);
/// identity.add_to_policy(PolicyStatement::allow().actions(["s3:ListAllMyBuckets"]).resource("*"));
/// assert_eq!(identity.policy().statements().len(), 1);
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub enum Identity {
    /// A role.
    Role(Role),
    /// A user.
    User(User),
    /// A group (its statements apply to every user in it).
    Group(Group),
}

impl Identity {
    /// Adds a statement to the identity's inline default policy (merged
    /// with the statements already there).
    pub fn add_to_policy(&self, statement: PolicyStatement) {
        match self {
            Identity::Role(r) => r.add_to_policy(statement),
            Identity::User(u) => u.add_to_policy(statement),
            Identity::Group(g) => g.add_to_policy(statement),
        }
    }

    /// The inline default policy as it is now.
    pub fn policy(&self) -> PolicyDocument {
        match self {
            Identity::Role(r) => r.policy(),
            Identity::User(u) => u.policy(),
            Identity::Group(g) => g.policy(),
        }
    }

    /// The identity's construct scope.
    pub fn scope(&self) -> &Scope {
        match self {
            Identity::Role(r) => r.scope(),
            Identity::User(u) => u.scope(),
            Identity::Group(g) => g.scope(),
        }
    }

    /// The identity's ARN (`Fn::GetAtt Arn`).
    pub fn arn(&self) -> Expr {
        match self {
            Identity::Role(r) => r.arn(),
            Identity::User(u) => u.arn(),
            Identity::Group(g) => g.arn(),
        }
    }

    /// The role, when the identity is one.
    pub fn as_role(&self) -> Option<&Role> {
        match self {
            Identity::Role(r) => Some(r),
            _ => None,
        }
    }
}

impl From<Role> for Identity {
    fn from(r: Role) -> Self {
        Identity::Role(r)
    }
}

impl From<User> for Identity {
    fn from(u: User) -> Self {
        Identity::User(u)
    }
}

impl From<Group> for Identity {
    fn from(g: Group) -> Self {
        Identity::Group(g)
    }
}

/// The inline `DefaultPolicy` document of a role, user or group: shared
/// between the handles of one identity, written back by its owner.
#[derive(Clone, Debug, Default)]
pub(crate) struct DefaultPolicy(Rc<RefCell<PolicyDocument>>);

impl DefaultPolicy {
    /// The name of the inline policy grants go to.
    pub(crate) const NAME: &'static str = "DefaultPolicy";

    /// Adds `statement`.
    pub(crate) fn add(&self, statement: PolicyStatement) {
        self.0.borrow_mut().add(statement);
    }

    /// The document as it is now.
    pub(crate) fn get(&self) -> PolicyDocument {
        self.0.borrow().clone()
    }

    /// The document as it is now, as policy JSON (no copy of it first).
    pub(crate) fn json(&self) -> formwork_core::typed::Json {
        (&*self.0.borrow()).into()
    }
}

/// A list of managed policy ARNs without duplicates, shared like
/// [`DefaultPolicy`].
#[derive(Clone, Debug, Default)]
pub(crate) struct ManagedList(Rc<RefCell<Vec<formwork_core::typed::Str>>>);

impl ManagedList {
    /// Adds `arn` (once).
    pub(crate) fn add(&self, arn: formwork_core::typed::Str) {
        let mut l = self.0.borrow_mut();
        if !l.contains(&arn) {
            l.push(arn);
        }
    }

    /// The list as it is now.
    pub(crate) fn get(&self) -> Vec<formwork_core::typed::Str> {
        self.0.borrow().clone()
    }
}
