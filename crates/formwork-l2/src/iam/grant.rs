//! Grants: the one mechanism every service uses to give a principal
//! least-privilege access to a resource.
//!
//! A service describes its grants as data ([`GrantSpec`]: which actions apply
//! to which of the resource's ARNs), and [`grant`] adds one `Allow`
//! statement per ARN set to the grantee's identity (a role, a user or a
//! group), merged with what it already has. No wildcard action and no
//! `Resource: *` is ever produced.

use formwork_core::{Diagnostic, Scope, Value};

use super::identity::Identity;
use super::statement::PolicyStatement;

/// Something grants can be given to: an IAM identity that holds a policy
/// (a role, a user, a group) or something that acts with a role (a
/// function, a task, a state machine).
pub trait Grantee {
    /// The identity whose inline policy receives grants, or `None` when
    /// there is none formwork manages (a role imported by ARN).
    fn grant_identity(&self) -> Option<Identity>;
}

/// A set of actions on one kind of ARN of a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GrantSpec {
    /// The actions (`s3:GetObject`).
    pub actions: &'static [&'static str],
    /// Which ARN of the resource they apply to (the service decides what
    /// each index means: for S3, 0 is the bucket, 1 its objects).
    pub arn: usize,
}

/// Adds `Allow` statements for `specs` to the grantee's identity; `arns[i]`
/// is the resource ARN that `GrantSpec { arn: i, .. }` applies to. Returns
/// false when the grantee has no identity to grant to.
pub fn grant(grantee: &dyn Grantee, specs: &[GrantSpec], arns: &[Value]) -> bool {
    let Some(identity) = grantee.grant_identity() else {
        return false;
    };
    add_statements(&identity, specs, arns);
    true
}

/// Adds `Allow` statements for `specs` to `identity` (see [`grant`]).
pub fn add_statements(identity: &Identity, specs: &[GrantSpec], arns: &[Value]) {
    for spec in specs {
        if let Some(arn) = arns.get(spec.arn) {
            identity.add_to_policy(
                PolicyStatement::allow()
                    .actions(spec.actions.iter().copied())
                    .resource(arn.clone()),
            );
        }
    }
}

/// Diagnostic codes of the IAM layer.
pub mod codes {
    /// (warning) A grant to something that has no role, user or group
    /// formwork can add statements to (no role at all, or one imported by
    /// ARN): nothing was
    /// granted. The message names the actions; the path is the resource
    /// whose access was asked for.
    pub const GRANT_NO_ROLE: &str = "FW2001";
    /// A GitHub repository or branch in a deploy role's trust that would
    /// let more than the one repository's branch assume it.
    pub const GITHUB_SUBJECT: &str = "FW2002";
    /// A SageMaker endpoint name, Bedrock model id or metric namespace
    /// that AWS would refuse, or a wildcard in one.
    pub const EXTERNAL_NAME: &str = "FW2003";
}

/// [`grant`], reporting a grantee without a role as a `FW2001` warning on
/// `resource` (the construct whose access was asked for), so that a grant
/// that cannot be written is never silently dropped. The warning names
/// every action of `specs`; its fix says how to give them by hand.
///
/// Every service's `grant_*` methods go through this (or through
/// [`identity_or_report`](trait.Grantee.html#method.identity_or_report)
/// when a grant is not only [`GrantSpec`]s), so a grant to something
/// without a role reads the same everywhere.
///
/// ```
/// use formwork::App;
/// use formwork::iam::{GrantSpec, Principal, Role, RoleProps, grant_or_report};
/// let app = App::new();
/// let stack = app.stack("Demo")?;
/// let queue = stack.child("Queue")?;
/// let role = Role::new(&stack, "Worker", RoleProps::new(Principal::service("lambda.amazonaws.com")))?;
/// const SEND: &[GrantSpec] = &[GrantSpec { actions: &["sqs:SendMessage"], arn: 0 }];
/// assert!(grant_or_report(&queue, &role, SEND, &["arn:aws:sqs:ap-northeast-1:123456789012:jobs".into()]));
/// # Ok::<(), formwork::Error>(())
/// ```
pub fn grant_or_report(
    resource: &Scope,
    grantee: &dyn Grantee,
    specs: &[GrantSpec],
    arns: &[Value],
) -> bool {
    let actions: Vec<&str> = specs
        .iter()
        .flat_map(|s| s.actions.iter().copied())
        .collect();
    match grantee.identity_or_report(resource, &actions) {
        Some(identity) => {
            add_statements(&identity, specs, arns);
            true
        }
        None => false,
    }
}

