//! S3EventBridgeSource: a bucket's object events delivered to a function
//! through Amazon EventBridge: no bucket name needed, no ordering between
//! the bucket and the permission, and object access through the bucket.

use std::panic::Location;

use formwork_core::{Diagnostic, Result, Value, ValueMap};

use super::{EventSource, event_source_codes as codes};
use crate::events::{EventPattern, RetryPolicy, Rule, RuleProps, RuleTarget};
use crate::lambda::Function;
use crate::s3::Bucket;
#[cfg(feature = "sqs")]
use crate::sqs::Queue;

/// An object event S3 sends to EventBridge: its `detail-type`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum S3ObjectEvent {
    /// `Object Created` (a put, post, copy or completed multipart upload).
    Created,
    /// `Object Deleted` (by a request or a lifecycle expiration; a delete
    /// marker too).
    Deleted,
    /// `Object Restore Initiated` (from an archive storage class or tier).
    RestoreInitiated,
    /// `Object Restore Completed`.
    RestoreCompleted,
    /// `Object Restore Expired` (the restored copy was removed).
    RestoreExpired,
    /// `Object Tags Added`.
    TagsAdded,
    /// `Object Tags Deleted`.
    TagsDeleted,
    /// `Object ACL Updated`.
    AclUpdated,
    /// `Object Storage Class Changed` (a lifecycle transition).
    StorageClassChanged,
    /// `Object Access Tier Changed` (S3 Intelligent-Tiering).
    AccessTierChanged,
    /// Another detail type, written as is.
    Other(String),
}

impl S3ObjectEvent {
    /// Every object event, in the order above (without `Other`).
    pub const ALL: [S3ObjectEvent; 10] = [
        S3ObjectEvent::Created,
        S3ObjectEvent::Deleted,
        S3ObjectEvent::RestoreInitiated,
        S3ObjectEvent::RestoreCompleted,
        S3ObjectEvent::RestoreExpired,
        S3ObjectEvent::TagsAdded,
        S3ObjectEvent::TagsDeleted,
        S3ObjectEvent::AclUpdated,
        S3ObjectEvent::StorageClassChanged,
        S3ObjectEvent::AccessTierChanged,
    ];

    /// The `detail-type` of the event (`Object Created`).
    pub fn detail_type(&self) -> &str {
        match self {
            S3ObjectEvent::Created => "Object Created",
            S3ObjectEvent::Deleted => "Object Deleted",
            S3ObjectEvent::RestoreInitiated => "Object Restore Initiated",
            S3ObjectEvent::RestoreCompleted => "Object Restore Completed",
            S3ObjectEvent::RestoreExpired => "Object Restore Expired",
            S3ObjectEvent::TagsAdded => "Object Tags Added",
            S3ObjectEvent::TagsDeleted => "Object Tags Deleted",
            S3ObjectEvent::AclUpdated => "Object ACL Updated",
            S3ObjectEvent::StorageClassChanged => "Object Storage Class Changed",
            S3ObjectEvent::AccessTierChanged => "Object Access Tier Changed",
            S3ObjectEvent::Other(s) => s,
        }
    }
}

/// A bucket's object events calling a function through Amazon
/// EventBridge, the way to react to a bucket whose name CloudFormation
/// generates:
///
/// - the bucket sends every object event to EventBridge
///   (`NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled`,
///   kept beside the bucket's other notification destinations; one setting
///   for every source on the bucket);
/// - an `AWS::Events::Rule` on the default event bus at
///   `<function>/<bucket>Events` matches `source` `aws.s3`, the events'
///   `detail-type`s, the bucket by name (`detail.bucket.name`, the bucket's
///   `Ref`) and the key filters (`detail.object.key`: `prefix`, `suffix`,
///   or both as one `wildcard`, `*` and `\` in them escaped);
/// - the function is the rule's target, with an `AWS::Lambda::Permission`
///   for `events.amazonaws.com` scoped to the rule's ARN
///   (`<function>/<bucket>EventsInvoke`), and the
///   [retry policy](S3EventBridgeSource::retry_policy) and
///   [dead-letter queue](S3EventBridgeSource::dead_letter_queue) given.
///
/// Nothing refers back to the function, so the function gets object
/// access through the bucket itself (`bucket.grant_read(&function)`), and
/// the bucket may be in another stack. EventBridge invokes the function
/// asynchronously, each event at least once: the retry policy and
/// dead-letter queue here cover deliveries Lambda refuses or throttles;
/// an error of the function itself is retried by Lambda (twice) and then
/// goes to the function's own dead-letter queue
/// (`FunctionProps::dead_letter_queue`), if it has one.
///
/// An imported bucket (`Bucket::from_name`) must have EventBridge
/// notifications turned on where it is managed; say so with
/// [`eventbridge_enabled_elsewhere`](S3EventBridgeSource::eventbridge_enabled_elsewhere),
/// else it is error `FW4611`. No events, or an event of an empty name, is
/// error `FW4606`; an empty prefix or suffix is error `FW4612`. One source
/// per bucket and function: list every event in it.
///
/// ```
/// use formwork::App;
/// use formwork::lambda::{Code, Function, FunctionProps, Runtime, S3EventBridgeSource, S3ObjectEvent};
/// use formwork::s3::{Bucket, BucketProps};
/// use serde_json::json;
/// let app = App::new();
/// let stack = app.stack("Media")?;
/// let uploads = Bucket::new(&stack, "Uploads", BucketProps::new())?;
/// let thumbs = Function::new(&stack, "Thumbs", FunctionProps::new(Code::inline("def handler(e, c):\n    return None\n")).runtime(Runtime::Python313).handler("index.handler"))?;
/// thumbs.add_event_source(&S3EventBridgeSource::new(&uploads, [S3ObjectEvent::Created]).prefix("images/").suffix(".jpg"))?;
/// uploads.grant_read(&thumbs)?;
/// let t = app.synth()?.template_json("Media").ok_or("no template")?;
/// let pattern = &t["Resources"]["ThumbsUploadsEvents"]["Properties"]["EventPattern"];
/// assert_eq!(pattern["detail"]["bucket"]["name"], json!([{"Ref": "Uploads"}]));
/// assert_eq!(pattern["detail"]["object"]["key"], json!([{"wildcard": "images/*.jpg"}]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct S3EventBridgeSource {
    bucket: Bucket,
    events: Vec<S3ObjectEvent>,
    prefix: Option<String>,
    suffix: Option<String>,
    retry: Option<RetryPolicy>,
    #[cfg(feature = "sqs")]
    dead_letter: Option<Queue>,
    enabled_elsewhere: bool,
}

