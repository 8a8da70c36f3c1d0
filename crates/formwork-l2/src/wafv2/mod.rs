//! AWS WAF (v2): a [`WebAcl`] with AWS managed rule groups, a rate limit per
//! client IP and [`IpSet`] rules (allow or block), CloudWatch metrics for
//! every rule, optional logging to a log group, attached to what AWS WAF
//! protects.
//!
//! - [`WebAcl`] ([`WebAclProps`]): a [`WafScope`] (`CLOUDFRONT` or
//!   `REGIONAL`), a [`DefaultAction`], rules in the order they are added
//!   ([`ManagedRuleGroup`], [`RateLimit`], [`IpSetRule`]), priorities
//!   assigned in that order, metric names derived from the rule names.
//! - [`IpSet`] ([`IpSetProps`]): IPv4 or IPv6 CIDR blocks, each checked
//!   (family, prefix length, host bits, `/0`, duplicates).
//! - Where it attaches: an Application Load Balancer
//!   ([`WebAcl::associate`], an `AWS::WAFv2::WebACLAssociation`), an API
//!   Gateway REST API stage, an AppSync API, a Cognito user pool, an App
//!   Runner service, a Verified Access instance or an Amplify app by ARN
//!   ([`WebAclTarget`]); a CloudFront distribution through its own
//!   configuration (`DistributionProps::web_acl`, feature `cloudfront`),
//!   with a web ACL of scope `CLOUDFRONT` in a stack deployed to
//!   `us-east-1`.
//!
//! AWS WAF cannot protect an HTTP API (API Gateway v2), a Lambda function
//! URL or a Network Load Balancer: attaching one is an error
//! ([`codes::TARGET`]) whose help names what can (a CloudFront distribution
//! in front of it, or a REST API).
//!
//! An office allowlist in front of a load balancer, with AWS's common rules
//! and a rate limit:
//!
//! ```
//! use formwork::App;
//! use formwork::wafv2::{
//!     DefaultAction, IpSet, IpSetProps, IpSetRule, ManagedRuleGroup, RateLimit, WafScope, WebAcl,
//!     WebAclProps,
//! };
//! let app = App::new();
//! let stack = app.stack("Edge")?;
//! let office = IpSet::new(&stack, "Office", IpSetProps::ipv4(WafScope::Regional)
//!     .address("203.0.113.0/24"))?;
//! let acl = WebAcl::new(&stack, "Firewall", WebAclProps::new(WafScope::Regional)
//!     .default_action(DefaultAction::Block)
//!     .rule(ManagedRuleGroup::common_rule_set())
//!     .rule(RateLimit::per_ip(1000))
//!     .rule(IpSetRule::allow(&office)))?;
//! let t = app.synth()?.template_json("Edge").ok_or("no template")?;
//! let rules = &t["Resources"]["Firewall"]["Properties"]["Rules"];
//! assert_eq!(rules[0]["Name"], "AWS-AWSManagedRulesCommonRuleSet");
//! assert_eq!(rules[1]["Statement"]["RateBasedStatement"]["Limit"], 1000);
//! assert_eq!(rules[2]["Priority"], 2);
//! # let _ = acl;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What is not modelled here
//!
//! Custom rule groups, regex and byte-match statements, geo matching,
//! CAPTCHA and challenge actions, custom responses, Bot Control, account
//! takeover and fraud-control groups (paid, with their own configuration),
//! scope-down statements and logging filters: set them on the L1 web ACL
//! ([`WebAcl::cfn`]).

mod ip_set;
mod rules;
mod target;
mod web_acl;

pub use ip_set::{IpSet, IpSetProps, IpVersion};
pub use rules::{IpSetRule, ManagedRuleGroup, RateLimit, RateWindow, Rule};
#[cfg(feature = "elasticloadbalancingv2")]
pub(crate) use target::AttachedAcl;
pub use target::WebAclTarget;
pub use web_acl::{DefaultAction, WebAcl, WebAclProps};

#[cfg(feature = "cloudfront")]
pub(crate) use web_acl::check_cloudfront_use;

use formwork_core::{Diagnostic, Scope};

/// Where a web ACL or an IP set is used: CloudFront distributions (global,
/// created in `us-east-1`) or regional resources (load balancers, REST API
/// stages, …) of the stack's region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WafScope {
    /// `CLOUDFRONT`: for CloudFront distributions; the stack must deploy
    /// to `us-east-1`.
    CloudFront,
    /// `REGIONAL`: for load balancers, REST API stages, AppSync APIs,
    /// Cognito user pools, App Runner services, Verified Access instances
    /// and Amplify apps of the same region.
    Regional,
}

impl WafScope {
    /// The value as CloudFormation spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            WafScope::CloudFront => "CLOUDFRONT",
            WafScope::Regional => "REGIONAL",
        }
    }

    fn l1(self) -> formwork_l1::wafv2::ip_set::Scope {
        use formwork_l1::wafv2::ip_set::Scope;
        match self {
            WafScope::CloudFront => Scope::Cloudfront,
            WafScope::Regional => Scope::Regional,
        }
    }
}

