//! Walking the inputs of a command: files and directories, any mix of
//! formats, each file read as the format it is detected to be.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use cable::{source, Cable, Format, Parser};

/// The largest single-cable file read (a cable page is at most a few MB).
pub const MAX_SINGLE_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Every file under the given paths (directories walked recursively, in
/// sorted order; hidden entries skipped). Paths that do not exist are
/// returned as errors.
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

/// What reading one input produced: a cable, or a failure with where it happened.
pub enum Item {
    /// A parsed cable.
    Cable(Box<Cable>),
    /// A failure: the file, and the reason (naming the record and line where there is one).
    Failed(PathBuf, String),
}

/// Reads one file, detecting its format, and hands each cable or failure to
/// `sink`. A `cables.csv` is streamed record by record.
pub fn read_file(parser: &Parser, path: &Path, sink: &mut dyn FnMut(Item)) {
    let fail = |reason: String| Item::Failed(path.to_path_buf(), reason);
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return sink(fail(e.to_string())),
    };
    let mut prefix = vec![0u8; 8192];
    let n = match read_prefix(&mut file, &mut prefix) {
        Ok(n) => n,
        Err(e) => return sink(fail(e.to_string())),
    };
    prefix.truncate(n);
    match source::detect(&prefix) {
        Some(Format::CablesCsv) => {
            let reader = BufReader::with_capacity(1 << 20, std::io::Cursor::new(prefix).chain(file));
            for r in parser.csv_cables(reader) {
                sink(match r {
                    Ok(c) => Item::Cable(Box::new(c)),
                    Err(e) => fail(e.to_string()),
                });
            }
        }
        Some(_) => {
            let mut bytes = prefix;
            if let Err(e) = file.take(MAX_SINGLE_FILE_BYTES).read_to_end(&mut bytes) {
                return sink(fail(e.to_string()));
            }
            if bytes.len() as u64 >= MAX_SINGLE_FILE_BYTES {
                return sink(fail(format!("larger than {MAX_SINGLE_FILE_BYTES} bytes: not a single cable")));
            }
            sink(match parser.parse(&bytes) {
                Ok(c) => Item::Cable(Box::new(c)),
                Err(e) => fail(e.to_string()),
            });
        }
        None if prefix.is_empty() => sink(fail("empty file".into())),
        None if prefix.contains(&0) => sink(fail("not a cable: binary data".into())),
        None => sink(fail(
            "not a cable: none of the published formats (WikiLeaks page, cables.csv, text file, telegram)"
                .into(),
        )),
    }
}

fn read_prefix(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
