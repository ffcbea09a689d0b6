//! demarche itself: ingest through the command line, queries in process on
//! the embedded archive, and the same queries through `demarche serve`.

use std::io::{BufWriter, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use archive::{Archive, SearchRequest};

use crate::mix::{EngineRun, Mix, QueryRun, Repeat};
use crate::process::{self, KillOnDrop};

/// `demarche ingest CORPUS` into a fresh archive at `dir`, timed.
pub fn ingest(bin: &Path, dir: &Path, corpus: &Path) -> Result<EngineRun> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    let m = process::run_measured(Command::new(bin).arg("--archive").arg(dir).arg("ingest").arg(corpus))?;
    let a = Archive::open(dir)?;
    Ok(EngineRun {
        engine: "demarche".into(),
        version: format!("demarche {} (tantivy, SQLite)", env!("CARGO_PKG_VERSION")),
        cables: a.store().cable_count()?,
        load_seconds: Some(m.elapsed.as_secs_f64()),
        disk_bytes: Some(process::disk_size(dir)),
        load_peak_rss_bytes: Some(m.peak_rss),
        notes: vec![
            "load = `demarche ingest cables.csv` end to end: parsing every cable from the raw CSV, store, index".into(),
            WORD_FORMS_NOTE.into(),
        ],
        queries: Vec::new(),
    })
}

/// The archive of an earlier run, not ingested again.
pub fn reused(dir: &Path) -> Result<EngineRun> {
    let a = Archive::open(dir)?;
    Ok(EngineRun {
        engine: "demarche".into(),
        version: format!("demarche {} (tantivy, SQLite)", env!("CARGO_PKG_VERSION")),
        cables: a.store().cable_count()?,
        disk_bytes: Some(process::disk_size(dir)),
        notes: vec!["archive of an earlier run reused: no load figures".into(), WORD_FORMS_NOTE.into()],
        ..EngineRun::default()
    })
}

/// Writes the archive's cables as the JSON lines the peers load: the same
/// fields and the same clean text demarche indexes.
pub fn export_peer_data(dir: &Path, out: &Path) -> Result<u64> {
    let a = Archive::open(dir)?;
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(out)?);
    let mut n = 0;
    for (id, _) in a.store().latest_versions()? {
        let c = a.store().cable(&id, None)?;
        let line = serde_json::json!({
            "id": c.id.as_str(),
            "created": c.created.map(|d| d.date().to_string()).unwrap_or_default(),
            "origin": c.origin,
            "classification": c.classification.level.name(),
            "caveat": c.caveats.iter().map(|v| v.name()).collect::<Vec<_>>().join(" "),
            "tags": c.tags.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(),
            "subject": c.subject,
            "text": c.clean_text(),
        });
        serde_json::to_writer(&mut w, &line)?;
        w.write_all(b"\n")?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

/// How the mix's words are matched: as written (folded), without stems or
/// other spellings, the question the peers answer (they index the same text
/// lowercased, without stemming), so that hit counts can be compared.
pub const WORD_FORMS_NOTE: &str = "words matched as written, as the peers index them (`stem=false`, `variants=false`): demarche's default search also matches stems and other spellings of names, and finds more";

/// How the words of the mix's queries are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordForms {
    /// As written, the peers' question ([`WORD_FORMS_NOTE`]).
    AsWritten,
    /// demarche's default: by stem, and names in their other spellings.
    Default,
}

fn request(q: &crate::mix::MixQuery, forms: WordForms) -> SearchRequest {
    let mut r = SearchRequest::new(q.demarche.clone());
    r.facets = q.facets;
    if forms == WordForms::AsWritten {
        r.stemming = false;
        r.variants = false;
    }
    r
}

/// The mix on the embedded archive, in this process.
pub fn query_embedded(dir: &Path, mix: &Mix, repeat: Repeat, forms: WordForms) -> Result<Vec<QueryRun>> {
    let a = Archive::open(dir)?;
    let mut out = Vec::new();
    for q in &mix.queries {
        let req = request(q, forms);
        let mut run =
            QueryRun { name: q.name.clone(), query: Some(q.demarche.clone()), ..QueryRun::default() };
        let first = a.search(&req).with_context(|| format!("query {:?}", q.demarche))?;
        run.total_hits = Some(first.total);
        run.top10 = first.hits.iter().map(|h| h.id.clone()).collect();
        run.facets = first.facets.as_ref().map(serde_json::to_value).transpose()?;
        let times = repeat.time(|| a.search(&req).map(|_| ()).map_err(Into::into))?;
        run.set_latencies(times);
        out.push(run);
    }
    Ok(out)
}

/// demarche's default search over the mix (words by stem, names in their
/// other spellings), in this process: what a reader's query costs beside
/// the same query as written.
pub fn default_search(dir: &Path, mix: &Mix, repeat: Repeat) -> Result<EngineRun> {
    Ok(EngineRun {
        engine: "demarche-default".into(),
        version: format!("demarche {} (tantivy, SQLite)", env!("CARGO_PKG_VERSION")),
        notes: vec![
            "demarche's default search in process: words by their stem and names in the other spellings the archive holds, so it finds more than the peers (hit counts differ by design)".into(),
        ],
        queries: query_embedded(dir, mix, repeat, WordForms::Default)?,
        ..EngineRun::default()
    })
}

