//! Elastic Load Balancing v2: Application Load Balancers with their own
//! security group, HTTPS listeners with a modern TLS policy, an HTTP→HTTPS
//! redirect in one call, listener rules, and target groups with checked
//! health checks.
//!
//! - [`ApplicationLoadBalancer`], internet-facing (in the public subnets)
//!   or internal (in the private subnets), its own security group that lets
//!   nothing in and nothing out until listeners and targets say so, invalid
//!   header fields dropped, optional access logs to an S3 bucket.
//! - [`ApplicationListener`] ([`ApplicationLoadBalancer::add_listener`],
//!   [`ApplicationLoadBalancer::add_redirect`]), HTTP or HTTPS, a default
//!   [`ListenerAction`] (forward, redirect, fixed response) and rules
//!   ([`ApplicationListener::add_rule`]) matched on [`ListenerCondition`]s.
//! - [`ApplicationTargetGroup`], with IP, instance or Lambda targets, health
//!   check, deregistration delay, stickiness, slow start.
//!
//! Reference architecture C (HTTPS on 443 with a certificate given as a
//! parameter, port 80 redirected, forwarding to port 8501 of IP targets):
//!
//! ```
//! use formwork::App;
//! use formwork::certificatemanager::Certificate;
//! use formwork::ec2::{Vpc, VpcProps};
//! use formwork::elasticloadbalancingv2::{
//!     ApplicationLoadBalancer, ApplicationLoadBalancerProps, ApplicationTargetGroup, HealthCheck,
//!     ListenerProps, TargetGroupProps,
//! };
//! let app = App::new();
//! let stack = app.stack("Weather")?;
//! let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
//! let certificate = Certificate::from_parameter(&stack, "CertificateArn")?;
//! let alb = ApplicationLoadBalancer::new(&stack, "Alb", ApplicationLoadBalancerProps::new(&vpc))?;
//! let app_targets = ApplicationTargetGroup::new(
//!     &stack,
//!     "AppTargets",
//!     TargetGroupProps::new(&vpc)
//!         .port(8501)
//!         .health_check(HealthCheck::new().path("/").interval_seconds(30)),
//! )?;
//! let https = alb.add_listener("Https", ListenerProps::https(443, &certificate, &app_targets))?;
//! alb.add_redirect(80, 443)?;
//! # let _ = https;
//! # Ok::<(), formwork::Error>(())
//! ```
//!
//! # Security groups
//!
//! The load balancer's own group (unless one is given) starts with no
//! inbound rule and no outbound traffic. A listener opens its port to
//! `0.0.0.0/0` (and `::/0` for dual-stack) when its `open` setting is on,
//! which is the default for an **internet-facing** load balancer (as in the
//! AWS CDK) and off for an internal one; set
//! [`ListenerProps::open`]`(false)` and allow clients with
//! `alb.connections().allow_from(..)` to restrict it. Nothing else is opened
//! implicitly. Traffic to targets is allowed when targets register their
//! connections with the target group (below): the targets' group accepts
//! the target port from the load balancer's group, and the load balancer's
//! group may send to it.
//!
//! # Registering an ECS service (or anything else) as targets
//!
//! A service that runs its tasks behind a target group does three things,
//! all through the target group, in any order relative to the listeners:
//!
//! 1. Its `AWS::ECS::Service` names the target group in `LoadBalancers`
//!    (`TargetGroupArn: tg.target_group_arn()`, the container name and
//!    port). For Fargate (`awsvpc`) the target group's type must be
//!    [`TargetType::Ip`] ([`ApplicationTargetGroup::target_type`]), which is
//!    the default of [`TargetGroupProps::new`].
//! 2. The service must be created after a listener or rule forwards to the
//!    target group: ECS refuses a target group that is not attached to a
//!    load balancer yet. [`ApplicationTargetGroup::add_dependent`] makes the
//!    service resource `DependsOn` every listener and rule that forwards to
//!    the group, the ones that exist now and the ones added later.
//!    [`ApplicationTargetGroup::listener_resources`] lists them.
//! 3. Its security groups must let the load balancer in on the container
//!    port: [`ApplicationTargetGroup::register_connectable`] writes those
//!    rules for every load balancer that forwards to the group, now or later
//!    (and the health check port when it is another one).
//!
//! [`ApplicationTargetGroup::register_service`] does 2 and 3 in one call:
//!
//! ```
//! # use formwork::App;
//! # use formwork::ec2::{SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
//! # use formwork::elasticloadbalancingv2::{ApplicationTargetGroup, TargetGroupProps};
//! # use formwork::ec2::CfnEip;
//! # let app = App::new();
//! # let stack = app.stack("Weather")?;
//! # let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
//! # let tg = ApplicationTargetGroup::new(&stack, "AppTargets", TargetGroupProps::new(&vpc).port(8501))?;
//! // Inside the service construct, with its L1 resource and its security group:
//! # let service_resource = stack.add("Service", CfnEip::new().domain("vpc"))?;
//! let service_group = SecurityGroup::new(&stack, "ServiceSecurityGroup", SecurityGroupProps::new(&vpc))?;
//! tg.register_service(&service_resource, &service_group, 8501)?;
//! # Ok::<(), formwork::Error>(())
//! ```
//!
//! # Access logs
//!
//! [`ApplicationLoadBalancerProps::access_logs`] sends access logs to a
//! bucket of the same region, and adds to the bucket's policy the statement
//! AWS now documents for every region: `s3:PutObject` for the service
//! principal `logdelivery.elasticloadbalancing.amazonaws.com` on
//! `<bucket>/<prefix>/AWSLogs/<account>/*` only. (The older form granted
//! the per-region Elastic Load Balancing account, such as `582318560864` in
//! ap-northeast-1; AWS recommends replacing it with the service principal,
//! which regions opened since August 2022 only accept.) The load balancer
//! depends on the bucket policy, since Elastic Load Balancing checks that it
//! may write when logging is switched on. The bucket must use SSE-S3
//! encryption (the [`crate::s3::Bucket`] default); a bucket imported by
//! name keeps its own policy, which must allow the statement above.

