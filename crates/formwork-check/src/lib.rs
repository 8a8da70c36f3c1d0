//! Post-deploy checks: what must hold once an app is deployed, declared
//! next to its resources and recorded in the template's `Metadata`
//! (`Formwork::Checks`, never in a resource). `deploy` runs them after a
//! successful deploy and `check` runs them alone (the runner is the deploy
//! tool's); this crate holds the declarations and judges what was observed.
//!
//! - [`Check::http`]: a request to a URL a stack output holds, expecting a
//!   status and, for a streamed answer, how the body ends (server-sent
//!   events ending in `data: [DONE]`).
//! - [`Check::invoke`]: a Lambda function invoked with a payload, expecting
//!   no function error.
//! - [`Check::function_updated`]: a Lambda function's configuration,
//!   expecting it `Active` with its last update `Successful` (what the
//!   Lambda API reports once a new image or code is in place).
//! - [`Check::execution`]: a Step Functions execution started with an
//!   input, expecting it to enter a state or end with a status.
//! - [`Check::service`]: an ECS service whose cluster and service names
//!   stack outputs hold, expecting it steady: its newest deployment rolled
//!   out and as many tasks running as it wants.
//! - [`Check::targets_healthy`]: a load balancer target group whose ARN a
//!   stack output holds, expecting every registered target healthy (at
//!   least one).
//!
//! ```
//! use formwork::App;
//! use formwork::checks::{Check, Observation, declare, declared};
//! let app = App::new();
//! let stack = app.stack("Chat")?;
//! # stack.add("Thing", formwork::ssm::CfnParameter::new().type_(formwork::ssm::parameter::Type::String).value("v"))?;
//! declare(&stack, Check::http("streaming answer", "ChatFunctionUrl")
//!     .post("{\"stream\":true}")
//!     .expect_status(200)
//!     .expect_body_ends_with("data: [DONE]"));
//! let t = app.synth()?.template_json("Chat").ok_or("no template")?;
//! let checks = declared(&t);
//! let seen = Observation::http(200, "data: {\"x\":1}\n\ndata: [DONE]\n\n");
//! assert_eq!(checks[0].judge(&seen), Ok(()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

use formwork_core::{Stack, Value};
use serde_json::{Map, Value as Json, json};

/// The template `Metadata` key holding the checks.
pub const METADATA_KEY: &str = "Formwork::Checks";

/// A check, as declared.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    spec: Map<String, Json>,
}

impl Check {
    fn new(name: &str, kind: &str, target: Json) -> Check {
        let mut spec = Map::new();
        spec.insert("name".into(), json!(name));
        spec.insert(kind.into(), target);
        spec.insert("expect".into(), json!({}));
        Check { spec }
    }

    fn target(&mut self) -> &mut Map<String, Json> {
        let kind = self.kind().to_owned();
        self.spec
            .get_mut(&kind)
            .and_then(Json::as_object_mut)
            .expect("a check has its target")
    }

    fn expect(mut self, key: &str, v: Json) -> Check {
        if let Some(e) = self.spec.get_mut("expect").and_then(Json::as_object_mut) {
            e.insert(key.into(), v);
        }
        self
    }

    fn set(mut self, key: &str, v: Json) -> Check {
        self.target().insert(key.into(), v);
        self
    }

    /// A `GET` of the URL in the stack output `output` (expects 200 unless
    /// told otherwise).
    pub fn http(name: &str, output: &str) -> Check {
        Check::new(name, "http", json!({"output": output, "method": "GET"}))
    }

    /// A function invoke by name (or ARN), with an empty payload unless one
    /// is given; expects no function error.
    pub fn invoke(name: &str, function: &str) -> Check {
        Check::new(name, "invoke", json!({"function": function, "payload": {}}))
    }

    /// A function's state, by name (or ARN): expects `State` `Active` and
    /// `LastUpdateStatus` `Successful` (`aws lambda
    /// get-function-configuration`), the state a function reaches once its
    /// new code or image is in place. Waits up to 120 s while it is
    /// `Pending` or its update `InProgress`; a `Failed` one fails at once,
    /// with Lambda's reason.
    pub fn function_updated(name: &str, function: &str) -> Check {
        Check::new(
            name,
            "function",
            json!({"function": function, "timeoutSeconds": 120}),
        )
    }

