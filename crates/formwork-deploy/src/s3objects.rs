//! Listing every version in a bucket and deleting objects in batches,
//! through the AWS CLI: `s3api list-object-versions` page by page, and
//! `s3api delete-objects` 1,000 at a time with each request in a file.
//!
//! `destroy` empties a bucket with both, by version id: `s3 rm
//! --recursive` is not enough, in a bucket with versioning it only adds
//! delete markers, the old versions stay, and CloudFormation cannot delete
//! a bucket that holds any (`BucketNotEmpty`, the stack ends
//! `DELETE_FAILED`). A bucket without versioning lists each object once,
//! with the version id `null`, so the same path empties both.
//!
//! The whole listing is read before anything is deleted: a page then never
//! starts after a version that is already gone.

use serde_json::{Value as Json, json};

use crate::aws::{Aws, words};
use crate::error::{Error, Result};
use crate::private::Private;

/// What `delete-objects` takes at most in one call (an S3 limit).
pub(crate) const BATCH: usize = 1000;

/// What one `list-object-versions` page asks for (S3 answers at most
/// 1,000 anyway).
const PAGE: &str = "1000";

/// How many failed keys an error names before it counts the rest.
const NAMED: usize = 10;

/// An object, or one version or delete marker of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ObjectVersion {
    /// The object's key.
    pub key: String,
    /// Its version id (`null` in a bucket that never had versioning);
    /// `None` for the object itself (deleting it in a bucket with
    /// versioning adds a delete marker).
    pub version_id: Option<String>,
}

impl ObjectVersion {
    /// The object itself, by key.
    pub(crate) fn key(key: impl Into<String>) -> ObjectVersion {
        ObjectVersion {
            key: key.into(),
            version_id: None,
        }
    }
}

/// Where the next page of a listing starts: after this key and version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Marker {
    /// `NextKeyMarker`.
    pub key: String,
    /// `NextVersionIdMarker`, when S3 gives one.
    pub version_id: Option<String>,
}

/// One page of `list-object-versions`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Page {
    /// Its `Versions`.
    pub versions: Vec<ObjectVersion>,
    /// Its `DeleteMarkers`.
    pub delete_markers: Vec<ObjectVersion>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Marker>,
}

/// Everything a bucket holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Contents {
    /// Object versions (current and old).
    pub versions: Vec<ObjectVersion>,
    /// Delete markers.
    pub delete_markers: Vec<ObjectVersion>,
}

impl Contents {
    /// True when the bucket holds nothing.
    pub(crate) fn is_empty(&self) -> bool {
        self.versions.is_empty() && self.delete_markers.is_empty()
    }

    /// Every version and delete marker.
    pub(crate) fn all(&self) -> Vec<ObjectVersion> {
        self.versions
            .iter()
            .chain(&self.delete_markers)
            .cloned()
            .collect()
    }

    /// What it holds, in words: `3 objects` for a bucket that never had
    /// versioning, else `5 object versions and 2 delete markers`.
    pub(crate) fn describe(&self) -> String {
        let n =
            |count: usize, one: &str| format!("{count} {one}{}", if count == 1 { "" } else { "s" });
        let unversioned = self.delete_markers.is_empty()
            && self
                .versions
                .iter()
                .all(|v| v.version_id.as_deref() == Some("null"));
        if unversioned {
            return n(self.versions.len(), "object");
        }
        let versions = n(self.versions.len(), "object version");
        if self.delete_markers.is_empty() {
            versions
        } else {
            format!(
                "{versions} and {}",
                n(self.delete_markers.len(), "delete marker")
            )
        }
    }
}

/// The arguments of one `list-object-versions` call. `--no-paginate`: one
/// page per call, its markers in the answer (the CLI's own pagination would
/// read the whole bucket into one answer).
pub(crate) fn list_args(bucket: &str, after: Option<&Marker>) -> Vec<String> {
    let mut a = words(&[
        "s3api",
        "list-object-versions",
        "--bucket",
        bucket,
        "--max-keys",
        PAGE,
        "--no-paginate",
    ]);
    if let Some(m) = after {
        a.extend(["--key-marker".into(), m.key.clone()]);
        if let Some(v) = &m.version_id {
            a.extend(["--version-id-marker".into(), v.clone()]);
        }
    }
    a
}

