//! `cargo run -p media-search` writes `formwork.out/`
//! (`-c image_digest=sha256:…`, `-c image_tag=…`; see the library
//! documentation for the deploy order).

fn main() -> std::process::ExitCode {
    formwork::run(media_search::app)
}
