//! `cost` and `validate --strict` against an app's budget.

use formwork_core::{App, Context, Environment};
use formwork_cost::{Usage, assume, set_budget};
use formwork_l2::s3::{Bucket, BucketProps};

fn app(budget: f64) -> App {
    let app = App::new();
    let st = app
        .stack_in("Data", Environment::agnostic().region("ap-northeast-1"))
        .expect("stack");
    Bucket::new(&st, "Bucket", BucketProps::new()).expect("bucket");
    assume(&st, "Bucket", Usage::new().set("gb", 1000.0));
    set_budget(&app, budget);
    app
}

fn run(args: &[&str], budget: f64) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = formwork_deploy::execute(
        args.iter().map(|s| s.to_string()),
        Context::new(),
        |_| Ok(app(budget)),
        &mut out,
        &mut err,
    );
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

#[test]
fn cost_prints_each_line_with_its_assumption_and_the_budget_gap() {
    let (code, out, _) = run(&["cost"], 20.0);
    assert_eq!(code, 0);
    assert!(out.contains("Data — ap-northeast-1"), "{out}");
    assert!(out.contains("1,000 GB-month × $0.025/GB-month"), "{out}");
    assert!(out.contains("Total $25.08 a month"), "{out}");
    assert!(out.contains("Budget $20.00: over by $5.08"), "{out}");
    assert!(
        out.contains("Largest lines: Bucket S3 Standard storage $25.00"),
        "{out}"
    );
}

#[test]
fn cost_json() {
    let (code, out, _) = run(&["cost", "--json"], 30.0);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["stacks"][0]["lines"][0]["monthly"], 25.0);
    assert_eq!(v["total"], 25.08);
    assert_eq!(v["budget"]["overBudget"], false);
    assert_eq!(v["budget"]["gap"], -4.92);
}

#[test]
fn validate_strict_fails_over_budget_only() {
    let (code, _, err) = run(&["validate", "--strict"], 20.0);
    assert_eq!(code, 1);
    assert!(err.contains("over the budget of $20.00 by $5.08"), "{err}");
    assert_eq!(run(&["validate", "--strict"], 30.0).0, 0);
    assert_eq!(
        run(&["validate"], 20.0).0,
        0,
        "without --strict: a table, not an error"
    );
    let (code, _, err) = run(&["cost", "--strict"], 20.0);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn graph_writes_mermaid_and_html_into_the_output_folder() {
    let dir = formwork_test_support::scratch_dir("graph-command");
    let out_dir = dir.to_string_lossy().into_owned();
    let (code, out, err) = run(&["graph", "--out", &out_dir], 30.0);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("graph.html"), "{out}");
    let mmd = std::fs::read_to_string(dir.join("graph.mmd")).expect("graph.mmd");
    assert!(mmd.contains("Data_Bucket"), "{mmd}");
    let html = std::fs::read_to_string(dir.join("graph.html")).expect("graph.html");
    assert!(html.contains("<svg"));
}
