//! CacheCluster: a single-node Redis cache in private subnets, reachable
//! only from what its connections allow.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, RemovalPolicy, Result, Scope};
use formwork_l1::elasticache::{
    CfnCacheCluster, CfnCacheClusterRef, CfnSubnetGroupRef, cache_cluster,
};

use super::codes;
use super::common::{
    CacheEngine, Common, check_name, common_setters, redis_url, with_common_properties,
};
use crate::ec2::{Connectable, Connections, SecurityGroup, SubnetSelection, Vpc};

/// What a [`CacheCluster`] is made with.
///
/// Defaults: Redis (the latest version), one node, port 6379, the VPC's
/// private subnets (in a subnet group created for the cache), a new
/// security group that lets nothing in until a rule says so, no automatic
/// backups, the maintenance window ElastiCache picks, and a name
/// CloudFormation generates.
///
/// Encryption at rest and in transit (TLS) are not available on a Redis
/// `CacheCluster`: use a [`super::ReplicationGroup`] (with one node, the
/// same cost), where both are on by default. Valkey also takes a
/// replication group.
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{Vpc, VpcProps};
/// use formwork::elasticache::CacheClusterProps;
/// let app = App::new();
/// let stack = app.stack("Demo")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let props = CacheClusterProps::new(&vpc, "cache.t3.micro")
///     .engine_version("7.1")
///     .snapshot_retention_days(1)
///     .snapshot_window("03:00-04:00")
///     .maintenance_window("sun:05:00-sun:06:00");
/// # let _ = props;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct CacheClusterProps {
    common: Common,
    num_cache_nodes: u32,
    cluster_name: Option<Str>,
}

impl CacheClusterProps {
    /// A one-node Redis cache of `node_type` (`cache.t3.micro`: checked to
    /// be `cache.<family>.<size>`, `FW3501`) in `vpc`.
    pub fn new(vpc: &Vpc, node_type: impl Into<Str>) -> Self {
        CacheClusterProps {
            common: Common::new(vpc, node_type.into()),
            num_cache_nodes: 1,
            cluster_name: None,
        }
    }

    /// The engine (Redis by default). `CacheEngine::Valkey` is an error
    /// here (`FW3502`): ElastiCache creates Valkey only as a replication group.
    pub fn engine(mut self, engine: CacheEngine) -> Self {
        self.common.engine = engine;
        self
    }

    /// The number of nodes: a Redis cluster has exactly one (`FW3503`
    /// otherwise); more nodes are replicas of a replication group.
    pub fn num_cache_nodes(mut self, n: u32) -> Self {
        self.num_cache_nodes = n;
        self
    }

    /// A fixed cluster id (1 to 50 letters, digits and hyphens, starting
    /// with a letter; `FW3508`). Leave it unset unless something outside
    /// the stack looks the cluster up by name.
    pub fn cluster_name(mut self, name: impl Into<Str>) -> Self {
        self.cluster_name = Some(name.into());
        self
    }

    common_setters!();
}

/// An ElastiCache Redis cache cluster (`AWS::ElastiCache::CacheCluster`)
/// with its subnet group and security group.
///
/// It is [`Connectable`] with its port (6379 by default) as default port:
/// `cache.connections().allow_default_port_from(&backend, "Redis from the backend")`.
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{Connectable, SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
/// use formwork::elasticache::{CacheCluster, CacheClusterProps};
/// let app = App::new();
/// let stack = app.stack("Sessions")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let backend = SecurityGroup::new(&stack, "BackendSecurityGroup", SecurityGroupProps::new(&vpc))?;
/// let redis = CacheCluster::new(&stack, "Redis", CacheClusterProps::new(&vpc, "cache.t3.micro"))?;
/// redis.connections().allow_default_port_from(&backend, "Redis from the backend")?;
/// let url = redis.redis_url(); // redis://<address>:<port>, for REDIS_URL
/// # let _ = url;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct CacheCluster {
    cfn: CfnCacheClusterRef,
    scope: Scope,
    subnet_group: CfnSubnetGroupRef,
    connections: Connections,
}

