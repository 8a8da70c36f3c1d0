//! DynamoDB: tables with on-demand capacity, point-in-time recovery,
//! encryption, deletion protection and retention by default; TTL,
//! streams, grants and metrics.

mod table;

pub use table::{
    Attribute, AttributeType, Billing, StreamView, Table, TableEncryption, TableProps,
};

/// Diagnostic codes of the DynamoDB constructs (`FW41xx`).
pub mod codes {
    /// A key or TTL attribute name DynamoDB refuses (empty, over 255
    /// bytes), or a sort key with the partition key's name.
    pub const ATTRIBUTE: &str = "FW4101";
    /// Provisioned capacity below 1 unit, or a recovery period outside 1
    /// to 35 days.
    pub const CAPACITY: &str = "FW4102";
    /// A table name DynamoDB refuses (3 to 255 characters of
    /// `A-Z a-z 0-9 _ . -`).
    pub const NAME: &str = "FW4103";
    /// A grant on the stream of a table without a stream.
    pub const NO_STREAM: &str = "FW4104";
    /// A removal policy tables do not support (`Snapshot`).
    pub const REMOVAL_POLICY: &str = "FW4105";
}
