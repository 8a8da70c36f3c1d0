//! The vision pipeline's templates: cfn-lint clean, equal to the reviewed
//! snapshots, and holding every value of reference architecture D.

use formwork::testing::resources_of_type as of_type;
use formwork::{Assembly, Context, Error};
use formwork_test_support::template;
use serde_json::{Value, json};

fn pinned() -> Context {
    Context::new()
}

fn synth(ctx: &Context) -> Assembly {
    match vision_pipeline::app(ctx).and_then(|app| app.synth()) {
        Ok(asm) => asm,
        Err(e) => panic!("{e}"),
    }
}

fn pipeline(ctx: &Context) -> Value {
    template(&synth(ctx), "VisionPipeline")
}

/// The image URI of the app's image asset: its tag is the content hash.
fn image_uri_of(asm: &Assembly) -> Value {
    image_uri(&format!(
        "${{ExportRepositoryRepositoryUri}}:{}",
        asm.assets[0].asset.hash
    ))
}

fn image_uri(sub: &str) -> Value {
    json!({"Fn::Sub": [sub, {"ExportRepositoryRepositoryUri": {"Fn::ImportValue": "VisionRepository:Repository:RepositoryUri"}}]})
}

#[test]
fn templates_pass_cfn_lint_and_match_snapshots() {
    let asm = synth(&pinned());
    assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
    formwork_test_support::check_example("vision-pipeline", &asm);
}

#[test]
fn the_repository_stack_deploys_first_in_ap_northeast_1() {
    let asm = synth(&pinned());
    let names: Vec<&str> = asm.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["VisionRepository", "VisionPipeline"]);
    assert_eq!(asm.stacks[1].dependencies, ["VisionRepository"]);
    for s in &asm.stacks {
        assert_eq!(s.env.region.as_deref(), Some("ap-northeast-1"));
    }
    let repo = template(&asm, "VisionRepository");
    assert_eq!(
        of_type(&repo, "AWS::ECR::Repository")
            .iter()
            .map(|(k, _)| *k)
            .collect::<Vec<_>>(),
        ["Repository"]
    );
    let r = &repo["Resources"]["Repository"];
    assert_eq!(r["Properties"]["RepositoryName"], "poc-mc-vision-fastapi");
    assert_eq!(r["DeletionPolicy"], "Retain");
    assert_eq!(
        repo["Outputs"]["RepositoryUri"]["Value"],
        json!({"Fn::GetAtt": ["Repository", "RepositoryUri"]})
    );
    let ctx = pinned().with_env("CDK_DEFAULT_REGION", "eu-central-1");
    assert_eq!(
        synth(&ctx).stacks[0].env.region.as_deref(),
        Some("eu-central-1")
    );
}

#[test]
fn two_functions_from_one_immutable_image() {
    let asm = synth(&pinned());
    let t = template(&asm, "VisionPipeline");
    let functions = of_type(&t, "AWS::Lambda::Function");
    let ids: Vec<&str> = functions.iter().map(|(k, _)| *k).collect();
    assert_eq!(ids, ["ApiFunction", "WorkerFunction"]);

    let api = &t["Resources"]["ApiFunction"]["Properties"];
    assert_eq!(api["FunctionName"], "poc-mc-vision-fastapi");
    assert_eq!(api["PackageType"], "Image");
    assert_eq!(api["Code"], json!({"ImageUri": image_uri_of(&asm)}));
    assert!(
        api.get("ImageConfig").is_none(),
        "the API runs the image's own CMD"
    );
    assert!(api.get("Runtime").is_none() && api.get("Handler").is_none());
    assert_eq!(api["Architectures"], json!(["x86_64"]));
    assert_eq!(
        (api["MemorySize"].as_i64(), api["Timeout"].as_i64()),
        (Some(1024), Some(30))
    );

    let worker = &t["Resources"]["WorkerFunction"]["Properties"];
    assert_eq!(worker["FunctionName"], "poc-mc-vision-pipeline-worker");
    assert_eq!(worker["PackageType"], "Image");
    assert_eq!(worker["Code"], api["Code"], "the same image");
    assert_eq!(
        worker["ImageConfig"],
        json!({"Command": ["main.pipeline_handler"]})
    );
    assert_eq!(worker["Architectures"], json!(["x86_64"]));
    assert_eq!(
        worker["Environment"]["Variables"],
        json!({
            "IMAGES_BUCKET_NAME": {"Ref": "ImagesBucket"},
            "SAGEMAKER_ENDPOINT_NAME": "poc-mc-vision-endpoint",
            "BEDROCK_MODEL_IDS": "anthropic.claude-3-5-sonnet-20240620-v1:0",
            "AZURE_SECRET_NAME": "poc-mc-vision/azure-credentials"
        })
    );
    assert_eq!(
        (worker["MemorySize"].as_i64(), worker["Timeout"].as_i64()),
        (Some(1024), Some(300))
    );

    for (group, name) in [
        ("ApiFunctionLogGroup", "/aws/lambda/poc-mc-vision-fastapi"),
        (
            "WorkerFunctionLogGroup",
            "/aws/lambda/poc-mc-vision-pipeline-worker",
        ),
    ] {
        assert_eq!(
            t["Resources"][group]["Properties"],
            json!({"LogGroupName": name, "RetentionInDays": 30})
        );
    }
}

