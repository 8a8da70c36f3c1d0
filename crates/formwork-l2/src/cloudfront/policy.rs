//! Cache, origin request and response headers policies: the AWS managed
//! ones by id, or new ones.

use formwork_core::typed::Str;
use formwork_core::{Result, Scope};
use formwork_l1::cloudfront::{
    CfnCachePolicy, CfnCachePolicyRef, CfnOriginRequestPolicy, CfnOriginRequestPolicyRef,
    cache_policy, origin_request_policy,
};

use super::{codes, error, unique_name};

/// Which cookies or query strings a policy includes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum RequestItems {
    /// None of them (the default).
    #[default]
    None,
    /// All of them.
    All,
    /// Only these names.
    Allow(Vec<String>),
    /// All but these names.
    AllExcept(Vec<String>),
}

impl RequestItems {
    /// The behavior and the names, as CloudFront spells them.
    fn parts(&self) -> (&'static str, &[String]) {
        match self {
            RequestItems::None => ("none", &[]),
            RequestItems::All => ("all", &[]),
            RequestItems::Allow(n) => ("whitelist", n),
            RequestItems::AllExcept(n) => ("allExcept", n),
        }
    }

    /// True when a list is given and empty.
    fn empty_list(&self) -> bool {
        matches!(self, RequestItems::Allow(n) | RequestItems::AllExcept(n) if n.is_empty())
    }
}

/// Which headers a cache policy puts in the cache key (and so forwards).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum CacheKeyHeaders {
    /// None (the default).
    #[default]
    None,
    /// Only these headers.
    Allow(Vec<String>),
}

/// Which headers an origin request policy forwards to the origin.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum OriginRequestHeaders {
    /// None beyond the cache key's (the default).
    #[default]
    None,
    /// Only these headers.
    Allow(Vec<String>),
    /// Every header of the viewer request.
    AllViewer,
    /// Every viewer header, and these CloudFront headers
    /// (`CloudFront-Viewer-Country`, …).
    AllViewerAndCloudFront(Vec<String>),
    /// Every viewer header but these.
    AllExcept(Vec<String>),
}

/// A cache policy: what goes in the cache key and how long objects stay.
///
/// The AWS managed policies by their documented ids
/// ([`CachePolicy::caching_optimized`], [`CachePolicy::caching_disabled`],
/// [`CachePolicy::from_id`] for the others), or a new one
/// ([`CachePolicy::new`]).
///
/// ```
/// use formwork::App;
/// use formwork::cloudfront::{CacheKeyHeaders, CachePolicy, CachePolicyProps, RequestItems};
/// let app = App::new();
/// let stack = app.stack("Api")?;
/// let by_query = CachePolicy::new(
///     &stack,
///     "SearchCache",
///     CachePolicyProps::new()
///         .default_ttl_secs(60)
///         .max_ttl_secs(300)
///         .query_strings(RequestItems::Allow(vec!["q".into(), "page".into()]))
///         .headers(CacheKeyHeaders::Allow(vec!["Accept-Language".into()])),
/// )?;
/// assert_eq!(CachePolicy::caching_optimized().cache_policy_id(), CachePolicy::CACHING_OPTIMIZED_ID.into());
/// # let _ = by_query;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct CachePolicy {
    id: Str,
    cfn: Option<CfnCachePolicyRef>,
}

impl CachePolicy {
    /// `Managed-CachingOptimized`: no query strings, cookies or headers in
    /// the cache key; TTL 1 s to 1 year, 1 day by default; gzip and Brotli.
    /// For static content.
    pub const CACHING_OPTIMIZED_ID: &'static str = "658327ea-f89d-4fab-a63d-7e88639e58f6";
    /// `Managed-CachingDisabled`: TTL 0, nothing cached. For dynamic
    /// content and APIs.
    pub const CACHING_DISABLED_ID: &'static str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

    /// The managed `CachingOptimized` policy (the behaviors' default).
    pub fn caching_optimized() -> CachePolicy {
        CachePolicy::from_id(CachePolicy::CACHING_OPTIMIZED_ID)
    }

