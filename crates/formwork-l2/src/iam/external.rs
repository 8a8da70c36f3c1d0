//! Typed grants on services the app calls but does not create: a SageMaker
//! endpoint, Bedrock models, a CloudWatch metric namespace. Each names
//! exactly what may be called, so an example never writes a statement by
//! hand.

use formwork_core::{Fn, Pseudo, Result, Scope, Value};

use super::grant::{GrantSpec, Grantee, grant_or_report};
use super::statement::PolicyStatement;

const INVOKE_ENDPOINT: &[GrantSpec] = &[GrantSpec {
    actions: &[
        "sagemaker:InvokeEndpoint",
        "sagemaker:InvokeEndpointWithResponseStream",
    ],
    arn: 0,
}];

const INVOKE_MODEL: &[GrantSpec] = &[GrantSpec {
    actions: &[
        "bedrock:InvokeModel",
        "bedrock:InvokeModelWithResponseStream",
    ],
    arn: 0,
}];

fn arn_of(service: &str, account: bool, resource: String) -> Value {
    let mut parts = vec![
        Value::from("arn:"),
        Pseudo::Partition.into(),
        Value::from(format!(":{service}:")),
        Pseudo::Region.into(),
        Value::from(":"),
    ];
    if account {
        parts.push(Pseudo::AccountId.into());
    }
    parts.push(Value::from(format!(":{resource}")));
    Fn::concat(parts).into()
}

/// A SageMaker real-time endpoint of the stack's account and region, by
/// name.
///
/// ```
/// use formwork::App;
/// use formwork::iam::{Principal, Role, RoleProps, SageMakerEndpoint};
/// let app = App::new();
/// let stack = app.stack("Vision")?;
/// let worker = Role::new(&stack, "Worker", RoleProps::new(Principal::service("lambda.amazonaws.com")))?;
/// SageMakerEndpoint::from_name(&stack, "Endpoint", "vision-endpoint")?.grant_invoke(&worker)?;
/// assert_eq!(worker.policy().statements()[0].get_actions(), ["sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream"]);
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct SageMakerEndpoint {
    node: Scope,
    name: String,
}

impl SageMakerEndpoint {
    /// The endpoint `name` (1 to 63 letters, digits and hyphens, not
    /// starting or ending with a hyphen; else error `FW2003` at synth).
    pub fn from_name(scope: &Scope, id: &str, name: &str) -> Result<SageMakerEndpoint> {
        let node = scope.child(id)?;
        let ok = (1..=63).contains(&name.len())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !name.starts_with('-')
            && !name.ends_with('-');
        if !ok {
            node.error(
                super::codes::EXTERNAL_NAME,
                "EndpointName",
                format!(
                    "SageMaker endpoint name `{name}` is not valid; allowed: 1 to 63 letters, digits and inner hyphens"
                ),
            );
        }
        Ok(SageMakerEndpoint {
            node,
            name: name.to_owned(),
        })
    }

    /// Its ARN (SageMaker writes endpoint names lower case in ARNs).
    pub fn arn(&self) -> Value {
        arn_of(
            "sagemaker",
            true,
            format!("endpoint/{}", self.name.to_ascii_lowercase()),
        )
    }

    /// Lets the grantee invoke this endpoint (`sagemaker:InvokeEndpoint`,
    /// `…WithResponseStream`) and no other.
    pub fn grant_invoke(&self, grantee: &dyn Grantee) -> Result<()> {
        grant_or_report(&self.node, grantee, INVOKE_ENDPOINT, &[self.arn()]);
        Ok(())
    }
}

/// Bedrock foundation models of the stack's region, by model id
/// (`anthropic.claude-3-haiku-20240307-v1:0`).
///
/// ```
/// use formwork::App;
/// use formwork::iam::{BedrockModels, Principal, Role, RoleProps};
/// let app = App::new();
/// let stack = app.stack("Vision")?;
/// let worker = Role::new(&stack, "Worker", RoleProps::new(Principal::service("lambda.amazonaws.com")))?;
/// BedrockModels::foundation(&stack, "Models", ["anthropic.claude-3-haiku-20240307-v1:0"])?.grant_invoke(&worker)?;
/// assert_eq!(worker.policy().statements()[0].get_actions(), ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]);
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct BedrockModels {
    node: Scope,
    ids: Vec<String>,
}

