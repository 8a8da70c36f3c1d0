//! Reading the vendored files from disk.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::SpecError;
use crate::model::{Registry, RuntimeLifecycle};
use crate::normalize::JsonUse;
use crate::resource::normalize_resource;

/// The file listing regions and the types each has.
const REGIONS_FILE: &str = "regions.json";
/// Provenance; its `- Version: X` line gives [`Registry::source_version`].
const SOURCE_FILE: &str = "SOURCE.md";
/// Lambda runtime lifecycle dates.
const LAMBDA_FILE: &str = "lambda-runtime-lifecycle.json";

/// A loaded registry and, per type, where its schema fell back to `Json`.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub registry: Registry,
    /// Read by the tests' report.
    #[cfg_attr(not(test), allow(dead_code))]
    pub json_uses: Vec<(String, JsonUse)>,
}

pub(crate) fn load_all(dir: &Path) -> Result<Loaded, SpecError> {
    let regions_path = dir.join(REGIONS_FILE);
    let index = read_json(&regions_path)?;
    let regions = strings(&index["regions"])
        .ok_or_else(|| SpecError::invalid(&regions_path, "`regions` is not a list of strings"))?;
    let types = index["types"]
        .as_object()
        .ok_or_else(|| SpecError::invalid(&regions_path, "`types` is not an object"))?;

    let mut resources = Vec::with_capacity(types.len());
    let mut json_uses = Vec::new();
    for (type_name, type_regions) in types {
        let type_regions = strings(type_regions).ok_or_else(|| {
            SpecError::invalid(
                &regions_path,
                format!("`types.{type_name}` is not a list of strings"),
            )
        })?;
        let path = schema_path(dir, type_name).ok_or_else(|| {
            SpecError::invalid(&regions_path, format!("unexpected type name {type_name}"))
        })?;
        let schema = read_json(&path)?;
        if schema.get("typeName").and_then(Value::as_str) != Some(type_name.as_str()) {
            return Err(SpecError::invalid(
                &path,
                format!("typeName is not {type_name}"),
            ));
        }
        let normalized =
            normalize_resource(&schema, type_regions).map_err(|m| SpecError::invalid(&path, m))?;
        json_uses.extend(
            normalized
                .json_uses
                .into_iter()
                .map(|u| (type_name.clone(), u)),
        );
        resources.push(normalized.resource);
    }
    resources.sort_by(|a, b| a.type_name.cmp(&b.type_name));

    Ok(Loaded {
        registry: Registry {
            source_version: source_version(&dir.join(SOURCE_FILE))?,
            regions,
            types: resources,
            lambda_runtimes: lambda_runtimes(&dir.join(LAMBDA_FILE))?,
        },
        json_uses,
    })
}

/// `<dir>/<namespace lowercase>/<aws-x-y>.json` for `AWS::X::Y`.
fn schema_path(dir: &Path, type_name: &str) -> Option<PathBuf> {
    let namespace = type_name.split("::").nth(1)?;
    let file = format!("{}.json", type_name.replace("::", "-").to_lowercase());
    Some(dir.join(namespace.to_lowercase()).join(file))
}

fn read_json(path: &Path) -> Result<Value, SpecError> {
    let text = fs::read_to_string(path).map_err(|source| SpecError::Io {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| SpecError::Json {
        path: path.to_owned(),
        source,
    })
}

fn strings(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn source_version(path: &Path) -> Result<String, SpecError> {
    let text = fs::read_to_string(path).map_err(|source| SpecError::Io {
        path: path.to_owned(),
        source,
    })?;
    text.lines()
        .find_map(|l| l.trim().strip_prefix("- Version:"))
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| SpecError::invalid(path, "no `- Version: X` line"))
}

fn lambda_runtimes(path: &Path) -> Result<Vec<RuntimeLifecycle>, SpecError> {
    let value = read_json(path)?;
    let entries = value
        .as_object()
        .ok_or_else(|| SpecError::invalid(path, "not an object of runtimes"))?;
    let date = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let mut runtimes: Vec<RuntimeLifecycle> = entries
        .iter()
        .map(|(runtime, v)| RuntimeLifecycle {
            runtime: runtime.clone(),
            deprecated: date(v, "deprecated"),
            create_block: date(v, "create-block"),
            update_block: date(v, "update-block"),
            successor: date(v, "successor"),
        })
        .collect();
    runtimes.sort_by(|a, b| a.runtime.cmp(&b.runtime));
    Ok(runtimes)
}
