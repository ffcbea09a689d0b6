//! The ingest pipeline: read -> parse (in parallel) -> store -> index.
//!
//! - Inputs are read in order by one thread; single-cable files and CSV
//!   records are parsed on every core; one writer stores them *in input
//!   order* (a reorder buffer puts parallel results back in sequence), so a
//!   run is deterministic: the same inputs give the same versions.
//! - Each batch is one SQLite transaction, then one index commit whose
//!   payload is the store's watermark. A writer killed anywhere leaves the
//!   store at a batch boundary; the next open catches the index up, and
//!   running ingest again stores what is missing and nothing twice.

pub mod sources;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use cable::{source, Cable, Parser};
use crossbeam_channel::bounded;
use serde::Serialize;

use crate::store::codec::{self, Encoder};
use crate::store::{Incoming, PutOutcome};
use crate::{Archive, Error, Result};

use sources::Unit;

/// Settings of an ingest run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Parser threads (0: one per core). Default 0.
    pub threads: usize,
    /// Cables per store transaction and index commit. Default 5,000.
    pub batch_size: usize,
    /// Memory budget of the index writer, in bytes. Default 256 MB.
    pub index_heap_bytes: usize,
    /// Where to write the list of failures (input and reason, one per
    /// line). Default: `ingest-failures.txt` in the archive directory.
    pub failures_file: Option<PathBuf>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { threads: 0, batch_size: 5_000, index_heap_bytes: 256 << 20, failures_file: None }
    }
}

/// An input that failed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The file (and record) that failed.
    pub source: String,
    /// Why.
    pub reason: String,
}

/// What an ingest run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestReport {
    /// Files read.
    pub files: u64,
    /// Bytes read from disk.
    pub bytes: u64,
    /// Cables parsed.
    pub cables: u64,
    /// Cables not in the archive before.
    pub new: u64,
    /// Known cables with new content: stored as new versions.
    pub new_versions: u64,
    /// Cables already stored with exactly this content.
    pub unchanged: u64,
    /// Inputs (files or records) that failed.
    pub failed: u64,
    /// The failures, in input order.
    pub failures: Vec<Failure>,
    /// Where the failures were written, when any.
    pub failures_file: Option<PathBuf>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// A progress snapshot, reported after every batch and now and then while reading.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Bytes read from disk so far.
    pub bytes_read: u64,
    /// Total bytes of the inputs (on disk).
    pub bytes_total: u64,
    /// Cables stored or found unchanged so far.
    pub cables: u64,
    /// Failures so far.
    pub failed: u64,
}

enum Parsed {
    Cable(Box<Incoming>),
    Failed(Failure),
}

/// A parsed cable hashed and encoded for storage.
fn prepared(cable: Cable, source: String, encoder: Option<&Encoder>) -> Parsed {
    match Incoming::new(cable, source.clone(), encoder) {
        Ok(inc) => Parsed::Cable(Box::new(inc)),
        Err(e) => Parsed::Failed(Failure { source, reason: e.to_string() }),
    }
}

fn parse_unit(parser: &Parser, unit: Unit, encoder: Option<&Encoder>) -> Parsed {
    match unit {
        Unit::File { source, bytes } => match parser.parse(&bytes) {
            Ok(c) => prepared(c, source, encoder),
            Err(e) => Parsed::Failed(Failure { source, reason: e.to_string() }),
        },
        Unit::Record { source, record } => {
            let (rec, line) = (record.record, record.line);
            match source::csv::to_source(record).and_then(|s| parser.build(s)) {
                Ok(c) => prepared(c, source, encoder),
                Err(e) => {
                    let reason = match e {
                        e @ cable::Error::Csv { .. } => e.to_string(),
                        e => format!("CSV record {rec} (line {line}): {e}"),
                    };
                    Parsed::Failed(Failure { source, reason })
                }
            }
        }
        Unit::Failed { source, reason } => Parsed::Failed(Failure { source, reason }),
    }
}

/// How often a long ingest commits the index.
const INDEX_COMMIT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(30);

