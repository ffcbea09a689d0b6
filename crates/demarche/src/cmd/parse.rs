//! `demarche parse PATH...`: parse cables and print them as JSON lines or a
//! readable summary.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use cable::{Cable, Parser, ReferenceData};
use clap::{Args, ValueEnum};

use archive::ingest::sources::{self, Unit};

/// Output format of `parse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One JSON object per cable, one per line.
    Json,
    /// A readable summary of each cable.
    Text,
}

/// Arguments of `demarche parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Files or directories: WikiLeaks cable pages, cables.csv, text files, telegrams.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
    /// Same as `--format json` (the default).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

impl ParseArgs {
    /// Parses every input, prints each cable on stdout and each failure on
    /// stderr, then a count. Exit status 1 when any input failed.
    pub fn run(self, refdata: ReferenceData) -> anyhow::Result<ExitCode> {
        let parser = Parser::new(refdata);
        let format = if self.json { OutputFormat::Json } else { self.format };
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let (mut parsed, mut failed, mut files) = (0u64, 0u64, 0u64);
        let mut write_error: Option<std::io::Error> = None;
        let counter = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        for entry in sources::expand(&self.paths) {
            let path = match entry {
                Ok(p) => p,
                Err((p, reason)) => {
                    eprintln!("error: {}: {reason}", p.display());
                    failed += 1;
                    continue;
                }
            };
            files += 1;
            sources::read_file(&path, counter.clone(), &mut |unit| {
                let parsed_unit = match unit {
                    Unit::File { source, bytes } => parser.parse(&bytes).map_err(|e| (source, e.to_string())),
                    Unit::Record { source, record } => cable::source::csv::to_source(record)
                        .and_then(|s| parser.build(s))
                        .map_err(|e| (source, e.to_string())),
                    Unit::Failed { source, reason } => Err((source, reason)),
                };
                match parsed_unit {
                    Ok(c) => {
                        parsed += 1;
                        if write_error.is_none() {
                            if let Err(e) = write_cable(&mut out, &c, format) {
                                write_error = Some(e);
                            }
                        }
                    }
                    Err((source, reason)) => {
                        failed += 1;
                        eprintln!("error: {source}: {reason}");
                    }
                }
            });
            if let Some(e) = write_error.take() {
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    return Ok(ExitCode::SUCCESS);
                }
                return Err(e.into());
            }
        }
        out.flush()?;
        eprintln!("parsed {parsed} cables from {files} files; {failed} failed");
        Ok(if failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
    }
}

fn write_cable(out: &mut impl Write, c: &Cable, format: OutputFormat) -> std::io::Result<()> {
    match format {
        OutputFormat::Json => {
            serde_json::to_writer(&mut *out, c)?;
            out.write_all(b"\n")
        }
        OutputFormat::Text => write_text(out, c),
    }
}

/// A readable summary of a cable.
pub fn write_text(out: &mut impl Write, c: &Cable) -> std::io::Result<()> {
    let opt = |d: Option<cable::DateTime>| d.map_or_else(|| "-".to_owned(), |d| d.to_string());
    writeln!(out, "{}  {}", c.id, c.subject)?;
    if c.published_id != c.id.as_str() {
        writeln!(out, "  published as   {}", c.published_id)?;
    }
    let caveats: Vec<&str> = c.caveats.iter().map(|c| c.name()).collect();
    writeln!(
        out,
        "  classification {}{}",
        c.classification,
        if caveats.is_empty() { String::new() } else { format!("  [{}]", caveats.join(", ")) }
    )?;
    writeln!(out, "  created        {}   released {}", opt(c.created), opt(c.released))?;
    writeln!(out, "  origin         {}", c.origin)?;
    if let Some(from) = &c.header.from {
        writeln!(out, "  from           {}", from.name)?;
    }
    for (label, list) in [("to", &c.header.to), ("info", &c.header.info)] {
        for r in list.iter() {
            let decoded = match (&r.routing_indicator, &r.decoded) {
                (Some(ri), Some(d)) => format!("  ({ri} = {d})"),
                (Some(ri), None) => format!("  ({ri})"),
                _ => String::new(),
            };
            writeln!(out, "  {label:<14} {}{decoded}", r.name)?;
        }
    }
    if !c.tags.is_empty() {
        let tags: Vec<String> = c.tags.iter().map(|t| format!("{} ({:?})", t.code, t.kind)).collect();
        writeln!(out, "  tags           {}", tags.join(", "))?;
    }
    for r in &c.references {
        let what =
            r.cable.as_ref().map_or_else(|| format!("{:?}", r.kind).to_lowercase(), |id| id.to_string());
        writeln!(out, "  ref {:<10} {what}  \"{}\"", r.bullet.map(String::from).unwrap_or_default(), r.text)?;
    }
    if let Some(d) = &c.declassification {
        writeln!(
            out,
            "  declassify     {}",
            d.date.map_or_else(|| d.instruction.clone().unwrap_or_default(), |d| d.to_string())
        )?;
    }
    if let Some(by) = &c.classified_by {
        writeln!(
            out,
            "  classified by  {} / {}  reasons {}",
            by.name.as_deref().unwrap_or("-"),
            by.title.as_deref().unwrap_or("-"),
            by.reasons.iter().collect::<String>()
        )?;
    }
    if let Some(s) = &c.signer {
        writeln!(out, "  signer         {s}")?;
    }
    writeln!(out, "  paragraphs     {}   redactions {}", c.paragraphs.len(), c.redactions.len())?;
    if let Some(s) = &c.summary {
        let short: String = s.chars().take(200).collect();
        writeln!(
            out,
            "  summary        {}{}",
            short.replace('\n', " "),
            if s.len() > short.len() { "..." } else { "" }
        )?;
    }
    writeln!(out)
}
