//! Assets end to end against a local moto server, through the real
//! `deploy` command and the real AWS CLI: chat-proxy's TypeScript code
//! built, zipped and uploaded once; a source change rolls out; an unchanged
//! app uploads nothing and updates no stack; a failing build stops before
//! anything is published; a folder deployment adds, changes and removes
//! objects and invalidates its distribution once; images are built for the
//! function's platform and pushed before the stack (with a stand-in
//! `docker` that records what it is asked).
//!
//! moto models no CloudFront distribution (MOTO-SUPPORT.md: skipped), so
//! for the folder test the AWS CLI is wrapped: the wrapper records every
//! call, answers the distribution's physical id and the invalidation, and
//! passes everything else to the real AWS CLI.

use std::path::Path;

use formwork::Context;
use formwork_deploy::{Host, args};
use formwork_e2e::Moto;
use serde_json::Value;

const REGION: &str = "ap-northeast-1";
const ASSETS_BUCKET: &str = "formwork-assets-123456789012-ap-northeast-1";

fn host(moto: &Moto) -> Host {
    Host {
        aws_program: Some(Moto::aws_program()),
        aws_env: moto.aws_env(),
        ..Host::default()
    }
}

/// Runs a command (`command`, then the output folder, moto's endpoint and
/// region) on an assembly; returns (exit code, stdout, stderr).
fn run_command(
    command: &[&str],
    host: &Host,
    moto: &Moto,
    out_dir: &Path,
    app: formwork::App,
    asm: formwork::Assembly,
) -> (u8, String, String) {
    let out = out_dir.to_string_lossy();
    let mut words: Vec<String> = command.iter().map(|w| w.to_string()).collect();
    words.extend(
        [
            "--out",
            &out,
            "--endpoint-url",
            moto.endpoint(),
            "--region",
            REGION,
        ]
        .map(String::from),
    );
    let a = args::parse(words).expect("arguments");
    let (mut o, mut e) = (Vec::new(), Vec::new());
    let code = formwork_deploy::run_assembly(host, a, app.into_core(), asm, &mut o, &mut e);
    (
        code,
        String::from_utf8_lossy(&o).into_owned(),
        String::from_utf8_lossy(&e).into_owned(),
    )
}

/// Runs `deploy` on an assembly, approving every change and skipping the
/// app's post-deploy checks: they read the stack's outputs, which moto's
/// change sets do not record (MOTO-SUPPORT.md).
fn deploy(
    host: &Host,
    moto: &Moto,
    out_dir: &Path,
    app: formwork::App,
    asm: formwork::Assembly,
) -> (u8, String, String) {
    let command = ["deploy", "--require-approval", "never", "--no-checks"];
    run_command(&command, host, moto, out_dir, app, asm)
}

/// Runs `destroy --yes` on an assembly.
fn destroy(
    host: &Host,
    moto: &Moto,
    out_dir: &Path,
    app: formwork::App,
    asm: formwork::Assembly,
) -> (u8, String, String) {
    run_command(&["destroy", "--yes"], host, moto, out_dir, app, asm)
}

/// chat-proxy in a copy of its crate folder, without the outputs moto
/// cannot evaluate (see `without_outputs` in moto.rs). Its two API-key
/// secrets are adopted (`-c secrets=adopt`, made by [`chat_proxy_secrets`]):
/// moto creates no `AWS::SecretsManager::Secret` from a template
/// (MOTO-SUPPORT.md), which the default (secrets the stack creates and
/// `deploy` fills) needs; deploy_cli.rs tests that path on its own app.
fn chat_proxy(project: &Path) -> (formwork::App, formwork::Assembly) {
    let ctx = Context::new()
        .with_project_dir(project)
        .with_value("secrets", "adopt");
    let app = chat_proxy::app(&ctx).expect("app");
    let mut asm = app.synth().expect("synth");
    let s = asm
        .stacks
        .iter_mut()
        .find(|s| s.name == "ChatProxy-prod")
        .expect("stack");
    let mut t: Value = serde_json::from_str(&s.template).expect("json");
    let outputs = t["Outputs"].as_object_mut().expect("outputs");
    outputs.remove("ChatApiEndpoint");
    outputs.remove("ChatFunctionUrl");
    s.template = serde_json::to_string_pretty(&t).expect("json") + "\n";
    (app, asm)
}

