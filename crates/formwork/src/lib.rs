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
//! Every [`App`] made here runs formwork's security rule pack
//! ([`formwork_rules`]: literal secrets, IAM wildcards, open security
//! groups, encryption, public buckets, retention, ...) at synth, and knows
//! the regions AWS has and their availability zones.
//!
//! Each CloudFormation namespace is a module behind a cargo feature of the
//! same name, lowercase (`s3`, `lambda`, `rds`, `wafv2`, …; `full` for all
//! 282): the generated L1 types (`CfnBucket`), and for services with
//! hand-written constructs, those beside them (`Bucket`). `AWS::Config` is
//! the exception: its module and feature are `awsconfig`, since `config` is
//! the typed configuration below.
//!
//! | feature | module | what it adds |
//! |---|---|---|
//! | `apigatewayv2` | [`apigatewayv2`] | API Gateway v2: HTTP APIs, routes to Lambda, stages, CORS: the L2 constructs and the generated `Cfn*` types |
//! | `applicationautoscaling` | [`applicationautoscaling`] | Application Auto Scaling: scalable targets and policies: the L2 constructs and the generated `Cfn*` types |
//! | `certificatemanager` | [`certificatemanager`] | ACM certificates validated by DNS, or imported: the L2 constructs and the generated `Cfn*` types |
//! | `cloudfront` | [`cloudfront`] | CloudFront distributions, origins, cache policies: the L2 constructs and the generated `Cfn*` types |
//! | `cloudwatch` | [`cloudwatch`] | CloudWatch metrics, alarms, dashboards: the L2 constructs and the generated `Cfn*` types |
//! | `dynamodb` | [`dynamodb`] | DynamoDB tables: the L2 constructs and the generated `Cfn*` types |
//! | `ec2` | [`ec2`] | VPCs, subnets, endpoints, security groups and connections: the L2 constructs and the generated `Cfn*` types |
//! | `ecr` | [`ecr`] | ECR repositories: the L2 constructs and the generated `Cfn*` types |
//! | `ecs` | [`ecs`] | ECS on Fargate: clusters, task definitions, services: the L2 constructs and the generated `Cfn*` types |
//! | `efs` | [`efs`] | EFS file systems and access points: the L2 constructs and the generated `Cfn*` types |
//! | `elasticache` | [`elasticache`] | ElastiCache clusters, replication groups, parameter groups: the L2 constructs and the generated `Cfn*` types |
//! | `elasticloadbalancingv2` | [`elasticloadbalancingv2`] | Application and network load balancers, listeners, target groups: the L2 constructs and the generated `Cfn*` types |
//! | `iam` | [`iam`] | IAM roles, policies, users, groups, grants: the L2 constructs and the generated `Cfn*` types |
//! | `kms` | [`kms`] | KMS keys and aliases: the L2 constructs and the generated `Cfn*` types |
//! | `lambda` | [`lambda`] | Lambda functions, URLs, permissions, event sources (SQS, DynamoDB streams, S3): the L2 constructs and the generated `Cfn*` types |
//! | `logs` | [`logs`] | CloudWatch Logs log groups: the L2 constructs and the generated `Cfn*` types |
//! | `route53` | [`route53`] | Route 53 hosted zones and records: the L2 constructs and the generated `Cfn*` types |
//! | `s3` | [`s3`] | S3 buckets: the L2 constructs and the generated `Cfn*` types |
//! | `secretsmanager` | [`secretsmanager`] | Secrets Manager secrets: the L2 constructs and the generated `Cfn*` types |
//! | `sns` | [`sns`] | SNS topics and subscriptions: the L2 constructs and the generated `Cfn*` types |
//! | `sqs` | [`sqs`] | SQS queues: the L2 constructs and the generated `Cfn*` types |
//! | `ssm` | [`ssm`] | Parameter Store parameters: the L2 constructs and the generated `Cfn*` types |
//! | `stepfunctions` | [`stepfunctions`] | Step Functions state machines: the L2 constructs and the generated `Cfn*` types |
//! | `events` | [`events`] | EventBridge rules, schedules, buses and targets: the L2 constructs and the generated `Cfn*` types |
//! | `budgets` | [`budgets`] | AWS Budgets: a monthly cost budget with email alerts (L2) and the generated `Cfn*` types |
//! | `wafv2` | [`wafv2`] | AWS WAF web ACLs (managed rule groups, rate limits, IP sets) attached to load balancers, REST API stages and CloudFront: the L2 constructs and the generated `Cfn*` types |
//! | every other namespace (`rds`, `cognito`, `awsconfig`, …) | `formwork::<namespace>` | the generated `Cfn*` types |
//! | `load-balanced-fargate`, `static-site`, `bucket-deployment` | [`patterns`] | the L3 patterns (with the services they use) |
//! | `config` | [`config`] | typed settings from `formwork.toml` |
//! | `cost`, `checks` | [`cost`], [`checks`] | cost estimates and budgets; post-deploy checks |
//! | `full` | | everything |
//!
//! A namespace without constructs is its raw L1 types; every namespace has
//! them, with or without constructs. With the cargo features `rds`,
//! `cognito`, `wafv2` and `budgets`:
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
    Assembly, ConditionRef, Context, Diagnostic, Diagnostics, Dynamic, Environment, Error, Expr,
    Fn, Mapping, MappingRef, Output, Parameter, ParameterRef, ParameterType, Pseudo, RemovalPolicy,
    Resource, ResourceRef, Result, Scope, Severity, Stack, StackArtifact, SynthOptions, Value,
    ValueMap,
};
pub use formwork_core::{diag, fasthash, json_text, pattern, rules, spec, synth, typed, value_map};
/// The command line (`synth`, `list`, `validate`, `diff`, `deploy`): the
/// `formwork-deploy` crate.
pub use formwork_deploy as cli;
pub use formwork_rules as security;

