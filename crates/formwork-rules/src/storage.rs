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

/// Buckets without a policy that refuses requests without TLS.
pub(crate) fn template(t: &TemplateView<'_>, f: &mut Findings) {
    let secured: Vec<&str> = t
        .resources()
        .filter(|r| r.type_name() == "AWS::S3::BucketPolicy")
        .filter(|r| {
            r.property("PolicyDocument")
                .is_some_and(|d| mentions(d, "aws:SecureTransport"))
        })
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
