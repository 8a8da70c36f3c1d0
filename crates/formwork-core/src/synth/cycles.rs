//! Circular dependencies between the resources of one stack: CloudFormation
//! refuses a template where a resource needs itself, directly or through
//! others (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `DependsOn`).

use crate::diag::{Diagnostic, codes};
use crate::expr::{Intrinsic, SubPart, Target};
use crate::value::Value;

use super::overrides::Props;
use super::view::StackView;

/// The resource of this stack a target names, if it is one.
fn local_index(view: &StackView<'_>, me: crate::expr::StackId, t: &Target) -> Option<usize> {
    match t {
        Target::Resource { stack, index }
            if *stack == me && (*index as usize) < view.data.resources.len() =>
        {
            Some(*index as usize)
        }
        Target::Named(n) => view.logical_ids.get(n.as_str()).copied().flatten(),
        _ => None,
    }
}

/// The resources (indexes) of the stack that `v` refers to, pushed to `out`.
fn refs_in(view: &StackView<'_>, me: crate::expr::StackId, v: &Value, out: &mut Vec<usize>) {
    let mut target = |t: &Target| {
        if let Some(i) = local_index(view, me, t) {
            out.push(i);
        }
    };
    v.walk_exprs(&mut |e| match e.intrinsic() {
        Intrinsic::Ref(t) | Intrinsic::GetAtt(t, _) => target(t),
        Intrinsic::Sub(parts, _) => {
            for p in parts {
                if let SubPart::Ref(t) | SubPart::GetAtt(t, _) = p {
                    target(t);
                }
            }
        }
        _ => {}
    });
}

/// The dependencies of each resource of the stack on the others, each
/// list in ascending order without repeats. `found`: the references of a
/// resource's properties found already by the reference analysis (see
/// [`super::refs::Analysis::local_refs`]), taken in place of a walk of
/// its properties.
fn graph(
    view: &StackView<'_>,
    me: crate::expr::StackId,
    props: &[Props<'_>],
    found: &mut [Option<Vec<usize>>],
) -> Vec<Vec<usize>> {
    view.data
        .resources
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut deps = Vec::new();
            if let Some(d) = found.get_mut(i).and_then(Option::take) {
                deps = d;
            } else if let Some(p) = props.get(i) {
                let mut k = 0;
                while let Some((_, v)) = p.get_index(k) {
                    refs_in(view, me, v, &mut deps);
                    k += 1;
                }
            }
            for t in &e.depends_on {
                if let Some(i) = local_index(view, me, t) {
                    deps.push(i);
                }
            }
            // A list of one is sorted and without repeats already.
            if deps.len() > 1 {
                deps.sort_unstable();
                deps.dedup();
            }
            deps
        })
        .collect()
}

/// Reports every cycle (one error per strongly connected group of
/// resources), printed as construct paths.
pub(crate) fn check(
    view: &StackView<'_>,
    me: crate::expr::StackId,
    props: &[Props<'_>],
    found: &mut [Option<Vec<usize>>],
    out: &mut Vec<Diagnostic>,
) {
    let g = graph(view, me, props, found);
    let groups = cyclic_groups(&g);
    report(view, &g, groups, out);
}

/// The strongly connected groups of `g` that hold a cycle (more than one
/// node, or one with an edge to itself), each sorted, in sorted order.
fn cyclic_groups(g: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = g.len();
    // Tarjan's algorithm, iterative so deep chains cannot overflow the stack.
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut groups: Vec<Vec<usize>> = Vec::new();
    // Each node with the number of its edges still to follow (followed
    // from the last).
    let mut work: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        work.push((root, g[root].len()));
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some((v, pending)) = work.last_mut() {
            let v = *v;
            if *pending > 0 {
                *pending -= 1;
                let w = g[v][*pending];
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, g[w].len()));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some((parent, _)) = work.last() {
                low[*parent] = low[*parent].min(low[v]);
            }
            if low[v] == index[v] && stack.last() == Some(&v) {
                // A group of one (the common case): no list to build.
                stack.pop();
                on_stack[v] = false;
                if has_edge(&g[v], v) {
                    groups.push(vec![v]);
                }
            } else if low[v] == index[v] {
                let mut group = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    group.push(w);
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 || g[v].contains(&v) {
                    group.sort_unstable();
                    groups.push(group);
                }
            }
        }
    }
    groups.sort();
    groups
}

/// True when `edges` holds `to` (a plain loop: `contains` costs a chain of
/// calls in a debug build, once per resource).
fn has_edge(edges: &[usize], to: usize) -> bool {
    let mut i = 0;
    while i < edges.len() {
        if edges[i] == to {
            return true;
        }
        i += 1;
    }
    false
}