/// An app (see [`formwork_core::App`]) with formwork's security rule pack
/// and the region facts installed: what every program starts from.
///
/// ```
/// let app = formwork::App::new();
/// assert_eq!(app.rules().len(), 1);
/// assert!(!app.regions().is_empty());
/// ```
#[derive(Clone, Debug)]
pub struct App(formwork_core::App);

impl Default for App {
    fn default() -> App {
        App::new()
    }
}

impl App {
    /// An app with an empty context.
    pub fn new() -> App {
        App::with_context(Context::new())
    }

    /// An app built with a context (`-c` values and environment variables).
    pub fn with_context(context: Context) -> App {
        App::from_core(formwork_core::App::with_context(context))
    }

    /// Installs the security rule pack and the region facts into an engine app.
    pub fn from_core(app: formwork_core::App) -> App {
        formwork_rules::install(&app);
        app.set_regions(formwork_l1::REGION_ZONES);
        App(app)
    }

    /// The engine app.
    pub fn into_core(self) -> formwork_core::App {
        self.0
    }
}

impl std::ops::Deref for App {
    type Target = formwork_core::App;
    fn deref(&self) -> &formwork_core::App {
        &self.0
    }
}

impl From<App> for formwork_core::App {
    fn from(app: App) -> formwork_core::App {
        app.0
    }
}

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

#[cfg(feature = "apigatewayv2")]
pub mod apigatewayv2 {
    // The overview is docs/services/apigatewayv2.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/apigatewayv2.md")]
    pub use formwork_l1::apigatewayv2::*;
    pub use formwork_l2::apigatewayv2::*;
}

#[cfg(feature = "applicationautoscaling")]
pub mod applicationautoscaling {
    // The overview is docs/services/applicationautoscaling.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/applicationautoscaling.md")]
    pub use formwork_l1::applicationautoscaling::*;
    pub use formwork_l2::applicationautoscaling::*;
}

#[cfg(feature = "certificatemanager")]
pub mod certificatemanager {
    // The overview is docs/services/certificatemanager.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/certificatemanager.md")]
    pub use formwork_l1::certificatemanager::*;
    pub use formwork_l2::certificatemanager::*;
}