fn entries(page: &Json, field: &str) -> std::result::Result<Vec<ObjectVersion>, String> {
    let Some(list) = page.get(field) else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or_else(|| format!("`{field}` is not a list: {list}"))?;
    list.iter()
        .map(|e| match (e["Key"].as_str(), e["VersionId"].as_str()) {
            (Some(key), Some(version_id)) => Ok(ObjectVersion {
                key: key.to_owned(),
                version_id: Some(version_id.to_owned()),
            }),
            _ => Err(format!(
                "an entry of `{field}` without Key or VersionId: {e}"
            )),
        })
        .collect()
}

/// Reads one `list-object-versions` answer (`null` for the empty answer
/// of an empty bucket).
pub(crate) fn parse_page(page: &Json) -> std::result::Result<Page, String> {
    if page.is_null() {
        return Ok(Page::default());
    }
    let next = if page["IsTruncated"].as_bool() == Some(true) {
        let key = page["NextKeyMarker"]
            .as_str()
            .filter(|k| !k.is_empty())
            .ok_or("`IsTruncated` without a `NextKeyMarker`")?;
        Some(Marker {
            key: key.to_owned(),
            version_id: page["NextVersionIdMarker"]
                .as_str()
                .filter(|v| !v.is_empty())
                .map(str::to_owned),
        })
    } else {
        None
    };
    Ok(Page {
        versions: entries(page, "Versions")?,
        delete_markers: entries(page, "DeleteMarkers")?,
        next,
    })
}

/// Every version and delete marker in `bucket`, page by page; `None` when
/// the bucket no longer exists.
pub(crate) fn list(aws: &Aws, bucket: &str, region: Option<&str>) -> Result<Option<Contents>> {
    let mut all = Contents::default();
    let mut after: Option<Marker> = None;
    loop {
        let args = list_args(bucket, after.as_ref());
        let answer = match aws.json(&args, region) {
            Ok(a) => a,
            Err(e) if e.stderr.contains("NoSuchBucket") => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let page = parse_page(&answer).map_err(|e| {
            Error::failed(format!(
                "`{}` answered something unexpected: {e}",
                aws.command_line(&args, region)
            ))
        })?;
        all.versions.extend(page.versions);
        all.delete_markers.extend(page.delete_markers);
        match page.next {
            None => return Ok(Some(all)),
            Some(next) if after.as_ref() == Some(&next) => {
                return Err(Error::failed(format!(
                    "`{}` answered the same page again (next key marker `{}`)",
                    aws.command_line(&args, region),
                    next.key
                )));
            }
            Some(next) => after = Some(next),
        }
    }
}

/// The `--delete` request of one `delete-objects` call: each version by
/// its id (without one, a bucket with versioning only adds a delete
/// marker), an object without one by its key; `Quiet` so that the answer
/// lists only what failed.
pub(crate) fn delete_request(batch: &[ObjectVersion]) -> Json {
    let objects: Vec<Json> = batch
        .iter()
        .map(|o| match &o.version_id {
            Some(v) => json!({"Key": o.key, "VersionId": v}),
            None => json!({"Key": o.key}),
        })
        .collect();
    json!({"Objects": objects, "Quiet": true})
}

/// The `Errors` of one `delete-objects` answer, one line each:
/// `key (version v): Code: Message` (without the version when the answer
/// gives none).
pub(crate) fn failures(answer: &Json) -> Vec<String> {
    answer["Errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let s = |f: &str| e[f].as_str().unwrap_or("?");
            let version = e["VersionId"]
                .as_str()
                .map(|v| format!(" (version {v})"))
                .unwrap_or_default();
            format!("{}{version}: {}: {}", s("Key"), s("Code"), s("Message"))
        })
        .collect()
}

