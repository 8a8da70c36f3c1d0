//! Storage: encryption at rest and in transit, and buckets open to the public.

use formwork_core::Diagnostic;
use formwork_core::Value;
use formwork_core::rules::{Findings, ResourceView, TemplateView};

use crate::codes;
use crate::json::{bool_of, mentions, str_of, target};

fn at_rest(r: &ResourceView<'_>, f: &mut Findings, property: &str, what: &str) {
    if bool_of(r.property(property)) == Some(true) {
        return;
    }
    if r.property(property).is_some_and(crate::json::is_dynamic) {
        return;
    }
    f.report(
        Diagnostic::error(
            codes::UNENCRYPTED_STORAGE,
            r.path(),
            format!("{what} is not encrypted at rest (`{property}` is not true)"),
        )
        .property(property)
        .fix(format!(
            "set `{property}: true` (the L2 construct's default)"
        )),
    );
}

fn in_transit(r: &ResourceView<'_>, f: &mut Findings, property: &str, what: &str) {
    if bool_of(r.property(property)) == Some(true)
        || r.property(property).is_some_and(crate::json::is_dynamic)
    {
        return;
    }
    f.report(
        Diagnostic::warning(
            codes::UNENCRYPTED_TRANSPORT,
            r.path(),
            format!("{what} accepts connections without TLS (`{property}` is not true)"),
        )
        .property(property)
        .fix(format!("set `{property}: true` and connect with TLS")),
    );
}

pub(crate) fn resource(r: &ResourceView<'_>, ty: &str, f: &mut Findings) {
    match ty {
        "AWS::EFS::FileSystem" => at_rest(r, f, "Encrypted", "the file system"),
        "AWS::EC2::Volume" => at_rest(r, f, "Encrypted", "the volume"),
        "AWS::ElastiCache::ReplicationGroup" => {
            at_rest(r, f, "AtRestEncryptionEnabled", "the replication group");
            in_transit(r, f, "TransitEncryptionEnabled", "the replication group");
        }
        "AWS::ElastiCache::CacheCluster" => {
            in_transit(r, f, "TransitEncryptionEnabled", "the cache cluster");
        }
        "AWS::SQS::Queue"
            if bool_of(r.property("SqsManagedSseEnabled")) == Some(false)
                && r.property("KmsMasterKeyId").is_none() =>
        {
            f.report(
                    Diagnostic::error(
                        codes::UNENCRYPTED_STORAGE,
                        r.path(),
                        "the queue's messages are not encrypted at rest (SqsManagedSseEnabled is false and no KMS key is set)",
                    )
                    .property("SqsManagedSseEnabled")
                    .fix("remove `SqsManagedSseEnabled: false`, or set a KMS key"),
                );
        }
        "AWS::CloudFront::Distribution" => {
            let behaviors = r
                .property("DistributionConfig.DefaultCacheBehavior")
                .into_iter()
                .chain(
                    r.property("DistributionConfig.CacheBehaviors")
                        .and_then(Value::as_list)
                        .into_iter()
                        .flatten(),
                );
            if behaviors
                .into_iter()
                .any(|b| str_of(b.get("ViewerProtocolPolicy")) == Some("allow-all"))
            {
                f.report(
                    Diagnostic::warning(
                        codes::UNENCRYPTED_TRANSPORT,
                        r.path(),
                        "the distribution serves plain HTTP to viewers (`ViewerProtocolPolicy: allow-all`)",
                    )
                    .property("DistributionConfig")
                    .fix("use `redirect-to-https` or `https-only`"),
                );
            }
        }
        "AWS::S3::Bucket" => public_bucket(r, f),
        _ => {}
    }
}

/// The four settings of a bucket's public access block, with their paths.
const PUBLIC_ACCESS_BLOCK: [(&str, &str); 4] = [
    (
        "BlockPublicAcls",
        "PublicAccessBlockConfiguration.BlockPublicAcls",
    ),
    (
        "BlockPublicPolicy",
        "PublicAccessBlockConfiguration.BlockPublicPolicy",
    ),
    (
        "IgnorePublicAcls",
        "PublicAccessBlockConfiguration.IgnorePublicAcls",
    ),
    (
        "RestrictPublicBuckets",
        "PublicAccessBlockConfiguration.RestrictPublicBuckets",
    ),
];

fn public_bucket(r: &ResourceView<'_>, f: &mut Findings) {
    let acl = str_of(r.property("AccessControl"));
    if let Some(a @ ("PublicRead" | "PublicReadWrite" | "AuthenticatedRead")) = acl {
        f.report(
            Diagnostic::error(
                codes::PUBLIC_BUCKET,
                r.path(),
                format!("the bucket's ACL is {a}: its objects are readable by anyone"),
            )
            .property("AccessControl")
            .fix("keep the bucket private and serve it through CloudFront with origin access control"),
        );
    }
    let mut off: Vec<&str> = Vec::new();
    for (k, path) in PUBLIC_ACCESS_BLOCK {
        if bool_of(r.property(path)) == Some(false) {
            off.push(k);
        }
    }
    if !off.is_empty() {
        f.report(
            Diagnostic::error(
                codes::PUBLIC_BUCKET,
                r.path(),
                format!(
                    "the bucket's public access block is off ({}): a policy or ACL can make it public",
                    off.join(", ")
                ),
            )
            .property("PublicAccessBlockConfiguration")
            .fix("turn all four settings on (the Bucket construct's default)"),
        );
    }
}

