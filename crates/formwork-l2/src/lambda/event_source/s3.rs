//! S3EventSource: a bucket's notifications calling a function, with the
//! permission S3 needs and the ordering CloudFormation checks.

use formwork_core::typed::Str;
use formwork_core::{Fn, Pseudo, Result, Value};
use formwork_l1::s3::bucket;

use super::{EventSource, event_source_codes as codes, report};
use crate::lambda::{Function, PermissionProps};
use crate::s3::{Bucket, NotificationKey, Notified};

/// An S3 event type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum S3Event {
    /// Every way an object is created (`s3:ObjectCreated:*`).
    ObjectCreated,
    /// `s3:ObjectCreated:Put`.
    ObjectCreatedPut,
    /// `s3:ObjectCreated:Post`.
    ObjectCreatedPost,
    /// `s3:ObjectCreated:Copy`.
    ObjectCreatedCopy,
    /// `s3:ObjectCreated:CompleteMultipartUpload`.
    ObjectCreatedCompleteMultipartUpload,
    /// Every way an object is removed (`s3:ObjectRemoved:*`).
    ObjectRemoved,
    /// `s3:ObjectRemoved:Delete`.
    ObjectRemovedDelete,
    /// `s3:ObjectRemoved:DeleteMarkerCreated`.
    ObjectRemovedDeleteMarkerCreated,
    /// `s3:ObjectRestore:Completed`.
    ObjectRestoreCompleted,
    /// Another event type, written as is (`s3:LifecycleExpiration:*`).
    Other(String),
}

impl S3Event {
    /// The event name S3 uses.
    pub fn as_str(&self) -> &str {
        match self {
            S3Event::ObjectCreated => "s3:ObjectCreated:*",
            S3Event::ObjectCreatedPut => "s3:ObjectCreated:Put",
            S3Event::ObjectCreatedPost => "s3:ObjectCreated:Post",
            S3Event::ObjectCreatedCopy => "s3:ObjectCreated:Copy",
            S3Event::ObjectCreatedCompleteMultipartUpload => {
                "s3:ObjectCreated:CompleteMultipartUpload"
            }
            S3Event::ObjectRemoved => "s3:ObjectRemoved:*",
            S3Event::ObjectRemovedDelete => "s3:ObjectRemoved:Delete",
            S3Event::ObjectRemovedDeleteMarkerCreated => "s3:ObjectRemoved:DeleteMarkerCreated",
            S3Event::ObjectRestoreCompleted => "s3:ObjectRestore:Completed",
            S3Event::Other(s) => s,
        }
    }
}

/// A bucket's notifications calling a function: a `LambdaConfigurations`
/// entry per event in the bucket's `NotificationConfiguration`, an
/// `AWS::Lambda::Permission` at `<function>/<bucket>Notifications` for
/// `s3.amazonaws.com` scoped to the bucket ARN and this account, and a
/// `DependsOn` from the bucket on that permission (CloudFormation checks
/// the destination when it writes the configuration).
///
/// The bucket must be one this stack creates, with a name given in
/// `BucketProps::bucket_name`: the permission names the bucket ARN from
/// that name, since referring to the bucket would make the bucket and the
/// permission depend on each other. For the same reason, give the
/// function access to the objects through `Bucket::from_name` with the
/// same name, not through the bucket itself. For a bucket whose name
/// CloudFormation generates (the usual case) or one this stack imports,
/// use `S3EventBridgeSource` (features `s3` and `events`) instead: the
/// events go through EventBridge, which needs neither a name nor the
/// ordering, and `bucket.grant_read(&function)` works. One source per
/// bucket and function: list every event in it. Notifications whose event types and
/// key filters overlap others on the bucket are error `FW4610`, as S3
/// refuses them.
///
/// ```
/// use formwork::App;
/// use formwork::lambda::{Code, Function, FunctionProps, Runtime, S3Event, S3EventSource};
/// use formwork::s3::{Bucket, BucketProps};
/// let app = App::new();
/// let stack = app.stack("Media")?;
/// let uploads = Bucket::new(&stack, "Uploads", BucketProps::new().bucket_name("media-uploads-123456789012"))?;
/// let thumbs = Function::new(&stack, "Thumbs", FunctionProps::new(Code::inline("def handler(e, c):\n    return None\n")).runtime(Runtime::Python313).handler("index.handler"))?;
/// thumbs.add_event_source(&S3EventSource::new(&uploads, [S3Event::ObjectCreated]).prefix("images/").suffix(".jpg"))?;
/// Bucket::from_name(&stack, "UploadsByName", "media-uploads-123456789012")?.grant_read(&thumbs)?;
/// let t = app.synth()?.template_json("Media").ok_or("no template")?;
/// assert_eq!(t["Resources"]["Uploads"]["DependsOn"], serde_json::json!(["ThumbsUploadsNotifications"]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct S3EventSource {
    bucket: Bucket,
    events: Vec<S3Event>,
    prefix: Option<String>,
    suffix: Option<String>,
}

