//! Function: a Lambda function with its own log group, a least-privilege
//! execution role, and validation of what CloudFormation would refuse late.

use indexmap::IndexMap;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Fn, Pseudo, RemovalPolicy, Result, Scope, Value};
use formwork_l1::lambda::{CfnFunction, CfnFunctionRef, CfnPermission, CfnPermissionRef, function};

use super::code::{Code, CodeKind};
use super::codes;
use super::runtime::{Runtime, TODAY_KEY, Today, check_runtime, today_of};
use crate::iam::{
    self, GrantSpec, Grantee, Identity, ManagedPolicy, PolicyStatement, Principal, Role, RoleProps,
};
use crate::logs::{LogGroup, LogGroupProps, Retention};
use formwork_core::asset::{AssetKind, AssetSpec, Destination, Platform, assets_bucket_name};

/// The instruction set a function runs on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Architecture {
    /// `x86_64` (the default).
    #[default]
    X86_64,
    /// `arm64` (Graviton).
    Arm64,
}

impl Architecture {
    /// The name Lambda uses (`x86_64`, `arm64`).
    pub fn name(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        }
    }

    /// The platform to build a container image for (`docker build
    /// --platform`): `linux/amd64` or `linux/arm64`.
    pub fn docker_platform(self) -> &'static str {
        match self {
            Architecture::X86_64 => "linux/amd64",
            Architecture::Arm64 => "linux/arm64",
        }
    }

    fn l1(self) -> function::Architectures {
        match self {
            Architecture::X86_64 => function::Architectures::X8664,
            Architecture::Arm64 => function::Architectures::Arm64,
        }
    }
}

/// AWS X-Ray tracing of a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tracing {
    /// Sample and trace incoming requests; the role gets the AWS managed
    /// policy `AWSXRayDaemonWriteAccess` (X-Ray's write actions have no
    /// resource-level permissions, and formwork writes no `Resource: *`).
    Active,
    /// Trace only requests that arrive with a sampled trace header.
    PassThrough,
}

#[derive(Clone, Debug, PartialEq)]
enum DeadLetter {
    Queue(Str),
    Topic(Str),
}

#[derive(Clone, Debug)]
enum ExecutionRole {
    Role(Role),
    Arn(Str),
}

/// What a [`Function`] is made with.
///
/// Defaults: `x86_64`, Lambda's memory (128 MB), timeout (3 s) and
/// ephemeral storage (512 MB), a name CloudFormation generates, a new
/// execution role that `lambda.amazonaws.com` assumes and that may write to
/// the function's log group and nothing else, and a log group whose events
/// never expire and that is retained (see [`Function`]).
///
/// Zip code (inline or S3) needs a runtime and a handler; a container image
/// takes both from the image and must have neither.
///
/// ```
/// use formwork::lambda::{Architecture, Code, FunctionProps, Runtime};
/// use formwork::logs::Retention;
/// let props = FunctionProps::new(Code::inline("exports.handler = async () => ({ statusCode: 200 });"))
///     .runtime(Runtime::Nodejs24X)
///     .handler("index.handler")
///     .architecture(Architecture::Arm64)
///     .memory_mb(256)
///     .timeout_secs(10)
///     .environment("STAGE", "prod")
///     .log_retention(Retention::OneMonth);
/// # let _ = props;
/// ```
#[derive(Clone, Debug)]
pub struct FunctionProps {
    code: Code,
    runtime: Option<Runtime>,
    handler: Option<Str>,
    function_name: Option<Str>,
    description: Option<Str>,
    architecture: Architecture,
    memory_mb: Option<u32>,
    timeout_secs: Option<u32>,
    ephemeral_storage_mb: Option<u32>,
    environment: IndexMap<String, Str>,
    reserved_concurrency: Option<u32>,
    vpc: Option<(Vec<Str>, Vec<Str>)>,
    dead_letter: Option<DeadLetter>,
    layers: Vec<Str>,
    tracing: Option<Tracing>,
    role: Option<ExecutionRole>,
    log_retention: Retention,
    log_removal_policy: RemovalPolicy,
    image_command: Option<Vec<Str>>,
    image_entry_point: Option<Vec<Str>>,
    image_working_directory: Option<Str>,
}

impl FunctionProps {
    /// A function running `code`, with the defaults above.
    pub fn new(code: impl Into<Code>) -> Self {
        FunctionProps {
            code: code.into(),
            runtime: None,
            handler: None,
            function_name: None,
            description: None,
            architecture: Architecture::X86_64,
            memory_mb: None,
            timeout_secs: None,
            ephemeral_storage_mb: None,
            environment: IndexMap::new(),
            reserved_concurrency: None,
            vpc: None,
            dead_letter: None,
            layers: Vec::new(),
            tracing: None,
            role: None,
            log_retention: Retention::Infinite,
            log_removal_policy: RemovalPolicy::RetainExceptOnCreate,
            image_command: None,
            image_entry_point: None,
            image_working_directory: None,
        }
    }

    /// The runtime (zip code only).
    pub fn runtime(mut self, runtime: Runtime) -> Self {
        self.runtime = Some(runtime);
        self
    }

    /// The handler, `file.function` (zip code only; `index.<function>`
    /// for inline code).
    pub fn handler(mut self, handler: impl Into<Str>) -> Self {
        self.handler = Some(handler.into());
        self
    }

    /// A fixed function name: 1 to 64 of `a-z A-Z 0-9 - _` (checked when
    /// literal). The log group is then `/aws/lambda/<name>`.
    pub fn function_name(mut self, name: impl Into<Str>) -> Self {
        self.function_name = Some(name.into());
        self
    }

    /// Its description.
    pub fn description(mut self, description: impl Into<Str>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The instruction set (build images for [`Architecture::docker_platform`]).
    pub fn architecture(mut self, architecture: Architecture) -> Self {
        self.architecture = architecture;
        self
    }

    /// Memory in MB: 128 to 10240.
    pub fn memory_mb(mut self, mb: u32) -> Self {
        self.memory_mb = Some(mb);
        self
    }

    /// Timeout in seconds: 1 to 900.
    pub fn timeout_secs(mut self, seconds: u32) -> Self {
        self.timeout_secs = Some(seconds);
        self
    }

    /// Size of `/tmp` in MB: 512 to 10240.
    pub fn ephemeral_storage_mb(mut self, mb: u32) -> Self {
        self.ephemeral_storage_mb = Some(mb);
        self
    }

    /// An environment variable. The value may be a reference (a bucket
    /// name, a secret ARN); never put a secret's value here, pass its ARN.
    /// Keys are letters, digits and `_`, starting with a letter, at least
    /// two characters, and not one of Lambda's reserved keys.
    pub fn environment(mut self, key: impl Into<String>, value: impl Into<Str>) -> Self {
        self.environment.insert(key.into(), value.into());
        self
    }

    /// Reserved concurrency: the most concurrent executions the function
    /// gets (and keeps from the account's pool).
    pub fn reserved_concurrency(mut self, executions: u32) -> Self {
        self.reserved_concurrency = Some(executions);
        self
    }

    /// Runs the function in a VPC: subnet ids and security group ids (both
    /// may be references). The role gets the AWS managed policy
    /// `service-role/AWSLambdaENIManagementAccess` (the network-interface
    /// actions only: the Describe actions it needs have no resource-level
    /// permissions, and formwork writes no `Resource: *`).
    pub fn vpc<S: Into<Str>, G: Into<Str>>(
        mut self,
        subnet_ids: impl IntoIterator<Item = S>,
        security_group_ids: impl IntoIterator<Item = G>,
    ) -> Self {
        self.vpc = Some((
            subnet_ids.into_iter().map(Into::into).collect(),
            security_group_ids.into_iter().map(Into::into).collect(),
        ));
        self
    }

    /// Sends failed asynchronous events to an SQS queue (its ARN); the role
    /// may `sqs:SendMessage` to that queue.
    pub fn dead_letter_queue(mut self, queue_arn: impl Into<Str>) -> Self {
        self.dead_letter = Some(DeadLetter::Queue(queue_arn.into()));
        self
    }

    /// Sends failed asynchronous events to an SNS topic (its ARN); the role
    /// may `sns:Publish` to that topic.
    pub fn dead_letter_topic(mut self, topic_arn: impl Into<Str>) -> Self {
        self.dead_letter = Some(DeadLetter::Topic(topic_arn.into()));
        self
    }

    /// A layer version ARN (zip code only; up to 5).
    pub fn layer(mut self, layer_version_arn: impl Into<Str>) -> Self {
        self.layers.push(layer_version_arn.into());
        self
    }

    /// X-Ray tracing.
    pub fn tracing(mut self, tracing: Tracing) -> Self {
        self.tracing = Some(tracing);
        self
    }

    /// Runs as an existing role instead of a new one. The log, VPC,
    /// dead-letter and tracing permissions are added to it.
    pub fn role(mut self, role: &Role) -> Self {
        self.role = Some(ExecutionRole::Role(role.clone()));
        self
    }

    /// Runs as a role imported by ARN. formwork cannot add statements to
    /// it: warning `FW2218` lists what it needs.
    pub fn role_arn(mut self, arn: impl Into<Str>) -> Self {
        self.role = Some(ExecutionRole::Arn(arn.into()));
        self
    }

    /// How long the function's log group keeps events (default: forever).
    pub fn log_retention(mut self, retention: Retention) -> Self {
        self.log_retention = retention;
        self
    }

    /// What happens to the function's log group when it leaves the stack
    /// (default `RetainExceptOnCreate`; see [`LogGroupProps::removal_policy`]).
    pub fn log_removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.log_removal_policy = policy;
        self
    }

