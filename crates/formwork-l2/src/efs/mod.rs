//! EFS: encrypted file systems with a mount target in each selected subnet,
//! their own security group (NFS open to nothing until a rule says so),
//! typed lifecycle policies, access points, and least-privilege IAM grants.
//!
//! ```
//! use formwork::App;
//! use formwork::ec2::{Connectable, SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
//! use formwork::efs::{FileSystem, FileSystemProps, LifecycleAge};
//! let app = App::new();
//! let stack = app.stack("Weather")?;
//! let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
//! let tasks = SecurityGroup::new(&stack, "TaskSecurityGroup", SecurityGroupProps::new(&vpc))?;
//! let cache = FileSystem::new(
//!     &stack,
//!     "Cache",
//!     FileSystemProps::new(&vpc)
//!         .transition_to_ia(LifecycleAge::After30Days)
//!         .name("weather-comment-cache"),
//! )?;
//! cache.connections().allow_default_port_from(&tasks, "NFS from the tasks")?;
//! assert_eq!(cache.mount_targets().len(), 2); // one per private subnet
//! # Ok::<(), formwork::Error>(())
//! ```

mod access_point;
mod file_system;

pub use access_point::{AccessPoint, AccessPointProps};
pub use file_system::{FileSystem, FileSystemProps, LifecycleAge, PerformanceMode, ThroughputMode};

/// The diagnostic codes of the EFS constructs (`FW33xx`).
pub mod codes {
    /// Provisioned throughput out of range: below 1 MiB/s is an error;
    /// above 3414 MiB/s, the highest default regional limit, a warning
    /// (AWS Support can raise the limit).
    pub const THROUGHPUT: &str = "FW3301";
    /// Modes EFS refuses together: Max I/O with Elastic throughput, or the
    /// Archive storage class without Elastic throughput and General Purpose.
    pub const MODES: &str = "FW3302";
    /// A transition to Archive that is not later than the transition to
    /// Infrequent Access.
    pub const LIFECYCLE: &str = "FW3303";
    /// A KMS key on a file system that is not encrypted.
    pub const KMS_WITHOUT_ENCRYPTION: &str = "FW3304";
    /// Warning: a file system without encryption at rest.
    pub const UNENCRYPTED: &str = "FW3305";
    /// A removal policy file systems do not support (`Snapshot`).
    pub const REMOVAL_POLICY: &str = "FW3306";
    /// Access point creation permissions that are not 3 or 4 octal digits.
    pub const PERMISSIONS: &str = "FW3307";
    /// An access point root directory path EFS refuses.
    pub const ACCESS_POINT_PATH: &str = "FW3308";
    /// A grant of an action that is not one exact `elasticfilesystem:` action.
    pub const GRANT_ACTION: &str = "FW3309";
}
