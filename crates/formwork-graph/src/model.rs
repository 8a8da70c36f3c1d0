//! The graph: what a person would draw of an app, read from its templates
//! and manifest.

use std::collections::{BTreeSet, HashMap};

use formwork_core::Assembly;
use serde_json::Value as Json;

/// Where a node sits in the picture.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Placement {
    /// In its stack, outside any VPC.
    Stack,
    /// In a VPC (by logical id), in no subnet tier.
    Vpc(String),
    /// In a subnet tier (`Public`, `Private`, `Isolated`) of a VPC.
    Subnet(String, String),
    /// Outside every stack: the internet, assets on this machine.
    Outside,
}

/// A box of the picture: one resource a person would draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// A Mermaid-safe id, unique in the graph.
    pub id: String,
    /// Its stack (empty for the internet and assets).
    pub stack: String,
    /// Its logical id (or what the node is, outside the stacks).
    pub name: String,
    /// What it is, in words (`Application Load Balancer`).
    pub kind: String,
    /// Its physical name when the template fixes one.
    pub physical: Option<String>,
    /// Where it sits.
    pub placement: Placement,
}

/// Why two nodes are connected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    /// A reference in the template (`Ref`, `GetAtt`, `Sub`, an import).
    Reference,
    /// An IAM grant: the role the source runs with may act on the target.
    Grant,
    /// A security-group rule: the source may connect to the target.
    Network,
    /// An asset published to, or used by, the target.
    Asset,
}

/// An arrow of the picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// Source node id.
    pub from: String,
    /// Target node id.
    pub to: String,
    /// The strongest reason for it.
    pub kind: EdgeKind,
    /// What it carries (`tcp 443`, `secretsmanager:GetSecretValue`), sorted.
    pub labels: Vec<String>,
}

/// The app as boxes and arrows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Graph {
    /// Nodes in stack, then template order.
    pub nodes: Vec<Node>,
    /// Edges in a stable order.
    pub edges: Vec<Edge>,
    /// Stacks in deploy order.
    pub stacks: Vec<String>,
}

/// The internet's node id.
pub const INTERNET: &str = "internet";

