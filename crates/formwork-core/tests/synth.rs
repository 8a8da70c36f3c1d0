//! Whole-synth behaviour of the engine, with the test resource type.

use formwork_core::diag::codes;
use formwork_core::testing::CfnThing;
use formwork_core::{
    App, Context, Dynamic, Environment, Error, Expr, Fn, Intrinsic, Mapping, Output, Parameter,
    Pseudo, RemovalPolicy, SubPart, Value,
};
use serde_json::json;

fn errors(
    r: formwork_core::Result<formwork_core::Assembly>,
) -> Vec<(String, String, Option<String>)> {
    match r {
        Err(Error::Invalid(d)) => {
            d.0.into_iter()
                .map(|d| (d.code.to_owned(), d.path, d.property))
                .collect()
        }
        other => panic!("expected synth errors, got {other:?}"),
    }
}

#[test]
fn template_sections_come_in_cloudformation_order() {
    let app = App::new();
    let s = app.stack("Demo").unwrap();
    s.set_description("demo");
    s.add_metadata("Owner", "team");
    let env = s
        .add_parameter(
            "Env",
            Parameter::string()
                .allowed_values(["dev", "prod"])
                .default_value("dev"),
        )
        .unwrap();
    let m = s
        .add_mapping(
            "Sizes",
            Mapping::new()
                .entry("dev", [("Count", 1)])
                .entry("prod", [("Count", 3)]),
        )
        .unwrap();
    let prod = s
        .add_condition("IsProd", Fn::equals(env.ref_(), "prod"))
        .unwrap();
    let t = s
        .add(
            "Thing",
            CfnThing::new().value(Fn::if_(&prod, "big", Pseudo::NoValue)),
        )
        .unwrap();
    t.set_condition(&prod);
    s.add_output(
        "Count",
        Output::new(Fn::find_in_map(&m, env.ref_(), "Count")),
    )
    .unwrap();
    let asm = app.synth().unwrap();
    let text = asm.template("Demo").unwrap();
    let keys: Vec<String> = asm
        .template_json("Demo")
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys,
        [
            "AWSTemplateFormatVersion",
            "Description",
            "Metadata",
            "Parameters",
            "Mappings",
            "Conditions",
            "Resources",
            "Outputs"
        ]
    );
    let t = asm.template_json("Demo").unwrap();
    assert_eq!(t["Resources"]["Thing"]["Condition"], "IsProd");
    assert_eq!(
        t["Resources"]["Thing"]["Properties"]["Value"],
        json!({"Fn::If": ["IsProd", "big", {"Ref": "AWS::NoValue"}]})
    );
    assert_eq!(
        t["Conditions"]["IsProd"],
        json!({"Fn::Equals": [{"Ref": "Env"}, "prod"]})
    );
    assert_eq!(
        t["Outputs"]["Count"]["Value"],
        json!({"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Count"]})
    );
    assert!(text.ends_with("}\n"));
}

