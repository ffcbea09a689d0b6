//! `demarche reparse`: every stored version decoded again by this build's parser.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use archive::Archive;
use cable::{Parser, ReferenceData};
use clap::Args;

/// Arguments of `demarche reparse`.
#[derive(Debug, Args)]
pub struct ReparseArgs {
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

impl ReparseArgs {
    /// Reparses; exit status 1 when some version could not be decoded (it
    /// is kept as it was).
    pub fn run(self, dir: &Path, refdata: ReferenceData) -> anyhow::Result<ExitCode> {
        let started = std::time::Instant::now();
        let mut archive = Archive::open_for_write(dir)?;
        let parser = Parser::new(refdata);
        let quiet = self.json;
        let r = archive.reparse(&parser, &mut |n| {
            if !quiet {
                eprint!("\rreparsed {n} versions");
                let _ = std::io::stderr().flush();
            }
        })?;
        if self.json {
            super::print_json(&r)?;
        } else {
            eprintln!();
            for f in &r.failed {
                println!("FAILED {f}");
            }
            println!(
                "reparsed {} versions in {:.2}s: {} parsed differently now (rewritten), {} cables reindexed, {} failed",
                r.versions,
                started.elapsed().as_secs_f64(),
                r.changed,
                r.reindexed,
                r.failed.len()
            );
        }
        Ok(if r.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
    }
}