impl S3EventBridgeSource {
    /// The `events` of objects in `bucket`; every key, EventBridge's
    /// retries (185 attempts over 24 hours), no dead-letter queue.
    pub fn new(bucket: &Bucket, events: impl IntoIterator<Item = S3ObjectEvent>) -> Self {
        S3EventBridgeSource {
            bucket: bucket.clone(),
            events: events.into_iter().collect(),
            prefix: None,
            suffix: None,
            retry: None,
            #[cfg(feature = "sqs")]
            dead_letter: None,
            enabled_elsewhere: false,
        }
    }

    /// Only keys starting with `prefix` (`images/`).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// Only keys ending with `suffix` (`.jpg`). With a prefix too, the
    /// key must hold both apart: a key shorter than the two together
    /// (prefix `a`, suffix `ab`, key `ab`) is not matched, where S3's own
    /// notification filter would match it.
    pub fn suffix(mut self, suffix: impl Into<String>) -> Self {
        self.suffix = Some(suffix.into());
        self
    }

    /// How long and how often EventBridge retries a delivery Lambda
    /// refused or throttled (EventBridge's default: 185 attempts over 24
    /// hours).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Where events go that EventBridge could not deliver once its retries
    /// are spent (a standard queue; it gets a policy statement letting the
    /// rule send to it, and the use of its key). Errors of the function
    /// itself do not come here (see the type's documentation).
    #[cfg(feature = "sqs")]
    pub fn dead_letter_queue(mut self, queue: &Queue) -> Self {
        self.dead_letter = Some(queue.clone());
        self
    }

    /// For an imported bucket: states that its EventBridge notifications
    /// are turned on where it is managed (`Bucket::enable_event_bridge_notifications`
    /// in its own app, the console, or `aws s3api
    /// put-bucket-notification-configuration`), which this stack cannot
    /// do. Without it, a source on an imported bucket is error `FW4611`.
    /// A bucket this app creates gets it turned on either way.
    pub fn eventbridge_enabled_elsewhere(mut self) -> Self {
        self.enabled_elsewhere = true;
        self
    }

    /// The rule's event pattern.
    pub(super) fn pattern(&self) -> EventPattern {
        let mut types: Vec<&str> = Vec::new();
        for e in &self.events {
            if !types.contains(&e.detail_type()) {
                types.push(e.detail_type());
            }
        }
        let mut detail = ValueMap::default();
        detail.insert(
            "bucket".to_owned(),
            Value::object([(
                "name",
                Value::list([self.bucket.bucket_name().into_value()]),
            )]),
        );
        if let Some(filter) = key_filter(self.prefix.as_deref(), self.suffix.as_deref()) {
            detail.insert(
                "object".to_owned(),
                Value::object([("key", Value::list([filter]))]),
            );
        }
        EventPattern::new()
            .source(["aws.s3"])
            .detail_type(types)
            .detail(Value::Map(detail))
    }
}

/// EventBridge's filter of a key with this prefix and suffix: `prefix`,
/// `suffix`, or a `wildcard` holding both, whose own `*` and `\` are
/// escaped so they match themselves.
fn key_filter(prefix: Option<&str>, suffix: Option<&str>) -> Option<Value> {
    let escape = |s: &str| s.replace('\\', "\\\\").replace('*', "\\*");
    match (prefix, suffix) {
        (None, None) => None,
        (Some(p), None) => Some(Value::object([("prefix", p)])),
        (None, Some(s)) => Some(Value::object([("suffix", s)])),
        (Some(p), Some(s)) => Some(Value::object([(
            "wildcard",
            format!("{}*{}", escape(p), escape(s)),
        )])),
    }
}

