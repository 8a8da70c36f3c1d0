//! [`WebAclTarget`]: what a regional web ACL is associated with, and
//! [`WebAcl::associate`].

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Fn, Intrinsic, Pseudo, Result, Stack, SubPart, Target, Value};
use formwork_l1::wafv2::{CfnWebAclAssociation, CfnWebAclAssociationRef};

use super::{WafScope, WebAcl, codes, error};

/// Where AWS WAF cannot go, and what to say about it.
#[cfg_attr(
    not(any(feature = "apigatewayv2", feature = "lambda")),
    allow(dead_code)
)]
#[derive(Clone, Debug)]
enum Unsupported {
    HttpApi,
    FunctionUrl,
}

#[cfg_attr(
    not(any(feature = "apigatewayv2", feature = "lambda")),
    allow(dead_code)
)]
#[derive(Clone, Debug)]
enum Kind {
    /// A resource ARN (a load balancer's `Ref`, a REST API stage's ARN, …),
    /// with the web ACL slot of the construct it comes from, if any.
    Arn {
        what: String,
        arn: Str,
        attached: Option<AttachedAcl>,
    },
    /// Something AWS WAF does not protect, by construct path.
    Unsupported { path: String, kind: Unsupported },
}

/// The web ACL a construct AWS WAF protects already has, shared by every
/// handle of the construct (its clones), so that a second association is
/// noticed in whatever stack of the app it is made.
#[derive(Clone, Debug, Default)]
pub(crate) struct AttachedAcl(Rc<RefCell<Option<Attached>>>);

/// A web ACL association: the web ACL's path (or its ARN, as written) and
/// the association's construct path.
#[derive(Clone, Debug)]
struct Attached {
    acl: String,
    association: String,
}

/// A resource a web ACL of scope `REGIONAL` is associated with
/// ([`WebAcl::associate`]): an Application Load Balancer (`&alb`, feature
/// `elasticloadbalancingv2`), a REST API stage
/// ([`rest_api_stage`](WebAclTarget::rest_api_stage)), or any resource AWS
/// WAF protects by ARN ([`arn`](WebAclTarget::arn): AppSync GraphQL APIs,
/// Cognito user pools, App Runner services, Verified Access instances,
/// Amplify apps).
///
/// An HTTP API (API Gateway v2) or its stage and a Lambda function URL
/// convert too, so that attaching one is an error at synth (`FW4710`) with
/// what to do instead: AWS WAF does not protect them.
#[derive(Clone, Debug)]
pub struct WebAclTarget(Kind);

impl WebAclTarget {
    /// A resource by ARN. A literal ARN is checked to be one AWS WAF
    /// protects (`FW4710`); a reference is taken as it is.
    pub fn arn(arn: impl Into<Str>) -> Self {
        WebAclTarget(Kind::Arn {
            what: "resource".to_owned(),
            arn: arn.into(),
            attached: None,
        })
    }

    /// The stage `stage_name` of the REST API (API Gateway v1)
    /// `rest_api_id`, in the web ACL's region:
    /// `arn:<partition>:apigateway:<region>::/restapis/<id>/stages/<name>`.
    /// Pass the stage's `Ref` (an `AWS::ApiGateway::Stage`'s `Ref` is its
    /// name) so that the association waits for the stage.
    pub fn rest_api_stage(rest_api_id: impl Into<Str>, stage_name: impl Into<Str>) -> Self {
        let arn = Fn::concat([
            Value::from("arn:"),
            Pseudo::Partition.into(),
            Value::from(":apigateway:"),
            Pseudo::Region.into(),
            Value::from("::/restapis/"),
            rest_api_id.into().into_value(),
            Value::from("/stages/"),
            stage_name.into().into_value(),
        ]);
        WebAclTarget(Kind::Arn {
            what: "REST API stage".to_owned(),
            arn: arn.into(),
            attached: None,
        })
    }
}

#[cfg(feature = "elasticloadbalancingv2")]
impl From<&crate::elasticloadbalancingv2::ApplicationLoadBalancer> for WebAclTarget {
    fn from(alb: &crate::elasticloadbalancingv2::ApplicationLoadBalancer) -> Self {
        WebAclTarget(Kind::Arn {
            what: format!("load balancer {}", alb.scope().path()),
            arn: alb.load_balancer_arn(),
            attached: Some(alb.web_acl_slot()),
        })
    }
}

