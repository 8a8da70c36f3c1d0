//! A whole-template snapshot of the load-balanced Fargate pattern with a
//! domain name, ECS Exec and managed tags (in `snapshots/`), through
//! cfn-lint: the diff of the snapshot is the review of a change.
#![cfg(feature = "load-balanced-fargate")]

use formwork_core::{App, Environment, Output};
use formwork_l2::ec2::{Vpc, VpcProps};
use formwork_l2::ecs::{ContainerImage, PropagateTags};
use formwork_l2::elasticloadbalancingv2::SslPolicy;
use formwork_l2::route53::{HostedZone, HostedZoneProps};
use formwork_l3::load_balanced_fargate::{
    ApplicationLoadBalancedFargateService, ApplicationLoadBalancedFargateServiceProps,
    TaskImageOptions,
};
use formwork_test_support::{lint, snapshot, template};

#[test]
fn fargate_service_on_a_domain_with_exec_and_tags() {
    let app = App::new();
    let s = app
        .stack_in("Api", Environment::agnostic().region("ap-northeast-1"))
        .unwrap();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
    let zone = HostedZone::new(&s, "Zone", HostedZoneProps::new("example.com")).unwrap();
    let api = ApplicationLoadBalancedFargateService::new(
        &s,
        "Api",
        ApplicationLoadBalancedFargateServiceProps::from_image(
            &vpc,
            TaskImageOptions::new(
                ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"),
                80,
            ),
        )
        .domain_name("api.example.com", &zone)
        .ssl_policy(SslPolicy::Tls12AndTls13Restricted)
        .enable_execute_command(true)
        .enable_ecs_managed_tags(true)
        .propagate_tags(PropagateTags::Service),
    )
    .unwrap();
    s.add_output("Url", Output::new(api.url())).unwrap();
    let asm = app.synth().unwrap_or_else(|e| panic!("{e}"));
    lint(&asm, "l3-fargate-domain");
    snapshot("l3-fargate-domain__Api", &asm.stacks[0].template);
    let t = template(&asm, "Api");
    assert_eq!(t["Outputs"]["Url"]["Value"], "https://api.example.com");
}