/// The two secrets chat-proxy adopts, made beforehand with a value (as the
/// team does with `aws secretsmanager create-secret`).
fn chat_proxy_secrets(moto: &Moto) {
    for key in chat_proxy::API_KEY_VARIABLES {
        moto.aws(&[
            "secretsmanager",
            "create-secret",
            "--name",
            &format!("/sfai/prod/{key}"),
            "--secret-string",
            "test-value",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    }
}

fn zips(moto: &Moto) -> Vec<String> {
    let v = moto
        .aws(&["s3api", "list-objects-v2", "--bucket", ASSETS_BUCKET])
        .unwrap_or(Value::Null);
    v["Contents"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|o| o["Key"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn stack_events(moto: &Moto, stack: &str) -> usize {
    moto.aws(&[
        "cloudformation",
        "describe-stack-events",
        "--stack-name",
        stack,
    ])
    .map(|v| v["StackEvents"].as_array().map_or(0, Vec::len))
    .unwrap_or(0)
}

fn copy_chat_proxy() -> formwork_test_support::ScratchDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chat-proxy");
    let dir = formwork_test_support::scratch_dir("assets-chat-proxy");
    for sub in ["lambda/chat", "config"] {
        let copy = formwork_test_support::copy_dir(&src.join(sub), "assets-chat-proxy-part");
        let to = dir.join(sub);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::rename(copy.path(), &to).expect("move");
    }
    dir
}

fn has_npm() -> bool {
    let ok = std::process::Command::new("npm")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !formwork_test_support::tools_required(),
            "npm is required here (CI or FORMWORK_REQUIRE_TOOLS is set)"
        );
        eprintln!("\n*** SKIPPED chat-proxy asset deploy: npm is not installed ***\n");
    }
    ok
}

#[test]
fn chat_proxy_code_is_uploaded_once_and_a_change_rolls_out() {
    if !has_npm() {
        return;
    }
    let Some(moto) = Moto::start("assets-chat-proxy") else {
        return;
    };
    chat_proxy_secrets(&moto);
    let host = host(&moto);
    let project = copy_chat_proxy();
    let out = project.join("formwork.out");
    let stack = "ChatProxy-prod";

    // First deploy: the assets stack, the build, one upload, the stack, the model map.
    let (app, asm) = chat_proxy(project.path());
    let hash1 = asm.assets[0].asset.hash.clone();
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    assert!(o.contains("FormworkAssets: deploying"), "{o}");
    assert!(o.contains("uploading to s3://"), "{o}");
    assert_eq!(zips(&moto), [format!("{hash1}.zip")]);
    let f = moto
        .aws(&[
            "lambda",
            "get-function",
            "--function-name",
            "sfai-prod-chat-completions",
        ])
        .expect("function");
    let sha1 = f["Configuration"]["CodeSha256"].clone();
    let map = moto
        .aws(&[
            "s3api",
            "head-object",
            "--bucket",
            "sfai-prod-config-123456789012",
            "--key",
            "config/model_map.json",
        ])
        .expect("model map uploaded");
    assert_eq!(map["ContentType"], "application/json");
    let repo = moto
        .aws(&[
            "ecr",
            "describe-repositories",
            "--repository-names",
            "formwork-assets",
        ])
        .expect("assets repository");
    assert_eq!(repo["repositories"][0]["imageTagMutability"], "IMMUTABLE");

    // Unchanged: nothing uploaded, no stack update, and only the reads
    // that cannot be avoided (docs/performance.md).
    let events = stack_events(&moto, stack);
    let (app, asm) = chat_proxy(project.path());
    let log = project.join("aws.log");
    let wrapper = project.join("aws-logged");
    script(
        &wrapper,
        &format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            Moto::aws_program().display()
        ),
    );
    let mut logged = host.clone();
    if cfg!(unix) {
        logged.aws_program = Some(wrapper);
    }
    let started = std::time::Instant::now();
    let (code, o, e) = deploy(&logged, &moto, &out, app, asm);
    // Reported for docs/performance.md, never asserted.
    eprintln!(
        "no-op deploy of chat-proxy against moto: {:?}",
        started.elapsed()
    );
    assert_eq!(code, 0, "{o}\n{e}");
    assert!(!o.contains("uploading") && !o.contains("building"), "{o}");
    assert!(
        o.contains("its stacks are unchanged, nothing to publish"),
        "{o}"
    );
    assert!(o.contains("FormworkAssets: not visited"), "{o}");
    assert!(o.contains("is up to date"), "{o}");
    assert_eq!(stack_events(&moto, stack), events, "no stack update");
    assert_eq!(zips(&moto).len(), 1);
    let mut calls: Vec<String> = lines(&log)
        .iter()
        .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    calls.sort();
    // The two `describe-secret`: `deploy` checks on every run that the
    // adopted API-key secrets exist and hold a value, before anything else.
    if cfg!(unix) {
        assert_eq!(
            calls,
            [
                "cloudformation describe-stacks",
                "cloudformation get-template",
                "s3api list-objects-v2",
                "secretsmanager describe-secret",
                "secretsmanager describe-secret"
            ]
        );
    }

    // A changed source: a new zip, and the function's code changes.
    let index = project.join("lambda/chat/src/index.ts");
    let mut src = std::fs::read_to_string(&index).expect("read");
    src.push_str("\n// a change\nexport const version = 2;\n");
    std::fs::write(&index, &src).expect("write");
    let (app, asm) = chat_proxy(project.path());
    let hash2 = asm.assets[0].asset.hash.clone();
    assert_ne!(hash1, hash2);
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    assert!(o.contains("uploading"), "{o}");
    let mut z = zips(&moto);
    z.sort();
    let mut want = vec![format!("{hash1}.zip"), format!("{hash2}.zip")];
    want.sort();
    assert_eq!(z, want);
    let f = moto
        .aws(&[
            "lambda",
            "get-function",
            "--function-name",
            "sfai-prod-chat-completions",
        ])
        .expect("function");
    assert_ne!(f["Configuration"]["CodeSha256"], sha1, "the code changed");

    // A failing build: its output shown, nothing uploaded, no stack update.
    src.push_str("export const broken: number = 'not a number';\n");
    std::fs::write(&index, &src).expect("write");
    let events = stack_events(&moto, stack);
    let (app, asm) = chat_proxy(project.path());
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 1, "{o}\n{e}");
    assert!(e.contains("ChatProxy-prod/ChatCompletionsFunction"), "{e}");
    assert!(
        e.contains("npm ci && npm run build") && e.contains("TS2322"),
        "{e}"
    );
    assert!(e.contains("nothing was published or deployed"), "{e}");
    assert_eq!(zips(&moto).len(), 2, "nothing uploaded");
    assert_eq!(stack_events(&moto, stack), events, "no stack update");
}

