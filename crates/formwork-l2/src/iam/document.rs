//! Policy documents, with statements merged the way a reviewer would write them.

use formwork_core::Value;

use super::statement::PolicyStatement;

/// A policy document (`Version` 2012-10-17).
///
/// Adding a statement that differs from an existing one only in its
/// resources (or only in its actions) merges the two, so grants on one role
/// read as few statements as possible.
///
/// ```
/// use formwork::iam::{PolicyDocument, PolicyStatement};
/// let mut d = PolicyDocument::new();
/// d.add(PolicyStatement::allow().actions(["s3:GetObject"]).resource("arn:aws:s3:::a/*"));
/// d.add(PolicyStatement::allow().actions(["s3:GetObject"]).resource("arn:aws:s3:::b/*"));
/// assert_eq!(d.statements().len(), 1);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyDocument {
    statements: Vec<PolicyStatement>,
}

impl PolicyDocument {
    /// An empty document.
    pub fn new() -> Self {
        PolicyDocument::default()
    }

    /// A document of statements (merged as they are added).
    pub fn of(statements: impl IntoIterator<Item = PolicyStatement>) -> Self {
        let mut d = PolicyDocument::new();
        for s in statements {
            d.add(s);
        }
        d
    }

    /// Adds a statement, merging it into an existing one where only the
    /// resources or only the actions differ.
    pub fn add(&mut self, s: PolicyStatement) {
        if let Some(e) = self
            .statements
            .iter_mut()
            .find(|e| e.same_but_resources(&s))
        {
            e.absorb_resources(&s);
            return;
        }
        if let Some(e) = self.statements.iter_mut().find(|e| e.same_but_actions(&s)) {
            e.absorb_actions(&s);
            return;
        }
        self.statements.push(s);
    }

    /// The statements.
    pub fn statements(&self) -> &[PolicyStatement] {
        &self.statements
    }

    /// True when there is no statement.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The document as policy JSON.
    pub fn to_value(&self) -> Value {
        Value::object([
            ("Version", Value::from("2012-10-17")),
            (
                "Statement",
                Value::List(
                    self.statements
                        .iter()
                        .map(PolicyStatement::to_value)
                        .collect(),
                ),
            ),
        ])
    }
}

impl From<PolicyDocument> for formwork_core::typed::Json {
    fn from(d: PolicyDocument) -> Self {
        d.to_value().into()
    }
}

/// The policy JSON of a document borrowed: no copy of its statements.
impl From<&PolicyDocument> for formwork_core::typed::Json {
    fn from(d: &PolicyDocument) -> Self {
        d.to_value().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_by_resources_then_by_actions() {
        let mut d = PolicyDocument::new();
        d.add(PolicyStatement::allow().actions(["a:One"]).resource("r1"));
        d.add(PolicyStatement::allow().actions(["a:Two"]).resource("r1"));
        d.add(
            PolicyStatement::allow()
                .actions(["a:One", "a:Two"])
                .resource("r2"),
        );
        d.add(PolicyStatement::deny().actions(["a:One"]).resource("r1"));
        assert_eq!(d.statements().len(), 2);
        assert_eq!(d.statements()[0].get_actions(), ["a:One", "a:Two"]);
        assert_eq!(
            d.statements()[0].get_resources(),
            [Value::from("r1"), Value::from("r2")]
        );
    }

    #[test]
    fn adding_the_same_grant_twice_changes_nothing() {
        let s = PolicyStatement::allow().actions(["a:One"]).resource("r1");
        let d = PolicyDocument::of([s.clone(), s]);
        assert_eq!(d.statements().len(), 1);
    }
}
