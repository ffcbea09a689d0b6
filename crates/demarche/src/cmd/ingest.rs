//! `demarche ingest PATH...`: read cables into the archive.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use archive::{Archive, IngestOptions, Progress};
use cable::{Parser, ReferenceData};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

/// Arguments of `demarche ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or directories: WikiLeaks pages, cables.csv, text files,
    /// telegrams; plain, .gz or .zst.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Parser threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Cables per transaction.
    #[arg(long, default_value_t = 5_000)]
    pub batch_size: usize,
    /// Write the failures (input and reason, one per line) here instead of
    /// ARCHIVE/ingest-failures.txt.
    #[arg(long, value_name = "FILE")]
    pub failures: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

impl IngestArgs {
    /// Ingests, showing progress, then prints the summary.
    pub fn run(self, archive_dir: &Path, refdata: ReferenceData) -> anyhow::Result<ExitCode> {
        let parser = Parser::new(refdata);
        let mut archive = Archive::open_for_write(archive_dir)?;
        let options = IngestOptions {
            threads: self.threads,
            batch_size: self.batch_size,
            failures_file: self.failures.clone(),
            ..IngestOptions::default()
        };
        let started = Instant::now();
        let terminal = std::io::stderr().is_terminal();
        let bar = terminal.then(|| {
            let b = ProgressBar::new(0);
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b
        });
        let mut last_log = Instant::now();
        let mut on_progress = |p: &Progress| {
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            let msg = format!("{} cables ({:.0}/s), {} failed", p.cables, p.cables as f64 / secs, p.failed);
            if let Some(b) = &bar {
                b.set_length(p.bytes_total);
                b.set_position(p.bytes_read);
                b.set_message(msg);
            } else if last_log.elapsed().as_secs() >= 5 {
                last_log = Instant::now();
                eprintln!(
                    "ingest: {:.1}/{:.1} MB read ({:.1} MB/s), {msg}",
                    p.bytes_read as f64 / 1e6,
                    p.bytes_total as f64 / 1e6,
                    p.bytes_read as f64 / 1e6 / secs
                );
            }
        };
        let report = archive.ingest(&self.paths, &parser, &options, &mut on_progress)?;
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        // The newsroom's saved searches learn what this ingest brought.
        let newsroom = archive::newsroom::SqliteNewsroom::open(archive_dir)?;
        let alerts = archive::newsroom::update_alerts(&archive, &newsroom)?;
        for (search, why) in &alerts.failed {
            eprintln!("warning: saved search {search} was not run: {why}");
        }
        if alerts.searches > 0 && !self.json {
            println!("alerts: {} new across {} saved searches", alerts.new_alerts, alerts.searches);
        }
        if self.json {
            super::print_json(&report)?;
        } else {
            for f in report.failures.iter().take(20) {
                eprintln!("error: {}: {}", f.source, f.reason);
            }
            if report.failures.len() > 20 {
                eprintln!("... and {} more failures", report.failures.len() - 20);
            }
            println!(
                "ingested {} cables from {} files ({:.1} MB) in {:.2}s ({:.0} cables/s, {:.1} MB/s): {} new, {} new versions, {} unchanged, {} failed",
                report.cables,
                report.files,
                report.bytes as f64 / 1e6,
                report.seconds,
                report.cables as f64 / report.seconds.max(1e-9),
                report.bytes as f64 / 1e6 / report.seconds.max(1e-9),
                report.new,
                report.new_versions,
                report.unchanged,
                report.failed
            );
            if let Some(p) = &report.failures_file {
                println!("failures listed in {}", p.display());
            }
        }
        Ok(if report.failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
    }
}