#[cfg(feature = "apigatewayv2")]
impl From<&crate::apigatewayv2::HttpApi> for WebAclTarget {
    fn from(api: &crate::apigatewayv2::HttpApi) -> Self {
        WebAclTarget(Kind::Unsupported {
            path: api.scope().path(),
            kind: Unsupported::HttpApi,
        })
    }
}

#[cfg(feature = "apigatewayv2")]
impl From<&crate::apigatewayv2::HttpStage> for WebAclTarget {
    fn from(stage: &crate::apigatewayv2::HttpStage) -> Self {
        WebAclTarget(Kind::Unsupported {
            path: stage.scope().path(),
            kind: Unsupported::HttpApi,
        })
    }
}

#[cfg(feature = "lambda")]
impl From<&crate::lambda::FunctionUrl> for WebAclTarget {
    fn from(url: &crate::lambda::FunctionUrl) -> Self {
        WebAclTarget(Kind::Unsupported {
            path: url.scope().path(),
            kind: Unsupported::FunctionUrl,
        })
    }
}

/// What to do instead of protecting an HTTP API.
const HTTP_API_HELP: &str = "put a CloudFront distribution in front of the API (an Origin::http origin on the API's domain) and attach a web ACL of scope CLOUDFRONT to it (DistributionProps::web_acl); the API's own endpoint stays reachable unless the API checks a secret header the distribution adds. Or serve the routes from a REST API (API Gateway v1) or an Application Load Balancer, which a REGIONAL web ACL protects";

/// What to do instead of protecting a function URL.
const FUNCTION_URL_HELP: &str = "put a CloudFront distribution in front of the URL (an Origin::http origin) and attach a web ACL of scope CLOUDFRONT to it (DistributionProps::web_acl); keep clients off the URL itself (IAM auth on the URL, or a secret header the distribution adds and the function checks). Or serve the function from a REST API (API Gateway v1) or an Application Load Balancer, which a REGIONAL web ACL protects";

/// Checks a literal ARN: `Err((message, fix))` for one AWS WAF does not
/// protect.
fn check_arn(arn: &str) -> std::result::Result<(), (String, String)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" {
        return Err((
            format!("`{arn}` is not an ARN"),
            "pass the resource's ARN (arn:aws:<service>:<region>:<account>:<resource>)".to_owned(),
        ));
    }
    let (service, resource) = (parts[2], parts[5]);
    let ok = match service {
        "elasticloadbalancing" => {
            if resource.starts_with("loadbalancer/net/")
                || resource.starts_with("loadbalancer/gwy/")
            {
                return Err((
                    format!(
                        "`{arn}` is a Network or Gateway Load Balancer; AWS WAF inspects HTTP and only protects Application Load Balancers"
                    ),
                    "protect an Application Load Balancer, or the CloudFront distribution in front"
                        .to_owned(),
                ));
            }
            resource.starts_with("loadbalancer/app/")
        }
        "apigateway" => {
            if resource.starts_with("/apis/") {
                return Err((
                    format!(
                        "`{arn}` is an HTTP or WebSocket API (API Gateway v2); AWS WAF cannot protect it"
                    ),
                    HTTP_API_HELP.to_owned(),
                ));
            }
            resource.starts_with("/restapis/") && resource.contains("/stages/")
        }
        "appsync" => resource.starts_with("apis/"),
        "cognito-idp" => resource.starts_with("userpool/"),
        "apprunner" => resource.starts_with("service/"),
        "ec2" => resource.starts_with("verified-access-instance/"),
        "amplify" => resource.starts_with("apps/"),
        "cloudfront" => {
            return Err((
                format!("`{arn}` is a CloudFront distribution, which takes its web ACL in its own configuration"),
                "give the distribution a web ACL of scope CLOUDFRONT with DistributionProps::web_acl".to_owned(),
            ));
        }
        "lambda" => {
            return Err((
                format!(
                    "`{arn}` is a Lambda function; AWS WAF cannot protect a function or its URL"
                ),
                FUNCTION_URL_HELP.to_owned(),
            ));
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err((
            format!("`{arn}` is not a resource AWS WAF protects"),
            "allowed: an Application Load Balancer, a REST API stage (…:apigateway:<region>::/restapis/<id>/stages/<name>), an AppSync GraphQL API, a Cognito user pool, an App Runner service, a Verified Access instance or an Amplify app".to_owned(),
        ))
    }
}

