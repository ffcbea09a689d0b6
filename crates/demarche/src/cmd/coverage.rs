//! `demarche coverage [--station S] [--year Y] [--json]`: how much of each
//! station's traffic the archive holds, estimated from the serials of the
//! cable ids (see [`analysis::coverage`]).

use std::path::Path;
use std::process::ExitCode;

use archive::Archive;
use clap::Args;

/// Arguments of `demarche coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// Only this station (`KABUL`, `Kabul`, `SECSTATE` all name one).
    #[arg(long)]
    pub station: Option<String>,
    /// Only this year.
    #[arg(long)]
    pub year: Option<u16>,
    /// Print JSON (with every gap).
    #[arg(long)]
    pub json: bool,
}

/// Gaps printed per station-year (JSON has them all).
const GAPS_SHOWN: usize = 10;

impl CoverageArgs {
    /// Prints the coverage table.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let archive = Archive::open(dir)?;
        let all = analysis::coverage::of_archive(&archive)?;
        let suggestions: Vec<String> = match &self.station {
            Some(s) => all.suggest(s).into_iter().map(str::to_owned).collect(),
            None => Vec::new(),
        };
        let c = all.only(self.station.as_deref(), self.year);
        if c.rows.is_empty() && self.station.is_some() {
            return Err(archive::Error::BadRequest(format!(
                "no cables of station {:?}{}: stations held include {}",
                self.station.unwrap_or_default(),
                self.year.map(|y| format!(" in {y}")).unwrap_or_default(),
                suggestions.join(", ")
            ))
            .into());
        }
        if self.json {
            super::print_json(&c)?;
            return Ok(ExitCode::SUCCESS);
        }
        println!(
            "{:<16} {:>4} {:>7} {:>8} {:>9} {:>7} {:>8}",
            "station", "year", "held", "highest", "estimated", "share", "missing"
        );
        for r in &c.rows {
            println!(
                "{:<16} {:>4} {:>7} {:>8} {:>9} {:>6.1}% {:>8}",
                r.station,
                r.year,
                r.held,
                r.highest_seen,
                r.estimated,
                r.share * 100.0,
                r.known_missing
            );
            if self.station.is_some() && self.year.is_some() {
                let shown: Vec<String> = r
                    .gaps
                    .iter()
                    .take(GAPS_SHOWN)
                    .map(|(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") })
                    .collect();
                let more = r.gaps.len().saturating_sub(GAPS_SHOWN);
                println!(
                    "  serials with nothing held: {}{}",
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more ranges (--json lists all)")
                    } else {
                        String::new()
                    }
                );
            }
        }
        let held: u64 = c.rows.iter().map(|r| r.held).sum();
        let estimated: u64 = c.rows.iter().map(|r| r.estimated).sum();
        println!(
            "{} station-years: {held} cables held of an estimated {estimated} sent ({:.1}%); {} ids without a serial",
            c.rows.len(),
            if estimated == 0 { 0.0 } else { held as f64 * 100.0 / estimated as f64 },
            c.without_serial.len()
        );
        Ok(ExitCode::SUCCESS)
    }
}