impl CacheCluster {
    /// Adds a cache cluster at `scope/id`, its subnet group at
    /// `id/SubnetGroup` and its security group at `id/SecurityGroup`
    /// (unless one is given).
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: CacheClusterProps) -> Result<CacheCluster> {
        let node = scope.child(id)?;
        let c = &props.common;
        c.check(&node);
        if c.engine == CacheEngine::Valkey {
            node.report(
                Diagnostic::error(
                    codes::ENGINE,
                    node.path(),
                    "ElastiCache creates no Valkey cache cluster (CreateCacheCluster accepts redis and memcached only)",
                )
                .property("Engine")
                .fix("use ReplicationGroup::new with ReplicationGroupProps::new(..).engine(CacheEngine::Valkey): one node by default"),
            );
        }
        if props.num_cache_nodes != 1 {
            node.report(
                Diagnostic::error(
                    codes::NUM_NODES,
                    node.path(),
                    format!(
                        "{} nodes; a Redis cache cluster has exactly 1",
                        props.num_cache_nodes
                    ),
                )
                .property("NumCacheNodes")
                .fix("for replicas, use a ReplicationGroup with num_cache_clusters(n)"),
            );
        }
        if let Some(n) = &props.cluster_name {
            check_name(&node, "ClusterName", n, 50);
        }
        let (subnet_group, connections) = c.network(&node)?;

        let mut cfn = with_common_properties!(
            CfnCacheCluster::new()
                .num_cache_nodes(props.num_cache_nodes)
                .vpc_security_group_ids(connections.security_group_ids()),
            c,
            subnet_group,
            cache_cluster::Tag
        );
        if let Some(n) = &props.cluster_name {
            cfn = cfn.cluster_name(n.clone());
        }
        let cfn = c.add(&node, cfn)?;
        Ok(CacheCluster {
            cfn,
            scope: node,
            subnet_group,
            connections,
        })
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnCacheClusterRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The subnet group made for the cache.
    pub fn subnet_group(&self) -> &CfnSubnetGroupRef {
        &self.subnet_group
    }

    /// `Ref`: the cluster id.
    pub fn cluster_name(&self) -> Expr {
        self.cfn.ref_()
    }

    /// `Fn::GetAtt RedisEndpoint.Address`: the node's DNS name.
    pub fn endpoint_address(&self) -> Expr {
        self.cfn.redis_endpoint_address()
    }

    /// `Fn::GetAtt RedisEndpoint.Port`: the port (a string).
    pub fn endpoint_port(&self) -> Expr {
        self.cfn.redis_endpoint_port()
    }

    /// `redis://<address>:<port>` (an `Fn::Sub`), for a `REDIS_URL`
    /// environment variable or secret.
    pub fn redis_url(&self) -> Expr {
        redis_url("redis://", self.endpoint_address(), self.endpoint_port())
    }
}

