//! Unit tests of the S3 EventBridge source: what it writes by default and
//! with every option, how it merges into a bucket's notification
//! configuration, and every error.
#![cfg(all(feature = "s3", feature = "events", feature = "sqs"))]

use std::time::Duration;

use formwork_core::{App, Value};
use formwork_l1::s3::{CfnBucket, bucket};
use formwork_test_support::{failed, one_at, synth_and_lint, template, with_code};
use serde_json::json;

use super::event_source_codes as codes;
use super::*;
use crate::events::RetryPolicy;
use crate::lambda::{Code, FunctionProps, Runtime};
use crate::s3::{Bucket, BucketProps};
use crate::sqs::{Queue, QueueProps};

fn function(s: &Scope, id: &str) -> Function {
    Function::new(
        s,
        id,
        FunctionProps::new(Code::inline("def handler(e, c):\n    return e\n"))
            .runtime(Runtime::Python313)
            .handler("index.handler"),
    )
    .unwrap()
}

#[test]
fn a_bucket_without_a_name_sends_its_events_through_a_rule_to_the_function() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let b = Bucket::new(&s, "Uploads", BucketProps::new()).unwrap();
    let f = function(&s, "F");
    let dlq = Queue::new(&s, "Undelivered", QueueProps::new()).unwrap();
    f.add_event_source(
        &S3EventBridgeSource::new(
            &b,
            [
                S3ObjectEvent::Created,
                S3ObjectEvent::Deleted,
                S3ObjectEvent::Created,
            ],
        )
        .prefix("in/")
        .suffix(".csv")
        .retry_policy(
            RetryPolicy::new()
                .max_retry_attempts(3)
                .max_event_age(Duration::from_secs(3600)),
        )
        .dead_letter_queue(&dlq),
    )
    .unwrap();
    b.grant_read(&f).unwrap();
    let t = template(&synth_and_lint(&app, "lambda-s3-eventbridge-source"), "S");
    let r = &t["Resources"];
    assert_eq!(
        r["Uploads"]["Properties"]["NotificationConfiguration"],
        json!({"EventBridgeConfiguration": {"EventBridgeEnabled": true}})
    );
    assert!(
        r["Uploads"].get("DependsOn").is_none(),
        "no ordering: {}",
        r["Uploads"]
    );
    assert_eq!(
        r["FUploadsEvents"],
        json!({"Type": "AWS::Events::Rule", "Properties": {
            "EventPattern": {
                "source": ["aws.s3"],
                "detail-type": ["Object Created", "Object Deleted"],
                "detail": {
                    "bucket": {"name": [{"Ref": "Uploads"}]},
                    "object": {"key": [{"wildcard": "in/*.csv"}]}
                }
            },
            "State": "ENABLED",
            "Targets": [{
                "Arn": {"Fn::GetAtt": ["F", "Arn"]},
                "DeadLetterConfig": {"Arn": {"Fn::GetAtt": ["Undelivered", "Arn"]}},
                "Id": "Target0",
                "RetryPolicy": {"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 3}
            }]
        }})
    );
    assert_eq!(
        r["FUploadsEventsInvoke"],
        json!({"Type": "AWS::Lambda::Permission", "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Fn::GetAtt": ["F", "Arn"]},
            "Principal": "events.amazonaws.com",
            "SourceArn": {"Fn::GetAtt": ["FUploadsEvents", "Arn"]}
        }})
    );
    let statements = &r["FServiceRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert!(
        statements
            .as_array()
            .unwrap()
            .iter()
            .any(|st| st["Action"] == "s3:GetObject"
                && st["Resource"] == json!({"Fn::Sub": "${Uploads.Arn}/*"})),
        "read through the bucket itself: {statements}"
    );
}

