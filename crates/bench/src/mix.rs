//! The committed query mix (`bench/mix.json`) and what one engine's run of it
//! reports: the types every engine's results are written in.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// The query mix file.
#[derive(Debug, Deserialize)]
pub struct Mix {
    /// One entry per query.
    pub queries: Vec<MixQuery>,
}

/// One query of the mix, written for every engine.
#[derive(Debug, Clone, Deserialize)]
pub struct MixQuery {
    /// Short name shown in the tables.
    pub name: String,
    /// `term`, `phrase`, `boolean`, `filter` or `facets`.
    pub kind: String,
    /// demarche's query language.
    pub demarche: String,
    /// A regular expression for ripgrep over the raw text, when it can say it.
    pub ripgrep: Option<String>,
    /// Ask for facet counts.
    #[serde(default)]
    pub facets: bool,
    /// The text part in Xapian's query syntax (tantivy's parser reads it
    /// too), when there is one.
    #[serde(default)]
    pub xapian: Option<String>,
    /// The text part in tantivy's query syntax, where it differs from
    /// the Xapian form (tantivy reads `a AND NOT b` as nothing: `a -b`).
    #[serde(default)]
    pub tantivy: Option<String>,
    /// Metadata conditions, as the peers apply them natively.
    #[serde(default)]
    pub filter: Option<Filter>,
}

/// A mix query's metadata conditions (all must hold).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Filter {
    /// A TAGS code.
    #[serde(default)]
    pub tag: Option<String>,
    /// An origin, exactly.
    #[serde(default)]
    pub origin: Option<String>,
    /// A classification level (`SECRET`).
    #[serde(default)]
    pub classification: Option<String>,
    /// First day, `YYYY-MM-DD`, included.
    #[serde(default)]
    pub created_from: Option<String>,
    /// Last day, `YYYY-MM-DD`, included.
    #[serde(default)]
    pub created_to: Option<String>,
}

impl Mix {
    /// Reads a mix file.
    pub fn load(path: &Path) -> Result<Mix> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }
}

/// One engine's figures for the whole run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EngineRun {
    /// Engine name (one of [`crate::run::ENGINES`]).
    pub engine: String,
    /// Version of the engine.
    #[serde(default)]
    pub version: String,
    /// Cables loaded.
    #[serde(default)]
    pub cables: u64,
    /// Wall time to load and index the corpus, when the engine loads anything.
    #[serde(default)]
    pub load_seconds: Option<f64>,
    /// On-disk size of what the engine built.
    #[serde(default)]
    pub disk_bytes: Option<u64>,
    /// Peak resident memory of the engine's process while loading, when known.
    #[serde(default)]
    pub load_peak_rss_bytes: Option<u64>,
    /// Remarks on how the figures were taken.
    #[serde(default)]
    pub notes: Vec<String>,
    /// One entry per query of the mix, in order.
    pub queries: Vec<QueryRun>,
}

/// One engine's figures for one query.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct QueryRun {
    /// The mix entry's name.
    pub name: String,
    /// The query as the engine was given it.
    #[serde(default)]
    pub query: Option<String>,
    /// The engine cannot express this query.
    #[serde(default)]
    pub skipped: bool,
    /// Timed runs.
    #[serde(default)]
    pub runs: usize,
    /// Median latency, ms.
    #[serde(default)]
    pub p50_ms: f64,
    /// 95th percentile, ms.
    #[serde(default)]
    pub p95_ms: f64,
    /// 99th percentile, ms.
    #[serde(default)]
    pub p99_ms: f64,
    /// Exact number of matching cables (ripgrep: matching lines).
    #[serde(default)]
    pub total_hits: Option<u64>,
    /// The first ten ids, best first.
    #[serde(default)]
    pub top10: Vec<String>,
    /// Facet counts, when asked for.
    #[serde(default)]
    pub facets: Option<serde_json::Value>,
}

impl QueryRun {
    /// A query the engine cannot express.
    pub fn skipped(name: &str) -> QueryRun {
        QueryRun { name: name.to_owned(), skipped: true, ..QueryRun::default() }
    }

    /// Fills the percentiles from run times.
    pub fn set_latencies(&mut self, mut times: Vec<Duration>) {
        times.sort_unstable();
        self.runs = times.len();
        self.p50_ms = percentile_ms(&times, 0.50);
        self.p95_ms = percentile_ms(&times, 0.95);
        self.p99_ms = percentile_ms(&times, 0.99);
    }
}

/// How often each query runs: after one untimed warm-up, until `runs` runs or
/// `seconds` spent, and at least three times.
#[derive(Debug, Clone, Copy)]
pub struct Repeat {
    /// Most timed runs.
    pub runs: usize,
    /// Time budget per query.
    pub seconds: f64,
}

impl Repeat {
    /// Times `f` by this protocol; the first error ends it.
    pub fn time(&self, mut f: impl FnMut() -> Result<()>) -> Result<Vec<Duration>> {
        f()?;
        let start = Instant::now();
        let mut times = Vec::new();
        while times.len() < 3 || (times.len() < self.runs && start.elapsed().as_secs_f64() < self.seconds) {
            let t = Instant::now();
            f()?;
            times.push(t.elapsed());
        }
        Ok(times)
    }
}

/// Nearest-rank percentile of sorted times, in milliseconds.
pub fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1e3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let t: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile_ms(&t, 0.5), 50.0);
        assert_eq!(percentile_ms(&t, 0.99), 99.0);
        assert_eq!(percentile_ms(&t[..1], 0.99), 1.0);
    }

    #[test]
    fn committed_mix_reads() {
        let m = Mix::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/mix.json")).unwrap();
        assert_eq!(m.queries.len(), 17);
        assert!(m.queries.iter().any(|q| q.facets));
    }
}
