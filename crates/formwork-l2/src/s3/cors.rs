//! CORS rules of a bucket.

use formwork_core::Scope;
use formwork_core::typed::Str;
use formwork_l1::s3::bucket;

use super::codes;

/// S3 accepts at most this many CORS rules per bucket.
const MAX_CORS_RULES: usize = 100;

/// An HTTP method a CORS rule allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
}

impl HttpMethod {
    /// The method as S3 spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
        }
    }

    fn to_cfn(self) -> bucket::AllowedMethods {
        match self {
            HttpMethod::Get => bucket::AllowedMethods::Get,
            HttpMethod::Put => bucket::AllowedMethods::Put,
            HttpMethod::Post => bucket::AllowedMethods::Post,
            HttpMethod::Delete => bucket::AllowedMethods::Delete,
            HttpMethod::Head => bucket::AllowedMethods::Head,
        }
    }
}

/// One CORS rule: which origins may call the bucket from a browser, with
/// which methods and headers.
///
/// ```
/// use formwork::s3::{CorsRule, HttpMethod};
/// let rule = CorsRule::new(["https://yourdomain.com"], [HttpMethod::Get, HttpMethod::Put, HttpMethod::Post])
///     .allowed_headers(["*"])
///     .max_age_seconds(3000);
/// # let _ = rule;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CorsRule {
    id: Option<String>,
    allowed_origins: Vec<Str>,
    allowed_methods: Vec<HttpMethod>,
    allowed_headers: Vec<String>,
    exposed_headers: Vec<String>,
    max_age_seconds: Option<u32>,
}

impl CorsRule {
    /// A rule allowing `methods` from `origins` (`https://example.com`, or
    /// `*` for any origin; an origin may hold one `*` wildcard).
    pub fn new<O: Into<Str>>(
        origins: impl IntoIterator<Item = O>,
        methods: impl IntoIterator<Item = HttpMethod>,
    ) -> Self {
        let mut allowed_methods = Vec::new();
        for m in methods {
            if !allowed_methods.contains(&m) {
                allowed_methods.push(m);
            }
        }
        CorsRule {
            id: None,
            allowed_origins: origins.into_iter().map(Into::into).collect(),
            allowed_methods,
            allowed_headers: Vec::new(),
            exposed_headers: Vec::new(),
            max_age_seconds: None,
        }
    }

    /// An id for the rule (up to 255 characters).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Request headers the browser may send (`Access-Control-Request-Headers`);
    /// each may hold one `*` wildcard.
    pub fn allowed_headers<S: Into<String>>(
        mut self,
        headers: impl IntoIterator<Item = S>,
    ) -> Self {
        self.allowed_headers
            .extend(headers.into_iter().map(Into::into));
        self
    }

    /// Response headers the browser may read (`x-amz-request-id`, `ETag`).
    pub fn exposed_headers<S: Into<String>>(
        mut self,
        headers: impl IntoIterator<Item = S>,
    ) -> Self {
        self.exposed_headers
            .extend(headers.into_iter().map(Into::into));
        self
    }

    /// How long the browser may cache the preflight answer, in seconds.
    pub fn max_age_seconds(mut self, seconds: u32) -> Self {
        self.max_age_seconds = Some(seconds);
        self
    }

    pub(crate) fn to_cfn(&self) -> bucket::CorsRule {
        let mut r = bucket::CorsRule::new()
            .allowed_origins(self.allowed_origins.clone())
            .allowed_methods(self.allowed_methods.iter().map(|m| m.to_cfn()));
        if let Some(id) = &self.id {
            r = r.id(id.as_str());
        }
        if !self.allowed_headers.is_empty() {
            r = r.allowed_headers(self.allowed_headers.iter().map(String::as_str));
        }
        if !self.exposed_headers.is_empty() {
            r = r.exposed_headers(self.exposed_headers.iter().map(String::as_str));
        }
        if let Some(s) = self.max_age_seconds {
            r = r.max_age(s);
        }
        r
    }
}

