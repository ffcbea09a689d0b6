//! The benchmark's report: a markdown table of every figure, the ratios
//! against demarche, the hit-count cross-check, and the JSON record.

use std::fmt::Write as _;

use serde::Serialize;

use crate::mix::{EngineRun, Mix};

/// Everything one benchmark run measured.
#[derive(Debug, Serialize)]
pub struct Results {
    /// When and where it ran.
    pub machine: Machine,
    /// Cables generated.
    pub cables: usize,
    /// Generator seed.
    pub seed: u64,
    /// Size of the raw `cables.csv`.
    pub corpus_bytes: u64,
    /// Every engine, demarche first.
    pub engines: Vec<EngineRun>,
    /// `demarche serve` under concurrent load, when it ran.
    pub serve: Option<ServeFigures>,
    /// Engines that failed, and why.
    pub failed: Vec<String>,
}

/// `demarche serve` at many concurrent clients.
#[derive(Debug, Serialize)]
pub struct ServeFigures {
    /// Concurrent keep-alive clients.
    pub clients: usize,
    /// Requests answered per second.
    pub requests_per_second: f64,
    /// Median latency, ms.
    pub p50_ms: f64,
    /// 99th percentile, ms.
    pub p99_ms: f64,
    /// Failed requests.
    pub errors: u64,
    /// Server resident memory after the run.
    pub rss_bytes: u64,
    /// Server peak resident memory.
    pub peak_rss_bytes: u64,
    /// Whole exports of every cable, one after the other.
    pub exports: Vec<ExportFigures>,
}

/// One whole export through `demarche serve`, read by one client.
#[derive(Debug, Serialize)]
pub struct ExportFigures {
    /// The path asked for.
    pub path: String,
    /// Cables exported (`X-Total-Count`).
    pub cables: u64,
    /// Bytes of the body.
    pub bytes: u64,
    /// From the request sent to the first byte of the body, ms.
    pub first_byte_ms: f64,
    /// From the request sent to the last byte, seconds.
    pub seconds: f64,
    /// The server's resident memory before it, and the most seen during it
    /// (polled every 20 ms), bytes.
    pub rss_before: u64,
    /// See `rss_before`.
    pub rss_max: u64,
}

/// The machine the run was on.
#[derive(Debug, Serialize)]
pub struct Machine {
    /// Date of the run (UTC).
    pub date: String,
    /// CPU model.
    pub cpu: String,
    /// Cores available.
    pub cores: usize,
    /// Memory in GiB.
    pub memory_gib: f64,
    /// Kernel release.
    pub kernel: String,
}

