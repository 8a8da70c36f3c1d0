//! FargateTaskDefinition: what a Fargate task runs, with its roles,
//! containers and volumes.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, ResourceRef, Result, Scope};
use formwork_l1::ecs::{CfnTaskDefinition, CfnTaskDefinitionRef, task_definition};

use super::container::{Container, ContainerProps, PortProtocol};
use super::image::ImageSource;
use super::secret::grant_secret_value;
use super::{codes, names};
use crate::ec2::{Connectable, Connections};
use crate::efs::{AccessPoint, FileSystem};
use crate::iam::{Grantee, Identity, Principal, Role, RoleProps};

/// The CPU architecture tasks run on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CpuArchitecture {
    /// `X86_64` (the default): images built for `linux/amd64`.
    #[default]
    X86_64,
    /// `ARM64` (Graviton, about 20 % cheaper): images built for `linux/arm64`.
    Arm64,
}

impl CpuArchitecture {
    fn l1(self) -> task_definition::CpuArchitecture {
        match self {
            CpuArchitecture::X86_64 => task_definition::CpuArchitecture::X8664,
            CpuArchitecture::Arm64 => task_definition::CpuArchitecture::Arm64,
        }
    }
}

/// The task sizes Fargate offers: cpu units and the memory values (MiB)
/// allowed with each.
const FARGATE_SIZES: [(u32, u32, u32, u32); 7] = [
    // (cpu, first memory, last memory, step)
    (256, 512, 2048, 0),
    (512, 1024, 4096, 1024),
    (1024, 2048, 8192, 1024),
    (2048, 4096, 16384, 1024),
    (4096, 8192, 30720, 1024),
    (8192, 16384, 61440, 4096),
    (16384, 32768, 122880, 8192),
];

/// The memory values (MiB) Fargate allows with `cpu` units, or `None`
/// when `cpu` is not a Fargate task size.
pub(crate) fn fargate_memory_values(cpu: u32) -> Option<Vec<u32>> {
    let (_, first, last, step) = FARGATE_SIZES.iter().find(|(c, ..)| *c == cpu)?;
    Some(if *step == 0 {
        vec![512, 1024, 2048]
    } else {
        (*first..=*last).step_by(*step as usize).collect()
    })
}