/// Checks CORS rules the way S3 does; reports on `node`.
pub(crate) fn validate(node: &Scope, rules: &[CorsRule]) {
    if rules.len() > MAX_CORS_RULES {
        node.error(
            codes::CORS_RULE,
            "CorsConfiguration.CorsRules",
            format!(
                "{} CORS rules; S3 allows at most {MAX_CORS_RULES} per bucket",
                rules.len()
            ),
        );
    }
    for (i, rule) in rules.iter().enumerate() {
        let base = format!("CorsConfiguration.CorsRules[{i}]");
        if rule.allowed_origins.is_empty() {
            node.error(
                codes::CORS_RULE,
                &format!("{base}.AllowedOrigins"),
                format!("CORS rule {i} allows no origin; a rule needs at least one origin (`https://example.com`, or `*`)"),
            );
        }
        for (j, origin) in rule.allowed_origins.iter().enumerate() {
            if let Some(o) = origin.clone().into_value().as_str() {
                if o.matches('*').count() > 1 {
                    node.error(
                        codes::CORS_RULE,
                        &format!("{base}.AllowedOrigins[{j}]"),
                        format!("CORS origin `{o}` has more than one `*`; S3 allows at most one wildcard per origin"),
                    );
                }
            }
        }
        if rule.allowed_methods.is_empty() {
            node.error(
                codes::CORS_RULE,
                &format!("{base}.AllowedMethods"),
                format!("CORS rule {i} allows no method; a rule needs at least one of GET, PUT, POST, DELETE, HEAD"),
            );
        }
        for (j, h) in rule.allowed_headers.iter().enumerate() {
            if h.matches('*').count() > 1 {
                node.error(
                    codes::CORS_RULE,
                    &format!("{base}.AllowedHeaders[{j}]"),
                    format!("CORS header `{h}` has more than one `*`; S3 allows at most one wildcard per header"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use formwork_core::{App, Diagnostic};

    use super::*;
    use crate::s3::{Bucket, BucketProps};

    fn errors(rules: Vec<CorsRule>) -> Vec<Diagnostic> {
        let app = App::new();
        let stack = app.stack("Stack").unwrap();
        let props = rules
            .into_iter()
            .fold(BucketProps::new(), BucketProps::cors_rule);
        Bucket::new(&stack, "Web", props).unwrap();
        app.synth().unwrap_err().diagnostics().unwrap().0.clone()
    }

    #[test]
    fn each_cors_problem_is_named() {
        let cases = [
            (
                CorsRule::new(Vec::<&str>::new(), [HttpMethod::Get]),
                "CorsConfiguration.CorsRules[0].AllowedOrigins",
                "CORS rule 0 allows no origin",
            ),
            (
                CorsRule::new(
                    ["https://a.example.com", "https://*.*.example.com"],
                    [HttpMethod::Get],
                ),
                "CorsConfiguration.CorsRules[0].AllowedOrigins[1]",
                "CORS origin `https://*.*.example.com` has more than one `*`",
            ),
            (
                CorsRule::new(["*"], []),
                "CorsConfiguration.CorsRules[0].AllowedMethods",
                "CORS rule 0 allows no method",
            ),
            (
                CorsRule::new(["*"], [HttpMethod::Get]).allowed_headers(["x-*-*"]),
                "CorsConfiguration.CorsRules[0].AllowedHeaders[0]",
                "CORS header `x-*-*` has more than one `*`",
            ),
        ];
        for (rule, prop, message) in cases {
            let ds = errors(vec![rule]);
            assert_eq!(ds.len(), 1, "{ds:#?}");
            assert_eq!(ds[0].code, codes::CORS_RULE);
            assert_eq!(ds[0].path, "Stack/Web");
            assert_eq!(ds[0].property.as_deref(), Some(prop));
            assert!(ds[0].message.starts_with(message), "{}", ds[0].message);
        }
    }

    #[test]
    fn at_most_a_hundred_rules() {
        let rules = (0..101)
            .map(|i| CorsRule::new([format!("https://{i}.example.com")], [HttpMethod::Get]))
            .collect();
        let ds = errors(rules);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        assert_eq!(ds[0].code, codes::CORS_RULE);
        assert_eq!(
            ds[0].property.as_deref(),
            Some("CorsConfiguration.CorsRules")
        );
        assert_eq!(
            ds[0].message,
            "101 CORS rules; S3 allows at most 100 per bucket"
        );
    }

    #[test]
    fn methods_are_deduplicated_and_spelled_as_s3_does() {
        let r = CorsRule::new(
            ["*"],
            [HttpMethod::Get, HttpMethod::Get, HttpMethod::Delete],
        );
        assert_eq!(r.allowed_methods, [HttpMethod::Get, HttpMethod::Delete]);
        assert_eq!(HttpMethod::Head.as_str(), "HEAD");
    }
}
