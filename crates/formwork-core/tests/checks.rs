//! What CloudFormation refuses is a synth error: each check firing and not
//! firing, through the public API, with the test resource type.

use formwork_core::diag::codes;
use formwork_core::rules::{Findings, ResourceView, Rule};
use formwork_core::spec::Region;
use formwork_core::testing::CfnThing;
use formwork_core::{
    App, Diagnostic, Diagnostics, Environment, Error, Fn, Mapping, Output, Severity, SynthOptions,
    Value,
};

fn failed(app: &App) -> Diagnostics {
    match app.synth() {
        Err(Error::Invalid(d)) => d,
        Err(e) => panic!("synth failed without diagnostics: {e}"),
        Ok(_) => panic!("synth succeeded but errors were expected"),
    }
}

fn codes_of(d: &Diagnostics) -> Vec<&'static str> {
    d.0.iter().map(|d| d.code).collect()
}

const REGIONS: &[Region] = &[
    Region {
        name: "ap-northeast-1",
        zones: 3,
    },
    Region {
        name: "us-east-1",
        zones: 6,
    },
];

#[test]
fn a_reference_to_a_smaller_app_is_an_error_not_a_panic() {
    // The producer has more resources than the consumer stack: rendering
    // once indexed the consumer's resources with the producer's index.
    let other = App::new();
    let foreign_stack = other.stack("Foreign").unwrap();
    for i in 0..5 {
        foreign_stack
            .add(&format!("X{i}"), CfnThing::new())
            .unwrap();
    }
    let foreign = foreign_stack.add("Last", CfnThing::new()).unwrap();
    let app = App::new();
    let s = app.stack("S").unwrap();
    let y = s
        .add(
            "Y",
            CfnThing::new()
                .value(foreign.ref_())
                .name(Fn::sub_with("${X}", [("X", foreign.get_att("Value"))])),
        )
        .unwrap();
    y.add_depends_on(&foreign);
    s.add_output("O", Output::new(foreign.ref_())).unwrap();
    let d = failed(&app);
    assert!(d.with_code(codes::FOREIGN_STACK).count() >= 3, "{d}");
}

#[test]
fn adding_a_resource_inside_inspect_works() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let a = s.add("A", CfnThing::new()).unwrap();
    let added = a.inspect(|_: &CfnThing| {
        s.add("B", CfnThing::new()).unwrap();
        // The resource is lent to the closure: asking for it again is None.
        a.inspect(|_: &CfnThing| ()).is_none()
    });
    assert_eq!(added, Some(true));
    assert_eq!(s.resource_count(), 2);
    assert!(a.inspect(|_: &CfnThing| ()).is_some(), "given back");
    app.synth().unwrap();
}

#[test]
fn a_resource_referring_to_itself_is_a_cycle_named_by_path() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let a = s.add("A", CfnThing::new()).unwrap();
    a.add_property_override("Value", a.get_att("Value"));
    let d = failed(&app);
    let c = d.with_code(codes::RESOURCE_CYCLE).next().expect("a cycle");
    assert_eq!(c.path, "S/A");
    assert!(c.message.contains("refers to itself (S/A → S/A)"), "{c}");
}

#[test]
fn cycles_through_ref_sub_and_depends_on_name_every_resource() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let a = s.add("A", CfnThing::new()).unwrap();
    let b = s
        .add("B", CfnThing::new().value(Fn::sub("${A.Value}")))
        .unwrap();
    let c = s.add("C", CfnThing::new().value(b.ref_())).unwrap();
    a.add_depends_on(&c);
    let d = failed(&app);
    let found: Vec<&Diagnostic> = d.with_code(codes::RESOURCE_CYCLE).collect();
    assert_eq!(found.len(), 1, "{d}");
    assert_eq!(
        found[0].message,
        "resources depend on each other in a cycle: S/A → S/C → S/B → S/A; CloudFormation cannot order them"
    );
    // No cycle: a chain.
    let app = App::new();
    let s = app.stack("S").unwrap();
    let a = s.add("A", CfnThing::new()).unwrap();
    let b = s.add("B", CfnThing::new().value(a.ref_())).unwrap();
    s.add("C", CfnThing::new().value(b.ref_()))
        .unwrap()
        .add_depends_on(&a);
    app.synth().unwrap();
}

