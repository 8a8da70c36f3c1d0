//! Reference analysis: dangling references, cross-stack exports, stack
//! dependencies, cycles and deploy order.

use std::collections::BTreeSet;

use crate::fasthash::FastMap;

use indexmap::IndexMap;

use crate::diag::{Diagnostic, codes};
use crate::expr::{Expr, Intrinsic, StackId, SubPart, Target};
use crate::spec::Region;
use crate::value::Value;

use super::view::StackView;

/// An exported value: what a consumer stack imports.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ExportKey {
    pub(crate) target: Target,
    pub(crate) attribute: Option<String>,
}

/// The output that carries an export.
#[derive(Clone, Debug)]
pub(crate) struct ExportInfo {
    pub(crate) output_id: String,
    pub(crate) export_name: String,
}

/// What the analysis found.
pub(crate) struct Analysis {
    /// Per stack position: the exports it must declare, in first-use order.
    pub(crate) exports: Vec<IndexMap<ExportKey, ExportInfo>>,
    /// Per stack position: the stacks (positions) it depends on.
    pub(crate) dependencies: Vec<BTreeSet<usize>>,
    /// Stack positions in deploy order (only meaningful without cycles).
    pub(crate) order: Vec<usize>,
    /// Per stack position, per resource: the resources of the same stack
    /// its properties refer to, as the cycle check counts them, when they
    /// are what will be written (no property override; see
    /// [`super::cycles::check`]).
    pub(crate) local_refs: Vec<Vec<Option<Vec<usize>>>>,
    /// Per stack position, per resource: the findings of the literal
    /// checks ([`super::literals`]) on its properties, made in the same walk
    /// under the same condition, in the order the checks make them.
    pub(crate) literal_findings: Vec<Vec<Option<Vec<Diagnostic>>>>,
}

struct Walker<'a> {
    views: &'a [StackView<'a>],
    positions: &'a FastMap<StackId, usize>,
    me: usize,
    /// The id of the stack at `me`.
    me_id: StackId,
    /// True when `positions` maps `me_id` to `me`.
    me_known: bool,
    /// While some, the resources of this stack the walked value refers to
    /// (as [`super::cycles`] finds them) are pushed to it.
    local: Option<Vec<usize>>,
    /// Where the value being walked sits, for messages.
    at: String,
    diags: &'a mut Vec<Diagnostic>,
    exports: &'a mut Vec<IndexMap<ExportKey, ExportInfo>>,
    deps: &'a mut Vec<BTreeSet<usize>>,
}

fn alnum(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).collect()
}

