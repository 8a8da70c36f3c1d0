//! S3: buckets with safe defaults, lifecycle and CORS rules checked the way
//! S3 checks them, a bucket policy that refuses plain HTTP, and
//! least-privilege grants.
//!
//! ```
//! use formwork::App;
//! use formwork::iam::{Principal, Role, RoleProps};
//! use formwork::s3::{Bucket, BucketProps, LifecycleRule};
//! let app = App::new();
//! let stack = app.stack("Sessions")?;
//! let bucket = Bucket::new(
//!     &stack,
//!     "SessionsBucket",
//!     BucketProps::new().lifecycle_rule(LifecycleRule::new().prefix("sessions/").expiration_days(7)),
//! )?;
//! let role = Role::new(&stack, "TaskRole", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")))?;
//! bucket.grant_read_write(&role)?;
//! # Ok::<(), formwork::Error>(())
//! ```

mod bucket;
mod cors;
mod lifecycle;
mod naming;

#[cfg(feature = "lambda")]
pub(crate) use bucket::NotificationKey;
#[cfg(feature = "lambda")]
pub(crate) use bucket::Notified;
pub use bucket::{BlockPublicAccess, Bucket, BucketProps, Encryption};
pub use cors::{CorsRule, HttpMethod};
pub use lifecycle::{LifecycleRule, StorageClass};

use formwork_core::{Diagnostic, Scope};

/// Reports an error about `property` on `node`, with a fix when there is one.
fn report(node: &Scope, code: &'static str, property: &str, message: String, fix: Option<String>) {
    let mut d = Diagnostic::error(code, node.path(), message).property(property);
    if let Some(f) = fix {
        d = d.fix(f);
    }
    node.report(d);
}

/// The diagnostic codes of the S3 constructs (`FW21xx`).
pub mod codes {
    /// A bucket name S3 refuses (length, characters, first or last
    /// character, `..`, IP address form, reserved prefix or suffix).
    pub const BUCKET_NAME: &str = "FW2101";
    /// `Bucket::from_arn` with a literal that is not an S3 bucket ARN.
    pub const BUCKET_ARN: &str = "FW2102";
    // FW2103 (a grant on a bucket whose key is not a key ARN) is now
    // `kms::codes::KEY_ARN`, reported where the key is imported.
    /// A CORS rule S3 refuses (no origin, no method, more than one `*` in an
    /// origin or header, more than 100 rules).
    pub const CORS_RULE: &str = "FW2104";
    /// A removal policy buckets do not support (`Snapshot`).
    pub const REMOVAL_POLICY: &str = "FW2105";
    /// More than 1000 lifecycle rules.
    pub const LIFECYCLE_TOO_MANY_RULES: &str = "FW2110";
    /// A lifecycle rule with no action.
    pub const LIFECYCLE_NO_ACTION: &str = "FW2111";
    /// A number of days (or of noncurrent versions) out of range.
    pub const LIFECYCLE_RANGE: &str = "FW2112";
    /// A transition to `STANDARD_IA` or `ONEZONE_IA` sooner than 30 days.
    pub const LIFECYCLE_IA_MINIMUM: &str = "FW2113";
    /// An expiration at or before a transition of the same rule.
    pub const LIFECYCLE_EXPIRATION_NOT_AFTER_TRANSITION: &str = "FW2114";
    /// Transitions of one rule out of S3's storage-class order, or two on
    /// the same day.
    pub const LIFECYCLE_TRANSITION_ORDER: &str = "FW2115";
    /// A transition less than 30 days after a transition to `STANDARD_IA`
    /// or `ONEZONE_IA` of the same rule.
    pub const LIFECYCLE_IA_STAY: &str = "FW2116";
    /// An expiration date that is not `YYYY-MM-DD`, or a date-based
    /// expiration beside day-based transitions.
    pub const LIFECYCLE_DATE: &str = "FW2117";
    /// Actions S3 refuses together: an expired-object-delete-marker action
    /// beside an expiration, or beside tag filters; aborting multipart
    /// uploads beside tag filters.
    pub const LIFECYCLE_CONFLICT: &str = "FW2118";
    /// Two lifecycle rules with the same id.
    pub const LIFECYCLE_RULE_ID: &str = "FW2119";
    /// Warning: noncurrent-version or delete-marker actions on a bucket
    /// without versioning, where they never apply.
    pub const LIFECYCLE_UNVERSIONED: &str = "FW2120";
    /// Warning: a resource-policy statement added to an imported bucket,
    /// whose policy this stack does not manage (nothing was added).
    pub const POLICY_NOT_MANAGED: &str = "FW2122";
    /// A bucket policy statement without a principal.
    pub const POLICY_STATEMENT: &str = "FW2123";
}
