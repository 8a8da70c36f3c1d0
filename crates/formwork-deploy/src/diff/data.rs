//! Resources that hold data, and what happens to that data when a change
//! deletes or replaces them.

use serde_json::Value as Json;

/// The resource types whose deletion loses data.
pub const STATEFUL_TYPES: &[&str] = &[
    "AWS::S3::Bucket",
    "AWS::EFS::FileSystem",
    "AWS::SecretsManager::Secret",
    "AWS::ECR::Repository",
    "AWS::Logs::LogGroup",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElastiCache::ServerlessCache",
    "AWS::DynamoDB::Table",
    "AWS::DynamoDB::GlobalTable",
    "AWS::SQS::Queue",
    "AWS::KMS::Key",
    "AWS::Cognito::UserPool",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster",
    "AWS::Kinesis::Stream",
    "AWS::Backup::BackupVault",
];

/// True when deleting a resource of this type loses data.
pub fn is_stateful(type_name: &str) -> bool {
    STATEFUL_TYPES.contains(&type_name)
}

/// What happens to the data of a deleted or replaced resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// `Retain`/`RetainExceptOnCreate`: kept, and orphaned (no stack manages it).
    Kept,
    /// `Snapshot`: deleted after a final snapshot.
    Snapshot,
    /// `Delete`: the data is gone.
    Destroyed,
}

impl Fate {
    /// The word in the diff.
    pub fn as_str(self) -> &'static str {
        match self {
            Fate::Kept => "kept (orphaned: no longer managed by the stack)",
            Fate::Snapshot => "deleted after a snapshot",
            Fate::Destroyed => "DESTROYED",
        }
    }

    /// The word in `--json`.
    pub fn key(self) -> &'static str {
        match self {
            Fate::Kept => "kept",
            Fate::Snapshot => "snapshot",
            Fate::Destroyed => "destroyed",
        }
    }
}

/// The fate of a resource's data under the policy attribute `policy`
/// (`DeletionPolicy` for a removal, `UpdateReplacePolicy` for a
/// replacement), with CloudFormation's defaults.
pub fn fate(resource: &Json, policy: &str) -> Fate {
    let ty = resource
        .get("Type")
        .and_then(Json::as_str)
        .unwrap_or_default();
    match resource.get(policy).and_then(Json::as_str) {
        Some("Retain" | "RetainExceptOnCreate") => Fate::Kept,
        Some("Snapshot") => Fate::Snapshot,
        Some(_) => Fate::Destroyed,
        None => {
            // CloudFormation snapshots these by default when removed
            // (a DB instance only when it is not part of a cluster).
            let in_cluster = resource
                .pointer("/Properties/DBClusterIdentifier")
                .is_some();
            if policy == "DeletionPolicy"
                && (ty == "AWS::RDS::DBCluster" || (ty == "AWS::RDS::DBInstance" && !in_cluster))
            {
                Fate::Snapshot
            } else {
                Fate::Destroyed
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn policies_decide_the_fate() {
        let b = |p: Json| json!({"Type": "AWS::S3::Bucket", "DeletionPolicy": p});
        assert_eq!(fate(&b(json!("Retain")), "DeletionPolicy"), Fate::Kept);
        assert_eq!(
            fate(&b(json!("RetainExceptOnCreate")), "DeletionPolicy"),
            Fate::Kept
        );
        assert_eq!(fate(&b(json!("Delete")), "DeletionPolicy"), Fate::Destroyed);
        assert_eq!(
            fate(&json!({"Type": "AWS::S3::Bucket"}), "DeletionPolicy"),
            Fate::Destroyed
        );
        assert_eq!(
            fate(&json!({"Type": "AWS::RDS::DBCluster"}), "DeletionPolicy"),
            Fate::Snapshot
        );
        assert_eq!(
            fate(&b(json!("Retain")), "UpdateReplacePolicy"),
            Fate::Destroyed
        );
        assert!(is_stateful("AWS::EFS::FileSystem"));
        assert!(!is_stateful("AWS::IAM::Role"));
    }
}
