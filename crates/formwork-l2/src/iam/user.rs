//! User: an IAM user (for a CI system or a tool outside AWS), with an inline
//! default policy that grants add to, and its groups.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Expr, Result, Scope};
use formwork_l1::iam::{CfnUser, CfnUserRef, user};

use super::document::PolicyDocument;
use super::grant::Grantee;
use super::group::Group;
use super::identity::{DefaultPolicy, Identity, ManagedList};
use super::statement::PolicyStatement;

/// What a [`User`] is made with.
///
/// Defaults: no name (CloudFormation generates one, so the stack can be
/// deployed twice), no console password, no access key, no permissions.
/// Give it permissions with grants (`bucket.grant_read(&user)`), groups or
/// managed policies; give it an access key with
/// [`AccessKey`](super::AccessKey), whose secret goes to Secrets Manager.
///
/// ```
/// use formwork::iam::UserProps;
/// let props = UserProps::new().user_name("ci-deployer").path("/ci/");
/// # let _ = props;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserProps {
    user_name: Option<Str>,
    path: Option<String>,
    managed_policies: Vec<Str>,
    permissions_boundary: Option<Str>,
    tags: Vec<(String, String)>,
}

impl UserProps {
    /// The defaults (see [`UserProps`]).
    pub fn new() -> Self {
        UserProps::default()
    }
    /// A fixed user name (needs `CAPABILITY_NAMED_IAM` to deploy).
    pub fn user_name(mut self, name: impl Into<Str>) -> Self {
        self.user_name = Some(name.into());
        self
    }
    /// Its IAM path (`/ci/`).
    pub fn path(mut self, p: impl Into<String>) -> Self {
        self.path = Some(p.into());
        self
    }
    /// A managed policy to attach (see [`super::ManagedPolicy::aws`]).
    pub fn managed_policy(mut self, arn: impl Into<Str>) -> Self {
        self.managed_policies.push(arn.into());
        self
    }
    /// A permissions boundary policy ARN.
    pub fn permissions_boundary(mut self, arn: impl Into<Str>) -> Self {
        self.permissions_boundary = Some(arn.into());
        self
    }
    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

/// An IAM user. Grants (`bucket.grant_read_write(&user)`) add
/// least-privilege statements to its inline `DefaultPolicy`, as they do
/// for a role.
///
/// ```
/// # #[cfg(feature = "s3")] {
/// use formwork::App;
/// use formwork::iam::{User, UserProps};
/// use formwork::s3::{Bucket, BucketProps};
/// let app = App::new();
/// let stack = app.stack("Shared")?;
/// let exports = Bucket::new(&stack, "Exports", BucketProps::new())?;
/// let partner = User::new(&stack, "Partner", UserProps::new())?;
/// exports.grant_read_write(&partner)?;
/// let t = app.synth()?.template_json("Shared").ok_or("no template")?;
/// assert_eq!(t["Resources"]["Partner"]["Properties"]["Policies"][0]["PolicyName"], "DefaultPolicy");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct User {
    cfn: CfnUserRef,
    scope: Scope,
    policy: DefaultPolicy,
    managed: ManagedList,
    groups: Rc<RefCell<Vec<Expr>>>,
}

