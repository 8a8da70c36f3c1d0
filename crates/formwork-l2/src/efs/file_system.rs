//! FileSystem: an EFS file system, its mount targets and security group,
//! its lifecycle, and least-privilege grants.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::typed::{Num, Str};
use formwork_core::{Diagnostic, Expr, RemovalPolicy, ResourceRef, Result, Scope, Value};
use formwork_l1::efs::{
    CfnFileSystem, CfnFileSystemRef, CfnMountTarget, CfnMountTargetRef, file_system,
};

use super::access_point::{AccessPoint, AccessPointProps};
use super::codes;
use crate::ec2::{
    Connectable, Connections, Port, SecurityGroup, SecurityGroupProps, SubnetSelection, SubnetType,
    Vpc,
};
use crate::iam::{self, GrantSpec, Grantee, PolicyDocument, PolicyStatement};

/// The NFS port mount targets listen on.
const NFS_PORT: u16 = 2049;

/// The highest provisioned throughput EFS allows without a limit increase
/// (in the regions with the highest limit).
const MAX_PROVISIONED_MIBPS: f64 = 3414.0;

/// How EFS trades latency for parallelism (`PerformanceMode`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PerformanceMode {
    /// `generalPurpose`: the lowest latency, for nearly every workload (the default).
    #[default]
    GeneralPurpose,
    /// `maxIO`: higher aggregate throughput for highly parallel workloads,
    /// at a higher latency (not with Elastic throughput).
    MaxIo,
}

impl PerformanceMode {
    fn l1(self) -> file_system::PerformanceMode {
        match self {
            PerformanceMode::GeneralPurpose => file_system::PerformanceMode::GeneralPurpose,
            PerformanceMode::MaxIo => file_system::PerformanceMode::MaxIo,
        }
    }
}

/// How EFS provides throughput (`ThroughputMode`).
///
/// ```
/// use formwork::efs::ThroughputMode;
/// let fixed = ThroughputMode::Provisioned { mibps: 128.0 };
/// # let _ = fixed;
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum ThroughputMode {
    /// `bursting`: throughput grows with the stored size, with burst credits (the default).
    #[default]
    Bursting,
    /// `elastic`: throughput scales with the workload, paid per use.
    Elastic,
    /// `provisioned`: a fixed throughput, paid whether used or not
    /// (1 MiB/s or more; over 3414 MiB/s needs a limit increase).
    Provisioned {
        /// The throughput in MiB/s.
        mibps: f64,
    },
}

impl ThroughputMode {
    fn l1(self) -> file_system::ThroughputMode {
        match self {
            ThroughputMode::Bursting => file_system::ThroughputMode::Bursting,
            ThroughputMode::Elastic => file_system::ThroughputMode::Elastic,
            ThroughputMode::Provisioned { .. } => file_system::ThroughputMode::Provisioned,
        }
    }
}

/// How long a file stays unread before a lifecycle transition moves it.
///
/// ```
/// use formwork::efs::LifecycleAge;
/// assert_eq!(LifecycleAge::After30Days.as_str(), "AFTER_30_DAYS");
/// assert_eq!(LifecycleAge::from_days(30), Some(LifecycleAge::After30Days));
/// assert_eq!(LifecycleAge::from_days(45), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LifecycleAge {
    /// `AFTER_1_DAY`
    After1Day,
    /// `AFTER_7_DAYS`
    After7Days,
    /// `AFTER_14_DAYS`
    After14Days,
    /// `AFTER_30_DAYS`
    After30Days,
    /// `AFTER_60_DAYS`
    After60Days,
    /// `AFTER_90_DAYS`
    After90Days,
    /// `AFTER_180_DAYS`
    After180Days,
    /// `AFTER_270_DAYS`
    After270Days,
    /// `AFTER_365_DAYS`
    After365Days,
}

const AGES: [(u32, LifecycleAge); 9] = [
    (1, LifecycleAge::After1Day),
    (7, LifecycleAge::After7Days),
    (14, LifecycleAge::After14Days),
    (30, LifecycleAge::After30Days),
    (60, LifecycleAge::After60Days),
    (90, LifecycleAge::After90Days),
    (180, LifecycleAge::After180Days),
    (270, LifecycleAge::After270Days),
    (365, LifecycleAge::After365Days),
];

impl LifecycleAge {
    /// The age of `days` days, when EFS offers it (1, 7, 14, 30, 60, 90,
    /// 180, 270 or 365).
    pub fn from_days(days: u32) -> Option<LifecycleAge> {
        AGES.iter().find(|(d, _)| *d == days).map(|(_, a)| *a)
    }

    /// The age in days.
    pub fn days(self) -> u32 {
        AGES.iter().find(|(_, a)| *a == self).map_or(0, |(d, _)| *d)
    }

    /// The value as CloudFormation spells it (`AFTER_30_DAYS`).
    pub fn as_str(self) -> &'static str {
        match self {
            LifecycleAge::After1Day => "AFTER_1_DAY",
            LifecycleAge::After7Days => "AFTER_7_DAYS",
            LifecycleAge::After14Days => "AFTER_14_DAYS",
            LifecycleAge::After30Days => "AFTER_30_DAYS",
            LifecycleAge::After60Days => "AFTER_60_DAYS",
            LifecycleAge::After90Days => "AFTER_90_DAYS",
            LifecycleAge::After180Days => "AFTER_180_DAYS",
            LifecycleAge::After270Days => "AFTER_270_DAYS",
            LifecycleAge::After365Days => "AFTER_365_DAYS",
        }
    }
}