#[test]
fn key_filters_map_to_prefix_suffix_or_an_escaped_wildcard() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let b = Bucket::new(&s, "B", BucketProps::new()).unwrap();
    let source = |p: Option<&str>, x: Option<&str>| {
        let mut src = S3EventBridgeSource::new(&b, S3ObjectEvent::ALL);
        if let Some(p) = p {
            src = src.prefix(p);
        }
        if let Some(x) = x {
            src = src.suffix(x);
        }
        src.pattern().to_value()
    };
    let key = |v: Value| {
        v.as_map().unwrap()["detail"]
            .as_map()
            .unwrap()
            .get("object")
            .cloned()
    };
    assert_eq!(key(source(None, None)), None, "every key by default");
    let k = |v: serde_json::Value| Some(Value::from(json!({"key": [v]})));
    assert_eq!(key(source(Some("in/"), None)), k(json!({"prefix": "in/"})));
    assert_eq!(
        key(source(None, Some(".csv"))),
        k(json!({"suffix": ".csv"}))
    );
    assert_eq!(
        key(source(Some("a*\\"), Some("*.x"))),
        k(json!({"wildcard": "a\\*\\\\*\\*.x"})),
        "`*` and `\\` in the prefix and suffix match themselves"
    );
    let all = source(None, None);
    assert_eq!(
        all.as_map().unwrap()["detail-type"],
        Value::from(json!([
            "Object Created",
            "Object Deleted",
            "Object Restore Initiated",
            "Object Restore Completed",
            "Object Restore Expired",
            "Object Tags Added",
            "Object Tags Deleted",
            "Object ACL Updated",
            "Object Storage Class Changed",
            "Object Access Tier Changed"
        ]))
    );
    assert_eq!(
        S3ObjectEvent::Other("Object Annotated".into()).detail_type(),
        "Object Annotated"
    );
}

#[test]
fn the_bucket_keeps_its_other_notification_destinations() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let b = Bucket::new(
        &s,
        "Named",
        BucketProps::new().bucket_name("named-123456789012"),
    )
    .unwrap();
    let queue_arn = "arn:aws:sqs:us-east-1:123456789012:audit";
    b.cfn().unwrap().update(|c: CfnBucket| {
        c.notification_configuration(
            bucket::NotificationConfiguration::new().queue_configurations([
                bucket::QueueConfiguration::new()
                    .event("s3:ObjectRemoved:*")
                    .queue(queue_arn),
            ]),
        )
    });
    let direct = function(&s, "Direct");
    direct
        .add_event_source(&S3EventSource::new(&b, [S3Event::ObjectCreated]))
        .unwrap();
    for id in ["Tagger", "Archiver"] {
        function(&s, id)
            .add_event_source(&S3EventBridgeSource::new(&b, [S3ObjectEvent::TagsAdded]))
            .unwrap();
    }
    let again = function(&s, "Again");
    again
        .add_event_source(&S3EventBridgeSource::new(&b, [S3ObjectEvent::Created]))
        .unwrap();
    let second = again.add_event_source(&S3EventBridgeSource::new(&b, [S3ObjectEvent::Deleted]));
    assert!(
        second.is_err_and(|e| e.to_string().contains("NamedEvents")),
        "one source per bucket and function"
    );
    let t = app.synth().unwrap().template_json("S").unwrap();
    assert_eq!(
        t["Resources"]["Named"]["Properties"]["NotificationConfiguration"],
        json!({
            "EventBridgeConfiguration": {"EventBridgeEnabled": true},
            "LambdaConfigurations": [
                {"Event": "s3:ObjectCreated:*", "Function": {"Fn::GetAtt": ["Direct", "Arn"]}}
            ],
            "QueueConfigurations": [{"Event": "s3:ObjectRemoved:*", "Queue": queue_arn}]
        })
    );
    for id in ["TaggerNamedEvents", "ArchiverNamedEvents"] {
        assert_eq!(
            t["Resources"][id]["Properties"]["EventPattern"]["detail"]["bucket"]["name"],
            json!([{"Ref": "Named"}])
        );
    }
}

