//! Who may do what: IAM statements and security-group rules of a template,
//! as rows that two templates can be compared by.

use serde_json::Value as Json;

use super::props::show;

/// One IAM statement, flattened for reading.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IamRow {
    /// The resource that holds it (a role, policy, bucket policy...) and
    /// which document (`AssumeRolePolicyDocument`, `Policies.DefaultPolicy`...).
    pub holder: String,
    /// `Allow` or `Deny`.
    pub effect: String,
    /// The actions, comma-separated.
    pub actions: String,
    /// The resources, comma-separated (`*` when none is named).
    pub resources: String,
    /// The principals, comma-separated (empty for identity policies).
    pub principal: String,
    /// The condition, compact JSON (empty: none).
    pub condition: String,
}

impl IamRow {
    /// True when this statement allows at least what `other` allows: same
    /// holder, effect, resources, principal and condition, and every
    /// action of `other` among its own.
    pub fn covers(&self, other: &IamRow) -> bool {
        let mine: Vec<&str> = self.actions.split(", ").collect();
        self.holder == other.holder
            && self.effect == other.effect
            && self.resources == other.resources
            && self.principal == other.principal
            && self.condition == other.condition
            && other.actions.split(", ").all(|a| mine.contains(&a))
    }
}

/// One security-group rule.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SgRule {
    /// The group (logical id or reference).
    pub group: String,
    /// `in` or `out`.
    pub direction: String,
    /// Protocol and ports: `tcp 443`, `tcp 1024-65535`, `all`.
    pub ports: String,
    /// The other side: a CIDR, a group, a prefix list.
    pub peer: String,
}

impl SgRule {
    /// True when the rule lets the whole internet in.
    pub fn open_to_world(&self) -> bool {
        self.direction == "in" && (self.peer == "0.0.0.0/0" || self.peer == "::/0")
    }
}

fn list(v: Option<&Json>) -> Vec<Json> {
    match v {
        Some(Json::Array(a)) => a.clone(),
        Some(Json::Null) | None => Vec::new(),
        Some(x) => vec![x.clone()],
    }
}

fn joined(v: Option<&Json>) -> String {
    let mut items: Vec<String> = list(v).iter().map(show).collect();
    items.sort();
    items.join(", ")
}

fn principal(v: Option<&Json>) -> String {
    match v {
        Some(Json::Object(m)) => {
            let mut parts: Vec<String> = m
                .iter()
                .flat_map(|(kind, ids)| {
                    list(Some(ids))
                        .iter()
                        .map(|id| format!("{kind}:{}", show(id)))
                        .collect::<Vec<_>>()
                })
                .collect();
            parts.sort();
            parts.join(", ")
        }
        Some(other) => show(other),
        None => String::new(),
    }
}

fn statements(holder: &str, doc: Option<&Json>, out: &mut Vec<IamRow>) {
    let Some(doc) = doc else { return };
    for s in list(doc.get("Statement")) {
        let actions = if s.get("NotAction").is_some() {
            format!("NOT {}", joined(s.get("NotAction")))
        } else {
            joined(s.get("Action"))
        };
        let resources = if s.get("NotResource").is_some() {
            format!("NOT {}", joined(s.get("NotResource")))
        } else if s.get("Resource").is_some() {
            joined(s.get("Resource"))
        } else {
            "*".to_owned()
        };
        out.push(IamRow {
            holder: holder.to_owned(),
            effect: s
                .get("Effect")
                .and_then(Json::as_str)
                .unwrap_or("Allow")
                .to_owned(),
            actions,
            resources,
            principal: principal(s.get("Principal")),
            condition: s
                .get("Condition")
                .map(|c| c.to_string())
                .unwrap_or_default(),
        });
    }
}

/// The IAM statements of every resource of a template.
pub fn iam_rows(template: &Json) -> Vec<IamRow> {
    let mut out = Vec::new();
    let Some(resources) = template.get("Resources").and_then(Json::as_object) else {
        return out;
    };
    for (id, r) in resources {
        let ty = r.get("Type").and_then(Json::as_str).unwrap_or_default();
        let p = r.get("Properties").cloned().unwrap_or(Json::Null);
        match ty {
            "AWS::IAM::Role" => {
                statements(
                    &format!("{id} (trust)"),
                    p.get("AssumeRolePolicyDocument"),
                    &mut out,
                );
                for pol in list(p.get("Policies")) {
                    let name = pol.get("PolicyName").map(show).unwrap_or_default();
                    statements(
                        &format!("{id} ({name})"),
                        pol.get("PolicyDocument"),
                        &mut out,
                    );
                }
                for arn in list(p.get("ManagedPolicyArns")) {
                    out.push(IamRow {
                        holder: format!("{id} (managed)"),
                        effect: "Allow".into(),
                        actions: format!("policy {}", show(&arn)),
                        resources: String::new(),
                        principal: String::new(),
                        condition: String::new(),
                    });
                }
            }
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
                let roles = joined(p.get("Roles"));
                statements(
                    &format!("{id} → {roles}"),
                    p.get("PolicyDocument"),
                    &mut out,
                );
            }
            "AWS::S3::BucketPolicy" | "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy" => {
                statements(id, p.get("PolicyDocument"), &mut out);
            }
            "AWS::SecretsManager::ResourcePolicy" => {
                statements(id, p.get("ResourcePolicy"), &mut out);
            }
            "AWS::KMS::Key" => statements(id, p.get("KeyPolicy"), &mut out),
            "AWS::ECR::Repository" => statements(id, p.get("RepositoryPolicyText"), &mut out),
            "AWS::Lambda::Permission" => out.push(IamRow {
                holder: id.clone(),
                effect: "Allow".into(),
                actions: p.get("Action").map(show).unwrap_or_default(),
                resources: p.get("FunctionName").map(show).unwrap_or_default(),
                principal: p.get("Principal").map(show).unwrap_or_default(),
                condition: p
                    .get("SourceArn")
                    .map(|a| format!("SourceArn {}", show(a)))
                    .unwrap_or_default(),
            }),
            _ => {}
        }
    }
    out.sort();
    out
}

