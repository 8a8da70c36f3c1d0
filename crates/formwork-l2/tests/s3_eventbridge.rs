//! A whole-template snapshot (in `snapshots/`) of a function fed by a
//! bucket's object events through EventBridge, through cfn-lint and
//! checkov: the bucket has a generated name, the function reads it
//! through `grant_read`, and the rule retries into a dead-letter queue.
//!
//! The queue is encrypted with a key of its own (EventBridge can use it:
//! the key policy lets the rule's service encrypt) and the log group keeps
//! a month, as a production app would have them: checkov 3.3.30 reads
//! neither SSE-SQS, the queue's default (CKV_AWS_27 looks only for
//! `KmsMasterKeyId`), nor a log group kept forever, the function's default
//! (CKV_AWS_66), as passing.
#![cfg(all(
    feature = "lambda",
    feature = "s3",
    feature = "events",
    feature = "sqs"
))]

use std::path::PathBuf;
use std::time::Duration;

use formwork_core::App;
use formwork_l2::events::RetryPolicy;
use formwork_l2::lambda::{
    Code, Function, FunctionProps, Runtime, S3EventBridgeSource, S3ObjectEvent,
};
use formwork_l2::logs::Retention;
use formwork_l2::s3::{Bucket, BucketProps};
use formwork_l2::sqs::{Queue, QueueEncryption, QueueProps};
use formwork_test_support::{checkov_files, lint_files, scratch_dir, snapshot, template};
use serde_json::json;

#[test]
fn a_function_fed_by_object_events_through_eventbridge() {
    let app = App::new();
    let s = app.stack("Thumbnails").unwrap();
    let uploads = Bucket::new(&s, "Uploads", BucketProps::new()).unwrap();
    let undelivered = Queue::new(
        &s,
        "Undelivered",
        QueueProps::new().encryption(QueueEncryption::Kms { key: None }),
    )
    .unwrap();
    let thumbnailer = Function::new(
        &s,
        "Thumbnailer",
        FunctionProps::new(Code::inline(
            "def handler(event, context):\n    return event['detail']['object']['key']\n",
        ))
        .runtime(Runtime::Python313)
        .handler("index.handler")
        .log_retention(Retention::OneMonth),
    )
    .unwrap();
    thumbnailer
        .add_event_source(
            &S3EventBridgeSource::new(&uploads, [S3ObjectEvent::Created])
                .prefix("images/")
                .suffix(".jpg")
                .retry_policy(RetryPolicy::new().max_event_age(Duration::from_secs(3600)))
                .dead_letter_queue(&undelivered),
        )
        .unwrap();
    uploads.grant_read(&thumbnailer).unwrap();

    let asm = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let dir = scratch_dir("l2-s3-eventbridge");
    asm.write(&dir).expect("write assembly");
    let files: Vec<PathBuf> = asm.stacks.iter().map(|s| dir.join(&s.file_name)).collect();
    lint_files(&files);
    checkov_files(&files);
    let stack = &asm.stacks[0];
    snapshot(
        &format!("l2-s3-eventbridge__{}", stack.name),
        &stack.template,
    );
    let t = template(&asm, &stack.name);
    assert_eq!(
        t["Resources"]["ThumbnailerUploadsEvents"]["Properties"]["EventPattern"]["detail"],
        json!({"bucket": {"name": [{"Ref": "Uploads"}]}, "object": {"key": [{"wildcard": "images/*.jpg"}]}})
    );
}
