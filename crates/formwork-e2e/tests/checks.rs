//! Post-deploy checks through the real AWS CLI against moto, and a
//! stand-in HTTP server on 127.0.0.1 for a URL check.
//!
//! moto 5.2.1 (crates/formwork-e2e/MOTO-SUPPORT.md): a change-set deploy
//! records no stack outputs, so the stack is created with `create-stack`
//! (the checks read the outputs); `lambda invoke` needs Docker and answers
//! `FunctionError: Handled` without it; a started execution stays
//! `RUNNING`. The test checks what the checks make of each answer: the URL
//! check passes, the function's error and the execution that never ends
//! are reported as failures that say why.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use formwork::checks::{self, Check};
use formwork::cli::{Host, execute_with};
use formwork::lambda::{Code, Function, FunctionProps};
use formwork::stepfunctions::CfnStateMachine;
use formwork::{App, Context, Environment, Output};
use formwork_e2e::Moto;

/// Answers `n` requests with 200 and a small JSON body.
fn server(n: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(n) {
            let Ok(mut s) = stream else { continue };
            let mut reader = BufReader::new(s.try_clone().expect("clone"));
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
            }
            let body = "{\"hits\":[{\"id\":\"0001\"}]}";
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}/")
}

fn app(ctx: &Context, url: &str) -> formwork::Result<App> {
    let app = App::with_context(ctx.clone());
    let st = app.stack_in(
        "CliChecks",
        Environment::agnostic().region("ap-northeast-1"),
    )?;
    let f = Function::new(
        &st,
        "Worker",
        FunctionProps::new(Code::inline(
            "def handler(event, context):\n    return {'ok': True}\n",
        ))
        .function_name("formwork-e2e-checks-worker"),
    )?;
    let machine = st.add(
        "Pipeline",
        CfnStateMachine::new()
            .role_arn("arn:aws:iam::123456789012:role/formwork-e2e-states")
            .definition_string(
                r#"{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}"#,
            ),
    )?;
    st.add_output("SearchUrl", Output::new(url))?;
    st.add_output("MachineArn", Output::new(machine.ref_()))?;
    st.add_output("WorkerName", Output::new(f.function_name()))?;
    checks::declare(
        &st,
        Check::http("a search answers", "SearchUrl")
            .path("?q=pedestrian")
            .expect_status(200)
            .expect_body_contains("\"0001\""),
    );
    checks::declare(
        &st,
        Check::invoke("the worker answers", "formwork-e2e-checks-worker"),
    );
    checks::declare(
        &st,
        Check::execution("the pipeline succeeds", "MachineArn").timeout_secs(3),
    );
    Ok(app)
}

#[test]
fn checks_read_the_deployed_outputs_and_report_each_verdict() {
    let Some(moto) = Moto::start("checks") else {
        return;
    };
    let url = server(1);
    let asm = app(&Context::new(), &url)
        .and_then(|a| a.synth())
        .expect("synth");
    moto.deploy(&asm, "checks-deploy");

    let out = formwork_test_support::scratch_dir("checks-out");
    let host = Host {
        aws_program: Some(Moto::aws_program()),
        aws_env: moto.aws_env(),
        ..Host::default()
    };
    let (mut o, mut e) = (Vec::new(), Vec::new());
    let code = execute_with(
        &host,
        [
            "check".to_owned(),
            "--out".to_owned(),
            out.to_string_lossy().into_owned(),
            "--endpoint-url".to_owned(),
            moto.endpoint().to_owned(),
        ],
        Context::new(),
        |ctx| app(ctx, &url),
        &mut o,
        &mut e,
    );
    let (out, err) = (String::from_utf8_lossy(&o), String::from_utf8_lossy(&e));
    assert_eq!(code, 1, "two checks fail against moto\n{out}\n{err}");
    assert!(
        out.contains("check CliChecks / a search answers: ok"),
        "{out}\n{err}"
    );
    assert!(
        err.contains("check CliChecks / the worker answers: FAILED: the function failed (Handled)"),
        "{out}\n{err}"
    );
    assert!(
        err.contains("check CliChecks / the pipeline succeeds: FAILED: expected the execution to end SUCCEEDED, it is RUNNING"),
        "{out}\n{err}"
    );
    assert!(out.contains("3 check(s) run"), "{out}");
}