    /// The managed `CachingDisabled` policy.
    pub fn caching_disabled() -> CachePolicy {
        CachePolicy::from_id(CachePolicy::CACHING_DISABLED_ID)
    }

    /// An existing policy by id (another managed policy, or one of another
    /// stack).
    pub fn from_id(id: impl Into<Str>) -> CachePolicy {
        CachePolicy {
            id: id.into(),
            cfn: None,
        }
    }

    /// Adds a cache policy at `scope/id` (see [`CachePolicyProps`]).
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: CachePolicyProps) -> Result<CachePolicy> {
        let node = scope.child(id)?;
        props.validate(&node);
        let name = props
            .name
            .clone()
            .unwrap_or_else(|| Str::from(unique_name(&node)));
        let (cookie_behavior, cookies) = props.cookies.parts();
        let (query_behavior, queries) = props.query_strings.parts();
        let mut cookie_config = cache_policy::CookiesConfig::new().cookie_behavior(cookie_behavior);
        if !cookies.is_empty() {
            cookie_config = cookie_config.cookies(cookies.iter().map(String::as_str));
        }
        let mut query_config =
            cache_policy::QueryStringsConfig::new().query_string_behavior(query_behavior);
        if !queries.is_empty() {
            query_config = query_config.query_strings(queries.iter().map(String::as_str));
        }
        let header_config = match &props.headers {
            CacheKeyHeaders::None => cache_policy::HeadersConfig::new().header_behavior("none"),
            CacheKeyHeaders::Allow(names) => {
                let mut h = cache_policy::HeadersConfig::new().header_behavior("whitelist");
                if !names.is_empty() {
                    h = h.headers(names.iter().map(String::as_str));
                }
                h
            }
        };
        let mut config = cache_policy::CachePolicyConfig::new()
            .name(name)
            .min_ttl(props.min_ttl_secs)
            .default_ttl(props.default_ttl_secs)
            .max_ttl(props.max_ttl_secs)
            .parameters_in_cache_key_and_forwarded_to_origin(
                cache_policy::ParametersInCacheKeyAndForwardedToOrigin::new()
                    .cookies_config(cookie_config)
                    .headers_config(header_config)
                    .query_strings_config(query_config)
                    .enable_accept_encoding_gzip(props.gzip)
                    .enable_accept_encoding_brotli(props.brotli),
            );
        if let Some(c) = &props.comment {
            config = config.comment(c.as_str());
        }
        let cfn = node.add_here(CfnCachePolicy::new().cache_policy_config(config))?;
        Ok(CachePolicy {
            id: Str::from(cfn.id()),
            cfn: Some(cfn),
        })
    }

    /// The policy id (`Fn::GetAtt Id` of a new policy).
    pub fn cache_policy_id(&self) -> Str {
        self.id.clone()
    }

    /// The L1 policy (`None` for a managed or existing policy).
    pub fn cfn(&self) -> Option<&CfnCachePolicyRef> {
        self.cfn.as_ref()
    }
}

/// What a new [`CachePolicy`] is made with.
///
/// Defaults: TTL 0 s minimum, 1 day default, 1 year maximum (CloudFront's
/// defaults); no headers, cookies or query strings in the cache key; gzip
/// and Brotli on; a name unique in the account made from the construct's
/// logical id and the stack's id.
#[derive(Clone, Debug, PartialEq)]
pub struct CachePolicyProps {
    name: Option<Str>,
    comment: Option<String>,
    min_ttl_secs: u64,
    default_ttl_secs: u64,
    max_ttl_secs: u64,
    headers: CacheKeyHeaders,
    cookies: RequestItems,
    query_strings: RequestItems,
    gzip: bool,
    brotli: bool,
}

impl Default for CachePolicyProps {
    fn default() -> Self {
        CachePolicyProps::new()
    }
}

impl CachePolicyProps {
    /// The defaults (see [`CachePolicyProps`]).
    pub fn new() -> Self {
        CachePolicyProps {
            name: None,
            comment: None,
            min_ttl_secs: 0,
            default_ttl_secs: 86_400,
            max_ttl_secs: 31_536_000,
            headers: CacheKeyHeaders::None,
            cookies: RequestItems::None,
            query_strings: RequestItems::None,
            gzip: true,
            brotli: true,
        }
    }