#[cfg(feature = "cloudfront")]
pub mod cloudfront {
    // The overview is docs/services/cloudfront.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/cloudfront.md")]
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

#[cfg(feature = "cloudwatch")]
pub mod cloudwatch {
    // The overview is docs/services/cloudwatch.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/cloudwatch.md")]
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

#[cfg(feature = "dynamodb")]
pub mod dynamodb {
    // The overview is docs/services/dynamodb.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/dynamodb.md")]
    pub use formwork_l1::dynamodb::*;
    pub use formwork_l2::dynamodb::*;
}

#[cfg(feature = "ec2")]
pub mod ec2 {
    // The overview is docs/services/ec2.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/ec2.md")]
    pub use formwork_l1::ec2::*;
    pub use formwork_l2::ec2::*;
}

#[cfg(feature = "ecr")]
pub mod ecr {
    // The overview is docs/services/ecr.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/ecr.md")]
    pub use formwork_l1::ecr::*;
    pub use formwork_l2::ecr::*;
}

#[cfg(feature = "ecs")]
pub mod ecs {
    // The overview is docs/services/ecs.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/ecs.md")]
    pub use formwork_l1::ecs::*;
    pub use formwork_l2::ecs::*;
}

#[cfg(feature = "efs")]
pub mod efs {
    // The overview is docs/services/efs.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/efs.md")]
    pub use formwork_l1::efs::*;
    pub use formwork_l2::efs::*;
}

#[cfg(feature = "elasticache")]
pub mod elasticache {
    // The overview is docs/services/elasticache.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/elasticache.md")]
    pub use formwork_l1::elasticache::*;
    pub use formwork_l2::elasticache::*;
}

#[cfg(feature = "elasticloadbalancingv2")]
pub mod elasticloadbalancingv2 {
    // The overview is docs/services/elasticloadbalancingv2.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/elasticloadbalancingv2.md")]
    pub use formwork_l1::elasticloadbalancingv2::*;
    pub use formwork_l2::elasticloadbalancingv2::*;
}

#[cfg(feature = "events")]
pub mod events {
    // The overview is docs/services/events.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/events.md")]
    pub use formwork_l1::events::*;
    pub use formwork_l2::events::*;
}

#[cfg(feature = "iam")]
pub mod iam {
    // The overview is docs/services/iam.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/iam.md")]
    pub use formwork_l1::iam::*;
    pub use formwork_l2::iam::*;
}

#[cfg(feature = "kms")]
pub mod kms {
    // The overview is docs/services/kms.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/kms.md")]
    pub use formwork_l1::kms::*;
    pub use formwork_l2::kms::*;
}

#[cfg(feature = "lambda")]
pub mod lambda {
    // The overview is docs/services/lambda.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/lambda.md")]
    pub use formwork_l1::lambda::*;
    pub use formwork_l2::lambda::*;
}

#[cfg(feature = "logs")]
pub mod logs {
    // The overview is docs/services/logs.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/logs.md")]
    pub use formwork_l1::logs::*;
    pub use formwork_l2::logs::*;
}

#[cfg(feature = "route53")]
pub mod route53 {
    // The overview is docs/services/route53.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/route53.md")]
    pub use formwork_l1::route53::*;
    pub use formwork_l2::route53::*;
}

#[cfg(feature = "s3")]
pub mod s3 {
    // The overview is docs/services/s3.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/s3.md")]
    pub use formwork_l1::s3::*;
    pub use formwork_l2::s3::*;
}

#[cfg(feature = "secretsmanager")]
pub mod secretsmanager {
    // The overview is docs/services/secretsmanager.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/secretsmanager.md")]
    pub use formwork_l1::secretsmanager::*;
    pub use formwork_l2::secretsmanager::*;
}

#[cfg(feature = "sns")]
pub mod sns {
    // The overview is docs/services/sns.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/sns.md")]
    pub use formwork_l1::sns::*;
    pub use formwork_l2::sns::*;
}

#[cfg(feature = "sqs")]
pub mod sqs {
    // The overview is docs/services/sqs.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/sqs.md")]
    pub use formwork_l1::sqs::*;
    pub use formwork_l2::sqs::*;
}

#[cfg(feature = "ssm")]
pub mod ssm {
    // The overview is docs/services/ssm.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/ssm.md")]
    pub use formwork_l1::ssm::*;
    pub use formwork_l2::ssm::*;
}

#[cfg(feature = "stepfunctions")]
pub mod stepfunctions {
    // The overview is docs/services/stepfunctions.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/stepfunctions.md")]
    pub use formwork_l1::stepfunctions::*;
    pub use formwork_l2::stepfunctions::*;
}

#[cfg(feature = "wafv2")]
pub mod wafv2 {
    // The overview is docs/services/wafv2.md: one page for the guide and rustdoc.
    #![doc = include_str!("../../../docs/services/wafv2.md")]
    pub use formwork_l1::wafv2::*;
    pub use formwork_l2::wafv2::*;
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
///
/// `ApplicationLoadBalancedFargateService` serves a container behind an
/// ALB; with `domain_name(name, &zone)` it gets a DNS-validated
/// certificate and an alias record, with `enable_execute_command` ECS Exec
/// with its permissions and session logs; managed tags, tag propagation,
/// the listener's TLS policy (`SslPolicy`) and every option of the L2
/// constructs underneath are passed through. Its diagnostics are
/// `codes` (`FW48xx`).
///
/// ```
/// # #[cfg(all(feature = "load-balanced-fargate", feature = "route53"))] {
/// use formwork::prelude::*;
/// use formwork::ec2::{Vpc, VpcProps};
/// use formwork::ecs::ContainerImage;
/// use formwork::patterns::{
///     ApplicationLoadBalancedFargateService, ApplicationLoadBalancedFargateServiceProps, TaskImageOptions,
/// };
/// use formwork::route53::{HostedZone, HostedZoneProps};
///
/// let app = App::new();
/// let stack = app.stack("Api")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let zone = HostedZone::new(&stack, "Zone", HostedZoneProps::new("example.com"))?;
/// let api = ApplicationLoadBalancedFargateService::new(
///     &stack,
///     "Api",
///     ApplicationLoadBalancedFargateServiceProps::from_image(
///         &vpc,
///         TaskImageOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"), 80),
///     )
///     .domain_name("api.example.com", &zone)
///     .enable_execute_command(true),
/// )?;
/// stack.add_output("Url", Output::new(api.url()))?;
/// app.synth()?;
/// # }
/// # Ok::<(), formwork::Error>(())
/// ```
pub mod patterns {
    #[cfg(feature = "bucket-deployment")]
    pub use formwork_l3::bucket_deployment::*;
    #[cfg(feature = "load-balanced-fargate")]
    pub use formwork_l3::load_balanced_fargate::*;
    #[cfg(feature = "static-site")]
    pub use formwork_l3::static_site::*;
}
