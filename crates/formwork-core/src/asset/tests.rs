use std::path::PathBuf;

use super::*;
use crate::test_rng::Rng;
use crate::{App, Context};

struct Tmp(PathBuf);
impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tmp(label: &str) -> Tmp {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let d = std::env::temp_dir().join(format!(
        "fw-asset-{label}-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    Tmp(d)
}

fn write(root: &std::path::Path, rel: &str, body: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, body).unwrap();
}

fn zip_dest(h: &str) -> Destination {
    Destination::AssetsBucket {
        key: format!("{h}.zip"),
    }
}

fn hash_of(project: &std::path::Path, spec: AssetSpec) -> Option<String> {
    let app = App::with_context(Context::new().with_project_dir(project));
    let st = app.stack("S").unwrap();
    st.add_asset(spec, zip_dest).map(|a| a.hash)
}

fn errors_of(project: &std::path::Path, spec: AssetSpec) -> String {
    let app = App::with_context(Context::new().with_project_dir(project));
    let st = app.stack("S").unwrap();
    let f = st.child("Fn").unwrap();
    assert!(f.add_asset(spec, zip_dest).is_none());
    match app.synth() {
        Err(e) => e.to_string(),
        Ok(_) => panic!("synth should fail"),
    }
}

#[test]
fn the_hash_changes_when_and_only_when_an_input_changes() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..40 {
        let t = tmp("prop");
        let n = 1 + rng.below(6) as usize;
        let mut files = Vec::new();
        for i in 0..n {
            let rel = format!("d{}/f{i}.txt", rng.below(3));
            let body: Vec<u8> = (0..rng.below(64)).map(|_| rng.below(256) as u8).collect();
            write(&t.0, &format!("src/{rel}"), &body);
            files.push((rel, body));
        }
        let spec = || AssetSpec::new(AssetKind::Zip, "src");
        let base = hash_of(&t.0, spec()).unwrap();
        // Same inputs, again, and after touching timestamps: same hash.
        assert_eq!(hash_of(&t.0, spec()).unwrap(), base, "case {case}");
        let (rel, body) = &files[rng.below(n as u64) as usize];
        write(&t.0, &format!("src/{rel}"), body);
        assert_eq!(hash_of(&t.0, spec()).unwrap(), base, "rewrite, case {case}");
        // Each kind of change changes it.
        let mut changed = body.clone();
        changed.push(b'x');
        write(&t.0, &format!("src/{rel}"), &changed);
        let h1 = hash_of(&t.0, spec()).unwrap();
        assert_ne!(h1, base, "content, case {case}");
        write(&t.0, &format!("src/{rel}"), body);
        assert_eq!(
            hash_of(&t.0, spec()).unwrap(),
            base,
            "restored, case {case}"
        );
        write(&t.0, "src/new.txt", b"");
        assert_ne!(
            hash_of(&t.0, spec()).unwrap(),
            base,
            "new file, case {case}"
        );
        std::fs::remove_file(t.0.join("src/new.txt")).unwrap();
        let built = spec().build(BuildStep::new("make"));
        assert_ne!(hash_of(&t.0, built).unwrap(), base, "build, case {case}");
        let excl = spec().exclude(["nothing-matches"]);
        assert_ne!(hash_of(&t.0, excl).unwrap(), base, "exclude, case {case}");
        // Renaming a file changes it.
        std::fs::rename(
            t.0.join(format!("src/{rel}")),
            t.0.join(format!("src/{rel}.moved")),
        )
        .unwrap();
        assert_ne!(hash_of(&t.0, spec()).unwrap(), base, "rename, case {case}");
    }
}

