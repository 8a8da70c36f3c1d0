//! RuleTarget: what a rule sends matched events to (a function, a queue, a
//! topic, a state machine), with its input, retries and dead-letter queue,
//! and the permission each target needs.

use std::time::Duration;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Result, Scope};
use formwork_l1::events::rule;
use serde_json::Value as Json;

use super::codes;
#[cfg(feature = "sqs")]
use crate::sqs::Queue;

// Without a modelled target service, only `RuleTarget::other` exists.
#[cfg_attr(
    not(any(
        feature = "lambda",
        feature = "sqs",
        feature = "sns",
        feature = "stepfunctions"
    )),
    allow(unused_mut, unused_variables, dead_code)
)]
const EVENTS: &str = "events.amazonaws.com";

/// What a target receives instead of the whole event.
#[derive(Clone, Debug, PartialEq)]
pub enum TargetInput {
    /// A fixed JSON document (at most 8192 characters).
    Json(Json),
    /// A part of the event, by JSONPath (`$.detail`).
    Path(String),
    /// Values taken from the event (`paths`: name to JSONPath) put into a
    /// template that names them as `<name>`.
    Transformer {
        /// Up to 100 names and the JSONPath of each (`("state",
        /// "$.detail.state")`).
        paths: Vec<(String, String)>,
        /// The text sent, with `<name>` placeholders (`"\"<state>\""` for
        /// a JSON string; a template that is JSON stays JSON).
        template: String,
    },
}

/// How long and how often EventBridge retries a target that fails.
///
/// Defaults (EventBridge's own): 185 attempts over 24 hours.
///
/// ```
/// use std::time::Duration;
/// use formwork::events::RetryPolicy;
/// let r = RetryPolicy::new().max_retry_attempts(3).max_event_age(Duration::from_secs(3600));
/// # let _ = r;
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RetryPolicy {
    attempts: Option<u32>,
    age: Option<Duration>,
}

impl RetryPolicy {
    /// EventBridge's defaults.
    pub fn new() -> Self {
        RetryPolicy::default()
    }
    /// Retries before giving up (0 to 185).
    pub fn max_retry_attempts(mut self, n: u32) -> Self {
        self.attempts = Some(n);
        self
    }
    /// How old an event may get and still be retried (60 s to 24 h, whole
    /// seconds).
    pub fn max_event_age(mut self, age: Duration) -> Self {
        self.age = Some(age);
        self
    }
}

#[derive(Clone, Debug)]
enum Kind {
    Other {
        arn: Str,
        role_arn: Option<Str>,
    },
    #[cfg(feature = "lambda")]
    Lambda(crate::lambda::Function),
    #[cfg(feature = "sqs")]
    Sqs(Queue),
    #[cfg(feature = "sns")]
    Sns(crate::sns::Topic),
    #[cfg(feature = "stepfunctions")]
    StateMachine(crate::stepfunctions::StateMachine),
}

/// A target of a [`Rule`](super::Rule), added with
/// [`Rule::add_target`](super::Rule::add_target), with what it needs:
///
/// | target | permission added |
/// |---|---|
/// | [`other`](RuleTarget::other) | none (yours to give) |
/// | [`lambda`](RuleTarget::lambda) | an `AWS::Lambda::Permission` for `events.amazonaws.com` with `SourceArn` the rule |
/// | [`sqs`](RuleTarget::sqs) | a queue policy statement for `events.amazonaws.com` with `aws:SourceArn` the rule (and its key's use) |
/// | [`sns`](RuleTarget::sns) | a topic policy statement likewise (the topic needs a customer managed key) |
/// | [`state_machine`](RuleTarget::state_machine) | a role (`<rule>/EventsRole`) EventBridge assumes, with `states:StartExecution` on that machine only |
///
/// A dead-letter queue gets the same queue policy statement as an SQS
/// target. Input: the whole event unless [`input`](RuleTarget::input)
/// says otherwise.
///
/// ```
/// # #[cfg(feature = "sqs")] {
/// use std::time::Duration;
/// use formwork::events::{RetryPolicy, RuleTarget, TargetInput};
/// # use formwork::App;
/// # use formwork::sqs::{Queue, QueueProps};
/// # let app = App::new();
/// # let stack = app.stack("S")?;
/// # let queue = Queue::new(&stack, "Q", QueueProps::new())?;
/// # let dlq = Queue::new(&stack, "Dlq", QueueProps::new())?;
/// let target = RuleTarget::sqs(&queue)
///     .input(TargetInput::Path("$.detail".into()))
///     .retry_policy(RetryPolicy::new().max_retry_attempts(3))
///     .dead_letter_queue(&dlq);
/// # let _ = target;
/// # }
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct RuleTarget {
    kind: Kind,
    input: Option<TargetInput>,
    retry: Option<RetryPolicy>,
    #[cfg(feature = "sqs")]
    dead_letter: Option<Queue>,
    message_group_id: Option<Str>,
}