    /// Overrides the image's `CMD` (`ImageConfig.Command`; image code only),
    /// e.g. `["main.pipeline_handler"]`.
    pub fn image_command<S: Into<Str>>(mut self, command: impl IntoIterator<Item = S>) -> Self {
        self.image_command = Some(command.into_iter().map(Into::into).collect());
        self
    }

    /// Overrides the image's `ENTRYPOINT` (image code only).
    pub fn image_entry_point<S: Into<Str>>(
        mut self,
        entry_point: impl IntoIterator<Item = S>,
    ) -> Self {
        self.image_entry_point = Some(entry_point.into_iter().map(Into::into).collect());
        self
    }

    /// Overrides the image's `WORKDIR` (image code only).
    pub fn image_working_directory(mut self, dir: impl Into<Str>) -> Self {
        self.image_working_directory = Some(dir.into());
        self
    }
}

/// A Lambda function.
///
/// Besides `AWS::Lambda::Function` (logical id: the construct path) it
/// always makes:
///
/// - a log group `<Fn>LogGroup` that the function logs to
///   (`LoggingConfig.LogGroup`). Its name is `/aws/lambda/<function name>`
///   when the function has a name; without one it is
///   `/aws/lambda/<stack name>-<logical id>` (the function's generated name
///   cannot be used: the log group, the role's policy and the function would
///   reference each other in a cycle). Like every log group it is retained
///   (`DeletionPolicy: RetainExceptOnCreate`, `UpdateReplacePolicy: Retain`):
///   logs outlive the function, and a failed first deploy does not leave a
///   group behind whose name would block the retry. Redeploying a deleted
///   stack with the same names needs the old group deleted first, or
///   [`FunctionProps::log_removal_policy`] `Delete`.
/// - unless given a role, an execution role `<Fn>ServiceRole` assumed by
///   `lambda.amazonaws.com`, whose only permissions are
///   `logs:CreateLogStream` and `logs:PutLogEvents` on that log group (no
///   `AWSLambdaBasicExecutionRole`, no `logs:CreateLogGroup`).
///
/// Problems are reported at synth with their construct path: runtimes AWS
/// has blocked or deprecated (checked against `FORMWORK_TODAY`, a
/// `YYYY-MM-DD` date read from the app's context, or the system clock), memory, timeout and storage
/// out of range, zip/image mismatches, bad names and environment variables.
///
/// Reference B (the chat proxy): Node.js, 512 MB, 900 s, configuration from
/// environment variables, a streaming Function URL, 14-day logs.
///
/// ```
/// use formwork::{App, Parameter};
/// use formwork::lambda::{Code, Function, FunctionProps, FunctionUrlProps, InvokeMode, Runtime};
/// use formwork::logs::Retention;
/// let app = App::new();
/// let stack = app.stack("ChatProxy")?;
/// let config_bucket = stack.add_parameter("ConfigBucketName", Parameter::string())?;
/// let openai_key = stack.add_parameter("OpenAiKeySecretArn", Parameter::string())?;
/// let chat = Function::new(
///     &stack,
///     "ChatCompletionsFunction",
///     // nodejs20.x is blocked for new functions since 2026-06-01: its successor.
///     FunctionProps::new(Code::s3("sfai-prod-artifacts", "chat-proxy.zip"))
///         .runtime(Runtime::Nodejs24X)
///         .handler("index.handler")
///         .function_name("sfai-prod-chat-completions")
///         .memory_mb(512)
///         .timeout_secs(900)
///         .environment("CONFIG_BUCKET", config_bucket.ref_())
///         .environment("OPENAI_API_KEY_SECRET_ARN", openai_key.ref_())
///         .log_retention(Retention::TwoWeeks),
/// )?;
/// let url = chat.add_function_url(FunctionUrlProps::new().invoke_mode(InvokeMode::ResponseStream))?;
/// # let _ = url.url();
/// # Ok::<(), formwork::Error>(())
/// ```
///
/// Reference D (the vision pipeline): two functions from one image, the
/// worker with its command overridden.
///
/// ```
/// use formwork::{App, Parameter};
/// use formwork::lambda::{Code, Function, FunctionProps, FunctionUrlProps};
/// let app = App::new();
/// let stack = app.stack("Vision")?;
/// let image = stack.add_parameter("ImageUri", Parameter::string())?;
/// let api = Function::new(&stack, "Api", FunctionProps::new(Code::image(image.ref_())).function_name("poc-mc-vision-fastapi"))?;
/// api.add_function_url(FunctionUrlProps::new())?;
/// let worker = Function::new(
///     &stack,
///     "Worker",
///     FunctionProps::new(Code::image(image.ref_()))
///         .function_name("poc-mc-vision-pipeline-worker")
///         .image_command(["main.pipeline_handler"]),
/// )?;
/// assert_eq!(worker.architecture().docker_platform(), "linux/amd64");
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Function {
    pub(crate) cfn: CfnFunctionRef,
    pub(crate) scope: Scope,
    role: Option<Role>,
    log_group: LogGroup,
    architecture: Architecture,
    runtime: Option<Runtime>,
    timeout_secs: u32,
}

/// Invoking: the function and its versions and aliases (`<arn>:*`).
const INVOKE: &[GrantSpec] = &[
    GrantSpec {
        actions: &["lambda:InvokeFunction"],
        arn: 0,
    },
    GrantSpec {
        actions: &["lambda:InvokeFunction"],
        arn: 1,
    },
];

/// The keys Lambda sets itself and refuses in a function's configuration.
const RESERVED_ENV: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_DEFAULT_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_LAMBDA_RUNTIME_API",
    "AWS_REGION",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "LAMBDA_RUNTIME_DIR",
    "LAMBDA_TASK_ROOT",
];

/// Lambda's limit on the total size of a function's environment variables.
const ENV_LIMIT_BYTES: usize = 4096;

fn literal(s: &Str) -> Option<String> {
    s.clone().into_value().as_str().map(str::to_owned)
}

fn values(items: &[Str]) -> Vec<Str> {
    items.to_vec()
}