    /// A fixed name (unique in the account).
    pub fn name(mut self, name: impl Into<Str>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// A comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// The minimum TTL.
    pub fn min_ttl_secs(mut self, seconds: u64) -> Self {
        self.min_ttl_secs = seconds;
        self
    }

    /// The TTL when the origin sends no `Cache-Control` or `Expires`.
    pub fn default_ttl_secs(mut self, seconds: u64) -> Self {
        self.default_ttl_secs = seconds;
        self
    }

    /// The maximum TTL (0 caches nothing).
    pub fn max_ttl_secs(mut self, seconds: u64) -> Self {
        self.max_ttl_secs = seconds;
        self
    }

    /// The headers in the cache key.
    pub fn headers(mut self, headers: CacheKeyHeaders) -> Self {
        self.headers = headers;
        self
    }

    /// The cookies in the cache key.
    pub fn cookies(mut self, cookies: RequestItems) -> Self {
        self.cookies = cookies;
        self
    }

    /// The query strings in the cache key.
    pub fn query_strings(mut self, query_strings: RequestItems) -> Self {
        self.query_strings = query_strings;
        self
    }

    /// Caches gzip-compressed objects apart (on by default).
    pub fn gzip(mut self, on: bool) -> Self {
        self.gzip = on;
        self
    }

    /// Caches Brotli-compressed objects apart (on by default).
    pub fn brotli(mut self, on: bool) -> Self {
        self.brotli = on;
        self
    }

    fn validate(&self, node: &Scope) {
        let bad = |property: &str, message: String, fix: Option<&str>| {
            error(node, codes::CACHE_POLICY, property, message, fix)
        };
        if self.min_ttl_secs > self.default_ttl_secs || self.default_ttl_secs > self.max_ttl_secs {
            bad(
                "CachePolicyConfig.DefaultTTL",
                format!(
                    "TTLs must be ordered minimum ≤ default ≤ maximum; found {} ≤ {} ≤ {}",
                    self.min_ttl_secs, self.default_ttl_secs, self.max_ttl_secs
                ),
                None,
            );
        }
        let keyed = self.headers != CacheKeyHeaders::None
            || self.cookies != RequestItems::None
            || self.query_strings != RequestItems::None;
        if self.max_ttl_secs == 0 && (keyed || self.gzip || self.brotli) {
            bad(
                "CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin",
                "a policy with maximum TTL 0 caches nothing, and CloudFront refuses headers, cookies, query strings or compression in its cache key".to_owned(),
                Some("forward values to the origin with an origin request policy instead, and turn gzip and brotli off (or use CachePolicy::caching_disabled())"),
            );
        }
        if matches!(&self.headers, CacheKeyHeaders::Allow(n) if n.is_empty()) {
            bad(
                "CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig",
                "an empty list of headers; name at least one, or use CacheKeyHeaders::None"
                    .to_owned(),
                None,
            );
        }
        for (what, items) in [
            ("CookiesConfig", &self.cookies),
            ("QueryStringsConfig", &self.query_strings),
        ] {
            if items.empty_list() {
                bad(
                    &format!("CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.{what}"),
                    "an empty list of names; name at least one, or use RequestItems::None or RequestItems::All".to_owned(),
                    None,
                );
            }
        }
    }
}

/// An origin request policy: what CloudFront forwards to the origin beyond
/// the cache key.
///
/// ```
/// use formwork::cloudfront::OriginRequestPolicy;
/// // For API origins (API Gateway, Lambda function URLs), which need their own Host header.
/// let api = OriginRequestPolicy::all_viewer_except_host_header();
/// # let _ = api;
/// ```
#[derive(Clone, Debug)]
pub struct OriginRequestPolicy {
    id: Str,
    cfn: Option<CfnOriginRequestPolicyRef>,
}

impl OriginRequestPolicy {
    /// `Managed-AllViewer`: every header, cookie and query string of the
    /// viewer request.
    pub const ALL_VIEWER_ID: &'static str = "216adef6-5c7f-47e4-b989-5492eafa07d3";
    /// `Managed-AllViewerExceptHostHeader`: every viewer value but `Host`;
    /// for origins that route by their own host name (API Gateway, Lambda
    /// function URLs, load balancers with host-based rules).
    pub const ALL_VIEWER_EXCEPT_HOST_HEADER_ID: &'static str =
        "b689b0a8-53d0-40ab-baf2-68738e2966ac";
    /// `Managed-CORS-S3Origin`: the CORS request headers an S3 origin needs.
    pub const CORS_S3_ORIGIN_ID: &'static str = "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf";

