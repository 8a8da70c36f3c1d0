//! GitHub Actions deploys through OpenID Connect: the account's identity
//! provider for `token.actions.githubusercontent.com`, and roles that only
//! one repository's branch may assume. No access keys are stored in GitHub.

use formwork_core::{Result, Scope, Value};
use formwork_l1::iam::CfnOidcProvider;

use super::codes;
use super::role::{Role, RoleProps};

/// The issuer of GitHub Actions' OIDC tokens.
pub const GITHUB_OIDC_HOST: &str = "token.actions.githubusercontent.com";

/// The account's OIDC identity provider for GitHub Actions: created by the
/// stack ([`GithubOidcProvider::new`]) or, since an account holds one
/// provider per issuer, an existing one by ARN
/// ([`GithubOidcProvider::from_arn`]).
///
/// ```
/// use formwork::App;
/// use formwork::iam::GithubOidcProvider;
/// let app = App::new();
/// let stack = app.stack("Ci")?;
/// let github = GithubOidcProvider::new(&stack, "GithubOidc")?;
/// let role = github.deploy_role(&stack, "DeployRole", "acme/weather", "main")?;
/// let t = app.synth()?.template_json("Ci").ok_or("no template")?;
/// let trust = &t["Resources"]["DeployRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
/// assert_eq!(trust["Action"], "sts:AssumeRoleWithWebIdentity");
/// assert_eq!(trust["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"], "repo:acme/weather:ref:refs/heads/main");
/// # let _ = role;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct GithubOidcProvider {
    arn: Value,
}

impl GithubOidcProvider {
    /// Adds the provider at `scope/id`: issuer
    /// `https://token.actions.githubusercontent.com`, audience
    /// `sts.amazonaws.com` (IAM no longer needs a thumbprint for it).
    pub fn new(scope: &Scope, id: &str) -> Result<GithubOidcProvider> {
        let cfn = scope.add(
            id,
            CfnOidcProvider::new()
                .url(format!("https://{GITHUB_OIDC_HOST}"))
                .client_id_list(["sts.amazonaws.com"]),
        )?;
        Ok(GithubOidcProvider {
            arn: cfn.arn().into(),
        })
    }

    /// The provider the account already has
    /// (`arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com`).
    pub fn from_arn(arn: impl Into<Value>) -> GithubOidcProvider {
        GithubOidcProvider { arn: arn.into() }
    }

    /// Its ARN.
    pub fn arn(&self) -> Value {
        self.arn.clone()
    }

    /// A role that only workflows of `repository` (`owner/name`) running
    /// on `branch` may assume (token audience `sts.amazonaws.com`, subject
    /// `repo:<owner>/<name>:ref:refs/heads/<branch>`). It has no permissions
    /// until grants give it some. A repository that is not `owner/name` or
    /// an empty or wildcard branch is error `FW2002` at synth.
    pub fn deploy_role(
        &self,
        scope: &Scope,
        id: &str,
        repository: &str,
        branch: &str,
    ) -> Result<Role> {
        let role = Role::new(
            scope,
            id,
            RoleProps::web_identity(
                self.arn.clone(),
                [
                    (
                        "StringEquals",
                        "token.actions.githubusercontent.com:aud",
                        Value::from("sts.amazonaws.com"),
                    ),
                    (
                        "StringEquals",
                        "token.actions.githubusercontent.com:sub",
                        Value::from(format!("repo:{repository}:ref:refs/heads/{branch}")),
                    ),
                ],
            )
            .description(format!(
                "GitHub Actions of {repository} on {branch}: deploys only"
            )),
        )?;
        let node = role.scope();
        if !is_repository(repository) {
            node.error(
                codes::GITHUB_SUBJECT,
                "AssumeRolePolicyDocument",
                format!(
                    "repository `{repository}` is not `owner/name`; allowed: GitHub owner and repository names (letters, digits, `-`, `_`, `.`)"
                ),
            );
        }
        if branch.is_empty() || branch.contains(['*', '?', ' ']) {
            node.error(
                codes::GITHUB_SUBJECT,
                "AssumeRolePolicyDocument",
                format!(
                    "branch `{branch}` would let more than one branch assume the role; allowed: one branch name without wildcards"
                ),
            );
        }
        Ok(role)
    }
}

fn is_repository(s: &str) -> bool {
    let ok = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    matches!(s.split_once('/'), Some((o, n)) if ok(o) && ok(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repository_or_branch_that_matches_more_than_one_is_an_error() {
        let app = formwork_core::App::new();
        let s = app.stack("Ci").unwrap();
        let github = GithubOidcProvider::from_arn("arn:aws:iam::123456789012:oidc-provider/x");
        github.deploy_role(&s, "A", "acme", "main").unwrap();
        github.deploy_role(&s, "B", "acme/weather", "*").unwrap();
        let err = app.synth().unwrap_err().to_string();
        assert!(err.contains("Ci/A"), "{err}");
        assert!(
            err.contains("repository `acme` is not `owner/name`"),
            "{err}"
        );
        assert!(err.contains("Ci/B"), "{err}");
        assert!(err.contains("branch `*`"), "{err}");
    }

    #[test]
    fn names_are_checked() {
        assert!(is_repository("acme/weather-comment.generator_2"));
        assert!(!is_repository("acme/"));
        assert!(!is_repository("acme/w/x"));
        assert!(!is_repository("acme/w*"));
    }
}
