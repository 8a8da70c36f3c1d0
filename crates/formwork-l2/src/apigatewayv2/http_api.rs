//! HttpApi: an API Gateway v2 HTTP API with its stages and routes.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Result, Scope};
use formwork_l1::apigatewayv2::{CfnApi, CfnApiRef, api};

use super::codes;
use super::route::{HttpMethod, RouteKey};
use super::stage::{HttpStage, StageProps};

/// The CORS answer of an HTTP API: API Gateway answers preflight
/// `OPTIONS` requests itself and adds the headers to responses.
///
/// Checked like API Gateway: credentials cannot be allowed for the
/// wildcard origin `*`, the max age is at most 86400 s, and at least one
/// origin is needed (error `FW2606`).
///
/// ```
/// use formwork::apigatewayv2::{CorsPreflight, HttpMethod};
/// let cors = CorsPreflight::new()
///     .allow_origins(["https://yourdomain.com"])
///     .allow_methods([HttpMethod::Get, HttpMethod::Post])
///     .allow_headers(["content-type", "authorization"])
///     .expose_headers(["x-request-id"])
///     .max_age_secs(3000)
///     .allow_credentials(true);
/// # let _ = cors;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CorsPreflight {
    allow_origins: Vec<String>,
    allow_methods: Vec<HttpMethod>,
    allow_headers: Vec<String>,
    expose_headers: Vec<String>,
    max_age_secs: Option<u32>,
    allow_credentials: bool,
}

impl CorsPreflight {
    /// Nothing allowed yet.
    pub fn new() -> Self {
        CorsPreflight::default()
    }

    /// Origins allowed to call (`https://app.example.com`, or `*`).
    pub fn allow_origins<S: Into<String>>(mut self, origins: impl IntoIterator<Item = S>) -> Self {
        self.allow_origins
            .extend(origins.into_iter().map(Into::into));
        self
    }

    /// Methods allowed ([`HttpMethod::Any`] is `*`).
    pub fn allow_methods(mut self, methods: impl IntoIterator<Item = HttpMethod>) -> Self {
        self.allow_methods.extend(methods);
        self
    }

    /// Request headers allowed (`*` for any).
    pub fn allow_headers<S: Into<String>>(mut self, headers: impl IntoIterator<Item = S>) -> Self {
        self.allow_headers
            .extend(headers.into_iter().map(Into::into));
        self
    }

    /// Response headers browsers may read.
    pub fn expose_headers<S: Into<String>>(mut self, headers: impl IntoIterator<Item = S>) -> Self {
        self.expose_headers
            .extend(headers.into_iter().map(Into::into));
        self
    }

    /// How long browsers may cache the preflight answer: 0 to 86400 s.
    pub fn max_age_secs(mut self, seconds: u32) -> Self {
        self.max_age_secs = Some(seconds);
        self
    }

    /// Whether requests may carry credentials (cookies, authorization).
    pub fn allow_credentials(mut self, allow: bool) -> Self {
        self.allow_credentials = allow;
        self
    }

    /// Reports what API Gateway would refuse.
    fn check(&self, node: &Scope) {
        let err = |prop: &str, msg: String, fix: &str| {
            node.report(
                Diagnostic::error(codes::CORS, node.path(), msg)
                    .property(format!("CorsConfiguration.{prop}"))
                    .fix(fix),
            );
        };
        if self.allow_origins.is_empty() {
            err(
                "AllowOrigins",
                "the CORS configuration allows no origin, so no browser may call the API"
                    .to_owned(),
                "add the origins of the web apps that call the API",
            );
        }
        if self.allow_origins.iter().any(|o| o.trim().is_empty()) {
            err(
                "AllowOrigins",
                "an allowed origin is empty".to_owned(),
                "write origins as scheme://host[:port]",
            );
        }
        if self.allow_credentials && self.allow_origins.iter().any(|o| o == "*") {
            err(
                "AllowCredentials",
                "credentials cannot be allowed for the wildcard origin `*`; API Gateway refuses the configuration".to_owned(),
                "list the origins explicitly, or do not allow credentials",
            );
        }
        if self.allow_methods.is_empty() && !self.allow_origins.is_empty() {
            node.report(
                Diagnostic::warning(
                    codes::CORS_NO_METHODS,
                    node.path(),
                    "the CORS configuration allows no method: browsers send a preflight (OPTIONS) before every cross-origin request that is not a simple GET, HEAD or form POST (a JSON POST, PUT, DELETE, or any request with an Authorization header), get no Access-Control-Allow-Methods back, and block the request",
                )
                .property("CorsConfiguration.AllowMethods")
                .fix("list the methods the web app uses: CorsPreflight::new().allow_methods([HttpMethod::Get, HttpMethod::Post])"),
            );
        }
        if let Some(age) = self.max_age_secs.filter(|a| *a > 86_400) {
            err(
                "MaxAge",
                format!("max age {age} s is out of range; allowed: 0 to 86400 s"),
                "use at most 86400 (one day)",
            );
        }
    }