    /// An execution of the state machine whose ARN the stack output
    /// `output` holds; expects `SUCCEEDED` unless told otherwise. Waits up
    /// to 120 s.
    pub fn execution(name: &str, output: &str) -> Check {
        Check::new(
            name,
            "execution",
            json!({"output": output, "input": {}, "timeoutSeconds": 120}),
        )
    }

    /// An ECS service, named by the stack outputs holding its cluster's and
    /// its own name; expects it steady (the newest deployment completed,
    /// running tasks = desired tasks > 0). Waits up to 300 s.
    pub fn service(name: &str, cluster_output: &str, service_output: &str) -> Check {
        Check::new(
            name,
            "service",
            json!({"clusterOutput": cluster_output, "serviceOutput": service_output, "timeoutSeconds": 300}),
        )
    }

    /// A load balancer target group whose ARN the stack output `output`
    /// holds; expects at least one registered target, all `healthy`. Waits
    /// up to 300 s (a new task passes its health checks first).
    pub fn targets_healthy(name: &str, output: &str) -> Check {
        Check::new(
            name,
            "targets",
            json!({"output": output, "timeoutSeconds": 300}),
        )
    }

    /// HTTP: appended to the output's URL (`/chat/completions`).
    pub fn path(self, path: &str) -> Check {
        self.set("path", json!(path))
    }

    /// HTTP: a `POST` with this body.
    pub fn post(self, body: &str) -> Check {
        self.set("method", json!("POST")).set("body", json!(body))
    }

    /// HTTP: a request header.
    pub fn header(mut self, name: &str, value: &str) -> Check {
        let t = self.target();
        let h = t.entry("headers").or_insert_with(|| json!({}));
        if let Some(h) = h.as_object_mut() {
            h.insert(name.into(), json!(value));
        }
        self
    }

    /// Invoke: the payload; execution: the input.
    pub fn input(self, input: Json) -> Check {
        let key = if self.kind() == "invoke" {
            "payload"
        } else {
            "input"
        };
        self.set(key, input)
    }

    /// Function, execution, service, targets: how long to wait.
    pub fn timeout_secs(self, seconds: u32) -> Check {
        self.set("timeoutSeconds", json!(seconds))
    }

    /// HTTP: the status expected.
    pub fn expect_status(self, status: u16) -> Check {
        self.expect("status", json!(status))
    }

    /// The body (HTTP, invoke) contains this text.
    pub fn expect_body_contains(self, text: &str) -> Check {
        self.expect("bodyContains", json!(text))
    }

    /// The body ends with this text, ignoring trailing blank lines (a
    /// server-sent event stream's last event).
    pub fn expect_body_ends_with(self, text: &str) -> Check {
        self.expect("bodyEndsWith", json!(text))
    }

    /// Execution: it enters this state.
    pub fn expect_state(self, state: &str) -> Check {
        self.expect("state", json!(state))
    }

    /// Execution: it ends with this status (`SUCCEEDED`, `FAILED`).
    pub fn expect_execution_status(self, status: &str) -> Check {
        self.expect("executionStatus", json!(status))
    }

    /// `http`, `invoke`, `function`, `execution`, `service` or `targets`.
    pub fn kind(&self) -> &str {
        [
            "http",
            "invoke",
            "function",
            "execution",
            "service",
            "targets",
        ]
        .into_iter()
        .find(|k| self.spec.contains_key(*k))
        .unwrap_or("http")
    }

    /// Its name.
    pub fn name(&self) -> &str {
        self.spec["name"].as_str().unwrap_or("")
    }

    /// What it targets (`{"output": …, "method": …}`).
    pub fn target_json(&self) -> &Json {
        &self.spec[self.kind()]
    }

    /// The declaration as JSON.
    pub fn to_json(&self) -> Json {
        Json::Object(self.spec.clone())
    }