impl Function {
    /// Adds a function at `scope/id` (see the type's documentation).
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: FunctionProps) -> Result<Function> {
        let ctx = scope.context();
        Function::with_today(
            scope,
            id,
            props,
            today_of(ctx.value(TODAY_KEY), ctx.env("FORMWORK_TODAY")),
        )
    }

    /// [`Function::new`] with the date runtimes are checked against, and
    /// the unusable value of `FORMWORK_TODAY` it was read from, if any.
    #[track_caller]
    pub(crate) fn with_today(
        scope: &Scope,
        id: &str,
        props: FunctionProps,
        (today, bad_today): (Today, Option<String>),
    ) -> Result<Function> {
        let f = Function::build(scope, id, props, today)?;
        if let Some(v) = bad_today {
            f.scope.report(
                Diagnostic::warning(
                    codes::TODAY,
                    f.scope.path(),
                    format!("FORMWORK_TODAY={v:?} (or -c {TODAY_KEY}) is not a YYYY-MM-DD date; runtimes were checked against {} ({})", today.source, today.date),
                )
                .property("Runtime"),
            );
        }
        Ok(f)
    }

    /// [`Function::new`] with the date runtimes are checked against.
    #[track_caller]
    pub(crate) fn build(
        scope: &Scope,
        id: &str,
        props: FunctionProps,
        today: impl Into<Today>,
    ) -> Result<Function> {
        let node = scope.child(id)?;
        validate(&node, &props, today.into());

        let log_group = LogGroup::new(
            &node,
            "LogGroup",
            LogGroupProps::new()
                .log_group_name(log_group_name(&node, props.function_name.as_ref()))
                .retention(props.log_retention)
                .removal_policy(props.log_removal_policy),
        )?;

        let (role, role_arn) = match props.role.clone() {
            Some(ExecutionRole::Role(r)) => {
                let arn = r.arn().into();
                (Some(r), arn)
            }
            Some(ExecutionRole::Arn(a)) => (None, a),
            None => {
                let r = Role::new(
                    &node,
                    "ServiceRole",
                    RoleProps::new(Principal::service("lambda.amazonaws.com")),
                )?;
                let arn = r.arn().into();
                (Some(r), arn)
            }
        };
        match &role {
            Some(r) => add_permissions(r, &log_group, &props),
            None => warn_imported_role(&node, &props),
        }

        let mut cfn = CfnFunction::new()
            .role(role_arn)
            .architectures([props.architecture.l1()])
            .logging_config(function::LoggingConfig::new().log_group(log_group.name()));
        cfn = match props.code.0.clone() {
            CodeKind::Inline(source) => cfn.code(function::Code::new().zip_file(source)),
            CodeKind::S3 {
                bucket,
                key,
                version,
            } => {
                let mut c = function::Code::new().s3_bucket(bucket).s3_key(key);
                if let Some(v) = version {
                    c = c.s3_object_version(v);
                }
                cfn.code(c)
            }
            CodeKind::Image(uri) => cfn
                .code(function::Code::new().image_uri(uri))
                .package_type(function::PackageType::Image),
            CodeKind::Asset(a) => {
                let mut spec = AssetSpec::new(AssetKind::Zip, a.path).exclude(a.excludes);
                if let Some(b) = a.build {
                    spec = spec.build(b);
                }
                let hash = node
                    .add_asset(spec, |h| Destination::AssetsBucket {
                        key: format!("{h}.zip"),
                    })
                    .map(|a| a.hash)
                    .unwrap_or_default();
                cfn.code(
                    function::Code::new()
                        .s3_bucket(assets_bucket_name())
                        .s3_key(format!("{hash}.zip")),
                )
            }
            CodeKind::ImageAsset(image) => {
                let platform = match props.architecture {
                    Architecture::X86_64 => Platform::LinuxAmd64,
                    Architecture::Arm64 => Platform::LinuxArm64,
                };
                let uri = image
                    .image_uri(&node, platform, "Code.ImageUri")
                    .unwrap_or_else(|| formwork_core::Fn::sub("unbuilt-image"));
                cfn.code(function::Code::new().image_uri(uri))
                    .package_type(function::PackageType::Image)
            }
        };
        if let Some(r) = &props.runtime {
            cfn = cfn.runtime(r.l1());
        }
        if let Some(h) = props.handler.clone() {
            cfn = cfn.handler(h);
        }
        if let Some(n) = props.function_name.clone() {
            cfn = cfn.function_name(n);
        }
        if let Some(d) = props.description.clone() {
            cfn = cfn.description(d);
        }
        if let Some(m) = props.memory_mb {
            cfn = cfn.memory_size(m);
        }
        if let Some(t) = props.timeout_secs {
            cfn = cfn.timeout(t);
        }
        if let Some(s) = props.ephemeral_storage_mb {
            cfn = cfn.ephemeral_storage(function::EphemeralStorage::new().size(s));
        }
        if !props.environment.is_empty() {
            let vars: Vec<(String, Value)> = props
                .environment
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.clone())))
                .collect();
            cfn = cfn.environment(function::Environment::new().variables(vars));
        }
        if let Some(c) = props.reserved_concurrency {
            cfn = cfn.reserved_concurrent_executions(c);
        }
        if let Some((subnets, groups)) = &props.vpc {
            cfn = cfn.vpc_config(
                function::VpcConfig::new()
                    .subnet_ids(values(subnets))
                    .security_group_ids(values(groups)),
            );
        }
        if let Some(DeadLetter::Queue(arn) | DeadLetter::Topic(arn)) = props.dead_letter.clone() {
            cfn = cfn.dead_letter_config(function::DeadLetterConfig::new().target_arn(arn));
        }
        if !props.layers.is_empty() {
            cfn = cfn.layers(values(&props.layers));
        }
        if let Some(t) = props.tracing {
            cfn = cfn.tracing_config(function::TracingConfig::new().mode(match t {
                Tracing::Active => function::Mode::Active,
                Tracing::PassThrough => function::Mode::PassThrough,
            }));
        }
        if props.image_command.is_some()
            || props.image_entry_point.is_some()
            || props.image_working_directory.is_some()
        {
            let mut ic = function::ImageConfig::new();
            if let Some(c) = &props.image_command {
                ic = ic.command(values(c));
            }
            if let Some(e) = &props.image_entry_point {
                ic = ic.entry_point(values(e));
            }
            if let Some(w) = props.image_working_directory.clone() {
                ic = ic.working_directory(w);
            }
            cfn = cfn.image_config(ic);
        }
        let cfn = node.add_here(cfn)?;
        if props.dead_letter.is_none() {
            cfn.suppress(
                "CKV_AWS_116",
                "a dead-letter queue only catches failed asynchronous invocations; set FunctionProps::dead_letter_queue for a function invoked asynchronously",
            );
        }
        if props.vpc.is_none() {
            cfn.suppress(
                "CKV_AWS_117",
                "the function reaches only public AWS endpoints; VPC placement (FunctionProps::vpc) is for functions that reach private resources",
            );
        }
        if props.reserved_concurrency.is_none() {
            cfn.suppress(
                "CKV_AWS_115",
                "reserved concurrency takes capacity from every other function of the account; set it per workload (FunctionProps::reserved_concurrency)",
            );
        }
        cfn.suppress(
            "CKV_AWS_173",
            "environment variables are encrypted at rest with the Lambda service key and hold no secrets (formwork refuses literal secrets there, FW5001)",
        );
        Ok(Function {
            cfn,
            scope: node,
            role,
            log_group,
            architecture: props.architecture,
            timeout_secs: props.timeout_secs.unwrap_or(3),
            runtime: props.runtime,
        })
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnFunctionRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// `Fn::GetAtt Arn`.
    pub fn arn(&self) -> Expr {
        self.cfn.arn()
    }

    /// `Ref`: the function name.
    pub fn function_name(&self) -> Expr {
        self.cfn.ref_()
    }

    /// The execution role; `None` for a role imported by ARN.
    pub fn role(&self) -> Option<&Role> {
        self.role.as_ref()
    }

    /// The function's log group.
    pub fn log_group(&self) -> &LogGroup {
        &self.log_group
    }

    /// The instruction set (build images for its
    /// [`docker_platform`](Architecture::docker_platform)).
    pub fn architecture(&self) -> Architecture {
        self.architecture
    }

    /// The timeout in seconds (Lambda's default, 3, unless set).
    pub fn timeout_secs(&self) -> u32 {
        self.timeout_secs
    }

    /// The runtime; `None` for container images.
    pub fn runtime(&self) -> Option<&Runtime> {
        self.runtime.as_ref()
    }

    /// Lets the grantee invoke the function: `lambda:InvokeFunction` on the
    /// function and on its versions and aliases (`<arn>:*`). A grantee
    /// without a role formwork manages gets warning `FW2001`
    /// ([`iam::codes::GRANT_NO_ROLE`]).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// use formwork::lambda::{Code, Function, FunctionProps, Runtime};
    /// let app = App::new();
    /// let stack = app.stack("Pipeline")?;
    /// let worker = Function::new(&stack, "Worker", FunctionProps::new(Code::inline("def handler(e, c):\n    return e\n")).runtime(Runtime::Python313).handler("index.handler"))?;
    /// let machine = Role::new(&stack, "MachineRole", RoleProps::new(Principal::service("states.amazonaws.com")))?;
    /// worker.grant_invoke(&machine)?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant_invoke(&self, grantee: &dyn Grantee) -> Result<()> {
        let arns = [
            self.arn().into(),
            Fn::concat([Value::from(self.arn()), Value::from(":*")]).into(),
        ];
        iam::grant_or_report(&self.scope, grantee, INVOKE, &arns);
        Ok(())
    }

    /// Adds a statement to the function's resource policy
    /// (`AWS::Lambda::Permission` at `<function>/<id>`): lets a service, an
    /// account or `*` invoke it. A service principal or `*` without
    /// `source_arn` or `source_account` is warning `FW2219` (any account's
    /// resources of that service could invoke the function).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::lambda::{Code, Function, FunctionProps, PermissionProps, Runtime};
    /// let app = App::new();
    /// let stack = app.stack("Api")?;
    /// let f = Function::new(&stack, "Handler", FunctionProps::new(Code::inline("exports.handler = async () => ({});")).runtime(Runtime::Nodejs24X).handler("index.handler"))?;
    /// f.add_permission(
    ///     "ApiInvoke",
    ///     PermissionProps::new("apigateway.amazonaws.com")
    ///         .source_arn("arn:aws:execute-api:ap-northeast-1:123456789012:a1b2c3d4e5/*/*/chat/completions"),
    /// )?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_permission(&self, id: &str, props: PermissionProps) -> Result<CfnPermissionRef> {
        let principal = literal(&props.principal);
        let unscoped = props.source_arn.is_none() && props.source_account.is_none();
        let broad = principal.as_deref().is_some_and(|p| {
            p == "*" || p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn")
        });
        let mut cfn = CfnPermission::new()
            .action(props.action)
            .function_name(self.arn())
            .principal(props.principal);
        if let Some(a) = props.source_arn {
            cfn = cfn.source_arn(a);
        }
        if let Some(a) = props.source_account {
            cfn = cfn.source_account(a);
        }
        let r = self.scope.add(id, cfn)?;
        if broad && unscoped {
            self.scope.report(
                Diagnostic::warning(
                    codes::PERMISSION_UNSCOPED,
                    r.path(),
                    format!(
                        "principal {:?} may invoke the function with neither SourceArn nor SourceAccount: resources of any account could invoke it",
                        principal.unwrap_or_default()
                    ),
                )
                .property("SourceArn")
                .fix("set PermissionProps::source_arn (or source_account)"),
            );
        }
        Ok(r)
    }
}

impl Grantee for Function {
    fn grant_identity(&self) -> Option<Identity> {
        self.role.clone().map(Identity::Role)
    }
}

