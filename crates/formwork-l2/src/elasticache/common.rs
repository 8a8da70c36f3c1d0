//! What cache clusters and replication groups share: the engine, the
//! network (subnet group and security group), the windows, their checks,
//! the L1 properties written from them, and the Redis URL.

use std::ops::Deref;

use formwork_core::typed::Str;
use formwork_core::{
    Diagnostic, Expr, Fn, RemovalPolicy, Resource, ResourceRef, Result, Scope, Value,
};
use formwork_l1::elasticache::{CfnSubnetGroup, CfnSubnetGroupRef};

use super::codes;
use crate::ec2::{
    Connections, Port, SecurityGroup, SecurityGroupProps, SubnetSelection, SubnetType, Vpc,
};

/// The default port of Redis and Valkey.
pub(crate) const DEFAULT_PORT: u16 = 6379;

/// The cache engine: Redis OSS or Valkey (its open-source successor,
/// protocol-compatible and cheaper on ElastiCache).
///
/// `AWS::ElastiCache::CacheCluster` creates Redis nodes only (the
/// `CreateCacheCluster` API refuses `valkey`), so Valkey takes a
/// [`super::ReplicationGroup`] (one node with `num_cache_clusters(1)`).
///
/// ```
/// use formwork::elasticache::CacheEngine;
/// assert_eq!(CacheEngine::Valkey.as_str(), "valkey");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CacheEngine {
    /// `redis` (Redis OSS; the default).
    #[default]
    Redis,
    /// `valkey`.
    Valkey,
}

impl CacheEngine {
    /// The value as CloudFormation spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            CacheEngine::Redis => "redis",
            CacheEngine::Valkey => "valkey",
        }
    }

    /// The engine versions ElastiCache offers for new nodes, as far as
    /// formwork knows (a newer one is a warning, not an error).
    pub fn known_versions(self) -> &'static [&'static str] {
        match self {
            CacheEngine::Redis => &["4.0.10", "5.0.6", "6.0", "6.2", "7.0", "7.1"],
            CacheEngine::Valkey => &["7.2", "8.0", "8.1", "8.2", "9.0"],
        }
    }
}

/// The settings cache clusters and replication groups share.
#[derive(Clone, Debug)]
pub(crate) struct Common {
    pub(crate) vpc: Vpc,
    pub(crate) engine: CacheEngine,
    pub(crate) engine_version: Option<Str>,
    pub(crate) node_type: Str,
    pub(crate) subnets: SubnetSelection,
    pub(crate) security_group: Option<SecurityGroup>,
    pub(crate) port: u16,
    pub(crate) snapshot_retention: Option<u32>,
    pub(crate) snapshot_window: Option<String>,
    pub(crate) maintenance_window: Option<String>,
    pub(crate) auto_minor_version_upgrade: Option<bool>,
    pub(crate) removal_policy: Option<RemovalPolicy>,
    pub(crate) tags: Vec<(String, Str)>,
    pub(crate) parameter_group: Option<Expr>,
}

impl Common {
    pub(crate) fn new(vpc: &Vpc, node_type: Str) -> Common {
        Common {
            vpc: vpc.clone(),
            engine: CacheEngine::Redis,
            engine_version: None,
            node_type,
            subnets: SubnetSelection::Type(SubnetType::Private),
            security_group: None,
            port: DEFAULT_PORT,
            snapshot_retention: None,
            snapshot_window: None,
            maintenance_window: None,
            auto_minor_version_upgrade: None,
            removal_policy: None,
            tags: Vec::new(),
            parameter_group: None,
        }
    }

