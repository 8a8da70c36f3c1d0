//! `check`: the app's post-deploy checks against a stand-in HTTP server on
//! 127.0.0.1 (streamed server-sent events, statuses) and a stand-in AWS
//! CLI answering `describe-stacks`, `lambda invoke`,
//! `lambda get-function-configuration` and Step Functions calls
//! the way the real one does. (Unix only: the stand-in CLI is a shell
//! script.)
#![cfg(unix)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;

use formwork_check::{Check, declare};
use formwork_core::{App, Context, Environment};
use formwork_deploy::Host;
use serde_json::json;

/// Serves `n` requests: `/stream` answers an SSE stream ending in
/// `data: [DONE]`, `/broken` a stream that stops early, anything else 404.
fn server(n: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(n) {
            let Ok(mut s) = stream else { continue };
            let mut reader = BufReader::new(s.try_clone().expect("clone"));
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            let mut len = 0usize;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
                if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
            let path = first.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let (status, chunks): (&str, Vec<&str>) = match path.as_str() {
                "/stream" => (
                    "200 OK",
                    vec![
                        "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n",
                        "data: [DONE]\n\n",
                    ],
                ),
                "/broken" => ("200 OK", vec!["data: {\"choices\":[]}\n\n"]),
                _ => ("404 Not Found", vec!["no such path"]),
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            );
            for c in chunks {
                let _ = write!(s, "{:x}\r\n{c}\r\n", c.len());
                let _ = s.flush();
            }
            let _ = write!(s, "0\r\n\r\n");
        }
    });
    format!("http://{addr}")
}

/// A stand-in `aws`: outputs of the stack, a function that answers, an
/// execution that enters CheckInput then RunWorker and succeeds.
fn fake_aws(url: &str) -> (formwork_test_support::ScratchDir, PathBuf) {
    let dir = formwork_test_support::scratch_dir("fake-aws-checks");
    let path = dir.join("aws");
    let script = format!(
        r#"#!/bin/sh
case "$1 $2" in
  "cloudformation describe-stacks") echo '{{"Stacks":[{{"Outputs":[{{"OutputKey":"ChatFunctionUrl","OutputValue":"{url}"}},{{"OutputKey":"MachineArn","OutputValue":"arn:aws:states:ap-northeast-1:123456789012:stateMachine:m"}},{{"OutputKey":"ClusterName","OutputValue":"weather"}},{{"OutputKey":"ServiceName","OutputValue":"web"}},{{"OutputKey":"StuckServiceName","OutputValue":"stuck"}},{{"OutputKey":"TargetGroupArn","OutputValue":"arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/good/1"}},{{"OutputKey":"SickTargetGroupArn","OutputValue":"arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/sick/1"}}]}}]}}' ;;
  "ecs describe-services") case "$*" in
      *"--services web"*) echo '{{"services":[{{"runningCount":1,"desiredCount":1,"deployments":[{{"status":"PRIMARY","rolloutState":"COMPLETED"}}]}}]}}' ;;
      *) echo '{{"services":[{{"runningCount":0,"desiredCount":1,"deployments":[{{"status":"PRIMARY","rolloutState":"IN_PROGRESS"}},{{"status":"ACTIVE","rolloutState":"COMPLETED"}}]}}]}}' ;;
    esac ;;
  "elbv2 describe-target-health") case "$*" in
      *good*) echo '{{"TargetHealthDescriptions":[{{"Target":{{"Id":"10.0.1.5","Port":8501}},"TargetHealth":{{"State":"healthy"}}}}]}}' ;;
      *) echo '{{"TargetHealthDescriptions":[{{"Target":{{"Id":"10.0.2.7","Port":8501}},"TargetHealth":{{"State":"unhealthy"}}}}]}}' ;;
    esac ;;
  "lambda get-function-configuration") case "$*" in
      *"--function-name worker"*) echo '{{"FunctionName":"worker","State":"Active","LastUpdateStatus":"Successful"}}' ;;
      *) echo '{{"FunctionName":"stale","State":"Active","LastUpdateStatus":"Failed","LastUpdateStatusReason":"Lambda does not have permission to access the ECR image.","LastUpdateStatusReasonCode":"ImageAccessDenied"}}' ;;
    esac ;;
  "lambda invoke") for a; do case "$a" in *.json) f="$a";; esac; done; echo '{{"ok":true}}' > "$f"; echo '{{"StatusCode":200}}' ;;
  "stepfunctions start-execution") echo '{{"executionArn":"arn:aws:states:ap-northeast-1:123456789012:execution:m:1"}}' ;;
  "stepfunctions describe-execution") echo '{{"status":"SUCCEEDED"}}' ;;
  "stepfunctions get-execution-history") echo '{{"events":[{{"type":"ChoiceStateEntered","stateEnteredEventDetails":{{"name":"CheckInput"}}}},{{"type":"TaskStateEntered","stateEnteredEventDetails":{{"name":"RunWorker"}}}}]}}' ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
