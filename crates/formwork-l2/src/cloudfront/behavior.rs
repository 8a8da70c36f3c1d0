//! Cache behaviors: how requests matching a path pattern are served.

use formwork_core::Scope;
use formwork_l1::cloudfront::distribution;

use super::origin::Origin;
use super::policy::{CachePolicy, OriginRequestPolicy, ResponseHeadersPolicy};
use super::{codes, error};

/// What viewers may use (`ViewerProtocolPolicy`). Plain HTTP is never
/// served.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ViewerProtocol {
    /// `redirect-to-https` (the default): HTTP requests get a 301 to HTTPS.
    #[default]
    RedirectToHttps,
    /// `https-only`: HTTP requests get a 403.
    HttpsOnly,
}

impl ViewerProtocol {
    fn as_str(self) -> &'static str {
        match self {
            ViewerProtocol::RedirectToHttps => "redirect-to-https",
            ViewerProtocol::HttpsOnly => "https-only",
        }
    }
}

/// The HTTP methods a behavior accepts (the sets CloudFront offers).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AllowedMethods {
    /// `GET`, `HEAD` (the default).
    #[default]
    GetHead,
    /// `GET`, `HEAD`, `OPTIONS` (CORS preflight).
    GetHeadOptions,
    /// Every method: `GET`, `HEAD`, `OPTIONS`, `PUT`, `PATCH`, `POST`,
    /// `DELETE` (APIs).
    All,
}

impl AllowedMethods {
    fn methods(self) -> &'static [&'static str] {
        match self {
            AllowedMethods::GetHead => &["GET", "HEAD"],
            AllowedMethods::GetHeadOptions => &["GET", "HEAD", "OPTIONS"],
            AllowedMethods::All => &["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
        }
    }
}

/// The HTTP methods whose responses are cached.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CachedMethods {
    /// `GET`, `HEAD` (the default).
    #[default]
    GetHead,
    /// `GET`, `HEAD`, `OPTIONS`.
    GetHeadOptions,
}

impl CachedMethods {
    fn methods(self) -> &'static [&'static str] {
        match self {
            CachedMethods::GetHead => &["GET", "HEAD"],
            CachedMethods::GetHeadOptions => &["GET", "HEAD", "OPTIONS"],
        }
    }
}

/// How a distribution serves the requests of a behavior: its origin and
/// policies.
///
/// Defaults: viewers redirected to HTTPS, `GET` and `HEAD` allowed and
/// cached, the managed `CachingOptimized` cache policy, no origin request
/// policy, no response headers policy, compression on.
///
/// ```
/// use formwork::cloudfront::{AllowedMethods, BehaviorOptions, CachePolicy, Origin, OriginRequestPolicy, ViewerProtocol};
/// let api = BehaviorOptions::new(Origin::http("api.example.com"))
///     .viewer_protocol(ViewerProtocol::HttpsOnly)
///     .allowed_methods(AllowedMethods::All)
///     .cache_policy(CachePolicy::caching_disabled())
///     .origin_request_policy(OriginRequestPolicy::all_viewer_except_host_header());
/// # let _ = api;
/// ```
#[derive(Clone, Debug)]
pub struct BehaviorOptions {
    pub(crate) origin: Origin,
    viewer_protocol: ViewerProtocol,
    allowed_methods: AllowedMethods,
    cached_methods: CachedMethods,
    cache_policy: CachePolicy,
    origin_request_policy: Option<OriginRequestPolicy>,
    response_headers_policy: Option<ResponseHeadersPolicy>,
    compress: bool,
}

impl BehaviorOptions {
    /// A behavior for `origin`, with the defaults above.
    pub fn new(origin: Origin) -> Self {
        BehaviorOptions {
            origin,
            viewer_protocol: ViewerProtocol::RedirectToHttps,
            allowed_methods: AllowedMethods::GetHead,
            cached_methods: CachedMethods::GetHead,
            cache_policy: CachePolicy::caching_optimized(),
            origin_request_policy: None,
            response_headers_policy: None,
            compress: true,
        }
    }

    /// What viewers may use.
    pub fn viewer_protocol(mut self, protocol: ViewerProtocol) -> Self {
        self.viewer_protocol = protocol;
        self
    }

    /// The methods accepted.
    pub fn allowed_methods(mut self, methods: AllowedMethods) -> Self {
        self.allowed_methods = methods;
        self
    }

    /// The methods cached (all must be allowed).
    pub fn cached_methods(mut self, methods: CachedMethods) -> Self {
        self.cached_methods = methods;
        self
    }

    /// The cache policy.
    pub fn cache_policy(mut self, policy: CachePolicy) -> Self {
        self.cache_policy = policy;
        self
    }

    /// The origin request policy.
    pub fn origin_request_policy(mut self, policy: OriginRequestPolicy) -> Self {
        self.origin_request_policy = Some(policy);
        self
    }

    /// The response headers policy.
    pub fn response_headers_policy(mut self, policy: ResponseHeadersPolicy) -> Self {
        self.response_headers_policy = Some(policy);
        self
    }

    /// Compresses responses for viewers that accept it (on by default).
    pub fn compress(mut self, on: bool) -> Self {
        self.compress = on;
        self
    }

    /// Reports what CloudFront would refuse, at `node`, for `property`.
    pub(crate) fn validate(&self, node: &Scope, property: &str) {
        if self.cached_methods == CachedMethods::GetHeadOptions
            && self.allowed_methods == AllowedMethods::GetHead
        {
            error(
                node,
                codes::METHODS,
                &format!("{property}.CachedMethods"),
                "OPTIONS is cached but not allowed; cached methods must all be allowed".to_owned(),
                Some(
                    "allow GET, HEAD and OPTIONS (AllowedMethods::GetHeadOptions), or cache GET and HEAD only",
                ),
            );
        }
    }

    /// The L1 default behavior, for the origin `origin_id`.
    pub(crate) fn to_default(&self, origin_id: &str) -> distribution::DefaultCacheBehavior {
        let mut b = distribution::DefaultCacheBehavior::new()
            .target_origin_id(origin_id)
            .viewer_protocol_policy(distribution::ViewerProtocolPolicy::from(
                self.viewer_protocol.as_str(),
            ))
            .allowed_methods(self.allowed_methods.methods().iter().copied())
            .cached_methods(self.cached_methods.methods().iter().copied())
            .cache_policy_id(self.cache_policy.cache_policy_id())
            .compress(self.compress);
        if let Some(p) = &self.origin_request_policy {
            b = b.origin_request_policy_id(p.origin_request_policy_id());
        }
        if let Some(p) = &self.response_headers_policy {
            b = b.response_headers_policy_id(p.response_headers_policy_id());
        }
        b
    }

    /// The L1 behavior for `path_pattern`, for the origin `origin_id`.
    pub(crate) fn to_behavior(
        &self,
        path_pattern: &str,
        origin_id: &str,
    ) -> distribution::CacheBehavior {
        let mut b = distribution::CacheBehavior::new()
            .path_pattern(path_pattern)
            .target_origin_id(origin_id)
            .viewer_protocol_policy(self.viewer_protocol.as_str())
            .allowed_methods(self.allowed_methods.methods().iter().copied())
            .cached_methods(self.cached_methods.methods().iter().copied())
            .cache_policy_id(self.cache_policy.cache_policy_id())
            .compress(self.compress);
        if let Some(p) = &self.origin_request_policy {
            b = b.origin_request_policy_id(p.origin_request_policy_id());
        }
        if let Some(p) = &self.response_headers_policy {
            b = b.response_headers_policy_id(p.response_headers_policy_id());
        }
        b
    }
}
