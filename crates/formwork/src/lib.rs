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
//! hand-written constructs, those beside them (`Bucket`).
#![deny(missing_docs)]

pub use formwork_core::{
    App, Assembly, ConditionRef, Context, Diagnostic, Diagnostics, Dynamic, Environment, Error,
    Expr, Fn, Mapping, MappingRef, Output, Parameter, ParameterRef, ParameterType, Pseudo,
    RemovalPolicy, Resource, ResourceRef, Result, Scope, Severity, Stack, StackArtifact, Value,
};
pub use formwork_core::{cli, diag, spec, synth, typed};

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
    cli::run(build)
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

/// IAM: the generated L1 types and the L2 constructs (feature `iam`).
#[cfg(feature = "iam")]
pub mod iam {
    pub use formwork_l1::iam::*;
    pub use formwork_l2::iam::*;
}

/// Lambda: the generated L1 types and the L2 constructs (feature `lambda`).
#[cfg(feature = "lambda")]
pub mod lambda {
    pub use formwork_l1::lambda::*;
    pub use formwork_l2::lambda::*;
}

/// CloudWatch Logs: the generated L1 types and the L2 constructs (feature `logs`).
#[cfg(feature = "logs")]
pub mod logs {
    pub use formwork_l1::logs::*;
    pub use formwork_l2::logs::*;
}

/// S3: the generated L1 types and the L2 constructs (feature `s3`).
#[cfg(feature = "s3")]
pub mod s3 {
    pub use formwork_l1::s3::*;
    pub use formwork_l2::s3::*;
}

/// Secrets Manager: the generated L1 types and the L2 constructs (feature `secretsmanager`).
#[cfg(feature = "secretsmanager")]
pub mod secretsmanager {
    pub use formwork_l1::secretsmanager::*;
    pub use formwork_l2::secretsmanager::*;
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
pub use generated::*;

/// L3 patterns: several constructs wired together (features
/// `load-balanced-fargate`, `static-site`).
pub mod patterns {
    #[cfg(feature = "load-balanced-fargate")]
    pub use formwork_l3::load_balanced_fargate::*;
    #[cfg(feature = "static-site")]
    pub use formwork_l3::static_site::*;
}
