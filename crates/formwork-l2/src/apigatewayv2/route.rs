//! Routes of an HTTP API: typed route keys, and Lambda proxy integrations
//! with the permission API Gateway needs to invoke the function.

use std::fmt;
use std::time::Duration;

use formwork_core::{Diagnostic, Expr, Fn, Pseudo, Result, Scope, Value};
use formwork_l1::apigatewayv2::{CfnIntegration, CfnIntegrationRef, CfnRoute, CfnRouteRef};
use formwork_l1::lambda::{CfnPermission, CfnPermissionRef};

use super::codes;
use super::http_api::HttpApi;
use crate::lambda::Function;

/// The HTTP method of a route (or of a CORS rule).
///
/// ```
/// use formwork::apigatewayv2::HttpMethod;
/// assert_eq!(HttpMethod::Post.as_str(), "POST");
/// assert_eq!(HttpMethod::Any.as_str(), "ANY");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `ANY`: every method (`*` in a CORS rule).
    Any,
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
}

impl HttpMethod {
    /// The method as a route key spells it (`ANY` for every method).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Any => "ANY",
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
        }
    }

    /// The method as a CORS configuration spells it (`*` for every method).
    pub(crate) fn cors_name(self) -> &'static str {
        match self {
            HttpMethod::Any => "*",
            other => other.as_str(),
        }
    }

    /// The method part of an `execute-api` ARN (`*` for every method).
    fn arn_part(self) -> &'static str {
        self.cors_name()
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a route matches: a method and a path (`POST /chat/completions`),
/// or `$default`, the catch-all for requests no other route matches.
///
/// Paths start with `/`; a segment may be a parameter `{name}`, and the
/// last one a greedy parameter `{name+}` (`/files/{proxy+}`). The path is
/// checked where the route is added: a malformed one is error `FW2601`.
///
/// ```
/// use formwork::apigatewayv2::{HttpMethod, RouteKey};
/// let chat = RouteKey::new(HttpMethod::Post, "/chat/completions");
/// assert_eq!(chat.to_string(), "POST /chat/completions");
/// let files = RouteKey::new(HttpMethod::Get, "/files/{proxy+}");
/// assert_eq!(files.path(), Some("/files/{proxy+}"));
/// assert_eq!(RouteKey::default_route().to_string(), "$default");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RouteKey {
    route: Option<(HttpMethod, String)>,
}

impl RouteKey {
    /// A route for a method and a path.
    pub fn new(method: HttpMethod, path: impl Into<String>) -> RouteKey {
        RouteKey {
            route: Some((method, path.into())),
        }
    }

    /// `$default`: requests that match no other route.
    pub fn default_route() -> RouteKey {
        RouteKey { route: None }
    }

    /// The method; `None` for `$default`.
    pub fn method(&self) -> Option<HttpMethod> {
        self.route.as_ref().map(|(m, _)| *m)
    }

    /// The path; `None` for `$default`.
    pub fn path(&self) -> Option<&str> {
        self.route.as_ref().map(|(_, p)| p.as_str())
    }

    /// What is wrong with the path, if anything.
    pub(crate) fn problem(&self) -> Option<String> {
        self.path().and_then(path_problem)
    }

    /// The key with parameter names erased, so that routes API Gateway
    /// cannot tell apart compare equal.
    pub(crate) fn shape(&self) -> String {
        match &self.route {
            None => "$default".to_owned(),
            Some((m, p)) => {
                let segments: Vec<&str> = p
                    .split('/')
                    .map(|s| {
                        if s.starts_with('{') && s.ends_with("+}") {
                            "{+}"
                        } else if s.starts_with('{') {
                            "{}"
                        } else {
                            s
                        }
                    })
                    .collect();
                format!("{m} {}", segments.join("/"))
            }
        }
    }

    /// `<method>/<path>` of the `execute-api` ARN that invokes this route
    /// in any stage (`*/*` for `$default`).
    fn arn_suffix(&self) -> String {
        match &self.route {
            None => "*/*".to_owned(),
            Some((m, p)) => format!("*/{}{p}", m.arn_part()),
        }
    }
}