#[test]
fn a_stack_without_resources_and_a_long_description_are_errors() {
    let app = App::new();
    let s = app.stack("Empty").unwrap();
    s.set_description("x".repeat(1025));
    s.add_output("O", Output::new("v")).unwrap();
    assert_eq!(
        codes_of(&failed(&app)),
        [codes::EMPTY_STACK, codes::DESCRIPTION]
    );
    let app = App::new();
    let s = app.stack("Full").unwrap();
    s.set_description("é".repeat(512));
    s.add("A", CfnThing::new()).unwrap();
    app.synth().unwrap();
}

#[test]
fn export_names_are_unique_per_stack_and_app() {
    let app = App::new();
    let a = app.stack("A").unwrap();
    let b = app.stack("B").unwrap();
    a.add("T", CfnThing::new()).unwrap();
    b.add("T", CfnThing::new()).unwrap();
    a.add_output("One", Output::new("1").export_name("shared"))
        .unwrap();
    a.add_output("Two", Output::new("2").export_name("shared"))
        .unwrap();
    b.add_output("Three", Output::new("3").export_name("shared"))
        .unwrap();
    b.add_output("Four", Output::new("4").export_name("has space"))
        .unwrap();
    let d = failed(&app);
    let msgs: Vec<String> = d
        .with_code(codes::EXPORT_NAME)
        .map(|d| d.to_string())
        .collect();
    assert_eq!(msgs.len(), 3, "{d}");
    assert!(msgs[0].contains("two outputs of one stack"), "{}", msgs[0]);
    assert!(msgs[1].contains("two stacks of the app"), "{}", msgs[1]);
    assert!(
        msgs[2].contains("\"has space\" is not allowed"),
        "{}",
        msgs[2]
    );
    // An export formwork makes for a reference clashes with a user's too.
    let app = App::new();
    let a = app.stack("A").unwrap();
    let t = a.add("T", CfnThing::new()).unwrap();
    let b = app.stack("B").unwrap();
    b.add("U", CfnThing::new().value(t.ref_())).unwrap();
    b.add_output("Mine", Output::new("x").export_name("A:T"))
        .unwrap();
    assert_eq!(codes_of(&failed(&app)), [codes::EXPORT_NAME]);
}

#[test]
fn tag_limits_count_stack_tags_too() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    for i in 0..49 {
        s.add_tag(format!("k{i}"), "v");
    }
    s.add("Fits", CfnThing::new().tags([("own", "x")])).unwrap();
    app.synth().unwrap();
    s.add("Over", CfnThing::new().tags([("own1", "x"), ("own2", "y")]))
        .unwrap();
    s.add(
        "Reserved",
        CfnThing::new().tags([("aws:cloudformation:x", "y")]),
    )
    .unwrap();
    let d = failed(&app);
    let paths: Vec<&str> = d
        .with_code(codes::TAG_LIMITS)
        .map(|d| d.path.as_str())
        .collect();
    assert_eq!(paths, ["S/Over", "S/Reserved"], "{d}");
}

#[test]
fn mappings_and_long_output_descriptions() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    s.add("T", CfnThing::new()).unwrap();
    s.add_mapping(
        "Good",
        Mapping::new().entry("us-east-1", [("Ami", "ami-1")]),
    )
    .unwrap();
    app.synth().unwrap();
    s.add_mapping(
        "Bad",
        Mapping::new()
            .entry("us east", [("Ami", Value::from("x"))])
            .entry("k", [("a-b", Value::object([("x", 1)]))]),
    )
    .unwrap();
    s.add_output("O", Output::new("v").description("d".repeat(1025)))
        .unwrap();
    let d = failed(&app);
    assert_eq!(d.with_code(codes::TEMPLATE_PART).count(), 4, "{d}");
}

#[test]
fn select_beyond_the_zones_of_the_region_and_unknown_regions() {
    let build = |region: &str, index: i64| {
        let app = App::new();
        app.set_regions(REGIONS);
        let s = app
            .stack_in("Net", Environment::agnostic().region(region))
            .unwrap();
        s.add(
            "Subnet",
            CfnThing::new().value(Fn::select(index, Fn::get_azs(""))),
        )
        .unwrap();
        app
    };
    build("ap-northeast-1", 2).synth().unwrap();
    let d = failed(&build("ap-northeast-1", 3));
    let e = d
        .with_code(codes::SELECT_RANGE)
        .next()
        .expect("select error");
    assert_eq!(e.path, "Net/Subnet");
    assert_eq!(e.property.as_deref(), Some("Value"));
    assert!(
        e.message
            .contains("ap-northeast-1 has 3 availability zones"),
        "{e}"
    );
    build("us-east-1", 5).synth().unwrap();
    let d = failed(&build("ap-northeast-9", 0));
    assert_eq!(codes_of(&d), [codes::UNKNOWN_REGION]);
    assert_eq!(d.0[0].path, "Net");
    // Without region facts nothing is judged.
    let app = App::new();
    let s = app
        .stack_in("Net", Environment::agnostic().region("xx-nowhere-1"))
        .unwrap();
    s.add("T", CfnThing::new()).unwrap();
    app.synth().unwrap();
}