impl User {
    /// Adds a user at `scope/id`.
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: UserProps) -> Result<User> {
        let node = scope.child(id)?;
        let mut cfn = CfnUser::new();
        if let Some(n) = props.user_name {
            cfn = cfn.user_name(n);
        }
        if let Some(p) = props.path {
            cfn = cfn.path(p);
        }
        if let Some(b) = props.permissions_boundary {
            cfn = cfn.permissions_boundary(b);
        }
        if !props.tags.is_empty() {
            cfn = cfn.tags(
                props
                    .tags
                    .iter()
                    .map(|(k, v)| user::Tag::new().key(k.as_str()).value(v.as_str())),
            );
        }
        let user = User {
            cfn: node.add_here(cfn)?,
            scope: node,
            policy: DefaultPolicy::default(),
            managed: ManagedList::default(),
            groups: Rc::default(),
        };
        for m in props.managed_policies {
            user.add_managed_policy(m);
        }
        Ok(user)
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnUserRef {
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

    /// `Ref`: the user name.
    pub fn name(&self) -> Expr {
        self.cfn.ref_()
    }

    /// Adds a statement to the user's inline default policy (merged with
    /// the statements already there).
    pub fn add_to_policy(&self, statement: PolicyStatement) {
        self.policy.add(statement);
        // Written once, when the resource is next read: not rebuilt at
        // every grant.
        let policy = self.policy.clone();
        self.cfn
            .update_later::<CfnUser>(DefaultPolicy::NAME, move |r| {
                r.policies([user::Policy::new()
                    .policy_name(DefaultPolicy::NAME)
                    .policy_document(policy.json())])
            });
    }

    /// Attaches a managed policy by ARN.
    pub fn add_managed_policy(&self, arn: impl Into<Str>) {
        self.managed.add(arn.into());
        let managed = self.managed.clone();
        self.cfn
            .update_later::<CfnUser>("ManagedPolicyArns", move |r| {
                r.managed_policy_arns(managed.get())
            });
    }

    /// Adds the user to a group (once), so the group's policies apply to it.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{Group, GroupProps, User, UserProps};
    /// let app = App::new();
    /// let stack = app.stack("People")?;
    /// let ops = Group::new(&stack, "Operators", GroupProps::new())?;
    /// let alice = User::new(&stack, "Alice", UserProps::new())?;
    /// alice.add_to_group(&ops);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn add_to_group(&self, group: &Group) {
        let list = {
            let mut g = self.groups.borrow_mut();
            let name = group.name();
            if !g.contains(&name) {
                g.push(name);
            }
            g.clone()
        };
        self.cfn.update(|r| r.groups(list));
    }

    /// The inline default policy as it is now.
    pub fn policy(&self) -> PolicyDocument {
        self.policy.get()
    }
}

impl Grantee for User {
    fn grant_identity(&self) -> Option<Identity> {
        Some(Identity::User(self.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{GrantSpec, Group, GroupProps, grant_or_report};
    use formwork_core::App;
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    #[test]
    fn a_user_has_no_name_no_password_and_no_permissions_by_default() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        User::new(&s, "Ci", UserProps::new()).unwrap();
        let t = template(&synth_and_lint(&app, "iam-user-defaults"), "S");
        assert_eq!(t["Resources"]["Ci"], json!({"Type": "AWS::IAM::User"}));
    }

    #[test]
    fn grants_groups_and_options_render() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let ops = Group::new(&s, "Ops", GroupProps::new()).unwrap();
        let u = User::new(
            &s,
            "Ci",
            UserProps::new()
                .user_name("ci")
                .path("/ci/")
                .managed_policy("arn:aws:iam::aws:policy/ReadOnlyAccess")
                .managed_policy("arn:aws:iam::aws:policy/ReadOnlyAccess")
                .tag("team", "platform"),
        )
        .unwrap();
        u.add_to_group(&ops);
        u.add_to_group(&ops);
        const SPECS: &[GrantSpec] = &[GrantSpec {
            actions: &["sqs:SendMessage"],
            arn: 0,
        }];
        assert!(grant_or_report(
            u.scope(),
            &u,
            SPECS,
            &["arn:aws:sqs:us-east-1:123456789012:q".into()]
        ));
        let t = template(&synth_and_lint(&app, "iam-user-options"), "S");
        let p = &t["Resources"]["Ci"]["Properties"];
        assert_eq!(p["UserName"], "ci");
        assert_eq!(p["Path"], "/ci/");
        assert_eq!(p["Groups"], json!([{"Ref": "Ops"}]));
        assert_eq!(
            p["ManagedPolicyArns"],
            json!(["arn:aws:iam::aws:policy/ReadOnlyAccess"])
        );
        assert_eq!(
            p["Policies"],
            json!([{"PolicyName": "DefaultPolicy", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:q"}
            ]}}])
        );
        assert_eq!(p["Tags"], json!([{"Key": "team", "Value": "platform"}]));
    }
}