/// What a [`FileSystem`] is made with.
///
/// Defaults: encrypted at rest with the AWS managed key `aws/elasticfilesystem`,
/// General Purpose performance, Bursting throughput, no lifecycle
/// transition, no file system policy, the account's backup default, a
/// `Name` tag of the construct path, a mount target in each **private**
/// subnet of the VPC (one per zone), a new security group that lets nothing
/// in (and, as mount targets never start connections, nothing out), and
/// `DeletionPolicy`/`UpdateReplacePolicy: Retain`.
///
/// ```
/// use formwork::{App, RemovalPolicy};
/// use formwork::ec2::{Vpc, VpcProps};
/// use formwork::efs::{FileSystemProps, LifecycleAge, ThroughputMode};
/// let app = App::new();
/// let stack = app.stack("Demo")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let props = FileSystemProps::new(&vpc)
///     .throughput_mode(ThroughputMode::Elastic)
///     .transition_to_ia(LifecycleAge::After30Days)
///     .transition_to_archive(LifecycleAge::After90Days)
///     .transition_to_primary_on_first_access(true)
///     .automatic_backups(true)
///     .name("shared-models")
///     .removal_policy(RemovalPolicy::Delete);
/// # let _ = props;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct FileSystemProps {
    vpc: Vpc,
    subnets: SubnetSelection,
    security_group: Option<SecurityGroup>,
    encrypted: bool,
    kms_key: Option<Str>,
    performance_mode: PerformanceMode,
    throughput_mode: ThroughputMode,
    transition_to_ia: Option<LifecycleAge>,
    transition_to_archive: Option<LifecycleAge>,
    back_on_access: bool,
    policy: Option<PolicyDocument>,
    automatic_backups: Option<bool>,
    removal_policy: RemovalPolicy,
    name: Option<Str>,
    tags: Vec<(String, Str)>,
}

impl FileSystemProps {
    /// A file system in `vpc`, with the defaults above.
    pub fn new(vpc: &Vpc) -> Self {
        FileSystemProps {
            vpc: vpc.clone(),
            subnets: SubnetSelection::Type(SubnetType::Private),
            security_group: None,
            encrypted: true,
            kms_key: None,
            performance_mode: PerformanceMode::GeneralPurpose,
            throughput_mode: ThroughputMode::Bursting,
            transition_to_ia: None,
            transition_to_archive: None,
            back_on_access: false,
            policy: None,
            automatic_backups: None,
            removal_policy: RemovalPolicy::Retain,
            name: None,
            tags: Vec::new(),
        }
    }

    /// The subnets that get a mount target (the private subnets by
    /// default; at most one subnet per zone).
    pub fn vpc_subnets(mut self, selection: impl Into<SubnetSelection>) -> Self {
        self.subnets = selection.into();
        self
    }

    /// Puts the mount targets in this security group instead of a new one.
    pub fn security_group(mut self, group: &SecurityGroup) -> Self {
        self.security_group = Some(group.clone());
        self
    }

    /// Encryption at rest (on by default; `false` is reported as a warning,
    /// `FW3305`). It cannot change without replacing the file system.
    pub fn encrypted(mut self, encrypted: bool) -> Self {
        self.encrypted = encrypted;
        self
    }

    /// A customer managed KMS key (its ARN, id or alias) instead of the
    /// AWS managed key.
    pub fn kms_key(mut self, key: impl Into<Str>) -> Self {
        self.kms_key = Some(key.into());
        self
    }

    /// The performance mode (General Purpose by default).
    pub fn performance_mode(mut self, mode: PerformanceMode) -> Self {
        self.performance_mode = mode;
        self
    }

    /// The throughput mode (Bursting by default).
    pub fn throughput_mode(mut self, mode: ThroughputMode) -> Self {
        self.throughput_mode = mode;
        self
    }

    /// Moves files not read for that long to Infrequent Access storage.
    pub fn transition_to_ia(mut self, age: LifecycleAge) -> Self {
        self.transition_to_ia = Some(age);
        self
    }

    /// Moves files not read for that long to Archive storage (Elastic
    /// throughput and General Purpose only; later than the transition to
    /// Infrequent Access).
    pub fn transition_to_archive(mut self, age: LifecycleAge) -> Self {
        self.transition_to_archive = Some(age);
        self
    }

    /// Moves a file back to primary storage the first time it is read from
    /// Infrequent Access or Archive.
    pub fn transition_to_primary_on_first_access(mut self, on: bool) -> Self {
        self.back_on_access = on;
        self
    }

    /// The file system policy (its resource policy; none by default, which
    /// lets every client that reaches a mount target in). Statements can
    /// also be added later with [`FileSystem::add_to_resource_policy`].
    pub fn file_system_policy(mut self, policy: PolicyDocument) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Daily backups by AWS Backup (`BackupPolicy`); unset, the account's
    /// default applies (off for file systems created by CloudFormation).
    pub fn automatic_backups(mut self, on: bool) -> Self {
        self.automatic_backups = Some(on);
        self
    }

    /// What happens to the file system when it leaves the stack or is
    /// replaced: `Retain` by default; `Delete` deletes it with its files.
    /// `Snapshot` is an error (`FW3306`): file systems have no snapshots
    /// (use [`FileSystemProps::automatic_backups`]).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }

    /// The `Name` tag (the console's name column; the construct path by default).
    pub fn name(mut self, name: impl Into<Str>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<Str>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

#[derive(Debug)]
struct Inner {
    cfn: CfnFileSystemRef,
    scope: Scope,
    connections: Connections,
    mount_targets: Vec<CfnMountTargetRef>,
    policy: RefCell<PolicyDocument>,
}

/// An EFS file system with a mount target in each selected subnet.
///
/// It is [`Connectable`] with the default port 2049 (NFS), so access reads
/// as the architecture says:
/// `fs.connections().allow_default_port_from(&service, "NFS from the tasks")`.
///
/// A task or function must not mount the file system before its mount
/// targets exist: make it depend on them with
/// [`FileSystem::add_mount_dependency`] (or [`FileSystem::mount_targets`]).
///
/// IAM grants ([`FileSystem::grant_read_write`], …) take effect for clients
/// that mount with IAM authorization once a file system policy restricts
/// access: without one, EFS lets every client that reaches a mount target in.
#[derive(Clone, Debug)]
pub struct FileSystem {
    inner: Rc<Inner>,
}

const READ: &[GrantSpec] = &[GrantSpec {
    actions: &["elasticfilesystem:ClientMount"],
    arn: 0,
}];
const READ_WRITE: &[GrantSpec] = &[GrantSpec {
    actions: &[
        "elasticfilesystem:ClientMount",
        "elasticfilesystem:ClientWrite",
    ],
    arn: 0,
}];
const ROOT: &[GrantSpec] = &[GrantSpec {
    actions: &[
        "elasticfilesystem:ClientMount",
        "elasticfilesystem:ClientWrite",
        "elasticfilesystem:ClientRootAccess",
    ],
    arn: 0,
}];

/// A number as a template number: an integer when it is one.
fn number(v: f64) -> Num {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        Num::from(v as i64)
    } else {
        Num::from(v)
    }
}

fn check_modes(node: &Scope, props: &FileSystemProps) {
    if let ThroughputMode::Provisioned { mibps } = props.throughput_mode {
        let prop = "ProvisionedThroughputInMibps";
        if !(mibps.is_finite() && mibps >= 1.0) {
            node.error(
                codes::THROUGHPUT,
                prop,
                format!("{mibps} MiB/s of provisioned throughput; allowed: 1 MiB/s or more"),
            );
        } else if mibps > MAX_PROVISIONED_MIBPS {
            node.report(
                Diagnostic::warning(
                    codes::THROUGHPUT,
                    node.path(),
                    format!(
                        "{mibps} MiB/s of provisioned throughput is above the default limit of {MAX_PROVISIONED_MIBPS} MiB/s (lower in some regions)"
                    ),
                )
                .property(prop)
                .fix("ask AWS Support for a limit increase first, or use ThroughputMode::Elastic"),
            );
        }
    }
    if props.performance_mode == PerformanceMode::MaxIo
        && props.throughput_mode == ThroughputMode::Elastic
    {
        node.report(
            Diagnostic::error(
                codes::MODES,
                node.path(),
                "Elastic throughput is not available with the Max I/O performance mode",
            )
            .property("ThroughputMode")
            .fix("use PerformanceMode::GeneralPurpose (lower latency, and Elastic scales throughput)"),
        );
    }
    if props.transition_to_archive.is_some()
        && (props.throughput_mode != ThroughputMode::Elastic
            || props.performance_mode != PerformanceMode::GeneralPurpose)
    {
        node.report(
            Diagnostic::error(
                codes::MODES,
                node.path(),
                "the Archive storage class needs Elastic throughput and the General Purpose performance mode",
            )
            .property("LifecyclePolicies")
            .fix("use ThroughputMode::Elastic and PerformanceMode::GeneralPurpose, or drop transition_to_archive"),
        );
    }
    if let (Some(ia), Some(archive)) = (props.transition_to_ia, props.transition_to_archive) {
        if archive <= ia {
            node.report(
                Diagnostic::error(
                    codes::LIFECYCLE,
                    node.path(),
                    format!(
                        "files move to Archive after {} days, not later than to Infrequent Access after {} days; allowed: Archive later than Infrequent Access",
                        archive.days(),
                        ia.days()
                    ),
                )
                .property("LifecyclePolicies")
                .fix("move files to Archive after a longer age than to Infrequent Access"),
            );
        }
    }
}

fn check_encryption(node: &Scope, props: &FileSystemProps) {
    if props.encrypted {
        return;
    }
    if props.kms_key.is_some() {
        node.report(
            Diagnostic::error(
                codes::KMS_WITHOUT_ENCRYPTION,
                node.path(),
                "a KMS key is set on a file system that is not encrypted",
            )
            .property("KmsKeyId")
            .fix("keep encryption on (the default), or drop the key"),
        );
    } else {
        node.report(
            Diagnostic::warning(
                codes::UNENCRYPTED,
                node.path(),
                "the file system is not encrypted at rest, and encryption cannot be turned on later without replacing it",
            )
            .property("Encrypted")
            .fix("keep encryption on (the default costs nothing extra with the AWS managed key)"),
        );
    }
}

impl FileSystem {
    /// Adds a file system at `scope/id`, its security group at
    /// `id/SecurityGroup` (unless one is given) and its mount targets at
    /// `id/MountTarget1`, `id/MountTarget2`, ….
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::efs::{FileSystem, FileSystemProps};
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let fs = FileSystem::new(&stack, "Files", FileSystemProps::new(&vpc))?;
    /// assert_eq!(fs.cfn().logical_id(), "Files");
    /// assert_eq!(fs.mount_targets()[0].logical_id(), "FilesMountTarget1");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: FileSystemProps) -> Result<FileSystem> {
        let node = scope.child(id)?;
        check_modes(&node, &props);
        check_encryption(&node, &props);
        let subnets = props.vpc.select_subnets(props.subnets.clone());
        if subnets.check_not_empty(&node, "MountTargets.SubnetId") {
            subnets.check_one_per_zone(&node, "MountTargets.SubnetId");
        }

