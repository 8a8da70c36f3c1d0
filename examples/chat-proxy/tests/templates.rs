//! The chat proxy's template: cfn-lint clean, equal to the reviewed
//! snapshots, and holding every value of reference architecture B.

use formwork::lambda::Runtime;
use formwork::{Assembly, Context, Error};
use formwork_test_support::template;
use serde_json::{Value, json};

fn synth(ctx: &Context) -> Assembly {
    match chat_proxy::app(ctx).and_then(|app| app.synth()) {
        Ok(asm) => asm,
        Err(e) => panic!("{e}"),
    }
}

/// The template of the default app: environment `prod`, no account known.
fn prod() -> Value {
    template(&synth(&Context::new()), "ChatProxy-prod")
}

#[test]
fn templates_pass_cfn_lint_and_match_snapshots() {
    let asm = synth(&Context::new());
    assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
    formwork_test_support::check_example("chat-proxy", &asm);
}

#[test]
fn one_stack_named_after_the_environment_in_ap_northeast_1() {
    let asm = synth(&Context::new());
    let names: Vec<&str> = asm.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["ChatProxy-prod"]);
    assert_eq!(asm.stacks[0].env.region.as_deref(), Some("ap-northeast-1"));
    assert_eq!(asm.stacks[0].env.account, None);

    let ctx = Context::new()
        .with_env("SFAI_ENV", "staging")
        .with_env("CDK_DEFAULT_ACCOUNT", "111122223333")
        .with_env("CDK_DEFAULT_REGION", "us-west-2");
    let asm = synth(&ctx);
    assert_eq!(asm.stacks[0].name, "ChatProxy-staging");
    assert_eq!(asm.stacks[0].env.region.as_deref(), Some("us-west-2"));
    assert_eq!(asm.stacks[0].env.account.as_deref(), Some("111122223333"));
    // `-c env=` wins over SFAI_ENV.
    let asm = synth(&ctx.clone().with_value("env", "dev"));
    assert_eq!(asm.stacks[0].name, "ChatProxy-dev");
    // The team's own stack name, kept on request; the template is the same
    // but for the construct paths recorded in each resource's metadata.
    let team = synth(&Context::new().with_value("stack_name", "SfAiProdStack"));
    assert_eq!(team.stacks[0].name, "SfAiProdStack");
    assert_eq!(
        team.stacks[0].template.replace(
            "\"formwork:path\": \"SfAiProdStack/",
            "\"formwork:path\": \"ChatProxy-prod/"
        ),
        synth(&Context::new()).stacks[0].template
    );
    let team = synth(&Context::new().with_env("SFAI_STACK_NAME", "SfAiProdStack"));
    assert_eq!(team.stacks[0].name, "SfAiProdStack");
}

#[test]
fn the_function_is_node24_512_mb_900_s_with_configuration_by_reference() {
    let t = prod();
    let f = &t["Resources"]["ChatCompletionsFunction"];
    assert_eq!(f["Type"], "AWS::Lambda::Function");
    let p = &f["Properties"];
    assert_eq!(p["Runtime"], "nodejs24.x");
    assert_eq!(p["Handler"], "index.handler");
    assert_eq!(p["MemorySize"], 512);
    assert_eq!(p["Timeout"], 900);
    assert_eq!(p["FunctionName"], "sfai-prod-chat-completions");
    let code_key = p["Code"]["S3Key"].as_str().unwrap_or_default();
    assert_eq!(
        code_key.len(),
        "0".repeat(64).len() + ".zip".len(),
        "{code_key}"
    );
    assert_eq!(
        p["Code"]["S3Bucket"],
        json!({"Fn::Sub": "formwork-assets-${AWS::AccountId}-${AWS::Region}"})
    );
    assert_eq!(
        p["Environment"]["Variables"],
        json!({
            "CONFIG_BUCKET_NAME": {"Ref": "ConfigBucket"},
            "MODEL_MAP_KEY": "config/model_map.json",
            "AUDIT_LOG_BUCKET_NAME": {"Ref": "AuditLogBucket"},
            "OPENAI_API_KEY_SECRET_ARN": {"Ref": "OpenAiApiKeySecret"},
            "ANTHROPIC_API_KEY_SECRET_ARN": {"Ref": "AnthropicApiKeySecret"}
        })
    );
    assert_eq!(
        t["Resources"]["ChatCompletionsFunctionLogGroup"]["Properties"],
        json!({"LogGroupName": "/aws/lambda/sfai-prod-chat-completions", "RetentionInDays": 14})
    );
}

