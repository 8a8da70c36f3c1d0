//! Security groups open to the whole internet on ports other than web ports.

use formwork_core::Diagnostic;
use formwork_core::Value;
use formwork_core::rules::{Findings, ResourceView};

use crate::codes;
use crate::json::{int_of, items, str_of};

/// What a rule opens to the internet, when it does and it is more than
/// ports 80 and 443: the source and the ports, in words.
pub(crate) fn open_to_world(rule: &Value) -> Option<String> {
    open_to_world_by(|k| rule.get(k))
}

/// [`open_to_world`] over the fields `field` gives (a standalone ingress
/// resource's top-level properties are read one by one, without rendering
/// the resource).
fn open_to_world_by<'a>(field: impl Fn(&str) -> Option<&'a Value>) -> Option<String> {
    let source = [("CidrIp", "0.0.0.0/0"), ("CidrIpv6", "::/0")]
        .iter()
        .find(|(k, any)| str_of(field(k)) == Some(*any))
        .map(|(_, any)| *any)?;
    let protocol = match field("IpProtocol") {
        Some(Value::String(s)) => s.to_ascii_lowercase(),
        Some(Value::Int(i)) => i.to_string(),
        Some(Value::Float(x)) => x.to_string(),
        _ => return None,
    };
    match protocol.as_str() {
        "-1" | "all" => return Some(format!("every port and protocol to {source}")),
        "icmp" | "1" | "icmpv6" | "58" => return None,
        _ => {}
    }
    let (from, to) = (int_of(field("FromPort")), int_of(field("ToPort")));
    let (Some(from), Some(to)) = (from, to) else {
        return None;
    };
    let web = |p: i64| p == 80 || p == 443;
    if (from == to && web(from)) || (from == 80 && to == 80) {
        return None;
    }
    let ports = if from == to {
        format!("port {from}")
    } else if from <= 0 && to >= 65535 || from == -1 {
        "every port".to_owned()
    } else {
        format!("ports {from} to {to}")
    };
    Some(format!("{protocol} {ports} to {source}"))
}

fn report(r: &ResourceView<'_>, f: &mut Findings, property: String, what: String) {
    f.report(
        Diagnostic::error(
            codes::OPEN_INGRESS,
            r.path(),
            format!("the security group opens {what}: anyone on the internet can reach it"),
        )
        .property(property)
        .fix("allow a known source (a security group, a prefix list or your network's CIDR), or reach the host through Session Manager instead of SSH or RDP"),
    );
}

pub(crate) fn resource(r: &ResourceView<'_>, ty: &str, f: &mut Findings) {
    match ty {
        "AWS::EC2::SecurityGroup" => {
            for (i, rule) in items(r.property("SecurityGroupIngress"))
                .into_iter()
                .enumerate()
            {
                if let Some(what) = open_to_world(rule) {
                    report(r, f, format!("SecurityGroupIngress[{i}]"), what);
                }
            }
        }
        "AWS::EC2::SecurityGroupIngress" => {
            if let Some(what) = open_to_world_by(|k| r.property(k)) {
                report(r, f, "CidrIp".to_owned(), what);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn open_to_world(j: &serde_json::Value) -> Option<String> {
        super::open_to_world(&Value::from(j.clone()))
    }

    #[test]
    fn web_ports_pass_the_rest_is_named() {
        let rule = |cidr: &str, p: &str, from: i64, to: i64| json!({"CidrIp": cidr, "IpProtocol": p, "FromPort": from, "ToPort": to});
        assert_eq!(open_to_world(&rule("0.0.0.0/0", "tcp", 443, 443)), None);
        assert_eq!(open_to_world(&rule("0.0.0.0/0", "tcp", 80, 80)), None);
        assert_eq!(open_to_world(&rule("10.0.0.0/8", "tcp", 22, 22)), None);
        assert_eq!(
            open_to_world(&rule("0.0.0.0/0", "tcp", 22, 22)).as_deref(),
            Some("tcp port 22 to 0.0.0.0/0")
        );
        assert_eq!(
            open_to_world(&json!({"CidrIpv6": "::/0", "IpProtocol": "-1"})).as_deref(),
            Some("every port and protocol to ::/0")
        );
        assert_eq!(
            open_to_world(&rule("0.0.0.0/0", "tcp", 80, 443)).as_deref(),
            Some("tcp ports 80 to 443 to 0.0.0.0/0")
        );
    }
}
