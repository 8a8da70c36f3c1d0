//! ReplicationGroup: a Redis or Valkey primary with optional replicas
//! (cluster mode disabled), encrypted at rest and in transit by default.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Intrinsic, RemovalPolicy, Result, Scope, SubPart, Value};
use formwork_l1::elasticache::{
    CfnReplicationGroup, CfnReplicationGroupRef, CfnSubnetGroupRef, replication_group,
};

use super::codes;
use super::common::{
    CacheEngine, Common, check_name, common_setters, redis_url, with_common_properties,
};
use crate::ec2::{Connectable, Connections, SecurityGroup, SubnetSelection, Vpc};

/// What a [`ReplicationGroup`] is made with.
///
/// Defaults: Redis (the latest version; `engine(CacheEngine::Valkey)` for
/// Valkey), one node (`num_cache_clusters`), no automatic failover,
/// **encryption at rest** (AWS managed key) and **in transit** (TLS: clients
/// connect with `rediss://`), port 6379, the VPC's private subnets (in a
/// subnet group created for it), a new security group that lets nothing in
/// until a rule says so, and no automatic backups.
///
/// Cluster mode (sharding) is not modelled: set `NumNodeGroups` through
/// [`ReplicationGroup::cfn`].
///
/// ```
/// use formwork::{App, Dynamic};
/// use formwork::ec2::{Vpc, VpcProps};
/// use formwork::elasticache::{CacheEngine, ReplicationGroupProps};
/// let app = App::new();
/// let stack = app.stack("Demo")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let props = ReplicationGroupProps::new(&vpc, "cache.t4g.small")
///     .engine(CacheEngine::Valkey)
///     .engine_version("8.0")
///     .num_cache_clusters(2)
///     .automatic_failover(true)
///     .multi_az(true)
///     .auth_token(Dynamic::secret_json_key("sessions/redis", "token"));
/// # let _ = props;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ReplicationGroupProps {
    common: Common,
    num_cache_clusters: u32,
    automatic_failover: bool,
    multi_az: bool,
    transit_encryption: bool,
    at_rest_encryption: bool,
    kms_key: Option<Str>,
    auth_token: Option<Str>,
    group_id: Option<Str>,
    description: Option<String>,
}

impl ReplicationGroupProps {
    /// A one-node Redis replication group of `node_type` (checked to be
    /// `cache.<family>.<size>`, `FW3501`) in `vpc`.
    pub fn new(vpc: &Vpc, node_type: impl Into<Str>) -> Self {
        ReplicationGroupProps {
            common: Common::new(vpc, node_type.into()),
            num_cache_clusters: 1,
            automatic_failover: false,
            multi_az: false,
            transit_encryption: true,
            at_rest_encryption: true,
            kms_key: None,
            auth_token: None,
            group_id: None,
            description: None,
        }
    }

    /// The engine (Redis by default).
    pub fn engine(mut self, engine: CacheEngine) -> Self {
        self.common.engine = engine;
        self
    }

    /// The number of nodes: the primary and its replicas (1 to 6; `FW3503`).
    pub fn num_cache_clusters(mut self, n: u32) -> Self {
        self.num_cache_clusters = n;
        self
    }

    /// Promotes a replica when the primary fails (needs 2 nodes or more; `FW3509`).
    pub fn automatic_failover(mut self, on: bool) -> Self {
        self.automatic_failover = on;
        self
    }

    /// Spreads the nodes over zones (needs automatic failover; `FW3509`).
    pub fn multi_az(mut self, on: bool) -> Self {
        self.multi_az = on;
        self
    }

    /// TLS between clients and nodes (on by default). It cannot be turned
    /// on later without a migration.
    pub fn transit_encryption(mut self, on: bool) -> Self {
        self.transit_encryption = on;
        self
    }

    /// Encryption of the nodes' disks and backups (on by default). It
    /// cannot change without replacing the group.
    pub fn at_rest_encryption(mut self, on: bool) -> Self {
        self.at_rest_encryption = on;
        self
    }

    /// A customer managed KMS key for encryption at rest (needs it on; `FW3510`).
    pub fn kms_key(mut self, key: impl Into<Str>) -> Self {
        self.kms_key = Some(key.into());
        self
    }

