//! Distribution: a CloudFront distribution with its origins, behaviors,
//! origin access control and the bucket-policy statements its S3 origins
//! need.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Expr, Fn, Result, Scope, Value};
use formwork_l1::cloudfront::{
    CfnDistribution, CfnDistributionRef, CfnOriginAccessControl, CfnOriginAccessControlRef,
    distribution, origin_access_control,
};
use formwork_l1::s3::bucket as s3_bucket;

use super::behavior::BehaviorOptions;
use super::origin::Origin;
use super::{codes, error, unique_name, warning};
use crate::certificatemanager::Certificate;
use crate::iam::{self, GrantSpec, Grantee, PolicyStatement, Principal};
use crate::s3::Bucket;

/// Which edge locations serve the distribution (`PriceClass`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PriceClass {
    /// `PriceClass_All` (CloudFront's default): every edge location.
    #[default]
    All,
    /// `PriceClass_200`: those of `PriceClass_100`, and most of Asia (Japan
    /// included), the Middle East and Africa; not South America, Australia
    /// or New Zealand.
    Class200,
    /// `PriceClass_100`: North America, Europe and Israel only (viewers
    /// elsewhere are served from there, slower).
    Class100,
}

impl PriceClass {
    fn as_str(self) -> &'static str {
        match self {
            PriceClass::All => "PriceClass_All",
            PriceClass::Class200 => "PriceClass_200",
            PriceClass::Class100 => "PriceClass_100",
        }
    }
}

/// The highest HTTP version viewers may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum HttpVersion {
    /// `http1.1`.
    Http1_1,
    /// `http2`.
    Http2,
    /// `http2and3` (the default): HTTP/2, and HTTP/3 (QUIC) where the viewer
    /// supports it.
    #[default]
    Http2And3,
    /// `http3`.
    Http3,
}

impl HttpVersion {
    fn as_str(self) -> &'static str {
        match self {
            HttpVersion::Http1_1 => "http1.1",
            HttpVersion::Http2 => "http2",
            HttpVersion::Http2And3 => "http2and3",
            HttpVersion::Http3 => "http3",
        }
    }
}

/// The minimum TLS version and ciphers for viewers, with a custom
/// certificate (`MinimumProtocolVersion`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SecurityPolicy {
    /// `TLSv1.2_2021` (the default): TLS 1.2 and 1.3, modern ciphers only.
    #[default]
    TlsV1_2_2021,
    /// `TLSv1.2_2025`: TLS 1.2 and 1.3, fewer ciphers.
    TlsV1_2_2025,
    /// `TLSv1.3_2025`: TLS 1.3 only.
    TlsV1_3_2025,
    /// `TLSv1.2_2019`: TLS 1.2 and 1.3, some older ciphers.
    TlsV1_2_2019,
    /// `TLSv1.2_2018`: TLS 1.2 and 1.3, more older ciphers.
    TlsV1_2_2018,
}

impl SecurityPolicy {
    fn as_str(self) -> &'static str {
        match self {
            SecurityPolicy::TlsV1_2_2021 => "TLSv1.2_2021",
            SecurityPolicy::TlsV1_2_2025 => "TLSv1.2_2025",
            SecurityPolicy::TlsV1_3_2025 => "TLSv1.3_2025",
            SecurityPolicy::TlsV1_2_2019 => "TLSv1.2_2019",
            SecurityPolicy::TlsV1_2_2018 => "TLSv1.2_2018",
        }
    }
}

/// What CloudFront returns when the origin answers with an error code.
///
/// ```
/// use formwork::cloudfront::ErrorResponse;
/// // A single-page app: unknown paths get index.html, and the app routes.
/// let spa = [
///     ErrorResponse::new(403).response(200, "/index.html"),
///     ErrorResponse::new(404).response(200, "/index.html").caching_min_ttl_secs(10),
/// ];
/// # let _ = spa;
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ErrorResponse {
    error_code: u16,
    response: Option<(u16, String)>,
    caching_min_ttl_secs: Option<u64>,
}

/// The error codes CloudFront customizes.
const ERROR_CODES: &[u16] = &[400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504];
/// The response codes CloudFront returns instead.
const RESPONSE_CODES: &[u16] = &[200, 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504];

impl ErrorResponse {
    /// For the origin's `error_code` (400, 403, 404, 405, 414, 416, 500,
    /// 501, 502, 503 or 504).
    pub fn new(error_code: u16) -> Self {
        ErrorResponse {
            error_code,
            response: None,
            caching_min_ttl_secs: None,
        }
    }

    /// Returns `response_code` with the object at `page_path` (`/index.html`).
    pub fn response(mut self, response_code: u16, page_path: impl Into<String>) -> Self {
        self.response = Some((response_code, page_path.into()));
        self
    }

