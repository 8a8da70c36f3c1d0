//! An asset's entry of `manifest.json`, written straight into the writer:
//! the entry [`Asset::manifest_json`] gives, key for key, without building
//! a `serde_json` tree first (its maps and the tree's drop were about
//! 90,000 instructions an asset in a debug build).

use crate::asset::{ASSETS_BUCKET_PREFIX, ASSETS_REPOSITORY, ASSETS_STACK, Asset, Destination};

use super::sink::Sink;

/// Writes `a`'s entry, used by the constructs at `used_by`.
pub(super) fn write<S: Sink>(a: &Asset, used_by: &[String], w: &mut S) {
    w.begin_object();
    w.str_entry("id", &a.id());
    w.str_entry("kind", a.kind.as_str());
    w.str_entry("source", &a.source);
    w.str_entry("hash", &a.hash);
    if let Some(b) = &a.build {
        w.key("build");
        w.begin_object();
        w.str_entry("command", b.command());
        w.key("output");
        optional(w, b.output_dir());
        w.end_object();
    }
    if !a.excludes.is_empty() {
        w.key("exclude");
        strings(w, &a.excludes);
    }
    if let Some(p) = a.platform {
        w.str_entry("platform", p.as_str());
    }
    if let Some(d) = &a.docker {
        w.key("docker");
        w.begin_object();
        w.str_entry("file", d.file.as_deref().unwrap_or("Dockerfile"));
        w.key("buildArgs");
        w.begin_object();
        // As a JSON object holds them: an argument given twice keeps its
        // first place and its last value.
        for (j, (k, _)) in d.build_args.iter().enumerate() {
            if d.build_args[..j].iter().any(|(earlier, _)| earlier == k) {
                continue;
            }
            let last = d.build_args.iter().rev().find(|(key, _)| key == k);
            w.str_entry(k, last.map_or("", |(_, v)| v.as_str()));
        }
        w.end_object();
        w.key("target");
        optional(w, d.target.as_deref());
        w.end_object();
    }
    w.key("destination");
    w.begin_object();
    match &a.destination {
        Destination::AssetsBucket { key } => {
            w.str_entry("type", "assetsBucket");
            w.str_entry("stack", ASSETS_STACK);
            w.str_entry(
                "bucket",
                &[ASSETS_BUCKET_PREFIX, "-<account>-<region>"].concat(),
            );
            w.str_entry("key", key);
        }
        Destination::AssetsRepository { tag } => {
            w.str_entry("type", "assetsRepository");
            w.str_entry("stack", ASSETS_STACK);
            w.str_entry("repository", ASSETS_REPOSITORY);
            w.str_entry("tag", tag);
        }
        Destination::Repository { stack, name, tag } => {
            w.str_entry("type", "repository");
            w.str_entry("stack", stack);
            w.str_entry("repository", name);
            w.str_entry("tag", tag);
        }
        Destination::Bucket {
            stack,
            logical_id,
            prefix,
            prune,
            invalidate,
        } => {
            w.str_entry("type", "bucket");
            w.str_entry("stack", stack);
            w.str_entry("bucketLogicalId", logical_id);
            w.str_entry("prefix", prefix);
            w.key("deleteRemoved");
            w.bool(*prune);
            w.key("invalidate");
            w.begin_array();
            for (s, l) in invalidate {
                w.begin_object();
                w.str_entry("stack", s);
                w.str_entry("distributionLogicalId", l);
                w.end_object();
            }
            w.end_array();
        }
    }
    w.end_object();
    w.key("usedBy");
    strings(w, used_by);
    w.end_object();
}

fn optional<S: Sink>(w: &mut S, v: Option<&str>) {
    match v {
        Some(s) => w.string(s),
        None => w.null(),
    }
}

fn strings<S: Sink>(w: &mut S, items: &[String]) {
    w.begin_array();
    for s in items {
        w.string(s);
    }
    w.end_array();
}

#[cfg(test)]
mod tests {
    use super::super::pretty::PrettyWriter;
    use super::*;
    use crate::asset::{AssetKind, BuildStep, DockerBuild, Platform};
    use crate::test_rng::Rng;

    const WORDS: &[&str] = &["", "a", "Web", "q\"uote", "é", "x/y", "a", "Web"];

    fn word(g: &mut Rng) -> String {
        (*g.pick(WORDS)).to_owned()
    }

    fn words(g: &mut Rng) -> Vec<String> {
        (0..g.below(4)).map(|_| word(g)).collect()
    }

    fn asset(g: &mut Rng) -> Asset {
        let destination = match g.below(4) {
            0 => Destination::AssetsBucket { key: word(g) },
            1 => Destination::AssetsRepository { tag: word(g) },
            2 => Destination::Repository {
                stack: word(g),
                name: word(g),
                tag: word(g),
            },
            _ => Destination::Bucket {
                stack: word(g),
                logical_id: word(g),
                prefix: word(g),
                prune: g.chance(50),
                invalidate: (0..g.below(3)).map(|_| (word(g), word(g))).collect(),
            },
        };
        let build = g.chance(50).then(|| {
            let step = BuildStep::new(word(g));
            if g.chance(50) {
                step.output(word(g))
            } else {
                step
            }
        });
        let docker = g.chance(50).then(|| DockerBuild {
            file: g.chance(50).then(|| word(g)),
            build_args: (0..g.below(4)).map(|_| (word(g), word(g))).collect(),
            target: g.chance(50).then(|| word(g)),
        });
        Asset {
            path: word(g),
            kind: *g.pick(&[AssetKind::Zip, AssetKind::Image, AssetKind::Files]),
            source: word(g),
            source_dir: std::path::PathBuf::new(),
            hash: "0123456789abcdef0123456789abcdef".to_owned(),
            build,
            excludes: words(g),
            docker,
            platform: g
                .chance(50)
                .then(|| *g.pick(&[Platform::LinuxAmd64, Platform::LinuxArm64])),
            destination,
            files: 0,
            bytes: 0,
        }
    }

    #[test]
    fn entries_are_written_as_the_json_entry_is() {
        let mut g = Rng(0x9E37_79B9_7F4A_7C15);
        for case in 0..2000 {
            let a = asset(&mut g);
            let used_by = words(&mut g);
            let mut expected = PrettyWriter::with_capacity(256);
            expected.json(&a.manifest_json(&used_by));
            let mut got = PrettyWriter::with_capacity(256);
            write(&a, &used_by, &mut got);
            assert_eq!(got.finish(), expected.finish(), "case {case}: {a:?}");
        }
    }
}
