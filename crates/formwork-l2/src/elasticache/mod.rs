//! ElastiCache: Redis and Valkey caches in private subnets, each in a
//! subnet group and a security group of its own that lets nothing in until
//! a rule says so.
//!
//! - [`CacheCluster`] (`AWS::ElastiCache::CacheCluster`): one Redis node,
//!   the simplest and cheapest cache; no encryption at rest or in transit.
//! - [`ReplicationGroup`] (`AWS::ElastiCache::ReplicationGroup`): Redis or
//!   Valkey, one node or a primary with replicas, encrypted at rest and in
//!   transit by default. ElastiCache creates Valkey only this way.
//!
//! ```
//! use formwork::App;
//! use formwork::ec2::{Connectable, SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
//! use formwork::elasticache::{CacheCluster, CacheClusterProps};
//! let app = App::new();
//! let stack = app.stack("Sessions")?;
//! let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
//! let backend = SecurityGroup::new(&stack, "BackendSecurityGroup", SecurityGroupProps::new(&vpc))?;
//! let redis = CacheCluster::new(&stack, "Redis", CacheClusterProps::new(&vpc, "cache.t3.micro"))?;
//! redis.connections().allow_default_port_from(&backend, "Redis from the backend")?;
//! # Ok::<(), formwork::Error>(())
//! ```

mod cache_cluster;
mod common;
mod parameter_group;
mod replication_group;

pub use cache_cluster::{CacheCluster, CacheClusterProps};
pub use common::CacheEngine;
pub use parameter_group::{ParameterGroup, ParameterGroupProps};
pub use replication_group::{ReplicationGroup, ReplicationGroupProps};

/// The diagnostic codes of the ElastiCache constructs (`FW35xx`).
pub mod codes {
    /// A node type that is not `cache.<family>.<size>`.
    pub const NODE_TYPE: &str = "FW3501";
    /// Valkey on a `CacheCluster` (ElastiCache creates Valkey only as a
    /// replication group).
    pub const ENGINE: &str = "FW3502";
    /// A node count out of range: not 1 for a Redis cache cluster, not 1 to
    /// 6 for a replication group.
    pub const NUM_NODES: &str = "FW3503";
    /// Warning: an engine version formwork does not know.
    pub const ENGINE_VERSION: &str = "FW3504";
    /// More than 35 days of automatic backups.
    pub const SNAPSHOT_RETENTION: &str = "FW3505";
    /// A maintenance or snapshot window that is malformed or shorter than an hour.
    pub const WINDOW: &str = "FW3506";
    /// A snapshot window that overlaps the maintenance window.
    pub const WINDOW_OVERLAP: &str = "FW3507";
    /// A cluster or replication group id ElastiCache refuses.
    pub const NAME: &str = "FW3508";
    /// Automatic failover with fewer than 2 nodes, or Multi-AZ without
    /// automatic failover.
    pub const FAILOVER: &str = "FW3509";
    /// An encryption setting that needs another one: a KMS key without
    /// encryption at rest, an AUTH token without transit encryption.
    pub const ENCRYPTION: &str = "FW3510";
    /// An AUTH token given as literal text (it would be in the template).
    pub const AUTH_TOKEN_LITERAL: &str = "FW3511";
    /// Port 0.
    pub const PORT: &str = "FW3512";
    /// A parameter group family that is not `redis<major>`,
    /// `valkey<major>` or `memcached<version>`.
    pub const PARAMETER_GROUP_FAMILY: &str = "FW3513";
}
