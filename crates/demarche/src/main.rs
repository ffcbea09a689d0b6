//! The `demarche` command: see `demarche --help`.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = demarche::cli::Cli::parse();
    match cli.run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            demarche::cli::exit_code(&e)
        }
    }
}