/// The error for what `delete-objects` refused.
fn not_deleted(failed: &[String], total: usize) -> Error {
    let mut named = failed[..failed.len().min(NAMED)].join("; ");
    if failed.len() > NAMED {
        named.push_str(&format!("; and {} more", failed.len() - NAMED));
    }
    Error::failed(format!(
        "{} of {total} deletions failed: {named}",
        failed.len()
    ))
}

/// Deletes `objects` (by version, or by key) from `bucket`, at most
/// [`BATCH`] a call, each request passed as a file (a command line this
/// long would pass the limits of Windows and of some shells). Goes on
/// after a refused key, then fails naming every one (the first ten, then a
/// count); the caller says which bucket and why.
pub(crate) fn delete(
    aws: &Aws,
    bucket: &str,
    region: Option<&str>,
    objects: &[ObjectVersion],
) -> Result<()> {
    if objects.is_empty() {
        return Ok(());
    }
    let dir = Private::new("delete-objects")
        .map_err(|e| Error::failed(format!("cannot make a temporary folder: {e}")))?;
    let mut failed = Vec::new();
    for (i, batch) in objects.chunks(BATCH).enumerate() {
        let file = dir
            .write(
                &format!("delete-{i}.json"),
                &delete_request(batch).to_string(),
            )
            .map_err(|e| Error::failed(format!("cannot write a delete request: {e}")))?;
        let answer = aws.json(
            &words(&[
                "s3api",
                "delete-objects",
                "--bucket",
                bucket,
                "--delete",
                &format!("file://{}", file.to_string_lossy()),
            ]),
            region,
        );
        let _ = std::fs::remove_file(&file);
        failed.extend(failures(&answer?));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(not_deleted(&failed, objects.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(key: &str, version_id: &str) -> ObjectVersion {
        ObjectVersion {
            key: key.into(),
            version_id: Some(version_id.into()),
        }
    }

    #[test]
    fn reads_versions_markers_and_where_the_next_page_starts() {
        let page = json!({
            "IsTruncated": true,
            "KeyMarker": "",
            "NextKeyMarker": "b.txt",
            "NextVersionIdMarker": "v2",
            "Versions": [
                {"Key": "a.txt", "VersionId": "v1", "IsLatest": true, "Size": 1},
                {"Key": "a.txt", "VersionId": "v0", "IsLatest": false, "Size": 1}
            ],
            "DeleteMarkers": [{"Key": "b.txt", "VersionId": "v2", "IsLatest": true}]
        });
        assert_eq!(
            parse_page(&page).unwrap(),
            Page {
                versions: vec![v("a.txt", "v1"), v("a.txt", "v0")],
                delete_markers: vec![v("b.txt", "v2")],
                next: Some(Marker {
                    key: "b.txt".into(),
                    version_id: Some("v2".into())
                }),
            }
        );
    }

    #[test]
    fn the_last_page_and_an_empty_bucket_have_no_next_page() {
        let last = json!({"IsTruncated": false, "NextKeyMarker": "ignored",
            "Versions": [{"Key": "k", "VersionId": "null"}]});
        let p = parse_page(&last).unwrap();
        assert_eq!((p.versions, p.next), (vec![v("k", "null")], None));
        assert_eq!(parse_page(&Json::Null).unwrap(), Page::default());
        assert_eq!(
            parse_page(&json!({"IsTruncated": false})).unwrap(),
            Page::default()
        );
        // Only a key marker (S3 gives no version marker after a prefix).
        let p = parse_page(&json!({"IsTruncated": true, "NextKeyMarker": "k"})).unwrap();
        assert_eq!(
            p.next,
            Some(Marker {
                key: "k".into(),
                version_id: None
            })
        );
    }

    #[test]
    fn an_answer_it_cannot_follow_is_an_error() {
        let e = parse_page(&json!({"IsTruncated": true})).unwrap_err();
        assert!(e.contains("NextKeyMarker"), "{e}");
        let e = parse_page(&json!({"Versions": [{"Key": "k"}]})).unwrap_err();
        assert!(e.contains("without Key or VersionId"), "{e}");
        let e = parse_page(&json!({"DeleteMarkers": {"Key": "k"}})).unwrap_err();
        assert!(e.contains("not a list"), "{e}");
    }

    #[test]
    fn each_page_starts_after_the_last_one() {
        assert_eq!(
            list_args("b", None),
            words(&[
                "s3api",
                "list-object-versions",
                "--bucket",
                "b",
                "--max-keys",
                "1000",
                "--no-paginate"
            ])
        );
        let after = Marker {
            key: "dir/a b.txt".into(),
            version_id: Some("v9".into()),
        };
        let a = list_args("b", Some(&after));
        assert_eq!(
            a[7..],
            words(&["--key-marker", "dir/a b.txt", "--version-id-marker", "v9"])
        );
        let only_key = Marker {
            version_id: None,
            ..after
        };
        assert_eq!(
            list_args("b", Some(&only_key))[7..],
            words(&["--key-marker", "dir/a b.txt"])
        );
    }

    #[test]
    fn deletes_by_version_in_batches_of_at_most_a_thousand() {
        let many: Vec<ObjectVersion> = (0..2_345)
            .map(|i| v(&format!("k{i}"), &format!("v{i}")))
            .collect();
        let sizes: Vec<usize> = many.chunks(BATCH).map(<[_]>::len).collect();
        assert_eq!(sizes, [1000, 1000, 345]);
        let r = delete_request(&many[..2]);
        assert_eq!(
            r,
            json!({"Objects": [
                {"Key": "k0", "VersionId": "v0"},
                {"Key": "k1", "VersionId": "v1"}
            ], "Quiet": true})
        );
        // By key only: the object itself.
        assert_eq!(
            delete_request(&[ObjectVersion::key("gone.txt")]),
            json!({"Objects": [{"Key": "gone.txt"}], "Quiet": true})
        );
        // Keys are JSON strings, whatever they hold.
        let odd = delete_request(&[v("a \"quoted\"\n/ü", "null")]);
        let back: Json = serde_json::from_str(&odd.to_string()).unwrap();
        assert_eq!(back["Objects"][0]["Key"], "a \"quoted\"\n/ü");
    }

    #[test]
    fn names_what_could_not_be_deleted() {
        let answer = json!({"Errors": [
            {"Key": "a.txt", "VersionId": "v1", "Code": "AccessDenied", "Message": "Access Denied"}
        ]});
        assert_eq!(
            failures(&answer),
            ["a.txt (version v1): AccessDenied: Access Denied"]
        );
        let without_version =
            json!({"Errors": [{"Key": "b", "Code": "InternalError", "Message": "retry"}]});
        assert_eq!(failures(&without_version), ["b: InternalError: retry"]);
        assert!(failures(&json!({})).is_empty());
        assert!(failures(&Json::Null).is_empty());
        let many: Vec<String> = (0..12).map(|i| format!("k{i}")).collect();
        let e = not_deleted(&many, 40).to_string();
        assert!(e.starts_with("12 of 40 deletions failed: k0; k1;"), "{e}");
        assert!(e.ends_with("k9; and 2 more"), "{e}");
    }

    #[test]
    fn says_what_a_bucket_holds() {
        let c = |versions: Vec<ObjectVersion>, delete_markers: Vec<ObjectVersion>| Contents {
            versions,
            delete_markers,
        };
        assert_eq!(c(vec![v("a", "null")], vec![]).describe(), "1 object");
        assert_eq!(
            c(vec![v("a", "null"), v("b", "null")], vec![]).describe(),
            "2 objects"
        );
        assert_eq!(
            c(vec![v("a", "1"), v("a", "0")], vec![]).describe(),
            "2 object versions"
        );
        assert_eq!(
            c(vec![v("a", "1")], vec![v("b", "2"), v("c", "3")]).describe(),
            "1 object version and 2 delete markers"
        );
        let full = c(vec![v("a", "1")], vec![v("b", "2")]);
        assert_eq!(full.all(), [v("a", "1"), v("b", "2")]);
        assert!(!full.is_empty() && Contents::default().is_empty());
    }
}
