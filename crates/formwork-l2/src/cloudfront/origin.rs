//! Origins: where a distribution fetches what it serves.

use formwork_core::Scope;
use formwork_core::typed::Str;
use formwork_l1::cloudfront::distribution;

use super::{codes, error};
use crate::elasticloadbalancingv2::ApplicationLoadBalancer;
use crate::s3::Bucket;

/// How CloudFront connects to a custom origin (`OriginProtocolPolicy`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum OriginProtocol {
    /// `https-only` (the default): always HTTPS, whatever the viewer used.
    /// The origin's certificate must cover the origin's domain name.
    #[default]
    HttpsOnly,
    /// `http-only`: plain HTTP to the origin (S3 website endpoints, origins
    /// without TLS). Viewers still use HTTPS.
    HttpOnly,
    /// `match-viewer`: the protocol the viewer used.
    MatchViewer,
}

impl OriginProtocol {
    fn as_str(self) -> &'static str {
        match self {
            OriginProtocol::HttpsOnly => "https-only",
            OriginProtocol::HttpOnly => "http-only",
            OriginProtocol::MatchViewer => "match-viewer",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) enum OriginKind {
    /// A bucket read through origin access control.
    S3(Bucket),
    /// A load balancer or any HTTP(S) server.
    Custom {
        domain: Str,
        /// The path of an internal load balancer, which cannot be an origin.
        internal_load_balancer: Option<String>,
    },
}

/// Where a behavior's requests go: an S3 bucket ([`Origin::s3_bucket`]), an
/// Application Load Balancer ([`Origin::load_balancer`]) or any HTTP(S)
/// server ([`Origin::http`]).
///
/// The same origin given to several behaviors is one origin of the
/// distribution. Its id is the bucket's or load balancer's construct id
/// (`Origin1`, `Origin2`, … for [`Origin::http`]) unless set with
/// [`Origin::id`].
///
/// ```
/// use formwork::cloudfront::{Origin, OriginProtocol};
/// let api = Origin::http("api.example.com")
///     .origin_path("/v1")
///     .custom_header("X-Origin-Verify", "set-in-secrets-manager-instead")
///     .read_timeout_secs(30);
/// let legacy = Origin::http("legacy.example.com").protocol_policy(OriginProtocol::HttpOnly);
/// # let _ = (api, legacy);
/// ```
#[derive(Clone, Debug)]
pub struct Origin {
    pub(crate) kind: OriginKind,
    pub(crate) id: Option<String>,
    pub(crate) label: String,
    pub(crate) origin_path: Option<String>,
    pub(crate) custom_headers: Vec<(String, Str)>,
    pub(crate) connection_attempts: Option<u32>,
    pub(crate) connection_timeout_secs: Option<u32>,
    pub(crate) read_timeout_secs: Option<u32>,
    pub(crate) keepalive_timeout_secs: Option<u32>,
    pub(crate) protocol: Option<OriginProtocol>,
    pub(crate) http_port: Option<u16>,
    pub(crate) https_port: Option<u16>,
}

/// Headers CloudFront refuses as origin custom headers (lowercase).
const RESERVED_HEADERS: &[&str] = &[
    "cache-control",
    "connection",
    "content-length",
    "cookie",
    "host",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "if-range",
    "if-unmodified-since",
    "max-forwards",
    "pragma",
    "proxy-authorization",
    "proxy-connection",
    "range",
    "request-range",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
    "x-real-ip",
];

impl Origin {
    fn with(kind: OriginKind, label: String) -> Origin {
        Origin {
            kind,
            id: None,
            label,
            origin_path: None,
            custom_headers: Vec::new(),
            connection_attempts: None,
            connection_timeout_secs: None,
            read_timeout_secs: None,
            keepalive_timeout_secs: None,
            protocol: None,
            http_port: None,
            https_port: None,
        }
    }

    /// A private S3 bucket, read through an origin access control
    /// (`SigningBehavior: always`, SigV4). The distribution adds the
    /// bucket-policy statement that lets it read: principal
    /// `cloudfront.amazonaws.com`, `s3:GetObject` on `bucket/*` (on
    /// `bucket/<origin path>/*` with an origin path), on condition that
    /// `AWS:SourceArn` is this distribution. The bucket keeps its public
    /// access blocks.
    ///
    /// Without `s3:ListBucket` S3 answers 403, not 404, for a missing key:
    /// map 403 in the error responses of a single-page app. A bucket
    /// encrypted with a customer managed KMS key also needs a key policy
    /// statement for `cloudfront.amazonaws.com` (`kms:Decrypt`), which is
    /// not written for you.
    pub fn s3_bucket(bucket: &Bucket) -> Origin {
        Origin::with(
            OriginKind::S3(bucket.clone()),
            bucket.scope().id().to_owned(),
        )
    }