mod action;
mod alb;
mod alb_listener;
mod alb_target_group;
mod condition;
#[cfg(feature = "cloudwatch")]
mod metrics;
#[cfg(test)]
mod tests;

pub use action::{
    FixedResponse, FixedResponseContentType, ListenerAction, Redirect, RedirectProtocol,
};
pub use alb::{
    ApplicationLoadBalancer, ApplicationLoadBalancerProps, LoadBalancerIpAddressType,
    LoadBalancerScheme,
};
pub use alb_listener::{
    ApplicationListener, ApplicationListenerRule, ApplicationProtocol, ListenerProps,
    ListenerRuleProps, SslPolicy,
};
pub use alb_target_group::{
    ApplicationTargetGroup, HealthCheck, HealthCheckPort, ProtocolVersion, Stickiness,
    TargetGroupProps, TargetType,
};
pub use condition::ListenerCondition;

/// The diagnostic codes of the load balancing constructs (`FW31xx`).
pub mod codes {
    /// An HTTPS listener without a certificate, or certificates or an SSL
    /// policy on an HTTP listener.
    pub const LISTENER_CERTIFICATE: &str = "FW3101";
    /// Two listeners on one port of a load balancer, or a listener on port 0.
    pub const LISTENER_PORT: &str = "FW3102";
    /// Two rules of one listener with the same priority.
    pub const RULE_PRIORITY: &str = "FW3103";
    /// A forward action without a target group, with more than 5, with the
    /// same group twice, a weight outside 0 to 999, or a stickiness duration
    /// outside 1 to 604800 seconds (or on an action that does not forward).
    pub const FORWARD: &str = "FW3104";
    /// A fixed response whose status code is not 2XX, 4XX or 5XX, or whose
    /// body is longer than 1024 characters.
    pub const FIXED_RESPONSE: &str = "FW3105";
    /// A redirect that changes nothing (it would loop), a path that does not
    /// start with `/`, a query that starts with `?`, port 0, or an HTTPS
    /// listener redirecting to HTTP.
    pub const REDIRECT: &str = "FW3106";
    /// A listener rule without a condition, with a condition without
    /// values, more than one host, path, method or source-ip condition,
    /// more than 5 condition values in all, or a value Elastic Load
    /// Balancing refuses (length, characters, CIDR block).
    pub const RULE_CONDITION: &str = "FW3107";
    /// A health check whose timeout is not shorter than its interval, an
    /// interval outside 5 to 300 s, a timeout outside 2 to 120 s, a
    /// threshold outside 2 to 10, a path that does not start with `/`,
    /// success codes that are not codes or ranges of 200 to 499 (gRPC: 0 to
    /// 99) or of the wrong kind for the protocol version, or port 0.
    pub const HEALTH_CHECK: &str = "FW3108";
    /// A target group setting its target type does not allow: a port,
    /// protocol, VPC or health check port/protocol on a Lambda target group,
    /// no VPC on an IP or instance one, a deregistration delay outside 0 to
    /// 3600 s, a slow start outside 30 to 900 s (or 0), stickiness outside 1
    /// to 604800 s or with a reserved cookie name, or a target with a port
    /// in a Lambda target group.
    pub const TARGET_GROUP: &str = "FW3109";
    /// A load balancer or target group name Elastic Load Balancing refuses
    /// (1 to 32 letters, digits and hyphens, no hyphen first or last, no
    /// `internal-` prefix for load balancers).
    pub const NAME: &str = "FW3110";
    /// Load balancer subnets in fewer than two availability zones, or an
    /// internet-facing load balancer in subnets that are not public.
    pub const SUBNETS: &str = "FW3111";
    /// An idle timeout outside 1 to 4000 seconds.
    pub const IDLE_TIMEOUT: &str = "FW3112";
    /// Access logs to a bucket encrypted with KMS (only SSE-S3 is
    /// supported), or a prefix that contains `AWSLogs` or starts or ends
    /// with `/`.
    pub const ACCESS_LOGS: &str = "FW3113";
    /// `dualstack-without-public-ipv4` on an internal load balancer.
    pub const IP_ADDRESS_TYPE: &str = "FW3114";
    /// Warning: an SSL policy that accepts TLS 1.0 or 1.1.
    pub const WEAK_TLS: &str = "FW3115";
    /// A listener forwarding to a target group of another VPC.
    pub const TARGET_GROUP_VPC: &str = "FW3116";
}