        let mut cfn = CfnFileSystem::new()
            .encrypted(props.encrypted)
            .performance_mode(props.performance_mode.l1())
            .throughput_mode(props.throughput_mode.l1());
        if let Some(k) = &props.kms_key {
            cfn = cfn.kms_key_id(k.clone());
        }
        if let ThroughputMode::Provisioned { mibps } = props.throughput_mode {
            cfn = cfn.provisioned_throughput_in_mibps(number(mibps));
        }
        let mut lifecycle = Vec::new();
        if let Some(a) = props.transition_to_ia {
            lifecycle.push(
                file_system::LifecyclePolicy::new()
                    .transition_to_ia(file_system::TransitionToIa::from(a.as_str())),
            );
        }
        if let Some(a) = props.transition_to_archive {
            lifecycle.push(
                file_system::LifecyclePolicy::new()
                    .transition_to_archive(file_system::TransitionToArchive::from(a.as_str())),
            );
        }
        if props.back_on_access {
            lifecycle.push(
                file_system::LifecyclePolicy::new().transition_to_primary_storage_class(
                    file_system::TransitionToPrimaryStorageClass::After1Access,
                ),
            );
        }
        if !lifecycle.is_empty() {
            cfn = cfn.lifecycle_policies(lifecycle);
        }
        if let Some(on) = props.automatic_backups {
            let status = if on {
                file_system::Status::Enabled
            } else {
                file_system::Status::Disabled
            };
            cfn = cfn.backup_policy(file_system::BackupPolicy::new().status(status));
        }
        let policy = props.policy.clone().unwrap_or_default();
        if !policy.is_empty() {
            cfn = cfn.file_system_policy(policy.clone());
        }
        let mut tags = vec![
            file_system::ElasticFileSystemTag::new()
                .key("Name")
                .value(props.name.clone().unwrap_or_else(|| Str::from(node.path()))),
        ];
        for (k, v) in &props.tags {
            tags.push(
                file_system::ElasticFileSystemTag::new()
                    .key(k.as_str())
                    .value(v.clone()),
            );
        }
        cfn = cfn.file_system_tags(tags);
        let cfn = node.add_here(cfn)?;

        let removal = match props.removal_policy {
            RemovalPolicy::Snapshot => {
                node.report(
                    Diagnostic::error(
                        codes::REMOVAL_POLICY,
                        node.path(),
                        "RemovalPolicy::Snapshot: EFS file systems have no CloudFormation snapshots; allowed: Retain, RetainExceptOnCreate, Delete",
                    )
                    .property("DeletionPolicy")
                    .fix("use RemovalPolicy::Retain, and automatic_backups(true) for backups"),
                );
                RemovalPolicy::Retain
            }
            p => p,
        };
        cfn.apply_removal_policy(removal);

        let group = SecurityGroup::for_construct(
            &node,
            props.security_group.as_ref(),
            SecurityGroupProps::new(&props.vpc).allow_all_outbound(false),
        )?;
        let connections = Connections::new([group]).with_default_port(Port::tcp(NFS_PORT));
        let mut mount_targets = Vec::new();
        for (i, subnet) in subnets.subnets().iter().enumerate() {
            let mt = CfnMountTarget::new()
                .file_system_id(cfn.ref_())
                .subnet_id(subnet.subnet_id())
                .security_groups(connections.security_group_ids());
            mount_targets.push(node.add(&format!("MountTarget{}", i + 1), mt)?);
        }
        Ok(FileSystem {
            inner: Rc::new(Inner {
                cfn,
                scope: node,
                connections,
                mount_targets,
                policy: RefCell::new(policy),
            }),
        })
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnFileSystemRef {
        &self.inner.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.inner.scope
    }

    /// `Ref`: the file system id (`fs-…`), what an ECS volume or a Lambda
    /// file system configuration names.
    pub fn file_system_id(&self) -> Expr {
        self.inner.cfn.ref_()
    }

    /// `Fn::GetAtt Arn`.
    pub fn arn(&self) -> Expr {
        self.inner.cfn.arn()
    }

    /// The mount targets, one per selected subnet: a task or function that
    /// mounts the file system must depend on them.
    pub fn mount_targets(&self) -> &[CfnMountTargetRef] {
        &self.inner.mount_targets
    }

    /// Makes `resource` (a service, a function) depend on every mount
    /// target, so that it starts once the file system can be mounted.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::efs::{FileSystem, FileSystemProps};
    /// # use formwork::ec2::CfnEip;
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let fs = FileSystem::new(&stack, "Files", FileSystemProps::new(&vpc))?;
    /// let consumer = stack.add("Consumer", CfnEip::new().domain("vpc"))?; // stands for a service
    /// fs.add_mount_dependency(&consumer);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn add_mount_dependency(&self, resource: &ResourceRef) {
        for mt in &self.inner.mount_targets {
            resource.add_depends_on(mt);
        }
    }

