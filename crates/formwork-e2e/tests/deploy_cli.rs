//! The command line's `deploy`, `diff` and `destroy` against moto, with the
//! real AWS CLI.
//!
//! moto 5.2.1 (see docs/testing.md and shared MOTO-SUPPORT.md): change-set
//! deploys record no Outputs, so the outputs file of a change-set deploy
//! holds each stack with what moto reports (nothing); a failing resource
//! fails the ExecuteChangeSet call itself, with no rollback and no
//! `*_FAILED` event; `list-imports` is not implemented (the diff says it
//! could not list importers).

use formwork::cli::{Host, execute_with};
use formwork::{App, Context, Environment, Output, RemovalPolicy, Result};
use formwork_e2e::Moto;

struct Run {
    code: u8,
    out: String,
    err: String,
}

fn host(moto: &Moto) -> Host {
    Host {
        aws_program: Some(Moto::aws_program()),
        aws_env: moto.aws_env(),
        ..Host::default()
    }
}

fn run(moto: &Moto, args: &[&str], build: impl FnOnce(&Context) -> Result<App>) -> Run {
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    all.extend(["--endpoint-url".into(), moto.endpoint().to_owned()]);
    let (mut o, mut e) = (Vec::new(), Vec::new());
    let code = execute_with(&host(moto), all, Context::new(), build, &mut o, &mut e);
    Run {
        code,
        out: String::from_utf8_lossy(&o).into_owned(),
        err: String::from_utf8_lossy(&e).into_owned(),
    }
}

/// A scratch output folder (removed when the guard drops) and its path.
fn scratch(label: &str) -> (formwork_test_support::ScratchDir, String) {
    let dir = formwork_test_support::scratch_dir(label);
    let path = dir.to_string_lossy().into_owned();
    (dir, path)
}

fn status(moto: &Moto, stack: &str) -> Option<String> {
    moto.aws(&["cloudformation", "describe-stacks", "--stack-name", stack])
        .ok()
        .and_then(|j| j["Stacks"][0]["StackStatus"].as_str().map(str::to_owned))
}

/// A stack without a region holding a web ACL of scope CLOUDFRONT (AWS
/// WAF creates those only in us-east-1; synth cannot tell where a stack
/// without a region goes).
fn edge_acl_app(ctx: &Context) -> Result<App> {
    use formwork::wafv2::{RateLimit, WafScope, WebAcl, WebAclProps};
    let app = App::with_context(ctx.clone());
    let st = app.stack_in("CliEdge", Environment::agnostic())?;
    WebAcl::new(
        &st,
        "Firewall",
        WebAclProps::new(WafScope::CloudFront).rule(RateLimit::per_ip(2000)),
    )?;
    Ok(app)
}

#[test]
fn a_cloudfront_web_acl_in_a_stack_without_a_region_deploys_only_to_us_east_1() {
    let Some(moto) = Moto::start("cli-edge") else {
        return;
    };
    let (_out_dir, out) = scratch("cli-edge");
    // The AWS CLI's environment names ap-northeast-1.
    let r = run(&moto, &["deploy", "--out", &out], edge_acl_app);
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(
        r.err.contains("CliEdge has no region of its own and would deploy to ap-northeast-1, but Firewall (AWS::WAFv2::WebACL) has scope CLOUDFRONT"),
        "{}",
        r.err
    );
    assert!(r.err.contains("--region us-east-1"), "{}", r.err);
    assert_eq!(status(&moto, "CliEdge"), None, "nothing deployed");
    let r = run(
        &moto,
        &["deploy", "--region", "eu-west-1", "--out", &out],
        edge_acl_app,
    );
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(r.err.contains("would deploy to eu-west-1"), "{}", r.err);
}

