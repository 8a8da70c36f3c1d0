//! Helpers shared by the unit tests of EC2 and of the constructs that live
//! in a VPC (EFS, ElastiCache).

use formwork_core::{App, Diagnostic, Diagnostics, Stack};
use serde_json::Value as Json;

use super::{Vpc, VpcProps};

/// An app with a stack named `stack` holding a default VPC at `Vpc`.
pub(crate) fn vpc_stack(stack: &str) -> (App, Stack, Vpc) {
    let app = App::new();
    let s = app.stack(stack).unwrap();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
    (app, s, vpc)
}

/// The diagnostics of an app whose synth must fail.
pub(crate) fn failed(app: &App) -> Diagnostics {
    match app.synth() {
        Ok(_) => panic!("synth succeeded but errors were expected"),
        Err(e) => e
            .diagnostics()
            .cloned()
            .expect("synth failed without diagnostics"),
    }
}

/// The diagnostics of an app whose synth must fail, errors and warnings.
pub(crate) fn errors(app: &App) -> Vec<Diagnostic> {
    failed(app).0
}

/// The diagnostics with `code`, in the order they were reported.
pub(crate) fn with_code<'a>(ds: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
    ds.iter().filter(|d| d.code == code).collect()
}

/// The one diagnostic with `code` (panics when there are none or several).
pub(crate) fn one<'a>(d: &'a Diagnostics, code: &'a str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = d.with_code(code).collect();
    assert_eq!(found.len(), 1, "expected one {code}, got:\n{d}");
    found[0]
}

/// The resources of a type in a template, as (logical id, resource).
pub(crate) fn of_type<'a>(t: &'a Json, ty: &str) -> Vec<(&'a str, &'a Json)> {
    t["Resources"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, r)| r["Type"] == ty)
                .map(|(k, r)| (k.as_str(), r))
                .collect()
        })
        .unwrap_or_default()
}
