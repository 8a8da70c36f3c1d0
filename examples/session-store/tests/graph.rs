//! `graph` of the example: its Mermaid text, reviewed as a snapshot.

#[test]
fn mermaid_text_matches_the_snapshot() {
    let asm = session_store::app(&formwork::Context::new())
        .and_then(|a| a.synth())
        .expect("the example synthesizes");
    let graph = formwork_graph::Graph::of(&asm);
    formwork_test_support::snapshot("session-store__graph", &graph.mermaid());
}
