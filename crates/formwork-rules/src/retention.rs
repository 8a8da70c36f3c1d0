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

/// Whether `ty` holds data, and then whether it takes `Snapshot` (a plain
/// loop, lengths first: every resource of every stack is looked up here).
fn stateful(ty: &str) -> Option<bool> {
    let mut rest = STATEFUL;
    while let [(t, snapshot), tail @ ..] = rest {
        if t.len() == ty.len() && *t == ty {
            return Some(*snapshot);
        }
        rest = tail;
    }
    None
}

pub(crate) fn resource(r: &ResourceView<'_>, ty: &str, f: &mut Findings) {
    let Some(snapshot) = stateful(ty) else {
        return;
    };
    let keeps = |p: Option<&str>| {
        matches!(p, Some("Retain" | "RetainExceptOnCreate")) || (snapshot && p == Some("Snapshot"))
    };
    if !keeps(r.deletion_policy()) {
        f.report(
            Diagnostic::warning(
                codes::NOT_RETAINED,
                r.path(),
                format!(
                    "{} holds data, and its DeletionPolicy is {}: deleting the stack (or the construct) deletes the data",
                    ty,
                    r.deletion_policy().unwrap_or("Delete (the default)")
                ),
            )
            .property("DeletionPolicy")
            .fix("apply RemovalPolicy::Retain (or RetainExceptOnCreate); the L2 constructs do by default"),
        );
    }
}
