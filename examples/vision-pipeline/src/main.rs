//! `cargo run -p vision-pipeline` writes `formwork.out/`
//! (`-c image_digest=sha256:…`, `-c image_tag=…`, `-c arch=arm64`; see the
//! library documentation for the deploy order).

fn main() -> std::process::ExitCode {
    formwork::run(vision_pipeline::app)
}
