//! The assets stack's template is what formwork synthesizes from its L2
//! constructs, and cfn-lint finds nothing in it.

use formwork_core::asset::{ASSETS_REPOSITORY, ASSETS_STACK, assets_bucket_name};
use formwork_core::{App, RemovalPolicy};
use formwork_l2::ecr::{LifecycleRule as EcrRule, Repository, RepositoryProps, TagMutability};
use formwork_l2::s3::{Bucket, BucketProps, LifecycleRule};

fn assets_app() -> App {
    let app = App::new();
    let st = app.stack(ASSETS_STACK).expect("stack");
    st.set_description(
        "formwork assets: Lambda code zips and container images of the apps deployed in this account and region (created by formwork deploy)",
    );
    Bucket::new(
        &st,
        "Bucket",
        BucketProps::new()
            .bucket_name(assets_bucket_name())
            .removal_policy(RemovalPolicy::Retain)
            .lifecycle_rule(
                LifecycleRule::new()
                    .id("ExpireOldAssets")
                    .expiration_days(90)
                    .abort_incomplete_multipart_upload_after_days(1),
            ),
    )
    .expect("bucket");
    Repository::new(
        &st,
        "Repository",
        RepositoryProps::new()
            .repository_name(ASSETS_REPOSITORY)
            .tag_mutability(TagMutability::Immutable)
            .scan_on_push(true)
            .lifecycle_rule(EcrRule::expire_untagged_after_days(1)),
    )
    .expect("repository");
    app
}

#[test]
fn the_assets_template_is_what_formwork_synthesizes() {
    let asm = formwork_test_support::synth_and_lint(&assets_app(), "assets-stack");
    let generated = asm.template(ASSETS_STACK).expect("template");
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/assets/FormworkAssets.template.json"
    );
    if std::env::var_os("FORMWORK_BLESS").is_some() {
        std::fs::write(path, generated).expect("write");
    }
    assert_eq!(
        generated,
        formwork_deploy::assets::store::TEMPLATE,
        "the committed assets template differs from what formwork synthesizes; regenerate with FORMWORK_BLESS=1 cargo test -p formwork-deploy --test assets_stack"
    );
}
