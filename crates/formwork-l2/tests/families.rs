//! One whole-template snapshot per construct family added with IAM users,
//! KMS, Route 53, SQS and SNS (in `snapshots/`), each through cfn-lint:
//! the diff of a snapshot is the review of a change in what they write.
#![cfg(all(
    feature = "iam",
    feature = "kms",
    feature = "s3",
    feature = "route53",
    feature = "sqs",
    feature = "sns",
    feature = "secretsmanager",
    feature = "elasticloadbalancingv2",
    feature = "certificatemanager"
))]

use formwork_core::{App, Environment};
use formwork_l2::certificatemanager::{Certificate, CertificateProps};
use formwork_l2::ec2::{Vpc, VpcProps};
use formwork_l2::elasticloadbalancingv2::{ApplicationLoadBalancer, ApplicationLoadBalancerProps};
use formwork_l2::iam::{AccessKey, AccessKeyProps, Group, GroupProps, User, UserProps};
use formwork_l2::kms::{Key, KeyProps};
use formwork_l2::route53::{AliasTarget, HostedZone, HostedZoneProps, Record, RecordProps};
use formwork_l2::s3::{Bucket, BucketProps, Encryption};
use formwork_l2::sns::{Topic, TopicEncryption, TopicProps};
use formwork_l2::sqs::{DeadLetterQueue, Queue, QueueProps};
use formwork_test_support::{lint, snapshot, template};
use serde_json::json;

fn check(app: &App, name: &str) -> serde_json::Value {
    let asm = app.synth().unwrap_or_else(|e| panic!("{e}"));
    lint(&asm, name);
    let s = &asm.stacks[0];
    snapshot(&format!("l2-{name}__{}", s.name), &s.template);
    template(&asm, &s.name)
}

/// A bucket shared with an IAM user through `grant_read_write`, the user's
/// access key kept in a secret, and a group with a KMS key grant.
#[test]
fn iam_users_and_groups() {
    let app = App::new();
    let s = app.stack("Partners").unwrap();
    let exports = Bucket::new(&s, "Exports", BucketProps::new()).unwrap();
    let partner = User::new(&s, "Partner", UserProps::new()).unwrap();
    exports.grant_read_write(&partner).unwrap();
    AccessKey::new(&s, "PartnerKey", &partner, AccessKeyProps::new()).unwrap();
    let auditors = Group::new(&s, "Auditors", GroupProps::new()).unwrap();
    exports.grant_read(&auditors).unwrap();
    auditors.add_user(&partner);
    let t = check(&app, "iam-users");
    let st = &t["Resources"]["Partner"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(
        st[0]["Action"],
        json!(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
    );
    assert_eq!(st[1]["Action"], "s3:ListBucket");
    assert!(t.get("Outputs").is_none(), "no key in an output");
}

/// A bucket encrypted with a key it creates, another with a shared key
/// and its alias.
#[test]
fn kms_keys() {
    let app = App::new();
    let s = app.stack("Data").unwrap();
    Bucket::new(
        &s,
        "Images",
        BucketProps::new().encryption(Encryption::Kms { key: None }),
    )
    .unwrap();
    let shared = Key::new(&s, "Shared", KeyProps::new().alias("alias/data")).unwrap();
    let docs = Bucket::new(
        &s,
        "Docs",
        BucketProps::new().encryption(Encryption::Kms { key: Some(shared) }),
    )
    .unwrap();
    let reader = User::new(&s, "Reader", UserProps::new()).unwrap();
    docs.grant_read(&reader).unwrap();
    let t = check(&app, "kms");
    assert_eq!(t["Resources"]["ImagesKey"]["Type"], "AWS::KMS::Key");
    assert_eq!(
        t["Resources"]["Images"]["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
            [0]["ServerSideEncryptionByDefault"]["KMSMasterKeyID"],
        json!({"Fn::GetAtt": ["ImagesKey", "Arn"]})
    );
}

/// A zone with an alias record to a load balancer and a certificate
/// validated in the zone.
#[test]
fn route53_zone_records_and_certificate() {
    let app = App::new();
    let s = app
        .stack_in("Web", Environment::agnostic().region("ap-northeast-1"))
        .unwrap();
    let zone = HostedZone::new(&s, "Zone", HostedZoneProps::new("example.com")).unwrap();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
    let alb =
        ApplicationLoadBalancer::new(&s, "Alb", ApplicationLoadBalancerProps::new(&vpc)).unwrap();
    Record::new(
        &s,
        "Api",
        RecordProps::a(&zone, AliasTarget::load_balancer(&alb)).record_name("api"),
    )
    .unwrap();
    Record::new(
        &s,
        "ApiV6",
        RecordProps::aaaa(&zone, AliasTarget::load_balancer(&alb)).record_name("api"),
    )
    .unwrap();
    Record::new(
        &s,
        "Verify",
        RecordProps::txt(&zone, "", ["google-site-verification=abc"]),
    )
    .unwrap();
    Record::new(
        &s,
        "Www",
        RecordProps::cname(&zone, "www", "api.example.com"),
    )
    .unwrap();
    Certificate::new(
        &s,
        "Cert",
        CertificateProps::new("api.example.com").hosted_zone(&zone),
    )
    .unwrap();
    let t = check(&app, "route53");
    assert_eq!(
        t["Resources"]["Api"]["Properties"]["AliasTarget"],
        json!({
            "DNSName": {"Fn::Sub": "dualstack.${Alb.DNSName}"},
            "EvaluateTargetHealth": false,
            "HostedZoneId": {"Fn::GetAtt": ["Alb", "CanonicalHostedZoneID"]}
        })
    );
    assert_eq!(
        t["Resources"]["Cert"]["Properties"]["DomainValidationOptions"][0]["HostedZoneId"],
        json!({"Ref": "Zone"})
    );
}

/// Queues with a dead-letter queue and a topic delivering to one.
#[test]
fn queues_and_topics() {
    let app = App::new();
    let s = app.stack("Orders").unwrap();
    let dlq = Queue::new(&s, "Failed", QueueProps::new()).unwrap();
    let jobs = Queue::new(
        &s,
        "Jobs",
        QueueProps::new()
            .visibility_timeout_seconds(120)
            .dead_letter_queue(DeadLetterQueue::new(&dlq, 5)),
    )
    .unwrap();
    let placed = Topic::new(
        &s,
        "Placed",
        TopicProps::new().encryption(TopicEncryption::Kms { key: None }),
    )
    .unwrap();
    placed.add_sqs_subscription("Jobs", &jobs).unwrap();
    let worker = User::new(&s, "Worker", UserProps::new()).unwrap();
    jobs.grant_consume_messages(&worker).unwrap();
    placed.grant_publish(&worker).unwrap();
    check(&app, "messaging");
}
