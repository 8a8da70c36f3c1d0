//! Stacks and scopes: where constructs live, and how their paths and logical
//! ids are made.

use crate::fasthash::{FastMap, FastState};
use std::any::Any;
use std::cell::{Ref, RefCell, RefMut};
use std::collections::hash_map::Entry;
use std::fmt;
use std::ops::Deref;
use std::panic::Location;
use std::rc::Rc;

use indexmap::IndexMap;

use crate::diag::{Diagnostic, codes};
use crate::env::{Context, Environment};
use crate::error::{Error, Result};
use crate::expr::StackId;
use crate::props::PropBag;
use crate::resource::{Resource, ResourceEntry, ResourceRef, props_of};
use crate::rules::Suppression;
use crate::spec::ResourceSpec;
use crate::template_parts::{ConditionRef, Mapping, MappingRef, Output, Parameter, ParameterRef};
use crate::value::Value;

/// Everything a stack holds, behind its handle.
pub(crate) struct StackData {
    pub(crate) description: Option<String>,
    pub(crate) env: Environment,
    pub(crate) tags: IndexMap<String, String, FastState>,
    /// Every construct node below the stack, by path: where the user's code
    /// made it, and whether it holds a resource. Keyed by the scopes' own
    /// `Rc<str>` paths: a node costs a reference count, not a copy.
    pub(crate) nodes: FastMap<Rc<str>, Node>,
    /// Where the stack itself was made.
    pub(crate) location: Option<&'static Location<'static>>,
    /// The path of a new node is put together here: its `Rc<str>` is then
    /// the one allocation a node costs.
    path_buffer: String,
    pub(crate) resources: Vec<ResourceEntry>,
    pub(crate) parameters: IndexMap<String, Parameter, FastState>,
    pub(crate) conditions: IndexMap<String, Value, FastState>,
    pub(crate) mappings: IndexMap<String, Mapping, FastState>,
    pub(crate) outputs: IndexMap<String, Output, FastState>,
    pub(crate) metadata: IndexMap<String, Value, FastState>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) dependencies: Vec<StackId>,
    pub(crate) suppressions: Vec<Suppression>,
    pub(crate) assets: Vec<crate::asset::Asset>,
    /// What the deploy tool needs beside the template, by section
    /// (`secrets`: where secret values come from), for `manifest.json`.
    pub(crate) deploy_inputs: IndexMap<String, Vec<serde_json::Value>>,
}

/// A construct node of a stack.
pub(crate) struct Node {
    /// Where the user's code made it.
    pub(crate) location: &'static Location<'static>,
    /// A resource was added at it.
    pub(crate) resource: bool,
}

pub(crate) struct StackShared {
    pub(crate) id: StackId,
    pub(crate) name: String,
    /// The root scope's path (empty), shared by every `Stack` handle.
    root: Rc<str>,
    pub(crate) app: u64,
    pub(crate) context: Context,
    pub(crate) data: RefCell<StackData>,
}

/// A place in the construct tree: a stack and a path inside it.
///
/// Constructs take a `&Scope` and an id; the path of what they add is the
/// scope's path plus the id. A [`Stack`] dereferences to its root scope, so
/// `&stack` works wherever a `&Scope` is asked for.
#[derive(Clone)]
pub struct Scope {
    shared: Rc<StackShared>,
    path: Rc<str>,
}

/// A CloudFormation stack: one template.
///
/// Cheap to clone: clones share the stack. Created by [`App::stack`](crate::App::stack).
///
/// ```
/// use formwork::{App, Parameter};
/// let app = App::new();
/// let stack = app.stack("Network")?;
/// stack.set_description("VPC and subnets");
/// let cidr = stack.add_parameter("VpcCidr", Parameter::string().default_value("10.0.0.0/16"))?;
/// # let _ = cidr;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone)]
pub struct Stack {
    root: Scope,
}

impl fmt::Debug for Stack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stack").field("name", &self.name()).finish()
    }
}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope").field("path", &self.path()).finish()
    }
}

impl PartialEq for Stack {
    fn eq(&self, other: &Stack) -> bool {
        Rc::ptr_eq(&self.root.shared, &other.root.shared)
    }
}

