//! A stack's template as the app's rules read it: each resource rendered
//! into a JSON tree only when a rule reads more than its type (see
//! [`crate::rules::TemplateView`]).

use crate::Value;
use crate::rules::LazyTemplate;
use crate::value_map::ValueMap;

use super::overrides::Props;
use super::refs::{ExportInfo, ExportKey};
use super::render::Renderer;
use super::template;
use super::value_tree::ValueBuilder;
use super::view::StackView;

/// One stack being synthesized, with what its template is written from.
pub(crate) struct Rendering<'s> {
    pub(crate) view: &'s StackView<'s>,
    pub(crate) renderer: &'s Renderer<'s>,
    /// The properties of each resource, as they will be written.
    pub(crate) props: &'s [Props<'s>],
    pub(crate) exports: &'s [(&'s ExportKey, &'s ExportInfo)],
}

impl Rendering<'_> {
    /// True when every logical id of the stack is used once: the view's
    /// resources are then the template's, one for one.
    pub(crate) fn unique_ids(&self) -> bool {
        let d = &self.view.data;
        self.view.logical_ids.len() == d.resources.len() + d.parameters.len()
    }

    /// Resource `i`'s `Metadata` as a tree (without suppression notes).
    pub(crate) fn metadata(&self, i: usize) -> Value {
        let Some(e) = self.view.data.resources.get(i) else {
            return Value::Null;
        };
        let mut path = String::new();
        self.view.path_into(e, &mut path);
        let mut t = ValueBuilder::default();
        self.renderer.metadata(e, &path, &mut t);
        t.finish()
    }
}

impl Rendering<'_> {
    /// `v` as the renderer writes it into a tree: literals copied as they
    /// are (a number that is not finite is `null`, an unchecked value its
    /// content), each intrinsic rendered. Copying a literal directly costs
    /// a fraction of passing it through the renderer's events in a debug
    /// build, and most of a property is literal.
    pub(crate) fn rendered(&self, v: &Value) -> Value {
        match v {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(*b),
            Value::Int(n) => Value::Int(*n),
            Value::Float(f) if f.is_finite() => Value::Float(*f),
            Value::Float(_) => Value::Null,
            Value::String(s) => Value::String(s.clone()),
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut rest = items.as_slice();
                while let [x, tail @ ..] = rest {
                    out.push(self.rendered(x));
                    rest = tail;
                }
                Value::List(out)
            }
            Value::Map(m) => {
                let mut out = ValueMap::with_capacity(m.len());
                let mut k = 0;
                while let Some((key, x)) = m.get_index(k) {
                    out.insert(key.clone(), self.rendered(x));
                    k += 1;
                }
                Value::Map(out)
            }
            Value::Unchecked(inner) => self.rendered(inner),
            Value::Expr(_) => {
                let mut t = ValueBuilder::default();
                self.renderer.value(v, &mut t);
                t.finish()
            }
        }
    }
}

impl LazyTemplate for Rendering<'_> {
    fn resource_count(&self) -> usize {
        self.view.data.resources.len()
    }

    fn logical_id(&self, i: usize) -> &str {
        self.view
            .data
            .resources
            .get(i)
            .map_or("", |e| e.logical_id.as_str())
    }

    fn type_name(&self, i: usize) -> &str {
        self.view
            .data
            .resources
            .get(i)
            .map_or("", |e| e.spec.type_name)
    }

    fn path(&self, i: usize) -> String {
        let mut path = String::new();
        if let Some(e) = self.view.data.resources.get(i) {
            self.view.path_into(e, &mut path);
        }
        path
    }

    fn index_of(&self, logical_id: &str) -> Option<usize> {
        self.view.logical_ids.get(logical_id).copied().flatten()
    }

    fn resource(&self, i: usize) -> Value {
        let Some(e) = self.view.data.resources.get(i) else {
            return Value::Null;
        };
        let empty = Props::default();
        let mut path = String::new();
        self.view.path_into(e, &mut path);
        let mut t = ValueBuilder::default();
        self.renderer
            .resource(e, self.props.get(i).unwrap_or(&empty), &path, &mut t);
        t.finish()
    }

    fn property_count(&self, i: usize) -> usize {
        self.props.get(i).map_or(0, Props::len)
    }

    fn property_index(&self, i: usize, name: &str) -> Option<usize> {
        self.props.get(i).and_then(|p| p.index_of(name))
    }

    fn property(&self, i: usize, k: usize) -> Value {
        match self.props.get(i).and_then(|p| p.get_index(k)) {
            Some((_, v)) => self.rendered(v),
            None => Value::Null,
        }
    }

    fn source_property(&self, i: usize, k: usize) -> Option<&Value> {
        self.props
            .get(i)
            .and_then(|p| p.get_index(k))
            .map(|(_, v)| v)
    }

    fn policies(&self, i: usize) -> (Option<&str>, Option<&str>) {
        match self.view.data.resources.get(i) {
            Some(e) => (
                e.deletion_policy.map(|p| p.as_str()),
                e.update_replace_policy.map(|p| p.as_str()),
            ),
            None => (None, None),
        }
    }

    fn parameters(&self) -> Value {
        let mut m = ValueMap::with_capacity(self.view.data.parameters.len());
        for (k, p) in &self.view.data.parameters {
            let mut t = ValueBuilder::default();
            self.renderer.parameter(p, &mut t);
            m.insert(k.clone(), t.finish());
        }
        Value::Map(m)
    }

    fn whole(&self) -> Value {
        let mut t = ValueBuilder::default();
        template::write(
            self.view,
            self.renderer,
            self.props,
            self.exports,
            &Default::default(),
            &mut t,
        );
        t.finish()
    }
}
