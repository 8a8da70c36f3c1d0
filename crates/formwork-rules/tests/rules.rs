//! Each rule of the pack firing and not firing, on templates as synth
//! writes them.

use std::collections::HashMap;

use formwork_core::rules::TemplateView;
use formwork_core::{Diagnostic, Severity};
use formwork_rules::{SecurityRules, codes};
use serde_json::{Value, json};

fn findings(resources: Value) -> Vec<Diagnostic> {
    findings_of(json!({ "Resources": resources }))
}

fn findings_of(template: Value) -> Vec<Diagnostic> {
    let paths = HashMap::new();
    let template = formwork_core::Value::from(template);
    TemplateView::new("S", Some("ap-northeast-1"), &template, &paths).check(&SecurityRules)
}

/// The findings of one code, as (path, severity).
fn of(ds: &[Diagnostic], code: &str) -> Vec<(String, Severity)> {
    ds.iter()
        .filter(|d| d.code == code)
        .map(|d| (d.path.clone(), d.severity))
        .collect()
}

fn function(env: Value) -> Value {
    json!({"Type": "AWS::Lambda::Function", "Properties": {"Environment": {"Variables": env}}})
}

#[test]
fn fw4001_literal_secrets_in_environment_variables() {
    let d = findings(json!({
        "ByShape": function(json!({"MODEL": "sk-proj-abcdefghijklmnopqrstuvwx"})),
        "ByName": function(json!({"DB_PASSWORD": "hunter2hunter2"})),
        "Fine": function(json!({
            "OPENAI_API_KEY_SECRET_ARN": {"Ref": "Secret"},
            "API_KEY": "{{resolve:secretsmanager:key}}",
            "LOG_LEVEL": "debug",
            "TOKEN_TTL": "300"
        })),
        "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [
            {"Environment": [{"Name": "GITHUB_TOKEN", "Value": "ghp_abcdefghijklmnopqrstuvwxyz0123456789"}]}
        ]}}
    }));
    assert_eq!(
        of(&d, codes::LITERAL_SECRET),
        [
            ("S/ByShape".into(), Severity::Error),
            ("S/ByName".into(), Severity::Error),
            ("S/Task".into(), Severity::Error)
        ]
    );
    let text: Vec<String> = d.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .all(|t| !t.contains("abcdefghij") && !t.contains("hunter2")),
        "{text:?}"
    );
}

#[test]
fn fw4002_fw4003_secret_parameters() {
    let d = findings_of(json!({
        "Parameters": {
            "DbPassword": {"Type": "String"},
            "ApiToken": {"Type": "String", "NoEcho": true, "Default": "x"},
            "Hidden": {"Type": "String", "NoEcho": true},
            "Size": {"Type": "Number", "Default": 1},
            "Ami": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/secret/name"}
        },
        "Resources": {}
    }));
    assert_eq!(
        of(&d, codes::PARAMETER_ECHO),
        [("S/DbPassword (parameter)".into(), Severity::Warning)]
    );
    assert_eq!(
        of(&d, codes::PARAMETER_DEFAULT),
        [("S/ApiToken (parameter)".into(), Severity::Error)]
    );
}

#[test]
fn fw4004_ssm_string_parameters_holding_secrets() {
    let d = findings(json!({
        "Key": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/app/api_key", "Type": "String", "Value": "AKIAABCDEFGHIJKLMNOP"}},
        "Plain": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/app/region", "Type": "String", "Value": "us-east-1"}}
    }));
    assert_eq!(
        of(&d, codes::SSM_SECRET),
        [("S/Key".into(), Severity::Error)]
    );
}

#[test]
fn fw4010_fw4011_iam_wildcards() {
    let role = |statement: Value| json!({"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": statement}}]}});
    let d = findings(json!({
        "Admin": role(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}])),
        "Reader": role(json!([{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}])),
        "Logs": role(json!({"Effect": "Allow", "Action": ["logs:CreateLogStream", "ec2:DescribeNetworkInterfaces"], "Resource": "*"})),
        "Scoped": role(json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}])),
        "DenyAll": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}}},
        "Managed": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [
            {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"},
            {"Effect": "Allow", "Action": "dynamodb:Query", "Resource": "*"}
        ]}}}
    }));
    assert_eq!(
        of(&d, codes::IAM_STAR_ACTION),
        [("S/Admin".into(), Severity::Error)]
    );
    assert_eq!(
        of(&d, codes::IAM_STAR_RESOURCE),
        [
            ("S/Reader".into(), Severity::Warning),
            ("S/Managed".into(), Severity::Warning)
        ]
    );
    // Each finding names the statement, in the role's inline policy or in
    // the policy's own document.
    let property = |path: &str| {
        d.iter()
            .find(|x| x.path == path)
            .and_then(|x| x.property.clone())
    };
    assert_eq!(
        property("S/Admin").as_deref(),
        Some("Policies[0].PolicyDocument.Statement[0]")
    );
    assert_eq!(
        property("S/Managed").as_deref(),
        Some("PolicyDocument.Statement[1]")
    );
}