impl Deref for Stack {
    type Target = Scope;
    fn deref(&self) -> &Scope {
        &self.root
    }
}

fn validate_logical_name(kind: &str, name: &str, scope: &str) -> Result<()> {
    if name.is_empty() || name.len() > 255 || !formwork_kernels::is_alphanumeric(name) {
        return Err(Error::InvalidId {
            id: name.to_owned(),
            scope: scope.to_owned(),
            reason: format!("a {kind} id must be 1 to 255 ASCII letters and digits"),
        });
    }
    Ok(())
}

impl Stack {
    pub(crate) fn new(
        id: StackId,
        app: u64,
        name: String,
        env: Environment,
        context: Context,
    ) -> Stack {
        let root: Rc<str> = Rc::from("");
        let shared = Rc::new(StackShared {
            id,
            name,
            root: root.clone(),
            app,
            context,
            data: RefCell::new(StackData {
                description: None,
                env,
                tags: IndexMap::default(),
                // Room for a typical app's nodes: no rehash of the paths
                // while the tree grows.
                nodes: FastMap::with_capacity_and_hasher(64, Default::default()),
                location: None,
                path_buffer: String::new(),
                resources: Vec::new(),
                parameters: IndexMap::default(),
                conditions: IndexMap::default(),
                mappings: IndexMap::default(),
                outputs: IndexMap::default(),
                metadata: IndexMap::default(),
                diagnostics: Vec::new(),
                dependencies: Vec::new(),
                suppressions: Vec::new(),
                assets: Vec::new(),
                deploy_inputs: IndexMap::new(),
            }),
        });
        Stack {
            root: Scope { shared, path: root },
        }
    }