impl dyn Grantee + '_ {
    /// The identity to grant to, or `None` after reporting the `FW2001`
    /// warning of [`grant_or_report`] on `resource`, naming `actions`
    /// (each once). For grants that [`GrantSpec`]s cannot describe
    /// (actions chosen at run time, statements with conditions): the
    /// caller adds its statements to the identity it gets.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{Grantee, PolicyStatement, Principal, Role, RoleProps};
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let table = stack.child("Table")?;
    /// let role = Role::new(&stack, "Worker", RoleProps::new(Principal::service("lambda.amazonaws.com")))?;
    /// let grantee: &dyn Grantee = &role;
    /// let actions = ["dynamodb:GetItem"];
    /// if let Some(identity) = grantee.identity_or_report(&table, &actions) {
    ///     identity.add_to_policy(PolicyStatement::allow().actions(actions).resource("arn:aws:dynamodb:ap-northeast-1:123456789012:table/t"));
    /// }
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn identity_or_report(&self, resource: &Scope, actions: &[&str]) -> Option<Identity> {
        let identity = self.grant_identity();
        if identity.is_none() {
            let mut named: Vec<&str> = Vec::with_capacity(actions.len());
            for a in actions {
                if !named.contains(a) {
                    named.push(a);
                }
            }
            resource.report(
                Diagnostic::warning(
                    codes::GRANT_NO_ROLE,
                    resource.path(),
                    format!(
                        "the grantee has no role, so {} was not granted",
                        named.join(", ")
                    ),
                )
                .fix("grant to a role, user or group, or to a function or task whose role formwork manages (not one imported by ARN); or give the grantee an Allow statement for these actions on this resource yourself"),
            );
        }
        identity
    }
}

/// Test stand-ins shared by every service's tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Grantee, Identity};

    /// A grantee without a role (an imported principal, say).
    pub(crate) struct NoRole;

    impl Grantee for NoRole {
        fn grant_identity(&self) -> Option<Identity> {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{Principal, Role, RoleProps};

    #[test]
    fn grants_merge_into_one_statement_per_arn() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        let role = Role::new(
            &s,
            "R",
            RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")),
        )
        .unwrap();
        const SPECS: &[GrantSpec] = &[
            GrantSpec {
                actions: &["s3:GetObject", "s3:PutObject"],
                arn: 1,
            },
            GrantSpec {
                actions: &["s3:ListBucket"],
                arn: 0,
            },
        ];
        assert!(grant(&role, SPECS, &["bucket".into(), "bucket/*".into()]));
        assert!(grant(
            &role,
            &SPECS[..1],
            &["bucket".into(), "bucket/*".into()]
        ));
        let doc = role.policy();
        assert_eq!(doc.statements().len(), 2);
        assert_eq!(
            doc.statements()[0].get_actions(),
            ["s3:GetObject", "s3:PutObject"]
        );
        let t = app.synth().unwrap().template_json("S").unwrap();
        let policy = &t["Resources"]["R"]["Properties"]["Policies"][0];
        assert_eq!(policy["PolicyName"], "DefaultPolicy");
        assert_eq!(
            policy["PolicyDocument"]["Statement"][1]["Action"],
            "s3:ListBucket"
        );
    }

    use crate::iam::testing::NoRole;

    #[test]
    fn a_grantee_without_a_role_is_reported() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        formwork_test_support::filler(&s);
        let node = s.child("Bucket").unwrap();
        const SPECS: &[GrantSpec] = &[GrantSpec {
            actions: &["s3:GetObject"],
            arn: 0,
        }];
        assert!(!grant_or_report(&node, &NoRole, SPECS, &["b".into()]));
        let asm = app.synth().unwrap();
        assert_eq!(asm.warnings.0[0].code, codes::GRANT_NO_ROLE);
        assert_eq!(asm.warnings.0[0].path, "S/Bucket");
        assert!(
            asm.warnings.0[0]
                .message
                .contains("s3:GetObject was not granted")
        );
    }

    #[test]
    fn role_or_report_names_every_action_and_how_to_fix_it() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        let node = s.child("Files").unwrap();
        let role = Role::new(
            &s,
            "R",
            RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")),
        )
        .unwrap();
        let with_role: &dyn Grantee = &role;
        let actions = [
            "elasticfilesystem:ClientMount",
            "kms:Decrypt",
            "elasticfilesystem:ClientMount",
        ];
        assert!(with_role.identity_or_report(&node, &actions).is_some());
        let without: &dyn Grantee = &NoRole;
        assert!(without.identity_or_report(&node, &actions).is_none());
        let asm = app.synth().unwrap();
        let w: Vec<_> = asm.warnings.with_code(codes::GRANT_NO_ROLE).collect();
        assert_eq!(w.len(), 1, "only the grantee without a role is reported");
        assert_eq!(w[0].path, "S/Files");
        assert_eq!(
            w[0].message,
            "the grantee has no role, so elasticfilesystem:ClientMount, kms:Decrypt was not granted"
        );
        assert!(
            w[0].fix.as_deref().is_some_and(
                |f| f.contains("an Allow statement for these actions on this resource")
            )
        );
    }
}