impl RuleTarget {
    fn of(kind: Kind) -> RuleTarget {
        RuleTarget {
            kind,
            input: None,
            retry: None,
            #[cfg(feature = "sqs")]
            dead_letter: None,
            message_group_id: None,
        }
    }

    /// A target formwork does not model (a Kinesis stream, an API
    /// destination, …), by ARN, with the role EventBridge assumes for it if
    /// it needs one: give the target or the role its permissions yourself.
    pub fn other(arn: impl Into<Str>, role_arn: Option<Str>) -> RuleTarget {
        RuleTarget::of(Kind::Other {
            arn: arn.into(),
            role_arn,
        })
    }

    /// Invokes a function (asynchronously).
    #[cfg(feature = "lambda")]
    pub fn lambda(function: &crate::lambda::Function) -> RuleTarget {
        RuleTarget::of(Kind::Lambda(function.clone()))
    }

    /// Sends to a queue (a FIFO queue needs
    /// [`message_group_id`](RuleTarget::message_group_id)).
    #[cfg(feature = "sqs")]
    pub fn sqs(queue: &Queue) -> RuleTarget {
        RuleTarget::of(Kind::Sqs(queue.clone()))
    }

    /// Publishes to a topic (encrypted with a customer managed key: the
    /// AWS managed `alias/aws/sns` cannot be used by EventBridge).
    #[cfg(feature = "sns")]
    pub fn sns(topic: &crate::sns::Topic) -> RuleTarget {
        RuleTarget::of(Kind::Sns(topic.clone()))
    }

    /// Starts an execution of a state machine.
    #[cfg(feature = "stepfunctions")]
    pub fn state_machine(machine: &crate::stepfunctions::StateMachine) -> RuleTarget {
        RuleTarget::of(Kind::StateMachine(machine.clone()))
    }

    /// What the target receives instead of the whole event.
    pub fn input(mut self, input: TargetInput) -> Self {
        self.input = Some(input);
        self
    }

    /// Retries of failed deliveries.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Where events go that could not be delivered (a standard queue).
    #[cfg(feature = "sqs")]
    pub fn dead_letter_queue(mut self, queue: &Queue) -> Self {
        self.dead_letter = Some(queue.clone());
        self
    }

    /// The message group of a FIFO queue target (required for one, refused
    /// for other targets).
    pub fn message_group_id(mut self, id: impl Into<Str>) -> Self {
        self.message_group_id = Some(id.into());
        self
    }

    fn is_fifo_queue(&self) -> bool {
        match &self.kind {
            #[cfg(feature = "sqs")]
            Kind::Sqs(q) => q.is_fifo(),
            _ => false,
        }
    }

