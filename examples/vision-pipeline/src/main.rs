//! `cargo run -p vision-pipeline` writes `formwork.out/`; `-- deploy`
//! builds and pushes the image and deploys both stacks (`-c arch=arm64`;
//! see the library documentation).

fn main() -> std::process::ExitCode {
    formwork::run(vision_pipeline::app)
}
