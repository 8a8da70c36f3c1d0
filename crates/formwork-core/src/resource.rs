//! Resources in a stack, and handles to them.

use std::any::Any;
use std::fmt;

use indexmap::IndexMap;

use crate::expr::{Expr, StackId, Target};
use crate::fasthash::FastState;
use crate::props::PropBag;
use crate::spec::ResourceSpec;
use crate::stack::Stack;
use crate::template_parts::ConditionRef;
use crate::value::Value;

#[doc(hidden)]
pub mod sealed {
    /// Implemented by generated resource types only.
    pub trait Sealed {}
}

/// A CloudFormation resource type with its properties: implemented by the
/// generated L1 types (`CfnBucket`), not by users.
pub trait Resource: sealed::Sealed + Any + fmt::Debug {
    /// The typed handle returned when the resource is added to a stack.
    type Ref: From<ResourceRef>;
    /// The type's description from its schema.
    const SPEC: &'static ResourceSpec;
    /// The property values.
    fn props(&self) -> &PropBag;
    /// The property values, mutable.
    fn props_mut(&mut self) -> &mut PropBag;
    /// Builds the type from property values (used by handles' `update`).
    fn from_props(props: PropBag) -> Self;
}

/// What `DeletionPolicy` and `UpdateReplacePolicy` take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RemovalPolicy {
    /// Delete the physical resource.
    Delete,
    /// Keep it, orphaned from the stack.
    Retain,
    /// Keep it unless the whole stack is deleted.
    RetainExceptOnCreate,
    /// Take a snapshot, then delete (snapshot-capable types only).
    Snapshot,
}

impl RemovalPolicy {
    /// The CloudFormation spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RemovalPolicy::Delete => "Delete",
            RemovalPolicy::Retain => "Retain",
            RemovalPolicy::RetainExceptOnCreate => "RetainExceptOnCreate",
            RemovalPolicy::Snapshot => "Snapshot",
        }
    }
}

/// A resource as the stack holds it.
pub(crate) struct ResourceEntry {
    pub(crate) path: String,
    pub(crate) logical_id: String,
    pub(crate) spec: &'static ResourceSpec,
    pub(crate) body: Option<Box<dyn Any>>,
    pub(crate) props: fn(&dyn Any) -> Option<&PropBag>,
    pub(crate) depends_on: Vec<Target>,
    pub(crate) deletion_policy: Option<RemovalPolicy>,
    pub(crate) update_replace_policy: Option<RemovalPolicy>,
    pub(crate) condition: Option<String>,
    pub(crate) metadata: IndexMap<String, Value, FastState>,
    pub(crate) overrides: Vec<(String, Value)>,
    /// Changes to apply before the resource is next read, by key (see
    /// [`ResourceRef::update_later`]).
    pub(crate) deferred: Vec<(&'static str, Deferred)>,
}

/// A change to the typed resource, applied when it is next read.
pub(crate) type Deferred = Box<dyn FnOnce(Box<dyn Any>) -> Box<dyn Any>>;

/// The property values of a type-erased resource of type `R` (what
/// [`ResourceEntry::props`] holds).
pub(crate) fn props_of<R: Resource>(a: &dyn Any) -> Option<&PropBag> {
    a.downcast_ref::<R>().map(R::props)
}

impl ResourceEntry {
    pub(crate) fn new(
        path: String,
        logical_id: String,
        spec: &'static ResourceSpec,
        body: Box<dyn Any>,
        props: fn(&dyn Any) -> Option<&PropBag>,
    ) -> ResourceEntry {
        ResourceEntry {
            path,
            logical_id,
            spec,
            body: Some(body),
            props,
            depends_on: Vec::new(),
            deletion_policy: None,
            update_replace_policy: None,
            condition: None,
            metadata: IndexMap::default(),
            overrides: Vec::new(),
            deferred: Vec::new(),
        }
    }

    /// Applies the deferred changes, in the order they were first asked for.
    pub(crate) fn settle(&mut self) {
        if self.deferred.is_empty() {
            return;
        }
        for (_, f) in std::mem::take(&mut self.deferred) {
            if let Some(b) = self.body.take() {
                self.body = Some(f(b));
            }
        }
    }