    /// An Application Load Balancer, reached at its DNS name over HTTPS
    /// (`https-only` on 443 by default). It must be internet-facing.
    ///
    /// CloudFront checks the origin's certificate against the domain name
    /// it connects to: the load balancer's own `*.elb.amazonaws.com` name
    /// is covered by no certificate you can have. Either point a name of
    /// your domain (covered by the HTTPS listener's certificate) at the
    /// load balancer and use [`Origin::http`] with that name, or set
    /// [`OriginProtocol::HttpOnly`] here and keep an HTTP listener open to
    /// CloudFront only.
    pub fn load_balancer(load_balancer: &ApplicationLoadBalancer) -> Origin {
        let internal = (!load_balancer.is_internet_facing()).then(|| load_balancer.scope().path());
        Origin::with(
            OriginKind::Custom {
                domain: Str::from(load_balancer.dns_name()),
                internal_load_balancer: internal,
            },
            load_balancer.scope().id().to_owned(),
        )
    }

    /// Any server by domain name (no `https://`), over HTTPS on 443 by
    /// default.
    pub fn http(domain_name: impl Into<Str>) -> Origin {
        Origin::with(
            OriginKind::Custom {
                domain: domain_name.into(),
                internal_load_balancer: None,
            },
            "Origin".to_owned(),
        )
    }

    /// The origin's id in the distribution.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// A path prefix CloudFront adds to requests (`/site`; starts with `/`,
    /// does not end with one).
    pub fn origin_path(mut self, path: impl Into<String>) -> Self {
        self.origin_path = Some(path.into());
        self
    }

    /// A header CloudFront adds to every request to the origin (up to 10).
    pub fn custom_header(mut self, name: impl Into<String>, value: impl Into<Str>) -> Self {
        self.custom_headers.push((name.into(), value.into()));
        self
    }

    /// How many times CloudFront tries to connect (1 to 3; 3 by default).
    pub fn connection_attempts(mut self, attempts: u32) -> Self {
        self.connection_attempts = Some(attempts);
        self
    }

    /// How long CloudFront waits to connect (1 to 10 s; 10 by default).
    pub fn connection_timeout_secs(mut self, seconds: u32) -> Self {
        self.connection_timeout_secs = Some(seconds);
        self
    }

    /// How long CloudFront waits for a response (1 to 180 s; 30 by
    /// default; over 60 needs a quota increase).
    pub fn read_timeout_secs(mut self, seconds: u32) -> Self {
        self.read_timeout_secs = Some(seconds);
        self
    }

    /// How long CloudFront keeps an idle connection to a custom origin
    /// (1 to 180 s; 5 by default; over 60 needs a quota increase).
    pub fn keepalive_timeout_secs(mut self, seconds: u32) -> Self {
        self.keepalive_timeout_secs = Some(seconds);
        self
    }

    /// How CloudFront connects to a custom origin (HTTPS only by default).
    pub fn protocol_policy(mut self, protocol: OriginProtocol) -> Self {
        self.protocol = Some(protocol);
        self
    }

    /// The HTTP port of a custom origin (80 by default).
    pub fn http_port(mut self, port: u16) -> Self {
        self.http_port = Some(port);
        self
    }

    /// The HTTPS port of a custom origin (443 by default).
    pub fn https_port(mut self, port: u16) -> Self {
        self.https_port = Some(port);
        self
    }

    /// The bucket of an S3 origin.
    pub(crate) fn bucket(&self) -> Option<&Bucket> {
        match &self.kind {
            OriginKind::S3(b) => Some(b),
            OriginKind::Custom { .. } => None,
        }
    }

    /// The key pattern the distribution may read in an S3 origin's bucket.
    pub(crate) fn object_pattern(&self) -> String {
        match &self.origin_path {
            Some(p) if !p.trim_matches('/').is_empty() => {
                format!("{}/*", p.trim_matches('/'))
            }
            _ => "*".to_owned(),
        }
    }