impl WebAcl {
    /// Associates this web ACL (of scope `REGIONAL`) with `target` through
    /// an `AWS::WAFv2::WebACLAssociation` at `<web ACL>/<id>`. Returns the
    /// association, or `None` when the target is one AWS WAF cannot protect
    /// or the scopes differ (errors `FW4710`, `FW4701` at synth).
    ///
    /// A resource takes one web ACL: associating it a second time, with
    /// this web ACL or another, is error `FW4714` (and `None`). The same
    /// load balancer is noticed in any stack of the app; an ARN when an
    /// association of this web ACL's stack has the same literal or the same
    /// reference. References that differ count as different resources.
    ///
    /// ```
    /// # #[cfg(feature = "elasticloadbalancingv2")] {
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::elasticloadbalancingv2::{ApplicationLoadBalancer, ApplicationLoadBalancerProps};
    /// use formwork::wafv2::{ManagedRuleGroup, WafScope, WebAcl, WebAclProps, WebAclTarget};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let vpc = Vpc::new(&stack, "Network", VpcProps::new())?;
    /// let alb = ApplicationLoadBalancer::new(&stack, "Lb", ApplicationLoadBalancerProps::new(&vpc))?;
    /// let acl = WebAcl::new(&stack, "Firewall", WebAclProps::new(WafScope::Regional)
    ///     .rule(ManagedRuleGroup::common_rule_set()))?;
    /// acl.associate("Lb", &alb)?;
    /// acl.associate("Orders", WebAclTarget::rest_api_stage("a1b2c3d4e5", "prod"))?;
    /// let t = app.synth()?.template_json("Web").ok_or("no template")?;
    /// assert_eq!(t["Resources"]["FirewallLb"]["Properties"]["ResourceArn"], serde_json::json!({"Ref": "Lb"}));
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[track_caller]
    pub fn associate(
        &self,
        id: &str,
        target: impl Into<WebAclTarget>,
    ) -> Result<Option<CfnWebAclAssociationRef>> {
        let node = self.scope().child(id)?;
        let property = "ResourceArn";
        let (what, arn, attached) = match target.into().0 {
            Kind::Unsupported { path, kind } => {
                let (message, fix) = match kind {
                    Unsupported::HttpApi => (
                        format!(
                            "{path} is an HTTP API (API Gateway v2); AWS WAF cannot protect an HTTP API"
                        ),
                        HTTP_API_HELP,
                    ),
                    Unsupported::FunctionUrl => (
                        format!(
                            "{path} is a Lambda function URL; AWS WAF cannot protect a function URL"
                        ),
                        FUNCTION_URL_HELP,
                    ),
                };
                error(&node, codes::TARGET, property, message, Some(fix));
                return Ok(None);
            }
            Kind::Arn {
                what,
                arn,
                attached,
            } => (what, arn, attached),
        };
        if let Some(literal) = arn.clone().into_value().as_str() {
            if let Err((message, fix)) = check_arn(literal) {
                error(&node, codes::TARGET, property, message, Some(&fix));
                return Ok(None);
            }
        }
        if self.waf_scope() != WafScope::Regional {
            error(
                &node,
                codes::SCOPE,
                "WebACLArn",
                format!(
                    "web ACL {} has scope CLOUDFRONT, and the {what} is a regional resource: it takes a web ACL of scope REGIONAL",
                    self.scope().path()
                ),
                Some(
                    "create a second web ACL with WafScope::Regional in the resource's region; a CLOUDFRONT web ACL attaches to a distribution with DistributionProps::web_acl",
                ),
            );
            return Ok(None);
        }
        let key = arn.clone().into_value();
        let earlier = match attached.as_ref().and_then(|a| a.0.borrow().clone()) {
            Some(a) => Some(a),
            None => association_in(&node.stack(), &key),
        };
        if let Some(first) = earlier {
            // A construct's `what` names it by path; an ARN is shown.
            let target = if attached.is_some() {
                what
            } else {
                format!("{what} {}", show(&node.stack(), &key))
            };
            error(
                &node,
                codes::ONE_WEB_ACL,
                property,
                format!(
                    "the {target} already has web ACL {} (association {}); AWS WAF attaches at most one web ACL to a resource, and CloudFormation would fail this association at deploy",
                    first.acl, first.association
                ),
                Some(
                    "keep one association per resource: put the rules of both web ACLs into one (WebAclProps::rule), or remove this association",
                ),
            );
            return Ok(None);
        }
        let assoc = node.add_here(
            CfnWebAclAssociation::new()
                .resource_arn(arn)
                .web_acl_arn(self.arn()),
        )?;
        if let Some(slot) = attached {
            *slot.0.borrow_mut() = Some(Attached {
                acl: self.scope().path(),
                association: node.path(),
            });
        }
        Ok(Some(assoc))
    }
}