#[test]
fn fw4020_security_groups_open_to_the_internet() {
    let sg = |rules: Value| json!({"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "g", "SecurityGroupIngress": rules}});
    let d = findings(json!({
        "Ssh": sg(json!([{"CidrIp": "0.0.0.0/0", "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22}])),
        "All6": sg(json!([{"CidrIpv6": "::/0", "IpProtocol": "-1"}])),
        "Web": sg(json!([
            {"CidrIp": "0.0.0.0/0", "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443},
            {"CidrIp": "0.0.0.0/0", "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80},
            {"CidrIp": "10.0.0.0/8", "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22}
        ])),
        "Rule": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"GroupId": "sg-1", "CidrIp": "0.0.0.0/0", "IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389}}
    }));
    assert_eq!(
        of(&d, codes::OPEN_INGRESS),
        [
            ("S/Ssh".into(), Severity::Error),
            ("S/All6".into(), Severity::Error),
            ("S/Rule".into(), Severity::Error)
        ]
    );
}

#[test]
fn fw4030_fw4031_encryption() {
    let d = findings(json!({
        "Files": {"Type": "AWS::EFS::FileSystem", "Properties": {}, "DeletionPolicy": "Retain"},
        "SafeFiles": {"Type": "AWS::EFS::FileSystem", "Properties": {"Encrypted": true}, "DeletionPolicy": "Retain"},
        "Cache": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {"AtRestEncryptionEnabled": true}, "DeletionPolicy": "Snapshot"},
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"SqsManagedSseEnabled": false}},
        "Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {"DefaultCacheBehavior": {"ViewerProtocolPolicy": "allow-all"}}}}
    }));
    assert_eq!(
        of(&d, codes::UNENCRYPTED_STORAGE),
        [
            ("S/Files".into(), Severity::Error),
            ("S/Queue".into(), Severity::Error)
        ]
    );
    assert_eq!(
        of(&d, codes::UNENCRYPTED_TRANSPORT),
        [
            ("S/Cache".into(), Severity::Warning),
            ("S/Cdn".into(), Severity::Warning)
        ]
    );
}

#[test]
fn fw4040_fw4031_buckets() {
    let d = findings(json!({
        "Open": {"Type": "AWS::S3::Bucket", "Properties": {"PublicAccessBlockConfiguration": {"BlockPublicAcls": false}}, "DeletionPolicy": "Retain"},
        "Acl": {"Type": "AWS::S3::Bucket", "Properties": {"AccessControl": "PublicRead"}, "DeletionPolicy": "Retain"},
        "Private": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"},
        "PrivatePolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Private"}, "PolicyDocument": {"Statement": [{"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}}
    }));
    assert_eq!(
        of(&d, codes::PUBLIC_BUCKET),
        [
            ("S/Open".into(), Severity::Error),
            ("S/Acl".into(), Severity::Error)
        ]
    );
    assert_eq!(
        of(&d, codes::UNENCRYPTED_TRANSPORT),
        [
            ("S/Open".into(), Severity::Warning),
            ("S/Acl".into(), Severity::Warning)
        ]
    );
}

#[test]
fn fw4050_public_endpoints_without_a_cap() {
    let d = findings(json!({
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {}},
        "FnUrl": {"Type": "AWS::Lambda::Url", "Properties": {"AuthType": "NONE", "TargetFunctionArn": {"Fn::GetAtt": ["Fn", "Arn"]}}},
        "Capped": {"Type": "AWS::Lambda::Function", "Properties": {"ReservedConcurrentExecutions": 5}},
        "CappedUrl": {"Type": "AWS::Lambda::Url", "Properties": {"AuthType": "NONE", "TargetFunctionArn": {"Fn::GetAtt": ["Capped", "Arn"]}}},
        "IamUrl": {"Type": "AWS::Lambda::Url", "Properties": {"AuthType": "AWS_IAM", "TargetFunctionArn": {"Fn::GetAtt": ["Fn", "Arn"]}}},
        "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {}},
        "Open": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Api"}, "RouteKey": "GET /"}},
        "Throttled": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {}},
        "Stage": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"ApiId": {"Ref": "Throttled"}, "DefaultRouteSettings": {"ThrottlingRateLimit": 10}}},
        "Calm": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Throttled"}, "RouteKey": "GET /"}}
    }));
    assert_eq!(
        of(&d, codes::PUBLIC_ENDPOINT),
        [
            ("S/FnUrl".into(), Severity::Warning),
            ("S/Open".into(), Severity::Warning)
        ]
    );
}

#[test]
fn fw4060_fw4070_logs_and_listeners() {
    let d = findings(json!({
        "Forever": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
        "Month": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 30}},
        "Plain": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"Protocol": "HTTP", "Port": 80, "DefaultActions": [{"Type": "forward"}]}},
        "Redirect": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"Protocol": "HTTP", "Port": 80, "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS"}}]}},
        "Tls": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"Protocol": "HTTPS", "Port": 443}}
    }));
    assert_eq!(
        of(&d, codes::LOG_RETENTION),
        [("S/Forever".into(), Severity::Warning)]
    );
    assert_eq!(
        of(&d, codes::PLAIN_HTTP),
        [("S/Plain".into(), Severity::Warning)]
    );
}

