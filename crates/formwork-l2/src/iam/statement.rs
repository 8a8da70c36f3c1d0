//! Policy statements and principals.

use formwork_core::ValueMap;
use indexmap::IndexMap;

use formwork_core::{Expr, Fn, Pseudo, Value};

/// Allow or deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `Allow`
    Allow,
    /// `Deny`
    Deny,
}

/// Who a resource policy or trust policy is about.
#[derive(Clone, Debug, PartialEq)]
pub enum Principal {
    /// An AWS service (`lambda.amazonaws.com`).
    Service(String),
    /// An account, role or user ARN (or account id).
    Aws(Value),
    /// A federated identity provider: its name (`cognito-identity.amazonaws.com`)
    /// or the ARN of an OIDC or SAML provider.
    Federated(Value),
    /// Anyone (`"*"`): only in explicit resource policies.
    Any,
}

impl Principal {
    /// A service principal.
    pub fn service(name: impl Into<String>) -> Principal {
        Principal::Service(name.into())
    }

    /// A federated identity provider, by name or provider ARN (see
    /// [`RoleProps::web_identity`](super::RoleProps::web_identity)).
    pub fn federated(provider: impl Into<Value>) -> Principal {
        Principal::Federated(provider.into())
    }

    /// The account the stack deploys to (`arn:${AWS::Partition}:iam::${AWS::AccountId}:root`).
    pub fn this_account() -> Principal {
        Principal::Aws(
            Fn::concat([
                Value::from("arn:"),
                Pseudo::Partition.into(),
                Value::from(":iam::"),
                Pseudo::AccountId.into(),
                Value::from(":root"),
            ])
            .into(),
        )
    }

    fn key(&self) -> &'static str {
        match self {
            Principal::Service(_) => "Service",
            Principal::Aws(_) | Principal::Any => "AWS",
            Principal::Federated(_) => "Federated",
        }
    }

    fn value(&self) -> Value {
        match self {
            Principal::Service(s) => Value::from(s.as_str()),
            Principal::Aws(v) | Principal::Federated(v) => v.clone(),
            Principal::Any => Value::from("*"),
        }
    }
}

/// One statement of a policy document.
///
/// ```
/// use formwork::iam::PolicyStatement;
/// let s = PolicyStatement::allow()
///     .actions(["s3:GetObject"])
///     .resource("arn:aws:s3:::my-bucket/*");
/// assert_eq!(s.get_actions(), ["s3:GetObject"]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyStatement {
    sid: Option<String>,
    effect: Effect,
    actions: Vec<String>,
    not_actions: Vec<String>,
    resources: Vec<Value>,
    not_resources: Vec<Value>,
    principals: Vec<Principal>,
    conditions: IndexMap<String, ValueMap>,
}

impl PolicyStatement {
    /// An `Allow` statement with nothing in it yet.
    pub fn allow() -> Self {
        PolicyStatement {
            sid: None,
            effect: Effect::Allow,
            actions: Vec::new(),
            not_actions: Vec::new(),
            resources: Vec::new(),
            not_resources: Vec::new(),
            principals: Vec::new(),
            conditions: Default::default(),
        }
    }

    /// A `Deny` statement with nothing in it yet.
    pub fn deny() -> Self {
        PolicyStatement {
            effect: Effect::Deny,
            ..PolicyStatement::allow()
        }
    }

    /// The statement id.
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    /// Adds actions (`s3:GetObject`).
    pub fn actions<S: Into<String>>(mut self, actions: impl IntoIterator<Item = S>) -> Self {
        for a in actions {
            let a = a.into();
            if !self.actions.contains(&a) {
                self.actions.push(a);
            }
        }
        self
    }

    /// Adds `NotAction` entries.
    pub fn not_actions<S: Into<String>>(mut self, actions: impl IntoIterator<Item = S>) -> Self {
        self.not_actions.extend(actions.into_iter().map(Into::into));
        self
    }

    /// Adds one resource ARN (a literal or a reference).
    pub fn resource(mut self, arn: impl Into<Value>) -> Self {
        let v = arn.into();
        if !self.resources.contains(&v) {
            self.resources.push(v);
        }
        self
    }

    /// Adds resource ARNs.
    pub fn resources<V: Into<Value>>(self, arns: impl IntoIterator<Item = V>) -> Self {
        arns.into_iter().fold(self, |s, a| s.resource(a))
    }

    /// Adds `NotResource` entries.
    pub fn not_resources<V: Into<Value>>(mut self, arns: impl IntoIterator<Item = V>) -> Self {
        self.not_resources.extend(arns.into_iter().map(Into::into));
        self
    }

    /// Adds a principal (resource and trust policies).
    pub fn principal(mut self, p: Principal) -> Self {
        if !self.principals.contains(&p) {
            self.principals.push(p);
        }
        self
    }

    /// Adds a condition: `operator` (`Bool`, `StringEquals`, `ArnLike`, …),
    /// key and value.
    pub fn condition(mut self, operator: &str, key: &str, value: impl Into<Value>) -> Self {
        self.conditions
            .entry(operator.to_owned())
            .or_default()
            .insert(key.to_owned(), value.into());
        self
    }

    /// Allow or deny.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// The actions.
    pub fn get_actions(&self) -> &[String] {
        &self.actions
    }

    /// The resources.
    pub fn get_resources(&self) -> &[Value] {
        &self.resources
    }

    /// The principals.
    pub fn get_principals(&self) -> &[Principal] {
        &self.principals
    }

