//! The states of Amazon States Language: typed builders for `Task`,
//! `Pass`, `Choice`, `Wait`, `Map`, `Parallel`, `Succeed` and `Fail`, with
//! their retriers, catchers and choice conditions.

use formwork_core::ValueMap;
use formwork_core::{Fn, Pseudo, Value};

use super::definition::Definition;
use crate::iam::PolicyStatement;

/// Error names Step Functions defines, for [`Retry`] and [`Catch`].
pub mod errors {
    /// Matches every error (must be alone and last).
    pub const ALL: &str = "States.ALL";
    /// A task ran longer than its `TimeoutSeconds` or missed a heartbeat.
    pub const TIMEOUT: &str = "States.Timeout";
    /// A task failed.
    pub const TASK_FAILED: &str = "States.TaskFailed";
    /// The state machine's role lacks a permission.
    pub const PERMISSIONS: &str = "States.Permissions";
    /// No rule of a `Choice` matched and it has no default.
    pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
    /// A Lambda service error worth retrying.
    pub const LAMBDA_SERVICE_EXCEPTION: &str = "Lambda.ServiceException";
    /// A transient Lambda error worth retrying.
    pub const LAMBDA_AWS_LAMBDA_EXCEPTION: &str = "Lambda.AWSLambdaException";
    /// A Lambda client error worth retrying.
    pub const LAMBDA_SDK_CLIENT_EXCEPTION: &str = "Lambda.SdkClientException";
    /// Lambda throttled the invocation.
    pub const LAMBDA_TOO_MANY_REQUESTS: &str = "Lambda.TooManyRequestsException";
}

/// Where a state goes next.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum Transition {
    /// Neither `Next` nor `End` (an error for states that need one).
    #[default]
    Unset,
    /// `Next`.
    Next(String),
    /// `End: true`.
    End,
}

/// `ResultPath`: where a state's result goes in its input.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ResultPath {
    /// A reference path (`$.result`).
    Path(String),
    /// `null`: the result is discarded and the input passes through.
    Discard,
}

/// A JSON number as ASL wants it: integers without a fraction.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Value::Int(n as i64)
    } else {
        Value::Float(n)
    }
}

/// A retrier: which errors to retry, how often and how long to wait.
///
/// ```
/// use formwork::stepfunctions::{Retry, errors};
/// let r = Retry::on([errors::TIMEOUT]).interval_seconds(2).max_attempts(3).backoff_rate(2.0);
/// # let _ = r;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Retry {
    pub(crate) errors: Vec<String>,
    interval_seconds: Option<u32>,
    max_attempts: Option<u32>,
    pub(crate) backoff_rate: Option<f64>,
    max_delay_seconds: Option<u32>,
    full_jitter: bool,
}

impl Retry {
    /// Retries the named errors (Step Functions' defaults: 1 s, 3
    /// attempts, backoff 2.0).
    pub fn on<S: Into<String>>(errors: impl IntoIterator<Item = S>) -> Self {
        Retry {
            errors: errors.into_iter().map(Into::into).collect(),
            interval_seconds: None,
            max_attempts: None,
            backoff_rate: None,
            max_delay_seconds: None,
            full_jitter: false,
        }
    }

    /// Retries every error (`States.ALL`; must be the last retrier).
    pub fn all() -> Self {
        Retry::on([errors::ALL])
    }

    /// Seconds before the first retry (at least 1).
    pub fn interval_seconds(mut self, seconds: u32) -> Self {
        self.interval_seconds = Some(seconds);
        self
    }

    /// Retries at most this many times (0: never).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Multiplier of the interval at each attempt (at least 1.0).
    pub fn backoff_rate(mut self, rate: f64) -> Self {
        self.backoff_rate = Some(rate);
        self
    }

    /// Upper bound of the interval, in seconds.
    pub fn max_delay_seconds(mut self, seconds: u32) -> Self {
        self.max_delay_seconds = Some(seconds);
        self
    }

    /// Randomizes intervals (`JitterStrategy: FULL`).
    pub fn full_jitter(mut self) -> Self {
        self.full_jitter = true;
        self
    }

    /// The retrier Step Functions recommends for Lambda invocations:
    /// transient Lambda service errors, 1 s, 3 attempts, backoff 2.
    pub fn lambda_service_errors() -> Self {
        Retry::on([
            errors::LAMBDA_SERVICE_EXCEPTION,
            errors::LAMBDA_AWS_LAMBDA_EXCEPTION,
            errors::LAMBDA_SDK_CLIENT_EXCEPTION,
            errors::LAMBDA_TOO_MANY_REQUESTS,
        ])
        .interval_seconds(1)
        .max_attempts(3)
        .backoff_rate(2.0)
    }

    pub(crate) fn interval(&self) -> Option<u32> {
        self.interval_seconds
    }

    fn to_value(&self) -> Value {
        let mut m = ValueMap::default();
        m.insert(
            "ErrorEquals".to_owned(),
            Value::list(self.errors.iter().map(String::as_str)),
        );
        if let Some(i) = self.interval_seconds {
            m.insert("IntervalSeconds".to_owned(), Value::from(i));
        }
        if let Some(a) = self.max_attempts {
            m.insert("MaxAttempts".to_owned(), Value::from(a));
        }
        if let Some(b) = self.backoff_rate {
            m.insert("BackoffRate".to_owned(), number(b));
        }
        if let Some(d) = self.max_delay_seconds {
            m.insert("MaxDelaySeconds".to_owned(), Value::from(d));
        }
        if self.full_jitter {
            m.insert("JitterStrategy".to_owned(), Value::from("FULL"));
        }
        Value::Map(m)
    }
}

