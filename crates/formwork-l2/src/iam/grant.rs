//! Grants: the one mechanism every service uses to give a principal
//! least-privilege access to a resource.
//!
//! A service describes its grants as data ([`GrantSpec`]: which actions apply
//! to which of the resource's ARNs), and [`grant`] adds one `Allow`
//! statement per ARN set to the grantee's role, merged with what the role
//! already has. No wildcard action and no `Resource: *` is ever produced.

use formwork_core::{Diagnostic, Scope, Value};

use super::role::Role;
use super::statement::PolicyStatement;

/// Something that acts with an IAM role: a role, a function, a task, a
/// state machine.
pub trait Grantee {
    /// The role that receives grants.
    fn grant_role(&self) -> Option<Role>;
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

/// Adds `Allow` statements for `specs` to the grantee's role; `arns[i]` is
/// the resource ARN that `GrantSpec { arn: i, .. }` applies to. Returns
/// false when the grantee has no role to grant to.
pub fn grant(grantee: &dyn Grantee, specs: &[GrantSpec], arns: &[Value]) -> bool {
    let Some(role) = grantee.grant_role() else {
        return false;
    };
    for spec in specs {
        if let Some(arn) = arns.get(spec.arn) {
            role.add_to_policy(
                PolicyStatement::allow()
                    .actions(spec.actions.iter().copied())
                    .resource(arn.clone()),
            );
        }
    }
    true
}

/// Diagnostic codes of the IAM layer.
pub mod codes {
    /// (warning) A grant to something that has no role: nothing was granted.
    pub const GRANT_NO_ROLE: &str = "FW2001";
}

/// [`grant`], reporting a grantee without a role as a `FW2001` warning on
/// `resource` (the construct whose access was asked for), so that a grant
/// that cannot be written is never silently dropped.
pub fn grant_or_report(
    resource: &Scope,
    grantee: &dyn Grantee,
    specs: &[GrantSpec],
    arns: &[Value],
) -> bool {
    if grant(grantee, specs, arns) {
        return true;
    }
    let actions: Vec<&str> = specs
        .iter()
        .flat_map(|s| s.actions.iter().copied())
        .collect();
    resource.report(
        Diagnostic::warning(
            codes::GRANT_NO_ROLE,
            resource.path(),
            format!("the grantee has no role, so {} was not granted", actions.join(", ")),
        )
        .fix("grant to a role, a function or a task with a role, or add the statements to the grantee's policy yourself"),
    );
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{Principal, RoleProps};

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

    struct NoRole;
    impl Grantee for NoRole {
        fn grant_role(&self) -> Option<Role> {
            None
        }
    }

    #[test]
    fn a_grantee_without_a_role_is_reported() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
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
}