/// The web ACL association of `stack` (made by [`WebAcl::associate`] or
/// added as an L1 resource) whose resource ARN is `arn`: the same literal,
/// or the same reference to the same attribute. Expressions that differ
/// are taken as different resources, even when they may not be.
fn association_in(stack: &Stack, arn: &Value) -> Option<Attached> {
    stack.resources().iter().find_map(|r| {
        if r.type_name() != "AWS::WAFv2::WebACLAssociation" {
            return None;
        }
        let (resource, acl) = r.inspect(|a: &CfnWebAclAssociation| {
            (a.get_resource_arn().cloned(), a.get_web_acl_arn().cloned())
        })?;
        if resource.as_ref().map(unchecked) != Some(unchecked(arn)) {
            return None;
        }
        let acl = match acl.as_ref().map(unchecked) {
            Some(Value::Expr(e)) => match e.intrinsic() {
                Intrinsic::GetAtt(t, _) | Intrinsic::Ref(t) => path_of(stack, t),
                _ => show(stack, &Value::Expr(e.clone())),
            },
            Some(v) => show(stack, v),
            None => "(none given)".to_owned(),
        };
        Some(Attached {
            acl,
            association: r.path(),
        })
    })
}

/// The value inside [`Value::Unchecked`]: it is the same resource.
fn unchecked(v: &Value) -> &Value {
    match v {
        Value::Unchecked(inner) => unchecked(inner),
        other => other,
    }
}

/// What a reference from `stack` points at, for a message.
fn path_of(stack: &Stack, target: &Target) -> String {
    match target {
        Target::Resource { stack: id, .. } if *id == stack.id() => stack
            .resources()
            .into_iter()
            .find(|r| r.target() == *target)
            .map_or_else(|| "a resource".to_owned(), |r| r.path()),
        Target::Resource { .. } => "(a reference into another stack)".to_owned(),
        Target::Parameter { name, .. } => format!("parameter {name}"),
        Target::Named(name) => name.clone(),
    }
}

/// A resource ARN as the user wrote it: a literal in backquotes, a
/// reference by the construct path it points at, an `Fn::Sub` with its
/// references and pseudo parameters in `${…}`.
fn show(stack: &Stack, v: &Value) -> String {
    let Value::Expr(e) = unchecked(v) else {
        return match unchecked(v).as_str() {
            Some(s) => format!("`{s}`"),
            None => format!("(a {})", v.kind()),
        };
    };
    match e.intrinsic() {
        Intrinsic::Ref(t) => path_of(stack, t),
        Intrinsic::GetAtt(t, a) => format!("{}.{a}", path_of(stack, t)),
        Intrinsic::Pseudo(p) => p.name().to_owned(),
        Intrinsic::Sub(parts, _) => {
            let text: String = parts
                .iter()
                .map(|p| match p {
                    SubPart::Text(t) => t.clone(),
                    SubPart::Ref(t) => format!("${{{}}}", path_of(stack, t)),
                    SubPart::GetAtt(t, a) => format!("${{{}.{a}}}", path_of(stack, t)),
                    SubPart::Pseudo(p) => format!("${{{}}}", p.name()),
                    SubPart::Var(v) => format!("${{{v}}}"),
                })
                .collect();
            format!("`{text}`")
        }
        other => format!("(an {} expression)", other.name()),
    }
}

