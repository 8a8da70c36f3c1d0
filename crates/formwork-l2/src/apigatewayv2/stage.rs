//! Stages of an HTTP API: where it is deployed, with throttling and access
//! logs.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Fn, Pseudo, Result, Scope, Value};
use formwork_l1::apigatewayv2::{CfnStage, CfnStageRef, stage};

use super::codes;
use super::http_api::HttpApi;
use crate::logs::LogGroup;

/// Request throttling of a stage (its `DefaultRouteSettings`): the bucket
/// size (burst, requests) and the steady rate (requests per second).
///
/// ```
/// use formwork::apigatewayv2::Throttle;
/// let t = Throttle::new(100, 50.0);
/// assert_eq!((t.burst_limit(), t.rate_limit()), (100, 50.0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Throttle {
    burst_limit: u32,
    rate_limit: f64,
}

impl Throttle {
    /// A burst of `burst_limit` requests, refilled at `rate_limit` requests
    /// per second (a finite number, 0 or more; error `FW2607` otherwise).
    pub fn new(burst_limit: u32, rate_limit: f64) -> Throttle {
        Throttle {
            burst_limit,
            rate_limit,
        }
    }

    /// The burst limit.
    pub fn burst_limit(&self) -> u32 {
        self.burst_limit
    }

    /// The rate limit, requests per second.
    pub fn rate_limit(&self) -> f64 {
        self.rate_limit
    }
}

/// The line a stage writes to its access log per request: `$context`
/// variables in a template. API Gateway requires `$context.requestId` or
/// `$context.extendedRequestId` in it (error `FW2608` otherwise).
///
/// ```
/// use formwork::apigatewayv2::AccessLogFormat;
/// assert!(AccessLogFormat::json_standard().as_str().contains("\"requestId\":\"$context.requestId\""));
/// let custom = AccessLogFormat::custom("$context.requestId $context.routeKey $context.status");
/// # let _ = custom;
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AccessLogFormat(String);

impl AccessLogFormat {
    /// One JSON object per request with the fields AWS's HTTP API logging
    /// guide suggests: request id, source IP, time, method, route key,
    /// status, protocol, response length, and the integration's error.
    pub fn json_standard() -> AccessLogFormat {
        AccessLogFormat(
            concat!(
                r#"{"requestId":"$context.requestId","#,
                r#""ip":"$context.identity.sourceIp","#,
                r#""requestTime":"$context.requestTime","#,
                r#""httpMethod":"$context.httpMethod","#,
                r#""routeKey":"$context.routeKey","#,
                r#""status":"$context.status","#,
                r#""protocol":"$context.protocol","#,
                r#""responseLength":"$context.responseLength","#,
                r#""integrationError":"$context.integrationErrorMessage"}"#,
            )
            .to_owned(),
        )
    }

    /// Common Log Format, with the request id appended.
    pub fn clf() -> AccessLogFormat {
        AccessLogFormat(
            "$context.identity.sourceIp - - [$context.requestTime] \"$context.httpMethod $context.routeKey $context.protocol\" $context.status $context.responseLength $context.requestId"
                .to_owned(),
        )
    }

    /// A format of your own.
    pub fn custom(format: impl Into<String>) -> AccessLogFormat {
        AccessLogFormat(format.into())
    }

    /// The template.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What API Gateway would refuse in it.
    fn problem(&self) -> Option<String> {
        let f = &self.0;
        if f.trim().is_empty() {
            Some("the access log format is empty".to_owned())
        } else if f.contains('\n') || f.contains('\r') {
            Some("the access log format spans several lines; API Gateway takes one line".to_owned())
        } else if !f.contains("$context.requestId") && !f.contains("$context.extendedRequestId") {
            Some(format!(
                "the access log format {f:?} has neither $context.requestId nor $context.extendedRequestId; API Gateway requires one"
            ))
        } else {
            None
        }
    }
}

/// What an [`HttpStage`] is made with.
///
/// Defaults: auto-deploy on (every change to the API's routes is deployed
/// to the stage), no throttling beyond the account's, no access log.
///
/// ```
/// use formwork::apigatewayv2::{StageProps, Throttle};
/// let props = StageProps::new("prod").throttle(Throttle::new(100, 50.0)).description("production");
/// # let _ = props;
/// ```
#[derive(Clone, Debug)]
pub struct StageProps {
    name: String,
    auto_deploy: bool,
    throttle: Option<Throttle>,
    access_log: Option<(LogGroup, AccessLogFormat)>,
    description: Option<Str>,
}