    /// How long CloudFront caches the error (10 s by default).
    pub fn caching_min_ttl_secs(mut self, seconds: u64) -> Self {
        self.caching_min_ttl_secs = Some(seconds);
        self
    }

    fn to_cfn(&self) -> distribution::CustomErrorResponse {
        let mut e = distribution::CustomErrorResponse::new().error_code(self.error_code);
        if let Some((code, path)) = &self.response {
            e = e.response_code(*code).response_page_path(path.as_str());
        }
        if let Some(t) = self.caching_min_ttl_secs {
            e = e.error_caching_min_ttl(t);
        }
        e
    }
}

/// What a [`Distribution`] is made with.
///
/// Defaults: enabled; HTTP/2 and HTTP/3; IPv6; every edge location
/// (`PriceClass_All`); CloudFront's own certificate (`*.cloudfront.net`),
/// or with [`certificate`](DistributionProps::certificate) SNI and
/// `TLSv1.2_2021`; no default root object, error responses, logs or web
/// ACL. Each behavior's defaults are [`BehaviorOptions`]'.
///
/// ```
/// use formwork::certificatemanager::Certificate;
/// use formwork::cloudfront::{BehaviorOptions, DistributionProps, Origin, PriceClass};
/// let props = DistributionProps::new(BehaviorOptions::new(Origin::http("app.example.com")))
///     .domain_name("www.example.com")
///     .certificate(&Certificate::from_arn(
///         "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555",
///     ))
///     .price_class(PriceClass::Class200)
///     .comment("www");
/// # let _ = props;
/// ```
#[derive(Clone, Debug)]
pub struct DistributionProps {
    default_behavior: BehaviorOptions,
    behaviors: Vec<(String, BehaviorOptions)>,
    default_root_object: Option<String>,
    error_responses: Vec<ErrorResponse>,
    price_class: Option<PriceClass>,
    http_version: HttpVersion,
    ipv6: bool,
    domain_names: Vec<Str>,
    certificate: Option<Certificate>,
    security_policy: Option<SecurityPolicy>,
    log_bucket: Option<(Bucket, Option<String>)>,
    log_cookies: bool,
    web_acl_id: Option<Str>,
    #[cfg(feature = "wafv2")]
    web_acl: Option<crate::wafv2::WebAcl>,
    comment: Option<String>,
    enabled: bool,
    tags: Vec<(String, String)>,
}

impl DistributionProps {
    /// A distribution whose default behavior (path pattern `*`) is
    /// `default_behavior`.
    pub fn new(default_behavior: BehaviorOptions) -> Self {
        DistributionProps {
            default_behavior,
            behaviors: Vec::new(),
            default_root_object: None,
            error_responses: Vec::new(),
            price_class: None,
            http_version: HttpVersion::Http2And3,
            ipv6: true,
            domain_names: Vec::new(),
            certificate: None,
            security_policy: None,
            log_bucket: None,
            log_cookies: false,
            web_acl_id: None,
            #[cfg(feature = "wafv2")]
            web_acl: None,
            comment: None,
            enabled: true,
            tags: Vec::new(),
        }
    }

    /// Adds a behavior for requests matching `path_pattern` (`/api/*`,
    /// `*.jpg`); behaviors are matched in the order they are added, before
    /// the default.
    pub fn behavior(mut self, path_pattern: impl Into<String>, options: BehaviorOptions) -> Self {
        self.behaviors.push((path_pattern.into(), options));
        self
    }

    /// The object returned for `/` (`index.html`; no leading `/`).
    pub fn default_root_object(mut self, object: impl Into<String>) -> Self {
        self.default_root_object = Some(object.into());
        self
    }

    /// Adds an error response.
    pub fn error_response(mut self, response: ErrorResponse) -> Self {
        self.error_responses.push(response);
        self
    }

    /// Which edge locations serve it.
    pub fn price_class(mut self, price_class: PriceClass) -> Self {
        self.price_class = Some(price_class);
        self
    }

    /// The highest HTTP version.
    pub fn http_version(mut self, version: HttpVersion) -> Self {
        self.http_version = version;
        self
    }

    /// Answers IPv6 requests (on by default).
    pub fn ipv6(mut self, on: bool) -> Self {
        self.ipv6 = on;
        self
    }

    /// Adds a domain name it answers for (an alternate domain name, CNAME):
    /// needs a [`certificate`](DistributionProps::certificate) covering it.
    /// The DNS record pointing the name at the distribution is yours to add.
    pub fn domain_name(mut self, name: impl Into<Str>) -> Self {
        self.domain_names.push(name.into());
        self
    }

    /// The ACM certificate for the domain names. CloudFront only uses
    /// certificates of `us-east-1`: a certificate created in a stack whose
    /// region is known to be another one, or a literal ARN of another
    /// region, is an error (`FW3611`). A certificate given by reference (a
    /// parameter, an import) is not checked: it must be a `us-east-1` ARN.
    /// A certificate created in a stack without a region is only valid when
    /// that stack is deployed to `us-east-1`.
    pub fn certificate(mut self, certificate: &Certificate) -> Self {
        self.certificate = Some(certificate.clone());
        self
    }