impl S3EventSource {
    /// Notifications of `events` in `bucket`.
    pub fn new(bucket: &Bucket, events: impl IntoIterator<Item = S3Event>) -> Self {
        S3EventSource {
            bucket: bucket.clone(),
            events: events.into_iter().collect(),
            prefix: None,
            suffix: None,
        }
    }
    /// Only keys starting with `prefix` (`images/`).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }
    /// Only keys ending with `suffix` (`.jpg`).
    pub fn suffix(mut self, suffix: impl Into<String>) -> Self {
        self.suffix = Some(suffix.into());
        self
    }
}

impl EventSource for S3EventSource {
    fn bind(&self, function: &Function) -> Result<()> {
        let b = &self.bucket;
        let path = b.scope().path();
        if self.events.is_empty() {
            report(
                function,
                codes::NO_EVENTS,
                "NotificationConfiguration.LambdaConfigurations",
                format!("an S3 event source on {path} without events"),
                Some("list the events, e.g. S3Event::ObjectCreated"),
            );
        }
        let Some(cfn) = b.cfn() else {
            report(
                function,
                codes::BUCKET_NOT_MANAGED,
                "NotificationConfiguration",
                format!(
                    "an S3 event source on the imported bucket {path}, whose notification configuration this stack does not manage"
                ),
                Some(
                    "add the notification in the stack that owns the bucket, or use S3EventBridgeSource (the bucket must send its events to EventBridge)",
                ),
            );
            return Ok(());
        };
        let Some(name) = b.given_name() else {
            report(
                function,
                codes::BUCKET_NAME,
                "NotificationConfiguration",
                format!(
                    "an S3 event source on the bucket {path}, which has no given name: the invoke permission must name the bucket without referring to it, or the bucket and the permission would depend on each other"
                ),
                Some(
                    "use S3EventBridgeSource, which needs no bucket name (EventBridge delivers the events), or give the bucket a name with BucketProps::bucket_name",
                ),
            );
            return Ok(());
        };
        let arn = Fn::concat([
            Value::from("arn:"),
            Pseudo::Partition.into(),
            Value::from(":s3:::"),
            name.into_value(),
        ]);
        let permission = function.add_permission(
            &format!("{}Notifications", b.scope().logical_id()),
            PermissionProps::new("s3.amazonaws.com")
                .source_arn(arn)
                .source_account(Str::from(Pseudo::AccountId)),
        )?;
        let mut rules = Vec::new();
        if let Some(p) = &self.prefix {
            rules.push(bucket::FilterRule::new().name("prefix").value(p.as_str()));
        }
        if let Some(s) = &self.suffix {
            rules.push(bucket::FilterRule::new().name("suffix").value(s.as_str()));
        }
        for e in &self.events {
            let mut c = bucket::LambdaConfiguration::new()
                .event(e.as_str())
                .function(function.arn());
            if !rules.is_empty() {
                c = c.filter(
                    bucket::NotificationFilter::new()
                        .s3_key(bucket::S3KeyFilter::new().rules(rules.clone())),
                );
            }
            let key = NotificationKey {
                event: e.as_str().to_owned(),
                prefix: self.prefix.clone(),
                suffix: self.suffix.clone(),
            };
            let other = match b.add_lambda_notification(c, key) {
                Notified::Added { overlaps } => overlaps,
                Notified::Imported => None,
                Notified::Intrinsic => {
                    report(
                        function,
                        codes::NOTIFICATION_MERGE,
                        "NotificationConfiguration.LambdaConfigurations",
                        format!(
                            "the notification configuration of {path}, or its list of Lambda destinations, is an intrinsic function set through its L1, which an event source cannot add {} to",
                            e.as_str()
                        ),
                        Some(
                            "set the notification configuration through the event sources, or give the L1 a literal object",
                        ),
                    );
                    None
                }
            };
            if let Some(other) = other {
                report(
                    function,
                    codes::OVERLAP,
                    "NotificationConfiguration.LambdaConfigurations",
                    format!(
                        "the notification of {} (prefix {:?}, suffix {:?}) on {path} overlaps one of {} (prefix {:?}, suffix {:?}) already there; S3 refuses overlapping configurations",
                        e.as_str(),
                        self.prefix.as_deref().unwrap_or(""),
                        self.suffix.as_deref().unwrap_or(""),
                        other.event,
                        other.prefix.as_deref().unwrap_or(""),
                        other.suffix.as_deref().unwrap_or("")
                    ),
                    Some(
                        "make the prefixes or suffixes disjoint, or list both events in one source",
                    ),
                );
            }
        }
        cfn.add_depends_on(&permission);
        Ok(())
    }
}
