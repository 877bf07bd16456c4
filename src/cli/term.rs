//! The terminal: stdout for a command's output, stderr for everything
//! else, neither of which may make dcplan panic; logging; the worker threads.

use super::EXIT_INPUT;
use std::io::Write;
use std::process::ExitCode;

/// `eprintln!` that never panics: a line on stderr through [`note`].
macro_rules! say {
    ($($arg:tt)*) => { $crate::cli::term::note(&format!($($arg)*)) };
}
pub(crate) use say;

pub(super) fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Writes a command's output to stdout; a closed pipe is not an error.
pub(super) fn emit(text: &str) -> ExitCode {
    match print(text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            note(&format!("error: cannot write the output: {e}"));
            ExitCode::from(EXIT_INPUT)
        }
    }
}

/// Writes to stdout; a reader that closed the pipe (`| head`) is not an error.
pub(super) fn print(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e),
        _ => Ok(()),
    }
}

/// A line on stderr (a newline is added).
pub(crate) fn note(text: &str) {
    stderr_text(&format!("{text}\n"));
}

/// Text on stderr as it is. A stderr that cannot be written (`2>/dev/full`)
/// is no reason to stop, let alone to panic as `eprint!` would.
pub(crate) fn stderr_text(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|_| err.flush());
}

/// Stack of each worker thread. Fixed, so that `RUST_MIN_STACK` (which
/// would otherwise size them) cannot make the threads fail to start.
const WORKER_STACK_BYTES: usize = 8 << 20;

/// Starts rayon's worker threads (as many as `RAYON_NUM_THREADS` says, by
/// default one per core), each with a fixed stack.
pub(super) fn start_workers() -> Result<(), String> {
    rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK_BYTES).build_global().map_err(|e| {
        let asked = std::env::var("RAYON_NUM_THREADS").map(|v| format!(" (RAYON_NUM_THREADS={v})")).unwrap_or_default();
        format!("cannot start the worker threads{asked}: {e}\n  hint: unset RAYON_NUM_THREADS or give a smaller number")
    })
}