    /// The minimum TLS version for viewers (`TLSv1.2_2021` by default); only
    /// with a certificate.
    pub fn security_policy(mut self, policy: SecurityPolicy) -> Self {
        self.security_policy = Some(policy);
        self
    }

    /// Writes standard access logs to `bucket` (under `prefix`).
    ///
    /// CloudFront's standard logs are written with S3 ACLs: a bucket of
    /// this stack is switched to `ObjectOwnership: BucketOwnerPreferred`
    /// (ACLs enabled, objects owned by the bucket owner); an imported
    /// bucket must have ACLs enabled already (warning `FW3617`). Keep the
    /// log bucket apart from the content buckets.
    pub fn log_bucket(mut self, bucket: &Bucket, prefix: Option<&str>) -> Self {
        self.log_bucket = Some((bucket.clone(), prefix.map(str::to_owned)));
        self
    }

    /// Includes cookies in the access logs (off by default; only with a
    /// [`log_bucket`](DistributionProps::log_bucket)).
    pub fn log_cookies(mut self, on: bool) -> Self {
        self.log_cookies = on;
        self
    }

    /// An AWS WAF web ACL: the ARN of a WAF (v2) web ACL of scope
    /// `CLOUDFRONT` (they live in `us-east-1`). Replaces a
    /// [`web_acl`](DistributionProps::web_acl) set before.
    pub fn web_acl_id(mut self, web_acl: impl Into<Str>) -> Self {
        self.web_acl_id = Some(web_acl.into());
        #[cfg(feature = "wafv2")]
        {
            self.web_acl = None;
        }
        self
    }

    /// Protects the distribution with `web_acl` (feature `wafv2`), a web
    /// ACL of scope `CLOUDFRONT` (`FW4701` otherwise) whose stack deploys
    /// to `us-east-1`; the distribution's stack must be of the same region
    /// when both are known (`FW4702`: stacks of two regions cannot
    /// reference each other; pass the ARN with
    /// [`web_acl_id`](DistributionProps::web_acl_id) then). Replaces a
    /// `web_acl_id` set before.
    ///
    /// ```
    /// use formwork::{App, Environment};
    /// use formwork::cloudfront::{BehaviorOptions, Distribution, DistributionProps, Origin};
    /// use formwork::wafv2::{ManagedRuleGroup, WafScope, WebAcl, WebAclProps};
    /// let app = App::new();
    /// let stack = app.stack_in("Edge", Environment::agnostic().region("us-east-1"))?;
    /// let acl = WebAcl::new(&stack, "Firewall", WebAclProps::new(WafScope::CloudFront)
    ///     .rule(ManagedRuleGroup::common_rule_set()))?;
    /// Distribution::new(&stack, "Cdn", DistributionProps::new(BehaviorOptions::new(Origin::http("api.example.com")))
    ///     .web_acl(&acl))?;
    /// let t = app.synth()?.template_json("Edge").ok_or("no template")?;
    /// assert_eq!(
    ///     t["Resources"]["Cdn"]["Properties"]["DistributionConfig"]["WebACLId"],
    ///     serde_json::json!({"Fn::GetAtt": ["Firewall", "Arn"]})
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "wafv2")]
    pub fn web_acl(mut self, web_acl: &crate::wafv2::WebAcl) -> Self {
        self.web_acl = Some(web_acl.clone());
        self.web_acl_id = None;
        self
    }

    fn has_web_acl(&self) -> bool {
        #[cfg(feature = "wafv2")]
        if self.web_acl.is_some() {
            return true;
        }
        self.web_acl_id.is_some()
    }

    /// A comment (up to 128 characters), shown in the console.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Serves requests (on by default).
    pub fn enabled(mut self, on: bool) -> Self {
        self.enabled = on;
        self
    }

    /// Adds a tag to the distribution.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

/// An origin of the distribution.
#[derive(Clone, Debug)]
struct Registered {
    id: String,
    /// The L1 origin without its id: two origins are the same when equal.
    fingerprint: Value,
    cfn: distribution::Origin,
}

/// What later calls change, rendered into the L1 distribution.
#[derive(Debug)]
struct State {
    base: distribution::DistributionConfig,
    origins: Vec<Registered>,
    default: distribution::DefaultCacheBehavior,
    behaviors: Vec<(String, distribution::CacheBehavior)>,
    oac: Option<CfnOriginAccessControlRef>,
}

