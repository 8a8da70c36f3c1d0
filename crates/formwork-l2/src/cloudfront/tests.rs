//! Tests of the CloudFront constructs: the defaults and the OAC wiring, each
//! kind of origin, behaviors and policies, every diagnostic, and full
//! templates through cfn-lint.

use formwork_core::{App, Diagnostic, Diagnostics, Environment, Stack};
use formwork_test_support::{synth_and_lint, template};
use serde_json::{Value as Json, json};

use super::*;
use crate::certificatemanager::{Certificate, CertificateProps};
use crate::ec2::{Vpc, VpcProps};
use crate::elasticloadbalancingv2::{
    ApplicationLoadBalancer, ApplicationLoadBalancerProps, LoadBalancerScheme,
};
use crate::iam::{Role, RoleProps};
use crate::s3::{Bucket, BucketProps};

const US_EAST_1_CERT: &str =
    "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555";
const TOKYO_CERT: &str =
    "arn:aws:acm:ap-northeast-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555";

fn setup() -> (App, Stack, Bucket) {
    let app = App::new();
    let s = app
        .stack_in("S", Environment::agnostic().region("ap-northeast-1"))
        .unwrap();
    let b = Bucket::new(&s, "Site", BucketProps::new()).unwrap();
    (app, s, b)
}

fn s3_props(b: &Bucket) -> DistributionProps {
    DistributionProps::new(BehaviorOptions::new(Origin::s3_bucket(b)))
}

use formwork_test_support::failed;

fn one(d: &Diagnostics, code: &str, path: &str, property: &str) -> Diagnostic {
    formwork_test_support::one_at(d, code, path, property)
}

fn config(t: &Json) -> &Json {
    &t["Resources"]["Cdn"]["Properties"]["DistributionConfig"]
}

