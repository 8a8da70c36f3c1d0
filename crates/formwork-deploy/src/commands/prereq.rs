//! What must be true before anything is deployed, each with a clear message.

use serde_json::Value as Json;

use crate::Session;
use crate::aws::AwsError;
use crate::error::{Error, Result};

/// Checks, in order: the AWS CLI runs and the credentials are valid (from
/// the answer of `sts get-caller-identity`, `account`); their account
/// matches every selected stack that names one; `--region` does not
/// contradict a stack's region; a stack without a region that holds
/// resources AWS creates only in us-east-1 deploys there (synth checks the
/// stacks with a region, `FW4702`). (Docker is checked by the asset
/// publisher when the plan builds images.)
pub(crate) fn check(
    s: &Session<'_>,
    selected: &[String],
    account: std::result::Result<String, AwsError>,
) -> Result<()> {
    let account = account.map_err(|e| {
        if e.stderr.contains("cannot run the AWS CLI") {
            Error::failed(format!(
                "the AWS CLI is needed to deploy: {}",
                e.stderr.trim()
            ))
        } else {
            Error::failed(format!(
                "the AWS credentials are not valid: {}\n  configure them (`aws configure`, AWS_PROFILE, --profile NAME) and try again",
                e.stderr.trim()
            ))
        }
    })?;
    for st in s.asm.stacks.iter().filter(|st| selected.contains(&st.name)) {
        if let Some(want) = &st.env.account
            && want != &account
        {
            return Err(Error::failed(format!(
                "{} deploys to account {want}, but the credentials are for account {account}: \
                 use the profile of account {want} (--profile NAME or AWS_PROFILE)",
                st.name
            )));
        }
        if let (Some(want), Some(given)) = (&st.env.region, &s.args.aws.region)
            && want != given
        {
            return Err(Error::failed(format!(
                "{} deploys to region {want}, but --region says {given}: drop --region or change the stack's environment",
                st.name
            )));
        }
    }
    let regionless: Vec<(&str, Vec<(String, String)>)> = s
        .asm
        .stacks
        .iter()
        .filter(|st| selected.contains(&st.name) && st.env.region.is_none())
        .filter_map(|st| {
            let t: Json = serde_json::from_str(&st.template).ok()?;
            let only = us_east_1_only(&t);
            (!only.is_empty()).then_some((st.name.as_str(), only))
        })
        .collect();
    if !regionless.is_empty() {
        // Asked of the CLI only here: rare, and it starts a process.
        let region = s.aws.default_region();
        for (stack, only) in regionless {
            if let Some(why) = us_east_1_problem(stack, &only, region.as_deref()) {
                return Err(Error::failed(why));
            }
        }
    }
    Ok(())
}

/// The resources of a template that AWS creates only in us-east-1, as
/// (logical id, type): AWS WAF resources of scope `CLOUDFRONT`.
pub(crate) fn us_east_1_only(template: &Json) -> Vec<(String, String)> {
    let Some(resources) = template.get("Resources").and_then(Json::as_object) else {
        return Vec::new();
    };
    resources
        .iter()
        .filter_map(|(id, r)| {
            let ty = r.get("Type").and_then(Json::as_str)?;
            let scope = r.pointer("/Properties/Scope").and_then(Json::as_str);
            (ty.starts_with("AWS::WAFv2::") && scope == Some("CLOUDFRONT"))
                .then(|| (id.clone(), ty.to_owned()))
        })
        .collect()
}

/// Why a stack without a region that holds `only` (see [`us_east_1_only`])
/// cannot deploy to `region` (`None`: no region set anywhere).
pub(crate) fn us_east_1_problem(
    stack: &str,
    only: &[(String, String)],
    region: Option<&str>,
) -> Option<String> {
    let (id, ty) = only.first()?;
    let fix = "give the stack the region us-east-1 (App::stack_in with Environment::agnostic().region(\"us-east-1\")), or deploy it with --region us-east-1";
    match region {
        Some("us-east-1") => None,
        Some(r) => Some(format!(
            "{stack} has no region of its own and would deploy to {r}, but {id} ({ty}) has scope CLOUDFRONT, which AWS WAF creates only in us-east-1: {fix}"
        )),
        None => Some(format!(
            "{stack} has no region, and none is set (--region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region), but {id} ({ty}) has scope CLOUDFRONT, which AWS WAF creates only in us-east-1: {fix}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template() -> Json {
        json!({"Resources": {
            "Regional": {"Type": "AWS::WAFv2::WebACL", "Properties": {"Scope": "REGIONAL"}},
            "Edge": {"Type": "AWS::WAFv2::WebACL", "Properties": {"Scope": "CLOUDFRONT"}},
            "EdgeIps": {"Type": "AWS::WAFv2::IPSet", "Properties": {"Scope": "CLOUDFRONT"}},
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"Scope": "CLOUDFRONT"}},
            "Dynamic": {"Type": "AWS::WAFv2::WebACL", "Properties": {"Scope": {"Ref": "Scope"}}}
        }})
    }

    #[test]
    fn only_cloudfront_scoped_waf_resources_need_us_east_1() {
        let only = us_east_1_only(&template());
        assert_eq!(
            only,
            [
                ("Edge".to_owned(), "AWS::WAFv2::WebACL".to_owned()),
                ("EdgeIps".to_owned(), "AWS::WAFv2::IPSet".to_owned()),
            ]
        );
        assert!(us_east_1_only(&json!({"Resources": {}})).is_empty());
        assert!(us_east_1_only(&json!({})).is_empty());
    }

    #[test]
    fn a_regionless_stack_must_deploy_to_us_east_1() {
        let only = us_east_1_only(&template());
        assert_eq!(us_east_1_problem("Edge", &only, Some("us-east-1")), None);
        let other = us_east_1_problem("Edge", &only, Some("eu-west-1")).unwrap_or_default();
        assert!(other.contains("would deploy to eu-west-1"), "{other}");
        assert!(
            other.contains("Edge (AWS::WAFv2::WebACL) has scope CLOUDFRONT"),
            "{other}"
        );
        assert!(other.contains("--region us-east-1"), "{other}");
        let none = us_east_1_problem("Edge", &only, None).unwrap_or_default();
        assert!(none.contains("none is set"), "{none}");
        assert_eq!(us_east_1_problem("Edge", &[], Some("eu-west-1")), None);
    }
}