/// What [`Function::add_permission`] adds.
///
/// ```
/// use formwork::lambda::PermissionProps;
/// let p = PermissionProps::new("s3.amazonaws.com")
///     .source_arn("arn:aws:s3:::uploads-bucket")
///     .source_account("123456789012");
/// # let _ = p;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PermissionProps {
    principal: Str,
    action: Str,
    source_arn: Option<Str>,
    source_account: Option<Str>,
}

impl PermissionProps {
    /// Lets `principal` (a service such as `apigateway.amazonaws.com`, an
    /// account id, an ARN, or `*`) call `lambda:InvokeFunction`.
    pub fn new(principal: impl Into<Str>) -> Self {
        PermissionProps {
            principal: principal.into(),
            action: Str::from("lambda:InvokeFunction"),
            source_arn: None,
            source_account: None,
        }
    }

    /// Another action (`lambda:InvokeFunctionUrl`, `lambda:GetFunction`).
    pub fn action(mut self, action: impl Into<Str>) -> Self {
        self.action = action.into();
        self
    }

    /// Only on behalf of this resource (the API, bucket, topic, rule).
    pub fn source_arn(mut self, arn: impl Into<Str>) -> Self {
        self.source_arn = Some(arn.into());
        self
    }

    /// Only on behalf of resources of this account.
    pub fn source_account(mut self, account: impl Into<Str>) -> Self {
        self.source_account = Some(account.into());
        self
    }
}

/// `/aws/lambda/<name>` for a named function; `/aws/lambda/<stack>-<logical
/// id>` otherwise (the generated name would make a reference cycle).
fn log_group_name(node: &Scope, function_name: Option<&Str>) -> Str {
    match function_name {
        Some(n) => match literal(n) {
            Some(s) if valid_function_name(&s) => Str::from(format!("/aws/lambda/{s}")),
            Some(_) => stack_based_log_group_name(node),
            None => Fn::concat([Value::from("/aws/lambda/"), Value::from(n.clone())]).into(),
        },
        None => stack_based_log_group_name(node),
    }
}

fn stack_based_log_group_name(node: &Scope) -> Str {
    Fn::concat([
        Value::from("/aws/lambda/"),
        Pseudo::StackName.into(),
        Value::from(format!("-{}", node.logical_id())),
    ])
    .into()
}