    pub(crate) fn data(&self) -> Ref<'_, StackData> {
        self.root.shared.data.borrow()
    }

    pub(crate) fn data_mut(&self) -> RefMut<'_, StackData> {
        self.root.shared.data.borrow_mut()
    }

    pub(crate) fn app_key(&self) -> u64 {
        self.root.shared.app
    }

    /// The stack name (also its template file name).
    pub fn name(&self) -> &str {
        &self.root.shared.name
    }

    /// The stack's id in its app.
    pub fn id(&self) -> StackId {
        self.root.shared.id
    }

    /// The account and region the stack deploys to.
    pub fn env(&self) -> Environment {
        self.data().env.clone()
    }

    /// Sets the account and region.
    pub fn set_env(&self, env: Environment) -> &Self {
        self.data_mut().env = env;
        self
    }

    /// The template description.
    pub fn set_description(&self, description: impl Into<String>) -> &Self {
        self.data_mut().description = Some(description.into());
        self
    }

    /// Adds a tag to every taggable resource of the stack (a resource's own
    /// tag of the same key wins).
    pub fn add_tag(&self, key: impl Into<String>, value: impl Into<String>) -> &Self {
        self.data_mut().tags.insert(key.into(), value.into());
        self
    }

    /// Adds a template-level `Metadata` entry.
    pub fn add_metadata(&self, key: impl Into<String>, value: impl Into<Value>) -> &Self {
        self.data_mut().metadata.insert(key.into(), value.into());
        self
    }

    /// Appends `value` to the list a template-level `Metadata` entry
    /// holds, in place; an entry not set yet becomes a list of `value`
    /// alone. An entry set (with [`add_metadata`](Self::add_metadata)) to
    /// something other than a list is left as it is, and synth fails with
    /// an `FW0506` error that names the entry and what it holds: neither
    /// the entry nor the value is dropped silently.
    ///
    /// ```
    /// use formwork::{App, Value};
    /// let app = App::new();
    /// let s = app.stack("Demo")?;
    /// s.append_metadata("Team::Notes", "first");
    /// s.append_metadata("Team::Notes", "second");
    /// assert_eq!(s.metadata("Team::Notes"), Some(Value::list(["first", "second"])));
    /// s.add_metadata("Team::Owner", "ops");
    /// s.append_metadata("Team::Owner", "infra");
    /// assert_eq!(s.metadata("Team::Owner"), Some(Value::from("ops")));
    /// let err = app.synth().unwrap_err().to_string();
    /// assert!(err.contains("error[FW0506] Demo Metadata.Team::Owner"), "{err}");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn append_metadata(&self, key: &str, value: impl Into<Value>) -> &Self {
        let caller = Location::caller();
        let value = value.into();
        let mut data = self.data_mut();
        let held = match data.metadata.get_mut(key).map(peel_unchecked) {
            Some(Value::List(items)) => {
                items.push(value);
                return self;
            }
            Some(other) => other.kind(),
            None => {
                data.metadata
                    .insert(key.to_owned(), Value::List(vec![value]));
                return self;
            }
        };
        drop(data);
        self.report(
            Diagnostic::error(
                codes::METADATA_APPEND,
                self.path(),
                format!(
                    "the Metadata entry `{key}` holds {}, so {} cannot be appended to it; \
                     allowed: a list, or no entry yet",
                    with_article(held),
                    with_article(value.kind())
                ),
            )
            .property(format!("Metadata.{key}"))
            .at(caller)
            .fix(format!(
                "set `{key}` with add_metadata or append to it with append_metadata, not both \
                 (formwork-check appends its checks to `Formwork::Checks`)"
            )),
        );
        self
    }

    /// A template-level `Metadata` entry set before (a copy).
    pub fn metadata(&self, key: &str) -> Option<Value> {
        self.data().metadata.get(key).cloned()
    }

    /// Records something the deploy tool needs beside the template (in
    /// `manifest.json`, under the stack's `deploy.<section>`): constructs
    /// describe deploy-time work this way (where a secret's value comes
    /// from, for instance). Never put a secret value here.
    ///
    /// ```
    /// use formwork::App;
    /// let app = App::new();
    /// let s = app.stack("Demo")?;
    /// # s.add("Thing", formwork::ssm::CfnParameter::new().type_(formwork::ssm::parameter::Type::String).value("v"))?;
    /// s.add_deploy_input("secrets", serde_json::json!({"logicalId": "Key", "value": {"env": "KEY"}}));
    /// let asm = app.synth()?;
    /// assert_eq!(asm.stacks[0].deploy_inputs["secrets"].len(), 1);
    /// assert!(asm.manifest().contains("\"env\": \"KEY\""));
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn add_deploy_input(&self, section: &str, entry: serde_json::Value) -> &Self {
        self.data_mut()
            .deploy_inputs
            .entry(section.to_owned())
            .or_default()
            .push(entry);
        self
    }

    /// Deploys this stack after `other` even without references between them.
    pub fn add_dependency(&self, other: &Stack) -> &Self {
        let id = other.id();
        let mut d = self.data_mut();
        if !d.dependencies.contains(&id) {
            d.dependencies.push(id);
        }
        drop(d);
        self
    }

    /// Declares a parameter; its handle's `ref_()` is the value.
    pub fn add_parameter(&self, name: &str, parameter: Parameter) -> Result<ParameterRef> {
        validate_logical_name("parameter", name, self.name())?;
        let mut d = self.data_mut();
        if d.parameters.contains_key(name) {
            return Err(Error::DuplicateId {
                id: name.to_owned(),
                path: format!("{}/{name} (parameter)", self.name()),
            });
        }
        d.parameters.insert(name.to_owned(), parameter);
        Ok(ParameterRef {
            stack: self.id(),
            name: name.to_owned(),
        })
    }

    /// Declares a condition from a condition expression
    /// (`Fn::equals`, `Fn::and`, …).
    pub fn add_condition(&self, name: &str, expression: impl Into<Value>) -> Result<ConditionRef> {
        validate_logical_name("condition", name, self.name())?;
        let mut d = self.data_mut();
        if d.conditions.contains_key(name) {
            return Err(Error::DuplicateId {
                id: name.to_owned(),
                path: format!("{}/{name} (condition)", self.name()),
            });
        }
        d.conditions.insert(name.to_owned(), expression.into());
        Ok(ConditionRef {
            stack: self.id(),
            name: name.to_owned(),
        })
    }

    /// Declares a mapping for `Fn::FindInMap`.
    pub fn add_mapping(&self, name: &str, mapping: Mapping) -> Result<MappingRef> {
        validate_logical_name("mapping", name, self.name())?;
        let mut d = self.data_mut();
        if d.mappings.contains_key(name) {
            return Err(Error::DuplicateId {
                id: name.to_owned(),
                path: format!("{}/{name} (mapping)", self.name()),
            });
        }
        d.mappings.insert(name.to_owned(), mapping);
        Ok(MappingRef {
            stack: self.id(),
            name: name.to_owned(),
        })
    }

    /// Declares an output.
    pub fn add_output(&self, name: &str, output: Output) -> Result<()> {
        validate_logical_name("output", name, self.name())?;
        let mut d = self.data_mut();
        if d.outputs.contains_key(name) {
            return Err(Error::DuplicateId {
                id: name.to_owned(),
                path: format!("{}/{name} (output)", self.name()),
            });
        }
        d.outputs.insert(name.to_owned(), output);
        Ok(())
    }

    /// The number of resources so far.
    pub fn resource_count(&self) -> usize {
        self.data().resources.len()
    }

    /// Handles to every resource of the stack, in the order they were added.
    pub fn resources(&self) -> Vec<ResourceRef> {
        (0..self.data().resources.len() as u32)
            .map(|index| ResourceRef {
                stack: self.clone(),
                index,
            })
            .collect()
    }
}

