//! KMS: customer managed keys with rotation on and a key policy that lets
//! the account's IAM policies work, their aliases, and grants of their use.
//!
//! Services that encrypt with a key (buckets, secrets, queues, topics,
//! tables) take a [`Key`] and add the key's actions to their own grants.

mod alias;
mod key;

pub use alias::{Alias, AliasProps};
#[cfg(feature = "s3")]
pub(crate) use key::is_key_arn;
pub use key::{Key, KeyProps};

/// Diagnostic codes of the KMS constructs (`FW39xx`).
pub mod codes {
    /// An alias name KMS refuses: not `alias/<name>`, reserved
    /// (`alias/aws/…`), or with characters outside `A-Z a-z 0-9 / _ -`.
    pub const ALIAS_NAME: &str = "FW3901";
    /// A pending window outside 7 to 30 days, or a rotation period
    /// outside 90 to 2560 days.
    pub const KEY_DAYS: &str = "FW3902";
    /// A key imported from something that is not a key ARN
    /// (`arn:<partition>:kms:<region>:<account>:key/<id>`): IAM grants
    /// need the key ARN, not a key id or an alias.
    pub const KEY_ARN: &str = "FW3903";
    /// (warning) A statement added to the key policy of an imported key,
    /// which this stack does not manage: it was not added.
    pub const POLICY_NOT_MANAGED: &str = "FW3904";
}
