//! IAM: typed policy documents, roles, managed policies, and the grant
//! mechanism every service shares.

mod document;
mod external;
mod github;
mod grant;
mod managed;
mod policy;
mod role;
mod statement;

pub use document::PolicyDocument;
pub use external::{BedrockModels, MetricNamespace, SageMakerEndpoint};
pub use github::{GITHUB_OIDC_HOST, GithubOidcProvider};
#[cfg(test)]
pub(crate) use grant::testing;
pub use grant::{GrantSpec, Grantee, codes, grant, grant_or_report};
pub use managed::ManagedPolicy;
pub use policy::Policy;
pub use role::{Role, RoleProps};
pub use statement::{Effect, PolicyStatement, Principal, arn};