enum Rule {
    Show,
    Hide,
    /// Folded into the resource it references under this property.
    Into(&'static str),
    /// Folded into the resource it references last under this property.
    IntoLast(&'static str),
    /// Folded into the first resource that references it.
    IntoReferrer,
}

fn rule(ty: &str) -> Rule {
    match ty {
        "AWS::EC2::VPC"
        | "AWS::EC2::Subnet"
        | "AWS::EC2::RouteTable"
        | "AWS::EC2::Route"
        | "AWS::EC2::SubnetRouteTableAssociation"
        | "AWS::EC2::InternetGateway"
        | "AWS::EC2::VPCGatewayAttachment"
        | "AWS::EC2::SecurityGroup"
        | "AWS::EC2::SecurityGroupIngress"
        | "AWS::EC2::SecurityGroupEgress" => Rule::Hide,
        "AWS::ElasticLoadBalancingV2::Listener" => Rule::Into("LoadBalancerArn"),
        "AWS::ElasticLoadBalancingV2::ListenerRule" => Rule::Into("ListenerArn"),
        "AWS::EFS::MountTarget" | "AWS::EFS::AccessPoint" => Rule::Into("FileSystemId"),
        "AWS::S3::BucketPolicy" => Rule::Into("Bucket"),
        "AWS::Lambda::Permission" | "AWS::Lambda::Version" | "AWS::Lambda::Alias" => {
            Rule::Into("FunctionName")
        }
        "AWS::Lambda::Url" => Rule::Into("TargetFunctionArn"),
        "AWS::ApiGatewayV2::Stage"
        | "AWS::ApiGatewayV2::Route"
        | "AWS::ApiGatewayV2::Integration" => Rule::Into("ApiId"),
        "AWS::ApplicationAutoScaling::ScalableTarget" => Rule::IntoLast("ResourceId"),
        "AWS::ApplicationAutoScaling::ScalingPolicy" => Rule::Into("ScalingTargetId"),
        "AWS::SNS::Subscription" => Rule::Into("TopicArn"),
        "AWS::SNS::TopicPolicy" => Rule::Into("Topics"),
        "AWS::IAM::Policy" => Rule::Into("Roles"),
        "AWS::IAM::Role"
        | "AWS::ECS::TaskDefinition"
        | "AWS::EC2::EIP"
        | "AWS::ElasticLoadBalancingV2::TargetGroup"
        | "AWS::ElastiCache::SubnetGroup"
        | "AWS::ElastiCache::ParameterGroup"
        | "AWS::CloudFront::OriginAccessControl"
        | "AWS::CloudFront::CachePolicy"
        | "AWS::CloudFront::OriginRequestPolicy"
        | "AWS::CloudFront::ResponseHeadersPolicy" => Rule::IntoReferrer,
        _ => Rule::Show,
    }
}

fn kind_of(ty: &str, props: &Json) -> String {
    let k = match ty {
        "AWS::ECS::Service" => "Fargate service",
        "AWS::ECS::Cluster" => "ECS cluster",
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => "Application Load Balancer",
        "AWS::EFS::FileSystem" => "EFS file system",
        "AWS::SecretsManager::Secret" => "Secrets Manager secret",
        "AWS::ECR::Repository" => "ECR repository",
        "AWS::Logs::LogGroup" => "CloudWatch log group",
        "AWS::Lambda::Function" => "Lambda function",
        "AWS::S3::Bucket" => "S3 bucket",
        "AWS::CloudFront::Distribution" => "CloudFront distribution",
        "AWS::ElastiCache::CacheCluster" | "AWS::ElastiCache::ReplicationGroup" => {
            return format!(
                "ElastiCache {}",
                props["Engine"].as_str().unwrap_or("cache")
            );
        }
        "AWS::EC2::NatGateway" => "NAT gateway",
        "AWS::EC2::VPCEndpoint" => "VPC endpoint",
        "AWS::StepFunctions::StateMachine" => "Step Functions state machine",
        "AWS::ApiGatewayV2::Api" => "HTTP API",
        "AWS::IAM::OIDCProvider" => "OIDC identity provider",
        "AWS::IAM::Role" => "IAM role",
        "AWS::SNS::Topic" => "SNS topic",
        "AWS::CloudWatch::Alarm" => "CloudWatch alarm",
        "AWS::CloudWatch::Dashboard" => "CloudWatch dashboard",
        other => return other.trim_start_matches("AWS::").replace("::", " "),
    };
    k.to_owned()
}

const NAME_KEYS: &[&str] = &[
    "ServiceName",
    "ClusterName",
    "FunctionName",
    "BucketName",
    "RepositoryName",
    "LogGroupName",
    "StateMachineName",
    "TopicName",
    "AlarmName",
    "Name",
];

fn physical_name(props: &Json) -> Option<String> {
    NAME_KEYS
        .iter()
        .find_map(|k| props.get(*k).and_then(Json::as_str))
        .map(str::to_owned)
}

/// Mermaid-safe id.
pub(crate) fn safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

type Key = (usize, String);

struct Res<'a> {
    ty: &'a str,
    props: &'a Json,
}

/// Every reference in a value: `(stack index, logical id, top property)`.
fn refs(v: &Json, stack: usize, stacks: &[String], top: &str, out: &mut Vec<(Key, String)>) {
    match v {
        Json::Object(m) => {
            if let Some(Json::String(r)) = m.get("Ref") {
                if !r.starts_with("AWS::") {
                    out.push(((stack, r.clone()), top.to_owned()));
                }
                return;
            }
            if let Some(Json::Array(a)) = m.get("Fn::GetAtt") {
                if let Some(Json::String(r)) = a.first() {
                    out.push(((stack, r.clone()), top.to_owned()));
                }
                return;
            }
            if let Some(sub) = m.get("Fn::Sub") {
                let (text, vars) = match sub {
                    Json::String(s) => (s.as_str(), None),
                    Json::Array(a) => (a.first().and_then(Json::as_str).unwrap_or(""), a.get(1)),
                    _ => ("", None),
                };
                let mut rest = text;
                while let Some(i) = rest.find("${") {
                    rest = &rest[i + 2..];
                    let Some(j) = rest.find('}') else { break };
                    let name = rest[..j].split('.').next().unwrap_or("");
                    let bound = vars.is_some_and(|v| v.get(name).is_some());
                    if !name.starts_with("AWS::") && !name.starts_with('!') && !bound {
                        out.push(((stack, name.to_owned()), top.to_owned()));
                    }
                    rest = &rest[j..];
                }
                if let Some(v) = vars {
                    refs(v, stack, stacks, top, out);
                }
                return;
            }
            if let Some(Json::String(export)) = m.get("Fn::ImportValue") {
                let mut parts = export.split(':');
                if let (Some(s), Some(id)) = (parts.next(), parts.next()) {
                    if let Some(si) = stacks.iter().position(|n| n == s) {
                        out.push(((si, id.to_owned()), top.to_owned()));
                    }
                }
                return;
            }
            for (k, x) in m {
                let t = if top.is_empty() { k.as_str() } else { top };
                refs(x, stack, stacks, t, out);
            }
        }
        Json::Array(a) => a.iter().for_each(|x| refs(x, stack, stacks, top, out)),
        _ => {}
    }
}

/// The actions of the statements of `policies` that name `target`.
fn granted_actions(policies: &Json, target: &Key, stack: usize, stacks: &[String]) -> Vec<String> {
    let mut actions = BTreeSet::new();
    for p in policies.as_array().into_iter().flatten() {
        for st in p["PolicyDocument"]["Statement"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let mut r = Vec::new();
            refs(&st["Resource"], stack, stacks, "", &mut r);
            if r.iter().any(|(k, _)| k == target) {
                match &st["Action"] {
                    Json::String(a) => {
                        actions.insert(a.clone());
                    }
                    Json::Array(a) => {
                        actions.extend(a.iter().filter_map(Json::as_str).map(str::to_owned))
                    }
                    _ => {}
                }
            }
        }
    }
    actions.into_iter().collect()
}

impl Graph {
    /// The graph of a synthesized app.
    pub fn of(asm: &Assembly) -> Graph {
        let stacks: Vec<String> = asm.stacks.iter().map(|s| s.name.clone()).collect();
        let templates: Vec<Json> = asm
            .stacks
            .iter()
            .map(|s| serde_json::from_str(&s.template).unwrap_or(Json::Null))
            .collect();
        let manifest: Json = serde_json::from_str(asm.manifest()).unwrap_or(Json::Null);
        Graph::build(&stacks, &templates, &manifest)
    }

