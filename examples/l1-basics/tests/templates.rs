//! The example's templates: cfn-lint clean, and equal to the reviewed snapshots.

use formwork::Context;

#[test]
fn templates_pass_cfn_lint_and_match_snapshots() {
    let asm = l1_basics::app(&Context::new()).unwrap().synth().unwrap();
    formwork_test_support::check_example("l1-basics", &asm);
}

#[test]
fn the_compute_stack_imports_from_the_storage_stack() {
    let asm = l1_basics::app(&Context::new()).unwrap().synth().unwrap();
    let names: Vec<&str> = asm.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["L1Storage", "L1Compute"]);
    let compute = formwork_test_support::template(&asm, "L1Compute");
    assert_eq!(
        compute["Resources"]["Reader"]["Properties"]["Environment"]["Variables"]["BUCKET_NAME"],
        serde_json::json!({"Fn::ImportValue": "L1Storage:Data"})
    );
}

#[test]
fn region_comes_from_the_environment_when_given() {
    let ctx = Context::new().with_env("FORMWORK_REGION", "eu-west-1");
    let asm = l1_basics::app(&ctx).unwrap().synth().unwrap();
    assert_eq!(asm.stacks[0].env.region.as_deref(), Some("eu-west-1"));
}