#[test]
fn non_finite_numbers_are_errors_not_null() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let t = s.add("T", CfnThing::new()).unwrap();
    t.add_metadata("Weight", f64::NAN);
    s.add_output("O", Output::new(f64::INFINITY)).unwrap();
    let d = failed(&app);
    assert_eq!(d.with_code(codes::NON_FINITE).count(), 2, "{d}");
}

#[test]
fn overrides_are_validated_like_typed_values() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    let t = s.add("T", CfnThing::new()).unwrap();
    t.add_property_override("Type", "Strng");
    t.add_property_override("Nmae", "x");
    t.add_property_override("Type.Deep", "x");
    let d = failed(&app);
    let found: Vec<String> = d.0.iter().map(|d| d.to_string()).collect();
    assert_eq!(d.0.len(), 3, "{d}");
    assert!(
        found
            .iter()
            .any(|f| f.contains("FW0103") && f.contains("did you mean \"String\""))
    );
    assert!(
        found
            .iter()
            .any(|f| f.contains("FW0108") && f.contains("did you mean `Name`"))
    );
    assert!(
        found
            .iter()
            .any(|f| f.contains("FW0114") && f.contains("Type.Deep"))
    );
    // A valid override passes, and is what is written.
    let app = App::new();
    let s = app.stack("S").unwrap();
    let t = s.add("T", CfnThing::new()).unwrap();
    t.add_property_override("Type", "StringList");
    let tpl = app.synth().unwrap().template_json("S").unwrap();
    assert_eq!(tpl["Resources"]["T"]["Properties"]["Type"], "StringList");
}

/// A rule that fires on every resource named `Bad*`.
struct NoBad;
impl Rule for NoBad {
    fn visit_resource(&self, r: &ResourceView<'_>, findings: &mut Findings) {
        if r.logical_id.contains("Bad") {
            findings.report(Diagnostic::warning("FW9001", r.path(), "bad name"));
        }
        if r.logical_id.starts_with("Worse") {
            findings.report(Diagnostic::error("FW9002", r.path(), "worse name"));
        }
    }
    fn checkov(&self, code: &str, _resource_type: &str) -> &'static [&'static str] {
        match code {
            "FW9002" => &["CKV_AWS_999"],
            _ => &[],
        }
    }
}

#[test]
fn user_rules_run_errors_fail_and_warnings_print() {
    let app = App::new();
    app.add_rule(NoBad);
    let s = app.stack("S").unwrap();
    s.add("Good", CfnThing::new()).unwrap();
    s.add("BadOne", CfnThing::new()).unwrap();
    let asm = app.synth().unwrap();
    assert_eq!(asm.warnings.with_code("FW9001").count(), 1);
    assert!(matches!(
        app.synth_with(SynthOptions::strict()),
        Err(Error::Invalid(d)) if d.0.iter().all(|d| d.severity == Severity::Error) && d.error_count() == 1
    ));
    s.add("WorseOne", CfnThing::new()).unwrap();
    let d = failed(&app);
    assert_eq!(codes_of(&d), ["FW9002", "FW9001"]);
    assert_eq!(d.0[0].path, "S/WorseOne");
}