#[cfg(test)]
mod tests {
    use formwork_core::App;
    use formwork_test_support::{failed, synth_and_lint, template, with_code};
    use serde_json::json;

    use super::*;
    use crate::wafv2::{RateLimit, WebAclProps};

    fn acl(s: &formwork_core::Scope, scope: WafScope) -> WebAcl {
        WebAcl::new(
            s,
            "Firewall",
            WebAclProps::new(scope).rule(RateLimit::per_ip(1000)),
        )
        .unwrap()
    }

    #[test]
    fn a_rest_api_stage_and_a_literal_arn_are_associated() {
        let app = App::new();
        let s = app.stack("Api").unwrap();
        let a = acl(&s, WafScope::Regional);
        let stage = a
            .associate("Orders", WebAclTarget::rest_api_stage("a1b2c3d4e5", "prod"))
            .unwrap();
        assert!(stage.is_some());
        a.associate(
            "Users",
            WebAclTarget::arn(
                "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf",
            ),
        )
        .unwrap();
        let t = template(&synth_and_lint(&app, "waf-assoc-arn"), "Api");
        assert_eq!(
            t["Resources"]["FirewallOrders"],
            json!({
                "Type": "AWS::WAFv2::WebACLAssociation",
                "Properties": {
                    "ResourceArn": {"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/a1b2c3d4e5/stages/prod"},
                    "WebACLArn": {"Fn::GetAtt": ["Firewall", "Arn"]}
                }
            })
        );
        assert_eq!(
            t["Resources"]["FirewallUsers"]["Properties"]["ResourceArn"],
            "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf"
        );
    }