#[test]
fn s3_origin_goes_through_origin_access_control_and_the_bucket_stays_private() {
    let (app, s, b) = setup();
    let cdn = Distribution::new(&s, "Cdn", s3_props(&b).default_root_object("index.html")).unwrap();
    assert!(cdn.origin_access_control().is_some());
    let asm = synth_and_lint(&app, "cloudfront-s3");
    let t = template(&asm, "S");
    assert_eq!(
        t["Resources"]["CdnOriginAccessControl"]["Properties"]["OriginAccessControlConfig"],
        json!({
            "Name": {"Fn::Sub": ["CdnOriginAccessControl-${Part0}", {"Part0": {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}}]},
            "Description": "S3 origins of S/Cdn",
            "OriginAccessControlOriginType": "s3",
            "SigningBehavior": "always",
            "SigningProtocol": "sigv4"
        })
    );
    let c = config(&t);
    assert_eq!(
        c["Origins"],
        json!([{
            "DomainName": {"Fn::GetAtt": ["Site", "RegionalDomainName"]},
            "S3OriginConfig": {"OriginAccessIdentity": ""},
            "OriginAccessControlId": {"Fn::GetAtt": ["CdnOriginAccessControl", "Id"]},
            "Id": "Site"
        }])
    );
    assert_eq!(
        c["DefaultCacheBehavior"],
        json!({
            "TargetOriginId": "Site",
            "ViewerProtocolPolicy": "redirect-to-https",
            "AllowedMethods": ["GET", "HEAD"],
            "CachedMethods": ["GET", "HEAD"],
            "CachePolicyId": CachePolicy::CACHING_OPTIMIZED_ID,
            "Compress": true
        })
    );
    assert_eq!(c["Enabled"], true);
    assert_eq!(c["HttpVersion"], "http2and3");
    assert_eq!(c["IPV6Enabled"], true);
    assert_eq!(c["DefaultRootObject"], "index.html");
    assert!(c.get("ViewerCertificate").is_none());
    // The bucket policy: the TLS-only deny, and the distribution's read.
    let statements = &t["Resources"]["SitePolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements[1],
        json!({
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": {"Fn::Sub": "${Site.Arn}/*"},
            "Condition": {"StringEquals": {"AWS:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Cdn}"}}}
        })
    );
    assert_eq!(statements.as_array().map(Vec::len), Some(2));
    // The public access blocks stay on.
    assert_eq!(
        t["Resources"]["Site"]["Properties"]["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"],
        true
    );
}

#[test]
fn references_are_ref_getatt_and_the_arn() {
    let (app, s, b) = setup();
    let cdn = Distribution::new(&s, "Cdn", s3_props(&b)).unwrap();
    s.add_output("Id", formwork_core::Output::new(cdn.distribution_id()))
        .unwrap();
    s.add_output("Domain", formwork_core::Output::new(cdn.domain_name()))
        .unwrap();
    s.add_output("Arn", formwork_core::Output::new(cdn.distribution_arn()))
        .unwrap();
    s.add_output("Url", formwork_core::Output::new(cdn.url()))
        .unwrap();
    let t = template(&synth_and_lint(&app, "cloudfront-refs"), "S");
    assert_eq!(t["Outputs"]["Id"]["Value"], json!({"Ref": "Cdn"}));
    assert_eq!(
        t["Outputs"]["Domain"]["Value"],
        json!({"Fn::GetAtt": ["Cdn", "DomainName"]})
    );
    assert_eq!(
        t["Outputs"]["Arn"]["Value"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Cdn}"})
    );
    assert_eq!(
        t["Outputs"]["Url"]["Value"],
        json!({"Fn::Sub": "https://${Cdn.DomainName}"})
    );
}

#[test]
fn a_full_distribution_passes_cfn_lint() {
    let (app, s, b) = setup();
    let logs = Bucket::new(&s, "Logs", BucketProps::new()).unwrap();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
    let alb =
        ApplicationLoadBalancer::new(&s, "Alb", ApplicationLoadBalancerProps::new(&vpc)).unwrap();
    let search_cache = CachePolicy::new(
        &s,
        "SearchCache",
        CachePolicyProps::new()
            .default_ttl_secs(60)
            .max_ttl_secs(600)
            .query_strings(RequestItems::Allow(vec!["q".into()]))
            .headers(CacheKeyHeaders::Allow(vec!["Accept-Language".into()]))
            .comment("search results"),
    )
    .unwrap();
    let forward = OriginRequestPolicy::new(
        &s,
        "Forward",
        OriginRequestPolicyProps::new()
            .headers(OriginRequestHeaders::AllViewerAndCloudFront(vec![
                "CloudFront-Viewer-Country".into(),
            ]))
            .cookies(RequestItems::All)
            .query_strings(RequestItems::AllExcept(vec!["utm_source".into()])),
    )
    .unwrap();
    let props = s3_props(&b)
        .default_root_object("index.html")
        .error_response(ErrorResponse::new(403).response(200, "/index.html"))
        .error_response(ErrorResponse::new(404).response(200, "/index.html").caching_min_ttl_secs(10))
        .behavior(
            "/api/*",
            BehaviorOptions::new(Origin::load_balancer(&alb).protocol_policy(OriginProtocol::HttpOnly))
                .allowed_methods(AllowedMethods::All)
                .viewer_protocol(ViewerProtocol::HttpsOnly)
                .cache_policy(CachePolicy::caching_disabled())
                .origin_request_policy(OriginRequestPolicy::all_viewer_except_host_header()),
        )
        .behavior(
            "/search",
            BehaviorOptions::new(
                Origin::http("search.example.com")
                    .origin_path("/v1")
                    .custom_header("X-Origin-Verify", "abc")
                    .read_timeout_secs(60)
                    .keepalive_timeout_secs(10)
                    .connection_attempts(2)
                    .connection_timeout_secs(5)
                    .https_port(8443),
            )
            .cache_policy(search_cache)
            .origin_request_policy(forward)
            .allowed_methods(AllowedMethods::GetHeadOptions)
            .cached_methods(CachedMethods::GetHeadOptions)
            .response_headers_policy(ResponseHeadersPolicy::security_headers()),
        )
        .behavior("/assets/*", BehaviorOptions::new(Origin::s3_bucket(&b).origin_path("/static")))
        .domain_name("www.example.com")
        .domain_name("*.example.org")
        .certificate(&Certificate::from_arn(US_EAST_1_CERT))
        .security_policy(SecurityPolicy::TlsV1_2_2025)
        .price_class(PriceClass::Class200)
        .http_version(HttpVersion::Http2)
        .ipv6(false)
        .log_bucket(&logs, Some("cdn/"))
        .log_cookies(true)
        .web_acl_id("arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/0a1b2c3d-0000-1111-2222-333344445555")
        .comment("everything")
        .tag("team", "web");
    let cdn = Distribution::new(&s, "Cdn", props).unwrap();
    assert_eq!(cdn.origin_ids(), ["Site", "Alb", "Origin1", "Site2"]);
    let t = template(&synth_and_lint(&app, "cloudfront-full"), "S");
    let c = config(&t);
    assert_eq!(
        c["ViewerCertificate"],
        json!({"AcmCertificateArn": US_EAST_1_CERT, "SslSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2025"})
    );
    assert_eq!(c["Aliases"], json!(["www.example.com", "*.example.org"]));
    assert_eq!(c["PriceClass"], "PriceClass_200");
    assert_eq!(c["HttpVersion"], "http2");
    assert_eq!(c["IPV6Enabled"], false);
    assert_eq!(
        c["Logging"],
        json!({"Bucket": {"Fn::GetAtt": ["Logs", "DomainName"]}, "IncludeCookies": true, "Prefix": "cdn/"})
    );
    assert_eq!(
        t["Resources"]["Logs"]["Properties"]["OwnershipControls"]["Rules"][0]["ObjectOwnership"],
        "BucketOwnerPreferred"
    );
    assert_eq!(
        c["CustomErrorResponses"],
        json!([
            {"ErrorCode": 403, "ResponseCode": 200, "ResponsePagePath": "/index.html"},
            {"ErrorCode": 404, "ResponseCode": 200, "ResponsePagePath": "/index.html", "ErrorCachingMinTTL": 10}
        ])
    );
    let behaviors = c["CacheBehaviors"].as_array().unwrap();
    assert_eq!(behaviors.len(), 3);
    assert_eq!(behaviors[0]["PathPattern"], "/api/*");
    assert_eq!(behaviors[0]["TargetOriginId"], "Alb");
    assert_eq!(behaviors[0]["ViewerProtocolPolicy"], "https-only");
    assert_eq!(
        behaviors[0]["OriginRequestPolicyId"],
        OriginRequestPolicy::ALL_VIEWER_EXCEPT_HOST_HEADER_ID
    );
    assert_eq!(
        behaviors[1]["CachePolicyId"],
        json!({"Fn::GetAtt": ["SearchCache", "Id"]})
    );
    assert_eq!(
        behaviors[1]["OriginRequestPolicyId"],
        json!({"Fn::GetAtt": ["Forward", "Id"]})
    );
    assert_eq!(
        behaviors[1]["ResponseHeadersPolicyId"],
        ResponseHeadersPolicy::SECURITY_HEADERS_ID
    );
    assert_eq!(
        behaviors[1]["CachedMethods"],
        json!(["GET", "HEAD", "OPTIONS"])
    );
    assert_eq!(behaviors[2]["TargetOriginId"], "Site2");
    let origins = c["Origins"].as_array().unwrap();
    assert_eq!(
        origins[1]["CustomOriginConfig"],
        json!({"OriginProtocolPolicy": "http-only", "OriginSSLProtocols": ["TLSv1.2"]})
    );
    assert_eq!(
        origins[1]["DomainName"],
        json!({"Fn::GetAtt": ["Alb", "DNSName"]})
    );
    assert_eq!(
        origins[2],
        json!({
            "DomainName": "search.example.com",
            "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"], "HTTPSPort": 8443, "OriginReadTimeout": 60, "OriginKeepaliveTimeout": 10},
            "OriginPath": "/v1",
            "OriginCustomHeaders": [{"HeaderName": "X-Origin-Verify", "HeaderValue": "abc"}],
            "ConnectionAttempts": 2,
            "ConnectionTimeout": 5,
            "Id": "Origin1"
        })
    );
    // The origin path narrows the bucket-policy statement of the second S3 origin.
    let statements = &t["Resources"]["SitePolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements[1]["Resource"],
        json!([{"Fn::Sub": "${Site.Arn}/*"}, {"Fn::Sub": "${Site.Arn}/static/*"}])
    );
    assert_eq!(
        t["Resources"]["Cdn"]["Properties"]["Tags"],
        json!([{"Key": "team", "Value": "web"}])
    );
    let policy = &t["Resources"]["SearchCache"]["Properties"]["CachePolicyConfig"];
    assert_eq!(policy["MinTTL"], 0);
    assert_eq!(policy["DefaultTTL"], 60);
    assert_eq!(policy["MaxTTL"], 600);
    assert_eq!(
        policy["ParametersInCacheKeyAndForwardedToOrigin"]["QueryStringsConfig"],
        json!({"QueryStringBehavior": "whitelist", "QueryStrings": ["q"]})
    );
    let forward = &t["Resources"]["Forward"]["Properties"]["OriginRequestPolicyConfig"];
    assert_eq!(
        forward["HeadersConfig"]["HeaderBehavior"],
        "allViewerAndWhitelistCloudFront"
    );
    assert_eq!(
        forward["QueryStringsConfig"],
        json!({"QueryStringBehavior": "allExcept", "QueryStrings": ["utm_source"]})
    );
}

#[test]
fn the_same_origin_is_added_once_and_add_behavior_renders() {
    let (app, s, b) = setup();
    let media = Bucket::new(&s, "Media", BucketProps::new()).unwrap();
    let cdn = Distribution::new(&s, "Cdn", s3_props(&b)).unwrap();
    cdn.add_behavior("/media/*", BehaviorOptions::new(Origin::s3_bucket(&media)))
        .unwrap();
    cdn.add_behavior(
        "*.html",
        BehaviorOptions::new(Origin::s3_bucket(&b)).compress(false),
    )
    .unwrap();
    assert_eq!(cdn.origin_ids(), ["Site", "Media"]);
    let t = template(&synth_and_lint(&app, "cloudfront-add"), "S");
    let c = config(&t);
    assert_eq!(c["CacheBehaviors"][0]["TargetOriginId"], "Media");
    assert_eq!(c["CacheBehaviors"][1]["TargetOriginId"], "Site");
    assert_eq!(c["CacheBehaviors"][1]["Compress"], false);
    // One OAC for both buckets; each bucket's policy names the distribution.
    let oacs = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::CloudFront::OriginAccessControl")
        .count();
    assert_eq!(oacs, 1);
    assert_eq!(
        t["Resources"]["MediaPolicy"]["Properties"]["PolicyDocument"]["Statement"][1]["Principal"],
        json!({"Service": "cloudfront.amazonaws.com"})
    );
    // The same bucket in a behavior again adds no statement.
    assert_eq!(
        t["Resources"]["SitePolicy"]["Properties"]["PolicyDocument"]["Statement"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[test]
fn a_certificate_created_in_us_east_1_is_used_with_sni_and_tls_1_2_2021() {
    let app = App::new();
    let s = app
        .stack_in("Edge", Environment::agnostic().region("us-east-1"))
        .unwrap();
    let b = Bucket::new(&s, "Site", BucketProps::new()).unwrap();
    let cert = Certificate::new(&s, "Cert", CertificateProps::new("www.example.com")).unwrap();
    Distribution::new(
        &s,
        "Cdn",
        s3_props(&b)
            .domain_name("www.example.com")
            .certificate(&cert),
    )
    .unwrap();
    let t = template(&synth_and_lint(&app, "cloudfront-cert"), "Edge");
    assert_eq!(
        config(&t)["ViewerCertificate"],
        json!({"AcmCertificateArn": {"Ref": "Cert"}, "SslSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"})
    );
}

#[test]
fn fw3601_origins_cloudfront_refuses() {
    let (app, s, b) = setup();
    let bad_path = Origin::http("api.example.com").origin_path("v1/");
    let url = Origin::http("https://api.example.com/v1");
    let settings = Origin::http("a.example.com")
        .http_port(81)
        .connection_attempts(4)
        .connection_timeout_secs(11)
        .read_timeout_secs(181)
        .custom_header("Host", "x")
        .custom_header("X-Amz-Date", "x")
        .custom_header("X-Ok", "1")
        .custom_header("x-ok", "2");
    let s3_with_ports = Origin::s3_bucket(&b).https_port(8443);
    let empty = Origin::http("");
    Distribution::new(
        &s,
        "Cdn",
        DistributionProps::new(BehaviorOptions::new(bad_path))
            .behavior("/a", BehaviorOptions::new(url))
            .behavior("/b", BehaviorOptions::new(settings))
            .behavior("/c", BehaviorOptions::new(s3_with_ports))
            .behavior("/d", BehaviorOptions::new(empty)),
    )
    .unwrap();
    let d = failed(&app);
    let found: Vec<&Diagnostic> = d.with_code(codes::ORIGIN).collect();
    let at = |property: &str| -> Vec<String> {
        found
            .iter()
            .filter(|x| x.property.as_deref() == Some(property))
            .map(|x| x.message.clone())
            .collect()
    };
    let default = at("DistributionConfig.DefaultCacheBehavior");
    assert_eq!(default.len(), 1, "{default:?}");
    assert!(default[0].contains("origin path `v1/`"), "{default:?}");
    assert!(at("DistributionConfig.CacheBehaviors[0]")[0].contains("is not a domain name"));
    let b = at("DistributionConfig.CacheBehaviors[1]");
    assert_eq!(b.len(), 7, "{b:#?}");
    assert!(b.iter().any(|m| m.contains("HTTP port is 81")));
    assert!(
        b.iter()
            .any(|m| m.contains("connection attempts is 4; allowed: 1 to 3"))
    );
    assert!(b.iter().any(|m| m.contains("connection timeout (s) is 11")));
    assert!(b.iter().any(|m| m.contains("response timeout (s) is 181")));
    assert!(b.iter().any(|m| m.contains("`Host`")));
    assert!(b.iter().any(|m| m.contains("`X-Amz-Date`")));
    assert!(b.iter().any(|m| m.contains("`x-ok` is set twice")));
    assert!(at("DistributionConfig.CacheBehaviors[2]")[0].contains("settings of custom origins"));
    assert!(at("DistributionConfig.CacheBehaviors[3]")[0].contains("domain name is empty"));
    assert_eq!(found[0].path, "S/Cdn");
}

#[test]
fn fw3602_two_origins_with_one_id() {
    let (app, s, _) = setup();
    Distribution::new(
        &s,
        "Cdn",
        DistributionProps::new(BehaviorOptions::new(
            Origin::http("a.example.com").id("Api"),
        ))
        .behavior(
            "/b/*",
            BehaviorOptions::new(Origin::http("b.example.com").id("Api")),
        )
        .behavior(
            "/c/*",
            BehaviorOptions::new(Origin::http("c.example.com").id("")),
        ),
    )
    .unwrap();
    let d = failed(&app);
    let found: Vec<&Diagnostic> = d.with_code(codes::ORIGIN_ID).collect();
    assert_eq!(found.len(), 2, "{d}");
    assert_eq!(
        found[0].property.as_deref(),
        Some("DistributionConfig.CacheBehaviors[0]")
    );
    assert!(
        found[0]
            .message
            .contains("origin id `Api` is used by two different origins")
    );
    assert_eq!(
        found[1].property.as_deref(),
        Some("DistributionConfig.CacheBehaviors[1]")
    );
    assert!(found[1].message.contains("empty"));
}

#[test]
fn the_same_origin_with_its_own_id_twice_is_one_origin() {
    let (app, s, _) = setup();
    let api = Origin::http("a.example.com").id("Api");
    let cdn = Distribution::new(
        &s,
        "Cdn",
        DistributionProps::new(BehaviorOptions::new(api.clone()))
            .behavior("/x/*", BehaviorOptions::new(api)),
    )
    .unwrap();
    assert_eq!(cdn.origin_ids(), ["Api"]);
    synth_and_lint(&app, "cloudfront-same-id");
}

#[test]
fn fw3603_internal_load_balancer() {
    let (app, s, _) = setup();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
    let alb = ApplicationLoadBalancer::new(
        &s,
        "Internal",
        ApplicationLoadBalancerProps::new(&vpc).scheme(LoadBalancerScheme::Internal),
    )
    .unwrap();
    Distribution::new(
        &s,
        "Cdn",
        DistributionProps::new(BehaviorOptions::new(Origin::load_balancer(&alb))),
    )
    .unwrap();
    let d = failed(&app);
    let e = one(
        &d,
        codes::ORIGIN_INTERNAL_LOAD_BALANCER,
        "S/Cdn",
        "DistributionConfig.DefaultCacheBehavior",
    );
    assert!(e.message.contains("S/Internal is internal"), "{e}");
}

#[test]
fn fw3604_bucket_in_another_stack() {
    let (app, _, b) = setup();
    let edge = app
        .stack_in("Edge", Environment::agnostic().region("ap-northeast-1"))
        .unwrap();
    Distribution::new(&edge, "Cdn", s3_props(&b)).unwrap();
    let d = failed(&app);
    let e = one(
        &d,
        codes::ORIGIN_BUCKET_STACK,
        "Edge/Cdn",
        "DistributionConfig.DefaultCacheBehavior",
    );
    assert!(e.message.contains("bucket S/Site is in stack S"), "{e}");
}

#[test]
fn fw3605_imported_bucket_is_a_warning_with_the_statement_to_add() {
    let (app, s, _) = setup();
    let shared = Bucket::from_name(&s, "Shared", "shared-site-content").unwrap();
    Distribution::new(&s, "Cdn", s3_props(&shared)).unwrap();
    let asm = synth_and_lint(&app, "cloudfront-imported");
    let w = one(
        &asm.warnings,
        codes::ORIGIN_BUCKET_IMPORTED,
        "S/Cdn",
        "DistributionConfig.DefaultCacheBehavior",
    );
    assert!(w.message.contains("cloudfront.amazonaws.com"), "{w}");
    assert!(w.message.contains("AWS:SourceArn"), "{w}");
    let t = template(&asm, "S");
    assert_eq!(
        config(&t)["Origins"][0]["DomainName"],
        json!({"Fn::Sub": "shared-site-content.s3.${AWS::Region}.${AWS::URLSuffix}"})
    );
}

#[test]
fn fw3606_path_patterns() {
    let (app, s, b) = setup();
    let o = || BehaviorOptions::new(Origin::s3_bucket(&b));
    Distribution::new(
        &s,
        "Cdn",
        s3_props(&b)
            .behavior("*", o())
            .behavior("/api/*", o())
            .behavior("api/*", o())
            .behavior("/a b", o())
            .behavior("", o()),
    )
    .unwrap();
    let d = failed(&app);
    let found: Vec<&Diagnostic> = d.with_code(codes::PATH_PATTERN).collect();
    assert_eq!(found.len(), 4, "{d}");
    assert_eq!(
        found[0].property.as_deref(),
        Some("DistributionConfig.CacheBehaviors[0].PathPattern")
    );
    assert!(found[0].message.contains("that is the default behavior"));
    assert_eq!(
        found[1].property.as_deref(),
        Some("DistributionConfig.CacheBehaviors[2].PathPattern")
    );
    assert!(found[1].message.contains("used by another behavior"));
    assert!(found[2].message.contains("has ` `"));
    assert!(found[3].message.contains("empty"));
}

#[test]
fn fw3607_over_the_default_quotas_is_a_warning() {
    let (app, s, b) = setup();
    let mut props = s3_props(&b);
    for i in 0..76 {
        props = props.behavior(
            format!("/p{i}/*"),
            BehaviorOptions::new(Origin::http(format!("o{}.example.com", i % 26))),
        );
    }
    Distribution::new(&s, "Cdn", props).unwrap();
    let asm = app.synth().unwrap();
    let found: Vec<&Diagnostic> = asm.warnings.with_code(codes::QUOTA).collect();
    assert_eq!(found.len(), 2, "{}", asm.warnings);
    assert_eq!(
        found[0].property.as_deref(),
        Some("DistributionConfig.Origins")
    );
    assert!(found[0].message.contains("more than 25 origins"));
    assert_eq!(
        found[1].property.as_deref(),
        Some("DistributionConfig.CacheBehaviors")
    );
    assert!(found[1].message.contains("more than 75 cache behaviors"));
}

#[test]
fn fw3608_cached_methods_must_be_allowed() {
    let (app, s, b) = setup();
    Distribution::new(
        &s,
        "Cdn",
        DistributionProps::new(
            BehaviorOptions::new(Origin::s3_bucket(&b))
                .cached_methods(CachedMethods::GetHeadOptions),
        ),
    )
    .unwrap();
    let e = one(
        &failed(&app),
        codes::METHODS,
        "S/Cdn",
        "DistributionConfig.DefaultCacheBehavior.CachedMethods",
    );
    assert!(e.message.contains("OPTIONS is cached but not allowed"));
}

#[test]
fn fw3609_error_responses() {
    let (app, s, b) = setup();
    Distribution::new(
        &s,
        "Cdn",
        s3_props(&b)
            .error_response(ErrorResponse::new(401))
            .error_response(ErrorResponse::new(404).response(302, "index.html"))
            .error_response(ErrorResponse::new(404)),
    )
    .unwrap();
    let d = failed(&app);
    let found: Vec<&Diagnostic> = d.with_code(codes::ERROR_RESPONSE).collect();
    assert_eq!(found.len(), 4, "{d}");
    assert_eq!(
        found[0].property.as_deref(),
        Some("DistributionConfig.CustomErrorResponses[0]")
    );
    assert!(
        found[0]
            .message
            .contains("does not customize error code 401")
    );
    assert!(
        found[1]
            .message
            .contains("does not return response code 302")
    );
    assert!(
        found[2]
            .message
            .contains("`index.html` must start with `/`")
    );
    assert_eq!(
        found[3].property.as_deref(),
        Some("DistributionConfig.CustomErrorResponses[2]")
    );
    assert!(
        found[3]
            .message
            .contains("error code 404 has two error responses")
    );
}

#[test]
fn fw3610_default_root_object() {
    let (app, s, b) = setup();
    Distribution::new(&s, "Cdn", s3_props(&b).default_root_object("/index.html")).unwrap();
    let e = one(
        &failed(&app),
        codes::DEFAULT_ROOT_OBJECT,
        "S/Cdn",
        "DistributionConfig.DefaultRootObject",
    );
    assert!(e.message.contains("starts with `/`"));
    assert_eq!(
        e.fix.as_deref(),
        Some("name the object without the slash (index.html)")
    );

    let (app, s, b) = setup();
    Distribution::new(
        &s,
        "Cdn",
        s3_props(&b).default_root_object("index page.html"),
    )
    .unwrap();
    let e = one(
        &failed(&app),
        codes::DEFAULT_ROOT_OBJECT,
        "S/Cdn",
        "DistributionConfig.DefaultRootObject",
    );
    assert!(e.message.contains("has ` `"));
}

#[test]
fn fw3611_certificate_outside_us_east_1() {
    // A literal ARN of another region.
    let (app, s, b) = setup();
    Distribution::new(
        &s,
        "Cdn",
        s3_props(&b)
            .domain_name("www.example.com")
            .certificate(&Certificate::from_arn(TOKYO_CERT)),
    )
    .unwrap();
    let e = one(
        &failed(&app),
        codes::CERTIFICATE_REGION,
        "S/Cdn",
        "DistributionConfig.ViewerCertificate.AcmCertificateArn",
    );
    assert!(e.message.contains(
        "the certificate is in ap-northeast-1; CloudFront only uses ACM certificates of us-east-1"
    ));

    // A certificate created in the (Tokyo) stack itself.
    let (app, s, b) = setup();
    let cert = Certificate::new(&s, "Cert", CertificateProps::new("www.example.com")).unwrap();
    Distribution::new(
        &s,
        "Cdn",
        s3_props(&b)
            .domain_name("www.example.com")
            .certificate(&cert),
    )
    .unwrap();
    let e = one(
        &failed(&app),
        codes::CERTIFICATE_REGION,
        "S/Cdn",
        "DistributionConfig.ViewerCertificate.AcmCertificateArn",
    );
    assert!(
        e.fix
            .unwrap_or_default()
            .contains("stacks of two regions cannot reference each other")
    );

    // A reference (a parameter) is not checked.
    let (app, s, b) = setup();
    let cert = Certificate::from_parameter(&s, "CertificateArn").unwrap();
    Distribution::new(
        &s,
        "Cdn",
        s3_props(&b)
            .domain_name("www.example.com")
            .certificate(&cert),
    )
    .unwrap();
    synth_and_lint(&app, "cloudfront-cert-param");
}

#[test]
fn fw3612_domain_names() {
    let (app, s, b) = setup();
    Distribution::new(&s, "Cdn", s3_props(&b).domain_name("www.example.com")).unwrap();
    let e = one(
        &failed(&app),
        codes::DOMAIN_NAMES,
        "S/Cdn",
        "DistributionConfig.Aliases",
    );
    assert!(e.message.contains("need a certificate"));

    let (app, s, b) = setup();
    Distribution::new(
        &s,
        "Cdn",
        s3_props(&b)
            .certificate(&Certificate::from_arn(US_EAST_1_CERT))
            .domain_name("https://www.example.com")
            .domain_name("www.*.example.com")
            .domain_name("A.example.com")
            .domain_name("a.example.com"),
    )
    .unwrap();
    let d = failed(&app);
    let found: Vec<&Diagnostic> = d.with_code(codes::DOMAIN_NAMES).collect();
    assert_eq!(found.len(), 3, "{d}");
    assert!(
        found[0]
            .message
            .contains("`https://www.example.com` is not a domain name")
    );
    assert!(found[1].message.contains("`www.*.example.com`"));
    assert!(found[2].message.contains("`a.example.com` is given twice"));
}

#[test]
fn fw3613_comment_length() {
    let (app, s, b) = setup();
    Distribution::new(&s, "Cdn", s3_props(&b).comment("x".repeat(129))).unwrap();
    let e = one(
        &failed(&app),
        codes::COMMENT,
        "S/Cdn",
        "DistributionConfig.Comment",
    );
    assert!(
        e.message
            .contains("129 characters long; allowed: up to 128")
    );
}

#[test]
fn fw3614_web_acl_must_be_a_cloudfront_scoped_wafv2_acl() {
    let (app, s, b) = setup();
    Distribution::new(
        &s,
        "Cdn",
        s3_props(&b)
            .web_acl_id("arn:aws:wafv2:ap-northeast-1:123456789012:regional/webacl/site/abc"),
    )
    .unwrap();
    let e = one(
        &failed(&app),
        codes::WEB_ACL,
        "S/Cdn",
        "DistributionConfig.WebACLId",
    );
    assert!(
        e.message
            .contains("not the ARN of a WAF web ACL of scope CLOUDFRONT")
    );
}

#[test]
fn fw3615_cache_policies_cloudfront_refuses() {
    let (app, s, _) = setup();
    CachePolicy::new(
        &s,
        "Unordered",
        CachePolicyProps::new()
            .min_ttl_secs(100)
            .default_ttl_secs(10),
    )
    .unwrap();
    CachePolicy::new(
        &s,
        "NoCache",
        CachePolicyProps::new()
            .default_ttl_secs(0)
            .max_ttl_secs(0)
            .query_strings(RequestItems::All),
    )
    .unwrap();
    CachePolicy::new(
        &s,
        "Empty",
        CachePolicyProps::new()
            .headers(CacheKeyHeaders::Allow(vec![]))
            .cookies(RequestItems::AllExcept(vec![])),
    )
    .unwrap();
    let d = failed(&app);
    let at = |path: &str| -> Vec<&Diagnostic> {
        d.with_code(codes::CACHE_POLICY)
            .filter(|x| x.path == path)
            .collect()
    };
    let e = at("S/Unordered");
    assert_eq!(e.len(), 1, "{d}");
    assert_eq!(
        e[0].property.as_deref(),
        Some("CachePolicyConfig.DefaultTTL")
    );
    assert!(e[0].message.contains("found 100 ≤ 10 ≤ 31536000"));
    let e = at("S/NoCache");
    assert_eq!(e.len(), 1, "{d}");
    assert_eq!(
        e[0].property.as_deref(),
        Some("CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin")
    );
    assert!(e[0].message.contains("maximum TTL 0 caches nothing"));
    let empty = at("S/Empty");
    assert_eq!(empty.len(), 2);
    assert_eq!(
        empty[0].property.as_deref(),
        Some("CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig")
    );
    assert_eq!(
        empty[1].property.as_deref(),
        Some("CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.CookiesConfig")
    );
}

#[test]
fn a_caching_disabled_policy_without_cache_key_is_fine() {
    let (app, s, _) = setup();
    let p = CachePolicy::new(
        &s,
        "NoCache",
        CachePolicyProps::new()
            .name("no-cache")
            .default_ttl_secs(0)
            .max_ttl_secs(0)
            .gzip(false)
            .brotli(false),
    )
    .unwrap();
    assert!(p.cfn().is_some());
    let t = template(&synth_and_lint(&app, "cloudfront-nocache"), "S");
    assert_eq!(
        t["Resources"]["NoCache"]["Properties"]["CachePolicyConfig"]["Name"],
        "no-cache"
    );
}

#[test]
fn fw3616_origin_request_policy_empty_lists() {
    let (app, s, _) = setup();
    OriginRequestPolicy::new(
        &s,
        "Orp",
        OriginRequestPolicyProps::new()
            .headers(OriginRequestHeaders::AllExcept(vec![]))
            .query_strings(RequestItems::Allow(vec![])),
    )
    .unwrap();
    let d = failed(&app);
    let found: Vec<&Diagnostic> = d.with_code(codes::ORIGIN_REQUEST_POLICY).collect();
    assert_eq!(found.len(), 2, "{d}");
    assert_eq!(
        found[0].property.as_deref(),
        Some("OriginRequestPolicyConfig.HeadersConfig")
    );
    assert_eq!(
        found[1].property.as_deref(),
        Some("OriginRequestPolicyConfig.QueryStringsConfig")
    );
    assert_eq!(found[0].path, "S/Orp");
}

#[test]
fn fw3617_imported_log_bucket_is_a_warning() {
    let (app, s, b) = setup();
    let logs = Bucket::from_name(&s, "Logs", "central-cdn-logs").unwrap();
    Distribution::new(&s, "Cdn", s3_props(&b).log_bucket(&logs, None)).unwrap();
    let asm = synth_and_lint(&app, "cloudfront-log-imported");
    let w = one(
        &asm.warnings,
        codes::LOG_BUCKET,
        "S/Cdn",
        "DistributionConfig.Logging.Bucket",
    );
    assert!(w.message.contains("must have ACLs enabled"));
}

#[test]
fn fw3618_security_policy_needs_a_certificate() {
    let (app, s, b) = setup();
    Distribution::new(
        &s,
        "Cdn",
        s3_props(&b).security_policy(SecurityPolicy::TlsV1_3_2025),
    )
    .unwrap();
    let e = one(
        &failed(&app),
        codes::SECURITY_POLICY,
        "S/Cdn",
        "DistributionConfig.ViewerCertificate.MinimumProtocolVersion",
    );
    assert!(e.message.contains("TLSv1.3_2025 needs a certificate"));
}

use crate::iam::testing::NoRole;

#[test]
fn grant_create_invalidation_and_fw3619() {
    let (app, s, b) = setup();
    let cdn = Distribution::new(&s, "Cdn", s3_props(&b)).unwrap();
    let ci = Role::new(
        &s,
        "Deployer",
        RoleProps::new(crate::iam::Principal::service("codebuild.amazonaws.com")),
    )
    .unwrap();
    cdn.grant_create_invalidation(&ci).unwrap();
    cdn.grant_create_invalidation(&NoRole).unwrap();
    let asm = synth_and_lint(&app, "cloudfront-grant");
    let t = template(&asm, "S");
    assert_eq!(
        t["Resources"]["Deployer"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"],
        json!([{
            "Effect": "Allow",
            "Action": ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"],
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Cdn}"}
        }])
    );
    let w: Vec<_> = asm
        .warnings
        .with_code(crate::iam::codes::GRANT_NO_ROLE)
        .collect();
    assert_eq!(w.len(), 1, "{}", asm.warnings);
    assert_eq!(w[0].path, "S/Cdn");
    assert!(
        w[0].message.contains("cloudfront:CreateInvalidation"),
        "{}",
        w[0]
    );
}

#[test]
fn http_origin_defaults_to_https_only_and_load_balancer_origin_to_its_dns_name() {
    let (app, s, _) = setup();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
    let alb =
        ApplicationLoadBalancer::new(&s, "Alb", ApplicationLoadBalancerProps::new(&vpc)).unwrap();
    Distribution::new(
        &s,
        "Cdn",
        DistributionProps::new(BehaviorOptions::new(Origin::load_balancer(&alb)))
            .behavior("/x/*", BehaviorOptions::new(Origin::http("x.example.com")))
            .behavior(
                "/y/*",
                BehaviorOptions::new(
                    Origin::http("y.example.com").protocol_policy(OriginProtocol::MatchViewer),
                ),
            ),
    )
    .unwrap();
    let t = template(&synth_and_lint(&app, "cloudfront-custom"), "S");
    let origins = &config(&t)["Origins"];
    assert_eq!(
        origins[0],
        json!({
            "DomainName": {"Fn::GetAtt": ["Alb", "DNSName"]},
            "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]},
            "Id": "Alb"
        })
    );
    assert_eq!(origins[1]["Id"], "Origin1");
    assert_eq!(origins[2]["Id"], "Origin2");
    assert_eq!(
        origins[2]["CustomOriginConfig"]["OriginProtocolPolicy"],
        "match-viewer"
    );
}

#[test]
fn duplicate_construct_ids_are_errors() {
    let (_, s, b) = setup();
    Distribution::new(&s, "Cdn", s3_props(&b)).unwrap();
    assert!(Distribution::new(&s, "Cdn", s3_props(&b)).is_err());
}