impl fmt::Display for RouteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.route {
            None => f.write_str("$default"),
            Some((m, p)) => write!(f, "{m} {p}"),
        }
    }
}

/// Characters a path segment may not contain (outside a `{param}`).
const FORBIDDEN: &[char] = &['{', '}', '?', '#', '\\', '"', '<', '>', '|', '^', '`', '$'];

/// The first problem API Gateway would have with a route path.
fn path_problem(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return Some(format!("the path {path:?} does not start with `/`"));
    }
    if path == "/" {
        return None;
    }
    let segments: Vec<&str> = path[1..].split('/').collect();
    let mut params: Vec<&str> = Vec::new();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        if seg.is_empty() {
            return Some(if last {
                format!(
                    "the path {path:?} ends with `/`; HTTP APIs refuse route paths with a trailing slash"
                )
            } else {
                format!("the path {path:?} has an empty segment (`//`)")
            });
        }
        if let Some(inner) = seg.strip_prefix('{') {
            let Some(inner) = inner.strip_suffix('}') else {
                return Some(format!(
                    "the segment {seg:?} of {path:?} opens a parameter without closing it; a parameter is a whole segment `{{name}}`"
                ));
            };
            let (name, greedy) = match inner.strip_suffix('+') {
                Some(n) => (n, true),
                None => (inner, false),
            };
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
            {
                return Some(format!(
                    "the parameter {seg:?} of {path:?} has an invalid name; allowed: letters, digits, `_`, `-` and `.`"
                ));
            }
            if greedy && !last {
                return Some(format!(
                    "the greedy parameter {seg:?} of {path:?} is not the last segment; `{{name+}}` only ends a path"
                ));
            }
            if params.contains(&name) {
                return Some(format!(
                    "the parameter {{{name}}} appears twice in {path:?}"
                ));
            }
            params.push(name);
            continue;
        }
        if let Some(c) = seg
            .chars()
            .find(|c| FORBIDDEN.contains(c) || !c.is_ascii_graphic())
        {
            return Some(format!(
                "the segment {seg:?} of {path:?} contains {c:?}; a parameter is a whole segment `{{name}}`, and paths hold printable ASCII without `{{}}?#\\\"<>|^`$`"
            ));
        }
    }
    None
}

/// The event format a Lambda proxy integration sends to the function.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PayloadFormat {
    /// `1.0`: the REST API event shape.
    V1_0,
    /// `2.0` (the default): the HTTP API event shape, where the function
    /// may return a bare body.
    #[default]
    V2_0,
}

impl PayloadFormat {
    /// `1.0` or `2.0`.
    pub fn as_str(self) -> &'static str {
        match self {
            PayloadFormat::V1_0 => "1.0",
            PayloadFormat::V2_0 => "2.0",
        }
    }
}

/// Options of a Lambda proxy integration: the payload format (default
/// 2.0) and the timeout (default API Gateway's 30 s; allowed 50 ms to 30 s,
/// error `FW2603` otherwise).
///
/// API Gateway cuts a request at the integration timeout whatever the
/// function's own timeout is: a function that streams for minutes needs a
/// function URL ([`Function::add_function_url`]) beside the API.
///
/// ```
/// use std::time::Duration;
/// use formwork::apigatewayv2::{LambdaIntegrationProps, PayloadFormat};
/// let props = LambdaIntegrationProps::new()
///     .timeout(Duration::from_secs(29))
///     .payload_format(PayloadFormat::V2_0);
/// # let _ = props;
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LambdaIntegrationProps {
    timeout: Option<Duration>,
    payload_format: PayloadFormat,
}

impl LambdaIntegrationProps {
    /// Payload format 2.0, API Gateway's timeout (30 s).
    pub fn new() -> Self {
        LambdaIntegrationProps::default()
    }

    /// How long API Gateway waits for the function: 50 ms to 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The event format.
    pub fn payload_format(mut self, format: PayloadFormat) -> Self {
        self.payload_format = format;
        self
    }
}

