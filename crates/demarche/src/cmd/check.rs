//! `demarche check` and `demarche reindex`.

use std::path::Path;
use std::process::ExitCode;

use archive::Archive;
use clap::Args;

/// Arguments of `demarche check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

impl CheckArgs {
    /// Checks; exit status 1 when anything is wrong, and the last line says
    /// what is damaged and what to do.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let archive = Archive::open(dir)?;
        let r = archive.check()?;
        if self.json {
            super::print_json(&r)?;
        } else {
            println!(
                "store: {} cables, {} versions; index: {} cables (watermark {} / store {})",
                r.store_cables, r.store_versions, r.index_docs, r.index_watermark, r.store_watermark
            );
            for p in &r.problems {
                println!("PROBLEM {p}");
            }
            println!("{}", r.summary());
        }
        Ok(if r.ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
    }
}

/// Arguments of `demarche reindex`.
#[derive(Debug, Args)]
pub struct ReindexArgs {}

impl ReindexArgs {
    /// Rebuilds the index from the store.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let started = std::time::Instant::now();
        let mut archive = Archive::open_for_write(dir)?;
        let n = archive.reindex()?;
        println!("reindexed {n} cables in {:.2}s", started.elapsed().as_secs_f64());
        Ok(ExitCode::SUCCESS)
    }
}
