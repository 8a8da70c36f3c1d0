//! Helpers shared by the API Gateway v2 unit tests.

use formwork_core::{App, Diagnostic, Diagnostics, Stack};

use crate::lambda::{Code, Function, FunctionProps, Runtime};

/// An app with one stack `S`.
pub(crate) fn stack() -> (App, Stack) {
    let app = App::new();
    let s = app.stack("S").expect("stack");
    (app, s)
}

/// A small Node.js function at `S/<id>`.
pub(crate) fn function(s: &Stack, id: &str) -> Function {
    Function::new(
        s,
        id,
        FunctionProps::new(Code::inline(
            "exports.handler = async () => ({ statusCode: 200, body: 'ok' });",
        ))
        .runtime(Runtime::Nodejs24X)
        .handler("index.handler"),
    )
    .expect("function")
}

pub(crate) use formwork_test_support::failed;

/// The one diagnostic with `code`, checked for severity, path and property.
pub(crate) fn one_error(ds: &Diagnostics, code: &str, path: &str, property: &str) -> Diagnostic {
    let found: Vec<&Diagnostic> = ds.with_code(code).collect();
    assert_eq!(found.len(), 1, "expected one {code}, got:\n{ds}");
    let d = found[0].clone();
    assert!(d.is_error(), "{d}");
    assert_eq!(d.path, path, "{d}");
    assert_eq!(d.property.as_deref(), Some(property), "{d}");
    d
}
