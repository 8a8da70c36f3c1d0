//! # formwork
//!
//! Infrastructure as code in Rust. Describe AWS infrastructure with typed
//! constructs, run `cargo run`, get CloudFormation templates that the AWS CLI
//! deploys. No Node.js, no bootstrap stack, errors at synth time instead of
//! failed deploys.
//!
//! ```
//! # #[cfg(feature = "s3")] {
//! use formwork::prelude::*;
//! use formwork::s3::CfnBucket;
//!
//! fn app(ctx: &Context) -> Result<App> {
//!     let app = App::with_context(ctx.clone());
//!     let stack = app.stack("Hello")?;
//!     let bucket = stack.add("Data", CfnBucket::new())?;
//!     stack.add_output("BucketName", Output::new(bucket.ref_()))?;
//!     Ok(app)
//! }
//!
//! let assembly = app(&Context::new())?.synth()?;
//! assert!(assembly.template("Hello").unwrap().contains("AWS::S3::Bucket"));
//! # }
//! # Ok::<(), formwork::Error>(())
//! ```
//!
//! A program's `main` hands its app to [`run`], which gives it the command
//! line (`synth`, `list`, `validate`, `diff`, `deploy`, `--out`, `-c`).
//!
//! Each CloudFormation namespace is a module behind a cargo feature of the
//! same name, lowercase (`s3`, `lambda`, `rds`, `wafv2`, …; `full` for all
//! 282): the generated L1 types (`CfnBucket`), and for services with
//! hand-written constructs, those beside them (`Bucket`). `AWS::Config` is
//! the exception: its module and feature are `awsconfig`, since `config` is
//! the typed configuration below.
//!
//! | feature | what it adds |
//! |---|---|
//! | `s3`, `lambda`, `iam`, `kms`, `logs`, `secretsmanager`, `ssm`, `ecr`, `ecs`, `ec2`, `efs`, `elasticache`, `elasticloadbalancingv2`, `apigatewayv2`, `applicationautoscaling`, `certificatemanager`, `cloudfront`, `cloudwatch`, `dynamodb`, `route53`, `sns`, `sqs`, `stepfunctions` | the service's L1 types and L2 constructs |
//! | every other namespace (`rds`, `cognito`, `wafv2`, `budgets`, `events`, `awsconfig`, …) | the service's L1 types |
//! | `load-balanced-fargate`, `static-site`, `bucket-deployment` | the L3 patterns in [`patterns`] (with the services they use) |
//! | `config` | [`config`]: typed settings from `formwork.toml` |
//! | `full` | everything |
//!
//! A namespace without constructs is its raw L1 types, with the cargo
//! features `rds`, `cognito`, `wafv2` and `budgets` here:
//!
//! ```
//! # #[cfg(all(feature = "rds", feature = "cognito", feature = "wafv2", feature = "budgets"))]
//! # fn main() -> Result<(), formwork::Error> {
//! use formwork::budgets::CfnBudget;
//! use formwork::budgets::budget::{BudgetData, Spend};
//! use formwork::cognito::CfnUserPool;
//! use formwork::rds::CfnDBInstance;
//! use formwork::wafv2::CfnWebACL;
//! use formwork::wafv2::web_acl::{AllowAction, DefaultAction, Scope, VisibilityConfig};
//!
//! let app = formwork::App::new();
//! let stack = app.stack("Data")?;
//! stack.add(
//!     "Db",
//!     CfnDBInstance::new()
//!         .engine("postgres")
//!         .db_instance_class("db.t4g.micro")
//!         .allocated_storage("20")
//!         .manage_master_user_password(true)
//!         .storage_encrypted(true),
//! )?;
//! stack.add("Users", CfnUserPool::new().user_pool_name("users"))?;
//! stack.add(
//!     "Acl",
//!     CfnWebACL::new()
//!         .scope(Scope::Regional)
//!         .default_action(DefaultAction::new().allow(AllowAction::new()))
//!         .visibility_config(
//!             VisibilityConfig::new()
//!                 .cloud_watch_metrics_enabled(true)
//!                 .metric_name("acl")
//!                 .sampled_requests_enabled(true),
//!         ),
//! )?;
//! stack.add(
//!     "MonthlyCost",
//!     CfnBudget::new().budget(
//!         BudgetData::new()
//!             .budget_type("COST")
//!             .time_unit("MONTHLY")
//!             .budget_limit(Spend::new().amount(100).unit("USD")),
//!     ),
//! )?;
//! assert_eq!(app.synth()?.stacks.len(), 1);
//! # Ok(())
//! # }
//! # #[cfg(not(all(feature = "rds", feature = "cognito", feature = "wafv2", feature = "budgets")))]
//! # fn main() {}
//! ```
//!
//! Always there: the engine ([`App`], [`Stack`], [`Fn`], …), the command
//! line ([`run`]), diagnostics ([`diag`]) and test assertions ([`testing`]).
#![deny(missing_docs)]