/// A CloudFront distribution (`AWS::CloudFront::Distribution`).
///
/// Its origins come from its behaviors: each [`Origin`] is added once. S3
/// origins are read through one origin access control of the distribution
/// (`<id>/OriginAccessControl`), and each origin bucket's policy gets a
/// statement allowing `s3:GetObject` to `cloudfront.amazonaws.com` on
/// condition that `AWS:SourceArn` is this distribution's ARN. The bucket
/// must be in the same stack (`FW3604`).
///
/// CloudFront is global: the stack may be in any region; only the
/// certificate must be in `us-east-1`.
///
/// ```
/// use formwork::{App, Output};
/// use formwork::cloudfront::{
///     AllowedMethods, BehaviorOptions, CachePolicy, Distribution, DistributionProps, ErrorResponse,
///     Origin, OriginRequestPolicy,
/// };
/// use formwork::s3::{Bucket, BucketProps};
/// let app = App::new();
/// let stack = app.stack("Web")?;
/// let site = Bucket::new(&stack, "Site", BucketProps::new())?;
/// let cdn = Distribution::new(
///     &stack,
///     "Cdn",
///     DistributionProps::new(BehaviorOptions::new(Origin::s3_bucket(&site)))
///         .default_root_object("index.html")
///         .error_response(ErrorResponse::new(404).response(200, "/index.html"))
///         .behavior(
///             "/api/*",
///             BehaviorOptions::new(Origin::http("api.example.com"))
///                 .allowed_methods(AllowedMethods::All)
///                 .cache_policy(CachePolicy::caching_disabled())
///                 .origin_request_policy(OriginRequestPolicy::all_viewer_except_host_header()),
///         ),
/// )?;
/// stack.add_output("DistributionId", Output::new(cdn.distribution_id()))?;
/// stack.add_output("SiteUrl", Output::new(cdn.url()))?;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Distribution {
    cfn: CfnDistributionRef,
    scope: Scope,
    state: Rc<RefCell<State>>,
}

const INVALIDATE: &[GrantSpec] = &[GrantSpec {
    actions: &[
        "cloudfront:CreateInvalidation",
        "cloudfront:GetInvalidation",
    ],
    arn: 0,
}];

fn literal(s: &Str) -> Option<String> {
    s.clone().into_value().as_str().map(str::to_owned)
}

/// Characters CloudFront accepts in path patterns and object names.
fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_-.*$/~\"'@:+&".contains(c)
}

