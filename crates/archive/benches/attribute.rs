//! Quote attribution speed, printed as figures (run: `cargo bench -p archive
//! --bench attribute`): every article of the labelled set
//! (`tests/attribution/labels.json`) attributed against an archive of the
//! 1,295 real cables, 30 times each; the time per article (median and p95)
//! and per quote. `-- --archive DIR` uses an existing archive instead of
//! ingesting the corpus into a temporary one; `-- --only TEXT` runs only
//! the articles whose file name contains TEXT.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use archive::{Archive, AttributeOptions, IngestOptions};
use cable::{Parser, ReferenceData};

const RUNS: usize = 30;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| ms(*d))
}

/// The article files of the labelled set.
fn articles(shared: &Path) -> Vec<PathBuf> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/attribution");
    let text = std::fs::read_to_string(here.join("labels.json")).expect("labels.json");
    let labels: serde_json::Value = serde_json::from_str(&text).expect("labels.json parses");
    let mut out = Vec::new();
    for a in labels["articles"].as_array().expect("articles") {
        if let Some(s) = a["shared"].as_str() {
            out.push(shared.join(s));
        } else if let Some(f) = a["file"].as_str() {
            out.push(here.join(f));
        }
    }
    out
}

fn main() {
    let shared = std::env::var_os("DEMARCHE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let _tmp;
    let dir = match argv.iter().position(|a| a == "--archive") {
        Some(i) => PathBuf::from(argv.get(i + 1).expect("--archive DIR")),
        None => {
            let tmp = tempfile::tempdir().expect("tempdir");
            let dir = tmp.path().join("a");
            let parser = Parser::new(ReferenceData::load_dir(&shared.join("reference")).expect("reference"));
            let mut a = Archive::open_for_write(&dir).expect("archive");
            let cables = shared.join("corpus/wikileaks-cablegate-2010-12-10/cable");
            a.ingest(&[cables], &parser, &IngestOptions::default(), &mut |_| {}).expect("ingest");
            _tmp = tmp;
            dir
        }
    };
    let archive = Archive::open(&dir).expect("open archive");
    println!(
        "demarche attribution benchmark: {} cables, {RUNS} runs per article (first run included)",
        archive.store().cable_count().expect("count")
    );
    println!("{:<44} {:>6} {:>9} {:>9} {:>10}", "article", "quotes", "p50 ms", "p95 ms", "ms/quote");
    let options = AttributeOptions::default();
    let mut all_quotes = 0usize;
    let mut all_time = Duration::ZERO;
    let mut worst_per_20 = 0f64;
    let only = argv.iter().position(|a| a == "--only").and_then(|i| argv.get(i + 1)).cloned();
    for path in articles(&shared) {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("article");
        let mut times = Vec::with_capacity(RUNS);
        let mut quotes = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let report = archive.attribute(&text, &options).expect("attribute");
            times.push(t.elapsed());
            quotes = report.quotes.len();
        }
        all_time += times.iter().sum::<Duration>();
        all_quotes += quotes * RUNS;
        times.sort();
        let p50 = pct(&times, 0.5);
        let per_quote = if quotes == 0 { 0.0 } else { p50 / quotes as f64 };
        worst_per_20 = worst_per_20.max(per_quote * 20.0);
        println!("{:<44} {:>6} {:>9.2} {:>9.2} {:>10.2}", name, quotes, p50, pct(&times, 0.95), per_quote);
    }
    println!(
        "all articles: {:.2} ms per quote on average; an article of 20 quotes at the slowest article's rate: {:.1} ms",
        ms(all_time) / all_quotes.max(1) as f64,
        worst_per_20
    );
    let text = std::fs::read_to_string(articles(&shared).first().expect("an article")).expect("article");
    let mut with_paraphrases = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        archive
            .attribute(&text, &AttributeOptions { paraphrases: true, ..options.clone() })
            .expect("attribute");
        with_paraphrases.push(t.elapsed());
    }
    with_paraphrases.sort();
    println!("first article with --paraphrases: p50 {:.2} ms", pct(&with_paraphrases, 0.5));
}
