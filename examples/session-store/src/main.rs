//! `cargo run -p session-store [-- -c env=staging]` writes `formwork.out/`.

fn main() -> std::process::ExitCode {
    formwork::run(session_store::app)
}