/// HTTP APIs' integration timeout range, in milliseconds.
const TIMEOUT_MS: std::ops::RangeInclusive<u128> = 50..=30_000;

/// A route of an HTTP API to a Lambda function: the route
/// (`AWS::ApiGatewayV2::Route`, logical id the construct path), its
/// integration (`<route>Integration`) and the function's permission
/// (`<route>Permission`).
#[derive(Clone, Debug)]
pub struct HttpRoute {
    cfn: CfnRouteRef,
    integration: CfnIntegrationRef,
    permission: CfnPermissionRef,
    scope: Scope,
    key: RouteKey,
}

impl HttpRoute {
    /// The L1 route, for what this construct does not model.
    pub fn cfn(&self) -> &CfnRouteRef {
        &self.cfn
    }

    /// The L1 integration.
    pub fn integration(&self) -> &CfnIntegrationRef {
        &self.integration
    }

    /// The function's resource-policy statement for this route.
    pub fn permission(&self) -> &CfnPermissionRef {
        &self.permission
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The route key.
    pub fn route_key(&self) -> &RouteKey {
        &self.key
    }

    /// `Ref`: the route id.
    pub fn route_id(&self) -> Expr {
        self.cfn.ref_()
    }
}

impl HttpApi {
    /// Routes `key` to a Lambda function (see
    /// [`HttpApi::add_lambda_route_with`]) with payload format 2.0 and
    /// API Gateway's 30 s timeout.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::apigatewayv2::{HttpApi, HttpApiProps, HttpMethod, RouteKey};
    /// use formwork::lambda::{Code, Function, FunctionProps, Runtime};
    /// let app = App::new();
    /// let stack = app.stack("Items")?;
    /// let f = Function::new(&stack, "Items", FunctionProps::new(Code::inline("exports.handler = async () => ({});")).runtime(Runtime::Nodejs24X).handler("index.handler"))?;
    /// let api = HttpApi::new(&stack, "Api", HttpApiProps::new())?;
    /// let route = api.add_lambda_route("GetItem", RouteKey::new(HttpMethod::Get, "/items/{id}"), &f)?;
    /// assert_eq!(route.route_key().to_string(), "GET /items/{id}");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_lambda_route(
        &self,
        id: &str,
        key: RouteKey,
        function: &Function,
    ) -> Result<HttpRoute> {
        self.add_lambda_route_with(id, key, function, LambdaIntegrationProps::new())
    }