/// One stack with an SSM parameter named `name` (a create-only property)
/// and, when `bucket` is set, a bucket removed on deletion.
fn params_app(name: &'static str, bucket: bool) -> impl FnOnce(&Context) -> Result<App> {
    move |ctx| {
        let app = App::with_context(ctx.clone());
        let st = app.stack_in(
            "CliParams",
            Environment::agnostic().region("ap-northeast-1"),
        )?;
        let p = st.add(
            "Setting",
            formwork::ssm::CfnParameter::new()
                .name(name)
                .type_(formwork::ssm::parameter::Type::String)
                .value("1"),
        )?;
        st.add_output("SettingName", Output::new(p.ref_()))?;
        if bucket {
            let b = st.add(
                "Data",
                formwork::s3::CfnBucket::new().bucket_name("formwork-e2e-data"),
            )?;
            b.apply_removal_policy(RemovalPolicy::Delete);
        }
        Ok(app)
    }
}

#[test]
fn create_then_a_replacement_that_asks_and_proceeds_with_never() {
    let Some(moto) = Moto::start("cli-replace") else {
        return;
    };
    let (_out_dir, out) = scratch("cli-replace");
    let r = run(
        &moto,
        &["deploy", "--out", &out],
        params_app("/formwork/a", false),
    );
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(r.out.contains("Stack CliParams: new stack"), "{}", r.out);
    // moto reports the stack's own events for a change set, not its
    // resources'; each is one line when the output is not a terminal.
    assert!(
        r.out
            .contains("CliParams  CliParams  AWS::CloudFormation::Stack  CREATE_COMPLETE"),
        "progress: {}",
        r.out
    );
    let progress = r.out.find("CREATE_COMPLETE").unwrap();
    assert!(
        r.out.find("Outputs:").unwrap() > progress,
        "outputs after progress: {}",
        r.out
    );
    assert!(r.out.contains("CliParams: CREATE_COMPLETE"), "{}", r.out);
    let outputs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{out}/outputs.json")).unwrap())
            .unwrap();
    assert!(outputs["CliParams"].is_object(), "{outputs}");
    assert_eq!(
        status(&moto, "CliParams").as_deref(),
        Some("CREATE_COMPLETE")
    );

    // Unchanged: skipped without a change set.
    let r = run(
        &moto,
        &["deploy", "--out", &out],
        params_app("/formwork/a", false),
    );
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(
        r.out.contains("CliParams: no changes, skipped"),
        "{}",
        r.out
    );

    // A new name replaces the parameter: diff shows it, deploy asks.
    let r = run(&moto, &["diff"], params_app("/formwork/b", false));
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(
        r.out.contains("± Setting [AWS::SSM::Parameter]"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("replacement (Name cannot change in place)"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("Name: /formwork/a → /formwork/b"),
        "{}",
        r.out
    );
    let r = run(
        &moto,
        &["deploy", "--out", &out],
        params_app("/formwork/b", false),
    );
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(r.err.contains("--require-approval never"), "{}", r.err);
    assert!(
        moto.aws(&["ssm", "get-parameter", "--name", "/formwork/b"])
            .is_err(),
        "nothing deployed"
    );
    let r = run(
        &moto,
        &["deploy", "--out", &out, "--require-approval", "never"],
        params_app("/formwork/b", false),
    );
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(
        moto.aws(&["ssm", "get-parameter", "--name", "/formwork/b"])
            .is_ok()
    );
}

#[test]
fn a_bucket_deletion_is_refused_without_allow_data_loss() {
    let Some(moto) = Moto::start("cli-dataloss") else {
        return;
    };
    let (_out_dir, out) = scratch("cli-dataloss");
    let r = run(
        &moto,
        &["deploy", "--out", &out],
        params_app("/formwork/a", true),
    );
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(
        moto.aws(&["s3api", "head-bucket", "--bucket", "formwork-e2e-data"])
            .is_ok()
    );

    let r = run(
        &moto,
        &["deploy", "--out", &out, "--require-approval", "never"],
        params_app("/formwork/a", false),
    );
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(
        r.out
            .contains("data: deleted; the old AWS::S3::Bucket is DESTROYED"),
        "{}",
        r.out
    );
    assert!(
        r.err.contains("this deploy would destroy data"),
        "{}",
        r.err
    );
    assert!(
        r.err
            .contains("CliParams: Data [AWS::S3::Bucket] (CliParams/Data) is deleted"),
        "{}",
        r.err
    );
    assert!(r.err.contains("pin its old logical id"), "{}", r.err);
    assert!(
        moto.aws(&["s3api", "head-bucket", "--bucket", "formwork-e2e-data"])
            .is_ok()
    );

    let r = run(
        &moto,
        &[
            "deploy",
            "--out",
            &out,
            "--require-approval",
            "never",
            "--allow-data-loss",
        ],
        params_app("/formwork/a", false),
    );
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(
        moto.aws(&["s3api", "head-bucket", "--bucket", "formwork-e2e-data"])
            .is_err()
    );
}

#[test]
fn a_failing_stack_prints_why_and_leaves_nothing_in_review() {
    let Some(moto) = Moto::start("cli-fail") else {
        return;
    };
    let build = |ctx: &Context| -> Result<App> {
        let app = App::with_context(ctx.clone());
        let st = app.stack_in(
            "CliBroken",
            Environment::agnostic().region("ap-northeast-1"),
        )?;
        st.add(
            "Ingress",
            formwork::ec2::CfnSecurityGroupIngress::new()
                .group_id("sg-0123456789abcdef0")
                .ip_protocol("tcp")
                .from_port(443)
                .to_port(443)
                .cidr_ip("10.0.0.0/8"),
        )?;
        Ok(app)
    };
    let (_out_dir, out) = scratch("cli-fail");
    let r = run(
        &moto,
        &["deploy", "--out", &out, "--require-approval", "never"],
        build,
    );
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(r.err.contains("CliBroken: failed:"), "{}", r.err);
    assert!(
        r.err.contains("InvalidGroup.NotFound"),
        "the reason: {}",
        r.err
    );
    assert!(r.err.contains("final state:"), "{}", r.err);
    assert_ne!(
        status(&moto, "CliBroken").as_deref(),
        Some("REVIEW_IN_PROGRESS")
    );
}

fn three_stacks(account: Option<&'static str>) -> impl FnOnce(&Context) -> Result<App> {
    move |ctx| {
        let app = App::with_context(ctx.clone());
        let mut env = Environment::agnostic().region("ap-northeast-1");
        if let Some(a) = account {
            env = env.account(a);
        }
        let net = app.stack_in("CliNet", env.clone())?;
        let keep = net.add(
            "Keep",
            formwork::s3::CfnBucket::new().bucket_name("formwork-e2e-keep"),
        )?;
        keep.apply_removal_policy(RemovalPolicy::Retain);
        let svc = app.stack_in("CliSvc", env.clone())?;
        svc.add(
            "Setting",
            formwork::ssm::CfnParameter::new()
                .name("/formwork/svc")
                .type_(formwork::ssm::parameter::Type::String)
                .value("1"),
        )?;
        svc.add_dependency(&net);
        let other = app.stack_in("CliOther", env)?;
        other.add(
            "Setting",
            formwork::ssm::CfnParameter::new()
                .name("/formwork/other")
                .type_(formwork::ssm::parameter::Type::String)
                .value("1"),
        )?;
        Ok(app)
    }
}

#[test]
fn stack_selection_account_check_and_destroy_in_reverse_order() {
    let Some(moto) = Moto::start("cli-select") else {
        return;
    };
    let (_out_dir, out) = scratch("cli-select");
    let r = run(
        &moto,
        &["deploy", "CliSvc", "--out", &out],
        three_stacks(Some("111111111111")),
    );
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(
        r.err.contains("CliNet deploys to account 111111111111, but the credentials are for account 123456789012"),
        "{}",
        r.err
    );
    assert_eq!(status(&moto, "CliNet"), None, "nothing deployed");

    let r = run(
        &moto,
        &["deploy", "CliSvc", "--out", &out],
        three_stacks(Some("123456789012")),
    );
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert_eq!(
        status(&moto, "CliNet").as_deref(),
        Some("CREATE_COMPLETE"),
        "a dependency"
    );
    assert_eq!(status(&moto, "CliSvc").as_deref(), Some("CREATE_COMPLETE"));
    assert_eq!(status(&moto, "CliOther"), None, "not selected");
    let net = r.out.find("CliNet: deploying").unwrap();
    let svc = r.out.find("CliSvc: deploying").unwrap();
    assert!(net < svc, "dependency order: {}", r.out);

    let r = run(
        &moto,
        &["deploy", "CliOther", "--exclusively", "--out", &out],
        three_stacks(None),
    );
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert_eq!(
        status(&moto, "CliOther").as_deref(),
        Some("CREATE_COMPLETE")
    );

    let r = run(&moto, &["destroy", "--out", &out], three_stacks(None));
    assert_eq!(r.code, 1, "no terminal, no --yes: {}{}", r.out, r.err);
    assert!(r.err.contains("pass --yes"), "{}", r.err);
    assert!(
        r.out.contains("kept: Keep [AWS::S3::Bucket] CliNet/Keep"),
        "{}",
        r.out
    );

    let r = run(
        &moto,
        &["destroy", "--yes", "--out", &out],
        three_stacks(None),
    );
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    let order: Vec<usize> = ["CliOther: deleting", "CliSvc: deleting", "CliNet: deleting"]
        .iter()
        .map(|l| r.out.find(l).unwrap_or_else(|| panic!("{l}: {}", r.out)))
        .collect();
    assert!(
        order[1] < order[2],
        "CliSvc before the CliNet it needs: {}",
        r.out
    );
    for s in ["CliNet", "CliSvc", "CliOther"] {
        assert_eq!(status(&moto, s), None, "{s} deleted");
    }
    assert!(
        moto.aws(&["s3api", "head-bucket", "--bucket", "formwork-e2e-keep"])
            .is_ok(),
        "the retained bucket stays"
    );
}

/// `template` with every logical id (and construct path) starting with
/// `from` renamed to start with `to`: the app as it was before a construct
/// was renamed from `to` to `from`.
fn renamed(template: &str, stack: &str, from: &str, to: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find(from) {
        let before = rest[..i].chars().last();
        let boundary = !before.is_some_and(|c| c.is_ascii_alphanumeric());
        out.push_str(&rest[..i]);
        out.push_str(if boundary { to } else { from });
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    let plain_from = from.trim_end_matches(char::is_uppercase);
    out.replace(
        &format!(
            "\"{stack}/{}",
            from.split(char::is_uppercase).nth(1).unwrap_or(plain_from)
        ),
        &format!(
            "\"{stack}/{}",
            to.split(char::is_uppercase).nth(1).unwrap_or(plain_from)
        ),
    )
}

/// A copy of the assembly with stack `stack`'s template changed by `f` and
/// the outputs `drop` removed (moto cannot create them: see moto.rs).
fn deployed_copy(
    asm: &formwork::Assembly,
    stack: &str,
    drop: &[&str],
    f: impl Fn(&str) -> String,
) -> formwork::Assembly {
    let mut copy = asm.clone();
    let s = copy
        .stacks
        .iter_mut()
        .find(|s| s.name == stack)
        .expect("the stack");
    let mut t: serde_json::Value = serde_json::from_str(&f(&s.template)).expect("JSON");
    if let Some(o) = t["Outputs"].as_object_mut() {
        for k in drop {
            o.remove(*k);
        }
    }
    s.template = serde_json::to_string_pretty(&t).expect("JSON") + "\n";
    copy
}

#[test]
fn media_search_data_bucket_renamed_is_destroyed_offered_as_a_refactor_and_refused() {
    let Some(moto) = Moto::start("cli-media-rename") else {
        return;
    };
    let asm = media_search::app(&Context::new()).unwrap().synth().unwrap();
    // Deployed: the bucket construct was `ArchiveData`; the app now calls it `Data`.
    let old = deployed_copy(
        &asm,
        "MediaSearch",
        &["FrontendDomainName", "SearchFunctionUrl", "SiteUrl"],
        |t| renamed(t, "MediaSearch", "DataBucket", "ArchiveDataBucket"),
    );
    assert!(
        old.template("MediaSearch")
            .unwrap()
            .contains("\"ArchiveDataBucket\"")
    );
    moto.deploy(&old, "cli-media-rename");
    let r = run(
        &moto,
        &["diff", "MediaSearch", "--exclusively"],
        media_search::app,
    );
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(
        r.out.contains("- ArchiveDataBucket [AWS::S3::Bucket]"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("the old AWS::S3::Bucket is DESTROYED"),
        "{}",
        r.out
    );
    assert!(
        r.out
            .contains("ArchiveDataBucket → DataBucket [AWS::S3::Bucket]"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains(
            r#""Source":{"LogicalResourceId":"ArchiveDataBucket","StackName":"MediaSearch"}"#
        ) || r.out.contains(
            r#""Source":{"StackName":"MediaSearch","LogicalResourceId":"ArchiveDataBucket"}"#
        ),
        "the refactor mapping: {}",
        r.out
    );
    assert!(
        r.out
            .contains(".override_logical_id(\"ArchiveDataBucket\")"),
        "{}",
        r.out
    );

    let (_out_dir, out) = scratch("cli-media-rename-out");
    let r = run(
        &moto,
        &[
            "deploy",
            "MediaSearch",
            "--exclusively",
            "--require-approval",
            "never",
            "--out",
            &out,
        ],
        media_search::app,
    );
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(
        r.err.contains("this deploy would destroy data"),
        "{}",
        r.err
    );
    assert!(r.err.contains("--allow-data-loss"), "{}", r.err);
}

/// Every id of the app's `WeatherService` template not in `kept`.
fn j_ids_missing(kept: &[String], gone: &[String], asm: &formwork::Assembly) -> Vec<String> {
    let t = asm.template_json("WeatherService").expect("the stack");
    let mut v: Vec<String> = t["Resources"]
        .as_object()
        .expect("resources")
        .keys()
        .map(|k| k.replace("CacheFileSystem", "OldCacheFileSystem"))
        .filter(|k| !kept.contains(k))
        .collect();
    v.extend(gone.iter().cloned());
    v
}

#[test]
fn weather_service_file_system_renamed_is_kept_and_orphaned() {
    let Some(moto) = Moto::start("cli-weather-rename") else {
        return;
    };
    let asm = weather_service::app(&Context::new())
        .unwrap()
        .synth()
        .unwrap();
    // moto 5.2.1 has no AWS::IAM::OIDCProvider, and no `TargetGroupFullName`
    // attribute for the dashboard: the deployed copy goes without them and
    // what refers to them (the diff then shows them added).
    let old = deployed_copy(&asm, "WeatherService", &[], |t| {
        let mut j: serde_json::Value = serde_json::from_str(&renamed(
            t,
            "WeatherService",
            "CacheFileSystem",
            "OldCacheFileSystem",
        ))
        .unwrap();
        let mut gone = vec!["GithubOidcProvider".to_owned(), "Dashboard".to_owned()];
        loop {
            let res = j["Resources"].as_object_mut().unwrap();
            let before = res.len();
            res.retain(|id, r| {
                let text = r.to_string();
                !gone.contains(id) && !gone.iter().any(|g| text.contains(&format!("\"{g}\"")))
            });
            let now: Vec<String> = res.keys().cloned().collect();
            if res.len() == before {
                break;
            }
            gone = j_ids_missing(&now, &gone, &asm);
        }
        if let Some(o) = j["Outputs"].as_object_mut() {
            o.retain(|_, v| {
                !gone
                    .iter()
                    .any(|g| v.to_string().contains(&format!("\"{g}\"")))
            });
        }
        serde_json::to_string_pretty(&j).unwrap()
    });
    moto.deploy(&old, "cli-weather-rename");
    let r = run(
        &moto,
        &["diff", "WeatherService", "--exclusively"],
        weather_service::app,
    );
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(
        r.out
            .contains("- OldCacheFileSystem [AWS::EFS::FileSystem]"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains(
            "the old AWS::EFS::FileSystem is kept (orphaned: no longer managed by the stack)"
        ),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("OldCacheFileSystem → CacheFileSystem"),
        "{}",
        r.out
    );
    assert!(!r.out.contains("DESTROYED"), "{}", r.out);
}

#[test]
fn chat_proxy_environments_live_side_by_side() {
    let (_out_dir, out) = scratch("cli-chat-envs");
    for env in ["dev", "prod"] {
        let (mut o, mut e) = (Vec::new(), Vec::new());
        let args = ["synth", "-c", &format!("env={env}"), "--out", &out].map(String::from);
        let code = formwork::cli::execute(args, Context::new(), chat_proxy::app, &mut o, &mut e);
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&e));
    }
    let dir = std::path::Path::new(&out);
    assert!(dir.join("ChatProxy-dev.template.json").exists());
    assert!(dir.join("ChatProxy-prod.template.json").exists());
    let (mut o, mut e) = (Vec::new(), Vec::new());
    let args = ["diff", "-c", "env=prod", "--against", &out].map(String::from);
    let code = formwork::cli::execute(args, Context::new(), chat_proxy::app, &mut o, &mut e);
    let text = String::from_utf8_lossy(&o);
    assert_eq!(code, 0, "{text}{}", String::from_utf8_lossy(&e));
    assert!(!text.contains("delete"), "{text}");
}

/// `run` with extra environment variables (the host's, so the process's
/// own environment is untouched).
fn run_with_vars(
    moto: &Moto,
    vars: &[(&str, &str)],
    args: &[&str],
    build: impl FnOnce(&Context) -> Result<App>,
) -> Run {
    let mut h = host(moto);
    for (k, v) in vars {
        h.vars.insert((*k).to_owned(), (*v).to_owned());
    }
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    all.extend(["--endpoint-url".into(), moto.endpoint().to_owned()]);
    let (mut o, mut e) = (Vec::new(), Vec::new());
    let code = execute_with(&h, all, Context::new(), build, &mut o, &mut e);
    Run {
        code,
        out: String::from_utf8_lossy(&o).into_owned(),
        err: String::from_utf8_lossy(&e).into_owned(),
    }
}

/// One stack with a secret from an environment variable, a JSON secret
/// with one key from the environment and one from `file`, and a parameter
/// that reads the first secret's ARN (created after it).
fn secrets_app(file: String) -> impl FnOnce(&Context) -> Result<App> {
    use formwork::secretsmanager::{Secret, SecretProps, SecretSource};
    move |ctx| {
        let app = App::with_context(ctx.clone());
        let st = app.stack_in(
            "CliSecrets",
            Environment::agnostic().region("ap-northeast-1"),
        )?;
        let key = Secret::new(
            &st,
            "ApiKey",
            SecretProps::new()
                .name("formwork-e2e/api-key")
                .value_from(SecretSource::env("FORMWORK_E2E_API_KEY")),
        )?;
        Secret::new(
            &st,
            "Keys",
            SecretProps::new()
                .name("formwork-e2e/keys")
                .field_from("A", SecretSource::env("FORMWORK_E2E_A"))
                .field_from("B", SecretSource::file(file)),
        )?;
        st.add(
            "Reader",
            formwork::ssm::CfnParameter::new()
                .name("/formwork/secret-arn")
                .type_(formwork::ssm::parameter::Type::String)
                // A prefix: moto's `Ref` of a secret it skipped is empty.
                .value(formwork::Fn::concat([
                    formwork::Value::from("secret "),
                    formwork::Value::from(key.arn()),
                ])),
        )?;
        Ok(app)
    }
}

fn secret_value(moto: &Moto, id: &str) -> String {
    moto.aws(&["secretsmanager", "get-secret-value", "--secret-id", id])
        .unwrap_or_else(|e| panic!("{e}"))["SecretString"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Every file under `dir`, with its text.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap_or_default()).into_owned();
            out.push((p, text));
        }
    }
    out
}

#[test]
fn secrets_are_seeded_from_env_and_file_once_and_never_shown() {
    let Some(moto) = Moto::start("cli-secrets") else {
        return;
    };
    let (_out_dir, out) = scratch("cli-secrets");
    let values_dir = formwork_test_support::scratch_dir("cli-secrets-values");
    std::fs::create_dir_all(&values_dir).unwrap();
    let file = values_dir.join("b.txt");
    let file_s = file.to_string_lossy().into_owned();
    const API: &str = "api-value-7f3a91c2";
    const A: &str = "a-value-0d5e44b8";
    const B: &str = "b-value-93c1f7aa";

    // No value: refused before anything exists, naming each secret and
    // where its value was expected.
    let r = run(
        &moto,
        &["deploy", "--out", &out],
        secrets_app(file_s.clone()),
    );
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(
        r.err.contains("error[FW0904] CliSecrets/ApiKey: the secret needs its value (its stack is not deployed yet), expected from environment variable FORMWORK_E2E_API_KEY"),
        "{}",
        r.err
    );
    assert!(r.err.contains("CliSecrets/Keys"), "{}", r.err);
    assert!(
        r.err
            .contains("key A: environment variable FORMWORK_E2E_A is not set"),
        "{}",
        r.err
    );
    assert!(r.err.contains("key B: file"), "{}", r.err);
    assert!(r.err.contains("nothing was created"), "{}", r.err);
    assert_eq!(status(&moto, "CliSecrets"), None, "nothing deployed");

    // moto 5.2.1 creates no `AWS::SecretsManager::Secret` from a template
    // (crates/formwork-e2e/MOTO-SUPPORT.md): the secrets CloudFormation
    // would create, empty and with the tags CloudFormation puts on what it
    // makes, are made here; deploy finds them by name and those tags.
    for (name, id) in [
        ("formwork-e2e/api-key", "ApiKey"),
        ("formwork-e2e/keys", "Keys"),
    ] {
        moto.aws(&[
            "secretsmanager",
            "create-secret",
            "--name",
            name,
            "--tags",
            "Key=aws:cloudformation:stack-name,Value=CliSecrets",
            &format!("Key=aws:cloudformation:logical-id,Value={id}"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    }
    // A secret of the same kind of name that CloudFormation did not make
    // for this stack is never written (here: another stack's tags).
    moto.aws(&[
        "secretsmanager",
        "create-secret",
        "--name",
        "formwork-e2e/not-ours",
        "--tags",
        "Key=aws:cloudformation:stack-name,Value=SomeoneElse",
        "Key=aws:cloudformation:logical-id,Value=ApiKey",
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&file, format!("{B}\n")).unwrap();
    let vars = [("FORMWORK_E2E_API_KEY", API), ("FORMWORK_E2E_A", A)];

    // The dry run names where values come from, with placeholders.
    let dry = run_with_vars(
        &moto,
        &vars,
        &["deploy", "--dry-run", "--out", &out],
        secrets_app(file_s.clone()),
    );
    assert_eq!(dry.code, 0, "{}{}", dry.out, dry.err);
    assert!(
        dry.out.contains("put-secret-value --secret-id formwork-e2e/api-key --secret-string 'file://<environment variable FORMWORK_E2E_API_KEY>'"),
        "{}",
        dry.out
    );
    let put = dry.out.find("put-secret-value").unwrap();
    let stack = dry.out.find("cloudformation deploy").unwrap();
    assert!(put < stack, "values before the stack: {}", dry.out);

    let r = run_with_vars(
        &moto,
        &vars,
        &["deploy", "--out", &out],
        secrets_app(file_s.clone()),
    );
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(
        r.out
            .contains("CliSecrets: creating its secrets first (ApiKey, Keys)"),
        "{}",
        r.out
    );
    let seeded = r
        .out
        .find("CliSecrets: value of CliSecrets/ApiKey put (from environment variable FORMWORK_E2E_API_KEY)")
        .unwrap_or_else(|| panic!("{}", r.out));
    let deploying = r.out.find("CliSecrets: deploying").unwrap();
    assert!(seeded < deploying, "values before the readers: {}", r.out);
    assert_eq!(secret_value(&moto, "formwork-e2e/api-key"), API);
    let keys: serde_json::Value =
        serde_json::from_str(&secret_value(&moto, "formwork-e2e/keys")).unwrap();
    assert_eq!(keys, serde_json::json!({"A": A, "B": B}));
    let reader = moto
        .aws(&["ssm", "get-parameter", "--name", "/formwork/secret-arn"])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        reader["Parameter"]["Value"]
            .as_str()
            .unwrap_or_default()
            .starts_with("secret "),
        "{reader}"
    );

    // Later deploys need no value and leave the values alone.
    std::fs::remove_file(&file).unwrap();
    let again = run(
        &moto,
        &["deploy", "--out", &out],
        secrets_app(file_s.clone()),
    );
    assert_eq!(again.code, 0, "{}{}", again.out, again.err);
    assert!(
        !again.out.contains("put-secret-value") && !again.out.contains("value of"),
        "{}",
        again.out
    );
    assert_eq!(secret_value(&moto, "formwork-e2e/api-key"), API);
    let versions = moto
        .aws(&[
            "secretsmanager",
            "list-secret-version-ids",
            "--secret-id",
            "formwork-e2e/api-key",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        versions["Versions"].as_array().map(Vec::len),
        Some(1),
        "{versions}"
    );

    // No value anywhere: the output folder (manifest included), and what
    // deploy and the dry run printed.
    let manifest = std::fs::read_to_string(format!("{out}/manifest.json")).unwrap();
    assert!(
        manifest.contains("\"env\": \"FORMWORK_E2E_API_KEY\""),
        "the source is recorded: {manifest}"
    );
    let printed = [&r.out, &r.err, &dry.out, &dry.err, &again.out, &again.err];
    for v in [API, A, B] {
        for text in printed {
            assert!(!text.contains(v), "{v} printed: {text}");
        }
        for (path, text) in files_under(std::path::Path::new(&out)) {
            assert!(!text.contains(v), "{v} in {}", path.display());
        }
    }
}

/// One stack that adopts the existing secret `formwork-e2e/adopted` and
/// reads its ARN.
fn adopting_app(ctx: &Context) -> Result<App> {
    let app = App::with_context(ctx.clone());
    let st = app.stack_in("CliAdopt", Environment::agnostic().region("ap-northeast-1"))?;
    let s = formwork::secretsmanager::Secret::adopt(&st, "Existing", "formwork-e2e/adopted")?;
    st.add(
        "Reader",
        formwork::ssm::CfnParameter::new()
            .name("/formwork/adopted-arn")
            .type_(formwork::ssm::parameter::Type::String)
            .value(s.arn()),
    )?;
    Ok(app)
}

#[test]
fn an_adopted_secret_must_exist_with_a_value_before_anything_is_created() {
    let Some(moto) = Moto::start("cli-adopt") else {
        return;
    };
    let (_out_dir, out) = scratch("cli-adopt");
    let r = run(&moto, &["deploy", "--out", &out], adopting_app);
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(
        r.err.contains("error[FW0905] CliAdopt/Existing: the adopted secret `formwork-e2e/adopted` does not exist"),
        "{}",
        r.err
    );
    assert_eq!(status(&moto, "CliAdopt"), None, "nothing deployed");

    moto.aws(&[
        "secretsmanager",
        "create-secret",
        "--name",
        "formwork-e2e/adopted",
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let r = run(&moto, &["deploy", "--out", &out], adopting_app);
    assert_eq!(r.code, 1, "{}{}", r.out, r.err);
    assert!(r.err.contains("has no value; put one"), "{}", r.err);
    assert_eq!(status(&moto, "CliAdopt"), None, "nothing deployed");

    moto.aws(&[
        "secretsmanager",
        "put-secret-value",
        "--secret-id",
        "formwork-e2e/adopted",
        "--secret-string",
        "team-value",
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let r = run(&moto, &["deploy", "--out", &out], adopting_app);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert_eq!(
        status(&moto, "CliAdopt").as_deref(),
        Some("CREATE_COMPLETE")
    );
    let secrets = moto
        .aws(&["secretsmanager", "list-secrets"])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        secrets["SecretList"].as_array().map(Vec::len),
        Some(1),
        "no secret created"
    );
}