fn ports(rule: &Json) -> String {
    let proto = rule.get("IpProtocol").map(show).unwrap_or_default();
    let proto = match proto.as_str() {
        "-1" => return "all".into(),
        "6" => "tcp".to_owned(),
        "17" => "udp".to_owned(),
        other => other.to_owned(),
    };
    let from = rule.get("FromPort").map(show);
    let to = rule.get("ToPort").map(show);
    match (from, to) {
        (Some(f), Some(t)) if f == t => format!("{proto} {f}"),
        (Some(f), Some(t)) => format!("{proto} {f}-{t}"),
        (Some(f), None) => format!("{proto} {f}"),
        _ => proto,
    }
}

fn peer(rule: &Json) -> String {
    for k in [
        "CidrIp",
        "CidrIpv6",
        "SourceSecurityGroupId",
        "DestinationSecurityGroupId",
        "SourcePrefixListId",
        "DestinationPrefixListId",
        "SourceSecurityGroupName",
    ] {
        if let Some(v) = rule.get(k) {
            return show(v);
        }
    }
    String::new()
}

fn rule(group: &str, direction: &str, r: &Json) -> SgRule {
    SgRule {
        group: group.to_owned(),
        direction: direction.to_owned(),
        ports: ports(r),
        peer: peer(r),
    }
}

/// The security-group rules of a template: inline ones and separate
/// ingress/egress resources.
pub fn sg_rules(template: &Json) -> Vec<SgRule> {
    let mut out = Vec::new();
    let Some(resources) = template.get("Resources").and_then(Json::as_object) else {
        return out;
    };
    for (id, r) in resources {
        let ty = r.get("Type").and_then(Json::as_str).unwrap_or_default();
        let p = r.get("Properties").cloned().unwrap_or(Json::Null);
        match ty {
            "AWS::EC2::SecurityGroup" => {
                for x in list(p.get("SecurityGroupIngress")) {
                    out.push(rule(id, "in", &x));
                }
                for x in list(p.get("SecurityGroupEgress")) {
                    out.push(rule(id, "out", &x));
                }
            }
            "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress" => {
                let group = p
                    .get("GroupId")
                    .map(|g| {
                        show(g)
                            .trim_matches(|c| c == '$' || c == '{' || c == '}')
                            .replace(".GroupId", "")
                    })
                    .unwrap_or_default();
                let dir = if ty.ends_with("Ingress") { "in" } else { "out" };
                out.push(rule(&group, dir, &p));
            }
            _ => {}
        }
    }
    out.sort();
    out
}

/// Rows of `new` not in `old` (added) and of `old` not in `new` (removed).
pub fn added_removed<T: Clone + PartialEq>(old: &[T], new: &[T]) -> (Vec<T>, Vec<T>) {
    let added = new.iter().filter(|r| !old.contains(r)).cloned().collect();
    let removed = old.iter().filter(|r| !new.contains(r)).cloned().collect();
    (added, removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn iam_statements_become_rows() {
        let t = json!({"Resources": {
            "Role": {"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                "Policies": [{"PolicyName": "P", "PolicyDocument": {"Statement": [
                    {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": {"Fn::Sub": "${Data.Arn}/*"}}
                ]}}]
            }},
            "Perm": {"Type": "AWS::Lambda::Permission", "Properties": {"Action": "lambda:InvokeFunctionUrl", "FunctionName": {"Ref": "Fn"}, "Principal": "*"}}
        }});
        let rows = iam_rows(&t);
        assert_eq!(rows.len(), 3, "{rows:#?}");
        let p = rows.iter().find(|r| r.holder == "Role (P)").unwrap();
        assert_eq!(p.actions, "s3:GetObject, s3:PutObject");
        assert_eq!(p.resources, "${Data.Arn}/*");
        let trust = rows.iter().find(|r| r.holder == "Role (trust)").unwrap();
        assert_eq!(trust.principal, "Service:lambda.amazonaws.com");
        assert_eq!(
            rows.iter().find(|r| r.holder == "Perm").unwrap().principal,
            "*"
        );
    }

    #[test]
    fn security_group_rules_become_rows() {
        let t = json!({"Resources": {
            "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
                "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}],
                "SecurityGroupEgress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}]
            }},
            "In": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
                "GroupId": {"Fn::GetAtt": ["Db", "GroupId"]}, "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                "SourceSecurityGroupId": {"Fn::GetAtt": ["Sg", "GroupId"]}
            }}
        }});
        let rules = sg_rules(&t);
        assert_eq!(rules.len(), 3);
        assert!(
            rules
                .iter()
                .any(|r| r.group == "Db" && r.ports == "tcp 5432" && r.peer == "${Sg.GroupId}")
        );
        let web = rules.iter().find(|r| r.ports == "tcp 443").unwrap();
        assert!(web.open_to_world());
        assert!(
            rules
                .iter()
                .any(|r| r.direction == "out" && r.ports == "all")
        );
    }
}