impl Walker<'_> {
    fn value(&mut self, v: &Value) {
        v.walk_exprs(&mut |e| self.expr(e));
    }

    fn expr(&mut self, e: &Expr) {
        match e.intrinsic() {
            Intrinsic::Ref(t) => self.target(t, None),
            Intrinsic::GetAtt(t, a) => self.target(t, Some(a)),
            Intrinsic::Sub(parts, vars) => {
                for p in parts {
                    match p {
                        SubPart::Ref(t) => self.target(t, None),
                        SubPart::GetAtt(t, a) => self.target(t, Some(a)),
                        SubPart::Var(name) if !vars.contains_key(name) => self.dangling(format!(
                            "Fn::Sub variable `{name}` is not in its variable map"
                        )),
                        _ => {}
                    }
                }
            }
            Intrinsic::If(c, ..) | Intrinsic::Condition(c)
                if !self.views[self.me].data.conditions.contains_key(c) =>
            {
                self.dangling(format!(
                    "condition `{c}` is not declared in stack {}",
                    self.views[self.me].name
                ));
            }
            Intrinsic::FindInMap(m, ..) if !self.views[self.me].data.mappings.contains_key(m) => {
                self.dangling(format!(
                    "mapping `{m}` is not declared in stack {}",
                    self.views[self.me].name
                ));
            }
            _ => {}
        }
    }

    fn dangling(&mut self, message: String) {
        self.diags
            .push(Diagnostic::error(codes::DANGLING, self.at.clone(), message));
    }

    fn target(&mut self, t: &Target, attribute: Option<&String>) {
        let me = self.me;
        if let (Some(local), Target::Resource { stack, index }) = (&mut self.local, t) {
            if *stack == self.me_id && (*index as usize) < self.views[me].data.resources.len() {
                local.push(*index as usize);
            }
        }
        match t {
            Target::Named(name) => {
                let view = &self.views[me];
                match view.logical_ids.get(name.as_str()) {
                    Some(&Some(index)) => {
                        if let Some(local) = &mut self.local {
                            local.push(index);
                        }
                        if let Some(a) = attribute {
                            self.check_attribute(me, index, a);
                        }
                    }
                    Some(None) if attribute.is_none() => {}
                    Some(None) => self.dangling(format!(
                        "`{name}` is a parameter; Fn::GetAtt needs a resource"
                    )),
                    None => {
                        let hint = view.closest_logical_id(name);
                        let mut d = Diagnostic::error(
                            codes::DANGLING,
                            self.at.clone(),
                            format!(
                                "`{name}` is not a resource or parameter of stack {}",
                                view.name
                            ),
                        );
                        if let Some(h) = hint {
                            d = d.fix(format!("did you mean `{h}`?"));
                        }
                        self.diags.push(d);
                    }
                }
            }
            Target::Resource { stack, .. } | Target::Parameter { stack, .. }
                if self.position(stack).is_none() =>
            {
                self.diags.push(Diagnostic::error(
                    codes::FOREIGN_STACK,
                    self.at.clone(),
                    "a reference to a stack that is not part of this app",
                ));
            }
            Target::Resource { stack, index } => {
                let Some(producer) = self.position(stack) else {
                    return;
                };
                let view = &self.views[producer];
                if *index as usize >= view.data.resources.len() {
                    // Only a target built by hand can point past the end.
                    self.dangling(format!(
                        "resource #{index} is not in stack {} (it has {})",
                        view.name,
                        view.data.resources.len()
                    ));
                    return;
                }
                if let Some(a) = attribute {
                    self.check_attribute(producer, *index as usize, a);
                }
                if producer != me {
                    self.cross(producer, t, attribute);
                }
            }
            Target::Parameter { stack, name } => {
                let Some(producer) = self.position(stack) else {
                    return;
                };
                if !self.views[producer].data.parameters.contains_key(name) {
                    self.dangling(format!("parameter `{name}` is not declared"));
                } else if producer != me {
                    self.cross(producer, t, attribute);
                }
            }
        }
    }

    /// The position of a stack of the app, `None` for a stack of another
    /// app. Most references are to the walked stack itself: that answer
    /// is known without a lookup.
    fn position(&self, stack: &StackId) -> Option<usize> {
        if self.me_known && *stack == self.me_id {
            return Some(self.me);
        }
        self.positions.get(stack).copied()
    }

    fn check_attribute(&mut self, stack: usize, index: usize, attribute: &str) {
        let entry = &self.views[stack].data.resources[index];
        if !entry.spec.attributes.contains(&attribute) {
            let allowed = entry.spec.attributes.join(", ");
            self.diags.push(
                Diagnostic::error(
                    codes::ATTRIBUTE,
                    self.at.clone(),
                    format!(
                        "{} has no attribute `{attribute}` (it has: {})",
                        entry.spec.type_name,
                        if allowed.is_empty() { "none" } else { &allowed }
                    ),
                )
                .fix("use one of the typed attribute accessors of the handle"),
            );
        }
    }

    fn cross(&mut self, producer: usize, t: &Target, attribute: Option<&String>) {
        let me = self.me;
        let (pv, cv) = (&self.views[producer], &self.views[me]);
        let (pe, ce) = (&pv.data.env, &cv.data.env);
        let differs =
            |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(x), Some(y)) if x != y);
        if differs(&pe.region, &ce.region) || differs(&pe.account, &ce.account) {
            self.diags.push(
                Diagnostic::error(
                    codes::CROSS_ENV,
                    self.at.clone(),
                    format!(
                        "stack {} references stack {}, which deploys to another account or region; exports are regional",
                        cv.name, pv.name
                    ),
                )
                .fix("pass the value as a parameter, or put both stacks in one environment"),
            );
            return;
        }
        self.deps[me].insert(producer);
        let key = ExportKey {
            target: t.clone(),
            attribute: attribute.cloned(),
        };
        let exports = &mut self.exports[producer];
        if exports.contains_key(&key) {
            return;
        }
        let local = match t {
            Target::Resource { index, .. } => pv.data.resources[*index as usize].logical_id.clone(),
            Target::Parameter { name, .. } => name.clone(),
            Target::Named(n) => n.clone(),
        };
        let (output_id, export_name) = match attribute {
            None => (format!("Export{local}Ref"), format!("{}:{local}", pv.name)),
            Some(a) => (
                format!("Export{local}{}", alnum(a)),
                format!("{}:{local}:{}", pv.name, a.replace('.', "-")),
            ),
        };
        exports.insert(
            key,
            ExportInfo {
                output_id,
                export_name,
            },
        );
    }
}

