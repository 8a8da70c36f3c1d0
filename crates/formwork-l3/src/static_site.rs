//! A static website: a private S3 bucket served over HTTPS by a CloudFront
//! distribution through origin access control.
//!
//! [`StaticSite::new`] makes, under its construct id:
//!
//! - `<id>/Bucket`: an [`s3::Bucket`](formwork_l2::s3::Bucket) with every
//!   safe default (SSE-S3, the four public-access blocks, ACLs disabled, a
//!   policy refusing plain HTTP, retained when the stack goes), whose policy
//!   lets only this distribution read it;
//! - `<id>/Distribution`: a [`cloudfront::Distribution`](Distribution)
//!   whose default behavior reads the bucket through an origin access
//!   control, redirects HTTP to HTTPS, uses the managed `CachingOptimized`
//!   cache policy and `SecurityHeadersPolicy` response headers, compresses,
//!   and returns `index.html` for `/`; with [`StaticSiteProps::spa`], 403
//!   and 404 become `index.html` with status 200, for client-side routing;
//! - the stack outputs `<Id>BucketName`, `<Id>DistributionId` and
//!   `<Id>DomainName` (`<Id>` the construct's logical id), unless turned off.
//!
//! Every part is reachable ([`StaticSite::bucket`],
//! [`StaticSite::distribution`]) to add behaviors, grants or L1 overrides.
//!
//! # Deploying the files
//!
//! Uploading the built site to the bucket and invalidating CloudFront's
//! cache on each deploy are part of asset publishing, which comes in a
//! later version of formwork. Until then, after `aws cloudformation
//! deploy`:
//!
//! ```text
//! aws s3 sync ./dist s3://<BucketName> --delete
//! aws cloudfront create-invalidation --distribution-id <DistributionId> --paths '/*'
//! ```
//!
//! with the two values from the stack's outputs.
//!
//! ```
//! use formwork::App;
//! use formwork::cloudfront::PriceClass;
//! use formwork::patterns::{StaticSite, StaticSiteProps};
//! let app = App::new();
//! let stack = app.stack("Web")?;
//! let site = StaticSite::new(&stack, "Frontend", StaticSiteProps::new().spa(true).price_class(PriceClass::Class200))?;
//! let t = app.synth()?.template_json("Web").ok_or("no template")?;
//! let config = &t["Resources"]["FrontendDistribution"]["Properties"]["DistributionConfig"];
//! assert_eq!(config["DefaultRootObject"], "index.html");
//! assert_eq!(config["DefaultCacheBehavior"]["ViewerProtocolPolicy"], "redirect-to-https");
//! assert_eq!(t["Outputs"]["FrontendDistributionId"]["Value"]["Ref"], "FrontendDistribution");
//! # let _ = site.bucket();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use formwork_core::typed::Str;
use formwork_core::{Expr, Fn, Output, RemovalPolicy, Result, Scope, Value};
use formwork_l2::certificatemanager::Certificate;
use formwork_l2::cloudfront::{
    BehaviorOptions, Distribution, DistributionProps, ErrorResponse, Origin, PriceClass,
    ResponseHeadersPolicy,
};
use formwork_l2::s3::{Bucket, BucketProps};

/// What a [`StaticSite`] is made with.
///
/// Defaults: `index.html` as the root object, no single-page-app error
/// responses, every edge location, CloudFront's own domain
/// (`<id>.cloudfront.net`), the bucket retained when the stack goes, the
/// outputs on.
///
/// ```
/// use formwork::RemovalPolicy;
/// use formwork::certificatemanager::Certificate;
/// use formwork::patterns::StaticSiteProps;
/// let props = StaticSiteProps::new()
///     .domain_name("www.example.com")
///     .certificate(&Certificate::from_arn(
///         "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555",
///     ))
///     .spa(true)
///     .removal_policy(RemovalPolicy::Delete);
/// # let _ = props;
/// ```
#[derive(Clone, Debug)]
pub struct StaticSiteProps {
    domain_names: Vec<Str>,
    certificate: Option<Certificate>,
    price_class: Option<PriceClass>,
    spa: bool,
    index_document: String,
    removal_policy: RemovalPolicy,
    outputs: bool,
    comment: Option<String>,
}

impl Default for StaticSiteProps {
    fn default() -> Self {
        StaticSiteProps::new()
    }
}

impl StaticSiteProps {
    /// The defaults (see [`StaticSiteProps`]).
    pub fn new() -> Self {
        StaticSiteProps {
            domain_names: Vec::new(),
            certificate: None,
            price_class: None,
            spa: false,
            index_document: "index.html".to_owned(),
            removal_policy: RemovalPolicy::Retain,
            outputs: true,
            comment: None,
        }
    }

