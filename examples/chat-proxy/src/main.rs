//! `cargo run -p chat-proxy` writes `formwork.out/` (`-c env=<name>`,
//! `-c suffix=<s>`; see the library documentation).

fn main() -> std::process::ExitCode {
    formwork::run(chat_proxy::app)
}
