//! media-search's templates: cfn-lint clean, equal to the reviewed
//! snapshots, and holding every value of reference architecture A.

use formwork::{Assembly, Context};
use formwork_test_support::template;
use serde_json::{Value, json};

fn pinned() -> Context {
    Context::new()
}

fn synth(ctx: &Context) -> Assembly {
    match media_search::app(ctx).and_then(|app| app.synth()) {
        Ok(asm) => asm,
        Err(e) => panic!("{e}"),
    }
}

fn main_stack() -> Value {
    template(&synth(&pinned()), "MediaSearch")
}

/// The logical ids of the resources of a type.
/// The logical ids of the resources of a type.
fn of_type(t: &Value, ty: &str) -> Vec<String> {
    formwork::testing::resources_of_type(t, ty)
        .into_iter()
        .map(|(id, _)| id.to_owned())
        .collect()
}

#[test]
fn templates_pass_cfn_lint_and_match_snapshots() {
    let asm = synth(&pinned());
    assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
    formwork_test_support::check_example("media-search", &asm);
}

#[test]
fn the_repository_stack_deploys_first_in_ap_northeast_1() {
    let asm = synth(&pinned());
    let names: Vec<&str> = asm.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["MediaSearchRepository", "MediaSearch"]);
    assert_eq!(asm.stacks[1].dependencies, ["MediaSearchRepository"]);
    for s in &asm.stacks {
        assert_eq!(s.env.region.as_deref(), Some("ap-northeast-1"));
    }
    let repo = template(&asm, "MediaSearchRepository");
    assert_eq!(of_type(&repo, "AWS::ECR::Repository"), ["Repository"]);
    assert_eq!(
        repo["Resources"]["Repository"]["Properties"]["RepositoryName"],
        "media-search"
    );
    assert_eq!(
        repo["Outputs"]["RepositoryUri"]["Value"],
        json!({"Fn::GetAtt": ["Repository", "RepositoryUri"]})
    );
    let ctx = pinned().with_env("FORMWORK_REGION", "eu-west-1");
    assert_eq!(
        synth(&ctx).stacks[1].env.region.as_deref(),
        Some("eu-west-1")
    );
}

