//! SNS: topics (encrypted, TLS enforced), their subscriptions (email,
//! Lambda, SQS) with the permissions each needs, grants and metrics.

mod topic;

pub use topic::{Subscription, Topic, TopicEncryption, TopicProps};

/// Diagnostic codes of the SNS constructs (`FW43xx`).
pub mod codes {
    /// A FIFO rule: a FIFO topic's name without `.fifo` (or a standard
    /// topic's with it), content-based deduplication on a standard topic,
    /// a FIFO topic delivering to a standard queue or to Lambda or email.
    pub const FIFO: &str = "FW4301";
    /// An email subscription to something that is not an address.
    pub const ENDPOINT: &str = "FW4302";
}