    /// Reports what is wrong with the shared settings.
    pub(crate) fn check(&self, node: &Scope) {
        check_node_type(node, &self.node_type);
        self.check_version(node);
        if let Some(n) = self.snapshot_retention.filter(|n| *n > 35) {
            node.error(
                codes::SNAPSHOT_RETENTION,
                "SnapshotRetentionLimit",
                format!("{n} days of automatic backups; allowed: 0 (none) to 35"),
            );
        }
        if self.port == 0 {
            node.error(codes::PORT, "Port", "port 0; allowed: 1 to 65535");
        }
        let maintenance = self
            .maintenance_window
            .as_deref()
            .and_then(|w| check_window(node, "PreferredMaintenanceWindow", w, true));
        let snapshot = self
            .snapshot_window
            .as_deref()
            .and_then(|w| check_window(node, "SnapshotWindow", w, false));
        if let (Some(m), Some(s)) = (maintenance, snapshot) {
            if windows_overlap(m, s) {
                node.report(
                    Diagnostic::error(
                        codes::WINDOW_OVERLAP,
                        node.path(),
                        format!(
                            "the snapshot window {} overlaps the maintenance window {}",
                            self.snapshot_window.as_deref().unwrap_or_default(),
                            self.maintenance_window.as_deref().unwrap_or_default()
                        ),
                    )
                    .property("SnapshotWindow")
                    .fix("move the daily snapshot window out of the weekly maintenance window"),
                );
            }
        }
    }

    fn check_version(&self, node: &Scope) {
        let Some(v) = self.engine_version.as_ref() else {
            return;
        };
        let Some(text) = Value::from(v.clone()).as_str().map(str::to_owned) else {
            return;
        };
        let known = self.engine.known_versions();
        if !known.contains(&text.as_str()) {
            node.report(
                Diagnostic::warning(
                    codes::ENGINE_VERSION,
                    node.path(),
                    format!(
                        "`{text}` is not a {} version formwork knows; known: {}",
                        self.engine.as_str(),
                        known.join(", ")
                    ),
                )
                .property("EngineVersion")
                .fix("check `aws elasticache describe-cache-engine-versions`, or leave the version unset for the latest"),
            );
        }
    }

    /// Creates the subnet group (`<node>/SubnetGroup`) and, unless one was
    /// given, the security group (`<node>/SecurityGroup`).
    #[track_caller]
    pub(crate) fn network(&self, node: &Scope) -> Result<(CfnSubnetGroupRef, Connections)> {
        let subnets = self.vpc.select_subnets(self.subnets.clone());
        subnets.check_not_empty(node, "CacheSubnetGroupName");
        let description = format!("Subnets of {}", node.path());
        let subnet_group = node.add(
            "SubnetGroup",
            CfnSubnetGroup::new()
                .description(description)
                .subnet_ids(subnets.ids()),
        )?;
        let group = SecurityGroup::for_construct(
            node,
            self.security_group.as_ref(),
            SecurityGroupProps::new(&self.vpc),
        )?;
        let connections = Connections::new([group]).with_default_port(Port::tcp(self.port));
        Ok((subnet_group, connections))
    }

    /// Adds the cache's L1 resource at `node`'s own path, with the removal
    /// policy if one was set.
    #[track_caller]
    pub(crate) fn add<R>(&self, node: &Scope, cfn: R) -> Result<R::Ref>
    where
        R: Resource,
        R::Ref: Deref<Target = ResourceRef>,
    {
        let added = node.add_here(cfn)?;
        if let Some(p) = self.removal_policy {
            added.apply_removal_policy(p);
        }
        Ok(added)
    }
}

/// `<scheme><address>:<port>` (an `Fn::Sub`), the URL Redis clients take.
pub(crate) fn redis_url(scheme: &str, address: Expr, port: Expr) -> Expr {
    Fn::concat([
        Value::from(scheme),
        Value::from(address),
        Value::from(":"),
        Value::from(port),
    ])
}

/// Writes what a cache takes from its [`Common`] settings (engine, node
/// type, port, subnet group, version, backups, windows, minor upgrades,
/// tags) on an L1 builder: `CfnCacheCluster` and `CfnReplicationGroup`
/// name these properties alike. `$tag` is the resource's tag type.
macro_rules! with_common_properties {
    ($cfn:expr, $common:expr, $subnet_group:expr, $tag:path) => {{
        let c: &Common = $common;
        let mut cfn = $cfn
            .engine(c.engine.as_str())
            .cache_node_type(c.node_type.clone())
            .port(c.port)
            .cache_subnet_group_name($subnet_group.ref_());
        if let Some(v) = &c.engine_version {
            cfn = cfn.engine_version(v.clone());
        }
        if let Some(g) = &c.parameter_group {
            cfn = cfn.cache_parameter_group_name(g.clone());
        }
        if let Some(n) = c.snapshot_retention {
            cfn = cfn.snapshot_retention_limit(n);
        }
        if let Some(w) = &c.snapshot_window {
            cfn = cfn.snapshot_window(w.as_str());
        }
        if let Some(w) = &c.maintenance_window {
            cfn = cfn.preferred_maintenance_window(w.as_str());
        }
        if let Some(on) = c.auto_minor_version_upgrade {
            cfn = cfn.auto_minor_version_upgrade(on);
        }
        if !c.tags.is_empty() {
            cfn = cfn.tags(
                c.tags
                    .iter()
                    .map(|(k, v)| <$tag>::new().key(k.as_str()).value(v.clone()))
                    .collect::<Vec<_>>(),
            );
        }
        cfn
    }};
}
pub(crate) use with_common_properties;

