//! Event sources: what makes Lambda call a function with batches of
//! records (an SQS queue, a DynamoDB stream) or with notifications (an S3
//! bucket, directly or through EventBridge), with the permissions each
//! needs. Schedules are EventBridge rules with a function target
//! (`events::Rule`, `events::RuleTarget::lambda`).

#[cfg(feature = "dynamodb")]
mod dynamodb;
#[cfg(feature = "s3")]
mod s3;
#[cfg(all(feature = "s3", feature = "events"))]
mod s3_eventbridge;
#[cfg(test)]
mod s3_eventbridge_tests;
#[cfg(feature = "sqs")]
mod sqs;
#[cfg(test)]
mod tests;

#[cfg(feature = "dynamodb")]
pub use dynamodb::{DynamoEventSource, StartingPosition};
#[cfg(feature = "s3")]
pub use s3::{S3Event, S3EventSource};
#[cfg(all(feature = "s3", feature = "events"))]
pub use s3_eventbridge::{S3EventBridgeSource, S3ObjectEvent};
#[cfg(feature = "sqs")]
pub use sqs::SqsEventSource;

use formwork_core::{Diagnostic, Result, Scope};

use super::Function;

/// Something that can call a function with events:
/// [`Function::add_event_source`] binds it, adding the resources and
/// permissions it needs.
pub trait EventSource {
    /// Adds what makes `function` receive this source's events (its
    /// diagnostics may point at the caller's line).
    #[track_caller]
    fn bind(&self, function: &Function) -> Result<()>;
}

impl Function {
    /// Lets `source` call this function (see [`EventSource`]).
    #[track_caller]
    pub fn add_event_source(&self, source: &dyn EventSource) -> Result<()> {
        source.bind(self)
    }
}

/// Diagnostic codes of the Lambda event sources (`FW46xx`).
pub mod event_source_codes {
    /// A batch size out of range: 1 to 10 for a FIFO queue, 1 to 10000
    /// for a standard queue or a stream.
    pub const BATCH_SIZE: &str = "FW4601";
    /// A batching window out of range (0 to 300 s), on a FIFO queue
    /// (which takes none), or missing for an SQS batch size over 10.
    pub const BATCHING_WINDOW: &str = "FW4602";
    /// A setting out of its range: maximum concurrency (2 to 1000), retry
    /// attempts (0 to 10000), record age (60 s to 7 days), parallelization
    /// factor (1 to 10).
    pub const RANGE: &str = "FW4603";
    /// A queue whose visibility timeout is shorter than the function's
    /// timeout (Lambda refuses the mapping).
    pub const VISIBILITY_TIMEOUT: &str = "FW4604";
    /// A DynamoDB event source on a table without a stream.
    pub const NO_STREAM: &str = "FW4605";
    /// An S3 event source (notifications or EventBridge) without events,
    /// or with an event of an empty name.
    pub const NO_EVENTS: &str = "FW4606";
    /// An S3 event source on an imported bucket, whose notification
    /// configuration this stack does not manage.
    pub const BUCKET_NOT_MANAGED: &str = "FW4607";
    /// An S3 event source on a bucket without a given name (the
    /// permission must name the bucket without referring to it, or the
    /// bucket and the permission would depend on each other).
    pub const BUCKET_NAME: &str = "FW4608";
    /// A FIFO queue as the on-failure destination of a stream (Lambda
    /// takes a standard queue).
    pub const ON_FAILURE: &str = "FW4609";
    /// Two S3 notifications on one bucket whose event types and key
    /// filters overlap (S3 refuses the configuration).
    pub const OVERLAP: &str = "FW4610";
    /// An S3 EventBridge source on an imported bucket without
    /// `eventbridge_enabled_elsewhere()`: this stack cannot turn on the
    /// bucket's delivery to EventBridge, so the rule would never match.
    pub const EVENTBRIDGE_NOT_ENABLED: &str = "FW4611";
    /// An S3 EventBridge source with an empty key prefix or suffix (it
    /// would match every key; leave it unset instead).
    pub const KEY_FILTER: &str = "FW4612";
    /// An S3 event source on a bucket whose `NotificationConfiguration`
    /// (or its list of Lambda destinations) was set to an intrinsic
    /// function through the L1, which the source cannot add to.
    pub const NOTIFICATION_MERGE: &str = "FW4613";
}

/// Reports `message` on the function, about `property` of its event
/// source.
#[cfg_attr(
    not(any(feature = "sqs", feature = "dynamodb", feature = "s3")),
    allow(dead_code)
)]
fn report(
    function: &Function,
    code: &'static str,
    property: &str,
    message: String,
    fix: Option<&str>,
) {
    let mut d = Diagnostic::error(code, function.scope().path(), message).property(property);
    if let Some(f) = fix {
        d = d.fix(f);
    }
    function.scope().report(d);
}

/// Reports a value outside `lo..=hi`.
#[cfg_attr(not(any(feature = "sqs", feature = "dynamodb")), allow(dead_code))]
fn range(function: &Function, property: &str, what: &str, v: Option<u32>, lo: u32, hi: u32) {
    if let Some(v) = v.filter(|v| !(lo..=hi).contains(v)) {
        report(
            function,
            event_source_codes::RANGE,
            property,
            format!("{what} of {v} is out of range; allowed: {lo} to {hi}"),
            None,
        );
    }
}

/// The id of the event source mapping for a source at `source` (the
/// queue's or table's logical id, then `EventSource`).
#[cfg_attr(not(any(feature = "sqs", feature = "dynamodb")), allow(dead_code))]
fn mapping_id(source: &Scope) -> String {
    format!("{}EventSource", source.logical_id())
}