    /// The managed `AllViewer` policy.
    pub fn all_viewer() -> OriginRequestPolicy {
        OriginRequestPolicy::from_id(OriginRequestPolicy::ALL_VIEWER_ID)
    }

    /// The managed `AllViewerExceptHostHeader` policy.
    pub fn all_viewer_except_host_header() -> OriginRequestPolicy {
        OriginRequestPolicy::from_id(OriginRequestPolicy::ALL_VIEWER_EXCEPT_HOST_HEADER_ID)
    }

    /// The managed `CORS-S3Origin` policy.
    pub fn cors_s3_origin() -> OriginRequestPolicy {
        OriginRequestPolicy::from_id(OriginRequestPolicy::CORS_S3_ORIGIN_ID)
    }

    /// An existing policy by id.
    pub fn from_id(id: impl Into<Str>) -> OriginRequestPolicy {
        OriginRequestPolicy {
            id: id.into(),
            cfn: None,
        }
    }

    /// Adds an origin request policy at `scope/id`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::cloudfront::{OriginRequestHeaders, OriginRequestPolicy, OriginRequestPolicyProps, RequestItems};
    /// let app = App::new();
    /// let stack = app.stack("Api")?;
    /// let forward = OriginRequestPolicy::new(
    ///     &stack,
    ///     "ForwardQuery",
    ///     OriginRequestPolicyProps::new()
    ///         .query_strings(RequestItems::All)
    ///         .headers(OriginRequestHeaders::Allow(vec!["Authorization".into()])),
    /// )?;
    /// # let _ = forward;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn new(
        scope: &Scope,
        id: &str,
        props: OriginRequestPolicyProps,
    ) -> Result<OriginRequestPolicy> {
        let node = scope.child(id)?;
        let name = props
            .name
            .clone()
            .unwrap_or_else(|| Str::from(unique_name(&node)));
        let (header_behavior, headers): (&str, &[String]) = match &props.headers {
            OriginRequestHeaders::None => ("none", &[]),
            OriginRequestHeaders::Allow(n) => ("whitelist", n),
            OriginRequestHeaders::AllViewer => ("allViewer", &[]),
            OriginRequestHeaders::AllViewerAndCloudFront(n) => {
                ("allViewerAndWhitelistCloudFront", n)
            }
            OriginRequestHeaders::AllExcept(n) => ("allExcept", n),
        };
        let empty_headers = matches!(
            &props.headers,
            OriginRequestHeaders::Allow(n)
                | OriginRequestHeaders::AllViewerAndCloudFront(n)
                | OriginRequestHeaders::AllExcept(n) if n.is_empty()
        );
        for (property, empty) in [
            ("OriginRequestPolicyConfig.HeadersConfig", empty_headers),
            (
                "OriginRequestPolicyConfig.CookiesConfig",
                props.cookies.empty_list(),
            ),
            (
                "OriginRequestPolicyConfig.QueryStringsConfig",
                props.query_strings.empty_list(),
            ),
        ] {
            if empty {
                error(
                    &node,
                    codes::ORIGIN_REQUEST_POLICY,
                    property,
                    "an empty list of names; name at least one, or choose None or All".to_owned(),
                    None,
                );
            }
        }
        let mut header_config =
            origin_request_policy::HeadersConfig::new().header_behavior(header_behavior);
        if !headers.is_empty() {
            header_config = header_config.headers(headers.iter().map(String::as_str));
        }
        let (cookie_behavior, cookies) = props.cookies.parts();
        let mut cookie_config =
            origin_request_policy::CookiesConfig::new().cookie_behavior(cookie_behavior);
        if !cookies.is_empty() {
            cookie_config = cookie_config.cookies(cookies.iter().map(String::as_str));
        }
        let (query_behavior, queries) = props.query_strings.parts();
        let mut query_config =
            origin_request_policy::QueryStringsConfig::new().query_string_behavior(query_behavior);
        if !queries.is_empty() {
            query_config = query_config.query_strings(queries.iter().map(String::as_str));
        }
        let mut config = origin_request_policy::OriginRequestPolicyConfig::new()
            .name(name)
            .headers_config(header_config)
            .cookies_config(cookie_config)
            .query_strings_config(query_config);
        if let Some(c) = &props.comment {
            config = config.comment(c.as_str());
        }
        let cfn =
            node.add_here(CfnOriginRequestPolicy::new().origin_request_policy_config(config))?;
        Ok(OriginRequestPolicy {
            id: Str::from(cfn.id()),
            cfn: Some(cfn),
        })
    }