/// The setters cache clusters and replication groups share, for a props
/// struct with a `common: Common` field.
macro_rules! common_setters {
    () => {
        /// The engine version (`7.1`; the latest when unset). A version
        /// formwork does not know is a warning (`FW3504`).
        pub fn engine_version(mut self, version: impl Into<Str>) -> Self {
            self.common.engine_version = Some(version.into());
            self
        }

        /// The subnets of the cache's subnet group (the VPC's private
        /// subnets by default).
        pub fn vpc_subnets(mut self, selection: impl Into<SubnetSelection>) -> Self {
            self.common.subnets = selection.into();
            self
        }

        /// Puts the cache in this security group instead of a new one.
        pub fn security_group(mut self, group: &SecurityGroup) -> Self {
            self.common.security_group = Some(group.clone());
            self
        }

        /// The port clients connect to (6379 by default).
        pub fn port(mut self, port: u16) -> Self {
            self.common.port = port;
            self
        }

        /// How many days ElastiCache keeps automatic backups (0 to 35; none
        /// by default).
        pub fn snapshot_retention_days(mut self, days: u32) -> Self {
            self.common.snapshot_retention = Some(days);
            self
        }

        /// The daily UTC window of automatic backups (`03:00-04:00`, an
        /// hour or more, outside the maintenance window).
        pub fn snapshot_window(mut self, window: impl Into<String>) -> Self {
            self.common.snapshot_window = Some(window.into());
            self
        }

        /// The weekly UTC maintenance window (`sun:05:00-sun:06:00`, an
        /// hour or more).
        pub fn maintenance_window(mut self, window: impl Into<String>) -> Self {
            self.common.maintenance_window = Some(window.into());
            self
        }

        /// Whether minor engine upgrades are applied in the maintenance window.
        pub fn auto_minor_version_upgrade(mut self, on: bool) -> Self {
            self.common.auto_minor_version_upgrade = Some(on);
            self
        }

        /// What happens to the cache when it leaves the stack or is
        /// replaced (CloudFormation's default, `Delete`, when unset;
        /// `Snapshot` keeps a final backup).
        pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
            self.common.removal_policy = Some(policy);
            self
        }

        /// The engine's settings from a [`ParameterGroup`](super::ParameterGroup)
        /// (ElastiCache has no `CONFIG SET`); the group's family must
        /// match the engine version (`redis7` for `7.1`).
        pub fn parameter_group(mut self, group: &super::ParameterGroup) -> Self {
            self.common.parameter_group = Some(group.name());
            self
        }

        /// Adds a tag.
        pub fn tag(mut self, key: impl Into<String>, value: impl Into<Str>) -> Self {
            self.common.tags.push((key.into(), value.into()));
            self
        }
    };
}
pub(crate) use common_setters;

fn check_node_type(node: &Scope, node_type: &Str) {
    let Some(text) = Value::from(node_type.clone()).as_str().map(str::to_owned) else {
        return;
    };
    let parts: Vec<&str> = text.split('.').collect();
    let ok = parts.len() == 3
        && parts[0] == "cache"
        && parts[1..].iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if !ok {
        node.report(
            Diagnostic::error(
                codes::NODE_TYPE,
                node.path(),
                format!("`{text}` is not an ElastiCache node type; allowed: cache.<family>.<size>"),
            )
            .property("CacheNodeType")
            .fix("use a node type such as cache.t3.micro or cache.r7g.large"),
        );
    }
}

