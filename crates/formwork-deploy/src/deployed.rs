//! What is deployed: a stack's status, template, outputs and parameters,
//! read with the AWS CLI.

use serde_json::Value as Json;

use crate::aws::{Aws, AwsError, words};

/// A deployed stack, as `describe-stacks` reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct StackInfo {
    /// Its status (`CREATE_COMPLETE`, `REVIEW_IN_PROGRESS`...).
    pub status: String,
    /// Its outputs: key, value.
    pub outputs: Vec<(String, String)>,
    /// Its parameters: key, value.
    pub parameters: Vec<(String, String)>,
    /// Its stack id.
    pub id: String,
    /// Its template's description.
    pub description: String,
}

impl StackInfo {
    /// The account in the stack's id
    /// (`arn:aws:cloudformation:<region>:<account>:stack/...`).
    pub fn account(&self) -> Option<&str> {
        self.id.split(':').nth(4).filter(|a| !a.is_empty())
    }

    /// True when the stack was never created: a change set made it and no
    /// change set was executed.
    pub fn never_created(&self) -> bool {
        self.status == "REVIEW_IN_PROGRESS"
    }
}

fn missing(e: &AwsError) -> bool {
    e.stderr.contains("does not exist")
}

/// The stack, or `None` when there is none by that name.
pub fn describe(
    aws: &Aws,
    stack: &str,
    region: Option<&str>,
) -> Result<Option<StackInfo>, AwsError> {
    let j = match aws.json(
        &words(&["cloudformation", "describe-stacks", "--stack-name", stack]),
        region,
    ) {
        Ok(j) => j,
        Err(e) if missing(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(j.pointer("/Stacks/0").map(info))
}

/// Every stack of a region, by name, in one call (deleted stacks left out).
pub fn describe_all(
    aws: &Aws,
    region: Option<&str>,
) -> Result<std::collections::HashMap<String, StackInfo>, AwsError> {
    let j = aws.json(&words(&["cloudformation", "describe-stacks"]), region)?;
    let mut all = std::collections::HashMap::new();
    for s in j
        .get("Stacks")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let i = info(s);
        if i.status == "DELETE_COMPLETE" {
            continue;
        }
        if let Some(name) = s.get("StackName").and_then(Json::as_str) {
            all.insert(name.to_owned(), i);
        }
    }
    Ok(all)
}

fn info(s: &Json) -> StackInfo {
    let pairs = |key: &str, k: &str, v: &str| -> Vec<(String, String)> {
        s.get(key)
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .map(|o| {
                        (
                            o.get(k)
                                .and_then(Json::as_str)
                                .unwrap_or_default()
                                .to_owned(),
                            o.get(v)
                                .and_then(Json::as_str)
                                .unwrap_or_default()
                                .to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    StackInfo {
        status: s
            .get("StackStatus")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned(),
        outputs: pairs("Outputs", "OutputKey", "OutputValue"),
        parameters: pairs("Parameters", "ParameterKey", "ParameterValue"),
        id: s
            .get("StackId")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned(),
        description: s
            .get("Description")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned(),
    }
}

/// The deployed template of a stack (`None`: not deployed, or never created).
pub fn template(aws: &Aws, stack: &str, region: Option<&str>) -> Result<Option<Json>, AwsError> {
    match describe(aws, stack, region)? {
        None => Ok(None),
        Some(i) if i.never_created() => Ok(None),
        Some(_) => template_of(aws, stack, region),
    }
}

/// The template of a stack known to exist (`get-template`).
pub fn template_of(aws: &Aws, stack: &str, region: Option<&str>) -> Result<Option<Json>, AwsError> {
    let j = aws.json(
        &words(&[
            "cloudformation",
            "get-template",
            "--stack-name",
            stack,
            "--template-stage",
            "Original",
        ]),
        region,
    )?;
    match j.get("TemplateBody") {
        // The AWS CLI decodes a JSON template; a string is YAML or raw JSON.
        Some(Json::String(s)) => serde_json::from_str(s).map(Some).map_err(|e| AwsError {
            command: format!("aws cloudformation get-template --stack-name {stack}"),
            stderr: format!("the deployed template of {stack} is not JSON ({e}); formwork compares JSON templates only"),
        }),
        Some(t) => Ok(Some(t.clone())),
        None => Ok(None),
    }
}

/// The physical id of a stack's resource (a bucket's name, a secret's
/// ARN), `None` when the stack has no such resource. Asked with
/// `describe-stack-resource`; when that fails otherwise, with
/// `list-stack-resources` (moto answers the first with an HTTP 500 for any
/// resource listed after one it does not model).
pub fn physical_id(
    aws: &Aws,
    stack: &str,
    logical_id: &str,
    region: Option<&str>,
) -> Result<Option<String>, AwsError> {
    let first = aws.json(
        &words(&[
            "cloudformation",
            "describe-stack-resource",
            "--stack-name",
            stack,
            "--logical-resource-id",
            logical_id,
        ]),
        region,
    );
    let error = match first {
        Ok(j) => {
            return Ok(j
                .pointer("/StackResourceDetail/PhysicalResourceId")
                .and_then(Json::as_str)
                .filter(|p| !p.is_empty())
                .map(str::to_owned));
        }
        Err(e) if missing(&e) => return Ok(None),
        Err(e) => e,
    };
    let listed = aws
        .json(
            &words(&[
                "cloudformation",
                "list-stack-resources",
                "--stack-name",
                stack,
            ]),
            region,
        )
        .map_err(|_| error.clone())?;
    Ok(listed
        .get("StackResourceSummaries")
        .and_then(Json::as_array)
        .and_then(|a| {
            a.iter()
                .find(|r| r.get("LogicalResourceId").and_then(Json::as_str) == Some(logical_id))
        })
        .and_then(|r| r.get("PhysicalResourceId").and_then(Json::as_str))
        .filter(|p| !p.is_empty())
        .map(str::to_owned))
}

/// The stacks that import an export (`None`: the call failed).
pub fn importers(aws: &Aws, export: &str, region: Option<&str>) -> Option<Vec<String>> {
    match aws.json(
        &words(&["cloudformation", "list-imports", "--export-name", export]),
        region,
    ) {
        Ok(j) => Some(
            j.get("Imports")
                .and_then(Json::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        // No importer at all is reported as an error by CloudFormation.
        Err(e) if e.stderr.contains("is not imported by any stack") => Some(Vec::new()),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_comes_from_the_stack_id() {
        let s = serde_json::json!({
            "StackName": "Api",
            "StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/Api/0f1e",
            "StackStatus": "UPDATE_COMPLETE",
            "Description": "the api",
            "Parameters": [{"ParameterKey": "Env", "ParameterValue": "prod"}],
        });
        let i = info(&s);
        assert_eq!(i.account(), Some("123456789012"));
        assert_eq!(i.description, "the api");
        assert_eq!(i.parameters, [("Env".to_owned(), "prod".to_owned())]);
        assert_eq!(info(&serde_json::json!({})).account(), None);
    }
}