/// A catcher: on the named errors, go to another state.
///
/// ```
/// use formwork::stepfunctions::Catch;
/// let c = Catch::all("ReportFailure").result_path("$.error");
/// # let _ = c;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Catch {
    pub(crate) errors: Vec<String>,
    pub(crate) next: String,
    result_path: Option<ResultPath>,
}

impl Catch {
    /// Catches the named errors and goes to `next`.
    pub fn on<S: Into<String>>(
        errors: impl IntoIterator<Item = S>,
        next: impl Into<String>,
    ) -> Self {
        Catch {
            errors: errors.into_iter().map(Into::into).collect(),
            next: next.into(),
            result_path: None,
        }
    }

    /// Catches every error (`States.ALL`; must be the last catcher).
    pub fn all(next: impl Into<String>) -> Self {
        Catch::on([errors::ALL], next)
    }

    /// Where the error output goes in the input (`$.error`; default: it
    /// replaces the input).
    pub fn result_path(mut self, path: impl Into<String>) -> Self {
        self.result_path = Some(ResultPath::Path(path.into()));
        self
    }

    fn to_value(&self) -> Value {
        let mut m = ValueMap::default();
        m.insert(
            "ErrorEquals".to_owned(),
            Value::list(self.errors.iter().map(String::as_str)),
        );
        m.insert("Next".to_owned(), Value::from(self.next.as_str()));
        if let Some(r) = &self.result_path {
            m.insert("ResultPath".to_owned(), result_path_value(r));
        }
        Value::Map(m)
    }

    pub(crate) fn result_path_str(&self) -> Option<&str> {
        match &self.result_path {
            Some(ResultPath::Path(p)) => Some(p),
            _ => None,
        }
    }
}

fn result_path_value(r: &ResultPath) -> Value {
    match r {
        ResultPath::Path(p) => Value::from(p.as_str()),
        ResultPath::Discard => Value::Null,
    }
}

/// What a condition tests.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cond {
    /// `{"Variable": path, <operator>: value}`.
    Compare {
        variable: String,
        operator: &'static str,
        value: Value,
    },
    /// `And`
    And(Vec<Condition>),
    /// `Or`
    Or(Vec<Condition>),
    /// `Not`
    Not(Box<Condition>),
}

/// A rule of a [`Choice`] state (JSONPath comparison operators).
///
/// ```
/// use formwork::stepfunctions::Condition;
/// let bedrock = Condition::string_equals("$.inference_type", "bedrock");
/// let big = Condition::and([Condition::is_present("$.size", true), Condition::number_greater_than("$.size", 1024.0)]);
/// # let _ = (bedrock, big);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Condition(pub(crate) Cond);

macro_rules! comparisons {
    ($($(#[$doc:meta])* $name:ident($ty:ty) => $op:literal, $conv:expr;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(variable: impl Into<String>, value: $ty) -> Condition {
                Condition::compare(variable.into(), $op, ($conv)(value))
            }
        )*
    };
}

impl Condition {
    fn compare(variable: String, operator: &'static str, value: Value) -> Condition {
        Condition(Cond::Compare {
            variable,
            operator,
            value,
        })
    }

    comparisons! {
        /// `StringEquals`: the string at `variable` equals `value`.
        string_equals(&str) => "StringEquals", Value::from;
        /// `StringEqualsPath`: the string at `variable` equals the one at another path.
        string_equals_path(&str) => "StringEqualsPath", Value::from;
        /// `StringLessThan`.
        string_less_than(&str) => "StringLessThan", Value::from;
        /// `StringGreaterThan`.
        string_greater_than(&str) => "StringGreaterThan", Value::from;
        /// `StringMatches`: a pattern with `*` wildcards.
        string_matches(&str) => "StringMatches", Value::from;
        /// `NumericEquals`.
        number_equals(f64) => "NumericEquals", number;
        /// `NumericEqualsPath`: equals the number at another path.
        number_equals_path(&str) => "NumericEqualsPath", Value::from;
        /// `NumericLessThan`.
        number_less_than(f64) => "NumericLessThan", number;
        /// `NumericLessThanEquals`.
        number_less_than_equals(f64) => "NumericLessThanEquals", number;
        /// `NumericGreaterThan`.
        number_greater_than(f64) => "NumericGreaterThan", number;
        /// `NumericGreaterThanEquals`.
        number_greater_than_equals(f64) => "NumericGreaterThanEquals", number;
        /// `BooleanEquals`.
        boolean_equals(bool) => "BooleanEquals", Value::from;
        /// `TimestampEquals` (RFC 3339 timestamp).
        timestamp_equals(&str) => "TimestampEquals", Value::from;
        /// `TimestampLessThan`.
        timestamp_less_than(&str) => "TimestampLessThan", Value::from;
        /// `TimestampGreaterThan`.
        timestamp_greater_than(&str) => "TimestampGreaterThan", Value::from;
        /// `IsPresent`: the field exists (`true`) or not (`false`).
        is_present(bool) => "IsPresent", Value::from;
        /// `IsNull`.
        is_null(bool) => "IsNull", Value::from;
        /// `IsString`.
        is_string(bool) => "IsString", Value::from;
        /// `IsNumeric`.
        is_numeric(bool) => "IsNumeric", Value::from;
        /// `IsBoolean`.
        is_boolean(bool) => "IsBoolean", Value::from;
        /// `IsTimestamp`.
        is_timestamp(bool) => "IsTimestamp", Value::from;
    }

