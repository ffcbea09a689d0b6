//! The `demarche` command: see `demarche --help`.

use std::process::ExitCode;

use clap::Parser as _;

/// The exit status of a command whose reader went away (`demarche parse … | head`),
/// as a shell reports a process ended by SIGPIPE.
const BROKEN_PIPE_EXIT: i32 = 141;

fn main() -> ExitCode {
    // Output to a closed pipe ends the command quietly, as for other Unix
    // tools, instead of a panic message from `println!`.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.contains("Broken pipe") {
            std::process::exit(BROKEN_PIPE_EXIT);
        }
        default_hook(info);
    }));
    let cli = demarche::cli::Cli::parse();
    match cli.run() {
        Ok(code) => code,
        Err(e) if broken_pipe(&e) => ExitCode::from(BROKEN_PIPE_EXIT as u8),
        Err(e) => {
            eprintln!("error: {}", message(&e));
            demarche::cli::exit_code(&e)
        }
    }
}

/// The error and its causes, each said once: a cause whose text is already
/// in the message (an error that shows its source) is not repeated.
fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
    }
    out
}

/// Whether the error is only that the reader of our output went away.
fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}
