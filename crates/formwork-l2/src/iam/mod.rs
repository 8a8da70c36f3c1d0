//! IAM: typed policy documents, roles, users, groups, managed policies,
//! and the grant mechanism every service shares.

#[cfg(feature = "secretsmanager")]
mod access_key;
mod document;
mod external;
mod github;
mod grant;
mod group;
mod identity;
mod managed;
mod policy;
mod role;
mod statement;
mod user;

#[cfg(feature = "secretsmanager")]
pub use access_key::{AccessKey, AccessKeyProps};

pub use document::PolicyDocument;
pub use external::{BedrockModels, MetricNamespace, SageMakerEndpoint};
pub use github::{GITHUB_OIDC_HOST, GithubOidcProvider};
#[cfg(test)]
pub(crate) use grant::testing;
pub use grant::{GrantSpec, Grantee, add_statements, codes, grant, grant_or_report};
pub use group::{Group, GroupProps};
pub use identity::Identity;
pub use managed::ManagedPolicy;
pub use policy::Policy;
pub use role::{Role, RoleProps};
pub use statement::{Effect, PolicyStatement, Principal, arn};
pub use user::{User, UserProps};