#[test]
fn the_function_may_read_config_write_audit_and_read_the_two_secrets_nothing_more() {
    let t = prod();
    let role = &t["Resources"]["ChatCompletionsFunctionServiceRole"]["Properties"];
    assert!(role.get("ManagedPolicyArns").is_none(), "{role}");
    assert_eq!(role["Policies"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        role["Policies"][0]["PolicyDocument"]["Statement"],
        json!([
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${ChatCompletionsFunctionLogGroup}:*"}
            },
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": "${ConfigBucket.Arn}/*"}},
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::GetAtt": ["ConfigBucket", "Arn"]}},
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": {"Fn::Sub": "${AuditLogBucket.Arn}/*"}},
            {
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                "Resource": [{"Ref": "OpenAiApiKeySecret"}, {"Ref": "AnthropicApiKeySecret"}]
            }
        ])
    );
    // No other role in the stack.
    let roles: Vec<&String> = t["Resources"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, r)| r["Type"] == "AWS::IAM::Role")
        .map(|(k, _)| k)
        .collect();
    assert_eq!(roles, ["ChatCompletionsFunctionServiceRole"]);
}

#[test]
fn buckets_are_named_per_environment_and_suffix_with_the_safe_defaults() {
    let t = prod();
    for (id, kind) in [("ConfigBucket", "config"), ("AuditLogBucket", "audit")] {
        let b = &t["Resources"][id];
        assert_eq!(
            b["Properties"]["BucketName"],
            json!({"Fn::Sub": format!("sfai-prod-{kind}-${{AWS::AccountId}}")}),
            "{id}"
        );
        assert_eq!(b["DeletionPolicy"], "Retain");
        assert_eq!(
            b["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
                ["SSEAlgorithm"],
            "AES256"
        );
        assert_eq!(
            b["Properties"]["PublicAccessBlockConfiguration"],
            json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true})
        );
        let policy =
            &t["Resources"][format!("{id}Policy").as_str()]["Properties"]["PolicyDocument"];
        assert_eq!(
            policy["Statement"][0]["Condition"],
            json!({"Bool": {"aws:SecureTransport": "false"}})
        );
    }

    // A known account gives literal names; `-c suffix` wins over SFAI_SUFFIX.
    let ctx = Context::new()
        .with_env("FORMWORK_ACCOUNT", "123456789012")
        .with_env("SFAI_ENV", "dev");
    let t = template(&synth(&ctx), "ChatProxy-dev");
    assert_eq!(
        t["Resources"]["ConfigBucket"]["Properties"]["BucketName"],
        "sfai-dev-config-123456789012"
    );
    let t = template(
        &synth(
            &ctx.clone()
                .with_env("SFAI_SUFFIX", "x9")
                .with_value("suffix", "a1b2"),
        ),
        "ChatProxy-dev",
    );
    assert_eq!(
        t["Resources"]["AuditLogBucket"]["Properties"]["BucketName"],
        "sfai-dev-audit-a1b2"
    );
}

#[test]
fn an_environment_name_that_cannot_name_the_resources_is_a_configuration_error() {
    for bad in ["Prod", "my_env", "-prod", "prod-", "2026"] {
        match chat_proxy::app(&Context::new().with_value("env", bad)) {
            Err(Error::Invalid(ds)) => {
                let d = &ds.0[0];
                assert_eq!((d.code, d.path.as_str()), ("FW0604", "-c env"), "{d}");
                assert_eq!(d.property.as_deref(), Some("env"));
                assert!(d.message.contains(&format!("{bad:?}")), "{d}");
                assert!(
                    d.fix
                        .as_deref()
                        .is_some_and(|f| f.contains("lowercase letters")),
                    "{d}"
                );
            }
            other => panic!("{bad}: expected a configuration error, got {other:?}"),
        }
    }
}

#[test]
fn the_shipped_formwork_toml_is_valid_and_changes_nothing() {
    let ctx = Context::new().with_env("CARGO_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"));
    let loaded = chat_proxy::settings(&ctx).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.file.is_some_and(|f| f.ends_with("formwork.toml")));
    assert_eq!(synth(&ctx), synth(&Context::new()));
}

#[test]
fn a_bad_value_in_formwork_toml_names_the_file_line_and_field() {
    let dir = formwork_test_support::scratch_dir("chat-proxy-config");
    std::fs::write(
        dir.join("formwork.toml"),
        "[env.prod]\nsufix = \"a1\"\n\n[env.dev]\nsuffix = 3\n",
    )
    .unwrap();
    let ctx = Context::new().with_env("CARGO_MANIFEST_DIR", dir.to_string_lossy());
    let Err(Error::Invalid(ds)) = chat_proxy::app(&ctx) else {
        panic!("the file has two mistakes")
    };
    let text = formwork::diag::render(&ds.0, false);
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        text.contains("error[FW0603]: `sufix` is not a setting"),
        "{text}"
    );
    assert!(text.contains("formwork.toml:2:1"), "{text}");
    assert!(text.contains("   = property: env.prod.sufix"), "{text}");
    assert!(text.contains("help: did you mean `suffix`?"), "{text}");
    assert!(text.contains("   = property: env.dev.suffix"), "{text}");
    assert!(
        text.contains("expected a string or a null, found an integer 3"),
        "{text}"
    );
    assert!(text.ends_with("error: 2 errors\n"), "{text}");
}

#[test]
fn the_schema_describes_the_settings() {
    let ctx = Context::new();
    let text = ctx.config_schema_of(chat_proxy::app).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    assert!(schema["properties"]["suffix"].is_object());
    assert!(
        text.contains("\"create\"") && text.contains("\"adopt\""),
        "{text}"
    );
    assert!(schema["$defs"]["EnvironmentSettings"]["properties"]["suffix"].is_object());
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn a_suffix_s3_refuses_is_a_synth_error_from_the_bucket_construct() {
    let ctx = Context::new().with_value("suffix", "Team_A");
    let err = match chat_proxy::app(&ctx).and_then(|a| a.synth()) {
        Ok(_) => panic!("`Team_A` is not valid in a bucket name"),
        Err(e) => e,
    };
    let ds = err.diagnostics().cloned().unwrap_or_default();
    let paths: Vec<&str> = ds.with_code("FW2101").map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "ChatProxy-prod/ConfigBucket",
            "ChatProxy-prod/AuditLogBucket"
        ],
        "{ds}"
    );
    assert!(
        ds.0[0]
            .message
            .contains("bucket name `sfai-prod-config-Team_A` contains `T`"),
        "{ds}"
    );
}

/// The manifest's record of what `deploy` does with the stack's secrets.
fn deploy_secrets(asm: &Assembly) -> Value {
    let manifest: Value = serde_json::from_str(asm.manifest()).expect("the manifest is JSON");
    manifest["stacks"][0]["deploy"]["secrets"].clone()
}

#[test]
fn secrets_are_named_per_environment_and_hold_no_value() {
    let asm = synth(&Context::new());
    let t = template(&asm, "ChatProxy-prod");
    for (id, name) in [
        ("OpenAiApiKeySecret", "/sfai/prod/OPENAI_API_KEY"),
        ("AnthropicApiKeySecret", "/sfai/prod/ANTHROPIC_API_KEY"),
    ] {
        let s = &t["Resources"][id];
        assert_eq!(s["Type"], "AWS::SecretsManager::Secret");
        assert_eq!(s["Properties"]["Name"], name);
        assert!(s["Properties"].get("SecretString").is_none());
        assert!(s["Properties"].get("GenerateSecretString").is_none());
        assert_eq!(s["DeletionPolicy"], "Retain");
    }
    // Their values are in place before the function: `deploy` puts them
    // from the environment right after creating the secrets alone.
    assert_eq!(
        deploy_secrets(&asm),
        json!([
            {
                "path": "ChatProxy-prod/OpenAiApiKeySecret",
                "logicalId": "OpenAiApiKeySecret",
                "name": "/sfai/prod/OPENAI_API_KEY",
                "value": {"env": "OPENAI_API_KEY"}
            },
            {
                "path": "ChatProxy-prod/AnthropicApiKeySecret",
                "logicalId": "AnthropicApiKeySecret",
                "name": "/sfai/prod/ANTHROPIC_API_KEY",
                "value": {"env": "ANTHROPIC_API_KEY"}
            }
        ])
    );
}

/// The team's other way: secrets made beforehand with `create-secret`,
/// adopted by name. The stack creates none, the function may read exactly
/// those two, and `deploy` checks that both exist with a value first.
#[test]
fn secrets_created_beforehand_are_adopted_by_name() {
    let asm = synth(&Context::new().with_value("secrets", "adopt"));
    let t = template(&asm, "ChatProxy-prod");
    let secrets: Vec<&String> = t["Resources"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, r)| r["Type"] == "AWS::SecretsManager::Secret")
        .map(|(k, _)| k)
        .collect();
    assert!(secrets.is_empty(), "{secrets:?}");
    let arn = |key: &str| json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:/sfai/prod/{key}-??????")});
    let statements = &t["Resources"]["ChatCompletionsFunctionServiceRole"]["Properties"]["Policies"]
        [0]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements[4],
        json!({
            "Effect": "Allow",
            "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            "Resource": [arn("OPENAI_API_KEY"), arn("ANTHROPIC_API_KEY")]
        })
    );
    assert_eq!(statements.as_array().map(Vec::len), Some(5));
    assert_eq!(
        deploy_secrets(&asm),
        json!([
            {"path": "ChatProxy-prod/OpenAiApiKeySecret", "adopt": "/sfai/prod/OPENAI_API_KEY"},
            {"path": "ChatProxy-prod/AnthropicApiKeySecret", "adopt": "/sfai/prod/ANTHROPIC_API_KEY"}
        ])
    );
    let dir = formwork_test_support::scratch_dir("chat-proxy-adopt");
    asm.write(&dir).expect("write the assembly");
    let files = [dir.join(&asm.stacks[0].file_name)];
    formwork_test_support::lint_files(&files);
    formwork_test_support::checkov_files(&files);

    let Err(Error::Invalid(ds)) = chat_proxy::app(&Context::new().with_value("secrets", "import"))
    else {
        panic!("`import` is not a way of providing the secrets")
    };
    let text = formwork::diag::render(&ds.0, false);
    assert!(text.contains("secrets"), "{text}");
    assert!(text.contains("create") && text.contains("adopt"), "{text}");
}

#[test]
fn http_api_stage_prod_routes_post_chat_completions_to_the_function() {
    let t = prod();
    let r = &t["Resources"];
    assert_eq!(
        r["ChatApi"]["Properties"],
        json!({
            "Description": "OpenAI-compatible chat completions (API Gateway cuts requests at 30 s)",
            "Name": "sfai-prod-chat",
            "ProtocolType": "HTTP"
        })
    );
    let stages: Vec<&Value> = r
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, v)| v["Type"] == "AWS::ApiGatewayV2::Stage")
        .map(|(_, v)| &v["Properties"]["StageName"])
        .collect();
    assert_eq!(stages, [&json!("prod")]);
    assert_eq!(
        r["ChatApiChatCompletionsRoute"]["Properties"]["RouteKey"],
        "POST /chat/completions"
    );
    assert_eq!(
        r["ChatApiChatCompletionsRouteIntegration"]["Properties"],
        json!({
            "ApiId": {"Ref": "ChatApi"},
            "IntegrationType": "AWS_PROXY",
            "IntegrationUri": {"Fn::GetAtt": ["ChatCompletionsFunction", "Arn"]},
            "PayloadFormatVersion": "2.0"
        })
    );
    assert_eq!(
        r["ChatApiChatCompletionsRoutePermission"]["Properties"]["SourceArn"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ChatApi}/*/POST/chat/completions"})
    );
}

#[test]
fn the_function_url_streams_and_is_public_with_the_key_checked_in_code() {
    let t = prod();
    let r = &t["Resources"];
    assert_eq!(
        r["ChatCompletionsFunctionUrl"]["Properties"],
        json!({
            "AuthType": "NONE",
            "InvokeMode": "RESPONSE_STREAM",
            "TargetFunctionArn": {"Fn::GetAtt": ["ChatCompletionsFunction", "Arn"]}
        })
    );
    assert_eq!(
        r["ChatCompletionsFunctionUrlInvokeFunctionUrl"]["Properties"]["FunctionUrlAuthType"],
        "NONE"
    );
    assert_eq!(
        r["ChatCompletionsFunctionUrlInvokeFunction"]["Properties"]["InvokedViaFunctionUrl"],
        true
    );
}

#[test]
fn exactly_the_five_outputs() {
    let t = prod();
    let outputs = t["Outputs"].as_object().cloned().unwrap_or_default();
    let keys: Vec<&str> = outputs.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "ConfigBucketName",
            "AuditLogBucketName",
            "ChatApiEndpoint",
            "ChatLambdaName",
            "ChatFunctionUrl"
        ]
    );
    let values: Vec<&Value> = outputs.values().map(|o| &o["Value"]).collect();
    assert_eq!(
        values,
        [
            &json!({"Ref": "ConfigBucket"}),
            &json!({"Ref": "AuditLogBucket"}),
            &json!({"Fn::Join": ["", [{"Fn::GetAtt": ["ChatApi", "ApiEndpoint"]}, "/prod"]]}),
            &json!({"Ref": "ChatCompletionsFunction"}),
            &json!({"Fn::GetAtt": ["ChatCompletionsFunctionUrl", "FunctionUrl"]}),
        ]
    );
}