fn valid_function_name(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The role's statements: write to the log group, and what the VPC,
/// dead-letter target and tracing need.
fn add_permissions(role: &Role, log_group: &LogGroup, props: &FunctionProps) {
    // The role is the function's own or one the user handed in: a grantee
    // with a role always takes the grant.
    let _ = log_group.grant_write(role);
    match &props.dead_letter {
        Some(DeadLetter::Queue(arn)) => {
            role.add_to_policy(
                PolicyStatement::allow()
                    .actions(["sqs:SendMessage"])
                    .resource(arn.clone()),
            );
        }
        Some(DeadLetter::Topic(arn)) => {
            role.add_to_policy(
                PolicyStatement::allow()
                    .actions(["sns:Publish"])
                    .resource(arn.clone()),
            );
        }
        None => {}
    }
    if props.vpc.is_some() {
        role.add_managed_policy(ManagedPolicy::aws(
            "service-role/AWSLambdaENIManagementAccess",
        ));
    }
    if props.tracing == Some(Tracing::Active) {
        role.add_managed_policy(ManagedPolicy::aws("AWSXRayDaemonWriteAccess"));
    }
}

fn warn_imported_role(node: &Scope, props: &FunctionProps) {
    let mut needs =
        vec!["logs:CreateLogStream and logs:PutLogEvents on the function's log group".to_owned()];
    match &props.dead_letter {
        Some(DeadLetter::Queue(_)) => {
            needs.push("sqs:SendMessage on the dead-letter queue".to_owned())
        }
        Some(DeadLetter::Topic(_)) => needs.push("sns:Publish on the dead-letter topic".to_owned()),
        None => {}
    }
    if props.vpc.is_some() {
        needs.push("the network-interface actions of AWSLambdaENIManagementAccess".to_owned());
    }
    if props.tracing == Some(Tracing::Active) {
        needs.push("xray:PutTraceSegments and xray:PutTelemetryRecords".to_owned());
    }
    node.report(Diagnostic::warning(
        codes::IMPORTED_ROLE,
        node.path(),
        format!("the execution role is imported by ARN, so formwork cannot add to it; make sure it has {}", needs.join("; ")),
    ).property("Role"));
}

/// Every check of the function's properties.
fn validate(node: &Scope, p: &FunctionProps, today: Today) {
    let err = |code: &'static str, prop: &str, msg: String, fix: Option<&str>| {
        let mut d = Diagnostic::error(code, node.path(), msg).property(prop);
        if let Some(f) = fix {
            d = d.fix(f);
        }
        node.report(d);
    };

    // Package type: what zip code needs and images must not have.
    if p.code.is_image() {
        if let Some(r) = &p.runtime {
            err(
                codes::RUNTIME_PACKAGE,
                "Runtime",
                format!(
                    "a container image function takes its runtime from the image; found runtime {r}"
                ),
                Some("remove the runtime"),
            );
        }
        if p.handler.is_some() {
            err(codes::HANDLER, "Handler", "a container image function takes its handler from the image's CMD; found a handler".to_owned(), Some("remove the handler, or override the CMD with FunctionProps::image_command"));
        }
        if !p.layers.is_empty() {
            err(
                codes::LAYERS,
                "Layers",
                format!(
                    "a container image function cannot use layers; found {}",
                    p.layers.len()
                ),
                Some("put the layer's content into the image"),
            );
        }
    } else {
        match &p.runtime {
            None => err(
                codes::RUNTIME_PACKAGE,
                "Runtime",
                "zip code needs a runtime; none is set".to_owned(),
                Some("set FunctionProps::runtime"),
            ),
            Some(r) => {
                if matches!(p.code.0, CodeKind::Inline(_)) && !r.supports_inline_code() {
                    err(
                        codes::INLINE_CODE,
                        "Code.ZipFile",
                        format!("inline code is for Node.js and Python runtimes only; found {r}"),
                        Some("use Code::s3 or Code::image"),
                    );
                }
            }
        }
        match &p.handler {
            None => err(
                codes::HANDLER,
                "Handler",
                "zip code needs a handler (`file.function`); none is set".to_owned(),
                Some("set FunctionProps::handler"),
            ),
            Some(h) => {
                if let (CodeKind::Inline(_), Some(h)) = (&p.code.0, literal(h)) {
                    if !h.starts_with("index.") {
                        err(
                            codes::HANDLER,
                            "Handler",
                            format!(
                                "inline code is written to a file named `index`, so the handler must be `index.<function>`; found {h:?}"
                            ),
                            Some("use a handler such as \"index.handler\""),
                        );
                    }
                }
            }
        }
        if p.image_command.is_some()
            || p.image_entry_point.is_some()
            || p.image_working_directory.is_some()
        {
            err(codes::IMAGE_CONFIG, "ImageConfig", "command, entry point and working directory overrides are for container images; this function has zip code".to_owned(), None);
        }
    }
    if let CodeKind::Inline(src) = &p.code.0 {
        if src.trim().is_empty() {
            err(
                codes::INLINE_CODE,
                "Code.ZipFile",
                "the inline source is empty".to_owned(),
                None,
            );
        }
    }
    if let Some(r) = &p.runtime {
        check_runtime(node, r, today);
    }

    // Names and sizes.
    if let Some(n) = p.function_name.as_ref().and_then(literal) {
        if !valid_function_name(&n) {
            err(
                codes::FUNCTION_NAME,
                "FunctionName",
                format!(
                    "function name {n:?} ({} characters) is not valid; allowed: 1 to 64 of a-z A-Z 0-9 - _",
                    n.chars().count()
                ),
                None,
            );
        }
    }
    let range = |code: &'static str,
                 prop: &str,
                 what: &str,
                 v: Option<u32>,
                 lo: u32,
                 hi: u32,
                 unit: &str| {
        if let Some(v) = v.filter(|v| !(lo..=hi).contains(v)) {
            err(
                code,
                prop,
                format!("{what} {v} {unit} is out of range; allowed: {lo} to {hi} {unit}"),
                None,
            );
        }
    };
    range(
        codes::MEMORY,
        "MemorySize",
        "memory",
        p.memory_mb,
        128,
        10_240,
        "MB",
    );
    range(
        codes::TIMEOUT,
        "Timeout",
        "timeout",
        p.timeout_secs,
        1,
        900,
        "s",
    );
    range(
        codes::EPHEMERAL_STORAGE,
        "EphemeralStorage.Size",
        "ephemeral storage",
        p.ephemeral_storage_mb,
        512,
        10_240,
        "MB",
    );
    if p.reserved_concurrency == Some(0) {
        node.report(
            Diagnostic::warning(
                codes::RESERVED_CONCURRENCY,
                node.path(),
                "reserved concurrency 0 throttles every invocation: the function never runs",
            )
            .property("ReservedConcurrentExecutions"),
        );
    }

    // Environment.
    let mut size = 0;
    for (k, v) in &p.environment {
        let at = format!("Environment.Variables.{k}");
        let mut chars = k.chars();
        let well_formed = k.len() >= 2
            && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if RESERVED_ENV.contains(&k.as_str()) {
            err(
                codes::ENVIRONMENT,
                &at,
                format!(
                    "{k} is reserved: Lambda sets it itself and refuses it in the configuration"
                ),
                Some("read it from the runtime environment instead, or use another name"),
            );
        } else if !well_formed {
            err(
                codes::ENVIRONMENT,
                &at,
                format!(
                    "key {k:?} is not valid; allowed: a letter, then letters, digits or `_` (at least 2 characters)"
                ),
                None,
            );
        }
        size += k.len() + literal(v).map_or(0, |s| s.len());
    }
    if size > ENV_LIMIT_BYTES {
        err(
            codes::ENVIRONMENT,
            "Environment.Variables",
            format!(
                "the environment variables take {size} bytes (counting literal values only); Lambda allows {ENV_LIMIT_BYTES} bytes in total"
            ),
            Some(
                "move large values to SSM Parameter Store, Secrets Manager or S3 and pass their names",
            ),
        );
    }

    // Placement and targets.
    if let Some((subnets, groups)) = &p.vpc {
        if subnets.is_empty() || groups.is_empty() {
            err(
                codes::VPC,
                "VpcConfig",
                format!(
                    "a VPC function needs at least one subnet and one security group; found {} subnet(s) and {} security group(s)",
                    subnets.len(),
                    groups.len()
                ),
                None,
            );
        }
    }
    if let Some(dl) = &p.dead_letter {
        let (arn, service, other) = match dl {
            DeadLetter::Queue(a) => (a, "sqs", "dead_letter_topic"),
            DeadLetter::Topic(a) => (a, "sns", "dead_letter_queue"),
        };
        if let Some(a) = literal(arn) {
            let found = a.split(':').nth(2).unwrap_or("");
            if !a.starts_with("arn:") || found != service {
                err(
                    codes::DEAD_LETTER,
                    "DeadLetterConfig.TargetArn",
                    format!(
                        "expected an {} ARN (arn:<partition>:{service}:…); found {a:?}",
                        service.to_uppercase()
                    ),
                    Some(&format!("use FunctionProps::{other} for other targets")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::runtime::{CivilDate, today_of};
    use formwork_core::{App, Diagnostics, Output, Stack};
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    /// The date of reference B: nodejs20.x is past its create block.
    fn day(s: &str) -> CivilDate {
        CivilDate::parse(s).unwrap()
    }

    fn stack() -> (App, Stack) {
        let app = App::new();
        let s = app.stack("S").unwrap();
        (app, s)
    }

    const NODE: &str = "exports.handler = async () => ({ statusCode: 200 });";

    fn zip() -> FunctionProps {
        FunctionProps::new(Code::inline(NODE))
            .runtime(Runtime::Nodejs24X)
            .handler("index.handler")
    }

    fn build(s: &Stack, id: &str, props: FunctionProps) -> Function {
        Function::build(s, id, props, day("2026-11-22")).unwrap()
    }

    fn errors(app: &App) -> Diagnostics {
        match app.synth() {
            Ok(_) => panic!("synth should fail"),
            Err(e) => e.diagnostics().cloned().unwrap_or_default(),
        }
    }

    /// The one diagnostic of `code`, checked for path and property.
    fn only(ds: &Diagnostics, code: &str, path: &str, property: &str) -> Diagnostic {
        let found: Vec<_> = ds.with_code(code).collect();
        assert_eq!(found.len(), 1, "{code}: {ds}");
        assert_eq!(found[0].path, path, "{code}");
        assert_eq!(found[0].property.as_deref(), Some(property), "{code}");
        found[0].clone()
    }

    fn error_of(props: FunctionProps, code: &str, property: &str) -> Diagnostic {
        let (app, s) = stack();
        build(&s, "Fn", props);
        let d = only(&errors(&app), code, "S/Fn", property);
        assert!(d.is_error());
        d
    }

    fn warning_of(app: &App, code: &str, path: &str, property: &str) -> Diagnostic {
        let asm = app.synth().unwrap_or_else(|e| panic!("{e}"));
        let d = only(&asm.warnings, code, path, property);
        assert!(!d.is_error());
        d
    }

    #[test]
    fn defaults_are_a_log_group_a_role_that_writes_to_it_and_the_function() {
        let (app, s) = stack();
        let f = build(&s, "Fn", zip().function_name("hello"));
        assert_eq!(f.cfn().logical_id(), "Fn");
        assert_eq!(f.log_group().cfn().logical_id(), "FnLogGroup");
        assert_eq!(
            f.role().map(|r| r.cfn().logical_id()).as_deref(),
            Some("FnServiceRole")
        );
        assert_eq!(f.architecture(), Architecture::X86_64);
        assert_eq!(f.runtime(), Some(&Runtime::Nodejs24X));
        let asm = synth_and_lint(&app, "lambda-defaults");
        assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
        let t = template(&asm, "S");
        assert_eq!(
            t["Resources"],
            json!({
                "FnLogGroup": {
                    "Type": "AWS::Logs::LogGroup",
                    "Properties": {"LogGroupName": "/aws/lambda/hello"},
                    "DeletionPolicy": "RetainExceptOnCreate",
                    "UpdateReplacePolicy": "Retain"
                },
                "FnServiceRole": {
                    "Type": "AWS::IAM::Role",
                    "Properties": {
                        "AssumeRolePolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]
                        },
                        "Policies": [{
                            "PolicyDocument": {
                                "Version": "2012-10-17",
                                "Statement": [{
                                    "Effect": "Allow",
                                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                    "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${FnLogGroup}:*"}
                                }]
                            },
                            "PolicyName": "DefaultPolicy"
                        }]
                    }
                },
                "Fn": {
                    "Type": "AWS::Lambda::Function",
                    "Properties": {
                        "Architectures": ["x86_64"],
                        "Code": {"ZipFile": NODE},
                        "FunctionName": "hello",
                        "Handler": "index.handler",
                        "LoggingConfig": {"LogGroup": {"Ref": "FnLogGroup"}},
                        "Role": {"Fn::GetAtt": ["FnServiceRole", "Arn"]},
                        "Runtime": "nodejs24.x"
                    }
                }
            })
        );
    }

    #[test]
    fn unnamed_functions_log_to_a_group_named_after_stack_and_logical_id() {
        let (app, s) = stack();
        let api = s.child("Api").unwrap();
        build(&s, "Fn", zip());
        Function::build(&api, "Handler", zip(), day("2026-11-22")).unwrap();
        let t = template(&synth_and_lint(&app, "lambda-unnamed"), "S");
        assert_eq!(
            t["Resources"]["FnLogGroup"]["Properties"]["LogGroupName"],
            json!({"Fn::Sub": "/aws/lambda/${AWS::StackName}-Fn"})
        );
        assert_eq!(
            t["Resources"]["ApiHandlerLogGroup"]["Properties"]["LogGroupName"],
            json!({"Fn::Sub": "/aws/lambda/${AWS::StackName}-ApiHandler"})
        );
        assert_eq!(
            t["Resources"]["Fn"]["Properties"]["LoggingConfig"],
            json!({"LogGroup": {"Ref": "FnLogGroup"}})
        );
        assert!(
            t["Resources"]["Fn"]["Properties"]
                .get("FunctionName")
                .is_none()
        );
    }

    #[test]
    fn a_function_name_from_a_reference_names_the_log_group_too() {
        let (app, s) = stack();
        let env = s
            .add_parameter(
                "Env",
                formwork_core::Parameter::string().default_value("prod"),
            )
            .unwrap();
        build(
            &s,
            "Fn",
            zip().function_name(Fn::concat([Value::from("chat-"), env.ref_().into()])),
        );
        let t = template(&synth_and_lint(&app, "lambda-ref-name"), "S");
        assert_eq!(
            t["Resources"]["Fn"]["Properties"]["FunctionName"],
            json!({"Fn::Sub": "chat-${Env}"})
        );
        assert_eq!(
            t["Resources"]["FnLogGroup"]["Properties"]["LogGroupName"],
            json!({"Fn::Sub": "/aws/lambda/chat-${Env}"})
        );
    }

    #[test]
    fn log_retention_and_removal_policy_reach_the_log_group() {
        let (app, s) = stack();
        build(
            &s,
            "Fn",
            zip()
                .log_retention(Retention::TwoWeeks)
                .log_removal_policy(RemovalPolicy::Delete),
        );
        let t = template(&synth_and_lint(&app, "lambda-log-options"), "S");
        let g = &t["Resources"]["FnLogGroup"];
        assert_eq!(g["Properties"]["RetentionInDays"], 14);
        assert_eq!(g["DeletionPolicy"], "Delete");
        assert_eq!(g["UpdateReplacePolicy"], "Delete");
    }

    #[test]
    fn an_unsupported_log_retention_is_fw2301_on_the_log_group() {
        let (app, s) = stack();
        build(&s, "Fn", zip().log_retention(Retention::days(21)));
        let d = only(
            &errors(&app),
            crate::logs::codes::RETENTION,
            "S/Fn/LogGroup",
            "RetentionInDays",
        );
        assert!(d.message.contains("21 days"));
    }

    /// Reference B as written by the team: nodejs20.x on 2026-11-22, past
    /// its update block.
    #[test]
    fn nodejs20_on_2026_11_22_is_fw2201_naming_the_dates_and_the_successor() {
        let (app, s) = stack();
        Function::build(
            &s,
            "ChatCompletionsFunction",
            zip().runtime(Runtime::Nodejs20X),
            day("2026-11-22"),
        )
        .unwrap();
        let ds = errors(&app);
        let d = only(
            &ds,
            codes::RUNTIME_BLOCKED,
            "S/ChatCompletionsFunction",
            "Runtime",
        );
        assert_eq!(
            d.message,
            "runtime nodejs20.x is blocked: AWS refuses to update functions on it since 2026-07-01 (and to create them since 2026-06-01), so the deploy would fail; its successor is nodejs24.x (checked on 2026-11-22 from a date given in code)"
        );
        assert_eq!(d.fix.as_deref(), Some("use nodejs24.x"));
        assert_eq!(ds.with_code(codes::RUNTIME_DEPRECATED).count(), 0);
        // Runtime::Other with the same identifier is checked the same way.
        let (app, s) = stack();
        Function::build(
            &s,
            "Fn",
            zip().runtime(Runtime::Other("nodejs20.x".into())),
            day("2026-11-22"),
        )
        .unwrap();
        only(&errors(&app), codes::RUNTIME_BLOCKED, "S/Fn", "Runtime");
    }

    /// The calendar decides nothing before the update block: deprecation
    /// and the create block are warnings that say which date blocks what.
    #[test]
    fn deprecation_and_the_create_block_are_warnings_fw2202() {
        let warning_on = |date: &str| {
            let (app, s) = stack();
            Function::build(&s, "Fn", zip().runtime(Runtime::Nodejs20X), day(date)).unwrap();
            warning_of(&app, codes::RUNTIME_DEPRECATED, "S/Fn", "Runtime").message
        };
        assert_eq!(
            warning_on("2026-05-15"),
            "runtime nodejs20.x is deprecated since 2026-04-30; creating functions on it is blocked from 2026-06-01, updating them from 2026-07-01; move to nodejs24.x (checked on 2026-05-15 from a date given in code)"
        );
        assert_eq!(
            warning_on("2026-06-01"),
            "runtime nodejs20.x: AWS refuses to create functions on it since 2026-06-01, so a new (or replaced) function fails to deploy; an existing one can be updated until 2026-07-01; move to nodejs24.x (checked on 2026-06-01 from a date given in code)"
        );
        // The day before deprecation: nothing; the day of the update block: the error.
        let (app, s) = stack();
        Function::build(
            &s,
            "Fn",
            zip().runtime(Runtime::Nodejs20X),
            day("2026-04-29"),
        )
        .unwrap();
        assert!(app.synth().unwrap().warnings.0.is_empty());
        let (app, s) = stack();
        Function::build(
            &s,
            "Fn",
            zip().runtime(Runtime::Nodejs20X),
            day("2026-07-01"),
        )
        .unwrap();
        only(&errors(&app), codes::RUNTIME_BLOCKED, "S/Fn", "Runtime");
    }

    /// `-c formwork:today` pins the date and wins over `FORMWORK_TODAY`;
    /// the message names where the date came from.
    #[test]
    fn the_date_is_pinned_by_context_then_formwork_today() {
        use formwork_core::Context;
        let on = |ctx: Context| {
            let app = App::with_context(ctx);
            let s = app.stack("S").unwrap();
            Function::new(&s, "Fn", zip().runtime(Runtime::Nodejs20X)).unwrap();
            app.synth()
        };
        let asm = on(Context::new()
            .with_value(TODAY_KEY, "2026-05-15")
            .with_env("FORMWORK_TODAY", "2026-11-22"))
        .unwrap();
        let d = asm
            .warnings
            .with_code(codes::RUNTIME_DEPRECATED)
            .next()
            .unwrap();
        assert!(
            d.message
                .ends_with("(checked on 2026-05-15 from -c formwork:today)"),
            "{d}"
        );
        let err = on(Context::new().with_env("FORMWORK_TODAY", "2026-11-22")).unwrap_err();
        assert!(
            err.to_string()
                .contains("(checked on 2026-11-22 from FORMWORK_TODAY)"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_runtime_is_warning_fw2203() {
        let (app, s) = stack();
        build(
            &s,
            "Fn",
            FunctionProps::new(Code::s3("bucket", "k.zip"))
                .runtime(Runtime::Other("cobol85".into()))
                .handler("main.run"),
        );
        let d = warning_of(&app, codes::RUNTIME_UNKNOWN, "S/Fn", "Runtime");
        assert!(d.message.contains("\"cobol85\""));
    }

    #[test]
    fn an_unusable_formwork_today_is_warning_fw2204() {
        let (app, s) = stack();
        Function::with_today(&s, "Fn", zip(), today_of(None, Some("22/11/2026"))).unwrap();
        let d = warning_of(&app, codes::TODAY, "S/Fn", "Runtime");
        assert!(
            d.message.starts_with(
                "FORMWORK_TODAY=\"22/11/2026\" (or -c formwork:today) is not a YYYY-MM-DD date"
            ),
            "{}",
            d.message
        );
    }

    #[test]
    fn runtime_must_match_the_package_type_fw2205() {
        let d = error_of(
            FunctionProps::new(Code::inline(NODE)).handler("index.handler"),
            codes::RUNTIME_PACKAGE,
            "Runtime",
        );
        assert!(d.message.contains("zip code needs a runtime"));
        let d = error_of(
            FunctionProps::new(Code::image("repo:1")).runtime(Runtime::Python313),
            codes::RUNTIME_PACKAGE,
            "Runtime",
        );
        assert!(
            d.message
                .contains("takes its runtime from the image; found runtime python3.13")
        );
    }

    #[test]
    fn handler_rules_fw2206() {
        let d = error_of(
            FunctionProps::new(Code::inline(NODE)).runtime(Runtime::Nodejs24X),
            codes::HANDLER,
            "Handler",
        );
        assert!(d.message.contains("zip code needs a handler"));
        let d = error_of(
            FunctionProps::new(Code::image("repo:1")).handler("main.handler"),
            codes::HANDLER,
            "Handler",
        );
        assert!(d.message.contains("takes its handler from the image's CMD"));
        let d = error_of(zip().handler("app.handler"), codes::HANDLER, "Handler");
        assert!(
            d.message
                .contains("must be `index.<function>`; found \"app.handler\"")
        );
        // S3 zips may use any file.
        let (app, s) = stack();
        build(
            &s,
            "Fn",
            FunctionProps::new(Code::s3("bucket", "k.zip"))
                .runtime(Runtime::Python313)
                .handler("app.handler"),
        );
        assert!(app.synth().is_ok());
    }

    #[test]
    fn inline_code_is_for_node_and_python_and_not_empty_fw2207() {
        let d = error_of(
            zip().runtime(Runtime::Java21),
            codes::INLINE_CODE,
            "Code.ZipFile",
        );
        assert!(
            d.message
                .contains("Node.js and Python runtimes only; found java21")
        );
        let d = error_of(
            FunctionProps::new(Code::inline("  \n"))
                .runtime(Runtime::Python313)
                .handler("index.handler"),
            codes::INLINE_CODE,
            "Code.ZipFile",
        );
        assert!(d.message.contains("empty"));
    }

    #[test]
    fn image_overrides_need_an_image_fw2208() {
        let d = error_of(
            zip().image_command(["main.pipeline_handler"]),
            codes::IMAGE_CONFIG,
            "ImageConfig",
        );
        assert!(d.message.contains("this function has zip code"));
    }

    #[test]
    fn layers_need_zip_code_fw2209() {
        let d = error_of(
            FunctionProps::new(Code::image("repo:1"))
                .layer("arn:aws:lambda:ap-northeast-1:123456789012:layer:deps:3"),
            codes::LAYERS,
            "Layers",
        );
        assert!(d.message.contains("cannot use layers; found 1"));
    }

    #[test]
    fn function_names_are_checked_fw2210() {
        for bad in ["has space", "", &"x".repeat(65)] {
            let d = error_of(
                zip().function_name(bad),
                codes::FUNCTION_NAME,
                "FunctionName",
            );
            assert!(
                d.message.contains("allowed: 1 to 64 of a-z A-Z 0-9 - _"),
                "{bad:?}"
            );
        }
        // The log group of an invalid name falls back to the stack-based name
        // (one error, not two).
        let (app, s) = stack();
        build(&s, "Fn", zip().function_name("has space"));
        assert_eq!(errors(&app).0.len(), 1);
    }

    #[test]
    fn memory_timeout_and_storage_ranges_fw2211_fw2212_fw2213() {
        let d = error_of(zip().memory_mb(64), codes::MEMORY, "MemorySize");
        assert_eq!(
            d.message,
            "memory 64 MB is out of range; allowed: 128 to 10240 MB"
        );
        error_of(zip().memory_mb(10_241), codes::MEMORY, "MemorySize");
        let d = error_of(zip().timeout_secs(901), codes::TIMEOUT, "Timeout");
        assert_eq!(
            d.message,
            "timeout 901 s is out of range; allowed: 1 to 900 s"
        );
        error_of(zip().timeout_secs(0), codes::TIMEOUT, "Timeout");
        let d = error_of(
            zip().ephemeral_storage_mb(256),
            codes::EPHEMERAL_STORAGE,
            "EphemeralStorage.Size",
        );
        assert_eq!(
            d.message,
            "ephemeral storage 256 MB is out of range; allowed: 512 to 10240 MB"
        );
        let (app, s) = stack();
        build(
            &s,
            "Fn",
            zip()
                .memory_mb(10_240)
                .timeout_secs(900)
                .ephemeral_storage_mb(10_240),
        );
        assert!(app.synth().is_ok());
    }

    #[test]
    fn environment_rules_fw2214() {
        let d = error_of(
            zip().environment("AWS_REGION", "x"),
            codes::ENVIRONMENT,
            "Environment.Variables.AWS_REGION",
        );
        assert!(d.message.contains("AWS_REGION is reserved"));
        let d = error_of(
            zip().environment("1ST", "x"),
            codes::ENVIRONMENT,
            "Environment.Variables.1ST",
        );
        assert!(d.message.contains("key \"1ST\" is not valid"));
        error_of(
            zip().environment("A", "x"),
            codes::ENVIRONMENT,
            "Environment.Variables.A",
        );
        error_of(
            zip().environment("MY-KEY", "x"),
            codes::ENVIRONMENT,
            "Environment.Variables.MY-KEY",
        );
        let d = error_of(
            zip().environment("BIG", "x".repeat(4094)),
            codes::ENVIRONMENT,
            "Environment.Variables",
        );
        assert!(d.message.contains("4097 bytes"), "{}", d.message);
        // Exactly 4 KB is fine; references count by their key only.
        let (app, s) = stack();
        build(
            &s,
            "Fn",
            zip()
                .environment("BIG", "x".repeat(4093))
                .environment("REF", Fn::ref_name("Fn")),
        );
        assert!(app.synth().is_err(), "4093 + 3 + 3 > 4096");
        let (app, s) = stack();
        build(&s, "Fn", zip().environment("BIG", "x".repeat(4093)));
        assert!(app.synth().is_ok());
    }

    #[test]
    fn vpc_needs_subnets_and_security_groups_fw2215() {
        let d = error_of(
            zip().vpc(["subnet-0abc"], Vec::<String>::new()),
            codes::VPC,
            "VpcConfig",
        );
        assert!(
            d.message
                .contains("found 1 subnet(s) and 0 security group(s)")
        );
    }

    #[test]
    fn dead_letter_targets_must_be_of_their_service_fw2216() {
        let d = error_of(
            zip().dead_letter_queue("arn:aws:sns:ap-northeast-1:123456789012:failures"),
            codes::DEAD_LETTER,
            "DeadLetterConfig.TargetArn",
        );
        assert!(
            d.message.starts_with("expected an SQS ARN"),
            "{}",
            d.message
        );
        assert_eq!(
            d.fix.as_deref(),
            Some("use FunctionProps::dead_letter_topic for other targets")
        );
        error_of(
            zip().dead_letter_topic("arn:aws:sqs:ap-northeast-1:123456789012:failures"),
            codes::DEAD_LETTER,
            "DeadLetterConfig.TargetArn",
        );
    }

    #[test]
    fn reserved_concurrency_zero_is_warning_fw2217() {
        let (app, s) = stack();
        build(&s, "Fn", zip().reserved_concurrency(0));
        warning_of(
            &app,
            codes::RESERVED_CONCURRENCY,
            "S/Fn",
            "ReservedConcurrentExecutions",
        );
    }

    #[test]
    fn an_imported_role_is_used_as_is_with_warning_fw2218() {
        let (app, s) = stack();
        let f = build(
            &s,
            "Fn",
            zip()
                .role_arn("arn:aws:iam::123456789012:role/legacy")
                .dead_letter_queue("arn:aws:sqs:ap-northeast-1:123456789012:dlq")
                .tracing(Tracing::Active),
        );
        assert!(f.role().is_none());
        let d = warning_of(&app, codes::IMPORTED_ROLE, "S/Fn", "Role");
        assert!(
            d.message
                .contains("logs:CreateLogStream and logs:PutLogEvents")
        );
        assert!(d.message.contains("sqs:SendMessage"));
        assert!(d.message.contains("xray:PutTraceSegments"));
        let t = template(&synth_and_lint(&app, "lambda-imported-role"), "S");
        assert_eq!(
            t["Resources"]["Fn"]["Properties"]["Role"],
            "arn:aws:iam::123456789012:role/legacy"
        );
        assert!(t["Resources"].get("FnServiceRole").is_none());
    }

    #[test]
    fn a_given_role_receives_the_function_permissions() {
        let (app, s) = stack();
        let role = Role::new(
            &s,
            "Shared",
            RoleProps::new(Principal::service("lambda.amazonaws.com")),
        )
        .unwrap();
        let f = build(&s, "Fn", zip().role(&role));
        assert_eq!(
            f.role().map(|r| r.cfn().logical_id()).as_deref(),
            Some("Shared")
        );
        let t = template(&synth_and_lint(&app, "lambda-given-role"), "S");
        assert!(t["Resources"].get("FnServiceRole").is_none());
        assert_eq!(
            t["Resources"]["Fn"]["Properties"]["Role"],
            json!({"Fn::GetAtt": ["Shared", "Arn"]})
        );
        assert_eq!(
            t["Resources"]["Shared"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]
                ["Resource"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${FnLogGroup}:*"})
        );
    }

    #[test]
    fn add_permission_writes_the_statement_and_warns_when_unscoped_fw2219() {
        let (app, s) = stack();
        let f = build(&s, "Fn", zip());
        let p = f
            .add_permission(
                "ApiInvoke",
                PermissionProps::new("apigateway.amazonaws.com").source_arn("arn:aws:execute-api:ap-northeast-1:123456789012:a1b2c3d4e5/*/POST/chat/completions"),
            )
            .unwrap();
        assert_eq!(p.logical_id(), "FnApiInvoke");
        f.add_permission("Events", PermissionProps::new("events.amazonaws.com"))
            .unwrap();
        f.add_permission(
            "Account",
            PermissionProps::new("123456789012").action("lambda:GetFunction"),
        )
        .unwrap();
        let asm = synth_and_lint(&app, "lambda-permissions");
        let d = only(
            &asm.warnings,
            codes::PERMISSION_UNSCOPED,
            "S/Fn/Events",
            "SourceArn",
        );
        assert!(d.message.contains("\"events.amazonaws.com\""));
        let t = template(&asm, "S");
        assert_eq!(
            t["Resources"]["FnApiInvoke"],
            json!({
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": {"Fn::GetAtt": ["Fn", "Arn"]},
                    "Principal": "apigateway.amazonaws.com",
                    "SourceArn": "arn:aws:execute-api:ap-northeast-1:123456789012:a1b2c3d4e5/*/POST/chat/completions"
                }
            })
        );
        assert_eq!(
            t["Resources"]["FnAccount"]["Properties"]["Action"],
            "lambda:GetFunction"
        );
        assert!(
            f.add_permission(
                "Events",
                PermissionProps::new("*").source_account("123456789012")
            )
            .is_err(),
            "duplicate id"
        );
    }

    use crate::iam::testing::NoRole;

    #[test]
    fn grant_invoke_covers_the_function_and_its_versions() {
        let (app, s) = stack();
        let f = build(&s, "Fn", zip());
        let caller = Role::new(
            &s,
            "Caller",
            RoleProps::new(Principal::service("states.amazonaws.com")),
        )
        .unwrap();
        f.grant_invoke(&caller).unwrap();
        f.grant_invoke(&NoRole).unwrap();
        let asm = synth_and_lint(&app, "lambda-grant-invoke");
        let w: Vec<_> = asm.warnings.with_code(iam::codes::GRANT_NO_ROLE).collect();
        assert_eq!(w.len(), 1, "{}", asm.warnings);
        assert_eq!(w[0].path, "S/Fn");
        assert_eq!(
            w[0].message,
            "the grantee has no role, so lambda:InvokeFunction was not granted"
        );
        assert_eq!(
            template(&asm, "S")["Resources"]["Caller"]["Properties"]["Policies"][0]["PolicyDocument"]
                ["Statement"],
            json!([{
                "Effect": "Allow",
                "Action": "lambda:InvokeFunction",
                "Resource": [{"Fn::GetAtt": ["Fn", "Arn"]}, {"Fn::Sub": "${Fn.Arn}:*"}]
            }])
        );
    }

    #[test]
    fn grants_from_other_resources_reach_the_function_role() {
        let (app, s) = stack();
        let f = build(&s, "Fn", zip());
        let other = LogGroup::new(&s, "Audit", LogGroupProps::new()).unwrap();
        other.grant_write(&f).unwrap();
        let t = template(&synth_and_lint(&app, "lambda-grantee"), "S");
        let stmt = &t["Resources"]["FnServiceRole"]["Properties"]["Policies"][0]["PolicyDocument"]
            ["Statement"];
        assert_eq!(
            stmt.as_array().map(Vec::len),
            Some(1),
            "merged into one statement: {stmt}"
        );
        assert_eq!(stmt[0]["Resource"].as_array().map(Vec::len), Some(2));
    }

    /// A function with every option, zip code: cfn-lint is clean and the
    /// role holds exactly what the options need.
    #[test]
    fn fully_configured_zip_function() {
        let (app, s) = stack();
        let bucket = s
            .add_parameter("ConfigBucketName", formwork_core::Parameter::string())
            .unwrap();
        let f = build(
            &s,
            "Fn",
            FunctionProps::new(Code::inline(
                "def handler(event, context):\n    return {'statusCode': 200}\n",
            ))
            .runtime(Runtime::Python313)
            .handler("index.handler")
            .function_name("everything")
            .description("every option")
            .architecture(Architecture::Arm64)
            .memory_mb(1024)
            .timeout_secs(30)
            .ephemeral_storage_mb(2048)
            .environment("CONFIG_BUCKET", bucket.ref_())
            .environment("STAGE", "prod")
            .reserved_concurrency(5)
            .vpc(
                ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
                ["sg-0123456789abcdef0"],
            )
            .dead_letter_queue("arn:aws:sqs:ap-northeast-1:123456789012:failures")
            .layer("arn:aws:lambda:ap-northeast-1:123456789012:layer:deps:3")
            .tracing(Tracing::Active)
            .log_retention(Retention::OneMonth),
        );
        assert_eq!(f.architecture().docker_platform(), "linux/arm64");
        s.add_output("Arn", Output::new(f.arn())).unwrap();
        s.add_output("Name", Output::new(f.function_name()))
            .unwrap();
        let asm = synth_and_lint(&app, "lambda-full-zip");
        assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
        let t = template(&asm, "S");
        assert_eq!(
            t["Resources"]["Fn"]["Properties"],
            json!({
                "Architectures": ["arm64"],
                "Code": {"ZipFile": "def handler(event, context):\n    return {'statusCode': 200}\n"},
                "DeadLetterConfig": {"TargetArn": "arn:aws:sqs:ap-northeast-1:123456789012:failures"},
                "Description": "every option",
                "Environment": {"Variables": {"CONFIG_BUCKET": {"Ref": "ConfigBucketName"}, "STAGE": "prod"}},
                "EphemeralStorage": {"Size": 2048},
                "FunctionName": "everything",
                "Handler": "index.handler",
                "Layers": ["arn:aws:lambda:ap-northeast-1:123456789012:layer:deps:3"],
                "LoggingConfig": {"LogGroup": {"Ref": "FnLogGroup"}},
                "MemorySize": 1024,
                "ReservedConcurrentExecutions": 5,
                "Role": {"Fn::GetAtt": ["FnServiceRole", "Arn"]},
                "Runtime": "python3.13",
                "Timeout": 30,
                "TracingConfig": {"Mode": "Active"},
                "VpcConfig": {
                    "SecurityGroupIds": ["sg-0123456789abcdef0"],
                    "SubnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
                }
            })
        );
        let role = &t["Resources"]["FnServiceRole"]["Properties"];
        assert_eq!(
            role["ManagedPolicyArns"],
            json!([
                {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaENIManagementAccess"},
                {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"}
            ])
        );
        assert_eq!(
            role["Policies"][0]["PolicyDocument"]["Statement"],
            json!([
                {
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${FnLogGroup}:*"}
                },
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:ap-northeast-1:123456789012:failures"}
            ])
        );
        assert_eq!(
            t["Resources"]["FnLogGroup"]["Properties"],
            json!({"LogGroupName": "/aws/lambda/everything", "RetentionInDays": 30})
        );
        assert_eq!(t["Outputs"]["Name"]["Value"], json!({"Ref": "Fn"}));
    }

    #[test]
    fn dead_letter_topics_get_sns_publish() {
        let (app, s) = stack();
        build(
            &s,
            "Fn",
            zip().dead_letter_topic("arn:aws:sns:ap-northeast-1:123456789012:failures"),
        );
        let t = template(&synth_and_lint(&app, "lambda-dlq-topic"), "S");
        assert_eq!(
            t["Resources"]["FnServiceRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
                [1],
            json!({"Effect": "Allow", "Action": "sns:Publish", "Resource": "arn:aws:sns:ap-northeast-1:123456789012:failures"})
        );
    }

    /// Reference B: the chat proxy's function, its streaming URL and its
    /// 14-day log group, configuration passed by reference.
    #[test]
    fn reference_b_chat_completions_function() {
        let (app, s) = stack();
        let config = s
            .add_parameter("ConfigBucketName", formwork_core::Parameter::string())
            .unwrap();
        let audit = s
            .add_parameter("AuditBucketName", formwork_core::Parameter::string())
            .unwrap();
        let openai = s
            .add_parameter("OpenAiKeyArn", formwork_core::Parameter::string())
            .unwrap();
        let chat = build(
            &s,
            "ChatCompletionsFunction",
            FunctionProps::new(Code::s3("sfai-prod-artifacts", "chat-proxy.zip"))
                .runtime(Runtime::Nodejs24X)
                .handler("index.handler")
                .function_name("sfai-prod-chat-completions")
                .memory_mb(512)
                .timeout_secs(900)
                .environment("CONFIG_BUCKET", config.ref_())
                .environment("AUDIT_BUCKET", audit.ref_())
                .environment("OPENAI_API_KEY_SECRET_ARN", openai.ref_())
                .log_retention(Retention::TwoWeeks),
        );
        let url = chat
            .add_function_url(
                crate::lambda::FunctionUrlProps::new()
                    .invoke_mode(crate::lambda::InvokeMode::ResponseStream),
            )
            .unwrap();
        s.add_output("ChatFunctionUrl", Output::new(url.url()))
            .unwrap();
        s.add_output("ChatLambdaName", Output::new(chat.function_name()))
            .unwrap();
        let asm = synth_and_lint(&app, "lambda-reference-b");
        assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
        let t = template(&asm, "S");
        let r = &t["Resources"];
        assert_eq!(
            r["ChatCompletionsFunctionLogGroup"]["Properties"],
            json!({"LogGroupName": "/aws/lambda/sfai-prod-chat-completions", "RetentionInDays": 14})
        );
        assert_eq!(
            r["ChatCompletionsFunctionUrl"]["Properties"]["InvokeMode"],
            "RESPONSE_STREAM"
        );
        let p = &r["ChatCompletionsFunction"]["Properties"];
        assert_eq!(
            (p["MemorySize"].as_i64(), p["Timeout"].as_i64()),
            (Some(512), Some(900))
        );
        assert_eq!(
            p["Environment"]["Variables"]["OPENAI_API_KEY_SECRET_ARN"],
            json!({"Ref": "OpenAiKeyArn"})
        );
    }

    /// Reference D: two functions from one image, the worker with its
    /// command overridden; S3 zip code with a pinned object version.
    #[test]
    fn image_functions_and_s3_code() {
        let (app, s) = stack();
        let image = s
            .add_parameter("ImageUri", formwork_core::Parameter::string())
            .unwrap();
        let api = build(
            &s,
            "Api",
            FunctionProps::new(Code::image(image.ref_()))
                .function_name("poc-mc-vision-fastapi")
                .memory_mb(3008)
                .timeout_secs(60),
        );
        let worker = build(
            &s,
            "Worker",
            FunctionProps::new(Code::image(image.ref_()))
                .function_name("poc-mc-vision-pipeline-worker")
                .architecture(Architecture::Arm64)
                .image_command(["main.pipeline_handler"])
                .image_entry_point(["/lambda-entrypoint.sh"])
                .image_working_directory("/var/task"),
        );
        build(
            &s,
            "Zip",
            FunctionProps::new(Code::s3("artifacts", "fn.zip").object_version("v3"))
                .runtime(Runtime::Java21)
                .handler("example.Handler::handleRequest"),
        );
        assert!(api.runtime().is_none());
        assert_eq!(api.architecture().docker_platform(), "linux/amd64");
        assert_eq!(worker.architecture().docker_platform(), "linux/arm64");
        let asm = synth_and_lint(&app, "lambda-image");
        assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
        let t = template(&asm, "S");
        assert_eq!(
            t["Resources"]["Api"]["Properties"],
            json!({
                "Architectures": ["x86_64"],
                "Code": {"ImageUri": {"Ref": "ImageUri"}},
                "FunctionName": "poc-mc-vision-fastapi",
                "LoggingConfig": {"LogGroup": {"Ref": "ApiLogGroup"}},
                "MemorySize": 3008,
                "PackageType": "Image",
                "Role": {"Fn::GetAtt": ["ApiServiceRole", "Arn"]},
                "Timeout": 60
            })
        );
        assert_eq!(
            t["Resources"]["Worker"]["Properties"]["ImageConfig"],
            json!({"Command": ["main.pipeline_handler"], "EntryPoint": ["/lambda-entrypoint.sh"], "WorkingDirectory": "/var/task"})
        );
        assert_eq!(
            t["Resources"]["Zip"]["Properties"]["Code"],
            json!({"S3Bucket": "artifacts", "S3Key": "fn.zip", "S3ObjectVersion": "v3"})
        );
    }
}
