//! Connections: who may talk to whom, as security group rules.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Result, Scope};

use super::codes;
use super::peer::Peer;
use super::port::Port;
use super::security_group::{Direction, SecurityGroup, check_description};

/// Something with security groups that other things connect to: a security
/// group, a load balancer, a Fargate service, a cache cluster, a file
/// system, an interface endpoint, or a [`Peer`].
///
/// Constructs that own security groups implement it by returning a
/// [`Connections`] over their groups (with their default port, if they have
/// one), so that rules read the way the architecture is described:
///
/// ```
/// use formwork::{App, Scope};
/// use formwork::ec2::{Connectable, Connections, Port, SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
///
/// /// A cache cluster listening on 6379, in its own security group.
/// struct Cache { group: SecurityGroup }
/// impl Connectable for Cache {
///     fn connections(&self) -> Connections {
///         Connections::new([self.group.clone()]).with_default_port(Port::tcp(6379))
///     }
/// }
///
/// let app = App::new();
/// let stack = app.stack("Demo")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let cache = Cache { group: SecurityGroup::new(&stack, "CacheSg", SecurityGroupProps::new(&vpc))? };
/// let tasks = SecurityGroup::new(&stack, "TaskSg", SecurityGroupProps::new(&vpc))?;
/// cache.connections().allow_default_port_from(&tasks, "Redis from the tasks")?;
/// # Ok::<(), formwork::Error>(())
/// ```
pub trait Connectable {
    /// The security groups (and default port) of this thing.
    fn connections(&self) -> Connections;
}

/// A set of security groups, with an optional default port: what the
/// `allow_*` methods write rules for.
///
/// Rules land as follows:
/// - between two security groups: separate `AWS::EC2::SecurityGroupIngress`
///   resources (and `AWS::EC2::SecurityGroupEgress` when the source group
///   does not allow all outbound traffic), never inline, so that groups
///   referring to each other make no dependency cycle. Each rule resource is
///   placed under the security group it changes, with a readable logical id
///   (`ServiceSecurityGroupFromAlbSecurityGroup8501`). When the two groups
///   are in different stacks, both resources go into the stack of the
///   connections the method was called on (`a.allow_from(b)`: `a`'s stack,
///   which imports `b`'s group id; `a.allow_to(b)`: `a`'s stack); call the
///   method from the other side to make the other stack depend instead.
/// - with an address block or prefix list: inline in the group's
///   `SecurityGroupIngress`/`SecurityGroupEgress` (a separate resource when
///   the group is imported with [`SecurityGroup::from_id`]).
///
/// Egress rules are written only for groups that do not allow all outbound
/// traffic (the default allows it, see [`super::SecurityGroupProps`]).
/// Adding the same rule twice adds it once.
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{Connectable, Port, SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
/// let app = App::new();
/// let stack = app.stack("Web")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let alb = SecurityGroup::new(&stack, "AlbSg", SecurityGroupProps::new(&vpc))?;
/// let tasks = SecurityGroup::new(&stack, "TaskSg", SecurityGroupProps::new(&vpc))?;
/// alb.connections().allow_from_any_ipv4(Port::tcp(443), "HTTPS from the internet")?;
/// tasks.connections().allow_from(&alb, Port::tcp(8501), "Streamlit from the load balancer")?;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Connections {
    groups: Vec<SecurityGroup>,
    peers: Vec<Peer>,
    default_port: Option<Port>,
}

impl Connections {
    /// Connections over security groups, with no default port.
    pub fn new(groups: impl IntoIterator<Item = SecurityGroup>) -> Connections {
        let mut c = Connections::default();
        for g in groups {
            c.add_security_group(g);
        }
        c
    }

    /// The port this thing listens on (6379 for Redis, 2049 for NFS), for
    /// the `allow_default_port_*` methods.
    pub fn with_default_port(mut self, port: Port) -> Connections {
        self.default_port = Some(port);
        self
    }

