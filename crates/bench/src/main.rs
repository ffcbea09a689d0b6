//! `demarche-bench`: the Cablegate-scale corpus generator and the benchmark
//! of demarche against the tools a newsroom would pick instead.
//!
//! ```text
//! demarche-bench generate --cables 251287 --out cables.csv
//! demarche-bench run --cables 251287 --work /tmp/bench
//! demarche-bench newsroom --cables 251287 --work /tmp/bench-newsroom
//! ```

use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser as _, Subcommand};

use demarche_bench::{corpus_dir, generate, reference_parser, run};

/// Command line.
#[derive(clap::Parser)]
#[command(name = "demarche-bench", about = "Cablegate-scale corpus generator and benchmark")]
struct Cli {
    /// The shared data directory (corpus and reference tables).
    #[arg(long, env = "DEMARCHE_SHARED", default_value = default_shared())]
    shared: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes a synthetic corpus in the `cables.csv` layout.
    Generate {
        /// Number of cables.
        #[arg(long, default_value_t = generate::CABLEGATE_CABLES)]
        cables: usize,
        /// Random seed: the same seed and size give the same file.
        #[arg(long, default_value_t = 2010)]
        seed: u64,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Generates a corpus (kept in the work directory for the next run), loads
    /// it into demarche and every peer, runs the query mix on each and prints
    /// the comparison.
    Run(run::RunArgs),
    /// What the newsroom costs: searches as anyone and as a project member
    /// with collected cables and notes, and the alerts of saved searches
    /// after an ingest.
    Newsroom(demarche_bench::newsroom::NewsroomArgs),
}

fn default_shared() -> &'static str {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate { cables, seed, out } => {
            let parser = reference_parser(&cli.shared)?;
            let t = Instant::now();
            let material = generate::Material::load(&parser, &corpus_dir(&cli.shared))?;
            let file = std::fs::File::create(&out).with_context(|| format!("creating {}", out.display()))?;
            let g =
                generate::generate(&material, cables, seed, &mut BufWriter::with_capacity(1 << 20, file))?;
            eprintln!(
                "wrote {} cables, {:.1} MB, to {} in {:.1} s",
                g.cables,
                g.bytes as f64 / 1e6,
                out.display(),
                t.elapsed().as_secs_f64()
            );
        }
        Command::Run(args) => run::run(&cli.shared, &args)?,
        Command::Newsroom(args) => demarche_bench::newsroom::run(&cli.shared, &args)?,
    }
    Ok(())
}
