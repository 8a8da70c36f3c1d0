//! Namespaces without L2 constructs, reached through the facade with their
//! cargo features (`rds`, `cognito`, `wafv2`, `budgets`): the generated L1 types are
//! usable as `formwork::<namespace>::Cfn…`, and the template they make is
//! clean for cfn-lint.

use formwork::budgets::CfnBudget;
use formwork::budgets::budget::{BudgetData, Spend};
use formwork::cognito::CfnUserPool;
use formwork::rds::CfnDBInstance;
use formwork::wafv2::CfnWebACL;
use formwork::wafv2::web_acl::{AllowAction, DefaultAction, Scope, VisibilityConfig};
use formwork::{App, Output};

#[test]
fn rds_cognito_wafv2_and_budgets_from_the_facade_pass_cfn_lint() {
    let app = App::new();
    let stack = app.stack("Registry").expect("stack");
    let db = stack
        .add(
            "Db",
            CfnDBInstance::new()
                .engine("postgres")
                .db_instance_class("db.t4g.micro")
                .allocated_storage("20")
                .master_username("app")
                .manage_master_user_password(true)
                .storage_encrypted(true)
                .publicly_accessible(false)
                .deletion_protection(true),
        )
        .expect("db instance");
    let pool = stack
        .add("Users", CfnUserPool::new().user_pool_name("users"))
        .expect("user pool");
    let acl = stack
        .add(
            "Acl",
            CfnWebACL::new()
                .scope(Scope::Regional)
                .default_action(DefaultAction::new().allow(AllowAction::new()))
                .visibility_config(
                    VisibilityConfig::new()
                        .cloud_watch_metrics_enabled(true)
                        .metric_name("acl")
                        .sampled_requests_enabled(true),
                ),
        )
        .expect("web acl");
    stack
        .add(
            "MonthlyCost",
            CfnBudget::new().budget(
                BudgetData::new()
                    .budget_type("COST")
                    .time_unit("MONTHLY")
                    .budget_limit(Spend::new().amount(100).unit("USD")),
            ),
        )
        .expect("budget");
    stack
        .add_output("DbEndpoint", Output::new(db.endpoint_address()))
        .expect("output");
    stack
        .add_output("UserPoolArn", Output::new(pool.arn()))
        .expect("output");
    stack
        .add_output("AclArn", Output::new(acl.arn()))
        .expect("output");

    let asm = formwork_test_support::synth_and_lint(&app, "registry");
    let t = formwork_test_support::template(&asm, "Registry");
    let types: Vec<&str> = t["Resources"]
        .as_object()
        .expect("resources")
        .values()
        .filter_map(|r| r["Type"].as_str())
        .collect();
    assert_eq!(
        types,
        [
            "AWS::RDS::DBInstance",
            "AWS::Cognito::UserPool",
            "AWS::WAFv2::WebACL",
            "AWS::Budgets::Budget"
        ]
    );
    let acl = t["Resources"]
        .as_object()
        .expect("resources")
        .values()
        .find(|r| r["Type"] == "AWS::WAFv2::WebACL")
        .expect("web acl");
    assert_eq!(acl["Properties"]["Scope"], "REGIONAL");
}
