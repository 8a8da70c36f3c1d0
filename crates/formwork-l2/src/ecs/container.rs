//! Containers of a task definition: what each runs, what it listens on,
//! what it is given, and how it is checked.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Scope};
use formwork_l1::ecs::task_definition;

use super::codes;
use super::image::ContainerImage;
use super::logging::LogDriver;
use super::secret::Secret;
use crate::logs::LogGroup;

/// The protocol of a [`PortMapping`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PortProtocol {
    /// `tcp` (the default).
    #[default]
    Tcp,
    /// `udp`.
    Udp,
}

impl PortProtocol {
    fn l1(self) -> task_definition::Protocol {
        match self {
            PortProtocol::Tcp => task_definition::Protocol::Tcp,
            PortProtocol::Udp => task_definition::Protocol::Udp,
        }
    }
}

/// A port the container listens on. With Fargate's `awsvpc` networking
/// the task's network interface exposes the container port itself (there
/// is no host port to choose).
///
/// ```
/// use formwork::ecs::PortMapping;
/// let streamlit = PortMapping::tcp(8501).name("streamlit");
/// let dns = PortMapping::udp(53);
/// # let _ = (streamlit, dns);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PortMapping {
    port: u16,
    protocol: PortProtocol,
    name: Option<String>,
}

impl PortMapping {
    /// A TCP port.
    pub fn tcp(port: u16) -> PortMapping {
        PortMapping {
            port,
            protocol: PortProtocol::Tcp,
            name: None,
        }
    }

    /// A UDP port.
    pub fn udp(port: u16) -> PortMapping {
        PortMapping {
            port,
            protocol: PortProtocol::Udp,
            name: None,
        }
    }

    /// A name for the mapping (what Service Connect refers to).
    pub fn name(mut self, name: impl Into<String>) -> PortMapping {
        self.name = Some(name.into());
        self
    }

    /// The container port.
    pub fn container_port(&self) -> u16 {
        self.port
    }

    /// The protocol.
    pub fn protocol(&self) -> PortProtocol {
        self.protocol
    }

    fn l1(&self) -> task_definition::PortMapping {
        let mut m = task_definition::PortMapping::new()
            .container_port(self.port)
            .protocol(self.protocol.l1());
        if let Some(n) = &self.name {
            m = m.name(n.as_str());
        }
        m
    }
}

/// A container health check, run by the container agent inside the
/// container: a command whose exit status 0 means healthy.
///
/// Unset values are ECS's defaults: every 30 s, a 5 s timeout, 3 retries,
/// no start period. Checked (`FW3208`): an interval of 5 to 300 s, a
/// timeout of 2 to 120 s, 1 to 10 retries, a start period of 0 to 300 s,
/// a command that is not empty.
///
/// ```
/// use formwork::ecs::HealthCheck;
/// let hc = HealthCheck::shell("curl -fs http://localhost:8501/_stcore/health || exit 1")
///     .interval_seconds(30)
///     .timeout_seconds(5)
///     .retries(3)
///     .start_period_seconds(60);
/// # let _ = hc;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct HealthCheck {
    command: Vec<String>,
    interval: Option<u32>,
    timeout: Option<u32>,
    retries: Option<u32>,
    start_period: Option<u32>,
}

impl HealthCheck {
    /// A command run by the container's shell (`CMD-SHELL`).
    pub fn shell(command: impl Into<String>) -> HealthCheck {
        HealthCheck::with(vec!["CMD-SHELL".to_owned(), command.into()])
    }

    /// A program and its arguments, run without a shell (`CMD`).
    pub fn exec<S: Into<String>>(argv: impl IntoIterator<Item = S>) -> HealthCheck {
        let mut command = vec!["CMD".to_owned()];
        command.extend(argv.into_iter().map(Into::into));
        HealthCheck::with(command)
    }

    fn with(command: Vec<String>) -> HealthCheck {
        HealthCheck {
            command,
            interval: None,
            timeout: None,
            retries: None,
            start_period: None,
        }
    }

    /// Seconds between checks (5 to 300; default 30).
    pub fn interval_seconds(mut self, seconds: u32) -> Self {
        self.interval = Some(seconds);
        self
    }

    /// Seconds a check may take before it counts as failed (2 to 120; default 5).
    pub fn timeout_seconds(mut self, seconds: u32) -> Self {
        self.timeout = Some(seconds);
        self
    }

