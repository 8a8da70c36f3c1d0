//! The acceptance program: a resource that refers to itself, a
//! 4-zone VPC in ap-northeast-1 (3 zones), a literal `sk-…` key in a
//! Lambda environment variable and SSH open to the internet. Synth refuses
//! it with one finding for each, each naming its construct path.
#![cfg(all(feature = "ec2", feature = "lambda", feature = "ssm"))]

use formwork::ec2::{Peer, Port, SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
use formwork::lambda::{Code, Function, FunctionProps, Runtime};
use formwork::ssm::CfnParameter;
use formwork::{App, Context, Environment, Error};

#[test]
fn four_faults_give_four_findings_with_construct_paths() {
    let app = App::with_context(Context::new());
    let stack = app
        .stack_in(
            "Acceptance",
            Environment::agnostic().region("ap-northeast-1"),
        )
        .unwrap();
    let param = stack
        .add(
            "Loop",
            CfnParameter::new()
                .type_(formwork::ssm::parameter::Type::String)
                .value("x"),
        )
        .unwrap();
    param.add_property_override("Value", param.get_att("Value"));
    let vpc = Vpc::new(&stack, "Network", VpcProps::new().zone_count(4)).unwrap();
    Function::new(
        &stack,
        "Chat",
        FunctionProps::new(Code::inline("exports.handler = async () => 'ok';\n"))
            .runtime(Runtime::Nodejs24X)
            .handler("index.handler")
            .environment("OPENAI_API_KEY", "sk-proj-abcdefghijklmnopqrstuvwxyz012345"),
    )
    .unwrap();
    let sg = SecurityGroup::new(&stack, "Bastion", SecurityGroupProps::new(&vpc)).unwrap();
    sg.add_ingress_rule(&Peer::any_ipv4(), Port::tcp(22), "SSH from anywhere")
        .unwrap();

    let d = match app.synth() {
        Err(Error::Invalid(d)) => d,
        other => panic!("expected synth errors, got {other:?}"),
    };
    let found: Vec<(&str, &str)> = d.0.iter().map(|d| (d.code, d.path.as_str())).collect();
    assert!(found.contains(&("FW0206", "Acceptance/Loop")), "{d}");
    assert!(found.contains(&("FW5001", "Acceptance/Chat")), "{d}");
    assert!(found.contains(&("FW5020", "Acceptance/Bastion")), "{d}");
    let zones: Vec<&formwork::Diagnostic> = d.with_code("FW0207").collect();
    assert!(!zones.is_empty(), "{d}");
    assert!(
        zones
            .iter()
            .all(|z| z.path.starts_with("Acceptance/Network/")
                && z.message
                    .contains("ap-northeast-1 has 3 availability zones")),
        "{d}"
    );
    // The secret itself is never printed.
    assert!(!d.to_string().contains("abcdefghijklmnop"), "{d}");
}