    /// Checks the target, adds the permissions it needs for the rule at
    /// `rule` (ARN `rule_arn`) as its target number `index` (id `Target<index>`)
    /// and returns the L1 target.
    #[cfg_attr(
        not(any(
            feature = "lambda",
            feature = "sqs",
            feature = "sns",
            feature = "stepfunctions"
        )),
        allow(unused_mut, unused_variables, dead_code)
    )]
    pub(super) fn bind(
        &self,
        rule: &Scope,
        rule_arn: &Expr,
        index: usize,
        events_role: &dyn Fn() -> Result<crate::iam::Role>,
    ) -> Result<rule::Target> {
        let id = format!("Target{index}");
        let mut t = rule::Target::new().id(id.as_str());
        // The property path of the rule resource, as the schema's checks
        // name it: an error found here covers theirs on the same value.
        let error = |code: &'static str, property: &str, message: String, fix: &str| {
            rule.report(
                Diagnostic::error(code, rule.path(), message)
                    .property(format!("Targets[{index}].{property}"))
                    .fix(fix),
            );
        };
        let fifo_queue = self.is_fifo_queue();
        match &self.kind {
            Kind::Other { arn, role_arn } => {
                t = t.arn(arn.clone());
                if let Some(r) = role_arn {
                    t = t.role_arn(r.clone());
                }
            }
            #[cfg(feature = "lambda")]
            Kind::Lambda(f) => {
                f.add_permission(
                    &format!("{}Invoke", permission_stem(rule, f.scope())),
                    crate::lambda::PermissionProps::new(EVENTS).source_arn(rule_arn.clone()),
                )?;
                t = t.arn(f.arn());
            }
            #[cfg(feature = "sqs")]
            Kind::Sqs(q) => {
                q.allow_service_send(EVENTS, rule_arn.clone())?;
                t = t.arn(q.arn());
            }
            #[cfg(feature = "sns")]
            Kind::Sns(topic) => {
                if topic.encryption_key().is_none() {
                    error(
                        codes::TOPIC_KEY,
                        "Arn",
                        format!(
                            "the topic {} is encrypted with the AWS managed key alias/aws/sns, which EventBridge cannot use: every event would fail to publish",
                            topic.scope().path()
                        ),
                        "give the topic a customer managed key: TopicProps::encryption(TopicEncryption::Kms { key: None })",
                    );
                }
                topic.allow_service_publish(EVENTS, rule_arn.clone())?;
                t = t.arn(topic.arn());
            }
            #[cfg(feature = "stepfunctions")]
            Kind::StateMachine(m) => {
                let role = events_role()?;
                m.grant_start_execution(&role)?;
                t = t.arn(m.arn()).role_arn(role.arn());
            }
        }
        let _ = events_role;
        match (&self.message_group_id, fifo_queue) {
            (Some(g), true) => {
                t = t.sqs_parameters(rule::SqsParameters::new().message_group_id(g.clone()))
            }
            (None, true) => error(
                codes::FIFO_TARGET,
                "SqsParameters.MessageGroupId",
                "a FIFO queue target without a message group id".to_owned(),
                "set RuleTarget::message_group_id",
            ),
            (Some(_), false) => error(
                codes::FIFO_TARGET,
                "SqsParameters.MessageGroupId",
                "a message group id on a target that is not a FIFO queue".to_owned(),
                "remove RuleTarget::message_group_id",
            ),
            (None, false) => {}
        }
        if let Some(input) = &self.input {
            t = input_of(t, input, &error);
        }
        if let Some(r) = self.retry {
            let mut p = rule::RetryPolicy::new();
            if let Some(n) = r.attempts {
                if n > 185 {
                    error(
                        codes::RETRY,
                        "RetryPolicy.MaximumRetryAttempts",
                        format!("{n} retry attempts is out of range; allowed: 0 to 185"),
                        "choose 0 to 185 attempts",
                    );
                }
                p = p.maximum_retry_attempts(n);
            }
            if let Some(age) = r.age {
                let s = age.as_secs();
                if !(60..=86_400).contains(&s) || age.subsec_nanos() != 0 {
                    error(
                        codes::RETRY,
                        "RetryPolicy.MaximumEventAgeInSeconds",
                        format!(
                            "a maximum event age of {age:?} is out of range; allowed: 60 to 86400 whole seconds"
                        ),
                        "choose 1 minute to 24 hours",
                    );
                }
                p = p.maximum_event_age_in_seconds(s);
            }
            t = t.retry_policy(p);
        }
        #[cfg(feature = "sqs")]
        if let Some(dlq) = &self.dead_letter {
            if dlq.is_fifo() {
                error(
                    codes::DEAD_LETTER,
                    "DeadLetterConfig.Arn",
                    format!(
                        "the dead-letter queue {} is a FIFO queue; EventBridge dead-letter queues are standard queues",
                        dlq.scope().path()
                    ),
                    "use a standard queue",
                );
            }
            dlq.allow_service_send(EVENTS, rule_arn.clone())?;
            t = t.dead_letter_config(rule::DeadLetterConfig::new().arn(dlq.arn()));
        }
        Ok(t)
    }
}

