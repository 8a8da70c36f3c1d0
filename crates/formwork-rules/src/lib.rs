//! formwork's security rule pack: checks that every synthesized template
//! gets at synth (the `formwork` crate adds the pack to every app it makes).
//!
//! The engine knows no AWS service; these rules do. They read templates as
//! CloudFormation JSON through the engine's rule API
//! ([`formwork_core::rules`]), so they judge L1 resources, L2 constructs and
//! property overrides alike, and each finding names the construct path.
//!
//! | id | severity | finding |
//! |---|---|---|
//! | `FW5001` | error | a literal secret in a Lambda or container environment variable |
//! | `FW5002` | warning | a parameter that looks secret without `NoEcho` |
//! | `FW5003` | error | a secret (`NoEcho`) parameter with a default written in the template |
//! | `FW5004` | error | an SSM `String` parameter holding a secret |
//! | `FW5010` | error | an IAM statement allowing every action (`*`) |
//! | `FW5011` | warning | an IAM statement allowing data actions on every resource (`Resource: "*"`) |
//! | `FW5020` | error | a security group open to the internet on a port other than 80 and 443 |
//! | `FW5030` | error | storage without encryption at rest |
//! | `FW5031` | warning | data in transit without encryption |
//! | `FW5040` | error | a bucket open to the public |
//! | `FW5050` | warning | a public function URL or API route without auth and without a concurrency cap |
//! | `FW5060` | warning | a log group that never expires |
//! | `FW5070` | warning | a load balancer listener serving plain HTTP |
//! | `FW5080` | warning | a mutable image tag where a digest or content-hash tag is possible |
//! | `FW5090` | warning | a stateful resource not retained when the stack lets go of it |
//!
//! `docs/diagnostics.md` gives the fix of each. Suppress one on a construct
//! with a reason: `bucket.cfn().suppress("FW5040", "public website")`.
//!
//! ```
//! use formwork::App;
//! use formwork::ssm::{CfnParameter, parameter::Type};
//! let app = App::new(); // the pack is installed: `formwork::security::install`
//! assert_eq!(app.rules().len(), 1);
//! let stack = app.stack("Demo")?;
//! stack.add("Thing", CfnParameter::new().type_(Type::String).value("on"))?;
//! assert!(app.synth()?.warnings.0.is_empty());
//! # Ok::<(), formwork::Error>(())
//! ```
#![deny(missing_docs)]

mod exposure;
mod iam;
mod images;
mod json;
mod network;
mod retention;
mod secrets;
mod storage;

use std::rc::Rc;

use formwork_core::App;
use formwork_core::rules::{Findings, ParameterView, ResourceView, Rule, TemplateView};

/// The ids of the pack's findings.
pub mod codes {
    /// Error: a literal secret in a Lambda or container environment variable.
    pub const LITERAL_SECRET: &str = "FW5001";
    /// Warning: a parameter whose name looks secret, without `NoEcho`.
    pub const PARAMETER_ECHO: &str = "FW5002";
    /// Error: a secret parameter with a default value in the template.
    pub const PARAMETER_DEFAULT: &str = "FW5003";
    /// Error: an SSM `String` parameter holding a secret.
    pub const SSM_SECRET: &str = "FW5004";
    /// Error: an IAM statement allowing every action.
    pub const IAM_STAR_ACTION: &str = "FW5010";
    /// Warning: an IAM statement allowing data actions on every resource.
    pub const IAM_STAR_RESOURCE: &str = "FW5011";
    /// Error: a security group open to the internet beyond ports 80 and 443.
    pub const OPEN_INGRESS: &str = "FW5020";
    /// Error: storage without encryption at rest.
    pub const UNENCRYPTED_STORAGE: &str = "FW5030";
    /// Warning: data in transit without encryption.
    pub const UNENCRYPTED_TRANSPORT: &str = "FW5031";
    /// Error: a bucket open to the public.
    pub const PUBLIC_BUCKET: &str = "FW5040";
    /// Warning: a public endpoint without auth and without a concurrency cap.
    pub const PUBLIC_ENDPOINT: &str = "FW5050";
    /// Warning: a log group that never expires.
    pub const LOG_RETENTION: &str = "FW5060";
    /// Warning: a load balancer listener serving plain HTTP.
    pub const PLAIN_HTTP: &str = "FW5070";
    /// Warning: a mutable image tag.
    pub const MUTABLE_IMAGE: &str = "FW5080";
    /// Warning: a stateful resource not retained.
    pub const NOT_RETAINED: &str = "FW5090";
}