    #[test]
    fn literal_arns_of_what_waf_does_not_protect_are_errors() {
        let cases = [
            (
                "arn:aws:apigateway:eu-west-1::/apis/abc123",
                "HTTP or WebSocket API",
            ),
            (
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/lb/1234",
                "Network or Gateway Load Balancer",
            ),
            (
                "arn:aws:cloudfront::123456789012:distribution/E123",
                "CloudFront distribution",
            ),
            (
                "arn:aws:lambda:eu-west-1:123456789012:function:chat",
                "Lambda function",
            ),
            (
                "arn:aws:sqs:eu-west-1:123456789012:q",
                "not a resource AWS WAF protects",
            ),
            ("my-alb", "not an ARN"),
        ];
        for (arn, says) in cases {
            let (message, fix) = check_arn(arn).unwrap_err();
            assert!(message.contains(says), "{arn}: {message}");
            assert!(!fix.is_empty());
        }
        for ok in [
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/lb/1234",
            "arn:aws:apigateway:eu-west-1::/restapis/abc/stages/prod",
            "arn:aws:appsync:eu-west-1:123456789012:apis/abc",
            "arn:aws:apprunner:eu-west-1:123456789012:service/web/abc",
            "arn:aws:ec2:eu-west-1:123456789012:verified-access-instance/vai-0123",
            "arn:aws:amplify:eu-west-1:123456789012:apps/abc",
        ] {
            assert!(check_arn(ok).is_ok(), "{ok}");
        }
        let app = App::new();
        let s = app.stack("Api").unwrap();
        let a = acl(&s, WafScope::Regional);
        assert!(
            a.associate(
                "Http",
                WebAclTarget::arn("arn:aws:apigateway:eu-west-1::/apis/abc123")
            )
            .unwrap()
            .is_none()
        );
        let d = failed(&app);
        let e = with_code(&d.0, codes::TARGET);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].path, "Api/Firewall/Http");
        assert_eq!(e[0].property.as_deref(), Some("ResourceArn"));
    }

    #[test]
    fn a_cloudfront_acl_on_a_regional_resource_is_an_error() {
        let app = App::new();
        let s = app.stack("Api").unwrap();
        let a = acl(&s, WafScope::CloudFront);
        assert!(
            a.associate("Orders", WebAclTarget::rest_api_stage("a1b2c3d4e5", "prod"))
                .unwrap()
                .is_none()
        );
        let d = failed(&app);
        let e = with_code(&d.0, codes::SCOPE);
        assert_eq!(e.len(), 1);
        assert!(
            e[0].message.contains("web ACL Api/Firewall has scope CLOUDFRONT, and the REST API stage is a regional resource"),
            "{}",
            e[0].message
        );
        assert!(e[0].fix.as_deref().unwrap().contains("WafScope::Regional"));
    }

    /// The `FW4714` errors of an app, after checking there is no other.
    fn one_web_acl_errors(app: &App) -> Vec<formwork_core::Diagnostic> {
        let d = failed(app);
        let e: Vec<_> = with_code(&d.0, codes::ONE_WEB_ACL)
            .into_iter()
            .cloned()
            .collect();
        assert_eq!(e.len(), d.0.len(), "only FW4714 expected: {:#?}", d.0);
        e
    }

    #[test]
    fn a_second_web_acl_on_the_same_rest_api_stage_is_an_error_naming_the_first() {
        let app = App::new();
        let s = app.stack("Api").unwrap();
        let first = acl(&s, WafScope::Regional);
        let second = WebAcl::new(
            &s,
            "Strict",
            WebAclProps::new(WafScope::Regional).rule(RateLimit::per_ip(100)),
        )
        .unwrap();
        let stage = || WebAclTarget::rest_api_stage("a1b2c3d4e5", "prod");
        assert!(first.associate("Orders", stage()).unwrap().is_some());
        assert!(second.associate("Orders", stage()).unwrap().is_none());
        let e = one_web_acl_errors(&app);
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!(e[0].path, "Api/Strict/Orders");
        assert_eq!(e[0].property.as_deref(), Some("ResourceArn"));
        assert_eq!(
            e[0].message,
            "the REST API stage `arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/a1b2c3d4e5/stages/prod` already has web ACL Api/Firewall (association Api/Firewall/Orders); AWS WAF attaches at most one web ACL to a resource, and CloudFormation would fail this association at deploy"
        );
        let fix = e[0].fix.as_deref().unwrap();
        assert!(
            fix.contains("put the rules of both web ACLs into one"),
            "{fix}"
        );
    }

    #[test]
    fn the_same_literal_arn_or_parameter_twice_is_an_error_even_from_one_web_acl() {
        let app = App::new();
        let s = app.stack("Api").unwrap();
        let pool = s
            .add_parameter("UserPoolArn", formwork_core::Parameter::string())
            .unwrap();
        let a = acl(&s, WafScope::Regional);
        let arn = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf";
        a.associate("Users", WebAclTarget::arn(arn)).unwrap();
        a.associate("UsersAgain", WebAclTarget::arn(arn)).unwrap();
        a.associate("Pool", WebAclTarget::arn(pool.ref_())).unwrap();
        a.associate("PoolAgain", WebAclTarget::arn(pool.ref_()))
            .unwrap();
        let e = one_web_acl_errors(&app);
        assert_eq!(e.len(), 2, "{e:#?}");
        assert_eq!(e[0].path, "Api/Firewall/UsersAgain");
        assert!(
            e[0].message.starts_with(&format!(
                "the resource `{arn}` already has web ACL Api/Firewall (association Api/Firewall/Users);"
            )),
            "{}",
            e[0].message
        );
        assert_eq!(e[1].path, "Api/Firewall/PoolAgain");
        assert!(
            e[1].message.starts_with(
                "the resource parameter UserPoolArn already has web ACL Api/Firewall (association Api/Firewall/Pool);"
            ),
            "{}",
            e[1].message
        );
    }

    #[test]
    fn an_l1_association_made_before_counts() {
        let app = App::new();
        let s = app.stack("Api").unwrap();
        let arn = "arn:aws:appsync:eu-west-1:123456789012:apis/abc";
        s.add(
            "Legacy",
            CfnWebAclAssociation::new()
                .resource_arn(arn)
                .web_acl_arn("arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/old/1234"),
        )
        .unwrap();
        acl(&s, WafScope::Regional)
            .associate("Graph", WebAclTarget::arn(arn))
            .unwrap();
        let e = one_web_acl_errors(&app);
        assert_eq!(e.len(), 1, "{e:#?}");
        assert!(
            e[0].message.contains(
                "already has web ACL `arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/old/1234` (association Api/Legacy)"
            ),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn different_resources_and_references_that_cannot_be_compared_are_no_error() {
        let app = App::new();
        let s = app.stack("Api").unwrap();
        let one = s
            .add_parameter("OnePoolArn", formwork_core::Parameter::string())
            .unwrap();
        let two = s
            .add_parameter("TwoPoolArn", formwork_core::Parameter::string())
            .unwrap();
        let api = s
            .add_parameter("ApiId", formwork_core::Parameter::string())
            .unwrap();
        let a = acl(&s, WafScope::Regional);
        let b = WebAcl::new(
            &s,
            "Other",
            WebAclProps::new(WafScope::Regional).rule(RateLimit::per_ip(100)),
        )
        .unwrap();
        for (id, target) in [
            ("Prod", WebAclTarget::rest_api_stage("a1b2c3d4e5", "prod")),
            ("Test", WebAclTarget::rest_api_stage("a1b2c3d4e5", "test")),
            ("Param", WebAclTarget::rest_api_stage(api.ref_(), "prod")),
            ("One", WebAclTarget::arn(one.ref_())),
        ] {
            assert!(a.associate(id, target).unwrap().is_some(), "{id}");
        }
        for (id, target) in [
            ("Two", WebAclTarget::arn(two.ref_())),
            (
                "Graph",
                WebAclTarget::arn("arn:aws:appsync:eu-west-1:123456789012:apis/abc"),
            ),
            (
                "Graph2",
                WebAclTarget::arn("arn:aws:appsync:eu-west-1:123456789012:apis/abd"),
            ),
        ] {
            assert!(b.associate(id, target).unwrap().is_some(), "{id}");
        }
        synth_and_lint(&app, "waf-assoc-distinct");
    }

    #[cfg(feature = "elasticloadbalancingv2")]
    #[test]
    fn an_alb_is_associated_by_its_arn() {
        use crate::ec2::{Vpc, VpcProps};
        use crate::elasticloadbalancingv2::{
            ApplicationLoadBalancer, ApplicationLoadBalancerProps,
        };
        let app = App::new();
        let s = app.stack("Web").unwrap();
        let vpc = Vpc::new(&s, "Network", VpcProps::new()).unwrap();
        let lb = ApplicationLoadBalancer::new(&s, "Lb", ApplicationLoadBalancerProps::new(&vpc))
            .unwrap();
        let a = acl(&s, WafScope::Regional);
        a.associate("Lb", &lb).unwrap();
        let t = template(&synth_and_lint(&app, "waf-assoc-alb"), "Web");
        assert_eq!(
            t["Resources"]["FirewallLb"]["Properties"],
            json!({"ResourceArn": {"Ref": "Lb"}, "WebACLArn": {"Fn::GetAtt": ["Firewall", "Arn"]}})
        );
        // The same load balancer with a CLOUDFRONT web ACL.
        let app = App::new();
        let s = app.stack("Web").unwrap();
        let vpc = Vpc::new(&s, "Network", VpcProps::new()).unwrap();
        let lb = ApplicationLoadBalancer::new(&s, "Lb", ApplicationLoadBalancerProps::new(&vpc))
            .unwrap();
        acl(&s, WafScope::CloudFront).associate("Lb", &lb).unwrap();
        let d = failed(&app);
        let e = with_code(&d.0, codes::SCOPE);
        assert!(
            e[0].message
                .contains("the load balancer Web/Lb is a regional resource"),
            "{}",
            e[0].message
        );
    }

    #[cfg(feature = "elasticloadbalancingv2")]
    #[test]
    fn a_load_balancer_with_two_web_acls_is_an_error_in_any_stack_of_the_app() {
        use crate::ec2::{Vpc, VpcProps};
        use crate::elasticloadbalancingv2::{
            ApplicationLoadBalancer, ApplicationLoadBalancerProps,
        };
        let app = App::new();
        let web = app.stack("Web").unwrap();
        let vpc = Vpc::new(&web, "Network", VpcProps::new()).unwrap();
        let lb = ApplicationLoadBalancer::new(&web, "Lb", ApplicationLoadBalancerProps::new(&vpc))
            .unwrap();
        let other =
            ApplicationLoadBalancer::new(&web, "Other", ApplicationLoadBalancerProps::new(&vpc))
                .unwrap();
        let (w1, w2) = (app.stack("Waf1").unwrap(), app.stack("Waf2").unwrap());
        let first = acl(&w1, WafScope::Regional);
        let second = acl(&w2, WafScope::Regional);
        assert!(first.associate("Lb", &lb).unwrap().is_some());
        assert!(second.associate("Other", &other).unwrap().is_some());
        // A clone is the same load balancer, in another stack.
        assert!(second.associate("Lb", &lb.clone()).unwrap().is_none());
        // Its ARN as a reference, in the stack of the first association.
        assert!(
            first
                .associate("LbArn", WebAclTarget::arn(lb.load_balancer_arn()))
                .unwrap()
                .is_none()
        );
        let e = one_web_acl_errors(&app);
        assert_eq!(e.len(), 2, "{e:#?}");
        assert_eq!(e[0].path, "Waf1/Firewall/LbArn");
        assert!(
            e[0].message.starts_with(
                "the resource (a reference into another stack) already has web ACL Waf1/Firewall (association Waf1/Firewall/Lb);"
            ),
            "{}",
            e[0].message
        );
        assert_eq!(e[1].path, "Waf2/Firewall/Lb");
        assert!(
            e[1].message.starts_with(
                "the load balancer Web/Lb already has web ACL Waf1/Firewall (association Waf1/Firewall/Lb);"
            ),
            "{}",
            e[1].message
        );
    }

    #[cfg(feature = "apigatewayv2")]
    #[test]
    fn an_http_api_or_its_stage_is_an_error_naming_it_with_the_alternatives() {
        use crate::apigatewayv2::{HttpApi, HttpApiProps};
        let app = App::new();
        let s = app.stack("Chat").unwrap();
        let api = HttpApi::new(&s, "Api", HttpApiProps::new()).unwrap();
        let a = acl(&s, WafScope::Regional);
        assert!(a.associate("Api", &api).unwrap().is_none());
        let stage = api.stages().into_iter().next().expect("a default stage");
        assert!(a.associate("Stage", &stage).unwrap().is_none());
        let d = failed(&app);
        let e = with_code(&d.0, codes::TARGET);
        assert_eq!(e.len(), 2, "{e:#?}");
        assert_eq!(e[0].path, "Chat/Firewall/Api");
        assert_eq!(
            e[0].message,
            "Chat/Api is an HTTP API (API Gateway v2); AWS WAF cannot protect an HTTP API"
        );
        let fix = e[0].fix.as_deref().unwrap();
        assert!(fix.contains("CloudFront distribution in front"), "{fix}");
        assert!(fix.contains("REST API"), "{fix}");
        assert!(e[1].message.starts_with("Chat/Api/"), "{}", e[1].message);
    }

    #[cfg(feature = "lambda")]
    #[test]
    fn a_function_url_is_an_error_with_the_alternatives() {
        use crate::lambda::{Code, Function, FunctionProps, FunctionUrlProps, Runtime};
        let app = App::new();
        let s = app.stack("Chat").unwrap();
        let f = Function::new(
            &s,
            "Chat",
            FunctionProps::new(Code::inline("def handler(e, c):\n    return e\n"))
                .runtime(Runtime::Python313)
                .handler("index.handler"),
        )
        .unwrap();
        let url = f.add_function_url(FunctionUrlProps::new()).unwrap();
        assert!(
            acl(&s, WafScope::Regional)
                .associate("Url", &url)
                .unwrap()
                .is_none()
        );
        let d = failed(&app);
        let e = with_code(&d.0, codes::TARGET);
        assert_eq!(e.len(), 1);
        assert!(
            e[0].message
                .contains("is a Lambda function URL; AWS WAF cannot protect a function URL")
        );
        assert!(
            e[0].fix
                .as_deref()
                .unwrap()
                .contains("CloudFront distribution in front of the URL")
        );
    }
}
