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

use std::path::{Path, PathBuf};

use formwork::Context;
use formwork_deploy::{Host, args};
use formwork_e2e::Moto;
use serde_json::Value;

const REGION: &str = "ap-northeast-1";
const ASSETS_BUCKET: &str = "formwork-assets-123456789012-ap-northeast-1";

fn host(moto: &Moto) -> Host {
    Host {
        aws_program: Some(moto.aws_program()),
        aws_env: moto.aws_env(),
        ..Host::default()
    }
}

/// Runs `deploy` on an assembly; returns (exit code, stdout, stderr).
fn deploy(
    host: &Host,
    moto: &Moto,
    out_dir: &Path,
    app: formwork::App,
    asm: formwork::Assembly,
) -> (u8, String, String) {
    let a = args::parse(
        [
            "deploy",
            "--out",
            &out_dir.to_string_lossy(),
            "--endpoint-url",
            moto.endpoint(),
            "--region",
            REGION,
        ]
        .map(String::from),
    )
    .expect("arguments");
    let (mut o, mut e) = (Vec::new(), Vec::new());
    let code = formwork_deploy::run_assembly(host, a, app, asm, &mut o, &mut e);
    (
        code,
        String::from_utf8_lossy(&o).into_owned(),
        String::from_utf8_lossy(&e).into_owned(),
    )
}

/// chat-proxy in a copy of its crate folder, without the outputs moto
/// cannot evaluate (see `without_outputs` in moto.rs).
fn chat_proxy(project: &Path) -> (formwork::App, formwork::Assembly) {
    let app = chat_proxy::app(&Context::new().with_project_dir(project)).expect("app");
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

fn copy_chat_proxy() -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/chat-proxy");
    let dir = formwork_test_support::scratch_dir("assets-chat-proxy");
    for sub in ["lambda/chat", "config"] {
        let copy = formwork_test_support::copy_dir(&src.join(sub), "assets-chat-proxy-part");
        let to = dir.join(sub);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::rename(&copy, &to).expect("move");
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
    let host = host(&moto);
    let project = copy_chat_proxy();
    let out = project.join("formwork.out");
    let stack = "ChatProxy-prod";

    // First deploy: the assets stack, the build, one upload, the stack, the model map.
    let (app, asm) = chat_proxy(&project);
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

    // Unchanged: nothing uploaded, no stack update.
    let events = stack_events(&moto, stack);
    let (app, asm) = chat_proxy(&project);
    let (code, o, e) = deploy(&host, &moto, &out, app, asm);
    assert_eq!(code, 0, "{o}\n{e}");
    assert!(!o.contains("uploading") && !o.contains("building"), "{o}");
    assert!(o.contains("already in s3://"), "{o}");
    assert!(o.contains("FormworkAssets: up to date"), "{o}");
    assert!(o.contains("is up to date"), "{o}");
    assert_eq!(stack_events(&moto, stack), events, "no stack update");
    assert_eq!(zips(&moto).len(), 1);

    // A changed source: a new zip, and the function's code changes.
    let index = project.join("lambda/chat/src/index.ts");
    let mut src = std::fs::read_to_string(&index).expect("read");
    src.push_str("\n// a change\nexport const version = 2;\n");
    std::fs::write(&index, &src).expect("write");
    let (app, asm) = chat_proxy(&project);
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
    let (app, asm) = chat_proxy(&project);
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
