//! ECR: private image repositories with scanning, encryption and lifecycle
//! rules, image URIs by tag or digest, and pull/push grants.
//!
//! ```
//! use formwork::App;
//! use formwork::ecr::{LifecycleRule, Repository, RepositoryProps};
//! use formwork::iam::{Principal, Role, RoleProps};
//! let app = App::new();
//! let stack = app.stack("Weather")?;
//! let repo = Repository::new(
//!     &stack,
//!     "Repository",
//!     RepositoryProps::new()
//!         .repository_name("weather-comment-generator")
//!         .lifecycle_rule(LifecycleRule::expire_untagged_after_days(7))
//!         .lifecycle_rule(LifecycleRule::keep_last(20)),
//! )?;
//! let image = repo.image_uri_for_tag("latest");
//! let execution = Role::new(&stack, "Execution", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")))?;
//! repo.grant_pull(&execution)?;
//! # let _ = image;
//! # Ok::<(), formwork::Error>(())
//! ```

mod lifecycle;
mod repository;

pub use lifecycle::LifecycleRule;
pub use repository::{Encryption, Repository, RepositoryProps, TagMutability};

/// The diagnostic codes of the ECR constructs (`FW25xx`).
pub mod codes {
    /// A repository name ECR refuses (2 to 256 characters; lowercase
    /// letters and digits, separated by single `.`, `_`, `-` or `/`).
    pub const REPOSITORY_NAME: &str = "FW2501";
    /// An image tag Docker refuses (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`).
    pub const IMAGE_TAG: &str = "FW2502";
    /// An image digest that is not `sha256:` and 64 lowercase hex digits.
    pub const IMAGE_DIGEST: &str = "FW2503";
    /// A removal policy repositories do not support (`Snapshot`).
    pub const REMOVAL_POLICY: &str = "FW2504";
    /// Warning: what runs the image uses a tag, not a digest, so a new image
    /// pushed under the tag changes nothing in the template and does not
    /// roll out by itself.
    pub const IMAGE_NOT_PINNED: &str = "FW2505";
    /// More lifecycle rules than ECR allows in a policy (50).
    pub const LIFECYCLE_TOO_MANY_RULES: &str = "FW2510";
    /// A lifecycle rule priority of 0, or two rules with one priority.
    pub const LIFECYCLE_PRIORITY: &str = "FW2511";
    /// A rule selecting any image (`tagStatus: any`) that is not evaluated last.
    pub const LIFECYCLE_ANY_LAST: &str = "FW2512";
    /// A lifecycle count (images or days) of 0.
    pub const LIFECYCLE_COUNT: &str = "FW2513";
    /// A rule on tagged images without a tag prefix, or with an empty one.
    pub const LIFECYCLE_TAG_PREFIXES: &str = "FW2514";
}