impl StageProps {
    /// A stage named `name`: `$default`, or 1 to 128 of `A-Z a-z 0-9 - _`
    /// (error `FW2604` otherwise). Its URL ends in `/<name>`.
    pub fn new(name: impl Into<String>) -> Self {
        StageProps {
            name: name.into(),
            auto_deploy: true,
            throttle: None,
            access_log: None,
            description: None,
        }
    }

    /// The `$default` stage, served at the API's root URL.
    pub fn default_stage() -> Self {
        StageProps::new(HttpStage::DEFAULT)
    }

    /// Whether API Gateway deploys every change to the stage (default
    /// true). With false, nothing in the stack deploys the API to it:
    /// deployments are made outside (`aws apigatewayv2 create-deployment`).
    pub fn auto_deploy(mut self, auto_deploy: bool) -> Self {
        self.auto_deploy = auto_deploy;
        self
    }

    /// Throttling of every route of the stage.
    pub fn throttle(mut self, throttle: Throttle) -> Self {
        self.throttle = Some(throttle);
        self
    }

    /// Writes one line per request to a log group. HTTP APIs write through
    /// API Gateway's service-linked role: no role is needed.
    pub fn access_log(mut self, log_group: &LogGroup, format: AccessLogFormat) -> Self {
        self.access_log = Some((log_group.clone(), format));
        self
    }

