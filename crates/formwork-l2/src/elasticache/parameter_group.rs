//! ParameterGroup: engine settings of a cache (ElastiCache has no
//! `CONFIG SET`), such as the eviction policy.

use formwork_core::{Expr, Result, Scope};
use formwork_l1::elasticache::{CfnParameterGroup, CfnParameterGroupRef};

use super::codes;

/// What a [`ParameterGroup`] is made with: its family (`redis7`,
/// `valkey8`), which must match the major version of the caches that use
/// it, and the parameters that differ from the family's defaults.
///
/// ```
/// use formwork::elasticache::ParameterGroupProps;
/// let props = ParameterGroupProps::new("redis7").parameter("maxmemory-policy", "allkeys-lru");
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ParameterGroupProps {
    family: String,
    description: Option<String>,
    parameters: Vec<(String, String)>,
}

impl ParameterGroupProps {
    /// A group of `family` with the family's defaults.
    pub fn new(family: impl Into<String>) -> Self {
        ParameterGroupProps {
            family: family.into(),
            description: None,
            parameters: Vec::new(),
        }
    }

    /// A pure cache: when memory is full, the least recently used key of
    /// any kind is evicted (`maxmemory-policy allkeys-lru`). Nothing is
    /// persisted: ElastiCache for Redis 7 has no append-only file, and a
    /// cache without `snapshot_retention_days` keeps no backups.
    pub fn lru_cache(family: impl Into<String>) -> Self {
        ParameterGroupProps::new(family)
            .description("Cache only: evict least recently used keys, no persistence")
            .parameter("maxmemory-policy", "allkeys-lru")
    }

    /// Its description (default: `<family> parameters`).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets a parameter (`maxmemory-policy`, `allkeys-lru`).
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        let value = value.into();
        match self.parameters.iter_mut().find(|(n, _)| *n == name) {
            Some(p) => p.1 = value,
            None => self.parameters.push((name, value)),
        }
        self
    }
}

/// An ElastiCache parameter group; caches take it with
/// `.parameter_group(&group)`.
///
/// ```
/// use formwork::App;
/// use formwork::elasticache::{ParameterGroup, ParameterGroupProps};
/// let app = App::new();
/// let stack = app.stack("Cache")?;
/// ParameterGroup::new(&stack, "RedisParameters", ParameterGroupProps::lru_cache("redis7"))?;
/// let t = app.synth()?.template_json("Cache").ok_or("no template")?;
/// let p = &t["Resources"]["RedisParameters"]["Properties"];
/// assert_eq!(p["CacheParameterGroupFamily"], "redis7");
/// assert_eq!(p["Properties"]["maxmemory-policy"], "allkeys-lru");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct ParameterGroup {
    cfn: CfnParameterGroupRef,
}

impl ParameterGroup {
    /// Adds the group at `scope/id`. A family that is not `redis<major>`,
    /// `valkey<major>` or `memcached<version>` is error `FW3513`.
    pub fn new(scope: &Scope, id: &str, props: ParameterGroupProps) -> Result<ParameterGroup> {
        let family_ok = ["redis", "valkey", "memcached"].iter().any(|e| {
            props
                .family
                .strip_prefix(e)
                .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
        });
        let description = props
            .description
            .clone()
            .unwrap_or_else(|| format!("{} parameters", props.family));
        let node = scope.child(id)?;
        let cfn = node.add_here(
            CfnParameterGroup::new()
                .cache_parameter_group_family(props.family.as_str())
                .description(description)
                .properties(
                    props
                        .parameters
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect::<Vec<_>>(),
                ),
        )?;
        if !family_ok {
            node.error(
                codes::PARAMETER_GROUP_FAMILY,
                "CacheParameterGroupFamily",
                format!(
                    "family `{}` is not an ElastiCache family; allowed: redis<major> (redis7), valkey<major> (valkey8), memcached<version>",
                    props.family
                ),
            );
        }
        Ok(ParameterGroup { cfn })
    }

    /// The L1 resource.
    pub fn cfn(&self) -> &CfnParameterGroupRef {
        &self.cfn
    }

    /// `Ref`: the group's name, what caches name in
    /// `CacheParameterGroupName`.
    pub fn name(&self) -> Expr {
        self.cfn.ref_()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_family_is_an_error() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        ParameterGroup::new(&s, "P", ParameterGroupProps::lru_cache("redis")).unwrap();
        let err = app.synth().unwrap_err().to_string();
        assert!(err.contains("FW3513"), "{err}");
        assert!(err.contains("S/P CacheParameterGroupFamily"), "{err}");
    }
}