#[cfg(unix)]
#[test]
fn the_executable_bit_is_an_input() {
    use std::os::unix::fs::PermissionsExt;
    let t = tmp("exec");
    write(&t.0, "src/run.sh", b"#!/bin/sh\n");
    let a = hash_of(&t.0, AssetSpec::new(AssetKind::Zip, "src")).unwrap();
    std::fs::set_permissions(
        t.0.join("src/run.sh"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let b = hash_of(&t.0, AssetSpec::new(AssetKind::Zip, "src")).unwrap();
    assert_ne!(a, b);
}

#[test]
fn excluded_files_and_build_outputs_are_not_inputs() {
    let t = tmp("excl");
    write(&t.0, "fn/src/index.ts", b"export {}");
    let spec = || {
        AssetSpec::new(AssetKind::Zip, "fn")
            .build(BuildStep::new("npm run build").output("dist"))
            .exclude(["node_modules"])
    };
    let a = hash_of(&t.0, spec()).unwrap();
    write(&t.0, "fn/node_modules/x/index.js", b"1");
    write(&t.0, "fn/dist/index.js", b"2");
    assert_eq!(hash_of(&t.0, spec()).unwrap(), a);
}

#[test]
fn docker_inputs_and_dockerignore() {
    let t = tmp("docker");
    write(&t.0, "img/Dockerfile", b"FROM scratch\n");
    write(&t.0, "img/app.py", b"print(1)\n");
    write(&t.0, "img/.dockerignore", b"*.log\n");
    let spec = || AssetSpec::new(AssetKind::Image, "img").platform(Platform::LinuxAmd64);
    let a = hash_of(&t.0, spec()).unwrap();
    write(&t.0, "img/debug.log", b"noise");
    assert_eq!(hash_of(&t.0, spec()).unwrap(), a, ".dockerignore respected");
    let arm = AssetSpec::new(AssetKind::Image, "img").platform(Platform::LinuxArm64);
    assert_ne!(hash_of(&t.0, arm).unwrap(), a);
    let args = spec().docker(DockerBuild {
        build_args: vec![("V".into(), "1".into())],
        ..DockerBuild::default()
    });
    assert_ne!(hash_of(&t.0, args).unwrap(), a);
    let target = spec().docker(DockerBuild {
        target: Some("prod".into()),
        ..DockerBuild::default()
    });
    assert_ne!(hash_of(&t.0, target).unwrap(), a);
    write(&t.0, "img/Dockerfile", b"FROM scratch\nCMD [\"x\"]\n");
    assert_ne!(hash_of(&t.0, spec()).unwrap(), a);
}

#[test]
fn errors_name_the_construct() {
    let t = tmp("errs");
    let e = errors_of(&t.0, AssetSpec::new(AssetKind::Zip, "nope"));
    assert!(
        e.contains("FW0701") && e.contains("S/Fn") && e.contains("\"nope\""),
        "{e}"
    );
    let e = errors_of(&t.0, AssetSpec::new(AssetKind::Zip, "../../etc"));
    assert!(e.contains("FW0702"), "{e}");
    std::fs::create_dir_all(t.0.join("empty")).unwrap();
    let e = errors_of(&t.0, AssetSpec::new(AssetKind::Zip, "empty"));
    assert!(e.contains("FW0703") && e.contains("no file"), "{e}");
    write(&t.0, "img/app.py", b"1");
    let e = errors_of(&t.0, AssetSpec::new(AssetKind::Image, "img"));
    assert!(e.contains("FW0704") && e.contains("Dockerfile"), "{e}");
    write(&t.0, "code/a.js", b"1");
    let e = errors_of(
        &t.0,
        AssetSpec::new(AssetKind::Zip, "code").build(BuildStep::new("x").output("../up")),
    );
    assert!(e.contains("FW0709"), "{e}");
    let e = errors_of(
        &t.0,
        AssetSpec::new(AssetKind::Zip, "code").build(BuildStep::new(" ")),
    );
    assert!(e.contains("FW0709"), "{e}");
}

#[test]
fn the_manifest_lists_assets_once_per_content_and_destination() {
    let t = tmp("manifest");
    write(&t.0, "img/Dockerfile", b"FROM scratch\n");
    let app = App::with_context(Context::new().with_project_dir(&t.0));
    let st = app.stack("S").unwrap();
    let spec = || AssetSpec::new(AssetKind::Image, "img").platform(Platform::LinuxAmd64);
    let dest = |h: &str| Destination::AssetsRepository { tag: h.to_owned() };
    let a = st.child("A").unwrap().add_asset(spec(), dest).unwrap();
    let b = st.child("B").unwrap().add_asset(spec(), dest).unwrap();
    assert_eq!(a.hash, b.hash);
    st.add("Thing", crate::testing::CfnThing::new()).unwrap();
    let asm = app.synth().unwrap();
    assert_eq!(asm.assets.len(), 1);
    assert_eq!(asm.assets[0].used_by, ["S/A", "S/B"]);
    assert_eq!(asm.assets[0].consumers, ["S"]);
    let m: serde_json::Value = serde_json::from_str(asm.manifest()).unwrap();
    let entry = &m["assets"][0];
    assert_eq!(entry["kind"], "image");
    assert_eq!(entry["source"], "img");
    assert_eq!(entry["platform"], "linux/amd64");
    assert_eq!(entry["hash"], a.hash.as_str());
    assert_eq!(entry["destination"]["tag"], a.hash.as_str());
    assert!(
        !asm.manifest().contains(&*t.0.to_string_lossy()),
        "no absolute path"
    );
}

#[test]
fn a_repository_and_its_consumer_in_one_stack_is_an_error() {
    let t = tmp("same");
    write(&t.0, "img/Dockerfile", b"FROM scratch\n");
    let app = App::with_context(Context::new().with_project_dir(&t.0));
    let st = app.stack("S").unwrap();
    st.child("Fn")
        .unwrap()
        .add_asset(AssetSpec::new(AssetKind::Image, "img"), |h| {
            Destination::Repository {
                stack: "S".into(),
                name: "repo".into(),
                tag: h.into(),
            }
        })
        .unwrap();
    let e = app.synth().unwrap_err().to_string();
    assert!(
        e.contains("FW0708") && e.contains("stack of its own"),
        "{e}"
    );
}

#[test]
fn a_single_file_is_an_asset() {
    let t = tmp("file");
    write(&t.0, "config/model_map.json", b"{}");
    let app = App::with_context(Context::new().with_project_dir(&t.0));
    let st = app.stack("S").unwrap();
    let a = st
        .add_asset(
            AssetSpec::new(AssetKind::Files, "config/model_map.json"),
            zip_dest,
        )
        .unwrap();
    assert_eq!(a.files, 1);
    assert_eq!(a.source, "config/model_map.json");
}

#[test]
fn a_source_declared_twice_in_a_stack_is_read_once() {
    let t = tmp("twice");
    write(&t.0, "src/a.txt", b"one");
    write(&t.0, "src/b.txt", b"two");
    let app = App::with_context(Context::new().with_project_dir(&t.0));
    let st = app.stack("S").unwrap();
    let spec = || AssetSpec::new(AssetKind::Zip, "src");
    let first = st.add_asset(spec(), zip_dest).unwrap();
    // Changed on disk between two declarations of one synth: the second
    // declaration of the same source and options is the first one's.
    write(&t.0, "src/a.txt", b"changed");
    let again = st
        .child("Other")
        .unwrap()
        .add_asset(spec(), zip_dest)
        .unwrap();
    assert_eq!(
        (again.hash.as_str(), again.files, again.bytes),
        (first.hash.as_str(), 2, 6)
    );
    assert_eq!(again.path, "S/Other");
    // Other options are another asset: read now, with what is on disk.
    let other = st.add_asset(spec().exclude(["b.txt"]), zip_dest).unwrap();
    assert_eq!((other.files, other.bytes), (1, 7));
    assert_ne!(other.hash, first.hash);
    // Another stack reads the source itself.
    let elsewhere = app.stack("T").unwrap().add_asset(spec(), zip_dest).unwrap();
    assert_ne!(elsewhere.hash, first.hash);
    assert_eq!(elsewhere.bytes, 10);
}
