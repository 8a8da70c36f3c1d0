//! The commands end to end, through `execute`, without AWS.

use std::path::PathBuf;

use formwork_core::{App, Context, Error, Output, Parameter, Result};
use formwork_deploy::execute;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// A scratch folder under the target dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let p = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        Scratch(p)
    }
    fn path(&self) -> String {
        self.0.to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn demo(ctx: &Context) -> Result<App> {
    let app = App::with_context(ctx.clone());
    let st = app.stack("Demo")?;
    st.add("Thing", formwork_core::testing::CfnThing::new())?;
    let env = ctx.value("env").unwrap_or("dev").to_owned();
    st.add_output("Env", Output::new(env))?;
    Ok(app)
}

fn run(args: &[&str], build: impl FnOnce(&Context) -> Result<App>) -> (u8, String, String) {
    let (mut o, mut e) = (Vec::new(), Vec::new());
    let code = execute(s(args), Context::new(), build, &mut o, &mut e);
    (
        code,
        String::from_utf8_lossy(&o).into_owned(),
        String::from_utf8_lossy(&e).into_owned(),
    )
}

#[test]
fn synth_writes_and_context_reaches_the_app() {
    let dir = Scratch::new("cli-synth");
    let (code, _, err) = run(&["synth", "-c", "env=prod", "--out", &dir.path()], demo);
    assert_eq!(code, 0, "{err}");
    let t = std::fs::read_to_string(dir.0.join("Demo.template.json")).unwrap();
    assert!(t.contains("\"prod\""));
    assert!(dir.0.join("manifest.json").exists());
    let (code, out, err) = run(&["diff", "-c", "env=prod", "--against", &dir.path()], demo);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Stack Demo: no changes"), "{out}");
    let (code, out, _) = run(&["diff", "-c", "env=dev", "--against", &dir.path()], demo);
    assert_eq!(code, 1, "changes exit 1: {out}");
    assert!(out.contains("~ Env: prod → dev"), "{out}");
    let (code, out, _) = run(&["diff", "--json", "--against", &dir.path()], demo);
    assert_eq!(code, 1);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["stacks"][0]["outputs"][0]["name"], "Env");
}

#[test]
fn failures_exit_non_zero_and_list_errors() {
    let (code, _, err) = run(&["validate"], |_| Err(Error::Usage("boom".into())));
    assert_eq!(code, 1);
    assert!(err.contains("boom"));
    let (code, _, err) = run(&["diff"], |_| Err(Error::Usage("boom".into())));
    assert_eq!(code, 2, "a diff that cannot run exits 2: {err}");
    let (code, _, err) = run(&["nope"], demo);
    assert_eq!(code, 2);
    assert!(err.contains("unknown command `nope`"), "{err}");
}

#[test]
fn help_and_version_print_and_exit_zero() {
    let (code, out, _) = run(&["--version"], demo);
    assert_eq!(
        (code, out.trim()),
        (0, concat!("formwork ", env!("CARGO_PKG_VERSION")))
    );
    let (code, out, _) = run(&["deploy", "--help"], demo);
    assert_eq!(code, 0);
    assert!(
        out.contains("Examples:") && out.contains("--exclusively"),
        "{out}"
    );
    let (_, out, _) = run(&["--help"], demo);
    assert!(out.contains("Commands:"), "{out}");
}

fn web(_: &Context) -> Result<App> {
    let app = App::new();
    let net = app.stack("Net")?;
    net.add("Thing", formwork_core::testing::CfnThing::new())?;
    net.add_output("Cidr", Output::new("10.0.0.0/16"))?;
    let st = app.stack("Web")?;
    st.add("Thing", formwork_core::testing::CfnThing::new())?;
    st.add_parameter("CertificateArn", Parameter::string())?;
    st.add_dependency(&net);
    app.stack("Other")?
        .add("Thing", formwork_core::testing::CfnThing::new())?;
    Ok(app)
}

#[test]
fn deploy_dry_run_prints_aws_cli_commands_in_order() {
    let dir = Scratch::new("cli-deploy");
    let d = dir.path();
    let (code, _, err) = run(&["deploy", "--dry-run", "--out", &d], web);
    assert_eq!(code, 2);
    assert!(err.contains("CertificateArn"), "{err}");
    let (code, _, err) = run(&["deploy", "--dry-run", "--out", &d, "-p", "Nope=1"], web);
    assert_eq!(code, 2);
    assert!(
        err.contains("no stack being deployed declares a parameter `Nope`"),
        "{err}"
    );
    let (code, out, err) = run(
        &[
            "deploy",
            "Web",
            "--dry-run",
            "--out",
            &d,
            "-p",
            "CertificateArn=arn:x",
        ],
        web,
    );
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "Web and the Net it needs: {out}");
    assert!(
        lines[0].contains("cloudformation deploy --template-file")
            && lines[0].contains("--stack-name Net")
    );
    assert!(lines[1].contains("--stack-name Web"));
    assert!(lines[1].contains("--parameter-overrides CertificateArn=arn:x"));
    let (code, out, _) = run(
        &[
            "deploy",
            "Web",
            "--exclusively",
            "--dry-run",
            "--out",
            &d,
            "-p",
            "CertificateArn=arn:x",
        ],
        web,
    );
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 1, "{out}");
    let (code, _, err) = run(&["deploy", "Wbe", "--dry-run", "--out", &d], web);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `Web`?"), "{err}");
}

#[test]
fn an_unknown_context_key_is_an_error_with_a_suggestion() {
    let (code, _, err) = run(&["validate", "-c", "evn=prod"], demo);
    assert_eq!(code, 1);
    assert!(
        err.contains("error[FW0601]: unknown context key `evn`\n   = source: -c evn\n"),
        "{err}"
    );
    assert!(err.contains("help: did you mean `env`?"), "{err}");
    assert!(err.ends_with("error: 1 error\n"), "{err}");
}

#[test]
fn synth_errors_show_the_line_that_made_the_construct() {
    use formwork_l2::s3::{Bucket, BucketProps};
    let line = line!() + 4;
    let build = |ctx: &Context| -> Result<App> {
        let app = App::with_context(ctx.clone());
        let stack = app.stack("Demo")?;
        Bucket::new(&stack, "Data", BucketProps::new().bucket_name("Bad_Name"))?;
        Ok(app)
    };
    let (code, _, err) = run(&["validate"], build);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "  --> crates/formwork-deploy/tests/commands.rs:{line}:"
        )) || err.contains(&format!("tests/commands.rs:{line}:")),
        "{err}"
    );
    assert!(err.contains("   = construct: Demo/Data\n"), "{err}");
    assert!(!err.contains('\u{1b}'), "plain when not a terminal: {err}");
}

#[test]
fn schema_prints_the_configuration_schema_or_says_there_is_none() {
    let (code, _, err) = run(&["schema"], demo);
    assert_eq!(code, 1);
    assert!(err.contains("no typed configuration"), "{err}");
    let with_schema = |ctx: &Context| -> Result<App> {
        ctx.set_config_schema("{\"type\": \"object\"}\n".to_owned());
        Ok(App::new())
    };
    let (code, out, _) = run(&["schema"], with_schema);
    assert_eq!((code, out.as_str()), (0, "{\"type\": \"object\"}\n"));
}
