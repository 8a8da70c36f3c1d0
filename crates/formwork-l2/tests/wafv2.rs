//! Whole-template snapshots of the AWS WAF family (in `snapshots/`), each
//! through cfn-lint and checkov: a regional web ACL with managed rule
//! groups, a rate limit, IP set rules and logging on a load balancer; a
//! CloudFront allowlist on a distribution in `us-east-1`.
#![cfg(all(
    feature = "wafv2",
    feature = "elasticloadbalancingv2",
    feature = "cloudfront",
    feature = "apigatewayv2"
))]

use std::path::PathBuf;

use formwork_core::{App, Environment};
use formwork_l2::cloudfront::{BehaviorOptions, Distribution, DistributionProps, Origin};
use formwork_l2::ec2::{Vpc, VpcProps};
use formwork_l2::elasticloadbalancingv2::{ApplicationLoadBalancer, ApplicationLoadBalancerProps};
use formwork_l2::logs::{LogGroup, LogGroupProps, Retention};
use formwork_l2::wafv2::{
    DefaultAction, IpSet, IpSetProps, IpSetRule, ManagedRuleGroup, RateLimit, WafScope, WebAcl,
    WebAclProps,
};
use formwork_test_support::{checkov_files, lint_files, scratch_dir, snapshot, template};
use serde_json::json;

/// cfn-lint and checkov on every template, then a snapshot of each.
fn check(app: &App, name: &str) -> serde_json::Value {
    let asm = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let dir = scratch_dir(name);
    asm.write(&dir).expect("write assembly");
    let files: Vec<PathBuf> = asm.stacks.iter().map(|s| dir.join(&s.file_name)).collect();
    lint_files(&files);
    checkov_files(&files);
    let s = &asm.stacks[0];
    snapshot(&format!("l2-{name}__{}", s.name), &s.template);
    template(&asm, &s.name)
}