/// One error per group, naming a cycle through it.
fn report(
    view: &StackView<'_>,
    g: &[Vec<usize>],
    groups: Vec<Vec<usize>>,
    out: &mut Vec<Diagnostic>,
) {
    for group in groups {
        let cycle = one_cycle(g, &group);
        let path = |i: usize| format!("{}/{}", view.name, view.data.resources[i].path);
        let chain: Vec<String> = cycle
            .iter()
            .chain(cycle.first())
            .map(|&i| path(i))
            .collect();
        let message = if cycle.len() == 1 {
            format!(
                "the resource refers to itself ({}), so CloudFormation cannot create it",
                chain.join(" → ")
            )
        } else {
            format!(
                "resources depend on each other in a cycle: {}; CloudFormation cannot order them",
                chain.join(" → ")
            )
        };
        out.push(
            Diagnostic::error(codes::RESOURCE_CYCLE, path(group[0]), message).fix(
                "break the cycle: pass a name instead of a reference, or move one property into a separate resource",
            ),
        );
    }
}

/// A cycle through the group's first resource, following edges inside it.
fn one_cycle(g: &[Vec<usize>], group: &[usize]) -> Vec<usize> {
    let start = group[0];
    if g[start].contains(&start) {
        return vec![start];
    }
    // Breadth-first search back to `start`, inside the group.
    let mut prev = vec![usize::MAX; g.len()];
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &g[v] {
            if w == start {
                let mut cycle = vec![v];
                let mut cur = v;
                while cur != start {
                    cur = prev[cur];
                    cycle.push(cur);
                }
                cycle.reverse();
                return cycle;
            }
            if group.binary_search(&w).is_ok() && prev[w] == usize::MAX && w != start {
                prev[w] = v;
                queue.push_back(w);
            }
        }
    }
    group.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The groups by reachability: `i` and `j` share a group when each
    /// reaches the other.
    fn by_reachability(g: &[Vec<usize>]) -> Vec<Vec<usize>> {
        let n = g.len();
        let mut reach = vec![vec![false; n]; n];
        for (i, edges) in g.iter().enumerate() {
            for &j in edges {
                reach[i][j] = true;
            }
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    if reach[i][k] && reach[k][j] {
                        reach[i][j] = true;
                    }
                }
            }
        }
        let mut placed = vec![false; n];
        let mut groups = Vec::new();
        for i in 0..n {
            if placed[i] {
                continue;
            }
            let group: Vec<usize> = (0..n)
                .filter(|&j| j == i || (reach[i][j] && reach[j][i]))
                .collect();
            for &j in &group {
                placed[j] = true;
            }
            if group.len() > 1 || reach[i][i] && g[i].contains(&i) {
                groups.push(group);
            }
        }
        groups.sort();
        groups
    }

    /// Property: the references the reference analysis collects for each
    /// resource give the graph a walk of the merged properties gives, and
    /// the literal checks made in its walk find what a walk of the merged
    /// properties finds, on 300 random apps (references by handle, by name,
    /// in `Fn::Sub`, to another stack; out-of-range `Fn::Select`, dynamic
    /// references, unknown regions; overrides, metadata and `DependsOn`).
    #[test]
    fn the_references_the_analysis_found_give_the_graph_the_properties_give() {
        use crate::expr::Fn;
        use crate::testing::CfnThing;
        use crate::value::Value;
        let mut rng = crate::test_rng::Rng(0x6AF0_0000_0000_0001);
        let mut taken = 0;
        let (mut literal_taken, mut literal_found) = (0, 0);
        for _ in 0..300 {
            let app = crate::App::new();
            let one = app.stack("One").expect("stack");
            let two = app.stack("Two").expect("stack");
            let n = 1 + rng.index(6);
            let things: Vec<_> = (0..n)
                .map(|i| one.add(&format!("T{i}"), CfnThing::new()).expect("add"))
                .collect();
            let other = two.add("O", CfnThing::new()).expect("add");
            let pick = |rng: &mut crate::test_rng::Rng| -> Value {
                let t = &things[rng.index(n)];
                match rng.below(7) {
                    0 => t.ref_().into(),
                    1 => t.get_att("Value").into(),
                    2 => Fn::sub(&format!(
                        "x-${{{}}}-${{{}.Value}}",
                        t.logical_id(),
                        t.logical_id()
                    ))
                    .into(),
                    3 => Fn::ref_name(t.logical_id()).into(),
                    4 => other.ref_().into(),
                    5 => Value::list([t.ref_().into(), Value::from("s")]),
                    _ => Value::from("plain"),
                }
            };
            for t in &things {
                let v = pick(&mut rng);
                let name = pick(&mut rng);
                t.update::<CfnThing>(|c| match (v, name) {
                    (Value::Expr(v), Value::Expr(name)) => c.value(v).name(name),
                    (Value::Expr(v), _) => c.value(v),
                    _ => c,
                });
                if rng.chance(50) {
                    // Literals the literal checks judge, beside references.
                    let odd: Vec<(String, Value)> = (0..rng.index(4))
                        .map(|k| {
                            let v: Value = match rng.below(5) {
                                0 => {
                                    Fn::select(rng.below(4) as i64, Value::list(["a", "b"])).into()
                                }
                                1 => Value::from("{{resolve:vault:x}}"),
                                2 => Value::from("ok-{{resolve:ssm:/p}}"),
                                3 => Fn::get_azs("xx-nowhere-1").into(),
                                _ => pick(&mut rng),
                            };
                            (format!("K{k}"), v)
                        })
                        .collect();
                    t.update::<CfnThing>(|c| {
                        c.tags(odd.into_iter().map(|(k, v)| match v {
                            Value::Expr(e) => (k, crate::typed::Str::from(e)),
                            Value::String(s) => (k, crate::typed::Str::from(s)),
                            _ => (k, crate::typed::Str::from("x")),
                        }))
                    });
                }
                if rng.chance(20) {
                    t.add_property_override("Value", pick(&mut rng));
                }
                if rng.chance(20) {
                    t.add_metadata("M", pick(&mut rng));
                }
                if rng.chance(20) {
                    t.add_depends_on(&things[rng.index(n)]);
                }
            }
            let stacks = app.stacks();
            for s in &stacks {
                for e in &mut s.data_mut().resources {
                    e.settle();
                }
            }
            let mut diags = Vec::new();
            let positions: crate::fasthash::FastMap<_, _> = stacks
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id(), i))
                .collect();
            let views: Vec<StackView<'_>> = stacks
                .iter()
                .map(|s| StackView::new(s.name(), s.data(), &mut diags))
                .collect();
            let ids: Vec<_> = stacks.iter().map(|s| s.id()).collect();
            let mut analysis =
                super::super::refs::analyze(&views, &ids, &positions, app.regions(), &mut diags);
            for (i, v) in views.iter().enumerate() {
                let props: Vec<Props<'_>> = v
                    .data
                    .resources
                    .iter()
                    .map(|e| super::super::overrides::merged_props(e).0)
                    .collect();
                // The literal checks' findings made in the analysis's walk
                // are those a walk of the merged properties makes.
                let mut path = String::new();
                for (r, e) in v.data.resources.iter().enumerate() {
                    let Some(made) = &analysis.literal_findings[i][r] else {
                        continue;
                    };
                    literal_taken += 1;
                    literal_found += made.len();
                    v.path_into(e, &mut path);
                    let mut want = Vec::new();
                    let mut lit = super::super::literals::Literals {
                        path: &path,
                        region: v.data.env.region.as_deref(),
                        regions: app.regions(),
                        out: &mut want,
                    };
                    for (name, value) in props[r].iter() {
                        lit.value(value, name);
                    }
                    assert_eq!(made, &want, "{}", e.path);
                }
                let found = &mut analysis.local_refs[i];
                taken += found.iter().filter(|f| f.is_some()).count();
                let mut none = vec![None; found.len()];
                assert_eq!(
                    graph(v, ids[i], &props, found),
                    graph(v, ids[i], &props, &mut none),
                    "stack {}",
                    v.name
                );
            }
        }
        assert!(taken > 500, "{taken}");
        assert!(
            literal_taken > 500 && literal_found > 100,
            "{literal_taken} {literal_found}"
        );
    }

    /// Property: the groups found (with the shortcut for groups of one)
    /// are those reachability gives, on 2,000 random graphs.
    #[test]
    fn cyclic_groups_are_the_groups_of_mutual_reachability() {
        let mut rng = formwork_kernels::test_rng::Rng(0xC1C1_E500_0000_0001);
        let mut cyclic = 0;
        for _ in 0..2000 {
            let n = 1 + rng.index(9);
            let g: Vec<Vec<usize>> = (0..n)
                .map(|_| {
                    let mut e: Vec<usize> = (0..rng.index(3)).map(|_| rng.index(n)).collect();
                    e.sort_unstable();
                    e.dedup();
                    e
                })
                .collect();
            let want = by_reachability(&g);
            cyclic += want.len();
            assert_eq!(cyclic_groups(&g), want, "{g:?}");
        }
        assert!(cyclic > 500, "{cyclic}");
    }
}
