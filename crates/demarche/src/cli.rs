//! Command-line definitions (clap derive): one enum of subcommands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd;

/// demarche: an investigative archive for diplomatic cables.
#[derive(Debug, Parser)]
#[command(name = "demarche", version, about, long_about = None)]
pub struct Cli {
    /// Directory of reference tables (route2name.csv, subject-tags.txt,
    /// organization-tags.txt) used to decode routing indicators and TAGS.
    /// Default: $DEMARCHE_REFERENCE, else ../shared/reference if it exists.
    #[arg(long, global = true, value_name = "DIR")]
    pub reference: Option<PathBuf>,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse cables (files or directories, any mix of formats) and print them.
    Parse(cmd::parse::ParseArgs),
}

impl Cli {
    /// Runs the chosen command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let refdata = cmd::load_reference_data(self.reference.as_deref())?;
        match self.command {
            Command::Parse(args) => args.run(refdata),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_argument_vectors() {
        let cli = Cli::try_parse_from(["demarche", "parse", "a.html", "dir", "--format", "text"]).unwrap();
        let Command::Parse(args) = cli.command;
        assert_eq!(args.paths.len(), 2);
        assert_eq!(args.format, cmd::parse::OutputFormat::Text);
        let cli = Cli::try_parse_from(["demarche", "parse", "x", "--json"]).unwrap();
        let Command::Parse(args) = cli.command;
        assert_eq!(args.format, cmd::parse::OutputFormat::Json);
        assert!(Cli::try_parse_from(["demarche", "parse"]).is_err(), "a path is required");
        assert!(Cli::try_parse_from(["demarche", "parse", "x", "--format", "xml"]).is_err());
    }
}