#[test]
fn suppressions_keep_their_reason_in_the_template() {
    let app = App::new();
    app.add_rule(NoBad);
    let s = app.stack("S").unwrap();
    let worse = s.add("WorseOne", CfnThing::new()).unwrap();
    worse.suppress("FW9002", "an accepted risk, reviewed");
    let scope = s.child("Group").unwrap();
    scope.add("BadInside", CfnThing::new()).unwrap();
    scope.suppress("FW9001", "the whole group is legacy");
    let direct = s.add("Direct", CfnThing::new()).unwrap();
    direct.suppress("CKV_AWS_1", "checkov's check does not apply here");
    // A construct's own warning, on a resource: its note goes on that
    // resource, not on the template.
    let warned = s.child("Warned").unwrap();
    warned.add_here(CfnThing::new()).unwrap();
    warned.warn("FW9003", "Name", "a warning of the construct");
    warned.suppress("FW9003", "known and accepted");
    let asm = app.synth().unwrap();
    assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
    let t = asm.template_json("S").unwrap();
    let r = &t["Resources"];
    assert_eq!(
        r["Warned"]["Metadata"]["formwork"]["suppressed"],
        serde_json::json!([{"id": "FW9003", "reason": "known and accepted"}])
    );
    assert!(t.get("Metadata").is_none(), "{t:#}");
    assert_eq!(
        r["WorseOne"]["Metadata"],
        serde_json::json!({
            "formwork:path": "S/WorseOne",
            "formwork": {"suppressed": [{"id": "FW9002", "reason": "an accepted risk, reviewed"}]},
            "checkov": {"skip": [{"id": "CKV_AWS_999", "comment": "an accepted risk, reviewed"}]}
        })
    );
    assert_eq!(
        r["GroupBadInside"]["Metadata"]["formwork"]["suppressed"][0]["id"],
        "FW9001"
    );
    assert_eq!(
        r["Direct"]["Metadata"]["checkov"]["skip"][0],
        serde_json::json!({"id": "CKV_AWS_1", "comment": "checkov's check does not apply here"})
    );
    // A suppression that matches nothing is a warning; engine errors are
    // never suppressed.
    let app = App::new();
    let s = app.stack("S").unwrap();
    let t = s.add("T", CfnThing::new().kind("Nope")).unwrap();
    t.suppress("FW0103", "wishful");
    let d = failed(&app);
    assert_eq!(codes_of(&d), [codes::ENUM, codes::UNUSED_SUPPRESSION]);
}

#[test]
fn one_fault_gives_one_error() {
    let app = App::new();
    let s = app.stack("S").unwrap();
    s.add("T", CfnThing::new().name("bad name")).unwrap();
    let d = failed(&app);
    assert_eq!(codes_of(&d), [codes::PATTERN]);
    let app = App::new();
    let s = app.stack("S").unwrap();
    let node = s.child("Fn").unwrap();
    node.add_here(CfnThing::new().name("bad name")).unwrap();
    node.error("FW2299", "Name", "a name with a space");
    let d = failed(&app);
    assert_eq!(codes_of(&d), ["FW2299"], "{d}");
}

/// Records what a rule sees of each template: the whole JSON, and each
/// resource and parameter as the visits give them.
#[derive(Default)]
struct Seen {
    whole: Vec<Value>,
    resources: Vec<(String, String, String, Value)>,
    parameters: Vec<(String, Value)>,
    paths: Vec<String>,
    /// Per resource, read before its whole JSON: some top-level properties
    /// (`None` when unset), then `DeletionPolicy` and `UpdateReplacePolicy`.
    properties: Vec<ReadOneByOne>,
}

/// Some properties of a resource (`None` when unset), its `DeletionPolicy`
/// and its `UpdateReplacePolicy`.
type ReadOneByOne = (Vec<Option<Value>>, Option<String>, Option<String>);

/// The properties the recorder reads one by one (`Tags.k` a path into an
/// object, `Missing` on no resource).
const READ: [&str; 5] = ["Name", "Value", "Tags", "Tags.k", "Missing"];

struct Recorder(std::rc::Rc<std::cell::RefCell<Seen>>);
impl Rule for Recorder {
    fn visit_template(&self, t: &formwork_core::rules::TemplateView<'_>, _: &mut Findings) {
        self.0.borrow_mut().whole.push(t.json().clone());
    }
    fn visit_resource(&self, r: &ResourceView<'_>, _: &mut Findings) {
        // The type first: at synth it is read without rendering the rest.
        let ty = r.type_name().to_owned();
        // Properties and policies next, before anything renders it whole.
        let props = READ.iter().map(|p| r.property(p).cloned()).collect();
        let policies = (
            r.deletion_policy().map(str::to_owned),
            r.update_replace_policy().map(str::to_owned),
        );
        self.0
            .borrow_mut()
            .properties
            .push((props, policies.0, policies.1));
        self.0.borrow_mut().paths.push(r.path());
        let looked_up = r
            .template
            .resource(r.logical_id)
            .map(|o| o.type_name().to_owned())
            .unwrap_or_default();
        self.0.borrow_mut().resources.push((
            r.logical_id.to_owned(),
            ty,
            looked_up,
            r.json().clone(),
        ));
    }
    fn visit_parameter(&self, p: &formwork_core::rules::ParameterView<'_>, _: &mut Findings) {
        self.0
            .borrow_mut()
            .parameters
            .push((p.name.to_owned(), p.json.clone()));
    }
}