    /// The policy id (`Fn::GetAtt Id` of a new policy).
    pub fn origin_request_policy_id(&self) -> Str {
        self.id.clone()
    }

    /// The L1 policy (`None` for a managed or existing policy).
    pub fn cfn(&self) -> Option<&CfnOriginRequestPolicyRef> {
        self.cfn.as_ref()
    }
}

/// What a new [`OriginRequestPolicy`] is made with: by default nothing
/// beyond the cache key, and a name unique in the account.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OriginRequestPolicyProps {
    name: Option<Str>,
    comment: Option<String>,
    headers: OriginRequestHeaders,
    cookies: RequestItems,
    query_strings: RequestItems,
}

impl OriginRequestPolicyProps {
    /// Nothing forwarded beyond the cache key.
    pub fn new() -> Self {
        OriginRequestPolicyProps::default()
    }

    /// A fixed name (unique in the account).
    pub fn name(mut self, name: impl Into<Str>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// A comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// The headers forwarded.
    pub fn headers(mut self, headers: OriginRequestHeaders) -> Self {
        self.headers = headers;
        self
    }

    /// The cookies forwarded.
    pub fn cookies(mut self, cookies: RequestItems) -> Self {
        self.cookies = cookies;
        self
    }

    /// The query strings forwarded.
    pub fn query_strings(mut self, query_strings: RequestItems) -> Self {
        self.query_strings = query_strings;
        self
    }
}

/// A response headers policy, by id: the managed
/// [`ResponseHeadersPolicy::security_headers`] or any other. (New policies:
/// the L1 `CfnResponseHeadersPolicy`.)
///
/// ```
/// use formwork::cloudfront::ResponseHeadersPolicy;
/// let headers = ResponseHeadersPolicy::security_headers();
/// # let _ = headers;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseHeadersPolicy {
    id: Str,
}

impl ResponseHeadersPolicy {
    /// `Managed-SecurityHeadersPolicy`: `Strict-Transport-Security` (1
    /// year), `X-Content-Type-Options: nosniff`, `X-Frame-Options:
    /// SAMEORIGIN`, `Referrer-Policy: strict-origin-when-cross-origin`,
    /// `X-XSS-Protection: 1; mode=block`.
    pub const SECURITY_HEADERS_ID: &'static str = "67f7725c-6f97-4210-82d7-5512b31e9d03";

    /// The managed `SecurityHeadersPolicy`.
    pub fn security_headers() -> ResponseHeadersPolicy {
        ResponseHeadersPolicy::from_id(ResponseHeadersPolicy::SECURITY_HEADERS_ID)
    }

    /// A policy by id (a `CfnResponseHeadersPolicy`'s `id()`, or another
    /// managed policy).
    pub fn from_id(id: impl Into<Str>) -> ResponseHeadersPolicy {
        ResponseHeadersPolicy { id: id.into() }
    }

    /// The policy id.
    pub fn response_headers_policy_id(&self) -> Str {
        self.id.clone()
    }
}
