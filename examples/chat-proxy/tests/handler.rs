//! The TypeScript handler, built with its own `npm ci && npm run build` in
//! a copy of `lambda/chat`, run under Node.js with a stand-in for the Lambda
//! runtime's `awslambda` global (`tests/support/run-handler.js`): streamed
//! server-sent events through the function URL, one proxy-integration body
//! through the HTTP API, and refusals without a key or a JSON body.
//! Without `node` or `npm` it fails under `CI` or `FORMWORK_REQUIRE_TOOLS`,
//! and is otherwise skipped with a line `cargo test` shows.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn run() -> Option<Value> {
    let test = "the chat-proxy handler test";
    if !formwork_test_support::tool_or_skip("node", test)
        || !formwork_test_support::tool_or_skip("npm", test)
    {
        return None;
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(chat_proxy::FUNCTION_DIR);
    let dir = formwork_test_support::copy_dir(&src, "chat-proxy-handler");
    let build = Command::new("sh")
        .arg("-c")
        .arg(chat_proxy::FUNCTION_BUILD)
        .current_dir(&dir)
        .output()
        .expect("run the build");
    assert!(
        build.status.success(),
        "{}{}",
        String::from_utf8_lossy(&build.stdout),
        String::from_utf8_lossy(&build.stderr)
    );
    let handler = dir.join("dist/index.js");
    let harness = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/run-handler.js");
    let out = Command::new("node")
        .arg(harness)
        .arg(&handler)
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("the harness prints JSON"))
}

#[test]
fn the_handler_streams_through_the_url_and_answers_the_api_in_one_body() {
    let Some(out) = run() else { return };

    let url = &out["urlStream"];
    assert_eq!(url["meta"]["statusCode"], 200);
    assert_eq!(url["meta"]["headers"]["content-type"], "text/event-stream");
    assert_eq!(url["ended"], true);
    let events: Vec<&str> = url["data"]
        .as_str()
        .unwrap_or_default()
        .split("\n\n")
        .filter(|e| !e.is_empty())
        .collect();
    assert_eq!(events.last(), Some(&"data: [DONE]"));
    let chunks: Vec<Value> = events[..events.len() - 1]
        .iter()
        .map(|e| serde_json::from_str(e.trim_start_matches("data: ")).expect("a JSON chunk"))
        .collect();
    assert!(
        chunks
            .iter()
            .all(|c| c["object"] == "chat.completion.chunk" && c["model"] == "gpt-x")
    );
    let text: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(text, "hello there world", "the last user message, echoed");
    assert_eq!(
        chunks.last().map(|c| &c["choices"][0]["finish_reason"]),
        Some(&Value::from("stop"))
    );

    let api = &out["apiPlain"];
    assert_eq!(api["meta"], Value::Null, "no streaming prelude for the API");
    let response: Value = serde_json::from_str(api["data"].as_str().unwrap_or_default()).unwrap();
    assert_eq!(response["statusCode"], 200);
    let body: Value = serde_json::from_str(response["body"].as_str().unwrap_or_default()).unwrap();
    assert_eq!(body["object"], "chat.completion");
    assert_eq!(
        body["choices"][0]["message"]["content"],
        "hello there world"
    );

    assert_eq!(out["noKey"]["meta"]["statusCode"], 401);
    let bad: Value =
        serde_json::from_str(out["badJson"]["data"].as_str().unwrap_or_default()).unwrap();
    assert_eq!(bad["statusCode"], 400);
}
