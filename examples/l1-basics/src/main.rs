//! `cargo run -p l1-basics` writes `formwork.out/`.

fn main() -> std::process::ExitCode {
    formwork::run(l1_basics::app)
}
