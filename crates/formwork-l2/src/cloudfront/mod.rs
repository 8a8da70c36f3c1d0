//! CloudFront: distributions in front of private S3 buckets (origin access
//! control, the bucket policy written for you), load balancers and any HTTPS
//! origin; HTTPS for viewers always; cache, origin request and response
//! headers policies (the AWS managed ones by id, or your own); custom
//! domains with an ACM certificate checked to be in `us-east-1`.
//!
//! - [`Distribution`] ([`DistributionProps`]): a default [`BehaviorOptions`]
//!   and more by path pattern ([`DistributionProps::behavior`],
//!   [`Distribution::add_behavior`]), error responses, price class, HTTP
//!   version, IPv6, domain names and certificate, access logs, web ACL.
//! - [`Origin`]: [`Origin::s3_bucket`] (through an
//!   `AWS::CloudFront::OriginAccessControl`; the bucket stays private),
//!   [`Origin::load_balancer`], [`Origin::http`].
//! - [`CachePolicy`], [`OriginRequestPolicy`], [`ResponseHeadersPolicy`]:
//!   managed policies by their documented ids, or new ones.
//!
//! A private bucket served over HTTPS, with `index.html` at `/`:
//!
//! ```
//! use formwork::App;
//! use formwork::cloudfront::{BehaviorOptions, Distribution, DistributionProps, Origin};
//! use formwork::s3::{Bucket, BucketProps};
//! let app = App::new();
//! let stack = app.stack("Site")?;
//! let bucket = Bucket::new(&stack, "Content", BucketProps::new())?;
//! let cdn = Distribution::new(
//!     &stack,
//!     "Cdn",
//!     DistributionProps::new(BehaviorOptions::new(Origin::s3_bucket(&bucket)))
//!         .default_root_object("index.html"),
//! )?;
//! let t = app.synth()?.template_json("Site").ok_or("no template")?;
//! let config = &t["Resources"]["Cdn"]["Properties"]["DistributionConfig"];
//! assert_eq!(config["DefaultCacheBehavior"]["ViewerProtocolPolicy"], "redirect-to-https");
//! assert_eq!(t["Resources"]["CdnOriginAccessControl"]["Type"], "AWS::CloudFront::OriginAccessControl");
//! # let _ = cdn;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What is not modelled here
//!
//! CloudFront Functions, Lambda@Edge, origin groups (failover), VPC
//! origins, field-level encryption, signed URLs (trusted key groups),
//! continuous deployment and geo restrictions: set them on the L1
//! distribution ([`Distribution::cfn`]). Uploading files to the origin
//! bucket and invalidating the cache on each deploy are part of asset
//! publishing, which comes in a later version; until then,
//! `aws s3 sync` and `aws cloudfront create-invalidation --distribution-id
//! <id> --paths '/*'` do it, and [`Distribution::grant_create_invalidation`]
//! lets a CI role run the second.

mod behavior;
mod dist;
mod origin;
mod policy;

pub use behavior::{AllowedMethods, BehaviorOptions, CachedMethods, ViewerProtocol};
pub use dist::{
    Distribution, DistributionProps, ErrorResponse, HttpVersion, PriceClass, SecurityPolicy,
};
pub use origin::{Origin, OriginProtocol};
pub use policy::{
    CacheKeyHeaders, CachePolicy, CachePolicyProps, OriginRequestHeaders, OriginRequestPolicy,
    OriginRequestPolicyProps, RequestItems, ResponseHeadersPolicy,
};

use formwork_core::{Diagnostic, Expr, Fn, Pseudo, Scope, Value};

/// Reports an error about `property` on `node`, with a fix when there is one.
fn error(node: &Scope, code: &'static str, property: &str, message: String, fix: Option<&str>) {
    let mut d = Diagnostic::error(code, node.path(), message).property(property);
    if let Some(f) = fix {
        d = d.fix(f);
    }
    node.report(d);
}

/// Reports a warning about `property` on `node`, with a fix when there is one.
fn warning(node: &Scope, code: &'static str, property: &str, message: String, fix: Option<&str>) {
    let mut d = Diagnostic::warning(code, node.path(), message).property(property);
    if let Some(f) = fix {
        d = d.fix(f);
    }
    node.report(d);
}

/// A name unique in the account for a resource at `node`, at most 64
/// characters: its logical id (cut to 27 characters), `-`, and the id part
/// of the stack's id (a UUID, 36 characters). CloudFront policies and
/// origin access controls need names unique in the account, and a stack
/// deployed twice (another name, another account) must not collide.
fn unique_name(node: &Scope) -> Expr {
    let logical: String = node.logical_id().chars().take(27).collect();
    Fn::concat([
        Value::from(format!("{logical}-")),
        Value::from(Fn::select(2, Fn::split("/", Pseudo::StackId))),
    ])
}