impl Distribution {
    /// Adds a distribution at `scope/id` (see the type's documentation).
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: DistributionProps) -> Result<Distribution> {
        let node = scope.child(id)?;
        let base = base_config(&node, &props);
        let mut cfn = CfnDistribution::new().distribution_config(base.clone());
        if !props.tags.is_empty() {
            cfn = cfn.tags(
                props
                    .tags
                    .iter()
                    .map(|(k, v)| distribution::Tag::new().key(k.as_str()).value(v.as_str())),
            );
        }
        let cfn = node.add_here(cfn)?;
        if !props.has_web_acl() {
            cfn.suppress(
                "CKV_AWS_68",
                "a WAF web ACL is billed per rule and request and is a choice of the application; DistributionProps::web_acl_id attaches one",
            );
        }
        if props.log_bucket.is_none() {
            cfn.suppress(
                "CKV_AWS_86",
                "access logs need a bucket to write to; DistributionProps::log_bucket turns them on",
            );
        }
        if props.certificate.is_none() {
            cfn.suppress(
                "CKV_AWS_174",
                "the distribution uses CloudFront's default certificate (*.cloudfront.net), whose TLS policy CloudFront sets; with a certificate of its own formwork requires TLS 1.2",
            );
        }
        let dist = Distribution {
            cfn,
            scope: node,
            state: Rc::new(RefCell::new(State {
                base,
                origins: Vec::new(),
                default: distribution::DefaultCacheBehavior::new(),
                behaviors: Vec::new(),
                oac: None,
            })),
        };
        let property = "DistributionConfig.DefaultCacheBehavior";
        props.default_behavior.validate(&dist.scope, property);
        let origin_id = dist.register_origin(&props.default_behavior.origin, property)?;
        dist.state.borrow_mut().default = props.default_behavior.to_default(&origin_id);
        for (path, options) in props.behaviors {
            dist.push_behavior(path, options)?;
        }
        dist.render();
        Ok(dist)
    }

    /// Adds a behavior for requests matching `path_pattern`, after the
    /// ones already there (see [`DistributionProps::behavior`]).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::cloudfront::{BehaviorOptions, Distribution, DistributionProps, Origin};
    /// use formwork::s3::{Bucket, BucketProps};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let site = Bucket::new(&stack, "Site", BucketProps::new())?;
    /// let media = Bucket::new(&stack, "Media", BucketProps::new())?;
    /// let cdn = Distribution::new(&stack, "Cdn", DistributionProps::new(BehaviorOptions::new(Origin::s3_bucket(&site))))?;
    /// cdn.add_behavior("/media/*", BehaviorOptions::new(Origin::s3_bucket(&media)))?;
    /// assert_eq!(cdn.origin_ids(), ["Site", "Media"]);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_behavior(&self, path_pattern: &str, options: BehaviorOptions) -> Result<()> {
        self.push_behavior(path_pattern.to_owned(), options)?;
        self.render();
        Ok(())
    }

    #[track_caller]
    fn push_behavior(&self, path: String, options: BehaviorOptions) -> Result<()> {
        let index = self.state.borrow().behaviors.len();
        let property = format!("DistributionConfig.CacheBehaviors[{index}]");
        self.validate_path(&path, &property);
        options.validate(&self.scope, &property);
        let origin_id = self.register_origin(&options.origin, &property)?;
        let behavior = options.to_behavior(&path, &origin_id);
        let count = {
            let mut st = self.state.borrow_mut();
            st.behaviors.push((path, behavior));
            st.behaviors.len()
        };
        if count == 76 {
            warning(
                &self.scope,
                codes::QUOTA,
                "DistributionConfig.CacheBehaviors",
                "more than 75 cache behaviors: over CloudFront's default quota".to_owned(),
                Some(
                    "request a quota increase (Service Quotas, CloudFront) before deploying, or merge behaviors",
                ),
            );
        }
        Ok(())
    }

    fn validate_path(&self, path: &str, property: &str) {
        let property = format!("{property}.PathPattern");
        let bad = |message: String, fix: Option<&str>| {
            error(&self.scope, codes::PATH_PATTERN, &property, message, fix)
        };
        if path.is_empty() {
            bad("a path pattern is empty".to_owned(), None);
        } else if path == "*" || path == "/*" {
            bad(
                format!(
                    "path pattern `{path}` matches every request: that is the default behavior"
                ),
                Some("set it as the default behavior (DistributionProps::new) instead"),
            );
        } else if path.len() > 255 {
            bad(
                format!(
                    "path pattern is {} characters long; allowed: up to 255",
                    path.len()
                ),
                None,
            );
        } else if let Some(c) = path.chars().find(|c| !is_path_char(*c)) {
            bad(
                format!(
                    "path pattern `{path}` has `{c}`; allowed: A-Z a-z 0-9 _ - . * $ / ~ \" ' @ : + &"
                ),
                None,
            );
        }
        let norm = |p: &str| p.trim_start_matches('/').to_owned();
        if self
            .state
            .borrow()
            .behaviors
            .iter()
            .any(|(p, _)| norm(p) == norm(path))
        {
            bad(
                format!(
                    "path pattern `{path}` is used by another behavior; the second would never match"
                ),
                None,
            );
        }
    }

    /// The origin access control of the S3 origins, made on first use.
    #[track_caller]
    fn oac(&self) -> Result<CfnOriginAccessControlRef> {
        if let Some(o) = self.state.borrow().oac.clone() {
            return Ok(o);
        }
        let node = self.scope.child("OriginAccessControl")?;
        let oac = node.add_here(
            CfnOriginAccessControl::new().origin_access_control_config(
                origin_access_control::OriginAccessControlConfig::new()
                    .name(unique_name(&node))
                    .description(format!("S3 origins of {}", self.scope.path()))
                    .origin_access_control_origin_type("s3")
                    .signing_behavior("always")
                    .signing_protocol("sigv4"),
            ),
        )?;
        self.state.borrow_mut().oac = Some(oac.clone());
        Ok(oac)
    }

    /// Adds `origin` unless the same origin is there; returns its id.
    #[track_caller]
    fn register_origin(&self, origin: &Origin, property: &str) -> Result<String> {
        origin.validate(&self.scope, property);
        let oac = match origin.bucket() {
            Some(_) => Some(Str::from(self.oac()?.id())),
            None => None,
        };
        let cfn = origin.to_cfn(oac);
        let fingerprint = Value::from(cfn.clone());
        {
            let st = self.state.borrow();
            if let Some(r) = st.origins.iter().find(|r| {
                r.fingerprint == fingerprint && origin.id.as_ref().is_none_or(|i| *i == r.id)
            }) {
                return Ok(r.id.clone());
            }
        }
        if let Some(bucket) = origin.bucket() {
            self.connect_bucket(bucket, origin, property);
        }
        let mut st = self.state.borrow_mut();
        let taken = |id: &str| st.origins.iter().any(|r| r.id == id);
        let id = match &origin.id {
            Some(i) => {
                if i.is_empty() {
                    error(
                        &self.scope,
                        codes::ORIGIN_ID,
                        property,
                        "an origin id is empty".to_owned(),
                        None,
                    );
                } else if taken(i) {
                    error(
                        &self.scope,
                        codes::ORIGIN_ID,
                        property,
                        format!("origin id `{i}` is used by two different origins"),
                        Some(
                            "give each origin its own id, or use the same Origin value for both behaviors",
                        ),
                    );
                }
                i.clone()
            }
            None => {
                let label = origin.label.as_str();
                let mut n = 1;
                let mut id = if label == "Origin" {
                    format!("Origin{n}")
                } else {
                    label.to_owned()
                };
                while taken(&id) {
                    n += 1;
                    id = format!("{label}{n}");
                }
                id
            }
        };
        st.origins.push(Registered {
            id: id.clone(),
            fingerprint,
            cfn,
        });
        if st.origins.len() == 26 {
            warning(
                &self.scope,
                codes::QUOTA,
                "DistributionConfig.Origins",
                "more than 25 origins: over CloudFront's default quota".to_owned(),
                Some("request a quota increase (Service Quotas, CloudFront) before deploying"),
            );
        }
        Ok(id)
    }

    /// Lets the distribution read an S3 origin's bucket.
    fn connect_bucket(&self, bucket: &Bucket, origin: &Origin, property: &str) {
        let pattern = origin.object_pattern();
        let statement = PolicyStatement::allow()
            .principal(Principal::service("cloudfront.amazonaws.com"))
            .actions(["s3:GetObject"])
            .resource(bucket.arn_for_objects(&pattern))
            .condition("StringEquals", "AWS:SourceArn", self.distribution_arn());
        if bucket.cfn().is_none() {
            warning(
                &self.scope,
                codes::ORIGIN_BUCKET_IMPORTED,
                property,
                format!(
                    "bucket {} is imported: its bucket policy is not managed here, and the distribution cannot read it until the policy allows s3:GetObject on {pattern} to the service principal cloudfront.amazonaws.com with condition StringEquals AWS:SourceArn arn:aws:cloudfront::<account>:distribution/<this distribution's id>",
                    bucket.scope().path()
                ),
                Some("add that statement to the bucket's policy where the bucket is managed"),
            );
        } else if bucket.scope().stack() != self.scope.stack() {
            error(
                &self.scope,
                codes::ORIGIN_BUCKET_STACK,
                property,
                format!(
                    "bucket {} is in stack {}, and the distribution in stack {}: the bucket policy would reference the distribution and the distribution the bucket, a cycle between the stacks",
                    bucket.scope().path(),
                    bucket.scope().stack().name(),
                    self.scope.stack().name()
                ),
                Some("create the bucket in the distribution's stack"),
            );
        } else {
            bucket.add_to_resource_policy(statement);
        }
    }

    /// Writes origins and behaviors into the L1 distribution.
    fn render(&self) {
        let st = self.state.borrow();
        let mut config = st
            .base
            .clone()
            .origins(
                st.origins
                    .iter()
                    .map(|r| r.cfn.clone().id(r.id.as_str()))
                    .collect::<Vec<_>>(),
            )
            .default_cache_behavior(st.default.clone());
        if !st.behaviors.is_empty() {
            config = config.cache_behaviors(
                st.behaviors
                    .iter()
                    .map(|(_, b)| b.clone())
                    .collect::<Vec<_>>(),
            );
        }
        drop(st);
        self.cfn.update(|d| d.distribution_config(config));
    }

    /// The L1 distribution, for what this construct does not model.
    pub fn cfn(&self) -> &CfnDistributionRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The origin access control of the S3 origins (`None` without S3
    /// origins).
    pub fn origin_access_control(&self) -> Option<CfnOriginAccessControlRef> {
        self.state.borrow().oac.clone()
    }

    /// The origins' ids, in the order they were added.
    pub fn origin_ids(&self) -> Vec<String> {
        self.state
            .borrow()
            .origins
            .iter()
            .map(|r| r.id.clone())
            .collect()
    }

    /// The distribution id (`Ref`), what `aws cloudfront create-invalidation
    /// --distribution-id` takes.
    pub fn distribution_id(&self) -> Expr {
        self.cfn.ref_()
    }

    /// `<id>.cloudfront.net` (`Fn::GetAtt DomainName`), where the DNS
    /// records of the domain names point.
    pub fn domain_name(&self) -> Expr {
        self.cfn.domain_name()
    }

    /// `https://<id>.cloudfront.net`.
    pub fn url(&self) -> Expr {
        Fn::concat([Value::from("https://"), Value::from(self.domain_name())])
    }

    /// `arn:<partition>:cloudfront::<account>:distribution/<id>`.
    pub fn distribution_arn(&self) -> Expr {
        iam::arn(
            "cloudfront",
            false,
            true,
            Fn::concat([Value::from("distribution/"), Value::from(self.cfn.ref_())]),
        )
    }

    /// Lets the grantee invalidate the cache (`cloudfront:CreateInvalidation`
    /// and `cloudfront:GetInvalidation` on this distribution): what a deploy
    /// role needs after uploading new files. A grantee without a role gets
    /// warning `FW3619`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::cloudfront::{BehaviorOptions, Distribution, DistributionProps, Origin};
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let cdn = Distribution::new(&stack, "Cdn", DistributionProps::new(BehaviorOptions::new(Origin::http("app.example.com"))))?;
    /// let ci = Role::new(&stack, "Deployer", RoleProps::new(Principal::service("codebuild.amazonaws.com")))?;
    /// cdn.grant_create_invalidation(&ci)?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant_create_invalidation(&self, grantee: &dyn Grantee) -> Result<()> {
        iam::grant_or_report(
            &self.scope,
            grantee,
            INVALIDATE,
            &[Value::from(self.distribution_arn())],
        );
        Ok(())
    }
}

