//! Lambda: functions with their own log group and a least-privilege role,
//! runtimes checked against AWS's lifecycle dates, function URLs,
//! resource-policy permissions and invoke grants.
//!
//! ```
//! use formwork::App;
//! use formwork::lambda::{Code, Function, FunctionProps, Runtime};
//! let app = App::new();
//! let stack = app.stack("Jobs")?;
//! let f = Function::new(
//!     &stack,
//!     "Nightly",
//!     FunctionProps::new(Code::inline("def handler(event, context):\n    return 'done'\n"))
//!         .runtime(Runtime::Python313)
//!         .handler("index.handler"),
//! )?;
//! # let _ = f;
//! # Ok::<(), formwork::Error>(())
//! ```

mod code;
mod event_source;
mod func;
mod function_url;
#[cfg(feature = "cloudwatch")]
mod metrics;
mod runtime;

pub use code::{AssetCode, Code, S3Code};
#[cfg(feature = "sqs")]
pub use event_source::SqsEventSource;
#[cfg(feature = "dynamodb")]
pub use event_source::{DynamoEventSource, StartingPosition};
pub use event_source::{EventSource, event_source_codes};
#[cfg(feature = "s3")]
pub use event_source::{S3Event, S3EventSource};
#[cfg(all(feature = "s3", feature = "events"))]
pub use event_source::{S3EventBridgeSource, S3ObjectEvent};
pub use func::{Architecture, Function, FunctionProps, PermissionProps, Tracing};
pub use function_url::{FunctionUrl, FunctionUrlAuth, FunctionUrlProps, InvokeMode};
pub use runtime::{Runtime, TODAY_KEY};

/// The diagnostic codes of the Lambda constructs (`FW22xx`).
pub mod codes {
    /// Error: the runtime is past the date from which AWS refuses to update
    /// functions on it (names the dates and the successor).
    pub const RUNTIME_BLOCKED: &str = "FW2201";
    /// Warning: the runtime is deprecated, or past the date from which AWS
    /// refuses to create functions on it (names the dates and the successor).
    pub const RUNTIME_DEPRECATED: &str = "FW2202";
    /// Warning: a runtime identifier formwork does not know.
    pub const RUNTIME_UNKNOWN: &str = "FW2203";
    /// Warning: `FORMWORK_TODAY` is set but is not a `YYYY-MM-DD` date.
    pub const TODAY: &str = "FW2204";
    /// Error: zip code without a runtime, or a container image with one.
    pub const RUNTIME_PACKAGE: &str = "FW2205";
    /// Error: zip code without a handler, a container image with one, or
    /// inline code with a handler outside its `index` file.
    pub const HANDLER: &str = "FW2206";
    /// Error: inline code for a runtime other than Node.js or Python, or
    /// empty inline code.
    pub const INLINE_CODE: &str = "FW2207";
    /// Error: image command, entry point or working directory for zip code.
    pub const IMAGE_CONFIG: &str = "FW2208";
    /// Error: layers on a container image function.
    pub const LAYERS: &str = "FW2209";
    /// Error: a function name Lambda refuses.
    pub const FUNCTION_NAME: &str = "FW2210";
    /// Error: memory outside 128 to 10240 MB.
    pub const MEMORY: &str = "FW2211";
    /// Error: timeout outside 1 to 900 seconds.
    pub const TIMEOUT: &str = "FW2212";
    /// Error: ephemeral storage outside 512 to 10240 MB.
    pub const EPHEMERAL_STORAGE: &str = "FW2213";
    /// Error: an environment variable key Lambda refuses (reserved or
    /// malformed), or more than 4 KB of variables.
    pub const ENVIRONMENT: &str = "FW2214";
    /// Error: VPC placement without subnets or without security groups.
    pub const VPC: &str = "FW2215";
    /// Error: a dead-letter target ARN of the wrong service.
    pub const DEAD_LETTER: &str = "FW2216";
    /// Warning: reserved concurrency 0 (the function never runs).
    pub const RESERVED_CONCURRENCY: &str = "FW2217";
    /// Warning: an execution role imported by ARN, which formwork cannot add
    /// the function's permissions to.
    pub const IMPORTED_ROLE: &str = "FW2218";
    /// Warning: a permission for a service principal or `*` without
    /// `SourceArn` or `SourceAccount`.
    pub const PERMISSION_UNSCOPED: &str = "FW2219";
    /// Warning: a function URL's CORS rule with origins but no
    /// `AllowMethods`: browsers fail the preflight of every request that
    /// needs one (any method but GET, HEAD and simple POST).
    pub const CORS_NO_METHODS: &str = "FW2220";
}
