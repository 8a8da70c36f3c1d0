use super::*;
use serde_json::json;

fn sample() -> Template {
    Template::from_json(json!({
        "Resources": {
            "Data": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain",
                     "Properties": {"BucketName": "app-data", "VersioningConfiguration": {"Status": "Enabled"}}},
            "Logs": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "app-logs"}},
            "FnRole": {"Type": "AWS::IAM::Role", "Properties": {}},
        },
        "Outputs": {"DataName": {"Value": {"Ref": "Data"}}}
    }))
}

fn panic_text(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let e = std::panic::catch_unwind(f).expect_err("the assertion must fail");
    e.downcast_ref::<String>().cloned().unwrap_or_default()
}

#[test]
fn finds_counts_and_reads_outputs() {
    let t = sample();
    t.resource_count_is("AWS::S3::Bucket", 2);
    assert_eq!(t.count("AWS::IAM::Role"), 1);
    let found = t.find_resources(
        "AWS::S3::Bucket",
        Pattern::object([("BucketName", Pattern::glob("app-*"))]),
    );
    assert_eq!(found.len(), 2);
    t.has_resource("AWS::S3::Bucket", json!({"DeletionPolicy": "Retain"}));
    assert_eq!(t.outputs(), ["DataName"]);
    let c = t.has_output(
        "DataName",
        Pattern::object([("Ref", Pattern::capture("id"))]),
    );
    assert_eq!(c["id"], "Data");
    assert!(t.iam_actions("FnRole").is_empty());
}

#[test]
fn a_failure_shows_the_closest_resource_and_the_difference() {
    let t = sample();
    let text = panic_text(|| {
        t.has_resource_properties(
            "AWS::S3::Bucket",
            json!({"BucketName": "app-data", "VersioningConfiguration": {"Status": "Suspended"}}),
        );
    });
    assert!(text.contains("the closest is `Data`"), "{text}");
    assert!(
        text.contains("VersioningConfiguration.Status: expected \"Suspended\", found \"Enabled\""),
        "{text}"
    );
    let text = panic_text(|| sample().resource_count_is("AWS::S3::Bucket", 1));
    assert_eq!(text, "expected 1 AWS::S3::Bucket, found 2: Data, Logs");
    let text = panic_text(|| {
        sample().has_resource_properties("AWS::SQS::Queue", json!({}));
    });
    assert!(text.contains("AWS::IAM::Role, AWS::S3::Bucket"), "{text}");
    let text = panic_text(|| {
        sample().resource("Dta");
    });
    assert!(text.contains("did you mean `Data`?"), "{text}");
}

#[test]
fn redaction() {
    let h = "a".repeat(64);
    assert_eq!(redact_hashes(&format!("x/{h}.zip")), "x/[hash].zip");
    assert_eq!(redact_hashes("deadbeef"), "deadbeef");
    assert_eq!(redact("a b a", "a", "x"), "[x] b [x]");
}
