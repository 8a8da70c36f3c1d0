//! `cargo run -p weather-service` writes `formwork.out/`.

fn main() -> std::process::ExitCode {
    formwork::run(weather_service::app)
}
