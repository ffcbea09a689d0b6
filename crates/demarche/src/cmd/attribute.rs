//! `demarche attribute FILE`: where each quote of an article comes from.

use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use archive::attribute::{DifferenceKind, QuoteAttribution, SourceMatch};
use archive::AttributionReport;
use archive::{Archive, AttributeOptions, Verdict};
use clap::Args;

use crate::render::{cut, stdout_is_terminal};

/// Arguments of `demarche attribute`.
#[derive(Debug, Args)]
pub struct AttributeArgs {
    /// The article: an HTML page or plain text; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print the full report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also report unquoted sentences that closely paraphrase a cable paragraph.
    #[arg(long)]
    pub paraphrases: bool,
}

impl AttributeArgs {
    /// Attributes the article's quotes and prints the report.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let text = read_article(&self.file)?;
        let archive = Archive::open(dir)?;
        let options = AttributeOptions { paraphrases: self.paraphrases, ..AttributeOptions::default() };
        let report = archive.attribute(&text, &options)?;
        if self.json {
            super::print_json(&report)?;
            return Ok(ExitCode::SUCCESS);
        }
        let out = render(&report, self.paraphrases, stdout_is_terminal())?;
        // a closed pipe (`| head`) is not an error
        match std::io::stdout().lock().write_all(out.as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
            _ => Ok(ExitCode::SUCCESS),
        }
    }
}

/// The readable report.
fn render(report: &AttributionReport, paraphrases: bool, tty: bool) -> Result<String, std::fmt::Error> {
    let mut out = String::new();
    let c = &report.counts;
    writeln!(
        out,
        "{} quotes: {} exact, {} close, {} ambiguous, {} not in the archive",
        c.quotes, c.exact, c.close, c.ambiguous, c.not_in_archive
    )?;
    for q in &report.quotes {
        render_quote(&mut out, q, tty)?;
    }
    if paraphrases {
        writeln!(out, "\n{} paraphrased sentences", report.paraphrases.len())?;
        for p in &report.paraphrases {
            writeln!(out, "\n  ¶{} {}", p.article_paragraph, p.sentence)?;
            writeln!(
                out,
                "      {:<14} {} v{} {}  shares {:.0}% of its words",
                p.verdict.name(),
                p.source.cable_id,
                p.source.version,
                paragraph(&p.source),
                p.shared_words * 100.0
            )?;
            writeln!(out, "      cable: {}", flat(&cut(&p.source.text, 300)))?;
        }
    }
    Ok(out)
}

/// The article's text: a file, or standard input for `-` (bytes that are
/// not UTF-8 become U+FFFD).
fn read_article(file: &Path) -> anyhow::Result<String> {
    let bytes = if file == Path::new("-") {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b).context("reading the article from standard input")?;
        b
    } else {
        std::fs::read(file).with_context(|| format!("reading {}", file.display()))?
    };
    Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn paragraph(s: &SourceMatch) -> String {
    if s.subject {
        "subject".into()
    } else {
        format!("¶{}", s.paragraph)
    }
}

fn place(s: &SourceMatch) -> String {
    format!("{} v{} {}  score {:.2}", s.cable_id, s.version, paragraph(s), s.score)
}

fn render_quote(out: &mut String, q: &QuoteAttribution, tty: bool) -> std::fmt::Result {
    let (on, off) = match (tty, q.verdict) {
        (false, _) => ("", ""),
        (true, Verdict::Exact) => ("\x1b[32m", "\x1b[0m"),
        (true, Verdict::Close) => ("\x1b[36m", "\x1b[0m"),
        (true, Verdict::Ambiguous) => ("\x1b[33m", "\x1b[0m"),
        (true, Verdict::NotInArchive) => ("\x1b[2m", "\x1b[0m"),
    };
    writeln!(out)?;
    let shown = match (q.parts.as_slice(), &q.attribution) {
        ([a, b], Some(said)) => format!("“{}” {said}, “{}”", cut(&flat(a), 150), cut(&flat(b), 150)),
        _ => format!("“{}”", cut(&flat(&q.quote), 300)),
    };
    writeln!(out, "[{}] ¶{} {shown}", q.index, q.article_paragraph)?;
    match &q.source {
        Some(s) => writeln!(out, "    {on}{:<14}{off} {}", q.verdict.name(), place(s))?,
        None => writeln!(out, "    {on}{:<14}{off}", q.verdict.name())?,
    }
    writeln!(out, "    {}", q.reason)?;
    if let Some(s) = &q.source {
        writeln!(out, "    cable: {}", flat(&cut(&s.text, 300)))?;
        for d in &s.differences {
            let what = match d.kind {
                DifferenceKind::Changed => format!("changed: “{}” — cable: “{}”", d.quote, d.cable),
                DifferenceKind::Added => format!("not in the cable: “{}”", d.quote),
                DifferenceKind::Inserted => format!("parenthesis not in the cable: “{}”", d.quote),
                DifferenceKind::Dropped => format!("left out without an ellipsis: “{}”", d.cable),
                DifferenceKind::Elided => format!("{} stands for: “{}”", d.quote, d.cable),
                DifferenceKind::Bracketed if d.cable.is_empty() => format!("{} added", d.quote),
                DifferenceKind::Bracketed => format!("{} stands for: “{}”", d.quote, d.cable),
                DifferenceKind::Redacted => format!("{} stands for: “{}”", d.quote, d.cable),
            };
            writeln!(out, "      - {}", flat(&cut(&what, 300)))?;
        }
    }
    if !q.candidates.is_empty() {
        let others: Vec<String> = q
            .candidates
            .iter()
            .map(|c| format!("{} {} ({:.2})", c.cable_id, paragraph(c), c.score))
            .collect();
        writeln!(out, "    candidates: {}", others.join(", "))?;
    }
    Ok(())
}