    /// `And`: every condition holds.
    pub fn and(conditions: impl IntoIterator<Item = Condition>) -> Condition {
        Condition(Cond::And(conditions.into_iter().collect()))
    }

    /// `Or`: at least one condition holds.
    pub fn or(conditions: impl IntoIterator<Item = Condition>) -> Condition {
        Condition(Cond::Or(conditions.into_iter().collect()))
    }

    /// `Not`: the condition does not hold (also `!condition`).
    #[allow(clippy::should_implement_trait)]
    pub fn not(condition: Condition) -> Condition {
        Condition(Cond::Not(Box::new(condition)))
    }

    pub(crate) fn to_map(&self) -> ValueMap {
        let mut m = ValueMap::default();
        match &self.0 {
            Cond::Compare {
                variable,
                operator,
                value,
            } => {
                m.insert("Variable".to_owned(), Value::from(variable.as_str()));
                m.insert((*operator).to_owned(), value.clone());
            }
            Cond::And(cs) => {
                m.insert(
                    "And".to_owned(),
                    Value::List(cs.iter().map(|c| Value::Map(c.to_map())).collect()),
                );
            }
            Cond::Or(cs) => {
                m.insert(
                    "Or".to_owned(),
                    Value::List(cs.iter().map(|c| Value::Map(c.to_map())).collect()),
                );
            }
            Cond::Not(c) => {
                m.insert("Not".to_owned(), Value::Map(c.to_map()));
            }
        }
        m
    }
}

impl std::ops::Not for Condition {
    type Output = Condition;

    /// `Not`: the condition does not hold.
    fn not(self) -> Condition {
        Condition::not(self)
    }
}

/// Setters shared by every state but `Succeed` and `Fail`.
macro_rules! io_setters {
    ($t:ident) => {
        impl $t {
            /// A human-readable comment.
            pub fn comment(mut self, comment: impl Into<String>) -> Self {
                self.comment = Some(comment.into());
                self
            }

            /// `InputPath`: the part of the input the state works on (`$.detail`).
            pub fn input_path(mut self, path: impl Into<String>) -> Self {
                self.input_path = Some(path.into());
                self
            }

            /// `OutputPath`: the part of the output passed on.
            pub fn output_path(mut self, path: impl Into<String>) -> Self {
                self.output_path = Some(path.into());
                self
            }
        }
    };
}

/// Setters of states that produce a result (`Task`, `Map`, `Parallel`).
macro_rules! result_setters {
    ($t:ident) => {
        impl $t {
            /// `ResultSelector`: reshapes the raw result (keys ending in `.$` are paths).
            pub fn result_selector(mut self, selector: impl Into<Value>) -> Self {
                self.result_selector = Some(selector.into());
                self
            }

            /// `ResultPath`: where the result goes in the input (`$.result`;
            /// default `$`, the result replaces the input).
            pub fn result_path(mut self, path: impl Into<String>) -> Self {
                self.result_path = Some(ResultPath::Path(path.into()));
                self
            }

            /// `ResultPath: null`: the result is discarded and the input passes through.
            pub fn discard_result(mut self) -> Self {
                self.result_path = Some(ResultPath::Discard);
                self
            }

            /// Adds a retrier (tried in order).
            pub fn retry(mut self, retry: Retry) -> Self {
                self.retry.push(retry);
                self
            }

            /// Adds a catcher (tried in order, after the retriers give up).
            pub fn catch(mut self, catch: Catch) -> Self {
                self.catch.push(catch);
                self
            }
        }
    };
}

/// `Next` and `End` for states that are not terminal by type.
macro_rules! next_setters {
    ($t:ident) => {
        impl $t {
            /// The state to go to next.
            pub fn next(mut self, state: impl Into<String>) -> Self {
                self.transition = Transition::Next(state.into());
                self
            }

            /// Ends the execution (or the branch) after this state.
            pub fn end(mut self) -> Self {
                self.transition = Transition::End;
                self
            }
        }
    };
}

/// The common keys, written in a fixed order.
struct Keys(ValueMap);

impl Keys {
    fn new(ty: &str, comment: &Option<String>) -> Keys {
        let mut m = ValueMap::default();
        m.insert("Type".to_owned(), Value::from(ty));
        if let Some(c) = comment {
            m.insert("Comment".to_owned(), Value::from(c.as_str()));
        }
        Keys(m)
    }

    fn set(&mut self, key: &str, v: impl Into<Value>) {
        self.0.insert(key.to_owned(), v.into());
    }

    fn opt_str(&mut self, key: &str, v: &Option<String>) {
        if let Some(v) = v {
            self.set(key, v.as_str());
        }
    }

    fn opt(&mut self, key: &str, v: &Option<Value>) {
        if let Some(v) = v {
            self.set(key, v.clone());
        }
    }

    fn result_path(&mut self, r: &Option<ResultPath>) {
        if let Some(r) = r {
            self.set("ResultPath", result_path_value(r));
        }
    }