    /// The password clients send with `AUTH` (needs transit encryption;
    /// `FW3510`). Pass a dynamic reference
    /// (`Dynamic::secret_json_key(..)`): literal text would be written in
    /// the template and is refused (`FW3511`).
    pub fn auth_token(mut self, token: impl Into<Str>) -> Self {
        self.auth_token = Some(token.into());
        self
    }

    /// A fixed replication group id (1 to 40 letters, digits and hyphens,
    /// starting with a letter; `FW3508`).
    pub fn replication_group_id(mut self, id: impl Into<Str>) -> Self {
        self.group_id = Some(id.into());
        self
    }

    /// The description (the construct path by default).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    common_setters!();

    fn check(&self, node: &Scope) {
        let n = self.num_cache_clusters;
        if !(1..=6).contains(&n) {
            node.error(
                codes::NUM_NODES,
                "NumCacheClusters",
                format!("{n} nodes; allowed: 1 to 6 (a primary and up to 5 replicas)"),
            );
        }
        if self.automatic_failover && n < 2 {
            node.report(
                Diagnostic::error(
                    codes::FAILOVER,
                    node.path(),
                    format!(
                        "automatic failover needs a replica to promote, and the group has {n} node"
                    ),
                )
                .property("AutomaticFailoverEnabled")
                .fix("use num_cache_clusters(2) or more"),
            );
        }
        if self.multi_az && !self.automatic_failover {
            node.report(
                Diagnostic::error(
                    codes::FAILOVER,
                    node.path(),
                    "Multi-AZ needs automatic failover",
                )
                .property("MultiAZEnabled")
                .fix("add automatic_failover(true) (and two nodes or more)"),
            );
        }
        if self.kms_key.is_some() && !self.at_rest_encryption {
            node.report(
                Diagnostic::error(
                    codes::ENCRYPTION,
                    node.path(),
                    "a KMS key is set, but encryption at rest is off",
                )
                .property("KmsKeyId")
                .fix("keep at_rest_encryption on (the default), or drop the key"),
            );
        }
        if let Some(token) = &self.auth_token {
            if !self.transit_encryption {
                node.report(
                    Diagnostic::error(
                        codes::ENCRYPTION,
                        node.path(),
                        "an AUTH token needs transit encryption, which is off",
                    )
                    .property("AuthToken")
                    .fix("keep transit_encryption on (the default)"),
                );
            }
            if is_plain_text(&Value::from(token.clone())) {
                node.report(
                    Diagnostic::error(
                        codes::AUTH_TOKEN_LITERAL,
                        node.path(),
                        "the AUTH token is literal text, which would be written in the template",
                    )
                    .property("AuthToken")
                    .fix("store it in Secrets Manager and pass Dynamic::secret_json_key(secret, key)"),
                );
            }
        }
    }
}

/// True when a value would be written in the template as readable text: a
/// literal, or an `Fn::Sub` of text only that is not a dynamic reference.
fn is_plain_text(v: &Value) -> bool {
    if v.as_str().is_some() {
        return true;
    }
    match v.as_expr().map(Expr::intrinsic) {
        Some(Intrinsic::Sub(parts, vars)) => {
            vars.is_empty()
                && parts.iter().all(|p| matches!(p, SubPart::Text(_)))
                && !parts
                    .iter()
                    .any(|p| matches!(p, SubPart::Text(t) if t.contains("{{resolve:")))
        }
        _ => false,
    }
}

/// An ElastiCache replication group (`AWS::ElastiCache::ReplicationGroup`,
/// cluster mode disabled) with its subnet group and security group: the
/// way to run Valkey, to encrypt at rest and in transit, or to have
/// replicas and failover.
///
/// It is [`Connectable`] with its port as default port.
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{Connectable, SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
/// use formwork::elasticache::{CacheEngine, ReplicationGroup, ReplicationGroupProps};
/// let app = App::new();
/// let stack = app.stack("Sessions")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let backend = SecurityGroup::new(&stack, "BackendSecurityGroup", SecurityGroupProps::new(&vpc))?;
/// let valkey = ReplicationGroup::new(
///     &stack,
///     "Valkey",
///     ReplicationGroupProps::new(&vpc, "cache.t4g.micro").engine(CacheEngine::Valkey),
/// )?;
/// valkey.connections().allow_default_port_from(&backend, "Valkey from the backend")?;
/// let url = valkey.redis_url(); // rediss://… (TLS)
/// # let _ = url;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ReplicationGroup {
    cfn: CfnReplicationGroupRef,
    scope: Scope,
    subnet_group: CfnSubnetGroupRef,
    connections: Connections,
    tls: bool,
}

