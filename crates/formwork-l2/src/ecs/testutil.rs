//! Helpers shared by the ECS unit tests.

use formwork_core::App;
use serde_json::Value as Json;

pub(crate) use formwork_test_support::{failed, of_type, one};

/// A stack `S` with the default VPC (two zones, public and private).
pub(crate) fn stack_with_vpc() -> (App, formwork_core::Stack, crate::ec2::Vpc) {
    crate::ec2::testutil::vpc_stack("S")
}

/// A public image, for containers that need no execution role.
pub(crate) fn nginx() -> crate::ecs::ContainerImage {
    crate::ecs::ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27")
}

/// The statements of a role's inline default policy in a template.
pub(crate) fn statements(t: &Json, role: &str) -> Json {
    t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].clone()
}

fn group_ref(v: &Json) -> String {
    match &v["Fn::GetAtt"] {
        Json::Array(a) => a[0].as_str().unwrap().to_owned(),
        _ => v.to_string(),
    }
}

/// Every ingress rule of a template, inline or separate, as
/// `group <- source protocol from-to`.
pub(crate) fn ingress_rules(t: &Json) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for (id, sg) in of_type(t, "AWS::EC2::SecurityGroup") {
        for r in sg["Properties"]["SecurityGroupIngress"]
            .as_array()
            .into_iter()
            .flatten()
        {
            out.insert(format!(
                "{id} <- {} {} {}-{}",
                r["CidrIp"].as_str().or(r["CidrIpv6"].as_str()).unwrap(),
                r["IpProtocol"].as_str().unwrap(),
                r["FromPort"],
                r["ToPort"]
            ));
        }
    }
    for (_, res) in of_type(t, "AWS::EC2::SecurityGroupIngress") {
        let p = &res["Properties"];
        let src = if p["SourceSecurityGroupId"].is_null() {
            p["CidrIp"].as_str().unwrap().to_owned()
        } else {
            group_ref(&p["SourceSecurityGroupId"])
        };
        out.insert(format!(
            "{} <- {src} {} {}-{}",
            group_ref(&p["GroupId"]),
            p["IpProtocol"].as_str().unwrap(),
            p["FromPort"],
            p["ToPort"]
        ));
    }
    out
}
