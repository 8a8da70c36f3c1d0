//! Helpers shared by the unit tests of EC2 and of the constructs that live
//! in a VPC (EFS, ElastiCache).

use formwork_core::{App, Diagnostic, Stack};

use super::{Vpc, VpcProps};

/// An app with a stack named `stack` holding a default VPC at `Vpc`.
pub(crate) fn vpc_stack(stack: &str) -> (App, Stack, Vpc) {
    let app = App::new();
    let s = app.stack(stack).unwrap();
    let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
    (app, s, vpc)
}

pub(crate) use formwork_test_support::{failed, of_type, one, with_code};

/// The diagnostics of an app whose synth must fail, errors and warnings.
pub(crate) fn errors(app: &App) -> Vec<Diagnostic> {
    failed(app).0
}