/// The condition key a policy refusing requests without TLS names.
const SECURE_TRANSPORT: &str = "aws:SecureTransport";

/// How many statements [`refuses_plain_http`] looks at before it reads the
/// whole document.
const STATEMENTS_READ_ALONE: usize = 8;

/// True when a bucket policy's document mentions `aws:SecureTransport`
/// (a key or a string anywhere in it).
///
/// The statements' conditions are read first, one by one: they are
/// literal, so at synth they are read without rendering, whereas the whole
/// document has intrinsics (the bucket's ARN) and is rendered to be read.
/// A mention there is a mention in the document; when none is found
/// there, the whole document is searched.
fn refuses_plain_http(r: &ResourceView<'_>) -> bool {
    let mut path = String::from("PolicyDocument.Statement.");
    let at = path.len();
    for i in 0..STATEMENTS_READ_ALONE {
        path.truncate(at);
        push_index(&mut path, i);
        let statement = path.len();
        path.push_str(".Condition");
        match r.property(&path) {
            Some(c) if mentions(c, SECURE_TRANSPORT) => return true,
            Some(_) => {}
            None => {
                path.truncate(statement);
                path.push_str(".Effect");
                if r.property(&path).is_none() {
                    break;
                }
            }
        }
    }
    r.property("PolicyDocument")
        .is_some_and(|d| mentions(d, SECURE_TRANSPORT))
}

/// Pushes `i` (below 100) in decimal.
fn push_index(path: &mut String, i: usize) {
    if i >= 10 {
        path.push(char::from(b'0' + (i / 10 % 10) as u8));
    }
    path.push(char::from(b'0' + (i % 10) as u8));
}

/// Buckets without a policy that refuses requests without TLS.
pub(crate) fn template(t: &TemplateView<'_>, f: &mut Findings) {
    let secured: Vec<&str> = t
        .resources()
        .filter(|r| r.type_name() == "AWS::S3::BucketPolicy")
        .filter(refuses_plain_http)
        .filter_map(|r| r.property("Bucket").and_then(target))
        .collect();
    for r in t.resources().filter(|r| r.type_name() == "AWS::S3::Bucket") {
        if !secured.contains(&r.logical_id) {
            f.report_on(
                r.logical_id,
                Diagnostic::warning(
                    codes::UNENCRYPTED_TRANSPORT,
                    r.path(),
                    "no bucket policy refuses requests without TLS (`aws:SecureTransport`)",
                )
                .fix("add a bucket policy denying `aws:SecureTransport: false` (the Bucket construct's default)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// Random policy documents: statements with and without conditions,
    /// the condition key in a condition, elsewhere (a `Sid`, a resource,
    /// an intrinsic's text) or nowhere, statements as a list or one object.
    fn document(seed: &mut u64) -> serde_json::Value {
        use serde_json::json;
        let mut next = |n: u64| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            *seed % n
        };
        let mut statements = Vec::new();
        for _ in 0..next(12) {
            let mut st = serde_json::Map::new();
            if next(10) > 0 {
                st.insert("Effect".into(), json!(["Deny", "Allow"][next(2) as usize]));
            }
            match next(6) {
                0 => {
                    st.insert(
                        "Condition".into(),
                        json!({"Bool": {SECURE_TRANSPORT: "false"}}),
                    );
                }
                1 => {
                    st.insert(
                        "Condition".into(),
                        json!({"StringEquals": {"aws:SourceVpc": "vpc-1"}}),
                    );
                }
                2 => {
                    st.insert("Sid".into(), json!(format!("x{SECURE_TRANSPORT}")));
                }
                3 => {
                    st.insert(
                        "Resource".into(),
                        json!({"Fn::Sub": format!("${{B.Arn}}/{SECURE_TRANSPORT}")}),
                    );
                }
                _ => {}
            }
            st.insert("Action".into(), json!("s3:*"));
            statements.push(serde_json::Value::Object(st));
        }
        let statement = if statements.len() == 1 && next(2) == 0 {
            statements.remove(0)
        } else {
            serde_json::Value::Array(statements)
        };
        json!({"Version": "2012-10-17", "Statement": statement})
    }

    #[test]
    fn conditions_read_first_answer_as_the_whole_document() {
        let mut seed = 0x2545_F491_4F6C_DD1D_u64;
        let (mut yes, mut no) = (0, 0);
        for case in 0..3000 {
            let doc = document(&mut seed);
            let template = Value::from(serde_json::json!({"Resources": {"P": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {"Bucket": {"Ref": "B"}, "PolicyDocument": doc.clone()}
            }}}));
            let paths = HashMap::new();
            let t = TemplateView::new("S", None, &template, &paths);
            let r = t.resource("P").expect("the policy");
            let expected = mentions(&Value::from(doc.clone()), SECURE_TRANSPORT);
            assert_eq!(refuses_plain_http(&r), expected, "case {case}: {doc}");
            if expected {
                yes += 1;
            } else {
                no += 1;
            }
        }
        assert!(yes > 300 && no > 300, "{yes} {no}");
        let mut p = String::new();
        for i in [0, 7, 10, 42, 99] {
            p.clear();
            push_index(&mut p, i);
            assert_eq!(p, i.to_string());
        }
    }
}
