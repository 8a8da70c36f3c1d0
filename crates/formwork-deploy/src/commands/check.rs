//! `check`: the post-deploy checks the app declares (`formwork-check`),
//! run against the deployed stacks. `deploy` runs them after a successful
//! deploy. HTTP requests go through `curl` (`FORMWORK_CURL`), which every
//! supported system ships; functions and executions through the AWS CLI.

use std::process::Command;
use std::time::{Duration, Instant};

use formwork_check::{Check, Observation, declared};
use serde_json::Value as Json;

use crate::Session;
use crate::aws::words;
use crate::error::{Error, Result};

fn curl() -> String {
    std::env::var("FORMWORK_CURL").unwrap_or_else(|_| "curl".into())
}

fn http(target: &Json, url: &str) -> std::result::Result<Observation, String> {
    let full = format!("{url}{}", target["path"].as_str().unwrap_or(""));
    let mut cmd = Command::new(curl());
    cmd.args(["-sS", "-N", "--max-time", "120", "-X"])
        .arg(target["method"].as_str().unwrap_or("GET"));
    for (k, v) in target["headers"].as_object().into_iter().flatten() {
        cmd.arg("-H")
            .arg(format!("{k}: {}", v.as_str().unwrap_or("")));
    }
    if let Some(b) = target["body"].as_str() {
        if target["headers"].get("Content-Type").is_none() {
            cmd.args(["-H", "Content-Type: application/json"]);
        }
        cmd.arg("--data-binary").arg(b);
    }
    cmd.args(["-w", "\n%{http_code}"]).arg(&full);
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run curl ({e}); install it or set FORMWORK_CURL"))?;
    if !out.status.success() {
        return Err(format!(
            "{full}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", text.as_str()));
    let status = code
        .trim()
        .parse()
        .map_err(|_| format!("{full}: no status"))?;
    Ok(Observation::Http {
        status,
        body: body.to_owned(),
    })
}

struct Runner<'a, 'b> {
    s: &'a Session<'b>,
    stack: &'a str,
    region: Option<String>,
    outputs: Option<Json>,
}

impl Runner<'_, '_> {
    fn aws(&self, args: &[String]) -> std::result::Result<Json, String> {
        self.s
            .aws
            .json(args, self.region.as_deref())
            .map_err(|e| e.to_string())
    }

    fn output(&mut self, key: &str) -> std::result::Result<String, String> {
        if self.outputs.is_none() {
            let v = self.aws(&words(&[
                "cloudformation",
                "describe-stacks",
                "--stack-name",
                self.stack,
            ]))?;
            self.outputs = Some(v["Stacks"][0]["Outputs"].clone());
        }
        self.outputs
            .as_ref()
            .and_then(|o| o.as_array())
            .into_iter()
            .flatten()
            .find(|o| o["OutputKey"] == key)
            .and_then(|o| o["OutputValue"].as_str())
            .map(str::to_owned)
            .ok_or_else(|| format!("stack {} has no output `{key}`", self.stack))
    }

    fn observe(&mut self, c: &Check) -> std::result::Result<Observation, String> {
        let t = c.target_json();
        match c.kind() {
            "invoke" => self.invoke(t),
            "execution" => self.execution(t),
            "service" | "targets" | "function" => {
                // Poll until the verdict cannot change or the time is up.
                let deadline = Instant::now()
                    + Duration::from_secs(t["timeoutSeconds"].as_u64().unwrap_or(300));
                loop {
                    let seen = match c.kind() {
                        "service" => self.service(t)?,
                        "function" => self.function(t)?,
                        _ => self.targets(t)?,
                    };
                    if c.settled(&seen) || Instant::now() >= deadline {
                        return Ok(seen);
                    }
                    std::thread::sleep(Duration::from_secs(5));
                }
            }
            _ => {
                let url = self.output(t["output"].as_str().unwrap_or(""))?;
                http(t, &url)
            }
        }
    }

    fn invoke(&self, t: &Json) -> std::result::Result<Observation, String> {
        let file = self
            .s
            .out_dir
            .join(format!("check-{}.json", std::process::id()));
        // The payload goes as a file of raw bytes (`fileb://`), which the
        // AWS CLI v1 and v2 read alike (v2 alone knows
        // `--cli-binary-format`).
        let payload = self
            .s
            .out_dir
            .join(format!("check-{}-payload.json", std::process::id()));
        std::fs::write(&payload, t["payload"].to_string())
            .map_err(|e| format!("cannot write {}: {e}", payload.display()))?;
        let v = self.aws(&[
            "lambda".into(),
            "invoke".into(),
            "--function-name".into(),
            t["function"].as_str().unwrap_or("").into(),
            "--payload".into(),
            format!("fileb://{}", payload.to_string_lossy()),
            file.to_string_lossy().into_owned(),
        ]);
        let _ = std::fs::remove_file(&payload);
        let v = v?;
        let body = std::fs::read_to_string(&file).unwrap_or_default();
        let _ = std::fs::remove_file(&file);
        Ok(Observation::Invoke {
            function_error: v["FunctionError"].as_str().map(str::to_owned),
            body,
        })
    }

    fn function(&self, t: &Json) -> std::result::Result<Observation, String> {
        let v = self.aws(&words(&[
            "lambda",
            "get-function-configuration",
            "--function-name",
            t["function"].as_str().unwrap_or(""),
        ]))?;
        let text = |k: &str| v[k].as_str().unwrap_or("").to_owned();
        let reason = [text("StateReason"), text("LastUpdateStatusReason")]
            .into_iter()
            .filter(|r| !r.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        Ok(Observation::Function {
            state: text("State"),
            // Lambda sets it to Successful once a function's creation completes.
            last_update_status: v["LastUpdateStatus"]
                .as_str()
                .unwrap_or("not reported")
                .to_owned(),
            reason,
        })
    }

    fn service(&mut self, t: &Json) -> std::result::Result<Observation, String> {
        let cluster = self.output(t["clusterOutput"].as_str().unwrap_or(""))?;
        let service = self.output(t["serviceOutput"].as_str().unwrap_or(""))?;
        let v = self.aws(&words(&[
            "ecs",
            "describe-services",
            "--cluster",
            &cluster,
            "--services",
            &service,
        ]))?;
        let svc = &v["services"][0];
        if svc.is_null() {
            return Err(format!(
                "ECS has no service `{service}` in cluster `{cluster}`"
            ));
        }
        // The deployments list puts the newest (PRIMARY) first.
        let rollout = svc["deployments"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|d| d["status"] == "PRIMARY")
            .and_then(|d| d["rolloutState"].as_str())
            .map(str::to_owned);
        Ok(Observation::Service {
            running: svc["runningCount"].as_u64().unwrap_or(0),
            desired: svc["desiredCount"].as_u64().unwrap_or(0),
            rollout,
        })
    }

    fn targets(&mut self, t: &Json) -> std::result::Result<Observation, String> {
        let arn = self.output(t["output"].as_str().unwrap_or(""))?;
        let v = self.aws(&words(&[
            "elbv2",
            "describe-target-health",
            "--target-group-arn",
            &arn,
        ]))?;
        let states = v["TargetHealthDescriptions"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| {
                (
                    d["Target"]["Id"].as_str().unwrap_or("?").to_owned(),
                    d["TargetHealth"]["State"]
                        .as_str()
                        .unwrap_or("unknown")
                        .to_owned(),
                )
            })
            .collect();
        Ok(Observation::Targets { states })
    }

    fn execution(&mut self, t: &Json) -> std::result::Result<Observation, String> {
        let arn = self.output(t["output"].as_str().unwrap_or(""))?;
        let started = self.aws(&[
            "stepfunctions".into(),
            "start-execution".into(),
            "--state-machine-arn".into(),
            arn,
            "--input".into(),
            t["input"].to_string(),
        ])?;
        let exec = started["executionArn"]
            .as_str()
            .ok_or("start-execution gave no executionArn")?
            .to_owned();
        let deadline =
            Instant::now() + Duration::from_secs(t["timeoutSeconds"].as_u64().unwrap_or(120));
        let mut status;
        loop {
            let d = self.aws(&words(&[
                "stepfunctions",
                "describe-execution",
                "--execution-arn",
                &exec,
            ]))?;
            status = d["status"].as_str().unwrap_or("UNKNOWN").to_owned();
            if status != "RUNNING" || Instant::now() >= deadline {
                break;
            }
            std::thread::sleep(Duration::from_secs(2));
        }
        let h = self.aws(&words(&[
            "stepfunctions",
            "get-execution-history",
            "--execution-arn",
            &exec,
        ]))?;
        let states = h["events"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["stateEnteredEventDetails"]["name"].as_str())
            .map(str::to_owned)
            .collect();
        Ok(Observation::Execution { status, states })
    }
}

/// Runs the checks of `stacks` (all when empty); true when every one holds.
pub(crate) fn run_checks(s: &mut Session<'_>, stacks: &[String]) -> Result<bool> {
    let mut lines = Vec::new();
    let mut all_ok = true;
    let mut count = 0;
    for st in &s.asm.stacks {
        if !stacks.is_empty() && !stacks.contains(&st.name) {
            continue;
        }
        let template: Json = serde_json::from_str(&st.template).unwrap_or(Json::Null);
        let checks = declared(&template);
        if checks.is_empty() {
            continue;
        }
        let mut r = Runner {
            s,
            stack: &st.name,
            region: st.env.region.clone(),
            outputs: None,
        };
        for c in checks {
            count += 1;
            let verdict = r.observe(&c).and_then(|seen| c.judge(&seen));
            match verdict {
                Ok(()) => lines.push((false, format!("check {} / {}: ok", st.name, c.name()))),
                Err(why) => {
                    all_ok = false;
                    lines.push((
                        true,
                        format!("check {} / {}: FAILED: {why}", st.name, c.name()),
                    ));
                }
            }
        }
    }
    for (bad, l) in lines {
        if bad {
            let _ = writeln!(s.err, "{l}");
        } else {
            let _ = writeln!(s.out, "{l}");
        }
    }
    if count > 0 {
        let _ = writeln!(s.out, "{count} check(s) run");
    }
    Ok(all_ok)
}

pub(crate) fn run(s: &mut Session<'_>) -> Result<u8> {
    let stacks = s.args.stacks.clone();
    for name in &stacks {
        if !s.asm.stacks.iter().any(|st| &st.name == name) {
            return Err(Error::usage(format!("no stack `{name}`")));
        }
    }
    let ok = run_checks(s, &stacks)?;
    if s.asm
        .stacks
        .iter()
        .all(|st| declared(&serde_json::from_str(&st.template).unwrap_or(Json::Null)).is_empty())
    {
        let _ = writeln!(s.out, "no checks declared");
    }
    Ok(u8::from(!ok))
}
