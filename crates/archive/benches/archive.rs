//! Ingest and query speed over the shared corpus, printed as figures
//! (run: `cargo bench -p archive`). Cablegate-scale figures need the
//! generated corpus of the benchmark issue; this program takes any inputs:
//! `cargo bench -p archive --bench archive -- PATH...` (default: the 1,295
//! real cables), or `-- --archive DIR` to run only the queries on an
//! existing archive.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use archive::{Archive, IngestOptions, SearchRequest};
use cable::{Parser, ReferenceData};

/// The committed query mix: single common and rare terms, phrases, boolean,
/// field filter + date range, ranked top-10 with exact total, faceted.
const QUERIES: &[(&str, bool)] = &[
    ("government", false),
    ("ambassador", false),
    ("guantanamo", false),
    ("\"cluster munitions\"", false),
    ("\"human rights\"", false),
    ("iran AND nuclear", false),
    ("(china OR russia) AND energy -oil", false),
    ("tag:PREL AND created:2008-01..2009-06", false),
    ("origin:london AND class:confidential", false),
    ("munition*", false),
    ("\"nuclear weapons\"~3", false),
    ("afghanistan", true),
];

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let m = e.metadata().ok();
                    if m.as_ref().is_some_and(|m| m.is_dir()) {
                        dir_size(&e.path())
                    } else {
                        m.map_or(0, |m| m.len())
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}

fn main() {
    let shared = std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let argv: Vec<String> = std::env::args().skip(1).collect();
    // `--archive DIR`: query an existing archive (e.g. one ingested at scale) without ingesting.
    if let Some(i) = argv.iter().position(|a| a == "--archive") {
        let dir = PathBuf::from(argv.get(i + 1).expect("--archive DIR"));
        let a = Archive::open(&dir).expect("open archive");
        println!(
            "demarche query benchmark on {} ({} cables)",
            dir.display(),
            a.store().cable_count().expect("count")
        );
        run_queries(&a);
        return;
    }
    let args: Vec<PathBuf> = argv.iter().filter(|a| !a.starts_with('-')).map(PathBuf::from).collect();
    let inputs =
        if args.is_empty() { vec![shared.join("corpus/wikileaks-cablegate-2010-12-10/cable")] } else { args };
    let parser = Parser::new(ReferenceData::load_dir(&shared.join("reference")).expect("reference tables"));

    let mut best = f64::MAX;
    let mut kept = None;
    for _ in 0..3 {
        let tmp = tempfile::tempdir().expect("tempdir");
        let t = Instant::now();
        let mut a = Archive::open_for_write(&tmp.path().join("a")).expect("archive");
        let report = a.ingest(&inputs, &parser, &IngestOptions::default(), &mut |_| {}).expect("ingest");
        let secs = t.elapsed().as_secs_f64();
        if secs < best {
            best = secs;
            kept = Some((tmp, report));
        }
    }
    let (tmp, report) = kept.expect("one run");
    let dir = tmp.path().join("a");
    let a = Archive::open(&dir).expect("open");
    let mut text_bytes = 0u64;
    for (id, _) in a.store().latest_versions().expect("ids") {
        let c = a.store().cable(&id, None).expect("cable");
        text_bytes += (c.raw_header.len() + c.raw_body.len()) as u64;
    }
    let disk = dir_size(&dir);
    println!(
        "demarche archive benchmark ({} cores)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "ingest: {} cables, {:.1} MB input, {:.1} MB cable text in {:.2}s: {:.0} cables/s, {:.1} MB/s input, {:.1} MB/s cable text",
        report.cables,
        report.bytes as f64 / 1e6,
        text_bytes as f64 / 1e6,
        best,
        report.cables as f64 / best,
        report.bytes as f64 / 1e6 / best,
        text_bytes as f64 / 1e6 / best
    );
    println!(
        "on disk: store {:.1} MB + index {:.1} MB = {:.1} MB, {:.2}x the cable text",
        dir_size(&dir).saturating_sub(dir_size(&dir.join("index"))) as f64 / 1e6,
        dir_size(&dir.join("index")) as f64 / 1e6,
        disk as f64 / 1e6,
        disk as f64 / text_bytes.max(1) as f64
    );
    run_queries(&a);
}

/// Runs the query mix 200 times each and prints p50 / p95 / p99.
fn run_queries(a: &Archive) {
    println!(
        "{:<45} {:>7} {:>9} {:>9} {:>9}",
        "query (top 10, exact total, snippets)", "total", "p50 ms", "p95 ms", "p99 ms"
    );
    let mut all = Vec::new();
    for (q, facets) in QUERIES {
        let mut req = SearchRequest::new(*q);
        req.facets = *facets;
        req.histogram = *facets;
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..200 {
            let t = Instant::now();
            total = a.search(&req).expect("search").total;
            times.push(t.elapsed());
        }
        times.sort();
        all.extend_from_slice(&times);
        println!(
            "{:<45} {:>7} {:>9.2} {:>9.2} {:>9.2}",
            format!("{q}{}", if *facets { " +facets" } else { "" }),
            total,
            pct(&times, 0.5),
            pct(&times, 0.95),
            pct(&times, 0.99)
        );
    }
    all.sort();
    println!(
        "{:<45} {:>7} {:>9.2} {:>9.2} {:>9.2}",
        "all queries",
        "",
        pct(&all, 0.5),
        pct(&all, 0.95),
        pct(&all, 0.99)
    );
    run_campaigns(a);
}

/// Campaigns (every matching cable decoded, per country, action requests,
/// replies), 20 runs each: p50 / p95.
fn run_campaigns(a: &Archive) {
    println!("{:<45} {:>7} {:>9} {:>9} {:>9}", "campaign", "cables", "p50 ms", "p95 ms", "countries");
    for q in ["\"cluster munitions\" OR CCM", "tag:PARM", "iran AND nuclear", "created:1900.."] {
        let req = archive::campaign::CampaignRequest::new(q);
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..20 {
            let t = Instant::now();
            last = Some(a.campaign(&req).expect("campaign"));
            times.push(t.elapsed());
        }
        times.sort();
        let c = last.expect("one run");
        println!(
            "{:<45} {:>7} {:>9.2} {:>9.2} {:>9}",
            q,
            c.matched,
            pct(&times, 0.5),
            pct(&times, 0.95),
            c.countries.len()
        );
    }
}