impl BedrockModels {
    /// The foundation models `ids`. An empty list, or an id with a
    /// character model ids never have (a wildcard, a slash, a space), is
    /// error `FW2003` at synth: a grant must name its models.
    pub fn foundation<S: Into<String>>(
        scope: &Scope,
        id: &str,
        ids: impl IntoIterator<Item = S>,
    ) -> Result<BedrockModels> {
        let node = scope.child(id)?;
        let ids: Vec<String> = ids.into_iter().map(Into::into).collect();
        if ids.is_empty() {
            node.error(
                super::codes::EXTERNAL_NAME,
                "ModelId",
                "no Bedrock model named; allowed: one or more model ids",
            );
        }
        for m in &ids {
            let ok = !m.is_empty()
                && m.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '_'));
            if !ok {
                node.error(
                    super::codes::EXTERNAL_NAME,
                    "ModelId",
                    format!(
                        "Bedrock model id `{m}` is not valid; allowed: letters, digits, `-`, `.`, `:` and `_` (no wildcards)"
                    ),
                );
            }
        }
        Ok(BedrockModels { node, ids })
    }

    /// The model ids.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// Lets the grantee invoke these models (`bedrock:InvokeModel`,
    /// `…WithResponseStream`) and no other.
    pub fn grant_invoke(&self, grantee: &dyn Grantee) -> Result<()> {
        for id in &self.ids {
            let arn = arn_of("bedrock", false, format!("foundation-model/{id}"));
            grant_or_report(&self.node, grantee, INVOKE_MODEL, &[arn]);
        }
        Ok(())
    }
}

/// A CloudWatch namespace an application publishes its own metrics to.
///
/// `cloudwatch:PutMetricData` takes no resource ARN: IAM only evaluates it
/// against `*`, so the grant limits it with the `cloudwatch:namespace`
/// condition key instead.
///
/// ```
/// use formwork::App;
/// use formwork::iam::{MetricNamespace, Principal, Role, RoleProps};
/// let app = App::new();
/// let stack = app.stack("Weather")?;
/// let task = Role::new(&stack, "Task", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")))?;
/// MetricNamespace::new(&stack, "Metrics", "WeatherComment")?.grant_put_metric_data(&task)?;
/// let t = app.synth()?.template_json("Weather").ok_or("no template")?;
/// let s = &t["Resources"]["Task"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0];
/// assert_eq!(s["Condition"]["StringEquals"]["cloudwatch:namespace"], "WeatherComment");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct MetricNamespace {
    node: Scope,
    name: String,
}

impl MetricNamespace {
    /// The namespace `name` (1 to 255 characters, not starting with `AWS/`,
    /// which is AWS's own; else error `FW2003` at synth).
    pub fn new(scope: &Scope, id: &str, name: &str) -> Result<MetricNamespace> {
        let node = scope.child(id)?;
        if name.is_empty() || name.len() > 255 || name.starts_with("AWS/") || name.contains('*') {
            node.error(
                super::codes::EXTERNAL_NAME,
                "Namespace",
                format!(
                    "metric namespace `{name}` is not valid; allowed: 1 to 255 characters, no wildcard, not starting with `AWS/`"
                ),
            );
        }
        Ok(MetricNamespace {
            node,
            name: name.to_owned(),
        })
    }

    /// The namespace.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Lets the grantee publish metrics in this namespace only.
    pub fn grant_put_metric_data(&self, grantee: &dyn Grantee) -> Result<()> {
        let actions = ["cloudwatch:PutMetricData"];
        let grantee: &dyn Grantee = grantee;
        if let Some(identity) = grantee.identity_or_report(&self.node, &actions) {
            identity.add_to_policy(
                PolicyStatement::allow()
                    .actions(actions)
                    .resource("*")
                    .condition("StringEquals", "cloudwatch:namespace", self.name.as_str()),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{Principal, Role, RoleProps};

    #[test]
    fn names_are_checked() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        SageMakerEndpoint::from_name(&s, "E", "-bad").unwrap();
        BedrockModels::foundation(&s, "M", ["anthropic.*"]).unwrap();
        BedrockModels::foundation(&s, "N", Vec::<String>::new()).unwrap();
        MetricNamespace::new(&s, "Ns", "AWS/ECS").unwrap();
        let err = app.synth().unwrap_err().to_string();
        for want in [
            "S/E EndpointName",
            "`-bad`",
            "S/M ModelId",
            "`anthropic.*`",
            "S/N ModelId: no Bedrock model named",
            "S/Ns Namespace",
        ] {
            assert!(err.contains(want), "{want} not in {err}");
        }
    }

    #[test]
    fn grants_name_exactly_the_endpoint_and_models() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        let role = Role::new(
            &s,
            "R",
            RoleProps::new(Principal::service("lambda.amazonaws.com")),
        )
        .unwrap();
        SageMakerEndpoint::from_name(&s, "E", "Vision-Endpoint")
            .unwrap()
            .grant_invoke(&role)
            .unwrap();
        BedrockModels::foundation(&s, "M", ["a.b-v1:0", "c.d-v2:0"])
            .unwrap()
            .grant_invoke(&role)
            .unwrap();
        let t = app.synth().unwrap().template_json("S").unwrap();
        let st = &t["Resources"]["R"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
        assert_eq!(
            st[0]["Resource"]["Fn::Sub"],
            "arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint/vision-endpoint"
        );
        let models = st[1]["Resource"].as_array().unwrap();
        assert_eq!(models.len(), 2);
        assert_eq!(
            models[1]["Fn::Sub"],
            "arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/c.d-v2:0"
        );
    }
}