/// Library crates whose source lines are not what a user wants to see.
const LIBRARY_CRATES: [&str; 7] = [
    "formwork",
    "formwork-core",
    "formwork-l1",
    "formwork-l2",
    "formwork-l3",
    "formwork-deploy",
    "formwork-test-support",
];

/// True when a file belongs to one of formwork's own crates (a workspace
/// path `crates/formwork-l2/src/…`, a git or path checkout, or a registry
/// folder `formwork-l2-0.1.0/src/…`).
pub(crate) fn is_library_file(file: &str) -> bool {
    let parts: Vec<&str> = file.split(['/', '\\']).collect();
    parts.windows(2).any(|w| {
        w[1] == "src"
            && LIBRARY_CRATES.iter().any(|c| {
                w[0] == *c
                    || w[0]
                        .strip_prefix(c)
                        .and_then(|rest| rest.strip_prefix('-'))
                        .is_some_and(|v| v.starts_with(|ch: char| ch.is_ascii_digit()))
            })
    })
}

impl StackData {
    /// Where the user's code made the construct at `relative_path` (or its
    /// nearest ancestor made in user code; else the stack).
    pub(crate) fn location_of(&self, relative_path: &str) -> Option<&'static Location<'static>> {
        let mut p = relative_path;
        loop {
            if let Some(n) = self.nodes.get(p) {
                if !is_library_file(n.location.file()) {
                    return Some(n.location);
                }
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => break,
            }
        }
        self.location.filter(|l| !is_library_file(l.file()))
    }
}

/// The logical id a construct path gets: the ASCII letters and digits of
/// each path segment, concatenated (`Api/Handler-Role` → `ApiHandlerRole`).
pub fn logical_id_for_path(relative_path: &str) -> String {
    formwork_kernels::alphanumerics(relative_path)
}

impl Scope {
    /// The stack this scope is in.
    pub fn stack(&self) -> Stack {
        Stack {
            root: Scope {
                shared: self.shared.clone(),
                path: self.shared.root.clone(),
            },
        }
    }

    /// The full construct path (`Stack/Api/Handler`); a stack's is its name.
    pub fn path(&self) -> String {
        if self.path.is_empty() {
            self.shared.name.clone()
        } else {
            // Not `format!`: its machinery costs about a thousand
            // instructions a call in a debug build.
            let name = &self.shared.name;
            let mut p = String::with_capacity(name.len() + 1 + self.path.len());
            p.push_str(name);
            p.push('/');
            p.push_str(&self.path);
            p
        }
    }

    /// The path below the stack (`Api/Handler`; empty for the stack itself).
    pub fn relative_path(&self) -> &str {
        &self.path
    }

    /// The last segment of the path (the construct id).
    pub fn id(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or("")
    }