    /// What was observed, judged: `Err` says what was expected and what
    /// came.
    pub fn judge(&self, seen: &Observation) -> Result<(), String> {
        let e = &self.spec["expect"];
        match seen {
            Observation::Http { status, body } => {
                let want = e["status"].as_u64().unwrap_or(200);
                if u64::from(*status) != want {
                    return Err(format!(
                        "expected HTTP {want}, got {status}: {}",
                        excerpt(body)
                    ));
                }
                judge_body(e, body)
            }
            Observation::Invoke {
                function_error,
                body,
            } => {
                if let Some(err) = function_error {
                    return Err(format!("the function failed ({err}): {}", excerpt(body)));
                }
                judge_body(e, body)
            }
            Observation::Function {
                state,
                last_update_status,
                reason,
            } => {
                if state == "Active" && last_update_status == "Successful" {
                    Ok(())
                } else {
                    let why = if reason.is_empty() {
                        String::new()
                    } else {
                        format!(": {reason}")
                    };
                    Err(format!(
                        "expected the function Active with its last update Successful; it is {state}, its last update {last_update_status}{why}"
                    ))
                }
            }
            Observation::Execution { status, states } => {
                if let Some(state) = e["state"].as_str() {
                    return if states.iter().any(|s| s == state) {
                        Ok(())
                    } else {
                        Err(format!(
                            "expected the execution to enter `{state}`; it entered {} and ended {status}",
                            if states.is_empty() {
                                "no state".to_owned()
                            } else {
                                states.join(", ")
                            }
                        ))
                    };
                }
                let want = e["executionStatus"].as_str().unwrap_or("SUCCEEDED");
                if status == want {
                    Ok(())
                } else {
                    Err(format!(
                        "expected the execution to end {want}, it is {status}"
                    ))
                }
            }
            Observation::Service {
                running,
                desired,
                rollout,
            } => {
                if *desired == 0 {
                    Err("the service wants no task (desired count 0)".to_owned())
                } else if running != desired {
                    Err(format!(
                        "expected {desired} running task(s), {running} running"
                    ))
                } else if rollout.as_deref().is_some_and(|r| r != "COMPLETED") {
                    Err(format!(
                        "the newest deployment is {}, not COMPLETED",
                        rollout.as_deref().unwrap_or("")
                    ))
                } else {
                    Ok(())
                }
            }
            Observation::Targets { states } => {
                if states.is_empty() {
                    return Err("no target is registered in the target group".to_owned());
                }
                let bad: Vec<String> = states
                    .iter()
                    .filter(|(_, state)| state != "healthy")
                    .map(|(id, state)| format!("{id} {state}"))
                    .collect();
                if bad.is_empty() {
                    Ok(())
                } else {
                    Err(format!("expected every target healthy: {}", bad.join(", ")))
                }
            }
        }
    }

    /// The check is settled: waiting longer cannot change its verdict
    /// (an execution that ended, a steady service, healthy targets).
    pub fn settled(&self, seen: &Observation) -> bool {
        match seen {
            Observation::Service { .. } | Observation::Targets { .. } => self.judge(seen).is_ok(),
            Observation::Function {
                state,
                last_update_status,
                ..
            } => state != "Pending" && last_update_status != "InProgress",
            Observation::Execution { status, .. } => status != "RUNNING",
            _ => true,
        }
    }
}

fn excerpt(body: &str) -> String {
    let t = body.trim();
    if t.chars().count() > 200 {
        format!("{}…", t.chars().take(200).collect::<String>())
    } else {
        t.to_owned()
    }
}

fn judge_body(e: &Json, body: &str) -> Result<(), String> {
    if let Some(t) = e["bodyContains"].as_str() {
        if !body.contains(t) {
            return Err(format!(
                "expected the body to contain `{t}`: {}",
                excerpt(body)
            ));
        }
    }
    if let Some(t) = e["bodyEndsWith"].as_str() {
        if !body.trim_end().ends_with(t) {
            let last = body.trim_end().lines().last().unwrap_or("");
            return Err(format!(
                "expected the body to end with `{t}`; its last line is `{last}`"
            ));
        }
    }
    Ok(())
}

/// What a check saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Observation {
    /// An HTTP answer.
    Http {
        /// Status code.
        status: u16,
        /// The whole body (a stream, read to its end).
        body: String,
    },
    /// A function's answer.
    Invoke {
        /// `FunctionError` (`Unhandled`), if any.
        function_error: Option<String>,
        /// The payload it returned.
        body: String,
    },
    /// A function's configuration.
    Function {
        /// `State`: `Pending`, `Active`, `Inactive` or `Failed`.
        state: String,
        /// `LastUpdateStatus`: `InProgress`, `Successful` or `Failed`.
        last_update_status: String,
        /// Lambda's reason when it gives one (`StateReason`,
        /// `LastUpdateStatusReason`), else empty.
        reason: String,
    },
    /// An execution.
    Execution {
        /// Its status when the check stopped waiting.
        status: String,
        /// The states it entered, in order.
        states: Vec<String>,
    },
    /// An ECS service.
    Service {
        /// Tasks running.
        running: u64,
        /// Tasks wanted.
        desired: u64,
        /// The newest deployment's rollout state (`COMPLETED`,
        /// `IN_PROGRESS`, `FAILED`), when ECS reports one.
        rollout: Option<String>,
    },
    /// A target group's targets: (target id, state).
    Targets {
        /// Each registered target and its health state.
        states: Vec<(String, String)>,
    },
}

