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

/// A copy of an assembly whose stack `stack` has its template changed by
/// `edit` (the copies deployed to moto around its gaps; the examples'
/// templates stay as they are).
fn edit_template(
    asm: &formwork::Assembly,
    stack: &str,
    edit: impl FnOnce(&mut serde_json::Value),
) -> formwork::Assembly {
    let mut copy = asm.clone();
    let s = copy
        .stacks
        .iter_mut()
        .find(|s| s.name == stack)
        .unwrap_or_else(|| panic!("no stack {stack}"));
    let mut t: serde_json::Value = serde_json::from_str(&s.template).expect("a JSON template");
    edit(&mut t);
    s.template = serde_json::to_string_pretty(&t).expect("JSON") + "\n";
    copy
}

/// A copy of an assembly whose stack `stack` lacks the outputs `drop`.
///
/// moto 5.2.1 has no CloudFormation model for `AWS::Lambda::Url` and
/// `AWS::ApiGatewayV2::*` and skips them; crates/formwork-e2e/MOTO-SUPPORT.md, "moto raises
/// internal errors (HTTP 500 ...)": "`Fn::GetAtt` in Outputs on a skipped
/// resource (`AWS::Lambda::Url.FunctionUrl`). Here the stack is not even
/// recorded." So only the copy deployed to moto loses those outputs; the
/// example's template keeps them (its own tests and cfn-lint check them).
fn without_outputs(asm: &formwork::Assembly, stack: &str, drop: &[&str]) -> formwork::Assembly {
    edit_template(asm, stack, |t| {
        let outputs = t["Outputs"].as_object_mut().expect("outputs");
        for key in drop {
            assert!(
                outputs.remove(*key).is_some(),
                "{stack} has no output {key}"
            );
        }
    })
}

/// A copy of an assembly whose stack `stack` lacks the resource `id`
/// (nothing may reference it).
fn without_resource(asm: &formwork::Assembly, stack: &str, id: &str) -> formwork::Assembly {
    edit_template(asm, stack, |t| {
        let resources = t["Resources"].as_object_mut().expect("resources");
        assert!(
            resources.remove(id).is_some(),
            "{stack} has no resource {id}"
        );
    })
}