    /// Failures in a row that make the container unhealthy (1 to 10; default 3).
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = Some(retries);
        self
    }

    /// Seconds after start during which failures do not count (0 to 300).
    pub fn start_period_seconds(mut self, seconds: u32) -> Self {
        self.start_period = Some(seconds);
        self
    }

    fn check(&self, node: &Scope) {
        let prop = "ContainerDefinitions.HealthCheck";
        let empty = self.command.len() < 2 || self.command[1..].iter().all(|a| a.trim().is_empty());
        if empty {
            node.report(
                Diagnostic::error(
                    codes::HEALTH_CHECK,
                    node.path(),
                    "the health check command is empty",
                )
                .property(format!("{prop}.Command")),
            );
        }
        let ranges = [
            (self.interval, 5, 300, "Interval", "interval"),
            (self.timeout, 2, 120, "Timeout", "timeout"),
            (self.retries, 1, 10, "Retries", "retries"),
            (self.start_period, 0, 300, "StartPeriod", "start period"),
        ];
        for (v, lo, hi, property, what) in ranges {
            if let Some(v) = v.filter(|v| *v < lo || *v > hi) {
                let unit = if property == "Retries" { "" } else { " s" };
                node.report(
                    Diagnostic::error(
                        codes::HEALTH_CHECK,
                        node.path(),
                        format!("a health check {what} of {v}{unit}; allowed: {lo} to {hi}{unit}"),
                    )
                    .property(format!("{prop}.{property}")),
                );
            }
        }
    }

    fn l1(&self) -> task_definition::HealthCheck {
        let mut h = task_definition::HealthCheck::new()
            .command(self.command.iter().map(String::as_str).collect::<Vec<_>>());
        if let Some(v) = self.interval {
            h = h.interval(v);
        }
        if let Some(v) = self.timeout {
            h = h.timeout(v);
        }
        if let Some(v) = self.retries {
            h = h.retries(v);
        }
        if let Some(v) = self.start_period {
            h = h.start_period(v);
        }
        h
    }
}

/// A volume of the task definition mounted into the container.
///
/// ```
/// use formwork::ecs::MountPoint;
/// let cache = MountPoint::new("cache-storage", "/app/cache");
/// let config = MountPoint::new("config", "/etc/app").read_only(true);
/// # let _ = (cache, config);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MountPoint {
    pub(crate) source_volume: String,
    pub(crate) container_path: String,
    pub(crate) read_only: bool,
}

impl MountPoint {
    /// Mounts the volume `source_volume` at `container_path`, read-write.
    pub fn new(source_volume: impl Into<String>, container_path: impl Into<String>) -> MountPoint {
        MountPoint {
            source_volume: source_volume.into(),
            container_path: container_path.into(),
            read_only: false,
        }
    }

    /// Mounts it read-only (for an EFS volume with IAM authorization, the
    /// task role then gets `ClientMount` only).
    pub fn read_only(mut self, read_only: bool) -> MountPoint {
        self.read_only = read_only;
        self
    }

    fn l1(&self) -> task_definition::MountPoint {
        task_definition::MountPoint::new()
            .source_volume(self.source_volume.as_str())
            .container_path(self.container_path.as_str())
            .read_only(self.read_only)
    }
}

/// What a container is made with: its image, and what it listens on, is
/// given and writes to.
///
/// Defaults: essential (the task stops when it stops); no port, no
/// environment, no secret; **no logging** unless [`ContainerProps::logging`]
/// is given; the image's own command, entry point, user and working
/// directory; no cpu or memory of its own (it shares the task's).
///
/// ```
/// use formwork::{App, Pseudo};
/// use formwork::ecr::Repository;
/// use formwork::ecs::{ContainerImage, ContainerProps, HealthCheck, ImageRef, LogDriver, MountPoint, PortMapping};
/// let app = App::new();
/// let stack = app.stack("Svc")?;
/// let repo = Repository::from_name(&stack, "Repository", "hera-backend")?;
/// let props = ContainerProps::new(ContainerImage::from_ecr(&repo, ImageRef::tag("latest")))
///     .port_mapping(PortMapping::tcp(8080))
///     .environment("STORAGE_MODE", "cloud")
///     .environment("AWS_REGION", Pseudo::Region)
///     .logging(LogDriver::aws_logs("ecs"))
///     .health_check(HealthCheck::shell("curl -fs http://localhost:8080/health || exit 1"))
///     .mount_point(MountPoint::new("scratch", "/tmp/work"))
///     .command(["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8080"])
///     .working_directory("/app");
/// # let _ = props;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ContainerProps {
    pub(crate) image: ContainerImage,
    pub(crate) ports: Vec<PortMapping>,
    pub(crate) environment: Vec<(String, Str)>,
    pub(crate) secrets: Vec<(String, Secret)>,
    pub(crate) logging: Option<LogDriver>,
    pub(crate) mount_points: Vec<MountPoint>,
    pub(crate) health_check: Option<HealthCheck>,
    pub(crate) essential: bool,
    pub(crate) command: Option<Vec<Str>>,
    pub(crate) entry_point: Option<Vec<Str>>,
    pub(crate) cpu: Option<u32>,
    pub(crate) memory_limit: Option<u32>,
    pub(crate) memory_reservation: Option<u32>,
    pub(crate) working_directory: Option<Str>,
    pub(crate) user: Option<Str>,
    pub(crate) readonly_root_filesystem: Option<bool>,
    pub(crate) stop_timeout: Option<u32>,
}