/// What the id of a function's invoke permission for `rule` starts with:
/// the rule's logical id, or, for a rule made inside the function (an
/// event source's), its path below the function, so the permission's
/// logical id does not repeat the function's (`ThumbsUploadsEventsInvoke`,
/// not `ThumbsThumbsUploadsEventsInvoke`).
#[cfg(feature = "lambda")]
fn permission_stem(rule: &Scope, function: &Scope) -> String {
    let below = (rule.stack().id() == function.stack().id())
        .then(|| {
            rule.relative_path()
                .strip_prefix(function.relative_path())?
                .strip_prefix('/')
        })
        .flatten()
        .filter(|rest| !rest.is_empty() && !function.relative_path().is_empty());
    match below {
        Some(rest) => formwork_core::logical_id_for_path(rest),
        None => rule.logical_id(),
    }
}

fn input_of(
    t: rule::Target,
    input: &TargetInput,
    error: &dyn Fn(&'static str, &str, String, &str),
) -> rule::Target {
    match input {
        TargetInput::Json(v) => {
            let text = v.to_string();
            if text.len() > 8192 {
                error(
                    codes::INPUT,
                    "Input",
                    format!(
                        "the input is {} characters; allowed: at most 8192",
                        text.len()
                    ),
                    "send less, or send a part of the event with TargetInput::Path",
                );
            }
            t.input(text)
        }
        TargetInput::Path(p) => {
            if !p.starts_with('$') {
                error(
                    codes::INPUT,
                    "InputPath",
                    format!("the input path `{p}` is not a JSONPath"),
                    "start it with `$` (`$.detail`)",
                );
            }
            t.input_path(p.as_str())
        }
        TargetInput::Transformer { paths, template } => {
            if paths.len() > 100 {
                error(
                    codes::INPUT,
                    "InputTransformer.InputPathsMap",
                    format!("{} input paths; allowed: at most 100", paths.len()),
                    "use fewer",
                );
            }
            for (name, path) in paths {
                let name_ok = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if !name_ok || !path.starts_with('$') {
                    error(
                        codes::INPUT,
                        "InputTransformer.InputPathsMap",
                        format!(
                            "the input path `{name}`: `{path}` is refused; names are A-Z a-z 0-9 _ -, paths are JSONPaths starting with `$`"
                        ),
                        "fix the name or the path",
                    );
                }
            }
            let unknown: Vec<&str> = placeholders(template)
                .filter(|p| !paths.iter().any(|(n, _)| n == p) && !RESERVED.contains(p))
                .collect();
            if !unknown.is_empty() {
                error(
                    codes::INPUT,
                    "InputTransformer.InputTemplate",
                    format!(
                        "the input template uses <{}>, which the input paths do not define",
                        unknown.join(">, <")
                    ),
                    "add them to the paths, or remove them from the template",
                );
            }
            t.input_transformer(
                rule::InputTransformer::new()
                    .input_paths_map(
                        paths
                            .iter()
                            .map(|(k, v)| (k.clone(), Str::from(v.as_str())))
                            .collect::<Vec<_>>(),
                    )
                    .input_template(template.as_str()),
            )
        }
    }
}

/// Placeholders EventBridge fills without an input path.
const RESERVED: &[&str] = &[
    "aws.events.rule-arn",
    "aws.events.rule-name",
    "aws.events.event.ingestion-time",
    "aws.events.event",
    "aws.events.event.json",
];

fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template.split('<').skip(1).filter_map(|s| {
        let (name, _) = s.split_once('>')?;
        (!name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .then_some(name)
    })
}