impl EventSource for S3EventBridgeSource {
    #[track_caller]
    fn bind(&self, function: &Function) -> Result<()> {
        self.add_to(function).map(drop)
    }
}

impl S3EventBridgeSource {
    /// Lets these events call `function`, as
    /// [`Function::add_event_source`] does, and returns the EventBridge
    /// rule it made, for alarms on the rule's metrics (`FailedInvocations`)
    /// or more targets; `None` when an error was reported instead.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::lambda::{Code, Function, FunctionProps, Runtime, S3EventBridgeSource, S3ObjectEvent};
    /// use formwork::s3::{Bucket, BucketProps};
    /// let app = App::new();
    /// let stack = app.stack("Media")?;
    /// let uploads = Bucket::new(&stack, "Uploads", BucketProps::new())?;
    /// let thumbs = Function::new(&stack, "Thumbs", FunctionProps::new(Code::inline("def handler(e, c):\n    return None\n")).runtime(Runtime::Python313).handler("index.handler"))?;
    /// let rule = S3EventBridgeSource::new(&uploads, [S3ObjectEvent::Created])
    ///     .add_to(&thumbs)?
    ///     .ok_or("the rule")?;
    /// let failed = rule.metric_failed_invocations();
    /// let t = app.synth()?.template_json("Media").ok_or("no template")?;
    /// assert!(t["Resources"]["ThumbsUploadsEvents"].is_object());
    /// # let _ = failed;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[track_caller]
    pub fn add_to(&self, function: &Function) -> Result<Option<Rule>> {
        let here = Location::caller();
        let b = &self.bucket;
        let path = b.scope().path();
        let error = |code: &'static str, property: &str, message: String, fix: &str| {
            function.scope().report(
                Diagnostic::error(code, function.scope().path(), message)
                    .property(property)
                    .fix(fix)
                    .at(here),
            );
        };
        let allowed = || {
            S3ObjectEvent::ALL
                .iter()
                .map(|e| format!("S3ObjectEvent::{e:?} ({:?})", e.detail_type()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if self.events.is_empty() {
            error(
                codes::NO_EVENTS,
                "EventPattern.detail-type",
                format!(
                    "an S3 EventBridge source on {path} without events; allowed: {}",
                    allowed()
                ),
                "list the events, e.g. S3ObjectEvent::Created",
            );
        }
        if self.events.iter().any(|e| e.detail_type().is_empty()) {
            error(
                codes::NO_EVENTS,
                "EventPattern.detail-type",
                format!(
                    "an S3 EventBridge source on {path} with an event of an empty name (S3ObjectEvent::Other(\"\")), which matches no event; allowed: {}",
                    allowed()
                ),
                "name the detail type, or use one of the S3ObjectEvent variants",
            );
        }
        for (what, value) in [("prefix", &self.prefix), ("suffix", &self.suffix)] {
            if value.as_deref() == Some("") {
                error(
                    codes::KEY_FILTER,
                    "EventPattern.detail.object.key",
                    format!(
                        "an S3 EventBridge source on {path} with an empty key {what} \"\", which would match every key; allowed: a {what} of at least one character, or none"
                    ),
                    &format!("leave the {what} unset to match every key"),
                );
            }
        }
        if b.cfn().is_none() {
            if !self.enabled_elsewhere {
                error(
                    codes::EVENTBRIDGE_NOT_ENABLED,
                    "NotificationConfiguration.EventBridgeConfiguration",
                    format!(
                        "an S3 EventBridge source on the imported bucket {path}, whose delivery of events to EventBridge this stack cannot turn on: without it the rule matches nothing"
                    ),
                    "turn EventBridge notifications on where the bucket is managed, then call S3EventBridgeSource::eventbridge_enabled_elsewhere()",
                );
                return Ok(None);
            }
        } else if !b.enable_event_bridge_notifications() {
            error(
                codes::NOTIFICATION_MERGE,
                "NotificationConfiguration.EventBridgeConfiguration",
                format!(
                    "the notification configuration of {path} is an intrinsic function set through its L1, which an S3 EventBridge source cannot add EventBridgeConfiguration to"
                ),
                "give the L1 a literal object, or set EventBridgeConfiguration in it yourself",
            );
        }
        if self.events.is_empty() {
            return Ok(None);
        }
        let rule = Rule::new(
            function.scope(),
            &format!("{}Events", b.scope().logical_id()),
            RuleProps::pattern(self.pattern()),
        )?;
        let mut target = RuleTarget::lambda(function);
        if let Some(r) = self.retry {
            target = target.retry_policy(r);
        }
        #[cfg(feature = "sqs")]
        if let Some(q) = &self.dead_letter {
            target = target.dead_letter_queue(q);
        }
        rule.add_target(target)?;
        Ok(Some(rule))
    }
}