    fn errors(&mut self, retry: &[Retry], catch: &[Catch]) {
        if !retry.is_empty() {
            self.set(
                "Retry",
                Value::List(retry.iter().map(Retry::to_value).collect()),
            );
        }
        if !catch.is_empty() {
            self.set(
                "Catch",
                Value::List(catch.iter().map(Catch::to_value).collect()),
            );
        }
    }

    fn transition(&mut self, t: &Transition) {
        match t {
            Transition::Unset => {}
            Transition::Next(n) => self.set("Next", n.as_str()),
            Transition::End => self.set("End", true),
        }
    }

    fn done(self) -> Value {
        Value::Map(self.0)
    }
}

/// What a task runs.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TaskKind {
    /// `arn:aws:states:::lambda:invoke` with `FunctionName` and `Payload`.
    Lambda { function: Value, payload: Payload },
    /// Any resource ARN with free `Parameters`.
    Generic {
        resource: Value,
        parameters: Option<Value>,
    },
}

/// The `Payload` of a Lambda invocation.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Payload {
    /// `"Payload.$": <path>`.
    Path(String),
    /// `"Payload": <json>`.
    Value(Value),
}

/// A `Task` state: a Lambda invocation through the optimized integration
/// (`arn:aws:states:::lambda:invoke`), or any service integration or
/// activity by resource ARN.
///
/// The state machine's role gets exactly what its tasks need: for a Lambda
/// task, `lambda:InvokeFunction` on the function (and its versions and
/// aliases, `<arn>:*`); for a generic task, the statements given with
/// [`Task::permission`].
///
/// ```
/// use formwork::stepfunctions::{Catch, Task};
/// let worker_arn = "arn:aws:lambda:ap-northeast-1:123456789012:function:poc-mc-vision-pipeline-worker";
/// let invoke = Task::lambda_invoke(worker_arn)
///     .payload_path("$")
///     .result_selector(serde_json::json!({"result.$": "$.Payload"}))
///     .catch(Catch::all("Failed"))
///     .end();
/// # let _ = invoke;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub(crate) kind: TaskKind,
    service_retry: bool,
    comment: Option<String>,
    pub(crate) input_path: Option<String>,
    pub(crate) output_path: Option<String>,
    result_selector: Option<Value>,
    pub(crate) result_path: Option<ResultPath>,
    pub(crate) timeout_seconds: Option<u32>,
    pub(crate) heartbeat_seconds: Option<u32>,
    pub(crate) retry: Vec<Retry>,
    pub(crate) catch: Vec<Catch>,
    pub(crate) transition: Transition,
    permissions: Vec<PolicyStatement>,
}

impl Task {
    fn with_kind(kind: TaskKind, service_retry: bool) -> Task {
        Task {
            kind,
            service_retry,
            comment: None,
            input_path: None,
            output_path: None,
            result_selector: None,
            result_path: None,
            timeout_seconds: None,
            heartbeat_seconds: None,
            retry: Vec::new(),
            catch: Vec::new(),
            transition: Transition::Unset,
            permissions: Vec::new(),
        }
    }

    /// Invokes a Lambda function (its ARN, or its name in the stack's
    /// account and region) with the state's input as the payload
    /// (`"Payload.$": "$"`), retrying transient Lambda service errors
    /// ([`Retry::lambda_service_errors`], first of the retriers; turn it
    /// off with [`Task::without_service_retry`]). The result is the
    /// invocation response: the function's output is under `Payload`.
    pub fn lambda_invoke(function: impl Into<Value>) -> Task {
        Task::with_kind(
            TaskKind::Lambda {
                function: function.into(),
                payload: Payload::Path("$".to_owned()),
            },
            true,
        )
    }

    /// Runs any resource: a service integration
    /// (`arn:aws:states:::sqs:sendMessage`) or an activity ARN. Give its
    /// input with [`Task::parameters`] and the permissions the role needs
    /// with [`Task::permission`].
    pub fn new(resource: impl Into<Value>) -> Task {
        Task::with_kind(
            TaskKind::Generic {
                resource: resource.into(),
                parameters: None,
            },
            false,
        )
    }

    /// A Lambda task's payload: a JSON object (keys ending in `.$` take
    /// paths: `{"s3_key.$": "$.s3_key"}`). No effect on other tasks.
    pub fn payload(mut self, payload: impl Into<Value>) -> Self {
        if let TaskKind::Lambda { payload: p, .. } = &mut self.kind {
            *p = Payload::Value(payload.into());
        }
        self
    }

    /// A Lambda task's payload taken from a path of the input (`"Payload.$"`).
    pub fn payload_path(mut self, path: impl Into<String>) -> Self {
        if let TaskKind::Lambda { payload: p, .. } = &mut self.kind {
            *p = Payload::Path(path.into());
        }
        self
    }

    /// Drops the default Lambda service-error retrier.
    pub fn without_service_retry(mut self) -> Self {
        self.service_retry = false;
        self
    }

    /// A generic task's `Parameters` (keys ending in `.$` take paths). No
    /// effect on Lambda tasks (use [`Task::payload`]).
    pub fn parameters(mut self, parameters: impl Into<Value>) -> Self {
        if let TaskKind::Generic { parameters: p, .. } = &mut self.kind {
            *p = Some(parameters.into());
        }
        self
    }

