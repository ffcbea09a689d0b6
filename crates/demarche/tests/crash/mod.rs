//! The crash test of `demarche ingest`, shared by the test over the real
//! corpus (`demarche/tests/archive_cli.rs`) and the one over a generated
//! corpus (`bench/tests/crash_synthetic.rs`).
//!
//! Two clean runs are timed (side by side: they must agree); then `kills`
//! runs, each into a fresh archive, are killed with SIGKILL at seeded
//! random points spread over that duration (one in each of `kills` equal
//! slices of 95% of it), two at a time. The machine's load changes while
//! the test runs (on CI the clean runs shared two cores with other tests
//! and took 6.7 s; the killed runs later ended in 4.5 s): a run that ends
//! before its kill teaches the test the current duration, and its point
//! is tried again at the same fraction of that (up to three times).
//!
//! After each kill the archive opens, `demarche check` passes, what is stored is part of the clean state, and
//! running ingest again ends in exactly the clean state: the same cables,
//! versions and content hashes, and the same search answers.
//!
//! `DEMARCHE_CRASH_SEED` replays the kill points of a failed run (the seed
//! is printed, and named in every failure).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One crash test.
pub struct CrashTest<'a> {
    /// The `demarche` binary.
    pub demarche: PathBuf,
    /// The reference tables directory.
    pub reference: PathBuf,
    /// The arguments after `ingest` (options and inputs).
    pub ingest: Vec<OsString>,
    /// Searches whose answers must match a clean run's.
    pub queries: &'a [&'a str],
    /// How many runs to kill.
    pub kills: usize,
    /// Where the archives go.
    pub work: &'a Path,
}

/// Where a run was when it was killed, read from what it left on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Before the store existed.
    Starting,
    /// Reading and parsing: nothing stored yet.
    Reading,
    /// Between store batches: some cables stored, the index behind.
    Storing,
    /// Everything stored, the index not yet committed.
    Indexing,
    /// Everything stored and indexed: cleaning up.
    Finishing,
    /// The run ended before the kill.
    Finished,
}

/// (id, version, content hash) of every stored version, sorted.
pub type State = Vec<(String, u32, String)>;

/// A query, its total and the ids of all its hits, sorted.
pub type Answer = (String, u64, Vec<String>);