pub use formwork_core::{
    App, Assembly, ConditionRef, Context, Diagnostic, Diagnostics, Dynamic, Environment, Error,
    Expr, Fn, Mapping, MappingRef, Output, Parameter, ParameterRef, ParameterType, Pseudo,
    RemovalPolicy, Resource, ResourceRef, Result, Scope, Severity, Stack, StackArtifact, Value,
};
pub use formwork_core::{diag, spec, synth, typed};
/// The command line (`synth`, `list`, `validate`, `diff`, `deploy`): the
/// `formwork-deploy` crate.
pub use formwork_deploy as cli;

/// Typed configuration: a settings struct (`serde::Deserialize` +
/// `schemars::JsonSchema`) loaded from `formwork.toml` at the crate root,
/// with `[env.<name>]` sections and `-c key=value` overrides, checked
/// against its JSON Schema (feature `config`).
#[cfg(feature = "config")]
pub mod config {
    pub use formwork_core::config::*;
}

/// Assertions for an app's tests, in the spirit of the AWS CDK's
/// `assertions` module: find resources by type and partial properties,
/// count them, read outputs, list a role's IAM actions, match with
/// wildcards and captures; redaction helpers for snapshots.
///
/// Always available: it adds no dependency and no generic code to a build,
/// so a feature would only be one more thing to turn on in
/// `[dev-dependencies]`.
pub mod testing {
    pub use formwork_core::assertions::*;
}

/// Runs the command line of this process against the app `build` makes:
/// the whole `main` of a formwork program.
///
/// ```no_run
/// fn app(ctx: &formwork::Context) -> formwork::Result<formwork::App> {
///     Ok(formwork::App::with_context(ctx.clone()))
/// }
/// fn main() -> std::process::ExitCode {
///     formwork::run(app)
/// }
/// ```
pub fn run(build: impl FnOnce(&Context) -> Result<App>) -> std::process::ExitCode {
    formwork_deploy::run(build)
}

/// The names most programs use.
pub mod prelude {
    pub use crate::{
        App, Context, Environment, Expr, Fn, Output, Parameter, Pseudo, RemovalPolicy, Result,
        Scope, Stack, Value,
    };
    #[cfg(feature = "iam")]
    pub use formwork_l2::iam::Grantee;
}

/// API Gateway v2 (HTTP APIs): the generated L1 types and the L2 constructs (feature `apigatewayv2`).
#[cfg(feature = "apigatewayv2")]
pub mod apigatewayv2 {
    pub use formwork_l1::apigatewayv2::*;
    pub use formwork_l2::apigatewayv2::*;
}

/// Application Auto Scaling: the generated L1 types and the L2 constructs (feature `applicationautoscaling`).
#[cfg(feature = "applicationautoscaling")]
pub mod applicationautoscaling {
    pub use formwork_l1::applicationautoscaling::*;
    pub use formwork_l2::applicationautoscaling::*;
}

/// Certificate Manager (ACM): the generated L1 types and the L2 constructs (feature `certificatemanager`).
#[cfg(feature = "certificatemanager")]
pub mod certificatemanager {
    pub use formwork_l1::certificatemanager::*;
    pub use formwork_l2::certificatemanager::*;
}

/// CloudFront: the generated L1 types and the L2 constructs (feature `cloudfront`).
#[cfg(feature = "cloudfront")]
pub mod cloudfront {
    pub use formwork_l1::cloudfront::*;
    pub use formwork_l2::cloudfront::*;
}

/// AWS Budgets: the generated L1 types and the L2 [`CostBudget`](budgets::CostBudget)
/// (feature `budgets`): a monthly cost budget that emails when actual or
/// forecasted spend passes a share of its limit.
#[cfg(feature = "budgets")]
pub mod budgets {
    pub use formwork_l1::budgets::*;
    pub use formwork_l2::budgets::*;
}

/// CloudWatch: the generated L1 types and the L2 constructs (feature `cloudwatch`).
#[cfg(feature = "cloudwatch")]
pub mod cloudwatch {
    pub use formwork_l1::cloudwatch::*;
    pub use formwork_l2::cloudwatch::*;
}

/// Post-deploy checks an app declares next to its resources; `deploy`
/// runs them after a successful deploy and `check` alone (feature `checks`).
#[cfg(feature = "checks")]
pub mod checks {
    pub use formwork_check::*;
}

/// Cost estimates: usage assumptions and the budget an app declares, and
/// the engine behind `cargo run -- cost` (feature `cost`).
#[cfg(feature = "cost")]
pub mod cost {
    pub use formwork_cost::*;
}

/// DynamoDB: the generated L1 types and the L2 constructs (feature `dynamodb`).
#[cfg(feature = "dynamodb")]
pub mod dynamodb {
    pub use formwork_l1::dynamodb::*;
    pub use formwork_l2::dynamodb::*;
}

/// EC2 and VPC networking: the generated L1 types and the L2 constructs (feature `ec2`).
#[cfg(feature = "ec2")]
pub mod ec2 {
    pub use formwork_l1::ec2::*;
    pub use formwork_l2::ec2::*;
}

