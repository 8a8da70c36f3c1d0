//! Mermaid text: `flowchart LR`, a subgraph per stack, VPC and subnet tier.

use std::fmt::Write;

use crate::model::{EdgeKind, Graph, Node, Placement, safe};

fn text(s: &str) -> String {
    s.replace('"', "#quot;")
}

fn node_line(n: &Node) -> String {
    let mut label = format!("<b>{}</b><br/>{}", text(&n.name), text(&n.kind));
    if let Some(p) = &n.physical {
        if p != &n.name {
            let _ = write!(label, "<br/><i>{}</i>", text(p));
        }
    }
    match n.placement {
        Placement::Outside => format!("{}([\"{label}\"])", n.id),
        _ => format!("{}[\"{label}\"]", n.id),
    }
}

impl Graph {
    /// The picture as Mermaid text.
    pub fn mermaid(&self) -> String {
        let mut o = String::from("flowchart LR\n");
        for n in self
            .nodes
            .iter()
            .filter(|n| n.placement == Placement::Outside)
        {
            let _ = writeln!(o, "  {}", node_line(n));
        }
        for s in &self.stacks {
            let nodes: Vec<&Node> = self.nodes.iter().filter(|n| &n.stack == s).collect();
            let _ = writeln!(o, "  subgraph stack_{}[\"stack {}\"]", safe(s), text(s));
            for n in nodes.iter().filter(|n| n.placement == Placement::Stack) {
                let _ = writeln!(o, "    {}", node_line(n));
            }
            let mut vpcs: Vec<&str> = Vec::new();
            for n in &nodes {
                if let Placement::Vpc(v) | Placement::Subnet(v, _) = &n.placement {
                    if !vpcs.contains(&v.as_str()) {
                        vpcs.push(v);
                    }
                }
            }
            for v in vpcs {
                let _ = writeln!(
                    o,
                    "    subgraph vpc_{}_{}[\"VPC {}\"]",
                    safe(s),
                    safe(v),
                    text(v)
                );
                for n in nodes
                    .iter()
                    .filter(|n| n.placement == Placement::Vpc(v.to_owned()))
                {
                    let _ = writeln!(o, "      {}", node_line(n));
                }
                let mut tiers: Vec<&str> = Vec::new();
                for n in &nodes {
                    if let Placement::Subnet(nv, t) = &n.placement {
                        if nv == v && !tiers.contains(&t.as_str()) {
                            tiers.push(t);
                        }
                    }
                }
                for t in tiers {
                    let _ = writeln!(
                        o,
                        "      subgraph tier_{}_{}_{}[\"{} subnets\"]",
                        safe(s),
                        safe(v),
                        safe(t),
                        text(&t.to_lowercase())
                    );
                    for n in nodes
                        .iter()
                        .filter(|n| n.placement == Placement::Subnet(v.to_owned(), t.to_owned()))
                    {
                        let _ = writeln!(o, "        {}", node_line(n));
                    }
                    let _ = writeln!(o, "      end");
                }
                let _ = writeln!(o, "    end");
            }
            let _ = writeln!(o, "  end");
        }
        for e in &self.edges {
            let arrow = match e.kind {
                EdgeKind::Reference => "-->",
                EdgeKind::Grant => "-.->",
                EdgeKind::Network => "==>",
                EdgeKind::Asset => "-.->",
            };
            if e.labels.is_empty() {
                let _ = writeln!(o, "  {} {arrow} {}", e.from, e.to);
            } else {
                let _ = writeln!(
                    o,
                    "  {} {arrow}|\"{}\"| {}",
                    e.from,
                    text(&e.labels.join(", ")),
                    e.to
                );
            }
        }
        o
    }
}