    fn l1(&self) -> api::Cors {
        let mut c = api::Cors::new();
        if !self.allow_origins.is_empty() {
            c = c.allow_origins(self.allow_origins.clone());
        }
        if !self.allow_methods.is_empty() {
            c = c.allow_methods(self.allow_methods.iter().map(|m| m.cors_name()));
        }
        if !self.allow_headers.is_empty() {
            c = c.allow_headers(self.allow_headers.clone());
        }
        if !self.expose_headers.is_empty() {
            c = c.expose_headers(self.expose_headers.clone());
        }
        if let Some(a) = self.max_age_secs {
            c = c.max_age(a);
        }
        if self.allow_credentials {
            c = c.allow_credentials(true);
        }
        c
    }
}

/// What an [`HttpApi`] is made with.
///
/// Defaults: named after its construct path (`<stack>-<id>`), no CORS, the
/// `execute-api` endpoint on, and one stage, `$default` with auto-deploy,
/// unless stages are given with [`HttpApiProps::stage`] or
/// [`HttpApiProps::create_default_stage`] is false.
///
/// ```
/// use formwork::apigatewayv2::{CorsPreflight, HttpApiProps, HttpMethod, StageProps};
/// let props = HttpApiProps::new()
///     .name("sfai-prod-chat")
///     .description("OpenAI-compatible chat completions")
///     .cors(CorsPreflight::new().allow_origins(["https://yourdomain.com"]).allow_methods([HttpMethod::Post]))
///     .stage("ProdStage", StageProps::new("prod"));
/// # let _ = props;
/// ```
#[derive(Clone, Debug, Default)]
pub struct HttpApiProps {
    name: Option<Str>,
    description: Option<Str>,
    cors: Option<CorsPreflight>,
    disable_execute_api_endpoint: bool,
    stages: Vec<(String, StageProps)>,
    no_default_stage: bool,
}

impl HttpApiProps {
    /// The defaults above.
    pub fn new() -> Self {
        HttpApiProps::default()
    }