"#
    );
    std::fs::write(&path, script).expect("write");
    let _ = std::process::Command::new("chmod")
        .arg("+x")
        .arg(&path)
        .status();
    (dir, path)
}

fn app(broken: bool) -> App {
    let app = App::new();
    let st = app
        .stack_in("Chat", Environment::agnostic().region("ap-northeast-1"))
        .expect("stack");
    formwork_test_support::filler(&st);
    declare(
        &st,
        Check::http("streaming answer", "ChatFunctionUrl")
            .path(if broken { "/broken" } else { "/stream" })
            .post("{\"stream\":true}")
            .expect_status(200)
            .expect_body_ends_with("data: [DONE]"),
    );
    declare(
        &st,
        Check::http("missing page", "ChatFunctionUrl")
            .path("/nope")
            .expect_status(404),
    );
    declare(
        &st,
        Check::invoke("worker answers", "worker")
            .input(json!({"ping": 1}))
            .expect_body_contains("ok"),
    );
    declare(
        &st,
        Check::function_updated(
            "worker is updated",
            if broken { "stale-worker" } else { "worker" },
        )
        .timeout_secs(0),
    );
    declare(
        &st,
        Check::execution("pipeline runs the worker", "MachineArn").expect_state("RunWorker"),
    );
    let (service, targets) = if broken {
        ("StuckServiceName", "SickTargetGroupArn")
    } else {
        ("ServiceName", "TargetGroupArn")
    };
    declare(
        &st,
        Check::service("service is steady", "ClusterName", service).timeout_secs(0),
    );
    declare(
        &st,
        Check::targets_healthy("targets are healthy", targets).timeout_secs(0),
    );
    app
}

fn run(broken: bool) -> (u8, String, String) {
    let url = server(2);
    let (_aws_dir, aws) = fake_aws(&url);
    let host = Host {
        aws_program: Some(aws),
        ..Host::default()
    };
    let out_dir = formwork_test_support::scratch_dir("checks-out");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = formwork_deploy::execute_with(
        &host,
        [
            "check".to_owned(),
            "--out".to_owned(),
            out_dir.to_string_lossy().into_owned(),
        ],
        Context::new(),
        |_| Ok(app(broken)),
        &mut out,
        &mut err,
    );
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

#[test]
fn every_kind_of_check_passes_against_what_answers() {
    let (code, out, err) = run(false);
    assert_eq!(code, 0, "{out}{err}");
    for name in [
        "streaming answer",
        "missing page",
        "worker answers",
        "worker is updated",
        "pipeline runs the worker",
        "service is steady",
        "targets are healthy",
    ] {
        assert!(
            out.contains(&format!("check Chat / {name}: ok")),
            "{name}: {out}{err}"
        );
    }
}

#[test]
fn a_stream_that_stops_before_done_fails_and_says_why() {
    let (code, _, err) = run(true);
    assert_eq!(code, 1);
    assert!(
        err.contains("check Chat / streaming answer: FAILED: expected the body to end with `data: [DONE]`; its last line is `data: {\"choices\":[]}`"),
        "{err}"
    );
    assert!(
        err.contains(
            "check Chat / service is steady: FAILED: expected 1 running task(s), 0 running"
        ),
        "{err}"
    );
    assert!(
        err.contains("check Chat / targets are healthy: FAILED: expected every target healthy: 10.0.2.7 unhealthy"),
        "{err}"
    );
    assert!(
        err.contains("check Chat / worker is updated: FAILED: expected the function Active with its last update Successful; it is Active, its last update Failed: Lambda does not have permission to access the ECR image."),
        "{err}"
    );
}