/// What formwork says about the team's `nodejs20.x`: on 2026-11-22 (after
/// the 2026-07-01 update block) a synth error naming the dates and the
/// successor; on 2026-05-15 (deprecated, not yet blocked) a warning. The
/// date comes from the app's context, as `FORMWORK_TODAY` would from the
/// environment of a real run.
#[test]
fn nodejs20_is_a_synth_error_naming_the_date_and_the_successor() {
    let on = |today: &str| Context::new().with_env("FORMWORK_TODAY", today);
    let err = match chat_proxy::app_with_runtime(&on("2026-11-22"), Runtime::Nodejs20X)
        .and_then(|a| a.synth())
    {
        Ok(_) => panic!("nodejs20.x must be refused"),
        Err(e) => e,
    };
    let ds = err.diagnostics().cloned().unwrap_or_default();
    let d: Vec<_> = ds.with_code("FW2201").collect();
    assert_eq!(d.len(), 1, "{ds}");
    assert_eq!(d[0].path, "ChatProxy-prod/ChatCompletionsFunction");
    assert_eq!(d[0].property.as_deref(), Some("Runtime"));
    assert!(
        d[0].message
            .contains("is blocked: AWS refuses to update functions on it since 2026-07-01")
            && d[0].message.contains("since 2026-06-01")
            && d[0].message.contains("its successor is nodejs24.x"),
        "{}",
        d[0]
    );
    assert_eq!(d[0].fix.as_deref(), Some("use nodejs24.x"));

    let asm = chat_proxy::app_with_runtime(&on("2026-05-15"), Runtime::Nodejs20X)
        .and_then(|a| a.synth())
        .unwrap_or_else(|e| panic!("{e}"));
    let d: Vec<_> = asm.warnings.with_code("FW2202").collect();
    assert_eq!(d.len(), 1, "{}", asm.warnings);
    assert!(
        d[0].message.contains("deprecated since 2026-04-30")
            && d[0].message.contains("blocked from 2026-06-01"),
        "{}",
        d[0]
    );
}

