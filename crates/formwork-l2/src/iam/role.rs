//! Role: an IAM role with a trust policy and an inline default policy that
//! grants add to.

use formwork_core::typed::Str;
use formwork_core::{Expr, Result, Scope, Value};
use formwork_l1::iam::{CfnRole, CfnRoleRef, role};

use super::document::PolicyDocument;
use super::grant::Grantee;
use super::identity::{DefaultPolicy, Identity, ManagedList};
use super::statement::{PolicyStatement, Principal};

/// What a [`Role`] is made with.
///
/// ```
/// use formwork::iam::{Principal, RoleProps};
/// let props = RoleProps::new(Principal::service("lambda.amazonaws.com"))
///     .description("Runs the chat proxy");
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RoleProps {
    assumed_by: Vec<Principal>,
    role_name: Option<Str>,
    description: Option<String>,
    path: Option<String>,
    managed_policies: Vec<Str>,
    max_session_duration: Option<u32>,
    permissions_boundary: Option<Str>,
    trust_conditions: Vec<(String, String, Value)>,
    web_identity: bool,
}

impl RoleProps {
    /// A role the principal may assume. No name (CloudFormation generates
    /// one, so the stack can be deployed twice), no permissions.
    pub fn new(assumed_by: Principal) -> Self {
        RoleProps {
            assumed_by: vec![assumed_by],
            role_name: None,
            description: None,
            path: None,
            managed_policies: Vec::new(),
            max_session_duration: None,
            permissions_boundary: None,
            trust_conditions: Vec::new(),
            web_identity: false,
        }
    }

    /// A role assumed through an OIDC identity provider
    /// (`sts:AssumeRoleWithWebIdentity`), only by tokens meeting every
    /// condition `(operator, key, value)`: a trust without conditions
    /// would let any identity of that provider in, so give at least the
    /// audience and the subject (see [`GithubOidcProvider`](super::GithubOidcProvider)).
    ///
    /// ```
    /// use formwork::iam::RoleProps;
    /// let props = RoleProps::web_identity(
    ///     "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
    ///     [("StringEquals", "token.actions.githubusercontent.com:aud", "sts.amazonaws.com")],
    /// );
    /// # let _ = props;
    /// ```
    pub fn web_identity<V: Into<Value>>(
        provider_arn: impl Into<Value>,
        conditions: impl IntoIterator<Item = (&'static str, &'static str, V)>,
    ) -> Self {
        let mut props = RoleProps::new(Principal::federated(provider_arn));
        props.web_identity = true;
        props.trust_conditions = conditions
            .into_iter()
            .map(|(op, key, v)| (op.to_owned(), key.to_owned(), v.into()))
            .collect();
        props
    }

    /// Adds a condition to the trust policy (`StringEquals`, key, value).
    pub fn trust_condition(
        mut self,
        operator: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<Value>,
    ) -> Self {
        self.trust_conditions
            .push((operator.into(), key.into(), value.into()));
        self
    }
    /// Another principal that may assume it.
    pub fn also_assumed_by(mut self, p: Principal) -> Self {
        self.assumed_by.push(p);
        self
    }
    /// A fixed role name (needs `CAPABILITY_NAMED_IAM` to deploy).
    pub fn role_name(mut self, name: impl Into<Str>) -> Self {
        self.role_name = Some(name.into());
        self
    }
    /// Its description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Its IAM path.
    pub fn path(mut self, p: impl Into<String>) -> Self {
        self.path = Some(p.into());
        self
    }
    /// A managed policy to attach (see [`super::ManagedPolicy::aws`]).
    pub fn managed_policy(mut self, arn: impl Into<Str>) -> Self {
        self.managed_policies.push(arn.into());
        self
    }
    /// Maximum session duration in seconds (3600 to 43200).
    pub fn max_session_duration(mut self, seconds: u32) -> Self {
        self.max_session_duration = Some(seconds);
        self
    }
    /// A permissions boundary policy ARN.
    pub fn permissions_boundary(mut self, arn: impl Into<Str>) -> Self {
        self.permissions_boundary = Some(arn.into());
        self
    }
}

/// An IAM role. Grants (`bucket.grant_read(&role)`) add least-privilege
/// statements to its inline `DefaultPolicy`, merged per role.
#[derive(Clone, Debug)]
pub struct Role {
    cfn: CfnRoleRef,
    scope: Scope,
    policy: DefaultPolicy,
    managed: ManagedList,
}

impl Role {
    /// Adds a role at `scope/id`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{PolicyStatement, Principal, Role, RoleProps};
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let role = Role::new(&stack, "Worker", RoleProps::new(Principal::service("states.amazonaws.com")))?;
    /// role.add_to_policy(PolicyStatement::allow().actions(["lambda:InvokeFunction"]).resource("arn:aws:lambda:::function:x"));
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: RoleProps) -> Result<Role> {
        let node = scope.child(id)?;
        let action = if props.web_identity {
            "sts:AssumeRoleWithWebIdentity"
        } else {
            "sts:AssumeRole"
        };
        let mut trust = PolicyStatement::allow().actions([action]);
        for p in props.assumed_by {
            trust = trust.principal(p);
        }
        for (op, key, value) in props.trust_conditions {
            trust = trust.condition(&op, &key, value);
        }
        let mut cfn = CfnRole::new().assume_role_policy_document(PolicyDocument::of([trust]));
        if let Some(n) = props.role_name {
            cfn = cfn.role_name(n);
        }
        if let Some(d) = props.description {
            cfn = cfn.description(d);
        }
        if let Some(p) = props.path {
            cfn = cfn.path(p);
        }
        if let Some(s) = props.max_session_duration {
            cfn = cfn.max_session_duration(s);
        }
        if let Some(b) = props.permissions_boundary {
            cfn = cfn.permissions_boundary(b);
        }
        let cfn = node.add_here(cfn)?;
        let role = Role {
            cfn,
            scope: node,
            policy: DefaultPolicy::default(),
            managed: ManagedList::default(),
        };
        for m in props.managed_policies {
            role.add_managed_policy(m);
        }
        Ok(role)
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnRoleRef {
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

    /// `Ref`: the role name.
    pub fn name(&self) -> Expr {
        self.cfn.ref_()
    }

    /// Adds a statement to the role's inline default policy (merged with
    /// the statements already there).
    pub fn add_to_policy(&self, statement: PolicyStatement) {
        self.policy.add(statement);
        // Written once, when the resource is next read: not rebuilt at
        // every grant.
        let policy = self.policy.clone();
        self.cfn
            .update_later::<CfnRole>(DefaultPolicy::NAME, move |r| {
                r.policies([role::Policy::new()
                    .policy_name(DefaultPolicy::NAME)
                    .policy_document(policy.json())])
            });
    }

    /// Attaches a managed policy by ARN.
    pub fn add_managed_policy(&self, arn: impl Into<Str>) {
        self.managed.add(arn.into());
        let managed = self.managed.clone();
        self.cfn
            .update_later::<CfnRole>("ManagedPolicyArns", move |r| {
                r.managed_policy_arns(managed.get())
            });
    }

    /// The inline default policy as it is now.
    pub fn policy(&self) -> PolicyDocument {
        self.policy.get()
    }
}

impl Grantee for Role {
    fn grant_identity(&self) -> Option<Identity> {
        Some(Identity::Role(self.clone()))
    }
}
