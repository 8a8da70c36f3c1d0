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
}

impl StackInfo {
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
    let Some(s) = j.pointer("/Stacks/0") else {
        return Ok(None);
    };
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
    Ok(Some(StackInfo {
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
    }))
}

/// The deployed template of a stack (`None`: not deployed, or never created).
pub fn template(aws: &Aws, stack: &str, region: Option<&str>) -> Result<Option<Json>, AwsError> {
    match describe(aws, stack, region)? {
        None => return Ok(None),
        Some(i) if i.never_created() => return Ok(None),
        Some(_) => {}
    }
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
