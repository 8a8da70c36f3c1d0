//! Tests of the load balancing constructs working together: reference
//! architecture C, the defaults, the ECS hand-off, every diagnostic, and a
//! full template through cfn-lint.

use formwork_core::{App, Diagnostic, Diagnostics, Environment, Stack};
use serde_json::{Value as Json, json};

use super::*;
use crate::certificatemanager::{self, Certificate};
use crate::ec2::{Connectable, SecurityGroup, SecurityGroupProps, SubnetType, Vpc, VpcProps};
use crate::s3::{Bucket, BucketProps, Encryption};

const ARN: &str =
    "arn:aws:acm:ap-northeast-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555";

use formwork_test_support::failed;

fn one(d: &Diagnostics, code: &str, path: &str, property: &str) -> Diagnostic {
    formwork_test_support::one_at(d, code, path, property)
}

use formwork_test_support::of_type;

fn setup() -> (App, Stack, Vpc) {
    let app = App::new();
    let s = app
        .stack_in("S", Environment::agnostic().region("ap-northeast-1"))
        .unwrap();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
    (app, s, vpc)
}

fn alb(s: &Stack, vpc: &Vpc) -> ApplicationLoadBalancer {
    ApplicationLoadBalancer::new(s, "Alb", ApplicationLoadBalancerProps::new(vpc)).unwrap()
}

fn tg(s: &Stack, vpc: &Vpc, id: &str) -> ApplicationTargetGroup {
    ApplicationTargetGroup::new(s, id, TargetGroupProps::new(vpc).port(8080)).unwrap()
}

#[test]
fn reference_architecture_c() {
    let app = App::new();
    let s = app.stack("Weather").unwrap();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
    let cert = Certificate::from_parameter(&s, "CertificateArn").unwrap();
    let alb =
        ApplicationLoadBalancer::new(&s, "Alb", ApplicationLoadBalancerProps::new(&vpc)).unwrap();
    let targets = ApplicationTargetGroup::new(
        &s,
        "AppTargets",
        TargetGroupProps::new(&vpc)
            .port(8501)
            .protocol(ApplicationProtocol::Http)
            .target_type(TargetType::Ip)
            .health_check(HealthCheck::new().path("/").interval_seconds(30)),
    )
    .unwrap();
    let https = alb
        .add_listener("Https", ListenerProps::https(443, &cert, &targets))
        .unwrap();
    let redirect = alb.add_redirect(80, 443).unwrap();
    assert_eq!(alb.listeners().len(), 2);
    assert_eq!(
        (https.port(), https.protocol()),
        (443, ApplicationProtocol::Https)
    );
    assert_eq!(redirect.protocol(), ApplicationProtocol::Http);

    let asm = formwork_test_support::synth_and_lint(&app, "elb-reference-c");
    let t = formwork_test_support::template(&asm, "Weather");
    assert_eq!(t["Parameters"]["CertificateArn"]["Type"], "String");
    assert_eq!(
        t["Resources"]["AlbHttps"],
        json!({
            "Type": "AWS::ElasticLoadBalancingV2::Listener",
            "Properties": {
                "Certificates": [{"CertificateArn": {"Ref": "CertificateArn"}}],
                "DefaultActions": [{"TargetGroupArn": {"Ref": "AppTargets"}, "Type": "forward"}],
                "LoadBalancerArn": {"Ref": "Alb"},
                "Port": 443,
                "Protocol": "HTTPS",
                "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"
            }
        })
    );
    assert_eq!(
        t["Resources"]["AppTargets"],
        json!({
            "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
            "Properties": {
                "HealthCheckIntervalSeconds": 30,
                "HealthCheckPath": "/",
                "Port": 8501,
                "Protocol": "HTTP",
                "TargetType": "ip",
                "VpcId": {"Ref": "Vpc"}
            }
        })
    );
    assert_eq!(
        t["Resources"]["AlbRedirect80To443"],
        json!({
            "Type": "AWS::ElasticLoadBalancingV2::Listener",
            "Properties": {
                "DefaultActions": [{
                    "RedirectConfig": {"Port": "443", "Protocol": "HTTPS", "StatusCode": "HTTP_301"},
                    "Type": "redirect"
                }],
                "LoadBalancerArn": {"Ref": "Alb"},
                "Port": 80,
                "Protocol": "HTTP"
            }
        })
    );
    // The load balancer's group: 443 and 80 from anywhere, nothing else in.
    let sg = &t["Resources"]["AlbSecurityGroup"]["Properties"];
    let ingress: Vec<(Json, Json, Json, Json)> = sg["SecurityGroupIngress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["CidrIp"].clone(),
                r["IpProtocol"].clone(),
                r["FromPort"].clone(),
                r["ToPort"].clone(),
            )
        })
        .collect();
    assert_eq!(
        ingress,
        [
            (json!("0.0.0.0/0"), json!("tcp"), json!(443), json!(443)),
            (json!("0.0.0.0/0"), json!("tcp"), json!(80), json!(80)),
        ]
    );
    assert!(of_type(&t, "AWS::EC2::SecurityGroupIngress").is_empty());
    assert_eq!(
        sg["SecurityGroupEgress"][0]["CidrIp"], "255.255.255.255/32",
        "no outbound until targets register"
    );
}