/// Checks a cluster or replication group id: 1 to `max` letters, digits
/// and hyphens, starting with a letter, without a trailing hyphen or two
/// hyphens in a row.
pub(crate) fn check_name(node: &Scope, property: &str, name: &Str, max: usize) {
    let Some(text) = Value::from(name.clone()).as_str().map(str::to_owned) else {
        return;
    };
    let problem = if text.is_empty() || text.len() > max {
        Some(format!(
            "`{text}` is {} characters long; allowed: 1 to {max}",
            text.len()
        ))
    } else if !text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        Some(format!(
            "`{text}` has characters other than letters, digits and hyphens"
        ))
    } else if !text.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some(format!("`{text}` does not start with a letter"))
    } else if text.ends_with('-') || text.contains("--") {
        Some(format!(
            "`{text}` ends with a hyphen or has two hyphens in a row"
        ))
    } else {
        None
    };
    if let Some(msg) = problem {
        node.report(
            Diagnostic::error(codes::NAME, node.path(), msg)
                .property(property)
                .fix("leave the name unset: CloudFormation generates a unique one"),
        );
    }
}

const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const DAY: u32 = 24 * 60;
const WEEK: u32 = 7 * DAY;

fn minutes(hm: &str) -> Option<u32> {
    let (h, m) = hm.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn weekly(point: &str) -> Option<u32> {
    let (d, hm) = point.split_once(':')?;
    let day = DAYS.iter().position(|x| x.eq_ignore_ascii_case(d))?;
    Some(day as u32 * DAY + minutes(hm)?)
}

/// A window as (start, length, period) in minutes: of the week for a
/// maintenance window, of the day for a snapshot window.
type Window = (u32, u32, u32);

/// Parses and checks a window; reports `FW3506` and returns `None` when it
/// is malformed or shorter than an hour.
fn check_window(node: &Scope, property: &str, text: &str, weekly_window: bool) -> Option<Window> {
    let (form, period) = if weekly_window {
        ("ddd:hh24:mi-ddd:hh24:mi, such as sun:05:00-sun:06:00", WEEK)
    } else {
        ("hh24:mi-hh24:mi (UTC), such as 03:00-04:00", DAY)
    };
    let parsed = text.split_once('-').and_then(|(a, b)| {
        if weekly_window {
            Some((weekly(a)?, weekly(b)?))
        } else {
            Some((minutes(a)?, minutes(b)?))
        }
    });
    let problem = match parsed {
        None => Some(format!("`{text}` is not a window; allowed: {form}")),
        Some((start, end)) => {
            let len = (end + period - start) % period;
            (len < 60)
                .then(|| format!("the window `{text}` lasts {len} minutes; allowed: at least 60"))
        }
    };
    if let Some(msg) = problem {
        node.report(
            Diagnostic::error(codes::WINDOW, node.path(), msg)
                .property(property)
                .fix(format!("write the window as {form}, an hour or more long")),
        );
        return None;
    }
    parsed.map(|(start, end)| (start, (end + period - start) % period, period))
}

/// True when the daily snapshot window meets the weekly maintenance window
/// on any day.
fn windows_overlap(maintenance: Window, snapshot: Window) -> bool {
    let (m0, ml, _) = maintenance;
    let (s0, sl, _) = snapshot;
    (0..7).any(|d| {
        let b0 = d * DAY + s0;
        (b0 + WEEK - m0) % WEEK < ml || (m0 + WEEK - b0) % WEEK < sl
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_parse_and_overlap() {
        assert_eq!(minutes("03:30"), Some(210));
        assert_eq!(minutes("24:00"), None);
        assert_eq!(minutes("3:30"), None);
        assert_eq!(weekly("Mon:01:00"), Some(DAY + 60));
        assert_eq!(weekly("xyz:01:00"), None);
        let m = (weekly("sun:05:00").unwrap(), 60, WEEK);
        assert!(windows_overlap(m, (minutes("05:30").unwrap(), 60, DAY)));
        assert!(windows_overlap(m, (minutes("04:30").unwrap(), 60, DAY)));
        assert!(!windows_overlap(m, (minutes("06:00").unwrap(), 60, DAY)));
        assert!(!windows_overlap(m, (minutes("03:00").unwrap(), 120, DAY)));
        // A maintenance window across midnight at the end of the week.
        let late = (weekly("sat:23:30").unwrap(), 60, WEEK);
        assert!(windows_overlap(late, (minutes("00:00").unwrap(), 60, DAY)));
    }
}
