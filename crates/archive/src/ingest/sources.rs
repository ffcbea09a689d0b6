//! The inputs of an ingest (or of `demarche parse`): files and directories,
//! any mix of formats, plain or compressed (`.gz`, `.zst`, detected by their
//! magic bytes), each read as the format it is detected to be.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use cable::source::csv::{CsvReader, CsvRecord};
use cable::{source, Format};

/// The largest single-cable file read (a cable page is at most a few MB).
pub const MAX_SINGLE_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Every file under the given paths (directories walked recursively, in
/// sorted order; hidden entries skipped). Paths that cannot be read are
/// returned as errors naming them.
pub fn expand(paths: &[PathBuf]) -> Vec<Result<PathBuf, (PathBuf, String)>> {
    let mut out = Vec::new();
    for p in paths {
        walk(p, &mut out);
    }
    out
}

fn walk(path: &Path, out: &mut Vec<Result<PathBuf, (PathBuf, String)>>) {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            out.push(Err((path.to_path_buf(), e.to_string())));
            return;
        }
    };
    if !meta.is_dir() {
        out.push(Ok(path.to_path_buf()));
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            out.push(Err((path.to_path_buf(), e.to_string())));
            return;
        }
    };
    entries.sort();
    for e in entries {
        if e.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            continue;
        }
        walk(&e, out);
    }
}

/// One unit read from an input: the bytes of a single-cable file, a
/// `cables.csv` record, or a failure naming where and why.
pub enum Unit {
    /// A single-cable file (WikiLeaks page, text file, telegram), whole.
    File {
        /// Where it came from.
        source: String,
        /// Its bytes.
        bytes: Vec<u8>,
    },
    /// One record of a `cables.csv`.
    Record {
        /// Where it came from (file, record number and line).
        source: String,
        /// The record.
        record: CsvRecord,
    },
    /// Something that could not be read.
    Failed {
        /// Where.
        source: String,
        /// Why.
        reason: String,
    },
}

/// Counts the bytes read from the underlying file (before decompression).
struct Counting<R> {
    inner: R,
    counter: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// Opens a file, decompressing `.gz` / `.zst` content (by magic bytes).
/// Bytes read from disk are added to `counter`.
pub fn open(
    path: &Path,
    counter: std::sync::Arc<std::sync::atomic::AtomicU64>,
) -> std::io::Result<Box<dyn BufRead + Send>> {
    let file = File::open(path)?;
    let mut raw = BufReader::with_capacity(1 << 20, Counting { inner: file, counter });
    let magic = raw.fill_buf()?;
    Ok(if magic.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::with_capacity(1 << 20, flate2::bufread::MultiGzDecoder::new(raw)))
    } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Box::new(BufReader::with_capacity(1 << 20, zstd::stream::read::Decoder::with_buffer(raw)?))
    } else {
        Box::new(raw)
    })
}

/// Reads one file, detecting its format, and hands each unit to `sink`. A
/// `cables.csv` is streamed record by record; memory stays flat.
pub fn read_file(
    path: &Path,
    counter: std::sync::Arc<std::sync::atomic::AtomicU64>,
    sink: &mut dyn FnMut(Unit),
) {
    let name = path.display().to_string();
    let fail = |reason: String| Unit::Failed { source: name.clone(), reason };
    let mut reader = match open(path, counter) {
        Ok(r) => r,
        Err(e) => return sink(fail(e.to_string())),
    };
    let prefix = match fill_prefix(&mut reader) {
        Ok(p) => p,
        Err(e) => return sink(fail(e.to_string())),
    };
    match source::detect(&prefix) {
        Some(Format::CablesCsv) => {
            let chained = BufReader::new(std::io::Cursor::new(prefix).chain(reader));
            for r in CsvReader::new(chained) {
                sink(match r {
                    Ok(record) => Unit::Record {
                        source: format!("{name}#record {} (line {})", record.record, record.line),
                        record,
                    },
                    Err(e) => fail(e.to_string()),
                });
            }
        }
        Some(_) => {
            let mut bytes = prefix;
            if let Err(e) = reader.take(MAX_SINGLE_FILE_BYTES).read_to_end(&mut bytes) {
                return sink(fail(e.to_string()));
            }
            if bytes.len() as u64 >= MAX_SINGLE_FILE_BYTES {
                return sink(fail(format!("larger than {MAX_SINGLE_FILE_BYTES} bytes: not a single cable")));
            }
            sink(Unit::File { source: name.clone(), bytes });
        }
        None if prefix.is_empty() => sink(fail("empty file".into())),
        None if prefix.contains(&0) => sink(fail("not a cable: binary data".into())),
        None => sink(fail(
            "not a cable: none of the published formats (WikiLeaks page, cables.csv, text file, telegram)"
                .into(),
        )),
    }
}

/// Reads up to 8 KiB for format detection.
fn fill_prefix(r: &mut dyn BufRead) -> std::io::Result<Vec<u8>> {
    let mut prefix = Vec::with_capacity(8192);
    r.take(8192).read_to_end(&mut prefix)?;
    Ok(prefix)
}
