//! Reference architecture D: **vision-pipeline**, an image-inference proof
//! of concept. One container image holds a FastAPI app and a batch worker;
//! two Lambda functions run it, and a Step Functions state machine drives
//! the worker.
//!
//! Two stacks, in `ap-northeast-1` unless the environment names another
//! region, deployed in this order:
//!
//! 1. **`VisionRepository`**: the ECR repository `poc-mc-vision-fastapi`
//!    (output `RepositoryUri`).
//! 2. **`VisionPipeline`**: the images bucket, the API function
//!    `poc-mc-vision-fastapi` (the image's own `CMD`, `main.handler`, with a
//!    function URL), the worker function `poc-mc-vision-pipeline-worker`
//!    (the same image, command `["main.pipeline_handler"]`, no URL, may read
//!    the images bucket), and the state machine `poc-mc-vision-pipeline`
//!    that validates `{"s3_key": …, "inference_type": "sagemaker" | "bedrock"
//!    | "azure"}` and invokes the worker with it, and may call nothing else.
//!
//! # Deploy
//!
//! The team's functions were created before their image was pushed (and
//! stuck in a failed state), then kept the old image after each push until
//! `aws lambda update-function-code`. Here one command does it in order:
//!
//! ```text
//! cargo run -p vision-pipeline -- deploy
//! ```
//!
//! (the same in PowerShell). It deploys `VisionRepository`, builds the image
//! from [`IMAGE_DIR`] (`app/`: its `Dockerfile`, `main.py`) for the
//! functions' architecture (`docker build --platform linux/amd64
//! --provenance=false`: a single-platform manifest, which Lambda needs),
//! pushes it with the tag = the content hash of the folder and the build
//! options, then deploys `VisionPipeline`, whose two functions name that
//! tag. The repository's tags are immutable, so a tag is one image: a
//! changed folder is a new tag in the template and rolls out with the
//! stack, an unchanged one deploys nothing. `-- deploy --dry-run` prints
//! the steps as commands (docker build, login, push, the stack deploys).
//! Docker must be running; an expired ECR login is renewed by itself.
//!
//! After the deploy, `deploy` (and `check` alone) does what the team did
//! by hand: it waits up to two minutes for each function to be `Active`
//! with its `LastUpdateStatus` `Successful` (a failed image update fails
//! the check with Lambda's reason), test-invokes the API function, and
//! starts the state machine with an input it must reject.
//!
//! The reference asks for functions pinned to the image **digest**. Here
//! they are pinned to the content-hash tag instead, for the same effect: a
//! digest exists only once the image is built and pushed, while the tag
//! is known at synth, so the template names the image before anything is
//! built; and in a repository whose tags are immutable that tag can never
//! name another image, which is what pinning to the digest guarantees
//! (Lambda resolves it to the digest when it creates or updates the
//! function).
//!
//! # Inputs
//!
//! - **Architecture**: `-c arch=arm64` (else `VISION_ARCH`) for Graviton;
//!   `amd64` / `x86_64` (the default) otherwise. Any other value is a
//!   context error. The image is built for it
//!   ([`Architecture::docker_platform`]).
//! - **Account and region**: `FORMWORK_ACCOUNT` / `FORMWORK_REGION`, else
//!   `CDK_DEFAULT_ACCOUNT` / `CDK_DEFAULT_REGION`, else `AWS_REGION`; region
//!   `ap-northeast-1` when none is set.
//!
//! # Choices where the reference leaves a value open
//!
//! - **Sizes**: API 1024 MB, 30 s (an HTTP request); worker 1024 MB, 300 s
//!   (one inference through SageMaker, Bedrock or Azure, mostly waiting on
//!   the network). Logs of both are kept 30 days.
//! - **Function URL auth `AWS_IAM`** (the default): a proof of concept that
//!   spends on model endpoints is not left open to the internet; callers
//!   sign requests (`awscurl`, an SDK). Use `FunctionUrlAuth::None` for a
//!   public demo with its own authentication.
//! - **Images bucket**: a name CloudFormation generates (bucket names are
//!   global), with the safe defaults (SSE-S3, public access blocked, TLS
//!   only, retained). The worker gets its name in `IMAGES_BUCKET_NAME` and
//!   may `s3:GetObject` and `s3:ListBucket` on it, nothing else.
//! - **State machine** `poc-mc-vision-pipeline`, `STANDARD`: a `Choice`
//!   sends an input without a string `s3_key` or with another
//!   `inference_type` to a `Fail` state (`InvalidInput`); otherwise the
//!   worker is invoked with exactly those two fields and its result is the
//!   execution's output. Its role may `lambda:InvokeFunction` the worker
//!   (and its versions), nothing else.
//! - **The AI services the worker calls**, given as context values (the
//!   reference names none; the defaults are stand-ins the team replaces):
//!   `-c sagemaker_endpoint=<name>` (default `poc-mc-vision-endpoint`),
//!   `-c bedrock_models=<id>,<id>` (default
//!   `anthropic.claude-3-5-sonnet-20240620-v1:0`), `-c
//!   azure_secret=<name>` (default `poc-mc-vision/azure-credentials`, a
//!   secret created outside the stack with the Azure endpoint and key).
//!   The worker's role may invoke exactly that endpoint
//!   (`sagemaker:InvokeEndpoint`), those foundation models
//!   (`bedrock:InvokeModel`) and read that secret, through typed grants;
//!   the worker gets their names in `SAGEMAKER_ENDPOINT_NAME`,
//!   `BEDROCK_MODEL_IDS` and `AZURE_SECRET_NAME`. Cross-region inference
//!   profiles (`apac.…`) are not covered: name foundation models.
//! - **Repository**: `poc-mc-vision-fastapi` with the construct's defaults
//!   (scan on push, mutable tags so that `latest` can move, AES-256,
//!   retained), and no lifecycle rule: an expired image could be one a
//!   function still runs. Lambda pulls the image itself when a function is
//!   created or updated; in the same account it adds the statement it needs
//!   to the repository policy, so the execution roles get no ECR permission.