    /// Adds a domain name the site answers for; needs a
    /// [`certificate`](StaticSiteProps::certificate). The DNS record is
    /// yours to add (an alias or CNAME to the distribution's domain name).
    pub fn domain_name(mut self, name: impl Into<Str>) -> Self {
        self.domain_names.push(name.into());
        self
    }

    /// The ACM certificate for the domain names, in `us-east-1` (see
    /// [`DistributionProps::certificate`]).
    pub fn certificate(mut self, certificate: &Certificate) -> Self {
        self.certificate = Some(certificate.clone());
        self
    }

    /// Which edge locations serve it (all by default).
    pub fn price_class(mut self, price_class: PriceClass) -> Self {
        self.price_class = Some(price_class);
        self
    }

    /// A single-page app: 403 and 404 from the bucket (a path that is no
    /// file; without `s3:ListBucket` S3 answers 403) return the index
    /// document with status 200, and the app routes.
    pub fn spa(mut self, on: bool) -> Self {
        self.spa = on;
        self
    }

    /// The object returned for `/` (`index.html` by default).
    pub fn index_document(mut self, object: impl Into<String>) -> Self {
        self.index_document = object.into();
        self
    }

    /// What happens to the bucket when it leaves the stack (`Retain` by
    /// default; `Delete` only works on an empty bucket).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }

    /// Adds the stack outputs (on by default).
    pub fn outputs(mut self, on: bool) -> Self {
        self.outputs = on;
        self
    }

    /// The distribution's comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }
}

/// A static website: a private bucket behind CloudFront (see the module
/// documentation).
#[derive(Clone, Debug)]
pub struct StaticSite {
    scope: Scope,
    bucket: Bucket,
    distribution: Distribution,
    domain_names: Vec<Str>,
}

impl StaticSite {
    /// Adds the bucket and the distribution under `scope/id`.
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: StaticSiteProps) -> Result<StaticSite> {
        let node = scope.child(id)?;
        let bucket = Bucket::new(
            &node,
            "Bucket",
            BucketProps::new().removal_policy(props.removal_policy),
        )?;
        let mut dp = DistributionProps::new(
            BehaviorOptions::new(Origin::s3_bucket(&bucket))
                .response_headers_policy(ResponseHeadersPolicy::security_headers()),
        )
        .default_root_object(props.index_document.as_str());
        if props.spa {
            let page = format!("/{}", props.index_document);
            dp = dp
                .error_response(ErrorResponse::new(403).response(200, page.as_str()))
                .error_response(ErrorResponse::new(404).response(200, page.as_str()));
        }
        if let Some(p) = props.price_class {
            dp = dp.price_class(p);
        }
        for name in &props.domain_names {
            dp = dp.domain_name(name.clone());
        }
        if let Some(c) = &props.certificate {
            dp = dp.certificate(c);
        }
        if let Some(c) = &props.comment {
            dp = dp.comment(c.as_str());
        }
        let distribution = Distribution::new(&node, "Distribution", dp)?;
        if props.outputs {
            let stack = node.stack();
            let prefix = node.logical_id();
            stack.add_output(
                &format!("{prefix}BucketName"),
                Output::new(bucket.bucket_name())
                    .description("The site's bucket: aws s3 sync <folder> s3://<this> --delete"),
            )?;
            stack.add_output(
                &format!("{prefix}DistributionId"),
                Output::new(distribution.distribution_id()).description(
                    "After uploading: aws cloudfront create-invalidation --distribution-id <this> --paths '/*'",
                ),
            )?;
            stack.add_output(
                &format!("{prefix}DomainName"),
                Output::new(distribution.domain_name())
                    .description("The distribution's domain name (<id>.cloudfront.net)"),
            )?;
        }
        Ok(StaticSite {
            scope: node,
            bucket,
            distribution,
            domain_names: props.domain_names,
        })
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The site's bucket.
    pub fn bucket(&self) -> &Bucket {
        &self.bucket
    }

    /// The distribution.
    pub fn distribution(&self) -> &Distribution {
        &self.distribution
    }

    /// `https://<first domain name>`, or `https://<id>.cloudfront.net`
    /// without domain names: where the site is, and the origin browsers
    /// send (for CORS rules of the APIs it calls).
    pub fn url(&self) -> Expr {
        match self.domain_names.first() {
            Some(name) => Fn::concat([Value::from("https://"), name.clone().into_value()]),
            None => self.distribution.url(),
        }
    }
}

#[cfg(test)]
mod tests {
    use formwork_core::{App, Environment};
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    use super::*;

    fn app() -> (App, formwork_core::Stack) {
        let app = App::new();
        let s = app
            .stack_in("Web", Environment::agnostic().region("ap-northeast-1"))
            .unwrap();
        (app, s)
    }