/// Elastic Container Registry: the generated L1 types and the L2 constructs (feature `ecr`).
#[cfg(feature = "ecr")]
pub mod ecr {
    pub use formwork_l1::ecr::*;
    pub use formwork_l2::ecr::*;
}

/// Elastic Container Service: the generated L1 types and the L2 constructs (feature `ecs`).
#[cfg(feature = "ecs")]
pub mod ecs {
    pub use formwork_l1::ecs::*;
    pub use formwork_l2::ecs::*;
}

/// Elastic File System: the generated L1 types and the L2 constructs (feature `efs`).
#[cfg(feature = "efs")]
pub mod efs {
    pub use formwork_l1::efs::*;
    pub use formwork_l2::efs::*;
}

/// ElastiCache: the generated L1 types and the L2 constructs (feature `elasticache`).
#[cfg(feature = "elasticache")]
pub mod elasticache {
    pub use formwork_l1::elasticache::*;
    pub use formwork_l2::elasticache::*;
}

/// Elastic Load Balancing v2 (ALB, NLB): the generated L1 types and the L2 constructs (feature `elasticloadbalancingv2`).
#[cfg(feature = "elasticloadbalancingv2")]
pub mod elasticloadbalancingv2 {
    pub use formwork_l1::elasticloadbalancingv2::*;
    pub use formwork_l2::elasticloadbalancingv2::*;
}

#[cfg(feature = "iam")]
pub mod iam {
    // The overview lives in docs/iam.md, so a regenerated module list keeps it.
    #![doc = include_str!("../docs/iam.md")]
    pub use formwork_l1::iam::*;
    pub use formwork_l2::iam::*;
}

/// KMS: the generated L1 types and the L2 constructs (feature `kms`).
#[cfg(feature = "kms")]
pub mod kms {
    pub use formwork_l1::kms::*;
    pub use formwork_l2::kms::*;
}

#[cfg(feature = "lambda")]
pub mod lambda {
    // The overview lives in docs/lambda.md, so a regenerated module list keeps it.
    #![doc = include_str!("../docs/lambda.md")]
    pub use formwork_l1::lambda::*;
    pub use formwork_l2::lambda::*;
}

/// CloudWatch Logs: the generated L1 types and the L2 constructs (feature `logs`).
#[cfg(feature = "logs")]
pub mod logs {
    pub use formwork_l1::logs::*;
    pub use formwork_l2::logs::*;
}

/// Route 53: the generated L1 types and the L2 constructs (feature `route53`).
#[cfg(feature = "route53")]
pub mod route53 {
    pub use formwork_l1::route53::*;
    pub use formwork_l2::route53::*;
}

#[cfg(feature = "s3")]
pub mod s3 {
    // The overview lives in docs/s3.md, so a regenerated module list keeps it.
    #![doc = include_str!("../docs/s3.md")]
    pub use formwork_l1::s3::*;
    pub use formwork_l2::s3::*;
}

#[cfg(feature = "secretsmanager")]
pub mod secretsmanager {
    // The overview lives in docs/secretsmanager.md, so a regenerated module list keeps it.
    #![doc = include_str!("../docs/secretsmanager.md")]
    pub use formwork_l1::secretsmanager::*;
    pub use formwork_l2::secretsmanager::*;
}

/// SNS: the generated L1 types and the L2 constructs (feature `sns`).
#[cfg(feature = "sns")]
pub mod sns {
    pub use formwork_l1::sns::*;
    pub use formwork_l2::sns::*;
}

/// SQS: the generated L1 types and the L2 constructs (feature `sqs`).
#[cfg(feature = "sqs")]
pub mod sqs {
    pub use formwork_l1::sqs::*;
    pub use formwork_l2::sqs::*;
}

/// Systems Manager: the generated L1 types and the L2 constructs (feature `ssm`).
#[cfg(feature = "ssm")]
pub mod ssm {
    pub use formwork_l1::ssm::*;
    pub use formwork_l2::ssm::*;
}

/// Step Functions: the generated L1 types and the L2 constructs (feature `stepfunctions`).
#[cfg(feature = "stepfunctions")]
pub mod stepfunctions {
    pub use formwork_l1::stepfunctions::*;
    pub use formwork_l2::stepfunctions::*;
}

#[rustfmt::skip]
mod generated;
// Empty when no namespace without L2 constructs is enabled.
#[allow(unused_imports)]
pub use generated::*;

/// Assets: code, images and folders that `deploy` builds and publishes
/// (the model, and the image assets of Lambda and ECS).
pub mod assets {
    pub use formwork_core::asset::*;
    #[cfg(any(feature = "lambda", feature = "ecs"))]
    pub use formwork_l2::assets::*;
}

/// L3 patterns: several constructs wired together (features
/// `load-balanced-fargate`, `static-site`, `bucket-deployment`).
pub mod patterns {
    #[cfg(feature = "bucket-deployment")]
    pub use formwork_l3::bucket_deployment::*;
    #[cfg(feature = "load-balanced-fargate")]
    pub use formwork_l3::load_balanced_fargate::*;
    #[cfg(feature = "static-site")]
    pub use formwork_l3::static_site::*;
}