#[test]
fn fw4080_mutable_images() {
    let d = findings(json!({
        "Latest": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Image": {"Fn::Sub": "${Repo.RepositoryUri}:latest"}}]}},
        "Digest": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Image": {"Fn::Sub": "${Repo.RepositoryUri}@sha256:abc"}}]}},
        "Untagged": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app"}}},
        "Repo": {"Type": "AWS::ECR::Repository", "Properties": {}, "DeletionPolicy": "Retain"},
        "Fixed": {"Type": "AWS::ECR::Repository", "Properties": {"ImageTagMutability": "IMMUTABLE"}, "DeletionPolicy": "Retain"}
    }));
    assert_eq!(
        of(&d, codes::MUTABLE_IMAGE),
        [
            ("S/Latest".into(), Severity::Warning),
            ("S/Untagged".into(), Severity::Warning),
            ("S/Repo".into(), Severity::Warning)
        ]
    );
}

#[test]
fn fw4090_stateful_resources_not_retained() {
    let d = findings(json!({
        "Gone": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
        "Snap": {"Type": "AWS::DynamoDB::Table", "Properties": {}, "DeletionPolicy": "Snapshot"},
        "Kept": {"Type": "AWS::SecretsManager::Secret", "Properties": {}, "DeletionPolicy": "RetainExceptOnCreate"},
        "Key": {"Type": "AWS::KMS::Key", "Properties": {}, "DeletionPolicy": "Snapshot"},
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {}}
    }));
    assert_eq!(
        of(&d, codes::NOT_RETAINED),
        [
            ("S/Gone".into(), Severity::Warning),
            ("S/Key".into(), Severity::Warning)
        ]
    );
}

#[test]
fn a_clean_template_has_no_findings() {
    assert!(
        findings(json!({
            "Param": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "v"}}
        }))
        .is_empty()
    );
}

#[test]
fn every_finding_id_is_documented_with_its_checkov_checks() {
    let docs = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/diagnostics.md"
    ))
    .expect("docs/diagnostics.md");
    for code in [
        codes::LITERAL_SECRET,
        codes::PARAMETER_ECHO,
        codes::PARAMETER_DEFAULT,
        codes::SSM_SECRET,
        codes::IAM_STAR_ACTION,
        codes::IAM_STAR_RESOURCE,
        codes::OPEN_INGRESS,
        codes::UNENCRYPTED_STORAGE,
        codes::UNENCRYPTED_TRANSPORT,
        codes::PUBLIC_BUCKET,
        codes::PUBLIC_ENDPOINT,
        codes::LOG_RETENTION,
        codes::PLAIN_HTTP,
        codes::MUTABLE_IMAGE,
        codes::NOT_RETAINED,
    ] {
        assert!(
            docs.contains(&format!("| {code} |")),
            "{code} is not in docs/diagnostics.md"
        );
    }
    assert_eq!(
        formwork_rules::checkov_checks(codes::LOG_RETENTION, "AWS::Logs::LogGroup"),
        ["CKV_AWS_66"]
    );
    assert!(
        formwork_rules::checkov_checks(codes::PUBLIC_ENDPOINT, "AWS::ApiGatewayV2::Route")
            .is_empty()
    );
}
