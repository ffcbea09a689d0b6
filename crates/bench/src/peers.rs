//! The peers: SQLite FTS5, PostgreSQL full-text search and Xapian through
//! `bench/peers.py` (Debian's Python, which has the Xapian and psycopg2
//! bindings), and ripgrep over the raw `cables.csv`.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::mix::{EngineRun, Mix, QueryRun, Repeat};

/// The Python that has Debian's `python3-xapian` and `python3-psycopg2`.
pub const PYTHON: &str = "/usr/bin/python3";

/// Loads the peer data into `engine` (`sqlite`, `postgres`, `xapian`) and runs the mix.
pub fn run_python_peer(
    engine: &str,
    script: &Path,
    data: &Path,
    mix: &Path,
    work: &Path,
    repeat: Repeat,
) -> Result<EngineRun> {
    if work.exists() {
        std::fs::remove_dir_all(work).with_context(|| format!("removing {}", work.display()))?;
    }
    std::fs::create_dir_all(work)?;
    let out = Command::new(PYTHON)
        .arg(script)
        .args(["--engine", engine, "--data"])
        .arg(data)
        .arg("--mix")
        .arg(mix)
        .arg("--workdir")
        .arg(work)
        .args(["--runs", &repeat.runs.to_string(), "--seconds", &repeat.seconds.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("starting {PYTHON} {}", script.display()))?;
    if !out.status.success() {
        bail!(
            "{engine}: {} failed ({}); run scripts/bench-deps to install the peers",
            script.display(),
            out.status
        );
    }
    serde_json::from_slice(&out.stdout).with_context(|| format!("{engine}: reading peers.py output"))
}

/// ripgrep over the raw text: each pattern of the mix that ripgrep can say,
/// counted as matching lines of `cables.csv`.
pub fn run_ripgrep(corpus: &Path, mix: &Mix, repeat: Repeat) -> Result<EngineRun> {
    let version = Command::new("rg").arg("--version").output().context("running rg (install ripgrep)")?;
    let version = String::from_utf8_lossy(&version.stdout).lines().next().unwrap_or("ripgrep").to_owned();
    let mut queries = Vec::new();
    for q in &mix.queries {
        let Some(pattern) = &q.ripgrep else {
            queries.push(QueryRun::skipped(&q.name));
            continue;
        };
        let count = || -> Result<u64> {
            let out =
                Command::new("rg").args(["--count", "--no-filename", "--", pattern]).arg(corpus).output()?;
            // Exit 1 is "no match".
            if !out.status.success() && out.status.code() != Some(1) {
                bail!("rg {pattern}: {}", String::from_utf8_lossy(&out.stderr));
            }
            Ok(String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0))
        };
        let mut run = QueryRun { name: q.name.clone(), query: Some(pattern.clone()), ..QueryRun::default() };
        run.total_hits = Some(count()?);
        // ripgrep scans the whole file every time: a few runs tell its speed.
        let few = Repeat { runs: repeat.runs.min(5), seconds: repeat.seconds };
        run.set_latencies(few.time(|| count().map(|_| ()))?);
        queries.push(run);
    }
    Ok(EngineRun {
        engine: "ripgrep".into(),
        version,
        cables: 0,
        notes: vec![
            "no index: every query scans the raw cables.csv (in the page cache); counts are matching lines, not cables"
                .into(),
        ],
        queries,
        ..EngineRun::default()
    })
}
