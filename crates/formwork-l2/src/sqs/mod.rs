//! SQS: queues with encryption on, TLS enforced, dead-letter queues with
//! redrive, FIFO rules checked at synth, grants and metrics.

mod queue;

pub use queue::{DeadLetterQueue, Queue, QueueEncryption, QueueProps};

/// Diagnostic codes of the SQS constructs (`FW42xx`).
pub mod codes {
    /// A FIFO rule broken: a FIFO queue's name without `.fifo` (or a
    /// standard queue's with it), content-based deduplication or high
    /// throughput on a standard queue, a dead-letter queue of the other
    /// kind.
    pub const FIFO: &str = "FW4201";
    /// A setting out of its range (visibility timeout, retention, delay,
    /// receive wait, message size, max receive count).
    pub const RANGE: &str = "FW4202";
    /// A queue name SQS refuses (over 80 characters, characters other
    /// than `A-Z a-z 0-9 - _`).
    pub const NAME: &str = "FW4203";
    /// (warning) A statement added to the policy of an imported queue,
    /// which this stack does not manage: it was not added.
    pub const POLICY_NOT_MANAGED: &str = "FW4204";
}
