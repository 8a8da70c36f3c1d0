//! An app of L1 resources only: the generated types, one per CloudFormation
//! resource type, with every property settable and every value a literal or
//! an intrinsic function.
//!
//! Two stacks: `L1Storage` holds an encrypted, private bucket; `L1Compute`
//! holds a role and an inline-code Python function that reads the bucket.
//! The function's environment and the role's policy reference the bucket in
//! the other stack, which synth turns into an export and `Fn::ImportValue`,
//! and orders the stacks for deploy.
//!
//! It depends on `formwork` for the engine and on `formwork-l1` for the
//! generated types alone (no L2 constructs).
//!
//! Region: `ap-northeast-1` unless the environment says otherwise
//! (`FORMWORK_REGION`, `CDK_DEFAULT_REGION`, `AWS_REGION`).

use formwork::prelude::*;
use formwork::typed::Json;
use formwork_l1::iam::{CfnRole, role};
use formwork_l1::lambda::{CfnFunction, function};
use formwork_l1::s3::{CfnBucket, bucket};

const HANDLER: &str = r#"import os

def handler(event, context):
    return {"bucket": os.environ["BUCKET_NAME"]}
"#;

/// Builds the app.
///
/// ```
/// let app = l1_basics::app(&formwork::Context::new())?;
/// assert_eq!(app.synth()?.stacks.len(), 2);
/// # Ok::<(), formwork::Error>(())
/// ```
pub fn app(ctx: &Context) -> Result<App> {
    let app = App::with_context(ctx.clone());
    let region =
        Environment::agnostic().region(ctx.env("FORMWORK_REGION").unwrap_or("ap-northeast-1"));

    let storage = app.stack_in("L1Storage", region.clone())?;
    storage.set_description("formwork L1 example: storage");
    storage.add_tag("project", "formwork-l1-basics");
    let data = storage.add(
        "Data",
        CfnBucket::new()
            .bucket_encryption(
                bucket::BucketEncryption::new().server_side_encryption_configuration([
                    bucket::ServerSideEncryptionRule::new().server_side_encryption_by_default(
                        bucket::ServerSideEncryptionByDefault::new()
                            .sse_algorithm(bucket::SseAlgorithm::Aes256),
                    ),
                ]),
            )
            .public_access_block_configuration(
                bucket::PublicAccessBlockConfiguration::new()
                    .block_public_acls(true)
                    .block_public_policy(true)
                    .ignore_public_acls(true)
                    .restrict_public_buckets(true),
            ),
    )?;
    data.apply_removal_policy(RemovalPolicy::Retain);
    // What the L2 Bucket adds by itself is left out of this L1 example: the
    // findings say so, with the reason in the template.
    let l1_only = "an L1 example: the L2 Bucket construct adds the TLS-only bucket policy";
    data.suppress("FW5031", l1_only);
    data.suppress(
        "CKV_AWS_18",
        "no access-log bucket in a two-resource example; the L2 Bucket documents how to add one",
    );
    data.suppress(
        "CKV_AWS_21",
        "the example data is written once; versioning would keep copies for nothing",
    );

    let compute = app.stack_in("L1Compute", region)?;
    compute.set_description("formwork L1 example: compute");
    let trust = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    });
    let read_policy = Value::object([
        ("Version", Value::from("2012-10-17")),
        (
            "Statement",
            Value::list([Value::object([
                ("Effect", Value::from("Allow")),
                ("Action", Value::from("s3:GetObject")),
                (
                    "Resource",
                    Fn::concat([data.arn().into(), Value::from("/*")]).into(),
                ),
            ])]),
        ),
    ]);
    let role = compute.add(
        "ReaderRole",
        CfnRole::new()
            .assume_role_policy_document(Json::from(trust))
            .policies([role::Policy::new()
                .policy_name("ReadData")
                .policy_document(read_policy)]),
    )?;
    let function = compute.add(
        "Reader",
        CfnFunction::new()
            .runtime(function::Runtime::Python312)
            .handler("index.handler")
            .role(role.arn())
            .memory_size(128)
            .timeout(10)
            .code(function::Code::new().zip_file(HANDLER))
            .environment(function::Environment::new().variables([("BUCKET_NAME", data.ref_())])),
    )?;
    for (check, why) in [
        (
            "CKV_AWS_115",
            "an example function invoked by hand; no concurrency to reserve",
        ),
        (
            "CKV_AWS_116",
            "invoked synchronously only, so a dead-letter queue would never receive anything",
        ),
        (
            "CKV_AWS_117",
            "reaches only S3's public endpoint; no VPC needed",
        ),
        (
            "CKV_AWS_173",
            "its one variable is a bucket name, encrypted at rest by the Lambda service key",
        ),
    ] {
        function.suppress(check, why);
    }
    compute.add_output(
        "ReaderArn",
        Output::new(function.arn()).description("ARN of the reader function"),
    )?;
    Ok(app)
}
