//! Unit tests of the EventBridge constructs: defaults, every target's
//! permission, and every error.
#![cfg(all(
    feature = "lambda",
    feature = "sqs",
    feature = "sns",
    feature = "stepfunctions"
))]

use std::time::Duration;

use formwork_core::App;
use formwork_test_support::{failed, synth_and_lint, template, with_code};
use serde_json::json;

use super::*;
use crate::iam::{User, UserProps};
use crate::lambda::{Code, Function, FunctionProps, Runtime};
use crate::sns::{Topic, TopicEncryption, TopicProps};
use crate::sqs::{Queue, QueueEncryption, QueueProps};
use crate::stepfunctions::{Definition, Pass, StateMachine, StateMachineProps};

fn function(s: &formwork_core::Scope, id: &str) -> Function {
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
fn a_rule_is_enabled_on_the_default_bus() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let r = Rule::new(
        &s,
        "R",
        RuleProps::schedule(Schedule::rate(Duration::from_secs(300))),
    )
    .unwrap();
    r.add_target(RuleTarget::lambda(&function(&s, "F")))
        .unwrap();
    let t = template(&synth_and_lint(&app, "events-defaults"), "S");
    assert_eq!(
        t["Resources"]["R"]["Properties"],
        json!({"ScheduleExpression": "rate(5 minutes)", "State": "ENABLED",
               "Targets": [{"Arn": {"Fn::GetAtt": ["F", "Arn"]}, "Id": "Target0"}]})
    );
    assert_eq!(
        t["Resources"]["FRInvoke"]["Properties"],
        json!({"Action": "lambda:InvokeFunction", "FunctionName": {"Fn::GetAtt": ["F", "Arn"]},
               "Principal": "events.amazonaws.com", "SourceArn": {"Fn::GetAtt": ["R", "Arn"]}})
    );
    assert!(r.events_role().is_none());
    assert_eq!(r.metric_failed_invocations().namespace(), "AWS/Events");
}