    /// Adds an access point at `<file system>/<id>` (see [`AccessPoint`]).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::efs::{AccessPointProps, FileSystem, FileSystemProps};
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let fs = FileSystem::new(&stack, "Files", FileSystemProps::new(&vpc))?;
    /// let ap = fs.add_access_point(
    ///     "Cache",
    ///     AccessPointProps::new().path("/cache").posix_user(1000, 1000).creation_info(1000, 1000, "750"),
    /// )?;
    /// assert_eq!(ap.cfn().logical_id(), "FilesCache");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_access_point(&self, id: &str, props: AccessPointProps) -> Result<AccessPoint> {
        AccessPoint::new(&self.inner.scope, id, self, props)
    }

    /// Adds a statement to the file system policy (merged with the
    /// statements already there).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::efs::{FileSystem, FileSystemProps};
    /// use formwork::iam::{PolicyStatement, Principal};
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let fs = FileSystem::new(&stack, "Files", FileSystemProps::new(&vpc))?;
    /// fs.add_to_resource_policy(
    ///     PolicyStatement::deny()
    ///         .principal(Principal::Any)
    ///         .actions(["*"])
    ///         .condition("Bool", "aws:SecureTransport", "false"),
    /// );
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn add_to_resource_policy(&self, statement: PolicyStatement) {
        let doc = {
            let mut p = self.inner.policy.borrow_mut();
            p.add(statement);
            p.clone()
        };
        self.inner.cfn.update(|r| r.file_system_policy(doc));
    }

    /// Lets the grantee mount the file system read-only:
    /// `elasticfilesystem:ClientMount` on its ARN. Like every grant here, a
    /// grantee without a role formwork manages gets warning `FW2001`
    /// ([`iam::codes::GRANT_NO_ROLE`]) naming the actions.
    #[track_caller]
    pub fn grant_read(&self, grantee: &dyn Grantee) -> Result<()> {
        self.apply(grantee, READ)
    }

    /// Lets the grantee mount and write: `elasticfilesystem:ClientMount`
    /// and `elasticfilesystem:ClientWrite` on the file system ARN, nothing else.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::efs::{FileSystem, FileSystemProps};
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let fs = FileSystem::new(&stack, "Files", FileSystemProps::new(&vpc))?;
    /// let role = Role::new(&stack, "TaskRole", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")))?;
    /// fs.grant_read_write(&role)?;
    /// assert_eq!(role.policy().statements()[0].get_actions().len(), 2);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant_read_write(&self, grantee: &dyn Grantee) -> Result<()> {
        self.apply(grantee, READ_WRITE)
    }

    /// Lets the grantee mount, write, and act as root (uid 0):
    /// `elasticfilesystem:ClientMount`, `ClientWrite` and `ClientRootAccess`.
    #[track_caller]
    pub fn grant_root_access(&self, grantee: &dyn Grantee) -> Result<()> {
        self.apply(grantee, ROOT)
    }

    /// Lets the grantee do exact `elasticfilesystem:` actions on this file
    /// system (an action of another service, or with `*`, is refused:
    /// `FW3309`).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::efs::{FileSystem, FileSystemProps};
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let fs = FileSystem::new(&stack, "Files", FileSystemProps::new(&vpc))?;
    /// let role = Role::new(&stack, "Ops", RoleProps::new(Principal::service("lambda.amazonaws.com")))?;
    /// fs.grant(&role, &["elasticfilesystem:DescribeMountTargets"])?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant(&self, grantee: &dyn Grantee, actions: &[&str]) -> Result<()> {
        let node = &self.inner.scope;
        let mut ok = Vec::new();
        for a in actions {
            let name = a.strip_prefix("elasticfilesystem:").unwrap_or_default();
            let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric());
            if valid {
                ok.push(*a);
            } else {
                node.report(
                    Diagnostic::error(
                        codes::GRANT_ACTION,
                        node.path(),
                        format!("`{a}` is not an exact EFS action; a file system grants only `elasticfilesystem:<Action>` actions, without wildcards"),
                    )
                    .property("Policies")
                    .fix("name each action, such as elasticfilesystem:ClientMount"),
                );
            }
        }
        if ok.is_empty() {
            return Ok(());
        }
        if let Some(identity) = grantee.identity_or_report(node, &ok) {
            identity.add_to_policy(PolicyStatement::allow().actions(ok).resource(self.arn()));
        }
        Ok(())
    }

    #[track_caller]
    fn apply(&self, grantee: &dyn Grantee, specs: &[GrantSpec]) -> Result<()> {
        iam::grant_or_report(
            &self.inner.scope,
            grantee,
            specs,
            &[Value::from(self.arn())],
        );
        Ok(())
    }
}