#[test]
fn every_intrinsic_renders_as_cloudformation_json() {
    let app = App::new();
    let s = app.stack("Fns").unwrap();
    let a = s.add("A", CfnThing::new()).unwrap();
    let cases: Vec<(Value, serde_json::Value)> = vec![
        (a.ref_().into(), json!({"Ref": "A"})),
        (a.value_attr().into(), json!({"Fn::GetAtt": ["A", "Value"]})),
        (Pseudo::AccountId.into(), json!({"Ref": "AWS::AccountId"})),
        (Pseudo::Partition.into(), json!({"Ref": "AWS::Partition"})),
        (Pseudo::StackName.into(), json!({"Ref": "AWS::StackName"})),
        (Pseudo::StackId.into(), json!({"Ref": "AWS::StackId"})),
        (Pseudo::UrlSuffix.into(), json!({"Ref": "AWS::URLSuffix"})),
        (
            Pseudo::NotificationArns.into(),
            json!({"Ref": "AWS::NotificationARNs"}),
        ),
        (
            Fn::sub("x-${AWS::Region}-${A}-${A.Value}").into(),
            json!({"Fn::Sub": "x-${AWS::Region}-${A}-${A.Value}"}),
        ),
        (
            Fn::sub_with("${V}", [("V", a.ref_())]).into(),
            json!({"Fn::Sub": ["${V}", {"V": {"Ref": "A"}}]}),
        ),
        (
            Fn::sub("no vars ${!Literal}").into(),
            json!("no vars ${Literal}"),
        ),
        // Literal pieces side by side: a `$` ending one and a `{` starting
        // the next are a literal `${`, escaped in a template and kept in a
        // plain string.
        (
            Expr::from(Intrinsic::Sub(
                vec![
                    SubPart::Text("cost $".into()),
                    SubPart::Text("{x} ".into()),
                    SubPart::Pseudo(Pseudo::Region),
                ],
                Default::default(),
            ))
            .into(),
            json!({"Fn::Sub": "cost ${!x} ${AWS::Region}"}),
        ),
        (
            Expr::from(Intrinsic::Sub(
                vec![SubPart::Text("$".into()), SubPart::Text("{!y}".into())],
                Default::default(),
            ))
            .into(),
            json!("${!y}"),
        ),
        (
            Fn::concat([
                Value::from("arn:"),
                Pseudo::Partition.into(),
                Value::from(":s3:::"),
                a.ref_().into(),
            ])
            .into(),
            json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::${A}"}),
        ),
        (
            Fn::join(",", ["a", "b"]).into(),
            json!({"Fn::Join": [",", ["a", "b"]]}),
        ),
        (
            Fn::select(1, Fn::split(",", "a,b")).into(),
            json!({"Fn::Select": [1, {"Fn::Split": [",", "a,b"]}]}),
        ),
        (Fn::get_azs("").into(), json!({"Fn::GetAZs": ""})),
        (Fn::base64("hi").into(), json!({"Fn::Base64": "hi"})),
        (
            Fn::cidr("10.0.0.0/16", 4, 8).into(),
            json!({"Fn::Cidr": ["10.0.0.0/16", 4, 8]}),
        ),
        (
            Fn::import_value("Other:Name").into(),
            json!({"Fn::ImportValue": "Other:Name"}),
        ),
        (
            Dynamic::secret_json_key("db-secret", "password").into(),
            json!("{{resolve:secretsmanager:db-secret:SecretString:password::}}"),
        ),
        (
            Dynamic::secret_json_key(a.ref_(), "k").into(),
            json!({"Fn::Sub": "{{resolve:secretsmanager:${A}:SecretString:k::}}"}),
        ),
        (
            Dynamic::secret("s").into(),
            json!("{{resolve:secretsmanager:s}}"),
        ),
        (Dynamic::ssm("/p").into(), json!("{{resolve:ssm:/p}}")),
        (
            Dynamic::ssm_secure("/p", 2).into(),
            json!("{{resolve:ssm-secure:/p:2}}"),
        ),
    ];
    for (i, (v, _)) in cases.iter().enumerate() {
        s.add_output(&format!("O{i}"), Output::new(v.clone()))
            .unwrap();
    }
    let c = s
        .add_condition(
            "C",
            Fn::and([Fn::equals("a", "a"), Fn::not(Fn::equals("a", "b"))]),
        )
        .unwrap();
    s.add_condition("D", Fn::or([Fn::condition(&c), Fn::equals(1, 1)]))
        .unwrap();
    let t = app.synth().unwrap().template_json("Fns").unwrap();
    for (i, (_, want)) in cases.iter().enumerate() {
        assert_eq!(&t["Outputs"][format!("O{i}")]["Value"], want, "case {i}");
    }
    assert_eq!(
        t["Conditions"]["C"],
        json!({"Fn::And": [{"Fn::Equals": ["a", "a"]}, {"Fn::Not": [{"Fn::Equals": ["a", "b"]}]}]})
    );
    assert_eq!(
        t["Conditions"]["D"],
        json!({"Fn::Or": [{"Condition": "C"}, {"Fn::Equals": [1, 1]}]})
    );
}

