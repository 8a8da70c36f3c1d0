//! `graph`: the architecture as Mermaid text and a self-contained HTML
//! page, written next to the templates.

use formwork_graph::Graph;

use crate::Session;
use crate::error::{Error, Result};

pub(crate) fn run(s: &mut Session<'_>) -> Result<u8> {
    let g = Graph::of(&s.asm);
    std::fs::create_dir_all(&s.out_dir)
        .map_err(|e| Error::failed(format!("{}: {e}", s.out_dir.display())))?;
    for (name, text) in [("graph.mmd", g.mermaid()), ("graph.html", g.html())] {
        let path = s.out_dir.join(name);
        std::fs::write(&path, text)
            .map_err(|e| Error::failed(format!("{}: {e}", path.display())))?;
        let _ = writeln!(s.out, "{}", path.display());
    }
    let _ = writeln!(
        s.out,
        "{} node(s), {} edge(s); open graph.html in a browser, or paste graph.mmd into a Markdown file",
        g.nodes.len(),
        g.edges.len()
    );
    Ok(0)
}
