//! `demarche-bench run`: one corpus, every engine, the same queries.

use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::mix::{Mix, Repeat};
use crate::report::{Machine, Results, ServeFigures};
use crate::{demarche_engine, generate, peers};

/// Every engine the benchmark knows.
pub const ENGINES: &[&str] = &[
    "demarche",
    "demarche-default",
    "demarche-http",
    "tantivy-raw",
    "sqlite",
    "postgres",
    "xapian",
    "ripgrep",
];

/// Options of `demarche-bench run`.
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Number of cables to generate.
    #[arg(long, default_value_t = generate::CABLEGATE_CABLES)]
    pub cables: usize,
    /// Generator seed.
    #[arg(long, default_value_t = 2010)]
    pub seed: u64,
    /// Where the corpus, the archives and the peers' databases go.
    #[arg(long, default_value = "target/bench")]
    pub work: PathBuf,
    /// Engines to run, comma-separated (demarche always runs).
    #[arg(long, value_delimiter = ',', default_values_t = ENGINES.iter().map(|s| s.to_string()))]
    pub engines: Vec<String>,
    /// Most timed runs per query.
    #[arg(long, default_value_t = 30)]
    pub runs: usize,
    /// Time budget per query and engine, seconds.
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// Length of the concurrent load run against `demarche serve`, seconds.
    #[arg(long, default_value_t = 10)]
    pub load_seconds: u64,
    /// Write `<date>-<cables>.json` and `.md` here (e.g. `bench/results`).
    #[arg(long)]
    pub results: Option<PathBuf>,
    /// Keep the demarche archive of an earlier run instead of ingesting again
    /// (for query work; the report then has no demarche load figures).
    #[arg(long)]
    pub reuse_archive: bool,
    /// The `demarche` binary (default: beside this program; `cargo build --release` builds both).
    #[arg(long)]
    pub demarche: Option<PathBuf>,
}

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(rel)
}

/// Runs the benchmark and prints the report.
pub fn run(shared: &Path, args: &RunArgs) -> Result<()> {
    for e in &args.engines {
        if !ENGINES.contains(&e.as_str()) {
            bail!("unknown engine {e:?}: the engines are {}", ENGINES.join(", "));
        }
    }
    let wants = |e: &str| args.engines.iter().any(|x| x == e);
    let bin = match &args.demarche {
        Some(b) => b.clone(),
        None => std::env::current_exe()?.with_file_name("demarche"),
    };
    if !bin.exists() {
        bail!("no demarche binary at {} (build it: cargo build --release)", bin.display());
    }
    let mix_path = repo_file("bench/mix.json");
    let mix = Mix::load(&mix_path)?;
    let repeat = Repeat { runs: args.runs, seconds: args.seconds };
    std::fs::create_dir_all(&args.work).with_context(|| format!("creating {}", args.work.display()))?;
    let work = args.work.canonicalize()?;

    let corpus = work.join(format!("cables-{}-seed{}.csv", args.cables, args.seed));
    if !corpus.exists() {
        eprintln!("generating {} cables into {}", args.cables, corpus.display());
        let parser = crate::reference_parser(shared)?;
        let material = generate::Material::load(&parser, &crate::corpus_dir(shared))?;
        let tmp = corpus.with_extension("csv.partial");
        let file = std::fs::File::create(&tmp)?;
        generate::generate(&material, args.cables, args.seed, &mut BufWriter::with_capacity(1 << 20, file))?;
        std::fs::rename(&tmp, &corpus)?;
    }
    let corpus_bytes = std::fs::metadata(&corpus)?.len();

    eprintln!("demarche: ingesting {}", corpus.display());
    let archive = work.join("demarche");
    let mut engines = Vec::new();
    let mut d = if args.reuse_archive && archive.exists() {
        demarche_engine::reused(&archive)?
    } else {
        demarche_engine::ingest(&bin, &archive, &corpus)?
    };
    eprintln!("demarche: {} cables in {:.1} s; queries", d.cables, d.load_seconds.unwrap_or(0.0));
    d.queries =
        demarche_engine::query_embedded(&archive, &mix, repeat, demarche_engine::WordForms::AsWritten)?;
    engines.push(d);
    if wants("demarche-default") {
        eprintln!("demarche: the default search (stems, spellings)");
        engines.push(demarche_engine::default_search(&archive, &mix, repeat)?);
    }

    let mut serve = None;
    let mut failed: Vec<String> = Vec::new();
    if wants("demarche-http") {
        eprintln!("demarche serve: queries over HTTP");
        let s = demarche_engine::query_served(&bin, &archive, &mix, repeat, args.load_seconds)?;
        engines.push(s.run);
        serve = Some(ServeFigures {
            clients: s.clients,
            requests_per_second: s.load.throughput(),
            p50_ms: s.load.quantile(0.5).as_secs_f64() * 1e3,
            p99_ms: s.load.quantile(0.99).as_secs_f64() * 1e3,
            errors: s.load.errors,
            rss_bytes: s.rss.0,
            peak_rss_bytes: s.rss.1,
            exports: s.exports,
        });
    }

    let python_peers: Vec<&str> = ["sqlite", "postgres", "xapian"].into_iter().filter(|e| wants(e)).collect();
    if !python_peers.is_empty() || wants("tantivy-raw") {
        let data = work.join("peers.jsonl");
        eprintln!("exporting the archive's cables for the peers to {}", data.display());
        demarche_engine::export_peer_data(&archive, &data)?;
        if wants("tantivy-raw") {
            eprintln!("tantivy-raw: loading and querying");
            engines.push(crate::tantivy_raw::run(&data, &work.join("tantivy-raw"), &mix, repeat)?);
        }
        for engine in python_peers {
            eprintln!("{engine}: loading and querying");
            let script = repo_file("bench/peers.py");
            // A peer that fails (a full disk, a missing package) is reported
            // in the table, and the others' figures are kept.
            match peers::run_python_peer(engine, &script, &data, &mix_path, &work.join(engine), repeat) {
                Ok(run) => engines.push(run),
                Err(e) => {
                    eprintln!("{engine}: {e:#}");
                    failed.push(format!("{engine}: {e:#}"));
                }
            }
        }
    }
    if wants("ripgrep") {
        eprintln!("ripgrep: queries over the raw file");
        engines.push(peers::run_ripgrep(&corpus, &mix, repeat)?);
    }

    let results = Results {
        machine: Machine::this(),
        cables: args.cables,
        seed: args.seed,
        corpus_bytes,
        engines,
        serve,
        failed: failed.clone(),
    };
    let md = results.markdown(&mix);
    println!("{md}");
    if let Some(dir) = &args.results {
        std::fs::create_dir_all(dir)?;
        let stem = format!("{}-{}", results.machine.date.get(..10).unwrap_or("run"), args.cables);
        std::fs::write(dir.join(format!("{stem}.json")), serde_json::to_string_pretty(&results)?)?;
        std::fs::write(dir.join(format!("{stem}.md")), &md)?;
        eprintln!("wrote {}/{stem}.json and .md", dir.display());
    }
    if !failed.is_empty() {
        bail!("{} engine(s) failed: {}", failed.len(), failed.join("; "));
    }
    Ok(())
}