#[test]
fn a_bucket_in_another_stack_is_matched_by_its_imported_name() {
    let app = App::new();
    let data = app.stack("Data").unwrap();
    let compute = app.stack("Compute").unwrap();
    let b = Bucket::new(&data, "Uploads", BucketProps::new()).unwrap();
    let f = function(&compute, "F");
    f.add_event_source(&S3EventBridgeSource::new(&b, [S3ObjectEvent::Created]))
        .unwrap();
    b.grant_read(&f).unwrap();
    let asm = synth_and_lint(&app, "lambda-s3-eventbridge-cross-stack");
    let d = template(&asm, "Data");
    assert_eq!(
        d["Resources"]["Uploads"]["Properties"]["NotificationConfiguration"],
        json!({"EventBridgeConfiguration": {"EventBridgeEnabled": true}})
    );
    let c = template(&asm, "Compute");
    let name = &c["Resources"]["FUploadsEvents"]["Properties"]["EventPattern"]["detail"]["bucket"]
        ["name"][0];
    assert!(name.get("Fn::ImportValue").is_some(), "{name}");
}

#[test]
fn an_imported_bucket_needs_eventbridge_turned_on_where_it_is_managed() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let imported = Bucket::from_name(&s, "Shared", "shared-123456789012").unwrap();
    let f = function(&s, "F");
    f.add_event_source(
        &S3EventBridgeSource::new(&imported, [S3ObjectEvent::Created])
            .eventbridge_enabled_elsewhere(),
    )
    .unwrap();
    let t = template(&synth_and_lint(&app, "lambda-s3-eventbridge-imported"), "S");
    assert_eq!(
        t["Resources"]["FSharedEvents"]["Properties"]["EventPattern"]["detail"]["bucket"]["name"],
        json!(["shared-123456789012"])
    );

    let app = App::new();
    let s = app.stack("S").unwrap();
    let imported = Bucket::from_name(&s, "Shared", "shared-123456789012").unwrap();
    let f = function(&s, "F");
    let line = line!() + 1;
    f.add_event_source(&S3EventBridgeSource::new(
        &imported,
        [S3ObjectEvent::Created],
    ))
    .unwrap();
    let errs = failed(&app);
    let d = one_at(
        &errs,
        codes::EVENTBRIDGE_NOT_ENABLED,
        "S/F",
        "NotificationConfiguration.EventBridgeConfiguration",
    );
    assert!(d.message.contains("S/Shared"), "{d}");
    assert!(
        d.fix
            .as_deref()
            .is_some_and(|f| f.contains("eventbridge_enabled_elsewhere")),
        "{d}"
    );
    let at = d.location.expect("a location");
    assert!(at.file.ends_with("s3_eventbridge_tests.rs"), "{at}");
    assert_eq!(at.line, line, "the line that added the source");
}

