//! API Gateway v2: HTTP APIs with typed routes to Lambda functions, stages
//! with throttling and access logs, and CORS, checked the way API Gateway
//! checks them.
//!
//! A Lambda route is three resources and a permission, made together: the
//! proxy integration (payload format 2.0), the route, and the
//! `AWS::Lambda::Permission` that lets `apigateway.amazonaws.com` invoke
//! the function for that route of that API only.
//!
//! ```
//! use formwork::{App, Output};
//! use formwork::apigatewayv2::{HttpApi, HttpApiProps, HttpMethod, RouteKey, StageProps};
//! use formwork::lambda::{Code, Function, FunctionProps, Runtime};
//! let app = App::new();
//! let stack = app.stack("ChatProxy")?;
//! let chat = Function::new(
//!     &stack,
//!     "Chat",
//!     FunctionProps::new(Code::inline("exports.handler = async () => ({ statusCode: 200, body: '{}' });"))
//!         .runtime(Runtime::Nodejs24X)
//!         .handler("index.handler"),
//! )?;
//! let api = HttpApi::new(&stack, "ChatApi", HttpApiProps::new().stage("ProdStage", StageProps::new("prod")))?;
//! api.add_lambda_route("ChatCompletions", RouteKey::new(HttpMethod::Post, "/chat/completions"), &chat)?;
//! let prod = api.stages()[0].clone();
//! stack.add_output("ChatApiEndpoint", Output::new(api.stage_url(&prod)))?;
//! # Ok::<(), formwork::Error>(())
//! ```

mod http_api;
mod route;
mod stage;
#[cfg(test)]
mod testutil;

pub use http_api::{CorsPreflight, HttpApi, HttpApiProps};
pub use route::{HttpMethod, HttpRoute, LambdaIntegrationProps, PayloadFormat, RouteKey};
pub use stage::{AccessLogFormat, HttpStage, StageProps, Throttle};

/// The diagnostic codes of the API Gateway v2 constructs (`FW26xx`).
pub mod codes {
    /// A route path API Gateway refuses: not starting with `/`, an empty
    /// segment, a malformed `{param}`, a greedy `{proxy+}` that is not the
    /// last segment, a parameter named twice, or a character outside the
    /// allowed set.
    pub const ROUTE_KEY: &str = "FW2601";
    /// Two routes of one API with the same key (path parameters compared by
    /// position, so `GET /items/{id}` and `GET /items/{name}` collide).
    pub const DUPLICATE_ROUTE: &str = "FW2602";
    /// An integration timeout outside 50 ms to 30 s, the range HTTP APIs
    /// allow.
    pub const INTEGRATION_TIMEOUT: &str = "FW2603";
    /// A stage name API Gateway refuses (`$default`, or 1 to 128 of
    /// `A-Z a-z 0-9 - _`).
    pub const STAGE_NAME: &str = "FW2604";
    /// Two stages of one API with the same name.
    pub const DUPLICATE_STAGE: &str = "FW2605";
    /// A CORS configuration API Gateway refuses: credentials allowed for
    /// the wildcard origin, a max age above 86400 s, an empty origin.
    pub const CORS: &str = "FW2606";
    /// Warning: a CORS configuration with origins but no `AllowMethods`:
    /// browsers fail the preflight of every request that needs one.
    pub const CORS_NO_METHODS: &str = "FW2610";
    /// A throttling rate limit that is negative or not a finite number.
    pub const THROTTLING: &str = "FW2607";
    /// An access log format that is empty, spans several lines, or has
    /// neither `$context.requestId` nor `$context.extendedRequestId`.
    pub const ACCESS_LOG_FORMAT: &str = "FW2608";
    /// An API name longer than 128 characters, or empty.
    pub const API_NAME: &str = "FW2609";
}
