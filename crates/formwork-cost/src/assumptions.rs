//! The usage each priced type reads, and its default when the app declares
//! none. Every default is written here, so a line's assumption is never
//! hidden.
//!
//! | type | key | default | meaning |
//! |---|---|---|---|
//! | every type billed by the hour | `hours` | 730 | hours a month (8,760 / 12) |
//! | `AWS::ECS::Service` (Fargate) | `tasks` | the service's `DesiredCount`, else 1 | running tasks |
//! | | `min_tasks`, `max_tasks` | the scalable target's range, else `tasks` | for the minimum and maximum |
//! | `AWS::ElasticLoadBalancingV2::LoadBalancer` | `lcu` | 1 | load balancer capacity units, on average |
//! | `AWS::EC2::NatGateway` | `gb` | 10 | GB processed a month |
//! | `AWS::EFS::FileSystem` | `gb` | 10 | GB stored |
//! | | `ia_percent` | 0 | share in Infrequent Access |
//! | `AWS::Lambda::Function` | `requests` | 1,000,000 | invocations a month |
//! | | `duration_ms` | 100 | average duration |
//! | `AWS::ApiGatewayV2::Api`, `AWS::ApiGateway::RestApi` | `requests` | 1,000,000 | requests a month |
//! | `AWS::CloudFront::Distribution` | `requests` | 1,000,000 | HTTPS requests a month |
//! | | `gb` | 10 | GB to viewers |
//! | `AWS::S3::Bucket` | `gb` | 1 | GB stored (Standard) |
//! | | `put_requests`, `get_requests` | 10,000, 100,000 | requests a month |
//! | `AWS::SecretsManager::Secret` | `secrets` | 1 | secrets (a resource is one) |
//! | `AWS::Logs::LogGroup` | `gb` | 1 | GB ingested a month |
//! | | `stored_gb` | `gb` | GB kept |
//! | `AWS::EC2::VPCEndpoint` (Interface) | `gb` | 10 | GB processed |
//! | `AWS::StepFunctions::StateMachine` | `transitions` | 10,000 | state transitions a month |
//! | `AWS::ECR::Repository` | `gb` | 1 | GB of images |
//! | a stack (`*`) | `internet_gb` | none | GB sent to the internet (a line only when set) |
//!
//! Free tiers are not subtracted: the estimate is what the app costs in an
//! account that has used them up.

use crate::usage::Usage;

/// The defaults of one type.
pub type Assumptions = Usage;

/// Hours in the average month.
pub const HOURS_A_MONTH: f64 = 730.0;

/// The defaults [`crate::estimate_stack`] uses for `resource_type`.
///
/// ```
/// let d = formwork::cost::assumptions::defaults("AWS::Lambda::Function");
/// assert_eq!(d.get("requests"), Some(1_000_000.0));
/// assert_eq!(d.get("hours"), Some(730.0));
/// ```
pub fn defaults(resource_type: &str) -> Assumptions {
    let u = Usage::new().hours(HOURS_A_MONTH);
    match resource_type {
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => u.set("lcu", 1.0),
        "AWS::EC2::NatGateway" | "AWS::EC2::VPCEndpoint" | "AWS::EFS::FileSystem" => {
            u.set("gb", 10.0).set("ia_percent", 0.0)
        }
        "AWS::Lambda::Function" => u.set("requests", 1e6).set("duration_ms", 100.0),
        "AWS::ApiGatewayV2::Api" | "AWS::ApiGateway::RestApi" => u.set("requests", 1e6),
        "AWS::CloudFront::Distribution" => u.set("requests", 1e6).set("gb", 10.0),
        "AWS::S3::Bucket" => u
            .set("gb", 1.0)
            .set("put_requests", 10_000.0)
            .set("get_requests", 100_000.0),
        "AWS::SecretsManager::Secret" => u.set("secrets", 1.0),
        "AWS::Logs::LogGroup" | "AWS::ECR::Repository" => u.set("gb", 1.0),
        "AWS::StepFunctions::StateMachine" => u.set("transitions", 10_000.0),
        "AWS::CloudWatch::Alarm" => u.set("alarms", 1.0),
        "AWS::CloudWatch::Dashboard" => u.set("dashboards", 1.0),
        _ => u,
    }
}
