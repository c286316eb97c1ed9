use std::process::ExitCode;

fn main() -> ExitCode {
    callflow::cli::main()
}
