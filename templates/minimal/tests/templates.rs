use formwork::Context;
use formwork::testing::Template;
use serde_json::json;

#[test]
fn the_template_is_what_we_reviewed() {
    let assembly = hello_formwork::app(&Context::new()).unwrap().synth().unwrap();
    insta::assert_snapshot!("Hello", assembly.template("Hello").unwrap());

    let t = Template::from_assembly(&assembly, "Hello");
    t.resource_count_is("AWS::S3::Bucket", 1);
    t.has_resource_properties("AWS::Lambda::Function", json!({"Runtime": "nodejs24.x"}));
}
