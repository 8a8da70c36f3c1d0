//! Unit tests of the Lambda event sources: each mapping's defaults, the
//! exact grants, and every error.
#![cfg(all(feature = "sqs", feature = "dynamodb", feature = "s3"))]

use std::time::Duration;

use formwork_core::App;
use formwork_test_support::{failed, synth_and_lint, template, with_code};
use serde_json::json;

use super::event_source_codes as codes;
use super::*;
use crate::dynamodb::{Attribute, StreamView, Table, TableProps};
use crate::lambda::{Code, FunctionProps, Runtime};
use crate::s3::{Bucket, BucketProps};
use crate::sqs::{Queue, QueueEncryption, QueueProps};

fn function(s: &Scope, id: &str, timeout: u32) -> Function {
    Function::new(
        s,
        id,
        FunctionProps::new(Code::inline("def handler(e, c):\n    return e\n"))
            .runtime(Runtime::Python313)
            .handler("index.handler")
            .timeout_secs(timeout),
    )
    .unwrap()
}

fn statements(t: &serde_json::Value, role: &str) -> serde_json::Value {
    t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].clone()
}

#[test]
fn an_sqs_source_grants_exactly_polling_and_the_key() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let q = Queue::new(
        &s,
        "Jobs",
        QueueProps::new().encryption(QueueEncryption::Kms { key: None }),
    )
    .unwrap();
    let f = function(&s, "F", 30);
    f.add_event_source(&SqsEventSource::new(&q)).unwrap();
    let g = function(&s, "G", 3);
    let fifo = Queue::new(&s, "Fifo", QueueProps::new().fifo(true)).unwrap();
    g.add_event_source(
        &SqsEventSource::new(&fifo)
            .batch_size(10)
            .report_batch_item_failures(true)
            .max_concurrency(5)
            .enabled(false),
    )
    .unwrap();
    let t = template(&synth_and_lint(&app, "lambda-sqs-source"), "S");
    assert_eq!(
        t["Resources"]["FJobsEventSource"],
        json!({"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
            "EventSourceArn": {"Fn::GetAtt": ["Jobs", "Arn"]}, "FunctionName": {"Ref": "F"}}})
    );
    let st = statements(&t, "FServiceRole");
    let st = st.as_array().unwrap();
    let sqs = st
        .iter()
        .find(|s| s["Resource"] == json!({"Fn::GetAtt": ["Jobs", "Arn"]}))
        .unwrap();
    assert_eq!(
        sqs["Action"],
        json!([
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes"
        ])
    );
    let kms = st
        .iter()
        .find(|s| s["Resource"] == json!({"Fn::GetAtt": ["JobsKey", "Arn"]}))
        .unwrap();
    assert_eq!(kms["Action"], "kms:Decrypt");
    assert_eq!(
        t["Resources"]["GFifoEventSource"]["Properties"],
        json!({"BatchSize": 10, "Enabled": false, "EventSourceArn": {"Fn::GetAtt": ["Fifo", "Arn"]},
               "FunctionName": {"Ref": "G"}, "FunctionResponseTypes": ["ReportBatchItemFailures"],
               "ScalingConfig": {"MaximumConcurrency": 5}})
    );
}

#[test]
fn sqs_batch_rules_are_errors() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let std_q = Queue::new(&s, "Std", QueueProps::new()).unwrap();
    let fifo = Queue::new(&s, "Fifo", QueueProps::new().fifo(true)).unwrap();
    let f = function(&s, "F", 3);
    f.add_event_source(
        &SqsEventSource::new(&fifo)
            .batch_size(11)
            .max_batching_window_secs(1),
    )
    .unwrap();
    let g = function(&s, "G", 3);
    g.add_event_source(
        &SqsEventSource::new(&std_q)
            .batch_size(20_000)
            .max_concurrency(1),
    )
    .unwrap();
    let h = function(&s, "H", 60);
    h.add_event_source(&SqsEventSource::new(&std_q).max_batching_window_secs(301))
        .unwrap();
    let errs = failed(&app);
    let paths = |code| {
        let mut v: Vec<String> = with_code(&errs.0, code)
            .iter()
            .map(|d| d.path.clone())
            .collect();
        v.sort();
        v
    };
    assert_eq!(paths(codes::BATCH_SIZE), ["S/F", "S/G"]);
    assert_eq!(paths(codes::BATCHING_WINDOW), ["S/F", "S/G", "S/H"]);
    assert_eq!(paths(codes::RANGE), ["S/G"]);
    assert_eq!(paths(codes::VISIBILITY_TIMEOUT), ["S/H"]);
    let v = with_code(&errs.0, codes::VISIBILITY_TIMEOUT)[0];
    assert!(
        v.message.contains("S/Std") && v.message.contains("30 s") && v.message.contains("60 s")
    );
}

