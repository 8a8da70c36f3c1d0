//! Public endpoints: function URLs and API routes without auth and without
//! a concurrency cap, log groups that never expire, and load balancer
//! listeners serving plain HTTP.

use formwork_core::Diagnostic;
use formwork_core::Value;
use formwork_core::rules::{Findings, ResourceView};

use crate::codes;
use crate::json::{int_of, items, str_of, target};

/// True when some stage of the API throttles its routes.
fn api_throttled(r: &ResourceView<'_>, api: &str) -> bool {
    r.template.resources().any(|s| {
        s.type_name() == "AWS::ApiGatewayV2::Stage"
            && s.property("ApiId").and_then(target) == Some(api)
            && (s
                .property("DefaultRouteSettings.ThrottlingRateLimit")
                .is_some()
                || s.property("DefaultRouteSettings.ThrottlingBurstLimit")
                    .is_some())
    })
}

pub(crate) fn resource(r: &ResourceView<'_>, ty: &str, f: &mut Findings) {
    match ty {
        "AWS::Lambda::Url" if str_of(r.property("AuthType")) == Some("NONE") => {
            let function = r.property("TargetFunctionArn").and_then(target);
            let capped = function
                .and_then(|id| r.template.resource(id))
                .is_some_and(|fr| fr.property("ReservedConcurrentExecutions").is_some());
            if !capped {
                f.report(
                    Diagnostic::warning(
                        codes::PUBLIC_ENDPOINT,
                        r.path(),
                        "the function URL takes requests from anyone (AuthType NONE) and the function has no reserved concurrency: a flood of requests runs up the bill and starves the account's other functions",
                    )
                    .property("AuthType")
                    .fix("use AWS_IAM auth, or cap the function with reserved concurrency"),
                );
            }
        }
        "AWS::ApiGatewayV2::Route" => {
            let auth = str_of(r.property("AuthorizationType")).unwrap_or("NONE");
            let api = r.property("ApiId").and_then(target);
            if auth == "NONE" && !api.is_some_and(|a| api_throttled(r, a)) {
                f.report(
                    Diagnostic::warning(
                        codes::PUBLIC_ENDPOINT,
                        r.path(),
                        "the route takes requests from anyone (no authorizer) and no stage of its API throttles them",
                    )
                    .property("AuthorizationType")
                    .fix("add an authorizer, or set throttling on the stage (`DefaultRouteSettings`)"),
                );
            }
        }
        "AWS::Logs::LogGroup" if r.property("RetentionInDays").is_none() => {
            f.report(
                Diagnostic::warning(
                    codes::LOG_RETENTION,
                    r.path(),
                    "the log group keeps its logs forever (no RetentionInDays): the cost only grows, and old data is kept with no purpose",
                )
                .property("RetentionInDays")
                .fix("set a retention (the LogGroup construct takes `Retention`)"),
            );
        }
        "AWS::ElasticLoadBalancingV2::Listener"
            if str_of(r.property("Protocol")) == Some("HTTP") =>
        {
            let redirects = items(r.property("DefaultActions")).into_iter().all(|a| {
                str_of(a.get("Type")) == Some("redirect")
                    && a.get("RedirectConfig")
                        .and_then(|c| c.get("Protocol"))
                        .and_then(Value::as_str)
                        == Some("HTTPS")
            });
            if !redirects {
                let port = int_of(r.property("Port")).unwrap_or(80);
                f.report(
                    Diagnostic::warning(
                        codes::PLAIN_HTTP,
                        r.path(),
                        format!("the listener on port {port} serves plain HTTP instead of redirecting to HTTPS"),
                    )
                    .property("Protocol")
                    .fix("serve HTTPS with a certificate, and make the HTTP listener redirect to it"),
                );
            }
        }
        _ => {}
    }
}