    /// Reports what CloudFront would refuse, at `node`, for `property`.
    pub(crate) fn validate(&self, node: &Scope, property: &str) {
        let bad = |message: String| error(node, codes::ORIGIN, property, message, None);
        if let OriginKind::Custom {
            domain,
            internal_load_balancer,
        } = &self.kind
        {
            if let Some(d) = domain.clone().into_value().as_str() {
                if d.is_empty() {
                    bad("an origin's domain name is empty".to_owned());
                } else if d.contains("://") || d.contains('/') || d.contains(char::is_whitespace) {
                    error(
                        node,
                        codes::ORIGIN,
                        property,
                        format!("origin domain name `{d}` is not a domain name"),
                        Some(
                            "give the host name only (api.example.com), and the path with origin_path(..)",
                        ),
                    );
                }
            }
            if let Some(lb) = internal_load_balancer {
                error(
                    node,
                    codes::ORIGIN_INTERNAL_LOAD_BALANCER,
                    property,
                    format!(
                        "load balancer {lb} is internal: CloudFront reaches origins over the internet"
                    ),
                    Some(
                        "make the load balancer internet-facing, or serve it through a CloudFront VPC origin set on the L1 distribution",
                    ),
                );
            }
        } else if self.protocol.is_some()
            || self.http_port.is_some()
            || self.https_port.is_some()
            || self.keepalive_timeout_secs.is_some()
        {
            bad("protocol policy, ports and keep-alive timeout are settings of custom origins; an S3 origin is always reached over HTTPS".to_owned());
        }
        if let Some(p) = &self.origin_path {
            if !p.starts_with('/') || (p.len() > 1 && p.ends_with('/')) || p == "/" {
                error(
                    node,
                    codes::ORIGIN,
                    property,
                    format!("origin path `{p}` must start with `/` and must not end with `/`"),
                    Some("write it as /folder"),
                );
            } else if p.len() > 255 {
                bad(format!(
                    "origin path is {} characters long; allowed: up to 255",
                    p.len()
                ));
            }
        }
        let range = |what: &str, v: Option<u32>, lo: u32, hi: u32| {
            if let Some(v) = v.filter(|v| !(lo..=hi).contains(v)) {
                bad(format!("{what} is {v}; allowed: {lo} to {hi}"));
            }
        };
        range("connection attempts", self.connection_attempts, 1, 3);
        range(
            "connection timeout (s)",
            self.connection_timeout_secs,
            1,
            10,
        );
        range("response timeout (s)", self.read_timeout_secs, 1, 180);
        range(
            "keep-alive timeout (s)",
            self.keepalive_timeout_secs,
            1,
            180,
        );
        for (what, port) in [
            ("HTTP port", self.http_port),
            ("HTTPS port", self.https_port),
        ] {
            if let Some(p) = port.filter(|p| *p != 80 && *p != 443 && *p < 1024) {
                bad(format!("{what} is {p}; allowed: 80, 443, or 1024 to 65535"));
            }
        }
        if self.custom_headers.len() > 10 {
            bad(format!(
                "{} custom headers; allowed: up to 10",
                self.custom_headers.len()
            ));
        }
        let mut seen: Vec<String> = Vec::new();
        for (name, _) in &self.custom_headers {
            let lower = name.to_ascii_lowercase();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                bad(format!("custom header name `{name}` is not a header name"));
            } else if RESERVED_HEADERS.contains(&lower.as_str())
                || lower.starts_with("x-amz-")
                || lower.starts_with("x-edge-")
            {
                bad(format!(
                    "CloudFront does not let origins get custom header `{name}`: it sets or refuses it itself"
                ));
            }
            if seen.contains(&lower) {
                bad(format!("custom header `{name}` is set twice"));
            }
            seen.push(lower);
        }
    }

    /// The L1 origin, without its id. `oac` is the origin access control id
    /// for S3 origins.
    pub(crate) fn to_cfn(&self, oac: Option<Str>) -> distribution::Origin {
        let mut o = distribution::Origin::new();
        match &self.kind {
            OriginKind::S3(bucket) => {
                let mut s3 = distribution::S3OriginConfig::new().origin_access_identity("");
                if let Some(t) = self.read_timeout_secs {
                    s3 = s3.origin_read_timeout(t);
                }
                o = o
                    .domain_name(bucket.regional_domain_name())
                    .s3_origin_config(s3);
                if let Some(id) = oac {
                    o = o.origin_access_control_id(id);
                }
            }
            OriginKind::Custom { domain, .. } => {
                let mut c = distribution::CustomOriginConfig::new()
                    .origin_protocol_policy(self.protocol.unwrap_or_default().as_str())
                    .origin_ssl_protocols(["TLSv1.2"]);
                if let Some(p) = self.http_port {
                    c = c.http_port(p);
                }
                if let Some(p) = self.https_port {
                    c = c.https_port(p);
                }
                if let Some(t) = self.read_timeout_secs {
                    c = c.origin_read_timeout(t);
                }
                if let Some(t) = self.keepalive_timeout_secs {
                    c = c.origin_keepalive_timeout(t);
                }
                o = o.domain_name(domain.clone()).custom_origin_config(c);
            }
        }
        if let Some(p) = &self.origin_path {
            o = o.origin_path(p.as_str());
        }
        if !self.custom_headers.is_empty() {
            o = o.origin_custom_headers(self.custom_headers.iter().map(|(k, v)| {
                distribution::OriginCustomHeader::new()
                    .header_name(k.as_str())
                    .header_value(v.clone())
            }));
        }
        if let Some(a) = self.connection_attempts {
            o = o.connection_attempts(a);
        }
        if let Some(t) = self.connection_timeout_secs {
            o = o.connection_timeout(t);
        }
        o
    }
}
