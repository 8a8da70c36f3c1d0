//! Every classification, on the create-only properties of the real schemas.

use formwork_core::Resource;
use serde_json::{Value as Json, json};

use super::*;

fn specs() -> Specs {
    [
        formwork_l1::s3::CfnBucket::SPEC,
        formwork_l1::ecs::CfnTaskDefinition::SPEC,
        formwork_l1::ecs::CfnService::SPEC,
        formwork_l1::lambda::CfnFunction::SPEC,
        formwork_l1::efs::CfnFileSystem::SPEC,
        formwork_l1::iam::CfnRole::SPEC,
    ]
    .into_iter()
    .map(|s| (s.type_name, s))
    .collect()
}

fn none(_: &str) -> Option<Vec<String>> {
    Some(Vec::new())
}

fn diff(old: Json, new: Json) -> StackDiff {
    compare("S", Some(&old), &new, &specs(), &none)
}

fn res(d: &StackDiff, id: &str) -> ResourceChange {
    d.resources
        .iter()
        .find(|r| r.logical_id == id)
        .cloned()
        .unwrap_or_else(|| panic!("no change for {id}: {d:#?}"))
}

fn t(resources: Json) -> Json {
    json!({ "Resources": resources })
}

#[test]
fn bucket_name_replaces_the_bucket_and_destroys_its_data() {
    let d = diff(
        t(json!({"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "a"}}})),
        t(json!({"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}}})),
    );
    let b = res(&d, "B");
    assert_eq!(b.impact, Impact::Replace);
    assert_eq!(b.reasons, ["BucketName cannot change in place"]);
    assert_eq!(b.properties[0].old, Some(json!("a")));
    assert_eq!(b.properties[0].new, Some(json!("b")));
    assert_eq!(b.data, Some(Fate::Destroyed));
    assert!(d.replaces_or_deletes());
}

#[test]
fn a_retained_bucket_is_kept_on_replacement() {
    let d = diff(
        t(
            json!({"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "a"}, "UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain"}}),
        ),
        t(
            json!({"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}, "UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain"}}),
        ),
    );
    assert_eq!(res(&d, "B").data, Some(Fate::Kept));
    assert!(d.destroyed_data().is_empty());
}

#[test]
fn task_definition_family_replaces_and_knocks_on_nothing_in_place() {
    let old = t(json!({
        "Td": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "a", "ContainerDefinitions": [{"Name": "c", "Image": "i:1"}]}},
        "Svc": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": {"Ref": "Td"}, "DesiredCount": 1}}
    }));
    let mut new = old.clone();
    new["Resources"]["Td"]["Properties"]["Family"] = json!("b");
    let d = diff(old, new);
    let td = res(&d, "Td");
    assert_eq!(td.impact, Impact::Replace);
    assert!(td.reasons[0].starts_with("Family"));
    // TaskDefinition is not create-only on a service: it updates in place.
    assert!(d.resources.iter().all(|r| r.logical_id != "Svc"), "{d:#?}");
    assert_eq!(td.data, None, "a task definition holds no data");
}

#[test]
fn function_package_type_replaces() {
    let d = diff(
        t(
            json!({"F": {"Type": "AWS::Lambda::Function", "Properties": {"PackageType": "Zip", "MemorySize": 128}}}),
        ),
        t(
            json!({"F": {"Type": "AWS::Lambda::Function", "Properties": {"PackageType": "Image", "MemorySize": 256}}}),
        ),
    );
    let f = res(&d, "F");
    assert_eq!(f.impact, Impact::Replace);
    assert_eq!(f.properties.len(), 2);
    assert_eq!(f.reasons, ["PackageType cannot change in place"]);
}

#[test]
fn other_properties_change_in_place() {
    let d = diff(
        t(json!({"F": {"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": 128}}})),
        t(json!({"F": {"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": 256}}})),
    );
    assert_eq!(res(&d, "F").impact, Impact::InPlace);
    assert!(!d.replaces_or_deletes());
    assert!(d.has_changes());
}

#[test]
fn a_create_only_property_set_from_an_intrinsic_may_replace() {
    let d = diff(
        t(json!({"F": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "f"}}})),
        t(
            json!({"F": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": {"Fn::Sub": "${AWS::StackName}-f"}}}}),
        ),
    );
    assert_eq!(res(&d, "F").impact, Impact::MayReplace);
}

#[test]
fn a_resource_whose_create_only_property_refers_to_a_replaced_one_is_replaced_too() {
    let old = t(json!({
        "Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {"PerformanceMode": "generalPurpose"}},
        "Td": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Family": "f", "Volumes": [{"Name": "v", "EFSVolumeConfiguration": {"FilesystemId": {"Ref": "Fs"}}}]}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"Description": {"Ref": "Fs"}}}
    }));
    let mut new = old.clone();
    new["Resources"]["Fs"]["Properties"]["PerformanceMode"] = json!("maxIO");
    let d = diff(old, new);
    assert_eq!(res(&d, "Fs").impact, Impact::Replace);
    assert_eq!(res(&d, "Fs").data, Some(Fate::Destroyed));
    let td = res(&d, "Td");
    assert_eq!(td.impact, Impact::Replace);
    assert_eq!(td.reasons, ["Volumes refers to Fs, which is replaced"]);
    assert!(
        td.properties.is_empty(),
        "no text changed in the task definition"
    );
    assert!(
        d.resources.iter().all(|r| r.logical_id != "Role"),
        "Description is not create-only"
    );
}

#[test]
fn type_changes_replace() {
    let d = diff(
        t(json!({"X": {"Type": "AWS::S3::Bucket"}})),
        t(json!({"X": {"Type": "AWS::EFS::FileSystem"}})),
    );
    assert_eq!(res(&d, "X").impact, Impact::Replace);
}

#[test]
fn a_renamed_bucket_is_destroyed_and_offered_as_a_refactor() {
    let bucket = |path: &str| json!({"Type": "AWS::S3::Bucket", "Properties": {"Tags": [{"Key": "a", "Value": "b"}]}, "DeletionPolicy": "Delete", "Metadata": {"formwork:path": path}});
    let d = diff(
        t(json!({"DataBucketA1": bucket("S/Data/Resource")})),
        t(json!({"ArchiveBucketB2": bucket("S/Archive/Resource")})),
    );
    let gone = res(&d, "DataBucketA1");
    assert_eq!(gone.impact, Impact::Delete);
    assert_eq!(gone.data, Some(Fate::Destroyed));
    assert_eq!(gone.path.as_deref(), Some("S/Data/Resource"));
    assert_eq!(res(&d, "ArchiveBucketB2").impact, Impact::Create);
    assert_eq!(
        d.renames,
        [Rename {
            old_id: "DataBucketA1".into(),
            new_id: "ArchiveBucketB2".into(),
            type_name: "AWS::S3::Bucket".into()
        }]
    );
    assert_eq!(
        render::refactor_mapping(&d),
        json!([{"Source": {"StackName": "S", "LogicalResourceId": "DataBucketA1"}, "Destination": {"StackName": "S", "LogicalResourceId": "ArchiveBucketB2"}}])
    );
    assert_eq!(d.destroyed_data().len(), 1);
}

#[test]
fn a_retained_file_system_removed_is_kept_and_orphaned() {
    let fs = json!({"Type": "AWS::EFS::FileSystem", "Properties": {"Encrypted": true}, "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"});
    let d = diff(t(json!({"Old": fs.clone()})), t(json!({"New": fs})));
    assert_eq!(res(&d, "Old").data, Some(Fate::Kept));
    assert!(d.destroyed_data().is_empty());
    assert_eq!(d.renames.len(), 1);
    let mut text = Vec::new();
    write_text(
        &d,
        "S.template.json",
        &crate::output::Style::PLAIN,
        &mut text,
    );
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("kept (orphaned"), "{text}");
    assert!(text.contains("create-stack-refactor"), "{text}");
    assert!(text.contains(".override_logical_id(\"Old\")"), "{text}");
}

#[test]
fn iam_and_security_group_changes_are_tables_that_mark_broadening() {
    let old = t(json!({
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyName": "P", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]}},
        "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d"}}
    }));
    let new = t(json!({
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyName": "P", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}]}}]}},
        "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d", "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]}}
    }));
    let d = diff(old.clone(), new.clone());
    assert!(d.broadens());
    assert_eq!(d.iam_added.len(), 1);
    assert_eq!(d.iam_removed.len(), 1);
    assert_eq!(d.sg_added.len(), 1);
    let mut text = Vec::new();
    write_text(
        &d,
        "S.template.json",
        &crate::output::Style::PLAIN,
        &mut text,
    );
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("IAM statements (+ broadens access)"),
        "{text}"
    );
    assert!(
        text.contains("+ Role (P) │ Allow  │ s3:GetObject, s3:PutObject │ *"),
        "{text}"
    );
    assert!(text.contains("0.0.0.0/0 (the internet)"), "{text}");
    // The reverse narrows access.
    let back = diff(new, old);
    assert!(!back.broadens());
    assert!(back.has_changes());
}

#[test]
fn outputs_parameters_and_imported_exports() {
    let old = json!({"Resources": {}, "Parameters": {"P": {"Type": "String"}}, "Outputs": {
        "Url": {"Value": "a"}, "Shared": {"Value": "x", "Export": {"Name": "S-Shared"}}
    }});
    let new = json!({"Resources": {}, "Outputs": {"Url": {"Value": "b"}}});
    let importers = |name: &str| (name == "S-Shared").then(|| vec!["Consumer".to_owned()]);
    let d = compare("S", Some(&old), &new, &specs(), &importers);
    assert_eq!(d.outputs.len(), 2);
    assert_eq!(d.parameters.len(), 1);
    assert_eq!(d.blocked_exports().len(), 1);
    let mut text = Vec::new();
    write_text(
        &d,
        "S.template.json",
        &crate::output::Style::PLAIN,
        &mut text,
    );
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("~ Url: a → b"), "{text}");
    assert!(
        text.contains("imported by Consumer: CloudFormation will refuse"),
        "{text}"
    );
}

#[test]
fn unchanged_and_new_stacks() {
    let tpl = t(json!({"B": {"Type": "AWS::S3::Bucket"}}));
    let same = diff(tpl.clone(), tpl.clone());
    assert!(!same.has_changes());
    let fresh = compare("S", None, &tpl, &specs(), &none);
    assert!(fresh.has_changes());
    assert!(!fresh.replaces_or_deletes());
    let j = to_json(&[same, fresh]);
    assert_eq!(j["stacks"][0]["changed"], false);
    assert_eq!(j["stacks"][1]["deployed"], false);
}