fn script(path: &Path, body: &str) {
    formwork_test_support::write_executable(path, body);
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// A folder deployment into a site bucket: added, changed and removed
/// objects, and exactly one invalidation per deploy that changed anything.
#[cfg(unix)]
#[test]
fn a_folder_deployment_syncs_by_content_and_invalidates_once() {
    use formwork::patterns::{
        BucketDeployment, BucketDeploymentProps, StaticSite, StaticSiteProps,
    };
    let Some(moto) = Moto::start("assets-folder") else {
        return;
    };
    let project = formwork_test_support::scratch_dir("assets-folder-project");
    let site = project.join("site");
    std::fs::create_dir_all(site.join("css")).expect("mkdir");
    std::fs::write(site.join("index.html"), "<h1>v1</h1>").expect("write");
    std::fs::write(site.join("css/site.css"), "h1{}").expect("write");
    std::fs::write(site.join("old.txt"), "remove me").expect("write");
    // The wrapper: records every call; answers for the distribution moto
    // does not model; passes the rest to the real AWS CLI.
    let log = project.join("aws.log");
    let wrapper = project.join("aws-wrapper");
    script(
        &wrapper,
        &format!(
            "#!/bin/sh\necho \"$*\" >> '{log}'\ncase \"$*\" in\n  *'cloudfront create-invalidation'*) echo '{{\"Invalidation\":{{\"Id\":\"I1\",\"Status\":\"InProgress\"}}}}'; exit 0;;\n  *describe-stack-resource*SiteDistribution*) echo '{{\"StackResourceDetail\":{{\"PhysicalResourceId\":\"E2EXAMPLE\"}}}}'; exit 0;;\nesac\nexec '{aws}' \"$@\"\n",
            log = log.display(),
            aws = Moto::aws_program().display()
        ),
    );
    let mut host = host(&moto);
    host.aws_program = Some(wrapper);
    let build = || {
        let app = formwork::App::with_context(Context::new().with_project_dir(project.path()));
        let st = app
            .stack_in("Site", formwork::Environment::agnostic().region(REGION))
            .expect("stack");
        let s = StaticSite::new(&st, "Site", StaticSiteProps::new().outputs(false)).expect("site");
        BucketDeployment::new(
            &st,
            "Content",
            BucketDeploymentProps::new("site", s.bucket())
                .prefix("www")
                .invalidate(s.distribution()),
        )
        .expect("deployment");
        let asm = app.synth().expect("synth");
        (app, asm)
    };
    let out = project.join("formwork.out");
    let invalidations = || {
        lines(&log)
            .iter()
            .filter(|l| l.contains("cloudfront create-invalidation"))
            .count()
    };
    let bucket = |moto: &Moto| {
        moto.aws(&[
            "cloudformation",
            "describe-stack-resource",
            "--stack-name",
            "Site",
            "--logical-resource-id",
            "SiteBucket",
        ])
        .expect("bucket")["StackResourceDetail"]["PhysicalResourceId"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let objects = |moto: &Moto, b: &str| -> Vec<(String, String)> {
        let v = moto
            .aws(&["s3api", "list-objects-v2", "--bucket", b])
            .expect("list");
        v["Contents"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|o| {
                let k = o["Key"].as_str().unwrap_or_default().to_owned();
                let t = moto
                    .aws(&["s3api", "head-object", "--bucket", b, "--key", &k])
                    .expect("head")["ContentType"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                (k, t)
            })
            .collect()
    };
    // The bucket holds one object of someone else's outside the prefix.
    let (app, asm) = build();
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    let b = bucket(&moto);
    assert_eq!(
        objects(&moto, &b),
        [
            (
                "www/css/site.css".to_owned(),
                "text/css; charset=utf-8".to_owned()
            ),
            (
                "www/index.html".to_owned(),
                "text/html; charset=utf-8".to_owned()
            ),
            (
                "www/old.txt".to_owned(),
                "text/plain; charset=utf-8".to_owned()
            ),
        ]
    );
    assert_eq!(invalidations(), 1, "{o}");
    assert!(
        lines(&log)
            .iter()
            .any(|l| l.contains("--distribution-id E2EXAMPLE --paths /*"))
    );

    // Add, change, remove: one more invalidation, and only the changes move.
    std::fs::write(site.join("index.html"), "<h1>v2</h1>").expect("write");
    std::fs::write(site.join("new.json"), "{}").expect("write");
    std::fs::remove_file(site.join("old.txt")).expect("rm");
    let puts_before = lines(&log)
        .iter()
        .filter(|l| l.contains("put-object"))
        .count();
    let (app, asm) = build();
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    let keys: Vec<String> = objects(&moto, &b).into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["www/css/site.css", "www/index.html", "www/new.json"]);
    let puts: Vec<String> = lines(&log)
        .into_iter()
        .filter(|l| l.contains("put-object"))
        .skip(puts_before)
        .collect();
    assert_eq!(puts.len(), 2, "only the changed and the new file: {puts:?}");
    assert!(o.contains("2 uploaded, 1 deleted"), "{o}");
    assert_eq!(invalidations(), 2);

    // Unchanged: nothing uploaded, no invalidation.
    let (app, asm) = build();
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    assert!(
        o.contains("is up to date") && o.contains("no invalidation"),
        "{o}"
    );
    assert_eq!(invalidations(), 2);
}

/// Images: built by a stand-in `docker` for each function's platform, with
/// `--provenance=false`, logged in and pushed to the assets repository
/// before the stack that runs them.
#[cfg(unix)]
#[test]
fn images_are_built_for_the_platform_and_pushed_before_the_stack() {
    use formwork::assets::ImageAsset;
    use formwork::lambda::{Architecture, Code, Function, FunctionProps};
    let Some(moto) = Moto::start("assets-image") else {
        return;
    };
    let project = formwork_test_support::scratch_dir("assets-image-project");
    std::fs::create_dir_all(project.join("app")).expect("mkdir");
    std::fs::write(
        project.join("app/Dockerfile"),
        "FROM public.ecr.aws/lambda/python:3.12\n",
    )
    .expect("write");
    std::fs::write(
        project.join("app/main.py"),
        "def handler(e, c):\n    return 1\n",
    )
    .expect("write");
    let log = project.join("docker.log");
    let docker = project.join("docker");
    script(
        &docker,
        &format!(
            "#!/bin/sh\necho \"$*\" >> '{log}'\ncase \"$1\" in\n  version) echo 27.3.1;;\n  login) cat > /dev/null; echo 'Login Succeeded';;\n  build) echo 'writing image sha256:0123 done';;\n  push) echo \"$2: digest: sha256:abcd size: 1234\";;\nesac\nexit 0\n",
            log = log.display()
        ),
    );
    let mut host = host(&moto);
    host.vars.insert(
        "FORMWORK_DOCKER".into(),
        docker.to_string_lossy().into_owned(),
    );
    let aws_log = project.join("aws.log");
    let wrapper = project.join("aws-wrapper");
    script(
        &wrapper,
        &format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            aws_log.display(),
            Moto::aws_program().display()
        ),
    );
    host.aws_program = Some(wrapper);
    let app = formwork::App::with_context(Context::new().with_project_dir(project.path()));
    let st = app
        .stack_in("Images", formwork::Environment::agnostic().region(REGION))
        .expect("stack");
    for (id, arch) in [
        ("Api", Architecture::X86_64),
        ("Worker", Architecture::X86_64),
        ("Arm", Architecture::Arm64),
    ] {
        Function::new(
            &st,
            id,
            FunctionProps::new(Code::image_asset(ImageAsset::from_dir("app"))).architecture(arch),
        )
        .expect("function");
    }
    let asm = app.synth().expect("synth");
    let hashes: Vec<String> = asm.assets.iter().map(|a| a.asset.hash.clone()).collect();
    assert_eq!(hashes.len(), 2, "one image per platform");
    let (code, o, e) = deploy(&host, &moto, &project.join("formwork.out"), app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    let calls = lines(&log);
    let builds: Vec<&String> = calls.iter().filter(|l| l.starts_with("build ")).collect();
    assert_eq!(builds.len(), 2, "{calls:?}");
    assert!(
        builds[0]
            .starts_with("build --platform linux/amd64 --provenance=false --tag formwork-asset:"),
        "{}",
        builds[0]
    );
    assert!(
        builds[1].starts_with("build --platform linux/arm64 --provenance=false"),
        "{}",
        builds[1]
    );
    assert!(
        builds.iter().all(|b| b.ends_with("/app")),
        "the context: {builds:?}"
    );
    let pushes: Vec<&String> = calls.iter().filter(|l| l.starts_with("push ")).collect();
    assert_eq!(pushes.len(), 2);
    for h in &hashes {
        assert!(
            pushes.iter().any(|p| p.ends_with(&format!(
                "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/formwork-assets:{h}"
            ))),
            "{pushes:?}"
        );
    }
    assert!(
        calls
            .iter()
            .any(|l| l.starts_with("login --username AWS --password-stdin"))
    );
    // Pushed before the stack that runs the images was deployed.
    let aws_calls = lines(&aws_log);
    let deployed = aws_calls
        .iter()
        .position(|l| {
            (l.contains("cloudformation deploy") || l.contains("create-change-set"))
                && l.contains("--stack-name Images")
        })
        .expect("the stack was deployed");
    let logins = aws_calls
        .iter()
        .enumerate()
        .filter(|(_, l)| l.contains("ecr get-login-password"))
        .map(|(i, _)| i)
        .collect::<Vec<_>>();
    assert!(
        !logins.is_empty() && logins.iter().all(|i| *i < deployed),
        "{aws_calls:?}"
    );
    let f = moto
        .aws(&["lambda", "get-function", "--function-name", &{
            moto.aws(&[
                "cloudformation",
                "describe-stack-resource",
                "--stack-name",
                "Images",
                "--logical-resource-id",
                "Api",
            ])
            .expect("api")["StackResourceDetail"]["PhysicalResourceId"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        }])
        .expect("function");
    assert!(
        f["Code"]["ImageUri"]
            .as_str()
            .is_some_and(|u| u.ends_with(&format!("/formwork-assets:{}", hashes[0]))),
        "{f}"
    );
}

/// `destroy` empties the bucket the app deployed a folder into when the
/// bucket goes with its stack (removal policy Delete), leaves a retained
/// bucket and its objects alone, and prices what it keeps.
#[test]
fn destroy_empties_deleted_buckets_and_keeps_retained_ones() {
    use formwork::RemovalPolicy;
    use formwork::patterns::{BucketDeployment, BucketDeploymentProps};
    use formwork::s3::{Bucket, BucketProps};
    let Some(moto) = Moto::start("assets-destroy") else {
        return;
    };
    let project = formwork_test_support::scratch_dir("assets-destroy-project");
    std::fs::create_dir_all(project.join("files")).expect("mkdir");
    std::fs::write(project.join("files/a.txt"), "a").expect("write");
    let host = host(&moto);
    let build = || {
        let app = formwork::App::with_context(Context::new().with_project_dir(project.path()));
        let st = app
            .stack_in("Buckets", formwork::Environment::agnostic().region(REGION))
            .expect("stack");
        let scratch = Bucket::new(
            &st,
            "Scratch",
            BucketProps::new()
                .bucket_name("formwork-e2e-scratch")
                .removal_policy(RemovalPolicy::Delete),
        )
        .expect("bucket");
        let kept = Bucket::new(
            &st,
            "Kept",
            BucketProps::new().bucket_name("formwork-e2e-kept"),
        )
        .expect("bucket");
        BucketDeployment::new(
            &st,
            "ScratchFiles",
            BucketDeploymentProps::new("files", &scratch),
        )
        .expect("deployment");
        BucketDeployment::new(&st, "KeptFiles", BucketDeploymentProps::new("files", &kept))
            .expect("deployment");
        let asm = app.synth().expect("synth");
        (app, asm)
    };
    let out = project.join("formwork.out");
    let (app, asm) = build();
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    let keys = |b: &str| -> Vec<String> {
        moto.aws(&["s3api", "list-objects-v2", "--bucket", b])
            .map(|v| {
                v["Contents"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|o| o["Key"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(keys("formwork-e2e-scratch"), ["a.txt"]);
    assert_eq!(keys("formwork-e2e-kept"), ["a.txt"]);

    let (app, asm) = build();
    let (code, o, e) = destroy(&host, &moto, &out, app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    assert!(
        o.contains("kept: Kept [AWS::S3::Bucket] Buckets/Kept"),
        "{o}"
    );
    assert!(o.contains("to keep: about $"), "{o}");
    assert!(o.contains("What is kept costs about $"), "{o}");
    let emptied = o
        .find("Buckets: emptying bucket formwork-e2e-scratch (deployed files, 1 object)")
        .unwrap_or_else(|| panic!("{o}"));
    let deleting = o.find("Buckets: deleting").expect("deleting");
    assert!(
        emptied < deleting,
        "emptied before its stack is deleted: {o}"
    );
    assert!(!o.contains("emptying bucket formwork-e2e-kept"), "{o}");
    assert!(
        o.contains("    emptied first: Scratch Buckets/Scratch (the app deploys files into it"),
        "the question says which bucket is emptied: {o}"
    );
    assert!(!o.contains("emptied first: Kept"), "{o}");
    assert!(
        moto.aws(&["s3api", "head-bucket", "--bucket", "formwork-e2e-scratch"])
            .is_err(),
        "the deleted bucket is gone"
    );
    assert_eq!(
        keys("formwork-e2e-kept"),
        ["a.txt"],
        "the kept bucket keeps its files"
    );
}

/// One app for the destroy tests below: a bucket that goes with its stack
/// (removal policy Delete), versioned or not, and a folder deployed into it.
fn bucket_app(project: &Path, name: &str, versioned: bool) -> (formwork::App, formwork::Assembly) {
    use formwork::RemovalPolicy;
    use formwork::patterns::{BucketDeployment, BucketDeploymentProps};
    use formwork::s3::{Bucket, BucketProps};
    let app = formwork::App::with_context(Context::new().with_project_dir(project));
    let st = app
        .stack_in("Site", formwork::Environment::agnostic().region(REGION))
        .expect("stack");
    let site = Bucket::new(
        &st,
        "Files",
        BucketProps::new()
            .bucket_name(name)
            .versioned(versioned)
            .removal_policy(RemovalPolicy::Delete),
    )
    .expect("bucket");
    BucketDeployment::new(&st, "Deploy", BucketDeploymentProps::new("files", &site))
        .expect("deployment");
    let asm = app.synth().expect("synth");
    (app, asm)
}

/// Every version and delete marker in a bucket: (versions, delete markers),
/// each as `key@version`, read through the CLI's own pagination.
fn versions(moto: &Moto, bucket: &str) -> (Vec<String>, Vec<String>) {
    let v = moto
        .aws(&["s3api", "list-object-versions", "--bucket", bucket])
        .expect("list-object-versions");
    let of = |field: &str| -> Vec<String> {
        v[field]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| format!("{}@{}", e["Key"].as_str().unwrap_or("?"), e["VersionId"]))
            .collect()
    };
    (of("Versions"), of("DeleteMarkers"))
}

/// A versioned bucket that goes with its stack: the folder was deployed
/// twice (a changed file keeps its old version, a removed file leaves a
/// delete marker) and more files were put twice and removed, so it holds
/// more than one page (1,000) of versions and delete markers. `s3 rm`
/// would only add delete markers and leave the bucket undeletable;
/// `destroy` deletes every version and marker, and the bucket and its
/// stack go.
#[test]
fn destroy_empties_a_versioned_bucket_of_every_version_and_delete_marker() {
    const BUCKET: &str = "formwork-e2e-versioned";
    const BULK: usize = 340;
    let Some(moto) = Moto::start("assets-destroy-versions") else {
        return;
    };
    let project = formwork_test_support::scratch_dir("assets-destroy-versions-project");
    std::fs::create_dir_all(project.join("files")).expect("mkdir");
    std::fs::write(project.join("files/a.txt"), "a1").expect("write");
    std::fs::write(project.join("files/b.txt"), "b").expect("write");
    let host = host(&moto);
    let out = project.join("formwork.out");
    let (app, asm) = bucket_app(project.path(), BUCKET, true);
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    // moto's CloudFormation ignores VersioningConfiguration
    // (MOTO-SUPPORT.md): the S3 API turns versioning on, as the template asks.
    moto.aws(&[
        "s3api",
        "put-bucket-versioning",
        "--bucket",
        BUCKET,
        "--versioning-configuration",
        "Status=Enabled",
    ])
    .expect("versioning");

    std::fs::write(project.join("files/a.txt"), "a2").expect("write");
    std::fs::remove_file(project.join("files/b.txt")).expect("rm");
    let (app, asm) = bucket_app(project.path(), BUCKET, true);
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    let (v, m) = versions(&moto, BUCKET);
    assert_eq!(
        (
            v.iter().filter(|k| k.starts_with("a.txt@")).count(),
            m.len()
        ),
        (2, 1),
        "a.txt has an old version, b.txt a delete marker: {v:?} {m:?}"
    );

    let bulk = project.join("bulk");
    std::fs::create_dir_all(&bulk).expect("mkdir");
    for i in 0..BULK {
        std::fs::write(bulk.join(format!("{i:04}.txt")), i.to_string()).expect("write");
    }
    let dest = format!("s3://{BUCKET}/bulk/");
    let bulk_dir = bulk.to_string_lossy().into_owned();
    for _ in 0..2 {
        moto.aws(&[
            "s3",
            "cp",
            &bulk_dir,
            &dest,
            "--recursive",
            "--only-show-errors",
        ])
        .expect("upload");
    }
    moto.aws(&["s3", "rm", &dest, "--recursive", "--only-show-errors"])
        .expect("rm");
    let (v, m) = versions(&moto, BUCKET);
    assert_eq!(
        (v.len(), m.len()),
        (2 * BULK + 3, BULK + 1),
        "more than a page of versions and delete markers"
    );

    let (app, asm) = bucket_app(project.path(), BUCKET, true);
    let (code, o, e) = destroy(&host, &moto, &out, app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    assert!(
        moto.aws(&["s3api", "head-bucket", "--bucket", BUCKET])
            .is_err(),
        "the bucket is gone"
    );
    assert!(
        moto.aws(&[
            "cloudformation",
            "describe-stacks",
            "--stack-name",
            "Site",
            "--region",
            REGION
        ])
        .is_err(),
        "the stack is gone"
    );
    assert!(
        o.contains("    emptied first: Files Site/Files (the app deploys files into it"),
        "{o}"
    );
    let emptied = o
        .find(&format!(
            "Site: emptying bucket {BUCKET} (deployed files, {} object versions and {} delete markers)",
            2 * BULK + 3,
            BULK + 1
        ))
        .unwrap_or_else(|| panic!("{o}"));
    let deleted = o.find("Site: deleted").unwrap_or_else(|| panic!("{o}"));
    assert!(emptied < deleted, "{o}");
}

/// What `delete-objects` refuses (here a bucket policy that denies
/// deleting one key) stops `destroy` before the stack is deleted, with an
/// error naming the bucket and the key; the rest is deleted.
#[test]
fn destroy_names_what_it_could_not_delete_and_keeps_the_stack() {
    const BUCKET: &str = "formwork-e2e-locked";
    let Some(moto) = Moto::start("assets-destroy-refused") else {
        return;
    };
    let project = formwork_test_support::scratch_dir("assets-destroy-refused-project");
    std::fs::create_dir_all(project.join("files")).expect("mkdir");
    std::fs::write(project.join("files/a.txt"), "a").expect("write");
    std::fs::write(project.join("files/keep.txt"), "k").expect("write");
    let host = host(&moto);
    let out = project.join("formwork.out");
    let (app, asm) = bucket_app(project.path(), BUCKET, false);
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Deny",
            "Principal": "*",
            "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"],
            "Resource": format!("arn:aws:s3:::{BUCKET}/keep.txt")
        }]
    });
    moto.aws(&[
        "s3api",
        "put-bucket-policy",
        "--bucket",
        BUCKET,
        "--policy",
        &policy.to_string(),
    ])
    .expect("policy");

    let (app, asm) = bucket_app(project.path(), BUCKET, false);
    let (code, o, e) = destroy(&host, &moto, &out, app, asm);
    assert_ne!(code, 0, "{o}\n{e}");
    assert!(
        o.contains(&format!(
            "Site: emptying bucket {BUCKET} (deployed files, 2 objects)"
        )),
        "{o}"
    );
    // moto's Errors entries carry no VersionId (MOTO-SUPPORT.md); S3's do,
    // and the message then names the version too.
    assert!(
        e.contains(&format!(
            "Site: cannot empty bucket {BUCKET}, so the stack is not deleted: 1 of 2 deletions failed: keep.txt"
        )) && e.contains("AccessDenied"),
        "{e}"
    );
    assert!(!o.contains("Site: deleting"), "{o}");
    assert!(
        moto.aws(&[
            "cloudformation",
            "describe-stacks",
            "--stack-name",
            "Site",
            "--region",
            REGION
        ])
        .is_ok(),
        "the stack is still there"
    );
    let (v, _) = versions(&moto, BUCKET);
    assert_eq!(v, ["keep.txt@\"null\""], "the rest was deleted");
}

/// The no-op deploy benchmark (`scripts/bench-noop-deploy`): chat-proxy
/// deployed once, then deployed unchanged three times; prints each
/// deploy's wall time and every AWS CLI call it made, with its duration.
/// Figures go to docs/performance.md; no time is asserted.
#[cfg(unix)]
#[test]
#[ignore = "a benchmark: run by scripts/bench-noop-deploy"]
fn bench_noop_deploy() {
    if !has_npm() {
        return;
    }
    let Some(moto) = Moto::start("bench-noop") else {
        return;
    };
    chat_proxy_secrets(&moto);
    let project = copy_chat_proxy();
    let out = project.join("formwork.out");
    let log = project.join("aws.log");
    let wrapper = project.join("aws-timed");
    script(
        &wrapper,
        &format!(
            "#!/bin/sh\nstart=$(date +%s.%N)\n'{aws}' \"$@\"\nrc=$?\necho \"$start $(date +%s.%N) $*\" >> '{log}'\nexit $rc\n",
            aws = Moto::aws_program().display(),
            log = log.display()
        ),
    );
    let mut host = host(&moto);
    host.aws_program = Some(wrapper);
    let (app, asm) = chat_proxy(project.path());
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    // CPU seconds of this process and of its finished children (Linux).
    let cpu = || -> (f64, f64) {
        let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let f: Vec<f64> = s
            .rsplit_once(')')
            .map_or("", |(_, r)| r)
            .split_whitespace()
            .skip(11)
            .take(4)
            .filter_map(|x| x.parse().ok())
            .collect();
        if f.len() < 4 {
            return (f64::NAN, f64::NAN);
        }
        ((f[0] + f[1]) / 100.0, (f[2] + f[3]) / 100.0)
    };
    for run in 1..=3 {
        std::fs::remove_file(&log).ok();
        let (app, asm) = chat_proxy(project.path());
        let (own0, children0) = cpu();
        let started = std::time::Instant::now();
        let (code, o, e) = deploy(&host, &moto, &out, app, asm);
        let took = started.elapsed();
        let (own1, children1) = cpu();
        assert_eq!(code, 0, "{o}\n{e}");
        assert!(!o.contains("uploading") && !o.contains("deploying"), "{o}");
        let calls = lines(&log);
        println!(
            "no-op deploy {run}: {:.2} s, {} AWS CLI calls ({:.2} s of CPU), formwork {:.2} s of CPU",
            took.as_secs_f64(),
            calls.len(),
            children1 - children0,
            own1 - own0
        );
        let t0 = calls
            .iter()
            .filter_map(|l| l.split(' ').next()?.parse::<f64>().ok())
            .fold(f64::INFINITY, f64::min);
        let mut rows: Vec<(f64, f64, String)> = calls
            .iter()
            .filter_map(|l| {
                let mut w = l.splitn(3, ' ');
                let a: f64 = w.next()?.parse().ok()?;
                let b: f64 = w.next()?.parse().ok()?;
                let cmd: Vec<&str> = w.next()?.split(' ').take(4).collect();
                Some((a - t0, b - a, cmd.join(" ")))
            })
            .collect();
        rows.sort_by(|x, y| x.0.total_cmp(&y.0));
        for (at, d, cmd) in rows {
            println!("  +{at:5.2} s  {d:4.2} s  aws {cmd}");
        }
    }
}

/// Docker missing, its daemon down, an expired registry login, through the
/// real `deploy` against moto: the first two stop before anything runs
/// (no assets stack, no app stack, nothing pushed), each with its code and
/// the construct path; the third logs in again by itself and deploys.
#[cfg(unix)]
#[test]
fn docker_problems_stop_before_anything_runs_and_an_expired_login_is_renewed() {
    use formwork::assets::ImageAsset;
    use formwork::lambda::{Code, Function, FunctionProps};
    let Some(moto) = Moto::start("assets-docker-errors") else {
        return;
    };
    let project = formwork_test_support::scratch_dir("assets-docker-errors");
    std::fs::create_dir_all(project.join("app")).expect("mkdir");
    std::fs::write(
        project.join("app/Dockerfile"),
        "FROM public.ecr.aws/lambda/python:3.12\n",
    )
    .expect("write");
    let build = || {
        let app = formwork::App::with_context(Context::new().with_project_dir(project.path()));
        let st = app
            .stack_in("Images", formwork::Environment::agnostic().region(REGION))
            .expect("stack");
        Function::new(
            &st,
            "Api",
            FunctionProps::new(Code::image_asset(ImageAsset::from_dir("app"))),
        )
        .expect("function");
        let asm = app.synth().expect("synth");
        (app, asm)
    };
    let nothing_ran = |moto: &Moto| {
        for stack in ["Images", "FormworkAssets"] {
            assert!(
                moto.aws(&["cloudformation", "describe-stacks", "--stack-name", stack])
                    .is_err(),
                "{stack} was deployed"
            );
        }
    };
    let out = project.join("formwork.out");

    // Not installed: the same failure to start a program as a `docker`
    // missing from the PATH.
    let mut host = host(&moto);
    host.vars.insert(
        "FORMWORK_DOCKER".into(),
        project
            .join("no-such-docker")
            .to_string_lossy()
            .into_owned(),
    );
    let (app, asm) = build();
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 1, "{o}\n{e}");
    assert!(
        e.contains("[FW0720] Images/Api: docker is not installed"),
        "{e}"
    );
    nothing_ran(&moto);

    // Installed, daemon down: `docker version` fails as docker does.
    let log = project.join("docker.log");
    let marker = project.join("pushed-once");
    let docker = project.join("docker");
    let stand_in = |version: &str| {
        script(
            &docker,
            &format!(
                "#!/bin/sh\necho \"$*\" >> '{log}'\ncase \"$1\" in\n  version) {version};;\n  login) cat > /dev/null; echo 'Login Succeeded';;\n  build) echo 'writing image sha256:0123 done';;\n  push) if [ ! -e '{m}' ]; then touch '{m}'; echo 'denied: Your authorization token has expired. Reauthenticate and try again.' >&2; exit 1; fi; echo \"$2: digest: sha256:abcd size: 1234\";;\nesac\nexit 0\n",
                log = log.display(),
                m = marker.display()
            ),
        );
    };
    stand_in(
        "echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2; exit 1",
    );
    host.vars.insert(
        "FORMWORK_DOCKER".into(),
        docker.to_string_lossy().into_owned(),
    );
    let (app, asm) = build();
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 1, "{o}\n{e}");
    assert!(
        e.contains("[FW0721] Images/Api: the Docker daemon is not running"),
        "{e}"
    );
    assert!(
        !lines(&log).iter().any(|l| l.starts_with("build ")),
        "nothing built"
    );
    nothing_ran(&moto);

    // Running; the registry refuses the first push as an expired login.
    stand_in("echo 27.3.1");
    let (app, asm) = build();
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    let calls = lines(&log);
    let logins = calls.iter().filter(|l| l.starts_with("login ")).count();
    let pushes = calls.iter().filter(|l| l.starts_with("push ")).count();
    assert_eq!((logins, pushes), (2, 2), "{calls:?}");
    assert!(
        moto.aws(&[
            "cloudformation",
            "describe-stacks",
            "--stack-name",
            "Images"
        ])
        .is_ok()
    );
}