impl ReplicationGroup {
    /// Adds a replication group at `scope/id`, its subnet group at
    /// `id/SubnetGroup` and its security group at `id/SecurityGroup`
    /// (unless one is given).
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: ReplicationGroupProps) -> Result<ReplicationGroup> {
        let node = scope.child(id)?;
        let c = &props.common;
        c.check(&node);
        props.check(&node);
        if let Some(n) = &props.group_id {
            check_name(&node, "ReplicationGroupId", n, 40);
        }
        let (subnet_group, connections) = c.network(&node)?;

        let mut cfn = with_common_properties!(
            CfnReplicationGroup::new()
                .replication_group_description(
                    props.description.clone().unwrap_or_else(|| node.path()),
                )
                .num_cache_clusters(props.num_cache_clusters)
                .automatic_failover_enabled(props.automatic_failover)
                .multi_az_enabled(props.multi_az)
                .at_rest_encryption_enabled(props.at_rest_encryption)
                .transit_encryption_enabled(props.transit_encryption)
                .security_group_ids(connections.security_group_ids()),
            c,
            subnet_group,
            replication_group::Tag
        );
        if let Some(k) = &props.kms_key {
            cfn = cfn.kms_key_id(k.clone());
        }
        if let Some(t) = &props.auth_token {
            cfn = cfn.auth_token(t.clone());
        }
        if let Some(n) = &props.group_id {
            cfn = cfn.replication_group_id(n.clone());
        }
        let cfn = c.add(&node, cfn)?;
        Ok(ReplicationGroup {
            cfn,
            scope: node,
            subnet_group,
            connections,
            tls: props.transit_encryption,
        })
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnReplicationGroupRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The subnet group made for the group.
    pub fn subnet_group(&self) -> &CfnSubnetGroupRef {
        &self.subnet_group
    }

    /// `Ref`: the replication group id.
    pub fn replication_group_id(&self) -> Expr {
        self.cfn.ref_()
    }

    /// `Fn::GetAtt PrimaryEndPoint.Address`: where writes go.
    pub fn endpoint_address(&self) -> Expr {
        self.cfn.primary_end_point_address()
    }

    /// `Fn::GetAtt PrimaryEndPoint.Port` (a string).
    pub fn endpoint_port(&self) -> Expr {
        self.cfn.primary_end_point_port()
    }

    /// `Fn::GetAtt ReaderEndPoint.Address`: reads spread over the replicas.
    pub fn reader_endpoint_address(&self) -> Expr {
        self.cfn.reader_end_point_address()
    }

    /// `rediss://<address>:<port>` with transit encryption (the default),
    /// `redis://…` without, as an `Fn::Sub`. An AUTH token is not part of
    /// it: give it to clients separately (as a secret).
    pub fn redis_url(&self) -> Expr {
        let scheme = if self.tls { "rediss://" } else { "redis://" };
        redis_url(scheme, self.endpoint_address(), self.endpoint_port())
    }
}