    /// The API's name: 1 to 128 characters (error `FW2609` otherwise).
    pub fn name(mut self, name: impl Into<Str>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Its description.
    pub fn description(mut self, description: impl Into<Str>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Answers CORS preflight requests.
    pub fn cors(mut self, cors: CorsPreflight) -> Self {
        self.cors = Some(cors);
        self
    }

    /// Turns off the default `https://<id>.execute-api.<region>.amazonaws.com`
    /// endpoint, for an API reached only through a custom domain.
    pub fn disable_execute_api_endpoint(mut self, disable: bool) -> Self {
        self.disable_execute_api_endpoint = disable;
        self
    }

    /// A stage at `<api>/<id>`, made with the API. When any is given, no
    /// `$default` stage is made.
    pub fn stage(mut self, id: impl Into<String>, props: StageProps) -> Self {
        self.stages.push((id.into(), props));
        self
    }

    /// Whether the API gets the `$default` stage when no stage is given
    /// here (default true). With false, add stages with
    /// [`HttpApi::add_stage`], which returns each one.
    pub fn create_default_stage(mut self, create: bool) -> Self {
        self.no_default_stage = !create;
        self
    }
}

#[derive(Debug, Default)]
struct ApiState {
    /// Route shapes (parameter names erased) and the path of the route
    /// that took each.
    routes: Vec<(String, RouteKey, String)>,
    stages: Vec<HttpStage>,
}

/// An HTTP API (`AWS::ApiGatewayV2::Api`, protocol `HTTP`).
///
/// Routes to Lambda functions come with their integration and the
/// function's invoke permission ([`HttpApi::add_lambda_route`]); stages
/// carry throttling and access logs ([`HttpApi::add_stage`]). Without
/// stages in its props, the API gets the `$default` stage with auto-deploy
/// (`<api>/DefaultStage`).
///
/// Reference B, the chat proxy: stage `prod`, `POST /chat/completions` to
/// the function.
///
/// ```
/// use formwork::{App, Output};
/// use formwork::apigatewayv2::{HttpApi, HttpApiProps, HttpMethod, RouteKey, StageProps};
/// use formwork::lambda::{Code, Function, FunctionProps, Runtime};
/// let app = App::new();
/// let stack = app.stack("ChatProxy")?;
/// let chat = Function::new(&stack, "ChatCompletionsFunction", FunctionProps::new(Code::inline("exports.handler = async () => ({ statusCode: 200 });")).runtime(Runtime::Nodejs24X).handler("index.handler"))?;
/// let api = HttpApi::new(&stack, "ChatApi", HttpApiProps::new().stage("ProdStage", StageProps::new("prod")))?;
/// api.add_lambda_route("ChatCompletionsRoute", RouteKey::new(HttpMethod::Post, "/chat/completions"), &chat)?;
/// let prod = api.stage("prod").ok_or("no prod stage")?;
/// stack.add_output("ChatApiEndpoint", Output::new(api.stage_url(&prod)))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct HttpApi {
    cfn: CfnApiRef,
    scope: Scope,
    state: Rc<RefCell<ApiState>>,
}

impl HttpApi {
    /// Adds an HTTP API at `scope/id`, with its stages.
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: HttpApiProps) -> Result<HttpApi> {
        let node = scope.child(id)?;
        let name = props.name.unwrap_or_else(|| {
            let path: String = node.path().replace('/', "-");
            Str::from(path.chars().take(128).collect::<String>())
        });
        if let Some(n) = name.clone().into_value().as_str() {
            let len = n.chars().count();
            if !(1..=128).contains(&len) {
                node.report(
                    Diagnostic::error(
                        codes::API_NAME,
                        node.path(),
                        format!("API name {n:?} has {len} characters; allowed: 1 to 128"),
                    )
                    .property("Name"),
                );
            }
        }
        let mut cfn = CfnApi::new().name(name).protocol_type("HTTP");
        if let Some(d) = props.description {
            cfn = cfn.description(d);
        }
        if let Some(c) = &props.cors {
            c.check(&node);
            cfn = cfn.cors_configuration(c.l1());
        }
        if props.disable_execute_api_endpoint {
            cfn = cfn.disable_execute_api_endpoint(true);
        }
        let api = HttpApi {
            cfn: node.add_here(cfn)?,
            scope: node,
            state: Rc::new(RefCell::new(ApiState::default())),
        };
        if props.stages.is_empty() && !props.no_default_stage {
            api.add_stage("DefaultStage", StageProps::default_stage())?;
        }
        for (id, stage) in props.stages {
            api.add_stage(&id, stage)?;
        }
        Ok(api)
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnApiRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// `Ref`: the API id.
    pub fn api_id(&self) -> Expr {
        self.cfn.ref_()
    }

    /// `Fn::GetAtt ApiEndpoint`:
    /// `https://<api id>.execute-api.<region>.amazonaws.com`.
    pub fn api_endpoint(&self) -> Expr {
        self.cfn.api_endpoint()
    }

    /// The base URL of a stage: the endpoint and `/<stage name>` (`/` for
    /// `$default`).
    pub fn stage_url(&self, stage: &HttpStage) -> Expr {
        stage.url()
    }

    /// The stages, in the order they were added.
    pub fn stages(&self) -> Vec<HttpStage> {
        self.state.borrow().stages.clone()
    }

    /// The stage with a name.
    pub fn stage(&self, name: &str) -> Option<HttpStage> {
        self.state
            .borrow()
            .stages
            .iter()
            .find(|s| s.name() == name)
            .cloned()
    }

    /// The route keys, in the order they were added.
    pub fn routes(&self) -> Vec<RouteKey> {
        self.state
            .borrow()
            .routes
            .iter()
            .map(|(_, k, _)| k.clone())
            .collect()
    }

    pub(super) fn push_stage(&self, stage: HttpStage) {
        self.state.borrow_mut().stages.push(stage);
    }

    /// Reports a malformed or duplicate route key on the route's node, and
    /// records the key.
    pub(super) fn check_route(&self, node: &Scope, key: &RouteKey) {
        if let Some(problem) = key.problem() {
            node.report(
                Diagnostic::error(codes::ROUTE_KEY, node.path(), problem).property("RouteKey"),
            );
        }
        let shape = key.shape();
        let mut st = self.state.borrow_mut();
        if let Some((_, other, path)) = st.routes.iter().find(|(s, _, _)| *s == shape) {
            let same = if *other == *key {
                String::new()
            } else {
                format!(" as {other} (parameter names do not tell routes apart)")
            };
            node.report(
                Diagnostic::error(
                    codes::DUPLICATE_ROUTE,
                    node.path(),
                    format!("route {key} is already routed by {path}{same}"),
                )
                .property("RouteKey"),
            );
        }
        st.routes.push((shape, key.clone(), node.path()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apigatewayv2::testutil::{failed, one_error, stack};
    use formwork_core::Output;
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    #[test]
    fn defaults_are_an_http_api_named_after_its_path_and_the_default_stage() {
        let (app, s) = stack();
        let api = HttpApi::new(&s, "Api", HttpApiProps::new()).unwrap();
        assert_eq!(api.cfn().logical_id(), "Api");
        let stages = api.stages();
        assert_eq!(stages.len(), 1);
        assert_eq!(stages[0].name(), "$default");
        assert_eq!(stages[0].cfn().logical_id(), "ApiDefaultStage");
        assert!(api.stage("$default").is_some() && api.stage("prod").is_none());
        s.add_output("Id", Output::new(api.api_id())).unwrap();
        s.add_output("Endpoint", Output::new(api.api_endpoint()))
            .unwrap();
        s.add_output("Url", Output::new(api.stage_url(&stages[0])))
            .unwrap();
        let asm = synth_and_lint(&app, "apigw-defaults");
        assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
        let t = template(&asm, "S");
        assert_eq!(
            t["Resources"],
            json!({
                "Api": {
                    "Type": "AWS::ApiGatewayV2::Api",
                    "Properties": {"Name": "S-Api", "ProtocolType": "HTTP"}
                },
                "ApiDefaultStage": {
                    "Type": "AWS::ApiGatewayV2::Stage",
                    "Properties": {"ApiId": {"Ref": "Api"}, "AutoDeploy": true, "StageName": "$default"}
                }
            })
        );
        assert_eq!(
            t["Outputs"],
            json!({
                "Id": {"Value": {"Ref": "Api"}},
                "Endpoint": {"Value": {"Fn::GetAtt": ["Api", "ApiEndpoint"]}},
                "Url": {"Value": {"Fn::Sub": "${Api.ApiEndpoint}/"}}
            })
        );
    }

    #[test]
    fn given_stages_replace_the_default_one_and_cors_is_typed() {
        let (app, s) = stack();
        let api = HttpApi::new(
            &s,
            "Api",
            HttpApiProps::new()
                .name("sfai-prod-chat")
                .description("chat completions")
                .disable_execute_api_endpoint(true)
                .cors(
                    CorsPreflight::new()
                        .allow_origins(["https://yourdomain.com"])
                        .allow_methods([HttpMethod::Get, HttpMethod::Post, HttpMethod::Any])
                        .allow_headers(["content-type"])
                        .expose_headers(["x-request-id"])
                        .max_age_secs(3000)
                        .allow_credentials(true),
                )
                .stage("Prod", StageProps::new("prod"))
                .stage("Beta", StageProps::new("beta").auto_deploy(false)),
        )
        .unwrap();
        let names: Vec<String> = api.stages().iter().map(|s| s.name().to_owned()).collect();
        assert_eq!(names, ["prod", "beta"]);
        let prod = api.stage("prod").unwrap();
        s.add_output("Url", Output::new(api.stage_url(&prod)))
            .unwrap();
        let t = template(&synth_and_lint(&app, "apigw-cors"), "S");
        assert_eq!(
            t["Resources"]["Api"]["Properties"],
            json!({
                "CorsConfiguration": {
                    "AllowCredentials": true,
                    "AllowHeaders": ["content-type"],
                    "AllowMethods": ["GET", "POST", "*"],
                    "AllowOrigins": ["https://yourdomain.com"],
                    "ExposeHeaders": ["x-request-id"],
                    "MaxAge": 3000
                },
                "Description": "chat completions",
                "DisableExecuteApiEndpoint": true,
                "Name": "sfai-prod-chat",
                "ProtocolType": "HTTP"
            })
        );
        assert!(t["Resources"].get("ApiDefaultStage").is_none());
        assert_eq!(
            t["Resources"]["ApiBeta"]["Properties"],
            json!({"ApiId": {"Ref": "Api"}, "AutoDeploy": false, "StageName": "beta"})
        );
        assert_eq!(
            t["Outputs"]["Url"]["Value"],
            json!({"Fn::Sub": "${Api.ApiEndpoint}/prod"})
        );
    }

    #[test]
    fn cors_rules_api_gateway_refuses_are_fw2606() {
        let cases = [
            (
                CorsPreflight::new()
                    .allow_origins(["*"])
                    .allow_credentials(true),
                "CorsConfiguration.AllowCredentials",
                "wildcard origin",
            ),
            (
                CorsPreflight::new()
                    .allow_origins(["https://a.example"])
                    .max_age_secs(86_401),
                "CorsConfiguration.MaxAge",
                "max age 86401 s is out of range; allowed: 0 to 86400 s",
            ),
            (
                CorsPreflight::new().allow_methods([HttpMethod::Get]),
                "CorsConfiguration.AllowOrigins",
                "allows no origin",
            ),
            (
                CorsPreflight::new().allow_origins([" "]),
                "CorsConfiguration.AllowOrigins",
                "an allowed origin is empty",
            ),
        ];
        for (cors, property, says) in cases {
            let (app, s) = stack();
            HttpApi::new(&s, "Api", HttpApiProps::new().cors(cors)).unwrap();
            let d = one_error(&failed(&app), codes::CORS, "S/Api", property);
            assert!(d.message.contains(says), "{d}");
            assert!(d.fix.is_some());
        }
        let (app, s) = stack();
        HttpApi::new(
            &s,
            "Api",
            HttpApiProps::new().cors(
                CorsPreflight::new()
                    .allow_origins(["*"])
                    .max_age_secs(86_400),
            ),
        )
        .unwrap();
        synth_and_lint(&app, "apigw-cors-wildcard");
    }

    #[test]
    fn cors_without_methods_is_a_warning_about_preflight_fw2610() {
        let (app, s) = stack();
        HttpApi::new(
            &s,
            "Api",
            HttpApiProps::new().cors(CorsPreflight::new().allow_origins(["https://a.example"])),
        )
        .unwrap();
        let asm = app.synth().unwrap();
        let w: Vec<_> = asm.warnings.with_code(codes::CORS_NO_METHODS).collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].path, "S/Api");
        assert_eq!(
            w[0].property.as_deref(),
            Some("CorsConfiguration.AllowMethods")
        );
        assert!(w[0].message.contains("preflight"), "{}", w[0].message);
        let (app, s) = stack();
        HttpApi::new(
            &s,
            "Api",
            HttpApiProps::new().cors(
                CorsPreflight::new()
                    .allow_origins(["https://a.example"])
                    .allow_methods([HttpMethod::Get]),
            ),
        )
        .unwrap();
        assert_eq!(
            app.synth()
                .unwrap()
                .warnings
                .with_code(codes::CORS_NO_METHODS)
                .count(),
            0
        );
    }

    #[test]
    fn api_names_are_1_to_128_characters_fw2609() {
        for bad in [String::new(), "a".repeat(129)] {
            let (app, s) = stack();
            HttpApi::new(&s, "Api", HttpApiProps::new().name(bad.as_str())).unwrap();
            let d = one_error(&failed(&app), codes::API_NAME, "S/Api", "Name");
            assert!(
                d.message
                    .contains(&format!("has {} characters; allowed: 1 to 128", bad.len())),
                "{d}"
            );
        }
        let (app, s) = stack();
        let deep = s.child(&"n".repeat(100)).unwrap();
        HttpApi::new(&deep, &"m".repeat(100), HttpApiProps::new()).unwrap();
        let t = template(&synth_and_lint(&app, "apigw-long-path"), "S");
        let id = format!("{}{}", "n".repeat(100), "m".repeat(100));
        assert_eq!(
            t["Resources"][id.as_str()]["Properties"]["Name"]
                .as_str()
                .map(str::len),
            Some(128),
            "a default name from a long path is cut to 128 characters"
        );
    }

    #[test]
    fn without_the_default_stage_stages_come_from_add_stage() {
        let (app, s) = stack();
        let api = HttpApi::new(&s, "Api", HttpApiProps::new().create_default_stage(false)).unwrap();
        assert!(api.stages().is_empty());
        let prod = api.add_stage("ProdStage", StageProps::new("prod")).unwrap();
        assert_eq!(api.stages().len(), 1);
        assert_eq!(prod.name(), "prod");
        let t = template(&synth_and_lint(&app, "apigw-no-default-stage"), "S");
        let types: Vec<&str> = t["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter_map(|r| r["Type"].as_str())
            .collect();
        assert_eq!(
            types,
            ["AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage"]
        );
        assert_eq!(
            t["Resources"]["ApiProdStage"]["Properties"]["StageName"],
            "prod"
        );
    }

    #[test]
    fn duplicate_ids_are_errors() {
        let (_app, s) = stack();
        let api = HttpApi::new(&s, "Api", HttpApiProps::new()).unwrap();
        assert!(HttpApi::new(&s, "Api", HttpApiProps::new()).is_err());
        assert!(api.add_stage("DefaultStage", StageProps::new("x")).is_err());
    }
}