#[test]
fn rules_see_the_template_that_is_written() {
    let app = App::new();
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Seen::default()));
    app.add_rule(Recorder(seen.clone()));
    let a = app.stack("A").unwrap();
    let b = app.stack("B").unwrap();
    a.add_parameter(
        "Env",
        formwork_core::Parameter::string().default_value("dev"),
    )
    .unwrap();
    let first = a
        .add("First", CfnThing::new().name("one").tags([("k", "v")]))
        .unwrap();
    a.add("Second", CfnThing::new().value(first.value_attr()))
        .unwrap();
    let quiet = a.add("Quiet", CfnThing::new()).unwrap();
    quiet.apply_removal_policy(formwork_core::RemovalPolicy::Retain);
    quiet.suppress("CKV_AWS_1", "noted in the metadata");
    b.add("Uses", CfnThing::new().value(first.value_attr()))
        .unwrap();
    let asm = app.synth().unwrap();
    let seen = seen.borrow();
    // Compared as formwork's JSON trees (what rules get): object equality
    // ignores key order, as serde_json's does.
    let written: Vec<serde_json::Value> = ["A", "B"]
        .iter()
        .map(|s| asm.template_json(s).unwrap())
        .collect();
    assert_eq!(seen.whole.len(), 2);
    // The written templates, as the rules saw them and in that order.
    let mut in_order = Vec::new();
    for t in &seen.whole {
        // Rules run before suppression notes are written.
        let mut expected = written
            .iter()
            .find(|w| {
                w["Resources"].as_object().map(|m| m.len())
                    == t.get("Resources").and_then(Value::as_map).map(|m| m.len())
            })
            .unwrap()
            .clone();
        if let Some(m) = expected
            .pointer_mut("/Resources/Quiet/Metadata")
            .and_then(serde_json::Value::as_object_mut)
        {
            assert!(m.remove("checkov").is_some());
        }
        assert_eq!(t, &Value::from(expected.clone()));
        in_order.push(expected);
    }
    let mut ids = Vec::new();
    for t in &in_order {
        for (id, r) in t["Resources"].as_object().unwrap() {
            ids.push((id.clone(), r.clone()));
        }
    }
    assert_eq!(seen.resources.len(), ids.len());
    let paths: Vec<&str> = ids
        .iter()
        .map(|(_, r)| r["Metadata"]["formwork:path"].as_str().unwrap())
        .collect();
    assert_eq!(seen.paths, paths);
    assert_eq!(seen.properties.len(), ids.len());
    for ((props, deletion, replace), (_, want)) in seen.properties.iter().zip(&ids) {
        let expected: Vec<Option<Value>> = READ
            .iter()
            .map(|p| {
                let pointer = format!("/Properties/{}", p.replace('.', "/"));
                want.pointer(&pointer).cloned().map(Value::from)
            })
            .collect();
        assert_eq!(props, &expected);
        assert_eq!(deletion.as_deref(), want["DeletionPolicy"].as_str());
        assert_eq!(replace.as_deref(), want["UpdateReplacePolicy"].as_str());
    }
    assert!(
        seen.properties
            .iter()
            .any(|(p, d, _)| p[2].is_some() && p[3].is_some() && d.is_none()),
        "a resource with tags read one by one"
    );
    assert!(
        seen.properties
            .iter()
            .any(|(_, d, r)| d.as_deref() == Some("Retain") && r.is_some()),
        "a retained resource's policies read without rendering it"
    );
    for ((id, ty, looked_up, json), (want_id, want)) in seen.resources.iter().zip(&ids) {
        assert_eq!(id, want_id);
        assert_eq!(json, &Value::from(want.clone()));
        assert_eq!(ty, want["Type"].as_str().unwrap());
        assert_eq!(looked_up, ty);
    }
    assert_eq!(
        seen.parameters,
        [(
            "Env".to_owned(),
            Value::from(written[0]["Parameters"]["Env"].clone())
        )]
    );
}