fn join(values: &[u32]) -> String {
    values
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a [`FargateTaskDefinition`] is made with.
///
/// Defaults: a family CloudFormation derives from the stack and logical id;
/// the smallest size, 256 cpu units (a quarter vCPU) and 512 MiB; Linux on
/// the architecture ECS defaults to (`X86_64`) with no `RuntimePlatform`
/// written; 20 GiB of ephemeral storage (Fargate's default).
///
/// `cpu` and `memory_mib` are checked against the sizes Fargate offers
/// (`FW3201`, `FW3202`):
///
/// | cpu units | memory (MiB) |
/// |---|---|
/// | 256 | 512, 1024, 2048 |
/// | 512 | 1024 to 4096, in steps of 1024 |
/// | 1024 | 2048 to 8192, in steps of 1024 |
/// | 2048 | 4096 to 16384, in steps of 1024 |
/// | 4096 | 8192 to 30720, in steps of 1024 |
/// | 8192 | 16384 to 61440, in steps of 4096 |
/// | 16384 | 32768 to 122880, in steps of 8192 |
///
/// ```
/// use formwork::ecs::{CpuArchitecture, FargateTaskDefinitionProps};
/// let props = FargateTaskDefinitionProps::new()
///     .family("weather-comment-generator")
///     .cpu(1024)
///     .memory_mib(2048)
///     .cpu_architecture(CpuArchitecture::X86_64)
///     .ephemeral_storage_gib(30);
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct FargateTaskDefinitionProps {
    family: Option<Str>,
    cpu: u32,
    memory: u32,
    architecture: Option<CpuArchitecture>,
    ephemeral_storage: Option<u32>,
}

impl Default for FargateTaskDefinitionProps {
    fn default() -> Self {
        FargateTaskDefinitionProps::new()
    }
}

impl FargateTaskDefinitionProps {
    /// The defaults above.
    pub fn new() -> Self {
        FargateTaskDefinitionProps {
            family: None,
            cpu: 256,
            memory: 512,
            architecture: None,
            ephemeral_storage: None,
        }
    }

    /// The family: the name revisions are registered under (1 to 255
    /// letters, digits, hyphens and underscores; checked, `FW3204`).
    pub fn family(mut self, family: impl Into<Str>) -> Self {
        self.family = Some(family.into());
        self
    }

    /// CPU units of the task (1024 = 1 vCPU).
    pub fn cpu(mut self, units: u32) -> Self {
        self.cpu = units;
        self
    }

    /// Memory of the task in MiB.
    pub fn memory_mib(mut self, mib: u32) -> Self {
        self.memory = mib;
        self
    }

    /// The CPU architecture (written as `RuntimePlatform` with `LINUX`).
    pub fn cpu_architecture(mut self, architecture: CpuArchitecture) -> Self {
        self.architecture = Some(architecture);
        self
    }

    /// Ephemeral storage in GiB (21 to 200; checked, `FW3203`), beyond the
    /// 20 GiB every Fargate task has.
    pub fn ephemeral_storage_gib(mut self, gib: u32) -> Self {
        self.ephemeral_storage = Some(gib);
        self
    }
}

/// How a task mounts an EFS file system ([`FargateTaskDefinition::add_efs_volume`]).
///
/// Defaults: **transit encryption on** (TLS to the mount target, port
/// chosen by the EFS mount helper), no access point, no IAM authorization,
/// the file system's root directory.
///
/// Checked (`FW3211`), as ECS checks it: IAM authorization, an access point
/// and a transit encryption port each need transit encryption; with an
/// access point the root directory is the access point's (only `/` may be
/// given); a root directory is an absolute path.
///
/// With IAM authorization the task mounts as its task role, which gets
/// `elasticfilesystem:ClientMount` (and `ClientWrite` unless every mount
/// point of the volume is read-only) on the file system.
///
/// ```
/// use formwork::ecs::EfsVolumeOptions;
/// let options = EfsVolumeOptions::new().iam_authorization(true).root_directory("/cache");
/// # let _ = options;
/// ```
#[derive(Clone, Debug)]
pub struct EfsVolumeOptions {
    transit_encryption: bool,
    transit_encryption_port: Option<u16>,
    access_point: Option<AccessPoint>,
    iam: bool,
    root_directory: Option<String>,
}

impl Default for EfsVolumeOptions {
    fn default() -> Self {
        EfsVolumeOptions::new()
    }
}

impl EfsVolumeOptions {
    /// The defaults above.
    pub fn new() -> Self {
        EfsVolumeOptions {
            transit_encryption: true,
            transit_encryption_port: None,
            access_point: None,
            iam: false,
            root_directory: None,
        }
    }

    /// TLS between the task and the mount target (default on).
    pub fn transit_encryption(mut self, on: bool) -> Self {
        self.transit_encryption = on;
        self
    }

    /// The local port of the encrypted tunnel (default: chosen by the mount helper).
    pub fn transit_encryption_port(mut self, port: u16) -> Self {
        self.transit_encryption_port = Some(port);
        self
    }

    /// Mounts through an access point (its directory and POSIX user).
    pub fn access_point(mut self, access_point: &AccessPoint) -> Self {
        self.access_point = Some(access_point.clone());
        self
    }

    /// Mounts with the task role's identity (EFS checks it against the
    /// file system policy and the role's permissions).
    pub fn iam_authorization(mut self, on: bool) -> Self {
        self.iam = on;
        self
    }

    /// The directory of the file system mounted as the volume's root.
    pub fn root_directory(mut self, path: impl Into<String>) -> Self {
        self.root_directory = Some(path.into());
        self
    }
}

#[derive(Clone, Debug)]
struct VolumeEntry {
    name: String,
    /// The file system, and whether the task mounts it with IAM.
    efs: Option<(FileSystem, bool)>,
}

/// A service running the task definition: what EFS volumes must let in.
#[derive(Clone, Debug)]
struct ServiceLink {
    resource: ResourceRef,
    connections: Connections,
    path: String,
}

#[derive(Debug, Default)]
struct State {
    containers: Vec<Container>,
    definitions: Vec<task_definition::ContainerDefinition>,
    volumes: Vec<VolumeEntry>,
    cfn_volumes: Vec<task_definition::Volume>,
    execution_role: Option<Role>,
    /// Mapped ports of every container (they share a network namespace).
    ports: Vec<(u16, PortProtocol, String)>,
    cpu_used: u32,
    memory_used: u32,
    services: Vec<ServiceLink>,
}

#[derive(Debug)]
struct Inner {
    node: Scope,
    cfn: CfnTaskDefinitionRef,
    task_role: Role,
    cpu: u32,
    memory: u32,
    architecture: Option<CpuArchitecture>,
    state: RefCell<State>,
}

/// A Fargate task definition (`NetworkMode: awsvpc`,
/// `RequiresCompatibilities: [FARGATE]`).
///
/// - Its **task role** (`<id>/TaskRole`, assumed by
///   `ecs-tasks.amazonaws.com`) is what the containers' code runs with.
///   The task definition is a [`Grantee`] through it:
///   `bucket.grant_read_write(&task_definition)`.
/// - Its **execution role** (`<id>/ExecutionRole`), made when a container
///   first needs it, is what ECS uses to start the containers, and holds
///   exactly that: `ecr:` pull actions on the repositories of the
///   containers' images (and `ecr:GetAuthorizationToken`, which takes no
///   resource), `logs:CreateLogStream`/`logs:PutLogEvents` on their log
///   groups, `secretsmanager:GetSecretValue` on their secrets and
///   `ssm:GetParameters` on their parameters. No
///   `AmazonECSTaskExecutionRolePolicy` with its `Resource: *`.
///
/// Volumes are added before the containers that mount them. A container
/// name used twice is an error of [`FargateTaskDefinition::add_container`]
/// (like a construct id).
#[derive(Clone, Debug)]
pub struct FargateTaskDefinition {
    inner: Rc<Inner>,
}

/// The construct id of a container: its name with the first letter in
/// upper case, so that `app` gives the readable `TaskDefinitionAppLogGroup`.
fn container_id(name: &str) -> String {
    let mut id = name.to_owned();
    if let Some(first) = id.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    id
}

impl FargateTaskDefinition {
    /// Adds a task definition at `scope/id`, with its task role at `id/TaskRole`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ecs::{FargateTaskDefinition, FargateTaskDefinitionProps};
    /// let app = App::new();
    /// let stack = app.stack("Backend")?;
    /// let task = FargateTaskDefinition::new(
    ///     &stack,
    ///     "TaskDefinition",
    ///     FargateTaskDefinitionProps::new().family("hera-backend").cpu(512).memory_mib(1024),
    /// )?;
    /// assert_eq!(task.task_role().cfn().logical_id(), "TaskDefinitionTaskRole");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn new(
        scope: &Scope,
        id: &str,
        props: FargateTaskDefinitionProps,
    ) -> Result<FargateTaskDefinition> {
        let node = scope.child(id)?;
        check_size(&node, props.cpu, props.memory);
        let mut cfn = CfnTaskDefinition::new()
            .cpu(props.cpu.to_string())
            .memory(props.memory.to_string())
            .network_mode(task_definition::NetworkMode::Awsvpc)
            .requires_compatibilities([task_definition::RequiresCompatibilities::Fargate]);
        if let Some(family) = props.family {
            names::check(&node, codes::FAMILY, "Family", "family", &family);
            cfn = cfn.family(family);
        }
        if let Some(a) = props.architecture {
            cfn = cfn.runtime_platform(
                task_definition::RuntimePlatform::new()
                    .cpu_architecture(a.l1())
                    .operating_system_family(task_definition::OperatingSystemFamily::Linux),
            );
        }
        if let Some(gib) = props.ephemeral_storage {
            if !(21..=200).contains(&gib) {
                node.report(
                    Diagnostic::error(
                        codes::EPHEMERAL_STORAGE,
                        node.path(),
                        format!("{gib} GiB of ephemeral storage; allowed: 21 to 200 GiB"),
                    )
                    .property("EphemeralStorage.SizeInGiB")
                    .fix("leave it unset for Fargate's 20 GiB, or ask for 21 to 200 GiB"),
                );
            }
            cfn = cfn.ephemeral_storage(task_definition::EphemeralStorage::new().size_in_gi_b(gib));
        }
        let cfn = node.add_here(cfn)?;
        let task_role = Role::new(
            &node,
            "TaskRole",
            RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")),
        )?;
        cfn.update(|c| c.task_role_arn(task_role.arn()));
        Ok(FargateTaskDefinition {
            inner: Rc::new(Inner {
                node,
                cfn,
                task_role,
                cpu: props.cpu,
                memory: props.memory,
                architecture: props.architecture,
                state: RefCell::new(State::default()),
            }),
        })
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnTaskDefinitionRef {
        &self.inner.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.inner.node
    }

    /// `Ref`: the ARN of the revision.
    pub fn task_definition_arn(&self) -> Expr {
        self.inner.cfn.ref_()
    }

    /// The task role: what the containers' code runs with.
    pub fn task_role(&self) -> Role {
        self.inner.task_role.clone()
    }

    /// The execution role, once a container needed one.
    pub fn execution_role(&self) -> Option<Role> {
        self.inner.state.borrow().execution_role.clone()
    }

    /// CPU units of the task.
    pub fn cpu(&self) -> u32 {
        self.inner.cpu
    }

    /// Memory of the task in MiB.
    pub fn memory_mib(&self) -> u32 {
        self.inner.memory
    }

    /// The containers so far.
    pub fn containers(&self) -> Vec<Container> {
        self.inner.state.borrow().containers.clone()
    }

    /// The container with this name.
    pub fn container(&self, name: &str) -> Option<Container> {
        self.inner
            .state
            .borrow()
            .containers
            .iter()
            .find(|c| c.name == name)
            .cloned()
    }

    /// The execution role, made (and set on the task definition) the first
    /// time it is needed.
    #[track_caller]
    fn obtain_execution_role(&self) -> Result<Role> {
        if let Some(r) = self.inner.state.borrow().execution_role.clone() {
            return Ok(r);
        }
        let role = Role::new(
            &self.inner.node,
            "ExecutionRole",
            RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")),
        )?;
        self.inner.cfn.update(|c| c.execution_role_arn(role.arn()));
        self.inner.state.borrow_mut().execution_role = Some(role.clone());
        Ok(role)
    }

    /// Adds a container named `name` (its construct is `<id>/<Name>`, the
    /// name with an upper-case first letter; its log group, if one is made,
    /// `<id>/<Name>/LogGroup`).
    ///
    /// Checked: the name (`FW3205`); environment and secret names
    /// (`FW3207`); the health check (`FW3208`); mount points name volumes
    /// already added and absolute paths (`FW3209`); ports not 0 and not
    /// taken by another container (`FW3206`); cpu and memory within the
    /// task's (`FW3212`); the log stream prefix (`FW3214`); the image name
    /// (`FW3215`). The execution role gets what the image, the secrets and
    /// the log group need.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ecs::{ContainerImage, ContainerProps, FargateTaskDefinition, FargateTaskDefinitionProps, LogDriver, PortMapping};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let task = FargateTaskDefinition::new(&stack, "TaskDefinition", FargateTaskDefinitionProps::new())?;
    /// let web = task.add_container(
    ///     "web",
    ///     ContainerProps::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"))
    ///         .port_mapping(PortMapping::tcp(80))
    ///         .logging(LogDriver::aws_logs("web")),
    /// )?;
    /// assert_eq!(web.log_group().map(|g| g.cfn().logical_id()).as_deref(), Some("TaskDefinitionWebLogGroup"));
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_container(&self, name: &str, props: ContainerProps) -> Result<Container> {
        let task_node = &self.inner.node;
        let node = {
            let id = container_id(name);
            let taken = self
                .inner
                .state
                .borrow()
                .containers
                .iter()
                .any(|c| c.name == name);
            match task_node.child(&id) {
                Ok(n) => n,
                // Another name with the same upper-cased id (`app`, `App`).
                Err(_) if !taken => {
                    let n = self.inner.state.borrow().containers.len();
                    task_node.child(&format!("{id}{n}"))?
                }
                Err(e) => return Err(e),
            }
        };
        names::check(
            &node,
            codes::CONTAINER_NAME,
            "ContainerDefinitions.Name",
            "container name",
            &Str::from(name),
        );
        props.check(&node);

        let mut def = props.l1(name);
        let platform = match self.inner.architecture {
            Some(CpuArchitecture::Arm64) => formwork_core::asset::Platform::LinuxArm64,
            _ => formwork_core::asset::Platform::LinuxAmd64,
        };
        def = def.image(
            props
                .image
                .uri(&node, "ContainerDefinitions.Image", platform),
        );
        match &props.image.source {
            ImageSource::Asset(image) => {
                let repository = match image.declared_repository() {
                    Some(r) => r.clone(),
                    None => crate::ecr::Repository::from_name(
                        &node,
                        "AssetsRepository",
                        formwork_core::asset::ASSETS_REPOSITORY,
                    )?,
                };
                repository.grant_pull(&self.obtain_execution_role()?)?;
            }
            ImageSource::Ecr { repository, .. } => {
                repository.grant_pull(&self.obtain_execution_role()?)?;
            }
            ImageSource::Registry {
                credentials: Some(secret),
                ..
            } => {
                grant_secret_value(secret, &self.obtain_execution_role()?)?;
                def = def.repository_credentials(
                    task_definition::RepositoryCredentials::new()
                        .credentials_parameter(secret.arn()),
                );
            }
            ImageSource::Registry { .. } => {}
        }
        if !props.secrets.is_empty() {
            let role = self.obtain_execution_role()?;
            let mut list = Vec::new();
            for (n, s) in &props.secrets {
                s.grant_to(&role)?;
                list.push(
                    task_definition::Secret::new()
                        .name(n.as_str())
                        .value_from(s.value_from()),
                );
            }
            def = def.secrets(list);
        }
        let mut log_group = None;
        if let Some(driver) = &props.logging {
            let applied = driver.apply(&node, || self.obtain_execution_role())?;
            def = def.log_configuration(applied.configuration);
            log_group = applied.group;
        }
        self.check_mounts(&node, &props)?;
        self.check_ports(&node, name, &props);
        self.check_resources(&node, &props);

        let container = Container {
            name: name.to_owned(),
            scope: node,
            ports: props.ports.clone(),
            essential: props.essential,
            log_group,
        };
        let definitions = {
            let mut st = self.inner.state.borrow_mut();
            st.containers.push(container.clone());
            st.definitions.push(def);
            st.definitions.clone()
        };
        self.inner
            .cfn
            .update(|c| c.container_definitions(definitions));
        Ok(container)
    }

    /// Mount points must name volumes already added; the task role gets
    /// the EFS client permissions of IAM-authorized volumes.
    #[track_caller]
    fn check_mounts(&self, node: &Scope, props: &ContainerProps) -> Result<()> {
        for m in &props.mount_points {
            let volume = self
                .inner
                .state
                .borrow()
                .volumes
                .iter()
                .find(|v| v.name == m.source_volume)
                .cloned();
            match volume {
                None => {
                    let known: Vec<String> = self
                        .inner
                        .state
                        .borrow()
                        .volumes
                        .iter()
                        .map(|v| format!("`{}`", v.name))
                        .collect();
                    let known = if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    };
                    node.report(
                        Diagnostic::error(
                            codes::MOUNT_POINT,
                            node.path(),
                            format!(
                                "the mount point at `{}` names the volume `{}`, which the task definition does not have; its volumes: {known}",
                                m.container_path, m.source_volume
                            ),
                        )
                        .property("ContainerDefinitions.MountPoints.SourceVolume")
                        .fix("add the volume (add_efs_volume, add_volume) before the container that mounts it"),
                    );
                }
                Some(VolumeEntry {
                    efs: Some((fs, true)),
                    ..
                }) => {
                    if m.read_only {
                        fs.grant_read(&self.inner.task_role)?;
                    } else {
                        fs.grant_read_write(&self.inner.task_role)?;
                    }
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    fn check_ports(&self, node: &Scope, name: &str, props: &ContainerProps) {
        let mut st = self.inner.state.borrow_mut();
        for p in &props.ports {
            let port = p.container_port();
            let taken = st
                .ports
                .iter()
                .find(|(q, proto, _)| *q == port && *proto == p.protocol())
                .map(|(_, _, c)| c.clone());
            let problem = if port == 0 {
                Some("port 0 is out of range; allowed: 1 to 65535".to_owned())
            } else {
                taken.map(|other| {
                    if other == name {
                        format!("port {port} is mapped twice in the container")
                    } else {
                        format!(
                            "port {port} is mapped by the container `{other}` already; the containers of a task share one network interface"
                        )
                    }
                })
            };
            match problem {
                Some(msg) => node.report(
                    Diagnostic::error(codes::PORT_MAPPING, node.path(), msg)
                        .property("ContainerDefinitions.PortMappings.ContainerPort"),
                ),
                None => st.ports.push((port, p.protocol(), name.to_owned())),
            }
        }
    }

    fn check_resources(&self, node: &Scope, props: &ContainerProps) {
        let (cpu, memory) = (self.inner.cpu, self.inner.memory);
        let mut st = self.inner.state.borrow_mut();
        if let Some(c) = props.cpu {
            st.cpu_used += c;
            if st.cpu_used > cpu {
                node.report(
                    Diagnostic::error(
                        codes::CONTAINER_RESOURCES,
                        node.path(),
                        format!(
                            "the containers' cpu adds up to {} units, more than the task's {cpu}",
                            st.cpu_used
                        ),
                    )
                    .property("ContainerDefinitions.Cpu"),
                );
            }
        }
        if let Some(limit) = props.memory_limit.filter(|l| *l > memory) {
            node.report(
                Diagnostic::error(
                    codes::CONTAINER_RESOURCES,
                    node.path(),
                    format!("the memory limit {limit} MiB is more than the task's {memory} MiB"),
                )
                .property("ContainerDefinitions.Memory"),
            );
        }
        if let Some(reserved) = props.memory_reservation.or(props.memory_limit) {
            st.memory_used += reserved;
            if st.memory_used > memory {
                node.report(
                    Diagnostic::error(
                        codes::CONTAINER_RESOURCES,
                        node.path(),
                        format!(
                            "the containers' memory reservations add up to {} MiB, more than the task's {memory} MiB",
                            st.memory_used
                        ),
                    )
                    .property("ContainerDefinitions.MemoryReservation"),
                );
            }
        }
    }

    /// Adds a volume `name` on the file system `fs` (see [`EfsVolumeOptions`]
    /// for the defaults and what is checked). Services of this task
    /// definition (made before or after) depend on the file system's mount
    /// targets and may reach them on NFS (2049).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::ecs::{EfsVolumeOptions, FargateTaskDefinition, FargateTaskDefinitionProps};
    /// use formwork::efs::{FileSystem, FileSystemProps};
    /// let app = App::new();
    /// let stack = app.stack("Weather")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let cache = FileSystem::new(&stack, "Cache", FileSystemProps::new(&vpc))?;
    /// let task = FargateTaskDefinition::new(&stack, "TaskDefinition", FargateTaskDefinitionProps::new())?;
    /// task.add_efs_volume("cache-storage", &cache, EfsVolumeOptions::new())?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_efs_volume(
        &self,
        name: &str,
        fs: &FileSystem,
        options: EfsVolumeOptions,
    ) -> Result<()> {
        let node = &self.inner.node;
        self.check_volume_name(name);
        let prop = "Volumes.EfsVolumeConfiguration";
        let mut problems: Vec<(String, &str, &str)> = Vec::new();
        if !options.transit_encryption {
            if options.iam {
                problems.push((
                    "IAM authorization needs transit encryption".to_owned(),
                    "AuthorizationConfig.IAM",
                    "keep transit encryption on (the default)",
                ));
            }
            if options.access_point.is_some() {
                problems.push((
                    "an access point needs transit encryption".to_owned(),
                    "AuthorizationConfig.AccessPointId",
                    "keep transit encryption on (the default)",
                ));
            }
            if options.transit_encryption_port.is_some() {
                problems.push((
                    "a transit encryption port is set but transit encryption is off".to_owned(),
                    "TransitEncryptionPort",
                    "drop the port, or turn transit encryption on",
                ));
            }
        }
        if let Some(root) = &options.root_directory {
            if options.access_point.is_some() && root != "/" {
                problems.push((
                    format!("the root directory `{root}` is set beside an access point, which has its own root directory"),
                    "RootDirectory",
                    "set the directory on the access point, and leave the root directory unset",
                ));
            } else if !root.starts_with('/') {
                problems.push((
                    format!("the root directory `{root}` is not an absolute path"),
                    "RootDirectory",
                    "start the path with `/`",
                ));
            }
        }
        for (msg, p, fix) in problems {
            node.report(
                Diagnostic::error(
                    codes::EFS_VOLUME,
                    node.path(),
                    format!("volume `{name}`: {msg}"),
                )
                .property(format!("{prop}.{p}"))
                .fix(fix),
            );
        }

        let enabled = |on: bool| {
            if on {
                task_definition::TransitEncryption::Enabled
            } else {
                task_definition::TransitEncryption::Disabled
            }
        };
        let mut efs = task_definition::EfsVolumeConfiguration::new()
            .filesystem_id(fs.file_system_id())
            .transit_encryption(enabled(options.transit_encryption));
        if let Some(p) = options.transit_encryption_port {
            efs = efs.transit_encryption_port(p);
        }
        if let Some(root) = &options.root_directory {
            efs = efs.root_directory(root.as_str());
        }
        if options.iam || options.access_point.is_some() {
            let mut auth = task_definition::AuthorizationConfig::new().iam(if options.iam {
                task_definition::Iam::Enabled
            } else {
                task_definition::Iam::Disabled
            });
            if let Some(ap) = &options.access_point {
                auth = auth.access_point_id(ap.access_point_id());
            }
            efs = efs.authorization_config(auth);
        }
        let volume = task_definition::Volume::new()
            .name(name)
            .efs_volume_configuration(efs);
        let services = self.push_volume(
            VolumeEntry {
                name: name.to_owned(),
                efs: Some((fs.clone(), options.iam)),
            },
            volume,
        );
        for s in &services {
            link_file_system(fs, s)?;
        }
        Ok(())
    }

    /// Adds a volume `name` that lives as long as the task, on its
    /// ephemeral storage: what containers of one task share files through.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ecs::{FargateTaskDefinition, FargateTaskDefinitionProps};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let task = FargateTaskDefinition::new(&stack, "TaskDefinition", FargateTaskDefinitionProps::new())?;
    /// task.add_volume("scratch")?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_volume(&self, name: &str) -> Result<()> {
        self.check_volume_name(name);
        self.push_volume(
            VolumeEntry {
                name: name.to_owned(),
                efs: None,
            },
            task_definition::Volume::new().name(name),
        );
        Ok(())
    }

    fn check_volume_name(&self, name: &str) {
        let node = &self.inner.node;
        if names::check(
            node,
            codes::VOLUME,
            "Volumes.Name",
            "volume name",
            &Str::from(name),
        ) && self
            .inner
            .state
            .borrow()
            .volumes
            .iter()
            .any(|v| v.name == name)
        {
            node.report(
                Diagnostic::error(
                    codes::VOLUME,
                    node.path(),
                    format!("the volume `{name}` is added twice"),
                )
                .property("Volumes.Name"),
            );
        }
    }

    /// Records a volume and writes the volume list; returns the services
    /// to wire it to.
    fn push_volume(&self, entry: VolumeEntry, volume: task_definition::Volume) -> Vec<ServiceLink> {
        let (volumes, services) = {
            let mut st = self.inner.state.borrow_mut();
            st.volumes.push(entry);
            st.cfn_volumes.push(volume);
            (st.cfn_volumes.clone(), st.services.clone())
        };
        self.inner.cfn.update(|c| c.volumes(volumes));
        services
    }

    /// Registers a service running this task definition: it depends on the
    /// mount targets of every EFS volume, now and later, and may reach them.
    #[track_caller]
    pub(crate) fn link_service(
        &self,
        resource: &ResourceRef,
        connections: Connections,
        path: &str,
    ) -> Result<()> {
        let link = ServiceLink {
            resource: resource.clone(),
            connections,
            path: path.to_owned(),
        };
        let volumes = {
            let mut st = self.inner.state.borrow_mut();
            st.services.push(link.clone());
            st.volumes.clone()
        };
        for v in volumes {
            if let Some((fs, _)) = &v.efs {
                link_file_system(fs, &link)?;
            }
        }
        Ok(())
    }

    /// True when some container is essential; false without containers.
    pub(crate) fn has_essential_container(&self) -> bool {
        self.inner
            .state
            .borrow()
            .containers
            .iter()
            .any(|c| c.essential)
    }

    /// The port mapping a target group may use, checked.
    #[track_caller]
    pub(crate) fn maps(&self, container: &str, port: u16) -> Result<(), String> {
        let st = self.inner.state.borrow();
        let Some(c) = st.containers.iter().find(|c| c.name == container) else {
            let names: Vec<String> = st
                .containers
                .iter()
                .map(|c| format!("`{}`", c.name))
                .collect();
            return Err(format!(
                "the task definition has no container `{container}`; its containers: {}",
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            ));
        };
        if c.ports
            .iter()
            .any(|p| p.container_port() == port && p.protocol() == PortProtocol::Tcp)
        {
            Ok(())
        } else {
            let ports: Vec<String> = c
                .ports
                .iter()
                .map(|p| p.container_port().to_string())
                .collect();
            Err(format!(
                "the container `{container}` does not map TCP port {port}; its ports: {}",
                if ports.is_empty() {
                    "none".to_owned()
                } else {
                    ports.join(", ")
                }
            ))
        }
    }
}

/// A service waits for the file system's mount targets and may reach them.
#[track_caller]
fn link_file_system(fs: &FileSystem, link: &ServiceLink) -> Result<()> {
    fs.add_mount_dependency(&link.resource);
    fs.connections()
        .allow_default_port_from(&link.connections, &format!("NFS from {}", link.path))
}

fn check_size(node: &Scope, cpu: u32, memory: u32) {
    match fargate_memory_values(cpu) {
        None => {
            let sizes: Vec<u32> = FARGATE_SIZES.iter().map(|s| s.0).collect();
            node.report(
                Diagnostic::error(
                    codes::FARGATE_CPU,
                    node.path(),
                    format!(
                        "{cpu} cpu units is not a Fargate task size; allowed: {} units",
                        join(&sizes)
                    ),
                )
                .property("Cpu")
                .fix("1024 units is one vCPU"),
            );
        }
        Some(allowed) if !allowed.contains(&memory) => {
            node.report(
                Diagnostic::error(
                    codes::FARGATE_MEMORY,
                    node.path(),
                    format!(
                        "{memory} MiB is not a memory Fargate offers with {cpu} cpu units; allowed with {cpu}: {} MiB",
                        join(&allowed)
                    ),
                )
                .property("Memory")
                .fix("pick one of the values above, or another cpu size (see FargateTaskDefinitionProps)"),
            );
        }
        Some(_) => {}
    }
}

impl Grantee for FargateTaskDefinition {
    fn grant_identity(&self) -> Option<Identity> {
        Some(Identity::Role(self.inner.task_role.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecr::{Repository, RepositoryProps};
    use crate::ecs::testutil::{failed, nginx, one, stack_with_vpc, statements};
    use crate::ecs::{
        ContainerImage, HealthCheck, ImageRef, LogDriver, LogMode, MountPoint, PortMapping, Secret,
    };
    use crate::efs::{AccessPointProps, FileSystemProps};
    use crate::logs::{LogGroup, LogGroupProps, Retention};
    use crate::s3::{Bucket, BucketProps};
    use crate::secretsmanager::{Secret as SmSecret, SecretProps};
    use crate::ssm::StringParameter;
    use formwork_core::{App, Pseudo};
    use serde_json::json;

    fn task(s: &Scope, props: FargateTaskDefinitionProps) -> FargateTaskDefinition {
        FargateTaskDefinition::new(s, "TaskDefinition", props).unwrap()
    }

    #[test]
    fn defaults_are_the_smallest_fargate_task_with_a_task_role() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let t = task(&s, FargateTaskDefinitionProps::new());
        t.add_container("web", ContainerProps::new(nginx()))
            .unwrap();
        assert!(
            t.execution_role().is_none(),
            "a public image without logs needs no execution role"
        );
        assert_eq!((t.cpu(), t.memory_mib()), (256, 512));
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-task-defaults");
        let tpl = formwork_test_support::template(&asm, "S");
        assert_eq!(
            tpl["Resources"]["TaskDefinition"],
            json!({"Type": "AWS::ECS::TaskDefinition", "Properties": {
                "ContainerDefinitions": [{
                    "Essential": true,
                    "Image": "public.ecr.aws/nginx/nginx:1.27",
                    "Name": "web"
                }],
                "Cpu": "256",
                "Memory": "512",
                "NetworkMode": "awsvpc",
                "RequiresCompatibilities": ["FARGATE"],
                "TaskRoleArn": {"Fn::GetAtt": ["TaskDefinitionTaskRole", "Arn"]}
            }})
        );
        assert_eq!(
            tpl["Resources"]["TaskDefinitionTaskRole"],
            json!({"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]
            }}})
        );
    }

    #[test]
    fn every_fargate_size_is_accepted() {
        let table: [(u32, &[u32]); 7] = [
            (256, &[512, 1024, 2048]),
            (512, &[1024, 2048, 3072, 4096]),
            (1024, &[2048, 3072, 4096, 5120, 6144, 7168, 8192]),
            (2048, &[4096, 8192, 16384]),
            (4096, &[8192, 9216, 30720]),
            (8192, &[16384, 20480, 61440]),
            (16384, &[32768, 40960, 122880]),
        ];
        for (cpu, memories) in table {
            for m in memories {
                assert!(
                    fargate_memory_values(cpu).is_some_and(|v| v.contains(m)),
                    "{cpu}/{m}"
                );
                let app = App::new();
                let s = app.stack("S").unwrap();
                task(
                    &s,
                    FargateTaskDefinitionProps::new().cpu(cpu).memory_mib(*m),
                );
                app.synth().unwrap_or_else(|e| panic!("{cpu}/{m}: {e}"));
            }
        }
        assert_eq!(fargate_memory_values(2048).map(|v| v.len()), Some(13));
        assert_eq!(fargate_memory_values(4096).map(|v| v.len()), Some(23));
        assert_eq!(fargate_memory_values(8192).map(|v| v.len()), Some(12));
        assert_eq!(fargate_memory_values(16384).map(|v| v.len()), Some(12));
        for (cpu, bad) in [
            (256, 4096),
            (512, 512),
            (512, 1536),
            (1024, 1024),
            (4096, 31744),
            (8192, 18432),
            (16384, 36864),
        ] {
            assert!(
                fargate_memory_values(cpu).is_some_and(|v| !v.contains(&bad)),
                "{cpu}/{bad} must be refused"
            );
        }
    }

    #[test]
    fn a_cpu_fargate_does_not_offer_is_an_error() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        task(
            &s,
            FargateTaskDefinitionProps::new().cpu(1000).memory_mib(2048),
        );
        let d = failed(&app);
        let e = one(&d, codes::FARGATE_CPU);
        assert_eq!(e.path, "S/TaskDefinition");
        assert_eq!(e.property.as_deref(), Some("Cpu"));
        assert_eq!(
            e.message,
            "1000 cpu units is not a Fargate task size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384 units"
        );
        assert_eq!(d.with_code(codes::FARGATE_MEMORY).count(), 0);
    }

    #[test]
    fn a_memory_fargate_does_not_offer_names_the_allowed_values() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        task(
            &s,
            FargateTaskDefinitionProps::new().cpu(1024).memory_mib(1024),
        );
        let d = failed(&app);
        let e = one(&d, codes::FARGATE_MEMORY);
        assert_eq!(e.path, "S/TaskDefinition");
        assert_eq!(e.property.as_deref(), Some("Memory"));
        assert_eq!(
            e.message,
            "1024 MiB is not a memory Fargate offers with 1024 cpu units; allowed with 1024: 2048, 3072, 4096, 5120, 6144, 7168, 8192 MiB"
        );
        let app = App::new();
        let s = app.stack("S").unwrap();
        task(
            &s,
            FargateTaskDefinitionProps::new()
                .cpu(8192)
                .memory_mib(20000),
        );
        let d = failed(&app);
        assert_eq!(
            one(&d, codes::FARGATE_MEMORY).message,
            "20000 MiB is not a memory Fargate offers with 8192 cpu units; allowed with 8192: 16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440 MiB"
        );
    }

    #[test]
    fn family_architecture_and_storage_are_written() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let t = task(
            &s,
            FargateTaskDefinitionProps::new()
                .family("hera-backend")
                .cpu(512)
                .memory_mib(1024)
                .cpu_architecture(CpuArchitecture::Arm64)
                .ephemeral_storage_gib(50),
        );
        t.add_container("app", ContainerProps::new(nginx()))
            .unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-task-props");
        let p = &formwork_test_support::template(&asm, "S")["Resources"]["TaskDefinition"]["Properties"];
        assert_eq!(p["Family"], "hera-backend");
        assert_eq!(
            (p["Cpu"].as_str(), p["Memory"].as_str()),
            (Some("512"), Some("1024"))
        );
        assert_eq!(
            p["RuntimePlatform"],
            json!({"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"})
        );
        assert_eq!(p["EphemeralStorage"], json!({"SizeInGiB": 50}));
        let app = App::new();
        let s = app.stack("S").unwrap();
        task(
            &s,
            FargateTaskDefinitionProps::new().cpu_architecture(CpuArchitecture::X86_64),
        );
        let t = app.synth().unwrap().template_json("S").unwrap();
        assert_eq!(
            t["Resources"]["TaskDefinition"]["Properties"]["RuntimePlatform"]["CpuArchitecture"],
            "X86_64"
        );
    }

    #[test]
    fn ephemeral_storage_and_family_are_checked() {
        for gib in [20, 201] {
            let app = App::new();
            let s = app.stack("S").unwrap();
            task(
                &s,
                FargateTaskDefinitionProps::new().ephemeral_storage_gib(gib),
            );
            let d = failed(&app);
            let e = one(&d, codes::EPHEMERAL_STORAGE);
            assert_eq!(e.property.as_deref(), Some("EphemeralStorage.SizeInGiB"));
            assert_eq!(
                e.message,
                format!("{gib} GiB of ephemeral storage; allowed: 21 to 200 GiB")
            );
        }
        let app = App::new();
        let s = app.stack("S").unwrap();
        task(&s, FargateTaskDefinitionProps::new().family("weather:1"));
        let d = failed(&app);
        let e = one(&d, codes::FAMILY);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("S/TaskDefinition", Some("Family"))
        );
        assert_eq!(
            e.message,
            "family `weather:1` contains `:`; allowed: 1 to 255 letters, digits, hyphens and underscores"
        );
    }

    #[test]
    fn a_container_writes_every_setting() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let t = task(
            &s,
            FargateTaskDefinitionProps::new().cpu(1024).memory_mib(2048),
        );
        let bucket = Bucket::new(&s, "Data", BucketProps::new()).unwrap();
        t.add_volume("scratch").unwrap();
        t.add_container(
            "app",
            ContainerProps::new(nginx())
                .port_mapping(PortMapping::tcp(8080).name("http"))
                .port_mapping(PortMapping::udp(5353))
                .environment("STORAGE_MODE", "cloud")
                .environment("S3_BUCKET_NAME", bucket.bucket_name())
                .environment("AWS_REGION", Pseudo::Region)
                .mount_point(MountPoint::new("scratch", "/tmp/work").read_only(true))
                .health_check(
                    HealthCheck::shell("curl -fs http://localhost:8080/ || exit 1")
                        .interval_seconds(10)
                        .timeout_seconds(3)
                        .retries(2)
                        .start_period_seconds(60),
                )
                .essential(true)
                .command(["serve", "--port", "8080"])
                .entry_point(["/entry.sh"])
                .cpu(512)
                .memory_limit_mib(1024)
                .memory_reservation_mib(512)
                .working_directory("/app")
                .user("1000:1000")
                .readonly_root_filesystem(true)
                .stop_timeout_seconds(60),
        )
        .unwrap();
        t.add_container(
            "sidecar",
            ContainerProps::new(nginx())
                .essential(false)
                .health_check(HealthCheck::exec(["/bin/check", "--quick"])),
        )
        .unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-container-props");
        let tpl = formwork_test_support::template(&asm, "S");
        let p = &tpl["Resources"]["TaskDefinition"]["Properties"];
        assert_eq!(
            p["ContainerDefinitions"][0],
            json!({
                "Command": ["serve", "--port", "8080"],
                "Cpu": 512,
                "EntryPoint": ["/entry.sh"],
                "Environment": [
                    {"Name": "STORAGE_MODE", "Value": "cloud"},
                    {"Name": "S3_BUCKET_NAME", "Value": {"Ref": "Data"}},
                    {"Name": "AWS_REGION", "Value": {"Ref": "AWS::Region"}}
                ],
                "Essential": true,
                "HealthCheck": {
                    "Command": ["CMD-SHELL", "curl -fs http://localhost:8080/ || exit 1"],
                    "Interval": 10, "Retries": 2, "StartPeriod": 60, "Timeout": 3
                },
                "Image": "public.ecr.aws/nginx/nginx:1.27",
                "Memory": 1024,
                "MemoryReservation": 512,
                "MountPoints": [{"ContainerPath": "/tmp/work", "ReadOnly": true, "SourceVolume": "scratch"}],
                "Name": "app",
                "PortMappings": [
                    {"ContainerPort": 8080, "Name": "http", "Protocol": "tcp"},
                    {"ContainerPort": 5353, "Protocol": "udp"}
                ],
                "ReadonlyRootFilesystem": true,
                "StopTimeout": 60,
                "User": "1000:1000",
                "WorkingDirectory": "/app"
            })
        );
        assert_eq!(
            p["ContainerDefinitions"][1],
            json!({
                "Essential": false,
                "HealthCheck": {"Command": ["CMD", "/bin/check", "--quick"]},
                "Image": "public.ecr.aws/nginx/nginx:1.27",
                "Name": "sidecar"
            })
        );
        assert_eq!(p["Volumes"], json!([{"Name": "scratch"}]));
        assert_eq!(t.containers().len(), 2);
        assert_eq!(t.container("app").map(|c| c.port_mappings().len()), Some(2));
        assert!(t.container("sidecar").is_some_and(|c| !c.is_essential()));
    }

    #[test]
    fn the_execution_role_gets_exactly_what_starting_the_containers_needs() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let repo = Repository::new(&s, "Repository", RepositoryProps::new()).unwrap();
        let keys = SmSecret::new(
            &s,
            "ApiKeys",
            SecretProps::new().json_keys(["OPENAI_API_KEY"]),
        )
        .unwrap();
        let other = SmSecret::new(&s, "Other", SecretProps::new()).unwrap();
        let token = StringParameter::from_name("/svc/TOKEN");
        let t = task(&s, FargateTaskDefinitionProps::new());
        t.add_container(
            "app",
            ContainerProps::new(ContainerImage::from_ecr(&repo, ImageRef::tag("latest")))
                .secret(
                    "OPENAI_API_KEY",
                    Secret::from_secrets_manager_field(&keys, "OPENAI_API_KEY"),
                )
                .secret("OTHER", Secret::from_secrets_manager(&other))
                .secret("TOKEN", Secret::from_ssm_parameter(&token))
                .logging(LogDriver::aws_logs("ecs")),
        )
        .unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-execution-role");
        let tpl = formwork_test_support::template(&asm, "S");
        let p = &tpl["Resources"]["TaskDefinition"]["Properties"];
        assert_eq!(
            p["ExecutionRoleArn"],
            json!({"Fn::GetAtt": ["TaskDefinitionExecutionRole", "Arn"]})
        );
        assert_eq!(
            p["ContainerDefinitions"][0]["Image"],
            json!({"Fn::Sub": "${Repository.RepositoryUri}:latest"})
        );
        assert_eq!(
            p["ContainerDefinitions"][0]["Secrets"],
            json!([
                {"Name": "OPENAI_API_KEY", "ValueFrom": {"Fn::Sub": "${ApiKeys}:OPENAI_API_KEY::"}},
                {"Name": "OTHER", "ValueFrom": {"Ref": "Other"}},
                {"Name": "TOKEN", "ValueFrom": {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/svc/TOKEN"}}
            ])
        );
        assert_eq!(
            p["ContainerDefinitions"][0]["LogConfiguration"],
            json!({"LogDriver": "awslogs", "Options": {
                "awslogs-group": {"Ref": "TaskDefinitionAppLogGroup"},
                "awslogs-region": {"Ref": "AWS::Region"},
                "awslogs-stream-prefix": "ecs"
            }})
        );
        assert_eq!(
            statements(&tpl, "TaskDefinitionExecutionRole"),
            json!([
                {"Effect": "Allow", "Action": ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], "Resource": {"Fn::GetAtt": ["Repository", "Arn"]}},
                {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
                {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": [{"Ref": "ApiKeys"}, {"Ref": "Other"}]},
                {"Effect": "Allow", "Action": "ssm:GetParameters", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/svc/TOKEN"}},
                {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${TaskDefinitionAppLogGroup}:*"}}
            ])
        );
        assert!(
            tpl["Resources"]["TaskDefinitionTaskRole"]["Properties"]["Policies"].is_null(),
            "the task role gets nothing by itself"
        );
        assert!(
            tpl["Resources"]["TaskDefinitionExecutionRole"]["Properties"]["ManagedPolicyArns"]
                .is_null()
        );
    }

    #[test]
    fn imported_and_encrypted_secrets_are_granted_in_the_form_iam_matches() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let imported = SmSecret::from_name(&s, "Keys", "hera/api-keys").unwrap();
        let key =
            "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let encrypted =
            SmSecret::new(&s, "Encrypted", SecretProps::new().encryption_key(key)).unwrap();
        let registry = SmSecret::new(&s, "Registry", SecretProps::new()).unwrap();
        let t = task(&s, FargateTaskDefinitionProps::new());
        t.add_container(
            "app",
            ContainerProps::new(ContainerImage::from_registry_with_credentials(
                "registry.example.com/team/app:1",
                &registry,
            ))
            .secret("A", Secret::from_secrets_manager_field(&imported, "A"))
            .secret("B", Secret::from_secrets_manager(&encrypted)),
        )
        .unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-secret-forms");
        let tpl = formwork_test_support::template(&asm, "S");
        assert_eq!(
            tpl["Resources"]["TaskDefinition"]["Properties"]["ContainerDefinitions"][0]["RepositoryCredentials"],
            json!({"CredentialsParameter": {"Ref": "Registry"}})
        );
        assert_eq!(
            statements(&tpl, "TaskDefinitionExecutionRole"),
            json!([
                {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": [{"Ref": "Registry"}, {"Ref": "Encrypted"}]},
                {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], "Resource": {"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:hera/api-keys-??????"}},
                {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key, "Condition": {"StringEquals": {"kms:ViaService": {"Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com"}}}}
            ])
        );
    }

    #[test]
    fn log_drivers_make_use_or_pass_through_log_groups() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let shared = LogGroup::new(
            &s,
            "Shared",
            LogGroupProps::new().retention(Retention::OneWeek),
        )
        .unwrap();
        let t = task(
            &s,
            FargateTaskDefinitionProps::new().cpu(512).memory_mib(1024),
        );
        let a = t
            .add_container(
                "a",
                ContainerProps::new(nginx()).logging(
                    LogDriver::aws_logs_with(
                        "svc",
                        LogGroupProps::new()
                            .log_group_name("/ecs/a")
                            .retention(Retention::OneMonth),
                    )
                    .mode(LogMode::NonBlocking(Some(25 * 1024 * 1024))),
                ),
            )
            .unwrap();
        let b = t
            .add_container(
                "b",
                ContainerProps::new(nginx())
                    .logging(LogDriver::aws_logs_to(&shared, "b").mode(LogMode::NonBlocking(None))),
            )
            .unwrap();
        t.add_container(
            "c",
            ContainerProps::new(nginx()).logging(LogDriver::generic(
                "splunk",
                [("splunk-url", "https://splunk.example.com:8088")],
            )),
        )
        .unwrap();
        assert_eq!(
            a.log_group().map(|g| g.cfn().logical_id()).as_deref(),
            Some("TaskDefinitionALogGroup")
        );
        assert_eq!(
            b.log_group().map(|g| g.cfn().logical_id()).as_deref(),
            Some("Shared")
        );
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-log-drivers");
        let tpl = formwork_test_support::template(&asm, "S");
        let defs = &tpl["Resources"]["TaskDefinition"]["Properties"]["ContainerDefinitions"];
        assert_eq!(
            defs[0]["LogConfiguration"]["Options"],
            json!({
                "awslogs-group": {"Ref": "TaskDefinitionALogGroup"},
                "awslogs-region": {"Ref": "AWS::Region"},
                "awslogs-stream-prefix": "svc",
                "mode": "non-blocking",
                "max-buffer-size": "26214400b"
            })
        );
        assert_eq!(
            defs[1]["LogConfiguration"]["Options"]["awslogs-group"],
            json!({"Ref": "Shared"})
        );
        assert_eq!(
            defs[1]["LogConfiguration"]["Options"]["mode"],
            "non-blocking"
        );
        assert!(defs[1]["LogConfiguration"]["Options"]["max-buffer-size"].is_null());
        assert_eq!(
            defs[2]["LogConfiguration"],
            json!({"LogDriver": "splunk", "Options": {"splunk-url": "https://splunk.example.com:8088"}})
        );
        assert_eq!(
            tpl["Resources"]["TaskDefinitionALogGroup"],
            json!({"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/ecs/a", "RetentionInDays": 30}, "DeletionPolicy": "RetainExceptOnCreate", "UpdateReplacePolicy": "Retain"})
        );
        let logs = statements(&tpl, "TaskDefinitionExecutionRole");
        assert_eq!(logs.as_array().map(Vec::len), Some(1), "{logs}");
        assert_eq!(logs[0]["Resource"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn bad_stream_prefixes_drivers_and_image_names_are_errors() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let t = task(&s, FargateTaskDefinitionProps::new());
        t.add_container(
            "a",
            ContainerProps::new(nginx()).logging(LogDriver::aws_logs("svc:1")),
        )
        .unwrap();
        t.add_container(
            "b",
            ContainerProps::new(ContainerImage::from_registry("my image")),
        )
        .unwrap();
        t.add_container(
            "c",
            ContainerProps::new(nginx()).logging(LogDriver::generic(
                "fluentd",
                [("fluentd-address", "localhost:24224")],
            )),
        )
        .unwrap();
        let d = failed(&app);
        let e = one(&d, codes::LOG_DRIVER);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("S/TaskDefinition/C", Some("LogConfiguration.LogDriver"))
        );
        assert_eq!(
            e.message,
            "Fargate does not run the log driver `fluentd`; allowed: awslogs, splunk, awsfirelens"
        );
        let e = one(&d, codes::LOG_STREAM_PREFIX);
        assert_eq!(e.path, "S/TaskDefinition/A");
        assert_eq!(
            e.property.as_deref(),
            Some("LogConfiguration.Options.awslogs-stream-prefix")
        );
        assert_eq!(
            e.message,
            "stream prefix `svc:1` is empty or has `:` or `*`, which CloudWatch Logs refuses in stream names"
        );
        let e = one(&d, codes::IMAGE);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("S/TaskDefinition/B", Some("ContainerDefinitions.Image"))
        );
        assert_eq!(
            e.message,
            "image name `my image` is empty or has whitespace; an image is [registry/]repository[:tag|@digest]"
        );
    }

    #[test]
    fn container_names_are_checked_and_unique() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let t = task(&s, FargateTaskDefinitionProps::new());
        t.add_container("my.app", ContainerProps::new(nginx()))
            .unwrap();
        assert!(
            t.add_container("my.app", ContainerProps::new(nginx()))
                .is_err()
        );
        let lower = t
            .add_container("web", ContainerProps::new(nginx()))
            .unwrap();
        let upper = t
            .add_container("Web", ContainerProps::new(nginx()))
            .unwrap();
        assert_eq!(lower.scope().path(), "S/TaskDefinition/Web");
        assert_eq!(upper.scope().path(), "S/TaskDefinition/Web2");
        let d = failed(&app);
        let e = one(&d, codes::CONTAINER_NAME);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("S/TaskDefinition/My.app", Some("ContainerDefinitions.Name"))
        );
        assert_eq!(
            e.message,
            "container name `my.app` contains `.`; allowed: 1 to 255 letters, digits, hyphens and underscores"
        );
    }

    #[test]
    fn ports_are_checked_across_the_task() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let t = task(&s, FargateTaskDefinitionProps::new());
        t.add_container(
            "a",
            ContainerProps::new(nginx())
                .port_mapping(PortMapping::tcp(0))
                .port_mapping(PortMapping::tcp(80))
                .port_mapping(PortMapping::tcp(80))
                .port_mapping(PortMapping::udp(80)),
        )
        .unwrap();
        t.add_container(
            "b",
            ContainerProps::new(nginx())
                .essential(false)
                .port_mapping(PortMapping::tcp(80)),
        )
        .unwrap();
        let d = failed(&app);
        let found: Vec<(&str, &str)> = d
            .with_code(codes::PORT_MAPPING)
            .map(|e| (e.path.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "S/TaskDefinition/A",
                    "port 0 is out of range; allowed: 1 to 65535"
                ),
                (
                    "S/TaskDefinition/A",
                    "port 80 is mapped twice in the container"
                ),
                (
                    "S/TaskDefinition/B",
                    "port 80 is mapped by the container `a` already; the containers of a task share one network interface"
                ),
            ]
        );
        assert!(
            d.with_code(codes::PORT_MAPPING)
                .all(|e| e.property.as_deref()
                    == Some("ContainerDefinitions.PortMappings.ContainerPort"))
        );
    }

    #[test]
    fn environment_names_are_checked() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let keys = SmSecret::new(&s, "Keys", SecretProps::new()).unwrap();
        let t = task(&s, FargateTaskDefinitionProps::new());
        t.add_container(
            "a",
            ContainerProps::new(nginx())
                .environment("", "x")
                .environment("A=B", "x")
                .environment("KEY", "x")
                .secret("KEY", Secret::from_secrets_manager(&keys)),
        )
        .unwrap();
        let d = failed(&app);
        let found: Vec<(&str, &str)> = d
            .with_code(codes::ENVIRONMENT)
            .map(|e| (e.property.as_deref().unwrap_or(""), e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "ContainerDefinitions.Environment",
                    "an environment variable name is empty"
                ),
                (
                    "ContainerDefinitions.Environment",
                    "the environment variable name `A=B` contains `=`"
                ),
                (
                    "ContainerDefinitions.Secrets",
                    "the environment variable `KEY` is given twice (environment and secrets share names)"
                ),
            ]
        );
        assert!(
            d.with_code(codes::ENVIRONMENT)
                .all(|e| e.path == "S/TaskDefinition/A")
        );
    }

    #[test]
    fn health_checks_are_checked() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let t = task(&s, FargateTaskDefinitionProps::new());
        t.add_container(
            "a",
            ContainerProps::new(nginx()).health_check(
                HealthCheck::shell("  ")
                    .interval_seconds(4)
                    .timeout_seconds(121)
                    .retries(11)
                    .start_period_seconds(301),
            ),
        )
        .unwrap();
        let d = failed(&app);
        let found: Vec<(&str, &str)> = d
            .with_code(codes::HEALTH_CHECK)
            .map(|e| (e.property.as_deref().unwrap_or(""), e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "ContainerDefinitions.HealthCheck.Command",
                    "the health check command is empty"
                ),
                (
                    "ContainerDefinitions.HealthCheck.Interval",
                    "a health check interval of 4 s; allowed: 5 to 300 s"
                ),
                (
                    "ContainerDefinitions.HealthCheck.Timeout",
                    "a health check timeout of 121 s; allowed: 2 to 120 s"
                ),
                (
                    "ContainerDefinitions.HealthCheck.Retries",
                    "a health check retries of 11; allowed: 1 to 10"
                ),
                (
                    "ContainerDefinitions.HealthCheck.StartPeriod",
                    "a health check start period of 301 s; allowed: 0 to 300 s"
                ),
            ]
        );
    }

    #[test]
    fn mount_points_need_known_volumes_and_absolute_unique_paths() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let t = task(&s, FargateTaskDefinitionProps::new());
        t.add_volume("scratch").unwrap();
        t.add_container(
            "a",
            ContainerProps::new(nginx())
                .mount_point(MountPoint::new("cache", "/cache"))
                .mount_point(MountPoint::new("scratch", "tmp"))
                .mount_point(MountPoint::new("scratch", "/work"))
                .mount_point(MountPoint::new("scratch", "/work")),
        )
        .unwrap();
        let d = failed(&app);
        let found: Vec<(&str, &str)> = d
            .with_code(codes::MOUNT_POINT)
            .map(|e| (e.property.as_deref().unwrap_or(""), e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "ContainerDefinitions.MountPoints",
                    "the container path `tmp` of volume `scratch` is not absolute"
                ),
                (
                    "ContainerDefinitions.MountPoints",
                    "the container path `/work` is mounted twice"
                ),
                (
                    "ContainerDefinitions.MountPoints.SourceVolume",
                    "the mount point at `/cache` names the volume `cache`, which the task definition does not have; its volumes: `scratch`"
                ),
            ]
        );
    }

    #[test]
    fn volume_names_are_checked_and_unique() {
        let (app, s, vpc) = stack_with_vpc();
        let fs = FileSystem::new(&s, "Files", FileSystemProps::new(&vpc)).unwrap();
        let t = task(&s, FargateTaskDefinitionProps::new());
        t.add_volume("data").unwrap();
        t.add_efs_volume("data", &fs, EfsVolumeOptions::new())
            .unwrap();
        t.add_volume("my data").unwrap();
        let d = failed(&app);
        let found: Vec<&str> = d
            .with_code(codes::VOLUME)
            .map(|e| e.message.as_str())
            .collect();
        assert_eq!(
            found,
            [
                "the volume `data` is added twice",
                "volume name `my data` contains ` `; allowed: 1 to 255 letters, digits, hyphens and underscores"
            ]
        );
        assert!(
            d.with_code(codes::VOLUME)
                .all(|e| e.path == "S/TaskDefinition"
                    && e.property.as_deref() == Some("Volumes.Name"))
        );
    }

    #[test]
    fn efs_volumes_are_encrypted_in_transit_by_default() {
        let (app, s, vpc) = stack_with_vpc();
        let fs = FileSystem::new(&s, "Files", FileSystemProps::new(&vpc)).unwrap();
        let ap = fs
            .add_access_point("Cache", AccessPointProps::new().path("/cache"))
            .unwrap();
        let t = task(&s, FargateTaskDefinitionProps::new());
        t.add_efs_volume(
            "plain",
            &fs,
            EfsVolumeOptions::new().root_directory("/data"),
        )
        .unwrap();
        t.add_efs_volume(
            "secure",
            &fs,
            EfsVolumeOptions::new()
                .access_point(&ap)
                .iam_authorization(true)
                .transit_encryption_port(2999),
        )
        .unwrap();
        t.add_efs_volume(
            "readonly",
            &fs,
            EfsVolumeOptions::new().iam_authorization(true),
        )
        .unwrap();
        t.add_container(
            "a",
            ContainerProps::new(nginx())
                .mount_point(MountPoint::new("plain", "/data"))
                .mount_point(MountPoint::new("readonly", "/ro").read_only(true)),
        )
        .unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-efs-volumes");
        let tpl = formwork_test_support::template(&asm, "S");
        assert_eq!(
            tpl["Resources"]["TaskDefinition"]["Properties"]["Volumes"],
            json!([
                {"EFSVolumeConfiguration": {"FilesystemId": {"Ref": "Files"}, "RootDirectory": "/data", "TransitEncryption": "ENABLED"}, "Name": "plain"},
                {"EFSVolumeConfiguration": {
                    "AuthorizationConfig": {"AccessPointId": {"Fn::GetAtt": ["FilesCache", "AccessPointId"]}, "IAM": "ENABLED"},
                    "FilesystemId": {"Ref": "Files"},
                    "TransitEncryption": "ENABLED",
                    "TransitEncryptionPort": 2999
                }, "Name": "secure"},
                {"EFSVolumeConfiguration": {"AuthorizationConfig": {"IAM": "ENABLED"}, "FilesystemId": {"Ref": "Files"}, "TransitEncryption": "ENABLED"}, "Name": "readonly"}
            ])
        );
        // Only the read-only mount of an IAM volume so far: ClientMount alone.
        assert_eq!(
            statements(&tpl, "TaskDefinitionTaskRole"),
            json!([{"Effect": "Allow", "Action": "elasticfilesystem:ClientMount", "Resource": {"Fn::GetAtt": ["Files", "Arn"]}}])
        );
        t.add_container(
            "b",
            ContainerProps::new(nginx())
                .essential(false)
                .mount_point(MountPoint::new("secure", "/secure")),
        )
        .unwrap();
        let tpl = app.synth().unwrap().template_json("S").unwrap();
        assert_eq!(
            statements(&tpl, "TaskDefinitionTaskRole"),
            json!([{"Effect": "Allow", "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], "Resource": {"Fn::GetAtt": ["Files", "Arn"]}}])
        );
    }

    #[test]
    fn efs_settings_ecs_refuses_are_errors() {
        let (app, s, vpc) = stack_with_vpc();
        let fs = FileSystem::new(&s, "Files", FileSystemProps::new(&vpc)).unwrap();
        let ap = fs
            .add_access_point("Ap", AccessPointProps::new().path("/x"))
            .unwrap();
        let t = task(&s, FargateTaskDefinitionProps::new());
        t.add_efs_volume(
            "a",
            &fs,
            EfsVolumeOptions::new()
                .transit_encryption(false)
                .iam_authorization(true)
                .access_point(&ap)
                .transit_encryption_port(2999)
                .root_directory("/data"),
        )
        .unwrap();
        t.add_efs_volume("b", &fs, EfsVolumeOptions::new().root_directory("data"))
            .unwrap();
        t.add_efs_volume(
            "c",
            &fs,
            EfsVolumeOptions::new()
                .access_point(&ap)
                .root_directory("/"),
        )
        .unwrap();
        let d = failed(&app);
        let found: Vec<(&str, &str)> = d
            .with_code(codes::EFS_VOLUME)
            .map(|e| (e.property.as_deref().unwrap_or(""), e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "Volumes.EfsVolumeConfiguration.AuthorizationConfig.IAM",
                    "volume `a`: IAM authorization needs transit encryption"
                ),
                (
                    "Volumes.EfsVolumeConfiguration.AuthorizationConfig.AccessPointId",
                    "volume `a`: an access point needs transit encryption"
                ),
                (
                    "Volumes.EfsVolumeConfiguration.TransitEncryptionPort",
                    "volume `a`: a transit encryption port is set but transit encryption is off"
                ),
                (
                    "Volumes.EfsVolumeConfiguration.RootDirectory",
                    "volume `a`: the root directory `/data` is set beside an access point, which has its own root directory"
                ),
                (
                    "Volumes.EfsVolumeConfiguration.RootDirectory",
                    "volume `b`: the root directory `data` is not an absolute path"
                ),
            ]
        );
        assert!(
            d.with_code(codes::EFS_VOLUME)
                .all(|e| e.path == "S/TaskDefinition" && e.fix.is_some())
        );
    }

    #[test]
    fn container_resources_must_fit_the_task() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let t = task(
            &s,
            FargateTaskDefinitionProps::new().cpu(512).memory_mib(1024),
        );
        t.add_container(
            "a",
            ContainerProps::new(nginx())
                .cpu(256)
                .memory_reservation_mib(512),
        )
        .unwrap();
        t.add_container(
            "b",
            ContainerProps::new(nginx()).cpu(512).memory_limit_mib(2048),
        )
        .unwrap();
        t.add_container(
            "c",
            ContainerProps::new(nginx())
                .memory_limit_mib(128)
                .memory_reservation_mib(256),
        )
        .unwrap();
        let d = failed(&app);
        let found: Vec<(&str, &str, &str)> = d
            .with_code(codes::CONTAINER_RESOURCES)
            .map(|e| {
                (
                    e.path.as_str(),
                    e.property.as_deref().unwrap_or(""),
                    e.message.as_str(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "S/TaskDefinition/B",
                    "ContainerDefinitions.Cpu",
                    "the containers' cpu adds up to 768 units, more than the task's 512"
                ),
                (
                    "S/TaskDefinition/B",
                    "ContainerDefinitions.Memory",
                    "the memory limit 2048 MiB is more than the task's 1024 MiB"
                ),
                (
                    "S/TaskDefinition/B",
                    "ContainerDefinitions.MemoryReservation",
                    "the containers' memory reservations add up to 2560 MiB, more than the task's 1024 MiB"
                ),
                (
                    "S/TaskDefinition/C",
                    "ContainerDefinitions.MemoryReservation",
                    "the memory reservation 256 MiB is above the container's memory limit 128 MiB"
                ),
                (
                    "S/TaskDefinition/C",
                    "ContainerDefinitions.MemoryReservation",
                    "the containers' memory reservations add up to 2816 MiB, more than the task's 1024 MiB"
                ),
            ]
        );
    }

    #[test]
    fn grants_to_the_task_definition_go_to_its_task_role() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let bucket = Bucket::new(&s, "Sessions", BucketProps::new()).unwrap();
        let t = task(&s, FargateTaskDefinitionProps::new());
        t.add_container("a", ContainerProps::new(nginx())).unwrap();
        bucket.grant_read_write(&t).unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-task-grantee");
        let tpl = formwork_test_support::template(&asm, "S");
        assert_eq!(
            statements(&tpl, "TaskDefinitionTaskRole"),
            json!([
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": {"Fn::Sub": "${Sessions.Arn}/*"}},
                {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::GetAtt": ["Sessions", "Arn"]}}
            ])
        );
    }

    #[test]
    fn images_by_digest_pin_the_image() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let repo = Repository::from_name(&s, "Repository", "hera-backend").unwrap();
        let t = task(&s, FargateTaskDefinitionProps::new());
        let digest = format!("sha256:{}", "ab".repeat(32));
        t.add_container(
            "a",
            ContainerProps::new(ContainerImage::from_ecr(
                &repo,
                ImageRef::digest(digest.as_str()),
            )),
        )
        .unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-image-digest");
        let tpl = formwork_test_support::template(&asm, "S");
        assert_eq!(
            tpl["Resources"]["TaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Image"],
            json!({"Fn::Sub": format!("${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/hera-backend@{digest}")})
        );
        assert_eq!(
            statements(&tpl, "TaskDefinitionExecutionRole")[0]["Resource"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/hera-backend"})
        );
    }
}