impl CrashTest<'_> {
    fn demarche(&self, archive: &Path) -> Command {
        let mut c = Command::new(&self.demarche);
        c.arg("--reference").arg(&self.reference).arg("--archive").arg(archive);
        c
    }

    fn ingest(&self, archive: &Path) -> Command {
        let mut c = self.demarche(archive);
        c.arg("ingest").args(&self.ingest);
        c
    }

    /// Runs the test; panics (naming the seed) at the first thing wrong.
    ///
    /// Two runs go at a time (the clean runs too, so that the kill points
    /// are measured under the same load): the test takes half as long, and
    /// the two clean runs must agree (ingest is deterministic).
    pub fn run(&self) {
        let seed = seed();
        println!("crash test: kill points from seed {seed} (DEMARCHE_CRASH_SEED={seed} replays them)");
        let (a, b) = (self.work.join("clean-a"), self.work.join("clean-b"));
        let started = Instant::now();
        let (out_a, out_b) = std::thread::scope(|s| {
            let other = s.spawn(|| self.ingest(&b).output().expect("run demarche ingest"));
            let out = self.ingest(&a).output().expect("run demarche ingest");
            (out, other.join().expect("the second clean run"))
        });
        let duration = started.elapsed();
        for out in [&out_a, &out_b] {
            assert!(out.status.success(), "a clean run failed: {}", text(&out.stderr));
        }
        let expected = state(&a);
        assert!(!expected.is_empty(), "the clean run stored nothing");
        assert!(state(&b) == expected, "two clean runs of the same input stored different versions");
        let answers = self.answers(&a);
        println!("crash test: the clean runs stored {} versions in {duration:.2?}", expected.len());

        // Over 95% of the clean duration: a run a little faster than the
        // clean ones is still killed.
        let points: Vec<(usize, f64)> =
            kill_fractions(seed, self.kills).into_iter().map(|f| f * 0.95).enumerate().collect();
        let estimate = Mutex::new(duration);
        // Interleaved, so that each worker has early and late points.
        let (even, odd): (Vec<_>, Vec<_>) = points.iter().partition(|(i, _)| i % 2 == 0);
        let phases: Vec<Phase> = std::thread::scope(|s| {
            let other = s.spawn(|| self.kill_each(&odd, &estimate, &expected, &answers, seed));
            let mut phases = self.kill_each(&even, &estimate, &expected, &answers, seed);
            phases.extend(other.join().expect("a worker of the crash test"));
            phases
        });
        let mut hit: BTreeMap<Phase, usize> = BTreeMap::new();
        for p in phases {
            *hit.entry(p).or_default() += 1;
        }
        println!("crash test: phases hit: {hit:?}");
        let killed = self.kills - hit.get(&Phase::Finished).copied().unwrap_or(0);
        assert!(
            killed * 4 >= self.kills * 3,
            "only {killed} of {} runs were killed before they ended (seed {seed})",
            self.kills
        );
        assert!(
            hit.get(&Phase::Storing).is_some_and(|n| *n >= 2),
            "fewer than 2 kills landed between store batches: {hit:?} (seed {seed})"
        );
    }

    /// Kills a run at each point (a fraction of the `estimate`d duration
    /// of a whole run), verifies what it left, runs ingest again and
    /// verifies that: where each kill landed.
    fn kill_each(
        &self,
        points: &[&(usize, f64)],
        estimate: &Mutex<Duration>,
        expected: &State,
        answers: &[Answer],
        seed: u64,
    ) -> Vec<Phase> {
        const TRIES: usize = 3;
        let mut phases = Vec::new();
        for &&(i, fraction) in points {
            let archive = self.work.join(format!("killed-{i}"));
            let mut tries = 0;
            let (phase, at) = loop {
                tries += 1;
                let delay = estimate.lock().expect("the duration estimate").mul_f64(fraction);
                let at = format!("kill {} of {} at {delay:.2?} (seed {seed})", i + 1, self.kills);
                let (phase, took) = self.kill_after(&archive, delay, expected.len(), &at);
                if phase != Phase::Finished || tries == TRIES {
                    break (phase, at);
                }
                // Faster than the estimate: learn, start afresh.
                println!("crash test: {at}: ended first, in {took:.2?}; again at the same fraction of that");
                *estimate.lock().expect("the duration estimate") = took;
                std::fs::remove_dir_all(&archive).expect("remove a finished run's archive");
            };
            println!("crash test: {at}: {phase:?}");
            self.verify_after_kill(&archive, expected, phase, &at);
            self.verify_rerun(&archive, expected, answers, &at);
            std::fs::remove_dir_all(&archive).expect("remove a killed run's archive");
            phases.push(phase);
        }
        phases
    }

    /// Starts an ingest into a fresh `archive` and kills it after `delay`;
    /// where it was then, and (if it had ended) how long it took.
    fn kill_after(&self, archive: &Path, delay: Duration, total: usize, at: &str) -> (Phase, Duration) {
        let started = Instant::now();
        let mut child =
            self.ingest(archive).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("start ingest");
        // Polled, so that a run ending early says when it ended.
        let ended = loop {
            if child.try_wait().expect("wait for ingest").is_some() {
                break Some(started.elapsed());
            }
            let left = delay.saturating_sub(started.elapsed());
            if left.is_zero() {
                break None;
            }
            std::thread::sleep(left.min(Duration::from_millis(10)));
        };
        if ended.is_none() {
            child.kill().expect("SIGKILL ingest");
        }
        let status = child.wait().expect("wait for ingest");
        match ended {
            Some(took) => {
                assert!(status.success(), "{at}: the run ended before the kill, and failed");
                (Phase::Finished, took)
            }
            None => (phase(archive, total), delay),
        }
    }

    /// The archive a kill left opens, passes check, and holds only versions
    /// of the clean state.
    fn verify_after_kill(&self, archive: &Path, expected: &State, phase: Phase, at: &str) {
        let out = self.demarche(archive).arg("check").output().expect("run demarche check");
        if phase == Phase::Starting {
            // Killed before anything was made: nothing to open, said clearly.
            let err = text(&out.stderr);
            assert!(out.status.code() == Some(3) && err.contains("no archive at"), "{at}: check said: {err}");
            return;
        }
        assert!(
            out.status.success(),
            "{at}: check failed after the kill: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        let stored = state(archive);
        assert!(
            stored.iter().all(|v| expected.binary_search(v).is_ok()),
            "{at}: versions stored that a clean run does not have"
        );
    }

    /// Running ingest again ends in exactly the clean state and answers.
    fn verify_rerun(&self, archive: &Path, expected: &State, answers: &[Answer], at: &str) {
        let out = self.ingest(archive).output().expect("run demarche ingest");
        assert!(out.status.success(), "{at}: ingest after the kill failed: {}", text(&out.stderr));
        assert!(state(archive) == *expected, "{at}: not the clean run's cables, versions and hashes");
        let out = self.demarche(archive).arg("check").output().expect("run demarche check");
        assert!(out.status.success(), "{at}: check after the second ingest: {}", text(&out.stdout));
        assert_eq!(self.answers(archive), answers, "{at}: searches answer otherwise than after a clean run");
    }

    /// Every query's total and hits.
    pub fn answers(&self, archive: &Path) -> Vec<Answer> {
        self.queries.iter().map(|q| self.answer(archive, q)).collect()
    }

    /// All the hits of `q` on one page (paging through hits of equal score
    /// is not stable across index layouts, which is not what this tests).
    fn answer(&self, archive: &Path, q: &str) -> Answer {
        let out = self
            .demarche(archive)
            .args(["search", q, "--json", "--per-page", "1000"])
            .output()
            .expect("run demarche search");
        assert!(out.status.success(), "search {q}: {}", text(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("search --json prints JSON");
        let total = v["total"].as_u64().expect("a total");
        assert!(total <= 1000, "search {q}: {total} hits, more than one page: choose a narrower query");
        let hits = v["hits"].as_array().expect("hits");
        let mut ids: Vec<String> = hits.iter().map(|h| h["id"].as_str().expect("an id").to_owned()).collect();
        ids.sort();
        (q.to_owned(), total, ids)
    }
}

/// Where a killed run was, from what it left: read without any repair.
fn phase(archive: &Path, total: usize) -> Phase {
    if !archive.join("store.sqlite").exists() {
        return Phase::Starting;
    }
    // A store killed before its schema was made does not open read-only.
    let Ok(a) = archive::Archive::open_read_only(archive) else { return Phase::Reading };
    let stored = a.store().version_count().expect("count versions") as usize;
    let store_watermark = a.store().max_latest_version().expect("store watermark");
    let indexed = a.index().ok().map_or(0, |i| i.watermark().expect("index watermark"));
    match stored {
        0 => Phase::Reading,
        n if n < total => Phase::Storing,
        _ if indexed < store_watermark => Phase::Indexing,
        _ => Phase::Finishing,
    }
}

/// (id, version, content hash) of every stored version, sorted.
pub fn state(archive: &Path) -> State {
    let a = archive::Archive::open(archive).expect("open archive");
    let mut out = Vec::new();
    for (id, _) in a.store().latest_versions().expect("list cables") {
        for v in a.store().versions(&id).expect("list versions") {
            out.push((id.clone(), v.seq, v.content_hash));
        }
    }
    out.sort();
    out
}

/// `DEMARCHE_CRASH_SEED`, else one from the clock.
fn seed() -> u64 {
    std::env::var("DEMARCHE_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
    })
}

/// `n` fractions of a run, one at a random point of each of `n` equal
/// slices of it.
fn kill_fractions(seed: u64, n: usize) -> Vec<f64> {
    let mut x = seed;
    (0..n)
        .map(|i| {
            // splitmix64
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            let u = (z ^ (z >> 31)) as f64 / u64::MAX as f64;
            (i as f64 + u) / n as f64
        })
        .collect()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