impl Connectable for FileSystem {
    fn connections(&self) -> Connections {
        self.inner.connections.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec2::VpcProps;
    use crate::ec2::testutil::{errors, vpc_stack, with_code};
    use crate::efs::AccessPointProps;
    use crate::iam::{Principal, Role, RoleProps};
    use formwork_core::{App, Stack};
    use serde_json::json;

    fn setup() -> (App, Stack, Vpc) {
        vpc_stack("Weather")
    }

    fn role(s: &Stack, id: &str) -> Role {
        Role::new(
            s,
            id,
            RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")),
        )
        .unwrap()
    }

    /// Reference C: general purpose, bursting, lifecycle to Infrequent
    /// Access after 30 days, tag Name=weather-comment-cache, a mount target
    /// in each private subnet; NFS (2049) only from the tasks' group.
    #[test]
    fn reference_c_file_system() {
        let (app, s, vpc) = setup();
        let tasks =
            SecurityGroup::new(&s, "TaskSecurityGroup", SecurityGroupProps::new(&vpc)).unwrap();
        let fs = FileSystem::new(
            &s,
            "Cache",
            FileSystemProps::new(&vpc)
                .performance_mode(PerformanceMode::GeneralPurpose)
                .throughput_mode(ThroughputMode::Bursting)
                .transition_to_ia(LifecycleAge::After30Days)
                .name("weather-comment-cache"),
        )
        .unwrap();
        fs.connections()
            .allow_default_port_from(&tasks, "NFS from the tasks")
            .unwrap();
        assert_eq!(fs.connections().default_port(), Some(Port::tcp(2049)));
        assert_eq!(fs.mount_targets().len(), 2);
        let t = formwork_test_support::template(
            &formwork_test_support::synth_and_lint(&app, "efs-reference-c"),
            "Weather",
        );
        let r = &t["Resources"];
        assert_eq!(
            r["Cache"],
            json!({
                "Type": "AWS::EFS::FileSystem",
                "Properties": {
                    "Encrypted": true,
                    "FileSystemTags": [{"Key": "Name", "Value": "weather-comment-cache"}],
                    "LifecyclePolicies": [{"TransitionToIA": "AFTER_30_DAYS"}],
                    "PerformanceMode": "generalPurpose",
                    "ThroughputMode": "bursting"
                },
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain"
            })
        );
        for (i, subnet) in [
            (1, "VpcPrivateSubnet1Subnet"),
            (2, "VpcPrivateSubnet2Subnet"),
        ] {
            assert_eq!(
                r[format!("CacheMountTarget{i}")],
                json!({
                    "Type": "AWS::EFS::MountTarget",
                    "Properties": {
                        "FileSystemId": {"Ref": "Cache"},
                        "SecurityGroups": [{"Fn::GetAtt": ["CacheSecurityGroup", "GroupId"]}],
                        "SubnetId": {"Ref": subnet}
                    }
                })
            );
        }
        // The file system's group lets in NFS from the tasks' group, nothing else.
        let ingress: Vec<(&String, &serde_json::Value)> = r
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, v)| v["Type"] == "AWS::EC2::SecurityGroupIngress")
            .collect();
        assert_eq!(ingress.len(), 1);
        assert_eq!(ingress[0].0, "CacheSecurityGroupFromTaskSecurityGroup2049");
        assert_eq!(
            ingress[0].1["Properties"],
            json!({
                "Description": "NFS from the tasks",
                "FromPort": 2049,
                "GroupId": {"Fn::GetAtt": ["CacheSecurityGroup", "GroupId"]},
                "IpProtocol": "tcp",
                "SourceSecurityGroupId": {"Fn::GetAtt": ["TaskSecurityGroup", "GroupId"]},
                "ToPort": 2049
            })
        );
        let group = &r["CacheSecurityGroup"]["Properties"];
        assert!(group.get("SecurityGroupIngress").is_none());
        assert_eq!(
            group["SecurityGroupEgress"][0]["CidrIp"],
            "255.255.255.255/32"
        );
    }

    #[test]
    fn defaults_name_the_path_and_options_are_written() {
        let (app, s, vpc) = setup();
        let given = SecurityGroup::new(&s, "Shared", SecurityGroupProps::new(&vpc)).unwrap();
        FileSystem::new(&s, "Plain", FileSystemProps::new(&vpc)).unwrap();
        let fs = FileSystem::new(
            &s,
            "Models",
            FileSystemProps::new(&vpc)
                .vpc_subnets(SubnetSelection::group("Public"))
                .security_group(&given)
                .kms_key("arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
                .throughput_mode(ThroughputMode::Elastic)
                .transition_to_ia(LifecycleAge::After7Days)
                .transition_to_archive(LifecycleAge::After90Days)
                .transition_to_primary_on_first_access(true)
                .automatic_backups(true)
                .removal_policy(RemovalPolicy::Delete)
                .tag("team", "vision"),
        )
        .unwrap();
        let fixed = FileSystem::new(
            &s,
            "Fixed",
            FileSystemProps::new(&vpc)
                .throughput_mode(ThroughputMode::Provisioned { mibps: 128.0 })
                .automatic_backups(false),
        )
        .unwrap();
        fs.add_to_resource_policy(
            PolicyStatement::deny()
                .principal(crate::iam::Principal::Any)
                .actions(["*"])
                .condition("Bool", "aws:SecureTransport", "false"),
        );
        let consumer = s
            .add(
                "Consumer",
                formwork_l1::efs::CfnAccessPoint::new().file_system_id(fixed.file_system_id()),
            )
            .unwrap();
        fixed.add_mount_dependency(&consumer);
        let t = formwork_test_support::template(
            &formwork_test_support::synth_and_lint(&app, "efs-options"),
            "Weather",
        );
        let r = &t["Resources"];
        assert_eq!(
            r["Plain"]["Properties"]["FileSystemTags"],
            json!([{"Key": "Name", "Value": "Weather/Plain"}])
        );
        assert_eq!(
            r["Models"],
            json!({
                "Type": "AWS::EFS::FileSystem",
                "Properties": {
                    "BackupPolicy": {"Status": "ENABLED"},
                    "Encrypted": true,
                    "FileSystemPolicy": {
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "*",
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                        }]
                    },
                    "FileSystemTags": [
                        {"Key": "Name", "Value": "Weather/Models"},
                        {"Key": "team", "Value": "vision"}
                    ],
                    "KmsKeyId": "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    "LifecyclePolicies": [
                        {"TransitionToIA": "AFTER_7_DAYS"},
                        {"TransitionToArchive": "AFTER_90_DAYS"},
                        {"TransitionToPrimaryStorageClass": "AFTER_1_ACCESS"}
                    ],
                    "PerformanceMode": "generalPurpose",
                    "ThroughputMode": "elastic"
                },
                "DeletionPolicy": "Delete",
                "UpdateReplacePolicy": "Delete"
            })
        );
        assert!(
            r.get("ModelsSecurityGroup").is_none(),
            "the given group is used"
        );
        assert_eq!(
            r["ModelsMountTarget1"]["Properties"]["SecurityGroups"],
            json!([{"Fn::GetAtt": ["Shared", "GroupId"]}])
        );
        assert_eq!(
            r["ModelsMountTarget1"]["Properties"]["SubnetId"],
            json!({"Ref": "VpcPublicSubnet1Subnet"})
        );
        assert_eq!(
            r["Fixed"]["Properties"]["ProvisionedThroughputInMibps"],
            128
        );
        assert_eq!(r["Fixed"]["Properties"]["ThroughputMode"], "provisioned");
        assert_eq!(
            r["Fixed"]["Properties"]["BackupPolicy"],
            json!({"Status": "DISABLED"})
        );
        assert_eq!(
            r["Consumer"]["DependsOn"],
            json!(["FixedMountTarget1", "FixedMountTarget2"])
        );
    }

    #[test]
    fn grants_are_exact_client_actions_on_the_file_system() {
        let (app, s, vpc) = setup();
        let fs = FileSystem::new(&s, "Files", FileSystemProps::new(&vpc)).unwrap();
        let (reader, writer, admin, ops) = (
            role(&s, "Reader"),
            role(&s, "Writer"),
            role(&s, "Admin"),
            role(&s, "Ops"),
        );
        fs.grant_read(&reader).unwrap();
        fs.grant_read_write(&writer).unwrap();
        fs.grant_root_access(&admin).unwrap();
        fs.grant(
            &ops,
            &[
                "elasticfilesystem:DescribeMountTargets",
                "elasticfilesystem:DescribeAccessPoints",
            ],
        )
        .unwrap();
        let t = formwork_test_support::template(
            &formwork_test_support::synth_and_lint(&app, "efs-grants"),
            "Weather",
        );
        let stmt = |id: &str| {
            t["Resources"][id]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].clone()
        };
        let arn = json!({"Fn::GetAtt": ["Files", "Arn"]});
        assert_eq!(
            stmt("Reader"),
            json!([{"Effect": "Allow", "Action": "elasticfilesystem:ClientMount", "Resource": arn}])
        );
        assert_eq!(
            stmt("Writer"),
            json!([{"Effect": "Allow", "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], "Resource": arn}])
        );
        assert_eq!(
            stmt("Admin"),
            json!([{
                "Effect": "Allow",
                "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"],
                "Resource": arn
            }])
        );
        assert_eq!(
            stmt("Ops"),
            json!([{
                "Effect": "Allow",
                "Action": ["elasticfilesystem:DescribeMountTargets", "elasticfilesystem:DescribeAccessPoints"],
                "Resource": arn
            }])
        );
    }

    #[test]
    fn grant_problems_are_reported() {
        use crate::iam::testing::NoRole;
        let (app, s, vpc) = setup();
        let fs = FileSystem::new(&s, "Files", FileSystemProps::new(&vpc)).unwrap();
        let r = role(&s, "R");
        fs.grant(
            &r,
            &[
                "elasticfilesystem:Client*",
                "s3:GetObject",
                "elasticfilesystem:",
            ],
        )
        .unwrap();
        fs.grant_read_write(&NoRole).unwrap();
        fs.grant(&NoRole, &["elasticfilesystem:DescribeMountTargets"])
            .unwrap();
        let errs = errors(&app);
        let ga = with_code(&errs, codes::GRANT_ACTION);
        assert_eq!(ga.len(), 3, "{errs:?}");
        assert_eq!(ga[0].path, "Weather/Files");
        assert_eq!(
            ga[0].message,
            "`elasticfilesystem:Client*` is not an exact EFS action; a file system grants only `elasticfilesystem:<Action>` actions, without wildcards"
        );
        assert!(
            ga[1]
                .message
                .starts_with("`s3:GetObject` is not an exact EFS action")
        );
        let warn = with_code(&errs, iam::codes::GRANT_NO_ROLE);
        assert_eq!(warn.len(), 2);
        assert!(!warn[0].is_error());
        assert_eq!(warn[0].path, "Weather/Files");
        assert_eq!(
            warn[0].message,
            "the grantee has no role, so elasticfilesystem:ClientMount, elasticfilesystem:ClientWrite was not granted"
        );
        assert_eq!(
            warn[1].message,
            "the grantee has no role, so elasticfilesystem:DescribeMountTargets was not granted"
        );
        assert!(
            r.policy().is_empty(),
            "nothing is granted for refused actions"
        );
    }

    #[test]
    fn mode_and_lifecycle_conflicts_are_errors() {
        let (app, s, vpc) = setup();
        FileSystem::new(
            &s,
            "MaxIoElastic",
            FileSystemProps::new(&vpc)
                .performance_mode(PerformanceMode::MaxIo)
                .throughput_mode(ThroughputMode::Elastic),
        )
        .unwrap();
        FileSystem::new(
            &s,
            "ArchiveBursting",
            FileSystemProps::new(&vpc).transition_to_archive(LifecycleAge::After90Days),
        )
        .unwrap();
        FileSystem::new(
            &s,
            "ArchiveEarly",
            FileSystemProps::new(&vpc)
                .throughput_mode(ThroughputMode::Elastic)
                .transition_to_ia(LifecycleAge::After30Days)
                .transition_to_archive(LifecycleAge::After30Days),
        )
        .unwrap();
        let errs = errors(&app);
        let modes = with_code(&errs, codes::MODES);
        assert_eq!(modes.len(), 2, "{errs:?}");
        assert_eq!(modes[0].path, "Weather/MaxIoElastic");
        assert_eq!(modes[0].property.as_deref(), Some("ThroughputMode"));
        assert_eq!(
            modes[0].message,
            "Elastic throughput is not available with the Max I/O performance mode"
        );
        assert_eq!(modes[1].path, "Weather/ArchiveBursting");
        assert_eq!(modes[1].property.as_deref(), Some("LifecyclePolicies"));
        assert_eq!(
            modes[1].message,
            "the Archive storage class needs Elastic throughput and the General Purpose performance mode"
        );
        let lc = with_code(&errs, codes::LIFECYCLE);
        assert_eq!(lc.len(), 1);
        assert_eq!(lc[0].path, "Weather/ArchiveEarly");
        assert_eq!(
            lc[0].message,
            "files move to Archive after 30 days, not later than to Infrequent Access after 30 days; allowed: Archive later than Infrequent Access"
        );
    }

    #[test]
    fn throughput_encryption_and_removal_are_checked() {
        let (app, s, vpc) = setup();
        FileSystem::new(
            &s,
            "Tiny",
            FileSystemProps::new(&vpc).throughput_mode(ThroughputMode::Provisioned { mibps: 0.5 }),
        )
        .unwrap();
        FileSystem::new(
            &s,
            "Huge",
            FileSystemProps::new(&vpc)
                .throughput_mode(ThroughputMode::Provisioned { mibps: 5000.0 }),
        )
        .unwrap();
        FileSystem::new(
            &s,
            "KeyNoEnc",
            FileSystemProps::new(&vpc)
                .encrypted(false)
                .kms_key("alias/efs"),
        )
        .unwrap();
        FileSystem::new(&s, "Clear", FileSystemProps::new(&vpc).encrypted(false)).unwrap();
        FileSystem::new(
            &s,
            "Snap",
            FileSystemProps::new(&vpc).removal_policy(RemovalPolicy::Snapshot),
        )
        .unwrap();
        let errs = errors(&app);
        let tp = with_code(&errs, codes::THROUGHPUT);
        assert_eq!(tp.len(), 2, "{errs:?}");
        assert_eq!(tp[0].path, "Weather/Tiny");
        assert!(tp[0].is_error());
        assert_eq!(
            tp[0].property.as_deref(),
            Some("ProvisionedThroughputInMibps")
        );
        assert_eq!(
            tp[0].message,
            "0.5 MiB/s of provisioned throughput; allowed: 1 MiB/s or more"
        );
        assert_eq!(tp[1].path, "Weather/Huge");
        assert!(!tp[1].is_error());
        assert_eq!(
            tp[1].message,
            "5000 MiB/s of provisioned throughput is above the default limit of 3414 MiB/s (lower in some regions)"
        );
        let kms = with_code(&errs, codes::KMS_WITHOUT_ENCRYPTION);
        assert_eq!(kms.len(), 1);
        assert_eq!(kms[0].path, "Weather/KeyNoEnc");
        assert_eq!(kms[0].property.as_deref(), Some("KmsKeyId"));
        let clear = with_code(&errs, codes::UNENCRYPTED);
        assert_eq!(clear.len(), 1);
        assert_eq!(clear[0].path, "Weather/Clear");
        assert!(!clear[0].is_error());
        assert_eq!(clear[0].property.as_deref(), Some("Encrypted"));
        let rp = with_code(&errs, codes::REMOVAL_POLICY);
        assert_eq!(rp.len(), 1);
        assert_eq!(rp[0].path, "Weather/Snap");
        assert_eq!(rp[0].property.as_deref(), Some("DeletionPolicy"));
        assert!(rp[0].message.starts_with(
            "RemovalPolicy::Snapshot: EFS file systems have no CloudFormation snapshots"
        ));
    }

    #[test]
    fn subnets_must_exist_and_be_one_per_zone() {
        let (app, s, vpc) = setup();
        FileSystem::new(
            &s,
            "Nowhere",
            FileSystemProps::new(&vpc).vpc_subnets(SubnetType::Isolated),
        )
        .unwrap();
        FileSystem::new(
            &s,
            "Everywhere",
            FileSystemProps::new(&vpc).vpc_subnets(SubnetSelection::All),
        )
        .unwrap();
        let errs = errors(&app);
        let none = with_code(&errs, crate::ec2::codes::NO_SUBNETS);
        assert_eq!(none.len(), 1, "{errs:?}");
        assert_eq!(none[0].path, "Weather/Nowhere");
        assert_eq!(none[0].property.as_deref(), Some("MountTargets.SubnetId"));
        let dup = with_code(&errs, crate::ec2::codes::DUPLICATE_ZONE);
        assert_eq!(dup.len(), 1);
        assert_eq!(dup[0].path, "Weather/Everywhere");
    }

    #[test]
    fn access_points_are_written_and_checked() {
        let (app, s, vpc) = setup();
        let fs = FileSystem::new(&s, "Files", FileSystemProps::new(&vpc)).unwrap();
        let ap = fs
            .add_access_point(
                "Cache",
                AccessPointProps::new()
                    .path("/app/cache")
                    .posix_user(1000, 1000)
                    .secondary_gids([2000])
                    .creation_info(1000, 1000, "0750"),
            )
            .unwrap();
        fs.add_access_point("Root", AccessPointProps::new())
            .unwrap();
        s.add_output("ApId", formwork_core::Output::new(ap.access_point_id()))
            .unwrap();
        s.add_output("ApArn", formwork_core::Output::new(ap.arn()))
            .unwrap();
        assert_eq!(ap.scope().path(), "Weather/Files/Cache");
        let t = formwork_test_support::template(
            &formwork_test_support::synth_and_lint(&app, "efs-access-points"),
            "Weather",
        );
        assert_eq!(
            t["Resources"]["FilesCache"],
            json!({
                "Type": "AWS::EFS::AccessPoint",
                "Properties": {
                    "FileSystemId": {"Ref": "Files"},
                    "PosixUser": {"Gid": "1000", "SecondaryGids": ["2000"], "Uid": "1000"},
                    "RootDirectory": {
                        "CreationInfo": {"OwnerGid": "1000", "OwnerUid": "1000", "Permissions": "0750"},
                        "Path": "/app/cache"
                    }
                }
            })
        );
        assert_eq!(
            t["Resources"]["FilesRoot"]["Properties"],
            json!({"FileSystemId": {"Ref": "Files"}})
        );
        assert_eq!(
            t["Outputs"]["ApId"]["Value"],
            json!({"Fn::GetAtt": ["FilesCache", "AccessPointId"]})
        );

        let app = App::new();
        let s = app.stack("Weather").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let fs = FileSystem::new(&s, "Files", FileSystemProps::new(&vpc)).unwrap();
        fs.add_access_point(
            "BadMode",
            AccessPointProps::new()
                .path("/data")
                .creation_info(0, 0, "rwx"),
        )
        .unwrap();
        fs.add_access_point("BadPath", AccessPointProps::new().path("data/.cache"))
            .unwrap();
        let errs = errors(&app);
        assert_eq!(
            errs.len(),
            2,
            "one diagnostic per problem, none from the schema: {errs:?}"
        );
        let perm = with_code(&errs, codes::PERMISSIONS);
        assert_eq!(perm.len(), 1);
        assert_eq!(perm[0].path, "Weather/Files/BadMode");
        assert_eq!(
            perm[0].property.as_deref(),
            Some("RootDirectory.CreationInfo.Permissions")
        );
        assert_eq!(
            perm[0].message,
            "the permissions `rwx` are not a POSIX mode; allowed: 3 or 4 octal digits (0 to 7)"
        );
        let path = with_code(&errs, codes::ACCESS_POINT_PATH);
        assert_eq!(path.len(), 1);
        assert_eq!(path[0].path, "Weather/Files/BadPath");
        assert_eq!(path[0].property.as_deref(), Some("RootDirectory.Path"));
        assert_eq!(
            path[0].message,
            "the path `data/.cache` does not start with `/`"
        );
    }

    #[test]
    fn lifecycle_ages_round_trip() {
        for (d, a) in AGES {
            assert_eq!(LifecycleAge::from_days(d), Some(a));
            assert_eq!(a.days(), d);
            assert_eq!(
                file_system::TransitionToIa::from(a.as_str()).as_str(),
                a.as_str()
            );
        }
        assert!(LifecycleAge::After30Days < LifecycleAge::After90Days);
    }
}