#[test]
fn a_stream_source_needs_a_stream_and_grants_reading_it() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let with = Table::new(
        &s,
        "Orders",
        TableProps::new(Attribute::string("id")).stream(StreamView::NewImage),
    )
    .unwrap();
    let failures = Queue::new(&s, "Failures", QueueProps::new()).unwrap();
    let f = function(&s, "F", 3);
    f.add_event_source(
        &DynamoEventSource::new(&with, StartingPosition::TrimHorizon)
            .batch_size(50)
            .max_batching_window_secs(2)
            .retry_attempts(3)
            .max_record_age(Duration::from_secs(3600))
            .bisect_batch_on_error(true)
            .parallelization_factor(2)
            .report_batch_item_failures(true)
            .on_failure(&failures),
    )
    .unwrap();
    let t = template(&synth_and_lint(&app, "lambda-dynamodb-source"), "S");
    assert_eq!(
        t["Resources"]["FOrdersEventSource"]["Properties"],
        json!({"BatchSize": 50, "BisectBatchOnFunctionError": true,
               "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": ["Failures", "Arn"]}}},
               "EventSourceArn": {"Fn::GetAtt": ["Orders", "StreamArn"]},
               "FunctionName": {"Ref": "F"}, "FunctionResponseTypes": ["ReportBatchItemFailures"],
               "MaximumBatchingWindowInSeconds": 2, "MaximumRecordAgeInSeconds": 3600,
               "MaximumRetryAttempts": 3, "ParallelizationFactor": 2, "StartingPosition": "TRIM_HORIZON"})
    );
    let st = statements(&t, "FServiceRole");
    let stream = st
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Resource"] == json!({"Fn::GetAtt": ["Orders", "StreamArn"]}))
        .unwrap();
    assert!(
        stream["Action"]
            .as_array()
            .unwrap()
            .contains(&json!("dynamodb:GetRecords"))
    );

    let app = App::new();
    let s = app.stack("S").unwrap();
    let without = Table::new(&s, "Plain", TableProps::new(Attribute::string("id"))).unwrap();
    let fifo = Queue::new(&s, "Fifo", QueueProps::new().fifo(true)).unwrap();
    let with = Table::new(
        &s,
        "Orders",
        TableProps::new(Attribute::string("id")).stream(StreamView::KeysOnly),
    )
    .unwrap();
    let f = function(&s, "F", 3);
    f.add_event_source(&DynamoEventSource::new(&without, StartingPosition::Latest))
        .unwrap();
    f.add_event_source(
        &DynamoEventSource::new(&with, StartingPosition::Latest)
            .batch_size(0)
            .max_batching_window_secs(400)
            .retry_attempts(10_001)
            .max_record_age(Duration::from_secs(10))
            .parallelization_factor(11)
            .on_failure(&fifo),
    )
    .unwrap();
    let errs = failed(&app);
    let no_stream = with_code(&errs.0, codes::NO_STREAM);
    assert_eq!(no_stream.len(), 1);
    assert!(no_stream[0].message.contains("S/Plain"));
    assert_eq!(with_code(&errs.0, codes::BATCH_SIZE).len(), 1);
    assert_eq!(with_code(&errs.0, codes::BATCHING_WINDOW).len(), 1);
    assert_eq!(with_code(&errs.0, codes::RANGE).len(), 3);
    assert_eq!(with_code(&errs.0, codes::ON_FAILURE).len(), 1);
}