    /// Routes `key` to a Lambda function at `<api>/<id>`: a proxy
    /// integration whose URI is the function's ARN, the route, and an
    /// `AWS::Lambda::Permission` letting `apigateway.amazonaws.com` invoke
    /// the function with `SourceArn`
    /// `arn:<partition>:execute-api:<region>:<account>:<api id>/*/<METHOD>/<path>`
    /// (any stage, this route only; `*/*` for `$default`, `*` as the method
    /// for `ANY`).
    ///
    /// A malformed path is error `FW2601`, a key the API already routes
    /// `FW2602`, a timeout outside 50 ms to 30 s `FW2603`.
    #[track_caller]
    pub fn add_lambda_route_with(
        &self,
        id: &str,
        key: RouteKey,
        function: &Function,
        props: LambdaIntegrationProps,
    ) -> Result<HttpRoute> {
        let node = self.scope().child(id)?;
        self.check_route(&node, &key);
        let mut integration = CfnIntegration::new()
            .api_id(self.api_id())
            .integration_type("AWS_PROXY")
            .integration_uri(function.arn())
            .payload_format_version(props.payload_format.as_str());
        if let Some(t) = props.timeout {
            let ms = t.as_millis();
            if !TIMEOUT_MS.contains(&ms) {
                node.report(
                    Diagnostic::error(
                        codes::INTEGRATION_TIMEOUT,
                        node.path(),
                        format!(
                            "integration timeout {ms} ms is out of range; HTTP APIs allow 50 to 30000 ms (API Gateway cuts requests at 30 s)"
                        ),
                    )
                    .property("TimeoutInMillis")
                    .fix("for longer responses, call the function through a function URL"),
                );
            }
            integration = integration.timeout_in_millis(u64::try_from(ms).unwrap_or(u64::MAX));
        }
        let integration = node.add("Integration", integration)?;
        let cfn = node.add_here(
            CfnRoute::new()
                .api_id(self.api_id())
                .route_key(key.to_string())
                .target(Fn::concat([
                    Value::from("integrations/"),
                    integration.ref_().into(),
                ])),
        )?;
        let source_arn = Fn::concat([
            Value::from("arn:"),
            Pseudo::Partition.into(),
            Value::from(":execute-api:"),
            Pseudo::Region.into(),
            Value::from(":"),
            Pseudo::AccountId.into(),
            Value::from(":"),
            self.api_id().into(),
            Value::from(format!("/{}", key.arn_suffix())),
        ]);
        let permission = node.add(
            "Permission",
            CfnPermission::new()
                .action("lambda:InvokeFunction")
                .function_name(function.arn())
                .principal("apigateway.amazonaws.com")
                .source_arn(source_arn),
        )?;
        Ok(HttpRoute {
            cfn,
            integration,
            permission,
            scope: node,
            key,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apigatewayv2::testutil::{failed, function, one_error, stack};
    use crate::apigatewayv2::{HttpApiProps, StageProps};
    use formwork_core::Output;
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    #[test]
    fn route_keys_render_and_erase_parameter_names() {
        let k = RouteKey::new(HttpMethod::Get, "/items/{id}/files/{rest+}");
        assert_eq!(k.to_string(), "GET /items/{id}/files/{rest+}");
        assert_eq!(k.shape(), "GET /items/{}/files/{+}");
        assert_eq!(k.method(), Some(HttpMethod::Get));
        assert_eq!(k.arn_suffix(), "*/GET/items/{id}/files/{rest+}");
        assert_eq!(
            RouteKey::new(HttpMethod::Any, "/{proxy+}").arn_suffix(),
            "*/*/{proxy+}"
        );
        let d = RouteKey::default_route();
        assert_eq!((d.method(), d.path()), (None, None));
        assert_eq!(d.shape(), "$default");
        assert_eq!(d.arn_suffix(), "*/*");
        assert_eq!(d.problem(), None);
        assert_eq!(HttpMethod::Any.cors_name(), "*");
        assert_eq!(HttpMethod::Delete.to_string(), "DELETE");
    }

    #[test]
    fn paths_are_checked_like_api_gateway() {
        for ok in [
            "/",
            "/chat/completions",
            "/items/{id}",
            "/{proxy+}",
            "/v1/{tenant_id}/files/{path+}",
            "/a.b-c_d~e:f",
        ] {
            assert_eq!(path_problem(ok), None, "{ok}");
        }
        for (bad, says) in [
            ("chat", "does not start with `/`"),
            ("", "does not start with `/`"),
            ("/a//b", "empty segment"),
            ("/a/", "ends with `/`"),
            ("/items/{id", "without closing"),
            ("/items/{}", "invalid name"),
            ("/items/{a b}", "invalid name"),
            ("/{proxy+}/more", "not the last segment"),
            ("/{id}/x/{id}", "appears twice"),
            ("/items/x{id}", "contains '{'"),
            ("/a b", "contains ' '"),
            ("/a?b=1", "contains '?'"),
            ("/caf\u{e9}", "contains '\u{e9}'"),
        ] {
            let p = path_problem(bad).unwrap_or_else(|| panic!("{bad:?} should be refused"));
            assert!(p.contains(says), "{bad:?}: {p}");
        }
    }

    /// Reference B: `POST /chat/completions` to the chat function in stage
    /// `prod`: integration, route and permission, exactly.
    #[test]
    fn a_lambda_route_is_an_integration_a_route_and_a_scoped_permission() {
        let (app, s) = stack();
        let chat = function(&s, "Chat");
        let api = HttpApi::new(
            &s,
            "ChatApi",
            HttpApiProps::new().stage("ProdStage", StageProps::new("prod")),
        )
        .unwrap();
        let route = api
            .add_lambda_route(
                "ChatCompletions",
                RouteKey::new(HttpMethod::Post, "/chat/completions"),
                &chat,
            )
            .unwrap();
        assert_eq!(route.cfn().logical_id(), "ChatApiChatCompletions");
        assert_eq!(
            route.integration().logical_id(),
            "ChatApiChatCompletionsIntegration"
        );
        assert_eq!(
            route.permission().logical_id(),
            "ChatApiChatCompletionsPermission"
        );
        assert_eq!(route.scope().path(), "S/ChatApi/ChatCompletions");
        assert_eq!(route.route_key().to_string(), "POST /chat/completions");
        assert_eq!(api.routes(), [route.route_key().clone()]);
        s.add_output("RouteId", Output::new(route.route_id()))
            .unwrap();
        let asm = synth_and_lint(&app, "apigw-lambda-route");
        assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
        let r = &template(&asm, "S")["Resources"];
        assert_eq!(
            r["ChatApiChatCompletionsIntegration"],
            json!({
                "Type": "AWS::ApiGatewayV2::Integration",
                "Properties": {
                    "ApiId": {"Ref": "ChatApi"},
                    "IntegrationType": "AWS_PROXY",
                    "IntegrationUri": {"Fn::GetAtt": ["Chat", "Arn"]},
                    "PayloadFormatVersion": "2.0"
                }
            })
        );
        assert_eq!(
            r["ChatApiChatCompletions"],
            json!({
                "Type": "AWS::ApiGatewayV2::Route",
                "Properties": {
                    "ApiId": {"Ref": "ChatApi"},
                    "RouteKey": "POST /chat/completions",
                    "Target": {"Fn::Sub": "integrations/${ChatApiChatCompletionsIntegration}"}
                }
            })
        );
        assert_eq!(
            r["ChatApiChatCompletionsPermission"],
            json!({
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": {"Fn::GetAtt": ["Chat", "Arn"]},
                    "Principal": "apigateway.amazonaws.com",
                    "SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ChatApi}/*/POST/chat/completions"}
                }
            })
        );
        assert_eq!(
            r["ChatApiProdStage"]["Properties"],
            json!({"ApiId": {"Ref": "ChatApi"}, "AutoDeploy": true, "StageName": "prod"})
        );
    }

    #[test]
    fn default_any_and_greedy_routes_with_options() {
        let (app, s) = stack();
        let f = function(&s, "Fn");
        let api = HttpApi::new(&s, "Api", HttpApiProps::new()).unwrap();
        api.add_lambda_route_with(
            "Fallback",
            RouteKey::default_route(),
            &f,
            LambdaIntegrationProps::new()
                .timeout(Duration::from_secs(30))
                .payload_format(PayloadFormat::V1_0),
        )
        .unwrap();
        api.add_lambda_route(
            "Files",
            RouteKey::new(HttpMethod::Any, "/files/{proxy+}"),
            &f,
        )
        .unwrap();
        api.add_lambda_route_with(
            "Item",
            RouteKey::new(HttpMethod::Get, "/items/{id}"),
            &f,
            LambdaIntegrationProps::new().timeout(Duration::from_millis(50)),
        )
        .unwrap();
        let r = &template(&synth_and_lint(&app, "apigw-routes"), "S")["Resources"];
        assert_eq!(r["ApiFallback"]["Properties"]["RouteKey"], "$default");
        assert_eq!(
            r["ApiFallbackIntegration"]["Properties"]["TimeoutInMillis"],
            30_000
        );
        assert_eq!(
            r["ApiFallbackIntegration"]["Properties"]["PayloadFormatVersion"],
            "1.0"
        );
        assert_eq!(
            r["ApiFallbackPermission"]["Properties"]["SourceArn"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*"})
        );
        assert_eq!(
            r["ApiFiles"]["Properties"]["RouteKey"],
            "ANY /files/{proxy+}"
        );
        assert_eq!(
            r["ApiFilesPermission"]["Properties"]["SourceArn"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*/files/{proxy+}"})
        );
        assert_eq!(r["ApiItemIntegration"]["Properties"]["TimeoutInMillis"], 50);
    }

    #[test]
    fn malformed_paths_are_fw2601_on_the_route() {
        let (app, s) = stack();
        let f = function(&s, "Fn");
        let api = HttpApi::new(&s, "Api", HttpApiProps::new()).unwrap();
        api.add_lambda_route(
            "Bad",
            RouteKey::new(HttpMethod::Post, "chat/completions"),
            &f,
        )
        .unwrap();
        let d = one_error(&failed(&app), codes::ROUTE_KEY, "S/Api/Bad", "RouteKey");
        assert_eq!(
            d.message,
            "the path \"chat/completions\" does not start with `/`"
        );
    }

    #[test]
    fn duplicate_route_keys_are_fw2602_naming_the_first_route() {
        let (app, s) = stack();
        let f = function(&s, "Fn");
        let api = HttpApi::new(&s, "Api", HttpApiProps::new()).unwrap();
        let key = RouteKey::new(HttpMethod::Post, "/chat/completions");
        api.add_lambda_route("First", key.clone(), &f).unwrap();
        api.add_lambda_route("Second", key, &f).unwrap();
        api.add_lambda_route("Get", RouteKey::new(HttpMethod::Get, "/items/{id}"), &f)
            .unwrap();
        api.add_lambda_route(
            "GetByName",
            RouteKey::new(HttpMethod::Get, "/items/{name}"),
            &f,
        )
        .unwrap();
        // Another method on the same path is another route.
        api.add_lambda_route("Put", RouteKey::new(HttpMethod::Put, "/items/{id}"), &f)
            .unwrap();
        let ds = failed(&app);
        assert_eq!(ds.with_code(codes::DUPLICATE_ROUTE).count(), 2, "{ds}");
        let first: Vec<_> = ds
            .with_code(codes::DUPLICATE_ROUTE)
            .filter(|d| d.path == "S/Api/Second")
            .collect();
        assert_eq!(
            first[0].message,
            "route POST /chat/completions is already routed by S/Api/First"
        );
        assert_eq!(first[0].property.as_deref(), Some("RouteKey"));
        let named: Vec<_> = ds
            .with_code(codes::DUPLICATE_ROUTE)
            .filter(|d| d.path == "S/Api/GetByName")
            .collect();
        assert_eq!(
            named[0].message,
            "route GET /items/{name} is already routed by S/Api/Get as GET /items/{id} (parameter names do not tell routes apart)"
        );
    }

    #[test]
    fn integration_timeouts_outside_50_ms_to_30_s_are_fw2603() {
        for (t, ms) in [
            (Duration::from_millis(31_000), 31_000),
            (Duration::from_millis(10), 10),
        ] {
            let (app, s) = stack();
            let f = function(&s, "Fn");
            let api = HttpApi::new(&s, "Api", HttpApiProps::new()).unwrap();
            api.add_lambda_route_with(
                "Chat",
                RouteKey::new(HttpMethod::Post, "/chat"),
                &f,
                LambdaIntegrationProps::new().timeout(t),
            )
            .unwrap();
            let d = one_error(
                &failed(&app),
                codes::INTEGRATION_TIMEOUT,
                "S/Api/Chat",
                "TimeoutInMillis",
            );
            assert!(
                d.message.starts_with(&format!(
                    "integration timeout {ms} ms is out of range; HTTP APIs allow 50 to 30000 ms"
                )),
                "{d}"
            );
            assert!(d.fix.as_deref().is_some_and(|f| f.contains("function URL")));
        }
    }

    #[test]
    fn payload_formats_spell_as_api_gateway_does() {
        assert_eq!(PayloadFormat::default().as_str(), "2.0");
        assert_eq!(PayloadFormat::V1_0.as_str(), "1.0");
    }
}
