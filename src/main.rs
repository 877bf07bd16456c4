//! The `dcplan` binary: parses arguments and hands over to the library.

// Output goes through `cli::print` and `cli::note`, which never panic.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