use formwork::Error;
use formwork::assets::ImageAsset;
use formwork::checks::{self, Check};
use formwork::ecr::{Repository, RepositoryProps, TagMutability};
use formwork::iam::{BedrockModels, SageMakerEndpoint};
use formwork::lambda::{Architecture, Code, Function, FunctionProps, FunctionUrlProps};
use formwork::logs::Retention;
use formwork::prelude::*;
use formwork::s3::{Bucket, BucketProps};
use formwork::secretsmanager::Secret;
use formwork::stepfunctions::{
    Choice, Condition, Definition, Fail, StateMachine, StateMachineProps, Task,
};

/// The region when the environment names none.
pub const DEFAULT_REGION: &str = "ap-northeast-1";

/// The repository, API function and image name.
pub const REPOSITORY_NAME: &str = "poc-mc-vision-fastapi";

/// The image's folder (Dockerfile, main.py), relative to this crate.
pub const IMAGE_DIR: &str = "app";

/// The worker's name.
pub const WORKER_NAME: &str = "poc-mc-vision-pipeline-worker";

/// The inference types the worker accepts.
pub const INFERENCE_TYPES: [&str; 3] = ["sagemaker", "bedrock", "azure"];

/// The instruction set of `-c arch` (else `VISION_ARCH`); amd64 by default.
///
/// ```
/// use formwork::Context;
/// use formwork::lambda::Architecture;
/// let arm = Context::new().with_value("arch", "arm64");
/// assert_eq!(vision_pipeline::architecture(&arm)?, Architecture::Arm64);
/// assert_eq!(vision_pipeline::architecture(&Context::new())?.docker_platform(), "linux/amd64");
/// # Ok::<(), formwork::Error>(())
/// ```
pub fn architecture(ctx: &Context) -> Result<Architecture> {
    match ctx.value_or_env("arch", "VISION_ARCH", "amd64").as_str() {
        "amd64" | "x86_64" => Ok(Architecture::X86_64),
        "arm64" => Ok(Architecture::Arm64),
        other => Err(Error::Context {
            key: "arch".to_owned(),
            message: format!("`{other}` is not an architecture Lambda runs; use amd64 or arm64"),
        }),
    }
}

