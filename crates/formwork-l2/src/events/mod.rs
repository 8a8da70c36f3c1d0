//! EventBridge: rules that match events or fire on a schedule, on the
//! default or a custom event bus, with targets (functions, queues, topics,
//! state machines) that get the permissions they need, input shaping,
//! retries and dead-letter queues.
//!
//! ```
//! # #[cfg(feature = "sqs")] {
//! use formwork::App;
//! use formwork::events::{EventPattern, Rule, RuleProps, RuleTarget, TargetInput};
//! use formwork::sqs::{Queue, QueueProps};
//! let app = App::new();
//! let stack = app.stack("Shop")?;
//! let queue = Queue::new(&stack, "Uploads", QueueProps::new())?;
//! let rule = Rule::new(
//!     &stack,
//!     "OnUpload",
//!     RuleProps::pattern(EventPattern::new().source(["aws.s3"]).detail_type(["Object Created"])),
//! )?;
//! rule.add_target(RuleTarget::sqs(&queue).input(TargetInput::Path("$.detail".into())))?;
//! # }
//! # Ok::<(), formwork::Error>(())
//! ```

mod bus;
mod pattern;
mod rule;
mod schedule;
mod target;
#[cfg(test)]
mod tests;

pub use bus::{EventBus, EventBusProps};
pub use pattern::EventPattern;
pub use rule::{Rule, RuleProps};
pub use schedule::Schedule;
pub use target::{RetryPolicy, RuleTarget, TargetInput};

/// Diagnostic codes of the EventBridge constructs (`FW45xx`).
pub mod codes {
    /// A schedule EventBridge refuses: a rate that is not a whole number
    /// of minutes (at least one), or a cron expression without six valid
    /// fields or with `?` in neither or both day fields.
    pub const SCHEDULE: &str = "FW4501";
    /// An event pattern EventBridge refuses: empty, not an object, or a
    /// leaf that is not a list.
    pub const PATTERN: &str = "FW4502";
    /// A scheduled rule on a custom event bus (schedules run on the default
    /// bus only).
    pub const SCHEDULE_BUS: &str = "FW4503";
    /// More than five targets on one rule.
    pub const TARGETS: &str = "FW4504";
    /// A target input EventBridge refuses: over 8192 characters, an input
    /// path that is not a JSONPath, an input transformer with bad paths or
    /// a template naming a path it does not define.
    pub const INPUT: &str = "FW4505";
    /// A retry policy out of range (0 to 185 attempts, 60 to 86400 s).
    pub const RETRY: &str = "FW4506";
    /// A FIFO dead-letter queue (EventBridge needs a standard queue).
    pub const DEAD_LETTER: &str = "FW4507";
    /// A FIFO queue target without a message group id, or a message group
    /// id on another target.
    pub const FIFO_TARGET: &str = "FW4508";
    /// A topic target encrypted with the AWS managed key, which EventBridge
    /// cannot use.
    pub const TOPIC_KEY: &str = "FW4509";
    /// A custom event bus named `default`.
    pub const BUS_NAME: &str = "FW4510";
}
