//! CloudWatch Logs: log groups with a typed retention, retained by default,
//! and least-privilege write grants.
//!
//! ```
//! use formwork::App;
//! use formwork::logs::{LogGroup, LogGroupProps, Retention};
//! let app = App::new();
//! let stack = app.stack("Logs")?;
//! let group = LogGroup::new(
//!     &stack,
//!     "Audit",
//!     LogGroupProps::new().log_group_name("/app/audit").retention(Retention::OneYear),
//! )?;
//! # let _ = group;
//! # Ok::<(), formwork::Error>(())
//! ```

mod log_group;

pub use log_group::{LogGroup, LogGroupClass, LogGroupProps, Retention};

/// The diagnostic codes of the CloudWatch Logs constructs (`FW23xx`).
pub mod codes {
    /// A retention CloudWatch Logs does not accept (`Retention::days` of a
    /// number that is not one of the allowed ones).
    pub const RETENTION: &str = "FW2301";
    /// A log group name CloudWatch Logs refuses (length, characters, `aws/`
    /// prefix).
    pub const LOG_GROUP_NAME: &str = "FW2302";
    /// A removal policy a log group cannot have (`Snapshot`).
    pub const REMOVAL_POLICY: &str = "FW2303";
}