#[test]
fn an_s3_source_writes_the_notification_after_its_permission() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let b = Bucket::new(
        &s,
        "Uploads",
        BucketProps::new().bucket_name("uploads-123456789012"),
    )
    .unwrap();
    let f = function(&s, "F", 3);
    f.add_event_source(
        &S3EventSource::new(&b, [S3Event::ObjectCreated, S3Event::ObjectRemovedDelete])
            .prefix("in/")
            .suffix(".csv"),
    )
    .unwrap();
    Bucket::from_name(&s, "UploadsByName", "uploads-123456789012")
        .unwrap()
        .grant_read(&f)
        .unwrap();
    let t = template(&synth_and_lint(&app, "lambda-s3-source"), "S");
    let r = &t["Resources"];
    assert_eq!(r["Uploads"]["DependsOn"], json!(["FUploadsNotifications"]));
    let filter = json!({"S3Key": {"Rules": [{"Name": "prefix", "Value": "in/"}, {"Name": "suffix", "Value": ".csv"}]}});
    assert_eq!(
        r["Uploads"]["Properties"]["NotificationConfiguration"],
        json!({"LambdaConfigurations": [
            {"Event": "s3:ObjectCreated:*", "Filter": filter, "Function": {"Fn::GetAtt": ["F", "Arn"]}},
            {"Event": "s3:ObjectRemoved:Delete", "Filter": filter, "Function": {"Fn::GetAtt": ["F", "Arn"]}}
        ]})
    );
    assert_eq!(
        r["FUploadsNotifications"]["Properties"],
        json!({"Action": "lambda:InvokeFunction", "FunctionName": {"Fn::GetAtt": ["F", "Arn"]},
               "Principal": "s3.amazonaws.com",
               "SourceAccount": {"Ref": "AWS::AccountId"},
               "SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:s3:::uploads-123456789012"}})
    );
}

#[test]
fn s3_sources_need_events_an_owned_bucket_and_a_name() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let unnamed = Bucket::new(&s, "Unnamed", BucketProps::new()).unwrap();
    let imported = Bucket::from_name(&s, "Imported", "someone-elses-bucket").unwrap();
    let named = Bucket::new(
        &s,
        "Named",
        BucketProps::new().bucket_name("named-123456789012"),
    )
    .unwrap();
    let f = function(&s, "F", 3);
    f.add_event_source(&S3EventSource::new(&unnamed, [S3Event::ObjectCreated]))
        .unwrap();
    f.add_event_source(&S3EventSource::new(&imported, [S3Event::ObjectCreated]))
        .unwrap();
    f.add_event_source(&S3EventSource::new(&named, [])).unwrap();
    let overlapping = Bucket::new(
        &s,
        "Overlapping",
        BucketProps::new().bucket_name("overlap-123456789012"),
    )
    .unwrap();
    f.add_event_source(
        &S3EventSource::new(
            &overlapping,
            [S3Event::ObjectCreated, S3Event::ObjectRemoved],
        )
        .prefix("in/"),
    )
    .unwrap();
    let g = function(&s, "G", 3);
    g.add_event_source(
        &S3EventSource::new(&overlapping, [S3Event::ObjectCreatedPut]).prefix("in/csv/"),
    )
    .unwrap();
    g.add_event_source(&S3EventSource::new(&named, [S3Event::ObjectCreatedPut]).prefix("a/"))
        .unwrap();
    let h = function(&s, "H", 3);
    h.add_event_source(&S3EventSource::new(&named, [S3Event::ObjectCreatedPut]).prefix("b/"))
        .unwrap();
    let errs = failed(&app);
    let overlap = with_code(&errs.0, codes::OVERLAP);
    assert_eq!(overlap.len(), 1, "only in/csv/ under in/ overlaps");
    assert_eq!(overlap[0].path, "S/G");
    assert!(overlap[0].message.contains("s3:ObjectCreated:*"));
    assert_eq!(with_code(&errs.0, codes::BUCKET_NAME).len(), 1);
    assert_eq!(with_code(&errs.0, codes::BUCKET_NOT_MANAGED).len(), 1);
    assert_eq!(with_code(&errs.0, codes::NO_EVENTS).len(), 1);
    assert_eq!(
        S3Event::Other("s3:LifecycleExpiration:*".into()).as_str(),
        "s3:LifecycleExpiration:*"
    );
}