    /// Its description.
    pub fn description(mut self, description: impl Into<Str>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// A stage of an HTTP API (`AWS::ApiGatewayV2::Stage`).
#[derive(Clone, Debug)]
pub struct HttpStage {
    cfn: CfnStageRef,
    scope: Scope,
    name: String,
    api_endpoint: Expr,
}

fn valid_stage_name(name: &str) -> bool {
    name == HttpStage::DEFAULT
        || ((1..=128).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
}

impl HttpStage {
    /// The name of the default stage.
    pub const DEFAULT: &'static str = "$default";

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnStageRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The stage name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The stage's base URL: `<api endpoint>/<name>` (`<api endpoint>/`
    /// for `$default`), where `<api endpoint>` is
    /// `https://<api id>.execute-api.<region>.amazonaws.com`.
    pub fn url(&self) -> Expr {
        let path = if self.name == HttpStage::DEFAULT {
            "/".to_owned()
        } else {
            format!("/{}", self.name)
        };
        Fn::concat([Value::from(self.api_endpoint.clone()), Value::from(path)])
    }
}

impl HttpApi {
    /// Adds a stage at `<api>/<id>`. A name the API already has is error
    /// `FW2605`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::apigatewayv2::{AccessLogFormat, HttpApi, HttpApiProps, StageProps};
    /// use formwork::logs::{LogGroup, LogGroupProps, Retention};
    /// let app = App::new();
    /// let stack = app.stack("Api")?;
    /// let api = HttpApi::new(&stack, "Api", HttpApiProps::new().stage("Prod", StageProps::new("prod")))?;
    /// let logs = LogGroup::new(&stack, "StagingAccessLogs", LogGroupProps::new().retention(Retention::OneMonth))?;
    /// let staging = api.add_stage("Staging", StageProps::new("staging").access_log(&logs, AccessLogFormat::json_standard()))?;
    /// assert_eq!(staging.name(), "staging");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_stage(&self, id: &str, props: StageProps) -> Result<HttpStage> {
        let node = self.scope().child(id)?;
        let name = props.name;
        if !valid_stage_name(&name) {
            node.report(
                Diagnostic::error(
                    codes::STAGE_NAME,
                    node.path(),
                    format!(
                        "stage name {name:?} is not valid; allowed: $default, or 1 to 128 of A-Z a-z 0-9 - _"
                    ),
                )
                .property("StageName"),
            );
        } else if let Some(other) = self
            .stages()
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.scope.path())
        {
            node.report(
                Diagnostic::error(
                    codes::DUPLICATE_STAGE,
                    node.path(),
                    format!("the API already has a stage named {name:?} ({other})"),
                )
                .property("StageName"),
            );
        }
        let mut cfn = CfnStage::new()
            .api_id(self.api_id())
            .stage_name(name.as_str())
            .auto_deploy(props.auto_deploy);
        if let Some(d) = props.description {
            cfn = cfn.description(d);
        }
        if let Some(t) = props.throttle {
            if !t.rate_limit.is_finite() || t.rate_limit < 0.0 {
                node.report(
                    Diagnostic::error(
                        codes::THROTTLING,
                        node.path(),
                        format!(
                            "throttling rate limit {} is not valid; allowed: a finite number of requests per second, 0 or more",
                            t.rate_limit
                        ),
                    )
                    .property("DefaultRouteSettings.ThrottlingRateLimit"),
                );
            }
            let rate = if t.rate_limit.is_finite() {
                t.rate_limit
            } else {
                0.0
            };
            cfn = cfn.default_route_settings(
                stage::RouteSettings::new()
                    .throttling_burst_limit(t.burst_limit)
                    .throttling_rate_limit(rate),
            );
        }
        let has_access_log = props.access_log.is_some();
        if let Some((group, format)) = props.access_log {
            if let Some(p) = format.problem() {
                node.report(
                    Diagnostic::error(codes::ACCESS_LOG_FORMAT, node.path(), p)
                        .property("AccessLogSettings.Format")
                        .fix("start from AccessLogFormat::json_standard()"),
                );
            }
            // The group's ARN without the `:*` that `Fn::GetAtt Arn` ends with.
            let destination = Fn::concat([
                Value::from("arn:"),
                Pseudo::Partition.into(),
                Value::from(":logs:"),
                Pseudo::Region.into(),
                Value::from(":"),
                Pseudo::AccountId.into(),
                Value::from(":log-group:"),
                group.name().into(),
            ]);
            cfn = cfn.access_log_settings(
                stage::AccessLogSettings::new()
                    .destination_arn(destination)
                    .format(format.0),
            );
        }
        let cfn = node.add_here(cfn)?;
        if !has_access_log {
            cfn.suppress(
                "CKV_AWS_95",
                "access logging needs a log group and a format; StageProps::access_log turns it on",
            );
        }
        let stage = HttpStage {
            cfn,
            scope: node,
            name,
            api_endpoint: self.api_endpoint(),
        };
        self.push_stage(stage.clone());
        Ok(stage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apigatewayv2::HttpApiProps;
    use crate::apigatewayv2::testutil::{failed, one_error, stack};
    use crate::logs::{LogGroupProps, Retention};
    use formwork_core::Output;
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    #[test]
    fn stages_carry_throttling_access_logs_and_a_url() {
        let (app, s) = stack();
        let logs = LogGroup::new(
            &s,
            "AccessLogs",
            LogGroupProps::new().retention(Retention::OneMonth),
        )
        .unwrap();
        let api = HttpApi::new(
            &s,
            "Api",
            HttpApiProps::new().stage(
                "Prod",
                StageProps::new("prod")
                    .description("production")
                    .throttle(Throttle::new(100, 50.5))
                    .access_log(&logs, AccessLogFormat::json_standard()),
            ),
        )
        .unwrap();
        let staging = api
            .add_stage("Staging", StageProps::new("staging").auto_deploy(false))
            .unwrap();
        assert_eq!(staging.cfn().logical_id(), "ApiStaging");
        assert_eq!(staging.scope().path(), "S/Api/Staging");
        s.add_output("StagingUrl", Output::new(staging.url()))
            .unwrap();
        let asm = synth_and_lint(&app, "apigw-stages");
        assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
        let t = template(&asm, "S");
        assert_eq!(
            t["Resources"]["ApiProd"]["Properties"],
            json!({
                "AccessLogSettings": {
                    "DestinationArn": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${AccessLogs}"},
                    "Format": AccessLogFormat::json_standard().as_str()
                },
                "ApiId": {"Ref": "Api"},
                "AutoDeploy": true,
                "DefaultRouteSettings": {"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 50.5},
                "Description": "production",
                "StageName": "prod"
            })
        );
        assert_eq!(
            t["Outputs"]["StagingUrl"]["Value"],
            json!({"Fn::Sub": "${Api.ApiEndpoint}/staging"})
        );
        let format: serde_json::Value =
            serde_json::from_str(AccessLogFormat::json_standard().as_str()).unwrap();
        assert_eq!(format["requestId"], "$context.requestId");
    }

    #[test]
    fn bad_stage_names_are_fw2604() {
        let (app, s) = stack();
        HttpApi::new(
            &s,
            "Api",
            HttpApiProps::new().stage("Prod", StageProps::new("prod/v1")),
        )
        .unwrap();
        let d = one_error(&failed(&app), codes::STAGE_NAME, "S/Api/Prod", "StageName");
        assert_eq!(
            d.message,
            "stage name \"prod/v1\" is not valid; allowed: $default, or 1 to 128 of A-Z a-z 0-9 - _"
        );
    }

    #[test]
    fn duplicate_stage_names_are_fw2605() {
        let (app, s) = stack();
        let api = HttpApi::new(&s, "Api", HttpApiProps::new()).unwrap();
        api.add_stage("Again", StageProps::default_stage()).unwrap();
        let d = one_error(
            &failed(&app),
            codes::DUPLICATE_STAGE,
            "S/Api/Again",
            "StageName",
        );
        assert_eq!(
            d.message,
            "the API already has a stage named \"$default\" (S/Api/DefaultStage)"
        );
    }

    #[test]
    fn negative_or_infinite_rates_are_fw2607() {
        for rate in [-1.0, f64::INFINITY, f64::NAN] {
            let (app, s) = stack();
            HttpApi::new(
                &s,
                "Api",
                HttpApiProps::new().stage(
                    "Prod",
                    StageProps::new("prod").throttle(Throttle::new(10, rate)),
                ),
            )
            .unwrap();
            let d = one_error(
                &failed(&app),
                codes::THROTTLING,
                "S/Api/Prod",
                "DefaultRouteSettings.ThrottlingRateLimit",
            );
            assert!(d.message.starts_with("throttling rate limit "), "{d}");
            assert!(
                d.message.ends_with(
                    "is not valid; allowed: a finite number of requests per second, 0 or more"
                ),
                "{d}"
            );
        }
    }

    #[test]
    fn access_log_formats_without_a_request_id_are_fw2608() {
        let (app, s) = stack();
        let logs = LogGroup::new(&s, "Logs", LogGroupProps::new()).unwrap();
        HttpApi::new(
            &s,
            "Api",
            HttpApiProps::new().stage(
                "Prod",
                StageProps::new("prod")
                    .access_log(&logs, AccessLogFormat::custom("$context.status")),
            ),
        )
        .unwrap();
        let d = one_error(
            &failed(&app),
            codes::ACCESS_LOG_FORMAT,
            "S/Api/Prod",
            "AccessLogSettings.Format",
        );
        assert_eq!(
            d.message,
            "the access log format \"$context.status\" has neither $context.requestId nor $context.extendedRequestId; API Gateway requires one"
        );
        assert_eq!(
            d.fix.as_deref(),
            Some("start from AccessLogFormat::json_standard()")
        );
    }

    #[test]
    fn stage_names() {
        for ok in ["$default", "prod", "v1_beta-2", &"a".repeat(128)] {
            assert!(valid_stage_name(ok), "{ok}");
        }
        for bad in ["", "pro d", "prod/1", "$prod", &"a".repeat(129)] {
            assert!(!valid_stage_name(bad), "{bad}");
        }
    }

    #[test]
    fn access_log_formats_need_a_request_id_on_one_line() {
        assert_eq!(AccessLogFormat::json_standard().problem(), None);
        assert_eq!(AccessLogFormat::clf().problem(), None);
        assert_eq!(
            AccessLogFormat::custom("$context.extendedRequestId").problem(),
            None
        );
        assert!(
            AccessLogFormat::custom(" ")
                .problem()
                .is_some_and(|p| p.contains("empty"))
        );
        assert!(
            AccessLogFormat::custom("$context.requestId\n$context.status")
                .problem()
                .is_some_and(|p| p.contains("several lines"))
        );
        assert!(
            AccessLogFormat::custom("$context.status")
                .problem()
                .is_some_and(|p| p.contains("requires one"))
        );
    }
}
