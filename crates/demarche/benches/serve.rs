//! Serving benchmark: `demarche serve` over the shared corpus on loopback,
//! 32 concurrent keep-alive clients (the load generator runs in the same
//! process, on the same 2 cores), for the search API with the committed
//! query mix (`bench/queries.txt`) and for the cable page. Prints
//! throughput and latency quantiles against the targets.
//!
//! `cargo bench -p demarche --bench serve -- [--seconds 10] [--clients 32] [--archive DIR]`

use std::path::{Path, PathBuf};
use std::time::Duration;

use demarche::loadgen::{self, encode, LoadReport};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The search requests of the committed query mix.
fn search_paths() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("bench/queries.txt")).expect("bench/queries.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.strip_prefix("[facets] ") {
            Some(q) => format!("/api/search?q={}&facets=true", encode(q)),
            None => format!("/api/search?q={}", encode(l)),
        })
        .collect()
}

fn main() {
    let seconds: u64 = arg("--seconds").and_then(|s| s.parse().ok()).unwrap_or(10);
    let clients: usize = arg("--clients").and_then(|s| s.parse().ok()).unwrap_or(32);
    let tmp = tempfile::tempdir().unwrap();
    let dir = match arg("--archive") {
        Some(d) => PathBuf::from(d),
        None => {
            let shared =
                std::env::var_os("DEMARCHE_SHARED").map(PathBuf::from).unwrap_or(root().join("../shared"));
            let parser =
                cable::Parser::new(cable::ReferenceData::load_dir(&shared.join("reference")).unwrap());
            let dir = tmp.path().join("archive");
            let mut a = archive::Archive::open_for_write(&dir).unwrap();
            let corpus = shared.join("corpus/wikileaks-cablegate-2010-12-10/cable");
            a.ingest(&[corpus], &parser, &archive::IngestOptions::default(), &mut |_| {}).unwrap();
            dir
        }
    };
    let ids: Vec<String> = {
        let a = archive::Archive::open(&dir).unwrap();
        a.store().latest_versions().unwrap().into_iter().map(|(id, _)| id).collect()
    };
    let server = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let addr = server.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // The server's own accept loop (timeouts, connection limits), as
        // `demarche serve --rate-limit 0` runs it.
        let state = demarche::server::AppState::open(&dir).unwrap();
        let limits = demarche::server::ConnectionLimits::default();
        tokio::spawn(demarche::server::serve_on(listener, state, limits, std::future::pending()));
        addr
    });
    let client = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let run = |paths: &[String], secs: u64| -> LoadReport {
        client.block_on(loadgen::run(
            addr,
            paths,
            clients,
            Duration::from_secs(secs),
            Duration::from_secs(10),
        ))
    };

    // One keep-alive client, one request at a time: what a request costs
    // beyond the work it asks for.
    let single = |path: &str| -> Duration {
        client.block_on(async {
            let mut conn = loadgen::Conn::open(addr).await.unwrap();
            for _ in 0..50 {
                conn.get(path).await.unwrap();
            }
            let mut times = Vec::new();
            for _ in 0..500 {
                let t = std::time::Instant::now();
                conn.get(path).await.unwrap();
                times.push(t.elapsed());
            }
            times.sort_unstable();
            times[times.len() / 2]
        })
    };
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let fixed = [
        ("/static/style.css", "the stylesheet (no archive)"),
        ("/api/cable/UNKNOWN", "an unknown cable (404)"),
        ("/api/browse/year", "browse by year"),
        ("/api/search?q=kabul&per_page=1", "search, 1 hit"),
        ("/api/search?q=kabul&per_page=1&stem=false", "search, 1 hit, as written"),
        ("/api/search?q=kabul&per_page=100", "search, 100 hits"),
    ];
    println!("one keep-alive client, p50 of 500 requests:");
    let mut p50 = std::collections::HashMap::new();
    for (path, what) in fixed {
        let d = single(path);
        p50.insert(path, d);
        println!("  {what:<28} {path:<45} {:>8.1} us", us(d));
    }
    let per_hit =
        (us(p50["/api/search?q=kabul&per_page=100"]) - us(p50["/api/search?q=kabul&per_page=1"])) / 99.0;
    println!("  each hit with its snippet beyond the first: {per_hit:.1} us");
    println!();

    let searches = search_paths();
    let pages: Vec<String> = ids.iter().map(|id| format!("/cable/{id}")).collect();
    println!(
        "demarche serve on {addr}: {} cables, {clients} clients, {seconds} s per phase, \
         2 cores shared with the load generator",
        ids.len()
    );
    run(&searches, 1); // warm the caches
    let search = run(&searches, seconds);
    println!("search API ({} queries of bench/queries.txt): {}", searches.len(), search.summary());
    let cable = run(&pages, seconds);
    println!("cable page ({} cables): {}", pages.len(), cable.summary());
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!();
    println!("| target | measured | met |");
    println!("|---|---|---|");
    let row = |what: &str, measured: String, met: bool| {
        println!("| {what} | {measured} | {} |", if met { "yes" } else { "NO" })
    };
    row(">= 2,000 search req/s", format!("{:.0} req/s", search.throughput()), search.throughput() >= 2000.0);
    let p99 = search.quantile(0.99);
    row("search p99 < 50 ms", format!("{:.2} ms", ms(p99)), p99 < Duration::from_millis(50));
    let p99 = cable.quantile(0.99);
    row("cable page p99 < 20 ms", format!("{:.2} ms", ms(p99)), p99 < Duration::from_millis(20));
    let unknown = p50["/api/cable/UNKNOWN"];
    row(
        "fixed cost of a request < 0.1 ms (/api/cable/UNKNOWN p50)",
        format!("{:.1} us", us(unknown)),
        unknown < Duration::from_micros(100),
    );
    row("a hit with its snippet < 10 us", format!("{per_hit:.1} us"), per_hit < 10.0);
    let errors = search.errors + cable.errors;
    row("no errors", errors.to_string(), errors == 0);
    for e in search.error_samples.iter().chain(&cable.error_samples) {
        println!("error: {e}");
    }
}
