//! Policy: an inline IAM policy (`AWS::IAM::Policy`) attached to roles.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::{Expr, Result, Scope};
use formwork_l1::iam::{CfnPolicy, CfnPolicyRef};

use super::document::PolicyDocument;
use super::role::Role;
use super::statement::PolicyStatement;

/// An inline policy of its own resource, attached to one or more roles:
/// for permissions that must exist separately from the role (to break a
/// dependency cycle, or to attach one document to several roles). Grants
/// normally go to a role's default policy instead.
///
/// ```
/// use formwork::App;
/// use formwork::iam::{Policy, PolicyDocument, PolicyStatement, Principal, Role, RoleProps};
/// let app = App::new();
/// let stack = app.stack("Demo")?;
/// let role = Role::new(&stack, "Worker", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")))?;
/// let policy = Policy::new(&stack, "ReadQueue", PolicyDocument::new(), &[&role])?;
/// policy.add_statement(PolicyStatement::allow().actions(["sqs:ReceiveMessage"]).resource("arn:aws:sqs:ap-northeast-1:123456789012:jobs"));
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Policy {
    cfn: CfnPolicyRef,
    document: Rc<RefCell<PolicyDocument>>,
}

impl Policy {
    /// Adds a policy named after its logical id, attached to `roles`.
    #[track_caller]
    pub fn new(
        scope: &Scope,
        id: &str,
        document: PolicyDocument,
        roles: &[&Role],
    ) -> Result<Policy> {
        let node = scope.child(id)?;
        let mut cfn = CfnPolicy::new()
            .policy_name(node.logical_id())
            .policy_document(document.clone());
        if !roles.is_empty() {
            cfn = cfn.roles(roles.iter().map(|r| r.name()));
        }
        Ok(Policy {
            cfn: node.add_here(cfn)?,
            document: Rc::new(RefCell::new(document)),
        })
    }

    /// Adds a statement (merged with the document's statements).
    pub fn add_statement(&self, statement: PolicyStatement) {
        let doc = {
            let mut d = self.document.borrow_mut();
            d.add(statement);
            d.clone()
        };
        self.cfn.update(|p| p.policy_document(doc));
    }

    /// Attaches the policy to another role.
    pub fn attach_to_role(&self, role: &Role) {
        let mut names: Vec<Expr> = Vec::new();
        self.cfn.inspect(|p| {
            if let Some(formwork_core::Value::List(items)) = p.get_roles() {
                names.extend(items.iter().filter_map(|v| v.as_expr().cloned()));
            }
        });
        let name = role.name();
        if !names.contains(&name) {
            names.push(name);
        }
        self.cfn.update(|p| p.roles(names));
    }

    /// The document as it is now.
    pub fn document(&self) -> PolicyDocument {
        self.document.borrow().clone()
    }

    /// The L1 resource.
    pub fn cfn(&self) -> &CfnPolicyRef {
        &self.cfn
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{Principal, RoleProps};
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    #[test]
    fn a_policy_attaches_one_document_to_several_roles() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        let a = Role::new(
            &s,
            "A",
            RoleProps::new(Principal::service("lambda.amazonaws.com")),
        )
        .unwrap();
        let b = Role::new(
            &s,
            "B",
            RoleProps::new(Principal::service("lambda.amazonaws.com")),
        )
        .unwrap();
        let p = Policy::new(&s, "Shared", PolicyDocument::new(), &[&a]).unwrap();
        p.add_statement(
            PolicyStatement::allow()
                .actions(["sqs:SendMessage"])
                .resource("arn:aws:sqs:us-east-1:123456789012:q"),
        );
        p.add_statement(
            PolicyStatement::allow()
                .actions(["sqs:GetQueueUrl"])
                .resource("arn:aws:sqs:us-east-1:123456789012:q"),
        );
        p.attach_to_role(&b);
        p.attach_to_role(&b);
        let t = template(&synth_and_lint(&app, "iam-policy"), "S");
        let props = &t["Resources"]["Shared"]["Properties"];
        assert_eq!(props["PolicyName"], "Shared");
        assert_eq!(props["Roles"], json!([{"Ref": "A"}, {"Ref": "B"}]));
        assert_eq!(
            props["PolicyDocument"]["Statement"],
            json!([{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:GetQueueUrl"], "Resource": "arn:aws:sqs:us-east-1:123456789012:q"}])
        );
    }
}
