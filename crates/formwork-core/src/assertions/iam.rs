//! What a role may do: the statements of its inline policies and of the
//! policies attached to it in the template.

use serde_json::Value as Json;

use super::Template;

fn statements_of(document: &Json) -> Vec<Json> {
    match &document["Statement"] {
        Json::Array(s) => s.clone(),
        Json::Null => Vec::new(),
        one => vec![one.clone()],
    }
}

fn names_role(roles: &Json, role: &str) -> bool {
    roles
        .as_array()
        .is_some_and(|rs| rs.iter().any(|r| r["Ref"] == role))
}

impl Template {
    /// Every policy statement that applies to the role with this logical
    /// id: its inline `Policies`, then `AWS::IAM::Policy` and
    /// `AWS::IAM::ManagedPolicy` resources that name it in `Roles`.
    pub fn iam_statements(&self, role: &str) -> Vec<Json> {
        let mut out = Vec::new();
        if let Some(Json::Array(policies)) = self.resource(role)["Properties"].get("Policies") {
            for p in policies {
                out.extend(statements_of(&p["PolicyDocument"]));
            }
        }
        for ty in ["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"] {
            for (_, r) in self.resources_of_type(ty) {
                if names_role(&r["Properties"]["Roles"], role) {
                    out.extend(statements_of(&r["Properties"]["PolicyDocument"]));
                }
            }
        }
        out
    }

    /// The actions the role is allowed (`Effect: Allow`), sorted, once each.
    ///
    /// ```
    /// use formwork::testing::Template;
    /// use serde_json::json;
    /// let t = Template::from_json(json!({"Resources": {
    ///     "FnRole": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyDocument":
    ///         {"Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]}}]}},
    ///     "FnPolicy": {"Type": "AWS::IAM::Policy", "Properties": {"Roles": [{"Ref": "FnRole"}],
    ///         "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]}}}
    /// }}));
    /// assert_eq!(t.iam_actions("FnRole"), ["logs:PutLogEvents", "s3:GetObject", "s3:ListBucket"]);
    /// ```
    pub fn iam_actions(&self, role: &str) -> Vec<String> {
        let mut actions: Vec<String> = self
            .iam_statements(role)
            .iter()
            .filter(|s| s["Effect"] == "Allow")
            .flat_map(|s| match &s["Action"] {
                Json::String(a) => vec![a.clone()],
                Json::Array(a) => a
                    .iter()
                    .filter_map(Json::as_str)
                    .map(str::to_owned)
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        actions.sort();
        actions.dedup();
        actions
    }
}