/// The diagnostic codes of the CloudFront constructs (`FW36xx`).
pub mod codes {
    /// An origin CloudFront refuses: an empty domain name or one written
    /// as a URL, an origin path that does not start with `/` or ends with
    /// one, a port other than 80, 443 or 1024 to 65535, connection
    /// attempts outside 1 to 3, a connection timeout outside 1 to 10 s, a
    /// response or keep-alive timeout outside 1 to 180 s, more than 10
    /// custom headers, a header CloudFront sets itself or refuses, or
    /// custom-origin settings (protocol, ports, keep-alive) on an S3
    /// origin.
    pub const ORIGIN: &str = "FW3601";
    /// Two different origins with the same id, or an empty id.
    pub const ORIGIN_ID: &str = "FW3602";
    /// An internal load balancer as an origin: CloudFront reaches origins
    /// over the internet, and an internal load balancer has no public
    /// address.
    pub const ORIGIN_INTERNAL_LOAD_BALANCER: &str = "FW3603";
    /// An S3 origin bucket in another stack of the app: the bucket policy
    /// (in the bucket's stack) names the distribution and the distribution
    /// names the bucket, which is a cycle between the two stacks.
    pub const ORIGIN_BUCKET_STACK: &str = "FW3604";
    /// Warning: an imported S3 bucket as an origin, whose bucket policy this
    /// stack does not manage: the statement that lets the distribution read
    /// it must be added by hand (the message has it).
    pub const ORIGIN_BUCKET_IMPORTED: &str = "FW3605";
    /// A path pattern CloudFront refuses (empty, `*` which is the default
    /// behavior's, over 255 characters, characters outside
    /// `A-Za-z0-9_-.*$/~"'@:+&`), or one used by two behaviors.
    pub const PATH_PATTERN: &str = "FW3606";
    /// Warning: more origins (25) or cache behaviors (75) than CloudFront's
    /// default quotas allow; the deploy fails unless the quota was raised.
    pub const QUOTA: &str = "FW3607";
    /// Cached methods that are not all allowed (`GET`, `HEAD`, `OPTIONS`
    /// cached on a behavior that allows only `GET` and `HEAD`).
    pub const METHODS: &str = "FW3608";
    /// An error response CloudFront refuses: an error code it does not
    /// customize (allowed: 400, 403, 404, 405, 414, 416, 500, 501, 502,
    /// 503, 504), a response code it does not return, a page path that
    /// does not start with `/`, or the same error code twice.
    pub const ERROR_RESPONSE: &str = "FW3609";
    /// A default root object that starts with `/`, is longer than 255
    /// characters, or has characters CloudFront refuses.
    pub const DEFAULT_ROOT_OBJECT: &str = "FW3610";
    /// A certificate outside `us-east-1`: CloudFront only uses ACM
    /// certificates of `us-east-1`, whatever the stack's region.
    pub const CERTIFICATE_REGION: &str = "FW3611";
    /// Domain names without a certificate (CloudFront's own certificate
    /// covers `*.cloudfront.net` only), an empty or malformed literal
    /// domain name, or the same name twice.
    pub const DOMAIN_NAMES: &str = "FW3612";
    /// A comment over 128 characters.
    pub const COMMENT: &str = "FW3613";
    /// A literal web ACL ARN that is not an AWS WAF (v2) web ACL of scope
    /// `CLOUDFRONT` (`arn:aws:wafv2:us-east-1:<account>:global/webacl/…`).
    pub const WEB_ACL: &str = "FW3614";
    /// A cache policy CloudFront refuses: TTLs not ordered (minimum ≤
    /// default ≤ maximum), headers, cookies, query strings or compression
    /// in the cache key of a policy that caches nothing (maximum TTL 0), or
    /// an empty list of names.
    pub const CACHE_POLICY: &str = "FW3615";
    /// An origin request policy with an empty list of names.
    pub const ORIGIN_REQUEST_POLICY: &str = "FW3616";
    /// Warning: access logs to an imported bucket, which must have ACLs
    /// enabled for CloudFront to write to it (this stack cannot check).
    pub const LOG_BUCKET: &str = "FW3617";
    /// A minimum TLS version for viewers without a certificate: with
    /// CloudFront's default certificate the minimum is always `TLSv1`.
    pub const SECURITY_POLICY: &str = "FW3618";
}

#[cfg(test)]
mod tests;
