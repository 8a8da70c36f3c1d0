use formwork_core::asset::Platform;
use formwork_core::{App, Context};

use super::ImageAsset;
use crate::ecr::{Repository, RepositoryProps};
use crate::lambda::{Architecture, Code, Function, FunctionProps, Runtime};

fn project(label: &str) -> formwork_test_support::ScratchDir {
    let dir = formwork_test_support::scratch_dir(label);
    std::fs::create_dir_all(dir.join("image")).expect("image folder");
    std::fs::write(
        dir.join("image/Dockerfile"),
        "FROM public.ecr.aws/lambda/python:3.12\n",
    )
    .expect("Dockerfile");
    std::fs::create_dir_all(dir.join("code")).expect("code folder");
    std::fs::write(
        dir.join("code/index.mjs"),
        "export const handler = async () => 1;\n",
    )
    .expect("handler");
    dir
}

fn image_fn(
    app: &App,
    stack: &formwork_core::Stack,
    id: &str,
    image: ImageAsset,
    arch: Architecture,
) {
    let _ = app;
    Function::new(
        stack,
        id,
        FunctionProps::new(Code::image_asset(image)).architecture(arch),
    )
    .expect("an image function");
}

#[test]
fn zip_code_is_named_by_its_hash_in_the_assets_bucket() {
    let dir = project("l2-zip-asset");
    let app = App::with_context(Context::new().with_project_dir(dir.path()));
    let st = app.stack("S").unwrap();
    Function::new(
        &st,
        "Fn",
        FunctionProps::new(Code::asset("code"))
            .runtime(Runtime::Nodejs24X)
            .handler("index.handler"),
    )
    .unwrap();
    let asm = formwork_test_support::synth_and_lint(&app, "l2-zip-asset");
    let t = formwork_test_support::template(&asm, "S");
    let code = &t["Resources"]["Fn"]["Properties"]["Code"];
    let hash = &asm.assets[0].asset.hash;
    assert_eq!(code["S3Key"], format!("{hash}.zip"));
    assert_eq!(
        code["S3Bucket"],
        serde_json::json!({"Fn::Sub": "formwork-assets-${AWS::AccountId}-${AWS::Region}"})
    );
    assert_eq!(asm.assets[0].used_by, ["S/Fn"]);
}

#[test]
fn two_functions_share_one_immutable_image_built_for_their_architecture() {
    let dir = project("l2-image-asset");
    let app = App::with_context(Context::new().with_project_dir(dir.path()));
    let st = app.stack("S").unwrap();
    image_fn(
        &app,
        &st,
        "Api",
        ImageAsset::from_dir("image"),
        Architecture::X86_64,
    );
    image_fn(
        &app,
        &st,
        "Worker",
        ImageAsset::from_dir("image"),
        Architecture::X86_64,
    );
    image_fn(
        &app,
        &st,
        "Arm",
        ImageAsset::from_dir("image"),
        Architecture::Arm64,
    );
    let asm = formwork_test_support::synth_and_lint(&app, "l2-image-asset");
    assert_eq!(asm.assets.len(), 2, "one image per platform");
    assert_eq!(asm.assets[0].asset.platform, Some(Platform::LinuxAmd64));
    assert_eq!(asm.assets[1].asset.platform, Some(Platform::LinuxArm64));
    assert_eq!(asm.assets[0].used_by, ["S/Api", "S/Worker"]);
    let t = formwork_test_support::template(&asm, "S");
    let uri = |f: &str| t["Resources"][f]["Properties"]["Code"]["ImageUri"].clone();
    assert_eq!(uri("Api"), uri("Worker"));
    assert_ne!(uri("Api"), uri("Arm"));
    assert_eq!(t["Resources"]["Api"]["Properties"]["PackageType"], "Image");
    let text = uri("Api").to_string();
    assert!(
        text.contains(&format!("/formwork-assets:{}", asm.assets[0].asset.hash)),
        "{text}"
    );
}

#[test]
fn an_image_for_another_architecture_is_an_error() {
    let dir = project("l2-image-arch");
    let app = App::with_context(Context::new().with_project_dir(dir.path()));
    let st = app.stack("S").unwrap();
    image_fn(
        &app,
        &st,
        "Fn",
        ImageAsset::from_dir("image").platform(Platform::LinuxArm64),
        Architecture::X86_64,
    );
    let d = formwork_test_support::failed(&app);
    let e = formwork_test_support::one(&d, formwork_core::asset::codes::PLATFORM);
    assert_eq!(e.path, "S/Fn");
    assert!(
        e.message.contains("linux/arm64") && e.message.contains("linux/amd64"),
        "{e}"
    );
}

#[test]
fn a_declared_repository_deploys_first_and_is_referenced_by_tag() {
    let dir = project("l2-image-repo");
    let app = App::with_context(Context::new().with_project_dir(dir.path()));
    let repo_stack = app.stack("Repo").unwrap();
    let repo = Repository::new(
        &repo_stack,
        "Repository",
        RepositoryProps::new().repository_name("my-repo"),
    )
    .unwrap();
    let st = app.stack("S").unwrap();
    image_fn(
        &app,
        &st,
        "Fn",
        ImageAsset::from_dir("image").repository(&repo),
        Architecture::X86_64,
    );
    let asm = formwork_test_support::synth_and_lint(&app, "l2-image-repo");
    assert_eq!(asm.stacks[1].dependencies, ["Repo"]);
    let m: serde_json::Value = serde_json::from_str(asm.manifest()).unwrap();
    assert_eq!(m["assets"][0]["destination"]["stack"], "Repo");
    assert_eq!(m["assets"][0]["destination"]["repository"], "my-repo");
    assert_eq!(asm.assets[0].consumers, ["S"]);

    // The same stack: an error that says how to split.
    let app = App::with_context(Context::new().with_project_dir(dir.path()));
    let st = app.stack("S").unwrap();
    let repo = Repository::new(
        &st,
        "Repository",
        RepositoryProps::new().repository_name("my-repo"),
    )
    .unwrap();
    image_fn(
        &app,
        &st,
        "Fn",
        ImageAsset::from_dir("image").repository(&repo),
        Architecture::X86_64,
    );
    let d = formwork_test_support::failed(&app);
    let e = formwork_test_support::one(&d, formwork_core::asset::codes::SAME_STACK);
    assert!(
        e.fix
            .as_deref()
            .is_some_and(|f| f.contains("stack of its own")),
        "{e}"
    );
}
