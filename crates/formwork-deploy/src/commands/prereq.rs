//! What must be true before anything is deployed, each with a clear message.

use crate::Session;
use crate::aws::AwsError;
use crate::error::{Error, Result};

/// Checks, in order: the AWS CLI runs and the credentials are valid (from
/// the answer of `sts get-caller-identity`, `account`); their account
/// matches every selected stack that names one; `--region` does not
/// contradict a stack's region. (Docker is checked by the asset publisher
/// when the plan builds images.)
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
    Ok(())
}