    /// A statement the state machine's role needs to run this task
    /// (generic tasks; Lambda tasks get theirs automatically).
    pub fn permission(mut self, statement: PolicyStatement) -> Self {
        self.permissions.push(statement);
        self
    }

    /// Fails the task with `States.Timeout` after this many seconds.
    pub fn timeout_seconds(mut self, seconds: u32) -> Self {
        self.timeout_seconds = Some(seconds);
        self
    }

    /// Fails the task when no heartbeat arrives for this many seconds
    /// (less than the timeout).
    pub fn heartbeat_seconds(mut self, seconds: u32) -> Self {
        self.heartbeat_seconds = Some(seconds);
        self
    }

    /// The retriers as written (the service retrier first).
    pub(crate) fn all_retries(&self) -> Vec<Retry> {
        let mut out = Vec::new();
        if self.service_retry {
            out.push(Retry::lambda_service_errors());
        }
        out.extend(self.retry.iter().cloned());
        out
    }

    /// The statements the state machine's role needs for this task.
    pub(crate) fn role_statements(&self) -> Vec<PolicyStatement> {
        let mut out = self.permissions.clone();
        if let TaskKind::Lambda { function, .. } = &self.kind {
            let arn = function_arn(function);
            let versions = Fn::concat([arn.clone(), Value::from(":*")]);
            out.push(
                PolicyStatement::allow()
                    .actions(["lambda:InvokeFunction"])
                    .resources([arn, versions.into()]),
            );
        }
        out
    }

    fn to_value(&self) -> Value {
        let mut k = Keys::new("Task", &self.comment);
        match &self.kind {
            TaskKind::Lambda { function, payload } => {
                k.set(
                    "Resource",
                    Fn::concat([
                        Value::from("arn:"),
                        Pseudo::Partition.into(),
                        Value::from(":states:::lambda:invoke"),
                    ]),
                );
                k.opt_str("InputPath", &self.input_path);
                let mut p = ValueMap::default();
                p.insert("FunctionName".to_owned(), function.clone());
                match payload {
                    Payload::Path(path) => {
                        p.insert("Payload.$".to_owned(), Value::from(path.as_str()))
                    }
                    Payload::Value(v) => p.insert("Payload".to_owned(), v.clone()),
                };
                k.set("Parameters", Value::Map(p));
            }
            TaskKind::Generic {
                resource,
                parameters,
            } => {
                k.set("Resource", resource.clone());
                k.opt_str("InputPath", &self.input_path);
                k.opt("Parameters", parameters);
            }
        }
        k.opt("ResultSelector", &self.result_selector);
        k.result_path(&self.result_path);
        k.opt_str("OutputPath", &self.output_path);
        if let Some(t) = self.timeout_seconds {
            k.set("TimeoutSeconds", t);
        }
        if let Some(h) = self.heartbeat_seconds {
            k.set("HeartbeatSeconds", h);
        }
        k.errors(&self.all_retries(), &self.catch);
        k.transition(&self.transition);
        k.done()
    }
}

io_setters!(Task);
result_setters!(Task);
next_setters!(Task);

/// A function's ARN for IAM: an ARN as given, or a literal function name
/// turned into `arn:<partition>:lambda:<region>:<account>:function:<name>`.
fn function_arn(function: &Value) -> Value {
    match function.as_str() {
        Some(name) if !name.starts_with("arn:") => Fn::concat([
            Value::from("arn:"),
            Pseudo::Partition.into(),
            Value::from(":lambda:"),
            Pseudo::Region.into(),
            Value::from(":"),
            Pseudo::AccountId.into(),
            Value::from(format!(":function:{name}")),
        ])
        .into(),
        _ => function.clone(),
    }
}

/// A `Pass` state: passes its input on, optionally reshaped or with a
/// fixed result.
///
/// ```
/// use formwork::stepfunctions::Pass;
/// let defaults = Pass::new().result(serde_json::json!({"inference_type": "bedrock"})).result_path("$.defaults").next("Route");
/// # let _ = defaults;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pass {
    comment: Option<String>,
    pub(crate) input_path: Option<String>,
    pub(crate) output_path: Option<String>,
    parameters: Option<Value>,
    result: Option<Value>,
    pub(crate) result_path: Option<String>,
    pub(crate) transition: Transition,
}

impl Pass {
    /// A state that passes its input through.
    pub fn new() -> Pass {
        Pass::default()
    }

    /// `Parameters`: the state's effective input (keys ending in `.$` take paths).
    pub fn parameters(mut self, parameters: impl Into<Value>) -> Self {
        self.parameters = Some(parameters.into());
        self
    }

    /// `Result`: a fixed result instead of the input.
    pub fn result(mut self, result: impl Into<Value>) -> Self {
        self.result = Some(result.into());
        self
    }

    /// `ResultPath`: where the result goes in the input.
    pub fn result_path(mut self, path: impl Into<String>) -> Self {
        self.result_path = Some(path.into());
        self
    }

    fn to_value(&self) -> Value {
        let mut k = Keys::new("Pass", &self.comment);
        k.opt_str("InputPath", &self.input_path);
        k.opt("Parameters", &self.parameters);
        k.opt("Result", &self.result);
        k.opt_str("ResultPath", &self.result_path);
        k.opt_str("OutputPath", &self.output_path);
        k.transition(&self.transition);
        k.done()
    }
}

io_setters!(Pass);
next_setters!(Pass);