/// Everything but origins and behaviors, checked.
fn base_config(node: &Scope, props: &DistributionProps) -> distribution::DistributionConfig {
    let mut c = distribution::DistributionConfig::new()
        .enabled(props.enabled)
        .http_version(distribution::HttpVersion::from(props.http_version.as_str()))
        .ipv6_enabled(props.ipv6);
    if let Some(p) = props.price_class {
        c = c.price_class(distribution::PriceClass::from(p.as_str()));
    }
    if let Some(o) = &props.default_root_object {
        check_root_object(node, o);
        c = c.default_root_object(o.as_str());
    }
    if let Some(comment) = &props.comment {
        if comment.chars().count() > 128 {
            error(
                node,
                codes::COMMENT,
                "DistributionConfig.Comment",
                format!(
                    "the comment is {} characters long; allowed: up to 128",
                    comment.chars().count()
                ),
                None,
            );
        }
        c = c.comment(comment.as_str());
    }
    if !props.error_responses.is_empty() {
        check_error_responses(node, &props.error_responses);
        c = c.custom_error_responses(props.error_responses.iter().map(ErrorResponse::to_cfn));
    }
    check_domain_names(node, props);
    if !props.domain_names.is_empty() {
        c = c.aliases(props.domain_names.clone());
    }
    if let Some(v) = viewer_certificate(node, props) {
        c = c.viewer_certificate(v);
    }
    if let Some((bucket, prefix)) = &props.log_bucket {
        c = c.logging(logging(node, bucket, prefix.as_deref(), props.log_cookies));
    }
    if let Some(acl) = &props.web_acl_id {
        check_web_acl(node, acl);
        c = c.web_acl_id(acl.clone());
    }
    #[cfg(feature = "wafv2")]
    if let Some(arn) = props
        .web_acl
        .as_ref()
        .and_then(|acl| crate::wafv2::check_cloudfront_use(node, acl))
    {
        c = c.web_acl_id(arn);
    }
    c
}