#[test]
fn events_key_filters_and_the_bucket_configuration_are_checked() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let b = Bucket::new(&s, "B", BucketProps::new()).unwrap();
    let f = function(&s, "F");
    f.add_event_source(&S3EventBridgeSource::new(&b, []))
        .unwrap();
    let g = function(&s, "G");
    g.add_event_source(
        &S3EventBridgeSource::new(&b, [S3ObjectEvent::Other(String::new())])
            .prefix("")
            .suffix(""),
    )
    .unwrap();
    let fixed = Bucket::new(&s, "Fixed", BucketProps::new()).unwrap();
    fixed.cfn().unwrap().update(|c: CfnBucket| {
        c.notification_configuration(formwork_core::Fn::import_value("shared-notifications"))
    });
    let h = function(&s, "H");
    h.add_event_source(&S3EventBridgeSource::new(&fixed, [S3ObjectEvent::Created]))
        .unwrap();
    let named = Bucket::new(
        &s,
        "Named",
        BucketProps::new().bucket_name("named-123456789012"),
    )
    .unwrap();
    named.cfn().unwrap().update(|c: CfnBucket| {
        c.notification_configuration(
            bucket::NotificationConfiguration::new()
                .lambda_configurations(formwork_core::Fn::import_value("shared-lambdas")),
        )
    });
    h.add_event_source(&S3EventSource::new(&named, [S3Event::ObjectCreated]))
        .unwrap();
    let k = function(&s, "K");
    k.add_event_source(
        &S3EventBridgeSource::new(&b, [S3ObjectEvent::Created])
            .retry_policy(RetryPolicy::new().max_retry_attempts(186)),
    )
    .unwrap();
    let errs = failed(&app);
    let no_events = with_code(&errs.0, codes::NO_EVENTS);
    assert_eq!(no_events.len(), 2, "{errs}");
    assert_eq!(no_events[0].path, "S/F");
    assert!(
        no_events[0]
            .message
            .contains("allowed: S3ObjectEvent::Created (\"Object Created\")"),
        "{}",
        no_events[0]
    );
    assert_eq!(no_events[1].path, "S/G");
    assert!(no_events[1].message.contains("empty name"));
    let filters = with_code(&errs.0, codes::KEY_FILTER);
    assert_eq!(filters.len(), 2, "{errs}");
    assert!(filters[0].message.contains("empty key prefix"));
    assert!(filters[1].message.contains("empty key suffix"));
    assert_eq!(
        filters[0].property.as_deref(),
        Some("EventPattern.detail.object.key")
    );
    let merge = with_code(&errs.0, codes::NOTIFICATION_MERGE);
    assert_eq!(merge.len(), 2, "{errs}");
    assert!(merge[0].message.contains("S/Fixed"));
    assert!(merge[1].message.contains("S/Named"));
    assert_eq!(
        merge[1].property.as_deref(),
        Some("NotificationConfiguration.LambdaConfigurations")
    );
    let retry = with_code(&errs.0, crate::events::codes::RETRY);
    assert_eq!(retry.len(), 1, "{errs}");
    assert_eq!(retry[0].path, "S/K/BEvents");
    // The out-of-range retry count is also the schema's FW0106, as for
    // any rule target.
    let others = errs.0.iter().filter(|d| d.code != "FW0106").count();
    assert_eq!(others, 7, "nothing else: {errs}");
}

#[test]
fn add_to_returns_the_rule_it_made() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let b = Bucket::new(&s, "Uploads", BucketProps::new()).unwrap();
    let f = function(&s, "F");
    let rule = S3EventBridgeSource::new(&b, [S3ObjectEvent::Created])
        .add_to(&f)
        .unwrap()
        .expect("a rule");
    assert_eq!(rule.cfn().logical_id(), "FUploadsEvents");
    // The rule takes more: a second target, beside the function.
    let q = Queue::new(&s, "Audit", QueueProps::new()).unwrap();
    rule.add_target(crate::events::RuleTarget::sqs(&q)).unwrap();
    let t = template(&synth_and_lint(&app, "lambda-s3-eventbridge-add-to"), "S");
    let targets = t["Resources"]["FUploadsEvents"]["Properties"]["Targets"]
        .as_array()
        .expect("targets");
    assert_eq!(targets.len(), 2);

    // No rule when the source cannot work: the error is reported at the
    // line that called add_to.
    let app = App::new();
    let s = app.stack("S").unwrap();
    let imported = Bucket::from_name(&s, "Shared", "shared-123456789012").unwrap();
    let f = function(&s, "F");
    let line = line!() + 1;
    let none = S3EventBridgeSource::new(&imported, [S3ObjectEvent::Created]).add_to(&f);
    assert!(none.unwrap().is_none());
    let errs = failed(&app);
    let d = one_at(
        &errs,
        codes::EVENTBRIDGE_NOT_ENABLED,
        "S/F",
        "NotificationConfiguration.EventBridgeConfiguration",
    );
    assert_eq!(d.location.expect("a location").line, line);
}
