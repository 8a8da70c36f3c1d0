//! A local CloudFormation for tests: a moto server on 127.0.0.1 started and
//! stopped by the test, driven with the standard AWS CLI.
//!
//! moto is a smoke test: it proves that a CloudFormation engine accepts a
//! template, that intrinsics and cross-stack imports resolve, and that the
//! resources it models are created with the properties it honours. It skips
//! some types (Lambda URLs, secrets, bucket policies, HTTP APIs, ElastiCache,
//! CloudFront, autoscaling) and ignores some properties; see
//! `docs/testing.md`. Stacks are created with `create-stack`, because moto
//! records no exports for change-set deploys.
#![deny(missing_docs)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use formwork_core::Assembly;
use serde_json::Value;

const REGION: &str = "ap-northeast-1";

fn required() -> bool {
    ["CI", "FORMWORK_REQUIRE_TOOLS"]
        .iter()
        .any(|k| std::env::var(k).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false"))
}

fn venv_bin(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../.venv/bin")
        .join(name);
    if p.exists() { p } else { PathBuf::from(name) }
}

/// A running moto server; stopped when dropped.
#[derive(Debug)]
pub struct Moto {
    child: Child,
    endpoint: String,
    log: PathBuf,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    /// Starts moto on a free loopback port. `None` (with a loud message) when
    /// moto or the AWS CLI is missing outside CI; a panic in CI.
    pub fn start(label: &str) -> Option<Moto> {
        let python = venv_bin("python3");
        let has_moto = Command::new(&python)
            .args(["-c", "import moto.server"])
            .output()
            .is_ok_and(|o| o.status.success());
        let has_aws = Command::new(venv_bin("aws"))
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !(has_moto && has_aws) {
            assert!(
                !required(),
                "moto and the AWS CLI are required here but missing; run scripts/test"
            );
            formwork_test_support::skip_line(
                "moto deploy test: moto or the AWS CLI is not installed; run scripts/test",
            );
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port");
        let dir = formwork_test_support::scratch_dir(&format!("moto-{label}"));
        let log = dir.join("moto.log");
        let out = std::fs::File::create(&log).expect("moto log");
        let child = Command::new(&python)
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::from(out.try_clone().expect("log handle")))
            .stderr(Stdio::from(out))
            .spawn()
            .expect("start moto");
        let moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            log,
        };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "moto did not start; see {}",
                moto.log.display()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        Some(moto)
    }

    /// The server's URL.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The AWS CLI of the test environment.
    pub fn aws_program() -> PathBuf {
        venv_bin("aws")
    }

    /// The environment every AWS CLI call against the server gets: fake
    /// credentials, the test region, no config files, no way out but loopback.
    pub fn aws_env(&self) -> Vec<(String, String)> {
        [
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_SESSION_TOKEN", "testing"),
            ("AWS_DEFAULT_REGION", REGION),
            ("AWS_REGION", REGION),
            ("AWS_CONFIG_FILE", "/dev/null"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_ENDPOINT_URL", self.endpoint.as_str()),
            ("HTTPS_PROXY", "http://127.0.0.1:9"),
            ("HTTP_PROXY", "http://127.0.0.1:9"),
            ("NO_PROXY", "127.0.0.1,localhost"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
    }

    /// Runs the AWS CLI against the server (only ever loopback) and parses
    /// its JSON answer; `Err` carries stderr.
    pub fn aws(&self, args: &[&str]) -> Result<Value, String> {
        let out = Command::new(venv_bin("aws"))
            .args(args)
            .args(["--endpoint-url", &self.endpoint, "--output", "json"])
            .envs(self.aws_env())
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!(
                "aws {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        if text.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text).map_err(|e| format!("aws {}: {e}: {text}", args.join(" ")))
    }

    /// Creates every stack of an assembly in deploy order and waits for each.
    /// Returns the stacks' resources, by stack name.
    pub fn deploy(&self, asm: &Assembly, label: &str) -> Deployed {
        let dir = formwork_test_support::scratch_dir(label);
        asm.write(&dir).expect("write assembly");
        let mut stacks = Vec::new();
        for s in &asm.stacks {
            let body = format!("file://{}", dir.join(&s.file_name).display());
            let mut args = vec![
                "cloudformation",
                "create-stack",
                "--stack-name",
                &s.name,
                "--template-body",
                &body,
                "--capabilities",
                "CAPABILITY_IAM",
                "CAPABILITY_NAMED_IAM",
            ];
            let params: Vec<String> = s
                .parameters
                .iter()
                .filter(|(_, _, has_default)| !has_default)
                .map(|(n, _, _)| {
                    format!(
                        "ParameterKey={n},ParameterValue={}",
                        self.parameter_value(n)
                    )
                })
                .collect();
            if !params.is_empty() {
                args.push("--parameters");
                args.extend(params.iter().map(String::as_str));
            }
            if let Err(e) = self.aws(&args) {
                panic!(
                    "create-stack {} failed: {e}\nmoto log: {}",
                    s.name,
                    self.log.display()
                );
            }
            let start = Instant::now();
            loop {
                let d = self
                    .aws(&["cloudformation", "describe-stacks", "--stack-name", &s.name])
                    .expect("describe");
                let status = d["Stacks"][0]["StackStatus"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned();
                if status == "CREATE_COMPLETE" {
                    break;
                }
                assert!(
                    !status.ends_with("FAILED") && !status.contains("ROLLBACK"),
                    "{}: {status}",
                    s.name
                );
                assert!(
                    start.elapsed() < Duration::from_secs(120),
                    "{}: still {status}",
                    s.name
                );
                std::thread::sleep(Duration::from_millis(300));
            }
            let r = self
                .aws(&[
                    "cloudformation",
                    "list-stack-resources",
                    "--stack-name",
                    &s.name,
                ])
                .expect("list resources");
            let d = self
                .aws(&["cloudformation", "describe-stacks", "--stack-name", &s.name])
                .expect("describe");
            stacks.push((
                s.name.clone(),
                r["StackResourceSummaries"].clone(),
                d["Stacks"][0]["Outputs"].clone(),
            ));
        }
        Deployed { stacks }
    }

    fn parameter_value(&self, name: &str) -> String {
        if name.to_ascii_lowercase().contains("certificate") {
            let c = self
                .aws(&[
                    "acm",
                    "request-certificate",
                    "--domain-name",
                    "app.example.com",
                    "--validation-method",
                    "DNS",
                ])
                .expect("request a certificate");
            return c["CertificateArn"].as_str().unwrap_or_default().to_owned();
        }
        "test".to_owned()
    }
}

/// What a deploy created.
#[derive(Debug)]
pub struct Deployed {
    stacks: Vec<(String, Value, Value)>,
}

impl Deployed {
    /// The physical id of a resource, by stack and logical id.
    pub fn physical_id(&self, stack: &str, logical: &str) -> String {
        let (_, res, _) = self
            .stacks
            .iter()
            .find(|(n, _, _)| n == stack)
            .unwrap_or_else(|| panic!("no stack {stack}"));
        res.as_array()
            .into_iter()
            .flatten()
            .find(|r| r["LogicalResourceId"] == logical)
            .and_then(|r| r["PhysicalResourceId"].as_str())
            .unwrap_or_else(|| panic!("{stack} has no resource {logical}"))
            .to_owned()
    }

    /// An output value, by stack and output key.
    pub fn output(&self, stack: &str, key: &str) -> Option<String> {
        let (_, _, outs) = self.stacks.iter().find(|(n, _, _)| n == stack)?;
        outs.as_array()?
            .iter()
            .find(|o| o["OutputKey"] == key)
            .and_then(|o| o["OutputValue"].as_str())
            .map(str::to_owned)
    }

    /// The names of the stacks created.
    pub fn stack_names(&self) -> Vec<&str> {
        self.stacks.iter().map(|(n, _, _)| n.as_str()).collect()
    }
}

/// A policy document as IAM returns it through moto: JSON, a JSON string, or
/// (moto's quirk) a Python repr string, where a reference to a type moto
/// skips is `None`.
pub fn policy_document(v: &Value) -> Value {
    match v {
        Value::String(s) => serde_json::from_str(s)
            .or_else(|_| {
                let fixed = s
                    .replace('\'', "\"")
                    .replace("True", "true")
                    .replace("False", "false")
                    .replace("None", "null");
                serde_json::from_str(&fixed)
            })
            .unwrap_or(Value::Null),
        other => other.clone(),
    }
}
