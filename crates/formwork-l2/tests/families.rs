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

/// A schedule and a pattern rule on a custom bus, with a target of each
/// kind, their input shaping, retries and a dead-letter queue.
#[cfg(all(feature = "events", feature = "lambda", feature = "stepfunctions"))]
#[test]
fn eventbridge_rules_and_targets() {
    use formwork_l2::events::{
        EventBus, EventBusProps, EventPattern, RetryPolicy, Rule, RuleProps, RuleTarget, Schedule,
        TargetInput,
    };
    use formwork_l2::lambda::{Code, Function, FunctionProps, Runtime};
    use formwork_l2::stepfunctions::{Definition, Pass, StateMachine, StateMachineProps};
    use std::time::Duration;

    let app = App::new();
    let s = app.stack("Shop").unwrap();
    let report = Function::new(
        &s,
        "Report",
        FunctionProps::new(Code::inline("def handler(e, c):\n    return e\n"))
            .runtime(Runtime::Python313)
            .handler("index.handler"),
    )
    .unwrap();
    let nightly = Rule::new(
        &s,
        "Nightly",
        RuleProps::schedule(Schedule::cron("0 3 * * ? *")).description("Nightly report"),
    )
    .unwrap();
    nightly
        .add_target(
            RuleTarget::lambda(&report).input(TargetInput::Json(json!({"kind": "nightly"}))),
        )
        .unwrap();
    let hourly = Rule::new(
        &s,
        "Hourly",
        RuleProps::schedule(Schedule::rate(Duration::from_secs(3600))),
    )
    .unwrap();
    hourly.add_target(RuleTarget::lambda(&report)).unwrap();
    let bus = EventBus::new(&s, "Orders", EventBusProps::new("orders")).unwrap();
    let billing = Queue::new(&s, "Billing", QueueProps::new()).unwrap();
    let failed = Queue::new(&s, "Undelivered", QueueProps::new()).unwrap();
    let alerts = Topic::new(
        &s,
        "Alerts",
        TopicProps::new().encryption(TopicEncryption::Kms { key: None }),
    )
    .unwrap();
    let fulfil = StateMachine::new(
        &s,
        "Fulfil",
        StateMachineProps::new(Definition::new("Go").state("Go", Pass::new().end())),
    )
    .unwrap();
    let placed = Rule::new(
        &s,
        "Placed",
        RuleProps::pattern(
            EventPattern::new()
                .source(["shop.orders"])
                .detail_type(["Order Placed"])
                .detail(json!({"total": [{"numeric": [">", 0]}]})),
        )
        .event_bus(&bus),
    )
    .unwrap();
    placed
        .add_target(
            RuleTarget::sqs(&billing)
                .input(TargetInput::Path("$.detail".into()))
                .retry_policy(RetryPolicy::new().max_retry_attempts(8))
                .dead_letter_queue(&failed),
        )
        .unwrap();
    placed
        .add_target(RuleTarget::sns(&alerts).input(TargetInput::Transformer {
            paths: vec![("id".into(), "$.detail.id".into())],
            template: "\"Order <id> placed\"".into(),
        }))
        .unwrap();
    placed
        .add_target(RuleTarget::state_machine(&fulfil))
        .unwrap();
    let t = check(&app, "events");
    assert_eq!(
        t["Resources"]["Nightly"]["Properties"]["ScheduleExpression"],
        "cron(0 3 * * ? *)"
    );
}

/// A function fed by a queue, a table's stream and a bucket's
/// notifications.
#[cfg(all(feature = "lambda", feature = "dynamodb"))]
#[test]
fn lambda_event_sources() {
    use formwork_l2::dynamodb::{Attribute, StreamView, Table, TableProps};
    use formwork_l2::lambda::{
        Code, DynamoEventSource, Function, FunctionProps, Runtime, S3Event, S3EventSource,
        SqsEventSource, StartingPosition,
    };

    let app = App::new();
    let s = app.stack("Media").unwrap();
    let worker = Function::new(
        &s,
        "Worker",
        FunctionProps::new(Code::inline(
            "def handler(e, c):\n    return {'batchItemFailures': []}\n",
        ))
        .runtime(Runtime::Python313)
        .handler("index.handler")
        .timeout_secs(60),
    )
    .unwrap();
    let jobs = Queue::new(
        &s,
        "Jobs",
        QueueProps::new()
            .visibility_timeout_seconds(360)
            .encryption(formwork_l2::sqs::QueueEncryption::Kms { key: None }),
    )
    .unwrap();
    worker
        .add_event_source(
            &SqsEventSource::new(&jobs)
                .batch_size(50)
                .max_batching_window_secs(5)
                .report_batch_item_failures(true),
        )
        .unwrap();
    let items = Table::new(
        &s,
        "Items",
        TableProps::new(Attribute::string("id")).stream(StreamView::NewAndOldImages),
    )
    .unwrap();
    let failed = Queue::new(&s, "StreamFailures", QueueProps::new()).unwrap();
    worker
        .add_event_source(
            &DynamoEventSource::new(&items, StartingPosition::TrimHorizon)
                .retry_attempts(3)
                .bisect_batch_on_error(true)
                .on_failure(&failed),
        )
        .unwrap();
    let uploads = Bucket::new(
        &s,
        "Uploads",
        BucketProps::new().bucket_name("media-uploads-123456789012"),
    )
    .unwrap();
    worker
        .add_event_source(
            &S3EventSource::new(&uploads, [S3Event::ObjectCreated])
                .prefix("incoming/")
                .suffix(".jpg"),
        )
        .unwrap();
    Bucket::from_name(&s, "UploadsByName", "media-uploads-123456789012")
        .unwrap()
        .grant_read(&worker)
        .unwrap();
    let t = check(&app, "event-sources");
    assert_eq!(
        t["Resources"]["Uploads"]["DependsOn"],
        json!(["WorkerUploadsNotifications"])
    );
}
