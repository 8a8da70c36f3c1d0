//! Systems Manager Parameter Store: plain `String` parameters created by the
//! stack, existing parameters by name, their ARNs, and least-privilege read
//! grants. ECS containers read them as secrets
//! (`ecs::Secret::from_ssm_parameter`).
//!
//! CloudFormation cannot create `SecureString` parameters; a secure value is
//! put with `aws ssm put-parameter --type SecureString` and referenced here
//! with [`StringParameter::from_name`] (or kept in Secrets Manager).
//!
//! ```
//! use formwork::App;
//! use formwork::iam::{Principal, Role, RoleProps};
//! use formwork::ssm::{StringParameter, StringParameterProps};
//! let app = App::new();
//! let stack = app.stack("Config")?;
//! let level = StringParameter::new(
//!     &stack,
//!     "LogLevel",
//!     StringParameterProps::new("info").parameter_name("/hera/prod/LOG_LEVEL"),
//! )?;
//! let token = StringParameter::from_name("/hera/prod/API_TOKEN");
//! let role = Role::new(&stack, "Task", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")))?;
//! level.grant_read(&role)?;
//! token.grant_read(&role)?;
//! # Ok::<(), formwork::Error>(())
//! ```

mod parameter;

pub use parameter::{ParameterTier, StringParameter, StringParameterProps};

/// The diagnostic codes of the Systems Manager constructs (`FW38xx`).
pub mod codes {
    /// A parameter name Parameter Store refuses: empty or longer than 1011
    /// characters, characters other than `a-z A-Z 0-9 _ . - /`, a `aws` or
    /// `ssm` prefix, a hierarchy that does not start with `/`, an empty
    /// level (`//`), or more than 15 levels.
    pub const PARAMETER_NAME: &str = "FW3801";
    /// A parameter value that is empty, or longer than its tier allows
    /// (4 KB for Standard, 8 KB for Advanced).
    pub const PARAMETER_VALUE: &str = "FW3802";
}