/// Builds the app (see the crate documentation).
///
/// ```
/// let asm = vision_pipeline::app(&formwork::Context::new())?.synth()?;
/// let names: Vec<&str> = asm.stacks.iter().map(|s| s.name.as_str()).collect();
/// assert_eq!(names, ["VisionRepository", "VisionPipeline"]);
/// assert!(asm.warnings.0.is_empty());
/// # Ok::<(), formwork::Error>(())
/// ```
pub fn app(ctx: &Context) -> Result<App> {
    let app = App::with_context(ctx.clone().or_project_dir(env!("CARGO_MANIFEST_DIR")));
    let arch = architecture(ctx)?;
    let mut where_ = Environment::agnostic().or_from(ctx);
    if where_.region.is_none() {
        where_ = where_.region(DEFAULT_REGION);
    }

    let registry = app.stack_in("VisionRepository", where_.clone())?;
    registry.set_description(
        "vision-pipeline: the image repository (deployed before the image is pushed)",
    );
    // Immutable tags: a tag is a content hash, so it names one image.
    let repository = Repository::new(
        &registry,
        "Repository",
        RepositoryProps::new()
            .repository_name(REPOSITORY_NAME)
            .tag_mutability(TagMutability::Immutable),
    )?;
    registry.add_output(
        "RepositoryUri",
        Output::new(repository.repository_uri()).description("Push the image here"),
    )?;

    let stack = app.stack_in("VisionPipeline", where_)?;
    stack.set_description(
        "vision-pipeline: API and worker functions from one image, and the pipeline state machine",
    );
    // Built by deploy for the functions' architecture, pushed to the
    // repository before this stack, named by its content hash.
    let image = ImageAsset::from_dir(IMAGE_DIR).repository(&repository);

    let images = Bucket::new(&stack, "ImagesBucket", BucketProps::new())?;

    let api = Function::new(
        &stack,
        "ApiFunction",
        // The image's own CMD (main.handler).
        FunctionProps::new(Code::image_asset(image.clone()))
            .function_name(REPOSITORY_NAME)
            .description("FastAPI app")
            .architecture(arch)
            .memory_mb(1024)
            .timeout_secs(30)
            .log_retention(Retention::OneMonth),
    )?;
    // AWS_IAM: callers sign their requests (see the crate documentation).
    let url = api.add_function_url(FunctionUrlProps::new())?;

    let endpoint_name = ctx
        .value("sagemaker_endpoint")
        .unwrap_or("poc-mc-vision-endpoint");
    let model_ids: Vec<&str> = ctx
        .value("bedrock_models")
        .unwrap_or("anthropic.claude-3-5-sonnet-20240620-v1:0")
        .split(',')
        .map(str::trim)
        .collect();
    let azure_secret_name = ctx
        .value("azure_secret")
        .unwrap_or("poc-mc-vision/azure-credentials");

    let worker = Function::new(
        &stack,
        "WorkerFunction",
        FunctionProps::new(Code::image_asset(image))
            .function_name(WORKER_NAME)
            .description("Batch inference worker")
            .image_command(["main.pipeline_handler"])
            .architecture(arch)
            .memory_mb(1024)
            .timeout_secs(300)
            .environment("IMAGES_BUCKET_NAME", images.bucket_name())
            .environment("SAGEMAKER_ENDPOINT_NAME", endpoint_name)
            .environment("BEDROCK_MODEL_IDS", model_ids.join(","))
            .environment("AZURE_SECRET_NAME", azure_secret_name)
            .log_retention(Retention::OneMonth),
    )?;
    images.grant_read(&worker)?;
    // The AI service it calls: exactly the configured endpoint, models and secret.
    SageMakerEndpoint::from_name(&stack, "InferenceEndpoint", endpoint_name)?
        .grant_invoke(&worker)?;
    BedrockModels::foundation(&stack, "InferenceModels", model_ids)?.grant_invoke(&worker)?;
    Secret::from_name(&stack, "AzureCredentials", azure_secret_name)?.grant_read(&worker)?;

    let definition = Definition::new("CheckInput")
        .state(
            "CheckInput",
            Choice::new()
                .when(Condition::is_present("$.s3_key", false), "InvalidInput")
                .when(
                    Condition::is_present("$.inference_type", false),
                    "InvalidInput",
                )
                .when(
                    Condition::and([
                        Condition::is_string("$.s3_key", true),
                        Condition::or(
                            INFERENCE_TYPES
                                .map(|t| Condition::string_equals("$.inference_type", t)),
                        ),
                    ]),
                    "RunWorker",
                )
                .otherwise("InvalidInput"),
        )
        .state(
            "RunWorker",
            Task::lambda_invoke(worker.arn())
                .payload(Value::object([
                    ("s3_key.$", "$.s3_key"),
                    ("inference_type.$", "$.inference_type"),
                ]))
                .output_path("$.Payload")
                .end(),
        )
        .state(
            "InvalidInput",
            Fail::new().error("InvalidInput").cause(
                "expected {\"s3_key\": <string>, \"inference_type\": \"sagemaker\" | \"bedrock\" | \"azure\"}",
            ),
        );
    let machine = StateMachine::new(
        &stack,
        "PipelineStateMachine",
        StateMachineProps::new(definition).state_machine_name("poc-mc-vision-pipeline"),
    )?;

    stack.add_output(
        "ApiFunctionUrl",
        Output::new(url.url()).description("The FastAPI app (AWS_IAM: sign requests)"),
    )?;
    stack.add_output(
        "ImagesBucketName",
        Output::new(images.bucket_name()).description("Upload input images here"),
    )?;
    stack.add_output(
        "PipelineStateMachineArn",
        Output::new(machine.arn())
            .description("Start with {\"s3_key\": ..., \"inference_type\": \"sagemaker\" | \"bedrock\" | \"azure\"}"),
    )?;

    // The team's checks after a deploy, run by `deploy` and `check`: both
    // functions are `Active` with their last update `Successful` (the
    // `LastUpdateStatus` the team looked at: the new image is in place),
    // the API function answers a test invoke, and the state machine runs
    // and routes a malformed input to `InvalidInput` (no model is called,
    // nothing is spent).
    for function in [REPOSITORY_NAME, WORKER_NAME] {
        checks::declare(
            &stack,
            Check::function_updated(
                &format!("{function} is Active, its last update Successful"),
                function,
            ),
        );
    }
    checks::declare(
        &stack,
        Check::invoke("API function answers a test invoke", REPOSITORY_NAME).input(
            serde_json::json!({"version": "2.0", "rawPath": "/", "rawQueryString": "", "headers": {},
                "requestContext": {"http": {"method": "GET", "path": "/"}}, "isBase64Encoded": false}),
        ),
    );
    checks::declare(
        &stack,
        Check::execution(
            "pipeline rejects an input without s3_key",
            "PipelineStateMachineArn",
        )
        .input(serde_json::json!({"inference_type": "bedrock"}))
        .timeout_secs(60)
        .expect_state("InvalidInput"),
    );
    Ok(app)
}