    /// The logical id a resource at this scope gets.
    pub fn logical_id(&self) -> String {
        logical_id_for_path(&self.path)
    }

    /// Adds a child construct node and returns its scope. Fails when the id
    /// is empty, contains `/`, or is taken in this scope.
    ///
    /// The node remembers the line of code that made it (`#[track_caller]`:
    /// a construct constructor marked the same way passes its own caller's
    /// line), so diagnostics can point at it.
    #[track_caller]
    pub fn child(&self, id: &str) -> Result<Scope> {
        if formwork_kernels::has_byte(id, b'/') || !formwork_kernels::has_alphanumeric(id) {
            return Err(Error::InvalidId {
                id: id.to_owned(),
                scope: self.path(),
                reason: "an id needs at least one ASCII letter or digit and no `/`".to_owned(),
            });
        }
        let mut d = self.shared.data.borrow_mut();
        let d = &mut *d;
        let buffer = &mut d.path_buffer;
        buffer.clear();
        if !self.path.is_empty() {
            buffer.push_str(&self.path);
            buffer.push('/');
        }
        buffer.push_str(id);
        let path: Rc<str> = Rc::from(buffer.as_str());
        // One hash of the path: `entry`, not `contains_key` then `insert`.
        match d.nodes.entry(path.clone()) {
            Entry::Occupied(_) => {
                return Err(Error::DuplicateId {
                    id: id.to_owned(),
                    path: format!("{}/{path}", self.shared.name),
                });
            }
            Entry::Vacant(v) => {
                v.insert(Node {
                    location: Location::caller(),
                    resource: false,
                });
            }
        }
        Ok(Scope {
            shared: self.shared.clone(),
            path,
        })
    }

    /// Adds a resource as a child construct `id` and returns its typed handle.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ssm::CfnParameter;
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let thing = stack.add("Thing", CfnParameter::new().name("a"))?;
    /// assert_eq!(thing.logical_id(), "Thing");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add<R: Resource>(&self, id: &str, resource: R) -> Result<R::Ref> {
        self.child(id)?.add_here(resource)
    }

    /// Adds a resource at this scope's own path: how an L2 construct places
    /// its main resource, so that `Bucket` at `Stack/Data` has logical id `Data`.
    #[track_caller]
    pub fn add_here<R: Resource>(&self, resource: R) -> Result<R::Ref> {
        // The type-specific part only: the rest is one function for every
        // resource type, not a copy per type in each crate that adds one.
        let entry = self.add_entry(R::SPEC, Box::new(resource), props_of::<R>)?;
        Ok(R::Ref::from(entry))
    }

    /// [`add_here`](Self::add_here) past its types: checks the place and
    /// records the resource.
    #[track_caller]
    fn add_entry(
        &self,
        spec: &'static ResourceSpec,
        body: Box<dyn Any>,
        props: fn(&dyn Any) -> Option<&PropBag>,
    ) -> Result<ResourceRef> {
        if self.path.is_empty() {
            return Err(Error::InvalidId {
                id: String::new(),
                scope: self.path(),
                reason: "a resource needs a construct id below the stack".to_owned(),
            });
        }
        let mut d = self.shared.data.borrow_mut();
        // One lookup: a scope's node is in the map already (`child` put it
        // there), and it keeps the location it was made at.
        match d.nodes.get_mut(&*self.path) {
            Some(n) if n.resource => {
                return Err(Error::DuplicateId {
                    id: self.id().to_owned(),
                    path: format!("{} (resource)", self.path()),
                });
            }
            Some(n) => n.resource = true,
            None => {
                d.nodes.insert(
                    self.path.clone(),
                    Node {
                        location: Location::caller(),
                        resource: true,
                    },
                );
            }
        }
        let index = d.resources.len() as u32;
        d.resources.push(ResourceEntry::new(
            self.path.to_string(),
            logical_id_for_path(&self.path),
            spec,
            body,
            props,
        ));
        drop(d);
        Ok(ResourceRef {
            stack: self.stack(),
            index,
        })
    }

    /// Suppresses a finding on this construct and everything inside it, with
    /// the reason, which synth writes into the template's metadata (see
    /// [`rules`](crate::rules)). On a stack, it covers the whole stack.
    pub fn suppress(&self, id: &str, reason: &str) -> &Self {
        self.shared
            .data
            .borrow_mut()
            .suppressions
            .push(Suppression {
                path: self.path.to_string(),
                id: id.to_owned(),
                reason: reason.to_owned(),
                on_resource: false,
            });
        self
    }

    /// Records a diagnostic about this construct; errors fail synth.
    pub fn report(&self, diagnostic: Diagnostic) {
        self.shared.data.borrow_mut().diagnostics.push(diagnostic);
    }

    /// Records an error about a property of this construct.
    pub fn error(
        &self,
        code: &'static str,
        property: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let d = Diagnostic::error(code, self.path(), message).property(property);
        self.report(d.clone());
        d
    }

    /// Records a warning about a property of this construct.
    pub fn warn(
        &self,
        code: &'static str,
        property: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let d = Diagnostic::warning(code, self.path(), message).property(property);
        self.report(d.clone());
        d
    }

    /// The account and region of the stack.
    pub fn env(&self) -> Environment {
        self.shared.data.borrow().env.clone()
    }

    /// The context the app was built with (`-c` values, environment
    /// variables): what constructs read instead of the process environment,
    /// so that tests stay hermetic.
    pub fn context(&self) -> &Context {
        &self.shared.context
    }
}