impl Connectable for ReplicationGroup {
    fn connections(&self) -> Connections {
        self.connections.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec2::SecurityGroupProps;
    use crate::ec2::testutil::{errors, vpc_stack, with_code};
    use formwork_core::{App, Dynamic, Fn, Output, Stack};
    use serde_json::json;

    fn setup() -> (App, Stack, Vpc) {
        vpc_stack("Sessions")
    }

    #[test]
    fn defaults_encrypt_at_rest_and_in_transit() {
        let (app, s, vpc) = setup();
        let backend = SecurityGroup::new(&s, "Backend", SecurityGroupProps::new(&vpc)).unwrap();
        let g = ReplicationGroup::new(
            &s,
            "Valkey",
            ReplicationGroupProps::new(&vpc, "cache.t4g.micro").engine(CacheEngine::Valkey),
        )
        .unwrap();
        g.connections()
            .allow_default_port_from(&backend, "Valkey from the backend")
            .unwrap();
        s.add_output("Url", Output::new(g.redis_url())).unwrap();
        s.add_output("Reader", Output::new(g.reader_endpoint_address()))
            .unwrap();
        s.add_output("Id", Output::new(g.replication_group_id()))
            .unwrap();
        assert_eq!(g.subnet_group().logical_id(), "ValkeySubnetGroup");
        let t = formwork_test_support::template(
            &formwork_test_support::synth_and_lint(&app, "valkey-defaults"),
            "Sessions",
        );
        let r = &t["Resources"];
        assert_eq!(
            r["Valkey"],
            json!({
                "Type": "AWS::ElastiCache::ReplicationGroup",
                "Properties": {
                    "AtRestEncryptionEnabled": true,
                    "AutomaticFailoverEnabled": false,
                    "CacheNodeType": "cache.t4g.micro",
                    "CacheSubnetGroupName": {"Ref": "ValkeySubnetGroup"},
                    "Engine": "valkey",
                    "MultiAZEnabled": false,
                    "NumCacheClusters": 1,
                    "Port": 6379,
                    "ReplicationGroupDescription": "Sessions/Valkey",
                    "SecurityGroupIds": [{"Fn::GetAtt": ["ValkeySecurityGroup", "GroupId"]}],
                    "TransitEncryptionEnabled": true
                }
            })
        );
        assert_eq!(
            r["ValkeySecurityGroupFromBackend6379"]["Properties"]["SourceSecurityGroupId"],
            json!({"Fn::GetAtt": ["Backend", "GroupId"]})
        );
        assert_eq!(
            t["Outputs"]["Url"]["Value"],
            json!({"Fn::Sub": "rediss://${Valkey.PrimaryEndPoint.Address}:${Valkey.PrimaryEndPoint.Port}"})
        );
        assert_eq!(
            t["Outputs"]["Reader"]["Value"],
            json!({"Fn::GetAtt": ["Valkey", "ReaderEndPoint.Address"]})
        );
    }

    #[test]
    fn replicas_failover_and_secrets() {
        let (app, s, vpc) = setup();
        ReplicationGroup::new(
            &s,
            "Redis",
            ReplicationGroupProps::new(&vpc, "cache.r7g.large")
                .engine_version("7.1")
                .num_cache_clusters(3)
                .automatic_failover(true)
                .multi_az(true)
                .kms_key("arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
                .auth_token(Dynamic::secret_json_key("hera/redis", "token"))
                .replication_group_id("hera-sessions")
                .description("Hera sessions")
                .snapshot_retention_days(3)
                .snapshot_window("02:00-03:00")
                .maintenance_window("sat:18:00-sat:19:00")
                .auto_minor_version_upgrade(true)
                .removal_policy(RemovalPolicy::Retain)
                .tag("team", "hera"),
        )
        .unwrap();
        let plain = ReplicationGroup::new(
            &s,
            "Plain",
            ReplicationGroupProps::new(&vpc, "cache.t3.micro")
                .transit_encryption(false)
                .at_rest_encryption(false),
        )
        .unwrap();
        s.add_output("PlainUrl", Output::new(plain.redis_url()))
            .unwrap();
        let t = formwork_test_support::template(
            &formwork_test_support::synth_and_lint(&app, "redis-replicas"),
            "Sessions",
        );
        let r = &t["Resources"]["Redis"];
        assert_eq!(r["DeletionPolicy"], "Retain");
        let p = &r["Properties"];
        assert_eq!(p["NumCacheClusters"], 3);
        assert_eq!(p["AutomaticFailoverEnabled"], true);
        assert_eq!(p["MultiAZEnabled"], true);
        assert_eq!(p["ReplicationGroupId"], "hera-sessions");
        assert_eq!(p["ReplicationGroupDescription"], "Hera sessions");
        assert_eq!(p["EngineVersion"], "7.1");
        assert_eq!(
            p["KmsKeyId"],
            "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        );
        assert_eq!(
            p["AuthToken"],
            "{{resolve:secretsmanager:hera/redis:SecretString:token::}}"
        );
        assert_eq!(p["SnapshotRetentionLimit"], 3);
        assert_eq!(p["SnapshotWindow"], "02:00-03:00");
        assert_eq!(p["PreferredMaintenanceWindow"], "sat:18:00-sat:19:00");
        assert_eq!(p["AutoMinorVersionUpgrade"], true);
        assert_eq!(p["Tags"], json!([{"Key": "team", "Value": "hera"}]));
        let plain = &t["Resources"]["Plain"]["Properties"];
        assert_eq!(
            (
                plain["TransitEncryptionEnabled"].clone(),
                plain["AtRestEncryptionEnabled"].clone()
            ),
            (json!(false), json!(false))
        );
        assert_eq!(
            t["Outputs"]["PlainUrl"]["Value"],
            json!({"Fn::Sub": "redis://${Plain.PrimaryEndPoint.Address}:${Plain.PrimaryEndPoint.Port}"})
        );
    }

    #[test]
    fn group_settings_are_checked() {
        let (app, s, vpc) = setup();
        let base = || ReplicationGroupProps::new(&vpc, "cache.t3.micro");
        ReplicationGroup::new(&s, "Seven", base().num_cache_clusters(7)).unwrap();
        ReplicationGroup::new(&s, "Lonely", base().automatic_failover(true)).unwrap();
        ReplicationGroup::new(&s, "MultiAz", base().num_cache_clusters(2).multi_az(true)).unwrap();
        ReplicationGroup::new(
            &s,
            "KeyNoRest",
            base().at_rest_encryption(false).kms_key("alias/cache"),
        )
        .unwrap();
        ReplicationGroup::new(
            &s,
            "TokenNoTls",
            base()
                .transit_encryption(false)
                .auth_token(Dynamic::secret_json_key("s", "token")),
        )
        .unwrap();
        ReplicationGroup::new(&s, "Literal", base().auth_token("correct-horse-battery")).unwrap();
        ReplicationGroup::new(
            &s,
            "SubText",
            base().auth_token(Fn::sub("correct-horse-battery")),
        )
        .unwrap();
        ReplicationGroup::new(&s, "LongId", base().replication_group_id("a".repeat(41))).unwrap();
        let errs = errors(&app);
        let nodes = with_code(&errs, codes::NUM_NODES);
        assert_eq!(nodes.len(), 1, "{errs:?}");
        assert_eq!(nodes[0].path, "Sessions/Seven");
        assert_eq!(nodes[0].property.as_deref(), Some("NumCacheClusters"));
        assert_eq!(
            nodes[0].message,
            "7 nodes; allowed: 1 to 6 (a primary and up to 5 replicas)"
        );
        let fo = with_code(&errs, codes::FAILOVER);
        assert_eq!(fo.len(), 2, "{errs:?}");
        assert_eq!(fo[0].path, "Sessions/Lonely");
        assert_eq!(fo[0].property.as_deref(), Some("AutomaticFailoverEnabled"));
        assert_eq!(
            fo[0].message,
            "automatic failover needs a replica to promote, and the group has 1 node"
        );
        assert_eq!(fo[1].path, "Sessions/MultiAz");
        assert_eq!(fo[1].message, "Multi-AZ needs automatic failover");
        let enc = with_code(&errs, codes::ENCRYPTION);
        assert_eq!(enc.len(), 2, "{errs:?}");
        assert_eq!(enc[0].path, "Sessions/KeyNoRest");
        assert_eq!(enc[0].property.as_deref(), Some("KmsKeyId"));
        assert_eq!(enc[1].path, "Sessions/TokenNoTls");
        assert_eq!(
            enc[1].message,
            "an AUTH token needs transit encryption, which is off"
        );
        let lit = with_code(&errs, codes::AUTH_TOKEN_LITERAL);
        assert_eq!(lit.len(), 2, "{errs:?}");
        assert_eq!(lit[0].path, "Sessions/Literal");
        assert_eq!(lit[1].path, "Sessions/SubText");
        assert_eq!(lit[0].property.as_deref(), Some("AuthToken"));
        assert_eq!(
            lit[0].message,
            "the AUTH token is literal text, which would be written in the template"
        );
        let name = with_code(&errs, codes::NAME);
        assert_eq!(name.len(), 1, "{errs:?}");
        assert_eq!(name[0].path, "Sessions/LongId");
        assert_eq!(name[0].property.as_deref(), Some("ReplicationGroupId"));
        assert_eq!(
            name[0].message,
            format!(
                "`{}` is 41 characters long; allowed: 1 to 40",
                "a".repeat(41)
            )
        );
    }
}
