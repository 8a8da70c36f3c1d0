//! A construct's diagnostics point at the line of user code that made it,
//! through every constructor layer (`#[track_caller]`).
#![cfg(feature = "lambda")]

use formwork_core::{App, Context, Error};
use formwork_l2::lambda::{Code, Function, FunctionProps, Runtime};

#[test]
fn a_lambda_error_points_at_the_users_line() {
    let app = App::with_context(Context::new().with_env("FORMWORK_TODAY", "2026-11-22"));
    let stack = app.stack("S").unwrap();
    let props = FunctionProps::new(Code::inline("exports.handler = async () => 1;"))
        .runtime(Runtime::Nodejs24X)
        .handler("index.handler")
        .memory_mb(64);
    let line = line!() + 1;
    Function::new(&stack, "Handler", props).unwrap();
    let Err(Error::Invalid(ds)) = app.synth() else {
        panic!("memory 64 MB must fail")
    };
    for d in &ds.0 {
        let loc = d.location.as_ref().unwrap_or_else(|| panic!("{d}"));
        assert!(loc.file.ends_with("locations.rs"), "{d}: {loc}");
        assert_eq!(loc.line, line, "{d}");
    }
    let text = formwork_core::diag::render(&ds.0, false);
    assert!(text.contains(&format!("locations.rs:{line}:5\n")), "{text}");
}

#[cfg(feature = "wafv2")]
#[test]
fn a_second_web_acl_association_points_at_the_users_line() {
    use formwork_l2::wafv2::{RateLimit, WafScope, WebAcl, WebAclProps, WebAclTarget};
    let app = App::new();
    let stack = app.stack("S").unwrap();
    let acl = |id: &str| {
        WebAcl::new(
            &stack,
            id,
            WebAclProps::new(WafScope::Regional).rule(RateLimit::per_ip(100)),
        )
        .unwrap()
    };
    let (first, second) = (acl("First"), acl("Second"));
    let stage = || WebAclTarget::rest_api_stage("a1b2c3d4e5", "prod");
    first.associate("Orders", stage()).unwrap();
    let line = line!() + 1;
    second.associate("Orders", stage()).unwrap();
    let Err(Error::Invalid(ds)) = app.synth() else {
        panic!("two web ACLs on one stage must fail")
    };
    assert_eq!(ds.0.len(), 1, "{ds:?}");
    let d = &ds.0[0];
    assert_eq!((d.code, d.path.as_str()), ("FW4714", "S/Second/Orders"));
    let loc = d.location.as_ref().unwrap_or_else(|| panic!("{d}"));
    assert!(loc.file.ends_with("locations.rs"), "{d}: {loc}");
    assert_eq!(loc.line, line, "{d}");
    let text = formwork_core::diag::render(&ds.0, false);
    assert!(
        text.contains(&format!("locations.rs:{line}:12\n")),
        "{text}"
    );
    assert!(
        text.contains("help: keep one association per resource"),
        "{text}"
    );
}