/// A copy of an assembly where every `Fn::GetAtt [provider, "Arn"]` of stack
/// `stack` is the ARN moto would have given the OIDC provider `provider`
/// (moto 5.2.1 skips `AWS::IAM::OIDCProvider`).
fn with_literal_oidc_provider(
    asm: &formwork::Assembly,
    stack: &str,
    provider: &str,
) -> formwork::Assembly {
    fn rewrite(v: &mut serde_json::Value, getatt: &serde_json::Value, arn: &str) {
        if v == getatt {
            *v = serde_json::Value::String(arn.to_owned());
            return;
        }
        match v {
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| rewrite(x, getatt, arn)),
            serde_json::Value::Object(m) => m.values_mut().for_each(|x| rewrite(x, getatt, arn)),
            _ => {}
        }
    }
    edit_template(asm, stack, |t| {
        let url = t["Resources"][provider]["Properties"]["Url"]
            .as_str()
            .expect("the provider's URL")
            .trim_start_matches("https://")
            .to_owned();
        let arn = format!("arn:aws:iam::123456789012:oidc-provider/{url}");
        let getatt = serde_json::json!({"Fn::GetAtt": [provider, "Arn"]});
        if let Some(resources) = t["Resources"].as_object_mut() {
            for (id, r) in resources.iter_mut() {
                if id != provider {
                    rewrite(r, &getatt, &arn);
                }
            }
        }
    })
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
/// skipped by moto (crates/formwork-e2e/MOTO-SUPPORT.md); the template tests cover them.
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
    // The function's code is an asset that `deploy` publishes to the
    // assets bucket before the stack (tests/assets.rs runs that path); this
    // test creates the stack directly, so it puts a stand-in zip where the
    // template points.
    let t = asm.template_json("ChatProxy-prod").unwrap();
    let key = t["Resources"]["ChatCompletionsFunction"]["Properties"]["Code"]["S3Key"]
        .as_str()
        .expect("the code's S3 key")
        .to_owned();
    let bucket = "formwork-assets-123456789012-ap-northeast-1";
    moto.aws(&[
        "s3api",
        "create-bucket",
        "--bucket",
        bucket,
        "--region",
        "ap-northeast-1",
        "--create-bucket-configuration",
        "LocationConstraint=ap-northeast-1",
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let zip = formwork_test_support::scratch_dir("chat-proxy-code");
    let zip_file = zip.join("code.zip");
    // An empty zip archive: its end-of-central-directory record alone.
    let mut empty = b"PK\x05\x06".to_vec();
    empty.extend([0u8; 18]);
    std::fs::write(&zip_file, empty).expect("write the zip");
    moto.aws(&[
        "s3api",
        "put-object",
        "--bucket",
        bucket,
        "--key",
        &key,
        "--body",
        &zip_file.to_string_lossy(),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
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
/// image (by its content-hash tag), the bucket, the roles and the state machine.
#[test]
fn vision_pipeline_deploys_and_its_resources_exist() {
    let Some(moto) = Moto::start("vision-pipeline") else {
        return;
    };
    let ctx = Context::new();
    let asm = vision_pipeline::app(&ctx).unwrap().synth().unwrap();
    let tag = asm.assets[0].asset.hash.clone();
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
    let image = format!("{repo_uri}:{tag}");

    let images = d.physical_id(stack, "ImagesBucket");
    assert_eq!(bucket_sse(&moto, &images), "AES256");

    // moto reports PackageType "Zip" for image functions and drops
    // ImageConfig (crates/formwork-e2e/MOTO-SUPPORT.md): the image URI is what it keeps.
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
        (
            vec!["sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream"],
            "arn:aws:sagemaker:ap-northeast-1:123456789012:endpoint/poc-mc-vision-endpoint".to_owned(),
        ),
        (
            vec!["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
            "arn:aws:bedrock:ap-northeast-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0".to_owned(),
        ),
        (
            vec!["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:poc-mc-vision/azure-credentials-??????".to_owned(),
        ),
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
/// policies and the function URL (crates/formwork-e2e/MOTO-SUPPORT.md); the template tests
/// cover them.
#[test]
fn media_search_deploys_and_its_resources_exist() {
    let Some(moto) = Moto::start("media-search") else {
        return;
    };
    let ctx = Context::new();
    let asm = media_search::app(&ctx).unwrap().synth().unwrap();
    let tag = asm.assets[0].asset.hash.clone();
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

    // moto reports PackageType "Zip" for image functions (crates/formwork-e2e/MOTO-SUPPORT.md):
    // the image URI is what it keeps.
    let function = d.physical_id(stack, "SearchFunction");
    let f = moto
        .aws(&["lambda", "get-function", "--function-name", &function])
        .unwrap();
    assert_eq!(
        f["Code"]["ImageUri"],
        format!("{repo_uri}:{tag}").as_str(),
        "the image's content-hash tag, the import resolved: {f}"
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

/// The statements of an ECS role's inline `DefaultPolicy` in moto's IAM
/// (a `Ref` to a resource moto skips, such as a secret, reads as `null`).
fn ecs_role_statements(moto: &Moto, role: &str) -> Vec<serde_json::Value> {
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
    let raw = match &p["PolicyDocument"] {
        serde_json::Value::String(s) => serde_json::Value::from(s.replace("None", "null")),
        other => other.clone(),
    };
    formwork_e2e::policy_document(&raw)["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The ingress rules of a security group in moto's EC2, as
/// `<source> <from>-<to>` (source: a CIDR block or a group id).
fn ecs_ingress(moto: &Moto, group_id: &str) -> Vec<String> {
    let g = moto
        .aws(&["ec2", "describe-security-groups", "--group-ids", group_id])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for p in g["SecurityGroups"][0]["IpPermissions"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let ports = format!("{}-{}", p["FromPort"], p["ToPort"]);
        for r in p["IpRanges"].as_array().into_iter().flatten() {
            out.push(format!("{} {ports}", r["CidrIp"].as_str().unwrap_or("?")));
        }
        for r in p["UserIdGroupPairs"].as_array().into_iter().flatten() {
            out.push(format!("{} {ports}", r["GroupId"].as_str().unwrap_or("?")));
        }
    }
    out.sort();
    out
}

/// The task definition a service runs, as moto's ECS describes it.
fn ecs_task_definition(moto: &Moto, family: &str) -> serde_json::Value {
    moto.aws(&[
        "ecs",
        "describe-task-definition",
        "--task-definition",
        family,
    ])
    .unwrap_or_else(|e| panic!("{e}"))["taskDefinition"]
        .clone()
}

/// Reference C on moto: the repository stack, then the network, security
/// groups, load balancer, file system, cluster, task definition, service,
/// roles and log group through their APIs. moto skips the secret and the
/// autoscaling target and policies, and ignores EFS volume settings,
/// network mode and the service's network and load balancer settings
/// (crates/formwork-e2e/MOTO-SUPPORT.md); the template tests cover those.
#[test]
fn weather_service_deploys_and_its_resources_exist() {
    let Some(moto) = Moto::start("weather-service") else {
        return;
    };
    let asm = weather_service::app(&Context::new())
        .unwrap()
        .synth()
        .unwrap();
    let s = "WeatherService";
    // moto 5.2.1 has no CloudFormation model for `AWS::IAM::OIDCProvider`: it
    // skips the resource and then refuses the stack because the deploy role's
    // trust policy reads `Fn::GetAtt GithubOidcProvider.Arn`. Only the copy
    // deployed to moto has the provider's ARN written out; the example's
    // template keeps the resource and the reference.
    let copy = with_literal_oidc_provider(&asm, s, "GithubOidcProvider");
    // moto 5.2.1 answers HTTP 500 to `Fn::GetAtt` of a target group's
    // `TargetGroupFullName` (its FakeTargetGroup has no CloudFormation
    // attributes), which the dashboard's body reads: only the copy deployed
    // to moto goes without the dashboard.
    let copy = without_resource(&copy, s, "Dashboard");
    let d = moto.deploy(&copy, "weather-service");
    assert_eq!(d.stack_names(), ["WeatherRepository", "WeatherService"]);

    let repo = moto
        .aws(&[
            "ecr",
            "describe-repositories",
            "--repository-names",
            "weather-comment-generator",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    let uri = repo["repositories"][0]["repositoryUri"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        d.output("WeatherRepository", "RepositoryUri").as_deref(),
        Some(uri.as_str())
    );

    // Network: two public subnets in two zones, no NAT gateway (the team's
    // budget has none): tasks get public IPs and only the load balancer's
    // group may reach them.
    let vpc = d.physical_id(s, "Vpc");
    let subnets = moto
        .aws(&[
            "ec2",
            "describe-subnets",
            "--filters",
            &format!("Name=vpc-id,Values={vpc}"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut blocks: Vec<(String, String)> = subnets["Subnets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["CidrBlock"].as_str().unwrap().to_owned(),
                n["AvailabilityZone"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    blocks.sort();
    let cidrs: Vec<&str> = blocks.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(cidrs, ["10.0.0.0/24", "10.0.1.0/24"]);
    assert_ne!(
        blocks[0].1, blocks[1].1,
        "the public subnets are in two zones"
    );
    let public_1 = d.physical_id(s, "VpcPublicSubnet1Subnet");
    let public_2 = d.physical_id(s, "VpcPublicSubnet2Subnet");
    let nats = moto
        .aws(&[
            "ec2",
            "describe-nat-gateways",
            "--filter",
            &format!("Name=vpc-id,Values={vpc}"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(nats["NatGateways"], serde_json::json!([]));

    // Security groups: exactly the rules of the reference.
    let lb_group = d.physical_id(s, "LoadBalancerSecurityGroup");
    let task_group = d.physical_id(s, "ServiceSecurityGroup");
    let efs_group = d.physical_id(s, "FileSystemSecurityGroup");
    assert_eq!(
        ecs_ingress(&moto, &lb_group),
        ["0.0.0.0/0 443-443", "0.0.0.0/0 80-80"]
    );
    assert_eq!(
        ecs_ingress(&moto, &task_group),
        [
            format!("{lb_group} 8000-8000"),
            format!("{lb_group} 8501-8501")
        ]
    );
    assert_eq!(
        ecs_ingress(&moto, &efs_group),
        [format!("{task_group} 2049-2049")]
    );

    // Load balancer: HTTPS 443 forwarding to 8501, 80 redirecting to 443.
    let lb = d.physical_id(s, "LoadBalancer");
    let lbs = moto
        .aws(&[
            "elbv2",
            "describe-load-balancers",
            "--load-balancer-arns",
            &lb,
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lbs["LoadBalancers"][0]["Scheme"], "internet-facing");
    assert_eq!(
        lbs["LoadBalancers"][0]["SecurityGroups"],
        serde_json::json!([lb_group])
    );
    assert_eq!(
        d.output(s, "LoadBalancerDnsName").as_deref(),
        lbs["LoadBalancers"][0]["DNSName"].as_str()
    );
    let listeners = moto
        .aws(&["elbv2", "describe-listeners", "--load-balancer-arn", &lb])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut seen = Vec::new();
    for l in listeners["Listeners"].as_array().unwrap() {
        let action = &l["DefaultActions"][0];
        match l["Port"].as_i64() {
            Some(443) => {
                assert_eq!(l["Protocol"], "HTTPS");
                assert!(
                    l["Certificates"][0]["CertificateArn"]
                        .as_str()
                        .is_some_and(|c| c.contains(":acm:"))
                );
                assert_eq!(action["Type"], "forward");
            }
            Some(80) => {
                assert_eq!(l["Protocol"], "HTTP");
                assert_eq!(action["Type"], "redirect");
                assert_eq!(action["RedirectConfig"]["Port"], "443");
                assert_eq!(action["RedirectConfig"]["Protocol"], "HTTPS");
            }
            other => panic!("unexpected listener port {other:?}"),
        }
        seen.push(l["Port"].as_i64().unwrap_or_default());
    }
    seen.sort();
    assert_eq!(seen, [80, 443]);
    let tg = moto
        .aws(&[
            "elbv2",
            "describe-target-groups",
            "--target-group-arns",
            &d.physical_id(s, "TargetGroup"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    let tg = &tg["TargetGroups"][0];
    assert_eq!(
        (tg["Port"].as_i64(), tg["Protocol"].as_str()),
        (Some(8501), Some("HTTP"))
    );
    assert_eq!(tg["TargetType"], "ip");
    assert_eq!(tg["HealthCheckPath"], "/");
    assert_eq!(tg["HealthCheckIntervalSeconds"], 30);

    // EFS: general purpose, bursting, named, a mount target in each subnet the tasks use.
    let fs_id = d.physical_id(s, "CacheFileSystem");
    let fs = moto
        .aws(&["efs", "describe-file-systems", "--file-system-id", &fs_id])
        .unwrap_or_else(|e| panic!("{e}"));
    let fs = &fs["FileSystems"][0];
    assert_eq!(fs["PerformanceMode"], "generalPurpose");
    assert_eq!(fs["ThroughputMode"], "bursting");
    assert_eq!(fs["Encrypted"], true);
    assert_eq!(fs["Name"], "weather-comment-cache");
    let mts = moto
        .aws(&["efs", "describe-mount-targets", "--file-system-id", &fs_id])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut mt_subnets: Vec<String> = mts["MountTargets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["SubnetId"].as_str().unwrap().to_owned())
        .collect();
    mt_subnets.sort();
    let mut task_subnets = vec![public_1.clone(), public_2.clone()];
    task_subnets.sort();
    assert_eq!(mt_subnets, task_subnets);
    let mt = mts["MountTargets"][0]["MountTargetId"].as_str().unwrap();
    let mt_groups = moto
        .aws(&[
            "efs",
            "describe-mount-target-security-groups",
            "--mount-target-id",
            mt,
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mt_groups["SecurityGroups"], serde_json::json!([efs_group]));

    // Cluster, task definition, service.
    let cluster = moto
        .aws(&[
            "ecs",
            "describe-clusters",
            "--clusters",
            "weather-comment-cluster",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        cluster["clusters"][0]["clusterName"],
        "weather-comment-cluster"
    );
    let td = ecs_task_definition(&moto, "weather-comment-generator");
    assert_eq!(td["family"], "weather-comment-generator");
    assert_eq!(td["memory"], "2048");
    let c = &td["containerDefinitions"][0];
    assert_eq!(c["name"], "app");
    assert_eq!(c["image"], format!("{uri}:{}", asm.assets[0].asset.hash));
    let ports: Vec<i64> = c["portMappings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["containerPort"].as_i64().unwrap())
        .collect();
    assert_eq!(ports, [8501, 8000]);
    let env: Vec<(String, String)> = c["environment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_owned(),
                e["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        env,
        [
            ("ENV".to_owned(), "production".to_owned()),
            ("MAX_PARALLEL_WORKERS".to_owned(), "4".to_owned())
        ]
    );
    // moto skips the secret, so its ARN (`Ref`) is empty here: the key part remains.
    let secrets: Vec<(&str, &str)> = c["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap(),
                e["valueFrom"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(secrets.len(), 2);
    assert_eq!(secrets[0].0, "WXTECH_API_KEY");
    assert!(
        secrets[0].1.ends_with(":WXTECH_API_KEY::"),
        "{}",
        secrets[0].1
    );
    assert_eq!(secrets[1].0, "OPENAI_API_KEY");
    assert!(
        secrets[1].1.ends_with(":OPENAI_API_KEY::"),
        "{}",
        secrets[1].1
    );
    assert_eq!(
        c["logConfiguration"],
        serde_json::json!({"logDriver": "awslogs", "options": {
            "awslogs-group": "/ecs/weather-comment-generator",
            "awslogs-region": "ap-northeast-1",
            "awslogs-stream-prefix": "ecs"
        }})
    );
    assert_eq!(
        c["mountPoints"],
        serde_json::json!([{"sourceVolume": "cache-storage", "containerPath": "/app/cache", "readOnly": false}])
    );
    assert_eq!(td["volumes"][0]["name"], "cache-storage");
    let svc = moto
        .aws(&[
            "ecs",
            "describe-services",
            "--cluster",
            "weather-comment-cluster",
            "--services",
            "weather-comment-service",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(svc["services"][0]["serviceName"], "weather-comment-service");
    assert_eq!(svc["services"][0]["desiredCount"], 1);

    // Roles: the execution role pulls, reads the secret and writes logs.
    let exec = ecs_role_statements(&moto, &d.physical_id(s, "TaskDefinitionExecutionRole"));
    let exec_actions: Vec<Vec<String>> = exec
        .iter()
        .map(|st| match &st["Action"] {
            serde_json::Value::Array(a) => {
                a.iter().map(|x| x.as_str().unwrap().to_owned()).collect()
            }
            a => vec![a.as_str().unwrap().to_owned()],
        })
        .collect();
    assert_eq!(
        exec_actions,
        [
            vec![
                "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage"
            ],
            vec!["ecr:GetAuthorizationToken"],
            vec!["secretsmanager:GetSecretValue"],
            vec!["logs:CreateLogStream", "logs:PutLogEvents"],
        ]
    );
    assert_eq!(
        exec[0]["Resource"],
        repo["repositories"][0]["repositoryArn"]
    );
    assert_eq!(
        exec[3]["Resource"],
        "arn:aws:logs:ap-northeast-1:123456789012:log-group:/ecs/weather-comment-generator:*"
    );
    // The task role may only send the app's own metrics.
    let task = ecs_role_statements(&moto, &d.physical_id(s, "TaskDefinitionTaskRole"));
    assert_eq!(
        task,
        [serde_json::json!({
            "Effect": "Allow",
            "Action": "cloudwatch:PutMetricData",
            "Resource": "*",
            "Condition": {"StringEquals": {"cloudwatch:namespace": "WeatherCommentGenerator"}}
        })]
    );

    let groups = moto
        .aws(&[
            "logs",
            "describe-log-groups",
            "--log-group-name-prefix",
            "/ecs/weather-comment-generator",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(groups["logGroups"][0]["retentionInDays"], 30);
}

/// Reference E on moto: the network with its S3 endpoint, the sessions
/// bucket, the security groups (Redis's included), the load balancer, the
/// backend's task definition, service, roles and log group, through their
/// APIs. moto skips ElastiCache, the secret and the bucket policy, and
/// ignores CORS and lifecycle rules (crates/formwork-e2e/MOTO-SUPPORT.md); the template tests
/// cover those.
#[test]
fn session_store_deploys_and_its_resources_exist() {
    let Some(moto) = Moto::start("session-store") else {
        return;
    };
    let s = "SessionStore-prod";
    let asm = session_store::app(&Context::new())
        .unwrap()
        .synth()
        .unwrap();
    // moto has no CloudFormation model for `AWS::ElastiCache::CacheCluster`
    // nor `AWS::CloudFront::Distribution`: `Fn::GetAtt` of either in Outputs
    // fails with an HTTP 500 and no stack (crates/formwork-e2e/crates/formwork-e2e/MOTO-SUPPORT.md, "moto raises
    // internal errors"). Only this copy loses the outputs; the example's
    // template keeps them.
    let copy = without_outputs(&asm, s, &["RedisEndpoint", "ImagesDomainName"]);
    // For the same reason the REDIS_URL the stack computes from the
    // cluster's endpoint becomes a literal in this copy.
    let copy = edit_template(&copy, s, |t| {
        let v = &mut t["Resources"]["BackendSecrets"]["Properties"]["SecretString"];
        assert!(v.to_string().contains("Redis.RedisEndpoint.Address"), "{v}");
        *v = serde_json::json!("{\"REDIS_URL\":\"redis://moto:6379/0\"}");
    });
    let d = moto.deploy(&copy, "session-store");
    assert_eq!(d.stack_names(), [s]);

    // The sessions bucket, encrypted, named after the environment.
    let bucket = d.physical_id(s, "SessionsBucket");
    assert_eq!(bucket, "hera-sessions-prod");
    assert_eq!(
        d.output(s, "SessionsBucketName").as_deref(),
        Some("hera-sessions-prod")
    );
    let enc = moto
        .aws(&["s3api", "get-bucket-encryption", "--bucket", &bucket])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        enc["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]
            ["SSEAlgorithm"],
        "AES256"
    );

    // S3 through a gateway endpoint on the private route tables.
    let vpc = d.physical_id(s, "Vpc");
    let endpoints = moto
        .aws(&[
            "ec2",
            "describe-vpc-endpoints",
            "--filters",
            &format!("Name=vpc-id,Values={vpc}"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    let ep = &endpoints["VpcEndpoints"][0];
    assert_eq!(ep["VpcEndpointType"], "Gateway");
    assert_eq!(ep["ServiceName"], "com.amazonaws.ap-northeast-1.s3");
    let mut tables: Vec<String> = ep["RouteTableIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect();
    tables.sort();
    let mut private = vec![
        d.physical_id(s, "VpcPrivateSubnet1RouteTable"),
        d.physical_id(s, "VpcPrivateSubnet2RouteTable"),
    ];
    private.sort();
    assert_eq!(tables, private);

    // Security groups: the load balancer open on 443 and 80, the backend on
    // 8080 from the load balancer only, Redis on 6379 from the backend only.
    let lb_group = d.physical_id(s, "BackendLoadBalancerSecurityGroup");
    let backend_group = d.physical_id(s, "BackendServiceSecurityGroup");
    let redis_group = d.physical_id(s, "RedisSecurityGroup");
    assert_eq!(
        ecs_ingress(&moto, &lb_group),
        ["0.0.0.0/0 443-443", "0.0.0.0/0 80-80"]
    );
    assert_eq!(
        ecs_ingress(&moto, &backend_group),
        [format!("{lb_group} 8080-8080")]
    );
    assert_eq!(
        ecs_ingress(&moto, &redis_group),
        [format!("{backend_group} 6379-6379")]
    );

    // The load balancer in the public subnets, HTTPS to port 8080.
    let lb = d.physical_id(s, "BackendLoadBalancer");
    let lbs = moto
        .aws(&[
            "elbv2",
            "describe-load-balancers",
            "--load-balancer-arns",
            &lb,
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut lb_subnets: Vec<String> = lbs["LoadBalancers"][0]["AvailabilityZones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["SubnetId"].as_str().unwrap().to_owned())
        .collect();
    lb_subnets.sort();
    let mut public = vec![
        d.physical_id(s, "VpcPublicSubnet1Subnet"),
        d.physical_id(s, "VpcPublicSubnet2Subnet"),
    ];
    public.sort();
    assert_eq!(lb_subnets, public);
    let listeners = moto
        .aws(&["elbv2", "describe-listeners", "--load-balancer-arn", &lb])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ports: Vec<(i64, String)> = listeners["Listeners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["Port"].as_i64().unwrap(),
                l["Protocol"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    ports.sort();
    assert_eq!(ports, [(80, "HTTP".to_owned()), (443, "HTTPS".to_owned())]);
    let tg = moto
        .aws(&[
            "elbv2",
            "describe-target-groups",
            "--target-group-arns",
            &d.physical_id(s, "BackendTargetGroup"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(tg["TargetGroups"][0]["Port"], 8080);
    assert_eq!(tg["TargetGroups"][0]["TargetType"], "ip");
    assert_eq!(tg["TargetGroups"][0]["Matcher"]["HttpCode"], "200-499");

    // The backend: family, memory, port, environment with its references
    // resolved, secrets by key, logs.
    let td = ecs_task_definition(&moto, "hera-backend");
    assert_eq!(td["family"], "hera-backend");
    assert_eq!(td["memory"], "1024");
    let c = &td["containerDefinitions"][0];
    assert_eq!(c["name"], "backend");
    assert_eq!(
        c["image"],
        format!(
            "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/formwork-assets:{}",
            asm.assets[0].asset.hash
        )
    );
    assert_eq!(c["portMappings"][0]["containerPort"], 8080);
    let env: Vec<(String, String)> = c["environment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_owned(),
                e["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        env,
        [
            ("STORAGE_MODE".to_owned(), "cloud".to_owned()),
            ("CLOUD_STORAGE_TYPE".to_owned(), "s3".to_owned()),
            ("S3_BUCKET_NAME".to_owned(), "hera-sessions-prod".to_owned()),
            ("AWS_REGION".to_owned(), "ap-northeast-1".to_owned()),
            ("SESSION_TTL".to_owned(), "86400".to_owned()),
        ]
    );
    let secrets: Vec<&str> = c["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(secrets, ["GEMINI_API_KEY", "REDIS_URL"]);
    assert!(
        c["secrets"][1]["valueFrom"]
            .as_str()
            .is_some_and(|v| v.ends_with(":REDIS_URL::"))
    );
    assert_eq!(
        c["logConfiguration"]["options"]["awslogs-group"],
        "/ecs/hera-backend"
    );
    assert_eq!(
        c["logConfiguration"]["options"]["awslogs-stream-prefix"],
        "ecs"
    );
    let cluster = d.physical_id(s, "BackendCluster");
    let svc = moto
        .aws(&[
            "ecs",
            "describe-services",
            "--cluster",
            &cluster,
            "--services",
            &d.physical_id(s, "BackendService"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(svc["services"][0]["desiredCount"], 1);

    // The task role may do exactly four things, on the bucket only.
    let task = ecs_role_statements(&moto, &d.physical_id(s, "BackendTaskDefinitionTaskRole"));
    assert_eq!(
        task,
        [
            serde_json::json!({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                "Resource": "arn:aws:s3:::hera-sessions-prod/*"}),
            serde_json::json!({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::hera-sessions-prod"}),
        ]
    );
    let exec = ecs_role_statements(
        &moto,
        &d.physical_id(s, "BackendTaskDefinitionExecutionRole"),
    );
    assert_eq!(exec.len(), 4);
    assert_eq!(
        exec[0]["Resource"],
        // The backend's image is an asset: deploy builds and pushes it to
        // the account's assets repository.
        "arn:aws:ecr:ap-northeast-1:123456789012:repository/formwork-assets"
    );
    let groups = moto
        .aws(&[
            "logs",
            "describe-log-groups",
            "--log-group-name-prefix",
            "/ecs/hera-backend",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(groups["logGroups"][0]["retentionInDays"], 30);
}