#[test]
fn defaults() {
    let (app, s, vpc) = setup();
    let alb = alb(&s, &vpc);
    assert!(alb.is_internet_facing());
    assert_eq!(alb.security_group().scope().path(), "S/Alb/SecurityGroup");
    assert_eq!(alb.connections().security_groups().len(), 1);
    assert_eq!(alb.vpc().scope().path(), "S/Vpc");
    s.add_output("Dns", formwork_core::Output::new(alb.dns_name()))
        .unwrap();
    s.add_output(
        "Zone",
        formwork_core::Output::new(alb.canonical_hosted_zone_id()),
    )
    .unwrap();
    s.add_output("Arn", formwork_core::Output::new(alb.load_balancer_arn()))
        .unwrap();
    s.add_output(
        "Name",
        formwork_core::Output::new(alb.load_balancer_full_name()),
    )
    .unwrap();
    let t = formwork_test_support::template(
        &formwork_test_support::synth_and_lint(&app, "elb-defaults"),
        "S",
    );
    assert_eq!(
        t["Resources"]["Alb"],
        json!({
            "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "DependsOn": ["VpcPublicSubnet1DefaultRoute", "VpcPublicSubnet2DefaultRoute"],
            "Properties": {
                "LoadBalancerAttributes": [{"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}],
                "Scheme": "internet-facing",
                "SecurityGroups": [{"Fn::GetAtt": ["AlbSecurityGroup", "GroupId"]}],
                "Subnets": [{"Ref": "VpcPublicSubnet1Subnet"}, {"Ref": "VpcPublicSubnet2Subnet"}],
                "Type": "application"
            }
        })
    );
    assert!(
        t["Resources"]["AlbSecurityGroup"]["Properties"]
            .get("SecurityGroupIngress")
            .is_none()
    );
    assert_eq!(
        t["Outputs"]["Dns"]["Value"],
        json!({"Fn::GetAtt": ["Alb", "DNSName"]})
    );
    assert_eq!(
        t["Outputs"]["Zone"]["Value"],
        json!({"Fn::GetAtt": ["Alb", "CanonicalHostedZoneID"]})
    );
    assert_eq!(t["Outputs"]["Arn"]["Value"], json!({"Ref": "Alb"}));
    assert_eq!(
        t["Outputs"]["Name"]["Value"],
        json!({"Fn::GetAtt": ["Alb", "LoadBalancerFullName"]})
    );
}

#[test]
fn internal_load_balancers_use_private_subnets_and_open_nothing() {
    let (app, s, vpc) = setup();
    let alb = ApplicationLoadBalancer::new(
        &s,
        "Alb",
        ApplicationLoadBalancerProps::new(&vpc).scheme(LoadBalancerScheme::Internal),
    )
    .unwrap();
    let t = tg(&s, &vpc, "Targets");
    alb.add_listener("Http", ListenerProps::http(80, &t))
        .unwrap();
    let tpl = formwork_test_support::template(
        &formwork_test_support::synth_and_lint(&app, "elb-internal"),
        "S",
    );
    let lb = &tpl["Resources"]["Alb"];
    assert_eq!(lb["Properties"]["Scheme"], "internal");
    assert_eq!(
        lb["Properties"]["Subnets"],
        json!([{"Ref": "VpcPrivateSubnet1Subnet"}, {"Ref": "VpcPrivateSubnet2Subnet"}])
    );
    assert!(lb.get("DependsOn").is_none());
    assert!(
        tpl["Resources"]["AlbSecurityGroup"]["Properties"]
            .get("SecurityGroupIngress")
            .is_none()
    );
}

#[test]
fn open_can_be_switched_and_dual_stack_opens_ipv6() {
    let (app, s, vpc) = setup();
    let alb = ApplicationLoadBalancer::new(
        &s,
        "Alb",
        ApplicationLoadBalancerProps::new(&vpc)
            .ip_address_type(LoadBalancerIpAddressType::DualStack),
    )
    .unwrap();
    alb.add_listener("Http", ListenerProps::http(80, FixedResponse::new(404)))
        .unwrap();
    alb.add_listener(
        "Closed",
        ListenerProps::http(8080, FixedResponse::new(404)).open(false),
    )
    .unwrap();
    let t = app.synth().unwrap().template_json("S").unwrap();
    assert_eq!(
        t["Resources"]["Alb"]["Properties"]["IpAddressType"],
        "dualstack"
    );
    let ingress = &t["Resources"]["AlbSecurityGroup"]["Properties"]["SecurityGroupIngress"];
    assert_eq!(ingress.as_array().unwrap().len(), 2);
    assert_eq!(ingress[0]["CidrIp"], "0.0.0.0/0");
    assert_eq!(ingress[1]["CidrIpv6"], "::/0");
    assert_eq!(ingress[1]["FromPort"], 80);
}

#[test]
fn services_wait_for_listeners_and_get_traffic_in_any_order() {
    let (app, s, vpc) = setup();
    let targets =
        ApplicationTargetGroup::new(&s, "Targets", TargetGroupProps::new(&vpc).port(8501)).unwrap();
    let service_sg =
        SecurityGroup::new(&s, "ServiceSecurityGroup", SecurityGroupProps::new(&vpc)).unwrap();
    let early = s
        .add("Early", formwork_l1::ec2::CfnEip::new().domain("vpc"))
        .unwrap();
    targets.register_service(&early, &service_sg, 8501).unwrap();
    let alb = alb(&s, &vpc);
    let listener = alb
        .add_listener("Http", ListenerProps::http(80, FixedResponse::new(404)))
        .unwrap();
    let rule = listener
        .add_rule(
            "App",
            ListenerRuleProps::new(5, &targets)
                .condition(ListenerCondition::path_patterns(["/app/*"])),
        )
        .unwrap();
    let late = s
        .add("Late", formwork_l1::ec2::CfnEip::new().domain("vpc"))
        .unwrap();
    targets.add_dependent(&late);
    targets.add_dependent(&late);
    let https = alb
        .add_listener(
            "Https",
            ListenerProps::https(443, &Certificate::from_arn(ARN), &targets),
        )
        .unwrap();
    assert_eq!(
        targets
            .listener_resources()
            .iter()
            .map(|r| r.logical_id())
            .collect::<Vec<_>>(),
        ["AlbHttpApp", "AlbHttps"]
    );
    assert_eq!(rule.priority(), 5);
    assert_eq!(listener.rules().len(), 1);
    assert_eq!(https.cfn().logical_id(), "AlbHttps");
    let t = formwork_test_support::template(
        &formwork_test_support::synth_and_lint(&app, "elb-ecs"),
        "S",
    );
    assert_eq!(
        t["Resources"]["Early"]["DependsOn"],
        json!(["AlbHttpApp", "AlbHttps"])
    );
    assert_eq!(
        t["Resources"]["Late"]["DependsOn"],
        json!(["AlbHttpApp", "AlbHttps"])
    );
    // One pair of rules for the one load balancer, whatever the number of listeners.
    let ingress = of_type(&t, "AWS::EC2::SecurityGroupIngress");
    assert_eq!(ingress.len(), 1, "{ingress:?}");
    let p = &ingress[0].1["Properties"];
    assert_eq!(
        p["GroupId"],
        json!({"Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]})
    );
    assert_eq!(
        p["SourceSecurityGroupId"],
        json!({"Fn::GetAtt": ["AlbSecurityGroup", "GroupId"]})
    );
    assert_eq!(
        (p["FromPort"].clone(), p["ToPort"].clone()),
        (json!(8501), json!(8501))
    );
    let egress = of_type(&t, "AWS::EC2::SecurityGroupEgress");
    assert_eq!(egress.len(), 1, "{egress:?}");
    let p = &egress[0].1["Properties"];
    assert_eq!(
        p["GroupId"],
        json!({"Fn::GetAtt": ["AlbSecurityGroup", "GroupId"]})
    );
    assert_eq!(
        p["DestinationSecurityGroupId"],
        json!({"Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]})
    );
}

#[test]
fn a_fixed_health_check_port_is_allowed_too() {
    let (app, s, vpc) = setup();
    let targets = ApplicationTargetGroup::new(
        &s,
        "Targets",
        TargetGroupProps::new(&vpc)
            .port(8501)
            .health_check(HealthCheck::new().port(HealthCheckPort::Port(8000))),
    )
    .unwrap();
    let alb = alb(&s, &vpc);
    alb.add_listener("Http", ListenerProps::http(80, &targets))
        .unwrap();
    let service_sg =
        SecurityGroup::new(&s, "ServiceSecurityGroup", SecurityGroupProps::new(&vpc)).unwrap();
    targets
        .register_connectable(&service_sg, crate::ec2::Port::tcp(8501))
        .unwrap();
    let t = formwork_test_support::template(
        &formwork_test_support::synth_and_lint(&app, "elb-hc-port"),
        "S",
    );
    assert_eq!(
        t["Resources"]["Targets"]["Properties"]["HealthCheckPort"],
        "8000"
    );
    let ports: Vec<Json> = of_type(&t, "AWS::EC2::SecurityGroupIngress")
        .iter()
        .map(|(_, r)| r["Properties"]["FromPort"].clone())
        .collect();
    assert_eq!(ports, [json!(8501), json!(8000)]);
}

#[test]
fn full_template_passes_cfn_lint() {
    let (app, s, vpc) = setup();
    let logs = Bucket::new(&s, "AlbLogs", BucketProps::new()).unwrap();
    let alb = ApplicationLoadBalancer::new(
        &s,
        "Alb",
        ApplicationLoadBalancerProps::new(&vpc)
            .subnets(SubnetType::Public)
            .load_balancer_name("weather-alb")
            .idle_timeout_seconds(120)
            .deletion_protection(false)
            .http2(true)
            .drop_invalid_header_fields(true)
            .access_logs(&logs, Some("alb"))
            .tag("team", "weather"),
    )
    .unwrap();
    let cert = Certificate::from_parameter(&s, "CertificateArn").unwrap();
    let app_tg = ApplicationTargetGroup::new(
        &s,
        "AppTargets",
        TargetGroupProps::new(&vpc)
            .port(8501)
            .health_check(
                HealthCheck::new()
                    .path("/health")
                    .interval_seconds(30)
                    .timeout_seconds(5)
                    .healthy_threshold(2)
                    .unhealthy_threshold(3)
                    .healthy_http_codes("200-399")
                    .protocol(ApplicationProtocol::Http)
                    .port(HealthCheckPort::TrafficPort),
            )
            .deregistration_delay_seconds(30)
            .slow_start_seconds(60)
            .stickiness(Stickiness::lb_cookie(3600))
            .target_group_name("weather-app")
            .tag("team", "weather"),
    )
    .unwrap();
    let api = ApplicationTargetGroup::new(
        &s,
        "ApiTargets",
        TargetGroupProps::new(&vpc)
            .port(8000)
            .protocol_version(ProtocolVersion::Http2)
            .stickiness(Stickiness::app_cookie("session", 600)),
    )
    .unwrap();
    let grpc = ApplicationTargetGroup::new(
        &s,
        "GrpcTargets",
        TargetGroupProps::new(&vpc)
            .port(50051)
            .target_type(TargetType::Instance)
            .protocol_version(ProtocolVersion::Grpc)
            .health_check(HealthCheck::new().healthy_grpc_codes("0-99")),
    )
    .unwrap();
    grpc.add_target("i-0123456789abcdef0", Some(50051));
    let green =
        ApplicationTargetGroup::new(&s, "GreenTargets", TargetGroupProps::new(&vpc).port(8501))
            .unwrap();
    let function = ApplicationTargetGroup::new(
        &s,
        "FunctionTargets",
        TargetGroupProps::lambda()
            .health_check(HealthCheck::new().path("/ping").interval_seconds(60)),
    )
    .unwrap();
    let https = alb
        .add_listener(
            "Https",
            ListenerProps::https(443, &cert, &app_tg)
                .certificate(&Certificate::from_arn(ARN))
                .ssl_policy(SslPolicy::Tls12AndTls13Restricted),
        )
        .unwrap();
    alb.add_redirect(80, 443).unwrap();
    https
        .add_rule(
            "Api",
            ListenerRuleProps::new(10, &api)
                .condition(ListenerCondition::path_patterns(["/api/*", "/v2/*"])),
        )
        .unwrap();
    https
        .add_rule(
            "Admin",
            ListenerRuleProps::new(
                20,
                FixedResponse::new(403)
                    .content_type(FixedResponseContentType::TextPlain)
                    .message_body("forbidden"),
            )
            .conditions([
                ListenerCondition::host_headers(["admin.example.com"]),
                ListenerCondition::http_request_methods(["POST"]),
                ListenerCondition::source_ips(["203.0.113.0/24", "2001:db8::/32"]),
            ]),
        )
        .unwrap();
    https
        .add_rule(
            "Canary",
            ListenerRuleProps::new(
                30,
                ListenerAction::weighted_forward([(&app_tg, 90), (&green, 10)])
                    .stickiness_seconds(300),
            )
            .condition(ListenerCondition::http_header("X-Canary", ["yes"])),
        )
        .unwrap();
    https
        .add_rule(
            "Old",
            ListenerRuleProps::new(
                40,
                Redirect::new()
                    .path("/new/#{path}")
                    .query("from=old")
                    .temporary(),
            )
            .condition(ListenerCondition::query_strings([("version", "1")])),
        )
        .unwrap();
    https
        .add_rule(
            "Grpc",
            ListenerRuleProps::new(50, &grpc)
                .condition(ListenerCondition::query_string_values(["grpc"])),
        )
        .unwrap();
    https
        .add_rule(
            "Fn",
            ListenerRuleProps::new(60, &function)
                .condition(ListenerCondition::path_patterns(["/fn"])),
        )
        .unwrap();
    let service_sg =
        SecurityGroup::new(&s, "ServiceSecurityGroup", SecurityGroupProps::new(&vpc)).unwrap();
    let service = s
        .add("Service", formwork_l1::ec2::CfnEip::new().domain("vpc"))
        .unwrap();
    app_tg
        .register_service(&service, &service_sg, 8501)
        .unwrap();

    let asm = formwork_test_support::synth_and_lint(&app, "elb-full");
    let t = formwork_test_support::template(&asm, "S");
    let r = &t["Resources"];
    assert_eq!(
        r["Alb"]["Properties"]["LoadBalancerAttributes"],
        json!([
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"},
            {"Key": "routing.http2.enabled", "Value": "true"},
            {"Key": "deletion_protection.enabled", "Value": "false"},
            {"Key": "idle_timeout.timeout_seconds", "Value": "120"},
            {"Key": "access_logs.s3.enabled", "Value": "true"},
            {"Key": "access_logs.s3.bucket", "Value": {"Ref": "AlbLogs"}},
            {"Key": "access_logs.s3.prefix", "Value": "alb"}
        ])
    );
    assert_eq!(r["Alb"]["Properties"]["Name"], "weather-alb");
    assert_eq!(
        r["Alb"]["Properties"]["Tags"],
        json!([{"Key": "team", "Value": "weather"}])
    );
    assert_eq!(
        r["Alb"]["DependsOn"],
        json!([
            "VpcPublicSubnet1DefaultRoute",
            "VpcPublicSubnet2DefaultRoute",
            "AlbLogsPolicy"
        ])
    );
    let statements = r["AlbLogsPolicy"]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    assert_eq!(
        statements.last().unwrap(),
        &json!({
            "Effect": "Allow",
            "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": {"Fn::Sub": "${AlbLogs.Arn}/alb/AWSLogs/${AWS::AccountId}/*"}
        })
    );
    assert_eq!(
        r["AlbHttps"]["Properties"]["SslPolicy"],
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
    );
    assert_eq!(
        r["AlbHttpsCertificates"],
        json!({
            "Type": "AWS::ElasticLoadBalancingV2::ListenerCertificate",
            "Properties": {"Certificates": [{"CertificateArn": ARN}], "ListenerArn": {"Ref": "AlbHttps"}}
        })
    );
    assert_eq!(
        r["AppTargets"]["Properties"],
        json!({
            "HealthCheckIntervalSeconds": 30,
            "HealthCheckPath": "/health",
            "HealthCheckPort": "traffic-port",
            "HealthCheckProtocol": "HTTP",
            "HealthCheckTimeoutSeconds": 5,
            "HealthyThresholdCount": 2,
            "Matcher": {"HttpCode": "200-399"},
            "Name": "weather-app",
            "Port": 8501,
            "Protocol": "HTTP",
            "Tags": [{"Key": "team", "Value": "weather"}],
            "TargetGroupAttributes": [
                {"Key": "deregistration_delay.timeout_seconds", "Value": "30"},
                {"Key": "slow_start.duration_seconds", "Value": "60"},
                {"Key": "stickiness.enabled", "Value": "true"},
                {"Key": "stickiness.type", "Value": "lb_cookie"},
                {"Key": "stickiness.lb_cookie.duration_seconds", "Value": "3600"}
            ],
            "TargetType": "ip",
            "UnhealthyThresholdCount": 3,
            "VpcId": {"Ref": "Vpc"}
        })
    );
    assert_eq!(r["ApiTargets"]["Properties"]["ProtocolVersion"], "HTTP2");
    assert_eq!(
        r["ApiTargets"]["Properties"]["TargetGroupAttributes"][2],
        json!({"Key": "stickiness.app_cookie.cookie_name", "Value": "session"})
    );
    assert_eq!(
        r["GrpcTargets"]["Properties"]["Matcher"],
        json!({"GrpcCode": "0-99"})
    );
    assert_eq!(
        r["GrpcTargets"]["Properties"]["Targets"],
        json!([{"Id": "i-0123456789abcdef0", "Port": 50051}])
    );
    assert_eq!(
        r["FunctionTargets"]["Properties"],
        json!({"HealthCheckEnabled": true, "HealthCheckIntervalSeconds": 60, "HealthCheckPath": "/ping", "TargetType": "lambda"})
    );
    assert_eq!(
        r["AlbHttpsApi"]["Properties"],
        json!({
            "Actions": [{"TargetGroupArn": {"Ref": "ApiTargets"}, "Type": "forward"}],
            "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*", "/v2/*"]}}],
            "ListenerArn": {"Ref": "AlbHttps"},
            "Priority": 10
        })
    );
    assert_eq!(
        r["AlbHttpsAdmin"]["Properties"]["Actions"],
        json!([{
            "FixedResponseConfig": {"ContentType": "text/plain", "MessageBody": "forbidden", "StatusCode": "403"},
            "Type": "fixed-response"
        }])
    );
    assert_eq!(
        r["AlbHttpsAdmin"]["Properties"]["Conditions"],
        json!([
            {"Field": "host-header", "HostHeaderConfig": {"Values": ["admin.example.com"]}},
            {"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["POST"]}},
            {"Field": "source-ip", "SourceIpConfig": {"Values": ["203.0.113.0/24", "2001:db8::/32"]}}
        ])
    );
    assert_eq!(
        r["AlbHttpsCanary"]["Properties"]["Actions"],
        json!([{
            "ForwardConfig": {
                "TargetGroupStickinessConfig": {"DurationSeconds": 300, "Enabled": true},
                "TargetGroups": [
                    {"TargetGroupArn": {"Ref": "AppTargets"}, "Weight": 90},
                    {"TargetGroupArn": {"Ref": "GreenTargets"}, "Weight": 10}
                ]
            },
            "Type": "forward"
        }])
    );
    assert_eq!(
        r["AlbHttpsCanary"]["Properties"]["Conditions"],
        json!([{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Canary", "Values": ["yes"]}}])
    );
    assert_eq!(
        r["AlbHttpsOld"]["Properties"]["Actions"],
        json!([{
            "RedirectConfig": {"Path": "/new/#{path}", "Query": "from=old", "StatusCode": "HTTP_302"},
            "Type": "redirect"
        }])
    );
    assert_eq!(
        r["AlbHttpsOld"]["Properties"]["Conditions"],
        json!([{"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "version", "Value": "1"}]}}])
    );
    assert_eq!(
        r["AlbHttpsGrpc"]["Properties"]["Conditions"],
        json!([{"Field": "query-string", "QueryStringConfig": {"Values": [{"Value": "grpc"}]}}])
    );
    assert_eq!(
        r["Service"]["DependsOn"],
        json!(["AlbHttps", "AlbHttpsCanary"])
    );
}

// ---- diagnostics ----

#[test]
fn fw3101_certificates_match_the_protocol() {
    let (app, s, vpc) = setup();
    let alb = alb(&s, &vpc);
    alb.add_listener(
        "NoCert",
        ListenerProps::new(443, ApplicationProtocol::Https, FixedResponse::new(404)),
    )
    .unwrap();
    let cert = Certificate::from_arn(ARN);
    alb.add_listener(
        "CertOnHttp",
        ListenerProps::http(80, FixedResponse::new(404)).certificate(&cert),
    )
    .unwrap();
    alb.add_listener(
        "PolicyOnHttp",
        ListenerProps::http(81, FixedResponse::new(404)).ssl_policy(SslPolicy::Tls13Only),
    )
    .unwrap();
    let d = failed(&app);
    let all: Vec<&Diagnostic> = d.with_code(codes::LISTENER_CERTIFICATE).collect();
    assert_eq!(all.len(), 3, "{d}");
    assert_eq!(
        (all[0].path.as_str(), all[0].property.as_deref()),
        ("S/Alb/NoCert", Some("Certificates"))
    );
    assert_eq!(
        all[0].message,
        "an HTTPS listener needs a certificate; found none"
    );
    assert_eq!(
        (all[1].path.as_str(), all[1].property.as_deref()),
        ("S/Alb/CertOnHttp", Some("Certificates"))
    );
    assert_eq!(all[1].message, "an HTTP listener takes no certificate");
    assert_eq!(
        (all[2].path.as_str(), all[2].property.as_deref()),
        ("S/Alb/PolicyOnHttp", Some("SslPolicy"))
    );
}

#[test]
fn fw3102_one_listener_per_port() {
    let (app, s, vpc) = setup();
    let alb = alb(&s, &vpc);
    alb.add_listener("A", ListenerProps::http(80, FixedResponse::new(404)))
        .unwrap();
    alb.add_redirect(80, 443).unwrap();
    let d = failed(&app);
    let e = one(&d, codes::LISTENER_PORT, "S/Alb/Redirect80To443", "Port");
    assert_eq!(e.message, "port 80 has a listener already: S/Alb/A");
    let (app, s, vpc) = setup();
    alb_with_port_zero(&s, &vpc);
    let e = one(&failed(&app), codes::LISTENER_PORT, "S/Alb/Zero", "Port");
    assert!(e.message.contains("port 0 is out of range"));
}

fn alb_with_port_zero(s: &Stack, vpc: &Vpc) {
    alb(s, vpc)
        .add_listener("Zero", ListenerProps::http(0, FixedResponse::new(404)))
        .unwrap();
}

#[test]
fn fw3103_priorities_are_unique_per_listener() {
    let (app, s, vpc) = setup();
    let alb = alb(&s, &vpc);
    let a = alb
        .add_listener("A", ListenerProps::http(80, FixedResponse::new(404)))
        .unwrap();
    let b = alb
        .add_listener("B", ListenerProps::http(81, FixedResponse::new(404)))
        .unwrap();
    let rule = |p| {
        ListenerRuleProps::new(p, FixedResponse::new(200))
            .condition(ListenerCondition::path_patterns(["/x"]))
    };
    a.add_rule("One", rule(7)).unwrap();
    b.add_rule("Same", rule(7)).unwrap();
    a.add_rule("Two", rule(7)).unwrap();
    let d = failed(&app);
    let e = one(&d, codes::RULE_PRIORITY, "S/Alb/A/Two", "Priority");
    assert_eq!(
        e.message,
        "priority 7 is taken by S/Alb/A/One on this listener"
    );
}

#[test]
fn fw3104_forward_actions() {
    let (app, s, vpc) = setup();
    let alb = alb(&s, &vpc);
    let groups: Vec<ApplicationTargetGroup> =
        (0..6).map(|i| tg(&s, &vpc, &format!("T{i}"))).collect();
    let l = |id: &str, port: u16, a: ListenerAction| {
        alb.add_listener(id, ListenerProps::http(port, a)).unwrap();
    };
    l("Empty", 80, ListenerAction::weighted_forward([]));
    l(
        "Six",
        81,
        ListenerAction::weighted_forward(groups.iter().map(|g| (g, 1))),
    );
    l(
        "Heavy",
        82,
        ListenerAction::weighted_forward([(&groups[0], 1000)]),
    );
    l(
        "Twice",
        83,
        ListenerAction::weighted_forward([(&groups[0], 1), (&groups[0], 2)]),
    );
    l(
        "Sticky",
        84,
        ListenerAction::forward(&groups[0]).stickiness_seconds(0),
    );
    l(
        "StickyFixed",
        85,
        ListenerAction::fixed_response(FixedResponse::new(200)).stickiness_seconds(10),
    );
    let d = failed(&app);
    let all: Vec<&Diagnostic> = d.with_code(codes::FORWARD).collect();
    let got: Vec<(&str, Option<&str>)> = all
        .iter()
        .map(|d| (d.path.as_str(), d.property.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("S/Alb/Empty", Some("DefaultActions[0]")),
            ("S/Alb/Six", Some("DefaultActions[0]")),
            (
                "S/Alb/Heavy",
                Some("DefaultActions[0].ForwardConfig.TargetGroups[0].Weight")
            ),
            (
                "S/Alb/Twice",
                Some("DefaultActions[0].ForwardConfig.TargetGroups[1]")
            ),
            (
                "S/Alb/Sticky",
                Some("DefaultActions[0].ForwardConfig.TargetGroupStickinessConfig.DurationSeconds")
            ),
            (
                "S/Alb/StickyFixed",
                Some("DefaultActions[0].ForwardConfig.TargetGroupStickinessConfig")
            ),
        ]
    );
    assert_eq!(
        all[1].message,
        "a forward action has 6 target groups; allowed: up to 5"
    );
    assert_eq!(
        all[2].message,
        "the weight 1000 is out of range; allowed: 0 to 999"
    );
    assert_eq!(
        all[3].message,
        "the target group S/T0 is in the action twice"
    );
}

#[test]
fn fw3105_fixed_responses() {
    let (app, s, vpc) = setup();
    let alb = alb(&s, &vpc);
    alb.add_listener("Status", ListenerProps::http(80, FixedResponse::new(302)))
        .unwrap();
    alb.add_listener(
        "Body",
        ListenerProps::http(81, FixedResponse::new(200).message_body("x".repeat(1025))),
    )
    .unwrap();
    let d = failed(&app);
    let all: Vec<&Diagnostic> = d.with_code(codes::FIXED_RESPONSE).collect();
    assert_eq!(all.len(), 2, "{d}");
    assert_eq!(
        all[0].property.as_deref(),
        Some("DefaultActions[0].FixedResponseConfig.StatusCode")
    );
    assert_eq!(
        all[0].message,
        "the status code 302 is not allowed; allowed: 2XX, 4XX or 5XX"
    );
    assert_eq!(all[1].path, "S/Alb/Body");
    assert_eq!(
        all[1].message,
        "the body has 1025 characters; allowed: up to 1024"
    );
}

#[test]
fn fw3106_redirects() {
    let (app, s, vpc) = setup();
    let alb = alb(&s, &vpc);
    let cert = Certificate::from_arn(ARN);
    alb.add_listener("Loop", ListenerProps::http(80, Redirect::new()))
        .unwrap();
    alb.add_listener("Path", ListenerProps::http(81, Redirect::new().path("new")))
        .unwrap();
    alb.add_listener(
        "Query",
        ListenerProps::http(82, Redirect::new().query("?a=1")),
    )
    .unwrap();
    alb.add_listener("Port", ListenerProps::http(83, Redirect::new().port(0)))
        .unwrap();
    alb.add_listener(
        "Down",
        ListenerProps::https(
            443,
            &cert,
            Redirect::new().protocol(RedirectProtocol::Http).port(80),
        ),
    )
    .unwrap();
    let d = failed(&app);
    let all: Vec<&Diagnostic> = d.with_code(codes::REDIRECT).collect();
    let got: Vec<(&str, Option<&str>)> = all
        .iter()
        .map(|d| (d.path.as_str(), d.property.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("S/Alb/Loop", Some("DefaultActions[0].RedirectConfig")),
            ("S/Alb/Path", Some("DefaultActions[0].RedirectConfig.Path")),
            (
                "S/Alb/Query",
                Some("DefaultActions[0].RedirectConfig.Query")
            ),
            ("S/Alb/Port", Some("DefaultActions[0].RedirectConfig.Port")),
            (
                "S/Alb/Down",
                Some("DefaultActions[0].RedirectConfig.Protocol")
            ),
        ]
    );
    assert!(all[0].message.contains("forever"));
    assert_eq!(
        all[4].message,
        "an HTTPS listener cannot redirect to HTTP; allowed: HTTPS"
    );
}

#[test]
fn fw3107_rule_conditions() {
    let (app, s, vpc) = setup();
    let alb = alb(&s, &vpc);
    let l = alb
        .add_listener("L", ListenerProps::http(80, FixedResponse::new(404)))
        .unwrap();
    let mut priority = 0;
    let mut rule = |id: &str, conditions: Vec<ListenerCondition>| {
        priority += 1;
        l.add_rule(
            id,
            ListenerRuleProps::new(priority, FixedResponse::new(200)).conditions(conditions),
        )
        .unwrap();
    };
    rule("None", vec![]);
    rule(
        "TwoPaths",
        vec![
            ListenerCondition::path_patterns(["/a"]),
            ListenerCondition::path_patterns(["/b"]),
        ],
    );
    rule(
        "NoValue",
        vec![ListenerCondition::host_headers(Vec::<String>::new())],
    );
    rule(
        "Six",
        vec![ListenerCondition::path_patterns([
            "/1", "/2", "/3", "/4", "/5", "/6",
        ])],
    );
    rule("BadPath", vec![ListenerCondition::path_patterns(["/a b"])]);
    rule(
        "BadHost",
        vec![ListenerCondition::host_headers(["localhost"])],
    );
    rule(
        "BadMethod",
        vec![ListenerCondition::http_request_methods(["get"])],
    );
    rule("BadIp", vec![ListenerCondition::source_ips(["10.0.0.1/8"])]);
    rule(
        "BadHeader",
        vec![ListenerCondition::http_header("X:Y", ["1"])],
    );
    rule(
        "EmptyValue",
        vec![ListenerCondition::query_string_values([""])],
    );
    rule(
        "LongKey",
        vec![ListenerCondition::query_strings([("k".repeat(129), "v")])],
    );
    let d = failed(&app);
    let all: Vec<&Diagnostic> = d.with_code(codes::RULE_CONDITION).collect();
    let got: Vec<(&str, Option<&str>)> = all
        .iter()
        .map(|d| (d.path.as_str(), d.property.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("S/Alb/L/None", Some("Conditions")),
            ("S/Alb/L/TwoPaths", Some("Conditions[1]")),
            ("S/Alb/L/NoValue", Some("Conditions[0]")),
            ("S/Alb/L/Six", Some("Conditions")),
            ("S/Alb/L/BadPath", Some("Conditions[0].Values[0]")),
            ("S/Alb/L/BadHost", Some("Conditions[0].Values[0]")),
            ("S/Alb/L/BadMethod", Some("Conditions[0].Values[0]")),
            ("S/Alb/L/BadIp", Some("Conditions[0].Values[0]")),
            (
                "S/Alb/L/BadHeader",
                Some("Conditions[0].HttpHeaderConfig.HttpHeaderName")
            ),
            ("S/Alb/L/EmptyValue", Some("Conditions[0].Values[0]")),
            (
                "S/Alb/L/LongKey",
                Some("Conditions[0].QueryStringConfig.Values[0].Key")
            ),
        ],
        "{d}"
    );
    assert_eq!(
        all[3].message,
        "the rule's conditions have 6 values; allowed: up to 5 per rule"
    );
    assert!(all[5].message.contains("has no `.`"));
    assert!(all[7].message.contains("bits set after its prefix length"));
}

#[test]
fn fw3108_health_checks() {
    let (app, s, vpc) = setup();
    let hc = |id: &str, h: HealthCheck| {
        ApplicationTargetGroup::new(&s, id, TargetGroupProps::new(&vpc).health_check(h)).unwrap();
    };
    hc(
        "Slow",
        HealthCheck::new().interval_seconds(10).timeout_seconds(10),
    );
    hc("DefaultInterval", HealthCheck::new().timeout_seconds(30));
    hc("Interval", HealthCheck::new().interval_seconds(3));
    hc("Timeout", HealthCheck::new().timeout_seconds(121));
    hc("Healthy", HealthCheck::new().healthy_threshold(11));
    hc("Unhealthy", HealthCheck::new().unhealthy_threshold(1));
    hc("Path", HealthCheck::new().path("health"));
    hc("Codes", HealthCheck::new().healthy_http_codes("200-600"));
    hc("Grpc", HealthCheck::new().healthy_grpc_codes("0"));
    hc(
        "Both",
        HealthCheck::new()
            .healthy_grpc_codes("0")
            .healthy_http_codes("200"),
    );
    hc("Port", HealthCheck::new().port(HealthCheckPort::Port(0)));
    ApplicationTargetGroup::new(
        &s,
        "HttpOnGrpc",
        TargetGroupProps::new(&vpc)
            .protocol_version(ProtocolVersion::Grpc)
            .health_check(HealthCheck::new().healthy_http_codes("200")),
    )
    .unwrap();
    ApplicationTargetGroup::new(
        &s,
        "BadGrpc",
        TargetGroupProps::new(&vpc)
            .protocol_version(ProtocolVersion::Grpc)
            .health_check(HealthCheck::new().healthy_grpc_codes("100")),
    )
    .unwrap();
    ApplicationTargetGroup::new(
        &s,
        "LambdaSlow",
        TargetGroupProps::lambda().health_check(HealthCheck::new().interval_seconds(30)),
    )
    .unwrap();
    let d = failed(&app);
    let all: Vec<&Diagnostic> = d.with_code(codes::HEALTH_CHECK).collect();
    let got: Vec<(&str, Option<&str>)> = all
        .iter()
        .map(|d| (d.path.as_str(), d.property.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("S/Slow", Some("HealthCheckTimeoutSeconds")),
            ("S/DefaultInterval", Some("HealthCheckTimeoutSeconds")),
            ("S/Interval", Some("HealthCheckIntervalSeconds")),
            ("S/Timeout", Some("HealthCheckTimeoutSeconds")),
            ("S/Healthy", Some("HealthyThresholdCount")),
            ("S/Unhealthy", Some("UnhealthyThresholdCount")),
            ("S/Path", Some("HealthCheckPath")),
            ("S/Codes", Some("Matcher.HttpCode")),
            ("S/Grpc", Some("Matcher.GrpcCode")),
            ("S/Both", Some("Matcher")),
            ("S/Port", Some("HealthCheckPort")),
            ("S/HttpOnGrpc", Some("Matcher.HttpCode")),
            ("S/BadGrpc", Some("Matcher.GrpcCode")),
            ("S/LambdaSlow", Some("HealthCheckTimeoutSeconds")),
        ],
        "{d}"
    );
    assert_eq!(
        all[0].message,
        "the health check timeout (10 s) is not shorter than its interval (10 s)"
    );
    assert_eq!(
        all[1].message,
        "the health check timeout (30 s) is not shorter than its interval (30 s)"
    );
    assert_eq!(
        all[2].message,
        "the health check interval 3 s is out of range; allowed: 5 to 300 s"
    );
    assert_eq!(
        all[4].message,
        "the healthy threshold 11 is out of range; allowed: 2 to 10"
    );
    assert_eq!(all[6].fix.as_deref(), Some("write /health"));
    assert_eq!(
        all[13].message,
        "the health check timeout (30 s) is not shorter than its interval (30 s)"
    );
    // Out-of-range values are left out, so the schema check does not report them twice.
    assert_eq!(
        d.with_code(formwork_core::diag::codes::RANGE).count(),
        0,
        "{d}"
    );
}

#[test]
fn fw3109_target_group_settings() {
    let (app, s, vpc) = setup();
    ApplicationTargetGroup::new(
        &s,
        "Lambda",
        TargetGroupProps::lambda()
            .port(80)
            .protocol(ApplicationProtocol::Http)
            .deregistration_delay_seconds(10)
            .health_check(HealthCheck::new().port(HealthCheckPort::TrafficPort)),
    )
    .unwrap();
    ApplicationTargetGroup::new(
        &s,
        "NoVpc",
        TargetGroupProps::lambda().target_type(TargetType::Ip),
    )
    .unwrap();
    ApplicationTargetGroup::new(
        &s,
        "Delay",
        TargetGroupProps::new(&vpc).deregistration_delay_seconds(3601),
    )
    .unwrap();
    ApplicationTargetGroup::new(
        &s,
        "SlowStart",
        TargetGroupProps::new(&vpc).slow_start_seconds(10),
    )
    .unwrap();
    ApplicationTargetGroup::new(
        &s,
        "Sticky",
        TargetGroupProps::new(&vpc).stickiness(Stickiness::lb_cookie(0)),
    )
    .unwrap();
    ApplicationTargetGroup::new(
        &s,
        "Cookie",
        TargetGroupProps::new(&vpc).stickiness(Stickiness::app_cookie("AWSALBX", 60)),
    )
    .unwrap();
    ApplicationTargetGroup::new(&s, "Zero", TargetGroupProps::new(&vpc).port(0)).unwrap();
    let f = ApplicationTargetGroup::new(&s, "Fn", TargetGroupProps::lambda()).unwrap();
    f.add_target(
        "arn:aws:lambda:ap-northeast-1:123456789012:function:f",
        Some(80),
    );
    let d = failed(&app);
    let all: Vec<&Diagnostic> = d.with_code(codes::TARGET_GROUP).collect();
    let got: Vec<(&str, Option<&str>)> = all
        .iter()
        .map(|d| (d.path.as_str(), d.property.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("S/Lambda", Some("Port")),
            ("S/Lambda", Some("Protocol")),
            ("S/Lambda", Some("HealthCheckPort")),
            ("S/Lambda", Some("TargetGroupAttributes")),
            ("S/NoVpc", Some("VpcId")),
            ("S/Delay", Some("TargetGroupAttributes")),
            ("S/SlowStart", Some("TargetGroupAttributes")),
            ("S/Sticky", Some("TargetGroupAttributes")),
            ("S/Cookie", Some("TargetGroupAttributes")),
            ("S/Zero", Some("Port")),
            ("S/Fn", Some("Targets")),
        ],
        "{d}"
    );
    assert_eq!(
        all[0].message,
        "a Lambda target group takes no port; found one"
    );
    assert_eq!(all[4].message, "a target group of ip targets needs a VPC");
    assert_eq!(
        all[5].message,
        "the deregistration delay 3601 s is out of range; allowed: 0 to 3600 s"
    );
    assert!(all[8].message.contains("reserved"));
    assert_eq!(all[10].message, "a Lambda target takes no port; found 80");
}

#[test]
fn fw3110_names() {
    let (app, s, vpc) = setup();
    ApplicationLoadBalancer::new(
        &s,
        "Alb",
        ApplicationLoadBalancerProps::new(&vpc).load_balancer_name("internal-web"),
    )
    .unwrap();
    ApplicationTargetGroup::new(
        &s,
        "Tg",
        TargetGroupProps::new(&vpc).target_group_name("a".repeat(33)),
    )
    .unwrap();
    let d = failed(&app);
    let all: Vec<&Diagnostic> = d.with_code(codes::NAME).collect();
    assert_eq!(all.len(), 2, "{d}");
    assert_eq!(
        (all[0].path.as_str(), all[0].property.as_deref()),
        ("S/Alb", Some("Name"))
    );
    assert!(all[0].message.contains("internal-"));
    assert_eq!(
        (all[1].path.as_str(), all[1].property.as_deref()),
        ("S/Tg", Some("Name"))
    );
    assert!(all[1].message.contains("33 characters"));
}

#[test]
fn fw3111_subnets() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let one_zone = Vpc::new(&s, "Vpc", VpcProps::new().zone_count(1)).unwrap();
    ApplicationLoadBalancer::new(&s, "Alb", ApplicationLoadBalancerProps::new(&one_zone)).unwrap();
    let vpc = Vpc::new(&s, "Vpc2", VpcProps::new()).unwrap();
    ApplicationLoadBalancer::new(
        &s,
        "Private",
        ApplicationLoadBalancerProps::new(&vpc).subnets(SubnetType::Private),
    )
    .unwrap();
    let d = failed(&app);
    let all: Vec<&Diagnostic> = d.with_code(codes::SUBNETS).collect();
    assert_eq!(all.len(), 2, "{d}");
    assert_eq!(
        (all[0].path.as_str(), all[0].property.as_deref()),
        ("S/Alb", Some("Subnets"))
    );
    assert_eq!(
        all[0].message,
        "the load balancer's subnets are in 1 zone; allowed: two zones or more"
    );
    assert_eq!(all[1].path, "S/Private");
    assert!(all[1].message.contains("not public"));
}

#[test]
fn empty_or_doubled_subnet_selections_use_the_ec2_codes() {
    let (app, s, vpc) = setup();
    ApplicationLoadBalancer::new(
        &s,
        "None",
        ApplicationLoadBalancerProps::new(&vpc).subnets(SubnetType::Isolated),
    )
    .unwrap();
    ApplicationLoadBalancer::new(
        &s,
        "All",
        ApplicationLoadBalancerProps::new(&vpc)
            .scheme(LoadBalancerScheme::Internal)
            .subnets(crate::ec2::SubnetSelection::All),
    )
    .unwrap();
    let d = failed(&app);
    one(&d, crate::ec2::codes::NO_SUBNETS, "S/None", "Subnets");
    one(&d, crate::ec2::codes::DUPLICATE_ZONE, "S/All", "Subnets");
}

#[test]
fn fw3112_idle_timeout() {
    let (app, s, vpc) = setup();
    ApplicationLoadBalancer::new(
        &s,
        "Alb",
        ApplicationLoadBalancerProps::new(&vpc).idle_timeout_seconds(4001),
    )
    .unwrap();
    let e = one(
        &failed(&app),
        codes::IDLE_TIMEOUT,
        "S/Alb",
        "LoadBalancerAttributes",
    );
    assert_eq!(
        e.message,
        "the idle timeout 4001 s is out of range; allowed: 1 to 4000 s"
    );
}

#[test]
fn fw3113_access_logs() {
    let (app, s, vpc) = setup();
    let kms = Bucket::new(
        &s,
        "Kms",
        BucketProps::new().encryption(Encryption::KmsManaged),
    )
    .unwrap();
    let ok = Bucket::new(&s, "Logs", BucketProps::new()).unwrap();
    ApplicationLoadBalancer::new(
        &s,
        "A",
        ApplicationLoadBalancerProps::new(&vpc).access_logs(&kms, None),
    )
    .unwrap();
    ApplicationLoadBalancer::new(
        &s,
        "B",
        ApplicationLoadBalancerProps::new(&vpc).access_logs(&ok, Some("x/AWSLogs")),
    )
    .unwrap();
    ApplicationLoadBalancer::new(
        &s,
        "C",
        ApplicationLoadBalancerProps::new(&vpc).access_logs(&ok, Some("/alb")),
    )
    .unwrap();
    let d = failed(&app);
    let all: Vec<&Diagnostic> = d.with_code(codes::ACCESS_LOGS).collect();
    let got: Vec<(&str, Option<&str>)> = all
        .iter()
        .map(|d| (d.path.as_str(), d.property.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("S/A", Some("LoadBalancerAttributes")),
            ("S/B", Some("LoadBalancerAttributes")),
            ("S/C", Some("LoadBalancerAttributes"))
        ]
    );
    assert!(all[0].message.contains("encrypted with KMS"));
    assert!(all[1].message.contains("AWSLogs"));
    assert!(all[2].message.contains("starts or ends with `/`"));
    // Nothing is granted for logs that are not written.
    assert_eq!(kms.resource_policy().unwrap().statements().len(), 1);
    assert_eq!(ok.resource_policy().unwrap().statements().len(), 1);
}

#[test]
fn access_logs_to_an_imported_bucket_leave_its_policy_alone() {
    let (app, s, vpc) = setup();
    let logs = Bucket::from_name(&s, "Logs", "central-alb-logs").unwrap();
    ApplicationLoadBalancer::new(
        &s,
        "Alb",
        ApplicationLoadBalancerProps::new(&vpc).access_logs(&logs, None),
    )
    .unwrap();
    let asm = app.synth().unwrap();
    assert_eq!(
        asm.warnings
            .with_code(crate::s3::codes::POLICY_NOT_MANAGED)
            .count(),
        1
    );
    let t = asm.template_json("S").unwrap();
    assert_eq!(
        t["Resources"]["Alb"]["Properties"]["LoadBalancerAttributes"][2]["Value"],
        "central-alb-logs"
    );
    assert_eq!(
        t["Resources"]["Alb"]["DependsOn"].as_array().unwrap().len(),
        2
    );
}

#[test]
fn fw3114_ip_address_type() {
    let (app, s, vpc) = setup();
    ApplicationLoadBalancer::new(
        &s,
        "Alb",
        ApplicationLoadBalancerProps::new(&vpc)
            .scheme(LoadBalancerScheme::Internal)
            .ip_address_type(LoadBalancerIpAddressType::DualStackWithoutPublicIpv4),
    )
    .unwrap();
    one(
        &failed(&app),
        codes::IP_ADDRESS_TYPE,
        "S/Alb",
        "IpAddressType",
    );
}

#[test]
fn fw3115_weak_tls_policies_warn() {
    let (app, s, vpc) = setup();
    let alb = alb(&s, &vpc);
    let cert = Certificate::from_arn(ARN);
    alb.add_listener(
        "Https",
        ListenerProps::https(443, &cert, FixedResponse::new(404))
            .ssl_policy(SslPolicy::Named("ELBSecurityPolicy-2016-08".into())),
    )
    .unwrap();
    let asm = app.synth().unwrap();
    let w: Vec<&Diagnostic> = asm.warnings.with_code(codes::WEAK_TLS).collect();
    assert_eq!(w.len(), 1);
    assert_eq!(
        (w[0].path.as_str(), w[0].property.as_deref()),
        ("S/Alb/Https", Some("SslPolicy"))
    );
    assert!(!w[0].is_error());
    assert!(SslPolicy::Named("ELBSecurityPolicy-TLS13-1-1-2021-06".into()).allows_tls_below_1_2());
    assert!(SslPolicy::Named("ELBSecurityPolicy-FS-1-1-2019-08".into()).allows_tls_below_1_2());
    for p in [
        SslPolicy::Tls12AndTls13,
        SslPolicy::Tls12AndTls13Restricted,
        SslPolicy::Tls13Only,
        SslPolicy::Tls12AndTls13PostQuantum,
        SslPolicy::Tls12AndTls13Fips,
        SslPolicy::Named("ELBSecurityPolicy-TLS-1-2-Ext-2018-06".into()),
    ] {
        assert!(!p.allows_tls_below_1_2(), "{p:?}");
    }
}

#[test]
fn fw3116_target_groups_of_another_vpc() {
    let (app, s, vpc) = setup();
    let other = Vpc::new(&s, "Other", VpcProps::new().cidr("10.1.0.0/16")).unwrap();
    let alb = alb(&s, &vpc);
    let foreign = tg(&s, &other, "Foreign");
    let function = ApplicationTargetGroup::new(&s, "Fn", TargetGroupProps::lambda()).unwrap();
    alb.add_listener("Http", ListenerProps::http(80, &foreign))
        .unwrap();
    alb.add_listener("Fn", ListenerProps::http(81, &function))
        .unwrap();
    let e = one(
        &failed(&app),
        codes::TARGET_GROUP_VPC,
        "S/Alb/Http",
        "DefaultActions[0].ForwardConfig.TargetGroups[0]",
    );
    assert_eq!(
        e.message,
        "the target group S/Foreign is in another VPC than the load balancer"
    );
}

#[test]
fn certificates_are_checked_where_listeners_use_them() {
    let (app, s, vpc) = setup();
    let alb = alb(&s, &vpc);
    let bad = Certificate::from_arn("arn:aws:iam::123456789012:server-certificate/x");
    let elsewhere = Certificate::from_arn("arn:aws:acm:us-east-1:123456789012:certificate/abc");
    alb.add_listener(
        "Https",
        ListenerProps::https(443, &bad, FixedResponse::new(404)).certificate(&elsewhere),
    )
    .unwrap();
    let d = failed(&app);
    one(
        &d,
        certificatemanager::codes::CERTIFICATE_ARN,
        "S/Alb/Https",
        "Certificates[0]",
    );
    let e = one(
        &d,
        certificatemanager::codes::CERTIFICATE_REGION,
        "S/Alb/Https",
        "Certificates[1]",
    );
    assert_eq!(
        e.message,
        "the certificate is in us-east-1, and this needs one in ap-northeast-1"
    );
}

#[test]
fn rule_priorities_out_of_range_are_the_schemas() {
    let (app, s, vpc) = setup();
    let l = alb(&s, &vpc)
        .add_listener("L", ListenerProps::http(80, FixedResponse::new(404)))
        .unwrap();
    l.add_rule(
        "R",
        ListenerRuleProps::new(50_001, FixedResponse::new(200))
            .condition(ListenerCondition::path_patterns(["/x"])),
    )
    .unwrap();
    let d = failed(&app);
    assert_eq!(
        d.with_code(formwork_core::diag::codes::RANGE).count(),
        1,
        "{d}"
    );
}

#[test]
fn an_existing_security_group_is_used_as_given() {
    let (app, s, vpc) = setup();
    let sg = SecurityGroup::new(&s, "Shared", SecurityGroupProps::new(&vpc)).unwrap();
    let alb = ApplicationLoadBalancer::new(
        &s,
        "Alb",
        ApplicationLoadBalancerProps::new(&vpc).security_group(&sg),
    )
    .unwrap();
    alb.add_listener("Http", ListenerProps::http(80, FixedResponse::new(404)))
        .unwrap();
    let t = formwork_test_support::template(
        &formwork_test_support::synth_and_lint(&app, "elb-given-sg"),
        "S",
    );
    assert!(t["Resources"].get("AlbSecurityGroup").is_none());
    assert_eq!(
        t["Resources"]["Alb"]["Properties"]["SecurityGroups"],
        json!([{"Fn::GetAtt": ["Shared", "GroupId"]}])
    );
    assert_eq!(
        t["Resources"]["Shared"]["Properties"]["SecurityGroupIngress"][0]["FromPort"],
        80
    );
}
