//! Every example deployed to a local moto server, and checked through the
//! service APIs for the resource types moto models.

use formwork::Context;
use formwork_e2e::Moto;

#[test]
fn l1_basics_deploys_and_its_resources_exist() {
    let Some(moto) = Moto::start("l1-basics") else {
        return;
    };
    let asm = l1_basics::app(&Context::new()).unwrap().synth().unwrap();
    let d = moto.deploy(&asm, "l1-basics");
    assert_eq!(d.stack_names(), ["L1Storage", "L1Compute"]);

    let bucket = d.physical_id("L1Storage", "Data");
    let enc = moto
        .aws(&["s3api", "get-bucket-encryption", "--bucket", &bucket])
        .unwrap();
    assert_eq!(
        enc["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]
            ["SSEAlgorithm"],
        "AES256"
    );

    let function = d.physical_id("L1Compute", "Reader");
    let f = moto
        .aws(&["lambda", "get-function", "--function-name", &function])
        .unwrap();
    assert_eq!(f["Configuration"]["Runtime"], "python3.12");
    assert_eq!(f["Configuration"]["MemorySize"], 128);
    assert_eq!(f["Configuration"]["Timeout"], 10);
    assert_eq!(
        f["Configuration"]["Environment"]["Variables"]["BUCKET_NAME"],
        bucket.as_str(),
        "the import resolved"
    );

    let role = d.physical_id("L1Compute", "ReaderRole");
    let p = moto
        .aws(&[
            "iam",
            "get-role-policy",
            "--role-name",
            &role,
            "--policy-name",
            "ReadData",
        ])
        .unwrap();
    let doc = formwork_e2e::policy_document(&p["PolicyDocument"]);
    let stmt = &doc["Statement"][0];
    assert_eq!(stmt["Action"], "s3:GetObject");
    assert_eq!(stmt["Resource"], format!("arn:aws:s3:::{bucket}/*"));
    assert!(
        d.output("L1Compute", "ReaderArn")
            .is_some_and(|a| a.ends_with(&function))
    );
}

/// A copy of an assembly whose stack `stack` lacks the outputs `drop`.
///
/// moto 5.2.1 has no CloudFormation model for `AWS::Lambda::Url` and
/// `AWS::ApiGatewayV2::*` and skips them; MOTO-SUPPORT.md, "moto raises
/// internal errors (HTTP 500 ...)": "`Fn::GetAtt` in Outputs on a skipped
/// resource (`AWS::Lambda::Url.FunctionUrl`). Here the stack is not even
/// recorded." So only the copy deployed to moto loses those outputs; the
/// example's template keeps them (its own tests and cfn-lint check them).
fn without_outputs(asm: &formwork::Assembly, stack: &str, drop: &[&str]) -> formwork::Assembly {
    let mut copy = asm.clone();
    let s = copy
        .stacks
        .iter_mut()
        .find(|s| s.name == stack)
        .unwrap_or_else(|| panic!("no stack {stack}"));
    let mut t: serde_json::Value = serde_json::from_str(&s.template).expect("a JSON template");
    let outputs = t["Outputs"].as_object_mut().expect("outputs");
    for key in drop {
        assert!(
            outputs.remove(*key).is_some(),
            "{stack} has no output {key}"
        );
    }
    s.template = serde_json::to_string_pretty(&t).expect("JSON") + "\n";
    copy
}

/// The statements of a role's inline `DefaultPolicy`, as moto's IAM holds them.
fn role_statements(moto: &Moto, role: &str) -> Vec<serde_json::Value> {
    let names = moto
        .aws(&["iam", "list-role-policies", "--role-name", role])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names["PolicyNames"], serde_json::json!(["DefaultPolicy"]));
    let p = moto
        .aws(&[
            "iam",
            "get-role-policy",
            "--role-name",
            role,
            "--policy-name",
            "DefaultPolicy",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    // moto answers with a Python repr; `policy_document` reads its `True` and
    // `False`, and a `Ref` to a resource moto skipped is `None` in it.
    let raw = match &p["PolicyDocument"] {
        serde_json::Value::String(s) => serde_json::Value::from(s.replace("None", "null")),
        other => other.clone(),
    };
    let doc = formwork_e2e::policy_document(&raw);
    doc["Statement"].as_array().cloned().unwrap_or_default()
}

/// A statement's actions, as names.
fn actions(statement: &serde_json::Value) -> Vec<String> {
    list(&statement["Action"])
        .iter()
        .map(|a| a.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// A statement's `Action` or `Resource` as a list.
fn list(v: &serde_json::Value) -> Vec<serde_json::Value> {
    match v {
        serde_json::Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    }
}

fn retention_days(moto: &Moto, group: &str) -> serde_json::Value {
    let g = moto
        .aws(&[
            "logs",
            "describe-log-groups",
            "--log-group-name-prefix",
            group,
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    let groups = g["logGroups"].as_array().cloned().unwrap_or_default();
    assert_eq!(groups.len(), 1, "{g}");
    assert_eq!(groups[0]["logGroupName"], group);
    groups[0]["retentionInDays"].clone()
}

fn bucket_sse(moto: &Moto, bucket: &str) -> serde_json::Value {
    let enc = moto
        .aws(&["s3api", "get-bucket-encryption", "--bucket", bucket])
        .unwrap_or_else(|e| panic!("{e}"));
    enc["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]
        ["SSEAlgorithm"]
        .clone()
}

/// Reference B on moto: buckets, role, function and log group through their
/// APIs. Secrets, the function URL, bucket policies and the HTTP API are
/// skipped by moto (MOTO-SUPPORT.md); the template tests cover them.
#[test]
fn chat_proxy_deploys_and_its_resources_exist() {
    let Some(moto) = Moto::start("chat-proxy") else {
        return;
    };
    let asm = chat_proxy::app(&Context::new()).unwrap().synth().unwrap();
    let asm = without_outputs(
        &asm,
        "ChatProxy-prod",
        &["ChatApiEndpoint", "ChatFunctionUrl"],
    );
    let d = moto.deploy(&asm, "chat-proxy");
    assert_eq!(d.stack_names(), ["ChatProxy-prod"]);
    let stack = "ChatProxy-prod";

    // `${AWS::AccountId}` resolved to moto's account.
    let config = d.physical_id(stack, "ConfigBucket");
    let audit = d.physical_id(stack, "AuditLogBucket");
    assert_eq!(config, "sfai-prod-config-123456789012");
    assert_eq!(audit, "sfai-prod-audit-123456789012");
    for b in [&config, &audit] {
        assert_eq!(bucket_sse(&moto, b), "AES256", "{b}");
    }

    let function = d.physical_id(stack, "ChatCompletionsFunction");
    assert_eq!(function, "sfai-prod-chat-completions");
    let f = moto
        .aws(&["lambda", "get-function", "--function-name", &function])
        .unwrap();
    let c = &f["Configuration"];
    assert_eq!(c["Runtime"], "nodejs24.x");
    assert_eq!(c["Handler"], "index.handler");
    assert_eq!(c["MemorySize"], 512);
    assert_eq!(c["Timeout"], 900);
    let vars = &c["Environment"]["Variables"];
    assert_eq!(vars["CONFIG_BUCKET_NAME"], config.as_str());
    assert_eq!(vars["AUDIT_LOG_BUCKET_NAME"], audit.as_str());
    assert_eq!(vars["MODEL_MAP_KEY"], "config/model_map.json");
    let role = d.physical_id(stack, "ChatCompletionsFunctionServiceRole");
    assert!(
        c["Role"]
            .as_str()
            .is_some_and(|r| r.ends_with(&format!("/{role}"))),
        "{c}"
    );

    let statements = role_statements(&moto, &role);
    let names: Vec<Vec<String>> = statements.iter().map(actions).collect();
    assert_eq!(
        names,
        [
            vec!["logs:CreateLogStream", "logs:PutLogEvents"],
            vec!["s3:GetObject"],
            vec!["s3:ListBucket"],
            vec!["s3:PutObject"],
            vec![
                "secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret"
            ],
        ]
    );
    assert!(statements.iter().all(|s| s["Effect"] == "Allow"));
    assert_eq!(
        statements[0]["Resource"],
        "arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/lambda/sfai-prod-chat-completions:*"
    );
    assert_eq!(
        statements[1]["Resource"],
        format!("arn:aws:s3:::{config}/*")
    );
    assert_eq!(statements[2]["Resource"], format!("arn:aws:s3:::{config}"));
    assert_eq!(statements[3]["Resource"], format!("arn:aws:s3:::{audit}/*"));
    // moto skips the secrets, so their `Ref` (the ARN) resolves to nothing
    // here; the template test checks the two ARNs.
    assert_eq!(statements[4]["Resource"], serde_json::json!([null, null]));

    assert_eq!(
        retention_days(&moto, "/aws/lambda/sfai-prod-chat-completions"),
        14
    );

    // The HTTP API's and the URL's permissions are in the function's policy.
    let p = moto
        .aws(&["lambda", "get-policy", "--function-name", &function])
        .unwrap();
    let policy = formwork_e2e::policy_document(&p["Policy"]);
    let principals: Vec<serde_json::Value> = policy["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s["Principal"].clone())
        .collect();
    assert_eq!(principals.len(), 3, "{policy}");
    assert!(
        principals
            .iter()
            .any(|p| p["Service"] == "apigateway.amazonaws.com"),
        "{policy}"
    );

    assert_eq!(d.output(stack, "ConfigBucketName"), Some(config.clone()));
    assert_eq!(d.output(stack, "AuditLogBucketName"), Some(audit.clone()));
    assert_eq!(d.output(stack, "ChatLambdaName"), Some(function.clone()));
}

/// Reference D on moto: the repository stack, then the functions from its
/// image (by digest), the bucket, the roles and the state machine.
#[test]
fn vision_pipeline_deploys_and_its_resources_exist() {
    let Some(moto) = Moto::start("vision-pipeline") else {
        return;
    };
    let digest = "sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b";
    let ctx = Context::new().with_value("image_digest", digest);
    let asm = vision_pipeline::app(&ctx).unwrap().synth().unwrap();
    let asm = without_outputs(&asm, "VisionPipeline", &["ApiFunctionUrl"]);
    let d = moto.deploy(&asm, "vision-pipeline");
    assert_eq!(d.stack_names(), ["VisionRepository", "VisionPipeline"]);
    let stack = "VisionPipeline";

    let r = moto
        .aws(&[
            "ecr",
            "describe-repositories",
            "--repository-names",
            "poc-mc-vision-fastapi",
        ])
        .unwrap();
    let repo_uri = r["repositories"][0]["repositoryUri"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(repo_uri.ends_with("/poc-mc-vision-fastapi"), "{r}");
    assert_eq!(
        d.output("VisionRepository", "RepositoryUri"),
        Some(repo_uri.clone())
    );
    let image = format!("{repo_uri}@{digest}");

    let images = d.physical_id(stack, "ImagesBucket");
    assert_eq!(bucket_sse(&moto, &images), "AES256");

    // moto reports PackageType "Zip" for image functions and drops
    // ImageConfig (MOTO-SUPPORT.md): the image URI is what it keeps.
    let api = moto
        .aws(&[
            "lambda",
            "get-function",
            "--function-name",
            "poc-mc-vision-fastapi",
        ])
        .unwrap();
    assert_eq!(api["Code"]["ImageUri"], image.as_str(), "{api}");
    assert_eq!(api["Configuration"]["MemorySize"], 1024);
    assert_eq!(api["Configuration"]["Timeout"], 30);
    let worker = moto
        .aws(&[
            "lambda",
            "get-function",
            "--function-name",
            "poc-mc-vision-pipeline-worker",
        ])
        .unwrap();
    assert_eq!(worker["Code"]["ImageUri"], image.as_str(), "the same image");
    assert_eq!(worker["Configuration"]["MemorySize"], 1024);
    assert_eq!(worker["Configuration"]["Timeout"], 300);
    assert_eq!(
        worker["Configuration"]["Environment"]["Variables"]["IMAGES_BUCKET_NAME"],
        images.as_str()
    );
    let worker_arn = worker["Configuration"]["FunctionArn"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        worker_arn,
        "arn:aws:lambda:ap-northeast-1:123456789012:function:poc-mc-vision-pipeline-worker"
    );

    for (group, days) in [
        ("/aws/lambda/poc-mc-vision-fastapi", 30),
        ("/aws/lambda/poc-mc-vision-pipeline-worker", 30),
    ] {
        assert_eq!(retention_days(&moto, group), days, "{group}");
    }

    let worker_role = d.physical_id(stack, "WorkerFunctionServiceRole");
    let statements = role_statements(&moto, &worker_role);
    let grants: Vec<(Vec<String>, serde_json::Value)> = statements
        .iter()
        .map(|s| (actions(s), s["Resource"].clone()))
        .collect();
    let expected: Vec<(Vec<String>, serde_json::Value)> = [
        (
            vec!["logs:CreateLogStream", "logs:PutLogEvents"],
            "arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/lambda/poc-mc-vision-pipeline-worker:*".to_owned(),
        ),
        (vec!["s3:GetObject"], format!("arn:aws:s3:::{images}/*")),
        (vec!["s3:ListBucket"], format!("arn:aws:s3:::{images}")),
    ]
    .into_iter()
    .map(|(a, r)| (a.into_iter().map(str::to_owned).collect(), r.into()))
    .collect();
    assert_eq!(grants, expected);
    let api_role = d.physical_id(stack, "ApiFunctionServiceRole");
    assert_eq!(role_statements(&moto, &api_role).len(), 1, "logs only");

    let machine_role = d.physical_id(stack, "PipelineStateMachineRole");
    let statements = role_statements(&moto, &machine_role);
    assert_eq!(statements.len(), 1, "{statements:?}");
    assert_eq!(statements[0]["Effect"], "Allow");
    assert_eq!(statements[0]["Action"], "lambda:InvokeFunction");
    assert_eq!(
        list(&statements[0]["Resource"]),
        [
            serde_json::Value::from(worker_arn.as_str()),
            serde_json::Value::from(format!("{worker_arn}:*"))
        ]
    );

    let machine = d.physical_id(stack, "PipelineStateMachine");
    let m = moto
        .aws(&[
            "stepfunctions",
            "describe-state-machine",
            "--state-machine-arn",
            &machine,
        ])
        .unwrap();
    assert_eq!(m["name"], "poc-mc-vision-pipeline");
    assert_eq!(m["type"], "STANDARD");
    assert!(
        m["roleArn"]
            .as_str()
            .is_some_and(|r| r.ends_with(&format!("/{machine_role}"))),
        "{m}"
    );
    let definition: serde_json::Value =
        serde_json::from_str(m["definition"].as_str().unwrap_or_default())
            .expect("a JSON definition");
    assert_eq!(
        definition["States"]["RunWorker"]["Parameters"]["FunctionName"],
        worker_arn.as_str(),
        "the worker's ARN, resolved"
    );
    assert_eq!(
        definition["States"]["RunWorker"]["Resource"],
        "arn:aws:states:::lambda:invoke"
    );
    assert_eq!(d.output(stack, "PipelineStateMachineArn"), Some(machine));
    assert_eq!(d.output(stack, "ImagesBucketName"), Some(images));
}

/// Reference A on moto: the repository, both buckets, the search function,
/// its role, log group and URL permissions, through their APIs. moto skips
/// CloudFront (the distribution and its origin access control), bucket
/// policies and the function URL (MOTO-SUPPORT.md); the template tests
/// cover them.
#[test]
fn media_search_deploys_and_its_resources_exist() {
    let Some(moto) = Moto::start("media-search") else {
        return;
    };
    let digest = "sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b";
    let ctx = Context::new().with_value("image_digest", digest);
    let asm = media_search::app(&ctx).unwrap().synth().unwrap();
    // `FrontendDomainName` is a `Fn::GetAtt` on the skipped
    // `AWS::CloudFront::Distribution`, `SearchFunctionUrl` one on the skipped
    // `AWS::Lambda::Url`: in Outputs either makes moto fail (HTTP 500, no
    // stack). Only the copy deployed here lacks them (see `without_outputs`).
    let asm = without_outputs(
        &asm,
        "MediaSearch",
        &["FrontendDomainName", "SearchFunctionUrl"],
    );
    let d = moto.deploy(&asm, "media-search");
    assert_eq!(d.stack_names(), ["MediaSearchRepository", "MediaSearch"]);
    let stack = "MediaSearch";

    let r = moto
        .aws(&[
            "ecr",
            "describe-repositories",
            "--repository-names",
            "media-search",
        ])
        .unwrap();
    let repo_uri = r["repositories"][0]["repositoryUri"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(repo_uri.ends_with("/media-search"), "{r}");
    assert_eq!(
        d.output("MediaSearchRepository", "RepositoryUri"),
        Some(repo_uri.clone())
    );

    let data = d.physical_id(stack, "DataBucket");
    let frontend = d.physical_id(stack, "FrontendBucket");
    assert_ne!(data, frontend);
    for bucket in [&data, &frontend] {
        assert_eq!(bucket_sse(&moto, bucket), "AES256", "{bucket}");
    }
    assert_eq!(d.output(stack, "DataBucketName"), Some(data.clone()));
    assert_eq!(
        d.output(stack, "FrontendBucketName"),
        Some(frontend.clone())
    );

    // moto reports PackageType "Zip" for image functions (MOTO-SUPPORT.md):
    // the image URI is what it keeps.
    let function = d.physical_id(stack, "SearchFunction");
    let f = moto
        .aws(&["lambda", "get-function", "--function-name", &function])
        .unwrap();
    assert_eq!(
        f["Code"]["ImageUri"],
        format!("{repo_uri}@{digest}").as_str(),
        "pinned to the digest, the import resolved: {f}"
    );
    assert_eq!(f["Configuration"]["MemorySize"], 4096);
    assert_eq!(f["Configuration"]["Timeout"], 120);
    assert_eq!(
        f["Configuration"]["Environment"]["Variables"],
        serde_json::json!({"DATA_BUCKET_NAME": data.as_str(), "DATA_PREFIX": "data/"})
    );
    assert_eq!(
        d.output(stack, "SearchFunctionName"),
        Some(function.clone())
    );
    assert_eq!(
        retention_days(&moto, "/aws/lambda/MediaSearch-SearchFunction"),
        30
    );

    let role = d.physical_id(stack, "SearchFunctionServiceRole");
    let grants: Vec<(Vec<String>, serde_json::Value)> = role_statements(&moto, &role)
        .iter()
        .map(|s| (actions(s), s["Resource"].clone()))
        .collect();
    let expected: Vec<(Vec<String>, serde_json::Value)> = [
        (
            vec!["logs:CreateLogStream", "logs:PutLogEvents"],
            "arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/lambda/MediaSearch-SearchFunction:*".to_owned(),
        ),
        (vec!["s3:GetObject"], format!("arn:aws:s3:::{data}/*")),
        (vec!["s3:ListBucket"], format!("arn:aws:s3:::{data}")),
    ]
    .into_iter()
    .map(|(a, r)| (a.into_iter().map(str::to_owned).collect(), r.into()))
    .collect();
    assert_eq!(grants, expected, "reads the data bucket, nothing else");

    // The URL's two public statements are in the function's resource policy.
    let p = moto
        .aws(&["lambda", "get-policy", "--function-name", &function])
        .unwrap();
    let policy: serde_json::Value =
        serde_json::from_str(p["Policy"].as_str().unwrap_or_default()).expect("a JSON policy");
    let mut public: Vec<String> = policy["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s["Action"].as_str().unwrap_or_default().to_owned())
        .collect();
    public.sort();
    assert_eq!(
        public,
        ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"],
        "{policy}"
    );
}
