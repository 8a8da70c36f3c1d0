//! The example's templates: cfn-lint clean, equal to the reviewed
//! snapshots, and holding every value of reference architecture C.

use formwork::testing::resources_of_type as of_type;
use std::collections::BTreeSet;

use formwork::Context;
use serde_json::{Value as Json, json};

fn templates() -> (Json, Json) {
    templates_with(&Context::new())
}

fn templates_with(ctx: &Context) -> (Json, Json) {
    let asm = weather_service::app(ctx)
        .expect("a template as formwork writes it")
        .synth()
        .expect("a template as formwork writes it");
    (
        formwork_test_support::template(&asm, "WeatherRepository"),
        formwork_test_support::template(&asm, "WeatherService"),
    )
}

fn group(v: &Json) -> String {
    v["Fn::GetAtt"][0]
        .as_str()
        .expect("a template as formwork writes it")
        .to_owned()
}

/// Every rule of a direction, inline or separate: `group <- peer tcp from-to`.
fn rules(t: &Json, ingress: bool) -> BTreeSet<String> {
    let (inline, ty, peer, arrow) = if ingress {
        (
            "SecurityGroupIngress",
            "AWS::EC2::SecurityGroupIngress",
            "SourceSecurityGroupId",
            "<-",
        )
    } else {
        (
            "SecurityGroupEgress",
            "AWS::EC2::SecurityGroupEgress",
            "DestinationSecurityGroupId",
            "->",
        )
    };
    let mut out = BTreeSet::new();
    for (id, sg) in of_type(t, "AWS::EC2::SecurityGroup") {
        for r in sg["Properties"][inline].as_array().into_iter().flatten() {
            out.insert(format!(
                "{id} {arrow} {} {} {}-{}",
                r["CidrIp"]
                    .as_str()
                    .expect("a template as formwork writes it"),
                r["IpProtocol"]
                    .as_str()
                    .expect("a template as formwork writes it"),
                r["FromPort"],
                r["ToPort"]
            ));
        }
    }
    for (_, r) in of_type(t, ty) {
        let p = &r["Properties"];
        out.insert(format!(
            "{} {arrow} {} {} {}-{}",
            group(&p["GroupId"]),
            group(&p[peer]),
            p["IpProtocol"]
                .as_str()
                .expect("a template as formwork writes it"),
            p["FromPort"],
            p["ToPort"]
        ));
    }
    out
}

#[test]
fn templates_pass_cfn_lint_and_match_snapshots() {
    let asm = weather_service::app(&Context::new())
        .unwrap()
        .synth()
        .unwrap();
    assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
    formwork_test_support::check_example("weather-service", &asm);
}

#[test]
fn the_repository_stack_deploys_first() {
    let asm = weather_service::app(&Context::new())
        .unwrap()
        .synth()
        .unwrap();
    let names: Vec<&str> = asm.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["WeatherRepository", "WeatherService"]);
    assert_eq!(asm.stacks[1].dependencies, ["WeatherRepository"]);
    assert_eq!(asm.stacks[0].env.region.as_deref(), Some("ap-northeast-1"));
    let (repo, _) = templates();
    assert_eq!(
        repo["Resources"]["Repository"]["Properties"]["RepositoryName"],
        "weather-comment-generator"
    );
}

/// The team's stack name, `weather-comment-infra`, on request: the same
/// resources, only the construct paths in the metadata differ.
#[test]
fn the_teams_stack_name_on_request() {
    let ctx = Context::new().with_value("stack_name", weather_service::TEAM_STACK_NAME);
    let asm = weather_service::app(&ctx).unwrap().synth().unwrap();
    let names: Vec<&str> = asm.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["WeatherRepository", "weather-comment-infra"]);
    assert_eq!(asm.stacks[1].dependencies, ["WeatherRepository"]);
    let team = formwork_test_support::template(&asm, "weather-comment-infra").to_string();
    let (_, ours) = templates();
    assert_eq!(
        team.replace("weather-comment-infra/", "WeatherService/"),
        ours.to_string()
    );
}

