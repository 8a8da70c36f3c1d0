//! A self-contained HTML page with the picture as SVG, laid out here in
//! layers (each node one column right of what points to it): no script,
//! no font, nothing fetched.

use std::fmt::Write;

use crate::model::{EdgeKind, Graph, Placement};

const W: f64 = 240.0;
const H: f64 = 74.0;
const COL: f64 = 320.0;
const ROW: f64 = 100.0;
const PALETTE: &[&str] = &[
    "#e8f1fb", "#eaf7ee", "#fdf3e6", "#f4ecfb", "#fbeaea", "#eef6f7",
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Graph {
    /// Layer (column) of each node: the longest chain of edges into it.
    fn layers(&self) -> Vec<usize> {
        let n = self.nodes.len();
        let idx = |id: &str| self.nodes.iter().position(|x| x.id == id);
        let mut layer = vec![0usize; n];
        for _ in 0..n {
            let mut changed = false;
            for e in &self.edges {
                if let (Some(a), Some(b)) = (idx(&e.from), idx(&e.to)) {
                    if layer[b] < layer[a] + 1 && layer[a] + 1 < n.max(1) {
                        layer[b] = layer[a] + 1;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        layer
    }

    /// The picture as SVG.
    pub fn svg(&self) -> String {
        let layer = self.layers();
        let cols = layer.iter().copied().max().map_or(1, |m| m + 1);
        let mut rows = vec![0usize; cols];
        let mut order: Vec<usize> = (0..self.nodes.len()).collect();
        let stack_index = |s: &str| {
            self.stacks
                .iter()
                .position(|x| x == s)
                .unwrap_or(usize::MAX)
        };
        order.sort_by_key(|&i| {
            let n = &self.nodes[i];
            (layer[i], stack_index(&n.stack), n.placement.clone(), i)
        });
        let mut pos = vec![(0.0, 0.0); self.nodes.len()];
        for i in order {
            let l = layer[i];
            pos[i] = (40.0 + l as f64 * COL, 70.0 + rows[l] as f64 * ROW);
            rows[l] += 1;
        }
        let width = 40.0 + cols as f64 * COL;
        let height = 110.0 + rows.iter().copied().max().unwrap_or(1) as f64 * ROW;
        let mut o = String::new();
        let _ = writeln!(
            o,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">"
        );
        o.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"10\" markerHeight=\"10\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n");
        // Legend: stacks, then what the lines mean.
        let mut x = 40.0;
        for (i, s) in self.stacks.iter().enumerate() {
            let _ = writeln!(
                o,
                "<rect x=\"{x}\" y=\"16\" width=\"14\" height=\"14\" fill=\"{}\" stroke=\"#888\"/><text x=\"{}\" y=\"28\">stack {}</text>",
                PALETTE[i % PALETTE.len()],
                x + 20.0,
                esc(s)
            );
            x += 40.0 + 8.0 * s.len() as f64 + 40.0;
        }
        let _ = writeln!(
            o,
            "<text x=\"{x}\" y=\"28\" fill=\"#555\">— reference   - - grant   ━ network (security groups)   ··· asset</text>"
        );
        let idx = |id: &str| self.nodes.iter().position(|n| n.id == id);
        for e in &self.edges {
            let (Some(a), Some(b)) = (idx(&e.from), idx(&e.to)) else {
                continue;
            };
            let (ax, ay) = pos[a];
            let (bx, by) = pos[b];
            let (x1, y1, x2, y2) = (ax + W, ay + H / 2.0, bx, by + H / 2.0);
            let bend = ((x2 - x1).abs() / 2.0).max(60.0);
            let (style, width) = match e.kind {
                EdgeKind::Reference => ("", 1.2),
                EdgeKind::Grant => (" stroke-dasharray=\"6 4\"", 1.2),
                EdgeKind::Network => ("", 2.6),
                EdgeKind::Asset => (" stroke-dasharray=\"2 3\"", 1.4),
            };
            let _ = writeln!(
                o,
                "<path class=\"edge\" d=\"M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}\" fill=\"none\" stroke=\"#555\" stroke-width=\"{width}\"{style} marker-end=\"url(#arrow)\"/>",
                x1 + bend,
                x2 - bend
            );
            if !e.labels.is_empty() {
                let label = if e.labels.len() > 2 {
                    format!("{}, … (+{})", e.labels[..2].join(", "), e.labels.len() - 2)
                } else {
                    e.labels.join(", ")
                };
                let _ = writeln!(
                    o,
                    "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#333\" text-anchor=\"middle\">{}</text>",
                    (x1 + x2) / 2.0,
                    (y1 + y2) / 2.0 - 4.0,
                    esc(&label)
                );
            }
        }
        for (i, n) in self.nodes.iter().enumerate() {
            let (x, y) = pos[i];
            let fill = match n.placement {
                Placement::Outside => "#f2f2f2",
                _ => PALETTE[stack_index(&n.stack) % PALETTE.len()],
            };
            let group = match &n.placement {
                Placement::Outside => String::new(),
                Placement::Stack => String::new(),
                Placement::Vpc(v) => format!("VPC {v}"),
                Placement::Subnet(v, t) => format!("VPC {v} · {} subnets", t.to_lowercase()),
            };
            let _ = writeln!(
                o,
                "<g class=\"node\" id=\"{}\"><rect x=\"{x}\" y=\"{y}\" width=\"{W}\" height=\"{H}\" rx=\"8\" fill=\"{fill}\" stroke=\"#666\"/>",
                esc(&n.id)
            );
            let _ = writeln!(
                o,
                "<text x=\"{}\" y=\"{}\" font-weight=\"bold\">{}</text>",
                x + 10.0,
                y + 18.0,
                esc(&n.name)
            );
            let _ = writeln!(
                o,
                "<text x=\"{}\" y=\"{}\">{}</text>",
                x + 10.0,
                y + 34.0,
                esc(&n.kind)
            );
            if let Some(p) = n.physical.as_ref().filter(|p| **p != n.name) {
                let _ = writeln!(
                    o,
                    "<text x=\"{}\" y=\"{}\" font-style=\"italic\" fill=\"#444\">{}</text>",
                    x + 10.0,
                    y + 50.0,
                    esc(p)
                );
            }
            if !group.is_empty() {
                let _ = writeln!(
                    o,
                    "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#666\">{}</text>",
                    x + 10.0,
                    y + 66.0,
                    esc(&group)
                );
            }
            o.push_str("</g>\n");
        }
        o.push_str("</svg>\n");
        o
    }

    /// A page with the SVG and, below it, the Mermaid text.
    pub fn html(&self) -> String {
        let title = self.stacks.join(", ");
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>body{{font-family:sans-serif;margin:24px;color:#222}} pre{{background:#f6f6f6;padding:12px;overflow:auto}}</style>\n</head>\n<body>\n<h1>{t}</h1>\n{svg}<details><summary>Mermaid</summary>\n<pre>{m}</pre>\n</details>\n</body>\n</html>\n",
            t = esc(&title),
            svg = self.svg(),
            m = esc(&self.mermaid())
        )
    }
}