#[test]
fn cross_stack_references_become_exports_and_imports() {
    let app = App::new();
    let net = app.stack("Network").unwrap();
    let web = app.stack("Web").unwrap();
    let shared = net.add("Shared", CfnThing::new().name("shared")).unwrap();
    web.add(
        "Consumer",
        CfnThing::new()
            .value(shared.value_attr())
            .name(Fn::sub_with("${N}-x", [("N", shared.ref_())])),
    )
    .unwrap();
    web.add(
        "Other",
        CfnThing::new().value(Fn::concat([Value::from("p-"), shared.ref_().into()])),
    )
    .unwrap();
    let asm = app.synth().unwrap();
    assert_eq!(
        asm.stacks
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Network", "Web"]
    );
    assert_eq!(asm.stacks[1].dependencies, ["Network"]);
    let n = asm.template_json("Network").unwrap();
    assert_eq!(
        n["Outputs"]["ExportSharedValue"]["Export"]["Name"],
        "Network:Shared:Value"
    );
    assert_eq!(
        n["Outputs"]["ExportSharedValue"]["Value"],
        json!({"Fn::GetAtt": ["Shared", "Value"]})
    );
    assert_eq!(
        n["Outputs"]["ExportSharedRef"]["Export"]["Name"],
        "Network:Shared"
    );
    let w = asm.template_json("Web").unwrap();
    assert_eq!(
        w["Resources"]["Consumer"]["Properties"]["Value"],
        json!({"Fn::ImportValue": "Network:Shared:Value"})
    );
    assert_eq!(
        w["Resources"]["Consumer"]["Properties"]["Name"],
        json!({"Fn::Sub": ["${N}-x", {"N": {"Fn::ImportValue": "Network:Shared"}}]})
    );
    assert_eq!(
        w["Resources"]["Other"]["Properties"]["Value"],
        json!({"Fn::Sub": ["p-${ExportSharedRef}", {"ExportSharedRef": {"Fn::ImportValue": "Network:Shared"}}]})
    );
    let manifest: serde_json::Value = serde_json::from_str(asm.manifest()).unwrap();
    assert_eq!(manifest["stacks"][1]["dependencies"], json!(["Network"]));
    assert_eq!(
        manifest["stacks"][0]["exports"],
        json!(["Network:Shared", "Network:Shared:Value"])
    );
}

#[test]
fn deploy_order_follows_references_not_creation_order() {
    let app = App::new();
    let app_stack = app.stack("App").unwrap();
    let data = app.stack("Data").unwrap();
    let table = data.add("Table", CfnThing::new()).unwrap();
    app_stack
        .add("User", CfnThing::new().value(table.ref_()))
        .unwrap();
    let asm = app.synth().unwrap();
    assert_eq!(
        asm.stacks
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Data", "App"]
    );
}

#[test]
fn a_cycle_between_stacks_names_both() {
    let app = App::new();
    let a = app.stack("Alpha").unwrap();
    let b = app.stack("Beta").unwrap();
    let x = a.add("X", CfnThing::new()).unwrap();
    let y = b.add("Y", CfnThing::new().value(x.ref_())).unwrap();
    x.update::<CfnThing>(|t| t.value(y.ref_()));
    let errs = errors(app.synth());
    let cycle = errs
        .iter()
        .find(|e| e.0 == codes::CYCLE)
        .expect("a cycle error");
    assert!(
        cycle.1.contains("Alpha") && cycle.1.contains("Beta"),
        "{cycle:?}"
    );
}

#[test]
fn references_across_environments_are_refused() {
    let app = App::new();
    let a = app
        .stack_in("Tokyo", Environment::agnostic().region("ap-northeast-1"))
        .unwrap();
    let b = app
        .stack_in("Virginia", Environment::agnostic().region("us-east-1"))
        .unwrap();
    let x = a.add("X", CfnThing::new()).unwrap();
    b.add("Y", CfnThing::new().value(x.ref_())).unwrap();
    let errs = errors(app.synth());
    assert_eq!(errs[0].0, codes::CROSS_ENV);
    assert_eq!(errs[0].1, "Virginia/Y");
}

#[test]
fn a_target_built_by_hand_past_the_end_is_an_error_not_a_panic() {
    use formwork_core::{Expr, Target};
    let app = App::new();
    let one = app.stack("One").unwrap();
    let two = app.stack("Two").unwrap();
    two.add("B", CfnThing::new()).unwrap();
    for (stack, name) in [(one.id(), "Here"), (two.id(), "There")] {
        let past = Target::Resource { stack, index: 7 };
        one.add(
            name,
            CfnThing::new().value(Fn::join(
                ",",
                [Expr::reference(past.clone()), Expr::get_att(past, "Value")],
            )),
        )
        .unwrap();
    }
    let all = errors(app.synth());
    assert_eq!(all.len(), 4, "{all:?}");
    assert!(all.iter().all(|(code, _, _)| code == codes::DANGLING));
}

