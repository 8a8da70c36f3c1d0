//! `graph` of the example: its Mermaid text, reviewed as a snapshot.

#[test]
fn mermaid_text_matches_the_snapshot() {
    let asm = weather_service::app(&formwork::Context::new())
        .and_then(|a| a.synth())
        .expect("the example synthesizes");
    let graph = formwork_graph::Graph::of(&asm);
    formwork_test_support::snapshot("weather-service__graph", &graph.mermaid());
}

/// The picture the team drew: internet → load balancer → service, and the
/// service connected to its file system and its secret.
#[test]
fn the_picture_connects_the_load_balancer_service_file_system_and_secret() {
    let asm = weather_service::app(&formwork::Context::new())
        .and_then(|a| a.synth())
        .expect("the example synthesizes");
    let g = formwork_graph::Graph::of(&asm);
    let lb = "WeatherService_LoadBalancer";
    let service = "WeatherService_Service";
    assert!(g.connected("internet", lb));
    assert!(g.connected(lb, service));
    assert!(g.connected(service, "WeatherService_CacheFileSystem"));
    assert!(g.connected(service, "WeatherService_ApiKeys"));
    assert!(g.connected(service, "WeatherRepository_Repository"));
    let html = g.html();
    assert!(!html.contains("<script"), "nothing to run");
    assert!(
        !html
            .replace("http://www.w3.org/2000/svg", "")
            .contains("http"),
        "nothing fetched"
    );
    if let Some(dom) = formwork_test_support::render_html(&html, "weather-service-graph") {
        for id in [
            lb,
            service,
            "WeatherService_CacheFileSystem",
            "WeatherService_ApiKeys",
        ] {
            assert!(dom.contains(&format!("id=\"{id}\"")), "{id} not rendered");
        }
        assert!(dom.contains("<path class=\"edge\""), "edges rendered");
    }
}