fn check_root_object(node: &Scope, object: &str) {
    let property = "DistributionConfig.DefaultRootObject";
    if object.starts_with('/') {
        error(
            node,
            codes::DEFAULT_ROOT_OBJECT,
            property,
            format!("default root object `{object}` starts with `/`"),
            Some("name the object without the slash (index.html)"),
        );
    } else if object.is_empty() || object.len() > 255 {
        error(
            node,
            codes::DEFAULT_ROOT_OBJECT,
            property,
            format!(
                "default root object is {} characters long; allowed: 1 to 255",
                object.len()
            ),
            None,
        );
    } else if let Some(ch) = object.chars().find(|c| !is_path_char(*c)) {
        error(
            node,
            codes::DEFAULT_ROOT_OBJECT,
            property,
            format!(
                "default root object `{object}` has `{ch}`; allowed: A-Z a-z 0-9 _ - . * $ / ~ \" ' @ : + &"
            ),
            None,
        );
    }
}

fn check_error_responses(node: &Scope, responses: &[ErrorResponse]) {
    let mut seen = Vec::new();
    for (i, r) in responses.iter().enumerate() {
        let property = format!("DistributionConfig.CustomErrorResponses[{i}]");
        let bad = |message: String| error(node, codes::ERROR_RESPONSE, &property, message, None);
        if !ERROR_CODES.contains(&r.error_code) {
            bad(format!(
                "CloudFront does not customize error code {}; allowed: {ERROR_CODES:?}",
                r.error_code
            ));
        }
        if seen.contains(&r.error_code) {
            bad(format!(
                "error code {} has two error responses",
                r.error_code
            ));
        }
        seen.push(r.error_code);
        if let Some((code, path)) = &r.response {
            if !RESPONSE_CODES.contains(code) {
                bad(format!(
                    "CloudFront does not return response code {code}; allowed: {RESPONSE_CODES:?}"
                ));
            }
            if !path.starts_with('/') {
                bad(format!("response page path `{path}` must start with `/`"));
            }
        }
    }
}

