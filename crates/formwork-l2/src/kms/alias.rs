//! Alias: a friendly name (`alias/sessions`) for a KMS key.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Resource, Result, Scope};
use formwork_l1::kms::{CfnAlias, CfnAliasRef};

use super::codes;
use super::key::Key;

/// What an [`Alias`] is made with: its name and the key it names.
///
/// ```
/// use formwork::App;
/// use formwork::kms::{AliasProps, Key, KeyProps};
/// let app = App::new();
/// let stack = app.stack("Data")?;
/// let key = Key::new(&stack, "Key", KeyProps::new())?;
/// let props = AliasProps::new("alias/data", &key);
/// # let _ = props;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct AliasProps {
    name: Str,
    target: Str,
}

impl AliasProps {
    /// An alias `name` (`alias/<name>`, not `alias/aws/…`) of `key`.
    pub fn new(name: impl Into<Str>, key: &Key) -> Self {
        AliasProps {
            name: name.into(),
            target: key.key_arn(),
        }
    }
}

/// A KMS alias (`AWS::KMS::Alias`). A literal name is checked at synth
/// ([`codes::ALIAS_NAME`]).
///
/// ```
/// use formwork::App;
/// use formwork::kms::{Alias, AliasProps, Key, KeyProps};
/// let app = App::new();
/// let stack = app.stack("Data")?;
/// let key = Key::new(&stack, "Key", KeyProps::new())?;
/// let alias = Alias::new(&stack, "KeyName", AliasProps::new("alias/data", &key))?;
/// # let _ = alias.name();
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Alias {
    cfn: CfnAliasRef,
}

impl Alias {
    /// Adds an alias at `scope/id`.
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: AliasProps) -> Result<Alias> {
        let node = scope.child(id)?;
        let mut cfn = CfnAlias::new().target_key_id(props.target);
        let name = props.name.into_value();
        let problem = name
            .as_str()
            .and_then(|s| alias_name_problem(s).map(|p| (s.to_owned(), p)));
        match problem {
            Some((s, problem)) => {
                node.report(
                    Diagnostic::error(codes::ALIAS_NAME, node.path(), format!("`{s}` {problem}"))
                        .property("AliasName"),
                );
                // One clear message instead of the schema's pattern error too.
                cfn.props_mut().set_by_name(
                    <CfnAlias as Resource>::SPEC.object,
                    "AliasName",
                    name.unchecked(),
                );
            }
            None => {
                cfn.props_mut()
                    .set_by_name(<CfnAlias as Resource>::SPEC.object, "AliasName", name);
            }
        }
        Ok(Alias {
            cfn: node.add_here(cfn)?,
        })
    }

    /// The L1 resource.
    pub fn cfn(&self) -> &CfnAliasRef {
        &self.cfn
    }

    /// `Ref`: the alias name.
    pub fn name(&self) -> Expr {
        self.cfn.ref_()
    }
}

/// Why KMS refuses a literal alias name, if it does.
fn alias_name_problem(s: &str) -> Option<&'static str> {
    let Some(rest) = s.strip_prefix("alias/") else {
        return Some("is not an alias name; allowed: alias/<name>");
    };
    if rest.is_empty() || s.len() > 256 {
        return Some("has no name or is over 256 characters; allowed: alias/<1 to 250 characters>");
    }
    if rest.starts_with("aws/") {
        return Some(
            "is reserved for AWS managed keys; allowed: alias/<name> not under alias/aws/",
        );
    }
    if !rest
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-'))
    {
        return Some("has characters KMS refuses; allowed: A-Z a-z 0-9 / _ -");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kms::KeyProps;
    use formwork_core::App;
    use formwork_test_support::{failed, with_code};

    #[test]
    fn alias_names_are_checked() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let k = Key::new(&s, "Key", KeyProps::new()).unwrap();
        for (id, name) in [
            ("A", "data"),
            ("B", "alias/aws/s3"),
            ("C", "alias/a b"),
            ("D", "alias/"),
        ] {
            Alias::new(&s, id, AliasProps::new(name, &k)).unwrap();
        }
        Alias::new(&s, "Ok", AliasProps::new("alias/team/data-v1_x", &k)).unwrap();
        let errs = failed(&app);
        let e = with_code(&errs.0, codes::ALIAS_NAME);
        let paths: Vec<&str> = e.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["S/A", "S/B", "S/C", "S/D"]);
        assert!(e[1].message.contains("reserved for AWS managed keys"));
    }
}