/// A `Choice` state: goes to the first rule's state whose condition holds,
/// else to the default.
///
/// ```
/// use formwork::stepfunctions::{Choice, Condition};
/// let route = Choice::new()
///     .when(Condition::string_equals("$.inference_type", "sagemaker"), "Invoke")
///     .when(Condition::string_equals("$.inference_type", "bedrock"), "Invoke")
///     .otherwise("Unsupported");
/// # let _ = route;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Choice {
    comment: Option<String>,
    pub(crate) input_path: Option<String>,
    pub(crate) output_path: Option<String>,
    pub(crate) rules: Vec<(Condition, String)>,
    pub(crate) default: Option<String>,
}

impl Choice {
    /// A choice without rules yet (at least one is needed).
    pub fn new() -> Choice {
        Choice::default()
    }

    /// Goes to `next` when `condition` holds (rules are tried in order).
    pub fn when(mut self, condition: Condition, next: impl Into<String>) -> Self {
        self.rules.push((condition, next.into()));
        self
    }

    /// Goes to `next` when no rule holds (`Default`; without it the
    /// execution fails with `States.NoChoiceMatched`).
    pub fn otherwise(mut self, next: impl Into<String>) -> Self {
        self.default = Some(next.into());
        self
    }

    fn to_value(&self) -> Value {
        let mut k = Keys::new("Choice", &self.comment);
        k.opt_str("InputPath", &self.input_path);
        let rules = self
            .rules
            .iter()
            .map(|(c, next)| {
                let mut m = c.to_map();
                m.insert("Next".to_owned(), Value::from(next.as_str()));
                Value::Map(m)
            })
            .collect();
        k.set("Choices", Value::List(rules));
        k.opt_str("Default", &self.default);
        k.opt_str("OutputPath", &self.output_path);
        k.done()
    }
}

io_setters!(Choice);

/// How long a [`Wait`] waits.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum WaitFor {
    /// `Seconds`
    Seconds(u32),
    /// `Timestamp`
    Timestamp(String),
    /// `SecondsPath`
    SecondsPath(String),
    /// `TimestampPath`
    TimestampPath(String),
}

/// A `Wait` state: waits a number of seconds or until a time.
///
/// ```
/// use formwork::stepfunctions::Wait;
/// let pause = Wait::seconds(30).next("Poll");
/// let until = Wait::timestamp_path("$.not_before").next("Run");
/// # let _ = (pause, until);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Wait {
    pub(crate) wait: WaitFor,
    comment: Option<String>,
    pub(crate) input_path: Option<String>,
    pub(crate) output_path: Option<String>,
    pub(crate) transition: Transition,
}

impl Wait {
    fn of(wait: WaitFor) -> Wait {
        Wait {
            wait,
            comment: None,
            input_path: None,
            output_path: None,
            transition: Transition::Unset,
        }
    }

    /// Waits `seconds` (at most 99,999,999).
    pub fn seconds(seconds: u32) -> Wait {
        Wait::of(WaitFor::Seconds(seconds))
    }

    /// Waits until an RFC 3339 timestamp (`2026-01-01T00:00:00Z`).
    pub fn until(timestamp: impl Into<String>) -> Wait {
        Wait::of(WaitFor::Timestamp(timestamp.into()))
    }

    /// Waits the number of seconds at a path of the input.
    pub fn seconds_path(path: impl Into<String>) -> Wait {
        Wait::of(WaitFor::SecondsPath(path.into()))
    }

    /// Waits until the timestamp at a path of the input.
    pub fn timestamp_path(path: impl Into<String>) -> Wait {
        Wait::of(WaitFor::TimestampPath(path.into()))
    }

    fn to_value(&self) -> Value {
        let mut k = Keys::new("Wait", &self.comment);
        match &self.wait {
            WaitFor::Seconds(s) => k.set("Seconds", *s),
            WaitFor::Timestamp(t) => k.set("Timestamp", t.as_str()),
            WaitFor::SecondsPath(p) => k.set("SecondsPath", p.as_str()),
            WaitFor::TimestampPath(p) => k.set("TimestampPath", p.as_str()),
        }
        k.opt_str("InputPath", &self.input_path);
        k.opt_str("OutputPath", &self.output_path);
        k.transition(&self.transition);
        k.done()
    }
}

io_setters!(Wait);
next_setters!(Wait);

/// A `Map` state: runs its item processor (a definition of its own) for
/// each item of an array of the input (inline mode).
///
/// ```
/// use formwork::stepfunctions::{Definition, Map, Task};
/// let each = Definition::new("Infer")
///     .state("Infer", Task::lambda_invoke("poc-mc-vision-pipeline-worker").end());
/// let all = Map::new(each).items_path("$.images").max_concurrency(4).end();
/// # let _ = all;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Map {
    pub(crate) processor: Box<Definition>,
    comment: Option<String>,
    pub(crate) input_path: Option<String>,
    pub(crate) output_path: Option<String>,
    pub(crate) items_path: Option<String>,
    item_selector: Option<Value>,
    max_concurrency: Option<u32>,
    result_selector: Option<Value>,
    pub(crate) result_path: Option<ResultPath>,
    pub(crate) retry: Vec<Retry>,
    pub(crate) catch: Vec<Catch>,
    pub(crate) transition: Transition,
}

