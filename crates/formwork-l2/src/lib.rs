//! formwork's L2 layer: hand-written constructs over the generated L1 types,
//! with safe defaults (encryption on, public access blocked, TLS enforced,
//! stateful resources retained), validation that names the construct path,
//! the property and the allowed values, and least-privilege grants.
//!
//! One module per service, behind a cargo feature of the same name. Every
//! construct exposes its L1 resource (`cfn()`), so any property it does not
//! model can still be set.
//!
//! Diagnostic codes: `FW20xx` IAM, `FW21xx` S3, `FW22xx` Lambda, `FW23xx`
//! Logs, `FW24xx` Secrets Manager, `FW25xx` ECR, `FW26xx` API Gateway,
//! `FW27xx` Step Functions, `FW30xx` EC2, `FW31xx` load balancing, `FW32xx`
//! ECS, `FW33xx` EFS, `FW34xx` Application Auto Scaling, `FW35xx`
//! ElastiCache, `FW36xx` CloudFront, `FW37xx` ACM, `FW38xx` Systems Manager,
//! `FW39xx` KMS, `FW40xx` Route 53, `FW41xx` DynamoDB, `FW42xx` SQS, `FW43xx` SNS,
//! `FW45xx` EventBridge, `FW46xx` Lambda event sources, `FW47xx` AWS WAF.
//! `FW2001` is the shared warning for a grant to something without a role,
//! user or group.
#![deny(missing_docs)]

#[allow(dead_code)] // used by the services behind features
mod names;

#[cfg(feature = "apigatewayv2")]
pub mod apigatewayv2;
#[cfg(feature = "applicationautoscaling")]
pub mod applicationautoscaling;
#[cfg(any(feature = "lambda", feature = "ecs"))]
pub mod assets;
#[cfg(feature = "budgets")]
pub mod budgets;
#[cfg(feature = "certificatemanager")]
pub mod certificatemanager;
#[cfg(feature = "cloudfront")]
pub mod cloudfront;
#[cfg(feature = "cloudwatch")]
pub mod cloudwatch;
#[cfg(feature = "dynamodb")]
pub mod dynamodb;
#[cfg(feature = "ec2")]
pub mod ec2;
#[cfg(feature = "ecr")]
pub mod ecr;
#[cfg(feature = "ecs")]
pub mod ecs;
#[cfg(feature = "efs")]
pub mod efs;
#[cfg(feature = "elasticache")]
pub mod elasticache;
#[cfg(feature = "elasticloadbalancingv2")]
pub mod elasticloadbalancingv2;
#[cfg(feature = "events")]
pub mod events;
#[cfg(feature = "iam")]
pub mod iam;
#[cfg(feature = "kms")]
pub mod kms;
#[cfg(feature = "lambda")]
pub mod lambda;
#[cfg(feature = "logs")]
pub mod logs;
#[cfg(feature = "route53")]
pub mod route53;
#[cfg(feature = "s3")]
pub mod s3;
#[cfg(feature = "secretsmanager")]
pub mod secretsmanager;
#[cfg(feature = "sns")]
pub mod sns;
#[cfg(feature = "sqs")]
pub mod sqs;
#[cfg(feature = "ssm")]
pub mod ssm;
#[cfg(feature = "stepfunctions")]
pub mod stepfunctions;
#[cfg(feature = "wafv2")]
pub mod wafv2;