    /// True when two statements differ only in their actions.
    pub(crate) fn same_but_actions(&self, o: &PolicyStatement) -> bool {
        self.sid == o.sid
            && self.effect == o.effect
            && self.not_actions.is_empty()
            && o.not_actions.is_empty()
            && self.resources == o.resources
            && self.not_resources == o.not_resources
            && self.principals == o.principals
            && self.conditions == o.conditions
    }

    /// True when two statements differ only in their resources.
    pub(crate) fn same_but_resources(&self, o: &PolicyStatement) -> bool {
        self.sid == o.sid
            && self.effect == o.effect
            && self.actions == o.actions
            && self.not_actions == o.not_actions
            && self.not_resources.is_empty()
            && o.not_resources.is_empty()
            && self.principals == o.principals
            && self.conditions == o.conditions
    }

    /// Merges the actions of `o` into this one.
    pub(crate) fn absorb_actions(&mut self, o: &PolicyStatement) {
        for a in &o.actions {
            if !self.actions.contains(a) {
                self.actions.push(a.clone());
            }
        }
    }

    /// Merges the resources of `o` into this one.
    pub(crate) fn absorb_resources(&mut self, o: &PolicyStatement) {
        for r in &o.resources {
            if !self.resources.contains(r) {
                self.resources.push(r.clone());
            }
        }
    }

    /// The statement as policy JSON.
    pub fn to_value(&self) -> Value {
        let mut m: ValueMap = Default::default();
        if let Some(s) = &self.sid {
            m.insert("Sid".into(), s.as_str().into());
        }
        m.insert(
            "Effect".into(),
            match self.effect {
                Effect::Allow => "Allow",
                Effect::Deny => "Deny",
            }
            .into(),
        );
        if !self.principals.is_empty() {
            let mut p: ValueMap = Default::default();
            for pr in &self.principals {
                if matches!(pr, Principal::Any) && self.principals.len() == 1 {
                    m.insert("Principal".into(), pr.value());
                    p.clear();
                    break;
                }
                match p.get_mut(pr.key()) {
                    Some(Value::List(l)) => l.push(pr.value()),
                    Some(existing) => {
                        let first = std::mem::take(existing);
                        *existing = Value::List(vec![first, pr.value()]);
                    }
                    None => {
                        p.insert(pr.key().into(), pr.value());
                    }
                }
            }
            if !p.is_empty() {
                m.insert("Principal".into(), Value::Map(p));
            }
        }
        let one_or_list = |v: Vec<Value>| {
            if v.len() == 1 {
                v.into_iter().next().unwrap_or_default()
            } else {
                Value::List(v)
            }
        };
        if !self.actions.is_empty() {
            m.insert(
                "Action".into(),
                one_or_list(
                    self.actions
                        .iter()
                        .map(|a| Value::from(a.as_str()))
                        .collect(),
                ),
            );
        }
        if !self.not_actions.is_empty() {
            m.insert(
                "NotAction".into(),
                one_or_list(
                    self.not_actions
                        .iter()
                        .map(|a| Value::from(a.as_str()))
                        .collect(),
                ),
            );
        }
        if !self.resources.is_empty() {
            m.insert("Resource".into(), one_or_list(self.resources.clone()));
        }
        if !self.not_resources.is_empty() {
            m.insert(
                "NotResource".into(),
                one_or_list(self.not_resources.clone()),
            );
        }
        if !self.conditions.is_empty() {
            let c = self
                .conditions
                .iter()
                .map(|(op, kv)| {
                    (
                        op.clone(),
                        Value::Map(kv.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
                    )
                })
                .collect();
            m.insert("Condition".into(), Value::Map(c));
        }
        Value::Map(m)
    }
}

/// `arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<resource>`,
/// with region and account left empty where the service's ARNs have none.
pub fn arn(service: &str, regional: bool, with_account: bool, resource: impl Into<Value>) -> Expr {
    let mut parts = vec![
        Value::from("arn:"),
        Pseudo::Partition.into(),
        Value::from(format!(":{service}:")),
    ];
    if regional {
        parts.push(Pseudo::Region.into());
    }
    parts.push(Value::from(":"));
    if with_account {
        parts.push(Pseudo::AccountId.into());
    }
    parts.push(Value::from(":"));
    parts.push(resource.into());
    Fn::concat(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn json_of(v: &Value) -> serde_json::Value {
        let app = formwork_core::App::new();
        let s = app.stack("T").unwrap();
        formwork_test_support::filler(&s);
        s.add_output("O", formwork_core::Output::new(v.clone()))
            .unwrap();
        app.synth().unwrap().template_json("T").unwrap()["Outputs"]["O"]["Value"].clone()
    }

    #[test]
    fn statement_json_uses_single_values_and_merges_principals() {
        let s = PolicyStatement::allow()
            .actions(["sts:AssumeRole"])
            .principal(Principal::service("lambda.amazonaws.com"))
            .principal(Principal::service("edgelambda.amazonaws.com"));
        assert_eq!(
            json_of(&s.to_value()),
            json!({"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]}, "Action": "sts:AssumeRole"})
        );
        let d = PolicyStatement::deny()
            .principal(Principal::Any)
            .actions(["s3:*"])
            .resources(["a", "b"])
            .condition("Bool", "aws:SecureTransport", "false");
        assert_eq!(
            json_of(&d.to_value()),
            json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["a", "b"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
        );
    }

    #[test]
    fn arns_use_pseudo_parameters() {
        assert_eq!(
            json_of(&arn("logs", true, true, "log-group:/x").into()),
            json!({"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/x"})
        );
        assert_eq!(
            json_of(&arn("s3", false, false, "b").into()),
            json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::b"})
        );
    }
}