/// Reports an error about `property` on `node`, with a fix when there is one.
fn error(node: &Scope, code: &'static str, property: &str, message: String, fix: Option<&str>) {
    let mut d = Diagnostic::error(code, node.path(), message).property(property);
    if let Some(f) = fix {
        d = d.fix(f);
    }
    node.report(d);
}

/// A resource of scope `CLOUDFRONT` in a stack whose region is known and is
/// not `us-east-1`: AWS WAF only creates them there. Returns true when it
/// reported.
fn check_cloudfront_region(node: &Scope, scope: WafScope, what: &str) -> bool {
    if scope != WafScope::CloudFront {
        return false;
    }
    let Some(region) = node.env().region.filter(|r| r != "us-east-1") else {
        return false;
    };
    error(
        node,
        codes::REGION,
        "Scope",
        format!(
            "{what} of scope CLOUDFRONT is in stack {} of region {region}; AWS WAF only creates CLOUDFRONT resources in us-east-1",
            node.stack().name()
        ),
        Some(
            "put the web ACL, its IP sets and its log group in a stack deployed to us-east-1 (App::stack_in with Environment::agnostic().region(\"us-east-1\")); a distribution in a stack of another region takes the web ACL's ARN as a literal or a parameter (DistributionProps::web_acl_id)",
        ),
    );
    true
}

/// The diagnostic codes of the AWS WAF constructs (`FW47xx`).
pub mod codes {
    /// A scope that does not match: an IP set of one scope in a web ACL of
    /// the other, a `REGIONAL` web ACL on a CloudFront distribution, or a
    /// `CLOUDFRONT` web ACL on a regional resource (a load balancer, a REST
    /// API stage, …).
    pub const SCOPE: &str = "FW4701";
    /// A `CLOUDFRONT` web ACL or IP set in a stack of another region than
    /// `us-east-1`, or a CloudFront distribution in a stack of another
    /// region than its web ACL's (stacks of two regions cannot reference
    /// each other).
    pub const REGION: &str = "FW4702";
    /// An IP set address AWS WAF refuses: not in CIDR notation (`a.b.c.d/n`,
    /// `x:y::/n`), of the other IP version than the set, a prefix length
    /// outside 1 to 32 (IPv4) or 1 to 128 (IPv6) (AWS WAF supports every
    /// range except `/0`), host bits set (`10.0.0.1/24`), the same block
    /// twice, or more than 10,000 addresses.
    pub const ADDRESS: &str = "FW4703";
    /// A rule, web ACL or IP set name AWS WAF refuses (1 to 128 characters
    /// of `A-Z a-z 0-9 - _`), or two rules of one web ACL with the same
    /// name.
    pub const NAME: &str = "FW4704";
    /// Two rules of one web ACL with the same priority.
    pub const PRIORITY: &str = "FW4705";
    /// A rate limit outside 10 to 2,000,000,000 requests per window.
    pub const RATE_LIMIT: &str = "FW4706";
    /// A managed rule group AWS WAF refuses: an empty or malformed group or
    /// vendor name, a rule override without a rule name, the same rule
    /// overridden twice, or more than 100 overrides.
    pub const MANAGED_RULE_GROUP: &str = "FW4707";
    /// A metric name CloudWatch refuses (1 to 128 characters of
    /// `A-Z a-z 0-9 _ - # : . /`, not `All` or `Default_Action`).
    pub const METRIC_NAME: &str = "FW4708";
    /// A log group for web ACL logs whose name does not start with
    /// `aws-waf-logs-` (AWS WAF only writes to those), or one without a
    /// name (CloudFormation would generate one that does not).
    pub const LOG_GROUP: &str = "FW4709";
    /// Something AWS WAF cannot protect: an HTTP API (API Gateway v2) or
    /// its stage, a Lambda function URL, a Network Load Balancer, or an
    /// ARN of another service; or a CloudFront distribution given as an
    /// association (CloudFront takes its web ACL in its own
    /// configuration).
    pub const TARGET: &str = "FW4710";
    /// Warning: a web ACL without rules whose default action allows every
    /// request: it protects nothing.
    pub const NO_RULES: &str = "FW4711";
    /// Warning: rules of more than 1,500 web ACL capacity units (WCUs),
    /// counted from what is known (AWS's managed groups with a
    /// constructor, rate limits, IP set rules): AWS WAF charges more for
    /// each 500 WCUs above 1,500.
    pub const CAPACITY_PRICED: &str = "FW4712";
    /// Rules of more than 5,000 WCUs, AWS WAF's maximum for a web ACL.
    pub const CAPACITY: &str = "FW4713";
    /// A second web ACL association of one resource (by two web ACLs, or
    /// the same one twice): AWS WAF attaches at most one web ACL to a
    /// resource. The same load balancer handle is noticed in any stack of
    /// the app; an ARN or a reference when it is the same literal, or the
    /// same reference, as an association of the same stack.
    pub const ONE_WEB_ACL: &str = "FW4714";
}