    #[test]
    fn defaults_private_bucket_oac_https_and_index_html() {
        let (app, s) = app();
        let site = StaticSite::new(&s, "Frontend", StaticSiteProps::new()).unwrap();
        assert!(site.distribution().origin_access_control().is_some());
        assert_eq!(site.scope().path(), "Web/Frontend");
        let t = template(&synth_and_lint(&app, "static-site-defaults"), "Web");
        let bucket = &t["Resources"]["FrontendBucket"];
        assert_eq!(bucket["DeletionPolicy"], "Retain");
        assert_eq!(
            bucket["Properties"]["PublicAccessBlockConfiguration"],
            json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true})
        );
        let config = &t["Resources"]["FrontendDistribution"]["Properties"]["DistributionConfig"];
        assert_eq!(config["DefaultRootObject"], "index.html");
        assert!(config.get("CustomErrorResponses").is_none());
        assert!(config.get("Aliases").is_none());
        let behavior = &config["DefaultCacheBehavior"];
        assert_eq!(behavior["ViewerProtocolPolicy"], "redirect-to-https");
        assert_eq!(behavior["TargetOriginId"], "Bucket");
        assert_eq!(
            behavior["ResponseHeadersPolicyId"],
            ResponseHeadersPolicy::SECURITY_HEADERS_ID
        );
        assert_eq!(
            config["Origins"][0]["OriginAccessControlId"],
            json!({"Fn::GetAtt": ["FrontendDistributionOriginAccessControl", "Id"]})
        );
        let read =
            &t["Resources"]["FrontendBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][1];
        assert_eq!(read["Action"], "s3:GetObject");
        assert_eq!(
            read["Condition"]["StringEquals"]["AWS:SourceArn"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${FrontendDistribution}"})
        );
        assert_eq!(
            t["Outputs"]["FrontendBucketName"]["Value"],
            json!({"Ref": "FrontendBucket"})
        );
        assert_eq!(
            t["Outputs"]["FrontendDistributionId"]["Value"],
            json!({"Ref": "FrontendDistribution"})
        );
        assert_eq!(
            t["Outputs"]["FrontendDomainName"]["Value"],
            json!({"Fn::GetAtt": ["FrontendDistribution", "DomainName"]})
        );
    }

    #[test]
    fn spa_domain_and_price_class() {
        let (app, s) = app();
        let cert = Certificate::from_arn(
            "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555",
        );
        let site = StaticSite::new(
            &s,
            "Site",
            StaticSiteProps::new()
                .spa(true)
                .index_document("app.html")
                .domain_name("www.example.com")
                .certificate(&cert)
                .price_class(PriceClass::Class200)
                .removal_policy(RemovalPolicy::Delete)
                .comment("the app")
                .outputs(false),
        )
        .unwrap();
        s.add_output("Url", Output::new(site.url())).unwrap();
        let t = template(&synth_and_lint(&app, "static-site-spa"), "Web");
        let config = &t["Resources"]["SiteDistribution"]["Properties"]["DistributionConfig"];
        assert_eq!(
            config["CustomErrorResponses"],
            json!([
                {"ErrorCode": 403, "ResponseCode": 200, "ResponsePagePath": "/app.html"},
                {"ErrorCode": 404, "ResponseCode": 200, "ResponsePagePath": "/app.html"}
            ])
        );
        assert_eq!(config["DefaultRootObject"], "app.html");
        assert_eq!(config["Aliases"], json!(["www.example.com"]));
        assert_eq!(config["PriceClass"], "PriceClass_200");
        assert_eq!(config["Comment"], "the app");
        assert_eq!(
            config["ViewerCertificate"]["MinimumProtocolVersion"],
            "TLSv1.2_2021"
        );
        assert_eq!(t["Resources"]["SiteBucket"]["DeletionPolicy"], "Delete");
        assert_eq!(t["Outputs"].as_object().map(|o| o.len()), Some(1));
        assert_eq!(
            t["Outputs"]["Url"]["Value"],
            json!("https://www.example.com")
        );
    }

    #[test]
    fn url_without_domain_names_is_the_distribution_domain() {
        let (_, s) = app();
        let site = StaticSite::new(&s, "Site", StaticSiteProps::new()).unwrap();
        assert_eq!(site.url(), site.distribution().url());
    }

    #[test]
    fn problems_of_the_parts_are_reported_at_their_paths() {
        let (app, s) = app();
        StaticSite::new(
            &s,
            "Site",
            StaticSiteProps::new().domain_name("www.example.com"),
        )
        .unwrap();
        let err = app.synth().unwrap_err();
        let d = err.diagnostics().unwrap();
        let e: Vec<_> = d
            .with_code(formwork_l2::cloudfront::codes::DOMAIN_NAMES)
            .collect();
        assert_eq!(e.len(), 1, "{d}");
        assert_eq!(e[0].path, "Web/Site/Distribution");
        assert!(
            StaticSite::new(&s, "Site", StaticSiteProps::new()).is_err(),
            "duplicate id"
        );
    }
}
