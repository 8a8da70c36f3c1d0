//! Helpers shared by the EC2 unit tests.

use formwork_core::{App, Diagnostic, Diagnostics};
use serde_json::Value as Json;

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