#[test]
fn only_the_api_function_has_a_url() {
    let t = pipeline(&pinned());
    let urls = of_type(&t, "AWS::Lambda::Url");
    assert_eq!(urls.len(), 1);
    assert_eq!(
        urls[0].1["Properties"],
        json!({
            "AuthType": "AWS_IAM",
            "InvokeMode": "BUFFERED",
            "TargetFunctionArn": {"Fn::GetAtt": ["ApiFunction", "Arn"]}
        })
    );
    assert!(
        of_type(&t, "AWS::Lambda::Permission").is_empty(),
        "AWS_IAM: no public resource policy"
    );
}

#[test]
fn the_worker_may_read_the_images_bucket_call_the_configured_ai_services_and_write_its_logs_nothing_more()
 {
    let ctx = pinned()
        .with_value("sagemaker_endpoint", "vision-prod")
        .with_value(
            "bedrock_models",
            "anthropic.claude-3-haiku-20240307-v1:0, amazon.titan-embed-image-v1",
        )
        .with_value("azure_secret", "vision/azure");
    let t = pipeline(&ctx);
    assert_eq!(
        t["Resources"]["WorkerFunctionServiceRole"]["Properties"]["Policies"][0]["PolicyDocument"]
            ["Statement"],
        json!([
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${WorkerFunctionLogGroup}:*"}
            },
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": "${ImagesBucket.Arn}/*"}},
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::GetAtt": ["ImagesBucket", "Arn"]}},
            {"Effect": "Allow", "Action": ["sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream"],
             "Resource": {"Fn::Sub": "arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint/vision-prod"}},
            {"Effect": "Allow", "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
             "Resource": [
                {"Fn::Sub": "arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"},
                {"Fn::Sub": "arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/amazon.titan-embed-image-v1"}
             ]},
            {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
             "Resource": {"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:vision/azure-??????"}}
        ])
    );
    let api_statements = &t["Resources"]["ApiFunctionServiceRole"]["Properties"]["Policies"][0]["PolicyDocument"]
        ["Statement"];
    assert_eq!(
        api_statements.as_array().map(Vec::len),
        Some(1),
        "{api_statements}"
    );
    for (id, role) in of_type(&t, "AWS::IAM::Role") {
        assert!(
            role["Properties"].get("ManagedPolicyArns").is_none(),
            "{id}"
        );
    }
    let bucket = &t["Resources"]["ImagesBucket"];
    assert!(
        bucket["Properties"].get("BucketName").is_none(),
        "a generated name"
    );
    assert_eq!(bucket["DeletionPolicy"], "Retain");
    assert_eq!(
        bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
            ["SSEAlgorithm"],
        "AES256"
    );
}

#[test]
fn the_state_machine_validates_the_input_and_may_only_invoke_the_worker() {
    let t = pipeline(&pinned());
    let role = &t["Resources"]["PipelineStateMachineRole"]["Properties"];
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": "states.amazonaws.com"})
    );
    assert_eq!(role["Policies"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        role["Policies"][0]["PolicyDocument"]["Statement"],
        json!([{
            "Effect": "Allow",
            "Action": "lambda:InvokeFunction",
            "Resource": [{"Fn::GetAtt": ["WorkerFunction", "Arn"]}, {"Fn::Sub": "${WorkerFunction.Arn}:*"}]
        }])
    );
    assert!(role.get("ManagedPolicyArns").is_none());

    let p = &t["Resources"]["PipelineStateMachine"]["Properties"];
    assert_eq!(p["StateMachineName"], "poc-mc-vision-pipeline");
    assert_eq!(p["StateMachineType"], "STANDARD");
    assert!(p.get("Definition").is_none(), "DefinitionString only");
    let text = p["DefinitionString"]["Fn::Sub"]
        .as_str()
        .unwrap_or_default();
    let d: Value = serde_json::from_str(text).expect("the definition is JSON");
    assert_eq!(d["StartAt"], "CheckInput");
    let choices = &d["States"]["CheckInput"]["Choices"];
    assert_eq!(
        choices[0],
        json!({"Variable": "$.s3_key", "IsPresent": false, "Next": "InvalidInput"})
    );
    assert_eq!(
        choices[1],
        json!({"Variable": "$.inference_type", "IsPresent": false, "Next": "InvalidInput"})
    );
    assert_eq!(
        choices[2]["And"][1]["Or"],
        json!([
            {"Variable": "$.inference_type", "StringEquals": "sagemaker"},
            {"Variable": "$.inference_type", "StringEquals": "bedrock"},
            {"Variable": "$.inference_type", "StringEquals": "azure"}
        ])
    );
    assert_eq!(choices[2]["Next"], "RunWorker");
    assert_eq!(d["States"]["CheckInput"]["Default"], "InvalidInput");
    let run = &d["States"]["RunWorker"];
    assert_eq!(
        run["Resource"],
        "arn:${AWS::Partition}:states:::lambda:invoke"
    );
    assert_eq!(
        run["Parameters"],
        json!({
            "FunctionName": "${WorkerFunction.Arn}",
            "Payload": {"s3_key.$": "$.s3_key", "inference_type.$": "$.inference_type"}
        })
    );
    assert_eq!(run["End"], true);
    assert_eq!(d["States"]["InvalidInput"]["Type"], "Fail");
    let states: Vec<&String> = d["States"]
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(states, ["CheckInput", "RunWorker", "InvalidInput"]);
}

#[test]
fn outputs() {
    let t = pipeline(&pinned());
    assert_eq!(
        t["Outputs"]
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect::<Vec<_>>()),
        Some(vec![
            "ApiFunctionUrl",
            "ImagesBucketName",
            "PipelineStateMachineArn"
        ])
    );
    assert_eq!(
        t["Outputs"]["ApiFunctionUrl"]["Value"],
        json!({"Fn::GetAtt": ["ApiFunctionUrl", "FunctionUrl"]})
    );
}

#[test]
fn the_image_is_built_for_the_functions_architecture_and_pushed_before_the_pipeline() {
    let asm = synth(&Context::new());
    assert_eq!(asm.assets.len(), 1, "one image for both functions");
    let a = &asm.assets[0];
    assert_eq!(a.asset.source, "app");
    assert_eq!(a.asset.platform.map(|p| p.as_str()), Some("linux/amd64"));
    assert_eq!(a.consumers, ["VisionPipeline"]);
    assert_eq!(
        a.used_by,
        [
            "VisionPipeline/ApiFunction",
            "VisionPipeline/WorkerFunction"
        ]
    );
    let m: Value = serde_json::from_str(asm.manifest()).expect("manifest");
    assert_eq!(
        m["assets"][0]["destination"],
        json!({"type": "repository", "stack": "VisionRepository", "repository": "poc-mc-vision-fastapi", "tag": a.asset.hash})
    );
    assert_eq!(
        template(&asm, "VisionRepository")["Resources"]["Repository"]["Properties"]["ImageTagMutability"],
        "IMMUTABLE"
    );
    // arm64 functions get an arm64 image: another platform, another tag.
    let arm = synth(&Context::new().with_value("arch", "arm64"));
    assert_eq!(
        arm.assets[0].asset.platform.map(|p| p.as_str()),
        Some("linux/arm64")
    );
    assert_ne!(arm.assets[0].asset.hash, a.asset.hash);
}

#[test]
fn arm64_when_asked_and_other_architectures_are_refused() {
    let t = pipeline(&pinned().with_value("arch", "arm64"));
    for f in ["ApiFunction", "WorkerFunction"] {
        assert_eq!(
            t["Resources"][f]["Properties"]["Architectures"],
            json!(["arm64"])
        );
    }
    let t = pipeline(&pinned().with_env("VISION_ARCH", "arm64"));
    assert_eq!(
        t["Resources"]["ApiFunction"]["Properties"]["Architectures"],
        json!(["arm64"])
    );
    match vision_pipeline::app(&pinned().with_value("arch", "riscv64")) {
        Err(Error::Context { key, message }) => {
            assert_eq!(key, "arch");
            assert_eq!(
                message,
                "`riscv64` is not an architecture Lambda runs; use amd64 or arm64"
            );
        }
        other => panic!("expected a context error, got {other:?}"),
    }
}