fn check_domain_names(node: &Scope, props: &DistributionProps) {
    let property = "DistributionConfig.Aliases";
    if !props.domain_names.is_empty() && props.certificate.is_none() {
        error(
            node,
            codes::DOMAIN_NAMES,
            property,
            "domain names need a certificate that covers them; CloudFront's own certificate covers *.cloudfront.net only".to_owned(),
            Some("add .certificate(..) with an ACM certificate of us-east-1"),
        );
    }
    let mut seen: Vec<String> = Vec::new();
    for name in props.domain_names.iter().filter_map(literal) {
        let rest = name.strip_prefix("*.").unwrap_or(&name);
        let malformed = rest.is_empty()
            || rest.contains('*')
            || !rest.contains('.')
            || rest.starts_with('.')
            || rest.ends_with('.')
            || rest.contains("..")
            || !rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        if malformed {
            error(
                node,
                codes::DOMAIN_NAMES,
                property,
                format!("`{name}` is not a domain name CloudFront accepts"),
                Some(
                    "give a fully qualified name (www.example.com), or a wildcard as the first label (*.example.com)",
                ),
            );
        }
        let lower = name.to_ascii_lowercase();
        if seen.contains(&lower) {
            error(
                node,
                codes::DOMAIN_NAMES,
                property,
                format!("domain name `{name}` is given twice"),
                None,
            );
        }
        seen.push(lower);
    }
}

fn viewer_certificate(
    node: &Scope,
    props: &DistributionProps,
) -> Option<distribution::ViewerCertificate> {
    let Some(cert) = &props.certificate else {
        if let Some(p) = props.security_policy {
            error(
                node,
                codes::SECURITY_POLICY,
                "DistributionConfig.ViewerCertificate.MinimumProtocolVersion",
                format!(
                    "minimum protocol version {} needs a certificate: with CloudFront's default certificate the minimum is always TLSv1",
                    p.as_str()
                ),
                Some("add domain names and a certificate, or drop security_policy(..)"),
            );
        }
        return None;
    };
    let property = "DistributionConfig.ViewerCertificate.AcmCertificateArn";
    if cert.validate_use(node, property, None) {
        let region = match cert.scope() {
            Some(s) => s.env().region,
            None => cert.region(),
        };
        if let Some(r) = region.filter(|r| r != "us-east-1") {
            let fix = match cert.scope() {
                Some(_) => {
                    "request the certificate in a stack deployed to us-east-1 and pass its ARN here (a literal or a parameter: stacks of two regions cannot reference each other)"
                }
                None => "use a certificate of us-east-1 (request or import it there)",
            };
            error(
                node,
                codes::CERTIFICATE_REGION,
                property,
                format!(
                    "the certificate is in {r}; CloudFront only uses ACM certificates of us-east-1"
                ),
                Some(fix),
            );
        }
    }
    Some(
        distribution::ViewerCertificate::new()
            .acm_certificate_arn(cert.certificate_arn())
            .ssl_support_method(distribution::SslSupportMethod::SniOnly)
            .minimum_protocol_version(distribution::MinimumProtocolVersion::from(
                props.security_policy.unwrap_or_default().as_str(),
            )),
    )
}

fn logging(
    node: &Scope,
    bucket: &Bucket,
    prefix: Option<&str>,
    cookies: bool,
) -> distribution::Logging {
    match bucket.cfn() {
        Some(b) => {
            b.update(|r| {
                r.ownership_controls(
                    s3_bucket::OwnershipControls::new()
                        .rules([s3_bucket::OwnershipControlsRule::new()
                            .object_ownership(s3_bucket::ObjectOwnership::BucketOwnerPreferred)]),
                )
            });
        }
        None => warning(
            node,
            codes::LOG_BUCKET,
            "DistributionConfig.Logging.Bucket",
            format!(
                "log bucket {} is imported: CloudFront writes standard logs with ACLs, so it must have ACLs enabled (ObjectOwnership BucketOwnerPreferred or ObjectWriter), which this stack cannot check",
                bucket.scope().path()
            ),
            None,
        ),
    }
    let mut l = distribution::Logging::new()
        .bucket(bucket.domain_name())
        .include_cookies(cookies);
    if let Some(p) = prefix {
        l = l.prefix(p);
    }
    l
}

fn check_web_acl(node: &Scope, acl: &Str) {
    let Some(s) = literal(acl) else { return };
    if !s.starts_with("arn:") {
        return;
    }
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[2] == "wafv2"
        && parts[3] == "us-east-1"
        && parts[5].starts_with("global/webacl/");
    if !ok {
        error(
            node,
            codes::WEB_ACL,
            "DistributionConfig.WebACLId",
            format!("`{s}` is not the ARN of a WAF web ACL of scope CLOUDFRONT"),
            Some(
                "create the web ACL with scope CLOUDFRONT (in us-east-1); its ARN looks like arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>",
            ),
        );
    }
}