impl Observation {
    /// An HTTP answer.
    pub fn http(status: u16, body: &str) -> Observation {
        Observation::Http {
            status,
            body: body.to_owned(),
        }
    }
}

/// Declares a check on `stack` (kept in its template's `Metadata`). An
/// error about it (an app that set `Formwork::Checks` itself) points at
/// the line that called this.
#[track_caller]
pub fn declare(stack: &Stack, check: Check) {
    stack.append_metadata(METADATA_KEY, to_value(Json::Object(check.spec)));
}

/// The declaration's JSON as a template value, its strings moved, not copied.
fn to_value(j: Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(b),
        Json::Number(n) => n
            .as_i64()
            .map(Value::Int)
            .unwrap_or_else(|| Value::from(n.as_f64().unwrap_or(0.0))),
        Json::String(s) => Value::String(s),
        Json::Array(a) => Value::List(a.into_iter().map(to_value).collect()),
        Json::Object(m) => Value::object(m.into_iter().map(|(k, v)| (k, to_value(v)))),
    }
}

/// The checks a template declares, in order.
pub fn declared(template: &Json) -> Vec<Check> {
    template["Metadata"][METADATA_KEY]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_object().cloned())
        .map(|spec| Check { spec })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judgments_say_what_was_expected_and_what_came() {
        let c = Check::http("api", "Url")
            .expect_status(200)
            .expect_body_contains("choices");
        assert_eq!(c.judge(&Observation::http(200, "{\"choices\":[]}")), Ok(()));
        assert_eq!(
            c.judge(&Observation::http(502, "Bad Gateway")),
            Err("expected HTTP 200, got 502: Bad Gateway".into())
        );
        let s = Check::http("sse", "Url").expect_body_ends_with("data: [DONE]");
        assert_eq!(
            s.judge(&Observation::http(200, "data: {}\n\ndata: {}\n")),
            Err("expected the body to end with `data: [DONE]`; its last line is `data: {}`".into())
        );
        let i = Check::invoke("worker", "f");
        assert!(
            i.judge(&Observation::Invoke {
                function_error: Some("Unhandled".into()),
                body: "boom".into()
            })
            .unwrap_err()
            .contains("Unhandled")
        );
        let x = Check::execution("pipeline", "Arn").expect_state("RunWorker");
        assert_eq!(
            x.judge(&Observation::Execution { status: "FAILED".into(), states: vec!["CheckInput".into(), "InvalidInput".into()] }),
            Err("expected the execution to enter `RunWorker`; it entered CheckInput, InvalidInput and ended FAILED".into())
        );
        let y = Check::execution("pipeline", "Arn");
        assert_eq!(
            y.judge(&Observation::Execution {
                status: "SUCCEEDED".into(),
                states: vec![]
            }),
            Ok(())
        );
    }

    #[test]
    fn declarations_round_trip_through_the_template() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        // CloudFormation refuses a stack without resources.
        s.add("Thing", formwork_core::testing::CfnThing::new())
            .unwrap();
        declare(&s, Check::invoke("a", "fn-a").input(json!({"ping": true})));
        declare(
            &s,
            Check::execution("b", "MachineArn")
                .timeout_secs(30)
                .expect_state("Run"),
        );
        let t = app.synth().unwrap().template_json("S").unwrap();
        let c = declared(&t);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].target_json()["payload"], json!({"ping": true}));
        assert_eq!(c[1].kind(), "execution");
        assert_eq!(c[1].target_json()["timeoutSeconds"], 30);
    }

    #[test]
    fn a_checks_entry_the_app_set_itself_is_kept_and_fails_synth() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        s.add("Thing", formwork_core::testing::CfnThing::new())
            .unwrap();
        s.add_metadata(METADATA_KEY, "mine");
        let line = line!() + 1;
        declare(&s, Check::invoke("a", "fn-a"));
        assert_eq!(
            s.metadata(METADATA_KEY),
            Some(formwork_core::Value::from("mine"))
        );
        let err = app.synth().unwrap_err();
        assert!(
            err.to_string()
                .contains("error[FW0506] S Metadata.Formwork::Checks"),
            "{err}"
        );
        // It points at the app's line that declared the check.
        let at = err
            .diagnostics()
            .and_then(|ds| ds.0.first())
            .and_then(|d| d.location.as_ref())
            .map(ToString::to_string)
            .unwrap_or_default();
        assert!(at.starts_with(&format!("{}:{line}:", file!())), "{at}");
    }

    #[test]
    fn a_function_is_updated_when_active_with_its_last_update_successful() {
        let c = Check::function_updated("worker", "poc-worker");
        assert_eq!(c.kind(), "function");
        assert_eq!(c.target_json()["function"], "poc-worker");
        let seen = |state: &str, last: &str, reason: &str| Observation::Function {
            state: state.into(),
            last_update_status: last.into(),
            reason: reason.into(),
        };
        assert_eq!(c.judge(&seen("Active", "Successful", "")), Ok(()));
        assert!(c.settled(&seen("Active", "Successful", "")));
        // Still updating: not settled, and not a pass yet.
        let updating = seen("Active", "InProgress", "");
        assert!(!c.settled(&updating));
        assert_eq!(
            c.judge(&updating),
            Err("expected the function Active with its last update Successful; it is Active, its last update InProgress".into())
        );
        assert!(!c.settled(&seen("Pending", "InProgress", "")));
        // A failed image update: settled, failed, with Lambda's reason.
        let failed = seen(
            "Active",
            "Failed",
            "ImageAccessDenied: Lambda does not have permission to access the ECR image",
        );
        assert!(c.settled(&failed));
        assert!(c.judge(&failed).unwrap_err().ends_with(
            "its last update Failed: ImageAccessDenied: Lambda does not have permission to access the ECR image"
        ));
    }

    #[test]
    fn a_service_is_steady_when_its_rollout_completed_and_all_tasks_run() {
        let c = Check::service("svc", "ClusterName", "ServiceName");
        assert_eq!(c.kind(), "service");
        let seen = |running, desired, rollout: Option<&str>| Observation::Service {
            running,
            desired,
            rollout: rollout.map(str::to_owned),
        };
        assert_eq!(c.judge(&seen(1, 1, Some("COMPLETED"))), Ok(()));
        assert_eq!(c.judge(&seen(2, 2, None)), Ok(()));
        assert_eq!(
            c.judge(&seen(0, 1, Some("IN_PROGRESS"))),
            Err("expected 1 running task(s), 0 running".into())
        );
        assert_eq!(
            c.judge(&seen(1, 1, Some("FAILED"))),
            Err("the newest deployment is FAILED, not COMPLETED".into())
        );
        assert_eq!(
            c.judge(&seen(0, 0, None)),
            Err("the service wants no task (desired count 0)".into())
        );
        assert!(c.settled(&seen(1, 1, Some("COMPLETED"))));
        assert!(!c.settled(&seen(0, 1, Some("IN_PROGRESS"))));
    }

    #[test]
    fn targets_are_healthy_only_when_there_are_some_and_all_are() {
        let c = Check::targets_healthy("tg", "TargetGroupArn");
        assert_eq!(c.kind(), "targets");
        let seen = |v: &[(&str, &str)]| Observation::Targets {
            states: v
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
        };
        assert_eq!(c.judge(&seen(&[("10.0.1.5", "healthy")])), Ok(()));
        assert_eq!(
            c.judge(&seen(&[])),
            Err("no target is registered in the target group".into())
        );
        assert_eq!(
            c.judge(&seen(&[("10.0.1.5", "healthy"), ("10.0.2.7", "unhealthy")])),
            Err("expected every target healthy: 10.0.2.7 unhealthy".into())
        );
        assert!(!c.settled(&seen(&[("10.0.2.7", "initial")])));
        let x = Check::execution("m", "Arn");
        assert!(!x.settled(&Observation::Execution {
            status: "RUNNING".into(),
            states: vec![]
        }));
        assert!(x.settled(&Observation::Execution {
            status: "FAILED".into(),
            states: vec![]
        }));
    }
}