    fn build(stacks: &[String], templates: &[Json], manifest: &Json) -> Graph {
        let mut res: HashMap<Key, Res> = HashMap::new();
        let mut order: Vec<Key> = Vec::new();
        let mut out_refs: HashMap<Key, Vec<(Key, String)>> = HashMap::new();
        for (si, t) in templates.iter().enumerate() {
            for (id, r) in t["Resources"].as_object().into_iter().flatten() {
                let key = (si, id.clone());
                let mut rs = Vec::new();
                refs(&r["Properties"], si, stacks, "", &mut rs);
                rs.retain(|(k, _)| templates[k.0]["Resources"].get(&k.1).is_some());
                out_refs.insert(key.clone(), rs);
                res.insert(
                    key.clone(),
                    Res {
                        ty: r["Type"].as_str().unwrap_or(""),
                        props: &r["Properties"],
                    },
                );
                order.push(key);
            }
        }
        let mut referrers: HashMap<Key, Vec<Key>> = HashMap::new();
        for k in &order {
            for (t, _) in &out_refs[k] {
                let list = referrers.entry(t.clone()).or_default();
                if !list.contains(k) {
                    list.push(k.clone());
                }
            }
        }

        // Representatives: the visible node each resource is folded into.
        fn rep_of(
            k: &Key,
            res: &HashMap<Key, Res>,
            out_refs: &HashMap<Key, Vec<(Key, String)>>,
            referrers: &HashMap<Key, Vec<Key>>,
            depth: usize,
        ) -> Option<Key> {
            if depth > 8 {
                return None;
            }
            let r = res.get(k)?;
            let next = match rule(r.ty) {
                Rule::Show => return Some(k.clone()),
                Rule::Hide => return None,
                Rule::Into(p) => out_refs[k]
                    .iter()
                    .find(|(_, top)| top == p)
                    .map(|(t, _)| t.clone()),
                Rule::IntoLast(p) => out_refs[k]
                    .iter()
                    .rev()
                    .find(|(_, top)| top == p)
                    .map(|(t, _)| t.clone()),
                Rule::IntoReferrer => {
                    let list = referrers.get(k);
                    let pick = list.and_then(|l| {
                        l.iter()
                            .find(|x| {
                                res.get(*x).is_some_and(|r| {
                                    r.ty == "AWS::ElasticLoadBalancingV2::Listener"
                                })
                            })
                            .or_else(|| {
                                l.iter().find(|x| {
                                    res.get(*x).is_some_and(|r| {
                                        !matches!(rule(r.ty), Rule::Hide | Rule::Into("Roles"))
                                    })
                                })
                            })
                    });
                    match pick {
                        Some(p) => Some(p.clone()),
                        // Nothing uses it: it is a node of its own.
                        None => return Some(k.clone()),
                    }
                }
            };
            rep_of(&next?, res, out_refs, referrers, depth + 1)
        }
        let mut rep: HashMap<Key, Key> = HashMap::new();
        for k in &order {
            if let Some(r) = rep_of(k, &res, &out_refs, &referrers, 0) {
                rep.insert(k.clone(), r);
            }
        }
        let node_id = |k: &Key| format!("{}_{}", safe(&stacks[k.0]), safe(&k.1));

        // Placement from the subnets and VPCs a node (or what it folds) names.
        let tier_of = |k: &Key| -> Option<(String, String)> {
            let r = res.get(k)?;
            if r.ty != "AWS::EC2::Subnet" {
                return None;
            }
            let vpc = out_refs[k]
                .iter()
                .find(|(_, top)| top == "VpcId")
                .map(|(t, _)| t.1.clone())?;
            let tier = r.props["Tags"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|t| t["Key"] == "formwork:subnet-type")
                .and_then(|t| t["Value"].as_str())
                .unwrap_or("subnet")
                .to_owned();
            Some((vpc, tier))
        };
        let vpc_of = |k: &Key| -> Option<String> {
            let r = res.get(k)?;
            match r.ty {
                "AWS::EC2::VPC" => Some(k.1.clone()),
                "AWS::EC2::SecurityGroup" | "AWS::EC2::Subnet" => out_refs[k]
                    .iter()
                    .find(|(_, top)| top == "VpcId")
                    .map(|(t, _)| t.1.clone()),
                _ => None,
            }
        };
        let mut placement: HashMap<Key, Placement> = HashMap::new();
        for k in &order {
            let Some(rk) = rep.get(k) else { continue };
            for (t, _) in &out_refs[k] {
                if t.0 != rk.0 {
                    continue;
                }
                let p = if let Some((vpc, tier)) = tier_of(t) {
                    Placement::Subnet(vpc, tier)
                } else if let Some(vpc) = vpc_of(t) {
                    Placement::Vpc(vpc)
                } else {
                    continue;
                };
                let cur = placement.entry(rk.clone()).or_insert(Placement::Stack);
                let better = matches!(
                    (&*cur, &p),
                    (Placement::Stack, _) | (Placement::Vpc(_), Placement::Subnet(..))
                );
                if better {
                    *cur = p;
                }
            }
        }

        let mut g = Graph {
            stacks: stacks.to_vec(),
            ..Graph::default()
        };
        for k in &order {
            if rep.get(k) != Some(k) {
                continue;
            }
            let r = &res[k];
            g.nodes.push(Node {
                id: node_id(k),
                stack: stacks[k.0].clone(),
                name: k.1.clone(),
                kind: kind_of(r.ty, r.props),
                physical: physical_name(r.props),
                placement: placement.get(k).cloned().unwrap_or(Placement::Stack),
            });
        }

        let mut edges: HashMap<(String, String), (EdgeKind, BTreeSet<String>)> = HashMap::new();
        let mut add = |from: String, to: String, kind: EdgeKind, label: Option<String>| {
            if from == to {
                return;
            }
            let e = edges.entry((from, to)).or_insert((kind, BTreeSet::new()));
            e.0 = e.0.max(kind);
            if let Some(l) = label {
                e.1.insert(l);
            }
        };
        for k in &order {
            let Some(a) = rep.get(k) else { continue };
            let r = &res[k];
            for (t, top) in &out_refs[k] {
                let Some(c) = rep.get(t) else { continue };
                let target_ty = res.get(t).map_or("", |x| x.ty);
                if target_ty == "AWS::ElasticLoadBalancingV2::TargetGroup"
                    && r.ty == "AWS::ECS::Service"
                {
                    add(
                        node_id(c),
                        node_id(a),
                        EdgeKind::Reference,
                        Some("forwards".into()),
                    );
                } else if r.ty == "AWS::Lambda::Permission" && top != "FunctionName" {
                    // Who may invoke the function: the arrow points at it.
                    add(
                        node_id(c),
                        node_id(a),
                        EdgeKind::Reference,
                        Some("invokes".into()),
                    );
                } else if r.ty == "AWS::S3::BucketPolicy" && top == "PolicyDocument" {
                    // Who the bucket policy lets in: the arrow points at the bucket.
                    add(
                        node_id(c),
                        node_id(a),
                        EdgeKind::Grant,
                        Some("bucket policy".into()),
                    );
                } else if r.ty == "AWS::IAM::Role" && top == "Policies" {
                    for act in granted_actions(&r.props["Policies"], t, k.0, stacks) {
                        add(node_id(a), node_id(c), EdgeKind::Grant, Some(act));
                    }
                } else if r.ty == "AWS::IAM::Policy" && top == "PolicyDocument" {
                    let wrapped =
                        serde_json::json!([{"PolicyDocument": r.props["PolicyDocument"]}]);
                    for act in granted_actions(&wrapped, t, k.0, stacks) {
                        add(node_id(a), node_id(c), EdgeKind::Grant, Some(act));
                    }
                } else if matches!(
                    r.ty,
                    "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress"
                ) {
                } else {
                    add(node_id(a), node_id(c), EdgeKind::Reference, None);
                }
            }
        }

        // Security groups: members are the nodes whose resources name the group.
        let mut members: HashMap<Key, BTreeSet<String>> = HashMap::new();
        for k in &order {
            let Some(a) = rep.get(k) else { continue };
            for (t, _) in &out_refs[k] {
                if res
                    .get(t)
                    .is_some_and(|x| x.ty == "AWS::EC2::SecurityGroup")
                {
                    members.entry(t.clone()).or_default().insert(node_id(a));
                }
            }
        }
        let mut internet = false;
        let port = |rule: &Json| -> String {
            let proto = rule["IpProtocol"].as_str().unwrap_or("tcp");
            let (from, to) = (&rule["FromPort"], &rule["ToPort"]);
            if proto == "-1" {
                "all traffic".into()
            } else if from == to {
                format!("{proto} {from}")
            } else {
                format!("{proto} {from}-{to}")
            }
        };
        for k in &order {
            let r = &res[k];
            let mut rules: Vec<(Key, &Json)> = Vec::new();
            if r.ty == "AWS::EC2::SecurityGroup" {
                for ing in r.props["SecurityGroupIngress"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    rules.push((k.clone(), ing));
                }
            } else if r.ty == "AWS::EC2::SecurityGroupIngress" {
                if let Some((g, _)) = out_refs[k].iter().find(|(_, top)| top == "GroupId") {
                    rules.push((g.clone(), r.props));
                }
            }
            for (group, rule) in rules {
                let to = members.get(&group).cloned().unwrap_or_default();
                let label = port(rule);
                let mut src = Vec::new();
                refs(&rule["SourceSecurityGroupId"], k.0, stacks, "", &mut src);
                let from: BTreeSet<String> = if let Some((sg, _)) = src.first() {
                    members.get(sg).cloned().unwrap_or_default()
                } else if rule["CidrIp"] == "0.0.0.0/0" || rule["CidrIpv6"] == "::/0" {
                    internet = true;
                    [INTERNET.to_owned()].into()
                } else {
                    continue;
                };
                for f in &from {
                    for t in &to {
                        add(f.clone(), t.clone(), EdgeKind::Network, Some(label.clone()));
                    }
                }
            }
        }
        if internet {
            g.nodes.insert(
                0,
                Node {
                    id: INTERNET.into(),
                    stack: String::new(),
                    name: "Internet".into(),
                    kind: "clients".into(),
                    physical: None,
                    placement: Placement::Outside,
                },
            );
        }

        // Assets: from this machine to where they are published, and to
        // what runs them.
        for (i, a) in manifest["assets"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let id = format!("asset_{i}");
            let kind = a["kind"].as_str().unwrap_or("asset");
            g.nodes.push(Node {
                id: id.clone(),
                stack: String::new(),
                name: a["source"].as_str().unwrap_or("?").to_owned(),
                kind: format!("{kind} asset"),
                physical: None,
                placement: Placement::Outside,
            });
            let d = &a["destination"];
            let dest_stack = d["stack"]
                .as_str()
                .and_then(|s| stacks.iter().position(|n| n == s));
            let dest = match (d["type"].as_str(), dest_stack) {
                (Some("bucket"), Some(si)) => {
                    d["bucketLogicalId"].as_str().map(|l| (si, l.to_owned()))
                }
                (Some("repository"), Some(si)) => order
                    .iter()
                    .find(|k| {
                        k.0 == si
                            && res[*k].ty == "AWS::ECR::Repository"
                            && res[*k].props["RepositoryName"].as_str() == d["repository"].as_str()
                    })
                    .cloned(),
                _ => None,
            };
            if let Some(c) = dest.as_ref().and_then(|k| rep.get(k)) {
                add(
                    id.clone(),
                    node_id(c),
                    EdgeKind::Asset,
                    Some("published to".into()),
                );
            }
            for used in a["usedBy"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Json::as_str)
            {
                let Some((s, l)) = used.split_once('/') else {
                    continue;
                };
                let Some(si) = stacks.iter().position(|n| n == s) else {
                    continue;
                };
                if let Some(c) = rep.get(&(si, l.to_owned())) {
                    add(
                        id.clone(),
                        node_id(c),
                        EdgeKind::Asset,
                        Some("runs in".into()),
                    );
                }
            }
        }

        let mut list: Vec<Edge> = edges
            .into_iter()
            .map(|((from, to), (kind, labels))| Edge {
                from,
                to,
                kind,
                labels: labels.into_iter().collect(),
            })
            .collect();
        let pos: HashMap<&str, usize> = g
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        list.retain(|e| pos.contains_key(e.from.as_str()) && pos.contains_key(e.to.as_str()));
        list.sort_by_key(|e| (pos[e.from.as_str()], pos[e.to.as_str()]));
        g.edges = list;
        g
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// True when an edge joins the two nodes (either way).
    pub fn connected(&self, a: &str, b: &str) -> bool {
        self.edges
            .iter()
            .any(|e| (e.from == a && e.to == b) || (e.from == b && e.to == a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plumbing_folds_and_edges_come_from_rules_grants_imports_and_assets() {
        let repo = json!({"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "app"}}}});
        let app = json!({"Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {}},
            "Pub": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"},
                "Tags": [{"Key": "formwork:subnet-type", "Value": "Public"}]}},
            "LbSg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"VpcId": {"Ref": "Vpc"},
                "SecurityGroupIngress": [{"CidrIp": "0.0.0.0/0", "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443}]}},
            "TaskSg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"VpcId": {"Ref": "Vpc"}}},
            "In": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"GroupId": {"Fn::GetAtt": ["TaskSg", "GroupId"]},
                "SourceSecurityGroupId": {"Fn::GetAtt": ["LbSg", "GroupId"]}, "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80}},
            "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Subnets": [{"Ref": "Pub"}],
                "SecurityGroups": [{"Fn::GetAtt": ["LbSg", "GroupId"]}]}},
            "Tg": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"VpcId": {"Ref": "Vpc"}}},
            "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "Lb"},
                "DefaultActions": [{"TargetGroupArn": {"Ref": "Tg"}}]}},
            "Secret": {"Type": "AWS::SecretsManager::Secret", "Properties": {"Name": "s"}},
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyDocument": {"Statement": [
                {"Action": "secretsmanager:GetSecretValue", "Resource": {"Ref": "Secret"}},
                {"Action": ["ecr:BatchGetImage"], "Resource": {"Fn::ImportValue": "Repo:Repo:Arn"}}]}}]}},
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ExecutionRoleArn": {"Fn::GetAtt": ["Role", "Arn"]}}},
            "Service": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": {"Ref": "Task"},
                "LoadBalancers": [{"TargetGroupArn": {"Ref": "Tg"}}],
                "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": [{"Ref": "Pub"}], "SecurityGroups": [{"Fn::GetAtt": ["TaskSg", "GroupId"]}]}}}}
        }});
        let manifest = json!({"assets": [{"kind": "image", "source": "./app",
            "destination": {"type": "repository", "stack": "Repo", "repository": "app"}, "usedBy": ["App/Service"]}]});
        let g = Graph::build(&["Repo".into(), "App".into()], &[repo, app], &manifest);
        let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "internet",
                "Repo_Repo",
                "App_Lb",
                "App_Secret",
                "App_Service",
                "asset_0"
            ]
        );
        assert_eq!(
            g.node("App_Service").map(|n| n.placement.clone()),
            Some(Placement::Subnet("Vpc".into(), "Public".into()))
        );
        let edge = |a: &str, b: &str| {
            g.edges
                .iter()
                .find(|e| e.from == a && e.to == b)
                .map(|e| (e.kind, e.labels.join(", ")))
        };
        assert_eq!(
            edge("internet", "App_Lb"),
            Some((EdgeKind::Network, "tcp 443".into()))
        );
        assert_eq!(
            edge("App_Lb", "App_Service"),
            Some((EdgeKind::Network, "forwards, tcp 80".into()))
        );
        assert_eq!(
            edge("App_Service", "App_Secret"),
            Some((EdgeKind::Grant, "secretsmanager:GetSecretValue".into()))
        );
        assert_eq!(
            edge("App_Service", "Repo_Repo"),
            Some((EdgeKind::Grant, "ecr:BatchGetImage".into()))
        );
        assert_eq!(
            edge("asset_0", "Repo_Repo"),
            Some((EdgeKind::Asset, "published to".into()))
        );
        assert_eq!(
            edge("asset_0", "App_Service"),
            Some((EdgeKind::Asset, "runs in".into()))
        );
        let m = g.mermaid();
        assert!(
            m.contains("subgraph tier_App_Vpc_Public[\"public subnets\"]"),
            "{m}"
        );
        assert!(m.contains("  internet ==>|\"tcp 443\"| App_Lb\n"), "{m}");
    }
}