#[test]
fn network_two_public_zones_and_no_nat_gateway_within_budget() {
    let (_, t) = templates();
    let subnets = of_type(&t, "AWS::EC2::Subnet");
    let names: Vec<&str> = subnets.iter().map(|(id, _)| *id).collect();
    assert_eq!(names, ["VpcPublicSubnet1Subnet", "VpcPublicSubnet2Subnet"]);
    for (i, (_, s)) in subnets.iter().enumerate() {
        assert_eq!(
            s["Properties"]["AvailabilityZone"],
            json!({"Fn::Select": [i % 2, {"Fn::GetAZs": ""}]})
        );
    }
    assert!(of_type(&t, "AWS::EC2::NatGateway").is_empty());
    assert_eq!(
        t["Resources"]["Service"]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"],
        json!({
            "AssignPublicIp": "ENABLED",
            "SecurityGroups": [{"Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]}],
            "Subnets": [{"Ref": "VpcPublicSubnet1Subnet"}, {"Ref": "VpcPublicSubnet2Subnet"}]
        })
    );
}

#[test]
fn private_subnets_variant_adds_one_nat_gateway() {
    let (_, t) = templates_with(&Context::new().with_value("private_subnets", "true"));
    let names: Vec<&str> = of_type(&t, "AWS::EC2::Subnet")
        .iter()
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(
        names,
        [
            "VpcPublicSubnet1Subnet",
            "VpcPublicSubnet2Subnet",
            "VpcPrivateSubnet1Subnet",
            "VpcPrivateSubnet2Subnet"
        ]
    );
    assert_eq!(of_type(&t, "AWS::EC2::NatGateway").len(), 1);
    assert_eq!(
        t["Resources"]["Service"]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"],
        json!({
            "AssignPublicIp": "DISABLED",
            "SecurityGroups": [{"Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]}],
            "Subnets": [{"Ref": "VpcPrivateSubnet1Subnet"}, {"Ref": "VpcPrivateSubnet2Subnet"}]
        })
    );
    let mount: Vec<&Json> = of_type(&t, "AWS::EFS::MountTarget")
        .into_iter()
        .map(|(_, m)| &m["Properties"]["SubnetId"])
        .collect();
    assert_eq!(
        mount,
        [
            &json!({"Ref": "VpcPrivateSubnet1Subnet"}),
            &json!({"Ref": "VpcPrivateSubnet2Subnet"})
        ]
    );
    let app = weather_service::app(&Context::new().with_value("private_subnets", "true"))
        .expect("a template as formwork writes it");
    formwork_test_support::synth_and_lint(&app, "weather-service-private");
}

#[test]
fn security_groups_open_no_port_wider_than_written() {
    let (_, t) = templates();
    let ingress: Vec<String> = rules(&t, true).into_iter().collect();
    assert_eq!(
        ingress,
        [
            "FileSystemSecurityGroup <- ServiceSecurityGroup tcp 2049-2049",
            "LoadBalancerSecurityGroup <- 0.0.0.0/0 tcp 443-443",
            "LoadBalancerSecurityGroup <- 0.0.0.0/0 tcp 80-80",
            "ServiceSecurityGroup <- LoadBalancerSecurityGroup tcp 8000-8000",
            "ServiceSecurityGroup <- LoadBalancerSecurityGroup tcp 8501-8501",
        ]
    );
    // The load balancer and the file system send nothing but what they must
    // (the ICMP rule to 255.255.255.255/32 matches no packet: it stands in
    // for "no outbound traffic"); the tasks reach the internet through the
    // NAT gateway.
    let egress: Vec<String> = rules(&t, false).into_iter().collect();
    assert_eq!(
        egress,
        [
            "FileSystemSecurityGroup -> 255.255.255.255/32 icmp 252-86",
            "LoadBalancerSecurityGroup -> 255.255.255.255/32 icmp 252-86",
            "LoadBalancerSecurityGroup -> ServiceSecurityGroup tcp 8000-8000",
            "LoadBalancerSecurityGroup -> ServiceSecurityGroup tcp 8501-8501",
        ]
    );
    assert_eq!(of_type(&t, "AWS::EC2::SecurityGroup").len(), 3);
}

#[test]
fn load_balancer_https_443_redirect_80_target_group_8501() {
    let (_, t) = templates();
    let r = &t["Resources"];
    assert_eq!(t["Parameters"]["CertificateArn"]["Type"], "String");
    let lb = &r["LoadBalancer"]["Properties"];
    assert_eq!(lb["Scheme"], "internet-facing");
    assert_eq!(lb["Type"], "application");
    assert_eq!(
        lb["Subnets"],
        json!([{"Ref": "VpcPublicSubnet1Subnet"}, {"Ref": "VpcPublicSubnet2Subnet"}])
    );
    assert_eq!(
        lb["SecurityGroups"],
        json!([{"Fn::GetAtt": ["LoadBalancerSecurityGroup", "GroupId"]}])
    );
    let https = &r["LoadBalancerHttpsListener"]["Properties"];
    assert_eq!(
        (https["Port"].as_i64(), https["Protocol"].as_str()),
        (Some(443), Some("HTTPS"))
    );
    assert_eq!(
        https["Certificates"],
        json!([{"CertificateArn": {"Ref": "CertificateArn"}}])
    );
    assert_eq!(
        https["DefaultActions"],
        json!([{"TargetGroupArn": {"Ref": "TargetGroup"}, "Type": "forward"}])
    );
    let http = &r["LoadBalancerRedirect80To443"]["Properties"];
    assert_eq!(
        (http["Port"].as_i64(), http["Protocol"].as_str()),
        (Some(80), Some("HTTP"))
    );
    assert_eq!(
        http["DefaultActions"][0]["RedirectConfig"],
        json!({"Port": "443", "Protocol": "HTTPS", "StatusCode": "HTTP_301"})
    );
    assert_eq!(
        r["TargetGroup"]["Properties"],
        json!({
            "HealthCheckIntervalSeconds": 30,
            "HealthCheckPath": "/",
            "Port": 8501,
            "Protocol": "HTTP",
            "Name": "weather-comment-tg",
            "TargetType": "ip",
            "VpcId": {"Ref": "Vpc"}
        })
    );
}

#[test]
fn secret_holds_no_value() {
    let (_, t) = templates();
    assert_eq!(
        t["Resources"]["ApiKeys"]["Properties"],
        json!({
            "Description": "Weather and LLM API keys of the weather-comment generator",
            "Name": "weather-comment-generator/api-keys"
        })
    );
}

#[test]
fn task_definition_as_written() {
    let (_, t) = templates();
    let asm = weather_service::app(&Context::new())
        .and_then(|a| a.synth())
        .expect("synth");
    let hash = asm.assets[0].asset.hash.clone();
    let m: Json = serde_json::from_str(asm.manifest()).expect("manifest");
    assert_eq!(
        m["assets"][0]["destination"],
        json!({"type": "repository", "stack": "WeatherRepository", "repository": "weather-comment-generator", "tag": hash})
    );
    let p = &t["Resources"]["TaskDefinition"]["Properties"];
    assert_eq!(p["Family"], "weather-comment-generator");
    assert_eq!(
        (p["Cpu"].as_str(), p["Memory"].as_str()),
        (Some("1024"), Some("2048"))
    );
    assert_eq!(p["NetworkMode"], "awsvpc");
    assert_eq!(p["RequiresCompatibilities"], json!(["FARGATE"]));
    assert_eq!(
        p["Volumes"],
        json!([{"EFSVolumeConfiguration": {"FilesystemId": {"Ref": "CacheFileSystem"}, "TransitEncryption": "ENABLED"}, "Name": "cache-storage"}])
    );
    assert_eq!(
        p["ContainerDefinitions"],
        json!([{
            "Environment": [{"Name": "ENV", "Value": "production"}, {"Name": "MAX_PARALLEL_WORKERS", "Value": "4"}],
            "Essential": true,
            "Image": {"Fn::Sub": [format!("${{ExportRepositoryRepositoryUri}}:{hash}"), {
                "ExportRepositoryRepositoryUri": {"Fn::ImportValue": "WeatherRepository:Repository:RepositoryUri"}
            }]},
            "LogConfiguration": {"LogDriver": "awslogs", "Options": {
                "awslogs-group": {"Ref": "TaskDefinitionAppLogGroup"},
                "awslogs-region": {"Ref": "AWS::Region"},
                "awslogs-stream-prefix": "ecs"
            }},
            "MountPoints": [{"ContainerPath": "/app/cache", "ReadOnly": false, "SourceVolume": "cache-storage"}],
            "Name": "app",
            "PortMappings": [{"ContainerPort": 8501, "Protocol": "tcp"}, {"ContainerPort": 8000, "Protocol": "tcp"}],
            "Secrets": [
                {"Name": "WXTECH_API_KEY", "ValueFrom": {"Fn::Sub": "${ApiKeys}:WXTECH_API_KEY::"}},
                {"Name": "OPENAI_API_KEY", "ValueFrom": {"Fn::Sub": "${ApiKeys}:OPENAI_API_KEY::"}}
            ]
        }])
    );
    assert_eq!(
        t["Resources"]["TaskDefinitionAppLogGroup"]["Properties"],
        json!({"LogGroupName": "/ecs/weather-comment-generator", "RetentionInDays": 30})
    );
}

#[test]
fn roles_hold_exactly_what_the_task_needs() {
    let (_, t) = templates();
    let r = &t["Resources"];
    assert_eq!(
        r["TaskDefinitionExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"],
        json!([
            {"Effect": "Allow", "Action": ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
             "Resource": {"Fn::ImportValue": "WeatherRepository:Repository:Arn"}},
            {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
            {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": {"Ref": "ApiKeys"}},
            {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
             "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${TaskDefinitionAppLogGroup}:*"}}
        ])
    );
    assert!(r["TaskDefinitionExecutionRole"]["Properties"]["ManagedPolicyArns"].is_null());
    // The app's own metrics, in its namespace only.
    assert_eq!(
        r["TaskDefinitionTaskRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"],
        json!([{"Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*",
                "Condition": {"StringEquals": {"cloudwatch:namespace": "WeatherCommentGenerator"}}}])
    );
}

#[test]
fn ci_deploy_role_pushes_and_redeploys_only() {
    let ctx = Context::new()
        .with_value("github_repo", "acme/weather")
        .with_value("github_branch", "release");
    let (_, t) = templates_with(&ctx);
    let role = &t["Resources"]["DeployRole"]["Properties"];
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"],
        json!([{
            "Effect": "Allow",
            "Principal": {"Federated": {"Fn::GetAtt": ["GithubOidcProvider", "Arn"]}},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": "repo:acme/weather:ref:refs/heads/release"
            }}
        }])
    );
    assert_eq!(
        role["Policies"][0]["PolicyDocument"]["Statement"],
        json!([
            {"Effect": "Allow", "Action": ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"],
             "Resource": {"Fn::ImportValue": "WeatherRepository:Repository:Arn"}},
            {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
            {"Effect": "Allow", "Action": ["ecs:UpdateService", "ecs:DescribeServices"], "Resource": {"Ref": "Service"}}
        ])
    );
    assert!(role["ManagedPolicyArns"].is_null());
    let provider = &t["Resources"]["GithubOidcProvider"]["Properties"];
    assert_eq!(
        provider["Url"],
        "https://token.actions.githubusercontent.com"
    );
    // An account's existing provider is used by ARN instead.
    let arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    let (_, t) = templates_with(&ctx.with_value("github_oidc_provider_arn", arn));
    assert!(t["Resources"]["GithubOidcProvider"].is_null());
    assert_eq!(
        t["Resources"]["DeployRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Federated": arn})
    );
}

#[test]
fn file_system_as_written() {
    let (_, t) = templates();
    let fs = &t["Resources"]["CacheFileSystem"];
    assert_eq!(
        fs["Properties"],
        json!({
            "Encrypted": true,
            "FileSystemTags": [{"Key": "Name", "Value": "weather-comment-cache"}],
            "LifecyclePolicies": [{"TransitionToIA": "AFTER_30_DAYS"}],
            "PerformanceMode": "generalPurpose",
            "ThroughputMode": "bursting"
        })
    );
    let targets = of_type(&t, "AWS::EFS::MountTarget");
    let subnets: Vec<&Json> = targets
        .iter()
        .map(|(_, m)| &m["Properties"]["SubnetId"])
        .collect();
    assert_eq!(
        subnets,
        [
            &json!({"Ref": "VpcPublicSubnet1Subnet"}),
            &json!({"Ref": "VpcPublicSubnet2Subnet"})
        ]
    );
    for (_, m) in targets {
        assert_eq!(
            m["Properties"]["SecurityGroups"],
            json!([{"Fn::GetAtt": ["FileSystemSecurityGroup", "GroupId"]}])
        );
    }
}

#[test]
fn service_and_autoscaling_as_written() {
    let (_, t) = templates();
    let r = &t["Resources"];
    let s = &r["Service"];
    let p = &s["Properties"];
    assert_eq!(p["DesiredCount"], 1);
    assert_eq!(p["DeploymentConfiguration"]["MinimumHealthyPercent"], 100);
    assert_eq!(p["DeploymentConfiguration"]["MaximumPercent"], 200);
    assert_eq!(p["LaunchType"], "FARGATE");
    // The names the team's CI passes to `aws ecs update-service`.
    assert_eq!(p["ServiceName"], "weather-comment-service");
    assert_eq!(
        r["Cluster"]["Properties"],
        json!({
            "ClusterName": "weather-comment-cluster",
            "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]
        })
    );
    assert_eq!(
        p["LoadBalancers"],
        json!([{"ContainerName": "app", "ContainerPort": 8501, "TargetGroupArn": {"Ref": "TargetGroup"}}])
    );
    let deps = s["DependsOn"].as_array().unwrap();
    for d in [
        "LoadBalancerHttpsListener",
        "CacheFileSystemMountTarget1",
        "CacheFileSystemMountTarget2",
    ] {
        assert!(deps.contains(&json!(d)), "{d}");
    }
    let target = &r["ServiceTaskCount"]["Properties"];
    assert_eq!(
        (
            target["MinCapacity"].as_i64(),
            target["MaxCapacity"].as_i64()
        ),
        (Some(1), Some(4))
    );
    assert_eq!(
        target["ResourceId"],
        json!({"Fn::Sub": "service/${Cluster}/${Service.Name}"})
    );
    let tracked = |id: &str| {
        let c = &r[id]["Properties"]["TargetTrackingScalingPolicyConfiguration"];
        (
            c["PredefinedMetricSpecification"]["PredefinedMetricType"].clone(),
            c["TargetValue"].clone(),
        )
    };
    assert_eq!(
        tracked("ServiceTaskCountCpu"),
        (json!("ECSServiceAverageCPUUtilization"), json!(70))
    );
    assert_eq!(
        tracked("ServiceTaskCountMemory"),
        (json!("ECSServiceAverageMemoryUtilization"), json!(80))
    );
}
