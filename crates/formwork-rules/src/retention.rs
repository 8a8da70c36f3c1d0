//! Stateful resources that a stack deletion or a replacement would delete
//! with their data.

use formwork_core::Diagnostic;
use formwork_core::rules::{Findings, ResourceView};

use crate::codes;

/// The types that hold data, and whether `Snapshot` is a policy they take.
const STATEFUL: &[(&str, bool)] = &[
    ("AWS::S3::Bucket", false),
    ("AWS::DynamoDB::Table", true),
    ("AWS::DynamoDB::GlobalTable", false),
    ("AWS::EFS::FileSystem", false),
    ("AWS::RDS::DBInstance", true),
    ("AWS::RDS::DBCluster", true),
    ("AWS::ElastiCache::ReplicationGroup", true),
    ("AWS::ElastiCache::CacheCluster", true),
    ("AWS::SecretsManager::Secret", false),
    ("AWS::KMS::Key", false),
    ("AWS::ECR::Repository", false),
    ("AWS::EC2::Volume", true),
];

pub(crate) fn resource(r: &ResourceView<'_>, f: &mut Findings) {
    let ty = r.type_name();
    let Some((_, snapshot)) = STATEFUL.iter().find(|(t, _)| *t == ty) else {
        return;
    };
    let keeps = |p: Option<&str>| {
        matches!(p, Some("Retain" | "RetainExceptOnCreate")) || (*snapshot && p == Some("Snapshot"))
    };
    if !keeps(r.deletion_policy()) {
        f.report(
            Diagnostic::warning(
                codes::NOT_RETAINED,
                r.path(),
                format!(
                    "{} holds data, and its DeletionPolicy is {}: deleting the stack (or the construct) deletes the data",
                    r.type_name(),
                    r.deletion_policy().unwrap_or("Delete (the default)")
                ),
            )
            .property("DeletionPolicy")
            .fix("apply RemovalPolicy::Retain (or RetainExceptOnCreate); the L2 constructs do by default"),
        );
    }
}
