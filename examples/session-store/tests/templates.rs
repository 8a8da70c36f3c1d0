//! The example's template: cfn-lint clean, equal to the reviewed snapshot,
//! and holding every value of reference architecture E.

use formwork::testing::resources_of_type as of_type;
use std::collections::BTreeSet;

use formwork::s3::{LifecycleRule, StorageClass, codes};
use formwork::{App, Context, Environment};
use serde_json::{Value as Json, json};

fn template() -> Json {
    let asm = session_store::app(&Context::new())
        .expect("a template as formwork writes it")
        .synth()
        .expect("a template as formwork writes it");
    formwork_test_support::template(&asm, "SessionStore-prod")
}

fn group(v: &Json) -> String {
    v["Fn::GetAtt"][0]
        .as_str()
        .expect("a template as formwork writes it")
        .to_owned()
}

/// Every ingress rule, inline or separate: `group <- peer tcp from-to`.
fn ingress(t: &Json) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (id, sg) in of_type(t, "AWS::EC2::SecurityGroup") {
        for r in sg["Properties"]["SecurityGroupIngress"]
            .as_array()
            .into_iter()
            .flatten()
        {
            out.insert(format!(
                "{id} <- {} {} {}-{}",
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
    for (_, r) in of_type(t, "AWS::EC2::SecurityGroupIngress") {
        let p = &r["Properties"];
        out.insert(format!(
            "{} <- {} {} {}-{}",
            group(&p["GroupId"]),
            group(&p["SourceSecurityGroupId"]),
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
fn template_passes_cfn_lint_and_matches_the_snapshot() {
    let asm = session_store::app(&Context::new())
        .unwrap()
        .synth()
        .unwrap();
    assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
    formwork_test_support::check_example("session-store", &asm);
}

#[test]
fn the_environment_names_the_stack_bucket_and_secret() {
    let ctx = Context::new().with_env("HERA_ENV", "staging");
    let asm = session_store::app(&ctx).unwrap().synth().unwrap();
    let t = formwork_test_support::template(&asm, "SessionStore-staging");
    assert_eq!(
        t["Resources"]["SessionsBucket"]["Properties"]["BucketName"],
        "hera-sessions-staging"
    );
    assert_eq!(
        t["Resources"]["BackendSecrets"]["Properties"]["Name"],
        "hera/staging/backend"
    );
    let ctx = Context::new()
        .with_env("HERA_ENV", "staging")
        .with_value("env", "dev");
    assert_eq!(
        session_store::environment_name(&ctx).unwrap(),
        "dev",
        "-c env wins"
    );
    assert_eq!(
        session_store::environment_name(&Context::new()).unwrap(),
        "prod"
    );
    let bad = session_store::app(&Context::new().with_value("env", "Prod_1"));
    assert!(
        bad.is_err_and(|e| e.to_string().contains("FW0604")),
        "an environment name S3 refuses is a configuration error"
    );
    assert_eq!(asm.stacks[0].env.region.as_deref(), Some("ap-northeast-1"));
}

#[test]
fn sessions_bucket_as_written() {
    let t = template();
    let b = &t["Resources"]["SessionsBucket"];
    assert_eq!(b["Properties"]["BucketName"], "hera-sessions-prod");
    assert_eq!(
        b["Properties"]["CorsConfiguration"],
        json!({"CorsRules": [{
            "AllowedHeaders": ["*"],
            "AllowedMethods": ["GET", "PUT", "POST"],
            "AllowedOrigins": ["https://yourdomain.com"],
            "MaxAge": 3000
        }]})
    );
    let rules = b["Properties"]["LifecycleConfiguration"]["Rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0]["Id"], "DeleteOldSessions");
    assert_eq!(rules[0]["Prefix"], "sessions/");
    assert_eq!(rules[0]["ExpirationInDays"], 7);
    assert_eq!(rules[0]["Status"], "Enabled");
    assert!(rules[0]["Transitions"].is_null());
    let policy =
        &t["Resources"]["SessionsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(policy.as_array().map(Vec::len), Some(2));
    assert_eq!(policy[0]["Effect"], "Deny");
    assert_eq!(policy[0]["Principal"], "*");
    assert_eq!(policy[0]["Action"], "s3:*");
    assert_eq!(
        policy[0]["Condition"],
        json!({"Bool": {"aws:SecureTransport": "false"}})
    );
    // CloudFront, through its origin access control, reads objects; nothing else.
    assert_eq!(
        policy[1],
        json!({
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": {"Fn::Sub": "${SessionsBucket.Arn}/*"},
            "Condition": {"StringEquals": {"AWS:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${ImagesDistribution}"}}}
        })
    );
    let origin =
        &t["Resources"]["ImagesDistribution"]["Properties"]["DistributionConfig"]["Origins"][0];
    assert_eq!(
        origin["OriginAccessControlId"],
        json!({"Fn::GetAtt": ["ImagesDistributionOriginAccessControl", "Id"]})
    );
}

/// The rule the team wanted is refused at synth, with the message the
/// crate documentation shows.
#[test]
fn the_standard_ia_rule_the_team_wanted_is_a_clear_error() {
    let app = App::new();
    let stack = app
        .stack_in(
            "SessionStore-prod",
            Environment::agnostic().region("ap-northeast-1"),
        )
        .unwrap();
    let team_rule = LifecycleRule::new()
        .prefix("sessions/")
        .expiration_days(7)
        .transition(StorageClass::StandardIa, 7);
    formwork::s3::Bucket::new(
        &stack,
        "SessionsBucket",
        session_store::sessions_bucket_props("prod", team_rule),
    )
    .unwrap();
    let err = app.synth().unwrap_err();
    let diags = err.diagnostics().unwrap();
    assert_eq!(diags.error_count(), 1, "{diags}");
    let d = &diags.0[0];
    assert_eq!(d.code, codes::LIFECYCLE_IA_MINIMUM);
    assert_eq!(d.code, "FW2113");
    assert_eq!(d.path, "SessionStore-prod/SessionsBucket");
    assert_eq!(
        d.property.as_deref(),
        Some("LifecycleConfiguration.Rules[0].Transitions[0]")
    );
    assert_eq!(
        d.message,
        "lifecycle rule 0 moves objects to STANDARD_IA 7 days after creation; S3 allows a transition to \
         STANDARD_IA only at 30 days or later, and the rule expires the objects at 7 days, so they would \
         never reach STANDARD_IA"
    );
    // The crate documentation quotes the whole diagnostic, line by line.
    let doc = include_str!("../src/lib.rs");
    for line in d.to_string().lines() {
        assert!(
            doc.contains(&format!("//! {line}\n")),
            "the crate doc lacks: {line}"
        );
    }
}

#[test]
fn the_task_role_may_do_exactly_four_things_on_the_bucket() {
    let t = template();
    let role = &t["Resources"]["BackendTaskDefinitionTaskRole"]["Properties"];
    assert_eq!(
        role["Policies"],
        json!([{"PolicyName": "DefaultPolicy", "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                 "Resource": {"Fn::Sub": "${SessionsBucket.Arn}/*"}},
                {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::GetAtt": ["SessionsBucket", "Arn"]}}
            ]
        }}])
    );
    assert!(role["ManagedPolicyArns"].is_null());
    assert_eq!(
        t["Resources"]["BackendTaskDefinition"]["Properties"]["TaskRoleArn"],
        json!({"Fn::GetAtt": ["BackendTaskDefinitionTaskRole", "Arn"]})
    );
}

#[test]
fn the_execution_role_reads_the_one_secret_and_pulls_the_one_repository() {
    let t = template();
    assert_eq!(
        t["Resources"]["BackendTaskDefinitionExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"]
            ["Statement"],
        json!([
            {"Effect": "Allow", "Action": ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
             "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/formwork-assets"}},
            {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
            {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": [{"Ref": "GeminiApiKey"}, {"Ref": "BackendSecrets"}]},
            {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
             "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${BackendTaskDefinitionBackendLogGroup}:*"}}
        ])
    );
}

#[test]
fn backend_task_as_written() {
    let asm = session_store::app(&Context::new())
        .and_then(|a| a.synth())
        .expect("synth");
    let hash = asm.assets[0].asset.hash.clone();
    assert_eq!(asm.assets[0].asset.source, "backend");
    assert_eq!(
        asm.assets[0].asset.platform.map(|p| p.as_str()),
        Some("linux/amd64")
    );
    let t = formwork_test_support::template(&asm, "SessionStore-prod");
    let p = &t["Resources"]["BackendTaskDefinition"]["Properties"];
    assert_eq!(p["Family"], "hera-backend");
    assert_eq!(
        (p["Cpu"].as_str(), p["Memory"].as_str()),
        (Some("512"), Some("1024"))
    );
    assert_eq!(p["NetworkMode"], "awsvpc");
    assert_eq!(p["RequiresCompatibilities"], json!(["FARGATE"]));
    assert_eq!(
        p["ContainerDefinitions"],
        json!([{
            "Environment": [
                {"Name": "STORAGE_MODE", "Value": "cloud"},
                {"Name": "CLOUD_STORAGE_TYPE", "Value": "s3"},
                {"Name": "S3_BUCKET_NAME", "Value": {"Ref": "SessionsBucket"}},
                {"Name": "AWS_REGION", "Value": {"Ref": "AWS::Region"}},
                {"Name": "SESSION_TTL", "Value": "86400"}
            ],
            "Essential": true,
            "Image": {"Fn::Sub": format!("${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/formwork-assets:{hash}")},
            "LogConfiguration": {"LogDriver": "awslogs", "Options": {
                "awslogs-group": {"Ref": "BackendTaskDefinitionBackendLogGroup"},
                "awslogs-region": {"Ref": "AWS::Region"},
                "awslogs-stream-prefix": "ecs"
            }},
            "Name": "backend",
            "PortMappings": [{"ContainerPort": 8080, "Protocol": "tcp"}],
            "Secrets": [
                {"Name": "GEMINI_API_KEY", "ValueFrom": {"Ref": "GeminiApiKey"}},
                {"Name": "REDIS_URL", "ValueFrom": {"Fn::Sub": "${BackendSecrets}:REDIS_URL::"}}
            ]
        }])
    );
    assert_eq!(
        t["Resources"]["BackendTaskDefinitionBackendLogGroup"]["Properties"],
        json!({"LogGroupName": "/ecs/hera-backend", "RetentionInDays": 30})
    );
    assert_eq!(
        t["Resources"]["BackendSecrets"]["Properties"],
        json!({
            "Description": "hera-backend: REDIS_URL",
            "Name": "hera/prod/backend",
            "SecretString": {"Fn::Sub": "{\"REDIS_URL\":\"redis://${Redis.RedisEndpoint.Address}:${Redis.RedisEndpoint.Port}/0\"}"}
        })
    );
    assert_eq!(
        t["Resources"]["GeminiApiKey"]["Properties"],
        json!({"Description": "hera-backend: the Gemini API key", "Name": "hera/gemini-api-key"})
    );
    assert!(t["Parameters"].get("ImageTag").is_none());
    assert_eq!(t["Parameters"]["CertificateArn"]["Type"], "String");
}

#[test]
fn network_isolation_as_written() {
    let t = template();
    let r = &t["Resources"];
    let private = json!([{"Ref": "VpcPrivateSubnet1Subnet"}, {"Ref": "VpcPrivateSubnet2Subnet"}]);
    let lb = &r["BackendLoadBalancer"]["Properties"];
    assert_eq!(lb["Scheme"], "internet-facing");
    assert_eq!(
        lb["Subnets"],
        json!([{"Ref": "VpcPublicSubnet1Subnet"}, {"Ref": "VpcPublicSubnet2Subnet"}])
    );
    let net = &r["BackendService"]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"];
    assert_eq!(net["Subnets"], private);
    assert_eq!(net["AssignPublicIp"], "DISABLED");
    assert_eq!(r["RedisSubnetGroup"]["Properties"]["SubnetIds"], private);
    let redis = &r["Redis"]["Properties"];
    assert_eq!(redis["CacheNodeType"], "cache.t3.micro");
    assert_eq!(redis["NumCacheNodes"], 1);
    assert_eq!(redis["Engine"], "redis");
    assert_eq!(redis["ClusterName"], "hera-redis-prod");
    assert_eq!(redis["EngineVersion"], "7.1");
    assert!(redis["SnapshotRetentionLimit"].is_null(), "no backups");
    assert_eq!(
        redis["CacheParameterGroupName"],
        json!({"Ref": "RedisParameters"})
    );
    assert_eq!(
        r["RedisParameters"]["Properties"],
        json!({
            "CacheParameterGroupFamily": "redis7",
            "Description": "Cache only: evict least recently used keys, no persistence",
            "Properties": {"maxmemory-policy": "allkeys-lru"}
        })
    );
    let s3 = &r["VpcS3Endpoint"]["Properties"];
    assert_eq!(s3["VpcEndpointType"], "Gateway");
    assert_eq!(
        s3["ServiceName"],
        json!({"Fn::Sub": "com.amazonaws.${AWS::Region}.s3"})
    );
    assert_eq!(
        s3["RouteTableIds"],
        json!([{"Ref": "VpcPrivateSubnet1RouteTable"}, {"Ref": "VpcPrivateSubnet2RouteTable"}])
    );
    let https = &r["BackendLoadBalancerHttps"]["Properties"];
    assert_eq!(
        (https["Port"].as_i64(), https["Protocol"].as_str()),
        (Some(443), Some("HTTPS"))
    );
    assert_eq!(
        https["Certificates"],
        json!([{"CertificateArn": {"Ref": "CertificateArn"}}])
    );
    assert_eq!(
        r["BackendLoadBalancerRedirect80To443"]["Properties"]["DefaultActions"][0]["RedirectConfig"],
        json!({"Port": "443", "Protocol": "HTTPS", "StatusCode": "HTTP_301"})
    );
    let tg = &r["BackendTargetGroup"]["Properties"];
    assert_eq!(
        (tg["Port"].as_i64(), tg["TargetType"].as_str()),
        (Some(8080), Some("ip"))
    );
    assert_eq!(tg["Matcher"], json!({"HttpCode": "200-499"}));
}

#[test]
fn security_groups_open_no_port_wider_than_written() {
    let t = template();
    let rules: Vec<String> = ingress(&t).into_iter().collect();
    assert_eq!(
        rules,
        [
            "BackendLoadBalancerSecurityGroup <- 0.0.0.0/0 tcp 443-443",
            "BackendLoadBalancerSecurityGroup <- 0.0.0.0/0 tcp 80-80",
            "BackendServiceSecurityGroup <- BackendLoadBalancerSecurityGroup tcp 8080-8080",
            "RedisSecurityGroup <- BackendServiceSecurityGroup tcp 6379-6379",
        ]
    );
}