#[test]
fn dangling_references_are_errors_with_hints() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    s.add("Real", CfnThing::new()).unwrap();
    s.add("Bad", CfnThing::new().value(Fn::ref_name("real")))
        .unwrap();
    s.add("BadSub", CfnThing::new().value(Fn::sub("${Nope.Value}")))
        .unwrap();
    s.add(
        "BadAttr",
        CfnThing::new().value(Fn::get_att_name("Real", "Arn")),
    )
    .unwrap();
    match app.synth() {
        Err(Error::Invalid(d)) => {
            let all: Vec<_> = d.0.iter().map(|d| (d.code, d.path.as_str())).collect();
            assert_eq!(
                all,
                [
                    (codes::DANGLING, "S/Bad"),
                    (codes::DANGLING, "S/BadSub"),
                    (codes::ATTRIBUTE, "S/BadAttr")
                ]
            );
            assert_eq!(d.0[0].fix.as_deref(), Some("did you mean `Real`?"));
            assert!(d.0[2].message.contains("it has: Type, Value"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_reference_into_another_app_is_refused() {
    let other = App::new();
    let foreign = other
        .stack("Foreign")
        .unwrap()
        .add("X", CfnThing::new())
        .unwrap();
    let app = App::new();
    app.stack("S")
        .unwrap()
        .add("Y", CfnThing::new().value(foreign.ref_()))
        .unwrap();
    assert_eq!(errors(app.synth())[0].0, codes::FOREIGN_STACK);
}

#[test]
fn schema_constraints_are_checked_with_paths() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    s.add(
        "Thing",
        CfnThing::new()
            .name("bad name!")
            .kind("Strng")
            .without_value(),
    )
    .unwrap();
    let errs = errors(app.synth());
    assert_eq!(
        errs,
        [
            (
                codes::PATTERN.to_owned(),
                "S/Thing".to_owned(),
                Some("Name".to_owned())
            ),
            (
                codes::ENUM.to_owned(),
                "S/Thing".to_owned(),
                Some("Type".to_owned())
            ),
            (
                codes::REQUIRED.to_owned(),
                "S/Thing".to_owned(),
                Some("Value".to_owned())
            ),
        ]
    );
}

#[test]
fn resource_limit_is_enforced_at_501() {
    let app = App::new();
    let s = app.stack("Big").unwrap();
    for i in 0..500 {
        s.add(&format!("T{i}"), CfnThing::new()).unwrap();
    }
    assert!(app.synth().is_ok());
    s.add("T500", CfnThing::new()).unwrap();
    let errs = errors(app.synth());
    assert_eq!(errs[0].0, codes::LIMIT, "{errs:?}");
    assert_eq!(errs.iter().filter(|e| e.0 == codes::LIMIT).count(), 1);
}

#[test]
fn big_templates_get_a_warning_about_s3_upload() {
    let app = App::new();
    let s = app.stack("Big").unwrap();
    for i in 0..400 {
        s.add(&format!("T{i}"), CfnThing::new().value("x".repeat(100)))
            .unwrap();
    }
    let asm = app.synth().unwrap();
    assert!(asm.stacks[0].needs_s3_upload());
    assert_eq!(asm.warnings.0[0].code, codes::TEMPLATE_NEEDS_S3);
}

#[test]
fn logical_id_collisions_name_both_paths() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    s.child("Api").unwrap().add("Fn", CfnThing::new()).unwrap();
    s.add("Api-Fn", CfnThing::new()).unwrap();
    let errs = errors(app.synth());
    assert_eq!(errs[0].0, codes::LOGICAL_ID_COLLISION);
    assert_eq!(errs[0].1, "S/Api-Fn");
    let p = s.add("Pinned", CfnThing::new()).unwrap();
    p.override_logical_id("Not-Valid");
    let all = errors(app.synth());
    assert!(all.iter().any(|e| e.0 == codes::LOGICAL_ID));
}

#[test]
fn options_tags_and_overrides_render() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    s.add_tag("project", "formwork");
    let a = s.add("A", CfnThing::new().tags([("team", "own")])).unwrap();
    let b = s.add("B", CfnThing::new()).unwrap();
    b.add_depends_on(&a)
        .apply_removal_policy(RemovalPolicy::Retain)
        .add_metadata("Reason", "test")
        .add_property_override("Tags.extra", "x");
    b.override_logical_id("Pinned");
    let t = app.synth().unwrap().template_json("S").unwrap();
    assert_eq!(
        t["Resources"]["A"]["Properties"]["Tags"],
        json!({"project": "formwork", "team": "own"})
    );
    let b = &t["Resources"]["Pinned"];
    assert_eq!(b["DependsOn"], json!(["A"]));
    assert_eq!(b["DeletionPolicy"], "Retain");
    assert_eq!(b["UpdateReplacePolicy"], "Retain");
    assert_eq!(
        b["Metadata"],
        json!({"formwork:path": "S/B", "Reason": "test"})
    );
    assert_eq!(
        b["Properties"]["Tags"],
        json!({"project": "formwork", "extra": "x"})
    );
}

#[test]
fn parameters_render_every_option() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    s.add("Thing", CfnThing::new()).unwrap();
    s.add_parameter(
        "Size",
        Parameter::number()
            .min_value(1.0)
            .max_value(10.0)
            .default_value(2)
            .description("d")
            .constraint_description("1-10"),
    )
    .unwrap();
    s.add_parameter(
        "Secret",
        Parameter::string()
            .no_echo()
            .min_length(8)
            .max_length(64)
            .allowed_pattern("^[a-z]+$"),
    )
    .unwrap();
    s.add_parameter("Subnets", Parameter::aws("List<AWS::EC2::Subnet::Id>"))
        .unwrap();
    s.add_parameter(
        "Ami",
        Parameter::ssm("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>").default_value("/aws/ami"),
    )
    .unwrap();
    s.add_parameter("Names", Parameter::comma_delimited_list())
        .unwrap();
    let t = app.synth().unwrap().template_json("S").unwrap();
    assert_eq!(
        t["Parameters"]["Size"],
        json!({"Type": "Number", "Default": 2, "Description": "d", "MinValue": 1, "MaxValue": 10, "ConstraintDescription": "1-10"})
    );
    assert_eq!(
        t["Parameters"]["Secret"],
        json!({"Type": "String", "NoEcho": true, "AllowedPattern": "^[a-z]+$", "MinLength": 8, "MaxLength": 64})
    );
    assert_eq!(
        t["Parameters"]["Subnets"]["Type"],
        "List<AWS::EC2::Subnet::Id>"
    );
    assert_eq!(t["Parameters"]["Names"]["Type"], "CommaDelimitedList");
}