/// The regional family: AWS's common rules (one rule counted), known bad
/// inputs and the IP reputation list, a rate limit per IP, a blocklist
/// (IPv4) and an allowlist (IPv6) in front of them, logs to a log group,
/// and the association with a load balancer.
#[test]
fn regional_web_acl_on_a_load_balancer() {
    let app = App::new();
    let s = app
        .stack_in("Web", Environment::agnostic().region("ap-northeast-1"))
        .unwrap();
    let vpc = Vpc::new(&s, "Network", VpcProps::new()).unwrap();
    let alb =
        ApplicationLoadBalancer::new(&s, "Lb", ApplicationLoadBalancerProps::new(&vpc)).unwrap();
    let blocked = IpSet::new(
        &s,
        "Blocked",
        IpSetProps::ipv4(WafScope::Regional).addresses(["192.0.2.0/24", "198.51.100.7/32"]),
    )
    .unwrap();
    let partners = IpSet::new(
        &s,
        "Partners",
        IpSetProps::ipv6(WafScope::Regional).address("2001:db8:1234::/48"),
    )
    .unwrap();
    let logs = LogGroup::new(
        &s,
        "WafLogs",
        LogGroupProps::new()
            .log_group_name("aws-waf-logs-web")
            .retention(Retention::days(90)),
    )
    .unwrap();
    let acl = WebAcl::new(
        &s,
        "Firewall",
        WebAclProps::new(WafScope::Regional)
            .rule(IpSetRule::block(&blocked))
            .rule(IpSetRule::allow(&partners))
            .rule(ManagedRuleGroup::common_rule_set().count_rule("SizeRestrictions_BODY"))
            .rule(ManagedRuleGroup::known_bad_inputs())
            .rule(ManagedRuleGroup::amazon_ip_reputation_list())
            .rule(RateLimit::per_ip(2000))
            .logging(&logs),
    )
    .unwrap();
    acl.associate("Lb", &alb).unwrap();
    let t = check(&app, "wafv2");
    let r = &t["Resources"];
    assert_eq!(
        r["FirewallLb"]["Properties"],
        json!({"ResourceArn": {"Ref": "Lb"}, "WebACLArn": {"Fn::GetAtt": ["Firewall", "Arn"]}})
    );
    let priorities: Vec<_> = r["Firewall"]["Properties"]["Rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["Name"].as_str().unwrap().to_owned(),
                x["Priority"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        priorities,
        [
            ("BlockBlocked".to_owned(), 0),
            ("AllowPartners".to_owned(), 1),
            ("AWS-AWSManagedRulesCommonRuleSet".to_owned(), 2),
            ("AWS-AWSManagedRulesKnownBadInputsRuleSet".to_owned(), 3),
            ("AWS-AWSManagedRulesAmazonIpReputationList".to_owned(), 4),
            ("RateLimit".to_owned(), 5),
        ]
    );
    assert_eq!(
        r["FirewallLogging"]["Type"],
        "AWS::WAFv2::LoggingConfiguration"
    );
}

/// The CloudFront family: an office allowlist (blocks by default) with the
/// known-bad-inputs rules, in a stack of `us-east-1`, protecting a
/// distribution of the same stack.
#[test]
fn cloudfront_allowlist_on_a_distribution() {
    let app = App::new();
    let s = app
        .stack_in("Edge", Environment::agnostic().region("us-east-1"))
        .unwrap();
    let office = IpSet::new(
        &s,
        "Office",
        IpSetProps::ipv4(WafScope::CloudFront).address("203.0.113.0/24"),
    )
    .unwrap();
    let acl = WebAcl::new(
        &s,
        "OfficeOnly",
        WebAclProps::new(WafScope::CloudFront)
            .default_action(DefaultAction::Block)
            .rule(ManagedRuleGroup::known_bad_inputs())
            .rule(IpSetRule::allow(&office)),
    )
    .unwrap();
    Distribution::new(
        &s,
        "Cdn",
        DistributionProps::new(BehaviorOptions::new(Origin::http("app.example.com"))).web_acl(&acl),
    )
    .unwrap();
    let t = check(&app, "wafv2-cloudfront");
    let r = &t["Resources"];
    assert_eq!(r["OfficeOnly"]["Properties"]["Scope"], "CLOUDFRONT");
    assert_eq!(
        r["OfficeOnly"]["Properties"]["DefaultAction"],
        json!({"Block": {}})
    );
    assert_eq!(
        r["Cdn"]["Properties"]["DistributionConfig"]["WebACLId"],
        json!({"Fn::GetAtt": ["OfficeOnly", "Arn"]})
    );
}

/// Errors of an IP set, a web ACL and an association point at the user's
/// line that made each (`#[track_caller]` through every layer).
#[test]
fn errors_point_at_the_users_lines() {
    use formwork_core::Error;
    use formwork_l2::apigatewayv2::{HttpApi, HttpApiProps};
    let app = App::new();
    let s = app.stack("S").unwrap();
    let api = HttpApi::new(&s, "Api", HttpApiProps::new()).unwrap();
    let set_line = line!() + 1;
    let set = IpSet::new(
        &s,
        "Set",
        IpSetProps::ipv4(WafScope::Regional).address("10.0.0.1/8"),
    )
    .unwrap();
    let acl_line = line!() + 1;
    let acl = WebAcl::new(
        &s,
        "Acl",
        WebAclProps::new(WafScope::Regional)
            .rule(RateLimit::per_ip(1))
            .rule(IpSetRule::block(&set)),
    )
    .unwrap();
    let assoc_line = line!() + 1;
    acl.associate("Api", &api).unwrap();
    let Err(Error::Invalid(ds)) = app.synth() else {
        panic!("the three errors must fail synth")
    };
    let line_of = |path: &str| {
        let d =
            ds.0.iter()
                .find(|d| d.path == path)
                .unwrap_or_else(|| panic!("no error at {path}: {ds:?}"));
        let loc = d.location.as_ref().unwrap_or_else(|| panic!("{d}"));
        assert!(loc.file.ends_with("wafv2.rs"), "{d}: {loc}");
        loc.line
    };
    assert_eq!(line_of("S/Set"), set_line);
    assert_eq!(line_of("S/Acl"), acl_line);
    assert_eq!(line_of("S/Acl/Api"), assoc_line);
}
