//! `demarche versions ID` and `demarche diff ID [A B]`.

use std::path::Path;
use std::process::ExitCode;

use archive::diff::Change;
use archive::Archive;
use clap::Args;

use crate::render::stdout_is_terminal;

/// Arguments of `demarche versions`.
#[derive(Debug, Args)]
pub struct VersionsArgs {
    /// The cable id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

impl VersionsArgs {
    /// Lists the versions.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let archive = Archive::open(dir)?;
        let versions = archive.versions(&self.id)?;
        if self.json {
            super::print_json(&versions)?;
            return Ok(ExitCode::SUCCESS);
        }
        println!("{}: {} version(s)", versions[0].cable_id, versions.len());
        for v in &versions {
            println!(
                "  {:>3}  {}  {:<14} ingested {}  released {}  from {}",
                v.seq,
                &v.content_hash[..12],
                v.source_format,
                archive::query::format_unix(v.ingested_at),
                v.released.map_or("-".into(), archive::query::format_unix),
                v.source_path
            );
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// Arguments of `demarche diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The cable id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The two versions to compare (default: the two latest).
    #[arg(value_name = "VERSION", num_args = 2)]
    pub versions: Vec<u32>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

impl DiffArgs {
    /// Prints the word-level diff: removed text as [-...-], added as {+...+}
    /// (red and green on a terminal).
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let archive = Archive::open(dir)?;
        let pair = match self.versions.as_slice() {
            [a, b] => Some((*a, *b)),
            _ => None,
        };
        let d = archive.diff(&self.id, pair)?;
        if self.json {
            super::print_json(&d)?;
            return Ok(ExitCode::SUCCESS);
        }
        let tty = stdout_is_terminal();
        println!(
            "{}: version {} -> {} ({} words removed, {} added)",
            d.id, d.old.seq, d.new.seq, d.removed_words, d.added_words
        );
        let mut out = String::new();
        for c in &d.changes {
            match (c, tty) {
                (Change::Same(s), _) => out.push_str(s),
                (Change::Removed(s), true) => out.push_str(&format!("\x1b[31m[-{s}-]\x1b[0m")),
                (Change::Added(s), true) => out.push_str(&format!("\x1b[32m{{+{s}+}}\x1b[0m")),
                (Change::Removed(s), false) => out.push_str(&format!("[-{s}-]")),
                (Change::Added(s), false) => out.push_str(&format!("{{+{s}+}}")),
            }
        }
        println!("{out}");
        Ok(ExitCode::SUCCESS)
    }
}