impl Map {
    /// A map over the input array (`$`) with this item processor.
    pub fn new(processor: Definition) -> Map {
        Map {
            processor: Box::new(processor),
            comment: None,
            input_path: None,
            output_path: None,
            items_path: None,
            item_selector: None,
            max_concurrency: None,
            result_selector: None,
            result_path: None,
            retry: Vec::new(),
            catch: Vec::new(),
            transition: Transition::Unset,
        }
    }

    /// `ItemsPath`: the array to iterate over (default `$`).
    pub fn items_path(mut self, path: impl Into<String>) -> Self {
        self.items_path = Some(path.into());
        self
    }

    /// `ItemSelector`: the input of each iteration (`{"item.$": "$$.Map.Item.Value"}`).
    pub fn item_selector(mut self, selector: impl Into<Value>) -> Self {
        self.item_selector = Some(selector.into());
        self
    }

    /// `MaxConcurrency`: iterations at once (0, the default: as many as possible).
    pub fn max_concurrency(mut self, n: u32) -> Self {
        self.max_concurrency = Some(n);
        self
    }

    fn to_value(&self) -> Value {
        let mut k = Keys::new("Map", &self.comment);
        k.opt_str("InputPath", &self.input_path);
        k.opt_str("ItemsPath", &self.items_path);
        k.opt("ItemSelector", &self.item_selector);
        if let Some(n) = self.max_concurrency {
            k.set("MaxConcurrency", n);
        }
        k.set("ItemProcessor", self.processor.to_value());
        k.opt("ResultSelector", &self.result_selector);
        k.result_path(&self.result_path);
        k.opt_str("OutputPath", &self.output_path);
        k.errors(&self.retry, &self.catch);
        k.transition(&self.transition);
        k.done()
    }
}

io_setters!(Map);
result_setters!(Map);
next_setters!(Map);

/// A `Parallel` state: runs its branches (definitions of their own) at
/// once; the result is the array of their results.
///
/// ```
/// use formwork::stepfunctions::{Definition, Parallel, Pass};
/// let both = Parallel::new()
///     .branch(Definition::new("A").state("A", Pass::new().end()))
///     .branch(Definition::new("B").state("B", Pass::new().end()))
///     .next("Merge");
/// # let _ = both;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parallel {
    pub(crate) branches: Vec<Definition>,
    comment: Option<String>,
    pub(crate) input_path: Option<String>,
    pub(crate) output_path: Option<String>,
    parameters: Option<Value>,
    result_selector: Option<Value>,
    pub(crate) result_path: Option<ResultPath>,
    pub(crate) retry: Vec<Retry>,
    pub(crate) catch: Vec<Catch>,
    pub(crate) transition: Transition,
}

impl Parallel {
    /// A parallel state without branches yet.
    pub fn new() -> Parallel {
        Parallel::default()
    }

    /// Adds a branch.
    pub fn branch(mut self, branch: Definition) -> Self {
        self.branches.push(branch);
        self
    }

    /// `Parameters`: the input every branch gets (keys ending in `.$` take paths).
    pub fn parameters(mut self, parameters: impl Into<Value>) -> Self {
        self.parameters = Some(parameters.into());
        self
    }

    fn to_value(&self) -> Value {
        let mut k = Keys::new("Parallel", &self.comment);
        k.opt_str("InputPath", &self.input_path);
        k.opt("Parameters", &self.parameters);
        k.set(
            "Branches",
            Value::List(self.branches.iter().map(Definition::to_value).collect()),
        );
        k.opt("ResultSelector", &self.result_selector);
        k.result_path(&self.result_path);
        k.opt_str("OutputPath", &self.output_path);
        k.errors(&self.retry, &self.catch);
        k.transition(&self.transition);
        k.done()
    }
}

io_setters!(Parallel);
result_setters!(Parallel);
next_setters!(Parallel);

/// A `Succeed` state: ends the execution (or branch) successfully.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Succeed {
    comment: Option<String>,
}

impl Succeed {
    /// A success.
    pub fn new() -> Succeed {
        Succeed::default()
    }

    /// A human-readable comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    fn to_value(&self) -> Value {
        Keys::new("Succeed", &self.comment).done()
    }
}

/// A `Fail` state: ends the execution (or branch) with an error and a cause.
///
/// ```
/// use formwork::stepfunctions::Fail;
/// let unsupported = Fail::new().error("UnsupportedInferenceType").cause("inference_type must be sagemaker, bedrock or azure");
/// # let _ = unsupported;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fail {
    comment: Option<String>,
    error: Option<String>,
    cause: Option<String>,
}

impl Fail {
    /// A failure without error name or cause.
    pub fn new() -> Fail {
        Fail::default()
    }

    /// A human-readable comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// The error name.
    pub fn error(mut self, error: impl Into<String>) -> Self {
        self.error = Some(error.into());
        self
    }

    /// The cause (a human-readable message).
    pub fn cause(mut self, cause: impl Into<String>) -> Self {
        self.cause = Some(cause.into());
        self
    }

    fn to_value(&self) -> Value {
        let mut k = Keys::new("Fail", &self.comment);
        k.opt_str("Error", &self.error);
        k.opt_str("Cause", &self.cause);
        k.done()
    }
}

