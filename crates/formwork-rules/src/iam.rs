//! IAM statements that allow too much: every action, or data actions on
//! every resource.

use std::borrow::Cow;

use formwork_core::Diagnostic;
use formwork_core::Value;
use formwork_core::rules::{Findings, ResourceView};

use crate::codes;
use crate::json::{items, lit};

/// Actions that read or change data (a prefix ending in `*` or `:`, or an
/// exact action): on `Resource: "*"` they reach every bucket, table, secret
/// or key of the account.
const DATA_ACTIONS: &[&str] = &[
    "s3:*",
    "s3:Get",
    "s3:Put",
    "s3:Delete",
    "s3:List",
    "dynamodb:",
    "secretsmanager:GetSecretValue",
    "secretsmanager:*",
    "ssm:GetParameter",
    "ssm:*",
    "kms:Decrypt",
    "kms:*",
    "sqs:",
    "sns:Publish",
    "kinesis:",
    "rds-data:",
    "elasticfilesystem:Client",
];

/// Services whose `service:*` reaches data.
const DATA_SERVICES: &[&str] = &[
    "s3",
    "dynamodb",
    "secretsmanager",
    "ssm",
    "kms",
    "sqs",
    "sns",
    "kinesis",
];

/// True when `a` starts with `prefix`, ASCII case ignored (IAM action
/// names are case-insensitive).
fn starts_with_ignore_case(a: &str, prefix: &str) -> bool {
    a.len() >= prefix.len() && a.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn is_data_action(a: &str) -> bool {
    if a == "*" {
        return false;
    }
    DATA_ACTIONS
        .iter()
        .any(|d| starts_with_ignore_case(a, d.strip_suffix('*').unwrap_or(d)))
        || a.ends_with(":*")
            && DATA_SERVICES
                .iter()
                .any(|s| a.len() == s.len() + 2 && starts_with_ignore_case(a, s))
}

/// The policy documents of a resource: `None` for the resource's own
/// `PolicyDocument`, `Some(i)` for `Policies[i].PolicyDocument`. Read as
/// synth holds them (`held`): the rule looks at literal actions and
/// resources alone, so the references in a document need no rendering.
fn documents<'a>(r: &ResourceView<'a>, ty: &str) -> Vec<(Option<usize>, &'a Value)> {
    let mut docs = Vec::new();
    match ty {
        "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => {
            for (i, p) in items(r.held("Policies")).into_iter().enumerate() {
                if let Some(d) = p.get("PolicyDocument") {
                    docs.push((Some(i), d));
                }
            }
        }
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
            if let Some(d) = r.held("PolicyDocument") {
                docs.push((None, d));
            }
        }
        _ => {}
    }
    docs
}

/// The property path of statement `i` of a document (built only for a
/// finding: a `format!` costs thousands of instructions in a debug build).
fn statement_path(doc: Option<usize>, i: usize) -> String {
    match doc {
        Some(p) => format!("Policies[{p}].PolicyDocument.Statement[{i}]"),
        None => format!("PolicyDocument.Statement[{i}]"),
    }
}

pub(crate) fn resource(r: &ResourceView<'_>, ty: &str, f: &mut Findings) {
    for (at, doc) in documents(r, ty) {
        for (i, st) in items(doc.get("Statement")).into_iter().enumerate() {
            if lit(st.get("Effect")).as_deref() != Some("Allow") {
                continue;
            }
            let actions: Vec<Cow<'_, str>> = items(st.get("Action"))
                .into_iter()
                .filter_map(Value::literal_str)
                .collect();
            if actions.iter().any(|a| a == "*") {
                f.report(
                    Diagnostic::error(
                        codes::IAM_STAR_ACTION,
                        r.path(),
                        "a statement allows every action (`Action: \"*\"`): whoever holds the role can do anything the resources allow".to_owned(),
                    )
                    .property(statement_path(at, i))
                    .fix("list the actions the code calls (the L2 grants do: `bucket.grant_read(&function)`)"),
                );
                continue;
            }
            let all_resources = items(st.get("Resource"))
                .into_iter()
                .any(|x| x.literal_str().as_deref() == Some("*"));
            if !all_resources {
                continue;
            }
            let data: Vec<&str> = actions
                .iter()
                .map(|a| a.as_ref())
                .filter(|a| is_data_action(a))
                .collect();
            if !data.is_empty() {
                f.report(
                    Diagnostic::warning(
                        codes::IAM_STAR_RESOURCE,
                        r.path(),
                        format!(
                            "a statement allows {} on every resource (`Resource: \"*\"`): every bucket, table, secret or key of the account",
                            data.join(", ")
                        ),
                    )
                    .property(statement_path(at, i))
                    .fix("name the resources (their ARNs); a grant of an L2 construct does"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_actions() {
        for a in [
            "s3:GetObject",
            "dynamodb:Query",
            "secretsmanager:GetSecretValue",
            "kms:Decrypt",
            "sqs:SendMessage",
            "s3:*",
            "S3:GETOBJECT",
            "SQS:*",
            "Kinesis:*",
        ] {
            assert!(is_data_action(a), "{a}");
        }
        for a in [
            "logs:CreateLogStream",
            "ec2:DescribeNetworkInterfaces",
            "xray:PutTraceSegments",
            "*",
            "Logs:*",
            "s3",
            "ssmx:*",
        ] {
            assert!(!is_data_action(a), "{a}");
        }
    }
}
