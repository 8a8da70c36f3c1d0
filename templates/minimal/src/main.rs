fn main() -> std::process::ExitCode {
    formwork::run(hello_formwork::app)
}