impl Connectable for CacheCluster {
    fn connections(&self) -> Connections {
        self.connections.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec2::testutil::{errors, vpc_stack, with_code};
    use crate::ec2::{SecurityGroupProps, SubnetType};
    use formwork_core::{App, Output, Stack};
    use serde_json::json;

    fn setup() -> (App, Stack, Vpc) {
        vpc_stack("Sessions")
    }

    /// Reference E: Redis on ElastiCache, `cache.t3.micro`, one node, in
    /// private subnets, reachable only from the backend's security group.
    #[test]
    fn reference_e_redis() {
        let (app, s, vpc) = setup();
        let backend =
            SecurityGroup::new(&s, "BackendSecurityGroup", SecurityGroupProps::new(&vpc)).unwrap();
        let redis =
            CacheCluster::new(&s, "Redis", CacheClusterProps::new(&vpc, "cache.t3.micro")).unwrap();
        redis
            .connections()
            .allow_default_port_from(&backend, "Redis from the backend")
            .unwrap();
        s.add_output("RedisUrl", Output::new(redis.redis_url()))
            .unwrap();
        s.add_output("RedisName", Output::new(redis.cluster_name()))
            .unwrap();
        let t = formwork_test_support::template(
            &formwork_test_support::synth_and_lint(&app, "redis-reference-e"),
            "Sessions",
        );
        let r = &t["Resources"];
        assert_eq!(
            r["Redis"],
            json!({
                "Type": "AWS::ElastiCache::CacheCluster",
                "Properties": {
                    "CacheNodeType": "cache.t3.micro",
                    "CacheSubnetGroupName": {"Ref": "RedisSubnetGroup"},
                    "Engine": "redis",
                    "NumCacheNodes": 1,
                    "Port": 6379,
                    "VpcSecurityGroupIds": [{"Fn::GetAtt": ["RedisSecurityGroup", "GroupId"]}]
                }
            })
        );
        assert_eq!(
            r["RedisSubnetGroup"],
            json!({
                "Type": "AWS::ElastiCache::SubnetGroup",
                "Properties": {
                    "Description": "Subnets of Sessions/Redis",
                    "SubnetIds": [{"Ref": "VpcPrivateSubnet1Subnet"}, {"Ref": "VpcPrivateSubnet2Subnet"}]
                }
            })
        );
        assert!(
            r["RedisSecurityGroup"]["Properties"]
                .get("SecurityGroupIngress")
                .is_none()
        );
        let ingress: Vec<_> = r
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, v)| v["Type"] == "AWS::EC2::SecurityGroupIngress")
            .collect();
        assert_eq!(ingress.len(), 1, "the backend's group is the only way in");
        assert_eq!(
            ingress[0].0,
            "RedisSecurityGroupFromBackendSecurityGroup6379"
        );
        assert_eq!(
            ingress[0].1["Properties"],
            json!({
                "Description": "Redis from the backend",
                "FromPort": 6379,
                "GroupId": {"Fn::GetAtt": ["RedisSecurityGroup", "GroupId"]},
                "IpProtocol": "tcp",
                "SourceSecurityGroupId": {"Fn::GetAtt": ["BackendSecurityGroup", "GroupId"]},
                "ToPort": 6379
            })
        );
        assert_eq!(
            t["Outputs"]["RedisUrl"]["Value"],
            json!({"Fn::Sub": "redis://${Redis.RedisEndpoint.Address}:${Redis.RedisEndpoint.Port}"})
        );
        assert_eq!(t["Outputs"]["RedisName"]["Value"], json!({"Ref": "Redis"}));
    }

    #[test]
    fn options_are_written() {
        let (app, s, vpc) = setup();
        let shared = SecurityGroup::new(&s, "Shared", SecurityGroupProps::new(&vpc)).unwrap();
        let c = CacheCluster::new(
            &s,
            "Cache",
            CacheClusterProps::new(&vpc, "cache.r7g.large")
                .engine(CacheEngine::Redis)
                .engine_version("7.1")
                .cluster_name("hera-sessions")
                .port(6380)
                .vpc_subnets(SubnetType::Public)
                .security_group(&shared)
                .snapshot_retention_days(7)
                .snapshot_window("03:00-04:00")
                .maintenance_window("sun:05:00-sun:06:00")
                .auto_minor_version_upgrade(true)
                .removal_policy(RemovalPolicy::Snapshot)
                .tag("team", "hera"),
        )
        .unwrap();
        assert_eq!(
            c.connections().default_port(),
            Some(crate::ec2::Port::tcp(6380))
        );
        assert_eq!(c.subnet_group().logical_id(), "CacheSubnetGroup");
        assert_eq!(c.scope().path(), "Sessions/Cache");
        let t = formwork_test_support::template(
            &formwork_test_support::synth_and_lint(&app, "redis-options"),
            "Sessions",
        );
        let r = &t["Resources"];
        assert_eq!(
            r["Cache"],
            json!({
                "Type": "AWS::ElastiCache::CacheCluster",
                "Properties": {
                    "AutoMinorVersionUpgrade": true,
                    "CacheNodeType": "cache.r7g.large",
                    "CacheSubnetGroupName": {"Ref": "CacheSubnetGroup"},
                    "ClusterName": "hera-sessions",
                    "Engine": "redis",
                    "EngineVersion": "7.1",
                    "NumCacheNodes": 1,
                    "Port": 6380,
                    "PreferredMaintenanceWindow": "sun:05:00-sun:06:00",
                    "SnapshotRetentionLimit": 7,
                    "SnapshotWindow": "03:00-04:00",
                    "Tags": [{"Key": "team", "Value": "hera"}],
                    "VpcSecurityGroupIds": [{"Fn::GetAtt": ["Shared", "GroupId"]}]
                },
                "DeletionPolicy": "Snapshot",
                "UpdateReplacePolicy": "Snapshot"
            })
        );
        assert!(r.get("CacheSecurityGroup").is_none());
        assert_eq!(
            r["CacheSubnetGroup"]["Properties"]["SubnetIds"],
            json!([{"Ref": "VpcPublicSubnet1Subnet"}, {"Ref": "VpcPublicSubnet2Subnet"}])
        );
    }

    #[test]
    fn cluster_settings_are_checked() {
        let (app, s, vpc) = setup();
        CacheCluster::new(&s, "BadType", CacheClusterProps::new(&vpc, "t3.micro")).unwrap();
        CacheCluster::new(
            &s,
            "Valkey",
            CacheClusterProps::new(&vpc, "cache.t3.micro").engine(CacheEngine::Valkey),
        )
        .unwrap();
        CacheCluster::new(
            &s,
            "Three",
            CacheClusterProps::new(&vpc, "cache.t3.micro").num_cache_nodes(3),
        )
        .unwrap();
        CacheCluster::new(
            &s,
            "Name",
            CacheClusterProps::new(&vpc, "cache.t3.micro").cluster_name("1-sessions"),
        )
        .unwrap();
        CacheCluster::new(
            &s,
            "Retention",
            CacheClusterProps::new(&vpc, "cache.t3.micro").snapshot_retention_days(40),
        )
        .unwrap();
        CacheCluster::new(
            &s,
            "Port",
            CacheClusterProps::new(&vpc, "cache.t3.micro").port(0),
        )
        .unwrap();
        CacheCluster::new(
            &s,
            "Version",
            CacheClusterProps::new(&vpc, "cache.t3.micro").engine_version("5.0.0"),
        )
        .unwrap();
        CacheCluster::new(
            &s,
            "Nowhere",
            CacheClusterProps::new(&vpc, "cache.t3.micro").vpc_subnets(SubnetType::Isolated),
        )
        .unwrap();
        let errs = errors(&app);
        let one = |code: &str, path: &str| {
            let found = with_code(&errs, code);
            assert_eq!(found.len(), 1, "{code}: {errs:?}");
            assert_eq!(found[0].path, format!("Sessions/{path}"));
            found[0].clone()
        };
        let d = one(codes::NODE_TYPE, "BadType");
        assert_eq!(d.property.as_deref(), Some("CacheNodeType"));
        assert_eq!(
            d.message,
            "`t3.micro` is not an ElastiCache node type; allowed: cache.<family>.<size>"
        );
        let d = one(codes::ENGINE, "Valkey");
        assert_eq!(d.property.as_deref(), Some("Engine"));
        assert_eq!(
            d.message,
            "ElastiCache creates no Valkey cache cluster (CreateCacheCluster accepts redis and memcached only)"
        );
        let d = one(codes::NUM_NODES, "Three");
        assert_eq!(d.property.as_deref(), Some("NumCacheNodes"));
        assert_eq!(d.message, "3 nodes; a Redis cache cluster has exactly 1");
        let d = one(codes::NAME, "Name");
        assert_eq!(d.property.as_deref(), Some("ClusterName"));
        assert_eq!(d.message, "`1-sessions` does not start with a letter");
        let d = one(codes::SNAPSHOT_RETENTION, "Retention");
        assert_eq!(
            d.message,
            "40 days of automatic backups; allowed: 0 (none) to 35"
        );
        let d = one(codes::PORT, "Port");
        assert_eq!(d.message, "port 0; allowed: 1 to 65535");
        let d = one(codes::ENGINE_VERSION, "Version");
        assert!(!d.is_error());
        assert_eq!(
            d.message,
            "`5.0.0` is not a redis version formwork knows; known: 4.0.10, 5.0.6, 6.0, 6.2, 7.0, 7.1"
        );
        let d = one(crate::ec2::codes::NO_SUBNETS, "Nowhere");
        assert_eq!(d.property.as_deref(), Some("CacheSubnetGroupName"));
    }

    #[test]
    fn windows_are_checked() {
        let (app, s, vpc) = setup();
        let base = || CacheClusterProps::new(&vpc, "cache.t3.micro");
        CacheCluster::new(&s, "Malformed", base().maintenance_window("sunday 5am")).unwrap();
        CacheCluster::new(&s, "Short", base().snapshot_window("03:00-03:30")).unwrap();
        CacheCluster::new(
            &s,
            "Overlap",
            base()
                .maintenance_window("mon:03:30-mon:04:30")
                .snapshot_window("03:00-04:00"),
        )
        .unwrap();
        CacheCluster::new(
            &s,
            "Apart",
            base()
                .maintenance_window("mon:05:00-mon:06:00")
                .snapshot_window("03:00-04:00"),
        )
        .unwrap();
        let errs = errors(&app);
        let w = with_code(&errs, codes::WINDOW);
        assert_eq!(w.len(), 2, "{errs:?}");
        assert_eq!(w[0].path, "Sessions/Malformed");
        assert_eq!(w[0].property.as_deref(), Some("PreferredMaintenanceWindow"));
        assert_eq!(
            w[0].message,
            "`sunday 5am` is not a window; allowed: ddd:hh24:mi-ddd:hh24:mi, such as sun:05:00-sun:06:00"
        );
        assert_eq!(w[1].path, "Sessions/Short");
        assert_eq!(w[1].property.as_deref(), Some("SnapshotWindow"));
        assert_eq!(
            w[1].message,
            "the window `03:00-03:30` lasts 30 minutes; allowed: at least 60"
        );
        let o = with_code(&errs, codes::WINDOW_OVERLAP);
        assert_eq!(o.len(), 1, "{errs:?}");
        assert_eq!(o[0].path, "Sessions/Overlap");
        assert_eq!(
            o[0].message,
            "the snapshot window 03:00-04:00 overlaps the maintenance window mon:03:30-mon:04:30"
        );
        assert_eq!(errs.len(), 3, "nothing about Apart: {errs:?}");
    }
}