impl ContainerProps {
    /// A container running `image`, with the defaults above.
    pub fn new(image: ContainerImage) -> Self {
        ContainerProps {
            image,
            ports: Vec::new(),
            environment: Vec::new(),
            secrets: Vec::new(),
            logging: None,
            mount_points: Vec::new(),
            health_check: None,
            essential: true,
            command: None,
            entry_point: None,
            cpu: None,
            memory_limit: None,
            memory_reservation: None,
            working_directory: None,
            user: None,
            readonly_root_filesystem: None,
            stop_timeout: None,
        }
    }

    /// Whether a log driver was chosen (with [`logging`](Self::logging)).
    pub fn has_logging(&self) -> bool {
        self.logging.is_some()
    }

    /// Adds a port the container listens on.
    pub fn port_mapping(mut self, mapping: PortMapping) -> Self {
        self.ports.push(mapping);
        self
    }

    /// Adds an environment variable; the value is a literal or a reference
    /// (`bucket.bucket_name()`, `Pseudo::Region`).
    pub fn environment(mut self, name: impl Into<String>, value: impl Into<Str>) -> Self {
        self.environment.push((name.into(), value.into()));
        self
    }

    /// Adds an environment variable whose value ECS reads from Secrets
    /// Manager or Parameter Store when the task starts.
    pub fn secret(mut self, name: impl Into<String>, secret: Secret) -> Self {
        self.secrets.push((name.into(), secret));
        self
    }

    /// Where the container's output goes (default: nowhere).
    pub fn logging(mut self, driver: LogDriver) -> Self {
        self.logging = Some(driver);
        self
    }

    /// Mounts a volume of the task definition (added before this container).
    pub fn mount_point(mut self, mount: MountPoint) -> Self {
        self.mount_points.push(mount);
        self
    }

    /// The container health check.
    pub fn health_check(mut self, check: HealthCheck) -> Self {
        self.health_check = Some(check);
        self
    }

    /// Whether the task stops when this container stops (default `true`;
    /// a task needs at least one essential container).
    pub fn essential(mut self, essential: bool) -> Self {
        self.essential = essential;
        self
    }

    /// The command, replacing the image's `CMD`.
    pub fn command<S: Into<Str>>(mut self, command: impl IntoIterator<Item = S>) -> Self {
        self.command = Some(command.into_iter().map(Into::into).collect());
        self
    }

    /// The entry point, replacing the image's `ENTRYPOINT`.
    pub fn entry_point<S: Into<Str>>(mut self, entry_point: impl IntoIterator<Item = S>) -> Self {
        self.entry_point = Some(entry_point.into_iter().map(Into::into).collect());
        self
    }

    /// CPU units reserved for this container (of the task's).
    pub fn cpu(mut self, units: u32) -> Self {
        self.cpu = Some(units);
        self
    }

    /// A hard memory limit in MiB: the container is killed above it.
    pub fn memory_limit_mib(mut self, mib: u32) -> Self {
        self.memory_limit = Some(mib);
        self
    }

    /// Memory in MiB reserved for the container (a soft limit).
    pub fn memory_reservation_mib(mut self, mib: u32) -> Self {
        self.memory_reservation = Some(mib);
        self
    }

    /// The working directory, replacing the image's `WORKDIR`.
    pub fn working_directory(mut self, dir: impl Into<Str>) -> Self {
        self.working_directory = Some(dir.into());
        self
    }