#[test]
fn synth_is_byte_identical_across_runs() {
    let build = || {
        let app = App::with_context(Context::new().with_env("FORMWORK_REGION", "us-east-1"));
        let a = app.stack("A").unwrap();
        let b = app.stack("B").unwrap();
        let mut last = None;
        for i in 0..50 {
            let t = a
                .add(&format!("T{i}"), CfnThing::new().tags([("k", "v")]))
                .unwrap();
            b.add(&format!("U{i}"), CfnThing::new().value(t.value_attr()))
                .unwrap();
            last = Some(t);
        }
        let _ = last;
        app.synth().unwrap()
    };
    let (x, y) = (build(), build());
    assert_eq!(x, y);
}

#[test]
fn stack_diagnostics_reported_by_constructs_fail_synth_together() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let node = s.child("Fn").unwrap();
    node.error(
        "FW1001",
        "MemorySize",
        "20000 MB is above the maximum 10240",
    );
    node.warn("FW1002", "Runtime", "deprecated");
    s.add("T", CfnThing::new().kind("nope")).unwrap();
    match app.synth() {
        Err(Error::Invalid(d)) => {
            assert_eq!(d.error_count(), 2);
            assert_eq!(
                d.0.last().map(|d| d.code),
                Some("FW1002"),
                "warnings come last"
            );
            let text = d.to_string();
            assert!(
                text.contains("error[FW1001] S/Fn MemorySize: 20000 MB is above the maximum 10240")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn region_availability_is_checked() {
    let app = App::new();
    let s = app
        .stack_in("S", Environment::agnostic().region("us-east-1"))
        .unwrap();
    s.add("T", CfnThing::new()).unwrap();
    assert!(app.synth().is_ok());
}

#[test]
fn parameter_definitions_are_checked() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    s.add_parameter(
        "Env",
        Parameter::string()
            .allowed_values(["dev", "prod"])
            .default_value("test"),
    )
    .unwrap();
    s.add_parameter("Size", Parameter::number().min_value(10.0).max_value(1.0))
        .unwrap();
    s.add_parameter(
        "Name",
        Parameter::string()
            .allowed_pattern("^[a-z]+$")
            .default_value("Abc"),
    )
    .unwrap();
    s.add_parameter("Count", Parameter::number().max_value(5.0).default_value(9))
        .unwrap();
    s.add_parameter("Odd", Parameter::number().min_length(3))
        .unwrap();
    s.add_parameter(
        "Fine",
        Parameter::string()
            .allowed_pattern("[a-z]+")
            .default_value("abc"),
    )
    .unwrap();
    let errs = errors(app.synth());
    let paths: Vec<&str> = errs
        .iter()
        .filter(|e| e.0 == codes::PARAMETER)
        .map(|e| e.1.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "S/Env (parameter)",
            "S/Size (parameter)",
            "S/Name (parameter)",
            "S/Count (parameter)",
            "S/Odd (parameter)"
        ]
    );
}

#[test]
fn allowed_patterns_formwork_cannot_read_are_errors_or_warnings() {
    // Not a regular expression: an error.
    let app = App::new();
    let s = app.stack("S").unwrap();
    s.add_parameter("Bad", Parameter::string().allowed_pattern("^(a"))
        .unwrap();
    let errs = errors(app.synth());
    assert_eq!(errs[0].1, "S/Bad (parameter)");
    // A regular expression with syntax formwork's matcher lacks (Java reads
    // it at deploy): the default goes unchecked, with a warning saying so.
    let app = App::new();
    let s = app.stack("S").unwrap();
    s.add_parameter(
        "Upper",
        Parameter::string()
            .allowed_pattern(r"^\p{Lu}+$")
            .default_value("ABC"),
    )
    .unwrap();
    s.add("A", CfnThing::new()).unwrap();
    let asm = app.synth().expect("synthesizes");
    let w: Vec<_> = asm.warnings.with_code(codes::PARAMETER).collect();
    assert_eq!(w.len(), 1, "{}", asm.warnings);
    assert!(
        w[0].message.contains("not checked against AllowedPattern"),
        "{}",
        w[0].message
    );
}

#[test]
fn diagnostics_point_at_the_line_that_made_the_construct() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let group = s.child("Group").unwrap();
    let line = line!() + 1;
    group.add("Thing", CfnThing::new().kind("Strng")).unwrap();
    s.add_output("Bad", Output::new(Fn::get_att_name("Missing", "Arn")))
        .unwrap();
    let Err(Error::Invalid(ds)) = app.synth() else {
        panic!("expected errors")
    };
    let thing = ds.0.iter().find(|d| d.path == "S/Group/Thing").unwrap();
    let loc = thing.location.as_ref().expect("a location");
    assert!(loc.file.ends_with("tests/synth.rs"), "{loc}");
    assert_eq!(loc.line, line);
    assert_eq!(loc.column, 11, "the column of `add`");
    let text = formwork_core::diag::render(&ds.0, false);
    assert!(
        text.contains(&format!("  --> {}:{line}:11\n", loc.file)),
        "{text}"
    );
    assert!(text.contains("   = construct: S/Group/Thing\n   = property: Type\n"));
    assert!(text.ends_with(&format!("error: {} errors\n", ds.0.len())));
}

#[test]
fn an_output_with_the_id_of_an_export_is_refused_and_the_export_kept_out() {
    let app = App::new();
    let one = app.stack("One").unwrap();
    let two = app.stack("Two").unwrap();
    let a = one.add("A", CfnThing::new()).unwrap();
    two.add("B", CfnThing::new().value(a.value_attr())).unwrap();
    let asm = app.synth().unwrap();
    let t = asm.template_json("One").unwrap();
    let ids: Vec<String> = t["Outputs"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(ids.len(), 1, "{t}");
    one.add_output(&ids[0], Output::new("taken")).unwrap();
    let errs = errors(app.synth());
    let collisions: Vec<_> = errs
        .iter()
        .filter(|e| e.0 == codes::LOGICAL_ID_COLLISION)
        .collect();
    assert_eq!(collisions.len(), 1, "{errs:?}");
    assert_eq!(collisions[0].1, format!("One/{} (output)", ids[0]));
}