    /// An address peer that stands for this thing when others write rules
    /// about it (what [`Peer`]'s own connections are made of).
    pub fn with_peer(mut self, peer: Peer) -> Connections {
        match peer.as_security_group() {
            Some(g) => self.add_security_group(g.clone()),
            None => self.peers.push(peer),
        }
        self
    }

    /// Adds a security group (once).
    pub fn add_security_group(&mut self, group: SecurityGroup) {
        if !self.groups.iter().any(|g| g.same_as(&group)) {
            self.groups.push(group);
        }
    }

    /// The security groups.
    pub fn security_groups(&self) -> &[SecurityGroup] {
        &self.groups
    }

    /// The security group ids, for an L1 `SecurityGroups`/`SecurityGroupIds` property.
    pub fn security_group_ids(&self) -> Vec<Str> {
        self.groups
            .iter()
            .map(SecurityGroup::security_group_id)
            .collect()
    }

    /// The default port, if any.
    pub fn default_port(&self) -> Option<Port> {
        self.default_port
    }

    /// How rules about this thing refer to it: its groups, then its address peers.
    fn peers(&self) -> Vec<Peer> {
        self.groups
            .iter()
            .map(Peer::security_group)
            .chain(self.peers.iter().cloned())
            .collect()
    }

    /// Lets `other` reach this thing on `port`: ingress rules on these
    /// groups from `other`, and egress rules on `other`'s groups that do not
    /// allow all outbound traffic.
    ///
    /// ```
    /// # use formwork::App;
    /// # use formwork::ec2::{Connectable, Port, SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
    /// # let app = App::new();
    /// # let stack = app.stack("Web")?;
    /// # let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let alb = SecurityGroup::new(&stack, "AlbSg", SecurityGroupProps::new(&vpc))?;
    /// let tasks = SecurityGroup::new(&stack, "TaskSg", SecurityGroupProps::new(&vpc))?;
    /// tasks.connections().allow_from(&alb, Port::tcp(8000), "API from the load balancer")?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn allow_from(&self, other: &dyn Connectable, port: Port, description: &str) -> Result<()> {
        let other = other.connections();
        if !self.check(&other, &port, description) {
            return Ok(());
        }
        let sources = other.peers();
        for target in &self.groups {
            for source in &sources {
                target.rule(Direction::Ingress, source, &port, description, target)?;
            }
        }
        for source in &other.groups {
            for target in self.peers() {
                let placed = match target.as_security_group() {
                    Some(t) if !t.same_stack(source) => t.clone(),
                    _ => source.clone(),
                };
                source.rule(Direction::Egress, &target, &port, description, &placed)?;
            }
        }
        Ok(())
    }

    /// Lets this thing reach `other` on `port`: egress rules on these groups
    /// (when they do not allow all outbound traffic) and ingress rules on
    /// `other`'s groups.
    ///
    /// ```
    /// # use formwork::App;
    /// # use formwork::ec2::{Connectable, Port, SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
    /// # let app = App::new();
    /// # let stack = app.stack("Web")?;
    /// # let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let tasks = SecurityGroup::new(&stack, "TaskSg", SecurityGroupProps::new(&vpc))?;
    /// let files = SecurityGroup::new(&stack, "EfsSg", SecurityGroupProps::new(&vpc))?;
    /// tasks.connections().allow_to(&files, Port::tcp(2049), "NFS to the file system")?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn allow_to(&self, other: &dyn Connectable, port: Port, description: &str) -> Result<()> {
        let other = other.connections();
        if !self.check(&other, &port, description) {
            return Ok(());
        }
        let targets = other.peers();
        for source in &self.groups {
            for target in &targets {
                source.rule(Direction::Egress, target, &port, description, source)?;
            }
        }
        for target in &other.groups {
            for source in self.peers() {
                let placed = match source.as_security_group() {
                    Some(s) if !s.same_stack(target) => s.clone(),
                    _ => target.clone(),
                };
                target.rule(Direction::Ingress, &source, &port, description, &placed)?;
            }
        }
        Ok(())
    }

    /// Lets every IPv4 address reach this thing on `port` (`0.0.0.0/0`).
    #[track_caller]
    pub fn allow_from_any_ipv4(&self, port: Port, description: &str) -> Result<()> {
        self.allow_from(&Peer::any_ipv4(), port, description)
    }

    /// Lets this thing reach every IPv4 address on `port`.
    #[track_caller]
    pub fn allow_to_any_ipv4(&self, port: Port, description: &str) -> Result<()> {
        self.allow_to(&Peer::any_ipv4(), port, description)
    }

    /// Lets members of these groups reach each other on `port` (rules that
    /// refer to their own group, as separate resources).
    #[track_caller]
    pub fn allow_internally(&self, port: Port, description: &str) -> Result<()> {
        if !self.check(&Connections::default(), &port, description) {
            return Ok(());
        }
        let peers = self.peers();
        for g in &self.groups {
            for p in &peers {
                g.rule(Direction::Ingress, p, &port, description, g)?;
                g.rule(Direction::Egress, p, &port, description, g)?;
            }
        }
        Ok(())
    }

    /// [`Connections::allow_from`] on this thing's default port
    /// (`FW3024` when it has none).
    #[track_caller]
    pub fn allow_default_port_from(
        &self,
        other: &dyn Connectable,
        description: &str,
    ) -> Result<()> {
        let other_c = other.connections();
        match self.default_port_or_report(&other_c) {
            Some(port) => self.allow_from(&other_c, port, description),
            None => Ok(()),
        }
    }

    /// [`Connections::allow_from_any_ipv4`] on this thing's default port.
    #[track_caller]
    pub fn allow_default_port_from_any_ipv4(&self, description: &str) -> Result<()> {
        self.allow_default_port_from(&Peer::any_ipv4(), description)
    }

    /// [`Connections::allow_to`] on `other`'s default port (`FW3024` when it has none).
    #[track_caller]
    pub fn allow_default_port_to(&self, other: &dyn Connectable, description: &str) -> Result<()> {
        let other_c = other.connections();
        match other_c.default_port_or_report(self) {
            Some(port) => self.allow_to(&other_c, port, description),
            None => Ok(()),
        }
    }

    /// [`Connections::allow_internally`] on this thing's default port.
    #[track_caller]
    pub fn allow_default_port_internally(&self, description: &str) -> Result<()> {
        match self.default_port_or_report(&Connections::default()) {
            Some(port) => self.allow_internally(port, description),
            None => Ok(()),
        }
    }

    /// The node diagnostics about a call go to: the first group of these
    /// connections, else of the other side.
    fn report_scope<'a>(&'a self, other: &'a Connections) -> Option<&'a Scope> {
        self.groups
            .first()
            .or(other.groups.first())
            .map(SecurityGroup::scope)
    }

    fn default_port_or_report(&self, other: &Connections) -> Option<Port> {
        if self.default_port.is_none() {
            if let Some(scope) = self.report_scope(other) {
                let owner = self
                    .groups
                    .first()
                    .map_or_else(|| "this peer".to_owned(), |g| g.scope().path());
                scope.report(
                    Diagnostic::error(
                        codes::NO_DEFAULT_PORT,
                        scope.path(),
                        format!("{owner} has no default port to allow"),
                    )
                    .property("SecurityGroupIngress")
                    .fix("name the port: allow_from(.., Port::tcp(..), ..), or give the connections a default port"),
                );
            }
        }
        self.default_port
    }

    /// Checks the port, the description and every peer of both sides;
    /// reports problems once, and returns false when there is any.
    fn check(&self, other: &Connections, port: &Port, description: &str) -> bool {
        let Some(scope) = self.report_scope(other) else {
            // Neither side has a group: there is no rule to write.
            return false;
        };
        let mut ok = true;
        if let Some(msg) = port.problem() {
            scope.error(codes::PORT, "SecurityGroupIngress", msg);
            ok = false;
        }
        ok &= check_description(scope, "SecurityGroupIngress.Description", description);
        for p in self.peers.iter().chain(&other.peers) {
            if let Some((msg, fix)) = p.problem() {
                let mut d = Diagnostic::error(codes::PEER, scope.path(), msg)
                    .property("SecurityGroupIngress");
                if let Some(f) = fix {
                    d = d.fix(f);
                }
                scope.report(d);
                ok = false;
            }
        }
        ok
    }
}