    /// The user (`uid`, `uid:gid`, a name), replacing the image's `USER`.
    pub fn user(mut self, user: impl Into<Str>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// Mounts the root file system read-only.
    pub fn readonly_root_filesystem(mut self, read_only: bool) -> Self {
        self.readonly_root_filesystem = Some(read_only);
        self
    }

    /// Seconds between `SIGTERM` and `SIGKILL` when the task stops (up to
    /// 120 on Fargate; default 30).
    pub fn stop_timeout_seconds(mut self, seconds: u32) -> Self {
        self.stop_timeout = Some(seconds);
        self
    }

    /// Checks what concerns the container alone; reports on `node`.
    pub(crate) fn check(&self, node: &Scope) {
        let mut names: Vec<&str> = Vec::new();
        let all = self
            .environment
            .iter()
            .map(|(n, _)| (n.as_str(), "Environment"))
            .chain(self.secrets.iter().map(|(n, _)| (n.as_str(), "Secrets")));
        for (name, property) in all {
            let problem = if name.is_empty() {
                Some("an environment variable name is empty".to_owned())
            } else if name.contains('=') {
                Some(format!(
                    "the environment variable name `{name}` contains `=`"
                ))
            } else if names.contains(&name) {
                Some(format!(
                    "the environment variable `{name}` is given twice (environment and secrets share names)"
                ))
            } else {
                None
            };
            if let Some(msg) = problem {
                node.report(
                    Diagnostic::error(codes::ENVIRONMENT, node.path(), msg)
                        .property(format!("ContainerDefinitions.{property}")),
                );
            }
            names.push(name);
        }
        if let Some(h) = &self.health_check {
            h.check(node);
        }
        let mut paths: Vec<&str> = Vec::new();
        for m in &self.mount_points {
            let path = m.container_path.as_str();
            let problem = if !path.starts_with('/') {
                Some(format!(
                    "the container path `{path}` of volume `{}` is not absolute",
                    m.source_volume
                ))
            } else if paths.contains(&path) {
                Some(format!("the container path `{path}` is mounted twice"))
            } else {
                None
            };
            if let Some(msg) = problem {
                node.report(
                    Diagnostic::error(codes::MOUNT_POINT, node.path(), msg)
                        .property("ContainerDefinitions.MountPoints"),
                );
            }
            paths.push(path);
        }
        if let (Some(limit), Some(reservation)) = (self.memory_limit, self.memory_reservation) {
            if reservation > limit {
                node.report(
                    Diagnostic::error(
                        codes::CONTAINER_RESOURCES,
                        node.path(),
                        format!(
                            "the memory reservation {reservation} MiB is above the container's memory limit {limit} MiB"
                        ),
                    )
                    .property("ContainerDefinitions.MemoryReservation"),
                );
            }
        }
    }

    /// The L1 container definition, but for image, secrets and logging,
    /// which the task definition fills in.
    pub(crate) fn l1(&self, name: &str) -> task_definition::ContainerDefinition {
        let mut c = task_definition::ContainerDefinition::new()
            .name(name)
            .essential(self.essential);
        if !self.ports.is_empty() {
            c = c.port_mappings(self.ports.iter().map(PortMapping::l1).collect::<Vec<_>>());
        }
        if !self.environment.is_empty() {
            c = c.environment(
                self.environment
                    .iter()
                    .map(|(k, v)| {
                        task_definition::KeyValuePair::new()
                            .name(k.as_str())
                            .value(v.clone())
                    })
                    .collect::<Vec<_>>(),
            );
        }
        if !self.mount_points.is_empty() {
            c = c.mount_points(
                self.mount_points
                    .iter()
                    .map(MountPoint::l1)
                    .collect::<Vec<_>>(),
            );
        }
        if let Some(h) = &self.health_check {
            c = c.health_check(h.l1());
        }
        if let Some(cmd) = &self.command {
            c = c.command(cmd.clone());
        }
        if let Some(ep) = &self.entry_point {
            c = c.entry_point(ep.clone());
        }
        if let Some(v) = self.cpu {
            c = c.cpu(v);
        }
        if let Some(v) = self.memory_limit {
            c = c.memory(v);
        }
        if let Some(v) = self.memory_reservation {
            c = c.memory_reservation(v);
        }
        if let Some(v) = &self.working_directory {
            c = c.working_directory(v.clone());
        }
        if let Some(v) = &self.user {
            c = c.user(v.clone());
        }
        if let Some(v) = self.readonly_root_filesystem {
            c = c.readonly_root_filesystem(v);
        }
        if let Some(v) = self.stop_timeout {
            c = c.stop_timeout(v);
        }
        c
    }
}

/// A container of a task definition, as added: its name, ports and log
/// group. Change what the construct does not model through the task
/// definition's L1 resource.
#[derive(Clone, Debug)]
pub struct Container {
    pub(crate) name: String,
    pub(crate) scope: Scope,
    pub(crate) ports: Vec<PortMapping>,
    pub(crate) essential: bool,
    pub(crate) log_group: Option<LogGroup>,
}

impl Container {
    /// The container name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The construct's scope (its log group is below it).
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Its port mappings.
    pub fn port_mappings(&self) -> &[PortMapping] {
        &self.ports
    }

    /// Whether the task stops when it stops.
    pub fn is_essential(&self) -> bool {
        self.essential
    }

    /// The log group it writes to (`awslogs`).
    pub fn log_group(&self) -> Option<&LogGroup> {
        self.log_group.as_ref()
    }
}
