//! The architecture of a formwork app as a picture.
//!
//! [`Graph::of`] reads the synthesized templates and the manifest: one
//! node per resource a person would draw (the plumbing of VPCs, routes,
//! policies, listeners and task definitions is folded into the resource it
//! serves), grouped by stack, VPC and subnet tier; edges from references,
//! from IAM grants (what a role's policy names), from security-group rules
//! (who may connect to whom, on which port, the internet included), and
//! from assets to where they are published and who uses them.
//! [`Graph::mermaid`] writes Mermaid text (GitHub and most editors render
//! it); [`Graph::html`] a self-contained page with an SVG drawn here with a
//! simple layered layout: it opens in a browser without a network.
//!
//! ```
//! use formwork_core::App;
//! let app = App::new();
//! app.stack("Small")?.add("Thing", formwork_core::testing::CfnThing::new())?;
//! let g = formwork_graph::Graph::of(&app.synth()?);
//! assert!(g.mermaid().starts_with("flowchart LR\n"));
//! assert!(g.html().contains("<svg"));
//! # Ok::<(), formwork_core::Error>(())
//! ```
#![deny(missing_docs)]

mod html;
mod mermaid;
mod model;

pub use model::{Edge, EdgeKind, Graph, Node, Placement};
