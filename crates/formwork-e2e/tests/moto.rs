//! Every example deployed to a local moto server, and checked through the
//! service APIs for the resource types moto models.

use formwork::Context;
use formwork_e2e::Moto;

#[test]
fn l1_basics_deploys_and_its_resources_exist() {
    let Some(moto) = Moto::start("l1-basics") else {
        return;
    };
    let asm = l1_basics::app(&Context::new()).unwrap().synth().unwrap();
    let d = moto.deploy(&asm, "l1-basics");
    assert_eq!(d.stack_names(), ["L1Storage", "L1Compute"]);

    let bucket = d.physical_id("L1Storage", "Data");
    let enc = moto
        .aws(&["s3api", "get-bucket-encryption", "--bucket", &bucket])
        .unwrap();
    assert_eq!(
        enc["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]
            ["SSEAlgorithm"],
        "AES256"
    );

    let function = d.physical_id("L1Compute", "Reader");
    let f = moto
        .aws(&["lambda", "get-function", "--function-name", &function])
        .unwrap();
    assert_eq!(f["Configuration"]["Runtime"], "python3.12");
    assert_eq!(f["Configuration"]["MemorySize"], 128);
    assert_eq!(f["Configuration"]["Timeout"], 10);
    assert_eq!(
        f["Configuration"]["Environment"]["Variables"]["BUCKET_NAME"],
        bucket.as_str(),
        "the import resolved"
    );

    let role = d.physical_id("L1Compute", "ReaderRole");
    let p = moto
        .aws(&[
            "iam",
            "get-role-policy",
            "--role-name",
            &role,
            "--policy-name",
            "ReadData",
        ])
        .unwrap();
    let doc = formwork_e2e::policy_document(&p["PolicyDocument"]);
    let stmt = &doc["Statement"][0];
    assert_eq!(stmt["Action"], "s3:GetObject");
    assert_eq!(stmt["Resource"], format!("arn:aws:s3:::{bucket}/*"));
    assert!(
        d.output("L1Compute", "ReaderArn")
            .is_some_and(|a| a.ends_with(&function))
    );
}