#[test]
fn the_published_assertions_read_the_template() {
    use formwork::testing::{Pattern, Template};
    let t = Template::from_assembly(&synth(&Context::new()), "ChatProxy-prod");
    t.resource_count_is("AWS::S3::Bucket", 2);
    let caps = t.has_resource_properties(
        "AWS::S3::Bucket",
        Pattern::object([(
            "BucketName",
            Pattern::object([(
                "Fn::Sub",
                Pattern::glob("sfai-prod-audit-*").captured_as("name"),
            )]),
        )]),
    );
    assert_eq!(caps["name"], "sfai-prod-audit-${AWS::AccountId}");
    assert_eq!(
        t.iam_actions("ChatCompletionsFunctionServiceRole"),
        [
            "logs:CreateLogStream",
            "logs:PutLogEvents",
            "s3:GetObject",
            "s3:ListBucket",
            "s3:PutObject",
            "secretsmanager:DescribeSecret",
            "secretsmanager:GetSecretValue",
        ]
    );
    assert_eq!(
        t.outputs(),
        [
            "ConfigBucketName",
            "AuditLogBucketName",
            "ChatApiEndpoint",
            "ChatLambdaName",
            "ChatFunctionUrl"
        ]
    );
}

#[test]
fn error_rate_and_latency_alarms_notify_the_topic_by_email() {
    let t = template(
        &synth(&Context::new().with_value("alarm_email", "ops@example.com")),
        "ChatProxy-prod",
    );
    let r = &t["Resources"];
    assert_eq!(
        r["AlarmTopic"]["Properties"]["Subscription"],
        json!([{"Endpoint": "ops@example.com", "Protocol": "email"}])
    );
    let rate = &r["ChatErrorRateAlarm"]["Properties"];
    assert_eq!(
        rate["Metrics"][0]["Expression"],
        "100 * errors / MAX([invocations, 1])"
    );
    assert_eq!(rate["Threshold"], 5.0);
    assert_eq!(rate["AlarmActions"], json!([{"Ref": "AlarmTopic"}]));
    let latency = &r["ChatLatencyAlarm"]["Properties"];
    assert_eq!(latency["ExtendedStatistic"], "p95");
    assert_eq!(latency["MetricName"], "Duration");
    assert_eq!(
        latency["Dimensions"],
        json!([{"Name": "FunctionName", "Value": {"Ref": "ChatCompletionsFunction"}}])
    );
    // Without an address the topic has no subscription (nothing to confirm).
    let t = prod();
    assert!(t["Resources"]["AlarmTopic"]["Properties"]["Subscription"].is_null());
}

