//! Group: an IAM group whose policies apply to every user in it.

use formwork_core::typed::Str;
use formwork_core::{Expr, Result, Scope};
use formwork_l1::iam::{CfnGroup, CfnGroupRef, group};

use super::document::PolicyDocument;
use super::grant::Grantee;
use super::identity::{DefaultPolicy, Identity, ManagedList};
use super::statement::PolicyStatement;
use super::user::User;

/// What a [`Group`] is made with. Defaults: no name (CloudFormation
/// generates one), no permissions.
///
/// ```
/// use formwork::iam::GroupProps;
/// let props = GroupProps::new().group_name("operators");
/// # let _ = props;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupProps {
    group_name: Option<Str>,
    path: Option<String>,
    managed_policies: Vec<Str>,
}

impl GroupProps {
    /// The defaults (see [`GroupProps`]).
    pub fn new() -> Self {
        GroupProps::default()
    }
    /// A fixed group name (needs `CAPABILITY_NAMED_IAM` to deploy).
    pub fn group_name(mut self, name: impl Into<Str>) -> Self {
        self.group_name = Some(name.into());
        self
    }
    /// Its IAM path.
    pub fn path(mut self, p: impl Into<String>) -> Self {
        self.path = Some(p.into());
        self
    }
    /// A managed policy to attach.
    pub fn managed_policy(mut self, arn: impl Into<Str>) -> Self {
        self.managed_policies.push(arn.into());
        self
    }
}

/// An IAM group. Grants (`table.grant_read_data(&group)`) add statements
/// to its inline `DefaultPolicy`; they apply to every user added with
/// [`Group::add_user`] (or [`User::add_to_group`]).
///
/// ```
/// # #[cfg(feature = "s3")] {
/// use formwork::App;
/// use formwork::iam::{Group, GroupProps, User, UserProps};
/// use formwork::s3::{Bucket, BucketProps};
/// let app = App::new();
/// let stack = app.stack("Team")?;
/// let reports = Bucket::new(&stack, "Reports", BucketProps::new())?;
/// let analysts = Group::new(&stack, "Analysts", GroupProps::new())?;
/// reports.grant_read(&analysts)?;
/// analysts.add_user(&User::new(&stack, "Bo", UserProps::new())?);
/// # }
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Group {
    cfn: CfnGroupRef,
    scope: Scope,
    policy: DefaultPolicy,
    managed: ManagedList,
}

impl Group {
    /// Adds a group at `scope/id`.
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: GroupProps) -> Result<Group> {
        let node = scope.child(id)?;
        let mut cfn = CfnGroup::new();
        if let Some(n) = props.group_name {
            cfn = cfn.group_name(n);
        }
        if let Some(p) = props.path {
            cfn = cfn.path(p);
        }
        let g = Group {
            cfn: node.add_here(cfn)?,
            scope: node,
            policy: DefaultPolicy::default(),
            managed: ManagedList::default(),
        };
        for m in props.managed_policies {
            g.add_managed_policy(m);
        }
        Ok(g)
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnGroupRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// `Fn::GetAtt Arn`.
    pub fn arn(&self) -> Expr {
        self.cfn.arn()
    }

    /// `Ref`: the group name.
    pub fn name(&self) -> Expr {
        self.cfn.ref_()
    }

    /// Adds a statement to the group's inline default policy.
    pub fn add_to_policy(&self, statement: PolicyStatement) {
        self.policy.add(statement);
        // Written once, when the resource is next read: not rebuilt at
        // every grant.
        let policy = self.policy.clone();
        self.cfn
            .update_later::<CfnGroup>(DefaultPolicy::NAME, move |r| {
                r.policies([group::Policy::new()
                    .policy_name(DefaultPolicy::NAME)
                    .policy_document(policy.json())])
            });
    }

    /// Attaches a managed policy by ARN.
    pub fn add_managed_policy(&self, arn: impl Into<Str>) {
        self.managed.add(arn.into());
        let managed = self.managed.clone();
        self.cfn
            .update_later::<CfnGroup>("ManagedPolicyArns", move |r| {
                r.managed_policy_arns(managed.get())
            });
    }

    /// Adds a user to the group (the same as [`User::add_to_group`]).
    pub fn add_user(&self, user: &User) {
        user.add_to_group(self);
    }

    /// The inline default policy as it is now.
    pub fn policy(&self) -> PolicyDocument {
        self.policy.get()
    }
}

impl Grantee for Group {
    fn grant_identity(&self) -> Option<Identity> {
        Some(Identity::Group(self.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{GrantSpec, UserProps, grant};
    use formwork_core::App;
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    #[test]
    fn a_group_takes_grants_managed_policies_and_users() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let g = Group::new(
            &s,
            "Ops",
            GroupProps::new()
                .group_name("ops")
                .path("/team/")
                .managed_policy("arn:aws:iam::aws:policy/ReadOnlyAccess"),
        )
        .unwrap();
        const SPECS: &[GrantSpec] = &[GrantSpec {
            actions: &["sns:Publish"],
            arn: 0,
        }];
        assert!(grant(
            &g,
            SPECS,
            &["arn:aws:sns:us-east-1:123456789012:t".into()]
        ));
        let u = User::new(&s, "Alice", UserProps::new()).unwrap();
        g.add_user(&u);
        let t = template(&synth_and_lint(&app, "iam-group"), "S");
        let p = &t["Resources"]["Ops"]["Properties"];
        assert_eq!(p["GroupName"], "ops");
        assert_eq!(p["Path"], "/team/");
        assert_eq!(
            p["ManagedPolicyArns"],
            json!(["arn:aws:iam::aws:policy/ReadOnlyAccess"])
        );
        assert_eq!(
            p["Policies"][0]["PolicyDocument"]["Statement"][0]["Action"],
            "sns:Publish"
        );
        assert_eq!(
            t["Resources"]["Alice"]["Properties"]["Groups"],
            json!([{"Ref": "Ops"}])
        );
    }
}