/// The checkov checks a finding stands for on a resource type: a
/// suppression of the finding also writes `Metadata.checkov.skip` for them.
pub fn checkov_checks(code: &str, resource_type: &str) -> &'static [&'static str] {
    match (code, resource_type) {
        (codes::LITERAL_SECRET, "AWS::Lambda::Function") => &["CKV_AWS_45"],
        (codes::SSM_SECRET, _) => &["CKV_AWS_384"],
        (codes::IAM_STAR_ACTION, _) => &["CKV_AWS_63", "CKV_AWS_62"],
        (codes::IAM_STAR_RESOURCE, _) => &["CKV_AWS_108", "CKV_AWS_111", "CKV_AWS_107"],
        (codes::OPEN_INGRESS, _) => &["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260"],
        (codes::UNENCRYPTED_STORAGE, "AWS::EFS::FileSystem") => &["CKV_AWS_42"],
        (codes::UNENCRYPTED_STORAGE, "AWS::EC2::Volume") => &["CKV_AWS_3"],
        (codes::UNENCRYPTED_STORAGE, "AWS::ElastiCache::ReplicationGroup") => &["CKV_AWS_29"],
        (codes::UNENCRYPTED_STORAGE, "AWS::SQS::Queue") => &["CKV_AWS_27"],
        (codes::UNENCRYPTED_TRANSPORT, "AWS::ElastiCache::ReplicationGroup") => {
            &["CKV_AWS_30", "CKV_AWS_31"]
        }
        (codes::UNENCRYPTED_TRANSPORT, "AWS::CloudFront::Distribution") => &["CKV_AWS_34"],
        (codes::PUBLIC_BUCKET, _) => &[
            "CKV_AWS_53",
            "CKV_AWS_54",
            "CKV_AWS_55",
            "CKV_AWS_56",
            "CKV_AWS_20",
            "CKV_AWS_57",
        ],
        (codes::PUBLIC_ENDPOINT, "AWS::Lambda::Url") => &["CKV_AWS_258"],
        (codes::LOG_RETENTION, _) => &["CKV_AWS_66"],
        (codes::PLAIN_HTTP, _) => &["CKV_AWS_2"],
        (codes::MUTABLE_IMAGE, "AWS::ECR::Repository") => &["CKV_AWS_51"],
        _ => &[],
    }
}

/// The security rule pack, as one rule.
#[derive(Debug, Default, Clone, Copy)]
pub struct SecurityRules;

impl Rule for SecurityRules {
    fn visit_template(&self, t: &TemplateView<'_>, f: &mut Findings) {
        storage::template(t, f);
    }

    fn visit_resource(&self, r: &ResourceView<'_>, f: &mut Findings) {
        // The type, read once for the checks that all start from it.
        let ty = r.type_name();
        secrets::resource(r, ty, f);
        iam::resource(r, ty, f);
        network::resource(r, ty, f);
        storage::resource(r, ty, f);
        exposure::resource(r, ty, f);
        images::resource(r, ty, f);
        retention::resource(r, ty, f);
    }

    fn visit_parameter(&self, p: &ParameterView<'_>, f: &mut Findings) {
        secrets::parameter(p, f);
    }

    fn checkov(&self, code: &str, resource_type: &str) -> &'static [&'static str] {
        checkov_checks(code, resource_type)
    }
}

/// Adds the pack to an app.
pub fn install(app: &App) {
    app.add_shared_rule(Rc::new(SecurityRules));
}