impl Connectable for Connections {
    fn connections(&self) -> Connections {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::ec2::testutil::{failed, of_type, one};
    use crate::ec2::{SecurityGroupProps, Vpc, VpcProps};
    use formwork_core::App;
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::{Value as Json, json};

    /// A group owned by a construct at `owner` (as a load balancer or a
    /// service would make it): `owner/SecurityGroup`.
    fn group(scope: &Scope, owner: &str, vpc: &Vpc, outbound: bool) -> SecurityGroup {
        let node = scope.child(owner).unwrap();
        SecurityGroup::new(
            &node,
            "SecurityGroup",
            SecurityGroupProps::new(vpc).allow_all_outbound(outbound),
        )
        .unwrap()
    }

    fn group_ref(v: &Json) -> String {
        match (&v["Fn::GetAtt"], &v["Fn::ImportValue"]) {
            (Json::Array(a), _) => a[0].as_str().unwrap().to_owned(),
            (_, Json::String(e)) => format!("import:{e}"),
            _ => v.to_string(),
        }
    }

    /// Every ingress rule of a template, inline or separate, as
    /// (group, source, protocol, from, to).
    fn ingress_rules(t: &Json) -> BTreeSet<(String, String, String, i64, i64)> {
        let mut out = BTreeSet::new();
        let port = |r: &Json, k: &str| r[k].as_i64().unwrap_or(i64::MIN);
        for (id, sg) in of_type(t, "AWS::EC2::SecurityGroup") {
            for r in sg["Properties"]["SecurityGroupIngress"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let src = r["CidrIp"]
                    .as_str()
                    .or(r["CidrIpv6"].as_str())
                    .unwrap()
                    .to_owned();
                out.insert((
                    id.to_owned(),
                    src,
                    r["IpProtocol"].as_str().unwrap().to_owned(),
                    port(r, "FromPort"),
                    port(r, "ToPort"),
                ));
            }
        }
        for (_, res) in of_type(t, "AWS::EC2::SecurityGroupIngress") {
            let p = &res["Properties"];
            let src = match p["SourceSecurityGroupId"].is_null() {
                false => format!("sg:{}", group_ref(&p["SourceSecurityGroupId"])),
                true => p["CidrIp"].as_str().unwrap().to_owned(),
            };
            out.insert((
                group_ref(&p["GroupId"]),
                src,
                p["IpProtocol"].as_str().unwrap().to_owned(),
                port(p, "FromPort"),
                port(p, "ToPort"),
            ));
        }
        out
    }

    fn rule(g: &str, src: &str, port: i64) -> (String, String, String, i64, i64) {
        (g.to_owned(), src.to_owned(), "tcp".to_owned(), port, port)
    }

    /// Reference C: the load balancer accepts 443 from anywhere; the tasks
    /// accept 8501 and 8000 only from the load balancer's group; the file
    /// system accepts NFS only from the tasks' group. Exactly these rules,
    /// no port wider than written, `0.0.0.0/0` only on the load balancer.
    #[test]
    fn reference_c_security_groups() {
        let app = App::new();
        let s = app.stack("WeatherService").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let alb = group(&s, "Alb", &vpc, true);
        let service = group(&s, "Service", &vpc, true);
        let efs = group(&s, "FileSystem", &vpc, true);
        alb.connections()
            .allow_from_any_ipv4(Port::tcp(443), "HTTPS from the internet")
            .unwrap();
        service
            .connections()
            .allow_from(&alb, Port::tcp(8501), "Streamlit from the load balancer")
            .unwrap();
        service
            .connections()
            .allow_from(&alb, Port::tcp(8000), "FastAPI from the load balancer")
            .unwrap();
        let nfs = Connections::new([efs.clone()]).with_default_port(Port::tcp(2049));
        nfs.allow_default_port_from(&service, "NFS from the tasks")
            .unwrap();

        let asm = synth_and_lint(&app, "ec2-reference-c");
        let t = template(&asm, "WeatherService");
        let expected: BTreeSet<_> = [
            rule("AlbSecurityGroup", "0.0.0.0/0", 443),
            rule("ServiceSecurityGroup", "sg:AlbSecurityGroup", 8501),
            rule("ServiceSecurityGroup", "sg:AlbSecurityGroup", 8000),
            rule("FileSystemSecurityGroup", "sg:ServiceSecurityGroup", 2049),
        ]
        .into_iter()
        .collect();
        assert_eq!(ingress_rules(&t), expected);
        let r = &t["Resources"];
        assert_eq!(
            r["ServiceSecurityGroupFromAlbSecurityGroup8501"],
            json!({
                "Type": "AWS::EC2::SecurityGroupIngress",
                "Properties": {
                    "Description": "Streamlit from the load balancer",
                    "FromPort": 8501,
                    "GroupId": {"Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]},
                    "IpProtocol": "tcp",
                    "SourceSecurityGroupId": {"Fn::GetAtt": ["AlbSecurityGroup", "GroupId"]},
                    "ToPort": 8501
                }
            })
        );
        assert!(r["ServiceSecurityGroupFromAlbSecurityGroup8000"].is_object());
        assert!(r["FileSystemSecurityGroupFromServiceSecurityGroup2049"].is_object());
        assert!(of_type(&t, "AWS::EC2::SecurityGroupEgress").is_empty());
        for (id, sg) in of_type(&t, "AWS::EC2::SecurityGroup") {
            assert!(sg["Properties"]["SecurityGroupEgress"].is_null(), "{id}");
            let text = sg.to_string();
            assert_eq!(
                text.contains("0.0.0.0/0"),
                id == "AlbSecurityGroup",
                "{id}: {text}"
            );
        }
        for (id, rule) in of_type(&t, "AWS::EC2::SecurityGroupIngress") {
            assert!(!rule.to_string().contains("0.0.0.0/0"), "{id}");
        }
    }

    #[test]
    fn egress_is_written_for_sources_that_do_not_allow_all_outbound() {
        let app = App::new();
        let s = app.stack("Web").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let alb = group(&s, "Alb", &vpc, false);
        let service = group(&s, "Service", &vpc, true);
        service
            .connections()
            .allow_from(&alb, Port::tcp(8501), "Streamlit")
            .unwrap();
        // The same rule from the other side, and again: written once.
        alb.connections()
            .allow_to(&service, Port::tcp(8501), "Streamlit")
            .unwrap();
        service
            .connections()
            .allow_from(&alb, Port::tcp(8501), "Streamlit")
            .unwrap();
        // The service allows all outbound: no egress for it.
        alb.connections()
            .allow_from(&service, Port::tcp(9000), "callbacks")
            .unwrap();
        let t = template(&synth_and_lint(&app, "ec2-egress-rules"), "Web");
        let r = &t["Resources"];
        assert_eq!(
            r["AlbSecurityGroupToServiceSecurityGroup8501"],
            json!({
                "Type": "AWS::EC2::SecurityGroupEgress",
                "Properties": {
                    "Description": "Streamlit",
                    "DestinationSecurityGroupId": {"Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]},
                    "FromPort": 8501,
                    "GroupId": {"Fn::GetAtt": ["AlbSecurityGroup", "GroupId"]},
                    "IpProtocol": "tcp",
                    "ToPort": 8501
                }
            })
        );
        assert_eq!(of_type(&t, "AWS::EC2::SecurityGroupEgress").len(), 1);
        assert_eq!(of_type(&t, "AWS::EC2::SecurityGroupIngress").len(), 2);
        assert!(r["AlbSecurityGroupFromServiceSecurityGroup9000"].is_object());
        // The load balancer's inline egress still matches nothing.
        assert_eq!(
            r["AlbSecurityGroup"]["Properties"]["SecurityGroupEgress"][0]["CidrIp"],
            "255.255.255.255/32"
        );
    }

    #[test]
    fn rules_between_stacks_go_in_the_stack_of_the_caller_with_the_peer_imported() {
        let app = App::new();
        let net = app.stack("Network").unwrap();
        let edge = app.stack("Edge").unwrap();
        let svc = app.stack("App").unwrap();
        let vpc = Vpc::new(&net, "Vpc", VpcProps::new()).unwrap();
        let alb = group(&edge, "Alb", &vpc, false);
        let service = group(&svc, "Service", &vpc, true);
        service
            .connections()
            .allow_from(&alb, Port::tcp(8501), "Streamlit")
            .unwrap();
        let asm = synth_and_lint(&app, "ec2-cross-stack-rules");
        let e = template(&asm, "Edge");
        assert!(of_type(&e, "AWS::EC2::SecurityGroupIngress").is_empty());
        assert!(of_type(&e, "AWS::EC2::SecurityGroupEgress").is_empty());
        let t = template(&asm, "App");
        let r = &t["Resources"];
        let ingress = &r["ServiceSecurityGroupFromEdgeAlbSecurityGroup8501"]["Properties"];
        assert_eq!(
            ingress["GroupId"],
            json!({"Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]})
        );
        assert!(
            ingress["SourceSecurityGroupId"]["Fn::ImportValue"].is_string(),
            "{ingress}"
        );
        let egress = &r["ServiceSecurityGroupEgressFromEdgeAlbSecurityGroup8501"]["Properties"];
        assert!(egress["GroupId"]["Fn::ImportValue"].is_string(), "{egress}");
        assert_eq!(
            egress["DestinationSecurityGroupId"],
            json!({"Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]})
        );
        let app_stack = asm.stacks.iter().find(|s| s.name == "App").unwrap();
        assert!(app_stack.dependencies.contains(&"Edge".to_owned()));
        let edge_stack = asm.stacks.iter().find(|s| s.name == "Edge").unwrap();
        assert!(!edge_stack.dependencies.contains(&"App".to_owned()));
    }

    #[test]
    fn allow_to_keeps_rules_in_the_callers_stack_to_avoid_a_cycle() {
        let app = App::new();
        let data = app.stack("Data").unwrap();
        let svc = app.stack("App").unwrap();
        let vpc = Vpc::new(&data, "Vpc", VpcProps::new()).unwrap();
        let efs = group(&data, "FileSystem", &vpc, true);
        let service = group(&svc, "Service", &vpc, true);
        // The service stack already depends on the data stack (it uses its VPC);
        // the NFS rule must not make the data stack depend on the service stack.
        service
            .connections()
            .allow_to(&efs, Port::tcp(2049), "NFS")
            .unwrap();
        let asm = synth_and_lint(&app, "ec2-allow-to-cross-stack");
        let t = template(&asm, "App");
        let ingress = &t["Resources"]["ServiceSecurityGroupIngressToDataFileSystemSecurityGroup2049"]
            ["Properties"];
        assert!(
            ingress["GroupId"]["Fn::ImportValue"].is_string(),
            "{ingress}"
        );
        assert_eq!(
            ingress["SourceSecurityGroupId"],
            json!({"Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]})
        );
        assert!(of_type(&template(&asm, "Data"), "AWS::EC2::SecurityGroupIngress").is_empty());
    }

    #[test]
    fn allow_internally_writes_self_referencing_rules() {
        let app = App::new();
        let s = app.stack("Web").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let cluster = group(&s, "Cluster", &vpc, false);
        let c = cluster
            .connections()
            .with_default_port(Port::tcp_range(7000, 7001));
        c.allow_default_port_internally("gossip").unwrap();
        let t = template(&synth_and_lint(&app, "ec2-internal"), "Web");
        let r = &t["Resources"];
        let me = json!({"Fn::GetAtt": ["ClusterSecurityGroup", "GroupId"]});
        let i = &r["ClusterSecurityGroupFromClusterSecurityGroup7000to7001"]["Properties"];
        assert_eq!((&i["GroupId"], &i["SourceSecurityGroupId"]), (&me, &me));
        assert_eq!((&i["FromPort"], &i["ToPort"]), (&json!(7000), &json!(7001)));
        let e = &r["ClusterSecurityGroupToClusterSecurityGroup7000to7001"]["Properties"];
        assert_eq!(
            (&e["GroupId"], &e["DestinationSecurityGroupId"]),
            (&me, &me)
        );
    }

    #[test]
    fn default_port_to_and_from() {
        let app = App::new();
        let s = app.stack("Sessions").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let tasks = group(&s, "Backend", &vpc, true);
        let redis =
            Connections::new([group(&s, "Redis", &vpc, true)]).with_default_port(Port::tcp(6379));
        assert_eq!(redis.default_port(), Some(Port::tcp(6379)));
        assert_eq!(redis.security_group_ids().len(), 1);
        tasks
            .connections()
            .allow_default_port_to(&redis, "Redis")
            .unwrap();
        let t = template(&synth_and_lint(&app, "ec2-default-port"), "Sessions");
        let i = &t["Resources"]["RedisSecurityGroupFromBackendSecurityGroup6379"]["Properties"];
        assert_eq!(
            i["SourceSecurityGroupId"],
            json!({"Fn::GetAtt": ["BackendSecurityGroup", "GroupId"]})
        );
        assert_eq!(of_type(&t, "AWS::EC2::SecurityGroupIngress").len(), 1);
    }

    #[test]
    fn default_port_missing_is_an_error() {
        let app = App::new();
        let s = app.stack("Web").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let a = group(&s, "A", &vpc, true);
        let b = group(&s, "B", &vpc, true);
        a.connections()
            .allow_default_port_from(&b, "no port")
            .unwrap();
        let d = failed(&app);
        let e = one(&d, codes::NO_DEFAULT_PORT);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("Web/A/SecurityGroup", Some("SecurityGroupIngress"))
        );
        assert_eq!(
            e.message,
            "Web/A/SecurityGroup has no default port to allow"
        );
        assert!(e.fix.is_some());
    }

    #[test]
    fn bad_ports_peers_and_descriptions_in_connections_are_reported_once() {
        let app = App::new();
        let s = app.stack("Web").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let a = group(&s, "A", &vpc, false);
        let b = group(&s, "B", &vpc, false);
        a.connections()
            .allow_from(&b, Port::udp_range(100, 1), "x")
            .unwrap();
        a.connections()
            .allow_from(&Peer::ipv4("300.0.0.0/8"), Port::tcp(1), "x")
            .unwrap();
        a.connections()
            .allow_to(&b, Port::tcp(1), "tab\there")
            .unwrap();
        let d = failed(&app);
        for code in [codes::PORT, codes::PEER, codes::DESCRIPTION] {
            let e = one(&d, code);
            assert_eq!(e.path, "Web/A/SecurityGroup", "{code}");
        }
        assert_eq!(
            one(&d, codes::PEER).message,
            "`300.0.0.0/8` is not an IPv4 CIDR block"
        );
        assert_eq!(
            one(&d, codes::DESCRIPTION).property.as_deref(),
            Some("SecurityGroupIngress.Description")
        );
    }

    #[test]
    fn peers_are_connectable() {
        let app = App::new();
        let s = app.stack("Web").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let sg = group(&s, "Api", &vpc, false);
        let office = Peer::ipv4("203.0.113.0/24");
        // From the peer's side: the group receives the ingress rule.
        office
            .connections()
            .allow_to(&sg, Port::tcp(443), "office")
            .unwrap();
        sg.connections()
            .allow_to(&Peer::ipv4("10.0.0.0/8"), Port::tcp(5432), "database")
            .unwrap();
        let c = Peer::security_group(&sg).connections();
        assert_eq!(c.security_groups().len(), 1);
        let t = template(&synth_and_lint(&app, "ec2-peer-connectable"), "Web");
        let p = &t["Resources"]["ApiSecurityGroup"]["Properties"];
        assert_eq!(p["SecurityGroupIngress"][0]["CidrIp"], "203.0.113.0/24");
        assert_eq!(
            p["SecurityGroupEgress"],
            json!([{"CidrIp": "10.0.0.0/8", "Description": "database", "FromPort": 5432, "IpProtocol": "tcp", "ToPort": 5432}])
        );
    }
}