    pub(crate) fn props(&self) -> Option<&PropBag> {
        self.body.as_deref().and_then(|b| (self.props)(b))
    }
}

/// A handle to a resource in a stack: its references, and the options
/// CloudFormation puts beside its properties.
///
/// Generated typed handles (`CfnBucketRef`) dereference to this.
#[derive(Clone)]
pub struct ResourceRef {
    pub(crate) stack: Stack,
    pub(crate) index: u32,
}

impl fmt::Debug for ResourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResourceRef")
            .field("path", &self.path())
            .field("type", &self.type_name())
            .finish()
    }
}

impl ResourceRef {
    /// Reads the entry, its deferred changes applied.
    fn with<T>(&self, f: impl FnOnce(&ResourceEntry) -> T) -> T {
        f(&self.entry())
    }

    /// Changes the entry, its deferred changes applied first.
    fn with_mut<T>(&self, f: impl FnOnce(&mut ResourceEntry) -> T) -> T {
        f(&mut self.entry_mut())
    }

    /// The entry, its deferred changes applied first. [`with`](Self::with)
    /// and [`with_mut`](Self::with_mut) are generic over what they run;
    /// the borrowing is here, once, not in each of their copies.
    fn entry(&self) -> std::cell::Ref<'_, ResourceEntry> {
        let i = self.index as usize;
        if !self.stack.data().resources[i].deferred.is_empty() {
            self.stack.data_mut().resources[i].settle();
        }
        std::cell::Ref::map(self.stack.data(), |d| &d.resources[i])
    }

    /// The entry to change, its deferred changes applied first.
    fn entry_mut(&self) -> std::cell::RefMut<'_, ResourceEntry> {
        let mut e = std::cell::RefMut::map(self.stack.data_mut(), |d| {
            &mut d.resources[self.index as usize]
        });
        e.settle();
        e
    }

    /// Replaces the typed L1 resource with `f(resource)` when it is next
    /// read (by synth, [`inspect`](Self::inspect), [`update`](Self::update)
    /// or any other read), not now. A later call with the same `key`
    /// replaces a change not yet applied, so a property rebuilt at every
    /// call of a construct's method (a role's policy at each grant) is
    /// built once. `f` must not read or change the stack (it runs while the
    /// stack is being read); a change of another type than the resource's
    /// is ignored, as [`update`](Self::update) ignores it.
    pub fn update_later<R: Resource>(&self, key: &'static str, f: impl FnOnce(R) -> R + 'static) {
        let g: Deferred = Box::new(move |b: Box<dyn Any>| match b.downcast::<R>() {
            Ok(r) => Box::new(f(*r)),
            Err(b) => b,
        });
        let mut data = self.stack.data_mut();
        let pending = &mut data.resources[self.index as usize].deferred;
        match pending.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = g,
            None => pending.push((key, g)),
        }
    }

    /// What references to this resource point at.
    pub fn target(&self) -> Target {
        Target::Resource {
            stack: self.stack.id(),
            index: self.index,
        }
    }

    /// The stack the resource is in.
    pub fn stack(&self) -> &Stack {
        &self.stack
    }

    /// The id of the stack the resource is in.
    pub fn stack_id(&self) -> StackId {
        self.stack.id()
    }

    /// `Ref` of the resource (what it returns depends on the type).
    pub fn ref_(&self) -> Expr {
        Expr::reference(self.target())
    }

    /// `Fn::GetAtt` of an attribute. Typed handles have one method per
    /// attribute; an attribute the type lacks is a synth error.
    pub fn get_att(&self, attribute: &str) -> Expr {
        Expr::get_att(self.target(), attribute)
    }

    /// The construct path (`Stack/Api/Handler`).
    pub fn path(&self) -> String {
        let stack = self.stack.name();
        self.with(|e| format!("{stack}/{}", e.path))
    }

    /// The logical id in the template.
    pub fn logical_id(&self) -> String {
        self.with(|e| e.logical_id.clone())
    }

    /// The CloudFormation type name.
    pub fn type_name(&self) -> &'static str {
        self.with(|e| e.spec.type_name)
    }

    /// The type's description.
    pub fn spec(&self) -> &'static ResourceSpec {
        self.with(|e| e.spec)
    }

    /// Pins the logical id (a synth error names any collision).
    pub fn override_logical_id(&self, logical_id: impl Into<String>) -> &Self {
        let id = logical_id.into();
        self.with_mut(|e| e.logical_id = id);
        self
    }

    /// Adds an explicit `DependsOn`. A dependency on a resource in another
    /// stack becomes a deploy-order dependency between the stacks.
    pub fn add_depends_on(&self, other: &ResourceRef) -> &Self {
        let t = other.target();
        self.with_mut(|e| {
            if !e.depends_on.contains(&t) {
                e.depends_on.push(t);
            }
        });
        self
    }

    /// Sets `DeletionPolicy`.
    pub fn set_deletion_policy(&self, policy: RemovalPolicy) -> &Self {
        self.with_mut(|e| e.deletion_policy = Some(policy));
        self
    }

    /// Sets `UpdateReplacePolicy`.
    pub fn set_update_replace_policy(&self, policy: RemovalPolicy) -> &Self {
        self.with_mut(|e| e.update_replace_policy = Some(policy));
        self
    }

    /// Sets both `DeletionPolicy` and `UpdateReplacePolicy`.
    /// `RetainExceptOnCreate` exists only for deletion; a replacement then
    /// retains (`UpdateReplacePolicy: Retain`).
    pub fn apply_removal_policy(&self, policy: RemovalPolicy) -> &Self {
        let on_replace = match policy {
            RemovalPolicy::RetainExceptOnCreate => RemovalPolicy::Retain,
            other => other,
        };
        self.set_deletion_policy(policy)
            .set_update_replace_policy(on_replace)
    }

    /// The `DeletionPolicy`, if set.
    pub fn deletion_policy(&self) -> Option<RemovalPolicy> {
        self.with(|e| e.deletion_policy)
    }

    /// Creates the resource only when the condition holds.
    pub fn set_condition(&self, condition: &ConditionRef) -> &Self {
        let name = condition.name().to_owned();
        self.with_mut(|e| e.condition = Some(name));
        self
    }

    /// Adds a `Metadata` entry.
    pub fn add_metadata(&self, key: impl Into<String>, value: impl Into<Value>) -> &Self {
        let (k, v) = (key.into(), value.into());
        self.with_mut(|e| {
            e.metadata.insert(k, v);
        });
        self
    }

    /// Overrides a property by a dotted path below `Properties`
    /// (`"VersioningConfiguration.Status"`, list items by index), for what
    /// the typed API cannot say. Applied last at synth, not validated.
    pub fn add_property_override(&self, path: impl Into<String>, value: impl Into<Value>) -> &Self {
        let (p, v) = (path.into(), value.into());
        self.with_mut(|e| e.overrides.push((p, v)));
        self
    }

    /// Runs `f` on a copy of the property values.
    pub fn with_props<T>(&self, f: impl FnOnce(&PropBag) -> T) -> T {
        let bag = self.with(|e| e.props().cloned().unwrap_or_default());
        f(&bag)
    }

    /// Reads the typed L1 resource. `None` when `R` is not its type (or
    /// when called on the same resource from inside `f`). `f` may add to
    /// the stack: the resource is lent to it, not borrowed from the stack.
    pub fn inspect<R: Resource, T>(&self, f: impl FnOnce(&R) -> T) -> Option<T> {
        let taken = self.with_mut(|e| match e.body.take() {
            Some(b) if b.is::<R>() => Ok(b),
            other => Err(other),
        });
        match taken {
            Ok(b) => {
                let out = b.downcast_ref::<R>().map(f);
                self.with_mut(|e| e.body = Some(b));
                out
            }
            Err(other) => {
                self.with_mut(|e| e.body = other);
                None
            }
        }
    }

    /// Suppresses a finding on this resource's construct and everything
    /// inside it, with the reason, which synth writes into the template's
    /// metadata (see [`rules`](crate::rules)). An L2 construct's main
    /// resource has the construct's path, so this covers the construct.
    pub fn suppress(&self, id: &str, reason: &str) -> &Self {
        let path = self.with(|e| e.path.clone());
        self.stack
            .data_mut()
            .suppressions
            .push(crate::rules::Suppression {
                path,
                id: id.to_owned(),
                reason: reason.to_owned(),
                on_resource: true,
            });
        self
    }

    /// Replaces the typed L1 resource with `f(resource)`: the escape hatch to
    /// set any property an L2 construct does not model. Returns false (and
    /// leaves the resource unchanged) when `R` is not its type.
    pub fn update<R: Resource>(&self, f: impl FnOnce(R) -> R) -> bool {
        let Some(body) = self.take_body_of(std::any::TypeId::of::<R>()) else {
            return false;
        };
        match body.downcast::<R>() {
            Ok(r) => {
                let out = f(*r);
                self.entry_mut().body = Some(Box::new(out));
                true
            }
            Err(body) => {
                self.entry_mut().body = Some(body);
                false
            }
        }
    }

    /// Takes the typed resource out of the entry when it is of the type
    /// `ty`; leaves it in place otherwise. [`update`](Self::update)'s part
    /// that does not depend on its types.
    fn take_body_of(&self, ty: std::any::TypeId) -> Option<Box<dyn Any>> {
        let mut e = self.entry_mut();
        if e.body.as_deref().is_some_and(|b| b.type_id() == ty) {
            e.body.take()
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retain_except_on_create_retains_on_replacement() {
        let app = crate::App::new();
        let s = app.stack("S").unwrap();
        let r = s.add("T", crate::testing::CfnThing::new()).unwrap();
        r.apply_removal_policy(RemovalPolicy::RetainExceptOnCreate);
        let t = app.synth().unwrap().template_json("S").unwrap();
        assert_eq!(
            t["Resources"]["T"]["DeletionPolicy"],
            "RetainExceptOnCreate"
        );
        assert_eq!(t["Resources"]["T"]["UpdateReplacePolicy"], "Retain");
    }

    #[test]
    fn a_deferred_update_is_applied_once_when_the_resource_is_read() {
        use crate::testing::CfnThing;
        let app = crate::App::new();
        let s = app.stack("S").unwrap();
        let r = s.add("T", CfnThing::new().name("first")).unwrap();
        let name = |r: &ResourceRef| {
            r.inspect::<CfnThing, _>(|t| {
                t.props().get(0).and_then(Value::as_str).map(str::to_owned)
            })
            .flatten()
        };
        let runs = std::rc::Rc::new(std::cell::Cell::new(0));
        for n in ["a", "b", "c"] {
            let runs = runs.clone();
            // The same key: only the last one runs.
            r.update_later::<CfnThing>("Name", move |t| {
                runs.set(runs.get() + 1);
                t.name(n)
            });
        }
        r.update_later::<CfnThing>("Value", |t| t.value("v"));
        assert_eq!(runs.get(), 0, "nothing runs before a read");
        assert_eq!(name(&r).as_deref(), Some("c"));
        assert_eq!(runs.get(), 1);
        // An update sees the deferred changes, and later ones come after it.
        r.update_later::<CfnThing>("Name", |t| t.name("deferred"));
        assert!(r.update::<CfnThing>(|t| t.name("direct")));
        let t = app.synth().unwrap().template_json("S").unwrap();
        assert_eq!(t["Resources"]["T"]["Properties"]["Name"], "direct");
        assert_eq!(t["Resources"]["T"]["Properties"]["Value"], "v");
        // Synth applies what is pending.
        r.update_later::<CfnThing>("Name", |t| t.name("at-synth"));
        let t = app.synth().unwrap().template_json("S").unwrap();
        assert_eq!(t["Resources"]["T"]["Properties"]["Name"], "at-synth");
        assert_eq!(runs.get(), 1);
    }

    #[test]
    fn removal_policy_spelling() {
        assert_eq!(RemovalPolicy::Retain.as_str(), "Retain");
        assert_eq!(
            RemovalPolicy::RetainExceptOnCreate.as_str(),
            "RetainExceptOnCreate"
        );
    }
}
