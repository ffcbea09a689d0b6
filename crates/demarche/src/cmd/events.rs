//! `demarche events import FILE.csv`, `demarche events list`: dated events
//! about countries (treaty signatures, ratifications...) kept in the archive.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use archive::events::{consent_order, ordinal_suffix, EventFilter};
use archive::Archive;
use clap::{Args, Subcommand};

use crate::render::cut;

/// Arguments of `demarche events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: EventsCommand,
}

/// The `events` subcommands.
#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Import events from a CSV file with the columns country, date, event,
    /// treaty, source (header row; country as TAGS code, ISO code or name;
    /// dates YYYY-MM-DD or YYYY-MM). Bad rows are reported by line and the
    /// others imported (exit status 2 when some were rejected); importing a
    /// file again adds nothing.
    Import(ImportArgs),
    /// List the stored events.
    List(ListArgs),
}

/// Arguments of `demarche events import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `demarche events list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this treaty's events (without regard to case); also shows the
    /// order in which states consented to be bound.
    #[arg(long, value_name = "TREATY")]
    pub treaty: Option<String>,
    /// Only this country's events (TAGS code, ISO code or name).
    #[arg(long, value_name = "COUNTRY")]
    pub country: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

impl EventsArgs {
    /// Runs the subcommand.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        match self.command {
            EventsCommand::Import(a) => a.run(dir),
            EventsCommand::List(a) => a.run(dir),
        }
    }
}

impl ImportArgs {
    /// Imports the file and prints what it did.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        // Events belong beside cables: never create an archive for them.
        if !dir.join("store.sqlite").exists() {
            return Err(archive::Error::NoArchive(dir.display().to_string()).into());
        }
        let mut archive = Archive::open_for_write(dir)?;
        let r = archive.import_events(&self.file)?;
        if self.json {
            super::print_json(&r)?;
        } else {
            println!(
                "{}: {} rows, {} new, {} unchanged, {} rejected",
                r.file,
                r.rows,
                r.new,
                r.unchanged,
                r.rejected.len()
            );
            if !r.ignored_columns.is_empty() {
                println!("ignored columns: {}", r.ignored_columns.join(", "));
            }
        }
        for e in &r.rejected {
            eprintln!("{e}");
        }
        Ok(if r.rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) })
    }
}

impl ListArgs {
    /// Prints the events.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let archive = Archive::open(dir)?;
        let filter = EventFilter { treaty: self.treaty.clone(), country: self.country.clone() };
        let events = archive.events(&filter)?;
        // The order needs all the treaty's events, not only one country's.
        let order = match &self.treaty {
            Some(t) => {
                consent_order(&archive.events(&EventFilter { treaty: Some(t.clone()), country: None })?)
            }
            None => Vec::new(),
        };
        if self.json {
            #[derive(serde::Serialize)]
            struct Listing<'a> {
                events: &'a [archive::events::Event],
                #[serde(skip_serializing_if = "<[_]>::is_empty")]
                consent_order: &'a [archive::events::Consent],
            }
            super::print_json(&Listing { events: &events, consent_order: &order })?;
            return Ok(ExitCode::SUCCESS);
        }
        if events.is_empty() {
            println!(
                "no events{}",
                if archive.treaties()?.is_empty() {
                    " (import some with `demarche events import FILE.csv`)"
                } else {
                    ""
                }
            );
            return Ok(ExitCode::SUCCESS);
        }
        println!("{} events", events.len());
        println!(
            "{:<10}  {:<24}  {:<16}  {:<9}  {:<28}  {:<32}  SOURCE",
            "DATE", "COUNTRY", "KIND", "ORDER", "EVENT", "TREATY"
        );
        for e in &events {
            let rank = order
                .iter()
                .find(|o| o.event_id == e.id)
                .map(|o| {
                    if o.ordinal == o.ordinal_last {
                        ordinal_suffix(o.ordinal)
                    } else {
                        format!("{}-{}", ordinal_suffix(o.ordinal), ordinal_suffix(o.ordinal_last))
                    }
                })
                .unwrap_or_default();
            println!(
                "{:<10}  {:<24}  {:<16}  {:<9}  {:<28}  {:<32}  {}",
                e.date.to_string(),
                cut(&format!("{} ({})", e.country.name, e.country.code), 24),
                e.kind.name(),
                rank,
                cut(&e.event, 28),
                cut(&e.treaty, 32),
                e.source
            );
        }
        Ok(ExitCode::SUCCESS)
    }
}
