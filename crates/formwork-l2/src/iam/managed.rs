//! Managed policies.

use formwork_core::{Expr, Fn, Pseudo, Result, Scope, Value};
use formwork_l1::iam::{CfnManagedPolicy, CfnManagedPolicyRef};

use super::document::PolicyDocument;
use super::role::Role;

/// A customer managed policy, attached to roles.
#[derive(Clone, Debug)]
pub struct ManagedPolicy {
    cfn: CfnManagedPolicyRef,
}

impl ManagedPolicy {
    /// The ARN of an AWS managed policy (`service-role/AWSLambdaBasicExecutionRole`).
    pub fn aws(name: &str) -> Expr {
        Fn::concat([
            Value::from("arn:"),
            Pseudo::Partition.into(),
            Value::from(format!(":iam::aws:policy/{name}")),
        ])
    }

    /// Adds a customer managed policy with a document, attached to `roles`.
    #[track_caller]
    pub fn new(
        scope: &Scope,
        id: &str,
        document: PolicyDocument,
        roles: &[&Role],
    ) -> Result<ManagedPolicy> {
        let mut cfn = CfnManagedPolicy::new().policy_document(document);
        if !roles.is_empty() {
            cfn = cfn.roles(roles.iter().map(|r| r.name()));
        }
        Ok(ManagedPolicy {
            cfn: scope.add(id, cfn)?,
        })
    }

    /// `Ref`: the policy ARN.
    pub fn arn(&self) -> Expr {
        self.cfn.ref_()
    }

    /// The L1 resource.
    pub fn cfn(&self) -> &CfnManagedPolicyRef {
        &self.cfn
    }
}