#[test]
fn every_target_gets_its_permission_on_a_custom_bus() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let bus = EventBus::new(
        &s,
        "Bus",
        EventBusProps::new("orders")
            .description("orders")
            .tag("team", "shop"),
    )
    .unwrap();
    let q = Queue::new(
        &s,
        "Q",
        QueueProps::new().encryption(QueueEncryption::Kms { key: None }),
    )
    .unwrap();
    let fifo = Queue::new(&s, "Fifo", QueueProps::new().fifo(true)).unwrap();
    let dlq = Queue::new(&s, "Dlq", QueueProps::new()).unwrap();
    let topic = Topic::new(
        &s,
        "T",
        TopicProps::new().encryption(TopicEncryption::Kms { key: None }),
    )
    .unwrap();
    let machine = StateMachine::new(
        &s,
        "M",
        StateMachineProps::new(Definition::new("Go").state("Go", Pass::new().end())),
    )
    .unwrap();
    let r = Rule::new(
        &s,
        "Placed",
        RuleProps::pattern(
            EventPattern::new()
                .source(["shop.orders"])
                .detail_type(["Order Placed"]),
        )
        .event_bus(&bus)
        .rule_name("order-placed")
        .description("Orders placed")
        .enabled(false)
        .tag("team", "shop"),
    )
    .unwrap();
    r.add_target(
        RuleTarget::sqs(&q)
            .input(TargetInput::Path("$.detail".into()))
            .retry_policy(
                RetryPolicy::new()
                    .max_retry_attempts(3)
                    .max_event_age(Duration::from_secs(3600)),
            )
            .dead_letter_queue(&dlq),
    )
    .unwrap();
    r.add_target(RuleTarget::sqs(&fifo).message_group_id("orders"))
        .unwrap();
    r.add_target(RuleTarget::sns(&topic).input(TargetInput::Transformer {
        paths: vec![("id".into(), "$.detail.id".into())],
        template: "\"Order <id> placed by rule <aws.events.rule-name>\"".into(),
    }))
    .unwrap();
    r.add_target(
        RuleTarget::state_machine(&machine).input(TargetInput::Json(json!({"source": "rule"}))),
    )
    .unwrap();
    let u = User::new(&s, "U", UserProps::new()).unwrap();
    bus.grant_put_events_to(&u).unwrap();
    let t = template(&synth_and_lint(&app, "events-targets"), "S");
    let res = &t["Resources"];
    let p = &res["Placed"]["Properties"];
    assert_eq!(p["EventBusName"], json!({"Ref": "Bus"}));
    assert_eq!(p["State"], "DISABLED");
    assert_eq!(
        p["Targets"][0],
        json!({"Arn": {"Fn::GetAtt": ["Q", "Arn"]}, "Id": "Target0", "InputPath": "$.detail",
               "RetryPolicy": {"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 3},
               "DeadLetterConfig": {"Arn": {"Fn::GetAtt": ["Dlq", "Arn"]}}})
    );
    assert_eq!(
        p["Targets"][1]["SqsParameters"],
        json!({"MessageGroupId": "orders"})
    );
    assert_eq!(
        p["Targets"][2]["InputTransformer"],
        json!({"InputPathsMap": {"id": "$.detail.id"},
               "InputTemplate": "\"Order <id> placed by rule <aws.events.rule-name>\""})
    );
    assert_eq!(p["Targets"][3]["Input"], "{\"source\":\"rule\"}");
    assert_eq!(
        p["Targets"][3]["RoleArn"],
        json!({"Fn::GetAtt": ["PlacedEventsRole", "Arn"]})
    );
    let from_rule = json!({"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["Placed", "Arn"]}}});
    for queue in ["QPolicy", "DlqPolicy", "FifoPolicy"] {
        let st = &res[queue]["Properties"]["PolicyDocument"]["Statement"][1];
        assert_eq!(st["Principal"], json!({"Service": "events.amazonaws.com"}));
        assert_eq!(st["Action"], "sqs:SendMessage");
        assert_eq!(st["Condition"], from_rule, "{queue}");
    }
    assert_eq!(
        res["QKey"]["Properties"]["KeyPolicy"]["Statement"][1]["Condition"],
        json!({"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}})
    );
    let tp = &res["TPolicy"]["Properties"]["PolicyDocument"]["Statement"][1];
    assert_eq!(tp["Action"], "sns:Publish");
    assert_eq!(tp["Condition"], from_rule);
    assert_eq!(
        res["PlacedEventsRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"],
        json!([{"Effect": "Allow", "Action": "states:StartExecution", "Resource": {"Ref": "M"}}])
    );
    assert_eq!(
        res["PlacedEventsRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": "events.amazonaws.com"})
    );
    assert_eq!(
        res["U"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0],
        json!({"Effect": "Allow", "Action": "events:PutEvents", "Resource": {"Fn::GetAtt": ["Bus", "Arn"]}})
    );
    assert_eq!(res["Bus"]["Properties"]["Name"], "orders");
}

#[test]
fn bad_rules_and_targets_are_errors() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let bus = EventBus::new(&s, "Default", EventBusProps::new("default")).unwrap();
    Rule::new(
        &s,
        "BadRate",
        RuleProps::schedule(Schedule::rate(Duration::from_secs(30))),
    )
    .unwrap();
    Rule::new(
        &s,
        "BadCron",
        RuleProps::schedule(Schedule::cron("0 12 * * MON *")),
    )
    .unwrap();
    Rule::new(
        &s,
        "OnBus",
        RuleProps::schedule(Schedule::cron("0 12 * * ? *")).event_bus(&bus),
    )
    .unwrap();
    Rule::new(
        &s,
        "BadPattern",
        RuleProps::pattern(EventPattern::raw(json!({"source": "aws.s3"}))),
    )
    .unwrap();
    let f = function(&s, "F");
    let std_q = Queue::new(&s, "Std", QueueProps::new()).unwrap();
    let fifo = Queue::new(&s, "Fifo", QueueProps::new().fifo(true)).unwrap();
    let aws_key_topic = Topic::new(&s, "T", TopicProps::new()).unwrap();
    let many = Rule::new(
        &s,
        "Many",
        RuleProps::pattern(EventPattern::new().source(["a"])),
    )
    .unwrap();
    for _ in 0..6 {
        many.add_target(RuleTarget::sqs(&std_q)).unwrap();
    }
    let r = Rule::new(
        &s,
        "Targets",
        RuleProps::pattern(EventPattern::new().source(["a"])),
    )
    .unwrap();
    r.add_target(
        RuleTarget::lambda(&f)
            .input(TargetInput::Path("detail".into()))
            .retry_policy(
                RetryPolicy::new()
                    .max_retry_attempts(186)
                    .max_event_age(Duration::from_secs(30)),
            )
            .dead_letter_queue(&fifo),
    )
    .unwrap();
    r.add_target(RuleTarget::sqs(&fifo)).unwrap();
    r.add_target(RuleTarget::sqs(&std_q).message_group_id("g"))
        .unwrap();
    r.add_target(
        RuleTarget::sns(&aws_key_topic).input(TargetInput::Transformer {
            paths: vec![("bad name".into(), "detail".into())],
            template: "<missing> <aws.events.event>".into(),
        }),
    )
    .unwrap();
    r.add_target(RuleTarget::sqs(&std_q).input(TargetInput::Json(json!("x".repeat(9000)))))
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
    assert_eq!(paths(codes::SCHEDULE), ["S/BadCron", "S/BadRate"]);
    assert_eq!(paths(codes::PATTERN), ["S/BadPattern"]);
    assert_eq!(paths(codes::SCHEDULE_BUS), ["S/OnBus"]);
    assert_eq!(paths(codes::TARGETS), ["S/Many"]);
    assert_eq!(paths(codes::INPUT), ["S/Targets"; 4]);
    assert_eq!(paths(codes::RETRY), ["S/Targets"; 2]);
    // Named by the rule's own property path (the first target), so the
    // schema's range checks of the same values are not reported again.
    let mut retry: Vec<String> = with_code(&errs.0, codes::RETRY)
        .iter()
        .filter_map(|d| d.property.clone())
        .collect();
    retry.sort();
    assert_eq!(
        retry,
        [
            "Targets[0].RetryPolicy.MaximumEventAgeInSeconds",
            "Targets[0].RetryPolicy.MaximumRetryAttempts"
        ]
    );
    assert!(
        !errs.0.iter().any(|d| d.code.starts_with("FW0")
            && d.property
                .as_deref()
                .is_some_and(|p| p.starts_with("Targets[0].RetryPolicy"))),
        "{errs}"
    );
    assert_eq!(paths(codes::DEAD_LETTER), ["S/Targets"]);
    assert_eq!(paths(codes::FIFO_TARGET), ["S/Targets"; 2]);
    assert_eq!(paths(codes::TOPIC_KEY), ["S/Targets"]);
    assert_eq!(paths(codes::BUS_NAME), ["S/Default"]);
    let unknown = with_code(&errs.0, codes::INPUT)
        .into_iter()
        .find(|d| d.message.contains("<missing>"))
        .expect("the unknown placeholder is named");
    assert!(!unknown.message.contains("aws.events.event"));
}