/// What `demarche serve` did under the benchmark.
pub struct Served {
    /// Per-query latencies, one client.
    pub run: EngineRun,
    /// The whole mix at `clients` concurrent clients.
    pub load: demarche::loadgen::LoadReport,
    /// Concurrent clients of the load run.
    pub clients: usize,
    /// The server's resident memory after the runs, and its peak.
    pub rss: (u64, u64),
    /// Whole exports, after the load run.
    pub exports: Vec<crate::report::ExportFigures>,
}

/// Starts `demarche serve` over the archive and runs the mix through its JSON API.
pub fn query_served(bin: &Path, dir: &Path, mix: &Mix, repeat: Repeat, load_seconds: u64) -> Result<Served> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let child = Command::new(bin)
        .arg("--archive")
        .arg(dir)
        .args(["serve", "--bind", &addr.to_string(), "--rate-limit", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting demarche serve")?;
    let server = KillOnDrop(child);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut conn = loop {
        match rt.block_on(demarche::loadgen::Conn::open(addr)) {
            Ok(c) => break c,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => bail!("demarche serve did not answer on {addr}: {e}"),
        }
    };
    let mut queries = Vec::new();
    let mut paths = Vec::new();
    for q in &mix.queries {
        let path = format!(
            "/api/search?q={}&stem=false&variants=false{}",
            demarche::loadgen::encode(&q.demarche),
            if q.facets { "&facets=true" } else { "" }
        );
        paths.push(path.clone());
        let mut get = || -> Result<Vec<u8>> {
            let (status, body) = rt.block_on(conn.get(&path))?;
            if status != 200 {
                bail!("{path}: status {status}: {}", String::from_utf8_lossy(&body));
            }
            Ok(body)
        };
        let body: serde_json::Value = serde_json::from_slice(&get()?)?;
        let mut run = QueryRun { name: q.name.clone(), query: Some(path.clone()), ..QueryRun::default() };
        run.total_hits = body["total"].as_u64();
        run.top10 = body["hits"]
            .as_array()
            .map(|h| h.iter().filter_map(|h| h["id"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        run.set_latencies(repeat.time(|| get().map(|_| ()))?);
        queries.push(run);
    }
    drop(conn);
    let clients = 32;
    let load = rt.block_on(demarche::loadgen::run(
        addr,
        &paths,
        clients,
        Duration::from_secs(load_seconds),
        Duration::from_secs(10),
    ));
    let pid = server.0.id();
    let rss = (process::rss(pid).unwrap_or(0), process::peak_rss(pid).unwrap_or(0));
    let mut exports = Vec::new();
    for path in EXPORTS {
        exports.push(export_served(addr, pid, path).with_context(|| format!("export {path}"))?);
    }
    let run = EngineRun {
        engine: "demarche-http".into(),
        version: format!("demarche serve {}", env!("CARGO_PKG_VERSION")),
        notes: vec!["one keep-alive client on loopback, GET /api/search, JSON answer read in full".into()],
        queries,
        ..EngineRun::default()
    };
    Ok(Served { run, load, clients, rss, exports })
}

/// The whole exports measured: every cable (the generated corpus ends in
/// 2010), as CSV and as the ZIP of texts.
const EXPORTS: [&str; 2] =
    ["/export?q=created:..2011&sort=date&format=csv", "/export?q=created:..2011&format=zip"];

/// One export read to its end over a plain HTTP/1.0 connection (the body
/// then ends with the connection: no chunks to decode), the server's
/// memory polled meanwhile.
fn export_served(addr: SocketAddr, pid: u32, path: &str) -> Result<crate::report::ExportFigures> {
    use std::io::{Read as _, Write as _};
    let rss_before = process::rss(pid).unwrap_or(0);
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let poller = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut max = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                max = max.max(process::rss(pid).unwrap_or(0));
                std::thread::sleep(Duration::from_millis(20));
            }
            max
        })
    };
    let start = Instant::now();
    let mut s = std::net::TcpStream::connect(addr)?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n")?;
    let mut head = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut first_byte = None;
    let mut bytes = 0u64;
    loop {
        let n = s.read(&mut buf)?;
        if n == 0 {
            break;
        }
        if first_byte.is_none() {
            head.extend_from_slice(&buf[..n]);
            if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                let body = head.len() - end - 4;
                if body > 0 {
                    first_byte = Some(start.elapsed());
                    bytes += body as u64;
                }
                head.truncate(end);
                if body == 0 {
                    // Headers alone so far: the first body byte comes next.
                    let n = s.read(&mut buf)?;
                    first_byte = Some(start.elapsed());
                    bytes += n as u64;
                }
            }
            continue;
        }
        bytes += n as u64;
    }
    let seconds = start.elapsed().as_secs_f64();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let rss_max = poller.join().unwrap_or(0);
    let head = String::from_utf8_lossy(&head).into_owned();
    if !head.starts_with("HTTP/1.0 200") && !head.starts_with("HTTP/1.1 200") {
        bail!("{head}");
    }
    let cables = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("x-total-count:").map(|v| v.trim().to_owned()))
        .and_then(|v| v.parse().ok())
        .context("no X-Total-Count")?;
    Ok(crate::report::ExportFigures {
        path: path.to_owned(),
        cables,
        bytes,
        first_byte_ms: first_byte.unwrap_or_default().as_secs_f64() * 1e3,
        seconds,
        rss_before,
        rss_max,
    })
}
