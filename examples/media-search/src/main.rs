//! `cargo run -p media-search` writes `formwork.out/`; `-- deploy` builds
//! and publishes everything (see the library documentation).

fn main() -> std::process::ExitCode {
    formwork::run(media_search::app)
}