/// One state of a [`Definition`]: any of the state builders converts
/// into it.
#[derive(Clone, Debug, PartialEq)]
pub enum State {
    /// A [`Task`].
    Task(Task),
    /// A [`Pass`].
    Pass(Pass),
    /// A [`Choice`].
    Choice(Choice),
    /// A [`Wait`].
    Wait(Wait),
    /// A [`Map`].
    Map(Map),
    /// A [`Parallel`].
    Parallel(Parallel),
    /// A [`Succeed`].
    Succeed(Succeed),
    /// A [`Fail`].
    Fail(Fail),
}

macro_rules! into_state {
    ($($t:ident),*) => {$(
        impl From<$t> for State {
            fn from(s: $t) -> State {
                State::$t(s)
            }
        }
    )*};
}
into_state!(Task, Pass, Choice, Wait, Map, Parallel, Succeed, Fail);

impl State {
    /// The ASL `Type`.
    pub fn type_name(&self) -> &'static str {
        match self {
            State::Task(_) => "Task",
            State::Pass(_) => "Pass",
            State::Choice(_) => "Choice",
            State::Wait(_) => "Wait",
            State::Map(_) => "Map",
            State::Parallel(_) => "Parallel",
            State::Succeed(_) => "Succeed",
            State::Fail(_) => "Fail",
        }
    }

    /// The state as ASL JSON (expressions stay expressions).
    pub(crate) fn to_value(&self) -> Value {
        match self {
            State::Task(s) => s.to_value(),
            State::Pass(s) => s.to_value(),
            State::Choice(s) => s.to_value(),
            State::Wait(s) => s.to_value(),
            State::Map(s) => s.to_value(),
            State::Parallel(s) => s.to_value(),
            State::Succeed(s) => s.to_value(),
            State::Fail(s) => s.to_value(),
        }
    }

    /// `Next` or `End`, for states that have them (`None` for `Choice`,
    /// `Succeed` and `Fail`).
    pub(crate) fn transition(&self) -> Option<&Transition> {
        match self {
            State::Task(s) => Some(&s.transition),
            State::Pass(s) => Some(&s.transition),
            State::Wait(s) => Some(&s.transition),
            State::Map(s) => Some(&s.transition),
            State::Parallel(s) => Some(&s.transition),
            State::Choice(_) | State::Succeed(_) | State::Fail(_) => None,
        }
    }

    /// The catchers.
    pub(crate) fn catchers(&self) -> &[Catch] {
        match self {
            State::Task(s) => &s.catch,
            State::Map(s) => &s.catch,
            State::Parallel(s) => &s.catch,
            _ => &[],
        }
    }

    /// The retriers as written.
    pub(crate) fn retriers(&self) -> Vec<Retry> {
        match self {
            State::Task(s) => s.all_retries(),
            State::Map(s) => s.retry.clone(),
            State::Parallel(s) => s.retry.clone(),
            _ => Vec::new(),
        }
    }

    /// Nested definitions: a Map's item processor, a Parallel's branches.
    pub(crate) fn children(&self) -> Vec<(String, &Definition)> {
        match self {
            State::Map(m) => vec![("ItemProcessor".to_owned(), &*m.processor)],
            State::Parallel(p) => p
                .branches
                .iter()
                .enumerate()
                .map(|(i, b)| (format!("Branches[{i}]"), b))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Paths to check, with their property names.
    pub(crate) fn paths(&self) -> Vec<(&'static str, &str)> {
        let mut out: Vec<(&'static str, &str)> = Vec::new();
        let (input, output) = match self {
            State::Task(s) => (&s.input_path, &s.output_path),
            State::Pass(s) => (&s.input_path, &s.output_path),
            State::Choice(s) => (&s.input_path, &s.output_path),
            State::Wait(s) => (&s.input_path, &s.output_path),
            State::Map(s) => (&s.input_path, &s.output_path),
            State::Parallel(s) => (&s.input_path, &s.output_path),
            State::Succeed(_) | State::Fail(_) => return out,
        };
        if let Some(p) = input {
            out.push(("InputPath", p));
        }
        if let Some(p) = output {
            out.push(("OutputPath", p));
        }
        let result = match self {
            State::Task(s) => s.result_path.as_ref(),
            State::Map(s) => s.result_path.as_ref(),
            State::Parallel(s) => s.result_path.as_ref(),
            _ => None,
        };
        if let Some(ResultPath::Path(p)) = result {
            out.push(("ResultPath", p));
        }
        if let State::Pass(s) = self {
            if let Some(p) = &s.result_path {
                out.push(("ResultPath", p));
            }
        }
        if let State::Map(s) = self {
            if let Some(p) = &s.items_path {
                out.push(("ItemsPath", p));
            }
        }
        if let State::Wait(s) = self {
            match &s.wait {
                WaitFor::SecondsPath(p) => out.push(("SecondsPath", p)),
                WaitFor::TimestampPath(p) => out.push(("TimestampPath", p)),
                _ => {}
            }
        }
        if let State::Task(Task {
            kind:
                TaskKind::Lambda {
                    payload: Payload::Path(p),
                    ..
                },
            ..
        }) = self
        {
            out.push(("Parameters.Payload.$", p));
        }
        out
    }

    /// The statements the state machine's role needs for this state and
    /// the states nested in it.
    pub(crate) fn role_statements(&self) -> Vec<PolicyStatement> {
        let mut out = match self {
            State::Task(t) => t.role_statements(),
            _ => Vec::new(),
        };
        for (_, d) in self.children() {
            out.extend(d.role_statements());
        }
        out
    }
}