impl Machine {
    /// Reads this machine's description.
    pub fn this() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, v)| v.trim()))
            .unwrap_or("unknown")
            .to_owned();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let kb: f64 = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0.0);
        let date = std::process::Command::new("date")
            .args(["-u", "+%Y-%m-%d %H:%M UTC"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default();
        Machine {
            date,
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_gib: kb / 1024.0 / 1024.0,
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .unwrap_or_default()
                .trim()
                .to_owned(),
        }
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

fn ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Geometric mean of the peer / demarche p50 ratios over the queries both ran.
pub fn p50_ratio(demarche: &EngineRun, peer: &EngineRun) -> Option<(f64, usize)> {
    let mut logs = Vec::new();
    for (d, p) in demarche.queries.iter().zip(&peer.queries) {
        if !d.skipped && !p.skipped && d.p50_ms > 0.0 && p.p50_ms > 0.0 {
            logs.push((p.p50_ms / d.p50_ms).ln());
        }
    }
    (!logs.is_empty()).then(|| ((logs.iter().sum::<f64>() / logs.len() as f64).exp(), logs.len()))
}

/// The median of an engine's per-query p50 (queries it ran).
fn median(e: &EngineRun) -> f64 {
    let mut v: Vec<f64> = e.queries.iter().filter(|q| !q.skipped).map(|q| q.p50_ms).collect();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// The query whose p50 is the most times `base`'s in `run`, and that ratio.
fn slowest_ratio(run: &EngineRun, base: &EngineRun, mix: &Mix) -> Option<(String, f64)> {
    run.queries
        .iter()
        .zip(&base.queries)
        .zip(&mix.queries)
        .filter(|((r, b), _)| !r.skipped && !b.skipped && b.p50_ms > 0.0)
        .map(|((r, b), q)| (q.name.clone(), r.p50_ms / b.p50_ms))
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

impl Results {
    /// A section heading and the head of a table with a column per engine.
    fn engine_table_head(&self, s: &mut String, title: &str) {
        let _ = write!(s, "\n## {title}\n\n| query |");
        for e in &self.engines {
            let _ = write!(s, " {} |", e.engine);
        }
        s.push_str("\n|---|");
        s.push_str(&"---|".repeat(self.engines.len()));
        s.push('\n');
    }

    /// The report in markdown.
    pub fn markdown(&self, mix: &Mix) -> String {
        let m = &self.machine;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# demarche benchmark: {} cables ({}), {}\n\nMachine: {}, {} cores, {:.0} GiB, Linux {}. Seed {}.\n",
            self.cables,
            mb(self.corpus_bytes),
            m.date,
            m.cpu,
            m.cores,
            m.memory_gib,
            m.kernel,
            self.seed
        );
        s.push_str("## Loading\n\n| engine | load | MB/s of raw text | on disk | disk / raw | peak RSS |\n|---|---|---|---|---|---|\n");
        for e in &self.engines {
            let Some(load) = e.load_seconds else { continue };
            let _ = writeln!(
                s,
                "| {} | {:.1} s | {:.1} | {} | {} | {} |",
                e.engine,
                load,
                self.corpus_bytes as f64 / 1e6 / load,
                e.disk_bytes.map(mb).unwrap_or_default(),
                e.disk_bytes
                    .map(|d| format!("{:.2}", d as f64 / self.corpus_bytes as f64))
                    .unwrap_or_default(),
                e.load_peak_rss_bytes.map(mb).unwrap_or_else(|| "-".into()),
            );
        }
        self.engine_table_head(
            &mut s,
            "Query latency, p50 / p99 ms (top 10 by relevance with exact total count)",
        );
        for (i, q) in mix.queries.iter().enumerate() {
            let _ = write!(s, "| {} `{}` |", q.name, q.demarche.replace('|', "\\|"));
            for e in &self.engines {
                match e.queries.get(i) {
                    Some(r) if !r.skipped => {
                        let _ = write!(s, " {} / {} |", ms(r.p50_ms), ms(r.p99_ms));
                    }
                    _ => s.push_str(" n/a |"),
                }
            }
            s.push('\n');
        }
        if let Some(d) = self.engines.iter().find(|e| e.engine == "demarche") {
            s.push_str("\n## Ratios: peer p50 / demarche p50 (geometric mean over the queries both ran)\n\n| peer | ratio | queries |\n|---|---|---|\n");
            for e in self.engines.iter().filter(|e| e.engine != "demarche") {
                if let Some((r, n)) = p50_ratio(d, e) {
                    let _ = writeln!(s, "| {} | {:.1}x | {} |", e.engine, r, n);
                }
            }
            let worst = d.queries.iter().map(|q| q.p99_ms).fold(0.0, f64::max);
            let median_p50 = median(d);
            let _ = writeln!(
                s,
                "\ndemarche embedded: median of the per-query p50 {} ms, worst per-query p99 {} ms.",
                ms(median_p50),
                ms(worst)
            );
            if let Some(raw) = self.engines.iter().find(|e| e.engine == "tantivy-raw") {
                if let Some((r, n)) = p50_ratio(raw, d) {
                    let _ = writeln!(
                        s,
                        "\ndemarche / tantivy-raw (its engine, nothing around it): p50 {r:.1}x (geometric mean over {n} queries); median of the per-query p50 {} ms vs {} ms.",
                        ms(median_p50),
                        ms(median(raw))
                    );
                }
            }
            if let Some(dd) = self.engines.iter().find(|e| e.engine == "demarche-default") {
                if let Some((name, worst)) = slowest_ratio(dd, d, mix) {
                    let (geo, _) = p50_ratio(d, dd).unwrap_or((0.0, 0));
                    let _ = writeln!(
                        s,
                        "\ndemarche's default search (stems, spellings) / the same queries as written: p50 {:.2}x (geometric mean), {:.2}x at most ({name}).",
                        geo, worst
                    );
                }
            }
        }
        self.engine_table_head(
            &mut s,
            "Hit counts (exact totals; ripgrep counts matching lines of the raw file)",
        );
        for (i, q) in mix.queries.iter().enumerate() {
            let _ = write!(s, "| {} ({}) |", q.name, q.kind);
            for e in &self.engines {
                match e.queries.get(i).and_then(|r| r.total_hits.filter(|_| !r.skipped)) {
                    Some(n) => {
                        let _ = write!(s, " {n} |");
                    }
                    None => s.push_str(" n/a |"),
                }
            }
            s.push('\n');
        }
        if let Some(v) = &self.serve {
            let _ = writeln!(
                s,
                "\n## demarche serve under load\n\n{} keep-alive clients over the mix: {:.0} requests/s, p50 {} ms, p99 {} ms, {} errors; server RSS {} (peak {}).",
                v.clients,
                v.requests_per_second,
                ms(v.p50_ms),
                ms(v.p99_ms),
                v.errors,
                mb(v.rss_bytes),
                mb(v.peak_rss_bytes)
            );
        }
        for e in self.serve.iter().flat_map(|v| &v.exports) {
            let _ = writeln!(
                s,
                "\nExport `{}`: {} cables, {}, first byte after {} ms, all in {:.1} s ({:.0} cables/s); server RSS {} before, at most {} during (+{}).",
                e.path,
                e.cables,
                mb(e.bytes),
                ms(e.first_byte_ms),
                e.seconds,
                e.cables as f64 / e.seconds.max(1e-9),
                mb(e.rss_before),
                mb(e.rss_max),
                mb(e.rss_max.saturating_sub(e.rss_before))
            );
        }
        s.push_str("\n## Notes\n\n");
        for f in &self.failed {
            let _ = writeln!(s, "- **failed**: {f}");
        }
        for e in &self.engines {
            let _ = writeln!(s, "- **{}** ({}): {}", e.engine, e.version, e.notes.join("; "));
        }
        s
    }
}