#[test]
fn the_search_function_runs_the_built_image_and_reads_the_data_bucket() {
    let asm = synth(&pinned());
    let hash = asm.assets[0].asset.hash.clone();
    let t = template(&asm, "MediaSearch");
    assert_eq!(of_type(&t, "AWS::Lambda::Function"), ["SearchFunction"]);
    let f = &t["Resources"]["SearchFunction"]["Properties"];
    assert_eq!(f["PackageType"], "Image");
    assert_eq!(
        f["Code"]["ImageUri"],
        json!({"Fn::Sub": [
            format!("${{ExportRepositoryRepositoryUri}}:{hash}"),
            {"ExportRepositoryRepositoryUri": {"Fn::ImportValue": "MediaSearchRepository:Repository:RepositoryUri"}}
        ]})
    );
    assert!(f.get("Runtime").is_none() && f.get("Handler").is_none());
    assert_eq!(f["MemorySize"], 4096);
    assert_eq!(f["Timeout"], 120);
    assert_eq!(f["Architectures"], json!(["x86_64"]));
    assert_eq!(
        f["Environment"]["Variables"],
        json!({"DATA_BUCKET_NAME": {"Ref": "DataBucket"}, "DATA_PREFIX": "data/"})
    );
    // The role: its logs, and a read of the data bucket; nothing else.
    let statements = &t["Resources"]["SearchFunctionServiceRole"]["Properties"]["Policies"][0]["PolicyDocument"]
        ["Statement"];
    assert_eq!(
        statements,
        &json!([
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${SearchFunctionLogGroup}:*"}
            },
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": "${DataBucket.Arn}/*"}},
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::GetAtt": ["DataBucket", "Arn"]}}
        ])
    );
    assert!(
        t["Resources"]["SearchFunctionServiceRole"]["Properties"]
            .get("ManagedPolicyArns")
            .is_none()
    );
}

#[test]
fn the_function_url_is_public_with_cors_for_the_frontend_only() {
    let t = main_stack();
    let url = &t["Resources"]["SearchFunctionUrl"]["Properties"];
    assert_eq!(url["AuthType"], "NONE");
    assert_eq!(
        url["Cors"],
        json!({
            "AllowHeaders": ["content-type"],
            "AllowMethods": ["GET", "POST"],
            "AllowOrigins": [{"Fn::Sub": "https://${FrontendDistribution.DomainName}"}],
            "MaxAge": 300
        })
    );
    assert_eq!(
        of_type(&t, "AWS::Lambda::Permission"),
        [
            "SearchFunctionUrlInvokeFunctionUrl",
            "SearchFunctionUrlInvokeFunction"
        ]
    );
}

#[test]
fn the_data_bucket_is_private_and_goes_with_the_stack() {
    let t = main_stack();
    let b = &t["Resources"]["DataBucket"];
    assert_eq!(b["DeletionPolicy"], "Delete");
    assert_eq!(
        b["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
            ["SSEAlgorithm"],
        "AES256"
    );
    assert_eq!(
        b["Properties"]["PublicAccessBlockConfiguration"],
        json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true})
    );
    // Only the TLS-only deny: nobody but the function's role reads it.
    let statements =
        &t["Resources"]["DataBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(statements.as_array().map(Vec::len), Some(1));
    assert_eq!(statements[0]["Effect"], "Deny");
}

#[test]
fn the_frontend_is_a_private_bucket_behind_cloudfront_with_oac_https_and_index_html() {
    let t = main_stack();
    assert_eq!(
        of_type(&t, "AWS::S3::Bucket"),
        ["DataBucket", "FrontendBucket"]
    );
    let bucket = &t["Resources"]["FrontendBucket"];
    assert_eq!(bucket["DeletionPolicy"], "Retain");
    assert_eq!(
        bucket["Properties"]["PublicAccessBlockConfiguration"]["BlockPublicPolicy"],
        true
    );
    // Origin access control, always signing with SigV4, for an S3 origin.
    assert_eq!(
        of_type(&t, "AWS::CloudFront::OriginAccessControl"),
        ["FrontendDistributionOriginAccessControl"]
    );
    let oac = &t["Resources"]["FrontendDistributionOriginAccessControl"]["Properties"]["OriginAccessControlConfig"];
    assert_eq!(oac["OriginAccessControlOriginType"], "s3");
    assert_eq!(oac["SigningBehavior"], "always");
    assert_eq!(oac["SigningProtocol"], "sigv4");
    let config = &t["Resources"]["FrontendDistribution"]["Properties"]["DistributionConfig"];
    assert_eq!(
        config["Origins"],
        json!([{
            "DomainName": {"Fn::GetAtt": ["FrontendBucket", "RegionalDomainName"]},
            "Id": "Bucket",
            "OriginAccessControlId": {"Fn::GetAtt": ["FrontendDistributionOriginAccessControl", "Id"]},
            "S3OriginConfig": {"OriginAccessIdentity": ""}
        }])
    );
    assert_eq!(config["DefaultRootObject"], "index.html");
    assert_eq!(
        config["DefaultCacheBehavior"]["ViewerProtocolPolicy"],
        "redirect-to-https"
    );
    assert_eq!(config["DefaultCacheBehavior"]["TargetOriginId"], "Bucket");
    assert_eq!(config["PriceClass"], "PriceClass_200");
    assert!(config.get("CacheBehaviors").is_none());
    // The bucket policy lets this distribution, and only it, read the objects.
    let statements =
        &t["Resources"]["FrontendBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements[1],
        json!({
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": {"Fn::Sub": "${FrontendBucket.Arn}/*"},
            "Condition": {"StringEquals": {"AWS:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${FrontendDistribution}"}}}
        })
    );
}

#[test]
fn the_outputs_name_what_the_deploy_steps_need() {
    let asm = synth(&pinned());
    let t = template(&asm, "MediaSearch");
    let keys: Vec<&str> = t["Outputs"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "FrontendBucketName",
            "FrontendDistributionId",
            "FrontendDomainName",
            "DataBucketName",
            "SearchFunctionUrl",
            "SearchFunctionName",
            "SiteUrl"
        ]
    );
    assert_eq!(
        t["Outputs"]["FrontendDistributionId"]["Value"],
        json!({"Ref": "FrontendDistribution"})
    );
    assert_eq!(
        t["Outputs"]["SearchFunctionUrl"]["Value"],
        json!({"Fn::GetAtt": ["SearchFunctionUrl", "FunctionUrl"]})
    );
}

#[test]
fn the_image_data_and_site_are_assets_published_in_order() {
    let asm = synth(&pinned());
    let m: Value = serde_json::from_str(asm.manifest()).expect("manifest");
    let a = &m["assets"];
    assert_eq!(a.as_array().map(Vec::len), Some(3), "{a}");
    assert_eq!(a[0]["kind"], "image");
    assert_eq!(a[0]["source"], "search");
    assert_eq!(a[0]["platform"], "linux/amd64");
    assert_eq!(a[0]["destination"]["stack"], "MediaSearchRepository");
    assert_eq!(a[0]["destination"]["repository"], "media-search");
    assert_eq!(a[1]["kind"], "files");
    assert_eq!(a[1]["source"], "data_preparation/extracted_data");
    assert_eq!(
        a[1]["destination"],
        json!({"type": "bucket", "stack": "MediaSearch", "bucketLogicalId": "DataBucket", "prefix": "data/", "deleteRemoved": true, "invalidate": []})
    );
    assert_eq!(a[2]["source"], "frontend");
    assert_eq!(
        a[2]["build"],
        json!({"command": "npm ci && npm run build", "output": "dist"})
    );
    assert_eq!(
        a[2]["destination"]["invalidate"],
        json!([{"stack": "MediaSearch", "distributionLogicalId": "FrontendDistribution"}])
    );
    assert_eq!(
        template(&asm, "MediaSearchRepository")["Resources"]["Repository"]["Properties"]["ImageTagMutability"],
        "IMMUTABLE"
    );
}
