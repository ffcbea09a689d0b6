//! `demarche search QUERY`.

use std::path::Path;
use std::process::ExitCode;

use archive::{Archive, SearchRequest, Sort};
use clap::{Args, ValueEnum};

use crate::render::{cut, date_of, highlight, stdout_is_terminal};

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// By relevance (BM25; subject matches weigh more).
    Relevance,
    /// Newest first.
    Date,
    /// Oldest first.
    DateAsc,
}

/// Arguments of `demarche search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words, "phrases", "phrase"~5, AND OR NOT + -, ( ), prefix*,
    /// and fields id: tag: origin: from: to: class: caveat: subject: ref:
    /// signer: body: created:2008-01..2009-06.
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: String,
    /// Page number.
    #[arg(long, default_value_t = 1)]
    pub page: usize,
    /// Hits per page.
    #[arg(long, default_value_t = 10)]
    pub per_page: usize,
    /// Order.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Show facet counts (tags, origins, classification levels, caveats, years).
    #[arg(long)]
    pub facets: bool,
    /// Show a per-month histogram.
    #[arg(long)]
    pub histogram: bool,
    /// Search each word in its own spelling only, not in the other
    /// spellings of its name the archive holds.
    #[arg(long)]
    pub no_variants: bool,
    /// Match every word as written (folded), not by its stem: `ratify`
    /// finds only `ratify` (one word: `=ratify`).
    #[arg(long)]
    pub exact: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

impl SearchArgs {
    /// Runs the search and prints the results.
    pub fn run(self, dir: &Path) -> anyhow::Result<ExitCode> {
        let archive = Archive::open(dir)?;
        let req = SearchRequest {
            query: self.query.clone(),
            page: self.page,
            per_page: self.per_page,
            sort: match self.sort {
                SortArg::Relevance => Sort::Relevance,
                SortArg::Date => Sort::DateDesc,
                SortArg::DateAsc => Sort::DateAsc,
            },
            facets: self.facets,
            histogram: self.histogram,
            snippets: true,
            variants: !self.no_variants,
            stemming: !self.exact,
        };
        let r = archive.search(&req)?;
        if self.json {
            super::print_json(&r)?;
            return Ok(ExitCode::SUCCESS);
        }
        let tty = stdout_is_terminal();
        let first = (r.page - 1) * r.per_page + 1;
        println!("{} cables match {:?}{}", r.total, r.query, if r.hits.is_empty() { "" } else { ":" });
        for e in &r.expanded {
            let also: Vec<String> = e.also.iter().map(|s| format!("{} ({})", s.word, s.cables)).collect();
            println!("also searched for {}: {} (--no-variants: {} only)", e.word, also.join(", "), e.word);
        }
        if let Some(s) = &r.did_you_mean {
            println!("did you mean: {}  ({} cables)", s.query, s.total);
        }
        for (i, h) in r.hits.iter().enumerate() {
            println!(
                "{:>4}. {:<20} {}  {:<28} {:<22} {}",
                first + i,
                h.id,
                date_of(h.created.as_deref()),
                cut(&h.origin, 28),
                cut(&h.classification, 22),
                h.subject
            );
            for s in &h.snippets {
                println!("      {}", highlight(&s.text, &s.highlights, tty));
            }
        }
        if r.total as usize > first - 1 + r.hits.len() {
            println!("(page {} of {}; --page N for more)", r.page, (r.total as usize).div_ceil(r.per_page));
        }
        if let Some(f) = &r.facets {
            for (name, list) in [
                ("tags", &f.tags),
                ("origins", &f.origins),
                ("classifications", &f.classifications),
                ("caveats", &f.caveats),
                ("years", &f.years),
            ] {
                let items: Vec<String> = list.iter().map(|c| format!("{} ({})", c.value, c.count)).collect();
                println!("{name}: {}", items.join(", "));
            }
        }
        if let Some(h) = &r.histogram {
            let max = h.iter().map(|c| c.count).max().unwrap_or(1).max(1);
            println!("per month:");
            for c in h {
                println!(
                    "  {} {:>6} {}",
                    c.value,
                    c.count,
                    "#".repeat(((c.count * 50).div_ceil(max)) as usize)
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