#[test]
fn the_cost_alert_is_a_monthly_budget_emailing_the_alarm_address() {
    // Without an address there is no subscriber, so no budget.
    assert!(prod()["Resources"].get("MonthlyCostBudget").is_none());
    let ctx = Context::new().with_value("alarm_email", "ops@example.com");
    let asm = synth(&ctx);
    formwork_test_support::lint(&asm, "chat-proxy-budget");
    let t = template(&asm, "ChatProxy-prod");
    let b = &t["Resources"]["MonthlyCostBudget"];
    assert_eq!(b["Type"], "AWS::Budgets::Budget");
    let p = &b["Properties"];
    assert_eq!(p["Budget"]["BudgetName"], "sfai-prod-monthly");
    assert_eq!(
        p["Budget"]["BudgetLimit"]["Amount"],
        chat_proxy::MONTHLY_BUDGET_USD
    );
    assert_eq!(p["Budget"]["TimeUnit"], "MONTHLY");
    let n = &p["NotificationsWithSubscribers"];
    assert_eq!(n[0]["Notification"]["NotificationType"], "ACTUAL");
    assert_eq!(n[0]["Notification"]["Threshold"], 80.0);
    assert_eq!(n[1]["Notification"]["NotificationType"], "FORECASTED");
    assert_eq!(n[1]["Notification"]["Threshold"], 100.0);
    assert_eq!(n[1]["Subscribers"][0]["Address"], "ops@example.com");
}