fn now_unix() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

impl Archive {
    /// Ingests files and directories (any mix of formats, compressed or not).
    /// `progress` is called after each batch and periodically while reading.
    pub fn ingest(
        &mut self,
        paths: &[PathBuf],
        parser: &Parser,
        options: &IngestOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<IngestReport> {
        self.require_writable()?;
        let started = Instant::now();
        let mut report = IngestReport::default();
        let files: Vec<PathBuf> = sources::expand(paths)
            .into_iter()
            .filter_map(|r| match r {
                Ok(p) => Some(p),
                Err((p, reason)) => {
                    report.failed += 1;
                    report.failures.push(Failure { source: p.display().to_string(), reason });
                    None
                }
            })
            .collect();
        report.files = files.len() as u64;
        let bytes_total: u64 = files.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
        let bytes_read = Arc::new(AtomicU64::new(0));
        let threads = if options.threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            options.threads
        };
        let batch_size = options.batch_size.max(1);

        let (work_tx, work_rx) = bounded::<(u64, Unit)>(threads * 32);
        // Room for a whole batch: parsing goes on while the writer commits one.
        let (done_tx, done_rx) = bounded::<(u64, Parsed)>(batch_size.max(threads * 32));
        let index = self.index()?;
        let mut writer = index.writer(options.index_heap_bytes)?;
        // The compression dictionary: the archive's, or one trained on the
        // first batch big enough; the parsers use it as soon as it is set.
        let encoder: OnceLock<Encoder> = OnceLock::new();
        if let Some(e) = self.store.encoder()? {
            let _ = encoder.set(e);
        }
        let encoder = &encoder;

        let outcome: Result<()> = std::thread::scope(|s| {
            // Reader: inputs in order, numbered.
            let counter = bytes_read.clone();
            let files_ref = &files;
            s.spawn(move || {
                let mut seq = 0u64;
                for path in files_ref {
                    let mut stop = false;
                    sources::read_file(path, counter.clone(), &mut |unit| {
                        if !stop && work_tx.send((seq, unit)).is_err() {
                            stop = true; // the writer gave up
                        }
                        seq += 1;
                    });
                    if stop {
                        break;
                    }
                }
            });
            // Parsers.
            for _ in 0..threads {
                let rx = work_rx.clone();
                let tx = done_tx.clone();
                s.spawn(move || {
                    for (seq, unit) in rx {
                        if tx.send((seq, parse_unit(parser, unit, encoder.get()))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(done_tx);
            drop(work_rx);

            // Writer: back in input order, in batches.
            let mut pending: BTreeMap<u64, Parsed> = BTreeMap::new();
            let mut next = 0u64;
            let mut batch: Vec<Incoming> = Vec::with_capacity(batch_size);
            let mut last_tick = Instant::now();
            let mut last_index_commit = Instant::now();
            let mut uncommitted = false;
            let mut flush =
                |batch: &mut Vec<Incoming>, report: &mut IngestReport, last: bool| -> Result<()> {
                    if !batch.is_empty() {
                        self.compress_with_dictionary(batch, encoder)?;
                        uncommitted |= self.store_batch(batch, &mut writer, report)?;
                        batch.clear();
                    }
                    // The index is committed every INDEX_COMMIT_INTERVAL and at the
                    // end, not after every batch: a commit waits for the indexing
                    // threads. What a killed writer stored but did not index is
                    // indexed when the archive is next opened.
                    if uncommitted && (last || last_index_commit.elapsed() >= INDEX_COMMIT_INTERVAL) {
                        self.commit_index(&mut writer)?;
                        uncommitted = false;
                        last_index_commit = Instant::now();
                    }
                    Ok(())
                };
            // Owned by the writer: dropped when it stops, early (an error) or not,
            // so that parsers blocked on a full channel see it closed and end.
            let done_rx = done_rx;
            for (seq, parsed) in done_rx.iter() {
                pending.insert(seq, parsed);
                while let Some(p) = pending.remove(&next) {
                    next += 1;
                    match p {
                        Parsed::Cable(inc) => {
                            report.cables += 1;
                            batch.push(*inc);
                        }
                        Parsed::Failed(f) => {
                            report.failed += 1;
                            report.failures.push(f);
                        }
                    }
                    if batch.len() >= batch_size {
                        flush(&mut batch, &mut report, false)?;
                        progress(&Progress {
                            bytes_read: bytes_read.load(Ordering::Relaxed),
                            bytes_total,
                            cables: report.new + report.new_versions + report.unchanged,
                            failed: report.failed,
                        });
                    }
                }
                if last_tick.elapsed().as_millis() >= 200 {
                    last_tick = Instant::now();
                    progress(&Progress {
                        bytes_read: bytes_read.load(Ordering::Relaxed),
                        bytes_total,
                        cables: report.cables,
                        failed: report.failed,
                    });
                }
            }
            flush(&mut batch, &mut report, true)
        });
        outcome?;
        writer.wait_merging_threads()?;
        self.index()?.reload()?;
        if report.new + report.new_versions > 0 {
            self.refresh_variants()?;
        }

        report.bytes = bytes_read.load(Ordering::Relaxed);
        progress(&Progress {
            bytes_read: report.bytes,
            bytes_total,
            cables: report.cables,
            failed: report.failed,
        });
        if !report.failures.is_empty() {
            let path =
                options.failures_file.clone().unwrap_or_else(|| self.dir().join("ingest-failures.txt"));
            write_failures(&path, &report.failures)?;
            report.failures_file = Some(path);
        }
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Makes sure the batch is compressed with the archive's dictionary:
    /// trains one on this batch when the archive has none and the batch is
    /// big enough, and compresses again what the parsers compressed before
    /// the dictionary existed.
    fn compress_with_dictionary(
        &mut self,
        batch: &mut [Incoming],
        encoder: &OnceLock<Encoder>,
    ) -> Result<()> {
        if encoder.get().is_none() && batch.len() >= codec::MIN_TRAINING_BATCH {
            let step = batch.len().div_ceil(codec::MAX_TRAINING_SAMPLES);
            let samples = batch.iter().step_by(step).map(Incoming::json).collect::<Result<Vec<_>>>()?;
            if let Some(e) = self.store.train_dictionary(&samples, now_unix())? {
                let _ = encoder.set(e);
            }
        }
        if let Some(e) = encoder.get() {
            for inc in batch.iter_mut() {
                inc.recompress(e)?;
            }
        }
        Ok(())
    }

    /// Stores a batch (one transaction) and adds what changed to the index
    /// writer. Returns whether anything was added.
    fn store_batch(
        &mut self,
        batch: &[Incoming],
        writer: &mut tantivy::IndexWriter,
        report: &mut IngestReport,
    ) -> Result<bool> {
        let crate::store::BatchOutcome { outcomes, changed } = self.store.put_batch(batch, now_unix())?;
        for o in &outcomes {
            match o {
                PutOutcome::New => report.new += 1,
                PutOutcome::NewVersion(_) => report.new_versions += 1,
                PutOutcome::Unchanged => report.unchanged += 1,
            }
        }
        let index = self.index()?;
        for (i, version_id) in &changed {
            let c = &batch[*i].cable;
            writer.delete_term(index.id_term(c.id.as_str()));
            writer.add_document(index.document(c, *version_id))?;
        }
        Ok(!changed.is_empty())
    }

    /// Commits the index with the store's watermark as payload.
    fn commit_index(&self, writer: &mut tantivy::IndexWriter) -> Result<()> {
        let watermark = self.store.max_latest_version()?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&crate::index::payload(watermark));
        prepared.commit()?;
        Ok(())
    }
}

fn write_failures(path: &Path, failures: &[Failure]) -> Result<()> {
    let mut text = String::new();
    for f in failures {
        text.push_str(&f.source);
        text.push('\t');
        text.push_str(&f.reason.replace(['\n', '\t'], " "));
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}