/// The value an [`Value::Unchecked`] wraps (through any number of
/// wrappings), or the value itself.
fn peel_unchecked(mut v: &mut Value) -> &mut Value {
    while let Value::Unchecked(inner) = v {
        v = inner;
    }
    v
}

/// A kind of value with its indefinite article, for messages ("an object").
fn with_article(kind: &str) -> String {
    let vowel = kind.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {kind}", if vowel { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::App;
    use crate::testing::CfnThing;

    #[test]
    fn logical_ids_come_from_the_path() {
        assert_eq!(logical_id_for_path("Api/Handler-Role"), "ApiHandlerRole");
        assert_eq!(logical_id_for_path("a_b/c.d"), "abcd");
        // Byte by byte as character by character: multi-byte characters
        // (whose bytes are all above 0x7f) leave nothing.
        for p in [
            "Ünïcode/Ä1-é",
            "Stack/🦀Crab9/ß",
            "/x//y/",
            "",
            "ＡＢ/１２/ab12",
            "a\u{0}b\u{7f}c",
        ] {
            let by_char: String = p
                .split('/')
                .flat_map(|seg| seg.chars().filter(char::is_ascii_alphanumeric))
                .collect();
            assert_eq!(logical_id_for_path(p), by_char, "{p:?}");
        }
    }

    #[test]
    fn duplicate_ids_are_errors_naming_the_path() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        s.add("A", CfnThing::new()).unwrap();
        let err = s.add("A", CfnThing::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "duplicate construct id `A`: S/A already exists"
        );
        let c = s.child("B").unwrap();
        assert!(c.child("A").is_ok(), "same id in another scope is fine");
    }

    #[test]
    fn bad_ids_are_refused() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        assert!(matches!(s.child(""), Err(Error::InvalidId { .. })));
        assert!(matches!(s.child("a/b"), Err(Error::InvalidId { .. })));
        assert!(matches!(s.child("--"), Err(Error::InvalidId { .. })));
        assert!(matches!(
            s.add_here(CfnThing::new()),
            Err(Error::InvalidId { .. })
        ));
    }

    #[test]
    fn one_resource_per_node() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let node = s.child("N").unwrap();
        node.add_here(CfnThing::new()).unwrap();
        assert!(matches!(
            node.add_here(CfnThing::new()),
            Err(Error::DuplicateId { .. })
        ));
    }

    #[test]
    fn a_node_keeps_where_it_was_made_and_refuses_a_second_resource() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let (node, made_at) = (s.child("N").unwrap(), line!());
        // The stack of a scope is the stack's root.
        assert_eq!(node.stack().relative_path(), "");
        assert_eq!(node.stack().child("M").unwrap().path(), "S/M");
        let first = node.add_here(CfnThing::new());
        assert_eq!(first.unwrap().logical_id(), "N");
        let second = node.add_here(CfnThing::new()).unwrap_err();
        assert_eq!(
            second.to_string(),
            "duplicate construct id `N`: S/N (resource) already exists"
        );
        let d = s.data();
        let n = &d.nodes["N"];
        assert_eq!(
            n.location.line(),
            made_at,
            "the node's line, not add_here's"
        );
        assert!(n.resource);
        assert_eq!(d.resources.len(), 1);
        drop(d);
        // A resource added with `add` makes its node and marks it at once.
        let (r, added_at) = (s.child("A").unwrap().child("B").unwrap(), line!());
        r.add_here(CfnThing::new()).unwrap();
        let d = s.data();
        assert_eq!(d.nodes["A/B"].location.line(), added_at);
        assert!(d.nodes["A/B"].resource && !d.nodes["A"].resource);
        assert_eq!(d.resources[1].path, "A/B");
        assert_eq!(d.resources[1].logical_id, "AB");
    }

    #[test]
    fn paths_nest() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let c = s.child("Api").unwrap().child("Handler").unwrap();
        assert_eq!(c.path(), "S/Api/Handler");
        assert_eq!(c.id(), "Handler");
        assert_eq!(c.logical_id(), "ApiHandler");
        assert_eq!(s.path(), "S");
    }

    #[test]
    fn parameters_conditions_outputs_refuse_duplicates_and_bad_names() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        s.add_parameter("P", Parameter::string()).unwrap();
        assert!(s.add_parameter("P", Parameter::string()).is_err());
        assert!(s.add_parameter("bad-name", Parameter::string()).is_err());
        s.add_output("O", Output::new("x")).unwrap();
        assert!(s.add_output("O", Output::new("x")).is_err());
        s.add_condition("C", crate::Fn::equals("a", "b")).unwrap();
        assert!(s.add_condition("C", crate::Fn::equals("a", "b")).is_err());
        s.add_mapping("M", Mapping::new()).unwrap();
        assert!(s.add_mapping("M", Mapping::new()).is_err());
    }

    #[test]
    fn appending_to_metadata_that_is_not_a_list_is_an_error_that_keeps_it() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        s.add("T", CfnThing::new()).unwrap();
        s.append_metadata("Team::Runbooks", "a");
        s.append_metadata("Team::Runbooks", Value::object([("b", 1)]));
        assert_eq!(
            s.metadata("Team::Runbooks"),
            Some(Value::List(vec![
                Value::from("a"),
                Value::object([("b", 1)])
            ]))
        );
        assert!(s.data().diagnostics.is_empty());
        // A list set unchecked stays a list, and unchecked.
        s.add_metadata("Team::Raw", Value::list(["r"]).unchecked());
        s.append_metadata("Team::Raw", "s");
        assert_eq!(
            s.metadata("Team::Raw"),
            Some(Value::list(["r", "s"]).unchecked())
        );
        assert!(s.data().diagnostics.is_empty());

        s.add_metadata("Team::Owner", Value::object([("name", "ops")]));
        let line = line!() + 1;
        s.append_metadata("Team::Owner", "infra");
        // The entry is kept as it was set...
        assert_eq!(
            s.metadata("Team::Owner"),
            Some(Value::object([("name", "ops")]))
        );
        // ...and synth fails, naming the entry, what it holds and the value.
        let err = app.synth().unwrap_err().to_string();
        assert!(
            err.contains(
                "error[FW0506] S Metadata.Team::Owner: the Metadata entry `Team::Owner` \
                 holds an object, so a string cannot be appended to it; allowed: a list, \
                 or no entry yet"
            ),
            "{err}"
        );
        assert!(
            err.contains("help: set `Team::Owner` with add_metadata"),
            "{err}"
        );
        // It points at the line that appended, not at the stack's.
        let d = &s.data().diagnostics[0];
        let at = d.location.as_ref().map(ToString::to_string);
        assert!(
            at.as_deref()
                .is_some_and(|a| a.starts_with(&format!("{}:{line}:", file!()))),
            "{d:?}"
        );
        assert_eq!(with_article("integer"), "an integer");
        assert_eq!(with_article("list"), "a list");
    }
}