/// Walks every value of every stack.
///
/// `ids`: the id of each stack, by position; `regions`: the regions synth
/// knows, for the literal checks made in the same walk.
pub(crate) fn analyze(
    views: &[StackView<'_>],
    ids: &[StackId],
    positions: &FastMap<StackId, usize>,
    regions: &[Region],
    diags: &mut Vec<Diagnostic>,
) -> Analysis {
    let mut exports = vec![IndexMap::new(); views.len()];
    let mut deps = vec![BTreeSet::new(); views.len()];
    let mut local_refs = Vec::with_capacity(views.len());
    let mut literal_findings = Vec::with_capacity(views.len());
    let mut path = String::new();
    for (me, view) in views.iter().enumerate() {
        let data = &view.data;
        for dep in &data.dependencies {
            if let Some(&p) = positions.get(dep) {
                if p != me {
                    deps[me].insert(p);
                }
            }
        }
        let mut w = Walker {
            views,
            positions,
            me,
            me_id: ids[me],
            me_known: positions.get(&ids[me]) == Some(&me),
            local: None,
            at: String::new(),
            diags: &mut *diags,
            exports: &mut exports,
            deps: &mut deps,
        };
        let mut locals = Vec::with_capacity(data.resources.len());
        let mut literals = Vec::with_capacity(data.resources.len());
        let region = data.env.region.as_deref();
        for entry in &data.resources {
            view.path_into(entry, &mut w.at);
            // The properties walked here are those the cycle check and the
            // literal checks read when no override changes them and every
            // one is a property of the type (the merged properties name
            // each by its schema position).
            let known = entry.spec.object.properties;
            let mut written = entry.overrides.is_empty();
            let bag = entry.props();
            if let Some(props) = bag {
                let values = props.entries();
                let mut k = 0;
                while k < values.len() {
                    written &= (values[k].0 as usize) < known.len();
                    k += 1;
                }
            }
            w.local = written.then(Vec::new);
            let mut found = Vec::new();
            if let Some(props) = bag {
                let values = props.entries();
                if written {
                    path.clear();
                    path.push_str(&w.at);
                    let mut lit = super::literals::Literals {
                        path: &path,
                        region,
                        regions,
                        out: &mut found,
                    };
                    let mut k = 0;
                    while k < values.len() {
                        let (i, v) = &values[k];
                        let at = super::validate::At::Base(known[*i as usize].name);
                        lit.walk_with(v, &at, &mut |e| w.expr(e));
                        k += 1;
                    }
                } else {
                    let mut k = 0;
                    while k < values.len() {
                        w.value(&values[k].1);
                        k += 1;
                    }
                }
            }
            locals.push(w.local.take().filter(|_| written));
            literals.push(written.then_some(found));
            for (_, v) in &entry.overrides {
                w.value(v);
            }
            for v in entry.metadata.values() {
                w.value(v);
            }
            if let Some(c) = &entry.condition {
                if !data.conditions.contains_key(c) {
                    w.dangling(format!(
                        "condition `{c}` is not declared in stack {}",
                        view.name
                    ));
                }
            }
            for t in &entry.depends_on {
                match t {
                    Target::Resource { stack, .. } => match positions.get(stack) {
                        Some(&p) if p != me => {
                            w.deps[me].insert(p);
                        }
                        Some(_) => {}
                        None => w.dangling("DependsOn a resource of another app".to_owned()),
                    },
                    other => w.target(other, None),
                }
            }
        }
        local_refs.push(locals);
        literal_findings.push(literals);
        for (name, v) in &data.conditions {
            w.at = format!("{}/{name} (condition)", view.name);
            w.value(v);
        }
        for (name, o) in &data.outputs {
            w.at = format!("{}/{name} (output)", view.name);
            w.value(&o.value);
            if let Some(n) = &o.export_name {
                w.value(n);
            }
            if let Some(c) = &o.condition {
                if !data.conditions.contains_key(c) {
                    w.dangling(format!(
                        "condition `{c}` is not declared in stack {}",
                        view.name
                    ));
                }
            }
        }
        for (name, v) in &data.metadata {
            w.at = format!("{}/Metadata/{name}", view.name);
            w.value(v);
        }
    }
    let order = order_and_cycles(views, &deps, diags);
    Analysis {
        exports,
        dependencies: deps,
        order,
        local_refs,
        literal_findings,
    }
}

/// Kahn's algorithm with creation order breaking ties; every cycle found is
/// an error naming its stacks.
fn order_and_cycles(
    views: &[StackView<'_>],
    deps: &[BTreeSet<usize>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let n = views.len();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let next = (0..n).find(|&i| !placed[i] && deps[i].iter().all(|&d| placed[d]));
        match next {
            Some(i) => {
                placed[i] = true;
                order.push(i);
            }
            None => break,
        }
    }
    if order.len() < n {
        // Find one cycle among the unplaced stacks and name it.
        let start = (0..n).find(|&i| !placed[i]).unwrap_or(0);
        let mut path = vec![start];
        let mut cur = start;
        while let Some(&next) = deps[cur].iter().find(|&&d| !placed[d]) {
            if let Some(pos) = path.iter().position(|&p| p == next) {
                path.drain(..pos);
                break;
            }
            path.push(next);
            cur = next;
        }
        let names: Vec<&str> = path.iter().map(|&i| views[i].name).collect();
        let chain = names
            .iter()
            .chain(names.first())
            .copied()
            .collect::<Vec<_>>()
            .join(" → ");
        diags.push(
            Diagnostic::error(
                codes::CYCLE,
                names.join(", "),
                format!("stacks reference each other in a cycle: {chain}"),
            )
            .fix("move the shared resources into one stack, or pass one value as a parameter"),
        );
        order.extend((0..n).filter(|&i| !placed[i]));
    }
    order
}
